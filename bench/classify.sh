#!/usr/bin/env bash
# Digits classification (issue 7): ntk cv --task classify (exact NTK-KRR and rbf, 5-fold cross-validated λ, and γ for
# rbf) against scikit-learn (bench/sklearn_digits.py) on the same fixed split and the same grid. A few minutes on 2 cores.
#   bash bench/classify.sh [OUTDIR]        (default bench/out/classify)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/classify}
mkdir -p "$out"
dotnet build src/Coordinator -c Release -v q -nologo >/dev/null
ntk() { dotnet src/Coordinator/bin/Release/net10.0/ntk.dll "$@"; }

# The fixed split: 360 test rows chosen by numpy's RandomState(0) permutation, the other 1437 for training.
/usr/bin/python3 - "$out" <<'PY'
import sys, numpy as np
src = "../shared/datasets/digits.csv"
header = open(src).readline().strip()
d = np.loadtxt(src, delimiter=",", skiprows=1).astype(int)
p = np.random.RandomState(0).permutation(len(d))
for name, rows in (("digits-test.csv", np.sort(p[:360])), ("digits-train.csv", np.sort(p[360:]))):
    np.savetxt(f"{sys.argv[1]}/{name}", d[rows], fmt="%d", delimiter=",", header=header, comments="")
PY
common=(--train "$out/digits-train.csv" --test "$out/digits-test.csv" --task classify --lambda 1e-4..10:6 --folds 5 --refit --json)
{
  ntk cv "${common[@]}" --kernel rbf --gamma 0.0003,0.001,0.003 2>>"$out/progress.log" | tail -n 1
  ntk cv "${common[@]}" --kernel ntk --normalize 2>>"$out/progress.log" | tail -n 1
} > "$out/ntk.jsonl"
/usr/bin/python3 bench/sklearn_digits.py "$out/digits-train.csv" "$out/digits-test.csv" > "$out/sklearn.jsonl"
/usr/bin/python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, sys
ntk = [json.loads(l) for l in open(f"{sys.argv[1]}/ntk.jsonl")]
sk = [json.loads(l) for l in open(f"{sys.argv[1]}/sklearn.jsonl")]
print("| kernel | tool | chosen | CV accuracy | test accuracy | seconds |")
print("|---|---|---|---|---|---|")
for n, s in zip(ntk, sk):
    c = n["chosen"]
    print(f"| {s['kernel']} | ntk | {c['kernel']}, λ = {c['lambda']:g} | {c['mean']:.4f} | {n['refit']['test_accuracy']:.4f} | {n['seconds'] + n['refit']['seconds']:.1f} |")
    g = f"gamma={s['gamma']:g}, " if s["gamma"] is not None else ""
    print(f"| {s['kernel']} | scikit-learn | {g}λ = {s['lambda']:g} | {s['cv_accuracy']:.4f} | {s['test_accuracy']:.4f} | {s['seconds']:.1f} |")
PY
