#!/usr/bin/env bash
# A real multi-process NtkCluster on this machine: one coordinator and N workers on 127.0.0.1.
#
#   deploy/loopback.sh start [N]   build (Release), start a coordinator on 127.0.0.1:4053 and N workers (default 2)
#                                  on 4054, 4055, …; wait until `ntk status` reports N Up workers
#   deploy/loopback.sh status      the processes this script started and what `ntk status` says
#   deploy/loopback.sh stop        SIGTERM (graceful leave), wait, SIGKILL whatever is left
#
# Works from any directory. Logs and the PID file are in deploy/.run/ (git-ignored).
# Environment (all optional):
#   NTK_LOOPBACK_PORT=4053        the coordinator's port; workers take the next N ports
#   NTK_LOOPBACK_THREADS=T        --threads for each worker (default: the worker's own default, all cores)
#   NTK_LOOPBACK_WORKER_ARGS="…"  more options for each worker, split at spaces (e.g. "--memory 512M")
#   NTK_LOOPBACK_TIMEOUT=60       seconds `start` waits for the workers to be Up
#   NTK_LOOPBACK_STOP_TIMEOUT=30  seconds `stop` waits after SIGTERM before SIGKILL
#   NTK_LOOPBACK_NO_BUILD=1       use the existing Release build
#   NTK_LOOPBACK_BIN=DIR          with NO_BUILD: run ntk.dll and ntk-worker.dll from DIR (the tests use their own build)
#   NTK_LOOPBACK_RUN_DIR=DIR      logs, PID file and lock in DIR instead of deploy/.run
#   NTK_TLS_CERTIFICATE, NTK_TLS_PASSWORD   passed on to every node (and to `ntk status`): a TLS transport
#   DOTNET=dotnet                 the dotnet host to run the programs with
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
run="${NTK_LOOPBACK_RUN_DIR:-$here/.run}"
pidfile="$run/pids"
host=127.0.0.1
port="${NTK_LOOPBACK_PORT:-4053}"
dotnet="${DOTNET:-dotnet}"
ntk_dll="$root/src/Coordinator/bin/Release/net10.0/ntk.dll"
worker_dll="$root/src/Worker/bin/Release/net10.0/ntk-worker.dll"
if [[ "${NTK_LOOPBACK_NO_BUILD:-0}" == 1 && -n "${NTK_LOOPBACK_BIN:-}" ]]; then
  ntk_dll="$NTK_LOOPBACK_BIN/ntk.dll"
  worker_dll="$NTK_LOOPBACK_BIN/ntk-worker.dll"
fi
start_timeout="${NTK_LOOPBACK_TIMEOUT:-60}"
stop_timeout="${NTK_LOOPBACK_STOP_TIMEOUT:-30}"

say() { printf 'loopback: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Set while `start` runs: the PIDs in the file are then this process's own children.
own_children=0

# True when PID is alive and still the node this script started on PORT.
ours() {
  local pid="$1" nport="$2" cmd="" stat=""
  kill -0 "$pid" 2>/dev/null || return 1
  # An exited child that is not reaped yet (a zombie) still answers kill -0.
  if [[ -r "/proc/$pid/stat" ]]; then
    stat="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "${stat%% *}" != Z ]] || return 1
  fi
  # Our own children cannot have been replaced; they may still be exec-ing (setsid → dotnet), so their command line
  # is not yet the node's.
  ((own_children)) && return 0
  # Started by an earlier invocation: check that the PID was not reused by another program since.
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  else
    cmd="$(ps -p "$pid" -o command= 2>/dev/null || true)"
  fi
  [[ "$cmd" == *ntk.dll* || "$cmd" == *ntk-worker.dll* ]] && [[ "$cmd " == *" --port $nport "* ]]
}

# Lines of the PID file: "PID NAME PORT LOG".
read_pids() {
  [[ -f "$pidfile" ]] || return 0
  cat "$pidfile"
}

alive_pids() {
  local pid name nport rest
  while read -r pid name nport rest; do
    [[ -n "${pid:-}" ]] || continue
    if ours "$pid" "$nport"; then printf '%s %s\n' "$pid" "$name"; fi
  done < <(read_pids)
}

port_in_use() {
  # A connect that succeeds means something listens there.
  (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null
}

# Runs `ntk status --cluster … [ARGS]`, bounded in time; its stdout on ours.
ntk_status() {
  timeout 20 "$dotnet" "$ntk_dll" status --cluster "$host:$port" "$@" </dev/null 2>>"$run/status.log" 9>&-
}

# The `workers` field of the JSON object on stdin (the whole of it, else its last line that starts with "{");
# empty when there is none.
json_workers() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import json, sys
text = sys.stdin.read()
candidates = [text] + [l for l in reversed(text.splitlines()) if l.strip().startswith("{")][:1]
for c in candidates:
    try:
        print(int(json.loads(c)["workers"]))
        break
    except (ValueError, KeyError, TypeError):
        pass
'
  else
    grep -Eo '"workers"[[:space:]]*:[[:space:]]*[0-9]+' | tail -n 1 | grep -Eo '[0-9]+$' || true
  fi
}

# SIGTERM every live process of the PID file (workers first, then the coordinator), wait, then SIGKILL leftovers.
stop_all() {
  local pid name waited list
  list="$(alive_pids)"
  if [[ -z "$list" ]]; then
    rm -f "$pidfile"
    return 0
  fi
  for phase in worker coordinator; do
    while read -r pid name; do
      [[ "$name" == "$phase"* ]] || continue
      say "SIGTERM $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
    done <<<"$list"
    # Workers leave the cluster gracefully (hand their shards off) while the coordinator is still up.
    waited=0
    while [[ -n "$(alive_pids | awk -v p="$phase" 'index($2, p) == 1')" ]] && ((waited < stop_timeout * 2)); do
      sleep 0.5
      waited=$((waited + 1))
    done
  done
  while read -r pid name; do
    [[ -n "${pid:-}" ]] || continue
    say "still running after ${stop_timeout}s: SIGKILL $name (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
  done < <(alive_pids)
  rm -f "$pidfile"
}

# Starts one program in the background, detached from this terminal, and records it in the PID file.
launch() {
  local name="$1" nport="$2"
  shift 2
  local log="$run/$name.log"
  # In a session of its own (setsid), a Ctrl-C or hang-up in this terminal does not reach the node; fd 9 (the
  # lock) is not inherited. A background child of a script is never a process-group leader, so setsid does not
  # fork and $! is the node's own PID.
  if command -v setsid >/dev/null 2>&1; then
    setsid "$dotnet" "$@" </dev/null >"$log" 2>&1 9>&- &
  else
    nohup "$dotnet" "$@" </dev/null >"$log" 2>&1 9>&- &
  fi
  local pid=$!
  disown "$pid" 2>/dev/null || true
  printf '%s %s %s %s\n' "$pid" "$name" "$nport" "$log" >>"$pidfile"
  say "started $name on $host:$nport (pid $pid, log ${log#"$root"/})"
}

starting=0
on_exit() {
  local rc=$?
  if ((starting)); then
    say "start failed: stopping everything it started (logs kept in ${run#"$root"/})"
    stop_all || true
  fi
  exit "$rc"
}

cmd_start() {
  local n="${1:-2}"
  if ! is_uint "$n" || ((n < 1 || n > 64)); then die "N must be a number of workers from 1 to 64 (got '$n')"; fi
  if ! is_uint "$port" || ((port < 1 || port + n > 65535)); then
    die "NTK_LOOPBACK_PORT must be a port number (got '$port')"
  fi
  local threads=()
  if [[ -n "${NTK_LOOPBACK_THREADS:-}" ]]; then
    if ! is_uint "$NTK_LOOPBACK_THREADS" || ((NTK_LOOPBACK_THREADS < 1)); then
      die "NTK_LOOPBACK_THREADS must be a positive number"
    fi
    threads=(--threads "$NTK_LOOPBACK_THREADS")
  fi
  local extra=()
  # Word splitting is the point: one string of options, as on a command line (no quoting inside it).
  # shellcheck disable=SC2206
  if [[ -n "${NTK_LOOPBACK_WORKER_ARGS:-}" ]]; then extra=($NTK_LOOPBACK_WORKER_ARGS); fi
  command -v "$dotnet" >/dev/null 2>&1 || die "'$dotnet' is not on PATH: the .NET 10 SDK is needed"

  if [[ -n "$(alive_pids)" ]]; then
    die "already running (see 'deploy/loopback.sh status'); 'deploy/loopback.sh stop' first"
  fi
  rm -f "$pidfile"
  local p
  for ((p = port; p <= port + n; p++)); do
    if port_in_use "$p"; then die "port $host:$p is already in use by another program"; fi
  done

  if [[ "${NTK_LOOPBACK_NO_BUILD:-0}" != 1 ]]; then
    say "building src/Coordinator and src/Worker (Release; output in ${run#"$root"/}/build.log)"
    local project
    : >"$run/build.log"
    for project in src/Coordinator/NtkCluster.Coordinator.csproj src/Worker/NtkCluster.Worker.csproj; do
      # 9>&-: MSBuild's reusable nodes outlive the build and must not hold the lock.
      if ! "$dotnet" build "$root/$project" -c Release -nologo -v quiet >>"$run/build.log" 2>&1 9>&-; then
        tail -n 30 "$run/build.log" >&2
        die "build of $project failed (full output: ${run#"$root"/}/build.log)"
      fi
    done
  fi
  [[ -f "$ntk_dll" ]] || die "$ntk_dll is missing (build failed?)"
  [[ -f "$worker_dll" ]] || die "$worker_dll is missing (build failed?)"

  starting=1
  own_children=1
  : >"$run/status.log"
  launch coordinator "$port" "$ntk_dll" coordinator --host "$host" --port "$port"
  local i wport
  for ((i = 1; i <= n; i++)); do
    wport=$((port + i))
    launch "worker-$i" "$wport" "$worker_dll" --host "$host" --port "$wport" --seeds "$host:$port" "${threads[@]}" "${extra[@]}"
  done

  say "waiting up to ${start_timeout}s for $n worker(s) to be Up"
  local deadline=$((SECONDS + start_timeout)) workers="" pid name nport log
  while :; do
    # A node that exited (bad option, port taken, crash) fails the start at once, with its log.
    while read -r pid name nport log; do
      if ! ours "$pid" "$nport"; then
        say "$name (pid $pid) exited; the end of $log:"
        tail -n 20 "$log" >&2 || true
        exit 1
      fi
    done < <(read_pids)
    workers="$(ntk_status --json | json_workers || true)"
    if [[ "$workers" == "$n" ]]; then break; fi
    if ((SECONDS >= deadline)); then
      say "gave up after ${start_timeout}s: ntk status reported workers=${workers:-nothing} (wanted $n)"
      say "the end of ${run#"$root"/}/status.log:"
      tail -n 10 "$run/status.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  starting=0

  local rel_ntk="${ntk_dll#"$root"/}" ports="$((port + 1))"
  if ((n > 1)); then ports="$ports-$((port + n))"; fi
  cat <<EOF
NtkCluster is up: coordinator $host:$port and $n worker(s) on port(s) $ports.
Logs: ${run#"$root"/}/*.log   PIDs: ${pidfile#"$root"/}

Submit a job (from $root):
  dotnet $rel_ntk fit --train data.csv --kernel rbf:gamma=0.5 --lambda 1 --features 256 \\
      --standardize --cluster $host:$port
Look at the cluster:   dotnet $rel_ntk status --cluster $host:$port
Stop it:               deploy/loopback.sh stop
EOF
}

cmd_status() {
  if [[ ! -f "$pidfile" ]]; then
    echo "not running (no ${pidfile#"$root"/})"
    return 3
  fi
  local pid name nport log total=0 up=0
  while read -r pid name nport log; do
    [[ -n "${pid:-}" ]] || continue
    total=$((total + 1))
    if ours "$pid" "$nport"; then
      up=$((up + 1))
      printf '%-12s pid %-8s %s:%-6s running\n' "$name" "$pid" "$host" "$nport"
    else
      printf '%-12s pid %-8s %s:%-6s EXITED (log: %s)\n' "$name" "$pid" "$host" "$nport" "${log#"$root"/}"
    fi
  done < <(read_pids)
  if ((up > 0)) && [[ -f "$ntk_dll" ]]; then
    echo
    ntk_status || say "ntk status failed (see ${run#"$root"/}/status.log)"
  fi
  if ((up == 0)); then return 3; fi
  if ((up < total)); then return 1; fi
  return 0
}

cmd_stop() {
  if [[ -z "$(alive_pids)" ]]; then
    rm -f "$pidfile"
    say "not running"
    return 0
  fi
  stop_all
  say "stopped (logs kept in ${run#"$root"/})"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start | stop | status) ;;
    -h | --help | help)
      usage
      return 0
      ;;
    *)
      usage >&2
      return 2
      ;;
  esac
  if [[ "$cmd" != start && $# -gt 0 ]]; then die "'$cmd' takes no arguments"; fi
  if [[ "$cmd" == start && $# -gt 1 ]]; then die "'start' takes at most one argument, the number of workers"; fi

  is_uint "$start_timeout" || die "NTK_LOOPBACK_TIMEOUT must be a number of seconds"
  is_uint "$stop_timeout" || die "NTK_LOOPBACK_STOP_TIMEOUT must be a number of seconds"
  mkdir -p "$run"
  # One start or stop at a time: a second start refuses at once; a stop waits for a start in progress to finish
  # (or fail and clean up) and then stops what it started. `status` only reads.
  if [[ "$cmd" != status ]]; then
    exec 9>"$run/lock"
    if command -v flock >/dev/null 2>&1; then
      if [[ "$cmd" == start ]] && ! flock -n 9; then die "another deploy/loopback.sh start or stop is running"; fi
      if [[ "$cmd" == stop ]] && ! flock -w $((start_timeout + stop_timeout * 2 + 120)) 9; then
        die "another deploy/loopback.sh is still running"
      fi
    fi
  fi
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
  esac
}

main "$@"
