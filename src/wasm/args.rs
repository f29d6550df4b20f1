//! Reading arguments that come from JavaScript.
//!
//! JavaScript callers pass anything: `undefined`, numbers for strings, a
//! megabyte of pasted text, `{ billable: true }` for `{ billableOnly: true }`.
//! Each reader here checks one shape and, when it does not fit, returns an
//! error that names the argument, what was expected and what was given, so
//! that the JS `Error` thrown says how to fix the call. Nothing here panics:
//! a panic in wasm is a trap that leaves the module unusable.
//!
//! Nor does anything here let a JavaScript exception through: a Proxy's
//! trap, a revoked Proxy, a getter or an own `getTime` that throws would
//! unwind through the wasm frames, leave the book borrowed and the shadow
//! stack unrestored (after a thousand such calls the module traps). Every
//! call that can run the caller's code goes through a catching import
//! (`Reflect`, the `catch` externs below) and its exception becomes an
//! argument error.

use js_sys::{Array, Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_catching(value: &JsValue) -> Result<bool, JsValue>;
    /// `Object.keys`, which runs a Proxy's `ownKeys` trap.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn keys_catching(value: &JsValue) -> Result<Array, JsValue>;
}

/// `new Uint8Array(view)`, through `Reflect.construct` (which catches): a
/// copy made through the view's internal slots, whatever `length` getter
/// the caller's object carries.
fn copy_of_view(view: &JsValue) -> Result<js_sys::Uint8Array, JsValue> {
    let constructor: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("Uint8Array"))?.dyn_into()?;
    Reflect::construct(&constructor, &Array::of1(view))?.dyn_into()
}

/// The bytes of a `Uint8Array` the caller passed: copied into a fresh
/// array first (its own `length` getter, or a subclass's, never runs), so
/// that reading them runs no caller code. `None` when `value` is not a
/// `Uint8Array` (`ArrayBuffer.isView` reads an internal slot; a view that
/// is no Proxy can be asked `instanceof` safely).
pub fn uint8_bytes(value: &JsValue, what: &str, max: u32) -> Result<Option<Vec<u8>>, ArgError> {
    if !js_sys::ArrayBuffer::is_view(value) || value.dyn_ref::<js_sys::Uint8Array>().is_none() {
        return Ok(None);
    }
    let copy = copy_of_view(value).map_err(|e| format!("{what}: copying it threw {}", thrown(&e)))?;
    if copy.length() > max {
        return Err(format!("{what} is {} bytes; at most {max} are accepted", copy.length()));
    }
    Ok(Some(copy.to_vec()))
}

/// What an exception thrown by the caller's code says, for the message.
fn thrown(e: &JsValue) -> String {
    let message =
        Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).or_else(|| e.as_string());
    message.map_or_else(|| "an exception".to_string(), |m| format!("{:?}", m.chars().take(200).collect::<String>()))
}

/// Whether `value` is an array (a Proxy whose checks throw is not one).
pub fn is_array(value: &JsValue) -> bool {
    is_array_catching(value).unwrap_or(false)
}

/// The items of an array, read through `Reflect` (so that a Proxy's trap
/// that throws is an error), at most `max` of them.
pub fn array_items(value: &JsValue, what: &str, max: u32) -> Result<Vec<JsValue>, ArgError> {
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .map_err(|e| format!("{what}: reading its length threw {}", thrown(&e)))?
        .as_f64()
        .unwrap_or(0.0);
    if length > f64::from(max) {
        return Err(format!("{what} lists {length} items; at most {max} are accepted"));
    }
    (0..length as u32)
        .map(|i| Reflect::get_u32(value, i).map_err(|e| format!("{what}[{i}]: reading it threw {}", thrown(&e))))
        .collect()
}

/// An argument that does not fit; becomes the message of the JS `Error`.
pub type ArgError = String;

/// Longest query, in UTF-16 code units (what `String.length` counts). A
/// longer one is refused before it is copied into wasm memory.
pub const MAX_QUERY_LEN: u32 = 10_000;
/// Longest code or system id.
pub const MAX_CODE_LEN: u32 = 200;

/// How a value reads in an error message: `undefined`, `a number (42)`.
pub fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(n) = value.as_f64() {
        format!("a number ({n})")
    } else if value.as_bool().is_some() {
        "a boolean".into()
    } else if value.is_string() {
        "a string".into()
    } else if is_array(value) {
        "an array".into()
    } else if value.is_function() {
        "a function".into()
    } else if value.is_object() {
        "an object".into()
    } else {
        format!("a {}", value.js_typeof().as_string().unwrap_or_else(|| "value".into()))
    }
}

/// A string of at most `max` UTF-16 units.
pub fn string(value: &JsValue, what: &str, max: u32) -> Result<String, ArgError> {
    let Some(js) = value.dyn_ref::<JsString>() else {
        return Err(format!("{what} must be a string, got {}", describe(value)));
    };
    let len = js.length();
    if len > max {
        return Err(format!("{what} is {len} characters long; at most {max} are accepted"));
    }
    // A lone surrogate cannot become UTF-8; `as_string` would replace it
    // silently, so say so instead.
    if !js.is_valid_utf16() {
        return Err(format!("{what} is not valid text (it holds a lone UTF-16 surrogate)"));
    }
    js.as_string().ok_or_else(|| format!("{what} must be a string, got {}", describe(value)))
}

/// `undefined` or `null` → `None`, else a string.
pub fn optional_string(value: &JsValue, what: &str, max: u32) -> Result<Option<String>, ArgError> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string(value, what, max).map(Some)
    }
}

/// One string or an array of strings (`"icd10cm"`, `["icd10cm", "hcpcs"]`);
/// a string may also list several separated by spaces or commas, as the
/// widget's `systems="icd10cm hcpcs"` attribute does.
pub fn strings(value: &JsValue, what: &str) -> Result<Vec<String>, ArgError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let split =
        |s: String| -> Vec<String> { s.split([' ', ',']).filter(|p| !p.is_empty()).map(str::to_string).collect() };
    if value.is_string() {
        return Ok(split(string(value, what, MAX_CODE_LEN * 8)?));
    }
    if !is_array(value) {
        return Err(format!("{what} must be a string or an array of strings, got {}", describe(value)));
    }
    let mut out = Vec::new();
    for (i, item) in array_items(value, what, 64)?.iter().enumerate() {
        out.extend(split(string(item, &format!("{what}[{i}]"), MAX_CODE_LEN)?));
    }
    Ok(out)
}

/// `undefined` → `default`; else a boolean.
pub fn boolean(value: &JsValue, what: &str, default: bool) -> Result<bool, ArgError> {
    if value.is_undefined() {
        return Ok(default);
    }
    value.as_bool().ok_or_else(|| format!("{what} must be true or false, got {}", describe(value)))
}

/// `undefined` → `default`; else a whole number, 0 or more (a larger one
/// than the caller allows is capped by the caller, as SQL's `LIMIT` is).
pub fn whole_number(value: &JsValue, what: &str, default: usize) -> Result<usize, ArgError> {
    if value.is_undefined() {
        return Ok(default);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= 0.0 => Ok(if n > usize::MAX as f64 { usize::MAX } else { n as usize }),
        Some(n) => Err(format!("{what} must be a whole number, 0 or more, got {n}")),
        None => Err(format!("{what} must be a number, got {}", describe(value))),
    }
}

/// An options object: `undefined` or `null` → `None`. Keys it does not
/// know are refused (a misspelt option would otherwise be ignored
/// silently: `{ billable: true }` for `{ billableOnly: true }`).
pub fn options(value: &JsValue, what: &str, known: &[&str]) -> Result<Option<Object>, ArgError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || is_array(value) || value.is_function() {
        return Err(format!("{what} must be an object, got {}", describe(value)));
    }
    let object: Object = value.clone().unchecked_into();
    let keys = keys_catching(value).map_err(|e| format!("{what}: listing its keys threw {}", thrown(&e)))?;
    for key in array_items(&keys, what, 1_000)? {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            return Err(format!("{what}: unknown option {key:?}; known: {}", known.join(", ")));
        }
    }
    Ok(Some(object))
}

/// `object[key]`, or `undefined` when the object has no such key or
/// reading it throws (a getter that throws is the caller's bug, reported
/// as a missing value rather than a trap).
pub fn get(object: &Object, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A date: `"YYYY-MM-DD"` or a JS `Date`, as `YYYYMMDD`.
pub fn date(value: &JsValue, what: &str) -> Result<u32, ArgError> {
    if !value.is_string() {
        // `Date.prototype.getTime` applied to the value is the brand check:
        // it throws for anything but a real Date (a Proxy of one included).
        if let Ok(time) = date_method("getTime", value) {
            if time.is_nan() {
                return Err(format!("{what} is an invalid Date"));
            }
            return date_of(value).ok_or_else(|| format!("{what} must be a Date in the years 1 to 9999"));
        }
    }
    let text = string(value, what, 10)
        .map_err(|_| format!("{what} must be \"YYYY-MM-DD\" or a Date, got {}", describe(value)))?;
    crate::dates::parse_iso(&text).ok_or_else(|| format!("{what} must be \"YYYY-MM-DD\", got {text:?}"))
}

/// `Date.prototype[name]` applied to `value`: the prototype's own method,
/// never one the value carries itself, and an exception is an `Err`.
fn date_method(name: &str, value: &JsValue) -> Result<f64, JsValue> {
    let prototype = Reflect::get(&js_sys::Date::new_0(), &JsValue::from_str("constructor"))
        .and_then(|date| Reflect::get(&date, &JsValue::from_str("prototype")))?;
    let method: Function = Reflect::get(&prototype, &JsValue::from_str(name))?.dyn_into()?;
    Reflect::apply(&method, value, &Array::new())?.as_f64().ok_or(JsValue::UNDEFINED)
}

fn date_of(value: &JsValue) -> Option<u32> {
    let part = |name| date_method(name, value).ok().filter(|n| n.is_finite() && *n >= 0.0).map(|n| n as u32);
    crate::dates::from_parts(part("getFullYear")?, part("getMonth")? + 1, part("getDate")?)
}

/// Today in the browser's time zone, as `YYYYMMDD` (0, "unknown", if the
/// clock says a year past 9999).
pub fn today() -> u32 {
    date_of(&js_sys::Date::new_0()).unwrap_or(0)
}
