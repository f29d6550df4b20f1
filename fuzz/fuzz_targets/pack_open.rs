//! Any bytes as a pack: `Pack::open`, then (when it opens) every reader and
//! search API on a bounded set of records (`chartcode_fuzz::sweep`). Most
//! inputs fail the checksum, so an input that starts with the magic is also
//! tried resealed (length and checksum rewritten) to reach the structure.
#![no_main]

use chartcode::pack::format;
use chartcode_fuzz::{guard, reseal, sweep, Rng};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    guard(|| {
        let mut rng = Rng::from_bytes(data);
        sweep(data, &mut rng, &[]);
        if data.len() >= format::FIXED_HEADER_LEN && data[..8] == format::MAGIC {
            let mut copy = data.to_vec();
            reseal(&mut copy);
            sweep(&copy, &mut rng, &[]);
        }
    });
});
