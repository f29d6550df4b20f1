//! What a code set weighs on payment, from the pack's tables on the date of
//! service: MS-DRG CC/MCC with the principal diagnosis's CC exclusions, the
//! CMS-HCC V28 categories with the hierarchy applied, and the PDPM NTA and
//! SLP comorbidities of a nursing-home stay. Each comes back in the check's
//! summary; as findings (all `info`) where the setting pays by it:
//! CC/MCC for inpatient, HCCs everywhere but the dental office, PDPM in a
//! skilled nursing facility.

use super::{mce::Patient, Diagnosis, Finding, Severity};
use crate::flags::{hcc_condition, hcc_condition_holds, merge_complementary};
use crate::pack::edits::cite::{self, FALLBACK_HCC, FALLBACK_PDPM};
use crate::pack::edits::{hcc, table, EditTables};
use crate::search::Setting;
use serde::Serialize;

/// The payment part of a check's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// HCCs of the set, hierarchy applied (a dropped one says by which).
    pub hcc: Vec<HccInSet>,
    /// Secondary diagnoses that are a CC or an MCC.
    pub cc_mcc: Vec<CcMccInSet>,
    pub pdpm: PdpmInSet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HccInSet {
    pub hcc: u32,
    pub label: String,
    pub codes: Vec<String>,
    /// The higher HCC of the set that drops this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_by: Option<u32>,
    /// The model maps the code here only for this age or sex, which the
    /// check was not told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CcMccInSet {
    pub code: String,
    /// `CC` or `MCC`.
    pub level: &'static str,
    /// The principal diagnosis excludes it: it counts as a non-CC.
    pub excluded: bool,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdpmInSet {
    pub nta: Vec<Comorbidity>,
    pub slp: Vec<Comorbidity>,
    /// NTA points are not computed: the official scoring table is not in
    /// the packs (say so rather than guess).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comorbidity {
    pub comorbidity: String,
    pub codes: Vec<String>,
}

/// A source's citation, with what the date falls back from.
fn cited(source: &str, date: u32, last_day: u32, fallback: &str) -> String {
    if last_day != 0 && date > last_day {
        format!("{source} — {fallback}")
    } else {
        source.to_string()
    }
}

pub(super) fn summarize(
    tables: &EditTables,
    date: u32,
    dx: &[Diagnosis],
    patient: &Patient,
    out: &mut Vec<Finding>,
) -> Result<Summary, crate::error::PackError> {
    let mut summary = Summary::default();
    let setting = patient.setting;
    // CC/MCC of every secondary diagnosis.
    let principal = patient.principal.and_then(|p| dx.get(p));
    if let Some(t) = tables.get(table::CC_MCC) {
        // Read on the first check that has a principal diagnosis.
        let exclusions = match principal {
            Some(_) => tables.get_ranges(table::CC_EXCLUSIONS)?,
            None => None,
        };
        for (i, d) in dx.iter().enumerate() {
            if patient.principal == Some(i) {
                continue;
            }
            let Some((value, period)) = t.values_on(d.id, date).next() else { continue };
            let level = if value & 3 == 2 { "MCC" } else { "CC" };
            let collection = value >> 2;
            let excluded = match (principal, exclusions) {
                (Some(p), Some(x)) if collection != 0 => x.range_holds(collection, p.id),
                _ => false,
            };
            let mut source = t.source(period).to_string();
            if excluded {
                source = format!("{source}; {} (PDX collection {collection:04})", cite::CC_EXCLUSION_V43);
            }
            if setting == Some(Setting::Inpatient) {
                out.push(Finding {
                    severity: Severity::Info,
                    rule: "cc-mcc",
                    codes: match principal {
                        Some(p) if excluded => vec![d.code.clone(), p.code.clone()],
                        _ => vec![d.code.clone()],
                    },
                    message: match principal {
                        Some(p) if excluded => format!(
                            "{} is {} {level}, but the principal diagnosis {} excludes it: it counts as a non-CC",
                            d.code,
                            if level == "MCC" { "an" } else { "a" },
                            p.code
                        ),
                        _ => format!(
                            "{} is {} {level} as a secondary diagnosis",
                            d.code,
                            if level == "MCC" { "an" } else { "a" }
                        ),
                    },
                    source: source.clone(),
                });
            }
            summary.cc_mcc.push(CcMccInSet { code: d.code.clone(), level, excluded, source });
        }
    }
    // HCCs, conditions read against the patient, then the hierarchy.
    if let Some(t) = tables.get(table::HCC) {
        let mut found: Vec<HccInSet> = Vec::new();
        for d in dx {
            let rows: Vec<(u32, &crate::pack::edits::Period)> = t.values_on(d.id, date).collect();
            let Some(&(_, period)) = rows.first() else { continue };
            let values: Vec<u32> = rows.iter().map(|r| r.0).collect();
            for value in merge_complementary(&values) {
                if !hcc_condition_holds(value, patient.age, patient.sex) {
                    continue;
                }
                let number = value & hcc::NUMBER;
                // A condition the patient's known age and sex settle is not repeated.
                let condition = hcc_condition(value).filter(|_| {
                    (value & hcc::HAS_AGE != 0 && patient.age.is_none())
                        || ((value >> hcc::SEX_SHIFT) & 3 != 0 && patient.sex.is_none())
                });
                let source =
                    cited(t.source(period), date, if period.to == 0 { cite::HCC_LAST_DAY } else { 0 }, FALLBACK_HCC);
                match found.iter_mut().find(|h| h.hcc == number) {
                    Some(h) => {
                        if !h.codes.contains(&d.code) {
                            h.codes.push(d.code.clone());
                        }
                    }
                    None => found.push(HccInSet {
                        hcc: number,
                        label: t.label(number).unwrap_or("").to_string(),
                        codes: vec![d.code.clone()],
                        dropped_by: None,
                        condition,
                        source,
                    }),
                }
            }
        }
        if let Some(h) = tables.get(table::HCC_HIERARCHY) {
            let present: Vec<u32> = found.iter().filter(|f| f.condition.is_none()).map(|f| f.hcc).collect();
            for f in &mut found {
                f.dropped_by = present
                    .iter()
                    .copied()
                    .filter(|&p| p != f.hcc)
                    .find(|&p| h.rows_of(p).iter().any(|&(_, child, _)| child == f.hcc));
                if f.dropped_by.is_some() {
                    f.source = format!("{}; {}", f.source, cite::HCC_HIERARCHY);
                }
            }
        }
        found.sort_by_key(|f| (f.dropped_by.is_some(), f.hcc));
        if setting != Some(Setting::Dental) {
            for f in &found {
                let codes = f.codes.join(", ");
                out.push(Finding {
                    severity: Severity::Info,
                    rule: "hcc",
                    codes: f.codes.clone(),
                    message: match (f.dropped_by, &f.condition) {
                        (Some(by), _) => format!(
                            "{codes}: HCC {} ({}) is dropped: HCC {by} of this set ranks above it",
                            f.hcc, f.label
                        ),
                        (None, Some(c)) => format!("{codes}: HCC {} ({}) if {c}", f.hcc, f.label),
                        (None, None) => format!("{codes}: HCC {} ({})", f.hcc, f.label),
                    },
                    source: f.source.clone(),
                });
            }
        }
        summary.hcc = found;
    }
    // PDPM comorbidities.
    for (name, list) in [(table::PDPM_NTA, 0), (table::PDPM_SLP, 1)] {
        let Some(t) = tables.get(name) else { continue };
        let mut groups: Vec<Comorbidity> = Vec::new();
        let mut source = String::new();
        for d in dx {
            for (key, period) in t.values_on(d.id, date) {
                source = cited(t.source(period), date, cite::PDPM_LAST_DAY, FALLBACK_PDPM);
                let what = t.label(key).unwrap_or("").to_string();
                match groups.iter_mut().find(|g| g.comorbidity == what) {
                    Some(g) if !g.codes.contains(&d.code) => g.codes.push(d.code.clone()),
                    Some(_) => {}
                    None => groups.push(Comorbidity { comorbidity: what, codes: vec![d.code.clone()] }),
                }
            }
        }
        if setting == Some(Setting::Snf) {
            for g in &groups {
                out.push(Finding {
                    severity: Severity::Info,
                    rule: if list == 0 { "pdpm-nta" } else { "pdpm-slp" },
                    codes: g.codes.clone(),
                    message: format!(
                        "{}: PDPM {} comorbidity {}",
                        g.codes.join(", "),
                        if list == 0 { "NTA" } else { "SLP" },
                        g.comorbidity
                    ),
                    source: source.clone(),
                });
            }
        }
        if list == 0 {
            summary.pdpm.nta = groups;
        } else {
            summary.pdpm.slp = groups;
        }
    }
    if !summary.pdpm.nta.is_empty() {
        summary.pdpm.note =
            Some("NTA points are not computed: the official NTA scoring table is not in the packs".to_string());
    }
    Ok(summary)
}
