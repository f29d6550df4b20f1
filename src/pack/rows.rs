//! `RECS`: a row per stored record (composed records have none; `CMPD`
//! says which ids they are), as three columns: a u32 word per row (parent
//! distance, kind, flags; see [`format::PARENT_MASK`] and the `FLAG_*`
//! bits), the `TEXT` offset of every [`format::ROW_BLOCK`]-th entry and the
//! end, and a u16 length per entry. Columns of like values, distances
//! instead of ids and lengths instead of offsets are what gzip and brotli
//! squeeze best.

use super::{format, read_u32};
use crate::error::PackError;
use crate::model::Kind;

/// One decoded record row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The parent record, `None` at the top level.
    pub parent: Option<u32>,
    pub kind: Kind,
    pub billable: bool,
    /// Code and title are composed from the parent (the header) and the
    /// labels of child number `payload` of its composition.
    pub composed: bool,
    pub has_notes: bool,
    /// The record is a header whose composed children follow it.
    pub has_label_set: bool,
    /// The title begins with words of the parent's title.
    pub title_shared: bool,
    /// Text offset; for a composed record, its index among its header's
    /// composed children.
    pub payload: u32,
}

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "RECS", detail }
}

/// The row of record `id` from its row word and entry offset.
pub(crate) fn decode(w0: u32, id: u32, payload: u32) -> Result<Row, PackError> {
    let parent = match w0 & format::PARENT_MASK {
        0 => None,
        d => Some(id.checked_sub(d).ok_or_else(|| corrupt("a parent does not precede its child"))?),
    };
    let kind = Kind::from_u8(((w0 >> format::KIND_SHIFT) & 0xF) as u8).ok_or_else(|| corrupt("unknown record kind"))?;
    Ok(Row {
        parent,
        kind,
        billable: w0 & format::FLAG_BILLABLE != 0,
        composed: false,
        has_notes: w0 & format::FLAG_HAS_NOTES != 0,
        has_label_set: w0 & format::FLAG_LABEL_SET != 0,
        title_shared: w0 & format::FLAG_TITLE_SHARED != 0,
        payload,
    })
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows<'a> {
    pub(crate) count: u32,
    words: &'a [u8],
    block_starts: &'a [u8],
    lengths: &'a [u8],
}

impl<'a> Rows<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Rows<'a>, PackError> {
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no row count"))?;
        let n = count as usize;
        let blocks = n.div_ceil(format::ROW_BLOCK as usize) + 1;
        let words_end = n.checked_mul(4).and_then(|w| w.checked_add(4));
        let starts_end = words_end.and_then(|w| w.checked_add(blocks.checked_mul(4)?));
        let lengths_end = starts_end.and_then(|s| s.checked_add(n.checked_mul(2)?));
        let (Some(words_end), Some(starts_end), Some(lengths_end)) = (words_end, starts_end, lengths_end) else {
            return Err(corrupt("row count too large"));
        };
        if lengths_end != bytes.len() {
            return Err(corrupt("length does not match the row count"));
        }
        Ok(Rows {
            count,
            words: &bytes[4..words_end],
            block_starts: &bytes[words_end..starts_end],
            lengths: &bytes[starts_end..lengths_end],
        })
    }

    /// Row number `index`, the row of record `id`.
    pub(crate) fn row(&self, id: u32, index: u32) -> Result<Row, PackError> {
        if index >= self.count {
            return Err(corrupt("row out of range"));
        }
        let w0 = read_u32(self.words, index as usize * 4).ok_or_else(|| corrupt("row out of range"))?;
        decode(w0, id, self.entry_offset(index)?)
    }

    /// Every row in order, as `(word, entry offset)`: one pass that adds up
    /// the lengths as it goes instead of once per row.
    pub(crate) fn in_order(&self) -> impl Iterator<Item = Result<(u32, u32), PackError>> + '_ {
        let mut offset = 0u32;
        (0..self.count).map(move |index| {
            let at = index as usize;
            let w0 = read_u32(self.words, at * 4).ok_or_else(|| corrupt("row out of range"))?;
            if index % format::ROW_BLOCK == 0 {
                let block = (index / format::ROW_BLOCK) as usize;
                offset = read_u32(self.block_starts, block * 4).ok_or_else(|| corrupt("row out of range"))?;
            } else {
                let len = self.lengths.get(at * 2 - 2..at * 2).ok_or_else(|| corrupt("row out of range"))?;
                offset = offset
                    .checked_add(u32::from(u16::from_le_bytes([len[0], len[1]])))
                    .ok_or_else(|| corrupt("entry offset overflows"))?;
            }
            Ok((w0, offset))
        })
    }

    /// Whether row `index` is billable (as stored), from its word alone:
    /// the search asks this of every posting it reads.
    pub(crate) fn billable(&self, index: u32) -> bool {
        read_u32(self.words, index as usize * 4).is_some_and(|w| w & format::FLAG_BILLABLE != 0)
    }

    /// Where row `index`'s entry starts in `TEXT`: its block's start plus
    /// the lengths of the entries before it in the block.
    fn entry_offset(&self, index: u32) -> Result<u32, PackError> {
        let block = index / format::ROW_BLOCK;
        let mut offset = read_u32(self.block_starts, block as usize * 4).ok_or_else(|| corrupt("row out of range"))?;
        for i in block * format::ROW_BLOCK..index {
            let at = i as usize * 2;
            let len = self.lengths.get(at..at + 2).ok_or_else(|| corrupt("row out of range"))?;
            offset = offset
                .checked_add(u32::from(u16::from_le_bytes([len[0], len[1]])))
                .ok_or_else(|| corrupt("entry offset overflows"))?;
        }
        Ok(offset)
    }
}

/// Builds `RECS` one stored record at a time, in id order.
#[cfg(feature = "compiler")]
#[derive(Default)]
pub(crate) struct RowsWriter {
    words: Vec<u32>,
    block_starts: Vec<u32>,
    lengths: Vec<u16>,
}

#[cfg(feature = "compiler")]
impl RowsWriter {
    /// The row word of a record `distance` ids after its parent (0: top
    /// level), with `flags` (`format::FLAG_*`).
    pub(crate) fn word(distance: u32, kind: Kind, flags: u32) -> u32 {
        distance | ((kind as u32) << format::KIND_SHIFT) | flags
    }

    /// Whether the next row starts a block (its entry's offset is stored).
    pub(crate) fn starts_block(&self) -> bool {
        self.words.len() % format::ROW_BLOCK as usize == 0
    }

    /// Adds a row whose `TEXT` entry starts at `start` and is `len` long.
    pub(crate) fn push(&mut self, word: u32, start: u32, len: u16) {
        if self.starts_block() {
            self.block_starts.push(start);
        }
        self.words.push(word);
        self.lengths.push(len);
    }

    /// The section; `text_len` is the length of `TEXT`.
    pub(crate) fn finish(mut self, text_len: u32) -> Vec<u8> {
        self.block_starts.push(text_len);
        let mut out = Vec::with_capacity(4 + self.words.len() * 6 + self.block_starts.len() * 4);
        out.extend_from_slice(&(self.words.len() as u32).to_le_bytes());
        for w in &self.words {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for s in &self.block_starts {
            out.extend_from_slice(&s.to_le_bytes());
        }
        for l in &self.lengths {
            out.extend_from_slice(&l.to_le_bytes());
        }
        out
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut w = RowsWriter::default();
        let mut start = 0u32;
        for i in 0..40u32 {
            let flags = if i % 3 == 0 { format::FLAG_BILLABLE } else { format::FLAG_HAS_NOTES };
            w.push(RowsWriter::word(u32::from(i > 0), Kind::Code, flags), start, (i % 5) as u16);
            start += i % 5;
        }
        let bytes = w.finish(start);
        let rows = Rows::parse(&bytes).unwrap();
        let mut expected_start = 0;
        for i in 0..40u32 {
            let row = rows.row(i, i).unwrap();
            assert_eq!(row.parent, if i > 0 { Some(i - 1) } else { None });
            assert_eq!(row.billable, i % 3 == 0);
            assert_eq!(row.has_notes, i % 3 != 0);
            assert_eq!(row.payload, expected_start);
            expected_start += i % 5;
        }
        assert!(rows.row(40, 40).is_err());
    }

    #[test]
    fn a_parent_before_record_zero_is_an_error() {
        let mut w = RowsWriter::default();
        w.push(RowsWriter::word(5, Kind::Code, 0), 0, 0);
        let bytes = w.finish(0);
        assert!(Rows::parse(&bytes).unwrap().row(0, 0).is_err());
        let mut huge = bytes.clone();
        huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Rows::parse(&huge).is_err());
    }
}
