//! DG7, displayed signature (ICAO 9303-10 §4.7.7).
//!
//! ```text
//! 67 L { 02 01 01, 5F43 L <JPEG or JPEG 2000 image of the handwritten signature> }
//! ```

use ektp_iso7816::DecodeError;
use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::biometric::{ImageFormat, MAX_SIGNATURE_LEN, sniff_image};
use crate::dg::codec::{de, invalid, outer};
use crate::dg::{DgNumber, LdsFile};

const TAG: u32 = 0x67;

/// A signature image (JPEG or JPEG 2000).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureImage {
    format: ImageFormat,
    image: Vec<u8>,
}

impl SignatureImage {
    /// Checks that `image` is a JPEG/JPEG 2000 image of at most [`MAX_SIGNATURE_LEN`] bytes.
    ///
    /// # Errors
    /// A [`DecodeError`] if it is not.
    pub fn from_image(image: Vec<u8>) -> Result<Self, DecodeError> {
        if image.len() > MAX_SIGNATURE_LEN {
            return Err(DecodeError::new(
                ektp_iso7816::DecodeErrorKind::LengthTooLong,
                0,
            ));
        }
        let (format, _, _) = sniff_image(&image)?;
        Ok(Self { format, image })
    }

    /// The image format.
    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// The image bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.image
    }
}

/// DG7, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg7 {
    signature: SignatureImage,
    raw: Vec<u8>,
}

impl Dg7 {
    /// DG7 holding one signature image.
    pub fn new(signature: SignatureImage) -> Self {
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            w.put(0x02, &[1]).put(0x5F43, signature.as_bytes());
        });
        Self {
            signature,
            raw: w.into_bytes(),
        }
    }

    /// Decodes DG7 (exactly one image).
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, an instance count other than 1, or an image that
    /// is not JPEG/JPEG 2000.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG7);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let n = r.expect(0x02).map_err(de(file))?;
        if n.value != [1] {
            return Err(invalid(file, &n, "number of signature images (must be 1)"));
        }
        let img = r.expect(0x5F43).map_err(de(file))?;
        r.finish().map_err(de(file))?;
        let signature = SignatureImage::from_image(img.value.to_vec()).map_err(|e| {
            Error::decode(
                file,
                DecodeError::new(e.kind, e.offset.saturating_add(img.value_offset)),
            )
        })?;
        Ok(Self {
            signature,
            raw: bytes.to_vec(),
        })
    }

    /// The signature image.
    pub fn signature(&self) -> &SignatureImage {
        &self.signature
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
        let s = SignatureImage::from_image(tiny_jpeg(120, 40)).unwrap();
        let dg = Dg7::new(s);
        assert_eq!(Dg7::decode(dg.as_bytes()).unwrap(), dg);
        assert!(SignatureImage::from_image(b"not an image".to_vec()).is_err());
    }
}
