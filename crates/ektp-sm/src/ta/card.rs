//! The chip side of Terminal Authentication (BSI TR-03110-1 §3.5), sans I/O: the mirror of
//! [`super::host`]. GET CHALLENGE is the chip's own (it keeps r_PICC and hands it to
//! [`AwaitExternalAuthenticate::on_external_authenticate`], which uses it once).
//!
//! ```text
//! Certificates::new(verifier, ID_PICC, Comp(PK_PCD))
//! Certificates::on_mse_set_dst(MSE:Set DST)          -> (Certificates, 9000)
//! Certificates::on_verify_certificate(PSO:VC)        -> (Certificates, 9000)   per certificate
//! Certificates::on_mse_set_at(MSE:Set AT)            -> (AwaitExternalAuthenticate, 9000)
//! AwaitExternalAuthenticate::on_external_authenticate(EA, r_PICC) -> (verifier, 9000)
//! ```
//!
//! Every refusal ends the run ([`Rejected`]); the chip starts again from Chip Authentication.

use ektp_iso7816::tlv::{self, Reader};
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};

use super::{CHALLENGE_LEN, MAX_REFERENCE_LEN, signed_data};
use crate::Error;
use crate::error::EacStep;
pub use crate::pace::card::{CardStep, Rejected};

/// The chip's certificate checks (BSI TR-03110-3 §2.5), done with the chip's trust points
/// and current date. Implemented over `ektp_pki::cvc::ChainValidator` by the virtual chip.
pub trait ChainVerifier {
    /// Verifies one certificate: `content` is `7F4E` body ‖ `5F37` signature, and its CAR
    /// must be `selected`, the reference MSE:Set DST selected.
    ///
    /// # Errors
    /// [`Error::TaCertificateRejected`] (or [`Error::Decode`] for malformed bytes).
    fn verify_certificate(&mut self, selected: &[u8], content: &[u8]) -> Result<(), Error>;

    /// The CHR of the terminal certificate, once the chain ended with one.
    fn terminal_chr(&self) -> Option<Vec<u8>>;

    /// Whether `signature` by the terminal's key verifies over `message`.
    fn verify_terminal_signature(&self, message: &[u8], signature: &[u8]) -> bool;
}

#[derive(Debug, Clone)]
struct Binding {
    id_picc: Vec<u8>,
    comp_pk_pcd: Vec<u8>,
}

fn unexpected(step: EacStep) -> Rejected {
    Error::EacUnexpectedCommand { step }.into()
}

fn ok() -> ResponseApdu {
    ResponseApdu::status(StatusWord::SUCCESS)
}

/// Receiving the chain.
#[derive(Debug)]
pub struct Certificates<V> {
    verifier: V,
    binding: Binding,
    selected: Option<Vec<u8>>,
}

impl<V: ChainVerifier> Certificates<V> {
    /// A run after Chip Authentication: `id_picc` is Comp of the chip's PACE ephemeral key,
    /// `comp_pk_pcd` Comp of the terminal's Chip Authentication key.
    pub fn new(verifier: V, id_picc: &[u8], comp_pk_pcd: &[u8]) -> Self {
        Self {
            verifier,
            binding: Binding {
                id_picc: id_picc.to_vec(),
                comp_pk_pcd: comp_pk_pcd.to_vec(),
            },
            selected: None,
        }
    }

    /// The verifier (its state after the certificates accepted so far).
    pub fn verifier(&self) -> &V {
        &self.verifier
    }

    /// MSE:Set DST `00 22 81 B6 {83 CAR}`.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`]; [`Error::Decode`] for malformed data.
    pub fn on_mse_set_dst(self, cmd: &CommandApdu) -> CardStep<Self> {
        const WHAT: &str = "MSE:Set DST data";
        if cmd.ins != Ins::ManageSecurityEnvironment || (cmd.p1, cmd.p2) != (0x81, 0xB6) {
            return Err(unexpected(EacStep::TaMseSetDst));
        }
        let t = tlv::parse_one(&cmd.data)
            .and_then(|t| t.expect_tag(0x83))
            .map_err(Error::decode(WHAT))?;
        if t.value.is_empty() || t.value.len() > MAX_REFERENCE_LEN {
            return Err(Error::MechanismMismatch.into());
        }
        let selected = Some(t.value.to_vec());
        Ok((Self { selected, ..self }, ok()))
    }

    /// PSO:Verify Certificate `00 2A 00 BE {7F4E, 5F37}` for the key MSE:Set DST selected.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`] without MSE:Set DST; the verifier's error.
    pub fn on_verify_certificate(mut self, cmd: &CommandApdu) -> CardStep<Self> {
        if cmd.ins != Ins::PerformSecurityOperation || (cmd.p1, cmd.p2) != (0x00, 0xBE) {
            return Err(unexpected(EacStep::TaVerifyCertificate));
        }
        let selected = self
            .selected
            .take()
            .ok_or_else(|| unexpected(EacStep::TaVerifyCertificate))?;
        self.verifier.verify_certificate(&selected, &cmd.data)?;
        Ok((self, ok()))
    }

    /// MSE:Set AT `00 22 81 A4 {83 CHR [, 91 Comp(PK_PCD)]}`: the CHR must be the terminal
    /// certificate just verified; Comp(PK_PCD), if sent, the Chip Authentication key.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`] (`6985`) before a terminal certificate;
    /// [`Error::MechanismMismatch`] (`6A88`) for another CHR or key; [`Error::Decode`].
    pub fn on_mse_set_at(self, cmd: &CommandApdu) -> CardStep<AwaitExternalAuthenticate<V>> {
        const WHAT: &str = "Terminal Authentication MSE:Set AT data";
        if cmd.ins != Ins::ManageSecurityEnvironment || (cmd.p1, cmd.p2) != (0x81, 0xA4) {
            return Err(unexpected(EacStep::TaMseSetAt));
        }
        let terminal = self
            .verifier
            .terminal_chr()
            .ok_or_else(|| unexpected(EacStep::TaMseSetAt))?;
        let mut r = Reader::new(&cmd.data);
        let chr = r.expect(0x83).map_err(Error::decode(WHAT))?;
        let comp = r.optional(0x91).map_err(Error::decode(WHAT))?;
        // 67: auxiliary data (TR-03110-3 §B.11.1), not used by EAC1 and ignored.
        let _aux = r.optional(0x67).map_err(Error::decode(WHAT))?;
        r.finish().map_err(Error::decode(WHAT))?;
        if chr.value != terminal.as_slice()
            || comp.is_some_and(|c| c.value != self.binding.comp_pk_pcd.as_slice())
        {
            return Err(Error::MechanismMismatch.into());
        }
        Ok((
            AwaitExternalAuthenticate {
                verifier: self.verifier,
                binding: self.binding,
            },
            ok(),
        ))
    }
}

/// Waiting for EXTERNAL AUTHENTICATE.
#[derive(Debug)]
pub struct AwaitExternalAuthenticate<V> {
    verifier: V,
    binding: Binding,
}

impl<V: ChainVerifier> AwaitExternalAuthenticate<V> {
    /// EXTERNAL AUTHENTICATE `00 82 00 00 {signature}` over ID_PICC ‖ r_PICC ‖ Comp(PK_PCD),
    /// with `r_picc` the chip's last challenge (taken, so it is used once). On success
    /// returns the verifier, whose terminal's effective rights the session now has.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`] (`6985`) without a challenge;
    /// [`Error::TaAuthenticationFailed`] (`6300`) if the signature does not verify.
    pub fn on_external_authenticate(
        self,
        cmd: &CommandApdu,
        r_picc: Option<[u8; CHALLENGE_LEN]>,
    ) -> CardStep<V> {
        if cmd.ins != Ins::ExternalAuthenticate || (cmd.p1, cmd.p2) != (0x00, 0x00) {
            return Err(unexpected(EacStep::TaExternalAuthenticate));
        }
        let r = r_picc.ok_or_else(|| unexpected(EacStep::TaExternalAuthenticate))?;
        let message = signed_data(&self.binding.id_picc, &r, &self.binding.comp_pk_pcd);
        if !self.verifier.verify_terminal_signature(&message, &cmd.data) {
            return Err(Error::TaAuthenticationFailed.into());
        }
        Ok((self.verifier, ok()))
    }
}
