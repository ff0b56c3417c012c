#!/usr/bin/env bash
# Issue 18's fit-path measurement: the 150k/50k flights fit (1024 random Fourier features, rbf γ = 0.5, λ = 1,
# standardized) as whole processes, ntk and scikit-learn alternating (A B A B …), and `ntk bench gram` for the same
# shape in the same window; every run's load average is recorded, since the machine is shared. Medians at the end.
#   bash bench/fit_path.sh [OUTDIR] [PAIRS]      (defaults bench/out/fit-path, 3)
# Needs ../shared/datasets beside the repository, libopenblas0 and python3-sklearn (apt). NTK_TIMING=1 adds ntk's
# stage-by-stage timings (docs/performance.md#where-a-fits-time-goes) to OUTDIR/ntk-N.err.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/fit-path}
pairs=${2:-3}
mkdir -p "$out"
data=../shared/datasets
py=/usr/bin/python3
[ "${NO_BUILD:-0}" = 1 ] || dotnet build src/Coordinator -c Release -v q -nologo >/dev/null   # NO_BUILD=1: use the build there is
ntk=src/Coordinator/bin/Release/net10.0/ntk.dll
export OPENBLAS_NUM_THREADS=$(nproc)   # for scikit-learn; ntk sets its own BLAS threads
export OPENBLAS_CORETYPE=SkylakeX      # scikit-learn with the kernels ntk chooses (bench/backend.sh)

# The split of bench/backend.sh (bench/flights_split.py): a random 150 000 of flights-200k's rows to train on, the other 50 000 to test (seed 0).
[ -f "$out/flights-150k-train.csv" ] || $py bench/flights_split.py "$data/flights-200k.csv" "$out"

# One whole process: "wall cpu peak_kb load" on the last line of FILE.err, its stdout in FILE.out.
run() {
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err"
  read -r wall user sys kb <"$out/$name.time"
  echo "$name $wall $(awk "BEGIN{print $user + $sys}") $kb $load" | tee -a "$out/runs.txt"
}
: >"$out/runs.txt"
echo "# name wall_s cpu_s peak_kb load_at_start   ($(nproc) cores, $(date -u +%FT%TZ))" | tee -a "$out/runs.txt"
for i in $(seq 1 "$pairs"); do
  NTK_TIMING=1 run "ntk-$i" dotnet $ntk fit --train "$out/flights-150k-train.csv" --test "$out/flights-50k-test.csv" \
    --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize --json --quiet
  run "sklearn-$i" $py bench/sklearn_flights.py "$out/flights-150k-train.csv" "$out/flights-50k-test.csv" 1024 0
  run "gram-$i" dotnet $ntk bench gram --rows 150000 --features 1024 --repeats 1 --json
done
grep -ho '"test_mse": *[0-9.]*' "$out"/ntk-1.out "$out"/sklearn-1.out
$py - "$out/runs.txt" <<'PY'
import sys, statistics as st
runs = [l.split() for l in open(sys.argv[1]) if not l.startswith("#")]
by = lambda p: [r for r in runs if r[0].startswith(p)]
ntk, sk, gram = by("ntk-"), by("sklearn-"), by("gram-")
med = lambda rs, k: st.median(float(r[k]) for r in rs)
ratios = [float(a[1]) / float(b[1]) for a, b in zip(ntk, sk)]
print(f"ntk: wall {med(ntk,1):.2f} s, CPU {med(ntk,2):.2f} s, peak {med(ntk,3)/1024:.0f} MB (medians of {len(ntk)})")
print(f"scikit-learn: wall {med(sk,1):.2f} s, CPU {med(sk,2):.2f} s, peak {med(sk,3)/1024:.0f} MB")
print(f"wall ratio ntk/scikit-learn per pair {', '.join(f'{r:.2f}' for r in ratios)}; median {st.median(ratios):.2f} (target <= 0.5)")
print(f"ntk bench gram process: wall {med(gram,1):.2f} s; load averages {min(float(r[4]) for r in runs):.1f}-{max(float(r[4]) for r in runs):.1f}")
PY
# The Gram time itself (not its process) is bench gram's "seconds" field: the blocked accumulation as a fit runs it.
grep -ho '"seconds":[0-9.]*' "$out"/gram-*.out
