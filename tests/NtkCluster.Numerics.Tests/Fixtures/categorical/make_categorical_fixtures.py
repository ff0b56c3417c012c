#!/usr/bin/python3
"""Categorical-feature fixtures for NtkCluster (numpy + scikit-learn, no project code).

Run with the system Python (Debian python3-sklearn):

    cd tests/NtkCluster.Numerics.Tests/Fixtures/categorical
    /usr/bin/python3 make_categorical_fixtures.py

No dataset in ../shared/datasets has a text feature column small enough for an exact fit (flights-3m.parquet's
airport codes are Parquet, 3 million rows), so the table is generated here, the way a used-car listing looks:

cars-train.csv   60 rows: weight (kg, integer), power (kW, one decimal), body (text: hatchback, sedan, suv, van,
                 wagon), fuel (text: diesel, electric, petrol), price (the target, in thousands, two decimals);
                 price = 8 + weight/200 + power/15 + body and fuel offsets + noise
cars-test.csv    20 rows of the same kind without the target; the seventh row has body 'coupe', a category the training rows
                 do not have
expected.csv     column price: predictions for cars-test.csv of
                 ColumnTransformer(StandardScaler() on weight and power, OneHotEncoder(handle_unknown='ignore') on
                 body and fuel) then KernelRidge(kernel='rbf', gamma=0.2, alpha=0.1), fitted on the training rows with
                 the target centred by its mean (added back to the predictions) — what
                 `ntk fit --solver exact --kernel rbf:gamma=0.2 --lambda 0.1 --standardize` does. The unseen 'coupe'
                 is encoded as all zeros by both. The RBF kernel does not depend on the order of the columns, so the
                 encoder's column order (numeric first) and ntk's (one-hot columns where the text column stood) agree.
"""

import os

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.kernel_ridge import KernelRidge
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
BODIES = ["hatchback", "sedan", "suv", "van", "wagon"]
FUELS = ["diesel", "electric", "petrol"]
BODY_OFFSET = {"hatchback": -2.0, "sedan": 0.0, "suv": 4.0, "van": 2.0, "wagon": 1.0, "coupe": 3.0}
FUEL_OFFSET = {"diesel": 1.0, "electric": 5.0, "petrol": 0.0}
GAMMA, ALPHA = 0.2, 0.1


def table(rng, n, bodies):
    weight = rng.integers(900, 2400, n)
    power = np.round(rng.uniform(40, 200, n), 1)
    body = [bodies[i] for i in rng.integers(0, len(bodies), n)]
    fuel = [FUELS[i] for i in rng.integers(0, len(FUELS), n)]
    price = np.round(8 + weight / 200 + power / 15 + np.array([BODY_OFFSET[b] for b in body])
                     + np.array([FUEL_OFFSET[f] for f in fuel]) + rng.normal(0, 0.5, n), 2)
    return weight, power, body, fuel, price


def write(path, header, rows):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def frame(weight, power, body, fuel):
    x = np.empty((len(body), 4), dtype=object)
    x[:, 0], x[:, 1], x[:, 2], x[:, 3] = weight.astype(float), power, body, fuel
    return x


def main():
    rng = np.random.default_rng(16)
    w, p, b, f, y = table(rng, 60, BODIES)
    wt, pt, bt, ft, _ = table(rng, 20, BODIES)
    bt[6] = "coupe"
    write(os.path.join(HERE, "cars-train.csv"), ["weight", "power", "body", "fuel", "price"],
          [[str(int(w[i])), repr(float(p[i])), b[i], f[i], repr(float(y[i]))] for i in range(len(y))])
    write(os.path.join(HERE, "cars-test.csv"), ["weight", "power", "body", "fuel"],
          [[str(int(wt[i])), repr(float(pt[i])), bt[i], ft[i]] for i in range(len(bt))])

    encode = ColumnTransformer([("num", StandardScaler(), [0, 1]),
                                ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), [2, 3])])
    x = encode.fit_transform(frame(w, p, b, f)).astype(float)
    xt = encode.transform(frame(wt, pt, bt, ft)).astype(float)
    mean = y.mean()
    model = KernelRidge(kernel="rbf", gamma=GAMMA, alpha=ALPHA).fit(x, y - mean)
    pred = model.predict(xt) + mean
    write(os.path.join(HERE, "expected.csv"), ["price"], [[repr(float(v))] for v in pred])


if __name__ == "__main__":
    main()
