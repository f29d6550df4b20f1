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

use super::{Book, BookRecord, BookRelease, CompileError, RecordSpan};
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
    /// The node as the base release has it (`None`: not in the base).
    base: Option<BaseState>,
}

/// What a node of the base release was there.
#[derive(Debug, Clone)]
struct BaseState {
    title: String,
    billable: bool,
    seventh: Vec<u32>,
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

/// Makes the later release from `base` (in force on `base_dates`; its
/// label is the base book's) and the later code file, and returns one book
/// that carries both releases (see [`Book::release_view`] for either alone)
/// and the changes between them.
pub fn derive(
    base: &Book,
    base_dates: &BookRelease,
    codes: &[(String, String)],
    later: &BookRelease,
) -> Result<(Book, Changes), CompileError> {
    let release = later.label.as_str();
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
    for n in &mut nodes {
        n.base =
            Some(BaseState { title: n.record.title.clone(), billable: n.record.billable, seventh: n.seventh.clone() });
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
    // pass folds each subtree's first position into its root. A subtree
    // with no code of the later release (`usize::MAX`) is of the base only.
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
    // A header of the base with nothing below it at all (the Tabular List's
    // sections that only head the sections after them, C00-C96) stays.
    let empty_in_base: Vec<bool> = nodes
        .iter()
        .map(|n| {
            n.base.as_ref().is_some_and(|b| !b.billable && b.seventh.is_empty()) && !n.removed && n.children.is_empty()
        })
        .collect();
    let in_later = |id: usize| first[id] != usize::MAX || empty_in_base[id];
    // Children: those with codes in the later release in its order; each
    // other child of the base right after the sibling it followed there.
    for id in 0..nodes.len() {
        let base_order: Vec<usize> = nodes[id].children.iter().copied().filter(|&c| nodes[c].base.is_some()).collect();
        let mut order: Vec<usize> = nodes[id].children.iter().copied().filter(|&c| first[c] != usize::MAX).collect();
        order.sort_by_key(|&c| first[c]);
        for (i, &c) in base_order.iter().enumerate() {
            if first[c] != usize::MAX {
                continue;
            }
            let at = match base_order[..i].last().and_then(|prev| order.iter().position(|o| o == prev)) {
                Some(p) => p + 1,
                None => base_order
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().find_map(|n| order.iter().position(|o| o == n)))
                    .unwrap_or(order.len()),
            };
            order.insert(at, c);
        }
        nodes[id].children = order;
    }

    // Created headers: titled with what their codes' titles share.
    // Children first (higher indexes), so that a header made of created
    // headers sees their titles.
    for id in (0..nodes.len()).rev() {
        if !nodes[id].created || !nodes[id].record.title.is_empty() {
            continue;
        }
        let children: Vec<(String, String)> = nodes[id]
            .children
            .iter()
            .filter(|&&c| in_later(c))
            .map(|&c| (nodes[c].record.code.clone(), nodes[c].record.title.clone()))
            .collect();
        nodes[id].record.title = derived_title(&children, &later.label);
    }

    // What replaces a deleted code: the added codes below it (M72.2 →
    // M72.20 …), else an added code of the same title (T52.8X1A →
    // T52.891A); none when the addenda give none (S23.420A).
    let added: Vec<(&str, &str)> =
        codes.iter().filter(|(c, _)| changes.added.contains(c)).map(|(c, t)| (c.as_str(), t.as_str())).collect();
    let replacements = |code: &str, title: &str| -> Vec<String> {
        let below: Vec<String> =
            added.iter().filter(|(c, _)| c.len() > code.len() && c.starts_with(code)).map(|(c, _)| dotted(c)).collect();
        if !below.is_empty() {
            return below;
        }
        let title = ascii_title(title);
        added.iter().filter(|(_, t)| *t == title).map(|(c, _)| dotted(c)).collect()
    };

    // Pre-order, composed codes right after their header: the union of
    // both releases, each record marked with the releases it belongs to
    // (bit 0 the base, bit 1 the later release).
    const BASE: u8 = 1;
    const LATER: u8 = 2;
    let mut records = Vec::with_capacity(base.records.len() + codes.len() / 100);
    let roots: Vec<usize> = {
        let mut r: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].parent.is_none()).collect();
        r.sort_by_key(|&i| (first[i], i));
        r
    };
    let mut stack: Vec<(usize, Option<u32>)> = roots.into_iter().rev().map(|r| (r, None)).collect();
    while let Some((id, parent)) = stack.pop() {
        let n = &nodes[id];
        let index = records.len() as u32;
        let later_here = in_later(id);
        let mut record = BookRecord { parent, ..n.record.clone() };
        if n.created {
            record.notes =
                vec![(NoteKind::Note, format!("Derived for {}: the notes of its ancestors apply", later.label))];
            record.notes.push((NoteKind::NotesFrom, "ancestors".into()));
        } else if n.added {
            record.notes.push((NoteKind::Note, format!("New in {}: the notes of its ancestors apply", later.label)));
            record.notes.push((NoteKind::NotesFrom, "ancestors".into()));
        }
        // The later release's state (the base's for a record of the base only).
        let seventh_later: &[u32] = if later_here { &n.seventh } else { &[] };
        let seventh_base: &[u32] = n.base.as_ref().map_or(&[], |b| &b.seventh);
        let mut union_seventh: Vec<u32> = seventh_later.to_vec();
        union_seventh.extend(seventh_base.iter().filter(|l| !seventh_later.contains(l)));
        if !later_here {
            union_seventh = seventh_base.to_vec();
            if let Some(b) = &n.base {
                record.title = b.title.clone();
                record.billable = b.billable;
            }
        } else if !seventh_later.is_empty() {
            record.billable = false;
            record.kind = if record.kind == Kind::Category { Kind::Category } else { Kind::Subcategory };
        } else if n.children.iter().any(|&c| in_later(c))
            && n.record.kind != Kind::Chapter
            && n.record.kind != Kind::Section
        {
            record.billable = false;
            if record.kind == Kind::Code {
                record.kind = Kind::Subcategory;
            }
        }
        if !union_seventh.is_empty() {
            record.composition = vec![vec![union_seventh.clone()]];
        }
        let present = if later_here { LATER } else { 0 } | if n.base.is_some() { BASE } else { 0 };
        let base_billable = n.base.as_ref().is_some_and(|b| b.billable);
        let billable = if later_here && record.billable { LATER } else { 0 } | if base_billable { BASE } else { 0 };
        let mut span = RecordSpan { present, billable, ..RecordSpan::default() };
        if let Some(b) = n.base.as_ref().filter(|b| later_here && b.title != record.title) {
            span.former_titles.push((BASE, b.title.clone()));
        }
        if present == BASE && base_billable {
            span.replaced_by = replacements(&normalized(&record.code), &record.title);
        }
        let everywhere = present == BASE | LATER
            && billable == if record.billable { BASE | LATER } else { 0 }
            && span.former_titles.is_empty();
        record.span = (!everywhere).then_some(span);
        let header_title = record.title.clone();
        records.push(record);
        for &l in &union_seventh {
            let padded = composed_code(&n.record.code, l);
            let present =
                if seventh_later.contains(&l) { LATER } else { 0 } | if seventh_base.contains(&l) { BASE } else { 0 };
            let mut child = BookRecord {
                labels: vec![l],
                ..BookRecord::new(
                    dotted(&padded),
                    format!("{}, {}", header_title, label_text(l)),
                    Kind::Code,
                    true,
                    Some(index),
                )
            };
            if present != BASE | LATER {
                let replaced_by = if present == BASE {
                    let title = format!("{}, {}", n.base.as_ref().map_or(&header_title, |b| &b.title), label_text(l));
                    replacements(&padded, &title)
                } else {
                    Vec::new()
                };
                child.span = Some(RecordSpan { present, billable: present, former_titles: Vec::new(), replaced_by });
            }
            records.push(child);
        }
        for &c in n.children.iter().rev() {
            stack.push((c, Some(index)));
        }
    }
    let base_release = BookRelease { label: base.release.clone(), ..base_dates.clone() };
    let book = Book {
        system: base.system,
        release: later.label.clone(),
        meta: base.meta.clone(),
        records,
        labels: base.labels.clone(),
        compose: base.compose,
        crosswalks: Vec::new(),
        releases: vec![base_release, later.clone()],
        index_terms: Vec::new(),
        expansions: Vec::new(),
        edits: Default::default(),
    };
    Ok((book, changes))
}

/// Checks that the derived changes are the addenda's (CMS's list of the
/// release's `Add:`, `Delete:` and `Revise to:` lines): a code file and an
/// addenda that disagree, or a derivation that misreads them, stop the build.
pub fn check_addenda(changes: &Changes, addenda: &str, file: &str) -> Result<(), CompileError> {
    let listed = |tag: &str| {
        let mut codes: Vec<&str> =
            addenda.lines().filter_map(|l| l.strip_prefix(tag)).filter_map(|r| r.split_whitespace().next()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    };
    fn sorted(v: &[String]) -> Vec<&str> {
        let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    let retitled: Vec<String> = changes.retitled.iter().map(|(c, _)| c.clone()).collect();
    for (what, derived, tag) in [
        ("added", sorted(&changes.added), "Add:"),
        ("deleted", sorted(&changes.deleted), "Delete:"),
        ("retitled", sorted(&retitled), "Revise to:"),
    ] {
        let listed = listed(tag);
        if derived != listed {
            let missing: Vec<&&str> = listed.iter().filter(|c| !derived.contains(c)).take(5).collect();
            let extra: Vec<&&str> = derived.iter().filter(|c| !listed.contains(c)).take(5).collect();
            return Err(CompileError::Source {
                file: file.to_string(),
                line: 0,
                detail: format!(
                    "the code file's {what} codes ({}) are not the addenda's {tag} lines ({}): missing {missing:?}, extra {extra:?}",
                    derived.len(),
                    listed.len()
                ),
            });
        }
    }
    Ok(())
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
        // One child that is itself a derived header (QA1 over QA1.7): its title.
        _ if first.0 == last.0 && first.1.contains(" (header ") => first.1.clone(),
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
        let id = push(nodes, by_code, code, record, parent);
        if title.is_none() || !billable {
            // A category the code file names only through its codes (QA1).
            nodes[id].created = true;
            changes.created_headers.push(code.to_string());
        }
        return Ok(id);
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
        base: None,
    });
    if let Some(p) = parent {
        nodes[p].children.push(id);
    }
    by_code.insert(code.to_string(), id);
    id
}
