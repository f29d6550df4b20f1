//! The vocabulary shared by every code book: code systems, record kinds,
//! note kinds and the fields a search term can come from. Each is stored in
//! a pack as a small integer; the names returned by `as_str` are the stable
//! names used in JSON, the CLI and the JS API.

use serde::Serialize;

/// A code system chartcode knows how to present. A pack names its system by
/// `id`; a pack whose id is not listed here is refused when opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeSystem {
    /// Short stable id used on the command line and in JSON (`icd10cm`).
    pub id: &'static str,
    /// Human name (`ICD-10-CM`).
    pub name: &'static str,
    /// The canonical FHIR `Coding.system` URI.
    pub fhir_uri: &'static str,
    /// A retired book kept for old records (ICD-9-CM): shown as legacy
    /// everywhere.
    pub legacy: bool,
}

/// Every code system chartcode knows: the books in current use first, then
/// the retired ones (a code several loaded books have is answered from the
/// first, and a code book lists its packs in this order).
pub const SYSTEMS: &[CodeSystem] = &[
    CodeSystem { id: "icd10cm", name: "ICD-10-CM", fhir_uri: "http://hl7.org/fhir/sid/icd-10-cm", legacy: false },
    CodeSystem {
        id: "icd10pcs",
        name: "ICD-10-PCS",
        fhir_uri: "http://www.cms.gov/Medicare/Coding/ICD10",
        legacy: false,
    },
    CodeSystem {
        id: "hcpcs",
        name: "HCPCS Level II",
        fhir_uri: "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        legacy: false,
    },
    CodeSystem { id: "cpt", name: "CPT", fhir_uri: "http://www.ama-assn.org/go/cpt", legacy: false },
    CodeSystem { id: "cdt", name: "CDT", fhir_uri: "http://ada.org/cdt", legacy: false },
    CodeSystem { id: "icd9cm", name: "ICD-9-CM", fhir_uri: "http://hl7.org/fhir/sid/icd-9-cm", legacy: true },
    CodeSystem {
        id: "icd9proc",
        name: "ICD-9-CM Procedures (Vol. 3)",
        fhir_uri: "http://hl7.org/fhir/sid/icd-9-cm",
        legacy: true,
    },
];

impl CodeSystem {
    /// The system with this id (`icd10cm`), ignoring ASCII case and `-`/`_`
    /// (`ICD-10-CM` works too).
    pub fn from_id(id: &str) -> Option<&'static CodeSystem> {
        let key: String = id.chars().filter(|c| *c != '-' && *c != '_').map(|c| c.to_ascii_lowercase()).collect();
        SYSTEMS.iter().find(|s| s.id == key)
    }
}

/// What a record is in its book's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Kind {
    /// A chapter of the tabular list (`A00-B99`).
    Chapter = 0,
    /// A block of categories within a chapter (`A00-A09`).
    Section = 1,
    /// A three-character category (`E11`); billable when it has no children.
    Category = 2,
    /// A header below a category (`E11.6`, or `S72.001` that needs a 7th
    /// character); never billable.
    Subcategory = 3,
    /// A complete, billable code (`E11.9`, `S72.001A`).
    Code = 4,
    /// A HCPCS Level II modifier (`LT`, `59`).
    Modifier = 5,
    /// An ICD-10-PCS body system (`0D`, second character).
    BodySystem = 6,
    /// An ICD-10-PCS table (`0DT`: section, body system, operation); its
    /// codes are composed from the table's rows.
    Table = 7,
    /// One value of an ICD-10-PCS axis in the code builder (`0DTJ`:
    /// "Appendix"); a step towards a code, not a record of the book.
    AxisValue = 8,
}

impl Kind {
    /// The kind a record has in a release where it is (`true`) or is not
    /// billable: a code that gained children in a later release is a
    /// subcategory there (I42.0 in FY2027), and a code before.
    pub fn as_billable(self, billable: bool) -> Kind {
        match self {
            Kind::Subcategory if billable => Kind::Code,
            Kind::Code if !billable => Kind::Subcategory,
            k => k,
        }
    }

    /// All kinds, in their stored order.
    pub const ALL: [Kind; 9] = [
        Kind::Chapter,
        Kind::Section,
        Kind::Category,
        Kind::Subcategory,
        Kind::Code,
        Kind::Modifier,
        Kind::BodySystem,
        Kind::Table,
        Kind::AxisValue,
    ];

    /// The stored value back to a kind; `None` for a value this build does not know.
    pub fn from_u8(v: u8) -> Option<Kind> {
        Kind::ALL.get(v as usize).copied()
    }

    /// The stable name (`"category"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chapter => "chapter",
            Kind::Section => "section",
            Kind::Category => "category",
            Kind::Subcategory => "subcategory",
            Kind::Code => "code",
            Kind::Modifier => "modifier",
            Kind::BodySystem => "body_system",
            Kind::Table => "table",
            Kind::AxisValue => "axis_value",
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The instructional notes of the tabular list, kept verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum NoteKind {
    /// "Includes:" — further defines the content of the code.
    Includes = 0,
    /// Inclusion terms: conditions classified to the code.
    InclusionTerm = 1,
    /// "Excludes1:" — never coded together with this code.
    Excludes1 = 2,
    /// "Excludes2:" — not included here, but may be coded together.
    Excludes2 = 3,
    /// "Code first" — sequence the underlying condition first.
    CodeFirst = 4,
    /// "Use additional code".
    UseAdditionalCode = 5,
    /// "Code also".
    CodeAlso = 6,
    /// A general note.
    Note = 7,
    /// A note about the 7th character.
    SevenChrNote = 8,
    /// One 7th-character definition ("A: initial encounter").
    SevenChrDef = 9,
    /// A definition (an ICD-10-PCS root operation or approach).
    Definition = 10,
    /// A further explanation of a definition.
    Explanation = 11,
    /// The short descriptor (HCPCS, ICD-9-CM).
    ShortTitle = 12,
    /// Date the code was added (`YYYYMMDD`).
    Added = 13,
    /// Date the current version of the code took effect (`YYYYMMDD`).
    Effective = 14,
    /// Date the code is terminated (`YYYYMMDD`); the code is not billable
    /// after it.
    Terminated = 15,
    /// The release's action code for the record (HCPCS: `A` added, `D`
    /// discontinued, `N` no change, ...).
    Action = 16,
    /// A CMS processing note of the code (HCPCS `PROCNOTE`): its number and
    /// text ("0088: \"S\" codes are ...").
    ProcessingNote = 17,
    /// The code is on CMS's list of "not otherwise classified" codes
    /// (HCPCS); the text is empty.
    NotOtherwiseClassified = 18,
    /// The code's Medically Unlikely Edit (NCCI, practitioner services):
    /// `units<TAB>adjudication indicator<TAB>rationale`.
    Mue = 19,
    /// Where the record's notes come from when it has none of its own: a
    /// code of a derived release (ICD-10-CM FY2027, made from the FY2026
    /// Tabular List and CMS's code titles) is governed by its ancestors'
    /// notes. The text is `ancestors`.
    NotesFrom = 20,
}

impl NoteKind {
    const ALL: [NoteKind; 21] = [
        NoteKind::Includes,
        NoteKind::InclusionTerm,
        NoteKind::Excludes1,
        NoteKind::Excludes2,
        NoteKind::CodeFirst,
        NoteKind::UseAdditionalCode,
        NoteKind::CodeAlso,
        NoteKind::Note,
        NoteKind::SevenChrNote,
        NoteKind::SevenChrDef,
        NoteKind::Definition,
        NoteKind::Explanation,
        NoteKind::ShortTitle,
        NoteKind::Added,
        NoteKind::Effective,
        NoteKind::Terminated,
        NoteKind::Action,
        NoteKind::ProcessingNote,
        NoteKind::NotOtherwiseClassified,
        NoteKind::Mue,
        NoteKind::NotesFrom,
    ];

    /// The stored value back to a note kind.
    pub fn from_u8(v: u8) -> Option<NoteKind> {
        NoteKind::ALL.get(v as usize).copied()
    }

    /// The stable name (`"excludes1"`).
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Includes => "includes",
            NoteKind::InclusionTerm => "inclusion_term",
            NoteKind::Excludes1 => "excludes1",
            NoteKind::Excludes2 => "excludes2",
            NoteKind::CodeFirst => "code_first",
            NoteKind::UseAdditionalCode => "use_additional_code",
            NoteKind::CodeAlso => "code_also",
            NoteKind::Note => "note",
            NoteKind::SevenChrNote => "seven_chr_note",
            NoteKind::SevenChrDef => "seven_chr_def",
            NoteKind::Definition => "definition",
            NoteKind::Explanation => "explanation",
            NoteKind::ShortTitle => "short_title",
            NoteKind::Added => "added",
            NoteKind::Effective => "effective",
            NoteKind::Terminated => "terminated",
            NoteKind::Action => "action",
            NoteKind::ProcessingNote => "processing_note",
            NoteKind::NotOtherwiseClassified => "not_otherwise_classified",
            NoteKind::Mue => "mue",
            NoteKind::NotesFrom => "notes_from",
        }
    }

    /// Whether the note is an attribute of the record (a date, the short
    /// title) rather than an instructional note; attributes are shown as
    /// fields of their own.
    pub fn is_attribute(self) -> bool {
        matches!(
            self,
            NoteKind::ShortTitle
                | NoteKind::Added
                | NoteKind::Effective
                | NoteKind::Terminated
                | NoteKind::Action
                | NoteKind::NotOtherwiseClassified
                | NoteKind::Mue
                | NoteKind::NotesFrom
        )
    }

    /// The heading a coder knows the note by.
    pub fn heading(self) -> &'static str {
        match self {
            NoteKind::Includes => "Includes",
            NoteKind::InclusionTerm => "Inclusion terms",
            NoteKind::Excludes1 => "Excludes1",
            NoteKind::Excludes2 => "Excludes2",
            NoteKind::CodeFirst => "Code first",
            NoteKind::UseAdditionalCode => "Use additional code",
            NoteKind::CodeAlso => "Code also",
            NoteKind::Note => "Note",
            NoteKind::SevenChrNote => "7th character note",
            NoteKind::SevenChrDef => "7th characters",
            NoteKind::Definition => "Definition",
            NoteKind::Explanation => "Explanation",
            NoteKind::ShortTitle => "Short title",
            NoteKind::Added => "Added",
            NoteKind::Effective => "Effective",
            NoteKind::Terminated => "Terminated",
            NoteKind::Action => "Action",
            NoteKind::ProcessingNote => "CMS processing note",
            NoteKind::NotOtherwiseClassified => "Not otherwise classified",
            NoteKind::Mue => "Medically Unlikely Edit",
            NoteKind::NotesFrom => "Notes from",
        }
    }
}

impl Serialize for NoteKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a term of the term dictionary was found for a record. Stored in
/// three bits of every posting, so sources added later (the alphabetic
/// index, lay terms) need no format change; a reader treats a value it does
/// not know as the weakest kind of match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Field {
    /// The record's own title.
    Title = 0,
    /// An inclusion term of the record.
    InclusionTerm = 1,
    /// An entry of the alphabetic index pointing at the record (reserved).
    IndexTerm = 2,
    /// Another name of the record, as good as its title: an Alphabetic
    /// Index `see` cross-reference ("Attack, heart — see Infarct,
    /// myocardium"), and (later) a curated lay term.
    Synonym = 3,
    /// An "Includes" note.
    Note = 4,
    /// The record's title, in a clause negated by "without" ("Osteoporosis
    /// without current pathological fracture" holds "fracture" here). A
    /// query word matches it fully only when the query negates it too.
    TitleNegated = 5,
    /// A word of the labels of the record's composed children (a PCS table's
    /// body parts, approaches, devices): it finds the header, whose children
    /// then match through their labels; it is not a match of the header's
    /// own title.
    ChildLabel = 6,
    /// A nonessential modifier of an Alphabetic Index entry ("Angina
    /// (attack) (heart)"): a word the entry allows, not one that names it.
    IndexModifier = 7,
}

impl Field {
    /// How much a match in this field counts in ranking: a title match (or
    /// another name of the record, a synonym) beats a term the book lists
    /// under the code (or an index entry leading to it), which beats a note
    /// or an index entry's optional word. A value no
    /// variant has counts as the weakest, as a child's label does.
    pub fn weight(raw: u8) -> u32 {
        match raw {
            0 => 4,
            1..=3 => 3,
            4 | 5 | 7 => 1,
            _ => 0,
        }
    }

    /// Whether a match in this field came from an Alphabetic Index entry
    /// (its path, a `see` to it, or its nonessential modifiers).
    pub fn is_index(raw: u8) -> bool {
        raw == Field::IndexTerm as u8 || raw == Field::Synonym as u8 || raw == Field::IndexModifier as u8
    }

    /// [`Field::weight`] for a query word that is itself negated
    /// ("without complications"): a negated title word is then a title match.
    pub fn weight_negated(raw: u8) -> u32 {
        if raw == Field::TitleNegated as u8 {
            Field::weight(Field::Title as u8)
        } else {
            Field::weight(raw)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn an_unknown_field_is_the_weakest_match() {
        let known = [
            Field::Title,
            Field::InclusionTerm,
            Field::IndexTerm,
            Field::Synonym,
            Field::Note,
            Field::TitleNegated,
            Field::ChildLabel,
            Field::IndexModifier,
        ];
        let weakest = known.iter().map(|f| Field::weight(*f as u8)).min().unwrap();
        assert_eq!(Field::weight(8), weakest);
        assert!(Field::weight(Field::IndexTerm as u8) > Field::weight(Field::IndexModifier as u8));
        assert!(Field::weight(Field::Title as u8) > Field::weight(Field::InclusionTerm as u8));
        assert!(Field::weight(Field::InclusionTerm as u8) > Field::weight(Field::Note as u8));
    }
}
