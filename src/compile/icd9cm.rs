//! ICD-9-CM version 32 (the final release, effective October 1, 2014)
//! from CMS's code title files (`CMS32_DESC_LONG_DX.txt`,
//! `CMS32_DESC_SHORT_DX.txt`, and `_SG` for procedures) → [`Book`].
//!
//! The files are ISO-8859-1 text, one code a line: the code without its
//! dot, spaces, the title. They hold only the valid (billable) codes, so the
//! book groups them under the classification's chapters (their ranges and
//! titles are those of the ICD-9-CM tabular list) and shows each code in its
//! official form: `250.00`, `V45.81`, `E880.9`, procedures `36.06`.

use super::{Book, BookRecord, CompileError};
use crate::model::{Kind, NoteKind};
use std::collections::HashMap;

/// Diagnoses or procedures (volume 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volume {
    Diagnoses,
    Procedures,
}

/// Chapters of the diagnoses: (first, last, title).
const DIAGNOSIS_CHAPTERS: &[(&str, &str, &str)] = &[
    ("001", "139", "Infectious and parasitic diseases"),
    ("140", "239", "Neoplasms"),
    ("240", "279", "Endocrine, nutritional and metabolic diseases, and immunity disorders"),
    ("280", "289", "Diseases of the blood and blood-forming organs"),
    ("290", "319", "Mental disorders"),
    ("320", "389", "Diseases of the nervous system and sense organs"),
    ("390", "459", "Diseases of the circulatory system"),
    ("460", "519", "Diseases of the respiratory system"),
    ("520", "579", "Diseases of the digestive system"),
    ("580", "629", "Diseases of the genitourinary system"),
    ("630", "679", "Complications of pregnancy, childbirth, and the puerperium"),
    ("680", "709", "Diseases of the skin and subcutaneous tissue"),
    ("710", "739", "Diseases of the musculoskeletal system and connective tissue"),
    ("740", "759", "Congenital anomalies"),
    ("760", "779", "Certain conditions originating in the perinatal period"),
    ("780", "799", "Symptoms, signs, and ill-defined conditions"),
    ("800", "999", "Injury and poisoning"),
    (
        "V01",
        "V91",
        "Supplementary classification of factors influencing health status and contact with health services",
    ),
    ("E000", "E999", "Supplementary classification of external causes of injury and poisoning"),
];

/// Chapters of the procedures: (first, last, title).
const PROCEDURE_CHAPTERS: &[(&str, &str, &str)] = &[
    ("00", "00", "Procedures and interventions, not elsewhere classified"),
    ("01", "05", "Operations on the nervous system"),
    ("06", "07", "Operations on the endocrine system"),
    ("08", "16", "Operations on the eye"),
    ("17", "17", "Other miscellaneous diagnostic and therapeutic procedures"),
    ("18", "20", "Operations on the ear"),
    ("21", "29", "Operations on the nose, mouth, and pharynx"),
    ("30", "34", "Operations on the respiratory system"),
    ("35", "39", "Operations on the cardiovascular system"),
    ("40", "41", "Operations on the hemic and lymphatic system"),
    ("42", "54", "Operations on the digestive system"),
    ("55", "59", "Operations on the urinary system"),
    ("60", "64", "Operations on the male genital organs"),
    ("65", "71", "Operations on the female genital organs"),
    ("72", "75", "Obstetrical procedures"),
    ("76", "84", "Operations on the musculoskeletal system"),
    ("85", "86", "Operations on the integumentary system"),
    ("87", "99", "Miscellaneous diagnostic and therapeutic procedures"),
];

/// The official form of a code as the files write it (`25000` → `250.00`).
pub fn display(code: &str, volume: Volume) -> String {
    let at = match volume {
        Volume::Procedures => 2,
        Volume::Diagnoses if code.starts_with('E') => 4,
        Volume::Diagnoses => 3,
    };
    if code.len() > at {
        format!("{}.{}", &code[..at], &code[at..])
    } else {
        code.to_string()
    }
}

fn valid(code: &str, volume: Volume) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match volume {
        Volume::Procedures => (2..=4).contains(&code.len()) && digits(code),
        Volume::Diagnoses => match code.as_bytes().first() {
            Some(b'V') => (3..=5).contains(&code.len()) && digits(&code[1..]),
            Some(b'E') => (4..=5).contains(&code.len()) && digits(&code[1..]),
            _ => (3..=5).contains(&code.len()) && digits(code),
        },
    }
}

/// Splits a title file into (line number, code, title) after checking each
/// line; ISO-8859-1 bytes become their characters.
fn lines(bytes: &[u8], file: &str, volume: Volume) -> Result<Vec<(u32, String, String)>, CompileError> {
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (code, title) = line.split_once(' ').unwrap_or((line, ""));
        let title = super::icd10cm::collapse(title);
        if !valid(code, volume) || title.is_empty() {
            return Err(CompileError::Source {
                file: file.to_string(),
                line: n,
                detail: format!("expected a code and its title, got {line:?}"),
            });
        }
        out.push((n, code.to_string(), title));
    }
    Ok(out)
}

/// Compiles the long (and, if given, short) title file of one volume.
pub fn parse(
    long: &[u8],
    long_file: &str,
    short: Option<(&[u8], &str)>,
    volume: Volume,
    release: &str,
) -> Result<Book, CompileError> {
    let codes = lines(long, long_file, volume)?;
    let shorts: HashMap<String, String> = match short {
        Some((bytes, file)) => lines(bytes, file, volume)?.into_iter().map(|(_, c, t)| (c, t)).collect(),
        None => HashMap::new(),
    };
    let mut seen = std::collections::HashSet::new();
    for (n, code, _) in &codes {
        if !seen.insert(code.as_str()) {
            return Err(CompileError::Source {
                file: long_file.to_string(),
                line: *n,
                detail: format!("{code} appears twice"),
            });
        }
    }
    let chapters = match volume {
        Volume::Diagnoses => DIAGNOSIS_CHAPTERS,
        Volume::Procedures => PROCEDURE_CHAPTERS,
    };
    // Where a code belongs: compare its category (3 digits, V + 2, E + 3;
    // procedures 2 digits) with the chapter's range.
    let chapter_of = |code: &str| -> Option<usize> {
        let head = match (volume, code.as_bytes()[0]) {
            (Volume::Procedures, _) => &code[..2],
            (_, b'V') => &code[..3],
            (_, b'E') => &code[..4],
            _ => &code[..3],
        };
        chapters.iter().position(|(first, last, _)| {
            head.len() == first.len()
                && head.as_bytes()[0].is_ascii_digit() == first.as_bytes()[0].is_ascii_digit()
                && head >= *first
                && head <= *last
        })
    };
    let mut grouped: Vec<Vec<BookRecord>> = vec![Vec::new(); chapters.len()];
    for (n, code, title) in codes {
        let chapter = chapter_of(&code).ok_or_else(|| CompileError::Source {
            file: long_file.to_string(),
            line: n,
            detail: format!("{code} falls in no chapter"),
        })?;
        let mut notes = Vec::new();
        if let Some(s) = shorts.get(&code) {
            notes.push((NoteKind::ShortTitle, s.clone()));
        }
        grouped[chapter]
            .push(BookRecord { notes, ..BookRecord::new(display(&code, volume), title, Kind::Code, true, None) });
    }
    let records = super::under_headers(chapters.iter().zip(grouped).map(|((first, last, title), codes)| {
        (BookRecord::new(format!("{first}-{last}"), title.to_string(), Kind::Chapter, false, None), codes)
    }));
    let id = match volume {
        Volume::Diagnoses => "icd9cm",
        Volume::Procedures => "icd9proc",
    };
    Book::plain(id, release.to_string(), Vec::new(), records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_show_in_official_form() {
        assert_eq!(display("25000", Volume::Diagnoses), "250.00");
        assert_eq!(display("V4581", Volume::Diagnoses), "V45.81");
        assert_eq!(display("E8809", Volume::Diagnoses), "E880.9");
        assert_eq!(display("042", Volume::Diagnoses), "042");
        assert_eq!(display("3606", Volume::Procedures), "36.06");
    }

    #[test]
    fn codes_are_grouped_into_chapters_and_bad_lines_located() {
        let book = parse(b"0010  Cholera due to vibrio cholerae\nV4581 Aortocoronary bypass status\nE8809 Fall on other stairs or steps\n", "dx.txt", None, Volume::Diagnoses, "v32").unwrap();
        let codes: Vec<&str> = book.records.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["001-139", "001.0", "V01-V91", "V45.81", "E000-E999", "E880.9"]);
        let e =
            parse(b"0010  Cholera\nXYZ bad line\n", "dx.txt", None, Volume::Diagnoses, "v32").unwrap_err().to_string();
        assert!(e.starts_with("dx.txt:2:"), "{e}");
        let e = parse(b"3606 Insertion of stent\n3606 Again\n", "sg.txt", None, Volume::Procedures, "v32")
            .unwrap_err()
            .to_string();
        assert!(e.contains("appears twice"), "{e}");
    }
}
