using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A long-running node program — <c>ntk coordinator</c> or <c>ntk-worker</c>, built next to the test assembly — as a
/// child process on loopback, with its stderr and stdout collected as they come. Disposing kills the process tree if
/// it still runs, so a failing test never leaves a node behind.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly object _lock = new();

    public string Name { get; }
    public int Port { get; }
    public int Pid => _process.Id;

    private NodeProcess(string name, int port, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment,
        string? workingDirectory = null)
    {
        Name = name;
        Port = port;
        string path = Path.Combine(AppContext.BaseDirectory, dll);
        Assert.True(File.Exists(path), $"{path} not found next to the test assembly");
        var psi = new ProcessStartInfo(NtkProcess.DotnetHost)
        {
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(path);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var v in new[] { "NTK_DEBUG", "NTK_BACKEND", "NTK_TLS_CERTIFICATE", "NTK_TLS_PASSWORD" }) psi.Environment.Remove(v);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => Append(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => Append(e.Data, stdout: false);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static NodeProcess Coordinator(int port, IReadOnlyDictionary<string, string>? environment = null, params string[] extra) =>
        new("coordinator", port, "ntk.dll", ["coordinator", "--host", "127.0.0.1", "--port", port.ToString(), "--threads", "1", .. extra], environment);

    /// <summary>Any <c>ntk</c> command, running in the background (a client whose progress the test watches).</summary>
    public static NodeProcess Ntk(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        new($"ntk {args[0]}", 0, "ntk.dll", args, environment, workingDirectory);

    public static NodeProcess Worker(int port, int seedPort, IReadOnlyDictionary<string, string>? environment = null, params string[] extra) =>
        new($"worker:{port}", port, "ntk-worker.dll",
            ["--host", "127.0.0.1", "--port", port.ToString(), "--seeds", $"127.0.0.1:{seedPort}", "--threads", "1", .. extra], environment);

    /// <summary>Everything the process printed so far (stderr and stdout interleaved as they arrived).</summary>
    public string Output
    {
        get
        {
            lock (_lock) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process printed on stdout alone.</summary>
    public string Stdout
    {
        get
        {
            lock (_lock) return _stdout.ToString();
        }
    }

    private void Append(string? line, bool stdout)
    {
        if (line is null) return;
        lock (_lock)
        {
            _output.AppendLine(line);
            if (stdout) _stdout.AppendLine(line);
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output so far if it does not in time.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        WaitForOutputAsync(output => output.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    /// <summary>Waits until <paramref name="printed"/> holds for the output so far (checked every 100 ms).</summary>
    public async Task WaitForOutputAsync(Func<string, bool> printed, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!printed(Output))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{Name} did not print {what} within {timeout.TotalSeconds} s\n{Output}");
            if (HasExited) Assert.Fail($"{Name} exited with {ExitCode} before printing {what}\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM: the node leaves the cluster gracefully.</summary>
    public void Terminate()
    {
        if (!HasExited) Assert.Equal(0, SysKill(_process.Id, 15));
    }

    /// <summary>SIGSTOP: the process stops where it is (connections to it wait in the kernel's backlog).</summary>
    public void Pause()
    {
        if (!HasExited) Assert.Equal(0, SysKill(_process.Id, 19));
    }

    /// <summary>SIGCONT: a paused process runs on.</summary>
    public void Resume()
    {
        if (!HasExited) Assert.Equal(0, SysKill(_process.Id, 18));
    }

    /// <summary>The TCP ports on which the process listens (Linux: its socket descriptors matched with /proc/net/tcp{,6}).</summary>
    public IReadOnlyList<int> ListeningPorts()
    {
        var inodes = new HashSet<string>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{Pid}/fd"))
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target[8..^1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var ports = new List<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "0A" && inodes.Contains(f[9]))
                    ports.Add(Convert.ToInt32(f[1][(f[1].LastIndexOf(':') + 1)..], 16));
            }
        return ports;
    }

    /// <summary>SIGKILL: the node dies without a word (the process tree, so nothing is left).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} did not exit within {timeout.TotalSeconds} s\n{Output}");
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}

/// <summary>
/// A real cluster of processes on loopback: <c>ntk coordinator</c> and N <c>ntk-worker</c>s on free ports, ready when
/// <c>ntk status --cluster … --json</c> reports N workers. Disposing kills every node.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    public NodeProcess Coordinator { get; private set; }
    public List<NodeProcess> Workers { get; } = new();

    /// <summary>Coordinators of this cluster that were replaced (<see cref="RestartCoordinatorAsync"/>), disposed with it.</summary>
    private readonly List<NodeProcess> _formerCoordinators = new();
    public IReadOnlyDictionary<string, string>? Environment { get; }

    /// <summary>The coordinator's address, as clients give it to --cluster.</summary>
    public string Address => $"127.0.0.1:{Coordinator.Port}";

    /// <summary>Seconds from starting the coordinator until status reported every worker Up.</summary>
    public double StartSeconds { get; private set; }

    private ClusterProcesses(NodeProcess coordinator, IReadOnlyDictionary<string, string>? environment)
    {
        Coordinator = coordinator;
        Environment = environment;
    }

    public static async Task<ClusterProcesses> StartAsync(int workers, IReadOnlyDictionary<string, string>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        var cluster = new ClusterProcesses(NodeProcess.Coordinator(NodeProcess.FreePort(), environment), environment);
        try
        {
            await cluster.Coordinator.WaitForOutputAsync("ntk coordinator: up at", TimeSpan.FromSeconds(60));
            for (int i = 0; i < workers; i++) cluster.AddWorker();
            await cluster.WaitForWorkersAsync(workers, TimeSpan.FromSeconds(90));
            cluster.StartSeconds = clock.Elapsed.TotalSeconds;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public NodeProcess AddWorker()
    {
        var worker = NodeProcess.Worker(NodeProcess.FreePort(), Coordinator.Port, Environment);
        Workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// A restart of the coordinator, as <c>systemctl restart</c> does it: SIGTERM, wait for the process to end, and a
    /// new <c>ntk coordinator</c> on the same port, returned once it is up (its workers may not have rejoined yet).
    /// </summary>
    public async Task<NodeProcess> RestartCoordinatorAsync()
    {
        Coordinator.Terminate();
        await Coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60));
        _formerCoordinators.Add(Coordinator);
        Coordinator = NodeProcess.Coordinator(Coordinator.Port, Environment);
        await Coordinator.WaitForOutputAsync("ntk coordinator: up at", TimeSpan.FromSeconds(60));
        return Coordinator;
    }

    /// <summary>Runs <c>ntk status --cluster … --json</c> and parses its JSON.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        var run = await NtkProcess.RunAsync(Path.GetTempPath(), Environment, "status", "--cluster", Address, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(CliRun.Lines(run.Stdout)[^1]).RootElement;
    }

    /// <summary>Polls <c>ntk status</c> until it reports <paramref name="count"/> workers Up.</summary>
    public async Task WaitForWorkersAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int last = -1;
        while (DateTime.UtcNow < deadline)
        {
            if (Coordinator.HasExited) Assert.Fail($"the coordinator exited with {Coordinator.ExitCode}\n{Describe()}");
            var run = await NtkProcess.RunAsync(Path.GetTempPath(), Environment, "status", "--cluster", Address, "--json");
            if (run.ExitCode == 0)
            {
                last = JsonDocument.Parse(CliRun.Lines(run.Stdout)[^1]).RootElement.GetProperty("workers").GetInt32();
                if (last == count) return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"ntk status did not report {count} workers within {timeout.TotalSeconds} s (last: {last})\n{Describe()}");
    }

    /// <summary>Every node's output, for failure messages.</summary>
    public string Describe() =>
        string.Join("\n", Workers.Prepend(Coordinator).Select(n => $"--- {n.Name} (pid {n.Pid}{(n.HasExited ? $", exited {n.ExitCode}" : "")}) ---\n{n.Output}"));

    public ValueTask DisposeAsync()
    {
        foreach (var w in Workers) w.Dispose();
        Coordinator.Dispose();
        foreach (var c in _formerCoordinators) c.Dispose();
        return ValueTask.CompletedTask;
    }
}
