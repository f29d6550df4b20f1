//! Reading a pack: zero-copy views over a `&[u8]`.
//!
//! A pack is a header and sections. Each section has a module of its own
//! that holds its reader and, behind the `compiler` feature, its writer,
//! with a round-trip test (the layout of a section lives in one file):
//!
//! | module | section | what |
//! |---|---|---|
//! | [`header`] | header | magic, version, checksum, counts, section table |
//! | [`meta`] | `META` | build key/values |
//! | [`rows`] | `RECS` | a row per stored record |
//! | [`composed`] | `CMPD` | which ids are composed (bit vector + ranks) |
//! | [`words`] | `WORD` | the piece dictionary of encoded texts |
//! | [`text`] | `TEXT` | code, title, notes of stored records |
//! | [`labels`] | `LABL`, `LSET` | composition labels and compositions |
//! | [`composition`] | `LSET` entries | rows of axes; child order |
//! | [`table`] | (`LABL`, `LSET`) | the offset table both use |
//! | [`dictionary`] | `TERM` | the term dictionary (front-coded) |
//! | [`terms`] | `POST`, `PFLD` | postings |
//! | [`expansions`] | `XPND` | words the index reads as other words |
//! | [`terminations`] | `TRMD` | termination dates |
//! | [`crosswalk`] | `XWLK` | crosswalks to and from other systems |
//! | [`releases`] | `RLSE` | the releases a pack carries, by date of service |
//! | [`edits`] | `EDIT` | claim-edit and payment tables (MCE, CC/MCC, HCC, PDPM) |
//!
//! [`Pack::open`] checks the header, the checksum, the section table, every
//! section's own header, the `fst` maps, the `CMPD` rank directory and
//! `META` in full; the rest (rows, texts, compositions, postings) is read
//! lazily, and every read is bounds-checked and returns a [`PackError`] on
//! inconsistent data. Opening allocates nothing in proportion to the pack.
//! A forged pack with a valid checksum is untrusted input like any other:
//! `tests/malformed_packs.rs` and the fuzz targets (`make fuzz`) hold the
//! reader to "an error, never a panic, a hang or a huge allocation", with
//! one caveat: the `fst` maps are read by the `fst` crate, which trusts a
//! map whose own checksum holds (see `docs/PACK_FORMAT.md`, Safety).

pub mod composed;
pub mod composition;
pub mod crosswalk;
pub mod dictionary;
pub mod edits;
pub mod expansions;
pub mod format;
pub mod header;
pub mod labels;
pub mod meta;
pub mod releases;
pub mod rows;
pub mod table;
pub mod terminations;
pub mod terms;
pub mod text;
pub mod words;

use crate::error::PackError;
use crate::model::{CodeSystem, Kind};
use fst::{IntoStreamer, Streamer};

pub use composition::Composition;
pub use crosswalk::{Crosswalk, CrosswalkDirection, CrosswalkTarget};
pub use header::{reseal, SectionInfo};
pub use labels::{ComposeRule, LabelWords};
pub use releases::{ReleaseInfo, Releases};
pub use rows::Row;
pub use terms::{Posting, TermRef};

use composed::Composed;
use format::tag;
use rows::Rows;
use table::Table;
use terminations::Terminations;
use words::Words;

/// An open pack.
#[derive(Clone)]
pub struct Pack<'a> {
    bytes: &'a [u8],
    header_len: usize,
    system: &'static CodeSystem,
    release: &'a str,
    record_count: u32,
    billable_count: u32,
    section_table: &'a [u8],
    meta: &'a [u8],
    rows: Rows<'a>,
    composed: Option<Composed<'a>>,
    codes: fst::Map<&'a [u8]>,
    words: Words<'a>,
    text: &'a [u8],
    labels: Table<'a>,
    label_sets: Table<'a>,
    compose: ComposeRule,
    terms: dictionary::TermDictionary<'a>,
    postings: &'a [u8],
    posting_fields: &'a [u8],
    terminations: Terminations<'a>,
    expansions: expansions::Expansions<'a>,
    crosswalks: Vec<Crosswalk<'a>>,
    /// The releases, when the pack carries several (`RLSE`).
    releases: Option<Releases<'a>>,
    /// The release in force on `today` (an index into `releases`).
    in_force: u8,
    /// The date the pack is read on (`YYYYMMDD`, 0 = unknown), for
    /// termination dates; see [`Pack::set_today`].
    today: u32,
    /// The `EDIT` section's bytes, when the pack has one.
    edits_section: Option<&'a [u8]>,
    /// The `EDIT` tables, decoded on first use (a check, a flag lookup).
    edits: std::sync::OnceLock<Result<edits::EditTables, PackError>>,
    /// The labels as words, read on first use by the search.
    label_words: std::sync::OnceLock<Result<Vec<LabelWords>, PackError>>,
    /// The top-level records and the categories with their subtrees' ends
    /// (id ranges), read on first use by one walk over every row (the
    /// search asks each candidate's category, and which chapter it is in).
    outline: std::sync::OnceLock<Result<Outline, PackError>>,
    /// Each stored record's content-word count, by row, kept as read
    /// (`text::UNREAD` until then): the ranking asks it of every candidate
    /// tied at the top, thousands for "fracture", again at each keystroke.
    /// Filled as asked rather than by one pass, so that the first search
    /// does not pay for the whole pack.
    content_words: text::ContentWords,
}

/// Subtree ranges of a pack (see [`Pack::top_level_ranges`] and
/// [`Pack::category_ranges`]).
#[derive(Debug, Clone)]
struct Outline {
    top_level: Vec<(u32, u32)>,
    categories: Vec<(u32, u32)>,
}

/// A walk over the stored rows in id order that lists the subtrees of the
/// rows it is told to accept, outermost only, as `(id, end)` ranges in book
/// order. A forged pack's subtree that ends at a record it should hold is
/// walked on from there, never listed twice.
#[derive(Debug, Default)]
struct SubtreeWalk {
    out: Vec<(u32, u32)>,
    /// The accepted root whose subtree the walk is in.
    open: Option<u32>,
}

impl SubtreeWalk {
    fn step(&mut self, id: u32, row: &Row, accept: bool) {
        if let Some(root) = self.open {
            // The criterion of `Pack::subtree_end`.
            if row.parent.is_some_and(|p| p >= root) {
                return;
            }
            self.out.push((root, id));
            self.open = None;
        }
        if accept {
            self.open = Some(id);
        }
    }

    fn finish(mut self, record_count: u32) -> Vec<(u32, u32)> {
        if let Some(root) = self.open {
            self.out.push((root, record_count));
        }
        self.out
    }
}

impl std::fmt::Debug for Pack<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pack")
            .field("system", &self.system.id)
            .field("release", &self.release)
            .field("records", &self.record_count)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

pub(crate) fn read_u16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at.checked_add(2)?).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn read_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// In a table of fixed-size records of `stride` bytes, each starting with
/// its u32 record id, sorted by id: the index of the first record whose id
/// is at least `id` (binary search; an unsorted forged table gives a wrong
/// index, never a panic). `TRMD` and `RLSE` are read this way.
pub(crate) fn lower_bound(table: &[u8], stride: usize, id: u32) -> usize {
    let at = |i: usize| read_u32(table, i * stride).unwrap_or(u32::MAX);
    let (mut lo, mut hi) = (0, table.len() / stride);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if at(mid) < id {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

pub(crate) fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Opens an `fst` map and checks its own checksum. The `fst` crate trusts
/// the structure of the bytes it is given, so a section table that points
/// it at the wrong bytes must be caught here, before a traversal.
pub(crate) fn open_fst<'a>(bytes: &'a [u8], section: &'static str) -> Result<fst::Map<&'a [u8]>, PackError> {
    let map = fst::Map::new(bytes).map_err(|e| PackError::Fst { section, message: e.to_string() })?;
    map.as_fst().verify().map_err(|e| PackError::Fst { section, message: e.to_string() })?;
    Ok(map)
}

/// Calls `f` with every key of `map` that starts with `prefix` and its
/// value, in key order, until `f` returns `false`.
pub(crate) fn for_keys_with_prefix(map: &fst::Map<&[u8]>, prefix: &str, f: impl FnMut(&str, u64) -> bool) {
    for_keys_matching(map, fst::Automaton::starts_with(fst::automaton::Str::new(prefix)), f);
}

/// Calls `f` with every key of `map` the automaton accepts and its value,
/// in key order, until `f` returns `false`. Keys that are not UTF-8 are
/// skipped (every key the compiler writes is).
pub(crate) fn for_keys_matching<A: fst::Automaton>(
    map: &fst::Map<&[u8]>,
    automaton: A,
    mut f: impl FnMut(&str, u64) -> bool,
) {
    let mut stream = map.search(automaton).into_stream();
    while let Some((key, value)) = stream.next() {
        if let Ok(k) = std::str::from_utf8(key) {
            if !f(k, value) {
                break;
            }
        }
    }
}

/// The longest chain of ancestors a record may have (ICD-10-CM has 7
/// levels); a longer one is a cycle or a forgery.
const MAX_DEPTH: usize = 64;

impl<'a> Pack<'a> {
    /// Opens a pack: checks magic, version, length, checksum, header fields,
    /// the section table and the headers of the sections it needs.
    pub fn open(bytes: &'a [u8]) -> Result<Pack<'a>, PackError> {
        let h = header::Header::parse(bytes)?;
        let sections = header::Sections { bytes, header_len: h.header_len, table: h.section_table };
        let meta = sections.get(tag::META, "META")?;
        meta::walk(meta, |_, _| {})?;
        let rows = Rows::parse(sections.get(tag::RECORDS, "RECS")?)?;
        let composed = match sections.optional(tag::COMPOSED, "CMPD")? {
            Some(c) => Some(Composed::parse(c, h.record_count, rows.count)?),
            None if rows.count == h.record_count => None,
            None => {
                return Err(PackError::Corrupt {
                    section: "RECS",
                    detail: "fewer rows than records and no CMPD section",
                })
            }
        };
        let words = Words::parse(sections.get(tag::WORDS, "WORD")?)?;
        let text = sections.get(tag::TEXT, "TEXT")?;
        let (compose, labels) = labels::parse_labels(sections.get(tag::LABELS, "LABL")?)?;
        let label_sets = Table::parse("LSET", sections.get(tag::LABEL_SETS, "LSET")?)?;
        let terminations = match sections.optional(tag::TERMINATIONS, "TRMD")? {
            Some(t) => Terminations::parse(t)?,
            None => Terminations::default(),
        };
        let expansions = match sections.optional(tag::EXPANSIONS, "XPND")? {
            Some(x) => expansions::Expansions::parse(x)?,
            None => expansions::Expansions::default(),
        };
        let crosswalks = sections
            .get_all(tag::CROSSWALK, "XWLK")?
            .into_iter()
            .map(Crosswalk::parse)
            .collect::<Result<Vec<_>, _>>()?;
        let releases = match sections.optional(tag::RELEASES, "RLSE")? {
            Some(r) => Some(Releases::parse(r, h.record_count)?),
            None => None,
        };
        let edits_section = sections.optional(tag::EDITS, "EDIT")?;
        let codes = open_fst(sections.get(tag::CODES, "CODE")?, "CODE")?;
        let postings = sections.get(tag::POSTINGS, "POST")?;
        let posting_fields = sections.get(tag::POSTING_FIELDS, "PFLD")?;
        let terms = dictionary::TermDictionary::parse(sections.get(tag::TERMS, "TERM")?, postings, posting_fields)?;

        Ok(Pack {
            bytes,
            header_len: h.header_len,
            system: h.system,
            release: h.release,
            record_count: h.record_count,
            billable_count: h.billable_count,
            section_table: h.section_table,
            meta,
            rows,
            composed,
            codes,
            words,
            text,
            labels,
            label_sets,
            compose,
            terms,
            postings,
            posting_fields,
            terminations,
            expansions,
            crosswalks,
            in_force: releases.as_ref().map_or(0, |r| r.in_force(0)),
            releases,
            today: 0,
            edits_section,
            edits: std::sync::OnceLock::new(),
            label_words: std::sync::OnceLock::new(),
            outline: std::sync::OnceLock::new(),
            content_words: text::ContentWords::default(),
        })
    }

    /// The claim-edit and payment tables, decoded on first use; `None` when
    /// the pack was built without them.
    pub fn edits(&self) -> Result<Option<&edits::EditTables>, PackError> {
        let Some(bytes) = self.edits_section else { return Ok(None) };
        match self.edits.get_or_init(|| edits::EditTables::parse(bytes)) {
            Ok(t) => Ok(Some(t)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The code system of this pack.
    pub fn system(&self) -> &'static CodeSystem {
        self.system
    }

    /// The label of the release in force on the pack's date
    /// (`FY2026 (April 1, 2026 update)`).
    pub fn release(&self) -> &'a str {
        self.release_in_force().map_or(self.release, |r| r.label)
    }

    /// The releases the pack carries, oldest first (empty for a pack of one
    /// release, whose label is [`Pack::release`]).
    pub fn releases(&self) -> &[ReleaseInfo<'a>] {
        self.releases.as_ref().map_or(&[], |r| r.list())
    }

    /// The release in force on the pack's date, when the pack carries
    /// several.
    pub fn release_in_force(&self) -> Option<ReleaseInfo<'a>> {
        self.releases.as_ref().and_then(|r| r.list().get(self.in_force as usize).copied())
    }

    /// Whether record `id` belongs to the release in force (always, in a
    /// pack of one release).
    pub fn is_present(&self, id: u32) -> bool {
        self.releases.as_ref().is_none_or(|r| r.present(id, self.in_force))
    }

    /// The releases record `id` belongs to, as a bit mask over
    /// [`Pack::releases`] (`None`: every release).
    pub fn release_mask(&self, id: u32) -> Option<u8> {
        self.releases.as_ref().and_then(|r| r.masks(id)).map(|(present, _)| present)
    }

    /// The records of the release in force that replace record `id`, a
    /// code a later release deleted (`T52.891A` for `T52.8X1A`).
    pub fn replaced_by(&self, id: u32) -> Vec<u32> {
        let codes = self.releases.as_ref().map(|r| r.replaced_by(id)).unwrap_or_default();
        codes.iter().filter_map(|c| self.find_code(&c.replace('.', ""))).collect()
    }

    /// The title of record `id` in the release in force, where it differs
    /// from the stored one (a retitled code read on an earlier date).
    pub(crate) fn title_in_force(&self, id: u32) -> Option<&'a str> {
        self.releases.as_ref().and_then(|r| r.title(id, self.in_force))
    }

    /// Number of record ids: every chapter, section, header and code (of
    /// every release the pack carries; ids run from 0 to this).
    pub fn record_count(&self) -> u32 {
        self.record_count
    }

    /// Number of records of the release in force.
    pub fn records_in_force(&self) -> u32 {
        self.release_in_force().map_or(self.record_count, |r| r.records)
    }

    /// Number of billable codes of the release in force.
    pub fn billable_count(&self) -> u32 {
        self.release_in_force().map_or(self.billable_count, |r| r.billable)
    }

    /// Size of the pack in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The sections as listed in the section table, in file order.
    pub fn sections(&self) -> Vec<SectionInfo> {
        header::Sections::list(self.section_table).collect()
    }

    /// Bytes of the header (fixed part, release label, section table).
    pub fn header_len(&self) -> usize {
        self.header_len
    }

    /// The META entries, in stored order (checked at open).
    pub fn meta(&self) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        let _ = meta::walk(self.meta, |k, v| out.push((k, v)));
        out
    }

    /// The crosswalks this pack holds.
    pub fn crosswalks(&self) -> &[Crosswalk<'a>] {
        &self.crosswalks
    }

    /// The termination date (`YYYYMMDD`) of record `id`, if it has one.
    pub fn terminated_on(&self, id: u32) -> Option<u32> {
        self.terminations.date_of(id)
    }

    /// Sets the date (`YYYYMMDD`) the pack is read on. A code whose
    /// termination date is before it is terminated and not billable. Until
    /// it is set (0), every code with a termination date counts as
    /// terminated, so that a code is never offered as billable on a guess.
    /// (The reader never asks the clock itself: `wasm32-unknown-unknown`
    /// has none.)
    /// The date also chooses the release in force, when the pack carries
    /// several (see [`Releases::in_force`]).
    pub fn set_today(&mut self, yyyymmdd: u32) {
        self.today = yyyymmdd;
        if let Some(r) = &self.releases {
            self.in_force = r.in_force(yyyymmdd);
        }
    }

    /// The date set by [`Pack::set_today`] (0 = unknown).
    pub fn today(&self) -> u32 {
        self.today
    }

    /// Whether record `id` is terminated on the pack's date.
    pub fn is_terminated(&self, id: u32) -> bool {
        if self.terminations.is_empty() {
            return false;
        }
        self.terminated_on(id).is_some_and(|d| self.today == 0 || d < self.today)
    }

    /// Whether record `id` is billable on the pack's date.
    pub fn is_billable(&self, id: u32) -> Result<bool, PackError> {
        Ok(self.row(id)?.billable && !self.is_terminated(id))
    }

    /// Whether record `id` is composed (a code made from its header's
    /// composition).
    pub fn is_composed(&self, id: u32) -> bool {
        id < self.record_count && self.composed.is_some_and(|c| c.get(id))
    }

    /// The row of record `id`, as the release in force has it (a code that
    /// gained children in a later release is billable in the earlier one).
    pub fn row(&self, id: u32) -> Result<Row, PackError> {
        let mut row = self.stored_row(id)?;
        if let Some((_, billable)) = self.releases.as_ref().and_then(|r| r.masks(id)) {
            row.billable = billable & (1 << self.in_force) != 0;
            row.kind = row.kind.as_billable(row.billable);
        }
        Ok(row)
    }

    /// The row of record `id` as stored (as the last release has it).
    fn stored_row(&self, id: u32) -> Result<Row, PackError> {
        if id >= self.record_count {
            return Err(PackError::RecordOutOfRange { id, count: self.record_count });
        }
        let Some(bits) = self.composed else {
            return self.rows.row(id, id);
        };
        if !bits.get(id) {
            return self.rows.row(id, bits.rank0(id));
        }
        // A composed record: its header is the stored record before its run.
        let corrupt = |detail| PackError::Corrupt { section: "CMPD", detail };
        let stored_before = bits.rank0(id);
        let header = stored_before
            .checked_sub(1)
            .and_then(|n| bits.select0(n))
            .filter(|&h| h < id)
            .ok_or_else(|| corrupt("a composed record has no header"))?;
        let header_row = self.rows.row(header, stored_before - 1)?;
        if !header_row.has_label_set {
            return Err(corrupt("a composed record's header has no composition"));
        }
        Ok(Row {
            parent: Some(header),
            kind: Kind::Code,
            billable: true,
            composed: true,
            has_notes: false,
            has_label_set: false,
            title_shared: false,
            payload: id - header - 1,
        })
    }

    /// The ids from `id` up to the top level (`id` first): the one walk up
    /// the parent chain, bounded so that a forged cycle is an error.
    pub fn ancestors_and_self(&self, id: u32) -> Result<Vec<u32>, PackError> {
        let mut chain = Vec::with_capacity(8);
        let mut cur = Some(id);
        while let Some(c) = cur {
            if chain.len() >= MAX_DEPTH {
                return Err(PackError::Corrupt { section: "RECS", detail: "parent chain too long" });
            }
            chain.push(c);
            cur = self.row(c)?.parent;
        }
        Ok(chain)
    }

    /// The ids from the top level down to `id` (inclusive).
    pub fn ancestry(&self, id: u32) -> Result<Vec<u32>, PackError> {
        let mut chain = self.ancestors_and_self(id)?;
        chain.reverse();
        Ok(chain)
    }

    /// The first record at or after `id` that is not composed.
    fn next_stored(&self, mut id: u32) -> u32 {
        while id < self.record_count && self.is_composed(id) {
            id += 1;
        }
        id
    }

    /// The children of record `id` in book order; `None` lists the top level.
    pub fn children(&self, id: Option<u32>) -> Result<Vec<u32>, PackError> {
        let Some(p) = id else {
            let top = self.top_level_ranges()?.iter().map(|&(t, _)| t);
            return Ok(top.filter(|&t| self.is_present(t)).collect());
        };
        let mut out = Vec::new();
        let row = self.row(p)?;
        if let Some(count) = self.composed_count(p, &row)?.filter(|&n| n > 0) {
            out.extend((p + 1..=p + count).filter(|&c| self.is_present(c)));
            // A header of composed codes has no stored children, except in a
            // pack that carries later releases (an ICD-10-PCS code added
            // under its table); they follow the composed run.
            if self.releases.is_none() {
                return Ok(out);
            }
        }
        // Records are stored in pre-order, so the children of `id` follow it
        // and its subtree ends at the first record whose parent precedes it.
        // Runs of composed records belong to the header before them and are
        // skipped whole.
        let mut j = p + 1;
        loop {
            j = self.next_stored(j);
            if j >= self.record_count {
                break;
            }
            match self.row(j)?.parent {
                Some(q) if q == p && self.is_present(j) => out.push(j),
                Some(q) if q < p => break,
                None => break,
                _ => {}
            }
            j += 1;
        }
        Ok(out)
    }

    /// The top-level records (chapters) as `(id, end of subtree)` id
    /// ranges, in book order, whatever the release: read once per pack.
    pub fn top_level_ranges(&self) -> Result<&[(u32, u32)], PackError> {
        Ok(&self.outline()?.top_level)
    }

    /// The category records (kind `Category`) with their subtrees' ends, as
    /// `(id, end)` ranges in id order; empty in books without categories.
    pub fn category_ranges(&self) -> Result<&[(u32, u32)], PackError> {
        Ok(&self.outline()?.categories)
    }

    fn outline(&self) -> Result<&Outline, PackError> {
        let outline = self.outline.get_or_init(|| {
            let mut top_level = SubtreeWalk::default();
            let mut categories = SubtreeWalk::default();
            for stored in self.stored_rows() {
                let (j, row) = stored?;
                top_level.step(j, &row, row.parent.is_none());
                categories.step(j, &row, row.kind == Kind::Category);
            }
            Ok(Outline {
                top_level: top_level.finish(self.record_count),
                categories: categories.finish(self.record_count),
            })
        });
        outline.as_ref().map_err(Clone::clone)
    }

    /// The category record whose subtree holds `id`, or `id` itself if it
    /// is one; `None` in books without categories.
    pub fn category_of(&self, id: u32) -> Result<Option<u32>, PackError> {
        let ranges = self.category_ranges()?;
        let i = ranges.partition_point(|&(start, _)| start <= id);
        Ok(i.checked_sub(1).map(|i| ranges[i]).filter(|&(_, end)| id < end).map(|(start, _)| start))
    }

    /// Every stored record's row as stored, in id order, as `(id, row)`:
    /// one pass, for the walks over the whole pack (cheaper than asking
    /// [`Pack::row`] of each id, which finds the row's place each time).
    fn stored_rows(&self) -> impl Iterator<Item = Result<(u32, Row), PackError>> + '_ {
        let mut next_id = 0u32;
        self.rows.in_order().map(move |entry| {
            let (word, offset) = entry?;
            let id = self.next_stored(next_id);
            if id >= self.record_count {
                return Err(PackError::Corrupt { section: "RECS", detail: "more rows than stored records" });
            }
            next_id = id + 1;
            rows::decode(word, id, offset).map(|row| (id, row))
        })
    }

    /// The end (exclusive) of the subtree rooted at `id`.
    pub fn subtree_end(&self, id: u32) -> Result<u32, PackError> {
        self.row(id)?;
        let mut j = id + 1;
        loop {
            j = self.next_stored(j);
            if j >= self.record_count {
                return Ok(self.record_count);
            }
            match self.row(j)?.parent {
                Some(p) if p >= id => j += 1,
                _ => return Ok(j),
            }
        }
    }

    /// The record id of a normalized code (`E119`, see
    /// [`crate::normalize::normalize_code`]).
    /// A code of another release the pack carries is not found; see
    /// [`Pack::find_code_in_any_release`].
    pub fn find_code(&self, normalized: &str) -> Option<u32> {
        self.find_code_in_any_release(normalized).filter(|&id| self.is_present(id))
    }

    /// The record id of a normalized code in any release the pack carries.
    pub fn find_code_in_any_release(&self, normalized: &str) -> Option<u32> {
        self.codes.get(normalized).and_then(|v| u32::try_from(v).ok()).filter(|&id| id < self.record_count)
    }

    /// Normalized codes starting with `prefix`, in code order, at most
    /// `limit` of them, as `(normalized code, record id)`.
    pub fn codes_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for_keys_with_prefix(&self.codes, prefix, |k, v| {
            if out.len() >= limit {
                return false;
            }
            if let Some(id) = u32::try_from(v).ok().filter(|&id| id < self.record_count && self.is_present(id)) {
                out.push((k.to_string(), id));
            }
            true
        });
        out
    }

    /// Whether any code starts with `prefix` (normalized).
    pub fn has_code_prefix(&self, prefix: &str) -> bool {
        let mut any = false;
        for_keys_with_prefix(&self.codes, prefix, |_, v| {
            any = u32::try_from(v).is_ok_and(|id| self.is_present(id));
            !any
        });
        any
    }

    /// Looks up one term of the term dictionary.
    pub fn term(&self, key: &str) -> Option<TermRef> {
        self.terms.get(key)
    }

    /// Calls `f` for every term starting with `prefix`, in term order, until
    /// `f` returns `false`.
    pub fn for_terms_with_prefix(&self, prefix: &str, f: impl FnMut(&str, TermRef) -> bool) {
        self.terms.for_prefix(prefix, f);
    }

    /// Calls `f` with every term the automaton accepts and its document
    /// frequency, in term order, until `f` returns `false` (typo
    /// tolerance walks the dictionary this way).
    /// Only the terms that start with `under` are walked (all for `""`).
    pub fn for_terms_matching<A: fst::Automaton>(
        &self,
        under: &str,
        automaton: A,
        mut f: impl FnMut(&str, u32) -> bool,
    ) {
        self.terms.for_matching(under.as_bytes(), automaton, |k, t| f(k, t.doc_freq));
    }

    /// The phrases the book's index says to read term `key` as (the
    /// ICD-10-PCS Index: "appendectomy" → "Excision, Appendix", "Resection,
    /// Appendix"); empty for most words.
    pub fn expansions(&self, key: &str) -> Vec<&'a str> {
        self.expansions.get(key)
    }

    /// Number of terms in the term dictionary.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Appends the postings of `term` to `out`, in ascending record order:
    /// the records of the release in force, billable as it has them.
    pub fn postings(&self, term: TermRef, out: &mut Vec<Posting>) -> Result<(), PackError> {
        let start = out.len();
        terms::read_postings(self.postings, self.posting_fields, self.record_count, term, out)?;
        for p in &mut out[start..] {
            // Composed records are found through their headers, never listed.
            let index = self.composed.map_or(p.id, |bits| bits.rank0(p.id));
            p.billable = self.rows.billable(index);
        }
        if let Some(r) = self.releases.as_ref().filter(|r| r.has_entries()) {
            // Both lists ascend: one merge, not a search per posting.
            let bit = 1 << self.in_force;
            let mut entries = r.entries().peekable();
            let mut keep = start;
            for i in start..out.len() {
                let mut p = out[i];
                while entries.next_if(|e| e.0 < p.id).is_some() {}
                if let Some(&(_, present, billable)) = entries.peek().filter(|e| e.0 == p.id) {
                    if present & bit == 0 {
                        continue;
                    }
                    p.billable = billable & bit != 0;
                }
                out[keep] = p;
                keep += 1;
            }
            out.truncate(keep);
        }
        Ok(())
    }
}
