namespace Lrn.Tests;

/// <summary>
/// Tests that measure the whole process's allocations: they run in a collection of their own, after every parallel
/// test and alone, so no other test's allocations are counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "Process-wide measurements";
}

/// <summary>
/// Forward and backward allocate nothing proportional to the tensor. Scratch comes from ArrayPool: at most one work
/// item's worth per thread, which depends on C and the item's size (across channels: C x 64 positions; within channel:
/// min(C, 16) spatial planes), never on the batch; once the pool holds it, a call allocates only a small constant (a plan,
/// the Parallel.For machinery). Measured with GC.GetTotalAllocatedBytes(precise: true), which counts the thread pool's
/// threads too, around calls with 1 and 2 threads (with 1, GC.GetAllocatedBytesForCurrentThread, exact: the second call
/// must allocate only the constant) on tensors of 1.5 and 6 million elements (6 and 24 MB as float).
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public class AllocationTests
{
    /// <summary>What a call may allocate beyond scratch: a plan, options, the Parallel.For machinery.</summary>
    private const long ConstantBytes = 64 * 1024;

    /// <summary>
    /// One work item's scratch for the shapes below, rounded up to the pool's power-of-two size, with room to spare:
    /// across channels (C = 16) about 64 KiB; within channel (16 planes of 32 x 32, backward) 512 KiB. A thread whose pool
    /// slot is empty rents a new one, so a call may allocate this much per thread.
    /// </summary>
    private const long ScratchBytesPerThread = 512 * 1024;

    public static TheoryData<LrnKernelKind, LrnRegion, LrnLayout> Cases()
    {
        var data = new TheoryData<LrnKernelKind, LrnRegion, LrnLayout>();
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            foreach (LrnKernelKind kernel in TestData.FastKernels)
            {
                data.Add(kernel, LrnRegion.AcrossChannels, layout);
            }

            data.Add(LrnKernelKind.Scalar, LrnRegion.WithinChannel, layout);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_allocate_nothing_proportional_to_the_tensor(LrnKernelKind kernel, LrnRegion region, LrnLayout layout)
    {
        LrnParameters p = region == LrnRegion.AcrossChannels ? LrnParameters.PyTorch(5) : LrnParameters.CuDnnWithinChannel(3);
        foreach (int batch in new[] { 96, 192 })
        {
            LrnShape shape = TestData.Shape(layout, [batch, 16, 32, 32]);
            var x = new float[shape.ElementCount];
            var y = new float[x.Length];
            var dx = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = ((i % 13) * 0.25f) - 1.5f;
            }

            long tensorBytes = shape.ElementCount * sizeof(float);
            foreach (int threads in new[] { 1, 2 })
            {
                long bound = ConstantBytes + (threads * ScratchBytesPerThread);
                Assert.True(4 * bound <= tensorBytes, "the tensor must dwarf the bound for the test to mean anything");
                var options = new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = threads };
                (string Name, Action Call)[] operations =
                [
                    ("forward", () => LocalResponseNorm.Forward(x, y, shape, p, options)),
                    ("backward", () => LocalResponseNorm.Backward(x, y, dx, shape, p, options)),
                    ("backward with y", () => LocalResponseNorm.Backward(x, y, y, dx, shape, p, options)),
                ];
                foreach ((string name, Action call) in operations)
                {
                    string context = $"{kernel} {region} {shape}, {threads} threads, {name} of a {tensorBytes}-byte tensor";

                    // ArrayPool drops its arrays when a full collection runs (the 6 and 12 MB tensors here make those happen):
                    // collect first, so that the pool is cold for the first call and warm for the next.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    if (threads == 1)
                    {
                        // Inline on this thread: its own counter is exact, whatever the test runner does meanwhile.
                        long first = Measure(call, GC.GetAllocatedBytesForCurrentThread);
                        long second = Measure(call, GC.GetAllocatedBytesForCurrentThread);
                        Assert.True(first <= bound, $"{context}: allocated {first} bytes cold (limit {bound})");
                        Assert.True(second <= ConstantBytes, $"{context}: allocated {first} then {second} bytes; once the pool is warm the limit is {ConstantBytes}");
                    }
                    else
                    {
                        // The thread pool's allocations are only in the process-wide count, which also sees the test runner's
                        // reporting threads now and then: take the least of three calls. Parallel.For may also run an item
                        // on a thread whose pool slot is empty (ArrayPool caches per thread), so a warm call may still rent
                        // one item's scratch: bounded by the same per-thread allowance, not checked for zero.
                        long least = Enumerable.Range(0, 3).Min(_ => Measure(call, () => GC.GetTotalAllocatedBytes(precise: true)));
                        Assert.True(least <= bound, $"{context}: allocated at least {least} bytes per call (limit {bound})");
                    }
                }
            }
        }
    }

    private static long Measure(Action call, Func<long> allocated)
    {
        long before = allocated();
        call();
        return allocated() - before;
    }
}
