"""Story threads: articles grouped into stories as they arrive.

In the spirit of Miranda et al. (2018), "Multilingual Clustering of Streaming
News": each new article is compared with every candidate story and joins the
best one above a threshold, else starts a story of its own. The similarity
combines the cosine of lemma TF-IDF vectors (title words count double) with
the overlap of named entities, discounted by the time between the article and
the story's latest article (a slow decay: stories run for years). Document
frequencies are kept up to date as articles arrive, so nothing is recomputed
for the whole archive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.lang.nb.stop_words import STOP_WORDS

from sporbar.models import Article, Mention
from sporbar.store.search_terms import base_form, words

TITLE_WEIGHT = 2
TERM_WEIGHT = 0.55
ENTITY_WEIGHT = 0.45
JOIN_THRESHOLD = 0.10
RARE_SHARE = 0.01  # a name in at most 1 % of articles is particular enough to tie a story (tuned on eval/stories-dev.jsonl)
CLOSE_TEXT = 0.35
HALF_LIFE_DAYS = 5 * 365
PROFILE_TERMS = 60
TOP_TERMS = 10
MAX_CANDIDATES = 50
ENTITY_PREFIX = "@"  # entity document frequencies share the term table, marked by this prefix
ENTITY_LABELS = frozenset({"PER", "ORG", "GPE_ORG", "GPE_LOC", "EVT"})


@dataclass(slots=True)
class ArticleProfile:
    """What a story compares: lemma counts, named entities and the date."""

    article_id: str
    terms: Counter[str]
    entities: set[str]
    day: dt.date


@dataclass(slots=True)
class StoryProfile:
    """A story's running profile: summed term counts, entity counts and its dates."""

    story_id: int
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    size: int = 0

    def add(self, profile: ArticleProfile) -> None:
        self.terms.update(profile.terms)
        self.entities.update(profile.entities)
        self.first_day = min(filter(None, (self.first_day, profile.day)))
        self.last_day = max(filter(None, (self.last_day, profile.day)))
        self.size += 1

    def trimmed(self) -> StoryProfile:
        """Keep the profile small: its strongest terms carry the comparison."""
        return StoryProfile(
            self.story_id,
            Counter(dict(self.terms.most_common(PROFILE_TERMS * 4))),
            Counter(dict(self.entities.most_common(PROFILE_TERMS))),
            self.first_day,
            self.last_day,
            self.size,
        )


def entity_key(text: str, label: str) -> str | None:
    """Normalise a mention for comparison across articles: lower case, genitive -s dropped from places.

    Mentions that are not names (a common word the recogniser tagged, lower case, a stop word) give no key.
    """
    if not text[:1].isupper() or (len(text) < 3 and not text.isupper()):
        return None
    key = " ".join(text.lower().split())
    if key in STOP_WORDS or (" " not in key and key == base_form(key) and not text.isupper() and _is_dictionary_word(key)):
        return None
    if label in ("GPE_ORG", "GPE_LOC", "ORG") and key.endswith("s") and len(key) > 3:
        key = key[:-1]
    return key if len(key) > 1 else None


def _is_dictionary_word(word: str) -> bool:
    """A word the Bokmål lexicon knows as a common word ("liten", "norsk") rather than a name."""
    import simplemma

    return bool(simplemma.is_known(word, lang="nb"))


def article_profile(article: Article, mentions: Iterable[Mention]) -> ArticleProfile:
    """Build the profile of one article from its text, title and entity mentions."""
    terms: Counter[str] = Counter()
    for weight, text in ((TITLE_WEIGHT, article.title or ""), (1, article.text)):
        for word in words(text):
            if len(word) < 3 or word.isdigit() or word in STOP_WORDS:
                continue
            lemma = base_form(word)
            if lemma not in STOP_WORDS:
                terms[lemma] += weight
    entities = {
        key for m in mentions if m.label in ENTITY_LABELS and (key := entity_key(m.text, m.label)) is not None
    }
    return ArticleProfile(article.id, terms, entities, article.date.start)


class StoryClusterer:
    """Incremental single-pass clustering of articles into stories."""

    def __init__(
        self, stories: Iterable[StoryProfile], document_frequency: Counter[str], documents: int, *, next_id: int | None = None
    ) -> None:
        self.stories = {s.story_id: s for s in stories}
        self.df = document_frequency
        self.documents = documents
        self.next_id = next_id if next_id is not None else max(self.stories, default=0) + 1

    def _idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def _vector(self, terms: Counter[str]) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self._idf(t) for t, c in terms.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def similarity(self, profile: ArticleProfile, story: StoryProfile) -> float:
        """Combined similarity of an article to a story, after the time decay."""
        a = self._vector(profile.terms)
        b = self._vector(Counter(dict(story.terms.most_common(PROFILE_TERMS * 4))))
        cosine = sum(v * b.get(t, 0.0) for t, v in a.items())
        # Entities weigh by rarity: sharing "Norge" or "Oslo" says little, sharing "Pompeo" says much.
        mass = sum(self._idf(ENTITY_PREFIX + e) for e in profile.entities)
        if mass and story.entities:
            shared = sum(self._idf(ENTITY_PREFIX + e) for e in profile.entities if e in story.entities)
            overlap = shared / mass
        else:
            overlap = 0.0
        combined = TERM_WEIGHT * cosine + ENTITY_WEIGHT * overlap
        # A story is about something particular: without a shared rare name or a close text, no match.
        rare_limit = max(2.0, RARE_SHARE * self.documents)
        shares_rare_name = any(e in story.entities and self.df.get(ENTITY_PREFIX + e, 0) <= rare_limit for e in profile.entities)
        if not shares_rare_name and cosine < CLOSE_TEXT:
            return 0.0
        gap = abs((profile.day - (story.last_day or profile.day)).days)
        return float(combined * 0.5 ** (gap / HALF_LIFE_DAYS))

    def count(self, profile: ArticleProfile) -> None:
        """Count an article in the document frequencies (before it is assigned: see ``assign_stories``)."""
        self.documents += 1
        self.df.update(set(profile.terms) | {ENTITY_PREFIX + e for e in profile.entities})

    def assign(self, profile: ArticleProfile, candidates: Iterable[StoryProfile] | None = None) -> tuple[int, float, bool]:
        """Put an article in the best story above the threshold, or start one; return (story id, similarity, new).

        ``candidates`` are the stories worth comparing (those sharing a name or a
        top term, found through the store's key index); by default every story held.
        """
        pool = self.stories.values() if candidates is None else candidates
        best, best_score = None, 0.0
        for story in pool:
            if not (profile.entities & set(story.entities) or _shares_top_terms(profile, story)):
                continue
            score = self.similarity(profile, story)
            if score > best_score:
                best, best_score = story, score
        if best is not None and best_score >= JOIN_THRESHOLD:
            best.add(profile)
            return best.story_id, best_score, False
        story = StoryProfile(self.next_id)
        self.next_id += 1
        story.add(profile)
        self.stories[story.story_id] = story
        return story.story_id, 1.0, True


def profile_keys(profile: ArticleProfile) -> list[str]:
    """The keys a story is found by: its names and its article's strongest terms."""
    return [ENTITY_PREFIX + e for e in profile.entities] + [t for t, _ in profile.terms.most_common(TOP_TERMS)]


def story_keys(story: StoryProfile) -> list[str]:
    """The keys under which a story is indexed."""
    return [ENTITY_PREFIX + e for e, _ in story.entities.most_common(PROFILE_TERMS)] + [
        t for t, _ in story.terms.most_common(PROFILE_TERMS // 2)
    ]


def _shares_top_terms(profile: ArticleProfile, story: StoryProfile) -> bool:
    top = {t for t, _ in profile.terms.most_common(TOP_TERMS)}
    return any(t in story.terms for t in top)


def story_title(story: StoryProfile) -> str:
    """Name a story by its key entities and terms."""
    entities = [e for e, _ in story.entities.most_common(3)]
    terms = [t for t, _ in story.terms.most_common(12) if t not in " ".join(entities)][:3]
    return " · ".join(_display(e) for e in entities + terms)


def _display(key: str) -> str:
    return " ".join(w.upper() if len(w) <= 3 else w.capitalize() for w in key.split())
