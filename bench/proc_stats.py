#!/usr/bin/env python3
"""Process measurements for bench/partitions.sh, from /proc and the kernel's TCP counters (Linux only).

  proc_stats.py run OUT.json [--sockets SECONDS] -- CMD [ARG...]
      Runs CMD (stdin /dev/null, stdout and stderr inherited) and writes its figures to OUT.json:
      wall seconds, CPU (user + system, from wait4's rusage), peak RSS (ru_maxrss: the same high-water mark as
      VmHWM in /proc/PID/status), and /proc/PID/io (rchar, wchar, read_bytes, write_bytes) read *after* the process
      has exited but before it is reaped (waitid with WNOWAIT keeps it a zombie, whose counters are final and
      include every thread), so nothing the process wrote is missed. Exits with CMD's exit code.
      With --sockets S it also samples, every S seconds, the TCP sockets CMD owns (`ss -tinp`: bytes_sent and
      bytes_received of each connection, the kernel's own counters) and reports the sum over connections of the last
      value seen: send() and recv() on a socket are not counted in wchar/rchar, so this is what CMD moved over the
      network; what it moved in the last S seconds before its sockets closed is missed (a few KB: the result and
      the goodbye).

  proc_stats.py nodes PID...
      One JSON object per line per PID: VmHWM and VmRSS (KB), CPU seconds so far (utime + stime from
      /proc/PID/stat), and the bytes sent and received so far on each of its TCP connections (`ss -tinp`).
"""
import json
import os
import re
import subprocess
import sys
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_USERS = re.compile(r"pid=(\d+),")
_BYTES = re.compile(r"\b(bytes_sent|bytes_acked|bytes_received):(\d+)")


def tcp_sockets(pids):
    """{pid: {(local, peer): (sent, received)}} for the established TCP connections of the given PIDs."""
    wanted = {int(p) for p in pids}
    result = {p: {} for p in wanted}
    try:
        out = subprocess.run(["ss", "-tinpH", "state", "established"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return result
    owner, key = None, None
    for line in out.splitlines():
        if not line.startswith((" ", "\t")):
            # "Recv-Q Send-Q Local Peer users:((...))" (no state column with a state filter)
            fields = line.split()
            owner, key = None, None
            if len(fields) >= 4:
                users = [int(p) for p in _USERS.findall(line)]
                hit = [p for p in users if p in wanted]
                if hit:
                    owner, key = hit[0], (fields[2], fields[3])
        elif owner is not None:
            counters = dict((k, int(v)) for k, v in _BYTES.findall(line))
            sent = counters.get("bytes_sent", counters.get("bytes_acked", 0))
            result[owner][key] = (sent, counters.get("bytes_received", 0))
            owner = None
    return result


def proc_io(pid):
    values = {}
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            name, value = line.split(":")
            values[name.strip()] = int(value)
    return values


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    # rest[0] is field 3 (state): utime and stime are fields 14 and 15.
    return (int(rest[11]) + int(rest[12])) / CLOCK_TICKS


def run(argv):
    out_path = argv[0]
    interval = None
    i = 1
    if i < len(argv) and argv[i] == "--sockets":
        interval = float(argv[i + 1])
        i += 2
    if i >= len(argv) or argv[i] != "--":
        sys.exit("usage: proc_stats.py run OUT.json [--sockets SECONDS] -- CMD [ARG...]")
    cmd = argv[i + 1:]
    start = time.monotonic()
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    seen = {}
    done = threading.Event()

    def sample():
        while not done.wait(interval):
            for key, value in tcp_sockets([child.pid])[child.pid].items():
                seen[key] = value

    sampler = None
    if interval:
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    # Wait for the exit but leave the child a zombie: its /proc/PID/io is then final.
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - start
    done.set()
    try:
        io = proc_io(child.pid)
    except OSError as e:
        io = {"error": str(e)}
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.join()
    figures = {
        "command": cmd,
        "exit_code": child.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "user_s": round(usage.ru_utime, 3),
        "system_s": round(usage.ru_stime, 3),
        "peak_rss_kb": usage.ru_maxrss,
        "io": io,
    }
    if interval:
        figures["tcp_sent"] = sum(s for s, _ in seen.values())
        figures["tcp_received"] = sum(r for _, r in seen.values())
        figures["tcp_connections"] = len(seen)
    with open(out_path, "w") as f:
        json.dump(figures, f)
        f.write("\n")
    sys.exit(child.returncode)


def nodes(pids):
    sockets = tcp_sockets(pids)
    for pid in pids:
        pid = int(pid)
        try:
            figures = {
                "pid": pid,
                "vmhwm_kb": status_kb(pid, "VmHWM"),
                "vmrss_kb": status_kb(pid, "VmRSS"),
                "cpu_s": cpu_seconds(pid),
                "sockets": {f"{l} {p}": list(v) for (l, p), v in sockets[pid].items()},
            }
        except OSError as e:
            figures = {"pid": pid, "error": str(e)}
        print(json.dumps(figures))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "nodes"):
        sys.exit(__doc__)
    if sys.argv[1] == "run":
        run(sys.argv[2:])
    else:
        nodes(sys.argv[2:])


if __name__ == "__main__":
    main()
