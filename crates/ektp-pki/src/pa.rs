//! Passive Authentication (ICAO 9303-11 §5.1): is the data on the card what the department
//! signed, and does the signature chain to a trusted root?

use std::time::SystemTime;

use der::Encode;
use der::asn1::ObjectIdentifier;
use ektp_lds::DgNumber;
use serde::ser::SerializeStruct;
use x509_parser::prelude::X509Certificate;

use crate::alg::{
    DigestAlgorithm, PublicKey, SignatureAlgorithm, SignatureCheckError, SignedEnvelope,
    VerifyError, oid,
};
use crate::cms::SignerIdentifier;
use crate::error::{DecodeKind, PkiError, Structure};
use crate::policy::{self, AnchorProblem};
use crate::sod::EfSod;
use crate::time::fmt_time;
use crate::trust::{Crl, TrustAnchor, TrustStore, country_of, parse_certificate};

/// One check Passive Authentication makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckName {
    /// EF.SOD parses as SignedData around an LDS Security Object.
    SodStructure,
    /// The document signer certificate named by the SignerInfo is embedded and parses.
    SignerCertificate,
    /// The content-type signed attribute is the LDS Security Object.
    ContentType,
    /// The message-digest signed attribute equals the hash of the eContent.
    MessageDigest,
    /// The SignerInfo signature verifies with the document signer's key.
    SodSignature,
    /// The document signer certificate is signed by a trusted root named as its issuer.
    IssuerTrusted,
    /// The document signer certificate is valid at the check time.
    SignerValidity,
    /// The root is valid at the check time.
    RootValidity,
    /// The document signer certificate has key usage digitalSignature.
    SignerKeyUsage,
    /// The document signer's country equals the root's.
    IssuerCountry,
    /// The document signer certificate is an end-entity certificate (not a CA) with no
    /// critical extension this crate cannot process (RFC 5280 §4.2).
    SignerProfile,
    /// A current CRL signed by the root does not list the document signer.
    Revocation,
    /// The data groups given are valid, distinct and not empty.
    DataGroupsRead,
    /// The hash of a data group read equals the hash in the SOD.
    DataGroupHash(DgNumber),
}

impl CheckName {
    /// Stable snake_case code (the JSON `check` field).
    pub fn code(self) -> &'static str {
        match self {
            Self::SodStructure => "sod_structure",
            Self::SignerCertificate => "signer_certificate",
            Self::ContentType => "content_type",
            Self::MessageDigest => "message_digest",
            Self::SodSignature => "sod_signature",
            Self::IssuerTrusted => "issuer_trusted",
            Self::SignerValidity => "signer_validity",
            Self::RootValidity => "root_validity",
            Self::SignerKeyUsage => "signer_key_usage",
            Self::IssuerCountry => "issuer_country",
            Self::SignerProfile => "signer_profile",
            Self::Revocation => "revocation",
            Self::DataGroupsRead => "data_groups_read",
            Self::DataGroupHash(_) => "data_group_hash",
        }
    }
}

impl core::fmt::Display for CheckName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::DataGroupHash(dg) => write!(f, "{dg} hash"),
            Self::SodStructure => f.write_str("EF.SOD structure"),
            Self::SignerCertificate => f.write_str("document signer certificate"),
            Self::ContentType => f.write_str("signed content type"),
            Self::MessageDigest => f.write_str("signed message digest"),
            Self::SodSignature => f.write_str("EF.SOD signature"),
            Self::IssuerTrusted => f.write_str("document signer issued by a trusted root"),
            Self::SignerValidity => f.write_str("document signer validity period"),
            Self::RootValidity => f.write_str("root validity period"),
            Self::SignerKeyUsage => f.write_str("document signer key usage"),
            Self::IssuerCountry => f.write_str("document signer country"),
            Self::SignerProfile => f.write_str("document signer certificate profile"),
            Self::Revocation => f.write_str("revocation"),
            Self::DataGroupsRead => f.write_str("data groups read"),
        }
    }
}

/// Why a check failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// EF.SOD (or a structure in it) is malformed.
    Malformed {
        /// Which structure.
        structure: Structure,
        /// What was wrong.
        kind: DecodeKind,
        /// Byte offset in that structure.
        offset: usize,
    },
    /// An algorithm the verifier does not accept.
    UnsupportedAlgorithm {
        /// The algorithm.
        oid: ObjectIdentifier,
        /// Why.
        reason: &'static str,
    },
    /// No embedded certificate matches the SignerInfo's signer identifier.
    SignerCertificateMissing,
    /// The content-type attribute is absent or not the LDS Security Object.
    ContentTypeMismatch {
        /// The content type found.
        found: Option<ObjectIdentifier>,
    },
    /// The message-digest signed attribute is absent.
    MessageDigestMissing,
    /// The message-digest signed attribute differs from the hash of the eContent.
    MessageDigestMismatch,
    /// The SOD signature does not verify.
    SignatureInvalid(VerifyError),
    /// No trusted root has the document signer's issuer as subject.
    UnknownIssuer {
        /// The issuer named in the certificate.
        issuer: String,
    },
    /// The issuer's certificate is in the trust store's files but is not a root, so it is not
    /// trusted (e.g. a document signer certificate used to mint other signers).
    IssuerNotTrustAnchor {
        /// The issuer named in the certificate.
        issuer: String,
        /// Why that certificate is not a trust anchor.
        problem: AnchorProblem,
    },
    /// The document signer certificate says it is a CA (basicConstraints cA = TRUE).
    SignerIsCa,
    /// A certificate has a critical extension this crate cannot process.
    UnknownCriticalExtension {
        /// The extension, dotted OID.
        oid: String,
    },
    /// The only current CRLs have a critical extension this crate cannot process (e.g. a
    /// delta CRL), so they cannot decide revocation.
    CrlUnknownCriticalExtension {
        /// The extension, dotted OID.
        oid: String,
    },
    /// A root with the issuer's name exists but its key did not sign the certificate.
    CertificateSignatureInvalid(VerifyError),
    /// The certificate is not yet valid.
    NotYetValid {
        /// notBefore, Unix seconds.
        not_before: i64,
    },
    /// The certificate has expired.
    Expired {
        /// notAfter, Unix seconds.
        not_after: i64,
    },
    /// The document signer certificate has no key usage extension.
    KeyUsageMissing,
    /// The key usage does not include digitalSignature.
    KeyUsageWithoutDigitalSignature,
    /// The document signer's country differs from the root's (or one is missing).
    CountryMismatch {
        /// The root's countryName.
        root: Option<String>,
        /// The document signer's subject countryName.
        signer: Option<String>,
    },
    /// No CRL from the root is in the trust store.
    NoCrl,
    /// The root's CRL is not signed by the root.
    CrlSignatureInvalid,
    /// The CRL's thisUpdate is after the check time.
    CrlNotYetValid {
        /// thisUpdate, Unix seconds.
        this_update: i64,
    },
    /// The CRL is past its nextUpdate.
    CrlExpired {
        /// nextUpdate, Unix seconds.
        next_update: i64,
    },
    /// The CRL has no nextUpdate, so its currency cannot be judged.
    CrlWithoutNextUpdate,
    /// The CRL lists the document signer.
    Revoked {
        /// revocationDate, Unix seconds.
        revoked_at: i64,
    },
    /// The data group's hash differs from the SOD.
    HashMismatch {
        /// The data group.
        dg: DgNumber,
    },
    /// A data group was read from the card but the SOD does not list it.
    NotInSod {
        /// The data group.
        dg: DgNumber,
    },
    /// A data group was given twice.
    DuplicateDataGroup {
        /// The data group.
        dg: DgNumber,
    },
    /// No data groups were given.
    NoDataGroupsRead,
    /// The check could not run because an earlier one failed.
    NotChecked {
        /// The check it depends on.
        because: CheckName,
    },
}

impl Failure {
    /// Stable snake_case code (the JSON `reason` field).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Self::SignerCertificateMissing => "signer_certificate_missing",
            Self::ContentTypeMismatch { .. } => "content_type_mismatch",
            Self::MessageDigestMissing => "message_digest_missing",
            Self::MessageDigestMismatch => "message_digest_mismatch",
            Self::SignatureInvalid(_) => "signature_invalid",
            Self::UnknownIssuer { .. } => "unknown_issuer",
            Self::IssuerNotTrustAnchor { .. } => "issuer_not_trust_anchor",
            Self::SignerIsCa => "signer_is_ca",
            Self::UnknownCriticalExtension { .. } => "unknown_critical_extension",
            Self::CrlUnknownCriticalExtension { .. } => "crl_unknown_critical_extension",
            Self::CertificateSignatureInvalid(_) => "certificate_signature_invalid",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Expired { .. } => "expired",
            Self::KeyUsageMissing => "key_usage_missing",
            Self::KeyUsageWithoutDigitalSignature => "key_usage_without_digital_signature",
            Self::CountryMismatch { .. } => "country_mismatch",
            Self::NoCrl => "no_crl",
            Self::CrlSignatureInvalid => "crl_signature_invalid",
            Self::CrlNotYetValid { .. } => "crl_not_yet_valid",
            Self::CrlExpired { .. } => "crl_expired",
            Self::CrlWithoutNextUpdate => "crl_without_next_update",
            Self::Revoked { .. } => "revoked",
            Self::HashMismatch { .. } => "hash_mismatch",
            Self::NotInSod { .. } => "not_in_sod",
            Self::DuplicateDataGroup { .. } => "duplicate_data_group",
            Self::NoDataGroupsRead => "no_data_groups_read",
            Self::NotChecked { .. } => "not_checked",
        }
    }

    fn from_error(e: PkiError) -> Self {
        match e {
            PkiError::Decode {
                structure,
                kind,
                offset,
            } => Self::Malformed {
                structure,
                kind,
                offset,
            },
            PkiError::UnsupportedAlgorithm { oid, reason } => {
                Self::UnsupportedAlgorithm { oid, reason }
            }
            _ => Self::Malformed {
                structure: Structure::EfSod,
                kind: DecodeKind::X509,
                offset: 0,
            },
        }
    }
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Malformed {
                structure,
                kind,
                offset,
            } => write!(f, "malformed {structure} at byte {offset}: {kind}"),
            Self::UnsupportedAlgorithm { oid, reason } => {
                write!(f, "unsupported algorithm {oid}: {reason}")
            }
            Self::SignerCertificateMissing => f.write_str(
                "EF.SOD does not embed the certificate its SignerInfo names; the document signer cannot be identified",
            ),
            Self::ContentTypeMismatch { found: Some(o) } => write!(
                f,
                "signed content type is {o}, not the LDS Security Object (2.23.136.1.1.1)"
            ),
            Self::ContentTypeMismatch { found: None } => {
                f.write_str("the content-type signed attribute is missing")
            }
            Self::MessageDigestMissing => f.write_str("the message-digest signed attribute is missing"),
            Self::MessageDigestMismatch => f.write_str(
                "the signed message digest does not match the LDS Security Object: the data group hashes were altered after signing",
            ),
            Self::SignatureInvalid(e) => write!(f, "EF.SOD signature rejected: {e}"),
            Self::UnknownIssuer { issuer } => write!(
                f,
                "the document signer was issued by \"{issuer}\", which is not a trusted root; add the root to the trust store only if it is genuine"
            ),
            Self::IssuerNotTrustAnchor { issuer, problem } => write!(
                f,
                "the document signer was issued by \"{issuer}\", whose certificate is in the trust store but cannot be a trusted root: {problem}"
            ),
            Self::SignerIsCa => f.write_str(
                "the document signer certificate is a CA certificate (basicConstraints cA); a document signer must be an end-entity certificate",
            ),
            Self::UnknownCriticalExtension { oid } => write!(
                f,
                "the certificate has a critical extension {oid} that ektp cannot process, so it must be rejected"
            ),
            Self::CrlUnknownCriticalExtension { oid } => write!(
                f,
                "the CRL has a critical extension {oid} (e.g. a delta CRL) that ektp cannot process, so it cannot decide revocation; put the root's full CRL in the trust store"
            ),
            Self::CertificateSignatureInvalid(e) => write!(
                f,
                "the document signer certificate is not signed by the trusted root of that name: {e}"
            ),
            Self::NotYetValid { not_before } => {
                write!(f, "not valid before {}", fmt_time(*not_before))
            }
            Self::Expired { not_after } => write!(f, "expired at {}", fmt_time(*not_after)),
            Self::KeyUsageMissing => f.write_str("the certificate has no key usage extension"),
            Self::KeyUsageWithoutDigitalSignature => {
                f.write_str("the certificate's key usage does not allow digitalSignature")
            }
            Self::CountryMismatch { root, signer } => write!(
                f,
                "document signer country {} differs from the root's country {}",
                signer.as_deref().unwrap_or("(none)"),
                root.as_deref().unwrap_or("(none)")
            ),
            Self::NoCrl => f.write_str(
                "no CRL from the root is in the trust store; put the current CRL in the trust store directory",
            ),
            Self::CrlSignatureInvalid => f.write_str(
                "the CRL naming the root as issuer is not signed by the root; obtain the genuine CRL",
            ),
            Self::CrlNotYetValid { this_update } => {
                write!(f, "the CRL is issued for {} (after the check time)", fmt_time(*this_update))
            }
            Self::CrlExpired { next_update } => write!(
                f,
                "the CRL expired at its next update {}; fetch the current CRL",
                fmt_time(*next_update)
            ),
            Self::CrlWithoutNextUpdate => {
                f.write_str("the CRL has no next-update time, so it cannot be judged current")
            }
            Self::Revoked { revoked_at } => write!(
                f,
                "the document signer certificate was revoked at {}",
                fmt_time(*revoked_at)
            ),
            Self::HashMismatch { dg } => write!(
                f,
                "{dg} differs from what was signed: the data on the card was altered"
            ),
            Self::NotInSod { dg } => write!(
                f,
                "{dg} is on the card but not covered by the signature"
            ),
            Self::DuplicateDataGroup { dg } => write!(f, "{dg} was given twice"),
            Self::NoDataGroupsRead => f.write_str("no data groups were given to check"),
            Self::NotChecked { because } => write!(f, "not checked because {because} failed"),
        }
    }
}

impl serde::Serialize for Failure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Failure", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// A check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed, and why.
    Fail(Failure),
}

impl Outcome {
    /// How the check came out, without the reason.
    pub const fn status(&self) -> Status {
        match self {
            Self::Pass => Status::Pass,
            Self::Fail(_) => Status::Fail,
        }
    }
}

/// How a check came out, without its reason: the one place status names are spelled, for
/// Passive Authentication and for every report built on it (the host's verification, the CLI,
/// a service).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
    /// The check was not made (what it needs was not given, e.g. no revocation list).
    Skip,
}

impl Status {
    /// `Pass` if `passed`, else `Fail`.
    pub const fn from_passed(passed: bool) -> Self {
        if passed { Self::Pass } else { Self::Fail }
    }

    /// Stable snake_case name for machines (`pass`, `fail`, `skip`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Skip => "skip",
        }
    }

    /// The word people read in a report line (`PASS`, `FAIL`, `SKIP`).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::Skip => "SKIP",
        }
    }
}

impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.label())
    }
}

/// One check and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: CheckName,
    /// How it came out.
    pub outcome: Outcome,
}

impl Check {
    /// True if the check passed.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Pass
    }

    /// The failure, if any.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.outcome {
            Outcome::Pass => None,
            Outcome::Fail(f) => Some(f),
        }
    }
}

impl serde::Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Check", 4)?;
        st.serialize_field("check", self.name.code())?;
        match self.name {
            CheckName::DataGroupHash(dg) => st.serialize_field("dg", &dg)?,
            _ => st.skip_field("dg")?,
        }
        st.serialize_field("passed", &self.passed())?;
        st.serialize_field("reason", &self.failure())?;
        st.end()
    }
}

/// The document signer, as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SignerSummary {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Signature algorithm of the SOD.
    pub algorithm: Option<SignatureAlgorithm>,
    /// The subject's countryName (ISO 3166-1 alpha-2), if it has one.
    pub country: Option<String>,
}

/// The result of Passive Authentication: every check with its outcome.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaReport {
    /// Every check made, in order.
    pub checks: Vec<Check>,
    /// Data groups the SOD lists that were not given to the verifier. Not a failure: a reader
    /// may lack access (e.g. DG3 needs Extended Access Control) or not need them; a data group
    /// not read was not verified.
    pub not_read: Vec<DgNumber>,
    /// The document signer, if identified.
    pub signer: Option<SignerSummary>,
    /// The trusted root the signer chains to, if any (RFC 4514 subject).
    pub root: Option<String>,
    /// That root's countryName (ISO 3166-1 alpha-2), if it has one.
    pub root_country: Option<String>,
    /// The check time, Unix seconds.
    pub checked_at: i64,
    /// Same as [`PaReport::passed`], for JSON readers.
    pub passed: bool,
}

impl PaReport {
    /// True if every check passed (and there was at least one data group to check).
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(Check::passed)
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = (CheckName, &Failure)> {
        self.checks
            .iter()
            .filter_map(|c| c.failure().map(|f| (c.name, f)))
    }

    /// The outcome of one check, if it was made.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// One line per check, for people: `PASS  EF.SOD signature` or
/// `FAIL  DG2 hash: DG2 differs from what was signed: ...`, then the data groups not read and
/// the verdict.
impl core::fmt::Display for PaReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for check in &self.checks {
            match check.failure() {
                None => writeln!(f, "PASS  {}", check.name)?,
                Some(failure) => writeln!(f, "FAIL  {}: {failure}", check.name)?,
            }
        }
        if !self.not_read.is_empty() {
            let list: Vec<String> = self.not_read.iter().map(ToString::to_string).collect();
            writeln!(
                f,
                "NOTE  in EF.SOD but not read (not verified): {}",
                list.join(", ")
            )?;
        }
        let verdict = if self.passed() {
            "Passive Authentication passed"
        } else {
            "Passive Authentication FAILED"
        };
        write!(f, "{verdict}")
    }
}

struct Builder {
    checks: Vec<Check>,
}

impl Builder {
    fn record(&mut self, name: CheckName, result: Result<(), Failure>) -> bool {
        let ok = result.is_ok();
        self.checks.push(Check {
            name,
            outcome: match result {
                Ok(()) => Outcome::Pass,
                Err(f) => Outcome::Fail(f),
            },
        });
        ok
    }
}

fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| s.saturating_neg()),
    }
}

fn validity(not_before: i64, not_after: i64, t: i64) -> Result<(), Failure> {
    if t < not_before {
        Err(Failure::NotYetValid { not_before })
    } else if t > not_after {
        Err(Failure::Expired { not_after })
    } else {
        Ok(())
    }
}

/// Runs Passive Authentication (ICAO 9303-11 §5.1) at time `at`.
///
/// `ef_sod` is EF.SOD as read (with its 0x77 tag); `data_groups` are the data groups read
/// from the card as `(number, raw file bytes)`; they are hashed exactly as given. The report
/// lists every check; [`PaReport::passed`] is true only if all passed. Forged or damaged input
/// never makes this function fail: it yields a report saying why.
///
/// Checks made: EF.SOD structure; the signer certificate named by the SignerInfo is embedded;
/// content-type and message-digest signed attributes; the SOD signature with the document
/// signer key; the document signer certificate is signed by a trusted root whose subject is
/// its issuer (names compared as DER bytes); its validity at `at`; the root's validity at `at`;
/// key usage digitalSignature; the signer's subject country equals the root's; a CRL signed
/// by that root and current at `at` (thisUpdate <= at < nextUpdate) does not list it (a listed
/// certificate counts as revoked whatever its revocation date); every data group read hashes
/// to the SOD's value; a data group read but absent from the SOD fails. Data groups in the
/// SOD but not read are listed in [`PaReport::not_read`] without failing.
pub fn passive_authentication(
    ef_sod: &[u8],
    data_groups: &[(DgNumber, &[u8])],
    trust: &TrustStore,
    at: SystemTime,
) -> PaReport {
    let t = unix_secs(at);
    let mut b = Builder { checks: Vec::new() };
    let mut report = PaReport {
        checks: Vec::new(),
        not_read: Vec::new(),
        signer: None,
        root: None,
        root_country: None,
        checked_at: t,
        passed: false,
    };
    let sod = match EfSod::from_bytes(ef_sod) {
        Ok(sod) => {
            b.record(CheckName::SodStructure, Ok(()));
            sod
        }
        Err(e) => {
            b.record(CheckName::SodStructure, Err(Failure::from_error(e)));
            report.checks = b.checks;
            return report;
        }
    };
    let attrs = sod.signed_attributes();
    let si = sod.signer_info();

    // Signed attributes.
    b.record(
        CheckName::ContentType,
        match attrs.content_type {
            Some(oid::LDS_SECURITY_OBJECT) => Ok(()),
            found => Err(Failure::ContentTypeMismatch { found }),
        },
    );
    let digest =
        DigestAlgorithm::from_identifier(&si.digest_algorithm).map_err(Failure::from_error);
    b.record(
        CheckName::MessageDigest,
        digest.clone().and_then(|d| match &attrs.message_digest {
            None => Err(Failure::MessageDigestMissing),
            Some(md) if *md == d.digest(sod.e_content()) => Ok(()),
            Some(_) => Err(Failure::MessageDigestMismatch),
        }),
    );

    // The document signer certificate.
    let cert = find_signer_certificate(&sod);
    let cert_ok = b.record(
        CheckName::SignerCertificate,
        cert.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let signer_algorithm = digest
        .as_ref()
        .ok()
        .and_then(|d| SignatureAlgorithm::from_identifier(&si.signature_algorithm, Some(*d)).ok());
    let not_checked = |because| Err(Failure::NotChecked { because });
    match cert {
        Ok((der, cert)) if cert_ok => {
            report.signer = Some(SignerSummary {
                subject: cert.subject().to_string(),
                issuer: cert.issuer().to_string(),
                serial: hex_upper(cert.raw_serial()),
                algorithm: signer_algorithm,
                country: country_of(cert.subject()),
            });
            b.record(
                CheckName::SodSignature,
                check_sod_signature(&sod, &cert, digest.clone()),
            );
            let root = find_root(der, &cert, trust);
            let root_ok = b.record(
                CheckName::IssuerTrusted,
                root.as_ref().map(|_| ()).map_err(Clone::clone),
            );
            b.record(
                CheckName::SignerValidity,
                validity(
                    cert.validity().not_before.timestamp(),
                    cert.validity().not_after.timestamp(),
                    t,
                ),
            );
            match root {
                Ok((ri, root)) if root_ok => {
                    report.root = Some(root.subject.clone());
                    report.root_country.clone_from(&root.country);
                    b.record(
                        CheckName::RootValidity,
                        validity(root.not_before, root.not_after, t),
                    );
                    b.record(CheckName::SignerKeyUsage, check_key_usage(&cert));
                    let signer_country = country_of(cert.subject());
                    b.record(
                        CheckName::IssuerCountry,
                        if root.country.is_some() && signer_country == root.country {
                            Ok(())
                        } else {
                            Err(Failure::CountryMismatch {
                                root: root.country.clone(),
                                signer: signer_country,
                            })
                        },
                    );
                    b.record(CheckName::SignerProfile, check_signer_profile(&cert));
                    b.record(CheckName::Revocation, check_revocation(&cert, ri, trust, t));
                }
                _ => {
                    b.record(
                        CheckName::RootValidity,
                        not_checked(CheckName::IssuerTrusted),
                    );
                    b.record(CheckName::SignerKeyUsage, check_key_usage(&cert));
                    b.record(
                        CheckName::IssuerCountry,
                        not_checked(CheckName::IssuerTrusted),
                    );
                    b.record(CheckName::SignerProfile, check_signer_profile(&cert));
                    b.record(CheckName::Revocation, not_checked(CheckName::IssuerTrusted));
                }
            }
        }
        _ => {
            for name in [
                CheckName::SodSignature,
                CheckName::IssuerTrusted,
                CheckName::SignerValidity,
                CheckName::RootValidity,
                CheckName::SignerKeyUsage,
                CheckName::IssuerCountry,
                CheckName::SignerProfile,
                CheckName::Revocation,
            ] {
                b.record(name, not_checked(CheckName::SignerCertificate));
            }
        }
    }

    // Data groups.
    let mut read: Vec<DgNumber> = Vec::new();
    let mut input_problem = None;
    if data_groups.is_empty() {
        input_problem = Some(Failure::NoDataGroupsRead);
    }
    let mut dg_checks = Vec::new();
    for &(dg, bytes) in data_groups {
        if read.contains(&dg) {
            input_problem.get_or_insert(Failure::DuplicateDataGroup { dg });
            continue;
        }
        read.push(dg);
        let result = match sod.data_group_hash(dg) {
            None => Err(Failure::NotInSod { dg }),
            Some(h) if h == sod.data_group_digest().digest(bytes).as_slice() => Ok(()),
            Some(_) => Err(Failure::HashMismatch { dg }),
        };
        dg_checks.push((dg, result));
    }
    b.record(CheckName::DataGroupsRead, input_problem.map_or(Ok(()), Err));
    for (dg, result) in dg_checks {
        b.record(CheckName::DataGroupHash(dg), result);
    }
    report.not_read = sod
        .data_groups()
        .into_iter()
        .filter(|dg| !read.contains(dg))
        .collect();
    report.checks = b.checks;
    report.passed = report.passed();
    report
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The embedded certificate the SignerInfo's sid names.
fn find_signer_certificate(sod: &EfSod) -> Result<(&[u8], X509Certificate<'_>), Failure> {
    find_certificate(&sod.signer_info().sid, sod.certificates())
}

/// The certificate among `certificates` that `sid` names (RFC 5652 §5.3).
pub(crate) fn find_certificate<'c>(
    sid: &SignerIdentifier,
    certificates: &'c [Vec<u8>],
) -> Result<(&'c [u8], X509Certificate<'c>), Failure> {
    for der in certificates {
        let Ok(cert) = parse_certificate(der) else {
            continue;
        };
        let matches = match sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                ias.issuer.to_der().ok().as_deref() == Some(cert.issuer().as_raw())
                    && ias.serial_number.as_bytes() == cert.raw_serial()
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => cert.extensions().iter().any(|ext| {
                matches!(
                    ext.parsed_extension(),
                    x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k)
                        if k.0 == ski.as_bytes()
                )
            }),
        };
        if matches {
            return Ok((der.as_slice(), cert));
        }
    }
    Err(Failure::SignerCertificateMissing)
}

fn check_sod_signature(
    sod: &EfSod,
    cert: &X509Certificate<'_>,
    digest: Result<DigestAlgorithm, Failure>,
) -> Result<(), Failure> {
    let si = sod.signer_info();
    let digest = digest?;
    let alg = SignatureAlgorithm::from_identifier(&si.signature_algorithm, Some(digest))
        .map_err(Failure::from_error)?;
    let key = PublicKey::from_spki_der(cert.public_key().raw).map_err(Failure::from_error)?;
    let signed = si
        .signed_attrs
        .as_ref()
        .ok_or(Failure::ContentTypeMismatch { found: None })?
        .to_set_der()
        .map_err(|e| Failure::from_error(PkiError::der(Structure::SignedData, e)))?;
    key.verify(alg, &signed, si.signature.as_bytes())
        .map_err(Failure::SignatureInvalid)
}

fn envelope_failure(e: SignatureCheckError, wrap: fn(VerifyError) -> Failure) -> Failure {
    match e {
        SignatureCheckError::UnsupportedAlgorithm(oid) => Failure::UnsupportedAlgorithm {
            oid,
            reason: "signature algorithm not accepted",
        },
        SignatureCheckError::Verify(v) => wrap(v),
    }
}

/// The trusted root whose subject is the certificate's issuer and whose key signed it.
fn find_root<'t>(
    cert_der: &[u8],
    cert: &X509Certificate<'_>,
    trust: &'t TrustStore,
) -> Result<(usize, &'t TrustAnchor), Failure> {
    let envelope = <SignedEnvelope as der::Decode>::from_der(cert_der)
        .map_err(|e| Failure::from_error(PkiError::der(Structure::Certificate, e)))?;
    let mut last = None;
    for (ri, root) in trust.roots().iter().enumerate() {
        if root.subject_raw != cert.issuer().as_raw() {
            continue;
        }
        match envelope.verify_with(&root.public_key) {
            Ok(()) => return Ok((ri, root)),
            Err(e) => last = Some(envelope_failure(e, Failure::CertificateSignatureInvalid)),
        }
    }
    Err(
        last.unwrap_or_else(|| match trust.rejected_named(cert.issuer().as_raw()) {
            Some(r) => Failure::IssuerNotTrustAnchor {
                issuer: cert.issuer().to_string(),
                problem: r.problem.clone(),
            },
            None => Failure::UnknownIssuer {
                issuer: cert.issuer().to_string(),
            },
        }),
    )
}

/// The checks a signer certificate under a CSCA gets, as for a document signer: a trusted root
/// whose subject is its issuer signed it; it and the root are valid at `t`; it is an end
/// entity without unknown critical extensions, with key usage digitalSignature, from the
/// root's country; the root's current CRL does not list it. The first failure, if any.
pub(crate) fn check_chain(
    cert_der: &[u8],
    cert: &X509Certificate<'_>,
    trust: &TrustStore,
    t: i64,
) -> Result<(), Failure> {
    let (ri, root) = find_root(cert_der, cert, trust)?;
    validity(
        cert.validity().not_before.timestamp(),
        cert.validity().not_after.timestamp(),
        t,
    )?;
    validity(root.not_before, root.not_after, t)?;
    check_key_usage(cert)?;
    let country = country_of(cert.subject());
    if root.country.is_none() || country != root.country {
        return Err(Failure::CountryMismatch {
            root: root.country.clone(),
            signer: country,
        });
    }
    check_signer_profile(cert)?;
    check_revocation(cert, ri, trust, t)
}

pub(crate) fn unix_time(t: SystemTime) -> i64 {
    unix_secs(t)
}

/// ICAO 9303-12 §7.1.1 document signer profile: an end-entity certificate; RFC 5280 §4.2: no
/// critical extension that cannot be processed.
fn check_signer_profile(cert: &X509Certificate<'_>) -> Result<(), Failure> {
    if policy::claims_ca(cert) {
        return Err(Failure::SignerIsCa);
    }
    match policy::certificate_unknown_critical(cert) {
        Some(oid) => Err(Failure::UnknownCriticalExtension { oid }),
        None => Ok(()),
    }
}

fn check_key_usage(cert: &X509Certificate<'_>) -> Result<(), Failure> {
    match cert.key_usage() {
        Ok(Some(ku)) if ku.value.digital_signature() => Ok(()),
        Ok(Some(_)) => Err(Failure::KeyUsageWithoutDigitalSignature),
        Ok(None) => Err(Failure::KeyUsageMissing),
        Err(_) => Err(Failure::Malformed {
            structure: Structure::Certificate,
            kind: DecodeKind::X509,
            offset: 0,
        }),
    }
}

impl TrustStore {
    /// Whether the trust store holds a genuine CRL of root number `root_index` (in
    /// [`TrustStore::roots`]) that is current at `at` (Unix seconds): `Ok` if so, else the
    /// failure every card under that root would get ([`Failure::NoCrl`],
    /// [`Failure::CrlExpired`], …). For a desk to refuse to start instead of failing every card.
    ///
    /// # Errors
    /// The revocation failure Passive Authentication would report.
    pub fn crl_status(&self, root_index: usize, at: i64) -> Result<(), Failure> {
        current_crl(root_index, self, at).map(|_| ())
    }
}

fn check_revocation(
    cert: &X509Certificate<'_>,
    root_index: usize,
    trust: &TrustStore,
    t: i64,
) -> Result<(), Failure> {
    let crl = current_crl(root_index, trust, t)?;
    match crl.revoked.iter().find(|r| r.serial == cert.raw_serial()) {
        Some(r) => Err(Failure::Revoked { revoked_at: r.at }),
        None => Ok(()),
    }
}

/// The newest genuine CRL of the root that is current at `t`, or why there is none.
fn current_crl(root_index: usize, trust: &TrustStore, t: i64) -> Result<&Crl, Failure> {
    let mut candidates = trust.crls_of_root(root_index);
    if candidates.is_empty() {
        return Err(Failure::NoCrl);
    }
    // Newest first; the first genuine, current CRL decides.
    candidates.sort_by_key(|(c, _)| core::cmp::Reverse(c.this_update));
    let mut failure: Option<Failure> = None;
    for (crl, signed_by_root) in candidates {
        if !signed_by_root {
            failure.get_or_insert(Failure::CrlSignatureInvalid);
            continue;
        }
        if let Some(oid) = &crl.unknown_critical {
            // Never let a CRL we cannot fully process decide (RFC 5280 §5.2); an older full
            // CRL may still.
            if matches!(failure, None | Some(Failure::CrlSignatureInvalid)) {
                failure = Some(Failure::CrlUnknownCriticalExtension { oid: oid.clone() });
            }
            continue;
        }
        let problem = if t < crl.this_update {
            Some(Failure::CrlNotYetValid {
                this_update: crl.this_update,
            })
        } else {
            match crl.next_update {
                None => Some(Failure::CrlWithoutNextUpdate),
                Some(next_update) if t >= next_update => Some(Failure::CrlExpired { next_update }),
                Some(_) => None,
            }
        };
        if let Some(p) = problem {
            // A genuine but stale CRL says more than a forged one.
            if matches!(failure, None | Some(Failure::CrlSignatureInvalid)) {
                failure = Some(p);
            }
            continue;
        }
        return Ok(crl);
    }
    Err(failure.unwrap_or(Failure::NoCrl))
}
