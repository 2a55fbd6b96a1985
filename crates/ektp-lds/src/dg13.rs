//! DG13, optional details (ICAO 9303-10 §4.7.13): the Indonesian card-face fields that have
//! no ICAO tag. The content is defined by this profile (ICAO leaves DG13 to the issuer);
//! every tag is documented in `docs/card-profile.md`.
//!
//! ```text
//! 6D L {
//!   80 01 01               structure version (1)
//!   81 03 "001"            RT, 3 digits
//!   82 03 "002"            RW, 3 digits
//!   83 L  UTF-8            kelurahan/desa
//!   84 L  UTF-8            kecamatan
//!   85 L  ASCII            agama, as printed (e.g. "ISLAM")
//!   86 L  ASCII            status perkawinan, as printed (e.g. "BELUM KAWIN")
//!   87 L  ASCII            golongan darah: "A" "B" "AB" "O", optional "+"/"-", or "-"
//!   88 03 ASCII            kewarganegaraan: "WNI" or "WNA"
//!   89 03 ASCII            nationality, ICAO 9303-3 code — present only with "WNA"
//!   8A L  ASCII            berlaku hingga: "SEUMUR HIDUP" or YYYYMMDD
//! }
//! ```

use ektp_iso7816::tlv::Writer;

use crate::Error;
use crate::date::Date;
use crate::dg::codec::{de, invalid, outer, text};
use crate::dg::{DgNumber, LdsFile};
use crate::holder::{BloodType, Citizenship, CountryCode, MaritalStatus, Religion, RtRw, Validity};

const TAG: u32 = 0x6D;
/// Structure version written in tag 80.
pub const DG13_VERSION: u8 = 1;

/// The DG13 fields of an e-KTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndonesianDetails {
    /// RT (tag 81).
    pub rt: RtRw,
    /// RW (tag 82).
    pub rw: RtRw,
    /// Kelurahan/desa (tag 83).
    pub kelurahan_desa: String,
    /// Kecamatan (tag 84).
    pub kecamatan: String,
    /// Agama (tag 85).
    pub religion: Religion,
    /// Status perkawinan (tag 86).
    pub marital_status: MaritalStatus,
    /// Golongan darah (tag 87).
    pub blood_type: BloodType,
    /// Kewarganegaraan (tags 88, 89).
    pub citizenship: Citizenship,
    /// Berlaku hingga (tag 8A).
    pub validity: Validity,
}

/// DG13, keeping the raw bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg13 {
    details: IndonesianDetails,
    raw: Vec<u8>,
}

impl Dg13 {
    /// DG13 for `details`.
    pub fn new(details: IndonesianDetails) -> Self {
        let validity = match details.validity {
            Validity::Lifetime => Validity::LIFETIME_TEXT.to_owned(),
            Validity::Until(d) => d.to_yyyymmdd(),
        };
        let mut w = Writer::new();
        w.nested(TAG, |w| {
            w.put(0x80, &[DG13_VERSION])
                .put(0x81, details.rt.to_string().as_bytes())
                .put(0x82, details.rw.to_string().as_bytes())
                .put(0x83, details.kelurahan_desa.as_bytes())
                .put(0x84, details.kecamatan.as_bytes())
                .put(0x85, details.religion.as_str().as_bytes())
                .put(0x86, details.marital_status.as_str().as_bytes())
                .put(0x87, details.blood_type.to_string().as_bytes())
                .put(0x88, details.citizenship.as_str().as_bytes());
            if let Citizenship::Wna(c) = details.citizenship {
                w.put(0x89, c.as_str().as_bytes());
            }
            w.put(0x8A, validity.as_bytes());
        });
        Self {
            details,
            raw: w.into_bytes(),
        }
    }

    /// Decodes DG13 (structure version 1).
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed TLV, an unknown version, a missing or out-of-order
    /// tag, or a value that is not one of the allowed texts.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let file = LdsFile::Dg(DgNumber::DG13);
        let t = outer(file, bytes, TAG)?;
        let mut r = t.children().map_err(de(file))?;
        let v = r.expect(0x80).map_err(de(file))?;
        if v.value != [DG13_VERSION] {
            return Err(invalid(file, &v, "DG13 structure version"));
        }
        let rt_t = r.expect(0x81).map_err(de(file))?;
        let rt = RtRw::parse(&text(file, &rt_t, 3, "RT")?)
            .ok_or_else(|| invalid(file, &rt_t, "RT (001-999)"))?;
        let rw_t = r.expect(0x82).map_err(de(file))?;
        let rw = RtRw::parse(&text(file, &rw_t, 3, "RW")?)
            .ok_or_else(|| invalid(file, &rw_t, "RW (001-999)"))?;
        let kel = r.expect(0x83).map_err(de(file))?;
        let kelurahan_desa = text(file, &kel, 255, "kelurahan/desa")?;
        let kec = r.expect(0x84).map_err(de(file))?;
        let kecamatan = text(file, &kec, 255, "kecamatan")?;
        let rel = r.expect(0x85).map_err(de(file))?;
        let religion = Religion::parse(&text(file, &rel, 64, "agama")?)
            .ok_or_else(|| invalid(file, &rel, "agama"))?;
        let mar = r.expect(0x86).map_err(de(file))?;
        let marital_status = MaritalStatus::parse(&text(file, &mar, 32, "status perkawinan")?)
            .ok_or_else(|| invalid(file, &mar, "status perkawinan"))?;
        let bt = r.expect(0x87).map_err(de(file))?;
        let blood_type = BloodType::parse(&text(file, &bt, 3, "golongan darah")?)
            .ok_or_else(|| invalid(file, &bt, "golongan darah"))?;
        let cz = r.expect(0x88).map_err(de(file))?;
        let citizenship = match cz.value {
            b"WNI" => Citizenship::Wni,
            b"WNA" => {
                let n = r.expect(0x89).map_err(de(file))?;
                let code = CountryCode::parse(&text(file, &n, 3, "nationality")?)
                    .filter(|c| *c != CountryCode::IDN)
                    .ok_or_else(|| invalid(file, &n, "nationality"))?;
                Citizenship::Wna(code)
            }
            _ => return Err(invalid(file, &cz, "kewarganegaraan (WNI/WNA)")),
        };
        let va = r.expect(0x8A).map_err(de(file))?;
        let validity = if va.value == Validity::LIFETIME_TEXT.as_bytes() {
            Validity::Lifetime
        } else {
            Validity::Until(
                Date::parse_yyyymmdd(va.value)
                    .ok_or_else(|| invalid(file, &va, "berlaku hingga"))?,
            )
        };
        r.finish().map_err(de(file))?;
        Ok(Self {
            details: IndonesianDetails {
                rt,
                rw,
                kelurahan_desa,
                kecamatan,
                religion,
                marital_status,
                blood_type,
                citizenship,
                validity,
            },
            raw: bytes.to_vec(),
        })
    }

    /// The fields.
    pub fn details(&self) -> &IndonesianDetails {
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
    fn round_trip_wni_and_wna() {
        let mut d = IndonesianDetails {
            rt: RtRw::new(1).unwrap(),
            rw: RtRw::new(12).unwrap(),
            kelurahan_desa: "GEGERKALONG".into(),
            kecamatan: "SUKASARI".into(),
            religion: Religion::Kepercayaan,
            marital_status: MaritalStatus::CeraiHidup,
            blood_type: BloodType::parse("AB-").unwrap(),
            citizenship: Citizenship::Wni,
            validity: Validity::Lifetime,
        };
        let dg = Dg13::new(d.clone());
        assert_eq!(Dg13::decode(dg.as_bytes()).unwrap(), dg);
        d.citizenship = Citizenship::Wna(CountryCode::parse("JPN").unwrap());
        d.validity = Validity::Until(Date::new(2030, 1, 31).unwrap());
        let dg = Dg13::new(d.clone());
        assert_eq!(Dg13::decode(dg.as_bytes()).unwrap().details(), &d);
    }
}
