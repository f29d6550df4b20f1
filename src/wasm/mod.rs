//! The WebAssembly module: the JS/TS API over the search core.
//!
//! `CodeBook` (JS) wraps [`crate::CodeBook`] over the packs embedded at build
//! time (see `build.rs`) and any licensed packs the page passes in. Every
//! method checks its arguments (`args`), calls the same core the CLI calls,
//! and returns plain JS objects serialized from the core's types, so a hit in
//! JS has exactly the fields of `chartcode search --json`. Errors are thrown
//! as JS `Error`s with a message; nothing panics (a panic would trap and
//! leave the module unusable for every later call).

mod args;

use crate::check::{CheckContext, CodeToCheck, MAX_CHECK_CODES};
use crate::flags::Sex;
use crate::search::{self, SearchOptions, Setting, DEFAULT_LIMIT, MAX_LIMIT};
use crate::suggest::{SuggestOptions, DEFAULT_SUGGEST_LIMIT, MAX_NOTE_CHARS, MAX_SUGGEST_LIMIT};
use crate::Pack;
use args::{ArgError, MAX_CODE_LEN, MAX_QUERY_LEN};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));
}

pub use embedded::EMBEDDED_PACKS;

/// The TypeScript declarations of the API (`CodeBook` and the shapes it
/// takes and returns), emitted into the package's `.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// The loaded code books, as JavaScript sees them. Its TypeScript
/// declaration is written by hand in `types.d.ts`, next to the types of
/// what it returns.
#[wasm_bindgen(js_name = CodeBook, skip_typescript)]
pub struct JsCodeBook {
    book: search::CodeBook<'static>,
}

/// Turns an argument error into the JS `Error` a method throws.
fn thrown(method: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("chartcode: {method}: {message}"))
}

/// The core's value as a plain JS object (`null` for `None`, objects not
/// `Map`s), or the error it could not be turned into.
fn to_js<T: Serialize + ?Sized>(method: &str, value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| thrown(method, e))
}

fn arg<T>(method: &str, r: Result<T, ArgError>) -> Result<T, JsError> {
    r.map_err(|e| thrown(method, e))
}

#[wasm_bindgen(js_class = CodeBook)]
impl JsCodeBook {
    /// Opens every embedded pack (and `options.packs`, your licensed CPT or
    /// CDT packs built with `chartcode build --import-cpt`). `options.today`
    /// (`"YYYY-MM-DD"` or a `Date`; default: today in the browser's time
    /// zone) decides which codes with a termination date are still billable.
    #[wasm_bindgen(constructor, skip_typescript)]
    pub fn new(options: Option<JsValue>) -> Result<JsCodeBook, JsError> {
        const M: &str = "new CodeBook()";
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let options = arg(M, args::options(&options, "options", &["today", "packs"]))?;
        let (today, extra) = match &options {
            Some(o) => (args::get(o, "today"), args::get(o, "packs")),
            None => (JsValue::UNDEFINED, JsValue::UNDEFINED),
        };
        let today = if today.is_undefined() || today.is_null() {
            args::today()
        } else {
            arg(M, args::date(&today, "options.today"))?
        };
        let mut packs: Vec<&'static [u8]> = EMBEDDED_PACKS.iter().map(|(_, bytes)| *bytes).collect();
        packs.extend(arg(M, licensed_packs(&extra))?);
        let mut book = search::CodeBook::open(&packs).map_err(|e| thrown(M, e))?;
        book.set_today(today);
        Ok(JsCodeBook { book })
    }

    /// The loaded books: id, name, FHIR system URI, release and counts.
    #[wasm_bindgen(skip_typescript)]
    pub fn systems(&self) -> Result<JsValue, JsError> {
        let systems = self.book.systems().map_err(|e| thrown("systems()", e))?;
        to_js("systems()", &systems)
    }

    /// Searches as the clinician types: words in any order (the last one a
    /// prefix), abbreviations (`chf`), codes with or without the dot. Hits
    /// come best first.
    #[wasm_bindgen(skip_typescript)]
    pub fn search(&self, query: JsValue, options: Option<JsValue>) -> Result<JsValue, JsError> {
        const M: &str = "search()";
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let query = arg(M, args::string(&query, "query", MAX_QUERY_LEN))?;
        let options = arg(M, search_options(&options))?;
        let hits = self.book.search(&query, &options).map_err(|e| thrown(M, e))?;
        to_js(M, &hits)
    }

    /// Everything about one code (`E11.9`, `e119`, `S72.001A`, `0DTJ0ZZ`,
    /// `250.00`): notes, ancestors, children count, 7th characters, and for
    /// an ICD-9-CM code its ICD-10 crosswalk; `null` when it is not a code.
    #[wasm_bindgen(skip_typescript)]
    pub fn suggest(&self, text: JsValue, options: Option<JsValue>) -> Result<JsValue, JsError> {
        const M: &str = "suggest()";
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let text = arg(M, args::string(&text, "text", MAX_NOTE_CHARS as u32))?;
        let options = arg(M, suggest_options(&options))?;
        let suggestions = self.book.suggest(&text, &options).map_err(|e| thrown(M, e))?;
        to_js(M, &suggestions)
    }

    /// The coder's checks on a code set: `codes` are strings (routed by
    /// shape, as `lookup` does) or `{ system, code }`; options `{ principal,
    /// today, age, sex, setting }`. Returns `{ given, codes, findings,
    /// summary }`.
    #[wasm_bindgen(skip_typescript)]
    pub fn check(&mut self, codes: JsValue, options: Option<JsValue>) -> Result<JsValue, JsError> {
        const M: &str = "check()";
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let codes = arg(M, codes_to_check(&codes))?;
        let (context, today) = arg(M, check_options(&options))?;
        // A date for this check only: the book's own is put back after.
        let previous = self.book.packs().first().map(|p| p.today()).unwrap_or(0);
        if let Some(day) = today {
            self.book.set_today(day);
        }
        let report = self.book.check(&codes, &context);
        if today.is_some() && previous != 0 {
            self.book.set_today(previous);
        }
        to_js(M, &report.map_err(|e| thrown(M, e))?)
    }

    #[wasm_bindgen(skip_typescript)]
    pub fn lookup(&self, code: JsValue, system: Option<JsValue>) -> Result<JsValue, JsError> {
        const M: &str = "lookup()";
        let system = system.unwrap_or(JsValue::UNDEFINED);
        let code = arg(M, args::string(&code, "code", MAX_CODE_LEN))?;
        let system = arg(M, args::optional_string(&system, "system", MAX_CODE_LEN))?;
        let found = self.book.lookup(&code, system.as_deref()).map_err(|e| thrown(M, e))?;
        if found.record.is_none() {
            return Ok(JsValue::NULL);
        }
        to_js(M, &found)
    }

    /// The children of a code in book order (a PCS table or partial code:
    /// the next axis's values); no code: the top of every book. `null` when
    /// the code does not exist.
    #[wasm_bindgen(skip_typescript)]
    pub fn children(&self, code: Option<JsValue>, system: Option<JsValue>) -> Result<JsValue, JsError> {
        const M: &str = "children()";
        let (code, system) = (code.unwrap_or(JsValue::UNDEFINED), system.unwrap_or(JsValue::UNDEFINED));
        let code = arg(M, args::optional_string(&code, "code", MAX_CODE_LEN))?;
        let system = arg(M, args::optional_string(&system, "system", MAX_CODE_LEN))?;
        let children = self.book.children(code.as_deref(), system.as_deref()).map_err(|e| thrown(M, e))?;
        to_js(M, &children)
    }

    /// Whether a code may be stored as it stands (a billable code of
    /// `system` today), and if not, why and what to choose instead.
    #[wasm_bindgen(skip_typescript)]
    pub fn validate(&self, code: JsValue, system: JsValue) -> Result<JsValue, JsError> {
        const M: &str = "validate()";
        let code = arg(M, args::string(&code, "code", MAX_CODE_LEN))?;
        let system = arg(M, args::string(&system, "system", MAX_CODE_LEN))?;
        let v = self.book.validate(&code, &system).map_err(|e| thrown(M, e))?;
        to_js(M, &v)
    }

    /// Translates a code with the GEM crosswalks (ICD-9-CM ↔ ICD-10-CM,
    /// ICD-9-CM procedures ↔ ICD-10-PCS); `null` when no loaded crosswalk
    /// has the code.
    #[wasm_bindgen(skip_typescript)]
    pub fn map(&self, code: JsValue, to_system: JsValue) -> Result<JsValue, JsError> {
        const M: &str = "map()";
        let code = arg(M, args::string(&code, "code", MAX_CODE_LEN))?;
        let to = arg(M, args::string(&to_system, "toSystem", MAX_CODE_LEN))?;
        let crosswalk = self.book.map(&code, &to).map_err(|e| thrown(M, e))?;
        to_js(M, &crosswalk)
    }

    /// Changes the day codes are judged on (`"YYYY-MM-DD"` or a `Date`).
    #[wasm_bindgen(js_name = setToday, skip_typescript)]
    pub fn set_today(&mut self, date: JsValue) -> Result<(), JsError> {
        let today = arg("setToday()", args::date(&date, "date"))?;
        self.book.set_today(today);
        Ok(())
    }
}

/// `SearchOptions` from JS `{ systems, limit, billableOnly, within, setting }`.
fn search_options(value: &JsValue) -> Result<SearchOptions, ArgError> {
    let Some(o) = args::options(value, "options", &["systems", "limit", "billableOnly", "within", "setting"])? else {
        return Ok(SearchOptions::default());
    };
    Ok(SearchOptions {
        systems: args::strings(&args::get(&o, "systems"), "options.systems")?,
        limit: args::whole_number(&args::get(&o, "limit"), "options.limit", DEFAULT_LIMIT)?.min(MAX_LIMIT),
        billable_only: args::boolean(&args::get(&o, "billableOnly"), "options.billableOnly", false)?,
        within: args::strings(&args::get(&o, "within"), "options.within")?,
        setting: setting(&args::get(&o, "setting"))?,
    })
}

/// `check`'s codes: an array of strings or `{ system, code }` objects.
fn codes_to_check(value: &JsValue) -> Result<Vec<CodeToCheck>, ArgError> {
    if !args::is_array(value) {
        return Err(format!("codes must be an array of codes, not {}", args::describe(value)));
    }
    let items = args::array_items(value, "codes", MAX_CHECK_CODES as u32)?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if item.is_string() {
            out.push(CodeToCheck { system: None, code: args::string(item, &format!("codes[{i}]"), MAX_CODE_LEN)? });
            continue;
        }
        let what = format!("codes[{i}]");
        let Some(o) = args::options(item, &what, &["system", "code"])? else {
            return Err(format!("{what} must be a code or {{ system, code }}, not {}", args::describe(item)));
        };
        out.push(CodeToCheck {
            system: args::optional_string(&args::get(&o, "system"), &format!("{what}.system"), MAX_CODE_LEN)?,
            code: args::string(&args::get(&o, "code"), &format!("{what}.code"), MAX_CODE_LEN)?,
        });
    }
    Ok(out)
}

/// `check`'s options `{ principal, today, age, sex, setting }`.
fn check_options(value: &JsValue) -> Result<(CheckContext, Option<u32>), ArgError> {
    let Some(o) = args::options(value, "options", &["principal", "today", "age", "sex", "setting"])? else {
        return Ok((CheckContext::default(), None));
    };
    let principal = args::optional_string(&args::get(&o, "principal"), "options.principal", MAX_CODE_LEN)?;
    let today = args::get(&o, "today");
    let today = if today.is_undefined() { None } else { Some(args::date(&today, "options.today")?) };
    let age = args::get(&o, "age");
    let age = match age.as_f64() {
        _ if age.is_undefined() || age.is_null() => None,
        Some(a) if a.fract() == 0.0 && a.abs() < 1e6 => Some(a as i64),
        _ => return Err(format!("options.age must be a whole number of years, not {}", args::describe(&age))),
    };
    let sex = match args::optional_string(&args::get(&o, "sex"), "options.sex", 16)? {
        Some(s) => Sex::parse(&s).map_err(|e| format!("options.{e}"))?,
        None => None,
    };
    let setting = setting(&args::get(&o, "setting"))?;
    Ok((CheckContext { principal, age, sex, setting }, today))
}

/// `options.setting`: absent, or one of [`Setting::NAMES`].
fn suggest_options(value: &JsValue) -> Result<SuggestOptions, ArgError> {
    let Some(o) = args::options(value, "options", &["systems", "limit", "setting", "includeAll"])? else {
        return Ok(SuggestOptions::default());
    };
    Ok(SuggestOptions {
        systems: args::strings(&args::get(&o, "systems"), "options.systems")?,
        limit: args::whole_number(&args::get(&o, "limit"), "options.limit", DEFAULT_SUGGEST_LIMIT)?
            .min(MAX_SUGGEST_LIMIT),
        setting: setting(&args::get(&o, "setting"))?.unwrap_or(Setting::Outpatient),
        include_all: args::boolean(&args::get(&o, "includeAll"), "options.includeAll", false)?,
    })
}

fn setting(value: &JsValue) -> Result<Option<Setting>, ArgError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let name = args::string(value, "options.setting", 20)
        .map_err(|_| format!("options.setting must be one of {}", Setting::NAMES.join(", ")))?;
    Setting::parse(&name)
        .map(Some)
        .ok_or_else(|| format!("options.setting {name:?} is not a setting: one of {}", Setting::NAMES.join(", ")))
}

/// Largest pack a page may pass in (a CPT pack is about 2 MB).
const MAX_PACK_BYTES: u32 = 256 * 1024 * 1024;

/// The licensed packs a page passes in (`options.packs`: `Uint8Array`s).
/// Each is checked in full before it is kept; kept packs live as long as
/// the page (a `CodeBook` borrows its packs, and the page keeps one).
fn licensed_packs(value: &JsValue) -> Result<Vec<&'static [u8]>, ArgError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !args::is_array(value) {
        return Err(format!("options.packs must be an array of Uint8Array, got {}", args::describe(value)));
    }
    // Every pack is checked before any is kept, so that a refused call
    // keeps nothing.
    let mut checked = Vec::new();
    for (i, item) in args::array_items(value, "options.packs", 64)?.into_iter().enumerate() {
        let what = format!("options.packs[{i}]");
        let Some(bytes) = args::uint8_bytes(&item, &what, MAX_PACK_BYTES)? else {
            return Err(format!("{what} must be a Uint8Array, got {}", args::describe(&item)));
        };
        Pack::open(&bytes).map_err(|e| format!("{what}: {e}"))?;
        checked.push(bytes);
    }
    let out = checked.into_iter().map(|bytes| &*Box::leak(bytes.into_boxed_slice())).collect();
    Ok(out)
}
