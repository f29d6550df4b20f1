//! The byte layout of a pack, in one place. `docs/PACK_FORMAT.md` describes
//! the same layout in prose; the reader (`pack::Pack`) and the writer
//! (`compile::writer`) both take their numbers from here.
//!
//! All integers are little-endian. Sections are aligned to 4 bytes.

/// The first eight bytes of every pack.
pub const MAGIC: [u8; 8] = *b"CHARTPAK";

/// The format version this build writes and reads. Bump it for any change a
/// reader of the previous version would misread; adding a section is not
/// such a change (readers skip sections they do not know).
pub const FORMAT_VERSION: u16 = 5;

/// Bytes before the release label: magic (8), version (2), header length
/// (2), crc32 (4), total length (4), system id (8), record count (4),
/// billable count (4), release label length (2), section count (2).
pub const FIXED_HEADER_LEN: usize = 40;

/// The checksum covers every byte from this offset to the end of the pack,
/// so it protects the rest of the header as well as the body.
pub const CHECKSUM_START: usize = 16;

/// One entry of the section table: tag (4), offset (4), length (4).
pub const SECTION_ENTRY_LEN: usize = 12;

/// Longest release label a header may carry.
pub const MAX_RELEASE_LEN: usize = 200;

/// Section tags.
pub mod tag {
    /// Key/value strings about the build (publisher, source file, sha256).
    pub const META: [u8; 4] = *b"META";
    /// Fixed-width record rows, one per record, in code-book order.
    pub const RECORDS: [u8; 4] = *b"RECS";
    /// `fst` map: normalized code → record id.
    pub const CODES: [u8; 4] = *b"CODE";
    /// The piece dictionary of the compact text encoding.
    pub const WORDS: [u8; 4] = *b"WORD";
    /// Per-record text entries: code, title, notes.
    pub const TEXT: [u8; 4] = *b"TEXT";
    /// 7th-character labels and the rule that composes their codes.
    pub const LABELS: [u8; 4] = *b"LABL";
    /// Label sets: the 7th characters a header takes, in order.
    pub const LABEL_SETS: [u8; 4] = *b"LSET";
    /// A crosswalk to or from another code system (the GEMs); a pack may
    /// hold several.
    pub const CROSSWALK: [u8; 4] = *b"XWLK";
    /// Termination dates: (record id, `YYYYMMDD`) pairs sorted by id, for
    /// the books whose codes end (HCPCS). Absent when none do.
    pub const TERMINATIONS: [u8; 4] = *b"TRMD";
    /// Which record ids are composed (a bit vector with a rank directory).
    /// Absent when a book has no composed records.
    pub const COMPOSED: [u8; 4] = *b"CMPD";
    /// The term dictionary: front-coded term keys and their postings
    /// lists' lengths.
    pub const TERMS: [u8; 4] = *b"TERM";
    /// Postings lists: a count and the record-id deltas of each.
    pub const POSTINGS: [u8; 4] = *b"POST";
    /// One byte per posting, lists in term order: where the term was found
    /// and the index entry it names.
    pub const POSTING_FIELDS: [u8; 4] = *b"PFLD";
    /// Words the book's index says to read as other words (the ICD-10-PCS
    /// Index: "appendectomy" → "Excision, Appendix"). Optional.
    pub const EXPANSIONS: [u8; 4] = *b"XPND";
    /// The releases a pack carries and which records belong to which
    /// (`pack::releases`). Absent in a pack of one release.
    pub const RELEASES: [u8; 4] = *b"RLSE";
    /// The claim-edit and payment tables (MCE, MS-DRG CC/MCC, CMS-HCC,
    /// PDPM), resolved to record ids (`pack::edits`). Optional.
    pub const EDITS: [u8; 4] = *b"EDIT";
}

/// `RECS` holds, for the stored records (composed records have no row: the
/// bit vector of `CMPD` says which ids they are), three columns: a u32 word
/// per row (parent distance, kind, flags), the `TEXT` offset of every
/// `ROW_BLOCK`-th entry, and a u16 length per entry. Columns of like
/// values, distances instead of ids and lengths instead of offsets are what
/// a general-purpose compressor (the gzip or brotli that serves the wasm)
/// squeezes best: a third of the former 8-byte rows after gzip.
pub const ROW_BLOCK: u32 = 16;
/// Longest `TEXT` entry (its length is a u16).
pub const MAX_ENTRY_LEN: usize = u16::MAX as usize;
/// Row word bits 0..24: the distance to the parent, record id minus parent
/// id (0 = top level; a parent always precedes its child).
pub const PARENT_MASK: u32 = (1 << 24) - 1;
/// Row word bits 24..28: the record kind.
pub const KIND_SHIFT: u32 = 24;
/// Row word bit 28: the record is a billable (complete) code.
pub const FLAG_BILLABLE: u32 = 1 << 28;
/// Row word bit 29: the title begins with its parent's first words; the
/// `TEXT` entry says how many before the title's own words.
pub const FLAG_TITLE_SHARED: u32 = 1 << 29;
/// Row word bit 30: the text entry carries notes after the title.
pub const FLAG_HAS_NOTES: u32 = 1 << 30;
/// Row word bit 31: the text entry starts with a label-set id, and the
/// record's composed children follow it, one per label of the set.
pub const FLAG_LABEL_SET: u32 = 1 << 31;
/// Most records a pack can hold (the parent distance is 24 bits).
pub const MAX_RECORDS: usize = PARENT_MASK as usize;

/// Composition style (`LABL` byte 0): a 7th character added to the
/// header's code, padded with a placeholder (ICD-10-CM).
pub const COMPOSE_SEVENTH: u8 = 1;
/// Composition style: one character per axis appended to the header's code,
/// the title composed from the axis labels (ICD-10-PCS tables).
pub const COMPOSE_AXES: u8 = 2;

/// Pieces of the `WORD` dictionary per offset sample: a piece is found by
/// its block's offset and at most this many length-prefixed steps.
pub const WORD_BLOCK: u32 = 16;
/// Most pieces one stored text (a title, a note, a label) may have; the
/// writer refuses more and the reader treats more as corruption.
pub const MAX_TEXT_PIECES: usize = 4096;
/// Longest piece (a space-separated run) of the `WORD` dictionary, in bytes.
pub const MAX_PIECE_BYTES: usize = 1024;
/// Longest stored text once decoded, in bytes: a forged piece length or
/// piece count cannot make one text larger than this.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;
/// 64-bit words of the `CMPD` bit vector per rank sample (1: a rank is one
/// lookup and one popcount, for 4 bytes per 64 records).
pub const RANK_BLOCK_WORDS: usize = 1;

/// Low bits of a posting's `PFLD` byte that hold the field (`model::Field`).
pub const POSTING_FIELD_BITS: u32 = 3;
/// The two bits above the field: the fewest words (1 to 3; 0: none such) of
/// an Alphabetic Index entry that leads to the record and holds the term.
/// A query whose words are all of one such entry ("dementia", "heart
/// failure") names what the index gives for it: the coder's default code.
/// (Whether the record is billable is read from its row, and whether the
/// term is in the category's title from that title, for the few candidates
/// that reach the last step: bits per posting that gzip cannot predict.)
pub const POSTING_ENTRY_SHIFT: u32 = POSTING_FIELD_BITS;
/// The bit of a `PFLD` byte above the entry length: the term is the head of
/// the record's title, the thing it is ("Walker, folding" is a walker;
/// "Seat attachment, walker" is an attachment). See `normalize::title_head`.
pub const POSTING_HEAD_BIT: u8 = 1 << 5;
/// Longest index entry, in words, whose length a posting records.
pub const POSTING_ENTRY_MAX: u8 = 3;
/// Terms per block of the front-coded `TERM` dictionary: every block's
/// first key is whole, so a lookup binary-searches the block heads and
/// reads at most this many keys.
pub const TERM_BLOCK: usize = 16;

/// Crosswalk target flags (see `compile::gems`): approximate, no map,
/// combination, refined (followed to the current release's descendants),
/// not in the current release.
pub const XW_APPROXIMATE: u8 = 1;
pub const XW_NO_MAP: u8 = 2;
pub const XW_COMBINATION: u8 = 4;
pub const XW_REFINED: u8 = 8;
pub const XW_NOT_IN_RELEASE: u8 = 16;
/// Crosswalk target flag: a scenario and choice-list byte follow.
pub const XW_HAS_SCENARIO: u8 = 0x80;

/// Codes of up to 7 letters and digits as numbers (crosswalk targets): base
/// 37, one digit per character, 0 padding the end, so that numeric order is
/// code order and consecutive codes are close. `None` for anything longer
/// or with other characters.
pub fn code_to_number(code: &str) -> Option<u64> {
    if code.len() > 7 {
        return None;
    }
    let mut n = 0u64;
    let bytes = code.as_bytes();
    for i in 0..7 {
        let digit = match bytes.get(i) {
            None => 0,
            Some(b @ b'0'..=b'9') => u64::from(b - b'0') + 1,
            Some(b @ b'A'..=b'Z') => u64::from(b - b'A') + 11,
            Some(_) => return None,
        };
        n = n * 37 + digit;
    }
    Some(n)
}

/// The inverse of [`code_to_number`]; `None` for a number no code makes.
pub fn number_to_code(mut n: u64) -> Option<String> {
    let mut digits = [0u8; 7];
    for d in digits.iter_mut().rev() {
        *d = (n % 37) as u8;
        n /= 37;
    }
    if n != 0 {
        return None;
    }
    let mut out = String::with_capacity(7);
    let mut ended = false;
    for d in digits {
        match d {
            0 => ended = true,
            _ if ended => return None,
            1..=10 => out.push((b'0' + d - 1) as char),
            _ => out.push((b'A' + d - 11) as char),
        }
    }
    Some(out)
}
