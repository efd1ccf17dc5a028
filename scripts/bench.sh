#!/usr/bin/env bash
# Benchmarks (Release build). They print figures; nothing asserts on time.
#   scripts/bench.sh sync   IMAP sync rates and no-change poll latency (private Azurite and Dovecot of scripts/test-deps.sh)
#   scripts/bench.sh folders one mailbox of 50 folders × 200 messages: first sync of every folder vs bare MailKit, and the
#                           no-change poll (p50, p99)
#   scripts/bench.sh api    GET mailbox status under load: the API in its own process, wrk (from Debian) as the client
#   scripts/bench.sh cluster 300 mailboxes on 3 silo processes + the API in Client mode: delivery-to-timeline after kill -9,
#                           a rolling restart and a cold restart, and the API's non-2xx answers meanwhile
#   scripts/bench.sh sessions [n] [idle]  memory of one kept (logged-in) IMAP session: n (80) sessions to the private Dovecot,
#                           "idle" puts INBOX in IDLE; managed, GC committed, native (glibc malloc) and RSS, then after malloc_trim
#   scripts/bench.sh webhooks  webhook deliveries per second: 10,000 status changes to one loopback receiver (an in-process
#                           silo on the private Azurite of scripts/test-deps.sh), end to end and the delivery path alone
#   scripts/bench.sh fleet [n] [window min] [onboarding limit min]  one silo (the API co-hosted, Production) with n mailboxes
#                           (default 10,000) polling every minute: heap and RSS per mailbox, polls due/done, poll lag,
#                           logins per poll, CPU (ours, Dovecot, Azurite), storage requests, timeouts and lost reminder
#                           ticks, IDLE delivery and the pushed passes' steps;
#                           FLEET_MailSync__X=v in the environment sets the silo's MailSync__X=v (to compare with a default)
#   scripts/bench.sh leads [n] one company's n (1,000,000) leads imported through the API (its own process, Azure storage on a
#                           private Azurite): import rate, first vs last calls, RSS, address resolution, first match after a restart
#   scripts/bench.sh backfill [m] [n] [l]  past emails for l (10,000) leads imported after m (100) mailboxes of n (2,000)
#                           messages synced: time until every one is on its timeline, IMAP commands per mailbox
#   scripts/bench.sh tenant one company of 100,000 users and 10,000 mailboxes: overview pages, seat grants, bytes
#                           written, activation (an in-process silo on a private Azurite of its own, stopped afterwards)
#   scripts/bench.sh storage  what each operation asks of Table storage (requests, entities read and written, busiest
#                           partition, by table): an in-process silo on an Azurite of its own, with the test servers' Dovecot
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-sync}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# An Azurite of the benchmark's own (in memory, on a free port), not the test servers' one: nothing else writes to it while
# it measures. Sets own_tables (its connection string) and azurite_pid; stopped when the script exits.
own_azurite() {
    local azurite="$ROOT/.testdeps/azurite/node_modules/.bin/azurite-table" port
    [ -x "$azurite" ] || "$ROOT/scripts/test-deps.sh" install
    work="$(mktemp -d)"
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    (cd "$work" && exec "$azurite" --tableHost 127.0.0.1 --tablePort "$port" --inMemoryPersistence \
      --silent --disableTelemetry --skipApiVersionCheck >"$work/azurite.log" 2>&1) &
    azurite_pid=$!
    trap 'kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 1 150); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      kill -0 "$azurite_pid" 2>/dev/null || { cat "$work/azurite.log" >&2; echo "azurite exited while starting" >&2; exit 1; }
      sleep 0.2
    done
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "azurite did not listen on 127.0.0.1:$port within 30 s" >&2; exit 1; }
    local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    own_tables="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
}

# An Azurite of its own (own_azurite) and the test servers' Dovecot, both stopped when the script exits (Dovecot not with
# KEEP_TEST_DEPS=1); the test servers' settings exported.
own_azurite_and_dovecot() {
    own_azurite
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then
      trap 'kill "$azurite_pid" 2>/dev/null || true; rm -rf "$work"; "$ROOT/scripts/test-deps.sh" stop' EXIT
    fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
}

dotnet build -c Release "$ROOT/bench/MailSync.Bench" >/dev/null
bench="$ROOT/bench/MailSync.Bench/bin/Release/net10.0/MailSync.Bench.dll"
case "$which" in
  storage)
    own_azurite_and_dovecot
    MAILSYNC_TEST_TABLES="$own_tables" dotnet "$bench" storage
    ;;
  backfill)
    # Dovecot of the test servers, but an Azurite of its own: the test one holds every earlier run's rows, and Azurite's
    # inserts slow down with the size of their table.
    own_azurite_and_dovecot
    MAILSYNC_TEST_TABLES="$own_tables" dotnet "$bench" backfill "${@:2}"
    ;;
  sync|folders)
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" "$which"
    ;;
  cluster)
    # 3 silo processes and the API in Client mode, all from their Release builds, on the test servers' Azurite and Dovecot.
    dotnet build -c Release "$ROOT/Silo" >/dev/null
    dotnet build -c Release "$ROOT/Api" >/dev/null
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" cluster "${2:-300}"
    ;;
  webhooks)
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" webhooks
    ;;
  fleet)
    dotnet build -c Release "$ROOT/Api" >/dev/null
    # Dovecot hears of new mail for IDLE through inotify, an instance per imap process (one per kept session). The kernel's
    # default of 128 instances per user left every other session checking its mailbox once a second ("Inotify instance
    # limit for user 8 (UID mail) exceeded, disabling. Increase /proc/sys/fs/inotify/max_user_instances"), which a mail
    # server of thousands of sessions is never run with (its operators raise it). Raised for this machine until it reboots.
    instances=/proc/sys/fs/inotify/max_user_instances
    if [ "$(cat "$instances")" -lt 16384 ]; then
      echo 16384 | as_root tee "$instances" >/dev/null || echo "fleet: could not raise $instances; IDLE sessions beyond 128 check once a second" >&2
    fi
    # The test servers again, sized for the fleet (scripts/test-deps.sh says how and why).
    "$ROOT/scripts/test-deps.sh" stop
    DOVECOT_FLEET=1 "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" fleet "${2:-10000}" "${3:-3}" "${4:-10}"
    ;;
  sessions)
    "$ROOT/scripts/test-deps.sh" start
    if [ "${KEEP_TEST_DEPS:-0}" != 1 ]; then trap '"$ROOT/scripts/test-deps.sh" stop' EXIT; fi
    set -a; . "$ROOT/.testdeps/services.env"; set +a
    dotnet "$bench" sessions "${2:-80}" ${3:-}
    ;;
  api)
    command -v wrk >/dev/null || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }
    dotnet "$bench" api "$ROOT/bench/MailSync.Bench/bin/Release/net10.0/MailSync.Api.dll"
    ;;
  tenant)
    own_azurite
    dotnet "$bench" tenant "$own_tables" "$azurite_pid"
    ;;
  leads)
    own_azurite
    dotnet "$bench" leads "$ROOT/bench/MailSync.Bench/bin/Release/net10.0/MailSync.Api.dll" "$own_tables" "${2:-1000000}"
    ;;
  *) echo "usage: $0 sync|folders|backfill|api|tenant|leads|cluster|sessions|webhooks|fleet" >&2; exit 2 ;;
esac
