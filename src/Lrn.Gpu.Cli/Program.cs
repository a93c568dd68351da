using System.Globalization;
using Lrn.Gpu;
using Lrn.GpuChecks;
using Lrn.GpuCli;

// lrn-gpu: the GPU backend's check and benchmark, small enough to carry to a machine with an NVIDIA GPU and no .NET SDK
// (gpu/run-on-device.sh). `lrn bench --device cuda` runs the same benchmark from the main tool.
const string Usage = """
    lrn-gpu: Lrn's GPU kernels on this machine's NVIDIA GPU

      lrn-gpu info                       the CUDA device ILGPU finds, if any
      lrn-gpu check [--emulate] [--small]
                                         every GPU kernel against the CPU reference (conformance cases: every convention,
                                         both layouts, ranks 2-5, float32/64, forward and backward); prints N passed, N failed
      lrn-gpu bench [--shape 128,96,55,55] [--size 5]
                                         times against a device copy and Lrn's CPU forward
    --emulate runs on ILGPU's CPU accelerator instead of CUDA. Exit codes: 0 success, 1 a check failed, 2 bad arguments or no GPU.
    """;

try
{
    string verb = args.Length > 0 ? args[0] : "";
    bool emulate = args.Contains("--emulate");
    switch (verb)
    {
        case "info":
            Console.WriteLine(LrnGpu.FindCuda() is string name ? "CUDA device 0: " + name : "no CUDA device found");
            return 0;
        case "check":
        {
            using LrnGpu gpu = emulate ? LrnGpu.CpuEmulation() : LrnGpu.Cuda();
            Console.WriteLine("checking " + gpu.DeviceName);
            int passed = 0, failed = 0;
            foreach (GpuCase c in GpuCases.All(large: !args.Contains("--small")))
            {
                string? failure = GpuCases.Check(gpu, c);
                if (failure is null)
                {
                    passed++;
                }
                else
                {
                    failed++;
                    Console.WriteLine($"FAIL {c}: {failure}");
                }
            }

            Console.WriteLine($"{passed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }

        case "bench":
        {
            int[] shape = [128, 96, 55, 55];
            int size = 5;
            for (int i = 1; i < args.Length; i++)
            {
                if (args[i] == "--shape" && i + 1 < args.Length)
                {
                    shape = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                }
                else if (args[i] == "--size" && i + 1 < args.Length)
                {
                    size = int.Parse(args[++i], CultureInfo.InvariantCulture);
                }
                else if (args[i] != "--emulate")
                {
                    throw new ArgumentException($"unknown bench option {args[i]}");
                }
            }

            using LrnGpu gpu = emulate ? LrnGpu.CpuEmulation() : LrnGpu.Cuda();
            GpuBench.Run(gpu, shape, size, Console.Out);
            return 0;
        }

        default:
            Console.Error.Write(Usage);
            return 2;
    }
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine("lrn-gpu: " + e.Message.ReplaceLineEndings(" "));
    return 2;
}
