#!/usr/bin/env bash
# Coverage-guided fuzzing of the .npy reader (or the command line) with AFL++ and SharpFuzz, for as long as asked:
#   tests/Lrn.Fuzz/run-afl.sh [npy|cli] [SECONDS]      (default: npy for 3600 s)
# Needs AFL++ (Debian: apt-get install afl++) and the SharpFuzz instrumenter, a dotnet tool installed here on first use.
# Findings land in tests/Lrn.Fuzz/findings/TARGET/default/crashes; replay one with
#   dotnet tests/Lrn.Fuzz/bin/afl/Lrn.Fuzz.dll replay TARGET FILE
# and add it to the regression tests (docs/guarantees.md, "Fuzzing").
set -euo pipefail
target=${1:-npy}
seconds=${2:-3600}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/bin/afl"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0

dotnet publish "$here/Lrn.Fuzz.csproj" -c Release -o "$out" -p:UseAppHost=false
# Instrument the code under test (the reader and the command line) in the published copy only.
sharpfuzz "$out/Lrn.Cli.dll"

corpus="$here/findings/$target-corpus"
if [ "$target" = npy ]; then
  dotnet "$out/Lrn.Fuzz.dll" corpus "$corpus"
else
  mkdir -p "$corpus" && printf '\000\000\003\000\004\002\001\000\002\004' > "$corpus/apply"
fi

AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  afl-fuzz -V "$seconds" -t 10000 -m none -i "$corpus" -o "$here/findings/$target" -- dotnet "$out/Lrn.Fuzz.dll" afl "$target"
