//! The claim-edit and payment tables against their official counts, rows
//! read back through the pack, and the coder's named cases.

mod common;

use chartcode::check::{CheckContext, CheckReport, CodeToCheck, Severity};
use chartcode::compile::{edits, sources};
use chartcode::error::QueryError;
use chartcode::flags::Sex;
use chartcode::pack::edits::{cite, table};
use chartcode::search::Setting;
use common::*;

/// A vendored edit file's text (checksums verified), by book and role;
/// `later`: the FY2027 release's file.
fn source(system: &str, role: &str, later: bool) -> edits::Source {
    let dir = codebooks_dir();
    let manifest = sources::Manifest::load(&dir).unwrap();
    let entry = manifest.books.iter().find(|b| b.system == system).unwrap();
    let file = if later { entry.later[0].file(role) } else { entry.file(role) }.unwrap_or_else(|| panic!("{role}"));
    let bytes = sources::read_verified(&dir, file).unwrap();
    (String::from_utf8(bytes).unwrap(), file.path.clone())
}

fn codes(list: &[&str]) -> Vec<CodeToCheck> {
    list.iter().map(|c| CodeToCheck { system: None, code: c.to_string() }).collect()
}

fn check_on(date: u32, list: &[&str], context: CheckContext) -> CheckReport {
    codebook_on(date).check(&codes(list), &context).unwrap()
}

fn rules(r: &CheckReport, rule: &str) -> Vec<(Severity, Vec<String>)> {
    r.findings.iter().filter(|f| f.rule == rule).map(|f| (f.severity, f.codes.clone())).collect()
}

/// Codes of one table with a row in force on `date`.
fn ids_on(name: &str, date: u32, pred: impl Fn(u32) -> bool) -> usize {
    let p = pack();
    let t = p.edits().unwrap().expect("EDIT tables").get(name).expect(name).clone();
    let mut ids: Vec<u32> = t
        .rows
        .iter()
        .filter(|&&(_, v, period)| t.periods[period as usize].covers(date) && pred(v))
        .map(|r| r.0)
        .collect();
    ids.dedup();
    ids.len()
}

#[test]
fn mce_masters_hold_the_official_code_counts() {
    let cm = source("icd10cm", "mce", false);
    assert_eq!(edits::mce_codes_on(&cm, 20251001).unwrap().len(), 74_719);
    assert_eq!(edits::mce_distinct_codes(&cm).unwrap(), 75_719);
    let pcs = source("icd10pcs", "mce", false);
    let pcs_on = edits::mce_codes_on(&pcs, 20251001).unwrap();
    assert_eq!(pcs_on.len(), 79_115);
    assert_eq!(edits::mce_distinct_codes(&pcs).unwrap(), 82_407);
    // The FY2027 master (derived) on its first day: the published FY2027 count.
    assert_eq!(edits::mce_codes_on(&source("icd10cm", "mce", true), 20261001).unwrap().len(), 74_879);
    // Every ICD-10-PCS code the MCE accepts on 2025-10-01 is a billable code
    // of the PCS book on that day.
    let mut book =
        chartcode::CodeBook::open(&[all_packs().iter().find(|p| p.system.id == "icd10pcs").unwrap().bytes.as_slice()])
            .unwrap();
    book.set_today(20251001);
    let missing: Vec<&String> = pcs_on
        .iter()
        .filter(|c| !book.lookup(c, Some("icd10pcs")).unwrap().record.is_some_and(|r| r.entry.billable))
        .take(5)
        .collect();
    assert!(missing.is_empty(), "MCE codes the PCS book lacks: {missing:?}");
}

#[test]
fn cc_and_mcc_counts_equal_tables_6i_and_6j_and_v44() {
    let mcc = |v: u32| v & 3 == 2;
    let cc = |v: u32| v & 3 == 1;
    assert_eq!(ids_on(table::CC_MCC, 20260301, mcc), 3_354);
    assert_eq!(ids_on(table::CC_MCC, 20260301, cc), 15_078);
    assert_eq!(ids_on(table::CC_MCC, 20261101, mcc), 3_357);
    assert_eq!(ids_on(table::CC_MCC, 20261101, cc), 15_113);
    // 1,994 PDX collections, every one with members.
    let p = pack();
    let x = p.edits().unwrap().unwrap().get_ranges(table::CC_EXCLUSIONS).unwrap().unwrap().clone();
    let mut collections: Vec<u32> = x.rows.iter().map(|r| r.0).collect();
    collections.dedup();
    assert_eq!(collections.len(), 1_994);
}

#[test]
fn v28_has_115_payment_hccs_over_8019_codes() {
    let (text, _) = source("icd10cm", "hcc", false);
    let mut codes: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 8_019);
    let p = pack();
    let tables = p.edits().unwrap().unwrap();
    let hcc = tables.get(table::HCC).unwrap();
    let mut numbers: Vec<u32> = hcc.rows.iter().map(|r| r.1 & 0xFFFF).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 115);
    assert_eq!(hcc.labels.len(), 115, "a label for each payment HCC");
    assert!(numbers.iter().all(|n| hcc.label(*n).is_some_and(|l| !l.is_empty())));
    assert_eq!(tables.get(table::HCC_HIERARCHY).unwrap().rows.len(), 149);
}

#[test]
fn a_sample_of_every_table_round_trips_through_lookup() {
    let book = codebook_on(20251201); // FY2026, PY2026 (2025 dates of service)
    let flags = |code: &str| {
        let found = book.lookup(code, Some("icd10cm")).unwrap();
        match found.record {
            Some(r) => r.flags.unwrap_or_default(),
            None => panic!("{code} not found: {:?}", found.help),
        }
    };
    let mut checked = 0;
    for (role, level) in [("mcc", "MCC"), ("cc", "CC")] {
        let (text, _) = source("icd10cm", role, false);
        for line in text.lines().skip(2).step_by(250).filter(|l| l.contains('\t')) {
            let code = line.split('\t').next().unwrap();
            assert_eq!(flags(code).cc_mcc, Some(level), "{code}");
            checked += 1;
        }
    }
    let (text, _) = source("icd10cm", "hcc", false);
    for line in text.lines().skip(1).step_by(97) {
        let f: Vec<&str> = line.split(',').collect();
        let number: u32 = f[1].trim_end_matches(".0").parse().unwrap();
        let code = format!("{}.{}", &f[0][..3], &f[0][3..]);
        let code = code.trim_end_matches('.');
        assert!(flags(code).hcc.iter().any(|h| h.hcc == number), "{code} → HCC {number}");
        checked += 1;
    }
    let (text, _) = source("icd10cm", "pdpm_nta", false);
    for line in text.lines().filter(|l| l.split(',').next().is_some_and(|c| c.parse::<u32>().is_ok())).step_by(53) {
        let cells = chartcode::compile::csv_fields(line).unwrap();
        let code = cells[3].trim();
        assert!(!flags(code).pdpm.nta.is_empty(), "{code} NTA");
        checked += 1;
    }
    let (text, _) = source("icd10cm", "mce", false);
    for line in text.lines().skip(1).filter(|l| l.ends_with("\tnewborn") || l.ends_with("\tmaternity")).step_by(40) {
        let f: Vec<&str> = line.split('\t').collect();
        if !f[2].is_empty() {
            continue; // ended rows
        }
        let found = book.lookup(f[0], Some("icd10cm")).unwrap();
        let Some(rec) = found.record else { continue }; // deleted before FY2026
        let words = rec.flags.unwrap_or_default().mce;
        assert!(words.iter().any(|w| w.starts_with(f[3])), "{} {words:?}", f[0]);
        checked += 1;
    }
    assert!(checked > 250, "{checked}");
}

#[test]
fn the_coders_named_cases() {
    let day = 20260301;
    let adult = |age| CheckContext { age: Some(age), ..Default::default() };
    // Tetanus neonatorum at 70.
    let r = check_on(day, &["A33"], adult(70));
    let f = r.findings.iter().find(|f| f.rule == "age-conflict").expect("age conflict");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.source, "MCE v43.1 age edit (newborn 0)");
    assert!(rules(&check_on(day, &["A33"], adult(0)), "age-conflict").is_empty());
    // Full-term delivery at 70; and for a male patient, information only.
    let r = check_on(day, &["O80"], adult(70));
    assert_eq!(rules(&r, "age-conflict"), vec![(Severity::Error, vec!["O80".to_string()])]);
    assert!(r.findings.iter().any(|f| f.source == "MCE v43.1 age edit (maternity 9–64)"));
    // Below a range too: a delivery at 5, an enlarged prostate (adult) at 10.
    assert_eq!(rules(&check_on(day, &["O80"], adult(5)), "age-conflict").len(), 1);
    assert_eq!(rules(&check_on(day, &["N40.0"], adult(10)), "age-conflict").len(), 1);
    assert!(rules(&check_on(day, &["N40.0"], adult(60)), "age-conflict").is_empty());
    let male = CheckContext { age: Some(30), sex: Some(Sex::Male), ..Default::default() };
    let r = check_on(day, &["O80"], male);
    assert_eq!(rules(&r, "sex-conflict"), vec![(Severity::Info, vec!["O80".to_string()])]);
    assert!(rules(&r, "age-conflict").is_empty());
    assert!(r.findings.iter().any(|f| f.rule == "sex-conflict" && f.source == cite::SEX_V41));
    assert!(!r.has_errors(), "{:?}", r.findings);
    let female = CheckContext { age: Some(30), sex: Some(Sex::Female), ..Default::default() };
    assert!(rules(&check_on(day, &["O80"], female), "sex-conflict").is_empty());
    // F02.80 alone: not a principal diagnosis, and its etiology is missing.
    let r = check_on(day, &["F02.80"], CheckContext::default());
    assert_eq!(rules(&r, "manifestation-as-principal"), vec![(Severity::Error, vec!["F02.80".to_string()])]);
    assert_eq!(rules(&r, "code-first-missing")[0].0, Severity::Warning);
    assert!(
        rules(&check_on(day, &["G30.9", "F02.80"], CheckContext::default()), "manifestation-as-principal").is_empty()
    );
    // The HCC hierarchy: HCC 37 drops HCC 38.
    let r = check_on(day, &["E11.22", "E11.9", "N18.4"], CheckContext::default());
    let h38 = r.summary.hcc.iter().find(|h| h.hcc == 38).expect("HCC 38");
    assert_eq!(h38.dropped_by, Some(37));
    assert!(r.summary.hcc.iter().any(|h| h.hcc == 37 && h.dropped_by.is_none()));
    assert!(r.findings.iter().any(|f| f.rule == "hcc" && f.source.ends_with(cite::HCC_HIERARCHY)));
    // Without E11.22, HCC 38 stays.
    let r = check_on(day, &["E11.9"], CheckContext::default());
    assert!(r.summary.hcc.iter().any(|h| h.hcc == 38 && h.dropped_by.is_none()));
    // A CC its principal excludes: N18.4 under E11.22; counted under I10.
    let inpatient = || CheckContext { setting: Some(Setting::Inpatient), ..Default::default() };
    let r = check_on(day, &["E11.22", "N18.4"], inpatient());
    let n18 = r.summary.cc_mcc.iter().find(|c| c.code == "N18.4").expect("N18.4 is a CC");
    assert!(n18.excluded && n18.level == "CC");
    assert!(r.findings.iter().any(|f| f.rule == "cc-mcc" && f.source.contains(cite::CC_EXCLUSION_V43)));
    let r = check_on(day, &["J18.9", "N18.4"], inpatient());
    assert!(r.summary.cc_mcc.iter().any(|c| c.code == "N18.4" && !c.excluded));
    // The principal's own severity is not counted.
    assert!(!r.summary.cc_mcc.iter().any(|c| c.code == "J18.9"));
    // Every finding cites its source.
    for list in [&["A33", "O80", "F02.80", "E11.22", "E11.9", "N18.4", "S72.001", "J96.01"][..]] {
        let r = check_on(
            day,
            list,
            CheckContext { age: Some(70), sex: Some(Sex::Male), setting: Some(Setting::Snf), ..Default::default() },
        );
        assert!(r.findings.len() > 8);
        for f in &r.findings {
            assert!(!f.source.trim().is_empty(), "{f:?}");
        }
    }
}

#[test]
fn settings_choose_which_payment_findings_are_said() {
    let day = 20260301;
    let with = |setting| CheckContext { setting: Some(setting), ..Default::default() };
    let list = ["J96.01", "I50.22"];
    let snf = check_on(day, &list, with(Setting::Snf));
    assert!(!rules(&snf, "pdpm-nta").is_empty());
    assert!(rules(&snf, "cc-mcc").is_empty());
    assert!(snf.summary.pdpm.note.as_deref().is_some_and(|n| n.contains("not computed")));
    let inpatient = check_on(day, &list, with(Setting::Inpatient));
    assert!(rules(&inpatient, "pdpm-nta").is_empty());
    assert_eq!(rules(&inpatient, "cc-mcc").len(), 1, "the secondary diagnosis only");
    let dental = check_on(day, &list, with(Setting::Dental));
    assert!(rules(&dental, "hcc").is_empty());
    // The summary says it all whatever the setting.
    assert!(!dental.summary.hcc.is_empty() && !dental.summary.pdpm.nta.is_empty());
    // The inpatient principal-diagnosis edits: E11.9 is a questionable admission.
    assert_eq!(rules(&check_on(day, &["E11.9"], with(Setting::Inpatient)), "questionable-admission").len(), 1);
    assert!(rules(&check_on(day, &["E11.9"], with(Setting::Outpatient)), "questionable-admission").is_empty());
}

#[test]
fn each_date_reads_its_own_tables_and_says_when_it_falls_back() {
    let hcc_source = |day: u32| {
        let r = check_on(day, &["E11.9"], CheckContext::default());
        r.summary.hcc[0].source.clone()
    };
    assert_eq!(hcc_source(20251115), cite::HCC_PY2026);
    assert_eq!(hcc_source(20260615), cite::HCC_PY2027);
    assert!(hcc_source(20270201).contains(cite::FALLBACK_HCC));
    let cc_source = |day: u32| {
        let r = check_on(day, &["J18.9", "N18.4"], CheckContext::default());
        r.summary.cc_mcc[0].source.clone()
    };
    assert_eq!(cc_source(20260301), cite::MSDRG_V43);
    assert_eq!(cc_source(20261101), cite::MSDRG_V44);
    let nta_day = |day: u32| {
        let r = check_on(day, &["J96.01"], CheckContext { setting: Some(Setting::Snf), ..Default::default() });
        r.findings.iter().find(|f| f.rule == "pdpm-nta").map(|f| f.source.clone()).unwrap()
    };
    assert_eq!(nta_day(20260301), cite::PDPM_NTA);
    assert!(nta_day(20261101).contains(cite::FALLBACK_PDPM));
    // The five codes the MCE stopped calling unacceptable on 2026-04-01.
    let inpatient = CheckContext { setting: Some(Setting::Inpatient), ..Default::default() };
    let unacceptable = |day| rules(&check_on(day, &["F07.81"], inpatient.clone()), "unacceptable-principal").len();
    assert_eq!(unacceptable(20260301), 1);
    assert_eq!(unacceptable(20260401), 0);
}

#[test]
fn bad_patient_context_is_a_clear_error() {
    let book = codebook_on(20260301);
    for age in [-1, 125, 300] {
        let e = book.check(&codes(&["E11.9"]), &CheckContext { age: Some(age), ..Default::default() }).unwrap_err();
        assert_eq!(e, QueryError::BadAge { given: age });
        assert!(e.to_string().contains("0 to 124"), "{e}");
    }
    assert!(Sex::parse("X").unwrap_err().contains("not F, M or U"));
    assert_eq!(Sex::parse("female").unwrap(), Some(Sex::Female));
    assert_eq!(Sex::parse("u").unwrap(), None);
    // A principal not among the codes is checked with them, first.
    let r = check_on(20260301, &["N18.4"], CheckContext { principal: Some("e11.22".into()), ..Default::default() });
    assert_eq!(r.given, vec!["e11.22", "N18.4"]);
    assert!(r.summary.cc_mcc.iter().any(|c| c.code == "N18.4" && c.excluded));
}

#[test]
fn search_hits_carry_their_flags() {
    let book = codebook_on(20260301);
    let hits = book.search("chronic systolic heart failure", &chartcode::SearchOptions::default()).unwrap();
    let hit = hits.iter().find(|h| h.entry.code == "I50.22").expect("I50.22");
    let flags = hit.flags.as_ref().expect("flags");
    assert_eq!(flags.cc_mcc, Some("CC"));
    assert_eq!(flags.hcc.iter().map(|h| h.hcc).collect::<Vec<_>>(), vec![226]);
    let json = serde_json::to_value(hit).unwrap();
    assert_eq!(json["flags"]["ccMcc"], "CC");
    assert_eq!(json["flags"]["hcc"][0]["label"], "Heart Failure, Except End Stage and Acute");
    // A code without weight carries none.
    let hits = book.search("J06.9", &chartcode::SearchOptions::default()).unwrap();
    assert!(hits[0].flags.is_none() && serde_json::to_value(&hits[0]).unwrap().get("flags").is_none());
}

#[test]
fn header_codes_of_the_hcc_map_reach_their_billable_codes() {
    // PY2026 maps G35, D71 and E72.53, FY2025 codes that are headers in
    // FY2026: their billable codes carry the HCC.
    let book = codebook_on(20251115);
    let hccs = |code: &str| -> Vec<(u32, Option<String>)> {
        let r = book.lookup(code, Some("icd10cm")).unwrap().record.unwrap();
        r.flags.unwrap_or_default().hcc.into_iter().map(|h| (h.hcc, h.condition)).collect()
    };
    assert_eq!(hccs("G35.A"), vec![(198, None)]);
    assert_eq!(hccs("D71.1"), vec![(115, None)]);
    // "HCC 50 if age < 21" and "if age ≥ 21" are HCC 50 at any age.
    assert_eq!(hccs("E72.530"), vec![(50, None)]);
    // Breast cancer: HCC 22 under 50, 23 from 50; the patient's age settles it.
    assert_eq!(hccs("C50.011"), vec![(22, Some("age < 50".into())), (23, Some("age ≥ 50".into()))]);
    let at = |age| {
        let r = book.check(&codes(&["C50.011"]), &CheckContext { age: Some(age), ..Default::default() }).unwrap();
        r.summary.hcc.iter().map(|h| (h.hcc, h.condition.clone())).collect::<Vec<_>>()
    };
    assert_eq!(at(45), vec![(22, None)]);
    assert_eq!(at(70), vec![(23, None)]);
}

#[test]
fn codes_read_for_one_date_are_not_answers_for_another() {
    // I42.0 is billable in FY2026 and a header in FY2027: one book, read
    // on both sides of 2026-10-01 and back, answers each day for itself.
    let mut book = codebook_on(LAST_DAY_OF_FY2026);
    let errors = |book: &chartcode::CodeBook| {
        let r = book.check(&codes(&["I42.0"]), &CheckContext::default()).unwrap();
        rules(&r, "not-billable").len()
    };
    assert_eq!(errors(&book), 0);
    book.set_today(20261001);
    assert_eq!(errors(&book), 1);
    book.set_today(LAST_DAY_OF_FY2026);
    assert_eq!(errors(&book), 0);
}
