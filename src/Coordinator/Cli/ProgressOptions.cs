namespace NtkCluster.Coordinator.Cli;

/// <summary><c>--quiet</c>, which every job command takes: no progress on stderr, errors and warnings still print.</summary>
public static class ProgressOptions
{
    public const string QuietFlag = "quiet";
}
