//! Prints the table of `docs/PERFORMANCE.md`: pack sizes by section, and
//! per-keystroke latency (p50/p99) of type-ahead search and of lookup.
//!
//! Every prefix of every query is searched `ROUNDS` times; the percentiles
//! are over all those searches. Run with `make bench`.

#[path = "common.rs"]
mod common;

use chartcode::{CodeBook, Pack, SearchOptions};
use std::time::Instant;

const ROUNDS: usize = 200;

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
        let mut times = Vec::with_capacity(prefixes.len() * ROUNDS);
        let mut by_prefix = vec![Vec::with_capacity(ROUNDS); prefixes.len()];
        for _ in 0..ROUNDS {
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
        all.len() / ROUNDS,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all[all.len() - 1]
    );
    per_keystroke.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = per_keystroke.iter().take(SLOWEST_SHOWN).map(|(t, p)| format!("`{p}` {t:.0}")).collect();
    println!("\nSlowest keystrokes (median µs): {}", slowest.join(", "));
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
        println!("\n## Type-ahead latency per keystroke, {name} ({ROUNDS} rounds, limit {})\n", options.limit);
        typing_table(b, &options);
    }

    println!("\n## Lookup latency ({ROUNDS} rounds)\n");
    println!("| code | p50 µs | p99 µs |");
    println!("|---|---:|---:|");
    for code in common::LOOKUPS {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            std::hint::black_box(book.lookup(code, None).unwrap());
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("| `{code}` | {:.1} | {:.1} |", percentile(&times, 0.5), percentile(&times, 0.99));
    }

    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        std::hint::black_box(CodeBook::open(&slices).unwrap());
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("\nOpening all packs (header + checksums): p50 {:.0} µs", percentile(&times, 0.5));
}
