//! A pack that is not exactly what the compiler wrote must give a typed
//! error, never a panic, an out-of-bounds read or a hang.

mod common;

use chartcode::pack::format;
use chartcode::{CodeBook, Pack, PackError, SearchOptions};
use common::*;

#[test]
fn truncated_packs_are_refused() {
    let bytes = icd10cm_pack();
    let mut offsets: Vec<usize> = (0..256).collect();
    offsets.extend((256..bytes.len()).step_by(1_009));
    offsets.push(bytes.len() - 1);
    for n in offsets {
        let err = Pack::open(&bytes[..n]).expect_err("a truncated pack must not open");
        assert!(
            matches!(err, PackError::TooShort { .. } | PackError::LengthMismatch { .. } | PackError::BadMagic),
            "cut at {n}: {err}"
        );
    }
}

#[test]
fn flipped_bytes_are_caught_by_the_checksum() {
    let mut bytes = icd10cm_pack().to_vec();
    for at in (format::CHECKSUM_START..bytes.len()).step_by(997).chain(16..20) {
        bytes[at] ^= 0x5A;
        let err = Pack::open(&bytes).expect_err("a corrupt pack must not open");
        if (16..20).contains(&at) {
            assert!(matches!(err, PackError::LengthMismatch { .. }), "flip at {at}: {err}");
        } else {
            assert!(matches!(err, PackError::ChecksumMismatch { .. }), "flip at {at}: {err}");
        }
        bytes[at] ^= 0x5A;
    }
    assert!(Pack::open(&bytes).is_ok());
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

/// Recomputes the checksum, as a forger (or a buggy writer) would.
fn reseal(b: &mut [u8]) {
    let crc = crc32fast::hash(&b[format::CHECKSUM_START..]);
    b[12..16].copy_from_slice(&crc.to_le_bytes());
}

/// Opens a pack and exercises every reading path; returns normally whatever
/// the bytes are. Returns whether the pack opened.
fn exercise(bytes: &[u8]) -> bool {
    let Ok(cb) = CodeBook::open(&[bytes]) else { return false };
    let pack = &cb.packs()[0];
    for id in (0..pack.record_count()).step_by(211) {
        let _ = pack.row(id);
        let _ = pack.code(id);
        let _ = pack.title(id);
        let _ = pack.notes(id);
        let _ = pack.children(Some(id));
        let _ = pack.content_words(id);
    }
    for code in ["E11.9", "S72.001A", "S72.001", "E11.", "A00-B99", "Z99.89"] {
        let _ = cb.lookup(code, None);
    }
    for q in ["diabetes", "chf", "fracture femur initial", "e11", "hyp", "a"] {
        let _ = cb.search(q, &SearchOptions { limit: 5, ..SearchOptions::default() });
    }
    let _ = cb.children(None, None);
    true
}

#[test]
fn forged_packs_with_a_valid_checksum_do_not_panic() {
    // Corrupt the sections the reader decodes itself (everything but the two
    // fst maps, whose bytes the `fst` crate reads; see docs/PACK_FORMAT.md),
    // reseal the checksum, and read everything.
    let good = icd10cm_pack();
    let pack = Pack::open(good).unwrap();
    let ours: Vec<_> = pack.sections().into_iter().filter(|s| &s.tag != b"CODE" && &s.tag != b"TERM").collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut opened = 0;
    for round in 0..300 {
        let mut b = good.to_vec();
        let s = ours[round % ours.len()];
        for _ in 0..1 + round % 4 {
            let at = s.offset as usize + (next() as usize % s.len.max(1) as usize);
            b[at] = next() as u8;
        }
        reseal(&mut b);
        opened += usize::from(exercise(&b));
        if round % 50 == 0 {
            if let Ok(cb) = CodeBook::open(&[&b]) {
                let _ = cb.dump(None, |_| {});
            }
        }
    }
    // The test is only worth something if the forged packs get read.
    assert!(opened > 150, "only {opened} of 300 forged packs opened");
    // Header fields too: counts, lengths, section table entries.
    for at in 20..pack.header_len() {
        for v in [0u8, 1, 0x7F, 0xFF] {
            let mut b = good.to_vec();
            b[at] = v;
            reseal(&mut b);
            exercise(&b);
        }
    }
}
