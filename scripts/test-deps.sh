#!/usr/bin/env bash
# Installs, starts and stops the real servers the test suite talks to: Azurite (Azure Table storage
# emulator, from npm, into .testdeps/) and Dovecot (IMAP, from Debian), installs the OpenAPI tools the tests run (redocly,
# openapi-typescript, openapi-fetch, typescript; from npm into .testdeps/openapi-tools), and installs Debian's Chromium for the
# browser tests. Both servers run as private instances on free 127.0.0.1 ports with their own config under .testdeps/; nothing system-wide is configured or started.
#   scripts/test-deps.sh install   install what is missing (idempotent)
#   scripts/test-deps.sh start     install, then start both unless already running; writes .testdeps/services.env
#   scripts/test-deps.sh stop      stop both by PID
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.testdeps"
AZURITE_VERSION="3.37.0"
AZURITE_DIR="$DEPS/azurite"
AZURITE_BIN="$AZURITE_DIR/node_modules/.bin/azurite-table"
# The OpenAPI tests lint the API's document and generate a typed client from it (npm packages, pinned).
OPENAPI_TOOLS_DIR="$DEPS/openapi-tools"
OPENAPI_TOOLS=("@redocly/cli@2.77.0" "openapi-typescript@7.13.0" "openapi-fetch@0.17.0" "typescript@5.9.3")
DOVECOT_DIR="$DEPS/dovecot"
ENV_FILE="$DEPS/services.env"
DEVSTORE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

log() { printf '[test-deps] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for_port() { # port, name, pid
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { log "$2 exited while starting; see its log under $DEPS"; return 1; }
    sleep 0.2
  done
  log "$2 did not accept connections on 127.0.0.1:$1 within 30 s"; return 1
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install() {
  mkdir -p "$DEPS"
  if [ ! -x "$AZURITE_BIN" ] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_DIR/node_modules/azurite/package.json" 2>/dev/null; then
    log "installing azurite@$AZURITE_VERSION into $AZURITE_DIR"
    mkdir -p "$AZURITE_DIR"
    npm install --prefix "$AZURITE_DIR" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  fi
  local tool missing=0
  for tool in "${OPENAPI_TOOLS[@]}"; do
    grep -q "\"version\": \"${tool##*@}\"" "$OPENAPI_TOOLS_DIR/node_modules/${tool%@*}/package.json" 2>/dev/null || missing=1
  done
  if [ "$missing" -eq 1 ]; then
    log "installing ${OPENAPI_TOOLS[*]} into $OPENAPI_TOOLS_DIR"
    mkdir -p "$OPENAPI_TOOLS_DIR"
    npm install --prefix "$OPENAPI_TOOLS_DIR" --no-audit --no-fund --loglevel=error "${OPENAPI_TOOLS[@]}" >&2
  fi
  if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
    log "installing dovecot-imapd from Debian"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    # policy-rc.d 101 keeps the package from starting a system-wide Dovecot we never use.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null; as_root chmod +x "$policy"; created_policy=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd openssl >&2
    if [ "$created_policy" -eq 1 ]; then as_root rm -f "$policy"; fi
  fi
  # The browser tests drive Debian's Chromium through Playwright (Playwright's own browser download cannot be used).
  if [ ! -x /usr/bin/chromium ]; then
    log "installing chromium from Debian"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  fi
}

write_dovecot_config() { # imap port, imaps port, fake Google port (the tests' loopback fake answers there)
  local d="$DOVECOT_DIR"
  # DOVECOT_FLEET=1 (scripts/bench.sh fleet) keeps the users' mail on tmpfs: with 10,000 sessions, ext4's writeback of
  # Dovecot's index files took most of a core of this VM, and the benchmark measures the silo, not the test server's
  # disk. It also gives each imap process up to 50 sessions (below); the tests keep one each, as `doveadm kick` of one
  # user (a server dropping a session) refuses to end a process other users share.
  local memory imap_processes=12000 imap_sessions=1 imap_service_count=1
  memory="/dev/shm/mailsync-test-mail-$(id -u)"
  if [ "${DOVECOT_FLEET:-0}" = 1 ]; then
    imap_processes=400 # 20,000 sessions, and under the auth service's 4,000 clients
    imap_sessions=50
    imap_service_count=0
    [ -L "$d/mail" ] || rm -rf "$d/mail"
    mkdir -p "$memory" "$d"
    ln -sfn "$memory" "$d/mail"
  elif [ -L "$d/mail" ]; then
    rm -f "$d/mail"
    rm -rf "$memory"
  fi
  mkdir -p "$d/run" "$d/state" "$d/mail/" "$d/users" "$d/virtual"
  if [ ! -f "$d/server.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$d/server.key" -out "$d/server.crt" >/dev/null 2>&1
  fi
  cat > "$d/dovecot.conf" <<CONF
# Private test instance: nothing here comes from /etc/dovecot.
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
ssl = yes
ssl_cert = <$d/server.crt
ssl_key = <$d/server.key
mail_uid = mail
mail_gid = mail
first_valid_uid = 8
mail_location = maildir:$d/mail/%u/Maildir
# One passwd-file per user: a new user is a new file, read on first login (a single shared file is re-read at
# most once a second, so users added in quick succession would be refused).
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $d/users/%u
}
# XOAUTH2 / OAUTHBEARER: access tokens are checked against the tests' fake Google on 127.0.0.1:$3.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $d/oauth2.conf
}
userdb {
  driver = static
  args = allow_all_users=yes
}
# Room for the benchmarks' thousands of sessions (Dovecot's default process limit is 100).
default_process_limit = 1000
default_client_limit = 4000
# scripts/bench.sh fleet keeps thousands of sessions logged in (all in IDLE): imap and login processes in
# high-performance mode (a few processes proxy the TLS of many connections, not one process each).
# For the fleet, up to 50 sessions per imap process (all users share one uid): a process of its own per session cost
# ~1 MB each, and at 5,000 sessions the kernel's work on their memory saturated the benchmark's two cores. 2,000
# sessions in IDLE polled every minute: 7.7 % of a core and 470 KB each, against 12-15 % and 1 MB one per process.
service imap {
  process_limit = $imap_processes
  client_limit = $imap_sessions
  service_count = $imap_service_count
}
service anvil {
  client_limit = 14000
}
# Every Dovecot process keeps a connection to the stats service: past its limit (default_client_limit, 4,000 here) the
# master dropped new ones with a warning every second while the fleet benchmark ran one imap process per session.
service stats {
  client_limit = 14000
}
# IDLE learns of new mail from inotify (scripts/bench.sh fleet raises the kernel's 128 instances per user). Dovecot also
# stats every IDLE mailbox this often, inotify or not: at 1 s, 2,000 sessions in IDLE cost the test Dovecot 88 % of a
# core (7.6 % at 30 s, its default), and the fleet saturated at 3,000 once every session watched.
mailbox_idle_check_interval = 30 secs
# Process titles show each imap process's sessions ("dovecot/imap [50 connections]"): the benchmark finds them so.
verbose_proctitle = yes
# Each login process holds the TLS state of every session it proxies (~100 KB each): Dovecot's default vsz_limit of
# 256 MB killed a login process at ~2,500 sessions, dropping them all at once (every poll then logged in again).
service imap-login {
  service_count = 0
  process_min_avail = 4
  client_limit = 4000
  vsz_limit = 2G
  inet_listener imap {
    address = 127.0.0.1
    port = $1
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $2
    ssl = yes
  }
}
# Special-use attributes (RFC 6154) of folders a test creates: the sync reads every folder but these three kinds, and
# reads the archive among the first.
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
  }
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Drafts {
    special_use = \\Drafts
  }
}
# Gmail's layout for the users a test gives one (a definition under $d/virtual/<user>): "[Gmail]/All Mail", marked \\All,
# a virtual folder of every folder but spam and trash, as Gmail's All Mail holds every message once, drafts included.
# Only those users have the namespace (their userdb fields enable it and the plugin): for every other user Dovecot tried
# to make their virtual directory on each LIST, logging an error each time (167 a second in the fleet benchmark).
namespace gmail {
  disabled = yes
  prefix = [Gmail]/
  separator = /
  location = virtual:$d/virtual/%u
  subscriptions = no
  mailbox "All Mail" {
    special_use = \\All
  }
}
CONF
  cat > "$d/oauth2.conf" <<OAUTH
tokeninfo_url = http://127.0.0.1:$3/tokeninfo?access_token=
introspection_url = http://127.0.0.1:$3/introspect
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
OAUTH
  chown -R mail:mail "$d/mail/"
}

start() {
  install
  mkdir -p "$DEPS"
  if running "$DEPS/azurite.pid" && running "$DOVECOT_DIR/dovecot.pid" && [ -f "$ENV_FILE" ]; then
    log "already running (see $ENV_FILE)"; return 0
  fi
  stop quiet
  local table_port imap_port imaps_port google_port
  table_port=$(free_port); imap_port=$(free_port); imaps_port=$(free_port); google_port=$(free_port)

  nohup "$AZURITE_BIN" --tableHost 127.0.0.1 --tablePort "$table_port" --inMemoryPersistence \
    --silent --disableTelemetry --skipApiVersionCheck >"$DEPS/azurite.log" 2>&1 &
  echo $! > "$DEPS/azurite.pid"

  write_dovecot_config "$imap_port" "$imaps_port" "$google_port"
  local dovecot_bin; dovecot_bin=$(command -v dovecot || echo /usr/sbin/dovecot)
  nohup "$dovecot_bin" -c "$DOVECOT_DIR/dovecot.conf" -F >"$DOVECOT_DIR/stdout.log" 2>&1 &
  echo $! > "$DOVECOT_DIR/dovecot.pid"

  wait_for_port "$table_port" azurite "$(cat "$DEPS/azurite.pid")"
  wait_for_port "$imap_port" dovecot "$(cat "$DOVECOT_DIR/dovecot.pid")"
  wait_for_port "$imaps_port" dovecot "$(cat "$DOVECOT_DIR/dovecot.pid")"

  cat > "$ENV_FILE" <<ENV
MAILSYNC_TEST_TABLES='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$DEVSTORE_KEY;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;'
MAILSYNC_TEST_IMAP_PORT=$imap_port
MAILSYNC_TEST_IMAPS_PORT=$imaps_port
MAILSYNC_TEST_DOVECOT_DIR=$DOVECOT_DIR
MAILSYNC_TEST_GOOGLE_PORT=$google_port
MAILSYNC_TEST_OPENAPI_TOOLS=$OPENAPI_TOOLS_DIR
ENV
  log "azurite on 127.0.0.1:$table_port, dovecot imap on 127.0.0.1:$imap_port, imaps on 127.0.0.1:$imaps_port"
}

stop() {
  local f
  for f in "$DEPS/azurite.pid" "$DOVECOT_DIR/dovecot.pid"; do
    if running "$f"; then
      local pid; pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -f "$ENV_FILE"
  [ "${1:-}" = quiet ] || log "stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
