//! The coder's checks on real code sets, against the real books: each
//! finding's rule, codes and source.

mod common;

use chartcode::check::{CheckContext, CheckReport, CodeToCheck, Severity, MAX_CHECK_CODES};
use chartcode::error::QueryError;
use common::*;

fn codes(list: &[&str]) -> Vec<CodeToCheck> {
    list.iter().map(|c| CodeToCheck { system: None, code: c.to_string() }).collect()
}

fn check(list: &[&str]) -> CheckReport {
    codebook_on(20261127).check(&codes(list), &CheckContext::default()).unwrap()
}

/// The findings of one rule: (severity, codes).
fn of(report: &CheckReport, rule: &str) -> Vec<(Severity, Vec<String>)> {
    report.findings.iter().filter(|f| f.rule == rule).map(|f| (f.severity, f.codes.clone())).collect()
}

#[test]
fn an_excludes1_pair_is_an_error_citing_the_note() {
    let r = check(&["E11.9", "E10.9"]);
    let f = r.findings.iter().find(|f| f.rule == "excludes1").expect("an Excludes1 finding");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.codes, vec!["E11.9", "E10.9"]);
    assert_eq!(f.source, "ICD-10-CM Tabular List, Excludes1 at E11");
    // Once, though each category excludes the other.
    assert_eq!(of(&r, "excludes1").len(), 1);
    assert!(r.has_errors());
    // Errors come first.
    assert_eq!(r.findings[0].severity, Severity::Error);
}

#[test]
fn a_manifestation_asks_for_its_etiology_first() {
    // F02.80: "Code first the underlying physiological condition, such as:
    // Alzheimer's (G30.-), …" — one warning for the list, not one per item.
    let r = check(&["F02.80"]);
    let missing = of(&r, "code-first-missing");
    assert_eq!(missing, vec![(Severity::Warning, vec!["F02.80".to_string()])]);
    let f = r.findings.iter().find(|f| f.rule == "code-first-missing").unwrap();
    assert!(f.message.contains("Alzheimer's (G30.-)") && f.source.ends_with("Code first at F02"), "{f:?}");
    // With the etiology first: nothing to say; after it: sequence it first.
    assert!(of(&check(&["G30.9", "F02.80"]), "code-first-missing").is_empty());
    assert!(of(&check(&["G30.9", "F02.80"]), "code-first-order").is_empty());
    assert_eq!(
        of(&check(&["F02.80", "G30.9"]), "code-first-order"),
        vec![(Severity::Warning, vec!["F02.80".to_string(), "G30.9".to_string()])]
    );
    // The principal named: G30.9 listed second but principal is no order issue.
    let principal = CheckContext { principal: Some("G30.9".into()), ..Default::default() };
    let r = codebook_on(20261127).check(&codes(&["G30.9", "F02.80"]), &principal).unwrap();
    assert!(of(&r, "code-first-order").is_empty());
}

#[test]
fn a_code_missing_its_seventh_character_says_which_ones() {
    let r = check(&["S72.001"]);
    let f = r.findings.iter().find(|f| f.rule == "seventh-character").expect("7th character finding");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("A initial encounter for closed fracture"), "{}", f.message);
    assert!(f.message.contains("S sequela"), "{}", f.message);
    assert_eq!(f.source, "ICD-10-CM Tabular List, 7th characters at S72");
    // With it: no error.
    assert!(!check(&["S72.001A"]).has_errors());
    // A header is not billable either.
    assert_eq!(of(&check(&["E11"]), "not-billable").len(), 1);
}

#[test]
fn a_terminated_hcpcs_code_is_an_error_on_a_later_date_of_service() {
    // S0189 was terminated on 2025-12-31 (HCPCS January 2026).
    let book = all_books();
    let hcpcs = vec![CodeToCheck { system: Some("hcpcs".into()), code: "S0189".into() }];
    let r = book.check(&hcpcs, &CheckContext::default()).unwrap();
    assert_eq!(of(&r, "terminated"), vec![(Severity::Error, vec!["S0189".to_string()])]);
    assert!(r.findings[0].message.contains("2025-12-31"), "{:?}", r.findings);
}

#[test]
fn a_date_outside_every_release_is_one_finding_not_one_per_code() {
    // FY2027 ends on 2027-09-30; no FY2028 is loaded.
    let r =
        codebook_on(20271101).check(&codes(&["E11.9", "I10", "S72.001", "E10.9"]), &CheckContext::default()).unwrap();
    assert_eq!(of(&r, "no-release").len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn use_additional_code_and_unspecified_codes() {
    // E11.22's own note asks for the stage of CKD: N18.31 answers it.
    let r = check(&["E11.22", "N18.31"]);
    assert!(
        !r.findings.iter().any(|f| f.rule == "use-additional-missing" && f.message.contains("(N18.1-N18.6)")),
        "{:?}",
        r.findings
    );
    let r = check(&["E11.22"]);
    let f = r.findings.iter().find(|f| f.rule == "use-additional-missing" && f.message.contains("(N18.1-N18.6)"));
    assert_eq!(f.map(|f| f.severity), Some(Severity::Warning), "{:?}", r.findings);
    // "if applicable" is the coder's call: info.
    let r = check(&["N18.31", "E11.22"]);
    assert!(r
        .findings
        .iter()
        .filter(|f| f.rule == "use-additional-missing" && f.message.contains("if applicable"))
        .all(|f| f.severity == Severity::Info));
    // An unspecified code beside a specific sibling.
    assert_eq!(
        of(&check(&["N18.30", "N18.31"]), "unspecified-beside-specific"),
        vec![(Severity::Warning, vec!["N18.30".to_string(), "N18.31".to_string()])]
    );
}

#[test]
fn an_excludes2_pair_is_information() {
    // G43 (migraine) Excludes2 headache syndromes (G44.-): both may be
    // coded, and saying so is information.
    let r = check(&["G43.909", "G44.209"]);
    let found = of(&r, "excludes2");
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!(found[0].0, Severity::Info);
    assert!(!r.has_errors(), "{:?}", r.findings);
}

#[test]
fn bad_input_gets_findings_or_clear_errors() {
    let book = codebook_on(20261127);
    let r = book.check(&codes(&["XYZ", "", "🩺", "E11.9\u{0}"]), &CheckContext::default()).unwrap();
    assert_eq!(r.codes.iter().filter(|c| c.is_none()).count(), 4);
    assert_eq!(of(&r, "not-a-code").len(), 4, "{:?}", r.findings);
    // An unknown system: an error naming the loaded ones.
    let wrong = vec![CodeToCheck { system: Some("icd11".into()), code: "E11.9".into() }];
    assert!(matches!(book.check(&wrong, &CheckContext::default()), Err(QueryError::UnknownSystem { .. })));
    // Too many codes: refused, with the cap.
    let many: Vec<CodeToCheck> =
        (0..MAX_CHECK_CODES + 1).map(|_| CodeToCheck { system: None, code: "I10".into() }).collect();
    let err = book.check(&many, &CheckContext::default()).unwrap_err();
    assert!(err.to_string().contains(&MAX_CHECK_CODES.to_string()), "{err}");
    // Nothing to check: nothing found.
    assert!(book.check(&[], &CheckContext::default()).unwrap().findings.is_empty());
    // The same code twice is no pair.
    assert!(check(&["I10", "I10"]).findings.is_empty());
}

#[test]
fn repeated_codes_and_if_applicable_lists_stay_quiet() {
    // A code listed twice is one code: one Excludes1 error, not two.
    assert_eq!(of(&check(&["E11.9", "E11.9", "E10.9"]), "excludes1").len(), 1);
    // A41: "Code first, if applicable, postprocedural sepsis (T81.44-),
    // sepsis during labor (O75.3) …": one instruction, information only.
    let r = check(&["A41.9"]);
    assert_eq!(of(&r, "code-first-missing"), vec![(Severity::Info, vec!["A41.9".to_string()])], "{:?}", r.findings);
    // The principal as typed ("f0280") is the code as written.
    let principal = CheckContext { principal: Some("f0280".into()), ..Default::default() };
    let r = codebook_on(20261127).check(&codes(&["G30.9", "F02.80"]), &principal).unwrap();
    assert_eq!(of(&r, "code-first-order").len(), 1, "F02.80 as principal is sequenced before its etiology");
}

#[test]
fn codes_a_combination_code_replaces_are_warned_of() {
    let combination = |list: &[&str]| -> Vec<String> {
        check(list).findings.iter().filter(|f| f.rule == "combination-code").map(|f| f.message.clone()).collect()
    };
    // Hypertension with heart failure, with kidney disease, with both.
    let m = combination(&["I10", "I50.22"]);
    assert!(m.len() == 1 && m[0].contains("is I11.0"), "{m:?}");
    let m = combination(&["I10", "N18.4"]);
    assert!(m.len() == 1 && m[0].contains("is I12.9"), "{m:?}");
    let m = combination(&["I10", "N18.6"]);
    assert!(m.len() == 1 && m[0].contains("is I12.0"), "{m:?}");
    let m = combination(&["I10", "I50.22", "N18.4"]);
    assert!(m.len() == 1 && m[0].contains("is I13.0"), "{m:?}");
    // Diabetes without complications with kidney disease is E11.22.
    let m = combination(&["E11.9", "N18.31"]);
    assert!(m.len() == 1 && m[0].contains("is E11.22"), "{m:?}");
    // Coded as the combination: nothing to say.
    assert!(combination(&["I11.0", "I50.22"]).is_empty());
    assert!(combination(&["I13.0", "I50.22", "N18.4", "E11.22"]).is_empty());
    // "Without complications" beside a complication of the same category.
    let r = check(&["E11.9", "E11.22", "N18.4"]);
    assert_eq!(
        of(&r, "without-complications-beside-complication"),
        vec![(Severity::Warning, vec!["E11.9".to_string(), "E11.22".to_string()])]
    );
    assert!(of(&check(&["E11.9", "E10.22"]), "without-complications-beside-complication").is_empty());
    for f in check(&["I10", "I50.22"]).findings.iter().filter(|f| f.rule == "combination-code") {
        assert_eq!(f.source, "ICD-10-CM Official Guidelines I.C.9.a.1");
    }
}

#[test]
fn a_code_also_note_is_information() {
    let r = check(&["J44.1"]);
    assert_eq!(of(&r, "code-also-missing"), vec![(Severity::Info, vec!["J44.1".to_string()])]);
    let f = r.findings.iter().find(|f| f.rule == "code-also-missing").unwrap();
    assert!(f.message.contains("(J45.-)") && f.source.ends_with("Code also at J44"), "{f:?}");
    assert!(of(&check(&["J44.1", "J45.909"]), "code-also-missing").is_empty());
}
