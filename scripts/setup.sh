#!/usr/bin/env bash
# Installs what building and testing UnionCard needs, skipping what is already there.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium and the end2end packages)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "==> $(date +%T) $*"; }

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# cargo-leptos 0.3.11 needs a newer rustc; 0.3.10 builds on stable 1.95.
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
  say "building cargo-leptos 0.3.10 (several minutes, once)"
  # Its own release profile links with fat LTO in one codegen unit, which makes the build
  # several minutes longer for no speed that matters to what it does here: turned off.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version 0.3.10
fi
# cargo-leptos cannot download wasm-bindgen here: it must match the workspace's pinned version.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ]; then
  say "building wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi

# end2end's node packages carry binaryen (wasm-opt) for release builds, and Playwright.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then
  say "installing end2end node packages"
  (cd end2end && npm ci --no-audit --no-fund && touch node_modules/.installed)
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
    say "installing Chromium and CJK fonts"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
fi
