//! The Medicare Code Editor's diagnosis edits on a code set, read from the
//! pack's MCE tables on the date of service:
//! * **errors**: an age conflict (newborn, pediatric, maternity, adult
//!   codes; the ages come from the MCE's own age table), a manifestation
//!   code or an external-cause code as the principal diagnosis, an
//!   unacceptable principal diagnosis (inpatient), a principal diagnosis
//!   acceptable only with a secondary one when none is coded;
//! * **warnings**: a questionable admission (setting inpatient), the
//!   wrong-procedure-performed codes;
//! * **info**: the last published sex edit (MCE v41.1: CMS stopped
//!   enforcing it on 2024-10-01, so a conflict is worth knowing, no more),
//!   the MCE's unspecified-code edit.

use super::{Diagnosis, Finding, Severity};
use crate::flags::{age_group, mce_bits, Sex};
use crate::pack::edits::{attr, table, EditTables};
use crate::search::Setting;

/// The context the MCE reads: age, sex, setting, the principal's index.
pub(super) struct Patient {
    pub age: Option<u32>,
    pub sex: Option<Sex>,
    pub setting: Option<Setting>,
    pub principal: Option<usize>,
}

pub(super) fn findings(tables: &EditTables, date: u32, dx: &[Diagnosis], patient: &Patient, out: &mut Vec<Finding>) {
    // The inpatient principal-diagnosis edits, when the setting is said to
    // be inpatient: the first-listed diagnosis of other settings follows
    // other rules (a Z code often comes first there).
    let inpatient = patient.setting == Some(Setting::Inpatient);
    for (i, d) in dx.iter().enumerate() {
        let Some((bits, source)) = mce_bits(tables, d.id, date) else {
            sex_edit(tables, d, patient, out);
            continue;
        };
        let is_principal = patient.principal == Some(i);
        // Age.
        if let Some(age) = patient.age {
            for (name, bit) in attr::AGE_GROUPS {
                if bits & bit == 0 {
                    continue;
                }
                let Some((_, first, last)) = age_group(tables, bit, date) else { continue };
                if age < first || age > last {
                    let range = if first == last { format!("{first}") } else { format!("{first}–{last}") };
                    out.push(Finding {
                        severity: Severity::Error,
                        rule: "age-conflict",
                        codes: vec![d.code.clone()],
                        message: format!(
                            "{} ({}) is a {} diagnosis (age {range}); the patient is {age}",
                            d.code,
                            d.title,
                            name.to_lowercase()
                        ),
                        source: format!("{source} age edit ({} {range})", name.to_lowercase()),
                    });
                }
            }
        }
        sex_edit(tables, d, patient, out);
        let mut push = |severity, rule: &'static str, message: String, edit: &str| {
            out.push(Finding {
                severity,
                rule,
                codes: vec![d.code.clone()],
                message,
                source: format!("{source} {edit}"),
            });
        };
        if is_principal && bits & attr::MANIFESTATION != 0 {
            push(
                Severity::Error,
                "manifestation-as-principal",
                format!(
                    "{} is a manifestation code: it is not allowed as the principal diagnosis; sequence the underlying condition first",
                    d.code
                ),
                "manifestation code as principal diagnosis",
            );
        }
        if is_principal && bits & attr::EXTERNAL_CAUSE != 0 {
            push(
                Severity::Error,
                "external-cause-as-principal",
                format!(
                    "{} is an external-cause code: it says how an injury happened and is never the principal diagnosis",
                    d.code
                ),
                "E-code as principal diagnosis",
            );
        }
        if is_principal && inpatient && bits & attr::UNACCEPTABLE != 0 {
            let with_secondary = bits & attr::REQUIRES_SECONDARY != 0;
            if !with_secondary || dx.len() < 2 {
                push(
                    Severity::Error,
                    if with_secondary { "requires-secondary" } else { "unacceptable-principal" },
                    if with_secondary {
                        format!("{} is acceptable as the principal diagnosis only with a secondary diagnosis", d.code)
                    } else {
                        format!("{} is unacceptable as the principal diagnosis of an inpatient claim", d.code)
                    },
                    if with_secondary { "requires secondary diagnosis" } else { "unacceptable principal diagnosis" },
                );
            }
        }
        if is_principal && inpatient && bits & attr::QUESTIONABLE_ADMISSION != 0 {
            push(
                Severity::Warning,
                "questionable-admission",
                format!("{} as the principal diagnosis is a questionable reason for an inpatient admission", d.code),
                "questionable admission",
            );
        }
        if bits & attr::WRONG_PROCEDURE != 0 {
            push(
                Severity::Warning,
                "wrong-procedure",
                format!(
                    "{}: a wrong procedure was performed; Medicare does not cover the procedures of this claim",
                    d.code
                ),
                "wrong procedure performed",
            );
        }
        if bits & attr::UNSPECIFIED != 0 {
            push(
                Severity::Info,
                "unspecified-code",
                format!("{} ({}) is on the MCE's unspecified-code list: document and code the specific site or side when known", d.code, d.title),
                "unspecified code",
            );
        }
    }
}

/// The last published sex edit: informational only.
fn sex_edit(tables: &EditTables, d: &Diagnosis, patient: &Patient, out: &mut Vec<Finding>) {
    let (Some(sex), Some(t)) = (patient.sex, tables.get(table::SEX)) else { return };
    let Some(&(_, flag, period)) = t.rows_of(d.id).first() else { return };
    let only = if flag == 1 { Sex::Female } else { Sex::Male };
    if only == sex {
        return;
    }
    let source = t.periods.get(period as usize).map_or("", |p| t.source(p));
    out.push(Finding {
        severity: Severity::Info,
        rule: "sex-conflict",
        codes: vec![d.code.clone()],
        message: format!(
            "{} ({}) was a {}-only diagnosis in the last published sex edit; the patient is {} (CMS no longer enforces this edit: check the record)",
            d.code,
            d.title,
            only.as_str(),
            sex.as_str()
        ),
        source: source.to_string(),
    });
}
