//! `XWLK`: a crosswalk to or from another code system (the GEMs). A pack
//! may hold several; each section carries its direction, the other
//! system's id and an `fst` map from normalized source code to its targets.

use super::{format, open_fst, read_u32, Pack};
#[cfg(feature = "compiler")]
use crate::compile::CompileError;
use crate::error::PackError;
use crate::model::CodeSystem;
use crate::varint;

/// Which way a crosswalk goes, seen from the pack that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrosswalkDirection {
    /// From this pack's codes to the other system's.
    From,
    /// From the other system's codes to this pack's.
    To,
}

/// A crosswalk section, opened.
#[derive(Clone)]
pub struct Crosswalk<'a> {
    pub direction: CrosswalkDirection,
    /// The other code system.
    pub other: &'static CodeSystem,
    /// What the crosswalk is.
    pub label: &'a str,
    sources: fst::Map<&'a [u8]>,
    data: &'a [u8],
    /// Display rule of the other system's codes (dot after this many).
    dot_after: u8,
}

/// One target of a crosswalk entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkTarget {
    /// The target code in its official form; empty when there is no map.
    pub code: String,
    /// `format::XW_*` bits.
    pub flags: u8,
    pub scenario: u8,
    pub choice: u8,
    /// For a refined target, the crosswalk's original target.
    pub via: Option<String>,
}

impl<'a> Crosswalk<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Crosswalk<'a>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "XWLK", detail };
        if bytes.len() < 11 || bytes[0] != 1 {
            return Err(corrupt("unknown crosswalk version"));
        }
        let direction = match bytes[1] {
            0 => CrosswalkDirection::From,
            1 => CrosswalkDirection::To,
            _ => return Err(corrupt("unknown direction")),
        };
        let dot_after = bytes[2];
        let id_len = bytes[3..11].iter().position(|&b| b == 0).unwrap_or(8);
        let id = std::str::from_utf8(&bytes[3..3 + id_len]).map_err(|_| corrupt("system id is not text"))?;
        let other =
            CodeSystem::from_id(id).filter(|s| s.id == id).ok_or_else(|| PackError::UnknownSystem(id.to_string()))?;
        let mut pos = 11;
        let label_len = varint::read_u32(bytes, &mut pos).ok_or_else(|| corrupt("label truncated"))? as usize;
        let label = bytes.get(pos..pos.saturating_add(label_len)).ok_or_else(|| corrupt("label truncated"))?;
        let label = std::str::from_utf8(label).map_err(|_| corrupt("label is not UTF-8"))?;
        pos += label_len;
        let fst_len = read_u32(bytes, pos).ok_or_else(|| corrupt("map length truncated"))? as usize;
        pos += 4;
        let map = bytes.get(pos..pos.saturating_add(fst_len)).ok_or_else(|| corrupt("map truncated"))?;
        let sources = open_fst(map, "XWLK")?;
        Ok(Crosswalk { direction, other, label, sources, data: &bytes[pos + fst_len..], dot_after })
    }

    /// The sources starting with `prefix` (normalized), at most `limit`.
    pub fn sources_under(&self, prefix: &str, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        super::for_keys_with_prefix(&self.sources, prefix, |k, _| {
            if out.len() >= limit {
                return false;
            }
            out.push(k.to_string());
            true
        });
        out
    }

    /// The targets of a normalized source code (`25000`), if the crosswalk
    /// has it. `pack` is the pack that holds the crosswalk (targets into it
    /// are record ids).
    pub fn targets(&self, pack: &Pack<'_>, source: &str) -> Result<Option<Vec<CrosswalkTarget>>, PackError> {
        let corrupt = |detail| PackError::Corrupt { section: "XWLK", detail };
        let Some(value) = self.sources.get(source) else { return Ok(None) };
        if value & 1 == 1 {
            // A single target kept in the map: (record id + 1) << 8 | flags.
            let v = value >> 1;
            let code = match v >> 8 {
                0 => String::new(),
                id => pack.code(u32::try_from(id - 1).map_err(|_| corrupt("target record out of range"))?)?,
            };
            let flags = (v & 0xFF) as u8 & !format::XW_HAS_SCENARIO;
            return Ok(Some(vec![CrosswalkTarget { code, flags, scenario: 0, choice: 0, via: None }]));
        }
        let mut pos = usize::try_from(value >> 1).map_err(|_| corrupt("offset out of range"))?;
        let d = self.data;
        let n = varint::read_u32(d, &mut pos).ok_or_else(|| corrupt("list truncated"))?;
        if n as usize > d.len() {
            return Err(corrupt("list longer than the section"));
        }
        let mut out: Vec<CrosswalkTarget> = Vec::with_capacity(n as usize);
        let mut number = 0u64;
        for _ in 0..n {
            let (code, flags) = match self.direction {
                CrosswalkDirection::To => {
                    let v = varint::read(d, &mut pos).ok_or_else(|| corrupt("target truncated"))?;
                    let code = match v >> 8 {
                        0 => String::new(),
                        id => {
                            let id = u32::try_from(id - 1).map_err(|_| corrupt("target record out of range"))?;
                            pack.code(id)?
                        }
                    };
                    (code, (v & 0xFF) as u8)
                }
                CrosswalkDirection::From => {
                    let zigzag = varint::read(d, &mut pos).ok_or_else(|| corrupt("target truncated"))?;
                    let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
                    number = number.checked_add_signed(delta).ok_or_else(|| corrupt("target out of range"))?;
                    let mut code = format::number_to_code(number).ok_or_else(|| corrupt("target is not a code"))?;
                    let dot = self.dot_after as usize;
                    if dot > 0 && code.len() > dot {
                        code.insert(dot, '.');
                    }
                    let flags = *d.get(pos).ok_or_else(|| corrupt("flags truncated"))?;
                    pos += 1;
                    (code, flags)
                }
            };
            let (mut scenario, mut choice) = (0, 0);
            if flags & format::XW_HAS_SCENARIO != 0 {
                scenario = *d.get(pos).ok_or_else(|| corrupt("scenario truncated"))?;
                choice = *d.get(pos + 1).ok_or_else(|| corrupt("choice truncated"))?;
                pos += 2;
            }
            let mut via = None;
            if flags & format::XW_REFINED != 0 {
                let len = varint::read_u32(d, &mut pos).ok_or_else(|| corrupt("refined target truncated"))? as usize;
                let v = d.get(pos..pos.saturating_add(len)).ok_or_else(|| corrupt("refined target truncated"))?;
                pos += len;
                via = Some(std::str::from_utf8(v).map_err(|_| corrupt("refined target is not UTF-8"))?.to_string());
            }
            out.push(CrosswalkTarget { code, flags: flags & !format::XW_HAS_SCENARIO, scenario, choice, via });
        }
        Ok(Some(out))
    }
}

#[cfg(feature = "compiler")]
/// An `XWLK` section: version 1, direction, the dot position of the other
/// system's codes, the other system's id (8 bytes), the label, then an `fst` map (length-prefixed) from normalized
/// source code to (offset of its target list in the data that follows) << 1,
/// or, for a single plain target into this book, to (target << 1) | 1.
/// A list is a varint count and, per target, the code as a number
/// (`format::code_to_number`) zigzag-delta-coded against the previous one, a
/// flag byte, scenario and choice when flagged, and the GEM's original
/// target when refined. In a crosswalk into this book (the
/// `To` direction) a target is instead one varint: (record id + 1) << 8 |
/// flags.
pub(crate) fn write(cw: &crate::compile::gems::Crosswalk) -> Result<Vec<u8>, CompileError> {
    let mut data = Vec::new();
    let mut map = fst::MapBuilder::memory();
    for (source, targets) in &cw.entries {
        // Into this book, a single plain target lives in the map itself
        // (low bit set); otherwise the value is the list's offset.
        if let (crate::compile::gems::Direction::To, [t]) = (cw.direction, targets.as_slice()) {
            if t.scenario == 0 && t.choice == 0 {
                let id = t.record.map_or(0, |r| u64::from(r) + 1);
                let inline = (((id << 8) | u64::from(t.flags)) << 1) | 1;
                map.insert(source, inline).map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
                continue;
            }
        }
        map.insert(source, (data.len() as u64) << 1)
            .map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
        varint::write(&mut data, targets.len() as u64);
        let mut prev_number = 0u64;
        for t in targets {
            let extra = if t.scenario != 0 || t.choice != 0 { format::XW_HAS_SCENARIO } else { 0 };
            if cw.direction == crate::compile::gems::Direction::To {
                // Into this book: the record id (+1, 0 = no map) and the
                // flags in one varint.
                let id = t.record.map_or(0, |r| u64::from(r) + 1);
                varint::write(&mut data, (id << 8) | u64::from(t.flags | extra));
            } else {
                // Out of this book: the code as a number, zigzag delta
                // against the previous target of the list, then the flags.
                let normalized: String = t.code.chars().filter(|c| *c != '.').collect();
                let number = format::code_to_number(&normalized)
                    .ok_or_else(|| CompileError::Invalid(format!("crosswalk target {:?} is not a code", t.code)))?;
                let delta = number as i64 - prev_number as i64;
                varint::write(&mut data, ((delta << 1) ^ (delta >> 63)) as u64);
                data.push(t.flags | extra);
                prev_number = number;
            }
            if extra != 0 {
                data.push(t.scenario);
                data.push(t.choice);
            }
            if t.flags & format::XW_REFINED != 0 {
                let via = t.via.as_deref().unwrap_or("");
                varint::write(&mut data, via.len() as u64);
                data.extend_from_slice(via.as_bytes());
            }
        }
    }
    let map = map.into_inner().map_err(|e| CompileError::Invalid(format!("crosswalk map: {e}")))?;
    // The display rule of the other system's codes: a dot after 3 (ICD-10-CM).
    let dot_after = if cw.other.id == "icd10cm" { 3 } else { 0 };
    let mut out = vec![1, cw.direction as u8, dot_after];
    let mut id = [0u8; 8];
    id[..cw.other.id.len()].copy_from_slice(cw.other.id.as_bytes());
    out.extend_from_slice(&id);
    varint::write(&mut out, cw.label.len() as u64);
    out.extend_from_slice(cw.label.as_bytes());
    out.extend_from_slice(&(map.len() as u32).to_le_bytes());
    out.extend_from_slice(&map);
    out.extend_from_slice(&data);
    Ok(out)
}
