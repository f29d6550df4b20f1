//! The pure parsers behind the JS argument readers and the other text
//! helpers that take whatever a caller types.
//!
//! `src/wasm/args.rs` takes `JsValue`s; its pure parsing lives in
//! `chartcode::dates` (behind `args::date`, i.e. `new CodeBook({ today })`
//! and `setToday()`, and the CLI's `--today`), fuzzed here. Also: code normalization and shapes (`normalize`, `syntax::fits`), the
//! crosswalk code numbers (round trip checked), tokens and stems, and the
//! PCS title composer.
#![no_main]

use chartcode::pack::format::{code_to_number, number_to_code};
use chartcode::{dates, normalize, pcs, syntax};
use chartcode_fuzz::{guard, SYSTEMS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    guard(|| {
        let text = String::from_utf8_lossy(data);
        let s: &str = &text;
        for d in [dates::parse_iso(s), dates::parse_compact(s)].into_iter().flatten() {
            // Whatever it accepts is a plausible YYYYMMDD, and round-trips.
            let (m, day) = (d / 100 % 100, d % 100);
            assert!((1..=12).contains(&m) && (1..=31).contains(&day), "{s:?} -> {d}");
            assert_eq!(dates::parse_iso(&dates::iso(d)), Some(d), "{s:?}");
        }
        if data.len() >= 8 {
            let days = i64::from_le_bytes(data[..8].try_into().unwrap_or_default());
            let _ = dates::from_unix_days(days);
        }
        for sys in SYSTEMS {
            let _ = syntax::fits(sys, s, false);
            let _ = syntax::fits(sys, s, true);
        }
        if let Some(code) = normalize::normalize_code(s) {
            if let Some(n) = code_to_number(&code) {
                assert_eq!(number_to_code(n).as_deref(), Some(code.as_str()), "code number round trip");
            }
        }
        if data.len() >= 8 {
            let n = u64::from_le_bytes(data[..8].try_into().unwrap_or_default());
            if let Some(code) = number_to_code(n) {
                assert_eq!(code_to_number(&code), Some(n), "number code round trip");
            }
        }
        let tokens = normalize::tokens(s);
        for t in tokens.iter().take(32) {
            let _ = normalize::term_key(&t.folded);
            let _ = normalize::stem(&t.folded);
        }
        let _ = normalize::fold(s);
        let _ = normalize::content_words(s);
        let _ = normalize::negated_tokens(s);
        // The PCS title composer over arbitrary pieces.
        let mut pieces = s.split('\u{1}');
        let table = pieces.next().unwrap_or("");
        let heads: Vec<String> = pieces.by_ref().take(3).map(str::to_string).collect();
        let labels: Vec<(char, String)> = pieces.map(|p| (p.chars().next().unwrap_or('Z'), p.to_string())).collect();
        let _ = pcs::compose_title(table, &heads, &labels);
        for axis in [pcs::Axis::BodyPart, pcs::Axis::Device, pcs::Axis::Qualifier, pcs::Axis::Imaged, pcs::Axis::Other]
        {
            let _ = pcs::reading_order(s, axis);
        }
        let _ = pcs::is_omitted(s);
        let _ = pcs::label_content_words(s);
    });
});
