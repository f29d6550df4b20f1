//! `TERM` and `POST`: the term dictionary (an `fst` map from a word's term
//! key to its postings offset and document frequency) and the postings
//! lists it points at. A list is a varint count, then per record a varint
//! of (id delta << [`format::POSTING_LOW_BITS`]) | billable | context |
//! field, ids ascending.

use super::format;
use crate::error::PackError;
use crate::varint;

/// A term of the term dictionary: where its postings are and how many
/// records it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef {
    pub offset: u64,
    pub doc_freq: u32,
}

impl TermRef {
    pub(crate) fn from_value(v: u64) -> TermRef {
        TermRef { offset: v >> format::TERM_DF_BITS, doc_freq: (v & ((1 << format::TERM_DF_BITS) - 1)) as u32 }
    }

    /// The `fst` value of a term; `None` when the offset does not fit.
    #[cfg(feature = "compiler")]
    pub(crate) fn value(offset: u64, doc_freq: usize) -> Option<u64> {
        if offset >= 1 << (64 - format::TERM_DF_BITS) {
            return None;
        }
        let df = (doc_freq as u64).min((1 << format::TERM_DF_BITS) - 1);
        Some((offset << format::TERM_DF_BITS) | df)
    }
}

/// One entry of a postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub id: u32,
    /// Where the term was found (`model::Field` as stored).
    pub field: u8,
    /// The record is billable in the release in force (not stored in the
    /// list: `Pack::postings` reads it from the record's row).
    pub billable: bool,
    /// Words of the shortest index entry that leads to the record and holds
    /// the term, up to `format::POSTING_ENTRY_MAX`; 0 if none does.
    pub entry: u8,
}

/// Appends the postings list at `term.offset` of `postings` to `out`; every
/// id is below `record_count`.
pub(crate) fn read_postings(
    postings: &[u8],
    record_count: u32,
    term: TermRef,
    out: &mut Vec<Posting>,
) -> Result<(), PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "POST", detail };
    let mut pos = usize::try_from(term.offset).map_err(|_| corrupt("offset out of range"))?;
    if pos >= postings.len() {
        return Err(corrupt("offset out of range"));
    }
    let count = varint::read(postings, &mut pos).ok_or_else(|| corrupt("count truncated"))?;
    if count > (postings.len() - pos) as u64 {
        return Err(corrupt("count larger than the section"));
    }
    // The term's document frequency is what the search budgets its work
    // by: a list longer than its term says would break the budget.
    let df_cap = (1u64 << format::TERM_DF_BITS) - 1;
    if count != u64::from(term.doc_freq) && !(u64::from(term.doc_freq) == df_cap && count >= df_cap) {
        return Err(corrupt("list length differs from its term's document frequency"));
    }
    out.reserve(count as usize);
    let mut id: u64 = 0;
    for i in 0..count {
        let v = varint::read(postings, &mut pos).ok_or_else(|| corrupt("entry truncated"))?;
        let delta = v >> format::POSTING_LOW_BITS;
        if i > 0 && delta == 0 {
            return Err(corrupt("record listed twice"));
        }
        id += delta;
        if id >= u64::from(record_count) {
            return Err(corrupt("record id out of range"));
        }
        out.push(Posting {
            id: id as u32,
            field: (v & ((1 << format::POSTING_FIELD_BITS) - 1)) as u8,
            billable: false, // filled from the rows by `Pack::postings`
            entry: ((v >> format::POSTING_ENTRY_SHIFT) & 3) as u8,
        });
    }
    Ok(())
}

/// Appends a postings list (ids ascending, each once) to `out`.
#[cfg(feature = "compiler")]
pub(crate) fn write_postings(out: &mut Vec<u8>, list: &[Posting]) {
    varint::write(out, list.len() as u64);
    let mut prev = 0u32;
    for p in list {
        let entry = u64::from(p.entry.min(format::POSTING_ENTRY_MAX)) << format::POSTING_ENTRY_SHIFT;
        varint::write(out, (u64::from(p.id - prev) << format::POSTING_LOW_BITS) | entry | u64::from(p.field));
        prev = p.id;
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let list: Vec<Posting> = (0..50u32)
            .map(|i| Posting { id: i * 3 + 1, field: (i % 5) as u8, billable: false, entry: (i % 4) as u8 })
            .collect();
        let mut bytes = vec![0xAA];
        write_postings(&mut bytes, &list);
        let term = TermRef::from_value(TermRef::value(1, list.len()).unwrap());
        assert_eq!(term.doc_freq, 50);
        let mut out = Vec::new();
        read_postings(&bytes, 200, term, &mut out).unwrap();
        assert_eq!(out, list);
        // A term that says its list is shorter than it is: an error.
        let lying = TermRef { doc_freq: 1, ..term };
        assert!(read_postings(&bytes, 200, lying, &mut Vec::new()).is_err());
        // The same list read against a pack of fewer records.
        assert!(read_postings(&bytes, 100, term, &mut Vec::new()).is_err());
    }
}
