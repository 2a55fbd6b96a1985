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
use ektp_pki::cvc::{CvCertificate, CvSigner};
use ektp_sm::ca::{self, CaParams};
use ektp_sm::card_access::SecurityInfos;
use ektp_sm::ta::{self, TaCertificate, host::TerminalSigner};

use crate::contents::CardFiles;
use crate::read::Channel;
use crate::session::SecureSession;
use crate::{Error, Stats};

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
) -> Result<Option<Result<String, String>>, Error> {
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
        Ok(_) => Ok(
            "the chip agreed on new session keys with the DG14 key and answered under them"
                .to_owned(),
        ),
        Err(e) if e.is_card_removed() => return Err(e),
        Err(e) => Err(format!(
            "Chip Authentication failed: {e} (not the chip the department signed for, clone or relay?)"
        )),
    }))
}
