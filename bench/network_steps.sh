#!/usr/bin/env bash
# Issue 18: gradient steps per second of a two-layer ReLU network on digits (1797 rows, 64 features, rows normalized),
# `ntk train-nn` against the same step in numpy (bench/numpy_network_step.py; apt-get install python3-numpy).
#   bash bench/network_steps.sh [PAIRS] [WIDTHS]       (defaults: 3 pairs; widths "1024 4096 16384")
# ntk's rate is read off one whole train-nn process: its progress lines ("step k/T", one every 5 s when stderr is not
# a terminal) are timestamped as they arrive, and the rate is the steps between the first and the last line before
# the end over the time between them, so start-up, H(0) and the final inspection are left out. (The difference of a
# long and a short run, the issue's first method, went negative on this shared machine: the load moved more between
# the two processes than the steps took.) Whole processes alternate, ntk then numpy, PAIRS times per width; the
# median of the per-pair ratios is printed with the load average before each pair (`uptime`).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
widths=${2:-"1024 4096 16384"}
data=${DIGITS:-../shared/datasets/digits.csv}
py=${PYTHON:-/usr/bin/python3}
dotnet build src/Coordinator -c Release -v q -nologo >/dev/null
ntk() { dotnet src/Coordinator/bin/Release/net10.0/ntk.dll "$@"; }

# Steps per second of train-nn at width W over T steps (2 workers, train-nn's default on 2 cores).
ntk_rate() {
  ntk train-nn --train "$data" --normalize --width "$1" --lambda 0.1 --steps "$2" --no-reference 2>&1 >/dev/null | "$py" -c '
import re, sys, time
points = []
for line in sys.stdin:
    m = re.search(r"step (\d+)/(\d+)", line)
    if m and m.group(1) != m.group(2):
        points.append((time.monotonic(), int(m.group(1))))
if len(points) < 2:
    sys.exit("too few progress lines: give more steps")
print((points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0]))'
}

for w in $widths; do
  case $w in 1024) steps=400 ;; 4096) steps=120 ;; *) steps=40 ;; esac
  ratios=()
  for p in $(seq 1 "$pairs"); do
    load=$(uptime | sed 's/.*load average: //')
    ntk_rate=$(ntk_rate "$w" "$steps")
    np_rate=$("$py" bench/numpy_network_step.py "$data" --widths "$w" --json | "$py" -c 'import json,sys; print(json.load(sys.stdin)["steps_per_second"])')
    ratio=$("$py" -c "print($ntk_rate / $np_rate)")
    ratios+=("$ratio")
    printf 'width %s pair %s: ntk %.2f steps/s, numpy %.2f steps/s, ntk/numpy %.2f (load %s)\n' "$w" "$p" "$ntk_rate" "$np_rate" "$ratio" "$load"
  done
  "$py" -c "import statistics,sys; print('width %s: median ntk/numpy %.2f over %d pairs' % (sys.argv[1], statistics.median(map(float, sys.argv[2:])), len(sys.argv) - 2))" "$w" "${ratios[@]}"
done
