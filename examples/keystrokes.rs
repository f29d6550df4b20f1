//! Prints the search time of every prefix of one query (a diagnostic aid).
use chartcode::{CodeBook, SearchOptions};
fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    let packs = chartcode::compile::build_all(&dir).unwrap();
    let slices: Vec<&[u8]> = packs.iter().map(|p| p.bytes.as_slice()).collect();
    let book = CodeBook::open(&slices).unwrap();
    for q in std::env::args().skip(1) {
        for len in (1..=q.len()).filter(|&n| q.is_char_boundary(n)) {
            let p = &q[..len];
            let t = std::time::Instant::now();
            let mut hits = Vec::new();
            for _ in 0..50 {
                hits = book.search(p, &SearchOptions::default()).unwrap();
            }
            let us = t.elapsed().as_secs_f64() * 1e6 / 50.0;
            println!(
                "{us:8.0} µs  {p:<45} {}",
                hits.first().map(|h| format!("{} {}", h.entry.code, h.entry.title)).unwrap_or_default()
            );
        }
    }
}
