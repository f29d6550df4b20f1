//! A note cut into the pieces suggestion reads one at a time: sections
//! (by their headers), and within them sentences and list items, each a run
//! of words with where they stand in the note.
//!
//! Clinical notes are written in headed sections ("Past medical history:",
//! "FHx:", "A/P:"), in sentences, and in lists ("- HTN", "1. DM2"). The
//! section says whose condition and when (a family history section holds
//! relatives' conditions); a sentence or list item is the reach of a
//! negation or hedge ("no chest pain" says nothing of the next line).

use crate::normalize;

/// Where in a note a piece stands, by its section header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// No header yet, or one that says nothing of assertion: chief
    /// complaint, history of present illness, review of systems, exam.
    Current,
    /// Past medical or surgical history: conditions of the past.
    PastHistory,
    /// Family history: relatives' conditions.
    FamilyHistory,
    /// Social history (smoking, alcohol, living situation).
    SocialHistory,
    /// Assessment, impression, diagnoses, plan: what the clinician concluded.
    Assessment,
    /// Current medications.
    Medications,
    /// Allergies.
    Allergies,
}

/// Section headers as written (folded, words separated by one space), and
/// the section each opens. Written for chartcode from the usual headings of
/// the H&P and SOAP note and their common abbreviations (as in general
/// clinical documentation references).
const HEADERS: &[(&str, Section)] = &[
    ("a p", Section::Assessment),
    ("allergies", Section::Allergies),
    ("allergy", Section::Allergies),
    ("assessment", Section::Assessment),
    ("assessment and plan", Section::Assessment),
    ("cc", Section::Current),
    ("chief complaint", Section::Current),
    ("current medications", Section::Medications),
    ("diagnoses", Section::Assessment),
    ("diagnosis", Section::Assessment),
    ("discharge diagnoses", Section::Assessment),
    ("exam", Section::Current),
    ("family history", Section::FamilyHistory),
    ("family hx", Section::FamilyHistory),
    ("fh", Section::FamilyHistory),
    ("fhx", Section::FamilyHistory),
    ("history of present illness", Section::Current),
    ("home medications", Section::Medications),
    ("hpi", Section::Current),
    ("impression", Section::Assessment),
    ("impression and plan", Section::Assessment),
    ("medical history", Section::PastHistory),
    ("medications", Section::Medications),
    ("meds", Section::Medications),
    ("past history", Section::PastHistory),
    ("past medical history", Section::PastHistory),
    ("past surgical history", Section::PastHistory),
    ("pe", Section::Current),
    ("physical exam", Section::Current),
    ("physical examination", Section::Current),
    ("plan", Section::Assessment),
    ("pmh", Section::PastHistory),
    ("pmhx", Section::PastHistory),
    ("problem list", Section::Assessment),
    ("problems", Section::Assessment),
    ("psh", Section::PastHistory),
    ("reason for visit", Section::Current),
    ("review of systems", Section::Current),
    ("ros", Section::Current),
    ("sh", Section::SocialHistory),
    ("social history", Section::SocialHistory),
    ("social hx", Section::SocialHistory),
    ("subjective", Section::Current),
    ("surgical history", Section::PastHistory),
];

/// One word of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower case, accents removed (`normalize::fold_char`); shorthand
    /// written with a slash stays one word (`s/p`, `h/o`, `r/o`).
    pub folded: String,
    /// Byte range in the note.
    pub start: usize,
    pub end: usize,
    /// Written in capitals (`MI`, `CHF`): a short abbreviation counts only
    /// so, since "ms" or "pt" in lower case are more often other words.
    pub capitals: bool,
    /// Punctuation that separates items (`,` `:` `(` `)` `/`) follows the
    /// word: a concept does not run across it.
    pub break_after: bool,
    /// A closing parenthesis, or in a list section a comma, follows the
    /// word: what a trigger before it says does not reach past it
    /// ("lisinopril (not taking), aspirin").
    pub ends_scope: bool,
}

/// A sentence or list item: the reach of a negation or hedge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub section: Section,
    pub words: Vec<Word>,
}

/// Cuts `note` into pieces, in order.
pub fn pieces(note: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut section = Section::Current;
    for line in lines(note) {
        let (text, offset) = line;
        let mut words = words(text, offset);
        if words.is_empty() {
            continue;
        }
        // A header: the line is only a header ("FAMILY HISTORY"), or starts
        // with one and a colon ("PMH: HTN, DM").
        if let Some((len, s)) = header_at(&words, text, offset) {
            section = s;
            words.drain(..len);
            if words.is_empty() {
                continue;
            }
        }
        // A numbered item's number ("1. s/p appendectomy") is no word of it.
        let numbered = text.trim_start().starts_with(|c: char| c.is_ascii_digit()) && is_list_item(text);
        if numbered && words.first().is_some_and(|w| w.folded.chars().all(|c| c.is_ascii_digit())) {
            words.remove(0);
        }
        for sentence in sentences(note, words) {
            // "Plan: start furosemide": a header after a sentence's end.
            let mut sentence = sentence;
            if let Some((len, s)) = header_at(&sentence, note, 0) {
                section = s;
                sentence.drain(..len);
            }
            if !sentence.is_empty() {
                out.push(Piece { section, words: sentence });
            }
        }
    }
    out
}

/// Lines with their byte offsets; a line that wraps a sentence (it does not
/// end with a sentence's punctuation and the next starts in lower case) is
/// joined to the next.
fn lines(note: &str) -> Vec<(&str, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, c) in note.char_indices() {
        if c == '\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, note.len()));
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (s, e) in out {
        let text = note[s..e].trim_start();
        let continues = text.chars().next().is_some_and(|c| c.is_lowercase());
        if let Some(last) = joined.last_mut() {
            let prev = note[last.0..last.1].trim_end();
            let open = !prev.is_empty() && !prev.ends_with(['.', '!', '?', ':', ';']);
            if continues && open && !is_list_item(text) {
                last.1 = e;
                continue;
            }
        }
        joined.push((s, e));
    }
    joined.into_iter().map(|(s, e)| (&note[s..e], s)).collect()
}

fn is_list_item(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(['-', '*', '\u{2022}']) || {
        let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
        digits > 0 && t[digits..].starts_with(['.', ')'])
    }
}

/// The header that begins `words` (of `text`, which starts at byte
/// `offset` of the note), and how many words it takes: the whole line, or
/// words followed by a colon.
fn header_at(words: &[Word], text: &str, offset: usize) -> Option<(usize, Section)> {
    for n in (1..=4.min(words.len())).rev() {
        let name = words[..n].iter().map(|w| w.folded.replace('/', " ")).collect::<Vec<_>>().join(" ");
        let Ok(i) = HEADERS.binary_search_by(|(h, _)| (*h).cmp(name.as_str())) else { continue };
        let end = words[n - 1].end - offset;
        let rest = text.get(end..).unwrap_or("");
        let colon = rest.trim_start().starts_with(':');
        let whole_line = n == words.len() && rest.trim().is_empty() && words.len() <= 4;
        if colon || whole_line {
            return Some((n, HEADERS[i].1));
        }
    }
    None
}

/// Splits a line's words into sentences at `.`, `!`, `?` and `;` followed by
/// a space or the end (not a decimal point: "A1c 7.9"; not an
/// abbreviation's dot: "Dr.", "vs.").
fn sentences(note: &str, words: Vec<Word>) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for w in words {
        let ends = sentence_ends(&note[w.end..])
            && !matches!(w.folded.as_str(), "dr" | "vs" | "mr" | "mrs" | "ms" | "st" | "eg" | "ie");
        current.push(w);
        if ends {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether the text right after a word ends a sentence.
fn sentence_ends(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some('.' | '!' | '?' | ';') => chars.next().is_none_or(|c| c.is_whitespace() || c == '"' || c == ')'),
        _ => false,
    }
}

/// The words of `text` (at byte `offset` of the note).
pub fn words(text: &str, offset: usize) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut folded = String::new();
    let (mut start, mut capitals, mut lower) = (0usize, false, false);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let finish = |out: &mut Vec<Word>, folded: &mut String, start: usize, end: usize, capitals: bool, lower: bool| {
        if !folded.is_empty() {
            out.push(Word {
                folded: std::mem::take(folded),
                start: offset + start,
                end: offset + end,
                capitals: capitals && !lower,
                break_after: false,
                ends_scope: false,
            });
        }
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let before = folded.len();
        if normalize::fold_char(c, &mut folded) {
            if before == 0 && !folded.is_empty() {
                start = at;
                capitals = false;
                lower = false;
            }
            capitals |= c.is_uppercase();
            lower |= c.is_lowercase();
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let after = chars.get(i + 2).map(|&(_, c)| c);
        // One-letter shorthand with a slash: s/p, h/o, r/o, c/o, w/o.
        if c == '/'
            && folded.chars().count() == 1
            && next.is_some_and(|c| c.is_alphabetic())
            && after.is_none_or(|c| !c.is_alphanumeric())
        {
            folded.push('/');
            let n = next.unwrap_or(' ');
            normalize::fold_char(n, &mut folded);
            i += 2;
            let end = chars.get(i).map_or(text.len(), |&(a, _)| a);
            finish(&mut out, &mut folded, start, end, capitals, lower);
            continue;
        }
        // A possessive ("Alzheimer's"): the word without it.
        if (c == '\'' || c == '\u{2019}')
            && !folded.is_empty()
            && matches!(next, Some('s' | 'S'))
            && after.is_none_or(|a| !a.is_alphanumeric())
        {
            finish(&mut out, &mut folded, start, at, capitals, lower);
            i += 2;
            continue;
        }
        // A decimal point or a hyphen inside a word keeps it one word for
        // measurements ("7.9") but hyphenated words are two ("follow-up").
        finish(&mut out, &mut folded, start, at, capitals, lower);
        if matches!(c, ',' | ':' | '(' | ')' | '[' | ']' | '/' | '=') {
            if let Some(last) = out.last_mut() {
                last.break_after = true;
                last.ends_scope |= matches!(c, ')' | ']');
            }
        }
        i += 1;
    }
    finish(&mut out, &mut folded, start, text.len(), capitals, lower);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(note: &str) -> Vec<(Section, String)> {
        pieces(note)
            .into_iter()
            .map(|p| (p.section, p.words.iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ")))
            .collect()
    }

    #[test]
    fn headers_open_sections_and_sentences_end_at_their_stop() {
        let note = "HPI: Cough for 3 days. No fever.\nPMH: HTN, DM2\nFAMILY HISTORY\nMother had breast cancer.\nA1c 7.9. Plan: start metformin";
        assert_eq!(
            texts(note),
            vec![
                (Section::Current, "cough for 3 days".to_string()),
                (Section::Current, "no fever".to_string()),
                (Section::PastHistory, "htn dm2".to_string()),
                (Section::FamilyHistory, "mother had breast cancer".to_string()),
                (Section::FamilyHistory, "a1c 7 9".to_string()),
                (Section::Assessment, "start metformin".to_string()),
            ]
        );
        // The headers are sorted for the binary search.
        assert!(HEADERS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn list_items_are_pieces_and_wrapped_lines_are_joined() {
        let note = "Assessment:\n- CHF\n- type 2 diabetes without\ncomplications\n1. s/p appendectomy";
        assert_eq!(
            texts(note),
            vec![
                (Section::Assessment, "chf".to_string()),
                (Section::Assessment, "type 2 diabetes without complications".to_string()),
                (Section::Assessment, "s/p appendectomy".to_string()),
            ]
        );
    }

    #[test]
    fn words_keep_their_place_and_case() {
        let note = "Likely CHF, s/p MI (2019); Alzheimer's";
        let w = words(note, 0);
        let got: Vec<(&str, &str, bool, bool)> =
            w.iter().map(|w| (w.folded.as_str(), &note[w.start..w.end], w.capitals, w.break_after)).collect();
        assert_eq!(
            got,
            vec![
                ("likely", "Likely", false, false),
                ("chf", "CHF", true, true),
                ("s/p", "s/p", false, false),
                ("mi", "MI", true, true),
                ("2019", "2019", false, true),
                ("alzheimer", "Alzheimer", false, false),
            ]
        );
    }
}
