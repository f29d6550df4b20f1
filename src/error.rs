//! Typed errors of the reading side (packs and queries). Every message says
//! what is wrong and what to do about it; none of them is ever a panic.

use std::fmt;

/// Why a pack could not be opened or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackError {
    /// Fewer bytes than a header needs.
    TooShort { len: usize },
    /// The bytes do not start with the pack magic.
    BadMagic,
    /// The pack was written by a different format version.
    UnsupportedVersion { found: u16, supported: u16 },
    /// The header announces more (or fewer) bytes than were given.
    LengthMismatch { declared: u64, actual: usize },
    /// The body does not match its checksum: the pack is corrupt.
    ChecksumMismatch { stored: u32, computed: u32 },
    /// A header field is out of range.
    BadHeader(&'static str),
    /// The pack names a code system this build does not know.
    UnknownSystem(String),
    /// A section every pack needs is absent.
    MissingSection(&'static str),
    /// A section lies (partly) outside the pack.
    SectionOutOfBounds { tag: String, offset: u32, len: u32 },
    /// A section's content is inconsistent.
    Corrupt { section: &'static str, detail: &'static str },
    /// A record id outside the pack.
    RecordOutOfRange { id: u32, count: u32 },
    /// An `fst` map inside a section was refused by the fst reader.
    Fst { section: &'static str, message: String },
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PackError::*;
        match self {
            TooShort { len } => write!(f, "not a chartcode pack: only {len} bytes"),
            BadMagic => write!(f, "not a chartcode pack: wrong magic bytes"),
            UnsupportedVersion { found, supported } => write!(
                f,
                "pack format version {found} is not supported (this build reads version {supported}); rebuild the pack with `chartcode build`"
            ),
            LengthMismatch { declared, actual } => write!(
                f,
                "pack is truncated or padded: header says {declared} bytes, got {actual}"
            ),
            ChecksumMismatch { stored, computed } => write!(
                f,
                "pack is corrupt: body checksum {computed:08x} does not match the stored {stored:08x}; rebuild or re-download it"
            ),
            BadHeader(what) => write!(f, "pack header is invalid: {what}"),
            UnknownSystem(id) => write!(f, "pack is for an unknown code system {id:?}"),
            MissingSection(tag) => write!(f, "pack has no {tag} section"),
            SectionOutOfBounds { tag, offset, len } => write!(
                f,
                "pack section {tag} (offset {offset}, {len} bytes) lies outside the pack"
            ),
            Corrupt { section, detail } => write!(f, "pack section {section} is corrupt: {detail}"),
            RecordOutOfRange { id, count } => {
                write!(f, "record {id} is outside the pack ({count} records)")
            }
            Fst { section, message } => write!(f, "pack section {section} is corrupt: {message}"),
        }
    }
}

impl std::error::Error for PackError {}

/// Why a search or lookup request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// A code system id that no loaded pack has.
    UnknownSystem { given: String, loaded: Vec<String> },
    /// A filter (`within`) that names no code, range or chapter.
    BadFilter(String),
    /// The pack behind the answer turned out to be corrupt.
    Pack(PackError),
    /// A note longer than `suggest` reads.
    NoteTooLong { chars: usize, max: usize },
    /// More codes than `check` reads at once.
    TooManyCodes { given: usize, max: usize },
    /// An age the edits cannot read (the MCE's ages run 0 to 124).
    BadAge { given: i64 },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownSystem { given, loaded } => write!(
                f,
                "unknown code system {given:?}; loaded: {}",
                if loaded.is_empty() { "none".to_string() } else { loaded.join(", ") }
            ),
            QueryError::BadFilter(s) => {
                write!(f, "bad filter {s:?}: give a code (E11), a range (E08-E13) or a chapter/section code")
            }
            QueryError::Pack(e) => e.fmt(f),
            QueryError::NoteTooLong { chars, max } => write!(
                f,
                "the note has {chars} characters, over the {max} suggest reads: pass a section or visit at a time"
            ),
            QueryError::TooManyCodes { given, max } => {
                write!(f, "{given} codes, over the {max} check reads at once: check an encounter at a time")
            }
            QueryError::BadAge { given } => {
                write!(f, "age {given} is not an age in years from 0 to {}", crate::check::MAX_AGE)
            }
        }
    }
}

impl std::error::Error for QueryError {}

impl From<PackError> for QueryError {
    fn from(e: PackError) -> Self {
        QueryError::Pack(e)
    }
}
