//! A pack that is not exactly what the compiler wrote must give a typed
//! error, never a panic, an out-of-bounds read, a huge allocation or a hang.
//! Packs are not only ours (`new CodeBook({ packs })`, `--import-cpt`), so
//! every pack of every book is forged here, with a valid checksum, and read
//! through every API.

mod common;

use chartcode::pack::{format, reseal};
use chartcode::search::axis_choices;
use chartcode::{varint, CodeBook, Pack, PackError, SearchOptions};
use common::*;

/// The five public packs, by system id.
fn public_pack(system: &str) -> &'static [u8] {
    all_packs().iter().find(|p| p.system.id == system).map(|p| p.bytes.as_slice()).expect("public pack")
}

const SYSTEMS: [&str; 5] = ["icd10cm", "icd10pcs", "hcpcs", "icd9cm", "icd9proc"];

/// Opens a code book of one pack and calls every reading API on it; returns
/// normally whatever the bytes are, and whether the pack opened.
fn exercise(bytes: &[u8], dump: bool) -> bool {
    let Ok(mut cb) = CodeBook::open(&[bytes]) else { return false };
    for today in [0, 20251231, 20260101, 99991231] {
        cb.set_today(today);
        let _ = cb.lookup("J1100", None);
    }
    cb.set_today(20261127);
    // The checks read the edit tables (decoded on first use).
    let set: Vec<chartcode::check::CodeToCheck> = ["E11.22", "N18.4", "A33", "J1100", "0DTJ4ZZ", "250.00"]
        .iter()
        .map(|c| chartcode::check::CodeToCheck { system: None, code: c.to_string() })
        .collect();
    let context = chartcode::check::CheckContext {
        age: Some(70),
        sex: Some(chartcode::flags::Sex::Male),
        setting: Some(chartcode::search::Setting::Snf),
        ..Default::default()
    };
    let _ = cb.check(&set, &context);
    let pack = cb.packs()[0].clone();
    let system = pack.system().id;
    let step = (pack.record_count() / 97).max(1);
    for id in (0..pack.record_count()).step_by(step as usize).chain([pack.record_count().saturating_sub(1)]) {
        let _ = pack.row(id);
        let _ = pack.code(id);
        let _ = pack.title(id);
        let _ = pack.notes(id);
        let _ = pack.children(Some(id));
        let _ = pack.content_words(id);
        let _ = pack.ancestry(id);
        let _ = pack.subtree_end(id);
        let _ = pack.is_billable(id);
        if let Ok(code) = pack.code(id) {
            let _ = cb.lookup(&code, None);
            let _ = cb.validate(&code, system);
            let _ = cb.children(Some(&code), Some(system));
            let _ = axis_choices(&pack, &code);
            for to in SYSTEMS {
                let _ = cb.map(&code, to);
            }
        }
    }
    for code in [
        "E11.9", "S72.001A", "S72.001", "E11.", "A00-B99", ".E11", "0DT6", "0DT", "0DTJ4", "J1100", "E0130", "GA",
        "250.00", "36.06", "V10.3", "E800", "",
    ] {
        let _ = cb.lookup(code, None);
        let _ = axis_choices(&pack, code);
        for to in SYSTEMS {
            let _ = cb.map(code, to);
        }
    }
    for q in [
        "diabetes",
        "chf",
        "fracture femur initial",
        "e11",
        "hyp",
        "a",
        "walker",
        "diabetes e11 e10",
        "resection",
        "dexamethasone j11",
        "injection j1",
    ] {
        let _ = cb.search(q, &SearchOptions { limit: 5, ..SearchOptions::default() });
        let _ = cb.search(q, &SearchOptions { limit: 5, billable_only: true, ..SearchOptions::default() });
        // Code ranges and prefixes that are no code take the range filter.
        for within in ["J11", "E08-E13", "0DT", "E11", "A00-B99", "25"] {
            let _ = cb.search(q, &SearchOptions { limit: 5, within: vec![within.into()], ..SearchOptions::default() });
        }
    }
    let _ = cb.children(None, None);
    let _ = cb.systems();
    for cw in pack.crosswalks() {
        for source in cw.sources_under("", 50) {
            let _ = cw.targets(&pack, &source);
        }
    }
    if dump {
        let _ = cb.dump(None, |_| {});
    }
    true
}

/// Runs the `chartcode` command line on one forged pack (alone in a
/// folder) and returns its exit code and stderr.
fn cli_on(name: &str, bytes: &[u8], args: &[&str]) -> (Option<i32>, String) {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("forged").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.pack")), bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chartcode"))
        .args(args)
        .arg("--packs")
        .arg(&dir)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The command line on a corrupt pack: exit 2 with one line, never a
/// panic (101) or an abort (134).
fn assert_cli_refuses(name: &str, bytes: &[u8], args: &[&str]) {
    let (code, stderr) = cli_on(name, bytes, args);
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("chartcode: "), "{stderr}");
}

/// A deterministic xorshift stream.
fn rng(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

fn section<'p>(pack: &Pack<'p>, bytes: &'p [u8], tag: &[u8; 4]) -> (usize, &'p [u8]) {
    let s = pack.sections().into_iter().find(|s| &s.tag == tag).expect("section present");
    (s.offset as usize, &bytes[s.offset as usize..(s.offset + s.len) as usize])
}

#[test]
fn truncated_packs_are_refused() {
    for system in SYSTEMS {
        let bytes = public_pack(system);
        let mut offsets: Vec<usize> = (0..256).collect();
        offsets.extend((256..bytes.len()).step_by(10_007));
        offsets.push(bytes.len() - 1);
        for n in offsets {
            let err = Pack::open(&bytes[..n]).expect_err("a truncated pack must not open");
            assert!(
                matches!(err, PackError::TooShort { .. } | PackError::LengthMismatch { .. } | PackError::BadMagic),
                "{system} cut at {n}: {err}"
            );
        }
    }
}

#[test]
fn flipped_bytes_are_caught_by_the_checksum() {
    for system in SYSTEMS {
        let mut bytes = public_pack(system).to_vec();
        for at in (format::CHECKSUM_START..bytes.len()).step_by(9_973).chain(16..20) {
            bytes[at] ^= 0x5A;
            let err = Pack::open(&bytes).expect_err("a corrupt pack must not open");
            if (16..20).contains(&at) {
                assert!(matches!(err, PackError::LengthMismatch { .. }), "{system} flip at {at}: {err}");
            } else {
                assert!(matches!(err, PackError::ChecksumMismatch { .. }), "{system} flip at {at}: {err}");
            }
            bytes[at] ^= 0x5A;
        }
        assert!(Pack::open(&bytes).is_ok());
    }
}

#[test]
fn wrong_magic_version_and_system_are_named() {
    let good = icd10cm_pack();
    let mut b = good.to_vec();
    b[0] = b'X';
    assert_eq!(Pack::open(&b).unwrap_err(), PackError::BadMagic);

    let mut b = good.to_vec();
    b[8..10].copy_from_slice(&(format::FORMAT_VERSION + 1).to_le_bytes());
    let err = Pack::open(&b).unwrap_err();
    assert_eq!(
        err,
        PackError::UnsupportedVersion { found: format::FORMAT_VERSION + 1, supported: format::FORMAT_VERSION }
    );
    assert!(err.to_string().contains("rebuild the pack"));

    let mut b = good.to_vec();
    b[20..28].copy_from_slice(b"icd99\0\0\0");
    reseal(&mut b);
    assert_eq!(Pack::open(&b).unwrap_err(), PackError::UnknownSystem("icd99".into()));

    assert_eq!(Pack::open(&[]).unwrap_err(), PackError::TooShort { len: 0 });
    assert_eq!(Pack::open(b"hello, world, not a pack at all, no sir").unwrap_err(), PackError::BadMagic);
}

#[test]
fn every_pack_forged_with_a_valid_checksum_is_read_without_panic() {
    // TEXT and EDIT are read lazily by design (opening costs nothing in
    // proportion to the pack), so a pack forged there always opens and
    // every API then meets the forged bytes. The other sections the reader
    // decodes itself are forged too, with no expectation that they open
    // (POST among them: opening checks that the term dictionary's lists
    // fit their bytes, so a forged list count is refused at once).
    let mut next = rng(0x9E37_79B9_7F4A_7C15);
    for system in SYSTEMS {
        let good = public_pack(system);
        let pack = Pack::open(good).unwrap();
        let sections = pack.sections();
        for round in 0..40 {
            let lazy = round % 2 == 0;
            let candidates: Vec<_> = sections
                .iter()
                .filter(|s| {
                    let t = &s.tag;
                    if lazy {
                        t == b"TEXT" || t == b"EDIT"
                    } else {
                        t != b"CODE" && t != b"TERM" && t != b"TEXT" && t != b"EDIT"
                    }
                })
                .collect();
            let s = candidates[round % candidates.len()];
            let mut b = good.to_vec();
            for _ in 0..1 + round % 4 {
                let at = s.offset as usize + (next() as usize % s.len.max(1) as usize);
                b[at] = next() as u8;
            }
            reseal(&mut b);
            let opened = exercise(&b, round % 10 == 0);
            if lazy {
                assert!(
                    opened,
                    "{system}: a pack forged in {} only must open (round {round}): {:?}",
                    s.name(),
                    CodeBook::open(&[&b[..]]).err()
                );
            }
        }
        // Header fields too: counts, lengths, section table entries.
        for at in 20..pack.header_len() {
            for v in [0u8, 1, 0x7F, 0xFF] {
                let mut b = good.to_vec();
                b[at] = v;
                reseal(&mut b);
                exercise(&b, false);
            }
        }
    }
}

/// The `LSET` entries of a pack: `(offset of the entry in the pack, its bytes)`.
fn composition_entries(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    let pack = Pack::open(bytes).unwrap();
    let (at, lset) = section(&pack, bytes, b"LSET");
    let u32_at = |i: usize| u32::from_le_bytes(lset[i..i + 4].try_into().unwrap()) as usize;
    let count = u32_at(0);
    let data = 4 + (count + 1) * 4;
    (0..count)
        .map(|i| (at + data + u32_at(4 + i * 4), &lset[data + u32_at(4 + i * 4)..data + u32_at(8 + i * 4)]))
        .collect()
}

/// The `LSET` entry index of header `code`.
fn composition_of(bytes: &[u8], code: &str) -> usize {
    let pack = Pack::open(bytes).unwrap();
    let row = pack.row(pack.find_code(code).unwrap()).unwrap();
    let (_, text) = section(&pack, bytes, b"TEXT");
    let mut pos = row.payload as usize;
    varint::read(text, &mut pos).unwrap() as usize
}

#[test]
fn a_composition_row_with_fewer_axes_is_no_panic() {
    // A table whose second row has one axis where the first has four, and
    // every child in place, so the pack is consistent: the code builder
    // indexed past the short row (`lookup 0DT6` panicked).
    use chartcode::compile::{writer, Book, BookLabel, BookRecord};
    use chartcode::model::Kind;
    let label = |ch: char, text: &str| BookLabel { ch, text: text.to_string(), notes: Vec::new() };
    let mut book = Book::plain("icd10pcs", "forged".into(), Vec::new(), Vec::new()).unwrap();
    book.compose = chartcode::compile::icd10pcs::COMPOSE_RULE;
    book.labels = vec![
        label('J', "Appendix"),
        label('4', "Percutaneous Endoscopic"),
        label('Z', "No Device"),
        label('Z', "No Qualifier"),
        label('6', "Stomach"),
    ];
    let rows = vec![vec![vec![0], vec![1], vec![2], vec![3]], vec![vec![4]]];
    let mut table = BookRecord::new("0DT".into(), "Resection".into(), Kind::Table, false, None);
    table.composition = rows.clone();
    book.records.push(table);
    for labels in [vec![0, 1, 2, 3], vec![4]] {
        let code = format!("0DT{}", labels.iter().map(|&l| book.labels[l as usize].ch).collect::<String>());
        book.records.push(BookRecord { labels, ..BookRecord::new(code, String::new(), Kind::Code, true, Some(0)) });
    }
    let bytes = writer::write_pack(&book).expect("the writer accepts rows of different lengths");
    for code in ["0DT6", "0DT", "0DTJ"] {
        let (exit, stderr) = cli_on("short-row", &bytes, &["lookup", code]);
        assert!(matches!(exit, Some(0..=2)), "lookup {code}: {exit:?} {stderr}");
    }
    let cb = CodeBook::open(&[&bytes]).unwrap();
    let builder = cb.lookup("0DTJ", None).unwrap();
    assert_eq!(builder.candidates.len(), 1, "{builder:?}");
    for code in ["0DT6", "0DT", "0DTJ4", "0DTJ4ZZ", "0DT6ZZZ"] {
        // An answer or a typed error; the point is that it returns.
        let _ = cb.lookup(code, None);
        let _ = cb.children(Some(code), None);
    }
    assert!(exercise(&bytes, true));
}

#[test]
fn a_composition_asking_for_a_hundred_million_children_is_an_error() {
    // Eight axes of ten labels: 10^8 children from a 90-byte entry; before
    // the fix, `children` allocated 400 MB (and overflowed a u32).
    let good = public_pack("icd10pcs");
    let index = composition_of(good, "0DT");
    let (at, entry) = composition_entries(good)[index];
    let mut forged = vec![1u8, 8];
    for _ in 0..8 {
        forged.push(10);
        forged.extend(0..10u8);
    }
    assert!(forged.len() <= entry.len(), "0DT's entry is {} bytes", entry.len());
    let mut b = good.to_vec();
    b[at..at + forged.len()].copy_from_slice(&forged);
    reseal(&mut b);
    let cb = CodeBook::open(&[&b]).unwrap();
    let pack = &cb.packs()[0];
    let table = pack.find_code("0DT").unwrap();
    let err = pack.children(Some(table)).expect_err("10^8 children are not in the pack");
    assert!(matches!(err, PackError::Corrupt { section: "CMPD", .. }), "{err}");
    assert!(cb.lookup("0DT", None).is_err());
    assert!(cb.children(Some("0DT"), None).is_err());
    assert!(exercise(&b, true));
    for args in [["lookup", "0DT6"], ["lookup", "0DT"], ["children", "0DT"]] {
        assert_cli_refuses("icd10pcs", &b, &args);
    }
}

#[test]
fn a_date_note_that_is_not_a_date_is_an_error() {
    // J1100's added date, rewritten in the piece dictionary to 8 bytes that
    // are not ASCII digits ("202é011"): slicing it panicked.
    let good = public_pack("hcpcs");
    let cb = CodeBook::open(&[good]).unwrap();
    let added = cb.lookup("J1100", Some("hcpcs")).unwrap().record.unwrap().added.unwrap();
    let compact: Vec<u8> = added.bytes().filter(|b| *b != b'-').collect();
    let pack = Pack::open(good).unwrap();
    let (word_at, words) = section(&pack, good, b"WORD");
    let mut needle = vec![8u8];
    needle.extend(&compact);
    let found = words.windows(9).position(|w| w == needle.as_slice()).expect("the date is a piece");
    let mut b = good.to_vec();
    b[word_at + found + 1..word_at + found + 9].copy_from_slice("202é011".as_bytes());
    reseal(&mut b);
    let cb = CodeBook::open(&[&b]).unwrap();
    let err = cb.lookup("J1100", Some("hcpcs")).expect_err("a date that is not a date");
    assert!(err.to_string().contains("not a date"), "{err}");
    assert!(exercise(&b, true));
    assert_cli_refuses("hcpcs", &b, &["lookup", "J1100"]);
}

#[test]
fn a_leading_dot_is_no_code_and_no_panic() {
    let cb = all_books();
    for typed in [".E11", ".", "..", ".250", ".-", ".E11.9"] {
        let l = cb.lookup(typed, None).unwrap_or_else(|e| panic!("{typed}: {e}"));
        assert!(l.record.is_none(), "{typed} found {:?}", l.record);
        let _ = cb.search(typed, &SearchOptions::default()).unwrap();
    }
    for system in ["icd10cm", "icd9cm", "icd9proc", "hcpcs", "icd10pcs", "cpt", "cdt"] {
        assert!(!chartcode::syntax::fits(system, ".E11", false), "{system}");
    }
}

#[test]
fn a_code_that_is_not_ascii_is_an_error() {
    // J1100's code suffix rewritten in place to "é00": a range filter sliced
    // it by bytes and panicked.
    let good = public_pack("hcpcs");
    let pack = Pack::open(good).unwrap();
    let row = pack.row(pack.find_code("J1100").unwrap()).unwrap();
    let (text_at, text) = section(&pack, good, b"TEXT");
    let at = row.payload as usize + 2;
    assert_eq!(&text[at..at + 4], b"1100");
    let mut b = good.to_vec();
    b[text_at + at..text_at + at + 2].copy_from_slice("é".as_bytes());
    reseal(&mut b);
    let cb = CodeBook::open(&[&b]).unwrap();
    for within in ["J11", "J11.0-J11.9"] {
        let r = cb.search("dexamethasone", &SearchOptions { within: vec![within.into()], ..SearchOptions::default() });
        assert!(r.is_err(), "{within}: {r:?}");
    }
    assert!(cb.search("dexamethasone j11", &SearchOptions::default()).is_err());
    assert!(exercise(&b, true));
    assert_cli_refuses("hcpcs", &b, &["search", "dexamethasone", "--within", "J11"]);
}
