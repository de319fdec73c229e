#!/usr/bin/env bash
# Runs every test of the solution, after installing what the tests need on a fresh Debian 12 machine.
# Extra arguments go to `dotnet test` (e.g. --filter "Category!=Parity").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
dotnet build Reframe.slnx -c Release -nologo -v:q
dotnet test Reframe.slnx -c Release --no-build -nologo -v:q --logger "console;verbosity=minimal" "$@"
