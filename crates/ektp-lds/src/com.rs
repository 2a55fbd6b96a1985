//! EF.COM (ICAO 9303-10 §4.6.1): LDS version, Unicode version and the list of data groups.
//!
//! ```text
//! 60 L                      EF.COM template
//!    5F01 04 "0107"         LDS version 1.7 (AABB)
//!    5F36 06 "040000"       Unicode version 4.0.0 (AABBCC)
//!    5C   n  61 75 …        tag list: one tag per data group present
//! ```

use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::dg::codec::{de, invalid, outer};
use crate::dg::{DgNumber, LdsFile, TAG_COM};

/// LDS version written by this crate: 1.7.
pub const LDS_VERSION: [u8; 4] = *b"0107";
/// Unicode version written by this crate: 4.0.0.
pub const UNICODE_VERSION: [u8; 6] = *b"040000";

/// EF.COM, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EfCom {
    lds_version: [u8; 4],
    unicode_version: [u8; 6],
    data_groups: Vec<DgNumber>,
    raw: Vec<u8>,
}

impl EfCom {
    /// EF.COM for LDS 1.7 / Unicode 4.0.0 listing `data_groups` in the given order.
    pub fn new(data_groups: &[DgNumber]) -> Self {
        Self::with_versions(LDS_VERSION, UNICODE_VERSION, data_groups)
    }

    /// EF.COM with explicit version fields (4 and 6 ASCII digits).
    pub fn with_versions(
        lds_version: [u8; 4],
        unicode_version: [u8; 6],
        data_groups: &[DgNumber],
    ) -> Self {
        let tags: Vec<u8> = data_groups.iter().map(|d| d.tag()).collect();
        let mut w = Writer::new();
        w.nested(TAG_COM, |w| {
            w.put(0x5F01, &lds_version)
                .put(0x5F36, &unicode_version)
                .put(0x5C, &tags);
        });
        Self {
            lds_version,
            unicode_version,
            data_groups: data_groups.to_vec(),
            raw: w.into_bytes(),
        }
    }

    /// Decodes EF.COM.
    ///
    /// # Errors
    /// [`Error::Decode`] for a wrong tag or length, non-digit versions, or an unknown or
    /// repeated tag in the tag list.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Com;
        let t = outer(file, bytes, TAG_COM)?;
        let mut r = t.children().map_err(de(file))?;
        let v = r.expect(0x5F01).map_err(de(file))?;
        let lds_version: [u8; 4] = v
            .value
            .try_into()
            .ok()
            .filter(|a: &[u8; 4]| a.iter().all(u8::is_ascii_digit))
            .ok_or_else(|| invalid(file, &v, "LDS version (4 digits)"))?;
        let u = r.expect(0x5F36).map_err(de(file))?;
        let unicode_version: [u8; 6] = u
            .value
            .try_into()
            .ok()
            .filter(|a: &[u8; 6]| a.iter().all(u8::is_ascii_digit))
            .ok_or_else(|| invalid(file, &u, "Unicode version (6 digits)"))?;
        let l = r.expect(0x5C).map_err(de(file))?;
        r.finish().map_err(de(file))?;
        let mut data_groups = Vec::with_capacity(l.value.len());
        for tag in l.value {
            let dg = DgNumber::from_tag(*tag)
                .ok_or_else(|| invalid(file, &l, "data group tag in tag list"))?;
            if data_groups.contains(&dg) {
                return Err(invalid(file, &l, "repeated tag in tag list"));
            }
            data_groups.push(dg);
        }
        Ok(Self {
            lds_version,
            unicode_version,
            data_groups,
            raw: bytes.to_vec(),
        })
    }

    /// LDS version field (`0107`).
    pub fn lds_version(&self) -> &[u8; 4] {
        &self.lds_version
    }

    /// Unicode version field (`040000`).
    pub fn unicode_version(&self) -> &[u8; 6] {
        &self.unicode_version
    }

    /// The data groups listed.
    pub fn data_groups(&self) -> &[DgNumber] {
        &self.data_groups
    }

    /// The file's bytes (as decoded, or as encoded by [`EfCom::new`]).
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let com = EfCom::new(&DgNumber::EKTP);
        let back = EfCom::decode(com.as_bytes()).unwrap();
        assert_eq!(back, com);
        assert_eq!(back.data_groups(), &DgNumber::EKTP);
        // Unknown tag 0x71 in the list.
        let bad = hex::decode("60145F0104303130375F36063034303030305C026171").unwrap();
        assert!(EfCom::decode(&bad).is_err());
        // Repeated tag.
        let bad = hex::decode("60145F0104303130375F36063034303030305C026161").unwrap();
        assert!(EfCom::decode(&bad).is_err());
        // Trailing byte after the template.
        let mut bad = com.as_bytes().to_vec();
        bad.push(0);
        assert!(EfCom::decode(&bad).is_err());
    }
}
