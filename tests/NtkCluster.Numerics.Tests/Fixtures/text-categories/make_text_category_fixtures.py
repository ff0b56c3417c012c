#!/usr/bin/python3
"""Text labels beside text categories and missing cells, for NtkCluster (numpy + scikit-learn, no project code).

Run with the system Python (Debian python3-sklearn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/text-categories
    /usr/bin/python3 make_text_category_fixtures.py

Writes, deterministically, into this folder a small commuting survey, messy the way an R export is (NA cells):

trips-train.csv    90 rows: distance (km, one decimal; NA in 8 rows), weather (text: dry, rain, snow; NA in 6 rows),
                   zone (text: "North", "south", "East-West": NA in 4 rows), then mode, the label, as TEXT ("Bike",
                   "bus", "car, shared": a capital and a comma, so the ordinal class order is Bike < bus < car, shared);
                   5 rows have the label NA (ntk and this script drop them). The label columns sits between the
                   features on purpose: --target names it.
trips-test.csv     30 rows of the same kind with every label present; NA cells in each feature column, and two rows
                   with zone "Harbour", a category the training rows do not have
expected.csv       column mode: the predicted label of each test row, then one column per class with its score, of
                   ColumnTransformer(SimpleImputer(median) on distance;
                                     SimpleImputer(most_frequent) then OneHotEncoder(handle_unknown='ignore') on weather
                                     and zone)
                   then one-vs-rest KernelRidge(kernel='rbf', gamma=0.5, alpha=0.5) on +1/-1 targets over the classes in
                   np.unique order, no intercept, fitted on the training rows that have a label — what
                   `ntk fit --task classify --missing median --kernel rbf:gamma=0.5 --lambda 0.5 --solver exact` does
                   (a missing category takes the most frequent training category, as SimpleImputer(most_frequent);
                   the unseen "Harbour" is all zeros, as handle_unknown='ignore')
"""

import csv
import os
import sys

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.kernel_ridge import KernelRidge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
WEATHER = ["dry", "rain", "snow"]
ZONES = ["North", "south", "East-West"]
MODES = np.array(["Bike", "bus", "car, shared"])
GAMMA, ALPHA = 0.5, 0.5
HEADER = ["distance", "weather", "mode", "zone"]


def table(rng, n, zones):
    distance = np.round(rng.uniform(0.5, 3.0, n), 1)
    weather = np.array([WEATHER[i] for i in rng.choice(3, n, p=[0.5, 0.3, 0.2])], dtype=object)
    zone = np.array([zones[i] for i in rng.integers(0, len(zones), n)], dtype=object)
    # Short dry trips by bike, long ones by car, bus in between or in snow; some noise.
    score = distance + 0.8 * (weather == "rain") + 1.5 * (weather == "snow") + 0.4 * (zone == "East-West") + rng.normal(0, 0.4, n)
    mode = np.where(score < 1.6, 0, np.where(score < 2.8, 1, 2))
    return distance, weather, MODES[mode].astype(object), zone


def blank(rng, column, count):
    column = column.astype(object)
    column[rng.choice(len(column), count, replace=False)] = None
    return column


def write(name, rows):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for d, wt, m, z in rows:
            w.writerow(["NA" if d is None else repr(float(d)), "NA" if wt is None else wt, "NA" if m is None else m, "NA" if z is None else z])


def frame(distance, weather, zone):
    x = np.empty((len(distance), 3), dtype=object)
    x[:, 0] = [np.nan if d is None else float(d) for d in distance]
    x[:, 1] = [np.nan if w is None else w for w in weather]
    x[:, 2] = [np.nan if z is None else z for z in zone]
    return x


def main():
    rng = np.random.default_rng(16)
    d, w, m, z = table(rng, 90, ZONES)
    d, w, z, m = blank(rng, d, 8), blank(rng, w, 6), blank(rng, z, 4), blank(rng, m, 5)
    dt, wt, mt, zt = table(rng, 30, ZONES)
    dt, wt, zt = blank(rng, dt, 3), blank(rng, wt, 2), blank(rng, zt, 2)
    zt[[4, 17]] = "Harbour"
    write("trips-train.csv", zip(d, w, m, z))
    write("trips-test.csv", zip(dt, wt, mt, zt))

    labelled = np.array([v is not None for v in m])
    x, y = frame(d, w, z)[labelled], m[labelled].astype(str)
    encode = ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), [0]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)), [1, 2]),
    ])
    xf = encode.fit_transform(x).astype(float)
    xtf = encode.transform(frame(dt, wt, zt)).astype(float)
    classes = np.unique(y)
    targets = np.where(y[:, None] == classes[None, :], 1.0, -1.0)
    scores = KernelRidge(kernel="rbf", gamma=GAMMA, alpha=ALPHA).fit(xf, targets).predict(xtf)
    predicted = classes[np.argmax(scores, axis=1)]
    with open(os.path.join(HERE, "expected.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["mode"] + list(classes))
        out.writerows([[p] + [repr(float(s)) for s in row] for p, row in zip(predicted, scores)])
    print("test accuracy", np.mean(predicted == mt.astype(str)), "classes", list(classes))
    print("python", sys.version.split()[0], "numpy", np.__version__, "sklearn", sklearn.__version__)


if __name__ == "__main__":
    main()
