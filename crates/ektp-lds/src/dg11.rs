//! DG11, additional personal details (ICAO 9303-10 §4.7.11).
//!
//! ```text
//! 6B L {
//!   5C 0C 5F0E 5F10 5F2B 5F11 5F42 5F13   tag list
//!   5F0E  full name, UTF-8, words separated by '<' (no '<<': Indonesian names are one field)
//!   5F10  personal number = NIK, 16 digits
//!   5F2B  full date of birth YYYYMMDD
//!   5F11  place of birth, UTF-8
//!   5F42  address: street '<' kabupaten/kota '<' provinsi (RT/RW, kelurahan/desa and
//!         kecamatan are in DG13)
//!   5F13  profession (pekerjaan), UTF-8
//! }
//! ```

use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::date::Date;
use crate::dg::codec::{de, invalid, outer, text};
use crate::dg::{DgNumber, LdsFile};
use crate::nik::Nik;

const TAG: u32 = 0x6B;
const TAGS: [u32; 6] = [0x5F0E, 0x5F10, 0x5F2B, 0x5F11, 0x5F42, 0x5F13];
/// Longest text field accepted, in bytes.
const MAX_TEXT: usize = 1024;

/// The DG11 fields of an e-KTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalDetails {
    /// Full name with single spaces between words (stored with `<` in 5F0E).
    pub name: String,
    /// NIK (5F10).
    pub nik: Nik,
    /// Full date of birth (5F2B).
    pub date_of_birth: Date,
    /// Place of birth (5F11).
    pub place_of_birth: String,
    /// Street part of the address (5F42, first line).
    pub street: String,
    /// Regency/city (5F42, second line).
    pub kabupaten_kota: String,
    /// Province (5F42, third line).
    pub provinsi: String,
    /// Profession (5F13).
    pub profession: String,
}

/// DG11, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg11 {
    details: PersonalDetails,
    raw: Vec<u8>,
}

impl Dg11 {
    /// DG11 for `details`. Text must not contain `<` (the ICAO separator); application
    /// validation guarantees it.
    pub fn new(details: PersonalDetails) -> Self {
        let name = details.name.replace(' ', "<");
        let address = format!(
            "{}<{}<{}",
            details.street, details.kabupaten_kota, details.provinsi
        );
        let mut list = Vec::with_capacity(12);
        for t in TAGS {
            list.extend_from_slice(&t.to_be_bytes()[2..]);
        }
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            w.put(0x5C, &list)
                .put(0x5F0E, name.as_bytes())
                .put(0x5F10, details.nik.as_str().as_bytes())
                .put(0x5F2B, details.date_of_birth.to_yyyymmdd().as_bytes())
                .put(0x5F11, details.place_of_birth.as_bytes())
                .put(0x5F42, address.as_bytes())
                .put(0x5F13, details.profession.as_bytes());
        });
        Self {
            details,
            raw: w.into_bytes(),
        }
    }

    /// Decodes DG11: the tag list must name exactly the six e-KTP fields, which follow in
    /// that order.
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, a different tag list, bad UTF-8, a bad date or an
    /// address without three parts; [`Error::Nik`] if 5F10 is not a valid NIK.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG11);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let list = r.expect(0x5C).map_err(de(file))?;
        let mut want = Vec::with_capacity(12);
        for t in TAGS {
            want.extend_from_slice(&t.to_be_bytes()[2..]);
        }
        if list.value != want.as_slice() {
            return Err(invalid(file, &list, "DG11 tag list"));
        }
        let name = r.expect(0x5F0E).map_err(de(file))?;
        let name_text = text(file, &name, MAX_TEXT, "full name")?;
        if name_text.contains("<<") || name_text.starts_with('<') || name_text.ends_with('<') {
            return Err(invalid(file, &name, "full name"));
        }
        let nik_t = r.expect(0x5F10).map_err(de(file))?;
        let nik = Nik::parse(&text(file, &nik_t, 16, "personal number")?)?;
        let dob_t = r.expect(0x5F2B).map_err(de(file))?;
        let date_of_birth = Date::parse_yyyymmdd(dob_t.value)
            .ok_or_else(|| invalid(file, &dob_t, "full date of birth (YYYYMMDD)"))?;
        let pob = r.expect(0x5F11).map_err(de(file))?;
        let place_of_birth = text(file, &pob, MAX_TEXT, "place of birth")?;
        let addr_t = r.expect(0x5F42).map_err(de(file))?;
        let addr = text(file, &addr_t, MAX_TEXT, "address")?;
        let parts: Vec<&str> = addr.split('<').collect();
        let [street, kabupaten_kota, provinsi] = parts.as_slice() else {
            return Err(invalid(
                file,
                &addr_t,
                "address (street<kabupaten/kota<provinsi)",
            ));
        };
        let prof = r.expect(0x5F13).map_err(de(file))?;
        let profession = text(file, &prof, MAX_TEXT, "profession")?;
        r.finish().map_err(de(file))?;
        Ok(Self {
            details: PersonalDetails {
                name: name_text.replace('<', " "),
                nik,
                date_of_birth,
                place_of_birth,
                street: (*street).to_owned(),
                kabupaten_kota: (*kabupaten_kota).to_owned(),
                provinsi: (*provinsi).to_owned(),
                profession,
            },
            raw: bytes.to_vec(),
        })
    }

    /// The fields.
    pub fn details(&self) -> &PersonalDetails {
        &self.details
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> PersonalDetails {
        PersonalDetails {
            name: "SPESIMEN BUDI SANTOSO".into(),
            nik: Nik::parse("3273010903080001").unwrap(),
            date_of_birth: Date::new(2008, 3, 9).unwrap(),
            place_of_birth: "BANDUNG".into(),
            street: "JL. SPESIMEN NO. 1".into(),
            kabupaten_kota: "KOTA BANDUNG".into(),
            provinsi: "JAWA BARAT".into(),
            profession: "PELAJAR/MAHASISWA".into(),
        }
    }

    #[test]
    fn round_trip() {
        let dg = Dg11::new(sample());
        let back = Dg11::decode(dg.as_bytes()).unwrap();
        assert_eq!(back, dg);
        assert_eq!(back.details(), &sample());
        let s = String::from_utf8_lossy(dg.as_bytes()).into_owned();
        assert!(s.contains("SPESIMEN<BUDI<SANTOSO"));
        assert!(s.contains("20080309"));
    }
}
