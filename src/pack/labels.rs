//! `LABL` and `LSET`: the labels that composed codes are made of (a 7th
//! character, an ICD-10-PCS axis value) with the rule that composes their
//! codes, and the compositions of the headers (see [`super::composition`]).
//!
//! `LABL`: style, pad-to, placeholder, dot position (high bit: labels are
//! posted), then a [`super::table`] of labels: character byte, varint
//! content-word count, text, notes. `LSET`: a table of composition entries;
//! a header's `TEXT` entry starts with its entry's index.

use super::{composition, format, table::Table, Composition, Pack, Row};
use crate::error::PackError;
use crate::model::NoteKind;
use crate::varint;

/// How composed codes are formed, for the whole pack (the `LABL` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComposeRule {
    /// [`format::COMPOSE_SEVENTH`] or [`format::COMPOSE_AXES`] (0: none).
    pub style: u8,
    /// Seventh character: the header's code is padded to this many
    /// characters...
    pub pad_to: u8,
    /// ...with this placeholder (`X`) before the label's character is added.
    pub placeholder: u8,
    /// The display form has a dot after this many characters (0 = none).
    pub dot_after: u8,
    /// The words of the labels are posted to their headers in the term
    /// dictionary (field `ChildLabel`), so that a word found only in a label
    /// still finds the header.
    pub labels_posted: bool,
}

/// The words of one label, as the search compares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelWords {
    pub tokens: Vec<crate::normalize::Token>,
    /// The term key of each token.
    pub keys: Vec<String>,
}

fn corrupt(section: &'static str, detail: &'static str) -> PackError {
    PackError::Corrupt { section, detail }
}

/// Opens `LABL`: the compose rule and the label table.
pub(crate) fn parse_labels(bytes: &[u8]) -> Result<(ComposeRule, Table<'_>), PackError> {
    if bytes.len() < 4 {
        return Err(corrupt("LABL", "no compose rule"));
    }
    let compose = ComposeRule {
        style: bytes[0],
        pad_to: bytes[1],
        placeholder: bytes[2],
        dot_after: bytes[3] & 0x7F,
        labels_posted: bytes[3] & 0x80 != 0,
    };
    if compose.style > format::COMPOSE_AXES {
        return Err(corrupt("LABL", "unknown composition style"));
    }
    if !compose.placeholder.is_ascii_alphanumeric() && compose.placeholder != 0 {
        return Err(corrupt("LABL", "placeholder is not a letter or digit"));
    }
    Ok((compose, Table::parse("LABL", &bytes[4..])?))
}

/// The `LABL` header bytes of a compose rule.
#[cfg(feature = "compiler")]
pub(crate) fn write_rule(rule: &ComposeRule) -> Vec<u8> {
    let posted = if rule.labels_posted { 0x80 } else { 0 };
    vec![rule.style, rule.pad_to, rule.placeholder, rule.dot_after | posted]
}

impl<'a> Pack<'a> {
    /// Number of labels.
    pub fn label_count(&self) -> u32 {
        self.labels.count
    }

    /// The rule that composes codes from labels.
    pub fn compose_rule(&self) -> ComposeRule {
        self.compose
    }

    fn label_entry(&self, index: u32) -> Result<&'a [u8], PackError> {
        self.labels.entry(index).ok_or(corrupt("LABL", "label index out of range"))
    }

    pub(crate) fn label_char(&self, index: u32) -> Result<char, PackError> {
        match self.label_entry(index)?.first() {
            Some(&b) if b.is_ascii_alphanumeric() => Ok(b as char),
            _ => Err(corrupt("LABL", "label character is not a letter or digit")),
        }
    }

    /// Content words of label `index` (see [`Pack::content_words`]).
    pub fn label_content_words(&self, index: u32) -> Result<u32, PackError> {
        let mut pos = 1;
        varint::read_u32(self.label_entry(index)?, &mut pos).ok_or(corrupt("LABL", "label truncated"))
    }

    /// Label `index`: its character and its text.
    pub fn label(&self, index: u32) -> Result<(char, String), PackError> {
        let ch = self.label_char(index)?;
        let entry = self.label_entry(index)?;
        let mut pos = 1;
        varint::read(entry, &mut pos).ok_or(corrupt("LABL", "label truncated"))?;
        Ok((ch, self.words.decode_text(entry, &mut pos, "LABL")?))
    }

    pub(crate) fn label_notes(&self, index: u32) -> Result<Vec<(NoteKind, String)>, PackError> {
        let entry = self.label_entry(index)?;
        let mut pos = 1;
        varint::read(entry, &mut pos).ok_or(corrupt("LABL", "label truncated"))?;
        super::words::Words::skip_text(entry, &mut pos, "LABL")?;
        self.words.decode_notes(entry, &mut pos, "LABL")
    }

    /// The words of every label (see [`LabelWords`]), read once.
    pub fn label_words(&self) -> Result<&[LabelWords], PackError> {
        let words = self.label_words.get_or_init(|| {
            (0..self.labels.count)
                .map(|l| {
                    let (_, text) = self.label(l)?;
                    let tokens = crate::normalize::tokens(&text);
                    let keys = tokens.iter().map(|t| crate::normalize::term_key(&t.folded)).collect();
                    Ok(LabelWords { tokens, keys })
                })
                .collect()
        });
        words.as_deref().map_err(Clone::clone)
    }

    /// The id of a header row's composition (headers of one category share
    /// one), `None` for a row that is no header; ids are below
    /// [`Pack::composition_count`].
    pub fn composition_id(&self, row: &Row) -> Result<Option<u32>, PackError> {
        if !row.has_label_set {
            return Ok(None);
        }
        let mut pos = row.payload as usize;
        let set = varint::read_u32(self.text, &mut pos).ok_or(corrupt("LSET", "composition id truncated"))?;
        if set >= self.label_sets.count {
            return Err(corrupt("LSET", "composition id out of range"));
        }
        Ok(Some(set))
    }

    /// How many compositions the pack has (see [`Pack::composition_id`]).
    pub fn composition_count(&self) -> u32 {
        self.label_sets.count
    }

    /// The encoded composition of a header row.
    fn composition_entry(&self, row: &Row) -> Result<&'a [u8], PackError> {
        let set = self.composition_id(row)?.ok_or(corrupt("LSET", "a composed record's header has no composition"))?;
        self.label_sets.entry(set).ok_or(corrupt("LSET", "composition id out of range"))
    }

    /// The composition of a header row: for each row, for each axis, its
    /// labels (see [`composition`] for the order of the children).
    pub fn composition(&self, row: &Row) -> Result<Composition, PackError> {
        composition::decode(self.composition_entry(row)?, self.labels.count)
    }

    /// The labels of composed record `id` (one per axis), with its header.
    pub fn composed_labels(&self, id: u32) -> Result<(u32, Vec<u32>), PackError> {
        let row = self.row(id)?;
        let header = match (row.composed, row.parent) {
            (true, Some(h)) => h,
            _ => return Err(corrupt("CMPD", "not a composed record")),
        };
        let entry = self.composition_entry(&self.row(header)?)?;
        Ok((header, composition::child_labels(entry, row.payload, self.labels.count)?))
    }

    /// The composed children of header `id` (its `row` already read):
    /// `(first child id, composition)`; `None` for any other record. The
    /// children are the ids that follow `id`, one per combination, and the
    /// composition's size is checked against them.
    pub fn composed_children_of(&self, id: u32, row: &Row) -> Result<Option<(u32, Composition)>, PackError> {
        if !row.has_label_set {
            return Ok(None);
        }
        let rows = self.composition(row)?;
        let n = composition::size(&rows).ok_or(corrupt("LSET", "composition too large"))?;
        self.check_composed_run(id, n)?;
        Ok(Some((id + 1, rows)))
    }

    /// Number of composed children of header `id`, checked against the
    /// records that follow it; `None` for any other record.
    pub fn composed_count(&self, id: u32, row: &Row) -> Result<Option<u32>, PackError> {
        Ok(self.composed_children_of(id, row)?.map(|(_, rows)| composition::size(&rows).unwrap_or(0)))
    }

    /// A header's `n` composed children are exactly the `n` records after
    /// it: all composed, inside the pack, and the run ends there.
    fn check_composed_run(&self, id: u32, n: u32) -> Result<(), PackError> {
        let missing = || corrupt("CMPD", "a header's composed children are missing");
        let last = id.checked_add(n).filter(|&l| n > 0 && l < self.record_count).ok_or_else(missing)?;
        let bits = self.composed.ok_or_else(missing)?;
        if !bits.is_run(id + 1, last) || self.is_composed(last + 1) {
            return Err(missing());
        }
        Ok(())
    }
}
