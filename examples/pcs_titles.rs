//! Compares composed ICD-10-PCS long titles with an official list of long
//! titles (`CODE TITLE` per line, e.g. the FY2024 `icd10pcs-codes-2024.txt`)
//! and writes the report `docs/PCS_TITLES.md` is made from.
//!
//! Usage: cargo run --release --example pcs_titles -- OFFICIAL_LIST [REPORT.md]
use chartcode::compile;
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(list) = args.first() else {
        eprintln!("usage: pcs_titles OFFICIAL_LIST [REPORT.md]");
        std::process::exit(2);
    };
    let official = std::fs::read_to_string(list).unwrap_or_else(|e| {
        eprintln!("{list}: {e}");
        std::process::exit(2)
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    let manifest = compile::sources::Manifest::load(&dir).unwrap();
    let entry = manifest.books.iter().find(|b| b.system == "icd10pcs").unwrap();
    let book = compile::compile_book(&dir, entry).unwrap();
    let ours: BTreeMap<&str, &str> =
        book.records.iter().filter(|r| r.billable).map(|r| (r.code.as_str(), r.title.as_str())).collect();
    let (mut both, mut same) = (0, 0);
    let mut diffs = Vec::new();
    for line in official.lines() {
        let Some((code, title)) = line.split_once(' ') else { continue };
        if let Some(t) = ours.get(code) {
            both += 1;
            if *t == title.trim() {
                same += 1;
            } else {
                diffs.push((code.to_string(), title.trim().to_string(), t.to_string()));
            }
        }
    }
    let rate = 100.0 * same as f64 / both.max(1) as f64;
    println!("{both} codes in both; {same} titles equal ({rate:.3}%); {} differ", diffs.len());
    let mut report = String::new();
    let _ = writeln!(
        report,
        "# ICD-10-PCS long titles: composed vs official\n\n\
         chartcode does not store ICD-10-PCS titles: it composes each code's long title\n\
         from the labels of its seven axes (`src/pcs.rs`). This report compares the\n\
         composed FY2026 titles with CMS's official FY2024 long titles\n\
         (`icd10pcs-codes-2024.txt`, test-only reference fetched by\n\
         `scripts/fetch-reference.sh`) for the codes present in both releases.\n\
         Regenerate with `make pcs-titles`; `tests/icd10pcs_book.rs` fails if the\n\
         number of equal titles drops.\n\n\
         **{both} codes in both releases; {same} titles equal ({rate:.2}%); {} differ.**\n\n\
         The differences are the official titles' own irregularities (the same\n\
         construction worded two ways in neighbouring tables) and a few\n\
         constructions used by a handful of codes. Each is listed below.\n",
        diffs.len()
    );
    for (code, off, our) in &diffs {
        let _ = writeln!(report, "- `{code}`\n  - official: {off}\n  - composed: {our}");
    }
    if let Some(out) = args.get(1) {
        std::fs::write(out, report).unwrap();
    } else {
        for (code, off, our) in diffs.iter().take(40) {
            println!("{code}\n   O: {off}\n   C: {our}");
        }
    }
}
