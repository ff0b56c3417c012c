#!/usr/bin/python3
"""Missing-value and separator fixtures for NtkCluster (numpy + scikit-learn, no project code).

Run with the system Python (Debian python3-sklearn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/missing
    /usr/bin/python3 make_missing_fixtures.py

Writes, deterministically, into this folder:

air-train.csv           60 rows: features a, b, c uniform in [-2, 2) (3 decimals), target y = sin(a) + b*c + noise;
                        missing cells written as R, pandas and UCI files write them: NA in a, empty in b, ? in c,
                        and NA in the target y of two rows
air-train-csv2.csv      the same table as R's write.csv2 writes it: quoted names, ';' between fields, decimal commas
air-test.csv            20 rows of the same kind, with missing feature cells (NA, NaN, empty) and no target column
expected-mean.csv       column y: predictions for air-test.csv of SimpleImputer(strategy='mean') then
                        KernelRidge(kernel='rbf', gamma=0.5, alpha=0.1), both fitted on the training rows that have a
                        target (the rows with a missing target are dropped first); the test rows are filled with the
                        training means
expected-median.csv     the same with SimpleImputer(strategy='median')
expected-drop.csv       column y: predictions for the complete rows of air-test.csv (a, b, c all present; listed in
                        air-test-complete.csv) of the same KernelRidge fitted on the training rows with no missing cell
air-test-complete.csv   those complete test rows
"""

import os

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.kernel_ridge import KernelRidge

HERE = os.path.dirname(os.path.abspath(__file__))
GAMMA, ALPHA = 0.5, 0.1


def table(rng, n):
    x = np.round(rng.uniform(-2, 2, size=(n, 3)), 3)
    y = np.round(np.sin(x[:, 0]) + x[:, 1] * x[:, 2] + 0.1 * rng.standard_normal(n), 4)
    return x, y


def cell(v, marker):
    return marker if np.isnan(v) else repr(float(v))


def write(path, header, rows, sep=",", quote=False, decimal_comma=False):
    with open(path, "w", newline="\n") as f:
        names = [f'"{h}"' if quote else h for h in header]
        f.write(sep.join(names) + "\n")
        for r in rows:
            f.write(sep.join(c.replace(".", ",") if decimal_comma else c for c in r) + "\n")


def main():
    rng = np.random.default_rng(20261206)
    xtr, ytr = table(rng, 60)
    xte, _ = table(rng, 20)
    # Holes in the training features: a (NA) every 7th row from 3, b (empty) every 11th from 5, c (?) every 13th from 2.
    train_markers = ["NA", "", "?"]
    for c, (start, step) in enumerate([(3, 7), (5, 11), (2, 13)]):
        xtr[start::step, c] = np.nan
    ytr = ytr.copy()
    ytr[[20, 41]] = np.nan
    test_markers = ["NaN", "", "NA"]
    for c, (start, step) in enumerate([(1, 6), (4, 9), (0, 8)]):
        xte[start::step, c] = np.nan

    rows = [[cell(v, train_markers[c]) for c, v in enumerate(r)] + [cell(t, "NA")] for r, t in zip(xtr, ytr)]
    write(os.path.join(HERE, "air-train.csv"), ["a", "b", "c", "y"], rows)
    write(os.path.join(HERE, "air-train-csv2.csv"), ["a", "b", "c", "y"], rows, sep=";", quote=True, decimal_comma=True)
    write(os.path.join(HERE, "air-test.csv"), ["a", "b", "c"], [[cell(v, test_markers[c]) for c, v in enumerate(r)] for r in xte])

    has_target = ~np.isnan(ytr)
    x, y = xtr[has_target], ytr[has_target]
    for strategy in ["mean", "median"]:
        imputer = SimpleImputer(strategy=strategy).fit(x)
        model = KernelRidge(kernel="rbf", gamma=GAMMA, alpha=ALPHA).fit(imputer.transform(x), y)
        pred = model.predict(imputer.transform(xte))
        write(os.path.join(HERE, f"expected-{strategy}.csv"), ["y"], [[repr(float(p))] for p in pred])

    complete = ~np.isnan(x).any(axis=1)
    model = KernelRidge(kernel="rbf", gamma=GAMMA, alpha=ALPHA).fit(x[complete], y[complete])
    test_complete = ~np.isnan(xte).any(axis=1)
    write(os.path.join(HERE, "air-test-complete.csv"), ["a", "b", "c"], [[repr(float(v)) for v in r] for r in xte[test_complete]])
    pred = model.predict(xte[test_complete])
    write(os.path.join(HERE, "expected-drop.csv"), ["y"], [[repr(float(p))] for p in pred])
    print(f"train rows with a target {int(has_target.sum())}, complete {int(complete.sum())}; "
          f"test rows {len(xte)}, complete {int(test_complete.sum())}")


if __name__ == "__main__":
    main()
