//! `RLSE`: the releases one pack carries, for a book stored with its next
//! release (ICD-10-CM FY2026 and FY2027). The records of every release share
//! one id space (their union, in tabular order); this section says which
//! ids belong to which release, so that one pack costs a few hundred
//! entries more than one release instead of twice as much.
//!
//! Layout (little-endian):
//!
//! ```text
//! u32 release count R (1..=8), oldest first
//! R × { u32 from YYYYMMDD, u32 to YYYYMMDD, u32 records, u32 billable,
//!       u16 label length, label (UTF-8) }
//! u32 entry count N
//! N × { u32 id, u8 present mask, u8 billable mask }      ascending ids
//! u32 extra count M
//! M × { u32 id, u8 kind, u8 release mask, u16 length, u32 offset }
//!                                              ascending (id, kind)
//! text of the extras (UTF-8), each at its offset
//! ```
//!
//! An id without an entry belongs to every release and is billable as its
//! row says. Bit `r` of a mask is release `r`. Extras: kind 0 is the title
//! the record has in the masked releases (a retitled code), kind 1 the codes
//! that replace a deleted one (space-separated, from the later release).
//! Every extra's record has an entry, and at most [`MAX_EXTRAS_PER_RECORD`]
//! share one; both lists are read by binary search. Everything is checked
//! at open.

use super::{lower_bound, read_u16, read_u32};
use crate::error::PackError;

/// Most releases one pack carries.
pub const MAX_RELEASES: usize = 8;
/// Extra kind: the record's title in the masked releases.
pub const EXTRA_TITLE: u8 = 0;
/// Extra kind: the codes that replace a deleted record.
pub const EXTRA_REPLACED_BY: u8 = 1;

/// Most extras one record has (a title per release, one replacement list).
pub const MAX_EXTRAS_PER_RECORD: usize = MAX_RELEASES + 1;

const ENTRY_LEN: usize = 6;
const EXTRA_LEN: usize = 12;

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "RLSE", detail }
}

/// One release of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseInfo<'a> {
    pub label: &'a str,
    /// First and last date of service (`YYYYMMDD`) it is in force.
    pub from: u32,
    pub to: u32,
    /// Records and billable codes of this release.
    pub records: u32,
    pub billable: u32,
}

/// The parsed section.
#[derive(Debug, Clone)]
pub struct Releases<'a> {
    list: Vec<ReleaseInfo<'a>>,
    entries: &'a [u8],
    /// Fixed-size extra records, then `texts`.
    extras: &'a [u8],
    texts: &'a [u8],
}

impl<'a> Releases<'a> {
    /// Parses and checks the section: masks name only existing releases,
    /// ids ascend and lie in the pack, every text is UTF-8.
    pub(crate) fn parse(bytes: &'a [u8], record_count: u32) -> Result<Releases<'a>, PackError> {
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no release count"))? as usize;
        if count == 0 || count > MAX_RELEASES {
            return Err(corrupt("release count out of range"));
        }
        let mut pos = 4;
        let mut list = Vec::with_capacity(count);
        for _ in 0..count {
            let field = |at: usize| read_u32(bytes, pos + at).ok_or_else(|| corrupt("release truncated"));
            let (from, to, records, billable) = (field(0)?, field(4)?, field(8)?, field(12)?);
            let len = read_u16(bytes, pos + 16).ok_or_else(|| corrupt("release truncated"))? as usize;
            let label = bytes.get(pos + 18..pos + 18 + len).ok_or_else(|| corrupt("release truncated"))?;
            let label = std::str::from_utf8(label).map_err(|_| corrupt("release label is not UTF-8"))?;
            let is_date = |d: u32| crate::dates::from_parts(d / 10000, d / 100 % 100, d % 100) == Some(d);
            if !is_date(from) || !is_date(to) || to < from || list.last().is_some_and(|p: &ReleaseInfo| p.to >= from) {
                return Err(corrupt("release dates are not dates in ascending order"));
            }
            list.push(ReleaseInfo { label, from, to, records, billable });
            pos += 18 + len;
        }
        let all = (1u16 << count) - 1;
        let n = read_u32(bytes, pos).ok_or_else(|| corrupt("no entry count"))? as usize;
        pos += 4;
        let end =
            n.checked_mul(ENTRY_LEN).and_then(|b| b.checked_add(pos)).ok_or_else(|| corrupt("entries overflow"))?;
        let entries = bytes.get(pos..end).ok_or_else(|| corrupt("shorter than its entries"))?;
        let mut previous = None;
        for e in entries.chunks_exact(ENTRY_LEN) {
            let id = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
            if id >= record_count || previous.is_some_and(|p| p >= id) {
                return Err(corrupt("entry ids out of order or outside the pack"));
            }
            if u16::from(e[4]) & !all != 0 || u16::from(e[5]) & !all != 0 || e[5] & !e[4] != 0 {
                return Err(corrupt("an entry names a release the pack does not carry"));
            }
            previous = Some(id);
        }
        pos = end;
        let m = read_u32(bytes, pos).ok_or_else(|| corrupt("no extra count"))? as usize;
        pos += 4;
        let end =
            m.checked_mul(EXTRA_LEN).and_then(|b| b.checked_add(pos)).ok_or_else(|| corrupt("extras overflow"))?;
        let extras = bytes.get(pos..end).ok_or_else(|| corrupt("shorter than its extras"))?;
        let texts = bytes.get(end..).unwrap_or(&[]);
        let releases = Releases { list, entries, extras, texts };
        let mut previous: Option<(u32, u8)> = None;
        let mut run = 0;
        for i in 0..m {
            let (id, kind, mask, text) = releases.extra_at(i)?;
            if kind > EXTRA_REPLACED_BY || u16::from(mask) & !all != 0 || releases.masks(id).is_none() {
                return Err(corrupt("an extra names a record without an entry, or an unknown kind or release"));
            }
            match previous {
                Some(p) if p > (id, kind) => return Err(corrupt("extras out of order")),
                Some((p, _)) if p == id => run += 1,
                _ => run = 1,
            }
            if run > MAX_EXTRAS_PER_RECORD {
                return Err(corrupt("too many extras for one record"));
            }
            previous = Some((id, kind));
            std::str::from_utf8(text).map_err(|_| corrupt("an extra is not UTF-8"))?;
        }
        Ok(releases)
    }

    /// The releases, oldest first.
    pub fn list(&self) -> &[ReleaseInfo<'a>] {
        &self.list
    }

    /// The release in force on `today` (`YYYYMMDD`): the one whose dates
    /// hold it; before the first, the first; after the last or unknown (0),
    /// the last.
    pub fn in_force(&self, today: u32) -> u8 {
        let last = self.list.len() - 1;
        if today == 0 {
            return last as u8;
        }
        self.list.iter().position(|r| today <= r.to).unwrap_or(last) as u8
    }

    /// `(present mask, billable mask)` of record `id`; `None` when it
    /// belongs to every release as its row says.
    pub fn masks(&self, id: u32) -> Option<(u8, u8)> {
        let i = lower_bound(self.entries, ENTRY_LEN, id);
        let e = self.entries.get(i * ENTRY_LEN..(i + 1) * ENTRY_LEN)?;
        (read_u32(e, 0) == Some(id)).then_some((e[4], e[5]))
    }

    /// Every entry as `(id, present mask, billable mask)`, in ascending id
    /// order (for a merge with an ascending list).
    pub fn entries(&self) -> impl Iterator<Item = (u32, u8, u8)> + 'a {
        self.entries.chunks_exact(ENTRY_LEN).map(|e| (u32::from_le_bytes([e[0], e[1], e[2], e[3]]), e[4], e[5]))
    }

    /// Whether record `id` belongs to release `r`.
    pub fn present(&self, id: u32, r: u8) -> bool {
        self.masks(id).is_none_or(|(present, _)| present & (1 << r) != 0)
    }

    /// Whether the entries have any record at all (else `present` is
    /// always true and callers skip the lookups).
    pub fn has_entries(&self) -> bool {
        !self.entries.is_empty()
    }

    /// Extra `i`: `(id, kind, mask, text)`, its text checked against the
    /// section's bounds.
    fn extra_at(&self, i: usize) -> Result<(u32, u8, u8, &'a [u8]), PackError> {
        let at = i * EXTRA_LEN;
        let e = self.extras.get(at..at + EXTRA_LEN).ok_or_else(|| corrupt("extra truncated"))?;
        let id = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        let len = u16::from_le_bytes([e[6], e[7]]) as usize;
        let offset = u32::from_le_bytes([e[8], e[9], e[10], e[11]]) as usize;
        let text = self
            .texts
            .get(offset..offset.saturating_add(len))
            .ok_or_else(|| corrupt("extra text outside the section"))?;
        Ok((id, e[4], e[5], text))
    }

    fn extra(&self, id: u32, kind: u8, r: Option<u8>) -> Option<&'a str> {
        let n = self.extras.len() / EXTRA_LEN;
        let lo = lower_bound(self.extras, EXTRA_LEN, id);
        // At most MAX_EXTRAS_PER_RECORD share an id (checked at open).
        for i in lo..n.min(lo + MAX_EXTRAS_PER_RECORD) {
            let (i_id, k, mask, text) = self.extra_at(i).ok()?;
            if i_id != id {
                break;
            }
            if k == kind && r.is_none_or(|r| mask & (1 << r) != 0) {
                return std::str::from_utf8(text).ok();
            }
        }
        None
    }

    /// The title record `id` has in release `r`, when it differs from the
    /// stored one.
    pub fn title(&self, id: u32, r: u8) -> Option<&'a str> {
        self.extra(id, EXTRA_TITLE, Some(r))
    }

    /// The codes that replace record `id` in the release after the last
    /// one it belongs to (`T52.891A` for `T52.8X1A`).
    pub fn replaced_by(&self, id: u32) -> Vec<&'a str> {
        self.extra(id, EXTRA_REPLACED_BY, None)
            .map(|t| t.split(' ').filter(|c| !c.is_empty()).collect())
            .unwrap_or_default()
    }
}

/// What the writer is given.
#[cfg(feature = "compiler")]
#[derive(Debug, Clone, Default)]
pub struct ReleasesWriter {
    /// `(label, from, to, records, billable)`, oldest first.
    pub list: Vec<(String, u32, u32, u32, u32)>,
    /// `(id, present mask, billable mask)`, ascending ids.
    pub entries: Vec<(u32, u8, u8)>,
    /// `(id, kind, release mask, text)`.
    pub extras: Vec<(u32, u8, u8, String)>,
}

#[cfg(feature = "compiler")]
impl ReleasesWriter {
    /// The section bytes; an error names what a reader would refuse.
    pub fn write(&self) -> Result<Vec<u8>, String> {
        if self.list.is_empty() || self.list.len() > MAX_RELEASES {
            return Err(format!("{} releases; a pack carries 1 to {MAX_RELEASES}", self.list.len()));
        }
        let mut out = Vec::new();
        out.extend_from_slice(&(self.list.len() as u32).to_le_bytes());
        for (label, from, to, records, billable) in &self.list {
            for v in [from, to, records, billable] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            let len = u16::try_from(label.len()).map_err(|_| "release label too long".to_string())?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(label.as_bytes());
        }
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for (id, present, billable) in &self.entries {
            out.extend_from_slice(&id.to_le_bytes());
            out.push(*present);
            out.push(*billable);
        }
        let mut extras: Vec<&(u32, u8, u8, String)> = self.extras.iter().collect();
        extras.sort_by_key(|e| (e.0, e.1));
        out.extend_from_slice(&(extras.len() as u32).to_le_bytes());
        let mut texts = Vec::new();
        for (id, kind, mask, text) in extras {
            out.extend_from_slice(&id.to_le_bytes());
            out.push(*kind);
            out.push(*mask);
            let len = u16::try_from(text.len()).map_err(|_| "an extra text is too long".to_string())?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(texts.len() as u32).to_le_bytes());
            texts.extend_from_slice(text.as_bytes());
        }
        out.extend_from_slice(&texts);
        Ok(out)
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    fn sample() -> ReleasesWriter {
        ReleasesWriter {
            list: vec![("FY2026".into(), 20251001, 20260930, 10, 6), ("FY2027".into(), 20261001, 20270930, 11, 7)],
            entries: vec![(2, 0b01, 0b01), (4, 0b11, 0b11), (5, 0b11, 0b01), (7, 0b10, 0b10)],
            extras: vec![(4, EXTRA_TITLE, 0b01, "Old title".into()), (2, EXTRA_REPLACED_BY, 0, "A1 A2".into())],
        }
    }

    #[test]
    fn round_trip() {
        let bytes = sample().write().unwrap();
        let r = Releases::parse(&bytes, 12).unwrap();
        assert_eq!(r.list().len(), 2);
        assert_eq!(r.list()[1].label, "FY2027");
        assert_eq!(r.in_force(20260930), 0);
        assert_eq!(r.in_force(20261001), 1);
        assert_eq!(r.in_force(20200101), 0);
        assert_eq!(r.in_force(20300101), 1);
        assert_eq!(r.in_force(0), 1);
        assert!(r.present(2, 0) && !r.present(2, 1));
        assert!(!r.present(7, 0) && r.present(7, 1));
        assert!(r.present(3, 0) && r.present(3, 1));
        assert_eq!(r.masks(5), Some((0b11, 0b01)));
        assert_eq!(r.title(4, 0), Some("Old title"));
        assert_eq!(r.title(4, 1), None);
        assert_eq!(r.replaced_by(2), vec!["A1", "A2"]);
        assert!(r.replaced_by(5).is_empty());
    }

    #[test]
    fn forged_sections_are_errors() {
        let bytes = sample().write().unwrap();
        // An id outside the pack.
        assert!(Releases::parse(&bytes, 6).is_err());
        // A mask naming a third release.
        let mut forged = sample();
        forged.entries[0].1 = 0b100;
        assert!(Releases::parse(&forged.write().unwrap(), 12).is_err());
        // Billable where absent.
        let mut forged = sample();
        forged.entries[0] = (2, 0b01, 0b10);
        assert!(Releases::parse(&forged.write().unwrap(), 12).is_err());
        // Releases out of date order.
        let mut forged = sample();
        forged.list.swap(0, 1);
        assert!(Releases::parse(&forged.write().unwrap(), 12).is_err());
        // An extra of a record without an entry.
        let mut forged = sample();
        forged.extras.push((3, EXTRA_TITLE, 0b01, "x".into()));
        assert!(Releases::parse(&forged.write().unwrap(), 12).is_err());
        // More extras for one record than releases allow.
        let mut forged = sample();
        for _ in 0..=MAX_EXTRAS_PER_RECORD {
            forged.extras.push((4, EXTRA_TITLE, 0b01, String::new()));
        }
        assert!(Releases::parse(&forged.write().unwrap(), 12).is_err());
        // Every truncation.
        for cut in 0..bytes.len() {
            assert!(Releases::parse(&bytes[..cut], 12).is_err(), "cut at {cut}");
        }
    }
}
