#!/usr/bin/env bash
# Installs what chartcode needs on a fresh Debian 12 machine with rustup,
# node and npm (the CI machine). Safe to run again: every step skips work
# that is already done. Only crates.io, npm, PyPI, Debian apt and rustup's
# own downloads are used.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: '$1' is not installed; $2" >&2; exit 2; }
}

need cargo "install Rust with rustup (https://rustup.rs)"
need rustup "install Rust with rustup (https://rustup.rs)"

# The search core must build for the browser.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target present"
else
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# Test-only reference data (the official FY2024 ICD-10-PCS long titles).
./scripts/fetch-reference.sh

log "setup done"
