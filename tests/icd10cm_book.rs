//! ICD-10-CM FY2026 (April 1, 2026 update) compiled from the official
//! tabular list: counts, every billable code, hierarchy and notes. The pack
//! carries FY2027 too (`icd10cm_fy2027.rs`); these tests read it on the
//! last day of FY2026.

mod common;

use chartcode::{Kind, NoteKind};
use common::*;

/// Published totals for the April 1, 2026 update, and the element counts of
/// the official XML (see codebooks/PROVENANCE.md).
const BILLABLE: usize = 74_719;
const CHAPTERS: usize = 22;
const SECTIONS: usize = 297;
const CATEGORIES: usize = 1_918;
const DIAG_ELEMENTS: usize = 46_881;

#[test]
fn counts_equal_the_official_ones() {
    let book = icd10cm_fy2026();
    assert_eq!(book.billable_count(), BILLABLE);
    assert_eq!(book.count_kind(Kind::Chapter), CHAPTERS);
    assert_eq!(book.count_kind(Kind::Section), SECTIONS);
    assert_eq!(book.count_kind(Kind::Category), CATEGORIES);
    let stored_diags =
        book.records.iter().filter(|r| !r.is_composed() && !matches!(r.kind, Kind::Chapter | Kind::Section)).count();
    assert_eq!(stored_diags, DIAG_ELEMENTS);

    let pack = pack_on(LAST_DAY_OF_FY2026);
    assert_eq!(pack.billable_count() as usize, BILLABLE);
    assert_eq!(pack.records_in_force() as usize, book.records.len());
    assert_eq!(pack.release(), "FY2026 (April 1, 2026 update)");
    let mut by_kind = std::collections::BTreeMap::new();
    let mut billable = 0;
    for id in (0..pack.record_count()).filter(|&id| pack.is_present(id)) {
        let row = pack.row(id).unwrap();
        *by_kind.entry(row.kind).or_insert(0usize) += 1;
        billable += usize::from(row.billable);
    }
    assert_eq!(billable, BILLABLE);
    for kind in Kind::ALL {
        assert_eq!(by_kind.get(&kind).copied().unwrap_or(0), book.count_kind(kind), "{kind:?}");
    }
}

#[test]
fn the_76_s06_combinations_are_not_codes() {
    let book = icd10cm_book();
    let composed_s06: Vec<&str> =
        book.records.iter().filter(|r| r.is_composed() && r.code.starts_with("S06")).map(|r| r.code.as_str()).collect();
    for code in &composed_s06 {
        let sixth = code.chars().nth(6).unwrap();
        let seventh = code.chars().nth(7).unwrap();
        assert!(!(matches!(sixth, '7' | '8') && matches!(seventh, 'D' | 'S')), "{code} is not a valid code");
    }
    let cb = codebook();
    for code in ["S06.1X7D", "S06.2X8S", "S06.9X7S"] {
        let l = cb.lookup(code, None).unwrap();
        assert!(l.record.is_none(), "{code}");
        assert!(l.help.unwrap().contains("not a valid 7th character"));
    }
    assert!(cb.lookup("S06.1X7A", None).unwrap().record.is_some());
    assert!(cb.lookup("S06.1X6D", None).unwrap().record.is_some());
}

#[test]
fn every_billable_code_is_found_with_and_without_its_dot() {
    let book = icd10cm_fy2026();
    let cb = codebook_on(LAST_DAY_OF_FY2026);
    let pack = pack_on(LAST_DAY_OF_FY2026);
    let mut checked = 0;
    for r in book.records.iter().filter(|r| r.billable) {
        let undotted: String = r.code.chars().filter(|c| *c != '.').collect();
        // The code map is keyed by the normalized form; the dotted form
        // normalizes to it.
        for form in [r.code.as_str(), undotted.as_str()] {
            let key = chartcode::normalize::normalize_code(form).unwrap_or_else(|| panic!("{form} normalizes"));
            let id = pack.find_code(&key).unwrap_or_else(|| panic!("{form} not in the code map"));
            assert_eq!(pack.code(id).unwrap(), r.code, "{form}");
            assert_eq!(pack.title(id).unwrap(), r.title, "{form}");
        }
        checked += 1;
    }
    assert_eq!(checked, BILLABLE);
    // The public lookup, on every 50th code in both forms (it builds the
    // whole record with ancestors and notes; the map itself is covered above).
    for r in book.records.iter().filter(|r| r.billable).step_by(50) {
        let undotted: String = r.code.chars().filter(|c| *c != '.').collect();
        for form in [r.code.clone(), undotted.to_lowercase(), format!("  {}  ", r.code)] {
            let l = cb.lookup(&form, None).unwrap();
            let rec = l.record.unwrap_or_else(|| panic!("{form} not found"));
            assert_eq!(rec.entry.code, r.code);
            assert_eq!(rec.entry.title, r.title);
            assert!(rec.entry.billable);
            assert!(l.help.is_none(), "{form}: {:?}", l.help);
        }
    }
}

#[test]
fn composed_titles_read_like_the_official_ones() {
    let cb = codebook();
    for (code, title) in [
        ("S72.001A", "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"),
        ("T36.0X1A", "Poisoning by penicillins, accidental (unintentional), initial encounter"),
        ("S06.0X1A", "Concussion with loss of consciousness of 30 minutes or less, initial encounter"),
        ("E11.9", "Type 2 diabetes mellitus without complications"),
        ("I10", "Essential (primary) hypertension"),
        ("C84.10", "Sézary disease, unspecified site"),
    ] {
        let rec = cb.lookup(code, Some("icd10cm")).unwrap().record.unwrap_or_else(|| panic!("{code}"));
        assert_eq!(rec.entry.title, title);
        assert!(rec.entry.billable, "{code}");
    }
}

#[test]
fn every_record_is_reachable_and_chains_end_at_a_chapter() {
    let pack = pack();
    let book = icd10cm_book();
    for id in 0..pack.record_count() {
        let chain = pack.ancestry(id).unwrap();
        let top = pack.row(chain[0]).unwrap();
        assert_eq!(top.kind, Kind::Chapter, "{}", book.records[id as usize].code);
        assert_eq!(pack.row(id).unwrap().parent, book.records[id as usize].parent);
    }
}

#[test]
fn codes_are_in_their_official_form_and_unique() {
    let book = icd10cm_book();
    let mut seen = std::collections::HashSet::new();
    for r in &book.records {
        assert!(seen.insert(r.code.replace('.', "")), "{} twice", r.code);
        if matches!(r.kind, Kind::Subcategory | Kind::Code) {
            assert_eq!(r.code.find('.'), Some(3), "{}", r.code);
            assert!(r.code.len() <= 8, "{}", r.code);
        }
    }
}

#[test]
fn titles_are_in_the_basic_multilingual_plane() {
    // Highlight offsets are in characters; every title character being in
    // the BMP makes them JavaScript string indices as well.
    for r in &icd10cm_book().records {
        assert!(r.title.chars().all(|c| (c as u32) < 0x10000), "{}", r.code);
    }
}

#[test]
fn e11_keeps_its_includes_and_excludes_notes() {
    let rec = codebook().lookup("E11", None).unwrap().record.unwrap();
    let has = |kind: NoteKind, text: &str| rec.notes.iter().any(|n| n.kind == kind && n.text == text);
    assert!(has(NoteKind::Includes, "diabetes NOS"));
    assert!(has(NoteKind::Includes, "insulin resistant diabetes (mellitus)"));
    assert!(has(NoteKind::Excludes1, "type 1 diabetes mellitus (E10.-)"));
    assert!(has(NoteKind::Excludes1, "gestational diabetes (O24.4-)"));
    assert!(has(NoteKind::UseAdditionalCode, "insulin (Z79.4)"));
    // A code below E11 shows them as inherited notes.
    let e119 = codebook().lookup("E11.9", None).unwrap().record.unwrap();
    let from_e11 = e119.inherited_notes.iter().find(|n| n.code == "E11").expect("E11 notes inherited");
    assert!(from_e11
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Excludes1 && n.text == "type 1 diabetes mellitus (E10.-)"));
    assert_eq!(e119.ancestors.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), vec!["E00-E89", "E08-E13", "E11"]);
}

#[test]
fn every_note_kind_of_the_tabular_list_is_kept() {
    let book = icd10cm_fy2026();
    let mut counts = std::collections::BTreeMap::new();
    for r in &book.records {
        for (k, _) in &r.notes {
            *counts.entry(*k).or_insert(0usize) += 1;
        }
    }
    for kind in [
        NoteKind::Includes,
        NoteKind::InclusionTerm,
        NoteKind::Excludes1,
        NoteKind::Excludes2,
        NoteKind::CodeFirst,
        NoteKind::UseAdditionalCode,
        NoteKind::CodeAlso,
        NoteKind::Note,
        NoteKind::SevenChrNote,
        NoteKind::SevenChrDef,
    ] {
        assert!(counts.get(&kind).copied().unwrap_or(0) > 0, "no {kind:?} notes");
    }
    // The visual impairment table of H54 is kept as notes.
    let table =
        book.records.iter().find(|r| r.notes.iter().any(|(_, t)| t.contains("6/18"))).expect("visual impairment table");
    assert!(table.code.starts_with("H54"), "{}", table.code);
    // The 7th-character inclusion note under S72's extension B.
    let b = book
        .labels
        .iter()
        .find(|l| l.ch == 'B' && l.text == "initial encounter for open fracture type I or II")
        .unwrap();
    assert_eq!(b.notes, vec![(NoteKind::InclusionTerm, "initial encounter for open fracture NOS".to_string())]);
}

#[test]
fn notes_round_trip_through_the_pack() {
    let book = icd10cm_book();
    let pack = pack();
    for (id, r) in book.records.iter().enumerate().step_by(7) {
        let notes = pack.notes(id as u32).unwrap();
        match r.labels.first() {
            None => assert_eq!(notes, r.notes, "{}", r.code),
            Some(&l) => assert_eq!(notes, book.labels[l as usize].notes, "{}", r.code),
        }
    }
}

#[test]
fn dump_lists_every_record_in_book_order() {
    let book = icd10cm_fy2026();
    let mut n = 0;
    codebook_on(LAST_DAY_OF_FY2026)
        .dump(Some("icd10cm"), |e| {
            let r = &book.records[n];
            assert_eq!(e.code, r.code);
            assert_eq!(e.title, r.title);
            assert_eq!(e.billable, r.billable);
            assert_eq!(e.parent.as_deref(), r.parent.map(|p| book.records[p as usize].code.as_str()));
            n += 1;
        })
        .unwrap();
    assert_eq!(n, book.records.len());
}
