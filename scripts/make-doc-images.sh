#!/usr/bin/env bash
# Rebuilds docs/images/before-after.png from a real run of the classic engine:
#   a 4:3 clip (ffmpeg's mandelbrot source) -> `reframe run --aspect-ratio 16:9` -> one frame of each, side by side,
#   the kept source outlined on the result. docs/images/playground.png comes from the browser test:
#   REFRAME_UPDATE_DOCS_IMAGES=1 dotnet test tests/Reframe.Client.Tests --filter "FullyQualifiedName~Playground"
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ffmpeg -hide_banner -loglevel error -f lavfi -i "mandelbrot=size=480x360:rate=16" -t 2 -pix_fmt yuv420p -c:v libx264 "$work/source.mp4"
dotnet run --project src/Reframe.Cli -- run -i "$work/source.mp4" -o "$work/result.mp4" --aspect-ratio 16:9 --overwrite

# The content rectangle by the contract's fit rule (zoom 0, nothing trimmed): scale to the canvas height here.
IFS=, read -r cw ch < <(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$work/result.mp4")
sw=480; sh=360
w=$(( sw * ch / sh )); x=$(( (cw - w) / 2 ))

ffmpeg -hide_banner -loglevel error -ss 1 -i "$work/source.mp4" -frames:v 1 -vf "scale=-2:${ch},pad=iw+24:ih:0:0:color=0x0f1115" "$work/before.png"
ffmpeg -hide_banner -loglevel error -ss 1 -i "$work/result.mp4" -frames:v 1 \
  -vf "drawbox=x=${x}:y=0:w=${w}:h=${ch}:color=0x38d39f@0.9:t=3" "$work/after.png"
mkdir -p docs/images
ffmpeg -hide_banner -loglevel error -y -i "$work/before.png" -i "$work/after.png" -filter_complex hstack=inputs=2 docs/images/before-after.png
echo "wrote docs/images/before-after.png (source 480x360 | result ${cw}x${ch}, kept source outlined)"
