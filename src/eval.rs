//! Search quality, measured: query sets in the TSV format of the evaluation
//! sets (`query<TAB>expected_codes<TAB>source`, a header line first), run
//! through [`CodeBook::search`], scored as recall@1, recall@k and mean
//! reciprocal rank. `chartcode eval` and `make eval` print the table that
//! `docs/QUALITY.md` keeps.
//!
//! `expected_codes` is any-of: a hit on any one counts. A `match=prefix:`
//! item in `source` names codes that are headers in the release the set was
//! checked against: any code below them counts too.
//!
//! The evaluation sets are for measuring only: nothing here reads them into
//! a pack, and the vocabulary tables are not written from them.

use crate::normalize::normalize_code;
use crate::search::{CodeBook, SearchOptions};
use serde::Serialize;
use std::fmt;

/// One query of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub query: String,
    /// Normalized codes (`E119`), any of which is a correct answer.
    pub expected: Vec<String>,
    /// Normalized codes any descendant of which is a correct answer.
    pub expected_prefixes: Vec<String>,
    /// Line in its file (1-based), for reports.
    pub line: usize,
}

/// A query set that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub file: String,
    pub line: usize,
    pub detail: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.detail)
    }
}

impl std::error::Error for EvalError {}

/// Reads a query set. The first line is the header (`query<TAB>expected_codes…`).
pub fn parse(text: &str, file: &str) -> Result<Vec<Case>, EvalError> {
    let mut out = Vec::new();
    let bad = |line: usize, detail: String| EvalError { file: file.to_string(), line, detail };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.starts_with("query\texpected_codes") => {}
        _ => return Err(bad(1, "the first line must be the header `query<TAB>expected_codes<TAB>source`".into())),
    }
    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(query), Some(codes)) = (fields.next(), fields.next()) else {
            return Err(bad(line_no, "expected `query<TAB>expected_codes[<TAB>source]`".into()));
        };
        let source = fields.next().unwrap_or("");
        let normalize = |c: &str| normalize_code(c.trim()).ok_or_else(|| bad(line_no, format!("{c:?} is not a code")));
        let expected =
            codes.split(',').filter(|c| !c.trim().is_empty()).map(normalize).collect::<Result<Vec<_>, _>>()?;
        let expected_prefixes = source
            .split('|')
            .filter_map(|item| item.strip_prefix("match=prefix:"))
            .flat_map(|list| list.split(','))
            .filter(|c| !c.trim().is_empty())
            .map(normalize)
            .collect::<Result<Vec<_>, _>>()?;
        if query.trim().is_empty() || (expected.is_empty() && expected_prefixes.is_empty()) {
            return Err(bad(line_no, "a query and at least one expected code are needed".into()));
        }
        out.push(Case { query: query.to_string(), expected, expected_prefixes, line: line_no });
    }
    Ok(out)
}

/// The query with one typo: the two middle letters of its longest word
/// (of 4 letters or more) swapped, `hypertension` → `hyperetnsion`. The same
/// every time, so that runs compare; measures how the search bears typos.
pub fn with_typo(query: &str) -> String {
    let mut words: Vec<String> = query.split(' ').map(str::to_string).collect();
    let Some(longest) = (0..words.len()).max_by_key(|&i| (words[i].chars().count(), usize::MAX - i)) else {
        return query.to_string();
    };
    let mut chars: Vec<char> = words[longest].chars().collect();
    let m = chars.len() / 2;
    if chars.len() >= 4 && chars[m - 1] != chars[m] {
        chars.swap(m - 1, m);
        words[longest] = chars.into_iter().collect();
    }
    words.join(" ")
}

/// A query the search did not answer at rank 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub query: String,
    pub expected: Vec<String>,
    /// The rank the first correct hit came at (`None`: not in the hits).
    pub rank: Option<usize>,
    /// The first hits' codes.
    pub got: Vec<String>,
}

/// The scores of one set.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub queries: usize,
    /// Queries answered at rank 1, and within the first `limit` hits.
    pub at_1: usize,
    pub at_limit: usize,
    pub limit: usize,
    /// Sum of 1/rank over the queries answered (0 for a miss).
    pub reciprocal_ranks: f64,
    /// Queries the search refused (an error), counted as misses.
    pub errors: usize,
    pub misses: Vec<Miss>,
}

impl Score {
    pub fn recall_at_1(&self) -> f64 {
        ratio(self.at_1, self.queries)
    }
    pub fn recall_at_limit(&self) -> f64 {
        ratio(self.at_limit, self.queries)
    }
    pub fn mrr(&self) -> f64 {
        if self.queries == 0 {
            0.0
        } else {
            self.reciprocal_ranks / self.queries as f64
        }
    }
}

fn ratio(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 / of as f64
    }
}

/// Runs every case through the search and scores it.
pub fn run(book: &CodeBook<'_>, cases: &[Case], options: &SearchOptions) -> Score {
    let mut score = Score {
        queries: cases.len(),
        at_1: 0,
        at_limit: 0,
        limit: options.limit,
        reciprocal_ranks: 0.0,
        errors: 0,
        misses: Vec::new(),
    };
    for case in cases {
        let hits = match book.search(&case.query, options) {
            Ok(hits) => hits,
            Err(_) => {
                score.errors += 1;
                Vec::new()
            }
        };
        let codes: Vec<String> = hits.iter().map(|h| h.entry.code.replace('.', "")).collect();
        let rank = codes
            .iter()
            .position(|c| case.expected.contains(c) || case.expected_prefixes.iter().any(|p| c.starts_with(p.as_str())))
            .map(|i| i + 1);
        if let Some(r) = rank {
            score.at_limit += 1;
            score.reciprocal_ranks += 1.0 / r as f64;
            if r == 1 {
                score.at_1 += 1;
                continue;
            }
        }
        score.misses.push(Miss {
            query: case.query.clone(),
            expected: case.expected.iter().chain(&case.expected_prefixes).cloned().collect(),
            rank,
            got: hits.iter().take(3).map(|h| h.entry.code.clone()).collect(),
        });
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_swaps_the_middle_of_the_longest_word() {
        assert_eq!(with_typo("essential hypertension"), "essential hyperetnsion");
        assert_eq!(with_typo("flu"), "flu");
        assert_eq!(with_typo("a bb"), "a bb");
        assert_eq!(with_typo(""), "");
    }

    #[test]
    fn sets_parse_and_bad_lines_are_named() {
        let text = "query\texpected_codes\tsource\nHeart failure\tI50.9,I50.1\tx|match=exact\nSynovitis\tM65.9\tx|match=prefix:M65.9\n";
        let cases = parse(text, "t.tsv").unwrap();
        assert_eq!(cases[0].expected, vec!["I509", "I501"]);
        assert_eq!(cases[1].expected_prefixes, vec!["M659"]);
        assert_eq!(cases[1].line, 3);
        let e = parse("query\texpected_codes\nchf\n", "t.tsv").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (2, "t.tsv"));
        assert!(parse("chf\tI50.9\n", "t.tsv").is_err(), "no header");
        assert!(parse("query\texpected_codes\nchf\tnot a code!\n", "t.tsv").is_err());
    }
}

/// Suggestion quality on CodiEsp's diagnosis track (CLEF eHealth 2020):
/// each note's ranked codes against its gold codes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodiespScore {
    pub notes: usize,
    /// Mean average precision over notes, codes compared uppercased
    /// without dots (the CodiEsp-D measure).
    pub map: f64,
    /// The same on 3-character categories.
    pub map_categories: f64,
    /// Of the codes suggested, how many are gold; of the gold, how many
    /// were suggested (micro-averaged over the default list).
    pub precision: f64,
    pub recall: f64,
}

/// Average precision of a ranked list against a gold set.
fn average_precision(ranked: &[String], gold: &std::collections::BTreeSet<String>) -> f64 {
    if gold.is_empty() {
        return 0.0;
    }
    let (mut hits, mut sum) = (0usize, 0f64);
    for (k, code) in ranked.iter().enumerate() {
        if gold.contains(code) {
            hits += 1;
            sum += hits as f64 / (k + 1) as f64;
        }
    }
    sum / gold.len() as f64
}

/// Runs `suggest` over one CodiEsp split (`dir` holds `{split}D.tsv` and
/// `text_files_en/`).
pub fn codiesp(
    book: &CodeBook<'_>,
    dir: &std::path::Path,
    options: &crate::suggest::SuggestOptions,
) -> Result<CodiespScore, EvalError> {
    use std::collections::{BTreeMap, BTreeSet};
    let split = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let gold_file = dir.join(format!("{split}D.tsv"));
    let failed =
        |file: &std::path::Path, detail: String| EvalError { file: file.display().to_string(), line: 0, detail };
    let text = std::fs::read_to_string(&gold_file).map_err(|e| failed(&gold_file, e.to_string()))?;
    let mut gold: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (Some(doc), Some(code)) = (cols.next(), cols.next()) else { continue };
        gold.entry(doc.to_string()).or_default().insert(code.trim().to_uppercase().replace('.', ""));
    }
    let (mut map, mut map_categories) = (0f64, 0f64);
    let (mut suggested, mut correct, mut wanted) = (0usize, 0usize, 0usize);
    for (doc, codes) in &gold {
        let path = dir.join("text_files_en").join(format!("{doc}.txt"));
        let note = std::fs::read_to_string(&path).map_err(|e| failed(&path, e.to_string()))?;
        let got = book.suggest(&note, options).map_err(|e| failed(&path, e.to_string()))?;
        let ranked: Vec<String> = got.iter().map(|s| s.entry.code.replace('.', "")).collect();
        map += average_precision(&ranked, codes);
        let mut categories: Vec<String> = Vec::new();
        for c in &ranked {
            let cat: String = c.chars().take(3).collect();
            if !categories.contains(&cat) {
                categories.push(cat);
            }
        }
        let gold_categories: BTreeSet<String> = codes.iter().map(|c| c.chars().take(3).collect()).collect();
        map_categories += average_precision(&categories, &gold_categories);
        suggested += ranked.len();
        correct += ranked.iter().filter(|c| codes.contains(*c)).count();
        wanted += codes.len();
    }
    let n = gold.len().max(1) as f64;
    Ok(CodiespScore {
        notes: gold.len(),
        map: map / n,
        map_categories: map_categories / n,
        precision: correct as f64 / suggested.max(1) as f64,
        recall: correct as f64 / wanted.max(1) as f64,
    })
}

/// Negation detection on the NegEx test set: each annotated condition in
/// its sentence, negated or not, against the physician's annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegexScore {
    pub sentences: usize,
    /// Conditions not found in their sentence (left out of the counts).
    pub unmatched: usize,
    pub true_negated: usize,
    pub false_negated: usize,
    pub missed_negated: usize,
    pub precision: f64,
    pub recall: f64,
}

/// Runs the assertion step over the NegEx test set's TSV (line, condition,
/// sentence, Negated/Affirmed, …; a header line first).
pub fn negex(text: &str) -> NegexScore {
    let (mut sentences, mut unmatched, mut tp, mut fp, mut fn_) = (0, 0, 0, 0, 0);
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [_, condition, sentence, status, ..] = cols.as_slice() else { continue };
        sentences += 1;
        let Some((start, end)) = find_folded(sentence, condition) else {
            unmatched += 1;
            continue;
        };
        let negated =
            crate::suggest::assertion_at(sentence, start, end) == crate::suggest::assertion::Assertion::Negated;
        let gold = status.trim().eq_ignore_ascii_case("negated");
        match (negated, gold) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    NegexScore {
        sentences,
        unmatched,
        true_negated: tp,
        false_negated: fp,
        missed_negated: fn_,
        precision: tp as f64 / (tp + fp).max(1) as f64,
        recall: tp as f64 / (tp + fn_).max(1) as f64,
    }
}

/// The byte range of `needle` in `haystack`, ignoring case and runs of
/// spaces (the set's conditions are written with the sentence's spacing
/// squeezed or not).
fn find_folded(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    let words: Vec<String> = needle.split_whitespace().map(str::to_lowercase).collect();
    let first = words.first()?;
    let lower = haystack.to_lowercase();
    if lower.len() != haystack.len() {
        return None;
    }
    let mut from = 0;
    while let Some(at) = lower[from..].find(first.as_str()) {
        let start = from + at;
        let mut end = start + first.len();
        let mut ok = true;
        for w in &words[1..] {
            let rest = &lower[end..];
            let trimmed = rest.trim_start();
            if !trimmed.starts_with(w.as_str()) {
                ok = false;
                break;
            }
            end += rest.len() - trimmed.len() + w.len();
        }
        if ok {
            return Some((start, end));
        }
        from = start + first.len();
    }
    None
}
