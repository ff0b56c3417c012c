using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Benchmarks;

/// <summary>
/// Times the Gram accumulation ΨᵀΨ the way a primal fit does it: row blocks of <see cref="BlockPlan.GramRowBlock"/>
/// rows, each block's AᵀA on the current backend with <c>concurrency</c> blocks in flight (as a node's compute
/// threads run them), partials summed in block order. Also times one whole-matrix Gram call, the backend's best case.
/// </summary>
public static class GramBenchmark
{
    /// <summary>A random N×M matrix with entries uniform in [−1, 1), from (seed, row block): the same for any caller.</summary>
    public static Matrix<double> RandomBlock(int rows, int columns, ulong seed)
    {
        var a = Matrix<double>.Build.Dense(rows, columns);
        var plan = new BlockPlan(rows, BlockPlan.DefaultRowBlock);
        Parallel.For(0, plan.Count, b =>
        {
            var stream = new DrawStream(seed, DrawPurpose.FeatureDraws, b);
            for (int i = plan.Start(b); i < plan.Start(b) + plan.Length(b); i++)
                for (int j = 0; j < columns; j++)
                    a[i, j] = 2.0 * stream.NextDouble() - 1.0;
        });
        return a;
    }

    /// <summary>Blocked accumulation; returns the Gram matrix and the seconds it took (data generation excluded).</summary>
    public static (Matrix<double> Gram, double Seconds) Blocked(Matrix<double> a, int concurrency)
    {
        int n = a.RowCount, m = a.ColumnCount;
        var plan = new BlockPlan(n, BlockPlan.GramRowBlock(m));
        var backend = DenseBackend.Current;
        var blocks = Enumerable.Range(0, plan.Count).Select(b => a.SubMatrix(plan.Start(b), plan.Length(b), 0, m)).ToArray();
        var partials = new Matrix<double>?[plan.Count];
        var total = Matrix<double>.Build.Dense(m, m);
        var clock = Stopwatch.StartNew();
        // Waves of `concurrency` blocks: in flight at most that many partials, reduced in block order as in BlockRound.
        for (int start = 0; start < plan.Count; start += concurrency)
        {
            int end = Math.Min(plan.Count, start + concurrency);
            Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, b => partials[b] = backend.Gram(blocks[b]));
            for (int b = start; b < end; b++)
            {
                total.Add(partials[b]!, total);
                partials[b] = null;
            }
        }
        return (total, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One Gram call on the whole matrix: what the backend does with all its threads and no blocking.</summary>
    public static (Matrix<double> Gram, double Seconds) Whole(Matrix<double> a, int blasThreads)
    {
        var native = DenseBackend.Current as OpenBlasBackend;
        int before = native?.Threads ?? 1;
        if (native is not null) native.Threads = blasThreads;
        try
        {
            var clock = Stopwatch.StartNew();
            var g = DenseBackend.Current.Gram(a);
            return (g, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (native is not null) native.Threads = before;
        }
    }
}
