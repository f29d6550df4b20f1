//! Reading a query: which tokens are codes, which are words, and what each
//! word may match (its stem, a prefix, an abbreviation's expansions).

use super::typo::{recent_corrections, Budget, RecentCorrections};
use super::{abbreviations, vocabulary};
use crate::normalize::{self, Token};
use crate::pack::Pack;

/// Queries are cut to this many words (and as many code tokens), and words
/// to this many characters: nobody types more, and it bounds the work a
/// pasted novel can cause.
pub const MAX_WORDS: usize = 12;
/// See [`MAX_WORDS`].
pub const MAX_WORD_CHARS: usize = 48;
/// A query longer than this (in bytes) is cut before it is read.
pub const MAX_QUERY_BYTES: usize = 1024;

/// One word of the query and what it may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The word as typed, folded (reported back in `matched`).
    pub typed: String,
    /// Term keys the word matches exactly (its stem).
    pub exact: Vec<String>,
    /// The last word also matches every term it begins.
    pub prefix: Option<String>,
    /// Word groups of which every word must occur: an abbreviation's or a
    /// lay term's expansions, and a lay term's own words.
    pub phrases: Vec<Phrase>,
    /// The query negates the word ("without complications"): it then fully
    /// matches a title word that stands after "without".
    pub negated: bool,
    /// The word as corrected, when no term of the books has it as typed
    /// (`hypertnsion` → `hypertension`): `exact` then holds the corrections.
    pub corrected: Option<String>,
    /// Where the expansions come from: `"abbreviation"`, `"lay"` (a lay
    /// term of `super::vocabulary`, which may span several typed words) or
    /// `"index"` (a word a book's index reads as others: `Pack::expansions`).
    pub expansion: Option<&'static str>,
    /// Query words the slot stands for (more than one for "heart attack").
    pub words: u32,
    /// What a book's index says the word is, and where it points: a table
    /// and body part, or a table only ("appendectomy" → ("Excision,
    /// Appendix", "0DBJ"), ("Resection, Appendix", "0DTJ"):
    /// `Pack::expansions`). The search runs the query again with the word
    /// replaced by each, within the table.
    pub see: Vec<(String, String)>,
}

/// Fewest letters of a finished word read as a shortened one (see
/// `Slot::correct`): three-letter starts are too often typos or other words.
const MIN_SHORTENED: usize = 4;

/// Shortest word of a phrase (`Query::parse_phrase`, a note's words) read
/// as a typo, and then only one edit from its correction ("hypertnsion"):
/// in a note, an unknown word is more often a name, a unit, an
/// abbreviation or a word the books lack ("crackles") than a typo.
pub const MIN_PHRASE_CORRECTED: usize = 8;

/// How many records the commonest term beginning with `prefix` is posted
/// to (in the pack where it is commonest); 0 when no term begins with it.
fn commonest_completion(packs: &[&Pack<'_>], prefix: &str) -> u32 {
    let mut most = 0;
    for p in packs {
        let mut seen = 0;
        p.for_terms_with_prefix(prefix, |_, t| {
            most = most.max(t.doc_freq);
            seen += 1;
            seen < MAX_COMPLETIONS_WEIGHED
        });
    }
    most
}

/// Whether some term of the packs begins with `prefix` (the first found
/// answers).
fn begins_some_term(packs: &[&Pack<'_>], prefix: &str) -> bool {
    packs.iter().any(|p| {
        let mut begins = false;
        p.for_terms_with_prefix(prefix, |_, _| {
            begins = true;
            false
        });
        begins
    })
}

/// Whether a finished word of a phrase (`Query::parse_phrase`) can match
/// anything on its own: a term of the packs, an abbreviation, shorthand, a
/// word of the vocabulary or of the index's readings, a long word that may
/// be a typo, or a shortened word that begins terms. The suggestion engine
/// leaves the others out of a note's phrases before it searches them: most
/// of a note's words are names, numbers and talk no book holds.
pub fn may_match(word: &str, packs: &[&Pack<'_>]) -> bool {
    if vocabulary::shorthand(word).is_some() || abbreviations::expansions(word).is_some() {
        return true;
    }
    let folded = normalize::fold(word);
    if normalize::is_stop_word(&folded) {
        return false;
    }
    let key = normalize::term_key(&folded);
    let chars = folded.chars().count();
    vocabulary::is_vocabulary_word(&folded)
        || packs.iter().any(|p| p.term(&key).is_some() || !p.expansions(&key).is_empty())
        || chars >= MIN_PHRASE_CORRECTED
        || (chars >= MIN_SHORTENED && begins_some_term(packs, &folded))
}

/// How many records term `key` is posted to, over the packs.
fn doc_freq(packs: &[&Pack<'_>], key: &str) -> u32 {
    packs.iter().filter_map(|p| p.term(key)).fold(0u32, |n, t| n.saturating_add(t.doc_freq))
}

/// How much commoner a correction's word must be than the commonest word a
/// finished word begins for the word to be read as a typo, not as shortened
/// (see `Slot::correct`): shortening is done on purpose and often, so the
/// shortened reading gets the benefit of the doubt.
const SHORTENED_ODDS: u32 = 4;

/// Most completions [`commonest_completion`] looks at per pack.
const MAX_COMPLETIONS_WEIGHED: usize = 2_000;

/// Most `see` readings one word gets (and so most extra searches it runs).
const MAX_SEE: usize = 6;

/// Words that must all occur in a record for it to match a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// Their term keys, stop words left out.
    pub keys: Vec<String>,
    /// The expansion's text ("heart failure" for `chf`), for saying how a
    /// hit matched; `None` for the query's own words (a lay term's).
    pub expansion: Option<String>,
}

impl Phrase {
    fn expanding(text: &str) -> Phrase {
        let keys = normalize::tokens(text)
            .into_iter()
            .filter(|t| !normalize::is_stop_word(&t.folded))
            .map(|t| normalize::term_key(&t.folded))
            .collect();
        Phrase { keys, expansion: Some(text.to_string()) }
    }
}

impl Slot {
    fn new(word: &str, is_last: bool, negated: bool) -> Slot {
        let typed: String = word.chars().take(MAX_WORD_CHARS).collect();
        let exact = vec![normalize::term_key(&typed)];
        let prefix = is_last.then(|| typed.clone());
        let abbreviation = abbreviations::expansions(&typed);
        let phrases = abbreviation.map(|exps| exps.iter().map(|e| Phrase::expanding(e)).collect()).unwrap_or_default();
        let expansion = abbreviation.map(|_| "abbreviation");
        Slot { typed, exact, prefix, phrases, negated, corrected: None, expansion, words: 1, see: Vec::new() }
    }

    /// A slot for a lay term of one or more query words: it matches what
    /// its clinical phrases match, or the words themselves. A one-word term
    /// keeps its stem and prefix ("broken" is also a title word).
    fn lay(words: &[String], clinical: &[&'static str], is_last: bool, negated: bool) -> Slot {
        let mut slot = match words {
            [word] => Slot::new(word, is_last, negated),
            _ => Slot {
                typed: words.join(" "),
                exact: Vec::new(),
                prefix: None,
                phrases: vec![Phrase { keys: words.iter().map(|w| normalize::term_key(w)).collect(), expansion: None }],
                negated,
                corrected: None,
                expansion: None,
                words: words.len() as u32,
                see: Vec::new(),
            },
        };
        slot.phrases.extend(clinical.iter().map(|c| Phrase::expanding(c)));
        slot.expansion = Some("lay");
        slot
    }

    /// A slot for two query words that the books write as one
    /// ("chicken pox" → chickenpox, "club foot" → clubfoot, "heart burn"
    /// → heartburn): it matches the joined word, or both words.
    fn joined(first: &str, second: &str, joined_key: String, negated: bool) -> Slot {
        Slot {
            typed: format!("{first} {second}"),
            exact: vec![joined_key],
            prefix: None,
            phrases: vec![Phrase {
                keys: vec![normalize::term_key(first), normalize::term_key(second)],
                expansion: None,
            }],
            negated,
            corrected: None,
            expansion: None,
            words: 2,
            see: Vec::new(),
        }
    }

    /// A one-word slot that a book's index reads as other words
    /// ("appendectomy" → "Excision, Appendix"; `Pack::expansions`) notes
    /// them in `see`. An abbreviation or lay term keeps its own reading.
    fn expand_by_index(&mut self, packs: &[&Pack<'_>]) {
        if self.expansion.is_some() || self.words != 1 {
            return;
        }
        let Some(key) = self.exact.first() else { return };
        for p in packs {
            for text in p.expansions(key) {
                let Some((phrase, table)) = text.split_once('\t') else { continue };
                if self.see.len() < MAX_SEE && !self.see.iter().any(|s| s.0 == phrase && s.1 == table) {
                    self.see.push((phrase.to_string(), table.to_string()));
                }
            }
        }
    }

    /// The slots that stand for `phrase` in place of this one: its words,
    /// whole (the query has moved past the word being typed), each a word
    /// of its own so that a body part may match a table's labels.
    pub fn replaced_by(&self, phrase: &str) -> Vec<Slot> {
        normalize::tokens(phrase)
            .into_iter()
            .filter(|t| !normalize::is_stop_word(&t.folded))
            .map(|t| Slot { expansion: None, ..Slot::new(&t.folded, false, self.negated) })
            .collect()
    }

    /// Corrects a word no term of the packs has (as a whole word, or as the
    /// start of one for the word being typed) to its nearest terms
    /// (`super::typo`). An abbreviation is never corrected.
    fn correct(&mut self, packs: &[&Pack<'_>], typing: bool, recent: &RecentCorrections) {
        if !self.phrases.is_empty() || self.exact.iter().any(|k| packs.iter().any(|p| p.term(k).is_some())) {
            return;
        }
        if self.prefix.as_deref().is_some_and(|prefix| begins_some_term(packs, prefix)) {
            return;
        }
        // The word as typed, not its stem: `bronchiits` is one swap from
        // `bronchitis`, its stem `bronchiit` two edits. A whole word within
        // the budget wins ("diabetis").
        // A phrase of a note (not typed to search) holds names, units and
        // words no book has far more often than typos: only a long word,
        // one edit away, is read as a typo (and the walk is saved for the
        // others).
        let corrections = match typing {
            true => recent_corrections(recent, packs, &self.typed, 2, Budget::Typed),
            false if self.typed.chars().count() >= MIN_PHRASE_CORRECTED => {
                recent_corrections(recent, packs, &self.typed, 2, Budget::Written)
            }
            false => Vec::new(),
        };
        // A finished word that no term is but some begin with may be a word
        // shortened on purpose ("resp", "obstr", "osteoarth"): read as the
        // start of those terms, as the word being typed is, unless a
        // correction is a far commoner word than any of them ("hipp" is
        // "hip", not "hippocampus"; "pani" is "pain", not "panic"; but
        // "naus" is "nausea", though "anus" is one swap away).
        if self.prefix.is_none() && self.typed.chars().count() >= MIN_SHORTENED {
            let completed = commonest_completion(packs, &self.typed);
            let corrected = corrections.first().map_or(0, |c| doc_freq(packs, c));
            if completed > 0 && completed.saturating_mul(SHORTENED_ODDS) >= corrected {
                self.prefix = Some(self.typed.clone());
                return;
            }
        }
        if let Some(best) = corrections.first() {
            self.corrected = Some(best.clone());
            self.exact = corrections;
            self.prefix = None;
            return;
        }
        // Else a typo in what has been typed of the last word: read it as
        // the nearest prefix of the books' words ("hypertnsi" →
        // "hypertensi") and complete that.
        let Some(prefix) = &self.prefix else { return };
        if let Some(best) = super::typo::prefix_corrections(packs, prefix, 1).into_iter().next() {
            self.corrected = Some(best.clone());
            self.exact = vec![normalize::term_key(&best)];
            self.prefix = Some(best);
        }
    }

    /// Whether one word of a text (a title, a label) matches this slot on
    /// its own: its stem is the word's, or it starts with the prefix, or it
    /// is a word of an expansion. Returns how many characters of the token
    /// to highlight. `key` is the token's [`normalize::term_key`], worked
    /// out once by the caller for all slots.
    pub fn matches_token(&self, token: &Token, key: &str) -> Option<usize> {
        let whole = token.end - token.start;
        if self.exact.iter().any(|e| e == key) || self.phrases.iter().any(|p| p.keys.iter().any(|k| k == key)) {
            return Some(whole);
        }
        match &self.prefix {
            Some(p) if token.folded.starts_with(p.as_str()) => {
                // Highlight only the typed part when folding kept lengths.
                Some(if token.folded.chars().count() == whole { p.chars().count() } else { whole })
            }
            _ => None,
        }
    }

    /// Whether a text, given as its tokens, satisfies this slot: one token
    /// matches, or every word of one expansion occurs.
    pub fn matches_tokens(&self, tokens: &[Token], keys: &[String]) -> bool {
        let direct = tokens.iter().zip(keys).any(|(t, key)| {
            self.exact.contains(key) || self.prefix.as_deref().is_some_and(|p| t.folded.starts_with(p))
        });
        direct || self.phrases.iter().any(|p| p.keys.iter().all(|w| keys.contains(w)))
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Code tokens, normalized (`E11`).
    pub codes: Vec<String>,
    /// Word slots, in query order.
    pub slots: Vec<Slot>,
}

impl Query {
    /// Reads a query against the packs that will answer it (a token is a
    /// code only if some code of those packs starts with it).
    /// `recent` keeps the corrections of unknown words between calls.
    pub fn parse(text: &str, packs: &[&Pack<'_>], recent: &RecentCorrections) -> Query {
        Query::read(text, packs, true, recent)
    }

    /// Reads a phrase of finished words, as the suggestion engine finds
    /// them in a note: no token is a code and the last word is whole, not
    /// the start of one being typed.
    pub fn parse_phrase(text: &str, packs: &[&Pack<'_>], recent: &RecentCorrections) -> Query {
        Query::read(text, packs, false, recent)
    }

    /// `typing`: the text is a query being typed (its last word may be
    /// unfinished, and a token may be a code).
    fn read(text: &str, packs: &[&Pack<'_>], typing: bool, recent: &RecentCorrections) -> Query {
        let mut cut = text.len().min(MAX_QUERY_BYTES);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = &text[..cut];
        // Punctuated shorthand ("s/p", "w/o") becomes its words first.
        let raw: Vec<&str> = text
            .split_whitespace()
            .flat_map(|token| match vocabulary::shorthand(token) {
                Some(words) => words.split_whitespace().collect::<Vec<_>>(),
                None => vec![token],
            })
            .collect();
        let mut codes = Vec::new();
        let mut words: Vec<String> = Vec::new();
        for token in &raw {
            // A clinical abbreviation is a word even where it is also the
            // start of a code of some book (`dm2` is an ICD-10-PCS table),
            // when the books searched have its words ("diabetes"): searched
            // alone, ICD-10-PCS reads DM2 as its table.
            let abbreviation = abbreviations::expansions(&token.to_lowercase()).is_some_and(|expansions| {
                expansions.iter().any(|phrase| {
                    normalize::tokens(phrase)
                        .iter()
                        .filter(|t| !normalize::is_stop_word(&t.folded))
                        .all(|t| packs.iter().any(|p| p.term(&normalize::term_key(&t.folded)).is_some()))
                })
            });
            if let Some(code) = code_token(token, raw.len() == 1, packs).filter(|_| typing && !abbreviation) {
                // `e119 e11.9` is one code; codes are capped like words.
                if !codes.contains(&code) && codes.len() < MAX_WORDS {
                    codes.push(code);
                }
                continue;
            }
            for t in normalize::tokens(token) {
                if !normalize::is_stop_word(&t.folded) && words.len() < MAX_WORDS {
                    words.push(t.folded);
                }
            }
        }
        // A query of nothing but stop words ("of") still asks for something.
        if words.is_empty() && codes.is_empty() {
            if let Some(t) = normalize::tokens(text).into_iter().last() {
                words.push(t.folded);
            }
        }
        let n = words.len();
        let respellings: Vec<Option<&'static str>> = words
            .iter()
            .enumerate()
            .map(|(j, w)| vocabulary_respelling(w, typing, !typing || j + 1 < n, packs))
            .collect();
        let mut negated = false;
        let mut slots = Vec::with_capacity(n);
        let mut i = 0;
        while i < n {
            let w = &words[i];
            let negates = negated && w != "without" && w != "with";
            if let Some((len, clinical)) = vocabulary_at(&words[i..]) {
                slots.push(Slot::lay(&words[i..i + len], clinical, typing && i + len == n, negates));
                i += len;
            } else if let Some(key) = joined_term(&words[i..], packs) {
                slots.push(Slot::joined(w, &words[i + 1], key, negates));
                i += 2;
            } else if let Some((len, clinical, spelled)) = vocabulary_if_corrected(&words[i..], &respellings[i..]) {
                // A misspelt word of a lay term or level finding ("potasium
                // low"): the slot stands for the words as corrected.
                let mut slot = Slot::lay(&spelled[..len], clinical, typing && i + len == n, negates);
                slot.typed = words[i..i + len].join(" ");
                slot.corrected = Some(spelled[..len].join(" "));
                slots.push(slot);
                i += len;
            } else {
                slots.push(Slot::new(w, typing && i + 1 == n, negates));
                i += 1;
            }
            match w.as_str() {
                "without" => negated = true,
                "with" => negated = false,
                _ => {}
            }
        }
        for slot in &mut slots {
            slot.expand_by_index(packs);
            slot.correct(packs, typing, recent);
        }
        Query { codes, slots }
    }

    /// Whether the query asks for nothing.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.slots.is_empty()
    }
}

/// The lay term or level finding that begins `words`: how many words it
/// takes and its clinical phrases.
fn vocabulary_at(words: &[String]) -> Option<(usize, &'static [&'static str])> {
    vocabulary::lay_term_at(words).or_else(|| vocabulary::level_finding_at(words))
}

/// The vocabulary's word (`vocabulary::nearest_word`) that a query word no
/// book has is a misspelling of, if any: a finished word, or the word being
/// typed when no term begins with it either ("low potasium").
fn vocabulary_respelling(word: &str, typing: bool, finished: bool, packs: &[&Pack<'_>]) -> Option<&'static str> {
    // A phrase's word as any other of its words (see `Slot::correct`).
    let budget = match typing {
        true => super::typo::budget(word.len()),
        false if word.chars().count() >= MIN_PHRASE_CORRECTED => 1,
        false => 0,
    };
    let misspelt = budget > 0
        && abbreviations::expansions(word).is_none()
        && !packs.iter().any(|p| p.term(&normalize::term_key(word)).is_some())
        && (finished || !begins_some_term(packs, word));
    // Corrected towards the vocabulary's own words only: a few hundred
    // words, where the books' dictionary would cost a walk per word.
    misspelt.then(|| vocabulary::nearest_word(word, budget)).flatten()
}

/// The lay term or level finding that begins `words` once one of its words
/// is replaced by its respelling (`respellings`, by word; see
/// [`vocabulary_respelling`]): how many words it takes, its clinical
/// phrases, and the words as corrected. Only the words a term could take
/// are tried.
fn vocabulary_if_corrected(
    words: &[String],
    respellings: &[Option<&'static str>],
) -> Option<(usize, &'static [&'static str], Vec<String>)> {
    for (k, respelling) in respellings.iter().enumerate().take(MAX_VOCABULARY_WORDS) {
        let Some(correction) = respelling else { continue };
        let mut spelled = words.to_vec();
        spelled[k] = correction.to_string();
        if let Some((len, clinical)) = vocabulary_at(&spelled).filter(|(len, _)| *len > k) {
            return Some((len, clinical, spelled));
        }
    }
    None
}

/// Most words a lay term or level finding takes.
const MAX_VOCABULARY_WORDS: usize = 4;

/// The term key of the first two `words` written as one word, when some
/// pack has that word as a term and it is neither word alone: lay spelling
/// splits compounds the books write whole ("chicken pox", "club foot",
/// "ear ache", "sub acute"). Words of letters only, two letters or more.
fn joined_term(words: &[String], packs: &[&Pack<'_>]) -> Option<String> {
    let [first, second, ..] = words else { return None };
    let letters = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic);
    if !letters(first) || !letters(second) {
        return None;
    }
    let key = normalize::term_key(&format!("{first}{second}"));
    let known = packs.iter().any(|p| p.term(&key).is_some());
    (known && key != normalize::term_key(first) && key != normalize::term_key(second)).then_some(key)
}

/// A whitespace-separated token is read as a code when it normalizes to a
/// code (letters, digits, dots), holds a digit, and some code of the packs
/// starts with it; short tokens (`E1`) count only when they are the whole
/// query, so that the `2` of "type 2 diabetes" stays a word.
fn code_token(token: &str, alone: bool, packs: &[&Pack<'_>]) -> Option<String> {
    let code = normalize::normalize_code(token.trim_end_matches('-'))?;
    if code.contains('-') || !code.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if code.len() < 3 && !alone {
        return None;
    }
    packs.iter().any(|p| p.has_code_prefix(&code)).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_know_stems_prefixes_and_abbreviations() {
        let q = Query::parse("Diabetes chf hypert", &[], &RecentCorrections::default());
        assert!(q.codes.is_empty());
        let typed: Vec<_> = q.slots.iter().map(|s| s.typed.as_str()).collect();
        assert_eq!(typed, vec!["diabetes", "chf", "hypert"]);
        assert_eq!(q.slots[0].exact, vec!["diabete"]);
        assert_eq!(q.slots[0].prefix, None);
        let phrase =
            Phrase { keys: vec!["heart".to_string(), "failure".to_string()], expansion: Some("heart failure".into()) };
        assert_eq!(q.slots[1].phrases, vec![phrase]);
        assert_eq!(q.slots[2].prefix.as_deref(), Some("hypert"));
        let q = Query::parse("diabetes without complications with coma", &[], &RecentCorrections::default());
        let negated: Vec<bool> = q.slots.iter().map(|s| s.negated).collect();
        assert_eq!(negated, [false, false, true, false, false]);
    }

    #[test]
    fn huge_and_odd_queries_are_bounded() {
        let long = "a".repeat(10_000);
        let q = Query::parse(&long, &[], &RecentCorrections::default());
        assert_eq!(q.slots.len(), 1);
        assert!(q.slots[0].typed.len() <= MAX_WORD_CHARS);
        let many = "word ".repeat(5_000);
        assert!(Query::parse(&many, &[], &RecentCorrections::default()).slots.len() <= MAX_WORDS);
        assert!(Query::parse("🩺 \u{202e}\u{0} ", &[], &RecentCorrections::default()).is_empty());
        assert!(Query::parse("", &[], &RecentCorrections::default()).is_empty());
        assert_eq!(Query::parse("of the", &[], &RecentCorrections::default()).slots.len(), 1);
    }
}
