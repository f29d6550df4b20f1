//! Shared by the integration tests: the real ICD-10-CM book, compiled once
//! per test binary from the vendored sources in `codebooks/`.
#![allow(dead_code)]

use chartcode::compile::{self, Book};
use chartcode::{CodeBook, Pack};
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn codebooks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("codebooks")
}

/// One book of `codebooks/`, compiled (the compiler's view).
pub fn compile_system(system: &str) -> Book {
    let dir = codebooks_dir();
    let manifest = compile::sources::Manifest::load(&dir).expect("manifest");
    let entry = manifest.books.iter().find(|b| b.system == system).unwrap_or_else(|| panic!("{system} in manifest"));
    compile::compile_book(&dir, entry).unwrap_or_else(|e| panic!("{system} compiles: {e}"))
}

/// The compiled ICD-10-CM book, once per test binary.
pub fn icd10cm_book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| compile_system("icd10cm"))
}

/// ICD-10-CM FY2026 alone, as the compiled book carries it.
pub fn icd10cm_fy2026() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| icd10cm_book().release_view(0).expect("FY2026 view"))
}

/// The ICD-10-CM pack read on a date of service (`YYYYMMDD`).
pub fn pack_on(date: u32) -> Pack<'static> {
    let mut p = pack();
    p.set_today(date);
    p
}

/// The ICD-10-CM code book read on a date of service (`YYYYMMDD`).
pub fn codebook_on(date: u32) -> CodeBook<'static> {
    let mut cb = codebook();
    cb.set_today(date);
    cb
}

/// The last day of FY2026, when the FY2026 release is in force.
pub const LAST_DAY_OF_FY2026: u32 = 20260930;

/// The ICD-10-CM pack bytes.
pub fn icd10cm_pack() -> &'static [u8] {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    PACK.get_or_init(|| compile::writer::write_pack(icd10cm_book()).expect("pack writes"))
}

pub fn pack() -> Pack<'static> {
    Pack::open(icd10cm_pack()).expect("pack opens")
}

pub fn codebook() -> CodeBook<'static> {
    CodeBook::open(&[icd10cm_pack()]).expect("code book opens")
}

/// Every public pack, compiled once per test binary.
pub fn all_packs() -> &'static [compile::BuiltPack] {
    static PACKS: OnceLock<Vec<compile::BuiltPack>> = OnceLock::new();
    PACKS.get_or_init(|| compile::build_all(&codebooks_dir()).expect("all books compile"))
}

/// A code book of every public pack, read on 2026-11-27.
pub fn all_books() -> CodeBook<'static> {
    let slices: Vec<&'static [u8]> = all_packs().iter().map(|p| p.bytes.as_slice()).collect();
    let mut cb = CodeBook::open(&slices).expect("all packs open");
    cb.set_today(20261127);
    cb
}
