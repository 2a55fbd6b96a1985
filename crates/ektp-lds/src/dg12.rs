//! DG12, additional document details (ICAO 9303-10 §4.7.12).
//!
//! ```text
//! 6C L {
//!   5C 04 5F19 5F26   tag list
//!   5F19  issuing authority: the regency/city that issued the card, UTF-8
//!   5F26  date of issue YYYYMMDD
//! }
//! ```

use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::date::Date;
use crate::dg::codec::{de, invalid, outer, text};
use crate::dg::{DgNumber, LdsFile};

const TAG: u32 = 0x6C;
const LIST: [u8; 4] = [0x5F, 0x19, 0x5F, 0x26];

/// The DG12 fields of an e-KTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentDetails {
    /// Issuing regency/city (5F19).
    pub issuing_authority: String,
    /// Date of issue (5F26).
    pub date_of_issue: Date,
}

/// DG12, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg12 {
    details: DocumentDetails,
    raw: Vec<u8>,
}

impl Dg12 {
    /// DG12 for `details`.
    pub fn new(details: DocumentDetails) -> Self {
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            w.put(0x5C, &LIST)
                .put(0x5F19, details.issuing_authority.as_bytes())
                .put(0x5F26, details.date_of_issue.to_yyyymmdd().as_bytes());
        });
        Self {
            details,
            raw: w.into_bytes(),
        }
    }

    /// Decodes DG12.
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, another tag list, bad UTF-8 or a bad date.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG12);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let list = r.expect(0x5C).map_err(de(file))?;
        if list.value != LIST {
            return Err(invalid(file, &list, "DG12 tag list"));
        }
        let a = r.expect(0x5F19).map_err(de(file))?;
        let issuing_authority = text(file, &a, 255, "issuing authority")?;
        let d = r.expect(0x5F26).map_err(de(file))?;
        let date_of_issue = Date::parse_yyyymmdd(d.value)
            .ok_or_else(|| invalid(file, &d, "date of issue (YYYYMMDD)"))?;
        r.finish().map_err(de(file))?;
        Ok(Self {
            details: DocumentDetails {
                issuing_authority,
                date_of_issue,
            },
            raw: bytes.to_vec(),
        })
    }

    /// The fields.
    pub fn details(&self) -> &DocumentDetails {
        &self.details
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
        let dg = Dg12::new(DocumentDetails {
            issuing_authority: "KOTA BANDUNG".into(),
            date_of_issue: Date::new(2025, 6, 2).unwrap(),
        });
        assert_eq!(Dg12::decode(dg.as_bytes()).unwrap(), dg);
        let mut bad = dg.as_bytes().to_vec();
        let n = bad.len();
        bad[n - 1] = b'X';
        assert!(Dg12::decode(&bad).is_err());
    }
}
