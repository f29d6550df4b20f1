//! ICD-10-PCS FY2026 compiled from the official tables: counts, every code,
//! titles against the official long titles, the code builder.

mod common;

use chartcode::compile::{self, Book};
use chartcode::{CodeBook, Kind, NoteKind, Pack};
use std::sync::OnceLock;

/// Published totals for FY2026: 79,115 codes in 914 tables of 2,733 rows.
const CODES: usize = 79_115;
const TABLES: usize = 914;
const ROWS: usize = 2_733;

/// The FY2026 Tables alone: the first of the releases the compiled book
/// carries (the later ones: `icd10pcs_fy2027.rs`).
fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| common::compile_system("icd10pcs").release_view(0).unwrap())
}

fn pack_bytes() -> &'static [u8] {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    PACK.get_or_init(|| compile::writer::write_pack(book()).unwrap())
}

fn codebook() -> CodeBook<'static> {
    CodeBook::open(&[pack_bytes()]).unwrap()
}

#[test]
fn counts_equal_the_official_ones() {
    let book = book();
    assert_eq!(book.billable_count(), CODES);
    assert_eq!(book.count_kind(Kind::Table), TABLES);
    let rows: usize = book.records.iter().map(|r| r.composition.len()).sum();
    assert_eq!(rows, ROWS);
    assert_eq!(book.count_kind(Kind::Section), 17);
    let pack = Pack::open(pack_bytes()).unwrap();
    assert_eq!(pack.billable_count() as usize, CODES);
    assert_eq!(pack.release(), "FY2026");
}

#[test]
fn every_code_is_found_with_its_title() {
    let book = book();
    let pack = Pack::open(pack_bytes()).unwrap();
    let mut n = 0;
    for (i, r) in book.records.iter().enumerate() {
        let id = pack.find_code(&r.code).unwrap_or_else(|| panic!("{} not in the code map", r.code));
        assert_eq!(id as usize, i);
        if r.billable && i % 3 == 0 {
            assert_eq!(pack.code(id).unwrap(), r.code);
            assert_eq!(pack.title(id).unwrap(), r.title, "{}", r.code);
        }
        n += usize::from(r.billable);
    }
    assert_eq!(n, CODES);
}

#[test]
fn lookup_shows_the_code_its_table_and_definitions() {
    let l = codebook().lookup("0016070", None).unwrap();
    let r = l.record.unwrap();
    assert_eq!(
        r.entry.title,
        "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach"
    );
    assert!(r.entry.billable);
    assert_eq!(r.entry.parent.as_deref(), Some("001"));
    let ancestors: Vec<&str> = r.ancestors.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(ancestors, ["0", "00", "001"]);
    let table_notes = &r.inherited_notes.iter().find(|n| n.code == "001").unwrap().notes;
    assert!(table_notes.iter().any(|n| n.kind == NoteKind::Definition && n.text.starts_with("Altering the route")));
    // The approach label carries its definition.
    assert!(r.notes.iter().any(|n| n.kind == NoteKind::Definition && n.text.starts_with("Cutting through the skin")));
    let r = codebook().lookup("0dtj0zz", None).unwrap().record.unwrap();
    assert_eq!(r.entry.title, "Resection of Appendix, Open Approach");
}

#[test]
fn the_code_builder_offers_each_next_axis() {
    let cb = codebook();
    let body_parts = cb.children(Some("0DT"), None).unwrap().unwrap();
    let appendix = body_parts.iter().find(|e| e.code == "0DTJ").expect("0DTJ among the body parts");
    assert_eq!(appendix.title, "Appendix");
    assert_eq!(appendix.kind, Kind::AxisValue);
    assert!(!appendix.billable);
    let approaches: Vec<String> =
        cb.children(Some("0DTJ"), None).unwrap().unwrap().into_iter().map(|e| e.code).collect();
    assert_eq!(approaches, ["0DTJ0", "0DTJ4", "0DTJ7", "0DTJ8"]);
    let qualifiers = cb.children(Some("0DTJ0Z"), None).unwrap().unwrap();
    assert_eq!(qualifiers.len(), 1);
    assert_eq!(qualifiers[0].code, "0DTJ0ZZ");
    assert!(qualifiers[0].billable);
    assert!(cb.children(Some("0DTJ0ZZ"), None).unwrap().unwrap().is_empty());
    // A partial code looked up says what comes next.
    let l = cb.lookup("0DTJ", None).unwrap();
    assert!(l.record.is_none());
    assert!(l.help.unwrap().contains("character 5"));
    assert_eq!(l.candidates.len(), 4);
    // Sections and body systems browse as records.
    let sections = cb.children(None, None).unwrap().unwrap();
    assert_eq!(sections.len(), 17);
    assert_eq!(sections[0].title, "Medical and Surgical");
}

#[test]
fn search_finds_procedures_by_their_words_and_definitions() {
    let cb = codebook();
    let hits = cb.search("resection appendix open", &Default::default()).unwrap();
    assert_eq!(hits[0].entry.code, "0DTJ0ZZ", "{:?}", hits.iter().map(|h| &h.entry.code).collect::<Vec<_>>());
    // A body part key term ("hallux" is the 1st toe) and an operation's
    // definition are searchable.
    let hits = cb.search("altering the route of passage", &Default::default()).unwrap();
    assert!(hits.iter().any(|h| h.entry.kind == Kind::Table && h.entry.title == "Bypass"));
}

/// The composed long titles against the official FY2024 long titles for
/// the codes both releases have (see docs/PCS_TITLES.md). The reference is
/// fetched by scripts/fetch-reference.sh (run by `make test`).
#[test]
fn titles_match_the_official_long_titles() {
    const EQUAL_AT_LEAST: usize = 78_338;
    // CMS: "there are 78,603 codes in the FY 2024 ICD-10-PCS".
    const FY2024_CODES: usize = 78_603;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reference/icd10pcs-codes-2024.txt");
    let official = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/fetch-reference.sh (make test does)", path.display()));
    let pack = Pack::open(pack_bytes()).unwrap();
    // The official FY2024 code file: every valid code, one a line.
    assert_eq!(official.lines().count(), FY2024_CODES);
    let (mut both, mut equal) = (0, 0);
    for line in official.lines() {
        let Some((code, title)) = line.split_once(' ') else { continue };
        if let Some(id) = pack.find_code(code) {
            both += 1;
            equal += usize::from(pack.title(id).unwrap() == title.trim());
        }
    }
    // Most FY2024 codes are still valid in FY2026 (few are deleted in two
    // years); the composed titles are compared on those.
    assert!(both * 100 >= FY2024_CODES * 99, "only {both} FY2024 codes are in the FY2026 pack");
    assert!(
        equal >= EQUAL_AT_LEAST,
        "{equal} of {both} titles equal the official ones; docs/PCS_TITLES.md says {EQUAL_AT_LEAST}"
    );
}

/// The ICD-10-PCS Index: a procedure's common name reaches the table and
/// body part the index gives, within that table only.
#[test]
fn the_index_reads_procedure_names_as_operation_and_body_part() {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = PACK.get_or_init(|| compile::writer::write_pack(&common::compile_system("icd10pcs")).unwrap());
    let cb = CodeBook::open(&[bytes.as_slice()]).unwrap();
    let search = |q: &str| {
        let options = chartcode::SearchOptions { limit: 10, billable_only: true, ..Default::default() };
        cb.search(q, &options).unwrap()
    };
    for (query, rows) in [
        // "Appendectomy — see Excision, Appendix (0DBJ); see Resection,
        // Appendix (0DTJ)".
        ("appendectomy", &["0DBJ", "0DTJ"][..]),
        ("cholecystectomy", &["0FB4", "0FT4"]),
        ("hysterectomy", &["0UT9"]),
    ] {
        let hits = search(query);
        assert!(!hits.is_empty(), "{query}");
        assert!(hits.iter().all(|h| rows.iter().any(|r| h.entry.code.starts_with(r))), "{query}: {:?}", codes(&hits));
        let via = hits[0].via.as_ref().expect("a hit through the index says so");
        assert_eq!(via.kind, "index");
        assert!(via.text.starts_with(&format!("{query} → ")), "{}", via.text);
    }
    // A reading that names a table only ("Arthroscopy — see Inspection,
    // Lower Joints, 0SJ") needs the query's other words for the body part.
    let knee = search("knee arthroscopy");
    assert!(knee[0].entry.code.starts_with("0SJC") || knee[0].entry.code.starts_with("0SJD"), "{:?}", codes(&knee));
    let right = search("right mastectomy");
    assert!(right[0].entry.code.starts_with("0HBT") || right[0].entry.code.starts_with("0HTT"), "{:?}", codes(&right));
    // Alone it gives no body part at random ("Excision of Scalp Skin").
    assert!(
        search("mastectomy").iter().all(|h| !h.entry.code.starts_with("0HB0")),
        "{:?}",
        codes(&search("mastectomy"))
    );
}

fn codes(hits: &[chartcode::search::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.entry.code.as_str()).collect()
}
