//! Chooses the packs the WebAssembly module carries.
//!
//! Only when building the `wasm` feature for `wasm32`: the packs named by
//! `CHARTCODE_EMBED_BOOKS` (comma-separated system ids; default: every
//! public book) are read from `CHARTCODE_EMBED_PACKS` (default: `packs/`)
//! and embedded with `include_bytes!`. Every other build embeds nothing, so
//! native builds never need packs to exist.
//!
//! The Makefile's `wasm` target sets both variables; a private build that
//! embeds a licensed CPT pack sets `CHARTCODE_EMBED_BOOKS=icd10cm,cpt`.
//!
//! With the `cli` feature it also embeds the vendored `codebooks/` in the
//! command line (see `src/builtin_books.rs`).

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;

/// What the module carries when `CHARTCODE_EMBED_BOOKS` is not set.
const PUBLIC_BOOKS: &str = "icd10cm,icd10pcs,hcpcs,icd9cm,icd9proc";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CHARTCODE_EMBED_BOOKS");
    println!("cargo:rerun-if-env-changed=CHARTCODE_EMBED_PACKS");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let embedding =
        env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") && env::var_os("CARGO_FEATURE_WASM").is_some();

    let mut code = String::from(
        "/// The packs embedded at build time: (system id, pack bytes).\npub static EMBEDDED_PACKS: &[(&str, &[u8])] = &[\n",
    );
    if embedding {
        let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
        let packs = env::var_os("CHARTCODE_EMBED_PACKS").map_or_else(|| manifest_dir.join("packs"), PathBuf::from);
        let packs = if packs.is_absolute() { packs } else { manifest_dir.join(packs) };
        let books = env::var("CHARTCODE_EMBED_BOOKS").unwrap_or_else(|_| PUBLIC_BOOKS.to_string());
        let mut seen = Vec::new();
        for book in books.split(',').map(str::trim).filter(|b| !b.is_empty()) {
            if !book.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) || seen.contains(&book) {
                fail(&format!("CHARTCODE_EMBED_BOOKS: {book:?} is not a system id, or is listed twice"));
            }
            seen.push(book);
            let path = packs.join(format!("{book}.pack"));
            if !path.is_file() {
                fail(&format!("{} not found: build the packs first (`make packs`)", path.display()));
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let path = path.to_str().unwrap_or_else(|| fail("the packs folder's path is not UTF-8"));
            writeln!(code, "    ({book:?}, include_bytes!({path:?})),").expect("writing to a String");
        }
        if seen.is_empty() {
            fail("CHARTCODE_EMBED_BOOKS names no book");
        }
    }
    code.push_str("];\n");
    let target = out_dir.join("embedded_packs.rs");
    std::fs::write(&target, code).unwrap_or_else(|e| fail(&format!("{}: {e}", target.display())));
    if env::var_os("CARGO_FEATURE_CLI").is_some() {
        embed_codebooks(&out_dir);
    }
}

/// The `chartcode` command line carries the vendored code books (about
/// 4 MB of compressed sources), so that a copied or `cargo install`ed
/// binary can build its packs on first use without this repository. Their
/// FNV-1a hash names the cache folder the packs are built into.
fn embed_codebooks(out_dir: &std::path::Path) {
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("codebooks");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display()))).path();
            if path.is_dir() {
                println!("cargo:rerun-if-changed={}", path.display());
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut code = String::from(
        "/// The vendored code books: (path under codebooks/, bytes).\npub static EMBEDDED_CODEBOOKS: &[(&str, &[u8])] = &[\n",
    );
    for path in &files {
        let relative = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        // The path, a NUL, the bytes: "a" + "bc" and "ab" + "c" differ.
        for b in relative.as_bytes().iter().chain(&[0]).chain(&bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        let path = path.to_str().unwrap_or_else(|| fail("the code books' path is not UTF-8"));
        writeln!(code, "    ({relative:?}, include_bytes!({path:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// A hash of every embedded file and its path.\npub const EMBEDDED_CODEBOOKS_HASH: u64 = {hash:#x};"
    )
    .expect("writing to a String");
    // The books the manifest lists (one pack each).
    let manifest = std::fs::read_to_string(root.join("manifest.json")).unwrap_or_default();
    let books = manifest.matches("\"system\"").count();
    writeln!(
        code,
        "/// How many books (packs) the embedded manifest lists.\npub const EMBEDDED_BOOK_COUNT: usize = {books};"
    )
    .expect("writing to a String");
    let target = out_dir.join("embedded_codebooks.rs");
    std::fs::write(&target, code).unwrap_or_else(|e| fail(&format!("{}: {e}", target.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("chartcode build script: {message}");
    std::process::exit(1);
}
