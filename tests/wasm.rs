//! The JS API, compiled to wasm and run by `wasm-bindgen-test` in node and
//! in headless Chromium (`make test-wasm`): the golden cases that the native
//! tests check (`tests/golden/cases.json`), bad input from JS, and a module
//! that stays usable after every error.
//!
//! Built with the `wasm` feature for `wasm32-unknown-unknown`; build.rs
//! embeds every public pack.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

mod golden;

use chartcode::wasm::JsCodeBook;
use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// JSON → a plain JS value (objects, not `Map`s), as a page would pass.
fn js(v: &Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("JSON converts to JS")
}

/// A JS answer → JSON, as a page would read it.
fn json_of(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("the answer is plain JSON-like data")
}

/// The message of a thrown JS `Error`.
fn message(e: wasm_bindgen::JsError) -> String {
    let v = JsValue::from(e);
    match v.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => format!("not an Error: {v:?}"),
    }
}

fn answer(r: Result<JsValue, wasm_bindgen::JsError>) -> Result<Value, String> {
    r.map(json_of).map_err(message)
}

fn arg(args: &[Value], i: usize) -> Option<JsValue> {
    args.get(i).map(js)
}

struct Wasm(JsCodeBook);

impl golden::Api for Wasm {
    fn search(&self, query: &str, options: &Value) -> Result<Value, String> {
        answer(self.0.search(JsValue::from_str(query), Some(js(options))))
    }
    fn lookup(&self, code: &str, system: Option<&str>) -> Result<Value, String> {
        answer(self.0.lookup(JsValue::from_str(code), system.map(JsValue::from_str)))
    }
    fn validate(&self, code: &str, system: &str) -> Result<Value, String> {
        answer(self.0.validate(JsValue::from_str(code), JsValue::from_str(system)))
    }
    fn map(&self, code: &str, to: &str) -> Result<Value, String> {
        answer(self.0.map(JsValue::from_str(code), JsValue::from_str(to)))
    }
    fn call(&self, method: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let first = arg(args, 0).unwrap_or(JsValue::UNDEFINED);
        let second = arg(args, 1);
        Some(answer(match method {
            "search" => self.0.search(first, second),
            "lookup" => self.0.lookup(first, second),
            "children" => self.0.children(Some(first), second),
            "validate" => self.0.validate(first, second.unwrap_or(JsValue::UNDEFINED)),
            "map" => self.0.map(first, second.unwrap_or(JsValue::UNDEFINED)),
            other => return Some(Err(format!("no such method {other}"))),
        }))
    }
}

/// `{ key: value }` for values JSON cannot hold (Infinity, NaN, a Date).
fn with(key: &str, value: JsValue) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &JsValue::from_str(key), &value).expect("a plain object takes any key");
    o.into()
}

fn book() -> JsCodeBook {
    let today = golden::cases()["today"].clone();
    JsCodeBook::new(Some(js(&json!({ "today": today })))).map_err(message).expect("the embedded packs open")
}

#[wasm_bindgen_test]
fn golden_cases_hold_in_wasm() {
    let failures = golden::run(&Wasm(book()));
    assert!(failures.is_empty(), "{} golden cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
fn every_public_book_is_embedded() {
    let systems = json_of(book().systems().map_err(message).unwrap());
    let ids: Vec<&str> = systems.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["icd10cm", "icd10pcs", "hcpcs", "icd9cm", "icd9proc"]);
    let icd10cm = &systems[0];
    // Read on the golden cases' day (2026-11-27): FY2027 is in force.
    assert_eq!(icd10cm["counts"]["billable"], 74_879);
    assert_eq!(icd10cm["fhirUri"], "http://hl7.org/fhir/sid/icd-10-cm");
    assert_eq!(icd10cm["release"], "FY2027 (derived)");
    assert_eq!(icd10cm["releases"][0]["billable"], 74_719);
}

/// Odd input never traps: after each bad call the same book still answers.
#[wasm_bindgen_test]
fn bad_input_throws_and_the_module_stays_usable() {
    let book = book();
    let long = "a".repeat(20_000);
    let bad: Vec<(JsValue, Option<JsValue>)> = vec![
        (JsValue::UNDEFINED, None),
        (JsValue::NULL, None),
        (JsValue::from_f64(f64::NAN), None),
        (JsValue::from_bool(true), None),
        (js_sys::Object::new().into(), None),
        (js_sys::Array::new().into(), None),
        (JsValue::from_str(&long), None),
        (JsValue::from_str("chf"), Some(JsValue::from_str("icd10cm"))),
        (JsValue::from_str("chf"), Some(js(&json!({ "limit": -1 })))),
        (JsValue::from_str("chf"), Some(js(&json!({ "limit": "5" })))),
        (JsValue::from_str("chf"), Some(with("limit", JsValue::from_f64(f64::INFINITY)))),
        (JsValue::from_str("chf"), Some(with("limit", JsValue::from_f64(f64::NAN)))),
        (JsValue::from_str("chf"), Some(js(&json!({ "billableOnly": "yes" })))),
        (JsValue::from_str("chf"), Some(js(&json!({ "systems": [1, 2] })))),
        (JsValue::from_str("chf"), Some(js(&json!({ "systems": "cpt" })))),
    ];
    for (query, options) in bad {
        let described = format!("search({query:?}, {options:?})");
        let e = match book.search(query, options) {
            Ok(v) => {
                panic!("{described} answered {} hits instead of throwing", json_of(v).as_array().map_or(0, Vec::len))
            }
            Err(e) => e,
        };
        let m = message(e);
        assert!(m.starts_with("chartcode: search(): "), "{described}: {m}");
        let hits = json_of(book.search(JsValue::from_str("chf"), None).map_err(message).expect("still usable"));
        assert_eq!(hits[0]["code"], "I50.9", "after {described}");
    }
    // A lone surrogate is refused, not replaced silently.
    let lone = js_sys::JsString::from_char_code1(0xD800);
    assert!(message(book.search(lone.into(), None).unwrap_err()).contains("lone UTF-16 surrogate"));
    // Odd but valid text: an answer, maybe empty, never a trap.
    for q in ["😀😀😀", "שלום עולם", "\u{0}\u{7}\u{1b}[2J", "\u{202e}chf", "E11.9.9.9", "----", "%%%%", "ｃｈｆ"]
    {
        book.search(JsValue::from_str(q), None).map_err(message).unwrap_or_else(|m| panic!("{q:?}: {m}"));
        book.lookup(JsValue::from_str(q), None).map_err(message).unwrap_or_else(|m| panic!("{q:?}: {m}"));
    }
    // The longest accepted query is answered.
    let max = "heart failure ".repeat(720);
    book.search(JsValue::from_str(&max[..10_000]), None).map_err(message).expect("10,000 characters are accepted");
}

#[wasm_bindgen_test]
fn constructor_options_are_checked() {
    let bad = [
        json!("2026-11-27"),
        json!({ "today": "tomorrow" }),
        json!({ "today": "2026-13-01" }),
        json!({ "today": 20261127 }),
        json!({ "packs": "icd10cm" }),
        json!({ "packs": [[1, 2, 3]] }),
        json!({ "todya": "2026-11-27" }),
    ];
    for options in bad {
        let e = JsCodeBook::new(Some(js(&options))).map(|_| ()).expect_err(&options.to_string());
        assert!(message(e).starts_with("chartcode: new CodeBook(): "), "{options}");
    }
    // A corrupt pack passed in is refused with the pack's own error.
    let garbage = js_sys::Uint8Array::from(&b"CHARTPAK but not really a pack"[..]);
    let m = message(JsCodeBook::new(Some(with("packs", js_sys::Array::of1(&garbage).into()))).map(|_| ()).unwrap_err());
    assert!(m.contains("options.packs[0]"), "{m}");
    // No options and a JS Date both work.
    JsCodeBook::new(None).map_err(message).expect("defaults");
    let date = js_sys::Date::new(&JsValue::from_str("2024-06-01T12:00:00"));
    JsCodeBook::new(Some(with("today", date.into()))).map_err(message).expect("a Date");
    let invalid = js_sys::Date::new(&JsValue::from_str("not a date"));
    let m = message(JsCodeBook::new(Some(with("today", invalid.into()))).map(|_| ()).unwrap_err());
    assert!(m.contains("invalid Date"), "{m}");
}

/// The date of service chooses the ICD-10-CM release: S23.420A is a code
/// of FY2026 (to 2026-09-30) that FY2027 deleted.
#[wasm_bindgen_test]
fn the_date_of_service_chooses_the_release() {
    let mut book = book();
    let lookup =
        |book: &JsCodeBook, code: &str| json_of(book.lookup(JsValue::from_str(code), None).map_err(message).unwrap());
    book.set_today(JsValue::from_str("2026-09-30")).map_err(message).unwrap();
    let l = lookup(&book, "S23.420A");
    assert_eq!((l["found"].clone(), l["billable"].clone()), (true.into(), true.into()));
    assert_eq!(l["release"], "FY2026 (April 1, 2026 update)");
    book.set_today(JsValue::from_str("2026-10-01")).map_err(message).unwrap();
    // lookup() answers null for a code the release does not have;
    // validate() says why.
    assert_eq!(lookup(&book, "S23.420A"), Value::Null);
    let v =
        json_of(book.validate(JsValue::from_str("S23.420A"), JsValue::from_str("icd10cm")).map_err(message).unwrap());
    assert_eq!(v["valid"], false);
    assert!(v["reason"].as_str().unwrap().contains("deleted in FY2027"), "{v}");
    assert_eq!(lookup(&book, "I42.00")["release"], "FY2027 (derived)");
}

/// The day of use decides whether a terminated HCPCS code is billable.
#[wasm_bindgen_test]
fn termination_follows_the_day_of_use() {
    let mut book = book();
    let billable = |book: &JsCodeBook| {
        json_of(book.lookup(JsValue::from_str("A4397"), None).map_err(message).unwrap())["billable"].clone()
    };
    assert_eq!(billable(&book), false, "terminated on 2021-12-31");
    book.set_today(JsValue::from_str("2021-06-01")).map_err(message).unwrap();
    assert_eq!(billable(&book), true, "still current in June 2021");
    assert!(message(book.set_today(JsValue::from_str("soon")).unwrap_err()).contains("YYYY-MM-DD"));
}

#[wasm_bindgen_test]
fn suggest_answers_a_note_with_evidence_and_refuses_bad_input() {
    let book = book();
    let note = "Type 2 diabetes and hypertension. No chest pain. Likely CHF.";
    let got = answer(book.suggest(JsValue::from_str(note), None)).expect("suggest answers");
    let codes: Vec<&str> = got.as_array().unwrap().iter().filter_map(|s| s["code"].as_str()).collect();
    assert!(codes.contains(&"E11.9") && codes.contains(&"I10"), "{codes:?}");
    assert!(!codes.iter().any(|c| c.starts_with("R07") || c.starts_with("I50")), "{codes:?}");
    let first = &got[0];
    let (start, end) = (first["evidence"][0]["start"].as_u64().unwrap(), first["evidence"][0]["end"].as_u64().unwrap());
    let sliced = js_sys::JsString::from(note).slice(start as u32, end as u32);
    assert_eq!(String::from(sliced), first["evidence"][0]["text"].as_str().unwrap());
    let inpatient = answer(book.suggest(JsValue::from_str(note), Some(js(&json!({ "setting": "inpatient" })))));
    let inpatient = inpatient.expect("suggest answers inpatient");
    assert!(inpatient.as_array().unwrap().iter().any(|s| s["code"] == "I11.0"), "{inpatient}");
    let bad: Vec<(JsValue, Option<JsValue>)> = vec![
        (JsValue::UNDEFINED, None),
        (JsValue::from_f64(3.0), None),
        (JsValue::from_str(&"a ".repeat(60_000)), None),
        (JsValue::from_str(note), Some(js(&json!({ "setting": "er" })))),
        (JsValue::from_str(note), Some(js(&json!({ "includeAll": "yes" })))),
        (JsValue::from_str(note), Some(js(&json!({ "systems": "icd11" })))),
        (JsValue::from_str(note), Some(js(&json!({ "note": "x" })))),
    ];
    for (text, options) in bad {
        let described = format!("suggest({text:?}, {options:?})");
        match book.suggest(text, options) {
            Ok(_) => panic!("{described} answered instead of throwing"),
            Err(e) => assert!(message(e).starts_with("chartcode: suggest():"), "{described}"),
        }
    }
    assert!(answer(book.suggest(JsValue::from_str("hypertension"), None)).is_ok(), "usable after errors");
}

#[wasm_bindgen_test]
fn check_reads_codes_as_strings_or_objects_and_refuses_bad_input() {
    let mut book = book();
    let codes = js(&json!(["E11.9", { "system": "icd10cm", "code": "E10.9" }]));
    let got = answer(book.check(codes, Some(js(&json!({ "today": "2026-11-27" }))))).expect("check answers");
    assert_eq!(got["findings"][0]["rule"], "excludes1", "{got}");
    assert_eq!(got["findings"][0]["severity"], "error");
    assert_eq!(got["codes"][0]["code"], "E11.9");
    // The patient's age, sex and setting; the payment summary.
    let options = json!({ "today": "2026-03-01", "age": 70, "sex": "M", "setting": "inpatient" });
    let got = answer(book.check(js(&json!(["E11.22", "O80", "N18.4"])), Some(js(&options)))).expect("check answers");
    let rules: Vec<&str> = got["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"age-conflict") && rules.contains(&"sex-conflict") && rules.contains(&"cc-mcc"), "{got}");
    assert_eq!(got["summary"]["hcc"][0]["hcc"], 37, "{got}");
    assert_eq!(got["summary"]["ccMcc"][0]["excluded"], true, "{got}");
    let bad: Vec<(JsValue, Option<JsValue>)> = vec![
        (JsValue::UNDEFINED, None),
        (JsValue::from_str("E11.9"), None),
        (js(&json!([3])), None),
        (js(&json!([{ "code": 3 }])), None),
        (js(&json!([{ "cod": "E11.9" }])), None),
        (js(&json!(vec!["I10"; 1001])), None),
        (js(&json!(["I10"])), Some(js(&json!({ "today": "soon" })))),
        (js(&json!(["I10"])), Some(js(&json!({ "agee": 70 })))),
        (js(&json!(["I10"])), Some(js(&json!({ "age": -1 })))),
        (js(&json!(["I10"])), Some(js(&json!({ "age": 300 })))),
        (js(&json!(["I10"])), Some(js(&json!({ "age": 7.5 })))),
        (js(&json!(["I10"])), Some(js(&json!({ "age": "seventy" })))),
        (js(&json!(["I10"])), Some(js(&json!({ "sex": "X" })))),
        (js(&json!(["I10"])), Some(js(&json!({ "setting": "hospice" })))),
        (js(&json!([{ "system": "icd11", "code": "I10" }])), None),
    ];
    for (codes, options) in bad {
        let described = format!("check({codes:?}, {options:?})");
        match book.check(codes, options) {
            Ok(_) => panic!("{described} answered instead of throwing"),
            Err(e) => assert!(message(e).starts_with("chartcode: check():"), "{described}"),
        }
    }
    assert!(answer(book.check(js(&json!(["I10"])), None)).is_ok(), "usable after errors");
}
