//! Arbitrary text as a query, a code and a system over the REAL packs
//! (loaded once from `packs/` or `$CHARTCODE_FUZZ_PACKS`): query parsing,
//! search with options, lookup, validate, children, map, the PCS builder.
//!
//! Input: byte 0 = flags (bits 0-2: the date, `DATES[x % 5]`; bit 3:
//! billable only; bits 4-7: the limit, `[0, 1, 2, 5, 20, 100, 1000, …]`);
//! byte 1 = which systems to search and look up in (bit i:
//! `SYSTEMS[i]`; none set = all loaded books); the rest is text (invalid
//! UTF-8 replaced), split at `\x01` into query, `within` filter and a free
//! system name.
#![no_main]

use chartcode::search::{self, query::Query, SearchOptions};
use chartcode_fuzz::{guard, real_books, DATES, SYSTEMS};
use libfuzzer_sys::fuzz_target;

const LIMITS: [usize; 16] = [0, 1, 2, 5, 20, 100, 1000, 1001, usize::MAX, 3, 7, 10, 50, 500, 999, 20];

fuzz_target!(|data: &[u8]| {
    guard(|| {
        if data.len() < 2 {
            return;
        }
        let (flags, mask) = (data[0], data[1]);
        let book = &real_books()[(flags & 7) as usize % DATES.len()];
        let text = String::from_utf8_lossy(&data[2..]);
        let mut parts = text.split('\u{1}');
        let query = parts.next().unwrap_or("");
        let within: Vec<String> = parts.next().map(|w| w.split(',').map(str::to_string).collect()).unwrap_or_default();
        let free_system = parts.next();
        let mut systems: Vec<String> =
            SYSTEMS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| s.to_string()).collect();
        if let Some(s) = free_system {
            systems.push(s.to_string());
        }
        let options = SearchOptions {
            systems: systems.clone(),
            limit: LIMITS[(flags >> 4) as usize],
            billable_only: flags & 8 != 0,
            within,
            // The high bit of the system mask (five systems use the low bits).
            setting: (mask & 0x80 != 0).then_some(chartcode::search::Setting::Snf),
        };
        let _ = book.search(query, &options);
        let _ = book.search(query, &SearchOptions::default());
        let packs: Vec<_> = book.packs().iter().collect();
        let _ = Query::parse(query, &packs, &Default::default());
        let _ = book.lookup(query, None);
        let _ = book.children(Some(query), None);
        for s in &systems {
            let _ = book.lookup(query, Some(s));
            let _ = book.validate(query, s);
            let _ = book.children(Some(query), Some(s));
            let _ = book.map(query, s);
            let _ = chartcode::syntax::fits(s, query, false);
            let _ = chartcode::syntax::fits(s, query, true);
        }
        // The PCS code builder, as typed and normalized.
        if let Ok(pcs) = book.pack("icd10pcs") {
            let _ = search::axis_choices(pcs, query);
            if let Some(n) = chartcode::normalize::normalize_code(query) {
                let _ = search::axis_choices(pcs, &n);
            }
        }
    });
});
