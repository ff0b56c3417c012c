using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// The Microsoft.Extensions.Hosting host of an NtkCluster actor system: Akka.Hosting's <c>AddAkka</c> configured by
/// the caller (<see cref="NtkHostingExtensions"/>), logging through <see cref="StderrLoggerProvider"/> only, and no
/// configuration read from files or the environment (a node is configured by its command line).
/// </summary>
public static class NodeHost
{
    /// <summary>Builds the host of an actor system; <see cref="StartSystemAsync"/> starts it.</summary>
    /// <param name="logLevel">The least level logged (Akka's own level is set by <see cref="NtkHostingExtensions.WithNtkLogging"/>).</param>
    /// <param name="handleSignals">The host owns SIGTERM and Ctrl-C (the console lifetime, without its status lines):
    /// they stop the application (<see cref="IHostApplicationLifetime.ApplicationStopping"/>), and the program then
    /// stops the host, which leaves the cluster gracefully. Off for a node inside a command (local mode), where
    /// Ctrl-C keeps its default meaning.</param>
    /// <param name="dropLog">Log lines not to print, by source and message (<see cref="StderrLoggerProvider"/>).</param>
    public static IHost Create(string systemName, LogLevel logLevel, bool handleSignals, Action<AkkaConfigurationBuilder> configure,
        Func<string, string, bool>? dropLog = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(new StderrLoggerProvider(drop: dropLog)).SetMinimumLevel(logLevel);
        if (handleSignals)
        {
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        }
        else
        {
            builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        }
        builder.Services.AddAkka(systemName, configure);
        return builder.Build();
    }

    /// <summary>
    /// The host's actor system, created here — a port that cannot be bound throws from this call, to be reported as
    /// the program's own one-line error (Akka.Hosting would print the failure to stdout, which carries results) —
    /// and then the host started: the regions, proxies and actors of its configuration.
    /// </summary>
    public static async Task<ActorSystem> StartSystemAsync(this IHost host)
    {
        var system = host.Services.GetRequiredService<ActorSystem>();
        await host.StartAsync();
        return system;
    }

    /// <summary>The host's actor system (created if it was not yet).</summary>
    public static ActorSystem ActorSystem(this IHost host) => host.Services.GetRequiredService<ActorSystem>();

    /// <summary>A task that completes when the application is asked to stop (SIGTERM, Ctrl-C, or the actor system
    /// terminating: Akka.Hosting stops the application then).</summary>
    public static Task StoppingAsync(this IHost host)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    /// <summary>A lifetime that neither waits for nor handles signals: the host lives as long as its command.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
