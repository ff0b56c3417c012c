using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// A sharded neuron-block entity: holds one block of a network in training and takes synchronized gradient steps
/// on the coordinator's residuals. Its weights after t steps cannot be rebuilt from the seed, so it is never
/// passivated while idle; if it is lost anyway (its node died), the next step finds it empty, it answers
/// <see cref="NeuronBlockMissing"/>, and the coordinator reloads it from a checkpoint and the residuals since.
/// Runs on the compute dispatcher.
/// </summary>
public sealed class NeuronBlockEntity : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CommandChunks _chunks;
    private NeuronBlock? _block;
    private Matrix<double>? _x;
    private NeuronStepDone? _lastStep;

    public ITimerScheduler Timers { get; set; } = null!;

    public NeuronBlockEntity() : this(null) { }

    /// <param name="transferTimeout">How long a command arriving in pieces may go without a piece before it is
    /// dropped (default <see cref="NtkCluster.Protocol.Serialization.ChunkedTransfer.PartialTimeout"/>).</param>
    public NeuronBlockEntity(TimeSpan? transferTimeout)
    {
        _chunks = new CommandChunks(transferTimeout);
        Receive<IBlockCommand>(Handle);
        // A command too large for one frame (a load carries the training rows): the pieces are put together, then
        // handled as if it had come whole.
        Receive<BlockCommandChunk>(chunk =>
        {
            if (_chunks.Add(chunk, _log, Timers) is { } command) Handle(command);
        });
        Receive<CommandChunks.Expire>(e => _chunks.OnExpire(e, _log));
    }

    private void Handle(IBlockCommand command)
    {
        switch (command)
        {
            case LoadNeuronBlock m:
                Answer(m, () => Load(m));
                break;
            case NeuronStep m:
                Answer(m, () => Step(m));
                break;
            case InspectNeuronBlock m:
                Answer(m, () => Inspect(m));
                break;
            case ReleaseNeuronBlock:
                _block = null;
                _x = null;
                _lastStep = null;
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
                break;
            default:
                Answer(command, () => throw new NotSupportedException($"a neuron-block entity does not handle {command.GetType().Name}"));
                break;
        }
    }

    private IBlockReply Load(LoadNeuronBlock m)
    {
        var block = new NeuronBlock(m.Setup.Network, m.Setup.InitialWeights, m.Setup.Signs, m.Setup.Factors, m.Weights, m.Step);
        foreach (var residual in m.ResidualsSince) block.Advance(m.Setup.X, residual);
        _block = block;
        _x = m.Setup.X;
        _lastStep = null;
        return new NeuronBlockLoaded(m.JobId, m.BlockIndex, block.Step, block.Outputs(m.Setup.X), block.SquaredNorm());
    }

    private IBlockReply Step(NeuronStep m)
    {
        if (_block is null) return new NeuronBlockMissing(m.JobId, m.BlockIndex, null);
        if (_block.Step == m.Step + 1 && _lastStep is { } done && done.Step == m.Step + 1) return done; // a retried step
        if (_block.Step != m.Step) return new NeuronBlockMissing(m.JobId, m.BlockIndex, _block.Step);
        _block.Advance(_x!, m.Residual);
        _lastStep = new NeuronStepDone(m.JobId, m.BlockIndex, _block.Step, _block.Outputs(_x!), _block.SquaredNorm());
        return _lastStep;
    }

    private IBlockReply Inspect(InspectNeuronBlock m)
    {
        if (_block is null || _block.Step != m.Step) return new NeuronBlockMissing(m.JobId, m.BlockIndex, _block?.Step);
        return new NeuronBlockInspected(m.JobId, m.BlockIndex, _block.Step, _block.Weights.Clone(), _block.MaxWeightMove(),
            _block.PatternFlips(_x!), m.WithKernel ? _block.KernelPart(_x!) : null, m.WithKernel ? _block.KernelPart(_x!, initial: true) : null,
            m.TestX is null ? null : _block.Outputs(m.TestX));
    }

    public static Props Props(string computeDispatcher, TimeSpan? transferTimeout = null) =>
        Akka.Actor.Props.Create(() => new NeuronBlockEntity(transferTimeout)).WithDispatcher(computeDispatcher);

    private void Answer(IBlockCommand command, Func<IBlockReply> compute) => BlockAnswers.Send(Sender, BlockAnswers.Compute(_log, command, compute), Self);
}
