//! `POST` and `PFLD`: the postings lists of the term dictionary
//! (`dictionary.rs`), in term order. `POST` holds per list a varint count
//! and the record-id deltas as varints, ids ascending; `PFLD` one byte per
//! posting: head | entry << [`format::POSTING_ENTRY_SHIFT`] | field.
//!
//! Why two sections: what is served is the gzip of the module, and gzip
//! squeezes streams of like values; ids and field bytes apart are about
//! 17 KB smaller for ICD-10-CM than packed together into one varint.

use super::format;
use crate::error::PackError;
use crate::varint;

/// A term of the term dictionary: where its postings are and how many
/// records it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef {
    /// Offset of the list in `POST`.
    pub offset: u64,
    /// Offset of the list's first field byte in `PFLD`.
    pub fields: u64,
    pub doc_freq: u32,
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
    /// The term is the head of the record's title (`format::POSTING_HEAD_BIT`).
    pub head: bool,
}

/// Appends the postings list of `term` to `out`; every id is below
/// `record_count`.
pub(crate) fn read_postings(
    postings: &[u8],
    fields: &[u8],
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
    if count != u64::from(term.doc_freq) {
        return Err(corrupt("list length differs from its term's document frequency"));
    }
    let field_bytes = usize::try_from(term.fields)
        .ok()
        .and_then(|f| fields.get(f..f.checked_add(count as usize)?))
        .ok_or(PackError::Corrupt { section: "PFLD", detail: "list beyond the section" })?;
    out.reserve(count as usize);
    let mut id: u64 = 0;
    for (i, &low) in field_bytes.iter().enumerate() {
        let delta = varint::read(postings, &mut pos).ok_or_else(|| corrupt("entry truncated"))?;
        if i > 0 && delta == 0 {
            return Err(corrupt("record listed twice"));
        }
        id += delta;
        if id >= u64::from(record_count) {
            return Err(corrupt("record id out of range"));
        }
        out.push(Posting {
            id: id as u32,
            field: low & ((1 << format::POSTING_FIELD_BITS) - 1),
            billable: false, // filled from the rows by `Pack::postings`
            entry: (low >> format::POSTING_ENTRY_SHIFT) & 3,
            head: low & format::POSTING_HEAD_BIT != 0,
        });
    }
    Ok(())
}

/// Appends a postings list (ids ascending, each once) to `postings`, and
/// its field bytes to `fields`.
#[cfg(feature = "compiler")]
pub(crate) fn write_postings(postings: &mut Vec<u8>, fields: &mut Vec<u8>, list: &[Posting]) {
    varint::write(postings, list.len() as u64);
    let mut prev = 0u32;
    for p in list {
        varint::write(postings, u64::from(p.id - prev));
        let head = if p.head { format::POSTING_HEAD_BIT } else { 0 };
        fields.push(head | (p.entry.min(format::POSTING_ENTRY_MAX) << format::POSTING_ENTRY_SHIFT) | p.field);
        prev = p.id;
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let list: Vec<Posting> = (0..50u32)
            .map(|i| Posting {
                id: i * 3 + 1,
                field: (i % 5) as u8,
                billable: false,
                entry: (i % 4) as u8,
                head: i % 3 == 0,
            })
            .collect();
        let (mut bytes, mut fields) = (vec![0x00], vec![]); // an empty list before it
        write_postings(&mut bytes, &mut fields, &list);
        let term = TermRef { offset: 1, fields: 0, doc_freq: 50 };
        let mut out = Vec::new();
        read_postings(&bytes, &fields, 200, term, &mut out).unwrap();
        assert_eq!(out, list);
        // A term that says its list is shorter than it is: an error.
        let lying = TermRef { doc_freq: 1, ..term };
        assert!(read_postings(&bytes, &fields, 200, lying, &mut Vec::new()).is_err());
        // The same list read against a pack of fewer records.
        assert!(read_postings(&bytes, &fields, 100, term, &mut Vec::new()).is_err());
        // Field bytes that end before the list does.
        assert!(read_postings(&bytes, &fields[..49], 200, term, &mut Vec::new()).is_err());
    }
}
