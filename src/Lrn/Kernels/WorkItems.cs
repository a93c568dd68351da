using System.Buffers;

namespace Lrn.Kernels;

/// <summary>One work item's computation, as a struct so the driver's loop calls it without an interface dispatch.</summary>
internal interface IWorkItem
{
    /// <summary>Computes item <paramref name="item"/> of the plan, using <paramref name="scratch"/> as it likes.</summary>
    void Run(long item, Span<double> scratch);
}

/// <summary>Runs a plan's work items, in parallel when there is more than one and more than one thread is allowed.</summary>
internal static class WorkItems
{
    public static void Run<TItem>(TItem op, long itemCount, int scratchLength, int maxDegreeOfParallelism)
        where TItem : struct, IWorkItem
    {
        if (itemCount == 0)
        {
            return;
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        if (threads == 1 || itemCount == 1)
        {
            // One item, or one thread: run inline, without the thread pool.
            double[] scratch = ArrayPool<double>.Shared.Rent(scratchLength);
            try
            {
                for (long item = 0; item < itemCount; item++)
                {
                    op.Run(item, scratch.AsSpan(0, scratchLength));
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(scratch);
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(
            0L,
            itemCount,
            options,
            () => ArrayPool<double>.Shared.Rent(scratchLength),
            (item, _, scratch) =>
            {
                op.Run(item, scratch.AsSpan(0, scratchLength));
                return scratch;
            },
            scratch => ArrayPool<double>.Shared.Return(scratch));
    }
}
