//! Extended Access Control on the host (BSI TR-03110-1 "EAC1 with PACE", ICAO 9303-11 §6.2,
//! §7): the typestates after PACE.
//!
//! ```text
//! SecureSession ──chip_authenticate(DG14)──▶ ChipAuthenticated
//!     ──terminal_authenticate(chain, key)──▶ TerminalAuthenticated ──read_dg3()──▶ DG3
//! ```
//!
//! * Chip Authentication agrees on new secure messaging keys with the static key of DG14's
//!   ChipAuthenticationPublicKeyInfo (covered by EF.SOD, so Passive Authentication vouches
//!   for it). Only the chip holding its private key can answer the next protected command:
//!   chip authenticity is bound to the channel, which Active Authentication (a signature
//!   beside the channel) does not give.
//! * Terminal Authentication proves to the chip that the terminal holds the key of an
//!   inspection-system certificate chaining to the chip's CVCA; the chip then opens the data
//!   groups the effective CHAT allows (DG3 fingerprints with read-DG3).
//!
//! DG3 is only readable from [`TerminalAuthenticated`]; the chip enforces the same.

use ektp_iso7816::CardTransport;
use ektp_lds::{Dg14, DgNumber, LdsFile};
use ektp_pki::cvc::{AccessRights, CvCertificate, CvSigner};
use ektp_sm::ca::{self, CaParams};
use ektp_sm::card_access::SecurityInfos;
use ektp_sm::ta::{self, TaCertificate, host::TerminalSigner};

use crate::contents::{CardFiles, ReadRequest};
use crate::read::Channel;
use crate::session::{Card, SecureSession};
use crate::{CheckKind, CheckResult, Error, Message, Stats, VerifyPolicy, VerifyReport};
use ektp_sm::Can;

/// The Chip Authentication protocol and key DG14 announces.
///
/// # Errors
/// [`Error::Sm`] with [`ektp_sm::Error::CaKey`] if DG14 has no matching
/// ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo.
pub fn chip_authentication_key(dg14: &Dg14) -> Result<(CaParams, Vec<u8>, Option<u32>), Error> {
    let infos = SecurityInfos::from_der(dg14.content())?;
    let (info, key) = infos.chip_authentication().ok_or(ektp_sm::Error::CaKey(
        "DG14 has no ChipAuthenticationInfo with its public key",
    ))?;
    Ok((
        CaParams {
            domain: key.domain,
            cipher: info.cipher,
        },
        key.public_key.as_bytes().to_vec(),
        info.key_id,
    ))
}

impl<T: CardTransport> SecureSession<'_, T> {
    /// Chip Authentication in place: restarts secure messaging with keys agreed with the
    /// DG14 key and checks the chip answers under them. Returns Comp(PK_PCD).
    pub(crate) fn chip_authenticate_in_place(&mut self, dg14: &Dg14) -> Result<Vec<u8>, Error> {
        let (params, key, key_id) = chip_authentication_key(dg14)?;
        let (state, cmd) = ca::host::Start::new(params, &key, key_id)?.start();
        let r = self.send(&cmd)?;
        let (state, cmd) = state.on_response(&r)?;
        let r = self.send(&cmd)?;
        let done = state.on_response(&r)?;
        let comp = done.compressed_ephemeral();
        self.replace_sm(done.sm);
        // The first answer under the new keys is the proof: only the chip that holds the
        // private key of DG14's public key can MAC it.
        self.reselect_application()?;
        Ok(comp)
    }

    /// Chip Authentication with the key DG14 announces (read DG14 and check it with Passive
    /// Authentication first).
    ///
    /// # Errors
    /// [`Error::Sm`] if DG14 has no Chip Authentication key, the chip refuses, or it cannot
    /// answer under the new keys (not the chip whose key is in DG14); transport failures.
    pub fn chip_authenticate(mut self, dg14: &Dg14) -> Result<ChipAuthenticated<Self>, Error> {
        let comp_pk_pcd = self.chip_authenticate_in_place(dg14)?;
        Ok(ChipAuthenticated {
            session: self,
            comp_pk_pcd,
        })
    }
}

/// A session after Chip Authentication: the chip proved it holds DG14's key.
#[derive(Debug)]
pub struct ChipAuthenticated<S> {
    session: S,
    comp_pk_pcd: Vec<u8>,
}

/// A session after Terminal Authentication: the chip grants the terminal's rights.
#[derive(Debug)]
pub struct TerminalAuthenticated<S> {
    session: S,
}

struct Signer<'a>(&'a dyn CvSigner);

impl TerminalSigner for Signer<'_> {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, ektp_sm::Error> {
        self.0
            .sign(message)
            .map(|s| s.as_bytes().to_vec())
            .map_err(|e| ektp_sm::Error::TaSigner(e.to_string()))
    }
}

fn ta_certificate(cert: &CvCertificate) -> Result<TaCertificate, Error> {
    let bytes = cert.to_bytes();
    let t = ektp_iso7816::tlv::parse_one(&bytes)?;
    Ok(TaCertificate {
        car: cert.car().as_bytes().to_vec(),
        content: t.value.to_vec(),
    })
}

impl<'c, T: CardTransport> ChipAuthenticated<SecureSession<'c, T>> {
    /// Reads one file (not DG3: that needs [`Self::terminal_authenticate`]).
    ///
    /// # Errors
    /// As [`SecureSession::read`].
    pub fn read(&mut self, file: LdsFile) -> Result<Vec<u8>, Error> {
        self.session.read(file)
    }

    /// Terminal Authentication with `chain` (CVCA link certificates if the chip needs them,
    /// the DV certificate, the terminal certificate) and the terminal's key `signer`.
    ///
    /// # Errors
    /// [`Error::Sm`] with [`ektp_sm::Error::TaCertificateRejected`] if the chip refuses a
    /// certificate (not issued under its CVCA, expired by its date, wrong issuer),
    /// [`ektp_sm::Error::TaAuthenticationFailed`] if the signature does not verify;
    /// transport failures.
    pub fn terminal_authenticate(
        mut self,
        chain: &[CvCertificate],
        signer: &dyn CvSigner,
    ) -> Result<TerminalAuthenticated<SecureSession<'c, T>>, Error> {
        let terminal = chain.last().ok_or(Error::WrongState(
            "Terminal Authentication needs a certificate chain ending with the terminal's",
        ))?;
        let certs = chain
            .iter()
            .map(ta_certificate)
            .collect::<Result<Vec<_>, _>>()?;
        let id_picc = self.session.id_picc().to_vec();
        let (mut step, mut cmd) = ta::host::Start::new(
            certs,
            terminal.chr().as_bytes(),
            &id_picc,
            &self.comp_pk_pcd,
        )?
        .start();
        loop {
            let r = self.session.send(&cmd)?;
            match step {
                ta::host::Step::Certificates(s) => (step, cmd) = s.on_response(&r)?,
                ta::host::Step::SetAt(s) => {
                    let (s, cmd) = s.on_response(&r)?;
                    let r = self.session.send(&cmd)?;
                    let (s, cmd) = s.on_response(&r, &Signer(signer))?;
                    let r = self.session.send(&cmd)?;
                    s.on_response(&r)?;
                    return Ok(TerminalAuthenticated {
                        session: self.session,
                    });
                }
            }
        }
    }

    /// What crossed the wire so far.
    pub fn stats(&self) -> Stats {
        self.session.stats()
    }
}

impl<T: CardTransport> TerminalAuthenticated<SecureSession<'_, T>> {
    /// Reads one file, DG3 included when the terminal's rights allow it.
    ///
    /// # Errors
    /// As [`SecureSession::read`] (`6982` for DG3 without the read-DG3 right).
    pub fn read(&mut self, file: LdsFile) -> Result<Vec<u8>, Error> {
        self.session.read(file)
    }

    /// Reads DG3 (fingerprints), raw bytes as read: hash these against EF.SOD.
    ///
    /// # Errors
    /// As [`Self::read`].
    pub fn read_dg3(&mut self) -> Result<Vec<u8>, Error> {
        self.session.read(LdsFile::Dg(DgNumber::DG3))
    }

    /// What crossed the wire so far.
    pub fn stats(&self) -> Stats {
        self.session.stats()
    }
}

/// The verify report's Chip Authentication check: `None` when DG14 announces no Chip
/// Authentication (cards with Active Authentication only). The session continues under the
/// new keys.
///
/// The outer `Result` is for a card that left the reader (not a verdict on the card).
pub(crate) fn chip_authentication_check<T: CardTransport>(
    session: &mut SecureSession<'_, T>,
    files: &CardFiles,
) -> Result<Option<crate::reason::Verdict>, Error> {
    let Some(dg14) = files
        .dg(DgNumber::DG14)
        .and_then(|raw| Dg14::decode(raw).ok())
    else {
        return Ok(None);
    };
    if chip_authentication_key(&dg14).is_err() {
        return Ok(None);
    }
    Ok(Some(match session.chip_authenticate_in_place(&dg14) {
        Ok(_) => Ok(Message::new("check-ca-ok")),
        Err(e) if e.is_card_removed() => return Err(e),
        Err(e) => Err(Message::new("check-ca-failed").arg("detail", e)),
    }))
}

/// A terminal (inspection system): its certificate chain and its private key.
#[derive(Clone, Copy)]
pub struct Terminal<'a> {
    /// CVCA link certificates the chip may need, the DV certificate, then the terminal's own
    /// (IS) certificate, last.
    pub chain: &'a [CvCertificate],
    /// The key of the terminal's certificate (a key file, or a token through the seam).
    pub signer: &'a dyn CvSigner,
}

impl core::fmt::Debug for Terminal<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Terminal")
            .field("certificate", &self.reference())
            .finish_non_exhaustive()
    }
}

impl Terminal<'_> {
    /// The terminal certificate's holder reference (`IDAGENCY1IS00001`), empty without one.
    pub fn reference(&self) -> String {
        self.chain
            .last()
            .map(|c| String::from_utf8_lossy(c.chr().as_bytes()).into_owned())
            .unwrap_or_default()
    }

    /// The rights the chain grants at most: the intersection of every certificate's CHAT
    /// (the chip also intersects them with its CVCA's).
    pub fn rights(&self) -> AccessRights {
        self.chain
            .iter()
            .fold(AccessRights::from_bits(u64::MAX), |r, c| {
                r.intersection(c.body().chat.rights())
            })
    }
}

/// Where a terminal session stopped: the stage's message id, and the error.
type Stopped = (&'static str, Error);

impl<T: CardTransport> Card<T> {
    /// A second session for the terminal: PACE, every file PACE opens, Chip Authentication,
    /// Terminal Authentication, then DG3 when EF.SOD signs one (inserted into the files).
    fn terminal_session(
        &mut self,
        can: &Can,
        terminal: &Terminal<'_>,
    ) -> Result<(CardFiles, bool), Stopped> {
        let mut session = self.pace(can).map_err(|e| ("ta-stage-pace", e))?;
        let mut files = session
            .read_files(ReadRequest::ALL)
            .map_err(|e| ("ta-stage-read", e))?;
        let dg14 = files
            .dg(DgNumber::DG14)
            .ok_or(Error::WrongState("the card has no DG14"))
            .and_then(|raw| Dg14::decode(raw).map_err(Error::from))
            .map_err(|e| ("ta-stage-ca", e))?;
        let has_dg3 = files
            .get(LdsFile::Sod)
            .is_some_and(|sod| crate::verify::signed_groups(sod).contains(&DgNumber::DG3));
        let ca = session
            .chip_authenticate(&dg14)
            .map_err(|e| ("ta-stage-ca", e))?;
        let mut ta = ca
            .terminal_authenticate(terminal.chain, terminal.signer)
            .map_err(|e| ("ta-stage-refused", e))?;
        if has_dg3 {
            let dg3 = ta.read_dg3().map_err(|e| ("ta-stage-dg3", e))?;
            files.insert(LdsFile::Dg(DgNumber::DG3), dg3);
        }
        Ok((files, has_dg3))
    }

    /// [`Card::verify`], then, in a second PACE session, Chip Authentication and Terminal
    /// Authentication with `terminal` and DG3: Passive Authentication is made again over
    /// every data group, DG3 included (its hash must match EF.SOD, which must be the one the
    /// first session verified), and a `terminal_authentication` check says what the chip
    /// accepted. Returns the report and the files read in the terminal session (with DG3
    /// when the chip opened it), `None` when the verification stopped before it.
    ///
    /// # Errors
    /// As [`Card::verify`]: only when the card leaves the reader.
    pub fn verify_with_terminal(
        &mut self,
        can: &Can,
        policy: &VerifyPolicy<'_>,
        terminal: &Terminal<'_>,
    ) -> Result<(VerifyReport, Option<CardFiles>), Error> {
        let mut report = self.verify(can, policy)?;
        let pace_passed = report.check(CheckKind::Pace).is_some_and(|c| c.passed);
        let Some(first_sod) = report.sod_sha256.clone().filter(|_| pace_passed) else {
            insert_after_ca(
                &mut report,
                CheckResult::new(
                    CheckKind::TerminalAuthentication,
                    false,
                    true,
                    Message::new("check-ta-not-attempted"),
                ),
            );
            return Ok((report.finish(), None));
        };
        let (files, has_dg3) = match self.terminal_session(can, terminal) {
            Ok(done) => done,
            Err((_, e)) if e.is_card_removed() => return Err(e),
            Err((stage, e)) => {
                let reason = Message::new("check-ta-failed")
                    .arg("terminal", terminal.reference())
                    .msg("stage", Message::new(stage))
                    .arg("detail", e);
                insert_after_ca(&mut report, failed(reason));
                return Ok((report.finish(), None));
            }
        };
        let Some(sod) = files.get(LdsFile::Sod) else {
            insert_after_ca(&mut report, failed(Message::new("check-ta-sod-unread")));
            return Ok((report.finish(), None));
        };
        if crate::verify::sha256_hex(sod) != first_sod {
            insert_after_ca(&mut report, failed(Message::new("check-ta-sod-differs")));
            return Ok((report.finish(), None));
        }
        let pa =
            ektp_pki::passive_authentication(sod, &files.data_groups(), policy.trust, policy.at);
        let verdict =
            crate::verify::pa_result(&pa, &crate::verify::signed_groups(sod), self.profile());
        if let Some(check) = report
            .checks
            .iter_mut()
            .find(|c| c.check == CheckKind::PassiveAuthentication)
        {
            check.set(verdict);
        }
        report.passive_authentication = Some(pa);
        let dg3 = match files.dg(DgNumber::DG3) {
            Some(raw) if has_dg3 => Message::new("ta-dg3-opened").arg("bytes", raw.len()),
            _ => Message::new("ta-no-dg3"),
        };
        insert_after_ca(
            &mut report,
            CheckResult::new(
                CheckKind::TerminalAuthentication,
                true,
                false,
                Message::new("check-ta-ok")
                    .arg("terminal", terminal.reference())
                    .msg("dg3", dg3),
            ),
        );
        Ok((report.finish(), Some(files)))
    }
}

fn failed(reason: Message) -> CheckResult {
    CheckResult::new(CheckKind::TerminalAuthentication, false, false, reason)
}

/// Puts the terminal check after Chip Authentication (or Active Authentication), where
/// [`CheckKind::ALL`] orders it.
fn insert_after_ca(report: &mut VerifyReport, check: CheckResult) {
    let at = report
        .checks
        .iter()
        .rposition(|c| {
            matches!(
                c.check,
                CheckKind::ChipAuthentication
                    | CheckKind::ActiveAuthentication
                    | CheckKind::IssuingState
                    | CheckKind::PassiveAuthentication
            )
        })
        .map_or(report.checks.len(), |i| i.saturating_add(1));
    report.checks.insert(at, check);
}
