//! [`Book`] → pack bytes. The layout is described in `pack::format` and
//! `docs/PACK_FORMAT.md`; this module is its only writer.

use super::{Book, CompileError};
use crate::model::{Field, Kind, NoteKind};
use crate::normalize;
use crate::pack::format::{self, tag};
use crate::varint;
use std::collections::{BTreeMap, HashMap};

/// The notes whose words are searched, and as which field. Excludes notes
/// are deliberately not searched: a word there says what the code is *not*.
fn searched_field(kind: NoteKind) -> Option<Field> {
    match kind {
        NoteKind::InclusionTerm => Some(Field::InclusionTerm),
        NoteKind::Includes | NoteKind::Definition | NoteKind::Explanation => Some(Field::Note),
        _ => None,
    }
}

/// Compiles a book into pack bytes.
pub fn write_pack(book: &Book) -> Result<Vec<u8>, CompileError> {
    validate(book)?;
    let dictionary = Dictionary::build(book);

    // Compositions: the labels each header's composed children take. The
    // children must follow their header, one per combination, in order.
    let mut compositions: Vec<Vec<u8>> = Vec::new();
    let mut composition_ids: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut set_of: HashMap<u32, u32> = HashMap::new();
    let mut composed_bits = vec![0u64; book.records.len().div_ceil(64)];
    for (i, r) in book.records.iter().enumerate() {
        if r.is_composed() {
            composed_bits[i / 64] |= 1 << (i % 64);
        }
        if r.composition.is_empty() {
            continue;
        }
        let mut k = 0usize;
        for axes in &r.composition {
            for_each_combination(axes, |expected| {
                let child = book.records.get(i + 1 + k);
                if child.map(|c| (c.labels.as_slice(), c.parent)) != Some((expected, Some(i as u32))) {
                    return Err(CompileError::Invalid(format!(
                        "{}: composed child {k} does not follow its header in composition order",
                        r.code
                    )));
                }
                k += 1;
                Ok(())
            })?;
        }
        if book.records.get(i + 1 + k).is_some_and(|c| c.is_composed() && c.parent == Some(i as u32)) {
            return Err(CompileError::Invalid(format!("{}: more composed children than combinations", r.code)));
        }
        let mut entry = Vec::new();
        varint::write(&mut entry, r.composition.len() as u64);
        for axes in &r.composition {
            varint::write(&mut entry, axes.len() as u64);
            for axis in axes {
                varint::write(&mut entry, axis.len() as u64);
                for &l in axis {
                    varint::write(&mut entry, u64::from(l));
                }
            }
        }
        let next = compositions.len() as u32;
        let id = *composition_ids.entry(entry.clone()).or_insert(next);
        if id == next {
            compositions.push(entry);
        }
        set_of.insert(i as u32, id);
    }

    // TEXT and RECS (stored records only).
    let mut text = Vec::new();
    let mut row_words: Vec<u32> = Vec::new();
    let mut block_starts: Vec<u32> = Vec::new();
    let mut entry_lengths: Vec<u16> = Vec::new();
    for (i, r) in book.records.iter().enumerate() {
        if r.is_composed() {
            continue;
        }
        let distance = r.parent.map_or(0, |p| i as u32 - p);
        let mut w0 = distance | ((r.kind as u32) << format::KIND_SHIFT);
        if r.billable {
            w0 |= format::FLAG_BILLABLE;
        }
        let start = u32::try_from(text.len()).map_err(|_| CompileError::Invalid("text section over 4 GiB".into()))?;
        if row_words.len() % format::ROW_BLOCK as usize == 0 {
            block_starts.push(start);
        }
        if let Some(&set) = set_of.get(&(i as u32)) {
            w0 |= format::FLAG_LABEL_SET;
            varint::write(&mut text, u64::from(set));
        }
        let parent = r.parent.map(|p| &book.records[p as usize]);
        let parent_code = parent.map_or("", |p| p.code.as_str());
        let shared = common_prefix(parent_code, &r.code);
        varint::write(&mut text, shared as u64);
        varint::write(&mut text, (r.code.len() - shared) as u64);
        text.extend_from_slice(&r.code.as_bytes()[shared..]);
        varint::write(&mut text, u64::from(normalize::content_words(&r.title)));
        // The title's first words, when they are the parent's first words,
        // are stored as their count ("Type 2 diabetes mellitus with …"
        // under "Type 2 diabetes mellitus").
        let pieces: Vec<&str> = r.title.split(' ').filter(|p| !p.is_empty()).collect();
        let shared_pieces = parent.map_or(0, |p| {
            p.title.split(' ').filter(|w| !w.is_empty()).zip(&pieces).take_while(|(a, b)| a == *b).count()
        });
        if shared_pieces > 0 {
            w0 |= format::FLAG_TITLE_SHARED;
            varint::write(&mut text, shared_pieces as u64);
        }
        dictionary.encode(&pieces[shared_pieces..].join(" "), &mut text);
        if !r.notes.is_empty() {
            w0 |= format::FLAG_HAS_NOTES;
            dictionary.encode_notes(&r.notes, &mut text);
        }
        let len = text.len() - start as usize;
        let len = u16::try_from(len).map_err(|_| {
            CompileError::Invalid(format!(
                "{}: its title and notes take {len} bytes, over the {} a pack entry holds",
                r.code,
                format::MAX_ENTRY_LEN
            ))
        })?;
        row_words.push(w0);
        entry_lengths.push(len);
    }
    block_starts.push(text.len() as u32);
    let mut rows = Vec::with_capacity(4 + row_words.len() * 6 + block_starts.len() * 4);
    rows.extend_from_slice(&(row_words.len() as u32).to_le_bytes());
    for w in &row_words {
        rows.extend_from_slice(&w.to_le_bytes());
    }
    for s in &block_starts {
        rows.extend_from_slice(&s.to_le_bytes());
    }
    for l in &entry_lengths {
        rows.extend_from_slice(&l.to_le_bytes());
    }
    let mut lset = Vec::new();
    write_table(&mut lset, &compositions);
    let composed = if composed_bits.iter().any(|w| *w != 0) {
        composed_section(book.records.len(), &composed_bits)
    } else {
        Vec::new()
    };

    // CODE: normalized code → record id.
    let mut codes: Vec<(String, u64)> = book
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.chars().filter(|c| *c != '.').collect::<String>(), i as u64))
        .collect();
    codes.sort_unstable();
    for pair in codes.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(CompileError::Invalid(format!("code {} appears twice", pair[0].0)));
        }
    }
    let mut code_fst = fst::MapBuilder::memory();
    for (k, v) in &codes {
        code_fst.insert(k, *v).map_err(|e| CompileError::Invalid(format!("code map: {e}")))?;
    }
    let code_fst = code_fst.into_inner().map_err(|e| CompileError::Invalid(format!("code map: {e}")))?;

    // TERM + POST.
    let (term_fst, postings) = build_terms(book)?;

    // LABL.
    let posted = if book.compose.labels_posted { 0x80 } else { 0 };
    let mut labels =
        vec![book.compose.style, book.compose.pad_to, book.compose.placeholder, book.compose.dot_after | posted];
    let mut label_entries = Vec::new();
    for l in &book.labels {
        let mut e = vec![l.ch as u8];
        let content = if book.compose.style == format::COMPOSE_AXES {
            crate::pcs::label_content_words(&l.text)
        } else {
            normalize::content_words(&l.text)
        };
        varint::write(&mut e, u64::from(content));
        dictionary.encode(&l.text, &mut e);
        dictionary.encode_notes(&l.notes, &mut e);
        label_entries.push(e);
    }
    write_table(&mut labels, &label_entries);

    // META.
    let mut meta = Vec::new();
    meta.extend_from_slice(&(book.meta.len() as u32).to_le_bytes());
    for (k, v) in &book.meta {
        for s in [k, v] {
            varint::write(&mut meta, s.len() as u64);
            meta.extend_from_slice(s.as_bytes());
        }
    }

    let words = dictionary.section();

    let sections: Vec<([u8; 4], Vec<u8>)> = vec![
        (tag::META, meta),
        (tag::RECORDS, rows),
        (tag::CODES, code_fst),
        (tag::WORDS, words),
        (tag::TEXT, text),
        (tag::LABELS, labels),
        (tag::LABEL_SETS, lset),
        (tag::TERMS, term_fst),
        (tag::POSTINGS, postings),
    ];
    let mut sections = sections;
    if !composed.is_empty() {
        sections.push((tag::COMPOSED, composed));
    }
    for cw in &book.crosswalks {
        sections.push((tag::CROSSWALK, crosswalk_section(cw)?));
    }
    let terminations = terminations(book)?;
    if !terminations.is_empty() {
        sections.push((tag::TERMINATIONS, terminations));
    }
    assemble(book, &sections)
}

fn validate(book: &Book) -> Result<(), CompileError> {
    if book.records.len() > format::MAX_RECORDS {
        return Err(CompileError::Invalid(format!(
            "{} records, a pack holds at most {}",
            book.records.len(),
            format::MAX_RECORDS
        )));
    }
    if book.release.len() > format::MAX_RELEASE_LEN {
        return Err(CompileError::Invalid("release label too long".into()));
    }
    for (i, r) in book.records.iter().enumerate() {
        if let Some(p) = r.parent {
            if p as usize >= i {
                return Err(CompileError::Invalid(format!("{}: parent does not precede it", r.code)));
            }
            if book.records[p as usize].is_composed() {
                return Err(CompileError::Invalid(format!("{}: parent is a composed code", r.code)));
            }
        }
        if r.is_composed() && (r.parent.is_none() || r.labels.iter().any(|&l| l as usize >= book.labels.len())) {
            return Err(CompileError::Invalid(format!("{}: composed without valid labels or a parent", r.code)));
        }
        if r.composition.iter().flatten().flatten().any(|&l| l as usize >= book.labels.len()) {
            return Err(CompileError::Invalid(format!("{}: composition names an unknown label", r.code)));
        }
        if r.code.is_empty() || !r.code.is_ascii() {
            return Err(CompileError::Invalid(format!("record {i}: code {:?} is not ASCII", r.code)));
        }
    }
    Ok(())
}

/// Calls `f` with every combination of one label per axis, the last axis
/// varying fastest (the order of composed children).
pub fn for_each_combination(
    axes: &[Vec<u32>],
    mut f: impl FnMut(&[u32]) -> Result<(), CompileError>,
) -> Result<(), CompileError> {
    if axes.is_empty() || axes.iter().any(Vec::is_empty) {
        return Ok(());
    }
    let mut digits = vec![0usize; axes.len()];
    let mut labels: Vec<u32> = axes.iter().map(|a| a[0]).collect();
    loop {
        f(&labels)?;
        let mut a = axes.len();
        loop {
            if a == 0 {
                return Ok(());
            }
            a -= 1;
            digits[a] += 1;
            if digits[a] < axes[a].len() {
                labels[a] = axes[a][digits[a]];
                break;
            }
            digits[a] = 0;
            labels[a] = axes[a][0];
        }
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The text pieces (space-separated runs) of every stored string, numbered by
/// falling frequency so that the commonest pieces take one byte.
struct Dictionary {
    pieces: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Dictionary {
    fn build(book: &Book) -> Dictionary {
        let mut counts: HashMap<&str, u64> = HashMap::new();
        fn add<'b>(counts: &mut HashMap<&'b str, u64>, s: &'b str) {
            for p in s.split(' ').filter(|p| !p.is_empty()) {
                *counts.entry(p).or_default() += 1;
            }
        }
        for r in book.records.iter().filter(|r| !r.is_composed()) {
            add(&mut counts, &r.title);
            for (_, n) in &r.notes {
                add(&mut counts, n);
            }
        }
        for l in &book.labels {
            add(&mut counts, &l.text);
            for (_, n) in &l.notes {
                add(&mut counts, n);
            }
        }
        let mut pieces: Vec<(&str, u64)> = counts.into_iter().collect();
        pieces.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let pieces: Vec<String> = pieces.into_iter().map(|(p, _)| p.to_string()).collect();
        let ids = pieces.iter().enumerate().map(|(i, p)| (p.clone(), i as u32)).collect();
        Dictionary { pieces, ids }
    }

    /// Appends a text: piece count, then piece ids. Texts are stored with
    /// single spaces between pieces (the compiler collapses whitespace).
    fn encode(&self, s: &str, out: &mut Vec<u8>) {
        let pieces: Vec<&str> = s.split(' ').filter(|p| !p.is_empty()).collect();
        varint::write(out, pieces.len() as u64);
        for p in pieces {
            varint::write(out, u64::from(self.ids[p]));
        }
    }

    /// The `WORD` section: piece count, an offset for every
    /// `WORD_BLOCK`-th piece, then each piece as varint length + bytes.
    fn section(&self) -> Vec<u8> {
        let mut data = Vec::new();
        let mut samples = Vec::new();
        for (i, p) in self.pieces.iter().enumerate() {
            if i % format::WORD_BLOCK as usize == 0 {
                samples.push(data.len() as u32);
            }
            varint::write(&mut data, p.len() as u64);
            data.extend_from_slice(p.as_bytes());
        }
        samples.push(data.len() as u32);
        let mut out = Vec::with_capacity(4 + samples.len() * 4 + data.len());
        out.extend_from_slice(&(self.pieces.len() as u32).to_le_bytes());
        for s in samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&data);
        out
    }

    fn encode_notes(&self, notes: &[(NoteKind, String)], out: &mut Vec<u8>) {
        varint::write(out, notes.len() as u64);
        for (kind, text) in notes {
            out.push(*kind as u8);
            self.encode(text, out);
        }
    }
}

/// An `XWLK` section: version 1, direction, the dot position of the other
/// system's codes, the other system's id (8 bytes), the label, then an `fst` map (length-prefixed) from normalized
/// source code to (offset of its target list in the data that follows) << 1,
/// or, for a single plain target into this book, to (target << 1) | 1.
/// A list is a varint count and, per target, the code as a number
/// (`format::code_to_number`) zigzag-delta-coded against the previous one, a
/// flag byte, scenario and choice when flagged, and the GEM's original
/// target when refined. In a crosswalk into this book (the
/// `To` direction) a target is instead one varint: (record id + 1) << 8 |
/// flags.
fn crosswalk_section(cw: &super::gems::Crosswalk) -> Result<Vec<u8>, CompileError> {
    let mut data = Vec::new();
    let mut map = fst::MapBuilder::memory();
    for (source, targets) in &cw.entries {
        // Into this book, a single plain target lives in the map itself
        // (low bit set); otherwise the value is the list's offset.
        if let (super::gems::Direction::To, [t]) = (cw.direction, targets.as_slice()) {
            if t.scenario == 0 && t.choice == 0 {
                let id = t.record.map_or(0, |r| u64::from(r) + 1);
                let inline = (((id << 8) | u64::from(t.flags)) << 1) | 1;
                map.insert(source, inline).map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
                continue;
            }
        }
        map.insert(source, (data.len() as u64) << 1)
            .map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
        varint::write(&mut data, targets.len() as u64);
        let mut prev_number = 0u64;
        for t in targets {
            let extra = if t.scenario != 0 || t.choice != 0 { format::XW_HAS_SCENARIO } else { 0 };
            if cw.direction == super::gems::Direction::To {
                // Into this book: the record id (+1, 0 = no map) and the
                // flags in one varint.
                let id = t.record.map_or(0, |r| u64::from(r) + 1);
                varint::write(&mut data, (id << 8) | u64::from(t.flags | extra));
            } else {
                // Out of this book: the code as a number, zigzag delta
                // against the previous target of the list, then the flags.
                let normalized: String = t.code.chars().filter(|c| *c != '.').collect();
                let number = format::code_to_number(&normalized)
                    .ok_or_else(|| CompileError::Invalid(format!("crosswalk target {:?} is not a code", t.code)))?;
                let delta = number as i64 - prev_number as i64;
                varint::write(&mut data, ((delta << 1) ^ (delta >> 63)) as u64);
                data.push(t.flags | extra);
                prev_number = number;
            }
            if extra != 0 {
                data.push(t.scenario);
                data.push(t.choice);
            }
            if t.flags & format::XW_REFINED != 0 {
                let via = t.via.as_deref().unwrap_or("");
                varint::write(&mut data, via.len() as u64);
                data.extend_from_slice(via.as_bytes());
            }
        }
    }
    let map = map.into_inner().map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
    // The display rule of the other system's codes: a dot after 3 (ICD-10-CM).
    let dot_after = if cw.other.id == "icd10cm" { 3 } else { 0 };
    let mut out = vec![1, cw.direction as u8, dot_after];
    let mut id = [0u8; 8];
    id[..cw.other.id.len()].copy_from_slice(cw.other.id.as_bytes());
    out.extend_from_slice(&id);
    varint::write(&mut out, cw.label.len() as u64);
    out.extend_from_slice(cw.label.as_bytes());
    out.extend_from_slice(&(map.len() as u32).to_le_bytes());
    out.extend_from_slice(&map);
    out.extend_from_slice(&data);
    Ok(out)
}

/// The `TRMD` section: u32 count, then (u32 record id, u32 `YYYYMMDD`) for
/// every record with a termination date, by id.
fn terminations(book: &Book) -> Result<Vec<u8>, CompileError> {
    let mut pairs = Vec::new();
    for (i, r) in book.records.iter().enumerate() {
        if let Some((_, d)) = r.notes.iter().find(|(k, _)| *k == NoteKind::Terminated) {
            let date: u32 =
                d.parse().map_err(|_| CompileError::Invalid(format!("{}: termination date {d:?}", r.code)))?;
            pairs.push((i as u32, date));
        }
    }
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(4 + pairs.len() * 8);
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (id, date) in pairs {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&date.to_le_bytes());
    }
    Ok(out)
}

/// The `CMPD` section: record count, word count, the bit vector (bit set =
/// composed record), then for each block of `RANK_BLOCK_WORDS` words the
/// number of stored records before it.
fn composed_section(record_count: usize, bits: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + bits.len() * 8 + bits.len() / 2 + 4);
    out.extend_from_slice(&(record_count as u32).to_le_bytes());
    out.extend_from_slice(&(bits.len() as u32).to_le_bytes());
    for w in bits {
        out.extend_from_slice(&w.to_le_bytes());
    }
    let mut stored_before = 0u32;
    for (b, block) in bits.chunks(format::RANK_BLOCK_WORDS).enumerate() {
        out.extend_from_slice(&stored_before.to_le_bytes());
        for (k, w) in block.iter().enumerate() {
            let index = b * format::RANK_BLOCK_WORDS + k;
            let valid = (record_count - index * 64).min(64);
            let mask = if valid == 64 { u64::MAX } else { (1u64 << valid) - 1 };
            stored_before += (!w & mask).count_ones();
        }
    }
    out.extend_from_slice(&stored_before.to_le_bytes());
    out
}

fn write_table<T: AsRef<[u8]>>(out: &mut Vec<u8>, entries: &[T]) {
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    let mut offset = 0u32;
    out.extend_from_slice(&offset.to_le_bytes());
    for e in entries {
        offset += e.as_ref().len() as u32;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    for e in entries {
        out.extend_from_slice(e.as_ref());
    }
}

/// The term dictionary: every searched word of every stored record, as its
/// stem, with the record ids (ascending), the best field it was found in,
/// and whether the record's category title holds it too.
fn build_terms(book: &Book) -> Result<(Vec<u8>, Vec<u8>), CompileError> {
    // The category (nearest ancestor-or-self of kind Category) of each record.
    let mut category: Vec<Option<u32>> = Vec::with_capacity(book.records.len());
    for (i, r) in book.records.iter().enumerate() {
        let c = if r.kind == Kind::Category { Some(i as u32) } else { r.parent.and_then(|p| category[p as usize]) };
        category.push(c);
    }
    let title_terms = |id: u32| -> Vec<String> {
        normalize::tokens(&book.records[id as usize].title)
            .into_iter()
            .map(|t| normalize::term_key(&t.folded))
            .collect()
    };
    let mut terms: BTreeMap<String, Vec<(u32, u8, bool)>> = BTreeMap::new();
    let mut cached_category: Option<(u32, Vec<String>)> = None;
    for (id, r) in book.records.iter().enumerate() {
        if r.is_composed() {
            continue; // composed records are searched through their header and labels
        }
        let id = id as u32;
        let context: &[String] = match category[id as usize] {
            Some(c) => {
                if cached_category.as_ref().map(|x| x.0) != Some(c) {
                    cached_category = Some((c, title_terms(c)));
                }
                cached_category.as_ref().map_or(&[], |x| x.1.as_slice())
            }
            None => &[],
        };
        let mut add = |text: &str, field: Field| {
            let negated = if field == Field::Title { normalize::negated_tokens(text) } else { Vec::new() };
            for (i, t) in normalize::tokens(text).into_iter().enumerate() {
                if normalize::is_stop_word(&t.folded) {
                    continue;
                }
                let field = if negated.get(i).copied().unwrap_or(false) { Field::TitleNegated } else { field };
                let key = normalize::term_key(&t.folded);
                let in_context = context.contains(&key);
                let list = terms.entry(key).or_default();
                match list.last_mut() {
                    Some(last) if last.0 == id => last.1 = last.1.min(field as u8),
                    _ => list.push((id, field as u8, in_context)),
                }
            }
        };
        add(&r.title, Field::Title);
        for (kind, text) in &r.notes {
            if let Some(field) = searched_field(*kind) {
                add(text, field);
            }
        }
        if book.compose.labels_posted {
            let mut seen = std::collections::BTreeSet::new();
            for &l in r.composition.iter().flatten().flatten() {
                if seen.insert(l) {
                    add(&book.labels[l as usize].text, Field::ChildLabel);
                }
            }
        }
    }
    let mut postings = Vec::new();
    let mut builder = fst::MapBuilder::memory();
    for (term, list) in &terms {
        let offset = postings.len() as u64;
        if offset >= 1 << (64 - format::TERM_DF_BITS) {
            return Err(CompileError::Invalid("postings section too large".into()));
        }
        varint::write(&mut postings, list.len() as u64);
        let mut prev = 0u32;
        for &(id, field, in_context) in list {
            let context = if in_context { format::POSTING_CONTEXT_BIT } else { 0 };
            let billable = if book.records[id as usize].billable { format::POSTING_BILLABLE_BIT } else { 0 };
            varint::write(
                &mut postings,
                (u64::from(id - prev) << format::POSTING_LOW_BITS) | billable | context | u64::from(field),
            );
            prev = id;
        }
        let df = (list.len() as u64).min((1 << format::TERM_DF_BITS) - 1);
        builder
            .insert(term, (offset << format::TERM_DF_BITS) | df)
            .map_err(|e| CompileError::Invalid(format!("term map: {e}")))?;
    }
    let fst = builder.into_inner().map_err(|e| CompileError::Invalid(format!("term map: {e}")))?;
    Ok((fst, postings))
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

fn assemble(book: &Book, sections: &[([u8; 4], Vec<u8>)]) -> Result<Vec<u8>, CompileError> {
    let release = book.release.as_bytes();
    let header_len = align4(format::FIXED_HEADER_LEN + release.len()) + sections.len() * format::SECTION_ENTRY_LEN;
    let mut out = Vec::with_capacity(header_len + sections.iter().map(|s| s.1.len() + 3).sum::<usize>());
    out.extend_from_slice(&format::MAGIC);
    out.extend_from_slice(&format::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(&[0; 4]); // crc32, filled in last
    out.extend_from_slice(&[0; 4]); // total length, filled in last
    let mut system = [0u8; 8];
    let id = book.system.id.as_bytes();
    system[..id.len()].copy_from_slice(id);
    out.extend_from_slice(&system);
    out.extend_from_slice(&(book.records.len() as u32).to_le_bytes());
    out.extend_from_slice(&(book.billable_count() as u32).to_le_bytes());
    out.extend_from_slice(&(release.len() as u16).to_le_bytes());
    out.extend_from_slice(&(sections.len() as u16).to_le_bytes());
    out.extend_from_slice(release);
    out.resize(align4(out.len()), 0);
    let mut offset = header_len;
    for (t, data) in sections {
        out.extend_from_slice(t);
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        offset = align4(offset + data.len());
    }
    debug_assert_eq!(out.len(), header_len);
    for (_, data) in sections {
        out.extend_from_slice(data);
        out.resize(align4(out.len()), 0);
    }
    let total = u32::try_from(out.len()).map_err(|_| CompileError::Invalid("pack over 4 GiB".into()))?;
    out[16..20].copy_from_slice(&total.to_le_bytes());
    let crc = crc32fast::hash(&out[format::CHECKSUM_START..]);
    out[12..16].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}
