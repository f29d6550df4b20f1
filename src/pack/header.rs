//! The pack header: magic, version, lengths, checksum, system, counts,
//! release label, and the section table (tag, offset, length per section).
//! See [`format::FIXED_HEADER_LEN`] for the field order.

use super::{align4, format, read_u16, read_u32};
use crate::error::PackError;
use crate::model::CodeSystem;

/// One section as listed in the section table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionInfo {
    pub tag: [u8; 4],
    pub offset: u32,
    pub len: u32,
}

impl SectionInfo {
    /// The tag as text (`"RECS"`).
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&self.tag).into_owned()
    }
}

/// The checked header of a pack.
pub(crate) struct Header<'a> {
    pub(crate) header_len: usize,
    pub(crate) system: &'static CodeSystem,
    pub(crate) release: &'a str,
    pub(crate) record_count: u32,
    pub(crate) billable_count: u32,
    pub(crate) section_table: &'a [u8],
}

impl<'a> Header<'a> {
    /// Checks magic, version, length, checksum and every header field.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Header<'a>, PackError> {
        if bytes.len() < format::FIXED_HEADER_LEN {
            if bytes.len() >= 8 && bytes[..8] != format::MAGIC {
                return Err(PackError::BadMagic);
            }
            return Err(PackError::TooShort { len: bytes.len() });
        }
        if bytes[..8] != format::MAGIC {
            return Err(PackError::BadMagic);
        }
        let version = read_u16(bytes, 8).unwrap_or(0);
        if version != format::FORMAT_VERSION {
            return Err(PackError::UnsupportedVersion { found: version, supported: format::FORMAT_VERSION });
        }
        let declared = u64::from(read_u32(bytes, 16).unwrap_or(0));
        if declared != bytes.len() as u64 {
            return Err(PackError::LengthMismatch { declared, actual: bytes.len() });
        }
        let stored = read_u32(bytes, 12).unwrap_or(0);
        let computed = crc32fast::hash(&bytes[format::CHECKSUM_START..]);
        if stored != computed {
            return Err(PackError::ChecksumMismatch { stored, computed });
        }

        let header_len = read_u16(bytes, 10).unwrap_or(0) as usize;
        let system_raw = &bytes[20..28];
        let system_id_len = system_raw.iter().position(|&b| b == 0).unwrap_or(8);
        let system_id = std::str::from_utf8(&system_raw[..system_id_len])
            .map_err(|_| PackError::BadHeader("system id is not text"))?;
        let system = CodeSystem::from_id(system_id)
            .filter(|s| s.id == system_id)
            .ok_or_else(|| PackError::UnknownSystem(system_id.to_string()))?;
        let record_count = read_u32(bytes, 28).unwrap_or(0);
        let billable_count = read_u32(bytes, 32).unwrap_or(0);
        let release_len = read_u16(bytes, 36).unwrap_or(0) as usize;
        let section_count = read_u16(bytes, 38).unwrap_or(0) as usize;
        if release_len > format::MAX_RELEASE_LEN {
            return Err(PackError::BadHeader("release label too long"));
        }
        if record_count as usize > format::MAX_RECORDS || billable_count > record_count {
            return Err(PackError::BadHeader("record counts out of range"));
        }
        let table_start = align4(format::FIXED_HEADER_LEN + release_len);
        let expected_header_len = table_start + section_count * format::SECTION_ENTRY_LEN;
        if header_len != expected_header_len || header_len > bytes.len() {
            return Err(PackError::BadHeader("header length does not match its fields"));
        }
        let release = std::str::from_utf8(&bytes[format::FIXED_HEADER_LEN..format::FIXED_HEADER_LEN + release_len])
            .map_err(|_| PackError::BadHeader("release label is not UTF-8"))?;
        Ok(Header {
            header_len,
            system,
            release,
            record_count,
            billable_count,
            section_table: &bytes[table_start..header_len],
        })
    }
}

/// The sections of a pack, found through its section table.
pub(crate) struct Sections<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) header_len: usize,
    pub(crate) table: &'a [u8],
}

impl<'a> Sections<'a> {
    /// The table's entries, in file order.
    pub(crate) fn list(table: &[u8]) -> impl Iterator<Item = SectionInfo> + '_ {
        table.chunks_exact(format::SECTION_ENTRY_LEN).map(|e| SectionInfo {
            tag: [e[0], e[1], e[2], e[3]],
            offset: u32::from_le_bytes([e[4], e[5], e[6], e[7]]),
            len: u32::from_le_bytes([e[8], e[9], e[10], e[11]]),
        })
    }

    /// Every section with this tag, in table order; each must lie in the
    /// body (after the header, inside the pack).
    pub(crate) fn get_all(&self, wanted: [u8; 4], name: &'static str) -> Result<Vec<&'a [u8]>, PackError> {
        let mut out = Vec::new();
        for e in Self::list(self.table).filter(|e| e.tag == wanted) {
            let start = e.offset as usize;
            match start.checked_add(e.len as usize) {
                Some(end) if start >= self.header_len && end <= self.bytes.len() => out.push(&self.bytes[start..end]),
                _ => return Err(PackError::SectionOutOfBounds { tag: name.to_string(), offset: e.offset, len: e.len }),
            }
        }
        Ok(out)
    }

    /// The first section with this tag; a required section that is absent
    /// is [`PackError::MissingSection`].
    pub(crate) fn get(&self, wanted: [u8; 4], name: &'static str) -> Result<&'a [u8], PackError> {
        self.get_all(wanted, name)?.into_iter().next().ok_or(PackError::MissingSection(name))
    }

    /// An optional section: `None` when absent.
    pub(crate) fn optional(&self, wanted: [u8; 4], name: &'static str) -> Result<Option<&'a [u8]>, PackError> {
        Ok(self.get_all(wanted, name)?.into_iter().next())
    }
}

/// Assembles a pack: header, section table, sections (each 4-aligned),
/// then the total length and the checksum filled in.
#[cfg(feature = "compiler")]
pub(crate) fn assemble(
    system: &CodeSystem,
    release: &str,
    record_count: u32,
    billable_count: u32,
    sections: &[([u8; 4], Vec<u8>)],
) -> Result<Vec<u8>, crate::compile::CompileError> {
    use crate::compile::CompileError;
    let release = release.as_bytes();
    let header_len = align4(format::FIXED_HEADER_LEN + release.len()) + sections.len() * format::SECTION_ENTRY_LEN;
    let mut out = Vec::with_capacity(header_len + sections.iter().map(|s| s.1.len() + 3).sum::<usize>());
    out.extend_from_slice(&format::MAGIC);
    out.extend_from_slice(&format::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(&[0; 4]); // crc32, filled in last
    out.extend_from_slice(&[0; 4]); // total length, filled in last
    let mut id = [0u8; 8];
    id[..system.id.len()].copy_from_slice(system.id.as_bytes());
    out.extend_from_slice(&id);
    out.extend_from_slice(&record_count.to_le_bytes());
    out.extend_from_slice(&billable_count.to_le_bytes());
    out.extend_from_slice(&(release.len() as u16).to_le_bytes());
    out.extend_from_slice(&(sections.len() as u16).to_le_bytes());
    out.extend_from_slice(release);
    out.resize(align4(out.len()), 0);
    let mut offset = header_len;
    for (t, data) in sections {
        out.extend_from_slice(t);
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        offset = align4(offset + data.len());
    }
    debug_assert_eq!(out.len(), header_len);
    for (_, data) in sections {
        out.extend_from_slice(data);
        out.resize(align4(out.len()), 0);
    }
    let total = u32::try_from(out.len()).map_err(|_| CompileError::Invalid("pack over 4 GiB".into()))?;
    out[16..20].copy_from_slice(&total.to_le_bytes());
    reseal(&mut out);
    Ok(out)
}

/// Recomputes the checksum of a pack whose bytes were changed (the
/// compiler's last step; also how tests and fuzzers forge packs that get
/// past the checksum).
pub fn reseal(pack: &mut [u8]) {
    if pack.len() >= format::FIXED_HEADER_LEN {
        let crc = crc32fast::hash(&pack[format::CHECKSUM_START..]);
        pack[12..16].copy_from_slice(&crc.to_le_bytes());
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let system = CodeSystem::from_id("icd10cm").unwrap();
        let sections = vec![(*b"AAAA", vec![1, 2, 3]), (*b"BBBB", vec![4; 9])];
        let bytes = assemble(system, "FY2026", 10, 4, &sections).unwrap();
        let h = Header::parse(&bytes).unwrap();
        assert_eq!((h.system.id, h.release, h.record_count, h.billable_count), ("icd10cm", "FY2026", 10, 4));
        let s = Sections { bytes: &bytes, header_len: h.header_len, table: h.section_table };
        assert_eq!(s.get(*b"BBBB", "BBBB").unwrap(), &[4; 9][..]);
        assert_eq!(s.optional(*b"CCCC", "CCCC").unwrap(), None);
        let mut flipped = bytes.clone();
        flipped[41] ^= 1;
        assert!(matches!(Header::parse(&flipped), Err(PackError::ChecksumMismatch { .. })));
        reseal(&mut flipped);
        assert!(Header::parse(&flipped).is_ok());
    }
}
