//! `META`: key/value strings about the build (publisher, source file,
//! sha256). A u32 count, then varint-length-prefixed key and value each.

use super::read_u32;
use crate::error::PackError;
use crate::varint;

/// Calls `f` with every entry, in stored order; checked in full at open.
pub(crate) fn walk<'a>(meta: &'a [u8], mut f: impl FnMut(&'a str, &'a str)) -> Result<(), PackError> {
    let corrupt = |detail| PackError::Corrupt { section: "META", detail };
    let count = read_u32(meta, 0).ok_or_else(|| corrupt("no entry count"))?;
    let mut pos = 4;
    let read_str = |pos: &mut usize| -> Result<&'a str, PackError> {
        let len = varint::read_u32(meta, pos).ok_or_else(|| corrupt("entry truncated"))? as usize;
        let bytes = meta.get(*pos..pos.saturating_add(len)).ok_or_else(|| corrupt("entry truncated"))?;
        *pos += len;
        std::str::from_utf8(bytes).map_err(|_| corrupt("entry is not UTF-8"))
    };
    for _ in 0..count {
        let k = read_str(&mut pos)?;
        let v = read_str(&mut pos)?;
        f(k, v);
    }
    Ok(())
}

/// The section for `entries`.
#[cfg(feature = "compiler")]
pub(crate) fn write(entries: &[(String, String)]) -> Vec<u8> {
    let mut meta = Vec::new();
    meta.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (k, v) in entries {
        for s in [k, v] {
            varint::write(&mut meta, s.len() as u64);
            meta.extend_from_slice(s.as_bytes());
        }
    }
    meta
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    #[test]
    fn round_trip() {
        let entries = vec![("source".to_string(), "a.xml".to_string()), ("sha256".into(), "ab".into())];
        let bytes = super::write(&entries);
        let mut out = Vec::new();
        super::walk(&bytes, |k, v| out.push((k.to_string(), v.to_string()))).unwrap();
        assert_eq!(out, entries);
        assert!(super::walk(&bytes[..bytes.len() - 1], |_, _| {}).is_err());
    }
}
