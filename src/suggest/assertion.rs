//! Whether a mention is asserted: present, negated, uncertain, historical,
//! a relative's, or hypothetical.
//!
//! The algorithm is that of NegEx (Chapman et al., "A simple algorithm for
//! identifying negated findings and diseases in discharge summaries",
//! J Biomed Inform 2001) as generalised by ConText (Harkema et al.,
//! "ConText: an algorithm for determining negation, experiencer, and
//! temporal status from clinical reports", J Biomed Inform 2009): trigger
//! phrases open a scope that runs forward (or, for a few, backward) to the
//! end of the sentence or to a termination term ("but", "however");
//! pseudo-triggers ("no increase", "gram negative") look like triggers and
//! are not. The phrase lists below were written for chartcode from those
//! papers' descriptions and from the ICD-10-CM Official Guidelines' own
//! words for uncertain diagnoses (Section II.H and IV.H: "probable",
//! "suspected", "likely", "questionable", "possible", "still to be ruled
//! out", "compatible with", "consistent with").

use serde::Serialize;

/// What a note says of a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assertion {
    /// The patient has it now.
    Present,
    /// Said to be absent ("no chest pain", "denies fever").
    Negated,
    /// Not established ("likely CHF", "r/o pneumonia").
    Uncertain,
    /// Of the patient's past ("history of stroke", "s/p appendectomy").
    Historical,
    /// A relative's ("mother had breast cancer").
    Family,
    /// Might happen ("return if fever develops").
    Hypothetical,
}

impl Assertion {
    /// Its name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Assertion::Present => "present",
            Assertion::Negated => "negated",
            Assertion::Uncertain => "uncertain",
            Assertion::Historical => "historical",
            Assertion::Family => "family",
            Assertion::Hypothetical => "hypothetical",
        }
    }
}

/// Which way a trigger's scope runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Over the words after it ("no", "denies").
    Forward,
    /// Over the words before it ("… was ruled out", "… is unlikely").
    Backward,
    /// Nowhere: a phrase that contains a trigger but is not one ("no
    /// change", "gram negative", "not only").
    Pseudo,
    /// Ends every scope that reaches it ("but", "however").
    Stop,
    /// Over the one word after it only ("former smoker", not "former
    /// smoker with pneumonia").
    Next,
}

use Assertion::{Family, Historical, Hypothetical, Negated, Present, Uncertain};
use Reach::{Backward, Forward, Next, Pseudo, Stop};

/// Trigger phrases by what they assert: folded words separated by one
/// space, sorted, each with the way it reaches. Longest phrases are tried
/// first at each word.
///
/// Negation: NegEx's pre- and post-negation phrases in kind (Chapman 2001:
/// "no", "denies", "without", "negative for", "no evidence of", "free of",
/// "ruled out"), and its pseudo-negations ("no change", "gram negative").
const NEGATION: &[(&str, Reach)] = &[
    ("absence of", Forward),
    ("absent", Backward),
    ("denied", Forward),
    ("denies", Forward),
    ("deny", Forward),
    ("denying", Forward),
    ("fails to reveal", Forward),
    ("free from", Forward),
    ("free of", Forward),
    ("gram negative", Pseudo),
    ("has been ruled out", Backward),
    ("is ruled out", Backward),
    ("lack of", Forward),
    ("negative for", Forward),
    ("never", Forward),
    ("never had", Forward),
    ("no", Forward),
    ("no change", Pseudo),
    ("no evidence of", Forward),
    ("no history of", Forward),
    ("no increase", Pseudo),
    ("no interval change", Pseudo),
    ("no sign of", Forward),
    ("no signs of", Forward),
    ("nor", Forward),
    ("not", Forward),
    ("not necessarily", Pseudo),
    ("not only", Pseudo),
    ("resolved", Backward),
    ("ruled out", Forward),
    ("rules out", Forward),
    ("unlikely", Backward),
    ("was negative", Backward),
    ("was ruled out", Backward),
    ("were ruled out", Backward),
    ("without", Forward),
    ("without difficulty", Pseudo),
];

///
/// Uncertainty: the Official Guidelines' words (II.H, IV.H) and ConText's
/// hedges; "not ruled out" is a pseudo-negation that leaves the doubt.
const UNCERTAINTY: &[(&str, Reach)] = &[
    ("cannot be excluded", Backward),
    ("cannot be ruled out", Backward),
    ("cannot exclude", Forward),
    ("cannot rule out", Forward),
    ("compatible with", Forward),
    ("concern for", Forward),
    ("concerning for", Forward),
    ("consistent with", Forward),
    ("ddx", Forward),
    ("differential", Forward),
    ("evaluate for", Forward),
    ("evaluation for", Forward),
    ("indicative of", Forward),
    ("is likely", Backward),
    ("is possible", Backward),
    ("is suspected", Backward),
    ("likely", Forward),
    ("may be", Forward),
    ("may have", Forward),
    ("might", Forward),
    ("not certain if", Forward),
    ("not certain whether", Forward),
    ("not ruled out", Forward),
    ("possible", Forward),
    ("possibly", Forward),
    ("presumed", Forward),
    ("presumptive", Forward),
    ("probable", Forward),
    ("probably", Forward),
    ("query", Forward),
    ("question of", Forward),
    ("questionable", Forward),
    ("r/o", Forward),
    ("rule out", Forward),
    ("suggestive of", Forward),
    ("suspect", Forward),
    ("suspected", Forward),
    ("suspicion for", Forward),
    ("suspicion of", Forward),
    ("suspicious for", Forward),
    ("to rule out", Forward),
    ("versus", Forward),
    ("vs", Forward),
    ("worrisome for", Forward),
];

///
/// The patient's past (ConText's historical triggers).
const PAST: &[(&str, Reach)] = &[
    ("former", Next),
    ("h/o", Forward),
    ("history of", Forward),
    ("hx of", Forward),
    ("no longer", Forward),
    ("past history of", Forward),
    ("previous", Forward),
    ("previously", Forward),
    ("prior", Forward),
    ("remote", Forward),
    ("s/p", Forward),
    ("status post", Forward),
];

///
/// A relative's (ConText's experiencer triggers).
const RELATIVES: &[(&str, Reach)] = &[
    ("aunt", Forward),
    ("brother", Forward),
    ("cousin", Forward),
    ("dad", Forward),
    ("daughter", Forward),
    ("family history", Forward),
    ("family history of", Forward),
    ("father", Forward),
    ("fh", Forward),
    ("fhx", Forward),
    ("grandfather", Forward),
    ("grandmother", Forward),
    ("maternal", Forward),
    ("mom", Forward),
    ("mother", Forward),
    ("parents", Forward),
    ("paternal", Forward),
    ("sibling", Forward),
    ("siblings", Forward),
    ("sister", Forward),
    ("son", Forward),
    ("uncle", Forward),
];

///
/// What might happen (ConText's hypothetical triggers).
const HYPOTHETICAL: &[(&str, Reach)] = &[
    ("as needed for", Forward),
    ("at risk for", Forward),
    ("call if", Forward),
    ("if", Forward),
    ("in case of", Forward),
    ("prevent", Forward),
    ("prevention of", Forward),
    ("prn", Forward),
    ("return if", Forward),
    ("risk of", Forward),
    ("should", Forward),
    ("watch for", Forward),
];

///
/// Termination terms: every scope that reaches one ends there.
const TERMINATION: &[(&str, Reach)] = &[
    ("although", Stop),
    ("apart from", Stop),
    ("as the cause of", Stop),
    ("aside from", Stop),
    ("but", Stop),
    ("complains of", Stop),
    ("endorses", Stop),
    ("except", Stop),
    ("however", Stop),
    ("presented with", Stop),
    ("presents with", Stop),
    ("reports", Stop),
    ("secondary to", Stop),
    ("still", Stop),
    ("though", Stop),
    ("which", Stop),
    ("who", Stop),
    ("yet", Stop),
];

/// Every group, with what its triggers assert.
const GROUPS: [(Assertion, &[(&str, Reach)]); 6] = [
    (Negated, NEGATION),
    (Uncertain, UNCERTAINTY),
    (Historical, PAST),
    (Family, RELATIVES),
    (Hypothetical, HYPOTHETICAL),
    (Present, TERMINATION),
];

/// Most words a trigger phrase has.
const MAX_TRIGGER_WORDS: usize = 4;

/// Most words a backward trigger reaches ("pneumonia was ruled out").
const BACKWARD_REACH: usize = 6;

/// A trigger found in a piece: its first word and one past its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    assertion: Assertion,
    reach: Reach,
}

/// The triggers in a piece's folded words, longest first at each word.
pub fn triggers(words: &[&str]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    // Whether a trigger of some group begins with `word` (most words begin
    // none: their phrases are never built).
    let begins_one = |word: &str| {
        GROUPS.iter().any(|(_, group)| {
            let k = group.partition_point(|(t, _)| *t < word);
            group
                .get(k)
                .is_some_and(|(t, _)| t.strip_prefix(word).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
        })
    };
    while i < words.len() {
        if !begins_one(words[i]) {
            i += 1;
            continue;
        }
        let mut found = None;
        for n in (1..=MAX_TRIGGER_WORDS.min(words.len() - i)).rev() {
            let phrase = words[i..i + n].join(" ");
            let hit = GROUPS.iter().find_map(|(assertion, group)| {
                group.binary_search_by(|(t, _)| (*t).cmp(phrase.as_str())).ok().map(|k| (*assertion, group[k].1))
            });
            if let Some((assertion, reach)) = hit {
                found = Some(Found { start: i, end: i + n, assertion, reach });
                break;
            }
        }
        match found {
            Some(f) => {
                out.push(f);
                i = f.end;
            }
            None => i += 1,
        }
    }
    out
}

/// `found` with a scope's end after each word of `ends`: no trigger
/// reaches across it, forward or backward.
pub fn with_scope_ends(mut found: Vec<Found>, ends: impl IntoIterator<Item = usize>) -> Vec<Found> {
    for i in ends {
        found.push(Found { start: i + 1, end: i + 1, assertion: Present, reach: Stop });
    }
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// Whether word `i` is part of a trigger (it is then no concept's word).
pub fn in_trigger(found: &[Found], i: usize) -> bool {
    found.iter().any(|f| (f.start..f.end).contains(&i))
}

/// What the piece's triggers assert of the words `start..end`; `None`
/// when no trigger reaches them. Negation wins over the rest ("no family
/// history of"), then a relative's, the past, the hypothetical and the
/// uncertain.
pub fn assertion_of(found: &[Found], start: usize, end: usize) -> Option<Assertion> {
    let mut best: Option<Assertion> = None;
    for (k, f) in found.iter().enumerate() {
        let reaches = match f.reach {
            Forward => {
                f.end <= start && !found[k + 1..].iter().any(|g| g.reach == Stop && g.start >= f.end && g.end <= start)
            }
            Backward => {
                f.start >= end
                    && f.start - end <= BACKWARD_REACH
                    && !found[..k].iter().any(|g| g.reach == Stop && g.start >= end && g.end <= f.start)
            }
            Next => f.end == start,
            Pseudo | Stop => false,
        };
        if reaches {
            best = strongest(best, Some(f.assertion));
        }
    }
    best
}

/// The stronger of two assertions, either possibly absent (a trigger's and
/// a section's: "no family history of" under Family history is negated).
pub fn strongest(a: Option<Assertion>, b: Option<Assertion>) -> Option<Assertion> {
    match (a, b) {
        (Some(a), Some(b)) => Some(unrank(rank(a).min(rank(b)))),
        (a, b) => a.or(b),
    }
}

/// Order of precedence, lowest first.
fn rank(a: Assertion) -> u8 {
    match a {
        Negated => 0,
        Family => 1,
        Historical => 2,
        Hypothetical => 3,
        Uncertain => 4,
        Present => 5,
    }
}

fn unrank(r: u8) -> Assertion {
    [Negated, Family, Historical, Hypothetical, Uncertain, Present][usize::from(r.min(5))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(sentence: &str, concept: &str) -> Option<Assertion> {
        let words: Vec<String> = crate::normalize::tokens(sentence).into_iter().map(|t| t.folded).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let c: Vec<String> = crate::normalize::tokens(concept).into_iter().map(|t| t.folded).collect();
        let start = words.windows(c.len()).position(|w| w == c.as_slice()).expect("concept in sentence");
        assertion_of(&triggers(&words), start, start + c.len())
    }

    #[test]
    fn the_trigger_tables_are_sorted_short_and_apart() {
        let mut all = std::collections::BTreeSet::new();
        for (_, group) in GROUPS {
            assert!(group.windows(2).all(|w| w[0].0 < w[1].0), "sorted: {group:?}");
            for (phrase, _) in group {
                assert!(phrase.split(' ').count() <= MAX_TRIGGER_WORDS, "{phrase}");
                assert!(all.insert(*phrase), "{phrase} is in two groups");
            }
        }
    }

    #[test]
    fn triggers_reach_to_the_end_of_their_scope() {
        assert_eq!(of("Denies chest pain, fever or chills.", "chills"), Some(Negated));
        assert_eq!(of("No fever but has a productive cough.", "cough"), None);
        assert_eq!(of("No fever but has a productive cough.", "fever"), Some(Negated));
        assert_eq!(of("Pneumonia was ruled out.", "pneumonia"), Some(Negated));
        assert_eq!(of("Likely CHF exacerbation.", "chf"), Some(Uncertain));
        assert_eq!(of("Mother had breast cancer.", "breast cancer"), Some(Family));
        assert_eq!(of("History of stroke in 2019.", "stroke"), Some(Historical));
        assert_eq!(of("Return if fever develops.", "fever"), Some(Hypothetical));
        assert_eq!(of("No family history of diabetes.", "diabetes"), Some(Negated));
        assert_eq!(of("No change in the edema.", "edema"), None);
        assert_eq!(of("Type 2 diabetes and hypertension.", "hypertension"), None);
    }
}
