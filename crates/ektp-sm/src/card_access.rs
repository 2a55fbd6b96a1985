//! EF.CardAccess `SecurityInfos` (ICAO 9303-11 §9.2): the `PACEInfo` entries that announce
//! PACE, and the `ActiveAuthenticationInfo` that DG14 carries for ECDSA Active
//! Authentication. Encoding and parsing use the `der` crate. The DG14 file around the set
//! (template `6E`) is `ektp_lds::Dg14`, which holds a parsed [`SecurityInfos`].
//!
//! ```text
//! SecurityInfos ::= SET OF SecurityInfo
//! SecurityInfo ::= SEQUENCE {
//!     protocol     OBJECT IDENTIFIER,
//!     requiredData ANY DEFINED BY protocol,
//!     optionalData ANY DEFINED BY protocol OPTIONAL }
//! PACEInfo ::= SEQUENCE {
//!     protocol    OBJECT IDENTIFIER (id-PACE-ECDH-GM-AES-CBC-CMAC-128 | -192 | -256 | ...),
//!     version     INTEGER, -- MUST be 2
//!     parameterId INTEGER OPTIONAL }
//! ActiveAuthenticationInfo ::= SEQUENCE {
//!     protocol           id-icao-mrtd-security-aaProtocolObject, -- 2.23.136.1.1.5
//!     version            INTEGER, -- MUST be 1
//!     signatureAlgorithm OBJECT IDENTIFIER }
//! ChipAuthenticationInfo ::= SEQUENCE {               -- ICAO 9303-11 §9.2.5
//!     protocol OBJECT IDENTIFIER (id-CA-ECDH-AES-CBC-CMAC-128 | -192 | -256),
//!     version  INTEGER, -- 1 (EAC1) or 2
//!     keyId    INTEGER OPTIONAL }
//! ChipAuthenticationPublicKeyInfo ::= SEQUENCE {      -- ICAO 9303-11 §9.2.6
//!     protocol                   id-PK-ECDH, -- 0.4.0.127.0.7.2.2.1.2
//!     chipAuthenticationPublicKey SubjectPublicKeyInfo, -- id-ecPublicKey, namedCurve
//!     keyId                      INTEGER OPTIONAL }
//! TerminalAuthenticationInfo ::= SEQUENCE {           -- ICAO 9303-11 §9.2.7
//!     protocol id-TA, -- 0.4.0.127.0.7.2.2.2
//!     version  INTEGER, -- 1 or 2
//!     efCVCA   FileID OPTIONAL }
//! ```
//!
//! Entries this crate does not implement (DH or Integrated Mapping PACE, DH Chip
//! Authentication, explicit-curve keys, ...) are kept as [`SecurityInfo::Other`] with their raw DER, so a
//! re-encoding keeps them.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode};
use ektp_iso7816::tlv;

use crate::curve::DomainParameters;
use crate::pace::{PaceParams, oid_to_dotted};
use crate::{CipherSuite, Error};

/// `id-icao-mrtd-security-aaProtocolObject` (ICAO 9303-11 §9.2.4).
pub const ID_AA: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.5");
/// `ecdsa-with-SHA256` (RFC 5758).
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// `ecdsa-with-SHA384` (RFC 5758).
pub const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// `ecdsa-with-SHA512` (RFC 5758).
pub const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// Upper bound on the number of SecurityInfo entries parsed from one file.
pub const MAX_SECURITY_INFOS: usize = 64;

#[derive(der::Sequence)]
struct RawSecurityInfo<'a> {
    protocol: ObjectIdentifier,
    required: AnyRef<'a>,
    optional: Option<AnyRef<'a>>,
}

/// One `PACEInfo` for ECDH Generic Mapping with AES.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceInfo {
    /// The AES key size from the protocol OID.
    pub cipher: CipherSuite,
    /// `parameterId`: a standardized domain parameter ID (12 P-256, 13 brainpoolP256r1, ...).
    /// `None` means the parameters are in a `PACEDomainParameterInfo`, which this crate does
    /// not support.
    pub parameter_id: Option<u32>,
}

impl PaceInfo {
    /// The `PACEInfo` announcing `params`.
    pub fn from_params(params: PaceParams) -> Self {
        Self {
            cipher: params.cipher,
            parameter_id: Some(u32::from(params.domain.id())),
        }
    }

    /// The protocol parameters to run PACE with.
    ///
    /// # Errors
    /// [`Error::MissingParameterId`] if absent, [`Error::UnsupportedDomainParameters`] if not
    /// 12 or 13.
    pub fn params(&self) -> Result<PaceParams, Error> {
        let id = self.parameter_id.ok_or(Error::MissingParameterId)?;
        Ok(PaceParams {
            domain: DomainParameters::from_id(id)?,
            cipher: self.cipher,
        })
    }
}

/// The hash of an ECDSA Active Authentication signature, named explicitly (never guessed
/// from the curve size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AaHash {
    /// SHA-256 (`ecdsa-with-SHA256`).
    Sha256,
}

impl AaHash {
    /// The signature algorithm OID DG14's ActiveAuthenticationInfo carries.
    pub fn signature_algorithm(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => ECDSA_WITH_SHA256,
        }
    }
}

/// `ActiveAuthenticationInfo` for DG14 (ICAO 9303-11 §9.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActiveAuthenticationInfo {
    /// `signatureAlgorithm`, e.g. [`ECDSA_WITH_SHA256`].
    pub signature_algorithm: ObjectIdentifier,
}

impl ActiveAuthenticationInfo {
    /// The info for ECDSA with `hash`.
    pub fn ecdsa(hash: AaHash) -> Self {
        Self {
            signature_algorithm: hash.signature_algorithm(),
        }
    }

    /// The hash the host must use to verify, if this crate supports the algorithm.
    ///
    /// # Errors
    /// [`Error::AaUnsupported`] for any algorithm but `ecdsa-with-SHA256`.
    pub fn hash(&self) -> Result<AaHash, Error> {
        if self.signature_algorithm == ECDSA_WITH_SHA256 {
            Ok(AaHash::Sha256)
        } else {
            Err(Error::AaUnsupported(
                "signature algorithm other than ecdsa-with-SHA256",
            ))
        }
    }

    /// DER encoding of the `SEQUENCE`.
    ///
    /// # Errors
    /// Never in practice (propagated from `der`).
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        SecurityInfo::ActiveAuthentication(*self).to_der()
    }
}

/// `brainpoolP256r1` (RFC 5639).
pub const BRAINPOOL_P256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7");

/// `ChipAuthenticationInfo` (ICAO 9303-11 §9.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChipAuthenticationInfo {
    /// The AES key size from `id-CA-ECDH-AES-CBC-CMAC-*`.
    pub cipher: CipherSuite,
    /// `version`: 1 (EAC1) or 2.
    pub version: u8,
    /// `keyId`, if the chip has several keys.
    pub key_id: Option<u32>,
}

/// `ChipAuthenticationPublicKeyInfo` with an ECDH key on standardized domain parameters
/// (ICAO 9303-11 §9.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChipAuthenticationPublicKeyInfo {
    /// The curve, from the SubjectPublicKeyInfo's named curve.
    pub domain: DomainParameters,
    /// The chip's static public key (uncompressed point, validated on the curve).
    pub public_key: crate::EcPoint,
    /// `keyId`, if the chip has several keys.
    pub key_id: Option<u32>,
}

/// `TerminalAuthenticationInfo` (ICAO 9303-11 §9.2.7) without `efCVCA`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TerminalAuthenticationInfo {
    /// `version`: 1 (EAC1) or 2.
    pub version: u8,
}

#[derive(der::Sequence)]
struct EcAlgorithm {
    algorithm: ObjectIdentifier,
    curve: ObjectIdentifier,
}

#[derive(der::Sequence)]
struct EcSpki<'a> {
    algorithm: EcAlgorithm,
    key: der::asn1::BitStringRef<'a>,
}

fn curve_oid(domain: DomainParameters) -> ObjectIdentifier {
    match domain {
        DomainParameters::NistP256 => crate::aa::PRIME256V1,
        DomainParameters::BrainpoolP256r1 => BRAINPOOL_P256R1,
    }
}

fn bad(what: &'static str, tag: der::Tag) -> Error {
    Error::Der {
        what,
        source: tag.value_error().into(),
    }
}

/// One entry of a `SecurityInfos` set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityInfo {
    /// PACE with ECDH Generic Mapping and AES.
    Pace(PaceInfo),
    /// Active Authentication (DG14).
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// Chip Authentication with ECDH (DG14).
    ChipAuthentication(ChipAuthenticationInfo),
    /// The chip's Chip Authentication public key (DG14).
    ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo),
    /// Terminal Authentication (DG14).
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// Anything else, kept as its DER encoding.
    Other {
        /// The protocol OID.
        protocol: ObjectIdentifier,
        /// The entry's complete DER encoding.
        der: Vec<u8>,
    },
}

impl SecurityInfo {
    /// Parses one `SecurityInfo` SEQUENCE.
    ///
    /// # Errors
    /// [`Error::Der`] if malformed, or if a PACE/AA entry has the wrong version.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "SecurityInfo";
        let raw = RawSecurityInfo::from_der(bytes).map_err(Error::der(WHAT))?;
        let oid = raw.protocol;
        if let Ok(cipher) = PaceParams::cipher_from_oid_bytes(oid.as_bytes()) {
            let version: u32 = raw.required.decode_as().map_err(Error::der(WHAT))?;
            if version != 2 {
                return Err(Error::Der {
                    what: "PACEInfo version (must be 2)",
                    source: der::Tag::Integer.value_error().into(),
                });
            }
            let parameter_id = raw
                .optional
                .map(|a| a.decode_as::<u32>())
                .transpose()
                .map_err(Error::der(WHAT))?;
            return Ok(Self::Pace(PaceInfo {
                cipher,
                parameter_id,
            }));
        }
        if oid == ID_AA {
            let version: u32 = raw.required.decode_as().map_err(Error::der(WHAT))?;
            let alg: ObjectIdentifier = raw
                .optional
                .ok_or_else(|| Error::Der {
                    what: "ActiveAuthenticationInfo signatureAlgorithm",
                    source: der::Tag::ObjectIdentifier.value_error().into(),
                })?
                .decode_as()
                .map_err(Error::der(WHAT))?;
            if version != 1 {
                return Err(Error::Der {
                    what: "ActiveAuthenticationInfo version (must be 1)",
                    source: der::Tag::Integer.value_error().into(),
                });
            }
            return Ok(Self::ActiveAuthentication(ActiveAuthenticationInfo {
                signature_algorithm: alg,
            }));
        }
        if let Ok(cipher) = crate::ca::cipher_from_oid_bytes(oid.as_bytes()) {
            let version: u8 = raw.required.decode_as().map_err(Error::der(WHAT))?;
            if !matches!(version, 1 | 2) {
                return Err(bad(
                    "ChipAuthenticationInfo version (must be 1 or 2)",
                    der::Tag::Integer,
                ));
            }
            let key_id = raw
                .optional
                .map(|a| a.decode_as::<u32>())
                .transpose()
                .map_err(Error::der(WHAT))?;
            return Ok(Self::ChipAuthentication(ChipAuthenticationInfo {
                cipher,
                version,
                key_id,
            }));
        }
        if oid == crate::ca::ID_PK_ECDH {
            let spki: EcSpki<'_> = raw.required.decode_as().map_err(Error::der(WHAT))?;
            if spki.algorithm.algorithm != crate::aa::ID_EC_PUBLIC_KEY {
                return Err(bad(
                    "ChipAuthenticationPublicKeyInfo algorithm",
                    der::Tag::ObjectIdentifier,
                ));
            }
            let domain = if spki.algorithm.curve == crate::aa::PRIME256V1 {
                DomainParameters::NistP256
            } else if spki.algorithm.curve == BRAINPOOL_P256R1 {
                DomainParameters::BrainpoolP256r1
            } else {
                // Explicit or other curves: kept as they are.
                return Ok(Self::Other {
                    protocol: oid,
                    der: bytes.to_vec(),
                });
            };
            let point = spki
                .key
                .as_bytes()
                .ok_or_else(|| bad("ChipAuthenticationPublicKeyInfo key", der::Tag::BitString))?;
            let public_key = domain.decode_point(point).map_err(|_| {
                bad(
                    "ChipAuthenticationPublicKeyInfo key point",
                    der::Tag::BitString,
                )
            })?;
            let key_id = raw
                .optional
                .map(|a| a.decode_as::<u32>())
                .transpose()
                .map_err(Error::der(WHAT))?;
            return Ok(Self::ChipAuthenticationPublicKey(
                ChipAuthenticationPublicKeyInfo {
                    domain,
                    public_key,
                    key_id,
                },
            ));
        }
        if oid == crate::ta::ID_TA && raw.optional.is_none() {
            let version: u8 = raw.required.decode_as().map_err(Error::der(WHAT))?;
            if !matches!(version, 1 | 2) {
                return Err(bad(
                    "TerminalAuthenticationInfo version (must be 1 or 2)",
                    der::Tag::Integer,
                ));
            }
            return Ok(Self::TerminalAuthentication(TerminalAuthenticationInfo {
                version,
            }));
        }
        Ok(Self::Other {
            protocol: oid,
            der: bytes.to_vec(),
        })
    }

    /// DER encoding of this entry.
    ///
    /// # Errors
    /// Never in practice (propagated from `der`).
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        const WHAT: &str = "SecurityInfo encoding";
        let err = Error::der(WHAT);
        match self {
            Self::Pace(p) => {
                let oid_bytes = PaceParams {
                    domain: DomainParameters::NistP256,
                    cipher: p.cipher,
                }
                .oid_bytes();
                let oid = ObjectIdentifier::from_bytes(&oid_bytes).map_err(|e| Error::Der {
                    what: WHAT,
                    source: e.into(),
                })?;
                let version = 2u32.to_der().map_err(Error::der(WHAT))?;
                let param = p
                    .parameter_id
                    .map(|id| id.to_der())
                    .transpose()
                    .map_err(Error::der(WHAT))?;
                let required = AnyRef::from_der(&version).map_err(Error::der(WHAT))?;
                let optional = param
                    .as_deref()
                    .map(AnyRef::from_der)
                    .transpose()
                    .map_err(Error::der(WHAT))?;
                RawSecurityInfo {
                    protocol: oid,
                    required,
                    optional,
                }
                .to_der()
                .map_err(err)
            }
            Self::ActiveAuthentication(aa) => {
                let version = 1u32.to_der().map_err(Error::der(WHAT))?;
                let alg = aa.signature_algorithm.to_der().map_err(Error::der(WHAT))?;
                RawSecurityInfo {
                    protocol: ID_AA,
                    required: AnyRef::from_der(&version).map_err(Error::der(WHAT))?,
                    optional: Some(AnyRef::from_der(&alg).map_err(Error::der(WHAT))?),
                }
                .to_der()
                .map_err(err)
            }
            Self::ChipAuthentication(ca) => {
                let oid = ObjectIdentifier::from_bytes(&crate::ca::oid_bytes(ca.cipher)).map_err(
                    |e| Error::Der {
                        what: WHAT,
                        source: e.into(),
                    },
                )?;
                let version = ca.version.to_der().map_err(Error::der(WHAT))?;
                let key_id = ca
                    .key_id
                    .map(|id| id.to_der())
                    .transpose()
                    .map_err(Error::der(WHAT))?;
                RawSecurityInfo {
                    protocol: oid,
                    required: AnyRef::from_der(&version).map_err(Error::der(WHAT))?,
                    optional: key_id
                        .as_deref()
                        .map(AnyRef::from_der)
                        .transpose()
                        .map_err(Error::der(WHAT))?,
                }
                .to_der()
                .map_err(err)
            }
            Self::ChipAuthenticationPublicKey(pk) => {
                let spki = EcSpki {
                    algorithm: EcAlgorithm {
                        algorithm: crate::aa::ID_EC_PUBLIC_KEY,
                        curve: curve_oid(pk.domain),
                    },
                    key: der::asn1::BitStringRef::from_bytes(pk.public_key.as_bytes())
                        .map_err(Error::der(WHAT))?,
                }
                .to_der()
                .map_err(Error::der(WHAT))?;
                let key_id = pk
                    .key_id
                    .map(|id| id.to_der())
                    .transpose()
                    .map_err(Error::der(WHAT))?;
                RawSecurityInfo {
                    protocol: crate::ca::ID_PK_ECDH,
                    required: AnyRef::from_der(&spki).map_err(Error::der(WHAT))?,
                    optional: key_id
                        .as_deref()
                        .map(AnyRef::from_der)
                        .transpose()
                        .map_err(Error::der(WHAT))?,
                }
                .to_der()
                .map_err(err)
            }
            Self::TerminalAuthentication(ta) => {
                let version = ta.version.to_der().map_err(Error::der(WHAT))?;
                RawSecurityInfo {
                    protocol: crate::ta::ID_TA,
                    required: AnyRef::from_der(&version).map_err(Error::der(WHAT))?,
                    optional: None,
                }
                .to_der()
                .map_err(err)
            }
            Self::Other { der, .. } => Ok(der.clone()),
        }
    }
}

/// A `SecurityInfos` set: the content of EF.CardAccess (and of DG14).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityInfos(pub Vec<SecurityInfo>);

impl SecurityInfos {
    /// Parses `SET OF SecurityInfo`. The set's element order is not checked (real cards do not
    /// always sort), but each element must be a well-formed `SecurityInfo`.
    ///
    /// # Errors
    /// [`Error::Decode`] if the outer SET is malformed or has trailing bytes; [`Error::Der`]
    /// for a malformed entry; more than [`MAX_SECURITY_INFOS`] entries.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "SecurityInfos";
        let set = tlv::parse_one(bytes)
            .and_then(|t| t.expect_tag(0x31))
            .map_err(Error::decode(WHAT))?;
        let mut r = set.children().map_err(Error::decode(WHAT))?;
        let mut out = Vec::new();
        while let Some(item) = r.next_tlv().map_err(Error::decode(WHAT))? {
            if out.len() >= MAX_SECURITY_INFOS {
                return Err(Error::Decode {
                    what: WHAT,
                    source: ektp_iso7816::DecodeError::new(
                        ektp_iso7816::DecodeErrorKind::Invalid("too many SecurityInfo entries"),
                        item.value_offset,
                    ),
                });
            }
            out.push(SecurityInfo::from_der(item.raw)?);
        }
        Ok(Self(out))
    }

    /// DER encoding, elements sorted as DER requires for SET OF.
    ///
    /// # Errors
    /// Never in practice (propagated from `der`).
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        let mut items = self
            .0
            .iter()
            .map(SecurityInfo::to_der)
            .collect::<Result<Vec<_>, _>>()?;
        items.sort();
        Ok(tlv::encode(0x31, &items.concat()))
    }

    /// EF.CardAccess announcing exactly `params`.
    pub fn for_pace(params: &[PaceParams]) -> Self {
        Self(
            params
                .iter()
                .map(|p| SecurityInfo::Pace(PaceInfo::from_params(*p)))
                .collect(),
        )
    }

    /// The PACE parameters announced, in file order, skipping entries this crate cannot run.
    pub fn pace_params(&self) -> Vec<PaceParams> {
        self.0
            .iter()
            .filter_map(|i| match i {
                SecurityInfo::Pace(p) => p.params().ok(),
                _ => None,
            })
            .collect()
    }

    /// The ActiveAuthenticationInfo, if present.
    pub fn active_authentication(&self) -> Option<&ActiveAuthenticationInfo> {
        self.0.iter().find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(a) => Some(a),
            _ => None,
        })
    }
}

impl SecurityInfos {
    /// The Chip Authentication protocol and key to run it with: the first
    /// ChipAuthenticationInfo whose keyId matches a ChipAuthenticationPublicKeyInfo (both
    /// without keyId also match), if any.
    pub fn chip_authentication(
        &self,
    ) -> Option<(ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo)> {
        self.0.iter().find_map(|i| match i {
            SecurityInfo::ChipAuthentication(ca) => self.0.iter().find_map(|j| match j {
                SecurityInfo::ChipAuthenticationPublicKey(pk) if pk.key_id == ca.key_id => {
                    Some((*ca, *pk))
                }
                _ => None,
            }),
            _ => None,
        })
    }

    /// The TerminalAuthenticationInfo, if present.
    pub fn terminal_authentication(&self) -> Option<&TerminalAuthenticationInfo> {
        self.0.iter().find_map(|i| match i {
            SecurityInfo::TerminalAuthentication(t) => Some(t),
            _ => None,
        })
    }
}

/// The dotted OID string of a `SecurityInfo::Other` (for messages).
pub fn dotted(oid: &ObjectIdentifier) -> String {
    oid_to_dotted(oid.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_g1_card_access() {
        let bytes = hex::decode("31143012060A04007F0007020204020202010202010D").unwrap();
        let infos = SecurityInfos::from_der(&bytes).unwrap();
        assert_eq!(
            infos.pace_params(),
            vec![PaceParams {
                domain: DomainParameters::BrainpoolP256r1,
                cipher: CipherSuite::Aes128
            }]
        );
        assert_eq!(infos.to_der().unwrap(), bytes);
    }

    #[test]
    fn keeps_unknown_and_skips_unsupported() {
        // GM AES-128 param 13, then CAM AES-128 param 13 (kept as Other).
        let bytes = hex::decode(
            "31283012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D",
        )
        .unwrap();
        let infos = SecurityInfos::from_der(&bytes).unwrap();
        assert_eq!(infos.0.len(), 2);
        assert!(matches!(infos.0[1], SecurityInfo::Other { .. }));
        assert_eq!(infos.pace_params().len(), 1);
        assert_eq!(infos.to_der().unwrap(), bytes);
    }

    #[test]
    fn aa_info_round_trip() {
        let aa = ActiveAuthenticationInfo::ecdsa(AaHash::Sha256);
        let der = aa.to_der().unwrap();
        // 30 15 06 06 67 81 08 01 01 05 02 01 01 06 08 2A 86 48 CE 3D 04 03 02
        assert_eq!(
            hex::encode_upper(&der),
            "3015060667810801010502010106082A8648CE3D040302"
        );
        let parsed = SecurityInfo::from_der(&der).unwrap();
        assert_eq!(parsed, SecurityInfo::ActiveAuthentication(aa));
        assert_eq!(aa.hash().unwrap(), AaHash::Sha256);
        let sha384 = ActiveAuthenticationInfo {
            signature_algorithm: ECDSA_WITH_SHA384,
        };
        assert!(sha384.hash().is_err());
    }

    #[test]
    fn eac_infos_round_trip() {
        let sk = [7u8; 32];
        let public_key = DomainParameters::NistP256.mul_base(&sk).unwrap();
        let infos = SecurityInfos(vec![
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo::ecdsa(AaHash::Sha256)),
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                cipher: CipherSuite::Aes128,
                version: 1,
                key_id: None,
            }),
            SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
                domain: DomainParameters::NistP256,
                public_key,
                key_id: None,
            }),
            SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo { version: 1 }),
        ]);
        let der = infos.to_der().unwrap();
        let back = SecurityInfos::from_der(&der).unwrap();
        assert_eq!(back.0.len(), 4);
        for i in &infos.0 {
            assert!(back.0.contains(i), "{i:?}");
        }
        assert_eq!(back.to_der().unwrap(), der);
        let (ca, pk) = back.chip_authentication().unwrap();
        assert_eq!(ca.cipher, CipherSuite::Aes128);
        assert_eq!(pk.public_key, public_key);
        assert_eq!(back.terminal_authentication().unwrap().version, 1);
        // ChipAuthenticationInfo id-CA-ECDH-AES-CBC-CMAC-128, version 1.
        let ca_der = SecurityInfo::ChipAuthentication(ca).to_der().unwrap();
        assert_eq!(
            hex::encode_upper(&ca_der),
            "300F060A04007F00070202030202020101"
        );
        // keyId mismatch: no usable pair.
        let mismatched = SecurityInfos(vec![
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                key_id: Some(2),
                ..ca
            }),
            SecurityInfo::ChipAuthenticationPublicKey(pk),
        ]);
        assert!(mismatched.chip_authentication().is_none());
        // A point off the curve is refused.
        let mut bad_der = SecurityInfo::ChipAuthenticationPublicKey(pk)
            .to_der()
            .unwrap();
        let last = bad_der.len() - 1;
        bad_der[last] ^= 1;
        assert!(SecurityInfo::from_der(&bad_der).is_err());
        // Version 3 is refused.
        let v3 = hex::decode("300F060A04007F00070202030202020103").unwrap();
        assert!(SecurityInfo::from_der(&v3).is_err());
    }

    #[test]
    fn rejects_wrong_versions_and_garbage() {
        // PACEInfo with version 1.
        let v1 = hex::decode("3012060A04007F0007020204020202010102010D").unwrap();
        assert!(SecurityInfo::from_der(&v1).is_err());
        assert!(SecurityInfos::from_der(&[0x31, 0x02, 0x30]).is_err());
        assert!(SecurityInfos::from_der(&[0x30, 0x00]).is_err());
        assert!(SecurityInfos::from_der(&[0x31, 0x00, 0x00]).is_err());
        assert_eq!(SecurityInfos::from_der(&[0x31, 0x00]).unwrap().0.len(), 0);
    }
}
