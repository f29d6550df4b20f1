//! Where the `chartcode` command line reads its packs from, so that a
//! copied or `cargo install`ed binary works on its own.
//!
//! In order: `--packs DIR`; `$CHARTCODE_PACKS`; `./packs` when it holds
//! packs (a checkout after `make packs`); else the **built-in code books**:
//! the binary carries the vendored `codebooks/` (embedded by `build.rs`) and
//! compiles them once into a per-user cache folder named after their hash
//! (`$XDG_CACHE_HOME/chartcode/`, else `~/.cache/chartcode/`), saying so on
//! stderr. A rebuilt binary with other code books gets a folder of its own.
//! `chartcode stats` says which packs were loaded from where.

use chartcode::compile;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_codebooks.rs"));

/// Where the packs of a command come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// A folder named by `--packs`, `$CHARTCODE_PACKS` or `./packs`.
    Folder { dir: PathBuf, named_by: &'static str },
    /// The code books built into the binary, compiled into this cache.
    BuiltIn { cache: PathBuf },
}

impl PackSource {
    /// The folder the packs are read from.
    pub fn dir(&self) -> &Path {
        match self {
            PackSource::Folder { dir, .. } | PackSource::BuiltIn { cache: dir } => dir,
        }
    }

    /// How `stats` names the source.
    pub fn describe(&self) -> String {
        match self {
            PackSource::Folder { dir, named_by } => format!("{} ({named_by})", dir.display()),
            PackSource::BuiltIn { cache } => {
                format!(
                    "the code books built into chartcode {}, compiled into {}",
                    env!("CARGO_PKG_VERSION"),
                    cache.display()
                )
            }
        }
    }
}

/// Chooses the source (see the module comment).
pub fn choose(explicit: Option<&Path>) -> Result<PackSource, String> {
    if let Some(dir) = explicit {
        return Ok(PackSource::Folder { dir: dir.to_path_buf(), named_by: "--packs" });
    }
    if let Some(dir) = std::env::var_os("CHARTCODE_PACKS").filter(|d| !d.is_empty()) {
        return Ok(PackSource::Folder { dir: PathBuf::from(dir), named_by: "$CHARTCODE_PACKS" });
    }
    let local = PathBuf::from("packs");
    if holds_packs(&local) {
        return Ok(PackSource::Folder { dir: local, named_by: "./packs" });
    }
    // Named after the books, the compiler's version and the pack format, so
    // that a binary with other books or another compiler never reads packs
    // it did not build.
    let name = format!(
        "packs-{}-v{}-{EMBEDDED_CODEBOOKS_HASH:016x}",
        env!("CARGO_PKG_VERSION"),
        chartcode::pack::format::FORMAT_VERSION
    );
    Ok(PackSource::BuiltIn { cache: cache_dir()?.join(name) })
}

fn holds_packs(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).any(|e| e.path().extension().is_some_and(|x| x == "pack")))
        .unwrap_or(false)
}

fn cache_dir() -> Result<PathBuf, String> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("no packs: give --packs DIR or set $CHARTCODE_PACKS (neither $XDG_CACHE_HOME nor $HOME is set to build the built-in code books into)")?;
    Ok(base.join("chartcode"))
}

/// How many packs the built-in code books make (one per book of the
/// embedded manifest): a cache with fewer lost some.
pub const BOOK_COUNT: usize = EMBEDDED_BOOK_COUNT;

/// Makes sure the built-in code books are compiled into `cache` (the first
/// time: see [`build`]).
pub fn ensure_built(cache: &Path) -> Result<(), String> {
    if holds_packs(cache) {
        return Ok(());
    }
    build(cache)
}

/// Builds `cache` again: its packs did not read back, or some are missing.
pub fn rebuild(cache: &Path) -> Result<(), String> {
    eprintln!("chartcode: the cached packs in {} do not open; building them again", cache.display());
    std::fs::remove_dir_all(cache).map_err(|e| format!("cannot remove {}: {e}", cache.display()))?;
    build(cache)
}

/// Unpacks the embedded sources beside `cache`, compiles every book and
/// moves the packs into place in one rename (so that two commands run at
/// once never see half a folder).
fn build(cache: &Path) -> Result<(), String> {
    let parent = cache.parent().ok_or("the cache folder has no parent")?;
    let work = parent.join(format!(".build-{}-{}", EMBEDDED_CODEBOOKS_HASH, std::process::id()));
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("cannot build the built-in code books ({what}): {e}");
    eprintln!("chartcode: building the built-in code books into {} (once; about half a minute)", cache.display());
    let sources = work.join("codebooks");
    for (path, bytes) in EMBEDDED_CODEBOOKS {
        let target = sources.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(&dir.display().to_string(), &e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| fail(&target.display().to_string(), &e))?;
    }
    let result = (|| {
        let packs = compile::build_all(&sources).map_err(|e| fail("compile", &e))?;
        let built = work.join("packs");
        compile::write_packs(&built, &packs).map_err(|e| fail("write", &e))?;
        match std::fs::rename(&built, cache) {
            Ok(()) => Ok(()),
            // Another chartcode finished first: its packs are the same.
            Err(_) if holds_packs(cache) => Ok(()),
            Err(e) => Err(fail(&cache.display().to_string(), &e)),
        }
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}
