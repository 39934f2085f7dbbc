"""Floret vectors that remember the vectors of words they have already built.

spaCy's floret ``Vectors.get_batch`` rebuilds every word's vector from its
character n-grams on every call: a Python loop hashing ~15 n-grams per distinct
word, run once per batch by each of the pipeline's two tok2vec layers.  News text
repeats its words (a few thousand distinct words cover most tokens), so keeping
the finished vectors of recently seen words removes most of that work
(≈ 9 % of the whole pipeline's time on the NDT articles, see bench/nlp_speed.py).
The vectors are the ones spaCy computes — cached rows are copies of its output —
so annotations do not change.
"""
from __future__ import annotations

import numpy
from spacy.vectors import Vectors


class CachedFloretVectors(Vectors):
    """A floret ``Vectors`` table with a bounded cache of computed word vectors."""

    #: distinct words kept (200 float32 dims: 800 bytes each, 16 MB when full);
    #: the cache is emptied when full, which keeps the words of the current text
    capacity = 20_000

    @classmethod
    def wrap(cls, vectors: Vectors) -> CachedFloretVectors:
        """The same table (shared data, same hashing settings) with a cache."""
        cfg = vectors._get_cfg()  # floret settings: minn, maxn, hash_count, …
        new = cls(
            strings=vectors.strings,
            data=vectors.data,
            mode=vectors.mode,
            minn=cfg["minn"],
            maxn=cfg["maxn"],
            hash_count=cfg["hash_count"],
            hash_seed=cfg["hash_seed"],
            bow=cfg["bow"],
            eow=cfg["eow"],
            attr=cfg["attr"],
        )
        new.name = vectors.name
        return new

    def _ensure_cache(self) -> None:
        if getattr(self, "_rows", None) is None:
            self._rows: dict[int, int] = {}
            self._table = numpy.empty((self.capacity, self.data.shape[1]), dtype=self.data.dtype)

    def get_batch(self, keys):
        if self.mode != "floret" or not isinstance(self.data, numpy.ndarray):
            return super().get_batch(keys)
        self._ensure_cache()
        keys = numpy.asarray(keys, dtype=numpy.uint64)
        if keys.size == 0:
            return super().get_batch(keys)
        distinct, where = numpy.unique(keys, return_inverse=True)
        rows = self._rows
        missing = [int(k) for k in distinct.tolist() if k not in rows]
        if missing:
            if len(rows) + len(missing) > self.capacity:
                rows.clear()
                if len(missing) > self.capacity:  # one batch larger than the cache
                    return super().get_batch(keys)
                missing = [int(k) for k in distinct.tolist()]
            built = super().get_batch(missing)
            start = len(rows)
            self._table[start:start + len(missing)] = built
            for offset, key in enumerate(missing):
                rows[key] = start + offset
        index = numpy.fromiter((rows[k] for k in distinct.tolist()), dtype=numpy.int64,
                               count=len(distinct))
        return numpy.ascontiguousarray(self._table[index[where.reshape(-1)]])
