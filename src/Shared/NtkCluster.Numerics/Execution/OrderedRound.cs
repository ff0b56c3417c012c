namespace NtkCluster.Numerics.Execution;

/// <summary>
/// Runs the blocks of a round on this process's thread pool, at most <c>window</c> at once, and folds their partials
/// strictly in block order whatever order they finish in — the same reduction a cluster round makes, so the sums are
/// bitwise those of any cluster.
/// </summary>
internal static class OrderedRound
{
    /// <param name="blocks">The blocks' computations, produced one at a time in block order: the next is made only when
    /// a slot frees up, so at most <paramref name="window"/> blocks (and their inputs) exist at once.</param>
    public static async Task<TAcc> RunAsync<TPartial, TAcc>(IEnumerable<Func<TPartial>> blocks, int window, TAcc seed,
        Func<TAcc, int, TPartial, TAcc> fold, Action<int>? onBlockDone, CancellationToken cancel)
    {
        using var source = blocks.GetEnumerator();
        var inFlight = new Queue<Task<TPartial>>();
        bool more = true;
        void Fill()
        {
            while (more && inFlight.Count < Math.Max(1, window))
            {
                cancel.ThrowIfCancellationRequested();
                if (source.MoveNext())
                {
                    var compute = source.Current;
                    inFlight.Enqueue(Task.Run(compute, cancel));
                }
                else more = false;
            }
        }

        Fill();
        var acc = seed;
        try
        {
            for (int i = 0; inFlight.Count > 0; i++)
            {
                var partial = await inFlight.Dequeue().ConfigureAwait(false);
                acc = fold(acc, i, partial);
                onBlockDone?.Invoke(i);
                Fill();
            }
        }
        catch
        {
            // Let the blocks still running finish before the round's inputs go away; their failures are not the first.
            try { await Task.WhenAll(inFlight).ConfigureAwait(false); } catch { /* the first failure is rethrown below */ }
            throw;
        }
        return acc;
    }
}
