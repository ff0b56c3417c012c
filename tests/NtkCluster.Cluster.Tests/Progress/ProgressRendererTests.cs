using System.Diagnostics;
using System.Globalization;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Numerics.Execution;
using Xunit;

namespace NtkCluster.Cluster.Tests.Progress;

/// <summary>
/// The one progress renderer, driven by a fake monotonic clock into a StringWriter: the bar's format, its pace, rate
/// and ETA arithmetic, the lines mode's cadence, --quiet, and that reporting never waits for stderr.
/// </summary>
public sealed class ProgressRendererTests
{
    private sealed class FakeClock
    {
        public TimeSpan Now { get; set; }
        public TimeSpan Read() => Now;
        public void At(double seconds) => Now = TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A renderer on a fake clock; verbose (--verbose) unless said, the detailed mode most tests here check.</summary>
    private static (ProgressRenderer Renderer, StringWriter Output, FakeClock Clock) Make(ProgressMode mode, bool verbose = true)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var clock = new FakeClock();
        return (new ProgressRenderer("fit", output, mode, clock.Read, width: 200, verbose: verbose), output, clock);
    }

    private static ProgressUpdate Gram(long done, long? total = 10) => ProgressUpdate.Count("Gram blocks", done, total, "blocks");

    /// <summary>What the terminal shows after the bar's redraws: the text after the last carriage return, padding trimmed.</summary>
    private static string Visible(string output) => output[(output.LastIndexOf('\r') + 1)..].TrimEnd();

    /// <summary>Redraws: a bar written after a carriage return that does not end the blanking of a longer bar.</summary>
    private static int Draws(string output) => System.Text.RegularExpressions.Regex.Matches(output, "(?<! )\rntk fit: ").Count;

    // ------------------------------------------------------------------------------------------ bar

    [Fact]
    public void The_bar_shows_stage_count_percentage_rate_and_eta_but_no_eta_before_a_rate()
    {
        var (r, output, clock) = Make(ProgressMode.Bar);
        r.Report(Gram(0));
        r.Render();
        Assert.Equal("ntk fit: Gram blocks [--------------------] 0/10 0%", Visible(output.ToString()));

        clock.At(2);
        r.Report(Gram(5));
        r.Render();
        // 5 blocks in 2 s = 2.5 blocks/s; 5 left → 2 s.
        Assert.Equal("ntk fit: Gram blocks [##########----------] 5/10 50% 2.50 blocks/s ETA 2s", Visible(output.ToString()));
        Assert.DoesNotContain("\n", output.ToString()); // one line, redrawn in place

        clock.At(3);
        r.Report(ProgressUpdate.Count("step", 300, 1200, "steps", "loss 1.5"));
        r.Render();
        Assert.Equal("ntk fit: step [#####---------------] 300/1200 25% · loss 1.5", Visible(output.ToString())); // a new stage: no rate yet
    }

    [Fact]
    public void A_shorter_bar_blanks_what_was_left_of_the_longer_one()
    {
        var (r, output, clock) = Make(ProgressMode.Bar);
        r.Report(ProgressUpdate.Count("a rather long stage name for a bar", 1, 10, "blocks"));
        r.Render();
        int before = output.ToString().Length;
        clock.At(1);
        r.Report(ProgressUpdate.Count("short", 0, 2, "blocks"));
        r.Render();
        string redraw = output.ToString()[before..];
        string longBar = output.ToString()[1..before];
        // "\r" + new text + blanks up to the old length + "\r" + new text again, so the cursor ends after the text.
        Assert.StartsWith("\rntk fit: short [", redraw);
        Assert.Equal(longBar.Length + 2 + "ntk fit: short [--------------------] 0/2 0%".Length, redraw.Length);
    }

    [Fact]
    public void The_bar_is_redrawn_at_most_ten_times_a_second_but_a_finished_stage_at_once()
    {
        var (r, output, clock) = Make(ProgressMode.Bar);
        // 2000 blocks, one every millisecond, rendered after each: 2 s of updates.
        for (int i = 0; i <= 1999; i++)
        {
            clock.At(i / 1000.0);
            r.Report(Gram(i, 2000));
            r.Render();
        }
        int draws = Draws(output.ToString());
        Assert.InRange(draws, 18, 21); // about one per 100 ms of the 2 s
        clock.At(1.9995);
        r.Report(Gram(2000, 2000));
        r.Render(); // only 0.5 ms after the previous one, but the stage is done
        Assert.Equal(draws + 1, Draws(output.ToString()));
        Assert.Contains("2000/2000 100%", Visible(output.ToString()));
    }

    [Fact]
    public void Finishing_a_job_clears_the_bar_and_a_note_prints_on_its_own_line()
    {
        var (r, output, clock) = Make(ProgressMode.Bar);
        r.Report(Gram(3));
        r.Render();
        string bar = Visible(output.ToString());
        clock.At(1);
        r.Report(ProgressUpdate.Note("solving the 400×400 system"));
        r.Render();
        Assert.EndsWith($"\r{new string(' ', bar.Length)}\rntk fit: solving the 400×400 system\n\r{bar}", output.ToString());
        // The unfinished stage is drawn again under the note (a stage that has finished is not).
        clock.At(2);
        r.Report(Gram(4));
        r.Render();
        r.Finish();
        string text = output.ToString();
        Assert.EndsWith("\r", text);
        Assert.Equal("", Visible(text)); // nothing left on the line for what the command prints next
    }

    [Fact]
    public void With_notes_in_the_bar_a_note_is_drawn_in_place_and_leaves_no_line_but_a_warning_does()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var clock = new FakeClock();
        var r = new ProgressRenderer("demo", output, ProgressMode.Bar, clock.Read, width: 200, notesInBar: true);
        r.Report(ProgressUpdate.Count("Gram blocks", 3, 10, "blocks"));
        r.Render();
        clock.At(1);
        r.Report(ProgressUpdate.Note("solving the 400×400 system"));
        r.Render();
        Assert.Equal("ntk demo: solving the 400×400 system", Visible(output.ToString()));
        // The running stage's next count takes the bar back.
        clock.At(2);
        r.Report(ProgressUpdate.Count("Gram blocks", 4, 10, "blocks"));
        r.Render();
        Assert.StartsWith("ntk demo: Gram blocks [########------------] 4/10 40%", Visible(output.ToString()));
        r.Finish();
        Assert.DoesNotContain('\n', output.ToString()); // nothing stays between what the command prints on stdout
        Assert.Equal("", Visible(output.ToString()));

        r.Report(ProgressUpdate.Warning("worker node X is unreachable"));
        r.Render();
        Assert.EndsWith("ntk demo: warning: worker node X is unreachable\n", output.ToString());

        // Lines mode is unchanged by the option: with --verbose a note is a line.
        var lines = new StringWriter(CultureInfo.InvariantCulture);
        var l = new ProgressRenderer("demo", lines, ProgressMode.Lines, clock.Read, width: 200, notesInBar: true, verbose: true);
        l.Report(ProgressUpdate.Note("solving the 400×400 system"));
        l.Finish();
        Assert.Equal("ntk demo: solving the 400×400 system\n", lines.ToString());
    }

    // ------------------------------------------------------------------------------------------ lines

    [Fact]
    public void Verbose_lines_come_at_most_every_five_seconds_plus_the_first_and_last_of_a_stage()
    {
        var (r, output, clock) = Make(ProgressMode.Lines);
        // 100 blocks, one every 0.5 s, rendered after each.
        for (int i = 0; i <= 100; i++)
        {
            clock.At(0.5 * i);
            r.Report(Gram(i, 100));
            r.Render();
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"],
            lines.Select(l => l["ntk fit: Gram blocks ".Length..].Split('/')[0]));
        Assert.Equal("ntk fit: Gram blocks 0/100 (0%)", lines[0]);
        // 10 blocks in 5 s = 2 blocks/s; 90 left → 45 s.
        Assert.Equal("ntk fit: Gram blocks 10/100 (10%, 2.00 blocks/s, ETA 45s)", lines[1]);
        Assert.Equal("ntk fit: Gram blocks 100/100 (100%, 2.00 blocks/s, took 50s)", lines[^1]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void Without_verbose_a_stage_is_one_line_at_its_end_plus_one_every_thirty_seconds_and_notes_are_left_out()
    {
        var (r, output, clock) = Make(ProgressMode.Lines, verbose: false);
        r.Report(ProgressUpdate.Note("solving the 400×400 system"));
        // 100 blocks, one every 0.5 s: 50 s in all.
        for (int i = 0; i <= 100; i++)
        {
            clock.At(0.5 * i);
            r.Report(Gram(i, 100));
            r.Render();
        }
        r.Report(ProgressUpdate.Count("prediction blocks", 0, 1, "blocks"));
        r.Render(); // a new stage: no 0/N line
        r.Report(ProgressUpdate.Warning("worker node X is unreachable"));
        r.Finish();
        Assert.Equal([
            "ntk fit: Gram blocks 60/100 (60%, 2.00 blocks/s, ETA 20s)",
            "ntk fit: Gram blocks 100/100 (100%, 2.00 blocks/s, took 50s)",
            "ntk fit: warning: worker node X is unreachable", // and no line for a stage still at 0/N when the job ended
        ], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_notice_is_a_line_without_verbose_and_hidden_by_quiet()
    {
        var (r, output, _) = Make(ProgressMode.Lines, verbose: false);
        r.Report(ProgressUpdate.Note("solving the 10×10 system"));
        r.Report(ProgressUpdate.Notice("rows: read by the workers from the shared path"));
        r.Finish();
        Assert.Equal("ntk fit: rows: read by the workers from the shared path\n", output.ToString());
        var (bar, drawn, _) = Make(ProgressMode.Bar, verbose: false);
        bar.Report(ProgressUpdate.Notice("rows: read by the workers from the shared path"));
        bar.Finish();
        Assert.Contains("ntk fit: rows: read by the workers from the shared path\n", drawn.ToString());
        var (off, silent, _) = Make(ProgressMode.Off, verbose: false);
        off.Report(ProgressUpdate.Notice("rows: read by the workers from the shared path"));
        off.Finish();
        Assert.Equal("", silent.ToString());
    }

    [Fact]
    public void A_commands_own_stage_stands_for_its_jobs_stages_in_lines_and_leads_the_bar()
    {
        var (r, output, clock) = Make(ProgressMode.Lines, verbose: false);
        for (int job = 0; job < 3; job++)
        {
            r.ReportOverall(ProgressUpdate.Count("fold scores", job, 3, "scores"));
            clock.At(job + 0.5);
            r.Report(Gram(10));
            r.Render();
            r.Finish(); // the job's end: its stage's line is left out
        }
        clock.At(3);
        r.ReportOverall(ProgressUpdate.Count("fold scores", 3, 3, "scores"));
        r.Finish();
        Assert.Equal("ntk fit: fold scores 3/3 (100%, 1.00 scores/s, took 3s)\n", output.ToString());

        var (bar, drawn, _) = Make(ProgressMode.Bar, verbose: false);
        bar.ReportOverall(ProgressUpdate.Count("fold scores", 1, 3, "scores"));
        bar.Report(Gram(5));
        bar.Render();
        Assert.StartsWith("ntk fit: fold scores 1/3 · Gram blocks [##########", Visible(drawn.ToString()));
    }

    [Fact]
    public void A_stage_that_starts_and_ends_between_two_renders_is_one_line()
    {
        var (r, output, clock) = Make(ProgressMode.Lines);
        r.Report(Gram(0, 1));
        clock.At(0.02);
        r.Report(Gram(1, 1));
        r.Render();
        Assert.Equal("ntk fit: Gram blocks 1/1 (100%, 50.0 blocks/s, took <1s)\n", output.ToString());
    }

    [Fact]
    public void A_note_or_the_end_of_a_job_first_shows_the_last_state_of_the_stage()
    {
        var (r, output, clock) = Make(ProgressMode.Lines);
        r.Report(ProgressUpdate.Count("training-error blocks", 0, null, "blocks"));
        r.Render();
        clock.At(1);
        r.Report(ProgressUpdate.Count("training-error blocks", 4, null, "blocks"));
        r.Render(); // within 5 s of the first line: held back
        clock.At(2);
        r.Report(ProgressUpdate.Note("test error: streaming test.csv"));
        r.Report(ProgressUpdate.Count("step", 7, 60, "steps", "loss 2"));
        clock.At(2.5);
        r.Report(ProgressUpdate.Count("step", 8, 60, "steps", "loss 1.9"));
        r.Render();
        r.Finish();
        Assert.Equal([
            "ntk fit: training-error blocks 0 blocks",
            "ntk fit: training-error blocks 4 blocks (4.00 blocks/s)",
            "ntk fit: test error: streaming test.csv",
            "ntk fit: step 7/60: loss 2 (11%)",
            "ntk fit: step 8/60: loss 1.9 (13%, 2.00 steps/s, ETA 26s)",
        ], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_round_restarting_the_same_stage_is_a_new_stage()
    {
        var (r, output, clock) = Make(ProgressMode.Lines);
        r.Report(ProgressUpdate.Count("prediction blocks", 0, 2, "blocks"));
        r.Report(ProgressUpdate.Count("prediction blocks", 2, 2, "blocks"));
        clock.At(1);
        r.Report(ProgressUpdate.Count("prediction blocks", 0, 2, "blocks"));
        r.Render();
        clock.At(9);
        r.Report(ProgressUpdate.Count("prediction blocks", 1, 2, "blocks"));
        clock.At(10);
        r.Report(ProgressUpdate.Count("prediction blocks", 2, 2, "blocks"));
        r.Render();
        // The second round's rate is measured from its own start (2 blocks in 9 s), not from the first round's.
        Assert.Equal([
            "ntk fit: prediction blocks 2/2 (100%)",
            "ntk fit: prediction blocks 0/2 (0%)",
            "ntk fit: prediction blocks 2/2 (100%, 0.22 blocks/s, took 9s)",
        ], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    // ------------------------------------------------------------------------------------------ quiet, modes

    [Fact]
    public void Quiet_shows_no_progress_but_still_the_warnings()
    {
        var (r, output, clock) = Make(ProgressMode.Off);
        r.Report(Gram(0));
        r.Report(ProgressUpdate.Note("solving the 10×10 system"));
        clock.At(1);
        r.Report(Gram(10));
        r.Render();
        r.Finish();
        Assert.Equal("", output.ToString());
        r.Report(ProgressUpdate.Warning("worker node X is unreachable"));
        r.Render();
        Assert.Equal("ntk fit: warning: worker node X is unreachable\n", output.ToString());
    }

    [Fact]
    public void The_mode_follows_quiet_then_the_variable_then_whether_stderr_is_a_terminal()
    {
        var writer = new StringWriter();
        Assert.Equal(ProgressMode.Off, ProgressRenderer.ModeFor(quiet: true, writer, "bar"));
        Assert.Equal(ProgressMode.Bar, ProgressRenderer.ModeFor(quiet: false, writer, "bar"));
        Assert.Equal(ProgressMode.Lines, ProgressRenderer.ModeFor(quiet: false, writer, "LINES"));
        Assert.Equal(ProgressMode.Off, ProgressRenderer.ModeFor(quiet: false, writer, "off"));
        // A writer that is not the console's stderr is no terminal.
        Assert.Equal(ProgressMode.Lines, ProgressRenderer.ModeFor(quiet: false, writer, ""));
        Assert.Contains("NTK_PROGRESS", Assert.Throws<UsageException>(() => ProgressRenderer.ModeFor(false, writer, "fancy")).Message);
    }

    [Theory]
    [InlineData(0.2, "<1s")]
    [InlineData(7.4, "7s")]
    [InlineData(59.6, "1m00s")]
    [InlineData(185, "3m05s")]
    [InlineData(7440, "2h04m")]
    public void Durations_read_as_seconds_minutes_or_hours(double seconds, string expected) =>
        Assert.Equal(expected, ProgressRenderer.FormatDuration(seconds));

    // ------------------------------------------------------------------------------------------ never blocks a job

    /// <summary>A stderr whose writes wait until released, like a full pipe nobody reads.</summary>
    private sealed class StuckWriter : StringWriter
    {
        public ManualResetEventSlim Release { get; } = new(false);
        public ManualResetEventSlim Entered { get; } = new(false);

        public override void Write(string? value)
        {
            Entered.Set();
            Release.Wait();
            base.Write(value);
        }
    }

    [Fact]
    public async Task Reporting_does_not_wait_for_a_stuck_stderr()
    {
        var stderr = new StuckWriter();
        var clock = new FakeClock();
        var r = new ProgressRenderer("fit", stderr, ProgressMode.Lines, clock.Read, verbose: true);
        r.Report(ProgressUpdate.Note("first"));
        var rendering = Task.Run(r.Render);
        Assert.True(stderr.Entered.Wait(TimeSpan.FromSeconds(10)), "the renderer never wrote");
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 100_000; i++) r.Report(Gram(i, 100_000));
        watch.Stop();
        Assert.False(rendering.IsCompleted);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"100 000 reports took {watch.Elapsed.TotalSeconds:F1} s while stderr was stuck");
        stderr.Release.Set();
        await rendering;
        r.Finish();
        // The reports coalesced: the stage's first count and its last, not 100 000 lines.
        Assert.Equal(["ntk fit: first", "ntk fit: Gram blocks 0/100000 (0%)", "ntk fit: Gram blocks 99999/100000 (99%)"],
            stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3));
    }
}
