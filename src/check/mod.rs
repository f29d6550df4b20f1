//! The coder's checks on a code set, each finding citing its rule.
//!
//! First what the books hold, the Tabular List and the releases:
//! * **errors**: a code that is not billable on the date of service (a
//!   header, a code missing its 7th character — which ones —, a code of
//!   another release, a terminated HCPCS code), an Excludes1 pair; a date
//!   of service outside every loaded release gives one finding, not one per
//!   code;
//! * **warnings** (besides [`combinations`]: codes a combination code
//!   replaces): a manifestation's "code first" partner missing, any "code
//!   first" partner listed after the code that asks for it, a "use
//!   additional code" partner missing (the code's own and its category's
//!   notes), an unspecified code beside a more specific sibling;
//! * **info**: an Excludes2 pair (allowed together, and why), a partner
//!   missing that a note asks for only "if applicable", a list of
//!   conditions to "code first" where one applies, a "code also" partner.
//!
//! Then the claim-edit and payment tables of the ICD-10-CM pack (`EDIT`),
//! on the date of service: the Medicare Code Editor's age, sex and
//! principal-diagnosis edits ([`mce`]), and what the set weighs on payment
//! ([`payment`]: CC/MCC with the principal's exclusions, HCCs with their
//! hierarchy, PDPM comorbidities), which also come back as the report's
//! summary.

mod combinations;
mod mce;
mod payment;

pub use payment::{CcMccInSet, Comorbidity, HccInSet, PdpmInSet, Summary};

use crate::citations::{cited_ranges, cites_key};
use crate::error::QueryError;
use crate::flags::Sex;
use crate::model::NoteKind;
use crate::search::Setting;
use crate::search::{CodeBook, Entry, Record};
use serde::Serialize;
use std::sync::Arc;

/// Most codes one check reads (a claim has at most 25 diagnoses and 25
/// procedures; a problem list rarely more than 100).
pub const MAX_CHECK_CODES: usize = 1000;

/// Oldest age the edits read (the MCE's adult range ends at 124).
pub const MAX_AGE: u32 = 124;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The set cannot be billed as it is.
    Error,
    /// Probably incomplete or mis-sequenced: look again.
    Warning,
    /// Worth knowing; nothing to change.
    Info,
}

/// One finding: its rule, the codes it is about, what to do, and where
/// the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name of the rule (`excludes1`, `seventh-character`, …).
    pub rule: &'static str,
    pub codes: Vec<String>,
    pub message: String,
    /// The rule's source ("ICD-10-CM Tabular List, Excludes1 at E11").
    pub source: String,
}

/// A code to check: its system (`None`: the book whose codes look like it)
/// and the code as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeToCheck {
    pub system: Option<String>,
    pub code: String,
}

/// What a check knows of the encounter besides the codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckContext {
    /// The principal diagnosis; else the first diagnosis listed. When it
    /// is not among the codes it is checked with them, first.
    pub principal: Option<String>,
    /// The patient's age in years on the date of service (0 to
    /// [`MAX_AGE`]; anything else is refused).
    pub age: Option<i64>,
    pub sex: Option<Sex>,
    /// Where the care is given: which payment findings are said (see
    /// `payment`) and which principal-diagnosis edits apply (inpatient or
    /// no setting said).
    pub setting: Option<Setting>,
}

/// A check's answer: the codes as read, and the findings, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Each code as given (the principal first when it was not among them).
    pub given: Vec<String>,
    /// Each code as the books know it (`None` where no book has it).
    pub codes: Vec<Option<Entry>>,
    pub findings: Vec<Finding>,
    /// What the set weighs on payment (HCCs, CC/MCC, PDPM).
    pub summary: Summary,
}

/// An ICD-10-CM diagnosis of the set, as the edit tables read it.
pub(crate) struct Diagnosis {
    pub code: String,
    pub title: String,
    /// Its record id in the ICD-10-CM pack.
    pub id: u32,
}

impl CheckReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// A code read: its record in force (when it has one) and its instructional
/// notes with the ancestor each stands under.
struct Read {
    given: String,
    record: Option<Arc<Record>>,
    notes: Arc<NotesRead>,
    /// The record's id in its pack.
    id: Option<u32>,
    /// A manifestation code (its "code first" is an order).
    manifestation: bool,
}

/// An Excludes note of a record: its kind, the code it stands under, its
/// text and the ranges it cites.
type ExcludesNote = (NoteKind, String, String, Vec<(String, String)>);

/// A record's notes as the checks compare them, read once per code: its
/// code without the dot, its Excludes notes with their cited ranges, its
/// "code first" and "use additional code" instructions.
#[derive(Debug, Default)]
pub(crate) struct NotesRead {
    key: String,
    /// The title says "unspecified".
    unspecified: bool,
    excludes: Vec<ExcludesNote>,
    code_first: Vec<Instruction>,
    use_additional: Vec<Instruction>,
    code_also: Vec<Instruction>,
}

impl NotesRead {
    fn of(record: &Record) -> NotesRead {
        let code = &record.entry.code;
        let category = code.get(..3).unwrap_or("");
        let mut excludes = Vec::new();
        for kind in [NoteKind::Excludes1, NoteKind::Excludes2] {
            for (at, text) in notes_of(record, kind) {
                // An Excludes1 anywhere above a code applies to it; a
                // block's or chapter's Excludes2 ("endocrine diseases
                // (E00-E88)" under N00-N99) says nothing worth saying.
                if kind == NoteKind::Excludes2 && at != code && at != category {
                    continue;
                }
                excludes.push((kind, at.to_string(), text.to_string(), cited_ranges(text)));
            }
        }
        NotesRead {
            key: code.chars().filter(|c| *c != '.').collect(),
            unspecified: crate::normalize::tokens(&record.entry.title).iter().any(|t| t.folded == "unspecified"),
            excludes,
            code_first: grouped(record, NoteKind::CodeFirst, category),
            use_additional: grouped(record, NoteKind::UseAdditionalCode, category),
            code_also: grouped(record, NoteKind::CodeAlso, category),
        }
    }
}

/// A code as `check` reads it, kept between checks (`RecentReads`): the
/// picker checks its chips again at every change, with the codes read
/// before.
#[derive(Debug, Clone)]
pub(crate) struct CodeRead {
    record: Option<Arc<Record>>,
    notes: Arc<NotesRead>,
    id: Option<u32>,
    manifestation: bool,
    help: Option<String>,
    /// Other books' codes of the same shape (`J1100`: HCPCS, and ICD-10-CM J11.00).
    others: Vec<(&'static str, String)>,
}

/// How many codes read the code book keeps for the next checks.
const RECENT_READS: usize = 2048;

/// The codes read by the latest checks, by (date of service, system asked,
/// code as given): a check for another date (`today` in JS) and back keeps
/// both dates' reads.
pub(crate) type RecentReads = crate::search::recent::Recent<(u32, Option<String>, String), CodeRead, RECENT_READS>;

impl CodeBook<'_> {
    /// Checks a code set (see the module documentation for the rules).
    pub fn check(&self, codes: &[CodeToCheck], context: &CheckContext) -> Result<CheckReport, QueryError> {
        if codes.len() > MAX_CHECK_CODES {
            return Err(QueryError::TooManyCodes { given: codes.len(), max: MAX_CHECK_CODES });
        }
        let age = match context.age {
            Some(a) if !(0..=i64::from(MAX_AGE)).contains(&a) => return Err(QueryError::BadAge { given: a }),
            a => a.map(|a| a as u32),
        };
        // A principal not among the codes is checked with them, first.
        let with_principal: Vec<CodeToCheck>;
        let codes = match context.principal.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) if !codes.iter().any(|c| same_code(&c.code, p)) => {
                with_principal = std::iter::once(CodeToCheck { system: None, code: p.to_string() })
                    .chain(codes.iter().cloned())
                    .collect();
                &with_principal[..]
            }
            _ => codes,
        };
        for c in codes {
            if let Some(s) = &c.system {
                self.pack(s)?;
            }
        }
        let mut findings = Vec::new();
        // A date of service outside every release of a book: one finding.
        let mut dateless: Vec<&'static str> = Vec::new();
        let asked: Vec<&'static str> = codes
            .iter()
            .filter_map(|c| match &c.system {
                Some(s) => self.pack(s).ok().map(|p| p.system().id),
                None => self.read(&c.code, None).ok()?.record.map(|r| r.entry.system),
            })
            .collect();
        for pack in self.packs().iter().filter(|p| asked.contains(&p.system().id)) {
            let Some(now) = pack.release_in_force() else { continue };
            let today = pack.today();
            if today != 0 && (today < now.from || today > now.to) {
                dateless.push(pack.system().id);
                findings.push(Finding {
                    severity: Severity::Error,
                    rule: "no-release",
                    codes: Vec::new(),
                    message: format!(
                        "no {} release loaded for this date ({}): the loaded ones run {} to {}",
                        pack.system().name,
                        crate::dates::iso(today),
                        crate::dates::iso(pack.releases().first().map_or(now.from, |r| r.from)),
                        crate::dates::iso(pack.releases().last().map_or(now.to, |r| r.to)),
                    ),
                    source: format!("{} releases in the packs", pack.system().name),
                });
            }
        }
        let mut read: Vec<Read> = Vec::with_capacity(codes.len());
        for c in codes {
            read.push(self.read_code(c, &dateless, &mut findings)?);
        }
        // The principal as the books write it ("f0280" is F02.80).
        let principal =
            context.principal.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| {
                self.read(p, None).ok().and_then(|l| l.record).map_or(p.to_string(), |r| r.entry.code.clone())
            });
        let principal = principal.as_deref();
        // A book without a release for the date says nothing more of its codes.
        // A code listed twice is checked once (its first place counts).
        let mut seen = std::collections::HashSet::new();
        let dated: Vec<Read> = read
            .iter()
            .map(|r| Read {
                given: r.given.clone(),
                record: r
                    .record
                    .clone()
                    .filter(|rec| !dateless.contains(&rec.entry.system))
                    .filter(|rec| seen.insert((rec.entry.system, rec.entry.code.clone()))),
                notes: r.notes.clone(),
                id: r.id,
                manifestation: r.manifestation,
            })
            .collect();
        pairs(&dated, &mut findings);
        instructions(&dated, principal, &mut findings);
        unspecified_beside_specific(&dated, &mut findings);
        combinations::findings(&dated, &mut findings);
        let summary = self.edits(&dated, principal, age, context, &mut findings)?;
        findings.sort_by_key(|f| f.severity);
        Ok(CheckReport {
            given: read.iter().map(|r| r.given.clone()).collect(),
            codes: read.into_iter().map(|r| r.record.map(|r| r.entry.clone())).collect(),
            findings,
            summary,
        })
    }

    /// The MCE edits and the payment summary of the set's ICD-10-CM codes.
    fn edits(
        &self,
        read: &[Read],
        principal: Option<&str>,
        age: Option<u32>,
        context: &CheckContext,
        findings: &mut Vec<Finding>,
    ) -> Result<Summary, QueryError> {
        let Ok(pack) = self.pack("icd10cm") else { return Ok(Summary::default()) };
        let dx: Vec<Diagnosis> = read
            .iter()
            .filter_map(|r| Some((r.record.as_ref()?, r.id?)))
            .filter(|(r, _)| r.entry.system == "icd10cm" && r.entry.billable)
            .map(|(r, id)| Diagnosis { code: r.entry.code.clone(), title: r.entry.title.clone(), id })
            .collect();
        if dx.is_empty() {
            return Ok(Summary::default());
        }
        let Some(tables) = pack.edits()? else {
            if age.is_some() || context.sex.is_some() || context.setting.is_some() {
                findings.push(Finding {
                    severity: Severity::Info,
                    rule: "no-edit-tables",
                    codes: Vec::new(),
                    message: "the ICD-10-CM pack was built without the claim-edit tables: no age, sex, principal-diagnosis or payment checks".into(),
                    source: "the loaded ICD-10-CM pack".into(),
                });
            }
            return Ok(Summary::default());
        };
        let date = crate::flags::edit_date(pack);
        // The principal: as given, else the first diagnosis listed.
        let principal_index = match principal {
            Some(p) => dx.iter().position(|d| d.code == p),
            None => Some(0),
        };
        let patient = mce::Patient { age, sex: context.sex, setting: context.setting, principal: principal_index };
        mce::findings(tables, date, &dx, &patient, findings);
        Ok(payment::summarize(tables, date, &dx, &patient, findings)?)
    }

    /// A code read, from the codes kept since the date last changed, else
    /// looked up (and kept).
    fn read(&self, code: &str, system: Option<&str>) -> Result<CodeRead, QueryError> {
        let today = self.packs().first().map_or(0, |p| p.today());
        let key = (today, system.map(str::to_string), code.to_string());
        self.recent_reads().get_or(key, || {
            let found = self.lookup(code, system)?;
            let taken = found.record.as_ref().map(|r| r.entry.system);
            let pack = taken.and_then(|t| self.pack(t).ok());
            let id = match (pack, &found.record) {
                (Some(p), Some(r)) => crate::normalize::normalize_code(&r.entry.code).and_then(|c| p.find_code(&c)),
                _ => None,
            };
            // The MCE's list of manifestation codes, and the Tabular List's
            // "in diseases classified elsewhere" titles.
            let by_title = found.record.as_ref().is_some_and(|r| r.entry.title.contains("classified elsewhere"));
            let by_mce = match (pack, id) {
                (Some(p), Some(id)) => p.edits()?.is_some_and(|t| {
                    crate::flags::mce_bits(t, id, crate::flags::edit_date(p))
                        .is_some_and(|(bits, _)| bits & crate::pack::edits::attr::MANIFESTATION != 0)
                }),
                _ => false,
            };
            Ok::<_, QueryError>(CodeRead {
                others: found
                    .candidates
                    .iter()
                    .filter(|o| Some(o.system) != taken)
                    .map(|o| (o.system, o.code.clone()))
                    .collect(),
                notes: Arc::new(found.record.as_ref().map(NotesRead::of).unwrap_or_default()),
                id,
                manifestation: by_title || by_mce,
                record: found.record.map(Arc::new),
                help: found.help,
            })
        })
    }

    /// Looks one code up and reports why it cannot be billed, if so.
    fn read_code(&self, c: &CodeToCheck, dateless: &[&str], findings: &mut Vec<Finding>) -> Result<Read, QueryError> {
        let given = c.code.trim().to_string();
        let found = self.read(&given, c.system.as_deref())?;
        let system = found.record.as_ref().map(|r| r.entry.system);
        let Some(record) = found.record else {
            // Not in the release in force (or no code at all).
            let dated = c.system.as_deref().is_some_and(|s| dateless.contains(&s));
            if !dated {
                findings.push(Finding {
                    severity: Severity::Error,
                    rule: "not-a-code",
                    codes: vec![given.clone()],
                    message: found.help.unwrap_or_else(|| format!("{given} is not a code of the loaded books")),
                    source: "the code books in force on the date of service".to_string(),
                });
            }
            return Ok(Read { given, record: None, notes: found.notes, id: None, manifestation: false });
        };
        let e = &record.entry;
        // Read by its shape where several books have it (J1100: HCPCS, and
        // ICD-10-CM J11.00): say which was taken.
        let others: Vec<String> = found
            .others
            .iter()
            .map(|(system, code)| format!("{} {code}", crate::search::system_name(system)))
            .collect();
        if c.system.is_none() && !others.is_empty() {
            findings.push(Finding {
                severity: Severity::Info,
                rule: "read-as",
                codes: vec![e.code.clone()],
                message: format!(
                    "{given} was read as {} {}; it is also {}: give its system to choose",
                    crate::search::system_name(e.system),
                    e.code,
                    others.join(", ")
                ),
                source: "the code's shape in each loaded book".to_string(),
            });
        }
        if !e.billable && !system.is_some_and(|s| dateless.contains(&s)) {
            let book = crate::search::system_name(e.system);
            let (rule, message, source) = if !record.seventh_characters.is_empty() {
                let chars: Vec<String> =
                    record.seventh_characters.iter().map(|s| format!("{} {}", s.character, s.label)).collect();
                (
                    "seventh-character",
                    format!("{} needs a 7th character: {}", e.code, chars.join("; ")),
                    format!("{book} Tabular List, 7th characters at {}", seventh_source(&record)),
                )
            } else if e.terminated {
                (
                    "terminated",
                    found.help.unwrap_or_else(|| format!("{} is terminated on the date of service", e.code)),
                    format!("{book} release in force"),
                )
            } else {
                (
                    "not-billable",
                    found.help.unwrap_or_else(|| format!("{} is a header: choose one of its codes", e.code)),
                    format!("{book} Tabular List"),
                )
            };
            findings.push(Finding { severity: Severity::Error, rule, codes: vec![e.code.clone()], message, source });
        }
        Ok(Read { given, record: Some(record), notes: found.notes, id: found.id, manifestation: found.manifestation })
    }
}

/// Whether two codes as written are the same code (`e119` and `E11.9`).
fn same_code(a: &str, b: &str) -> bool {
    match (crate::normalize::normalize_code(a), crate::normalize::normalize_code(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// Where a record's 7th characters are defined: the nearest ancestor with
/// a 7th-character note, else the code's category.
fn seventh_source(record: &Record) -> String {
    for inherited in &record.inherited_notes {
        if inherited.notes.iter().any(|n| matches!(n.kind, NoteKind::SevenChrNote | NoteKind::SevenChrDef)) {
            return inherited.code.clone();
        }
    }
    record.entry.code.get(..3).unwrap_or(&record.entry.code).to_string()
}

/// The notes of `kind` of a record, with the code each stands under (its
/// own first, then its ancestors', nearest first).
fn notes_of(record: &Record, kind: NoteKind) -> Vec<(&str, &str)> {
    let own = record.notes.iter().filter(|n| n.kind == kind).map(|n| (record.entry.code.as_str(), n.text.as_str()));
    let inherited = record
        .inherited_notes
        .iter()
        .flat_map(|i| i.notes.iter().filter(|n| n.kind == kind).map(move |n| (i.code.as_str(), n.text.as_str())));
    own.chain(inherited).collect()
}

/// Excludes1 (never together: an error) and Excludes2 (together only when
/// both are there: worth saying) between every two codes of the set.
fn pairs(read: &[Read], findings: &mut Vec<Finding>) {
    // Each pair once: an Excludes1 both ways is one error.
    let mut said: std::collections::HashSet<(&'static str, String, String)> = std::collections::HashSet::new();
    let rules = [
        (NoteKind::Excludes1, Severity::Error, "excludes1", "never coded together"),
        (NoteKind::Excludes2, Severity::Info, "excludes2", "not part of it: both may be coded when both are present"),
    ];
    for a in read {
        let Some(ra) = &a.record else { continue };
        for b in read {
            let Some(rb) = &b.record else { continue };
            if ra.entry.system != rb.entry.system || ra.entry.code == rb.entry.code {
                continue;
            }
            // Which notes of `a` cite `b`, in one pass over them.
            let mut citing: [Option<&ExcludesNote>; 2] = [None, None];
            for n in &a.notes.excludes {
                let slot = if n.0 == NoteKind::Excludes1 { 0 } else { 1 };
                if citing[slot].is_none() && cites_key(&n.3, &b.notes.key) {
                    citing[slot] = Some(n);
                }
            }
            for (slot, (kind, severity, rule, what)) in rules.into_iter().enumerate() {
                let Some((_, at, text, _)) = citing[slot] else { continue };
                let (x, y) = (ra.entry.code.clone(), rb.entry.code.clone());
                if said.contains(&(rule, y.clone(), x.clone())) || !said.insert((rule, x.clone(), y.clone())) {
                    continue;
                }
                findings.push(Finding {
                    severity,
                    rule,
                    message: format!("{x} and {y}: {what} ({text})"),
                    codes: vec![x, y],
                    source: format!("ICD-10-CM Tabular List, {} at {at}", rule_name(kind)),
                });
            }
        }
    }
}

fn rule_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Excludes1 => "Excludes1",
        NoteKind::Excludes2 => "Excludes2",
        NoteKind::CodeFirst => "Code first",
        NoteKind::UseAdditionalCode => "Use additional code",
        NoteKind::CodeAlso => "Code also",
        _ => "note",
    }
}

/// "Code first" and "use additional code" partners: missing, or (code
/// first) listed after the code that asks for it. Only the notes of the
/// code and its category ask: a block's or chapter's lists ("code to
/// identify: exposure to environmental tobacco smoke …") are "if
/// applicable" by nature.
fn instructions(read: &[Read], principal: Option<&str>, findings: &mut Vec<Finding>) {
    for (i, a) in read.iter().enumerate() {
        let Some(ra) = &a.record else { continue };
        for (kind, notes) in [
            (NoteKind::CodeFirst, &a.notes.code_first),
            (NoteKind::UseAdditionalCode, &a.notes.use_additional),
            (NoteKind::CodeAlso, &a.notes.code_also),
        ] {
            for note in notes {
                let partner = read.iter().enumerate().find(|(j, b)| {
                    *j != i
                        && b.record.as_ref().is_some_and(|rb| {
                            rb.entry.system == ra.entry.system && cites_key(&note.ranges, &b.notes.key)
                        })
                });
                let source = format!("ICD-10-CM Tabular List, {} at {}", rule_name(kind), note.at);
                let said = &note.text;
                match (kind, partner) {
                    (NoteKind::CodeFirst, Some((j, b))) if j > i || principal == Some(ra.entry.code.as_str()) => {
                        let partner = b.record.as_ref().map_or(b.given.as_str(), |r| r.entry.code.as_str());
                        findings.push(Finding {
                            severity: Severity::Warning,
                            rule: "code-first-order",
                            codes: vec![ra.entry.code.clone(), partner.to_string()],
                            message: format!("sequence {partner} before {} (code first {said})", ra.entry.code),
                            source,
                        });
                    }
                    (_, Some(_)) => {}
                    // A manifestation code's "code first" is an order; a
                    // list of conditions at another code ("heart failure
                    // due to hypertension (I11.0)" at I50) applies only when
                    // one of them is documented.
                    (NoteKind::CodeFirst, None) => findings.push(Finding {
                        severity: if a.manifestation && !said.contains("if applicable") {
                            Severity::Warning
                        } else {
                            Severity::Info
                        },
                        rule: "code-first-missing",
                        codes: vec![ra.entry.code.clone()],
                        message: if note.alternatives {
                            format!("{}: code first, where one applies: {said}", ra.entry.code)
                        } else {
                            format!("{}: code first {said}", ra.entry.code)
                        },
                        source,
                    }),
                    // "Code also": another condition that may be there, in
                    // any order; the coder judges.
                    (NoteKind::CodeAlso, None) => findings.push(Finding {
                        severity: Severity::Info,
                        rule: "code-also-missing",
                        codes: vec![ra.entry.code.clone()],
                        message: format!("{}: code also {said}", ra.entry.code),
                        source,
                    }),
                    (_, None) => findings.push(Finding {
                        // "if applicable": the coder judges; nothing is wrong.
                        severity: if said.contains("if applicable") { Severity::Info } else { Severity::Warning },
                        rule: "use-additional-missing",
                        codes: vec![ra.entry.code.clone()],
                        // "Use additional code to identify …" and "Use
                        // additional | code to identify …" alike.
                        message: match said.strip_prefix("code") {
                            Some(rest) => format!("{}: use additional code{rest}", ra.entry.code),
                            None => format!("{}: use additional code {said}", ra.entry.code),
                        },
                        source,
                    }),
                }
            }
        }
    }
}

/// One instruction as a coder reads it: a note, or a heading ("code first
/// the underlying physiological condition, such as:") with its items, one
/// partner of any item answering it.
#[derive(Debug, Clone)]
struct Instruction {
    at: String,
    text: String,
    ranges: Vec<(String, String)>,
    /// Several notes of one kind at one code, with no heading: each an
    /// alternative ("code first: … (I11.0)", "… (I13.-)" at I50).
    alternatives: bool,
}

/// The "code first" or "use additional code" instructions of a record's
/// own notes and its category's (a block's or chapter's lists, "code to
/// identify: exposure to environmental tobacco smoke …", are "if
/// applicable" by nature), a heading's items joined under it.
fn grouped(record: &Record, kind: NoteKind, category: &str) -> Vec<Instruction> {
    let mut out: Vec<Instruction> = Vec::new();
    let mut heading: Option<(String, String)> = None; // (at, lead)
    for (at, text) in notes_of(record, kind) {
        if at != record.entry.code && at != category {
            continue;
        }
        let text = text.trim();
        if let Some(lead) = text.strip_suffix(':') {
            heading = Some((at.to_string(), lead.to_string()));
            continue;
        }
        // ", if applicable, postprocedural sepsis (T81.44-)": the list's
        // first item carries the condition for all (A41).
        let text = match text.strip_prefix(", if applicable,") {
            Some(item) => {
                heading = Some((at.to_string(), "if applicable".to_string()));
                item.trim()
            }
            None => text,
        };
        let ranges = cited_ranges(text);
        match &heading {
            Some((h_at, lead)) if h_at == at => {
                let joined = out.iter_mut().find(|o| o.at == *h_at && o.text.starts_with(lead.as_str()));
                match joined {
                    Some(o) => {
                        o.text.push_str(&format!(", {text}"));
                        o.ranges.extend(ranges);
                    }
                    None => out.push(Instruction {
                        at: at.to_string(),
                        text: format!("{lead}: {text}"),
                        ranges,
                        alternatives: false,
                    }),
                }
            }
            _ if !ranges.is_empty() => {
                match out.iter_mut().find(|o| o.at == at && (o.alternatives || !o.text.contains(':'))) {
                    Some(o) => {
                        o.text.push_str(&format!("; {text}"));
                        o.ranges.extend(ranges);
                        o.alternatives = true;
                    }
                    None => out.push(Instruction {
                        at: at.to_string(),
                        text: text.to_string(),
                        ranges,
                        alternatives: false,
                    }),
                }
            }
            _ => {}
        }
    }
    out.retain(|o| !o.ranges.is_empty());
    out
}

/// An unspecified code beside a more specific code of the same parent:
/// the record documents more than the unspecified code says.
fn unspecified_beside_specific(read: &[Read], findings: &mut Vec<Finding>) {
    for a in read {
        let Some(ra) = &a.record else { continue };
        let Some(parent) = &ra.entry.parent else { continue };
        if !ra.entry.billable || !a.notes.unspecified {
            continue;
        }
        let specific = read.iter().filter_map(|b| Some((b.record.as_ref()?, b))).find(|(rb, b)| {
            rb.entry.system == ra.entry.system
                && rb.entry.code != ra.entry.code
                && rb.entry.code.starts_with(parent.as_str())
                && !b.notes.unspecified
        });
        let specific = specific.map(|(rb, _)| rb);
        if let Some(rb) = specific {
            findings.push(Finding {
                severity: Severity::Warning,
                rule: "unspecified-beside-specific",
                codes: vec![ra.entry.code.clone(), rb.entry.code.clone()],
                message: format!(
                    "{} ({}) is unspecified, but {} ({}) is documented: code the specific condition",
                    ra.entry.code, ra.entry.title, rb.entry.code, rb.entry.title
                ),
                source: "ICD-10-CM Official Guidelines I.B.18 (unspecified codes)".to_string(),
            });
        }
    }
}
