//! A user's licensed CPT® (AMA) or CDT® (ADA) file → [`Book`].
//!
//! chartcode never ships CPT or CDT descriptors: they are copyrighted. A
//! user with a licence imports their own data file into a pack that stays
//! on their machine (`chartcode build --import-cpt FILE`). The importer
//! reads the code-and-descriptor files the AMA and ADA distribute: one code
//! a line, then a tab or spaces, then the descriptor; header lines before
//! the first code are skipped; UTF-8 or, failing that, ISO-8859-1. Each code
//! is checked against its system's syntax (CPT: five digits, or four digits
//! and F, T or U; CDT: D and four digits), and a malformed line after the
//! header stops the import with its line number.

use super::{Book, BookRecord, CompileError};
use crate::model::Kind;

/// The licensed books chartcode can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Licensed {
    Cpt,
    Cdt,
}

impl Licensed {
    fn system_id(self) -> &'static str {
        match self {
            Licensed::Cpt => "cpt",
            Licensed::Cdt => "cdt",
        }
    }

    /// Whether `code` has this book's syntax.
    pub fn is_code(self, code: &str) -> bool {
        let b = code.as_bytes();
        match self {
            Licensed::Cpt => {
                b.len() == 5
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && (b[4].is_ascii_digit() || matches!(b[4], b'F' | b'T' | b'U'))
            }
            Licensed::Cdt => b.len() == 5 && b[0] == b'D' && b[1..].iter().all(u8::is_ascii_digit),
        }
    }

    /// The sections codes are grouped into: (first code, last code, title).
    /// These are the books' published ranges, not their descriptors.
    fn sections(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            Licensed::Cpt => &[
                ("00100", "01999", "Anesthesia"),
                ("10004", "69990", "Surgery"),
                ("70010", "79999", "Radiology"),
                ("80047", "89398", "Pathology and laboratory"),
                ("90281", "99199", "Medicine"),
                ("99202", "99499", "Evaluation and management"),
                ("0001F", "9999F", "Category II (performance measurement)"),
                ("0001T", "9999T", "Category III (emerging technology)"),
                ("0001U", "9999U", "Proprietary laboratory analyses"),
                ("00000", "99999", "Other codes"),
            ],
            Licensed::Cdt => &[
                ("D0100", "D0999", "Diagnostic"),
                ("D1000", "D1999", "Preventive"),
                ("D2000", "D2999", "Restorative"),
                ("D3000", "D3999", "Endodontics"),
                ("D4000", "D4999", "Periodontics"),
                ("D5000", "D5899", "Prosthodontics, removable"),
                ("D5900", "D5999", "Maxillofacial prosthetics"),
                ("D6000", "D6199", "Implant services"),
                ("D6200", "D6999", "Prosthodontics, fixed"),
                ("D7000", "D7999", "Oral and maxillofacial surgery"),
                ("D8000", "D8999", "Orthodontics"),
                ("D9000", "D9999", "Adjunctive general services"),
                ("D0000", "D9999", "Other codes"),
            ],
        }
    }
}

/// UTF-8 if the bytes are, ISO-8859-1 otherwise.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Imports a licensed file. `release` labels the pack (the file's name, say).
pub fn parse(bytes: &[u8], file: &str, book: Licensed, release: &str) -> Result<Book, CompileError> {
    let text = decode(bytes);
    let mut codes: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (code, descriptor) = match line.split_once('\t') {
            Some((c, d)) => (c.trim(), d.replace('\t', " ")),
            None => match line.trim_start().split_once(char::is_whitespace) {
                Some((c, d)) => (c, d.to_string()),
                None => (line.trim(), String::new()),
            },
        };
        let code = code.trim_matches('"').to_ascii_uppercase();
        let descriptor = super::icd10cm::collapse(descriptor.trim().trim_matches('"'));
        if !book.is_code(&code) {
            if codes.is_empty() {
                continue; // a header line
            }
            return Err(CompileError::Source {
                file: file.to_string(),
                line: n,
                detail: format!("{code:?} is not a {} code", book.system_id().to_uppercase()),
            });
        }
        if descriptor.is_empty() {
            return Err(CompileError::Source {
                file: file.to_string(),
                line: n,
                detail: format!("{code} has no descriptor"),
            });
        }
        if !seen.insert(code.clone()) {
            return Err(CompileError::Source {
                file: file.to_string(),
                line: n,
                detail: format!("{code} appears twice"),
            });
        }
        codes.push((code, descriptor));
    }
    if codes.is_empty() {
        return Err(CompileError::Source {
            file: file.to_string(),
            line: 1,
            detail: format!(
                "no {} codes found (expected lines of a code, a tab or spaces, a descriptor)",
                book.system_id().to_uppercase()
            ),
        });
    }
    codes.sort();
    let sections = book.sections();
    // A code belongs to the section whose range holds it, among the ranges
    // of its kind (a final F, T or U, or digits).
    let class = |c: &str| c.bytes().last().filter(|b| !b.is_ascii_digit()).unwrap_or(b'0');
    let section_of = |code: &str| {
        sections.iter().position(|(first, last, _)| {
            code.len() == first.len() && class(code) == class(first) && code >= *first && code <= *last
        })
    };
    let mut grouped: Vec<Vec<(String, String)>> = vec![Vec::new(); sections.len()];
    for (code, descriptor) in codes {
        let s = section_of(&code).unwrap_or(sections.len() - 1);
        grouped[s].push((code, descriptor));
    }
    let records = super::under_headers(sections.iter().zip(grouped).map(|((first, last, title), members)| {
        let header = BookRecord::new(format!("{first}-{last}"), title.to_string(), Kind::Section, false, None);
        (
            header,
            members.into_iter().map(|(code, title)| BookRecord::new(code, title, Kind::Code, true, None)).collect(),
        )
    }));
    Book::plain(
        book.system_id(),
        release.chars().take(crate::pack::format::MAX_RELEASE_LEN).collect(),
        vec![("source".into(), "imported from the user's licensed file; not for redistribution".into())],
        records,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax() {
        assert!(Licensed::Cpt.is_code("99999") && Licensed::Cpt.is_code("1234F") && Licensed::Cpt.is_code("0042T"));
        assert!(!Licensed::Cpt.is_code("1234A") && !Licensed::Cpt.is_code("D1234") && !Licensed::Cpt.is_code("123"));
        assert!(Licensed::Cdt.is_code("D0120") && !Licensed::Cdt.is_code("01200"));
    }

    #[test]
    fn latin1_and_headers_and_errors() {
        let book =
            parse(b"Code\tDescriptor\nD9990\tSynthetic d\xe9mo cleaning\n", "f.txt", Licensed::Cdt, "test").unwrap();
        assert_eq!(book.records[1].title, "Synthetic démo cleaning");
        let e =
            parse(b"Code\tDescriptor\n00001\tOne\nXYZ\tTwo\n", "f.txt", Licensed::Cpt, "t").unwrap_err().to_string();
        assert!(e.starts_with("f.txt:3:") && e.contains("not a CPT code"), "{e}");
        let e = parse(b"nothing here\n", "f.txt", Licensed::Cpt, "t").unwrap_err().to_string();
        assert!(e.contains("no CPT codes"), "{e}");
    }
}
