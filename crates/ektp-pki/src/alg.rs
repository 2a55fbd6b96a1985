//! Algorithm identifiers, public keys and signature verification through `ring`.

use der::asn1::{Any, BitString, ObjectIdentifier};
use der::{Decode, Encode, Sequence};
use ring::signature as rs;

use crate::error::{DecodeKind, PkiError, Result, Structure};

/// Object identifiers used by this crate.
pub mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    /// NIST FIPS 180-4 SHA-256.
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// NIST FIPS 180-4 SHA-384.
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// NIST FIPS 180-4 SHA-512.
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// RFC 5480 id-ecPublicKey.
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// RFC 5480 secp256r1 (P-256).
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// RFC 5480 secp384r1 (P-384).
    pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// RFC 5758 ecdsa-with-SHA256.
    pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// RFC 5758 ecdsa-with-SHA384.
    pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    /// RFC 5758 ecdsa-with-SHA512.
    pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    /// RFC 8017 rsaEncryption.
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// RFC 8017 sha256WithRSAEncryption.
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// RFC 8017 sha384WithRSAEncryption.
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    /// RFC 8017 sha512WithRSAEncryption.
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    /// RFC 8017 id-RSASSA-PSS.
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// RFC 8017 id-mgf1.
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    /// RFC 5652 id-data.
    pub const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// RFC 5652 id-signedData.
    pub const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// RFC 5652 id-contentType.
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// RFC 5652 id-messageDigest.
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// RFC 5652 id-signingTime.
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
    /// ICAO 9303-10 §4.6.2 id-icao-mrtd-security-ldsSecurityObject.
    pub const LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");
    /// X.520 countryName.
    pub const COUNTRY_NAME: Oid = Oid::new_unwrap("2.5.4.6");
    /// ektp's arc for its own objects. A PLACEHOLDER, not registered to ektp
    /// (`1.3.6.1.4.1.99999` is commonly used as an example private enterprise number): the
    /// department substitutes an arc it owns (e.g. under Indonesia's `2.16.360`) before
    /// production; `docs/registry.md` says where.
    pub const EKTP_ARC: &str = "1.3.6.1.4.1.99999.360";
    /// eContentType of the signed revocation list (`EKTP_ARC.1.1`, see
    /// [`crate::revocation_list`]).
    pub const REVOCATION_LIST: Oid = Oid::new_unwrap("1.3.6.1.4.1.99999.360.1.1");
    /// Extended key usage of the revocation signer certificate (`EKTP_ARC.1.2`): the only
    /// certificates whose revocation lists are accepted. A document signer (no such purpose)
    /// cannot sign one.
    pub const REVOCATION_SIGNER: Oid = Oid::new_unwrap("1.3.6.1.4.1.99999.360.1.2");
}

/// RFC 5280 §4.1.1.2:
///
/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {
///     algorithm   OBJECT IDENTIFIER,
///     parameters  ANY DEFINED BY algorithm OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub algorithm: ObjectIdentifier,
    /// Its parameters, kept as raw DER.
    pub parameters: Option<Any>,
}

impl AlgorithmIdentifier {
    fn params_absent_or_null(&self) -> bool {
        self.parameters.as_ref().is_none_or(Any::is_null)
    }
}

/// RFC 8017 appendix A.2.3:
///
/// ```text
/// RSASSA-PSS-params ::= SEQUENCE {
///     hashAlgorithm      [0] HashAlgorithm      DEFAULT sha1,
///     maskGenAlgorithm   [1] MaskGenAlgorithm   DEFAULT mgf1SHA1,
///     saltLength         [2] INTEGER            DEFAULT 20,
///     trailerField       [3] TrailerField       DEFAULT trailerFieldBC }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct RsaPssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifier>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifier>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u8>,
}

/// RFC 5280 §4.1.2.7:
///
/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE {
///     algorithm         AlgorithmIdentifier,
///     subjectPublicKey  BIT STRING }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SubjectPublicKeyInfo {
    pub(crate) algorithm: AlgorithmIdentifier,
    pub(crate) subject_public_key: BitString,
}

/// A message digest algorithm accepted for data group hashes and CMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-256 (the default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm's object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => oid::SHA256,
            Self::Sha384 => oid::SHA384,
            Self::Sha512 => oid::SHA512,
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Self::Sha256 => &ring::digest::SHA256,
            Self::Sha384 => &ring::digest::SHA384,
            Self::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }

    /// The identifier as written by this crate (parameters absent, as RFC 5754 §2 prefers).
    pub fn identifier(self) -> AlgorithmIdentifier {
        AlgorithmIdentifier {
            algorithm: self.oid(),
            parameters: None,
        }
    }

    /// Reads a digest algorithm identifier (parameters absent or NULL).
    ///
    /// # Errors
    /// [`PkiError::UnsupportedAlgorithm`] for anything but SHA-256/384/512.
    pub fn from_identifier(id: &AlgorithmIdentifier) -> Result<Self> {
        let alg = Self::from_oid(id.algorithm)?;
        if !id.params_absent_or_null() {
            return Err(PkiError::UnsupportedAlgorithm {
                oid: id.algorithm,
                reason: "digest algorithm parameters must be absent or NULL",
            });
        }
        Ok(alg)
    }

    fn from_oid(o: ObjectIdentifier) -> Result<Self> {
        match o {
            oid::SHA256 => Ok(Self::Sha256),
            oid::SHA384 => Ok(Self::Sha384),
            oid::SHA512 => Ok(Self::Sha512),
            _ => Err(PkiError::UnsupportedAlgorithm {
                oid: o,
                reason: "only SHA-256, SHA-384 and SHA-512 are accepted",
            }),
        }
    }
}

impl core::fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// A signature algorithm (the curve or modulus size comes from the key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// ECDSA with SHA-256 (RFC 5758).
    EcdsaSha256,
    /// ECDSA with SHA-384.
    EcdsaSha384,
    /// ECDSA with SHA-512 (verification only, through RustCrypto `p256`/`p384`).
    EcdsaSha512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RsaPkcs1Sha384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RsaPkcs1Sha512,
    /// RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32.
    RsaPssSha256,
    /// RSASSA-PSS, SHA-384, MGF1-SHA-384, salt length 48.
    RsaPssSha384,
    /// RSASSA-PSS, SHA-512, MGF1-SHA-512, salt length 64.
    RsaPssSha512,
}

impl core::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::EcdsaSha256 => "ECDSA with SHA-256",
            Self::EcdsaSha384 => "ECDSA with SHA-384",
            Self::EcdsaSha512 => "ECDSA with SHA-512",
            Self::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 with SHA-256",
            Self::RsaPkcs1Sha384 => "RSA PKCS#1 v1.5 with SHA-384",
            Self::RsaPkcs1Sha512 => "RSA PKCS#1 v1.5 with SHA-512",
            Self::RsaPssSha256 => "RSASSA-PSS with SHA-256",
            Self::RsaPssSha384 => "RSASSA-PSS with SHA-384",
            Self::RsaPssSha512 => "RSASSA-PSS with SHA-512",
        })
    }
}

impl SignatureAlgorithm {
    /// The hash the algorithm signs with.
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::EcdsaSha256 | Self::RsaPkcs1Sha256 | Self::RsaPssSha256 => {
                DigestAlgorithm::Sha256
            }
            Self::EcdsaSha384 | Self::RsaPkcs1Sha384 | Self::RsaPssSha384 => {
                DigestAlgorithm::Sha384
            }
            Self::EcdsaSha512 | Self::RsaPkcs1Sha512 | Self::RsaPssSha512 => {
                DigestAlgorithm::Sha512
            }
        }
    }

    /// The AlgorithmIdentifier written into certificates and SignerInfo.
    ///
    /// # Errors
    /// [`PkiError::Encode`] only if DER encoding of the PSS parameters fails.
    pub fn identifier(self) -> Result<AlgorithmIdentifier> {
        let (algorithm, parameters) = match self {
            Self::EcdsaSha256 => (oid::ECDSA_WITH_SHA256, None),
            Self::EcdsaSha384 => (oid::ECDSA_WITH_SHA384, None),
            Self::EcdsaSha512 => (oid::ECDSA_WITH_SHA512, None),
            Self::RsaPkcs1Sha256 => (oid::SHA256_WITH_RSA, Some(Any::null())),
            Self::RsaPkcs1Sha384 => (oid::SHA384_WITH_RSA, Some(Any::null())),
            Self::RsaPkcs1Sha512 => (oid::SHA512_WITH_RSA, Some(Any::null())),
            Self::RsaPssSha256 | Self::RsaPssSha384 | Self::RsaPssSha512 => {
                let h = self.digest();
                let mgf_hash = Any::encode_from(&h.identifier()).map_err(PkiError::Encode)?;
                let params = RsaPssParams {
                    hash: Some(h.identifier()),
                    mask_gen: Some(AlgorithmIdentifier {
                        algorithm: oid::MGF1,
                        parameters: Some(mgf_hash),
                    }),
                    salt_length: u32::try_from(h.output_len()).ok(),
                    trailer_field: None,
                };
                let any = Any::encode_from(&params).map_err(PkiError::Encode)?;
                (oid::RSASSA_PSS, Some(any))
            }
        };
        Ok(AlgorithmIdentifier {
            algorithm,
            parameters,
        })
    }

    /// Reads a signature algorithm identifier.
    ///
    /// CMS signers often write the key algorithm (`rsaEncryption`, `id-ecPublicKey`) as the
    /// SignerInfo signatureAlgorithm and give the hash in digestAlgorithm; `digest_hint`
    /// supplies that hash. Certificates and CRLs pass `None`.
    ///
    /// # Errors
    /// [`PkiError::UnsupportedAlgorithm`] for unknown algorithms, SHA-1, or RSASSA-PSS
    /// parameters `ring` cannot verify (MGF1 hash different from the hash, salt length other
    /// than the hash length, trailer field other than 1).
    pub fn from_identifier(
        id: &AlgorithmIdentifier,
        digest_hint: Option<DigestAlgorithm>,
    ) -> Result<Self> {
        let unsupported = |reason| PkiError::UnsupportedAlgorithm {
            oid: id.algorithm,
            reason,
        };
        let no_params = |alg: Self| {
            if id.params_absent_or_null() {
                Ok(alg)
            } else {
                Err(unsupported("unexpected algorithm parameters"))
            }
        };
        match (id.algorithm, digest_hint) {
            (oid::ECDSA_WITH_SHA256, _) => no_params(Self::EcdsaSha256),
            (oid::ECDSA_WITH_SHA384, _) => no_params(Self::EcdsaSha384),
            (oid::ECDSA_WITH_SHA512, _) => no_params(Self::EcdsaSha512),
            (oid::SHA256_WITH_RSA, _) => no_params(Self::RsaPkcs1Sha256),
            (oid::SHA384_WITH_RSA, _) => no_params(Self::RsaPkcs1Sha384),
            (oid::SHA512_WITH_RSA, _) => no_params(Self::RsaPkcs1Sha512),
            (oid::RSA_ENCRYPTION, Some(d)) => no_params(match d {
                DigestAlgorithm::Sha256 => Self::RsaPkcs1Sha256,
                DigestAlgorithm::Sha384 => Self::RsaPkcs1Sha384,
                DigestAlgorithm::Sha512 => Self::RsaPkcs1Sha512,
            }),
            (oid::EC_PUBLIC_KEY, Some(d)) => Ok(match d {
                DigestAlgorithm::Sha256 => Self::EcdsaSha256,
                DigestAlgorithm::Sha384 => Self::EcdsaSha384,
                DigestAlgorithm::Sha512 => Self::EcdsaSha512,
            }),
            (oid::RSASSA_PSS, _) => Self::from_pss_params(id),
            _ => Err(unsupported(
                "only ECDSA, RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-256/384/512 are accepted",
            )),
        }
    }

    fn from_pss_params(id: &AlgorithmIdentifier) -> Result<Self> {
        let unsupported = |reason| PkiError::UnsupportedAlgorithm {
            oid: id.algorithm,
            reason,
        };
        let params: RsaPssParams = id
            .parameters
            .as_ref()
            .ok_or_else(|| unsupported("RSASSA-PSS parameters are missing"))?
            .decode_as()
            .map_err(|e| PkiError::der(Structure::PublicKey, e))?;
        let hash = params
            .hash
            .as_ref()
            .ok_or_else(|| unsupported("RSASSA-PSS with the default SHA-1 hash is not accepted"))
            .and_then(DigestAlgorithm::from_identifier)?;
        let mgf = params
            .mask_gen
            .as_ref()
            .ok_or_else(|| unsupported("RSASSA-PSS with the default MGF1-SHA-1 is not accepted"))?;
        if mgf.algorithm != oid::MGF1 {
            return Err(unsupported(
                "RSASSA-PSS mask generation function is not MGF1",
            ));
        }
        let mgf_hash: AlgorithmIdentifier = mgf
            .parameters
            .as_ref()
            .ok_or_else(|| unsupported("MGF1 hash parameter is missing"))?
            .decode_as()
            .map_err(|e| PkiError::der(Structure::PublicKey, e))?;
        if DigestAlgorithm::from_identifier(&mgf_hash)? != hash {
            return Err(unsupported(
                "RSASSA-PSS MGF1 hash differs from the message hash (ring verifies only equal hashes)",
            ));
        }
        let salt = params.salt_length.unwrap_or(20);
        if usize::try_from(salt).ok() != Some(hash.output_len()) {
            return Err(unsupported(
                "RSASSA-PSS salt length differs from the hash length (ring verifies only salt length = hash length)",
            ));
        }
        if params.trailer_field.unwrap_or(1) != 1 {
            return Err(unsupported("RSASSA-PSS trailer field must be 1 (0xBC)"));
        }
        Ok(match hash {
            DigestAlgorithm::Sha256 => Self::RsaPssSha256,
            DigestAlgorithm::Sha384 => Self::RsaPssSha384,
            DigestAlgorithm::Sha512 => Self::RsaPssSha512,
        })
    }
}

/// A public key taken from a SubjectPublicKeyInfo.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// P-256 uncompressed point.
    EcP256(Vec<u8>),
    /// P-384 uncompressed point.
    EcP384(Vec<u8>),
    /// RSAPublicKey (PKCS#1) DER.
    Rsa(Vec<u8>),
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (name, len) = match self {
            Self::EcP256(k) => ("EcP256", k.len()),
            Self::EcP384(k) => ("EcP384", k.len()),
            Self::Rsa(k) => ("Rsa", k.len()),
        };
        write!(f, "PublicKey::{name}({len} bytes)")
    }
}

impl PublicKey {
    /// Parses a DER SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// [`PkiError::Decode`] if malformed, [`PkiError::UnsupportedAlgorithm`] for other key
    /// types or curves.
    pub fn from_spki_der(spki: &[u8]) -> Result<Self> {
        let info = SubjectPublicKeyInfo::from_der(spki)
            .map_err(|e| PkiError::der(Structure::PublicKey, e))?;
        let bits = info
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| {
                PkiError::decode(
                    Structure::PublicKey,
                    DecodeKind::Der(der::ErrorKind::Length {
                        tag: der::Tag::BitString,
                    }),
                )
            })?
            .to_vec();
        let alg = &info.algorithm;
        match alg.algorithm {
            oid::EC_PUBLIC_KEY => {
                let curve: ObjectIdentifier = alg
                    .parameters
                    .as_ref()
                    .ok_or(PkiError::UnsupportedAlgorithm {
                        oid: alg.algorithm,
                        reason: "EC key without named curve",
                    })?
                    .decode_as()
                    .map_err(|e| PkiError::der(Structure::PublicKey, e))?;
                match curve {
                    oid::SECP256R1 => Ok(Self::EcP256(bits)),
                    oid::SECP384R1 => Ok(Self::EcP384(bits)),
                    other => Err(PkiError::UnsupportedAlgorithm {
                        oid: other,
                        reason: "only the P-256 and P-384 curves are accepted",
                    }),
                }
            }
            oid::RSA_ENCRYPTION | oid::RSASSA_PSS => Ok(Self::Rsa(bits)),
            other => Err(PkiError::UnsupportedAlgorithm {
                oid: other,
                reason: "only EC (P-256, P-384) and RSA public keys are accepted",
            }),
        }
    }

    /// The raw key bytes as `ring` takes them (EC point or RSAPublicKey DER).
    pub fn raw(&self) -> &[u8] {
        match self {
            Self::EcP256(k) | Self::EcP384(k) | Self::Rsa(k) => k,
        }
    }

    /// Verifies `signature` over `message`.
    ///
    /// # Errors
    /// [`VerifyError`] says whether the algorithm does not fit the key, is unsupported, or
    /// the signature is wrong.
    pub fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> core::result::Result<(), VerifyError> {
        use SignatureAlgorithm as S;
        let ring_alg: &dyn rs::VerificationAlgorithm = match (self, alg) {
            (Self::EcP256(_), S::EcdsaSha256) => &rs::ECDSA_P256_SHA256_ASN1,
            (Self::EcP256(_), S::EcdsaSha384) => &rs::ECDSA_P256_SHA384_ASN1,
            (Self::EcP384(_), S::EcdsaSha256) => &rs::ECDSA_P384_SHA256_ASN1,
            (Self::EcP384(_), S::EcdsaSha384) => &rs::ECDSA_P384_SHA384_ASN1,
            (Self::EcP256(point), S::EcdsaSha512) => {
                return ecdsa_sha512_p256(point, message, signature);
            }
            (Self::EcP384(point), S::EcdsaSha512) => {
                return ecdsa_sha512_p384(point, message, signature);
            }
            (Self::Rsa(_), S::RsaPkcs1Sha256) => &rs::RSA_PKCS1_2048_8192_SHA256,
            (Self::Rsa(_), S::RsaPkcs1Sha384) => &rs::RSA_PKCS1_2048_8192_SHA384,
            (Self::Rsa(_), S::RsaPkcs1Sha512) => &rs::RSA_PKCS1_2048_8192_SHA512,
            (Self::Rsa(_), S::RsaPssSha256) => &rs::RSA_PSS_2048_8192_SHA256,
            (Self::Rsa(_), S::RsaPssSha384) => &rs::RSA_PSS_2048_8192_SHA384,
            (Self::Rsa(_), S::RsaPssSha512) => &rs::RSA_PSS_2048_8192_SHA512,
            _ => return Err(VerifyError::KeyMismatch(alg)),
        };
        rs::UnparsedPublicKey::new(ring_alg, self.raw())
            .verify(message, signature)
            .map_err(|_| VerifyError::BadSignature)
    }
}

/// ECDSA P-256 with SHA-512 (RustCrypto: `ring` 0.17 lacks it). The digest is truncated to
/// the curve order's length as FIPS 186-5 §6.4.2 requires; `verify_prehash` does that.
fn ecdsa_sha512_p256(
    point: &[u8],
    message: &[u8],
    signature: &[u8],
) -> core::result::Result<(), VerifyError> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let key =
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| VerifyError::BadSignature)?;
    let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| VerifyError::BadSignature)?;
    key.verify_prehash(&DigestAlgorithm::Sha512.digest(message), &sig)
        .map_err(|_| VerifyError::BadSignature)
}

/// ECDSA P-384 with SHA-512 (RustCrypto), as [`ecdsa_sha512_p256`].
fn ecdsa_sha512_p384(
    point: &[u8],
    message: &[u8],
    signature: &[u8],
) -> core::result::Result<(), VerifyError> {
    use p384::ecdsa::signature::hazmat::PrehashVerifier;
    let key =
        p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| VerifyError::BadSignature)?;
    let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| VerifyError::BadSignature)?;
    key.verify_prehash(&DigestAlgorithm::Sha512.digest(message), &sig)
        .map_err(|_| VerifyError::BadSignature)
}

/// Why a signature did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VerifyError {
    /// The algorithm does not fit the key type (e.g. ECDSA with an RSA key).
    #[error("{0} does not fit the key type")]
    KeyMismatch(SignatureAlgorithm),
    /// `ring` cannot verify this algorithm.
    #[error("{0} is not supported by the verifier")]
    Unsupported(SignatureAlgorithm),
    /// The signature is wrong (or the RSA key is outside 2048..=8192 bits).
    #[error("signature does not verify")]
    BadSignature,
}

/// RFC 5280 §4.1 / §5.1 outer structure shared by certificates and CRLs:
///
/// ```text
/// Certificate / CertificateList ::= SEQUENCE {
///     tbsCertificate / tbsCertList  (kept raw),
///     signatureAlgorithm            AlgorithmIdentifier,
///     signatureValue                BIT STRING }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SignedEnvelope {
    pub(crate) tbs: Any,
    pub(crate) algorithm: AlgorithmIdentifier,
    pub(crate) signature: BitString,
}

impl SignedEnvelope {
    /// Verifies the envelope's signature with `key`.
    pub(crate) fn verify_with(
        &self,
        key: &PublicKey,
    ) -> core::result::Result<(), SignatureCheckError> {
        let alg = SignatureAlgorithm::from_identifier(&self.algorithm, None)
            .map_err(|_| SignatureCheckError::UnsupportedAlgorithm(self.algorithm.algorithm))?;
        let sig = self
            .signature
            .as_bytes()
            .ok_or(SignatureCheckError::Verify(VerifyError::BadSignature))?;
        let tbs = self
            .tbs
            .to_der()
            .map_err(|_| SignatureCheckError::Verify(VerifyError::BadSignature))?;
        key.verify(alg, &tbs, sig)
            .map_err(SignatureCheckError::Verify)
    }
}

/// Why a certificate or CRL signature check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignatureCheckError {
    UnsupportedAlgorithm(ObjectIdentifier),
    Verify(VerifyError),
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [SignatureAlgorithm; 9] = [
        SignatureAlgorithm::EcdsaSha256,
        SignatureAlgorithm::EcdsaSha384,
        SignatureAlgorithm::EcdsaSha512,
        SignatureAlgorithm::RsaPkcs1Sha256,
        SignatureAlgorithm::RsaPkcs1Sha384,
        SignatureAlgorithm::RsaPkcs1Sha512,
        SignatureAlgorithm::RsaPssSha256,
        SignatureAlgorithm::RsaPssSha384,
        SignatureAlgorithm::RsaPssSha512,
    ];

    #[test]
    fn identifiers_round_trip() {
        for alg in ALL {
            let id = alg.identifier().unwrap();
            let der = id.to_der().unwrap();
            let back = AlgorithmIdentifier::from_der(&der).unwrap();
            assert_eq!(
                SignatureAlgorithm::from_identifier(&back, None).unwrap(),
                alg
            );
        }
    }

    #[test]
    fn parses_the_pss_identifier_openssl_writes() {
        // OpenSSL 3.0.19 `req -x509 -sha256 -sigopt rsa_padding_mode:pss
        // -sigopt rsa_pss_saltlen:digest` writes exactly this AlgorithmIdentifier
        // (hash parameters NULL where this crate omits them; both are valid).
        let expected = hex::decode(
            "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
        )
        .unwrap();
        let parsed = AlgorithmIdentifier::from_der(&expected).unwrap();
        assert_eq!(
            SignatureAlgorithm::from_identifier(&parsed, None).unwrap(),
            SignatureAlgorithm::RsaPssSha256
        );
    }

    fn pss(
        hash: DigestAlgorithm,
        mgf_hash: DigestAlgorithm,
        salt: Option<u32>,
    ) -> AlgorithmIdentifier {
        let params = RsaPssParams {
            hash: Some(hash.identifier()),
            mask_gen: Some(AlgorithmIdentifier {
                algorithm: oid::MGF1,
                parameters: Some(Any::encode_from(&mgf_hash.identifier()).unwrap()),
            }),
            salt_length: salt,
            trailer_field: None,
        };
        AlgorithmIdentifier {
            algorithm: oid::RSASSA_PSS,
            parameters: Some(Any::encode_from(&params).unwrap()),
        }
    }

    fn reason(id: &AlgorithmIdentifier) -> &'static str {
        match SignatureAlgorithm::from_identifier(id, None) {
            Err(PkiError::UnsupportedAlgorithm { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pss_parameters_ring_cannot_verify_are_rejected_with_reason() {
        let d = DigestAlgorithm::Sha256;
        assert!(reason(&pss(d, d, Some(20))).contains("salt length"));
        assert!(reason(&pss(d, d, None)).contains("salt length"));
        assert!(reason(&pss(d, DigestAlgorithm::Sha384, Some(32))).contains("MGF1"));
        let no_params = AlgorithmIdentifier {
            algorithm: oid::RSASSA_PSS,
            parameters: None,
        };
        assert!(reason(&no_params).contains("missing"));
        let default_sha1 = AlgorithmIdentifier {
            algorithm: oid::RSASSA_PSS,
            parameters: Some(
                Any::encode_from(&RsaPssParams {
                    hash: None,
                    mask_gen: None,
                    salt_length: None,
                    trailer_field: None,
                })
                .unwrap(),
            ),
        };
        assert!(reason(&default_sha1).contains("SHA-1"));
        assert_eq!(
            SignatureAlgorithm::from_identifier(
                &pss(DigestAlgorithm::Sha512, DigestAlgorithm::Sha512, Some(64)),
                None
            )
            .unwrap(),
            SignatureAlgorithm::RsaPssSha512
        );
    }

    #[test]
    fn key_algorithm_oids_need_the_digest_hint() {
        let rsa = AlgorithmIdentifier {
            algorithm: oid::RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        };
        assert!(SignatureAlgorithm::from_identifier(&rsa, None).is_err());
        assert_eq!(
            SignatureAlgorithm::from_identifier(&rsa, Some(DigestAlgorithm::Sha384)).unwrap(),
            SignatureAlgorithm::RsaPkcs1Sha384
        );
        let sha1 = AlgorithmIdentifier {
            algorithm: ObjectIdentifier::new_unwrap("1.3.14.3.2.26"),
            parameters: None,
        };
        assert!(DigestAlgorithm::from_identifier(&sha1).is_err());
    }

    #[test]
    fn algorithm_must_fit_the_key() {
        let key = PublicKey::EcP256(vec![4; 65]);
        assert_eq!(
            key.verify(SignatureAlgorithm::RsaPkcs1Sha256, b"m", b"s"),
            Err(VerifyError::KeyMismatch(SignatureAlgorithm::RsaPkcs1Sha256))
        );
    }
}
