using NtkCluster.Coordinator.Cli;

return await NtkCli.RunAsync(args, Console.Out, Console.Error);
