//! General Equivalence Mappings (CMS GEMs) between ICD-9-CM and ICD-10, in
//! CMS's fixed-width files (the final 2018 release: `2018_I9gem.txt`,
//! `2018_I10gem.txt`, `gem_i9pcs.txt`, `gem_pcsi9.txt`; NBER's CSV rendering
//! is read too) → [`Crosswalk`]s kept in the ICD-9-CM packs.
//!
//! Each row keeps its flags: approximate, no map, combination, scenario and
//! choice list. The GEMs end with FY2018, so some ICD-10 targets are no
//! longer codes of the release in force: a target that has become a header
//! is followed to its valid descendants (flagged refined, the original kept),
//! and a target that no longer exists is kept and flagged not in release, so
//! that nothing is silently dropped.

use super::{Book, CompileError};
use crate::model::CodeSystem;
use std::collections::{BTreeMap, HashMap};

use crate::pack::format::{
    XW_APPROXIMATE as APPROXIMATE, XW_COMBINATION as COMBINATION, XW_NOT_IN_RELEASE as NOT_IN_RELEASE,
    XW_NO_MAP as NO_MAP, XW_REFINED as REFINED,
};

/// Which way a crosswalk goes, seen from the book that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From this book's codes to the other system's.
    From = 0,
    /// From the other system's codes to this book's.
    To = 1,
}

/// One target of a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The target code in its official form; empty for "no map".
    pub code: String,
    /// For a crosswalk into this book: the target's record index.
    pub record: Option<u32>,
    pub flags: u8,
    pub scenario: u8,
    pub choice: u8,
    /// For a refined target, the GEM's original target.
    pub via: Option<String>,
}

/// A crosswalk as the compiler builds it: source code (normalized) → targets.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub direction: Direction,
    pub other: &'static CodeSystem,
    /// What the crosswalk is ("CMS General Equivalence Mappings (2018_I9gem.txt)").
    pub label: String,
    pub entries: BTreeMap<String, Vec<Target>>,
}

/// One row of a GEM file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u32,
    pub source: String,
    /// `None` for "no map".
    pub target: Option<String>,
    pub flags: u8,
    pub scenario: u8,
    pub choice: u8,
}

fn bad(file: &str, line: u32, detail: String) -> CompileError {
    CompileError::Source { file: file.to_string(), line, detail }
}

/// `"10000"` → (flags, scenario, choice).
fn flags(file: &str, line: u32, s: &str) -> Result<(u8, u8, u8), CompileError> {
    let b = s.as_bytes();
    if b.len() != 5 || !b.iter().all(u8::is_ascii_digit) || b[..3].iter().any(|&c| c > b'1') {
        return Err(bad(
            file,
            line,
            format!("flags {s:?} are not five digits (approximate, no map, combination, scenario, choice)"),
        ));
    }
    let mut f = 0;
    if b[0] == b'1' {
        f |= APPROXIMATE;
    }
    if b[1] == b'1' {
        f |= NO_MAP;
    }
    if b[2] == b'1' {
        f |= COMBINATION;
    }
    Ok((f, b[3] - b'0', b[4] - b'0'))
}

fn is_no_map(target: &str) -> bool {
    target.starts_with("No")
}

/// CMS fixed-width rows: `source target flags`, separated by spaces.
pub fn parse_fixed(bytes: &[u8], file: &str) -> Result<Vec<Row>, CompileError> {
    let text = std::str::from_utf8(bytes).map_err(|e| bad(file, 0, format!("not text: {e}")))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [source, target, f] = fields[..] else {
            return Err(bad(file, n, format!("expected three fields, got {line:?}")));
        };
        let (mut flags, scenario, choice) = flags(file, n, f)?;
        // Codes are upper case; CMS's 2018 I10gem writes one target in lower
        // case (`T8853XD v5889`), which is the code V58.89.
        let target = (!is_no_map(target)).then(|| target.to_ascii_uppercase());
        let source = source.to_ascii_uppercase();
        if target.is_none() {
            // The files sometimes write "NoI9" with the no-map flag clear.
            flags |= NO_MAP;
        } else if flags & NO_MAP != 0 {
            return Err(bad(file, n, format!("{source}: flagged as no map but maps to {target:?}")));
        }
        rows.push(Row { line: n, source, target, flags, scenario, choice });
    }
    if rows.is_empty() {
        return Err(bad(file, 1, "no rows".into()));
    }
    Ok(rows)
}

/// NBER's CSV: a header row naming the source and target columns, then
/// `"source","target","flags",...`.
pub fn parse_csv(bytes: &[u8], file: &str) -> Result<Vec<Row>, CompileError> {
    let text = std::str::from_utf8(bytes).map_err(|e| bad(file, 0, format!("not text: {e}")))?;
    let mut rows = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.contains("flags") => {}
        _ => return Err(bad(file, 1, "no header row with a flags column".into())),
    }
    for (i, line) in lines {
        let n = i as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"')).collect();
        if fields.len() < 3 {
            return Err(bad(file, n, format!("expected source, target and flags, got {line:?}")));
        }
        let (mut flags, scenario, choice) = flags(file, n, fields[2])?;
        let target = (!is_no_map(fields[1])).then(|| fields[1].to_string());
        if target.is_none() {
            flags |= NO_MAP;
        } else if flags & NO_MAP != 0 {
            return Err(bad(file, n, format!("{}: flagged as no map but maps to {}", fields[0], fields[1])));
        }
        rows.push(Row { line: n, source: fields[0].to_string(), target, flags, scenario, choice });
    }
    if rows.is_empty() {
        return Err(bad(file, 2, "no rows".into()));
    }
    Ok(rows)
}

/// The codes of a book, to check and refine targets against.
pub struct CodeIndex {
    /// Normalized code → (display code, billable).
    codes: HashMap<String, (String, bool)>,
    /// Normalized billable codes, sorted, for descendant look-ups.
    billable: Vec<String>,
}

impl CodeIndex {
    pub fn new(book: &Book) -> CodeIndex {
        let mut codes = HashMap::with_capacity(book.records.len());
        let mut billable = Vec::new();
        for r in &book.records {
            let norm: String = r.code.chars().filter(|c| *c != '.').collect();
            if r.billable {
                billable.push(norm.clone());
            }
            codes.insert(norm, (r.code.clone(), r.billable));
        }
        billable.sort_unstable();
        CodeIndex { codes, billable }
    }

    /// A code in its official form when the book has it (a header, say),
    /// else as given.
    fn display(&self, normalized: &str) -> String {
        self.codes.get(normalized).map_or_else(|| normalized.to_string(), |(d, _)| d.clone())
    }

    /// The target as the current release has it: itself, its billable
    /// descendants (refined), or flagged as not in the release.
    fn resolve(&self, target: &str) -> Vec<(String, u8, Option<String>)> {
        if let Some((display, true)) = self.codes.get(target) {
            return vec![(display.clone(), 0, None)];
        }
        let start = self.billable.partition_point(|c| c.as_str() < target);
        let descendants: Vec<(String, u8, Option<String>)> = self.billable[start..]
            .iter()
            .take_while(|c| c.starts_with(target))
            .filter_map(|c| self.codes.get(c).map(|(d, _)| (d.clone(), REFINED, Some(self.display(target)))))
            .collect();
        if descendants.is_empty() {
            vec![(target.to_string(), NOT_IN_RELEASE, None)]
        } else {
            descendants
        }
    }
}

/// Builds a crosswalk from GEM rows. `resolve` checks targets against the
/// target book (forward maps); `display` writes source and target codes in
/// their official form when the target book is this one (backward maps).
pub fn crosswalk(
    rows: &[Row],
    direction: Direction,
    other: &'static CodeSystem,
    label: &str,
    targets: Option<&CodeIndex>,
    target_display: &dyn Fn(&str) -> String,
) -> Crosswalk {
    let mut entries: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    for row in rows {
        let list = entries.entry(row.source.clone()).or_default();
        let Some(t) = &row.target else {
            list.push(Target {
                code: String::new(),
                record: None,
                flags: row.flags,
                scenario: row.scenario,
                choice: row.choice,
                via: None,
            });
            continue;
        };
        let resolved = match targets {
            Some(index) => index.resolve(t),
            None => vec![(target_display(t), 0, None)],
        };
        for (code, extra, via) in resolved {
            if !list.iter().any(|x| x.code == code && x.scenario == row.scenario && x.choice == row.choice) {
                list.push(Target {
                    code,
                    record: None,
                    flags: row.flags | extra,
                    scenario: row.scenario,
                    choice: row.choice,
                    via,
                });
            }
        }
    }
    Crosswalk { direction, other, label: label.to_string(), entries }
}

/// Points the targets of a crosswalk into `book` (this book) at their
/// records; a target the book does not have is an error.
pub fn link_targets(cw: &mut Crosswalk, book: &Book) -> Result<(), CompileError> {
    let index: HashMap<&str, u32> = book.records.iter().enumerate().map(|(i, r)| (r.code.as_str(), i as u32)).collect();
    for (source, targets) in &mut cw.entries {
        for t in targets.iter_mut().filter(|t| !t.code.is_empty()) {
            let id = index.get(t.code.as_str()).ok_or_else(|| {
                CompileError::Invalid(format!("{}: {source} maps to {}, which is not in the book", cw.label, t.code))
            })?;
            t.record = Some(*id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_flags() {
        let rows = parse_fixed(b"0001  6A750Z4 10000\r\n0011  NoPCS   11000\r\n", "gem.txt").unwrap();
        assert_eq!(
            rows[0],
            Row {
                line: 1,
                source: "0001".into(),
                target: Some("6A750Z4".into()),
                flags: APPROXIMATE,
                scenario: 0,
                choice: 0
            }
        );
        assert_eq!(rows[1].target, None);
        assert_eq!(rows[1].flags, APPROXIMATE | NO_MAP);
        let rows = parse_csv(
            b"\"icd9cm\",\"icd10cm\",\"flags\"\n\"25000\",\"E119\",\"00000\"\n\"8830\",\"S62609A\",\"10112\"\n",
            "g.csv",
        )
        .unwrap();
        assert_eq!(rows[1].flags, APPROXIMATE | COMBINATION);
        assert_eq!((rows[1].scenario, rows[1].choice), (1, 2));
    }

    #[test]
    fn malformed_rows_are_located() {
        let e = parse_fixed(b"0001  6A750Z4 10000\n0002 6A750Z4\n", "gem.txt").unwrap_err().to_string();
        assert!(e.starts_with("gem.txt:2:"), "{e}");
        let e = parse_fixed(b"0001  6A750Z4 1x000\n", "gem.txt").unwrap_err().to_string();
        assert!(e.contains("five digits"), "{e}");
        let e = parse_fixed(b"0001  6A750Z4 11000\n", "gem.txt").unwrap_err().to_string();
        assert!(e.contains("flagged as no map"), "{e}");
        // "No…" with the flag clear is read as no map.
        assert_eq!(parse_fixed(b"0001  NoPCS 10000\n", "gem.txt").unwrap()[0].flags, APPROXIMATE | NO_MAP);
    }
}
