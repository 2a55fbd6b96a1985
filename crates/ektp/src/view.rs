//! Views: what a card says, as plain serde types for people and machines.
//!
//! The CLI's `--json` and its text output are both rendered from these types, and a service can
//! send them as they are: one schema everywhere (`docs/agency-developer.md` shows it).
//!
//! - [`HolderView`]: the holder record (the card face) and the images read, as metadata.
//! - [`CardFields`]: whatever fields the data groups read give, for `--only`-style requests
//!   ([`Field`] names them and says which data groups to read).
//! - [`ImageView`]: an image's format, size, dimensions when known and SHA-256 — never its bytes.
//!
//! What a verification found is [`crate::VerifyReport`]: each [`CheckKind`](crate::CheckKind)
//! and [`Status`](crate::Status) has its stable name in one place. Times people read are
//! formatted by [`format_utc`].

use ektp_lds::holder::{Address, Citizenship};
use ektp_lds::{
    Date, Dg1, Dg2, Dg7, Dg11, Dg12, Dg13, DgNumber, HolderRecord, ImageFormat, Nik, Religion,
};
use serde::Serialize;

use crate::Error;
use crate::contents::{CardFiles, ReadRequest};
use crate::verify::sha256_hex;

/// `count thing` or `count things` (`0 cards`, `1 card`, `2 cards`): the one way every
/// message with a count is worded.
pub fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS UTC`: the one format for times people read (the CLI's
/// certificate and CRL dates, a report's check time).
pub fn format_utc(secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => format!("{secs} (Unix time out of range)"),
    }
}

/// The stable lowercase name of an image format (`jpeg`, `jpeg2000`).
pub const fn image_format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Jpeg2000 => "jpeg2000",
    }
}

fn serialize_format<S: serde::Serializer>(f: &ImageFormat, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(image_format_name(*f))
}

/// An image stored on the card (portrait, signature), described without its bytes.
///
/// JSON: `{"format": "jpeg", "width": 48, "height": 60, "bytes": 801, "sha256": "…"}`;
/// `width` and `height` only when the record states them (a portrait's ISO/IEC 19794-5
/// header does, a signature image does not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    /// The encoding, as stored.
    #[serde(serialize_with = "serialize_format")]
    pub format: ImageFormat,
    /// Width in pixels, if the record states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u16>,
    /// Height in pixels, if the record states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u16>,
    /// Size of the image in bytes.
    pub bytes: usize,
    /// SHA-256 of the image bytes (lowercase hex), to compare an image fetched separately.
    pub sha256: String,
}

impl ImageView {
    /// The portrait of DG2.
    pub fn portrait(dg2: &Dg2) -> Self {
        let f = dg2.face();
        Self {
            format: f.format,
            width: Some(f.width),
            height: Some(f.height),
            bytes: f.image.len(),
            sha256: sha256_hex(&f.image),
        }
    }

    /// The signature image of DG7.
    pub fn signature(dg7: &Dg7) -> Self {
        let s = dg7.signature();
        Self {
            format: s.format(),
            width: None,
            height: None,
            bytes: s.as_bytes().len(),
            sha256: sha256_hex(s.as_bytes()),
        }
    }
}

/// Decodes data group `dg` with `decode` if it was read.
fn decoded<T>(
    files: &CardFiles,
    dg: DgNumber,
    decode: fn(&[u8]) -> Result<T, ektp_lds::Error>,
) -> Result<Option<T>, Error> {
    files.dg(dg).map(decode).transpose().map_err(Error::from)
}

/// The portrait (DG2) and signature image (DG7), if read.
fn images(files: &CardFiles) -> Result<(Option<ImageView>, Option<ImageView>), Error> {
    let photo = decoded(files, DgNumber::DG2, Dg2::decode)?.map(|d| ImageView::portrait(&d));
    let signature = decoded(files, DgNumber::DG7, Dg7::decode)?.map(|d| ImageView::signature(&d));
    Ok((photo, signature))
}

/// What the card face shows: the holder record, and the images when they were read.
///
/// JSON: the [`HolderRecord`]'s keys (the application format's vocabulary), plus `photo` and
/// `signature` ([`ImageView`]) when read. This is `ektp read --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderView {
    /// The holder record rebuilt from DG1, DG11, DG12 and DG13.
    #[serde(flatten)]
    pub holder: HolderRecord,
    /// The portrait (DG2), if read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<ImageView>,
    /// The signature image (DG7), if read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<ImageView>,
}

impl HolderView {
    /// The view of `files`: DG1, DG11, DG12 and DG13 must have been read; DG2 and DG7 are
    /// described if they were.
    ///
    /// # Errors
    /// As [`CardFiles::holder_record`]; [`Error::Lds`] for a malformed DG2 or DG7.
    pub fn from_files(files: &CardFiles) -> Result<Self, Error> {
        let holder = files.holder_record()?;
        let (photo, signature) = images(files)?;
        Ok(Self {
            holder,
            photo,
            signature,
        })
    }
}

macro_rules! fields {
    ($($(#[$m:meta])* $v:ident = $s:literal, $help:literal;)+) => {
        /// A field a reader can ask for (names as in the application format), and where it
        /// is stored on the card.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[non_exhaustive]
        pub enum Field { $($(#[$m])* #[serde(rename = $s)] $v),+ }

        impl Field {
            /// Every field, in the order of the card face.
            pub const ALL: &'static [Self] = &[$(Self::$v),+];

            /// The stable name (the JSON key).
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }

            /// What it is and where it is stored, for people (`NIK (DG11)`).
            pub const fn help(self) -> &'static str {
                match self { $(Self::$v => $help),+ }
            }

            /// The field of that name.
            pub fn parse(name: &str) -> Option<Self> {
                match name { $($s => Some(Self::$v),)+ _ => None }
            }
        }
    };
}

fields! {
    /// NIK (DG11).
    Nik = "nik", "NIK (DG11)";
    /// Name (DG11).
    Name = "name", "Name (DG11)";
    /// Place of birth (DG11).
    PlaceOfBirth = "place_of_birth", "Place of birth (DG11)";
    /// Date of birth (DG11).
    DateOfBirth = "date_of_birth", "Date of birth (DG11)";
    /// Sex (DG1).
    Sex = "sex", "Sex (DG1)";
    /// Blood type (DG13).
    BloodType = "blood_type", "Blood type (DG13)";
    /// Address (DG11 and DG13).
    Address = "address", "Address (DG11 and DG13)";
    /// Religion (DG13).
    Religion = "religion", "Religion (DG13)";
    /// Marital status (DG13).
    MaritalStatus = "marital_status", "Marital status (DG13)";
    /// Occupation (DG11).
    Occupation = "occupation", "Occupation (DG11)";
    /// WNI or WNA (DG13).
    Citizenship = "citizenship", "WNI or WNA (DG13)";
    /// Nationality code (DG1).
    Nationality = "nationality", "Nationality code (DG1)";
    /// Valid until (DG13).
    Validity = "validity", "Valid until (DG13)";
    /// Document number (DG1).
    DocumentNumber = "document_number", "Document number (DG1)";
    /// Issuing regency/city (DG12).
    IssuingOffice = "issuing_office", "Issuing regency/city (DG12)";
    /// Date of issue (DG12).
    DateOfIssue = "date_of_issue", "Date of issue (DG12)";
    /// The three MRZ lines (DG1).
    Mrz = "mrz", "The three MRZ lines (DG1)";
    /// Portrait (DG2).
    Photo = "photo", "Portrait (DG2)";
    /// Signature image (DG7).
    Signature = "signature", "Signature image (DG7)";
}

impl core::fmt::Display for Field {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads nothing.
const NOTHING: ReadRequest = ReadRequest {
    dg1: false,
    portrait: false,
    signature: false,
    dg11: false,
    dg12: false,
    dg13: false,
    security: false,
};

impl Field {
    /// Adds the data groups this field is stored in to `request`.
    pub fn add_to(self, request: &mut ReadRequest) {
        let r = request;
        match self {
            Self::Nik | Self::Name | Self::PlaceOfBirth | Self::DateOfBirth | Self::Occupation => {
                r.dg11 = true;
            }
            Self::Address => {
                r.dg11 = true;
                r.dg13 = true;
            }
            Self::BloodType
            | Self::Religion
            | Self::MaritalStatus
            | Self::Citizenship
            | Self::Validity => r.dg13 = true,
            Self::Sex | Self::Nationality | Self::DocumentNumber | Self::Mrz => r.dg1 = true,
            Self::IssuingOffice | Self::DateOfIssue => r.dg12 = true,
            Self::Photo => r.portrait = true,
            Self::Signature => r.signature = true,
        }
    }

    /// Only the data groups that hold `fields`.
    pub fn request(fields: &[Self]) -> ReadRequest {
        let mut r = NOTHING;
        for f in fields {
            f.add_to(&mut r);
        }
        r
    }
}

/// The address as far as the data groups read give it: DG11 has the street, regency/city and
/// province, DG13 the RT/RW, village and district.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AddressFields {
    /// Street and house number (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// RT, three digits (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rt: Option<ektp_lds::holder::RtRw>,
    /// RW, three digits (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rw: Option<ektp_lds::holder::RtRw>,
    /// Kelurahan/desa (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kelurahan_desa: Option<String>,
    /// Kecamatan (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kecamatan: Option<String>,
    /// Kabupaten/kota (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kabupaten_kota: Option<String>,
    /// Provinsi (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provinsi: Option<String>,
}

impl From<&Address> for AddressFields {
    fn from(a: &Address) -> Self {
        Self {
            street: Some(a.street.clone()),
            rt: Some(a.rt),
            rw: Some(a.rw),
            kelurahan_desa: Some(a.kelurahan_desa.clone()),
            kecamatan: Some(a.kecamatan.clone()),
            kabupaten_kota: Some(a.kabupaten_kota.clone()),
            provinsi: Some(a.provinsi.clone()),
        }
    }
}

/// Every field the data groups read give, each absent when its data group was not read: the
/// answer to a request for some [`Field`]s (`ektp read --only`). Keys as [`Field::as_str`].
///
/// `sex`, `nationality` and `document_number` come from DG1's MRZ here (so `nationality` is
/// `IDN` for a citizen); a WNA's nationality comes from DG13 when DG1 was not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CardFields {
    /// NIK (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nik: Option<Nik>,
    /// Name (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Place of birth (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_birth: Option<String>,
    /// Date of birth (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    /// `LAKI-LAKI`, `PEREMPUAN`, or `-` when the MRZ leaves it unspecified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<&'static str>,
    /// Blood type (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blood_type: Option<ektp_lds::holder::BloodType>,
    /// Address, as far as DG11 and DG13 were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressFields>,
    /// Religion (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub religion: Option<Religion>,
    /// Marital status (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<ektp_lds::holder::MaritalStatus>,
    /// Occupation (DG11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    /// `WNI` or `WNA` (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<Citizenship>,
    /// Nationality code: DG1's MRZ, or a WNA's from DG13.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Valid until (DG13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<ektp_lds::holder::Validity>,
    /// Document number (DG1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Issuing regency/city (DG12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_office: Option<String>,
    /// Date of issue (DG12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_issue: Option<Date>,
    /// The three MRZ lines (DG1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz: Option<[String; 3]>,
    /// The portrait (DG2), described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<ImageView>,
    /// The signature image (DG7), described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<ImageView>,
}

/// An MRZ text field without its `<` filler.
fn mrz_text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim_end_matches('<').to_owned()
}

impl CardFields {
    /// Every field the data groups in `files` give.
    ///
    /// # Errors
    /// [`Error::Lds`] for a data group that does not decode.
    pub fn from_files(files: &CardFiles) -> Result<Self, Error> {
        let mut v = Self::default();
        let mut address = AddressFields::default();
        if let Some(dg) = decoded(files, DgNumber::DG11, Dg11::decode)? {
            v.dg11(&dg, &mut address);
        }
        if let Some(dg) = decoded(files, DgNumber::DG13, Dg13::decode)? {
            v.dg13(&dg, &mut address);
        }
        if address != AddressFields::default() {
            v.address = Some(address);
        }
        if let Some(dg) = decoded(files, DgNumber::DG1, Dg1::decode)? {
            let mrz = dg.mrz();
            v.document_number = Some(mrz_text(&mrz.document_number));
            v.sex = Some(
                ektp_lds::Sex::ALL
                    .iter()
                    .find(|s| s.mrz_code() == mrz.sex)
                    .map_or("-", |s| s.as_str()),
            );
            v.nationality = Some(mrz_text(&mrz.nationality));
            v.mrz = Some(mrz.lines());
        }
        if let Some(dg) = decoded(files, DgNumber::DG12, Dg12::decode)? {
            let d = dg.details();
            v.issuing_office = Some(d.issuing_authority.clone());
            v.date_of_issue = Some(d.date_of_issue);
        }
        (v.photo, v.signature) = images(files)?;
        Ok(v)
    }

    fn dg11(&mut self, dg: &Dg11, address: &mut AddressFields) {
        let d = dg.details();
        self.nik = Some(d.nik.clone());
        self.name = Some(d.name.clone());
        self.place_of_birth = Some(d.place_of_birth.clone());
        self.date_of_birth = Some(d.date_of_birth);
        self.occupation = Some(d.profession.clone());
        address.street = Some(d.street.clone());
        address.kabupaten_kota = Some(d.kabupaten_kota.clone());
        address.provinsi = Some(d.provinsi.clone());
    }

    fn dg13(&mut self, dg: &Dg13, address: &mut AddressFields) {
        let d = dg.details();
        address.rt = Some(d.rt);
        address.rw = Some(d.rw);
        address.kelurahan_desa = Some(d.kelurahan_desa.clone());
        address.kecamatan = Some(d.kecamatan.clone());
        self.religion = Some(d.religion);
        self.marital_status = Some(d.marital_status);
        self.blood_type = Some(d.blood_type);
        self.citizenship = Some(d.citizenship);
        if let Citizenship::Wna(c) = d.citizenship {
            self.nationality = Some(c.as_str().to_owned());
        }
        self.validity = Some(d.validity);
    }

    /// Only `fields`.
    ///
    /// # Errors
    /// The first field asked for that the data groups read do not give (its data group is
    /// not on the card, or was not read).
    pub fn select(&self, fields: &[Field]) -> Result<Self, Field> {
        let mut out = Self::default();
        for &f in fields {
            if !out.take(self, f) {
                return Err(f);
            }
        }
        Ok(out)
    }

    /// Copies field `f` from `from`; false if `from` does not have it.
    fn take(&mut self, from: &Self, f: Field) -> bool {
        fn copy<T: Clone>(to: &mut Option<T>, from: &Option<T>) -> bool {
            to.clone_from(from);
            from.is_some()
        }
        match f {
            Field::Nik => copy(&mut self.nik, &from.nik),
            Field::Name => copy(&mut self.name, &from.name),
            Field::PlaceOfBirth => copy(&mut self.place_of_birth, &from.place_of_birth),
            Field::DateOfBirth => copy(&mut self.date_of_birth, &from.date_of_birth),
            Field::Sex => copy(&mut self.sex, &from.sex),
            Field::BloodType => copy(&mut self.blood_type, &from.blood_type),
            Field::Address => copy(&mut self.address, &from.address),
            Field::Religion => copy(&mut self.religion, &from.religion),
            Field::MaritalStatus => copy(&mut self.marital_status, &from.marital_status),
            Field::Occupation => copy(&mut self.occupation, &from.occupation),
            Field::Citizenship => copy(&mut self.citizenship, &from.citizenship),
            Field::Nationality => copy(&mut self.nationality, &from.nationality),
            Field::Validity => copy(&mut self.validity, &from.validity),
            Field::DocumentNumber => copy(&mut self.document_number, &from.document_number),
            Field::IssuingOffice => copy(&mut self.issuing_office, &from.issuing_office),
            Field::DateOfIssue => copy(&mut self.date_of_issue, &from.date_of_issue),
            Field::Mrz => copy(&mut self.mrz, &from.mrz),
            Field::Photo => copy(&mut self.photo, &from.photo),
            Field::Signature => copy(&mut self.signature, &from.signature),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_says_one_only_for_one() {
        assert_eq!(plural(0, "card", "cards"), "0 cards");
        assert_eq!(plural(1, "card", "cards"), "1 card");
        assert_eq!(plural(2, "try", "tries"), "2 tries");
    }

    #[test]
    fn times_are_utc_seconds() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(
            format_utc(i64::MAX),
            format!("{} (Unix time out of range)", i64::MAX)
        );
    }

    #[test]
    fn field_names_round_trip_and_pick_data_groups() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Field::parse("shoe_size"), None);
        let r = Field::request(&[Field::Address, Field::Sex]);
        assert!(r.dg1 && r.dg11 && r.dg13 && !r.dg12 && !r.portrait && !r.security);
        assert_eq!(Field::request(&[]), NOTHING);
    }
}
