//! HCPCS Level II (CMS alpha-numeric file, `HCPC*_ANWEB.xlsx`) → [`Book`].
//!
//! The workbook has one row per code (record id 3) or modifier (record id
//! 7) with named columns; the compiler reads the columns it needs by their
//! header names, so a reordered release still reads right and a missing
//! column is an error that names it. Codes are grouped under their letter
//! (the section names are chartcode's, after CMS's description of each
//! range) and the modifiers under `MOD`. A code's short descriptor, dates
//! and action code are kept as attributes; its termination date also goes
//! into the pack's termination table, so that the reader can tell, on the
//! day it runs, whether the code may still be billed.
//!
//! Three companion files of the release add to the codes ([`Extras`]): the
//! CMS processing notes the `PROCNOTE` column refers to (a note of the
//! code), CMS's list of "not otherwise classified" codes (a flag), and the
//! NCCI Medically Unlikely Edits for practitioner services (an attribute:
//! units, adjudication, rationale).

use super::{Book, BookRecord, CompileError};
use crate::model::{Kind, NoteKind};
use roxmltree::Document;
use std::collections::HashMap;
use std::io::Read;

/// The ranges of HCPCS Level II, by first letter.
pub const SECTIONS: &[(char, &str)] = &[
    ('A', "Transportation services including ambulance, medical and surgical supplies"),
    ('B', "Enteral and parenteral therapy"),
    ('C', "Outpatient prospective payment system (temporary hospital codes)"),
    ('E', "Durable medical equipment"),
    ('G', "Procedures and professional services (temporary)"),
    ('H', "Alcohol and drug abuse treatment and behavioral health services"),
    ('J', "Drugs administered other than oral method, chemotherapy drugs"),
    ('K', "Temporary codes for durable medical equipment"),
    ('L', "Orthotic and prosthetic procedures and devices"),
    ('M', "Medical services and quality measures"),
    ('P', "Pathology and laboratory services"),
    ('Q', "Temporary codes"),
    ('R', "Diagnostic radiology services"),
    ('S', "Temporary national codes (non-Medicare)"),
    ('T', "National codes established for state Medicaid agencies"),
    ('U', "Coronavirus laboratory tests"),
    ('V', "Vision, hearing and speech-language pathology services"),
];

/// The code of the group that holds the modifiers.
pub const MODIFIERS: &str = "MOD";

fn source(file: &str, line: u32, detail: String) -> CompileError {
    CompileError::Source { file: file.to_string(), line, detail }
}

/// Reads the first worksheet of an xlsx workbook as rows of cell texts.
/// Row numbers are the sheet's (1 = the header row).
pub fn read_xlsx(bytes: &[u8], file: &str) -> Result<Vec<(u32, Vec<String>)>, CompileError> {
    let bad = |detail: String| CompileError::Syntax { file: file.to_string(), line: 0, column: 0, detail };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(format!("not an xlsx workbook: {e}")))?;
    let mut read = |name: &str| -> Result<Option<String>, CompileError> {
        let mut entry = match archive.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(bad(format!("{name}: {e}"))),
        };
        let mut text = String::new();
        entry.read_to_string(&mut text).map_err(|e| bad(format!("{name}: {e}")))?;
        Ok(Some(text))
    };
    let shared_xml = read("xl/sharedStrings.xml")?;
    let sheet_xml = read("xl/worksheets/sheet1.xml")?.ok_or_else(|| bad("the workbook has no first sheet".into()))?;
    let mut shared = Vec::new();
    if let Some(xml) = shared_xml {
        let doc = Document::parse(&xml).map_err(|e| bad(format!("xl/sharedStrings.xml: {e}")))?;
        for si in doc.root_element().children().filter(|n| n.has_tag_name("si")) {
            let text: String = si.descendants().filter(|n| n.has_tag_name("t")).filter_map(|t| t.text()).collect();
            shared.push(text);
        }
    }
    let doc = Document::parse(&sheet_xml).map_err(|e| bad(format!("xl/worksheets/sheet1.xml: {e}")))?;
    let mut rows = Vec::new();
    for row in doc.descendants().filter(|n| n.has_tag_name("row")) {
        let number: u32 = row.attribute("r").and_then(|r| r.parse().ok()).unwrap_or(rows.len() as u32 + 1);
        let mut cells: Vec<String> = Vec::new();
        for c in row.children().filter(|n| n.has_tag_name("c")) {
            let col = c.attribute("r").map(column_index).unwrap_or(cells.len());
            let value = c.children().find(|n| n.has_tag_name("v")).and_then(|v| v.text()).unwrap_or("");
            let text = match c.attribute("t") {
                Some("s") => {
                    let i: usize = value
                        .parse()
                        .map_err(|_| source(file, number, format!("cell {col}: bad shared string {value:?}")))?;
                    shared
                        .get(i)
                        .cloned()
                        .ok_or_else(|| source(file, number, format!("cell {col}: shared string {i} does not exist")))?
                }
                Some("inlineStr") => c.descendants().filter(|n| n.has_tag_name("t")).filter_map(|t| t.text()).collect(),
                _ => value.to_string(),
            };
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = text;
        }
        rows.push((number, cells));
    }
    Ok(rows)
}

/// `"AB12"` → 27 (zero-based column of the cell reference).
fn column_index(reference: &str) -> usize {
    reference
        .chars()
        .take_while(char::is_ascii_uppercase)
        .fold(0usize, |n, c| n * 26 + (c as usize - 'A' as usize + 1))
        .saturating_sub(1)
}

fn is_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && (b'A'..=b'V').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}

fn is_modifier(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn date(file: &str, line: u32, column: &str, value: &str) -> Result<Option<String>, CompileError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let v = v.strip_suffix(".0").unwrap_or(v);
    // The reader's own check, so that every date it reads back is one.
    if crate::dates::parse_compact(v).is_none() {
        return Err(source(file, line, format!("{column} {value:?} is not a date (YYYYMMDD)")));
    }
    Ok(Some(v.to_string()))
}

/// What the release's companion files add to its codes.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Processing note number (`0088`) → its text.
    pub processing_notes: HashMap<String, String>,
    /// The "not otherwise classified" codes.
    pub noc: std::collections::HashSet<String>,
    /// Code → `units<TAB>adjudication<TAB>rationale`.
    pub mue: HashMap<String, String>,
}

/// Reads CMS's processing-notes file (`proc_notes_*.txt`): a title, then
/// notes `NNNN--TEXT` whose text runs on over the following lines; each
/// line ends in a column of `*` that is not part of the text.
pub fn parse_processing_notes(text: &str, file: &str) -> Result<HashMap<String, String>, CompileError> {
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end().trim_end_matches('*').trim();
        if line.is_empty() {
            current = None;
            continue;
        }
        let numbered = line.split_once("--").filter(|(n, _)| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()));
        if let Some((number, rest)) = numbered {
            if notes.insert(number.to_string(), super::icd10cm::collapse(rest)).is_some() {
                return Err(source(file, i as u32 + 1, format!("processing note {number} appears twice")));
            }
            current = Some(number.to_string());
        } else if let Some(n) = &current {
            let note = notes.entry(n.clone()).or_default();
            note.push(' ');
            note.push_str(&super::icd10cm::collapse(line));
        }
    }
    if notes.is_empty() {
        return Err(source(file, 1, "no processing notes (lines NNNN--text)".into()));
    }
    Ok(notes)
}

/// Reads CMS's list of "not otherwise classified" codes (an xlsx whose
/// first column holds the codes, under a few title rows).
pub fn parse_noc(bytes: &[u8], file: &str) -> Result<std::collections::HashSet<String>, CompileError> {
    let codes: std::collections::HashSet<String> = read_xlsx(bytes, file)?
        .into_iter()
        .filter_map(|(_, cells)| cells.first().map(|c| c.trim().to_string()))
        .filter(|c| is_code(c))
        .collect();
    if codes.is_empty() {
        return Err(source(file, 1, "no HCPCS codes in the first column".into()));
    }
    Ok(codes)
}

/// Reads the Level II rows of the NCCI MUE table for practitioner
/// services (chartcode's derivative: `hcpcs,mue_units,adjudication,rationale`).
pub fn parse_mue(text: &str, file: &str) -> Result<HashMap<String, String>, CompileError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, "hcpcs,mue_units,adjudication,rationale")) => {}
        _ => return Err(source(file, 1, "the header must be hcpcs,mue_units,adjudication,rationale".into())),
    }
    let mut out = HashMap::new();
    for (i, line) in lines {
        let line_no = i as u32 + 1;
        let fields: Vec<&str> = line.split(',').collect();
        let [code, units, adjudication, rationale] = fields.as_slice() else {
            return Err(source(file, line_no, format!("{} fields, expected 4", fields.len())));
        };
        if !is_code(code) || code.starts_with('D') {
            return Err(source(file, line_no, format!("{code:?} is not a HCPCS Level II code")));
        }
        if units.parse::<u32>().is_err() || !adjudication.starts_with(['1', '2', '3']) || rationale.is_empty() {
            return Err(source(file, line_no, format!("{code}: units, adjudication or rationale malformed")));
        }
        if out.insert(code.to_string(), format!("{units}\t{adjudication}\t{rationale}")).is_some() {
            return Err(source(file, line_no, format!("{code} appears twice")));
        }
    }
    Ok(out)
}

/// Compiles the workbook.
pub fn parse(bytes: &[u8], file: &str, release: &str, extras: &Extras) -> Result<Book, CompileError> {
    let rows = read_xlsx(bytes, file)?;
    let Some(((header_line, header), data)) = rows.split_first() else {
        return Err(source(file, 1, "the sheet is empty".into()));
    };
    let columns: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.trim(), i)).collect();
    let col = |name: &str| {
        columns
            .get(name)
            .copied()
            .ok_or_else(|| source(file, *header_line, format!("no column {name:?} in the header row")))
    };
    let (hcpc, recid, long, short) = (col("HCPC")?, col("RECID")?, col("LONG DESCRIPTION")?, col("SHORT DESCRIPTION")?);
    let (added, effective, terminated, action) =
        (col("ADD DT")?, col("ACT EFF DT")?, col("TERM DT")?, col("ACTION CD")?);
    // Older files may lack the column; a note it names must exist.
    let procnote = columns.get("PROCNOTE").copied();

    let mut codes: Vec<(char, BookRecord)> = Vec::new();
    let mut modifiers: Vec<BookRecord> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (line, cells) in data {
        let get = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let code = get(hcpc).to_string();
        let title = super::icd10cm::collapse(get(long));
        if title.is_empty() {
            return Err(source(file, *line, format!("{code}: no long description")));
        }
        if !seen.insert(code.clone()) {
            return Err(source(file, *line, format!("{code} appears twice")));
        }
        let mut notes = Vec::new();
        let short_title = super::icd10cm::collapse(get(short));
        if !short_title.is_empty() {
            notes.push((NoteKind::ShortTitle, short_title));
        }
        for (kind, column, name) in [
            (NoteKind::Added, added, "ADD DT"),
            (NoteKind::Effective, effective, "ACT EFF DT"),
            (NoteKind::Terminated, terminated, "TERM DT"),
        ] {
            if let Some(d) = date(file, *line, name, get(column))? {
                notes.push((kind, d));
            }
        }
        let act = get(action);
        if !act.is_empty() {
            if act.len() != 1 || !act.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(source(file, *line, format!("{code}: action code {act:?} is not a letter")));
            }
            notes.push((NoteKind::Action, act.to_string()));
        }
        if let Some(number) = procnote.map(get).filter(|n| !n.is_empty() && !extras.processing_notes.is_empty()) {
            let text = extras.processing_notes.get(number).ok_or_else(|| {
                source(file, *line, format!("{code}: processing note {number} is not in the notes file"))
            })?;
            notes.push((NoteKind::ProcessingNote, format!("{number}: {text}")));
        }
        if extras.noc.contains(&code) {
            notes.push((NoteKind::NotOtherwiseClassified, String::new()));
        }
        if let Some(mue) = extras.mue.get(&code) {
            notes.push((NoteKind::Mue, mue.clone()));
        }
        let record = |kind: Kind, billable: bool| BookRecord {
            notes: notes.clone(),
            ..BookRecord::new(code.clone(), title.clone(), kind, billable, None)
        };
        match get(recid) {
            "3" if is_code(&code) => codes.push((code.as_bytes()[0] as char, record(Kind::Code, true))),
            "7" if is_modifier(&code) => modifiers.push(record(Kind::Modifier, false)),
            "3" | "7" => return Err(source(file, *line, format!("{code:?} is not a HCPCS code or modifier"))),
            other => return Err(source(file, *line, format!("{code}: unknown record id {other:?}"))),
        }
    }
    codes.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    modifiers.sort_by(|a, b| a.code.cmp(&b.code));

    if let Some((_, r)) = codes.iter().find(|(l, _)| !SECTIONS.iter().any(|(s, _)| s == l)) {
        return Err(CompileError::Invalid(format!("{}: no HCPCS section for its letter", r.code)));
    }
    let group =
        |code: &str, title: &str| BookRecord::new(code.to_string(), title.to_string(), Kind::Section, false, None);
    let mut groups: Vec<(BookRecord, Vec<BookRecord>)> = SECTIONS
        .iter()
        .map(|&(letter, title)| {
            let members = codes.iter().filter(|(l, _)| *l == letter).map(|(_, r)| r.clone()).collect();
            (group(&letter.to_string(), title), members)
        })
        .collect();
    groups.push((group(MODIFIERS, "Modifiers"), modifiers));
    let records = super::under_headers(groups);
    Book::plain("hcpcs", release.to_string(), Vec::new(), records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_letters() {
        assert_eq!(column_index("A1"), 0);
        assert_eq!(column_index("Z9"), 25);
        assert_eq!(column_index("AB12"), 27);
    }

    #[test]
    fn codes_and_modifiers_have_their_syntax() {
        assert!(is_code("K0001") && is_code("J1100") && !is_code("W0001") && !is_code("K001"));
        assert!(is_modifier("LT") && is_modifier("59") && !is_modifier("L"));
    }

    #[test]
    fn processing_notes_run_on_over_lines_and_lose_their_star_column() {
        let text = "      PROCESSING NOTES\n ___\n\n   0002--THESE CODES (82585) PERTAIN TO      *\n         THE ANALYTE.      *\n    *\n\t  0234--CMS DOES NOT RECOGNIZE ATHLETIC TRAINERS.\t   *\t\n";
        let notes = parse_processing_notes(text, "p.txt").unwrap();
        assert_eq!(notes["0002"], "THESE CODES (82585) PERTAIN TO THE ANALYTE.");
        assert_eq!(notes["0234"], "CMS DOES NOT RECOGNIZE ATHLETIC TRAINERS.");
        assert!(parse_processing_notes("nothing here", "p.txt").is_err());
    }

    #[test]
    fn mue_rows_are_level_two_codes_only() {
        let ok = "hcpcs,mue_units,adjudication,rationale\nE0130,0,3 Date of Service Edit: Clinical,CMS Policy\n";
        assert_eq!(parse_mue(ok, "m.csv").unwrap()["E0130"], "0\t3 Date of Service Edit: Clinical\tCMS Policy");
        for bad in ["99213,2,3 x,Clinical: Data", "D1110,1,3 x,y", "E0130,x,3 x,y", "E0130,1,3 x"] {
            let text = format!("hcpcs,mue_units,adjudication,rationale\n{bad}\n");
            assert!(parse_mue(&text, "m.csv").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused() {
        let e = parse(b"HCPC\tLONG DESCRIPTION\n", "x.xlsx", "2025", &Extras::default()).unwrap_err().to_string();
        assert!(e.contains("not an xlsx workbook"), "{e}");
    }
}
