#!/usr/bin/env bash
# Network ↔ NTK ridge regression measurements (issue 4). Slow: about half an hour on 2 cores.
#   bash bench/networks.sh [OUTDIR]        (default bench/out/networks)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/networks}
mkdir -p "$out"
data=../shared/datasets
dotnet build src/Coordinator -c Release -v q -nologo >/dev/null
ntk() { dotnet src/Coordinator/bin/Release/net10.0/ntk.dll "$@"; }

# 300 training rows, 142 test rows (test fraction 142/442).
common=(--train $data/diabetes.csv --test-fraction 0.32127 --standardize --normalize --scale-target --kappa 1 --steps 20000)

echo "== diabetes, lambda=1e-3, 20000 steps: test gap against width" | tee "$out/summary.txt"
ntk width-sweep "${common[@]}" --lambda 1e-3 --widths 100,1000,4000,16000 2>>"$out/progress.log" | tee -a "$out/summary.txt"

echo "== diabetes, lambda=1 (s_lambda well below n), 20000 steps" | tee -a "$out/summary.txt"
ntk spectral --train $data/diabetes.csv --standardize --normalize --kernel ntk --lambda 1 --features 100 2>/dev/null | grep s_lambda | tee -a "$out/summary.txt"
ntk width-sweep "${common[@]}" --lambda 1 --widths 100,1000,4000 2>>"$out/progress.log" | tee -a "$out/summary.txt"

echo "== digits (n=1797, d=64, rows normalized), width 16384: steps per second by workers" | tee -a "$out/summary.txt"
for w in 1 2; do
  ntk train-nn --train $data/digits.csv --normalize --width 16384 --lambda 0.1 --steps 20 --no-reference --workers $w --json 2>>"$out/progress.log" \
    | tail -n 1 | python3 -c 'import json,sys; j=json.load(sys.stdin); s, t = j["steps"], j["seconds"]; print("workers %s: %.3f steps/s over %d steps (%.1f s incl. setup)" % (sys.argv[1], s / t, s, t))' "$w" | tee -a "$out/summary.txt"
done
