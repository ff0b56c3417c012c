#!/usr/bin/env bash
# Issue 13's measurements: the partitioned data plane (a dataset as partitions that the workers read themselves).
#
#   bash bench/partitions.sh [SECTION...]      SECTION: scale | overhead | intake | projection | all (default all)
#
# Each section is independent (run them one at a time, in any order, again after a failure): it prepares what it
# needs under $NTK_BENCH_WORK, starts its own loopback cluster (deploy/loopback.sh: a coordinator and 2 workers as
# real processes on 127.0.0.1) and stops it, and writes its report to $NTK_BENCH_OUT/SECTION.txt (also on stdout)
# and every process's figures to $NTK_BENCH_OUT/runs/*.json.
#
#   scale       10 hard links to flights-3m.parquet in one directory (110 partitions: 11 row groups each, 30 M rows;
#               columns distance, date, delay), fit with 512 plain random features (primal, target delay), locally
#               and on a fresh loopback cluster of 2 workers: wall time, every process's peak memory, what the client
#               wrote and sent, and `cmp` of the two model files.              full scale: ~10–15 min (estimate)
#   overhead    all 3 M rows of flights-3m.csv, 1024 features: local mode (--workers = cores) against a warm
#               loopback cluster of 2 one-thread workers on the same cores, A B A B … (3 pairs), wall time and the
#               CPU of every process; the median of the pairs' ratios. Run for each form of the data in
#               NTK_BENCH_OVERHEAD_FORMS: `parts` (the CSV cut into 16 files in a directory: the partitioned path)
#               and `file` (the single file: the path it always had).      full scale: ~15–25 min (estimate)
#   intake      the table of bytes into the coordinator per round (bench/partition_intake.py, from the serializer's
#               payload layout), and one row checked against the coordinator's own TCP counters in a partitioned
#               fit on a warm cluster.                                     ~1–2 min
#   projection  the GEMM rate of this machine (`ntk bench gram`, m = 4096) and one Gram round of 10^9 rows, m = 4096,
#               on 100 machines with 10 Gb/s links, on paper.                ~1 min
#
# Run it on a quiet machine: the figures are wall times and CPU times of processes sharing the cores.
#
# Environment (all optional):
#   NTK_BENCH_OUT=bench/out/partitions    reports and figures
#   NTK_BENCH_WORK=/tmp/ntk-bench-partitions  datasets made here (hard links where possible, else copies; ~0.6 GB)
#   NTK_BENCH_DATA=../shared/datasets     flights-3m.parquet and flights-3m.csv
#   NTK_BENCH_NO_BUILD=1                  use the existing Release build of src/Coordinator and src/Worker
#   NTK_BENCH_PORT=4053                   the loopback coordinator's port (the workers take the next two)
#   NTK_BENCH_WORKER_THREADS=1            --threads of each worker
#   NTK_BENCH_WORKER_MEMORY=              `ntk-worker --memory` budget (e.g. 512M); unset: the worker's default
#   NTK_BENCH_CLUSTER_ARGS=               more options for the cluster fits (e.g. "--rows shipped")
#   NTK_BENCH_COPIES=10                   scale: copies of flights-3m.parquet
#   NTK_BENCH_SCALE_FEATURES=512          scale: --features
#   NTK_BENCH_SCALE_DATA=parquet          scale: `parquet` (links to flights-3m.parquet, 11 row groups each), or
#                                         `csv-distinct` (copies of flights-3m.csv whose bytes differ: one partition
#                                         each; use it for shipped mode, where identical copies share a cache entry)
#   NTK_BENCH_OVERHEAD_ROWS=all           overhead: rows of flights-3m.csv (a smaller N takes its first N rows)
#   NTK_BENCH_OVERHEAD_FEATURES=1024      overhead: --features
#   NTK_BENCH_PAIRS=3                     overhead: A B pairs
#   NTK_BENCH_OVERHEAD_FORMS="parts file" overhead: the forms of the data to run
#   NTK_BENCH_PARTS=16                    overhead: files the CSV is cut into for the `parts` form (partitions are
#                                         placed on workers by sharding, not scheduled: more of them even out the load)
#   NTK_BENCH_INTAKE_ROWS=200000          intake: rows of flights-3m.csv in the measured check
#   NTK_BENCH_INTAKE_PARTS=20             intake: files they are cut into (= partitions)
#   NTK_BENCH_INTAKE_FEATURES=512         intake: --features of the measured check
#   NTK_BENCH_GEMM_ROWS=8192              projection: rows of the `ntk bench gram` matrix (× 4096 columns)
# Needs python3, ss (iproute2) and, for speed, libopenblas0 (without it the managed backend is 10–25× slower and
# the report says so).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${NTK_BENCH_OUT:-bench/out/partitions}
work=${NTK_BENCH_WORK:-${TMPDIR:-/tmp}/ntk-bench-partitions}
data=${NTK_BENCH_DATA:-../shared/datasets}
port=${NTK_BENCH_PORT:-4053}
mkdir -p "$out/runs" "$work"
out=$(cd "$out" && pwd)
ntk_dll=$root/src/Coordinator/bin/Release/net10.0/ntk.dll
stats=$root/bench/proc_stats.py
intake_py=$root/bench/partition_intake.py
cluster=127.0.0.1:$port

export NTK_LOOPBACK_NO_BUILD=1 NTK_LOOPBACK_PORT=$port NTK_LOOPBACK_RUN_DIR=$out/run
export NTK_LOOPBACK_THREADS=${NTK_BENCH_WORKER_THREADS:-1}
if [[ -n "${NTK_BENCH_WORKER_MEMORY:-}" ]]; then export NTK_LOOPBACK_WORKER_ARGS="--memory $NTK_BENCH_WORKER_MEMORY"; fi
read -r -a cluster_args <<<"${NTK_BENCH_CLUSTER_ARGS:-}"
export NTK_PROGRESS=lines

say() { printf '%s\n' "$*"; }
die() { printf 'partitions.sh: %s\n' "$*" >&2; exit 2; }

sections=("$@")
[[ ${#sections[@]} -gt 0 ]] || sections=(all)
for s in "${sections[@]}"; do
  case "$s" in
    scale | overhead | intake | projection | all) ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown section '$s' (scale, overhead, intake, projection, all)" ;; esac
done
command -v python3 >/dev/null || die "python3 is needed"
command -v ss >/dev/null || die "ss (iproute2) is needed"
[[ -f $data/flights-3m.parquet && -f $data/flights-3m.csv ]] || die "flights-3m.parquet and flights-3m.csv are not in $data (NTK_BENCH_DATA)"

if [[ "${NTK_BENCH_NO_BUILD:-0}" != 1 ]]; then
  for project in src/Coordinator/NtkCluster.Coordinator.csproj src/Worker/NtkCluster.Worker.csproj; do
    dotnet build "$project" -c Release -v q -nologo >/dev/null || die "build of $project failed"
  done
fi
[[ -f $ntk_dll ]] || die "$ntk_dll is missing: build first (or unset NTK_BENCH_NO_BUILD)"

cluster_up=0
cluster_start() {
  # A cluster left by an interrupted run of this script (its own PID file only) is stopped first.
  bash deploy/loopback.sh stop >>"$out/run.log" 2>&1 || true
  bash deploy/loopback.sh start 2 >>"$out/run.log" 2>&1 || { tail -n 20 "$out/run.log" >&2; die "the loopback cluster did not start (log: $out/run.log)"; }
  cluster_up=1
}
cluster_stop() {
  if ((cluster_up)); then bash deploy/loopback.sh stop >>"$out/run.log" 2>&1 || true; fi
  cluster_up=0
}
trap cluster_stop EXIT

# The PIDs of the running cluster's nodes, "PID NAME" per line (deploy/loopback.sh's PID file).
node_pids() { awk '{print $1, $2}' "$NTK_LOOPBACK_RUN_DIR/pids"; }

# NAME [--sockets S] -- CMD...: runs CMD measured (bench/proc_stats.py run), stdout and stderr in runs/NAME.out|err;
# its figures in runs/NAME.json. Fails the section when CMD fails.
measured() {
  local name=$1; shift
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  if ! python3 "$stats" run "$out/runs/$name.json" "${opts[@]}" -- "$@" >"$out/runs/$name.out" 2>"$out/runs/$name.err"; then
    tail -n 5 "$out/runs/$name.err" >&2
    die "$name failed (see $out/runs/$name.err)"
  fi
}

# NAME: the nodes' figures now (VmHWM, CPU so far, TCP counters) in runs/NAME.nodes.
node_figures() {
  local pids
  pids=$(node_pids | awk '{print $1}' | xargs)
  # shellcheck disable=SC2086
  python3 "$stats" nodes $pids >"$out/runs/$1.nodes"
}

# One field of a run's JSON figures.
field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); [v := v[k] for k in sys.argv[2:]]; print(v)' "$out/runs/$1.json" "${@:2}"; }

backend_line() {
  local b
  b=$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{"): print(json.loads(line).get("backend", "?"))' "$out/runs/$1.out" | tail -n 1)
  printf '%s' "$b"
  if [[ $b == managed ]]; then printf ' (WARNING: no OpenBLAS; apt-get install libopenblas0 — these timings are 10–25x slow)'; fi
}

header() {
  say "== $1 — $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD) on $(git rev-parse --abbrev-ref HEAD)"
  say "   machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
  say "   workers: 2 × --threads $NTK_LOOPBACK_THREADS${NTK_BENCH_WORKER_MEMORY:+, --memory $NTK_BENCH_WORKER_MEMORY}${NTK_BENCH_CLUSTER_ARGS:+; cluster fits add: $NTK_BENCH_CLUSTER_ARGS}"
}

# DIR N SOURCE: DIR holds N links (hard links where the file system allows, else copies) part-00000.EXT … of SOURCE.
# Not symbolic links: a partition is fingerprinted by its file's size and write time, which must be the data's.
link_copies() {
  local dir=$1 n=$2 src=$3 ext=${3##*.} i name
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    name=$(printf '%s/part-%05d.%s' "$dir" "$i" "$ext")
    [[ -f $name ]] && cmp -s "$name" "$src" && continue
    rm -f "$name"
    ln "$src" "$name" 2>/dev/null || cp "$src" "$name"
  done
}

# DIR N SOURCE: N copies of CSV SOURCE whose bytes differ (copy k ends with k extra blank lines, which readers skip), so
# that their content keys differ too: identical copies would be one cache entry for a content-addressed cache of
# shipped partitions, and a shipped-mode run would send a tenth of the data.
distinct_csv_copies() {
  local dir=$1 n=$2 src=$3 i name size
  mkdir -p "$dir"
  size=$(stat -c %s "$src")
  for ((i = 0; i < n; i++)); do
    name=$(printf '%s/part-%05d.csv' "$dir" "$i")
    [[ -f $name && $(stat -c %s "$name") == $((size + i)) ]] && continue
    { cat "$src"; head -c "$i" /dev/zero | tr '\0' '\n'; } >"$name.tmp" && mv "$name.tmp" "$name"
  done
}

# SRC ROWS PARTS DIR: the first ROWS data rows of CSV SRC ("all": every row) cut into PARTS files of DIR, each with
# the header, rows in order.
csv_parts() {
  local src=$1 rows=$2 parts=$3 dir=$4 total
  if [[ -f $dir/.done ]] && [[ $(cat "$dir/.done") == "$src $rows $parts" ]]; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [[ $rows == all ]]; then total=$(($(wc -l <"$src") - 1)); else total=$rows; fi
  awk -v total="$total" -v parts="$parts" -v dir="$dir" '
    NR == 1 { header = $0; next }
    NR - 1 > total { exit }
    { k = int((NR - 2) * parts / total); f = sprintf("%s/part-%05d.csv", dir, k)
      if (!(f in opened)) { if (last != "") close(last); print header > f; opened[f] = 1; last = f }
      print > f }' "$src"
  echo "$src $rows $parts" >"$dir/.done"
}

# SRC ROWS FILE: the first ROWS data rows of CSV SRC in FILE (a hard link or SRC itself for "all").
csv_head() {
  local src=$1 rows=$2 file=$3
  if [[ $rows == all ]]; then printf '%s' "$src"; return; fi
  if [[ ! -f $file ]] || [[ $(($(wc -l <"$file") - 1)) != "$rows" ]]; then head -n $((rows + 1)) "$src" >"$file"; fi
  printf '%s' "$file"
}

# ---------------------------------------------------------------------------------------------------------------
scale() {
  local copies=${NTK_BENCH_COPIES:-10} m=${NTK_BENCH_SCALE_FEATURES:-512} kind=${NTK_BENCH_SCALE_DATA:-parquet} dir columns
  case $kind in
    parquet)
      dir=$work/flights-parquet-x$copies
      link_copies "$dir" "$copies" "$data/flights-3m.parquet"
      columns=(--columns distance,date,delay --target delay) ;;
    csv-distinct)
      dir=$work/flights-csv-distinct-x$copies
      distinct_csv_copies "$dir" "$copies" "$data/flights-3m.csv"
      columns=(--target delay) ;;
    *) die "NTK_BENCH_SCALE_DATA must be parquet or csv-distinct (got '$kind')" ;;
  esac
  header "scale: $copies × flights-3m ($kind, $((copies * 3)) M rows) in $dir, $m plain random features, target delay"
  local fit=(dotnet "$ntk_dll" fit --train "$dir" "${columns[@]}" --kernel rbf:gamma=0.5 --lambda 1
    --features "$m" --standardize --json)
  rm -f "$out/scale-local.model.json" "$out/scale-cluster.model.json"

  measured scale-local --sockets 1 -- "${fit[@]}" --model "$out/scale-local.model.json"
  say "   backend: $(backend_line scale-local)"

  cluster_start
  node_figures scale-before
  measured scale-cluster --sockets 1 -- "${fit[@]}" "${cluster_args[@]}" --cluster "$cluster" --model "$out/scale-cluster.model.json"
  node_figures scale-after
  cluster_stop

  python3 - "$out/runs" "$(grep -m1 -o '[0-9]* partition(s)' "$out/runs/scale-local.err" || echo '?')" "$dir" <<'PY'
import json, os, sys
runs, parts, data_dir = sys.argv[1], sys.argv[2], sys.argv[3]
data_bytes = sum(os.path.getsize(os.path.join(data_dir, f)) for f in os.listdir(data_dir) if not f.startswith((".", "_")))
def load(n): return json.load(open(f"{runs}/{n}.json"))
def nodes(n): return [json.loads(l) for l in open(f"{runs}/{n}.nodes")]
def mb(kb): return f"{kb / 1024:,.0f} MB"
local, clus = load("scale-local"), load("scale-cluster")
before, after = nodes("scale-before"), nodes("scale-after")
print(f"   dataset: {parts}")
print()
print("| run | process | wall | CPU | peak RSS (VmHWM) | wrote (wchar) | sent over TCP | received over TCP |")
print("|---|---|---|---|---|---|---|---|")
def client_row(label, r):
    io = r["io"]
    print(f"| {label} | client (ntk fit) | {r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | {mb(r['peak_rss_kb'])} | "
          f"{io.get('wchar', 0):,} B | {r.get('tcp_sent', 0):,} B | {r.get('tcp_received', 0):,} B |")
client_row("local", local)
client_row("cluster", clus)
labels = ["coordinator", "worker-1", "worker-2"]
for i, (b, a) in enumerate(zip(before, after)):
    if "error" in a: print(f"| cluster | {labels[i]} | | | exited: {a['error']} | | | |"); continue
    sent = sum(v[0] for k, v in a["sockets"].items()) - sum(v[0] for k, v in b["sockets"].items() if k in a["sockets"])
    recv = sum(v[1] for k, v in a["sockets"].items()) - sum(v[1] for k, v in b["sockets"].items() if k in a["sockets"])
    print(f"| cluster | {labels[i] if i < 3 else a['pid']} | | {a['cpu_s'] - b['cpu_s']:.1f} s (job) | {mb(a['vmhwm_kb'])} | | "
          f"{sent:,} B (live connections) | {recv:,} B (live connections) |")
peak = max([local["peak_rss_kb"], clus["peak_rss_kb"]] + [a.get("vmhwm_kb") or 0 for a in after])
print()
print(f"   largest peak: {mb(peak)} (target: every process under 1 GB: {'met' if peak < 1024 * 1024 else 'NOT met'})")
print(f"   cluster/local wall: {clus['wall_s'] / local['wall_s']:.2f}×")
sent = clus.get("tcp_sent", 0)
print(f"   the client sent {sent:,} B over TCP: {100 * sent / data_bytes:.4f}% of the data files' {data_bytes:,} B "
      "(target: essentially none of the data)")
PY
  if cmp "$out/scale-local.model.json" "$out/scale-cluster.model.json"; then
    say "   models: byte-identical (cmp)"
  else
    say "   models: DIFFER (cmp above)"
  fi
  say "   method: wall, CPU and peak RSS of the client from wait4 (ru_maxrss = VmHWM); its /proc/PID/io read after it exited,"
  say "   before it was reaped (exact: every byte it wrote to files, pipes and the terminal, the model included). wchar does"
  say "   not count send() on sockets, so what the client sent over TCP is the kernel's per-connection counter (ss -tinp,"
  say "   sampled every second; the last second before its sockets closed is missed). Nodes: VmHWM from /proc/PID/status"
  say "   after the job on a cluster started for it; CPU = utime+stime before/after the job."
}

# ---------------------------------------------------------------------------------------------------------------
overhead() {
  local rows=${NTK_BENCH_OVERHEAD_ROWS:-all} m=${NTK_BENCH_OVERHEAD_FEATURES:-1024} pairs=${NTK_BENCH_PAIRS:-3}
  local parts=${NTK_BENCH_PARTS:-16} forms form i
  read -r -a forms <<<"${NTK_BENCH_OVERHEAD_FORMS:-parts file}"
  local file dir
  file=$(csv_head "$data/flights-3m.csv" "$rows" "$work/flights-$rows.csv")
  dir=$work/flights-$rows-csv-x$parts
  csv_parts "$data/flights-3m.csv" "$rows" "$parts" "$dir"
  header "overhead: flights-3m.csv, $rows rows, $m features, local (--workers $(nproc)) against a warm cluster, $pairs pairs A B"
  local fit=(fit --kernel rbf:gamma=0.5 --lambda 1 --features "$m" --standardize --json)

  cluster_start
  for form in "${forms[@]}"; do
    local train
    case $form in parts) train=$dir ;; file) train=$file ;; *) die "unknown form '$form' in NTK_BENCH_OVERHEAD_FORMS (parts, file)" ;; esac
    # Warm-up: the cluster's JIT, connections and shard allocation, on the same path through the code.
    measured "overhead-$form-warmup" -- dotnet "$ntk_dll" fit --train "$train" --kernel rbf:gamma=0.5 --lambda 1 --features 64 --json \
      "${cluster_args[@]}" --cluster "$cluster"
    for ((i = 1; i <= pairs; i++)); do
      measured "overhead-$form-local-$i" -- dotnet "$ntk_dll" "${fit[@]}" --train "$train"
      node_figures "overhead-$form-cluster-$i-before"
      measured "overhead-$form-cluster-$i" -- dotnet "$ntk_dll" "${fit[@]}" --train "$train" "${cluster_args[@]}" --cluster "$cluster"
      node_figures "overhead-$form-cluster-$i-after"
      say "   $form pair $i: local $(field "overhead-$form-local-$i" wall_s) s, cluster $(field "overhead-$form-cluster-$i" wall_s) s"
    done
    say "   backend: $(backend_line "overhead-$form-local-1")"
    python3 - "$out/runs" "$form" "$pairs" "$train" <<'PY'
import json, statistics, sys
runs, form, pairs, train = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def load(n): return json.load(open(f"{runs}/{n}.json"))
def nodes(n): return {d["pid"]: d for d in (json.loads(l) for l in open(f"{runs}/{n}.nodes"))}
print(f"\n   form '{form}': --train {train}")
print("| pair | local wall | local CPU | cluster wall | cluster CPU (client + nodes) | wall ratio | CPU ratio |")
print("|---|---|---|---|---|---|---|")
wr, cr = [], []
for i in range(1, pairs + 1):
    a, b = load(f"overhead-{form}-local-{i}"), load(f"overhead-{form}-cluster-{i}")
    before, after = nodes(f"overhead-{form}-cluster-{i}-before"), nodes(f"overhead-{form}-cluster-{i}-after")
    node_cpu = sum(after[p]["cpu_s"] - before[p]["cpu_s"] for p in after if p in before and "cpu_s" in after[p] and "cpu_s" in before[p])
    cluster_cpu = b["cpu_s"] + node_cpu
    wr.append(b["wall_s"] / a["wall_s"]); cr.append(cluster_cpu / a["cpu_s"])
    print(f"| {i} | {a['wall_s']:.1f} s | {a['cpu_s']:.1f} s | {b['wall_s']:.1f} s | {cluster_cpu:.1f} s "
          f"({b['cpu_s']:.1f} + {node_cpu:.1f}) | {wr[-1]:.2f}× | {cr[-1]:.2f}× |")
w, c = statistics.median(wr), statistics.median(cr)
print(f"\n   median ratio, cluster/local: wall {w:.2f}×, CPU {c:.2f}× (target ≤ 1.2× on both: {'met' if w <= 1.2 and c <= 1.2 else 'NOT met'})")
PY
  done
  cluster_stop
  say "   method: runs alternate local, cluster, local, cluster …; CPU = utime+stime: the client's from wait4, each node's"
  say "   from /proc/PID/stat before and after the job (a warm cluster: started once, one 64-feature job first)."
}

# ---------------------------------------------------------------------------------------------------------------
intake() {
  local rows=${NTK_BENCH_INTAKE_ROWS:-200000} parts=${NTK_BENCH_INTAKE_PARTS:-20} m=${NTK_BENCH_INTAKE_FEATURES:-512}
  local dir=$work/flights-$rows-csv-x$parts
  csv_parts "$data/flights-3m.csv" "$rows" "$parts" "$dir"
  header "intake: bytes into the coordinator per round"
  python3 "$intake_py" table

  say
  say "   measured check: $parts CSV parts ($rows rows of flights-3m.csv: 3 feature columns, delay), $m features, --standardize"
  cluster_start
  measured intake-warmup -- dotnet "$ntk_dll" fit --train "$dir" --kernel rbf:gamma=0.5 --lambda 1 --features 64 --standardize --json \
    "${cluster_args[@]}" --cluster "$cluster"
  # Idle traffic (heartbeats, gossip) over 10 s, to put the job's figure against.
  node_figures intake-idle-before
  sleep 10
  node_figures intake-idle-after
  node_figures intake-before
  measured intake-fit -- dotnet "$ntk_dll" fit --train "$dir" --kernel rbf:gamma=0.5 --lambda 1 --features "$m" --standardize --json \
    "${cluster_args[@]}" --cluster "$cluster"
  node_figures intake-after
  cluster_stop
  local expected
  expected=$(python3 "$intake_py" expected "$parts" "$m" 3 1 csv standardize)
  python3 - "$out/runs" "$expected" "$parts" "$m" <<'PY'
import json, sys
runs, expected, parts, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def first(n): return json.loads(open(f"{runs}/{n}.nodes").readline())   # the coordinator is the PID file's first line
def received(before, after):
    # Connections alive at both ends of the window: the cluster's own (the client's connection is opened after it).
    return sum(v[1] - before["sockets"][k][1] for k, v in after["sockets"].items() if k in before["sockets"])
idle = received(first("intake-idle-before"), first("intake-idle-after")) / 10
job = received(first("intake-before"), first("intake-after"))
wall = json.load(open(f"{runs}/intake-fit.json"))["wall_s"]
print(f"   coordinator received from the workers during the job: {job:,} B in {wall:.1f} s "
      f"(idle traffic {idle:,.0f} B/s, so ≈ {idle * wall:,.0f} B of it is heartbeats and gossip)")
print(f"   expected from the table's formulas: {expected:,} B ({parts} partitions × (Gram partial + moments + row count), m = {m})")
print(f"   measured − idle: {job - idle * wall:,.0f} B = {(job - idle * wall) / expected:.3f} × expected")
PY
  say "   method: the kernel's TCP counters (ss -tinp bytes_received) of the coordinator's connections to the workers,"
  say "   before and after the job, on a warm cluster; the expected bytes are payloads + chunk headers + ~300 B per message."
}

# ---------------------------------------------------------------------------------------------------------------
projection() {
  header "projection: one Gram round of 10^9 rows, m = 4096, 100 machines, 10 Gb/s"
  measured projection-gemm -- dotnet "$ntk_dll" bench gram --rows "${NTK_BENCH_GEMM_ROWS:-8192}" --features 4096 --repeats 2 --json --quiet
  say "   $(grep -v '^{' "$out/runs/projection-gemm.out" | tail -n 1)"
  local gflops
  gflops=$(python3 -c 'import json, sys
print([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]["gflops"])' "$out/runs/projection-gemm.out")
  python3 "$intake_py" projection "$gflops" "$(nproc)"
}

failed=0
# A section runs in a subshell (its output goes through tee) with its own EXIT trap, so that a section that fails
# stops the cluster it started, and the next section still runs.
run_section() {
  local s=$1 start=$SECONDS
  if (trap cluster_stop EXIT; "$s") 2>&1 | tee "$out/$s.txt"; then
    say "   ($s took $((SECONDS - start)) s; report in ${out#"$root"/}/$s.txt)" | tee -a "$out/$s.txt"
  else
    say "   ($s FAILED after $((SECONDS - start)) s; see ${out#"$root"/}/$s.txt and ${out#"$root"/}/runs/)" | tee -a "$out/$s.txt"
    failed=1
  fi
  say
}

main() {
  local s t
  for s in "${sections[@]}"; do
    if [[ $s == all ]]; then
      for t in projection intake scale overhead; do run_section "$t"; done
    else
      run_section "$s"
    fi
  done
  return "$failed"
}

# One line, read before it runs: editing this file while a long run is under way cannot derail it.
main; exit
