//! Personalization commands (ektp's design, `docs/personalization.md`): the gate every one
//! of them passes, EXTERNAL AUTHENTICATE (the mutual authentication that opens the
//! personalization session), PUT DATA (the CAN), GENERATE ASYMMETRIC KEY PAIR (the Active
//! Authentication key), ACTIVATE FILE (lock), and GET DATA (serial and lifecycle).
//!
//! The file-writing personalization commands (UPDATE BINARY, CREATE FILE, DELETE FILE) live
//! with the file system in [`super::fs`].

use ektp_iso7816::{CommandApdu, StatusWord};
use ektp_lds::Lifecycle;
use ektp_sm::{Can, CardSm};
use p256::ecdsa::SigningKey;

use super::dispatch::{Answer, check_le_at_least, done, no_data, ok, p1p2};
use super::state::MAX_PERSO_FAILURES;
use super::{Auth, Chip, RetryCounter, Session};

/// DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480): SEQUENCE { SEQUENCE { id-ecPublicKey,
/// prime256v1 }, BIT STRING (65-byte uncompressed point) }.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
    0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

impl Chip {
    /// The gate of every personalization command: `6985` once issued, `6982` outside the
    /// personalization session.
    pub(super) fn perso_gate(&self, auth: Auth) -> Result<(), StatusWord> {
        if self.state.lifecycle == Lifecycle::Issued {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if auth != Auth::Perso {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        Ok(())
    }

    /// EXTERNAL AUTHENTICATE: the personalization mutual authentication.
    pub(super) fn external_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if self.state.lifecycle == Lifecycle::Issued || auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        p1p2(cmd, 0, 0)?;
        if self.state.perso_failures >= MAX_PERSO_FAILURES {
            return Err(StatusWord::AUTH_METHOD_BLOCKED);
        }
        if cmd.data.len() != ektp_sm::perso::AUTH_DATA_LEN {
            return Err(StatusWord::WRONG_LENGTH);
        }
        check_le_at_least(cmd, ektp_sm::perso::AUTH_DATA_LEN)?;
        let challenge = self
            .vol
            .challenge
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let keys =
            ektp_sm::perso::PersoKeys::from_bytes(&self.state.perso_k_enc, &self.state.perso_k_mac)
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        let k_ic = self
            .rng
            .array::<32>()
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        // Java Card `OwnerPIN`: the attempt is counted (on disk) before the keys are checked,
        // and refused unchecked (`6581`) if it cannot be.
        self.charge(RetryCounter::Perso)?;
        match ektp_sm::perso::card_respond(&keys, &challenge, &cmd.data, *k_ic) {
            Ok((response, session)) => {
                let sm = CardSm::from_keys(
                    session.enc().expose_bytes(),
                    session.mac().expose_bytes(),
                    [0; 16],
                )
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
                // The right key: clear the counter charged above (and leave BLANK) in one
                // commit. If that cannot be saved, no session; the counter stays charged.
                let mut next = self.state.clone();
                next.perso_failures = 0;
                if next.lifecycle == Lifecycle::Blank {
                    next.lifecycle = Lifecycle::Personalizing;
                }
                self.commit(next)?;
                self.vol.session = Some(Session {
                    kind: Auth::Perso,
                    sm,
                });
                ok(response)
            }
            Err(_) => {
                // Already counted before the check.
                let blocked = self.state.perso_failures >= MAX_PERSO_FAILURES;
                Err(if blocked {
                    StatusWord::AUTH_METHOD_BLOCKED
                } else {
                    StatusWord(0x6300)
                })
            }
        }
    }

    /// PUT DATA `DF03`: the CAN, six ASCII digits.
    pub(super) fn put_data(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        if (cmd.p1, cmd.p2) != (0xDF, 0x03) {
            return Err(StatusWord::REFERENCED_DATA_NOT_FOUND);
        }
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let text = std::str::from_utf8(&cmd.data).map_err(|_| StatusWord::WRONG_DATA)?;
        Can::new(text).map_err(|_| StatusWord::WRONG_DATA)?;
        let mut next = self.state.clone();
        next.can = Some(text.to_owned());
        self.commit(next)?;
        done()
    }

    /// GENERATE ASYMMETRIC KEY PAIR: P1 `80` generates the Active Authentication key (once),
    /// P1 `81` reads its public key; both answer the P-256 SubjectPublicKeyInfo.
    pub(super) fn generate_key_pair(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        if cmd.p2 != 0 || !matches!(cmd.p1, 0x80 | 0x81) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        no_data(cmd)?;
        check_le_at_least(cmd, P256_SPKI_PREFIX.len().saturating_add(65))?;
        if cmd.p1 == 0x81 {
            let key = self.aa_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
            return ok(spki(&key));
        }
        if self.state.aa_private_key.is_some() {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let key = self.new_signing_key()?;
        let mut next = self.state.clone();
        next.aa_private_key = Some(key.to_bytes().to_vec());
        self.commit(next)?;
        ok(spki(&key))
    }

    pub(super) fn new_signing_key(&mut self) -> Result<SigningKey, StatusWord> {
        for _ in 0..16 {
            let candidate = self
                .rng
                .array::<32>()
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
            if let Ok(k) = SigningKey::from_slice(candidate.as_slice()) {
                return Ok(k);
            }
        }
        Err(StatusWord::NO_PRECISE_DIAGNOSIS)
    }

    /// ACTIVATE FILE `00 44 00 00`: locks the card (→ ISSUED).
    pub(super) fn activate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        p1p2(cmd, 0, 0)?;
        no_data(cmd)?;
        let s = &self.state;
        let complete = s.can.is_some()
            && self.aa_key().is_some()
            && s.profile.files.iter().filter(|f| f.required).all(|f| {
                s.file(f.fid)
                    .is_some_and(|f| f.data.iter().any(|&b| b != 0))
            });
        if !complete {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let mut next = self.state.clone();
        next.lifecycle = Lifecycle::Issued;
        self.commit(next)?;
        done()
    }

    /// GET DATA `DF01` (serial, not once issued) and `DF02` (lifecycle byte).
    pub(super) fn get_data(&mut self, cmd: &CommandApdu) -> Answer {
        no_data(cmd)?;
        let data = match (cmd.p1, cmd.p2) {
            (0xDF, 0x01) => {
                if self.state.lifecycle == Lifecycle::Issued {
                    return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
                }
                self.state.serial.clone()
            }
            (0xDF, 0x02) => vec![self.state.lifecycle.to_byte()],
            _ => return Err(StatusWord::REFERENCED_DATA_NOT_FOUND),
        };
        check_le_at_least(cmd, data.len())?;
        ok(data)
    }
}

/// The SubjectPublicKeyInfo of an Active Authentication key.
fn spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_sec1_point(false);
    let mut out = P256_SPKI_PREFIX.to_vec();
    out.extend_from_slice(point.as_bytes());
    out
}
