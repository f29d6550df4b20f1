//! Codes suggested from a clinical note: the concepts the note names, what
//! it asserts of each, and the coding conventions that join them.
//!
//! The steps, each in its own place:
//! 1. [`segment`]: sections by their headers, then sentences and list items.
//! 2. Concept matching (here): the runs of a piece's words between
//!    punctuation and triggers are searched as phrases of finished words
//!    (`CodeBook::search_phrase`, the same search as the picker's, with its
//!    index terms, abbreviations, lay words and typo tolerance); a hit is
//!    taken only when it names the words closely (an index entry, or a
//!    title with no word more), and the words it took are taken
//!    out of the run before the rest is searched again.
//! 3. [`assertion`]: NegEx/ConText triggers and the section say whether
//!    each mention is present, negated, uncertain, historical, a
//!    relative's or hypothetical.
//! 4. [`conventions`]: ICD-10-CM's "with" convention joins mentions into
//!    combination codes; a relative's or past condition becomes its
//!    family- or personal-history Z code; the setting decides whether an
//!    uncertain diagnosis is coded.
//! 5. One ranked list per note, deduplicated, evidence merged.

pub mod assertion;
mod companions;
mod conventions;
pub mod medications;
pub mod segment;

use crate::error::QueryError;
use crate::normalize;
use crate::search::{self, query, typo, CodeBook, Entry, Hit, SearchOptions, Setting};
use assertion::Assertion;
use segment::{Piece, Section, Word};
use serde::Serialize;

/// Longest note `suggest` reads, in characters (a long discharge summary
/// is 20,000): beyond it the caller is told, not silently cut.
pub const MAX_NOTE_CHARS: usize = 100_000;

/// Suggestions returned when no limit is given.
pub const DEFAULT_SUGGEST_LIMIT: usize = 20;

/// Most suggestions one call returns.
pub const MAX_SUGGEST_LIMIT: usize = 200;

/// What a suggestion asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Code systems to suggest from; empty = ICD-10-CM when loaded, else
    /// every current book.
    pub systems: Vec<String>,
    /// Most suggestions (capped at [`MAX_SUGGEST_LIMIT`]).
    pub limit: usize,
    /// Where the note is written: decides whether an uncertain diagnosis
    /// is coded (inpatient) or its signs and symptoms are (the others).
    pub setting: Setting,
    /// Also return the mentions deliberately not coded (negated,
    /// hypothetical, uncertain outside inpatient), with their assertion.
    pub include_all: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            systems: Vec::new(),
            limit: DEFAULT_SUGGEST_LIMIT,
            setting: Setting::Outpatient,
            include_all: false,
        }
    }
}

/// Where a suggestion's words stand in the note, in UTF-16 code units (what
/// JS strings count), so that `note.slice(start, end) === text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// One suggested code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub entry: Entry,
    /// Orders the suggestions of one note; means nothing across notes.
    pub score: u32,
    /// What the note says of it: `present` (and the family/personal-history
    /// Z codes, `family`/`historical`), or why it is not coded.
    pub assertion: Assertion,
    /// Whether it is a code to assign (the default list holds only these;
    /// `include_all` adds the others). An uncertain diagnosis is coded in
    /// the inpatient setting only.
    pub coded: bool,
    pub evidence: Vec<Evidence>,
    /// Why it is suggested, or not coded: the match, the convention or the
    /// guideline that applied.
    pub why: String,
}

impl Serialize for Suggestion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Suggestion", 10)?;
        s.serialize_field("system", self.entry.system)?;
        s.serialize_field("code", &self.entry.code)?;
        s.serialize_field("display", &self.entry.title)?;
        s.serialize_field("billable", &self.entry.billable)?;
        s.serialize_field("score", &self.score)?;
        s.serialize_field("coding", &self.entry.coding())?;
        s.serialize_field("assertion", &self.assertion)?;
        s.serialize_field("coded", &self.coded)?;
        s.serialize_field("evidence", &self.evidence)?;
        s.serialize_field("why", &self.why)?;
        s.end()
    }
}

/// A concept found in the note, before conventions and merging.
#[derive(Debug, Clone)]
struct Mention {
    entry: Entry,
    assertion: Assertion,
    /// Byte ranges in the note.
    spans: Vec<(usize, usize)>,
    score: u32,
    why: String,
    /// Coded by default (set by the conventions).
    coded: bool,
}

/// Most words of a run searched at once: a concept's name is rarely longer.
const MAX_RUN_WORDS: usize = 8;

/// Most searches one run may take (each finds one concept or drops a
/// leading word).
const MAX_SEARCHES_PER_RUN: usize = 6;

/// Hits of one phrase search looked at.
const HITS_PER_SEARCH: usize = 5;

/// Words that never name a concept alone: they qualify one (its site,
/// size, course or level: "elevated" is no finding until it says what), or
/// are the note's own talk ("patient", "follow up"). Matched with others
/// they count.
const QUALIFYING_WORDS: &[&str] = &[
    "abnormal",
    "activity",
    "acute",
    "age",
    "bilateral",
    "care",
    "chronic",
    "condition",
    "continue",
    "current",
    "day",
    "days",
    "decreased",
    "disease",
    "disorder",
    "elevated",
    "encounter",
    "exam",
    "examination",
    "exposure",
    "female",
    "follow",
    "high",
    "history",
    "home",
    "increased",
    "known",
    "large",
    "left",
    "low",
    "male",
    "man",
    "mild",
    "moderate",
    "month",
    "months",
    "multiple",
    "negative",
    "nerve",
    "new",
    "normal",
    "observation",
    "old",
    "other",
    "patient",
    "plan",
    "positive",
    "problem",
    "raised",
    "right",
    "sensitivity",
    "severe",
    "small",
    "stage",
    "start",
    "status",
    "syndrome",
    "today",
    "type",
    "unspecified",
    "up",
    "use",
    "visit",
    "week",
    "weeks",
    "woman",
    "year",
    "years",
];

/// Words of a duration, count or date ("for two weeks", "x3 days", "in
/// May"): never part of a concept's name.
const DURATION_WORDS: &[&str] = &[
    "april",
    "august",
    "day",
    "days",
    "december",
    "eight",
    "february",
    "five",
    "four",
    "hour",
    "hours",
    "january",
    "july",
    "june",
    "march",
    "may",
    "month",
    "months",
    "nine",
    "november",
    "october",
    "one",
    "september",
    "seven",
    "six",
    "ten",
    "three",
    "two",
    "week",
    "weeks",
    "year",
    "years",
];

/// Words of a run that ask for a poisoning, adverse effect or underdosing
/// code: without one, a drug's name is a medication, not a poisoning.
const POISONING_WORDS: &[&str] =
    &["adverse", "ingestion", "intoxication", "overdose", "poisoning", "toxic", "toxicity", "underdosing"];

impl CodeBook<'_> {
    /// The codes a clinical note supports, best first (see the module
    /// documentation for the steps).
    pub fn suggest(&self, note: &str, options: &SuggestOptions) -> Result<Vec<Suggestion>, QueryError> {
        let chars = note.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(QueryError::NoteTooLong { chars, max: MAX_NOTE_CHARS });
        }
        let systems = self.suggestion_systems(&options.systems)?;
        let limit = options.limit.min(MAX_SUGGEST_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let search = SearchOptions {
            systems: systems.clone(),
            limit: HITS_PER_SEARCH,
            billable_only: true,
            within: Vec::new(),
            setting: Some(options.setting),
        };
        let mut reader = Reader::new(self, &search)?;
        let mut mentions = Vec::new();
        for piece in segment::pieces(note) {
            reader.read_piece(note, &piece, &mut mentions)?;
        }
        let icd10cm = systems.iter().any(|s| s == "icd10cm");
        let mentions = conventions::apply(self, note, mentions, options.setting, icd10cm)?;
        let mut suggestions = merge(note, mentions, options.include_all, limit);
        if icd10cm {
            companions::link(self, &mut suggestions)?;
            // A "code first" partner may have moved up.
            suggestions.sort_by_key(|s| (!s.coded, std::cmp::Reverse(s.score)));
        }
        Ok(suggestions)
    }

    /// The books a suggestion reads: those asked for, or ICD-10-CM, or
    /// every current book.
    fn suggestion_systems(&self, asked: &[String]) -> Result<Vec<String>, QueryError> {
        if !asked.is_empty() {
            for s in asked {
                self.pack(s)?;
            }
            return Ok(asked.to_vec());
        }
        if self.pack("icd10cm").is_ok() {
            return Ok(vec!["icd10cm".to_string()]);
        }
        Ok(self.packs().iter().filter(|p| !p.system().legacy).map(|p| p.system().id.to_string()).collect())
    }

    /// `search_phrase`, through the phrase searches kept for the notes
    /// read next ([`RecentPhrases`]).
    pub(super) fn phrase_hits(&self, phrase: &str, options: &SearchOptions) -> Result<Vec<Hit>, QueryError> {
        let key = format!(
            "{}|{}|{:?}|{}|{}|{phrase}",
            options.systems.join(","),
            options.within.join(","),
            options.setting,
            options.limit,
            options.billable_only
        );
        self.recent_phrases().get_or(key, || self.search_phrase(phrase, options))
    }

    /// The entry of `code` when it is a billable code of one of `systems`.
    pub(super) fn billable_entry(&self, code: &str, systems: &[String]) -> Result<Option<Entry>, QueryError> {
        for system in systems {
            let found = self.lookup(code, Some(system))?;
            if let Some(r) = found.record.filter(|r| r.entry.billable) {
                return Ok(Some(r.entry));
            }
        }
        Ok(None)
    }
}

/// Reads the pieces of one note: the book, what is searched, and what one
/// note asks more than once (whether a word can match; a phrase's hits).
struct Reader<'r, 'a> {
    book: &'r CodeBook<'a>,
    search: &'r SearchOptions,
    packs: Vec<&'r crate::pack::Pack<'a>>,
    matchable: std::collections::HashMap<String, bool>,
    searched: std::collections::HashMap<String, Vec<Hit>>,
}

impl<'r, 'a> Reader<'r, 'a> {
    fn new(book: &'r CodeBook<'a>, search: &'r SearchOptions) -> Result<Self, QueryError> {
        let mut packs = Vec::with_capacity(search.systems.len());
        for s in &search.systems {
            packs.push(book.pack(s)?);
        }
        Ok(Reader {
            book,
            search,
            packs,
            matchable: std::collections::HashMap::new(),
            searched: std::collections::HashMap::new(),
        })
    }

    /// Whether a folded word of the note can match anything
    /// ([`query::may_match`]), asked once per word.
    fn may_match(&mut self, word: &str) -> bool {
        if let Some(&known) = self.matchable.get(word) {
            return known;
        }
        let known = query::may_match(word, &self.packs);
        self.matchable.insert(word.to_string(), known);
        known
    }

    /// The hits of a phrase: searched once per note, and kept by the code
    /// book for the notes read next ([`RecentPhrases`]).
    fn search(&mut self, phrase: &str) -> Result<Vec<Hit>, QueryError> {
        if let Some(hits) = self.searched.get(phrase) {
            return Ok(hits.clone());
        }
        let hits = self.book.phrase_hits(phrase, self.search)?;
        self.searched.insert(phrase.to_string(), hits.clone());
        Ok(hits)
    }

    /// The mention of a status code (long-term drug use, allergy status)
    /// one word of the note stands for, when the code is billable.
    fn status_mention(
        &self,
        code: &str,
        w: &Word,
        assertion: Assertion,
        why: String,
    ) -> Result<Option<Mention>, QueryError> {
        let entry = self.book.billable_entry(code, &self.search.systems)?;
        Ok(entry.map(|entry| Mention {
            entry,
            assertion,
            spans: vec![(w.start, w.end)],
            score: 150,
            why,
            coded: false,
        }))
    }

    /// The mentions of one piece.
    fn read_piece(&mut self, note: &str, piece: &Piece, out: &mut Vec<Mention>) -> Result<(), QueryError> {
        let words: Vec<&str> = piece.words.iter().map(|w| w.folded.as_str()).collect();
        let triggers = piece_triggers(note, piece, &words);
        let assert = |start: usize, end: usize| -> Assertion {
            let by_trigger = assertion::assertion_of(&triggers, start, end);
            assertion::strongest(by_trigger, section_assertion(piece.section)).unwrap_or(Assertion::Present)
        };
        let mut usable: Vec<bool> =
            (0..words.len()).map(|i| !assertion::in_trigger(&triggers, i) && usable_word(&piece.words, i)).collect();
        // Allergens of an allergy list, or after "allergic to": their
        // allergy-status code. The reactions an allergy list names ("rash")
        // are the allergy's, not the visit's.
        let allergy_list = piece.section == Section::Allergies;
        let mut allergen = vec![false; words.len()];
        for (i, w) in piece.words.iter().enumerate() {
            let Some(code) = medications::allergy_status(&w.folded) else { continue };
            let said = words[i.saturating_sub(3)..i].iter().any(|b| b.starts_with("allerg"));
            if !allergy_list && !said {
                continue;
            }
            usable[i] = false;
            allergen[i] = true;
            let why = format!("\"{}\" is an allergy: allergy status (Guidelines I.C.21.c.3)", &note[w.start..w.end]);
            out.extend(self.status_mention(code, w, assert(i, i + 1), why)?);
        }
        if allergy_list {
            return Ok(());
        }
        // Drugs taken: their long-term-use code, never a poisoning.
        for (i, w) in piece.words.iter().enumerate() {
            let Some(code) = medications::long_term_use(&w.folded) else { continue };
            usable[i] = false;
            let not_taken = words[i.saturating_sub(2)..i].iter().any(|b| medications::NOT_TAKEN.contains(b));
            if not_taken || allergen[i] {
                continue;
            }
            let why =
                format!("\"{}\" is taken: long-term (current) drug use (Guidelines I.C.21.c.3)", &note[w.start..w.end]);
            out.extend(self.status_mention(code, w, assert(i, i + 1), why)?);
        }
        // Runs of usable words between punctuation and triggers.
        let mut run: Vec<usize> = Vec::new();
        for i in 0..=words.len() {
            let breaks =
                i == words.len() || !usable[i] || matches!(words[i], "and" | "or" | "plus" | "with" | "for" | "since");
            if !breaks {
                run.push(i);
            }
            let ends_here = i < words.len() && piece.words[i].break_after;
            if breaks || ends_here || run.len() == MAX_RUN_WORDS {
                if !run.is_empty() {
                    self.read_run(note, piece, &run, &assert, out)?;
                }
                run.clear();
            }
        }
        Ok(())
    }

    /// The concepts of one run of words: searched whole, the words a hit
    /// took removed, the rest searched again; a run nothing names closely
    /// loses its first word (English puts a phrase's head last: "ankle
    /// edema", "bibasilar crackles").
    fn read_run(
        &mut self,
        note: &str,
        piece: &Piece,
        run: &[usize],
        assert: &dyn Fn(usize, usize) -> Assertion,
        out: &mut Vec<Mention>,
    ) -> Result<(), QueryError> {
        // Words that match nothing are left out: the same search, saved.
        let mut left: Vec<usize> = Vec::with_capacity(run.len());
        for &i in run {
            if self.may_match(&piece.words[i].folded) {
                left.push(i);
            }
        }
        for _ in 0..MAX_SEARCHES_PER_RUN {
            if !left.iter().any(|&i| !QUALIFYING_WORDS.contains(&piece.words[i].folded.as_str())) {
                return Ok(());
            }
            let phrase: Vec<&str> = left.iter().map(|&i| piece.words[i].folded.as_str()).collect();
            let hits = self.search(&phrase.join(" "))?;
            let taken = hits.iter().find_map(|h| closely_named(h, &phrase).map(|m| (h, m)));
            let Some((hit, matched)) = taken else {
                left.remove(0);
                continue;
            };
            let positions: Vec<usize> = matched.iter().map(|&k| left[k]).collect();
            let (first, last) = (positions.iter().min().copied(), positions.iter().max().copied());
            if let (Some(first), Some(last)) = (first, last) {
                let (start, end) = (piece.words[first].start, piece.words[last].end);
                let base = if search::names_index_entry(hit.score) { 300 } else { 200 };
                let section = if piece.section == Section::Assessment { 100 } else { 0 };
                out.push(Mention {
                    entry: hit.entry.clone(),
                    assertion: assert(first, last + 1),
                    spans: vec![(start, end)],
                    score: base + section + 20 * positions.len() as u32,
                    why: matched_why(&note[start..end], hit),
                    coded: false,
                });
            }
            left.retain(|i| !positions.contains(i));
            if left.is_empty() {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// The triggers of a piece and where their scopes end: after a
/// parenthesis closes, and in a list (medications, allergies) after each
/// item's comma.
fn piece_triggers(note: &str, piece: &Piece, words: &[&str]) -> Vec<assertion::Found> {
    let list = matches!(piece.section, Section::Medications | Section::Allergies);
    let ends = piece.words.iter().enumerate().filter(|(_, w)| {
        w.ends_scope || (list && note.get(w.end..).is_some_and(|rest| rest.trim_start().starts_with(',')))
    });
    assertion::with_scope_ends(assertion::triggers(words), ends.map(|(i, _)| i).collect::<Vec<_>>())
}

/// How many phrases [`RecentPhrases`] keeps: the runs of a few long notes.
const RECENT_PHRASES: usize = 4096;

/// The phrase searches of the latest notes and their hits. A note is read
/// again at every pause in typing, and all its runs but the one being
/// written are the runs of the last reading (and its history codes the
/// same searches): their hits are taken from here. Kept by the code book,
/// by the options and the phrase; cleared when the release in force
/// changes.
pub type RecentPhrases = crate::search::recent::Recent<String, Vec<Hit>, RECENT_PHRASES>;

/// What a section says of every mention in it, unless a trigger says more.
fn section_assertion(section: Section) -> Option<Assertion> {
    match section {
        Section::FamilyHistory => Some(Assertion::Family),
        Section::PastHistory => Some(Assertion::Historical),
        _ => None,
    }
}

/// What a text asserts of the words at bytes `start..end` (a mention found
/// by other means: the NegEx test set's annotated conditions), by the
/// triggers of the piece that holds them and its section.
pub fn assertion_at(text: &str, start: usize, end: usize) -> Assertion {
    for piece in segment::pieces(text) {
        let inside: Vec<usize> =
            (0..piece.words.len()).filter(|&i| piece.words[i].start < end && piece.words[i].end > start).collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else { continue };
        let words: Vec<&str> = piece.words.iter().map(|w| w.folded.as_str()).collect();
        let by_trigger = assertion::assertion_of(&piece_triggers(text, &piece, &words), first, last + 1);
        return assertion::strongest(by_trigger, section_assertion(piece.section)).unwrap_or(Assertion::Present);
    }
    Assertion::Present
}

/// Whether word `i` may be part of a concept: not a measurement ("7.9",
/// "A1c", "140/90"; a number after "type", "stage", "grade" or "class" is
/// one), and a one- or two-letter word only in capitals ("MI", not "ms").
fn usable_word(words: &[Word], i: usize) -> bool {
    let w = &words[i];
    if DURATION_WORDS.contains(&w.folded.as_str()) {
        return false;
    }
    let digits = w.folded.chars().any(|c| c.is_ascii_digit());
    if digits {
        // "2", "3a", "IV" after "type 2", "stage 3a".
        let counted = i > 0 && matches!(words[i - 1].folded.as_str(), "type" | "stage" | "grade" | "class");
        let mut chars = w.folded.chars();
        let number = chars.next().is_some_and(|c| c.is_ascii_digit())
            && chars.all(|c| c.is_ascii_alphanumeric())
            && w.folded.len() <= 2;
        return counted && number;
    }
    w.folded.chars().count() > 2 || w.capitals || w.folded.contains('/')
}

/// The positions (in `phrase`) of the words a hit took, when it names them
/// closely: an index entry of those words, or a title with no content word
/// more; never a drug's poisoning for a drug's name, nor a short word's
/// typo correction.
fn closely_named(hit: &Hit, phrase: &[&str]) -> Option<Vec<usize>> {
    let mut used = vec![false; phrase.len()];
    let mut positions = Vec::new();
    for m in &hit.matched {
        for word in m.split_whitespace() {
            if let Some(k) = phrase.iter().enumerate().position(|(k, w)| !used[k] && *w == word) {
                used[k] = true;
                positions.push(k);
            }
        }
    }
    if positions.is_empty() || positions.iter().all(|&k| QUALIFYING_WORDS.contains(&phrase[k])) {
        return None;
    }
    let code = hit.entry.code.as_str();
    // A drug's or a substance's name is no poisoning or toxic effect
    // (T36-T65: "cigarettes", "ink") unless the words say so.
    let poisoning = code.starts_with('T') && ("T36".."T66").contains(&code.get(..3).unwrap_or(""));
    if poisoning && !phrase.iter().any(|w| POISONING_WORDS.contains(w)) {
        return None;
    }
    // An external cause (V00-Y99: how, where, doing what) is told in
    // words, never by one ("activity", "standing").
    if matches!(code.as_bytes().first(), Some(b'V' | b'W' | b'X' | b'Y')) && positions.len() < 2 {
        return None;
    }
    if let Some(via) = hit.via.as_ref().filter(|v| v.kind == "typo") {
        let corrected: Vec<&str> = via.text.split_whitespace().collect();
        let far = phrase.iter().zip(&corrected).any(|(w, c)| {
            w != c
                && (w.chars().count() < query::MIN_PHRASE_CORRECTED || typo::distance(w.as_bytes(), c.as_bytes()) > 1)
        });
        if far || corrected.len() != phrase.len() {
            return None;
        }
    }
    // A title with a word more is another concept: "inferior vena cava"
    // is no "Injury of inferior vena cava", "small bilateral" no "Small
    // kidney, bilateral". Unless the words reached it through the index,
    // which says they mean it: "acute kidney injury" (Injury, kidney,
    // acute → N17.9 "Acute kidney failure"), three words or more.
    if search::names_index_entry(hit.score) {
        return Some(positions);
    }
    let matched: Vec<&str> = positions.iter().map(|&k| phrase[k]).collect();
    // HCPCS Level II titles name the item first, its kind after the comma
    // ("Walker, rigid (pickup), adjustable or fixed height"): the item
    // named is enough. Not "Injection, furosemide" for a drug taken.
    if hit.entry.system == "hcpcs" {
        let item = hit.entry.title.split(',').next().unwrap_or("");
        let named: Vec<String> = matched.iter().map(|w| normalize::term_key(w)).collect();
        return (unnamed_words(item, &named) == 0).then_some(positions);
    }
    let extra = extra_title_words(hit, &matched);
    let by_index = || {
        let title: Vec<String> =
            normalize::tokens(&hit.entry.title).iter().map(|t| normalize::term_key(&t.folded)).collect();
        matched.len() >= 3 && matched.iter().any(|w| !title.contains(&normalize::term_key(w)))
    };
    let close = extra == 0 || (extra == 1 && by_index());
    close.then_some(positions)
}

/// Content words of a hit's title that the words it matched do not name
/// (the words it was reached by count as named: an expansion's, "chf →
/// heart failure", or a correction's). Stop
/// words, "unspecified"-like words and the encounter of a 7th character do
/// not count.
fn extra_title_words(hit: &Hit, matched: &[&str]) -> usize {
    let mut named: Vec<String> = matched.iter().map(|w| normalize::term_key(w)).collect();
    if let Some(via) = &hit.via {
        named.extend(normalize::tokens(&via.text).iter().map(|t| normalize::term_key(&t.folded)));
    }
    unnamed_words(&hit.entry.title, &named)
}

/// Content words of `title` that `named` (term keys) does not hold. Stop
/// words, "unspecified"-like words, the encounter of a 7th character and
/// what a title says in parentheses ("(recurrent)") do not count.
fn unnamed_words(title: &str, named: &[String]) -> usize {
    let mut depth = 0u32;
    let mut outside = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    normalize::tokens(&outside)
        .iter()
        .filter(|t| !normalize::is_stop_word(&t.folded) && !normalize::is_unspecific_word(&t.folded))
        .filter(|t| !matches!(t.folded.as_str(), "initial" | "encounter" | "other" | "site"))
        .filter(|t| !named.contains(&normalize::term_key(&t.folded)))
        .count()
}

/// Why a matched hit is suggested.
fn matched_why(text: &str, hit: &Hit) -> String {
    match &hit.via {
        Some(via) => format!("\"{text}\" names it ({} {})", via.kind, via.text),
        None => format!("\"{text}\" names it"),
    }
}

/// One suggestion per code, best first: the coded ones, then (with
/// `include_all`) the rest; evidence merged and converted to UTF-16.
fn merge(note: &str, mentions: Vec<Mention>, include_all: bool, limit: usize) -> Vec<Suggestion> {
    let mut merged: Vec<Mention> = Vec::new();
    for m in mentions {
        if !m.coded && !include_all {
            continue;
        }
        let same = merged.iter_mut().find(|o| o.entry.system == m.entry.system && o.entry.code == m.entry.code);
        match same {
            Some(o) if o.coded == m.coded => {
                o.score = o.score.saturating_add(m.score / 2);
                for s in m.spans {
                    if !o.spans.contains(&s) {
                        o.spans.push(s);
                    }
                }
            }
            // A code coded from one mention and not from another: the
            // coded one stands.
            Some(o) => {
                if m.coded {
                    *o = m;
                }
            }
            None => merged.push(m),
        }
    }
    let mut order: Vec<usize> = (0..merged.len()).collect();
    let first = |m: &Mention| m.spans.iter().map(|s| s.0).min().unwrap_or(0);
    order.sort_by_key(|&i| (!merged[i].coded, std::cmp::Reverse(merged[i].score), first(&merged[i])));
    let mut utf16 = Utf16Offsets::new(note);
    let mut out = Vec::new();
    for i in order.into_iter().take(limit) {
        let m = &merged[i];
        let mut spans = m.spans.clone();
        spans.sort_unstable();
        let evidence = spans
            .iter()
            .map(|&(s, e)| Evidence { start: utf16.at(s), end: utf16.at(e), text: note[s..e].to_string() })
            .collect();
        out.push(Suggestion {
            entry: m.entry.clone(),
            score: m.score,
            assertion: m.assertion,
            coded: m.coded,
            evidence,
            why: m.why.clone(),
        });
    }
    out
}

/// Byte offsets of a text to UTF-16 offsets, walking forward (offsets are
/// asked mostly in order; a step back starts again from the beginning).
struct Utf16Offsets<'t> {
    text: &'t str,
    byte: usize,
    units: u32,
}

impl<'t> Utf16Offsets<'t> {
    fn new(text: &'t str) -> Self {
        Utf16Offsets { text, byte: 0, units: 0 }
    }

    fn at(&mut self, byte: usize) -> u32 {
        if byte < self.byte {
            self.byte = 0;
            self.units = 0;
        }
        let piece = self.text.get(self.byte..byte).unwrap_or("");
        self.units += piece.encode_utf16().count() as u32;
        self.byte = byte;
        self.units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_what_js_counts() {
        let note = "😀 é fever";
        let mut u = Utf16Offsets::new(note);
        let start = note.find("fever").unwrap();
        assert_eq!(u.at(start), 5);
        assert_eq!(u.at(note.len()), 10);
        assert_eq!(u.at(0), 0);
    }

    #[test]
    fn measurements_and_lower_case_short_words_are_no_concepts() {
        let w = segment::words("A1c 7.9 type 2 ms MI", 0);
        let usable: Vec<bool> = (0..w.len()).map(|i| usable_word(&w, i)).collect();
        assert_eq!(usable, vec![false, false, false, true, true, false, true]);
    }
}
