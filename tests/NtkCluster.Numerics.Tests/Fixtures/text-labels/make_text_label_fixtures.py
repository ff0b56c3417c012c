#!/usr/bin/python3
"""Text-label classification, metrics and stratified-fold fixtures for NtkCluster (scikit-learn, no project code).

Run with the system Python (Debian python3-sklearn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/text-labels
    /usr/bin/python3 make_text_label_fixtures.py

Writes, deterministically, into this folder:

iris-train.csv            scikit-learn's bundled iris data, rows whose index mod 3 != 0 (100 rows): the two sepal
                          measurements (sepal_length, sepal_width: the classes overlap, so there are errors), then ``species`` as TEXT:
                          "setosa", "Versicolor" and "virginica, tall" (a capital letter and a comma on purpose: the
                          ordinal class order is Versicolor < setosa < virginica, tall, and the comma must be quoted)
iris-test.csv             the rows whose index mod 3 == 0 (50 rows), same columns
expected-iris-rbf.csv     column ``species``: the predicted label of each test row, and one column per class holding
                          its score. Classifier: one-vs-rest KernelRidge(kernel='rbf', gamma=0.2, alpha=1.0) on the
                          raw sepal measurements, no intercept, targets +1 (the row's class) / -1 (every other class) over the
                          classes in np.unique order (ordinal for str); prediction = the class of the largest score
expected-confusion.csv    sklearn.metrics.confusion_matrix(truth, predicted, labels=classes): column ``true`` (the
                          class), then one column per predicted class
expected-per-class.csv    columns class,precision,recall,f1,support: precision_recall_fscore_support(truth,
                          predicted, labels=classes, zero_division=0); a last row ``macro`` holds f1_score(average=
                          'macro') in the f1 column
expected-stratified.csv   columns dataset,fold,class,count: how many rows of each class StratifiedKFold puts in each
                          held-out fold — dataset ``iris``: the labels of iris-train.csv, 4 folds; dataset ``skewed``:
                          the labels in skewed-labels.csv, 5 folds
skewed-labels.csv         column ``label``: 43 rows of 4 unbalanced classes (23 a, 11 c, 7 b, 2 d), shuffled
"""

import csv
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = np.array(["setosa", "Versicolor", "virginica, tall"])
COLUMNS = ["sepal_length", "sepal_width", "species"]


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    iris = load_iris()
    x, y = iris.data[:, :2], NAMES[iris.target]  # the sepals only: versicolor and virginica overlap, so there are errors
    test_rows = np.arange(len(y)) % 3 == 0
    xtr, ytr, xte, yte = x[~test_rows], y[~test_rows], x[test_rows], y[test_rows]
    write("iris-train.csv", COLUMNS, [[repr(float(v)) for v in r] + [l] for r, l in zip(xtr, ytr)])
    write("iris-test.csv", COLUMNS, [[repr(float(v)) for v in r] + [l] for r, l in zip(xte, yte)])

    classes = np.unique(ytr)
    targets = np.where(ytr[:, None] == classes[None, :], 1.0, -1.0)
    scores = KernelRidge(kernel="rbf", gamma=0.2, alpha=1.0).fit(xtr, targets).predict(xte)
    predicted = classes[np.argmax(scores, axis=1)]
    write("expected-iris-rbf.csv", ["species"] + list(classes), [[p] + [repr(float(s)) for s in row] for p, row in zip(predicted, scores)])

    cm = confusion_matrix(yte, predicted, labels=classes)
    write("expected-confusion.csv", ["true"] + list(classes), [[c] + [int(v) for v in row] for c, row in zip(classes, cm)])
    p, r, f, s = precision_recall_fscore_support(yte, predicted, labels=classes, zero_division=0)
    macro = f1_score(yte, predicted, labels=classes, average="macro", zero_division=0)
    rows = [[c, repr(float(a)), repr(float(b)), repr(float(e)), int(n)] for c, a, b, e, n in zip(classes, p, r, f, s)]
    rows.append(["macro", "", "", repr(float(macro)), ""])
    write("expected-per-class.csv", ["class", "precision", "recall", "f1", "support"], rows)
    print("iris test accuracy", np.mean(predicted == yte), "macro-F1", macro)

    rng = np.random.default_rng(7)
    skewed = np.array(["a"] * 23 + ["c"] * 11 + ["b"] * 7 + ["d"] * 2)
    rng.shuffle(skewed)
    write("skewed-labels.csv", ["label"], [[l] for l in skewed])

    counts = []
    for name, labels, k in [("iris", ytr, 4), ("skewed", skewed, 5)]:
        for fold, (_, held) in enumerate(StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels)):
            for c in np.unique(labels):
                counts.append([name, fold, c, int(np.sum(labels[held] == c))])
    write("expected-stratified.csv", ["dataset", "fold", "class", "count"], counts)
    print("python", sys.version.split()[0], "numpy", np.__version__, "sklearn", sklearn.__version__)


if __name__ == "__main__":
    main()
