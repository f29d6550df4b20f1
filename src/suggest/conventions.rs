//! The coding conventions that turn mentions into the codes to assign.
//!
//! * **Setting** (ICD-10-CM Official Guidelines): in the outpatient
//!   setting (and so in a nursing home's or dental office's visit notes)
//!   an uncertain diagnosis ("likely", "probable", "rule out") is not
//!   coded; the signs and symptoms documented are (Section IV.H). In the
//!   inpatient setting it is coded as if established (Section II.H).
//! * **History** (I.C.21.c.4): a relative's condition is coded as family
//!   history (Z80–Z84), a past condition of the patient's as personal
//!   history (Z85–Z87), never as the condition itself.
//! * **"With"** (I.A.15, I.C.9.a): hypertension with heart disease or
//!   chronic kidney disease, and diabetes with chronic kidney disease, are
//!   linked unless the note says otherwise, and coded with the combination
//!   code (I11.0, I12.-, I13.-, E1x.22), which replaces the plain one
//!   (I10, E1x.9); the heart failure and the kidney disease's stage keep
//!   their own codes ("use additional code"). Diabetes with hyperglycemia
//!   is E1x.65, in place of R73.9.

use super::Mention;
use crate::error::QueryError;
use crate::normalize::term_key;
use crate::search::{CodeBook, SearchOptions, Setting};
use crate::suggest::assertion::Assertion;

/// Marks which mentions are coded and adds the codes the conventions make.
pub(super) fn apply(
    book: &CodeBook<'_>,
    note: &str,
    mentions: Vec<Mention>,
    setting: Setting,
    icd10cm: bool,
) -> Result<Vec<Mention>, QueryError> {
    let mut out = Vec::with_capacity(mentions.len());
    for mut m in mentions {
        match m.assertion {
            Assertion::Present => m.coded = true,
            Assertion::Uncertain if setting == Setting::Inpatient => {
                m.coded = true;
                m.why.push_str("; uncertain, coded as if established in the inpatient setting (Guidelines II.H)");
            }
            Assertion::Uncertain => m.why.push_str(&format!(
                "; uncertain, not coded in the {} setting: its signs and symptoms are (Guidelines IV.H)",
                setting.as_str()
            )),
            Assertion::Negated => m.why.push_str("; negated, not coded"),
            Assertion::Hypothetical => m.why.push_str("; hypothetical, not coded"),
            Assertion::Family | Assertion::Historical => {
                let is_z = m.entry.code.starts_with('Z');
                let history = match icd10cm && !is_z {
                    true => history_code(book, note, &m)?,
                    false => None,
                };
                match history {
                    Some(z) => {
                        out.push(z);
                        m.why.push_str(if m.assertion == Assertion::Family {
                            "; a relative's condition, coded as family history"
                        } else {
                            "; a past condition, coded as personal history"
                        });
                    }
                    // A lasting condition in the past history (diabetes,
                    // gout, hypertension in a PMH list): the patient has
                    // it still. Any other past condition without a
                    // history code stays uncoded ("history of DVT" is no
                    // acute DVT).
                    None if m.assertion == Assertion::Historical && icd10cm && !is_z && lasting(&m.entry.code) => {
                        m.coded = true;
                        m.assertion = Assertion::Present;
                        m.why.push_str(
                            "; in the past history, but no personal-history code names it: a lasting condition, coded",
                        );
                    }
                    None => m.why.push_str(match m.assertion {
                        Assertion::Family => "; a relative's condition with no family-history code, not coded",
                        _ => "; a past condition with no personal-history code, not coded",
                    }),
                }
            }
        }
        out.push(m);
    }
    if icd10cm {
        combine(book, &mut out)?;
    }
    most_specific(&mut out);
    Ok(out)
}

/// An unspecified code the note also names more specifically ("stage 3
/// chronic kidney disease" and "CKD stage 3a"; "edema" and "ankle edema")
/// gives way to the specific one (Guidelines I.B.18 and the Tabular List's
/// "unspecified" codes: for when the record says no more), which takes its
/// evidence.
fn most_specific(mentions: &mut Vec<Mention>) {
    let unspecified = |m: &Mention| crate::normalize::tokens(&m.entry.title).iter().any(|t| t.folded == "unspecified");
    let mut given_way = vec![false; mentions.len()];
    for a in 0..mentions.len() {
        let Some(parent) = mentions[a].entry.parent.clone() else { continue };
        if !mentions[a].coded || !unspecified(&mentions[a]) {
            continue;
        }
        let specific = (0..mentions.len()).find(|&b| {
            let (x, y) = (&mentions[a], &mentions[b]);
            b != a
                && y.coded
                && !given_way[b]
                && y.entry.system == x.entry.system
                && y.entry.code != x.entry.code
                && y.entry.code.starts_with(&parent)
                && !unspecified(y)
        });
        if let Some(b) = specific {
            given_way[a] = true;
            let spans = mentions[a].spans.clone();
            for s in spans {
                if !mentions[b].spans.contains(&s) {
                    mentions[b].spans.push(s);
                }
            }
        }
    }
    let mut i = 0;
    mentions.retain(|_| {
        i += 1;
        !given_way[i - 1]
    });
}

/// The family- or personal-history code a relative's or past mention
/// stands for: the history category searched for the mention's words.
fn history_code(book: &CodeBook<'_>, note: &str, m: &Mention) -> Result<Option<Mention>, QueryError> {
    // The categories one by one: each a subtree of the pack, which the
    // search checks by record number, where a range is checked by code.
    let (within, categories, lead): (&str, &[&str], &str) = match m.assertion {
        Assertion::Family => ("Z80-Z84", &["Z80", "Z81", "Z82", "Z83", "Z84"], "family history"),
        _ => ("Z85-Z87", &["Z85", "Z86", "Z87"], "personal history"),
    };
    let text: Vec<&str> = m.spans.iter().map(|&(s, e)| &note[s..e]).collect();
    let text = text.join(" ");
    let options = SearchOptions {
        systems: vec![m.entry.system.to_string()],
        limit: 5,
        billable_only: true,
        within: categories.iter().map(|c| c.to_string()).collect(),
        setting: None,
    };
    let own: Vec<String> = crate::normalize::tokens(&text).into_iter().map(|t| t.folded).collect();
    // What a history code may say: the mention's words, its condition's
    // title and the history words ("Personal history of gestational
    // diabetes" says more than "type 2 diabetes" does).
    let mut named: Vec<String> = own.iter().map(|w| term_key(w)).collect();
    let mut said = m.entry.title.clone();
    said.push_str(" personal family history");
    named.extend(crate::normalize::tokens(&said).iter().map(|t| term_key(&t.folded)));
    // Searched by the note's words, then by the condition's own title
    // ("former smoker": F17.200 "Nicotine dependence", whose history code
    // is Z87.891 "Personal history of nicotine dependence").
    let title_words: Vec<String> = crate::normalize::tokens(&m.entry.title)
        .into_iter()
        .map(|t| t.folded)
        .filter(|w| !crate::normalize::is_unspecific_word(w))
        .collect();
    let mut found = None;
    for (words, query) in
        [(&own, format!("{lead} {text}")), (&title_words, format!("{lead} {}", title_words.join(" ")))]
    {
        let hits = book.phrase_hits(&query, &options)?;
        found = hits
            .into_iter()
            .find(|h| {
                h.matched.iter().any(|w| words.iter().any(|o| w.split(' ').any(|x| x == o)))
                    && (crate::search::names_index_entry(h.score)
                        || super::unnamed_words(&h.entry.title, &named) == 0
                        || covers(&h.entry.title, &m.entry.title))
            })
            .map(|h| h.entry);
        if found.is_some() {
            break;
        }
    }
    // A relative's condition the words do not reach: the family-history
    // code of its chapter, where the book has one (Z82.49 "ischemic heart
    // disease and other diseases of the circulatory system" for a father's
    // myocardial infarction).
    if found.is_none() && m.assertion == Assertion::Family {
        if let Some(code) = family_history_by_chapter(&m.entry.code) {
            if let Some(entry) = book.billable_entry(code, &options.systems)? {
                found = Some(entry);
            }
        }
    }
    let Some(entry) = found else {
        return Ok(None);
    };
    Ok(Some(Mention {
        why: format!(
            "\"{text}\" is {}: {} ({within}), not {} itself (Guidelines I.C.21.c.4)",
            if m.assertion == Assertion::Family { "a relative's condition" } else { "the patient's past condition" },
            lead,
            m.entry.code
        ),
        entry,
        assertion: m.assertion,
        spans: m.spans.clone(),
        score: m.score,
        coded: true,
    }))
}

/// Whether a history code's title names every word that says what the
/// condition is (Z86.73 "Personal history of … cerebral infarction without
/// residual deficits" for I63.9 "Cerebral infarction, unspecified"; not
/// Z86.32 "… gestational diabetes" for E11.9 "Type 2 diabetes mellitus
/// without complications"). Its type or stage, what it is "without" and
/// "unspecified" do not count.
fn covers(history_title: &str, condition_title: &str) -> bool {
    use crate::normalize::{is_stop_word, is_unspecific_word, negated_tokens, term_key, tokens};
    let said: Vec<String> = tokens(history_title).iter().map(|t| term_key(&t.folded)).collect();
    let words = tokens(condition_title);
    let negated = negated_tokens(condition_title);
    let mut what = words.iter().zip(negated.iter().chain(std::iter::repeat(&false))).filter(|(t, &neg)| {
        let w = t.folded.as_str();
        !neg && !is_stop_word(w)
            && !is_unspecific_word(w)
            && w != "without"
            && !w.chars().all(|c| c.is_ascii_digit())
            && !super::QUALIFYING_WORDS.contains(&w)
    });
    let mut any = false;
    let all = what.all(|(t, _)| {
        any = true;
        said.contains(&term_key(&t.folded))
    });
    any && all
}

/// Conditions that last once diagnosed, by code prefix: a past history
/// that names them names the patient's present. After the chronic
/// conditions of the CMS Chronic Conditions Data Warehouse (diabetes,
/// hypertension, hyperlipidemia, chronic kidney disease, heart failure,
/// ischemic heart disease, atrial fibrillation, COPD and asthma, arthritis,
/// dementia, depression, hypothyroidism, Parkinson's disease, epilepsy,
/// HIV, obesity, glaucoma) and gout and GERD, which coders treat alike.
const LASTING: &[&str] = &[
    "B20", "E03", "E08", "E09", "E10", "E11", "E13", "E66", "E78", "F01", "F02", "F03", "F32", "F33", "G20", "G30",
    "G40", "H40", "I10", "I11", "I12", "I13", "I25", "I48", "I50", "J44", "J45", "K21", "M05", "M06", "M10", "M15",
    "M16", "M17", "M18", "M19", "N18",
];

/// Whether a code is one of the [`LASTING`] conditions.
fn lasting(code: &str) -> bool {
    LASTING.iter().any(|p| code.starts_with(p))
}

/// The family-history code of the chapter or block a condition's code is
/// in, for the blocks whose Z82-Z84 code names the whole block; sorted
/// with the longer prefix first where they nest.
const FAMILY_HISTORY_BY_BLOCK: &[(&str, &str)] = &[
    ("G40", "Z82.0"),
    ("I6", "Z82.3"),
    ("I", "Z82.49"),
    ("J44", "Z82.5"),
    ("J45", "Z82.5"),
    ("M05", "Z82.61"),
    ("M06", "Z82.61"),
    ("M15", "Z82.61"),
    ("M16", "Z82.61"),
    ("M17", "Z82.61"),
    ("M19", "Z82.61"),
];

/// See [`FAMILY_HISTORY_BY_BLOCK`].
fn family_history_by_chapter(code: &str) -> Option<&'static str> {
    FAMILY_HISTORY_BY_BLOCK.iter().find(|(prefix, _)| code.starts_with(prefix)).map(|(_, z)| *z)
}

/// The diabetes codes "without complications", by type: the ones a
/// complication named elsewhere in the note replaces.
fn diabetes_category(code: &str) -> Option<&str> {
    let category = code.get(..3)?;
    (matches!(category, "E08" | "E09" | "E10" | "E11" | "E13") && code.get(3..) == Some(".9")).then_some(category)
}

/// Adds the combination codes of coded mentions that the "with" convention
/// links, dropping the plain codes they replace.
fn combine(book: &CodeBook<'_>, mentions: &mut Vec<Mention>) -> Result<(), QueryError> {
    let find = |mentions: &[Mention], test: &dyn Fn(&str) -> bool| -> Option<usize> {
        mentions.iter().position(|m| m.coded && m.entry.system == "icd10cm" && test(&m.entry.code))
    };
    // Every coded mention of a code, the one found first at their head.
    let all = |mentions: &[Mention], code: &str| -> Vec<usize> {
        (0..mentions.len()).filter(|&i| mentions[i].coded && mentions[i].entry.code == code).collect()
    };
    let hypertension = find(mentions, &|c| c == "I10");
    let heart_failure = find(mentions, &|c| c.starts_with("I50"));
    let kidney = find(mentions, &|c| c.starts_with("N18"));
    let diabetes = find(mentions, &|c| diabetes_category(c).is_some());
    let stage5 = kidney.is_some_and(|k| matches!(mentions[k].entry.code.as_str(), "N18.5" | "N18.6"));
    let mut added = Vec::new();
    let mut replaced = Vec::new();
    if let Some(h) = hypertension {
        let (code, parts, why) = match (heart_failure, kidney) {
            (Some(f), Some(k)) => (
                if stage5 { "I13.2" } else { "I13.0" },
                vec![h, f, k],
                "hypertension with heart failure and chronic kidney disease: linked by the \"with\" convention (Guidelines I.C.9.a.3); the heart failure and the kidney disease's stage are coded too",
            ),
            (Some(f), None) => (
                "I11.0",
                vec![h, f],
                "hypertension with heart failure: linked by the \"with\" convention (Guidelines I.C.9.a.1); the type of heart failure is coded too",
            ),
            (None, Some(k)) => (
                if stage5 { "I12.0" } else { "I12.9" },
                vec![h, k],
                "hypertension with chronic kidney disease: linked by the \"with\" convention (Guidelines I.C.9.a.2); the kidney disease's stage is coded too",
            ),
            (None, None) => ("", Vec::new(), ""),
        };
        if !parts.is_empty() {
            if let Some(m) = combination(book, mentions, code, &parts, why)? {
                added.push(m);
                replaced.extend(all(mentions, "I10"));
            }
        }
    }
    if let (Some(d), Some(k)) = (diabetes, kidney) {
        let category = diabetes_category(&mentions[d].entry.code).unwrap_or("E11");
        let code = format!("{category}.22");
        let why = "diabetes with chronic kidney disease: linked by the \"with\" convention (Guidelines I.A.15); use an additional code for the kidney disease's stage";
        if let Some(m) = combination(book, mentions, &code, &[d, k], why)? {
            added.push(m);
            replaced.extend(all(mentions, &mentions[d].entry.code));
        }
    }
    // Diabetes with hyperglycemia (the index: Diabetes, type 2, with,
    // hyperglycemia E11.65): the combination replaces R73.9.
    let hyperglycemia = find(mentions, &|c| c == "R73.9");
    if let (Some(d), Some(g)) = (diabetes, hyperglycemia) {
        let category = diabetes_category(&mentions[d].entry.code).unwrap_or("E11");
        let code = format!("{category}.65");
        let why = "diabetes with hyperglycemia: linked by the \"with\" convention (Guidelines I.A.15)";
        if let Some(m) = combination(book, mentions, &code, &[d, g], why)? {
            added.push(m);
            replaced.extend(all(mentions, "R73.9"));
            replaced.extend(all(mentions, &mentions[d].entry.code));
        }
    }
    replaced.sort_unstable();
    replaced.dedup();
    for i in replaced.into_iter().rev() {
        mentions.remove(i);
    }
    mentions.extend(added);
    Ok(())
}

/// A combination code's mention: the parts' evidence and scores.
fn combination(
    book: &CodeBook<'_>,
    mentions: &[Mention],
    code: &str,
    parts: &[usize],
    why: &str,
) -> Result<Option<Mention>, QueryError> {
    let Some(entry) = book.billable_entry(code, &["icd10cm".to_string()])? else { return Ok(None) };
    let mut spans = Vec::new();
    for &p in parts {
        spans.extend(mentions[p].spans.iter().copied());
    }
    Ok(Some(Mention {
        entry,
        assertion: Assertion::Present,
        spans,
        score: parts.iter().map(|&p| mentions[p].score).sum(),
        why: why.to_string(),
        coded: true,
    }))
}
