//! Personalization at the printing station (docs/personalization.md).
//!
//! Write everything, read it all back through PACE exactly as a pickup desk would, run the
//! full verification, compare every file with what was written — and only then lock. Running
//! it again on a card that was pulled half-way completes it; on a locked card it only verifies.

use std::time::SystemTime;

use ektp_iso7816::CardTransport;
use ektp_lds::{Application, Dg14, Dg15, DgNumber, LdsFile, LdsImage};
use ektp_pki::{Signer, SodOptions, TrustStore, sign_ef_sod};
use ektp_sm::PaceParams;
use ektp_sm::card_access::{
    AaHash, ActiveAuthenticationInfo, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo,
    PaceInfo, SecurityInfo, SecurityInfos, TerminalAuthenticationInfo,
};

use crate::Error;
use crate::contents::ReadRequest;
use crate::session::{Card, Lifecycle};
use crate::trace::Stats;
use crate::verify::{CheckKind, RevocationList, VerifyPolicy, VerifyReport, verify_files};

/// A batch master key as personalization uses it: anything that implements
/// [`ektp_sm::perso::MasterKeySource`] with a `std::error::Error` (the key in memory, or a key
/// that never leaves a PKCS#11 token). Object-safe, so [`Station`] can hold either.
pub trait PersoKeySource {
    /// The keys of the chip with `serial`.
    ///
    /// # Errors
    /// [`Error::MasterKey`] with the key holder's own error.
    fn perso_keys(
        &self,
        serial: &[u8; ektp_sm::perso::SERIAL_LEN],
    ) -> Result<ektp_sm::perso::PersoKeys, Error>;
}

impl<T> PersoKeySource for T
where
    T: ektp_sm::perso::MasterKeySource + ?Sized,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    fn perso_keys(
        &self,
        serial: &[u8; ektp_sm::perso::SERIAL_LEN],
    ) -> Result<ektp_sm::perso::PersoKeys, Error> {
        self.diversify(serial)
            .map_err(|e| Error::MasterKey(Box::new(e)))
    }
}

/// What a printing station holds.
#[derive(Clone, Copy)]
pub struct Station<'a> {
    /// The document signer (key and certificate).
    pub signer: &'a dyn Signer,
    /// The batch personalization master key (AES-256): in memory
    /// ([`ektp_sm::perso::MasterKey`]) or in a PKCS#11 token, diversifying inside it.
    pub master_key: &'a dyn PersoKeySource,
    /// The department roots, to verify the read-back as a pickup desk would.
    pub trust: &'a TrustStore,
    /// The CVCA certificate (self-signed) the chip trusts for Terminal Authentication. `None`
    /// writes no trust point: no terminal can then ever read DG3.
    pub cvca: Option<&'a ektp_pki::cvc::CvCertificate>,
}

impl core::fmt::Debug for Station<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Station(<keys redacted>)")
    }
}

/// A step of personalization, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Opening the personalization session.
    Authenticating,
    /// The chip generates (or returns) its Active Authentication and Chip Authentication
    /// keys.
    ChipKey,
    /// Writing the CVCA trust point for Terminal Authentication.
    TrustPoint,
    /// Signing EF.SOD with the document signer.
    Signing,
    /// Writing one file.
    Writing(LdsFile),
    /// Storing the CAN.
    SettingCan,
    /// Reading back through PACE and verifying.
    Verifying,
    /// Locking the card.
    Locking,
}

/// What personalization did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Personalized {
    /// The chip serial, hex (absent when the card was already issued: it no longer tells).
    pub chip_serial: Option<String>,
    /// The document number written.
    pub document_number: String,
    /// SHA-256 of EF.SOD as read back, hex.
    pub sod_sha256: String,
    /// The lifecycle state the card was found in.
    pub found: Lifecycle,
    /// True if the card was already locked and only verified.
    pub already_issued: bool,
    /// The read-back verification.
    pub report: VerifyReport,
    /// What crossed the wire.
    pub stats: Stats,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The files personalization writes, in order, with their content.
struct Files {
    list: Vec<(LdsFile, Vec<u8>)>,
}

impl Files {
    fn build(
        app: &Application,
        aa_spki: Vec<u8>,
        ca_public: &[u8],
        with_ta: bool,
        signer: &dyn Signer,
    ) -> Result<Self, Error> {
        let image = LdsImage::from_application(app)?;
        let pace = SecurityInfo::Pace(PaceInfo::from_params(PaceParams::EKTP_DEFAULT));
        let card_access = SecurityInfos(vec![pace.clone()]).to_der()?;
        // ICAO 9303-11 §6.1: an ECDSA Active Authentication chip names its hash in DG14;
        // §9.2.5-9.2.7: Chip Authentication with its public key, and Terminal Authentication
        // when the chip trusts a CVCA.
        let ca = ektp_sm::ca::CaParams::EKTP_DEFAULT;
        let public_key = ca
            .domain
            .decode_point(ca_public)
            .map_err(ektp_sm::Error::CaInvalidPoint)?;
        let mut infos = vec![
            pace,
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo::ecdsa(AaHash::Sha256)),
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                cipher: ca.cipher,
                version: 1,
                key_id: None,
            }),
            SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
                domain: ca.domain,
                public_key,
                key_id: None,
            }),
        ];
        if with_ta {
            infos.push(SecurityInfo::TerminalAuthentication(
                TerminalAuthenticationInfo { version: 1 },
            ));
        }
        let dg14 = Dg14::new(SecurityInfos(infos))?;
        let dg15 = Dg15::new(aa_spki)?;
        let mut dgs = image.data_groups().to_vec();
        dgs.extend([
            (DgNumber::DG14, dg14.as_bytes()),
            (DgNumber::DG15, dg15.as_bytes()),
        ]);
        let sod = sign_ef_sod(&dgs, signer, &SodOptions::new(SystemTime::now()))?;
        let mut list: Vec<(LdsFile, Vec<u8>)> = vec![
            (LdsFile::CardAccess, card_access),
            (LdsFile::Com, image.com.as_bytes().to_vec()),
        ];
        list.extend(
            dgs.iter()
                .map(|(dg, bytes)| (LdsFile::Dg(*dg), bytes.to_vec())),
        );
        list.push((LdsFile::Sod, sod));
        Ok(Self { list })
    }
}

impl<T: CardTransport> Card<T> {
    /// Personalizes this card with `app` (validated), or completes an interrupted run.
    ///
    /// On a BLANK or PERSONALIZING card: writes everything, reads it back through PACE, runs
    /// the full verification and compares every file with what was written; only if all of
    /// that passes is the card locked. On an ISSUED card: verifies it against `app`.
    ///
    /// # Errors
    /// [`Error::ReadBackFailed`] (card left unlocked), [`Error::IssuedCardInvalid`], key or
    /// state errors, and transport errors when the card is pulled — run again to resume.
    pub fn personalize(
        &mut self,
        app: &Application,
        station: &Station<'_>,
        progress: &mut dyn FnMut(Step),
    ) -> Result<Personalized, Error> {
        let can = &app.can;
        let document_number = app.holder.document_number.as_str().to_owned();
        let revoked = RevocationList::new();
        let found = self.lifecycle()?;
        if found == Lifecycle::Issued {
            progress(Step::Verifying);
            let policy = VerifyPolicy {
                trust: station.trust,
                revoked: &revoked,
                expected: Some(app),
                at: SystemTime::now(),
            };
            let report = self.verify(can, &policy)?;
            if !report.passed {
                return Err(Error::IssuedCardInvalid {
                    reason: first_reason(&report),
                });
            }
            return Ok(Personalized {
                chip_serial: None,
                document_number,
                sod_sha256: report.sod_sha256.clone().unwrap_or_default(),
                found,
                already_issued: true,
                report,
                stats: self.stats(),
            });
        }
        let serial = self.serial()?;

        progress(Step::Authenticating);
        let written = {
            let mut s = self.personalization(station.master_key)?;
            progress(Step::ChipKey);
            let spki = s.aa_public_key()?;
            let ca_public = s.ca_public_key()?;
            if let Some(cvca) = station.cvca {
                progress(Step::TrustPoint);
                s.put_trust_point(cvca)?;
            }
            progress(Step::Signing);
            let files = Files::build(
                app,
                spki,
                &ca_public,
                station.cvca.is_some(),
                station.signer,
            )?;
            for (file, content) in &files.list {
                progress(Step::Writing(*file));
                s.write_file(*file, content)?;
            }
            progress(Step::SettingCan);
            s.set_can(can)?;
            files
        };

        // Read back exactly as a pickup desk would: a fresh PACE session with the CAN.
        progress(Step::Verifying);
        self.reset()?;
        let report = {
            let policy = VerifyPolicy {
                trust: station.trust,
                revoked: &revoked,
                expected: Some(app),
                at: SystemTime::now(),
            };
            let mut session = self.pace(can)?;
            let read = session.read_files(ReadRequest::ALL)?;
            let mut report = VerifyReport::new();
            report.push(
                CheckKind::Pace,
                Ok(ektp_i18n::Message::new("check-pace-ok")),
            );
            // Every file PACE can read must be exactly what was written.
            let mut differing = Vec::new();
            for (file, content) in &written.list {
                if let Some(back) = read.get(*file)
                    && back != content.as_slice()
                {
                    differing.push(format!("{file:?}"));
                }
            }
            let read_result = if differing.is_empty() {
                Ok(ektp_i18n::Message::new("check-read-back-ok"))
            } else {
                Err(ektp_i18n::Message::new("check-read-back-differs")
                    .arg("files", differing.join(", ")))
            };
            report.push(CheckKind::ReadData, read_result);
            verify_files(&mut session, &read, &policy, report)?
        };
        if !report.passed {
            return Err(Error::ReadBackFailed {
                reason: first_reason(&report),
            });
        }

        progress(Step::Locking);
        self.reset()?;
        self.personalization(station.master_key)?.lock()?;
        Ok(Personalized {
            chip_serial: Some(hex(&serial)),
            document_number,
            sod_sha256: report.sod_sha256.clone().unwrap_or_default(),
            found,
            already_issued: false,
            report,
            stats: self.stats(),
        })
    }
}

fn first_reason(report: &VerifyReport) -> String {
    report.first_failure().map_or_else(
        || "verification did not pass".to_owned(),
        |c| format!("{:?}: {}", c.check, c.reason),
    )
}
