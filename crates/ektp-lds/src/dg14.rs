//! DG14 (security options) and DG15 (Active Authentication public key) as containers: the
//! content is DER produced and interpreted by `ektp-sm` / `ektp-pki`; this crate only wraps,
//! unwraps and checks that the content is one DER element of the right universal tag.
//!
//! ```text
//! 6E L { SecurityInfos ::= SET OF SecurityInfo }          (ICAO 9303-10 §4.7.14, 9303-11 §9.2)
//! 6F L { SubjectPublicKeyInfo ::= SEQUENCE { … } }       (ICAO 9303-10 §4.7.15, RFC 5280)
//! ```

use der::{Decode, Tag, Tagged};
use ektp_iso7816::tlv::Writer;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use crate::Error;
use crate::dg::codec::outer;
use crate::dg::{DgNumber, LdsFile};

/// Wraps/unwraps `content` (one DER element with universal tag `want`) in template `tag`.
pub(crate) fn check_der(
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

macro_rules! der_container {
    ($(#[$m:meta])* $name:ident, $dg:expr, $tag:literal, $der_tag:expr, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            content: Vec<u8>,
            raw: Vec<u8>,
        }

        impl $name {
            #[doc = concat!("Wraps `content`, which must be one DER ", $what, ".")]
            ///
            /// # Errors
            /// [`Error::Decode`] if `content` is not one DER element of that type.
            pub fn new(content: Vec<u8>) -> Result<Self, Error> {
                check_der(LdsFile::Dg($dg), &content, $der_tag, 0, $what)?;
                let mut w = Writer::new();
                w.put($tag, &content);
                Ok(Self { content, raw: w.into_bytes() })
            }

            /// Decodes the file.
            ///
            /// # Errors
            /// [`Error::Decode`] for a wrong outer tag or length, or content that is not one
            #[doc = concat!("DER ", $what, ".")]
            pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
                let file = LdsFile::Dg($dg);
                let t = outer(file, bytes, $tag)?;
                check_der(file, t.value, $der_tag, t.value_offset, $what)?;
                Ok(Self { content: t.value.to_vec(), raw: bytes.to_vec() })
            }

            /// The DER content (without the outer template).
            pub fn content(&self) -> &[u8] {
                &self.content
            }

            /// The file's bytes.
            pub fn as_bytes(&self) -> &[u8] {
                &self.raw
            }
        }
    };
}

der_container!(
    /// DG14: `SecurityInfos` (a DER SET) for PACE / Chip Authentication / AA parameters.
    Dg14, DgNumber::DG14, 0x6E, Tag::Set, "SET (SecurityInfos)"
);

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_type_check() {
        // SET { SEQUENCE { OID 0.4.0.127.0.7.2.2.4.2.2 (id-PACE-ECDH-GM-AES-CBC-CMAC-128), INTEGER 2 } }
        let infos = hex::decode("3111300F060A04007F00070202040202020102").unwrap();
        let dg = Dg14::new(infos.clone()).unwrap();
        let back = Dg14::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
        assert_eq!(back.content(), infos.as_slice());
        assert!(Dg14::new(hex::decode("3000").unwrap()).is_err());
        assert!(Dg14::new(hex::decode("3100FF").unwrap()).is_err());
    }
}
