//! CPT and CDT are copyrighted: chartcode imports a user's licensed file
//! into a pack the user keeps. Tested with plainly synthetic fixtures.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chartcode"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_licensed_file_becomes_a_pack_that_answers() {
    let out = scratch("licensed");
    let o = bin()
        .args(["build", "--import-cpt"])
        .arg(fixture("cpt-synthetic.txt"))
        .arg("--import-cdt")
        .arg(fixture("cdt-synthetic-latin1.txt"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("do not commit or redistribute"));
    let run = |args: &[&str]| bin().args(args).arg("--packs").arg(&out).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&run(&["lookup", "10021", "--json"]).stdout).unwrap();
    assert_eq!(v["system"], "cpt");
    assert_eq!(v["title"], "Zorblax synthetic excision of imaginary lesion, test fixture only");
    assert_eq!(v["parent"], "10004-69990");
    let v: serde_json::Value = serde_json::from_slice(&run(&["lookup", "0001F", "--json"]).stdout).unwrap();
    assert_eq!(v["parent"], "0001F-9999F");
    // Latin-1 read as Latin-1.
    let v: serde_json::Value = serde_json::from_slice(&run(&["search", "demo cleaning", "--json"]).stdout).unwrap();
    assert_eq!(v[0]["code"], "D9990");
    assert_eq!(v[0]["title"], "Zorblax synthetic démo cleaning of an imaginary tooth");
    assert_eq!(v[0]["system"], "cdt");
    // In a dental office, beside ICD-10-CM, the CDT codes come first, then
    // the dental ICD-10-CM codes; elsewhere the ranking decides alone.
    let cdt = std::fs::read(out.join("cdt.pack")).unwrap();
    let book = chartcode::CodeBook::open(&[common::icd10cm_pack(), &cdt]).unwrap();
    let search = |setting| {
        let options = chartcode::SearchOptions { setting, limit: 10, ..Default::default() };
        book.search("tooth", &options).unwrap().into_iter().map(|h| (h.entry.system, h.entry.code)).collect::<Vec<_>>()
    };
    let dental = search(Some(chartcode::search::Setting::Dental));
    assert_eq!(dental[0].0, "cdt", "{dental:?}");
    let first_other = dental.iter().find(|h| h.0 != "cdt").unwrap();
    assert!(first_other.1.starts_with('K'), "{dental:?}");
    assert_ne!(search(None)[0].0, "cdt", "{:?}", search(None));
}

#[test]
fn a_malformed_file_is_refused_with_its_line_and_writes_nothing() {
    let out = scratch("licensed-bad");
    let o = bin()
        .args(["build", "--import-cpt"])
        .arg(fixture("cpt-malformed.txt"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cpt-malformed.txt:3:") && err.contains("not a CPT code"), "{err}");
    assert!(!out.exists());
}

#[test]
fn no_licensed_content_is_part_of_the_repository() {
    let manifest =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("codebooks/manifest.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    for book in v["books"].as_array().unwrap() {
        assert!(!matches!(book["system"].as_str(), Some("cpt" | "cdt")), "the manifest lists a licensed book");
    }
}
