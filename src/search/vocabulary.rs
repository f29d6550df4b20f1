//! What people type for what the code books say: lay words ("broken",
//! "heart attack", "sugar"), and clinical shorthand written with
//! punctuation ("s/p", "h/o", "w/o").
//!
//! Written for chartcode, each line with where it comes from. The first
//! source is the ICD-10-CM Alphabetic Index's own cross-references
//! ("Broken — see Fracture"; "Attack, heart — see Infarct, myocardium"),
//! which the pack carries as index terms of their codes too; a line here
//! makes the word work in every phrase, not only in the index entry's own
//! ("broken wrist", "broken arm"). The other sources are the plain-language
//! names in MedlinePlus health topics (NLM) and common clinical usage as in
//! general medical dictionaries (an organ's adjective for its noun:
//! "hepatic" for "liver", as the index names organs by noun). Every clinical phrase is worded after the
//! books' titles (the test `lay_terms_find_their_conditions` checks each
//! finds codes): an expansion helps only if its words are the book's words.
//!
//! A lay term is matched on the query's words after stop words are dropped,
//! longest first, and stands for one query word: it matches a record that
//! holds all the words of one of its clinical phrases, or its own words.

/// `(lay words, clinical phrases, source)`, sorted by lay words.
pub const LAY_TERMS: &[(&str, &[&str], &str)] = &[
    ("ankle edema", &["localized edema"], "index: Edema, legs → R60.0 (localized edema)"),
    ("belly", &["abdominal"], "MedlinePlus: abdominal pain (belly pain)"),
    ("black eye", &["contusion eyelid periocular area"], "index: Black eye — see Contusion, eyelid"),
    ("blood clot", &["thrombosis", "embolism"], "MedlinePlus: blood clots"),
    ("blood sugar", &["glucose"], "MedlinePlus: blood glucose (blood sugar)"),
    ("broke", &["fracture"], "index: Broken — see Fracture"),
    ("broken", &["fracture"], "index: Broken — see Fracture"),
    ("bruise", &["contusion"], "index: Bruise — see Contusion"),
    ("cancer", &["malignant neoplasm", "carcinoma"], "index: Cancer — see Neoplasm, malignant"),
    ("cardiac", &["heart"], "usage: the organ's adjective; the index names organs by noun"),
    ("cerebral", &["brain"], "usage: the organ's adjective; the index names organs by noun"),
    ("chest cold", &["acute bronchitis"], "MedlinePlus: acute bronchitis (chest cold)"),
    ("cold sore", &["herpesviral vesicular dermatitis"], "index: Cold, sore — see Herpes simplex"),
    ("colonic", &["colon"], "usage: the organ's adjective; the index names organs by noun"),
    ("common cold", &["acute nasopharyngitis"], "index: Cold, common — see Nasopharyngitis, acute"),
    ("cutaneous", &["skin"], "usage: the organ's adjective; the index names organs by noun"),
    ("enlarged prostate", &["benign prostatic hyperplasia"], "MedlinePlus: enlarged prostate (BPH)"),
    ("flu shot", &["immunization"], "usage: influenza vaccination, coded Z23 encounter for immunization"),
    ("gastric", &["stomach"], "usage: the organ's adjective; the index names organs by noun"),
    ("heart attack", &["myocardial infarction"], "index: Attack, heart — see Infarct, myocardium"),
    ("hepatic", &["liver"], "usage: the organ's adjective; the index names organs by noun"),
    ("high blood pressure", &["hypertension"], "MedlinePlus: high blood pressure (hypertension)"),
    ("high cholesterol", &["hypercholesterolemia"], "MedlinePlus: cholesterol (high cholesterol)"),
    ("hives", &["urticaria"], "index: Hives — see Urticaria"),
    ("kidney stone", &["calculus kidney"], "index: Stone, kidney — see Calculus, kidney"),
    ("low blood pressure", &["hypotension"], "MedlinePlus: low blood pressure (hypotension)"),
    ("low blood sugar", &["hypoglycemia"], "MedlinePlus: hypoglycemia (low blood sugar)"),
    ("metastases", &["secondary malignant neoplasm"], "index: Metastasis — see Neoplasm, secondary"),
    ("metastasis", &["secondary malignant neoplasm"], "index: Metastasis — see Neoplasm, secondary"),
    ("metastatic", &["secondary malignant neoplasm"], "index: Metastasis — see Neoplasm, secondary"),
    ("mini stroke", &["transient ischemic attack"], "MedlinePlus: transient ischemic attack (mini-stroke)"),
    ("nosebleed", &["epistaxis"], "index: Nosebleed(s) — see Epistaxis"),
    ("ocular", &["eye"], "usage: the organ's adjective; the index names organs by noun"),
    ("overdose", &["poisoning"], "index: Overdose, overdosage — see Table of Drugs and Chemicals, by drug, poisoning"),
    ("pancreatic", &["pancreas"], "usage: the organ's adjective; the index names organs by noun"),
    ("pedal edema", &["localized edema"], "index: Edema, legs → R60.0 (localized edema)"),
    ("peripheral edema", &["localized edema"], "index: Edema, lower limbs → R60.0 (localized edema)"),
    ("pink eye", &["conjunctivitis"], "MedlinePlus: pink eye (conjunctivitis)"),
    ("pinkeye", &["conjunctivitis"], "MedlinePlus: pink eye (conjunctivitis)"),
    ("pulmonary", &["lung"], "usage: the organ's adjective; the index names organs by noun"),
    ("renal", &["kidney"], "usage: the organ's adjective; the index names organs by noun"),
    ("runny nose", &["rhinorrhea"], "usage: rhinorrhea"),
    ("shingles", &["zoster"], "index: Shingles — see Herpes, zoster"),
    ("shot", &["vaccination", "immunization"], "usage: immunization; Z23"),
    (
        "slipped disc",
        &["intervertebral disc displacement"],
        "index: Slipped, disc — see Displacement, intervertebral disc",
    ),
    ("splenic", &["spleen"], "usage: the organ's adjective; the index names organs by noun"),
    ("stomach flu", &["gastroenteritis"], "MedlinePlus: viral gastroenteritis (stomach flu)"),
    ("stroke", &["cerebral infarction"], "index: Stroke — see Infarct, brain"),
    ("sugar", &["diabetes"], "usage: sugar diabetes (diabetes mellitus)"),
    ("toxicity", &["poisoning"], "index: Toxicity — see Table of Drugs and Chemicals, by substance, poisoning"),
    ("tummy", &["abdominal"], "usage: abdomen"),
    ("vaccine", &["vaccination", "immunization"], "usage: immunization; Z23"),
    ("water pill", &["diuretics"], "usage: diuretic"),
    ("wisdom tooth", &["third molar", "impacted teeth"], "usage: third molar"),
];

/// Words that say a measured level is below normal ("low potassium",
/// "potassium decreased").
pub const LOW_WORDS: &[&str] = &["decreased", "low"];

/// Words that say a measured level is above normal ("high potassium",
/// "potassium elevated").
pub const HIGH_WORDS: &[&str] = &["elevated", "high", "increased", "raised"];

/// Words that name the measurement itself ("low platelet count", "sodium
/// level low"): taken into the finding, not left to be matched.
pub const MEASURE_WORDS: &[&str] = &["count", "level", "levels"];

/// `(what is measured, the finding when low, the finding when high,
/// source)`, sorted by what is measured: people name a laboratory finding
/// by its level ("low potassium", "sodium high") where the books name it by
/// its clinical word ("hypokalemia", "hypernatremia"). The level word may
/// stand before or after what is measured. Worded after the books' titles
/// (the test `level_findings_find_their_conditions` checks each finds
/// codes).
pub const LEVEL_FINDINGS: &[(&str, &[&str], &[&str], &str)] = &[
    ("blood count", &["pancytopenia"], &[], "usage: low blood counts (pancytopenia)"),
    ("calcium", &["hypocalcemia"], &["hypercalcemia"], "MedlinePlus: hypocalcemia, hypercalcemia"),
    ("chloride", &["hypochloremia"], &["hyperchloremia"], "usage: chloride level"),
    ("cholesterol", &[], &["hypercholesterolemia"], "MedlinePlus: cholesterol (high cholesterol)"),
    ("glucose", &["hypoglycemia"], &["hyperglycemia"], "MedlinePlus: blood glucose"),
    ("magnesium", &["hypomagnesemia"], &["hypermagnesemia"], "usage: magnesium level"),
    ("oxygen", &["hypoxemia"], &[], "MedlinePlus: hypoxemia (low blood oxygen)"),
    ("phosphate", &["hypophosphatemia"], &["hyperphosphatemia"], "usage: phosphate level"),
    ("platelet", &["thrombocytopenia"], &["thrombocytosis"], "MedlinePlus: platelet disorders"),
    ("platelets", &["thrombocytopenia"], &["thrombocytosis"], "MedlinePlus: platelet disorders"),
    ("potassium", &["hypokalemia"], &["hyperkalemia"], "MedlinePlus: hypokalemia (low potassium)"),
    ("sodium", &["hyponatremia"], &["hypernatremia"], "MedlinePlus: hyponatremia (low sodium)"),
    ("temperature", &["hypothermia"], &["fever"], "usage: body temperature"),
    ("thyroid", &["hypothyroidism"], &["hyperthyroidism"], "MedlinePlus: hypothyroidism (underactive thyroid)"),
    ("triglycerides", &[], &["hypertriglyceridemia"], "usage: triglyceride level"),
    ("uric acid", &[], &["hyperuricemia"], "usage: uric acid level"),
    ("white blood cell", &["leukopenia"], &["leukocytosis"], "MedlinePlus: white blood cell count"),
    ("white count", &["leukopenia"], &["leukocytosis"], "MedlinePlus: white blood cell count"),
];

/// The level finding that begins `words` (folded query words, stop words
/// dropped): a level word and what is measured, in either order ("low
/// potassium", "potassium low"). Returns how many words it takes and the
/// clinical words of the finding.
pub fn level_finding_at(words: &[String]) -> Option<(usize, &'static [&'static str])> {
    let finding = |measured: &str, low: bool| {
        LEVEL_FINDINGS
            .binary_search_by(|(m, _, _, _)| (*m).cmp(measured))
            .ok()
            .map(|i| if low { LEVEL_FINDINGS[i].1 } else { LEVEL_FINDINGS[i].2 })
            .filter(|f| !f.is_empty())
    };
    let level = |w: &str| {
        if LOW_WORDS.contains(&w) {
            Some(true)
        } else if HIGH_WORDS.contains(&w) {
            Some(false)
        } else {
            None
        }
    };
    // "count" or "level" after what is measured is part of the finding.
    let filler = |i: usize| words.get(i).is_some_and(|w| MEASURE_WORDS.contains(&w.as_str()));
    for n in (1..=3.min(words.len())).rev() {
        // Level word first: "low" + what is measured.
        if let Some(low) = words.first().and_then(|w| level(w)) {
            if n < words.len() {
                if let Some(f) = finding(&words[1..=n].join(" "), low) {
                    return Some((n + 1 + usize::from(filler(n + 1)), f));
                }
            }
        }
        // What is measured first, then the level word.
        let at = n + usize::from(filler(n));
        if let Some(low) = words.get(at).and_then(|w| level(w)) {
            if let Some(f) = finding(&words[..n].join(" "), low) {
                return Some((at + 1, f));
            }
        }
    }
    None
}

/// The word of the lay terms and level findings nearest to `word` within
/// `max_edits` (Damerau–Levenshtein), other than `word` itself. Among the
/// nearest, the one sharing the longest start with `word`, then the longer
/// (a typo drops a letter more often than it adds one: "brokn" is
/// "broken" before "broke").
pub fn nearest_word(word: &str, max_edits: u8) -> Option<&'static str> {
    if max_edits == 0 || !word.is_ascii() {
        return None;
    }
    vocabulary_words()
        .filter(|v| *v != word && v.len().abs_diff(word.len()) <= usize::from(max_edits))
        .map(|v| (super::typo::distance(word.as_bytes(), v.as_bytes()), v))
        .filter(|(d, _)| *d <= max_edits)
        .min_by_key(|(d, v)| (*d, std::cmp::Reverse(common_start(word, v)), std::cmp::Reverse(v.len())))
        .map(|(_, v)| v)
}

/// Every word of the lay terms and level findings.
fn vocabulary_words() -> impl Iterator<Item = &'static str> {
    let lay = LAY_TERMS.iter().flat_map(|(lay, _, _)| lay.split(' '));
    let measured = LEVEL_FINDINGS.iter().flat_map(|(m, _, _, _)| m.split(' '));
    let levels = LOW_WORDS.iter().chain(HIGH_WORDS).chain(MEASURE_WORDS).copied();
    lay.chain(measured).chain(levels)
}

/// Whether `word` (folded) is a word of a lay term or level finding.
pub fn is_vocabulary_word(word: &str) -> bool {
    vocabulary_words().any(|v| v == word)
}

/// How many leading bytes two words share.
fn common_start(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// Clinical shorthand written with punctuation, as whole whitespace-separated
/// tokens, and the words it stands for (none: a word that asks for nothing
/// to be coded, "r/o pneumonia" is searched as "pneumonia").
pub const SHORTHAND: &[(&str, &str)] = &[
    ("b/l", "bilateral"),
    ("c/o", ""),
    ("f/u", "follow up"),
    ("h/o", "personal history"),
    ("n/v", "nausea vomiting"),
    ("r/o", ""),
    ("s/p", "status"),
    ("w/", "with"),
    ("w/o", "without"),
];

/// The words a shorthand token stands for (`s/p` → `status`).
pub fn shorthand(token: &str) -> Option<&'static str> {
    let folded = token.to_lowercase();
    SHORTHAND.iter().find(|(s, _)| *s == folded).map(|(_, w)| *w)
}

/// The lay term that begins `words` (folded query words, stop words
/// dropped), longest first: how many words it takes and its clinical
/// phrases.
pub fn lay_term_at(words: &[String]) -> Option<(usize, &'static [&'static str])> {
    for n in (1..=3.min(words.len())).rev() {
        let phrase = words[..n].join(" ");
        if let Ok(i) = LAY_TERMS.binary_search_by(|(lay, _, _)| (*lay).cmp(phrase.as_str())) {
            return Some((n, LAY_TERMS[i].1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_folded_and_sourced() {
        for pair in LAY_TERMS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (lay, clinical, source) in LAY_TERMS {
            assert!(lay.split(' ').all(|w| crate::normalize::fold(w) == w), "{lay} is not folded");
            assert!(lay.split(' ').all(|w| !crate::normalize::is_stop_word(w)), "{lay}: a stop word never matches");
            assert!(!clinical.is_empty() && !source.is_empty());
        }
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(lay_term_at(&words("heart attack acute")).map(|x| x.0), Some(2));
        assert_eq!(lay_term_at(&words("broken hip")).map(|x| x.1), Some(&["fracture"][..]));
        assert_eq!(lay_term_at(&words("heart")), None);
        assert_eq!(level_finding_at(&words("low potassium")), Some((2, &["hypokalemia"][..])));
        assert_eq!(level_finding_at(&words("potassium elevated acute")), Some((2, &["hyperkalemia"][..])));
        assert_eq!(level_finding_at(&words("white blood cell high")), Some((4, &["leukocytosis"][..])));
        assert_eq!(level_finding_at(&words("high cholesterol")), Some((2, &["hypercholesterolemia"][..])));
        assert_eq!(level_finding_at(&words("low cholesterol")), None);
        assert_eq!(level_finding_at(&words("low platelet count")), Some((3, &["thrombocytopenia"][..])));
        assert_eq!(level_finding_at(&words("sodium level low")), Some((3, &["hyponatremia"][..])));
        assert_eq!(level_finding_at(&words("low back pain")), None);
        assert_eq!(level_finding_at(&words("potassium")), None);
        for pair in LEVEL_FINDINGS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        assert_eq!(nearest_word("potasium", 2), Some("potassium"));
        assert_eq!(nearest_word("brokn", 1), Some("broken"));
        assert_eq!(nearest_word("potassium", 2), None);
        assert_eq!(nearest_word("xyzzy", 1), None);
        assert_eq!(shorthand("S/P"), Some("status"));
        assert_eq!(shorthand("h/o"), Some("personal history"));
        assert_eq!(shorthand("r/o"), Some(""));
        assert_eq!(shorthand("s"), None);
    }
}
