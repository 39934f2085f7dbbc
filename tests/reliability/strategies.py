"""Hypothesis strategies for hostile input: what newsroom exports and attackers send.

Shared by the property tests and (as seeds) by the fuzzers in ``fuzz/``.
"""

from __future__ import annotations

import json

from hypothesis import settings
from hypothesis import strategies as st

CI_EXAMPLES = 40


def scaled(examples: int) -> int:
    """A slow test's example count, scaled with the profile (``ci``: as given; ``long``: many times more)."""
    return max(1, examples * settings().max_examples // CI_EXAMPLES)

# Every code point, lone surrogates (category Cs) included: a JSON escape like \ud800 produces one.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=300)

# Pieces of Norwegian news and the punctuation the extractors key on, plus characters that break naive code.
FRAGMENTS = [
    "Utenriksminister Børge Brende", "– Vi er bekymret, sier han.", "«IS er fremdeles en trussel»", "sa Pompeo",
    "ifølge departementet", "mener at", "Mer enn 800 fremmedkrigere", "2,5 millioner kroner", "17. mars 2017",
    "i går", "for to år siden", "tirsdag", "(H)", "statsminister Erna Solberg (H)", "USAs utenriksminister Mike Pompeo",
    "«", "»", "“", "”", '"', "„", "–", "—", "-", ":", ",", ".", "?", "!", ";", "(", ")", "\n", "\n\n", " ", "\t",
    "\r\n", "\u2028", "\u2029", "\u200b", "\u200f", "\u202e", "\ufeff", "\x00", "\x07", "\x1b[31m", "\x85",
    "é", "e\u0301", "ﬁ", "Ø", "ß", "İ", "ǅ", "😀", "👩‍👩‍👧", "\U0010ffff", "\ud800", "\udcff",
    "0", "1", "000", "1 000 000", "99999999999999999999", "1e308", "NaN", "-", "%", "kr", "prosent", "tre", "tjuefem",
    "januar", "desember", "1995", "2019-02-30", "31.12.9999", "0000",
]
NEWS_TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)
# One character, thousands of times: the input that makes a careless regex or loop quadratic.
REPEATED = st.builds(lambda piece, n: piece * n, st.sampled_from(["-", "«", "»", "–", '"', "«a ", "– ", "1 ", ". ", "\n", "sa ", "(H) ", "Ola "]), st.integers(1, 3000))
HOSTILE_TEXT = st.one_of(ANY_TEXT, NEWS_TEXT, REPEATED, st.builds(str.__add__, NEWS_TEXT, REPEATED))

DATES = st.one_of(
    st.sampled_from([
        "2019-02-13", "2019-02", "2019", "13.02.2019", "2019-02-13T10:00:00+01:00", "i fjor", "", " ", "2019-13-01",
        "2019-02-30", "0000-01-01", "9999-12-31", "1599-12-31", "2201", "-2019", "2019-02-13T25:00", "20190213",
        "２０１９", "2019-02-13\x00", "1e4", "NaN",
    ]),
    st.integers(-10**20, 10**20),
    st.floats(allow_nan=True),
    st.none(),
    ANY_TEXT,
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), ANY_TEXT)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)), max_leaves=12)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(ANY_TEXT, st.integers(), JSON_VALUES),
        "text": st.one_of(HOSTILE_TEXT, JSON_VALUES),
        "date": DATES,
        "title": st.one_of(ANY_TEXT, JSON_VALUES),
        "source": st.one_of(ANY_TEXT, st.none()),
        "url": st.one_of(ANY_TEXT, st.none()),
        "extra": JSON_VALUES,
    },
)


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


@st.composite
def json_documents(draw: st.DrawFn) -> str:
    """A JSON document: valid, truncated, deeply nested, or with garbage around it."""
    value = draw(st.one_of(RECORDS, st.lists(RECORDS, max_size=4), JSON_VALUES))
    text = _dump(value)
    shape = draw(st.sampled_from(["whole", "truncated", "nested", "garbage", "ascii"]))
    if shape == "truncated" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif shape == "nested":
        depth = draw(st.integers(1, 100_000))
        text = "[" * depth + text + "]" * draw(st.integers(0, depth))
    elif shape == "garbage":
        text = draw(ANY_TEXT) + text + draw(ANY_TEXT)
    elif shape == "ascii":
        text = json.dumps(value, ensure_ascii=True)
    return text


JSONL_TEXT = st.lists(json_documents(), max_size=6).map("\n".join)
CSV_TEXT = st.builds(
    lambda header, rows, sep: "\n".join([sep.join(header)] + [sep.join(r) for r in rows]),
    st.lists(st.sampled_from(["id", "text", "date", "title", "source", "url", "Text", " DATE ", "", '"text"', "x"]), max_size=7),
    st.lists(st.lists(st.one_of(HOSTILE_TEXT, st.just('"'), st.just('"a""b"')), max_size=9), max_size=5),
    st.sampled_from([",", "\t", ";"]),
)
SEED_TEXT = st.one_of(
    st.builds(lambda date, body: f" date {date}\n{body}", DATES.map(str), HOSTILE_TEXT),
    st.builds(lambda date, body: f"date {date} {body}", DATES.map(str), HOSTILE_TEXT),
    HOSTILE_TEXT,
)
HTML_TEXT = st.one_of(
    st.builds(
        lambda title, date, body: f"<html><head><title>{title}</title><meta property='article:published_time' content='{date}'></head>{body}</html>",
        ANY_TEXT, DATES.map(str), st.one_of(st.just(""), HOSTILE_TEXT.map(lambda t: f"<body><article><p>{t}</p></article></body>")),
    ),
    st.builds(lambda t: f"<html><head></head>{t}", HOSTILE_TEXT),  # no body at all
    st.builds(lambda n: "<div>" * n, st.integers(1, 5000)),  # deep, unclosed
    ANY_TEXT.map(lambda t: "<" + t),
)
RAW_BYTES = st.one_of(
    st.binary(max_size=2000),
    HOSTILE_TEXT.map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    # Mixed encodings: UTF-8 lines beside Latin-1, Windows-1252 and UTF-16 ones.
    st.lists(
        st.tuples(NEWS_TEXT, st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16", "utf-8-sig"])).map(
            lambda pair: pair[0].encode(pair[1], errors="replace")
        ),
        max_size=6,
    ).map(b"\n".join),
)
