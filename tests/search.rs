//! Search, lookup and browse behaviour on the real ICD-10-CM book.

mod common;

use chartcode::search::{Hit, SearchOptions, Setting};
use chartcode::Kind;
use common::*;

fn search(q: &str) -> Vec<Hit> {
    codebook().search(q, &SearchOptions::default()).unwrap()
}

fn codes(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.entry.code.as_str()).collect()
}

#[test]
fn clinician_queries_rank_the_expected_code_first() {
    for (query, first) in [
        ("type 2 diabetes without complications", "E11.9"),
        ("essential hypertension", "I10"),
        ("Essential Hypertension", "I10"),
        ("hypertension essential", "I10"),
        ("chf", "I50.9"),
        ("htn", "I10"),
        ("copd", "J44.9"),
        ("afib", "I48.91"),
        ("uti", "N39.0"),
        ("dm2", "E11.9"),
        ("pneumonia", "J18.9"),
        // The index's default ("Fracture, femur → S72.9-") before the
        // category whose title the words are.
        ("fractures of femur", "S72.90"),
    ] {
        let hits = search(query);
        assert_eq!(hits.first().map(|h| h.entry.code.as_str()), Some(first), "{query}: {:?}", codes(&hits));
    }
}

#[test]
fn abbreviations_find_their_conditions() {
    // Each expansion of the curated table must find codes in the book, or
    // the table carries dead weight.
    let cb = codebook();
    for (abbr, expansions) in chartcode::search::abbreviations::ABBREVIATIONS {
        for phrase in *expansions {
            let hits = cb.search(phrase, &SearchOptions { limit: 1, ..SearchOptions::default() }).unwrap();
            assert!(
                hits.first().is_some_and(|h| h.matched.iter().map(|m| m.split(' ').count()).sum::<usize>()
                    == phrase.split(' ').filter(|w| !chartcode::normalize::is_stop_word(w)).count()),
                "{abbr}: {phrase:?} finds nothing whole"
            );
        }
        let hits = cb.search(abbr, &SearchOptions { limit: 3, ..SearchOptions::default() }).unwrap();
        assert!(!hits.is_empty(), "{abbr} finds nothing");
    }
    let chf = search("chf");
    assert!(chf.iter().take(5).all(|h| h.entry.code.starts_with("I50")), "{:?}", codes(&chf));
}

#[test]
fn words_match_in_any_order_case_and_accent_insensitive() {
    let a = codes(&search("diabetes type 2")).iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let b = codes(&search("TYPE 2 DIABETES")).iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(a, b);
    for q in ["sezary", "SÉZARY", "Sézary disease"] {
        let hits = search(q);
        assert!(hits.first().is_some_and(|h| h.entry.code.starts_with("C84.1")), "{q}: {:?}", codes(&hits));
    }
    let hits = search("alzheimers");
    assert!(hits.first().is_some_and(|h| h.entry.code.starts_with("G30")), "{:?}", codes(&hits));
}

#[test]
fn the_last_word_is_a_prefix() {
    let hits = search("diab");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.entry.title.to_lowercase().contains("diab")), "{:?}", codes(&hits));
    let hits = search("type 2 diabetes without compl");
    assert_eq!(hits[0].entry.code, "E11.9");
    let hits = search("hypert");
    assert!(hits.iter().take(3).all(|h| h.entry.title.to_lowercase().contains("hypertension")), "{:?}", codes(&hits));
}

#[test]
fn hits_say_what_matched_and_where() {
    let hits = search("type 2 diab");
    let e119 = hits.iter().find(|h| h.entry.code == "E11.9").expect("E11.9 among the hits");
    assert_eq!(e119.matched, vec!["type", "2", "diab"]);
    // "Type 2 diabetes mellitus without complications": Type, 2, diab|etes.
    assert_eq!(e119.highlights, vec![[0, 4], [5, 6], [7, 11]]);
    let chf = &search("chf")[0];
    assert_eq!(chf.matched, vec!["chf"]);
    assert_eq!(chf.highlights, vec![[0, 5], [6, 13]]); // Heart failure
    let sez = &search("sezary")[0];
    assert_eq!(sez.highlights[0], [0, 6]);
}

#[test]
fn all_words_beat_some_words_and_titles_beat_inclusion_terms() {
    let hits = search("femur fracture shaft");
    let full = hits.iter().take_while(|h| h.matched.len() == 3).count();
    assert!(full > 0);
    assert!(hits[full..].iter().all(|h| h.matched.len() < 3));
    // "high blood pressure" is an inclusion term of I10, not its title.
    assert_eq!(search("high blood pressure")[0].entry.code, "I10");
}

#[test]
fn a_lone_letter_waits_for_the_second() {
    // One letter begins a third of the dictionary and says nothing yet.
    for q in ["d", "D", " d ", "é"] {
        assert!(search(q).is_empty(), "{q}");
    }
    assert!(!search("di").is_empty());
}

#[test]
fn seventh_character_words_reach_composed_codes() {
    let hits = search("fracture neck right femur initial closed");
    assert_eq!(hits[0].entry.code, "S72.001A", "{:?}", codes(&hits));
    assert_eq!(hits[0].matched.len(), 6);
    let hits = search("poisoning penicillins accidental initial");
    assert_eq!(hits[0].entry.code, "T36.0X1A", "{:?}", codes(&hits));
}

#[test]
fn filters_billable_range_chapter_and_limit() {
    let cb = codebook();
    let opts = |billable_only: bool, within: &[&str], limit: usize| SearchOptions {
        systems: vec![],
        limit,
        billable_only,
        within: within.iter().map(|s| s.to_string()).collect(),
        setting: None,
    };
    let hits = cb.search("fracture femur", &opts(true, &[], 50)).unwrap();
    assert_eq!(hits.len(), 50);
    assert!(hits.iter().all(|h| h.entry.billable));
    assert!(hits[0].entry.code.starts_with("S72"), "{:?}", codes(&hits));

    let hits = cb.search("diabetes", &opts(false, &["E08-E13"], 100)).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| ("E08".."E14").contains(&&h.entry.code[..3])), "{:?}", codes(&hits));

    let hits = cb.search("diabetes", &opts(false, &["O00-O9A"], 20)).unwrap();
    assert!(hits.iter().all(|h| h.entry.code.starts_with('O')), "{:?}", codes(&hits));

    assert_eq!(cb.search("fracture", &opts(false, &[], 3)).unwrap().len(), 3);
    assert!(cb.search("fracture", &opts(false, &[], 0)).unwrap().is_empty());
    assert_eq!(cb.search("fracture", &opts(false, &[], 1_000_000)).unwrap().len(), chartcode::search::MAX_LIMIT);
    assert!(cb.search("fracture", &opts(false, &["not a code!"], 3)).is_err());
    assert!(cb.search("fracture", &SearchOptions { systems: vec!["cpt".into()], ..SearchOptions::default() }).is_err());
}

#[test]
fn codes_in_the_query_complete_or_narrow() {
    let hits = search("e11");
    assert_eq!(hits[0].entry.code, "E11");
    assert!(hits.iter().all(|h| h.entry.code.starts_with("E11")));
    let hits = search("E11.6");
    assert_eq!(hits[0].entry.code, "E11.6");
    let hits = search("diabetes e11");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.entry.code.starts_with("E11")), "{:?}", codes(&hits));
    assert_eq!(hits[0].entry.code, "E11.9");
    let hits = search("S72.00");
    assert_eq!(hits[0].entry.code, "S72.00");
}

#[test]
fn odd_queries_return_promptly_without_panic() {
    let cb = codebook();
    let long = "a".repeat(10_000);
    let words = "diabetes ".repeat(1_200);
    let queries = [
        "",
        "   ",
        long.as_str(),
        words.as_str(),
        "🩺💉❤️",
        "قلب مرض السكري",
        "סוכרת",
        "\u{202e}diabetes\u{202c}",
        "\u{0}\u{1}\u{7}\u{1b}[31m",
        "diabetes\u{0}type",
        "e\u{301}\u{301}\u{301}",
        "((((((",
        ".-.-.-",
        "E11.-",
        "ℌ𝔢𝔞𝔯𝔱",
    ];
    for q in queries {
        let hits = cb.search(q, &SearchOptions::default()).unwrap();
        assert!(hits.len() <= chartcode::search::DEFAULT_LIMIT);
        let _ = cb.lookup(q, None).unwrap();
        let _ = cb.children(Some(q), None).unwrap();
    }
    assert!(cb.search("", &SearchOptions::default()).unwrap().is_empty());
    assert!(cb.search("🩺", &SearchOptions::default()).unwrap().is_empty());
    assert!(!cb.search(&words, &SearchOptions::default()).unwrap().is_empty());
}

#[test]
fn lookup_forms_and_help() {
    let cb = codebook();
    let id = |code: &str| cb.lookup(code, None).unwrap().record.map(|r| r.entry.code);
    assert_eq!(id("E11.9").as_deref(), Some("E11.9"));
    assert_eq!(id("e119").as_deref(), Some("E11.9"));
    assert_eq!(id(" E11.9 ").as_deref(), Some("E11.9"));
    assert_eq!(id("e11.9").as_deref(), Some("E11.9"));

    // A header that needs a 7th character says so and lists the valid ones.
    let l = cb.lookup("S72.001", None).unwrap();
    let rec = l.record.as_ref().unwrap();
    assert!(!rec.entry.billable);
    assert!(l.help.as_ref().unwrap().contains("7th character is required"), "{:?}", l.help);
    let chars: Vec<&str> = rec.seventh_characters.iter().map(|s| s.character.as_str()).collect();
    assert_eq!(chars, ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "M", "N", "P", "Q", "R", "S"]);
    assert_eq!(rec.seventh_characters[0].code, "S72.001A");
    assert_eq!(l.candidates.len(), 16);

    // An invalid 7th character names the valid ones.
    let l = cb.lookup("S72.001Z", None).unwrap();
    assert!(l.record.is_none());
    assert!(l.help.unwrap().contains("Z is not a valid 7th character for S72.001"));
    // Placeholder X: S09.90 takes S09.90XA.
    assert!(cb.lookup("S09.90XA", None).unwrap().record.is_some());
    assert!(cb.lookup("S0990XA", None).unwrap().record.is_some());

    // "E11." lists E11's children.
    let l = cb.lookup("E11.", None).unwrap();
    assert_eq!(l.record.unwrap().entry.code, "E11");
    assert_eq!(l.candidates.first().map(|c| c.code.as_str()), Some("E11.0"));
    assert_eq!(l.candidates.last().map(|c| c.code.as_str()), Some("E11.A"));

    // A code that does not exist points to the nearest one.
    let l = cb.lookup("E11.99", None).unwrap();
    assert!(l.record.is_none());
    assert!(l.help.as_ref().unwrap().contains("E11.9"), "{:?}", l.help);
    let l = cb.lookup("E11.7", None).unwrap();
    assert!(l.record.is_none());
    assert!(l.candidates.iter().any(|c| c.code == "E11.9"));
    let l = cb.lookup("hello", None).unwrap();
    assert!(l.record.is_none() && l.help.is_some());
    assert!(cb.lookup("E11.9", Some("hcpcs")).is_err());
}

#[test]
fn browse_from_the_top() {
    let cb = codebook();
    let chapters = cb.children(None, None).unwrap().unwrap();
    assert_eq!(chapters.len(), 22);
    assert!(chapters.iter().all(|c| c.kind == Kind::Chapter));
    assert_eq!(chapters[0].code, "A00-B99");
    assert_eq!(chapters[21].code, "U00-U85");
    let sections = cb.children(Some("A00-B99"), None).unwrap().unwrap();
    assert_eq!(sections[0].code, "A00-A09");
    assert!(sections.iter().all(|c| c.kind == Kind::Section));
    let cats = cb.children(Some("A00-A09"), None).unwrap().unwrap();
    assert_eq!(cats[0].code, "A00");
    let e11: Vec<String> = cb.children(Some("E11"), None).unwrap().unwrap().into_iter().map(|e| e.code).collect();
    assert_eq!(e11, ["E11.0", "E11.1", "E11.2", "E11.3", "E11.4", "E11.5", "E11.6", "E11.8", "E11.9", "E11.A"]);
    let s72001: Vec<String> =
        cb.children(Some("S72.001"), None).unwrap().unwrap().into_iter().map(|e| e.code).collect();
    assert_eq!(s72001.len(), 16);
    assert_eq!(s72001[0], "S72.001A");
    assert!(cb.children(Some("E11.9"), None).unwrap().unwrap().is_empty());
    assert!(cb.children(Some("Q99.99"), None).unwrap().is_none());
}

#[test]
fn a_small_limit_returns_the_head_of_a_large_one() {
    // The search prunes candidates that cannot reach the top `limit`; that
    // must never change which hits come first.
    let cb = codebook();
    let run = |q: &str, limit: usize, billable_only: bool| {
        cb.search(q, &SearchOptions { limit, billable_only, ..SearchOptions::default() })
            .unwrap()
            .into_iter()
            .map(|h| h.entry.code)
            .collect::<Vec<_>>()
    };
    for q in [
        "fracture femur",
        "fracture of neck of right femur i",
        "fracture of neck of right femur initial",
        "pneumonia u",
        "type 2 d",
        "diabetes without complications",
        "chf",
        "heart failure acute on chronic",
        "di",
        "poisoning penicillins accidental init",
        "copd exacerbation",
        "zzz fracture",
    ] {
        for billable_only in [false, true] {
            let big = run(q, 400, billable_only);
            for limit in [1, 5, 20] {
                let small = run(q, limit, billable_only);
                assert_eq!(small[..], big[..small.len().min(big.len())], "{q} limit {limit} billable {billable_only}");
                assert_eq!(small.len(), limit.min(big.len()), "{q} limit {limit}");
            }
        }
    }
}

#[test]
fn a_word_being_typed_never_outranks_the_finished_words() {
    // "fracture o": the "o" is still being typed; hits must match "fracture".
    for q in ["fracture o", "fracture of neck o", "pneumonia u", "diabetes t"] {
        let first_word = q.split(' ').next().unwrap();
        let hits = search(q);
        assert!(!hits.is_empty(), "{q}");
        assert!(hits.iter().all(|h| h.matched.iter().any(|m| m == first_word)), "{q}: {:?}", codes(&hits));
    }
}

/// A word with one typo finds the code the word finds: every swap of two
/// neighbouring letters of a fixed list of words (a swap is one edit). An
/// exact word is never corrected.
#[test]
fn one_typo_finds_the_code() {
    let mut cb = codebook();
    cb.set_today(LAST_DAY_OF_FY2026);
    let options =
        SearchOptions { systems: vec!["icd10cm".into()], limit: 10, billable_only: true, ..Default::default() };
    let words = [
        ("hypertension", "I10"),
        ("pneumonia", "J18.9"),
        ("appendicitis", "K37"),
        ("bronchitis", "J40"),
        ("cholecystitis", "K81.9"),
        ("conjunctivitis", "H10.9"),
        ("dermatitis", "L30.9"),
        ("osteoporosis", "M81.0"),
        ("migraine", "G43.909"),
        ("cellulitis", "L03.90"),
    ];
    let mut checked = 0;
    for (word, code) in words {
        let exact = cb.search(word, &options).unwrap();
        assert!(exact.iter().all(|h| h.via.is_none()), "{word} is not corrected");
        let chars: Vec<char> = word.chars().collect();
        for i in 0..chars.len() - 1 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut v = chars.clone();
            v.swap(i, i + 1);
            let typo: String = v.into_iter().collect();
            let hits = cb.search(&typo, &options).unwrap();
            assert!(hits.iter().any(|h| h.entry.code == code), "{typo}: {code} not in the first 10");
            let via = hits[0].via.as_ref().unwrap_or_else(|| panic!("{typo}: no via"));
            assert_eq!((via.kind, via.text.as_str()), ("typo", word), "{typo}");
            checked += 1;
        }
    }
    assert_eq!(checked, 98);
}

#[test]
fn every_record_knows_its_category() {
    // What ranking's context reads: the category whose subtree holds a
    // record (stored, composed, or the category itself); none above one.
    let p = pack();
    let id = |code: &str| p.find_code(code).unwrap_or_else(|| panic!("{code}"));
    assert_eq!(p.category_of(id("I509")).unwrap(), Some(id("I50")));
    assert_eq!(p.category_of(id("I50")).unwrap(), Some(id("I50")));
    assert_eq!(p.category_of(id("S72001A")).unwrap(), Some(id("S72")));
    assert_eq!(p.category_of(id("E1165")).unwrap(), Some(id("E11")));
    // A chapter is above every category.
    let chapter = p.row(id("I50")).unwrap().parent.and_then(|s| p.row(s).unwrap().parent).unwrap();
    assert_eq!(p.category_of(chapter).unwrap(), None);
    // Every code's category is its first three characters.
    for code in ["A000", "C180", "M1A00X0", "T360X1A", "Z9989"] {
        let c = p.category_of(id(code)).unwrap().map(|c| p.code(c).unwrap());
        assert_eq!(c.as_deref().map(|c| c.replace('.', "")), Some(code[..3].to_string()), "{code}");
    }
}

/// The ranking reads content-word counts from a table the pack keeps as
/// they are read, and category and chapter ranges from one walk over the
/// rows; on the real ICD-10-CM pack, read and read again, they must agree
/// with what each record's own row and title say.
#[test]
fn the_one_pass_tables_agree_with_each_record() {
    let p = pack();
    let mut stored = 0;
    for id in 0..p.record_count() {
        if p.is_composed(id) {
            continue;
        }
        stored += 1;
        let title = p.title(id).unwrap();
        let words = chartcode::normalize::content_words(&title);
        assert_eq!(p.content_words(id).unwrap(), words, "{title}");
        assert_eq!(p.content_words(id).unwrap(), words, "{title}, as kept");
    }
    assert!(stored > 40_000, "{stored} stored records");
    let categories = p.category_ranges().unwrap();
    assert_eq!(categories.len(), 1_921, "the categories `chartcode stats` counts");
    for &(start, end) in categories.iter().chain(p.top_level_ranges().unwrap()) {
        assert_eq!(p.subtree_end(start).unwrap(), end, "{}", p.code(start).unwrap());
    }
    assert_eq!(p.top_level_ranges().unwrap().len(), 22);
}

/// The term dictionary's automaton walk keeps the automaton's state along
/// shared prefixes and skips the blocks under a prefix it gave up on: on the
/// real ICD-10-CM dictionary it must accept exactly the terms a plain check
/// of every term accepts, for typo budgets of one and two edits.
#[test]
fn the_dictionary_walk_skips_nothing_it_should_find() {
    use chartcode::search::typo::{distance, Damerau};
    let pack = pack();
    let mut all: Vec<String> = Vec::new();
    pack.for_terms_with_prefix("", |k, _| {
        all.push(k.to_string());
        true
    });
    assert_eq!(all.len(), pack.term_count());
    assert!(all.windows(2).all(|w| w[0] < w[1]), "terms in order");
    for (word, max) in
        [("hypertnsion", 2u8), ("fractur", 1), ("diabetis", 2), ("asthma", 1), ("zzzz", 1), ("acetic", 1)]
    {
        let mut walked = Vec::new();
        pack.for_terms_matching("", Damerau::new(word, max), |k, _| {
            walked.push(k.to_string());
            true
        });
        let checked: Vec<String> =
            all.iter().filter(|t| distance(word.as_bytes(), t.as_bytes()) <= max).cloned().collect();
        assert_eq!(walked, checked, "{word} within {max}");
    }
    // Exact lookups and prefixes agree with the full list too.
    for t in all.iter().step_by(97) {
        assert!(pack.term(t).is_some(), "{t}");
        let mut under = 0;
        pack.for_terms_with_prefix(t, |_, _| {
            under += 1;
            true
        });
        assert_eq!(under, all.iter().filter(|u| u.starts_with(t.as_str())).count(), "{t}");
    }
    assert!(pack.term("zzzzzz").is_none());
}

/// In a skilled nursing facility the patient is in aftercare: an injury's
/// subsequent encounter (D) comes first there; elsewhere the initial
/// encounter (A). Sequela (S) stays last unless asked for.
#[test]
fn a_setting_chooses_the_seventh_character() {
    let cb = codebook();
    let first = |q: &str, setting: Option<Setting>| -> String {
        let options = SearchOptions {
            systems: vec!["icd10cm".into()],
            limit: 1,
            billable_only: true,
            setting,
            ..SearchOptions::default()
        };
        cb.search(q, &options).unwrap()[0].entry.code.clone()
    };
    for (q, a, d) in [("nasal fracture", "S02.2XXA", "S02.2XXD"), ("transfusion reaction", "T80.92XA", "T80.92XD")] {
        assert_eq!(first(q, None), a, "{q}");
        assert_eq!(first(q, Some(Setting::Outpatient)), a, "{q}");
        assert_eq!(first(q, Some(Setting::Inpatient)), a, "{q}");
        assert_eq!(first(q, Some(Setting::Snf)), d, "{q}");
    }
    assert_eq!(first("nasal fracture sequela", Some(Setting::Snf)), "S02.2XXS");
    // A code that has no encounter is not moved.
    assert_eq!(first("essential hypertension", Some(Setting::Snf)), "I10");
    for name in Setting::NAMES {
        assert_eq!(Setting::parse(name).map(Setting::as_str), Some(name));
    }
    assert!(Setting::parse("SNF ").is_none() && Setting::parse("nursing").is_none());
}

/// In a dental office the oral-cavity codes (K00–K14) and the dental Z
/// codes come first; the rest follow as ranked, and a typed code is
/// found as anywhere.
#[test]
fn a_dental_office_sees_dental_codes_first() {
    let cb = codebook();
    let search = |q: &str, setting: Option<Setting>| -> Vec<String> {
        let options = SearchOptions { limit: 8, billable_only: true, setting, ..SearchOptions::default() };
        cb.search(q, &options).unwrap().into_iter().map(|h| h.entry.code).collect()
    };
    let everywhere = search("abscess", None);
    let dental = search("abscess", Some(Setting::Dental));
    assert!(!everywhere[0].starts_with("K0"), "{everywhere:?}");
    assert_eq!(dental[0], "K04.7", "{dental:?}");
    assert!(dental.contains(&everywhere[0]), "the others follow: {dental:?}");
    assert_eq!(dental.len(), 8);
    assert_eq!(search("dental examination", Some(Setting::Dental))[0].get(..5), Some("Z01.2"));
    assert_eq!(search("e11.9", Some(Setting::Dental))[0], "E11.9");
    assert_eq!(search("essential hypertension", Some(Setting::Dental))[0], "I10");
}

/// A typo in the word being typed: what has been typed is read as the
/// nearest prefix of the books' words and completed from there, while the
/// word is still unfinished ("pnuemon" → "pneumon…").
#[test]
fn a_typo_in_the_word_being_typed_is_corrected_as_a_prefix() {
    let mut cb = codebook();
    cb.set_today(LAST_DAY_OF_FY2026);
    let options =
        SearchOptions { systems: vec!["icd10cm".into()], limit: 10, billable_only: true, ..Default::default() };
    for (typed, corrected, code) in [
        ("pnuemon", "pneumon", "J18.9"),
        ("hypertnsi", "hypertensi", "I10"),
        ("essential hypertnsi", "essential hypertensi", "I10"),
        ("apendicit", "appendicit", "K37"),
    ] {
        let hits = cb.search(typed, &options).unwrap();
        assert!(hits.iter().any(|h| h.entry.code == code), "{typed}: {code} not in the first 10");
        let via = hits[0].via.as_ref().unwrap_or_else(|| panic!("{typed}: no via"));
        assert_eq!((via.kind, via.text.as_str()), ("typo", corrected), "{typed}");
    }
    // A prefix that begins some word is not corrected.
    assert!(cb.search("pneumon", &options).unwrap().iter().all(|h| h.via.is_none()));
}

/// What a search answers, for comparing two searches.
fn answers(hits: &[Hit]) -> Vec<(String, u32)> {
    hits.iter().map(|h| (h.entry.code.clone(), h.score)).collect()
}

/// Type-ahead takes the candidates of the words already typed from the
/// keystroke before (the code book's recent slot lists): typed letter by
/// letter on one code book, every answer must be the one a fresh code book
/// gives.
#[test]
fn recent_slot_lists_give_the_answers_a_fresh_search_gives() {
    let warm = codebook();
    let mut compared = 0;
    for query in [
        "fracture of neck of right femur initial",
        "type 2 dm without complications",
        "left lower leg cellulitis",
        "cyst of ovary",
        "ear pain",
        "arm fracture",
    ] {
        for n in (1..=query.len()).filter(|&n| query.is_char_boundary(n)) {
            for billable_only in [false, true] {
                let options = SearchOptions { billable_only, ..Default::default() };
                let typed = &query[..n];
                let cold = codebook().search(typed, &options).unwrap();
                assert_eq!(answers(&warm.search(typed, &options).unwrap()), answers(&cold), "{typed}");
                compared += usize::from(!cold.is_empty());
            }
        }
    }
    assert!(compared > 150, "{compared}");
}

/// The recent slot lists hold the records of the release in force: when
/// the date chooses another release, none of them may answer.
#[test]
fn recent_slot_lists_are_forgotten_when_the_release_changes() {
    let options = SearchOptions { billable_only: true, ..Default::default() };
    let mut book = codebook_on(20261001);
    let fy2027 = book.search("dilated cardiomyopathy", &options).unwrap();
    assert!(codes(&fy2027).iter().all(|c| *c != "I42.0"), "I42.0 has children in FY2027: {:?}", codes(&fy2027));
    book.set_today(LAST_DAY_OF_FY2026);
    let fy2026 = book.search("dilated cardiomyopathy", &options).unwrap();
    assert_eq!(codes(&fy2026).first(), Some(&"I42.0"), "billable in FY2026");
    assert_eq!(
        answers(&fy2026),
        answers(&codebook_on(LAST_DAY_OF_FY2026).search("dilated cardiomyopathy", &options).unwrap())
    );
}
