//! Counts of the crosswalks' targets by flag, for docs/CROSSWALKS.md:
//! `cargo run --release --example gem_counts -- packs`.

use chartcode::pack::{format, CrosswalkDirection, Pack};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "packs".into());
    for system in ["icd9cm", "icd9proc"] {
        let bytes = std::fs::read(format!("{dir}/{system}.pack"))?;
        let pack = Pack::open(&bytes)?;
        for cw in pack.crosswalks() {
            let (mut sources, mut targets, mut refined, mut missing, mut no_map, mut approximate) = (0, 0, 0, 0, 0, 0);
            for source in cw.sources_under("", usize::MAX) {
                sources += 1;
                for t in cw.targets(&pack, &source)?.unwrap_or_default() {
                    targets += 1;
                    refined += usize::from(t.flags & format::XW_REFINED != 0);
                    missing += usize::from(t.flags & format::XW_NOT_IN_RELEASE != 0);
                    no_map += usize::from(t.flags & format::XW_NO_MAP != 0);
                    approximate += usize::from(t.flags & format::XW_APPROXIMATE != 0);
                }
            }
            let direction = if cw.direction == CrosswalkDirection::From { "from" } else { "to" };
            println!(
                "| {system} | {direction} {} | {} | {sources} | {targets} | {approximate} | {no_map} | {refined} | {missing} |",
                cw.other.id, cw.label
            );
        }
    }
    Ok(())
}
