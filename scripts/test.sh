#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs and starts Azurite and Dovecot (scripts/test-deps.sh),
# runs every test project, then stops the servers. Extra arguments go to `dotnet test` (e.g. --filter ...).
# KEEP_TEST_DEPS=1 leaves the servers running for later `dotnet test` runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/test-deps.sh" start
if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
set -a; . "$ROOT/.testdeps/services.env"; set +a

# -m:1: one test project at a time. The integration and browser tests both run the fake Google on the one port
# Dovecot's XOAUTH2 check asks (MAILSYNC_TEST_GOOGLE_PORT), so their processes must not overlap.
dotnet test "$ROOT/MailSync.Orleans.sln" -m:1 --logger "console;verbosity=normal" "$@"
