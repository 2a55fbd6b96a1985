//! DG15, the Active Authentication public key (ICAO 9303-10 §4.7.15): a container for one
//! DER `SubjectPublicKeyInfo`, filled by `ektp-sm` / `ektp-chip`.
//!
//! ```text
//! 6F L { SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } }
//! ```

use der::{Decode, Tag, Tagged};
use ektp_iso7816::tlv::Writer;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use crate::Error;
use crate::dg::codec::outer;
use crate::dg::{DgNumber, LdsFile};

/// Checks that `content` is one DER element with universal tag `want`.
fn check_der(
    file: LdsFile,
    content: &[u8],
    want: Tag,
    offset: usize,
    what: &'static str,
) -> Result<(), Error> {
    let bad = || {
        Error::decode(
            file,
            DecodeError::new(DecodeErrorKind::Invalid(what), offset),
        )
    };
    let any = der::asn1::AnyRef::from_der(content).map_err(|_| bad())?;
    if any.tag() != want {
        return Err(bad());
    }
    Ok(())
}

/// DG15: the chip's Active Authentication `SubjectPublicKeyInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg15 {
    content: Vec<u8>,
    raw: Vec<u8>,
}

impl Dg15 {
    /// Wraps `spki`, which must be one DER SEQUENCE.
    ///
    /// # Errors
    /// [`Error::Decode`] if it is not.
    pub fn new(spki: Vec<u8>) -> Result<Self, Error> {
        check_der(
            LdsFile::Dg(DgNumber::DG15),
            &spki,
            Tag::Sequence,
            0,
            "SEQUENCE (SubjectPublicKeyInfo)",
        )?;
        let mut w = Writer::new();
        w.put(0x6F, &spki);
        Ok(Self {
            content: spki,
            raw: w.into_bytes(),
        })
    }

    /// Decodes DG15.
    ///
    /// # Errors
    /// [`Error::Decode`] for a wrong outer tag or length, or content that is not one DER
    /// SEQUENCE.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG15);
        let t = outer(file, bytes, 0x6F)?;
        check_der(
            file,
            t.value,
            Tag::Sequence,
            t.value_offset,
            "SEQUENCE (SubjectPublicKeyInfo)",
        )?;
        Ok(Self {
            content: t.value.to_vec(),
            raw: bytes.to_vec(),
        })
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn subject_public_key_info(&self) -> &[u8] {
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
        // SEQUENCE { SEQUENCE { OID 1.2.840.10045.2.1 }, BIT STRING 00 04 }
        let spki = hex::decode("3010300906072A8648CE3D02010303000400").unwrap();
        let dg = Dg15::new(spki.clone()).unwrap();
        assert_eq!(Dg15::decode(dg.as_bytes()).unwrap(), dg);
        assert!(Dg15::new(hex::decode("3100").unwrap()).is_err());
    }
}
