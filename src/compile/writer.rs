//! [`Book`] → pack bytes: gathers what each section holds from the book and
//! hands it to that section's writer, which lives beside its reader in
//! `src/pack/` (the layout of a section is written down in one place).

use super::{Book, CompileError};
use crate::model::{Field, NoteKind};
use crate::normalize;
use crate::pack::composition;
use crate::pack::format::{self, tag};
use crate::pack::rows::RowsWriter;
use crate::pack::text::EntryWriter;
use crate::pack::words::Dictionary;
use crate::pack::{
    composed, crosswalk, dictionary, expansions, header, labels, meta, releases, table, terminations, terms, Posting,
};
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
    let dictionary = Dictionary::build(
        book.records
            .iter()
            .filter(|r| !r.is_composed())
            .flat_map(|r| std::iter::once(r.title.as_str()).chain(r.notes.iter().map(|(_, n)| n.as_str())))
            .chain(
                book.labels
                    .iter()
                    .flat_map(|l| std::iter::once(l.text.as_str()).chain(l.notes.iter().map(|(_, n)| n.as_str()))),
            ),
    );

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
            composition::for_each_combination(axes, |expected| {
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
        let entry = composition::encode(&r.composition);
        let next = compositions.len() as u32;
        let id = *composition_ids.entry(entry.clone()).or_insert(next);
        if id == next {
            compositions.push(entry);
        }
        set_of.insert(i as u32, id);
    }

    // TEXT and RECS (stored records only).
    let mut text = Vec::new();
    let mut rows = RowsWriter::default();
    let entries = EntryWriter { dictionary: &dictionary };
    for (i, r) in book.records.iter().enumerate() {
        if r.is_composed() {
            continue;
        }
        let start = u32::try_from(text.len()).map_err(|_| CompileError::Invalid("text section over 4 GiB".into()))?;
        let parent = r.parent.map(|p| &book.records[p as usize]);
        let flags = entries.write(
            &mut text,
            set_of.get(&(i as u32)).copied(),
            &r.code,
            parent.map_or("", |p| p.code.as_str()),
            &r.title,
            parent.map(|p| p.title.as_str()),
            &r.notes,
        );
        let len = text.len() - start as usize;
        let len = u16::try_from(len).map_err(|_| {
            CompileError::Invalid(format!(
                "{}: its title and notes take {len} bytes, over the {} a pack entry holds",
                r.code,
                format::MAX_ENTRY_LEN
            ))
        })?;
        let billable = if r.billable { format::FLAG_BILLABLE } else { 0 };
        let distance = r.parent.map_or(0, |p| i as u32 - p);
        rows.push(RowsWriter::word(distance, r.kind, flags | billable), start, len);
    }
    let text_len = u32::try_from(text.len()).map_err(|_| CompileError::Invalid("text section over 4 GiB".into()))?;
    let rows = rows.finish(text_len);
    let mut lset = Vec::new();
    table::write(&mut lset, &compositions);
    let composed = if composed_bits.iter().any(|w| *w != 0) {
        composed::write(book.records.len(), &composed_bits)
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
    let (term_dictionary, postings, posting_fields) = build_terms(book)?;

    // LABL.
    let mut labels = labels::write_rule(&book.compose);
    let mut label_entries = Vec::new();
    for l in &book.labels {
        let mut e = vec![l.ch as u8];
        let content = if book.compose.style == format::COMPOSE_AXES {
            crate::pcs::label_content_words(&l.text)
        } else {
            seventh_character_words(&l.text)
        };
        varint::write(&mut e, u64::from(content));
        dictionary.encode(&l.text, &mut e);
        dictionary.encode_notes(&l.notes, &mut e);
        label_entries.push(e);
    }
    table::write(&mut labels, &label_entries);

    let mut sections: Vec<([u8; 4], Vec<u8>)> = vec![
        (tag::META, meta::write(&book.meta)),
        (tag::RECORDS, rows),
        (tag::CODES, code_fst),
        (tag::WORDS, dictionary.section()),
        (tag::TEXT, text),
        (tag::LABELS, labels),
        (tag::LABEL_SETS, lset),
        (tag::TERMS, term_dictionary),
        (tag::POSTINGS, postings),
        (tag::POSTING_FIELDS, posting_fields),
    ];
    if !composed.is_empty() {
        sections.push((tag::COMPOSED, composed));
    }
    if !book.expansions.is_empty() {
        sections.push((tag::EXPANSIONS, expansions::write(&book.expansions)));
    }
    for cw in &book.crosswalks {
        sections.push((tag::CROSSWALK, crosswalk::write(cw)?));
    }
    let terminations = terminations::write(&termination_dates(book)?);
    if !terminations.is_empty() {
        sections.push((tag::TERMINATIONS, terminations));
    }
    let mut billable = book.billable_count() as u32;
    if !book.releases.is_empty() {
        let section = release_section(book)?;
        billable = section.list.last().map_or(billable, |r| r.4);
        sections.push((tag::RELEASES, section.write().map_err(CompileError::Invalid)?));
    }
    if !book.edits.tables.is_empty() {
        sections.push((tag::EDITS, book.edits.write()));
    }
    header::assemble(book.system, &book.release, book.records.len() as u32, billable, &sections)
}

/// The `RLSE` section of a book that carries several releases: each
/// release's dates and counts, and the records that are not in all of
/// them as they stand.
fn release_section(book: &Book) -> Result<releases::ReleasesWriter, CompileError> {
    let n = book.releases.len();
    if n > releases::MAX_RELEASES {
        return Err(CompileError::Invalid(format!("{n} releases; a pack carries at most {}", releases::MAX_RELEASES)));
    }
    let all = ((1u16 << n) - 1) as u8;
    let mut out = releases::ReleasesWriter::default();
    let mut counts = vec![(0u32, 0u32); n];
    for (i, r) in book.records.iter().enumerate() {
        let (present, billable) = match &r.span {
            Some(s) => (s.present, s.billable),
            None => (all, if r.billable { all } else { 0 }),
        };
        if present & !all != 0 || billable & !present != 0 || present == 0 {
            return Err(CompileError::Invalid(format!("{}: release masks {present:#b}/{billable:#b}", r.code)));
        }
        if let Some(p) = r.parent {
            let parent_present = book.records[p as usize].span.as_ref().map_or(all, |s| s.present);
            if present & !parent_present != 0 {
                return Err(CompileError::Invalid(format!("{}: in a release its parent is not in", r.code)));
            }
        }
        for (k, c) in counts.iter_mut().enumerate() {
            c.0 += u32::from(present >> k & 1);
            c.1 += u32::from(billable >> k & 1);
        }
        let Some(s) = &r.span else { continue };
        out.entries.push((i as u32, present, billable));
        for (mask, title) in &s.former_titles {
            out.extras.push((i as u32, releases::EXTRA_TITLE, *mask, title.clone()));
        }
        if !s.replaced_by.is_empty() {
            out.extras.push((i as u32, releases::EXTRA_REPLACED_BY, 0, s.replaced_by.join(" ")));
        }
    }
    out.list = book
        .releases
        .iter()
        .zip(&counts)
        .map(|(r, &(records, billable))| (r.label.clone(), r.from, r.to, records, billable))
        .collect();
    Ok(out)
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
        if !r.is_composed() {
            check_text(&r.code, &r.title)?;
            for (_, note) in &r.notes {
                check_text(&r.code, note)?;
            }
        }
    }
    for l in &book.labels {
        check_text(&l.ch.to_string(), &l.text)?;
        for (_, note) in &l.notes {
            check_text(&l.ch.to_string(), note)?;
        }
    }
    Ok(())
}

/// How many title words a 7th-character label counts as in ranking, where
/// fewer extra words rank first. By coding convention a current injury is
/// coded with the initial encounter, so it counts as no extra word; the
/// subsequent encounter counts its words; a sequela only when the query
/// asks for it, so it counts as more words than any other label (a query
/// word that matches the label still lifts it: matched words rank first).
fn seventh_character_words(label: &str) -> u32 {
    let lower = label.to_lowercase();
    if lower.starts_with("initial encounter") {
        0
    } else if lower.starts_with("sequela") {
        24
    } else {
        normalize::content_words(label)
    }
}

/// A text the reader will read back: at most `MAX_TEXT_PIECES` pieces of
/// at most `MAX_PIECE_BYTES`, `MAX_TEXT_BYTES` in all.
fn check_text(code: &str, text: &str) -> Result<(), CompileError> {
    let pieces = text.split(' ').filter(|p| !p.is_empty());
    if text.len() > format::MAX_TEXT_BYTES
        || pieces.clone().count() > format::MAX_TEXT_PIECES
        || pieces.clone().any(|p| p.len() > format::MAX_PIECE_BYTES)
    {
        return Err(CompileError::Invalid(format!(
            "{code}: a text of {} bytes is longer than a pack holds ({} bytes, {} words of at most {} bytes)",
            text.len(),
            format::MAX_TEXT_BYTES,
            format::MAX_TEXT_PIECES,
            format::MAX_PIECE_BYTES
        )));
    }
    Ok(())
}

/// The (record id, `YYYYMMDD`) termination dates of the book, by id.
fn termination_dates(book: &Book) -> Result<Vec<(u32, u32)>, CompileError> {
    let mut pairs = Vec::new();
    for (i, r) in book.records.iter().enumerate() {
        if let Some((_, d)) = r.notes.iter().find(|(k, _)| *k == NoteKind::Terminated) {
            let date: u32 =
                d.parse().map_err(|_| CompileError::Invalid(format!("{}: termination date {d:?}", r.code)))?;
            pairs.push((i as u32, date));
        }
    }
    Ok(pairs)
}

/// Records on the postings of record `id` that the words of `entry` (an
/// index entry's words, posted already as its path) form an entry of that
/// many words, when it is short enough to record and shorter than one
/// recorded before.
///
/// Every word counts toward the length, stop words too: "Influenza, A" is
/// not named by "influenza" alone.
fn mark_entry(terms: &mut BTreeMap<String, Vec<(u32, u8, u8)>>, id: u32, entry: &str) {
    let tokens = normalize::tokens(entry);
    let Ok(len) = u8::try_from(tokens.len()) else { return };
    let keys: Vec<String> = tokens
        .into_iter()
        .filter(|t| !normalize::is_stop_word(&t.folded))
        .map(|t| normalize::term_key(&t.folded))
        .collect();
    if len == 0 || len > format::POSTING_ENTRY_MAX {
        return;
    }
    for key in keys {
        if let Some(last) = terms.get_mut(&key).and_then(|l| l.last_mut()).filter(|l| l.0 == id) {
            if last.2 == 0 || len < last.2 {
                last.2 = len;
            }
        }
    }
}

/// The books whose titles name things, a head and its qualifiers
/// ("Walker, folding, wheeled"; "Crutch attachment, walker"): supplies,
/// equipment and services. Their postings mark the head of the title, so
/// that the thing itself ranks before its parts. The diagnosis and
/// procedure books' titles name conditions and operations, where the mark
/// moved two of 2,596 NLM queries and cost 11 KB gzip of the ICD-10-CM
/// module's 1.35 MB budget.
const BOOKS_NAMING_THINGS: [&str; 3] = ["hcpcs", "cpt", "cdt"];

/// `TERM`, `POST` and `PFLD`, in that order.
type TermSections = (Vec<u8>, Vec<u8>, Vec<u8>);

/// The term dictionary: every searched word of every stored record, as its
/// stem, with the record ids (ascending), the best field it was found in
/// and the shortest index entry that holds it: the `TERM`, `POST` and
/// `PFLD` sections of a book.
fn build_terms(book: &Book) -> Result<TermSections, CompileError> {
    // Per term: (record, best field, shortest index entry).
    let mut terms: BTreeMap<String, Vec<(u32, u8, u8)>> = BTreeMap::new();
    let mut index_terms = book.index_terms.iter().peekable();
    for (id, r) in book.records.iter().enumerate() {
        if r.is_composed() {
            continue; // composed records are searched through their header and labels
        }
        let id = id as u32;
        let mut add = |text: &str, field: Field| {
            let negated = if field == Field::Title { normalize::negated_tokens(text) } else { Vec::new() };
            for (i, t) in normalize::tokens(text).into_iter().enumerate() {
                if normalize::is_stop_word(&t.folded) {
                    continue;
                }
                let field = if negated.get(i).copied().unwrap_or(false) { Field::TitleNegated } else { field };
                let key = normalize::term_key(&t.folded);
                let list = terms.entry(key).or_default();
                match list.last_mut() {
                    Some(last) if last.0 == id => last.1 = last.1.min(field as u8),
                    _ => list.push((id, field as u8, 0)),
                }
            }
        };
        add(&r.title, Field::Title);
        for (kind, text) in &r.notes {
            if let Some(field) = searched_field(*kind) {
                add(text, field);
            }
        }
        // The Alphabetic Index paths that lead here (sorted by record).
        let mut entry_names: Vec<&str> = Vec::new();
        while index_terms.peek().is_some_and(|(i, _, _)| *i < id) {
            index_terms.next();
        }
        while let Some((_, words, text)) = index_terms.next_if(|(i, _, _)| *i == id) {
            let field = match words {
                super::IndexWords::Path => Field::IndexTerm,
                super::IndexWords::See => Field::Synonym,
                super::IndexWords::Modifiers => Field::IndexModifier,
                super::IndexWords::Entry => {
                    entry_names.push(text);
                    continue;
                }
            };
            add(text, field);
        }
        if book.compose.labels_posted {
            let mut seen = std::collections::BTreeSet::new();
            for &l in r.composition.iter().flatten().flatten() {
                if seen.insert(l) {
                    add(&book.labels[l as usize].text, Field::ChildLabel);
                }
            }
        }
        for name in entry_names {
            mark_entry(&mut terms, id, name);
        }
    }
    // The head of each stored record's title (see `normalize::title_head`),
    // in the books whose titles name things.
    let names_things = BOOKS_NAMING_THINGS.contains(&book.system.id);
    let heads: Vec<Option<String>> = book
        .records
        .iter()
        .map(|r| if r.is_composed() || !names_things { None } else { normalize::title_head(&r.title) })
        .collect();
    let (mut postings, mut fields) = (Vec::new(), Vec::new());
    let mut list = Vec::new();
    let mut lengths = Vec::with_capacity(terms.len());
    for (term, ids) in &terms {
        let start = postings.len();
        list.clear();
        list.extend(ids.iter().map(|&(id, field, entry)| Posting {
            id,
            field,
            entry,
            billable: book.records[id as usize].billable,
            head: field == Field::Title as u8 && heads[id as usize].as_deref() == Some(term.as_str()),
        }));
        terms::write_postings(&mut postings, &mut fields, &list);
        lengths.push((term.as_bytes(), postings.len() - start));
    }
    if u32::try_from(postings.len()).is_err() {
        return Err(CompileError::Invalid("postings section too large".into()));
    }
    Ok((dictionary::write(&lengths), postings, fields))
}
