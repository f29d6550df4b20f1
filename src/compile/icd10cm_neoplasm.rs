//! The ICD-10-CM Table of Neoplasms → index entries.
//!
//! The Alphabetic Index sends every tumour to this table: "Leiomyosarcoma —
//! see Neoplasm, connective tissue, malignant"; "Adenoma — see also
//! Neoplasm, benign, by site". Each row is an anatomical site, each column
//! a behaviour (malignant primary, secondary, in situ, benign, uncertain,
//! unspecified). A cell becomes an index entry `Neoplasm, <site…>,
//! <behaviour>`, so that "colon malignant neoplasm" finds C18.9 and the
//! index's `see` references into the table resolve. "By site" references
//! (no site named) resolve to the table's first row, the unspecified site.
//!
//! The official FY2025 XML (`icd-10-cm-neoplasm-2025.xml`) is read as is.

use super::icd10cm_index::Entry;
use super::CompileError;
use roxmltree::{Document, Node};

/// The table's columns after the site, in order, with the word a `see`
/// reference uses for each and the words the column adds to a search
/// (the rest of its heading).
pub const BEHAVIOURS: [(&str, &str); 6] = [
    ("malignant", "primary"),
    ("secondary", "malignant metastatic"),
    ("in situ", "carcinoma"),
    ("benign", ""),
    ("uncertain behavior", ""),
    ("unspecified behavior", ""),
];

/// Reads the table into index entries (`Neoplasm, <site…>, <behaviour>`),
/// and the references that name no site (`Neoplasm, malignant, by site`)
/// as extra paths to the first row's codes.
pub fn parse(text: &str, file: &str) -> Result<Table, CompileError> {
    let doc = Document::parse(text).map_err(|e| CompileError::Syntax {
        file: file.to_string(),
        line: e.pos().row,
        column: e.pos().col,
        detail: e.to_string(),
    })?;
    let bad = |node: Node<'_, '_>, detail: String| CompileError::Source {
        file: file.to_string(),
        line: doc.text_pos_at(node.range().start).row,
        detail,
    };
    let main = doc
        .descendants()
        .find(|n| n.has_tag_name("mainTerm"))
        .ok_or_else(|| bad(doc.root_element(), "no <mainTerm>: not a Table of Neoplasms".into()))?;
    let mut table = Table::default();
    let top = row(main).map_err(|d| bad(main, d))?;
    if top.codes.iter().all(Option::is_none) {
        return Err(bad(main, "the table's first row gives no codes".into()));
    }
    for (b, (name, _)) in BEHAVIOURS.iter().enumerate() {
        if let Some(code) = &top.codes[b] {
            for path in [vec!["Neoplasm", name, "by site"], vec!["Neoplasm", "by site", name], vec!["Neoplasm", name]] {
                table.by_site.push((path.into_iter().map(str::to_string).collect(), code.clone()));
            }
        }
    }
    walk(main, &mut Vec::new(), &mut table, &bad)?;
    if table.entries.is_empty() {
        return Err(bad(main, "no site rows".into()));
    }
    Ok(table)
}

/// What [`parse`] reads.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// One entry per cell with a code, and per behaviour of a row that
    /// says `see` another row.
    pub entries: Vec<Entry>,
    /// Paths that name no site, to the first row's code of their behaviour.
    pub by_site: Vec<(Vec<String>, String)>,
}

/// One row: its site text, nonessential modifiers, `see`, and six codes.
struct Row {
    title: String,
    modifiers: Vec<String>,
    see: Option<String>,
    codes: [Option<String>; 6],
}

fn row(node: Node<'_, '_>) -> Result<Row, String> {
    let mut r = Row { title: String::new(), modifiers: Vec::new(), see: None, codes: Default::default() };
    for child in node.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "title" => {
                for part in child.children() {
                    if part.is_text() {
                        r.title.push_str(part.text().unwrap_or(""));
                    } else if part.has_tag_name("nemod") {
                        let text: String = part.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
                        r.modifiers.extend(
                            text.split(") (")
                                .map(|m| m.trim_matches(['(', ')', ' ']).to_string())
                                .filter(|m| !m.is_empty()),
                        );
                    }
                }
            }
            "see" => r.see = child.text().map(|t| t.trim().to_string()),
            "cell" => {
                let col: usize = child
                    .attribute("col")
                    .and_then(|c| c.parse().ok())
                    .filter(|c| (2..=7).contains(c))
                    .ok_or_else(|| format!("a cell's col {:?} is not 2 to 7", child.attribute("col")))?;
                let code = child.text().unwrap_or("").trim();
                if !code.is_empty() && code != "-" {
                    r.codes[col - 2] = Some(code.to_string());
                }
            }
            _ => {}
        }
    }
    r.title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(r)
}

fn walk(
    node: Node<'_, '_>,
    sites: &mut Vec<String>,
    table: &mut Table,
    bad: &dyn Fn(Node<'_, '_>, String) -> CompileError,
) -> Result<(), CompileError> {
    for term in node.children().filter(|n| n.has_tag_name("term")) {
        let r = row(term).map_err(|d| bad(term, d))?;
        if r.title.is_empty() {
            return Err(bad(term, "a row without a title".into()));
        }
        sites.push(r.title.clone());
        for (b, (name, extra)) in BEHAVIOURS.iter().enumerate() {
            let mut path = vec!["Neoplasm".to_string()];
            path.extend(sites.iter().cloned());
            path.push(name.to_string());
            let mut modifiers = r.modifiers.clone();
            modifiers.extend(extra.split(' ').filter(|w| !w.is_empty()).map(str::to_string));
            if let Some(code) = &r.codes[b] {
                table.entries.push(Entry { path, modifiers, code: Some(code.clone()), see: None });
            } else if let Some(see) = &r.see {
                // "see Neoplasm, sinus": the same behaviour of that row.
                table.entries.push(Entry { path, modifiers, code: None, see: Some(format!("{see}, {name}")) });
            }
        }
        walk(term, sites, table, bad)?;
        sites.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_entries_and_see_rows_follow() {
        let xml = r#"<ICD10CM.index><letter><mainTerm><title>Neoplasm, neoplastic</title>
            <cell col="2">C80.1</cell><cell col="3">C79.9</cell><cell col="4">D09.9</cell>
            <cell col="5">D36.9</cell><cell col="6">D48.9</cell><cell col="7">D49.9</cell>
            <term level="1"><title>colon<nemod>(tissue)</nemod></title><cell col="2">C18.9</cell><cell col="3">C78.5</cell>
              <cell col="4">-</cell></term>
            <term level="1"><title>antrum</title><see>Neoplasm, sinus</see></term>
            </mainTerm></letter></ICD10CM.index>"#;
        let t = parse(xml, "n.xml").unwrap();
        let colon: Vec<_> = t.entries.iter().filter(|e| e.path[1] == "colon").collect();
        assert_eq!(colon.len(), 2);
        assert_eq!(colon[0].path, vec!["Neoplasm", "colon", "malignant"]);
        assert_eq!(colon[0].code.as_deref(), Some("C18.9"));
        assert_eq!(colon[0].modifiers, vec!["tissue", "primary"]);
        assert_eq!(colon[1].code.as_deref(), Some("C78.5"));
        let antrum: Vec<_> = t.entries.iter().filter(|e| e.path[1] == "antrum").collect();
        assert_eq!(antrum.len(), 6);
        assert_eq!(antrum[3].see.as_deref(), Some("Neoplasm, sinus, benign"));
        assert!(t.by_site.contains(&(vec!["Neoplasm".into(), "malignant".into(), "by site".into()], "C80.1".into())));
        assert!(parse("<x/>", "n.xml").is_err());
        assert!(parse("<x><mainTerm><title>N</title></mainTerm></x>", "n.xml").is_err());
        let bad_col = r#"<x><mainTerm><title>N</title><cell col="2">C80.1</cell>
            <term level="1"><title>a</title><cell col="9">C00</cell></term></mainTerm></x>"#;
        assert!(parse(bad_col, "n.xml").is_err());
    }
}
