//! The terminal side of PACE (ICAO 9303-11 §4.4.1), sans I/O.
//!
//! ```text
//! Start::new(password, params).start()        -> (AwaitMse, MSE:Set AT)
//! AwaitMse::on_response(9000)                 -> (AwaitNonce, GA 7C00)
//! AwaitNonce::on_response(7C{80 z})           -> (AwaitMapping, GA 7C{81 PK_map})
//! AwaitMapping::on_response(7C{82 PK_map})    -> (AwaitKeyAgreement, GA 7C{83 PK_eph})
//! AwaitKeyAgreement::on_response(7C{84 PK})   -> (AwaitToken, GA 7C{85 T_IFD})
//! AwaitToken::on_response(7C{86 T_IC})        -> HostSm (SSC = 0)
//! ```

use core::fmt;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use zeroize::Zeroizing;

use super::{
    PaceParams, SessionKeys, TAG_ENCRYPTED_NONCE, TAG_EPHEMERAL_CHIP, TAG_EPHEMERAL_TERMINAL,
    TAG_MAPPING_CHIP, TAG_MAPPING_TERMINAL, TAG_TOKEN_CHIP, TAG_TOKEN_TERMINAL,
    authentication_token, decrypt_nonce, derive_k_pi, encode_dynamic_auth_data, generic_mapping,
    mse_set_at_data, parse_dynamic_auth_data, session_keys, verify_token,
};
use crate::Error;
use crate::curve::{EcPoint, SCALAR_LEN};
use crate::error::{PaceStep, PointError};
use crate::kdf::AesKey;
use crate::password::PacePassword;
use crate::rng::{FixedRandomness, RandomSource};
use crate::sm::HostSm;

/// Le for the GENERAL AUTHENTICATE commands: `00` (up to 256 bytes).
const LE: u32 = 256;

fn ga(chained: bool, data: Vec<u8>) -> CommandApdu {
    let cla = if chained { 0x10 } else { 0x00 };
    CommandApdu::new(cla, Ins::GeneralAuthenticate, 0x00, 0x00)
        .with_data(data)
        .with_le(LE)
}

fn expect_ok(step: PaceStep, resp: &ResponseApdu) -> Result<(), Error> {
    if resp.sw == StatusWord::SUCCESS {
        Ok(())
    } else if step == PaceStep::MutualAuthentication && resp.sw.sw1() == 0x63 {
        // 63xx: the card could not verify our token (wrong password).
        Err(Error::AuthenticationFailed)
    } else {
        Err(Error::Status { step, sw: resp.sw })
    }
}

fn point(step: PaceStep, params: &PaceParams, bytes: &[u8]) -> Result<EcPoint, Error> {
    params
        .domain
        .decode_point(bytes)
        .map_err(|kind| Error::InvalidPoint { step, kind })
}

/// A PACE run about to start.
pub struct Start {
    params: PaceParams,
    password: PacePassword,
    rng: RandomSource,
}

impl fmt::Debug for Start {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("host::Start")
            .field("params", &self.params)
            .field("password", &self.password.reference())
            .finish_non_exhaustive()
    }
}

impl Start {
    /// PACE with `password` and `params` (one of the card's PACEInfos), fresh randomness
    /// from the operating system.
    pub fn new(password: &PacePassword, params: PaceParams) -> Self {
        Self {
            params,
            password: password.clone(),
            rng: RandomSource::system(),
        }
    }

    /// TEST ONLY: takes the mapping and the ephemeral private keys from `fixed` instead of
    /// the system RNG, to reproduce published vectors.
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

    /// MSE:Set AT `00 22 C1 A4` with OID, password reference and parameter ID.
    pub fn start(self) -> (AwaitMse, CommandApdu) {
        let cmd = CommandApdu::new(0x00, Ins::ManageSecurityEnvironment, 0xC1, 0xA4)
            .with_data(mse_set_at_data(&self.params, self.password.reference()));
        (AwaitMse { inner: self }, cmd)
    }
}

/// Waiting for the answer to MSE:Set AT.
pub struct AwaitMse {
    inner: Start,
}

impl AwaitMse {
    /// Consumes the answer to MSE:Set AT; returns GENERAL AUTHENTICATE step 1.
    ///
    /// # Errors
    /// [`Error::Status`] unless `9000`.
    pub fn on_response(self, resp: &ResponseApdu) -> Result<(AwaitNonce, CommandApdu), Error> {
        expect_ok(PaceStep::MseSetAt, resp)?;
        Ok((
            AwaitNonce { inner: self.inner },
            ga(true, encode_dynamic_auth_data(None)),
        ))
    }
}

/// Waiting for the encrypted nonce.
pub struct AwaitNonce {
    inner: Start,
}

impl AwaitNonce {
    /// Decrypts the nonce, generates the mapping key pair; returns GENERAL AUTHENTICATE
    /// step 2 with the terminal's mapping public key.
    ///
    /// # Errors
    /// [`Error::Status`], [`Error::Decode`], [`Error::InvalidNonceLength`], [`Error::Rng`].
    pub fn on_response(self, resp: &ResponseApdu) -> Result<(AwaitMapping, CommandApdu), Error> {
        expect_ok(PaceStep::EncryptedNonce, resp)?;
        let mut inner = self.inner;
        let z = parse_dynamic_auth_data(&resp.data, Some(TAG_ENCRYPTED_NONCE))?;
        let k_pi = derive_k_pi(&inner.password, inner.params.cipher);
        let s = decrypt_nonce(&k_pi, z)?;
        let sk_map = inner.rng.private_key(inner.params.domain)?;
        let pk_map = inner
            .params
            .domain
            .mul_base(&sk_map)
            .map_err(|kind| Error::InvalidPoint {
                step: PaceStep::Mapping,
                kind,
            })?;
        let cmd = ga(
            true,
            encode_dynamic_auth_data(Some((TAG_MAPPING_TERMINAL, pk_map.as_bytes()))),
        );
        Ok((
            AwaitMapping {
                params: inner.params,
                rng: inner.rng,
                s,
                sk_map,
                pk_map,
            },
            cmd,
        ))
    }
}

/// Waiting for the chip's mapping public key.
pub struct AwaitMapping {
    params: PaceParams,
    rng: RandomSource,
    s: Zeroizing<Vec<u8>>,
    sk_map: Zeroizing<[u8; SCALAR_LEN]>,
    pk_map: EcPoint,
}

impl AwaitMapping {
    /// Computes the mapped generator and an ephemeral key pair on it; returns GENERAL
    /// AUTHENTICATE step 3 with the terminal's ephemeral public key.
    ///
    /// # Errors
    /// [`Error::Status`], [`Error::Decode`], [`Error::InvalidPoint`] (not on the curve,
    /// identity, our own key reflected), [`Error::Rng`].
    pub fn on_response(
        mut self,
        resp: &ResponseApdu,
    ) -> Result<(AwaitKeyAgreement, CommandApdu), Error> {
        let step = PaceStep::Mapping;
        expect_ok(step, resp)?;
        let peer = point(
            step,
            &self.params,
            parse_dynamic_auth_data(&resp.data, Some(TAG_MAPPING_CHIP))?,
        )?;
        if peer == self.pk_map {
            return Err(Error::InvalidPoint {
                step,
                kind: PointError::Reflected,
            });
        }
        let (_h, g_hat) = generic_mapping(self.params.domain, &self.sk_map, &peer, &self.s)?;
        let sk_eph = self.rng.private_key(self.params.domain)?;
        let pk_eph =
            self.params
                .domain
                .mul(&sk_eph, &g_hat)
                .map_err(|kind| Error::InvalidPoint {
                    step: PaceStep::KeyAgreement,
                    kind,
                })?;
        let cmd = ga(
            true,
            encode_dynamic_auth_data(Some((TAG_EPHEMERAL_TERMINAL, pk_eph.as_bytes()))),
        );
        Ok((
            AwaitKeyAgreement {
                params: self.params,
                sk_eph,
                pk_eph,
            },
            cmd,
        ))
    }
}

/// Waiting for the chip's ephemeral public key.
pub struct AwaitKeyAgreement {
    params: PaceParams,
    sk_eph: Zeroizing<[u8; SCALAR_LEN]>,
    pk_eph: EcPoint,
}

impl AwaitKeyAgreement {
    /// Agrees on the shared secret, derives the session keys; returns GENERAL AUTHENTICATE
    /// step 4 with the terminal's token T_IFD.
    ///
    /// # Errors
    /// [`Error::Status`], [`Error::Decode`], [`Error::InvalidPoint`].
    pub fn on_response(self, resp: &ResponseApdu) -> Result<(AwaitToken, CommandApdu), Error> {
        let step = PaceStep::KeyAgreement;
        expect_ok(step, resp)?;
        let pk_chip = point(
            step,
            &self.params,
            parse_dynamic_auth_data(&resp.data, Some(TAG_EPHEMERAL_CHIP))?,
        )?;
        // ICAO 9303-11 §4.4.1 step 3: the terminal checks PK_IC != PK_IFD.
        if pk_chip == self.pk_eph {
            return Err(Error::InvalidPoint {
                step,
                kind: PointError::Reflected,
            });
        }
        let shared_x = self
            .params
            .domain
            .agree(&self.sk_eph, &pk_chip)
            .map_err(|kind| Error::InvalidPoint { step, kind })?;
        let keys = session_keys(&shared_x, self.params.cipher);
        let t_ifd = authentication_token(&keys.mac, &self.params, &pk_chip)?;
        let cmd = ga(
            false,
            encode_dynamic_auth_data(Some((TAG_TOKEN_TERMINAL, &t_ifd))),
        );
        Ok((
            AwaitToken {
                params: self.params,
                keys,
                pk_eph: self.pk_eph,
                pk_chip,
            },
            cmd,
        ))
    }
}

/// Waiting for the chip's authentication token.
pub struct AwaitToken {
    params: PaceParams,
    keys: SessionKeys,
    pk_eph: EcPoint,
    pk_chip: EcPoint,
}

impl AwaitToken {
    /// The chip's ephemeral public key PK_PICC: with Terminal Authentication after PACE,
    /// ID_PICC is its compressed form (BSI TR-03110-1 §3.5). Keep it before
    /// [`AwaitToken::on_response`] consumes the state.
    pub fn chip_ephemeral(&self) -> &EcPoint {
        &self.pk_chip
    }

    /// Verifies T_IC; on success the secure messaging session starts with SSC = 0.
    ///
    /// # Errors
    /// [`Error::AuthenticationFailed`] if the card rejected our token (`63xx`) or its token
    /// does not verify: the keys are dropped. [`Error::Status`], [`Error::Decode`].
    pub fn on_response(self, resp: &ResponseApdu) -> Result<HostSm, Error> {
        expect_ok(PaceStep::MutualAuthentication, resp)?;
        let t_ic = parse_dynamic_auth_data(&resp.data, Some(TAG_TOKEN_CHIP))?;
        if !verify_token(&self.keys.mac, &self.params, &self.pk_eph, t_ic)? {
            return Err(Error::AuthenticationFailed);
        }
        Ok(HostSm::new(self.keys))
    }
}

/// The session keys before the token check. Secret: only for checking test vectors.
#[doc(hidden)]
impl AwaitToken {
    pub fn expose_session_keys(&self) -> (&AesKey, &AesKey) {
        (&self.keys.enc, &self.keys.mac)
    }
}

macro_rules! redacted_debug {
    ($($t:ident),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!("host::", stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(
    AwaitMse,
    AwaitNonce,
    AwaitMapping,
    AwaitKeyAgreement,
    AwaitToken
);
