//! Verification at the pickup desk: Passive Authentication, Active Authentication, revocation
//! and the match with the application record, in one report.

use std::time::SystemTime;

use ektp_iso7816::CardTransport;
use ektp_lds::profile::{CardProfile, ReadAccess};
use ektp_lds::{Application, Dg1, Dg14, Dg15, DgNumber, LdsImage, Lifecycle};
pub use ektp_pki::Status;
use ektp_pki::{EfSod, PaReport, TrustStore, passive_authentication};
use ektp_sm::Can;
use ektp_sm::card_access::{SecurityInfo, SecurityInfos};

use crate::Error;
use crate::contents::{CardFiles, ReadRequest};
pub use crate::reason::REASON_IDS;
use crate::reason::{Verdict, dg_label, english};
pub use crate::revocation::RevocationList;
use crate::revocation::{check_not_revoked, not_checked};
use crate::session::{Card, SecureSession};
pub use ektp_i18n::Message;

/// SHA-256 as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One check of a verification. Its stable name ([`CheckKind::as_str`]) is the JSON `check`
/// field and the word in every report line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// The chip is ISSUED (locked): a card still PERSONALIZING can be rewritten by anyone
    /// holding the batch key, a BLANK one was never personalized.
    Lifecycle,
    /// PACE with the CAN succeeded.
    Pace,
    /// Every file could be read.
    ReadData,
    /// Signatures chain to a trusted root and no data was altered.
    PassiveAuthentication,
    /// DG1's issuing state is the one the card profile pins (`IDN`), and the document signer
    /// and its root are of that state (ICAO 9303-11 §5.1, BSI TR-03135).
    IssuingState,
    /// The chip proved it holds the private key of DG15 (not a clone).
    ActiveAuthentication,
    /// The document number is not on the revocation list.
    NotRevoked,
    /// The chip data matches the expected application: NIK, name, date of birth, document
    /// number, and every data group the application determines, byte for byte.
    RecordMatch,
    /// The chip proved, with Chip Authentication, that it holds DG14's key (bound to the channel).
    ChipAuthentication,
    /// The chip accepted the terminal's certificate chain and key (Terminal Authentication)
    /// and opened DG3, whose hash matches EF.SOD (only with a terminal).
    TerminalAuthentication,
    /// A live fingerprint matched the chip's DG3 template of that finger (made by
    /// [`crate::fingerprint::check`], only with a terminal and a live capture).
    Fingerprint,
    /// A printing station's issuance journal records this card, with this EF.SOD, as issued
    /// (made by the caller that holds the journal, not by [`Card::verify`]).
    Journal,
}

impl CheckKind {
    /// Every check, in the order a verification makes them.
    pub const ALL: &'static [Self] = &[
        Self::Lifecycle,
        Self::Pace,
        Self::ReadData,
        Self::PassiveAuthentication,
        Self::IssuingState,
        Self::ActiveAuthentication,
        Self::ChipAuthentication,
        Self::TerminalAuthentication,
        Self::NotRevoked,
        Self::RecordMatch,
        Self::Fingerprint,
        Self::Journal,
    ];

    /// The stable snake_case name (`pace`, `read_data`, `passive_authentication`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lifecycle => "lifecycle",
            Self::Pace => "pace",
            Self::ReadData => "read_data",
            Self::PassiveAuthentication => "passive_authentication",
            Self::IssuingState => "issuing_state",
            Self::ActiveAuthentication => "active_authentication",
            Self::NotRevoked => "not_revoked",
            Self::RecordMatch => "record_match",
            Self::ChipAuthentication => "chip_authentication",
            Self::TerminalAuthentication => "terminal_authentication",
            Self::Fingerprint => "fingerprint",
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
    /// Whether it passed (false for a check that was not made).
    pub passed: bool,
    /// The check was not made (no revocation list was given): it shows as `SKIP`, has
    /// `passed: false`, and does not fail the report on its own.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub skipped: bool,
    /// Why it passed, failed or was not made, for a person, in English (made from
    /// [`CheckResult::message`]).
    pub reason: String,
    /// The reason without a language: a catalogue id (one of [`REASON_IDS`]) and its
    /// arguments, which `ektp_i18n::Catalog::render` puts into words.
    pub message: Message,
}

impl CheckResult {
    /// A check's outcome, its English `reason` made from `message`.
    pub fn new(check: CheckKind, passed: bool, skipped: bool, message: Message) -> Self {
        Self {
            check,
            passed,
            skipped,
            reason: english(&message),
            message,
        }
    }

    /// Replaces the outcome (a check made again).
    pub(crate) fn set(&mut self, verdict: Verdict) {
        let (passed, message) = match verdict {
            Ok(m) => (true, m),
            Err(m) => (false, m),
        };
        *self = Self::new(self.check, passed, self.skipped, message);
    }

    /// How it came out ([`Status::label`] is the word a report line starts with).
    pub const fn status(&self) -> Status {
        if self.skipped {
            Status::Skip
        } else {
            Status::from_passed(self.passed)
        }
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
    /// True only if every check passed or was not made (`SKIP`; see
    /// [`VerifyReport::not_checked`]).
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
    /// PACE failed because the chip refused the CAN ([`Error::WrongCan`]): nothing on the
    /// card was checked; the caller asks for the CAN again rather than giving a verdict.
    #[serde(skip)]
    pub wrong_can: bool,
}

impl VerifyReport {
    pub(crate) fn new() -> Self {
        Self {
            passed: false,
            checks: Vec::new(),
            passive_authentication: None,
            document_number: None,
            sod_sha256: None,
            wrong_can: false,
        }
    }

    pub(crate) fn push(&mut self, check: CheckKind, result: Verdict) {
        let (passed, message) = match result {
            Ok(m) => (true, m),
            Err(m) => (false, m),
        };
        self.checks
            .push(CheckResult::new(check, passed, false, message));
    }

    /// Records a check that could not be made, with why (`SKIP`).
    pub(crate) fn push_not_checked(&mut self, check: CheckKind, reason: Message) {
        self.checks
            .push(CheckResult::new(check, false, true, reason));
    }

    pub(crate) fn finish(mut self) -> Self {
        self.passed = !self.checks.is_empty() && self.checks.iter().all(|c| c.passed || c.skipped);
        self
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&CheckResult> {
        self.checks.iter().find(|c| !c.passed && !c.skipped)
    }

    /// The checks that were not made (`SKIP`), e.g. `not_revoked` without a revocation list.
    pub fn not_checked(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.skipped)
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
) -> Result<Verdict, Error> {
    Ok(match aa_inputs(files) {
        Ok((spki, hash)) => match session.internal_authenticate() {
            Err(e) if e.is_card_removed() => return Err(e),
            Err(e) => Err(Message::new("check-aa-command-failed").arg("detail", e)),
            Ok((challenge, signature)) => {
                ektp_sm::aa::verify_signature(&spki, hash, &challenge, &signature)
                    .map(|()| Message::new("check-aa-ok"))
                    .map_err(|_| Message::new("check-aa-bad-signature"))
            }
        },
        Err(reason) => Err(reason),
    })
}

/// `DGn is malformed: …`.
fn malformed(dg: DgNumber, e: impl core::fmt::Display) -> Message {
    Message::new("check-dg-malformed")
        .arg("dg", dg)
        .arg("detail", e)
}

/// DG15's public key and the hash DG14 names for Active Authentication.
fn aa_inputs(files: &CardFiles) -> Result<(Vec<u8>, ektp_sm::card_access::AaHash), Message> {
    let dg15 = files
        .dg(DgNumber::DG15)
        .ok_or_else(|| Message::new("check-aa-no-dg15"))?;
    let dg15 = Dg15::decode(dg15).map_err(|e| malformed(DgNumber::DG15, e))?;
    // A key ektp cannot use says nothing about whether the chip is genuine: say which key.
    if let Err(e) = ektp_sm::aa::public_point_from_spki(dg15.subject_public_key_info()) {
        return Err(match e {
            ektp_sm::Error::AaUnsupported(what) => Message::new("check-aa-unusable-key")
                .msg("curve", curve_name(dg15.subject_public_key_info()))
                .arg("detail", what),
            e => malformed(DgNumber::DG15, e),
        });
    }
    let dg14 = files
        .dg(DgNumber::DG14)
        .ok_or_else(|| Message::new("check-aa-no-dg14"))?;
    let dg14 = Dg14::decode(dg14).map_err(|e| malformed(DgNumber::DG14, e))?;
    let infos =
        SecurityInfos::from_der(dg14.content()).map_err(|e| malformed(DgNumber::DG14, e))?;
    let hash = infos
        .0
        .iter()
        .find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(aa) => Some(aa.hash()),
            _ => None,
        })
        .ok_or_else(|| Message::new("check-aa-no-info"))?
        .map_err(|e| Message::new("check-aa-bad-info").arg("detail", e))?;
    Ok((dg15.subject_public_key_info().to_vec(), hash))
}

/// The name of the curve a DG15 EC key names, for the message that ektp cannot use it.
fn curve_name(spki: &[u8]) -> Message {
    // The namedCurve OID follows id-ecPublicKey in the AlgorithmIdentifier; only named here.
    const CURVES: [(&[u8], &str); 6] = [
        (&[0x2B, 0x81, 0x04, 0x00, 0x22], "secp384r1"),
        (&[0x2B, 0x81, 0x04, 0x00, 0x23], "secp521r1"),
        (&[0x2B, 0x81, 0x04, 0x00, 0x0A], "secp256k1"),
        (
            &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07],
            "brainpoolP256r1",
        ),
        (
            &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B],
            "brainpoolP384r1",
        ),
        (
            &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D],
            "brainpoolP512r1",
        ),
    ];
    CURVES
        .iter()
        .find(|(oid, _)| spki.windows(oid.len()).any(|w| w == *oid))
        .map_or_else(
            || Message::new("curve-unknown"),
            |(_, name)| Message::new("curve-named").arg("name", name),
        )
}

/// The chip data against the expected application: the holder fields people compare, then
/// every data group the application determines, rebuilt and compared byte for byte (DG1, DG2,
/// DG7, DG11, DG12, DG13; DG3 only if it was read).
fn record_match(files: &CardFiles, expected: &Application) -> Verdict {
    let want = &expected.holder;
    let mut diffs = Vec::new();
    match files.holder_record() {
        Ok(holder) => {
            if holder.nik != want.nik {
                diffs.push(Message::new("record-field-nik"));
            }
            if holder.name != want.name {
                diffs.push(Message::new("record-field-name"));
            }
            if holder.date_of_birth != want.date_of_birth {
                diffs.push(Message::new("record-field-birth"));
            }
            if holder.document_number != want.document_number {
                diffs.push(Message::new("record-field-document"));
            }
        }
        Err(e) => diffs.push(Message::new("record-holder-unreadable").arg("detail", e)),
    }
    let image = LdsImage::from_application(expected)
        .map_err(|e| Message::new("check-record-bad-application").arg("detail", e))?;
    let determined = image.data_groups();
    let mut compared = Vec::new();
    for (dg, want) in determined {
        match files.dg(dg) {
            Some(read) => {
                compared.push(dg.to_string());
                if read != want {
                    diffs.push(Message::new("record-dg-differs").msg("dg", dg_label(dg)));
                }
            }
            // DG3 needs Terminal Authentication: not read is not a mismatch.
            None if dg == DgNumber::DG3 => {}
            None => diffs.push(Message::new("record-dg-not-read").msg("dg", dg_label(dg))),
        }
    }
    if diffs.is_empty() {
        Ok(Message::new("check-record-ok").arg("dgs", compared.join(", ")))
    } else {
        Err(Message::new("check-record-differs").list("diffs", diffs, "; "))
    }
}

/// The issuing state: DG1's must be the one the card profile pins, and the document signer
/// and the root it chains to must be of that state (ICAO 9303-11 §5.1 and BSI TR-03135:
/// a CSCA signs only its own state's documents). Any other trusted root (kept for foreign
/// documents) cannot vouch for an e-KTP.
fn issuing_state(files: &CardFiles, pa: &PaReport, profile: &CardProfile) -> Verdict {
    let dg1 = files
        .dg(DgNumber::DG1)
        .ok_or_else(|| Message::new("check-issuing-state-no-dg1"))?;
    let dg1 = Dg1::decode(dg1).map_err(|e| malformed(DgNumber::DG1, e))?;
    let state = String::from_utf8_lossy(&dg1.mrz().issuing_state).into_owned();
    let pinned = profile.issuing_state.as_str();
    let country = profile.issuing_country.as_str();
    let signer = pa.signer.as_ref().and_then(|s| s.country.as_deref());
    let root = pa.root_country.as_deref();
    let show = |c: Option<&str>| match c {
        Some(c) => Message::new("country").arg("code", c),
        None => Message::new("country-none"),
    };
    if state == pinned && signer == Some(country) && root == Some(country) {
        Ok(Message::new("check-issuing-state-ok")
            .arg("state", state)
            .arg("country", country))
    } else {
        Err(Message::new("check-issuing-state-wrong")
            .arg("pinned", pinned)
            .arg("country", country)
            .arg("state", state)
            .msg("signer", show(signer))
            .msg("root", show(root)))
    }
}

/// The data groups EF.SOD signs, if it parses (Passive Authentication reports it otherwise).
pub(crate) fn signed_groups(sod: &[u8]) -> Vec<DgNumber> {
    EfSod::from_bytes(sod)
        .map(|s| s.data_groups())
        .unwrap_or_default()
}

/// The Passive Authentication verdict: the report's first failure, or a data group the card
/// profile requires that EF.SOD does not sign; when it passes, which signed groups were not
/// read (and so not checked).
pub(crate) fn pa_result(pa: &PaReport, signed: &[DgNumber], profile: &CardProfile) -> Verdict {
    if let Some((name, f)) = pa.failures().next() {
        return Err(crate::reason::pa_failure(name, f));
    }
    if !pa.passed() {
        return Err(Message::new("check-pa-failed"));
    }
    let unsigned: Vec<Message> = profile
        .required_data_groups()
        .into_iter()
        .filter(|dg| !signed.contains(dg))
        .map(dg_label)
        .collect();
    if !unsigned.is_empty() {
        return Err(Message::new("check-pa-unsigned").list("dgs", unsigned, ", "));
    }
    let not_read: Vec<Message> = pa
        .not_read
        .iter()
        .map(|dg| {
            let id = match profile.dg(*dg).map(|f| f.read) {
                Some(ReadAccess::TerminalAuth) => "pa-not-read-terminal",
                _ => "pa-not-read-pace",
            };
            Message::new(id).arg("dg", dg)
        })
        .collect();
    if not_read.is_empty() {
        Ok(Message::new("check-pa-ok"))
    } else {
        Ok(Message::new("check-pa-ok-not-read").list("not_read", not_read, "; "))
    }
}

/// Verifies an open secure session: reads what it needs, then checks.
///
/// The lifecycle is not checked here: the chip tells it only to a plain GET DATA before PACE.
/// [`Card::verify`] asks it first; a caller with an open session must check
/// [`Card::lifecycle`] itself.
///
/// # Errors
/// Only when the card leaves the reader; a bad card gives a failing report, not an error.
pub fn verify_session<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    policy: &VerifyPolicy<'_>,
) -> Result<VerifyReport, Error> {
    read_and_verify(session, policy, VerifyReport::new())
}

fn read_and_verify<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    policy: &VerifyPolicy<'_>,
    mut report: VerifyReport,
) -> Result<VerifyReport, Error> {
    report.push(CheckKind::Pace, Ok(Message::new("check-pace-ok")));
    let files = match session.read_files(ReadRequest::ALL) {
        Ok(f) => {
            report.push(CheckKind::ReadData, Ok(Message::new("check-read-ok")));
            f
        }
        // Pulled after PACE: the report (lifecycle and pace passed) still says what happened.
        Err(e) if e.is_card_removed() => {
            report.push(
                CheckKind::ReadData,
                Err(Message::new("check-read-card-removed")),
            );
            return Ok(report.finish());
        }
        Err(e) => {
            report.push(
                CheckKind::ReadData,
                Err(Message::new("check-read-failed").arg("detail", e)),
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
    let profile = session.profile().clone();
    let (pa, signed) = match files.get(ektp_lds::LdsFile::Sod) {
        Some(sod) => {
            report.sod_sha256 = Some(sha256_hex(sod));
            (
                passive_authentication(sod, &files.data_groups(), policy.trust, policy.at),
                signed_groups(sod),
            )
        }
        None => {
            report.push(
                CheckKind::PassiveAuthentication,
                Err(Message::new("check-pa-no-sod")),
            );
            return Ok(report.finish());
        }
    };
    report.push(
        CheckKind::PassiveAuthentication,
        pa_result(&pa, &signed, &profile),
    );
    report.push(CheckKind::IssuingState, issuing_state(files, &pa, &profile));
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
        .ok_or_else(|| Message::new("check-not-revoked-no-dg1"))
        .and_then(|raw| Dg1::decode(raw).map_err(|e| malformed(DgNumber::DG1, e)))
        .map(|dg1| {
            String::from_utf8_lossy(&dg1.mrz().document_number)
                .trim_end_matches('<')
                .to_owned()
        });
    match doc {
        Ok(doc) => {
            match check_not_revoked(policy.revoked, &doc) {
                Some(r) => report.push(CheckKind::NotRevoked, r),
                None => report.push_not_checked(CheckKind::NotRevoked, not_checked()),
            }
            report.document_number = Some(doc);
        }
        Err(e) if policy.revoked.is_given() => report.push(CheckKind::NotRevoked, Err(e)),
        Err(_) => report.push_not_checked(CheckKind::NotRevoked, not_checked()),
    }

    if let Some(expected) = policy.expected {
        report.push(CheckKind::RecordMatch, record_match(files, expected));
    }
    Ok(report.finish())
}

impl<T: CardTransport> Card<T> {
    /// The pickup desk's check: PACE with `can`, read, then every check. Never fails for a
    /// forged or wrong card — the report says why — only for a card that left the reader
    /// before PACE or during Active Authentication; a card removed while its data is read
    /// after PACE is a failed `read_data` check ("card removed …").
    ///
    /// # Errors
    /// [`Error::Iso`] when the card is removed or the reader fails before PACE can run.
    pub fn verify(&mut self, can: &Can, policy: &VerifyPolicy<'_>) -> Result<VerifyReport, Error> {
        let mut report = VerifyReport::new();
        match self.lifecycle() {
            Ok(Lifecycle::Issued) => report.push(
                CheckKind::Lifecycle,
                Ok(Message::new("check-lifecycle-issued")),
            ),
            Ok(Lifecycle::Personalizing) => report.push(
                CheckKind::Lifecycle,
                Err(Message::new("check-lifecycle-personalizing")),
            ),
            Ok(Lifecycle::Blank) => {
                report.push(
                    CheckKind::Lifecycle,
                    Err(Message::new("check-lifecycle-blank")),
                );
                return Ok(report.finish());
            }
            Err(e) if e.is_card_removed() => return Err(e),
            Err(e) => report.push(
                CheckKind::Lifecycle,
                Err(Message::new("check-lifecycle-unknown").arg("detail", e)),
            ),
        }
        match self.pace(can) {
            Ok(mut session) => read_and_verify(&mut session, policy, report),
            Err(e) if e.is_card_removed() => Err(e),
            Err(e) => {
                report.wrong_can = matches!(e, Error::WrongCan);
                let id = if report.wrong_can {
                    "check-pace-wrong-can"
                } else {
                    "check-pace-failed"
                };
                report.push(CheckKind::Pace, Err(Message::new(id).arg("detail", e)));
                Ok(report.finish())
            }
        }
    }
}
