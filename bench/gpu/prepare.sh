#!/usr/bin/env bash
# Run HERE (a CPU machine with the .NET SDK) before lending a GPU machine: publishes bench/gpu/WanGpuCheck as a
# self-contained linux-x64 app with no libtorch inside (-p:WanTorchBackend=external: the GPU machine's own PyTorch
# libraries are used), copies the tiny parity cases it checks, and dry-runs both forwards on the CPU: the plain-PyTorch
# forward (wan_expert_forward.py) must reproduce the reference and ours on the tiny expert before it is trusted as the
# yardstick on the GPU. Everything lands in bench/gpu/.carry (ignored by git), at most 64 MiB, which the device run
# carries:  device run: command "bash bench/gpu/device-check.sh", carry ["bench/gpu/.carry"].
set -euo pipefail
cd "$(dirname "$0")/../.."
carry=bench/gpu/.carry
kit=$(realpath -m -- "${REFRAME_PARITY_DIR:-../shared/parity}")
rm -rf "$carry" && mkdir -p "$carry/parity"

dotnet publish bench/gpu/WanGpuCheck -c Release -r linux-x64 --self-contained -p:WanTorchBackend=external \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true -nologo -v:q -o "$carry/app"

# The tiny cases the GPU check runs (the step-cache kinds are the loop's, already covered by "pipeline").
for part in transformer vae t5 pipeline; do cp -r "$kit/$part" "$carry/parity/"; done
cp bench/gpu/wan_expert_forward.py "$carry/"
du -sh "$carry" "$carry/app" "$carry/parity"
size=$(du -sm "$carry" | cut -f1)
if (( size > 60 )); then echo "prepare: $carry is $size MiB, over what a device run carries" >&2; exit 1; fi

# Dry run on the CPU with this machine's libtorch (the NuGet one the solution builds with).
torch_lib=$(dirname "$(find ~/.nuget/packages/libtorch-cpu-linux-x64 -name libtorch_cpu.so | head -1)")
LD_LIBRARY_PATH="$torch_lib" "$carry/app/WanGpuCheck" forward cpu 1 --tiny "$kit/transformer/weights_tiny_a" "$kit/transformer/tiny_a_b2_scale0p7" /tmp/reframe-ours-tiny.safetensors
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  /usr/bin/python3 "$carry/wan_expert_forward.py" tiny "$kit/transformer/weights_tiny_a" "$kit/transformer/tiny_a_b2_scale0p7" /tmp/reframe-ours-tiny.safetensors
else
  echo "prepare: no PyTorch for /usr/bin/python3 here (Debian: apt-get install python3-torch); the plain-PyTorch forward was not checked" >&2
fi
LD_LIBRARY_PATH="$torch_lib" "$carry/app/WanGpuCheck" parity "$carry/parity" cpu | tail -3
