using Akka.Actor;
using Akka.TestKit.Xunit2;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Entities;
using Xunit;

namespace NtkCluster.Cluster.Tests.Messaging;

/// <summary>
/// A partition entity asks its locator where this worker reads a partition before reading it, keeps the rows in the
/// worker's cache between commands, and answers a partition its locator cannot provide as unreadable, with the reason.
/// Partition commands are addressed to it by the partition's content and place, whatever the job.
/// </summary>
public sealed class PartitionEntityTests : TestKit
{
    private const string Dispatcher = "akka.actor.default-dispatcher";
    private readonly CliTempDirectory _dir = new();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _dir.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Sends every partition to another path (a shipped copy, say), or refuses it.</summary>
    internal sealed class MovedLocator(string? to) : IPartitionLocator
    {
        public int Calls { get; private set; }

        public Task<DataPartition> LocateAsync(DataPartition partition, CancellationToken ct)
        {
            Calls++;
            return to is null
                ? Task.FromException<DataPartition>(new InvalidInputException($"{partition.Name}: no copy of it here"))
                : Task.FromResult(partition with { Path = to });
        }
    }

    [Fact]
    public void The_entity_reads_the_partition_where_its_locator_says_and_keeps_its_rows_for_the_next_command()
    {
        string original = _dir.Write("a.csv", TestData.Csv(300, seed: 3));
        var partition = PartitionedDataset.Resolve(original).CountRows().Partitions[0];
        string copy = Path.Combine(_dir.Path, "copy.csv");
        File.Move(original, copy); // only the located path exists now
        var columns = new PartitionColumns(["x1", "x2", "x3"], ["y"], null);
        var locator = new MovedLocator(copy);
        var cache = new PartitionRowCache(1L << 30);
        var entity = Sys.ActorOf(PartitionEntity.Props(Dispatcher, cache, locator));

        entity.Tell(new ComputePartitionMoments("job-1", 0, partition, columns, null));
        var first = ExpectMsg<PartitionMomentsComputed>();
        entity.Tell(new ComputePartitionMoments("job-2", 0, partition, columns, null));
        var second = ExpectMsg<PartitionMomentsComputed>();

        Assert.Equal((300L, 300L), (first.Moments.Features.Count, second.Moments.Features.Count));
        Assert.Equal(first.Moments.Features.Sums, second.Moments.Features.Sums);
        Assert.Equal((2, 1L, 1L), (locator.Calls, cache.FileReads, cache.Hits));
    }

    [Fact]
    public void Predictions_read_the_partition_where_its_locator_says_through_the_row_cache_and_write_the_same_part_each_time()
    {
        string original = _dir.Write("a.csv", TestData.Csv(300, seed: 3));
        var partition = PartitionedDataset.Resolve(original).CountRows().Partitions[0];
        var sample = Serialization.MessageSamples.PrimalModel(new NtkCluster.Numerics.Kernels.RbfKernel(0.5), 3, 6, 40);
        var model = new NtkCluster.Numerics.Models.KrrModel
        {
            ProgramVersion = sample.ProgramVersion, Kernel = sample.Kernel, Lambda = sample.Lambda, Seed = sample.Seed, Sampling = sample.Sampling,
            Formulation = sample.Formulation, FeatureNames = ["x1", "x2", "x3"], TargetNames = sample.TargetNames,
            Preprocessing = sample.Preprocessing, Draws = sample.Draws, Coefficients = sample.Coefficients,
        };
        // The reference: the part written from the file itself, without a cache or an entity.
        string expected = Directory.CreateDirectory(Path.Combine(_dir.Path, "expected")).FullName;
        var receipt = NtkCluster.Numerics.Execution.PartitionComputations.WritePredictions(partition, model, null, 300, expected, "part-00000.csv");
        string copy = Path.Combine(_dir.Path, "copy.csv");
        File.Move(original, copy); // only the located path exists now
        var locator = new MovedLocator(copy);
        var cache = new PartitionRowCache(1L << 30);
        var entity = Sys.ActorOf(PartitionEntity.Props(Dispatcher, cache, locator));

        foreach (string job in new[] { "predict-1", "predict-2" })
        {
            string output = Directory.CreateDirectory(Path.Combine(_dir.Path, job)).FullName;
            entity.Tell(new WritePartitionPredictions(job, 0, partition, model, null, 300, output, "part-00000.csv"));
            Assert.Equal(receipt, ExpectMsg<PartitionPredictionsWritten>(TimeSpan.FromSeconds(10)).Part);
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "part-00000.csv")), File.ReadAllBytes(Path.Combine(output, "part-00000.csv")));
        }
        Assert.Equal(301, File.ReadAllLines(Path.Combine(expected, "part-00000.csv")).Length);
        Assert.Equal((2, 1L, 1L), (locator.Calls, cache.FileReads, cache.Hits));
    }

    [Fact]
    public void A_partition_the_locator_cannot_provide_is_answered_unreadable_with_the_reason()
    {
        var partition = PartitionedDataset.Resolve(_dir.Write("a.csv", TestData.Csv(50, seed: 1))).Partitions[0];
        var entity = Sys.ActorOf(PartitionEntity.Props(Dispatcher, new PartitionRowCache(0), new MovedLocator(null)));
        entity.Tell(new CountPartition("job", 3, partition));
        var reply = ExpectMsg<PartitionUnreadable>();
        Assert.Equal(("job", 3, $"{partition.Name}: no copy of it here"), (reply.JobId, reply.BlockIndex, reply.Reason));
    }

    [Fact]
    public void Partition_commands_of_any_job_are_addressed_to_one_entity_per_partition()
    {
        var data = PartitionedDataset.Resolve(_dir.Write("a.csv", TestData.Csv(50, seed: 1)));
        var p = data.Partitions[0];
        var columns = new PartitionColumns(["x1", "x2", "x3"], ["y"], null);
        string id = new CountPartition("job-1", 0, p).EntityId;
        Assert.Equal(id, new ComputePartitionMoments("job-2", 0, p, columns, null).EntityId);
        Assert.Matches("^partition\\.[0-9a-f]{32}$", id);
        Assert.True(PartitionEntityId.IsPartition(id));
        // The same content at another place in a dataset is another partition (copies of a file spread over workers).
        Assert.NotEqual(id, PartitionEntityId.Of(p with { Index = 1 }));
        Assert.Equal(id, PartitionEntityId.Of(p with { Path = "/elsewhere/a.csv" }));
        Assert.False(PartitionEntityId.IsPartition(new BuildKernelRows("job-1", 0, "rbf:gamma=1", null!, null!).EntityId));
    }
}
