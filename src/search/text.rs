//! Type-ahead search: words → postings → merged candidates → ranked hits.
//!
//! Every query word is a *slot*. A slot's candidates are the records whose
//! postings hold its stem, a term it begins (the last word, as a prefix) or
//! every word of one of its abbreviation's expansions. The slots' sorted
//! candidate lists are merged in one pass; a record's rank is, in order:
//!
//! 1. how many slots it matched (all words beat some words);
//! 2. the weight of the fields they matched in (title > inclusion term > note);
//! 3. how many of the matched words its category's title holds too, so that
//!    "chf" prefers the I50 (Heart failure) codes to "Rheumatic heart failure";
//! 4. billable before headers;
//! 5. fewer title words beyond the query, not counting "unspecified", "NOS"
//!    and the like: when a query says no more, the unspecified code is the
//!    coding default ("Heart failure, unspecified" before "Other heart failure");
//! 6. book order, so that equal hits always come in the same order.
//!
//! Codes that need a 7th character are not in the postings (their titles are
//! their header's title plus a label); a header that matches brings along
//! those of its composed codes whose label matches further words, or all of
//! them when only billable codes are wanted.

use super::query::Slot;
use super::{entry, Hit};
use crate::error::{PackError, QueryError};
use crate::model::Field;
use crate::normalize;
use crate::pack::{Pack, Posting, TermRef};
use std::cmp::Reverse;

/// Postings decoded for one prefix at most. A one-letter prefix begins
/// thousands of words; the commonest ones are the likeliest completions.
const PREFIX_POSTINGS_BUDGET: u64 = 12_000;
/// Terms looked at for one prefix at most.
const PREFIX_TERMS_SCANNED: usize = 4_000;

/// Restrictions on where hits may come from.
#[derive(Debug, Default)]
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

    /// Adds a code typed among the words (`diabetes e11`). Several code
    /// tokens widen each other; with `within`, both must hold.
    pub fn add_code_prefix(&mut self, packs: &[&Pack<'_>], code: &str) -> Result<(), QueryError> {
        let mut code_filter = Filter::default();
        code_filter.add_within(packs, code)?;
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

fn in_range(code: &str, lo: &str, hi: &str) -> bool {
    let head = |n: usize| &code[..code.len().min(n)];
    head(lo.len()) >= lo && head(hi.len()) <= hi
}

/// Code completion: records whose code starts with one of `codes`, the
/// exact code first, then in code order.
pub fn complete_codes(packs: &[&Pack<'_>], codes: &[String], filter: &Filter, billable_only: bool, limit: usize) -> Result<Vec<Hit>, QueryError> {
    let mut hits = Vec::new();
    for code in codes {
        for (pi, pack) in packs.iter().enumerate() {
            // Read a little past the limit, as filters may drop some.
            for (key, id) in pack.codes_with_prefix(code, limit.saturating_mul(8).max(64)) {
                if hits.len() >= limit {
                    break;
                }
                let row = pack.row(id)?;
                if (billable_only && !row.billable) || !filter.allows(packs, pi, id)? {
                    continue;
                }
                let exact = key == *code;
                let e = entry(pack, id)?;
                hits.push((exact, pi, key.len(), Hit { entry: e, score: if exact { 1000 } else { 900 }, matched: vec![code.to_lowercase()], highlights: Vec::new() }));
            }
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(hits.into_iter().take(limit).map(|h| h.3).collect())
}

/// A record matched by one slot.
#[derive(Debug, Clone, Copy)]
struct SlotMatch {
    id: u32,
    field: u8,
    in_context: bool,
    /// Matched by the whole word or an expansion, not only as a prefix.
    whole: bool,
    /// For a prefix match, how common the completed word is (log2 of its
    /// record count): "hypert" completes "hypertension" before
    /// "hypertrichosis". Whole matches have the top value.
    popularity: u8,
}

impl SlotMatch {
    /// The field weight, a point less when the word only begins a term:
    /// "uti" typed whole is the abbreviation before it is "utilities".
    fn weight(&self) -> u32 {
        Field::weight(self.field) * 2 - u32::from(!self.whole)
    }
}

/// Popularity of a whole-word match (above any prefix completion).
const WHOLE_POPULARITY: u8 = 32;

fn popularity(doc_freq: u32) -> u8 {
    (32 - doc_freq.leading_zeros()) as u8
}

/// The candidates of one slot in one pack, ascending by id, one per record
/// with its best field and whether any matching term is in context.
fn slot_candidates(pack: &Pack<'_>, slot: &Slot) -> Result<Vec<SlotMatch>, PackError> {
    let mut all: Vec<SlotMatch> = Vec::new();
    let mut buf: Vec<Posting> = Vec::new();
    let take = |buf: &mut Vec<Posting>, whole: bool, popularity: u8, all: &mut Vec<SlotMatch>| {
        all.extend(buf.drain(..).map(|p| SlotMatch { id: p.id, field: p.field, in_context: p.in_context, whole, popularity }));
    };
    for key in &slot.exact {
        if let Some(t) = pack.term(key) {
            pack.postings(t, &mut buf)?;
        }
    }
    take(&mut buf, true, WHOLE_POPULARITY, &mut all);
    if let Some(prefix) = &slot.prefix {
        let mut terms: Vec<(usize, TermRef)> = Vec::new();
        let mut scanned = 0;
        pack.for_terms_with_prefix(prefix, |k, t| {
            scanned += 1;
            if !slot.exact.iter().any(|e| e == k) {
                terms.push((k.len(), t));
            }
            scanned < PREFIX_TERMS_SCANNED
        });
        let total: u64 = terms.iter().map(|t| u64::from(t.1.doc_freq)).sum();
        if total > PREFIX_POSTINGS_BUDGET {
            terms.sort_by_key(|(len, t)| (Reverse(t.doc_freq), *len));
            let mut spent = 0u64;
            terms.retain(|(_, t)| {
                let keep = spent == 0 || spent + u64::from(t.doc_freq) <= PREFIX_POSTINGS_BUDGET;
                if keep {
                    spent += u64::from(t.doc_freq);
                }
                keep
            });
        }
        for (_, t) in terms {
            pack.postings(t, &mut buf)?;
            take(&mut buf, false, popularity(t.doc_freq), &mut all);
        }
    }
    for phrase in &slot.phrases {
        let mut acc: Option<Vec<Posting>> = None;
        for word in phrase {
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
        take(&mut buf, true, WHOLE_POPULARITY, &mut all);
    }
    all.sort_unstable_by_key(|p| p.id);
    let mut out: Vec<SlotMatch> = Vec::with_capacity(all.len());
    for p in all {
        match out.last_mut() {
            Some(last) if last.id == p.id => {
                if (p.weight(), p.popularity) > (last.weight(), last.popularity) {
                    last.field = p.field;
                    last.whole = p.whole;
                    last.popularity = p.popularity;
                }
                last.in_context |= p.in_context;
            }
            _ => out.push(p),
        }
    }
    Ok(out)
}

/// Records in both lists, with the weaker field; in context if both are.
fn intersect(a: &[Posting], b: &[Posting]) -> Vec<Posting> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].id.cmp(&b[j].id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(Posting { id: a[i].id, field: a[i].field.max(b[j].field), in_context: a[i].in_context && b[j].in_context });
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
    /// record is *about* them, not merely mentioning them.
    context: u32,
    billable: bool,
    /// Words of the title matched by the query (an estimate: a slot counts
    /// for as many words as its shortest expansion).
    title_words: u32,
    /// Content words of the title the query did not ask for (filled late).
    extra_words: u32,
}

impl Candidate {
    fn primary(&self) -> (u32, u32, u32, u32, bool) {
        (self.mask.count_ones(), self.weight, self.popularity, self.context, self.billable)
    }

    fn score(&self) -> u32 {
        self.mask.count_ones() * 1000 + self.weight * 10 + self.context * 2 + u32::from(self.billable)
    }
}

/// How many title words a slot accounts for when it matches.
fn slot_width(slot: &Slot) -> u32 {
    slot.phrases.iter().map(|p| p.len() as u32).min().unwrap_or(1).max(1)
}

/// Which slots each 7th-character label of a pack satisfies.
fn label_masks(pack: &Pack<'_>, slots: &[Slot]) -> Result<Vec<u32>, PackError> {
    let mut masks = Vec::with_capacity(pack.label_count() as usize);
    for l in 0..pack.label_count() {
        let (_, text) = pack.label(l)?;
        let tokens = normalize::tokens(&text);
        let keys: Vec<String> = tokens.iter().map(|t| normalize::term_key(&t.folded)).collect();
        let mut mask = 0u32;
        for (s, slot) in slots.iter().enumerate() {
            if slot.matches_tokens(&tokens, &keys) {
                mask |= 1 << s;
            }
        }
        masks.push(mask);
    }
    Ok(masks)
}

/// Word search over the packs.
pub fn search_words(packs: &[&Pack<'_>], slots: &[Slot], filter: &Filter, billable_only: bool, limit: usize) -> Result<Vec<Hit>, QueryError> {
    let widths: Vec<u32> = slots.iter().map(slot_width).collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (pi, pack) in packs.iter().enumerate() {
        let lists: Vec<Vec<SlotMatch>> = slots.iter().map(|s| slot_candidates(pack, s)).collect::<Result<_, _>>()?;
        let labels = if pack.label_count() > 0 { label_masks(pack, slots)? } else { Vec::new() };
        let mut heads = vec![0usize; lists.len()];
        let mut matches: Vec<Option<SlotMatch>> = vec![None; lists.len()];
        loop {
            let mut min = u32::MAX;
            for (s, list) in lists.iter().enumerate() {
                if let Some(p) = list.get(heads[s]) {
                    min = min.min(p.id);
                }
            }
            if min == u32::MAX {
                break;
            }
            let (mut mask, mut weight, mut context, mut title_words, mut popularity) = (0u32, 0u32, 0u32, 0u32, 0u32);
            for (s, list) in lists.iter().enumerate() {
                if let Some(p) = list.get(heads[s]) {
                    if p.id == min {
                        mask |= 1 << s;
                        weight += p.weight();
                        popularity += u32::from(p.popularity);
                        context += u32::from(p.in_context);
                        if p.field == Field::Title as u8 {
                            title_words += widths[s];
                        }
                        matches[s] = Some(*p);
                        heads[s] += 1;
                    }
                }
            }
            if !filter.allows(packs, pi, min)? {
                continue;
            }
            let row = pack.row(min)?;
            if row.billable || !billable_only {
                candidates.push(Candidate { pack: pi, id: min, mask, weight, popularity, context, billable: row.billable, title_words, extra_words: 0 });
            }
            // Composed children (7th characters) follow their header.
            if let Some((first, child_labels)) = pack.composed_children(min)? {
                for (k, label) in child_labels.into_iter().enumerate() {
                    let label_mask = labels.get(label as usize).copied().unwrap_or(0);
                    let new_mask = mask | label_mask;
                    if new_mask == mask && !billable_only {
                        continue;
                    }
                    let (mut w, mut tw, mut pop) = (0, 0, 0);
                    for (s, m) in matches.iter().enumerate() {
                        if label_mask & (1 << s) != 0 {
                            w += Field::weight(Field::Title as u8) * 2;
                            pop += u32::from(WHOLE_POPULARITY);
                            tw += widths[s];
                        } else if let Some(m) = m.filter(|_| mask & (1 << s) != 0) {
                            w += m.weight();
                            pop += u32::from(m.popularity);
                            if m.field == Field::Title as u8 {
                                tw += widths[s];
                            }
                        }
                    }
                    candidates.push(Candidate {
                        pack: pi,
                        id: first + k as u32,
                        mask: new_mask,
                        weight: w,
                        popularity: pop,
                        context,
                        billable: true,
                        title_words: tw,
                        extra_words: 0,
                    });
                }
            }
        }
    }
    rank(packs, slots, candidates, limit)
}

/// Orders candidates and decodes the best `limit` of them.
fn rank(packs: &[&Pack<'_>], slots: &[Slot], mut candidates: Vec<Candidate>, limit: usize) -> Result<Vec<Hit>, QueryError> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // Only candidates at least as good as the limit-th on the cheap key
    // need their title read.
    if candidates.len() > limit {
        let mut keys: Vec<(u32, u32, u32, u32, bool)> = candidates.iter().map(Candidate::primary).collect();
        let nth = keys.len() - limit;
        let (_, threshold, _) = keys.select_nth_unstable(nth);
        let threshold = *threshold;
        candidates.retain(|c| c.primary() >= threshold);
    }
    for c in &mut candidates {
        c.extra_words = packs[c.pack].content_words(c.id)?.saturating_sub(c.title_words);
    }
    candidates.sort_unstable_by_key(|c| (Reverse(c.primary()), c.extra_words, c.pack, c.id));
    candidates.truncate(limit);
    let mut hits = Vec::with_capacity(candidates.len());
    for c in candidates {
        let pack = packs[c.pack];
        let e = entry(pack, c.id)?;
        let matched = slots.iter().enumerate().filter(|(s, _)| c.mask & (1 << s) != 0).map(|(_, slot)| slot.typed.clone()).collect();
        let highlights = highlights(&e.title, slots, c.mask);
        hits.push(Hit { entry: e, score: c.score(), matched, highlights });
    }
    Ok(hits)
}

/// Character ranges of the title's words that match one of the matched slots.
fn highlights(title: &str, slots: &[Slot], mask: u32) -> Vec<[u32; 2]> {
    let mut out = Vec::new();
    for token in normalize::tokens(title) {
        let len = slots
            .iter()
            .enumerate()
            .filter(|(s, _)| mask & (1 << s) != 0)
            .filter_map(|(_, slot)| slot.matches_token(&token))
            .max();
        if let Some(len) = len {
            out.push([token.start as u32, (token.start + len) as u32]);
        }
    }
    out
}
