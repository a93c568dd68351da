#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, after gpu/pack.sh made .gpu/ (no .NET needed there): checks every GPU kernel
# against the CPU reference, benchmarks them against a device copy and Lrn's CPU forward, and times PyTorch's LRN and
# copy on the same GPU where python3 has torch. Writes device.txt, check.txt, bench.txt and torch.txt to $OUT (or
# gpu-results/). Each step runs even if an earlier one failed; the exit status is the check's.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-results}
mkdir -p "$out"
runtime=/tmp/lrn-dotnet
mkdir -p "$runtime"
tar -C "$runtime" -xJf .gpu/dotnet-runtime.tar.xz
export DOTNET_ROOT=$runtime DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
lrn_gpu() { "$runtime/dotnet" .gpu/lrn-gpu/lrn-gpu.dll "$@"; }

{ date -u +%Y-%m-%dT%H:%MZ; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; lrn_gpu info; } 2>&1 | tee "$out/device.txt"
if command -v ptxas > /dev/null; then
    for f in .gpu/ptx/*.ptx; do ptxas -arch=sm_90 -o /dev/null "$f" || echo "ptxas refused $f"; done 2>&1 | tee "$out/ptxas.txt"
fi
lrn_gpu check 2>&1 | tee "$out/check.txt"
status=${PIPESTATUS[0]}
lrn_gpu bench --shape "${LRN_BENCH_SHAPE:-128,96,55,55}" 2>&1 | tee "$out/bench.txt"
lrn_gpu bench --shape 8,96,55,55 2>&1 | tee -a "$out/bench.txt"
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 gpu/torch_baseline.py 2>&1 | tee "$out/torch.txt"
fi
exit "$status"
