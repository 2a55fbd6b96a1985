//! Test-only: NIST's own C MINDTCT and BOZORTH3 (NBIS), built from source, to check the pure-Rust
//! ports `fprint-mindtct` and `fprint-bozorth3` that `ektp-bio` uses. See `README.md`.
//!
//! The C code keeps its state in globals, so every call holds one process-wide lock.
#![allow(unsafe_code)]

use std::os::raw::{c_int, c_uchar};
use std::sync::Mutex;

/// One minutia in NIST `xyt` form with quality, as the `mindtct` tool writes it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Xytq {
    /// Column.
    pub x: i32,
    /// Row, origin bottom left.
    pub y: i32,
    /// Direction, degrees.
    pub theta: i32,
    /// Quality, 0..=100.
    pub quality: i32,
}

unsafe extern "C" {
    fn ektp_mindtct(
        idata: *mut c_uchar,
        iw: c_int,
        ih: c_int,
        ox: *mut c_int,
        oy: *mut c_int,
        ot: *mut c_int,
        oq: *mut c_int,
        max: c_int,
    ) -> c_int;
    fn ektp_bozorth3(
        px: *const c_int,
        py: *const c_int,
        pt: *const c_int,
        pq: *const c_int,
        pn: c_int,
        gx: *const c_int,
        gy: *const c_int,
        gt: *const c_int,
        gq: *const c_int,
        gn: c_int,
    ) -> c_int;
}

static NBIS: Mutex<()> = Mutex::new(());

const MAX_OUT: usize = 1000;

/// The C MINDTCT minutiae of an 8-bit grayscale 500 ppi image, or the C error code.
///
/// # Errors
/// The negative return code of `get_minutiae`, or -1 for a size that does not fit `int`.
pub fn c_mindtct(pixels: &[u8], width: usize, height: usize) -> Result<Vec<Xytq>, i32> {
    let (Ok(iw), Ok(ih)) = (c_int::try_from(width), c_int::try_from(height)) else {
        return Err(-1);
    };
    if pixels.len() != width.saturating_mul(height) {
        return Err(-1);
    }
    let mut data = pixels.to_vec();
    let (mut x, mut y, mut t, mut q) = (
        vec![0; MAX_OUT],
        vec![0; MAX_OUT],
        vec![0; MAX_OUT],
        vec![0; MAX_OUT],
    );
    let _guard = NBIS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: `data` holds iw × ih bytes (checked above) and the C code reads it only (it pads
    // into its own copy); the four output arrays hold MAX_OUT ints and `max` tells the shim so.
    // The lock serializes the C globals.
    let n = unsafe {
        ektp_mindtct(
            data.as_mut_ptr(),
            iw,
            ih,
            x.as_mut_ptr(),
            y.as_mut_ptr(),
            t.as_mut_ptr(),
            q.as_mut_ptr(),
            c_int::try_from(MAX_OUT).unwrap_or(0),
        )
    };
    let n = usize::try_from(n).map_err(|_| n)?.min(MAX_OUT);
    Ok((0..n)
        .filter_map(|i| {
            Some(Xytq {
                x: *x.get(i)?,
                y: *y.get(i)?,
                theta: *t.get(i)?,
                quality: *q.get(i)?,
            })
        })
        .collect())
}

/// The C BOZORTH3 score of `probe` against `gallery`, as the `bozorth3` tool computes it from two
/// `.xyt` files with a quality column.
///
/// # Errors
/// -1 if the C code refused the input.
pub fn c_bozorth3(probe: &[Xytq], gallery: &[Xytq]) -> Result<u32, i32> {
    let cols = |v: &[Xytq]| {
        let n = v.len().min(MAX_OUT);
        let v = v.get(..n).unwrap_or_default();
        (
            v.iter().map(|m| m.x).collect::<Vec<_>>(),
            v.iter().map(|m| m.y).collect::<Vec<_>>(),
            v.iter().map(|m| m.theta).collect::<Vec<_>>(),
            v.iter().map(|m| m.quality).collect::<Vec<_>>(),
            c_int::try_from(n).unwrap_or(0),
        )
    };
    let (px, py, pt, pq, pn) = cols(probe);
    let (gx, gy, gt, gq, gn) = cols(gallery);
    let _guard = NBIS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: each pointer addresses `pn` / `gn` ints (at most MAX_OUT = MAX_FILE_MINUTIAE, the
    // size of the shim's static xytq structs); the lock serializes the C globals.
    let s = unsafe {
        ektp_bozorth3(
            px.as_ptr(),
            py.as_ptr(),
            pt.as_ptr(),
            pq.as_ptr(),
            pn,
            gx.as_ptr(),
            gy.as_ptr(),
            gt.as_ptr(),
            gq.as_ptr(),
            gn,
        )
    };
    u32::try_from(s).map_err(|_| s)
}
