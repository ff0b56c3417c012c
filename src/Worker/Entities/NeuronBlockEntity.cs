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
public sealed class NeuronBlockEntity : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private NeuronBlock? _block;
    private Matrix<double>? _x;
    private NeuronStepDone? _lastStep;

    public NeuronBlockEntity()
    {
        Receive<LoadNeuronBlock>(m => Answer(m, () =>
        {
            var block = new NeuronBlock(m.Setup.Network, m.Setup.InitialWeights, m.Setup.Signs, m.Setup.Factors, m.Weights, m.Step);
            foreach (var residual in m.ResidualsSince) block.Advance(m.Setup.X, residual);
            _block = block;
            _x = m.Setup.X;
            _lastStep = null;
            return new NeuronBlockLoaded(m.JobId, m.BlockIndex, block.Step, block.Outputs(m.Setup.X), block.SquaredNorm());
        }));
        Receive<NeuronStep>(m => Answer(m, () =>
        {
            if (_block is null) return new NeuronBlockMissing(m.JobId, m.BlockIndex, null);
            if (_block.Step == m.Step + 1 && _lastStep is { } done && done.Step == m.Step + 1) return done; // a retried step
            if (_block.Step != m.Step) return new NeuronBlockMissing(m.JobId, m.BlockIndex, _block.Step);
            _block.Advance(_x!, m.Residual);
            _lastStep = new NeuronStepDone(m.JobId, m.BlockIndex, _block.Step, _block.Outputs(_x!), _block.SquaredNorm());
            return _lastStep;
        }));
        Receive<InspectNeuronBlock>(m => Answer(m, () =>
        {
            if (_block is null || _block.Step != m.Step) return new NeuronBlockMissing(m.JobId, m.BlockIndex, _block?.Step);
            return new NeuronBlockInspected(m.JobId, m.BlockIndex, _block.Step, _block.Weights.Clone(), _block.MaxWeightMove(),
                _block.PatternFlips(_x!), m.WithKernel ? _block.KernelPart(_x!) : null, m.WithKernel ? _block.KernelPart(_x!, initial: true) : null,
                m.TestX is null ? null : _block.Outputs(m.TestX));
        }));
        Receive<ReleaseNeuronBlock>(_ =>
        {
            _block = null;
            _x = null;
            _lastStep = null;
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
    }

    public static Props Props(string computeDispatcher) =>
        Akka.Actor.Props.Create(() => new NeuronBlockEntity()).WithDispatcher(computeDispatcher);

    private void Answer(IBlockCommand command, Func<IBlockReply> compute) => Sender.Tell(BlockAnswers.Compute(_log, command, compute));
}
