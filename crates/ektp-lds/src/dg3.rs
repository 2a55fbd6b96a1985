//! DG3, encoded fingers (ICAO 9303-10 §4.7.3): two CBEFF instances, right index then left
//! index, each an ISO/IEC 19794-2 finger minutiae record.
//!
//! ```text
//! 63 L { 7F61 { 02 01 02,
//!   7F60 { A1 { 80 0101, 81 08, 82 09, 87 0101, 88 0001 }, 5F2E <FMR, position 2> },
//!   7F60 { A1 { 80 0101, 81 08, 82 0A, 87 0101, 88 0001 }, 5F2E <FMR, position 7> } } }
//! ```

use ektp_iso7816::tlv::Writer;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use crate::Error;
use crate::biometric::cbeff::{self, FORMAT_FINGER_MINUTIAE, TYPE_FINGER};
use crate::biometric::{Finger, MinutiaeRecord};
use crate::dg::codec::{de, outer};
use crate::dg::{DgNumber, LdsFile};

const TAG: u32 = 0x63;

/// DG3, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg3 {
    right_index: MinutiaeRecord,
    left_index: MinutiaeRecord,
    raw: Vec<u8>,
}

impl Dg3 {
    /// DG3 from the two index-finger records.
    ///
    /// # Errors
    /// [`Error::Decode`] if `right_index` is not a right-index record or `left_index` not a
    /// left-index record.
    pub fn new(right_index: MinutiaeRecord, left_index: MinutiaeRecord) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG3);
        if right_index.finger() != Finger::RightIndex || left_index.finger() != Finger::LeftIndex {
            return Err(Error::decode(
                file,
                DecodeError::new(
                    DecodeErrorKind::Invalid("finger order (right, left index)"),
                    0,
                ),
            ));
        }
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            cbeff::write_group(
                w,
                &[
                    (
                        TYPE_FINGER,
                        Some(Finger::RightIndex.cbeff_subtype()),
                        FORMAT_FINGER_MINUTIAE,
                        right_index.as_bytes(),
                    ),
                    (
                        TYPE_FINGER,
                        Some(Finger::LeftIndex.cbeff_subtype()),
                        FORMAT_FINGER_MINUTIAE,
                        left_index.as_bytes(),
                    ),
                ],
            );
        });
        Ok(Self {
            right_index,
            left_index,
            raw: w.into_bytes(),
        })
    }

    /// Decodes DG3.
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, not exactly two finger instances, a subtype that
    /// disagrees with the record's finger position, or a malformed minutiae record.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG3);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let bits = cbeff::read_group(&mut r).map_err(de(file))?;
        r.finish().map_err(de(file))?;
        let bad = |what: &'static str, at: usize| {
            Error::decode(file, DecodeError::new(DecodeErrorKind::Invalid(what), at))
        };
        let [a, b] = bits.as_slice() else {
            return Err(bad("number of fingers (must be 2)", t.value_offset));
        };
        let mut recs = Vec::with_capacity(2);
        for (bit, want) in [(a, Finger::RightIndex), (b, Finger::LeftIndex)] {
            if bit.biometric_type != TYPE_FINGER || bit.format_type != FORMAT_FINGER_MINUTIAE {
                return Err(bad(
                    "biometric type/format (finger, 19794-2)",
                    bit.data_offset,
                ));
            }
            if bit.subtype != Some(want.cbeff_subtype()) {
                return Err(bad("finger subtype", bit.data_offset));
            }
            let rec = MinutiaeRecord::parse(bit.data).map_err(|e| {
                Error::decode(
                    file,
                    DecodeError::new(e.kind, e.offset.saturating_add(bit.data_offset)),
                )
            })?;
            if rec.finger() != want {
                return Err(bad(
                    "finger position disagrees with subtype",
                    bit.data_offset,
                ));
            }
            recs.push(rec);
        }
        let mut it = recs.into_iter();
        match (it.next(), it.next()) {
            (Some(right_index), Some(left_index)) => Ok(Self {
                right_index,
                left_index,
                raw: bytes.to_vec(),
            }),
            _ => Err(bad("number of fingers (must be 2)", t.value_offset)),
        }
    }

    /// The right index finger record.
    pub fn right_index(&self) -> &MinutiaeRecord {
        &self.right_index
    }

    /// The left index finger record.
    pub fn left_index(&self) -> &MinutiaeRecord {
        &self.left_index
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::biometric::tests::fmr;

    #[test]
    fn round_trip_and_order() {
        let r = MinutiaeRecord::parse(&fmr(2, &[(1, 2), (3, 4)])).unwrap();
        let l = MinutiaeRecord::parse(&fmr(7, &[(5, 6)])).unwrap();
        let dg = Dg3::new(r.clone(), l.clone()).unwrap();
        let back = Dg3::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
        assert_eq!(back.left_index(), &l);
        assert!(Dg3::new(l, r).is_err());
    }
}
