//! chartcode: medical code books compiled into compact packs, searched in
//! the browser (WebAssembly) or natively with one search core.
//!
//! The crate has two halves:
//!
//! * the **reading side** — [`pack`] (zero-copy pack reader) and [`search`]
//!   (lookup, browse, type-ahead search) — which depends only on `fst`,
//!   `crc32fast` and `serde`, and compiles for `wasm32-unknown-unknown`;
//! * the **building side** — `compile` (feature `compiler`, native only),
//!   which turns the official release files in `codebooks/` into packs;
//! * the **JS API** — `wasm` (feature `wasm`), the WebAssembly module's
//!   `CodeBook` class over the reading side, with the packs embedded.
//!
//! See `docs/ARCHITECTURE.md` for the tour.

pub mod check;
pub mod citations;
pub mod dates;
pub mod error;
pub mod flags;
pub mod model;
pub mod normalize;
pub mod pack;
pub mod pcs;
pub mod search;
pub mod suggest;
pub mod syntax;
pub mod varint;

#[cfg(feature = "compiler")]
pub mod compile;
#[cfg(feature = "compiler")]
pub mod eval;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use error::{PackError, QueryError};
pub use model::{CodeSystem, Field, Kind, NoteKind};
pub use pack::Pack;
pub use search::{CodeBook, Coding, Hit, Lookup, SearchOptions, SystemInfo, Validation};
pub use suggest::{SuggestOptions, Suggestion};
