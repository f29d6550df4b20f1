//! Shared pieces of the fuzz targets: resealing a pack after a mutation, the
//! real packs, and the bounded sweep over every reader and search API.
//!
//! Nothing here may panic on its own: a panic in a target must come from
//! chartcode (results are ignored, only panics, huge allocations and hangs
//! count).

use chartcode::pack::format;
use chartcode::search::{self, CodeBook, SearchOptions};
use chartcode::Pack;
use std::sync::OnceLock;

/// The real packs, by file name, in this order (the seed selector of
/// `pack_resealed` indexes it).
pub const PACK_FILES: [&str; 5] = ["icd10cm.pack", "icd10pcs.pack", "hcpcs.pack", "icd9cm.pack", "icd9proc.pack"];

/// Every code system id the search knows (licensed ones included: asking
/// for an unloaded system is a path too).
pub const SYSTEMS: [&str; 8] = ["icd10cm", "icd10pcs", "hcpcs", "icd9cm", "icd9proc", "cpt", "cdt", "nonsense"];

/// Dates a book is read on: unknown, before, around and after the HCPCS
/// termination dates.
pub const DATES: [u32; 5] = [0, 19990101, 20250101, 20261127, 29991231];

/// Where the real packs are: `$CHARTCODE_FUZZ_PACKS`, else `packs/` of the
/// repository this crate is in (`make packs` writes them there).
pub fn packs_dir() -> std::path::PathBuf {
    match std::env::var_os("CHARTCODE_FUZZ_PACKS") {
        Some(p) => p.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("packs"),
    }
}

/// The real packs' bytes, read once (leaked: they live as long as the
/// fuzzer). Aborts with a clear message when they are missing, because a
/// fuzzer without its packs would only fuzz the error path.
pub fn real_packs() -> &'static [&'static [u8]] {
    static PACKS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    PACKS.get_or_init(|| {
        let dir = packs_dir();
        PACK_FILES
            .iter()
            .map(|f| {
                let path = dir.join(f);
                let bytes = std::fs::read(&path).unwrap_or_else(|e| {
                    eprintln!(
                        "chartcode-fuzz: cannot read {} ({e}); run `make packs` or set CHARTCODE_FUZZ_PACKS",
                        path.display()
                    );
                    std::process::exit(2);
                });
                &*Box::leak(bytes.into_boxed_slice())
            })
            .collect()
    })
}

/// Rewrites the declared length (offset 16) and the checksum (offset 12)
/// so that `Pack::open` gets past them to the structure behind.
pub fn reseal(bytes: &mut [u8]) {
    if bytes.len() < format::CHECKSUM_START + 4 {
        return;
    }
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    bytes[16..20].copy_from_slice(&len.to_le_bytes());
    let crc = crc32fast::hash(&bytes[format::CHECKSUM_START..]);
    bytes[12..16].copy_from_slice(&crc.to_le_bytes());
}

/// A small deterministic generator (splitmix64), seeded from the input, for
/// the record ids and dates a sweep visits.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn from_bytes(data: &[u8]) -> Rng {
        // FNV-1a over the input.
        let mut h: u64 = 0xcbf29ce484222325;
        for &b in data {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        Rng(h)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            (self.next() % u64::from(n)) as u32
        }
    }
}

/// How many records at each end of a pack, and at random, a sweep visits.
pub const EDGE_IDS: u32 = 12;
pub const RANDOM_IDS: u32 = 16;
/// A pack with at most this many records is also dumped whole.
pub const DUMP_MAX_RECORDS: u32 = 2048;
/// The PCS builder walk: choices followed up per step, and in all.
pub const PCS_CHOICES: usize = 40;
pub const PCS_CALLS: usize = 120;
/// Headers (records with composed children) whose compositions are read.
pub const MAX_HEADERS: u32 = 4096;
/// Codes the book-level calls are made on.
pub const BOOK_CODES: u32 = 4;
/// A pack with at most this many records is always walked whole (the top
/// level, `systems()`); a larger one in one sweep of 8.
pub const WHOLE_MAX_RECORDS: u32 = 20_000;

/// Opens `bytes` and, when it opens, calls every reader and search API on a
/// bounded set of records: the first and last [`EDGE_IDS`], [`RANDOM_IDS`]
/// drawn from `rng`, and `extra` (ids near a mutation).
pub fn sweep(bytes: &[u8], rng: &mut Rng, extra: &[u32]) {
    let Ok(pack) = Pack::open(bytes) else { return };
    sweep_pack(pack, rng, extra);
}

pub fn sweep_pack(mut pack: Pack<'_>, rng: &mut Rng, extra: &[u32]) {
    let t0 = std::time::Instant::now();
    // CHARTCODE_FUZZ_TIME=1: how long each part of a sweep took (stderr).
    let timing = std::env::var_os("CHARTCODE_FUZZ_TIME").is_some();
    let lap = |what: &str| {
        if timing {
            eprintln!("{what}: {:?}", t0.elapsed())
        }
    };
    let n = pack.record_count();
    // Pack-wide readers.
    let _ = pack.system();
    let _ = pack.release();
    let _ = pack.billable_count();
    let _ = pack.sections().iter().map(|s| s.name()).count();
    let _ = pack.meta();
    let _ = pack.label_count();
    let _ = pack.compose_rule();
    let _ = pack.term_count();
    let _ = pack.label_words();
    for l in (0..pack.label_count().min(64)).chain([pack.label_count(), u32::MAX]) {
        let _ = pack.label(l);
        let _ = pack.label_content_words(l);
    }
    // Walks over every record, for small packs always, else now and then.
    let whole = n <= WHOLE_MAX_RECORDS || rng.below(8) == 0;
    if whole {
        let _ = pack.children(None);
    }
    let _ = pack.codes_with_prefix("", 16);

    lap("pack-wide readers");
    // Every row (cheap: a rank, a select and a word each), and every
    // header's composition, whose corruption only shows on the header.
    let mut headers = 0;
    for id in 0..n {
        let Ok(row) = pack.row(id) else { continue };
        if row.has_label_set && headers < MAX_HEADERS {
            headers += 1;
            let _ = pack.composed_count(id, &row);
            let _ = pack.composed_children_of(id, &row);
            let _ = pack.children(Some(id));
            if rng.below(64) == 0 {
                let _ = pack.code(id).map(|c| search::axis_choices(&pack, &c));
            }
        }
    }
    lap("every row and header");
    let mut ids: Vec<u32> = Vec::new();
    ids.extend(0..n.min(EDGE_IDS));
    ids.extend(n.saturating_sub(EDGE_IDS)..n);
    for _ in 0..RANDOM_IDS {
        ids.push(rng.below(n));
    }
    if n > 0 {
        ids.extend(extra.iter().take(48).map(|&id| id % n));
    }
    ids.extend([n, n.wrapping_add(1), u32::MAX]);
    ids.sort_unstable();
    ids.dedup();

    // Terms and postings: the first ones, and those starting like a title.
    let mut prefixes: Vec<String> = vec![String::new()];
    let mut codes: Vec<String> = Vec::new();
    let date = DATES[rng.below(DATES.len() as u32) as usize];
    pack.set_today(date);
    let _ = pack.today();
    for &id in &ids {
        let row = pack.row(id);
        let _ = pack.is_billable(id);
        let _ = pack.is_composed(id);
        let _ = pack.is_terminated(id);
        let _ = pack.terminated_on(id);
        if let Ok(c) = pack.code(id) {
            codes.push(c);
        }
        let _ = pack.normalized_code(id);
        if let Ok(t) = pack.title(id) {
            if let Some(w) = t.split_whitespace().next() {
                let w = chartcode::normalize::fold(w);
                prefixes.push(w.chars().take(3).collect());
                prefixes.push(w);
            }
        }
        let _ = pack.content_words(id);
        let _ = pack.notes(id);
        let _ = pack.children(Some(id));
        let _ = pack.ancestry(id);
        let _ = pack.subtree_end(id);
        let _ = pack.composed_labels(id);
        if let Ok(row) = row {
            let _ = pack.composed_count(id, &row);
            let _ = pack.composition(&row);
            let _ = pack.composed_children_of(id, &row);
        }
        let _ = search::entry(&pack, id);
        let _ = search::record(&pack, id);
    }
    lap("record readers");
    prefixes.truncate(12);
    for p in &prefixes {
        let mut terms = Vec::new();
        pack.for_terms_with_prefix(p, |k, t| {
            terms.push((k.to_string(), t));
            terms.len() < 8
        });
        for (k, t) in terms {
            let _ = pack.term(&k);
            let mut out = Vec::new();
            let _ = pack.postings(t, &mut out);
        }
    }
    lap("terms and postings");
    for cw in pack.crosswalks() {
        let _ = (cw.direction, cw.other.id, cw.label);
        let sources = cw.sources_under("", 8);
        for s in sources.iter().chain(codes.iter().take(8)) {
            let key: String = s.chars().filter(|c| *c != '.').collect();
            let _ = cw.targets(&pack, &key);
        }
    }

    lap("crosswalks");
    // The search core over this one pack.
    let pcs_like = pack.compose_rule().style == format::COMPOSE_AXES;
    let dump = n <= DUMP_MAX_RECORDS;
    let book = match CodeBook::new(vec![pack]) {
        Ok(b) => b,
        Err(_) => return,
    };
    let pack = &book.packs()[0];
    let system = pack.system().id;
    if whole {
        let _ = book.systems();
        let _ = book.children(None, None);
    }
    if dump {
        let _ = book.dump(None, |e| drop(e));
    }
    lap("systems, top level, dump");
    // The book-level calls list whole subtrees (a chapter's lookup decodes
    // every child), so only a few codes: chosen at random.
    let mut picked: Vec<String> = Vec::new();
    for _ in 0..BOOK_CODES {
        if !codes.is_empty() {
            picked.push(codes[rng.below(codes.len() as u32) as usize].clone());
        }
    }
    for code in &picked {
        let norm: String = code.chars().filter(|c| *c != '.').collect();
        let _ = book.lookup(code, None);
        let _ = book.lookup(&format!("{code}."), Some(system));
        let _ = book.validate(code, system);
        let _ = book.children(Some(code), None);
        for to in SYSTEMS {
            let _ = book.map(code, to);
        }
        // Partial codes: the PCS builder (`0DT6`), a code's beginnings.
        for cut in (1..norm.len()).rev() {
            if !norm.is_char_boundary(cut) {
                continue;
            }
            let part = &norm[..cut];
            if pcs_like || cut >= 3 {
                let _ = search::axis_choices(pack, part);
            }
            if cut + 1 == norm.len() {
                // (validate is lookup and more)
                let _ = book.validate(part, system);
            }
        }
        let opts = SearchOptions { systems: vec![system.to_string()], ..SearchOptions::default() };
        let _ = book.search(code, &opts);
    }
    lap("lookup, validate, children, map");
    for (i, p) in prefixes.iter().enumerate().skip(1) {
        let opts = SearchOptions {
            systems: Vec::new(),
            limit: if i % 2 == 0 { 20 } else { 1000 },
            billable_only: i % 3 == 0,
            within: codes.iter().skip(i).take(1).cloned().collect(),
            setting: (i % 5 == 0).then_some(chartcode::search::Setting::Snf),
        };
        let _ = book.search(p, &opts);
        if let Some(c) = codes.get(i) {
            let _ = book.search(&format!("{p} {c}"), &SearchOptions::default());
        }
    }
    lap("search");
    // A PCS-like book: the code builder as a user drives it, from the
    // tables among the first and the picked codes: at each step every
    // choice offered is asked for its next axis, and one is followed.
    if pcs_like {
        let mut tables: Vec<String> = pack.codes_with_prefix("", 8).into_iter().map(|(c, _)| c).collect();
        tables.extend(picked.iter().map(|c| c.chars().filter(|c| *c != '.').collect()));
        tables.retain(|t| t.len() >= 3 && t.is_char_boundary(3));
        tables.iter_mut().for_each(|t| t.truncate(3));
        tables.dedup();
        tables.truncate(4);
        let mut calls = 0;
        for table in tables {
            let mut prefix = table;
            for _ in 0..7 {
                let Ok(Some(choices)) = search::axis_choices(pack, &prefix) else { break };
                for c in choices.iter().take(PCS_CHOICES) {
                    if calls < PCS_CALLS {
                        calls += 1;
                        let _ = search::axis_choices(pack, &c.code);
                    }
                }
                let pick = rng.below(choices.len() as u32) as usize;
                prefix = choices[pick].code.clone();
                let _ = book.validate(&prefix, system);
            }
        }
    }
    lap("pcs builder");
}

/// The real packs as one code book per date in [`DATES`], built once.
pub fn real_books() -> &'static [CodeBook<'static>] {
    static BOOKS: OnceLock<Vec<CodeBook<'static>>> = OnceLock::new();
    BOOKS.get_or_init(|| {
        let base = CodeBook::open(real_packs()).unwrap_or_else(|e| {
            eprintln!("chartcode-fuzz: the real packs do not open: {e}");
            std::process::exit(2);
        });
        DATES
            .iter()
            .map(|&d| {
                let mut b = base.clone();
                b.set_today(d);
                b
            })
            .collect()
    })
}

/// Known bugs that a run may step over, so that it goes on to find others:
/// `CHARTCODE_FUZZ_IGNORE="src/syntax.rs:71,src/search/mod.rs:812"` lists
/// panic locations (`file:line`, as the panic message prints them, file
/// suffix match) that [`guard`] swallows instead of reporting a crash.
/// Unset (the default, and `make fuzz`), every panic is a crash.
fn ignored_locations() -> &'static [String] {
    static IGNORED: OnceLock<Vec<String>> = OnceLock::new();
    IGNORED.get_or_init(|| {
        std::env::var("CHARTCODE_FUZZ_IGNORE")
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
}

/// Runs `f`; a panic at a location listed in `CHARTCODE_FUZZ_IGNORE` is
/// swallowed (counted on stderr once per location), any other panic goes to
/// libFuzzer's hook and aborts as usual.
pub fn guard(f: impl FnOnce()) {
    static HOOKED: OnceLock<()> = OnceLock::new();
    if ignored_locations().is_empty() {
        return f();
    }
    HOOKED.get_or_init(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(loc) = info.location() {
                let here = format!("{}:{}", loc.file(), loc.line());
                if ignored_locations().iter().any(|l| here.ends_with(l.as_str())) {
                    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
                    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
                    if !seen.contains(&here) {
                        eprintln!("chartcode-fuzz: ignoring known panic at {here}");
                        seen.push(here);
                    }
                    return;
                }
            }
            fuzzer_hook(info);
        }));
    });
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
}
