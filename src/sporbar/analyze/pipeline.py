"""Run the Norwegian pipeline over articles and turn Docs into ``Analysis`` records.

The stored text is what the pipeline sees, so every character offset of a
sentence or mention points into the stored text unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from sporbar.analyze.cleanup import BOUNDARIES, CLEANUP
from sporbar.analyze.extractors import numbers as number_extractor
from sporbar.analyze.extractors import quotes as quote_extractor
from sporbar.analyze.extractors import roles as role_extractor
from sporbar.analyze.extractors import times as time_extractor
from sporbar.lang.nb.titles import PARTIES
from sporbar.models import Analysis, Article, Mention, Quote, Role, TimeFact
from sporbar.normalize import MAX_ARTICLE_CHARS
from sporbar.resolve.entities import entity_id, resolve_mentions

# Roles come first: the quote extractor resolves "sa utenriksministeren" through them.
EXTRACTORS = (
    (role_extractor.EXTRACTOR, role_extractor.EXTRACTOR_VERSION),
    (quote_extractor.EXTRACTOR, quote_extractor.EXTRACTOR_VERSION),
    (number_extractor.EXTRACTOR, number_extractor.EXTRACTOR_VERSION),
    (time_extractor.EXTRACTOR, time_extractor.EXTRACTOR_VERSION),
)
# Bumped when what the pipeline stores changes (3: entity resolution joins genitives, dotted abbreviations,
# spelling variants; 4: the pipeline's document consistency relabels a country tagged PER), so stored
# entity ids and mentions in an archive are re-made on the next run and stay consistent.
INTEGRATION_VERSION = "4"
# Titles of the Norwegian cabinet: with a Norwegian party in brackets the article makes the country clear.
_CABINET_TITLES = ("minister", "statsråd")
CLEANUP_VERSION = "4"

PIPE_BATCH_SIZE = 32


def model_id(nlp: Language) -> str:
    """Name the pipeline, its version and the extractors' versions, e.g. ``nb_sporbar@0.1.0+sporbar_quotes@1``.

    An article analysed under another id is analysed again, so a new extractor
    version reaches the whole archive on the next run.
    """
    return model_id_from_meta(nlp.meta)


def model_id_from_meta(meta: dict[str, Any]) -> str:
    """``model_id`` from a pipeline's meta data alone (a Dask driver need not load the model to know it)."""
    extractors = "+".join(
        f"{name}@{version}" for name, version in ((CLEANUP, CLEANUP_VERSION), *EXTRACTORS, ("sporbar", INTEGRATION_VERSION))
    )
    return f"{meta.get('name', 'pipeline')}@{meta.get('version', '0')}+{extractors}"


def with_extractors(nlp: Language) -> Language:
    """Add sporbar's entity clean-up and extractors to the end of a pipeline (once)."""
    # The store takes articles up to MAX_ARTICLE_CHARS; spaCy refuses texts over its default of
    # 1,000,000 characters, and one such article made every later analysis run fail.
    nlp.max_length = max(nlp.max_length, MAX_ARTICLE_CHARS + 1)
    if BOUNDARIES not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(BOUNDARIES, before="parser")
    if CLEANUP not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe(CLEANUP, after="ner")
    for name, _ in EXTRACTORS:
        if name not in nlp.pipe_names and name != time_extractor.EXTRACTOR:  # times need the article date: see below
            nlp.add_pipe(name, last=True)
    return nlp


def analysis_from_doc(article: Article, doc: Doc, *, model: str, keep_doc: bool = True) -> Analysis:
    """Turn a parsed Doc of ``article.text`` into an ``Analysis``."""
    sentences = tuple(span for span in (_trimmed(s) for s in doc.sents) if span is not None)
    times = [
        TimeFact(t.start, t.end, t.text, t.value, t.precision, t.kind)
        for t in time_extractor.extract_times(doc.text, article.date)
    ]
    starts = [start for start, _ in sentences]
    raw = [Mention(ent.start_char, ent.end_char, ent.text, ent.label_, _sentence_index(starts, ent.start_char)) for ent in doc.ents]
    mentions = [
        replace(mention, canonical=canonical, entity_id=identifier)
        for mention, canonical, _, identifier in resolve_mentions(raw)
    ]
    return Analysis(
        article_id=article.id,
        text_hash=article.text_hash,
        model=model,
        sentences=sentences,
        mentions=tuple(mentions),
        doc=doc.to_bytes(exclude=["user_data"]) if keep_doc else None,
        quotes=tuple(_with_speaker_ids(_dated_quotes(doc._.quotes or (), times, doc.text))) if doc.has_extension("quotes") else (),
        times=tuple(times),
        roles=tuple(_roles(doc)) if doc.has_extension("roles") else (),
        numbers=tuple(doc._.numbers or ()) if doc.has_extension("numbers") else (),
    )


def _with_speaker_ids(quotes: Iterable[Quote]) -> Iterator[Quote]:
    for quote in quotes:
        if quote.speaker:
            kind = "PER" if quote.speaker_label == "PER" else "ORG"
            yield replace(quote, speaker_entity_id=entity_id(quote.speaker, kind))
        else:
            yield quote


def _dated_quotes(quotes: Iterable[Quote], times: list[TimeFact], text: str) -> Iterator[Quote]:
    """A quote was said when its attribution says ("sa presidenten onsdag"), else on the article's date."""
    for quote in quotes:
        when = None
        if quote.cue_start is not None:
            clause_end = min((i for i in (text.find(".", quote.cue_start), text.find("\n", quote.cue_start)) if i != -1), default=len(text))
            clause_start = min(quote.cue_start, quote.speaker_start if quote.speaker_start is not None else quote.cue_start)
            said = [t for t in times if clause_start <= t.start and t.end <= clause_end and t.value and t.kind in ("weekday", "relative", "date")]
            if said and said[0].precision == "day":
                when = said[0].value
        yield replace(quote, date=when) if when else quote


def _roles(doc: Doc) -> list[Role]:
    """Role records for the store: full names, one record per statement, the country when the article makes it clear."""
    resolver = quote_extractor.SpeakerNames(doc)
    stated = {(r.person_start, r.role) for r in (doc._.roles or ()) if not r.refers_back}
    found: list[Role] = []
    for role in doc._.roles or ():
        if role.refers_back and (role.person_start, role.role) in stated:
            continue  # the statement it refers back to is already recorded
        org = role.org
        if org is None and role.party in PARTIES.values() and role.role.endswith(_CABINET_TITLES):
            org = "Norge"
        found.append(
            Role(
                person=(person := resolver.fullest_name(role.person)),
                person_entity_id=entity_id(person, "PER"),
                person_start=role.person_start,
                person_end=role.person_end,
                role=role.role,
                org=org,
                party=role.party,
                start=role.start,
                end=role.end,
            )
        )
    # What the article states once about a person's office holds for its other mentions of that office.
    known = {(r.person, r.role): (r.org, r.party) for r in found if r.org or r.party}
    return [
        replace(r, org=r.org or known.get((r.person, r.role), (None, None))[0], party=r.party or known.get((r.person, r.role), (None, None))[1])
        for r in found
    ]


def _trimmed(sentence: Span) -> tuple[int, int] | None:
    """A sentence's offsets without the line breaks spaCy keeps as whitespace tokens at its edges."""
    words = [t for t in sentence if not t.is_space]
    if not words:
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _sentence_index(starts: list[int], offset: int) -> int | None:
    from bisect import bisect_right

    position = bisect_right(starts, offset) - 1
    return position if position >= 0 else None


def analyse_articles(
    nlp: Language,
    articles: Iterable[Article],
    *,
    workers: int = 1,
    batch_size: int = PIPE_BATCH_SIZE,
    keep_doc: bool = True,
) -> Iterator[Analysis]:
    """Yield one ``Analysis`` per article, in input order (``workers`` processes with ``nlp.pipe``)."""
    nlp = with_extractors(nlp)
    model = model_id(nlp)
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=max(1, workers)):
        yield analysis_from_doc(article, doc, model=model, keep_doc=keep_doc)
