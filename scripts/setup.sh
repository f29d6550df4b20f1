#!/usr/bin/env bash
# Installs what chartcode needs on a fresh Debian 12 machine with rustup,
# node and npm (the CI machine). Safe to run again: every step skips work
# that is already done. Only crates.io, npm, PyPI, Debian apt and rustup's
# own downloads are used; no tool fetches its own binaries at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: '$1' is not installed; $2" >&2; exit 2; }
}

need cargo "install Rust with rustup (https://rustup.rs)"
need rustup "install Rust with rustup (https://rustup.rs)"
need node "install Node.js 18 or newer (Debian: apt-get install nodejs npm)"
need npm "install npm (Debian: apt-get install npm)"

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

# The search core is built for the browser.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target present"
else
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI (and its test runner) must be the version of the
# wasm-bindgen crate in Cargo.lock. Built from crates.io (2-4 minutes).
# No --locked: its lock file pins a webpki-roots version crates.io lacks.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 2; }
if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then
  log "wasm-bindgen $want present"
else
  log "cargo install wasm-bindgen-cli --version $want"
  cargo install wasm-bindgen-cli --version "$want"
fi

# Debian's Chromium and ChromeDriver for the browser tests (never a browser
# downloaded by a test tool).
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  log "chromium and chromedriver present"
else
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install chromium chromium-driver"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

# The browser-side tools, pinned by www/package-lock.json: wasm-opt from
# npm binaryen (Debian's binaryen breaks wasm-bindgen output and is never
# used), Playwright (driving /usr/bin/chromium), TypeScript, esbuild.
if [ -f www/node_modules/.package-lock.json ] && [ www/node_modules/.package-lock.json -nt www/package-lock.json ]; then
  log "www/node_modules up to date"
else
  log "npm ci (www/)"
  (cd www && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Test-only reference data (the official FY2024 ICD-10-PCS long titles).
./scripts/fetch-reference.sh

log "setup done"
