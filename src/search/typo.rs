//! Typo tolerance: a word of the query that no term of the books has is
//! corrected to the nearest terms of the dictionary, by Damerau–Levenshtein
//! distance (optimal string alignment: a swap of neighbours, `hypertnesion`,
//! is one edit, where `fst`'s own Levenshtein automaton counts two).
//!
//! Only words that match nothing are corrected, so an exact word always
//! wins over a fuzzy one; a word of 4 to 7 letters may be one edit away,
//! a longer one two. The automaton walks the `TERM` fst directly: its state
//! is the last two rows of the edit-distance table, and a branch is left as
//! soon as every cell of the row exceeds the budget.

use crate::pack::Pack;

/// Edits allowed for a word of `len` bytes: none under 4, one up to 7, two
/// from 8.
pub fn budget(len: usize) -> u8 {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// An `fst` automaton matching the keys within `max` edits of `query`.
#[derive(Debug, Clone)]
pub struct Damerau<'q> {
    query: &'q [u8],
    max: u8,
}

/// The automaton's state: the previous and current rows of the table and
/// the last byte read (`None` when the branch is dead).
#[derive(Debug, Clone)]
pub struct Rows {
    previous: Vec<u8>,
    current: Vec<u8>,
    last: Option<u8>,
}

impl<'q> Damerau<'q> {
    pub fn new(query: &'q str, max: u8) -> Damerau<'q> {
        Damerau { query: query.as_bytes(), max }
    }
}

impl fst::Automaton for Damerau<'_> {
    type State = Option<Rows>;

    fn start(&self) -> Option<Rows> {
        let current = (0..=self.query.len()).map(|i| i.min(u8::MAX as usize) as u8).collect();
        Some(Rows { previous: Vec::new(), current, last: None })
    }

    fn is_match(&self, state: &Option<Rows>) -> bool {
        state.as_ref().is_some_and(|s| s.current.last().is_some_and(|&d| d <= self.max))
    }

    fn can_match(&self, state: &Option<Rows>) -> bool {
        state.as_ref().is_some_and(|s| s.current.iter().any(|&d| d <= self.max))
    }

    fn accept(&self, state: &Option<Rows>, byte: u8) -> Option<Rows> {
        let s = state.as_ref()?;
        let q = self.query;
        let mut next = Vec::with_capacity(q.len() + 1);
        next.push(s.current[0].saturating_add(1));
        for j in 1..=q.len() {
            let substitute = s.current[j - 1].saturating_add(u8::from(q[j - 1] != byte));
            let mut d = substitute.min(s.current[j].saturating_add(1)).min(next[j - 1].saturating_add(1));
            // A swap of neighbours: the key's last two bytes are the query's
            // two at j-2, j-1 the other way round.
            if j > 1 && !s.previous.is_empty() && s.last == Some(q[j - 1]) && q[j - 2] == byte {
                d = d.min(s.previous[j - 2].saturating_add(1));
            }
            next.push(d);
        }
        if next.iter().all(|&d| d > self.max) {
            return None;
        }
        Some(Rows { previous: s.current.clone(), current: next, last: Some(byte) })
    }
}

/// The best corrections of a term key in the packs' dictionaries: the keys
/// at the smallest distance within the word's budget, most frequent first
/// (at most `limit`). Empty when the word is too short or nothing is near.
pub fn corrections(packs: &[&Pack<'_>], key: &str, limit: usize) -> Vec<String> {
    corrections_within(packs, key, limit, Budget::Typed)
}

/// How far a correction may be from the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// A query being typed: the word's [`budget`], anywhere in the word.
    Typed,
    /// A word of a note: one edit, after the first letter. A note's long
    /// unknown words are many (drug and place names), each walk costs a
    /// millisecond over the whole dictionary and a twentieth of it under
    /// one letter, and people seldom get a word's first letter wrong
    /// (Yannakoudakis & Fawthrop, 1983).
    Written,
}

/// [`corrections`] within `budget`.
pub fn corrections_within(packs: &[&Pack<'_>], key: &str, limit: usize, budget: Budget) -> Vec<String> {
    let (max, under) = match budget {
        Budget::Typed => (self::budget(key.len()), ""),
        Budget::Written => (self::budget(key.len()).min(1), key.get(..1).unwrap_or("")),
    };
    if max == 0 || !key.is_ascii() {
        return Vec::new();
    }
    let mut found: Vec<(u8, u32, String)> = Vec::new();
    for pack in packs {
        pack.for_terms_matching(under, Damerau::new(key, max), |term, doc_freq| {
            let d = distance(key.as_bytes(), term.as_bytes());
            match found.iter_mut().find(|f| f.2 == term) {
                Some(f) => f.1 = f.1.saturating_add(doc_freq),
                None => found.push((d, doc_freq, term.to_string())),
            }
            // A dictionary has a few thousand keys near any word at most;
            // stop collecting long before that.
            found.len() < 256
        });
    }
    let Some(best) = found.iter().map(|f| f.0).min() else { return Vec::new() };
    found.retain(|f| f.0 == best);
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    found.into_iter().take(limit).map(|f| f.2).collect()
}

/// How many corrections [`RecentCorrections`] keeps: the unknown words of
/// a long note, or of the queries of a session.
const RECENT_CORRECTIONS: usize = 256;

/// The corrections of the latest unknown words. A correction walks the
/// whole dictionary (most of a search's time), and the same unknown word
/// is read again and again: at every keystroke after it while a query is
/// typed, and in every phrase of a note that holds it. Kept by the code
/// book, by the books searched, the word, the budget and the limit.
pub type RecentCorrections = super::recent::Recent<CorrectionKey, Vec<String>, RECENT_CORRECTIONS>;

/// What a correction depends on: the books searched, the word, the budget
/// and how many are kept.
type CorrectionKey = (Vec<&'static str>, String, Budget, usize);

/// [`corrections_within`], from the recent corrections or walked.
pub fn recent_corrections(
    recent: &RecentCorrections,
    packs: &[&Pack<'_>],
    key: &str,
    limit: usize,
    budget: Budget,
) -> Vec<String> {
    let systems: Vec<&'static str> = packs.iter().map(|p| p.system().id).collect();
    let found = recent.get_or((systems, key.to_string(), budget, limit), || {
        Ok::<_, std::convert::Infallible>(corrections_within(packs, key, limit, budget))
    });
    found.unwrap_or_default()
}

/// An automaton over whole keys that accepts a key when one of its
/// prefixes is within `max` edits of `query`: the word being typed, whose
/// typo is in what has been typed so far ("hypertnsi" begins
/// "hypertension"). Once a prefix is near, every key under it is accepted.
#[derive(Debug, Clone)]
pub struct PrefixDamerau<'q>(Damerau<'q>);

impl fst::Automaton for PrefixDamerau<'_> {
    /// The inner state, and whether a prefix so far was near.
    type State = (Option<Rows>, bool);

    fn start(&self) -> Self::State {
        (self.0.start(), false)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.1 || self.0.is_match(&state.0)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.1 || self.0.can_match(&state.0)
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        if state.1 {
            return (None, true);
        }
        let near = self.0.is_match(&state.0);
        if near {
            return (None, true);
        }
        (self.0.accept(&state.0, byte), false)
    }
}

/// The best corrections of a word being typed: prefixes of dictionary keys
/// within the word's budget of what was typed, nearest first, then the
/// one that begins the most records ("hypertnsi" → "hypertensi"). At most
/// `limit`; empty when the word is too short or nothing is near.
pub fn prefix_corrections(packs: &[&Pack<'_>], typed: &str, limit: usize) -> Vec<String> {
    let max = budget(typed.len());
    if max == 0 || !typed.is_ascii() {
        return Vec::new();
    }
    let query = typed.as_bytes();
    // Corrected prefix → (distance, records under it).
    let mut found: Vec<(u8, u32, String)> = Vec::new();
    let mut seen = 0usize;
    for pack in packs {
        pack.for_terms_matching("", PrefixDamerau(Damerau::new(typed, max)), |term, doc_freq| {
            // The nearest prefix of the term, the longest of equals (it is
            // what the user meant to have typed).
            let bytes = term.as_bytes();
            let lo = query.len().saturating_sub(usize::from(max)).max(1);
            let hi = (query.len() + usize::from(max)).min(bytes.len());
            let best = (lo..=hi).map(|i| (distance(query, &bytes[..i]), std::cmp::Reverse(i))).min();
            if let Some((d, std::cmp::Reverse(i))) = best.filter(|b| b.0 <= max) {
                let prefix = &term[..i];
                match found.iter_mut().find(|f| f.2 == prefix) {
                    Some(f) => f.1 = f.1.saturating_add(doc_freq),
                    None => found.push((d, doc_freq, prefix.to_string())),
                }
            }
            seen += 1;
            // Enough to tell the common completions; the walk stops here.
            seen < 4_096
        });
    }
    let Some(best) = found.iter().map(|f| f.0).min() else { return Vec::new() };
    found.retain(|f| f.0 == best);
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    found.into_iter().take(limit).map(|f| f.2).collect()
}

/// The optimal-string-alignment distance of two byte strings.
pub fn distance(a: &[u8], b: &[u8]) -> u8 {
    let (n, m) = (a.len(), b.len());
    let mut rows = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[n][m].min(u8::MAX as usize) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Streamer};

    fn near(keys: &[&str], query: &str, max: u8) -> Vec<String> {
        let mut sorted: Vec<&str> = keys.to_vec();
        sorted.sort_unstable();
        let set = fst::Set::from_iter(sorted).unwrap();
        let mut stream = set.search(Damerau::new(query, max)).into_stream();
        let mut out = Vec::new();
        while let Some(k) = stream.next() {
            out.push(String::from_utf8(k.to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(distance(b"hypertension", b"hypertnesion"), 1);
        assert_eq!(distance(b"pneumonia", b"pnuemonia"), 1);
        assert_eq!(distance(b"diabetes", b"diabetis"), 1);
        assert_eq!(distance(b"hypertension", b"hypertnsion"), 1);
        assert_eq!(distance(b"abc", b"cba"), 2);
        let keys = ["hypertension", "hypotension", "pneumonia", "pneumonitis", "diabetes"];
        assert_eq!(near(&keys, "hypertnesion", 1), vec!["hypertension"]);
        assert_eq!(near(&keys, "pnuemonia", 1), vec!["pneumonia"]);
        assert_eq!(near(&keys, "hypertnsion", 2), vec!["hypertension"]);
        assert!(near(&keys, "zzzzzzzz", 2).is_empty());
    }

    #[test]
    fn the_automaton_agrees_with_the_distance() {
        let words = ["fracture", "fractures", "fracturs", "farcture", "fraction", "tractor", "frature", "ractures"];
        for q in words {
            for max in 0..=2 {
                let got = near(&words, q, max);
                let mut want: Vec<String> = words
                    .iter()
                    .filter(|w| distance(q.as_bytes(), w.as_bytes()) <= max)
                    .map(|w| w.to_string())
                    .collect();
                want.sort();
                want.dedup();
                assert_eq!(got, want, "{q} within {max}");
            }
        }
    }

    #[test]
    fn a_prefix_near_the_typed_text_accepts_its_keys() {
        let keys = ["hypertension", "hypertensive", "hypotension", "pneumonia"];
        let mut sorted: Vec<&str> = keys.to_vec();
        sorted.sort_unstable();
        let set = fst::Set::from_iter(sorted).unwrap();
        let mut stream = set.search(PrefixDamerau(Damerau::new("hypertnsi", 2))).into_stream();
        let mut out = Vec::new();
        while let Some(k) = stream.next() {
            out.push(String::from_utf8(k.to_vec()).unwrap());
        }
        assert_eq!(out, vec!["hypertension", "hypertensive"]);
    }

    #[test]
    fn budgets_follow_word_length() {
        assert_eq!((budget(3), budget(4), budget(7), budget(8)), (0, 1, 1, 2));
    }
}
