//! Clinical abbreviations that clinicians type into a code picker, each with
//! the phrases it stands for.
//!
//! Written for chartcode. The abbreviations are the ones in everyday use in
//! US clinical notes and problem lists, as documented in general references
//! such as *Stedman's Medical Abbreviations, Acronyms & Symbols* and the
//! "List of medical abbreviations" on Wikipedia. Each expansion is worded
//! after the ICD-10-CM FY2026 tabular titles or inclusion terms (checked by
//! the test `every_abbreviation_finds_codes`), because an expansion only
//! helps if its words are the book's words: "chf" expands to "heart
//! failure", which is how I50.- titles read, not to "congestive heart
//! failure", which most of them do not contain.
//!
//! An expansion is a phrase whose words must all occur in a record (in any
//! order); an abbreviation with several meanings lists them all, and the
//! ranking sorts them out. This table is deliberately small and curated: the
//! alphabetic index and lay terms are the next sources of terms.

/// `(abbreviation, expansions)`, sorted by abbreviation.
pub const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("aaa", &["abdominal aortic aneurysm"]),
    ("acl", &["anterior cruciate ligament"]),
    ("ad", &["alzheimer disease", "atopic dermatitis"]),
    ("adhd", &["attention deficit hyperactivity disorder"]),
    ("afib", &["atrial fibrillation"]),
    ("afl", &["atrial flutter"]),
    ("aki", &["acute kidney failure"]),
    ("als", &["amyotrophic lateral sclerosis"]),
    ("ami", &["acute myocardial infarction"]),
    ("aml", &["acute myeloblastic leukemia"]),
    ("ams", &["altered mental status"]),
    ("aom", &["acute otitis media"]),
    ("ards", &["acute respiratory distress syndrome"]),
    ("arf", &["acute respiratory failure", "acute kidney failure"]),
    ("asd", &["atrial septal defect", "autistic disorder"]),
    ("atn", &["tubular necrosis"]),
    ("avb", &["atrioventricular block"]),
    ("avn", &["osteonecrosis"]),
    ("bcc", &["basal cell carcinoma"]),
    ("bmi", &["body mass index"]),
    ("bp", &["blood pressure"]),
    ("bpd", &["bipolar disorder", "borderline personality disorder", "bronchopulmonary dysplasia"]),
    ("bph", &["benign prostatic hyperplasia"]),
    ("bv", &["vaginitis"]),
    ("ca", &["malignant neoplasm", "carcinoma"]),
    ("cabg", &["aortocoronary bypass graft"]),
    ("cad", &["coronary artery disease", "atherosclerotic heart disease"]),
    ("cd", &["crohn disease", "celiac disease"]),
    ("cdiff", &["clostridioides difficile"]),
    ("chf", &["heart failure"]),
    ("ckd", &["chronic kidney disease"]),
    ("cll", &["chronic lymphocytic leukemia"]),
    ("cml", &["chronic myeloid leukemia"]),
    ("copd", &["chronic obstructive pulmonary disease"]),
    ("cp", &["chest pain", "cerebral palsy"]),
    ("cts", &["carpal tunnel syndrome"]),
    ("cva", &["cerebral infarction", "stroke"]),
    ("dcm", &["dilated cardiomyopathy"]),
    ("ddd", &["intervertebral disc degeneration"]),
    ("djd", &["osteoarthritis"]),
    ("dka", &["diabetes ketoacidosis"]),
    ("dm", &["diabetes mellitus"]),
    ("dm1", &["type 1 diabetes mellitus"]),
    ("dm2", &["type 2 diabetes mellitus"]),
    ("doe", &["dyspnea"]),
    ("dvt", &["deep vein thrombosis"]),
    ("ed", &["erectile dysfunction"]),
    ("esrd", &["end stage renal disease"]),
    ("etoh", &["alcohol"]),
    ("flu", &["influenza"]),
    ("ftt", &["failure to thrive"]),
    ("fuo", &["fever unknown origin"]),
    ("fx", &["fracture"]),
    ("gad", &["generalized anxiety disorder"]),
    ("gbs", &["guillain barre syndrome", "streptococcus group b"]),
    ("gdm", &["gestational diabetes"]),
    ("gerd", &["gastro esophageal reflux disease"]),
    ("gib", &["gastrointestinal hemorrhage"]),
    ("ha", &["headache"]),
    ("hbp", &["high blood pressure"]),
    ("hbv", &["hepatitis b"]),
    ("hcc", &["liver cell carcinoma", "hepatocellular carcinoma"]),
    ("hcv", &["hepatitis c"]),
    ("hf", &["heart failure"]),
    ("hhs", &["diabetes hyperosmolarity"]),
    ("hiv", &["human immunodeficiency virus"]),
    ("hld", &["hyperlipidemia"]),
    ("hlp", &["hyperlipidemia"]),
    ("hocm", &["obstructive hypertrophic cardiomyopathy"]),
    ("hpv", &["papillomavirus"]),
    ("hsv", &["herpesviral", "herpes simplex"]),
    ("htn", &["hypertension", "hypertensive"]),
    ("hx", &["history"]),
    ("ibs", &["irritable bowel syndrome"]),
    ("ich", &["intracerebral hemorrhage"]),
    ("iddm", &["type 1 diabetes mellitus"]),
    ("ild", &["interstitial lung disease"]),
    ("lbbb", &["left bundle branch block"]),
    ("lbp", &["low back pain"]),
    ("loc", &["loss consciousness"]),
    ("luts", &["lower urinary tract symptoms"]),
    ("lvh", &["ventricular hypertrophy"]),
    ("mci", &["mild cognitive impairment"]),
    ("mdd", &["major depressive disorder"]),
    ("mets", &["secondary malignant neoplasm"]),
    ("mg", &["myasthenia gravis"]),
    ("mi", &["myocardial infarction"]),
    ("mono", &["infectious mononucleosis"]),
    ("mr", &["mitral insufficiency"]),
    ("mrsa", &["methicillin resistant staphylococcus aureus"]),
    ("ms", &["multiple sclerosis"]),
    ("mvp", &["mitral valve prolapse"]),
    ("nec", &["necrotizing enterocolitis"]),
    ("nhl", &["non hodgkin lymphoma"]),
    ("niddm", &["type 2 diabetes mellitus"]),
    ("nstemi", &["non st elevation myocardial infarction"]),
    ("oa", &["osteoarthritis"]),
    ("oab", &["overactive bladder"]),
    ("ocd", &["obsessive compulsive disorder"]),
    ("om", &["otitis media"]),
    ("osa", &["obstructive sleep apnea"]),
    ("oud", &["opioid dependence", "opioid abuse"]),
    ("pac", &["atrial premature depolarization"]),
    ("pad", &["peripheral vascular disease"]),
    ("pcos", &["polycystic ovarian syndrome"]),
    ("pd", &["parkinson disease"]),
    ("pe", &["pulmonary embolism"]),
    ("pfo", &["patent foramen ovale"]),
    ("pid", &["pelvic inflammatory disease"]),
    ("pih", &["gestational hypertension"]),
    ("pna", &["pneumonia"]),
    ("prom", &["premature rupture membranes"]),
    ("ptsd", &["post traumatic stress disorder"]),
    ("ptx", &["pneumothorax"]),
    ("pud", &["peptic ulcer"]),
    ("pvc", &["ventricular premature depolarization"]),
    ("pvd", &["peripheral vascular disease"]),
    ("ra", &["rheumatoid arthritis"]),
    ("rbbb", &["right bundle branch block"]),
    ("rct", &["rotator cuff tear"]),
    ("rds", &["respiratory distress syndrome newborn"]),
    ("rls", &["restless legs syndrome"]),
    ("rsv", &["respiratory syncytial virus"]),
    ("sah", &["subarachnoid hemorrhage"]),
    ("sbo", &["intestinal obstruction"]),
    ("scc", &["squamous cell carcinoma"]),
    ("sdh", &["subdural hemorrhage"]),
    ("si", &["suicidal ideations"]),
    ("sirs", &["systemic inflammatory response syndrome"]),
    ("sle", &["systemic lupus erythematosus"]),
    ("sob", &["shortness breath"]),
    ("sss", &["sick sinus syndrome"]),
    ("std", &["sexually transmitted"]),
    ("stemi", &["st elevation myocardial infarction"]),
    ("sti", &["sexually transmitted"]),
    ("strep", &["streptococcal"]),
    ("svt", &["supraventricular tachycardia"]),
    ("sz", &["seizure"]),
    ("t1dm", &["type 1 diabetes mellitus"]),
    ("t2dm", &["type 2 diabetes mellitus"]),
    ("tb", &["tuberculosis"]),
    ("tbi", &["traumatic brain injury", "intracranial injury"]),
    ("tia", &["transient ischemic attack"]),
    ("uc", &["ulcerative colitis"]),
    ("uri", &["upper respiratory infection"]),
    ("uti", &["urinary tract infection"]),
    ("vsd", &["ventricular septal defect"]),
    ("vt", &["ventricular tachycardia"]),
    ("wpw", &["wolff parkinson white"]),
];

/// The expansions of a folded word, if it is a known abbreviation.
pub fn expansions(word: &str) -> Option<&'static [&'static str]> {
    ABBREVIATIONS.binary_search_by(|(a, _)| a.cmp(&word)).ok().map(|i| ABBREVIATIONS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_folded() {
        for pair in ABBREVIATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (abbr, exps) in ABBREVIATIONS {
            assert_eq!(crate::normalize::fold(abbr), *abbr);
            assert!(!exps.is_empty());
        }
        assert_eq!(expansions("chf"), Some(&["heart failure"][..]));
        assert_eq!(expansions("xyz"), None);
    }
}
