//! What a code weighs on a claim, read from the pack's `EDIT` tables on the
//! date of service: its MS-DRG severity (CC or MCC), its CMS-HCC, its PDPM
//! comorbidities and its Medicare Code Editor attributes. `lookup` and
//! `search` carry these as `flags`, the picker shows them as badges, and
//! `check` reads the same tables for its findings (`check::payment`).

use crate::error::PackError;
use crate::pack::edits::{attr, hcc, table, EditTable, EditTables};
use crate::pack::Pack;
use serde::Serialize;

/// A code's flags; empty parts are left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeFlags {
    /// `CC` or `MCC` as a secondary diagnosis (MS-DRG).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc_mcc: Option<&'static str>,
    /// The CMS-HCC V28 categories it maps to (some only for an age or sex).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hcc: Vec<HccFlag>,
    /// PDPM comorbidities (nursing homes).
    #[serde(skip_serializing_if = "Pdpm::is_empty")]
    pub pdpm: Pdpm,
    /// Medicare Code Editor attributes, in words (`newborn (age 0)`,
    /// `manifestation`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mce: Vec<String>,
}

impl CodeFlags {
    pub fn is_empty(&self) -> bool {
        self.cc_mcc.is_none() && self.hcc.is_empty() && self.pdpm.is_empty() && self.mce.is_empty()
    }
}

/// One HCC a code maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HccFlag {
    pub hcc: u32,
    pub label: String,
    /// Only when the patient's age or sex is this (`age < 50`, `female`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// PDPM comorbidities: non-therapy ancillary (NTA) and speech-language
/// pathology (SLP).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pdpm {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nta: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slp: Vec<String>,
}

impl Pdpm {
    pub fn is_empty(&self) -> bool {
        self.nta.is_empty() && self.slp.is_empty()
    }
}

/// The date the tables are read for: the book's date of service, else the
/// first day of the release in force.
pub fn edit_date(pack: &Pack<'_>) -> u32 {
    match pack.today() {
        0 => pack.release_in_force().map_or(0, |r| r.from),
        d => d,
    }
}

/// An HCC row's condition in words; `None` when it has none.
pub fn hcc_condition(value: u32) -> Option<String> {
    let mut parts = Vec::new();
    if value & hcc::HAS_AGE != 0 {
        let n = (value >> hcc::AGE_SHIFT) & 0xFF;
        parts.push(if value & hcc::AGE_AT_LEAST != 0 { format!("age ≥ {n}") } else { format!("age < {n}") });
    }
    match (value >> hcc::SEX_SHIFT) & 3 {
        1 => parts.push("male".to_string()),
        2 => parts.push("female".to_string()),
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// HCC rows of one code with their complementary age conditions merged:
/// "HCC 50 if age < 21" and "HCC 50 if age ≥ 21" are HCC 50 at any age (the
/// sex condition, if any, stays).
pub fn merge_complementary(values: &[u32]) -> Vec<u32> {
    let age_bits = hcc::HAS_AGE | hcc::AGE_AT_LEAST | (0xFF << hcc::AGE_SHIFT);
    let mut out: Vec<u32> = Vec::with_capacity(values.len());
    for &v in values {
        let complement = v ^ hcc::AGE_AT_LEAST;
        if v & hcc::HAS_AGE != 0 {
            if let Some(i) = out.iter().position(|&o| o == complement) {
                out[i] = v & !age_bits;
                continue;
            }
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Whether an HCC row's condition holds for the patient (an unknown age or
/// sex holds: the row is kept, its condition shown).
pub fn hcc_condition_holds(value: u32, age: Option<u32>, sex: Option<Sex>) -> bool {
    if let (true, Some(age)) = (value & hcc::HAS_AGE != 0, age) {
        let n = (value >> hcc::AGE_SHIFT) & 0xFF;
        let at_least = value & hcc::AGE_AT_LEAST != 0;
        if at_least != (age >= n) {
            return false;
        }
    }
    !matches!(((value >> hcc::SEX_SHIFT) & 3, sex), (1, Some(Sex::Female)) | (2, Some(Sex::Male)))
}

/// A patient's sex as the edits read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    /// `F`, `M`, `female`, `male` (any case); `U` or `unknown`: not given.
    pub fn parse(s: &str) -> Result<Option<Sex>, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f" | "female" => Ok(Some(Sex::Female)),
            "m" | "male" => Ok(Some(Sex::Male)),
            "u" | "unknown" | "" => Ok(None),
            other => Err(format!("sex {other:?} is not F, M or U (unknown)")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

/// The MCE age group `bit` on `date`: (name, first age, last age).
pub fn age_group(tables: &EditTables, bit: u32, date: u32) -> Option<(&'static str, u32, u32)> {
    let index = attr::AGE_GROUPS.iter().position(|(_, b)| *b == bit)?;
    let (value, _) = tables.get(table::AGE_GROUPS)?.values_on(index as u32, date).next()?;
    Some((attr::AGE_GROUPS[index].0, value >> 8, value & 0xFF))
}

/// The MCE attribute bits of record `id` on `date`, with the citation of
/// the table that says so.
pub fn mce_bits(tables: &EditTables, id: u32, date: u32) -> Option<(u32, &str)> {
    let t = tables.get(table::MCE)?;
    let mut bits = 0;
    let mut source = "";
    for (b, p) in t.values_on(id, date) {
        bits |= b;
        source = t.source(p);
    }
    (bits != 0).then_some((bits, source))
}

/// The labels of a PDPM table's rows for record `id` on `date`.
fn pdpm_labels(t: Option<&EditTable>, id: u32, date: u32) -> Vec<String> {
    let Some(t) = t else { return Vec::new() };
    let mut out: Vec<String> = t.values_on(id, date).filter_map(|(k, _)| t.label(k).map(str::to_string)).collect();
    out.dedup();
    out
}

/// The flags of record `id` (`None` when the pack has no `EDIT` tables or
/// the code has no flag).
pub fn flags(pack: &Pack<'_>, id: u32) -> Result<Option<CodeFlags>, PackError> {
    let Some(tables) = pack.edits()? else { return Ok(None) };
    let date = edit_date(pack);
    let mut out = CodeFlags::default();
    if let Some(t) = tables.get(table::CC_MCC) {
        out.cc_mcc = t.values_on(id, date).next().map(|(v, _)| if v & 3 == 2 { "MCC" } else { "CC" });
    }
    if let Some(t) = tables.get(table::HCC) {
        let values: Vec<u32> = t.values_on(id, date).map(|(v, _)| v).collect();
        for v in merge_complementary(&values) {
            let number = v & hcc::NUMBER;
            out.hcc.push(HccFlag {
                hcc: number,
                label: t.label(number).unwrap_or("").to_string(),
                condition: hcc_condition(v),
            });
        }
    }
    out.pdpm.nta = pdpm_labels(tables.get(table::PDPM_NTA), id, date);
    out.pdpm.slp = pdpm_labels(tables.get(table::PDPM_SLP), id, date);
    if let Some((bits, _)) = mce_bits(tables, id, date) {
        for (name, bit) in attr::NAMES {
            if bits & bit == 0 {
                continue;
            }
            out.mce.push(match age_group(tables, bit, date) {
                Some((_, first, last)) if first == last => format!("{name} (age {first})"),
                Some((_, first, last)) => format!("{name} (age {first}–{last})"),
                None => mce_words(name).to_string(),
            });
        }
    }
    // The last published sex edit, whatever the date: CMS no longer
    // enforces it, a coder still wants to know.
    if let Some(&(_, sex, _)) = tables.get(table::SEX).and_then(|t| t.rows_of(id).first()) {
        let who = if sex == 1 { "female" } else { "male" };
        out.mce.push(format!("{who} only (last published sex edit, MCE v41.1; no longer enforced)"));
    }
    Ok((!out.is_empty()).then_some(out))
}

/// An MCE attribute in a coder's words.
fn mce_words(name: &str) -> &str {
    match name {
        "manifestation" => "manifestation (not principal)",
        "unacceptable" => "unacceptable as principal",
        "reqsdx" => "principal only with a secondary diagnosis",
        "qadm" => "questionable admission",
        "ecodepdx" => "external cause (not principal)",
        "unspecified" => "unspecified code",
        "wrngproc" => "wrong procedure performed",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complementary_age_conditions_merge_and_sex_stays() {
        let age =
            |n: u32, at_least: bool| hcc::HAS_AGE | n << hcc::AGE_SHIFT | if at_least { hcc::AGE_AT_LEAST } else { 0 };
        let male = 1 << hcc::SEX_SHIFT;
        assert_eq!(merge_complementary(&[50 | age(21, false), 50 | age(21, true)]), vec![50]);
        assert_eq!(
            merge_complementary(&[111 | age(65, false) | male, 111 | age(65, true) | male, 112]),
            vec![111 | male, 112]
        );
        // Different HCCs by age stay apart (breast cancer: 22 under 50, 23 from 50).
        let split = [22 | age(50, false), 23 | age(50, true)];
        assert_eq!(merge_complementary(&split), split.to_vec());
        assert_eq!(hcc_condition(111 | male).as_deref(), Some("male"));
        assert!(hcc_condition_holds(22 | age(50, false), Some(40), None));
        assert!(!hcc_condition_holds(22 | age(50, false), Some(50), None));
        assert!(!hcc_condition_holds(111 | male, Some(70), Some(Sex::Female)));
        assert!(hcc_condition_holds(111 | male, None, None));
    }
}
