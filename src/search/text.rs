//! Type-ahead search: words → postings → merged candidates → ranked hits.
//!
//! Every query word is a *slot*. A slot's candidates are the records whose
//! postings hold its stem, a term it begins (the last word, as a prefix) or
//! every word of one of its abbreviation's expansions. The slots' sorted
//! candidate lists are merged in one pass; a record's rank is, in order
//! (`Candidate::score` packs these into the hit's `score`):
//!
//! 1. how much of the query it matched: two points a finished word, one for
//!    the word still being typed ("pneumonia u" prefers what matches
//!    "pneumonia");
//! 2. a book in current use before a retired one (ICD-9-CM);
//! 3. the weight of the fields the words matched in (title > inclusion
//!    term > note; a negated title word is weak unless the query negates it
//!    too; a prefix completion a point below a whole word);
//! 4. how common the completed words are ("hypert" completes
//!    "hypertension" before "hypertrichosis");
//! 5. how many of the matched words its category's title holds too, so that
//!    "chf" prefers the I50 (Heart failure) codes to "Rheumatic heart failure";
//! 6. billable before headers;
//! 7. fewer title words beyond the query, not counting "unspecified", "NOS"
//!    and the like: when a query says no more, the unspecified code is the
//!    coding default ("Heart failure, unspecified" before "Other heart failure");
//! 8. book order, so that equal hits always come in the same order.
//!
//! Codes that need a 7th character are not in the postings (their titles are
//! their header's title plus a label); a header that matches brings along
//! those of its composed codes whose label matches further words, or all of
//! them when only billable codes are wanted.

use super::query::Slot;
use super::{entry, Hit, Via};
use crate::error::{PackError, QueryError};
use crate::model::Field;
use crate::normalize;
use crate::pack::{composition, format, Pack, Posting, TermRef};
use std::cmp::Reverse;

/// Postings decoded for one prefix at most. A one-letter prefix begins
/// thousands of words; the commonest ones are the likeliest completions.
const PREFIX_POSTINGS_BUDGET: u64 = 6_000;
/// Terms looked at for one prefix at most.
const PREFIX_TERMS_SCANNED: usize = 4_000;

/// Restrictions on where hits may come from.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// `(pack index, first id, end id)` subtrees.
    subtrees: Vec<(usize, u32, u32)>,
    /// `(pack index, low, high)` ranges of normalized codes, compared on
    /// the length of each bound (`E08`–`E13` holds `E11.9`).
    ranges: Vec<(usize, String, String)>,
    /// Further filters that must hold as well (a code typed in the query
    /// on top of `within`).
    required: Vec<Filter>,
    /// Whether any restriction was given.
    active: bool,
}

impl Filter {
    /// Adds a `within` restriction: a code's subtree, or a code range.
    pub fn add_within(&mut self, packs: &[&Pack<'_>], within: &str) -> Result<(), QueryError> {
        let norm = normalize::normalize_code(within).ok_or_else(|| QueryError::BadFilter(within.to_string()))?;
        self.active = true;
        let mut any = false;
        for (i, p) in packs.iter().enumerate() {
            if let Some(id) = p.find_code(&norm) {
                self.subtrees.push((i, id, p.subtree_end(id)?));
                any = true;
            } else if let Some((lo, hi)) = norm.split_once('-') {
                if !lo.is_empty() && !hi.is_empty() && lo <= hi {
                    self.ranges.push((i, lo.to_string(), hi.to_string()));
                    any = true;
                }
            } else if p.has_code_prefix(&norm) {
                self.ranges.push((i, norm.clone(), norm.clone()));
                any = true;
            }
        }
        if !any {
            return Err(QueryError::BadFilter(within.to_string()));
        }
        Ok(())
    }

    /// Adds the codes typed among the words (`diabetes e11 e10`). Several
    /// code tokens widen each other (E11 or E10); with `within`, both the
    /// codes and `within` must hold.
    pub fn add_code_prefixes(&mut self, packs: &[&Pack<'_>], codes: &[String]) -> Result<(), QueryError> {
        if codes.is_empty() {
            return Ok(());
        }
        let mut code_filter = Filter::default();
        for code in codes {
            code_filter.add_within(packs, code)?;
        }
        self.and(code_filter);
        Ok(())
    }

    fn and(&mut self, other: Filter) {
        if !self.active {
            *self = other;
            return;
        }
        self.required.push(other);
    }

    /// Whether record `id` of pack `pack` may be a hit.
    pub fn allows(&self, packs: &[&Pack<'_>], pack: usize, id: u32) -> Result<bool, PackError> {
        if !self.active {
            return Ok(true);
        }
        let mut ok = self.subtrees.iter().any(|&(p, lo, hi)| p == pack && id >= lo && id < hi);
        if !ok && self.ranges.iter().any(|r| r.0 == pack) {
            let code = packs[pack].normalized_code(id)?;
            ok = self.ranges.iter().any(|(p, lo, hi)| *p == pack && in_range(&code, lo, hi));
        }
        if ok {
            for r in &self.required {
                if !r.allows(packs, pack, id)? {
                    return Ok(false);
                }
            }
        }
        Ok(ok)
    }
}

/// Whether `code` lies in `lo..=hi`, each bound compared on its own length
/// (bytes: a pack's codes are not trusted to be ASCII).
fn in_range(code: &str, lo: &str, hi: &str) -> bool {
    let head = |n: usize| &code.as_bytes()[..code.len().min(n)];
    head(lo.len()) >= lo.as_bytes() && head(hi.len()) <= hi.as_bytes()
}

/// Code completion: records whose code starts with one of `codes`, the
/// exact code first, then in code order.
pub fn complete_codes(
    packs: &[&Pack<'_>],
    codes: &[String],
    filter: &Filter,
    billable_only: bool,
    limit: usize,
) -> Result<Vec<Hit>, QueryError> {
    let mut hits = Vec::new();
    // Codes whose prefixes overlap (`e11 e119`) reach a record twice.
    let mut seen = std::collections::HashSet::new();
    // Every code typed whole first (`e11 e119`: E11, then E11.9), then the
    // completions of each in code order.
    for code in codes {
        for (pi, pack) in packs.iter().enumerate() {
            let Some(id) = pack.find_code(code) else { continue };
            if hits.len() < limit && (!billable_only || pack.is_billable(id)?) && filter.allows(packs, pi, id)? {
                seen.insert((pi, id));
                let hit = Hit {
                    entry: entry(pack, id)?,
                    score: 1000,
                    matched: vec![code.to_lowercase()],
                    highlights: Vec::new(),
                    via: None,
                    flags: None,
                    record_id: Some(id),
                };
                hits.push((true, pi, code.len(), hit));
            }
        }
    }
    for code in codes {
        for (pi, pack) in packs.iter().enumerate() {
            // Read a little past the limit, as filters may drop some.
            for (key, id) in pack.codes_with_prefix(code, limit.saturating_mul(8).max(64)) {
                if hits.len() >= limit {
                    break;
                }
                if seen.contains(&(pi, id))
                    || (billable_only && !pack.is_billable(id)?)
                    || !filter.allows(packs, pi, id)?
                {
                    continue;
                }
                seen.insert((pi, id));
                let exact = key == *code;
                let e = entry(pack, id)?;
                hits.push((
                    exact,
                    pi,
                    key.len(),
                    Hit {
                        entry: e,
                        score: if exact { 1000 } else { 900 },
                        matched: vec![code.to_lowercase()],
                        highlights: Vec::new(),
                        via: None,
                        flags: None,
                        record_id: Some(id),
                    },
                ));
            }
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(hits.into_iter().take(limit).map(|h| h.3).collect())
}

/// A record matched by one slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SlotMatch {
    id: u32,
    field: u8,
    /// The slot's word is negated in the query (see `Slot::negated`).
    negated: bool,
    /// The record is billable.
    billable: bool,
    /// Matched by the whole word or an expansion, not only as a prefix.
    whole: bool,
    /// For a prefix match, how common the completed word is (log2 of its
    /// record count): "hypert" completes "hypertension" before
    /// "hypertrichosis". Whole matches have the top value.
    popularity: u8,
    /// Words of the shortest index entry leading to the record that holds
    /// the word (0: none; see `format::POSTING_ENTRY_SHIFT`).
    entry: u8,
    /// The expansion of the slot (`Slot::phrases`) the record's best match
    /// came by; `NO_PHRASE` if by the query's own word (or the joined word
    /// of a split compound), `OWN_WORDS` if by all the words of a slot that
    /// stands for several.
    phrase: u8,
    /// The word, whole, is the head of the record's title (see
    /// `normalize::title_head`).
    head: bool,
}

/// `SlotMatch::phrase` for a match by the query's own word.
const NO_PHRASE: u8 = 0xF;

/// `SlotMatch::phrase` for a match by all the query's own words of a slot
/// that stands for several (a lay term's, a split compound's).
const OWN_WORDS: u8 = 0xE;

/// How many words of a record a slot's match stands for: an expansion its
/// own ("high blood pressure" matched as "hypertension" is one word), a
/// split compound matched as the joined word one, matched as its words two.
fn matched_words(slot: &Slot, phrase: u8) -> u32 {
    match phrase {
        NO_PHRASE => 1,
        OWN_WORDS => slot.words,
        k => slot.phrases.get(usize::from(k)).map_or(slot.words, |p| p.keys.len() as u32),
    }
}

impl SlotMatch {
    /// The field weight, a point less when the word only begins a term:
    /// "uti" typed whole is the abbreviation before it is "utilities".
    fn weight(&self) -> u32 {
        let field = if self.negated { Field::weight_negated(self.field) } else { Field::weight(self.field) };
        (field * 2).saturating_sub(u32::from(!self.whole))
    }
}

/// Popularity of a whole-word match (above any prefix completion).
const WHOLE_POPULARITY: u8 = 32;

fn popularity(doc_freq: u32) -> u8 {
    (32 - doc_freq.leading_zeros()) as u8
}

/// The candidates of one slot in one pack, ascending by id, one per record
/// with its best field.
fn slot_candidates(pack: &Pack<'_>, slot: &Slot) -> Result<Vec<SlotMatch>, PackError> {
    let mut all: Vec<SlotMatch> = Vec::new();
    let mut buf: Vec<Posting> = Vec::new();
    let negated = slot.negated;
    let take = |buf: &mut Vec<Posting>, whole: bool, popularity: u8, phrase: u8, all: &mut Vec<SlotMatch>| {
        all.extend(buf.drain(..).map(|p| SlotMatch {
            id: p.id,
            field: p.field,
            negated,
            billable: p.billable,
            whole,
            popularity,
            // Only a whole word counts toward naming an entry.
            entry: if whole { p.entry } else { 0 },
            phrase,
            head: whole && p.head,
        }));
    };
    for key in &slot.exact {
        if let Some(t) = pack.term(key) {
            pack.postings(t, &mut buf)?;
        }
    }
    take(&mut buf, true, WHOLE_POPULARITY, NO_PHRASE, &mut all);
    if let Some(prefix) = &slot.prefix {
        // A one- or two-letter prefix says little; read less for it.
        let (budget, scan) = match prefix.chars().count() {
            1 => (PREFIX_POSTINGS_BUDGET / 6, PREFIX_TERMS_SCANNED / 8),
            2 => (PREFIX_POSTINGS_BUDGET / 4, PREFIX_TERMS_SCANNED / 4),
            _ => (PREFIX_POSTINGS_BUDGET, PREFIX_TERMS_SCANNED),
        };
        let mut terms: Vec<(usize, TermRef)> = Vec::new();
        let mut scanned = 0;
        pack.for_terms_with_prefix(prefix, |k, t| {
            scanned += 1;
            if !slot.exact.iter().any(|e| e == k) {
                terms.push((k.len(), t));
            }
            scanned < scan
        });
        let total: u64 = terms.iter().map(|t| u64::from(t.1.doc_freq)).sum();
        if total > budget {
            terms.sort_by_key(|(len, t)| (Reverse(t.doc_freq), *len));
            let mut spent = 0u64;
            // From three letters on, the commonest completion is read even
            // past the budget ("fra" is "fracture"); a one- or two-letter
            // prefix skips words too common to say anything ("u" is not
            // "unspecified").
            let short = prefix.chars().count() < 3 && terms.len() > 1;
            terms.retain(|(_, t)| {
                let keep = (spent == 0 && !short) || spent + u64::from(t.doc_freq) <= budget;
                if keep {
                    spent += u64::from(t.doc_freq);
                }
                keep
            });
        }
        for (_, t) in terms {
            pack.postings(t, &mut buf)?;
            take(&mut buf, false, popularity(t.doc_freq), NO_PHRASE, &mut all);
        }
    }
    for (k, phrase) in slot.phrases.iter().enumerate() {
        let tag = if phrase.expansion.is_some() { (k as u8).min(OWN_WORDS - 1) } else { OWN_WORDS };
        let mut acc: Option<Vec<Posting>> = None;
        for word in &phrase.keys {
            let mut list = Vec::new();
            if let Some(t) = pack.term(word) {
                pack.postings(t, &mut list)?;
            }
            acc = Some(match acc {
                None => list,
                Some(prev) => intersect(&prev, &list),
            });
        }
        buf.extend(acc.unwrap_or_default());
        take(&mut buf, true, WHOLE_POPULARITY, tag, &mut all);
    }
    if all.windows(2).all(|w| w[0].id < w[1].id) {
        return Ok(all); // one source list: already ascending and unique
    }
    // A stable sort finds the ascending runs (one per term) and merges them.
    all.sort_by_key(|p| p.id);
    let mut out: Vec<SlotMatch> = Vec::with_capacity(all.len());
    for p in all {
        match out.last_mut() {
            Some(last) if last.id == p.id => {
                if (p.weight(), p.popularity) > (last.weight(), last.popularity) {
                    last.field = p.field;
                    last.whole = p.whole;
                    last.popularity = p.popularity;
                    // How it matched is how the best match came.
                    last.phrase = p.phrase;
                }
                if p.entry != 0 && (last.entry == 0 || p.entry < last.entry) {
                    last.entry = p.entry;
                }
                last.head |= p.head;
            }
            _ => out.push(p),
        }
    }
    Ok(out)
}

/// One slot's candidates in one pack (see [`slot_candidates`]), shared
/// with [`RecentLists`].
type SlotList = std::sync::Arc<Vec<SlotMatch>>;

/// What a slot's candidate list depends on: its words, expansions and
/// negation (not what the query says around it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ListKey {
    system: &'static str,
    exact: Vec<String>,
    prefix: Option<String>,
    phrases: Vec<(Vec<String>, bool)>,
    negated: bool,
}

impl ListKey {
    fn new(pack: &Pack<'_>, slot: &Slot) -> ListKey {
        ListKey {
            system: pack.system().id,
            exact: slot.exact.clone(),
            prefix: slot.prefix.clone(),
            phrases: slot.phrases.iter().map(|p| (p.keys.clone(), p.expansion.is_some())).collect(),
            negated: slot.negated,
        }
    }
}

/// How many slot lists [`RecentLists`] keeps: the words of a long query
/// in each book searched.
const RECENT_LISTS: usize = 24;

/// The slot lists of the latest searches. Type-ahead searches the query
/// again at every keystroke, and every word but the last is the same as at
/// the keystroke before: its candidates are taken from here instead of
/// being read from the postings again (a fifth of the time of a
/// several-word query). Kept by the code book; cleared when the release in
/// force changes, since the lists hold that release's records.
pub(crate) type RecentLists = super::recent::Recent<ListKey, SlotList, RECENT_LISTS>;

/// The candidates of `slot` in `pack`, from the recent lists or read.
fn slot_list(recent: &RecentLists, pack: &Pack<'_>, slot: &Slot) -> Result<SlotList, PackError> {
    recent.get_or(ListKey::new(pack, slot), || slot_candidates(pack, slot).map(SlotList::new))
}

/// Records in both lists, with the weaker field.
fn intersect(a: &[Posting], b: &[Posting]) -> Vec<Posting> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].id.cmp(&b[j].id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(Posting {
                    field: a[i].field.max(b[j].field),
                    // Both words in the same short entry, or no entry.
                    entry: if a[i].entry != 0 && b[j].entry != 0 { a[i].entry.max(b[j].entry) } else { 0 },
                    head: a[i].head || b[j].head,
                    ..a[i]
                });
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A candidate hit before it is decoded.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    pack: usize,
    id: u32,
    /// Bit `s` set: slot `s` matched.
    mask: u32,
    /// Sum of the field weights of the matched slots.
    weight: u32,
    /// Sum of the matched slots' popularity (see `SlotMatch::popularity`).
    popularity: u32,
    /// Matched slots whose words the record's category title holds too: the
    /// record is *about* them, not merely mentioning them (filled late, as
    /// `extra_words`).
    context: u32,
    billable: bool,
    /// From a book in current use (not a retired one such as ICD-9-CM).
    current: bool,
    /// The query's words are those of a short index entry leading to the
    /// record ("heart failure" → I50.9; see `Collector::evaluate`): what a
    /// coder looking the words up in the index would take.
    names_entry: bool,
    /// Per slot (four bits each), the expansion it matched by, or
    /// `NO_PHRASE` (see `SlotMatch::phrase`).
    phrases: u64,
    /// Slots matched only through an index entry (their best field is the
    /// index's), not the record's own text.
    by_index: u32,
    /// Words of the title matched by the query (an estimate: a slot counts
    /// for as many words as its shortest expansion).
    title_words: u32,
    /// Content words of the title the query did not ask for (filled late).
    extra_words: u32,
    /// Content words of the whole title when known early (a composed
    /// record's, added up from its header and labels as it is made), else
    /// `UNKNOWN`: read late from the pack.
    content_words: u32,
    /// A query word is the head of the record's title: the record is the
    /// thing the query names, not something that mentions it.
    headed: bool,
}

/// The score bit that says the query names an index entry of the record.
const NAMES_ENTRY_BIT: u32 = 25;

/// Low bits of a score: fewer title words beyond the query rank higher.
/// Above them, whether a query word heads the title: the thing itself
/// before its parts (`walker` → E0130 "Walker, rigid" before E0156 "Seat
/// attachment, walker", whose title is shorter).
const EXTRA_WORDS_BITS: u32 = 5;

/// Low bits of a score worked out only for the candidates still in the
/// running (see `rank`): context (3), billable (1), headed (1) and extra
/// words (5).
const LATE_BITS: u32 = 10;

impl Candidate {
    /// The ranking key without its late parts (context, billable, extra
    /// title words): the titles they need are read only for the candidates
    /// this keeps in the running.
    fn primary(&self, prefix: u32) -> u32 {
        self.score(prefix) >> LATE_BITS
    }

    /// The ranking key as one number, so that a hit's `score` is the order
    /// hits come in: level (5 bits), current book (1), names an index entry
    /// (1), field weight (7), popularity (8), context (3), billable (1), a
    /// query word heads the title (1), and 31 less the title's extra words
    /// (5). Each part is clamped to its width; popularity can exceed it for
    /// queries of more than seven words, where it no longer tells
    /// completions apart, and context for more than seven words found in a
    /// category's title.
    fn score(&self, prefix: u32) -> u32 {
        let part = |value: u32, bits: u32| value.min((1 << bits) - 1);
        (part(level(self.mask, prefix), 5) << 27)
            | (u32::from(self.current) << 26)
            | (u32::from(self.names_entry) << NAMES_ENTRY_BIT)
            | (part(self.weight, 7) << 18)
            | (part(self.popularity, 8) << 10)
            | (part(self.context, 3) << 7)
            | (u32::from(self.billable) << (EXTRA_WORDS_BITS + 1))
            | (u32::from(self.headed) << EXTRA_WORDS_BITS)
            | ((1 << EXTRA_WORDS_BITS) - 1 - part(self.extra_words, EXTRA_WORDS_BITS))
    }
}

/// Whether a word search's hit names an index entry of its record: the
/// query's words are a short Alphabetic Index entry leading to it (the
/// `names_entry` part of `Candidate::score`). The suggestion engine takes
/// such a hit for a concept of the note even when its title says more.
pub fn names_index_entry(score: u32) -> bool {
    score & (1 << NAMES_ENTRY_BIT) != 0
}

/// How much of the query a record matched: two points for each finished
/// word, one for the word still being typed (the last, matched as a
/// prefix, bit `prefix`). A record that matches "pneumonia" beats one that
/// only matches the "u" typed after it.
fn level(mask: u32, prefix: u32) -> u32 {
    2 * (mask & !prefix).count_ones() + (mask & prefix).count_ones()
}

/// How many title words a slot accounts for when it matches.
fn slot_width(slot: &Slot) -> u32 {
    slot.phrases.iter().map(|p| p.keys.len() as u32).min().unwrap_or(1).max(1)
}

/// Shortest prefix that may complete a word of a 7th-character label. A
/// label completes a header's title for every header of its category, so
/// "fracture o" matching "open" would make every fracture code a candidate;
/// one or two letters are too little to ask for that.
const LABEL_PREFIX_MIN: usize = 3;

/// A label mask not worked out yet.
const UNKNOWN: u32 = u32::MAX;

/// Which slots one label satisfies. One- and two-letter prefixes do not
/// complete label words (see `LABEL_PREFIX_MIN`).
fn label_mask(slots: &[Slot], label: &crate::pack::LabelWords) -> u32 {
    let mut mask = 0;
    for (s, slot) in slots.iter().enumerate() {
        let short = slot.prefix.as_ref().is_some_and(|p| p.chars().count() < LABEL_PREFIX_MIN);
        let matched = if short {
            Slot { prefix: None, ..slot.clone() }.matches_tokens(&label.tokens, &label.keys)
        } else {
            slot.matches_tokens(&label.tokens, &label.keys)
        };
        if matched {
            mask |= 1 << s;
        }
    }
    mask
}

/// The label masks of a pack for a query: all of them where labels are not
/// posted to their headers (their words can then satisfy a slot no list
/// holds, so every one must be known), else none yet.
fn label_masks(pack: &Pack<'_>, slots: &[Slot]) -> Result<Vec<u32>, PackError> {
    let n = pack.label_count() as usize;
    if pack.compose_rule().labels_posted {
        return Ok(vec![UNKNOWN; n]);
    }
    Ok(pack.label_words()?.iter().map(|l| label_mask(slots, l)).collect())
}

/// The lowest level (see `level`) a candidate needs to still reach the top
/// `limit`: once `limit` candidates are at level `n` or above, one below
/// can only rank below them.
#[derive(Debug)]
struct Floor {
    limit: usize,
    /// Candidates kept, by level (see `level`).
    at: [usize; 66],
    floor: u32,
}

impl Floor {
    fn new(limit: usize) -> Floor {
        Floor { limit, at: [0; 66], floor: 0 }
    }

    fn add(&mut self, level: u32) {
        self.at[level as usize] += 1;
        if level <= self.floor {
            return; // cannot raise the floor
        }
        let mut total = 0;
        for n in (self.floor as usize + 1..self.at.len()).rev() {
            total += self.at[n];
            if total >= self.limit {
                self.floor = n as u32;
                break;
            }
        }
    }
}

/// One pack's share of a word search: its slot lists and labels.
struct PackSearch<'s, 'p> {
    index: usize,
    pack: &'s Pack<'p>,
    lists: Vec<SlotList>,
    /// Which slots each label satisfies, worked out when first asked
    /// (`UNKNOWN` until then): a PCS pack has thousands of labels and a
    /// query looks at few of them.
    labels: std::cell::RefCell<Vec<u32>>,
    slots: &'s [Slot],
    /// Every slot some label satisfies: the most a label can add.
    label_any: u32,
    /// Id ranges of the chapters for a particular population (ICD-10-CM
    /// pregnancy, O00-O9A, and perinatal, P00-P96), when the query does not
    /// name one: their matches count half (see [`special_populations`]).
    special: Vec<(u32, u32)>,
    /// By composition id: every slot some label of the composition
    /// satisfies (`UNKNOWN` until asked). Most headers' children cannot add
    /// a slot to what the header matched; this says so without decoding
    /// the composition again for each header.
    compositions: std::cell::RefCell<Vec<u32>>,
}

/// Words that name a population the pregnancy and perinatal chapters are
/// for (matched as the start of a query word).
const POPULATION_WORDS: [&str; 20] = [
    "pregnan",
    "gestation",
    "obstetric",
    "antepartum",
    "postpartum",
    "puerper",
    "delivery",
    "labor",
    "labour",
    "trimester",
    "maternal",
    "abortion",
    "ectopic",
    "newborn",
    "neonat",
    "perinatal",
    "fetal",
    "fetus",
    "preterm",
    "prematur",
];

/// The chapters of a code book that apply to one population only: by coding
/// convention a condition named plainly ("kidney infection") is coded
/// outside them, so their codes rank below the plain condition unless the
/// query names the population ("kidney infection pregnancy"). ICD-10-CM's
/// O and P chapters; none in other books.
fn special_populations(pack: &Pack<'_>, slots: &[Slot]) -> Result<Vec<(u32, u32)>, PackError> {
    if pack.system().id != "icd10cm"
        || slots
            .iter()
            .any(|s| POPULATION_WORDS.iter().any(|w| s.typed.starts_with(w) || w.starts_with(s.typed.as_str())))
    {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for &(chapter, end) in pack.top_level_ranges()? {
        let code = pack.code(chapter)?;
        if (code.starts_with('O') || code.starts_with('P')) && code.contains('-') {
            out.push((chapter, end));
        }
    }
    Ok(out)
}

impl<'s, 'p> PackSearch<'s, 'p> {
    /// Reads each slot's candidates in `pack`.
    fn new(index: usize, pack: &'s Pack<'p>, slots: &'s [Slot], recent: &RecentLists) -> Result<Self, PackError> {
        let lists: Vec<SlotList> = slots.iter().map(|s| slot_list(recent, pack, s)).collect::<Result<_, _>>()?;
        let labels = if pack.label_count() > 0 { label_masks(pack, slots)? } else { Vec::new() };
        // Where label words are not posted to their headers, a label can
        // satisfy a slot that no list holds for the header ("free" slots).
        let label_any = if pack.compose_rule().labels_posted { 0 } else { labels.iter().fold(0u32, |m, l| m | l) };
        let special = special_populations(pack, slots)?;
        let compositions = std::cell::RefCell::new(vec![UNKNOWN; pack.composition_count() as usize]);
        Ok(PackSearch {
            index,
            pack,
            lists,
            labels: std::cell::RefCell::new(labels),
            slots,
            label_any,
            special,
            compositions,
        })
    }
}

/// The state shared by the packs of one search.
struct Collector<'a> {
    widths: Vec<u32>,
    /// The bit of the slot matched as a prefix (the last word), or 0.
    prefix: u32,
    billable_only: bool,
    filter: &'a Filter,
    candidates: Vec<Candidate>,
    floor: Floor,
    /// A level every candidate must reach besides the floor: set when the
    /// retired books are searched, after the current ones (see
    /// `search_words`).
    min_level: u32,
}

impl Collector<'_> {
    /// The least level a candidate needs to be kept.
    fn bar(&self) -> u32 {
        self.floor.floor.max(self.min_level)
    }
}

impl Collector<'_> {
    /// Scores record `id`, matched as `matches` says, and its composed
    /// children; keeps those that can still reach the top.
    fn evaluate(
        &mut self,
        packs: &[&Pack<'_>],
        ps: &PackSearch<'_, '_>,
        id: u32,
        matches: &[Option<SlotMatch>],
    ) -> Result<(), PackError> {
        let (mut mask, mut weight, mut title_words, mut popularity) = (0u32, 0u32, 0u32, 0u32);
        let mut billable = false;
        // Slots found only through the labels of the record's composed
        // children: they bring the header here, its children decide.
        let mut child_mask = 0u32;
        for (s, m) in matches.iter().enumerate() {
            if let Some(p) = m {
                billable = p.billable && !ps.pack.is_terminated(id);
                if p.field == Field::ChildLabel as u8 {
                    child_mask |= 1 << s;
                    continue;
                }
                mask |= 1 << s;
                weight += p.weight();
                popularity += u32::from(p.popularity);
                if p.field == Field::Title as u8 {
                    title_words += matched_words(&ps.slots[s], p.phrase);
                }
            }
        }
        let special = ps.special.iter().any(|&(from, to)| (from..to).contains(&id));
        if special {
            weight /= 2;
        }
        let reachable = mask | child_mask | ps.label_any;
        if level(reachable, self.prefix) < self.bar() || !self.filter.allows(packs, ps.index, id)? {
            return Ok(());
        }
        // The words the record matched: an expansion counts its own
        // ("high blood pressure" matched as "hypertension" is one word).
        let n: usize = matches
            .iter()
            .zip(ps.slots)
            .map(|(m, slot)| m.map_or(slot.words, |m| matched_words(slot, m.phrase)) as usize)
            .sum();
        // Every word, whole, in a short index entry of no more words than
        // that ("congestive heart failure": "Failure, heart" and "Failure,
        // heart, congestive" both lead to I50.9, and a posting keeps the
        // shortest). An estimate: the words could come from different
        // entries.
        let names_entry = n <= usize::from(format::POSTING_ENTRY_MAX)
            && matches.iter().all(|m| {
                m.is_some_and(|m| m.field != Field::ChildLabel as u8 && m.entry != 0 && usize::from(m.entry) <= n)
            });
        let headed = matches.iter().any(|m| m.is_some_and(|m| m.head));
        let (mut phrases, mut by_index) = (u64::MAX, 0u32);
        for (s, m) in matches.iter().enumerate().take(16) {
            if let Some(m) = m {
                phrases = (phrases & !(0xF << (4 * s))) | (u64::from(m.phrase) << (4 * s));
                if Field::is_index(m.field) {
                    by_index |= 1 << s;
                }
            }
        }
        if mask != 0 && (billable || !self.billable_only) && level(mask, self.prefix) >= self.bar() {
            self.candidates.push(Candidate {
                pack: ps.index,
                id,
                mask,
                weight,
                popularity,
                context: 0,
                billable,
                current: !ps.pack.system().legacy,
                names_entry,
                phrases,
                by_index,
                title_words,
                extra_words: 0,
                content_words: UNKNOWN,
                headed,
            });
            self.floor.add(level(mask, self.prefix));
        }
        // Composed children follow their header; they are hits of their own
        // when their labels match more of the query, or when only billable
        // codes are wanted. Only then is the row read.
        if billable || (!self.billable_only && (ps.label_any | child_mask) & !mask == 0) {
            return Ok(());
        }
        let row = ps.pack.row(id)?;
        let Some(set) = ps.pack.composition_id(&row)? else {
            return Ok(());
        };
        let set_any = self.composition_mask(ps, set, &row)?;
        if (set_any & !mask == 0 && !self.billable_only) || level(mask | set_any, self.prefix) < self.bar() {
            return Ok(());
        }
        let Some((first, rows)) = ps.pack.composed_children_of(id, &row)? else {
            return Ok(());
        };
        // A composed record's title is its header's and its labels'.
        let header_words = ps.pack.content_words(id)?;
        let mut k = first;
        for axes in &rows {
            // Checked by `composed_children_of`: the sizes fit the pack.
            let size = composition::row_size(axes).unwrap_or(0);
            // The most this row's labels can add; skip the row if nothing.
            let row_any = axes.iter().flatten().fold(0u32, |m, &l| m | self.label_mask(ps, l));
            if (row_any & !mask == 0 && !self.billable_only) || level(mask | row_any, self.prefix) < self.bar() {
                k += size;
                continue;
            }
            composition::for_each_combination(axes, |labels| {
                let label_mask = labels.iter().fold(0u32, |m, &l| m | self.label_mask(ps, l));
                let mut label_words = 0u32;
                let new_mask = mask | label_mask;
                if !((new_mask == mask && !self.billable_only) || level(new_mask, self.prefix) < self.bar())
                    && ps.pack.is_present(k)
                {
                    for &l in labels {
                        label_words = label_words.saturating_add(ps.pack.label_content_words(l)?);
                    }
                    let (mut w, mut tw, mut pop) = (0, 0, 0);
                    for (s, m) in matches.iter().enumerate() {
                        if label_mask & (1 << s) != 0 {
                            w += Field::weight(Field::Title as u8) * 2;
                            pop += u32::from(WHOLE_POPULARITY);
                            tw += self.widths[s];
                        } else if let Some(m) = m.filter(|m| m.field != Field::ChildLabel as u8) {
                            w += m.weight();
                            pop += u32::from(m.popularity);
                            if m.field == Field::Title as u8 {
                                tw += matched_words(&ps.slots[s], m.phrase);
                            }
                        }
                    }
                    if special {
                        w /= 2;
                    }
                    self.candidates.push(Candidate {
                        pack: ps.index,
                        id: k,
                        mask: new_mask,
                        weight: w,
                        popularity: pop,
                        context: 0,
                        billable: true,
                        current: !ps.pack.system().legacy,
                        names_entry,
                        phrases,
                        by_index: by_index & !label_mask,
                        title_words: tw,
                        extra_words: 0,
                        content_words: header_words.saturating_add(label_words),
                        headed,
                    });
                    self.floor.add(level(new_mask, self.prefix));
                }
                k += 1;
                Ok::<(), PackError>(())
            })?;
        }
        Ok(())
    }

    /// Which slots some label of composition `set` (the composition of the
    /// header `row`) satisfies, worked out once per query and composition.
    fn composition_mask(&self, ps: &PackSearch<'_, '_>, set: u32, row: &crate::pack::Row) -> Result<u32, PackError> {
        let known = ps.compositions.borrow().get(set as usize).copied().unwrap_or(UNKNOWN);
        if known != UNKNOWN {
            return Ok(known);
        }
        let composition = ps.pack.composition(row)?;
        let mask = composition.iter().flatten().flatten().fold(0u32, |m, &l| m | self.label_mask(ps, l));
        if let Some(slot) = ps.compositions.borrow_mut().get_mut(set as usize) {
            *slot = mask;
        }
        Ok(mask)
    }

    /// Which slots label `l` satisfies (computed once per query and label).
    fn label_mask(&self, ps: &PackSearch<'_, '_>, l: u32) -> u32 {
        let known = ps.labels.borrow().get(l as usize).copied().unwrap_or(0);
        if known != UNKNOWN {
            return known;
        }
        let mask =
            ps.pack.label_words().ok().and_then(|w| w.get(l as usize).map(|w| label_mask(ps.slots, w))).unwrap_or(0);
        if let Some(slot) = ps.labels.borrow_mut().get_mut(l as usize) {
            *slot = mask;
        }
        mask
    }

    /// Records by how many slots they match, best first, until no more can
    /// reach the top `limit`. The rounds count "required" slots: the
    /// finished words that no 7th-character label can satisfy, or if there
    /// are none, all finished words, or if there are none, the word being
    /// typed. The other slots are looked up but not required. A record that
    /// misses `m` required slots appears in at least one of any `m + 1` of
    /// their lists, so round `m` walks the union of the `m + 1` shortest
    /// lists and looks the record up in the others. Most queries end after
    /// round 0, having read only the shortest list.
    fn by_rounds(&mut self, packs: &[&Pack<'_>], ps: &PackSearch<'_, '_>) -> Result<(), PackError> {
        let n = ps.lists.len();
        let free = ps.label_any;
        let finished: Vec<usize> = (0..n).filter(|&s| self.prefix & (1 << s) == 0).collect();
        let mut required: Vec<usize> = finished.iter().copied().filter(|&s| free & (1 << s) == 0).collect();
        if required.is_empty() {
            required = finished;
        }
        if required.is_empty() {
            required = (0..n).collect();
        }
        required.sort_by_key(|&s| ps.lists[s].len());
        let required_mask = required.iter().fold(0u32, |m, &s| m | 1 << s);
        let all_slots = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        // What missing each required slot costs at best (a label may
        // restore a free one), cheapest first.
        let mut costs: Vec<u32> =
            required.iter().map(|&s| if free & (1 << s) != 0 { 0 } else { level(1 << s, self.prefix) }).collect();
        costs.sort_unstable();
        let r = required.len();
        let mut matches: Vec<Option<SlotMatch>> = vec![None; n];
        for missing in 0..r {
            let drivers = &required[..=missing];
            let mut heads = vec![0usize; drivers.len()];
            let mut cursors = vec![0usize; n];
            loop {
                let next = drivers.iter().zip(&heads).filter_map(|(&s, &h)| ps.lists[s].get(h).map(|p| p.id)).min();
                let Some(id) = next else { break };
                for (k, &s) in drivers.iter().enumerate() {
                    if ps.lists[s].get(heads[k]).is_some_and(|p| p.id == id) {
                        heads[k] += 1;
                    }
                }
                let mut hit = 0u32;
                for s in 0..n {
                    matches[s] = seek(&ps.lists[s], &mut cursors[s], id);
                    if matches[s].is_some() {
                        hit |= 1 << s;
                    }
                }
                // Records matching more were taken in an earlier round.
                if (hit & required_mask).count_ones() as usize == r - missing {
                    self.evaluate(packs, ps, id, &matches)?;
                }
            }
            if missing + 1 >= r {
                break;
            }
            // The best a record of the next round (missing one more required
            // slot, the cheapest ones) can reach.
            let next_best = level(all_slots, self.prefix).saturating_sub(costs[..=missing].iter().sum::<u32>());
            if next_best < self.bar() {
                break;
            }
        }
        Ok(())
    }
}

/// Moves `cursor` forward to `id` in an ascending list (galloping, since
/// the ids asked for only grow) and returns the match there, if any.
fn seek(list: &[SlotMatch], cursor: &mut usize, id: u32) -> Option<SlotMatch> {
    let mut step = 1;
    let mut hi = *cursor;
    while hi < list.len() && list[hi].id < id {
        *cursor = hi;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(list.len());
    *cursor += list[*cursor..hi].partition_point(|p| p.id < id);
    list.get(*cursor).filter(|p| p.id == id).copied()
}

/// Word search over the packs.
pub fn search_words(
    packs: &[&Pack<'_>],
    recent: &RecentLists,
    slots: &[Slot],
    filter: &Filter,
    billable_only: bool,
    setting: Option<super::Setting>,
    limit: usize,
) -> Result<Vec<Hit>, QueryError> {
    let prefix = slots.iter().enumerate().filter(|(_, s)| s.prefix.is_some()).fold(0u32, |m, (i, _)| m | 1 << i);
    let mut collector = Collector {
        widths: slots.iter().map(slot_width).collect(),
        prefix,
        billable_only,
        filter,
        candidates: Vec::new(),
        floor: Floor::new(limit),
        min_level: 0,
    };
    // Current books first. A retired book's record ranks below a current
    // book's on the same level, so once the current books hold `limit`
    // candidates at the floor or above, a retired record must match more
    // than the floor to place at all, and a retired book that cannot is
    // not searched.
    let all_slots = if slots.len() >= 32 { u32::MAX } else { (1u32 << slots.len()) - 1 };
    // Each pack's slot lists, kept for the ranking (see `CategoryContext`).
    let mut lists: Vec<Vec<SlotList>> = vec![Vec::new(); packs.len()];
    for retired in [false, true] {
        if retired && collector.floor.floor > 0 {
            collector.min_level = collector.floor.floor + 1;
            if collector.min_level > level(all_slots, prefix) {
                break;
            }
        }
        for (index, pack) in packs.iter().enumerate().filter(|(_, p)| p.system().legacy == retired) {
            let search = PackSearch::new(index, pack, slots, recent)?;
            collector.by_rounds(packs, &search)?;
            lists[index] = search.lists;
        }
    }
    let floor = collector.floor.floor;
    let mut candidates = collector.candidates;
    candidates.retain(|c| level(c.mask, prefix) >= floor);
    rank(packs, slots, &lists, candidates, limit, prefix, setting)
}

/// Keeps the candidates whose `key` is at least the `limit`-th largest.
fn keep_best(candidates: &mut Vec<Candidate>, limit: usize, key: impl Fn(&Candidate) -> u32) {
    if candidates.len() > limit {
        let mut keys: Vec<u32> = candidates.iter().map(&key).collect();
        let nth = keys.len() - limit;
        let (_, threshold, _) = keys.select_nth_unstable(nth);
        let threshold = *threshold;
        candidates.retain(|c| key(c) >= threshold);
    }
}

/// A composed record's extra words where the patient is in aftercare (a
/// skilled nursing facility): its subsequent-encounter label counts as no
/// word, as the initial encounter's does by default, and the initial
/// encounter counts one more than that, so that D comes before A.
fn in_aftercare(pack: &Pack<'_>, id: u32, extra_words: u32) -> Result<u32, QueryError> {
    if !pack.is_composed(id) {
        return Ok(extra_words);
    }
    let (_, labels) = pack.composed_labels(id)?;
    let mut extra = extra_words;
    for l in labels {
        let text = pack.label(l)?.1.to_lowercase();
        if text.starts_with("subsequent encounter") {
            extra = extra.saturating_sub(pack.label_content_words(l)?);
        } else if text.starts_with("initial encounter") {
            extra = extra.saturating_add(1);
        }
    }
    Ok(extra)
}

/// Orders candidates and decodes the best `limit` of them.
fn rank(
    packs: &[&Pack<'_>],
    slots: &[Slot],
    lists: &[Vec<SlotList>],
    mut candidates: Vec<Candidate>,
    limit: usize,
    prefix: u32,
    setting: Option<super::Setting>,
) -> Result<Vec<Hit>, QueryError> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // Only candidates at least as good as the limit-th on the cheap key
    // need their category read, and of those only the ones as good as the
    // limit-th with it their own title.
    keep_best(&mut candidates, limit, |c| c.primary(prefix));
    // Not for a query that is one word only begun ("ac"): nothing yet says
    // what the record is about, and its candidates are many.
    let begun = match slots {
        [slot] => slot.phrases.is_empty() && slot.exact.iter().all(|k| packs.iter().all(|p| p.term(k).is_none())),
        _ => false,
    };
    if !begun {
        let mut contexts: Vec<Option<CategoryContext<'_>>> = (0..packs.len()).map(|_| None).collect();
        for c in &mut candidates {
            let context = match &mut contexts[c.pack] {
                Some(context) => context,
                slot => slot.insert(CategoryContext::new(packs[c.pack], &lists[c.pack])?),
            };
            c.context = (c.mask & context.slots(c.id)).count_ones();
        }
    }
    keep_best(&mut candidates, limit, |c| c.score(prefix) >> EXTRA_WORDS_BITS);
    for c in &mut candidates {
        let words = if c.content_words == UNKNOWN { packs[c.pack].content_words(c.id)? } else { c.content_words };
        c.extra_words = words.saturating_sub(c.title_words);
        if setting == Some(super::Setting::Snf) {
            c.extra_words = in_aftercare(packs[c.pack], c.id, c.extra_words)?;
        }
    }
    let key = |c: &Candidate| (Reverse(c.score(prefix)), c.pack, c.id);
    if candidates.len() > limit {
        candidates.select_nth_unstable_by_key(limit - 1, key);
        candidates.truncate(limit);
    }
    candidates.sort_unstable_by_key(key);
    let mut hits = Vec::with_capacity(candidates.len());
    for c in candidates {
        let pack = packs[c.pack];
        let e = entry(pack, c.id)?;
        let matched = slots
            .iter()
            .enumerate()
            .filter(|(s, _)| c.mask & (1 << s) != 0)
            .map(|(_, slot)| slot.typed.clone())
            .collect();
        let highlights = highlights(&e.title, slots, c.mask);
        let via = via(slots, &c);
        hits.push(Hit {
            entry: e,
            score: c.score(prefix),
            matched,
            highlights,
            via,
            flags: None,
            record_id: Some(c.id),
        });
    }
    Ok(hits)
}

/// The slots whose words, whole, the title of a record's category holds
/// (its nearest ancestor-or-self of kind category; none in books without
/// categories), for one pack and one query. The category is a record of
/// the slot lists like any other: it holds slot `s` in its title when its
/// best match in list `s` is a whole title word (a title match weighs more
/// than any other field), so no title is read. The category of candidates
/// that come in id order, as most do, is found without a search.
struct CategoryContext<'a> {
    ranges: &'a [(u32, u32)],
    lists: &'a [SlotList],
    /// By range: the slots the category's title holds, `UNKNOWN` until
    /// worked out.
    masks: Vec<u32>,
    /// The range of the last record asked about.
    cursor: usize,
}

impl<'a> CategoryContext<'a> {
    fn new(pack: &'a Pack<'_>, lists: &'a [SlotList]) -> Result<Self, PackError> {
        let ranges = pack.category_ranges()?;
        Ok(CategoryContext { ranges, lists, masks: vec![UNKNOWN; ranges.len()], cursor: 0 })
    }

    /// The range holding `id`, if any.
    fn range_of(&mut self, id: u32) -> Option<usize> {
        let starts_at_or_before = |i: usize| self.ranges.get(i).is_some_and(|r| r.0 <= id);
        let i = if starts_at_or_before(self.cursor) && !starts_at_or_before(self.cursor + 1) {
            self.cursor
        } else {
            self.ranges.partition_point(|&(start, _)| start <= id).checked_sub(1)?
        };
        self.cursor = i;
        (id < self.ranges[i].1).then_some(i)
    }

    fn slots(&mut self, id: u32) -> u32 {
        let Some(i) = self.range_of(id) else { return 0 };
        if self.masks[i] == UNKNOWN {
            let category = self.ranges[i].0;
            let whole_title_word = 2 * Field::weight(Field::Title as u8);
            self.masks[i] = self.lists.iter().enumerate().fold(0u32, |mask, (s, list)| {
                let found = list.binary_search_by_key(&category, |m| m.id).ok().map(|k| list[k]);
                if found.is_some_and(|m| m.weight() == whole_title_word) {
                    mask | 1 << s
                } else {
                    mask
                }
            });
        }
        self.masks[i]
    }
}

/// How a hit matched when not by the query's own words in its own text, the
/// first that applies: a corrected word (the query as corrected), an
/// abbreviation or lay term's expansion ("heart attack → myocardial
/// infarction"), or an Alphabetic Index entry (the query's words it
/// matched; the pack keeps the index's words, not its text).
fn via(slots: &[Slot], c: &Candidate) -> Option<Via> {
    let matched = |s: usize| c.mask & (1 << s) != 0;
    if slots.iter().enumerate().any(|(s, slot)| matched(s) && slot.corrected.is_some()) {
        let text: Vec<&str> =
            slots.iter().map(|slot| slot.corrected.as_deref().unwrap_or(slot.typed.as_str())).collect();
        return Some(Via { kind: "typo", text: text.join(" ") });
    }
    let expanded: Vec<(&Slot, &str)> = slots
        .iter()
        .enumerate()
        .take(16)
        .filter(|(s, _)| matched(*s))
        .filter_map(|(s, slot)| {
            let k = ((c.phrases >> (4 * s)) & 0xF) as u8;
            let expansion = slot.phrases.get(usize::from(k)).filter(|_| k < OWN_WORDS);
            expansion.and_then(|p| p.expansion.as_deref()).map(|t| (slot, t))
        })
        .collect();
    if let Some((slot, _)) = expanded.first() {
        let text: Vec<String> = expanded.iter().map(|(s, t)| format!("{} → {t}", s.typed)).collect();
        return Some(Via { kind: slot.expansion.unwrap_or("abbreviation"), text: text.join("; ") });
    }
    if c.by_index != 0 {
        let words: Vec<&str> =
            slots.iter().enumerate().filter(|(s, _)| matched(*s)).map(|(_, slot)| slot.typed.as_str()).collect();
        return Some(Via { kind: "index", text: words.join(" ") });
    }
    None
}

/// Character ranges of the title's words that match one of the matched slots.
fn highlights(title: &str, slots: &[Slot], mask: u32) -> Vec<[u32; 2]> {
    let mut out = Vec::new();
    for token in normalize::tokens(title) {
        let key = normalize::term_key(&token.folded);
        let len = slots
            .iter()
            .enumerate()
            .filter(|(s, _)| mask & (1 << s) != 0)
            .filter_map(|(_, slot)| slot.matches_token(&token, &key))
            .max();
        if let Some(len) = len {
            out.push([token.start as u32, (token.start + len) as u32]);
        }
    }
    out
}
