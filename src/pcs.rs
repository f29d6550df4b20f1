//! ICD-10-PCS long titles, composed from the labels of a code's seven axes
//! the way the official long titles read ("Bypass Cerebral Ventricle to
//! Nasopharynx with Autologous Tissue Substitute, Open Approach").
//!
//! PCS codes are not stored one by one: a pack keeps the tables (section,
//! body system, operation and the rows of axis values), and the reader
//! composes each code's title here. `docs/PCS_TITLES.md` reports how many
//! composed titles equal the official ones and lists the differences.

/// Whether a label is left out of titles ("No Device", "No Qualifier",
/// "None").
pub fn is_omitted(label: &str) -> bool {
    matches!(label, "No Device" | "No Qualifier" | "None" | "No Method" | "No Substance")
}

/// Content words of a label as it shows in titles (0 when left out).
pub fn label_content_words(label: &str) -> u32 {
    if is_omitted(label) {
        0
    } else {
        crate::normalize::content_words(label)
    }
}

/// The long title of a PCS code. `table_code` is the code's first three
/// characters; `heads` the titles of its section, body system and table
/// (the operation); `labels` the character and label of each of the last
/// four axes.
pub fn compose_title(table_code: &str, heads: &[String], labels: &[(char, String)]) -> String {
    let op = heads.last().map(String::as_str).unwrap_or("");
    let text = |i: usize| labels.get(i).map(|l| l.1.as_str()).filter(|l| !is_omitted(l));
    let mut out = String::from(op);
    let _ = table_code;
    if let Some(bp) = text(0) {
        out.push_str(" of ");
        out.push_str(bp);
    }
    if let Some(dev) = text(2) {
        out.push_str(" with ");
        out.push_str(dev);
    }
    if let Some(ap) = text(1) {
        out.push_str(", ");
        out.push_str(ap);
    }
    if let Some(q) = text(3) {
        out.push_str(", ");
        out.push_str(q);
    }
    out
}
