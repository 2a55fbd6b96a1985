//! The LDS image of one card: every file the printing station writes except DG14, DG15 and
//! EF.SOD (their content comes from the chip's keys and the document signer), and the way
//! back from data groups to the holder record.

use crate::Error;
use crate::application::Application;
use crate::com::EfCom;
use crate::dg::{DgNumber, LdsFile};
use crate::dg1::Dg1;
use crate::dg2::Dg2;
use crate::dg3::Dg3;
use crate::dg7::Dg7;
use crate::dg11::{Dg11, PersonalDetails};
use crate::dg12::{Dg12, DocumentDetails};
use crate::dg13::{Dg13, IndonesianDetails};
use crate::holder::{Address, DocumentNumber, HolderRecord, Validity};
use crate::mrz::LIFETIME_EXPIRY;
use crate::profile::CardProfile;
use crate::sex::Sex;

/// EF.COM, DG1, DG2, DG3, DG7, DG11, DG12 and DG13 of one card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LdsImage {
    /// EF.COM, listing DG1, 2, 3, 7, 11, 12, 13, 14 and 15 (all of the e-KTP profile).
    pub com: EfCom,
    /// MRZ.
    pub dg1: Dg1,
    /// Portrait.
    pub dg2: Dg2,
    /// Index-finger minutiae.
    pub dg3: Dg3,
    /// Signature image.
    pub dg7: Dg7,
    /// Name, NIK, date and place of birth, address, profession.
    pub dg11: Dg11,
    /// Issuing office and date of issue.
    pub dg12: Dg12,
    /// Indonesian fields.
    pub dg13: Dg13,
}

impl LdsImage {
    /// The data groups an application determines, by number, as encoded: DG1, DG2, DG3, DG7,
    /// DG11, DG12 and DG13 (DG14 and DG15 depend on the chip).
    pub fn data_groups(&self) -> [(DgNumber, &[u8]); 7] {
        [
            (DgNumber::DG1, self.dg1.as_bytes()),
            (DgNumber::DG2, self.dg2.as_bytes()),
            (DgNumber::DG3, self.dg3.as_bytes()),
            (DgNumber::DG7, self.dg7.as_bytes()),
            (DgNumber::DG11, self.dg11.as_bytes()),
            (DgNumber::DG12, self.dg12.as_bytes()),
            (DgNumber::DG13, self.dg13.as_bytes()),
        ]
    }

    /// Encodes an application's data groups.
    ///
    /// # Errors
    /// [`Error::Decode`] only if the application's finger records are not right/left index
    /// (impossible for an [`Application`] that passed validation).
    pub fn from_application(app: &Application) -> Result<Self, Error> {
        let h = &app.holder;
        Ok(Self {
            com: EfCom::new(&DgNumber::EKTP),
            dg1: Dg1::new(Dg1::mrz_for(h)),
            dg2: Dg2::new(app.portrait.clone()),
            dg3: Dg3::new(app.right_index.clone(), app.left_index.clone())?,
            dg7: Dg7::new(app.signature.clone()),
            dg11: Dg11::new(PersonalDetails {
                name: h.name.clone(),
                nik: h.nik.clone(),
                date_of_birth: h.date_of_birth,
                place_of_birth: h.place_of_birth.clone(),
                street: h.address.street.clone(),
                kabupaten_kota: h.address.kabupaten_kota.clone(),
                provinsi: h.address.provinsi.clone(),
                profession: h.occupation.clone(),
            }),
            dg12: Dg12::new(DocumentDetails {
                issuing_authority: h.issuing_office.clone(),
                date_of_issue: h.date_of_issue,
            }),
            dg13: Dg13::new(IndonesianDetails {
                rt: h.address.rt,
                rw: h.address.rw,
                kelurahan_desa: h.address.kelurahan_desa.clone(),
                kecamatan: h.address.kecamatan.clone(),
                religion: h.religion,
                marital_status: h.marital_status,
                blood_type: h.blood_type,
                citizenship: h.citizenship,
                validity: h.validity,
            }),
        })
    }

    /// Every file with its encoded bytes, in EF.COM order (EF.COM first).
    pub fn files(&self) -> Vec<(LdsFile, &[u8])> {
        vec![
            (LdsFile::Com, self.com.as_bytes()),
            (LdsFile::Dg(DgNumber::DG1), self.dg1.as_bytes()),
            (LdsFile::Dg(DgNumber::DG2), self.dg2.as_bytes()),
            (LdsFile::Dg(DgNumber::DG3), self.dg3.as_bytes()),
            (LdsFile::Dg(DgNumber::DG7), self.dg7.as_bytes()),
            (LdsFile::Dg(DgNumber::DG11), self.dg11.as_bytes()),
            (LdsFile::Dg(DgNumber::DG12), self.dg12.as_bytes()),
            (LdsFile::Dg(DgNumber::DG13), self.dg13.as_bytes()),
        ]
    }

    /// Checks every file against its `max_size` in `profile`; returns the first file too large.
    pub fn oversized(&self, profile: &CardProfile) -> Option<LdsFile> {
        self.files().into_iter().find_map(|(f, b)| {
            let max = profile.file(f).map_or(0, |s| s.max_size);
            (b.len() > max).then_some(f)
        })
    }

    /// The holder record these data groups describe.
    ///
    /// # Errors
    /// As [`HolderRecord::from_data_groups`].
    pub fn holder_record(&self) -> Result<HolderRecord, Error> {
        HolderRecord::from_data_groups(&self.dg1, &self.dg11, &self.dg12, &self.dg13)
    }
}

impl HolderRecord {
    /// Rebuilds the holder record from a card's DG1, DG11, DG12 and DG13, checking that they
    /// agree: the MRZ date of birth, sex (against the NIK), nationality, expiry and name must
    /// match DG11/DG13.
    ///
    /// # Errors
    /// [`Error::Decode`] if DG1 is not an e-KTP MRZ (`ID`, `IDN`), [`Error::Mismatch`] naming
    /// the first field on which two files disagree, or
    /// [`Error::Nik`] if the NIK does not fit the date of birth and sex.
    pub fn from_data_groups(
        dg1: &Dg1,
        dg11: &Dg11,
        dg12: &Dg12,
        dg13: &Dg13,
    ) -> Result<Self, Error> {
        let mrz = dg1.mrz();
        let p = dg11.details();
        let d = dg12.details();
        let i = dg13.details();
        let f1 = LdsFile::Dg(DgNumber::DG1);
        let f11 = LdsFile::Dg(DgNumber::DG11);
        let f13 = LdsFile::Dg(DgNumber::DG13);
        let mismatch = |other, field| Error::Mismatch {
            file: f1,
            other,
            field,
        };
        if mrz.document_code != crate::dg1::DOCUMENT_CODE
            || mrz.issuing_state != crate::dg1::ISSUING_STATE
        {
            return Err(Error::Decode {
                file: f1,
                source: ektp_iso7816::DecodeError::new(
                    ektp_iso7816::DecodeErrorKind::Invalid(
                        "MRZ document code/issuing state (e-KTP: ID, IDN)",
                    ),
                    0,
                ),
            });
        }
        if mrz.date_of_birth.as_slice() != p.date_of_birth.to_yymmdd().as_bytes() {
            return Err(mismatch(f11, "date of birth"));
        }
        let sex = match mrz.sex {
            b'M' => Sex::Male,
            b'F' => Sex::Female,
            _ => return Err(mismatch(f11, "sex")),
        };
        p.nik.check_holder(p.date_of_birth, sex)?;
        if mrz.nationality.as_slice() != i.citizenship.nationality().as_str().as_bytes() {
            return Err(mismatch(f13, "nationality"));
        }
        let expiry_ok = match i.validity {
            Validity::Lifetime => mrz.date_of_expiry == *LIFETIME_EXPIRY,
            Validity::Until(v) => mrz.date_of_expiry.as_slice() == v.to_yymmdd().as_bytes(),
        };
        if !expiry_ok {
            return Err(mismatch(f13, "date of expiry"));
        }
        if mrz.name != crate::mrz::td1_name_field(&p.name) {
            return Err(mismatch(f11, "name"));
        }
        let doc = core::str::from_utf8(&mrz.document_number)
            .ok()
            .and_then(DocumentNumber::parse)
            .ok_or(Error::Mismatch {
                file: f1,
                other: f1,
                field: "document number (9 characters A-Z/0-9)",
            })?;
        Ok(Self {
            nik: p.nik.clone(),
            name: p.name.clone(),
            place_of_birth: p.place_of_birth.clone(),
            date_of_birth: p.date_of_birth,
            sex,
            blood_type: i.blood_type,
            address: Address {
                street: p.street.clone(),
                rt: i.rt,
                rw: i.rw,
                kelurahan_desa: i.kelurahan_desa.clone(),
                kecamatan: i.kecamatan.clone(),
                kabupaten_kota: p.kabupaten_kota.clone(),
                provinsi: p.provinsi.clone(),
            },
            religion: i.religion,
            marital_status: i.marital_status,
            occupation: p.profession.clone(),
            citizenship: i.citizenship,
            validity: i.validity,
            issuing_office: d.issuing_authority.clone(),
            date_of_issue: d.date_of_issue,
            document_number: doc,
        })
    }
}
