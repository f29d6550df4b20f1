//! `WORD`, the piece dictionary of the compact text encoding, and the
//! encoded texts that refer to it.
//!
//! A text (a title, a note, a label) is stored as a varint piece count and
//! one varint piece id per space-separated piece. Pieces are numbered by
//! falling frequency, so the commonest take one byte. The section holds the
//! piece count, the offset of every [`format::WORD_BLOCK`]-th piece, then
//! each piece as varint length + UTF-8 bytes.

use super::{format, read_u32};
use crate::error::PackError;
use crate::model::NoteKind;
use crate::varint;

/// See [`format::MAX_TEXT_PIECES`].
const MAX_PIECES: u64 = format::MAX_TEXT_PIECES as u64;

/// The opened `WORD` section.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words<'a> {
    count: u32,
    samples: &'a [u8],
    data: &'a [u8],
}

impl<'a> Words<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Words<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "WORD", detail };
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no piece count"))?;
        let samples_len = (count.div_ceil(format::WORD_BLOCK) as usize + 1) * 4;
        let samples = bytes.get(4..4 + samples_len).ok_or_else(|| corrupt("offset samples truncated"))?;
        let data = &bytes[4 + samples_len..];
        if read_u32(samples, samples_len - 4).map(|v| v as usize) != Some(data.len()) {
            return Err(corrupt("last offset does not end the data"));
        }
        Ok(Words { count, samples, data })
    }

    /// Piece `id`; `section` names the section whose text referred to it.
    fn piece(&self, id: u32, section: &'static str) -> Result<&'a str, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "WORD", detail };
        if id >= self.count {
            return Err(PackError::Corrupt { section, detail: "word id out of range" });
        }
        let mut pos = read_u32(self.samples, (id / format::WORD_BLOCK) as usize * 4)
            .ok_or_else(|| corrupt("sample out of range"))? as usize;
        for _ in 0..id % format::WORD_BLOCK {
            let len = varint::read_u32(self.data, &mut pos).ok_or_else(|| corrupt("piece truncated"))?;
            pos = pos.saturating_add(len as usize);
        }
        let len = varint::read_u32(self.data, &mut pos).ok_or_else(|| corrupt("piece truncated"))? as usize;
        if len > format::MAX_PIECE_BYTES {
            return Err(corrupt("piece longer than any piece can be"));
        }
        let bytes = self.data.get(pos..pos.saturating_add(len)).ok_or_else(|| corrupt("piece truncated"))?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("word is not UTF-8"))
    }

    /// Decodes the text at `*pos` of `stream`, advancing `pos`.
    pub(crate) fn decode_text(
        &self,
        stream: &[u8],
        pos: &mut usize,
        section: &'static str,
    ) -> Result<String, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        if n > MAX_PIECES {
            return Err(corrupt("text longer than any entry can be"));
        }
        let mut out = String::new();
        for i in 0..n {
            let id = varint::read_u32(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
            if i > 0 {
                out.push(' ');
            }
            let piece = self.piece(id, section)?;
            if out.len() + piece.len() > format::MAX_TEXT_BYTES {
                return Err(corrupt("text longer than any entry can be"));
            }
            out.push_str(piece);
        }
        Ok(out)
    }

    /// Steps over the text at `*pos` without decoding it.
    pub(crate) fn skip_text(stream: &[u8], pos: &mut usize, section: &'static str) -> Result<(), PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        if n > MAX_PIECES {
            return Err(corrupt("text longer than any entry can be"));
        }
        for _ in 0..n {
            varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        }
        Ok(())
    }

    /// Decodes a note list (count, then kind byte + text each) at `*pos`.
    pub(crate) fn decode_notes(
        &self,
        stream: &[u8],
        pos: &mut usize,
        section: &'static str,
    ) -> Result<Vec<(NoteKind, String)>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("notes truncated"))?;
        if n > (stream.len().saturating_sub(*pos)) as u64 {
            return Err(corrupt("more notes than bytes"));
        }
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let kind = *stream.get(*pos).ok_or_else(|| corrupt("notes truncated"))?;
            *pos += 1;
            let kind = NoteKind::from_u8(kind).ok_or_else(|| corrupt("unknown note kind"))?;
            out.push((kind, self.decode_text(stream, pos, section)?));
        }
        Ok(out)
    }
}

/// The writer's side: every piece of every stored text, numbered by falling
/// frequency.
#[cfg(feature = "compiler")]
pub(crate) struct Dictionary {
    pieces: Vec<String>,
    ids: std::collections::HashMap<String, u32>,
}

#[cfg(feature = "compiler")]
impl Dictionary {
    /// A dictionary of the pieces of `texts` (every text the pack stores).
    pub(crate) fn build<'t>(texts: impl IntoIterator<Item = &'t str>) -> Dictionary {
        let mut counts: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for s in texts {
            for p in s.split(' ').filter(|p| !p.is_empty()) {
                *counts.entry(p).or_default() += 1;
            }
        }
        let mut pieces: Vec<(&str, u64)> = counts.into_iter().collect();
        pieces.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let pieces: Vec<String> = pieces.into_iter().map(|(p, _)| p.to_string()).collect();
        let ids = pieces.iter().enumerate().map(|(i, p)| (p.clone(), i as u32)).collect();
        Dictionary { pieces, ids }
    }

    /// Appends a text: piece count, then piece ids. Texts are stored with
    /// single spaces between pieces (the compiler collapses whitespace).
    /// Every piece must have been given to [`Dictionary::build`].
    pub(crate) fn encode(&self, s: &str, out: &mut Vec<u8>) {
        let pieces: Vec<&str> = s.split(' ').filter(|p| !p.is_empty()).collect();
        varint::write(out, pieces.len() as u64);
        for p in pieces {
            varint::write(out, u64::from(self.ids[p]));
        }
    }

    /// Appends a note list.
    pub(crate) fn encode_notes(&self, notes: &[(NoteKind, String)], out: &mut Vec<u8>) {
        varint::write(out, notes.len() as u64);
        for (kind, text) in notes {
            out.push(*kind as u8);
            self.encode(text, out);
        }
    }

    /// The `WORD` section.
    pub(crate) fn section(&self) -> Vec<u8> {
        let mut data = Vec::new();
        let mut samples = Vec::new();
        for (i, p) in self.pieces.iter().enumerate() {
            if i % format::WORD_BLOCK as usize == 0 {
                samples.push(data.len() as u32);
            }
            varint::write(&mut data, p.len() as u64);
            data.extend_from_slice(p.as_bytes());
        }
        samples.push(data.len() as u32);
        let mut out = Vec::with_capacity(4 + samples.len() * 4 + data.len());
        out.extend_from_slice(&(self.pieces.len() as u32).to_le_bytes());
        for s in samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&data);
        out
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let texts: Vec<String> = (0..40).map(|i| format!("piece{} of the text {}", i % 7, i)).collect();
        let dictionary = Dictionary::build(texts.iter().map(String::as_str));
        let section = dictionary.section();
        let words = Words::parse(&section).unwrap();
        for t in &texts {
            let mut stream = Vec::new();
            dictionary.encode(t, &mut stream);
            dictionary.encode_notes(&[(NoteKind::Includes, t.clone())], &mut stream);
            let mut pos = 0;
            assert_eq!(&words.decode_text(&stream, &mut pos, "TEST").unwrap(), t);
            let notes = words.decode_notes(&stream, &mut pos, "TEST").unwrap();
            assert_eq!(notes, vec![(NoteKind::Includes, t.clone())]);
            assert_eq!(pos, stream.len());
        }
    }

    #[test]
    fn forged_lengths_cannot_make_a_text_huge() {
        // A piece longer than any piece can be.
        let long = "x".repeat(format::MAX_PIECE_BYTES + 1);
        let dictionary = Dictionary::build([long.as_str()]);
        let section = dictionary.section();
        let words = Words::parse(&section).unwrap();
        let mut stream = Vec::new();
        dictionary.encode(&long, &mut stream);
        assert!(words.decode_text(&stream, &mut 0, "TEST").is_err());
        // Pieces each allowed, but too many bytes in all.
        let piece = "y".repeat(format::MAX_PIECE_BYTES);
        let dictionary = Dictionary::build([piece.as_str()]);
        let section = dictionary.section();
        let words = Words::parse(&section).unwrap();
        let mut stream = Vec::new();
        varint::write(&mut stream, 64);
        for _ in 0..64 {
            varint::write(&mut stream, 0);
        }
        assert!(words.decode_text(&stream, &mut 0, "TEST").is_err());
    }

    #[test]
    fn a_piece_id_past_the_dictionary_is_an_error() {
        let dictionary = Dictionary::build(["a b"]);
        let section = dictionary.section();
        let words = Words::parse(&section).unwrap();
        let stream = [1u8, 9];
        assert!(words.decode_text(&stream, &mut 0, "TEST").is_err());
        let huge = [0xFF, 0xFF, 0x03];
        assert!(words.decode_text(&huge, &mut 0, "TEST").is_err());
    }
}
