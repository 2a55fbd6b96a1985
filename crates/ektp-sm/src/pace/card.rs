//! The chip side of PACE (ICAO 9303-11 §4.4.1), sans I/O: the mirror of [`super::host`].
//!
//! ```text
//! Idle::new(password, params).on_mse_set_at(MSE)  -> (AwaitNonceRequest, 9000)
//! AwaitNonceRequest::on_command(GA 7C00)           -> (AwaitMapping, 7C{80 z})
//! AwaitMapping::on_command(GA 7C{81 PK})           -> (AwaitKeyAgreement, 7C{82 PK_map})
//! AwaitKeyAgreement::on_command(GA 7C{83 PK})      -> (AwaitToken, 7C{84 PK_eph})
//! AwaitToken::on_command(GA 7C{85 T_IFD})          -> (CardSm, 7C{86 T_IC})
//! ```
//!
//! Every step either advances or returns [`Rejected`]: the error and the plain response to
//! send. A rejected run is over; the chip starts again from [`Idle`].

use core::fmt;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use zeroize::Zeroizing;

use super::{
    PaceParams, SessionKeys, TAG_ENCRYPTED_NONCE, TAG_EPHEMERAL_CHIP, TAG_EPHEMERAL_TERMINAL,
    TAG_MAPPING_CHIP, TAG_MAPPING_TERMINAL, TAG_TOKEN_CHIP, TAG_TOKEN_TERMINAL,
    authentication_token, derive_k_pi, encode_dynamic_auth_data, encrypt_nonce, generic_mapping,
    parse_dynamic_auth_data, parse_mse_set_at, session_keys, verify_token,
};
use crate::Error;
use crate::curve::{EcPoint, SCALAR_LEN};
use crate::error::{PaceStep, PointError};
use crate::password::PacePassword;
use crate::rng::{FixedRandomness, RandomSource};
use crate::sm::CardSm;

/// A step the card refused: why, and the plain response to send back.
#[derive(Debug)]
pub struct Rejected {
    /// Why.
    pub error: Error,
    /// The response APDU to send (status word only).
    pub response: ResponseApdu,
}

impl From<Error> for Rejected {
    fn from(error: Error) -> Self {
        let response = ResponseApdu::status(error.status_word());
        Self { error, response }
    }
}

/// The result of one card-side step.
pub type CardStep<S> = Result<(S, ResponseApdu), Rejected>;

fn check_ga(step: PaceStep, cmd: &CommandApdu, last: bool) -> Result<(), Error> {
    let cla_ok = if last {
        cmd.cla == 0x00
    } else {
        cmd.cla == 0x10
    };
    if cmd.ins != Ins::GeneralAuthenticate || cmd.p1 != 0 || cmd.p2 != 0 || !cla_ok {
        return Err(Error::UnexpectedCommand { step });
    }
    Ok(())
}

fn ok(data: Vec<u8>) -> ResponseApdu {
    ResponseApdu::new(data, StatusWord::SUCCESS)
}

fn point(step: PaceStep, params: &PaceParams, bytes: &[u8]) -> Result<EcPoint, Error> {
    params
        .domain
        .decode_point(bytes)
        .map_err(|kind| Error::InvalidPoint { step, kind })
}

/// The chip, ready for MSE:Set AT.
pub struct Idle {
    params: PaceParams,
    password: PacePassword,
    rng: RandomSource,
}

impl fmt::Debug for Idle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("card::Idle")
            .field("params", &self.params)
            .field("password", &self.password.reference())
            .finish_non_exhaustive()
    }
}

impl Idle {
    /// A chip that offers `params` (its PACEInfo) with `password` (its CAN).
    pub fn new(password: &PacePassword, params: PaceParams) -> Self {
        Self {
            params,
            password: password.clone(),
            rng: RandomSource::system(),
        }
    }

    /// TEST ONLY: takes the nonce s, then the mapping and ephemeral private keys from
    /// `fixed` instead of the system RNG, to reproduce published vectors.
    #[doc(hidden)]
    pub fn with_fixed_randomness(
        password: &PacePassword,
        params: PaceParams,
        fixed: FixedRandomness,
    ) -> Self {
        Self {
            params,
            password: password.clone(),
            rng: RandomSource::Fixed(fixed),
        }
    }

    /// Consumes MSE:Set AT. Tag `84` may be omitted (as in ICAO 9303-11 Appendix G); if
    /// present it must name this chip's parameters.
    ///
    /// # Errors
    /// [`Error::UnexpectedCommand`] (`6985`) for another command;
    /// [`Error::MechanismMismatch`] / unsupported OID or parameters (`6A88`); malformed data
    /// (`6A80`).
    pub fn on_mse_set_at(self, cmd: &CommandApdu) -> CardStep<AwaitNonceRequest> {
        let step = PaceStep::MseSetAt;
        if cmd.cla != 0x00
            || cmd.ins != Ins::ManageSecurityEnvironment
            || cmd.p1 != 0xC1
            || cmd.p2 != 0xA4
        {
            return Err(Error::UnexpectedCommand { step }.into());
        }
        let mse = parse_mse_set_at(&cmd.data)?;
        if mse.cipher != self.params.cipher
            || mse.password != self.password.reference()
            || mse.domain.is_some_and(|d| d != self.params.domain)
        {
            return Err(Error::MechanismMismatch.into());
        }
        Ok((
            AwaitNonceRequest { inner: self },
            ResponseApdu::status(StatusWord::SUCCESS),
        ))
    }
}

/// Waiting for GENERAL AUTHENTICATE step 1.
pub struct AwaitNonceRequest {
    inner: Idle,
}

impl AwaitNonceRequest {
    /// Chooses the nonce s and answers with z = E(K_π, s).
    ///
    /// # Errors
    /// [`Error::UnexpectedCommand`], [`Error::Decode`], [`Error::Rng`].
    pub fn on_command(self, cmd: &CommandApdu) -> CardStep<AwaitMapping> {
        let step = PaceStep::EncryptedNonce;
        check_ga(step, cmd, false)?;
        parse_dynamic_auth_data(&cmd.data, None)?;
        let mut inner = self.inner;
        let mut s = Zeroizing::new(vec![0u8; inner.params.cipher.nonce_len()]);
        inner.rng.fill(&mut s)?;
        let k_pi = derive_k_pi(&inner.password, inner.params.cipher);
        let z = encrypt_nonce(&k_pi, &s)?;
        let resp = ok(encode_dynamic_auth_data(Some((TAG_ENCRYPTED_NONCE, &z))));
        Ok((
            AwaitMapping {
                params: inner.params,
                rng: inner.rng,
                s,
            },
            resp,
        ))
    }
}

/// Waiting for the terminal's mapping public key.
pub struct AwaitMapping {
    params: PaceParams,
    rng: RandomSource,
    s: Zeroizing<Vec<u8>>,
}

impl AwaitMapping {
    /// Generates the chip's mapping key, maps the generator; answers with PK_map(chip).
    ///
    /// # Errors
    /// [`Error::UnexpectedCommand`], [`Error::Decode`], [`Error::InvalidPoint`].
    pub fn on_command(mut self, cmd: &CommandApdu) -> CardStep<AwaitKeyAgreement> {
        let step = PaceStep::Mapping;
        check_ga(step, cmd, false)?;
        let peer = point(
            step,
            &self.params,
            parse_dynamic_auth_data(&cmd.data, Some(TAG_MAPPING_TERMINAL))?,
        )?;
        let sk_map = self.rng.private_key(self.params.domain)?;
        let pk_map = self
            .params
            .domain
            .mul_base(&sk_map)
            .map_err(|kind| Error::InvalidPoint { step, kind })?;
        if peer == pk_map {
            return Err(Error::InvalidPoint {
                step,
                kind: PointError::Reflected,
            }
            .into());
        }
        let (_h, g_hat) = generic_mapping(self.params.domain, &sk_map, &peer, &self.s)?;
        let resp = ok(encode_dynamic_auth_data(Some((
            TAG_MAPPING_CHIP,
            pk_map.as_bytes(),
        ))));
        Ok((
            AwaitKeyAgreement {
                params: self.params,
                rng: self.rng,
                g_hat,
            },
            resp,
        ))
    }
}

/// Waiting for the terminal's ephemeral public key.
pub struct AwaitKeyAgreement {
    params: PaceParams,
    rng: RandomSource,
    g_hat: EcPoint,
}

impl AwaitKeyAgreement {
    /// Generates the chip's ephemeral key on Ĝ, agrees on the secret, derives the session
    /// keys; answers with PK_eph(chip).
    ///
    /// # Errors
    /// [`Error::UnexpectedCommand`], [`Error::Decode`], [`Error::InvalidPoint`].
    pub fn on_command(mut self, cmd: &CommandApdu) -> CardStep<AwaitToken> {
        let step = PaceStep::KeyAgreement;
        check_ga(step, cmd, false)?;
        let pk_ifd = point(
            step,
            &self.params,
            parse_dynamic_auth_data(&cmd.data, Some(TAG_EPHEMERAL_TERMINAL))?,
        )?;
        let sk_eph: Zeroizing<[u8; SCALAR_LEN]> = self.rng.private_key(self.params.domain)?;
        let bad = |kind| Error::InvalidPoint { step, kind };
        let pk_eph = self.params.domain.mul(&sk_eph, &self.g_hat).map_err(bad)?;
        if pk_ifd == pk_eph {
            return Err(bad(PointError::Reflected).into());
        }
        let shared_x = self.params.domain.agree(&sk_eph, &pk_ifd).map_err(bad)?;
        let keys = session_keys(&shared_x, self.params.cipher);
        let resp = ok(encode_dynamic_auth_data(Some((
            TAG_EPHEMERAL_CHIP,
            pk_eph.as_bytes(),
        ))));
        Ok((
            AwaitToken {
                params: self.params,
                keys,
                pk_ifd,
                pk_eph,
            },
            resp,
        ))
    }
}

/// Waiting for the terminal's authentication token.
pub struct AwaitToken {
    params: PaceParams,
    keys: SessionKeys,
    pk_ifd: EcPoint,
    pk_eph: EcPoint,
}

impl AwaitToken {
    /// The chip's own ephemeral public key PK_PICC (ID_PICC for Terminal Authentication
    /// is its compressed form, BSI TR-03110-1 §3.5).
    pub fn chip_ephemeral(&self) -> &EcPoint {
        &self.pk_eph
    }

    /// Verifies T_IFD; answers with T_IC and starts secure messaging with SSC = 0.
    ///
    /// # Errors
    /// [`Error::AuthenticationFailed`] (`6300`) if T_IFD does not verify (wrong CAN): the
    /// session keys are dropped. [`Error::UnexpectedCommand`], [`Error::Decode`].
    pub fn on_command(self, cmd: &CommandApdu) -> CardStep<CardSm> {
        check_ga(PaceStep::MutualAuthentication, cmd, true)?;
        let t_ifd = parse_dynamic_auth_data(&cmd.data, Some(TAG_TOKEN_TERMINAL))?;
        // T_IFD is the terminal's MAC over the chip's ephemeral public key.
        if !verify_token(&self.keys.mac, &self.params, &self.pk_eph, t_ifd)? {
            return Err(Error::AuthenticationFailed.into());
        }
        let t_ic = authentication_token(&self.keys.mac, &self.params, &self.pk_ifd)?;
        let resp = ok(encode_dynamic_auth_data(Some((TAG_TOKEN_CHIP, &t_ic))));
        Ok((CardSm::new(self.keys), resp))
    }
}

macro_rules! redacted_debug {
    ($($t:ident),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!("card::", stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(
    AwaitNonceRequest,
    AwaitMapping,
    AwaitKeyAgreement,
    AwaitToken
);
