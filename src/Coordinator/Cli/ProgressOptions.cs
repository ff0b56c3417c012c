namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>--quiet</c> and <c>--verbose</c>, which every job command takes: no progress on stderr (errors and warnings still
/// print), or progress with the jobs' internal notes and every stage's first line (see <see cref="ProgressRenderer"/>).
/// </summary>
public static class ProgressOptions
{
    public const string QuietFlag = "quiet";

    public const string VerboseFlag = "verbose";
}
