#!/usr/bin/env bash
# Issue 6's measurements: Gram throughput against OpenBLAS dsyrk, end-to-end fits against scikit-learn as whole
# processes, and the 3-million-row streamed fit. Run on a quiet machine (nothing else using the cores).
#   bash bench/backend.sh [OUTDIR]        (default bench/out/backend)
# Needs ../shared/datasets beside the repository, libopenblas0 and python3-sklearn (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/backend}
mkdir -p "$out"
data=../shared/datasets
py=/usr/bin/python3
dotnet build src/Coordinator -c Release -v q -nologo >/dev/null
ntk() { dotnet src/Coordinator/bin/Release/net10.0/ntk.dll "$@"; }
timed() { /usr/bin/time -f "%e s wall, %M KB peak" "$@"; }   # whole-process time and peak RSS on stderr
export OPENBLAS_NUM_THREADS=$(nproc)   # for numpy/scikit-learn; ntk sets its own BLAS threads
{
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB"
echo "== Gram 20000×2048"
for b in openblas managed; do ntk bench gram --rows 20000 --features 2048 --repeats $([ $b = managed ] && echo 1 || echo 3) --backend $b --json | tail -n 1; done
$py bench/numpy_dsyrk.py 20000 2048

# A random 150 000 of flights-200k's rows for training, the other 50 000 for testing (seed 0): bench/flights_split.py.
$py bench/flights_split.py "$data/flights-200k.csv" "$out"
echo "== flights 150k/50k, rbf gamma=0.5, lambda=1, 1024 features, standardized: whole processes"
for b in openblas managed; do
  timed dotnet src/Coordinator/bin/Release/net10.0/ntk.dll fit --train "$out/flights-150k-train.csv" --test "$out/flights-50k-test.csv" \
    --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize --backend $b --json 2>"$out/fit-$b.err" | tail -n 1; tail -n 1 "$out/fit-$b.err"
done
for seed in 0 1; do timed $py bench/sklearn_flights.py "$out/flights-150k-train.csv" "$out/flights-50k-test.csv" 1024 $seed; done

echo "== exact KRR, letters 5000 training rows (every 4th), 2000 test rows, rbf gamma=0.05, lambda=1, standardized"
awk -F, 'NR==1 || NR%4==2' $data/letters.csv > "$out/letters-5k.csv"
awk -F, 'NR==1 || (NR%4==3 && NR<8000)' $data/letters.csv > "$out/letters-2k-test.csv"
for b in openblas managed; do
  timed dotnet src/Coordinator/bin/Release/net10.0/ntk.dll fit --train "$out/letters-5k.csv" --test "$out/letters-2k-test.csv" \
    --kernel rbf:gamma=0.05 --lambda 1 --solver exact --standardize --backend $b --json 2>"$out/krr-$b.err" | tail -n 1; tail -n 1 "$out/krr-$b.err"
done
timed $py bench/sklearn_letters_krr.py "$out/letters-5k.csv" "$out/letters-2k-test.csv"

echo "== flights-3m, all 3 000 000 rows streamed from disk, 1024 features (train MSE only: every row is training)"
timed dotnet src/Coordinator/bin/Release/net10.0/ntk.dll fit --train $data/flights-3m.csv \
  --kernel rbf:gamma=0.5 --lambda 1 --features 1024 --standardize --json 2>"$out/fit-3m.err" | tail -n 1; tail -n 1 "$out/fit-3m.err"
} 2>&1 | tee "$out/summary.txt"
