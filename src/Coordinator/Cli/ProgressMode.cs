namespace NtkCluster.Coordinator.Cli;

/// <summary>How a command shows its job's progress on stderr (<see cref="ProgressRenderer"/>).</summary>
public enum ProgressMode
{
    /// <summary>A live single-line bar redrawn with \r: stderr is a terminal.</summary>
    Bar,

    /// <summary>Plain lines, a few per stage: stderr is a file or a pipe, so logs stay short.</summary>
    Lines,

    /// <summary><c>--quiet</c>: no progress; warnings still print.</summary>
    Off,
}
