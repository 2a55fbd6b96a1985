//! TEST ONLY PKI: a root, document signers and CRLs for development and tests.
//!
//! Every name and file made here says TEST ONLY. Nothing in this crate loads these files on
//! its own: a trust store or signer only ever uses the paths a caller passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevokedCertParams, SerialNumber,
};
use ring::rand::SecureRandom;

use crate::error::{DecodeKind, PkiError, Result, Structure};
use crate::keys::{Pkcs8Key, pem_encode};
use crate::signer::RingSigner;

/// [`crate::alg::oid::REVOCATION_SIGNER`] as arcs, for `rcgen`.
const REVOCATION_SIGNER_ARCS: [u64; 10] = [1, 3, 6, 1, 4, 1, 99999, 360, 1, 2];

/// The marker every TEST ONLY name carries.
pub const TEST_ONLY: &str = "TEST ONLY";

/// The key for a TEST ONLY certificate.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TestKey {
    /// Generate a P-256 key (ECDSA-SHA-256).
    EcdsaP256,
    /// Generate a P-384 key (ECDSA-SHA-384).
    EcdsaP384,
    /// Use this PKCS#8 key (e.g. RSA from `openssl genpkey`; RSA signs with PKCS#1 v1.5
    /// SHA-256, since `ring` cannot generate RSA keys).
    Pkcs8(Pkcs8Key),
}

fn key_pair(key: &TestKey) -> Result<KeyPair> {
    Ok(match key {
        TestKey::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
        TestKey::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?,
        TestKey::Pkcs8(k) => KeyPair::try_from(k.as_der())?,
    })
}

fn test_only(name: &str) -> String {
    if name.contains(TEST_ONLY) {
        name.to_owned()
    } else {
        format!("{name} {TEST_ONLY}")
    }
}

fn dn(country: &str, organization: &str, common_name: &str) -> Result<DistinguishedName> {
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString(country.try_into()?),
    );
    dn.push(DnType::OrganizationName, test_only(organization));
    dn.push(DnType::CommonName, test_only(common_name));
    Ok(dn)
}

fn random_serial() -> Result<SerialNumber> {
    let mut b = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| PkiError::SigningFailed)?;
    if let Some(first) = b.first_mut() {
        *first = (*first & 0x7F) | 0x40;
    }
    Ok(SerialNumber::from_slice(&b))
}

/// A root's signing key: in memory (generated here, or a PKCS#8 file), or held elsewhere and
/// reached through `rcgen`'s remote-signing trait (a PKCS#11 token: `ektp-pkcs11`).
enum CaKey {
    Local(Box<KeyPair>),
    Remote(Box<dyn rcgen::SigningKey + Send + Sync>),
}

impl rcgen::PublicKeyData for CaKey {
    fn der_bytes(&self) -> &[u8] {
        match self {
            Self::Local(k) => k.der_bytes(),
            Self::Remote(k) => k.der_bytes(),
        }
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            Self::Local(k) => rcgen::PublicKeyData::algorithm(k.as_ref()),
            Self::Remote(k) => k.algorithm(),
        }
    }
}

impl rcgen::SigningKey for CaKey {
    fn sign(&self, msg: &[u8]) -> core::result::Result<Vec<u8>, rcgen::Error> {
        match self {
            Self::Local(k) => k.sign(msg),
            Self::Remote(k) => k.sign(msg),
        }
    }
}

/// A TEST ONLY root (Country Signing CA) that can issue document signers and CRLs.
pub struct TestCa {
    params: CertificateParams,
    key: CaKey,
    certificate: Vec<u8>,
}

impl core::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TestCa")
            .field("certificate_len", &self.certificate.len())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl TestCa {
    /// Makes a self-signed TEST ONLY root: basicConstraints CA (path length 0), key usage
    /// keyCertSign and cRLSign. " TEST ONLY" is appended to the organization and common
    /// name if they lack it.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if the key or certificate cannot be made (e.g. a country that is
    /// not a PrintableString).
    pub fn new(
        country: &str,
        organization: &str,
        common_name: &str,
        key: &TestKey,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Self> {
        let key = CaKey::Local(Box::new(key_pair(key)?));
        Self::with_key(
            country,
            organization,
            common_name,
            key,
            not_before,
            not_after,
        )
    }

    /// As [`TestCa::new`], with a key that signs elsewhere (e.g. a key generated inside a
    /// PKCS#11 token, through `ektp_pkcs11::Pkcs11CertKey`): the root's private key never
    /// exists here, and every certificate and CRL it issues is signed by `key`.
    ///
    /// # Errors
    /// As [`TestCa::new`]; [`PkiError::TestPki`] also if `key` fails to sign.
    pub fn with_signing_key(
        country: &str,
        organization: &str,
        common_name: &str,
        key: Box<dyn rcgen::SigningKey + Send + Sync>,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Self> {
        let key = CaKey::Remote(key);
        Self::with_key(
            country,
            organization,
            common_name,
            key,
            not_before,
            not_after,
        )
    }

    fn with_key(
        country: &str,
        organization: &str,
        common_name: &str,
        key: CaKey,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Self> {
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(country, organization, common_name)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = not_before.into();
        params.not_after = not_after.into();
        params.serial_number = Some(random_serial()?);
        let certificate = params.self_signed(&key)?.der().to_vec();
        Ok(Self {
            params,
            key,
            certificate,
        })
    }

    /// The root certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// The root certificate, PEM.
    pub fn certificate_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.certificate)
    }

    /// The root's private key (TEST ONLY).
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if the key is held elsewhere ([`TestCa::with_signing_key`]: it
    /// cannot be had), else as [`Pkcs8Key::from_der`] (not expected).
    pub fn key(&self) -> Result<Pkcs8Key> {
        match &self.key {
            CaKey::Local(k) => Pkcs8Key::from_der(k.serialize_der()),
            CaKey::Remote(_) => Err(PkiError::TestPki(rcgen::Error::RemoteKeyError)),
        }
    }

    /// Issues a TEST ONLY document signer certificate.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if the key or certificate cannot be made.
    pub fn issue_document_signer(&self, spec: &DocumentSignerSpec) -> Result<TestDocumentSigner> {
        self.issue_with(spec, false)
    }

    fn issue_with(
        &self,
        spec: &DocumentSignerSpec,
        revocation_signer: bool,
    ) -> Result<TestDocumentSigner> {
        let key = key_pair(&spec.key)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(&spec.country, &spec.organization, &spec.common_name)?;
        params.key_usages = if spec.digital_signature {
            vec![KeyUsagePurpose::DigitalSignature]
        } else {
            vec![KeyUsagePurpose::ContentCommitment]
        };
        params.not_before = spec.not_before.into();
        params.not_after = spec.not_after.into();
        params.use_authority_key_identifier_extension = true;
        if spec.ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        if revocation_signer {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(
                REVOCATION_SIGNER_ARCS.to_vec(),
            )];
        }
        if let Some(oid) = &spec.critical_extension {
            let mut ext = rcgen::CustomExtension::from_oid_content(oid, vec![0x05, 0x00]);
            ext.set_criticality(true);
            params.custom_extensions.push(ext);
        }
        let serial = random_serial()?;
        params.serial_number = Some(serial);
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer)?;
        Ok(TestDocumentSigner {
            certificate: cert.der().to_vec(),
            key: Pkcs8Key::from_der(key.serialize_der())?,
            subject: params.distinguished_name,
        })
    }

    /// Issues a TEST ONLY revocation signer: an end entity with key usage digitalSignature
    /// and the extended key usage [`crate::alg::oid::REVOCATION_SIGNER`], the only certificate
    /// whose revocation lists ([`crate::revocation_list`]) desks accept. `spec.digital_signature`,
    /// `spec.ca` and `spec.critical_extension` are honoured as for a document signer.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if the key or certificate cannot be made.
    pub fn issue_revocation_signer(&self, spec: &DocumentSignerSpec) -> Result<TestDocumentSigner> {
        self.issue_with(spec, true)
    }

    /// Issues a TEST ONLY CRL listing `revoked` (raw serial numbers, as
    /// [`TestDocumentSigner::serial`] returns them), revoked at `this_update`.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if `next_update` is not after `this_update` or signing fails.
    pub fn crl(
        &self,
        revoked: &[&[u8]],
        this_update: SystemTime,
        next_update: SystemTime,
        crl_number: u64,
    ) -> Result<Vec<u8>> {
        let params = CertificateRevocationListParams {
            this_update: this_update.into(),
            next_update: next_update.into(),
            crl_number: SerialNumber::from(crl_number),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|s| RevokedCertParams {
                    serial_number: SerialNumber::from_slice(s),
                    revocation_time: this_update.into(),
                    reason_code: Some(rcgen::RevocationReason::KeyCompromise),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let issuer = Issuer::from_params(&self.params, &self.key);
        Ok(params.signed_by(&issuer)?.der().to_vec())
    }
}

impl TestCa {
    /// ATTACK, TEST ONLY: a root-signed delta CRL (RFC 5280 §5.2.4: the critical
    /// deltaCRLIndicator naming `base_crl_number`) listing `revoked`, to show a desk never lets
    /// a CRL it cannot fully process decide revocation.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if generation or signing fails, [`PkiError::Decode`] if the CRL
    /// made by `rcgen` has an unexpected shape.
    pub fn delta_crl(
        &self,
        revoked: &[&[u8]],
        this_update: SystemTime,
        next_update: SystemTime,
        crl_number: u64,
        base_crl_number: u8,
    ) -> Result<Vec<u8>> {
        use ektp_iso7816::tlv;
        use rcgen::SigningKey as _;
        let crl = self.crl(revoked, this_update, next_update, crl_number)?;
        let shape = |_| PkiError::decode(Structure::Crl, DecodeKind::X509);
        let outer = tlv::parse_one(&crl).map_err(shape)?;
        let mut parts = outer.children().map_err(shape)?;
        let tbs = parts.expect(0x30).map_err(shape)?;
        let algorithm = parts.expect(0x30).map_err(shape)?;
        // deltaCRLIndicator (2.5.29.27), critical, BaseCRLNumber.
        let mut delta = tlv::Writer::new();
        delta.nested(0x30, |w| {
            w.put(0x06, &[0x55, 0x1D, 0x1B])
                .put(0x01, &[0xFF])
                .put(0x04, &tlv::encode(0x02, &[base_crl_number]));
        });
        let mut fields = tbs.children().map_err(shape)?;
        let mut new_tbs = tlv::Writer::new();
        let mut extended = false;
        new_tbs.nested(0x30, |w| {
            while let Ok(Some(field)) = fields.next_tlv() {
                match field.tag.value() {
                    0xA0 => {
                        let exts = field
                            .children()
                            .and_then(|mut r| r.expect(0x30))
                            .map(|e| e.value)
                            .unwrap_or_default();
                        w.nested(0xA0, |w| {
                            w.nested(0x30, |w| {
                                w.raw(exts).raw(delta.as_bytes());
                            });
                        });
                        extended = true;
                    }
                    _ => {
                        w.raw(field.raw);
                    }
                }
            }
        });
        if !extended {
            return Err(PkiError::decode(
                Structure::Crl,
                DecodeKind::MissingField("crlExtensions"),
            ));
        }
        let tbs = new_tbs.into_bytes();
        let signature = self.key.sign(&tbs)?;
        let mut bits = vec![0u8];
        bits.extend_from_slice(&signature);
        let mut out = tlv::Writer::new();
        out.nested(0x30, |w| {
            w.raw(&tbs).raw(algorithm.raw).put(0x03, &bits);
        });
        Ok(out.into_bytes())
    }
}

/// A public key that a TEST ONLY root certifies without holding its private key (the key
/// lives in a token).
struct ForeignPublicKey {
    point: Vec<u8>,
    algorithm: &'static rcgen::SignatureAlgorithm,
}

impl rcgen::PublicKeyData for ForeignPublicKey {
    fn der_bytes(&self) -> &[u8] {
        &self.point
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        self.algorithm
    }
}

impl TestCa {
    /// TEST ONLY: certifies a document signer key generated elsewhere (e.g. inside a PKCS#11
    /// token by `pkcs11-tool --keypairgen`), from its public key (EC P-256, P-384 or RSA).
    /// `spec.key` is ignored. Returns the certificate (DER).
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if the certificate cannot be made.
    pub fn issue_document_signer_for_public_key(
        &self,
        spec: &DocumentSignerSpec,
        public_key: &crate::alg::PublicKey,
    ) -> Result<Vec<u8>> {
        use crate::alg::PublicKey;
        let (point, algorithm) = match public_key {
            PublicKey::EcP256(p) => (p.clone(), &rcgen::PKCS_ECDSA_P256_SHA256),
            PublicKey::EcP384(p) => (p.clone(), &rcgen::PKCS_ECDSA_P384_SHA384),
            PublicKey::Rsa(p) => (p.clone(), &rcgen::PKCS_RSA_SHA256),
        };
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(&spec.country, &spec.organization, &spec.common_name)?;
        params.key_usages = if spec.digital_signature {
            vec![KeyUsagePurpose::DigitalSignature]
        } else {
            vec![KeyUsagePurpose::ContentCommitment]
        };
        params.not_before = spec.not_before.into();
        params.not_after = spec.not_after.into();
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial()?);
        let issuer = Issuer::from_params(&self.params, &self.key);
        let key = ForeignPublicKey { point, algorithm };
        Ok(params.signed_by(&key, &issuer)?.der().to_vec())
    }
}

/// What document signer to issue.
#[derive(Clone, Debug)]
pub struct DocumentSignerSpec {
    /// Subject countryName (the root's, unless testing a mismatch).
    pub country: String,
    /// Subject organizationName (" TEST ONLY" appended if missing).
    pub organization: String,
    /// Subject commonName (" TEST ONLY" appended if missing).
    pub common_name: String,
    /// The key.
    pub key: TestKey,
    /// Validity start.
    pub not_before: SystemTime,
    /// Validity end.
    pub not_after: SystemTime,
    /// Key usage digitalSignature (false: contentCommitment only, for negative tests).
    pub digital_signature: bool,
    /// basicConstraints cA = TRUE (a malformed document signer, for negative tests).
    pub ca: bool,
    /// A critical private extension (this OID, content NULL) no verifier can process, for
    /// negative tests.
    pub critical_extension: Option<Vec<u64>>,
}

impl DocumentSignerSpec {
    /// An Indonesian TEST ONLY document signer valid from a day before `now` for ten years.
    pub fn new(common_name: &str, key: TestKey, now: SystemTime) -> Self {
        Self {
            country: "ID".to_owned(),
            organization: "Dukcapil".to_owned(),
            common_name: common_name.to_owned(),
            key,
            not_before: now.checked_sub(DAY).unwrap_or(now),
            not_after: now.checked_add(DAY.saturating_mul(3653)).unwrap_or(now),
            digital_signature: true,
            ca: false,
            critical_extension: None,
        }
    }
}

const DAY: Duration = Duration::from_secs(86_400);

/// A TEST ONLY document signer: certificate and private key.
#[derive(Clone, Debug)]
pub struct TestDocumentSigner {
    certificate: Vec<u8>,
    key: Pkcs8Key,
    /// Its subject, for the attack generators that use its key as an issuer.
    subject: DistinguishedName,
}

impl TestDocumentSigner {
    /// The certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// The certificate, PEM.
    pub fn certificate_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.certificate)
    }

    /// The private key (TEST ONLY).
    pub fn key(&self) -> &Pkcs8Key {
        &self.key
    }

    /// The certificate's raw serial number.
    ///
    /// # Errors
    /// [`PkiError::Decode`] if the certificate does not parse (not expected).
    pub fn serial(&self) -> Result<Vec<u8>> {
        Ok(crate::trust::parse_certificate(&self.certificate)?
            .raw_serial()
            .to_vec())
    }

    /// A `ring` signer for this key and certificate.
    ///
    /// # Errors
    /// As [`RingSigner::new`].
    pub fn signer(&self) -> Result<RingSigner> {
        RingSigner::new(&self.key, self.certificate.clone())
    }

    /// ATTACK, TEST ONLY: what someone holding this document signer's key can make. A new
    /// "document signer" certificate issued with this key (issuer = this signer's subject) and a
    /// current empty CRL signed by it, to drop into a desk's trust directory next to this
    /// signer's certificate. A desk must refuse cards signed by the minted signer.
    ///
    /// # Errors
    /// [`PkiError::TestPki`] if generation fails.
    pub fn mint_signer_and_crl(
        &self,
        spec: &DocumentSignerSpec,
    ) -> Result<(TestDocumentSigner, Vec<u8>)> {
        let own_key = KeyPair::try_from(self.key.as_der())?;
        let mut as_issuer = CertificateParams::default();
        as_issuer.distinguished_name = self.subject.clone();
        let issuer = Issuer::new(as_issuer, &own_key);
        let key = key_pair(&spec.key)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(&spec.country, &spec.organization, &spec.common_name)?;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.not_before = spec.not_before.into();
        params.not_after = spec.not_after.into();
        params.serial_number = Some(random_serial()?);
        let cert = params.signed_by(&key, &issuer)?;
        let crl = CertificateRevocationListParams {
            this_update: spec.not_before.into(),
            next_update: spec.not_after.into(),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: Vec::new(),
            key_identifier_method: KeyIdMethod::Sha256,
        }
        .signed_by(&issuer)?;
        Ok((
            TestDocumentSigner {
                certificate: cert.der().to_vec(),
                key: Pkcs8Key::from_der(key.serialize_der())?,
                subject: params.distinguished_name,
            },
            crl.der().to_vec(),
        ))
    }
}

/// Paths written by [`generate_test_pki`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestPkiFiles {
    /// The trust store directory (root certificate and CRL only).
    pub trust_dir: PathBuf,
    /// Root certificate (PEM), inside `trust_dir`.
    pub root_certificate: PathBuf,
    /// Current CRL (PEM), inside `trust_dir`.
    pub crl: PathBuf,
    /// Root private key (PEM PKCS#8).
    pub root_key: PathBuf,
    /// Document signers: (certificate PEM, private key PEM PKCS#8).
    pub document_signers: Vec<(PathBuf, PathBuf)>,
    /// The revocation signer: (certificate PEM, private key PEM PKCS#8).
    pub revocation_signer: (PathBuf, PathBuf),
}

fn write_new(path: &Path, contents: &[u8], private: bool) -> Result<()> {
    let io = |source| PkiError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A private key: created 0600, `O_EXCL|O_NOFOLLOW` (whatever the umask, never through a
    // symlink planted at its name).
    let mut f = if private {
        ektp_fs::create_private(path).map_err(|e| match e {
            ektp_fs::FsError::Io { source, .. } => io(source),
            other => io(std::io::Error::other(other)),
        })?
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?
    };
    f.write_all(contents).map_err(io)?;
    f.sync_all().map_err(io)
}

/// Writes a complete TEST ONLY PKI into `dir` (created if missing; existing files are never
/// overwritten):
///
/// ```text
/// dir/README-TEST-ONLY.txt
/// dir/trust/ID-CSCA-TEST-ONLY.crt.pem    root, P-384, valid now-1d .. now+15y
/// dir/trust/ID-CSCA-TEST-ONLY.crl.pem    CRL, no entries, now-1h .. now+90d
/// dir/ID-CSCA-TEST-ONLY.key.pem          root key (mode 0600)
/// dir/ID-DS1-TEST-ONLY.crt.pem / .key.pem document signer 1, P-256, now-1d .. now+10y
/// dir/ID-DS2-TEST-ONLY.crt.pem / .key.pem document signer 2, P-384, now-1d .. now+10y
/// dir/ID-RLS-TEST-ONLY.crt.pem / .key.pem revocation list signer, P-256, now-1d .. now+10y
/// ```
///
/// `dir/trust` is what [`crate::TrustStore::load_dir`] takes.
///
/// # Errors
/// [`PkiError::Io`] if a file exists or cannot be written, [`PkiError::TestPki`] if
/// generation fails.
pub fn generate_test_pki(dir: &Path, now: SystemTime) -> Result<TestPkiFiles> {
    let trust_dir = dir.join("trust");
    std::fs::create_dir_all(&trust_dir).map_err(|source| PkiError::Io {
        path: trust_dir.clone(),
        source,
    })?;
    let ago = |d: Duration| now.checked_sub(d).unwrap_or(now);
    let ahead = |d: Duration| now.checked_add(d).unwrap_or(now);
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA Indonesia e-KTP",
        &TestKey::EcdsaP384,
        ago(DAY),
        ahead(DAY.saturating_mul(5479)),
    )?;
    let crl = root.crl(
        &[],
        ago(Duration::from_secs(3600)),
        ahead(DAY.saturating_mul(90)),
        1,
    )?;
    let files = TestPkiFiles {
        root_certificate: trust_dir.join("ID-CSCA-TEST-ONLY.crt.pem"),
        crl: trust_dir.join("ID-CSCA-TEST-ONLY.crl.pem"),
        trust_dir,
        root_key: dir.join("ID-CSCA-TEST-ONLY.key.pem"),
        document_signers: vec![
            (
                dir.join("ID-DS1-TEST-ONLY.crt.pem"),
                dir.join("ID-DS1-TEST-ONLY.key.pem"),
            ),
            (
                dir.join("ID-DS2-TEST-ONLY.crt.pem"),
                dir.join("ID-DS2-TEST-ONLY.key.pem"),
            ),
        ],
        revocation_signer: (
            dir.join("ID-RLS-TEST-ONLY.crt.pem"),
            dir.join("ID-RLS-TEST-ONLY.key.pem"),
        ),
    };
    write_new(
        &dir.join("README-TEST-ONLY.txt"),
        b"TEST ONLY PKI generated by ektp-pki. These keys are public test fixtures:\n\
          never trust this root for real documents, never sign real cards with these keys.\n",
        false,
    )?;
    write_new(
        &files.root_certificate,
        root.certificate_pem().as_bytes(),
        false,
    )?;
    write_new(&files.crl, pem_encode("X509 CRL", &crl).as_bytes(), false)?;
    write_new(&files.root_key, root.key()?.to_pem().as_bytes(), true)?;
    let specs = [
        DocumentSignerSpec::new("Document Signer 1", TestKey::EcdsaP256, now),
        DocumentSignerSpec::new("Document Signer 2", TestKey::EcdsaP384, now),
    ];
    for (spec, (cert_path, key_path)) in specs.iter().zip(&files.document_signers) {
        let ds = root.issue_document_signer(spec)?;
        write_new(cert_path, ds.certificate_pem().as_bytes(), false)?;
        write_new(key_path, ds.key().to_pem().as_bytes(), true)?;
    }
    let rls = root.issue_revocation_signer(&DocumentSignerSpec::new(
        "Revocation List Signer",
        TestKey::EcdsaP256,
        now,
    ))?;
    write_new(
        &files.revocation_signer.0,
        rls.certificate_pem().as_bytes(),
        false,
    )?;
    write_new(
        &files.revocation_signer.1,
        rls.key().to_pem().as_bytes(),
        true,
    )?;
    Ok(files)
}
