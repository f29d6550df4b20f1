//! Prints the tables of `docs/PERFORMANCE.md`: pack sizes by section,
//! per-keystroke latency (p50/p99) of type-ahead search and of lookup, and
//! suggestion latency per note with the memory many suggestions leave.
//!
//! Every prefix of every query is searched `ROUNDS` times; the percentiles
//! are over all those searches. Run with `make bench`.

#[path = "common.rs"]
mod common;

use chartcode::check::{CheckContext, CodeToCheck};
use chartcode::{CodeBook, Pack, SearchOptions, SuggestOptions};
use std::time::Instant;

const ROUNDS: usize = 200;

/// Suggestions timed per note, on a code book that has read the note
/// before (a note re-read as the clinician types on).
const SUGGEST_ROUNDS: usize = 100;

/// Fresh code books each note is first read on (the first suggestion of a
/// page: no unknown word of the note corrected yet).
const SUGGEST_FIRST_READS: usize = 10;

/// Calls over which the memory a suggestion leaves behind is measured.
const MEMORY_CALLS: usize = 10_000;

/// `n` when run by `cargo bench` (which passes `--bench`), else 1: `cargo
/// test --all-targets` (`make test`) runs this once through, to prove it
/// runs, not to measure.
fn runs(n: usize) -> usize {
    if std::env::args().any(|a| a == "--bench") {
        n
    } else {
        1
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// How many of the slowest keystrokes (by their median) each table names:
/// the p99 is made of them, so they are what to work on.
const SLOWEST_SHOWN: usize = 12;

fn typing_table(book: &CodeBook, options: &SearchOptions) {
    println!("| query | keystrokes | p50 µs | p99 µs | max µs |");
    println!("|---|---:|---:|---:|---:|");
    let mut all = Vec::new();
    let mut per_keystroke: Vec<(f64, String)> = Vec::new();
    for q in common::queries() {
        let prefixes: Vec<&str> = (1..=q.len()).filter(|&n| q.is_char_boundary(n)).map(|n| &q[..n]).collect();
        let mut times = Vec::with_capacity(prefixes.len() * runs(ROUNDS));
        let mut by_prefix = vec![Vec::with_capacity(runs(ROUNDS)); prefixes.len()];
        for _ in 0..runs(ROUNDS) {
            for (i, p) in prefixes.iter().enumerate() {
                let t = Instant::now();
                let hits = book.search(p, options).unwrap();
                let micros = t.elapsed().as_secs_f64() * 1e6;
                times.push(micros);
                by_prefix[i].push(micros);
                std::hint::black_box(hits);
            }
        }
        for (p, mut t) in prefixes.iter().zip(by_prefix) {
            t.sort_by(|a, b| a.total_cmp(b));
            per_keystroke.push((percentile(&t, 0.5), p.to_string()));
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "| `{q}` | {} | {:.0} | {:.0} | {:.0} |",
            prefixes.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times[times.len() - 1]
        );
        all.extend(times);
    }
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| **all keystrokes** | {} | **{:.0}** | **{:.0}** | {:.0} |",
        all.len() / runs(ROUNDS),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all[all.len() - 1]
    );
    per_keystroke.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = per_keystroke.iter().take(SLOWEST_SHOWN).map(|(t, p)| format!("`{p}` {t:.0}")).collect();
    println!("\nSlowest keystrokes (median µs): {}", slowest.join(", "));
}

/// Suggestion latency per note of `benches/notes/`, ICD-10-CM only.
fn suggest_table(icd10cm: &[&[u8]]) {
    println!("\n## Suggestion latency per note, ICD-10-CM only\n");
    println!(
        "First read: a fresh code book's first suggestion for the note (median of {}). Again: the same note",
        runs(SUGGEST_FIRST_READS)
    );
    println!(
        "once more on that book ({} rounds), as when the clinician types on and the note is read again.\n",
        runs(SUGGEST_ROUNDS)
    );
    println!("| note | characters | suggestions | first read p50 ms | again p50 ms | again p99 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    let options = SuggestOptions::default();
    for (name, text) in common::notes() {
        let mut first = Vec::with_capacity(runs(SUGGEST_FIRST_READS));
        let mut found = 0;
        for _ in 0..runs(SUGGEST_FIRST_READS) {
            let mut book = CodeBook::open(icd10cm).unwrap();
            book.set_today(20261127);
            let t = Instant::now();
            found = book.suggest(&text, &options).unwrap().len();
            first.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let mut book = CodeBook::open(icd10cm).unwrap();
        book.set_today(20261127);
        let mut again = Vec::with_capacity(runs(SUGGEST_ROUNDS));
        for _ in 0..runs(SUGGEST_ROUNDS) {
            let t = Instant::now();
            std::hint::black_box(book.suggest(&text, &options).unwrap());
            again.push(t.elapsed().as_secs_f64() * 1e3);
        }
        first.sort_by(|a, b| a.total_cmp(b));
        again.sort_by(|a, b| a.total_cmp(b));
        println!(
            "| `{name}` | {} | {found} | {:.1} | {:.1} | {:.1} |",
            text.chars().count(),
            percentile(&first, 0.5),
            percentile(&again, 0.5),
            percentile(&again, 0.99)
        );
    }
}

/// The process's resident memory in KiB (Linux), `None` elsewhere.
fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

/// Resident memory before and after many suggestions of the shortest note:
/// what a call keeps (its caches are bounded) must not grow with calls.
fn memory_across_calls(book: &CodeBook) {
    let notes = common::notes();
    let Some((name, text)) = notes.first() else { return };
    let options = SuggestOptions::default();
    // Warm: the caches filled, the allocator's pools made.
    for _ in 0..100 {
        std::hint::black_box(book.suggest(text, &options).unwrap());
    }
    let before = resident_kib();
    for _ in 0..runs(MEMORY_CALLS) {
        std::hint::black_box(book.suggest(text, &options).unwrap());
    }
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        let calls = runs(MEMORY_CALLS);
        println!("\nResident memory across {calls} suggestions of `{name}`: {before} KiB before, {after} KiB after.");
    }
}

/// `check` of the 30-code claim (inpatient, age and sex given): the first
/// check of a fresh code book (it decodes the edit tables), and again.
fn check_table(book: &CodeBook, slices: &[&[u8]]) {
    let codes: Vec<CodeToCheck> =
        common::CHECK_SET.iter().map(|c| CodeToCheck { system: None, code: c.to_string() }).collect();
    let context = CheckContext {
        age: Some(72),
        sex: Some(chartcode::flags::Sex::Female),
        setting: Some(chartcode::search::Setting::Inpatient),
        ..CheckContext::default()
    };
    let mut first = Vec::new();
    for _ in 0..runs(5) {
        let mut fresh = CodeBook::open(slices).unwrap();
        fresh.set_today(20261127);
        let t = Instant::now();
        std::hint::black_box(fresh.check(&codes, &context).unwrap());
        first.push(t.elapsed().as_secs_f64() * 1e3);
    }
    first.sort_by(|a, b| a.total_cmp(b));
    let report = book.check(&codes, &context).unwrap();
    let mut times = Vec::with_capacity(runs(ROUNDS));
    for _ in 0..runs(ROUNDS) {
        let t = Instant::now();
        std::hint::black_box(book.check(&codes, &context).unwrap());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("\n## Check latency, all public books ({} rounds)\n", runs(ROUNDS));
    println!("| code set | findings | first check p50 ms | again p50 ms | again p99 ms |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| 30 codes, inpatient, age and sex | {} | {:.2} | {:.3} | {:.3} |",
        report.findings.len(),
        percentile(&first, 0.5),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing else is understood.
    let packs = common::packs();
    println!("## Pack sizes\n");
    println!("| pack | section | bytes |");
    println!("|---|---|---:|");
    for built in &packs {
        let pack = Pack::open(&built.bytes).unwrap();
        let name = format!("{}.pack", built.system.id);
        println!("| {name} | header | {} |", pack.header_len());
        for s in pack.sections() {
            println!("| {name} | {} | {} |", s.name(), s.len);
        }
        println!("| {name} | **total** | **{}** |", pack.size());
    }

    let slices: Vec<&[u8]> = packs.iter().map(|p| p.bytes.as_slice()).collect();
    let mut book = CodeBook::open(&slices).unwrap();
    book.set_today(20261127);
    let icd10cm: Vec<&[u8]> = packs.iter().filter(|p| p.system.id == "icd10cm").map(|p| p.bytes.as_slice()).collect();
    let icd10cm_book = CodeBook::open(&icd10cm).unwrap();
    let options = SearchOptions::default();

    for (name, b) in [("ICD-10-CM only", &icd10cm_book), ("all public books", &book)] {
        println!("\n## Type-ahead latency per keystroke, {name} ({} rounds, limit {})\n", runs(ROUNDS), options.limit);
        typing_table(b, &options);
    }

    println!("\n## Lookup latency ({} rounds)\n", runs(ROUNDS));
    println!("| code | p50 µs | p99 µs |");
    println!("|---|---:|---:|");
    for code in common::LOOKUPS {
        let mut times = Vec::with_capacity(runs(ROUNDS));
        for _ in 0..runs(ROUNDS) {
            let t = Instant::now();
            std::hint::black_box(book.lookup(code, None).unwrap());
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("| `{code}` | {:.1} | {:.1} |", percentile(&times, 0.5), percentile(&times, 0.99));
    }

    check_table(&book, &slices);
    suggest_table(&icd10cm);
    memory_across_calls(&icd10cm_book);

    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        std::hint::black_box(CodeBook::open(&slices).unwrap());
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("\nOpening all packs (header + checksums): p50 {:.0} µs", percentile(&times, 0.5));
}
