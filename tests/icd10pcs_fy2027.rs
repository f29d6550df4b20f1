//! ICD-10-PCS by date of service: the FY2026 Tables (October 2025), the
//! April 1, 2026 update and FY2027, derived from the Tables and the change
//! lists (see `src/compile/icd10pcs_update.rs`).

mod common;

use chartcode::compile::icd10pcs_update::parse_changes;
use common::*;
use std::collections::BTreeSet;
use std::io::Read;

fn gunzip(path: &str) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(codebooks_dir().join(path)).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The billable codes of the release in force on `today`.
fn codes_on(today: u32) -> BTreeSet<String> {
    let mut cb = all_books();
    cb.set_today(today);
    let pack = cb.pack("icd10pcs").unwrap().clone();
    let mut out = BTreeSet::new();
    for id in 0..pack.record_count() {
        if pack.is_present(id) && pack.is_billable(id).unwrap() {
            out.insert(pack.code(id).unwrap());
        }
    }
    assert_eq!(out.len(), pack.billable_count() as usize);
    out
}

fn title_on(today: u32, code: &str) -> Option<String> {
    let mut cb = all_books();
    cb.set_today(today);
    cb.lookup(code, Some("icd10pcs")).unwrap().record.map(|r| r.entry.title)
}

#[test]
fn each_release_has_its_official_count_and_fy2027_equals_the_derived_list() {
    let october = codes_on(20251001);
    let april = codes_on(20260401);
    let fy2027 = codes_on(20261001);
    assert_eq!((october.len(), april.len(), fy2027.len()), (79_115, 79_193, 79_256));
    // The FY2027 codes, as the MCE v44 and the addenda's own total give them.
    let derived: BTreeSet<String> = gunzip("icd10pcs/icd10pcs_valid_codes_2027.txt.gz")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(derived.len(), 79_256);
    assert_eq!(fy2027.difference(&derived).take(5).collect::<Vec<_>>(), Vec::<&String>::new());
    assert_eq!(derived.difference(&fy2027).take(5).collect::<Vec<_>>(), Vec::<&String>::new());
    // The April update: 80 added, 2 deleted (30233AZ, 30243AZ).
    assert_eq!(april.difference(&october).count(), 80);
    assert_eq!(october.difference(&april).cloned().collect::<Vec<_>>(), vec!["30233AZ", "30243AZ"]);
}

#[test]
fn every_addenda_line_is_reflected() {
    let addenda = parse_changes(&gunzip("icd10pcs/icd10pcs_codes_addenda_2027.txt.gz"), "addenda").unwrap();
    assert_eq!((addenda.added.len(), addenda.deleted.len(), addenda.revised.len()), (101, 38, 3));
    let (april, fy2027) = (codes_on(20260930), codes_on(20261001));
    for (code, title) in &addenda.added {
        assert!(fy2027.contains(code) && !april.contains(code), "{code}");
        assert_eq!(title_on(20261001, code).as_ref(), title.as_ref(), "{code}");
    }
    for code in &addenda.deleted {
        assert!(april.contains(code) && !fy2027.contains(code), "{code}");
    }
    for (code, former, new) in &addenda.revised {
        assert_eq!(title_on(20260930, code).as_ref(), Some(former), "{code}");
        assert_eq!(title_on(20261001, code).as_ref(), Some(new), "{code}");
    }
}

#[test]
fn codes_of_the_april_update_are_valid_from_april_and_say_their_title_is_missing() {
    let mut cb = all_books();
    cb.set_today(20260331);
    assert!(!cb.validate("02HM3JZ", "icd10pcs").unwrap().valid);
    assert!(cb.validate("30233AZ", "icd10pcs").unwrap().valid);
    cb.set_today(20260401);
    assert!(cb.validate("02HM3JZ", "icd10pcs").unwrap().valid);
    let v = cb.validate("30233AZ", "icd10pcs").unwrap();
    assert!(!v.valid && v.reason.unwrap().contains("deleted in FY2026 April 1, 2026 update"));
    let title = cb.lookup("02HM3JZ", None).unwrap().record.unwrap().entry.title;
    assert!(title.contains("its title is not in the files chartcode has"), "{title}");
}

#[test]
fn search_and_the_code_builder_follow_the_date_of_service() {
    let mut cb = all_books();
    let options = chartcode::SearchOptions { systems: vec!["icd10pcs".into()], ..Default::default() };
    let found = |cb: &chartcode::CodeBook, q: &str| -> Vec<String> {
        cb.search(q, &options).unwrap().into_iter().map(|h| h.entry.code).collect()
    };
    cb.set_today(20261001);
    assert!(found(&cb, "zimislecel").contains(&"XW0337C".to_string()));
    let next: Vec<String> =
        cb.children(Some("028"), Some("icd10pcs")).unwrap().unwrap().into_iter().map(|e| e.code).collect();
    assert!(next.contains(&"028F".to_string()), "{next:?}");
    cb.set_today(20260930);
    assert!(found(&cb, "zimislecel").is_empty());
    let next: Vec<String> =
        cb.children(Some("028"), Some("icd10pcs")).unwrap().unwrap().into_iter().map(|e| e.code).collect();
    assert!(!next.contains(&"028F".to_string()), "{next:?}");
}

/// The code builder offers a character only when a code of the release in
/// force follows from it: X2KB317 (deleted by FY2027) and 30233AZ (deleted by
/// the April update) leave the builder with their release.
#[test]
fn the_code_builder_offers_no_deleted_code() {
    let next = |today: u32, prefix: &str| -> Vec<String> {
        let mut cb = all_books();
        cb.set_today(today);
        cb.children(Some(prefix), Some("icd10pcs"))
            .unwrap()
            .map(|v| v.into_iter().map(|e| e.code).collect())
            .unwrap_or_default()
    };
    assert!(next(20260930, "X2KB31").contains(&"X2KB317".to_string()));
    assert!(!next(20261001, "X2KB31").contains(&"X2KB317".to_string()));
    assert!(next(20260331, "30233A").contains(&"30233AZ".to_string()));
    assert!(!next(20260501, "30233A").contains(&"30233AZ".to_string()));
    // Every choice the builder offers on FY2027 for every table leads to a
    // code of FY2027 (checked through the codes that start with it).
    let fy2027 = codes_on(20261001);
    let mut cb = all_books();
    cb.set_today(20261001);
    let pack = cb.pack("icd10pcs").unwrap().clone();
    let tables: Vec<String> = (0..pack.record_count())
        .filter(|&id| pack.is_present(id) && pack.row(id).unwrap().kind == chartcode::Kind::Table)
        .map(|id| pack.code(id).unwrap())
        .collect();
    assert!(tables.len() > 900);
    for t in &tables {
        for choice in cb.children(Some(t), Some("icd10pcs")).unwrap().unwrap_or_default() {
            assert!(
                fy2027.range(choice.code.clone()..).next().is_some_and(|c| c.starts_with(&choice.code)),
                "{t}: {} leads to no FY2027 code",
                choice.code
            );
        }
    }
}
