//! A table of variable-length entries (`LABL`'s labels, `LSET`'s
//! compositions): `count`, `count + 1` u32 offsets, then the data. Entry `i`
//! is `data[offset[i]..offset[i + 1]]`.

use super::read_u32;
use crate::error::PackError;

/// An opened table: the offsets are checked lazily, per entry, so opening
/// costs nothing in proportion to the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table<'a> {
    pub(crate) count: u32,
    offsets: &'a [u8],
    data: &'a [u8],
}

impl<'a> Table<'a> {
    pub(crate) fn parse(section: &'static str, bytes: &'a [u8]) -> Result<Table<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no entry count"))?;
        let offsets_end = (count as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(4))
            .and_then(|n| n.checked_add(4))
            .ok_or_else(|| corrupt("entry count overflows"))?;
        let offsets = bytes.get(4..offsets_end).ok_or_else(|| corrupt("offset table truncated"))?;
        let data = &bytes[offsets_end..];
        let table = Table { count, offsets, data };
        if table.offset(count) != Some(data.len()) {
            return Err(corrupt("last offset does not end the data"));
        }
        Ok(table)
    }

    fn offset(&self, i: u32) -> Option<usize> {
        read_u32(self.offsets, (i as usize).checked_mul(4)?).map(|v| v as usize)
    }

    /// Entry `i`, or `None` when `i` is out of range or its offsets are not
    /// an in-bounds, non-decreasing pair.
    pub(crate) fn entry(&self, i: u32) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        let start = self.offset(i)?;
        let end = self.offset(i + 1)?;
        self.data.get(start..end)
    }
}

/// Appends a table of `entries` to `out`.
#[cfg(feature = "compiler")]
pub(crate) fn write<T: AsRef<[u8]>>(out: &mut Vec<u8>, entries: &[T]) {
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    let mut offset = 0u32;
    out.extend_from_slice(&offset.to_le_bytes());
    for e in entries {
        offset += e.as_ref().len() as u32;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    for e in entries {
        out.extend_from_slice(e.as_ref());
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let entries: Vec<&[u8]> = vec![b"abc", b"", b"de"];
        let mut bytes = Vec::new();
        write(&mut bytes, &entries);
        let t = Table::parse("TEST", &bytes).unwrap();
        assert_eq!(t.count, 3);
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(t.entry(i as u32), Some(*e));
        }
        assert_eq!(t.entry(3), None);
    }

    #[test]
    fn forged_offsets_are_refused_or_out_of_range() {
        let mut bytes = Vec::new();
        write(&mut bytes, &[b"abc".as_slice(), b"de"]);
        // An offset past the data, so that the next entry's offsets go
        // backwards: both entries are absent, never a panic.
        bytes[8..12].copy_from_slice(&9u32.to_le_bytes());
        let t = Table::parse("TEST", &bytes).unwrap();
        assert_eq!(t.entry(0), None);
        assert_eq!(t.entry(1), None);
        // A count that would overflow the offset table.
        let mut huge = bytes.clone();
        huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Table::parse("TEST", &huge).is_err());
    }
}
