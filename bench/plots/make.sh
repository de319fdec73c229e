#!/usr/bin/env bash
# Runs the media sweep and the HTTP benchmark, then draws docs/images/bench-*.png from their results.
# A manual benchmark step, not part of scripts/test.sh: matplotlib is installed only here.
# Usage (from anywhere): bench/plots/make.sh [runs-per-cell, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"
# `dotnet run` starts the benchmark in its project folder, so the paths it is given are made absolute here.
REPO="$PWD"

# Debian's interpreter, not whichever python3 is first on PATH (pyenv, a venv): Debian's matplotlib is installed for it.
PY=/usr/bin/python3
if ! "$PY" -c "import matplotlib" 2>/dev/null; then
  # Debian's package, so no pip environment is needed; sudo only where we are not root.
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y python3-matplotlib; else sudo apt-get install -y python3-matplotlib; fi
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The cold figure is `reframe run` as users get it: the published (ReadyToRun) CLI.
dotnet publish src/Reframe.Cli -c Release -o artifacts/reframe-cli -nologo -v:q
dotnet build Reframe.slnx -c Release -nologo -v:q
# 17/81/241 frames x 640x360/1280x720 sources; each cell alternates ffmpeg, warm runner and cold CLI RUNS times.
dotnet run -c Release --no-build --project bench/Reframe.Bench.Media -- --sweep "$REPO/bench/plots/results/media-sweep.csv" \
  --runs "$RUNS" --cli "reframe=$REPO/artifacts/reframe-cli/reframe"
# Short phases (3 s): the plot compares the poll phases with the bare endpoint, not long-run stability.
dotnet run -c Release --no-build --project bench/Reframe.Bench.Http -- 3 32 --json "$REPO/bench/plots/results/http.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" bench/plots/plot.py
