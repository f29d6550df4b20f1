//! HCPCS Level II, January 2026 quarterly update (CMS's 01/12/2026
//! re-post), from CMS's workbook, with its processing notes, its list of
//! "not otherwise classified" codes and the NCCI practitioner MUEs.

mod common;

use chartcode::compile::{self, Book};
use chartcode::{CodeBook, Kind, SearchOptions};
use std::sync::OnceLock;

/// Counts of the official file: 8,623 codes (record id 3) and 383
/// modifiers (record id 7); 1,300 codes and 20 modifiers carry a
/// termination date; 95 codes end on 2025-12-31 (CMS's transaction report:
/// 101 discontinued, of which 6 are CDT codes the file does not carry).
const CODES: usize = 8_623;
const MODIFIERS: usize = 383;
const TERMINATED_CODES: usize = 1_300;
const ENDED_2025_12_31: usize = 95;
/// CMS's "NOC codes_JAN2026.xlsx": 168 rows of codes, 166 distinct (J7192
/// and J7195 are listed twice).
const NOC_ROWS: usize = 168;
const NOC_CODES: usize = 166;
/// Rows of the workbook (record id 3) that name a processing note.
const CODES_WITH_PROCESSING_NOTES: usize = 808;

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| common::compile_system("hcpcs"))
}

fn pack_bytes() -> &'static [u8] {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    PACK.get_or_init(|| compile::writer::write_pack(book()).unwrap())
}

/// How many codes of the compiled book carry a note of this kind.
fn codes_with(kind: chartcode::NoteKind) -> usize {
    book().records.iter().filter(|r| r.kind == Kind::Code && r.notes.iter().any(|(k, _)| *k == kind)).count()
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
    assert_eq!(codes_with(chartcode::NoteKind::Terminated), TERMINATED_CODES);
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

/// The thing itself before its parts: a title headed by the query's word
/// ("Walker, rigid") ranks above titles that name it only as what they
/// attach to ("Seat attachment, walker", shorter), unless the query names
/// the part.
#[test]
fn the_thing_itself_comes_before_its_parts() {
    let cb = codebook(20261127);
    let first = |q: &str, n: usize| -> Vec<String> {
        let options = SearchOptions { systems: vec!["hcpcs".into()], limit: n, ..Default::default() };
        cb.search(q, &options).unwrap().into_iter().map(|h| h.entry.code).collect()
    };
    // E0130, E0135, E0141, E0143: walkers; E0154, E0156, E0157: attachments.
    let walker = first("walker", 4);
    assert!(
        walker
            .iter()
            .all(|c| ["E0130", "E0135", "E0140", "E0141", "E0143", "E0144", "E0147", "E0148", "E0149"]
                .contains(&c.as_str())),
        "{walker:?}"
    );
    assert_eq!(first("cane", 1), ["E0100"]);
    assert_eq!(first("seat attachment walker", 1), ["E0156"]);
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

#[test]
fn the_january_2026_corrections_and_terminations_are_judged_by_date() {
    // The re-post applies CMS's corrections: S0189 is terminated on
    // 2025-12-31, J1572 is not.
    let s0189 = |today| codebook(today).lookup("S0189", None).unwrap().record.unwrap();
    assert!(s0189(20251231).entry.billable);
    assert!(!s0189(20260101).entry.billable && s0189(20260101).entry.terminated);
    assert_eq!(s0189(20260101).terminated_on.as_deref(), Some("2025-12-31"));
    let j1572 = codebook(20261127).lookup("J1572", None).unwrap().record.unwrap();
    assert!(j1572.entry.billable && j1572.terminated_on.is_none());
    // Exactly the 95 codes ending on 2025-12-31 stop being billable overnight.
    let (before, after) = (codebook(20251231), codebook(20260101));
    let ended = book()
        .records
        .iter()
        .filter(|r| r.kind == Kind::Code)
        .filter(|r| {
            let was = before.lookup(&r.code, Some("hcpcs")).unwrap().record.unwrap().entry.billable;
            let is = after.lookup(&r.code, Some("hcpcs")).unwrap().record.unwrap().entry.billable;
            was && !is
        })
        .count();
    assert_eq!(ended, ENDED_2025_12_31);
}

#[test]
fn processing_notes_noc_flags_and_mues_reach_the_lookup() {
    let cb = codebook(20261127);
    assert_eq!(codes_with(chartcode::NoteKind::ProcessingNote), CODES_WITH_PROCESSING_NOTES);
    let s0189 = cb.lookup("S0189", None).unwrap().record.unwrap();
    let note = s0189.notes.iter().find(|n| n.kind == chartcode::NoteKind::ProcessingNote).expect("S0189's note 0088");
    assert!(note.text.starts_with("0088: \"S\" CODES ARE UNIQUE TEMPORARY CODES"), "{}", note.text);

    let noc = codes_with(chartcode::NoteKind::NotOtherwiseClassified);
    assert_eq!(noc, NOC_CODES);
    let list = std::fs::read(common::codebooks_dir().join("hcpcs/NOC_codes_JAN2026.xlsx")).unwrap();
    let rows = compile::hcpcs::read_xlsx(&list, "NOC").unwrap();
    let listed: Vec<&String> = rows
        .iter()
        .filter_map(|(_, c)| c.first())
        .filter(|c| c.len() == 5 && c.as_bytes()[1].is_ascii_digit())
        .collect();
    assert_eq!(listed.len(), NOC_ROWS);
    assert!(cb.lookup("A0999", None).unwrap().record.unwrap().not_otherwise_classified);
    assert!(!cb.lookup("J1100", None).unwrap().record.unwrap().not_otherwise_classified);

    // Every MUE row of the vendored table, as the lookup shows it.
    let table =
        std::fs::read_to_string(common::codebooks_dir().join("ncci/mue_practitioner_2026-04-01_hcpcs_level2.csv"))
            .unwrap();
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let r = cb.lookup(f[0], Some("hcpcs")).unwrap().record.unwrap_or_else(|| panic!("{} not in HCPCS", f[0]));
        let m = r.mue.unwrap_or_else(|| panic!("{} has no MUE", f[0]));
        assert_eq!((m.units.to_string().as_str(), m.adjudication.as_str(), m.rationale.as_str()), (f[1], f[2], f[3]));
        assert_eq!(m.table, "practitioner");
        rows += 1;
    }
    // CMS's table has 4,592 HCPCS Level II rows, 69 of them CDT codes.
    assert_eq!(rows, 4_592 - 69);
    let walker = cb.lookup("E0130", None).unwrap().record.unwrap().mue.unwrap();
    assert_eq!((walker.units, walker.meaning.as_str()), (0, "not payable as a practitioner service"));
    assert!(cb.lookup("LT", None).unwrap().record.unwrap().mue.is_none());
}
