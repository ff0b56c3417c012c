#!/usr/bin/python3
"""Generate the kernel ridge regression reference fixtures for NtkCluster.Numerics.Tests.

Run with the *system* Python, which has Debian's python3-sklearn / python3-numpy /
python3-scipy installed (a pyenv ``python3`` earlier on PATH may lack scikit-learn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures
    /usr/bin/python3 make_fixtures.py

The script only reads ``<repo root>/../shared/datasets/letters.csv`` (the repository
root is three levels above this folder, so from here the path is
``../../../../shared/datasets/letters.csv``) and writes everything into the folder
that contains this script. It uses no project code: every expected value comes from
scikit-learn, or (for the neural tangent kernel) from an independent numpy
implementation below. Re-running it overwrites the files deterministically.

Files written
-------------
letters-train.csv        first 400 data rows of letters.csv: 16 integer features, then
                         the ``letter`` target (0-25) as last column; plain header names.
letters-test.csv         the next 200 data rows (rows 401-600), same format.
letters-train-2t.csv     same 400 rows, but the first feature column (``x.box``) moved to
                         the end as a second target: 15 features, ``letter``, ``x.box``.
letters-test-2t.csv      same 200 test rows in the two-target layout.
expected-<case>.csv      predictions on the 200 test rows, header ``prediction``
                         (or ``prediction_letter,prediction_x.box`` for the two-target
                         case), each value written with repr(float) (shortest string
                         that round-trips to the identical double).
README.md                human-readable description, parameters, library versions,
                         provenance.

Cases (X = the 16 features as float64, y = ``letter`` as a float regression target)
------------------------------------------------------------------------------------
rbf-raw           KernelRidge(kernel="rbf", gamma=0.02, alpha=0.5) on raw X, raw y.
laplace-raw       KernelRidge(kernel="laplacian", gamma=0.05, alpha=0.5) on raw X, raw y.
rbf-standardized  X standardised by StandardScaler fitted on the training rows (applied to
                  the test rows); y centred by the training mean, mean added back to the
                  predictions; KernelRidge(kernel="rbf", gamma=0.05, alpha=0.1).
ntk-normalized    X standardised as above, then each row scaled to unit Euclidean norm (a
                  zero row stays zero); y centred as above; kernel ridge with the two-layer
                  ReLU NTK  K(x,z) = x.z * (pi - arccos(c)) / (2 pi),  c = x.z/(|x||z|)
                  clipped to [-1,1], K = 0 if either row is zero; lambda = 0.1.
rbf-two-targets   as rbf-raw (gamma=0.02, alpha=0.5, raw data, no centring) but with X =
                  the 15 columns after ``x.box`` and a 2-column target (``letter``, ``x.box``).
"""

import hashlib
import math
import os
import platform
import sys

import numpy as np
import scipy
import scipy.linalg
import sklearn
from sklearn.kernel_ridge import KernelRidge
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
LETTERS = os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "datasets", "letters.csv"))

N_TRAIN = 400
N_TEST = 200

RBF_RAW = dict(kernel="rbf", gamma=0.02, alpha=0.5)
LAPLACE_RAW = dict(kernel="laplacian", gamma=0.05, alpha=0.5)
RBF_STD = dict(kernel="rbf", gamma=0.05, alpha=0.1)
NTK_LAMBDA = 0.1


# --------------------------------------------------------------------------- I/O


def read_letters(path):
    """Return (header names without quotes, list of rows of ints)."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    header = [h.strip().strip('"') for h in lines[0].split(",")]
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) != len(header):
            raise ValueError("bad row: %r" % line)
        rows.append([int(v) for v in fields])
    return header, rows


def fmt(v):
    """Integers as ints, floats with repr (shortest round-trip form)."""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    x = float(v)
    if not math.isfinite(x):
        raise ValueError("non-finite value %r" % x)
    return repr(x)


def write_csv(name, header, rows):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")
    return path


def write_predictions(name, header, pred):
    pred = np.asarray(pred, dtype=np.float64)
    if pred.ndim == 1:
        pred = pred[:, None]
    assert pred.shape == (N_TEST, len(header)), pred.shape
    assert np.all(np.isfinite(pred))
    write_csv(name, header, [[float(v) for v in row] for row in pred])


# ----------------------------------------------------------------------- kernels


def ntk_relu(A, B):
    """Two-layer ReLU neural tangent kernel, independent numpy implementation.

    K(x,z) = x.z * (pi - arccos(c)) / (2*pi), c = x.z / (|x| |z|) clipped to [-1, 1];
    K(x,z) = 0 when x or z is the zero vector.
    """
    dot = A @ B.T
    na = np.linalg.norm(A, axis=1)
    nb = np.linalg.norm(B, axis=1)
    denom = np.outer(na, nb)
    zero = denom == 0.0
    c = np.divide(dot, denom, out=np.zeros_like(dot), where=~zero)
    c = np.clip(c, -1.0, 1.0)
    K = dot * (np.pi - np.arccos(c)) / (2.0 * np.pi)
    K[zero] = 0.0
    return K


def unit_rows(X):
    n = np.linalg.norm(X, axis=1, keepdims=True)
    return np.divide(X, n, out=np.zeros_like(X), where=n != 0.0)


# ------------------------------------------------------------------------- main


def main():
    header, rows = read_letters(LETTERS)
    assert header[-1] == "letter", header
    assert len(header) == 17, header
    assert len(rows) >= N_TRAIN + N_TEST
    feats = header[:-1]
    train_rows = rows[:N_TRAIN]
    test_rows = rows[N_TRAIN:N_TRAIN + N_TEST]

    write_csv("letters-train.csv", header, train_rows)
    write_csv("letters-test.csv", header, test_rows)

    tr = np.array(train_rows, dtype=np.float64)
    te = np.array(test_rows, dtype=np.float64)
    Xtr, ytr = tr[:, :-1], tr[:, -1]
    Xte, yte = te[:, :-1], te[:, -1]

    results = {}  # case -> (prediction array, description)

    # 1. rbf-raw
    p = KernelRidge(**RBF_RAW).fit(Xtr, ytr).predict(Xte)
    write_predictions("expected-rbf-raw.csv", ["prediction"], p)
    results["rbf-raw"] = p

    # 2. laplace-raw
    p = KernelRidge(**LAPLACE_RAW).fit(Xtr, ytr).predict(Xte)
    write_predictions("expected-laplace-raw.csv", ["prediction"], p)
    results["laplace-raw"] = p

    # 3. rbf-standardized
    scaler = StandardScaler().fit(Xtr)
    Str, Ste = scaler.transform(Xtr), scaler.transform(Xte)
    ymean = float(ytr.mean())
    p = KernelRidge(**RBF_STD).fit(Str, ytr - ymean).predict(Ste) + ymean
    write_predictions("expected-rbf-standardized.csv", ["prediction"], p)
    results["rbf-standardized"] = p

    # 4. ntk-normalized
    Ntr, Nte = unit_rows(Str), unit_rows(Ste)
    Ktr = ntk_relu(Ntr, Ntr)
    Kte = ntk_relu(Nte, Ntr)
    alpha = scipy.linalg.solve(Ktr + NTK_LAMBDA * np.eye(N_TRAIN), ytr - ymean, assume_a="pos")
    p = Kte @ alpha + ymean
    # cross-check against a plain LU solve
    alpha_lu = np.linalg.solve(Ktr + NTK_LAMBDA * np.eye(N_TRAIN), ytr - ymean)
    assert np.allclose(Kte @ alpha_lu + ymean, p, rtol=1e-9, atol=1e-9)
    write_predictions("expected-ntk-normalized.csv", ["prediction"], p)
    results["ntk-normalized"] = p
    # Sensitivity: arccos is ill-conditioned at c = 1, so the diagonal K(x,x) = 0.5 comes
    # out as 0.5 - O(1e-9) depending on how c rounds. Measure the effect on the predictions
    # by redoing the fit with the diagonal set to its exact value 0.5.
    Kx = Ktr.copy()
    np.fill_diagonal(Kx, 0.5)
    p_exact = Kte @ np.linalg.solve(Kx + NTK_LAMBDA * np.eye(N_TRAIN), ytr - ymean) + ymean
    ntk_sensitivity = float(np.max(np.abs(p_exact - p)))
    ntk_diag_min = float(Ktr.diagonal().min())

    # 5. rbf-two-targets: first feature column becomes the second target
    col2 = feats[0]
    header2 = feats[1:] + ["letter", col2]
    train2 = [r[1:16] + [r[16], r[0]] for r in train_rows]
    test2 = [r[1:16] + [r[16], r[0]] for r in test_rows]
    write_csv("letters-train-2t.csv", header2, train2)
    write_csv("letters-test-2t.csv", header2, test2)
    tr2 = np.array(train2, dtype=np.float64)
    te2 = np.array(test2, dtype=np.float64)
    X2tr, Y2tr = tr2[:, :15], tr2[:, 15:]
    X2te, Y2te = te2[:, :15], te2[:, 15:]
    P2 = KernelRidge(**RBF_RAW).fit(X2tr, Y2tr).predict(X2te)
    assert P2.shape == (N_TEST, 2)
    # column 0 must equal a single-target fit of letter on the same 15 features
    p_single = KernelRidge(**RBF_RAW).fit(X2tr, Y2tr[:, 0]).predict(X2te)
    assert np.allclose(p_single, P2[:, 0], rtol=1e-12, atol=1e-12)
    write_predictions("expected-rbf-two-targets.csv",
                      ["prediction_letter", "prediction_" + col2], P2)
    results["rbf-two-targets"] = P2

    # ---------------------------------------------------------- sanity summary
    def mse(a, b):
        return float(np.mean((np.asarray(a) - np.asarray(b)) ** 2))

    baseline = mse(np.full_like(yte, ymean), yte)
    mses = {}
    for case, p in results.items():
        if p.ndim == 2:
            mses[case] = "letter %.4f, %s %.4f" % (mse(p[:, 0], Y2te[:, 0]), col2,
                                                  mse(p[:, 1], Y2te[:, 1]))
        else:
            mses[case] = "%.4f" % mse(p, yte)
    col2_baseline = mse(np.full(N_TEST, Y2tr[:, 1].mean()), Y2te[:, 1])

    with open(LETTERS, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }
    zero_var = [feats[i] for i in range(16) if scaler.var_[i] == 0.0]

    write_readme(header, feats, col2, header2, versions, sha, mses, baseline,
                 col2_baseline, ymean, zero_var, ntk_sensitivity, ntk_diag_min)

    print("letters.csv:", LETTERS, "sha256", sha)
    print("header:", ",".join(header))
    print("versions:", versions)
    print("training mean of letter: %r" % ymean)
    print("ntk: min diagonal K %r; max |prediction change| with exact diagonal 0.5: %.3g"
          % (ntk_diag_min, ntk_sensitivity))
    print("test MSE, predicting the training mean of letter: %.4f" % baseline)
    for case, m in mses.items():
        print("test MSE %-17s %s" % (case, m))


def write_readme(header, feats, col2, header2, versions, sha, mses, baseline,
                 col2_baseline, ymean, zero_var, ntk_sensitivity, ntk_diag_min):
    L = []
    a = L.append
    a("# Kernel ridge regression reference fixtures")
    a("")
    a("Generated by `make_fixtures.py` in this folder. Do not edit the CSV files by hand; to")
    a("regenerate them (deterministic, overwrites everything listed below):")
    a("")
    a("```sh")
    a("cd tests/NtkCluster.Numerics.Tests/Fixtures")
    a("/usr/bin/python3 make_fixtures.py   # system Python with Debian python3-sklearn")
    a("```")
    a("")
    a("The script reads `<repo root>/../shared/datasets/letters.csv` (from this folder:")
    a("`../../../../shared/datasets/letters.csv`) and uses no project code.")
    a("")
    a("## Files")
    a("")
    a("| file | content |")
    a("|---|---|")
    a("| `letters-train.csv` | data rows 1-400 of letters.csv: 16 integer features, then `letter` (0-25 for A-Z) |")
    a("| `letters-test.csv` | data rows 401-600, same columns |")
    a("| `letters-train-2t.csv` | rows 1-400 with `%s` moved to the end as a second target: 15 features, `letter`, `%s` |" % (col2, col2))
    a("| `letters-test-2t.csv` | rows 401-600, same layout |")
    a("| `expected-rbf-raw.csv` | column `prediction`, 200 rows (predictions for letters-test.csv) |")
    a("| `expected-laplace-raw.csv` | column `prediction`, 200 rows |")
    a("| `expected-rbf-standardized.csv` | column `prediction`, 200 rows |")
    a("| `expected-ntk-normalized.csv` | column `prediction`, 200 rows |")
    a("| `expected-rbf-two-targets.csv` | columns `prediction_letter,prediction_%s`, 200 rows (predictions for letters-test-2t.csv) |" % col2)
    a("| `make_fixtures.py` | the generator |")
    a("")
    a("Format: one header row with plain (unquoted) names, comma separated, `\\n` line endings,")
    a("invariant-culture numbers. Data values are integers written as integers. Predictions are")
    a("written with Python `repr(float)`, the shortest decimal string that round-trips to the")
    a("identical IEEE double (at most 17 significant digits); parse with")
    a("`double.Parse(s, CultureInfo.InvariantCulture)`.")
    a("")
    a("Header of letters-train.csv / letters-test.csv:")
    a("")
    a("    " + ",".join(header))
    a("")
    a("Header of letters-train-2t.csv / letters-test-2t.csv:")
    a("")
    a("    " + ",".join(header2))
    a("")
    a("## Cases")
    a("")
    a("All cases train on the 400 training rows and predict the 200 test rows; X is the")
    a("feature block as float64 and y the target(s) as float64 regression targets (the")
    a("class index of `letter` is treated as a number). scikit-learn's `KernelRidge` has no")
    a("intercept: it solves `(K + alpha*I) a = y` and predicts `K_test a`.")
    a("")
    a("| case | X preprocessing | y preprocessing | kernel | parameters |")
    a("|---|---|---|---|---|")
    a("| `rbf-raw` | none (16 raw features) | none | rbf: exp(-gamma * \\|\\|x-z\\|\\|_2^2) | gamma = 0.02, alpha = 0.5 |")
    a("| `laplace-raw` | none (16 raw features) | none | laplacian: exp(-gamma * \\|\\|x-z\\|\\|_1) (L1 / Manhattan distance) | gamma = 0.05, alpha = 0.5 |")
    a("| `rbf-standardized` | StandardScaler fitted on train, applied to test | subtract training mean, add it back to predictions | rbf | gamma = 0.05, alpha = 0.1 |")
    a("| `ntk-normalized` | StandardScaler as above, then each row divided by its Euclidean norm (zero row stays zero) | centred as above | two-layer ReLU NTK (below) | lambda = 0.1 |")
    a("| `rbf-two-targets` | none (15 raw features: all but `%s`) | none; y is 2 columns (`letter`, `%s`) | rbf | gamma = 0.02, alpha = 0.5 |" % (col2, col2))
    a("")
    a("StandardScaler: z = (x - mean) / std with the population standard deviation (ddof = 0)")
    a("of the training rows; a zero-variance column would get scale 1. Zero-variance training")
    a("columns here: %s." % (", ".join("`%s`" % c for c in zero_var) if zero_var else "none"))
    a("Training mean of `letter`: %r." % ymean)
    a("")
    a("Two-layer ReLU neural tangent kernel (numpy, independent of the project code):")
    a("")
    a("    K(x,z) = x.z * (pi - arccos(c)) / (2*pi),   c = clip(x.z / (|x| |z|), -1, 1)")
    a("    K(x,z) = 0 if x or z is the zero vector")
    a("")
    a("solved as `alpha = (K + 0.1 I)^-1 (y - mean)` with `scipy.linalg.solve(assume_a='pos')`")
    a("(cross-checked against `numpy.linalg.solve`), prediction `K_test alpha + mean`.")
    a("")
    a("**Tolerance note.** arccos is ill-conditioned at c = 1 (arccos(1 - e) ~ sqrt(2e)), so")
    a("the diagonal K(x,x), exactly 0.5 in theory, comes out a few 1e-9 below 0.5,")
    a("depending on how x.x/(|x||x|) rounds (smallest diagonal entry here: %r)." % ntk_diag_min)
    a("Refitting with the diagonal set to exactly 0.5 moves the predictions by up to %.2g." % ntk_sensitivity)
    a("An implementation that sums in a different order will differ by about that much, so")
    a("compare `expected-ntk-normalized.csv` with an absolute tolerance of about 1e-6. The")
    a("other cases are well conditioned and agree with an independent numpy")
    a("recomputation to about 1e-12.")
    a("")
    a("For `rbf-two-targets` the multi-output fit is equivalent to two independent fits with")
    a("the same kernel matrix; the script asserts that the `prediction_letter` column equals a single-target fit.")
    a("")
    a("## Sanity check (test-set MSE against the true values)")
    a("")
    a("| case | test MSE |")
    a("|---|---|")
    a("| predict training mean of `letter` (baseline) | %.4f |" % baseline)
    for case, m in mses.items():
        a("| `%s` | %s |" % (case, m))
    a("| predict training mean of `%s` (baseline, two-target case) | %.4f |" % (col2, col2_baseline))
    a("")
    a("## Versions used")
    a("")
    for k, v in versions.items():
        a("- %s %s" % (k, v))
    a("")
    a("## Provenance of the data")
    a("")
    a("letters.csv is the UCI Letter Recognition data set (P. W. Frey and D. J. Slate,")
    a("\"Letter Recognition Using Holland-style Adaptive Classifiers\", Machine Learning 6(2),")
    a("1991), as shipped in the R package mlbench 2.1-3 (GPL-2), Debian package")
    a("r-cran-mlbench, with `letter` coded 0-25 for A-Z. It was copied from the project's")
    a("shared datasets (`shared/datasets/letters.csv`, 20000 rows x 16 features, header names")
    a("quoted as R writes them; the fixtures write them unquoted). SHA-256 of the source file")
    a("used: `%s`. The fixture CSVs are unmodified subsets (rows 1-600) of that file." % sha)
    a("")
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    if sys.version_info < (3, 6):
        sys.exit("needs Python 3")
    main()
