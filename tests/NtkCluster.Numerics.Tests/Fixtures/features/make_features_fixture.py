"""Fixtures for `ntk features` (tests/NtkCluster.Cluster.Tests/Tools/FeaturesCommandTests.cs).

Two hand-made model files and the feature matrices an independent implementation gives for data.csv:
- rbf-model.json: rbf draws taken from scikit-learn's RBFSampler (random_weights_, random_offset_), with
  standardization and row normalization; expected-rbf.csv = RBFSampler.transform of the preprocessed rows.
- ntk-model.json: ntk draws with leverage-style weights p/q; expected-ntk.csv = numpy's
  phi(z) = (1/sqrt(M)) [sqrt(weight_r) * z * 1[w_r.z >= 0]]_r, draw-major.
Run with the system Python (Debian's numpy and scikit-learn): /usr/bin/python3 make_features_fixture.py
"""
import json
import numpy as np
from sklearn.kernel_approximation import RBFSampler

rng = np.random.default_rng(7)
n, d = 12, 3
names = ["x1", "x2", "x3"]
raw = rng.uniform(-3, 5, size=(n, d))
target = rng.normal(size=n)
means = raw.mean(axis=0)
scales = raw.std(axis=0)

def preprocess(x):
    z = (x - means) / scales
    return z / np.linalg.norm(z, axis=1, keepdims=True)

def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")

def matrix(m):
    m = np.asarray(m, dtype=float)
    return {"rows": m.shape[0], "cols": m.shape[1], "values": [float(v) for v in m.reshape(-1)]}

def model(kernel, sampling, draws, weights, coefficients):
    return {
        "format": "ntk-model", "format_version": 1, "program_version": "fixture", "kind": "random-features",
        "formulation": "primal", "kernel": kernel, "lambda": 0.1, "seed": 0, "sampling": sampling,
        "feature_names": names, "target_names": ["y"],
        "preprocessing": {"standardize": True, "scale_target": False, "normalize": True,
                          "feature_means": [float(v) for v in means], "feature_scales": [float(v) for v in scales],
                          "target_means": [float(target.mean())], "target_scales": [1.0]},
        "draws": matrix(draws), "weights": [float(v) for v in weights], "coefficients": matrix(coefficients),
    }

write_csv("data.csv", names + ["y"], np.column_stack([raw, target]))
z = preprocess(raw)

# rbf: scikit-learn's sampler; the model stores one draw per row as [w, b].
m_rbf, gamma = 6, 0.7
sampler = RBFSampler(gamma=gamma, n_components=m_rbf, random_state=3).fit(z)
draws = np.column_stack([sampler.random_weights_.T, sampler.random_offset_])
with open("rbf-model.json", "w") as f:
    json.dump(model(f"rbf:gamma={gamma}", "plain", draws, np.ones(m_rbf), rng.normal(size=(m_rbf, 1))), f)
write_csv("expected-rbf.csv", [f"f{j}" for j in range(m_rbf)], sampler.transform(z))

# ntk with weights p/q != 1.
m_ntk = 4
w = rng.normal(size=(m_ntk, d))
weights = rng.uniform(0.3, 2.5, size=m_ntk)
psi = np.concatenate([np.sqrt(weights[r] / m_ntk) * z * (z @ w[r] >= 0)[:, None] for r in range(m_ntk)], axis=1)
with open("ntk-model.json", "w") as f:
    json.dump(model("ntk", "leverage", w, weights, rng.normal(size=(m_ntk * d, 1))), f)
write_csv("expected-ntk.csv", [f"f{j}" for j in range(m_ntk * d)], psi)
