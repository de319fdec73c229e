#!/usr/bin/env bash
# Runs every test of the solution, after installing what the tests need on a fresh Debian 12 machine.
# Extra arguments go to `dotnet test` (e.g. --filter "Category!=Parity").
# Full-size reliability suites: REFRAME_RELIABILITY_FULL=1 scripts/test.sh (see docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
# A full disk fails the build with a wall of copy errors: say up front how much room there is (a built clone ~200 MB
# beside the NuGet cache's ~2.5 GB, and the test servers ~1 GB more under TMPDIR while they run).
df -h . "${TMPDIR:-/tmp}" ~/.nuget 2>/dev/null | awk 'NR == 1 || !seen[$1]++' >&2 || true
dotnet build Reframe.slnx -c Release -nologo -v:q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Reframe.slnx -c Release --no-build -nologo -v:q --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, in the plain form any CI log reader understands.
awk '/^(Passed|Failed|Skipped)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Passed:")  p += $(i+1)
         if ($i == "Failed:")  f += $(i+1)
         if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
