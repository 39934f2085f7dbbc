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
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.7
MIN_WORDS = 20  # very short texts share shingles by chance (standard phrases, captions)
_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=20170301)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A MinHash signature and the band keys derived from it."""

    signature: np.ndarray
    band_keys: tuple[int, ...]

    def similarity(self, other_signature: np.ndarray) -> float:
        """Estimate the Jaccard similarity of the two texts' shingle sets."""
        return float(np.mean(self.signature == other_signature))

    def signature_bytes(self) -> bytes:
        return self.signature.astype(np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint64)


def fingerprint(text: str) -> Fingerprint | None:
    """Return the text's fingerprint, or None when it is too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}
    minhash = MinHash(num_perm=NUM_PERM, seed=20170301, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme)
    minhash.update_batch(list(shingles))
    signature = minhash.hashvalues.astype(np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, key=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return Fingerprint(signature=signature, band_keys=tuple(keys))
