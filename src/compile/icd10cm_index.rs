//! The ICD-10-CM Alphabetic Index to Diseases and Injuries → index terms of
//! the book's records.
//!
//! Coders do not search titles: they look the main term up in the index
//! ("Failure, heart, congestive → I50.9"; "Attack, heart — see Infarction,
//! myocardium") and verify in the Tabular List. Each index path (main term,
//! subterms, and their nonessential modifiers) becomes words the search finds
//! its code by (field [`crate::model::Field::IndexTerm`]); a `see` entry's
//! words go to the code its target path gives.
//!
//! The official index XML could not be obtained; what is at hand is a
//! third-party flattening of the FY2025 index into CSV (`RowID, Letter,
//! Level, Term, See, SeeAlso, NonEssModif, Code`), lossy in known ways
//! (`codebooks/PROVENANCE.md`). [`parse_csv`] reads it into [`Entry`]s, the
//! form an XML loader will produce too.
//!
//! A code the FY2025 index gives that a release has turned into a header
//! (or that is a header, `S72.0-`) reaches its default code as well: the
//! child that says "unspecified", else the first, down to a billable code
//! or a header whose 7th characters are composed.

use super::{Book, CompileError, IndexWords};
use crate::model::{Kind, NoteKind};
use std::collections::HashMap;

/// One line of the index: its path from the main term down, the words of
/// its nonessential modifiers, and what it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Main term first (`["Failure", "heart", "congestive"]`).
    pub path: Vec<String>,
    /// The nonessential modifiers of the line's own term (`(congestive)`).
    pub modifiers: Vec<String>,
    /// The code (`I50.9`, `S72.0-`), when the line gives one.
    pub code: Option<String>,
    /// A `see` cross-reference (`Infarction, myocardium`).
    pub see: Option<String>,
    /// The path's words only allow the code, as nonessential modifiers do,
    /// rather than name it: the Table of Drugs and Chemicals, whose rows
    /// are substances, not conditions. "Chloride" alone does not mean a
    /// poisoning by it; "chloride poisoning" still names T50.991 (the
    /// entry's length is marked all the same), and the column's word is in
    /// the code's title.
    pub weak: bool,
    /// The entry may name its code (`IndexWords::Entry`): not when another
    /// index says what its main term means ([`keep_names_from`]).
    pub names: bool,
}

/// Reads the flattened index CSV.
pub fn parse_csv(text: &str, file: &str) -> Result<Vec<Entry>, CompileError> {
    let mut out = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut modifiers: Vec<Vec<String>> = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h))
            if h.trim_start_matches('\u{feff}').starts_with("RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code") => {
        }
        _ => {
            return Err(CompileError::Source {
                file: file.to_string(),
                line: 1,
                detail: "expected the header RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code".into(),
            })
        }
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |detail: String| CompileError::Source { file: file.to_string(), line: i as u32 + 1, detail };
        let fields = super::csv_fields(line).ok_or_else(|| bad("unbalanced quotes".into()))?;
        let [_, _, level, term, see, see_also, modifier, code] = fields.as_slice() else {
            return Err(bad(format!("{} fields, expected 8", fields.len())));
        };
        let level: usize = level.parse().map_err(|_| bad(format!("level {level:?} is not a number")))?;
        if level > path.len() {
            return Err(bad(format!("level {level} under a path of {} terms", path.len())));
        }
        path.truncate(level);
        modifiers.truncate(level);
        path.push(term.trim().to_string());
        modifiers.push(self::modifiers(modifier));
        let code = Some(code.trim()).filter(|c| !c.is_empty()).map(str::to_string);
        // A term with no code of its own and only a `see also` ("Adenoma —
        // see also Neoplasm, benign, by site") is coded as the reference says.
        let see = Some(see.trim())
            .filter(|s| !s.is_empty())
            .or_else(|| Some(see_also.trim()).filter(|s| !s.is_empty() && code.is_none()))
            .map(str::to_string);
        if code.is_some() || see.is_some() {
            // Only the line's own modifiers: a main term's "(attack)
            // (heart)" qualify Angina, not "Angina, agranulocytic".
            out.push(Entry {
                path: path.clone(),
                modifiers: modifiers.last().cloned().unwrap_or_default(),
                code,
                see,
                weak: false,
                names: true,
            });
        }
    }
    if out.is_empty() {
        return Err(CompileError::Source { file: file.to_string(), line: 1, detail: "no index entries".into() });
    }
    Ok(out)
}

/// Reads an index in the official XML schema (`<mainTerm>` and nested
/// `<term>`s, each with a `<title>` whose `<nemod>` holds its nonessential
/// modifiers, and a `<code>`, `<see>` or `<seeAlso>`): the External Cause
/// of Injuries Index, and the Index to Diseases and Injuries once its XML is
/// at hand. A `<subcat>` or `<seecat>` (a category to see) counts as a code.
/// `weak` marks the entries' words as allowing their codes rather than
/// naming them ([`Entry::weak`]).
pub fn parse_xml(text: &str, file: &str, weak: bool) -> Result<Vec<Entry>, CompileError> {
    use roxmltree::Node;
    let doc = super::xml_document(text, file)?;
    let mut out = Vec::new();
    let mut stack: Vec<(Node<'_, '_>, usize)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for main in doc.descendants().filter(|n| n.has_tag_name("mainTerm")) {
        stack.push((main, 0));
        while let Some((node, depth)) = stack.pop() {
            path.truncate(depth);
            let (mut title, mut modifiers, mut code, mut see, mut see_also) =
                (String::new(), Vec::new(), None, None, None);
            for child in node.children().filter(Node::is_element) {
                let text = || child.text().map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
                match child.tag_name().name() {
                    "title" => {
                        for part in child.children() {
                            if part.is_text() {
                                title.push_str(part.text().unwrap_or(""));
                            } else if part.has_tag_name("nemod") {
                                let t: String =
                                    part.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
                                modifiers.extend(self::modifiers(&t));
                            }
                        }
                    }
                    "code" | "subcat" | "seecat" => code = code.or_else(text),
                    "see" => see = text(),
                    "seeAlso" => see_also = text(),
                    _ => {}
                }
            }
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            if title.is_empty() {
                return Err(CompileError::Source {
                    file: file.to_string(),
                    line: doc.text_pos_at(node.range().start).row,
                    detail: "an index term without a title".into(),
                });
            }
            path.push(title);
            // As in the CSV: a term with only a `see also` is coded as the
            // reference says.
            let see = see.or(if code.is_none() { see_also } else { None });
            if code.is_some() || see.is_some() {
                out.push(Entry { path: path.clone(), modifiers, code, see, weak, names: true });
            }
            let children: Vec<_> = node.children().filter(|n| n.has_tag_name("term")).collect();
            for child in children.into_iter().rev() {
                stack.push((child, depth + 1));
            }
        }
    }
    if out.is_empty() {
        return Err(CompileError::Source { file: file.to_string(), line: 1, detail: "no index entries".into() });
    }
    Ok(out)
}

/// Clears [`Entry::names`] of the `entries` whose main term is a main term
/// of `index` too: "Fracture" in the External Cause Index (X58, circumstances
/// unknown) must not name its code where the Index to Diseases and Injuries
/// says what a fracture is. Their words still find their codes.
pub fn keep_names_from(index: &[Entry], entries: &mut [Entry]) {
    let mains = |e: &Entry| -> Vec<String> {
        e.path.first().map(|m| m.split(',').map(squeeze).filter(|v| !v.is_empty()).collect()).unwrap_or_default()
    };
    let taken: std::collections::HashSet<String> = index.iter().flat_map(mains).collect();
    for e in entries {
        if mains(e).iter().any(|m| taken.contains(m)) {
            e.names = false;
        }
    }
}

/// The nonessential modifiers of a term, written `(acute) (sudden)` or
/// `(solvent)(vapor)`: each parenthesised group, or the whole text when it
/// has none.
pub fn modifiers(text: &str) -> Vec<String> {
    text.split(['(', ')'])
        .map(|m| m.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|m| !m.is_empty())
        .collect()
}

/// What the build did with the index, for its report and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Entries whose code (or `see` target's code) the book has.
    pub linked: usize,
    /// `see` entries followed to their target's code.
    pub see_followed: usize,
    /// `see` entries whose target gives no code (`see condition`, a target
    /// with only subterms).
    pub see_unresolved: usize,
    /// Entries whose code the book lacks (none for FY2026).
    pub code_missing: Vec<String>,
}

/// Attaches the index to `book`: each entry's words become index terms of
/// its code's record (and of that record's default code). Returns what was
/// done; the words are in [`Book::index_terms`].
///
/// `aliases` are further paths a `see` reference may name, with their code
/// (the Table of Neoplasms' "Neoplasm, malignant, by site").
pub fn attach(book: &mut Book, entries: &[Entry], aliases: &[(Vec<String>, String)]) -> Result<Report, CompileError> {
    let mut by_code: HashMap<String, u32> = HashMap::with_capacity(book.records.len());
    for (i, r) in book.records.iter().enumerate() {
        by_code.insert(r.code.replace('.', ""), i as u32);
    }
    // Children of each record, for the default-code walk.
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); book.records.len()];
    for (i, r) in book.records.iter().enumerate() {
        if let Some(p) = r.parent {
            children[p as usize].push(i as u32);
        }
    }
    // A path's code, by its lowercased path, for `see` targets. A term
    // written with its variants ("Infarct, infarction"; "myocardium,
    // myocardial") is found by any of them ("see Infarct, myocardium").
    let mut code_of_path: HashMap<String, &str> = HashMap::new();
    for e in entries {
        if let Some(c) = &e.code {
            for key in path_keys(&e.path) {
                code_of_path.entry(key).or_insert(c);
            }
        }
    }
    // A `see` entry's target, by its path, for chains ("Fracture, hip —
    // see Fracture, femur, neck", itself "see Fracture, femur, upper end,
    // neck").
    let mut see_of_path: HashMap<String, &str> = HashMap::new();
    for e in entries {
        if let (None, Some(see)) = (&e.code, &e.see) {
            for key in path_keys(&e.path) {
                see_of_path.entry(key).or_insert(see);
            }
        }
    }
    for (path, code) in aliases {
        code_of_path.entry(path_key(path)).or_insert(code);
    }
    let mut report = Report::default();
    let mut names_of: HashMap<u32, Vec<String>> = HashMap::new();
    let mut terms: Vec<(u32, IndexWords, String)> = Vec::new();
    for e in entries {
        let code = match (&e.code, &e.see) {
            (Some(c), _) => Some(c.as_str()),
            (None, Some(see)) => match follow(see, &code_of_path, &see_of_path) {
                Some(c) => {
                    report.see_followed += 1;
                    Some(c)
                }
                None => {
                    report.see_unresolved += 1;
                    None
                }
            },
            (None, None) => None,
        };
        let Some(code) = code else { continue };
        let normalized: String = code.trim_end_matches(['-', '.']).chars().filter(|c| *c != '.').collect();
        let Some(&id) = by_code.get(&normalized) else {
            report.code_missing.push(code.to_string());
            continue;
        };
        report.linked += 1;
        let text = e.path.join(", ");
        let modifiers = e.modifiers.join(" ");
        let words = match (e.weak, e.code.is_some()) {
            (true, _) => IndexWords::Modifiers,
            (false, true) => IndexWords::Path,
            (false, false) => IndexWords::See,
        };
        let names = if e.names { entry_names(&e.path) } else { Vec::new() };
        let targets = with_default(book, &children, id);
        for &target in &targets {
            terms.push((target, words, text.clone()));
            if !modifiers.is_empty() {
                terms.push((target, IndexWords::Modifiers, modifiers.clone()));
            }
        }
        // The entry names the code it ends at: the default code, not the
        // headers on the way to it. But a code the index gave whole that a
        // later release split (D69.1, billable in FY2026, a header over
        // D69.11 Glanzmann thrombasthenia in FY2027) names nothing: its
        // default child there is a guess, not the index's word, and the
        // header is no code of that release.
        let r = &book.records[id as usize];
        let split = !r.billable && r.span.as_ref().is_some_and(|s| s.billable != 0);
        let named = if split { None } else { targets.last() };
        if let Some(&target) = named {
            names_of.entry(target).or_default().extend(names);
        }
    }
    for (target, names) in names_of {
        let record = &book.records[target as usize];
        let inclusions: Vec<&str> =
            record.notes.iter().filter(|(k, _)| *k == NoteKind::InclusionTerm).map(|(_, t)| t.as_str()).collect();
        for name in own_names(&record.title, &inclusions, names) {
            terms.push((target, IndexWords::Entry, name));
        }
    }
    terms.sort();
    terms.dedup();
    book.index_terms = terms;
    Ok(report)
}

/// The code a `see` reference leads to, following up to four references
/// in a chain.
fn follow<'e>(
    see: &str,
    code_of_path: &HashMap<String, &'e str>,
    see_of_path: &HashMap<String, &'e str>,
) -> Option<&'e str> {
    // "see condition" (and "see condition, limb"...) is an instruction:
    // look the condition up, whatever it is. It leads to no code, though
    // the main term "Condition" exists (and sees "Disease").
    if see.trim_start().starts_with("condition") {
        return None;
    }
    let mut see = see;
    for _ in 0..4 {
        let key = path_key(&see.split(',').map(str::to_string).collect::<Vec<_>>());
        if let Some(c) = code_of_path.get(&key) {
            return Some(c);
        }
        see = see_of_path.get(&key)?;
    }
    None
}

/// A path as a lookup key: lowercased, spaces collapsed ("Neoplasm,
/// uncertain  behavior" is written with two in places).
fn path_key(path: &[String]) -> String {
    path.iter().map(|p| squeeze(p)).collect::<Vec<_>>().join("|")
}

fn squeeze(term: &str) -> String {
    term.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The keys a path is found by: as written, and with each term replaced by
/// one of its comma-separated variants (at most 32 keys).
fn path_keys(path: &[String]) -> Vec<String> {
    let variants = path.iter().map(|term| {
        let term = squeeze(term);
        let mut variants = vec![term.clone()];
        // The main word of a term and its qualifier ("Fracture" of
        // "Fracture, traumatic"), and the word forms after it ("Infarct,
        // infarction", "Abdomen, abdominal"); not the qualifier alone
        // ("disease" of "Blood-forming organs, disease" would make every
        // "see Disease" a disease of the blood).
        let forms: Vec<&str> = term.split(", ").map(str::trim).filter(|v| !v.is_empty()).collect();
        if let [first, rest @ ..] = forms.as_slice() {
            if !rest.is_empty() {
                variants.push(first.to_string());
                variants.extend(rest.iter().filter(|v| word_form(first, v)).map(|v| v.to_string()));
            }
        }
        // "see Neoplasm, connective tissue, …" names the row "connective
        // tissue NEC"; "skin" the row "skin NOS".
        if let Some(bare) = term.strip_suffix(" nec").or_else(|| term.strip_suffix(" nos")) {
            variants.push(bare.to_string());
        }
        variants
    });
    combinations(variants, "|", 32)
}

/// Every way of taking one variant of each term, in order, joined by `sep`
/// (at most `cap` of them).
fn combinations(terms: impl IntoIterator<Item = Vec<String>>, sep: &str, cap: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for (i, variants) in terms.into_iter().enumerate() {
        let mut next = Vec::new();
        for done in &out {
            for v in &variants {
                if next.len() < cap {
                    next.push(if i == 0 { v.clone() } else { format!("{done}{sep}{v}") });
                }
            }
        }
        out = next;
    }
    out
}

/// Whether `other` is a word form of `word` as the index writes them side
/// by side ("Infarct, infarction", "femur, femoral", "Abdomen,
/// abdominal"): they share their first three letters. A qualifier does
/// not ("Flap, liver"; "Blood-forming organs, disease").
fn word_form(word: &str, other: &str) -> bool {
    let head = |v: &str| v.chars().take(3).flat_map(char::to_lowercase).collect::<String>();
    word.chars().count() >= 3 && head(word) == head(other)
}

/// The ways an entry is named: for each term, its words, at most 8 ways,
/// each the words that make the entry (see [`IndexWords::Entry`]). Long
/// paths are left out: only a few words name a condition plainly.
///
/// A term written with commas is a word and its word forms ("Infarct,
/// infarction": either names it), or a word and its coder's default
/// qualifier ([`DEFAULT_QUALIFIERS`]: "Fracture, traumatic" is named by
/// "fracture"), or a word and a qualifier that only together name it
/// ("Fracture, pathological" is "pathological fracture"; "Flap, liver" no
/// name of "liver").
fn entry_names(path: &[String]) -> Vec<String> {
    if path.len() > 3 {
        return Vec::new();
    }
    let variants = path.iter().map(|term| {
        let variants: Vec<String> =
            term.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect();
        if variants.len() < 2 {
            return variants;
        }
        let first = squeeze(&variants[0]);
        let form = |q: &str| word_form(&first, q);
        let qualifiers: Vec<String> = variants[1..].iter().map(|q| squeeze(q)).collect();
        if qualifiers.iter().all(|q| form(q) || DEFAULT_QUALIFIERS.contains(&q.as_str())) {
            // The word and its word forms name it; the coder's default
            // qualifier goes without saying ("Fracture, traumatic").
            let mut named = vec![variants[0].clone()];
            named.extend(variants[1..].iter().filter(|q| form(&squeeze(q))).cloned());
            return named;
        }
        // A term and its qualifier name it together: "Fracture,
        // pathological" is "pathological fracture", and "Flap, liver" no
        // name of "liver".
        vec![variants.join(" ")]
    });
    combinations(variants, " ", 8)
}

/// The names of a record's entries that say how few words name it: those
/// whose main term is a word of the record's title (F03.90 "Unspecified
/// dementia, …" under "Dementia"; I50.9 "Heart failure, unspecified" under
/// "Failure, heart, congestive"), those whose words are all in one of its
/// inclusion terms (N15.9 "Renal tubulo-interstitial disease", which
/// includes "Infection of kidney NOS", under "Infection, kidney"), and
/// those of one word. A posting keeps one length per word, not which entry
/// it came from, so a query's words could come from two entries: with
/// "Disease, heart" and "Failure, compensation — see Disease, heart" both
/// marked, "heart failure" would name I51.9 "Heart disease, unspecified". A
/// main term the record's own text lacks is a cross-reference from
/// elsewhere; its words still find the record, as index terms.
fn own_names(title: &str, inclusions: &[&str], mut names: Vec<String>) -> Vec<String> {
    use crate::normalize::{is_stop_word, is_unspecific_word, term_key, tokens};
    let keys = |text: &str| -> Vec<String> {
        let mut keys: Vec<String> = tokens(text)
            .iter()
            .filter(|t| !is_stop_word(&t.folded) && !is_unspecific_word(&t.folded))
            .map(|t| term_key(&t.folded))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let title_keys: Vec<String> = tokens(title).iter().map(|t| term_key(&t.folded)).collect();
    let inclusion_keys: Vec<Vec<String>> = inclusions.iter().map(|t| keys(t)).collect();
    names.retain(|n| {
        let name_keys = keys(n);
        n.split_whitespace().count() == 1
            || tokens(n).first().is_some_and(|t| title_keys.contains(&term_key(&t.folded)))
            || inclusion_keys.contains(&name_keys)
    });
    names
}

/// Qualifiers of a main term that the bare main term means by coding
/// convention: a fracture not said to be pathological or due to disease is
/// traumatic (ICD-10-CM Official Guidelines I.C.19.c), a wound not said to
/// be superficial is open (the index's "Wound, open").
const DEFAULT_QUALIFIERS: [&str; 2] = ["traumatic", "open"];

/// `id`, then, while the record is a header whose codes are stored (not
/// composed), its default child. A composed record gives its header instead (composed records are
/// found through their header). The default is the child that says
/// "unspecified", else the one that says "Other …" (D69.1 → D69.19, not the
/// Glanzmann thrombasthenia FY2027 put first), else the first.
fn with_default(book: &Book, children: &[Vec<u32>], id: u32) -> Vec<u32> {
    let mut id = id;
    if book.records[id as usize].is_composed() {
        if let Some(p) = book.records[id as usize].parent {
            id = p;
        }
    }
    let mut out = vec![id];
    let mut cur = id;
    for _ in 0..8 {
        let r = &book.records[cur as usize];
        if r.billable || !r.composition.is_empty() || matches!(r.kind, Kind::Chapter | Kind::Section) {
            break;
        }
        let kids = &children[cur as usize];
        let stored: Vec<u32> = kids.iter().copied().filter(|&c| !book.records[c as usize].is_composed()).collect();
        let title = |c: u32| book.records[c as usize].title.to_lowercase();
        // The child most unspecified ("… unspecified part of neck of
        // unspecified femur" before "… unspecified part of neck of right
        // femur"), the first of equals.
        let unspecified = |c: u32| title(c).matches("unspecified").count();
        let most = stored.iter().map(|&c| unspecified(c)).max().unwrap_or(0);
        let pick = stored
            .iter()
            .copied()
            .find(|&c| most > 0 && unspecified(c) == most)
            .or_else(|| stored.iter().copied().find(|&c| title(c).starts_with("other ")))
            .or_else(|| stored.first().copied());
        match pick {
            Some(c) => {
                out.push(c);
                cur = c;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_names_a_record_by_its_title_or_an_inclusion_term_it_equals() {
        let names = || vec!["infection kidney".to_string(), "kidney".to_string(), "ulcer cervix".to_string()];
        let title = "Renal tubulo-interstitial disease, unspecified";
        // One word always; two words when an inclusion term is those words.
        assert_eq!(own_names(title, &["Infection of kidney NOS"], names()), vec!["infection kidney", "kidney"]);
        // An inclusion term that says more is not the entry's name.
        assert_eq!(own_names(title, &["Decubitus (trophic) ulcer of cervix"], names()), vec!["kidney"]);
        // The main term in the title is enough.
        assert_eq!(own_names("Infection of the kidney, other", &[], names()), vec!["infection kidney", "kidney"]);
    }

    #[test]
    fn the_xml_schema_is_read() {
        let xml = r#"<ICD10CM.index><letter><title>A</title>
            <mainTerm><title>Accident<nemod>(to)</nemod></title><code>X58</code>
              <term level="1"><title>automobile</title><see>Accident, transport, car occupant</see></term>
              <term level="1"><title>boat, boating</title><seeAlso>Accident, watercraft</seeAlso>
                <term level="2"><title>striking swimmer</title>
                  <term level="3"><title>powered</title><code>V94.11</code></term></term></term>
              <term level="1"><title>lightning</title><subcat>T75.0</subcat></term>
            </mainTerm>
            <mainTerm><title>Abandonment<nemod>(causing exposure) (with intent)</nemod> NEC</title><code>X58</code></mainTerm>
            </letter></ICD10CM.index>"#;
        let e = parse_xml(xml, "e.xml", false).unwrap();
        let paths: Vec<String> = e.iter().map(|e| e.path.join(", ")).collect();
        assert_eq!(
            paths,
            vec![
                "Accident",
                "Accident, automobile",
                "Accident, boat, boating",
                "Accident, boat, boating, striking swimmer, powered",
                "Accident, lightning",
                "Abandonment NEC"
            ]
        );
        assert_eq!(e[0].modifiers, vec!["to"]);
        assert_eq!(e[1].see.as_deref(), Some("Accident, transport, car occupant"));
        assert_eq!(e[2].see.as_deref(), Some("Accident, watercraft"));
        assert_eq!(e[3].code.as_deref(), Some("V94.11"));
        assert_eq!(e[4].code.as_deref(), Some("T75.0"));
        assert_eq!(e[5].modifiers, vec!["causing exposure", "with intent"]);
        assert!(parse_xml("<x/>", "e.xml", false).is_err());
        assert!(parse_xml("<x><mainTerm><title> </title><code>A00</code></mainTerm></x>", "e.xml", false).is_err());
        assert!(parse_xml("<x><mainTerm", "e.xml", false).is_err());
    }

    #[test]
    fn paths_and_quotes_are_read() {
        let csv = "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n\
                   1,A,0,Attack,,,,\n\
                   2,A,1,heart,\"Infarction, myocardium\",,,\n\
                   3,F,0,Failure,,,,\n\
                   4,F,1,heart,,,(acute) (sudden),I50.9\n\
                   5,F,2,congestive,,,,I50.9\n";
        let e = parse_csv(csv, "i.csv").unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].path, vec!["Attack", "heart"]);
        assert_eq!(e[0].see.as_deref(), Some("Infarction, myocardium"));
        assert_eq!(e[1].modifiers, vec!["acute", "sudden"]);
        assert_eq!(e[2].path, vec!["Failure", "heart", "congestive"]);
        assert!(parse_csv("RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,2,x,,,,A00\n", "i.csv").is_err());
        assert!(parse_csv("nope\n", "i.csv").is_err());
    }
}
