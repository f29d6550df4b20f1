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
/// A 30-code inpatient claim for `check` (a principal and 24 secondary
/// diagnoses, five HCPCS codes): Excludes1/Excludes2 pairs, code-first and
/// use-additional notes, CC/MCCs under the principal's exclusions, HCCs
/// and their hierarchy.
pub const CHECK_SET: [&str; 30] = [
    "I13.0", "I50.22", "N18.4", "E11.22", "E11.9", "Z79.4", "E78.5", "J44.1", "J96.01", "F02.80", "G30.9", "I48.91",
    "Z79.01", "D63.1", "E87.1", "N39.0", "B96.20", "L89.152", "R26.81", "Z91.81", "Z99.81", "E66.9", "Z68.41", "K21.9",
    "M81.0", "E0114", "A4253", "J1940", "G0180", "E1390",
];

pub const LOOKUPS: &[&str] = &["E11.9", "e119", "S72.001A", "I10", "T36.0X1A", "Z99.89", "E11.", "S72.001Z", "Q99.99"];
