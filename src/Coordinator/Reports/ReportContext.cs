namespace NtkCluster.Coordinator.Reports;

/// <summary>What a report states about its run besides the results: the data, where and when it ran, which program.</summary>
/// <param name="TestSet">How the test set was chosen, in words ("a seeded 20% split of the file (split seed 0)", "none").</param>
/// <param name="Preprocessing">The preprocessing applied, in words.</param>
/// <param name="Where">Where the jobs ran ("this process, 2 worker(s), host h", "the cluster at H:P").</param>
public sealed record ReportContext(string TrainPath, string TestSet, int TrainRows, int? TestRows, int Features, string Target,
    string Preprocessing, string Where, string Backend, string Version, DateTimeOffset Started, double Seconds, string CommandLine);
