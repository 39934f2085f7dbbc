"""thinc Ops whose matrix multiply is numpy's (OpenBLAS) instead of blis.

On the 2-core development machine thinc's blis gemm runs at ~21 GFLOP/s on one
thread and numpy's OpenBLAS at ~74 GFLOP/s (22k x 288 @ 288 x 288, float32), and gemm
is most of the CNN tok2vec / parser / NER time.  ``language_model.load()`` builds the
pipeline's models under these Ops (set SPORBAR_THINC_BLIS=1 to keep thinc's default).
Results are the same up to float32 rounding.
"""
from __future__ import annotations

import numpy
from thinc.api import NumpyOps


class NumpyBlasOps(NumpyOps):
    name = "numpy"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.dot(x, y)
        if out.flags.c_contiguous and out.dtype == numpy.result_type(x, y):
            numpy.dot(x, y, out=out)
        else:
            out[...] = numpy.dot(x, y)
        return out

