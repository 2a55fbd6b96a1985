//! ISO/IEC 19794-2:2005 finger minutiae records (the record format DG3 holds on the e-KTP).
//!
//! ```text
//! record header (§7.1, 22 bytes with the two-byte length):
//!   "FMR\0"  " 20\0"  record length(2; or 0000 + length(4))
//!   capture equipment: compliance(4 bits) | equipment id(12 bits)
//!   image width(2)  image height(2)  x resolution(2)  y resolution(2)   (pixels per cm)
//!   number of finger views(1) = 1    reserved(1) = 0
//! finger view header (§7.2, 4 bytes):
//!   finger position(1)  view number(4 bits) | impression type(4 bits)
//!   finger quality(1, 0..=100)  number of minutiae(1)
//! minutia (§7.3, 6 bytes each):
//!   type(2 bits: 00 other, 01 ridge ending, 10 bifurcation) | x(14 bits)
//!   reserved(2 bits) = 0 | y(14 bits)        (origin top left, y down, pixels)
//!   angle(1, units of 360/256 degrees, counter-clockwise from the x axis)
//!   quality(1, 0..=100; 0 = not reported)
//! extended data block length(2) extended data (§7.4, kept as opaque bytes)
//! ```
//!
//! The e-KTP holds one finger view per record (one record per index finger), so this codec
//! accepts exactly one view. Every length is checked against what remains and against
//! [`MAX_RECORD_LEN`] before anything is allocated; trailing bytes are an error.

use core::fmt;

use crate::Error;
use crate::finger::FingerPosition;

/// Largest record accepted or produced, bytes (the same bound `ektp-lds` applies to DG3).
pub const MAX_RECORD_LEN: usize = 4 * 1024;
/// Largest minutiae count one view can state (the count field is one byte).
pub const MAX_MINUTIAE: usize = 255;
/// Largest coordinate a minutia can carry (14 bits).
pub const MAX_COORDINATE: u16 = 0x3FFF;
/// Pixels per centimetre at 500 ppi, as e-KTP records state their resolution.
pub const RESOLUTION_500_PPI: u16 = 197;

const MAGIC: &[u8; 8] = b"FMR\0 20\0";
const HEADER_LEN: usize = 22;
const VIEW_HEADER_LEN: usize = 4;
const MINUTIA_LEN: usize = 6;

/// What was wrong with a record's bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The record ends before a field.
    Truncated,
    /// Longer than [`MAX_RECORD_LEN`].
    TooLong,
    /// Bytes after the end of the record.
    TrailingBytes,
    /// A field holds a value the standard (or the e-KTP profile) does not allow.
    Invalid(&'static str),
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => f.write_str("truncated"),
            Self::TooLong => write!(f, "longer than {MAX_RECORD_LEN} bytes"),
            Self::TrailingBytes => f.write_str("trailing bytes"),
            Self::Invalid(what) => write!(f, "invalid {what}"),
        }
    }
}

/// A minutia's type (§7.3.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MinutiaKind {
    /// 00: other (MINDTCT's ridge endings and bifurcations are written as this when the
    /// extractor does not report the type).
    Other,
    /// 01: ridge ending.
    RidgeEnding,
    /// 10: ridge bifurcation.
    Bifurcation,
}

impl MinutiaKind {
    const fn bits(self) -> u16 {
        match self {
            Self::Other => 0,
            Self::RidgeEnding => 1,
            Self::Bifurcation => 2,
        }
    }
}

/// A minutia direction in ISO units of 360/256 degrees, counter-clockwise from the x axis
/// (§7.3.4).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoAngle(pub u8);

impl IsoAngle {
    /// The nearest ISO unit for an angle in whole degrees (any integer, taken modulo 360).
    pub fn from_degrees(degrees: i32) -> Self {
        let d = i64::from(degrees).rem_euclid(360);
        // round(d × 256 / 360), modulo 256.
        let units = (d.saturating_mul(256).saturating_add(180) / 360).rem_euclid(256);
        Self(u8::try_from(units).unwrap_or(0))
    }

    /// The angle in whole degrees, `0..360` (rounded).
    pub fn degrees(self) -> i32 {
        let d = (i32::from(self.0).saturating_mul(360).saturating_add(128)) / 256;
        d.rem_euclid(360)
    }
}

/// One minutia of a record.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct Minutia {
    /// Column, pixels from the left edge.
    pub x: u16,
    /// Row, pixels from the top edge.
    pub y: u16,
    /// Direction.
    pub angle: IsoAngle,
    /// Type.
    pub kind: MinutiaKind,
    /// Quality 0..=100 (0: not reported).
    pub quality: u8,
}

impl fmt::Debug for Minutia {
    /// Minutiae are biometric data: `Debug` does not print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Minutia(..)")
    }
}

/// The impression type (§7.2.3, ANSI/NIST-ITL 1 Table 7).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImpressionType {
    /// 0, live-scan plain (enrollment scanners and desk readers).
    LivePlain,
    /// 1, live-scan rolled.
    LiveRolled,
    /// 2, non-live-scan plain.
    NonLivePlain,
    /// 3, non-live-scan rolled.
    NonLiveRolled,
    /// 8, swipe.
    Swipe,
}

impl ImpressionType {
    const fn code(self) -> u8 {
        match self {
            Self::LivePlain => 0,
            Self::LiveRolled => 1,
            Self::NonLivePlain => 2,
            Self::NonLiveRolled => 3,
            Self::Swipe => 8,
        }
    }

    const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::LivePlain),
            1 => Some(Self::LiveRolled),
            2 => Some(Self::NonLivePlain),
            3 => Some(Self::NonLiveRolled),
            8 => Some(Self::Swipe),
            _ => None,
        }
    }
}

/// A finger minutiae record with one finger view: what the e-KTP stores per index finger, and
/// what matching compares.
///
/// Biometric data: `Debug` prints the finger, the image size and the minutiae count only.
#[derive(Clone, PartialEq, Eq)]
pub struct FingerMinutiaeRecord {
    finger: FingerPosition,
    equipment: u16,
    width: u16,
    height: u16,
    x_resolution: u16,
    y_resolution: u16,
    view_number: u8,
    impression: ImpressionType,
    quality: u8,
    minutiae: Vec<Minutia>,
    extended: Vec<u8>,
}

impl fmt::Debug for FingerMinutiaeRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FingerMinutiaeRecord({}, {}x{}, {} minutiae, quality {})",
            self.finger,
            self.width,
            self.height,
            self.minutiae.len(),
            self.quality
        )
    }
}

impl FingerMinutiaeRecord {
    /// A live-scan plain record at 500 ppi, view 0, with no extended data.
    ///
    /// # Errors
    /// [`Error::Encode`] for more than [`MAX_MINUTIAE`] minutiae, a minutia outside
    /// `width × height`, a quality above 100, or a side above [`MAX_COORDINATE`] + 1.
    pub fn new(
        finger: FingerPosition,
        width: u16,
        height: u16,
        quality: u8,
        minutiae: Vec<Minutia>,
    ) -> Result<Self, Error> {
        let r = Self {
            finger,
            equipment: 0,
            width,
            height,
            x_resolution: RESOLUTION_500_PPI,
            y_resolution: RESOLUTION_500_PPI,
            view_number: 0,
            impression: ImpressionType::LivePlain,
            quality,
            minutiae,
            extended: Vec::new(),
        };
        r.validate()?;
        Ok(r)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.minutiae.len() > MAX_MINUTIAE {
            return Err(Error::Encode("more than 255 minutiae"));
        }
        if self.quality > 100 {
            return Err(Error::Encode("finger quality above 100"));
        }
        if self.view_number > 15 {
            return Err(Error::Encode("view number above 15"));
        }
        for m in &self.minutiae {
            if m.x >= self.width
                || m.y >= self.height
                || m.x > MAX_COORDINATE
                || m.y > MAX_COORDINATE
            {
                return Err(Error::Encode("minutia outside the image"));
            }
            if m.quality > 100 {
                return Err(Error::Encode("minutia quality above 100"));
            }
        }
        if self.encoded_len() > MAX_RECORD_LEN {
            return Err(Error::Encode("record longer than MAX_RECORD_LEN"));
        }
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        HEADER_LEN
            .saturating_add(VIEW_HEADER_LEN)
            .saturating_add(self.minutiae.len().saturating_mul(MINUTIA_LEN))
            .saturating_add(2)
            .saturating_add(self.extended.len())
    }

    /// The same record with another impression type.
    #[must_use]
    pub fn with_impression(mut self, impression: ImpressionType) -> Self {
        self.impression = impression;
        self
    }

    /// The finger.
    pub fn finger(&self) -> FingerPosition {
        self.finger
    }

    /// Image width, pixels.
    pub fn width(&self) -> u16 {
        self.width
    }

    /// Image height, pixels.
    pub fn height(&self) -> u16 {
        self.height
    }

    /// Resolution (x, y), pixels per centimetre.
    pub fn resolution(&self) -> (u16, u16) {
        (self.x_resolution, self.y_resolution)
    }

    /// The impression type.
    pub fn impression(&self) -> ImpressionType {
        self.impression
    }

    /// Finger quality, 0..=100.
    pub fn quality(&self) -> u8 {
        self.quality
    }

    /// The minutiae.
    pub fn minutiae(&self) -> &[Minutia] {
        &self.minutiae
    }

    /// Encodes the record.
    ///
    /// # Errors
    /// [`Error::Encode`] if a field is out of its range (see [`FingerMinutiaeRecord::new`]).
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        self.validate()?;
        let len = self.encoded_len();
        let len16 = u16::try_from(len).map_err(|_| Error::Encode("record length"))?;
        let count = u8::try_from(self.minutiae.len()).map_err(|_| Error::Encode("count"))?;
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&len16.to_be_bytes());
        out.extend_from_slice(&self.equipment.to_be_bytes());
        for v in [
            self.width,
            self.height,
            self.x_resolution,
            self.y_resolution,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&[1, 0, self.finger.code()]);
        out.push((self.view_number << 4) | self.impression.code());
        out.extend_from_slice(&[self.quality, count]);
        for m in &self.minutiae {
            out.extend_from_slice(&((m.kind.bits() << 14) | m.x).to_be_bytes());
            out.extend_from_slice(&m.y.to_be_bytes());
            out.extend_from_slice(&[m.angle.0, m.quality]);
        }
        let ext = u16::try_from(self.extended.len()).map_err(|_| Error::Encode("extended"))?;
        out.extend_from_slice(&ext.to_be_bytes());
        out.extend_from_slice(&self.extended);
        Ok(out)
    }

    /// Decodes a record holding exactly one finger view.
    ///
    /// # Errors
    /// [`Error::Decode`] with the kind and byte offset of the first problem.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > MAX_RECORD_LEN {
            return Err(decode_err(DecodeErrorKind::TooLong, 0));
        }
        let mut c = Reader { bytes, at: 0 };
        if c.take(8)? != MAGIC {
            return Err(invalid("format identifier / version (FMR 20)", 0));
        }
        let at = c.at;
        let len = usize::from(c.u16()?);
        if len == 0 {
            // The six-byte length form is for records over 65535 bytes, far over MAX_RECORD_LEN.
            return Err(invalid("record length (six-byte form)", at));
        }
        if len != bytes.len() {
            return Err(invalid("record length", at));
        }
        let equipment = c.u16()?;
        let width = c.u16()?;
        let height = c.u16()?;
        let x_resolution = c.u16()?;
        let y_resolution = c.u16()?;
        let at = c.at;
        if c.u8()? != 1 {
            return Err(invalid("number of finger views (the e-KTP holds 1)", at));
        }
        let at = c.at;
        if c.u8()? != 0 {
            return Err(invalid("reserved byte", at));
        }
        let at = c.at;
        let finger = FingerPosition::from_code(c.u8()?).ok_or(invalid("finger position", at))?;
        let at = c.at;
        let vi = c.u8()?;
        let impression =
            ImpressionType::from_code(vi & 0x0F).ok_or(invalid("impression type", at))?;
        let at = c.at;
        let quality = c.u8()?;
        if quality > 100 {
            return Err(invalid("finger quality", at));
        }
        let count = usize::from(c.u8()?);
        // Each minutia needs six bytes; check before allocating.
        let need = count.saturating_mul(MINUTIA_LEN);
        if need > c.remaining() {
            return Err(decode_err(DecodeErrorKind::Truncated, c.at));
        }
        let mut minutiae = Vec::with_capacity(count);
        for _ in 0..count {
            let at = c.at;
            let tx = c.u16()?;
            let ry = c.u16()?;
            let angle = IsoAngle(c.u8()?);
            let q_at = c.at;
            let quality = c.u8()?;
            let kind = match tx >> 14 {
                0 => MinutiaKind::Other,
                1 => MinutiaKind::RidgeEnding,
                2 => MinutiaKind::Bifurcation,
                _ => return Err(invalid("minutia type", at)),
            };
            if ry >> 14 != 0 {
                return Err(invalid("minutia reserved bits", at));
            }
            let (x, y) = (tx & MAX_COORDINATE, ry);
            if x >= width || y >= height {
                return Err(invalid("minutia position (outside the image)", at));
            }
            if quality > 100 {
                return Err(invalid("minutia quality", q_at));
            }
            minutiae.push(Minutia {
                x,
                y,
                angle,
                kind,
                quality,
            });
        }
        let ext_len = usize::from(c.u16()?);
        let extended = c.take(ext_len)?.to_vec();
        if c.remaining() != 0 {
            return Err(decode_err(DecodeErrorKind::TrailingBytes, c.at));
        }
        Ok(Self {
            finger,
            equipment,
            width,
            height,
            x_resolution,
            y_resolution,
            view_number: vi >> 4,
            impression,
            quality,
            minutiae,
            extended,
        })
    }
}

fn decode_err(kind: DecodeErrorKind, offset: usize) -> Error {
    Error::Decode { kind, offset }
}

fn invalid(what: &'static str, offset: usize) -> Error {
    decode_err(DecodeErrorKind::Invalid(what), offset)
}

/// The one checked reader every record byte goes through.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(decode_err(DecodeErrorKind::Truncated, self.at))?;
        let s = self
            .bytes
            .get(self.at..end)
            .ok_or(decode_err(DecodeErrorKind::Truncated, self.at))?;
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, Error> {
        match self.take(1)? {
            [b] => Ok(*b),
            _ => Err(decode_err(DecodeErrorKind::Truncated, self.at)),
        }
    }

    fn u16(&mut self) -> Result<u16, Error> {
        match self.take(2)? {
            [a, b] => Ok(u16::from_be_bytes([*a, *b])),
            _ => Err(decode_err(DecodeErrorKind::Truncated, self.at)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = MinutiaKind> {
        prop_oneof![
            Just(MinutiaKind::Other),
            Just(MinutiaKind::RidgeEnding),
            Just(MinutiaKind::Bifurcation)
        ]
    }

    fn record() -> impl Strategy<Value = FingerMinutiaeRecord> {
        (
            1u16..=MAX_COORDINATE,
            1u16..=MAX_COORDINATE,
            0u8..=10,
            0u8..=100,
            0u8..=15,
        )
            .prop_flat_map(|(w, h, finger, quality, view)| {
                let m = (0..w, 0..h, any::<u8>(), kind(), 0u8..=100).prop_map(
                    |(x, y, a, kind, quality)| Minutia {
                        x,
                        y,
                        angle: IsoAngle(a),
                        kind,
                        quality,
                    },
                );
                (
                    proptest::collection::vec(m, 0..=120),
                    proptest::collection::vec(any::<u8>(), 0..64),
                    any::<u16>(),
                    prop_oneof![
                        Just(ImpressionType::LivePlain),
                        Just(ImpressionType::LiveRolled),
                        Just(ImpressionType::NonLivePlain),
                        Just(ImpressionType::NonLiveRolled),
                        Just(ImpressionType::Swipe)
                    ],
                )
                    .prop_map(
                        move |(minutiae, extended, equipment, impression)| FingerMinutiaeRecord {
                            finger: FingerPosition::from_code(finger).unwrap(),
                            equipment,
                            width: w,
                            height: h,
                            x_resolution: RESOLUTION_500_PPI,
                            y_resolution: RESOLUTION_500_PPI,
                            view_number: view,
                            impression,
                            quality,
                            minutiae,
                            extended,
                        },
                    )
            })
    }

    proptest! {
        #[test]
        fn decode_encode_round_trip(r in record()) {
            let bytes = r.encode().unwrap();
            prop_assert_eq!(FingerMinutiaeRecord::decode(&bytes).unwrap(), r);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = FingerMinutiaeRecord::decode(&bytes);
        }

        #[test]
        fn mutated_record_never_panics(r in record(), at in any::<usize>(), byte in any::<u8>()) {
            let mut bytes = r.encode().unwrap();
            let i = at % bytes.len();
            bytes[i] = byte;
            let _ = FingerMinutiaeRecord::decode(&bytes);
            let _ = FingerMinutiaeRecord::decode(&bytes[..i]);
        }
    }

    #[test]
    fn angles() {
        assert_eq!(IsoAngle::from_degrees(0), IsoAngle(0));
        assert_eq!(IsoAngle::from_degrees(90), IsoAngle(64));
        assert_eq!(IsoAngle::from_degrees(359), IsoAngle(255));
        assert_eq!(IsoAngle::from_degrees(-90), IsoAngle(192));
        assert_eq!(IsoAngle(64).degrees(), 90);
        for d in 0..360 {
            let back = IsoAngle::from_degrees(d).degrees();
            let diff = (back - d).rem_euclid(360);
            assert!(diff <= 1 || diff == 359, "{d} -> {back}");
        }
    }

    #[test]
    fn refusals_carry_kind_and_offset() {
        let r = FingerMinutiaeRecord::new(
            FingerPosition::RightIndex,
            300,
            400,
            60,
            vec![Minutia {
                x: 10,
                y: 20,
                angle: IsoAngle(3),
                kind: MinutiaKind::RidgeEnding,
                quality: 50,
            }],
        )
        .unwrap();
        let bytes = r.encode().unwrap();
        assert_eq!(bytes.len(), 22 + 4 + 6 + 2);
        let mut two_views = bytes.clone();
        two_views[20] = 2;
        assert!(matches!(
            FingerMinutiaeRecord::decode(&two_views),
            Err(Error::Decode {
                kind: DecodeErrorKind::Invalid(_),
                offset: 20
            })
        ));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(FingerMinutiaeRecord::decode(&trailing).is_err());
        let mut outside = bytes.clone();
        outside[26..28].copy_from_slice(&(0x4000u16 | 300).to_be_bytes());
        assert!(matches!(
            FingerMinutiaeRecord::decode(&outside),
            Err(Error::Decode { offset: 26, .. })
        ));
        assert!(matches!(
            FingerMinutiaeRecord::decode(&bytes[..30]),
            Err(Error::Decode {
                kind: DecodeErrorKind::Invalid("record length"),
                offset: 8
            })
        ));
        let mut cut = bytes[..30].to_vec();
        cut[8..10].copy_from_slice(&30u16.to_be_bytes());
        assert!(matches!(
            FingerMinutiaeRecord::decode(&cut),
            Err(Error::Decode {
                kind: DecodeErrorKind::Truncated,
                offset: 26
            })
        ));
        assert!(
            FingerMinutiaeRecord::new(
                FingerPosition::LeftIndex,
                10,
                10,
                0,
                vec![Minutia {
                    x: 10,
                    y: 0,
                    angle: IsoAngle(0),
                    kind: MinutiaKind::Other,
                    quality: 0
                }]
            )
            .is_err()
        );
        assert_eq!(
            format!("{r:?}"),
            "FingerMinutiaeRecord(right index finger, 300x400, 1 minutiae, quality 60)"
        );
    }
}
