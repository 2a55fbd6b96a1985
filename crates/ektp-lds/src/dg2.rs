//! DG2, encoded face (ICAO 9303-10 §4.7.2): one CBEFF instance wrapping an
//! ISO/IEC 19794-5 face record with a JPEG or JPEG 2000 portrait.
//!
//! ```text
//! 75 L { 7F61 { 02 01 01, 7F60 { A1 { 80 0101, 81 02, 87 0101, 88 0008 }, 5F2E <FAC record> } } }
//! ```

use ektp_iso7816::tlv::Writer;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use crate::Error;
use crate::biometric::FaceImage;
use crate::biometric::cbeff::{self, FORMAT_FACE, TYPE_FACE};
use crate::dg::codec::{de, outer};
use crate::dg::{DgNumber, LdsFile};

const TAG: u32 = 0x75;

/// DG2, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg2 {
    face: FaceImage,
    raw: Vec<u8>,
}

impl Dg2 {
    /// DG2 holding one portrait.
    pub fn new(face: FaceImage) -> Self {
        let record = face.to_record();
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            cbeff::write_group(w, &[(TYPE_FACE, None, FORMAT_FACE, &record)]);
        });
        Self {
            face,
            raw: w.into_bytes(),
        }
    }

    /// Decodes DG2 (exactly one face instance).
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, a header that is not face / 19794-5, more than one
    /// instance, or a malformed face record.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG2);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let bits = cbeff::read_group(&mut r).map_err(de(file))?;
        r.finish().map_err(de(file))?;
        let bit = match bits.as_slice() {
            [b] => b,
            _ => {
                return Err(Error::decode(
                    file,
                    DecodeError::new(DecodeErrorKind::Invalid("number of faces (must be 1)"), 0),
                ));
            }
        };
        if bit.biometric_type != TYPE_FACE || bit.format_type != FORMAT_FACE {
            return Err(Error::decode(
                file,
                DecodeError::new(
                    DecodeErrorKind::Invalid("biometric type/format (face, 19794-5)"),
                    bit.data_offset,
                ),
            ));
        }
        let face = FaceImage::from_record(bit.data, bit.data_offset).map_err(de(file))?;
        Ok(Self {
            face,
            raw: bytes.to_vec(),
        })
    }

    /// The portrait.
    pub fn face(&self) -> &FaceImage {
        &self.face
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
    use crate::biometric::tests::tiny_jpeg;

    #[test]
    fn round_trip() {
        let face = FaceImage::from_image(tiny_jpeg(40, 50), 1).unwrap();
        let dg = Dg2::new(face.clone());
        assert_eq!(dg.as_bytes()[0], 0x75);
        let back = Dg2::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
        assert_eq!(back.face(), &face);
    }
}
