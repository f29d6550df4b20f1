//! Later ICD-10-PCS releases made from an earlier one and lists of their
//! changes: CMS's code-title addenda (`icd10pcs_codes_addenda_YYYY.txt`:
//! `Add:`, `Delete:`, `Revise from:`/`Revise to:` lines), or a derived list
//! of a quarterly update's added and deleted codes.
//!
//! Used for the April 1, 2026 update and FY2027, whose PCS Tables XML could
//! not be obtained. The result is one book carrying every release (see
//! [`Book::releases`]): the base's tables compose their codes as before, and
//!
//! * a deleted code stays in the releases before its deletion only (a
//!   composed code is marked, not removed: its table row still composes it
//!   for the earlier release);
//! * an added code is stored as a record of its own under its table (no
//!   row of the base composes any of them; new tables, and body systems,
//!   are created), titled from the addenda;
//! * a revised code keeps its former title in the releases before.
//!
//! A code added by an update whose titles are not at hand is titled so, in
//! words, rather than with a guess from the labels of its table: those
//! labels name other devices and substances than the new codes do.

use super::{Book, BookRecord, BookRelease, CompileError, RecordSpan};
use crate::model::Kind;
use std::collections::HashMap;

/// One release's changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `(code, title)`; `None` when the list gives no title.
    pub added: Vec<(String, Option<String>)>,
    pub deleted: Vec<String>,
    /// `(code, former title, new title)`.
    pub revised: Vec<(String, String, String)>,
}

/// Reads a change list: `Add:`, `Delete:`, `Revise from:` and `Revise to:`
/// lines of a code and (optionally) its title; `#` comments, blank lines
/// and the addenda's closing count summary are skipped.
pub fn parse_changes(text: &str, file: &str) -> Result<Changes, CompileError> {
    let mut changes = Changes::default();
    let mut revise_from: Option<(String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let bad = |detail: String| CompileError::Source { file: file.to_string(), line: i as u32 + 1, detail };
        let Some((tag, rest)) = line.split_once(':') else { continue };
        let tag = tag.trim();
        if !matches!(tag, "Add" | "Delete" | "Revise from" | "Revise to") {
            if line.starts_with('#') || line.starts_with(' ') || line.is_empty() {
                continue;
            }
            return Err(bad(format!("not a change line: {line:?}")));
        }
        let rest = rest.trim();
        let (code, title) = match rest.split_once(char::is_whitespace) {
            Some((c, t)) => (c, Some(t.trim().to_string()).filter(|t| !t.is_empty())),
            None => (rest, None),
        };
        if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(bad(format!("{code:?} is not an ICD-10-PCS code")));
        }
        match tag {
            "Add" => changes.added.push((code.to_string(), title)),
            "Delete" => changes.deleted.push(code.to_string()),
            "Revise from" => revise_from = Some((code.to_string(), title.unwrap_or_default())),
            _ => match revise_from.take() {
                Some((from, former)) if from == code => {
                    changes.revised.push((code.to_string(), former, title.unwrap_or_default()))
                }
                _ => return Err(bad(format!("\"Revise to\" {code} without its \"Revise from\""))),
            },
        }
    }
    if changes.added.is_empty() && changes.deleted.is_empty() && changes.revised.is_empty() {
        return Err(CompileError::Source { file: file.to_string(), line: 1, detail: "no changes".into() });
    }
    Ok(changes)
}

/// The title of an added code whose title is not at hand.
pub fn untitled(code: &str, release: &str) -> String {
    format!("ICD-10-PCS code {code}, added by the {release}: its title is not in the files chartcode has")
}

/// One stored record of the book being made, with what is below it.
#[derive(Debug, Clone)]
struct Node {
    record: BookRecord,
    /// The composed codes that follow it (a table's), in order.
    composed: Vec<BookRecord>,
    children: Vec<usize>,
}

/// Makes one book of `base` (in force on `base_dates`) and the later
/// releases `later`, each with its changes from the release before.
pub fn derive(base: &Book, base_dates: &BookRelease, later: &[(BookRelease, Changes)]) -> Result<Book, CompileError> {
    let count = later.len() + 1;
    if count > crate::pack::releases::MAX_RELEASES {
        return Err(CompileError::Invalid(format!("{count} ICD-10-PCS releases; a pack carries at most 8")));
    }
    let all: u8 = ((1u16 << count) - 1) as u8;
    // Releases `r` and after.
    let from = |r: usize| all & !((1u8 << r) - 1);
    let span_of = |r: &BookRecord| r.span.as_ref().map_or(all, |s| s.present);

    let mut nodes: Vec<Node> = Vec::new();
    let mut node_of_record: Vec<Option<usize>> = vec![None; base.records.len()];
    // Normalized code → (node, composed index or None).
    let mut by_code: HashMap<String, (usize, Option<usize>)> = HashMap::new();
    for (i, r) in base.records.iter().enumerate() {
        let parent = r.parent.and_then(|p| node_of_record[p as usize]);
        if r.is_composed() {
            let n = parent.ok_or_else(|| CompileError::Invalid(format!("{}: composed without a table", r.code)))?;
            by_code.insert(r.code.clone(), (n, Some(nodes[n].composed.len())));
            nodes[n].composed.push(r.clone());
            continue;
        }
        let id = nodes.len();
        nodes.push(Node {
            record: BookRecord { parent: None, ..r.clone() },
            composed: Vec::new(),
            children: Vec::new(),
        });
        if let Some(p) = parent {
            nodes[p].children.push(id);
        }
        node_of_record[i] = Some(id);
        by_code.insert(r.code.clone(), (id, None));
    }
    let roots: Vec<usize> = base
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.parent.is_none())
        .filter_map(|(i, _)| node_of_record[i])
        .collect();

    for (k, (release, changes)) in later.iter().enumerate() {
        let r = k + 1;
        let invalid = |d: String| CompileError::Invalid(format!("{}: {d}", release.label));
        for code in &changes.deleted {
            let &(n, composed) = by_code.get(code).ok_or_else(|| invalid(format!("deletes {code}, not a code")))?;
            let record = match composed {
                Some(c) => &mut nodes[n].composed[c],
                None => &mut nodes[n].record,
            };
            let present = span_of(record);
            if present & (1 << k) == 0 {
                return Err(invalid(format!("deletes {code}, which the release before does not have")));
            }
            let present = present & !from(r);
            record.span = Some(RecordSpan { present, billable: present, ..record.span.take().unwrap_or_default() });
        }
        for (code, _former, title) in &changes.revised {
            let &(n, composed) = by_code.get(code).ok_or_else(|| invalid(format!("revises {code}, not a code")))?;
            let record = match composed {
                Some(c) => &mut nodes[n].composed[c],
                None => &mut nodes[n].record,
            };
            let present = span_of(record);
            let mut span =
                record.span.take().unwrap_or(RecordSpan { present, billable: present, ..Default::default() });
            // The new title from release `r` on; an earlier "from `r`" title
            // gives way to it.
            for (mask, _) in &mut span.former_titles {
                *mask &= !from(r);
            }
            span.former_titles.retain(|(mask, _)| *mask != 0);
            span.former_titles.push((from(r), title.clone()));
            record.span = Some(span);
        }
        for (code, title) in &changes.added {
            if let Some(&(n, composed)) = by_code.get(code) {
                let record = match composed {
                    Some(c) => &mut nodes[n].composed[c],
                    None => &mut nodes[n].record,
                };
                let present = span_of(record) | from(r);
                record.span = Some(RecordSpan { present, billable: present, ..record.span.take().unwrap_or_default() });
                continue;
            }
            let table = ensure_header(&mut nodes, &mut by_code, &roots, &code[..3], from(r), &release.label)?;
            let title = title.clone().unwrap_or_else(|| untitled(code, &release.label));
            let record = BookRecord {
                span: Some(RecordSpan { present: from(r), billable: from(r), ..Default::default() }),
                ..BookRecord::new(code.clone(), title, Kind::Code, true, None)
            };
            let id = nodes.len();
            nodes.push(Node { record, composed: Vec::new(), children: Vec::new() });
            insert_by_code(&mut nodes, table, id);
            by_code.insert(code.clone(), (id, None));
        }
    }

    // Pre-order: each stored record, its composed codes, then its children.
    let mut records: Vec<BookRecord> = Vec::with_capacity(base.records.len() + 256);
    let mut stack: Vec<(usize, Option<u32>)> = roots.iter().rev().map(|&r| (r, None)).collect();
    while let Some((n, parent)) = stack.pop() {
        let index = records.len() as u32;
        let mut record = BookRecord { parent, ..nodes[n].record.clone() };
        let everywhere = record.span.as_ref().is_none_or(|s| {
            s.present == all && s.billable == if record.billable { all } else { 0 } && s.former_titles.is_empty()
        });
        if everywhere {
            record.span = None;
        }
        records.push(record);
        for c in &nodes[n].composed {
            records.push(BookRecord { parent: Some(index), ..c.clone() });
        }
        for &c in nodes[n].children.iter().rev() {
            stack.push((c, Some(index)));
        }
    }
    let mut releases = vec![BookRelease { label: base.release.clone(), ..base_dates.clone() }];
    releases.extend(later.iter().map(|(r, _)| r.clone()));
    Ok(Book {
        release: releases.last().map_or_else(|| base.release.clone(), |r| r.label.clone()),
        records,
        releases,
        ..base.clone()
    })
}

/// Inserts node `child` among `parent`'s children in code order.
fn insert_by_code(nodes: &mut [Node], parent: usize, child: usize) {
    let code = nodes[child].record.code.clone();
    let at = nodes[parent].children.iter().position(|&c| nodes[c].record.code > code);
    let children = &mut nodes[parent].children;
    match at {
        Some(i) => children.insert(i, child),
        None => children.push(child),
    }
}

/// The node of the table or body system `code` (2 or 3 characters), made
/// with its missing parent when the base lacks it; a made header exists
/// from the release that needed it (`present`) on.
fn ensure_header(
    nodes: &mut Vec<Node>,
    by_code: &mut HashMap<String, (usize, Option<usize>)>,
    roots: &[usize],
    code: &str,
    present: u8,
    release: &str,
) -> Result<usize, CompileError> {
    if let Some(&(n, None)) = by_code.get(code) {
        let span = nodes[n].record.span.as_mut();
        if let Some(s) = span {
            s.present |= present;
        }
        return Ok(n);
    }
    let parent = match code.len() {
        3 => ensure_header(nodes, by_code, roots, &code[..2], present, release)?,
        2 => *roots
            .iter()
            .find(|&&r| nodes[r].record.code == code[..1])
            .ok_or_else(|| CompileError::Invalid(format!("{release}: no ICD-10-PCS section {}", &code[..1])))?,
        _ => return Err(CompileError::Invalid(format!("{release}: {code} is not a table"))),
    };
    // A new table is titled with its root operation where another table of
    // the section names the same third character; a new body system has no
    // title at hand.
    let (kind, title) = if code.len() == 3 {
        let operation = by_code
            .iter()
            .filter(|(c, (_, composed))| {
                composed.is_none() && c.len() == 3 && c[..1] == code[..1] && c[2..] == code[2..]
            })
            .map(|(_, &(n, _))| nodes[n].record.title.clone())
            .min();
        let title = operation.unwrap_or_else(|| {
            format!("Table {code}, new in the {release}: its title is not in the files chartcode has")
        });
        (Kind::Table, title)
    } else {
        (
            Kind::BodySystem,
            format!("Body system {code}, new in the {release}: its title is not in the files chartcode has"),
        )
    };
    let record = BookRecord {
        span: Some(RecordSpan { present, billable: 0, ..Default::default() }),
        ..BookRecord::new(code.to_string(), title, kind, false, None)
    };
    let id = nodes.len();
    nodes.push(Node { record, composed: Vec::new(), children: Vec::new() });
    insert_by_code(nodes, parent, id);
    by_code.insert(code.to_string(), (id, None));
    Ok(id)
}
