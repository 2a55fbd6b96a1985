//! The two standardized domain parameters this crate supports (ICAO 9303-11 §9.5.1) and the
//! elliptic curve operations PACE needs. Point arithmetic is RustCrypto `p256` / `bp256`;
//! this module only validates and converts.

use crate::Error;
use crate::error::PointError;

/// Length of an uncompressed point `04 || X || Y` on a 256-bit curve.
pub const POINT_LEN: usize = 65;
/// Length of a scalar or coordinate on a 256-bit curve.
pub const SCALAR_LEN: usize = 32;

/// Standardized PACE domain parameters (ICAO 9303-11 §9.5.1, Table "Standardized Domain
/// Parameters"): ID 12 is NIST P-256 (secp256r1), ID 13 is brainpoolP256r1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainParameters {
    /// NIST P-256 / secp256r1, parameter ID 12. The default for e-KTP.
    NistP256,
    /// brainpoolP256r1 (RFC 5639), parameter ID 13. Used by the ICAO worked examples.
    BrainpoolP256r1,
}

impl DomainParameters {
    /// The standardized parameter ID (PACEInfo `parameterId`, MSE:Set AT tag `84`).
    pub const fn id(self) -> u8 {
        match self {
            Self::NistP256 => 12,
            Self::BrainpoolP256r1 => 13,
        }
    }

    /// The parameters for a standardized ID.
    ///
    /// # Errors
    /// [`Error::UnsupportedDomainParameters`] for any ID but 12 and 13.
    pub fn from_id(id: u32) -> Result<Self, Error> {
        match id {
            12 => Ok(Self::NistP256),
            13 => Ok(Self::BrainpoolP256r1),
            other => Err(Error::UnsupportedDomainParameters(other)),
        }
    }
}

/// A validated public point: uncompressed, on the curve, not the point at infinity.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EcPoint([u8; POINT_LEN]);

impl EcPoint {
    /// The uncompressed encoding `04 || X || Y`.
    pub fn as_bytes(&self) -> &[u8; POINT_LEN] {
        &self.0
    }

    /// The x-coordinate (the ECDH shared secret when this point is the agreement result).
    pub fn x(&self) -> &[u8] {
        self.0.get(1..=SCALAR_LEN).unwrap_or(&[])
    }
}

impl core::fmt::Debug for EcPoint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("EcPoint(")?;
        for b in &self.0 {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

macro_rules! curve_ops {
    ($modname:ident, $($path:ident)::+) => {
        // `*` and `+` here are elliptic curve group operations and scalar field arithmetic:
        // modular by construction, they cannot overflow.
        #[allow(clippy::arithmetic_side_effects)]
        mod $modname {
            use super::{PointError, POINT_LEN, SCALAR_LEN};
            use $($path)::+::{AffinePoint, FieldBytes, NonZeroScalar, ProjectivePoint, Scalar};
            use p256::elliptic_curve::{
                group::Group as _,
                ops::Reduce,
                sec1::{FromSec1Point, ToSec1Point},
            };
            use zeroize::Zeroizing;

            fn point(bytes: &[u8; POINT_LEN]) -> Result<ProjectivePoint, PointError> {
                let affine = AffinePoint::from_sec1_bytes(bytes)
                    .map_err(|_| PointError::NotOnCurve)?;
                let p = ProjectivePoint::from(affine);
                if bool::from(p.is_identity()) {
                    return Err(PointError::Identity);
                }
                Ok(p)
            }

            fn encode(p: &ProjectivePoint) -> Result<[u8; POINT_LEN], PointError> {
                if bool::from(p.is_identity()) {
                    return Err(PointError::Identity);
                }
                let enc = p.to_affine().to_sec1_point(false);
                enc.as_bytes().try_into().map_err(|_| PointError::Encoding)
            }

            fn secret(bytes: &[u8; SCALAR_LEN]) -> Option<NonZeroScalar> {
                let fb = Zeroizing::new(FieldBytes::from(*bytes));
                NonZeroScalar::from_repr(*fb).into_option()
            }

            pub(super) fn validate(bytes: &[u8; POINT_LEN]) -> Result<(), PointError> {
                point(bytes).map(|_| ())
            }

            pub(super) fn is_valid_secret(bytes: &[u8; SCALAR_LEN]) -> bool {
                secret(bytes).is_some()
            }

            pub(super) fn mul(
                k: &[u8; SCALAR_LEN],
                p: &[u8; POINT_LEN],
            ) -> Result<[u8; POINT_LEN], PointError> {
                let k = secret(k).ok_or(PointError::Identity)?;
                let p = point(p)?;
                encode(&(p * *k))
            }

            pub(super) fn mul_base(k: &[u8; SCALAR_LEN]) -> Result<[u8; POINT_LEN], PointError> {
                let k = secret(k).ok_or(PointError::Identity)?;
                encode(&(ProjectivePoint::generator() * *k))
            }

            pub(super) fn map(
                s: &[u8; SCALAR_LEN],
                h: &[u8; POINT_LEN],
            ) -> Result<[u8; POINT_LEN], PointError> {
                let fb = Zeroizing::new(FieldBytes::from(*s));
                let s = <Scalar as Reduce<FieldBytes>>::reduce(&fb);
                let h = point(h)?;
                encode(&(ProjectivePoint::generator() * s + h))
            }
        }
    };
}

curve_ops!(nist, p256);
curve_ops!(brainpool, bp256::r1);

impl DomainParameters {
    /// Decodes and validates a point received from the peer.
    ///
    /// # Errors
    /// [`PointError::Encoding`] unless `04 || X || Y` of 65 bytes; [`PointError::NotOnCurve`];
    /// [`PointError::Identity`].
    pub fn decode_point(self, bytes: &[u8]) -> Result<EcPoint, PointError> {
        let arr: [u8; POINT_LEN] = bytes.try_into().map_err(|_| PointError::Encoding)?;
        if arr.first() != Some(&0x04) {
            return Err(PointError::Encoding);
        }
        match self {
            Self::NistP256 => nist::validate(&arr)?,
            Self::BrainpoolP256r1 => brainpool::validate(&arr)?,
        }
        Ok(EcPoint(arr))
    }

    /// Whether `bytes` is a valid private scalar in `[1, n-1]`.
    pub(crate) fn is_valid_secret(self, bytes: &[u8; SCALAR_LEN]) -> bool {
        match self {
            Self::NistP256 => nist::is_valid_secret(bytes),
            Self::BrainpoolP256r1 => brainpool::is_valid_secret(bytes),
        }
    }

    /// `k · P` (ECDH, or a public key on a mapped generator).
    ///
    /// # Errors
    /// [`PointError::Identity`] if `k` is not in `[1, n-1]` or the result is the point at
    /// infinity.
    pub fn mul(self, k: &[u8; SCALAR_LEN], p: &EcPoint) -> Result<EcPoint, PointError> {
        match self {
            Self::NistP256 => nist::mul(k, &p.0),
            Self::BrainpoolP256r1 => brainpool::mul(k, &p.0),
        }
        .map(EcPoint)
    }

    /// ECDH key agreement: the x-coordinate of `k · P`, zeroized on drop (the PACE shared
    /// secret K, ICAO 9303-11 §4.4.3.2).
    ///
    /// # Errors
    /// [`PointError::Identity`] as for [`DomainParameters::mul`].
    pub fn agree(
        self,
        k: &[u8; SCALAR_LEN],
        p: &EcPoint,
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, PointError> {
        let mut shared = match self {
            Self::NistP256 => nist::mul(k, &p.0),
            Self::BrainpoolP256r1 => brainpool::mul(k, &p.0),
        }?;
        let x = zeroize::Zeroizing::new(shared.get(1..=SCALAR_LEN).unwrap_or(&[]).to_vec());
        zeroize::Zeroize::zeroize(&mut shared);
        Ok(x)
    }

    /// `k · G` with the standard generator.
    ///
    /// # Errors
    /// [`PointError::Identity`] if `k` is not in `[1, n-1]`.
    pub fn mul_base(self, k: &[u8; SCALAR_LEN]) -> Result<EcPoint, PointError> {
        match self {
            Self::NistP256 => nist::mul_base(k),
            Self::BrainpoolP256r1 => brainpool::mul_base(k),
        }
        .map(EcPoint)
    }

    /// Generic mapping Ĝ = s·G + H (ICAO 9303-11 §4.4.3.3.1). `s` is the nonce as a
    /// big-endian integer of at most 32 bytes.
    pub(crate) fn map_generator(self, s: &[u8], h: &EcPoint) -> Result<EcPoint, PointError> {
        let mut padded = zeroize::Zeroizing::new([0u8; SCALAR_LEN]);
        let offset = SCALAR_LEN
            .checked_sub(s.len())
            .ok_or(PointError::Encoding)?;
        padded
            .get_mut(offset..)
            .ok_or(PointError::Encoding)?
            .copy_from_slice(s);
        match self {
            Self::NistP256 => nist::map(&padded, &h.0),
            Self::BrainpoolP256r1 => brainpool::map(&padded, &h.0),
        }
        .map(EcPoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_to_infinity_is_refused() {
        // H = (n-1)·G = -G and s = 1 give Ĝ = G - G = the point at infinity.
        let n_minus_1 = [
            (
                DomainParameters::NistP256,
                "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550",
            ),
            (
                DomainParameters::BrainpoolP256r1,
                "A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A6",
            ),
        ];
        for (dp, hex_k) in n_minus_1 {
            let k: [u8; 32] = hex::decode(hex_k).unwrap().try_into().unwrap();
            let minus_g = dp.mul_base(&k).unwrap();
            assert_eq!(dp.map_generator(&[1], &minus_g), Err(PointError::Identity));
            assert!(dp.map_generator(&[2], &minus_g).is_ok());
            // k·P with P = -G and k = n-1 is G, fine; the identity can never be decoded.
            assert_eq!(dp.decode_point(&[0x00]), Err(PointError::Encoding));
        }
    }

    #[test]
    fn ids() {
        assert_eq!(
            DomainParameters::from_id(12).unwrap(),
            DomainParameters::NistP256
        );
        assert_eq!(
            DomainParameters::from_id(13).unwrap(),
            DomainParameters::BrainpoolP256r1
        );
        assert!(DomainParameters::from_id(14).is_err());
    }

    #[test]
    fn rejects_bad_points() {
        for dp in [
            DomainParameters::NistP256,
            DomainParameters::BrainpoolP256r1,
        ] {
            assert_eq!(dp.decode_point(&[0]), Err(PointError::Encoding));
            let mut off = [0u8; 65];
            off[0] = 4;
            off[64] = 1;
            assert_eq!(dp.decode_point(&off), Err(PointError::NotOnCurve));
            let mut compressed = [0u8; 33];
            compressed[0] = 2;
            assert_eq!(dp.decode_point(&compressed), Err(PointError::Encoding));
            let g = dp.mul_base(&{
                let mut one = [0u8; 32];
                one[31] = 1;
                one
            });
            let g = g.unwrap();
            assert_eq!(dp.decode_point(g.as_bytes()).unwrap(), g);
            assert!(!dp.is_valid_secret(&[0u8; 32]));
            assert!(!dp.is_valid_secret(&[0xFF; 32]));
        }
    }
}
