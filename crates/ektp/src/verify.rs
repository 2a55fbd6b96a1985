//! Verification at the pickup desk: Passive Authentication, Active Authentication, revocation
//! and the match with the application record, in one report.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::SystemTime;

use ektp_iso7816::CardTransport;
use ektp_lds::{Application, Dg1, Dg14, Dg15, DgNumber};
pub use ektp_pki::Status;
use ektp_pki::{PaReport, TrustStore, passive_authentication};
use ektp_sm::Can;
use ektp_sm::card_access::{SecurityInfo, SecurityInfos};

use crate::Error;
use crate::contents::{CardFiles, ReadRequest};
use crate::session::{Card, SecureSession};

/// SHA-256 as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Most document numbers a revocation list file may hold.
pub const MAX_REVOKED: usize = 1_000_000;

/// Document numbers the department has revoked (lost, stolen, replaced cards).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationList {
    numbers: BTreeSet<String>,
}

impl RevocationList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document number.
    pub fn revoke(&mut self, document_number: &str) {
        self.numbers.insert(document_number.trim().to_owned());
    }

    /// Whether `document_number` is revoked.
    pub fn is_revoked(&self, document_number: &str) -> bool {
        self.numbers.contains(document_number.trim())
    }

    /// Parses a list: one document number per line; blank lines and `#` comments ignored.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a line that is not a document number, or a list too long.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut list = Self::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            if line.len() > 9 || !line.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::Malformed {
                    what: "revocation list line is not a document number",
                });
            }
            if list.numbers.len() >= MAX_REVOKED {
                return Err(Error::Malformed {
                    what: "revocation list too long",
                });
            }
            list.revoke(line);
        }
        Ok(list)
    }

    /// Loads a list from a file.
    ///
    /// # Errors
    /// [`Error::Io`] or as [`RevocationList::parse`].
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            what: "revocation list",
            source: e,
        })?;
        Self::parse(&text)
    }
}

/// One check of a verification. Its stable name ([`CheckKind::as_str`]) is the JSON `check`
/// field and the word in every report line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// PACE with the CAN succeeded.
    Pace,
    /// Every file could be read.
    ReadData,
    /// Signatures chain to a trusted root and no data was altered.
    PassiveAuthentication,
    /// The chip proved it holds the private key of DG15 (not a clone).
    ActiveAuthentication,
    /// The document number is not on the revocation list.
    NotRevoked,
    /// The chip data matches the expected application (NIK, name, date of birth).
    RecordMatch,
    /// The chip proved, with Chip Authentication, that it holds DG14's key (bound to the channel).
    ChipAuthentication,
    /// A printing station's issuance journal records this card, with this EF.SOD, as issued
    /// (made by the caller that holds the journal, not by [`Card::verify`]).
    Journal,
}

impl CheckKind {
    /// Every check, in the order a verification makes them.
    pub const ALL: &'static [Self] = &[
        Self::Pace,
        Self::ReadData,
        Self::PassiveAuthentication,
        Self::ActiveAuthentication,
        Self::ChipAuthentication,
        Self::NotRevoked,
        Self::RecordMatch,
        Self::Journal,
    ];

    /// The stable snake_case name (`pace`, `read_data`, `passive_authentication`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pace => "pace",
            Self::ReadData => "read_data",
            Self::PassiveAuthentication => "passive_authentication",
            Self::ActiveAuthentication => "active_authentication",
            Self::NotRevoked => "not_revoked",
            Self::RecordMatch => "record_match",
            Self::ChipAuthentication => "chip_authentication",
            Self::Journal => "journal",
        }
    }
}

impl core::fmt::Display for CheckKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serializes as [`CheckKind::as_str`].
impl serde::Serialize for CheckKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckResult {
    /// Which check.
    pub check: CheckKind,
    /// Whether it passed.
    pub passed: bool,
    /// Why it passed or failed, for a person.
    pub reason: String,
}

impl CheckResult {
    /// How it came out ([`Status::label`] is the word a report line starts with).
    pub const fn status(&self) -> Status {
        Status::from_passed(self.passed)
    }
}

/// `PASS  check_name               reason`: one line of a report, as people read it.
impl core::fmt::Display for CheckResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{}  {:<24} {}",
            self.status().label(),
            self.check.as_str(),
            self.reason
        )
    }
}

/// Everything a pickup desk learns from a card: every check with its reason.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    /// True only if every check passed.
    pub passed: bool,
    /// The checks, in the order they ran.
    pub checks: Vec<CheckResult>,
    /// The Passive Authentication details, if it ran.
    pub passive_authentication: Option<PaReport>,
    /// The document number read from DG1, if it could be read.
    pub document_number: Option<String>,
    /// SHA-256 of EF.SOD exactly as read (lowercase hex), if it could be read: what a
    /// station's journal records for the card it issued.
    pub sod_sha256: Option<String>,
}

impl VerifyReport {
    pub(crate) fn new() -> Self {
        Self {
            passed: false,
            checks: Vec::new(),
            passive_authentication: None,
            document_number: None,
            sod_sha256: None,
        }
    }

    pub(crate) fn push(&mut self, check: CheckKind, result: Result<String, String>) {
        let (passed, reason) = match result {
            Ok(r) => (true, r),
            Err(r) => (false, r),
        };
        self.checks.push(CheckResult {
            check,
            passed,
            reason,
        });
    }

    pub(crate) fn finish(mut self) -> Self {
        self.passed = !self.checks.is_empty() && self.checks.iter().all(|c| c.passed);
        self
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&CheckResult> {
        self.checks.iter().find(|c| !c.passed)
    }

    /// The check of `kind`, if it ran.
    pub fn check(&self, kind: CheckKind) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.check == kind)
    }
}

/// What verification checks against.
#[derive(Debug, Clone, Copy)]
pub struct VerifyPolicy<'a> {
    /// Trusted department roots and their CRLs.
    pub trust: &'a TrustStore,
    /// Revoked document numbers.
    pub revoked: &'a RevocationList,
    /// The application the card should carry, if known.
    pub expected: Option<&'a Application>,
    /// The time to check validity at.
    pub at: SystemTime,
}

/// Runs Active Authentication: the chip signs a fresh random challenge with the private key
/// that belongs to DG15, using the hash DG14's ActiveAuthenticationInfo names.
///
/// The outer `Result` is for a card that left the reader (not a verdict on the card).
fn active_authentication<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    files: &CardFiles,
) -> Result<Result<String, String>, Error> {
    Ok(match aa_inputs(files) {
        Ok((spki, hash)) => match session.internal_authenticate() {
            Err(e) if e.is_card_removed() => return Err(e),
            Err(e) => Err(format!("INTERNAL AUTHENTICATE failed: {e}")),
            Ok((challenge, signature)) => {
                ektp_sm::aa::verify_signature(&spki, hash, &challenge, &signature)
                    .map(|()| "the chip signed a fresh challenge with the key in DG15".to_owned())
                    .map_err(|_| {
                        "the chip's signature does not verify with the DG15 key: not the chip the department signed for (clone?)"
                            .to_owned()
                    })
            }
        },
        Err(reason) => Err(reason),
    })
}

/// DG15's public key and the hash DG14 names for Active Authentication.
fn aa_inputs(files: &CardFiles) -> Result<(Vec<u8>, ektp_sm::card_access::AaHash), String> {
    let dg15 = files
        .dg(DgNumber::DG15)
        .ok_or("DG15 (Active Authentication public key) is missing")?;
    let dg15 = Dg15::decode(dg15).map_err(|e| format!("DG15 is malformed: {e}"))?;
    let dg14 = files
        .dg(DgNumber::DG14)
        .ok_or("DG14 (security infos) is missing")?;
    let dg14 = Dg14::decode(dg14).map_err(|e| format!("DG14 is malformed: {e}"))?;
    let infos =
        SecurityInfos::from_der(dg14.content()).map_err(|e| format!("DG14 is malformed: {e}"))?;
    let hash = infos
        .0
        .iter()
        .find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(aa) => Some(aa.hash()),
            _ => None,
        })
        .ok_or("DG14 has no ActiveAuthenticationInfo naming the ECDSA hash")?
        .map_err(|e| format!("DG14 ActiveAuthenticationInfo: {e}"))?;
    Ok((dg15.subject_public_key_info().to_vec(), hash))
}

fn record_match(files: &CardFiles, expected: &Application) -> Result<String, String> {
    let holder = files
        .holder_record()
        .map_err(|e| format!("holder record could not be rebuilt from the chip: {e}"))?;
    let want = &expected.holder;
    let mut diffs = Vec::new();
    if holder.nik != want.nik {
        diffs.push("NIK");
    }
    if holder.name != want.name {
        diffs.push("name");
    }
    if holder.date_of_birth != want.date_of_birth {
        diffs.push("date of birth");
    }
    if holder.document_number != want.document_number {
        diffs.push("document number");
    }
    if diffs.is_empty() {
        Ok("NIK, name, date of birth and document number match the application".to_owned())
    } else {
        Err(format!(
            "chip data differs from the application in: {}",
            diffs.join(", ")
        ))
    }
}

/// Verifies an open secure session: reads what it needs, then checks.
///
/// # Errors
/// Only when the card leaves the reader; a bad card gives a failing report, not an error.
pub fn verify_session<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    policy: &VerifyPolicy<'_>,
) -> Result<VerifyReport, Error> {
    let mut report = VerifyReport::new();
    report.push(
        CheckKind::Pace,
        Ok("secure channel established with the CAN".to_owned()),
    );
    let files = match session.read_files(ReadRequest::ALL) {
        Ok(f) => {
            report.push(
                CheckKind::ReadData,
                Ok("all files PACE opens were read".to_owned()),
            );
            f
        }
        Err(e) if e.is_card_removed() => return Err(e),
        Err(e) => {
            report.push(
                CheckKind::ReadData,
                Err(format!("reading the chip failed: {e}")),
            );
            return Ok(report.finish());
        }
    };
    verify_files(session, &files, policy, report)
}

pub(crate) fn verify_files<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    files: &CardFiles,
    policy: &VerifyPolicy<'_>,
    mut report: VerifyReport,
) -> Result<VerifyReport, Error> {
    let pa = match files.get(ektp_lds::LdsFile::Sod) {
        Some(sod) => {
            report.sod_sha256 = Some(sha256_hex(sod));
            passive_authentication(sod, &files.data_groups(), policy.trust, policy.at)
        }
        None => {
            report.push(
                CheckKind::PassiveAuthentication,
                Err("EF.SOD is missing".to_owned()),
            );
            return Ok(report.finish());
        }
    };
    let pa_result = if pa.passed() {
        Ok("EF.SOD signature chains to a trusted root, the signer is valid and not revoked, and every data group hash matches".to_owned())
    } else {
        Err(pa.failures().next().map_or_else(
            || "Passive Authentication failed".to_owned(),
            |(name, f)| format!("{name}: {f}"),
        ))
    };
    report.push(CheckKind::PassiveAuthentication, pa_result);
    report.passive_authentication = Some(pa);

    report.push(
        CheckKind::ActiveAuthentication,
        active_authentication(session, files)?,
    );
    if let Some(ca) = crate::eac::chip_authentication_check(session, files)? {
        report.push(CheckKind::ChipAuthentication, ca);
    }

    let doc = files
        .dg(DgNumber::DG1)
        .ok_or_else(|| "DG1 is missing".to_owned())
        .and_then(|raw| Dg1::decode(raw).map_err(|e| format!("DG1 is malformed: {e}")))
        .map(|dg1| {
            String::from_utf8_lossy(&dg1.mrz().document_number)
                .trim_end_matches('<')
                .to_owned()
        });
    match doc {
        Ok(doc) => {
            let r = if policy.revoked.is_revoked(&doc) {
                Err(format!("document number {doc} is on the revocation list"))
            } else {
                Ok(format!("document number {doc} is not revoked"))
            };
            report.push(CheckKind::NotRevoked, r);
            report.document_number = Some(doc);
        }
        Err(e) => report.push(CheckKind::NotRevoked, Err(e)),
    }

    if let Some(expected) = policy.expected {
        report.push(CheckKind::RecordMatch, record_match(files, expected));
    }
    Ok(report.finish())
}

impl<T: CardTransport> Card<T> {
    /// The pickup desk's check: PACE with `can`, read, then every check. Never fails for a
    /// forged or wrong card — the report says why — only for a card that left the reader.
    ///
    /// # Errors
    /// [`Error::Iso`] when the card is removed or the reader fails before PACE can run.
    pub fn verify(&mut self, can: &Can, policy: &VerifyPolicy<'_>) -> Result<VerifyReport, Error> {
        match self.pace(can) {
            Ok(mut session) => verify_session(&mut session, policy),
            Err(e) if e.is_card_removed() => Err(e),
            Err(e) => {
                let mut report = VerifyReport::new();
                report.push(CheckKind::Pace, Err(e.to_string()));
                Ok(report.finish())
            }
        }
    }
}
