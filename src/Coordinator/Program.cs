using System.Runtime.InteropServices;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Numerics.Data;

// Ctrl-C, SIGTERM and SIGHUP end the process without running its finally blocks, so the temporary files and staging
// directories beside the outputs are removed here; the signal's default action (ending the process) follows.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => TemporaryPaths.RemoveAll());
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => TemporaryPaths.RemoveAll());
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => TemporaryPaths.RemoveAll());

NtkCluster.Numerics.Diagnostics.StageTimer.Mark("runtime start-up, to Main");
int exitCode = await NtkCli.RunAsync(args, Console.Out, Console.Error);
NtkCluster.Numerics.Diagnostics.StageTimer.Mark("command done");
return exitCode;
