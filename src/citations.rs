//! The codes a Tabular List note cites ("Use additional code to identify
//! stage of chronic kidney disease (N18.1-N18.6)", "Excludes1: type 1
//! diabetes mellitus (E10.-)"), as code ranges a code can be tested
//! against. Read by the suggestion engine (companions) and the coder's
//! checks (Excludes1, code first).

/// The code ranges a note's text cites: `N18.1-N18.6`, `I50.-`, `Z79.4`,
/// `(E08.22, E09.22, E10.22)`; normalized without dots, a trailing `-`
/// (any code under) dropped.
pub fn cited_ranges(text: &str) -> Vec<(String, String)> {
    let looks_like_code = |t: &str| {
        let b = t.as_bytes();
        b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_alphanumeric()
    };
    let clean = |t: &str| -> String { t.trim_end_matches(['-', '.']).chars().filter(|c| *c != '.').collect() };
    let mut out = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';')) {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        // A range "N18.1-N18.6", or a code "I50.-" whose dash means "any".
        let (lo, hi) = match token.split_once('-') {
            Some((lo, hi)) if looks_like_code(hi) => (lo, hi),
            _ => (token, token),
        };
        if looks_like_code(lo) {
            out.push((clean(lo), clean(hi)));
        }
    }
    out
}

/// Whether `code` falls in one of `ranges` (each end compared on its own
/// length: `N18.31` is in `N181`–`N186`).
pub fn cites(ranges: &[(String, String)], code: &str) -> bool {
    let code: String = code.chars().filter(|c| *c != '.').collect();
    cites_key(ranges, &code)
}

/// [`cites`] for a code already without its dot (`N1831`): no allocation,
/// for the checks that compare every code of a set with every other.
pub fn cites_key(ranges: &[(String, String)], code: &str) -> bool {
    ranges.iter().any(|(lo, hi)| {
        // By bytes, within the code (not trusted to be ASCII).
        let head = |n: usize| &code.as_bytes()[..code.len().min(n)];
        head(lo.len()) >= lo.as_bytes() && head(hi.len()) <= hi.as_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cited_ranges_read_the_tabular_lists_ways() {
        let r = cited_ranges("code to identify stage of chronic kidney disease (N18.1-N18.4, N18.9)");
        assert_eq!(r, vec![("N181".into(), "N184".into()), ("N189".into(), "N189".into())]);
        assert_eq!(cited_ranges("type of heart failure (I50.-)"), vec![("I50".to_string(), "I50".to_string())]);
        assert!(cited_ranges("any associated:").is_empty());
        assert!(cites(&r, "N18.31") && cites(&r, "N18.9") && !cites(&r, "N18.5") && !cites(&r, "N17.9"));
    }
}
