"""Search: Norwegian base forms, exact-first ranking, phrases, exclusion, OR, filters, snippets."""

from __future__ import annotations

import pytest

from sporbar.api import KnowledgeBase
from sporbar.errors import InvalidQuery
from sporbar.query.syntax import parse_query
from sporbar.store.search_terms import base_form, words

from ..conftest import seed_article_ids


def hit_ids(kb: KnowledgeBase, query: str, **kwargs: object) -> list[str]:
    return [h.article_id for h in kb.search(query, limit=1000, **kwargs)]  # type: ignore[arg-type]


def test_search_fremmedkriger_finds_fremmedkrigere(news_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(news_kb)
    (hit,) = news_kb.search("fremmedkriger")
    assert hit.article_id == seeds["2019-02"]
    article = news_kb.article(hit.article_id)
    words = {article.text[hit.snippet.offset + h.start : hit.snippet.offset + h.end] for h in hit.snippet.highlights}
    assert words <= {"fremmedkrigere", "fremmedkrigerne"} and words


def test_search_koalisjon_finds_koalisjonen_in_both_seeds(news_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(news_kb)
    assert {seeds["2017-03"], seeds["2019-02"]} <= set(hit_ids(news_kb, "koalisjon"))


def test_search_exact_form_ranks_above_base_form(news_kb: KnowledgeBase) -> None:
    hits = news_kb.search("mener", limit=1000)
    has_exact = ["mener" in words(news_kb.article(h.article_id).text) for h in hits]
    assert any(has_exact)
    # Every article with the word as written ranks above articles that only share its base form.
    first_without = has_exact.index(False) if False in has_exact else len(has_exact)
    assert all(has_exact[:first_without]) and not any(has_exact[first_without:])
    # "mener" is not stemmed to "men" ("but"): every hit has a form of "mene" (mener, mente, ment …).
    assert base_form("mener") == "mene" and base_form("men") == "men"
    for hit in hits:
        assert "mene" in {base_form(w) for w in words(news_kb.article(hit.article_id).text)}
    assert len(hits) < len(news_kb.search("=men", limit=1000))


def test_search_phrase_requires_adjacent_words(news_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(news_kb)
    assert hit_ids(news_kb, '"utenriksminister Børge Brende"') == [seeds["2017-03"]]
    assert hit_ids(news_kb, '"Brende Børge"') == []


def test_search_exclusion_and_or(news_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(news_kb)
    assert set(hit_ids(news_kb, "Pompeo OR Tillerson")) == {seeds["2017-03"], seeds["2019-02"]}
    assert hit_ids(news_kb, "koalisjonen IS -Pompeo") == [seeds["2017-03"]] or seeds["2019-02"] not in hit_ids(
        news_kb, "koalisjonen IS -Pompeo"
    )
    assert seeds["2019-02"] not in hit_ids(news_kb, "koalisjon -Pompeo")
    assert seeds["2017-03"] in hit_ids(news_kb, "koalisjon -Pompeo")


def test_search_date_filters_use_overlap_with_the_articles_precision(news_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(news_kb)
    assert set(hit_ids(news_kb, "koalisjon", since="2019")) == {seeds["2019-02"]}
    assert seeds["2017-03"] in hit_ids(news_kb, "koalisjon", since="2017-03-15", until="2017-03-20")
    assert hit_ids(news_kb, "koalisjon", since="2017-04", until="2018-12") == []
    ndt_2011 = hit_ids(news_kb, "", since="2011-01-01", until="2011-12-31")
    assert ndt_2011 and all(news_kb.article(i).date.value.startswith("2011") for i in ndt_2011)


def test_search_source_filter(news_kb: KnowledgeBase) -> None:
    ids = hit_ids(news_kb, "regjeringen", sources=["Klassekampen"])
    assert ids and all(news_kb.article(i).source == "Klassekampen" for i in ids)
    assert set(ids) < set(hit_ids(news_kb, "regjeringen"))


def test_search_snippet_offsets_point_into_stored_text(news_kb: KnowledgeBase) -> None:
    for hit in news_kb.search("Brende", limit=5) + news_kb.search("statsminister", limit=20):
        article = news_kb.article(hit.article_id)
        assert article.text[hit.snippet.offset : hit.snippet.offset + len(hit.snippet.text)] == hit.snippet.text
        assert hit.snippet.highlights
        for h in hit.snippet.highlights:
            word = hit.snippet.text[h.start : h.end].lower()
            assert word.startswith(("brende", "statsminister"))


def test_search_empty_query_lists_newest_first(news_kb: KnowledgeBase) -> None:
    dates = [h.date for h in news_kb.search("", limit=5)]
    assert dates[0] == "2019-02" and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles; --",
        'title:IS AND body:"x"',
        "(((((",
        "\"unterminated phrase",
        "*",
        "NOT OR AND",
    ],
)
def test_search_syntax_cannot_inject(news_kb: KnowledgeBase, query: str) -> None:
    news_kb.search(query)
    assert news_kb.store.count_articles() == 311


def test_search_rejects_absurd_queries() -> None:
    with pytest.raises(InvalidQuery):
        parse_query("ord " * 400)


def test_search_syntax_parses_or_groups_and_exclusions() -> None:
    parsed = parse_query('Pompeo OR Tillerson -"Donald Trump" =mener')
    assert [([t.words for t in c.alternatives], c.exclude) for c in parsed.clauses] == [
        ([("pompeo",), ("tillerson",)], False),
        ([("donald", "trump")], True),
        ([("mener",)], False),
    ]
    assert parsed.clauses[2].alternatives[0].exact_only


def test_search_irregular_forms_and_genitives(news_kb: KnowledgeBase) -> None:
    # "gå" finds articles that only have "gikk" (irregular past), through the lexicon.
    only_gikk = [
        h.article_id
        for h in news_kb.search("=gikk", limit=1000)
        if not {"gå", "går", "gått"} & set(words(news_kb.article(h.article_id).text))
    ]
    assert only_gikk and set(only_gikk) <= set(hit_ids(news_kb, "gå"))
    # A name the lexicon does not know matches its genitive through the stem field.
    genitive_only = [
        h.article_id
        for h in news_kb.search("=halvorsens", limit=1000)
        if "halvorsen" not in words(news_kb.article(h.article_id).text)
    ]
    assert genitive_only and set(genitive_only) <= set(hit_ids(news_kb, "Halvorsen"))


def test_search_term_expansion_follows_the_lexicon() -> None:
    from sporbar.store.search_terms import expand

    assert expand("fremmedkriger").forms >= {"fremmedkrigere", "fremmedkrigeren", "fremmedkrigerne"}
    assert expand("fremmedkriger").stem is None
    assert "men" not in expand("mener").forms and "mente" in expand("mener").forms
    assert "koalisjonens" in expand("koalisjon").forms  # genitive added for longer forms
    assert "mens" not in expand("men").forms  # but not for short ones ("mens" = "while")
    unknown = expand("stabilitetssone")
    assert unknown.forms == {"stabilitetssone"} and unknown.matches("stabilitetssoner")


def test_search_ranked_then_dated_gives_the_filtered_searchs_hits(news_kb: KnowledgeBase) -> None:
    # kb.search ranks one clause of words without the dates and keeps the best inside them (or falls back);
    # search_with_total always filters inside Tantivy. Both must give the same hits, in the same order, scores included.
    windows = [("2009", "2012"), ("2011-03", "2011-03"), ("2015", None), (None, "2010"), ("2017-03-15", "2017-03-20")]
    for query in ("regjeringen", "statsminister", "Pompeo OR Tillerson", "mener", "ikke", "=men"):
        for since, until in windows:
            for offset in (0, 5):
                quick = news_kb.search(query, since=since, until=until, limit=15, offset=offset)
                counted, total = news_kb.search_with_total(query, since=since, until=until, limit=15, offset=offset)
                assert [(h.article_id, round(h.score, 4)) for h in quick] == [
                    (h.article_id, round(h.score, 4)) for h in counted
                ], (query, since, until, offset)
                assert len(quick) == min(15, max(0, total - offset))


def test_search_phrase_matches_through_stems_and_ranks_the_exact_phrase_first(news_kb: KnowledgeBase) -> None:
    # "mener at" also matches "men at" through the stem field (Snowball: mener -> men); the stem phrase decides what
    # matches and the phrase as written adds its score, so those articles come first.
    exact = hit_ids(news_kb, '="mener at"')
    through_stems = news_kb.search('"mener at"', limit=1000)
    assert exact and set(exact) < {h.article_id for h in through_stems}
    assert {h.article_id for h in through_stems[: len(exact)]} == set(exact)


def test_phrase_snippets_highlight_the_phrase_only_where_it_occurs(news_kb: KnowledgeBase) -> None:
    # "at" is among the commonest words: only the places where "mener at" (or, through the stem, "men at") stands
    # are highlighted, each word of the phrase once, in order, with nothing but spaces or punctuation between.
    hits = news_kb.search('"mener at"', limit=20)
    assert len(hits) >= 5
    for hit in hits:
        marks = [hit.snippet.text[h.start : h.end].lower() for h in hit.snippet.highlights]
        assert marks and len(marks) % 2 == 0, marks
        pairs = list(zip(hit.snippet.highlights[::2], hit.snippet.highlights[1::2], strict=True))
        for first, second in pairs:
            assert hit.snippet.text[first.start : first.end].lower() in {"mener", "men"}
            assert hit.snippet.text[second.start : second.end].lower() == "at"
            assert not words(hit.snippet.text[first.end : second.start])
