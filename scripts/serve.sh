#!/usr/bin/env bash
# Runs the service on the embedded default (SQLite + local files under ./data, classic engine).
# Honours ASPNETCORE_URLS (default http://127.0.0.1:8080) and every REFRAME_* setting (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:8080}"
exec dotnet run -c Release --project src/Reframe.Server -- "$@"
