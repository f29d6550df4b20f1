//! What a code of each system looks like, so that a code typed without a
//! system is routed to the books it can belong to ("250.00" is ICD-9-CM,
//! "J11.00" ICD-10-CM, "J1100" HCPCS or ICD-10-CM) and a code of the wrong
//! shape gets a useful answer ("that looks like ICD-9-CM").
//!
//! The checks look at the code as typed: the dot's position tells ICD-9-CM
//! diagnoses (`250.00`) from procedures (`36.06`) and from ICD-10-CM
//! (`E11.9`), while a code without a dot may fit several systems.

/// Whether `typed` (trimmed, any case) has the shape of a complete code of
/// `system`, or of its beginning when `prefix` is true.
pub fn fits(system: &str, typed: &str, prefix: bool) -> bool {
    let t: String = typed.trim().to_ascii_uppercase();
    let (head, dot, tail) = match t.split_once('.') {
        Some((h, rest)) => (h.to_string(), true, rest.to_string()),
        None => (t.clone(), false, String::new()),
    };
    // Every code is ASCII; the byte slicing below relies on it.
    if tail.contains('.') || t.is_empty() || !t.is_ascii() {
        return false;
    }
    let all: String = format!("{head}{tail}");
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    let len_ok = |n: usize, min: usize, max: usize| if prefix { n >= 1 && n <= max } else { (min..=max).contains(&n) };
    match system {
        "icd10cm" => {
            let b = all.as_bytes();
            b.first().is_some_and(u8::is_ascii_uppercase)
                && alnum(&all)
                && len_ok(all.len(), 3, 7)
                && (!dot || head.len() == 3)
                && (all.len() < 2 || b[1].is_ascii_digit() || b[1].is_ascii_uppercase())
        }
        "icd10pcs" => {
            !dot && len_ok(all.len(), 7, 7)
                && all.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && b != b'I' && b != b'O'))
        }
        "hcpcs" => {
            let b = all.as_bytes();
            !dot && ((b.first().is_some_and(|c| (b'A'..=b'V').contains(c))
                && digits(&all[1..])
                && len_ok(all.len(), 5, 5))
                || (alnum(&all) && all.len() == 2 && !prefix))
        }
        "cpt" => {
            let b = all.as_bytes();
            !dot && len_ok(all.len(), 5, 5)
                && digits(&all[..all.len().min(4)])
                && (b.len() < 5 || b[4].is_ascii_digit() || matches!(b[4], b'F' | b'T' | b'U'))
        }
        "cdt" => !dot && all.starts_with('D') && digits(&all[1..]) && len_ok(all.len(), 5, 5),
        "icd9cm" => {
            let (letter, rest) = match all.as_bytes().first() {
                Some(b'V') => (Some('V'), &all[1..]),
                Some(b'E') => (Some('E'), &all[1..]),
                _ => (None, &all[..]),
            };
            let category = match letter {
                None => 3,
                Some('V') => 2,
                _ => 3,
            };
            // The letter must be typed before the dot (`.E11` is no code).
            let before_dot = head.len().checked_sub(usize::from(letter.is_some()));
            digits(rest)
                && len_ok(rest.len(), category, category + if letter == Some('E') { 1 } else { 2 })
                && (!dot || before_dot == Some(category))
        }
        "icd9proc" => digits(&all) && len_ok(all.len(), 2, 4) && (!dot || head.len() == 2),
        _ => !t.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::fits;

    #[test]
    fn odd_text_fits_no_system() {
        for typed in [".E11", "123é", "é", "E1é.9", "\u{202e}E11", "V１0"] {
            for system in ["icd10cm", "icd10pcs", "hcpcs", "cpt", "cdt", "icd9cm", "icd9proc"] {
                for prefix in [false, true] {
                    assert!(!fits(system, typed, prefix), "{typed} fits {system}");
                }
            }
        }
    }

    #[test]
    fn codes_fit_their_systems() {
        let systems = ["icd10cm", "icd10pcs", "hcpcs", "cpt", "cdt", "icd9cm", "icd9proc"];
        let which = |code: &str| systems.iter().copied().filter(|s| fits(s, code, false)).collect::<Vec<_>>();
        assert_eq!(which("E11.9"), ["icd10cm"]);
        assert_eq!(which("e119"), ["icd10cm", "icd9cm"]); // ICD-9-CM E-code shape
        assert_eq!(which("S72.001A"), ["icd10cm"]);
        assert_eq!(which("J11.00"), ["icd10cm"]);
        assert_eq!(which("J1100"), ["icd10cm", "hcpcs"]);
        assert_eq!(which("0016070"), ["icd10pcs"]);
        assert_eq!(which("0DTJ0ZZ"), ["icd10pcs"]);
        assert_eq!(which("250.00"), ["icd9cm"]);
        assert_eq!(which("V45.81"), ["icd10cm", "icd9cm"]);
        assert_eq!(which("E880.9"), ["icd9cm"]);
        assert_eq!(which("36.06"), ["icd9proc"]);
        assert_eq!(which("3606"), ["icd9cm", "icd9proc"]);
        assert_eq!(which("99213"), ["cpt", "icd9cm"]);
        assert_eq!(which("0001F"), ["cpt"]);
        assert_eq!(which("D0120"), ["icd10cm", "hcpcs", "cdt"]);
        assert_eq!(which("LT"), ["hcpcs"]);
        assert!(which("hello world").is_empty());
        assert!(fits("icd10pcs", "0DT", true));
        assert!(!fits("icd10pcs", "0DT", false));
    }
}
