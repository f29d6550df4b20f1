//! The golden cases (`tests/golden/cases.json`) against the native search
//! core over every public book. `tests/wasm.rs` runs the same cases through
//! the JS API in node and Chromium.

mod common;
mod golden;

use chartcode::{CodeBook, SearchOptions};
use serde_json::Value;

struct Native(CodeBook<'static>);

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s.split([' ', ',']).filter(|p| !p.is_empty()).map(str::to_string).collect(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

impl golden::Api for Native {
    fn search(&self, query: &str, options: &Value) -> Result<Value, String> {
        let options = SearchOptions {
            systems: strings(&options["systems"]),
            limit: options["limit"].as_u64().map_or(chartcode::search::DEFAULT_LIMIT, |n| n as usize),
            billable_only: options["billableOnly"].as_bool().unwrap_or(false),
            within: strings(&options["within"]),
            setting: options["setting"].as_str().and_then(chartcode::search::Setting::parse),
        };
        let hits = self.0.search(query, &options).map_err(|e| e.to_string())?;
        Ok(serde_json::to_value(hits).expect("hits serialize"))
    }

    fn lookup(&self, code: &str, system: Option<&str>) -> Result<Value, String> {
        let found = self.0.lookup(code, system).map_err(|e| e.to_string())?;
        Ok(if found.record.is_some() { serde_json::to_value(found).expect("lookup serializes") } else { Value::Null })
    }

    fn validate(&self, code: &str, system: &str) -> Result<Value, String> {
        let v = self.0.validate(code, system).map_err(|e| e.to_string())?;
        Ok(serde_json::to_value(v).expect("validation serializes"))
    }

    fn map(&self, code: &str, to: &str) -> Result<Value, String> {
        let x = self.0.map(code, to).map_err(|e| e.to_string())?;
        Ok(serde_json::to_value(x).expect("crosswalk serializes"))
    }

    fn call(&self, _method: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}

#[test]
fn golden_cases_hold_natively() {
    let mut book = common::all_books();
    book.set_today(golden::today());
    let failures = golden::run(&Native(book));
    assert!(failures.is_empty(), "{} golden cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// The checker itself must fail on a wrong answer (a golden test that
/// cannot fail proves nothing).
#[test]
fn the_checker_catches_wrong_answers() {
    struct Wrong;
    impl golden::Api for Wrong {
        fn search(&self, _: &str, _: &Value) -> Result<Value, String> {
            Ok(serde_json::json!([{ "code": "A00.0", "title": "x" }]))
        }
        fn lookup(&self, _: &str, _: Option<&str>) -> Result<Value, String> {
            Ok(serde_json::json!({ "code": "A00.0" }))
        }
        fn validate(&self, _: &str, _: &str) -> Result<Value, String> {
            Ok(serde_json::json!({ "valid": true }))
        }
        fn map(&self, _: &str, _: &str) -> Result<Value, String> {
            Ok(Value::Null)
        }
        fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
            Some(Ok(Value::Null))
        }
    }
    let failures = golden::run(&Wrong);
    let cases = golden::cases();
    for section in ["search", "lookup", "validate", "map", "errors"] {
        let n = cases[section].as_array().map_or(0, Vec::len);
        let prefix = if section == "errors" { "bad input" } else { section };
        let failed = failures.iter().filter(|f| f.starts_with(prefix)).count();
        assert!(failed > 0 && n > 0, "no failure reported for {section}");
    }
}
