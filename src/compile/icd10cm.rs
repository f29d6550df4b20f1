//! ICD-10-CM Tabular List XML (CDC/NCHS `icd10cm-tabular-*.xml`) → [`Book`].
//!
//! The tabular list nests chapter → section → diag (category) → diag …; a
//! diag with no children is a complete code unless a 7th-character
//! definition (`sevenChrDef`, inherited down the tree) applies to it, in
//! which case it is a header and its valid codes are composed: the code is
//! padded with the placeholder `X` to six characters and the 7th character
//! is added; the title is the header's title, a comma and the character's
//! label, as the official code titles read.
//!
//! The parser is strict: an element it does not know, a code that does not
//! extend its parent's code, or a missing name stops the build with the
//! file and line, because a silently skipped element would be a silently
//! missing code.

use super::{Book, BookLabel, BookRecord, CompileError};
use crate::model::{CodeSystem, Kind, NoteKind};
use crate::pack::ComposeRule;
use roxmltree::{Document, Node};
use std::collections::HashMap;

/// How ICD-10-CM composes 7th-character codes: pad to 6 with `X`, dot after 3.
pub const COMPOSE_RULE: ComposeRule = ComposeRule {
    style: crate::pack::format::COMPOSE_SEVENTH,
    pad_to: 6,
    placeholder: b'X',
    dot_after: 3,
    labels_posted: false,
};

/// Parses the tabular list. `file` names the source in errors; `release` is
/// the label the pack will carry.
pub fn parse_tabular(xml: &str, file: &str, release: &str) -> Result<Book, CompileError> {
    let doc = super::xml_document(xml, file)?;
    let mut p = Parser {
        doc: &doc,
        file,
        records: Vec::new(),
        labels: Vec::new(),
        label_index: HashMap::new(),
        exclusions: Vec::new(),
    };
    let root = doc.root_element();
    if root.tag_name().name() != "ICD10CM.tabular" {
        return Err(p.err(root, format!("root element is <{}>, expected <ICD10CM.tabular>", root.tag_name().name())));
    }
    let mut version = None;
    for child in root.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "version" => version = Some(collapse(&text_of(child))),
            "introduction" => {}
            "chapter" => p.chapter(child)?,
            other => return Err(p.err(child, format!("unexpected element <{other}> in <ICD10CM.tabular>"))),
        }
    }
    let version = version.ok_or_else(|| p.err(root, "no <version> element".into()))?;
    if !release.contains(&version) {
        return Err(p.err(
            root,
            format!("the file is version {version}, but the manifest's release label {release:?} does not mention it"),
        ));
    }
    if p.records.is_empty() {
        return Err(p.err(root, "no chapters".into()));
    }
    let system =
        CodeSystem::from_id("icd10cm").ok_or_else(|| CompileError::Invalid("icd10cm is not a known system".into()))?;
    Ok(Book {
        system,
        release: release.to_string(),
        meta: vec![("tabular_version".into(), version)],
        records: p.records,
        labels: p.labels,
        compose: COMPOSE_RULE,
        crosswalks: Vec::new(),
        releases: Vec::new(),
        index_terms: Vec::new(),
        expansions: Vec::new(),
        edits: Default::default(),
    })
}

/// "7th characters D and S do not apply to codes in category S06 with 6th
/// character 7 ... or 8 ...": a rule the tabular list states only as a
/// note, read from that note so that a release that drops it also drops
/// the exclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Exclusion {
    category: String,
    sixth: Vec<char>,
    seventh: Vec<char>,
}

fn parse_exclusion(note: &str) -> Option<Exclusion> {
    let rest = note.strip_prefix("7th characters ")?;
    let (chars, rest) = rest.split_once(" do not apply to codes in category ")?;
    let seventh: Vec<char> = chars
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty() && *w != "and")
        .map(|w| if w.len() == 1 { w.chars().next() } else { None })
        .collect::<Option<Vec<char>>>()?;
    let (category, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("with 6th character ")?;
    let sixth: Vec<char> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_alphanumeric()))
        .filter_map(|w| w.chars().next())
        .collect();
    if seventh.is_empty() || sixth.is_empty() || category.len() != 3 {
        return None;
    }
    Some(Exclusion { category: category.to_string(), sixth, seventh })
}

struct Parser<'a, 'input> {
    doc: &'a Document<'input>,
    file: &'a str,
    records: Vec<BookRecord>,
    labels: Vec<BookLabel>,
    label_index: HashMap<BookLabel, u32>,
    exclusions: Vec<Exclusion>,
}

/// A 7th-character definition in scope: (character, label index).
type SevenChrDef = Vec<(char, u32)>;

impl<'input> Parser<'_, 'input> {
    fn line(&self, node: Node) -> u32 {
        self.doc.text_pos_at(node.range().start).row
    }

    fn err(&self, node: Node, detail: String) -> CompileError {
        CompileError::Source { file: self.file.to_string(), line: self.line(node), detail }
    }

    fn push(&mut self, record: BookRecord) -> u32 {
        self.records.push(record);
        (self.records.len() - 1) as u32
    }

    fn required_text(&self, node: Node, tag: &str) -> Result<String, CompileError> {
        let child = node
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == tag)
            .ok_or_else(|| self.err(node, format!("<{}> has no <{tag}>", node.tag_name().name())))?;
        let text = collapse(&text_of(child));
        if text.is_empty() {
            return Err(self.err(child, format!("<{tag}> is empty")));
        }
        Ok(text)
    }

    fn chapter(&mut self, node: Node) -> Result<(), CompileError> {
        let number = self.required_text(node, "name")?;
        let title = self.required_text(node, "desc")?;
        let code = trailing_range(&title).ok_or_else(|| {
            self.err(node, format!("chapter {number}: title {title:?} does not end with its code range"))
        })?;
        let id = self.push(BookRecord::new(code, title, Kind::Chapter, false, None));
        for child in node.children().filter(Node::is_element) {
            let tag = child.tag_name().name();
            match tag {
                "name" | "desc" | "sectionIndex" => {}
                "section" => self.section(child, id)?,
                _ => {
                    let notes = self.notes(child)?;
                    self.records[id as usize].notes.extend(notes);
                }
            }
        }
        Ok(())
    }

    fn section(&mut self, node: Node, parent: u32) -> Result<(), CompileError> {
        let raw_id = node.attribute("id").ok_or_else(|| self.err(node, "<section> has no id attribute".into()))?;
        let (first, last) = match raw_id.split_once('-') {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (raw_id.to_string(), raw_id.to_string()),
        };
        if !is_category(&first) || !is_category(&last) || first > last {
            return Err(self.err(node, format!("section id {raw_id:?} is not a range of categories")));
        }
        let title = self.required_text(node, "desc")?;
        let id = self.push(BookRecord::new(format!("{first}-{last}"), title, Kind::Section, false, Some(parent)));
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "desc" => {}
                "diag" => {
                    let name = self.required_text(child, "name")?;
                    // Ranges are not lexicographic (C4A stands in C43-C44),
                    // so only the letter is checked against the section.
                    let letter = name.as_bytes().first().copied().unwrap_or(0);
                    if !is_category(&name) || letter < first.as_bytes()[0] || letter > last.as_bytes()[0] {
                        return Err(self.err(child, format!("category {name:?} is outside its section {raw_id}")));
                    }
                    self.diag(child, id, None, &[])?;
                }
                _ => {
                    let notes = self.notes(child)?;
                    self.records[id as usize].notes.extend(notes);
                }
            }
        }
        Ok(())
    }

    fn diag(
        &mut self,
        node: Node,
        parent: u32,
        parent_code: Option<&str>,
        inherited: &[(char, u32)],
    ) -> Result<(), CompileError> {
        let code = self.required_text(node, "name")?;
        if !is_code(&code) {
            return Err(self.err(node, format!("{code:?} is not an ICD-10-CM code")));
        }
        if let Some(pc) = parent_code {
            if !code.starts_with(pc) || code.len() <= pc.len() {
                return Err(self.err(node, format!("{code} does not extend its parent code {pc}")));
            }
        }
        let title = self.required_text(node, "desc")?;
        let has_children = node.children().any(|c| c.is_element() && c.tag_name().name() == "diag");
        let category = parent_code.is_none();

        let mut notes = Vec::new();
        let mut own_def: Option<SevenChrDef> = None;
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "name" | "desc" | "diag" => {}
                "sevenChrDef" => {
                    let (def, def_notes) = self.seven_chr_def(child)?;
                    notes.extend(def_notes);
                    own_def = Some(def);
                }
                "notes" => {
                    for (kind, text) in self.notes(child)? {
                        if let Some(rule) = parse_exclusion(&text) {
                            if rule.category != code {
                                return Err(self.err(
                                    child,
                                    format!("a 7th-character rule for {} stands under {code}", rule.category),
                                ));
                            }
                            self.exclusions.push(rule);
                        }
                        notes.push((kind, text));
                    }
                }
                _ => notes.extend(self.notes(child)?),
            }
        }
        let def: &[(char, u32)] = own_def.as_deref().unwrap_or(inherited);
        let needs_seventh = !has_children && !def.is_empty();
        let billable = !has_children && !needs_seventh;
        let kind = match (category, billable) {
            (true, _) => Kind::Category,
            (false, true) => Kind::Code,
            (false, false) => Kind::Subcategory,
        };
        let id = self
            .push(BookRecord { notes, ..BookRecord::new(code.clone(), title.clone(), kind, billable, Some(parent)) });

        if needs_seventh {
            let normalized: String = code.chars().filter(|c| *c != '.').collect();
            if normalized.len() > COMPOSE_RULE.pad_to as usize {
                return Err(self.err(node, format!("{code} is too long to take a 7th character")));
            }
            let mut padded = normalized.clone();
            while padded.len() < COMPOSE_RULE.pad_to as usize {
                padded.push(COMPOSE_RULE.placeholder as char);
            }
            let mut axis = Vec::new();
            for &(ch, label) in def {
                if self.excluded(&padded, ch) {
                    continue;
                }
                axis.push(label);
                let full = format!("{}.{}{}", &padded[..3], &padded[3..], ch);
                let label_text = &self.labels[label as usize].text;
                self.push(BookRecord {
                    labels: vec![label],
                    ..BookRecord::new(full, format!("{title}, {label_text}"), Kind::Code, true, Some(id))
                });
            }
            self.records[id as usize].composition = vec![vec![axis]];
        }
        for child in node.children().filter(|c| c.is_element() && c.tag_name().name() == "diag") {
            self.diag(child, id, Some(&code), def)?;
        }
        Ok(())
    }

    fn excluded(&self, padded: &str, seventh: char) -> bool {
        let sixth = padded.chars().nth(5);
        self.exclusions.iter().any(|r| {
            padded.starts_with(&r.category)
                && sixth.is_some_and(|s| r.sixth.contains(&s))
                && r.seventh.contains(&seventh)
        })
    }

    /// A `sevenChrDef`: its extensions become labels; a `<note>` after an
    /// extension is an inclusion term of that extension.
    fn seven_chr_def(&mut self, node: Node) -> Result<(SevenChrDef, Vec<(NoteKind, String)>), CompileError> {
        let mut pending: Vec<BookLabel> = Vec::new();
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "extension" => {
                    let ch = child
                        .attribute("char")
                        .filter(|c| c.len() == 1 && c.chars().all(|c| c.is_ascii_alphanumeric()))
                        .and_then(|c| c.chars().next())
                        .ok_or_else(|| self.err(child, "<extension> needs a one-letter char attribute".into()))?;
                    let text = collapse(&text_of(child));
                    if text.is_empty() {
                        return Err(self.err(child, "<extension> is empty".into()));
                    }
                    if pending.iter().any(|l| l.ch == ch) {
                        return Err(self.err(child, format!("7th character {ch} is defined twice")));
                    }
                    pending.push(BookLabel { ch, text, notes: Vec::new() });
                }
                "note" => {
                    let text = collapse(&text_of(child));
                    let last = pending
                        .last_mut()
                        .ok_or_else(|| self.err(child, "<note> before any <extension> in <sevenChrDef>".into()))?;
                    last.notes.push((NoteKind::InclusionTerm, text));
                }
                other => return Err(self.err(child, format!("unexpected element <{other}> in <sevenChrDef>"))),
            }
        }
        if pending.is_empty() {
            return Err(self.err(node, "<sevenChrDef> defines no 7th character".into()));
        }
        let mut def = Vec::with_capacity(pending.len());
        let mut notes = Vec::with_capacity(pending.len());
        for label in pending {
            notes.push((NoteKind::SevenChrDef, format!("{} {}", label.ch, label.text)));
            let ch = label.ch;
            let next = self.labels.len() as u32;
            let index = *self.label_index.entry(label.clone()).or_insert(next);
            if index == next {
                self.labels.push(label);
            }
            def.push((ch, index));
        }
        Ok((def, notes))
    }

    /// A note container (`includes`, `excludes1`, ...): its `<note>` texts.
    fn notes(&self, node: Node) -> Result<Vec<(NoteKind, String)>, CompileError> {
        let tag = node.tag_name().name();
        let kind = match tag {
            "includes" => NoteKind::Includes,
            "inclusionTerm" => NoteKind::InclusionTerm,
            "excludes1" => NoteKind::Excludes1,
            "excludes2" => NoteKind::Excludes2,
            "codeFirst" => NoteKind::CodeFirst,
            "useAdditionalCode" => NoteKind::UseAdditionalCode,
            "codeAlso" => NoteKind::CodeAlso,
            "notes" => NoteKind::Note,
            "sevenChrNote" => NoteKind::SevenChrNote,
            "visualImpairment" => return self.visual_impairment(node),
            other => {
                let parent = node.parent_element().map(|p| p.tag_name().name()).unwrap_or("?");
                return Err(self.err(node, format!("unexpected element <{other}> in <{parent}>")));
            }
        };
        let mut out = Vec::new();
        for child in node.children().filter(Node::is_element) {
            if child.tag_name().name() != "note" {
                return Err(self.err(child, format!("unexpected element <{}> in <{tag}>", child.tag_name().name())));
            }
            let text = collapse(&text_of(child));
            if !text.is_empty() {
                out.push((kind, text));
            }
        }
        Ok(out)
    }

    /// The table of visual impairment categories under H54, one note a row.
    fn visual_impairment(&self, node: Node) -> Result<Vec<(NoteKind, String)>, CompileError> {
        let headings: Vec<String> =
            node.descendants().filter(|n| n.has_tag_name("heading")).map(|n| collapse(&text_of(n))).collect();
        let heading = |i: usize, fallback: &str| headings.get(i).cloned().unwrap_or_else(|| fallback.to_string());
        let (category, acuity, max, min) = (
            heading(0, "Category of visual impairment"),
            heading(1, "Visual acuity with best possible correction"),
            heading(2, "Maximum less than:"),
            heading(3, "Minimum equal to or better than:"),
        );
        let mut out = Vec::new();
        for row in node.children().filter(|n| n.has_tag_name("visCategory")) {
            let Some(value) = row.children().find(|n| n.has_tag_name("value")) else {
                continue; // the heading row
            };
            let values = |tag: &str| -> Vec<String> {
                row.descendants()
                    .filter(|n| n.has_tag_name(tag))
                    .flat_map(|n| n.children().filter(|c| c.has_tag_name("value")))
                    .map(|v| collapse(&text_of(v)))
                    .collect()
            };
            let (maxes, mins) = (values("visMax"), values("visMin"));
            let mut text = format!(
                "{category} {} ({}): {max} {}",
                collapse(&text_of(value)),
                acuity.to_lowercase(),
                maxes.join(", ")
            );
            if !mins.is_empty() {
                text.push_str(&format!("; {min} {}", mins.join(", ")));
            }
            out.push((NoteKind::Note, text));
        }
        if out.is_empty() {
            return Err(self.err(node, "<visualImpairment> has no categories".into()));
        }
        Ok(out)
    }
}

/// All text below a node.
fn text_of(node: Node) -> String {
    node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect()
}

/// Whitespace runs to one space, trimmed: the tabular list indents and
/// wraps its text, and titles must compare equal to the official ones.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `A00`, `QA0`, `C7A`: a letter and two letters or digits.
fn is_category(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3 && b[0].is_ascii_uppercase() && b[1..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A category, optionally a dot and one to four more letters or digits.
fn is_code(s: &str) -> bool {
    match s.split_once('.') {
        None => is_category(s),
        Some((cat, rest)) => {
            is_category(cat)
                && (1..=4).contains(&rest.len())
                && rest.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
    }
}

/// The `A00-B99` at the end of a chapter title `... (A00-B99)`.
fn trailing_range(title: &str) -> Option<String> {
    let inner = title.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let range = &inner[open + 1..];
    let (a, b) = range.split_once('-')?;
    (is_category(a) && is_category(b)).then(|| range.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2026</version>
<chapter><name>19</name><desc>Injury (S00-T88)</desc>
<section id="S70-S79"><desc>Injuries to the hip and thigh (S70-S79)</desc>"#;
    const TAIL: &str = "</section></chapter></ICD10CM.tabular>";

    fn parse(body: &str) -> Result<Book, CompileError> {
        parse_tabular(&format!("{HEAD}{body}{TAIL}"), "test.xml", "FY2026")
    }

    #[test]
    fn composes_seventh_character_codes_with_placeholder() {
        let book = parse(
            r#"<diag><name>S72</name><desc>Fracture of femur</desc>
            <sevenChrDef><extension char="A">initial encounter for closed fracture</extension>
            <extension char="B">initial encounter for open fracture type I or II</extension>
            <note>initial encounter for open fracture NOS</note></sevenChrDef>
            <diag><name>S72.9</name><desc>Unspecified fracture of femur</desc></diag></diag>"#,
        )
        .unwrap();
        let codes: Vec<_> = book.records.iter().map(|r| (r.code.as_str(), r.billable)).collect();
        assert_eq!(
            codes,
            vec![
                ("S00-T88", false),
                ("S70-S79", false),
                ("S72", false),
                ("S72.9", false),
                ("S72.9XXA", true),
                ("S72.9XXB", true)
            ]
        );
        assert_eq!(book.records[4].title, "Unspecified fracture of femur, initial encounter for closed fracture");
        assert_eq!(
            book.labels[1].notes,
            vec![(NoteKind::InclusionTerm, "initial encounter for open fracture NOS".to_string())]
        );
    }

    #[test]
    fn s06_rule_is_read_from_its_note() {
        let rule = parse_exclusion("7th characters D and S do not apply to codes in category S06 with 6th character 7 - death due to brain injury prior to regaining consciousness, or 8 - death due to other cause prior to regaining consciousness.").unwrap();
        assert_eq!(rule, Exclusion { category: "S06".into(), sixth: vec!['7', '8'], seventh: vec!['D', 'S'] });
        assert_eq!(parse_exclusion("Code also any associated injury"), None);
    }

    #[test]
    fn malformed_sources_are_located() {
        let err = parse(r#"<diag><name>S72</name><desc>Fracture</desc><bogus/></diag>"#).unwrap_err().to_string();
        assert!(err.starts_with("test.xml:4:") && err.contains("unexpected element <bogus>"), "{err}");
        let err =
            parse(r#"<diag><name>S72</name><desc>Fracture</desc><diag><name>S73.1</name><desc>x</desc></diag></diag>"#)
                .unwrap_err()
                .to_string();
        assert!(err.contains("S73.1 does not extend its parent code S72"), "{err}");
        let err = parse(r#"<diag><name>S72</name></diag>"#).unwrap_err().to_string();
        assert!(err.contains("has no <desc>"), "{err}");
        let err = parse_tabular("<ICD10CM.tabular><chapter>", "broken.xml", "FY2026").unwrap_err().to_string();
        assert!(err.starts_with("broken.xml:1:"), "{err}");
        let err = parse(r#"<diag><name>A01</name><desc>Typhoid</desc></diag>"#).unwrap_err().to_string();
        assert!(err.contains("outside its section"), "{err}");
    }

    #[test]
    fn release_must_match_the_file_version() {
        let err = parse_tabular(&format!("{HEAD}{TAIL}"), "t.xml", "FY2025").unwrap_err().to_string();
        assert!(err.contains("version 2026"), "{err}");
    }
}
