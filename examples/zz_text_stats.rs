use std::collections::HashMap;
fn main() {
    let dir = std::path::Path::new("codebooks");
    let manifest = chartcode::compile::sources::Manifest::load(dir).unwrap();
    for entry in &manifest.books {
        let book = chartcode::compile::compile_book(dir, entry).unwrap();
        let mut title_pieces = 0usize;
        let mut shared_pieces = 0usize;
        let mut note_bytes = 0usize;
        let mut dup_note_bytes = 0usize;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut title_bytes = 0usize;
        let mut notes_n = 0usize;
        let mut noteset_seen: HashMap<String, usize> = HashMap::new();
        let mut dup_set_bytes = 0usize;
        for r in &book.records {
            if r.is_composed() {
                continue;
            }
            let t: Vec<&str> = r.title.split_whitespace().collect();
            title_pieces += t.len();
            title_bytes += r.title.len();
            if let Some(p) = r.parent {
                let pt: Vec<&str> = book.records[p as usize].title.split_whitespace().collect();
                let s = t.iter().zip(pt.iter()).take_while(|(a, b)| a == b).count();
                shared_pieces += s;
            }
            let mut set = String::new();
            for (k, n) in &r.notes {
                note_bytes += n.len();
                notes_n += 1;
                let key = format!("{:?}{}", k, n);
                let c = seen.entry(key.clone()).or_insert(0);
                if *c > 0 {
                    dup_note_bytes += n.len();
                }
                *c += 1;
                set.push_str(&key);
            }
            if !set.is_empty() {
                let c = noteset_seen.entry(set.clone()).or_insert(0);
                if *c > 0 {
                    dup_set_bytes += set.len();
                }
                *c += 1;
            }
        }
        println!("{}: title pieces {title_pieces} shared-with-parent {shared_pieces} title bytes {title_bytes}; notes {notes_n} bytes {note_bytes} dup {dup_note_bytes} dupsets {dup_set_bytes}", book.system.id);
    }
}
