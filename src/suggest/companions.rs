//! The Tabular List's instructional notes between suggested codes: "code
//! first" (the etiology is sequenced before its manifestation), "use
//! additional code" and "code also" (a second code completes the first).
//!
//! Each coded suggestion's notes (its own and its ancestors') are read for
//! the codes they cite (`N18.1-N18.6`, `I50.-`, `Z79.4`). A suggestion
//! the note also supports that falls in a cited range is its companion:
//! both say so in `why`, and a "code first" partner is ranked before the
//! code whose note asks for it. A note of the code itself whose codes the
//! note does not document is surfaced in `why` ("use additional code to
//! identify stage of chronic kidney disease (N18.1-N18.6): not documented"),
//! so the coder knows what to ask for. The notes of a chapter or block
//! ("code to identify: exposure to environmental tobacco smoke …") only
//! link codes that are there: listed as missing, they would be noise.

use super::Suggestion;
use crate::citations::{cited_ranges, cites};
use crate::error::QueryError;
use crate::model::NoteKind;
use crate::search::CodeBook;

/// One instructional note: what it asks, its text, the code ranges it
/// cites (normalized, no dots, each end compared on its own length), and
/// whether it is the code's own (not an ancestor's).
struct Instruction {
    kind: NoteKind,
    text: String,
    ranges: Vec<(String, String)>,
    own: bool,
}

/// Links the coded suggestions by their instructional notes (see the
/// module documentation). ICD-10-CM only.
pub(super) fn link(book: &CodeBook<'_>, suggestions: &mut [Suggestion]) -> Result<(), QueryError> {
    let coded: Vec<usize> =
        (0..suggestions.len()).filter(|&i| suggestions[i].entry.system == "icd10cm" && suggestions[i].coded).collect();
    let mut first: Vec<(usize, usize)> = Vec::new();
    for &i in &coded {
        let code = suggestions[i].entry.code.clone();
        let mut notes: Vec<String> = Vec::new();
        for instruction in instructions(book, &code)? {
            let partners: Vec<usize> = coded
                .iter()
                .copied()
                .filter(|&j| j != i && cites(&instruction.ranges, &suggestions[j].entry.code))
                .collect();
            // The Tabular List writes "Use additional code to identify …"
            // and "Use additional | code to identify …" alike.
            let asks = match instruction.kind {
                NoteKind::CodeFirst => "code first",
                NoteKind::CodeAlso => "code also",
                _ if instruction.text.starts_with("code") => "use additional",
                _ => "use additional code",
            };
            if partners.is_empty() {
                if instruction.own && !instruction.ranges.is_empty() {
                    notes.push(format!("{asks} {}: not documented", instruction.text));
                }
                continue;
            }
            let names: Vec<&str> = partners.iter().map(|&j| suggestions[j].entry.code.as_str()).collect();
            notes.push(format!("{asks} {}: {}", instruction.text, names.join(", ")));
            for &j in &partners {
                if instruction.kind == NoteKind::CodeFirst {
                    first.push((j, i));
                }
            }
        }
        if !notes.is_empty() {
            let why = &mut suggestions[i].why;
            why.push_str(" (Tabular List: ");
            why.push_str(&notes.join("; "));
            why.push(')');
        }
    }
    // A "code first" partner goes before the code that asks for it.
    for (before, after) in first {
        if suggestions[before].score <= suggestions[after].score {
            suggestions[before].score = suggestions[after].score.saturating_add(1);
        }
    }
    Ok(())
}

/// The "code first", "use additional code" and "code also" notes of a
/// code and its ancestors. A note that only introduces a list ("code to
/// identify:") is joined to the items after it.
fn instructions(book: &CodeBook<'_>, code: &str) -> Result<Vec<Instruction>, QueryError> {
    let found = book.lookup(code, Some("icd10cm"))?;
    let Some(record) = found.record else { return Ok(Vec::new()) };
    let own = record.notes.iter().map(|n| (n, true));
    let inherited = record.inherited_notes.iter().flat_map(|i| i.notes.iter().map(|n| (n, false)));
    let mut out: Vec<Instruction> = Vec::new();
    let mut heading: Option<(NoteKind, String)> = None;
    for (note, own) in own.chain(inherited) {
        if !matches!(note.kind, NoteKind::CodeFirst | NoteKind::UseAdditionalCode | NoteKind::CodeAlso) {
            heading = None;
            continue;
        }
        let text = note.text.trim();
        if let Some(lead) = text.strip_suffix(':') {
            heading = Some((note.kind, lead.to_string()));
            continue;
        }
        let text = match &heading {
            Some((kind, lead)) if *kind == note.kind => format!("{lead} {text}"),
            _ => text.to_string(),
        };
        out.push(Instruction { kind: note.kind, ranges: cited_ranges(&text), text, own });
    }
    Ok(out)
}
