#!/usr/bin/python3
"""Classification and cross-validation fixtures for NtkCluster (scikit-learn, no project code).

Run with the system Python (Debian python3-sklearn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/classify
    /usr/bin/python3 make_classify_fixtures.py

Reads ``<repo root>/../shared/datasets/digits.csv`` and ``../letters-train.csv`` (the existing regression fixture)
and writes, deterministically, into this folder:

digits-train.csv         data rows 1-300 of digits.csv (64 pixel columns p0..p63, then ``digit`` 0-9)
digits-test.csv          data rows 301-400, same columns
expected-digits-rbf.csv  column ``digit``: the predicted label of each test row. Classifier: one-vs-rest
                         KernelRidge(kernel='rbf', gamma=0.001, alpha=0.1) on raw pixels, no intercept, targets
                         one-hot coded +1 (the row's class) / -1 (every other class) over the sorted training classes;
                         prediction = the class of the largest score (ties to the smallest class, numpy argmax)
digits-cv-folds.csv      column ``fold``: the fold (0-2) of each row of digits-train.csv, from
                         sklearn KFold(n_splits=3, shuffle=True, random_state=0)
expected-cv-digits.csv   columns gamma,lambda,mean,sd: the mean and population sd over the 3 folds of the held-out
                         accuracy of the classifier above, for each grid point (gamma outer, lambda inner, in the order
                         listed), on digits-train.csv with those folds
letters-cv-folds.csv     column ``fold``: fold (0-3) of each row of ../letters-train.csv, KFold(4, shuffle, rs=1)
expected-cv-letters.csv  columns gamma,lambda,mean,sd: held-out MSE (regression on ``letter`` as a number,
                         KernelRidge rbf, raw data, no centring) per grid point, over those 4 folds
README.md is written by hand (see it for the grid, the chosen points and versions).
"""

import os
import sys

import numpy as np
import sklearn
from sklearn.kernel_ridge import KernelRidge
from sklearn.model_selection import KFold

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.normpath(os.path.join(HERE, "../../../../../shared/datasets/digits.csv"))
LETTERS = os.path.join(HERE, "..", "letters-train.csv")


def read(path):
    with open(path) as f:
        header = [h.strip().strip('"') for h in f.readline().strip().split(",")]
    return header, np.loadtxt(path, delimiter=",", skiprows=1)


def write(path, header, rows, fmt):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")


def one_vs_rest(y, classes):
    return np.where(y[:, None] == classes[None, :], 1.0, -1.0)


def classify(xtr, ytr, xte, gamma, lam):
    classes = np.unique(ytr)
    model = KernelRidge(kernel="rbf", gamma=gamma, alpha=lam).fit(xtr, one_vs_rest(ytr, classes))
    return classes[np.argmax(model.predict(xte), axis=1)]


def cv_table(x, y, folds, gammas, lambdas, score):
    rows = []
    for g in gammas:
        for lam in lambdas:
            s = [score(x[folds != k], y[folds != k], x[folds == k], y[folds == k], g, lam) for k in range(folds.max() + 1)]
            rows.append((g, lam, float(np.mean(s)), float(np.std(s))))
    return rows


def main():
    header, d = read(DIGITS)
    assert header[-1] == "digit" and d.shape == (1797, 65)
    train, test = d[:300], d[300:400]
    write(os.path.join(HERE, "digits-train.csv"), header, train, lambda v: str(int(v)))
    write(os.path.join(HERE, "digits-test.csv"), header, test, lambda v: str(int(v)))
    xtr, ytr, xte, yte = train[:, :-1], train[:, -1], test[:, :-1], test[:, -1]

    pred = classify(xtr, ytr, xte, 0.001, 0.1)
    write(os.path.join(HERE, "expected-digits-rbf.csv"), ["digit"], pred[:, None], lambda v: str(int(v)))
    print("digits rbf test accuracy", np.mean(pred == yte), int(np.sum(pred == yte)), "/", len(yte))

    folds = np.empty(300, dtype=int)
    for k, (_, held) in enumerate(KFold(n_splits=3, shuffle=True, random_state=0).split(xtr)):
        folds[held] = k
    write(os.path.join(HERE, "digits-cv-folds.csv"), ["fold"], folds[:, None], lambda v: str(int(v)))
    acc = lambda a, b, c, e, g, lam: float(np.mean(classify(a, b, c, g, lam) == e))
    table = cv_table(xtr, ytr, folds, [0.0003, 0.001, 0.01], [0.01, 1.0, 100.0], acc)
    write(os.path.join(HERE, "expected-cv-digits.csv"), ["gamma", "lambda", "mean", "sd"], table, repr)
    best = max(range(len(table)), key=lambda i: (table[i][2], -i))
    print("digits CV", table, "chosen", table[best])

    lheader, l = read(LETTERS)
    lx, ly = l[:, :-1], l[:, -1]
    lfolds = np.empty(len(ly), dtype=int)
    for k, (_, held) in enumerate(KFold(n_splits=4, shuffle=True, random_state=1).split(lx)):
        lfolds[held] = k
    write(os.path.join(HERE, "letters-cv-folds.csv"), ["fold"], lfolds[:, None], lambda v: str(int(v)))

    def mse(a, b, c, e, g, lam):
        p = KernelRidge(kernel="rbf", gamma=g, alpha=lam).fit(a, b).predict(c)
        return float(np.mean((p - e) ** 2))
    ltable = cv_table(lx, ly, lfolds, [0.001, 0.005, 0.02], [0.01, 0.05, 0.5], mse)
    write(os.path.join(HERE, "expected-cv-letters.csv"), ["gamma", "lambda", "mean", "sd"], ltable, repr)
    lbest = min(range(len(ltable)), key=lambda i: (ltable[i][2], i))
    print("letters CV", ltable, "chosen", ltable[lbest])
    print("python", sys.version.split()[0], "numpy", np.__version__, "sklearn", sklearn.__version__)


if __name__ == "__main__":
    main()
