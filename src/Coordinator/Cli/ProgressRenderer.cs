using System.Diagnostics;
using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Execution;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// Shows a job's <see cref="ProgressUpdate"/>s on stderr — the one renderer of every command, local or
/// <c>--cluster</c>. On a terminal a live bar (stage, done/total, percentage, rate, ETA) redrawn in place at most
/// <see cref="BarInterval"/> apart; otherwise plain lines, so that logs stay short: one line per stage at its end, and
/// one per <see cref="LinesInterval"/> while a long stage runs. With <c>--verbose</c> the lines are as a developer wants
/// them: a stage's first and last state, one per <see cref="VerboseLinesInterval"/> between, and the jobs' notes (what
/// they do next: "solving the 400×400 system") as lines of their own; without it notes are drawn in the bar's place
/// (a terminal) or left out (lines). Warnings print always, even with <c>--quiet</c>.
/// </summary>
/// <remarks>
/// <para>
/// A command that runs many jobs (<c>ntk cv</c>'s fits, <c>ntk demo</c>'s) counts them as one stage of its own
/// (<see cref="ReportOverall"/>): in lines mode that stage's lines stand for its jobs' stages, whose end lines are left
/// out (only their 30-second lines stay, for a long job); on a terminal the bar shows it in front of the job's stage.
/// </para>
/// </remarks>
/// <remarks>
/// <para>
/// <see cref="Report"/> is what jobs call, on their own threads: it only stamps the update with the monotonic clock
/// and queues it (a count replacing the previous count of the same stage still queued), so a slow or blocked stderr
/// can never hold a job up, and rendering cannot change what a job computes. A background loop
/// (<see cref="Start"/>) calls <see cref="Render"/> every <see cref="BarInterval"/>; tests call it themselves with a
/// fake clock.
/// </para>
/// <para>
/// Rate = units done since the stage's first update ÷ time since then, on this process's monotonic clock (for a
/// cluster job, as the updates arrive here); no rate before a second distinct count, no ETA before a rate.
/// </para>
/// </remarks>
public sealed class ProgressRenderer : IAsyncDisposable
{
    /// <summary>Forces a mode: bar, lines or off (for tests and logs); --quiet still wins.</summary>
    public const string ModeVariable = "NTK_PROGRESS";

    public static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan LinesInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan VerboseLinesInterval = TimeSpan.FromSeconds(5);

    private const int BarCells = 20;

    private sealed record Queued(ProgressUpdate Update, TimeSpan At, bool StartsStage, bool Overall = false);

    /// <summary>The stage being shown: where its rate is measured from, and what was last shown of it.</summary>
    private sealed class Stage(ProgressUpdate first, TimeSpan at)
    {
        public long StartDone { get; } = first.Done;
        public TimeSpan StartAt { get; } = at;
        public ProgressUpdate Latest { get; set; } = first;
        public TimeSpan LatestAt { get; set; } = at;
        public bool LatestShown { get; set; }
        public TimeSpan ShownAt { get; set; } = at;

        /// <summary>An overall stage found within a job (a stage counted again after others), which ends with the job.</summary>
        public bool FromJob { get; init; }
    }

    private readonly string _prefix;
    private readonly TextWriter _stderr;
    private readonly Func<TimeSpan> _clock;
    private readonly int _width;
    private readonly bool _notesInBar;
    private readonly bool _verbose;
    private readonly TimeSpan _linesInterval;
    private readonly object _queueLock = new();
    private readonly object _renderLock = new();
    private readonly List<Queued> _queue = new();
    private ProgressUpdate? _lastQueuedCount;
    private Stage? _stage;
    private Stage? _overall;
    private readonly Dictionary<string, ProgressUpdate> _seenThisJob = new(StringComparer.Ordinal);
    private int _barLength;
    private bool _barDirty;
    private TimeSpan? _barDrawnAt;
    private CancellationTokenSource? _loop;
    private Task? _loopTask;
    private bool _broken;

    /// <param name="command">The command's name, in front of every line ("ntk fit: …").</param>
    /// <param name="clock">A monotonic clock (default: a <see cref="Stopwatch"/> started now).</param>
    /// <param name="width">The terminal's width, which a bar must stay under so that \r redraws it in place.</param>
    /// <param name="notesInBar">Bar mode: a note is drawn in the bar's place until the next stage or the job's end, not
    /// printed as a line of its own — for a command that prints results between its jobs (<c>ntk demo</c>'s table rows),
    /// so that on a terminal no progress line is left between them, even with <paramref name="verbose"/>. Warnings are
    /// lines all the same.</param>
    /// <param name="verbose"><c>--verbose</c>: notes as lines, and in lines mode every stage's first state too.</param>
    public ProgressRenderer(string command, TextWriter stderr, ProgressMode mode, Func<TimeSpan>? clock = null, int? width = null,
        bool notesInBar = false, bool verbose = false)
    {
        _prefix = $"ntk {command}: ";
        _stderr = stderr;
        Mode = mode;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _clock = clock;
        _width = Math.Max(40, width ?? TerminalWidth(mode));
        _notesInBar = notesInBar;
        _verbose = verbose;
        _linesInterval = verbose ? VerboseLinesInterval : LinesInterval;
    }

    public ProgressMode Mode { get; }

    /// <summary>
    /// The mode for a command: off with <c>--quiet</c>; else <see cref="ModeVariable"/> if set; else a bar when
    /// <paramref name="stderr"/> is the console's and the console's stderr is a terminal, lines otherwise.
    /// </summary>
    /// <exception cref="UsageException"><see cref="ModeVariable"/> has an unknown value.</exception>
    public static ProgressMode ModeFor(bool quiet, TextWriter stderr, string? variable = null)
    {
        if (quiet) return ProgressMode.Off;
        variable ??= Environment.GetEnvironmentVariable(ModeVariable);
        if (!string.IsNullOrEmpty(variable))
        {
            return variable.Trim().ToLowerInvariant() switch
            {
                "bar" => ProgressMode.Bar,
                "lines" => ProgressMode.Lines,
                "off" => ProgressMode.Off,
                _ => throw new UsageException($"{ModeVariable}='{variable}' is not a progress mode (known: bar, lines, off)"),
            };
        }
        return ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? ProgressMode.Bar : ProgressMode.Lines;
    }

    /// <summary>Records an update (any thread; never blocks on stderr).</summary>
    public void Report(ProgressUpdate update)
    {
        if (Mode == ProgressMode.Off && update.Kind != ProgressKind.Warning) return;
        var at = _clock();
        lock (_queueLock)
        {
            if (update.Kind != ProgressKind.Count)
            {
                _queue.Add(new Queued(update, at, false));
                return;
            }
            bool starts = _lastQueuedCount is not { } last || last.Stage != update.Stage || last.Total != update.Total || update.Done < last.Done;
            _lastQueuedCount = update;
            // A newer count of the same stage replaces one not yet rendered — except the stage's first, which rates are measured from.
            if (!starts && _queue.Count > 0 && _queue[^1] is { StartsStage: false, Update.Kind: ProgressKind.Count } tail && tail.Update.Stage == update.Stage)
                _queue[^1] = new Queued(update, at, false);
            else
                _queue.Add(new Queued(update, at, starts));
        }
    }

    /// <summary>
    /// Records a count of the command's own stage over many jobs ("fold scores 3/125"), from the command's thread. It
    /// lasts across the jobs' ends until its count reaches its total; a command calls <see cref="Finish"/> after the last
    /// one, before it prints its results.
    /// </summary>
    public void ReportOverall(ProgressUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (Mode == ProgressMode.Off || update.Kind != ProgressKind.Count) return;
        var at = _clock();
        lock (_queueLock) _queue.Add(new Queued(update, at, false, Overall: true));
    }

    /// <summary>Starts the loop that renders every <see cref="BarInterval"/>.</summary>
    public void Start()
    {
        if (_loop is not null) return;
        _loop = new CancellationTokenSource();
        var token = _loop.Token;
        _loopTask = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(BarInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(token)) Render();
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>Shows what was reported since the last call, as far as the mode's pace allows.</summary>
    public void Render()
    {
        lock (_renderLock)
        {
            if (_broken) return;
            try
            {
                RenderLocked(_clock(), finish: false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _broken = true; // stderr is gone: progress is not worth failing a job for
            }
        }
    }

    /// <summary>
    /// The job ended: shows everything still queued and the last state of the stage (lines), or clears the bar, so
    /// that what the command prints next starts on a clean line. The next job starts afresh.
    /// </summary>
    public void Finish()
    {
        lock (_renderLock)
        {
            if (_broken) return;
            try
            {
                RenderLocked(_clock(), finish: true);
                _stderr.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _broken = true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            await _loop.CancelAsync();
            if (_loopTask is not null) await _loopTask;
            _loop.Dispose();
        }
        Finish();
    }

    private void RenderLocked(TimeSpan now, bool finish)
    {
        List<Queued> batch;
        lock (_queueLock)
        {
            batch = new List<Queued>(_queue);
            _queue.Clear();
            if (finish) _lastQueuedCount = null;
        }
        for (int i = 0; i < batch.Count; i++)
        {
            var (update, at, starts, overall) = batch[i];
            if (overall)
            {
                RenderOverall(update, at);
                continue;
            }
            if (update.Kind != ProgressKind.Count)
            {
                if (update.Kind == ProgressKind.Note && !_verbose && Mode == ProgressMode.Lines) continue; // internal: --verbose shows it
                EndStage();
                if (update.Kind == ProgressKind.Notice && Mode == ProgressMode.Bar && _notesInBar
                    || update.Kind == ProgressKind.Note && Mode == ProgressMode.Bar && (_notesInBar || !_verbose))
                {
                    DrawBar(_prefix + update.Stage);
                    _barDrawnAt = now;
                    _barDirty = false; // the stage's next count redraws it
                }
                else WriteLine(update.Kind == ProgressKind.Warning ? $"warning: {update.Stage}" : update.Stage);
                // A finished stage is not drawn again under the note; one still running (a warning mid-round) is.
                if (_stage?.Latest.IsComplete == true) _stage = null;
                continue;
            }
            // A stage counted again after other stages ran ("sweep fits 2/30" after the first fit's Gram blocks) counts
            // those stages: within this job it is treated as the command's own stage is.
            if (_overall is { FromJob: true } o && o.Latest.Stage == update.Stage && o.Latest.Total == update.Total && update.Done >= o.Latest.Done)
            {
                RenderOverall(update, at, fromJob: true);
                continue;
            }
            if (starts && update.Total is not null && _seenThisJob.TryGetValue(update.Stage, out var seen) && seen.Total == update.Total
                && update.Done > seen.Done && _stage?.Latest.Stage != update.Stage && _overall is null)
            {
                _seenThisJob.Remove(update.Stage);
                RenderOverall(update, at, fromJob: true);
                continue;
            }
            _seenThisJob[update.Stage] = update;
            if (starts || _stage is null)
            {
                EndStage();
                _stage = new Stage(update, at);
                // A stage that also ends in this batch shows only its end: one line, not two, for a quick round.
                bool endsHere = batch.Skip(i + 1).TakeWhile(q => !q.StartsStage && q.Update.Kind == ProgressKind.Count).Any(q => q.Update.IsComplete);
                if (Mode == ProgressMode.Lines && _verbose && !endsHere) ShowLine(at);
                _barDirty = true;
                continue;
            }
            _stage.Latest = update;
            _stage.LatestAt = at;
            _stage.LatestShown = false;
            _barDirty = true;
            if (Mode == ProgressMode.Lines && ((update.IsComplete && ShowsStageEnds) || at - _stage.ShownAt >= _linesInterval)) ShowLine(at);
        }
        if (Mode == ProgressMode.Lines && _stage is { LatestShown: false } s && ((finish && ShowsStageEnds) || now - s.ShownAt >= _linesInterval)) ShowLine(now);
        var shown = _stage ?? _overall;
        if (Mode == ProgressMode.Bar && shown is not null && _barDirty && !finish
            && (_barDrawnAt is not TimeSpan drawn || now - drawn >= BarInterval || shown.Latest.IsComplete))
        {
            DrawBar(_prefix + (_stage is null ? FormatBar(_overall!) : (_overall is null ? "" : _overall.Latest.Text + " · ") + FormatBar(_stage)));
            _barDrawnAt = now;
            _barDirty = false;
        }
        if (finish)
        {
            ClearBar();
            _stage = null;
            _barDirty = false;
            _seenThisJob.Clear();
            if (_overall is { FromJob: true }) _overall = null;
        }
    }

    /// <summary>
    /// Lines mode shows a stage's end: always with --verbose; otherwise unless the command's own stage stands for its
    /// jobs' stages (<see cref="ReportOverall"/>).
    /// </summary>
    private bool ShowsStageEnds => _verbose || _overall is null;

    /// <summary>The command's own stage: a line at its end and one per lines interval; in the bar, in front of the job's stage.</summary>
    private void RenderOverall(ProgressUpdate update, TimeSpan at, bool fromJob = false)
    {
        if (_overall is null || _overall.Latest.Stage != update.Stage || _overall.Latest.Total != update.Total || update.Done < _overall.Latest.Done)
        {
            _overall = new Stage(update, at) { FromJob = fromJob };
        }
        else
        {
            _overall.Latest = update;
            _overall.LatestAt = at;
            _overall.LatestShown = false;
        }
        _barDirty = true;
        if (Mode == ProgressMode.Lines && (update.IsComplete || (update.Done > 0 && at - _overall.ShownAt >= _linesInterval)))
        {
            EndStage();
            WriteLine(FormatLine(_overall));
            _overall.LatestShown = true;
            _overall.ShownAt = at;
        }
        if (update.IsComplete) _overall = null;
    }

    /// <summary>Before a note or a new stage: a stage's last state is shown in lines mode (the bar is just replaced).</summary>
    private void EndStage()
    {
        if (Mode == ProgressMode.Lines && ShowsStageEnds && _stage is { LatestShown: false }) ShowLine(_stage.LatestAt);
    }

    private void ShowLine(TimeSpan at)
    {
        // Without --verbose a stage that has not begun ("0/10") is no news: its first count or its end will be.
        if (!_verbose && _stage!.Latest.Done == 0 && !_stage.Latest.IsComplete) return;
        WriteLine(FormatLine(_stage!));
        _stage!.LatestShown = true;
        _stage.ShownAt = at;
    }

    private void WriteLine(string text)
    {
        ClearBar();
        _stderr.Write(_prefix + text + "\n");
    }

    private void DrawBar(string text)
    {
        if (text.Length > _width - 1) text = text[..(_width - 1)];
        var sb = new StringBuilder("\r").Append(text);
        if (text.Length < _barLength) sb.Append(' ', _barLength - text.Length).Append('\r').Append(text);
        _stderr.Write(sb.ToString());
        _stderr.Flush();
        _barLength = text.Length;
    }

    private void ClearBar()
    {
        if (_barLength == 0) return;
        _stderr.Write("\r" + new string(' ', _barLength) + "\r");
        _barLength = 0;
        _barDirty = true;
    }

    /// <summary>Units per second since the stage's first update, once there is a second distinct count.</summary>
    private static double? Rate(Stage s)
    {
        double seconds = (s.LatestAt - s.StartAt).TotalSeconds;
        long units = s.Latest.Done - s.StartDone;
        return units > 0 && seconds > 0 ? units / seconds : null;
    }

    /// <summary>Seconds left at the current rate; null without a rate, a total, or once complete.</summary>
    private static double? Eta(Stage s) =>
        s.Latest.Total is long total && !s.Latest.IsComplete && Rate(s) is double rate ? (total - s.Latest.Done) / rate : null;

    /// <summary>"Gram blocks 3/10 (30%, 12.5 blocks/s, ETA 1s)"; a complete stage says how long it took.</summary>
    private static string FormatLine(Stage s)
    {
        var u = s.Latest;
        var parts = new List<string>();
        if (u.Total is long t && t > 0) parts.Add(Percent(u.Done, t) + "%");
        if (Rate(s) is double r) parts.Add($"{FormatRate(r)} {u.Unit}/s");
        if (Eta(s) is double eta) parts.Add("ETA " + FormatDuration(eta));
        if (u.IsComplete && s.LatestAt > s.StartAt) parts.Add("took " + FormatDuration((s.LatestAt - s.StartAt).TotalSeconds));
        return u.Text + (parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})");
    }

    /// <summary>"Gram blocks [######--------------] 3/10 30% 12.5 blocks/s ETA 1s · loss 1.5".</summary>
    private static string FormatBar(Stage s)
    {
        var u = s.Latest;
        var sb = new StringBuilder(u.Stage);
        if (u.Total is long t && t > 0)
        {
            int filled = (int)Math.Clamp(u.Done * BarCells / t, 0, BarCells);
            sb.Append(" [").Append('#', filled).Append('-', BarCells - filled).Append("] ")
              .Append(u.Done.ToString(CultureInfo.InvariantCulture)).Append('/').Append(t.ToString(CultureInfo.InvariantCulture))
              .Append(' ').Append(Percent(u.Done, t)).Append('%');
        }
        else sb.Append(' ').Append(u.Done.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(u.Unit);
        if (Rate(s) is double r) sb.Append(' ').Append(FormatRate(r)).Append(' ').Append(u.Unit).Append("/s");
        if (Eta(s) is double eta) sb.Append(" ETA ").Append(FormatDuration(eta));
        if (u.Detail is not null) sb.Append(" · ").Append(u.Detail);
        return sb.ToString();
    }

    /// <summary>Whole percent, rounded down: 100% only when the stage is complete.</summary>
    private static string Percent(long done, long total) =>
        Math.Clamp(done * 100 / total, 0, 100).ToString(CultureInfo.InvariantCulture);

    public static string FormatRate(double rate) =>
        rate.ToString(rate >= 100 ? "0" : rate >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    /// <summary>"<1s", "7s", "3m05s", "2h04m".</summary>
    public static string FormatDuration(double seconds)
    {
        if (seconds < 1) return "<1s";
        long s = (long)Math.Round(seconds);
        return s < 60 ? $"{s}s" : s < 3600 ? $"{s / 60}m{s % 60:00}s" : $"{s / 3600}h{s / 60 % 60:00}m";
    }

    private static int TerminalWidth(ProgressMode mode)
    {
        if (mode != ProgressMode.Bar) return 100;
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 100;
        }
    }
}
