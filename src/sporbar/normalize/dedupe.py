"""Near-duplicate fingerprints: MinHash over word shingles, banded for lookup.

Wire copies reprinted with small edits share most 5-word shingles. Each article
gets a MinHash signature (datasketch); the signature is cut into bands, and two
articles that share any band are candidates, confirmed when their estimated
Jaccard similarity reaches ``NEAR_DUPLICATE_THRESHOLD``. The bands are stored,
so lookups stay cheap across runs without holding an index in memory.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.7
MIN_WORDS = 20
SAMPLE_ABOVE = 160
SAMPLE_MODULUS = 4  # very short texts share shingles by chance (standard phrases, captions)
_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=20170301)
# Shingle hashes are combined from cached word hashes with NumPy: hashing every
# 5-word string with SHA-1 (datasketch's default) cost 3 ms an article.
_WORD_HASHES: dict[str, int] = {}
_MIXERS = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint64)
_MASK32 = np.uint64(0xFFFFFFFF)


def _identity(value: int) -> int:
    return value


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        value = zlib.crc32(word.encode("utf-8"))
        if len(_WORD_HASHES) < 2_000_000:
            _WORD_HASHES[word] = value
    return value


def shingle_hashes(words: list[str]) -> np.ndarray:
    """Return the distinct 32-bit hashes of a word list's 5-word shingles (stable across runs)."""
    cache = _WORD_HASHES
    for word in set(words).difference(cache):
        _word_hash(word)
    lookup = cache.__getitem__ if len(cache) < 2_000_000 else _word_hash
    hashes = np.fromiter(map(lookup, words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    combined = np.zeros(count, dtype=np.uint64)
    for position in range(SHINGLE_WORDS):
        # uint64 arithmetic wraps, which is what a hash mix wants.
        combined = (combined * np.uint64(31) + hashes[position : position + count] * _MIXERS[position]) & np.uint64(
            0xFFFFFFFFFFFF
        )
    combined ^= combined >> np.uint64(16)
    distinct = np.unique(combined & _MASK32)
    if len(distinct) > SAMPLE_ABOVE:
        # Content-defined sampling: the same shingle is kept or dropped in every text, so the
        # MinHash of the sample still estimates the texts' Jaccard similarity, at a quarter of the cost.
        distinct = distinct[(distinct >> np.uint64(7)) % np.uint64(SAMPLE_MODULUS) == 0]
    return distinct


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A MinHash signature and the band keys derived from it."""

    signature: np.ndarray
    band_keys: tuple[int, ...]

    def similarity(self, other_signature: np.ndarray) -> float:
        """Estimate the Jaccard similarity of the two texts' shingle sets."""
        return float(np.mean(self.signature == other_signature))

    def signature_bytes(self) -> bytes:
        # The permuted hash values are 32-bit: stored as such they take half the space.
        return self.signature.astype(np.uint32).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint32).astype(np.uint64)


def fingerprint(text: str) -> Fingerprint | None:
    """Return the text's fingerprint, or None when it is too short to compare."""
    return fingerprint_words(_WORD.findall(text.lower()))


def fingerprint_words(words: list[str]) -> Fingerprint | None:
    """Return the fingerprint of an already tokenised, lower-cased text."""
    if len(words) < MIN_WORDS:
        return None
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=20170301,
        hashfunc=_identity,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    minhash.update_batch(shingle_hashes(words).tolist())
    signature = minhash.hashvalues.astype(np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, key=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return Fingerprint(signature=signature, band_keys=tuple(keys))
