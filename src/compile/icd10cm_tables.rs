//! The ICD-10-CM Table of Neoplasms and Table of Drugs and Chemicals →
//! index entries.
//!
//! Both tables are index entries laid out as a grid: a row is a term (an
//! anatomical site; a drug or chemical), a column is what happened to it
//! (a behaviour: malignant primary, secondary, in situ, benign, uncertain,
//! unspecified; or poisoning accidental, intentional self-harm, assault,
//! undetermined, adverse effect, underdosing). A cell becomes an index
//! entry whose path is the row's path and then the column's words
//! (`Neoplasm, colon, malignant`; `Aspirin`, its accidental poisoning;
//! `Aspirin, adverse effect`), so "colon cancer" finds C18.9, "aspirin overdose" T39.011,
//! and the Alphabetic Index's `see` references into the tables resolve.
//!
//! A substance named without more is its accidental poisoning: ICD-10-CM
//! Official Guidelines I.C.19.e.5.b code an unknown intent as accidental,
//! so that column's code is named by the substance alone as well as by
//! `Substance, poisoning`; the other columns add their words.
//!
//! "By site" references of the Alphabetic Index (no site named) resolve to
//! the Table of Neoplasms' first row, the unspecified site. The official
//! FY2025 XML files (`icd-10-cm-neoplasm-2025.xml`,
//! `icd-10-cm-drug-2025.xml`, one schema) are read as they are.

use super::icd10cm_index::Entry;
use super::CompileError;
use roxmltree::Node;

/// A column of a table after the row's own: the path terms its cells add
/// to the row's path, and the weaker words (the rest of its heading) it
/// adds to the row's nonessential modifiers.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub path: &'static [&'static str],
    pub modifiers: &'static str,
    /// The row's path alone names this column's code too: the column is
    /// what the row means without more.
    pub default: bool,
}

/// One of the two tables.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Its name, for errors and `chartcode stats`.
    pub name: &'static str,
    /// The main term every row is under (`Neoplasm`, its first and only
    /// `<mainTerm>`, whose own cells are the unspecified site); `None` when
    /// each `<mainTerm>` is a row (a drug).
    pub main_term: Option<&'static str>,
    /// Columns 2 to 7, in order.
    pub columns: [Column; 6],
    /// Rows allow their codes rather than name them (see `Entry::weak`).
    pub weak: bool,
}

/// The Table of Neoplasms: a site's behaviours.
pub const NEOPLASMS: TableSpec = TableSpec {
    name: "Table of Neoplasms",
    main_term: Some("Neoplasm"),
    columns: [
        Column { path: &["malignant"], modifiers: "primary", default: false },
        Column { path: &["secondary"], modifiers: "malignant metastatic", default: false },
        Column { path: &["in situ"], modifiers: "carcinoma", default: false },
        Column { path: &["benign"], modifiers: "", default: false },
        Column { path: &["uncertain behavior"], modifiers: "", default: false },
        Column { path: &["unspecified behavior"], modifiers: "", default: false },
    ],
    weak: false,
};

/// The Table of Drugs and Chemicals: what a substance did.
pub const DRUGS: TableSpec = TableSpec {
    name: "Table of Drugs and Chemicals",
    main_term: None,
    columns: [
        Column { path: &["poisoning"], modifiers: "accidental unintentional", default: true },
        Column { path: &["poisoning", "intentional self-harm"], modifiers: "", default: false },
        Column { path: &["poisoning", "assault"], modifiers: "", default: false },
        Column { path: &["poisoning", "undetermined"], modifiers: "", default: false },
        Column { path: &["adverse effect"], modifiers: "", default: false },
        Column { path: &["underdosing"], modifiers: "", default: false },
    ],
    weak: true,
};

/// What [`parse`] reads.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// One entry per cell with a code, and per column of a row that says
    /// `see` another row.
    pub entries: Vec<Entry>,
    /// Paths that name no site (`Neoplasm, malignant, by site`), to the
    /// first row's code of their column (Table of Neoplasms only).
    pub by_site: Vec<(Vec<String>, String)>,
}

/// Reads a table into index entries.
pub fn parse(text: &str, file: &str, spec: &TableSpec) -> Result<Table, CompileError> {
    let doc = super::xml_document(text, file)?;
    let bad = |node: Node<'_, '_>, detail: String| CompileError::Source {
        file: file.to_string(),
        line: doc.text_pos_at(node.range().start).row,
        detail,
    };
    let mut mains = doc.descendants().filter(|n| n.has_tag_name("mainTerm")).peekable();
    let first = *mains.peek().ok_or_else(|| bad(doc.root_element(), format!("no <mainTerm>: not a {}", spec.name)))?;
    let mut table = Table::default();
    match spec.main_term {
        Some(main_term) => {
            let top = row(first).map_err(|d| bad(first, d))?;
            if top.codes.iter().all(Option::is_none) {
                return Err(bad(first, "the table's first row gives no codes".into()));
            }
            for (column, code) in spec.columns.iter().zip(&top.codes) {
                let (Some(code), [name]) = (code, column.path) else { continue };
                for path in [vec![main_term, name, "by site"], vec![main_term, "by site", name], vec![main_term, name]]
                {
                    table.by_site.push((path.into_iter().map(str::to_string).collect(), code.clone()));
                }
            }
            walk(first, &mut vec![main_term.to_string()], spec, &mut table, &bad)?;
        }
        None => {
            for main in mains {
                let r = row(main).map_err(|d| bad(main, d))?;
                if r.title.is_empty() {
                    return Err(bad(main, "a row without a title".into()));
                }
                let mut path = vec![r.title.clone()];
                emit(&path, &r, spec, &mut table);
                walk(main, &mut path, spec, &mut table, &bad)?;
            }
        }
    }
    if table.entries.is_empty() {
        return Err(bad(first, "no rows with codes".into()));
    }
    Ok(table)
}

/// One row: its text, nonessential modifiers, `see`, and six codes.
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
                        r.modifiers.extend(super::icd10cm_index::modifiers(&text));
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
                // "-" and "--": no code for this column.
                if !code.is_empty() && !code.chars().all(|c| c == '-') {
                    r.codes[col - 2] = Some(code.to_string());
                }
            }
            _ => {}
        }
    }
    r.title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(r)
}

/// The entries of one row: a cell's code, or the same column of the row it
/// says `see` ("Antrum — see Neoplasm, sinus"; "Aleve — see Naproxen").
fn emit(path: &[String], r: &Row, spec: &TableSpec, table: &mut Table) {
    for (column, code) in spec.columns.iter().zip(&r.codes) {
        let mut modifiers = r.modifiers.clone();
        modifiers.extend(column.modifiers.split(' ').filter(|w| !w.is_empty()).map(str::to_string));
        let bare: &[&str] = &[];
        let named_by = if column.default { vec![bare, column.path] } else { vec![column.path] };
        for column_path in named_by {
            let mut full = path.to_vec();
            full.extend(column_path.iter().map(|p| p.to_string()));
            let (code, see) = match (code, &r.see) {
                (Some(code), _) => (Some(code.clone()), None),
                (None, Some(see)) if column_path.is_empty() => (None, Some(see.clone())),
                (None, Some(see)) => (None, Some(format!("{see}, {}", column_path.join(", ")))),
                (None, None) => continue,
            };
            table.entries.push(Entry {
                path: full,
                modifiers: modifiers.clone(),
                code,
                see,
                weak: spec.weak,
                names: true,
            });
        }
    }
}

fn walk(
    node: Node<'_, '_>,
    path: &mut Vec<String>,
    spec: &TableSpec,
    table: &mut Table,
    bad: &dyn Fn(Node<'_, '_>, String) -> CompileError,
) -> Result<(), CompileError> {
    for term in node.children().filter(|n| n.has_tag_name("term")) {
        let r = row(term).map_err(|d| bad(term, d))?;
        if r.title.is_empty() {
            return Err(bad(term, "a row without a title".into()));
        }
        path.push(r.title.clone());
        emit(path, &r, spec, table);
        walk(term, path, spec, table, bad)?;
        path.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neoplasm_cells_become_entries_and_see_rows_follow() {
        let xml = r#"<ICD10CM.index><letter><mainTerm><title>Neoplasm, neoplastic</title>
            <cell col="2">C80.1</cell><cell col="3">C79.9</cell><cell col="4">D09.9</cell>
            <cell col="5">D36.9</cell><cell col="6">D48.9</cell><cell col="7">D49.9</cell>
            <term level="1"><title>colon<nemod>(tissue)</nemod></title><cell col="2">C18.9</cell><cell col="3">C78.5</cell>
              <cell col="4">-</cell></term>
            <term level="1"><title>antrum</title><see>Neoplasm, sinus</see></term>
            </mainTerm></letter></ICD10CM.index>"#;
        let t = parse(xml, "n.xml", &NEOPLASMS).unwrap();
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
        assert!(parse("<x/>", "n.xml", &NEOPLASMS).is_err());
        assert!(parse("<x><mainTerm><title>N</title></mainTerm></x>", "n.xml", &NEOPLASMS).is_err());
        let bad_col = r#"<x><mainTerm><title>N</title><cell col="2">C80.1</cell>
            <term level="1"><title>a</title><cell col="9">C00</cell></term></mainTerm></x>"#;
        assert!(parse(bad_col, "n.xml", &NEOPLASMS).is_err());
    }

    #[test]
    fn drug_rows_give_each_intent_and_see_rows_follow() {
        let xml = r#"<ICD10CM.index><letter>
            <mainTerm><title>Aspirin<nemod>(aluminum)(soluble)</nemod></title>
              <cell col="2">T39.011</cell><cell col="3">T39.012</cell><cell col="4">T39.013</cell>
              <cell col="5">T39.014</cell><cell col="6">T39.015</cell><cell col="7">T39.016</cell></mainTerm>
            <mainTerm><title>Acetic</title>
              <term level="1"><title>acid</title><cell col="2">T54.2X1</cell><cell col="6">--</cell></term></mainTerm>
            <mainTerm><title>Aleve</title><see>Naproxen</see></mainTerm>
            </letter></ICD10CM.index>"#;
        let t = parse(xml, "d.xml", &DRUGS).unwrap();
        let paths: Vec<(String, Option<&str>)> =
            t.entries.iter().map(|e| (e.path.join(", "), e.code.as_deref().or(e.see.as_deref()))).collect();
        // The accidental poisoning is named by the row alone too.
        assert_eq!(paths[0], ("Aspirin".into(), Some("T39.011")));
        assert_eq!(paths[1], ("Aspirin, poisoning".into(), Some("T39.011")));
        assert_eq!(paths[2], ("Aspirin, poisoning, intentional self-harm".into(), Some("T39.012")));
        assert_eq!(paths[5], ("Aspirin, adverse effect".into(), Some("T39.015")));
        assert_eq!(paths[6], ("Aspirin, underdosing".into(), Some("T39.016")));
        assert_eq!(t.entries[0].modifiers, vec!["aluminum", "soluble", "accidental", "unintentional"]);
        assert!(t.entries.iter().all(|e| e.weak));
        assert_eq!(paths[7], ("Acetic, acid".into(), Some("T54.2X1")));
        assert_eq!(paths[8], ("Acetic, acid, poisoning".into(), Some("T54.2X1")));
        assert_eq!(paths.len(), 9 + 7);
        assert_eq!(paths[9], ("Aleve".into(), Some("Naproxen")));
        assert_eq!(paths[10], ("Aleve, poisoning".into(), Some("Naproxen, poisoning")));
        assert_eq!(
            paths[11],
            ("Aleve, poisoning, intentional self-harm".into(), Some("Naproxen, poisoning, intentional self-harm"))
        );
        assert!(t.entries[9].code.is_none());
        assert!(t.by_site.is_empty());
    }
}
