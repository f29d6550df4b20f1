//! Shared by the benches: the packs, compiled once from `codebooks/`, and
//! the queries a clinician types.

use chartcode::compile;

/// Compiles every book of `codebooks/` (the benches measure the packs the
/// build would ship).
pub fn packs() -> Vec<compile::BuiltPack> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    compile::build_all(&dir).expect("packs compile")
}

/// Realistic queries, typed letter by letter (`benches/typing-session.txt`,
/// which the browser bench types too).
pub fn queries() -> Vec<&'static str> {
    include_str!("typing-session.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

/// The synthetic notes of `benches/notes/` (written for chartcode; no
/// patient's), shortest first: `(file name, text)`.
pub fn notes() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/notes");
    let mut notes: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("benches/notes")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    notes.sort_by_key(|(name, text)| (text.chars().count(), name.clone()));
    notes
}

/// Codes looked up, in the forms users type them.
pub const LOOKUPS: &[&str] = &["E11.9", "e119", "S72.001A", "I10", "T36.0X1A", "Z99.89", "E11.", "S72.001Z", "Q99.99"];
