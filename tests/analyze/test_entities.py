"""Entity resolution: one entity per real-world thing, within and across articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sporbar.api import KnowledgeBase
from sporbar.models import Mention
from sporbar.resolve.entities import resolve_mentions

from ..conftest import Archives, seed_article_ids


@pytest.fixture(scope="module")
def seeds_kb(module_archives: Archives, seeds_dir: Path) -> KnowledgeBase:
    archive = module_archives.open("entities")
    archive.ingest([seeds_dir])
    return archive


def canonical_by_text(kb: KnowledgeBase, article_id: str) -> dict[str, str | None]:
    return {m.text: m.canonical for m in kb.mentions(article_id)}


def test_entities_surnames_and_genitives_join_the_full_name(seeds_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(seeds_kb)
    old, new = canonical_by_text(seeds_kb, seeds["2017-03"]), canonical_by_text(seeds_kb, seeds["2019-02"])
    assert old["Brende"] == "Børge Brende"
    assert new["Pompeo"] == "Mike Pompeo"
    assert new.get("USAs", "USA") == "USA"


def test_entities_join_across_articles_and_years(seeds_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(seeds_kb)
    trump_ids = {m.entity_id for a in seeds.values() for m in seeds_kb.mentions(a) if m.canonical == "Donald Trump"}
    assert len(trump_ids) == 1
    profile = seeds_kb.entity("Trump")
    assert (profile["canonical"], profile["articles"]) == ("Donald Trump", 2)
    assert seeds_kb.entity("Pompeo")["roles"][0]["role"] == "utenriksminister"


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        ([("Abu Bakr al-Baghdadi", "PER"), ("Bagdhadi", "PER")], ["Abu Bakr al-Baghdadi", "Abu Bakr al-Baghdadi"]),
        ([("Donald Trump", "PER"), ("Trumps", "PER")], ["Donald Trump", "Donald Trump"]),
        ([("ISIS", "ORG"), ("Den islamske staten", "ORG")], ["IS", "IS"]),
        # A known name of several words is the organisation even when the NER took it for a person;
        # a one-word alias is not ("Amerika" may be a name).
        ([("Islamske Stats", "PER"), ("IS", "ORG")], ["IS", "IS"]),
        ([("Amerika", "PER")], ["Amerika"]),
        ([("Ap", "ORG"), ("Frp", "ORG")], ["Arbeiderpartiet", "Fremskrittspartiet"]),
        ([("Stortinget", "ORG"), ("Stortingets", "ORG")], ["Stortinget", "Stortinget"]),
        ([("Hannah Jones", "PER"), ("Hannah", "PER")], ["Hannah Jones", "Hannah Jones"]),
        # A full name in the genitive is the person when the article also uses the surname alone.
        ([("Kari Nordmanns", "PER"), ("Nordmann", "PER"), ("Kari", "PER")], ["Kari Nordmann"] * 3),
        ([("Ingrid", "PER"), ("Ingrids", "PER")], ["Ingrid", "Ingrid"]),
        # Party abbreviations written with dots or in the genitive, and an apostrophe genitive.
        ([("Sp.s", "ORG"), ("Kr.F.", "ORG"), ("SVs", "ORG"), ("Frp.", "ORG")],
         ["Senterpartiet", "Kristelig Folkeparti", "Sosialistisk Venstreparti", "Fremskrittspartiet"]),
        ([("Los Angeles", "GPE_LOC"), ("Los Angeles'", "GPE_LOC")], ["Los Angeles", "Los Angeles"]),
        # A shorter form of a fuller name in the article is that name, however often it is used.
        ([("Nils Arne Berg", "PER"), ("Arne Berg", "PER"), ("Arne Berg", "PER"), ("Berg", "PER")], ["Nils Arne Berg"] * 4),
        # Two people share a surname: the bare surname is the one mentioned most (not the longest name).
        ([("Ola Martin Hansen", "PER"), ("Kari Hansen", "PER"), ("Kari Hansen", "PER"), ("Hansen", "PER")],
         ["Ola Martin Hansen", "Kari Hansen", "Kari Hansen", "Kari Hansen"]),
        # Spelling conventions join (aa/å, doubled letters); different letters do not.
        ([("Per Aasen", "PER"), ("Per Aasen", "PER"), ("Per Åsen", "PER")], ["Per Aasen"] * 3),
        ([("Johann Lie", "PER"), ("Johan Lie", "PER")], ["Johann Lie", "Johann Lie"]),
        ([("Ole Hansen", "PER"), ("Ole Jansen", "PER")], ["Ole Hansen", "Ole Jansen"]),
    ],
)
def test_entities_resolve_variants(mentions: list[tuple[str, str]], expected: list[str]) -> None:
    resolved = resolve_mentions([Mention(0, len(t), t, label) for t, label in mentions])
    assert [canonical for _, canonical, _, _ in resolved] == expected


def test_entities_same_surname_in_different_articles_does_not_merge(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "hansen.jsonl"
    records = [
        {"id": "a", "date": "2011-08-25", "text": "Trener Geir Hansen i AaFK gir seg etter sesongen, sier Hansen til avisen."},
        {"id": "b", "date": "2011-09-02", "text": "Statsråd Tove Hansen la fram budsjettet. Hansen sier at budsjettet er stramt."},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    kb.ingest([path])
    first = {m.canonical for m in kb.mentions("a") if m.label == "PER"}
    second = {m.canonical for m in kb.mentions("b") if m.label == "PER"}
    assert "Geir Hansen" in first and "Tove Hansen" in second
    assert not first & second


def _respelled_copy(kb: KnowledgeBase, article_id: str, old: str, new: str, *, record_id: str, date: str) -> dict:
    """Another newsroom's reprint of a seed, its last paragraph cut and one name spelled differently."""
    paragraphs = kb.article(article_id).text.split("\n\n")
    text = "\n\n".join(paragraphs[:-1]).replace(old, new)
    return {"id": record_id, "date": date, "source": "Annen avis", "text": text}


def test_entities_spelling_variants_join_across_articles(module_archives: Archives, seeds_dir: Path, tmp_path: Path) -> None:
    kb = module_archives.open("variants")
    kb.ingest([seeds_dir])
    seeds = seed_article_ids(kb)
    original = {m.text: m for m in kb.mentions(seeds["2017-03"])}["Abu Bakr al-Baghdadi"]
    copy = _respelled_copy(kb, seeds["2017-03"], "al-Baghdadi", "al-Bagdadi", record_id="kopi-1", date="2017-03-23")
    path = tmp_path / "kopi.jsonl"
    path.write_text(json.dumps(copy, ensure_ascii=False) + "\n", encoding="utf-8")
    kb.ingest([path])
    (respelled,) = [m for m in kb.mentions("kopi-1") if m.text == "Abu Bakr al-Bagdadi"]
    # The mention keeps its spelling and offsets; its entity is the seed's.
    assert kb.article("kopi-1").text[respelled.start : respelled.end] == "Abu Bakr al-Bagdadi"
    assert (respelled.canonical, respelled.entity_id) == ("Abu Bakr al-Baghdadi", original.entity_id)


def test_entities_same_surname_in_unrelated_articles_stay_apart(module_archives: Archives, tmp_path: Path, ndt_records: list[dict]) -> None:
    kb = module_archives.open("surnames")
    # Two short real NDT articles about different things, each naming a different Hansen.
    by_id = {r["id"]: r for r in ndt_records}
    first, second = by_id["ndt-sp-bm001-006"], by_id["ndt-db005-001"]  # a football coach; a medical ethics story
    path = tmp_path / "to.jsonl"
    first_text = first["text"] + "\n\nTreneren Geir Hansen kommenterte ikke saken."
    second_text = second["text"] + "\n\nLegen Geir Hanssen sier at han ikke kjenner saken."
    path.write_text(
        "\n".join(json.dumps({**r, "text": t}, ensure_ascii=False) for r, t in ((first, first_text), (second, second_text))) + "\n",
        encoding="utf-8",
    )
    kb.ingest([path])
    names = {m.canonical for a in (first["id"], second["id"]) for m in kb.mentions(a) if m.label == "PER"}
    # Close spellings, but the articles share no story and no rare name: two people.
    assert {"Geir Hansen", "Geir Hanssen"} <= names
