//! Structure-aware pack mutations: a real pack (from `packs/`, see
//! `chartcode_fuzz::packs_dir`) with a list of edits applied, then RESEALED
//! (declared length and checksum rewritten) so that the edits get past the
//! checksum into the sections, then the full API sweep.
//!
//! Input: byte 0 picks the pack (`PACK_FILES[b % 5]`); then 8-byte edits
//! `[op, where, offset u32 LE, value u16 LE]` (at most 64):
//!
//! * `where` picks a section of the pack's section table (`where % (count +
//!   1)`; the extra value is the header), and `offset` is taken modulo that
//!   region's length, so edits land inside the structure;
//! * `op % 8`: 0 set byte, 1 xor byte, 2 write u32 = value, 3 write u32 =
//!   `u32::MAX - value`, 4 add `value as i16` to the u32 there, 5 set byte
//!   `0x80 | value` (a varint that goes on), 6 copy 4 bytes from `offset +
//!   value` (same region), 7 truncate the pack at that point.
//!
//! Record ids named by each edit are visited too: its raw `offset` (modulo
//! the record count) and, near the edit, `offset / 4` and `offset / 2` (of
//! the offset inside the region).
#![no_main]

use chartcode_fuzz::{guard, real_packs, reseal, sweep, Rng};
use libfuzzer_sys::fuzz_target;

/// (start, len) of the header and of every section, read from the pack
/// before any edit.
fn regions(pack: &[u8]) -> Vec<(usize, usize)> {
    let header_len = u16::from_le_bytes([pack[10], pack[11]]) as usize;
    let release_len = u16::from_le_bytes([pack[36], pack[37]]) as usize;
    let count = u16::from_le_bytes([pack[38], pack[39]]) as usize;
    let table = (40 + release_len + 3) & !3;
    let mut out = Vec::with_capacity(count + 1);
    for i in 0..count {
        let e = &pack[table + i * 12..table + i * 12 + 12];
        let off = u32::from_le_bytes([e[4], e[5], e[6], e[7]]) as usize;
        let len = u32::from_le_bytes([e[8], e[9], e[10], e[11]]) as usize;
        out.push((off, len));
    }
    out.push((0, header_len));
    out
}

fuzz_target!(|data: &[u8]| {
    guard(|| {
        let Some((&which, edits)) = data.split_first() else { return };
        let seed = real_packs()[which as usize % real_packs().len()];
        let regions = regions(seed);
        let mut pack = seed.to_vec();
        let mut near = Vec::new();
        for e in edits.chunks_exact(8).take(64) {
            let (op, sel) = (e[0] % 8, e[1] as usize % regions.len());
            let offset = u32::from_le_bytes([e[2], e[3], e[4], e[5]]) as usize;
            let value = u16::from_le_bytes([e[6], e[7]]);
            let (start, len) = regions[sel];
            if len == 0 {
                continue;
            }
            let rel = offset % len;
            let at = start + rel;
            near.push(offset as u32);
            near.push((rel / 4) as u32);
            near.push((rel / 2) as u32);
            if at >= pack.len() {
                continue;
            }
            let u32_at = |p: &Vec<u8>| p.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            let put_u32 = |p: &mut Vec<u8>, v: u32| {
                if let Some(b) = p.get_mut(at..at + 4) {
                    b.copy_from_slice(&v.to_le_bytes());
                }
            };
            match op {
                0 => pack[at] = value as u8,
                1 => pack[at] ^= (value as u8).max(1),
                2 => put_u32(&mut pack, u32::from(value)),
                3 => put_u32(&mut pack, u32::MAX - u32::from(value)),
                4 => {
                    if let Some(v) = u32_at(&pack) {
                        put_u32(&mut pack, v.wrapping_add_signed(i32::from(value as i16)));
                    }
                }
                5 => pack[at] = 0x80 | value as u8,
                6 => {
                    let from = start + (rel + value as usize) % len;
                    if from + 4 <= pack.len() && at + 4 <= pack.len() {
                        pack.copy_within(from..from + 4, at);
                    }
                }
                _ => pack.truncate(at.max(chartcode::pack::format::FIXED_HEADER_LEN)),
            }
        }
        reseal(&mut pack);
        let mut rng = Rng::from_bytes(data);
        sweep(&pack, &mut rng, &near);
    });
});
