#!/usr/bin/python3
"""scikit-learn's side of the digits classification benchmark (bench/classify.sh): one-vs-rest KernelRidge on ±1
targets, arg-max prediction, 5-fold cross-validated over the same grid as `ntk cv` (folds from sklearn's own
KFold(shuffle=True, random_state=0), so the fold assignment differs from ntk's; the train/test split is the same files).
  rbf: raw pixels, gamma in {3e-4, 1e-3, 3e-3}, lambda in 1e-4..10 (6 log-spaced values)
  ntk: rows scaled to unit norm, the two-layer ReLU NTK x.z (pi - arccos c) / (2 pi) (precomputed), same lambdas
usage: sklearn_digits.py TRAIN.csv TEST.csv      prints one JSON line per kernel"""
import json, sys, time
import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
xtr, ytr, xte, yte = train[:, :-1], train[:, -1].astype(int), test[:, :-1], test[:, -1].astype(int)
classes = np.unique(ytr)
LAMBDAS = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]


def ntk(a, b):
    g = a @ b.T
    c = np.clip(g / np.outer(np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)), -1, 1)
    return g * (np.pi - np.arccos(c)) / (2 * np.pi)


def fit_predict(kernel, gamma, lam, a, ya, b):
    y = np.where(ya[:, None] == classes[None, :], 1.0, -1.0)
    if kernel == "rbf":
        m = KernelRidge(kernel="rbf", gamma=gamma, alpha=lam).fit(a, y)
        scores = m.predict(b)
    else:
        a, b = normalize(a), normalize(b)
        m = KernelRidge(kernel="precomputed", alpha=lam).fit(ntk(a, a), y)
        scores = m.predict(ntk(b, a))
    return classes[np.argmax(scores, axis=1)]


for kernel, gammas in (("rbf", [3e-4, 1e-3, 3e-3]), ("ntk", [None])):
    start = time.time()
    grid = [(g, lam) for g in gammas for lam in LAMBDAS]
    means = []
    for g, lam in grid:
        accs = [np.mean(fit_predict(kernel, g, lam, xtr[t], ytr[t], xtr[h]) == ytr[h])
                for t, h in KFold(n_splits=5, shuffle=True, random_state=0).split(xtr)]
        means.append(float(np.mean(accs)))
    best = int(np.argmax(means))  # first of the best, as ntk cv
    g, lam = grid[best]
    test_acc = float(np.mean(fit_predict(kernel, g, lam, xtr, ytr, xte) == yte))
    print(json.dumps({"tool": "scikit-learn", "kernel": kernel, "gamma": g, "lambda": lam, "cv_accuracy": means[best],
                      "test_accuracy": test_acc, "seconds": time.time() - start}))
