#!/usr/bin/env bash
# Builds the WebAssembly module and the npm package.
#
#   scripts/build-wasm.sh
#       the package in pkg/: every public book at the root (`chartcode`),
#       ICD-10-CM alone in pkg/icd10cm/ (`chartcode/icd10cm`)
#   BOOKS=icd10cm,cpt OUT=pkg-private scripts/build-wasm.sh
#       one module with the books you choose, e.g. with the CPT pack you
#       built from your licensed file (keep such a build to yourself)
#
# Steps per module: cargo (feature `wasm`, build.rs embeds the packs) →
# wasm-bindgen (ES module glue) → wasm-opt from npm binaryen (never
# Debian's: its output breaks wasm-bindgen modules) → inlined into
# chartcode_wasm.js by scripts/package-wasm.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKS=${PACKS:-packs}
WASM_OPT=www/node_modules/.bin/wasm-opt

[ -x "$WASM_OPT" ] || { echo "build-wasm: $WASM_OPT missing: run scripts/setup.sh" >&2; exit 2; }
command -v wasm-bindgen >/dev/null || { echo "build-wasm: wasm-bindgen missing: run scripts/setup.sh" >&2; exit 2; }

# build_module BOOKS DIR   (BOOKS empty: build.rs's default, every public book)
build_module() {
  local books=$1 dir=$2
  echo "==> wasm module with ${books:-every public book} → $dir/"
  (
    if [ -n "$books" ]; then export CHARTCODE_EMBED_BOOKS=$books; else unset CHARTCODE_EMBED_BOOKS; fi
    CHARTCODE_EMBED_PACKS="$PWD/$PACKS" cargo rustc --quiet --lib --crate-type cdylib --no-default-features \
      --features wasm --target wasm32-unknown-unknown --profile wasm
  )
  rm -rf "$dir" && mkdir -p "$dir"
  wasm-bindgen --target web --omit-default-module-path --out-dir "$dir" --out-name chartcode_core \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/chartcode.wasm"
  # Without memory packing: it cuts the zero runs out of the embedded packs,
  # splitting them into thousands of data segments whose headers break the
  # repeats gzip finds. Measured on the ICD-10-CM module: 145 KB more raw,
  # 20 KB less gzip (1,351,278 -> 1,330,678 bytes), and gzip is what is served.
  "$WASM_OPT" -O3 --skip-pass=memory-packing "$dir/chartcode_core_bg.wasm" -o "$dir/chartcode_core_bg.wasm"
  node scripts/package-wasm.mjs module "$dir"
}

if [ -n "${BOOKS:-}" ]; then
  out=${OUT:-pkg-custom}
  build_module "$BOOKS" "$out"
  echo "==> $out/index.js: import init, { CodeBook } from './$out/index.js'"
else
  out=${OUT:-pkg}
  build_module "" "$out.tmp"
  build_module icd10cm "$out.tmp/icd10cm"
  node scripts/package-wasm.mjs package "$out.tmp"
  rm -rf "$out" && mv "$out.tmp" "$out"
  echo "==> the npm package is in $out/ (npm pack $out)"
fi
