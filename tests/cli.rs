//! The `chartcode` command line: build, lookup, search, children, stats,
//! dump; exit codes 0 found, 1 not found, 2 bad usage or input.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chartcode"))
}

/// Packs built once by `chartcode build` into a scratch directory.
fn packs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-packs");
        let _ = std::fs::remove_dir_all(&dir);
        let out =
            bin().arg("build").arg("--codebooks").arg(common::codebooks_dir()).arg("--out").arg(&dir).output().unwrap();
        assert!(out.status.success(), "build failed: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("icd10cm.pack")
                && stdout.contains("2025-10-01 to 2026-09-30  98,505 records, 74,719 billable")
                && stdout.contains("FY2027 (derived)  2026-10-01 to 2027-09-30")
                && stdout.contains("74,879 billable")
                && stdout.contains("POST"),
            "{stdout}"
        );
        dir
    })
}

fn run(args: &[&str]) -> Output {
    bin().args(args).arg("--packs").arg(packs()).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn lookup_json_has_the_stable_fields() {
    let o = run(&["lookup", "E11.9", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains(r#""title":"Type 2 diabetes mellitus without complications""#), "{text}");
    assert!(text.contains(r#""billable":true"#), "{text}");
    let v = json(&o);
    assert_eq!(v["system"], "icd10cm");
    assert_eq!(v["code"], "E11.9");
    assert_eq!(v["kind"], "code");
    assert_eq!(v["parent"], "E11");
    assert_eq!(v["found"], true);
    assert_eq!(v["coding"]["system"], "http://hl7.org/fhir/sid/icd-10-cm");
    assert_eq!(v["coding"]["code"], "E11.9");
    assert_eq!(v["coding"]["display"], "Type 2 diabetes mellitus without complications");
    assert_eq!(v["childrenCount"], 0);
    assert!(v["inheritedNotes"].as_array().is_some_and(|n| !n.is_empty()));
    // Typed any way, shown in official form.
    let v = json(&run(&["lookup", "e119", "--json"]));
    assert_eq!(v["code"], "E11.9");
    let v = json(&run(&["lookup", "s72001a", "--json"]));
    assert_eq!(v["code"], "S72.001A");
}

#[test]
fn lookup_of_an_unknown_code_exits_1_with_help() {
    let o = run(&["lookup", "S72.001Z"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not a valid 7th character"), "{}", stdout(&o));
    let v = json(&run(&["lookup", "E11.99", "--json"]));
    assert_eq!(v["found"], false);
    assert!(v["help"].as_str().unwrap().contains("E11.9"));
}

#[test]
fn validate_says_why_and_what_instead() {
    let o = run(&["validate", "e119", "--system", "icd10cm", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["valid"], true);
    assert_eq!(v["code"], "E11.9");
    assert!(v["reason"].is_null());
    let o = run(&["validate", "S72.001", "--system", "icd10cm", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["valid"], false);
    assert!(v["reason"].as_str().unwrap().contains("7th character"), "{v}");
    assert_eq!(v["candidates"].as_array().unwrap().len(), 16);
    let v = json(&run(&["validate", "E11", "--system", "icd10cm", "--json"]));
    assert!(v["reason"].as_str().unwrap().contains("category"), "{v}");
    assert_eq!(run(&["validate", "E11.9"]).status.code(), Some(2), "--system is required");
    assert_eq!(run(&["validate", "E11.9", "--system", "loinc"]).status.code(), Some(2));
}

#[test]
fn search_json_is_an_array_of_hits_best_first() {
    let o = run(&["search", "type 2 diabetes without complications", "--json", "--limit", "5"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let hits = v.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert_eq!(hits[0]["code"], "E11.9");
    for field in ["system", "code", "title", "kind", "billable", "parent", "score", "matched", "highlights", "coding"] {
        assert!(hits[0].get(field).is_some(), "missing {field}");
    }
    let o = run(&["search", "fracture", "--billable", "--json", "--limit", "30"]);
    assert!(json(&o).as_array().unwrap().iter().all(|h| h["billable"] == true));
    let o = run(&["search", "zzzzqqq"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn children_stats_and_dump() {
    let v = json(&run(&["children", "E11", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 10);
    let v = json(&run(&["children", "--json", "--system", "icd10cm"]));
    assert_eq!(v.as_array().unwrap().len(), 22);
    assert_eq!(run(&["children", "Q99.99"]).status.code(), Some(1));

    // The release in force on the date of service: FY2026 up to
    // 2026-09-30, FY2027 (derived) from 2026-10-01.
    for (today, release, records, billable, categories) in [
        ("2026-09-30", "FY2026 (April 1, 2026 update)", 98_505, 74_719, 1_918),
        ("2026-10-01", "FY2027 (derived)", 98_722, 74_879, 1_921),
    ] {
        let v = json(&run(&["stats", "--json", "--today", today]));
        let s = v["systems"].as_array().unwrap().iter().find(|s| s["id"] == "icd10cm").unwrap();
        assert_eq!(s["fhirUri"], "http://hl7.org/fhir/sid/icd-10-cm");
        assert_eq!(s["release"], release);
        assert_eq!(s["counts"]["records"], records);
        assert_eq!(s["counts"]["billable"], billable);
        assert_eq!(s["counts"]["byKind"]["chapter"], 22);
        assert_eq!(s["counts"]["byKind"]["section"], 297);
        assert_eq!(s["counts"]["byKind"]["category"], categories);
        let releases = s["releases"].as_array().unwrap();
        assert_eq!(releases.len(), 2);
        assert_eq!(releases.iter().filter(|r| r["inForce"] == true).count(), 1);
        assert_eq!(releases.iter().find(|r| r["inForce"] == true).unwrap()["label"], release);
        assert!(releases[1]["derivedFrom"].as_str().unwrap().contains("FY2027 Tabular List XML could not be obtained"));
        assert!(releases[0].get("derivedFrom").is_none(), "FY2026 is compiled from its own Tabular List");
        let pcs = v["systems"].as_array().unwrap().iter().find(|s| s["id"] == "icd10pcs").unwrap();
        let derived: Vec<bool> =
            pcs["releases"].as_array().unwrap().iter().map(|r| r.get("derivedFrom").is_some()).collect();
        assert_eq!(derived, [false, true, true], "only the later PCS releases are derived");

        let o = run(&["dump", "--system", "icd10cm", "--today", today]);
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), records);
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first["code"], "A00-B99");
        assert_eq!(first["kind"], "chapter");
        assert_eq!(first["coding"]["system"], "http://hl7.org/fhir/sid/icd-10-cm");
        let dumped = lines.iter().filter(|l| l.contains(r#""billable":true"#)).count();
        assert_eq!(dumped, billable);
    }
}

#[test]
fn the_date_of_service_chooses_the_release() {
    // S23.420A: deleted by FY2027, with no replacement in the addenda.
    let o = run(&["lookup", "S23.420A", "--today", "2026-09-30"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("FY2026 (April 1, 2026 update) · code · billable"), "{}", stdout(&o));
    let o = run(&["lookup", "S23.420A", "--today", "2026-10-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("S23.420A was deleted in FY2027 (derived)"), "{}", stdout(&o));
    let o = run(&["validate", "S23.420A", "--system", "icd10cm", "--today", "2026-09-30"]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["validate", "S23.420A", "--system", "icd10cm", "--today", "2026-10-01", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["reason"].as_str().unwrap().contains("deleted in FY2027"));
    // T52.8X1A: replaced by T52.891A.
    let v = json(&run(&["lookup", "T52.8X1A", "--today", "2026-10-01", "--json"]));
    assert_eq!(v["found"], false);
    assert_eq!(v["candidates"][0]["code"], "T52.891A");
    // I42.0 gained children in FY2027; I42.00 is new there.
    let v = json(&run(&["lookup", "I42.0", "--today", "2026-09-30", "--json"]));
    assert_eq!((v["billable"].clone(), v["release"].clone()), (true.into(), "FY2026 (April 1, 2026 update)".into()));
    let v = json(&run(&["lookup", "I42.0", "--today", "2026-10-01", "--json"]));
    assert_eq!(v["billable"], false);
    assert_eq!(v["childrenCount"], 3);
    let v = json(&run(&["lookup", "I42.00", "--today", "2026-09-30", "--json"]));
    assert_eq!(v["found"], false);
    assert!(v["help"].as_str().unwrap().contains("new in FY2027 (derived)"));
    let v = json(&run(&["lookup", "I42.00", "--today", "2026-10-01", "--json"]));
    assert_eq!(v["notesFrom"], "ancestors");
    // Search and children answer from the release in force.
    let codes = |args: &[&str]| -> Vec<String> {
        json(&run(args)).as_array().unwrap().iter().map(|h| h["code"].as_str().unwrap().to_string()).collect()
    };
    assert!(codes(&["search", "glanzmann", "--json", "--today", "2026-10-01"]).contains(&"D69.11".to_string()));
    assert!(!codes(&["search", "glanzmann", "--json", "--today", "2026-09-30"]).contains(&"D69.11".to_string()));
    assert!(codes(&["children", "I42.0", "--json", "--today", "2026-09-30"]).is_empty());
}

#[test]
fn bad_usage_and_input_exit_2_with_one_line() {
    for args in [
        vec!["frobnicate"],
        vec!["lookup"],
        vec!["search", "x", "--limit", "many"],
        vec!["lookup", "E11.9", "--system", "cpt"],
        vec!["search", "x", "--within", "not a code!"],
        vec!["lookup", "E11.9", "--bogus"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("chartcode: "), "{err}");
    }
    let missing = bin().args(["lookup", "E11.9", "--packs", "/nonexistent/packs"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("chartcode build"));
}

#[test]
fn a_corrupt_pack_file_is_refused_with_its_name() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-corrupt");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = std::fs::read(packs().join("icd10cm.pack")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(dir.join("icd10cm.pack"), &bytes).unwrap();
    let o = bin().args(["lookup", "E11.9", "--packs"]).arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("icd10cm.pack") && err.contains("corrupt"), "{err}");
}

#[test]
fn ranking_is_the_same_in_every_process() {
    // Hash maps are seeded per process: two processes must still agree on
    // every hit, its order and its score.
    for q in ["fracture", "heart", "pain left", "diabetes e11 e10", "hyp"] {
        let runs: Vec<String> = (0..2).map(|_| stdout(&run(&["search", q, "--limit", "50", "--json"]))).collect();
        assert!(runs[0].contains("\"code\""), "{q}: {}", runs[0]);
        assert_eq!(runs[0], runs[1], "{q}");
    }
}

#[test]
fn a_copied_binary_works_without_a_packs_folder() {
    // A copy of the binary, run in an empty folder with no $CHARTCODE_PACKS:
    // it builds its built-in code books once into the cache and says so.
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("copied-cli");
    let _ = std::fs::remove_dir_all(&scratch);
    let (work, cache) = (scratch.join("work"), scratch.join("cache"));
    std::fs::create_dir_all(&work).unwrap();
    let copy = scratch.join("chartcode");
    std::fs::copy(env!("CARGO_BIN_EXE_chartcode"), &copy).unwrap();
    let run = |args: &[&str]| {
        Command::new(&copy)
            .args(args)
            .current_dir(&work)
            .env_remove("CHARTCODE_PACKS")
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap()
    };
    let first = run(&["lookup", "E11.9"]);
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("Type 2 diabetes mellitus without complications"), "{}", stdout(&first));
    assert!(String::from_utf8_lossy(&first.stderr).contains("building the built-in code books"));
    let second = run(&["lookup", "J1100", "--system", "hcpcs"]);
    assert_eq!(second.status.code(), Some(0));
    assert!(second.stderr.is_empty(), "built once: {}", String::from_utf8_lossy(&second.stderr));
    let stats = run(&["stats"]);
    let text = stdout(&stats);
    assert!(text.starts_with("packs from the code books built into chartcode"), "{text}");
    assert!(text.contains(&cache.display().to_string()), "{text}");
    // A damaged cache is built again, not trusted.
    let folder = std::fs::read_dir(cache.join("chartcode"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("packs-")))
        .expect("the cache folder");
    std::fs::write(folder.join("hcpcs.pack"), b"CHARTPAK").unwrap();
    let again = run(&["lookup", "J1100", "--system", "hcpcs"]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains("do not open; building them again"));
    // An explicit folder wins, and stats names it.
    let named = Command::new(&copy).args(["stats", "--json", "--packs"]).arg(packs()).output().unwrap();
    assert_eq!(json(&named)["packsFrom"], format!("{} (--packs)", packs().display()));
    assert!(json(&named)["systems"][0]["file"].as_str().unwrap().ends_with(".pack"));
}

#[test]
fn stats_show_each_release_with_the_date_it_took_effect() {
    let text = stdout(&run(&["stats"]));
    for line in [
        "HCPCS Level II (hcpcs)  2026 January quarterly update (re-posted 01/12/2026)",
        "  in force  from 2026-01-01 (Centers for Medicare & Medicaid Services (CMS))",
    ] {
        assert!(text.lines().any(|l| l.starts_with(line)), "{line:?} not in\n{text}");
    }
    let text = stdout(&run(&["stats", "--today", "2026-09-30"]));
    for line in [
        "ICD-10-CM (icd10cm)  FY2026 (April 1, 2026 update)",
        "  in force  from 2025-10-01",
        "  releases  FY2026 (April 1, 2026 update)  2025-10-01 to 2026-09-30  74,719 billable  (in force)",
        "            FY2027 (derived)  2026-10-01 to 2027-09-30  74,879 billable",
        "              derived from the FY2026 (April 1, 2026 update) Tabular List",
    ] {
        assert!(text.lines().any(|l| l.starts_with(line)), "{line:?} not in\n{text}");
    }
    let v = json(&run(&["stats", "--json"]));
    let hcpcs = v["systems"].as_array().unwrap().iter().find(|s| s["id"] == "hcpcs").unwrap();
    assert_eq!(hcpcs["effective"], "2026-01-01");
    // The indexes the search finds codes by, with their releases, and the
    // derived one said to be so.
    let cm = v["systems"].as_array().unwrap().iter().find(|s| s["id"] == "icd10cm").unwrap();
    let indexes = cm["indexes"].as_array().unwrap();
    assert_eq!(indexes[0]["name"], "Alphabetic Index to Diseases and Injuries");
    assert_eq!(indexes[0]["release"], "FY2025");
    assert_eq!(indexes[0]["derived"], true);
    assert!(indexes[0]["entries"].as_u64().unwrap() > 70_000);
    let names: Vec<&str> = indexes.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Alphabetic Index to Diseases and Injuries",
            "External Cause of Injuries Index",
            "Table of Neoplasms",
            "Table of Drugs and Chemicals"
        ]
    );
    assert_eq!(indexes[2]["file"], "icd-10-cm-neoplasm-2025.xml");
    assert!(indexes[1..].iter().all(|i| i["derived"] == false && i["release"] == "FY2025"));
    assert!(indexes[3]["entries"].as_u64().unwrap() > 30_000);
    assert!(hcpcs["indexes"].as_array().unwrap().is_empty());
    let pcs = v["systems"].as_array().unwrap().iter().find(|s| s["id"] == "icd10pcs").unwrap();
    assert_eq!(pcs["indexes"][0]["name"], "ICD-10-PCS Index");
    assert_eq!(pcs["indexes"][0]["file"], "icd10pcs_index_2025.xml");
}

#[test]
fn eval_scores_a_query_set() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("eval-set");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("set.tsv");
    std::fs::write(
        &file,
        "query\texpected_codes\tsource\nchf\tI50.9\tx|match=exact\nzzqxv\tI10\tx|match=exact\nfracture neck right femur initial\tS72.001A\tx|match=prefix:S72.0\n",
    )
    .unwrap();
    let o = run(&["eval", file.to_str().unwrap(), "--system", "icd10cm", "--billable", "--json", "--misses", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&o);
    assert_eq!(v[0]["queries"], 3);
    assert_eq!(v[0]["limit"], 10);
    // chf at 1, the fracture within 10, zzqxv nowhere.
    let r10 = v[0]["recallAtLimit"].as_f64().unwrap();
    assert!((r10 - 2.0 / 3.0).abs() < 1e-9, "{v}");
    assert!(v[0]["recallAt1"].as_f64().unwrap() >= 1.0 / 3.0 - 1e-9);
    let text = stdout(&run(&["eval", file.to_str().unwrap(), "--system", "icd10cm", "--misses", "5"]));
    assert!(text.contains("| set.tsv | 3 |"), "{text}");
    assert!(text.contains("\"zzqxv\"  want I10  not in the first 10"), "{text}");
    // A file that is not a query set is refused with its name and line.
    std::fs::write(&file, "chf\tI50.9\n").unwrap();
    let o = run(&["eval", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("set.tsv:1: the first line must be the header"));
}

#[test]
fn suggest_reads_a_note_from_text_a_file_or_stdin() {
    let note = "Type 2 diabetes and hypertension. No chest pain.";
    let o = run(&["suggest", note, "--json", "--today", "2026-10-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let got = json(&o);
    let first = &got[0];
    for field in ["system", "code", "display", "billable", "score", "coding", "assertion", "coded", "evidence", "why"] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    let codes: Vec<&str> = got.as_array().unwrap().iter().filter_map(|s| s["code"].as_str()).collect();
    assert!(codes.contains(&"E11.9") && codes.contains(&"I10"), "{codes:?}");
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("note.txt");
    std::fs::write(&file, note).unwrap();
    let from_file = run(&["suggest", "--file", file.to_str().unwrap(), "--json", "--today", "2026-10-01"]);
    assert_eq!(json(&from_file), got, "the same note from a file");
    let mut child = bin()
        .args(["suggest", "-", "--json", "--today", "2026-10-01", "--packs"])
        .arg(packs())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(note.as_bytes()).unwrap();
    let from_stdin = child.wait_with_output().unwrap();
    assert_eq!(json(&from_stdin), got, "the same note from stdin");
    // Nothing to code: exit 1. Bad usage: exit 2 with one line.
    assert_eq!(run(&["suggest", "No fever."]).status.code(), Some(1));
    let bad = run(&["suggest", "fever", "--setting", "er"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&bad.stderr).lines().count(), 1);
    assert_eq!(run(&["suggest", "fever", "--file", file.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn check_exits_1_on_an_error_finding_and_says_which_book_took_a_code() {
    let o = run(&["check", "E11.9", "E10.9", "--json", "--today", "2026-11-27"]);
    assert_eq!(o.status.code(), Some(1), "an Excludes1 pair is an error");
    let got = json(&o);
    let f = &got["findings"][0];
    for field in ["severity", "rule", "codes", "message", "source"] {
        assert!(f.get(field).is_some(), "{field} in {f}");
    }
    assert_eq!(f["rule"], "excludes1");
    assert_eq!(got["codes"][1]["code"], "E10.9");
    // Warnings only: exit 0. J1100 is taken as HCPCS (its shape), and the
    // text output names the book that took it.
    let o = run(&["check", "G30.9", "F02.80", "--today", "2026-11-27"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(&["check", "J1100", "--today", "2026-11-27"]);
    assert!(stdout(&o).contains("hcpcs"), "{}", stdout(&o));
    assert!(stdout(&o).contains("also ICD-10-CM J11.00"), "{}", stdout(&o));
    // Bad usage: no codes, two systems, an unknown system.
    assert_eq!(run(&["check"]).status.code(), Some(2));
    assert_eq!(run(&["check", "I10", "--system", "icd10cm", "--system", "hcpcs"]).status.code(), Some(2));
    assert_eq!(run(&["check", "I10", "--system", "icd11"]).status.code(), Some(2));
    // The patient and the setting: an age conflict is an error; the summary shows the HCCs.
    let o =
        run(&["check", "A33", "E11.9", "--age", "70", "--sex", "F", "--setting", "inpatient", "--today", "2026-03-01"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("age-conflict") && text.contains("MCE v43.1 age edit (newborn 0)"), "{text}");
    assert!(text.contains("HCC 38"), "{text}");
    let o =
        run(&["check", "N18.4", "--principal", "E11.22", "--setting", "inpatient", "--json", "--today", "2026-03-01"]);
    let got = json(&o);
    assert_eq!(got["given"][0], "E11.22");
    assert_eq!(got["summary"]["ccMcc"][0]["excluded"], true, "{got}");
    for bad in [&["--age", "-1"][..], &["--age", "300"], &["--age", "old"], &["--sex", "X"], &["--setting", "hospice"]]
    {
        let mut args = vec!["check", "E11.9"];
        args.extend_from_slice(bad);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).trim().is_empty(), "{bad:?} says why");
    }
}
