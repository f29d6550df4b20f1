//! Runs the bench queries in a loop, for a profiler (`perf record`).
//!
//! `ROUNDS=n` repeats, `WHOLE=1` searches each query only as a whole (not
//! letter by letter), `SYSTEM=icd10cm` opens that book's pack alone,
//! `PACKS=dir` reads built packs from `dir` instead of compiling them (so
//! that the profile is of the search alone).
use chartcode::{CodeBook, SearchOptions};
fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks");
    let packs: Vec<(String, Vec<u8>)> = match std::env::var("PACKS") {
        Ok(dir) => std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect(),
        Err(_) => chartcode::compile::build_all(&dir)
            .unwrap()
            .into_iter()
            .map(|p| (p.system.id.to_string(), p.bytes))
            .collect(),
    };
    let system = std::env::var("SYSTEM").ok();
    let slices: Vec<&[u8]> = packs
        .iter()
        .filter(|(id, _)| system.as_deref().is_none_or(|s| s == id))
        .map(|(_, bytes)| bytes.as_slice())
        .collect();
    let whole = std::env::var("WHOLE").is_ok();
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
            let first = if whole { q.len() } else { 1 };
            for len in (first..=q.len()).filter(|&n| q.is_char_boundary(n)) {
                std::hint::black_box(book.search(&q[..len], &SearchOptions::default()).unwrap());
                n += 1;
            }
        }
    }
    eprintln!("{n} searches, mean {:.0} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}
