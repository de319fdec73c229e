#!/usr/bin/env bash
# Writes a tiny RANDOM-WEIGHT Wan2.2-VACE-Fun-A14B model folder in the real release layout (both expert subfolders,
# VAE, UMT5 weights, tokenizer), built from the parity kit in ../shared/parity, and prints its full path:
#
#   REFRAME_WAN_MODEL_DIR=$(scripts/tiny-wan-model.sh ./tiny-wan) scripts/serve.sh
#
# The service then runs the whole Wan path end to end in seconds. The output is noise (random weights): the point
# is the plumbing. REFRAME_PARITY_DIR overrides where the kit is.
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: scripts/tiny-wan-model.sh DIR" >&2
  exit 2
fi
target=$(realpath -m -- "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
kit=$(realpath -m -- "${REFRAME_PARITY_DIR:-$root/../shared/parity}")
cd "$root"
scripts/setup.sh >&2
dotnet build tools/TinyWanModel -c Release -nologo -v:q >&2
exec dotnet tools/TinyWanModel/bin/Release/net10.0/TinyWanModel.dll "$kit" "$target"
