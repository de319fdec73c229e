#!/usr/bin/env bash
# Per-call overhead of our TorchSharp modules at small sizes: the kit's tiny expert forward on the CPU (float32) at
# 72, 576 and 7,800 tokens, ours (bench/Reframe.Bench.Wan expert-forward) and plain PyTorch (Debian's python3-torch,
# bench/gpu/wan_expert_forward.py tiny-speed, the same forward written from the specification), one after the other
# in one run, same weights, same shapes, same thread count; ms per forward and ours / PyTorch.
#
#   bench/wan-overhead/run.sh [threads]      # from the repository root; about a minute
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${1:-1}
kit=$(cd ../shared/parity && pwd)
python=/usr/bin/python3   # Debian's interpreter, the one python3-torch installs into
if ! "$python" -c "import torch" 2> /dev/null; then
  sudo apt-get install -y python3-torch > /dev/null 2>&1 || apt-get install -y python3-torch > /dev/null
fi
dotnet build bench/Reframe.Bench.Wan -c Release -nologo -v:q > /dev/null
ours=$(dotnet bench/Reframe.Bench.Wan/bin/Release/net10.0/Reframe.Bench.Wan.dll expert-forward "$threads")
theirs=$("$python" bench/gpu/wan_expert_forward.py tiny-speed "$kit/transformer/weights_tiny_a" --threads "$threads")
echo "tiny expert forward, CPU float32, $threads thread(s), median ms; PyTorch $("$python" -c 'import torch; print(torch.__version__)'); load average $(cut -d' ' -f1 /proc/loadavg)"
echo "| tokens | ours (TorchSharp) ms | plain PyTorch ms | ours / PyTorch |"
echo "| --- | --- | --- | --- |"
paste -d' ' <(echo "$ours") <(echo "$theirs") | while read -r tokens a _ b; do
  python3 -c 'import sys; t, a, b = sys.argv[1:]; print(f"| {t} | {float(a):.2f} | {float(b):.2f} | {float(a) / float(b):.2f} |")' "$tokens" "$a" "$b"
done
