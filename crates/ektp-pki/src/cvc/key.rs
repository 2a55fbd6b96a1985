//! Public keys and signatures of CV certificates: id-TA-ECDSA-SHA-256 on NIST P-256 and
//! brainpoolP256r1 (BSI TR-03110-3 §A.6.4, §D.3.3), verified with RustCrypto.

use core::fmt;

use der::asn1::ObjectIdentifier;
use ektp_iso7816::tlv::{Tlv, Writer};

use super::error::{CvcDecodeKind, CvcError, Field};
use super::tlv;

/// id-TA-ECDSA-SHA-256 (BSI TR-03110-3 §A.6.4): `0.4.0.127.0.7.2.2.2.2.3`.
pub const ID_TA_ECDSA_SHA_256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.2.2.3");

/// Bytes of an uncompressed 256-bit curve point (`04 ‖ X ‖ Y`).
pub const POINT_LEN: usize = 65;
/// Bytes of a plain 256-bit ECDSA signature (`r ‖ s`).
pub const SIGNATURE_LEN: usize = 64;

/// The Terminal Authentication signature algorithm of a key (BSI TR-03110-3 §A.6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaAlgorithm {
    /// id-TA-ECDSA-SHA-256: ECDSA with SHA-256, plain signature format (BSI TR-03111 §5.2.1).
    EcdsaSha256,
}

impl TaAlgorithm {
    /// The OID.
    pub const fn oid(self) -> ObjectIdentifier {
        match self {
            Self::EcdsaSha256 => ID_TA_ECDSA_SHA_256,
        }
    }
}

/// The elliptic curves supported, identified by their explicit domain parameters
/// (BSI TR-03110-3 §D.3.3: `81` p, `82` a, `83` b, `84` G, `85` r, `87` f).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-256 (secp256r1, prime256v1).
    NistP256,
    /// brainpoolP256r1 (RFC 5639).
    BrainpoolP256r1,
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NistP256 => "NIST P-256",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
        })
    }
}

/// Domain parameters as `(tag, value)` pairs, in encoding order.
struct DomainParameters {
    p: &'static [u8],
    a: &'static [u8],
    b: &'static [u8],
    g: &'static [u8],
    r: &'static [u8],
}

const COFACTOR_ONE: [u8; 1] = [0x01];

impl Curve {
    const ALL: [Curve; 2] = [Curve::NistP256, Curve::BrainpoolP256r1];

    fn params(self) -> DomainParameters {
        match self {
            Self::NistP256 => DomainParameters {
                p: &P256_P,
                a: &P256_A,
                b: &P256_B,
                g: &P256_G,
                r: &P256_R,
            },
            Self::BrainpoolP256r1 => DomainParameters {
                p: &BP256_P,
                a: &BP256_A,
                b: &BP256_B,
                g: &BP256_G,
                r: &BP256_R,
            },
        }
    }

    /// Encodes `81`..`85` (before the point) and returns nothing; `87` goes after the point.
    fn encode_before_point(self, w: &mut Writer) {
        let d = self.params();
        w.put(0x81, d.p)
            .put(0x82, d.a)
            .put(0x83, d.b)
            .put(0x84, d.g)
            .put(0x85, d.r);
    }

    /// Verifies a plain `r ‖ s` ECDSA-SHA-256 signature over `message` with `point`.
    ///
    /// `Err(true)` when the point is not on this curve, `Err(false)` when the signature is
    /// wrong.
    pub(crate) fn verify(
        self,
        point: &EcPoint,
        message: &[u8],
        signature: &EcSignature,
    ) -> Result<(), bool> {
        use ecdsa::signature::Verifier as _;
        match self {
            Self::NistP256 => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point.0).map_err(|_| true)?;
                let sig = p256::ecdsa::Signature::from_slice(&signature.0).map_err(|_| false)?;
                key.verify(message, &sig).map_err(|_| false)
            }
            Self::BrainpoolP256r1 => {
                let key = ecdsa::VerifyingKey::<bp256::BrainpoolP256r1>::from_sec1_bytes(&point.0)
                    .map_err(|_| true)?;
                let sig = ecdsa::Signature::<bp256::BrainpoolP256r1>::from_slice(&signature.0)
                    .map_err(|_| false)?;
                key.verify(message, &sig).map_err(|_| false)
            }
        }
    }

    /// Whether `point` lies on this curve.
    pub fn is_on_curve(self, point: &EcPoint) -> bool {
        match self {
            Self::NistP256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&point.0).is_ok(),
            Self::BrainpoolP256r1 => {
                ecdsa::VerifyingKey::<bp256::BrainpoolP256r1>::from_sec1_bytes(&point.0).is_ok()
            }
        }
    }
}

/// An uncompressed elliptic curve point `04 ‖ X ‖ Y` (256-bit curves), BSI TR-03111 §3.2.1.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EcPoint([u8; POINT_LEN]);

impl EcPoint {
    /// A point from its 65-byte uncompressed encoding (checked on a curve only when used).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let a: [u8; POINT_LEN] = bytes.try_into().ok()?;
        (a[0] == 0x04).then_some(Self(a))
    }

    pub(crate) const fn from_raw(bytes: [u8; POINT_LEN]) -> Self {
        Self(bytes)
    }

    /// The encoding.
    pub const fn as_bytes(&self) -> &[u8; POINT_LEN] {
        &self.0
    }
}

impl fmt::Debug for EcPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcPoint(")?;
        for b in &self.0 {
            write!(f, "{b:02X}")?;
        }
        write!(f, ")")
    }
}

/// A plain ECDSA signature `r ‖ s` (BSI TR-03111 §5.2.1), 32 bytes each.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EcSignature([u8; SIGNATURE_LEN]);

impl EcSignature {
    /// A signature from its 64 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    /// The bytes `r ‖ s`.
    pub const fn as_bytes(&self) -> &[u8; SIGNATURE_LEN] {
        &self.0
    }
}

impl fmt::Debug for EcSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcSignature(")?;
        for b in &self.0 {
            write!(f, "{b:02X}")?;
        }
        write!(f, ")")
    }
}

/// A CV certificate public key (BSI TR-03110-3 §D.3.3, elliptic curve form):
///
/// ```text
/// 7F49 Public Key
///   06 algorithm OID       id-TA-ECDSA-SHA-256
///   81 prime modulus p     ┐
///   82 first coefficient a │ conditional: present in CVCA certificates and in requests,
///   83 second coeff. b     │ absent in DV and terminal certificates, which use the
///   84 base point G        │ CVCA's domain parameters
///   85 order of G r        ┘
///   86 public point Y      uncompressed
///   87 cofactor f          (with 81..85)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CvPublicKey {
    algorithm: TaAlgorithm,
    domain_parameters: Option<Curve>,
    point: EcPoint,
}

impl CvPublicKey {
    /// A key; `domain_parameters` is `Some` to include them (CVCA certificates, requests).
    pub const fn new(
        algorithm: TaAlgorithm,
        domain_parameters: Option<Curve>,
        point: EcPoint,
    ) -> Self {
        Self {
            algorithm,
            domain_parameters,
            point,
        }
    }

    /// The signature algorithm.
    pub const fn algorithm(&self) -> TaAlgorithm {
        self.algorithm
    }

    /// The curve named by the domain parameters, when they are included.
    pub const fn domain_parameters(&self) -> Option<Curve> {
        self.domain_parameters
    }

    /// The public point.
    pub const fn point(&self) -> &EcPoint {
        &self.point
    }

    /// This key with the domain parameters included (`Some`) or left out (`None`).
    #[must_use]
    pub const fn with_domain_parameters(self, curve: Option<Curve>) -> Self {
        Self {
            domain_parameters: curve,
            ..self
        }
    }

    pub(crate) fn decode(t: &Tlv<'_>) -> Result<Self, CvcError> {
        let mut r = tlv::children(t)?;
        let oid_tlv = tlv::expect(&mut r, 0x06)?;
        let oid = ObjectIdentifier::from_bytes(oid_tlv.value)
            .map_err(|_| tlv::invalid(Field::KeyAlgorithm, &oid_tlv))?;
        if oid != ID_TA_ECDSA_SHA_256 {
            return Err(CvcError::UnsupportedAlgorithm { oid });
        }
        // 81..85 all or none, then 86, then 87 exactly when 81..85 were present.
        let mut params: Vec<Tlv<'_>> = Vec::with_capacity(5);
        for tag in 0x81..=0x85u32 {
            if let Some(p) = tlv::optional(&mut r, tag)? {
                params.push(p);
            }
        }
        let point_tlv = tlv::expect(&mut r, 0x86)?;
        let cofactor = tlv::optional(&mut r, 0x87)?;
        tlv::finish(r)?;
        let point = EcPoint::from_bytes(point_tlv.value)
            .ok_or_else(|| tlv::invalid(Field::PublicPoint, &point_tlv))?;
        let domain_parameters = match (params.as_slice(), cofactor) {
            ([], None) => None,
            ([p, a, b, g, n], Some(f)) => {
                let found = Curve::ALL.into_iter().find(|c| {
                    let d = c.params();
                    p.value == d.p
                        && a.value == d.a
                        && b.value == d.b
                        && g.value == d.g
                        && n.value == d.r
                        && f.value == COFACTOR_ONE
                });
                Some(found.ok_or(CvcError::UnsupportedDomainParameters)?)
            }
            _ => {
                return Err(CvcError::decode(
                    CvcDecodeKind::Invalid(Field::DomainParameters),
                    tlv::start_offset(t),
                ));
            }
        };
        Ok(Self {
            algorithm: TaAlgorithm::EcdsaSha256,
            domain_parameters,
            point,
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.nested(0x7F49, |w| {
            w.put(0x06, self.algorithm.oid().as_bytes());
            if let Some(c) = self.domain_parameters {
                c.encode_before_point(w);
            }
            w.put(0x86, &self.point.0);
            if self.domain_parameters.is_some() {
                w.put(0x87, &COFACTOR_ONE);
            }
        });
    }
}

// Domain parameters as OpenSSL prints them (`openssl ecparam -name prime256v1|brainpoolP256r1
// -param_enc explicit`), unsigned big-endian without leading zeros, as TR-03110-3 encodes them.
const P256_P: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];
const P256_A: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC,
];
const P256_B: [u8; 32] = [
    0x5A, 0xC6, 0x35, 0xD8, 0xAA, 0x3A, 0x93, 0xE7, 0xB3, 0xEB, 0xBD, 0x55, 0x76, 0x98, 0x86, 0xBC,
    0x65, 0x1D, 0x06, 0xB0, 0xCC, 0x53, 0xB0, 0xF6, 0x3B, 0xCE, 0x3C, 0x3E, 0x27, 0xD2, 0x60, 0x4B,
];
const P256_G: [u8; 65] = [
    0x04, 0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40,
    0xF2, 0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2,
    0x96, 0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E,
    0x16, 0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51,
    0xF5,
];
const P256_R: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];
const BP256_P: [u8; 32] = [
    0xA9, 0xFB, 0x57, 0xDB, 0xA1, 0xEE, 0xA9, 0xBC, 0x3E, 0x66, 0x0A, 0x90, 0x9D, 0x83, 0x8D, 0x72,
    0x6E, 0x3B, 0xF6, 0x23, 0xD5, 0x26, 0x20, 0x28, 0x20, 0x13, 0x48, 0x1D, 0x1F, 0x6E, 0x53, 0x77,
];
const BP256_A: [u8; 32] = [
    0x7D, 0x5A, 0x09, 0x75, 0xFC, 0x2C, 0x30, 0x57, 0xEE, 0xF6, 0x75, 0x30, 0x41, 0x7A, 0xFF, 0xE7,
    0xFB, 0x80, 0x55, 0xC1, 0x26, 0xDC, 0x5C, 0x6C, 0xE9, 0x4A, 0x4B, 0x44, 0xF3, 0x30, 0xB5, 0xD9,
];
const BP256_B: [u8; 32] = [
    0x26, 0xDC, 0x5C, 0x6C, 0xE9, 0x4A, 0x4B, 0x44, 0xF3, 0x30, 0xB5, 0xD9, 0xBB, 0xD7, 0x7C, 0xBF,
    0x95, 0x84, 0x16, 0x29, 0x5C, 0xF7, 0xE1, 0xCE, 0x6B, 0xCC, 0xDC, 0x18, 0xFF, 0x8C, 0x07, 0xB6,
];
const BP256_G: [u8; 65] = [
    0x04, 0x8B, 0xD2, 0xAE, 0xB9, 0xCB, 0x7E, 0x57, 0xCB, 0x2C, 0x4B, 0x48, 0x2F, 0xFC, 0x81, 0xB7,
    0xAF, 0xB9, 0xDE, 0x27, 0xE1, 0xE3, 0xBD, 0x23, 0xC2, 0x3A, 0x44, 0x53, 0xBD, 0x9A, 0xCE, 0x32,
    0x62, 0x54, 0x7E, 0xF8, 0x35, 0xC3, 0xDA, 0xC4, 0xFD, 0x97, 0xF8, 0x46, 0x1A, 0x14, 0x61, 0x1D,
    0xC9, 0xC2, 0x77, 0x45, 0x13, 0x2D, 0xED, 0x8E, 0x54, 0x5C, 0x1D, 0x54, 0xC7, 0x2F, 0x04, 0x69,
    0x97,
];
const BP256_R: [u8; 32] = [
    0xA9, 0xFB, 0x57, 0xDB, 0xA1, 0xEE, 0xA9, 0xBC, 0x3E, 0x66, 0x0A, 0x90, 0x9D, 0x83, 0x8D, 0x71,
    0x8C, 0x39, 0x7A, 0xA3, 0xB5, 0x61, 0xA6, 0xF7, 0x90, 0x1E, 0x0E, 0x82, 0x97, 0x48, 0x56, 0xA7,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_parameters_match_the_curve_crates() {
        // The generator in the table equals each crate's generator.
        use p256::elliptic_curve::sec1::ToSec1Point as _;
        let g = p256::AffinePoint::GENERATOR.to_sec1_point(false);
        assert_eq!(g.as_bytes(), P256_G);
        let g = bp256::r1::AffinePoint::GENERATOR.to_sec1_point(false);
        assert_eq!(g.as_bytes(), BP256_G);
        let p = EcPoint::from_bytes(&P256_G).unwrap();
        assert!(Curve::NistP256.is_on_curve(&p));
        assert!(!Curve::BrainpoolP256r1.is_on_curve(&p));
    }
}
