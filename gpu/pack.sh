#!/usr/bin/env bash
# Prepares .gpu/ (ignored by git) for a machine with an NVIDIA GPU and no .NET SDK: the lrn-gpu tool published
# framework-dependent, and this SDK's .NET runtime packed beside it (about 30 MB in all). Then, on the GPU machine,
# from a copy of the repository that includes .gpu/: gpu/run-on-device.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu
mkdir -p .gpu
dotnet publish src/Lrn.Gpu.Cli -c Release -o .gpu/lrn-gpu --nologo -v quiet
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
version=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App/ { v = $2 } END { print v }')
# The kernels' PTX, so the GPU machine's ptxas can name any construct its driver would refuse.
mkdir -p .gpu/ptx
LRN_PTX_DUMP="$PWD/.gpu/ptx" dotnet test tests/Lrn.GpuTests -c Release --nologo -v quiet --filter "FullyQualifiedName~PtxCompile" > /dev/null
tar -C "$root" -cJf .gpu/dotnet-runtime.tar.xz dotnet host "shared/Microsoft.NETCore.App/$version"
du -sh .gpu/lrn-gpu .gpu/dotnet-runtime.tar.xz
