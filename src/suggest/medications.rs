//! Drugs a note says the patient takes, and the ICD-10-CM code for their
//! long-term use (Z79.-); drugs and substances an allergy list names, and
//! their allergy-status code (Z88.-, Z91.0-).
//!
//! ICD-10-CM codes long-term (current) drug therapy by drug class (Z79.01
//! anticoagulants … Z79.891 opiate analgesics; Official Guidelines
//! I.C.21.c.3). Notes name drugs, not classes: this table, written for
//! chartcode, gives the class of common generic names, after each drug's
//! class in the FDA's labelling (DailyMed / USP category). A drug is
//! suggested only where the note says it is taken, not started or stopped
//! (`super::suggest` reads the words before it).

/// `(generic name, folded; code)`, sorted by name.
pub const LONG_TERM_USE: &[(&str, &str)] = &[
    ("anastrozole", "Z79.811"),
    ("apixaban", "Z79.01"),
    ("aspirin", "Z79.82"),
    ("budesonide", "Z79.51"),
    ("canagliflozin", "Z79.84"),
    ("celecoxib", "Z79.1"),
    ("clopidogrel", "Z79.02"),
    ("dabigatran", "Z79.01"),
    ("dapagliflozin", "Z79.84"),
    ("dexamethasone", "Z79.52"),
    ("diclofenac", "Z79.1"),
    ("dulaglutide", "Z79.85"),
    ("edoxaban", "Z79.01"),
    ("empagliflozin", "Z79.84"),
    ("enoxaparin", "Z79.01"),
    ("exemestane", "Z79.811"),
    ("exenatide", "Z79.85"),
    ("fentanyl", "Z79.891"),
    ("fluticasone", "Z79.51"),
    ("glimepiride", "Z79.84"),
    ("glipizide", "Z79.84"),
    ("glyburide", "Z79.84"),
    ("hydrocodone", "Z79.891"),
    ("ibuprofen", "Z79.1"),
    ("insulin", "Z79.4"),
    ("letrozole", "Z79.811"),
    ("linagliptin", "Z79.84"),
    ("liraglutide", "Z79.85"),
    ("meloxicam", "Z79.1"),
    ("metformin", "Z79.84"),
    ("methotrexate", "Z79.631"),
    ("methylprednisolone", "Z79.52"),
    ("morphine", "Z79.891"),
    ("naproxen", "Z79.1"),
    ("oxycodone", "Z79.891"),
    ("pioglitazone", "Z79.84"),
    ("prasugrel", "Z79.02"),
    ("prednisolone", "Z79.52"),
    ("prednisone", "Z79.52"),
    ("raloxifene", "Z79.810"),
    ("rivaroxaban", "Z79.01"),
    ("semaglutide", "Z79.85"),
    ("sitagliptin", "Z79.84"),
    ("tamoxifen", "Z79.810"),
    ("ticagrelor", "Z79.02"),
    ("tirzepatide", "Z79.85"),
    ("tramadol", "Z79.891"),
    ("warfarin", "Z79.01"),
];

/// The long-term-use code of a drug named by a folded word.
pub fn long_term_use(word: &str) -> Option<&'static str> {
    LONG_TERM_USE.binary_search_by(|(name, _)| (*name).cmp(word)).ok().map(|i| LONG_TERM_USE[i].1)
}

/// `(allergen, folded; allergy-status code)`, sorted by allergen: what an
/// allergy list names, and the status code ICD-10-CM gives it (Z88.-
/// drugs, Z91.0- other substances), by the drug's class as in
/// [`LONG_TERM_USE`].
pub const ALLERGY_STATUS: &[(&str, &str)] = &[
    ("amoxicillin", "Z88.0"),
    ("ampicillin", "Z88.0"),
    ("azithromycin", "Z88.1"),
    ("bactrim", "Z88.2"),
    ("cephalexin", "Z88.1"),
    ("ciprofloxacin", "Z88.1"),
    ("codeine", "Z88.5"),
    ("doxycycline", "Z88.1"),
    ("eggs", "Z91.012"),
    ("erythromycin", "Z88.1"),
    ("hydrocodone", "Z88.5"),
    ("ibuprofen", "Z88.6"),
    ("latex", "Z91.040"),
    ("morphine", "Z88.5"),
    ("nsaids", "Z88.6"),
    ("oxycodone", "Z88.5"),
    ("peanut", "Z91.010"),
    ("peanuts", "Z91.010"),
    ("penicillin", "Z88.0"),
    ("penicillins", "Z88.0"),
    ("shellfish", "Z91.013"),
    ("sulfa", "Z88.2"),
    ("sulfonamides", "Z88.2"),
    ("vancomycin", "Z88.1"),
];

/// The allergy-status code of an allergen named by a folded word.
pub fn allergy_status(word: &str) -> Option<&'static str> {
    ALLERGY_STATUS.binary_search_by(|(name, _)| (*name).cmp(word)).ok().map(|i| ALLERGY_STATUS[i].1)
}

/// Words before a drug that say it is not (yet, or any longer) taken.
pub const NOT_TAKEN: &[&str] =
    &["begin", "discontinue", "discontinued", "held", "hold", "initiate", "start", "started", "stop", "stopped"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_finds_drugs() {
        assert!(LONG_TERM_USE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NOT_TAKEN.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(long_term_use("metformin"), Some("Z79.84"));
        assert_eq!(long_term_use("furosemide"), None);
        assert!(ALLERGY_STATUS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(allergy_status("penicillin"), Some("Z88.0"));
    }
}
