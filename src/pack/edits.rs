//! `EDIT`: the claim-edit and payment tables of a book (the Medicare Code
//! Editor's attributes, MS-DRG CC/MCC and CC exclusions, CMS-HCC, PDPM),
//! resolved to record ids by the compiler so that a check reads them
//! without a second code map.
//!
//! Every table has the same shape, so one reader serves them all:
//!
//! ```text
//! varint table count
//! per table:
//!   string name            ("mce", "ccmcc", "hcc", …)
//!   u8 kind                (0 = rows, 1 = ranges)
//!   varint source count, strings          (citations: "MCE v43.1")
//!   varint period count, (from, to, source) varints
//!                                         (YYYYMMDD; to 0 = open)
//!   varint label count, (key, string)     (HCC 38 → its label)
//!   varint row count, varint byte length of the rows,
//!   (key delta, a, b) varints, keys ascending
//! ```
//!
//! A `rows` table's row is (key, value, period); a `ranges` table's is
//! (key, first record id, length): a CC exclusion collection is the
//! runs of record ids it holds. Strings are a varint length and UTF-8.
//!
//! The section is small next to the texts (it is decoded once, on the first
//! check or flag lookup, into sorted vectors), and it is optional: a pack
//! built without the payment tables has none, and a check then says so.

use crate::error::PackError;
use crate::varint;

/// Citations, one name per source: the compiler writes them into the
/// tables, every finding cites them.
pub mod cite {
    pub const MCE_V43: &str = "MCE v43.1";
    pub const MCE_V44: &str = "MCE v44 (derived)";
    pub const SEX_V41: &str = "MCE v41.1 sex edit (last published; CMS stopped enforcing it on 2024-10-01)";
    pub const MSDRG_V43: &str = "MS-DRG v43 (FY2026 Tables 6I/6J/6K)";
    pub const MSDRG_V44: &str = "MS-DRG v44 CC/MCC lists (derived; CC exclusions of v43 Table 6K)";
    pub const CC_EXCLUSION_V43: &str = "MS-DRG v43 CC exclusion (Table 6K)";
    pub const HCC_PY2026: &str = "CMS-HCC V28, payment year 2026";
    pub const HCC_PY2027: &str = "CMS-HCC V28, payment year 2027 (initial mapping, derived)";
    pub const HCC_HIERARCHY: &str = "CMS-HCC V28 hierarchy";
    pub const PDPM_NTA: &str = "PDPM FY2026 NTA comorbidity mapping";
    pub const PDPM_SLP: &str = "PDPM FY2026 SLP comorbidity mapping";
    /// Said after a citation when the date of service is past the last
    /// table loaded.
    pub const FALLBACK_HCC: &str = "the payment year 2028 mapping is not loaded: payment year 2027's is used";
    pub const FALLBACK_PDPM: &str = "the FY2027 PDPM mapping is not loaded: FY2026's is used";
    /// The last dates of service the latest loaded tables answer for:
    /// payment year 2027 pays on 2026's diagnoses; PDPM is FY2026's.
    pub const HCC_LAST_DAY: u32 = 20261231;
    pub const PDPM_LAST_DAY: u32 = 20260930;
}

/// Table names, one concept one name (the compiler writes them, the checks
/// read them).
pub mod table {
    /// MCE attribute bits of a diagnosis code (see `attr`).
    pub const MCE: &str = "mce";
    /// The last published MCE sex edit (v41.1): 1 female, 2 male.
    pub const SEX: &str = "sex";
    /// The MCE age groups: key = the group's `attr` bit index, value =
    /// first age << 8 | last age.
    pub const AGE_GROUPS: &str = "age-groups";
    /// MS-DRG severity: value = level (1 CC, 2 MCC) | PDX collection << 2
    /// (0: no exclusion).
    pub const CC_MCC: &str = "ccmcc";
    /// CC exclusion PDX collections: key = collection, ranges of record ids.
    pub const CC_EXCLUSIONS: &str = "cc-exclusions";
    /// CMS-HCC: value = HCC | condition (see `hcc`); labels by HCC.
    pub const HCC: &str = "hcc";
    /// The HCC hierarchy: key = HCC, value = an HCC it drops.
    pub const HCC_HIERARCHY: &str = "hcc-hierarchy";
    /// PDPM NTA comorbidities: value = label key.
    pub const PDPM_NTA: &str = "pdpm-nta";
    /// PDPM SLP comorbidities: value = label key.
    pub const PDPM_SLP: &str = "pdpm-slp";
}

/// MCE attribute bits (`table::MCE` values), in the MCE's own words.
pub mod attr {
    pub const NEWBORN: u32 = 1 << 0;
    pub const PEDIATRIC: u32 = 1 << 1;
    pub const MATERNITY: u32 = 1 << 2;
    pub const ADULT: u32 = 1 << 3;
    pub const MANIFESTATION: u32 = 1 << 4;
    pub const UNACCEPTABLE: u32 = 1 << 5;
    pub const REQUIRES_SECONDARY: u32 = 1 << 6;
    pub const QUESTIONABLE_ADMISSION: u32 = 1 << 7;
    pub const EXTERNAL_CAUSE: u32 = 1 << 8;
    pub const UNSPECIFIED: u32 = 1 << 9;
    pub const WRONG_PROCEDURE: u32 = 1 << 10;
    /// Attribute names of the MCE code master and their bits.
    pub const NAMES: [(&str, u32); 11] = [
        ("newborn", NEWBORN),
        ("pediatric", PEDIATRIC),
        ("maternity", MATERNITY),
        ("adult", ADULT),
        ("manifestation", MANIFESTATION),
        ("unacceptable", UNACCEPTABLE),
        ("reqsdx", REQUIRES_SECONDARY),
        ("qadm", QUESTIONABLE_ADMISSION),
        ("ecodepdx", EXTERNAL_CAUSE),
        ("unspecified", UNSPECIFIED),
        ("wrngproc", WRONG_PROCEDURE),
    ];
    /// The age groups, by bit index, as the MCE names them.
    pub const AGE_GROUPS: [(&str, u32); 4] =
        [("Newborn", NEWBORN), ("Pediatric", PEDIATRIC), ("Maternity", MATERNITY), ("Adult", ADULT)];
}

/// The condition bits of an `hcc` value: the model maps the code to this
/// HCC only for an age below or from a threshold, or for one sex.
pub mod hcc {
    /// Low 16 bits: the HCC number.
    pub const NUMBER: u32 = 0xFFFF;
    /// Bits 16..24: the age threshold.
    pub const AGE_SHIFT: u32 = 16;
    /// An age condition is present.
    pub const HAS_AGE: u32 = 1 << 24;
    /// The condition is `age >= threshold` (else `age < threshold`).
    pub const AGE_AT_LEAST: u32 = 1 << 25;
    /// Bits 26..28: 1 male, 2 female (the model's `SEX_EDIT_CONDITION`).
    pub const SEX_SHIFT: u32 = 26;
}

/// Table kinds.
pub const KIND_ROWS: u8 = 0;
pub const KIND_RANGES: u8 = 1;

/// Most tables, sources, periods, labels or rows a section may declare: a
/// forged count cannot make the reader allocate more than the section's
/// bytes could hold anyway.
const MAX_ITEMS: usize = 1 << 22;

/// When a source's table is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: u32,
    /// 0: still in force.
    pub to: u32,
    pub source: u32,
}

impl Period {
    /// Whether the period covers `date` (`YYYYMMDD`).
    pub fn covers(&self, date: u32) -> bool {
        self.from <= date && (self.to == 0 || date <= self.to)
    }
}

/// One decoded table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditTable {
    pub name: String,
    pub kind: u8,
    pub sources: Vec<String>,
    pub periods: Vec<Period>,
    pub labels: Vec<(u32, String)>,
    /// (key, a, b), keys ascending.
    pub rows: Vec<(u32, u32, u32)>,
    /// Where the rows of each block of `KEY_BLOCK` keys begin (filled by
    /// [`EditTables::parse`]): a key's rows are found by a jump and a short
    /// scan, not a binary search over the whole table, whose cache misses
    /// a search pays for every hit it flags.
    pub block_starts: Vec<u32>,
}

/// Keys per entry of [`EditTable::block_starts`].
const KEY_BLOCK: u32 = 32;

impl EditTable {
    /// The rows of `key`.
    pub fn rows_of(&self, key: u32) -> &[(u32, u32, u32)] {
        let block = (key / KEY_BLOCK) as usize;
        let (from, to) = match (self.block_starts.get(block), self.block_starts.get(block + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            (Some(&a), None) => (a as usize, self.rows.len()),
            _ if !self.block_starts.is_empty() => return &[],
            _ => (0, self.rows.len()),
        };
        let window = &self.rows[from.min(self.rows.len())..to.min(self.rows.len()).max(from.min(self.rows.len()))];
        let start = window.partition_point(|r| r.0 < key);
        let end = start + window[start..].partition_point(|r| r.0 == key);
        &window[start..end]
    }

    /// Fills [`EditTable::block_starts`] (rows sorted by key).
    fn index_blocks(&mut self) {
        let Some(last) = self.rows.last().map(|r| r.0) else { return };
        let blocks = (last / KEY_BLOCK) as usize + 1;
        let mut starts = Vec::with_capacity(blocks);
        let mut i = 0usize;
        for b in 0..blocks as u32 {
            while i < self.rows.len() && self.rows[i].0 < b * KEY_BLOCK {
                i += 1;
            }
            starts.push(i as u32);
        }
        self.block_starts = starts;
    }

    /// The values of `key` in force on `date`, each with its period.
    pub fn values_on(&self, key: u32, date: u32) -> impl Iterator<Item = (u32, &Period)> + '_ {
        self.rows_of(key).iter().filter_map(move |&(_, value, period)| {
            let p = self.periods.get(period as usize)?;
            p.covers(date).then_some((value, p))
        })
    }

    /// The period in force on `date` latest to start, else the latest
    /// before it, else none: which source answers for that date.
    pub fn period_for(&self, date: u32) -> Option<&Period> {
        self.periods
            .iter()
            .filter(|p| p.covers(date))
            .max_by_key(|p| p.from)
            .or_else(|| self.periods.iter().filter(|p| p.from <= date).max_by_key(|p| p.from))
    }

    /// A source's citation.
    pub fn source(&self, period: &Period) -> &str {
        self.sources.get(period.source as usize).map_or("", String::as_str)
    }

    /// The label of `key`.
    pub fn label(&self, key: u32) -> Option<&str> {
        let i = self.labels.binary_search_by_key(&key, |l| l.0).ok()?;
        Some(self.labels[i].1.as_str())
    }

    /// A ranges table: whether `id` is in the ranges of `key`.
    pub fn range_holds(&self, key: u32, id: u32) -> bool {
        self.rows_of(key).iter().any(|&(_, start, len)| id >= start && id - start < len)
    }
}

/// Every table of the section. The `rows` tables are decoded with the
/// section (a code's flags read them all); the `ranges` tables (the CC
/// exclusions, half the section) only when a check first asks
/// ([`EditTables::get_ranges`]): a search that flags its hits never does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditTables {
    pub tables: Vec<EditTable>,
    deferred: Vec<Deferred>,
}

/// A `ranges` table read on first use: its header, its rows' bytes and count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Deferred {
    header: EditTable,
    bytes: Vec<u8>,
    count: usize,
    decoded: std::sync::OnceLock<Result<EditTable, PackError>>,
}

impl EditTables {
    /// Tables as the compiler builds them (every table decoded).
    pub fn new(tables: Vec<EditTable>) -> EditTables {
        EditTables { tables, deferred: Vec::new() }
    }

    /// The `rows` table named `name`.
    pub fn get(&self, name: &str) -> Option<&EditTable> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The `ranges` table named `name`, decoded on first use (a malformed
    /// one is an error of that call).
    pub fn get_ranges(&self, name: &str) -> Result<Option<&EditTable>, PackError> {
        if let Some(t) = self.tables.iter().find(|t| t.name == name) {
            return Ok(Some(t));
        }
        let Some(d) = self.deferred.iter().find(|d| d.header.name == name) else { return Ok(None) };
        let decoded = d.decoded.get_or_init(|| {
            let rows = decode_rows(&d.bytes, d.count, KIND_RANGES, 0)?;
            let mut table = EditTable { rows, ..d.header.clone() };
            table.index_blocks();
            Ok(table)
        });
        match decoded {
            Ok(t) => Ok(Some(t)),
            Err(e) => Err(e.clone()),
        }
    }

    /// Decodes the section (bounds-checked: a malformed section is an error,
    /// never a panic or an allocation beyond its size).
    pub fn parse(bytes: &[u8]) -> Result<EditTables, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "EDIT", detail };
        let mut pos = 0usize;
        let count = |pos: &mut usize, min_bytes: usize| -> Result<usize, PackError> {
            let n = varint::read_u32(bytes, pos).ok_or_else(|| corrupt("truncated count"))? as usize;
            if n > MAX_ITEMS || n.saturating_mul(min_bytes) > bytes.len().saturating_sub(*pos) {
                return Err(corrupt("count larger than the section"));
            }
            Ok(n)
        };
        let number = |pos: &mut usize| varint::read_u32(bytes, pos).ok_or_else(|| corrupt("truncated number"));
        let string = |pos: &mut usize| -> Result<String, PackError> {
            let len = varint::read_u32(bytes, pos).ok_or_else(|| corrupt("truncated string"))? as usize;
            let end = pos.checked_add(len).ok_or_else(|| corrupt("string overflows"))?;
            let s = bytes.get(*pos..end).ok_or_else(|| corrupt("string past the end"))?;
            *pos = end;
            String::from_utf8(s.to_vec()).map_err(|_| corrupt("string is not UTF-8"))
        };
        let n_tables = count(&mut pos, 5)?;
        let mut tables = Vec::with_capacity(n_tables);
        let mut deferred = Vec::new();
        for _ in 0..n_tables {
            let name = string(&mut pos)?;
            let kind = *bytes.get(pos).ok_or_else(|| corrupt("no table kind"))?;
            pos += 1;
            if kind > KIND_RANGES {
                return Err(corrupt("unknown table kind"));
            }
            let n = count(&mut pos, 1)?;
            let mut sources = Vec::with_capacity(n);
            for _ in 0..n {
                sources.push(string(&mut pos)?);
            }
            let n = count(&mut pos, 3)?;
            let mut periods = Vec::with_capacity(n);
            for _ in 0..n {
                let (from, to, source) = (number(&mut pos)?, number(&mut pos)?, number(&mut pos)?);
                if source as usize >= sources.len() {
                    return Err(corrupt("period names a missing source"));
                }
                periods.push(Period { from, to, source });
            }
            let n = count(&mut pos, 2)?;
            let mut labels = Vec::with_capacity(n);
            for _ in 0..n {
                labels.push((number(&mut pos)?, string(&mut pos)?));
            }
            if labels.windows(2).any(|w| w[0].0 >= w[1].0) {
                return Err(corrupt("labels out of order"));
            }
            let n = count(&mut pos, 3)?;
            let len = number(&mut pos)? as usize;
            let end = pos.checked_add(len).ok_or_else(|| corrupt("rows overflow"))?;
            let rows_bytes = bytes.get(pos..end).ok_or_else(|| corrupt("rows past the end"))?;
            pos = end;
            let header = EditTable { name, kind, sources, periods, labels, rows: Vec::new(), block_starts: Vec::new() };
            if kind == KIND_RANGES {
                deferred.push(Deferred { header, bytes: rows_bytes.to_vec(), count: n, decoded: Default::default() });
                continue;
            }
            let rows = decode_rows(rows_bytes, n, kind, header.periods.len())?;
            let mut table = EditTable { rows, ..header };
            table.index_blocks();
            tables.push(table);
        }
        if pos != bytes.len() {
            return Err(corrupt("bytes after the last table"));
        }
        Ok(EditTables { tables, deferred })
    }

    /// The section's bytes (rows are sorted by key here).
    #[cfg(feature = "compiler")]
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let string = |out: &mut Vec<u8>, s: &str| {
            varint::write(out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        };
        varint::write(&mut out, self.tables.len() as u64);
        for t in &self.tables {
            string(&mut out, &t.name);
            out.push(t.kind);
            varint::write(&mut out, t.sources.len() as u64);
            for s in &t.sources {
                string(&mut out, s);
            }
            varint::write(&mut out, t.periods.len() as u64);
            for p in &t.periods {
                for v in [p.from, p.to, p.source] {
                    varint::write(&mut out, u64::from(v));
                }
            }
            let mut labels = t.labels.clone();
            labels.sort();
            labels.dedup_by_key(|l| l.0);
            varint::write(&mut out, labels.len() as u64);
            for (k, s) in &labels {
                varint::write(&mut out, u64::from(*k));
                string(&mut out, s);
            }
            let mut rows = t.rows.clone();
            rows.sort();
            rows.dedup();
            varint::write(&mut out, rows.len() as u64);
            let mut encoded = Vec::new();
            let mut key = 0u32;
            for (k, a, b) in rows {
                for v in [k - key, a, b] {
                    varint::write(&mut encoded, u64::from(v));
                }
                key = k;
            }
            varint::write(&mut out, encoded.len() as u64);
            out.extend_from_slice(&encoded);
        }
        out
    }
}

/// A table's `count` rows from their bytes, which they must fill exactly;
/// a `rows` row's period must be one of the table's `periods`.
fn decode_rows(bytes: &[u8], count: usize, kind: u8, periods: usize) -> Result<Vec<(u32, u32, u32)>, PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "EDIT", detail };
    if count.saturating_mul(3) > bytes.len() {
        return Err(corrupt("more rows than their bytes hold"));
    }
    let mut pos = 0usize;
    let mut rows = Vec::with_capacity(count);
    let mut key = 0u32;
    let number = |pos: &mut usize| varint::read_u32(bytes, pos).ok_or_else(|| corrupt("truncated row"));
    for _ in 0..count {
        key = key.checked_add(number(&mut pos)?).ok_or_else(|| corrupt("key overflows"))?;
        let (a, b) = (number(&mut pos)?, number(&mut pos)?);
        if kind == KIND_ROWS && b as usize >= periods {
            return Err(corrupt("row names a missing period"));
        }
        rows.push((key, a, b));
    }
    if pos != bytes.len() {
        return Err(corrupt("rows shorter than their bytes"));
    }
    Ok(rows)
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    fn sample() -> EditTables {
        EditTables::new(vec![
            EditTable {
                name: table::CC_MCC.into(),
                kind: KIND_ROWS,
                sources: vec!["MS-DRG v43".into(), "MS-DRG v44".into()],
                periods: vec![
                    Period { from: 20251001, to: 20260930, source: 0 },
                    Period { from: 20261001, to: 0, source: 1 },
                ],
                labels: vec![(2, "MCC".into()), (1, "CC".into())],
                rows: vec![(7, 2 | 5 << 2, 1), (3, 1, 0), (7, 1 | 5 << 2, 0)],
                block_starts: Vec::new(),
            },
            EditTable {
                name: table::CC_EXCLUSIONS.into(),
                kind: KIND_RANGES,
                sources: vec!["Table 6K".into()],
                periods: vec![],
                labels: vec![],
                rows: vec![(5, 100, 3), (5, 200, 1), (70, 1, 1)],
                block_starts: Vec::new(),
            },
        ])
    }

    #[test]
    fn round_trip_and_lookups() {
        let bytes = sample().write();
        let t = EditTables::parse(&bytes).unwrap();
        let cc = t.get(table::CC_MCC).unwrap();
        assert_eq!(cc.values_on(7, 20260101).map(|v| v.0).collect::<Vec<_>>(), vec![1 | 5 << 2]);
        assert_eq!(cc.values_on(7, 20270101).map(|v| v.0).collect::<Vec<_>>(), vec![2 | 5 << 2]);
        assert_eq!(cc.values_on(3, 20270101).count(), 0);
        assert_eq!(cc.label(1), Some("CC"));
        assert_eq!(cc.source(cc.period_for(20280101).unwrap()), "MS-DRG v44");
        assert!(t.get(table::CC_EXCLUSIONS).is_none(), "a ranges table is read on first use");
        let x = t.get_ranges(table::CC_EXCLUSIONS).unwrap().unwrap();
        assert!(x.range_holds(5, 102) && x.range_holds(5, 200));
        assert!(!x.range_holds(5, 103) && !x.range_holds(4, 100));
        // Keys of later blocks, and past the last.
        assert!(x.range_holds(70, 1) && !x.range_holds(69, 1) && x.rows_of(1000).is_empty());
    }

    #[test]
    fn malformed_sections_are_errors() {
        let bytes = sample().write();
        for cut in 0..bytes.len() {
            assert!(EditTables::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut forged = bytes.clone();
        forged[0] = 0x7f; // 127 tables in a tiny section
        assert!(EditTables::parse(&forged).is_err());
        let mut extra = bytes;
        extra.push(0);
        assert!(EditTables::parse(&extra).is_err());
    }
}
