//! `LSET` entries: compositions, the general form of "codes made from a
//! header and labels". A composition is rows of axes of label indexes; the
//! header's composed children are, row after row, every combination of one
//! label per axis, **the last axis varying fastest**. This module is the one
//! place that knows that order: the writer checks children against it, the
//! reader finds a child's labels by it, and the search walks it.
//!
//! Entry layout (varints): row count; per row its axis count (1..=8); per
//! axis its label count (≥ 1) and the label indexes.

use crate::error::PackError;
use crate::varint;

/// A composition: rows of axes of label indexes.
pub type Composition = Vec<Vec<Vec<u32>>>;

/// Most axes a composition row may have (ICD-10-PCS has 4 after the table).
pub const MAX_AXES: usize = 8;

fn corrupt(detail: &'static str) -> PackError {
    PackError::Corrupt { section: "LSET", detail }
}

/// Reads one varint of an entry.
fn read(entry: &[u8], pos: &mut usize) -> Result<u32, PackError> {
    varint::read_u32(entry, pos).ok_or_else(|| corrupt("composition truncated"))
}

/// Reads a row's axis count, checked.
fn read_axis_count(entry: &[u8], pos: &mut usize) -> Result<usize, PackError> {
    let axes = read(entry, pos)? as usize;
    if axes == 0 || axes > MAX_AXES {
        return Err(corrupt("a composition row has no or too many axes"));
    }
    Ok(axes)
}

/// Reads an axis's label count, checked against what the entry can hold.
fn read_label_count(entry: &[u8], pos: &mut usize) -> Result<u32, PackError> {
    let n = read(entry, pos)?;
    if n == 0 || n as usize > entry.len() {
        return Err(corrupt("an axis has no labels"));
    }
    Ok(n)
}

fn checked_label(l: u32, label_count: u32) -> Result<u32, PackError> {
    if l >= label_count {
        return Err(corrupt("label index out of range"));
    }
    Ok(l)
}

/// Decodes a whole entry; every label index is below `label_count`.
pub fn decode(entry: &[u8], label_count: u32) -> Result<Composition, PackError> {
    let mut pos = 0;
    let rows = read(entry, &mut pos)?;
    if rows as usize > entry.len() {
        return Err(corrupt("more rows than bytes"));
    }
    let mut out = Vec::with_capacity(rows as usize);
    for _ in 0..rows {
        let axes = read_axis_count(entry, &mut pos)?;
        let mut row = Vec::with_capacity(axes);
        for _ in 0..axes {
            let n = read_label_count(entry, &mut pos)?;
            let mut labels = Vec::with_capacity(n as usize);
            for _ in 0..n {
                labels.push(checked_label(read(entry, &mut pos)?, label_count)?);
            }
            row.push(labels);
        }
        out.push(row);
    }
    Ok(out)
}

/// How many combinations one row makes; `None` past `u32`.
pub fn row_size(axes: &[Vec<u32>]) -> Option<u32> {
    axes.iter().try_fold(1u32, |n, a| n.checked_mul(u32::try_from(a.len()).ok()?))
}

/// How many composed children a composition makes; `None` past `u32`.
pub fn size(rows: &[Vec<Vec<u32>>]) -> Option<u32> {
    rows.iter().try_fold(0u32, |n, axes| n.checked_add(row_size(axes)?))
}

/// Calls `f` with every combination of one label per axis, in child order
/// (the last axis varying fastest), until `f` fails.
pub fn for_each_combination<E>(axes: &[Vec<u32>], mut f: impl FnMut(&[u32]) -> Result<(), E>) -> Result<(), E> {
    if axes.is_empty() || axes.iter().any(Vec::is_empty) {
        return Ok(());
    }
    let mut digits = vec![0usize; axes.len()];
    let mut labels: Vec<u32> = axes.iter().map(|a| a[0]).collect();
    loop {
        f(&labels)?;
        let mut a = axes.len();
        loop {
            if a == 0 {
                return Ok(());
            }
            a -= 1;
            digits[a] += 1;
            if digits[a] < axes[a].len() {
                labels[a] = axes[a][digits[a]];
                break;
            }
            digits[a] = 0;
            labels[a] = axes[a][0];
        }
    }
}

/// The labels of composed child number `k` of an encoded entry, read in
/// place: decoding asks this for thousands of children, so it walks the
/// encoded rows instead of building a [`Composition`].
pub fn child_labels(entry: &[u8], k: u32, label_count: u32) -> Result<Vec<u32>, PackError> {
    let mut pos = 0;
    let rows = read(entry, &mut pos)?;
    let mut k = u64::from(k);
    for _ in 0..rows {
        let axes = read_axis_count(entry, &mut pos)?;
        let start = pos;
        let mut lens = [0u64; MAX_AXES];
        let mut size = 1u64;
        for len in lens.iter_mut().take(axes) {
            let n = read_label_count(entry, &mut pos)?;
            *len = u64::from(n);
            size = size.saturating_mul(u64::from(n));
            for _ in 0..n {
                read(entry, &mut pos)?;
            }
        }
        if k >= size {
            k -= size;
            continue;
        }
        // Child order: the last axis varies fastest.
        let mut chosen = [0u64; MAX_AXES];
        for a in (0..axes).rev() {
            chosen[a] = k % lens[a];
            k /= lens[a];
        }
        let mut labels = Vec::with_capacity(axes);
        let mut pos = start;
        for &want in chosen.iter().take(axes) {
            let n = read(entry, &mut pos)?;
            for j in 0..u64::from(n) {
                let l = read(entry, &mut pos)?;
                if j == want {
                    labels.push(checked_label(l, label_count)?);
                }
            }
        }
        return Ok(labels);
    }
    Err(corrupt("fewer combinations than composed records"))
}

/// Encodes a composition as an `LSET` entry.
#[cfg(feature = "compiler")]
pub fn encode(rows: &[Vec<Vec<u32>>]) -> Vec<u8> {
    let mut entry = Vec::new();
    varint::write(&mut entry, rows.len() as u64);
    for axes in rows {
        varint::write(&mut entry, axes.len() as u64);
        for axis in axes {
            varint::write(&mut entry, axis.len() as u64);
            for &l in axis {
                varint::write(&mut entry, u64::from(l));
            }
        }
    }
    entry
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_child_order() {
        let rows: Composition = vec![vec![vec![0, 1], vec![2, 3, 4]], vec![vec![5]]];
        let entry = encode(&rows);
        assert_eq!(decode(&entry, 6).unwrap(), rows);
        assert_eq!(size(&rows), Some(7));
        let mut all = Vec::new();
        for axes in &rows {
            for_each_combination(axes, |l| {
                all.push(l.to_vec());
                Ok::<(), ()>(())
            })
            .unwrap();
        }
        // The last axis varies fastest.
        assert_eq!(all[..3], [vec![0, 2], vec![0, 3], vec![0, 4]]);
        for (k, labels) in all.iter().enumerate() {
            assert_eq!(&child_labels(&entry, k as u32, 6).unwrap(), labels);
        }
        assert!(child_labels(&entry, 7, 6).is_err());
        assert!(decode(&entry, 5).is_err(), "label 5 is out of range for 5 labels");
    }

    #[test]
    fn sizes_past_u32_are_none() {
        let axis: Vec<u32> = (0..70_000).collect();
        assert_eq!(row_size(&[axis.clone(), axis.clone()]), None);
        assert_eq!(size(&[vec![axis.clone()], vec![vec![0]]]), Some(70_001));
    }

    #[test]
    fn forged_entries_are_errors() {
        // Nine axes; an axis with no labels; truncated.
        for entry in [&[1u8, 9][..], &[1, 1, 0], &[1, 2, 1, 0]] {
            assert!(decode(entry, 10).is_err(), "{entry:?}");
            assert!(child_labels(entry, 0, 10).is_err(), "{entry:?}");
        }
    }
}
