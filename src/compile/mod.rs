//! The compiler (native only, feature `compiler`): official release files in
//! `codebooks/` → [`Book`] (an in-memory code book) → pack bytes.
//!
//! Each source format has its own parser module that produces a [`Book`];
//! [`writer::write_pack`] turns any book into a pack. Nothing is written to
//! disk until every book has compiled, and then each pack is written to a
//! temporary file and renamed, so a failed build never leaves a half-written
//! pack behind.

pub mod hcpcs;
pub mod icd10cm;
pub mod icd10pcs;
pub mod sources;
pub mod writer;

use crate::model::{CodeSystem, Kind, NoteKind};
use crate::pack::ComposeRule;
use std::fmt;
use std::path::{Path, PathBuf};

/// A code book as the compiler sees it: every record in code-book order
/// (pre-order: a parent before its children).
#[derive(Debug, Clone)]
pub struct Book {
    pub system: &'static CodeSystem,
    /// Release label shown to users (`FY2026 (April 1, 2026 update)`).
    pub release: String,
    /// Provenance written into the pack's META section.
    pub meta: Vec<(String, String)>,
    pub records: Vec<BookRecord>,
    /// Labels referenced by compositions and composed records.
    pub labels: Vec<BookLabel>,
    pub compose: ComposeRule,
}

/// One record of a [`Book`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRecord {
    /// Official display form (`E11.9`, `S72.001A`, `A00-B99`).
    pub code: String,
    /// Full title. For composed records it is what the pack will compose
    /// (kept here so tests can compare).
    pub title: String,
    pub kind: Kind,
    pub billable: bool,
    /// Index of the parent in [`Book::records`].
    pub parent: Option<u32>,
    pub notes: Vec<(NoteKind, String)>,
    /// Non-empty: a composed record; code and title are composed from the
    /// parent and these labels of [`Book::labels`] (one per axis).
    pub labels: Vec<u32>,
    /// Non-empty: a header whose composed children follow it, one per
    /// combination of one label per axis, row after row (see
    /// [`crate::pack::Pack::composition`]).
    pub composition: Vec<Vec<Vec<u32>>>,
}

impl BookRecord {
    /// Whether the record is composed (has no row or text of its own).
    pub fn is_composed(&self) -> bool {
        !self.labels.is_empty()
    }
}

/// A label of a composition axis (a 7th character, a PCS body part): the
/// character, its text and the inclusion notes given under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BookLabel {
    pub ch: char,
    pub text: String,
    pub notes: Vec<(NoteKind, String)>,
}

impl Book {
    /// Number of billable records.
    pub fn billable_count(&self) -> usize {
        self.records.iter().filter(|r| r.billable).count()
    }

    /// Number of records of each kind.
    pub fn count_kind(&self, kind: Kind) -> usize {
        self.records.iter().filter(|r| r.kind == kind).count()
    }
}

/// Why a build failed. Source errors name the file and the line (or the
/// element) so that a malformed release can be found and reported.
#[derive(Debug)]
pub enum CompileError {
    /// A file could not be read or written.
    Io { path: PathBuf, source: std::io::Error },
    /// `codebooks/manifest.json` is missing a field or is not valid JSON.
    Manifest { path: PathBuf, detail: String },
    /// A source file is not the release the manifest records.
    ChecksumMismatch { path: PathBuf, expected: String, actual: String },
    /// A compressed source could not be decompressed.
    Decompress { path: PathBuf, detail: String },
    /// A source file is not well-formed (XML syntax, encoding).
    Syntax { file: String, line: u32, column: u32, detail: String },
    /// A source file is well-formed but its content is not what the format
    /// promises (a code out of place, an unknown element, ...).
    Source { file: String, line: u32, detail: String },
    /// The book violates an invariant of the pack format.
    Invalid(String),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CompileError::Manifest { path, detail } => write!(f, "{}: {detail}", path.display()),
            CompileError::ChecksumMismatch { path, expected, actual } => write!(
                f,
                "{}: sha256 is {actual}, but codebooks/manifest.json records {expected}; this is not the recorded release (update the manifest and PROVENANCE.md if the file was replaced on purpose)",
                path.display()
            ),
            CompileError::Decompress { path, detail } => write!(f, "{}: cannot decompress: {detail}", path.display()),
            CompileError::Syntax { file, line, column, detail } => write!(f, "{file}:{line}:{column}: {detail}"),
            CompileError::Source { file, line, detail } => write!(f, "{file}:{line}: {detail}"),
            CompileError::Invalid(detail) => write!(f, "invalid book: {detail}"),
        }
    }
}

impl std::error::Error for CompileError {}

/// One compiled pack, ready to write.
#[derive(Debug, Clone)]
pub struct BuiltPack {
    pub system: &'static CodeSystem,
    pub release: String,
    pub bytes: Vec<u8>,
}

/// Compiles every book listed in `codebooks/manifest.json`.
pub fn build_all(codebooks: &Path) -> Result<Vec<BuiltPack>, CompileError> {
    let manifest = sources::Manifest::load(codebooks)?;
    let mut packs = Vec::new();
    for entry in &manifest.books {
        let book = compile_book(codebooks, entry)?;
        let bytes = writer::write_pack(&book)?;
        packs.push(BuiltPack { system: book.system, release: book.release.clone(), bytes });
    }
    Ok(packs)
}

/// Compiles one book of the manifest.
pub fn compile_book(codebooks: &Path, entry: &sources::BookEntry) -> Result<Book, CompileError> {
    let manifest_path = codebooks.join(sources::MANIFEST_FILE);
    let system = CodeSystem::from_id(&entry.system).ok_or_else(|| CompileError::Manifest {
        path: manifest_path.clone(),
        detail: format!("unknown code system {:?}", entry.system),
    })?;
    match system.id {
        "icd10cm" => {
            let file = entry.file("tabular").ok_or_else(|| CompileError::Manifest {
                path: manifest_path.clone(),
                detail: "icd10cm needs a file with role \"tabular\"".into(),
            })?;
            let xml = read_text(codebooks, file)?;
            let mut book = icd10cm::parse_tabular(&xml, &file.path, &entry.release)?;
            book.meta.extend(entry.meta_pairs());
            Ok(book)
        }
        "icd10pcs" => {
            let tables = entry.file("tables").ok_or_else(|| CompileError::Manifest {
                path: manifest_path.clone(),
                detail: "icd10pcs needs a file with role \"tables\"".into(),
            })?;
            let tables_xml = read_text(codebooks, tables)?;
            let definitions = match entry.file("definitions") {
                Some(f) => Some((read_text(codebooks, f)?, f.path.clone())),
                None => None,
            };
            let mut book = icd10pcs::parse(
                &tables_xml,
                &tables.path,
                definitions.as_ref().map(|(x, f)| (x.as_str(), f.as_str())),
                &entry.release,
            )?;
            book.meta.extend(entry.meta_pairs());
            Ok(book)
        }
        "hcpcs" => {
            let workbook = entry.file("workbook").ok_or_else(|| CompileError::Manifest {
                path: manifest_path.clone(),
                detail: "hcpcs needs a file with role \"workbook\"".into(),
            })?;
            let bytes = sources::read_verified(codebooks, workbook)?;
            let mut book = hcpcs::parse(&bytes, &workbook.path, &entry.release)?;
            book.meta.extend(entry.meta_pairs());
            Ok(book)
        }
        other => Err(CompileError::Manifest {
            path: manifest_path,
            detail: format!("no compiler for code system {other:?} yet"),
        }),
    }
}

/// A verified source file as UTF-8 text.
fn read_text(codebooks: &Path, file: &sources::SourceFile) -> Result<String, CompileError> {
    let bytes = sources::read_verified(codebooks, file)?;
    String::from_utf8(bytes).map_err(|e| CompileError::Syntax {
        file: file.path.clone(),
        line: 0,
        column: 0,
        detail: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// Writes packs into `out`, each through a temporary file renamed into
/// place, and returns the paths written.
pub fn write_packs(out: &Path, packs: &[BuiltPack]) -> Result<Vec<PathBuf>, CompileError> {
    std::fs::create_dir_all(out).map_err(|source| CompileError::Io { path: out.to_path_buf(), source })?;
    let mut written = Vec::new();
    for pack in packs {
        let path = out.join(format!("{}.pack", pack.system.id));
        let tmp = out.join(format!(".{}.pack.tmp", pack.system.id));
        std::fs::write(&tmp, &pack.bytes).map_err(|source| CompileError::Io { path: tmp.clone(), source })?;
        std::fs::rename(&tmp, &path).map_err(|source| CompileError::Io { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}
