#!/usr/bin/env python3
"""How long a lost worker costs (issue 15): a coordinator and 2 workers (1 compute thread each) on loopback, real
processes and production failure detection; a job runs alone, then again with one worker killed (kill -9) or stopped
(SIGSTOP for 30 s) a few seconds into its main round. The client's lines are timed from the moment of the signal.

    python3 bench/recovery.py fit|train-nn|fit-parts kill|stop [--repeat N]

Build first: dotnet build src/Coordinator -c Release && dotnet build src/Worker -c Release.
The worker signalled is the one that is busiest at the moment (it holds a block of the round); for train-nn, whose
blocks are on both workers, the oldest (it also hosts the shard coordinators)."""
import os, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NTK = os.path.join(ROOT, "src/Coordinator/bin/Release/net10.0/ntk.dll")
WORKER = os.path.join(ROOT, "src/Worker/bin/Release/net10.0/ntk-worker.dll")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


class Proc:
    def __init__(self, args, cwd, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("NTK_")}
        env.update(extra or {})
        self.t0 = None
        self.lines = []  # (seconds since t0 or start, line)
        self.start = time.monotonic()
        self.p = subprocess.Popen(["dotnet", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, l) for _, l in self.lines): return
            if self.p.poll() is not None: raise SystemExit(f"exited before {pattern!r}:\n" + "\n".join(l for _, l in self.lines))
            time.sleep(0.05)
        raise SystemExit(f"no {pattern!r} within {timeout} s:\n" + "\n".join(l for _, l in self.lines))

    def first(self, pattern, since):
        return next((t - since for t, l in self.lines if t >= since and re.search(pattern, l)), None)

    def cpu(self):
        f = open(f"/proc/{self.p.pid}/stat").read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])

    def stop(self):
        if self.p.poll() is None:
            self.p.kill(); self.p.wait()


def data(dir, kind):
    rng = random.Random(5)
    def rows(n):
        out = ["x1,x2,x3,y"]
        for _ in range(n):
            x = [4 * rng.random() - 2 for _ in range(3)]
            out.append(",".join(f"{v:.6f}" for v in x) + f",{__import__('math').sin(x[0]) + x[1] ** 2 + 0.1 * (rng.random() - 0.5):.6f}")
        return "\n".join(out) + "\n"
    if kind == "fit-parts":
        os.makedirs(os.path.join(dir, "parts"))
        for i in range(6): open(os.path.join(dir, "parts", f"part-{i:05d}.csv"), "w").write(rows(3000))
        return "parts"
    open(os.path.join(dir, "data.csv"), "w").write(rows(24000 if kind == "fit" else 300))
    return "data.csv"


def job_args(kind, train):
    if kind == "fit":  # 24 000 rows, 2000 features: 3 Gram blocks of 8000 rows, 2 in flight
        return ["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "2000", "--standardize",
                "--workers", "2", "--block-timeout", "300", "--json"], r"Gram blocks", 0.5
    if kind == "fit-parts":  # 6 partitions of 3000 rows, 1200 features
        return ["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "1200", "--standardize",
                "--workers", "2", "--block-timeout", "300", "--json"], r"Gram partitions \[[#-]+\] [1-3]/6", 0.0
    return ["train-nn", "--train", train, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target", "--width", "2048",
            "--lambda", "0.01", "--steps", "300", "--checkpoint-every", "50", "--workers", "2", "--block-timeout", "300", "--json"], \
        r"step \[[#-]+\] (4\d|[5-9]\d|\d{3})/300", 0.0


def run(kind, fault, dir, train):
    port = free_port()
    coord = Proc([NTK, "coordinator", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"], dir)
    workers = []
    try:
        coord.wait_for("ntk coordinator: up at", 60)
        for _ in range(2):
            workers.append(Proc([WORKER, "--host", "127.0.0.1", "--port", str(free_port()), "--seeds", f"127.0.0.1:{port}", "--threads", "1"], dir))
            time.sleep(1.0)  # the first one is the oldest
        for w in workers: w.wait_for(" is Up", 90)
        time.sleep(2)
        args, when, delay = job_args(kind, train)
        t = time.monotonic()
        client = Proc([NTK, *args, "--cluster", f"127.0.0.1:{port}"], dir, {"NTK_PROGRESS": "bar"})
        if fault == "none":
            client.p.wait(); time.sleep(0.2)
            return {"alone": time.monotonic() - t, "exit": client.p.returncode, "out": client.lines}
        client.wait_for(when, 300)
        time.sleep(delay)
        if kind == "train-nn":
            victim = workers[0]
        else:
            before = [w.cpu() for w in workers]; time.sleep(0.5)
            victim = max(zip(workers, before), key=lambda wb: wb[0].cpu() - wb[1])[0]
        t_fault = time.monotonic()
        os.kill(victim.p.pid, signal.SIGKILL if fault == "kill" else signal.SIGSTOP)
        resumed = False
        while client.p.poll() is None:
            if fault == "stop" and not resumed and time.monotonic() - t_fault >= 30:
                os.kill(victim.p.pid, signal.SIGCONT); resumed = True
            time.sleep(0.05)
        t_end = time.monotonic()
        if fault == "stop" and not resumed:
            time.sleep(max(0, 30 - (t_end - t_fault))); os.kill(victim.p.pid, signal.SIGCONT)
        time.sleep(0.2)
        r = lambda p: client.first(p, t_fault)
        return {"with": t_end - t, "after": t_end - t_fault, "exit": client.p.returncode,
                "unreachable": r(r"is unreachable"), "backed up": r(r"asked again at once"),
                "restored on a backup": r(r"restoring neuron block \d+ .* at once on backup entity"), "downed": r(r"downing it"),
                "re-asked after removal": r(r"left the cluster"), "out": client.lines}
    finally:
        for p in [*workers, coord]:
            try:
                os.kill(p.p.pid, signal.SIGCONT)
            except OSError:
                pass
            p.stop()


def main():
    kind, fault = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    dir = tempfile.mkdtemp(prefix="ntk-recovery-")
    try:
        train = data(dir, kind)
        for i in range(repeat):
            res = run(kind, fault, dir, train)
            out = res.pop("out")
            if res.get("exit") != 0: print("\n".join(l for _, l in out))
            print(f"{kind} {fault} #{i + 1}: " + ", ".join(f"{k} {v:.1f} s" if isinstance(v, float) else f"{k} {v}" for k, v in res.items()), flush=True)
            if os.environ.get("RECOVERY_VERBOSE"): print("\n".join(l for _, l in out))
    finally:
        shutil.rmtree(dir, ignore_errors=True)


if __name__ == "__main__":
    main()
