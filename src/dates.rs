//! Dates as the packs and the API carry them: `YYYYMMDD` numbers. Pure
//! functions, shared by the search core, the CLI and the JS argument
//! readers (so that the parsing is tested and fuzzed natively).

/// The number `YYYYMMDD` of a calendar date; `None` for a year outside
/// 1..=9999, a month outside 1..=12 or a day outside 1..=31 (a day past the
/// month's end, such as February 30, is accepted: dates are only compared).
pub fn from_parts(year: u32, month: u32, day: u32) -> Option<u32> {
    ((1..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| year * 10_000 + month * 100 + day)
}

/// `"2026-11-27"` → `20261127`: exactly four, two and two ASCII digits.
pub fn parse_iso(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[range];
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    from_parts(number(0..4)?, number(5..7)?, number(8..10)?)
}

/// `"20251001"` (as CMS files write dates) → `20251001`.
pub fn parse_compact(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    from_parts(n / 10_000, n / 100 % 100, n % 100)
}

/// `20251001` → `"2025-10-01"`.
pub fn iso(yyyymmdd: u32) -> String {
    format!("{:04}-{:02}-{:02}", yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100)
}

/// The date `days` days after 1970-01-01 (the civil-from-days algorithm of
/// Howard Hinnant's date library); `None` outside the years 1..=9999.
pub fn from_unix_days(days: i64) -> Option<u32> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe.checked_add(era.checked_mul(400)?)?.checked_add(i64::from(m <= 2))?;
    from_parts(u32::try_from(y).ok()?, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_odd_input_is_none() {
        assert_eq!(parse_iso("2026-11-27"), Some(20261127));
        assert_eq!(iso(20261127), "2026-11-27");
        assert_eq!(parse_compact("20251001"), Some(20251001));
        for bad in ["+026-11-27", "2026-13-01", "2026-00-10", "0000-01-01", "2026-1-127", "２０２６-11-27", ""] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        for bad in ["2025100", "2025-10-", "2025100é", "99999999", "00000000"] {
            assert_eq!(parse_compact(bad), None, "{bad}");
        }
        assert_eq!(from_unix_days(0), Some(19700101));
        assert_eq!(from_unix_days(20_785), Some(20261128));
        assert_eq!(from_unix_days(i64::MAX), None);
        assert_eq!(from_parts(275_760, 9, 13), None, "a JS Date's largest year is refused, not overflowed");
    }
}
