//! ICD-10-PCS Tables XML (CMS `icd10pcs_tables_*.xml`) and Definitions XML
//! (`icd10pcs_definitions_*.xml`) → [`Book`].
//!
//! A PCS table fixes the first three characters (section, body system,
//! operation); each of its rows lists the values allowed on the last four
//! axes, and every combination is a valid code. The book keeps exactly
//! that: a record per section, body system and table, and the table's rows
//! as its composition, so the 79,115 codes are composed by the reader
//! (codes and titles, see [`crate::pcs`]) rather than stored one by one.
//! The definitions become notes: a root operation's definition,
//! explanation and examples on its tables, an approach's definition on the
//! approach label, the body part and device keys as inclusion terms of
//! their labels (so that "hallux" finds the 1st toe).

use super::{Book, BookLabel, BookRecord, CompileError};
use crate::model::{CodeSystem, Kind, NoteKind};
use crate::pack::format::COMPOSE_AXES;
use crate::pack::ComposeRule;
use roxmltree::{Document, Node};
use std::collections::HashMap;

/// ICD-10-PCS codes are the table's code and one character per axis; no dot.
pub const COMPOSE_RULE: ComposeRule =
    ComposeRule { style: COMPOSE_AXES, pad_to: 0, placeholder: 0, dot_after: 0, labels_posted: true };

/// What the Definitions XML says about one value of one axis in one section.
#[derive(Debug, Default, Clone)]
struct Definition {
    definition: Option<String>,
    explanation: Option<String>,
    includes: Vec<String>,
}

type Definitions = HashMap<(char, u32, String), Definition>;

fn err(doc: &Document, file: &str, node: Node, detail: String) -> CompileError {
    CompileError::Source { file: file.to_string(), line: doc.text_pos_at(node.range().start).row, detail }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn child_text(node: Node, tag: &str) -> Option<String> {
    node.children().find(|c| c.has_tag_name(tag)).map(|c| collapse(c.text().unwrap_or_default()))
}

/// Refuses a document whose root element is not `<tag>`.
fn expect_root(doc: &Document, file: &str, tag: &str) -> Result<(), CompileError> {
    let root = doc.root_element();
    if root.has_tag_name(tag) {
        Ok(())
    } else {
        Err(err(doc, file, root, format!("root element is <{}>, expected <{tag}>", root.tag_name().name())))
    }
}

/// Reads the Definitions XML: per section, per axis, per value title.
fn parse_definitions(xml: &str, file: &str) -> Result<(String, Definitions), CompileError> {
    let doc = super::xml_document(xml, file)?;
    let root = doc.root_element();
    expect_root(&doc, file, "ICD10PCS.definitions")?;
    let version = child_text(root, "version").ok_or_else(|| err(&doc, file, root, "no <version>".into()))?;
    let mut out = Definitions::new();
    for section in root.children().filter(|n| n.has_tag_name("section")) {
        let code = section
            .attribute("code")
            .and_then(|c| c.chars().next())
            .ok_or_else(|| err(&doc, file, section, "<section> has no code".into()))?;
        for axis in section.children().filter(|n| n.has_tag_name("axis")) {
            let pos: u32 = axis
                .attribute("pos")
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| err(&doc, file, axis, "<axis> has no numeric pos".into()))?;
            for terms in axis.children().filter(|n| n.has_tag_name("terms")) {
                let mut def = Definition::default();
                let mut titles = Vec::new();
                for c in terms.children().filter(Node::is_element) {
                    let text = collapse(c.text().unwrap_or_default());
                    match c.tag_name().name() {
                        "title" => titles.push(text),
                        "definition" => def.definition = Some(text),
                        "explanation" => def.explanation = Some(text),
                        "includes" => def.includes.push(text),
                        other => {
                            return Err(err(&doc, file, c, format!("unexpected element <{other}> in <terms>")));
                        }
                    }
                }
                for t in titles {
                    out.insert((code, pos, t), def.clone());
                }
            }
        }
    }
    Ok((version, out))
}

struct Axis {
    pos: u32,
    /// (character, label text).
    values: Vec<(char, String)>,
}

fn parse_axis(doc: &Document, file: &str, node: Node) -> Result<Axis, CompileError> {
    let pos: u32 = node
        .attribute("pos")
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=7).contains(p))
        .ok_or_else(|| err(doc, file, node, "<axis> needs a pos from 1 to 7".into()))?;
    let mut values = Vec::new();
    for c in node.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "title" | "definition" => {}
            "label" => {
                let ch = c
                    .attribute("code")
                    .filter(|v| v.len() == 1 && v.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
                    .and_then(|v| v.chars().next())
                    .ok_or_else(|| err(doc, file, c, "<label> needs a one-character code (0-9, A-Z)".into()))?;
                let text = collapse(c.text().unwrap_or_default());
                if text.is_empty() {
                    return Err(err(doc, file, c, format!("label {ch} is empty")));
                }
                if values.iter().any(|(v, _)| *v == ch) {
                    return Err(err(doc, file, c, format!("value {ch} appears twice on axis {pos}")));
                }
                values.push((ch, text));
            }
            other => return Err(err(doc, file, c, format!("unexpected element <{other}> in <axis>"))),
        }
    }
    if values.is_empty() {
        return Err(err(doc, file, node, format!("axis {pos} has no values")));
    }
    if let Some(n) = node.attribute("values").and_then(|v| v.parse::<usize>().ok()) {
        if n != values.len() {
            return Err(err(doc, file, node, format!("axis {pos} says {n} values but lists {}", values.len())));
        }
    }
    Ok(Axis { pos, values })
}

/// Parses the tables (and, if given, the definitions) into a book.
pub fn parse(
    tables_xml: &str,
    tables_file: &str,
    definitions: Option<(&str, &str)>,
    release: &str,
) -> Result<Book, CompileError> {
    let (def_version, defs) = match definitions {
        Some((xml, file)) => {
            let (v, d) = parse_definitions(xml, file)?;
            (Some(v), d)
        }
        None => (None, Definitions::new()),
    };
    let doc = super::xml_document(tables_xml, tables_file)?;
    let file = tables_file;
    let root = doc.root_element();
    expect_root(&doc, file, "ICD10PCS.tabular")?;
    let version = child_text(root, "version").ok_or_else(|| err(&doc, file, root, "no <version>".into()))?;
    if !release.contains(&version) {
        return Err(err(
            &doc,
            file,
            root,
            format!("the file is version {version}, but the release label {release:?} does not mention it"),
        ));
    }
    if let Some(v) = &def_version {
        if *v != version {
            return Err(CompileError::Invalid(format!(
                "the tables are version {version} but the definitions version {v}"
            )));
        }
    }

    let mut records: Vec<BookRecord> = Vec::new();
    let mut labels: Vec<BookLabel> = Vec::new();
    let mut label_ids: HashMap<BookLabel, u32> = HashMap::new();
    let mut section_of: HashMap<char, u32> = HashMap::new();
    let mut last_table = String::new();
    let mut current_system: Option<(String, u32)> = None;

    let header = |code: String, title: String, kind: Kind, parent: Option<u32>, notes: Vec<(NoteKind, String)>| {
        BookRecord { notes, ..BookRecord::new(code, title, kind, false, parent) }
    };

    for table in root.children().filter(Node::is_element) {
        match table.tag_name().name() {
            "version" | "title" => continue,
            "pcsTable" => {}
            other => return Err(err(&doc, file, table, format!("unexpected element <{other}> in <ICD10PCS.tabular>"))),
        }
        let mut fixed: Vec<Axis> = Vec::new();
        let mut rows: Vec<Vec<Axis>> = Vec::new();
        let mut operation_definition = None;
        for c in table.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "axis" => {
                    if c.attribute("pos") == Some("3") {
                        operation_definition = child_text(c, "definition");
                    }
                    fixed.push(parse_axis(&doc, file, c)?);
                }
                "pcsRow" => {
                    let mut axes = Vec::new();
                    for a in c.children().filter(Node::is_element) {
                        if !a.has_tag_name("axis") {
                            return Err(err(
                                &doc,
                                file,
                                a,
                                format!("unexpected element <{}> in <pcsRow>", a.tag_name().name()),
                            ));
                        }
                        axes.push(parse_axis(&doc, file, a)?);
                    }
                    let positions: Vec<u32> = axes.iter().map(|a| a.pos).collect();
                    if positions != [4, 5, 6, 7] {
                        return Err(err(
                            &doc,
                            file,
                            c,
                            format!("a row must give axes 4, 5, 6 and 7, not {positions:?}"),
                        ));
                    }
                    let product: usize = axes.iter().map(|a| a.values.len()).product();
                    if let Some(n) = c.attribute("codes").and_then(|v| v.parse::<usize>().ok()) {
                        if n != product {
                            return Err(err(
                                &doc,
                                file,
                                c,
                                format!("the row says {n} codes but its axes make {product}"),
                            ));
                        }
                    }
                    rows.push(axes);
                }
                other => return Err(err(&doc, file, c, format!("unexpected element <{other}> in <pcsTable>"))),
            }
        }
        let positions: Vec<u32> = fixed.iter().map(|a| a.pos).collect();
        if positions != [1, 2, 3] || fixed.iter().any(|a| a.values.len() != 1) {
            return Err(err(&doc, file, table, "a table must fix axes 1, 2 and 3 to one value each".into()));
        }
        if rows.is_empty() {
            return Err(err(&doc, file, table, "a table without rows".into()));
        }
        let (s, sys, op) = (&fixed[0].values[0], &fixed[1].values[0], &fixed[2].values[0]);
        let table_code: String = [s.0, sys.0, op.0].iter().collect();
        if table_code <= last_table {
            return Err(err(&doc, file, table, format!("table {table_code} is out of order or repeated")));
        }
        last_table = table_code.clone();

        let section = match section_of.get(&s.0) {
            Some(&id) => id,
            None => {
                let mut notes = Vec::new();
                // The section's approach definitions, searchable from here.
                let mut approaches: Vec<(&String, &Definition)> = defs
                    .iter()
                    .filter(|((sec, pos, _), _)| *sec == s.0 && *pos == 5)
                    .map(|((_, _, t), d)| (t, d))
                    .collect();
                approaches.sort_by(|a, b| a.0.cmp(b.0));
                for (title, d) in approaches {
                    if let Some(def) = &d.definition {
                        notes.push((NoteKind::Definition, format!("{title} approach: {def}")));
                    }
                }
                records.push(header(s.0.to_string(), s.1.clone(), Kind::Section, None, notes));
                let id = (records.len() - 1) as u32;
                section_of.insert(s.0, id);
                id
            }
        };
        let system_code: String = [s.0, sys.0].iter().collect();
        let system = match &current_system {
            Some((code, id)) if *code == system_code => *id,
            _ => {
                records.push(header(system_code.clone(), sys.1.clone(), Kind::BodySystem, Some(section), Vec::new()));
                let id = (records.len() - 1) as u32;
                current_system = Some((system_code, id));
                id
            }
        };

        let mut notes = Vec::new();
        let op_def = defs.get(&(s.0, 3, op.1.clone()));
        if let Some(d) = operation_definition.or_else(|| op_def.and_then(|d| d.definition.clone())) {
            notes.push((NoteKind::Definition, d));
        }
        if let Some(d) = op_def {
            if let Some(e) = &d.explanation {
                notes.push((NoteKind::Explanation, e.clone()));
            }
            for i in &d.includes {
                notes.push((NoteKind::Includes, i.clone()));
            }
        }
        let table_id = records.len() as u32;
        let mut composition = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut axes_ids = Vec::with_capacity(4);
            for axis in row {
                let mut ids = Vec::with_capacity(axis.values.len());
                for (ch, text) in &axis.values {
                    let d = defs.get(&(s.0, axis.pos, text.clone()));
                    let mut label_notes: Vec<(NoteKind, String)> = d
                        .map(|d| d.includes.iter().map(|i| (NoteKind::InclusionTerm, i.clone())).collect())
                        .unwrap_or_default();
                    if axis.pos == 5 {
                        if let Some(def) = d.and_then(|d| d.definition.clone()) {
                            label_notes.push((NoteKind::Definition, def));
                        }
                    }
                    let label = BookLabel { ch: *ch, text: text.clone(), notes: label_notes };
                    let next = labels.len() as u32;
                    let id = *label_ids.entry(label.clone()).or_insert(next);
                    if id == next {
                        labels.push(label);
                    }
                    ids.push(id);
                }
                axes_ids.push(ids);
            }
            composition.push(axes_ids);
        }
        let mut table_record = header(table_code.clone(), op.1.clone(), Kind::Table, Some(system), notes);
        table_record.composition = composition.clone();
        records.push(table_record);
        let heads = [s.1.clone(), sys.1.clone(), op.1.clone()];
        for axes in &composition {
            crate::pack::composition::for_each_combination(axes, |combo| {
                let mut code = table_code.clone();
                let texts: Vec<(char, String)> =
                    combo.iter().map(|&l| (labels[l as usize].ch, labels[l as usize].text.clone())).collect();
                code.extend(texts.iter().map(|t| t.0));
                records.push(BookRecord {
                    labels: combo.to_vec(),
                    ..BookRecord::new(
                        code,
                        crate::pcs::compose_title(&table_code, &heads, &texts),
                        Kind::Code,
                        true,
                        Some(table_id),
                    )
                });
                Ok(())
            })?;
        }
    }
    if records.is_empty() {
        return Err(err(&doc, file, root, "no tables".into()));
    }
    let system = CodeSystem::from_id("icd10pcs")
        .ok_or_else(|| CompileError::Invalid("icd10pcs is not a known system".into()))?;
    Ok(Book {
        system,
        release: release.to_string(),
        meta: vec![("tables_version".into(), version)],
        records,
        labels,
        compose: COMPOSE_RULE,
        crosswalks: Vec::new(),
        releases: Vec::new(),
        index_terms: Vec::new(),
        expansions: Vec::new(),
        edits: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: &str = r#"<?xml version="1.0"?><ICD10PCS.tabular><version>2026</version>
<pcsTable><axis pos="1" values="1"><title>Section</title><label code="0">Medical and Surgical</label></axis>
<axis pos="2" values="1"><title>Body System</title><label code="D">Gastrointestinal System</label></axis>
<axis pos="3" values="1"><title>Operation</title><label code="T">Resection</label><definition>Cutting out or off, without replacement, all of a body part</definition></axis>
<pcsRow codes="2"><axis pos="4" values="1"><title>Body Part</title><label code="J">Appendix</label></axis>
<axis pos="5" values="2"><title>Approach</title><label code="0">Open</label><label code="4">Percutaneous Endoscopic</label></axis>
<axis pos="6" values="1"><title>Device</title><label code="Z">No Device</label></axis>
<axis pos="7" values="1"><title>Qualifier</title><label code="Z">No Qualifier</label></axis></pcsRow>
</pcsTable></ICD10PCS.tabular>"#;

    #[test]
    fn tables_become_headers_and_composed_codes() {
        let book = parse(TABLES, "t.xml", None, "FY2026").unwrap();
        let codes: Vec<&str> = book.records.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["0", "0D", "0DT", "0DTJ0ZZ", "0DTJ4ZZ"]);
        assert_eq!(book.records[2].kind, Kind::Table);
        assert_eq!(book.records[2].notes[0].0, NoteKind::Definition);
        assert_eq!(book.records[3].title, "Resection of Appendix, Open Approach");
        assert!(book.records[3].billable && !book.records[2].billable);
    }

    #[test]
    fn malformed_tables_are_located() {
        let bad = TABLES.replace(r#"<pcsRow codes="2">"#, r#"<pcsRow codes="3">"#);
        let e = parse(&bad, "t.xml", None, "FY2026").unwrap_err().to_string();
        assert!(e.starts_with("t.xml:5:") && e.contains("says 3 codes"), "{e}");
        let bad = TABLES.replace(r#"<label code="J">"#, r#"<label code="jj">"#);
        let e = parse(&bad, "t.xml", None, "FY2026").unwrap_err().to_string();
        assert!(e.contains("one-character code"), "{e}");
        let e = parse(TABLES, "t.xml", None, "FY2025").unwrap_err().to_string();
        assert!(e.contains("version 2026"), "{e}");
    }
}
