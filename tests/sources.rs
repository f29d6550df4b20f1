//! The compiler reads only what `codebooks/manifest.json` names, checks its
//! sha256, and leaves no pack behind when a source is wrong.

mod common;

use chartcode::compile::{self, CompileError};
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of codebooks/ whose manifest and files can be changed.
fn copy_codebooks(name: &str) -> PathBuf {
    let dir = scratch(name);
    fn copy(from: &Path, to: &Path) {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    copy(&common::codebooks_dir(), &dir);
    dir
}

#[test]
fn vendored_sources_match_their_recorded_sha256() {
    let dir = common::codebooks_dir();
    let manifest = compile::sources::Manifest::load(&dir).unwrap();
    for book in &manifest.books {
        for f in &book.files {
            compile::sources::read_verified(&dir, f).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn a_mismatching_source_is_refused_and_no_pack_is_written() {
    let books = copy_codebooks("sources-mismatch");
    let manifest = books.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("f161f8182aff3ce3", "0000000000000000")).unwrap();
    let err = compile::build_all(&books).unwrap_err();
    assert!(matches!(err, CompileError::ChecksumMismatch { .. }), "{err}");
    assert!(err.to_string().contains("icd10c-tabular-April-1-2026.xml.gz"), "{err}");

    // Through the CLI: exit 2, one line, and the output directory stays empty.
    let out = scratch("sources-mismatch-out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_chartcode"))
        .args(["build", "--codebooks"])
        .arg(&books)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sha256"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}

#[test]
fn a_corrupt_compressed_source_is_refused() {
    let books = copy_codebooks("sources-corrupt");
    let gz = books.join("icd10cm/icd10c-tabular-April-1-2026.xml.gz");
    let mut bytes = std::fs::read(&gz).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&gz, bytes).unwrap();
    let err = compile::build_all(&books).unwrap_err().to_string();
    assert!(err.contains("sha256") || err.contains("decompress"), "{err}");
}

#[test]
fn a_broken_manifest_is_reported_with_its_line() {
    let books = copy_codebooks("sources-manifest");
    std::fs::write(books.join("manifest.json"), "{\n  \"books\": [\n    { \"system\": \"icd10cm\" }\n  ]\n}\n")
        .unwrap();
    let err = compile::build_all(&books).unwrap_err().to_string();
    assert!(err.contains("manifest.json") && err.contains("line"), "{err}");
}
