"""Quotes on the seeds and on the hard cases Norwegian news is full of, with the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sporbar.analyze.extractors.quotes import extract_quotes
from sporbar.analyze.language_model import load
from sporbar.analyze.pipeline import with_extractors
from sporbar.api import KnowledgeBase
from sporbar.models import Quote

from ..conftest import Archives, db_args, seed_article_ids


@pytest.fixture(scope="module")
def nlp() -> Language:
    return with_extractors(load())


@pytest.fixture(scope="module")
def seeds_kb(module_archives: Archives, seeds_dir: Path) -> KnowledgeBase:
    archive = module_archives.open("quotes")
    archive.ingest([seeds_dir])
    return archive


def quotes_in(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    assert doc._.quotes == extract_quotes(doc)  # the component and the pure function agree
    return list(doc._.quotes)


def find(quotes: list, words: str) -> dict | Quote:
    matches = [q for q in quotes if words in (q["text"] if isinstance(q, dict) else q.text)]
    assert matches, f"no quote contains {words!r}"
    return matches[0]


def test_quotes_seed_role_noun_and_pronoun_speakers(seeds_kb: KnowledgeBase) -> None:
    ids = seed_article_ids(seeds_kb)
    quotes = seeds_kb.quotes(article_id=ids["2019-02"])
    pompeo = find(quotes, "IS er fremdeles en trussel")
    assert (pompeo["speaker"], pompeo["speaker_mention"], pompeo["cue"]) == ("Mike Pompeo", "utenriksministeren", "sa")
    trump = find(quotes, "Kampen mot terrorisme er noe vi må gjøre sammen")
    assert (trump["speaker"], trump["speaker_mention"]) == ("Donald Trump", "presidenten")
    department = find(quotes, "De forente amerikanske stater ber alle nasjoner")
    assert department["speaker_mention"] == "departementet" and department["cue"] == "skriver"
    assert "utenriksdepartementet" in department["speaker"].lower()
    urged = find(quotes, "hente hjem og straffeforfølge fremmedkrigere")
    assert (urged["kind"], urged["speaker"], urged["speaker_mention"]) == ("indirect", "Mike Pompeo", "han")
    enstad = find(quotes, "Fremmedkrigere som kommer hjem til Norge")
    assert (enstad["speaker"], enstad["addressee"]) == ("Kristin Enstad", "TV 2")


def test_quotes_seed_surname_resolves_to_full_name_with_addressee(seeds_kb: KnowledgeBase) -> None:
    ids = seed_article_ids(seeds_kb)
    quotes = seeds_kb.quotes(article_id=ids["2017-03"])
    tillerson = find(quotes, "Nesten alle Bagdhadis nestledere er drept")
    assert (tillerson["speaker"], tillerson["cue"], tillerson["addressee"]) == ("Tillerson", "sa", "delegatene")
    assert tillerson["text"].endswith("møter samme skjebne")
    brende = find(quotes, "Norge bidrar betydelig både i Anbar-provinsen")
    assert (brende["speaker"], brende["speaker_mention"], brende["cue"]) == ("Børge Brende", "Brende", "slår fast")
    assert brende["text"].endswith("større militære bidrag")


def test_quotes_seed_ifolge(seeds_kb: KnowledgeBase) -> None:
    ids = seed_article_ids(seeds_kb)
    quotes = seeds_kb.quotes(article_id=ids["2017-03"])
    plans = find(quotes, "ingen planer om å trappe opp den militære innsatsen")
    assert (plans["kind"], plans["speaker"], plans["cue"]) == ("indirect", "Børge Brende", "i følge")


def test_quotes_offsets_point_at_the_quote_and_the_speaker(seeds_kb: KnowledgeBase) -> None:
    for article in seeds_kb.articles():
        for quote in seeds_kb.quotes(article_id=article.id):
            assert article.text[quote["start"] : quote["end"]] == quote["text"]
            if quote["speaker_start"] is not None:
                assert article.text[quote["speaker_start"] : quote["speaker_end"]] == quote["speaker_mention"]
            assert quote["date"] == article.date.value


def test_quotes_multi_paragraph_dash_quotes_continue_the_speaker(nlp: Language) -> None:
    text = (
        "Ordfører Marianne Borgen (SV) var tydelig på møtet.\n\n"
        "– Vi kan ikke vente lenger. Byen trenger flere boliger nå, sier Borgen til Aftenposten.\n\n"
        "– Det handler om folk som ikke har råd til å bo her.\n\n"
        "– Og vi har et ansvar for dem, fortsatte hun."
    )
    quotes = quotes_in(nlp, text)
    assert [q.text for q in quotes] == [
        "Vi kan ikke vente lenger. Byen trenger flere boliger nå",
        "Det handler om folk som ikke har råd til å bo her.",
        "Og vi har et ansvar for dem",
    ]
    assert {q.speaker for q in quotes} == {"Marianne Borgen"}
    assert quotes[0].addressee == "Aftenposten"
    assert quotes[1].cue is None and quotes[1].speaker_mention is None


def test_quotes_attribution_before_the_quote(nlp: Language) -> None:
    text = "Trener Kjetil Rekdal sier:\n\n– Dette var den beste kampen vi har spilt i år."
    (quote,) = quotes_in(nlp, text)
    assert quote.text == "Dette var den beste kampen vi har spilt i år."
    assert quote.speaker == "Kjetil Rekdal"


def test_quotes_guillemets_with_nested_quote(nlp: Language) -> None:
    text = "«Vi kaller det «en ny start» for hele regionen, og vi mener det», skriver departementet i en pressemelding."
    (quote,) = quotes_in(nlp, text)
    assert quote.text == "Vi kaller det «en ny start» for hele regionen, og vi mener det"
    assert quote.cue == "skriver" and quote.speaker_mention == "departementet"


def test_quotes_dash_list_is_not_a_quote(nlp: Language) -> None:
    text = "Dette trenger du:\n\n– 2 dl melk\n\n– 3 egg\n\n– 1 ts salt\n\nRør alt sammen og stek i ti minutter."
    assert quotes_in(nlp, text) == []


def test_quotes_scare_quotes_and_titles_are_not_quotes(nlp: Language) -> None:
    text = (
        "Regjeringen kaller planen en «reform», men opposisjonen er skeptisk.\n\n"
        'Filmen "Kon-Tiki" ble vist på kino i hele landet.'
    )
    assert quotes_in(nlp, text) == []


def test_quotes_reported_speech_with_object_and_om_at(nlp: Language) -> None:
    text = "Statsminister Erna Solberg forsikret Stortinget om at regjeringen vil legge fram en ny plan før sommeren."
    (quote,) = quotes_in(nlp, text)
    assert quote.kind == "indirect"
    assert quote.text == "regjeringen vil legge fram en ny plan før sommeren"
    assert (quote.speaker, quote.cue) == ("Erna Solberg", "forsikret")


def test_quotes_cli_filters_and_eval(seeds_kb: KnowledgeBase) -> None:
    import json

    from typer.testing import CliRunner

    from sporbar.interfaces.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["quotes", "--speaker", "Pompeo", *db_args(seeds_kb), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["speaker"] == "Mike Pompeo" for r in rows)
    assert {r["date"] for r in rows} == {"2019-02"}
    result = runner.invoke(app, ["quotes", "--from", "2018", "--query", "fremmedkrigere", *db_args(seeds_kb), "--json"])
    assert all("fremmedkrigere" in r["text"].lower() for r in json.loads(result.output))
    gold = Path(__file__).resolve().parents[2] / "eval" / "quotes-dev.jsonl"
    result = runner.invoke(app, ["eval", "quotes", "--gold", str(gold), *db_args(seeds_kb), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    # Only the two seeds are in this store: the NDT gold articles are reported as missing, not scored.
    assert scores["articles"] == 30 and len(scores["missing_articles"]) == 28
    assert scores["all"]["gold"] == 21
    assert scores["direct"]["f1"] >= 0.9 and scores["all"]["f1"] >= 0.8


def test_quotes_never_end_in_a_line_break_and_inverted_subjects_are_people(seeds_kb: KnowledgeBase) -> None:
    for article in seeds_kb.articles():
        for quote in seeds_kb.quotes(article_id=article.id):
            assert quote["text"] == quote["text"].strip() and not quote["text"].endswith((".", ","))
    ids = seed_article_ids(seeds_kb)
    claim = find(seeds_kb.quotes(article_id=ids["2019-02"]), "amerikanerne i aller høyeste grad")
    assert claim["speaker"] == "Mike Pompeo"  # "sa USAs utenriksminister Mike Pompeo at …": not USA
