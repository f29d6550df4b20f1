//! Suggests codes for a note in a loop, for a profiler (`perf record`):
//! `cargo run --profile profiling --example profile_suggest -- NOTE.txt`.
//!
//! `ROUNDS=n` repeats (default 200); `PACKS=dir` reads built packs from
//! `dir` (default `packs/`); only the ICD-10-CM pack is opened.
use chartcode::{CodeBook, SuggestOptions};
use std::time::Instant;
fn main() {
    let dir = std::env::var("PACKS").unwrap_or_else(|_| "packs".to_string());
    let pack = std::fs::read(std::path::Path::new(&dir).join("icd10cm.pack")).expect("packs/icd10cm.pack (make packs)");
    let book = CodeBook::open(&[pack.as_slice()]).expect("pack opens");
    let path = std::env::args().nth(1).expect("a note file");
    let note = std::fs::read_to_string(path).expect("a readable UTF-8 note");
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(200);
    let options = SuggestOptions::default();
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(book.suggest(&note, &options).expect("suggests"));
    }
    println!("{:.2} ms per note", start.elapsed().as_secs_f64() * 1e3 / rounds as f64);
}
