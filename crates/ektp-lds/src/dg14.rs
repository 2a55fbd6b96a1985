//! DG14, security options (ICAO 9303-10 §4.7.14, 9303-11 §9.2): the chip's `SecurityInfos`
//! (PACE, Active Authentication, later Chip and Terminal Authentication parameters), typed by
//! [`ektp_sm::card_access`]. This module is the one path between the DG14 file and those
//! types.
//!
//! ```text
//! 6E L { SecurityInfos ::= SET OF SecurityInfo }
//! ```

use ektp_iso7816::tlv::Writer;
use ektp_sm::card_access::SecurityInfos;

use crate::Error;
use crate::dg::codec::outer;
use crate::dg::{DgNumber, LdsFile};

/// The outer template tag of DG14.
const TAG_DG14: u32 = 0x6E;
/// DG14: the chip's `SecurityInfos`, parsed, with the file's bytes as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg14 {
    infos: SecurityInfos,
    content_start: usize,
    raw: Vec<u8>,
}

impl Dg14 {
    const FILE: LdsFile = LdsFile::Dg(DgNumber::DG14);

    fn infos_error(source: ektp_sm::Error) -> Error {
        Error::SecurityInfos {
            file: Self::FILE,
            source,
        }
    }

    /// Encodes `infos` as DG14 (elements in DER SET OF order).
    ///
    /// # Errors
    /// [`Error::SecurityInfos`] if an entry cannot be encoded.
    pub fn new(infos: SecurityInfos) -> Result<Self, Error> {
        let content = infos.to_der().map_err(Self::infos_error)?;
        let mut w = Writer::new();
        w.put(TAG_DG14, &content);
        let raw = w.into_bytes();
        Ok(Self {
            infos,
            content_start: raw.len().saturating_sub(content.len()),
            raw,
        })
    }

    /// Decodes DG14.
    ///
    /// # Errors
    /// [`Error::Decode`] for a wrong outer tag or length; [`Error::SecurityInfos`] if the
    /// content is not a well-formed `SecurityInfos` set.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let t = outer(Self::FILE, bytes, TAG_DG14)?;
        let infos = SecurityInfos::from_der(t.value).map_err(Self::infos_error)?;
        Ok(Self {
            infos,
            content_start: t.value_offset,
            raw: bytes.to_vec(),
        })
    }

    /// The security infos.
    pub fn security_infos(&self) -> &SecurityInfos {
        &self.infos
    }

    /// The DER `SecurityInfos` (without the outer template), as read.
    pub fn content(&self) -> &[u8] {
        self.raw.get(self.content_start..).unwrap_or_default()
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
    fn round_trip_and_type_check() {
        // SET { SEQUENCE { OID 0.4.0.127.0.7.2.2.4.2.2 (id-PACE-ECDH-GM-AES-CBC-CMAC-128), INTEGER 2 } }
        let infos = hex::decode("3111300F060A04007F00070202040202020102").unwrap();
        let dg = Dg14::new(SecurityInfos::from_der(&infos).unwrap()).unwrap();
        let back = Dg14::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
        assert_eq!(back.content(), infos.as_slice());
        assert!(matches!(
            back.security_infos().0.as_slice(),
            [ektp_sm::card_access::SecurityInfo::Pace(_)]
        ));
        // A SEQUENCE where the SET belongs, and trailing bytes.
        assert!(Dg14::decode(&hex::decode("6E023000").unwrap()).is_err());
        assert!(Dg14::decode(&hex::decode("6E033100FF").unwrap()).is_err());
    }
}
