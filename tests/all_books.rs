//! One search across every book: systems chosen or all, hits tagged with
//! their system, code queries routed by their shape.

mod common;

use chartcode::SearchOptions;
use common::*;

fn opts(systems: &[&str], limit: usize) -> SearchOptions {
    SearchOptions { systems: systems.iter().map(|s| s.to_string()).collect(), limit, ..SearchOptions::default() }
}

#[test]
fn wheelchair_in_hcpcs_finds_k0001() {
    let hits = all_books().search("wheelchair", &opts(&["hcpcs"], 20)).unwrap();
    assert!(hits.iter().all(|h| h.entry.system == "hcpcs"));
    assert!(hits.iter().any(|h| h.entry.code == "K0001"));
}

#[test]
fn every_book_is_searched_unless_systems_are_named() {
    let cb = all_books();
    let systems = |q: &str, o: &SearchOptions| {
        let mut s: Vec<&str> = cb.search(q, o).unwrap().iter().map(|h| h.entry.system).collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    // Deep enough for the retired procedure book, whose "fracture of femur"
    // procedures rank below every current book's matches.
    let all = systems("fracture femur", &opts(&[], 600));
    for s in ["icd10cm", "icd10pcs", "icd9cm", "icd9proc"] {
        assert!(all.contains(&s), "{s} missing from {all:?}");
    }
    assert_eq!(systems("fracture femur", &opts(&["icd10cm", "icd10pcs"], 400)), ["icd10cm", "icd10pcs"]);
    // A book in current use before a retired one, on equal words.
    let chf = cb.search("congestive heart failure", &opts(&[], 5)).unwrap();
    assert_eq!(
        chf[0].entry.system,
        "icd10cm",
        "{:?}",
        chf.iter().map(|h| (&h.entry.system, &h.entry.code)).collect::<Vec<_>>()
    );
    assert!(cb.search("x", &opts(&["snomed"], 5)).is_err());
}

#[test]
fn codes_are_routed_to_the_books_they_fit() {
    let cb = all_books();
    let hits = cb.search("250.0", &opts(&[], 20)).unwrap();
    assert!(
        !hits.is_empty() && hits.iter().all(|h| h.entry.system == "icd9cm"),
        "{:?}",
        hits.iter().map(|h| &h.entry.code).collect::<Vec<_>>()
    );
    let hits = cb.search("0DTJ", &opts(&[], 20)).unwrap();
    assert!(!hits.is_empty() && hits.iter().all(|h| h.entry.system == "icd10pcs"));
    let hits = cb.search("J1100", &opts(&[], 20)).unwrap();
    let systems: Vec<&str> =
        hits.iter().filter(|h| h.entry.code.replace('.', "") == "J1100").map(|h| h.entry.system).collect();
    assert!(systems.contains(&"hcpcs") && systems.contains(&"icd10cm"), "{systems:?}");
    let hits = cb.search("e11.9", &opts(&[], 5)).unwrap();
    assert_eq!(hits[0].entry.code, "E11.9");
    assert_eq!(hits[0].entry.system, "icd10cm");
}

#[test]
fn a_lookup_in_the_wrong_book_says_which_it_fits() {
    let cb = all_books();
    let l = cb.lookup("250.00", Some("icd10cm")).unwrap();
    assert!(l.record.is_none());
    assert!(l.help.unwrap().contains("looks like ICD-9-CM"));
    let l = cb.lookup("0016070", Some("hcpcs")).unwrap();
    assert!(l.help.unwrap().contains("ICD-10-PCS"));
    // J1100 is HCPCS as typed, and ICD-10-CM J11.00 too.
    let l = cb.lookup("J1100", None).unwrap();
    assert_eq!(l.record.unwrap().entry.system, "hcpcs");
    assert!(l.candidates.iter().any(|c| c.system == "icd10cm" && c.code == "J11.00"));
}

#[test]
fn every_public_pack_together_stays_within_the_wasm_budget() {
    // The budgets in force (docs/PERFORMANCE.md): the ICD-10-CM-only wasm
    // build at most 1.35 MB gzip and every public book at most 3.0 MB, code
    // included (about 150 KB gzip). Sizes are measured by the bench; this
    // guards the packs' share of the budgets.
    use std::io::Write;
    let gzip = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap().len()
    };
    assert_eq!(all_packs().len(), 5);
    let icd10cm = all_packs().iter().find(|p| p.system.id == "icd10cm").unwrap();
    let cm = gzip(&icd10cm.bytes);
    assert!(cm < 1_200_000, "ICD-10-CM pack: {cm} bytes gzip, over its share of the 1.35 MB budget");
    let total: usize = all_packs().iter().map(|p| gzip(&p.bytes)).sum();
    assert!(total < 2_850_000, "every pack: {total} bytes gzip, over its share of the 3.0 MB budget");
}

#[test]
fn pruning_across_books_never_changes_the_top_hits() {
    // Retired books are searched last and must beat the floor outright
    // (`search_words`): a small limit must give the head of a large one.
    let cb = common::all_books();
    let run = |q: &str, limit: usize, billable_only: bool| {
        cb.search(q, &SearchOptions { limit, billable_only, ..SearchOptions::default() })
            .unwrap()
            .into_iter()
            .map(|h| format!("{} {}", h.entry.system, h.entry.code))
            .collect::<Vec<_>>()
    };
    let mut legacy_seen = false;
    for q in [
        "heart failure",
        "chf",
        "diabetes mellitus without mention of complication",
        "diabetes mellitus without mention",
        "appendectomy",
        "other appendectomy",
        "fracture femur",
        "wheelchair",
        "hypertensive heart and chronic kidney disease malignant",
        "di",
        "ty",
    ] {
        for billable_only in [false, true] {
            let big = run(q, 400, billable_only);
            legacy_seen |= big.iter().take(20).any(|h| h.starts_with("icd9"));
            for limit in [1, 5, 20, 50] {
                let small = run(q, limit, billable_only);
                assert_eq!(small[..], big[..small.len().min(big.len())], "{q} limit {limit} billable {billable_only}");
                assert_eq!(small.len(), limit.min(big.len()), "{q} limit {limit}");
            }
        }
    }
    assert!(legacy_seen, "some query must rank a retired book's code in its top 20");
}

#[test]
fn code_tokens_widen_each_other_and_are_never_repeated() {
    let cb = common::all_books();
    let opts = |limit| SearchOptions { limit, ..SearchOptions::default() };
    let hits = cb.search("diabetes e11 e10", &opts(60)).unwrap();
    let codes: Vec<&str> = hits.iter().map(|h| h.entry.code.as_str()).collect();
    assert!(codes.iter().all(|c| c.starts_with("E10") || c.starts_with("E11")), "{codes:?}");
    assert!(codes.iter().any(|c| c.starts_with("E10")) && codes.iter().any(|c| c.starts_with("E11")), "{codes:?}");
    for q in ["e119 e11.9", "e11 e119", "E11.9 e119 E119", "e11 e11 e11.9 diabetes"] {
        let hits = cb.search(q, &opts(100)).unwrap();
        let mut keys: Vec<(&str, &str)> = hits.iter().map(|h| (h.entry.system, h.entry.code.as_str())).collect();
        assert!(keys.contains(&("icd10cm", "E11.9")), "{q}: {keys:?}");
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "{q}: a hit repeated");
    }
    // Code tokens are capped like words: a pasted list of codes is bounded.
    let many: String = (0..500).map(|i| format!("E{:02}.{} ", 8 + i % 6, i % 10)).collect::<String>() + "diabetes";
    let packs: Vec<&chartcode::Pack> = cb.packs().iter().collect();
    let parsed = chartcode::search::query::Query::parse(&many, &packs, &Default::default());
    assert_eq!(parsed.codes.len(), chartcode::search::query::MAX_WORDS, "{:?}", parsed.codes);
    assert!(!cb.search(&many, &opts(10)).unwrap().is_empty());
}

#[test]
fn score_is_the_order_of_the_hits() {
    let all = common::all_books();
    for q in [
        "heart failure",
        "chf",
        "diabetes e11",
        "fracture femur",
        "wheelchair",
        "walker",
        "appendectomy",
        "diabetes mellitus without mention of complication",
        "hypertensive heart and chronic kidney disease",
        "pneumonia u",
        "e11",
        "j11",
        "resection of appendix",
        "copd",
        "annual physical",
    ] {
        for billable_only in [false, true] {
            let hits = all.search(q, &SearchOptions { limit: 50, billable_only, ..SearchOptions::default() }).unwrap();
            assert!(!hits.is_empty(), "{q}");
            for pair in hits.windows(2) {
                assert!(
                    pair[0].score >= pair[1].score,
                    "{q}: {} {} ({}) before {} {} ({})",
                    pair[0].entry.system,
                    pair[0].entry.code,
                    pair[0].score,
                    pair[1].entry.system,
                    pair[1].entry.code,
                    pair[1].score
                );
            }
        }
    }
}

#[test]
fn current_books_come_before_retired_ones() {
    // In `SYSTEMS` and so in every code book: a code several loaded books
    // have is answered from a current one.
    let order: Vec<bool> = chartcode::model::SYSTEMS.iter().map(|s| s.legacy).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    let cb = common::all_books();
    let legacy: Vec<bool> = cb.packs().iter().map(|p| p.system().legacy).collect();
    assert!(legacy.windows(2).all(|w| w[0] <= w[1]), "{legacy:?}");
}
