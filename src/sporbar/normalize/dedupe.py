"""Near-duplicate fingerprints: MinHash over character shingles, banded for lookup.

Wire copies reprinted with small edits share most of their text. Each article
gets a MinHash signature (datasketch) of its 32-letter shingles; the signature
is cut into bands, and two articles that share any band are candidates,
confirmed when their estimated Jaccard similarity reaches
``NEAR_DUPLICATE_THRESHOLD``. The bands are stored, so lookups stay cheap
across runs without holding an index in memory.

Shingles are taken over the text's letters and digits only, lower-cased, with
everything else dropped: an edit to punctuation, spacing or line breaks does
not change the fingerprint. Everything runs as NumPy array operations over the
UTF-8 bytes (a rolling polynomial hash), because splitting 400-word articles
into words in Python cost more than storing and indexing them.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_BYTES = 32
NEAR_DUPLICATE_THRESHOLD = 0.7
MIN_TEXT_BYTES = 120  # very short texts share shingles by chance (standard phrases, captions)
SAMPLE_ABOVE = 160
SAMPLE_MODULUS = 16
# Part of every band key: fingerprints of another scheme never meet in a band.
SCHEME = b"chars32"
# One MinHash per thread, cleared for each text: building one parses its permutations every time.
_LOCAL = threading.local()
_BASE = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 2**64))
_MASK32 = np.uint64(0xFFFFFFFF)
_BAND_SALTS = np.array(
    [zlib.crc32(SCHEME + band.to_bytes(2, "little")) << 32 for band in range(BANDS)], dtype=np.uint64
)

# Bytes that belong to words: ASCII letters and digits, and every byte of a multi-byte
# UTF-8 character (Norwegian letters, after lower-casing).
_KEEP = np.zeros(256, dtype=bool)
_KEEP[ord("0") : ord("9") + 1] = True
_KEEP[ord("a") : ord("z") + 1] = True
_KEEP[0x80:] = True
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _ensure_powers(length: int) -> None:
    """Grow the cached tables of BASE**i and BASE**-i (mod 2**64) to ``length`` entries."""
    global _powers, _inverse_powers
    if len(_powers) >= length:
        return
    size = max(length, 2 * len(_powers), 4096)
    with np.errstate(over="ignore"):
        one = np.ones(1, dtype=np.uint64)
        _powers = np.concatenate((one, np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64))))
        _inverse_powers = np.concatenate((one, np.cumprod(np.full(size - 1, _BASE_INVERSE, dtype=np.uint64))))


def _mix(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads the polynomial hash over all bits."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(33))
        values = values * np.uint64(0xFF51AFD7ED558CCD)
        values = values ^ (values >> np.uint64(33))
        values = values * np.uint64(0xC4CEB9FE1A85EC53)
        return values ^ (values >> np.uint64(33))


def shingle_hashes(text: str) -> np.ndarray:
    """Return the distinct 32-bit hashes of a text's 32-letter shingles (stable across runs)."""
    data = np.frombuffer(text.lower().encode("utf-8", "surrogatepass"), dtype=np.uint8)
    letters = data[_KEEP[data]].astype(np.uint64)
    count = len(letters) - SHINGLE_BYTES + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    _ensure_powers(len(letters) + 1)
    with np.errstate(over="ignore"):
        # prefix[i] = sum(letters[j] * BASE**j for j < i), wrapping modulo 2**64.
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(letters * _powers[: len(letters)], dtype=np.uint64)))
        # A window's sum divided by BASE**start is the same for the same letters anywhere.
        windows = (prefix[SHINGLE_BYTES:] - prefix[:count]) * _inverse_powers[:count]
    hashes = _mix(windows)
    if count > SAMPLE_ABOVE * SAMPLE_MODULUS // 4:
        # Content-defined sampling: the same shingle is kept or dropped in every text, so the
        # MinHash of the sample still estimates the texts' Jaccard similarity, at a fraction of the cost.
        hashes = hashes[(hashes >> np.uint64(40)) % np.uint64(SAMPLE_MODULUS) == 0]
    return np.unique(hashes & _MASK32)


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
    hashes = shingle_hashes(text)
    if len(hashes) == 0 or len(text) < MIN_TEXT_BYTES:
        return None
    minhash: MinHash | None = getattr(_LOCAL, "minhash", None)
    if minhash is None:
        minhash = _LOCAL.minhash = MinHash(num_perm=NUM_PERM, seed=20170301, hashfunc=lambda value: value)
    minhash.clear()
    minhash.update_batch(hashes.tolist())
    signature = minhash.hashvalues.astype(np.uint64)
    return Fingerprint(signature=signature, band_keys=band_keys(signature))


def band_keys(signature: np.ndarray) -> tuple[int, ...]:
    """Hash each band of rows (and its number, and the scheme) into one signed 64-bit key."""
    rows = signature.reshape(BANDS, ROWS_PER_BAND)
    with np.errstate(over="ignore"):
        combined = (rows * _powers_for_rows()).sum(axis=1, dtype=np.uint64)
        combined = combined + _BAND_SALTS
    return tuple(_mix(combined).view(np.int64).tolist())


def _powers_for_rows() -> np.ndarray:
    _ensure_powers(ROWS_PER_BAND)
    return _powers[:ROWS_PER_BAND]
