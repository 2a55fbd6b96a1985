//! What this crate accepts of a certificate or CRL beyond its signature: the trust anchor
//! profile and the critical extensions it can process.
//!
//! RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters a
//! critical extension it does not recognize or a critical extension that contains information
//! that it cannot process." §5.2 says the same of CRLs (a delta CRL, marked by the critical
//! deltaCRLIndicator, only makes sense merged with its base CRL, which this crate does not do;
//! an issuingDistributionPoint narrows a CRL's scope, which it does not evaluate either).

use x509_parser::extensions::X509Extension;
use x509_parser::prelude::X509Certificate;

/// id-ce extensions (RFC 5280 §4.2.1) this crate processes, or whose criticality changes
/// nothing for Passive Authentication, in a root or document signer certificate.
const CERTIFICATE_EXTENSIONS: [&str; 8] = [
    "2.5.29.14", // subjectKeyIdentifier
    "2.5.29.15", // keyUsage (checked)
    "2.5.29.16", // privateKeyUsagePeriod (ICAO 9303-12 §7.1.1; informational)
    "2.5.29.17", // subjectAltName
    "2.5.29.18", // issuerAltName
    "2.5.29.19", // basicConstraints (checked)
    "2.5.29.31", // cRLDistributionPoints
    "2.5.29.35", // authorityKeyIdentifier
];

/// CRL extensions (RFC 5280 §5.2) this crate processes or can ignore. Absent on purpose:
/// deltaCRLIndicator (2.5.29.27) and issuingDistributionPoint (2.5.29.28).
const CRL_EXTENSIONS: [&str; 3] = [
    "2.5.29.18", // issuerAltName
    "2.5.29.20", // cRLNumber
    "2.5.29.35", // authorityKeyIdentifier
];

/// CRL entry extensions (RFC 5280 §5.3) this crate can ignore. Absent on purpose:
/// certificateIssuer (2.5.29.29), which would make the entry about another CA's certificate.
const CRL_ENTRY_EXTENSIONS: [&str; 2] = [
    "2.5.29.21", // reasonCode
    "2.5.29.24", // invalidityDate
];

/// The first critical extension not in `known`, as a dotted OID.
fn unknown_critical<'a>(
    extensions: impl IntoIterator<Item = &'a X509Extension<'a>>,
    known: &[&str],
) -> Option<String> {
    extensions
        .into_iter()
        .filter(|e| e.critical)
        .map(|e| e.oid.to_id_string())
        .find(|oid| !known.contains(&oid.as_str()))
}

/// The first critical extension of a certificate this crate cannot process.
pub(crate) fn certificate_unknown_critical(cert: &X509Certificate<'_>) -> Option<String> {
    unknown_critical(cert.extensions(), &CERTIFICATE_EXTENSIONS)
}

/// The first critical CRL or CRL entry extension this crate cannot process.
pub(crate) fn crl_unknown_critical(
    crl: &x509_parser::revocation_list::CertificateRevocationList<'_>,
) -> Option<String> {
    unknown_critical(crl.extensions(), &CRL_EXTENSIONS).or_else(|| {
        crl.iter_revoked_certificates()
            .find_map(|r| unknown_critical(r.extensions(), &CRL_ENTRY_EXTENSIONS))
    })
}

/// Why a certificate cannot be a trust anchor (a Country Signing CA).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnchorProblem {
    /// basicConstraints is absent or says cA = FALSE: an end-entity certificate (such as a
    /// document signer's) whose key must not vouch for other certificates.
    NotCa,
    /// The issuer differs from the subject, or the certificate's own key does not verify its
    /// signature.
    NotSelfSigned,
    /// keyUsage is absent or lacks keyCertSign or cRLSign.
    KeyUsage,
    /// A critical extension this crate cannot process (dotted OID).
    UnknownCriticalExtension(String),
}

impl core::fmt::Display for AnchorProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotCa => f.write_str(
                "it is not a CA certificate (basicConstraints cA is not set); a document signer certificate does not belong in the trust store",
            ),
            Self::NotSelfSigned => f.write_str(
                "it is not self-signed; only root (CSCA) certificates belong in the trust store",
            ),
            Self::KeyUsage => f.write_str("its key usage lacks keyCertSign or cRLSign"),
            Self::UnknownCriticalExtension(oid) => {
                write!(f, "it has a critical extension {oid} that ektp cannot process")
            }
        }
    }
}

/// Whether `cert` may be a trust anchor: self-signed (issuer = subject, verified with its own
/// key by the caller: `self_signature_ok`), basicConstraints cA, keyUsage keyCertSign and
/// cRLSign, and no critical extension this crate cannot process (ICAO 9303-12 §7.1.1, CSCA
/// certificate profile; RFC 5280 §4.2).
pub(crate) fn check_anchor(
    cert: &X509Certificate<'_>,
    self_signature_ok: bool,
) -> Result<(), AnchorProblem> {
    if !matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca) {
        return Err(AnchorProblem::NotCa);
    }
    if cert.subject().as_raw() != cert.issuer().as_raw() || !self_signature_ok {
        return Err(AnchorProblem::NotSelfSigned);
    }
    match cert.key_usage() {
        Ok(Some(ku)) if ku.value.key_cert_sign() && ku.value.crl_sign() => {}
        _ => return Err(AnchorProblem::KeyUsage),
    }
    match certificate_unknown_critical(cert) {
        Some(oid) => Err(AnchorProblem::UnknownCriticalExtension(oid)),
        None => Ok(()),
    }
}

/// Whether a document signer certificate claims to be a CA (it must not: ICAO 9303-12
/// §7.1.1.3 document signer profile has no basicConstraints cA).
pub(crate) fn claims_ca(cert: &X509Certificate<'_>) -> bool {
    matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca)
}
