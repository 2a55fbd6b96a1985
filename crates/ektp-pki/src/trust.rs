//! The trust store: department roots (CSCA certificates) and the CRLs they issue.

use std::path::{Path, PathBuf};

use der::Decode;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use crate::alg::{PublicKey, SignedEnvelope};
use crate::error::{DecodeKind, PkiError, Result, Structure};
use crate::keys::{is_pem, pem_blocks, read_bounded};
use crate::policy::{self, AnchorProblem};

/// Most files read from one trust store directory.
pub const MAX_TRUST_FILES: usize = 10_000;

/// File extensions [`TrustStore::load_dir`] reads.
pub const TRUST_FILE_EXTENSIONS: [&str; 5] = ["pem", "crt", "cer", "der", "crl"];

/// A trusted root certificate (a Country Signing CA).
#[derive(Clone, Debug)]
pub struct TrustAnchor {
    der: Vec<u8>,
    pub(crate) subject_raw: Vec<u8>,
    pub(crate) subject: String,
    pub(crate) country: Option<String>,
    pub(crate) public_key: PublicKey,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
}

impl TrustAnchor {
    /// Parses a DER root certificate and checks that it can be a trust anchor: a self-signed
    /// CA certificate with key usage keyCertSign and cRLSign and no critical extension this
    /// crate cannot process (see [`AnchorProblem`]).
    ///
    /// # Errors
    /// [`PkiError::Decode`] if malformed (or trailing bytes), [`PkiError::UnsupportedAlgorithm`]
    /// for a key type other than P-256, P-384 or RSA, [`PkiError::NotTrustAnchor`] for a
    /// well-formed certificate that is not a root.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = parse_certificate(der)?;
        let public_key = PublicKey::from_spki_der(cert.public_key().raw)?;
        let self_signed = SignedEnvelope::from_der(der)
            .ok()
            .is_some_and(|env| env.verify_with(&public_key).is_ok());
        policy::check_anchor(&cert, self_signed).map_err(|problem| PkiError::NotTrustAnchor {
            subject: cert.subject().to_string(),
            problem,
        })?;
        Ok(Self {
            der: der.to_vec(),
            subject_raw: cert.subject().as_raw().to_vec(),
            subject: cert.subject().to_string(),
            country: country_of(cert.subject()),
            public_key,
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
        })
    }

    /// The certificate DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject, in RFC 4514 form.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The subject's countryName, if any.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
}

/// One revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Revoked {
    pub(crate) serial: Vec<u8>,
    pub(crate) at: i64,
}

/// A certificate revocation list, parsed; its signature is checked when it is used.
#[derive(Clone, Debug)]
pub struct Crl {
    der: Vec<u8>,
    pub(crate) issuer_raw: Vec<u8>,
    pub(crate) issuer: String,
    pub(crate) envelope: SignedEnvelope,
    pub(crate) this_update: i64,
    pub(crate) next_update: Option<i64>,
    pub(crate) revoked: Vec<Revoked>,
    /// A critical CRL or entry extension this crate cannot process (e.g. deltaCRLIndicator):
    /// such a CRL is never used to decide revocation.
    pub(crate) unknown_critical: Option<String>,
}

impl Crl {
    /// Parses a DER CRL.
    ///
    /// # Errors
    /// [`PkiError::Decode`] if malformed or followed by trailing bytes.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let (rest, crl) = CertificateRevocationList::from_der(der)
            .map_err(|_| PkiError::decode(Structure::Crl, DecodeKind::X509))?;
        if !rest.is_empty() {
            return Err(PkiError::decode(Structure::Crl, DecodeKind::TrailingData));
        }
        let envelope =
            SignedEnvelope::from_der(der).map_err(|e| PkiError::der(Structure::Crl, e))?;
        Ok(Self {
            der: der.to_vec(),
            issuer_raw: crl.issuer().as_raw().to_vec(),
            issuer: crl.issuer().to_string(),
            envelope,
            this_update: crl.last_update().timestamp(),
            next_update: crl.next_update().map(|t| t.timestamp()),
            revoked: crl
                .iter_revoked_certificates()
                .map(|r| Revoked {
                    serial: r.raw_serial().to_vec(),
                    at: r.revocation_date.timestamp(),
                })
                .collect(),
            unknown_critical: policy::crl_unknown_critical(&crl),
        })
    }

    /// The first critical extension (of the CRL or one of its entries) that this crate cannot
    /// process, as a dotted OID; such a CRL is not used (RFC 5280 §5.2).
    pub fn unknown_critical_extension(&self) -> Option<&str> {
        self.unknown_critical.as_deref()
    }

    /// The CRL DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer, in RFC 4514 form.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

/// A certificate found in a trust store file that cannot be a trust anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedCertificate {
    /// The file it was in, when loaded from a directory.
    pub path: Option<PathBuf>,
    /// Its subject, RFC 4514.
    pub subject: String,
    pub(crate) subject_raw: Vec<u8>,
    /// Why it is not an anchor.
    pub problem: AnchorProblem,
}

/// Roots and CRLs trusted for Passive Authentication.
///
/// Each CRL's signature is checked once, against the roots named as its issuer, when the CRL
/// or the root is added; Passive Authentication then uses only CRLs a root signed.
/// Certificates in trust store files that are not roots are set aside in
/// [`TrustStore::rejected`], never used as anchors.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    roots: Vec<TrustAnchor>,
    crls: Vec<Crl>,
    /// (CRL index, root index) pairs where the root's key verified the CRL's signature.
    crl_signed_by: Vec<(usize, usize)>,
    rejected: Vec<RejectedCertificate>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a trusted root certificate (DER).
    ///
    /// # Errors
    /// As [`TrustAnchor::from_der`].
    pub fn add_root_der(&mut self, der: &[u8]) -> Result<()> {
        let root = TrustAnchor::from_der(der)?;
        let ri = self.roots.len();
        for (ci, crl) in self.crls.iter().enumerate() {
            if crl.issuer_raw == root.subject_raw
                && crl.envelope.verify_with(&root.public_key).is_ok()
            {
                self.crl_signed_by.push((ci, ri));
            }
        }
        self.roots.push(root);
        Ok(())
    }

    /// Adds a CRL (DER). Its signature is checked against the roots when it is used.
    ///
    /// # Errors
    /// As [`Crl::from_der`].
    pub fn add_crl_der(&mut self, der: &[u8]) -> Result<()> {
        let crl = Crl::from_der(der)?;
        let ci = self.crls.len();
        for (ri, root) in self.roots.iter().enumerate() {
            if crl.issuer_raw == root.subject_raw
                && crl.envelope.verify_with(&root.public_key).is_ok()
            {
                self.crl_signed_by.push((ci, ri));
            }
        }
        self.crls.push(crl);
        Ok(())
    }

    /// The CRLs naming root `ri` as issuer, each with whether that root signed it.
    pub(crate) fn crls_of_root(&self, ri: usize) -> Vec<(&Crl, bool)> {
        let Some(root) = self.roots.get(ri) else {
            return Vec::new();
        };
        self.crls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.issuer_raw == root.subject_raw)
            .map(|(ci, c)| (c, self.crl_signed_by.contains(&(ci, ri))))
            .collect()
    }

    /// Adds a certificate from a trust store file: a root becomes an anchor; a well-formed
    /// certificate that is not a root is set aside in [`TrustStore::rejected`].
    fn add_certificate_from_file(&mut self, der: &[u8], path: Option<&Path>) -> Result<()> {
        match self.add_root_der(der) {
            Err(PkiError::NotTrustAnchor { subject, problem }) => {
                let subject_raw = parse_certificate(der)?.subject().as_raw().to_vec();
                self.rejected.push(RejectedCertificate {
                    path: path.map(Path::to_path_buf),
                    subject,
                    subject_raw,
                    problem,
                });
                Ok(())
            }
            other => other,
        }
    }

    /// Adds everything in a PEM or DER buffer: PEM `CERTIFICATE` blocks as roots, `X509 CRL`
    /// blocks as CRLs; a DER buffer is tried as a certificate, then as a CRL. A certificate
    /// that is not a root (see [`TrustAnchor::from_der`]) is set aside in
    /// [`TrustStore::rejected`].
    ///
    /// # Errors
    /// [`PkiError::Decode`] for malformed content or a PEM block of another kind (a private
    /// key does not belong in a trust store).
    pub fn add_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.add_bytes_from(bytes, None)
    }

    fn add_bytes_from(&mut self, bytes: &[u8], path: Option<&Path>) -> Result<()> {
        if is_pem(bytes) {
            for block in pem_blocks(bytes)? {
                match block.label.as_str() {
                    "CERTIFICATE" => self.add_certificate_from_file(&block.contents, path)?,
                    "X509 CRL" => self.add_crl_der(&block.contents)?,
                    _ => {
                        return Err(PkiError::decode(
                            Structure::Pem,
                            DecodeKind::PemLabel {
                                expected: "CERTIFICATE and X509 CRL",
                            },
                        ));
                    }
                }
            }
            Ok(())
        } else if parse_certificate(bytes).is_ok() {
            self.add_certificate_from_file(bytes, path)
        } else {
            self.add_crl_der(bytes)
        }
    }

    /// Loads every `*.pem`, `*.crt`, `*.cer`, `*.der` and `*.crl` file in `dir` (not
    /// recursive; other files are ignored), in file-name order.
    ///
    /// # Errors
    /// [`PkiError::Io`] if the directory cannot be read, [`PkiError::InFile`] naming the
    /// file that is malformed, [`PkiError::EmptyTrustStore`] if no root was found.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let io = |source| PkiError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let wanted = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| TRUST_FILE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if wanted && path.is_file() {
                if paths.len() >= MAX_TRUST_FILES {
                    return Err(PkiError::decode(
                        Structure::Certificate,
                        DecodeKind::TooLong {
                            len: paths.len(),
                            max: MAX_TRUST_FILES,
                        },
                    ));
                }
                paths.push(path);
            }
        }
        paths.sort();
        let mut store = Self::new();
        for path in paths {
            let in_file = |e| PkiError::InFile {
                path: path.clone(),
                source: Box::new(e),
            };
            let bytes = read_bounded(&path, Structure::Certificate).map_err(in_file)?;
            store.add_bytes_from(&bytes, Some(&path)).map_err(in_file)?;
        }
        if store.roots.is_empty() {
            if let Some(r) = store.rejected.first() {
                return Err(PkiError::InFile {
                    path: r.path.clone().unwrap_or_else(|| dir.to_path_buf()),
                    source: Box::new(PkiError::NotTrustAnchor {
                        subject: r.subject.clone(),
                        problem: r.problem.clone(),
                    }),
                });
            }
            return Err(PkiError::EmptyTrustStore(dir.to_path_buf()));
        }
        Ok(store)
    }

    /// The trusted roots.
    pub fn roots(&self) -> &[TrustAnchor] {
        &self.roots
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// Certificates found in trust store files that are not roots and so are not trusted
    /// (e.g. a document signer certificate copied into the directory): tell the operator.
    pub fn rejected(&self) -> &[RejectedCertificate] {
        &self.rejected
    }

    /// A rejected certificate whose subject is `name_raw` (DER Name), if any.
    pub(crate) fn rejected_named(&self, name_raw: &[u8]) -> Option<&RejectedCertificate> {
        self.rejected.iter().find(|r| r.subject_raw == name_raw)
    }
}

/// Parses a complete DER certificate with x509-parser (no trailing bytes).
pub(crate) fn parse_certificate(der: &[u8]) -> Result<X509Certificate<'_>> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|_| PkiError::decode(Structure::Certificate, DecodeKind::X509))?;
    if !rest.is_empty() {
        return Err(PkiError::decode(
            Structure::Certificate,
            DecodeKind::TrailingData,
        ));
    }
    Ok(cert)
}

/// The (first) countryName of a Name.
pub(crate) fn country_of(name: &x509_parser::x509::X509Name<'_>) -> Option<String> {
    name.iter_country()
        .next()
        .and_then(|a| a.as_str().ok())
        .map(str::to_owned)
}
