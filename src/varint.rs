//! LEB128 variable-length integers, the unit of every compact stream in a
//! pack (text, postings). Decoding is bounds-checked: a malformed or
//! truncated stream yields `None`, never a panic or an over-read.

/// Appends `value` as LEB128 (7 bits a byte, low bits first).
pub fn write(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads one LEB128 value at `*pos`, advancing `pos`. Returns `None` when the
/// stream ends inside the value or the value would overflow 64 bits.
pub fn read(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return None;
        }
        value |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Reads a value that must fit in `u32`.
pub fn read_u32(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    read(bytes, pos).and_then(|v| u32::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let values = [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as u64, u64::MAX];
        let mut buf = Vec::new();
        for v in values {
            write(&mut buf, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(read(&buf, &mut pos), Some(v));
        }
        assert_eq!(pos, buf.len());
        assert_eq!(read(&buf, &mut pos), None);
    }

    #[test]
    fn malformed_streams_are_none() {
        let mut pos = 0;
        assert_eq!(read(&[0x80, 0x80], &mut pos), None);
        let mut pos = 0;
        assert_eq!(read(&[0xFF; 11], &mut pos), None);
        let mut pos = 0;
        assert_eq!(read_u32(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F], &mut pos), None);
    }
}
