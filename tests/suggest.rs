//! Suggestion from chart text on the real ICD-10-CM book: concepts,
//! assertions, conventions, evidence, and hostile input.

mod common;

use chartcode::error::QueryError;
use chartcode::search::Setting;
use chartcode::suggest::assertion::Assertion;
use chartcode::suggest::{SuggestOptions, Suggestion, MAX_NOTE_CHARS};
use common::*;

/// The demo page's note (`www/index.html`).
const DEMO_NOTE: &str = "69-year-old woman with type 2 diabetes and hypertension, here for follow-up. Dyspnea on exertion and ankle edema for two weeks; exam with bibasilar crackles. Likely CHF exacerbation. A1c 7.9. Plan: start furosemide, echocardiogram, continue metformin; walker for home use.";

fn suggest(note: &str, setting: Setting, include_all: bool) -> Vec<Suggestion> {
    let options = SuggestOptions { setting, include_all, ..SuggestOptions::default() };
    codebook_on(20261001).suggest(note, &options).unwrap()
}

fn codes(s: &[Suggestion]) -> Vec<&str> {
    s.iter().map(|s| s.entry.code.as_str()).collect()
}

fn find<'s>(s: &'s [Suggestion], code: &str) -> Option<&'s Suggestion> {
    s.iter().find(|s| s.entry.code == code)
}

/// UTF-16 slice of a note, as JS's `note.slice(start, end)`.
fn slice(note: &str, start: u32, end: u32) -> String {
    let units: Vec<u16> = note.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

#[test]
fn the_demo_note_outpatient_codes_what_is_established_and_not_the_likely_chf() {
    let s = suggest(DEMO_NOTE, Setting::Outpatient, false);
    let got = codes(&s);
    for code in ["E11.9", "I10", "R60.0", "Z79.84"] {
        assert!(got.contains(&code), "{code} in {got:?}");
    }
    assert!(got.iter().any(|c| c.starts_with("R06.0")), "a dyspnea code in {got:?}");
    assert!(!got.iter().any(|c| c.starts_with("I50") || c.starts_with("I11")), "no heart failure: {got:?}");
    // Furosemide is started, not taken: no long-term-use code, no poisoning.
    assert!(!got.iter().any(|c| c.starts_with('T')), "{got:?}");
    // With --all, the uncertain CHF is there, saying why it is not coded.
    let all = suggest(DEMO_NOTE, Setting::Outpatient, true);
    let chf = all.iter().find(|s| s.entry.code.starts_with("I50")).expect("the CHF mention with --all");
    assert_eq!(chf.assertion, Assertion::Uncertain);
    assert!(chf.why.contains("IV.H"), "{}", chf.why);
}

#[test]
fn the_demo_note_inpatient_codes_the_likely_chf_with_the_hypertension() {
    let s = suggest(DEMO_NOTE, Setting::Inpatient, false);
    let got = codes(&s);
    assert!(got.contains(&"I11.0"), "{got:?}");
    assert!(got.iter().any(|c| c.starts_with("I50")), "{got:?}");
    assert!(!got.contains(&"I10"), "I11.0 replaces I10: {got:?}");
    let i11 = find(&s, "I11.0").unwrap();
    let words: Vec<&str> = i11.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(words, vec!["hypertension", "CHF"], "both mentions are its evidence");
}

#[test]
fn negated_family_historical_and_hypothetical_mentions_are_not_coded() {
    let note = "Denies chest pain. Mother had breast cancer. History of stroke. Return if fever develops. Cough for three days.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    assert!(got.iter().any(|c| c.starts_with("R05")), "the cough is present: {got:?}");
    assert!(!got.iter().any(|c| c.starts_with("R07")), "no chest pain code: {got:?}");
    assert!(!got.iter().any(|c| c.starts_with("C50")), "no breast cancer code: {got:?}");
    assert!(!got.iter().any(|c| c.starts_with("R50")), "no fever code: {got:?}");
    // The relative's cancer and the past stroke stand for their Z codes.
    let z80 = find(&s, "Z80.3").expect("family history of breast cancer");
    assert_eq!(z80.assertion, Assertion::Family);
    assert!(got.iter().any(|c| c.starts_with("Z86.7")), "personal history of stroke: {got:?}");
    // With --all each mention carries its assertion.
    let all = suggest(note, Setting::Outpatient, true);
    let of = |prefix: &str| all.iter().find(|s| s.entry.code.starts_with(prefix)).map(|s| s.assertion);
    assert_eq!(of("R07"), Some(Assertion::Negated));
    assert_eq!(of("C50"), Some(Assertion::Family));
    assert_eq!(of("R50"), Some(Assertion::Hypothetical));
}

#[test]
fn a_family_history_section_makes_its_conditions_a_relatives() {
    let note = "HPI: Here with cough.\nFamily history: diabetes, hypertension.\nAssessment: hypertension.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    assert!(got.contains(&"Z83.3"), "family history of diabetes: {got:?}");
    assert!(!got.iter().any(|c| c.starts_with("E11")), "the relative's diabetes is not the patient's: {got:?}");
    // The patient's own hypertension, in the assessment, is coded.
    assert!(got.contains(&"I10"), "{got:?}");
}

#[test]
fn combination_codes_come_from_two_separate_mentions() {
    let note = "Type 2 diabetes. Chronic kidney disease stage 3. Hypertension.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    assert!(got.contains(&"E11.22"), "diabetes with CKD: {got:?}");
    assert!(got.contains(&"I12.9"), "hypertension with CKD: {got:?}");
    assert!(got.iter().any(|c| c.starts_with("N18.3")), "the stage keeps its code: {got:?}");
    assert!(!got.contains(&"E11.9") && !got.contains(&"I10"), "the plain codes are replaced: {got:?}");
    assert!(find(&s, "E11.22").unwrap().why.contains("with"), "the why names the convention");
}

#[test]
fn evidence_slices_back_to_its_text_in_utf16() {
    let note = "😀 Patient 👩‍⚕️ notes: hypertension; déjà vu; CHF — no fever.";
    for s in suggest(note, Setting::Inpatient, true) {
        for e in &s.evidence {
            assert_eq!(slice(note, e.start, e.end), e.text, "{}", s.entry.code);
        }
    }
    let s = suggest(DEMO_NOTE, Setting::Outpatient, true);
    assert!(!s.is_empty());
    for s in &s {
        for e in &s.evidence {
            assert_eq!(slice(DEMO_NOTE, e.start, e.end), e.text);
        }
    }
}

#[test]
fn hostile_input_gives_a_result_or_a_clear_error() {
    for note in ["", " \n\t ", "\u{0}\u{1}\u{7f}", "🙂🙂🙂", "ارتفاع ضغط الدم", "no no no no", ".;,:()[]"]
    {
        let s = suggest(note, Setting::Outpatient, true);
        assert!(s.iter().all(|s| !s.evidence.is_empty()), "{note:?}");
    }
    let binary: String = (0u8..=255).map(char::from).cycle().take(20_000).collect();
    suggest(&binary, Setting::Outpatient, true);
    let long = "x".repeat(MAX_NOTE_CHARS + 1);
    match codebook_on(20261001).suggest(&long, &SuggestOptions::default()) {
        Err(e @ QueryError::NoteTooLong { .. }) => assert!(e.to_string().contains("100000"), "{e}"),
        other => panic!("{other:?}"),
    }
    let unknown = SuggestOptions { systems: vec!["icd11".into()], ..SuggestOptions::default() };
    assert!(matches!(codebook_on(20261001).suggest("fever", &unknown), Err(QueryError::UnknownSystem { .. })));
}
