//! EF.SOD (ICAO 9303-10 §4.6.2) as a container: tag `77` around a DER CMS `ContentInfo`
//! (SignedData with an LDSSecurityObject, built and verified by `ektp-pki`).
//!
//! ```text
//! 77 L { ContentInfo ::= SEQUENCE { contentType OID id-signedData, content [0] SignedData } }
//! ```

use der::Tag;
use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::dg::codec::outer;
use crate::dg::{LdsFile, TAG_SOD};
use crate::dg14::check_der;

/// EF.SOD: the document security object, keeping the raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EfSod {
    content: Vec<u8>,
    raw: Vec<u8>,
}

impl EfSod {
    /// Wraps a DER `ContentInfo`.
    ///
    /// # Errors
    /// [`Error::Decode`] if `content_info` is not one DER SEQUENCE.
    pub fn new(content_info: Vec<u8>) -> Result<Self, Error> {
        check_der(
            LdsFile::Sod,
            &content_info,
            Tag::Sequence,
            0,
            "SEQUENCE (ContentInfo)",
        )?;
        let mut w = Writer::new();
        w.put(TAG_SOD, &content_info);
        Ok(Self {
            content: content_info,
            raw: w.into_bytes(),
        })
    }

    /// Decodes EF.SOD.
    ///
    /// # Errors
    /// [`Error::Decode`] for a wrong outer tag or length, or content that is not one DER
    /// SEQUENCE.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let t = outer(LdsFile::Sod, bytes, TAG_SOD)?;
        check_der(
            LdsFile::Sod,
            t.value,
            Tag::Sequence,
            t.value_offset,
            "SEQUENCE (ContentInfo)",
        )?;
        Ok(Self {
            content: t.value.to_vec(),
            raw: bytes.to_vec(),
        })
    }

    /// The DER `ContentInfo`.
    pub fn content_info(&self) -> &[u8] {
        &self.content
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

    #[test]
    fn round_trip() {
        // SEQUENCE { OID 1.2.840.113549.1.7.2 }
        let ci = hex::decode("300B06092A864886F70D010702").unwrap();
        let sod = EfSod::new(ci.clone()).unwrap();
        assert_eq!(
            EfSod::decode(sod.as_bytes()).unwrap().content_info(),
            ci.as_slice()
        );
        assert!(EfSod::decode(&hex::decode("7702FFFF").unwrap()).is_err());
    }
}
