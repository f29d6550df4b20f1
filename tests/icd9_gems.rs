//! ICD-9-CM v32 (diagnoses and procedures) and the GEM crosswalks.

mod common;

use chartcode::compile::{gems, sources};
use common::*;

#[test]
fn counts_equal_the_official_ones() {
    let cb = all_books();
    for (system, codes) in [("icd9cm", 14_567u32), ("icd9proc", 3_882)] {
        let pack = cb.pack(system).unwrap();
        assert_eq!(pack.billable_count(), codes, "{system}");
        assert!(pack.system().legacy);
        assert_eq!(pack.release(), "Version 32 (final, effective October 1, 2014)");
    }
}

#[test]
fn codes_show_in_their_official_form_and_are_marked_legacy() {
    let cb = all_books();
    for (typed, shown, system) in [
        ("250.00", "250.00", "icd9cm"),
        ("25000", "250.00", "icd9cm"),
        ("V45.81", "V45.81", "icd9cm"),
        ("E880.9", "E880.9", "icd9cm"),
        ("E8809", "E880.9", "icd9cm"),
        ("36.06", "36.06", "icd9proc"),
        ("042", "042", "icd9cm"),
    ] {
        let l = cb.lookup(typed, Some(system)).unwrap();
        let r = l.record.unwrap_or_else(|| panic!("{typed}"));
        assert_eq!(r.entry.code, shown);
        assert!(r.entry.legacy, "{typed}");
        assert!(r.entry.billable);
    }
    // Without a system, the dot routes the code: 36.06 is a procedure.
    let r = cb.lookup("36.06", None).unwrap().record.unwrap();
    assert_eq!(r.entry.system, "icd9proc");
    let r = cb.lookup("250.00", None).unwrap().record.unwrap();
    assert_eq!(r.entry.system, "icd9cm");
}

#[test]
fn map_250_00_to_icd10cm_lists_e11_9_with_its_flags() {
    let cb = all_books();
    let x = cb.map("250.00", "icd10cm").unwrap().expect("a crosswalk");
    assert_eq!(x.system, "icd9cm");
    let e119 = x.targets.iter().find(|t| t.code == "E11.9").expect("E11.9 among the targets");
    assert!(e119.approximate && !e119.no_map && !e119.combination);
    assert_eq!(e119.title.as_deref(), Some("Type 2 diabetes mellitus without complications"));
    // And back: E11.9 to ICD-9-CM.
    let back = cb.map("E11.9", "icd9cm").unwrap().unwrap();
    assert!(back.targets.iter().any(|t| t.code == "250.00"));
    // A lookup of the ICD-9 code shows its translation.
    let l = cb.lookup("250.00", None).unwrap();
    assert!(l.crosswalk.unwrap().targets.iter().any(|t| t.code == "E11.9"));
}

/// Every row of every GEM file is in the packs: the same target, its valid
/// FY2026 descendants (flagged refined), or the target flagged as not in
/// the release. Nothing is dropped.
#[test]
fn every_gem_row_is_kept() {
    // The crosswalks are checked against ICD-10-CM's first release (FY2026)
    // when built; `map` checks again on the day of use (next test).
    let mut cb = all_books();
    cb.set_today(LAST_DAY_OF_FY2026);
    let dir = codebooks_dir();
    let manifest = sources::Manifest::load(&dir).unwrap();
    let mut refined = 0;
    for (system, role, to) in [
        ("icd9cm", "gem_forward", "icd10cm"),
        ("icd9cm", "gem_backward", "icd9cm"),
        ("icd9proc", "gem_forward", "icd10pcs"),
        ("icd9proc", "gem_backward", "icd9proc"),
    ] {
        let entry = manifest.books.iter().find(|b| b.system == system).unwrap();
        let file = entry.file(role).unwrap();
        let bytes = sources::read_verified(&dir, file).unwrap();
        let rows = if file.official_name.ends_with(".csv") {
            gems::parse_csv(&bytes, &file.path).unwrap()
        } else {
            gems::parse_fixed(&bytes, &file.path).unwrap()
        };
        let holder = cb.pack(system).unwrap();
        let cw = holder
            .crosswalks()
            .iter()
            .find(|c| (c.direction == chartcode::pack::CrosswalkDirection::From) == (role == "gem_forward"))
            .unwrap();
        let mut last_source = String::new();
        let mut targets = Vec::new();
        for row in &rows {
            if row.source != last_source {
                targets = cw
                    .targets(holder, &row.source)
                    .unwrap()
                    .unwrap_or_else(|| panic!("{system} {role}: {} missing", row.source));
                last_source = row.source.clone();
            }
            let Some(t) = &row.target else {
                assert!(targets.iter().any(|x| x.code.is_empty()), "{} no-map row lost", row.source);
                continue;
            };
            let norm = |c: &str| c.replace('.', "");
            let kept = targets.iter().any(|x| norm(&x.code) == *t)
                || targets.iter().any(|x| x.via.as_deref().map(norm).as_deref() == Some(t.as_str()));
            refined += targets.iter().filter(|x| x.flags & chartcode::pack::format::XW_REFINED != 0).count();
            assert!(kept, "{system} {role}: {} → {t} lost", row.source);
        }
        // Every target the crosswalk gives is a code of the system it goes
        // to, unless it is flagged as not in that system's release.
        let to_pack = cb.pack(to).unwrap();
        let mut checked = 0;
        for source in cw.sources_under("", usize::MAX).iter().step_by(7) {
            for x in cw.targets(holder, source).unwrap().unwrap() {
                if x.code.is_empty() || x.flags & chartcode::pack::format::XW_NOT_IN_RELEASE != 0 {
                    continue;
                }
                assert!(
                    to_pack.find_code(&x.code.replace('.', "")).is_some(),
                    "{system} {role}: {source} → {} is not {to}",
                    x.code
                );
                checked += 1;
            }
        }
        assert!(checked > 1_000, "{system} {role}: only {checked} targets checked");
    }
    assert!(refined > 0, "FY2026 split codes the 2018 GEMs name: those targets must be refined");
}

#[test]
fn the_2018_diagnosis_gems_are_read_whole() {
    // CMS's final (2018) GEM files: 24,860 and 81,593 lines, every one a row.
    let dir = codebooks_dir();
    let manifest = sources::Manifest::load(&dir).unwrap();
    let entry = manifest.books.iter().find(|b| b.system == "icd9cm").unwrap();
    for (role, name, lines) in [("gem_forward", "2018_I9gem.txt", 24_860), ("gem_backward", "2018_I10gem.txt", 81_593)]
    {
        let file = entry.file(role).unwrap();
        assert_eq!(file.official_name, name);
        let bytes = sources::read_verified(&dir, file).unwrap();
        assert_eq!(bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(), lines, "{name}");
        assert_eq!(gems::parse_fixed(&bytes, &file.path).unwrap().len(), lines, "{name}");
    }
    // A code FY2017 added is in the 2018 GEMs directly.
    let x = all_books().map("I27.83", "icd9cm").unwrap().unwrap();
    assert!(x.note.is_none(), "{:?}", x.note);
    assert!(x.targets.iter().any(|t| t.code == "745.4"), "{:?}", x.targets);
    // CMS writes one target in lower case: it is read as the code V58.89.
    let x = all_books().map("T88.53XD", "icd9cm").unwrap().unwrap();
    assert_eq!(x.targets.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["V58.89"]);
}

#[test]
fn codes_newer_than_the_gems_are_answered_from_their_parent() {
    // J44.81 (FY2024) is newer than the last GEMs: J44's entries answer.
    let x = all_books().map("J44.81", "icd9cm").unwrap().unwrap();
    assert!(x.note.unwrap().contains("not in the crosswalk"));
    assert!(x.targets.iter().any(|t| t.code.starts_with("491") || t.code.starts_with("496")), "{:?}", x.targets);
}

#[test]
fn procedures_map_both_ways() {
    let cb = all_books();
    let x = cb.map("0016070", "icd9proc").unwrap().unwrap();
    assert!(x.targets.iter().any(|t| t.code == "02.31"), "{:?}", x.targets);
    let x = cb.map("02.31", "icd10pcs").unwrap().unwrap();
    assert!(x.targets.iter().any(|t| t.code == "0016070"));
    assert!(cb.map("E11.9", "hcpcs").unwrap().is_none());
    assert!(cb.map("E11.9", "snomed").is_err());
}

#[test]
fn the_icd9_book_compiles_alone_too() {
    // compile_book resolves the successor book itself.
    let book = common::compile_system("icd9proc");
    assert_eq!(book.billable_count(), 3_882);
    assert_eq!(book.crosswalks.len(), 2);
}

/// On any date of service, every target `map` gives is a billable code of
/// the ICD-10-CM release in force, or flagged: FY2027 turned D69.1 into a
/// header (its codes are the targets) and deleted T52.8X1A (its replacement
/// T52.891A) and S23.420A (no replacement: not in the release).
#[test]
fn map_answers_from_the_release_in_force() {
    for today in [LAST_DAY_OF_FY2026, 20261001] {
        let mut cb = all_books();
        cb.set_today(today);
        let icd9 = cb.pack("icd9cm").unwrap();
        let icd10 = cb.pack("icd10cm").unwrap();
        let cw = icd9.crosswalks().iter().find(|c| c.direction == chartcode::pack::CrosswalkDirection::From).unwrap();
        let (mut checked, mut flagged) = (0, 0);
        for source in cw.sources_under("", usize::MAX) {
            let Some(id) = icd9.find_code(&source) else { continue };
            let code = icd9.code(id).unwrap();
            let x = cb.map(&code, "icd10cm").unwrap().unwrap_or_else(|| panic!("{code}"));
            for t in x.targets.iter().filter(|t| !t.no_map) {
                if t.not_in_release {
                    flagged += 1;
                    continue;
                }
                let id = icd10
                    .find_code(&t.code.replace('.', ""))
                    .unwrap_or_else(|| panic!("{code} → {} on {today}", t.code));
                assert!(icd10.is_billable(id).unwrap() && t.billable, "{code} → {} on {today}", t.code);
                checked += 1;
            }
        }
        assert!(checked > 20_000, "{checked}");
        let targets = |code: &str| -> Vec<(String, Option<String>, bool)> {
            cb.map(code, "icd10cm")
                .unwrap()
                .unwrap()
                .targets
                .into_iter()
                .map(|t| (t.code, t.refined_from, t.not_in_release))
                .collect()
        };
        if today == LAST_DAY_OF_FY2026 {
            assert_eq!(targets("287.1"), vec![("D69.1".into(), None, false)]);
            assert!(targets("848.41").contains(&("S23.420A".into(), None, false)));
        } else {
            assert_eq!(
                targets("287.1"),
                vec![("D69.11".into(), Some("D69.1".into()), false), ("D69.19".into(), Some("D69.1".into()), false)]
            );
            assert!(targets("848.41").contains(&("S23.420A".into(), None, true)));
            assert!(targets("982.8").contains(&("T52.891A".into(), Some("T52.8X1A".into()), false)));
            assert!(flagged >= 1);
        }
    }
}
