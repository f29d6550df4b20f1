//! Criterion benchmarks: lookup, type-ahead (every prefix of a query, as
//! it is typed) and suggestion from the notes of `benches/notes/`.

#[path = "common.rs"]
mod common;

use chartcode::{CodeBook, SearchOptions, SuggestOptions};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let packs = common::packs();
    let slices: Vec<&[u8]> = packs.iter().map(|p| p.bytes.as_slice()).collect();
    let book = CodeBook::open(&slices).unwrap();
    let options = SearchOptions::default();

    c.bench_function("open/all packs", |b| b.iter(|| CodeBook::open(black_box(&slices)).unwrap()));

    let mut lookup = c.benchmark_group("lookup");
    for code in common::LOOKUPS {
        lookup.bench_function(*code, |b| b.iter(|| book.lookup(black_box(code), None).unwrap()));
    }
    lookup.finish();

    let mut typing = c.benchmark_group("typeahead (whole query, every prefix)");
    for q in common::queries() {
        let prefixes: Vec<&str> = (1..=q.len()).filter(|&n| q.is_char_boundary(n)).map(|n| &q[..n]).collect();
        typing.bench_function(q, |b| {
            b.iter(|| {
                for p in &prefixes {
                    black_box(book.search(p, &options).unwrap());
                }
            })
        });
    }
    typing.finish();

    // Suggestion from a note, ICD-10-CM only (the notes of benches/notes/).
    let icd10cm: Vec<&[u8]> = packs.iter().filter(|p| p.system.id == "icd10cm").map(|p| p.bytes.as_slice()).collect();
    let icd10cm_book = CodeBook::open(&icd10cm).unwrap();
    let suggest = SuggestOptions::default();
    let mut notes = c.benchmark_group("suggest (ICD-10-CM, note read again)");
    for (name, text) in common::notes() {
        notes.bench_function(format!("{name} ({} chars)", text.chars().count()), |b| {
            b.iter(|| icd10cm_book.suggest(black_box(&text), &suggest).unwrap())
        });
    }
    notes.finish();

    // The coder's checks: a 30-code inpatient claim, all public books.
    let codes: Vec<chartcode::check::CodeToCheck> =
        common::CHECK_SET.iter().map(|c| chartcode::check::CodeToCheck { system: None, code: c.to_string() }).collect();
    let context = chartcode::check::CheckContext {
        age: Some(72),
        setting: Some(chartcode::search::Setting::Inpatient),
        ..Default::default()
    };
    let mut check = c.benchmark_group("check");
    check.bench_function("30 codes, inpatient", |b| b.iter(|| book.check(black_box(&codes), &context).unwrap()));
    check.finish();
}

criterion_group! {
    name = search;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(search);
