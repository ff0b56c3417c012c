#!/usr/bin/env python3
"""The gradient step of `ntk train-nn` written in numpy, for the steps-per-second comparison of issue 18.

    python3 bench/numpy_network_step.py DIGITS_CSV [--widths 1024,4096,16384] [--seconds 5] [--json]

The task is ntk's: digits (1797 rows, 64 pixel columns, target `digit`), every row divided by its Euclidean norm
(--normalize), a two-layer ReLU network f(x) = sum_r s_r*max(w_r.x, 0) with s_r = a_r/sqrt(m), a_r = +-1, Gaussian
W(0), kappa = 1, lambda = 0.1, full-batch gradient descent. One step is what a neuron block does in ntk, in three
numpy calls with their temporaries:

    Z = X @ W                                  pre-activations at W(t) (n x m); outputs u = relu(Z) @ s
    V = (Z >= 0) * ((-kappa*res)[:, None] * s) masked, scaled residual, res = y - kappa*u
    W -= eta * (lam*W + X.T @ V)               gradient and update

numpy runs on whatever BLAS it was built against, with all its threads (the machine's cores); ntk runs its neuron
blocks (1024 neurons each) on the cores with one BLAS thread each. Each width is warmed up for 2 steps, then timed
over whole steps until --seconds have passed (at least 5 steps). Prints one line per width.
"""
import argparse
import json
import time

import numpy as np


def load_digits(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y = data[:, :-1], data[:, -1]
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    return np.asfortranarray(x), y


def steps_per_second(x, y, width, seconds, seed=0):
    n, d = x.shape
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((d, width))
    s = rng.choice([-1.0, 1.0], size=width) / np.sqrt(width)
    kappa, lam = 1.0, 0.1
    # A safe step size (the timing does not depend on it): 1/(kappa^2*||X||_2^2/2 + lam) bounds lambda_max(H(0)).
    eta = 1.0 / (kappa * kappa * np.linalg.norm(x, 2) ** 2 + lam)

    def step(w):
        z = x @ w
        u = np.maximum(z, 0.0) @ s
        e = -kappa * (y - kappa * u)
        v = (z >= 0) * (e[:, None] * s[None, :])
        w -= eta * (lam * w + x.T @ v)
        return u

    for _ in range(2):
        step(w)
    done, start = 0, time.perf_counter()
    while True:
        step(w)
        done += 1
        elapsed = time.perf_counter() - start
        if done >= 5 and elapsed >= seconds:
            return done / elapsed, done, elapsed


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("digits")
    p.add_argument("--widths", default="1024,4096,16384")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    x, y = load_digits(a.digits)
    for width in (int(v) for v in a.widths.split(",")):
        rate, done, elapsed = steps_per_second(x, y, width, a.seconds)
        if a.json:
            print(json.dumps({"tool": "numpy", "numpy": np.__version__, "width": width, "steps_per_second": rate, "steps": done, "seconds": elapsed}))
        else:
            print(f"numpy {np.__version__}: width {width}: {rate:.2f} steps/s ({done} steps in {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
