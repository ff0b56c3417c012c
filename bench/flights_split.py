"""The flights train/test split the benchmarks share (bench/backend.sh, bench/fit_path.sh): a random 150 000 of
flights-200k's rows to train on, the other 50 000 to test on (seed 0), each in file order, header kept.
    python3 bench/flights_split.py FLIGHTS_200K_CSV OUTDIR   -> OUTDIR/flights-150k-train.csv, OUTDIR/flights-50k-test.csv
"""
import sys

import numpy as np

lines = open(sys.argv[1]).read().splitlines()
header, rows = lines[0], lines[1:]
perm = np.random.default_rng(0).permutation(len(rows))
for name, idx in (("flights-150k-train.csv", perm[:150000]), ("flights-50k-test.csv", perm[150000:])):
    with open(f"{sys.argv[2]}/{name}", "w") as f:
        f.write(header + "\n" + "\n".join(rows[i] for i in sorted(idx)) + "\n")
