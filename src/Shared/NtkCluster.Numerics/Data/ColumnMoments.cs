using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Column means and population variances accumulated over row blocks in one pass, in a fixed order, so that data
/// too large to hold can be standardized exactly like data in memory.
/// </summary>
/// <remarks>
/// <para>
/// Means are the plain running sum of every value in row order, divided by the count: bitwise what a loop over the
/// whole column gives. Variances cannot be had that way in one pass without the cancellation of the textbook
/// Σx² − n·x̄² formula, so each block contributes its own two-pass moments (mean and M2 = Σ(x − x̄_b)² about its
/// own mean), merged into the running M2 by the update of Chan, Golub and LeVeque:
/// M2 ← M2 + M2_b + δ²·n·n_b/(n + n_b), δ = x̄_b − x̄ — whose error stays of the order of the two-pass
/// algorithm's. A single block is exactly the two-pass algorithm.
/// </para>
/// <para>
/// The result depends on where the blocks start and end, not on anything else; <see cref="Of"/> cuts in-memory
/// data into the blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows that <see cref="CsvRowBlockReader"/>
/// reads, so in-memory and streamed fits get bitwise the same preprocessing.
/// </para>
/// </remarks>
public sealed class ColumnMoments
{
    private readonly double[] _sums;
    private readonly double[] _m2;

    public ColumnMoments(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        _sums = new double[columns];
        _m2 = new double[columns];
    }

    public int Columns => _sums.Length;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>The moments of a whole matrix, taken in blocks of <paramref name="blockSize"/> rows.</summary>
    public static ColumnMoments Of(Matrix<double> m, int blockSize = BlockPlan.DefaultRowBlock)
    {
        var moments = new ColumnMoments(m.ColumnCount);
        var plan = new BlockPlan(m.RowCount, blockSize);
        for (int b = 0; b < plan.Count; b++) moments.Add(m, plan.Start(b), plan.Length(b));
        return moments;
    }

    /// <summary>Adds every row of <paramref name="block"/>, as one block.</summary>
    public void Add(Matrix<double> block) => Add(block, 0, block.RowCount);

    /// <summary>Adds rows [firstRow, firstRow + rowCount) of <paramref name="m"/>, as one block.</summary>
    public void Add(Matrix<double> m, int firstRow, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.ColumnCount != Columns) throw new ArgumentException($"expected {Columns} columns, got {m.ColumnCount}", nameof(m));
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > m.RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"rows [{firstRow}, {firstRow + rowCount}) outside [0, {m.RowCount})");
        if (rowCount == 0) return;

        long before = Count;
        double[]? storage = m.AsColumnMajorArray(); // dense matrices: read the storage, not a bounds-checked call per cell
        int rows = m.RowCount;
        for (int c = 0; c < Columns; c++)
        {
            double previousMean = before == 0 ? 0 : _sums[c] / before;
            double blockSum = 0, running = _sums[c];
            for (int r = firstRow; r < firstRow + rowCount; r++)
            {
                double v = storage != null ? storage[(long)c * rows + r] : m[r, c];
                blockSum += v;
                running += v;
            }
            double blockMean = blockSum / rowCount;
            double blockM2 = 0;
            for (int r = firstRow; r < firstRow + rowCount; r++)
            {
                double deviation = (storage != null ? storage[(long)c * rows + r] : m[r, c]) - blockMean;
                blockM2 += deviation * deviation;
            }
            _sums[c] = running;
            if (before == 0)
            {
                _m2[c] = blockM2;
            }
            else
            {
                double delta = blockMean - previousMean;
                _m2[c] += blockM2 + delta * delta * ((double)before * rowCount / (before + rowCount));
            }
        }
        Count = before + rowCount;
    }

    /// <summary>
    /// Adds the rows another accumulator has seen, as if they followed the rows added so far: the merge of Chan,
    /// Golub and LeVeque, the same update <see cref="Add(Matrix{double}, int, int)"/> applies to each block. This is
    /// how the moments of a partitioned dataset are had: each partition accumulates its own rows, and the partials
    /// are merged in partition order, so the result depends on the partitioning alone, never on where they ran.
    /// Sums add, so the means agree with one pass over all rows to rounding, not bitwise.
    /// </summary>
    public void Merge(ColumnMoments other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Columns != Columns) throw new ArgumentException($"expected {Columns} columns, got {other.Columns}", nameof(other));
        if (other.Count == 0) return;
        long before = Count, added = other.Count;
        for (int c = 0; c < Columns; c++)
        {
            if (before == 0)
            {
                _m2[c] = other._m2[c];
            }
            else
            {
                double delta = other._sums[c] / added - _sums[c] / before;
                _m2[c] += other._m2[c] + delta * delta * ((double)before * added / (before + added));
            }
            _sums[c] += other._sums[c];
        }
        Count = before + added;
    }

    /// <summary>Column sums of the rows added (the state a partial carries, with <see cref="SquaredDeviations"/> and <see cref="Count"/>).</summary>
    public IReadOnlyList<double> Sums => _sums;

    /// <summary>Each column's M2: the sum of squared deviations from its mean.</summary>
    public IReadOnlyList<double> SquaredDeviations => _m2;

    /// <summary>An accumulator from the state of another (<see cref="Count"/>, <see cref="Sums"/>, <see cref="SquaredDeviations"/>), as a partial sent between processes is rebuilt.</summary>
    public static ColumnMoments FromState(long count, IReadOnlyList<double> sums, IReadOnlyList<double> squaredDeviations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (sums.Count != squaredDeviations.Count) throw new ArgumentException("as many sums as squared deviations are needed", nameof(squaredDeviations));
        var moments = new ColumnMoments(sums.Count) { Count = count };
        for (int c = 0; c < sums.Count; c++)
        {
            moments._sums[c] = sums[c];
            moments._m2[c] = squaredDeviations[c];
        }
        return moments;
    }

    /// <summary>Column means.</summary>
    public double[] Means() => _sums.Select(s => s / Count).ToArray();

    /// <summary>Population variances (divisor n).</summary>
    public double[] Variances() => _m2.Select(m2 => m2 / Count).ToArray();
}
