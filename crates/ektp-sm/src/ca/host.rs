//! The terminal side of Chip Authentication (ICAO 9303-11 §6.2), sans I/O. The commands are
//! plain; the caller protects them with the PACE session ([`HostSm`]) and unwraps the
//! answers with it before handing them here.
//!
//! ```text
//! Start::new(params, PK_PICC, keyId).start()   -> (AwaitMse, MSE:Set AT 00 22 41 A4)
//! AwaitMse::on_response(9000)                  -> (AwaitKeyAgreement, GA 7C{80 PK_PCD})
//! AwaitKeyAgreement::on_response(9000)         -> ChipAuthenticated (new HostSm, SSC = 0)
//! ```

use core::fmt;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use zeroize::Zeroizing;

use super::{CaParams, TAG_EPHEMERAL_PUBLIC_KEY, ca_session_keys, compressed, mse_set_at_data};
use crate::Error;
use crate::curve::{EcPoint, SCALAR_LEN};
use crate::error::{EacStep, PointError};
use crate::pace::{encode_dynamic_auth_data, parse_dynamic_auth_data};
use crate::rng::{FixedRandomness, RandomSource};
use crate::sm::HostSm;

fn expect_ok(step: EacStep, resp: &ResponseApdu) -> Result<(), Error> {
    if resp.sw == StatusWord::SUCCESS {
        Ok(())
    } else {
        Err(Error::EacStatus { step, sw: resp.sw })
    }
}

/// A Chip Authentication run about to start, with the chip's static public key from DG14.
pub struct Start {
    params: CaParams,
    chip_key: EcPoint,
    key_id: Option<u32>,
    rng: RandomSource,
}

impl fmt::Debug for Start {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ca::host::Start")
            .field("params", &self.params)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Start {
    /// Chip Authentication against `chip_public_key` (uncompressed point from DG14's
    /// ChipAuthenticationPublicKeyInfo) with `key_id` when DG14 names one.
    ///
    /// # Errors
    /// [`Error::CaInvalidPoint`] if the point is not on the curve of `params`.
    pub fn new(
        params: CaParams,
        chip_public_key: &[u8],
        key_id: Option<u32>,
    ) -> Result<Self, Error> {
        Self::with_rng(params, chip_public_key, key_id, RandomSource::system())
    }

    /// TEST ONLY: the ephemeral private key from `fixed`.
    ///
    /// # Errors
    /// As [`Start::new`].
    #[doc(hidden)]
    pub fn with_fixed_randomness(
        params: CaParams,
        chip_public_key: &[u8],
        key_id: Option<u32>,
        fixed: FixedRandomness,
    ) -> Result<Self, Error> {
        Self::with_rng(params, chip_public_key, key_id, RandomSource::Fixed(fixed))
    }

    fn with_rng(
        params: CaParams,
        chip_public_key: &[u8],
        key_id: Option<u32>,
        rng: RandomSource,
    ) -> Result<Self, Error> {
        let chip_key = params
            .domain
            .decode_point(chip_public_key)
            .map_err(Error::CaInvalidPoint)?;
        Ok(Self {
            params,
            chip_key,
            key_id,
            rng,
        })
    }

    /// MSE:Set AT `00 22 41 A4` with the CA OID (and the key reference).
    pub fn start(self) -> (AwaitMse, CommandApdu) {
        let cmd = CommandApdu::new(0x00, Ins::ManageSecurityEnvironment, 0x41, 0xA4)
            .with_data(mse_set_at_data(&self.params, self.key_id));
        (AwaitMse { inner: self }, cmd)
    }
}

/// Waiting for the answer to MSE:Set AT.
pub struct AwaitMse {
    inner: Start,
}

impl AwaitMse {
    /// Consumes the answer to MSE:Set AT; generates the ephemeral key pair and returns
    /// GENERAL AUTHENTICATE `00 86 00 00 7C{80 PK_PCD}`.
    ///
    /// # Errors
    /// [`Error::EacStatus`] unless `9000`; [`Error::Rng`].
    pub fn on_response(
        self,
        resp: &ResponseApdu,
    ) -> Result<(AwaitKeyAgreement, CommandApdu), Error> {
        expect_ok(EacStep::CaMseSetAt, resp)?;
        let mut inner = self.inner;
        let sk = inner.rng.private_key(inner.params.domain)?;
        let pk = inner
            .params
            .domain
            .mul_base(&sk)
            .map_err(Error::CaInvalidPoint)?;
        let cmd = CommandApdu::new(0x00, Ins::GeneralAuthenticate, 0x00, 0x00)
            .with_data(encode_dynamic_auth_data(Some((
                TAG_EPHEMERAL_PUBLIC_KEY,
                pk.as_bytes(),
            ))))
            .with_le(256);
        Ok((
            AwaitKeyAgreement {
                params: inner.params,
                chip_key: inner.chip_key,
                sk,
                pk,
            },
            cmd,
        ))
    }
}

/// Waiting for the answer to GENERAL AUTHENTICATE.
pub struct AwaitKeyAgreement {
    params: CaParams,
    chip_key: EcPoint,
    sk: Zeroizing<[u8; SCALAR_LEN]>,
    pk: EcPoint,
}

impl AwaitKeyAgreement {
    /// The chip accepted the key: derive the new session keys and restart secure messaging
    /// with SSC = 0. Whether the chip really holds the private key shows on the next
    /// protected response, which only it can MAC.
    ///
    /// # Errors
    /// [`Error::EacStatus`] unless `9000`; [`Error::Decode`] unless `7C 00`;
    /// [`Error::CaInvalidPoint`].
    pub fn on_response(self, resp: &ResponseApdu) -> Result<ChipAuthenticated, Error> {
        expect_ok(EacStep::CaKeyAgreement, resp)?;
        parse_dynamic_auth_data(&resp.data, None)?;
        if self.pk == self.chip_key {
            return Err(Error::CaInvalidPoint(PointError::Reflected));
        }
        let shared = self
            .params
            .domain
            .agree(&self.sk, &self.chip_key)
            .map_err(Error::CaInvalidPoint)?;
        let keys = ca_session_keys(&shared, self.params.cipher);
        Ok(ChipAuthenticated {
            sm: HostSm::new(keys),
            ephemeral: self.pk,
        })
    }
}

/// The result of Chip Authentication on the terminal side.
pub struct ChipAuthenticated {
    /// The restarted secure messaging session (SSC = 0).
    pub sm: HostSm,
    /// The terminal's ephemeral public key PK_PCD; Terminal Authentication signs its
    /// [`compressed`] form.
    pub ephemeral: EcPoint,
}

impl ChipAuthenticated {
    /// Comp(PK_PCD) for Terminal Authentication.
    pub fn compressed_ephemeral(&self) -> Vec<u8> {
        compressed(&self.ephemeral)
    }
}

macro_rules! redacted_debug {
    ($($t:ident),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!("ca::host::", stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(AwaitMse, AwaitKeyAgreement, ChipAuthenticated);
