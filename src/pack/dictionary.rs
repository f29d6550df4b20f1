//! `TERM`: the term dictionary, front-coded. Each term key (a word's stem)
//! is stored as the bytes it shares with the key before it and the bytes
//! that follow; every [`format::TERM_BLOCK`]-th key is stored whole, so a
//! lookup is a binary search over those block heads and a short scan. Each
//! term's postings list length in `POST` follows in a stream of its own.
//!
//! Why not an `fst` map, as the code map is: what is served is the gzip of
//! the module, and gzip squeezes a sorted, front-coded word list to half
//! of what it makes of the same words as an `fst` (whose node bytes and
//! per-key values look random to it): about 55 KB less for ICD-10-CM. The
//! dictionary still walks keys in order with an `fst::Automaton` (typo
//! tolerance), sharing the automaton's states along common prefixes and
//! skipping every key under a prefix the automaton has given up on.
//!
//! Layout: u32 term count, u32 byte length of the key stream, the key
//! stream (per term: varint shared bytes, varint suffix length, suffix),
//! then the length stream (per term: varint byte length of its `POST`
//! list). [`TermDictionary::parse`] walks it all once at open and checks it
//! against `POST` and `PFLD`, keeping where each block starts in the four
//! streams.

use super::format;
use super::terms::TermRef;
use crate::error::PackError;
use crate::varint;

/// Where a block of terms starts in the key and length streams, `POST` and
/// `PFLD`.
#[derive(Debug, Clone, Copy)]
struct Block {
    key: u32,
    length: u32,
    postings: u32,
    fields: u32,
}

/// The term dictionary of a pack.
#[derive(Debug, Clone)]
pub(crate) struct TermDictionary<'a> {
    count: u32,
    keys: &'a [u8],
    lengths: &'a [u8],
    postings: &'a [u8],
    blocks: Vec<Block>,
}

/// A position in the dictionary: the key read last and where the next
/// term starts.
struct Cursor {
    key: Vec<u8>,
    /// Bytes the last key shares with the one before it.
    shared: usize,
    index: u32,
    at: Block,
}

impl<'a> TermDictionary<'a> {
    /// Parses `TERM` and checks all of it: keys strictly ascending, UTF-8,
    /// block heads whole; lists that tile `POST`, each with a count its
    /// bytes can hold; counts that add up to `PFLD`'s length.
    pub(crate) fn parse(bytes: &'a [u8], postings: &'a [u8], fields: &[u8]) -> Result<TermDictionary<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "TERM", detail };
        let count = super::read_u32(bytes, 0).ok_or_else(|| corrupt("truncated"))?;
        let keys_len = super::read_u32(bytes, 4).ok_or_else(|| corrupt("truncated"))? as usize;
        let keys = bytes.get(8..8usize.saturating_add(keys_len)).ok_or_else(|| corrupt("key stream truncated"))?;
        let lengths = &bytes[8 + keys_len..];
        let mut dict = TermDictionary { count, keys, lengths, postings, blocks: Vec::new() };
        let mut cursor = dict.cursor(0);
        let mut previous: Vec<u8> = Vec::new();
        for i in 0..count {
            let head = i as usize % format::TERM_BLOCK == 0;
            if head {
                dict.blocks.push(cursor.at);
            }
            dict.step(&mut cursor, true).map_err(corrupt)?;
            if head && cursor.shared != 0 {
                return Err(corrupt("a block's first key is not whole"));
            }
            if i > 0 && cursor.key <= previous {
                return Err(corrupt("keys not strictly ascending"));
            }
            if std::str::from_utf8(&cursor.key).is_err() {
                return Err(corrupt("a key is not UTF-8"));
            }
            previous.clone_from(&cursor.key);
        }
        if cursor.at.key as usize != keys.len() || cursor.at.length as usize != lengths.len() {
            return Err(corrupt("streams longer than their terms"));
        }
        if cursor.at.postings as usize != postings.len() {
            return Err(PackError::Corrupt { section: "POST", detail: "lists do not cover the section exactly" });
        }
        if cursor.at.fields as usize != fields.len() {
            return Err(PackError::Corrupt { section: "PFLD", detail: "not one byte per posting" });
        }
        Ok(dict)
    }

    /// Number of terms.
    pub(crate) fn len(&self) -> usize {
        self.count as usize
    }

    /// A cursor before the first term of block `b`.
    fn cursor(&self, b: usize) -> Cursor {
        let at = self.blocks.get(b).copied().unwrap_or(Block { key: 0, length: 0, postings: 0, fields: 0 });
        Cursor { key: Vec::new(), shared: 0, index: (b * format::TERM_BLOCK) as u32, at }
    }

    /// Reads the next term at `cursor` (its key into `cursor.key`). With
    /// `check`, every bound is verified (at open); after that the walk of
    /// open guarantees them, and a failure reads as the end.
    fn step(&self, cursor: &mut Cursor, check: bool) -> Result<TermRef, &'static str> {
        let mut pos = cursor.at.key as usize;
        let shared = varint::read(self.keys, &mut pos).ok_or("key truncated")? as usize;
        let suffix = varint::read(self.keys, &mut pos).ok_or("key truncated")? as usize;
        let bytes = pos.checked_add(suffix).and_then(|end| self.keys.get(pos..end)).ok_or("key truncated")?;
        if shared > cursor.key.len() {
            return Err("a key shares more than the key before it has");
        }
        cursor.key.truncate(shared);
        cursor.key.extend_from_slice(bytes);
        cursor.shared = shared;
        let mut length_pos = cursor.at.length as usize;
        let len = varint::read(self.lengths, &mut length_pos).ok_or("list length truncated")?;
        let offset = cursor.at.postings as usize;
        let end = usize::try_from(len).ok().and_then(|l| offset.checked_add(l));
        let end = end.filter(|&e| e <= self.postings.len()).ok_or("a list beyond POST")?;
        let mut at = offset;
        let doc_freq = varint::read(&self.postings[..end], &mut at).ok_or("a list without its count")?;
        if check && doc_freq > (end - at) as u64 {
            return Err("a list's count does not fit its bytes");
        }
        let doc_freq = u32::try_from(doc_freq).map_err(|_| "a list's count does not fit its bytes")?;
        let term = TermRef { offset: offset as u64, fields: u64::from(cursor.at.fields), doc_freq };
        let fits = |n: usize| u32::try_from(n).map_err(|_| "offset beyond 32 bits");
        cursor.at = Block {
            key: fits(pos + suffix)?,
            length: fits(length_pos)?,
            postings: fits(end)?,
            fields: cursor.at.fields.checked_add(doc_freq).ok_or("offset beyond 32 bits")?,
        };
        cursor.index += 1;
        Ok(term)
    }

    /// The next term at `cursor`, `None` at the end.
    fn next(&self, cursor: &mut Cursor) -> Option<TermRef> {
        if cursor.index >= self.count {
            return None;
        }
        self.step(cursor, false).ok()
    }

    /// The whole key heading block `b`.
    fn head(&self, b: usize) -> &'a [u8] {
        let Some(block) = self.blocks.get(b) else { return &[] };
        let mut pos = block.key as usize;
        let _shared = varint::read(self.keys, &mut pos);
        let suffix = varint::read(self.keys, &mut pos).unwrap_or(0) as usize;
        self.keys.get(pos..pos + suffix).unwrap_or(&[])
    }

    /// The last block whose head is at most `key` (0 when none is).
    fn block_of(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.blocks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.head(mid) <= key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.saturating_sub(1)
    }

    /// The term `key`.
    pub(crate) fn get(&self, key: &str) -> Option<TermRef> {
        let key = key.as_bytes();
        let mut cursor = self.cursor(self.block_of(key));
        for _ in 0..format::TERM_BLOCK {
            let term = self.next(&mut cursor)?;
            match cursor.key.as_slice().cmp(key) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => return Some(term),
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }

    /// Calls `f` with every term starting with `prefix`, in key order,
    /// until `f` returns `false`.
    pub(crate) fn for_prefix(&self, prefix: &str, mut f: impl FnMut(&str, TermRef) -> bool) {
        let prefix = prefix.as_bytes();
        let mut cursor = self.cursor(self.block_of(prefix));
        while let Some(term) = self.next(&mut cursor) {
            if cursor.key.starts_with(prefix) {
                if !f(std::str::from_utf8(&cursor.key).unwrap_or(""), term) {
                    return;
                }
            } else if cursor.key.as_slice() > prefix {
                return;
            }
        }
    }

    /// Calls `f` with every term the automaton accepts, in key order, until
    /// `f` returns `false`. The automaton's state after each prefix is kept
    /// while the keys share it, and the keys under a prefix it cannot match
    /// from are skipped, a block at a time where they span blocks.
    ///
    /// Only the keys that start with `under` are walked (all for `""`):
    /// the walk starts at its block and ends past it.
    pub(crate) fn for_matching<A: fst::Automaton>(
        &self,
        under: &[u8],
        automaton: A,
        mut f: impl FnMut(&str, TermRef) -> bool,
    ) {
        // states[i]: the state after the key's first i bytes.
        let mut states = vec![automaton.start()];
        // The length of a prefix the automaton gave up on, if any.
        let mut dead: Option<usize> = None;
        let mut cursor = self.cursor(self.block_of(under));
        while let Some(term) = self.next(&mut cursor) {
            if !cursor.key.starts_with(under) {
                if cursor.key.as_slice() > under {
                    return;
                }
                continue;
            }
            if let Some(d) = dead {
                if cursor.shared >= d {
                    // Under the dead prefix: skip whole blocks that are.
                    let prefix = &cursor.key[..d];
                    let next_block = cursor.index as usize / format::TERM_BLOCK + 1;
                    let after = self.first_block_after(prefix);
                    if after > next_block {
                        cursor = self.cursor(after - 1);
                        states.truncate(1);
                        dead = None;
                    }
                    continue;
                }
                dead = None;
            }
            let keep = cursor.shared.min(states.len() - 1);
            states.truncate(keep + 1);
            let mut alive = true;
            for i in keep..cursor.key.len() {
                let next = automaton.accept(&states[i], cursor.key[i]);
                let can = automaton.can_match(&next);
                states.push(next);
                if !can {
                    dead = Some(i + 1);
                    alive = false;
                    break;
                }
            }
            if alive
                && automaton.is_match(&states[cursor.key.len()])
                && !f(std::str::from_utf8(&cursor.key).unwrap_or(""), term)
            {
                return;
            }
        }
    }

    /// The first block whose head does not start with `prefix` and sorts
    /// after it (the block count when none does).
    fn first_block_after(&self, prefix: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.blocks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let head = self.head(mid);
            if head <= prefix || head.starts_with(prefix) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Writes `TERM` for keys in ascending order with their lists' byte
/// lengths in `POST`.
#[cfg(feature = "compiler")]
pub(crate) fn write(terms: &[(&[u8], usize)]) -> Vec<u8> {
    let mut keys = Vec::new();
    let mut lengths = Vec::new();
    let mut previous: &[u8] = &[];
    for (i, &(key, len)) in terms.iter().enumerate() {
        let shared =
            if i % format::TERM_BLOCK == 0 { 0 } else { key.iter().zip(previous).take_while(|(a, b)| a == b).count() };
        varint::write(&mut keys, shared as u64);
        varint::write(&mut keys, (key.len() - shared) as u64);
        keys.extend_from_slice(&key[shared..]);
        varint::write(&mut lengths, len as u64);
        previous = key;
    }
    let mut out = (terms.len() as u32).to_le_bytes().to_vec();
    out.extend((keys.len() as u32).to_le_bytes());
    out.extend(keys);
    out.extend(lengths);
    out
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::super::terms::{write_postings, Posting};
    use super::*;
    use fst::Automaton;

    /// A dictionary of `words`, the i-th with a list of i + 1 postings.
    fn build(words: &[&str]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let (mut postings, mut fields, mut terms) = (Vec::new(), Vec::new(), Vec::new());
        for (i, w) in words.iter().enumerate() {
            let list: Vec<Posting> =
                (0..=i as u32).map(|id| Posting { id, field: 0, billable: false, entry: 0, head: false }).collect();
            let start = postings.len();
            write_postings(&mut postings, &mut fields, &list);
            terms.push((w.as_bytes(), postings.len() - start));
        }
        (write(&terms), postings, fields)
    }

    fn words() -> Vec<String> {
        // Over three blocks, with long shared prefixes across block heads.
        let mut w: Vec<String> = ["fracture", "fractured", "fragile", "frail", "heart", "hearth", "hypertension"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        w.extend((0..30).map(|i| format!("fracx{i:02}")));
        w.sort();
        w
    }

    #[test]
    fn lookups_prefixes_and_automata() {
        let w = words();
        let refs: Vec<&str> = w.iter().map(String::as_str).collect();
        let (term, postings, fields) = build(&refs);
        let dict = TermDictionary::parse(&term, &postings, &fields).unwrap();
        assert_eq!(dict.len(), w.len());
        for (i, word) in w.iter().enumerate() {
            assert_eq!(dict.get(word).map(|t| t.doc_freq), Some(i as u32 + 1), "{word}");
        }
        assert!(dict.get("fra").is_none() && dict.get("zzz").is_none() && dict.get("").is_none());
        let mut seen = Vec::new();
        dict.for_prefix("frac", |k, _| {
            seen.push(k.to_string());
            true
        });
        assert_eq!(seen.len(), 32);
        assert!(seen.windows(2).all(|p| p[0] < p[1]) && seen[0] == "fracture");
        let mut seen = Vec::new();
        dict.for_matching(b"", fst::automaton::Str::new("fracx1").starts_with(), |k, t| {
            seen.push((k.to_string(), t.doc_freq));
            true
        });
        assert_eq!(seen.len(), 10);
        let typo = crate::search::typo::Damerau::new("hypretension", 2);
        let mut seen = Vec::new();
        dict.for_matching(b"", typo, |k, _| {
            seen.push(k.to_string());
            true
        });
        assert_eq!(seen, vec!["hypertension"]);
        // Under a prefix: only its keys, from its block on; none under
        // another, even where the automaton would match there.
        let under = |prefix: &[u8], query: &str| {
            let mut seen = Vec::new();
            dict.for_matching(prefix, crate::search::typo::Damerau::new(query, 1), |k, _| {
                seen.push(k.to_string());
                true
            });
            seen
        };
        let mut near = vec!["fracx02".to_string(), "fracx12".to_string()];
        near.extend((20..30).map(|i| format!("fracx{i}")));
        assert_eq!(under(b"f", "fracx2"), near);
        assert_eq!(under(b"h", "fracx2"), Vec::<String>::new());
        assert_eq!(under(b"h", "heartt"), vec!["heart", "hearth"]);
    }

    #[test]
    fn forged_dictionaries_are_refused() {
        let (term, postings, fields) = build(&["a", "b", "c"]);
        assert!(TermDictionary::parse(&term, &postings, &fields).is_ok());
        // Keys out of order; lists that do not cover POST; fields short.
        let (unsorted, p2, f2) = build(&["b", "a", "c"]);
        assert!(TermDictionary::parse(&unsorted, &p2, &f2).is_err());
        assert!(TermDictionary::parse(&term, &postings[..postings.len() - 1], &fields).is_err());
        assert!(TermDictionary::parse(&term, &postings, &fields[1..]).is_err());
        assert!(TermDictionary::parse(&term[..term.len() - 1], &postings, &fields).is_err());
        // Every truncation and every single-byte change: an error or a
        // dictionary that answers without panicking.
        for cut in 0..term.len() {
            let _ = TermDictionary::parse(&term[..cut], &postings, &fields);
        }
        for i in 0..term.len() {
            for v in [0u8, 1, 0x7F, 0x80, 0xFF] {
                let mut forged = term.clone();
                forged[i] = v;
                if let Ok(d) = TermDictionary::parse(&forged, &postings, &fields) {
                    let _ = d.get("b");
                    d.for_prefix("", |_, _| true);
                }
            }
        }
    }
}
