//! Minutiae extraction with NIST MINDTCT (the pure-Rust port `fprint-mindtct`), and the quality
//! gate that refuses a print too poor to enroll or to match.

use crate::Error;
use crate::finger::FingerPosition;
use crate::image::{GrayImage, PPI};
use crate::iso19794_2::{FingerMinutiaeRecord, IsoAngle, MAX_MINUTIAE, Minutia, MinutiaKind};

/// When a print is good enough to use.
///
/// MINDTCT gives each minutia a reliability (0–100) from the local ridge flow and contrast.
/// A print passes when it has at least [`QualityGate::min_minutiae`] minutiae of at least
/// [`QualityGate::min_minutia_quality`], and the mean quality of all its minutiae (the record's
/// finger quality) is at least [`QualityGate::min_quality`]. This is a MINDTCT-based gate, not
/// NFIQ.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct QualityGate {
    /// Fewest usable minutiae (BOZORTH3 scores nothing under 10; 12 leaves a margin).
    pub min_minutiae: usize,
    /// Quality a minutia needs to count as usable, 0–100.
    pub min_minutia_quality: u8,
    /// Lowest finger quality (mean minutia quality), 0–100.
    pub min_quality: u8,
}

impl Default for QualityGate {
    fn default() -> Self {
        Self {
            min_minutiae: 12,
            min_minutia_quality: 20,
            min_quality: 20,
        }
    }
}

impl QualityGate {
    /// Extracts a record from `image` and refuses it if it fails the gate.
    ///
    /// # Errors
    /// [`Error::TooFewMinutiae`] or [`Error::LowQuality`] (naming `finger`; the print must be
    /// recaptured); [`Error::Setting`] for a gate quality above 100.
    pub fn extract(
        &self,
        image: &GrayImage,
        finger: FingerPosition,
    ) -> Result<FingerMinutiaeRecord, Error> {
        let record = extract_ungated(image, finger)?;
        self.check(&record)?;
        Ok(record)
    }

    /// Checks an existing record against the gate (e.g. a record handed in with an
    /// application).
    ///
    /// # Errors
    /// As [`QualityGate::extract`].
    pub fn check(&self, record: &FingerMinutiaeRecord) -> Result<(), Error> {
        if self.min_minutia_quality > 100 || self.min_quality > 100 {
            return Err(Error::Setting("a quality gate level above 100"));
        }
        let usable = record
            .minutiae()
            .iter()
            .filter(|m| m.quality >= self.min_minutia_quality)
            .count();
        if usable < self.min_minutiae {
            return Err(Error::TooFewMinutiae {
                finger: record.finger(),
                usable,
                required: self.min_minutiae,
            });
        }
        if record.quality() < self.min_quality {
            return Err(Error::LowQuality {
                finger: record.finger(),
                quality: record.quality(),
                required: self.min_quality,
            });
        }
        Ok(())
    }
}

/// Extracts the minutiae of `image` with MINDTCT into a live-scan plain record at 500 ppi, with
/// no quality gate. Minutia types are written as [`MinutiaKind::Other`] (the port does not report
/// them); over 255 minutiae, the 255 of highest quality are kept. The finger quality is the mean
/// minutia quality.
///
/// # Errors
/// [`Error::ImageTooSmall`] if MINDTCT cannot process the image size.
pub fn extract_ungated(
    image: &GrayImage,
    finger: FingerPosition,
) -> Result<FingerMinutiaeRecord, Error> {
    let (w, h) = (image.width(), image.height());
    let ppi = u16::try_from(PPI).map_err(|_| Error::Setting("resolution"))?;
    let too_small = |min| Error::ImageTooSmall {
        width: w,
        height: h,
        min,
    };
    let width = usize::try_from(w).map_err(|_| too_small(0))?;
    let height = usize::try_from(h).map_err(|_| too_small(0))?;
    let gray = fprint_mindtct::GrayImage::new(image.pixels(), width, height, ppi)
        .map_err(|_| too_small(u32::try_from(fprint_mindtct::MIN_DETECTABLE_DIM).unwrap_or(0)))?;
    let found = fprint_mindtct::detect_minutiae(gray);
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| Error::Encode("image width"))?,
        u16::try_from(h).map_err(|_| Error::Encode("image height"))?,
    );
    let mut minutiae: Vec<Minutia> = found
        .iter()
        .filter_map(|m| from_xyt(m.x, m.y, m.theta, m.quality, w16, h16))
        .collect();
    if minutiae.len() > MAX_MINUTIAE {
        minutiae.sort_by_key(|m| core::cmp::Reverse(m.quality));
        minutiae.truncate(MAX_MINUTIAE);
    }
    let quality = mean_quality(&minutiae);
    FingerMinutiaeRecord::new(finger, w16, h16, quality, minutiae)
}

fn mean_quality(minutiae: &[Minutia]) -> u8 {
    let n = u32::try_from(minutiae.len()).unwrap_or(u32::MAX);
    if n == 0 {
        return 0;
    }
    let sum: u32 = minutiae.iter().map(|m| u32::from(m.quality)).sum();
    let rounded = sum
        .saturating_add(n.checked_div(2).unwrap_or(0))
        .checked_div(n)
        .unwrap_or(0);
    u8::try_from(rounded).unwrap_or(100)
}

/// A minutia in NIST `xyt` form (origin bottom left, y up, theta in degrees as MINDTCT's
/// `lfs2nist_minutia_XYT` writes it) as an ISO/IEC 19794-2 minutia (origin top left, y down,
/// angle rotated by 180° as `lfs2m1_minutia_XYT` does for INCITS 378 / ISO). `None` if it falls
/// outside the image.
pub(crate) fn from_xyt(
    x: i32,
    y: i32,
    theta: i32,
    quality: i32,
    w: u16,
    h: u16,
) -> Option<Minutia> {
    let x = u16::try_from(x).ok().filter(|x| *x < w)?;
    let y = i32::from(h).checked_sub(y)?;
    let y = u16::try_from(y).ok().filter(|y| *y < h)?;
    Some(Minutia {
        x,
        y,
        angle: IsoAngle::from_degrees(theta.saturating_add(180)),
        kind: MinutiaKind::Other,
        quality: u8::try_from(quality.clamp(0, 100)).unwrap_or(0),
    })
}

/// The inverse of [`from_xyt`]: `(x, y, theta)` in NIST `xyt` form for BOZORTH3.
pub(crate) fn to_xyt(m: &Minutia, h: u16) -> (i32, i32, i32) {
    (
        i32::from(m.x),
        i32::from(h).saturating_sub(i32::from(m.y)),
        m.angle.degrees().saturating_add(180).rem_euclid(360),
    )
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    #[test]
    fn xyt_conversion_round_trips_within_a_degree() {
        for theta in 0..360 {
            let m = from_xyt(10, 380, theta, 55, 300, 400).unwrap();
            assert_eq!((m.x, m.y, m.quality), (10, 20, 55));
            let (x, y, t) = to_xyt(&m, 400);
            assert_eq!((x, y), (10, 380));
            let d = (t - theta).rem_euclid(360);
            assert!(d <= 1 || d == 359, "{theta} -> {t}");
        }
        assert!(from_xyt(300, 10, 0, 0, 300, 400).is_none());
        assert!(from_xyt(0, 0, 0, 0, 300, 400).is_none());
        assert!(from_xyt(-1, 10, 0, 0, 300, 400).is_none());
    }

    #[test]
    fn blank_image_fails_the_gate_naming_the_finger() {
        let img = GrayImage::new(200, 200, vec![200; 200 * 200]).unwrap();
        let err = QualityGate::default()
            .extract(&img, FingerPosition::LeftIndex)
            .unwrap_err();
        assert!(matches!(
            err,
            Error::TooFewMinutiae {
                finger: FingerPosition::LeftIndex,
                usable: 0,
                required: 12
            }
        ));
        let text = err.to_string();
        assert!(
            text.contains("left index finger") && text.contains("recapture"),
            "{text}"
        );
    }
}
