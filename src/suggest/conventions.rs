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
//!   their own codes ("use additional code").

use super::Mention;
use crate::error::QueryError;
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
                if icd10cm && !is_z {
                    if let Some(z) = history_code(book, note, &m)? {
                        out.push(z);
                    }
                }
                m.why.push_str(if m.assertion == Assertion::Family {
                    "; a relative's condition, coded as family history"
                } else {
                    "; a past condition, coded as personal history"
                });
            }
        }
        out.push(m);
    }
    if icd10cm {
        combine(book, &mut out)?;
    }
    Ok(out)
}

/// The family- or personal-history code a relative's or past mention
/// stands for: the history category searched for the mention's words.
fn history_code(book: &CodeBook<'_>, note: &str, m: &Mention) -> Result<Option<Mention>, QueryError> {
    let (within, lead) = match m.assertion {
        Assertion::Family => ("Z80-Z84", "family history"),
        _ => ("Z85-Z87", "personal history"),
    };
    let text: Vec<&str> = m.spans.iter().map(|&(s, e)| &note[s..e]).collect();
    let text = text.join(" ");
    let options = SearchOptions {
        systems: vec![m.entry.system.to_string()],
        limit: 5,
        billable_only: true,
        within: vec![within.to_string()],
        setting: None,
    };
    let own: Vec<String> = crate::normalize::tokens(&text).into_iter().map(|t| t.folded).collect();
    let hits = book.search_phrase(&format!("{lead} {text}"), &options)?;
    let Some(hit) =
        hits.into_iter().find(|h| h.matched.iter().any(|w| own.iter().any(|o| w.split(' ').any(|x| x == o))))
    else {
        return Ok(None);
    };
    Ok(Some(Mention {
        why: format!(
            "\"{text}\" is {}: {} ({within}), not {} itself (Guidelines I.C.21.c.4)",
            if m.assertion == Assertion::Family { "a relative's condition" } else { "the patient's past condition" },
            lead,
            m.entry.code
        ),
        entry: hit.entry,
        assertion: m.assertion,
        spans: m.spans.clone(),
        score: m.score,
        coded: true,
    }))
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
                replaced.push(h);
            }
        }
    }
    if let (Some(d), Some(k)) = (diabetes, kidney) {
        let category = diabetes_category(&mentions[d].entry.code).unwrap_or("E11");
        let code = format!("{category}.22");
        let why = "diabetes with chronic kidney disease: linked by the \"with\" convention (Guidelines I.A.15); use an additional code for the kidney disease's stage";
        if let Some(m) = combination(book, mentions, &code, &[d, k], why)? {
            added.push(m);
            replaced.push(d);
        }
    }
    replaced.sort_unstable();
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
