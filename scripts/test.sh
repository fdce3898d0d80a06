#!/usr/bin/env bash
# README command 2: every test. Format and lint, unit tests, integration tests on SQLite and
# PostgreSQL, and the browser tests in headless Chromium against a freshly built and seeded server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# PostgreSQL runs on these machines; start it if it is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "==> starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
# Test databases of earlier runs
psql -h 127.0.0.1 -U postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'unioncard_test_%'" 2>/dev/null \
  | while read -r db; do psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
echo "==> disk: $(df -h . | awk 'NR==2 {print $4 " free of " $2}')"
export UNIONCARD_TEST_POSTGRES="${UNIONCARD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"

echo "==> format and lint (per package; app never with ssr and hydrate together)"
cargo fmt --all --check
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

echo "==> unit tests (app, ssr)"
cargo test -p app --features ssr
echo "==> integration tests (server, SQLite and PostgreSQL)"
cargo test -p server

echo "==> building the site for the browser tests"
cargo leptos build

E2E_DIR=target/e2e
rm -rf "$E2E_DIR" && mkdir -p "$E2E_DIR"
export DATABASE_URL="sqlite://$E2E_DIR/e2e.db"
export LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=unioncard
target/debug/unioncard seed-demo
PORT="${E2E_PORT:-3100}"
target/debug/unioncard serve --addr "127.0.0.1:$PORT" >"$E2E_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "==> browser tests (Playwright, Chromium)"
(cd end2end && BASE_URL="http://127.0.0.1:$PORT" npx playwright test)
