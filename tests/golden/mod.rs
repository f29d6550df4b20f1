//! The golden cases (`cases.json`) and their checker, shared by the native
//! tests (`tests/golden_native.rs`) and the wasm tests (`tests/wasm.rs`, run in
//! node and in Chromium), so that both prove the same answers. Each side
//! implements [`Api`] over its own entry points and hands back the answers
//! as JSON, exactly as a caller sees them.
#![allow(dead_code)]

use serde_json::Value;

/// The calls the golden cases make, answered as JSON.
pub trait Api {
    fn search(&self, query: &str, options: &Value) -> Result<Value, String>;
    /// `null` when the code is not found (the JS API's answer).
    fn lookup(&self, code: &str, system: Option<&str>) -> Result<Value, String>;
    fn validate(&self, code: &str, system: &str) -> Result<Value, String>;
    fn map(&self, code: &str, to: &str) -> Result<Value, String>;
    /// A call with arbitrary JSON arguments, for the bad-input cases; `None`
    /// where the API's types make such a call impossible (native Rust).
    fn call(&self, method: &str, args: &[Value]) -> Option<Result<Value, String>>;
}

pub fn cases() -> Value {
    serde_json::from_str(include_str!("cases.json")).expect("tests/golden/cases.json is valid JSON")
}

/// The day the cases are judged on, as `YYYYMMDD`.
pub fn today() -> u32 {
    cases()["today"].as_str().expect("today").replace('-', "").parse().expect("today is a date")
}

/// Runs every case; returns one line per failure.
pub fn run(api: &dyn Api) -> Vec<String> {
    let cases = cases();
    let mut failures = Vec::new();
    let list = |key: &str| cases[key].as_array().cloned().unwrap_or_default();

    for case in list("search") {
        let query = case["query"].as_str().unwrap_or_default();
        let name = format!("search({query:?}, {})", case["options"]);
        match api.search(query, &case["options"]) {
            Err(e) => failures.push(format!("{name}: threw {e}")),
            Ok(hits) => check_hits(&name, &case, &hits, &mut failures),
        }
    }
    for case in list("lookup") {
        let code = case["code"].as_str().unwrap_or_default();
        let name = format!("lookup({code:?}, {})", case["system"]);
        match api.lookup(code, case["system"].as_str()) {
            Err(e) => failures.push(format!("{name}: threw {e}")),
            Ok(answer) => check_object(&name, &case, &answer, &mut failures),
        }
    }
    for case in list("validate") {
        let (code, system) = (case["code"].as_str().unwrap_or_default(), case["system"].as_str().unwrap_or_default());
        let name = format!("validate({code:?}, {system:?})");
        match api.validate(code, system) {
            Err(e) => failures.push(format!("{name}: threw {e}")),
            Ok(answer) => {
                check_object(&name, &case, &answer, &mut failures);
                if let Some(part) = case["reasonContains"].as_str() {
                    if !answer["reason"].as_str().unwrap_or_default().contains(part) {
                        failures.push(format!("{name}: reason {} lacks {part:?}", answer["reason"]));
                    }
                }
            }
        }
    }
    for case in list("map") {
        let (code, to) = (case["code"].as_str().unwrap_or_default(), case["to"].as_str().unwrap_or_default());
        let name = format!("map({code:?}, {to:?})");
        match api.map(code, to) {
            Err(e) => failures.push(format!("{name}: threw {e}")),
            Ok(answer) => {
                let targets: Vec<&str> = answer["targets"]
                    .as_array()
                    .map(|t| t.iter().filter_map(|t| t["code"].as_str()).collect())
                    .unwrap_or_default();
                for want in case["targets"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if !targets.contains(&want) {
                        failures.push(format!("{name}: {want} not among the targets {targets:?}"));
                    }
                }
            }
        }
    }
    for case in list("errors") {
        let method = case["call"].as_str().unwrap_or_default();
        let args = case["args"].as_array().cloned().unwrap_or_default();
        let name = format!("bad input {method}({})", Value::Array(args.clone()));
        let want = case["message"].as_str().unwrap_or_default();
        match api.call(method, &args) {
            None => {}
            Some(Ok(v)) => failures.push(format!("{name}: returned {v} instead of throwing {want:?}")),
            Some(Err(message)) if !message.contains(want) || !message.starts_with("chartcode: ") => {
                failures.push(format!("{name}: threw {message:?}, expected a chartcode error with {want:?}"));
            }
            Some(Err(_)) => {}
        }
    }
    failures
}

fn check_hits(name: &str, case: &Value, hits: &Value, failures: &mut Vec<String>) {
    let Some(hits) = hits.as_array() else {
        failures.push(format!("{name}: not an array: {hits}"));
        return;
    };
    let codes: Vec<&str> = hits.iter().map(|h| h["code"].as_str().unwrap_or("?")).collect();
    if let Some(first) = case["first"].as_str() {
        if codes.first() != Some(&first) {
            failures.push(format!("{name}: first is {:?}, expected {first} ({codes:?})", codes.first()));
        }
    }
    if let Some(prefix) = case["allStartWith"].as_str() {
        if codes.is_empty() || codes.iter().any(|c| !c.starts_with(prefix)) {
            failures.push(format!("{name}: not all of {codes:?} start with {prefix}"));
        }
    }
    if let Some(top) = case["top"].as_array() {
        let within = case["within"].as_u64().unwrap_or(10) as usize;
        for want in top.iter().filter_map(Value::as_str) {
            if !codes.iter().take(within).any(|c| *c == want) {
                failures.push(format!("{name}: {want} not among the first {within} of {codes:?}"));
            }
        }
    }
    if let Some(n) = case["lengths"]["hits"].as_u64() {
        if hits.len() as u64 != n {
            failures.push(format!("{name}: {} hits, expected {n}", hits.len()));
        }
    }
    // Every hit carries what a caller renders and stores.
    for h in hits {
        for field in
            ["system", "code", "title", "kind", "billable", "parent", "score", "matched", "highlights", "coding"]
        {
            if h.get(field).is_none() {
                failures.push(format!("{name}: hit {} lacks {field}", h["code"]));
            }
        }
        if h["coding"]["code"] != h["code"] || h["coding"]["display"] != h["title"] {
            failures.push(format!("{name}: hit {} has coding {}", h["code"], h["coding"]));
        }
    }
}

/// `expect` (`null` or an object whose fields must equal the answer's) and
/// `lengths` (array fields and their lengths).
fn check_object(name: &str, case: &Value, answer: &Value, failures: &mut Vec<String>) {
    let expect = &case["expect"];
    if expect.is_null() {
        if !answer.is_null() {
            failures.push(format!("{name}: expected null, got {answer}"));
        }
        return;
    }
    if !answer.is_object() {
        failures.push(format!("{name}: expected an object, got {answer}"));
        return;
    }
    for (key, want) in expect.as_object().into_iter().flatten() {
        if &answer[key] != want {
            failures.push(format!("{name}: {key} is {}, expected {want}", answer[key]));
        }
    }
    for (key, n) in case["lengths"].as_object().into_iter().flatten() {
        let len = answer[key].as_array().map(Vec::len);
        if len.map(|l| l as u64) != n.as_u64() {
            failures.push(format!("{name}: {key} has {len:?} items, expected {n}"));
        }
    }
}
