//! The vendored sources: `codebooks/manifest.json` lists, for every book,
//! its release and files with their sha256. The compiler reads nothing that
//! the manifest does not name, and refuses a file whose content does not
//! hash to the recorded value, so a pack always says exactly which official
//! release it was built from.

use super::CompileError;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the codebooks directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// `codebooks/manifest.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub books: Vec<BookEntry>,
}

/// One code book of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookEntry {
    /// Code system id (`icd10cm`).
    pub system: String,
    /// Release label shown to users.
    pub release: String,
    /// Publisher of the release (`CDC/NCHS`).
    pub publisher: String,
    /// Date the release takes effect (ISO 8601).
    pub effective: String,
    /// The last date of service the release is in force (`YYYY-MM-DD`),
    /// when a later release follows it in the same pack.
    #[serde(default)]
    pub until: Option<String>,
    pub files: Vec<SourceFile>,
    /// Later releases carried in the same pack, each derived from this
    /// one and its own files (ICD-10-CM FY2027 from FY2026 and CMS's code
    /// titles).
    #[serde(default)]
    pub later: Vec<LaterRelease>,
}

/// A later release of a book, derived from the book's release and its own
/// files until its own full release files are at hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaterRelease {
    pub release: String,
    pub publisher: String,
    pub effective: String,
    pub until: String,
    /// What the release is made from, in words (shown by `stats`).
    pub derived_from: String,
    pub files: Vec<SourceFile>,
}

impl LaterRelease {
    pub fn file(&self, role: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.role == role)
    }
}

/// One vendored source file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// What the compiler uses the file for (`tabular`).
    pub role: String,
    /// Path relative to the codebooks directory.
    pub path: String,
    /// The file's name as published.
    pub official_name: String,
    /// sha256 of the official (uncompressed) content.
    pub sha256: String,
    /// sha256 of the vendored file when it is stored compressed.
    #[serde(default)]
    pub stored_sha256: Option<String>,
    /// Where the copy came from.
    pub origin: String,
}

impl Manifest {
    /// Reads and parses `codebooks/manifest.json`.
    pub fn load(codebooks: &Path) -> Result<Manifest, CompileError> {
        let path = codebooks.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| CompileError::Io { path: path.clone(), source })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| CompileError::Manifest { path: path.clone(), detail: format!("line {}: {e}", e.line()) })?;
        if manifest.books.is_empty() {
            return Err(CompileError::Manifest { path, detail: "lists no books".into() });
        }
        Ok(manifest)
    }
}

impl BookEntry {
    /// The file with this role.
    pub fn file(&self, role: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.role == role)
    }

    /// Provenance entries for the pack's META section.
    pub fn meta_pairs(&self) -> Vec<(String, String)> {
        let mut out =
            vec![("publisher".to_string(), self.publisher.clone()), ("effective".to_string(), self.effective.clone())];
        let sources = |out: &mut Vec<(String, String)>, prefix: &str, files: &[SourceFile]| {
            for f in files {
                out.push((format!("{prefix}source.{}", f.role), f.official_name.clone()));
                out.push((format!("{prefix}source.{}.sha256", f.role), f.sha256.clone()));
                out.push((format!("{prefix}source.{}.origin", f.role), f.origin.clone()));
            }
        };
        sources(&mut out, "", &self.files);
        // Later releases by their index among the pack's releases (the
        // base is 0): labels may share a first word (FY2026, FY2026 April).
        for (i, l) in self.later.iter().enumerate() {
            let key = format!("release.{}.", i + 1);
            out.push((format!("{key}publisher"), l.publisher.clone()));
            out.push((format!("{key}effective"), l.effective.clone()));
            out.push((format!("{key}derived_from"), l.derived_from.clone()));
            sources(&mut out, &key, &l.files);
        }
        out
    }
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a source file, decompressing `.gz`, and checks both recorded
/// checksums. Returns the official (uncompressed) bytes.
pub fn read_verified(codebooks: &Path, file: &SourceFile) -> Result<Vec<u8>, CompileError> {
    let path: PathBuf = codebooks.join(&file.path);
    let stored = std::fs::read(&path).map_err(|source| CompileError::Io { path: path.clone(), source })?;
    if let Some(expected) = &file.stored_sha256 {
        let actual = sha256_hex(&stored);
        if !actual.eq_ignore_ascii_case(expected) {
            return Err(CompileError::ChecksumMismatch { path, expected: expected.clone(), actual });
        }
    }
    let content = if file.path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&stored[..])
            .read_to_end(&mut out)
            .map_err(|e| CompileError::Decompress { path: path.clone(), detail: e.to_string() })?;
        out
    } else {
        stored
    };
    let actual = sha256_hex(&content);
    if !actual.eq_ignore_ascii_case(&file.sha256) {
        return Err(CompileError::ChecksumMismatch { path, expected: file.sha256.clone(), actual });
    }
    Ok(content)
}
