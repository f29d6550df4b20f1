//! `TRMD`: termination dates, for the books whose codes end (HCPCS): a u32
//! count, then (u32 record id, u32 `YYYYMMDD`) pairs sorted by id.

use super::{lower_bound, read_u32};
use crate::error::PackError;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Terminations<'a> {
    pairs: &'a [u8],
}

impl<'a> Terminations<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Terminations<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "TRMD", detail };
        let n = read_u32(bytes, 0).ok_or_else(|| corrupt("no count"))? as usize;
        let end = n.checked_mul(8).and_then(|b| b.checked_add(4)).ok_or_else(|| corrupt("count overflows"))?;
        let pairs = bytes.get(4..end).ok_or_else(|| corrupt("shorter than its count"))?;
        Ok(Terminations { pairs })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The termination date of record `id`, if it has one (binary search;
    /// unsorted pairs give wrong answers, never a panic).
    pub(crate) fn date_of(&self, id: u32) -> Option<u32> {
        let i = lower_bound(self.pairs, 8, id);
        (read_u32(self.pairs, i * 8) == Some(id)).then(|| read_u32(self.pairs, i * 8 + 4)).flatten()
    }
}

/// The section for `(record id, YYYYMMDD)` pairs sorted by id; empty when
/// there are none (the section is then left out).
#[cfg(feature = "compiler")]
pub(crate) fn write(pairs: &[(u32, u32)]) -> Vec<u8> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(4 + pairs.len() * 8);
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (id, date) in pairs {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&date.to_le_bytes());
    }
    out
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let pairs = [(3, 20251231), (10, 20240101), (11, 20260101)];
        let bytes = write(&pairs);
        let t = Terminations::parse(&bytes).unwrap();
        for (id, date) in pairs {
            assert_eq!(t.date_of(id), Some(date));
        }
        assert_eq!(t.date_of(4), None);
        let mut huge = bytes.clone();
        huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Terminations::parse(&huge).is_err());
    }
}
