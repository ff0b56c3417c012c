#!/usr/bin/env bash
# Issue 18's exact-KRR target: `ntk fit --solver exact` against scikit-learn's KernelRidge on 5000 rows of letters
# (every 4th; 2000 test rows; rbf gamma=0.05, lambda=1, standardized), as whole processes, in alternating pairs so
# both see the same machine load. Prints one line per process (wall s, CPU s, peak KB, test MSE) with the load
# average before it, then the medians and the median ratio of the pairs.
#   bash bench/letters_krr_pairs.sh [PAIRS] [OUTDIR]      (default 3 pairs, bench/out/letters-krr)
# Needs ../shared/datasets/letters.csv beside the repository, libopenblas0 and python3-sklearn (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
out=${2:-bench/out/letters-krr}
mkdir -p "$out"
data=../shared/datasets
py=/usr/bin/python3
dotnet build src/Coordinator -c Release -v q -nologo >/dev/null
# Run a copy of the build, so a rebuild meanwhile cannot change the program under measurement.
rm -rf "$out/ntk" && cp -r src/Coordinator/bin/Release/net10.0 "$out/ntk"
awk -F, 'NR==1 || NR%4==2' $data/letters.csv > "$out/letters-5k.csv"
awk -F, 'NR==1 || (NR%4==3 && NR<8000)' $data/letters.csv > "$out/letters-2k-test.csv"
export OPENBLAS_NUM_THREADS=$(nproc)   # for numpy/scikit-learn; ntk sets its own BLAS threads
measure() { # NAME CMD...: one line "NAME load wall cpu peak_kb test_mse"
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" > "$out/stdout.txt" 2>/dev/null
  local mse; mse=$(grep -o '"test_mse": *[0-9.e+-]*' "$out/stdout.txt" | head -n 1 | sed 's/.*: *//')
  read -r wall user sys peak < "$out/time.txt"
  echo "$name load $load wall $wall cpu $(echo "$user + $sys" | bc) peak_kb $peak test_mse $mse"
}
: > "$out/runs.txt"
for i in $(seq "$pairs"); do
  measure ntk dotnet "$out/ntk/ntk.dll" fit --train "$out/letters-5k.csv" --test "$out/letters-2k-test.csv" \
    --kernel rbf:gamma=0.05 --lambda 1 --solver exact --standardize --json | tee -a "$out/runs.txt"
  measure sklearn $py bench/sklearn_letters_krr.py "$out/letters-5k.csv" "$out/letters-2k-test.csv" | tee -a "$out/runs.txt"
done
$py - "$out/runs.txt" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1])]
get = lambda name, key: [float(r[r.index(key) + 1]) for r in runs if r[0] == name]
for key in ("wall", "cpu", "peak_kb"):
    n, s = get("ntk", key), get("sklearn", key)
    ratios = [a / b for a, b in zip(n, s)]
    print(f"{key}: ntk median {statistics.median(n):g}, scikit-learn median {statistics.median(s):g}, "
          f"median ratio of pairs {statistics.median(ratios):.3f} (pairs: {', '.join(f'{r:.3f}' for r in ratios)})")
print("load averages at the starts:", ", ".join(r[2] for r in runs))
PY
