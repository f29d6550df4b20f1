//! Runs the bench queries in a loop, for a profiler (`perf record`).
use chartcode::{CodeBook, SearchOptions};
fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    let packs = chartcode::compile::build_all(&dir).unwrap();
    let slices: Vec<&[u8]> = packs.iter().map(|p| p.bytes.as_slice()).collect();
    let book = CodeBook::open(&slices).unwrap();
    let q: Vec<String> = std::env::args().skip(1).collect();
    let queries: Vec<&str> = if q.is_empty() {
        vec![
            "type 2 diabetes without complications",
            "fracture of neck of right femur initial",
            "pneumonia unspecified organism",
            "chf",
        ]
    } else {
        q.iter().map(|s| s.as_str()).collect()
    };
    let t = std::time::Instant::now();
    let mut n = 0;
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(100);
    for _ in 0..rounds {
        for q in &queries {
            for len in 1..=q.len() {
                std::hint::black_box(book.search(&q[..len], &SearchOptions::default()).unwrap());
                n += 1;
            }
        }
    }
    eprintln!("{n} searches, mean {:.0} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}
