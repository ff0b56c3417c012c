using System.Reflection;

namespace NtkCluster;

/// <summary>The program's name and version, as recorded in models and JSON output.</summary>
public static class ProgramInfo
{
    public static string Version { get; } =
        typeof(ProgramInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
