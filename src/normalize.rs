//! Text and code normalization shared by the compiler and the search core.
//!
//! Both sides of a match must agree on what a "word" is, so the compiler
//! (when it builds the term dictionary) and the search core (when it reads a
//! query or highlights a title) call the same functions from this module.
//! Nothing here allocates more than the output it returns, and every function
//! is linear in its input, so a 10,000-character query costs microseconds.

/// The words that carry no meaning for code selection. They are neither
/// indexed nor required in queries. `with`, `without`, `due`, `not` and
/// `other` are deliberately *not* here: "without complications" and "other
/// specified" decide between codes.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "its", "of", "on", "or", "than", "the", "to",
];

/// Words that only say that nothing more is known ("unspecified", "NOS",
/// "not elsewhere classified", "uncomplicated"). "Specified" is not one: "other specified"
/// asserts something the query did not say.
const UNSPECIFIC_WORDS: &[&str] = &["classified", "elsewhere", "nos", "not", "uncomplicated", "unspecified"];

/// Whether a folded word is one of the "nothing more is known" words.
pub fn is_unspecific_word(word: &str) -> bool {
    UNSPECIFIC_WORDS.binary_search(&word).is_ok()
}

/// The number of words of a title that assert something, used in ranking
/// to prefer the title that adds the least to what the query asked. Not
/// counted:
///
/// * stop words and "unspecified"-like words;
/// * words in parentheses or brackets, which ICD-10-CM uses for
///   nonessential modifiers and synonyms ("Essential (primary) hypertension";
///   Official Guidelines I.A.7);
/// * a qualifier after a comma that says something is unspecified
///   (", unspecified organism", ", site not specified");
/// * the condition negated by "without", up to the next function word, "with"
///   or comma ("without complications" asserts no further condition).
///
/// These follow the coding convention that when the documentation (here:
/// the query) says no more, the unspecified, uncomplicated code is the one
/// to use.
pub fn content_words(text: &str) -> u32 {
    let mut count = 0;
    let mut depth = 0i32;
    for (i, segment) in text.split(',').enumerate() {
        let chars: Vec<char> = segment.chars().collect();
        // Bracket depth before each character, carried across segments.
        let mut depth_at = Vec::with_capacity(chars.len());
        for &c in &chars {
            depth_at.push(depth);
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = (depth - 1).max(0),
                _ => {}
            }
        }
        let words = tokens(segment);
        if i > 0 && words.iter().any(|t| t.folded == "unspecified" || t.folded == "nos" || t.folded == "not") {
            continue;
        }
        let mut negated = false;
        for t in &words {
            let w = t.folded.as_str();
            if depth_at.get(t.start).copied().unwrap_or(0) > 0 {
                continue;
            }
            if w == "without" {
                negated = true;
            } else if w == "with" || is_stop_word(w) {
                negated = false;
            } else if !negated && !is_unspecific_word(w) {
                count += 1;
            }
        }
    }
    count
}

/// Which tokens of a text stand in a clause negated by "without": from the
/// word after "without" up to the next "with", stop word or comma, the same
/// scope [`content_words`] leaves out.
pub fn negated_tokens(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    for segment in text.split(',') {
        let mut negated = false;
        for t in tokens(segment) {
            let w = t.folded.as_str();
            if w == "without" {
                out.push(false);
                negated = true;
            } else if w == "with" || is_stop_word(w) {
                out.push(false);
                negated = false;
            } else {
                out.push(negated);
            }
        }
    }
    out
}

/// Whether a folded word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Latin Extended-A (U+0100..=U+017F) folded to ASCII, one byte per code
/// point; `?` marks the ligatures handled in [`fold_char`].
const LATIN_EXTENDED_A: &[u8; 128] = b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnnnnnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// Appends the search form of one character to `out`: lowercase, accents
/// removed (`é` → `e`, `ß` → `ss`). Returns `false` for characters that
/// separate words (spaces, punctuation, symbols, emoji, controls).
///
/// Combining marks return `true` and append nothing, so a decomposed `é`
/// (`e` + U+0301) folds like the composed one.
pub fn fold_char(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            return true;
        }
        return false;
    }
    let cp = c as u32;
    let ascii: Option<&str> = match cp {
        0xC0..=0xC5 | 0xE0..=0xE5 => Some("a"),
        0xC6 | 0xE6 => Some("ae"),
        0xC7 | 0xE7 => Some("c"),
        0xC8..=0xCB | 0xE8..=0xEB => Some("e"),
        0xCC..=0xCF | 0xEC..=0xEF => Some("i"),
        0xD0 | 0xF0 => Some("d"),
        0xD1 | 0xF1 => Some("n"),
        0xD2..=0xD6 | 0xD8 | 0xF2..=0xF6 | 0xF8 => Some("o"),
        0xD9..=0xDC | 0xF9..=0xFC => Some("u"),
        0xDD | 0xFD | 0xFF => Some("y"),
        0xDE | 0xFE => Some("th"),
        0xDF => Some("ss"),
        0x132 | 0x133 => Some("ij"),
        0x152 | 0x153 => Some("oe"),
        0x100..=0x17F => {
            let b = LATIN_EXTENDED_A[(cp - 0x100) as usize];
            out.push(b as char);
            return true;
        }
        0x300..=0x36F => return true, // combining diacritical marks
        _ => None,
    };
    if let Some(s) = ascii {
        out.push_str(s);
        return true;
    }
    if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
        true
    } else {
        false
    }
}

/// Folds a whole string (see [`fold_char`]); separators become nothing.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// One word of a text: its folded form and where it stands in the original,
/// in characters (Unicode scalar values), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// Splits text into words. A word is a run of letters and digits; an
/// apostrophe followed by `s` at the end of a word (a possessive:
/// "Alzheimer's") is dropped with its `s`, any other apostrophe separates.
pub fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let before = current.len();
        if fold_char(c, &mut current) {
            if before == 0 && current.is_empty() {
                // A lone combining mark: not a word start.
            } else if before == 0 {
                start = i;
            }
            i += 1;
            continue;
        }
        if (c == '\'' || c == '\u{2019}') && !current.is_empty() {
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            let word_ends = after.is_none_or(|a| !a.is_alphanumeric());
            if matches!(next, Some('s') | Some('S')) && word_ends {
                out.push(Token { folded: std::mem::take(&mut current), start, end: i + 2 });
                i += 2;
                continue;
            }
        }
        if !current.is_empty() {
            out.push(Token { folded: std::mem::take(&mut current), start, end: i });
        }
        i += 1;
    }
    if !current.is_empty() {
        out.push(Token { folded: current, start, end: chars.len() });
    }
    out
}

/// The index form of a folded word: plurals reduced to their singular with
/// a conservative S-stemmer (after Harman, 1991), so "fractures" finds
/// "fracture" and "injuries" finds "injury". Words of three letters or
/// fewer, and words with digits, are left alone.
pub fn stem(word: &str) -> String {
    let b = word.as_bytes();
    let n = b.len();
    if n <= 3 || !b.iter().all(u8::is_ascii_lowercase) || b[n - 1] != b's' {
        return word.to_string();
    }
    let ends = |s: &str| word.ends_with(s);
    if ends("ies") && n > 4 && !ends("eies") && !ends("aies") {
        return format!("{}y", &word[..n - 3]);
    }
    if ends("sses") || ends("xes") || ends("ches") || ends("shes") || ends("zzes") {
        return word[..n - 2].to_string();
    }
    if ends("es") && !ends("aes") && !ends("ees") && !ends("oes") {
        return word[..n - 1].to_string();
    }
    if ends("ss") || ends("us") || ends("is") {
        return word.to_string();
    }
    word[..n - 1].to_string()
}

/// The head of a title: the thing the record is, as a term key. English
/// puts a noun phrase's head last and its complements after a preposition,
/// so it is the last word of the title's first part, cut at its first
/// comma or linking word, parenthesised words and qualifiers ("unspecified")
/// left out: "Walker, folding" → walker; "Seat attachment, walker" →
/// attachment; "Standard wheelchair" → wheelchair; "Fracture of nasal
/// bones" → fracture. `None` when that part has no word, or is more than
/// three words with no comma after it (no clear head). The search ranks a record headed by a query word above one that
/// only mentions it (`walker` → the walkers before their attachments).
pub fn title_head(title: &str) -> Option<String> {
    const LINKS: [&str; 12] = ["of", "with", "without", "by", "due", "in", "from", "for", "and", "or", "to", "on"];
    // Parenthesised and bracketed words are nonessential: left out.
    let mut plain = String::with_capacity(title.len());
    let mut depth = 0u32;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut parts = plain.split([',', ';', ':']);
    let first = parts.next()?;
    let words: Vec<Token> = tokens(first);
    let end = words.iter().position(|t| LINKS.contains(&t.folded.as_str())).unwrap_or(words.len());
    // A long first part with nothing after it ("Other specified injuries
    // unspecified forearm") has no clear head.
    if end > 3 && parts.next().is_none() && end == words.len() {
        return None;
    }
    words[..end]
        .iter()
        .rev()
        .find(|t| !is_stop_word(&t.folded) && !QUALIFIERS.contains(&t.folded.as_str()))
        .map(|t| term_key(&t.folded))
}

/// Words that qualify a title's head without being it ("Respiratory
/// tuberculosis unspecified").
const QUALIFIERS: [&str; 5] = ["unspecified", "specified", "other", "nos", "nec"];

/// The term-dictionary key of a folded word (its stem).
pub fn term_key(folded: &str) -> String {
    stem(folded)
}

/// The lookup form of a code: trimmed, upper-case ASCII, dots and inner
/// spaces removed (`" e11.9 "` → `"E119"`). Returns `None` when the text
/// holds anything but letters, digits, dots, spaces and a range hyphen, or
/// nothing at all, so that a query is never silently misread as a code.
pub fn normalize_code(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c.to_ascii_uppercase()),
            '.' | ' ' => {}
            '-' => out.push('-'),
            _ => return None,
        }
    }
    if out.is_empty() || out.len() > 32 {
        None
    } else {
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_headed_by_the_thing_it_is() {
        let head = |t: &str| title_head(t);
        assert_eq!(head("Walker, rigid (pickup), adjustable or fixed height").as_deref(), Some("walker"));
        assert_eq!(head("Seat attachment, walker").as_deref(), Some("attachment"));
        assert_eq!(head("Standard wheelchair").as_deref(), Some("wheelchair"));
        assert_eq!(head("Fracture of nasal bones, initial encounter").as_deref(), Some("fracture"));
        assert_eq!(head("Essential (primary) hypertension").as_deref(), Some("hypertension"));
        assert_eq!(head("Hospital beds, fixed height").as_deref(), Some("bed"));
        assert_eq!(head("Respiratory tuberculosis unspecified").as_deref(), Some("tuberculosis"));
        assert_eq!(head("Other specified injuries unspecified forearm"), None);
        assert_eq!(head("Unspecified fracture of unspecified forearm").as_deref(), Some("fracture"));
        assert_eq!(head("Of"), None);
        assert_eq!(head(""), None);
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
        assert!(is_stop_word("of"));
        assert!(!is_stop_word("without"));
        let mut sorted = UNSPECIFIC_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, UNSPECIFIC_WORDS);
        assert_eq!(content_words("Urinary tract infection, site not specified"), 3);
        assert_eq!(content_words("Heart failure, unspecified"), 2);
        assert_eq!(content_words("Pneumonia, unspecified organism"), 1);
        assert_eq!(content_words("Type 2 diabetes mellitus without complications"), 4);
        assert_eq!(content_words("Type 2 diabetes mellitus with ketoacidosis without coma"), 5);
        assert_eq!(content_words("Unspecified diabetes mellitus in childbirth"), 3);
        assert_eq!(content_words("Essential (primary) hypertension"), 2);
        assert_eq!(content_words("Supracondylar fracture without intracondylar extension of lower end of femur"), 5);
        assert_eq!(content_words("Other specified diabetes mellitus without complications"), 4);
        assert_eq!(content_words("Human immunodeficiency virus [HIV] disease"), 4);
        assert_eq!(
            negated_tokens("Osteoporosis without current pathological fracture, right"),
            [false, false, true, true, true, false]
        );
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Sézary"), "sezary");
        assert_eq!(fold("Gerstmann-Sträussler"), "gerstmannstraussler");
        assert_eq!(fold("Charcôt"), "charcot");
        assert_eq!(fold("Waldenström"), "waldenstrom");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("e\u{301}"), "e");
    }

    #[test]
    fn tokens_carry_character_offsets() {
        let t = tokens("Sézary disease, unspecified site");
        let words: Vec<_> = t.iter().map(|t| (t.folded.as_str(), t.start, t.end)).collect();
        assert_eq!(words, vec![("sezary", 0, 6), ("disease", 7, 14), ("unspecified", 16, 27), ("site", 28, 32)]);
    }

    #[test]
    fn possessive_s_is_dropped() {
        let t = tokens("Alzheimer's disease, Crohn’s");
        let words: Vec<_> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, vec!["alzheimer", "disease", "crohn"]);
        assert_eq!((t[0].start, t[0].end), (0, 11));
        let t = tokens("patients' o'clock");
        let words: Vec<_> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, vec!["patients", "o", "clock"]);
    }

    #[test]
    fn odd_unicode_is_separators_not_panics() {
        assert!(tokens("🩺💉\u{0}\u{7}\u{202e}").is_empty());
        let t = tokens("قلب heart");
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].folded, "heart");
        assert!(tokens("\u{301}\u{301}").is_empty());
    }

    #[test]
    fn s_stemmer() {
        for (w, s) in [
            ("fractures", "fracture"),
            ("injuries", "injury"),
            ("abscesses", "abscess"),
            ("abscess", "abscess"),
            ("branches", "branch"),
            ("diabetes", "diabete"),
            ("diseases", "disease"),
            ("mellitus", "mellitus"),
            ("arthritis", "arthritis"),
            ("lesions", "lesion"),
            ("its", "its"),
            ("covid19s", "covid19s"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
    }

    #[test]
    fn codes_normalize() {
        assert_eq!(normalize_code(" e11.9 ").as_deref(), Some("E119"));
        assert_eq!(normalize_code("S72.001A").as_deref(), Some("S72001A"));
        assert_eq!(normalize_code("E08-E13").as_deref(), Some("E08-E13"));
        assert_eq!(normalize_code("   "), None);
        assert_eq!(normalize_code("E11;drop"), None);
    }
}
