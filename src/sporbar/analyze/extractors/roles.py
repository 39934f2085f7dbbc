"""Roles: the offices, positions, titles and occupations an article states for named people.

A pure function of an analysed Doc (``extract_roles``), also registered as the
spaCy component ``sporbar_roles`` that sets ``doc._.roles``. Offsets are
character offsets into ``doc.text``, which is the article's stored text.

What counts (the annotation conventions in NOTES.md): any office, position,
title or occupation stated for a named person, in base form; ``org`` only when
the article states it; ``party`` when given in brackets. Kinship, nationality
and descriptions (``datteren``, ``lagkamerat``, ``gjerningsmannen``) are not
roles. The patterns, each on one line of text:

* apposition before the name: ``utenriksminister Børge Brende``, ``Justisminister
  Tor Mikkel Wara``, ``daglig leder Per Hansen``, ``LO-leder Roar Flåthen`` (org
  ``LO``), with a genitive owner as org (``USAs utenriksminister Mike Pompeo`` →
  ``USA``; the ``-s`` is dropped only when the owner is a place, an organisation
  or a party, never a person) or an organisation after the name
  (``Eiendomsmegler Andreas Jølstad i ABCenter Fritid``);
* role and organisation before a comma and the name: ``konstituert
  kommunikasjonssjef for Utenriksdepartementet, Kristin Enstad``, ``leder i Y, X``;
* trailing apposition: ``Tonje Gjevjon, styreleder i Boa,`` (and a second role
  joined by ``og``: ``førstekandidat for Rødt og LO-leder i Trondheim``);
* ``X, som (også) er leder i Y`` and ``X er daglig leder i Y``;
* a party in brackets after the name (``Børge Brende (H)``) sets ``party``; a
  name with a party and no other role stated is a ``politiker`` of that party.

Names are the entity recogniser's PER spans; where it misses one, the
capitalised words right after a role title stand in. The entity labels decide
whether a genitive owner is an organisation; the tagger's part of speech and
morphology only break ties (``leder`` as a verb, ``NounType=Proper``), because
the parse of the shipped model is not reliable enough to lean on.

Base forms: a role noun is recognised in its indefinite form (``ROLE_TITLES``,
or a compound whose head is in ``ROLE_SUFFIXES``: ``kringkastingssjef``), and a
definite form by dropping ``-en``/``-n``/``-et`` (``utenriksministeren`` →
``utenriksminister``, ``legen`` → ``lege``). A hyphenated prefix is the
organisation, not part of the role (``LO-leder`` → ``leder``, org ``LO``).

Role nouns that refer back (``…, sa utenriksministeren``) are linked only when
the article itself states the link: they map to the person the article last
named with that same role before them, and the record (``refers_back=True``,
evidence = the role noun, ``person_start``/``person_end`` = the earlier name,
org and party copied from that statement) is emitted only then. A role noun
with no such antecedent (``den amerikanske presidenten`` before any president
is named) yields nothing: guessing the person from focus alone would create
roles the article never states.

A cabinet title with no owner stated keeps ``org=None``; the extractor does not
guess the country.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sporbar.lang.nb.titles import (
    COPULA_ADVERBS,
    COPULAS,
    COUNTRY_ADJECTIVES,
    DESCRIBING_WORDS,
    DROPPED_PREFIXES,
    GENERIC_ROLE_NOUNS,
    INDEFINITE_ARTICLES,
    NATIONALITY_PREFIXES,
    NOT_ROLES,
    ORG_PREPOSITIONS,
    ORG_SPELLINGS,
    PARTIES,
    PARTY_MEMBER_ROLE,
    POSSESSIVES,
    PREDICATE_VERBS_TIL,
    ROLE_DETERMINERS,
    ROLE_MODIFIERS,
    ROLE_SUFFIXES,
    ROLE_TITLES,
    ROYAL_TITLES,
    STATE_OFFICES,
    SUBJECT_PRONOUNS,
    TITLE_ALIASES,
    TOPIC_HEADS,
    VERB_HOMOGRAPHS,
)

EXTRACTOR = "sporbar_roles"
EXTRACTOR_VERSION = "2"

# Labels after a name that can be the organisation of the role before it
# ("Andreas Jølstad i ABCenter Fritid"); places are not ("Brende i Brussel").
_POST_NAME_ORG_LABELS = frozenset({"ORG", "GPE_ORG"})
_MIN_COMPOUND_PREFIX = 3
_MAX_NAME_WORDS = 4
_MAX_ORG_WORDS = 5
_NAME_WORD = re.compile(r"^[A-ZÆØÅÉÄÖÜ][\w'’.]*(?:-[A-ZÆØÅÉÄÖÜa-zæøå][\w'’]*)*$")
_NAME_PARTICLES = frozenset({"af", "al", "bin", "da", "de", "der", "di", "du", "ibn", "la", "le", "van", "von"})
_PARTY_BRACKET = re.compile(r"[ \t]*\(\s*([^()\n]{1,40}?)\s*\)")
_GENITIVE_ENDINGS = ("'s", "’s", "s")
_MAX_DESCRIBING_WORDS = 3
# Sentences before a role noun in which the person it refers back to must be the only one named.
_SALIENCE_SENTENCES = 2


@dataclass(frozen=True, slots=True)
class Role:
    """One role stated for a named person, with its evidence span.

    ``person`` is the name as written (``doc.text[person_start:person_end]``);
    ``text`` is ``doc.text[start:end]``, the evidence. For a role noun that
    refers back (``refers_back``), the evidence is the role noun and the person
    offsets point at the earlier statement's name.
    """

    person: str
    person_start: int
    person_end: int
    role: str
    org: str | None
    party: str | None
    start: int
    end: int
    text: str
    refers_back: bool = False


@dataclass(frozen=True, slots=True)
class _RoleWord:
    first: int  # index (in the word list) of the role phrase's first word ("daglig" of "daglig leder")
    last: int  # index of its head word
    base: str
    definite: bool
    prefix: str | None  # "LO" in "LO-leder"
    org: str | None = None  # the org the word itself names: "LO" in "LO-leder", "Sverige" in "svenskekongen"


@dataclass(frozen=True, slots=True)
class _Person:
    start: int
    end: int
    text: str


def extract_roles(doc: Doc) -> list[Role]:
    """Return every role the article states for a named person, in text order."""
    finder = _RoleFinder(doc)
    stated = finder.stated()
    references = finder.references(stated)
    references += finder.new_role_references(stated + references)
    return sorted(stated + references, key=lambda r: (r.start, r.end, r.person_start))


# -- base forms ---------------------------------------------------------------------------


def is_role_noun(word: str) -> bool:
    """Say whether a lower-case indefinite noun names an office, position, title or occupation."""
    if word in NOT_ROLES:
        return False
    if word in ROLE_TITLES:
        return True
    return any(word.endswith(head) and len(word) - len(head) >= _MIN_COMPOUND_PREFIX for head in ROLE_SUFFIXES)


def role_base(word: str) -> tuple[str, bool] | None:
    """Return ``(base form, was definite)`` for a lower-case role noun, else None.

    ``utenriksministeren`` → ``utenriksminister``, ``legen`` → ``lege``,
    ``styremedlemmet`` → ``styremedlem``; kinship and descriptions are not roles.
    """
    if is_role_noun(word):
        return word, False
    if word in NOT_ROLES:
        return None
    candidates: list[str] = []
    if word.endswith("en"):
        candidates += [word[:-2], word[:-1]]
    elif word.endswith("n"):
        candidates.append(word[:-1])
    elif word.endswith("et"):
        candidates += [word[:-2], word[:-3]] if word.endswith("met") else [word[:-2]]
    for candidate in candidates:
        if len(candidate) >= 3 and is_role_noun(candidate):
            return candidate, True
    for prefix in DROPPED_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            return role_base(word[len(prefix) :].lstrip("-"))  # "eksbutleren" → "butler"
    return None


def plural_role_base(word: str) -> str | None:
    """The base form of a plural role noun: ``prinsessene`` → ``prinsesse``, ``politikere`` → ``politiker``."""
    candidates: list[str] = []
    if word.endswith("ne"):
        candidates += [word[:-2], word[:-3]]
    elif word.endswith("er"):
        candidates.append(word[:-2])
    elif word.endswith("e"):
        candidates.append(word[:-1])
    return next((c for c in candidates if len(c) >= 3 and is_role_noun(c)), None)


# -- the finder ----------------------------------------------------------------------------


class _RoleFinder:
    """Find role statements around the people of one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.words: list[Token] = [t for t in doc if not t.is_space]
        self.index_at = {t.idx: j for j, t in enumerate(self.words)}
        self.starts = [t.idx for t in self.words]
        self.entities: list[Span] = list(doc.ents)
        self.people = self._people()
        self.person_at = {p.start: p for p in self.people}
        self.person_ending = {p.end: p for p in self.people}
        self.role_words = [self._role_word(j) for j in range(len(self.words))]

    # people ------------------------------------------------------------------

    def _people(self) -> list[_Person]:
        found: list[_Person] = []
        for entity in self.entities:
            if entity.label_ != "PER":
                continue
            offset = entity.start_char
            for piece in self.text[entity.start_char : entity.end_char].split("\n"):
                person = self._clean_person(offset, offset + len(piece))
                offset += len(piece) + 1
                if person is not None:
                    found.append(person)
        surnames = {p.text.split()[-1] for p in found}
        # "statsminister Erna Solbergs regjering": the name without its genitive -s.
        return [_Person(p.start, p.end - 1, p.text[:-1]) if self._is_genitive(p, surnames) else p for p in found]

    def _is_genitive(self, person: _Person, surnames: set[str]) -> bool:
        if not person.text.endswith("s") or len(person.text.split()[-1]) < 4:
            return False
        if person.text[:-1].split()[-1] in surnames:
            return True
        following = self.doc.char_span(person.end, len(self.text), alignment_mode="expand")
        nxt = next((t for t in following or () if not t.is_space), None)
        # "statsminister Stoltenbergs regjering": a name directly before a common noun.
        return nxt is not None and nxt.text.islower() and nxt.tag_ in ("subst", "adj", "det")

    def _clean_person(self, start: int, end: int) -> _Person | None:
        while start < end and not self.text[start].isalnum():
            start += 1
        while end > start and not self.text[end - 1].isalnum():
            end -= 1
        words = self.text[start:end].split()
        # "Justisminister Tor Mikkel Wara" tagged as one name: the title is not part of it.
        while len(words) > 1 and role_base(words[0].lower()) is not None:
            start = self.text.index(words[1], start + len(words[0]))
            words = words[1:]
        if not words or not words[0][:1].isupper() or any(_is_role_compound(w) for w in words):
            return None
        name = " ".join(words)
        if name in PARTIES or (name.endswith("s") and name[:-1] in PARTIES):
            return None  # "Frps" tagged as a person
        return _Person(start, end, self.text[start:end])

    def _person_from(self, j: int) -> _Person | None:
        """The person whose name starts at word ``j``: a PER span, else a run of capitalised words."""
        if j >= len(self.words):
            return None
        person = self.person_at.get(self.words[j].idx)
        if person is not None:
            return person
        run: list[Token] = []
        for k in range(j, min(j + _MAX_NAME_WORDS, len(self.words))):
            token = self.words[k]
            is_name = bool(_NAME_WORD.match(token.text)) and not token.text.isupper()
            if not (is_name or (run and token.lower_ in _NAME_PARTICLES)):
                break
            if self._entity_at(token.idx, exclude_per=True) is not None or self.role_words[k] is not None:
                break
            run.append(token)
        while run and run[-1].lower_ in _NAME_PARTICLES:
            run.pop()
        if not run or not any("Proper" in t.morph.get("NounType", []) or len(run) > 1 for t in run):
            return None
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        return _Person(start, end, self.text[start:end])

    def _person_ending_before(self, j: int) -> _Person | None:
        """The person whose name (with a party bracket) ends right before word ``j``."""
        if j <= 0:
            return None
        k = j - 1
        if self.words[k].text == ")":
            opening = next((i for i in range(k - 1, max(k - 8, -1), -1) if self.words[i].text == "("), None)
            if opening is None:
                return None
            k = opening - 1
        if k < 0:
            return None
        token = self.words[k]
        return self.person_ending.get(token.idx + len(token.text))

    # words ------------------------------------------------------------------

    def _role_word(self, j: int) -> _RoleWord | None:
        token = self.words[j]
        word = token.text
        if not word[:1].isalpha():
            return None
        prefix = None
        core = word
        if "-" in word:
            prefix, core = word.rsplit("-", 1)
            if not prefix or not core[:1].islower():
                return None  # "Hans-Tore"
        elif not (word.islower() or (word[:1].isupper() and word[1:].islower())):
            return None  # "NOK", "McDonald"
        if prefix is None and word.lower() in TITLE_ALIASES:
            return _RoleWord(j, j, TITLE_ALIASES[word.lower()], False, None)  # "kong Harald"
        found = role_base(core.lower())
        if found is None:
            return self._nationality_compound(j)
        base, definite = found
        if base in VERB_HOMOGRAPHS and token.tag_ == "verb" and j > 0 and self.words[j - 1].tag_ in ("pron", "subst"):
            return None  # "Hun leder partiet"
        if prefix is not None and (prefix.lower() in DROPPED_PREFIXES or prefix[:1].islower()):
            # "eks-skøyteløper" → "skøyteløper"; "goodwill-ambassadør" is kept whole.
            base = base if prefix.lower() in DROPPED_PREFIXES else f"{prefix.lower()}-{base}"
            prefix = None
        if prefix is None and j > 0:
            two = self._two_word_title(j, base)
            if two is not None:
                return _RoleWord(two[0], j, two[1], definite, None)
        org = prefix if prefix and base not in TOPIC_HEADS else None
        return _RoleWord(j, j, base, definite, prefix, org)

    def _two_word_title(self, j: int, base: str) -> tuple[int, str] | None:
        """``daglig leder``, ``lagets medisinske koordinator``, ``justis- og beredskapsminister``."""
        previous = self.words[j - 1].lower_
        for adjective in (previous, previous[:-1] if previous.endswith("e") else None):
            if adjective and f"{adjective} {base}" in ROLE_TITLES:
                return j - 1, f"{adjective} {base}"
        before = self.words[j - 2].lower_ if j > 1 else ""
        if previous == "og" and before.endswith("-") and before[:1].isalpha() and before.islower():
            return j - 2, f"{before} og {base}"
        return None

    def _nationality_compound(self, j: int) -> _RoleWord | None:
        """``svenskekongen`` → ``konge``, org ``Sverige``: the prefix is a country, not part of the title."""
        word = self.words[j].lower_
        for prefix, country in NATIONALITY_PREFIXES.items():
            found = role_base(word[len(prefix) :]) if word.startswith(prefix) else None
            if found is not None and found[0] in STATE_OFFICES:
                return _RoleWord(j, j, found[0], found[1], None, country)
        return None

    def _entity_at(self, offset: int, *, exclude_per: bool = False) -> Span | None:
        for entity in self.entities:
            if entity.start_char <= offset < entity.end_char and not (exclude_per and entity.label_ == "PER"):
                return entity
        return None

    def _org_from(self, j: int) -> tuple[str, int, int] | None:
        """An organisation named from word ``j``: ``(name, end offset, next word index)``."""
        if j >= len(self.words):
            return None
        token = self.words[j]
        entity = next((e for e in self.entities if e.start_char == token.idx), None)
        if entity is not None:
            name = self.text[entity.start_char : entity.end_char].split("\n")[0].rstrip(" .,;:")
            if name:
                end = entity.start_char + len(name)
                following = next((i for i in range(j, len(self.words)) if self.words[i].idx >= end), len(self.words))
                return name, end, following
        run: list[Token] = []
        for candidate in self.words[j : j + _MAX_ORG_WORDS]:
            first = candidate.text[:1]
            if not (first.isupper() or (run and first.isdigit())):
                break
            run.append(candidate)
        if not run:
            return None
        end = run[-1].idx + len(run[-1].text)
        return self.text[run[0].idx : end], end, j + len(run)

    def _owner(self, j: int) -> str | None:
        """The organisation a genitive word owns a role for (``USAs`` → ``USA``), or None."""
        word = self.words[j].text
        if not word[:1].isupper():
            return None
        ending = next((e for e in _GENITIVE_ENDINGS if word.endswith(e) and len(word) > len(e) + 1), None)
        if ending is None:
            return None
        stem = word[: -len(ending)]
        if stem in PARTIES:
            return stem  # "Frps ordførerkandidat", even where the recogniser took "Frps" for a name
        entity = self._entity_at(self.words[j].idx)
        if entity is not None and entity.label_ == "PER":
            return None  # "Trumps rådgiver": a person's, not an organisation's
        if entity is not None:
            return stem
        if any(p.text.split()[-1] in (stem, word) for p in self.people):
            return None
        # A capitalised genitive before a role title that names no person: "Norges utenriksminister".
        return stem

    # statements -------------------------------------------------------------------

    def stated(self) -> list[Role]:
        found: dict[tuple[int, int, str], Role] = {}
        for role_word in self.role_words:
            if role_word is None:
                continue
            for role in self._statements(role_word):
                key = (role.person_start, role.person_end, role.role)
                known = found.get(key)
                if known is None or _informativeness(role) > _informativeness(known):
                    found[key] = role
        for role in self._plural_statements():
            found.setdefault((role.person_start, role.person_end, role.role), role)
        roles = list(found.values())
        roles += self._party_members({(r.person_start, r.person_end) for r in roles})
        return roles

    def _plural_statements(self) -> list[Role]:
        """``prinsessene Ragnhild og Astrid``, ``Ap-politikere som Trond Giske og Jonas Gahr Støre``: a record per name."""
        roles = []
        for j, token in enumerate(self.words):
            found = self._plural_role(j)
            if found is None:
                continue
            base, org = found
            k = j + 1
            if k < len(self.words) and self.words[k].text == ",":
                k += 1
            if k < len(self.words) and self.words[k].lower_ == "som":
                k += 1
            elif not token.lower_.endswith("ne"):
                continue  # an indefinite plural names examples only with "som": "musikanter som …"
            roles += [self._role(p, base, org, None, token.idx, p.end) for p in self._coordinated_names(k)]
        return roles

    def _plural_role(self, j: int) -> tuple[str, str | None] | None:
        """``prinsessene`` → (``prinsesse``, None), ``Ap-politikere`` → (``politiker``, ``Ap``)."""
        word = self.words[j].text
        if self.role_words[j] is not None or not word[:1].isalpha():
            return None
        prefix, _, core = word.rpartition("-")
        if not core[1:].islower() or (prefix and not core[:1].islower()):
            return None
        base = plural_role_base(core.lower())
        if base is None:
            return None
        return base, (prefix if prefix[:1].isupper() and base not in TOPIC_HEADS else None)

    def _coordinated_names(self, k: int) -> list[_Person]:
        """The names of ``Paul McCartney, a-ha og Anastacia`` from word ``k`` (one non-name item is passed over)."""
        people: list[_Person] = []
        passed_over = False
        while k < len(self.words):
            person = self._person_from(k)
            if person is None or self.words[k].idx != person.start:
                separator = k + 1 < len(self.words) and self.words[k + 1].text in (",", "og")
                if people and not passed_over and separator and self.words[k].text[:1].islower():
                    passed_over, k = True, k + 2  # "a-ha" is a band
                    continue
                break
            people.append(person)
            nxt = self._word_from(person.end)
            if nxt is None or self.words[nxt].text not in (",", "og"):
                break
            k = nxt + 1
            if k < len(self.words) and self.words[k].lower_ == "og":
                k += 1
        return people

    def _statements(self, rw: _RoleWord) -> list[Role]:
        start_index, owner, country = self._left_edge(rw)
        org = owner or rw.org or (country if _is_state_office(rw.base) else None)
        for pattern in (self._apposition, self._comma_apposition, self._bracketed, self._shared_with_next):
            roles = pattern(rw, start_index, org)
            if roles:
                return roles
        return self._trailing(rw, start_index, org) or self._predicate(rw, start_index, org)

    def _apposition(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """``utenriksminister Børge Brende``, ``USAs president Donald Trump``, ``prins Albert av Monaco``."""
        after = rw.last + 1
        person = self._person_from(after)
        if person is None or self.words[after].idx != person.start:
            return []
        if rw.base in ROYAL_TITLES:
            person, org = self._royal_of(person, org)
        party, end = self._party_after(person, person.end)
        if org is None:
            post = self._org_after_name(end)
            if post is not None:
                org, end = post
        return [self._role(person, rw.base, org, party, self.words[start_index].idx, end)]

    def _royal_of(self, person: _Person, org: str | None) -> tuple[_Person, str | None]:
        """``Albert av Monaco`` (one name to the recogniser) → ``Albert``, org ``Monaco``."""
        name, of, place = person.text.partition(" av ")
        if of and place[:1].isupper():
            return _Person(person.start, person.start + len(name), name), org or place
        match = re.match(r" av ([A-ZÆØÅ][\w-]+)", self.text[person.end :])
        return person, org or (match.group(1) if match else None)

    def _comma_apposition(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """``leder i Vigrid, Thorgrim Bredesen`` and a described role: ``Finlands kvinnelige president, Tarja Halonen``."""
        after = rw.last + 1
        role_org = self._role_org(after)
        comma = role_org[2] if role_org is not None else after
        described = role_org is not None or rw.definite or start_index < rw.first or rw.org is not None
        if not described or comma >= len(self.words) or self.words[comma].text != ",":
            return []
        person = self._person_from(comma + 1)
        if person is None or self.words[comma + 1].idx != person.start:
            return []
        party, end = self._party_after(person, person.end)
        org = org or (role_org[0] if role_org is not None else None)
        return [self._role(person, rw.base, org, party, self.words[start_index].idx, end)]

    def _bracketed(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """``Geir Dahl Andersen (taktiker)``: the role in brackets right after the name."""
        first, after = rw.first, rw.last + 1
        if first < 2 or after >= len(self.words) or (self.words[first - 1].text, self.words[after].text) != ("(", ")"):
            return []
        person = self._person_ending_before(first - 1)
        if person is None:
            return []
        return [self._role(person, rw.base, org, None, person.start, self.words[after].idx + 1)]

    def _shared_with_next(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """``pastor og bibellærer Bjørn Olav Hansen``: two roles before one name, each a record."""
        nxt = rw.last + 2
        if nxt >= len(self.words) or self.words[rw.last + 1].lower_ != "og":
            return []
        second = self.role_words[nxt]
        if second is None or second.first != nxt:
            return []
        followers = [r for r in self._statements(second) if r.person_start > self.words[second.last].idx]
        return [
            Role(r.person, r.person_start, r.person_end, rw.base, org, r.party, self.words[start_index].idx, r.end,
                 self.text[self.words[start_index].idx : r.end])
            for r in followers
        ]

    def _trailing(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """Trailing apposition and ``X, som er leder i Y``: the name comes first."""
        person = self._person_before_role(start_index)
        if person is None:
            return []
        role_org = self._role_org(rw.last + 1)
        end = self.words[rw.last].idx + len(self.words[rw.last].text)
        if role_org is not None:
            org = org or role_org[0]
            end = role_org[1]
        party, _ = self._party_after(person, person.end)
        roles = [self._role(person, rw.base, org, party, person.start, end)]
        return roles + self._joined_role(person, party, role_org[2] if role_org is not None else rw.last + 1)

    def _predicate(self, rw: _RoleWord, start_index: int, org: str | None) -> list[Role]:
        """``Jagland overtok som leder av Nobelkomiteen``, ``ble valgt til partileder``, ``Han er en habil bassist``."""
        role_org = self._role_org(rw.last + 1)
        org = org or (role_org[0] if role_org is not None else None)
        end = role_org[1] if role_org is not None else self.words[rw.last].idx + len(self.words[rw.last].text)
        if rw.definite or self._plural_before(start_index):
            return []
        j = start_index
        if j > 0 and self._is_predicate_word(j - 1):
            person = self._subject(j - 1)
            if person is not None:
                return [self._role(person, rw.base, org, None, self.words[j - 1].idx, end)]
            return self._pronoun_role(rw, j - 1, org, end)
        pronoun = self._pronoun_copula(j)
        return self._pronoun_role(rw, pronoun, org, end) if pronoun is not None else []

    def _is_predicate_word(self, j: int) -> bool:
        """``som`` (not the relative ``, som``) or ``til`` after ``valgt``/``utnevnt``."""
        word = self.words[j].lower_
        if word == "som":
            return not (j > 0 and self.words[j - 1].text in (",", "(")) and self.words[j].tag_ != "pron"
        return word == "til" and j > 0 and self.words[j - 1].lower_ in PREDICATE_VERBS_TIL

    def _plural_before(self, j: int) -> bool:
        """``musikere, som Bob Dylan``: ``som`` after a plural role introduces examples, handled apart."""
        return j > 1 and self.words[j - 1].lower_ == "som" and plural_role_base(self.words[j - 2].lower_) is not None

    def _subject(self, j: int) -> _Person | None:
        """The person a ``som``/``til`` predicate at word ``j`` is about: the first named (not after a preposition)
        earlier in its sentence, or in a sentence that opens with ``Som``, the first named after it."""
        sentence = self.words[j].sent
        for person in self.people:
            if sentence.start_char <= person.start < self.words[j].idx and not self._after_preposition(person):
                return person
        if self.words[j].idx == sentence.start_char:
            return next((p for p in self.people if self.words[j].idx < p.start < sentence.end_char), None)
        return None

    def _after_preposition(self, person: _Person) -> bool:
        k = self.index_at.get(person.start)
        return k is not None and k > 0 and self.words[k - 1].tag_ == "prep"

    def _pronoun_copula(self, j: int) -> int | None:
        """``Han er en habil bassist`` / ``Selv er han …`` / ``Han var også en …``: the index of the pronoun."""
        if j > 0 and self.words[j - 1].lower_ in INDEFINITE_ARTICLES:
            j -= 1
        while j > 0 and self.words[j - 1].lower_ in COPULA_ADVERBS:
            j -= 1
        if j < 2:
            return None
        one, two = self.words[j - 2].lower_, self.words[j - 1].lower_
        if one in SUBJECT_PRONOUNS and two in COPULAS:
            return j - 2
        if one in COPULAS and two in SUBJECT_PRONOUNS:
            return j - 1
        return None

    def _pronoun_role(self, rw: _RoleWord, j: int, org: str | None, end: int) -> list[Role]:
        """A role stated for ``han``/``hun`` (at or before word ``j``): the person, when the article has just named only one."""
        token = self.words[j]
        if not any(w.lower_ in SUBJECT_PRONOUNS for w in token.sent if w.idx <= token.idx):
            return []
        person = self._salient_person(token.idx)
        if person is None:
            return []
        start = self.words[j].idx
        return [Role(person.text, person.start, person.end, rw.base, org, None, start, end, self.text[start:end], True)]

    def _salient_person(self, offset: int) -> _Person | None:
        """The only person named in the sentences just before ``offset`` (and its own sentence), else None."""
        sentences = [s for s in self.doc.sents if s.start_char <= offset]
        window_start = sentences[-_SALIENCE_SENTENCES].start_char if len(sentences) >= _SALIENCE_SENTENCES else 0
        named = [p for p in self.people if window_start <= p.start < offset]
        if not named or len({p.text.split()[-1] for p in named}) != 1:
            return None
        return max(named, key=lambda p: len(p.text))

    def _left_edge(self, rw: _RoleWord) -> tuple[int, str | None, str | None]:
        """Grow a role phrase left over modifiers, describing words and a genitive owner:
        ``Norges nye utenriksminister``, ``den spanske dronning``, ``Finlands kvinnelige president``.
        Returns the first word's index, the owner and the country an adjective names."""
        j = rw.first
        country = None
        described = 0
        while j > 0 and described < _MAX_DESCRIBING_WORDS:
            word = self.words[j - 1]
            if word.lower_ in ROLE_MODIFIERS:
                j -= 1
            elif word.lower_ in COUNTRY_ADJECTIVES or _is_describing(word):
                country = country or COUNTRY_ADJECTIVES.get(word.lower_)
                j -= 1
                described += 1
            else:
                break
        if j > 0:
            owner = self._owner(j - 1)
            if owner is not None:
                topic = rw.prefix is not None and rw.org is None
                return j - 1, (None if topic else owner), country
            if _is_common_genitive(self.words[j - 1]):
                return j - 1, None, country  # "lagets medisinske koordinator", "banens dominerende spiller"
        if described and j > 0 and self.words[j - 1].lower_ in ROLE_DETERMINERS:
            j -= 1
        return j, None, country

    def _role_org(self, j: int) -> tuple[str, int, int] | None:
        """``i Boa`` / ``for Utenriksdepartementet`` right after a role: the organisation named."""
        if j >= len(self.words) or self.words[j].lower_ not in ORG_PREPOSITIONS:
            return None
        return self._org_from(j + 1)

    def _org_after_name(self, end: int) -> tuple[str, int] | None:
        """``Andreas Jølstad i ABCenter Fritid``: an organisation (not a place) after the name."""
        j = self._word_from(end)
        if j is None or j + 1 >= len(self.words) or self.words[j].lower_ not in ("i", "ved", "hos", "for"):
            return None
        entity = next((e for e in self.entities if e.start_char == self.words[j + 1].idx), None)
        if entity is None or entity.label_ not in _POST_NAME_ORG_LABELS:
            return None
        name = entity.text.split("\n")[0].rstrip(" .,;:")
        return (name, entity.start_char + len(name)) if name else None

    def _person_before_role(self, start_index: int) -> _Person | None:
        """The person of ``X, styreleder i Y`` / ``X, som også er leder`` / ``X er daglig leder``."""
        j = start_index
        while j > 0 and self.words[j - 1].lower_ in COPULA_ADVERBS:
            j -= 1
        perfect = j > 1 and self.words[j - 1].lower_ == "vært" and self.words[j - 2].lower_ == "har"
        if perfect or (j > 0 and self.words[j - 1].lower_ in COPULAS):
            j -= 2 if perfect else 1
            while j > 0 and self.words[j - 1].lower_ in COPULA_ADVERBS:
                j -= 1
            if j > 0 and self.words[j - 1].lower_ == "som":
                j -= 1
                if not (j > 0 and self.words[j - 1].text == ","):
                    return None
                j -= 1
            return self._person_ending_before(j)
        if j > 0 and self.words[j - 1].text == ",":
            return self._person_ending_before(j - 1)
        return None

    def _joined_role(self, person: _Person, party: str | None, j: int) -> list[Role]:
        """``førstekandidat for Rødt og LO-leder i Trondheim``: a second role joined by ``og``."""
        if j + 1 >= len(self.words) or self.words[j].lower_ != "og":
            return []
        rw = self.role_words[j + 1]
        if rw is None or rw.first != j + 1:
            return []
        end = self.words[rw.last].idx + len(self.words[rw.last].text)
        org = rw.prefix if rw.prefix and rw.base not in TOPIC_HEADS and rw.prefix[:1].isupper() else None
        role_org = self._role_org(rw.last + 1)
        if role_org is not None:
            org = org or role_org[0]
            end = role_org[1]
        return [self._role(person, rw.base, org, party, person.start, end)]

    def _party_after(self, person: _Person, end: int) -> tuple[str | None, int]:
        """``Børge Brende (H)``: the party abbreviation and the end of the bracket."""
        match = _PARTY_BRACKET.match(self.text, person.end)
        if match is None:
            return None, end
        content = match.group(1).split(",")[0].strip()
        party = PARTIES.get(content)
        if party is None:
            return None, end
        return party, max(end, match.end())

    def _party_members(self, with_role: set[tuple[int, int]]) -> list[Role]:
        """``Jan Bøhler (Ap)`` with no other role: a politician of that party."""
        roles = []
        for person in self.people:
            if (person.start, person.end) in with_role:
                continue
            party, end = self._party_after(person, person.end)
            if party is not None:
                roles.append(self._role(person, PARTY_MEMBER_ROLE, None, party, person.start, end))
        return roles

    def _word_from(self, offset: int) -> int | None:
        j = bisect_left(self.starts, offset)
        return j if j < len(self.words) else None

    def _role(self, person: _Person, role: str, org: str | None, party: str | None, start: int, end: int) -> Role:
        start, end = min(start, person.start), max(end, person.end)
        org = ORG_SPELLINGS.get(org, org) if org else org
        return Role(person.text, person.start, person.end, role, org, party, start, end, self.text[start:end])

    # role nouns that refer back ------------------------------------------------------

    def references(self, stated: list[Role]) -> list[Role]:
        """``…, sa utenriksministeren``: the person last named with that role, when the article named one."""
        found: list[Role] = []
        by_start = sorted(stated, key=lambda r: r.end)
        for rw in self.role_words:
            if rw is None or not rw.definite or rw.prefix is not None or rw.first != rw.last:
                continue
            token = self.words[rw.last]
            nxt = rw.last + 1
            if nxt < len(self.words) and self.words[nxt].idx in self.person_at:
                continue  # an apposition, handled as a statement
            if any(r.start <= token.idx < r.end for r in stated):
                continue
            earlier = [r for r in by_start if r.role == rw.base and r.end <= token.idx]
            if not earlier:
                continue  # the article names no one with this role before: not stated, not guessed
            source = earlier[-1]
            end = token.idx + len(token.text)
            found.append(
                Role(source.person, source.person_start, source.person_end, rw.base, source.org, source.party,
                     token.idx, end, self.text[token.idx : end], refers_back=True)
            )
        return found


    def new_role_references(self, known: list[Role]) -> list[Role]:
        """``sa skuespilleren`` after ``Konferansier Liam Neeson``: a definite role noun that gives the only person
        the article has just named a role not stated for them before (``Eksbutleren``, ``RBK-treneren``)."""
        found: list[Role] = []
        for rw in self.role_words:
            if rw is None or not rw.definite:
                continue
            token = self.words[rw.last]
            if any(r.start <= token.idx < r.end for r in known + found) or self._owned(rw):
                continue
            start = self.words[rw.first].idx
            person = self._salient_person(start)
            if person is None or self._named_later_in_sentence(token, person):
                continue
            surname = person.text.split()[-1]
            held = [r.role for r in known if r.person.split()[-1] == surname]
            if any(role.endswith(rw.base) for role in held) or (held and rw.base in GENERIC_ROLE_NOUNS):
                continue  # "forskeren" after "navneforsker Ivar Utne", "sjefen" for a trainer: a shortening
            if any(r.role.endswith(rw.base) and r.person.split()[-1] != surname for r in known):
                continue  # someone else in the article holds that role: the noun may be theirs
            if self._object_of_subject(rw, person):
                continue
            end = token.idx + len(token.text)
            found.append(
                Role(person.text, person.start, person.end, rw.base, rw.org, None, start, end, self.text[start:end], True)
            )
        return found

    def _owned(self, rw: _RoleWord) -> bool:
        """``treneren hans``, ``Trumps advokat``: someone else's role, or an apposition to a name."""
        nxt = self.words[rw.last + 1] if rw.last + 1 < len(self.words) else None
        if nxt is not None and (nxt.lower_ in POSSESSIVES or nxt.idx in self.person_at):
            return True
        before = self.words[rw.first - 1] if rw.first > 0 else None
        return before is not None and (before.lower_ in POSSESSIVES or self._is_person_genitive(before))

    def _is_person_genitive(self, token: Token) -> bool:
        entity = self._entity_at(token.idx)
        return token.text[:1].isupper() and token.text.endswith("s") and entity is not None and entity.label_ == "PER"

    def _object_of_subject(self, rw: _RoleWord, person: _Person) -> bool:
        """``Stadsgaard hadde hendene rundt den storvokste AaFK-spissen``: after a preposition, in the sentence
        that names the person, the role noun is most often someone the person acts on."""
        start, _, _ = self._left_edge(rw)
        sentence = self.words[rw.last].sent
        return start > 0 and self.words[start - 1].tag_ == "prep" and person.start >= sentence.start_char

    def _named_later_in_sentence(self, token: Token, person: _Person) -> bool:
        """Another person named after the role noun in its sentence: the noun may be theirs."""
        sentence = token.sent
        surname = person.text.split()[-1]
        return any(token.idx < p.start < sentence.end_char and p.text.split()[-1] != surname for p in self.people)


def _is_state_office(base: str) -> bool:
    return base in STATE_OFFICES or base.endswith("minister")


def _is_describing(word: Token) -> bool:
    """An adjective or ordinal between an owner and the role: ``kvinnelige``, ``andre``, ``kanskje fremste``."""
    return word.lower_ in DESCRIBING_WORDS or (word.tag_ == "adj" and word.text.islower())


def _is_common_genitive(word: Token) -> bool:
    """``lagets``, ``partiets``, ``banens``: a lower-case genitive noun owning the role."""
    return word.text.islower() and word.tag_ == "subst" and word.text.endswith(("ets", "ens"))


def _informativeness(role: Role) -> tuple[int, int, int]:
    return (role.org is not None, role.party is not None, -(role.end - role.start))


def _is_role_compound(word: str) -> bool:
    """``IS-lederen``, ``Portsmouth-spilleren``: a name-prefixed common noun, not a name."""
    tail = word.rsplit("-", 1)[-1] if "-" in word else ""
    return bool(tail) and tail[:1].islower() and len(tail) > 3


# -- the spaCy component ---------------------------------------------------------------------


def _ensure_extension() -> None:
    if not Doc.has_extension("roles"):
        Doc.set_extension("roles", default=None)


@Language.factory(
    EXTRACTOR,
    assigns=["doc._.roles"],
    requires=["doc.ents", "token.tag"],
    default_config={},
)
def make_role_extractor(nlp: Language, name: str) -> RoleExtractor:
    return RoleExtractor()


class RoleExtractor:
    """The spaCy component: ``doc._.roles = extract_roles(doc)``."""

    def __init__(self) -> None:
        _ensure_extension()

    def __call__(self, doc: Doc) -> Doc:
        roles = extract_roles(doc)
        self.set_annotations(doc, roles)
        return doc

    def set_annotations(self, doc: Doc, roles: list[Role]) -> None:
        doc._.roles = roles


__all__ = ["EXTRACTOR", "EXTRACTOR_VERSION", "Role", "RoleExtractor", "extract_roles", "is_role_noun", "role_base"]
