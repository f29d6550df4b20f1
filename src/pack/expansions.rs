//! `XPND`: words a book's index says to read as other words. The ICD-10-PCS
//! Index sends a procedure's common name to the operations that code it:
//! "Appendectomy — see Excision, Appendix; see Resection, Appendix". Such a
//! name is no word of the Tables, whose titles are built from the root
//! operation and the body part; a query word that is a key here also
//! matches each of its phrases (all of a phrase's words), as a clinical
//! abbreviation matches its expansions.
//!
//! Layout: u32 entry count, then per entry a u32 offset into the data that
//! follows the offsets (one more offset: the data's end); each entry is a
//! varint-length key (a term key), a varint phrase count and per phrase a
//! varint-length text. Keys ascend, so a lookup is a binary search.

use crate::error::PackError;
use crate::varint;

/// Most phrases one key may have (the reader ignores more).
pub const MAX_PHRASES: usize = 16;

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "XPND", detail }
}

/// The expansions of a pack.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Expansions<'a> {
    count: usize,
    offsets: &'a [u8],
    data: &'a [u8],
}

impl<'a> Expansions<'a> {
    /// Opens `XPND`, checking its offset table: ascending, within the data.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Expansions<'a>, PackError> {
        let count = super::read_u32(bytes, 0).ok_or_else(|| corrupt("truncated"))? as usize;
        let table_end = count.checked_add(1).and_then(|n| n.checked_mul(4)).and_then(|n| n.checked_add(4));
        let table_end = table_end.filter(|&n| n <= bytes.len()).ok_or_else(|| corrupt("offset table truncated"))?;
        let e = Expansions { count, offsets: &bytes[4..table_end], data: &bytes[table_end..] };
        let mut previous = 0;
        for i in 0..=count {
            let o = e.offset(i).ok_or_else(|| corrupt("offset table truncated"))?;
            if o < previous || o > e.data.len() {
                return Err(corrupt("offsets out of order or beyond the data"));
            }
            previous = o;
        }
        Ok(e)
    }

    fn offset(&self, i: usize) -> Option<usize> {
        super::read_u32(self.offsets, i * 4).map(|o| o as usize)
    }

    /// Entry `i`: its key and where its phrases start.
    fn entry(&self, i: usize) -> Option<(&'a str, usize, usize)> {
        let (start, end) = (self.offset(i)?, self.offset(i + 1)?);
        let bytes = self.data.get(start..end)?;
        let mut pos = 0;
        let key = read_text(bytes, &mut pos)?;
        Some((key, start + pos, end))
    }

    /// The phrases `key` (a term key) is read as; empty when none.
    pub(crate) fn get(&self, key: &str) -> Vec<&'a str> {
        let (mut lo, mut hi) = (0, self.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let Some((k, start, end)) = self.entry(mid) else { return Vec::new() };
            match k.cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let Some(bytes) = self.data.get(start..end) else { return Vec::new() };
                    let mut pos = 0;
                    let n = varint::read(bytes, &mut pos).unwrap_or(0).min(MAX_PHRASES as u64);
                    return (0..n).map_while(|_| read_text(bytes, &mut pos)).collect();
                }
            }
        }
        Vec::new()
    }
}

fn read_text<'a>(bytes: &'a [u8], pos: &mut usize) -> Option<&'a str> {
    let len = varint::read(bytes, pos)? as usize;
    let text = bytes.get(*pos..pos.checked_add(len)?)?;
    *pos += len;
    std::str::from_utf8(text).ok()
}

/// Writes `XPND` for entries sorted by key, each key once.
#[cfg(feature = "compiler")]
pub(crate) fn write(entries: &[(String, Vec<String>)]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut out = (entries.len() as u32).to_le_bytes().to_vec();
    let write_text = |data: &mut Vec<u8>, t: &str| {
        varint::write(data, t.len() as u64);
        data.extend_from_slice(t.as_bytes());
    };
    for (key, phrases) in entries {
        out.extend((data.len() as u32).to_le_bytes());
        write_text(&mut data, key);
        varint::write(&mut data, phrases.len().min(MAX_PHRASES) as u64);
        for p in phrases.iter().take(MAX_PHRASES) {
            write_text(&mut data, p);
        }
    }
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(data);
    out
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_forgeries() {
        let entries = vec![
            ("appendectomy".to_string(), vec!["Excision, Appendix".to_string(), "Resection, Appendix".to_string()]),
            ("cholecystectomy".to_string(), vec!["Resection, Gallbladder".to_string()]),
            ("tonsillectomy".to_string(), vec![]),
        ];
        let bytes = write(&entries);
        let e = Expansions::parse(&bytes).unwrap();
        assert_eq!(e.get("appendectomy"), vec!["Excision, Appendix", "Resection, Appendix"]);
        assert_eq!(e.get("cholecystectomy"), vec!["Resection, Gallbladder"]);
        assert!(e.get("tonsillectomy").is_empty() && e.get("zzz").is_empty() && e.get("").is_empty());
        assert!(Expansions::parse(&bytes[..6]).is_err());
        let mut backwards = bytes.clone();
        backwards[8..12].copy_from_slice(&1000u32.to_le_bytes());
        assert!(Expansions::parse(&backwards).is_err());
        // Any single byte changed: an error or answers, never a panic.
        for i in 0..bytes.len() {
            let mut forged = bytes.clone();
            forged[i] ^= 0xFF;
            if let Ok(e) = Expansions::parse(&forged) {
                let _ = e.get("appendectomy");
            }
        }
    }
}
