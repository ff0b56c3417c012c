#!/usr/bin/python3
"""scikit-learn's answer to `ntk fit --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize` (issue 6's peer
benchmark): StandardScaler + RBFSampler + Ridge(fit_intercept=True), as a whole process. Prints one JSON line.
usage: sklearn_flights.py TRAIN.csv TEST.csv [features] [seed]"""
import json, sys, time
start = time.time()
import numpy as np
from sklearn.kernel_approximation import RBFSampler
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
m = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
model = make_pipeline(StandardScaler(), RBFSampler(gamma=0.5, n_components=m, random_state=seed), Ridge(alpha=1.0, fit_intercept=True))
model.fit(train[:, :-1], train[:, -1])
mse = lambda x, y: float(np.mean((model.predict(x) - y) ** 2))
print(json.dumps({"tool": "scikit-learn", "train_mse": mse(train[:, :-1], train[:, -1]), "test_mse": mse(test[:, :-1], test[:, -1]),
                  "seconds": time.time() - start, "n_train": len(train), "n_test": len(test)}))
