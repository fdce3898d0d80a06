#!/usr/bin/env bash
# README command 1: build UnionCard and serve it on SQLite with the demo data at http://127.0.0.1:3000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release --precompress
export DATABASE_URL="${DATABASE_URL:-sqlite://data/unioncard.db}"
export LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=unioncard
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
target/release/unioncard seed-demo
exec target/release/unioncard serve
