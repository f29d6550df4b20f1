//! A later ICD-10-CM release made from an earlier one and CMS's code-title
//! file of the later release (`icd10cm_codes_YYYY.txt`: every billable code
//! and its long title, in tabular order).
//!
//! Used for FY2027, whose Tabular List XML could not be obtained: the
//! FY2026 Tabular List gives the hierarchy, the notes and the 7th-character
//! definitions, and the FY2027 code file says which codes are billable and
//! what they are called. The result's billable codes and titles equal the
//! code file line for line (accents folded: the code file is ASCII, the
//! Tabular List writes Ménière); the rest is derived and says so:
//!
//! * a code the file no longer has is deleted; one that gained children
//!   (I42.0 → I42.00 …) becomes a header;
//! * a new code goes under its longest existing prefix; headers it needs
//!   and the book lacks (T52.81 for T52.811A) are created, titled with what
//!   their codes' titles share; a new 7-character code of a category that
//!   uses 7th characters is composed from its header like its siblings;
//! * a new code has no notes of its own: its ancestors' notes apply
//!   (a note `notes from ancestors` marks it);
//! * siblings are ordered as the code file orders their first codes, which
//!   is tabular order (F64.A after F64.9).
//!
//! When the later release's Tabular List XML is found, it is compiled as
//! any release is and this derivation is no longer used.

use super::{Book, BookRecord, CompileError};
use crate::model::{Kind, NoteKind};
use std::collections::HashMap;

/// The code file's lines: `(normalized code, title)` in file order.
pub fn parse_code_file(text: &str, file: &str) -> Result<Vec<(String, String)>, CompileError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let bad = |detail: String| CompileError::Source { file: file.to_string(), line: i as u32 + 1, detail };
        let (code, title) = (line.get(..7).unwrap_or(line).trim(), line.get(8..).unwrap_or("").trim());
        if code.len() < 3 || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) || title.is_empty() {
            return Err(bad(format!("not a code and title: {line:?}")));
        }
        out.push((code.to_string(), title.to_string()));
    }
    if out.is_empty() {
        return Err(CompileError::Source { file: file.to_string(), line: 1, detail: "no codes".into() });
    }
    Ok(out)
}

/// A title with its accented letters written as plain ASCII letters, the
/// way CMS's code files write them (`Ménière` → `Meniere`).
pub fn ascii_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut folded = String::new();
            crate::normalize::fold_char(c, &mut folded);
            if c.is_uppercase() {
                out.push_str(&folded.to_uppercase());
            } else {
                out.push_str(&folded);
            }
        }
    }
    out
}

fn normalized(code: &str) -> String {
    code.chars().filter(|c| *c != '.').collect()
}

/// `S72001` → `S72.001`.
fn dotted(normalized: &str) -> String {
    if normalized.len() > 3 {
        format!("{}.{}", &normalized[..3], &normalized[3..])
    } else {
        normalized.to_string()
    }
}

/// One node of the book being rebuilt.
#[derive(Debug, Clone)]
struct Node {
    record: BookRecord,
    parent: Option<usize>,
    children: Vec<usize>,
    /// The 7th-character labels of a header's composed codes.
    seventh: Vec<u32>,
    removed: bool,
    /// A node this derivation created, titled from its codes.
    created: bool,
    /// A code the later release adds.
    added: bool,
}

/// What changed between the two releases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    /// Codes no longer billable: deleted, or become headers.
    pub deleted: Vec<String>,
    /// `(code, former title)`.
    pub retitled: Vec<(String, String)>,
    /// Headers the derivation created.
    pub created_headers: Vec<String>,
}

/// Makes the later release from `base` and the later code file.
pub fn derive(base: &Book, codes: &[(String, String)], release: &str) -> Result<(Book, Changes), CompileError> {
    let invalid = |d: String| CompileError::Invalid(format!("deriving {release}: {d}"));
    // Nodes: the stored records; composed codes become their header's labels.
    let mut nodes: Vec<Node> = Vec::new();
    let mut node_of_record: Vec<Option<usize>> = vec![None; base.records.len()];
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for (i, r) in base.records.iter().enumerate() {
        if r.is_composed() {
            let header = r
                .parent
                .and_then(|p| node_of_record[p as usize])
                .ok_or_else(|| invalid(format!("{} has no header", r.code)))?;
            nodes[header].seventh.push(r.labels[0]);
            continue;
        }
        let parent = r.parent.and_then(|p| node_of_record[p as usize]);
        let record = BookRecord { parent: None, labels: Vec::new(), composition: Vec::new(), ..r.clone() };
        node_of_record[i] = Some(push(&mut nodes, &mut by_code, &normalized(&r.code), record, parent));
    }
    let label_char = |l: u32| base.labels[l as usize].ch;
    let label_text = |l: u32| base.labels[l as usize].text.as_str();
    // The code a header's label composes (`S72001` + `A` → `S72001A`).
    let composed_code = |header: &str, l: u32| {
        let mut c = normalized(header);
        while c.len() < 6 {
            c.push('X');
        }
        c.push(label_char(l));
        c
    };

    let wanted: HashMap<&str, (usize, &str)> =
        codes.iter().enumerate().map(|(i, (c, t))| (c.as_str(), (i, t.as_str()))).collect();
    let mut changes = Changes::default();

    // Deleted and retitled codes.
    for node in &mut nodes {
        let code = normalized(&node.record.code);
        if node.record.billable {
            match wanted.get(code.as_str()) {
                None => {
                    changes.deleted.push(code);
                    node.removed = true; // revived as a header if it gains children
                }
                Some((_, title)) if ascii_title(&node.record.title) != *title => {
                    changes.retitled.push((code, node.record.title.clone()));
                    node.record.title = title.to_string();
                }
                Some(_) => {}
            }
        }
        let header_code = node.record.code.clone();
        let before = node.seventh.len();
        let mut kept = Vec::new();
        for &l in &node.seventh {
            let c = composed_code(&header_code, l);
            if wanted.contains_key(c.as_str()) {
                kept.push(l);
            } else {
                changes.deleted.push(c);
            }
        }
        if kept.len() != before {
            node.seventh = kept;
            if node.seventh.is_empty() {
                node.removed = true;
            }
        }
    }

    // The 7th-character labels each category's headers take (in order).
    let category_of = |code: &str| normalized(code).chars().take(3).collect::<String>();
    let mut seventh_of_category: HashMap<String, Vec<u32>> = HashMap::new();
    for n in &nodes {
        if !n.seventh.is_empty() {
            let labels = seventh_of_category.entry(category_of(&n.record.code)).or_default();
            for &l in &n.seventh {
                if !labels.contains(&l) {
                    labels.push(l);
                }
            }
        }
    }

    // Added codes, in file order.
    for (code, title) in codes {
        if by_code.get(code).is_some_and(|&id| !nodes[id].removed && nodes[id].record.billable) {
            continue;
        }
        let existing_composed = (code.len() == 7).then(|| {
            let header = code[..6].trim_end_matches('X');
            by_code
                .get(header)
                .is_some_and(|&h| nodes[h].seventh.iter().any(|&l| composed_code(&nodes[h].record.code, l) == *code))
        });
        if existing_composed == Some(true) {
            continue;
        }
        changes.added.push(code.clone());
        // A 7-character code of a category that uses 7th characters, whose
        // title ends in that character's label, is composed.
        let seventh = (code.len() == 7).then(|| seventh_of_category.get(&code[..3])).flatten().and_then(|labels| {
            labels.iter().copied().find(|&l| {
                label_char(l) == code.as_bytes()[6] as char && title.ends_with(&format!(", {}", label_text(l)))
            })
        });
        match seventh {
            Some(l) => {
                let header_code = code[..6].trim_end_matches('X').to_string();
                let header_title = &title[..title.len() - label_text(l).len() - 2];
                let h =
                    ensure(&mut nodes, &mut by_code, &header_code, Some(header_title), false, &mut changes, &invalid)?;
                if !nodes[h].seventh.contains(&l) {
                    nodes[h].seventh.push(l);
                }
            }
            None => {
                let id = ensure(&mut nodes, &mut by_code, code, Some(title), true, &mut changes, &invalid)?;
                nodes[id].added = true;
                let n = &mut nodes[id].record;
                n.billable = true;
                n.kind = if code.len() == 3 { Kind::Category } else { Kind::Code };
            }
        }
    }

    // Order: each node by its first code in the file, and a header's 7th
    // characters as the file lists its codes (tabular order).
    let position = |code: &str| wanted.get(code).map_or(usize::MAX, |(i, _)| *i);
    for n in nodes.iter_mut().filter(|n| !n.seventh.is_empty()) {
        let header = n.record.code.clone();
        n.seventh.sort_by_key(|&l| position(&composed_code(&header, l)));
    }
    // A parent always has a lower index than its children (the base book is
    // in pre-order, and `ensure` makes ancestors first), so one backward
    // pass folds each subtree's first position into its root.
    let mut first = vec![usize::MAX; nodes.len()];
    for id in (0..nodes.len()).rev() {
        let n = &nodes[id];
        let own = if n.record.billable && !n.removed { position(&normalized(&n.record.code)) } else { usize::MAX };
        let seventh = n.seventh.iter().map(|&l| position(&composed_code(&n.record.code, l))).min();
        first[id] = first[id].min(own).min(seventh.unwrap_or(usize::MAX));
        if let Some(p) = n.parent {
            first[p] = first[p].min(first[id]);
        }
    }
    for node in &mut nodes {
        node.children.retain(|&c| first[c] != usize::MAX);
        node.children.sort_by_key(|&c| first[c]);
    }

    // Created headers: titled with what their codes' titles share.
    // Children first (higher indexes), so that a header made of created
    // headers sees their titles.
    for id in (0..nodes.len()).rev() {
        if !nodes[id].created || !nodes[id].record.title.is_empty() {
            continue;
        }
        let children: Vec<(String, String)> =
            nodes[id].children.iter().map(|&c| (nodes[c].record.code.clone(), nodes[c].record.title.clone())).collect();
        nodes[id].record.title = derived_title(&children, release);
    }

    // Pre-order, composed codes right after their header.
    let mut records = Vec::with_capacity(base.records.len() + codes.len() / 100);
    let roots: Vec<usize> = {
        let mut r: Vec<usize> =
            (0..nodes.len()).filter(|&i| nodes[i].parent.is_none() && first[i] != usize::MAX).collect();
        r.sort_by_key(|&i| first[i]);
        r
    };
    let mut stack: Vec<(usize, Option<u32>)> = roots.into_iter().rev().map(|r| (r, None)).collect();
    while let Some((id, parent)) = stack.pop() {
        let n = &nodes[id];
        let index = records.len() as u32;
        let mut record = BookRecord { parent, ..n.record.clone() };
        if n.created {
            record.notes = vec![(NoteKind::Note, format!("Derived for {release}: the notes of its ancestors apply"))];
        } else if n.added {
            record.notes.push((NoteKind::Note, format!("New in {release}: the notes of its ancestors apply")));
        }
        if !n.seventh.is_empty() {
            record.billable = false;
            record.kind = if record.kind == Kind::Category { Kind::Category } else { Kind::Subcategory };
            record.composition = vec![vec![n.seventh.clone()]];
        } else if !n.children.is_empty() && n.record.kind != Kind::Chapter && n.record.kind != Kind::Section {
            record.billable = false;
            if record.kind == Kind::Code {
                record.kind = Kind::Subcategory;
            }
        }
        records.push(record);
        for &l in &n.seventh {
            let padded = composed_code(&n.record.code, l);
            records.push(BookRecord {
                labels: vec![l],
                ..BookRecord::new(
                    dotted(&padded),
                    format!("{}, {}", n.record.title, label_text(l)),
                    Kind::Code,
                    true,
                    Some(index),
                )
            });
        }
        for &c in n.children.iter().rev() {
            stack.push((c, Some(index)));
        }
    }
    let book = Book {
        system: base.system,
        release: release.to_string(),
        meta: base.meta.clone(),
        records,
        labels: base.labels.clone(),
        compose: base.compose,
        crosswalks: Vec::new(),
    };
    Ok((book, changes))
}

/// The title of a header the derivation made, from its children's codes
/// and titles: the part before a comma that all their titles share
/// ("Toxic effect of alkenes, accidental …" and "…, assault" → "Toxic effect
/// of alkenes"); when they share none, a title that says what it is rather
/// than a cut phrase.
fn derived_title(children: &[(String, String)], release: &str) -> String {
    let release = release.split_whitespace().next().unwrap_or(release);
    let (Some(first), Some(last)) = (children.first(), children.last()) else { return String::new() };
    let mut shared = first.1.len();
    for (_, t) in &children[1..] {
        shared = shared.min(first.1.bytes().zip(t.bytes()).take_while(|(a, b)| a == b).count());
    }
    let head = &first.1[..shared];
    // Every title must go on past the shared part with ", ".
    let cut = head.rfind(", ").filter(|&c| children.iter().all(|(_, t)| t[c..].starts_with(", ")));
    match cut {
        Some(c) if c > 0 => head[..c].to_string(),
        _ if first.0 == last.0 => format!("{} (header of {}, derived for {release})", first.1, first.0),
        _ => format!("Codes {} to {} (header derived for {release}: not titled in the code file)", first.0, last.0),
    }
}

/// The node of `code`, made (with its missing ancestors) if the book lacks
/// it or revived if it was a deleted code that now has children.
#[allow(clippy::too_many_arguments)]
fn ensure(
    nodes: &mut Vec<Node>,
    by_code: &mut HashMap<String, usize>,
    code: &str,
    title: Option<&str>,
    billable: bool,
    changes: &mut Changes,
    invalid: &dyn Fn(String) -> CompileError,
) -> Result<usize, CompileError> {
    if let Some(&id) = by_code.get(code) {
        if nodes[id].removed {
            nodes[id].removed = false;
            nodes[id].record.billable = billable;
        }
        return Ok(id);
    }
    if code.len() <= 3 {
        // A new category: beside the category before it in code order.
        let before = by_code
            .iter()
            .filter(|(c, &id)| c.len() == 3 && c.as_str() < code && !nodes[id].removed)
            .max_by(|a, b| a.0.cmp(b.0))
            .map(|(_, &id)| id)
            .ok_or_else(|| invalid(format!("{code}: no category before it")))?;
        let parent = nodes[before].parent;
        let record = BookRecord::new(dotted(code), title.unwrap_or("").to_string(), Kind::Category, false, None);
        return Ok(push(nodes, by_code, code, record, parent));
    }
    let parent_code = code[..code.len() - 1].trim_end_matches('X');
    let parent = ensure(nodes, by_code, parent_code, None, false, changes, invalid)?;
    let kind = if billable { Kind::Code } else { Kind::Subcategory };
    let record = BookRecord::new(dotted(code), title.unwrap_or("").to_string(), kind, false, None);
    let id = push(nodes, by_code, code, record, Some(parent));
    if title.is_none() || !billable {
        nodes[id].created = true;
        changes.created_headers.push(code.to_string());
    }
    Ok(id)
}

/// Adds a node under `parent`, found by its normalized `code`.
fn push(
    nodes: &mut Vec<Node>,
    by_code: &mut HashMap<String, usize>,
    code: &str,
    record: BookRecord,
    parent: Option<usize>,
) -> usize {
    let id = nodes.len();
    nodes.push(Node {
        record,
        parent,
        children: Vec::new(),
        seventh: Vec::new(),
        removed: false,
        created: false,
        added: false,
    });
    if let Some(p) = parent {
        nodes[p].children.push(id);
    }
    by_code.insert(code.to_string(), id);
    id
}
