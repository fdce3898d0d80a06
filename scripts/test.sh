#!/usr/bin/env bash
# README command 2: every test. Format and lint, unit tests, integration tests on SQLite and
# PostgreSQL, and the browser tests in headless Chromium against a freshly built and seeded server.
set -euo pipefail
cd "$(dirname "$0")/.."
# each step says how long the run has taken so far, so a slow CI run shows where its time went
step() { echo "==> [$((SECONDS / 60))m$((SECONDS % 60))s] $*"; }
step "set-up"
scripts/setup.sh --browser
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# PostgreSQL runs on these machines; start it if it is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
# The collation tests run on a database created with zh_CN.UTF-8 (glibc): generate the locale if
# it is missing, and restart PostgreSQL if it started before the locale existed (it sees a new
# locale only once restarted).
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
  step "generating the zh_CN.UTF-8 locale"
  command -v locale-gen >/dev/null || { as_root apt-get update -q && as_root apt-get install -y -q locales; }
  as_root sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
  as_root locale-gen >/dev/null
fi
probe=unioncard_locale_probe
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $probe" >/dev/null 2>&1 || true
if ! psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $probe TEMPLATE template0 LC_COLLATE 'zh_CN.UTF-8' LC_CTYPE 'zh_CN.UTF-8'" >/dev/null 2>&1; then
  step "restarting PostgreSQL so that it sees zh_CN.UTF-8"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $probe" >/dev/null 2>&1 || true
# Test databases of earlier runs
psql -h 127.0.0.1 -U postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'unioncard_test_%'" 2>/dev/null \
  | while read -r db; do psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
echo "==> disk: $(df -h . | awk 'NR==2 {print $4 " free of " $2}')"
export UNIONCARD_TEST_POSTGRES="${UNIONCARD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
# Everything here is built with the views type-erased, as cargo-leptos builds the site
# (`always-erase-components`): the server binary the integration tests build is then one the
# release wasm hydrates against, and the browser tests run on it instead of on a second, release
# build of the whole server (about 13 minutes on a 2-core machine).
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg erase_components"

step "format and lint (per package; app never with ssr and hydrate together)"
cargo fmt --all --check
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit tests (app, ssr)"
cargo test -p app --features ssr
step "integration tests (server, SQLite and PostgreSQL)"
cargo test -p server

step "building the site for the browser tests: the release wasm, JS and CSS users get (hashed, precompressed)"
cargo leptos build --release --precompress --frontend-only
# the server is the one the integration tests built (see RUSTFLAGS above); hash.txt beside it
# names the built files
cargo build -p server --bin unioncard
cp target/release/hash.txt target/debug/hash.txt
SERVER_BIN=target/debug/unioncard

E2E_DIR=target/e2e
rm -rf "$E2E_DIR" && mkdir -p "$E2E_DIR"
export DATABASE_URL="sqlite://$E2E_DIR/e2e.db"
export LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=unioncard
"$SERVER_BIN" seed-demo
PORT="${E2E_PORT:-3100}"
# a port something already answers on (a server left by an earlier run, with its own data) is
# passed over: the tests must reach the server seeded just now
while curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do PORT=$((PORT + 1)); done
"$SERVER_BIN" serve --addr "127.0.0.1:$PORT" >"$E2E_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
kill -0 "$SERVER" 2>/dev/null || { echo "the test server did not start:"; cat "$E2E_DIR/server.log"; exit 1; }

step "browser tests (Playwright, Chromium)"
# the demo server has no SMS gateway: member.spec reads the sign-in codes from its log
export SERVER_LOG="$PWD/$E2E_DIR/server.log"
(cd end2end && BASE_URL="http://127.0.0.1:$PORT" npx playwright test)
step "all tests passed"
