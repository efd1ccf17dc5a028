#!/usr/bin/env bash
# Benchmarks (Release build) against the private Azurite and Dovecot of scripts/test-deps.sh.
#   scripts/bench.sh sync    IMAP sync rates and incremental poll latency
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/test-deps.sh" start
if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
set -a; . "$ROOT/.testdeps/services.env"; set +a
dotnet run -c Release --project "$ROOT/bench/MailSync.Bench" -- "$@"
