//! DG1, the machine readable zone (ICAO 9303-10 §4.7.1), TD1 format for the e-KTP.
//!
//! ```text
//! 61 5D                 DG1 template
//!    5F1F 5A <90 MRZ characters>   TD1 MRZ, lines concatenated without separators
//! ```

use ektp_iso7816::tlv::Writer;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use crate::Error;
use crate::dg::codec::{de, outer};
use crate::dg::{DgNumber, LdsFile};
use crate::holder::HolderRecord;
use crate::holder::Validity;
use crate::mrz::{LIFETIME_EXPIRY, TD1_LEN, Td1, td1_name_field};

const TAG: u32 = 0x61;
const TAG_MRZ: u32 = 0x5F1F;

/// e-KTP document code in the MRZ.
pub const DOCUMENT_CODE: [u8; 2] = *b"ID";
/// e-KTP issuing state in the MRZ.
pub const ISSUING_STATE: [u8; 3] = *b"IDN";

/// DG1, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg1 {
    mrz: Td1,
    raw: Vec<u8>,
}

impl Dg1 {
    /// DG1 holding `mrz`.
    pub fn new(mrz: Td1) -> Self {
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            w.put(TAG_MRZ, &mrz.to_bytes());
        });
        Self {
            mrz,
            raw: w.into_bytes(),
        }
    }

    /// The TD1 MRZ of an e-KTP holder: document code `ID`, state `IDN`, the document number,
    /// date of birth, sex, expiry (the validity date, or [`LIFETIME_EXPIRY`] for SEUMUR
    /// HIDUP), nationality (`IDN` for WNI) and the name per [`td1_name_field`]. Optional
    /// data fields are left as fillers (the NIK is in DG11, not in the MRZ).
    pub fn mrz_for(holder: &HolderRecord) -> Td1 {
        let mut document_number = [b'<'; 9];
        for (o, b) in document_number
            .iter_mut()
            .zip(holder.document_number.as_str().bytes())
        {
            *o = b;
        }
        let expiry = match holder.validity {
            Validity::Lifetime => *LIFETIME_EXPIRY,
            Validity::Until(d) => six(&d.to_yymmdd()),
        };
        let mut nationality = [b'<'; 3];
        for (o, b) in nationality
            .iter_mut()
            .zip(holder.citizenship.nationality().as_str().bytes())
        {
            *o = b;
        }
        Td1 {
            document_code: DOCUMENT_CODE,
            issuing_state: ISSUING_STATE,
            document_number,
            optional_data_1: [b'<'; 15],
            date_of_birth: six(&holder.date_of_birth.to_yymmdd()),
            sex: holder.sex.mrz_code(),
            date_of_expiry: expiry,
            nationality,
            optional_data_2: [b'<'; 11],
            name: td1_name_field(&holder.name),
        }
    }

    /// Decodes DG1 and verifies the MRZ check digits.
    ///
    /// # Errors
    /// [`Error::Decode`] for a wrong tag or length, a MRZ that is not 90 characters, a bad
    /// character or a wrong check digit (offset points at the MRZ position).
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG1);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let m = r.expect(TAG_MRZ).map_err(de(file))?;
        r.finish().map_err(de(file))?;
        if m.value.len() != TD1_LEN {
            return Err(Error::decode(
                file,
                DecodeError::new(
                    DecodeErrorKind::Invalid("MRZ length (TD1: 90 characters)"),
                    m.value_offset,
                ),
            ));
        }
        let mrz = Td1::parse(m.value).map_err(|e| {
            Error::decode(
                file,
                DecodeError::new(e.kind, e.offset.saturating_add(m.value_offset)),
            )
        })?;
        Ok(Self {
            mrz,
            raw: bytes.to_vec(),
        })
    }

    /// The MRZ.
    pub fn mrz(&self) -> &Td1 {
        &self.mrz
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }
}

fn six(s: &str) -> [u8; 6] {
    let mut out = [b'<'; 6];
    for (o, b) in out.iter_mut().zip(s.bytes()) {
        *o = b;
    }
    out
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn sample() -> Td1 {
        Td1 {
            document_code: DOCUMENT_CODE,
            issuing_state: ISSUING_STATE,
            document_number: *b"KTP000001",
            optional_data_1: [b'<'; 15],
            date_of_birth: *b"900101",
            sex: b'F',
            date_of_expiry: *LIFETIME_EXPIRY,
            nationality: *b"IDN",
            optional_data_2: [b'<'; 11],
            name: td1_name_field("SPESIMEN SITI"),
        }
    }

    #[test]
    fn round_trip() {
        let dg = Dg1::new(sample());
        assert_eq!(dg.as_bytes()[..4], [0x61, 0x5D, 0x5F, 0x1F]);
        let back = Dg1::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
    }

    #[test]
    fn bad_check_digit_points_into_file() {
        let dg = Dg1::new(sample());
        let mut bytes = dg.as_bytes().to_vec();
        // MRZ starts at offset 5; the document number check digit is MRZ position 14.
        bytes[5 + 14] = if bytes[5 + 14] == b'0' { b'1' } else { b'0' };
        match Dg1::decode(&bytes).unwrap_err() {
            Error::Decode { source, .. } => assert_eq!(source.offset, 19),
            e => panic!("{e}"),
        }
    }
}
