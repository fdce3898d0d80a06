#!/usr/bin/env bash
# Benchmark (not a test): Lighthouse 12.2.3, mobile preset (its default: a mid-range phone on a
# slow 4G link, CPU slowed 4×), on /login, /me, the union's member list and its card desk (the
# first union page that hydrates), signed in, against the release build on a fresh demo
# database. Scores move with the machine's load: README keeps the figures of a quiet run.
# Usage: scripts/lighthouse.sh [runs per page, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
scripts/setup.sh --browser
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
(cd bench/lighthouse && { [ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund; })
cargo leptos build --release --precompress 2>&1 | tail -1

DIR=target/lighthouse
rm -rf "$DIR" && mkdir -p "$DIR"
export DATABASE_URL="sqlite://$DIR/lh.db" LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=unioncard
target/release/unioncard seed-demo >/dev/null
PORT="${LH_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"
target/release/unioncard serve --addr "127.0.0.1:$PORT" >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

# A session cookie for a demo account (the login server function, as the login form posts it).
session() {
  curl -s -o /dev/null -D - -H 'Accept: application/json' --data-urlencode "username=$1" \
    --data-urlencode 'password=Demo2026' "$BASE/api/login" | grep -i '^set-cookie:' | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/'
}

audit() { # name path cookie
  local name=$1 url="$BASE$2" cookie=$3
  for i in $(seq 1 "$RUNS"); do
    local headers='{}'
    [ -n "$cookie" ] && headers="{\"Cookie\": \"$cookie\"}"
    CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "$url" --quiet \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update" \
      --only-categories=performance,accessibility,best-practices \
      --extra-headers="$headers" --output=json --output-path="$DIR/$name-$i.json" >/dev/null 2>&1
    node -e '
      const r = require(process.argv[1]); const c = r.categories, a = r.audits;
      const s = (k) => Math.round(c[k].score * 100);
      console.log([process.argv[2], s("performance"), s("accessibility"), s("best-practices"),
        (a["first-contentful-paint"].numericValue / 1000).toFixed(1) + " s",
        (a["largest-contentful-paint"].numericValue / 1000).toFixed(1) + " s",
        Math.round(a["total-blocking-time"].numericValue) + " ms",
        Math.round(a["total-byte-weight"].numericValue / 1000) + " KB"].join(" | "));
    ' "$PWD/$DIR/$name-$i.json" "$2"
  done
}

echo "page | performance | accessibility | best practices | FCP | LCP | TBT | bytes"
audit login /login ""
audit me /me "$(session member)"
audit members /union/members "$(session shili)"
audit cards /union/cards "$(session shili)"
