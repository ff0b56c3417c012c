namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// One <c>ntk</c> command: its name, one line for <c>ntk --help</c>, its full help, the options its argument parser
/// accepts (which its help lists, each with its default) and how to run it.
/// </summary>
public sealed record CliCommand(
    string Name,
    string Summary,
    string Help,
    IReadOnlyList<string> ValueOptions,
    IReadOnlyList<string> Flags,
    Func<IReadOnlyList<string>, TextWriter, TextWriter, Task<int>> Run);
