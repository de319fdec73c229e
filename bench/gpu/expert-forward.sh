#!/usr/bin/env bash
# Times one forward of a full-size Wan2.2-VACE-Fun-A14B expert (random bf16 weights, 34.7 GB) at 832x480,
# 81 frames on a CUDA GPU with >= 48 GB, and prints achieved TFLOP/s against 2.03 PFLOP per forward.
# Needs the CUDA libtorch package (libtorch-cuda-12.8-linux-x64) from NuGet, restored by this build.
# Usage: bench/gpu/expert-forward.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/gpu/WanExpertForward -c Release -p:WanTorchBackend=cuda
dotnet bench/gpu/WanExpertForward/bin/Release/net10.0/WanExpertForward.dll "${1:-3}"
