#!/usr/bin/python3
"""Reference values of the statistical dimension s_lambda(K) = tr[(K + lambda I)^-1 K]
(eq. 4 of Lee et al., "Generalized Leverage Score Sampling for Neural Networks", NeurIPS 2020)
for NtkCluster.Numerics.Tests/Spectral.

Run with the *system* Python, which has Debian's python3-numpy / python3-sklearn (a pyenv
``python3`` earlier on PATH may lack scikit-learn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/spectral
    /usr/bin/python3 make_spectral_fixture.py

Input: the first 300 data rows of ../letters-train.csv (16 integer features, then the
``letter`` target, which is ignored). Uses no project code.

Kernels (X = the 16 features of the 300 rows, standardized by sklearn's StandardScaler fitted
on those 300 rows: population standard deviation, ddof = 0):
  rbf   sklearn.metrics.pairwise.rbf_kernel(X, gamma=0.05)
  ntk   rows of the standardized X scaled to unit Euclidean norm (a zero row stays zero), then
        K(x,z) = x.z * (pi - arccos(c)) / (2 pi), c = clip(x.z / (|x||z|), -1, 1), K = 0 if
        x or z is zero (the same independent numpy NTK as ../make_fixtures.py)

For each kernel and lambda in {0.01, 0.1, 1, 10}:
  s_lambda = trace(numpy.linalg.solve(K + lambda I, K))
cross-checked against sum(mu / (mu + lambda)) over numpy.linalg.eigvalsh(K) (negative
eigenvalues clamped to 0).

Output (overwritten deterministically):
  spectral-fixture.csv        columns kernel,lambda,s_lambda   (8 rows)
  spectral-norm-fixture.csv   columns kernel,spectral_norm     (2 rows: largest eigenvalue of K)
Floats are written with repr(float), the shortest string that round-trips to the same double.
"""

import math
import os

import numpy as np
import sklearn
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
LETTERS_TRAIN = os.path.join(HERE, "..", "letters-train.csv")
N_ROWS = 300
GAMMA = 0.05
LAMBDAS = [0.01, 0.1, 1.0, 10.0]


def read_rows(path, count):
    with open(path, "r", encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    header = lines[0].split(",")
    assert header[-1] == "letter" and len(header) == 17, header
    rows = [[float(v) for v in l.split(",")] for l in lines[1:1 + count]]
    assert len(rows) == count
    return np.array(rows, dtype=np.float64)[:, :-1]


def ntk_relu(A, B):
    dot = A @ B.T
    denom = np.outer(np.linalg.norm(A, axis=1), np.linalg.norm(B, axis=1))
    zero = denom == 0.0
    c = np.clip(np.divide(dot, denom, out=np.zeros_like(dot), where=~zero), -1.0, 1.0)
    K = dot * (np.pi - np.arccos(c)) / (2.0 * np.pi)
    K[zero] = 0.0
    return K


def unit_rows(X):
    n = np.linalg.norm(X, axis=1, keepdims=True)
    return np.divide(X, n, out=np.zeros_like(X), where=n != 0.0)


def s_solve(K, lam):
    return float(np.trace(np.linalg.solve(K + lam * np.eye(K.shape[0]), K)))


def s_eig(K, lam):
    mu = np.clip(np.linalg.eigvalsh(K), 0.0, None)
    return float(np.sum(mu / (mu + lam)))


def fmt(x):
    x = float(x)
    assert math.isfinite(x)
    return repr(x)


def main():
    X = read_rows(LETTERS_TRAIN, N_ROWS)
    S = StandardScaler().fit_transform(X)
    kernels = {"rbf": rbf_kernel(S, gamma=GAMMA), "ntk": ntk_relu(unit_rows(S), unit_rows(S))}

    rows, norms = [], []
    for name, K in kernels.items():
        assert np.array_equal(K, K.T) or np.max(np.abs(K - K.T)) < 1e-14, name
        mu = np.linalg.eigvalsh(K)
        norms.append((name, float(mu[-1])))
        print("%s: eigenvalues min %.3e max %.6g, diagonal min %r max %r"
              % (name, mu[0], mu[-1], K.diagonal().min(), K.diagonal().max()))
        for lam in LAMBDAS:
            s = s_solve(K, lam)
            rel = abs(s - s_eig(K, lam)) / s
            assert rel < 1e-10, (name, lam, rel)
            line = "%s lambda=%-5g s=%r  |solve - eigvalsh|/s = %.2e" % (name, lam, s, rel)
            if name == "ntk":
                # arccos is ill-conditioned at c = 1, so K(x,x) (exactly 0.5 on the unit sphere) comes out a few
                # 1e-9 low, depending on rounding. Sensitivity of s to that: recompute with the exact diagonal.
                Kx = K.copy()
                np.fill_diagonal(Kx, 0.5)
                line += "  |s(diag=0.5) - s|/s = %.2e" % (abs(s_solve(Kx, lam) - s) / s)
            print(line)
            rows.append((name, lam, s))

    with open(os.path.join(HERE, "spectral-fixture.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("kernel,lambda,s_lambda\n")
        for name, lam, s in rows:
            f.write("%s,%s,%s\n" % (name, fmt(lam), fmt(s)))
    with open(os.path.join(HERE, "spectral-norm-fixture.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("kernel,spectral_norm\n")
        for name, v in norms:
            f.write("%s,%s\n" % (name, fmt(v)))
    print("numpy %s, scikit-learn %s" % (np.__version__, sklearn.__version__))


if __name__ == "__main__":
    main()
