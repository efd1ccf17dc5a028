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
# The output is kept so that, when a test fails, its name and message are repeated last, where a CI log's tail shows them.
log="$ROOT/.testdeps/test-output.log"
set +e
dotnet test "$ROOT/MailSync.Orleans.sln" -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  echo "==== tests that failed (repeated from above; exit $status) ===="
  awk '/^  Failed /{p=1; n=0} /^  (Passed|Skipped) |Stack Trace:|Standard Output Messages:/{p=0} p && n++ < 25' "$log"
  grep -E "error [A-Z]+[0-9]+:|Test Run Aborted|The active test run was aborted" "$log" | sort -u | head -20 || true
fi
exit "$status"
