#!/usr/bin/python3
"""OpenBLAS dsyrk through scipy on a random N×M matrix, best of 3: the reference for `ntk bench gram`.
usage: numpy_dsyrk.py N M"""
import json, sys, time
import numpy as np
from scipy.linalg import blas
n, m = int(sys.argv[1]), int(sys.argv[2])
a = np.asfortranarray(np.random.default_rng(0).uniform(-1, 1, (n, m)))
best = min((lambda t: (blas.dsyrk(1.0, a, trans=1), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(3))
print(json.dumps({"tool": "scipy dsyrk", "rows": n, "features": m, "seconds": best, "gflops": n * m * m / best / 1e9, "threads": __import__("os").environ.get("OPENBLAS_NUM_THREADS")}))
