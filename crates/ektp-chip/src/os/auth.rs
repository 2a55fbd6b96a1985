//! Authentication commands: GET CHALLENGE (shared by the personalization authentication and,
//! later, Terminal Authentication) and INTERNAL AUTHENTICATE, Active Authentication
//! (ICAO 9303-11 §6.1) with the chip's P-256 key.
//!
//! Chip Authentication and Terminal Authentication have their own room, [`super::eac`].

use ektp_iso7816::{CommandApdu, StatusWord};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

use super::dispatch::{Answer, check_le_at_least, le_is_wildcard, no_data, ok, p1p2};
use super::{Auth, Chip};

impl Chip {
    /// GET CHALLENGE `00 84 00 00 08`.
    pub(super) fn get_challenge(&mut self, cmd: &CommandApdu) -> Answer {
        p1p2(cmd, 0, 0)?;
        no_data(cmd)?;
        if !(cmd.le == Some(8) || le_is_wildcard(cmd)) {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let c = self
            .rng
            .array::<8>()
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        self.vol.challenge = Some(*c);
        ok(c.to_vec())
    }

    /// INTERNAL AUTHENTICATE: Active Authentication, ECDSA P-256 with SHA-256 over the
    /// 8-byte challenge, answered as plain `r ‖ s` (BSI TR-03111 §5.2.1).
    pub(super) fn internal_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::Pace {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        p1p2(cmd, 0, 0)?;
        if cmd.data.len() != 8 {
            return Err(StatusWord::WRONG_LENGTH);
        }
        check_le_at_least(cmd, 64)?;
        let key = self.aa_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
        let sig: Signature = key
            .try_sign(&cmd.data)
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        ok(sig.to_bytes().to_vec())
    }

    pub(super) fn aa_key(&self) -> Option<SigningKey> {
        self.state
            .aa_private_key
            .as_ref()
            .and_then(|k| SigningKey::from_slice(k).ok())
    }
}
