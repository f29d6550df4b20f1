//! Arbitrary text as a clinical note over the REAL packs (loaded once from
//! `packs/` or `$CHARTCODE_FUZZ_PACKS`): segmentation, assertion scopes,
//! the phrase searches, the conventions and the UTF-16 evidence. Every
//! evidence span must slice back to its text.
//!
//! Input: byte 0 = flags (bits 0-2: the date, `DATES[x % 5]`; bits 3-4:
//! the setting; bit 5: include all; bits 6-7: the limit, `[0, 1, 20,
//! 1000]`); byte 1 = which systems to suggest from (bit i: `SYSTEMS[i]`;
//! none set = the default); the rest is the note (invalid UTF-8 replaced).
#![no_main]

use chartcode::search::Setting;
use chartcode::suggest::SuggestOptions;
use chartcode_fuzz::{guard, real_books, DATES, SYSTEMS};
use libfuzzer_sys::fuzz_target;

const SETTINGS: [Setting; 4] = [Setting::Outpatient, Setting::Inpatient, Setting::Snf, Setting::Dental];
const LIMITS: [usize; 4] = [0, 1, 20, 1000];

fuzz_target!(|data: &[u8]| {
    guard(|| {
        if data.len() < 2 {
            return;
        }
        let (flags, mask) = (data[0], data[1]);
        let book = &real_books()[(flags & 7) as usize % DATES.len()];
        let note = String::from_utf8_lossy(&data[2..]);
        let systems: Vec<String> =
            SYSTEMS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| s.to_string()).collect();
        let options = SuggestOptions {
            systems,
            limit: LIMITS[(flags >> 6) as usize],
            setting: SETTINGS[((flags >> 3) & 3) as usize],
            include_all: flags & 0x20 != 0,
        };
        if let Ok(suggestions) = book.suggest(&note, &options) {
            let units: Vec<u16> = note.encode_utf16().collect();
            for s in &suggestions {
                for e in &s.evidence {
                    let slice = units.get(e.start as usize..e.end as usize).expect("evidence inside the note");
                    assert_eq!(String::from_utf16_lossy(slice), e.text, "evidence slices back to its text");
                }
            }
        }
    })
});
