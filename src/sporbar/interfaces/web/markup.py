"""An article's text as HTML with its facts marked inline, built from character offsets.

Every piece of article text and every attribute value is escaped here; the
result is the only ``Markup`` the article page inserts unescaped. Marks may
overlap (a quote contains a name, a role's evidence contains the person):
where one crosses another's edge it is closed and opened again, so the HTML
always nests; a link inside a link is drawn as a plain span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from sporbar.models import Highlight


@dataclass(frozen=True, slots=True)
class Mark:
    """A stretch ``[start, end)`` of the text to wrap in an element."""

    start: int
    end: int
    css_class: str
    href: str | None = None
    tip: str | None = None
    anchor: str | None = None  # an id, so lists of facts can link to the place in the text
    layer: int = 0  # lower layers enclose higher ones when two marks cover the same stretch


def _open_tag(mark: Mark, *, as_link: bool, with_anchor: bool) -> str:
    tag = "a" if as_link else "span"
    attrs = [f'class="{escape(mark.css_class)}"']
    if as_link:
        attrs.append(f'href="{escape(mark.href)}"')
    if mark.tip:
        attrs.append(f'data-tip="{escape(mark.tip)}"')
        attrs.append(f'title="{escape(mark.tip)}"')
        if not as_link:
            attrs.append('tabindex="0"')  # the tip shows on keyboard focus too
    if with_anchor and mark.anchor:
        attrs.append(f'id="{escape(mark.anchor)}"')
    return f"<{tag} {' '.join(attrs)}>"


def mark_up(text: str, marks: Iterable[Mark]) -> Markup:
    """Return ``text`` as escaped HTML with every mark wrapped around its stretch."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    if not valid:
        return Markup(str(escape(text)))
    order = {id(m): rank for rank, m in enumerate(sorted(valid, key=lambda m: (m.start, -m.end, m.layer)))}
    bounds = sorted({0, len(text)} | {m.start for m in valid} | {m.end for m in valid})
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []  # open marks and the tag each was opened with
    anchored: set[int] = set()
    by_start: dict[int, list[Mark]] = {}
    for m in valid:
        by_start.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        active = [m for m in active if m.end > left] + by_start.get(left, [])
        covering = sorted(active, key=lambda m: order[id(m)])
        keep = 0
        while keep < len(stack) and keep < len(covering) and stack[keep][0] is covering[keep]:
            keep += 1
        for _, tag in reversed(stack[keep:]):
            out.append(f"</{tag}>")
        del stack[keep:]
        for mark in covering[keep:]:
            inside_link = any(tag == "a" for _, tag in stack)
            as_link = mark.href is not None and not inside_link
            out.append(_open_tag(mark, as_link=as_link, with_anchor=id(mark) not in anchored))
            anchored.add(id(mark))
            stack.append((mark, "a" if as_link else "span"))
        out.append(str(escape(text[left:right])))
    for _, tag in reversed(stack):
        out.append(f"</{tag}>")
    return Markup("".join(out))


def highlight(snippet: str, spans: Sequence[Highlight]) -> Markup:
    """Return a search snippet as escaped HTML with its hits in ``<mark>``."""
    out: list[str] = []
    cursor = 0
    for span in spans:
        start, end = span.start, span.end
        if start < cursor or end > len(snippet):
            continue
        out.append(str(escape(snippet[cursor:start])))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        cursor = end
    out.append(str(escape(snippet[cursor:])))
    return Markup("".join(out))
