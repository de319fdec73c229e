#!/usr/bin/env bash
# The Wan engine as a user meets it: scripts/tiny-wan-model.sh's folder served by the real service (Release build,
# the same composition as scripts/serve.sh), and where a task's time goes. Prints, for the process and for each task:
# process start to ready (weights checked and loaded), then per task the wall time from POST to the completed poll and
# meta.timings (load, text, vae_encode, denoise, vae_decode, paste, encode) with what is left ("other": source decode,
# queueing, the result's store, polling). Tasks: two 17-frame 832x480 tasks with CFG (2 steps: the second finds
# everything warm) and one of 97 frames (2 sliding windows).
#
#   bench/wan-service/run.sh [steps]        # from the repository root; about a minute on an idle 2-core machine
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-2}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
model=$(scripts/tiny-wan-model.sh "$work/tiny-wan")
dotnet build src/Reframe.Server -c Release -nologo -v:q > /dev/null
ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=16 -frames:v 17 -pix_fmt yuv420p -c:v libx264 "$work/clip17.mp4"
ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=16 -frames:v 97 -pix_fmt yuv420p -c:v libx264 "$work/clip97.mp4"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
key="bench-key-0123456789abcdef"

started=$(date +%s.%N)
REFRAME_WAN_MODEL_DIR=$model REFRAME_DATA_DIR=$work/data REFRAME_API_KEYS=$key ASPNETCORE_URLS=$base \
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 dotnet src/Reframe.Server/bin/Release/net10.0/Reframe.Server.dll > "$work/serve.log" 2>&1 &
server=$!
until curl -sf "$base/healthz/ready" > /dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.05
done
ready=$(date +%s.%N)
echo "Wan engine through the service, tiny model (random weights), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at start"
python3 -c 'import sys; print(f"process start to ready (weights checked and loaded): {float(sys.argv[2]) - float(sys.argv[1]):.2f} s\n")' "$started" "$ready"
echo "| task | wall s | load | text | vae_encode | denoise | vae_decode | paste | encode | other |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"

run() {
  local label=$1 clip=$2 guidance=$3
  printf '{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"data:video/mp4;base64,%s","aspect_ratio":"16:9","resolution":"480p","num_inference_steps":%s,"guidance_scale":%s}' \
    "$(base64 -w0 "$clip")" "$steps" "$guidance" > "$work/body.json"
  local t0 id status
  t0=$(date +%s.%N)
  id=$(curl -sf "$base/v2/video/generations" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
    --data-binary @"$work/body.json" | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')
  while true; do
    curl -sf -G "$base/v2/video/generations" -H "Authorization: Bearer $key" --data-urlencode "generation_id=$id" > "$work/poll.json"
    status=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$work/poll.json")
    [[ $status == completed || $status == error ]] && break
    sleep 0.05
  done
  python3 - "$work/poll.json" "$label" "$t0" "$(date +%s.%N)" <<'PY'
import json, sys
answer = json.load(open(sys.argv[1]))
if answer["status"] != "completed":
    sys.exit(f"{sys.argv[2]}: {answer['error']}")
t = answer["meta"]["timings"]
stages = ["load", "text", "vae_encode", "denoise", "vae_decode", "paste", "encode"]
wall = float(sys.argv[4]) - float(sys.argv[3])
other = wall - sum(t.get(s, 0) for s in stages)
print(f"| {sys.argv[2]} ({answer['meta']['windows']} window(s)) | {wall:.2f} | " + " | ".join(f"{t.get(s, 0):.2f}" for s in stages) + f" | {other:.2f} |")
PY
}

run "17 frames, CFG 5, first" "$work/clip17.mp4" 5
run "17 frames, CFG 5, second" "$work/clip17.mp4" 5
run "97 frames, CFG 1" "$work/clip97.mp4" 1
echo
grep -E "Wan convolutions|Engine:" "$work/serve.log" | sed 's/^ *//'
