//! Codes a combination code should replace: the classification presumes
//! a link between conditions the "with" convention joins (Guidelines I.A.15),
//! so coding them apart is a common, costly slip.
//! * hypertension (I10) with heart failure (I50) is I11.0, with chronic
//!   kidney disease (N18) I12.-, with both I13.- (Guidelines I.C.9.a.1–3);
//! * diabetes "without complications" (E08–E13 .9) with chronic kidney
//!   disease is the category's .22 (Guidelines I.A.15);
//! * a diabetes code "without complications" beside a code of the same
//!   category that names a complication contradicts it.
//!
//! All warnings: the provider may document the conditions as unrelated.

use super::{Finding, Read, Severity};

pub(super) fn findings(read: &[Read], findings: &mut Vec<Finding>) {
    let codes: Vec<&str> = read
        .iter()
        .filter_map(|r| r.record.as_ref())
        .filter(|r| r.entry.system == "icd10cm")
        .map(|r| r.entry.code.as_str())
        .collect();
    let first = |test: &dyn Fn(&str) -> bool| codes.iter().copied().find(|c| test(c));
    let hypertension = first(&|c| c == "I10");
    let heart_failure = first(&|c| c.starts_with("I50"));
    let kidney = first(&|c| c.starts_with("N18"));
    let stage5 = kidney.is_some_and(|k| matches!(k, "N18.5" | "N18.6"));
    if let Some(h) = hypertension {
        let found = match (heart_failure, kidney) {
            (Some(f), Some(k)) => Some((
                if stage5 { "I13.2" } else { "I13.0" },
                vec![h, f, k],
                "heart failure and chronic kidney disease",
                "I.C.9.a.3",
            )),
            (Some(f), None) => Some(("I11.0", vec![h, f], "heart failure", "I.C.9.a.1")),
            (None, Some(k)) => {
                Some((if stage5 { "I12.0" } else { "I12.9" }, vec![h, k], "chronic kidney disease", "I.C.9.a.2"))
            }
            (None, None) => None,
        };
        if let Some((code, parts, what, guideline)) = found {
            findings.push(Finding {
                severity: Severity::Warning,
                rule: "combination-code",
                message: format!(
                    "{}: hypertension with {what} is {code} (the classification presumes the link unless the provider documents them unrelated); keep {} for the type and stage",
                    parts.join(" + "),
                    parts[1..].join(" and ")
                ),
                codes: parts.into_iter().map(str::to_string).collect(),
                source: format!("ICD-10-CM Official Guidelines {guideline}"),
            });
        }
    }
    for d in codes.iter().copied().filter(|c| diabetes_without_complications(c)) {
        let category = &d[..3];
        let combined = format!("{category}.22");
        if let (Some(k), false) = (kidney, codes.contains(&combined.as_str())) {
            findings.push(Finding {
                severity: Severity::Warning,
                rule: "combination-code",
                codes: vec![d.to_string(), k.to_string()],
                message: format!(
                    "{d} + {k}: diabetes with chronic kidney disease is {combined} (the \"with\" convention presumes the link); keep {k} for the stage"
                ),
                source: "ICD-10-CM Official Guidelines I.A.15 (\"with\")".to_string(),
            });
        }
        let complications: Vec<&str> =
            codes.iter().copied().filter(|c| *c != d && c.starts_with(category) && !c.ends_with(".A")).collect();
        if !complications.is_empty() {
            findings.push(Finding {
                severity: Severity::Warning,
                rule: "without-complications-beside-complication",
                codes: std::iter::once(d).chain(complications.iter().copied()).map(str::to_string).collect(),
                message: format!(
                    "{d} says \"without complications\", but {} codes one: leave {d} out",
                    complications.join(", ")
                ),
                source: "ICD-10-CM Tabular List, category ".to_string() + category,
            });
        }
    }
}

/// E08.9, E09.9, E10.9, E11.9, E13.9: diabetes without complications.
fn diabetes_without_complications(code: &str) -> bool {
    matches!(code.get(..3), Some("E08" | "E09" | "E10" | "E11" | "E13")) && code.get(3..) == Some(".9")
}
