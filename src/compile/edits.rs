//! The claim-edit and payment tables of ICD-10-CM, from their official (or
//! labelled derived) files in `codebooks/edits/` to the pack's `EDIT`
//! section (`pack::edits`), each row resolved to the record id of its code.
//!
//! * Medicare Code Editor code masters (v43.1 for FY2026, v44 derived for
//!   FY2027): attribute rows with their dates, clipped to the dates of
//!   service each release answers for (v43.1 through 2026-09-30, v44 from
//!   2026-10-01); the MCE's age groups; the last published sex edit
//!   (v41.1). The masters' code sets must equal the book's billable codes
//!   of each release: the build stops otherwise.
//! * MS-DRG CC and MCC lists (v43 Tables 6I/6J; v44 derived lists) and the
//!   CC exclusions of Table 6K Part 1 (v43; no v44 table exists, so FY2027
//!   codes keep their v43 collection and new codes have none).
//! * CMS-HCC V28 (payment year 2026 final, with its age and sex conditions;
//!   payment year 2027 initial, derived, without them), its labels and
//!   hierarchy. Risk adjustment pays a year on the diagnoses of the year
//!   before: PY2026 answers for 2025 dates of service, PY2027 for 2026.
//!   A mapped code that is a header in the book maps its billable codes.
//! * PDPM FY2026 NTA and SLP comorbidities.

use super::{Book, CompileError};
use crate::pack::edits::cite::*;
use crate::pack::edits::{attr, hcc, table, EditTable, EditTables, Period, KIND_RANGES, KIND_ROWS};
use std::collections::{BTreeMap, HashMap};

/// One source file's text and its path (for errors).
pub type Source = (String, String);

/// The edit files a build found in the manifest (each optional).
#[derive(Default)]
pub struct EditSources {
    pub mce: Option<Source>,
    pub mce_later: Option<Source>,
    pub age_ranges: Option<Source>,
    pub sex: Option<Source>,
    pub mcc: Option<Source>,
    pub cc: Option<Source>,
    pub mcc_later: Option<Source>,
    pub cc_later: Option<Source>,
    pub cc_exclusions: Option<Source>,
    pub hcc: Option<Source>,
    pub hcc_later: Option<Source>,
    pub hcc_hierarchy: Option<Source>,
    pub hcc_labels: Option<Source>,
    pub pdpm_nta: Option<Source>,
    pub pdpm_slp: Option<Source>,
}

/// Last day the FY2026 tables answer for; the first of FY2027.
const FY2026_END: u32 = 20260930;
const FY2027_START: u32 = 20261001;
/// Earliest date of service a loaded release answers for: rows that ended
/// before it are left out.
const FY2026_START: u32 = 20251001;

fn source_error(path: &str, line: usize, detail: impl Into<String>) -> CompileError {
    CompileError::Source { file: path.to_string(), line: line as u32, detail: detail.into() }
}

/// The book's records by undotted code, and which are billable in each of
/// its releases (bit `r`).
struct Codes<'b> {
    book: &'b Book,
    by_code: HashMap<String, u32>,
}

impl<'b> Codes<'b> {
    fn new(book: &'b Book) -> Codes<'b> {
        let by_code = book.records.iter().enumerate().map(|(i, r)| (r.code.replace('.', ""), i as u32)).collect();
        Codes { book, by_code }
    }

    fn id(&self, code: &str) -> Option<u32> {
        self.by_code.get(&code.trim().replace('.', "").to_ascii_uppercase()).copied()
    }

    /// Release bits in which record `id` is billable.
    fn billable_mask(&self, id: u32) -> u8 {
        let r = &self.book.records[id as usize];
        match &r.span {
            Some(s) => s.billable,
            None if r.billable => (1u8 << self.book.releases.len().max(1)) - 1,
            None => 0,
        }
    }

    /// The billable records under header `id` (pre-order: they follow it).
    fn billable_under(&self, id: u32) -> Vec<u32> {
        let records = &self.book.records;
        let mut out = Vec::new();
        let mut j = id as usize + 1;
        while j < records.len() {
            let mut p = records[j].parent;
            let mut under = false;
            while let Some(q) = p {
                if q == id {
                    under = true;
                    break;
                }
                p = records[q as usize].parent;
            }
            if !under {
                break;
            }
            if self.billable_mask(j as u32) != 0 {
                out.push(j as u32);
            }
            j += 1;
        }
        out
    }

    /// The release bit of the book's release in force on `date`.
    fn release_bit(&self, date: u32) -> u8 {
        match self.book.releases.iter().position(|r| r.from <= date && date <= r.to) {
            Some(r) => 1 << r,
            None if self.book.releases.is_empty() => 1,
            None => 0,
        }
    }
}

/// A table being built: sources and periods interned.
struct Builder {
    table: EditTable,
}

impl Builder {
    fn new(name: &str, kind: u8) -> Builder {
        Builder { table: EditTable { name: name.to_string(), kind, ..EditTable::default() } }
    }

    fn period(&mut self, from: u32, to: u32, source: &str) -> u32 {
        let s = match self.table.sources.iter().position(|x| x == source) {
            Some(s) => s,
            None => {
                self.table.sources.push(source.to_string());
                self.table.sources.len() - 1
            }
        } as u32;
        let p = Period { from, to, source: s };
        match self.table.periods.iter().position(|x| *x == p) {
            Some(i) => i as u32,
            None => {
                self.table.periods.push(p);
                (self.table.periods.len() - 1) as u32
            }
        }
    }
}

/// `YYYYMMDD` or blank (0).
fn date(field: &str, path: &str, line: usize) -> Result<u32, CompileError> {
    let f = field.trim();
    if f.is_empty() {
        return Ok(0);
    }
    f.parse::<u32>()
        .ok()
        .filter(|d| (19000101..=21001231).contains(d))
        .ok_or_else(|| source_error(path, line, format!("{f:?} is not a YYYYMMDD date")))
}

/// One row of an MCE code master.
struct MceRow {
    code: String,
    from: u32,
    to: u32,
    bits: u32,
}

/// Parses an MCE code master (`code, start_date, end_date, attributes`).
/// Attributes the checks do not read (procedure-edit conditions) are
/// ignored; an unknown one is an error, so a new MCE attribute is noticed.
fn parse_mce(source: &Source) -> Result<Vec<MceRow>, CompileError> {
    parse_mce_rows(source, true)
}

/// [`parse_mce`]; `attributes: false` reads codes and dates only (an
/// ICD-10-PCS master, whose attributes are procedure edits).
fn parse_mce_rows((text, path): &Source, attributes: bool) -> Result<Vec<MceRow>, CompileError> {
    const KNOWN_UNUSED: [&str; 8] =
        ["female", "male", "delout", "diabtypeI", "clintrial", "ncov6", "ncov7", "ncov_z302"];
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 {
            return Err(source_error(path, n + 1, "expected 4 tab-separated fields"));
        }
        let mut bits = 0;
        for a in f[3].split(',').map(str::trim).filter(|a| attributes && !a.is_empty()) {
            match attr::NAMES.iter().find(|(name, _)| *name == a) {
                Some((_, b)) => bits |= b,
                None if KNOWN_UNUSED.contains(&a) => {}
                None => return Err(source_error(path, n + 1, format!("unknown MCE attribute {a:?}"))),
            }
        }
        out.push(MceRow {
            code: f[0].trim().to_string(),
            from: date(f[1], path, n + 1)?,
            to: date(f[2], path, n + 1)?,
            bits,
        });
    }
    Ok(out)
}

/// The codes of an MCE master in effect on `day`.
pub fn mce_codes_on(source: &Source, day: u32) -> Result<Vec<String>, CompileError> {
    let mut codes: Vec<String> = parse_mce_rows(source, false)?
        .into_iter()
        .filter(|r| r.from <= day && (r.to == 0 || day <= r.to))
        .map(|r| r.code)
        .collect();
    codes.sort();
    codes.dedup();
    Ok(codes)
}

/// Distinct codes of an MCE master, all dates.
pub fn mce_distinct_codes(source: &Source) -> Result<usize, CompileError> {
    let mut codes: Vec<String> = parse_mce_rows(source, false)?.into_iter().map(|r| r.code).collect();
    codes.sort();
    codes.dedup();
    Ok(codes.len())
}

/// The MCE table: v43.1 rows through FY2026's end, v44 rows from FY2027's
/// start, each clipped to that window. Also checks that each master's
/// codes on its release's first day are exactly the book's billable codes.
fn mce_table(
    codes: &Codes,
    sources: &EditSources,
    meta: &mut Vec<(String, String)>,
) -> Result<Option<EditTable>, CompileError> {
    let Some(base) = &sources.mce else { return Ok(None) };
    let mut b = Builder::new(table::MCE, KIND_ROWS);
    let mut parts = vec![(base, MCE_V43, FY2026_START, FY2026_END)];
    if let Some(later) = &sources.mce_later {
        parts.push((later, MCE_V44, FY2027_START, 0));
    }
    for (source, cite, start, end) in parts {
        let rows = parse_mce(source)?;
        // The master's code set on the release's (latest update's) first day.
        let check_day = codes
            .book
            .releases
            .iter()
            .filter(|r| r.from >= start && (end == 0 || r.from <= end))
            .map(|r| r.from)
            .max()
            .unwrap_or(start);
        let bit = codes.release_bit(check_day);
        let mut in_master: Vec<u32> = Vec::new();
        let mut missing: Vec<&str> = Vec::new();
        for r in &rows {
            if r.from <= check_day && (r.to == 0 || check_day <= r.to) {
                match codes.id(&r.code) {
                    Some(id) => in_master.push(id),
                    None => missing.push(&r.code),
                }
            }
        }
        in_master.sort_unstable();
        in_master.dedup();
        let book_set: Vec<u32> =
            (0..codes.book.records.len() as u32).filter(|&id| codes.billable_mask(id) & bit != 0).collect();
        if !missing.is_empty() || in_master != book_set {
            let extra: Vec<&str> = book_set
                .iter()
                .filter(|id| in_master.binary_search(id).is_err())
                .take(5)
                .map(|&id| codes.book.records[id as usize].code.as_str())
                .collect();
            return Err(source_error(
                &source.1,
                0,
                format!(
                    "the MCE codes on {check_day} ({}) are not the book's {} billable codes: not in the book {:?}, not in the MCE {:?}",
                    in_master.len() + missing.len(),
                    book_set.len(),
                    &missing[..missing.len().min(5)],
                    extra
                ),
            ));
        }
        meta.push((
            format!("edits.{}.codes_on_{check_day}", if end == 0 { "mce_v44" } else { "mce_v43_1" }),
            in_master.len().to_string(),
        ));
        for r in rows {
            if r.bits == 0 || (r.to != 0 && r.to < start) || (end != 0 && r.from > end) {
                continue;
            }
            let from = r.from.max(start);
            let to = match (r.to, end) {
                (0, e) => e,
                (t, 0) => t,
                (t, e) => t.min(e),
            };
            let Some(id) = codes.id(&r.code) else { continue };
            let p = b.period(from, to, cite);
            b.table.rows.push((id, r.bits, p));
        }
    }
    Ok(Some(b.table))
}

/// The MCE age groups (`age_group, start_age, end_age, start_date, end_date`).
fn age_groups_table((text, path): &Source) -> Result<EditTable, CompileError> {
    let mut b = Builder::new(table::AGE_GROUPS, KIND_ROWS);
    for (n, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || source_error(path, n + 1, "expected age_group, start_age, end_age, start_date, end_date");
        if f.len() != 5 {
            return Err(bad());
        }
        let group = attr::AGE_GROUPS
            .iter()
            .position(|(name, _)| *name == f[0].trim())
            .ok_or_else(|| source_error(path, n + 1, format!("unknown age group {:?}", f[0])))?;
        let (first, last): (u32, u32) =
            (f[1].trim().parse().map_err(|_| bad())?, f[2].trim().parse().map_err(|_| bad())?);
        if first > last || last > 255 {
            return Err(bad());
        }
        let p = b.period(date(f[3], path, n + 1)?, date(f[4], path, n + 1)?, MCE_V43);
        b.table.rows.push((group as u32, first << 8 | last, p));
    }
    Ok(b.table)
}

/// The last published sex edit (`code, sex, start_date, end_date`).
fn sex_table(codes: &Codes, (text, path): &Source) -> Result<EditTable, CompileError> {
    let mut b = Builder::new(table::SEX, KIND_ROWS);
    b.table.labels = vec![(1, "female".into()), (2, "male".into())];
    for (n, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 {
            return Err(source_error(path, n + 1, "expected code, sex, start_date, end_date"));
        }
        let sex = match f[1].trim() {
            "F" => 1,
            "M" => 2,
            s => return Err(source_error(path, n + 1, format!("sex {s:?} is neither F nor M"))),
        };
        // Codes deleted since are not in the book; their edit cannot apply.
        let Some(id) = codes.id(f[0]) else { continue };
        let p = b.period(date(f[2], path, n + 1)?, date(f[3], path, n + 1)?, SEX_V41);
        b.table.rows.push((id, sex, p));
    }
    Ok(b.table)
}

/// A CC or MCC list (`code<TAB>description`, dotted, after a title line
/// and a header line).
fn parse_level_list((text, path): &Source) -> Result<Vec<String>, CompileError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let Some((code, _)) = line.split_once('\t') else { continue };
        if code == "Diagnosis Code" {
            continue;
        }
        if code.is_empty() {
            break; // the notes after the list
        }
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') || code.len() < 3 {
            return Err(source_error(path, n + 1, format!("{code:?} is not a diagnosis code")));
        }
        out.push(code.replace('.', ""));
    }
    Ok(out)
}

/// Table 6K: Part 1's (code → level, collection) and the PDX collections.
struct CcExclusions {
    levels: HashMap<String, (u32, u32)>,
    collections: BTreeMap<u32, Vec<String>>,
}

fn parse_cc_exclusions((text, path): &Source) -> Result<CcExclusions, CompileError> {
    let mut levels = HashMap::new();
    let mut collections: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut current: Option<u32> = None;
    let mut part = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("K Part ") {
            part = line.as_bytes().get(7).map_or(0, |b| b - b'0');
            continue;
        }
        if part != 1 {
            continue;
        }
        if let Some(c) = line.strip_prefix("PDX collection ") {
            let c: u32 = c.trim().parse().map_err(|_| source_error(path, n + 1, "bad collection number"))?;
            current = Some(c);
            collections.entry(c).or_default();
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        match current {
            // Part 1's list: " A000    CC  0002:3 codes     Cholera …" or "… MCC No Excl …".
            None => {
                let (Some(code), Some(level), Some(excl)) = (f.first(), f.get(1), f.get(2)) else { continue };
                let level = match *level {
                    "CC" => 1,
                    "MCC" => 2,
                    _ => continue, // the column header
                };
                let collection = if *excl == "No" {
                    0
                } else {
                    excl.split(':')
                        .next()
                        .and_then(|c| c.parse().ok())
                        .ok_or_else(|| source_error(path, n + 1, format!("bad PDX exclusion {excl:?}")))?
                };
                levels.insert(code.to_string(), (level, collection));
            }
            Some(c) => {
                if let Some(code) = f.first() {
                    collections.entry(c).or_default().push(code.to_string());
                }
            }
        }
    }
    if levels.is_empty() || collections.is_empty() {
        return Err(source_error(path, 0, "no Part 1 list or PDX collections found"));
    }
    for (code, (_, c)) in &levels {
        if *c != 0 && !collections.contains_key(c) {
            return Err(source_error(path, 0, format!("{code} names PDX collection {c}, which the table lacks")));
        }
    }
    Ok(CcExclusions { levels, collections })
}

/// The CC/MCC table and the CC exclusion collections.
fn cc_tables(
    codes: &Codes,
    sources: &EditSources,
    meta: &mut Vec<(String, String)>,
) -> Result<Vec<EditTable>, CompileError> {
    let (Some(mcc), Some(cc), Some(excl)) = (&sources.mcc, &sources.cc, &sources.cc_exclusions) else {
        return Ok(Vec::new());
    };
    let excl_parsed = parse_cc_exclusions(excl)?;
    let mut b = Builder::new(table::CC_MCC, KIND_ROWS);
    b.table.labels = vec![(1, "CC".into()), (2, "MCC".into())];
    let mut parts = vec![(mcc, cc, MSDRG_V43, FY2026_START, FY2026_END)];
    if let (Some(m), Some(c)) = (&sources.mcc_later, &sources.cc_later) {
        parts.push((m, c, MSDRG_V44, FY2027_START, 0));
    }
    for (mcc, cc, cite, from, to) in parts {
        let p = b.period(from, to, cite);
        let mut counts = [0usize; 3];
        for (level, source) in [(2u32, mcc), (1u32, cc)] {
            for code in parse_level_list(source)? {
                let id = codes
                    .id(&code)
                    .ok_or_else(|| source_error(&source.1, 0, format!("{code} is not a code of the book")))?;
                let collection = match excl_parsed.levels.get(&code) {
                    Some(&(l, _)) if cite == MSDRG_V43 && l != level => {
                        return Err(source_error(
                            &excl.1,
                            0,
                            format!("{code}: Table 6K level differs from Tables 6I/6J"),
                        ))
                    }
                    Some(&(_, c)) => c,
                    None if cite == MSDRG_V43 => {
                        return Err(source_error(&excl.1, 0, format!("{code} is not in Table 6K Part 1")))
                    }
                    None => 0,
                };
                counts[level as usize] += 1;
                b.table.rows.push((id, level | collection << 2, p));
            }
        }
        let tag = if to == 0 { "v44" } else { "v43" };
        meta.push((format!("edits.msdrg_{tag}.mcc"), counts[2].to_string()));
        meta.push((format!("edits.msdrg_{tag}.cc"), counts[1].to_string()));
    }
    let mut x = Builder::new(table::CC_EXCLUSIONS, KIND_RANGES);
    x.table.sources.push(CC_EXCLUSION_V43.into());
    let mut unmatched = 0usize;
    for (c, members) in &excl_parsed.collections {
        let mut ids: Vec<u32> = members
            .iter()
            .filter_map(|m| {
                codes.id(m).or_else(|| {
                    unmatched += 1;
                    None
                })
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        // Runs of consecutive record ids.
        let mut i = 0;
        while i < ids.len() {
            let mut j = i + 1;
            while j < ids.len() && ids[j] == ids[j - 1] + 1 {
                j += 1;
            }
            x.table.rows.push((*c, ids[i], (j - i) as u32));
            i = j;
        }
    }
    if unmatched > 0 {
        return Err(source_error(&excl.1, 0, format!("{unmatched} PDX collection members are not codes of the book")));
    }
    meta.push(("edits.msdrg_v43.pdx_collections".into(), excl_parsed.collections.len().to_string()));
    Ok(vec![b.table, x.table])
}

/// One CSV line's cells ([`super::csv_fields`]); an open quote is an error
/// naming the file and line.
fn cells(line: &str, path: &str, n: usize) -> Result<Vec<String>, CompileError> {
    super::csv_fields(line).ok_or_else(|| source_error(path, n, "a quote is left open"))
}

/// "HCC38" or "38.0" → 38.
fn hcc_number(field: &str) -> Option<u32> {
    let f = field.trim().trim_start_matches('\u{feff}');
    let f = f.strip_prefix("HCC").unwrap_or(f);
    let f = f.strip_suffix(".0").unwrap_or(f);
    f.parse().ok().filter(|n| *n > 0 && *n <= hcc::NUMBER)
}

/// "age < 50" / "age >= 2" and "1.0" / "2.0" → the condition bits.
fn hcc_condition(age: &str, sex: &str) -> Option<u32> {
    let mut bits = 0;
    let age = age.trim();
    if !age.is_empty() {
        let (at_least, n) =
            if let Some(n) = age.strip_prefix("age >=") { (true, n) } else { (false, age.strip_prefix("age <")?) };
        let n: u32 = n.trim().parse().ok().filter(|n| *n < 256)?;
        bits |= hcc::HAS_AGE | n << hcc::AGE_SHIFT | if at_least { hcc::AGE_AT_LEAST } else { 0 };
    }
    match sex.trim() {
        "" => {}
        "1.0" | "1" => bits |= 1 << hcc::SEX_SHIFT,
        "2.0" | "2" => bits |= 2 << hcc::SEX_SHIFT,
        _ => return None,
    }
    Some(bits)
}

/// One HCC mapping: its citation, the dates of service it answers for,
/// and its (code, HCC | condition) pairs.
type MappingPart<'c> = (&'c str, u32, u32, Vec<(String, u32)>);

/// The HCC table (PY2026 with conditions; PY2027 derived) and hierarchy.
fn hcc_tables(
    codes: &Codes,
    sources: &EditSources,
    meta: &mut Vec<(String, String)>,
) -> Result<Vec<EditTable>, CompileError> {
    let Some(base) = &sources.hcc else { return Ok(Vec::new()) };
    let mut b = Builder::new(table::HCC, KIND_ROWS);
    // code → (hcc | condition) per source.
    let mut parts: Vec<MappingPart> = Vec::new();
    let mut pairs = Vec::new();
    for (n, line) in base.0.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let f = cells(line, &base.1, n + 1)?;
        if f.len() != 5 {
            return Err(source_error(
                &base.1,
                n + 1,
                "expected ICD10, CC, MCE_AGE_CONDITION, AGE_EDIT_CONDITION, SEX_EDIT_CONDITION",
            ));
        }
        let number = hcc_number(&f[1]).ok_or_else(|| source_error(&base.1, n + 1, format!("bad CC {:?}", f[1])))?;
        let cond = hcc_condition(&f[3], &f[4])
            .ok_or_else(|| source_error(&base.1, n + 1, format!("bad condition {:?} {:?}", f[3], f[4])))?;
        pairs.push((f[0].trim().to_string(), number | cond));
    }
    parts.push((HCC_PY2026, 20250101, 20251231, pairs));
    if let Some(later) = &sources.hcc_later {
        let mut pairs = Vec::new();
        for (n, line) in later.0.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
            let f = cells(line, &later.1, n + 1)?;
            if f.len() != 3 {
                return Err(source_error(&later.1, n + 1, "expected diagnosis_code, cc, model_name"));
            }
            if f[2].trim() != "CMS-HCC Model V28" {
                continue;
            }
            let number =
                hcc_number(&f[1]).ok_or_else(|| source_error(&later.1, n + 1, format!("bad CC {:?}", f[1])))?;
            pairs.push((f[0].trim().to_string(), number));
        }
        parts.push((HCC_PY2027, 20260101, 0, pairs));
    }
    for (cite, from, to, pairs) in parts {
        let p = b.period(from, to, cite);
        let mapped: std::collections::HashSet<u32> = pairs.iter().filter_map(|(c, _)| codes.id(c)).collect();
        let (mut unmatched, mut headers) = (Vec::new(), Vec::new());
        let mut codes_seen = std::collections::HashSet::new();
        for (code, value) in &pairs {
            codes_seen.insert(code.clone());
            let Some(id) = codes.id(code) else {
                unmatched.push(code.clone());
                continue;
            };
            if codes.billable_mask(id) != 0 {
                b.table.rows.push((id, *value, p));
            } else {
                // A code the book has as a header (D71, G35): its billable
                // codes, those the mapping does not name themselves.
                headers.push(code.clone());
                for child in codes.billable_under(id).into_iter().filter(|c| !mapped.contains(c)) {
                    b.table.rows.push((child, *value, p));
                }
            }
        }
        let tag = if to == 0 { "py2027" } else { "py2026" };
        meta.push((format!("edits.hcc_{tag}.codes"), codes_seen.len().to_string()));
        meta.push((format!("edits.hcc_{tag}.headers_mapped_to_children"), headers.join(" ")));
        meta.push((format!("edits.hcc_{tag}.not_in_book"), unmatched.join(" ")));
    }
    if let Some((text, path)) = &sources.hcc_labels {
        for (n, line) in text.lines().enumerate() {
            let f = cells(line, path, n + 1)?;
            if let (Some(n), Some(label)) =
                (f.first().and_then(|v| v.starts_with("HCC").then(|| hcc_number(v)).flatten()), f.get(1))
            {
                b.table.labels.push((n, label.trim().to_string()));
            }
        }
        if b.table.labels.is_empty() {
            return Err(source_error(path, 0, "no HCC labels found"));
        }
    }
    let mut out = vec![b.table];
    if let Some((text, path)) = &sources.hcc_hierarchy {
        let mut h = Builder::new(table::HCC_HIERARCHY, KIND_ROWS);
        let p = h.period(20250101, 0, HCC_HIERARCHY);
        for (n, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
            let f = cells(line, path, n + 1)?;
            let parent = hcc_number(&f[0]).ok_or_else(|| source_error(path, n + 1, format!("bad HCC {:?}", f[0])))?;
            for child in f[1..].iter().filter(|c| !c.trim().is_empty()) {
                let child = hcc_number(child).ok_or_else(|| source_error(path, n + 1, format!("bad HCC {child:?}")))?;
                h.table.rows.push((parent, child, p));
            }
        }
        meta.push(("edits.hcc_hierarchy.edges".into(), h.table.rows.len().to_string()));
        out.push(h.table);
    }
    Ok(out)
}

/// A PDPM comorbidity sheet: rows whose first cell is a sort order; the
/// description and the code columns are given (cells trimmed).
fn pdpm_table(
    name: &str,
    cite: &str,
    codes: &Codes,
    (text, path): &Source,
    code_column: usize,
) -> Result<EditTable, CompileError> {
    let mut b = Builder::new(name, KIND_ROWS);
    let p = b.period(FY2026_START, 0, cite);
    let mut keys: Vec<String> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let f = cells(line, path, n + 1)?;
        if f.first().and_then(|s| s.trim().parse::<u32>().ok()).is_none() {
            continue; // titles, notes, "End of worksheet"
        }
        let (Some(what), Some(code)) = (f.get(1), f.get(code_column)) else {
            return Err(source_error(path, n + 1, "short row"));
        };
        let what = what.trim().to_string();
        let key = match keys.iter().position(|k| *k == what) {
            Some(k) => k,
            None => {
                keys.push(what);
                keys.len() - 1
            }
        } as u32
            + 1;
        let id = codes
            .id(code)
            .ok_or_else(|| source_error(path, n + 1, format!("{} is not a code of the book", code.trim())))?;
        b.table.rows.push((id, key, p));
    }
    b.table.labels = keys.into_iter().enumerate().map(|(i, k)| (i as u32 + 1, k)).collect();
    if b.table.rows.is_empty() {
        return Err(source_error(path, 0, "no rows"));
    }
    Ok(b.table)
}

/// Compiles every table whose sources are given; the meta lines say what
/// was read (counts, headers mapped to their codes, codes not in the book).
pub fn compile(book: &Book, sources: &EditSources) -> Result<(EditTables, Vec<(String, String)>), CompileError> {
    let codes = Codes::new(book);
    let mut meta = Vec::new();
    let mut tables = Vec::new();
    if let Some(t) = mce_table(&codes, sources, &mut meta)? {
        tables.push(t);
    }
    if let Some(s) = &sources.age_ranges {
        tables.push(age_groups_table(s)?);
    }
    if let Some(s) = &sources.sex {
        tables.push(sex_table(&codes, s)?);
    }
    tables.extend(cc_tables(&codes, sources, &mut meta)?);
    tables.extend(hcc_tables(&codes, sources, &mut meta)?);
    if let Some(s) = &sources.pdpm_nta {
        tables.push(pdpm_table(table::PDPM_NTA, PDPM_NTA, &codes, s, 3)?);
    }
    if let Some(s) = &sources.pdpm_slp {
        tables.push(pdpm_table(table::PDPM_SLP, PDPM_SLP, &codes, s, 2)?);
    }
    for t in &mut tables {
        t.rows.sort_unstable();
        t.rows.dedup();
    }
    Ok((EditTables::new(tables), meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_conditions() {
        assert_eq!(cells("HCC2,\"Sepsis, Shock\",0.5", "t", 1).unwrap(), vec!["HCC2", "Sepsis, Shock", "0.5"]);
        assert!(cells("HCC2,\"Sepsis", "t", 1).is_err());
        assert_eq!(hcc_number("\u{feff}HCC38"), Some(38));
        assert_eq!(hcc_number("92.0"), Some(92));
        assert_eq!(hcc_number("x"), None);
        let c = hcc_condition("age >= 65", "1.0").unwrap();
        assert_eq!(c & hcc::HAS_AGE, hcc::HAS_AGE);
        assert_eq!(c & hcc::AGE_AT_LEAST, hcc::AGE_AT_LEAST);
        assert_eq!((c >> hcc::AGE_SHIFT) & 0xFF, 65);
        assert_eq!(c >> hcc::SEX_SHIFT & 3, 1);
        assert_eq!(hcc_condition("age <= 3", ""), None);
        assert_eq!(hcc_condition("", "3.0"), None);
    }
}
