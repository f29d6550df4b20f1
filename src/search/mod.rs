//! The search core: lookup, browse and type-ahead search over one or more
//! open packs. The same code runs natively (CLI, tests, benches) and in the
//! wasm module; it allocates per request, never per pack.

pub mod abbreviations;
pub mod query;
pub mod recent;
mod text;
pub use text::names_index_entry;
pub mod typo;
pub mod vocabulary;

use crate::error::{PackError, QueryError};
use crate::model::{Kind, NoteKind};
use crate::normalize;
use crate::pack::Pack;
use serde::Serialize;

/// The most hits a search returns, whatever `limit` asks.
pub const MAX_LIMIT: usize = 1000;
/// Hits a search returns when `limit` is not set.
pub const DEFAULT_LIMIT: usize = 20;
/// Most targets `map` gathers from the codes under a code the crosswalk
/// lacks (a handful in the real GEMs; a bound against forged crosswalks).
const MAX_MERGED_TARGETS: usize = 1000;

/// A record in a list: what every hit, child and ancestor shows.
/// Serialized with its FHIR [`Coding`] added (field `coding`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Code system id (`icd10cm`).
    pub system: &'static str,
    /// The code in its official form (`E11.9`).
    pub code: String,
    pub title: String,
    pub kind: Kind,
    /// A complete code that may be billed today (not a header, not
    /// terminated).
    pub billable: bool,
    /// The parent's code; `None` at the top level.
    pub parent: Option<String>,
    /// The code is terminated (serialized only when true).
    pub terminated: bool,
    /// The code system is retired and kept for old records (ICD-9-CM;
    /// serialized only when true).
    pub legacy: bool,
}

/// A FHIR `Coding`: what an EHR stores for a chosen code. `system` is the
/// canonical URI of the code system (`http://hl7.org/fhir/sid/icd-10-cm`),
/// `code` the official form (`E11.9`), `display` the official title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coding<'e> {
    pub system: &'static str,
    pub code: &'e str,
    pub display: &'e str,
}

impl Entry {
    /// The entry as a FHIR `Coding`.
    pub fn coding(&self) -> Coding<'_> {
        let system = crate::model::CodeSystem::from_id(self.system).map_or("", |s| s.fhir_uri);
        Coding { system, code: &self.code, display: &self.title }
    }
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Entry", 9)?;
        s.serialize_field("system", self.system)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("billable", &self.billable)?;
        s.serialize_field("parent", &self.parent)?;
        if self.terminated {
            s.serialize_field("terminated", &true)?;
        } else {
            s.skip_field("terminated")?;
        }
        if self.legacy {
            s.serialize_field("legacy", &true)?;
        } else {
            s.skip_field("legacy")?;
        }
        s.serialize_field("coding", &self.coding())?;
        s.end()
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    #[serde(flatten)]
    pub entry: Entry,
    /// The ranking key: hits come in falling score, equal scores in book
    /// order. It orders the hits of one search and means nothing across
    /// searches (see `src/search/text.rs` for its parts; a completed code
    /// scores 1000 when typed whole, 900 as a prefix).
    pub score: u32,
    /// The query words (folded) this hit matched, in query order.
    pub matched: Vec<String>,
    /// Character ranges `[start, end)` of the title to highlight.
    pub highlights: Vec<[u32; 2]>,
    /// How the hit was reached when not by the words as typed: `typo`
    /// (a word was corrected; `text` is the query as corrected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
    /// What the code weighs on a claim on the date of service (CC/MCC,
    /// HCC, PDPM, MCE; see [`crate::flags`]); `search` fills it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<crate::flags::CodeFlags>,
    /// The record's id in the pack of its system (not serialized: ids
    /// mean nothing outside this build of the packs).
    #[serde(skip)]
    pub record_id: Option<u32>,
}

/// How a hit was reached (see [`Hit::via`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Via {
    /// `typo`.
    pub kind: &'static str,
    /// What it was reached by: the query as corrected (`hypertension`).
    pub text: String,
}

/// A note of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

/// Notes that a record inherits from one of its ancestors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InheritedNotes {
    /// The ancestor the notes stand under.
    pub code: String,
    pub notes: Vec<Note>,
}

/// A valid 7th character of a code that needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeventhCharacter {
    #[serde(rename = "char")]
    pub character: String,
    /// The label ("initial encounter for closed fracture").
    pub label: String,
    /// The complete code it makes (`S72.001A`).
    pub code: String,
}

/// Everything about one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[serde(flatten)]
    pub entry: Entry,
    /// Release of the book the record comes from.
    pub release: String,
    /// From the top of the book down to the parent.
    pub ancestors: Vec<Entry>,
    /// The record's own notes, in book order.
    pub notes: Vec<Note>,
    /// Notes of the ancestors, nearest first. Coders read these too: an
    /// Excludes1 note at the category applies to every code below it.
    pub inherited_notes: Vec<InheritedNotes>,
    pub children_count: u32,
    /// What the code weighs on a claim on the date of service (CC/MCC,
    /// HCC, PDPM, MCE; see [`crate::flags`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<crate::flags::CodeFlags>,
    /// When the record needs a 7th character: the valid ones.
    pub seventh_characters: Vec<SeventhCharacter>,
    /// The short descriptor, where the book has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
    /// Dates (`YYYY-MM-DD`): added, effective, terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminated_on: Option<String>,
    /// The release's action code and its meaning (`"N: no maintenance"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// On CMS's list of "not otherwise classified" codes (HCPCS): a claim
    /// for it needs a description of the item (serialized only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_otherwise_classified: bool,
    /// The code's Medically Unlikely Edit, where the book has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mue: Option<Mue>,
    /// `"ancestors"` when the record has no notes of its own and its
    /// ancestors' notes govern it: a code new in a derived release
    /// (ICD-10-CM FY2027 before its Tabular List is at hand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes_from: Option<String>,
}

/// A Medically Unlikely Edit (CMS NCCI): the most units of the code a
/// provider reports for one patient on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mue {
    /// The most units; 0: not payable as a practitioner service.
    pub units: u32,
    /// How the edit is applied (`"3 Date of Service Edit: Clinical"`).
    pub adjudication: String,
    /// Why CMS set that number (`"CMS Policy"`).
    pub rationale: String,
    /// The MUE table it comes from (`"practitioner"`).
    pub table: &'static str,
    /// What the number means, in words (`"not payable as a practitioner
    /// service"`, `"at most 2 units per day"`): one wording for the CLI,
    /// the JS API and the picker.
    pub meaning: String,
}

/// Reads a stored MUE note (`units<TAB>adjudication<TAB>rationale`).
fn mue(text: &str) -> Result<Mue, PackError> {
    let corrupt = PackError::Corrupt { section: "TEXT", detail: "an MUE note is malformed" };
    let mut parts = text.splitn(3, '\t');
    let (Some(units), Some(adjudication), Some(rationale)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(corrupt);
    };
    let units: u32 = units.parse().map_err(|_| corrupt.clone())?;
    let meaning = match units {
        0 => "not payable as a practitioner service".to_string(),
        1 => "at most 1 unit per day".to_string(),
        n => format!("at most {n} units per day"),
    };
    Ok(Mue {
        units,
        adjudication: adjudication.to_string(),
        rationale: rationale.to_string(),
        table: "practitioner",
        meaning,
    })
}

/// `20251001` → `2025-10-01`. A date note that is not eight ASCII digits
/// makes the pack corrupt: shown as it is, it would be a wrong answer.
fn iso_date(d: &str) -> Result<String, PackError> {
    crate::dates::parse_compact(d)
        .map(crate::dates::iso)
        .ok_or(PackError::Corrupt { section: "TEXT", detail: "a date note is not a date" })
}

/// The meaning of a HCPCS action code (CMS record layout).
fn action_meaning(code: &str) -> &'static str {
    match code {
        "A" => "added",
        "B" => "change in both administrative data and description",
        "C" => "change in long description",
        "D" => "discontinued",
        "F" => "change in administrative data",
        "N" => "no maintenance",
        "P" => "payment change",
        "R" => "reinstated",
        "S" => "change in short description",
        "T" => "miscellaneous change",
        _ => "",
    }
}

/// The answer to a lookup: the record if the code exists, and help when it
/// does not, or when the record is not a billable code.
///
/// Serialized flat, as `chartcode lookup --json` prints it and the JS
/// `lookup()` returns it: `query`, `found`, the record's fields, `help`,
/// `candidates`, and `crosswalk` for a legacy code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The code as given.
    pub query: String,
    pub record: Option<Record>,
    /// What to do instead: why the code is not billable or not found.
    pub help: Option<String>,
    /// Codes that the help points to (children, valid 7th characters, the
    /// nearest existing code).
    pub candidates: Vec<Entry>,
    /// For a code of a retired book (ICD-9-CM): its translation into the
    /// current one, when that crosswalk is loaded.
    pub crosswalk: Option<Crosswalk>,
}

impl Serialize for Lookup {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'l> {
            query: &'l str,
            found: bool,
            #[serde(flatten)]
            record: Option<&'l Record>,
            help: Option<&'l str>,
            candidates: &'l [Entry],
            #[serde(skip_serializing_if = "Option::is_none")]
            crosswalk: Option<&'l Crosswalk>,
        }
        Flat {
            query: &self.query,
            found: self.record.is_some(),
            record: self.record.as_ref(),
            help: self.help.as_deref(),
            candidates: &self.candidates,
            crosswalk: self.crosswalk.as_ref(),
        }
        .serialize(serializer)
    }
}

/// One target of a crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapTarget {
    pub system: &'static str,
    /// The target code (official form); empty when there is no equivalent.
    pub code: String,
    /// The target's title, when its book is loaded and has the code.
    pub title: Option<String>,
    /// The target is billable in the loaded release.
    pub billable: bool,
    /// The crosswalk calls the match approximate.
    pub approximate: bool,
    /// The source has no equivalent in the target system.
    pub no_map: bool,
    /// The target is one part of a combination of codes that together
    /// express the source (see `scenario` and `choice_list`).
    pub combination: bool,
    /// Combination scenario (0 when not a combination).
    pub scenario: u8,
    /// Choice list within the scenario: take one target of each list.
    pub choice_list: u8,
    /// The crosswalk's target is no longer a valid code of the current
    /// release; this is one of its valid descendants (`refined_from` names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refined_from: Option<String>,
    /// The crosswalk's target is not a code of the loaded release at all.
    pub not_in_release: bool,
}

/// The answer to a crosswalk request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crosswalk {
    /// The code as given, in its official form.
    pub code: String,
    pub system: &'static str,
    pub title: Option<String>,
    /// The system mapped to.
    pub to: &'static str,
    /// The crosswalk used (`CMS General Equivalence Mappings (…)`).
    pub source: String,
    pub targets: Vec<MapTarget>,
    /// How the answer was reached, when not directly (the code itself is
    /// not in the crosswalk and its parent's entry was used).
    pub note: Option<String>,
}

/// What a search asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Code systems to search; empty = every loaded book.
    pub systems: Vec<String>,
    /// Most hits to return (capped at [`MAX_LIMIT`]).
    pub limit: usize,
    /// Only complete, billable codes.
    pub billable_only: bool,
    /// Restrict to these codes' subtrees, code ranges (`E08-E13`) or
    /// chapters/sections (`A00-B99`); empty = no restriction.
    pub within: Vec<String>,
    /// Where the code is chosen, when the coder's default depends on it
    /// (see [`Setting`]); `None` = no setting said.
    pub setting: Option<Setting>,
}

/// The ICD-10-CM codes of the dental office: diseases of the oral cavity
/// and jaws, the dental examination, dental prosthesis fitting, caries
/// risk, and dental prosthesis and restoration status.
pub const DENTAL_CODES: [&str; 6] = ["K00-K14", "Z01.2", "Z46.3", "Z91.84", "Z97.2", "Z98.81"];

/// How many dental codes a dental-office search puts first.
const DENTAL_FIRST: usize = 5;

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            systems: Vec::new(),
            limit: DEFAULT_LIMIT,
            billable_only: false,
            within: Vec::new(),
            setting: None,
        }
    }
}

/// The care setting a code is chosen in, by the product-wide names
/// `outpatient`, `inpatient`, `snf` (skilled nursing facility) and `dental`.
///
/// What it changes today: among an injury's 7th-character variants, the
/// initial encounter (A) comes first by default, because a current injury
/// is coded with it while it is actively treated (Official Guidelines
/// I.C.19.a); in a skilled nursing facility the patient is past active
/// treatment, in aftercare, so the subsequent encounter (D) comes first
/// there. The other settings keep the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Outpatient,
    Inpatient,
    Snf,
    Dental,
}

impl Setting {
    /// Every setting's name, in the order the docs list them.
    pub const NAMES: [&'static str; 4] = ["outpatient", "inpatient", "snf", "dental"];

    /// The setting named `name` (exactly, lower case).
    pub fn parse(name: &str) -> Option<Setting> {
        match name {
            "outpatient" => Some(Setting::Outpatient),
            "inpatient" => Some(Setting::Inpatient),
            "snf" => Some(Setting::Snf),
            "dental" => Some(Setting::Dental),
            _ => None,
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        Setting::NAMES[self as usize]
    }
}

/// One loaded book, as `chartcode stats` and the JS `systems()` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    /// Code system id (`icd10cm`).
    pub id: &'static str,
    /// Human name (`ICD-10-CM`).
    pub name: &'static str,
    /// The canonical FHIR `Coding.system` URI of this book.
    pub fhir_uri: &'static str,
    /// Label of the release in force on the book's date (`FY2026 (April 1,
    /// 2026 update)`).
    pub release: String,
    /// The date that release took effect (`YYYY-MM-DD`).
    pub effective: Option<String>,
    /// Every release the pack carries, oldest first, when it carries
    /// several (ICD-10-CM: FY2026 and FY2027); the one in force is marked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<ReleaseSummary>,
    /// Who published the release.
    pub publisher: Option<String>,
    /// A retired book kept for old records (ICD-9-CM).
    pub legacy: bool,
    pub counts: Counts,
    /// Distinct search terms in the book's dictionary.
    pub terms: usize,
    /// Size of the pack in bytes, and of each of its sections.
    pub bytes: usize,
    pub sections: Vec<SectionSize>,
    /// The indexes whose words the search finds codes by.
    pub indexes: Vec<IndexSource>,
}

/// One release of a pack that carries several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseSummary {
    pub label: String,
    /// First and last date of service it is in force (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    pub records: u32,
    pub billable: u32,
    /// The release in force on the book's date.
    pub in_force: bool,
    /// What a derived release is made from (`None`: from its own official
    /// release files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<String>,
}

/// An index compiled into a pack's search terms (the ICD-10-CM Alphabetic
/// Index, the Table of Neoplasms), as its build names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexSource {
    pub name: String,
    pub release: String,
    /// The file as published.
    pub file: String,
    /// Entries (or cells) that lead to a code of the book.
    pub entries: u32,
    /// Not the official file but a third party's rendering of it (the
    /// Alphabetic Index: a lossy CSV flattening of the XML).
    pub derived: bool,
}

/// How many records a book has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Every record: chapters, sections, headers and codes.
    pub records: u32,
    /// Codes billable in the release (before any termination date).
    pub billable: u32,
    /// Records of each kind (`chapter`, `category`, `code`, …).
    pub by_kind: std::collections::BTreeMap<&'static str, u32>,
}

/// One section of a pack and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionSize {
    pub name: String,
    pub bytes: u32,
}

/// Whether a code may be used as it stands, and what to use instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// The code exists in the book and is billable on the day of use.
    pub valid: bool,
    /// The code in its official form, when it exists.
    pub code: Option<String>,
    /// Why it is not valid (a 7th character is required, it is a header,
    /// it was terminated, it is not a code of this book); `None` when valid.
    pub reason: Option<String>,
    /// What to choose instead: children, valid 7th characters, the nearest
    /// existing code.
    pub candidates: Vec<Entry>,
}

/// The loaded code books.
#[derive(Debug, Clone)]
pub struct CodeBook<'a> {
    packs: Vec<Pack<'a>>,
    /// Records of each kind, per pack: counted on the first
    /// [`CodeBook::systems`] (a walk over every row), then kept.
    kind_counts: std::sync::OnceLock<Vec<std::collections::BTreeMap<&'static str, u32>>>,
    /// The slot lists of the latest word searches, for the next keystroke.
    recent: text::RecentLists,
    /// The corrections of the latest unknown words.
    corrections: typo::RecentCorrections,
    /// The phrase searches of the latest notes suggested from.
    phrases: crate::suggest::RecentPhrases,
    /// The codes the latest checks read.
    reads: crate::check::RecentReads,
}

impl<'a> CodeBook<'a> {
    /// A code book over open packs; at most one pack per code system.
    pub fn new(mut packs: Vec<Pack<'a>>) -> Result<CodeBook<'a>, PackError> {
        for (i, p) in packs.iter().enumerate() {
            if packs[..i].iter().any(|q| q.system().id == p.system().id) {
                return Err(PackError::BadHeader("two packs for the same code system"));
            }
        }
        // Current books before legacy ones, in `SYSTEMS` order: a code that
        // several books have is answered from the first.
        packs.sort_by_key(|p| crate::model::SYSTEMS.iter().position(|s| s.id == p.system().id));
        Ok(CodeBook {
            packs,
            kind_counts: std::sync::OnceLock::new(),
            recent: text::RecentLists::default(),
            corrections: typo::RecentCorrections::default(),
            phrases: crate::suggest::RecentPhrases::default(),
            reads: crate::check::RecentReads::default(),
        })
    }

    /// Opens every pack and makes a code book of them.
    pub fn open(packs: &[&'a [u8]]) -> Result<CodeBook<'a>, PackError> {
        CodeBook::new(packs.iter().map(|b| Pack::open(b)).collect::<Result<Vec<_>, _>>()?)
    }

    /// Sets the date (`YYYYMMDD`) the books are read on, which decides
    /// whether a code with a termination date is still billable (see
    /// [`Pack::set_today`]). The CLI sets it from the system clock, the
    /// wasm module from the browser's.
    pub fn set_today(&mut self, yyyymmdd: u32) {
        // The same date again (a page sets it before every search): the
        // kept lists and searches still hold.
        if self.packs.iter().all(|p| p.today() == yyyymmdd) {
            return;
        }
        for p in &mut self.packs {
            p.set_today(yyyymmdd);
        }
        // The date may choose another release, with other counts and
        // other records in the slot lists.
        self.kind_counts = std::sync::OnceLock::new();
        self.recent.clear();
        self.phrases.clear();
        // `reads` is keyed by the date: it holds across a change and back.
    }

    /// The codes the latest checks read (see [`crate::check::RecentReads`]).
    pub(crate) fn recent_reads(&self) -> &crate::check::RecentReads {
        &self.reads
    }

    /// The phrase searches of the latest notes (see
    /// [`crate::suggest::RecentPhrases`]).
    pub(crate) fn recent_phrases(&self) -> &crate::suggest::RecentPhrases {
        &self.phrases
    }

    /// The open packs, in load order.
    pub fn packs(&self) -> &[Pack<'a>] {
        &self.packs
    }

    /// Every loaded book with its release and counts, in load order.
    pub fn systems(&self) -> Result<Vec<SystemInfo>, PackError> {
        let kind_counts = match self.kind_counts.get() {
            Some(counts) => counts,
            None => {
                let mut counts = Vec::with_capacity(self.packs.len());
                for p in &self.packs {
                    let mut by_kind = std::collections::BTreeMap::new();
                    for id in 0..p.record_count() {
                        if p.is_present(id) {
                            *by_kind.entry(p.row(id)?.kind.as_str()).or_insert(0) += 1;
                        }
                    }
                    counts.push(by_kind);
                }
                self.kind_counts.get_or_init(|| counts)
            }
        };
        let mut out = Vec::with_capacity(self.packs.len());
        for (p, by_kind) in self.packs.iter().zip(kind_counts) {
            let by_kind = by_kind.clone();
            let system = p.system();
            let meta = p.meta();
            let meta_value = |key: &str| meta.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string());
            let in_force = p.release_in_force();
            let releases: Vec<ReleaseSummary> = p
                .releases()
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let key = format!("release.{i}");
                    ReleaseSummary {
                        label: r.label.to_string(),
                        from: crate::dates::iso(r.from),
                        to: crate::dates::iso(r.to),
                        records: r.records,
                        billable: r.billable,
                        in_force: in_force == Some(*r),
                        derived_from: meta_value(&format!("{key}.derived_from")),
                    }
                })
                .collect();
            out.push(SystemInfo {
                id: system.id,
                name: system.name,
                fhir_uri: system.fhir_uri,
                release: p.release().to_string(),
                effective: match in_force {
                    Some(r) => Some(crate::dates::iso(r.from)),
                    None => meta_value("effective"),
                },
                // A later release's own publisher, where its build names one.
                publisher: p
                    .releases()
                    .iter()
                    .position(|r| Some(*r) == in_force)
                    .and_then(|i| meta_value(&format!("release.{i}.publisher")))
                    .or_else(|| meta_value("publisher")),
                releases,
                legacy: system.legacy,
                counts: Counts { records: p.records_in_force(), billable: p.billable_count(), by_kind },
                terms: p.term_count(),
                bytes: p.size(),
                sections: p.sections().iter().map(|s| SectionSize { name: s.name(), bytes: s.len }).collect(),
                indexes: (0..)
                    .map_while(|i| {
                        let key = |field: &str| meta_value(&format!("index.{i}.{field}"));
                        Some(IndexSource {
                            name: key("name")?,
                            release: key("release").unwrap_or_default(),
                            file: key("file").unwrap_or_default(),
                            entries: key("entries").and_then(|n| n.parse().ok()).unwrap_or(0),
                            derived: key("derived").is_some_and(|d| d == "true"),
                        })
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    /// The pack of one system (`icd10cm`, `ICD-10-CM`).
    pub fn pack(&self, system: &str) -> Result<&Pack<'a>, QueryError> {
        self.packs
            .iter()
            .find(|p| crate::model::CodeSystem::from_id(system).is_some_and(|s| s.id == p.system().id))
            .ok_or_else(|| QueryError::UnknownSystem { given: system.to_string(), loaded: self.system_ids() })
    }

    fn system_ids(&self) -> Vec<String> {
        self.packs.iter().map(|p| p.system().id.to_string()).collect()
    }

    /// The packs a request names (all when `systems` is empty).
    fn selected(&self, systems: &[String]) -> Result<Vec<&Pack<'a>>, QueryError> {
        if systems.is_empty() {
            return Ok(self.packs.iter().collect());
        }
        let mut out: Vec<&Pack<'a>> = Vec::new();
        for s in systems {
            let p = self.pack(s)?;
            if !out.iter().any(|q| std::ptr::eq(*q, p)) {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Searches: a code or code prefix (`E11`, `e11.6`) completes codes; words
    /// search titles and inclusion terms; both together (`diabetes e11`)
    /// search words within the codes.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>, QueryError> {
        let packs = self.selected(&options.systems)?;
        let parsed = query::Query::parse(query, &packs, &self.corrections);
        let mut hits = self.search_parsed(&packs, parsed, options)?;
        if options.setting == Some(Setting::Dental) && options.within.is_empty() {
            hits = self.dental_first(query, options, &packs, hits)?;
        }
        for hit in &mut hits {
            let Some(pack) = packs.iter().find(|p| p.system().id == hit.entry.system) else { continue };
            if let Some(id) = hit.record_id {
                hit.flags = crate::flags::flags(pack, id)?;
            }
        }
        Ok(hits)
    }

    /// In a dental office the codes a dentist assigns come first: the best
    /// few of the ICD-10-CM dental codes ([`DENTAL_CODES`]) and of a
    /// licensed CDT pack, then the rest as ranked.
    fn dental_first(
        &self,
        query: &str,
        options: &SearchOptions,
        packs: &[&Pack<'a>],
        hits: Vec<Hit>,
    ) -> Result<Vec<Hit>, QueryError> {
        let limit = options.limit.min(MAX_LIMIT);
        let mut first: Vec<Hit> = Vec::new();
        for system in ["cdt", "icd10cm"] {
            if !packs.iter().any(|p| p.system().id == system) {
                continue;
            }
            let narrowed = SearchOptions {
                systems: vec![system.to_string()],
                limit: DENTAL_FIRST.min(limit),
                within: if system == "icd10cm" {
                    DENTAL_CODES.iter().map(|c| c.to_string()).collect()
                } else {
                    Vec::new()
                },
                setting: None,
                ..options.clone()
            };
            let only = [self.pack(system)?];
            let parsed = query::Query::parse(query, &only, &self.corrections);
            first.extend(self.search_parsed(&only, parsed, &narrowed)?);
        }
        let seen: std::collections::HashSet<(&str, String)> =
            first.iter().map(|h| (h.entry.system, h.entry.code.clone())).collect();
        first.extend(hits.into_iter().filter(|h| !seen.contains(&(h.entry.system, h.entry.code.clone()))));
        first.truncate(limit);
        Ok(first)
    }

    /// Searches a phrase of finished words (see `Query::parse_phrase`): no
    /// word is read as a code or as the start of one being typed. The
    /// suggestion engine's reading of a note's words.
    pub fn search_phrase(&self, phrase: &str, options: &SearchOptions) -> Result<Vec<Hit>, QueryError> {
        let packs = self.selected(&options.systems)?;
        let parsed = query::Query::parse_phrase(phrase, &packs, &self.corrections);
        self.search_parsed(&packs, parsed, options)
    }

    fn search_parsed(
        &self,
        packs: &[&Pack<'a>],
        parsed: query::Query,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, QueryError> {
        let limit = options.limit.min(MAX_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut filter = text::Filter::default();
        for w in &options.within {
            filter.add_within(packs, w)?;
        }
        // A lone letter begins a third of the dictionary and says nothing
        // yet: wait for the second.
        let lone_letter =
            parsed.codes.is_empty() && parsed.slots.len() == 1 && parsed.slots[0].typed.chars().count() < 2;
        if parsed.is_empty() || lone_letter {
            return Ok(Vec::new());
        }
        if parsed.slots.is_empty() {
            return text::complete_codes(packs, &parsed.codes, &filter, options.billable_only, limit);
        }
        filter.add_code_prefixes(packs, &parsed.codes)?;
        let mut hits = text::search_words(
            packs,
            &self.recent,
            &parsed.slots,
            &filter,
            options.billable_only,
            options.setting,
            limit,
        )?;
        // A word the index reads as others ("appendectomy" → "Excision,
        // Appendix", table 0DB, body part J): the query again with the word
        // replaced by each reading, within its table, the answers merged by
        // score. A reading that names a table only ("tonsillectomy" →
        // "Excision, Mouth and Throat", 0CB) does not say which body part:
        // its hits count only when they match another word of the query
        // ("left" in "left tonsillectomy"), never alone.
        if let Some(i) = parsed.slots.iter().position(|s| !s.see.is_empty()) {
            let slot = &parsed.slots[i];
            let others: Vec<&str> =
                parsed.slots.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, s)| s.typed.as_str()).collect();
            for (phrase, at) in &slot.see {
                let table_only = at.len() <= 3;
                if table_only && others.is_empty() {
                    continue;
                }
                // The query's own restrictions, and the table.
                let mut in_table = filter.clone();
                // A table the release in force lacks: no answers from it.
                let table: String = at.chars().take(3).collect();
                if in_table.add_code_prefixes(packs, std::slice::from_ref(&table)).is_err() {
                    continue;
                }
                let mut slots = parsed.slots.clone();
                slots.splice(i..=i, slot.replaced_by(phrase));
                let more = text::search_words(
                    packs,
                    &self.recent,
                    &slots,
                    &in_table,
                    options.billable_only,
                    options.setting,
                    limit,
                )?;
                for mut h in more {
                    let code = h.entry.code.replace('.', "");
                    let in_place = table_only || code.starts_with(at.as_str()) || at.starts_with(code.as_str());
                    let picked = !table_only || h.matched.iter().any(|m| others.contains(&m.as_str()));
                    if !in_place || !picked {
                        continue;
                    }
                    h.via = Some(Via { kind: "index", text: format!("{} → {phrase}", slot.typed) });
                    match hits.iter_mut().find(|o| o.entry.system == h.entry.system && o.entry.code == h.entry.code) {
                        Some(o) if o.score < h.score => *o = h,
                        Some(_) => {}
                        None => hits.push(h),
                    }
                }
            }
            // Stable: equal scores keep the index's order of readings.
            hits.sort_by_key(|h| std::cmp::Reverse(h.score));
            hits.truncate(limit);
        }
        Ok(hits)
    }

    /// Looks a code up (`E11.9`, `e119`, ` E11.9 `, `E11.` for E11's children).
    pub fn lookup(&self, code: &str, system: Option<&str>) -> Result<Lookup, QueryError> {
        let packs = match system {
            Some(s) => vec![self.pack(s)?],
            None => self.packs.iter().collect(),
        };
        let trimmed = code.trim();
        let wants_children = trimmed.ends_with('.') || trimmed.ends_with(".-") || trimmed.ends_with('-');
        let not_a_code = |detail: &str| Lookup {
            query: code.to_string(),
            record: None,
            help: Some(detail.to_string()),
            candidates: Vec::new(),
            crosswalk: None,
        };
        let Some(normalized) = normalize::normalize_code(trimmed.trim_end_matches('-')) else {
            return Ok(not_a_code("not a code: codes are letters and digits, with an optional dot (E11.9)"));
        };
        // Only the books whose codes look like this one; say so when none do.
        let shape = trimmed.trim_end_matches(['-', '.']);
        let fitting: Vec<&Pack<'a>> = packs
            .iter()
            .copied()
            .filter(|p| {
                crate::syntax::fits(p.system().id, shape, false) || crate::syntax::fits(p.system().id, shape, true)
            })
            .collect();
        if fitting.is_empty() {
            let looks_like: Vec<&str> = crate::model::SYSTEMS
                .iter()
                .filter(|s| crate::syntax::fits(s.id, shape, false))
                .map(|s| s.name)
                .collect();
            let searched: Vec<&str> = packs.iter().map(|p| p.system().name).collect();
            let detail = if looks_like.is_empty() {
                format!("{} is not a code of {}", trimmed, searched.join(", "))
            } else {
                format!(
                    "{} is not a {} code; it looks like {}",
                    trimmed,
                    searched.join(" or "),
                    looks_like.join(" or ")
                )
            };
            return Ok(not_a_code(&detail));
        }
        let packs = fitting;
        let mut hits = Vec::new();
        for pack in &packs {
            if let Some(id) = pack.find_code(&normalized) {
                hits.push((*pack, id));
            }
        }
        // A code typed exactly as one book prints it answers from that book
        // ("J1100" is HCPCS; "J11.00" is ICD-10-CM).
        let typed = shape.to_ascii_uppercase();
        let mut ranked = Vec::with_capacity(hits.len());
        for (pack, id) in hits {
            ranked.push((pack.code(id)? != typed, pack, id));
        }
        ranked.sort_by_key(|h| h.0);
        let hits: Vec<(&Pack<'a>, u32)> = ranked.into_iter().map(|(_, p, i)| (p, i)).collect();
        if let Some(&(pack, id)) = hits.first() {
            let mut l = found(pack, id, code, wants_children)?;
            // The same characters are a code in another book too (J1100:
            // HCPCS, and J11.00 in ICD-10-CM): say so, and list them.
            let others: Vec<Entry> = hits[1..].iter().map(|&(p, i)| entry(p, i)).collect::<Result<_, _>>()?;
            if !others.is_empty() {
                let names: Vec<String> =
                    others.iter().map(|e| format!("{} {}", system_name(e.system), e.code)).collect();
                let also = format!("also a code in {}", names.join(", "));
                l.help = Some(match l.help {
                    Some(h) => format!("{h}; {also}"),
                    None => also,
                });
                l.candidates.extend(others);
            }
            if pack.system().legacy {
                let successor = match pack.system().id {
                    "icd9cm" => "icd10cm",
                    _ => "icd10pcs",
                };
                let display = l.record.as_ref().map(|r| r.entry.code.clone()).unwrap_or_default();
                l.crosswalk = self.map(&display, successor)?;
            }
            return Ok(l);
        }
        // A code of another release of the book: say which, and what to use.
        for pack in &packs {
            if let Some(id) = pack.find_code_in_any_release(&normalized) {
                return Ok(in_another_release(pack, id, code)?);
            }
        }
        // A partial ICD-10-PCS code: offer the next axis.
        for pack in &packs {
            if let Some(choices) = axis_choices(pack, &normalized)? {
                let position = normalized.len() + 1;
                return Ok(Lookup {
                    query: code.to_string(),
                    record: None,
                    help: Some(format!(
                        "{normalized} is the start of an {} code: choose character {position}",
                        pack.system().name
                    )),
                    candidates: choices,
                    crosswalk: None,
                });
            }
        }
        // Not found: explain, from the pack whose codes come closest.
        let mut best: Option<(&Pack<'a>, usize)> = None;
        for pack in &packs {
            let len = longest_existing_prefix(pack, &normalized);
            if len > best.map_or(0, |b| b.1) {
                best = Some((pack, len));
            }
        }
        let Some((pack, len)) = best else {
            let names: Vec<&str> = packs.iter().map(|p| p.system().name).collect();
            return Ok(not_a_code(&format!("no {} code starts with {normalized}", names.join(" or "))));
        };
        not_found(pack, code, &normalized, len)
    }

    /// Checks a code before it is stored: valid when it is a billable code
    /// of `system` on the day of use. Otherwise `reason` says why and
    /// `candidates` what to choose (a header's children, the valid 7th
    /// characters, the nearest code).
    pub fn validate(&self, code: &str, system: &str) -> Result<Validation, QueryError> {
        let l = self.lookup(code, Some(system))?;
        let Some(record) = l.record else {
            let reason = l.help.unwrap_or_else(|| format!("{} is not a code", code.trim()));
            return Ok(Validation { valid: false, code: None, reason: Some(reason), candidates: l.candidates });
        };
        let e = record.entry;
        if e.billable {
            return Ok(Validation { valid: true, code: Some(e.code), reason: None, candidates: Vec::new() });
        }
        let reason = l
            .help
            .unwrap_or_else(|| format!("{} is a {}, not a billable code", e.code, e.kind.as_str().replace('_', " ")));
        Ok(Validation { valid: false, code: Some(e.code), reason: Some(reason), candidates: l.candidates })
    }

    /// The children of a code in book order; `None` lists the top level
    /// (chapters). Returns `Ok(None)` when the code does not exist.
    pub fn children(&self, code: Option<&str>, system: Option<&str>) -> Result<Option<Vec<Entry>>, QueryError> {
        let packs = match system {
            Some(s) => vec![self.pack(s)?],
            None => self.packs.iter().collect(),
        };
        match code.map(|c| normalize::normalize_code(c.trim().trim_end_matches(['.', '-']))) {
            None => {
                let mut out = Vec::new();
                for p in &packs {
                    for id in p.children(None)? {
                        out.push(entry(p, id)?);
                    }
                }
                Ok(Some(out))
            }
            Some(None) => Ok(None),
            Some(Some(normalized)) => {
                let shape = code.unwrap_or("").trim().trim_end_matches(['-', '.']);
                let fitting = packs
                    .iter()
                    .filter(|p| crate::syntax::fits(p.system().id, shape, true) || p.find_code(shape).is_some());
                for p in fitting {
                    if let Some(choices) = axis_choices(p, &normalized)? {
                        return Ok(Some(choices));
                    }
                    if let Some(id) = p.find_code(&normalized) {
                        return Ok(Some(
                            p.children(Some(id))?.into_iter().map(|c| entry(p, c)).collect::<Result<_, _>>()?,
                        ));
                    }
                }
                Ok(None)
            }
        }
    }

    /// Translates a code into another system with the crosswalks the
    /// loaded packs hold (the GEMs: ICD-9-CM ↔ ICD-10-CM, ICD-9-CM
    /// procedures ↔ ICD-10-PCS). `Ok(None)` when no loaded crosswalk links
    /// the code's system to `to`, or the code is not in it.
    pub fn map(&self, code: &str, to: &str) -> Result<Option<Crosswalk>, QueryError> {
        let to_system = crate::model::CodeSystem::from_id(to)
            .ok_or_else(|| QueryError::UnknownSystem { given: to.to_string(), loaded: self.system_ids() })?;
        let shape = code.trim().trim_end_matches(['-', '.']);
        let Some(normalized) = normalize::normalize_code(shape) else { return Ok(None) };
        for holder in &self.packs {
            for cw in holder.crosswalks() {
                // (source system, target system) of this crosswalk.
                let (from, into) = match cw.direction {
                    crate::pack::CrosswalkDirection::From => (holder.system(), cw.other),
                    crate::pack::CrosswalkDirection::To => (cw.other, holder.system()),
                };
                if into.id != to_system.id || !crate::syntax::fits(from.id, shape, false) {
                    continue;
                }
                // A code the crosswalk does not list (a code newer than the
                // crosswalk) is answered from its nearest listed ancestor,
                // or from the entries listed under that ancestor.
                let mut note = None;
                let mut targets = cw.targets(holder, &normalized)?;
                let mut key = normalized.clone();
                while targets.is_none() && key.len() > 3 {
                    key.pop();
                    if let Some(t) = cw.targets(holder, &key)? {
                        note = Some(format!(
                            "{} is not in the crosswalk; this is the entry of {key}",
                            shape.to_ascii_uppercase()
                        ));
                        targets = Some(t);
                        break;
                    }
                    let under = cw.sources_under(&key, 32);
                    if !under.is_empty() {
                        let mut merged: Vec<crate::pack::CrosswalkTarget> = Vec::new();
                        let mut seen = std::collections::HashSet::new();
                        'merge: for k in &under {
                            for t in cw.targets(holder, k)?.unwrap_or_default() {
                                if merged.len() >= MAX_MERGED_TARGETS {
                                    break 'merge;
                                }
                                if seen.insert(t.code.clone()) {
                                    merged.push(t);
                                }
                            }
                        }
                        note = Some(format!(
                            "{} is not in the crosswalk; these are the targets of the codes under {key} ({})",
                            shape.to_ascii_uppercase(),
                            under.join(", ")
                        ));
                        targets = Some(merged);
                    }
                }
                let Some(targets) = targets else { continue };
                let source_pack = self.packs.iter().find(|p| p.system().id == from.id);
                let target_pack = self.packs.iter().find(|p| p.system().id == into.id);
                let source_record = source_pack.and_then(|p| p.find_code(&normalized).map(|id| (p, id)));
                let (display, title) = match source_record {
                    Some((p, id)) => (p.code(id)?, Some(p.title(id)?)),
                    None => (shape.to_ascii_uppercase(), None),
                };
                let mut out = Vec::with_capacity(targets.len());
                for t in targets {
                    use crate::pack::format as f;
                    let n: String = t.code.chars().filter(|c| *c != '.').collect();
                    let target = MapTarget {
                        system: into.id,
                        code: t.code.clone(),
                        title: None,
                        billable: false,
                        approximate: t.flags & f::XW_APPROXIMATE != 0,
                        no_map: t.flags & f::XW_NO_MAP != 0,
                        combination: t.flags & f::XW_COMBINATION != 0,
                        scenario: t.scenario,
                        choice_list: t.choice,
                        refined_from: t.via.clone(),
                        not_in_release: t.flags & f::XW_NOT_IN_RELEASE != 0,
                    };
                    match target_pack {
                        Some(p) if !target.no_map && !n.is_empty() => {
                            out.extend(in_release_in_force(p, target, &n)?);
                        }
                        _ => out.push(target),
                    }
                }
                return Ok(Some(Crosswalk {
                    code: display,
                    system: from.id,
                    title,
                    to: into.id,
                    source: cw.label.to_string(),
                    targets: out,
                    note,
                }));
            }
        }
        Ok(None)
    }

    /// Every record of one book (or of all), in book order.
    pub fn dump(&self, system: Option<&str>, mut each: impl FnMut(Entry)) -> Result<(), QueryError> {
        let packs = match system {
            Some(s) => vec![self.pack(s)?],
            None => self.packs.iter().collect(),
        };
        for p in packs {
            // Walk in order keeping the chain of codes, so that each code is
            // decoded once (front-coded against its parent).
            let mut chain: Vec<(u32, String)> = Vec::new();
            for id in 0..p.record_count() {
                if !p.is_present(id) {
                    continue;
                }
                let row = p.row(id)?;
                while chain.last().is_some_and(|(c, _)| Some(*c) != row.parent) {
                    chain.pop();
                }
                let code = p.code(id)?;
                let parent = chain.last().map(|(_, c)| c.clone());
                let terminated = p.is_terminated(id);
                each(Entry {
                    system: p.system().id,
                    code: code.clone(),
                    title: p.title(id)?,
                    kind: row.kind,
                    billable: row.billable && !terminated,
                    parent,
                    terminated,
                    legacy: p.system().legacy,
                });
                chain.push((id, code));
            }
        }
        Ok(())
    }
}

/// A crosswalk target as the release in force has it. The crosswalk was
/// checked against the book's first release when it was built; a later
/// release may have made the target a header (its billable codes below it
/// are the targets, `refined_from` it) or deleted it (its replacements, or
/// `not_in_release`).
fn in_release_in_force(pack: &Pack<'_>, mut target: MapTarget, normalized: &str) -> Result<Vec<MapTarget>, PackError> {
    let refined = |codes: Vec<u32>, target: &MapTarget| -> Result<Vec<MapTarget>, PackError> {
        let mut out = Vec::with_capacity(codes.len());
        for id in codes.into_iter().take(MAX_MERGED_TARGETS) {
            out.push(MapTarget {
                code: pack.code(id)?,
                title: Some(pack.title(id)?),
                billable: true,
                refined_from: Some(target.refined_from.clone().unwrap_or_else(|| target.code.clone())),
                not_in_release: false,
                ..target.clone()
            });
        }
        Ok(out)
    };
    match pack.find_code(normalized) {
        Some(id) if pack.is_billable(id)? => {
            target.title = Some(pack.title(id)?);
            target.billable = true;
            Ok(vec![target])
        }
        Some(id) => {
            let below: Vec<u32> = pack
                .codes_with_prefix(normalized, MAX_MERGED_TARGETS * 4)
                .into_iter()
                .map(|(_, c)| c)
                .filter(|&c| c != id && pack.is_billable(c).unwrap_or(false))
                .collect();
            if below.is_empty() {
                target.title = Some(pack.title(id)?);
                return Ok(vec![target]);
            }
            refined(below, &target)
        }
        None => match pack.find_code_in_any_release(normalized) {
            Some(id) => {
                let replacements: Vec<u32> = pack.replaced_by(id);
                if replacements.is_empty() {
                    target.not_in_release = true;
                    Ok(vec![target])
                } else {
                    refined(replacements, &target)
                }
            }
            None => Ok(vec![target]),
        },
    }
}

/// The ICD-10-PCS code builder: for a table (`0DT`) or a partial code
/// (`0DTJ`), the values the next axis may take, as entries whose code is the
/// prefix plus the value and whose title is the value's label. `None` when
/// the pack does not compose codes by axes or the prefix is not such a
/// prefix.
pub fn axis_choices(pack: &Pack<'_>, prefix: &str) -> Result<Option<Vec<Entry>>, PackError> {
    if pack.compose_rule().style != crate::pack::format::COMPOSE_AXES || prefix.len() < 3 || !prefix.is_ascii() {
        return Ok(None);
    }
    let table_code = &prefix[..3];
    let Some(table) = pack.find_code(table_code) else { return Ok(None) };
    let row = pack.row(table)?;
    let given: Vec<char> = prefix[3..].chars().collect();
    // Codes a later release added under the table, stored as records of
    // their own (no row of the table composes them): their next character
    // is a choice too, described by the code it leads to.
    let mut stored: Vec<(char, String)> = Vec::new();
    if !pack.releases().is_empty() {
        for c in pack.children(Some(table))? {
            if pack.is_composed(c) {
                continue;
            }
            let code = pack.code(c)?;
            if code.len() == 7 && code.starts_with(prefix) && code.is_ascii() {
                if let Some(ch) = code[prefix.len()..].chars().next() {
                    let title = pack.title(c)?;
                    let label = if prefix.len() == 6 { title } else { format!("(as in {code}: {title})") };
                    stored.push((ch, label));
                }
            }
        }
    }
    if !row.has_label_set && stored.is_empty() {
        return Ok(None);
    }
    // Through the children, so that the composition is checked against
    // the records that follow the table.
    let (first, rows) = match pack.composed_children_of(table, &row)? {
        Some((first, rows)) => (first, rows),
        None if !stored.is_empty() => (table + 1, Vec::new()),
        None => return Ok(None),
    };
    let axis_count = rows.first().map_or(4, Vec::len);
    if given.len() >= axis_count {
        return Ok(None);
    }
    let label_char = |l: u32| pack.label(l).map(|(ch, _)| ch);
    let mut choices: Vec<(char, u32)> = Vec::new();
    let mut add = |ch: char, l: u32| {
        if !choices.iter().any(|(c, _)| *c == ch) {
            choices.push((ch, l));
        }
    };
    // In a pack of several releases, a code of a row may not be in the
    // release in force: offer a character only when a code of the release
    // follows from it (walking the row's codes, whose ids run in order).
    let by_release = !pack.releases().is_empty();
    let mut k = first;
    for axes in &rows {
        let size = crate::pack::composition::row_size(axes).unwrap_or(0);
        let fits = given
            .iter()
            .enumerate()
            .all(|(i, &c)| axes.get(i).is_some_and(|axis| axis.iter().any(|&l| label_char(l).is_ok_and(|ch| ch == c))));
        // A forged composition may have rows of fewer axes than the first.
        if !fits || axes.get(given.len()).is_none() {
            k = k.saturating_add(size);
            continue;
        }
        if by_release {
            crate::pack::composition::for_each_combination(axes, |labels| {
                let matches = given.iter().zip(labels).all(|(&c, &l)| label_char(l).is_ok_and(|ch| ch == c));
                if matches && pack.is_present(k) {
                    if let Some(&l) = labels.get(given.len()) {
                        add(label_char(l)?, l);
                    }
                }
                k = k.saturating_add(1);
                Ok::<(), PackError>(())
            })?;
        } else {
            for &l in &axes[given.len()] {
                add(label_char(l)?, l);
            }
            k = k.saturating_add(size);
        }
    }
    let mut labelled: Vec<(char, String)> = Vec::with_capacity(choices.len() + stored.len());
    for (ch, l) in choices {
        labelled.push((ch, pack.label(l)?.1));
    }
    for (ch, label) in stored {
        if !labelled.iter().any(|(c, _)| *c == ch) {
            labelled.push((ch, label));
        }
    }
    if labelled.is_empty() {
        return Ok(None);
    }
    labelled.sort_by_key(|(c, _)| *c);
    let complete = given.len() + 1 == axis_count;
    let mut out = Vec::with_capacity(labelled.len());
    for (ch, label) in labelled {
        out.push(Entry {
            system: pack.system().id,
            code: format!("{prefix}{ch}"),
            title: label,
            kind: if complete { Kind::Code } else { Kind::AxisValue },
            billable: complete,
            parent: Some(prefix.to_string()),
            terminated: false,
            legacy: pack.system().legacy,
        });
    }
    Ok(Some(out))
}

pub(crate) fn system_name(id: &str) -> &'static str {
    crate::model::CodeSystem::from_id(id).map_or("?", |s| s.name)
}

/// The list form of record `id`.
pub fn entry(pack: &Pack<'_>, id: u32) -> Result<Entry, PackError> {
    let row = pack.row(id)?;
    let terminated = pack.is_terminated(id);
    Ok(Entry {
        system: pack.system().id,
        code: pack.code(id)?,
        title: pack.title(id)?,
        kind: row.kind,
        billable: row.billable && !terminated,
        parent: row.parent.map(|p| pack.code(p)).transpose()?,
        terminated,
        legacy: pack.system().legacy,
    })
}

fn notes(pack: &Pack<'_>, id: u32) -> Result<Vec<Note>, PackError> {
    Ok(pack.notes(id)?.into_iter().map(|(kind, text)| Note { kind, text }).collect())
}

/// Everything about record `id`.
pub fn record(pack: &Pack<'_>, id: u32) -> Result<Record, PackError> {
    let chain = pack.ancestry(id)?;
    let ancestors = chain[..chain.len() - 1].iter().map(|&a| entry(pack, a)).collect::<Result<Vec<_>, _>>()?;
    let mut inherited_notes = Vec::new();
    for (&a, e) in chain[..chain.len() - 1].iter().zip(&ancestors).rev() {
        let n = notes(pack, a)?;
        if !n.is_empty() {
            inherited_notes.push(InheritedNotes { code: e.code.clone(), notes: n });
        }
    }
    let children = pack.children(Some(id))?;
    let mut seventh_characters = Vec::new();
    if pack.compose_rule().style == crate::pack::format::COMPOSE_SEVENTH {
        for &c in &children {
            if pack.is_composed(c) {
                let (_, labels) = pack.composed_labels(c)?;
                let (ch, label) = pack.label(labels[0])?;
                seventh_characters.push(SeventhCharacter { character: ch.to_string(), label, code: pack.code(c)? });
            }
        }
    }
    let all_notes = notes(pack, id)?;
    let attribute = |kind: NoteKind| all_notes.iter().find(|n| n.kind == kind).map(|n| n.text.clone());
    let action = attribute(NoteKind::Action).map(|a| {
        let meaning = action_meaning(&a);
        if meaning.is_empty() {
            a
        } else {
            format!("{a}: {meaning}")
        }
    });
    Ok(Record {
        entry: entry(pack, id)?,
        release: pack.release().to_string(),
        ancestors,
        short_title: attribute(NoteKind::ShortTitle),
        added: attribute(NoteKind::Added).map(|d| iso_date(&d)).transpose()?,
        effective: attribute(NoteKind::Effective).map(|d| iso_date(&d)).transpose()?,
        terminated_on: attribute(NoteKind::Terminated).map(|d| iso_date(&d)).transpose()?,
        action,
        not_otherwise_classified: all_notes.iter().any(|n| n.kind == NoteKind::NotOtherwiseClassified),
        mue: attribute(NoteKind::Mue).map(|m| mue(&m)).transpose()?,
        notes_from: attribute(NoteKind::NotesFrom),
        notes: all_notes.into_iter().filter(|n| !n.kind.is_attribute()).collect(),
        inherited_notes,
        children_count: children.len() as u32,
        flags: crate::flags::flags(pack, id)?,
        seventh_characters,
    })
}

fn found(pack: &Pack<'_>, id: u32, query: &str, wants_children: bool) -> Result<Lookup, PackError> {
    let rec = record(pack, id)?;
    let mut help = None;
    let mut candidates = Vec::new();
    if !rec.seventh_characters.is_empty() {
        let chars: Vec<&str> = rec.seventh_characters.iter().map(|s| s.character.as_str()).collect();
        help = Some(format!("{} is not billable: a 7th character is required ({})", rec.entry.code, chars.join(", ")));
        candidates = pack.children(Some(id))?.into_iter().map(|c| entry(pack, c)).collect::<Result<_, _>>()?;
    } else if wants_children || (!rec.entry.billable && rec.children_count > 0) {
        if !rec.entry.billable {
            help = Some(format!(
                "{} is a {}, not a billable code: choose one of its {} children",
                rec.entry.code,
                rec.entry.kind.as_str(),
                rec.children_count
            ));
        }
        candidates = pack.children(Some(id))?.into_iter().map(|c| entry(pack, c)).collect::<Result<_, _>>()?;
    } else if rec.entry.terminated {
        help = Some(format!(
            "{} is not billable: it was terminated{}",
            rec.entry.code,
            rec.terminated_on.as_ref().map(|d| format!(" on {d}")).unwrap_or_default()
        ));
    }
    Ok(Lookup { query: query.to_string(), record: Some(rec), help, candidates, crosswalk: None })
}

/// The answer for a code the pack carries but the release in force does
/// not: deleted by a later release (with what replaces it) or added by one
/// (with what to use before).
fn in_another_release(pack: &Pack<'_>, id: u32, query: &str) -> Result<Lookup, PackError> {
    let releases = pack.releases();
    let (Some(mask), Some(now)) = (pack.release_mask(id), pack.release_in_force()) else {
        return Err(PackError::Corrupt { section: "RLSE", detail: "a code outside the release has no releases" });
    };
    let code = pack.code(id)?;
    let in_release: Vec<&crate::pack::ReleaseInfo> =
        releases.iter().enumerate().filter(|(r, _)| mask & (1 << r) != 0).map(|(_, r)| r).collect();
    let (Some(first), Some(last)) = (in_release.first(), in_release.last()) else {
        return Err(PackError::Corrupt { section: "RLSE", detail: "a code in no release" });
    };
    // The nearest ancestor the release in force has: where to look instead.
    let mut nearest = None;
    for a in pack.ancestors_and_self(id)?.into_iter().skip(1) {
        if pack.is_present(a) {
            nearest = Some(a);
            break;
        }
    }
    let mut candidates = Vec::new();
    let help = if last.to < now.from {
        let deleted_in = releases.iter().find(|r| r.from > last.to).map_or(now.label, |r| r.label);
        let replaced: Vec<u32> = pack.replaced_by(id);
        for &r in &replaced {
            candidates.push(entry(pack, r)?);
        }
        let instead = if !candidates.is_empty() {
            let codes: Vec<&str> = candidates.iter().map(|e| e.code.as_str()).collect();
            format!("replaced by {}", codes.join(", "))
        } else if let Some(a) = nearest {
            for c in pack.children(Some(a))? {
                candidates.push(entry(pack, c)?);
            }
            format!("the addenda name no replacement; choose from {}", pack.code(a)?)
        } else {
            "the addenda name no replacement".to_string()
        };
        format!(
            "{code} was deleted in {deleted_in}: it is a code of {} for dates of service up to {}; {instead}",
            last.label,
            crate::dates::iso(last.to)
        )
    } else {
        if let Some(a) = nearest {
            candidates.push(entry(pack, a)?);
        }
        let before =
            nearest.map(|a| pack.code(a)).transpose()?.map(|a| format!("; before that, see {a}")).unwrap_or_default();
        format!(
            "{code} is new in {}: a code for dates of service from {}, not in {}{before}",
            first.label,
            crate::dates::iso(first.from),
            now.label
        )
    };
    Ok(Lookup { query: query.to_string(), record: None, help: Some(help), candidates, crosswalk: None })
}

/// Length of the longest prefix of `normalized` that is a code of `pack`.
fn longest_existing_prefix(pack: &Pack<'_>, normalized: &str) -> usize {
    (1..=normalized.len())
        .rev()
        .find(|&n| normalized.is_char_boundary(n) && pack.find_code(&normalized[..n]).is_some())
        .unwrap_or(0)
}

fn not_found(pack: &Pack<'_>, query: &str, normalized: &str, prefix_len: usize) -> Result<Lookup, QueryError> {
    let book = format!("{} {}", pack.system().name, pack.release());
    let Some(id) = pack.find_code(&normalized[..prefix_len]) else {
        return Ok(Lookup {
            query: query.to_string(),
            record: None,
            help: Some(format!("not a code in {book}")),
            candidates: Vec::new(),
            crosswalk: None,
        });
    };
    let near = entry(pack, id)?;
    let children = pack.children(Some(id))?;
    let composed = match children.first() {
        Some(&c) => pack.row(c)?.composed,
        None => false,
    };
    let (help, candidates) =
        if composed && normalized.len() == prefix_len + 1 + count_placeholders(normalized, prefix_len, pack) {
            let seventh = normalized.chars().last().unwrap_or(' ');
            let valid: Vec<Entry> = children.iter().map(|&c| entry(pack, c)).collect::<Result<_, _>>()?;
            let chars: Vec<String> = valid.iter().filter_map(|e| e.code.chars().last().map(String::from)).collect();
            (format!("{seventh} is not a valid 7th character for {}; valid: {}", near.code, chars.join(", ")), valid)
        } else if composed {
            let valid: Vec<Entry> = children.iter().map(|&c| entry(pack, c)).collect::<Result<_, _>>()?;
            (format!("not a code in {book}; {} takes a 7th character", near.code), valid)
        } else if children.is_empty() {
            (format!("not a code in {book}; the nearest is {} {}", near.code, near.title), vec![near])
        } else {
            let kids: Vec<Entry> = children.iter().map(|&c| entry(pack, c)).collect::<Result<_, _>>()?;
            (format!("not a code in {book}; {} has these codes", near.code), kids)
        };
    Ok(Lookup { query: query.to_string(), record: None, help: Some(help), candidates, crosswalk: None })
}

/// How many placeholder characters follow the code's first `prefix_len`
/// characters before its last one (`S0990` + `X` + `A`).
fn count_placeholders(normalized: &str, prefix_len: usize, pack: &Pack<'_>) -> usize {
    let rule = pack.compose_rule();
    let body = &normalized[prefix_len..normalized.len().saturating_sub(1)];
    if body.bytes().all(|b| b == rule.placeholder) {
        body.len()
    } else {
        usize::MAX / 2
    }
}
