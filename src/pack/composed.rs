//! `CMPD`: which record ids are composed (have no row of their own), as a
//! bit vector with a rank directory, so that a stored record's row index is
//! found in constant time and a composed record's header by binary search.
//!
//! Layout: record count (u32), word count (u32), the bit vector (u64
//! words, bit set = composed), then for every [`format::RANK_BLOCK_WORDS`]
//! words the number of stored records before them, and the total.

use super::{format, read_u32};
use crate::error::PackError;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Composed<'a> {
    words: &'a [u8],
    ranks: &'a [u8],
    word_count: usize,
    record_count: u32,
}

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "CMPD", detail }
}

impl<'a> Composed<'a> {
    /// Opens the section and checks every rank sample against the bits (a
    /// few thousand popcounts), so that [`Composed::rank0`] and
    /// [`Composed::select0`] can trust them.
    pub(crate) fn parse(bytes: &'a [u8], record_count: u32, stored_count: u32) -> Result<Composed<'a>, PackError> {
        if read_u32(bytes, 0) != Some(record_count) {
            return Err(corrupt("record count differs from the header's"));
        }
        let word_count = read_u32(bytes, 4).ok_or_else(|| corrupt("no word count"))? as usize;
        if word_count != (record_count as usize).div_ceil(64) {
            return Err(corrupt("bit vector length does not match the record count"));
        }
        let words_end = 8 + word_count * 8;
        let words = bytes.get(8..words_end).ok_or_else(|| corrupt("bit vector truncated"))?;
        let blocks = word_count.div_ceil(format::RANK_BLOCK_WORDS) + 1;
        let ranks = bytes.get(words_end..words_end + blocks * 4).ok_or_else(|| corrupt("rank directory truncated"))?;
        let c = Composed { words, ranks, word_count, record_count };
        // Bits past the last record are clear, and every sample is the
        // count of stored records before its block.
        let tail = record_count % 64;
        if tail != 0 && c.word(word_count - 1) >> tail != 0 {
            return Err(corrupt("bits set past the last record"));
        }
        let mut stored = 0u32;
        for (block, first) in (0..word_count).step_by(format::RANK_BLOCK_WORDS).enumerate() {
            if read_u32(ranks, block * 4) != Some(stored) {
                return Err(corrupt("rank directory does not match the bits"));
            }
            for w in first..(first + format::RANK_BLOCK_WORDS).min(word_count) {
                let valid = (record_count as usize - w * 64).min(64);
                let mask = if valid == 64 { u64::MAX } else { (1u64 << valid) - 1 };
                stored += (!c.word(w) & mask).count_ones();
            }
        }
        if read_u32(ranks, (blocks - 1) * 4) != Some(stored) {
            return Err(corrupt("rank directory does not match the bits"));
        }
        if stored != stored_count {
            return Err(corrupt("stored records do not match the rows"));
        }
        if record_count > 0 && c.get(0) {
            return Err(corrupt("the first record is composed"));
        }
        Ok(c)
    }

    fn word(&self, i: usize) -> u64 {
        self.words
            .get(i * 8..i * 8 + 8)
            .map_or(0, |b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }

    /// Whether record `id` is composed.
    pub(crate) fn get(&self, id: u32) -> bool {
        self.word(id as usize / 64) & (1 << (id % 64)) != 0
    }

    /// Stored (not composed) records before `id`.
    pub(crate) fn rank0(&self, id: u32) -> u32 {
        let w = id as usize / 64;
        let block = w / format::RANK_BLOCK_WORDS;
        let mut r = read_u32(self.ranks, block * 4).unwrap_or(0);
        for k in block * format::RANK_BLOCK_WORDS..w {
            r += (!self.word(k)).count_ones();
        }
        let below = (1u64 << (id % 64)) - 1;
        r + (!self.word(w) & below).count_ones()
    }

    /// The id of stored record number `n` (the position of the `n`-th clear
    /// bit), found by binary search over the rank samples.
    pub(crate) fn select0(&self, n: u32) -> Option<u32> {
        let blocks = self.word_count.div_ceil(format::RANK_BLOCK_WORDS);
        let (mut lo, mut hi) = (0usize, blocks);
        // Last block whose sample (stored records before it) is <= n.
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if read_u32(self.ranks, mid * 4)? <= n {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut left = n.checked_sub(read_u32(self.ranks, lo * 4)?)?;
        for w in lo * format::RANK_BLOCK_WORDS..self.word_count {
            let mut zeros = !self.word(w);
            while zeros != 0 {
                let bit = zeros.trailing_zeros();
                if left == 0 {
                    return Some(w as u32 * 64 + bit).filter(|&id| id < self.record_count);
                }
                left -= 1;
                zeros &= zeros - 1;
            }
        }
        None
    }

    /// Whether every record in `first..=last` is composed (one run).
    pub(crate) fn is_run(&self, first: u32, last: u32) -> bool {
        first <= last && self.get(first) && self.rank0(first) == self.rank0(last) + u32::from(!self.get(last))
    }
}

/// The `CMPD` section for `record_count` records whose composed ids are the
/// set bits of `bits`.
#[cfg(feature = "compiler")]
pub(crate) fn write(record_count: usize, bits: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + bits.len() * 8 + bits.len() / 2 + 4);
    out.extend_from_slice(&(record_count as u32).to_le_bytes());
    out.extend_from_slice(&(bits.len() as u32).to_le_bytes());
    for w in bits {
        out.extend_from_slice(&w.to_le_bytes());
    }
    let mut stored_before = 0u32;
    for (b, block) in bits.chunks(format::RANK_BLOCK_WORDS).enumerate() {
        out.extend_from_slice(&stored_before.to_le_bytes());
        for (k, w) in block.iter().enumerate() {
            let index = b * format::RANK_BLOCK_WORDS + k;
            let valid = (record_count - index * 64).min(64);
            let mask = if valid == 64 { u64::MAX } else { (1u64 << valid) - 1 };
            stored_before += (!w & mask).count_ones();
        }
    }
    out.extend_from_slice(&stored_before.to_le_bytes());
    out
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    fn sample(record_count: usize, composed: impl Fn(usize) -> bool) -> (Vec<u8>, u32) {
        let mut bits = vec![0u64; record_count.div_ceil(64)];
        let mut stored = 0;
        for i in 0..record_count {
            if composed(i) {
                bits[i / 64] |= 1 << (i % 64);
            } else {
                stored += 1;
            }
        }
        (write(record_count, &bits), stored)
    }

    #[test]
    fn round_trip_rank_and_select() {
        let composed = |i: usize| i % 5 != 0 && i % 7 != 1;
        let (bytes, stored) = sample(1000, composed);
        let c = Composed::parse(&bytes, 1000, stored).unwrap();
        let mut n = 0;
        for i in 0..1000u32 {
            assert_eq!(c.get(i), composed(i as usize));
            assert_eq!(c.rank0(i), n);
            if !composed(i as usize) {
                assert_eq!(c.select0(n), Some(i));
                n += 1;
            }
        }
        assert_eq!(c.select0(n), None);
        // 2, 3, 4 are composed; 5 is stored.
        assert!(c.is_run(2, 4));
        assert!(!c.is_run(2, 5));
        assert!(!c.is_run(1, 4));
    }

    #[test]
    fn forged_rank_samples_are_refused() {
        let (mut bytes, stored) = sample(300, |i| i % 3 == 2);
        let ranks_at = 8 + 300usize.div_ceil(64) * 8;
        // A sample larger than the next one (not non-decreasing).
        bytes[ranks_at + 4..ranks_at + 8].copy_from_slice(&1000u32.to_le_bytes());
        assert!(Composed::parse(&bytes, 300, stored).is_err());
        // Bits past the last record.
        let (mut bytes, stored) = sample(300, |i| i % 3 == 2);
        let last_word = 8 + 4 * 8;
        bytes[last_word + 7] = 0x80;
        assert!(Composed::parse(&bytes, 300, stored).is_err());
    }
}
