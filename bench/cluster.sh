#!/usr/bin/env bash
# A loopback cluster (a coordinator and 2 workers with one compute thread each, deploy/loopback.sh) against local mode
# with 2 workers (issue 5 and issue 6 measurements). Slow: about 45 minutes on 2 cores.
#   bash bench/cluster.sh [OUTDIR]        (default bench/out/cluster; NTK_BENCH_STEPS="10" skips the 1000-step runs)
# Every cluster job runs on a freshly started cluster, so each node's peak RSS (VmHWM) belongs to that job alone.
# "Messaging" is estimated as what the cluster adds to local mode's time for the same job (same blocks, same
# window, same compute threads): serialization, chunking, loopback TCP and the coordinator's extra copies.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/cluster}
mkdir -p "$out"
data=../shared/datasets
dotnet build NtkCluster.sln -c Release -v q -nologo >/dev/null
export NTK_LOOPBACK_NO_BUILD=1 NTK_LOOPBACK_THREADS=1
ntk_dll=src/Coordinator/bin/Release/net10.0/ntk.dll
timed() { /usr/bin/time -f "%e s wall, %M KB peak (client)" "$@"; }   # whole-process time and peak RSS on stderr

# The peak RSS of every node of the running loopback cluster.
node_peaks() {
  while read -r pid name port log; do
    printf '  %s: peak %s MB\n' "$name" "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  done < deploy/.run/pids
}

# NAME ARGS...: the ntk job locally (2 workers in the process), then on a fresh loopback cluster of 2 workers.
both() {
  local name=$1; shift
  echo "-- $name, local mode (--workers 2)"
  timed dotnet $ntk_dll "$@" --workers 2 --json 2>"$out/$name-local.err" | tail -n 1; tail -n 1 "$out/$name-local.err"
  bash deploy/loopback.sh start 2 2>"$out/$name-start.log"
  echo "-- $name, coordinator + 2 workers on loopback"
  timed dotnet $ntk_dll "$@" --cluster 127.0.0.1:4053 --json 2>"$out/$name-cluster.err" | tail -n 1; tail -n 1 "$out/$name-cluster.err"
  node_peaks
  bash deploy/loopback.sh stop 2>>"$out/$name-start.log"
}
trap 'bash deploy/loopback.sh stop 2>/dev/null || true' EXIT

{
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB"
echo "== flights-200k, 150 000 training / 50 000 test rows, rbf gamma=0.5, lambda=1, 1024 features, standardized"
both flights-200k fit --train $data/flights-200k.csv --test-fraction 0.25 --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize

# The default step size needs H(0) (a minute of n×n work): computed once here, then given, so that the runs time steps.
lr=$(dotnet $ntk_dll train-nn --train $data/digits.csv --normalize --width 16384 --lambda 0.1 --steps 1 --no-reference --json 2>/dev/null \
  | tail -n 1 | python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["lr"]))')
echo "== digits (1797 rows, rows normalized), width 16384, lambda=0.1, lr=$lr: 10 and 1000 steps (the difference is 990 steps)"
for steps in ${NTK_BENCH_STEPS:-10 1000}; do
  both digits-$steps train-nn --train $data/digits.csv --normalize --width 16384 --lambda 0.1 --lr "$lr" --steps $steps --no-reference
done

head -n 5001 $data/letters.csv > "$out/letters-5k.csv"
echo "== letters, first 5000 rows (4000 training), classify, M=500 by exact leverage scores (pool 10 000: 40 scoring blocks)"
both letters-5k-leverage fit --train "$out/letters-5k.csv" --test-fraction 0.2 --task classify --kernel rbf:gamma=0.05 --features 500 \
  --lambda 0.01 --standardize --sampling leverage

echo "== flights-3m, all 3 000 000 rows, 1024 features (streamed from disk locally; shipped to the coordinator on a cluster)"
both flights-3m fit --train $data/flights-3m.csv --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize
} 2>&1 | tee "$out/summary.txt"
