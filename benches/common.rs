//! Shared by the benches: the packs, compiled once from `codebooks/`, and
//! the queries a clinician types.

use chartcode::compile;

/// Compiles every book of `codebooks/` (the benches measure the packs the
/// build would ship).
pub fn packs() -> Vec<compile::BuiltPack> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    compile::build_all(&dir).expect("packs compile")
}

/// Realistic queries, typed letter by letter: problem-list entries,
/// abbreviations, a 7th-character code and codes typed as codes.
pub const QUERIES: &[&str] = &[
    "type 2 diabetes without complications",
    "essential hypertension",
    "chf",
    "copd exacerbation",
    "fracture of neck of right femur initial",
    "urinary tract infection",
    "major depressive disorder recurrent",
    "chest pain",
    "low back pain",
    "atrial fibrillation",
    "acute kidney failure",
    "alzheimers disease",
    "pneumonia unspecified organism",
    "e11.9",
    "s72.001a",
];

/// Codes looked up, in the forms users type them.
pub const LOOKUPS: &[&str] = &["E11.9", "e119", "S72.001A", "I10", "T36.0X1A", "Z99.89", "E11.", "S72.001Z", "Q99.99"];
