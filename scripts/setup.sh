#!/usr/bin/env bash
# Installs what Reframe needs from Debian's packages when it is missing. Safe to run again.
#   ffmpeg/ffprobe  the media pipeline
#   patchelf, g++   the TorchSharp load fix on Debian 12 (see docs/torchsharp.md)
#   sqlite3         handy for operators; the service itself embeds SQLite
#   postgresql      the scale-out store: the tests and scripts/cluster.sh start a private server (initdb + pg_ctl)
#   nodejs, npm     to install s3rver, the S3-speaking server the tests and scripts/cluster.sh use (from npm)
# Pass --browser to also install Debian's chromium for the playground browser test.
set -euo pipefail

need=()
command -v ffmpeg   >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe  >/dev/null 2>&1 || need+=(ffmpeg)
command -v patchelf >/dev/null 2>&1 || need+=(patchelf)
command -v g++      >/dev/null 2>&1 || need+=(g++)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v psql     >/dev/null 2>&1 || need+=(postgresql-client)
command -v npm      >/dev/null 2>&1 || need+=(nodejs npm)
if [[ "${1:-}" == "--browser" ]]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi

if ((${#need[@]})); then
  # de-duplicate
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "setup: installing ${need[*]} from Debian's packages" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Debian package starts a cluster of its own on port 5432; Reframe never uses it (it runs private servers).
if ! command -v s3rver >/dev/null 2>&1; then
  echo "setup: installing s3rver from npm" >&2
  npm_sudo=()
  if [[ $(id -u) -ne 0 ]]; then npm_sudo=(sudo); fi
  "${npm_sudo[@]}" npm install --global --no-fund --no-audit --loglevel=error s3rver@3.7.1 >/dev/null
fi

command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET SDK (10.0) is required: https://dot.net" >&2; exit 1; }
