//! HCPCS Level II, October 2025 quarterly update, from CMS's workbook.

mod common;

use chartcode::compile::{self, Book};
use chartcode::{CodeBook, Kind, SearchOptions};
use std::sync::OnceLock;

/// Counts of the official file: 8,463 codes (record id 3) and 383
/// modifiers (record id 7); 1,205 codes and 20 modifiers carry a
/// termination date, all before the release took effect.
const CODES: usize = 8_463;
const MODIFIERS: usize = 383;
const TERMINATED_CODES: usize = 1_205;

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| common::compile_system("hcpcs"))
}

fn pack_bytes() -> &'static [u8] {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    PACK.get_or_init(|| compile::writer::write_pack(book()).unwrap())
}

fn codebook(today: u32) -> CodeBook<'static> {
    let mut cb = CodeBook::open(&[pack_bytes()]).unwrap();
    cb.set_today(today);
    cb
}

#[test]
fn counts_equal_the_official_ones() {
    let book = book();
    assert_eq!(book.count_kind(Kind::Code), CODES);
    assert_eq!(book.count_kind(Kind::Modifier), MODIFIERS);
    let terminated = book
        .records
        .iter()
        .filter(|r| r.kind == Kind::Code && r.notes.iter().any(|(k, _)| *k == chartcode::NoteKind::Terminated))
        .count();
    assert_eq!(terminated, TERMINATED_CODES);
}

#[test]
fn every_code_and_modifier_is_found() {
    let cb = codebook(20261127);
    let pack = &cb.packs()[0];
    for r in book().records.iter().filter(|r| matches!(r.kind, Kind::Code | Kind::Modifier)) {
        let id = pack.find_code(&r.code).unwrap_or_else(|| panic!("{}", r.code));
        assert_eq!(pack.title(id).unwrap(), r.title);
    }
}

#[test]
fn terminated_codes_are_not_billable_after_their_date() {
    // J1100 (dexamethasone sodium phosphate, 1 mg) has no termination date.
    let cb = codebook(20261127);
    let l = cb.lookup("J1100", None).unwrap();
    let r = l.record.unwrap();
    assert_eq!(r.entry.title, "Injection, dexamethasone sodium phosphate, 1 mg");
    assert!(r.entry.billable && !r.entry.terminated);
    assert_eq!(r.short_title.as_deref(), Some("Dexamethasone sodium phos"));
    assert!(r.added.is_some() && r.action.is_some());

    let terminated = book()
        .records
        .iter()
        .find(|r| r.notes.iter().any(|(k, d)| *k == chartcode::NoteKind::Terminated && d.as_str() == "20241231"))
        .expect("a code terminated on 2024-12-31");
    let code = terminated.code.clone();
    let now = codebook(20261127).lookup(&code, None).unwrap().record.unwrap();
    assert!(now.entry.terminated && !now.entry.billable, "{code}");
    assert_eq!(now.terminated_on.as_deref(), Some("2024-12-31"));
    // Validation says why it may not be used, with the date.
    let v = codebook(20261127).validate(&code, "hcpcs").unwrap();
    assert!(!v.valid, "{code}");
    assert!(v.reason.as_deref().unwrap_or("").contains("terminated on 2024-12-31"), "{:?}", v.reason);
    assert!(codebook(20240601).validate(&code, "hcpcs").unwrap().valid, "{code}");
    // On a day before its termination it was billable.
    let then = codebook(20240601).lookup(&code, None).unwrap().record.unwrap();
    assert!(!then.entry.terminated && then.entry.billable, "{code}");
    // Billable-only searches leave it out once terminated.
    let hits = codebook(20261127).search(&code, &SearchOptions { billable_only: true, ..Default::default() }).unwrap();
    assert!(hits.iter().all(|h| h.entry.code != code));
    // Not knowing the date, a code with a termination date is not billable.
    assert!(!codebook(0).lookup(&code, None).unwrap().record.unwrap().entry.billable);
}

#[test]
fn wheelchair_finds_the_standard_wheelchair() {
    let hits = codebook(20261127).search("wheelchair", &SearchOptions { limit: 50, ..Default::default() }).unwrap();
    assert!(
        hits.iter().any(|h| h.entry.code == "K0001"),
        "{:?}",
        hits.iter().map(|h| &h.entry.code).collect::<Vec<_>>()
    );
    let hits = codebook(20261127).search("standard wheelchair", &SearchOptions::default()).unwrap();
    assert_eq!(hits[0].entry.code, "K0001");
}

#[test]
fn modifiers_are_their_own_kind() {
    let cb = codebook(20261127);
    let r = cb.lookup("LT", None).unwrap().record.unwrap();
    assert_eq!(r.entry.kind, Kind::Modifier);
    assert!(r.entry.title.to_lowercase().contains("left side"), "{}", r.entry.title);
    assert!(!r.entry.billable);
    let mods = cb.children(Some("MOD"), None).unwrap().unwrap();
    assert_eq!(mods.len(), MODIFIERS);
    let hits = cb.search("left side", &SearchOptions { within: vec!["MOD".into()], ..Default::default() }).unwrap();
    assert_eq!(hits[0].entry.code, "LT");
}
