"""Roles on the seeds and on real Norwegian news sentences, with the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sporbar.analyze.extractors.roles import EXTRACTOR, Role, extract_roles, role_base
from sporbar.analyze.language_model import load
from sporbar.lang.nb.titles import NOT_ROLES, PARTIES, ROLE_TITLES
from sporbar.models import RawRecord
from sporbar.read.documents import read_text_document

# (seed date, person, role, org, party, evidence as written)
SEED_ROLES = [
    ("2017-03", "Børge Brende", "utenriksminister", None, "H", "utenriksminister Børge Brende (H)"),
    ("2017-03", "Børge Brende", "utenriksminister", None, None, "Utenriksminister Børge Brende"),
    ("2017-03", "Brende", "utenriksminister", None, None, "utenriksminister Brende"),
    ("2017-03", "Donald Trump", "president", "USA", None, "USAs president Donald Trump"),
    ("2019-02", "Mike Pompeo", "utenriksminister", "USA", None, "USAs utenriksminister Mike Pompeo"),
    ("2019-02", "Ine Eriksen Søreide", "utenriksminister", "Norge", None, "Norges utenriksminister Ine Eriksen Søreide"),
    (
        "2019-02",
        "Kristin Enstad",
        "kommunikasjonssjef",
        "Utenriksdepartementet",
        None,
        "konstituert kommunikasjonssjef for Utenriksdepartementet, Kristin Enstad",
    ),
    ("2019-02", "Tor Mikkel Wara", "justisminister", None, "Frp", "Justisminister Tor Mikkel Wara (Frp)"),
    ("2019-02", "Donald Trump", "president", None, None, "president Donald Trump"),
]

# Role nouns that refer back to a person the article named with that role:
# (seed date, role noun as written, person, role, org)
SEED_REFERENCES = [
    ("2019-02", "sa utenriksministeren", "Mike Pompeo", "utenriksminister", "USA"),
    ("2019-02", "sa presidenten", "Donald Trump", "president", None),
]

# (sentence from Norwegian news, the roles stated in it: (person, role, org, party, evidence))
SENTENCES = [
    (
        "Eiendomsmegler Andreas Jølstad i ABCenter Fritid tror det blir tyngre å selge i populære Blindleia.",
        {("Andreas Jølstad", "eiendomsmegler", "ABCenter Fritid", None, "Eiendomsmegler Andreas Jølstad i ABCenter Fritid")},
    ),
    (
        "Tonje Gjevjon, styreleder i Boa (Bildekunstnerne i Oslo og Akershus), mener at koplingen mellom dårlig "
        "økonomi og kvalitet er feil.",
        {("Tonje Gjevjon", "styreleder", "Boa", None, "Tonje Gjevjon, styreleder i Boa")},
    ),
    (
        "Thommessen, som også er styreleder i Foreningen Norden, mener det er viktig å bevare felles språklige plattformer.",
        {("Thommessen", "styreleder", "Foreningen Norden", None, "Thommessen, som også er styreleder i Foreningen Norden")},
    ),
    (
        "Knut Arild Hareide, som er leder i KrF, vil ikke svare.",
        {("Knut Arild Hareide", "leder", "KrF", None, "Knut Arild Hareide, som er leder i KrF")},
    ),
    (
        "Leder i Vigrid, Thorgrim Bredesen, ble pågrepet i går.",
        {("Thorgrim Bredesen", "leder", "Vigrid", None, "Leder i Vigrid, Thorgrim Bredesen")},
    ),
    (
        "Samferdselsbyråd Ola Elvestuen (V) sier at han er klar over uenighetene.",
        {("Ola Elvestuen", "samferdselsbyråd", None, "V", "Samferdselsbyråd Ola Elvestuen (V)")},
    ),
    (
        "Det er viktig at vi ikke glemmer de eldre, sier stortingsrepresentant Jette Christensen (Ap).",
        {("Jette Christensen", "stortingsrepresentant", None, "Ap", "stortingsrepresentant Jette Christensen (Ap)")},
    ),
    (
        "14.07: Jan Bøhler (Ap) stiller flere spørsmål om helikopterberedskapen.",
        {("Jan Bøhler", "politiker", None, "Ap", "Jan Bøhler (Ap)")},
    ),
    (
        "Egil Stenshagen, daglig leder i Stenshagen Bil, og salgssjef Tommy Harland sier kundene er lite opptatt av miljøet.",
        {
            ("Egil Stenshagen", "daglig leder", "Stenshagen Bil", None, "Egil Stenshagen, daglig leder i Stenshagen Bil"),
            ("Tommy Harland", "salgssjef", None, None, "salgssjef Tommy Harland"),
        },
    ),
    (
        "Kringkastingssjef Hans-Tore Bjerkaas sier at NRK skal spare penger.",
        {("Hans-Tore Bjerkaas", "kringkastingssjef", None, None, "Kringkastingssjef Hans-Tore Bjerkaas")},
    ),
    (
        "Det gleder vi oss til, sier Frps ordførerkandidat i Trondheim, Kristian Dahlberg Hauge.",
        {
            (
                "Kristian Dahlberg Hauge",
                "ordførerkandidat",
                "Frp",
                None,
                "Frps ordførerkandidat i Trondheim, Kristian Dahlberg Hauge",
            )
        },
    ),
    (
        "Vi er åpne for å samarbeide med Ap, sier Venstres førstekandidat i Trondheim, Jon Gunnes.",
        {("Jon Gunnes", "førstekandidat", "Venstre", None, "Venstres førstekandidat i Trondheim, Jon Gunnes")},
    ),
    (
        "Hunden ble funnet av informasjonskonsulent i Energigjenvinningsetaten, Rikke Dahl Monsen.",
        {
            (
                "Rikke Dahl Monsen",
                "informasjonskonsulent",
                "Energigjenvinningsetaten",
                None,
                "informasjonskonsulent i Energigjenvinningsetaten, Rikke Dahl Monsen",
            )
        },
    ),
    (
        "Arne Byrkjeflot, førstekandidat for Rødt og LO-leder i Trondheim, synes ikke noe om at LO-leder Roar Flåthen "
        "i Oslo støtter Ap.",
        {
            ("Arne Byrkjeflot", "førstekandidat", "Rødt", None, "Arne Byrkjeflot, førstekandidat for Rødt"),
            (
                "Arne Byrkjeflot",
                "leder",
                "LO",
                None,
                "Arne Byrkjeflot, førstekandidat for Rødt og LO-leder i Trondheim",
            ),
            ("Roar Flåthen", "leder", "LO", None, "LO-leder Roar Flåthen"),
        },
    ),
    (
        "Han klarte å senke tiden sin, sa landslagssjef Petter Løvberg til NTB.",
        {("Petter Løvberg", "landslagssjef", None, None, "landslagssjef Petter Løvberg")},
    ),
    (
        "Rådgiver Lise Ringstad i Helsedirektoratet sier at rådet står fast.",
        {("Lise Ringstad", "rådgiver", "Helsedirektoratet", None, "Rådgiver Lise Ringstad i Helsedirektoratet")},
    ),
    (
        "Kari Nordmann, som har vært ordfører i Bergen siden 2015, sier nei.",
        {("Kari Nordmann", "ordfører", "Bergen", None, "Kari Nordmann, som har vært ordfører i Bergen")},
    ),
    (
        "Per Hansen er daglig leder i Hansen Bygg.",
        {("Per Hansen", "daglig leder", "Hansen Bygg", None, "Per Hansen er daglig leder i Hansen Bygg")},
    ),
    (
        "Statsminister Jens Stoltenbergs regjering gikk av i 2013.",
        {("Jens Stoltenberg", "statsminister", None, None, "Statsminister Jens Stoltenberg")},
    ),
]

# Royal and clerical titles before a single name, a role in brackets, described roles with a comma before the
# name, "som"/"til" predicates, coordinated names and two roles before one name (ROLES.md).
PATTERN_SENTENCES = [
    (
        "Blant gjestene var kong Harald og dronning Sonja.",
        {("Harald", "konge", None, None, "kong Harald"), ("Sonja", "dronning", None, None, "dronning Sonja")},
    ),
    ("Prins Albert av Monaco åpnet utstillingen.", {("Albert", "prins", "Monaco", None, "Prins Albert")}),
    (
        "Det bekrefter fader Federico Lombardi overfor Reuters.",
        {("Federico Lombardi", "fader", None, None, "fader Federico Lombardi")},
    ),
    ("Nå snakker mullah Krekar ut.", {("Krekar", "mullah", None, None, "mullah Krekar")}),
    (
        "Skipper Thomas Nilsson var fornøyd med seieren.",
        {("Thomas Nilsson", "skipper", None, None, "Skipper Thomas Nilsson")},
    ),
    (
        "Mannskapet besto av Geir Dahl Andersen (taktiker) og Kristoffer Spone (rormann).",
        {
            ("Geir Dahl Andersen", "taktiker", None, None, "Geir Dahl Andersen (taktiker)"),
            ("Kristoffer Spone", "rormann", None, None, "Kristoffer Spone (rormann)"),
        },
    ),
    (
        "Finlands kvinnelige president, Tarja Halonen, var også til stede.",
        {("Tarja Halonen", "president", "Finland", None, "Finlands kvinnelige president, Tarja Halonen")},
    ),
    (
        "VIFs andre talsmann, Christian Kjellsen, er enig.",
        {("Christian Kjellsen", "talsmann", "VIF", None, "VIFs andre talsmann, Christian Kjellsen")},
    ),
    ("Den spanske dronning Sofia kom alene.", {("Sofia", "dronning", "Spania", None, "Den spanske dronning Sofia")}),
    (
        "Også svenskekongen, Carl Gustaf, var invitert.",
        {("Carl Gustaf", "konge", "Sverige", None, "svenskekongen, Carl Gustaf")},
    ),
    (
        "Trond Fredriksen, banens dominerende spiller, scoret to mål.",
        {("Trond Fredriksen", "spiller", None, None, "Trond Fredriksen, banens dominerende spiller")},
    ),
    (
        "Sist gang gjestet António Guterres Norge som Portugals statsminister.",
        {
            (
                "António Guterres",
                "statsminister",
                "Portugal",
                None,
                "António Guterres Norge som Portugals statsminister",
            )
        },
    ),
    (
        "Thorbjørn Jagland overtok som leder av Den Norske Nobelkomiteen i 2009.",
        {
            (
                "Thorbjørn Jagland",
                "leder",
                "Den Norske Nobelkomiteen",
                None,
                "Thorbjørn Jagland overtok som leder av Den Norske Nobelkomiteen",
            )
        },
    ),
    (
        "Barbara Hendricks har arbeidet som goodwill-ambassadør i mange år.",
        {
            (
                "Barbara Hendricks",
                "goodwill-ambassadør",
                None,
                None,
                "Barbara Hendricks har arbeidet som goodwill-ambassadør",
            )
        },
    ),
    (
        "Knut Arild Hareide ble valgt til partileder i 2011.",
        {("Knut Arild Hareide", "partileder", None, None, "Knut Arild Hareide ble valgt til partileder")},
    ),
    (
        "På første rad satt prinsessene Ragnhild og Astrid.",
        {
            ("Ragnhild", "prinsesse", None, None, "prinsessene Ragnhild"),
            ("Astrid", "prinsesse", None, None, "prinsessene Ragnhild og Astrid"),
        },
    ),
    (
        "Festivalen har hatt musikanter som Paul McCartney og Anastacia.",
        {
            ("Paul McCartney", "musikant", None, None, "musikanter som Paul McCartney"),
            ("Anastacia", "musikant", None, None, "musikanter som Paul McCartney og Anastacia"),
        },
    ),
    (
        "Sentrale Ap-politikere som Trond Giske og Jonas Gahr Støre har vært skeptiske.",
        {
            ("Trond Giske", "politiker", "Ap", None, "Ap-politikere som Trond Giske"),
            ("Jonas Gahr Støre", "politiker", "Ap", None, "Ap-politikere som Trond Giske og Jonas Gahr Støre"),
        },
    ),
    (
        "Han ble intervjuet av pastor og bibellærer Bjørn Olav Hansen.",
        {
            ("Bjørn Olav Hansen", "pastor", None, None, "pastor og bibellærer Bjørn Olav Hansen"),
            ("Bjørn Olav Hansen", "bibellærer", None, None, "bibellærer Bjørn Olav Hansen"),
        },
    ),
    (
        "Eks-skøyteløper Geir Karlstad var blant gjestene.",
        {("Geir Karlstad", "skøyteløper", None, None, "Eks-skøyteløper Geir Karlstad")},
    ),
]

# A definite role noun or "han er en …" that gives the only person just named a new role:
# (text, the words as written, person, role)
NEW_ROLE_REFERENCES = [
    (
        "Konferansier Liam Neeson ønsket velkommen. - Dette er en stor dag, sa skuespilleren.",
        "skuespilleren",
        "Liam Neeson",
        "skuespiller",
    ),
    (
        "Paolo Gabriele ble dømt til 18 måneders fengsel. Eksbutleren ble arrestert i mai.",
        "Eksbutleren",
        "Paolo Gabriele",
        "butler",
    ),
    (
        "Ole Torbjørn Farstad står bak festivalen. Selv er han en habil bassist.",
        "han en habil bassist",
        "Ole Torbjørn Farstad",
        "bassist",
    ),
]

# Role nouns that are not linked: someone the named person acts on, and a shortening of a role already stated.
NOT_NEW_ROLE_SENTENCES = [
    ("Kris Stadsgaard hadde hendene rundt den storvokste AaFK-spissen.", set()),
    (
        "Det har vært et trendy navn, fastslår navneforsker Ivar Utne. - Leah har bra klang, sier forskeren.",
        {("Ivar Utne", "navneforsker")},
    ),
]

# Kinship, nationality and descriptions are not roles.
NOT_ROLE_SENTENCES = [
    "Hun flyktet fra Kabul sammen med datteren hennes Firooza i 2015.",
    "Men ifølge nyhetsbyrået AFP sies det at den amerikanske presidenten har gitt militæret løsere tøyler.",
    "Han fikk en klem av lagkameraten Martin Ødegaard etter kampen.",
    "Gjerningsmannen Anders Behring Breivik ble dømt i 2012.",
]

BASE_FORMS = [
    ("utenriksministeren", "utenriksminister"),
    ("presidenten", "president"),
    ("legen", "lege"),
    ("kongen", "konge"),
    ("styremedlemmet", "styremedlem"),
    ("kringkastingssjef", "kringkastingssjef"),
    ("informasjonskonsulent", "informasjonskonsulent"),
    ("avdelingsdirektør", "avdelingsdirektør"),
    ("førstekandidat", "førstekandidat"),
    ("ordførerkandidaten", "ordførerkandidat"),
    ("datteren", None),
    ("lagkamerat", None),
    ("gjerningsmannen", None),
    ("amerikaner", None),
    ("semester", None),
    ("eksbutleren", "butler"),
    ("skipperen", "skipper"),
    ("maktpolitikeren", None),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load()


@pytest.fixture(scope="module")
def seed_docs(nlp: Language, seeds_dir: Path) -> dict[str, Doc]:
    docs = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        (record,) = read_text_document(path.read_text(encoding="utf-8"), str(path), default_date=None)
        assert isinstance(record, RawRecord)
        docs[record.date] = nlp(record.text)
    return docs


def stated(roles: list[Role]) -> set[tuple[str, str, str | None, str | None, str]]:
    return {(r.person, r.role, r.org, r.party, r.text) for r in roles if not r.refers_back}


def assert_offsets(doc: Doc, roles: list[Role]) -> None:
    for role in roles:
        assert doc.text[role.start : role.end] == role.text
        assert doc.text[role.person_start : role.person_end] == role.person
        if not role.refers_back:
            assert role.start <= role.person_start and role.person_end <= role.end


@pytest.mark.parametrize(("date", "person", "role", "org", "party", "evidence"), SEED_ROLES)
def test_roles_seed_statements(
    seed_docs: dict[str, Doc], date: str, person: str, role: str, org: str | None, party: str | None, evidence: str
) -> None:
    doc = seed_docs[date]
    roles = extract_roles(doc)
    assert (person, role, org, party, evidence) in stated(roles)
    match = next(r for r in roles if r.text == evidence and r.person == person)
    assert doc.text.count(evidence) >= 1 and doc.text[match.start : match.end] == evidence
    assert doc.text[match.person_start : match.person_end] == person


@pytest.mark.parametrize(("date", "words", "person", "role", "org"), SEED_REFERENCES)
def test_roles_seed_role_nouns_refer_back(
    seed_docs: dict[str, Doc], date: str, words: str, person: str, role: str, org: str | None
) -> None:
    doc = seed_docs[date]
    noun_start = doc.text.index(words) + len(words.split()[0]) + 1
    found = [r for r in extract_roles(doc) if r.start == noun_start]
    assert len(found) == 1
    (reference,) = found
    assert reference.refers_back and (reference.person, reference.role, reference.org) == (person, role, org)
    assert reference.text == words.split()[-1]
    assert doc.text[reference.person_start : reference.person_end] == person


def test_roles_seed_unnamed_president_is_not_a_role(seed_docs: dict[str, Doc]) -> None:
    doc = seed_docs["2017-03"]
    position = doc.text.index("den amerikanske presidenten")
    sentence_end = doc.text.index(".", position)
    assert not [r for r in extract_roles(doc) if position <= r.start < sentence_end]
    # Every stated role in the seeds has a named person and the right words as evidence.
    for seed in seed_docs.values():
        assert_offsets(seed, extract_roles(seed))


def test_roles_seed_no_role_without_a_named_person(seed_docs: dict[str, Doc]) -> None:
    doc = seed_docs["2019-02"]
    # "Tirsdag snakket USAs utenriksminister til …": a role with no name is not a record.
    opening = doc.text.index("USAs utenriksminister til")
    assert not [r for r in extract_roles(doc) if r.start == opening]
    people = {r.person for r in extract_roles(doc)}
    assert people == {"Mike Pompeo", "Ine Eriksen Søreide", "Kristin Enstad", "Tor Mikkel Wara", "Donald Trump"}


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_roles_sentences(nlp: Language, text: str, expected: set[tuple[str, str, str | None, str | None, str]]) -> None:
    doc = nlp(text)
    roles = extract_roles(doc)
    assert stated(roles) == expected
    assert_offsets(doc, roles)


@pytest.mark.parametrize(("text", "expected"), PATTERN_SENTENCES)
def test_roles_patterns(nlp: Language, text: str, expected: set[tuple[str, str, str | None, str | None, str]]) -> None:
    doc = nlp(text)
    roles = extract_roles(doc)
    assert stated(roles) == expected
    assert_offsets(doc, roles)


@pytest.mark.parametrize(("text", "words", "person", "role"), NEW_ROLE_REFERENCES)
def test_roles_new_role_refers_back(nlp: Language, text: str, words: str, person: str, role: str) -> None:
    doc = nlp(text)
    references = [r for r in extract_roles(doc) if r.refers_back]
    assert [(r.person, r.role, r.text) for r in references] == [(person, role, words)]
    (reference,) = references
    assert doc.text[reference.start : reference.end] == words
    assert doc.text[reference.person_start : reference.person_end] == person


@pytest.mark.parametrize(("text", "expected"), NOT_NEW_ROLE_SENTENCES)
def test_roles_role_nouns_not_linked(nlp: Language, text: str, expected: set[tuple[str, str]]) -> None:
    assert {(r.person, r.role) for r in extract_roles(nlp(text))} == expected


@pytest.mark.parametrize("text", NOT_ROLE_SENTENCES)
def test_roles_kinship_nationality_and_descriptions_are_not_roles(nlp: Language, text: str) -> None:
    assert extract_roles(nlp(text)) == []


@pytest.mark.parametrize(("word", "base"), BASE_FORMS)
def test_roles_base_form(word: str, base: str | None) -> None:
    found = role_base(word)
    assert (found[0] if found else None) == base


def test_roles_titles_data() -> None:
    assert len(ROLE_TITLES) >= 150
    assert not ROLE_TITLES & NOT_ROLES
    assert all(title == title.lower() for title in ROLE_TITLES)
    assert set(PARTIES.values()) <= set(PARTIES)
    assert (PARTIES["Høyre"], PARTIES["A"], PARTIES["Fremskrittspartiet"], PARTIES["Miljøpartiet De Grønne"]) == (
        "H",
        "Ap",
        "Frp",
        "MDG",
    )


def test_roles_component_sets_doc_extension(nlp: Language) -> None:
    doc = nlp("Justisminister Tor Mikkel Wara (Frp) sier at norske myndigheter er forberedt.")
    component = spacy.blank("nb").add_pipe(EXTRACTOR)
    assert component(doc)._.roles == extract_roles(doc)
    assert [(r.person, r.role, r.party) for r in doc._.roles] == [("Tor Mikkel Wara", "justisminister", "Frp")]
