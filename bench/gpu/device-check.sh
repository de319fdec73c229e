#!/usr/bin/env bash
# Run ON a lent GPU machine (bench/gpu/prepare.sh first, here): one prepared check, everything logged to $OUT/log.
#   1. TorchSharp's native library (NuGet, built against libtorch 2.10) against the machine's CUDA PyTorch
#      libraries: `ldd -r` lists every symbol it cannot resolve there;
#   2. the tiny parity cases on CUDA, float32 (TF32 off; each case's own tolerance) and bf16;
#   3. one full-size expert forward (random bf16 weights) at 832x480x81: ours, then the same forward in plain PyTorch
#      on the same device in the same run, seconds per forward and TFLOP/s side by side.
# Usage (device tool): command "bash bench/gpu/device-check.sh", carry ["bench/gpu/.carry"], timeout_s 540.
set -uo pipefail
cd "$(dirname "$0")/../.."
carry=bench/gpu/.carry
out=${OUT:-/tmp}
exec > >(tee "$out/log") 2>&1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import torch; print('PyTorch', torch.__version__, 'CUDA', torch.version.cuda)"
torch_lib=$(python3 -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
export LD_LIBRARY_PATH="$torch_lib:$carry/app"

echo "== 1. libLibTorchSharp.so against $torch_lib"
unresolved=$(ldd -r "$carry/app/libLibTorchSharp.so" 2>&1 | grep -c "undefined symbol" || true)
ldd -r "$carry/app/libLibTorchSharp.so" 2>&1 | grep -E "not found|undefined symbol" | head -20 | c++filt
echo "unresolved symbols: $unresolved"

echo "== 2. tiny parity cases on CUDA (float32 with TF32 off, then bf16)"
timeout 180 "$carry/app/WanGpuCheck" parity "$carry/parity" cuda; echo "exit $?"

echo "== 3. one full-size expert forward, 832x480x81, random bf16 weights: ours, then plain PyTorch"
timeout 200 "$carry/app/WanGpuCheck" forward cuda 3; echo "exit $?"
PYTHONUNBUFFERED=1 timeout 150 python3 "$carry/wan_expert_forward.py" full --device cuda --repeats 3; echo "exit $?"
