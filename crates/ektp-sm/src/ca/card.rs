//! The chip side of Chip Authentication (ICAO 9303-11 §6.2), sans I/O: the mirror of
//! [`super::host`]. The chip unwraps the commands with its PACE session first.
//!
//! ```text
//! Idle::new(params, SK_PICC).on_mse_set_at(MSE)   -> (AwaitKeyAgreement, 9000)
//! AwaitKeyAgreement::on_command(GA 7C{80 PK_PCD})  -> (CaDone, 7C00)
//! ```
//!
//! The chip answers `7C 00` under the old keys, then replaces its session with
//! [`CaDone::sm`] (SSC = 0).

use core::fmt;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use zeroize::Zeroizing;

use super::{CaParams, TAG_EPHEMERAL_PUBLIC_KEY, ca_session_keys, compressed, parse_mse_set_at};
use crate::Error;
use crate::curve::{EcPoint, SCALAR_LEN};
use crate::error::{EacStep, PointError};
use crate::pace::card::CardStep;
use crate::pace::{encode_dynamic_auth_data, parse_dynamic_auth_data};
use crate::sm::CardSm;

/// The chip with its static Chip Authentication key, ready for MSE:Set AT.
pub struct Idle {
    params: CaParams,
    key_id: Option<u32>,
    private: Zeroizing<[u8; SCALAR_LEN]>,
    public: EcPoint,
}

impl Idle {
    /// A chip whose key `private` (on `params.domain`) is announced in DG14 with `key_id`.
    ///
    /// # Errors
    /// [`Error::CaKey`] if `private` is not a valid scalar.
    pub fn new(
        params: CaParams,
        key_id: Option<u32>,
        private: Zeroizing<[u8; SCALAR_LEN]>,
    ) -> Result<Self, Error> {
        let public = super::public_key(params.domain, &private)?;
        Ok(Self {
            params,
            key_id,
            private,
            public,
        })
    }

    /// Consumes MSE:Set AT `00 22 41 A4`. A key reference, if sent, must be this chip's.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`] (`6985`) for another command;
    /// [`Error::MechanismMismatch`] / unsupported OID (`6A88`); malformed data (`6A80`).
    pub fn on_mse_set_at(self, cmd: &CommandApdu) -> CardStep<AwaitKeyAgreement> {
        if cmd.ins != Ins::ManageSecurityEnvironment || cmd.p1 != 0x41 || cmd.p2 != 0xA4 {
            return Err(Error::EacUnexpectedCommand {
                step: EacStep::CaMseSetAt,
            }
            .into());
        }
        let mse = parse_mse_set_at(&cmd.data)?;
        if mse.cipher != self.params.cipher || mse.key_id.is_some_and(|k| Some(k) != self.key_id) {
            return Err(Error::MechanismMismatch.into());
        }
        Ok((
            AwaitKeyAgreement { inner: self },
            ResponseApdu::status(StatusWord::SUCCESS),
        ))
    }
}

/// Waiting for GENERAL AUTHENTICATE with the terminal's ephemeral public key.
pub struct AwaitKeyAgreement {
    inner: Idle,
}

impl AwaitKeyAgreement {
    /// Agrees on K with the terminal's ephemeral key, answers `7C 00`.
    ///
    /// # Errors
    /// [`Error::EacUnexpectedCommand`], [`Error::Decode`], [`Error::CaInvalidPoint`].
    pub fn on_command(self, cmd: &CommandApdu) -> CardStep<CaDone> {
        if cmd.ins != Ins::GeneralAuthenticate || cmd.p1 != 0 || cmd.p2 != 0 || cmd.cla & 0x10 != 0
        {
            return Err(Error::EacUnexpectedCommand {
                step: EacStep::CaKeyAgreement,
            }
            .into());
        }
        let inner = self.inner;
        let bytes = parse_dynamic_auth_data(&cmd.data, Some(TAG_EPHEMERAL_PUBLIC_KEY))?;
        let pk_pcd = inner
            .params
            .domain
            .decode_point(bytes)
            .map_err(Error::CaInvalidPoint)?;
        if pk_pcd == inner.public {
            return Err(Error::CaInvalidPoint(PointError::Reflected).into());
        }
        let shared = inner
            .params
            .domain
            .agree(&inner.private, &pk_pcd)
            .map_err(Error::CaInvalidPoint)?;
        let keys = ca_session_keys(&shared, inner.params.cipher);
        Ok((
            CaDone {
                sm: CardSm::new(keys),
                terminal_ephemeral: pk_pcd,
            },
            ResponseApdu::new(encode_dynamic_auth_data(None), StatusWord::SUCCESS),
        ))
    }
}

/// Chip Authentication done on the chip.
pub struct CaDone {
    /// The new secure messaging session, to use from the next command on.
    pub sm: CardSm,
    /// The terminal's ephemeral key PK_PCD, which Terminal Authentication binds.
    pub terminal_ephemeral: EcPoint,
}

impl CaDone {
    /// Comp(PK_PCD).
    pub fn compressed_ephemeral(&self) -> Vec<u8> {
        compressed(&self.terminal_ephemeral)
    }
}

macro_rules! redacted_debug {
    ($($t:ident),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!("ca::card::", stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(Idle, AwaitKeyAgreement, CaDone);
