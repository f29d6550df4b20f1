//! The compiler (native only, feature `compiler`): official release files in
//! `codebooks/` → [`Book`] (an in-memory code book) → pack bytes.
//!
//! Each source format has its own parser module that produces a [`Book`];
//! [`writer::write_pack`] turns any book into a pack. Nothing is written to
//! disk until every book has compiled, and then each pack is written to a
//! temporary file and renamed, so a failed build never leaves a half-written
//! pack behind.

pub mod edits;
pub mod gems;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10cm_index;
pub mod icd10cm_tables;
pub mod icd10cm_update;
pub mod icd10pcs;
pub mod icd10pcs_index;
pub mod icd10pcs_update;
pub mod icd9cm;
pub mod licensed;
pub mod sources;
pub mod writer;

use crate::model::{CodeSystem, Kind, NoteKind};
use crate::pack::ComposeRule;
use std::fmt;
use std::path::{Path, PathBuf};

/// Parses an XML source; a malformed one is a `Syntax` error with its
/// file, line and column.
pub(crate) fn xml_document<'a>(text: &'a str, file: &str) -> Result<roxmltree::Document<'a>, CompileError> {
    roxmltree::Document::parse(text).map_err(|e| {
        let pos = e.pos();
        CompileError::Syntax { file: file.to_string(), line: pos.row, column: pos.col, detail: e.to_string() }
    })
}

/// The fields of one CSV line (`"` quoting, `""` for a quote inside);
/// `None` when a quote is left open. Every CSV source reads its lines so.
pub fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(field);
    Some(out)
}

/// Records in `meta` one index the book's search uses (`index.N.*`, listed
/// by `chartcode stats`). The sources name their release in the file name.
fn push_index_meta(meta: &mut Vec<(String, String)>, n: usize, name: &str, file: &str, entries: usize, derived: bool) {
    let release = file.split(|c: char| !c.is_ascii_digit()).find(|d| d.len() == 4).unwrap_or("");
    meta.push((format!("index.{n}.name"), name.to_string()));
    meta.push((format!("index.{n}.release"), format!("FY{release}")));
    meta.push((format!("index.{n}.file"), file.to_string()));
    meta.push((format!("index.{n}.entries"), entries.to_string()));
    meta.push((format!("index.{n}.derived"), derived.to_string()));
}

/// Whether the External Cause of Injuries Index's words only allow their
/// codes (`icd10cm_index::Entry::weak`): a V–Y code is a second code, told
/// by the words of how the injury happened; those words (fall, struck,
/// bitten) must not outrank the injury a query names.
const EXTERNAL_CAUSES_WEAK: bool = true;

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
    /// Crosswalks to or from other systems kept with this book (the GEMs,
    /// in the ICD-9-CM books).
    pub crosswalks: Vec<gems::Crosswalk>,
    /// The releases the book carries, oldest first, when it carries more
    /// than one (then [`BookRecord::span`] says which records belong to
    /// which); empty for a book of one release.
    pub releases: Vec<BookRelease>,
    /// Alphabetic Index entries that lead to a record (`(record index,
    /// Path, "Failure, heart, congestive")`, and their nonessential
    /// modifiers), sorted: their words are searched as the fields
    /// `IndexTerm` and `IndexModifier` (`icd10cm_index`); not stored as text.
    pub index_terms: Vec<(u32, IndexWords, String)>,
    /// Words the book's index says to read as other words (`XPND`; the
    /// ICD-10-PCS Index: "appendectomy" → "Excision, Appendix"), keys
    /// ascending.
    pub expansions: Vec<(String, Vec<String>)>,
    /// The claim-edit and payment tables (`EDIT`; ICD-10-CM), empty when
    /// the manifest lists none.
    pub edits: crate::pack::edits::EditTables,
}

/// Which words of an Alphabetic Index entry a [`Book::index_terms`] text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexWords {
    /// The main term and subterms: what the entry names.
    Path,
    /// The main term and subterms of a `see` entry: another name of its
    /// target ("Attack, heart — see Infarct, myocardium").
    See,
    /// The nonessential modifiers: words the entry allows.
    Modifiers,
    /// The words that name the entry, without the qualifiers a main term
    /// carries after its comma ("Fracture, traumatic" → "Fracture") and
    /// one variant of each term: posted as `Path` or `See` already, this
    /// marks how few words make the entry (`format::POSTING_ENTRY_SHIFT`).
    Entry,
}

/// One release of a book that carries several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRelease {
    /// `FY2027 (derived: …)`.
    pub label: String,
    /// First and last date of service it is in force (`YYYYMMDD`).
    pub from: u32,
    pub to: u32,
}

/// Which releases of a several-release book a record belongs to: bit `r`
/// of each mask is [`Book::releases`]`[r]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordSpan {
    /// The releases the record belongs to.
    pub present: u8,
    /// The releases in which it is a billable code (a subset of
    /// `present`); the record's own `billable` is the last release's.
    pub billable: u8,
    /// Its titles in earlier releases: `(release mask, title)`; the
    /// record's own `title` is the last release's.
    pub former_titles: Vec<(u8, String)>,
    /// For a code a later release deleted: the codes that replace it there.
    pub replaced_by: Vec<String>,
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
    /// In a book of several releases: the releases the record belongs to,
    /// when not all of them as it stands (see [`RecordSpan`]).
    pub span: Option<RecordSpan>,
}

/// Records grouped under top-level headers (a chapter per code range, a
/// section per letter): each non-empty group becomes its header followed by
/// its members, whose parent is set to that header; empty groups are left
/// out. The books stored as rows (ICD-9-CM, HCPCS, a licensed import) are
/// all built this way.
pub fn under_headers(groups: impl IntoIterator<Item = (BookRecord, Vec<BookRecord>)>) -> Vec<BookRecord> {
    let mut records = Vec::new();
    for (header, members) in groups {
        if members.is_empty() {
            continue;
        }
        let parent = records.len() as u32;
        records.push(header);
        records.extend(members.into_iter().map(|m| BookRecord { parent: Some(parent), ..m }));
    }
    records
}

impl BookRecord {
    /// A record with no notes, not composed and composing nothing; add
    /// `notes`, `labels` or `composition` with struct update syntax.
    pub fn new(code: String, title: String, kind: Kind, billable: bool, parent: Option<u32>) -> BookRecord {
        BookRecord {
            code,
            title,
            kind,
            billable,
            parent,
            notes: Vec::new(),
            labels: Vec::new(),
            composition: Vec::new(),
            span: None,
        }
    }

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
    /// A book whose records are all stored as rows (nothing composed, no
    /// crosswalk): HCPCS, ICD-9-CM, a licensed import.
    pub fn plain(
        system_id: &str,
        release: String,
        meta: Vec<(String, String)>,
        records: Vec<BookRecord>,
    ) -> Result<Book, CompileError> {
        let system = CodeSystem::from_id(system_id)
            .ok_or_else(|| CompileError::Invalid(format!("{system_id} is not a known code system")))?;
        Ok(Book {
            system,
            release,
            meta,
            records,
            labels: Vec::new(),
            compose: ComposeRule { style: 0, pad_to: 0, placeholder: 0, dot_after: 0, labels_posted: false },
            crosswalks: Vec::new(),
            releases: Vec::new(),
            index_terms: Vec::new(),
            expansions: Vec::new(),
            edits: Default::default(),
        })
    }

    /// Release `r` of a book that carries several, as a book of its own:
    /// its records only, billable and titled as that release has them.
    /// Tests compare it with the official files; the packs carry the union.
    pub fn release_view(&self, r: usize) -> Result<Book, CompileError> {
        let release = self
            .releases
            .get(r)
            .ok_or_else(|| CompileError::Invalid(format!("{} has no release {r}", self.system.name)))?;
        let bit = 1u8 << r;
        let mut index: Vec<Option<u32>> = vec![None; self.records.len()];
        let mut records: Vec<BookRecord> = Vec::with_capacity(self.records.len());
        for (i, rec) in self.records.iter().enumerate() {
            let span = rec.span.as_ref();
            if span.is_some_and(|s| s.present & bit == 0) {
                continue;
            }
            let parent = match rec.parent {
                Some(p) => Some(index[p as usize].ok_or_else(|| {
                    CompileError::Invalid(format!("{}: in {} without its parent", rec.code, release.label))
                })?),
                None => None,
            };
            let mut out = BookRecord { parent, span: None, ..rec.clone() };
            if let Some(s) = span {
                out.billable = s.billable & bit != 0;
                out.kind = out.kind.as_billable(out.billable);
                if let Some((_, t)) = s.former_titles.iter().find(|(m, _)| m & bit != 0) {
                    out.title = t.clone();
                }
            }
            index[i] = Some(records.len() as u32);
            records.push(out);
        }
        // A composition keeps the labels whose composed children remain.
        for h in 0..records.len() {
            if records[h].composition.is_empty() {
                continue;
            }
            let kept: Vec<u32> = records[h + 1..]
                .iter()
                .take_while(|c| c.is_composed() && c.parent == Some(h as u32))
                .map(|c| c.labels[0])
                .collect();
            let all =
                records[h].composition.iter().map(|axes| axes.iter().map(Vec::len).product::<usize>()).sum::<usize>();
            if kept.len() != all {
                if records[h].composition.len() != 1 || records[h].composition[0].len() != 1 {
                    return Err(CompileError::Invalid(format!(
                        "{}: a release keeps part of a composition of several axes",
                        records[h].code
                    )));
                }
                records[h].composition = if kept.is_empty() { Vec::new() } else { vec![vec![kept]] };
            }
        }
        let index_terms = self
            .index_terms
            .iter()
            .filter_map(|(id, words, text)| index[*id as usize].map(|i| (i, *words, text.clone())))
            .collect();
        Ok(Book { release: release.label.clone(), records, releases: Vec::new(), index_terms, ..self.clone() })
    }

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
    // Books that others map into come first (the ICD-9-CM crosswalks are
    // checked against the current ICD-10 books).
    let mut order: Vec<&sources::BookEntry> = manifest.books.iter().collect();
    order.sort_by_key(|e| e.system.starts_with("icd9"));
    let mut books: Vec<Book> = Vec::new();
    for entry in order {
        let book = compile_book_with(codebooks, entry, &books)?;
        books.push(book);
    }
    let mut packs = Vec::new();
    for entry in &manifest.books {
        let book = books
            .iter()
            .find(|b| b.system.id == entry.system)
            .ok_or_else(|| CompileError::Invalid(format!("{} was not compiled", entry.system)))?;
        let bytes = writer::write_pack(book)?;
        packs.push(BuiltPack { system: book.system, release: book.release.clone(), bytes });
    }
    Ok(packs)
}

/// Compiles one book of the manifest (and, for a book with crosswalks, the
/// books they map into).
pub fn compile_book(codebooks: &Path, entry: &sources::BookEntry) -> Result<Book, CompileError> {
    compile_book_with(codebooks, entry, &[])
}

/// [`compile_book`], given the books already compiled.
pub fn compile_book_with(
    codebooks: &Path,
    entry: &sources::BookEntry,
    compiled: &[Book],
) -> Result<Book, CompileError> {
    let manifest_path = codebooks.join(sources::MANIFEST_FILE);
    let system = CodeSystem::from_id(&entry.system).ok_or_else(|| CompileError::Manifest {
        path: manifest_path.clone(),
        detail: format!("unknown code system {:?}", entry.system),
    })?;
    let file = |role: &str| {
        entry.file(role).ok_or_else(|| CompileError::Manifest {
            path: manifest_path.clone(),
            detail: format!("{} needs a file with role {role:?}", entry.system),
        })
    };
    let mut book = match system.id {
        "icd10cm" => {
            let tabular = file("tabular")?;
            let base = icd10cm::parse_tabular(&read_text(codebooks, tabular)?, &tabular.path, &entry.release)?;
            let mut book = match entry.later.as_slice() {
                [] => base,
                [later] => with_later_release(codebooks, &manifest_path, entry, &base, later)?,
                _ => return Err(CompileError::Manifest {
                    path: manifest_path,
                    detail:
                        "icd10cm: one later release at most (derive the next from the Tabular List of the one before)"
                            .into(),
                }),
            };
            if let Some(f) = entry.file("index") {
                let mut entries = icd10cm_index::parse_csv(&read_text(codebooks, f)?, &f.path)?;
                let index_entries = entries.len();
                let mut sources = vec![(
                    "Alphabetic Index to Diseases and Injuries",
                    f.official_name.clone(),
                    index_entries,
                    !f.path.ends_with(".xml") && !f.path.ends_with(".xml.gz"),
                )];
                if let Some(x) = entry.file("eindex") {
                    let mut external =
                        icd10cm_index::parse_xml(&read_text(codebooks, x)?, &x.path, EXTERNAL_CAUSES_WEAK)?;
                    icd10cm_index::keep_names_from(&entries, &mut external);
                    book.meta.push(("index.external_cause_entries".into(), external.len().to_string()));
                    sources.push(("External Cause of Injuries Index", x.official_name.clone(), external.len(), false));
                    entries.extend(external);
                }
                let mut aliases = Vec::new();
                for (role, spec) in [("neoplasm", &icd10cm_tables::NEOPLASMS), ("drug", &icd10cm_tables::DRUGS)] {
                    let Some(n) = entry.file(role) else { continue };
                    let table = icd10cm_tables::parse(&read_text(codebooks, n)?, &n.path, spec)?;
                    book.meta.push((format!("index.{role}_entries"), table.entries.len().to_string()));
                    sources.push((spec.name, n.official_name.clone(), table.entries.len(), false));
                    entries.extend(table.entries);
                    aliases.extend(table.by_site);
                }
                for (i, (name, file, count, derived)) in sources.into_iter().enumerate() {
                    push_index_meta(&mut book.meta, i, name, &file, count, derived);
                }
                let report = icd10cm_index::attach(&mut book, &entries, &aliases)?;
                if !report.code_missing.is_empty() {
                    return Err(CompileError::Source {
                        file: f.path.clone(),
                        line: 0,
                        detail: format!(
                            "{} index codes are not codes of the book: {:?}",
                            report.code_missing.len(),
                            &report.code_missing[..report.code_missing.len().min(5)]
                        ),
                    });
                }
                book.meta.push(("index.linked".into(), report.linked.to_string()));
                book.meta.push(("index.see_followed".into(), report.see_followed.to_string()));
                book.meta.push(("index.see_unresolved".into(), report.see_unresolved.to_string()));
            }
            let sources = edit_sources(codebooks, entry)?;
            let (tables, meta) = edits::compile(&book, &sources)?;
            book.edits = tables;
            book.meta.extend(meta);
            book
        }
        "icd10pcs" => {
            let tables = file("tables")?;
            let tables_xml = read_text(codebooks, tables)?;
            let definitions = match entry.file("definitions") {
                Some(f) => Some((read_text(codebooks, f)?, f.path.clone())),
                None => None,
            };
            let base = icd10pcs::parse(
                &tables_xml,
                &tables.path,
                definitions.as_ref().map(|(x, f)| (x.as_str(), f.as_str())),
                &entry.release,
            )?;
            let mut book = if entry.later.is_empty() {
                base
            } else {
                pcs_with_later_releases(codebooks, &manifest_path, entry, &base)?
            };
            if let Some(f) = entry.file("index") {
                book.expansions = icd10pcs_index::parse(&read_text(codebooks, f)?, &f.path)?;
                push_index_meta(&mut book.meta, 0, "ICD-10-PCS Index", &f.official_name, book.expansions.len(), false);
            }
            book
        }
        "hcpcs" => {
            let workbook = file("workbook")?;
            let mut extras = hcpcs::Extras::default();
            if let Some(f) = entry.file("processing_notes") {
                extras.processing_notes = hcpcs::parse_processing_notes(&read_text(codebooks, f)?, &f.path)?;
            }
            if let Some(f) = entry.file("noc_list") {
                extras.noc = hcpcs::parse_noc(&sources::read_verified(codebooks, f)?, &f.path)?;
            }
            if let Some(f) = entry.file("mue") {
                extras.mue = hcpcs::parse_mue(&read_text(codebooks, f)?, &f.path)?;
            }
            hcpcs::parse(&sources::read_verified(codebooks, workbook)?, &workbook.path, &entry.release, &extras)?
        }
        "icd9cm" | "icd9proc" => {
            let (volume, successor) = match system.id {
                "icd9cm" => (icd9cm::Volume::Diagnoses, "icd10cm"),
                _ => (icd9cm::Volume::Procedures, "icd10pcs"),
            };
            let long = file("long")?;
            let short = entry.file("short");
            let short_bytes = match short {
                Some(f) => Some(sources::read_verified(codebooks, f)?),
                None => None,
            };
            let mut book = icd9cm::parse(
                &sources::read_verified(codebooks, long)?,
                &long.path,
                short_bytes.as_deref().zip(short.map(|f| f.path.as_str())),
                volume,
                &entry.release,
            )?;
            let mut cws = crosswalks(codebooks, entry, volume, successor, compiled)?;
            for cw in cws.iter_mut().filter(|c| c.direction == gems::Direction::To) {
                gems::link_targets(cw, &book)?;
            }
            book.crosswalks = cws;
            book
        }
        other => {
            return Err(CompileError::Manifest {
                path: manifest_path,
                detail: format!("no compiler for code system {other:?} yet"),
            })
        }
    };
    book.meta.extend(entry.meta_pairs());
    Ok(book)
}

/// An ICD-10-CM book carrying its release and a later one derived from it
/// (`icd10cm_update`); the derived changes must equal the later release's
/// addenda, when the manifest gives them, or the build stops.
fn with_later_release(
    codebooks: &Path,
    manifest_path: &Path,
    entry: &sources::BookEntry,
    base: &Book,
    later: &sources::LaterRelease,
) -> Result<Book, CompileError> {
    let (base_dates, later_dates) = release_dates(manifest_path, entry)?;
    let later_dates = later_dates.into_iter().next().ok_or_else(|| CompileError::Invalid("no later release".into()))?;
    let titles = later.file("code_titles").ok_or_else(|| CompileError::Manifest {
        path: manifest_path.to_path_buf(),
        detail: format!("{} {}: needs a file with role \"code_titles\"", entry.system, later.release),
    })?;
    let codes = icd10cm_update::parse_code_file(&read_text(codebooks, titles)?, &titles.path)?;
    let (book, changes) = icd10cm_update::derive(base, &base_dates, &codes, &later_dates)?;
    if let Some(f) = later.file("addenda") {
        icd10cm_update::check_addenda(&changes, &read_text(codebooks, f)?, &f.path)?;
    }
    Ok(book)
}

/// An ICD-10-PCS book carrying its release and the later ones, each made
/// from the one before and its change list (`icd10pcs_update`).
fn pcs_with_later_releases(
    codebooks: &Path,
    manifest_path: &Path,
    entry: &sources::BookEntry,
    base: &Book,
) -> Result<Book, CompileError> {
    let (base_dates, later_dates) = release_dates(manifest_path, entry)?;
    let mut later = Vec::new();
    for (l, dates) in entry.later.iter().zip(later_dates) {
        let f = l.file("addenda").or_else(|| l.file("changes")).ok_or_else(|| CompileError::Manifest {
            path: manifest_path.to_path_buf(),
            detail: format!("{} {}: needs a file with role \"addenda\" or \"changes\"", entry.system, l.release),
        })?;
        later.push((dates, icd10pcs_update::parse_changes(&read_text(codebooks, f)?, &f.path)?));
    }
    // A code an update added without a title may be titled by a later
    // release's "Revise from" line (the update's title, before revision).
    for i in 0..later.len() {
        let (before, after) = later.split_at_mut(i + 1);
        for (code, title) in before[i].1.added.iter_mut().filter(|(_, t)| t.is_none()) {
            *title = after.iter().flat_map(|(_, c)| &c.revised).find(|(c, _, _)| c == code).map(|(_, f, _)| f.clone());
        }
    }
    icd10pcs_update::derive(base, &base_dates, &later)
}

/// The dates of a book's release and of its later releases, from the
/// manifest.
fn release_dates(
    manifest_path: &Path,
    entry: &sources::BookEntry,
) -> Result<(BookRelease, Vec<BookRelease>), CompileError> {
    let date = |field: &str, value: &str| {
        crate::dates::parse_iso(value).ok_or_else(|| CompileError::Manifest {
            path: manifest_path.to_path_buf(),
            detail: format!("{}: {field} {value:?} is not a YYYY-MM-DD date", entry.system),
        })
    };
    let until = entry.until.as_deref().ok_or_else(|| CompileError::Manifest {
        path: manifest_path.to_path_buf(),
        detail: format!("{}: a book with a later release needs \"until\"", entry.system),
    })?;
    let base = BookRelease {
        label: entry.release.clone(),
        from: date("effective", &entry.effective)?,
        to: date("until", until)?,
    };
    let mut later = Vec::new();
    for l in &entry.later {
        later.push(BookRelease {
            label: l.release.clone(),
            from: date("effective", &l.effective)?,
            to: date("until", &l.until)?,
        });
    }
    Ok((base, later))
}

/// The GEMs of an ICD-9-CM book, checked against the successor book.
fn crosswalks(
    codebooks: &Path,
    entry: &sources::BookEntry,
    volume: icd9cm::Volume,
    successor: &str,
    compiled: &[Book],
) -> Result<Vec<gems::Crosswalk>, CompileError> {
    let other =
        CodeSystem::from_id(successor).ok_or_else(|| CompileError::Invalid(format!("{successor} is unknown")))?;
    let compiled_here;
    let target_book = match compiled.iter().find(|b| b.system.id == successor) {
        Some(b) => b,
        None => {
            let manifest = sources::Manifest::load(codebooks)?;
            let e = manifest.books.iter().find(|b| b.system == successor).ok_or_else(|| CompileError::Manifest {
                path: codebooks.join(sources::MANIFEST_FILE),
                detail: format!("{} maps into {successor}, which the manifest does not list", entry.system),
            })?;
            compiled_here = compile_book_with(codebooks, e, &[])?;
            &compiled_here
        }
    };
    // Checked against the successor's first release; the reader checks
    // again against the release in force on the day of use.
    let first_release;
    let target_book = if target_book.releases.is_empty() {
        target_book
    } else {
        first_release = target_book.release_view(0)?;
        &first_release
    };
    let index = gems::CodeIndex::new(target_book);
    let mut out = Vec::new();
    for (role, direction) in [("gem_forward", gems::Direction::From), ("gem_backward", gems::Direction::To)] {
        let Some(f) = entry.file(role) else { continue };
        let bytes = sources::read_verified(codebooks, f)?;
        let rows = if f.official_name.ends_with(".csv") {
            gems::parse_csv(&bytes, &f.path)?
        } else {
            gems::parse_fixed(&bytes, &f.path)?
        };
        let label = format!("CMS General Equivalence Mappings ({})", f.official_name);
        let show_icd9 = |code: &str| icd9cm::display(code, volume);
        let cw = match direction {
            gems::Direction::From => gems::crosswalk(&rows, direction, other, &label, Some(&index), &show_icd9),
            gems::Direction::To => gems::crosswalk(&rows, direction, other, &label, None, &show_icd9),
        };
        out.push(cw);
    }
    Ok(out)
}

/// A verified source file as UTF-8 text.
/// The claim-edit and payment files of a book's manifest entry (roles
/// `mce`, `mce_age_ranges`, `mce_sex`, `mcc`, `cc`, `cc_exclusions`, `hcc`,
/// `hcc_hierarchy`, `hcc_labels`, `pdpm_nta`, `pdpm_slp`; a later release's
/// `mce`, `mcc`, `cc`, `hcc`), read and verified.
fn edit_sources(codebooks: &Path, entry: &sources::BookEntry) -> Result<edits::EditSources, CompileError> {
    let read = |f: Option<&sources::SourceFile>| -> Result<Option<edits::Source>, CompileError> {
        match f {
            Some(f) => Ok(Some((read_text(codebooks, f)?, f.path.clone()))),
            None => Ok(None),
        }
    };
    let later = |role: &str| entry.later.first().and_then(|l| l.file(role));
    Ok(edits::EditSources {
        mce: read(entry.file("mce"))?,
        mce_later: read(later("mce"))?,
        age_ranges: read(entry.file("mce_age_ranges"))?,
        sex: read(entry.file("mce_sex"))?,
        mcc: read(entry.file("mcc"))?,
        cc: read(entry.file("cc"))?,
        mcc_later: read(later("mcc"))?,
        cc_later: read(later("cc"))?,
        cc_exclusions: read(entry.file("cc_exclusions"))?,
        hcc: read(entry.file("hcc"))?,
        hcc_later: read(later("hcc"))?,
        hcc_hierarchy: read(entry.file("hcc_hierarchy"))?,
        hcc_labels: read(entry.file("hcc_labels"))?,
        pdpm_nta: read(entry.file("pdpm_nta"))?,
        pdpm_slp: read(entry.file("pdpm_slp"))?,
    })
}

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
