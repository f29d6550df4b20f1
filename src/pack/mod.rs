//! Reading a pack: zero-copy views over a `&[u8]`.
//!
//! [`Pack::open`] checks the header, the section table and the checksum and
//! then keeps only slices into the caller's bytes: opening allocates nothing
//! in proportion to the pack. Every later read is bounds-checked and returns
//! a [`PackError`] on inconsistent data; nothing here can panic or read
//! outside the slice, whatever bytes it is given.

pub mod format;

use crate::error::PackError;
use crate::model::{CodeSystem, Kind, NoteKind};
use crate::varint;
use format::tag;
use fst::{IntoStreamer, Streamer};

/// A composition: rows of axes of label indexes (see [`Pack::composition`]).
pub type Composition = Vec<Vec<Vec<u32>>>;

/// One decoded record row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The parent record, `None` at the top level.
    pub parent: Option<u32>,
    pub kind: Kind,
    pub billable: bool,
    /// Code and title are composed from the parent (the header) and the
    /// labels of child number `payload` of its composition.
    pub composed: bool,
    pub has_notes: bool,
    /// The record is a header whose composed children follow it.
    pub has_label_set: bool,
    /// The title begins with words of the parent's title.
    pub title_shared: bool,
    /// Text offset; for a composed record, its index among its header's
    /// composed children.
    pub payload: u32,
}

/// A term of the term dictionary: where its postings are and how many
/// records it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef {
    pub offset: u64,
    pub doc_freq: u32,
}

impl TermRef {
    fn from_value(v: u64) -> TermRef {
        TermRef { offset: v >> format::TERM_DF_BITS, doc_freq: (v & ((1 << format::TERM_DF_BITS) - 1)) as u32 }
    }
}

/// One entry of a postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub id: u32,
    /// Where the term was found (`model::Field` as stored).
    pub field: u8,
    /// The term also occurs in the title of the record's category.
    pub in_context: bool,
    /// The record is billable.
    pub billable: bool,
}

/// Which way a crosswalk goes, seen from the pack that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrosswalkDirection {
    /// From this pack's codes to the other system's.
    From,
    /// From the other system's codes to this pack's.
    To,
}

/// A crosswalk section, opened.
#[derive(Clone)]
pub struct Crosswalk<'a> {
    pub direction: CrosswalkDirection,
    /// The other code system.
    pub other: &'static CodeSystem,
    /// What the crosswalk is.
    pub label: &'a str,
    sources: fst::Map<&'a [u8]>,
    data: &'a [u8],
    /// Display rule of the other system's codes (dot after this many).
    dot_after: u8,
}

/// One target of a crosswalk entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkTarget {
    /// The target code in its official form; empty when there is no map.
    pub code: String,
    /// `format::XW_*` bits.
    pub flags: u8,
    pub scenario: u8,
    pub choice: u8,
    /// For a refined target, the crosswalk's original target.
    pub via: Option<String>,
}

impl<'a> Crosswalk<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Crosswalk<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "XWLK", detail };
        if bytes.len() < 11 || bytes[0] != 1 {
            return Err(corrupt("unknown crosswalk version"));
        }
        let direction = match bytes[1] {
            0 => CrosswalkDirection::From,
            1 => CrosswalkDirection::To,
            _ => return Err(corrupt("unknown direction")),
        };
        let dot_after = bytes[2];
        let id_len = bytes[3..11].iter().position(|&b| b == 0).unwrap_or(8);
        let id = std::str::from_utf8(&bytes[3..3 + id_len]).map_err(|_| corrupt("system id is not text"))?;
        let other =
            CodeSystem::from_id(id).filter(|s| s.id == id).ok_or_else(|| PackError::UnknownSystem(id.to_string()))?;
        let mut pos = 11;
        let label_len = varint::read_u32(bytes, &mut pos).ok_or_else(|| corrupt("label truncated"))? as usize;
        let label = bytes.get(pos..pos.saturating_add(label_len)).ok_or_else(|| corrupt("label truncated"))?;
        let label = std::str::from_utf8(label).map_err(|_| corrupt("label is not UTF-8"))?;
        pos += label_len;
        let fst_len = read_u32(bytes, pos).ok_or_else(|| corrupt("map length truncated"))? as usize;
        pos += 4;
        let map = bytes.get(pos..pos.saturating_add(fst_len)).ok_or_else(|| corrupt("map truncated"))?;
        let sources = open_fst(map, "XWLK")?;
        Ok(Crosswalk { direction, other, label, sources, data: &bytes[pos + fst_len..], dot_after })
    }

    /// The targets of a normalized source code (`25000`), if the crosswalk
    /// has it.
    /// The sources starting with `prefix` (normalized), at most `limit`.
    pub fn sources_under(&self, prefix: &str, limit: usize) -> Vec<String> {
        let automaton = fst::automaton::Str::new(prefix);
        let mut stream = self.sources.search(fst::Automaton::starts_with(automaton)).into_stream();
        let mut out = Vec::new();
        while let Some((key, _)) = stream.next() {
            if out.len() >= limit {
                break;
            }
            if let Ok(k) = std::str::from_utf8(key) {
                out.push(k.to_string());
            }
        }
        out
    }

    /// `pack` is the pack that holds the crosswalk (targets into it are
    /// record ids).
    pub fn targets(&self, pack: &Pack<'_>, source: &str) -> Result<Option<Vec<CrosswalkTarget>>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "XWLK", detail };
        let Some(value) = self.sources.get(source) else { return Ok(None) };
        if value & 1 == 1 {
            // A single target kept in the map: (record id + 1) << 8 | flags.
            let v = value >> 1;
            let code = match v >> 8 {
                0 => String::new(),
                id => pack.code(u32::try_from(id - 1).map_err(|_| corrupt("target record out of range"))?)?,
            };
            let flags = (v & 0xFF) as u8 & !format::XW_HAS_SCENARIO;
            return Ok(Some(vec![CrosswalkTarget { code, flags, scenario: 0, choice: 0, via: None }]));
        }
        let mut pos = usize::try_from(value >> 1).map_err(|_| corrupt("offset out of range"))?;
        let d = self.data;
        let n = varint::read_u32(d, &mut pos).ok_or_else(|| corrupt("list truncated"))?;
        if n as usize > d.len() {
            return Err(corrupt("list longer than the section"));
        }
        let mut out: Vec<CrosswalkTarget> = Vec::with_capacity(n as usize);
        let mut number = 0u64;
        for _ in 0..n {
            let (code, flags) = match self.direction {
                CrosswalkDirection::To => {
                    let v = varint::read(d, &mut pos).ok_or_else(|| corrupt("target truncated"))?;
                    let code = match v >> 8 {
                        0 => String::new(),
                        id => {
                            let id = u32::try_from(id - 1).map_err(|_| corrupt("target record out of range"))?;
                            pack.code(id)?
                        }
                    };
                    (code, (v & 0xFF) as u8)
                }
                CrosswalkDirection::From => {
                    let zigzag = varint::read(d, &mut pos).ok_or_else(|| corrupt("target truncated"))?;
                    let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
                    number = number.checked_add_signed(delta).ok_or_else(|| corrupt("target out of range"))?;
                    let mut code = format::number_to_code(number).ok_or_else(|| corrupt("target is not a code"))?;
                    let dot = self.dot_after as usize;
                    if dot > 0 && code.len() > dot {
                        code.insert(dot, '.');
                    }
                    let flags = *d.get(pos).ok_or_else(|| corrupt("flags truncated"))?;
                    pos += 1;
                    (code, flags)
                }
            };
            let (mut scenario, mut choice) = (0, 0);
            if flags & format::XW_HAS_SCENARIO != 0 {
                scenario = *d.get(pos).ok_or_else(|| corrupt("scenario truncated"))?;
                choice = *d.get(pos + 1).ok_or_else(|| corrupt("choice truncated"))?;
                pos += 2;
            }
            let mut via = None;
            if flags & format::XW_REFINED != 0 {
                let len = varint::read_u32(d, &mut pos).ok_or_else(|| corrupt("refined target truncated"))? as usize;
                let v = d.get(pos..pos.saturating_add(len)).ok_or_else(|| corrupt("refined target truncated"))?;
                pos += len;
                via = Some(std::str::from_utf8(v).map_err(|_| corrupt("refined target is not UTF-8"))?.to_string());
            }
            out.push(CrosswalkTarget { code, flags: flags & !format::XW_HAS_SCENARIO, scenario, choice, via });
        }
        Ok(Some(out))
    }
}

/// The `RECS` columns (see [`format::ROW_BLOCK`]).
#[derive(Debug, Clone, Copy)]
struct Rows<'a> {
    count: u32,
    /// u32 per row: parent distance, kind, flags.
    words: &'a [u8],
    /// u32 `TEXT` offset of every `ROW_BLOCK`-th entry, and the end.
    block_starts: &'a [u8],
    /// u16 length per entry.
    lengths: &'a [u8],
}

impl<'a> Rows<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Rows<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "RECS", detail };
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no row count"))?;
        let n = count as usize;
        let blocks = n.div_ceil(format::ROW_BLOCK as usize) + 1;
        let words_end = 4usize.checked_add(n.checked_mul(4).ok_or_else(|| corrupt("row count too large"))?);
        let starts_end = words_end.and_then(|w| w.checked_add(blocks * 4));
        let lengths_end = starts_end.and_then(|s| s.checked_add(n * 2));
        let (Some(words_end), Some(starts_end), Some(lengths_end)) = (words_end, starts_end, lengths_end) else {
            return Err(corrupt("row count too large"));
        };
        if lengths_end != bytes.len() {
            return Err(corrupt("length does not match the row count"));
        }
        Ok(Rows {
            count,
            words: &bytes[4..words_end],
            block_starts: &bytes[words_end..starts_end],
            lengths: &bytes[starts_end..lengths_end],
        })
    }

    /// Where row `index`'s entry starts in `TEXT`: its block's start plus the
    /// lengths of the entries before it in the block.
    fn entry_offset(&self, index: u32) -> Result<u32, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "RECS", detail };
        let block = index / format::ROW_BLOCK;
        let mut offset = read_u32(self.block_starts, block as usize * 4).ok_or_else(|| corrupt("row out of range"))?;
        for i in block * format::ROW_BLOCK..index {
            let at = i as usize * 2;
            let len = self.lengths.get(at..at + 2).ok_or_else(|| corrupt("row out of range"))?;
            offset = offset
                .checked_add(u32::from(u16::from_le_bytes([len[0], len[1]])))
                .ok_or_else(|| corrupt("entry offset overflows"))?;
        }
        Ok(offset)
    }
}

/// One section as listed in the section table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionInfo {
    pub tag: [u8; 4],
    pub offset: u32,
    pub len: u32,
}

impl SectionInfo {
    /// The tag as text (`"RECS"`).
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&self.tag).into_owned()
    }
}

/// How composed codes are formed, for the whole pack (the `LABL` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComposeRule {
    /// [`format::COMPOSE_SEVENTH`] or [`format::COMPOSE_AXES`] (0: none).
    pub style: u8,
    /// Seventh character: the header's code is padded to this many
    /// characters...
    pub pad_to: u8,
    /// ...with this placeholder (`X`) before the label's character is added.
    pub placeholder: u8,
    /// The display form has a dot after this many characters (0 = none).
    pub dot_after: u8,
    /// The words of the labels are posted to their headers in the term
    /// dictionary (field `ChildLabel`), so that a word found only in a label
    /// still finds the header.
    pub labels_posted: bool,
}

/// A table of length-prefixed entries: `count`, `count + 1` offsets, data.
#[derive(Debug, Clone, Copy)]
struct Table<'a> {
    count: u32,
    offsets: &'a [u8],
    data: &'a [u8],
}

impl<'a> Table<'a> {
    fn parse(section: &'static str, bytes: &'a [u8]) -> Result<Table<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no entry count"))?;
        let offsets_len = (count as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| corrupt("entry count overflows"))?;
        let offsets = bytes.get(4..4 + offsets_len).ok_or_else(|| corrupt("offset table truncated"))?;
        let data = &bytes[4 + offsets_len..];
        let table = Table { count, offsets, data };
        if table.offset(count) != Some(data.len()) {
            return Err(corrupt("last offset does not end the data"));
        }
        Ok(table)
    }

    fn offset(&self, i: u32) -> Option<usize> {
        read_u32(self.offsets, i as usize * 4).map(|v| v as usize)
    }

    fn entry(&self, i: u32) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        let start = self.offset(i)?;
        let end = self.offset(i + 1)?;
        self.data.get(start..end)
    }
}

/// The `CMPD` bit vector: which record ids are composed, with a rank
/// directory so that a stored record's row is found in constant time.
#[derive(Debug, Clone, Copy)]
struct Composed<'a> {
    words: &'a [u8],
    ranks: &'a [u8],
}

impl Composed<'_> {
    fn word(&self, i: usize) -> u64 {
        self.words
            .get(i * 8..i * 8 + 8)
            .map_or(0, |b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }

    fn get(&self, id: u32) -> bool {
        self.word(id as usize / 64) & (1 << (id % 64)) != 0
    }

    /// Stored (not composed) records before `id`.
    fn rank0(&self, id: u32) -> u32 {
        let w = id as usize / 64;
        let block = w / format::RANK_BLOCK_WORDS;
        let mut r = read_u32(self.ranks, block * 4).unwrap_or(0);
        for k in block * format::RANK_BLOCK_WORDS..w {
            r += (!self.word(k)).count_ones();
        }
        let below = (1u64 << (id % 64)) - 1;
        r + (!self.word(w) & below).count_ones()
    }

    /// The id of stored record number `n` (the position of the `n`-th
    /// clear bit), found by binary search over the rank samples.
    fn select0(&self, n: u32, word_count: usize) -> Option<u32> {
        let (mut lo, mut hi) = (0usize, word_count);
        // Last word whose sample (stored records before it) is <= n.
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if read_u32(self.ranks, mid * 4)? <= n {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut left = n - read_u32(self.ranks, lo * 4)?;
        let mut zeros = !self.word(lo);
        while zeros != 0 {
            let bit = zeros.trailing_zeros();
            if left == 0 {
                return Some(lo as u32 * 64 + bit);
            }
            left -= 1;
            zeros &= zeros - 1;
        }
        None
    }
}

/// The `WORD` piece dictionary: sampled offsets, length-prefixed pieces.
#[derive(Debug, Clone, Copy)]
struct Words<'a> {
    count: u32,
    samples: &'a [u8],
    data: &'a [u8],
}

/// An open pack.
#[derive(Clone)]
pub struct Pack<'a> {
    bytes: &'a [u8],
    header_len: usize,
    system: &'static CodeSystem,
    release: &'a str,
    record_count: u32,
    billable_count: u32,
    section_table: &'a [u8],
    meta: &'a [u8],
    rows: Rows<'a>,
    stored_count: u32,
    composed: Option<Composed<'a>>,
    codes: fst::Map<&'a [u8]>,
    words: Words<'a>,
    text: &'a [u8],
    labels: Table<'a>,
    label_sets: Table<'a>,
    compose: ComposeRule,
    terms: fst::Map<&'a [u8]>,
    postings: &'a [u8],
    /// `TRMD`: (record id, date) pairs, 8 bytes each; empty when absent.
    terminations: &'a [u8],
    /// The `XWLK` sections.
    crosswalks: Vec<Crosswalk<'a>>,
    /// The date the pack is read on (`YYYYMMDD`, 0 = unknown), for
    /// termination dates; see [`Pack::set_today`].
    today: u32,
    /// The 7th-character labels as words, read on first use by the search
    /// (a few hundred words, whatever the pack's size).
    label_words: std::sync::OnceLock<Result<Vec<LabelWords>, PackError>>,
}

/// The words of one 7th-character label, as the search compares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelWords {
    pub tokens: Vec<crate::normalize::Token>,
    /// The term key of each token.
    pub keys: Vec<String>,
}

impl std::fmt::Debug for Pack<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pack")
            .field("system", &self.system.id)
            .field("release", &self.release)
            .field("records", &self.record_count)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

fn read_u16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn read_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Longest text a single entry may decode to; guards against corrupt
/// counts that would make one string enormous.
const MAX_PIECES: u64 = 4096;

impl<'a> Pack<'a> {
    /// Opens a pack: checks magic, version, length, checksum, header fields,
    /// the section table and the headers of the sections it needs.
    pub fn open(bytes: &'a [u8]) -> Result<Pack<'a>, PackError> {
        if bytes.len() < format::FIXED_HEADER_LEN {
            if bytes.len() >= 8 && bytes[..8] != format::MAGIC {
                return Err(PackError::BadMagic);
            }
            return Err(PackError::TooShort { len: bytes.len() });
        }
        if bytes[..8] != format::MAGIC {
            return Err(PackError::BadMagic);
        }
        let version = read_u16(bytes, 8).unwrap_or(0);
        if version != format::FORMAT_VERSION {
            return Err(PackError::UnsupportedVersion { found: version, supported: format::FORMAT_VERSION });
        }
        let declared = read_u32(bytes, 16).unwrap_or(0) as u64;
        if declared != bytes.len() as u64 {
            return Err(PackError::LengthMismatch { declared, actual: bytes.len() });
        }
        let stored = read_u32(bytes, 12).unwrap_or(0);
        let computed = crc32fast::hash(&bytes[format::CHECKSUM_START..]);
        if stored != computed {
            return Err(PackError::ChecksumMismatch { stored, computed });
        }

        let header_len = read_u16(bytes, 10).unwrap_or(0) as usize;
        let system_raw = &bytes[20..28];
        let system_id_len = system_raw.iter().position(|&b| b == 0).unwrap_or(8);
        let system_id = std::str::from_utf8(&system_raw[..system_id_len])
            .map_err(|_| PackError::BadHeader("system id is not text"))?;
        let system = CodeSystem::from_id(system_id)
            .filter(|s| s.id == system_id)
            .ok_or_else(|| PackError::UnknownSystem(system_id.to_string()))?;
        let record_count = read_u32(bytes, 28).unwrap_or(0);
        let billable_count = read_u32(bytes, 32).unwrap_or(0);
        let release_len = read_u16(bytes, 36).unwrap_or(0) as usize;
        let section_count = read_u16(bytes, 38).unwrap_or(0) as usize;
        if release_len > format::MAX_RELEASE_LEN {
            return Err(PackError::BadHeader("release label too long"));
        }
        if record_count as usize > format::MAX_RECORDS || billable_count > record_count {
            return Err(PackError::BadHeader("record counts out of range"));
        }
        let table_start = align4(format::FIXED_HEADER_LEN + release_len);
        let expected_header_len = table_start + section_count * format::SECTION_ENTRY_LEN;
        if header_len != expected_header_len || header_len > bytes.len() {
            return Err(PackError::BadHeader("header length does not match its fields"));
        }
        let release = std::str::from_utf8(&bytes[format::FIXED_HEADER_LEN..format::FIXED_HEADER_LEN + release_len])
            .map_err(|_| PackError::BadHeader("release label is not UTF-8"))?;
        let section_table = &bytes[table_start..header_len];

        let mut pack_sections = Sections { bytes, header_len, table: section_table };
        let meta = pack_sections.get(tag::META, "META")?;
        let rows = pack_sections.get(tag::RECORDS, "RECS")?;
        let codes = pack_sections.get(tag::CODES, "CODE")?;
        let words = pack_sections.get(tag::WORDS, "WORD")?;
        let text = pack_sections.get(tag::TEXT, "TEXT")?;
        let labels = pack_sections.get(tag::LABELS, "LABL")?;
        let label_sets = pack_sections.get(tag::LABEL_SETS, "LSET")?;
        let terminations = match pack_sections.get(tag::TERMINATIONS, "TRMD") {
            Ok(t) => {
                let n = read_u32(t, 0).ok_or(PackError::Corrupt { section: "TRMD", detail: "no count" })? as usize;
                t.get(4..4 + n.saturating_mul(8))
                    .ok_or(PackError::Corrupt { section: "TRMD", detail: "shorter than its count" })?
            }
            Err(PackError::MissingSection(_)) => &[][..],
            Err(e) => return Err(e),
        };
        let crosswalks = pack_sections
            .get_all(tag::CROSSWALK, "XWLK")?
            .into_iter()
            .map(Crosswalk::parse)
            .collect::<Result<Vec<_>, _>>()?;
        let composed = match pack_sections.get(tag::COMPOSED, "CMPD") {
            Ok(c) => Some(c),
            Err(PackError::MissingSection(_)) => None,
            Err(e) => return Err(e),
        };
        let terms = pack_sections.get(tag::TERMS, "TERM")?;
        let postings = pack_sections.get(tag::POSTINGS, "POST")?;

        let rows = Rows::parse(rows)?;
        let stored_count = rows.count;
        let composed = match composed {
            Some(c) => Some(parse_composed(c, record_count, stored_count)?),
            None if stored_count == record_count => None,
            None => {
                return Err(PackError::Corrupt {
                    section: "RECS",
                    detail: "fewer rows than records and no CMPD section",
                })
            }
        };
        validate_meta(meta)?;
        let words = parse_words(words)?;
        let label_sets = Table::parse("LSET", label_sets)?;
        if labels.len() < 4 {
            return Err(PackError::Corrupt { section: "LABL", detail: "no compose rule" });
        }
        let compose = ComposeRule {
            style: labels[0],
            pad_to: labels[1],
            placeholder: labels[2],
            dot_after: labels[3] & 0x7F,
            labels_posted: labels[3] & 0x80 != 0,
        };
        if compose.style > format::COMPOSE_AXES {
            return Err(PackError::Corrupt { section: "LABL", detail: "unknown composition style" });
        }
        if !compose.placeholder.is_ascii_alphanumeric() && compose.placeholder != 0 {
            return Err(PackError::Corrupt { section: "LABL", detail: "placeholder is not a letter or digit" });
        }
        let labels = Table::parse("LABL", &labels[4..])?;
        let codes = open_fst(codes, "CODE")?;
        let terms = open_fst(terms, "TERM")?;

        Ok(Pack {
            bytes,
            header_len,
            system,
            release,
            record_count,
            billable_count,
            section_table,
            meta,
            rows,
            stored_count,
            composed,
            codes,
            words,
            text,
            labels,
            label_sets,
            compose,
            terms,
            postings,
            terminations,
            crosswalks,
            today: 0,
            label_words: std::sync::OnceLock::new(),
        })
    }

    /// The words of every 7th-character label (see [`LabelWords`]).
    pub fn label_words(&self) -> Result<&[LabelWords], PackError> {
        let words = self.label_words.get_or_init(|| {
            (0..self.labels.count)
                .map(|l| {
                    let (_, text) = self.label(l)?;
                    let tokens = crate::normalize::tokens(&text);
                    let keys = tokens.iter().map(|t| crate::normalize::term_key(&t.folded)).collect();
                    Ok(LabelWords { tokens, keys })
                })
                .collect()
        });
        words.as_deref().map_err(Clone::clone)
    }

    /// The code system of this pack.
    pub fn system(&self) -> &'static CodeSystem {
        self.system
    }

    /// The release label (`FY2026 (April 1, 2026 update)`).
    pub fn release(&self) -> &'a str {
        self.release
    }

    /// Number of records (every chapter, section, header and code).
    pub fn record_count(&self) -> u32 {
        self.record_count
    }

    /// Number of billable codes.
    pub fn billable_count(&self) -> u32 {
        self.billable_count
    }

    /// Size of the pack in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The sections as listed in the section table, in file order.
    pub fn sections(&self) -> Vec<SectionInfo> {
        self.section_table
            .chunks_exact(format::SECTION_ENTRY_LEN)
            .map(|e| SectionInfo {
                tag: [e[0], e[1], e[2], e[3]],
                offset: u32::from_le_bytes([e[4], e[5], e[6], e[7]]),
                len: u32::from_le_bytes([e[8], e[9], e[10], e[11]]),
            })
            .collect()
    }

    /// Bytes of the header (fixed part, release label, section table).
    pub fn header_len(&self) -> usize {
        self.header_len
    }

    /// The META entries, in stored order.
    pub fn meta(&self) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        let _ = walk_meta(self.meta, |k, v| out.push((k, v)));
        out
    }

    /// One META value.
    pub fn meta_value(&self, key: &str) -> Option<&'a str> {
        let mut found = None;
        let _ = walk_meta(self.meta, |k, v| {
            if k == key && found.is_none() {
                found = Some(v);
            }
        });
        found
    }

    /// The crosswalks this pack holds.
    pub fn crosswalks(&self) -> &[Crosswalk<'a>] {
        &self.crosswalks
    }

    /// The termination date (`YYYYMMDD`) of record `id`, if it has one.
    pub fn terminated_on(&self, id: u32) -> Option<u32> {
        let n = self.terminations.len() / 8;
        let at = |i: usize| read_u32(self.terminations, i * 8).unwrap_or(u32::MAX);
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match at(mid).cmp(&id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return read_u32(self.terminations, mid * 8 + 4),
            }
        }
        None
    }

    /// Sets the date (`YYYYMMDD`) the pack is read on. A code whose
    /// termination date is before it is terminated and not billable. Until
    /// it is set (0), every code with a termination date counts as
    /// terminated, so that a code is never offered as billable on a guess.
    /// (The reader never asks the clock itself: `wasm32-unknown-unknown`
    /// has none.)
    pub fn set_today(&mut self, yyyymmdd: u32) {
        self.today = yyyymmdd;
    }

    /// The date set by [`Pack::set_today`] (0 = unknown).
    pub fn today(&self) -> u32 {
        self.today
    }

    /// Whether record `id` is terminated on the pack's date.
    pub fn is_terminated(&self, id: u32) -> bool {
        if self.terminations.is_empty() {
            return false;
        }
        self.terminated_on(id).is_some_and(|d| self.today == 0 || d < self.today)
    }

    /// Whether record `id` is billable on the pack's date.
    pub fn is_billable(&self, id: u32) -> Result<bool, PackError> {
        Ok(self.row(id)?.billable && !self.is_terminated(id))
    }

    /// Whether record `id` is composed (a 7th-character code).
    pub fn is_composed(&self, id: u32) -> bool {
        id < self.record_count && self.composed.is_some_and(|c| c.get(id))
    }

    /// The row of record `id`.
    pub fn row(&self, id: u32) -> Result<Row, PackError> {
        if id >= self.record_count {
            return Err(PackError::RecordOutOfRange { id, count: self.record_count });
        }
        let Some(bits) = self.composed else {
            return self.stored_row(id, id);
        };
        if !bits.get(id) {
            return self.stored_row(id, bits.rank0(id));
        }
        // A composed record: its header is the stored record before its run.
        let corrupt = |detail| PackError::Corrupt { section: "CMPD", detail };
        let stored_before = bits.rank0(id);
        let header = stored_before
            .checked_sub(1)
            .and_then(|n| bits.select0(n, self.record_count.div_ceil(64) as usize))
            .filter(|&h| h < id)
            .ok_or_else(|| corrupt("a composed record has no header"))?;
        let header_row = self.stored_row(header, stored_before - 1)?;
        if !header_row.has_label_set {
            return Err(corrupt("a composed record's header has no composition"));
        }
        Ok(Row {
            parent: Some(header),
            kind: Kind::Code,
            billable: true,
            composed: true,
            has_notes: false,
            has_label_set: false,
            title_shared: false,
            payload: id - header - 1,
        })
    }

    fn stored_row(&self, id: u32, index: u32) -> Result<Row, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "RECS", detail };
        if index >= self.stored_count {
            return Err(corrupt("row out of range"));
        }
        let w0 = read_u32(self.rows.words, index as usize * 4).ok_or_else(|| corrupt("row out of range"))?;
        let distance = w0 & format::PARENT_MASK;
        let parent = match distance {
            0 => None,
            d => Some(id.checked_sub(d).ok_or_else(|| corrupt("a parent does not precede its child"))?),
        };
        let kind =
            Kind::from_u8(((w0 >> format::KIND_SHIFT) & 0xF) as u8).ok_or_else(|| corrupt("unknown record kind"))?;
        Ok(Row {
            parent,
            kind,
            billable: w0 & format::FLAG_BILLABLE != 0,
            composed: false,
            has_notes: w0 & format::FLAG_HAS_NOTES != 0,
            has_label_set: w0 & format::FLAG_LABEL_SET != 0,
            title_shared: w0 & format::FLAG_TITLE_SHARED != 0,
            payload: self.rows.entry_offset(index)?,
        })
    }

    /// The composition of a header: rows of axes of labels.
    fn composition_entry(&self, row: &Row) -> Result<&'a [u8], PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "LSET", detail };
        if !row.has_label_set {
            return Err(corrupt("a composed record's header has no composition"));
        }
        let mut pos = row.payload as usize;
        let set = varint::read_u32(self.text, &mut pos).ok_or_else(|| corrupt("composition id truncated"))?;
        self.label_sets.entry(set).ok_or_else(|| corrupt("composition id out of range"))
    }

    /// The composition of header `id`: for each row, for each axis, its
    /// labels. The header's composed children are, row after row, every
    /// combination of one label per axis (the last axis varying fastest).
    pub fn composition(&self, row: &Row) -> Result<Composition, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "LSET", detail };
        let entry = self.composition_entry(row)?;
        let mut pos = 0;
        let read = |pos: &mut usize| varint::read_u32(entry, pos).ok_or_else(|| corrupt("composition truncated"));
        let rows = read(&mut pos)?;
        let mut out = Vec::with_capacity(rows.min(64) as usize);
        for _ in 0..rows {
            let axes = read(&mut pos)?;
            if axes == 0 || axes > 8 {
                return Err(corrupt("a composition row has no or too many axes"));
            }
            let mut row_axes = Vec::with_capacity(axes as usize);
            for _ in 0..axes {
                let n = read(&mut pos)?;
                if n == 0 || n as usize > entry.len() {
                    return Err(corrupt("an axis has no labels"));
                }
                let mut labels = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    let l = read(&mut pos)?;
                    if l >= self.labels.count {
                        return Err(corrupt("label index out of range"));
                    }
                    labels.push(l);
                }
                row_axes.push(labels);
            }
            out.push(row_axes);
        }
        Ok(out)
    }

    /// How many composed children a composition makes.
    fn composition_size(rows: &[Vec<Vec<u32>>]) -> u64 {
        rows.iter().map(|axes| axes.iter().map(|a| a.len() as u64).product::<u64>()).sum()
    }

    /// The labels (one per axis) of composed child number `k`.
    pub fn composition_child(rows: &[Vec<Vec<u32>>], k: u32) -> Option<Vec<u32>> {
        let mut k = u64::from(k);
        for axes in rows {
            let size: u64 = axes.iter().map(|a| a.len() as u64).product();
            if k >= size {
                k -= size;
                continue;
            }
            let mut labels = vec![0; axes.len()];
            for (i, axis) in axes.iter().enumerate().rev() {
                let n = axis.len() as u64;
                labels[i] = axis[(k % n) as usize];
                k /= n;
            }
            return Some(labels);
        }
        None
    }

    /// The labels of composed record `id` (one per axis), with its header.
    pub fn composed_labels(&self, id: u32) -> Result<(u32, Vec<u32>), PackError> {
        let row = self.row(id)?;
        let header = match (row.composed, row.parent) {
            (true, Some(h)) => h,
            _ => return Err(PackError::Corrupt { section: "CMPD", detail: "not a composed record" }),
        };
        let entry = self.composition_entry(&self.row(header)?)?;
        Ok((header, self.child_labels(entry, row.payload)?))
    }

    /// The labels of composed child number `k` of a composition, read in
    /// place: ranking and decoding ask this for thousands of children, so it
    /// walks the encoded rows instead of building [`Pack::composition`].
    fn child_labels(&self, entry: &[u8], k: u32) -> Result<Vec<u32>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "LSET", detail };
        let read = |pos: &mut usize| varint::read_u32(entry, pos).ok_or_else(|| corrupt("composition truncated"));
        let mut pos = 0;
        let rows = read(&mut pos)?;
        let mut k = u64::from(k);
        for _ in 0..rows {
            let axes = read(&mut pos)? as usize;
            if axes == 0 || axes > 8 {
                return Err(corrupt("a composition row has no or too many axes"));
            }
            let start = pos;
            let mut lens = [0u64; 8];
            let mut size = 1u64;
            for len in lens.iter_mut().take(axes) {
                let n = read(&mut pos)?;
                if n == 0 || n as usize > entry.len() {
                    return Err(corrupt("an axis has no labels"));
                }
                *len = u64::from(n);
                size = size.saturating_mul(u64::from(n));
                for _ in 0..n {
                    read(&mut pos)?;
                }
            }
            if k >= size {
                k -= size;
                continue;
            }
            // The last axis varies fastest.
            let mut chosen = [0u64; 8];
            for a in (0..axes).rev() {
                chosen[a] = k % lens[a];
                k /= lens[a];
            }
            let mut labels = Vec::with_capacity(axes);
            let mut pos = start;
            for &want in chosen.iter().take(axes) {
                let n = read(&mut pos)?;
                for j in 0..u64::from(n) {
                    let l = read(&mut pos)?;
                    if j == want {
                        if l >= self.labels.count {
                            return Err(corrupt("label index out of range"));
                        }
                        labels.push(l);
                    }
                }
            }
            return Ok(labels);
        }
        Err(corrupt("fewer combinations than composed records"))
    }

    /// The composed children of record `id`: `(first child id, composition)`;
    /// the children are the ids that follow `id`, one per combination.
    pub fn composed_children(&self, id: u32) -> Result<Option<(u32, Composition)>, PackError> {
        self.composed_children_of(id, &self.row(id)?)
    }

    /// [`Pack::composed_children`] for a row already read.
    pub fn composed_children_of(&self, id: u32, row: &Row) -> Result<Option<(u32, Composition)>, PackError> {
        if !row.has_label_set {
            return Ok(None);
        }
        let rows = self.composition(row)?;
        let n = Self::composition_size(&rows);
        let last = u64::from(id) + n;
        if n == 0 || last >= u64::from(self.record_count) || !self.is_composed(id + 1) || !self.is_composed(last as u32)
        {
            return Err(PackError::Corrupt { section: "CMPD", detail: "a header's composed children are missing" });
        }
        Ok(Some((id + 1, rows)))
    }

    /// Number of composed children of a header row (0 for any other row).
    pub fn composed_count(&self, row: &Row) -> Result<u32, PackError> {
        if !row.has_label_set {
            return Ok(0);
        }
        u32::try_from(Self::composition_size(&self.composition(row)?))
            .map_err(|_| PackError::Corrupt { section: "LSET", detail: "composition too large" })
    }

    /// The first record at or after `id` that is not composed.
    fn next_stored(&self, mut id: u32) -> u32 {
        while id < self.record_count && self.is_composed(id) {
            id += 1;
        }
        id
    }

    /// Where a stored record's code part begins in `TEXT`.
    fn entry_start(&self, row: &Row) -> Result<usize, PackError> {
        let mut pos = row.payload as usize;
        if row.has_label_set {
            varint::read(self.text, &mut pos)
                .ok_or(PackError::Corrupt { section: "TEXT", detail: "label set id truncated" })?;
        }
        Ok(pos)
    }

    /// The record id of a normalized code (`E119`, see
    /// [`crate::normalize::normalize_code`]).
    pub fn find_code(&self, normalized: &str) -> Option<u32> {
        self.codes.get(normalized).and_then(|v| u32::try_from(v).ok()).filter(|&id| id < self.record_count)
    }

    /// Normalized codes starting with `prefix`, in code order, at most
    /// `limit` of them, as `(normalized code, record id)`.
    pub fn codes_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, u32)> {
        let automaton = fst::automaton::Str::new(prefix);
        let mut stream = self.codes.search(fst::Automaton::starts_with(automaton)).into_stream();
        let mut out = Vec::new();
        while let Some((key, value)) = stream.next() {
            if out.len() >= limit {
                break;
            }
            if let (Ok(k), Ok(id)) = (std::str::from_utf8(key), u32::try_from(value)) {
                if id < self.record_count {
                    out.push((k.to_string(), id));
                }
            }
        }
        out
    }

    /// Whether any code starts with `prefix` (normalized).
    pub fn has_code_prefix(&self, prefix: &str) -> bool {
        let automaton = fst::automaton::Str::new(prefix);
        let mut stream = self.codes.search(fst::Automaton::starts_with(automaton)).into_stream();
        stream.next().is_some()
    }

    /// The official (display) form of the code of record `id` (`E11.9`).
    pub fn code(&self, id: u32) -> Result<String, PackError> {
        // Codes are front-coded against the parent's code, so decode the
        // chain from the top down. Chains are short (at most ~8 levels).
        let mut chain = Vec::with_capacity(8);
        let mut cur = Some(id);
        while let Some(c) = cur {
            if chain.len() > 64 {
                return Err(PackError::Corrupt { section: "RECS", detail: "parent chain too long" });
            }
            chain.push(c);
            cur = self.row(c)?.parent;
        }
        let mut code = String::new();
        for &c in chain.iter().rev() {
            let row = self.row(c)?;
            if row.composed {
                let (_, labels) = self.composed_labels(c)?;
                code = self.compose_code(&code, &labels)?;
            } else {
                let (shared, suffix) = self.code_part(&row)?;
                if shared > code.len() || !code.is_char_boundary(shared) {
                    return Err(PackError::Corrupt {
                        section: "TEXT",
                        detail: "code prefix longer than the parent's code",
                    });
                }
                code.truncate(shared);
                code.push_str(suffix);
            }
        }
        Ok(code)
    }

    /// The normalized form of the code of record `id` (`E119`).
    pub fn normalized_code(&self, id: u32) -> Result<String, PackError> {
        Ok(self.code(id)?.chars().filter(|c| *c != '.').collect())
    }

    fn compose_code(&self, parent_code: &str, labels: &[u32]) -> Result<String, PackError> {
        let mut normalized: String = parent_code.chars().filter(|c| *c != '.').collect();
        if self.compose.style == format::COMPOSE_SEVENTH {
            while normalized.len() < self.compose.pad_to as usize {
                normalized.push(self.compose.placeholder as char);
            }
        }
        for &l in labels {
            normalized.push(self.label_char(l)?);
        }
        let dot = self.compose.dot_after as usize;
        if dot > 0 && normalized.len() > dot && normalized.is_char_boundary(dot) {
            normalized.insert(dot, '.');
        }
        Ok(normalized)
    }

    /// The title of record `id`, as the code book prints it.
    pub fn title(&self, id: u32) -> Result<String, PackError> {
        let row = self.row(id)?;
        if row.composed {
            let (header, labels) = self.composed_labels(id)?;
            let label_texts = labels.iter().map(|&l| self.label(l)).collect::<Result<Vec<_>, _>>()?;
            if self.compose.style == format::COMPOSE_AXES {
                let chain = self.ancestry(header)?;
                let heads = chain.iter().map(|&a| self.title(a)).collect::<Result<Vec<_>, _>>()?;
                return Ok(crate::pcs::compose_title(&self.code(header)?, &heads, &label_texts));
            }
            let mut title = self.title(header)?;
            for (_, text) in label_texts {
                title.push_str(", ");
                title.push_str(&text);
            }
            return Ok(title);
        }
        self.stored_title(&row, 0)
    }

    /// A stored record's title: the first `shared` words of its parent's
    /// title (decoded up the chain), then its own words.
    fn stored_title(&self, row: &Row, depth: u32) -> Result<String, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "TEXT", detail };
        let mut pos = self.skip_code_part(row)?;
        varint::read(self.text, &mut pos).ok_or_else(|| corrupt("title truncated"))?;
        let shared = if row.title_shared {
            varint::read(self.text, &mut pos).ok_or_else(|| corrupt("title truncated"))?
        } else {
            0
        };
        let own = self.decode_text(self.text, &mut pos, "TEXT")?;
        if shared == 0 {
            return Ok(own);
        }
        if depth > 64 {
            return Err(corrupt("title chain too long"));
        }
        let parent = row.parent.ok_or_else(|| corrupt("a title shares words with a missing parent"))?;
        let parent_row = self.row(parent)?;
        if parent_row.composed {
            return Err(corrupt("a title shares words with a composed parent"));
        }
        let parent_title = self.stored_title(&parent_row, depth + 1)?;
        let mut words = parent_title.split(' ');
        let mut title = String::with_capacity(parent_title.len() + own.len() + 1);
        for i in 0..shared {
            let word = words.next().ok_or_else(|| corrupt("a title shares more words than its parent has"))?;
            if i > 0 {
                title.push(' ');
            }
            title.push_str(word);
        }
        if !own.is_empty() {
            title.push(' ');
            title.push_str(&own);
        }
        Ok(title)
    }

    /// Number of content words in the title of record `id` (not stop
    /// words, not "unspecified"-like words; see
    /// [`crate::normalize::content_words`]), read without decoding the title.
    pub fn content_words(&self, id: u32) -> Result<u32, PackError> {
        let row = self.row(id)?;
        if row.composed {
            let (header, labels) = self.composed_labels(id)?;
            let mut n = self.content_words(header)?;
            for l in labels {
                n = n.saturating_add(self.label_content_words(l)?);
            }
            return Ok(n);
        }
        let mut pos = self.skip_code_part(&row)?;
        varint::read_u32(self.text, &mut pos).ok_or(PackError::Corrupt { section: "TEXT", detail: "title truncated" })
    }

    /// The notes of record `id` (its own, not its ancestors'), in book order.
    pub fn notes(&self, id: u32) -> Result<Vec<(NoteKind, String)>, PackError> {
        let row = self.row(id)?;
        if row.composed {
            let (_, labels) = self.composed_labels(id)?;
            let mut notes = Vec::new();
            for l in labels {
                notes.extend(self.label_notes(l)?);
            }
            return Ok(notes);
        }
        if !row.has_notes {
            return Ok(Vec::new());
        }
        let mut pos = self.skip_code_part(&row)?;
        for _ in 0..1 + u8::from(row.title_shared) {
            // content words, and the count of words shared with the parent
            varint::read(self.text, &mut pos)
                .ok_or(PackError::Corrupt { section: "TEXT", detail: "title truncated" })?;
        }
        self.skip_text(self.text, &mut pos, "TEXT")?;
        self.decode_notes(self.text, &mut pos, "TEXT")
    }

    /// The children of record `id` in book order; `None` lists the top level.
    pub fn children(&self, id: Option<u32>) -> Result<Vec<u32>, PackError> {
        if let Some(p) = id {
            let row = self.row(p)?;
            if row.has_label_set {
                let first = p + 1;
                return Ok((first..first + self.composed_count(&row)?).collect());
            }
        }
        // Records are stored in pre-order, so the children of `id` follow it
        // and its subtree ends at the first record whose parent precedes it.
        // Runs of composed records belong to the header before them and are
        // skipped whole.
        let mut out = Vec::new();
        let mut j = match id {
            Some(p) => p + 1,
            None => 0,
        };
        loop {
            j = self.next_stored(j);
            if j >= self.record_count {
                break;
            }
            let parent = self.row(j)?.parent;
            match (parent, id) {
                (p, q) if p == q => out.push(j),
                (Some(p), Some(q)) if p < q => break,
                (None, Some(_)) => break,
                _ => {}
            }
            j += 1;
        }
        Ok(out)
    }

    /// Whether record `id` has children.
    pub fn has_children(&self, id: u32) -> Result<bool, PackError> {
        if id.saturating_add(1) >= self.record_count {
            return Ok(false);
        }
        Ok(self.row(id + 1)?.parent == Some(id))
    }

    /// The ids from the top level down to `id` (inclusive).
    pub fn ancestry(&self, id: u32) -> Result<Vec<u32>, PackError> {
        let mut chain = vec![id];
        let mut cur = self.row(id)?.parent;
        while let Some(c) = cur {
            if chain.len() > 64 {
                return Err(PackError::Corrupt { section: "RECS", detail: "parent chain too long" });
            }
            chain.push(c);
            cur = self.row(c)?.parent;
        }
        chain.reverse();
        Ok(chain)
    }

    /// The end (exclusive) of the subtree rooted at `id`.
    pub fn subtree_end(&self, id: u32) -> Result<u32, PackError> {
        self.row(id)?;
        let mut j = id + 1;
        loop {
            j = self.next_stored(j);
            if j >= self.record_count {
                return Ok(self.record_count);
            }
            match self.row(j)?.parent {
                Some(p) if p >= id => j += 1,
                _ => return Ok(j),
            }
        }
    }

    /// Number of 7th-character labels.
    pub fn label_count(&self) -> u32 {
        self.labels.count
    }

    /// The rule that composes 7th-character codes.
    pub fn compose_rule(&self) -> ComposeRule {
        self.compose
    }

    fn label_char(&self, index: u32) -> Result<char, PackError> {
        let entry = self
            .labels
            .entry(index)
            .ok_or(PackError::Corrupt { section: "LABL", detail: "label index out of range" })?;
        match entry.first() {
            Some(&b) if b.is_ascii_alphanumeric() => Ok(b as char),
            _ => Err(PackError::Corrupt { section: "LABL", detail: "label character is not a letter or digit" }),
        }
    }

    /// Content words of label `index` (see [`Pack::content_words`]).
    pub fn label_content_words(&self, index: u32) -> Result<u32, PackError> {
        let entry = self
            .labels
            .entry(index)
            .ok_or(PackError::Corrupt { section: "LABL", detail: "label index out of range" })?;
        let mut pos = 1;
        varint::read_u32(entry, &mut pos).ok_or(PackError::Corrupt { section: "LABL", detail: "label truncated" })
    }

    /// Label `index`: its character and its text.
    pub fn label(&self, index: u32) -> Result<(char, String), PackError> {
        let ch = self.label_char(index)?;
        let entry = self
            .labels
            .entry(index)
            .ok_or(PackError::Corrupt { section: "LABL", detail: "label index out of range" })?;
        let mut pos = 1;
        varint::read(entry, &mut pos).ok_or(PackError::Corrupt { section: "LABL", detail: "label truncated" })?;
        let text = self.decode_text(entry, &mut pos, "LABL")?;
        Ok((ch, text))
    }

    fn label_notes(&self, index: u32) -> Result<Vec<(NoteKind, String)>, PackError> {
        let entry = self
            .labels
            .entry(index)
            .ok_or(PackError::Corrupt { section: "LABL", detail: "label index out of range" })?;
        let mut pos = 1;
        varint::read(entry, &mut pos).ok_or(PackError::Corrupt { section: "LABL", detail: "label truncated" })?;
        self.skip_text(entry, &mut pos, "LABL")?;
        self.decode_notes(entry, &mut pos, "LABL")
    }

    /// Looks up one term of the term dictionary.
    pub fn term(&self, key: &str) -> Option<TermRef> {
        self.terms.get(key).map(TermRef::from_value)
    }

    /// Calls `f` for every term starting with `prefix`, in term order, until
    /// `f` returns `false`.
    pub fn for_terms_with_prefix(&self, prefix: &str, mut f: impl FnMut(&str, TermRef) -> bool) {
        let automaton = fst::automaton::Str::new(prefix);
        let mut stream = self.terms.search(fst::Automaton::starts_with(automaton)).into_stream();
        while let Some((key, value)) = stream.next() {
            if let Ok(k) = std::str::from_utf8(key) {
                if !f(k, TermRef::from_value(value)) {
                    break;
                }
            }
        }
    }

    /// Number of terms in the term dictionary.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Appends the postings of `term` to `out`, in ascending record order.
    pub fn postings(&self, term: TermRef, out: &mut Vec<Posting>) -> Result<(), PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "POST", detail };
        let mut pos = usize::try_from(term.offset).map_err(|_| corrupt("offset out of range"))?;
        if pos >= self.postings.len() {
            return Err(corrupt("offset out of range"));
        }
        let count = varint::read(self.postings, &mut pos).ok_or_else(|| corrupt("count truncated"))?;
        if count > (self.postings.len() - pos) as u64 {
            return Err(corrupt("count larger than the section"));
        }
        out.reserve(count as usize);
        let mut id: u64 = 0;
        for i in 0..count {
            let v = varint::read(self.postings, &mut pos).ok_or_else(|| corrupt("entry truncated"))?;
            let delta = v >> format::POSTING_LOW_BITS;
            if i > 0 && delta == 0 {
                return Err(corrupt("record listed twice"));
            }
            id += delta;
            if id >= self.record_count as u64 {
                return Err(corrupt("record id out of range"));
            }
            out.push(Posting {
                id: id as u32,
                field: (v & ((1 << format::POSTING_FIELD_BITS) - 1)) as u8,
                in_context: v & format::POSTING_CONTEXT_BIT != 0,
                billable: v & format::POSTING_BILLABLE_BIT != 0,
            });
        }
        Ok(())
    }

    // ----- text entries -----

    fn code_part(&self, row: &Row) -> Result<(usize, &'a str), PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "TEXT", detail };
        let mut pos = self.entry_start(row)?;
        let shared = varint::read_u32(self.text, &mut pos).ok_or_else(|| corrupt("code truncated"))? as usize;
        let len = varint::read_u32(self.text, &mut pos).ok_or_else(|| corrupt("code truncated"))? as usize;
        let bytes = self.text.get(pos..pos.saturating_add(len)).ok_or_else(|| corrupt("code truncated"))?;
        let suffix = std::str::from_utf8(bytes).map_err(|_| corrupt("code is not UTF-8"))?;
        Ok((shared, suffix))
    }

    fn skip_code_part(&self, row: &Row) -> Result<usize, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "TEXT", detail };
        let mut pos = self.entry_start(row)?;
        varint::read_u32(self.text, &mut pos).ok_or_else(|| corrupt("code truncated"))?;
        let len = varint::read_u32(self.text, &mut pos).ok_or_else(|| corrupt("code truncated"))? as usize;
        let end = pos.saturating_add(len);
        if end > self.text.len() {
            return Err(corrupt("code truncated"));
        }
        Ok(end)
    }

    fn piece(&self, id: u32, section: &'static str) -> Result<&'a str, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "WORD", detail };
        if id >= self.words.count {
            return Err(PackError::Corrupt { section, detail: "word id out of range" });
        }
        let mut pos = read_u32(self.words.samples, (id / format::WORD_BLOCK) as usize * 4)
            .ok_or_else(|| corrupt("sample out of range"))? as usize;
        for _ in 0..id % format::WORD_BLOCK {
            let len = varint::read_u32(self.words.data, &mut pos).ok_or_else(|| corrupt("piece truncated"))?;
            pos = pos.saturating_add(len as usize);
        }
        let len = varint::read_u32(self.words.data, &mut pos).ok_or_else(|| corrupt("piece truncated"))? as usize;
        let bytes = self.words.data.get(pos..pos.saturating_add(len)).ok_or_else(|| corrupt("piece truncated"))?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("word is not UTF-8"))
    }

    fn decode_text(&self, stream: &[u8], pos: &mut usize, section: &'static str) -> Result<String, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        if n > MAX_PIECES {
            return Err(corrupt("text longer than any entry can be"));
        }
        let mut out = String::new();
        for i in 0..n {
            let id = varint::read_u32(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.piece(id, section)?);
        }
        Ok(out)
    }

    fn skip_text(&self, stream: &[u8], pos: &mut usize, section: &'static str) -> Result<(), PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        if n > MAX_PIECES {
            return Err(corrupt("text longer than any entry can be"));
        }
        for _ in 0..n {
            varint::read(stream, pos).ok_or_else(|| corrupt("text truncated"))?;
        }
        Ok(())
    }

    fn decode_notes(
        &self,
        stream: &[u8],
        pos: &mut usize,
        section: &'static str,
    ) -> Result<Vec<(NoteKind, String)>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section, detail };
        let n = varint::read(stream, pos).ok_or_else(|| corrupt("notes truncated"))?;
        if n > (stream.len().saturating_sub(*pos)) as u64 {
            return Err(corrupt("more notes than bytes"));
        }
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let kind = *stream.get(*pos).ok_or_else(|| corrupt("notes truncated"))?;
            *pos += 1;
            let kind = NoteKind::from_u8(kind).ok_or_else(|| corrupt("unknown note kind"))?;
            out.push((kind, self.decode_text(stream, pos, section)?));
        }
        Ok(out)
    }
}

/// Opens an `fst` map and checks its own checksum. The `fst` crate trusts
/// the structure of the bytes it is given, so a section table that points
/// it at the wrong bytes must be caught here, before a traversal.
fn open_fst<'a>(bytes: &'a [u8], section: &'static str) -> Result<fst::Map<&'a [u8]>, PackError> {
    let map = fst::Map::new(bytes).map_err(|e| PackError::Fst { section, message: e.to_string() })?;
    map.as_fst().verify().map_err(|e| PackError::Fst { section, message: e.to_string() })?;
    Ok(map)
}

fn parse_words(bytes: &[u8]) -> Result<Words<'_>, PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "WORD", detail };
    let count = read_u32(bytes, 0).ok_or_else(|| corrupt("no piece count"))?;
    let samples_len = (count.div_ceil(format::WORD_BLOCK) as usize + 1) * 4;
    let samples = bytes.get(4..4 + samples_len).ok_or_else(|| corrupt("offset samples truncated"))?;
    let data = &bytes[4 + samples_len..];
    if read_u32(samples, samples_len - 4).map(|v| v as usize) != Some(data.len()) {
        return Err(corrupt("last offset does not end the data"));
    }
    Ok(Words { count, samples, data })
}

fn parse_composed(bytes: &[u8], record_count: u32, stored_count: u32) -> Result<Composed<'_>, PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "CMPD", detail };
    if read_u32(bytes, 0) != Some(record_count) {
        return Err(corrupt("record count differs from the header's"));
    }
    let word_count = read_u32(bytes, 4).ok_or_else(|| corrupt("no word count"))? as usize;
    if word_count != (record_count as usize).div_ceil(64) {
        return Err(corrupt("bit vector length does not match the record count"));
    }
    let words = bytes.get(8..8 + word_count * 8).ok_or_else(|| corrupt("bit vector truncated"))?;
    let blocks = word_count.div_ceil(format::RANK_BLOCK_WORDS) + 1;
    let ranks = bytes
        .get(8 + word_count * 8..8 + word_count * 8 + blocks * 4)
        .ok_or_else(|| corrupt("rank directory truncated"))?;
    let c = Composed { words, ranks };
    if record_count > 0 && (c.rank0(record_count - 1) + u32::from(!c.get(record_count - 1))) != stored_count {
        return Err(corrupt("stored records do not match the rows"));
    }
    if record_count > 0 && c.get(0) {
        return Err(corrupt("the first record is composed"));
    }
    Ok(c)
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

struct Sections<'a> {
    bytes: &'a [u8],
    header_len: usize,
    table: &'a [u8],
}

impl<'a> Sections<'a> {
    /// Every section with this tag, in table order.
    fn get_all(&mut self, wanted: [u8; 4], name: &'static str) -> Result<Vec<&'a [u8]>, PackError> {
        let mut out = Vec::new();
        for e in self.table.chunks_exact(format::SECTION_ENTRY_LEN) {
            if e[..4] != wanted {
                continue;
            }
            let offset = u32::from_le_bytes([e[4], e[5], e[6], e[7]]);
            let len = u32::from_le_bytes([e[8], e[9], e[10], e[11]]);
            let start = offset as usize;
            match start.checked_add(len as usize) {
                Some(end) if start >= self.header_len && end <= self.bytes.len() => out.push(&self.bytes[start..end]),
                _ => return Err(PackError::SectionOutOfBounds { tag: name.to_string(), offset, len }),
            }
        }
        Ok(out)
    }

    /// The first section with this tag; a required section that is absent
    /// is [`PackError::MissingSection`].
    fn get(&mut self, wanted: [u8; 4], name: &'static str) -> Result<&'a [u8], PackError> {
        self.get_all(wanted, name)?.into_iter().next().ok_or(PackError::MissingSection(name))
    }
}

fn walk_meta<'a>(meta: &'a [u8], mut f: impl FnMut(&'a str, &'a str)) -> Result<(), PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "META", detail };
    let count = read_u32(meta, 0).ok_or_else(|| corrupt("no entry count"))?;
    let mut pos = 4;
    let read_str = |pos: &mut usize| -> Result<&'a str, PackError> {
        let len = varint::read_u32(meta, pos).ok_or_else(|| corrupt("entry truncated"))? as usize;
        let bytes = meta.get(*pos..pos.saturating_add(len)).ok_or_else(|| corrupt("entry truncated"))?;
        *pos += len;
        std::str::from_utf8(bytes).map_err(|_| corrupt("entry is not UTF-8"))
    };
    for _ in 0..count {
        let k = read_str(&mut pos)?;
        let v = read_str(&mut pos)?;
        f(k, v);
    }
    Ok(())
}

fn validate_meta(meta: &[u8]) -> Result<(), PackError> {
    walk_meta(meta, |_, _| {})
}
