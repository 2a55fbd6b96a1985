//! Where PACE gets its randomness: the operating system, or (tests only) fixed values.

use std::collections::VecDeque;

use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::Error;
use crate::curve::{DomainParameters, SCALAR_LEN};

/// Values to use instead of the system RNG, consumed in order: nonce s (card side only),
/// then the mapping private key, then the ephemeral private key.
///
/// Only for reproducing published test vectors. Never use in production: a session whose
/// keys are known is no secure channel.
#[doc(hidden)]
#[derive(Default)]
pub struct FixedRandomness(VecDeque<Zeroizing<Vec<u8>>>);

impl FixedRandomness {
    /// Fixed values to hand out in order.
    pub fn new(values: impl IntoIterator<Item = Vec<u8>>) -> Self {
        Self(values.into_iter().map(Zeroizing::new).collect())
    }
}

pub(crate) enum RandomSource {
    System(SystemRandom),
    Fixed(FixedRandomness),
}

impl RandomSource {
    pub(crate) fn system() -> Self {
        Self::System(SystemRandom::new())
    }

    pub(crate) fn fill(&mut self, out: &mut [u8]) -> Result<(), Error> {
        match self {
            Self::System(rng) => rng.fill(out).map_err(|_| Error::Rng),
            Self::Fixed(values) => {
                let v = values.0.pop_front().ok_or(Error::FixedRandomness)?;
                if v.len() != out.len() {
                    return Err(Error::FixedRandomness);
                }
                out.copy_from_slice(&v);
                Ok(())
            }
        }
    }

    /// A uniformly random private key in `[1, n-1]` by rejection sampling (bounded).
    pub(crate) fn private_key(
        &mut self,
        dp: DomainParameters,
    ) -> Result<Zeroizing<[u8; SCALAR_LEN]>, Error> {
        const MAX_TRIES: usize = 128;
        for _ in 0..MAX_TRIES {
            let mut k = Zeroizing::new([0u8; SCALAR_LEN]);
            self.fill(k.as_mut())?;
            if dp.is_valid_secret(&k) {
                return Ok(k);
            }
            if matches!(self, Self::Fixed(_)) {
                return Err(Error::FixedRandomness);
            }
        }
        Err(Error::Rng)
    }
}
