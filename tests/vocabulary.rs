//! What people type: lay words, punctuated shorthand, and the `via` a hit
//! gives when it matched through them, the index or a correction.

mod common;

use chartcode::search::vocabulary::{LAY_TERMS, SHORTHAND};
use chartcode::search::{Hit, SearchOptions};
use common::*;

fn search(q: &str, limit: usize) -> Vec<Hit> {
    let options = SearchOptions { systems: vec!["icd10cm".into()], limit, billable_only: true, ..Default::default() };
    codebook_on(LAST_DAY_OF_FY2026).search(q, &options).unwrap()
}

fn codes(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.entry.code.as_str()).collect()
}

/// The first three hits of `query`, checked to begin with code `first`.
fn first_of_three(query: &str, first: &str) -> Vec<Hit> {
    let hits = search(query, 3);
    assert_eq!(codes(&hits).first(), Some(&first), "{query}: {:?}", codes(&hits));
    hits
}

#[test]
fn lay_terms_find_their_conditions() {
    // Every clinical phrase of the table must be words of the book, or the
    // line carries dead weight.
    let cb = codebook_on(LAST_DAY_OF_FY2026);
    for (lay, clinical, _) in LAY_TERMS {
        for phrase in *clinical {
            let options = SearchOptions { systems: vec!["icd10cm".into()], limit: 1, ..Default::default() };
            let hits = cb.search(phrase, &options).unwrap();
            let words = phrase.split(' ').filter(|w| !chartcode::normalize::is_stop_word(w)).count();
            // A phrase may itself be a lay term ("high blood pressure"): one
            // matched entry of several words.
            let matched = |h: &chartcode::search::Hit| h.matched.iter().map(|m| m.split(' ').count()).sum::<usize>();
            assert!(hits.first().is_some_and(|h| matched(h) == words), "{lay}: {phrase:?} finds nothing whole");
        }
    }
}

#[test]
fn lay_words_reach_the_clinical_code() {
    for (query, code, within) in [
        ("heart attack", "I21.9", 1),
        ("pink eye", "H10.9", 1),
        ("high blood pressure", "I10", 1),
        ("colon cancer", "C18.9", 1),
        ("lung mets", "C78.00", 1),
        // A lay word in any phrase, not only the index entry's own.
        ("broken wrist", "S62.109A", 1),
        ("broken hip", "S72.009A", 1),
        ("sugar diabetes", "E11.9", 3),
        ("flu shot", "Z23", 3),
    ] {
        let hits = search(query, within);
        assert!(codes(&hits).contains(&code), "{query}: {:?}", codes(&search(query, 5)));
    }
}

#[test]
fn punctuated_shorthand_is_read_as_words() {
    for (query, code) in [("s/p cabg", "Z95.1"), ("h/o breast cancer", "Z85.3"), ("S/P CABG", "Z95.1")] {
        let hits = search(query, 1);
        assert_eq!(codes(&hits), vec![code], "{query}: {:?}", codes(&search(query, 5)));
    }
    // "r/o" (rule out) and "c/o" (complains of) ask for nothing themselves.
    assert_eq!(codes(&search("r/o pneumonia", 5)), codes(&search("pneumonia", 5)));
    assert_eq!(codes(&search("c/o chest pain", 5)), codes(&search("chest pain", 5)));
    assert!(SHORTHAND.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn a_hit_says_how_it_matched() {
    let via = |q: &str| search(q, 1).into_iter().next().and_then(|h| h.via).map(|v| (v.kind, v.text));
    assert_eq!(via("heart attack"), Some(("lay", "heart attack → myocardial infarction".to_string())));
    assert_eq!(via("chf"), Some(("abbreviation", "chf → heart failure".to_string())));
    assert_eq!(via("hypertnsion"), Some(("typo", "hypertension".to_string())));
    // Abdominalgia — see Pain, abdominal: R10.9's title has neither word.
    assert_eq!(via("abdominalgia"), Some(("index", "abdominalgia".to_string())));
    // Words of the title itself: no via.
    assert_eq!(via("essential hypertension"), None);
}

/// Lay spelling splits compounds the book writes as one word: two query
/// words whose join is a word of the book are read as that word (or both),
/// one matched entry for the two.
#[test]
fn split_compounds_are_read_as_the_book_writes_them() {
    for (query, first) in [
        ("chicken pox", "B01.9"),
        ("heart burn", "R12"),
        ("small pox", "B03"),
        ("still birth", "P95"),
        ("hyper tension", "I10"),
        ("post nasal drip", "R09.82"),
        ("sun burn", "L55.9"),
        // The joined word is one word of the title: "Headache, unspecified"
        // has no word beyond the query, "Hypnic headache" one.
        ("head ache", "R51.9"),
    ] {
        let hits = first_of_three(query, first);
        let pair: Vec<&str> = query.split(' ').take(2).collect();
        assert_eq!(hits[0].matched[0], pair.join(" "), "{query}");
    }
    // Digits never join ("type 2"), and words whose join is no word of the
    // book stay apart.
    assert_eq!(search("type 2 diabetes", 1)[0].matched, ["type", "2", "diabetes"]);
    assert_eq!(search("back pain", 1)[0].matched, ["back", "pain"]);
}

/// Clinicians shorten words on purpose ("resp", "obstr", "osteoarth"): a
/// finished word of four letters or more that no term is, but some begin
/// with, is read as their start, as the word being typed is, not corrected
/// into another word ("obstr pulm" is not "palm").
#[test]
fn shortened_words_are_read_as_the_start_of_words() {
    for (query, first) in [
        ("chron obstr pulm disease", "J44.9"),
        ("osteoarth knee", "M17.9"),
        ("acute resp failure", "J96.00"),
        ("atrial fibrill paroxysmal", "I48.0"),
    ] {
        let hits = first_of_three(query, first);
        assert!(hits[0].via.as_ref().is_none_or(|v| v.kind != "typo"), "{query}: {:?}", hits[0].via);
    }
    // A misspelt whole word is still corrected ("diabetis" begins no term),
    // and so is one that begins only rare words when a correction is a
    // far commoner word ("hipp" begins "hippocampus" but is "hip").
    for (query, first) in [("diabetis type 2", "E11.9"), ("hipp fracture", "S72.009A"), ("chest pani left", "R07.9")] {
        let hits = search(query, 1);
        assert_eq!(codes(&hits), [first], "{query}");
        assert_eq!(hits[0].via.as_ref().map(|v| v.kind), Some("typo"), "{query}");
    }
}

/// A laboratory finding named by its level ("low potassium", "sodium
/// high") reaches the clinical word of the books, in either word order;
/// every finding of the table must be words of the book.
#[test]
fn level_findings_find_their_conditions() {
    use chartcode::search::vocabulary::LEVEL_FINDINGS;
    let cb = codebook_on(LAST_DAY_OF_FY2026);
    for (measured, low, high, _) in LEVEL_FINDINGS {
        for phrase in low.iter().chain(high.iter()) {
            let options = SearchOptions { systems: vec!["icd10cm".into()], limit: 1, ..Default::default() };
            let hits = cb.search(phrase, &options).unwrap();
            // Found as written (in a title or the index): a single word is
            // also a prefix and is corrected, so a misspelt finding would
            // find something too.
            let as_written =
                |h: &chartcode::search::Hit| h.matched.len() == 1 && h.via.as_ref().is_none_or(|v| v.kind != "typo");
            assert!(hits.first().is_some_and(as_written), "{measured}: {phrase:?} is not a word of the book");
        }
    }
    for (query, first) in [
        ("potassium low", "E87.6"),
        ("low potassium", "E87.6"),
        ("high calcium", "E83.52"),
        ("platelets low", "D69.6"),
        ("elevated white count", "D72.829"),
        ("low oxygen", "R09.02"),
        ("low platelet count", "D69.6"),
    ] {
        first_of_three(query, first);
    }
    // "Low" that is not a level stays a word of its own.
    assert_eq!(codes(&search("low back pain", 1)), ["M54.50"]);
}

/// A misspelt finished word of a lay term or level finding is corrected
/// before the vocabulary is looked up: the query then finds what the
/// correctly spelt one finds, and says it was corrected.
#[test]
fn a_misspelt_word_of_a_lay_term_is_corrected_first() {
    for (typed, spelt) in [
        ("potasium low", "potassium low"),
        ("sodum high", "sodium high"),
        ("brokn arm", "broken arm"),
        // The word being typed, when no word begins with it.
        ("low potasium", "low potassium"),
    ] {
        let hits = search(typed, 3);
        assert_eq!(codes(&hits), codes(&search(spelt, 3)), "{typed}");
        let via = hits[0].via.as_ref().unwrap_or_else(|| panic!("{typed}: no via"));
        assert_eq!((via.kind, via.text.as_str()), ("typo", spelt), "{typed}");
    }
}
