//! The ICD-10-CM Alphabetic Index in the pack: its entries' words find
//! their codes, `see` references are followed, and every code it names is a
//! code of the book (the build stops otherwise).

mod common;

use chartcode::SearchOptions;
use common::*;

fn top(query: &str, n: usize, today: u32) -> Vec<String> {
    let cb = codebook_on(today);
    let options =
        SearchOptions { systems: vec!["icd10cm".into()], limit: n, billable_only: true, ..Default::default() };
    cb.search(query, &options).unwrap().into_iter().map(|h| h.entry.code).collect()
}

#[test]
fn the_index_is_compiled_with_its_report() {
    let book = icd10cm_book();
    let meta = |key: &str| -> usize {
        book.meta.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("{key}")).1.parse().unwrap()
    };
    // 62,721 lines give a code; 12,136 give a `see` reference, 7,481 of them
    // to a path that gives a code (the rest: `see condition`, or a target
    // with only subterms).
    assert!(meta("index.linked") > 70_000, "{}", meta("index.linked"));
    assert!(meta("index.see_followed") > 7_000, "{}", meta("index.see_followed"));
    assert!(book.index_terms.len() > 70_000);
    // Every index term names a record of the book (attach refuses others).
    assert!(book.index_terms.iter().all(|(id, _, _)| (*id as usize) < book.records.len()));
}

#[test]
fn index_words_find_codes_whose_titles_lack_them() {
    // Agranulocytosis → D70.9 "Neutropenia, unspecified".
    assert!(top("agranulocytosis", 10, LAST_DAY_OF_FY2026).contains(&"D70.9".to_string()));
    // Abdominalgia — see Pain, abdominal → R10.9.
    assert_eq!(top("abdominalgia", 1, LAST_DAY_OF_FY2026), vec!["R10.9"]);
    // Attack, heart — see Infarct, myocardium → I21.9.
    assert!(top("heart attack", 5, LAST_DAY_OF_FY2026).contains(&"I21.9".to_string()));
    // A header the index names (D69.1) reaches its default code in the
    // release that split it: FY2027's "Other qualitative platelet defects".
    assert!(top("qualitative platelet defect", 3, 20261001).contains(&"D69.19".to_string()));
    assert!(top("qualitative platelet defect", 3, LAST_DAY_OF_FY2026).contains(&"D69.1".to_string()));
}
