using Akka.Actor;
using Akka.Event;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// Akka's log sink for NtkCluster programs: everything goes to stderr, because stdout belongs to results
/// (tables, CSV, the closing JSON line) that users pipe into other tools.
/// </summary>
public sealed class StderrLogger : ReceiveActor
{
    public StderrLogger()
    {
        Receive<LogEvent>(e => Console.Error.WriteLine($"[{e.LogLevel().ToString().Replace("Level", "").ToLowerInvariant()}] {e.LogSource}: {e.Message}{(e.Cause is null ? "" : " (" + e.Cause.Message + ")")}"));
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
    }
}
