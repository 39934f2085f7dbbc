"""Near-duplicate fingerprints: MinHash over character shingles, banded for lookup.

Wire copies reprinted with small edits share most of their text. Each article
gets a MinHash signature of its 32-letter shingles (datasketch's ``MinHash``,
128 permutations, seed 20170301, computed here for a whole batch of texts in
NumPy with bit-identical results); the signature is cut into 16 bands, and two
articles that share any band are candidates, confirmed when their estimated
Jaccard similarity reaches ``NEAR_DUPLICATE_THRESHOLD``. The band keys are
stored with the signature, one row per article; an ingest run loads them into
a ``BandIndex`` (memory of a fixed size, the rest in scratch files) and adds its own.

Shingles are taken over the text's letters and digits only, lower-cased, with
everything else dropped: an edit to punctuation, spacing or line breaks does
not change the fingerprint. Everything runs as NumPy array operations over the
UTF-8 bytes (a rolling polynomial hash), because splitting 400-word articles
into words in Python cost more than storing and indexing them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sporbar.normalize.sorted_runs import IdLog, ScratchFolder, SortedRuns

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
MINHASH_SEED = 20170301
# datasketch's permutation parameters for NUM_PERM and MINHASH_SEED, read once.
_PERMUTATIONS: tuple[np.ndarray, np.ndarray] | None = None
_TEXTS_PER_PASS = 32  # ≈ 90,000 letters: the passes' arrays stay in the cache
_HASHES_PER_SLICE = 2048  # × NUM_PERM 32-bit values: 1 MiB, inside the L2 cache
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
_DROP = bytes(i for i in range(256) if not _KEEP[i])
_ASCII = bytes(range(128))
_FINAL_SIGMA = "\u03a3"  # lower-cases to σ or ς depending on the letters around it
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


def _mix_in_place(values: np.ndarray) -> np.ndarray:
    """``_mix`` overwriting ``values`` (two passes fewer to allocate)."""
    shift = np.uint64(33)
    with np.errstate(over="ignore"):
        spare = values >> shift
        values ^= spare
        values *= np.uint64(0xFF51AFD7ED558CCD)
        np.right_shift(values, shift, out=spare)
        values ^= spare
        values *= np.uint64(0xC4CEB9FE1A85EC53)
        np.right_shift(values, shift, out=spare)
        values ^= spare
    return values


def _letters(text: str) -> bytes:
    """The UTF-8 bytes of ``text.lower()`` that belong to words (``bytes.translate`` drops the rest).

    ``str.lower`` walks a non-ASCII text character by character (≈ 30 ns each):
    the bytes are lower-cased instead (ASCII, in C) and the few distinct
    non-ASCII characters one at a time. Lower-casing that depends on context
    (a Greek capital sigma) takes ``str.lower``.
    """
    data = text.encode("utf-8", "surrogatepass").lower()
    if not data.isascii():
        # The non-ASCII characters: the bytes without ASCII, decoded (C passes over the text).
        others = set(data.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        if _FINAL_SIGMA in others:
            data = text.lower().encode("utf-8", "surrogatepass")
        else:
            for character in others:
                lowered = character.lower()
                if lowered != character:
                    data = data.replace(character.encode("utf-8", "surrogatepass"), lowered.encode("utf-8", "surrogatepass"))
    return data.translate(None, _DROP)


def shingle_hashes(text: str) -> np.ndarray:
    """Return the distinct 32-bit hashes of a text's 32-letter shingles (stable across runs)."""
    _, hashes = _batch_shingles([_letters(text)])
    return hashes.astype(np.uint64)


def _batch_shingles(letter_texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of many texts at once: (text number, 32-bit hash) pairs, sorted and distinct.

    The texts' letters are laid end to end and hashed as one array: a window's
    hash does not depend on where it starts, so it equals the hash the text
    alone gives; windows that straddle two texts are dropped. A few NumPy
    passes over a few dozen texts (arrays that stay in the cache) instead of
    a few passes per text.
    """
    lengths = [len(t) for t in letter_texts]
    total = sum(lengths)
    if total < SHINGLE_BYTES:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    letters = np.frombuffer(b"".join(letter_texts), dtype=np.uint8).astype(np.uint64)
    _ensure_powers(total + 1)
    count = total - SHINGLE_BYTES + 1
    with np.errstate(over="ignore"):
        # prefix[i] = sum(letters[j] * BASE**j for j < i), wrapping modulo 2**64.
        prefix = np.empty(total + 1, dtype=np.uint64)
        prefix[0] = 0
        letters *= _powers[:total]
        np.cumsum(letters, dtype=np.uint64, out=prefix[1:])
        # A window's sum divided by BASE**start is the same for the same letters anywhere.
        windows = prefix[SHINGLE_BYTES:]
        windows -= prefix[:count]
        windows *= _inverse_powers[:count]
    hashes = _mix_in_place(windows)
    # Keep a window if it lies inside one text and, in a long text, if the content-defined sample takes it:
    # the same shingle is kept or dropped in every text, so the MinHash of the sample still estimates the
    # texts' Jaccard similarity, at a fraction of the cost.
    sampled = (hashes >> np.uint64(40)) % np.uint64(SAMPLE_MODULUS) == 0
    keep = np.ones(count, dtype=bool)
    end = 0
    for length in lengths:
        start, end = end, end + length
        if length - SHINGLE_BYTES + 1 > SAMPLE_ABOVE * SAMPLE_MODULUS // 4:
            keep[start:end] = sampled[start:end]
        keep[max(start, end - SHINGLE_BYTES + 1) : end] = False  # windows running into the next text
    positions = np.flatnonzero(keep)
    owners = np.searchsorted(np.cumsum(lengths), positions, side="right")
    keyed = (owners.astype(np.uint64) << np.uint64(32)) | (hashes[positions] & _MASK32)
    keyed.sort()
    if len(keyed) > 1:
        keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))]
    return (keyed >> np.uint64(32)).astype(np.int64), (keyed & _MASK32).astype(np.uint32)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A MinHash signature (``NUM_PERM`` 32-bit values, as bytes) and the band keys derived from it."""

    signature_data: bytes
    band_keys: tuple[int, ...]

    @property
    def signature(self) -> np.ndarray:
        return signature_from_bytes(self.signature_data)

    def similarity(self, other_signature: np.ndarray) -> float:
        """Estimate the Jaccard similarity of the two texts' shingle sets."""
        return float(np.mean(np.frombuffer(self.signature_data, dtype=np.uint32) == other_signature))

    def signature_bytes(self) -> bytes:
        # The permuted hash values are 32-bit: stored as such they take half the space.
        return self.signature_data


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint32).astype(np.uint64)


def fingerprint(text: str) -> Fingerprint | None:
    """Return the text's fingerprint, or None when it is too short to compare."""
    return fingerprints([text])[0]


def fingerprints(texts: list[str]) -> list[Fingerprint | None]:
    """Fingerprint many texts at once (None for a text too short to compare).

    The signature is datasketch's ``MinHash(num_perm=128, seed=20170301)`` (its
    default ``affine32`` scheme) updated with the text's shingle hashes,
    computed here for all texts in a few NumPy passes: datasketch applies its
    permutations one text at a time, through a Python call per shingle.
    ``tests/normalize/test_dedupe.py`` checks the two agree.
    """
    results: list[Fingerprint | None] = [None] * len(texts)
    for first in range(0, len(texts), _TEXTS_PER_PASS):
        chunk = texts[first : first + _TEXTS_PER_PASS]
        owners, hashes = _batch_shingles([_letters(t) for t in chunk])
        counts = np.bincount(owners, minlength=len(chunk))
        usable = np.fromiter(
            (counts[i] > 0 and len(t) >= MIN_TEXT_BYTES for i, t in enumerate(chunk)), dtype=bool, count=len(chunk)
        )
        if not usable.any():
            continue
        keep = usable[owners]
        owners, hashes = owners[keep], hashes[keep]
        signatures = _minhash(hashes, np.flatnonzero(np.diff(owners, prepend=-1)))
        keys = band_key_array(signatures).tolist()
        blobs = signatures.tobytes()
        width = NUM_PERM * 4
        for row, index in enumerate(np.flatnonzero(usable).tolist()):
            results[first + index] = Fingerprint(blobs[row * width : (row + 1) * width], tuple(keys[row]))
    return results


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        # datasketch's MinHash._init_permutations for its affine32 scheme (importing datasketch pulls in SciPy:
        # seconds for every worker process). tests/normalize/test_dedupe.py compares with datasketch itself.
        generator = np.random.RandomState(MINHASH_SEED)
        a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _PERMUTATIONS = (a, b)
    return _PERMUTATIONS


def _minhash(hashes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Signatures (one row per text) of sorted runs of 32-bit hashes beginning at ``starts``.

    datasketch's affine32 scheme: MurmurHash3's 32-bit finaliser, then ``a * h + b`` modulo 2**32 per
    permutation, and the minimum per text; done in slices of hashes that keep the arrays in the cache.
    """
    a, b = _permutations()
    with np.errstate(over="ignore"):
        mixed = hashes ^ (hashes >> np.uint32(16))
        mixed *= np.uint32(0x85EBCA6B)
        mixed ^= mixed >> np.uint32(13)
        mixed *= np.uint32(0xC2B2AE35)
        mixed ^= mixed >> np.uint32(16)
    signatures = np.empty((len(starts), NUM_PERM), dtype=np.uint32)
    bounds = np.append(starts, len(hashes))
    text = 0
    while text < len(starts):
        # Whole texts per slice, about _HASHES_PER_SLICE hashes.
        last = int(np.searchsorted(bounds, bounds[text] + _HASHES_PER_SLICE, side="right")) - 1
        last = max(last, text + 1)
        lo, hi = int(bounds[text]), int(bounds[last])
        with np.errstate(over="ignore"):
            # One row per permutation: the minimum runs over contiguous memory (8 times faster than by columns).
            permuted = a[:, None] * mixed[None, lo:hi]
            permuted += b[:, None]
        signatures[text:last] = np.minimum.reduceat(permuted, bounds[text:last] - lo, axis=1).T
        text = last
    return signatures


def band_key_array(signatures: np.ndarray) -> np.ndarray:
    """Hash each band of rows (and its number, and the scheme) into one signed 64-bit key: one row per signature."""
    rows = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS_PER_BAND)
    with np.errstate(over="ignore"):
        combined = (rows * _powers_for_rows()).sum(axis=2, dtype=np.uint64)
        combined = combined + _BAND_SALTS
    return _mix(combined).view(np.int64)


def band_keys(signature: np.ndarray) -> tuple[int, ...]:
    """Hash each band of rows (and its number, and the scheme) into one signed 64-bit key."""
    return tuple(band_key_array(np.asarray(signature).reshape(1, NUM_PERM))[0].tolist())


def _powers_for_rows() -> np.ndarray:
    _ensure_powers(ROWS_PER_BAND)
    return _powers[:ROWS_PER_BAND]


def band_keys_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.int64)


def band_keys_bytes(fp: Fingerprint) -> bytes:
    return np.array(fp.band_keys, dtype=np.int64).tobytes()


class BandIndex:
    """Band key → articles for one ingest run, in memory of a fixed size (``sorted_runs``).

    Built from the band keys the store keeps with each fingerprint (one row per
    article: a table with a row per band key cost 16 random B-tree inserts per
    article, and every batch rewrote most of that table's pages). Keys map to
    article numbers, and numbers to ids in an append-only file: only the few
    articles that share a band are read back. Recent keys stay in memory, the
    rest go to sorted files in a scratch folder (removed by ``close``), so the
    run's memory does not grow with the archive. Keys that no longer hold (an
    updated article) are harmless: every candidate is confirmed against its
    stored signature.
    """

    def __init__(self, folder: Path | None = None, *, memory_entries: int | None = None) -> None:
        self._scratch = ScratchFolder("sporbar-bands-") if folder is None else None
        root = folder if folder is not None else self._scratch.path  # type: ignore[union-attr]
        self._keys = SortedRuns(root / "bands", memory_entries=memory_entries)
        self._ids = IdLog(root / "ids")

    def __len__(self) -> int:
        return len(self._ids)

    def __enter__(self) -> BandIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, ids: list[str], keys: np.ndarray) -> None:
        """Add articles and their band keys (one row of ``BANDS`` keys per article)."""
        if not ids:
            return
        first = self._ids.append(ids)
        flat = np.ascontiguousarray(keys, dtype=np.int64).reshape(-1)
        owners = np.repeat(np.arange(first, first + len(ids), dtype=np.int64), flat.size // len(ids))
        self._keys.add(flat, owners)

    def matches(self, keys: np.ndarray) -> dict[int, list[str]]:
        """Return ``{band_key: [article_id, ...]}`` for the given keys that any article here has."""
        found_keys, owners = self._keys.find(keys)
        if not len(found_keys):
            return {}
        numbers = sorted(set(owners.tolist()))
        ids = dict(zip(numbers, self._ids.get(numbers), strict=True))
        found: dict[int, list[str]] = {}
        for key, owner in zip(found_keys.tolist(), owners.tolist(), strict=True):
            found.setdefault(key, []).append(ids[owner])
        return found

    def close(self) -> None:
        self._keys.close()
        self._ids.close()
        if self._scratch is not None:
            self._scratch.close()
