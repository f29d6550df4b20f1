//! The ICD-10-PCS Index → expansions (`XPND`) of the ICD-10-PCS pack.
//!
//! The Tables title a code by its root operation and body part ("Resection
//! of Appendix, Percutaneous Endoscopic Approach"); people name the
//! procedure ("appendectomy"). The index maps the one to the other:
//! "Appendectomy — see Excision, Appendix (0DBJ); see Resection, Appendix
//! (0DTJ)". Each main term of one word becomes a key whose phrases are the
//! `see` targets under it, at any depth ("Hysterectomy, supracervical — see
//! Resection, Uterus"), each with where it points after a tab (`Excision,
//! Appendix\t0DBJ`: table and body part; `Excision, Mouth and
//! Throat\t0CB`: a table only). A query with the word is searched again
//! with the word replaced by each phrase's words, within its table.
//!
//! What is left out: main terms of several words ("Arthroplasty, radial
//! head"), `use` entries (a body-part synonym: "Abdominal cavity — use
//! Peritoneal Cavity"), and terms that give a whole code with no `see`
//! ("Colonoscopy 0DJD8ZZ"): the expansion is words, not codes.

use super::CompileError;
use roxmltree::Node;
use std::collections::BTreeMap;

/// Reads the index XML into (term key, phrases), keys ascending.
pub fn parse(text: &str, file: &str) -> Result<Vec<(String, Vec<String>)>, CompileError> {
    let doc = super::xml_document(text, file)?;
    if !doc.root_element().has_tag_name("ICD10PCS.index") {
        return Err(CompileError::Source {
            file: file.to_string(),
            line: 1,
            detail: format!("expected <ICD10PCS.index>, found <{}>", doc.root_element().tag_name().name()),
        });
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for main in doc.descendants().filter(|n| n.has_tag_name("mainTerm")) {
        let title: String = main
            .children()
            .find(|c| c.has_tag_name("title"))
            .map(|t| t.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect())
            .unwrap_or_default();
        let tokens = crate::normalize::tokens(&title);
        let [word] = tokens.as_slice() else { continue };
        let key = crate::normalize::term_key(&word.folded);
        let phrases = out.entry(key).or_default();
        for see in main.descendants().filter(|n| n.has_tag_name("see")) {
            let Some(target) = see.text().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")) else {
                continue;
            };
            // Where the reference points: a table (`<tab>0DB</tab>`), a
            // table and body part (`<codes>0DBJ</codes>`) or a code.
            let at: String = see
                .children()
                .find(|c| c.has_tag_name("tab") || c.has_tag_name("codes") || c.has_tag_name("code"))
                .and_then(|c| c.text())
                .map(|c| c.trim().to_string())
                .unwrap_or_default();
            if target.is_empty() || !(3..=7).contains(&at.len()) || !at.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let phrase = format!("{target}\t{at}");
            if !phrases.contains(&phrase) {
                phrases.push(phrase);
            }
        }
    }
    out.retain(|_, phrases| !phrases.is_empty());
    if out.is_empty() {
        return Err(CompileError::Source {
            file: file.to_string(),
            line: 1,
            detail: "no index terms with `see`".into(),
        });
    }
    Ok(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_main_terms_become_their_see_targets() {
        let xml = r#"<ICD10PCS.index><letter><title>A</title>
            <mainTerm><title>Appendectomy</title>
              <term level="1"><see>Excision, Appendix<codes>0DBJ</codes></see></term>
              <term level="1"><see>Resection, Appendix<codes>0DTJ</codes></see></term></mainTerm>
            <mainTerm><title>Hysterectomy</title>
              <term level="1"><title>Supracervical</title><see>Resection, Uterus<codes>0UT9</codes></see></term>
              <term level="1"><title>Total</title><see>Resection, Uterus<codes>0UT9</codes></see></term></mainTerm>
            <mainTerm><title>Abdominal cavity</title><use>Peritoneal Cavity</use></mainTerm>
            <mainTerm><title>Colonoscopy</title><code>0DJD8ZZ</code></mainTerm>
            </letter></ICD10PCS.index>"#;
        let e = parse(xml, "i.xml").unwrap();
        assert_eq!(
            e,
            vec![
                (
                    "appendectomy".to_string(),
                    vec!["Excision, Appendix\t0DBJ".to_string(), "Resection, Appendix\t0DTJ".to_string()]
                ),
                ("hysterectomy".to_string(), vec!["Resection, Uterus\t0UT9".to_string()]),
            ]
        );
        assert!(parse("<ICD10CM.index/>", "i.xml").is_err());
        assert!(parse("<ICD10PCS.index></ICD10PCS.index>", "i.xml").is_err());
        assert!(parse("<ICD10PCS.index>", "i.xml").is_err());
    }
}
