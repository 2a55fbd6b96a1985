//! The holder record: what the card face shows, as typed values.

use core::fmt;

use crate::date::Date;
use crate::nik::Nik;
use crate::sex::Sex;
use crate::text::text_enum;

text_enum! {
    /// Agama, as the card form lists them.
    Religion {
        /// ISLAM
        Islam = "ISLAM",
        /// KRISTEN
        Kristen = "KRISTEN",
        /// KATOLIK
        Katolik = "KATOLIK",
        /// HINDU
        Hindu = "HINDU",
        /// BUDDHA
        Buddha = "BUDDHA",
        /// KONGHUCU
        Konghucu = "KONGHUCU",
        /// KEPERCAYAAN TERHADAP TUHAN YME
        Kepercayaan = "KEPERCAYAAN TERHADAP TUHAN YME",
    }
}

text_enum! {
    /// Status perkawinan.
    MaritalStatus {
        /// BELUM KAWIN (never married)
        BelumKawin = "BELUM KAWIN",
        /// KAWIN (married)
        Kawin = "KAWIN",
        /// CERAI HIDUP (divorced)
        CeraiHidup = "CERAI HIDUP",
        /// CERAI MATI (widowed)
        CeraiMati = "CERAI MATI",
    }
}

impl MaritalStatus {
    /// Whether the holder is or has been married (which makes them eligible under 17).
    pub const fn is_or_was_married(self) -> bool {
        !matches!(self, Self::BelumKawin)
    }
}

text_enum! {
    /// ABO blood group.
    BloodGroup { /// A
        A = "A", /// B
        B = "B", /// AB
        Ab = "AB", /// O
        O = "O" }
}

/// Golongan darah: a group with rhesus factor where known, or unknown (`-` on the card).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BloodType {
    /// Not known: printed as `-`.
    Unknown,
    /// A known group, with the rhesus factor if known (`true` = positive).
    Known {
        /// The ABO group.
        group: BloodGroup,
        /// `Some(true)` Rh+, `Some(false)` Rh-, `None` not known.
        rhesus: Option<bool>,
    },
}

impl BloodType {
    /// Parses `-`, `A`, `A+`, `A-`, `B`, …, `AB+`, `O-`.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "-" {
            return Some(Self::Unknown);
        }
        let (g, rhesus) = if let Some(g) = s.strip_suffix('+') {
            (g, Some(true))
        } else if let Some(g) = s.strip_suffix('-') {
            (g, Some(false))
        } else {
            (s, None)
        };
        Some(Self::Known {
            group: BloodGroup::parse(g)?,
            rhesus,
        })
    }
}

/// Serializes as printed on the card (`O+`, `-`).
impl serde::Serialize for BloodType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for BloodType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown => f.write_str("-"),
            Self::Known { group, rhesus } => {
                f.write_str(group.as_str())?;
                match rhesus {
                    Some(true) => f.write_str("+"),
                    Some(false) => f.write_str("-"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// An ISO 3166-1 alpha-3 / ICAO 9303-3 nationality code (three capital letters).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// Indonesia.
    pub const IDN: Self = Self(*b"IDN");

    /// Three capital letters A-Z.
    pub fn parse(s: &str) -> Option<Self> {
        let arr: [u8; 3] = s.as_bytes().try_into().ok()?;
        arr.iter().all(u8::is_ascii_uppercase).then_some(Self(arr))
    }

    /// The three letters.
    pub fn as_str(&self) -> &str {
        // Invariant: three ASCII capitals (checked by `parse`), so this never falls back.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Serializes as the three letters.
impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kewarganegaraan.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Citizenship {
    /// WNI: Indonesian citizen.
    Wni,
    /// WNA: foreign resident, with their nationality.
    Wna(CountryCode),
}

impl Citizenship {
    /// `WNI` or `WNA`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Wni => "WNI",
            Self::Wna(_) => "WNA",
        }
    }

    /// The MRZ nationality: `IDN` for WNI, the holder's nationality for WNA.
    pub const fn nationality(self) -> CountryCode {
        match self {
            Self::Wni => CountryCode::IDN,
            Self::Wna(c) => c,
        }
    }
}

/// Serializes as `WNI` or `WNA` (a holder record adds the WNA's `nationality` beside it).
impl serde::Serialize for Citizenship {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Berlaku hingga.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Validity {
    /// SEUMUR HIDUP: for life (citizens).
    Lifetime,
    /// Until a date (foreign residents: the end of their residence permit).
    Until(Date),
}

impl Validity {
    /// The text printed on the card.
    pub const LIFETIME_TEXT: &'static str = "SEUMUR HIDUP";
}

/// Serializes as in the application format: `SEUMUR HIDUP` or the date as `YYYY-MM-DD` (the
/// card face prints `DD-MM-YYYY`, see `Display`).
impl serde::Serialize for Validity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Lifetime => s.serialize_str(Self::LIFETIME_TEXT),
            Self::Until(d) => serde::Serialize::serialize(d, s),
        }
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lifetime => f.write_str(Self::LIFETIME_TEXT),
            Self::Until(d) => write!(f, "{:02}-{:02}-{:04}", d.day(), d.month(), d.year()),
        }
    }
}

/// An RT or RW number (neighbourhood units), 1..=999, printed with three digits.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RtRw(u16);

impl RtRw {
    /// 1..=999.
    pub const fn new(n: u16) -> Option<Self> {
        if n >= 1 && n <= 999 {
            Some(Self(n))
        } else {
            None
        }
    }

    /// Parses exactly three digits `001`..`999`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Self::new(s.parse().ok()?)
    }

    /// The number.
    pub const fn value(self) -> u16 {
        self.0
    }
}

/// Serializes with three digits (`007`), as printed.
impl serde::Serialize for RtRw {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for RtRw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// Alamat, as on the card face.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Address {
    /// Street and house number (`JL. …`).
    pub street: String,
    /// RT.
    pub rt: RtRw,
    /// RW.
    pub rw: RtRw,
    /// Kelurahan/desa (village), official name.
    pub kelurahan_desa: String,
    /// Kecamatan (district), official name.
    pub kecamatan: String,
    /// Kabupaten/kota (regency/city), official name, e.g. `KOTA BANDUNG`.
    pub kabupaten_kota: String,
    /// Provinsi, official name, e.g. `JAWA BARAT`.
    pub provinsi: String,
}

/// The card's document number: 9 characters A-Z/0-9, so it fills the TD1 MRZ document-number
/// field exactly (no overflow into the optional data).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocumentNumber([u8; 9]);

impl DocumentNumber {
    /// Nine characters `A-Z` / `0-9`.
    pub fn parse(s: &str) -> Option<Self> {
        let arr: [u8; 9] = s.as_bytes().try_into().ok()?;
        arr.iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .then_some(Self(arr))
    }

    /// The nine characters.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Serializes as the nine characters.
impl serde::Serialize for DocumentNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The holder record: every field of the card face that the chip also stores, typed.
///
/// It can be rebuilt from DG1, DG11, DG12 and DG13 ([`HolderRecord::from_data_groups`]), so a
/// read-back card can be compared field for field with the application. The CAN is not part of
/// it (it is printed on the card only, see [`crate::Application::can`], an `ektp_sm::Can`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderRecord {
    /// NIK.
    pub nik: Nik,
    /// Nama, in capital letters as on the card.
    pub name: String,
    /// Tempat lahir.
    pub place_of_birth: String,
    /// Tanggal lahir.
    pub date_of_birth: Date,
    /// Jenis kelamin.
    pub sex: Sex,
    /// Golongan darah.
    pub blood_type: BloodType,
    /// Alamat.
    pub address: Address,
    /// Agama.
    pub religion: Religion,
    /// Status perkawinan.
    pub marital_status: MaritalStatus,
    /// Pekerjaan.
    pub occupation: String,
    /// Kewarganegaraan.
    pub citizenship: Citizenship,
    /// Berlaku hingga.
    pub validity: Validity,
    /// Issuing regency/city (official name, e.g. `KOTA BANDUNG`).
    pub issuing_office: String,
    /// Date of issue.
    pub date_of_issue: Date,
    /// Document number of this card.
    pub document_number: DocumentNumber,
}

/// The record in the vocabulary of the application format (`docs/applications.md`): the
/// `holder` object's fields, with dates as `YYYY-MM-DD`, plus `document_number`,
/// `issuing_office` and `date_of_issue` from its `card` object; a foreign resident (WNA) also
/// has `nationality`. It contains the NIK by design: this is what the card tells its reader.
impl serde::Serialize for HolderRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let wna = match self.citizenship {
            Citizenship::Wni => None,
            Citizenship::Wna(c) => Some(c),
        };
        let mut st = s.serialize_struct("HolderRecord", 17)?;
        st.serialize_field("nik", &self.nik)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("place_of_birth", &self.place_of_birth)?;
        st.serialize_field("date_of_birth", &self.date_of_birth)?;
        st.serialize_field("sex", &self.sex)?;
        st.serialize_field("blood_type", &self.blood_type)?;
        st.serialize_field("address", &self.address)?;
        st.serialize_field("religion", &self.religion)?;
        st.serialize_field("marital_status", &self.marital_status)?;
        st.serialize_field("occupation", &self.occupation)?;
        st.serialize_field("citizenship", &self.citizenship)?;
        match wna {
            Some(c) => st.serialize_field("nationality", &c)?,
            None => st.skip_field("nationality")?,
        }
        st.serialize_field("validity", &self.validity)?;
        st.serialize_field("document_number", &self.document_number)?;
        st.serialize_field("issuing_office", &self.issuing_office)?;
        st.serialize_field("date_of_issue", &self.date_of_issue)?;
        st.end()
    }
}

impl HolderRecord {
    /// The record as JSON (its `Serialize` form, keys in alphabetical order).
    ///
    /// This is for machine output (the CLI's `--json`); it contains the NIK by design.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip() {
        for r in Religion::ALL {
            assert_eq!(Religion::parse(r.as_str()), Some(*r));
        }
        for m in MaritalStatus::ALL {
            assert_eq!(MaritalStatus::parse(m.as_str()), Some(*m));
        }
        for s in ["-", "A", "A+", "A-", "B", "AB+", "AB-", "O", "O+"] {
            assert_eq!(BloodType::parse(s).unwrap().to_string(), s);
        }
        assert!(BloodType::parse("C").is_none());
        assert!(BloodType::parse("a+").is_none());
        assert!(MaritalStatus::Kawin.is_or_was_married());
        assert!(MaritalStatus::CeraiMati.is_or_was_married());
        assert!(!MaritalStatus::BelumKawin.is_or_was_married());
        assert_eq!(RtRw::parse("007").unwrap().to_string(), "007");
        assert!(RtRw::parse("000").is_none());
        assert!(RtRw::parse("7").is_none());
        assert!(DocumentNumber::parse("ID1234567").is_some());
        assert!(DocumentNumber::parse("id1234567").is_none());
        assert!(DocumentNumber::parse("ID123456").is_none());
        assert_eq!(
            Validity::Until(Date::new(2030, 1, 31).unwrap()).to_string(),
            "31-01-2030"
        );
    }
}
