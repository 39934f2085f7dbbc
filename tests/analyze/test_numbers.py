"""Numbers on the seeds and on the figures Norwegian news is full of, with the shipped model.

``about`` is the counted thing as the text writes it (surface form, not lemma).
Each expected figure is (text, value, unit, about, qualifier, kind).
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sporbar.analyze.extractors.numbers import EXTRACTOR, Number, NumberExtractor, extract_numbers
from sporbar.analyze.language_model import load
from sporbar.analyze.pipeline import with_extractors
from sporbar.read.documents import repair_export_artefacts

Expected = tuple[str, float | None, str | None, str | None, str | None, str]

# Sentences of the two seed articles, with every figure in them (issue 6, "Done when").
SEED_SENTENCES: list[tuple[str, list[Expected]]] = [
    (
        "Ministre fra mer enn 60 ulike land deltar, blant dem utenriksminister Børge Brende (H).",
        [("mer enn 60", 60.0, "count", "land", "over", "count")],
    ),
    (
        "De 68 medlemmene i koalisjonen består av 65 land og tre organisasjoner: EU, Interpol og Den arabiske liga.",
        [
            ("68", 68.0, "count", "medlemmene", None, "count"),
            ("65", 65.0, "count", "land", None, "count"),
            ("tre", 3.0, "count", "organisasjoner", None, "count"),
        ],
    ),
    (
        "Men flere er skeptiske til om dette er mulig og viser til erfaringene fra Srebrenica under Bosnia-krigen i 1993.",
        [("1993", 1993.0, None, None, None, "year")],
    ),
    (
        "Der ble 8000 muslimske bosnjaker drept i en massaker til tross for at FN erklærte Srebrenica for en såkalt sikker sone.",
        [("8000", 8000.0, "count", "bosnjaker", None, "count")],
    ),
    (
        "USA vil stå for 75 % av ressursene i den militære kampen, og 25 % av ressursene til sivile formål, sa Tillerson i sin tale.",
        [
            ("75 %", 75.0, "percent", "ressursene", None, "percent"),
            ("25 %", 25.0, "percent", "ressursene", None, "percent"),
        ],
    ),
    (
        "Mer enn 800 fremmedkrigere sitter nå som fanger i Syria.",
        [("Mer enn 800", 800.0, "count", "fremmedkrigere", "over", "count")],
    ),
    (
        "Av de omlag 100 norske borgerne som har reist ut, antar myndighetene at cirka 30 er igjen i Syria og Irak.",
        [
            ("omlag 100", 100.0, "count", "borgerne", "approx", "count"),
            ("cirka 30", 30.0, "count", "borgerne", "approx", "count"),  # the 30 are some of the 100
        ],
    ),
    (
        "Det er første gang siden 2014 at hele koalisjonen mot IS møtes.",
        [
            ("første", 1.0, None, "gang", None, "ordinal"),
            ("2014", 2014.0, None, None, None, "year"),  # a year, not a count
        ],
    ),
]

# One figure each: the sentence, then the figure expected in it.
FIGURES: list[tuple[str, Expected]] = [
    # digits, separators, scale words
    ("Totalt 8 000 mennesker har fått svar.", ("8 000", 8000.0, "count", "mennesker", None, "count")),
    ("Rundt 8.000 tilskuere så kampen.", ("Rundt 8.000", 8000.0, "count", "tilskuere", "approx", "count")),
    (
        "Befolkningen er på 5,3 millioner innbyggere.",
        ("5,3 millioner", 5_300_000.0, "count", "innbyggere", None, "count"),
    ),
    # number words
    (
        "Nesten tjuefem tusen mistet jobben i fjor.",
        ("Nesten tjuefem tusen", 25_000.0, "count", None, "nearly", "count"),
    ),
    (
        "Opptil to hundre og femti mennesker kan ha omkommet, opplyser politiet.",
        ("Opptil to hundre og femti", 250.0, "count", "mennesker", "up_to", "count"),
    ),
    (
        "I fjor kom det halvannen million turister til landet.",
        ("halvannen million", 1_500_000.0, "count", "turister", None, "count"),
    ),
    ("Minst 12 personer ble skadet i ulykken.", ("Minst 12", 12.0, "count", "personer", "at_least", "count")),
    ("Over 2000 mennesker deltok i protestene.", ("Over 2000", 2000.0, "count", "mennesker", "over", "count")),
    ("Mellom 20-30 personer demonstrerte utenfor Stortinget.", ("20-30", 20.0, "count", "personer", "range", "count")),
    # a count that stands alone counts what a larger count before it counted
    (
        "I 2016 kom det halvannen million turister, og over 2000 av dem kom fra Kina.",
        ("over 2000", 2000.0, "count", "turister", "over", "count"),
    ),
    # percentages and money
    ("Arbeidsledigheten steg til 4,2 prosent i fjor.", ("4,2 prosent", 4.2, "percent", None, None, "percent")),
    ("Renten økte med 3,5 prosentpoeng.", ("3,5 prosentpoeng", 3.5, "percentage_point", None, None, "percent")),
    ("Kontrakten er verdt 2,5 millioner kroner.", ("2,5 millioner kroner", 2_500_000.0, "NOK", None, None, "money")),
    ("Billetten kostet 250 kroner.", ("250 kroner", 250.0, "NOK", None, None, "money")),
    ("Han betalte kr 500 for billetten.", ("kr 500", 500.0, "NOK", None, None, "money")),
    ("Selskapet tapte 3 milliarder dollar i fjor.", ("3 milliarder dollar", 3e9, "USD", None, None, "money")),
    ("Konkurrenten tjente 450 millioner euro.", ("450 millioner euro", 450e6, "EUR", None, None, "money")),
    (
        "Underskuddet var på 85 milliarder danske kroner.",
        ("85 milliarder danske kroner", 85e9, "DKK", None, None, "money"),
    ),
    # years
    ("Hun flyttet til Oslo i 2005.", ("2005", 2005.0, None, None, None, "year")),
    ("Siden høsten 2010 har direktoratet samarbeidet med politiet.", ("2010", 2010.0, None, None, None, "year")),
    ("Rundt 1990 flyttet familien til Oslo.", ("Rundt 1990", 1990.0, None, None, "approx", "year")),
    ("På 1990-tallet vokste byen.", ("1990-tallet", 1990.0, None, None, None, "year")),
    ("Saken gjelder perioden 1998–2008.", ("1998–2008", 1998.0, None, None, "range", "year")),
    # dates and clock times
    ("Møtet ble holdt 17. mars 2017 i Washington.", ("17. mars 2017", None, None, None, None, "date")),
    ("Fristen er 17.03.2017.", ("17.03.2017", None, None, None, None, "date")),
    ("Det skjedde 22. juli.", ("22. juli", None, None, None, None, "date")),
    ("Møtet starter kl. 14.30 i morgen.", ("kl. 14.30", 14.5, None, None, None, "time")),
    ("Presidentskapet møtes klokken 13 tirsdag.", ("klokken 13", 13.0, None, None, None, "time")),
    # ordinals
    ("Det var 20. gang løpet ble arrangert.", ("20.", 20.0, None, "gang", None, "ordinal")),
    ("Hun kom på tredje plass i rennet.", ("tredje", 3.0, None, "plass", None, "ordinal")),
    ("For andre gang på kort tid stiller han.", ("andre", 2.0, None, "gang", None, "ordinal")),
    # ages
    ("Firooza Mushteri (24) kom til Norge i fjor.", ("24", 24.0, "year", "Firooza Mushteri", None, "age")),
    ("24-åringen ble pågrepet i natt.", ("24-åringen", 24.0, "year", None, None, "age")),
    ("Han er nå 45 år gammel.", ("45 år gammel", 45.0, "year", None, None, "age")),
    # scores
    ("Rosenborg vant 3–0 over Molde i går.", ("3–0", None, None, None, None, "score")),
    ("Kampen endte 1-1 etter en jevn omgang.", ("1-1", None, None, None, None, "score")),
    ("Det ble 3-0-seier til Vålerenga.", ("3-0", None, None, None, None, "score")),
    # measures and durations
    ("Han har sittet i fengsel i 10 år.", ("10 år", 10.0, "year", None, None, "measure")),
    ("Gutten ble funnet etter fire timer.", ("fire timer", 4.0, "hour", None, None, "measure")),
    ("Hytta ligger 100 meter fra vannet.", ("100 meter", 100.0, "m", None, None, "measure")),
]

# Sentences with words that look like figures and are not.
NO_FIGURES: list[str] = [
    "Han fikk en klem av lagkameraten etter kampen.",  # "en" is the article
    "Et tre falt over veien i natt.",  # "tre" is a tree
    "De andre kandidatene trakk seg.",  # "andre" is "other"
    "Han snakket med TV 2 om saken.",  # a channel's name
    "Koden er 3D og nummeret 22334455667788990011.",  # a code and an identifier
    "«You're screaming yourself to sleep, and your blood dripping to the ground», synger bandet.",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    # The pipeline ingest uses: the shipped model with sporbar's sentence and entity rules.
    return with_extractors(load())


def numbers_in(nlp: Language, text: str) -> list[Number]:
    doc = nlp(text)
    numbers = extract_numbers(doc)
    assert NumberExtractor()(doc)._.numbers == numbers  # the component and the pure function agree
    for number in numbers:
        assert number.text == doc.text[number.start : number.end]
    return numbers


def as_tuple(number: Number) -> Expected:
    return (number.text, number.value, number.unit, number.about, number.qualifier, number.kind)


@pytest.mark.parametrize(("sentence", "expected"), SEED_SENTENCES)
def test_numbers_seed_sentences(nlp: Language, sentence: str, expected: list[Expected]) -> None:
    assert [as_tuple(n) for n in numbers_in(nlp, sentence)] == expected


@pytest.mark.parametrize(("sentence", "expected"), FIGURES)
def test_numbers_figure_kinds(nlp: Language, sentence: str, expected: Expected) -> None:
    found = {n.text: as_tuple(n) for n in numbers_in(nlp, sentence)}
    assert found.get(expected[0]) == expected, f"in {sentence!r} found {sorted(found.values(), key=str)}"


@pytest.mark.parametrize("sentence", NO_FIGURES)
def test_numbers_lookalikes_are_not_figures(nlp: Language, sentence: str) -> None:
    assert numbers_in(nlp, sentence) == []


def seed_text(path: Path) -> str:
    """The stored text of a seed article: without its date line, with export artefacts repaired."""
    raw = path.read_text(encoding="utf-8")
    return repair_export_artefacts(re.sub(r"^\s*date \S+\s*", "", raw)).strip()


def test_numbers_seed_articles_give_the_issue_facts(nlp: Language, seeds_dir: Path) -> None:
    found = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        text = seed_text(path)
        for number in numbers_in(nlp, text):
            assert text[number.start : number.end] == number.text
            found.add((number.text, number.value, number.about, number.qualifier, number.kind))
    facts = {
        ("68", 68.0, "medlemmene", None, "count"),
        ("65", 65.0, "land", None, "count"),
        ("tre", 3.0, "organisasjoner", None, "count"),
        ("mer enn 60", 60.0, "land", "over", "count"),
        ("8000", 8000.0, "bosnjaker", None, "count"),
        ("1993", 1993.0, None, None, "year"),
        ("2014", 2014.0, None, None, "year"),
        ("75 %", 75.0, "ressursene", None, "percent"),
        ("25 %", 25.0, "ressursene", None, "percent"),
        ("Mer enn 800", 800.0, "fremmedkrigere", "over", "count"),
        ("omlag 100", 100.0, "borgerne", "approx", "count"),
        ("cirka 30", 30.0, "borgerne", "approx", "count"),
    }
    assert facts <= found, f"missing: {facts - found}"


def test_numbers_component_is_registered_and_works_without_a_parse() -> None:
    blank = spacy.blank("nb")
    blank.add_pipe(EXTRACTOR)
    doc = blank("Mer enn 800 fremmedkrigere sitter nå som fanger, og 75 % av ressursene går til USA.")
    assert doc._.numbers == extract_numbers(doc)
    assert [as_tuple(n) for n in doc._.numbers] == [
        ("Mer enn 800", 800.0, "count", "fremmedkrigere", "over", "count"),
        ("75 %", 75.0, "percent", "ressursene", None, "percent"),
    ]


def test_numbers_empty_and_blank_documents(nlp: Language) -> None:
    assert extract_numbers(nlp.make_doc("")) == []
    assert numbers_in(nlp, "   \n\n  ") == []


# -- pathological inputs: finish, in time linear in the text --------------------------------


def _digit_line(size: int) -> str:
    chars = "0123456789  .,-–:/%"
    rng = random.Random(6)
    return "".join(rng.choice(chars) for _ in range(size))


PATHOLOGICAL: list[tuple[str, object]] = [
    ("digits and separators", _digit_line),
    ("eights", lambda size: " ".join(["8"] * (size // 2))),
    ("one long number", lambda size: "1" * size),
    ("thousands groups", lambda size: " ".join(["123"] * (size // 4))),
    ("number words", lambda size: " ".join(["tre hundre og"] * (size // 14))),
    ("figures in prose", lambda size: "Mer enn 800 fremmedkrigere, 8 000 kroner og 75 % i 2014. " * (size // 58)),
]


def _extraction_seconds(tokenizer: Language, text: str) -> float:
    doc: Doc = tokenizer.make_doc(text)
    started = time.process_time()
    extract_numbers(doc)
    return time.process_time() - started


@pytest.mark.parametrize(("name", "make"), PATHOLOGICAL, ids=[name for name, _ in PATHOLOGICAL])
def test_numbers_pathological_inputs_finish_in_linear_time(name: str, make: object) -> None:
    tokenizer = spacy.blank("nb")  # the extractor's time, not the parser's
    small = _extraction_seconds(tokenizer, make(50_000))  # type: ignore[operator]
    large = _extraction_seconds(tokenizer, make(200_000))  # type: ignore[operator]
    assert large < 2 * 0.5, f"{name}: {large:.2f} s for 200 kB"  # well under a second per 100 kB
    assert large < 8 * small + 0.1, f"{name}: {small:.3f} s for 50 kB but {large:.3f} s for 200 kB"


def test_numbers_pathological_input_through_the_shipped_pipeline(nlp: Language) -> None:
    text = " ".join(["8"] * 1000) + "\n" + _digit_line(2000) + "\nMer enn 800 fremmedkrigere sitter nå som fanger."
    numbers = numbers_in(nlp, text)
    assert [n.text for n in numbers] == ["Mer enn 800"]
