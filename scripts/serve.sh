#!/usr/bin/env bash
# Runs the service on the embedded default (SQLite + local files under ./data, classic engine).
# Honours ASPNETCORE_URLS (default http://127.0.0.1:8080) and every REFRAME_* setting (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:8080}"
# glibc hands the Wan engine's large CPU temporaries (tens of MB each) out as fresh mmaps that fault in page by page;
# huge pages for them cut that kernel time 3-5x (docs/wan.md). Only glibc's malloc is affected; GLIBC_TUNABLES= (empty) opts out.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}"
exec dotnet run -c Release --project src/Reframe.Server -- "$@"
