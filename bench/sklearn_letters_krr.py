#!/usr/bin/python3
"""scikit-learn KernelRidge on 5000 rows of letters (issue 6's exact-KRR peer benchmark), as a whole process.
usage: sklearn_letters_krr.py TRAIN.csv TEST.csv"""
import json, sys, time
start = time.time()
import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.preprocessing import StandardScaler

train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
scaler = StandardScaler().fit(train[:, :-1])
y_mean = train[:, -1].mean()
model = KernelRidge(alpha=1.0, kernel="rbf", gamma=0.05).fit(scaler.transform(train[:, :-1]), train[:, -1] - y_mean)
pred = lambda x: model.predict(scaler.transform(x)) + y_mean
mse = lambda x, y: float(np.mean((pred(x) - y) ** 2))
print(json.dumps({"tool": "scikit-learn", "train_mse": mse(train[:, :-1], train[:, -1]), "test_mse": mse(test[:, :-1], test[:, -1]),
                  "seconds": time.time() - start, "n_train": len(train)}))
