using System.Collections.Concurrent;

namespace Lrn.Tests;

/// <summary>
/// Thread safety and determinism: many threads calling forward and backward at once, each on its own tensors, get the
/// bits the same calls give one at a time; and every operation gives the same bits for 1, 2 and 8 threads (double,
/// Caffe's backward with y, in place and within channel here; PropertyTests and WithinKernelTests cover the float
/// forward and backward).
/// </summary>
public class ConcurrencyTests
{
    /// <summary>One caller's work: its own tensors, parameters and options.</summary>
    private sealed record Job(string Name, LrnShape Shape, LrnParameters P, LrnOptions Options, bool UseDouble)
    {
        public Results Run() => UseDouble ? Results.Of<double>(this) : Results.Of<float>(this);
    }

    /// <summary>y, y computed in place, dx (y recomputed) and dx (y given), as raw bits.</summary>
    private sealed record Results(byte[] Y, byte[] InPlace, byte[] Dx, byte[] DxGivenY)
    {
        public static Results Of<T>(Job job)
            where T : unmanaged
        {
            var random = new Random(StableSeed.Of(job.Name));
            T[] x = TestData.As<T>(TestData.Random(random, job.Shape.ElementCount));
            T[] dy = TestData.As<T>(TestData.Random(random, job.Shape.ElementCount));
            var y = new T[x.Length];
            var dx = new T[x.Length];
            var dxGivenY = new T[x.Length];
            SpanCalls.Forward<T>(x, y, job.Shape, job.P, job.Options);
            SpanCalls.Backward<T>(x, dy, dx, job.Shape, job.P, job.Options);
            SpanCalls.Backward<T>(x, y, dy, dxGivenY, job.Shape, job.P, job.Options);
            T[] inPlace = (T[])x.Clone();
            SpanCalls.Forward<T>(inPlace, inPlace, job.Shape, job.P, job.Options);
            return new Results(Bytes(y), Bytes(inPlace), Bytes(dx), Bytes(dxGivenY));
        }

        public string? Difference(Results other) =>
            !Y.AsSpan().SequenceEqual(other.Y) ? "y"
            : !InPlace.AsSpan().SequenceEqual(other.InPlace) ? "y in place"
            : !Dx.AsSpan().SequenceEqual(other.Dx) ? "dx"
            : !DxGivenY.AsSpan().SequenceEqual(other.DxGivenY) ? "dx with y"
            : null;

        private static byte[] Bytes<T>(T[] values)
            where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    [Fact]
    public void Many_threads_calling_at_once_get_the_bits_of_calls_made_one_at_a_time()
    {
        // Shared parameter, shape and option objects on purpose: they are immutable and used by every thread at once.
        LrnParameters pytorch = LrnParameters.PyTorch(4, alpha: 0.4, beta: 0.75, k: 1);
        LrnParameters general = LrnParameters.Onnx(5, alpha: 0.2, beta: 0.6, bias: 2);
        LrnParameters within = LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 1);
        LrnShape first = LrnShape.ChannelsFirst(4, 24, 13, 17);
        LrnShape last = LrnShape.ChannelsLast(4, 13, 17, 24);
        var all = new LrnOptions { MaxDegreeOfParallelism = -1 };
        var jobs = new List<Job>
        {
            new("auto first float", first, pytorch, all, false),
            new("auto last double", last, general, all, true),
            new("scalar first double", first, general, new LrnOptions { Kernel = LrnKernelKind.Scalar, MaxDegreeOfParallelism = 2 }, true),
            new("reference last float", LrnShape.ChannelsLast(2, 5, 7, 24), pytorch, new LrnOptions { Kernel = LrnKernelKind.Reference }, false),
            new("within first float", first, within, all, false),
            new("within last double", last, within, new LrnOptions { Kernel = LrnKernelKind.Scalar, MaxDegreeOfParallelism = 8 }, true),
        };
        foreach (LrnKernelKind kernel in TestData.FastKernels)
        {
            jobs.Add(new($"{kernel} first float", first, general, new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = 8 }, false));
            jobs.Add(new($"{kernel} last float", last, pytorch, new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = 1 }, false));
        }

        Results[] sequential = [.. jobs.Select(job => job.Run())];

        const int Repeats = 3;
        var failures = new ConcurrentQueue<string>();
        using var start = new Barrier(jobs.Count);
        Thread[] threads =
        [
            .. jobs.Select((job, index) => new Thread(() =>
            {
                start.SignalAndWait();
                for (int repeat = 0; repeat < Repeats; repeat++)
                {
                    try
                    {
                        string? difference = job.Run().Difference(sequential[index]);
                        if (difference is not null)
                        {
                            failures.Enqueue($"{job.Name}, repeat {repeat}: {difference} differs from the call made alone");
                        }
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        failures.Enqueue($"{job.Name}, repeat {repeat}: {e.GetType().Name}: {e.Message}");
                    }
                }
            })),
        ];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures));
    }

    public static TheoryData<LrnKernelKind, LrnRegion, LrnLayout> ParallelCases()
    {
        var data = new TheoryData<LrnKernelKind, LrnRegion, LrnLayout>();
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            foreach (LrnKernelKind kernel in TestData.FastKernels.Append(LrnKernelKind.Auto))
            {
                data.Add(kernel, LrnRegion.AcrossChannels, layout);
            }

            data.Add(LrnKernelKind.Scalar, LrnRegion.WithinChannel, layout);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ParallelCases))]
    public void Every_operation_gives_the_same_bits_for_1_2_and_8_threads(LrnKernelKind kernel, LrnRegion region, LrnLayout layout)
    {
        // Shapes with many work items in both layouts (channels-first: 3 inner tiles of 64 positions, several outer
        // blocks; channels-last: 5 x 19 x 23 vectors of 40 channels), so the items really are spread over threads.
        LrnShape shape = TestData.Shape(layout, region == LrnRegion.AcrossChannels ? [5, 40, 19, 23] : [3, 20, 19, 23]);
        LrnParameters p = region == LrnRegion.AcrossChannels ? LrnParameters.Onnx(6, alpha: 0.7, beta: 0.6) : LrnParameters.CuDnnWithinChannel(5, 1, 0.6, 1);
        foreach (bool useDouble in new[] { true, false })
        {
            Results? single = null;
            foreach (int threads in new[] { 1, 2, 8 })
            {
                var job = new Job($"{kernel} {region} {layout}", shape, p, new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = threads }, useDouble);
                Results results = job.Run();
                single ??= results;
                string? difference = results.Difference(single);
                Assert.True(difference is null, $"{job.Name} {(useDouble ? "double" : "float")}: {difference} with {threads} threads differs from 1 thread");
            }
        }
    }
}
