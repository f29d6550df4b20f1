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

#[test]
fn a_past_history_codes_lasting_conditions_and_history_codes_for_the_rest() {
    let note = "Past medical history: type 2 diabetes, gout, colon polyps.\nHistory of stroke. Former smoker.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    // No personal-history code names diabetes or gout: the patient has them.
    assert!(got.contains(&"E11.9") && got.contains(&"M10.9"), "{got:?}");
    // Not "Personal history of gestational diabetes" for type 2 diabetes.
    assert!(!got.contains(&"Z86.32"), "{got:?}");
    // A past stroke, polyp or smoking habit is history, never the acute code.
    assert!(got.contains(&"Z86.73") && !got.iter().any(|c| c.starts_with("I63")), "{got:?}");
    assert!(got.iter().any(|c| c.starts_with("Z86.010")), "{got:?}");
    assert!(got.contains(&"Z87.891") && !got.iter().any(|c| c.starts_with("F17")), "{got:?}");
}

#[test]
fn a_relatives_condition_without_a_code_of_its_own_takes_its_chapters() {
    let s = suggest("Family history: father died of myocardial infarction at 60.", Setting::Outpatient, false);
    assert_eq!(codes(&s), vec!["Z82.49"]);
}

#[test]
fn the_most_specific_code_the_note_supports_wins() {
    let note = "Stage 3 chronic kidney disease. Labs today: CKD stage 3a. Type 2 diabetes with hyperglycemia. Ankle edema, edema.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    assert!(got.contains(&"N18.31") && !got.contains(&"N18.30"), "{got:?}");
    assert!(got.contains(&"R60.0") && !got.contains(&"R60.9"), "{got:?}");
    // Diabetes with hyperglycemia: E11.65 (and E11.22 with the CKD), no
    // R73.9 or E11.9 beside them.
    assert!(got.contains(&"E11.65") && got.contains(&"E11.22"), "{got:?}");
    assert!(!got.contains(&"R73.9") && !got.contains(&"E11.9"), "{got:?}");
    // The unspecified code's words are the specific one's evidence too.
    let n18 = find(&s, "N18.31").unwrap();
    assert_eq!(n18.evidence.len(), 2, "{:?}", n18.evidence);
}

#[test]
fn an_allergy_list_gives_allergy_status_not_its_reactions() {
    let note = "Allergies: penicillin (rash), latex.\nMedications: lisinopril 20 mg (not taking), aspirin 81 mg.";
    let s = suggest(note, Setting::Outpatient, false);
    let got = codes(&s);
    assert!(got.contains(&"Z88.0") && got.contains(&"Z91.040"), "{got:?}");
    assert!(!got.contains(&"R21"), "the allergy's rash is not today's: {got:?}");
    // "(not taking)" is said of lisinopril, not of the aspirin after it.
    assert!(got.contains(&"Z79.82"), "{got:?}");
}

#[test]
fn a_body_part_alone_is_no_diagnosis() {
    let note = "Exam: chest clear, abdomen soft. The liver and inferior vena cava were not affected; spleen normal.";
    let got = codes(&suggest(note, Setting::Outpatient, false)).iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn instructional_notes_link_companions_and_say_what_is_missing() {
    // E11.22: "Use additional code to identify stage of chronic kidney
    // disease (N18.1-N18.6)"; N18: "Code first any associated diabetic
    // chronic kidney disease (E11.22 …)".
    let s = suggest("Type 2 diabetes. CKD stage 3a.", Setting::Outpatient, false);
    let e11 = find(&s, "E11.22").expect("E11.22");
    assert!(e11.why.contains("stage of chronic kidney disease (N18.1-N18.6): N18.31"), "{}", e11.why);
    let order = codes(&s);
    let (at_e11, at_n18) = (order.iter().position(|c| *c == "E11.22"), order.iter().position(|c| *c == "N18.31"));
    assert!(at_e11 < at_n18, "the etiology is coded first: {order:?}");
    // Without a stage in the note, the coder is told what to look for.
    // (N18.9, "unspecified", is not one of the stages that note asks for.)
    let s = suggest("Type 2 diabetes with diabetic chronic kidney disease.", Setting::Outpatient, false);
    let e11 = find(&s, "E11.22").expect("E11.22");
    assert!(e11.why.contains("(N18.1-N18.6): not documented"), "{}", e11.why);
}

#[test]
fn a_note_read_again_gets_the_same_answer_from_the_kept_searches() {
    // The code book keeps the phrase searches of the notes it read; the
    // second reading (and a note edited at its end) must answer as a
    // fresh book does.
    let options = SuggestOptions::default();
    let book = codebook_on(20261001);
    let edited = format!("{DEMO_NOTE} Denies chest pain.");
    let first = book.suggest(DEMO_NOTE, &options).unwrap();
    let again = book.suggest(DEMO_NOTE, &options).unwrap();
    assert_eq!(first, again);
    let fresh = codebook_on(20261001).suggest(&edited, &options).unwrap();
    assert_eq!(book.suggest(&edited, &options).unwrap(), fresh);
    // Another setting is another search, not the outpatient one kept.
    let inpatient = SuggestOptions { setting: Setting::Inpatient, ..SuggestOptions::default() };
    assert_eq!(
        book.suggest(DEMO_NOTE, &inpatient).unwrap(),
        codebook_on(20261001).suggest(DEMO_NOTE, &inpatient).unwrap()
    );
}

#[test]
fn the_kept_searches_follow_the_release_in_force() {
    // D69.11 Glanzmann thrombasthenia is new in FY2027 (2026-10-01); in
    // FY2026 the words name only the header D69.1. A book moved between
    // the two must not answer from the other release's kept searches; the
    // same date set again keeps them.
    let mut book = codebook_on(20261001);
    let options = SuggestOptions::default();
    let codes_now = |book: &chartcode::CodeBook| -> Vec<String> {
        book.suggest("Glanzmann thrombasthenia.", &options).unwrap().into_iter().map(|s| s.entry.code).collect()
    };
    assert_eq!(codes_now(&book), vec!["D69.11"]);
    book.set_today(20260930);
    assert!(!codes_now(&book).contains(&"D69.11".to_string()));
    book.set_today(20261001);
    book.set_today(20261001);
    assert_eq!(codes_now(&book), vec!["D69.11"]);
}

#[test]
fn a_substance_a_month_or_an_activity_alone_is_no_code() {
    // "cigarettes" is no toxic effect (T65.2-), "May" no May-Hegglin
    // anomaly (D72.0), "activity" no external cause (Y93.9), "age" no
    // age-related cognitive decline (R41.81).
    let note = "Since May she smokes 10 cigarettes a day; activity limited for her age.";
    let got: Vec<String> = suggest(note, Setting::Outpatient, true).into_iter().map(|s| s.entry.code).collect();
    for bad in ["T65.2", "D72.0", "Y93", "R41.81"] {
        assert!(!got.iter().any(|c| c.starts_with(bad)), "{bad} in {got:?}");
    }
    // Said to be toxic, it is.
    let got = codes(&suggest("Nicotine toxicity from cigarettes.", Setting::Outpatient, false)).join(" ");
    assert!(got.contains("T65.2"), "{got}");
}

#[test]
fn a_past_condition_is_present_only_when_it_lasts() {
    // No personal-history code named: a DVT or sepsis of the past is not
    // coded as today's; diabetes in a past history lasts.
    let got = codes(&suggest("History of sepsis. Hx of DVT.", Setting::Outpatient, false)).join(" ");
    assert!(!got.contains("A41") && !got.contains("I82"), "{got}");
    // "Former" reaches the next word only.
    let got = codes(&suggest("Former smoker with pneumonia.", Setting::Outpatient, false)).join(" ");
    assert!(got.contains("Z87.891") && got.contains("J18.9"), "{got}");
}
