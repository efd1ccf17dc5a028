#!/usr/bin/env bash
# Benchmarks (Release build). They print figures; nothing asserts on time.
#   scripts/bench.sh sync   IMAP sync rates and no-change poll latency (private Azurite and Dovecot of scripts/test-deps.sh)
#   scripts/bench.sh api    GET mailbox status under load: the API in its own process, wrk (from Debian) as the client
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-sync}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

dotnet build -c Release "$ROOT/bench/MailSync.Bench" >/dev/null
bench="$ROOT/bench/MailSync.Bench/bin/Release/net10.0/MailSync.Bench.dll"
case "$which" in
  sync)
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" sync
    ;;
  api)
    command -v wrk >/dev/null || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }
    dotnet "$bench" api "$ROOT/bench/MailSync.Bench/bin/Release/net10.0/MailSync.Api.dll"
    ;;
  *) echo "usage: $0 sync|api" >&2; exit 2 ;;
esac
