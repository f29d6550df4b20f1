//! `TEXT`: the entry of every stored record, at the offset its row gives:
//! the composition id (headers only), the code front-coded against the
//! parent's (shared length, suffix), the title's content-word count, the
//! count of title words shared with the parent's title (when flagged), the
//! title's own words, and the notes (when flagged). Texts are encoded with
//! the piece dictionary ([`super::words`]). A composed record has no entry:
//! its code and title are made from its header and labels.

use super::{format, words::Words, Pack, Row};
use crate::error::PackError;
use crate::model::NoteKind;
use crate::varint;

/// A content-word count not read yet (see `Pack::content_words`).
const UNREAD: u8 = u8::MAX;

/// The content-word counts of a pack's stored records, by row, kept as they
/// are read (`UNREAD` until then).
#[derive(Debug, Default)]
pub(crate) struct ContentWords(std::sync::OnceLock<Vec<std::sync::atomic::AtomicU8>>);

/// A copy reads afresh: the counts are only a saving.
impl Clone for ContentWords {
    fn clone(&self) -> Self {
        ContentWords::default()
    }
}

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "TEXT", detail }
}

impl Pack<'_> {
    /// Where a stored record's code part begins.
    fn entry_start(&self, row: &Row) -> Result<usize, PackError> {
        let mut pos = row.payload as usize;
        if row.has_label_set {
            varint::read(self.text, &mut pos).ok_or(corrupt("label set id truncated"))?;
        }
        Ok(pos)
    }

    /// The code part: bytes shared with the parent's code, and the suffix.
    fn code_part(&self, row: &Row) -> Result<(usize, &str), PackError> {
        let mut pos = self.entry_start(row)?;
        let shared = varint::read_u32(self.text, &mut pos).ok_or(corrupt("code truncated"))? as usize;
        let len = varint::read_u32(self.text, &mut pos).ok_or(corrupt("code truncated"))? as usize;
        let bytes = self.text.get(pos..pos.saturating_add(len)).ok_or(corrupt("code truncated"))?;
        // Every code is ASCII (the writer refuses others).
        if !bytes.is_ascii() {
            return Err(corrupt("code is not ASCII"));
        }
        let suffix = std::str::from_utf8(bytes).map_err(|_| corrupt("code is not ASCII"))?;
        Ok((shared, suffix))
    }

    /// Where the title part begins (after the code part).
    fn title_start(&self, row: &Row) -> Result<usize, PackError> {
        let mut pos = self.entry_start(row)?;
        varint::read_u32(self.text, &mut pos).ok_or(corrupt("code truncated"))?;
        let len = varint::read_u32(self.text, &mut pos).ok_or(corrupt("code truncated"))? as usize;
        let end = pos.saturating_add(len);
        if end > self.text.len() {
            return Err(corrupt("code truncated"));
        }
        Ok(end)
    }

    /// The official (display) form of the code of record `id` (`E11.9`).
    pub fn code(&self, id: u32) -> Result<String, PackError> {
        // Codes are front-coded against the parent's code: decode the chain
        // from the top down.
        let chain = self.ancestors_and_self(id)?;
        let mut code = String::new();
        for &c in chain.iter().rev() {
            let row = self.row(c)?;
            if row.composed {
                let (_, labels) = self.composed_labels(c)?;
                code = self.compose_code(&code, &labels)?;
            } else {
                let (shared, suffix) = self.code_part(&row)?;
                if shared > code.len() || !code.is_char_boundary(shared) {
                    return Err(corrupt("code prefix longer than the parent's code"));
                }
                code.truncate(shared);
                code.push_str(suffix);
            }
        }
        Ok(code)
    }

    /// The normalized form of the code of record `id` (`E119`).
    pub fn normalized_code(&self, id: u32) -> Result<String, PackError> {
        Ok(self.code(id)?.chars().filter(|c| *c != '.').collect())
    }

    fn compose_code(&self, parent_code: &str, labels: &[u32]) -> Result<String, PackError> {
        let mut normalized: String = parent_code.chars().filter(|c| *c != '.').collect();
        if self.compose.style == format::COMPOSE_SEVENTH {
            while normalized.len() < self.compose.pad_to as usize {
                normalized.push(self.compose.placeholder as char);
            }
        }
        for &l in labels {
            normalized.push(self.label_char(l)?);
        }
        let dot = self.compose.dot_after as usize;
        if dot > 0 && normalized.len() > dot && normalized.is_char_boundary(dot) {
            normalized.insert(dot, '.');
        }
        Ok(normalized)
    }

    /// The title of record `id`, as the code book prints it.
    pub fn title(&self, id: u32) -> Result<String, PackError> {
        let row = self.row(id)?;
        if let Some(title) = self.title_in_force(id) {
            return Ok(title.to_string());
        }
        if row.composed {
            let (header, labels) = self.composed_labels(id)?;
            let label_texts = labels.iter().map(|&l| self.label(l)).collect::<Result<Vec<_>, _>>()?;
            if self.compose.style == format::COMPOSE_AXES {
                let chain = self.ancestry(header)?;
                let heads = chain.iter().map(|&a| self.title(a)).collect::<Result<Vec<_>, _>>()?;
                return Ok(crate::pcs::compose_title(&self.code(header)?, &heads, &label_texts));
            }
            let mut title = self.title(header)?;
            for (_, text) in label_texts {
                title.push_str(", ");
                title.push_str(&text);
            }
            return Ok(title);
        }
        self.stored_title(&row, 0)
    }

    /// A stored record's title: the first `shared` words of its parent's
    /// title (decoded up the chain), then its own words.
    fn stored_title(&self, row: &Row, depth: usize) -> Result<String, PackError> {
        let mut pos = self.title_start(row)?;
        varint::read(self.text, &mut pos).ok_or(corrupt("title truncated"))?;
        let shared =
            if row.title_shared { varint::read(self.text, &mut pos).ok_or(corrupt("title truncated"))? } else { 0 };
        let own = self.words.decode_text(self.text, &mut pos, "TEXT")?;
        if shared == 0 {
            return Ok(own);
        }
        if depth > super::MAX_DEPTH {
            return Err(corrupt("title chain too long"));
        }
        let parent = row.parent.ok_or(corrupt("a title shares words with a missing parent"))?;
        let parent_row = self.row(parent)?;
        if parent_row.composed {
            return Err(corrupt("a title shares words with a composed parent"));
        }
        let parent_title = self.stored_title(&parent_row, depth + 1)?;
        let mut words = parent_title.split(' ');
        let mut title = String::with_capacity(parent_title.len() + own.len() + 1);
        for i in 0..shared {
            let word = words.next().ok_or(corrupt("a title shares more words than its parent has"))?;
            if i > 0 {
                title.push(' ');
            }
            title.push_str(word);
        }
        if !own.is_empty() {
            title.push(' ');
            title.push_str(&own);
        }
        Ok(title)
    }

    /// Number of content words in the title of record `id` (not stop
    /// words, not "unspecified"-like words; see
    /// [`crate::normalize::content_words`]), read without decoding the title.
    /// A count above 254 reads as 254.
    pub fn content_words(&self, id: u32) -> Result<u32, PackError> {
        if self.is_composed(id) {
            let (header, labels) = self.composed_labels(id)?;
            let mut n = self.content_words(header)?;
            for l in labels {
                n = n.saturating_add(self.label_content_words(l)?);
            }
            return Ok(n);
        }
        if id >= self.record_count {
            return Err(PackError::RecordOutOfRange { id, count: self.record_count });
        }
        let index = self.composed.map_or(id, |bits| bits.rank0(id));
        let counts = self
            .content_words
            .0
            .get_or_init(|| (0..self.rows.count).map(|_| std::sync::atomic::AtomicU8::new(UNREAD)).collect());
        let known = counts.get(index as usize).ok_or(corrupt("row out of range"))?;
        let n = known.load(std::sync::atomic::Ordering::Relaxed);
        if n != UNREAD {
            return Ok(u32::from(n));
        }
        let mut pos = self.title_start(&self.stored_row(id)?)?;
        let n = varint::read_u32(self.text, &mut pos).ok_or(corrupt("title truncated"))?;
        // Counts past 254 (none in the books) read as 254: `UNREAD` is 255.
        let n = n.min(u32::from(UNREAD) - 1) as u8;
        known.store(n, std::sync::atomic::Ordering::Relaxed);
        Ok(u32::from(n))
    }

    /// The notes of record `id` (its own, not its ancestors'), in book order.
    pub fn notes(&self, id: u32) -> Result<Vec<(NoteKind, String)>, PackError> {
        let row = self.row(id)?;
        if row.composed {
            let (_, labels) = self.composed_labels(id)?;
            let mut notes = Vec::new();
            for l in labels {
                notes.extend(self.label_notes(l)?);
            }
            return Ok(notes);
        }
        if !row.has_notes {
            return Ok(Vec::new());
        }
        let mut pos = self.title_start(&row)?;
        for _ in 0..1 + u8::from(row.title_shared) {
            // content words, and the count of words shared with the parent
            varint::read(self.text, &mut pos).ok_or(corrupt("title truncated"))?;
        }
        Words::skip_text(self.text, &mut pos, "TEXT")?;
        self.words.decode_notes(self.text, &mut pos, "TEXT")
    }
}

/// The writer's side of an entry: see the module comment for the order.
#[cfg(feature = "compiler")]
pub(crate) struct EntryWriter<'d> {
    pub(crate) dictionary: &'d super::words::Dictionary,
}

#[cfg(feature = "compiler")]
impl EntryWriter<'_> {
    /// Appends the entry of a stored record to `text`; returns the row
    /// flags it implies (`FLAG_TITLE_SHARED`, `FLAG_HAS_NOTES`,
    /// `FLAG_LABEL_SET`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn write(
        &self,
        text: &mut Vec<u8>,
        composition_id: Option<u32>,
        code: &str,
        parent_code: &str,
        title: &str,
        parent_title: Option<&str>,
        notes: &[(NoteKind, String)],
    ) -> u32 {
        let mut flags = 0;
        if let Some(set) = composition_id {
            flags |= format::FLAG_LABEL_SET;
            varint::write(text, u64::from(set));
        }
        let shared = code.bytes().zip(parent_code.bytes()).take_while(|(x, y)| x == y).count();
        varint::write(text, shared as u64);
        varint::write(text, (code.len() - shared) as u64);
        text.extend_from_slice(&code.as_bytes()[shared..]);
        varint::write(text, u64::from(crate::normalize::content_words(title)));
        // The title's first words, when they are the parent's first words,
        // are stored as their count ("Type 2 diabetes mellitus with …"
        // under "Type 2 diabetes mellitus").
        let pieces: Vec<&str> = title.split(' ').filter(|p| !p.is_empty()).collect();
        let shared_pieces = parent_title
            .map_or(0, |p| p.split(' ').filter(|w| !w.is_empty()).zip(&pieces).take_while(|(a, b)| a == *b).count());
        if shared_pieces > 0 {
            flags |= format::FLAG_TITLE_SHARED;
            varint::write(text, shared_pieces as u64);
        }
        self.dictionary.encode(&pieces[shared_pieces..].join(" "), text);
        if !notes.is_empty() {
            flags |= format::FLAG_HAS_NOTES;
            self.dictionary.encode_notes(notes, text);
        }
        flags
    }
}
