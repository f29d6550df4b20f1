//! The ICD-10-CM Alphabetic Index in the pack: its entries' words find
//! their codes, `see` references are followed, and every code it names is a
//! code of the book (the build stops otherwise).

mod common;

use chartcode::SearchOptions;
use common::*;

fn top(query: &str, n: usize, today: u32) -> Vec<String> {
    let cb = codebook_on(today);
    let options =
        SearchOptions { systems: vec!["icd10cm".into()], limit: n, billable_only: true, ..Default::default() };
    cb.search(query, &options).unwrap().into_iter().map(|h| h.entry.code).collect()
}

#[test]
fn the_index_is_compiled_with_its_report() {
    let book = icd10cm_book();
    let meta = |key: &str| -> usize {
        book.meta.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("{key}")).1.parse().unwrap()
    };
    // 62,721 lines give a code; 12,136 give a `see` reference, 7,481 of them
    // to a path that gives a code (the rest: `see condition`, or a target
    // with only subterms).
    assert!(meta("index.linked") > 70_000, "{}", meta("index.linked"));
    assert!(meta("index.see_followed") > 7_000, "{}", meta("index.see_followed"));
    assert!(book.index_terms.len() > 70_000);
    // Every index term names a record of the book (attach refuses others).
    assert!(book.index_terms.iter().all(|(id, _, _)| (*id as usize) < book.records.len()));
}

#[test]
fn see_condition_leads_nowhere() {
    // "Chest — see condition", "Spleen — see condition": an instruction to
    // look the condition up. Followed as a path ("Condition — see also
    // Disease"; "Blood-forming organs, disease → D75.9") it made a body
    // part alone a disease of the blood.
    for site in ["chest", "spleen", "abdomen", "adrenal", "acute"] {
        let found = top(site, 3, LAST_DAY_OF_FY2026);
        assert!(!found.contains(&"D75.9".to_string()), "{site}: {found:?}");
    }
    // A term's qualifier still leads where its main word does ("see
    // Fracture, femur, neck" is "Fracture, traumatic, femur, neck").
    assert!(top("hip fracture", 10, LAST_DAY_OF_FY2026).iter().any(|c| c.starts_with("S72.0")));
}

#[test]
fn index_words_find_codes_whose_titles_lack_them() {
    // Agranulocytosis → D70.9 "Neutropenia, unspecified".
    assert!(top("agranulocytosis", 10, LAST_DAY_OF_FY2026).contains(&"D70.9".to_string()));
    // Abdominalgia — see Pain, abdominal → R10.9.
    assert_eq!(top("abdominalgia", 1, LAST_DAY_OF_FY2026), vec!["R10.9"]);
    // Attack, heart — see Infarct, myocardium → I21.9.
    assert!(top("heart attack", 5, LAST_DAY_OF_FY2026).contains(&"I21.9".to_string()));
    // A header the index names (D69.1) reaches its default code in the
    // release that split it: FY2027's "Other qualitative platelet defects".
    assert!(top("qualitative platelet defect", 3, 20261001).contains(&"D69.19".to_string()));
    assert!(top("qualitative platelet defect", 3, LAST_DAY_OF_FY2026).contains(&"D69.1".to_string()));
}

#[test]
fn a_query_that_names_an_index_entry_ranks_its_code_first() {
    let today = LAST_DAY_OF_FY2026;
    for (query, code) in [
        // Failure, failed → heart → congestive → I50.9, over the titles
        // that hold all three words (I50.20 "… systolic (congestive) heart
        // failure").
        ("congestive heart failure", "I50.9"),
        ("heart failure", "I50.9"),
        // A main term alone: the index's default, not the shortest title.
        ("dementia", "F03.90"),
        ("colitis", "K52.9"),
        // "Infection, infected, infective → kidney → N15.9", whose title
        // lacks both words but whose inclusion term is "Infection of kidney
        // NOS": over A54.21 "Gonococcal infection of kidney and ureter".
        ("kidney infection", "N15.9"),
        // "Influenza, A → J10-": the letter is a word of the entry, so
        // "influenza" alone still names J11.1.
        ("influenza", "J11.1"),
        // A chain of `see` references: Fracture, hip → Fracture, femur, neck
        // → Fracture, femur, upper end, neck → S72.00- → its most unspecified
        // child S72.009, initial encounter.
        ("hip fracture", "S72.009A"),
        // "Fracture, traumatic" is what a bare fracture means; "Fracture,
        // pathological, hip" needs its qualifier.
        ("radius fracture", "S52.90XA"),
        ("pathological fracture hip", "M84.459A"),
    ] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
}

#[test]
fn the_table_of_neoplasms_gives_site_and_behaviour() {
    let today = LAST_DAY_OF_FY2026;
    let book = icd10cm_book();
    let entries: usize = book.meta.iter().find(|(k, _)| k == "index.neoplasm_entries").unwrap().1.parse().unwrap();
    // 10,916 cells less the "-" ones, plus the rows that say `see`.
    assert!(entries > 9_000, "{entries}");
    // The row "liver" (a sample of the table): C22.9 C78.7 D01.5 D13.4
    // D37.6 D49.0 by column; a query naming row and column names the entry.
    for (query, code) in [
        ("neoplasm liver malignant", "C22.9"),
        ("neoplasm liver secondary", "C78.7"),
        ("neoplasm liver in situ", "D01.5"),
        ("liver benign neoplasm", "D13.4"),
        ("neoplasm liver uncertain behavior", "D37.6"),
        ("neoplasm liver unspecified behavior", "D49.0"),
    ] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
    // Longer rows are found by their words: "intrahepatic (bile) duct".
    for (query, code) in [("intrahepatic duct malignant neoplasm", "C22.1"), ("colon malignant neoplasm", "C18.9")] {
        assert!(top(query, 3, today).contains(&code.to_string()), "{query}: {:?}", top(query, 5, today));
    }
    // Morphology terms the index sends to the table: "Leiomyosarcoma — see
    // also Neoplasm, connective tissue, malignant" (the row "connective
    // tissue NEC"), "Adenoma — see also Neoplasm, benign, by site" (the
    // first row, site unspecified), "Syringoma — see Neoplasm, skin, benign"
    // (the row "skin NOS").
    for (query, code) in [("leiomyosarcoma", "C49.9"), ("adenoma", "D36.9"), ("syringoma", "D23.9")] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
}

#[test]
fn the_table_of_drugs_gives_each_intent_and_effect() {
    let today = LAST_DAY_OF_FY2026;
    let book = icd10cm_book();
    let entries: usize = book.meta.iter().find(|(k, _)| k == "index.drug_entries").unwrap().1.parse().unwrap();
    // 43,212 cells less the "--" ones, plus the rows that say `see`.
    assert!(entries > 30_000, "{entries}");
    // The row "Aspirin" (a sample of the table): T39.011 to T39.016 by
    // column, each at its initial encounter.
    for (query, code) in [
        ("aspirin", "T39.011A"),
        ("aspirin poisoning", "T39.011A"),
        ("aspirin poisoning intentional self-harm", "T39.012A"),
        ("aspirin poisoning assault", "T39.013A"),
        ("aspirin poisoning undetermined", "T39.014A"),
        ("adverse effect of aspirin", "T39.015A"),
        ("underdosing of aspirin", "T39.016A"),
    ] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
    // Substances whose codes' titles name their class, not them: the
    // table's words are what finds them. "Lisinopril" (an ACE inhibitor,
    // T46.4X-), a subterm row "Acetic, acid" (T54.2X-, "Toxic effect of
    // corrosive acids"), and a row that says `see`: "Aleve — see Naproxen"
    // (T39.31-).
    for (query, code) in [
        ("adverse effect of lisinopril", "T46.4X5A"),
        ("lisinopril", "T46.4X1A"),
        ("acetic acid", "T54.2X1A"),
        ("carbon monoxide poisoning", "T58.91XA"),
        ("aleve", "T39.311A"),
        ("acetaminophen overdose", "T39.1X1A"),
    ] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
    // A substance word does not crowd out a condition the query names:
    // "chloride high" keeps the electrolyte disorder in the first three.
    assert!(top("chloride high", 3, today).contains(&"E87.8".to_string()), "{:?}", top("chloride high", 5, today));
}

#[test]
fn the_external_cause_index_gives_how_an_injury_happened() {
    let today = LAST_DAY_OF_FY2026;
    let book = icd10cm_book();
    let entries: usize =
        book.meta.iter().find(|(k, _)| k == "index.external_cause_entries").unwrap().1.parse().unwrap();
    // 6,650 codes and 790 `see`s in the official XML (some terms give both).
    assert!(entries > 7_000, "{entries}");
    for (query, code) in [
        // A path of the index: Fall, from, ladder → W11.
        ("fall from ladder", "W11.XXXA"),
        ("bitten by dog", "W54.0XXA"),
        ("struck by baseball", "W21.03XA"),
        // A `see` inside the index: Accident, automobile — see Accident,
        // transport, car occupant.
        ("automobile accident", "V49.9XXA"),
    ] {
        assert_eq!(top(query, 1, today), vec![code.to_string()], "{query}: {:?}", top(query, 5, today));
    }
    // A main term both indexes have means what the Index to Diseases and
    // Injuries says ("Fall, falling (repeated) R29.6"); the external cause
    // is still near.
    assert_eq!(top("fall", 1, today), vec!["R29.6".to_string()]);
    assert!(top("fall", 5, today).contains(&"W19.XXXA".to_string()), "{:?}", top("fall", 5, today));
    // Its words are weak: the injury a query names stays first, not the
    // index's "Fracture (circumstances unknown or unspecified) X58".
    let fracture = top("fracture", 5, today);
    assert!(fracture.iter().all(|c| !c.starts_with(['V', 'W', 'X', 'Y'])), "{fracture:?}");
}
