using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Lrn.Gpu.Tests;

/// <summary>
/// Every GPU kernel compiles to PTX (for an sm_90 device, the H100's) on a machine without a GPU, so a construct ILGPU
/// cannot translate for CUDA (the CPU accelerator runs any .NET code) fails here rather than on the GPU machine.
/// </summary>
public sealed class PtxCompileTests
{
    public static TheoryData<string, string> Kernels
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (Type type in new[] { typeof(AcrossKernels), typeof(WithinKernels) })
            {
                foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.GetParameters().FirstOrDefault()?.ParameterType == typeof(Index1D)))
                {
                    data.Add(type.Name, m.Name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_compiles_to_ptx_for_sm_90(string type, string method)
    {
        using Context context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        MethodInfo generic = (type == nameof(AcrossKernels) ? typeof(AcrossKernels) : typeof(WithinKernels)).GetMethod(method)!;
        MethodInfo[] kernels = generic.IsGenericMethodDefinition
            ? [generic.MakeGenericMethod(typeof(float), typeof(SingleOps)), generic.MakeGenericMethod(typeof(double), typeof(DoubleOps))]
            : [generic];
        foreach (MethodInfo kernel in kernels)
        {
            var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
            var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
            if (Environment.GetEnvironmentVariable("LRN_PTX_DUMP") is string folder)
            {
                File.WriteAllText(Path.Combine(folder, $"{type}.{method}-{(kernel.IsGenericMethod ? kernel.GetGenericArguments()[0].Name : "Single")}.ptx"), compiled.PTXAssembly);
            }

            Assert.Contains(".entry", compiled.PTXAssembly, StringComparison.Ordinal);
            Assert.Contains(".target sm_", compiled.PTXAssembly, StringComparison.Ordinal);

            // An external function (Math.FusedMultiplyAdd became one) compiles here but fails CUDA's PTX JIT.
            Assert.DoesNotContain(".extern", compiled.PTXAssembly, StringComparison.Ordinal);
        }
    }
}
