"""Phrase pairs: an index built with them answers every phrase exactly as the positional index does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sporbar.api import KnowledgeBase
from sporbar.errors import StoreError
from sporbar.interfaces.cli import app
from sporbar.query.syntax import parse_query
from sporbar.store.search_index import PHRASE_PAIRS_FILE, SearchIndex
from sporbar.store.search_terms import PhrasePairs, shipped_common_stems, stem, words


def phrases_from(kb: KnowledgeBase, count: int) -> list[str]:
    """Phrases of 2 and 3 consecutive words of the stored texts (a seeded pick), some with the exact-form marker."""
    rng = random.Random(20190215)
    texts = [a.text for a in kb.articles()]
    found: list[str] = []
    while len(found) < count:
        tokens = words(rng.choice(texts))
        length = rng.choice((2, 2, 2, 3))
        at = rng.randrange(len(tokens) - length)
        phrase = " ".join(tokens[at : at + length])
        found.append(f'="{phrase}"' if rng.random() < 0.15 else f'"{phrase}"')
    return found


def answers(kb: KnowledgeBase, queries: list[str]) -> dict[str, tuple[frozenset[str], int]]:
    out = {}
    for query in queries:
        hits, total = kb.search_with_total(query, limit=1000)
        out[query] = (frozenset(h.article_id for h in hits), total)
    return out


def test_phrase_pairs_match_exactly_what_positions_match(news_kb: KnowledgeBase) -> None:
    # This module's own seeds + NDT archive on each backend (the rebuild reads the store); its index is put back.
    news = news_kb
    queries = phrases_from(news, 400)
    # Inflected forms of common words take the stem pairs ("for store" also finds "for stor", "for stort").
    queries += [
        '"for store"',
        '"ikke noe"',
        '"det er ikke"',
        '"i fjor"',
        '"av en"',
        '"for å"',
        '"utenriksminister Børge Brende"',
    ]
    assert news.index.pairs is None
    before = answers(news, queries)
    news.reindex(phrase_pairs=True)
    assert news.index.pairs is not None
    paired = [q for q in queries if news.index._pair_query(parse_query(q).clauses[0].alternatives[0]) is not None]
    # About a third of the phrases of news text are all common words; the rest keep the positional query.
    assert len(paired) > len(queries) // 5
    assert any(len(parse_query(q).clauses[0].alternatives[0].words) == 3 for q in paired)
    assert any(stem(w) != w for q in paired for w in parse_query(q).clauses[0].alternatives[0].words)
    after = answers(news, queries)
    assert after == before
    assert sum(1 for q in paired if before[q][1] > 0) > len(paired) // 2  # the paired phrases do find articles
    # Back to positions only: the same again.
    news.reindex(phrase_pairs=False)
    assert news.index.pairs is None and answers(news, queries[:50]) == {q: before[q] for q in queries[:50]}


def test_pair_tokens_follow_the_index_word_split() -> None:
    pairs = PhrasePairs(["det", "er", "ikk", "for", "stor", "og", "han"])
    written, stemmed = pairs.tokens("Det er, sa han, ikke for store – og «for» stort.\nOg det")
    # "sa" and "stort" (stem "stort") are not common: they break the chain; punctuation and line breaks do not.
    assert written.split() == ["det_er", "han_ikke", "ikke_for", "for_store", "store_og", "og_for", "og_det"]
    assert stemmed.split() == ["det_er", "han_ikk", "ikk_for", "for_stor", "stor_og", "og_for", "og_det"]


def test_shipped_common_stems_are_the_commonest_function_words() -> None:
    stems = shipped_common_stems()
    assert len(stems) == 300 and len(set(stems)) == 300
    assert {"og", "i", "det", "er", "for", "å", "av", "en"} <= set(stems[:20])


def test_ingest_into_a_pair_index_adds_the_pairs(tmp_path: Path, seeds_dir: Path, ndt_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "p.db")
    kb.reindex(phrase_pairs=True)  # an empty store's index, with pairs: the ingest below must fill them
    assert kb.ingest([seeds_dir, ndt_path], analyze=False).stored == 311
    for first, second in (("for", "å"), ("det", "er"), ("ikke", "noe")):
        query = f'"{first} {second}"'
        assert kb.index._pair_query(parse_query(query).clauses[0].alternatives[0]) is not None
        # A phrase whose words are their own stems matches them as written, any other through their stems.
        form = (lambda w: w) if (stem(first), stem(second)) == (first, second) else stem
        wanted = (form(first), form(second))
        expected = set()
        for article in kb.articles():
            said = [form(w) for w in words(f"{article.title}\n{article.text}" if article.title else article.text)]
            if any(pair == wanted for pair in zip(said, said[1:], strict=False)):
                expected.add(article.id)
        hits, total = kb.search_with_total(query, limit=1000)
        assert len(expected) > 5 and total == len(expected) and {h.article_id for h in hits} == expected
    kb.close()


def test_an_index_keeps_its_choice_and_its_list(tmp_path: Path, seeds_dir: Path) -> None:
    kb = KnowledgeBase(tmp_path / "s.db")
    kb.ingest([seeds_dir], analyze=False)
    queries = ['"for å"', '"utenriksminister Børge Brende"', '"sier at"', '"det er"', '"at det"']
    plain = answers(kb, queries)
    assert all(total > 0 for _, total in plain.values())
    kb.reindex(phrase_pairs=True)
    listed = kb.index_path / PHRASE_PAIRS_FILE
    # The index keeps the list it was built with: a later shipped list cannot make it inconsistent.
    assert listed.read_text(encoding="utf-8").split() == list(shipped_common_stems())
    kb.close()
    with pytest.raises(StoreError, match="holds phrase pairs"):
        SearchIndex(tmp_path / "s.db.index", phrase_pairs=False)
    reopened = KnowledgeBase(tmp_path / "s.db")
    assert reopened.index.pairs is not None and answers(reopened, queries) == plain
    reopened.reindex()  # no choice given: keeps pairs
    assert reopened.index.pairs is not None
    reopened.close()
    result = CliRunner().invoke(app, ["reindex", "--db", str(tmp_path / "s.db"), "--no-phrase-pairs"])
    assert result.exit_code == 0, result.output
    assert "indexed 2 articles" in result.output and not listed.exists()
    with pytest.raises(StoreError, match="does not hold phrase pairs"):
        SearchIndex(tmp_path / "s.db.index", phrase_pairs=True)
    result = CliRunner().invoke(app, ["reindex", "--db", str(tmp_path / "s.db"), "--phrase-pairs"])
    assert result.exit_code == 0, result.output
    assert listed.exists()
    with KnowledgeBase(tmp_path / "s.db") as again:
        assert again.index.pairs is not None and answers(again, queries) == plain
