//! What the card commands share: connecting to the card in the reader, the CAN, and the
//! printing station's keys and trust store.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use ektp::{Application, Can, TrustStore};
use ektp_pcsc::{PcscCard, PcscContext, ReaderSelector};
use ektp_pki::RingSigner;
use ektp_sm::perso::{MasterKey, TEST_MASTER_KEY_HEX};
use zeroize::Zeroizing;

use crate::config::Global;
use crate::exit::{Fail, Tag};

/// Largest master key file read (64 hex digits and some whitespace).
const MAX_MASTER_KEY_FILE_LEN: u64 = 4096;

/// Options of commands that talk to a card.
#[derive(Debug, Clone, Args)]
pub struct CardArgs {
    /// Wait up to this many seconds for a card in the reader (default: do not wait)
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub wait: u64,
}

/// Connects to the card: the `--reader` (or config) reader, else the one reader with a card
/// (cards in several readers are refused with the list: never a silent choice), waiting up
/// to `wait` seconds for one. A reader picked this way is printed on stderr (unless `-q`).
pub fn connect(global: &Global, card: &CardArgs) -> Result<PcscCard, Fail> {
    let ctx = PcscContext::establish().or_card()?;
    let wait = Duration::from_secs(card.wait);
    let name = match &global.reader {
        Some(name) => {
            ctx.reader(&ReaderSelector::Named(name.clone()))
                .or_card()?
                .name
        }
        None if card.wait == 0 => ctx.reader(&ReaderSelector::OnlyWithCard).or_card()?.name,
        None => {
            // Without a name, waiting needs one reader to watch: the only one there is.
            let names = ctx.reader_names().or_card()?;
            match ctx.reader(&ReaderSelector::OnlyWithCard) {
                Ok(r) => r.name,
                Err(e @ ektp_pcsc::PcscError::SeveralCards { .. }) => return Err(Fail::card(e)),
                Err(e) => match names.as_slice() {
                    [one] => one.clone(),
                    _ => return Err(Fail::card(e)),
                },
            }
        }
    };
    if card.wait > 0 {
        if global.verbosity >= 0 {
            eprintln!(
                "waiting up to {} for a card in reader {name:?}",
                seconds(card.wait)
            );
        }
        ctx.wait_for_card(&name, wait).or_card()?;
    }
    // A reader ektp picked is always named; one the operator named only with -v.
    if global.verbosity > 0 || (global.reader.is_none() && global.verbosity >= 0) {
        eprintln!("using reader {name:?}");
    }
    tracing::info!("using reader {name:?}");
    ctx.connect(&name).or_card()
}

/// `1 second`, `5 seconds`.
fn seconds(n: u64) -> String {
    if n == 1 {
        "1 second".to_owned()
    } else {
        format!("{n} seconds")
    }
}

/// Largest CAN file read (6 digits, a newline, perhaps a comment).
const MAX_CAN_FILE_LEN: u64 = 256;

/// Where the CAN comes from. It never has to be on the command line: in a terminal ektp asks
/// for it without echo, and scripts give `--can-file`.
#[derive(Debug, Clone, Args)]
pub struct CanArgs {
    /// The 6-digit card access number printed on the card; without it (and without
    /// EKTP_CAN or --can-file) ektp asks for it, without echo, when run in a terminal
    #[arg(long, env = "EKTP_CAN", hide_env_values = true, value_name = "CAN")]
    pub can: Option<String>,
    /// Read the CAN from FILE, for scripts (only its owner may be able to read it: chmod 600)
    #[arg(long, value_name = "FILE")]
    pub can_file: Option<PathBuf>,
}

/// The CAN: from `--can-file`, else `--can`/`EKTP_CAN`, else asked for on the terminal
/// without echo.
pub fn read_can(args: &CanArgs) -> Result<Can, Fail> {
    use std::io::IsTerminal as _;
    if let Some(path) = &args.can_file {
        let bytes = ektp_fs::read_secret(path, MAX_CAN_FILE_LEN)
            .or_config(|| format!("cannot read the CAN file {}", path.display()))?;
        let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
        let digits = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        return Can::new(digits).map_err(|_| {
            Fail::usage(format!(
                "the CAN file {} must hold the 6 digits printed on the card",
                path.display()
            ))
        });
    }
    if let Some(text) = &args.can {
        return parse_can(text);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Fail::usage(
            "no CAN: give --can CAN, EKTP_CAN or --can-file FILE (in a terminal ektp asks for it)",
        ));
    }
    let typed = Zeroizing::new(
        rpassword::prompt_password("CAN (the 6 digits printed on the card): ")
            .map_err(|e| Fail::usage(format!("cannot read the CAN from the terminal: {e}")))?,
    );
    parse_can(&typed)
}

/// Parses the CAN given on the command line.
pub fn parse_can(text: &str) -> Result<Can, Fail> {
    Can::new(text.trim())
        .map_err(|_| Fail::usage("the CAN must be the 6 digits printed on the card"))
}

/// The CVCA trust point to write at personalization: `--cvca`, else the config's
/// `cvca_certificate`, else none (the card then accepts no terminal and DG3 stays closed).
pub fn load_cvca(
    args: &StationArgs,
    global: &Global,
) -> Result<Option<ektp_pki::cvc::CvCertificate>, Fail> {
    let Some(path) = args
        .cvca
        .clone()
        .or_else(|| global.config.cvca_certificate.clone())
    else {
        return Ok(None);
    };
    let cert = crate::commands::cvc::read_certificate(&path)?;
    if cert.role() != ektp_pki::cvc::Role::Cvca {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is not a CVCA certificate (its role is {:?}): give the department's CVCA \
             certificate (`ektp cvc init-cvca` makes one) as --cvca or cvca_certificate",
            path.display(),
            cert.role()
        )));
    }
    Ok(Some(cert))
}

/// Loads and validates an application file; an invalid one is a failed validation (exit 1)
/// listing every problem.
pub fn load_application(path: &Path) -> Result<Application, Fail> {
    ektp::load_application(path).map_err(|errors| {
        let mut text = format!("{} is not a valid application:", path.display());
        for e in errors.errors() {
            text.push_str("\n  ");
            text.push_str(&e.to_string());
        }
        text.push_str("\n(run `ektp check` on it to see the same list)");
        Fail::failed(text)
    })
}

/// The trust store from `--trust` or the config's `trust_dir`.
pub fn load_trust(option: Option<&Path>, global: &Global) -> Result<TrustStore, Fail> {
    let dir = option
        .map(Path::to_path_buf)
        .or_else(|| global.config.trust_dir.clone())
        .ok_or_else(|| {
            Fail::usage(
                "no trust store: give --trust DIR (roots and CRLs) or trust_dir in --config",
            )
        })?;
    let trust = TrustStore::load_dir(&dir)
        .or_config(|| format!("cannot load the trust store {}", dir.display()))?;
    if global.verbosity >= -1 {
        for warning in rejected_warnings(&trust) {
            eprintln!("{warning}");
        }
    }
    if trust.roots().is_empty() {
        return Err(Fail::config(anyhow::anyhow!(
            "trust store {} holds no root certificate: put the department root (.pem/.crt) there",
            dir.display()
        )));
    }
    check_crls(&trust, &dir)?;
    Ok(trust)
}

/// Refuses a trust store in which some root has no genuine, current CRL: every card under
/// that root would otherwise fail `passive_authentication`, and the card would get the blame.
fn check_crls(trust: &TrustStore, dir: &Path) -> Result<(), Fail> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    for (index, root) in trust.roots().iter().enumerate() {
        if let Err(failure) = trust.crl_status(index, now) {
            return Err(Fail::config(anyhow::anyhow!(
                "trust store {} has no current CRL for root {}: {failure}; until the \
                 department's current CRL is installed there no card can verify",
                dir.display(),
                root.subject()
            )));
        }
    }
    Ok(())
}

/// One warning per certificate in the trust directory that is not a root and so is ignored
/// (a document signer certificate copied there must not be able to mint signers):
/// `ignored FILE: SUBJECT cannot be a trusted root: REASON`. Printed on stderr, never in the
/// `--json` output on stdout.
pub fn rejected_warnings(trust: &TrustStore) -> Vec<String> {
    trust
        .rejected()
        .iter()
        .map(|r| {
            let file = r
                .path
                .as_ref()
                .map_or_else(|| "certificate".to_owned(), |p| p.display().to_string());
            format!(
                "warning: ignored {file}: {} cannot be a trusted root: {}",
                r.subject, r.problem
            )
        })
        .collect()
}

/// Options naming a printing station's keys.
#[derive(Debug, Clone, Args)]
pub struct StationArgs {
    /// Document signer private key: a PKCS#8 file (PEM or DER, TEST setups), or a key in a
    /// PKCS#11 token named by its URI, `pkcs11:token=LABEL;object=NAME;type=private`
    /// [config: signer_key]
    #[arg(long, value_name = "FILE|URI")]
    pub signer_key: Option<PathBuf>,
    /// Document signer certificate (PEM or DER); with a key in a token it may also be on the
    /// token (the certificate object with the key's label) [config: signer_certificate]
    #[arg(long, value_name = "FILE")]
    pub signer_cert: Option<PathBuf>,
    /// Trust store directory: department roots and CRLs, to verify the card before locking it
    /// [config: trust_dir]
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// Batch personalization master key: a file of 64 hex digits, or an AES-256 key in a
    /// PKCS#11 token, `pkcs11:token=LABEL;object=NAME;type=secret-key` (it diversifies each
    /// chip's keys inside the token) [config: master_key_file]
    #[arg(long, value_name = "FILE|URI", conflicts_with = "test_master_key")]
    pub master_key: Option<PathBuf>,
    /// The PKCS#11 module (shared library) of the token that holds keys given as `pkcs11:`
    /// URIs, e.g. /usr/lib/softhsm/libsofthsm2.so [config: pkcs11_module]
    #[arg(long, value_name = "PATH")]
    pub pkcs11_module: Option<PathBuf>,
    /// Read the token's user PIN from FILE (its first line; only its owner may be able to read
    /// it: chmod 600). Without it (and without pin_source in --config) ektp asks for the PIN,
    /// without echo, in a terminal. The PIN is never taken on the command line
    /// [config: pin_source]
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// Use the TEST ONLY personalization master key (for virtual test chips only)
    #[arg(long)]
    pub test_master_key: bool,
    /// CVCA certificate written into each card as its Terminal Authentication trust point
    /// [config: cvca_certificate]
    #[arg(long, value_name = "FILE")]
    pub cvca: Option<PathBuf>,
}

/// A printing station's materials, loaded.
pub struct StationKeys {
    /// The document signer.
    pub signer: StationSigner,
    /// The trust store.
    pub trust: TrustStore,
    /// The batch master key (zeroized on drop, or in a token).
    pub master_key: StationMasterKey,
}

impl core::fmt::Debug for StationKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StationKeys(<redacted>)")
    }
}

/// The warning printed whenever the TEST ONLY master key is used.
pub const TEST_KEY_WARNING: &str = "WARNING: using the TEST ONLY personalization master key \
(cards/test-keys/perso-master-TEST-ONLY.hex). It is public: only virtual test chips accept it. \
Never use it at a real printing station.";

/// Loads the signer, trust store and master key from options and the config.
pub fn load_station(args: &StationArgs, global: &Global) -> Result<StationKeys, Fail> {
    let cfg = &global.config;
    let key = args
        .signer_key
        .clone()
        .or_else(|| cfg.signer_key.clone())
        .ok_or_else(|| {
            Fail::usage("no document signer key: give --signer-key FILE or signer_key in --config")
        })?;
    let cert = args
        .signer_cert
        .clone()
        .or_else(|| cfg.signer_certificate.clone());
    let mut tokens = TokenLogins::default();
    let signer = match pkcs11_uri(&key)? {
        Some(uri) => StationSigner::Token(load_token_signer(
            &uri,
            cert.as_deref(),
            args,
            global,
            &mut tokens,
        )?),
        None => {
            let cert = cert.ok_or_else(|| {
                Fail::usage(
                    "no document signer certificate: give --signer-cert FILE or \
                     signer_certificate in --config",
                )
            })?;
            StationSigner::File(Box::new(load_signer(&key, &cert)?))
        }
    };
    let trust = load_trust(args.trust.as_deref(), global)?;
    let master_key = if args.test_master_key {
        if global.verbosity >= -1 {
            eprintln!("{TEST_KEY_WARNING}");
        }
        StationMasterKey::File(
            MasterKey::from_hex(TEST_MASTER_KEY_HEX)
                .or_config(|| "the built-in TEST ONLY master key".to_owned())?,
        )
    } else {
        let path = args
            .master_key
            .clone()
            .or_else(|| cfg.master_key_file.clone())
            .ok_or_else(|| {
                Fail::usage(
                    "no personalization master key: give --master-key FILE (or master_key_file \
                     in --config), or --test-master-key for virtual TEST chips",
                )
            })?;
        match pkcs11_uri(&path)? {
            Some(uri) => {
                StationMasterKey::Token(load_token_master_key(&uri, args, global, &mut tokens)?)
            }
            None => StationMasterKey::File(read_master_key(&path)?),
        }
    };
    Ok(StationKeys {
        signer,
        trust,
        master_key,
    })
}

/// A station's document signer: a PKCS#8 key file (TEST setups) or a key in a PKCS#11 token.
pub enum StationSigner {
    /// The key from a file.
    File(Box<RingSigner>),
    /// The key in a token.
    Token(ektp_pkcs11::Pkcs11Signer),
}

impl ektp_pki::Signer for StationSigner {
    fn signature_algorithm(&self) -> ektp_pki::SignatureAlgorithm {
        match self {
            Self::File(s) => s.signature_algorithm(),
            Self::Token(s) => s.signature_algorithm(),
        }
    }

    fn certificate_der(&self) -> &[u8] {
        match self {
            Self::File(s) => s.certificate_der(),
            Self::Token(s) => s.certificate_der(),
        }
    }

    fn sign(&self, message: &[u8]) -> ektp_pki::Result<Vec<u8>> {
        match self {
            Self::File(s) => s.sign(message),
            Self::Token(s) => s.sign(message),
        }
    }
}

/// A station's batch master key: from a file (in memory, zeroized on drop) or in a PKCS#11
/// token (each chip's keys diversified inside it).
pub enum StationMasterKey {
    /// The key from a file (or the TEST ONLY key).
    File(MasterKey),
    /// The key in a token.
    Token(ektp_pkcs11::Pkcs11MasterKey),
}

impl ektp::PersoKeySource for StationMasterKey {
    fn perso_keys(
        &self,
        serial: &[u8; ektp_sm::perso::SERIAL_LEN],
    ) -> Result<ektp_sm::perso::PersoKeys, ektp::Error> {
        match self {
            Self::File(k) => k.perso_keys(serial),
            Self::Token(k) => k.perso_keys(serial),
        }
    }
}

/// The RFC 7512 URI a key option names (`pkcs11:…`), or `None` for a file.
fn pkcs11_uri(value: &Path) -> Result<Option<ektp_pkcs11::Pkcs11Uri>, Fail> {
    match value.to_str() {
        Some(text) if text.starts_with("pkcs11:") => text.parse().map(Some).map_err(Fail::token),
        _ => Ok(None),
    }
}

/// The PKCS#11 module opened and the PIN read once, for every key named by a URI.
#[derive(Default)]
struct TokenLogins {
    module: Option<ektp_pkcs11::Module>,
    pin: Option<ektp_pkcs11::Pin>,
}

impl TokenLogins {
    /// Logs in to the token `uri` names: the module from `--pkcs11-module` (or the config's
    /// `pkcs11_module`), the PIN from `--pin-file`, the config's `pin_source`, the URI's
    /// `pin-source`, else a prompt without echo in a terminal.
    fn login(
        &mut self,
        uri: &ektp_pkcs11::Pkcs11Uri,
        args: &StationArgs,
        global: &Global,
    ) -> Result<std::sync::Arc<ektp_pkcs11::Token>, Fail> {
        let module = match self.module.take() {
            Some(m) => m,
            None => {
                let path = args
                    .pkcs11_module
                    .clone()
                    .or_else(|| global.config.pkcs11_module.clone())
                    .ok_or_else(|| {
                        Fail::usage(
                            "a key is named by a pkcs11: URI but no PKCS#11 module is given: \
                             give --pkcs11-module PATH or pkcs11_module in --config",
                        )
                    })?;
                ektp_pkcs11::Module::open(&path).map_err(Fail::token)?
            }
        };
        let pin = match self.pin.take() {
            Some(p) => p,
            None => read_pin(uri, args, global)?,
        };
        let token = module.login_uri(uri, &pin).map_err(Fail::token);
        self.module = Some(module);
        self.pin = Some(pin);
        token
    }
}

/// The token's user PIN: never from the command line.
fn read_pin(
    uri: &ektp_pkcs11::Pkcs11Uri,
    args: &StationArgs,
    global: &Global,
) -> Result<ektp_pkcs11::Pin, Fail> {
    use std::io::IsTerminal as _;
    let file = args
        .pin_file
        .clone()
        .or_else(|| global.config.pin_source.clone())
        .or_else(|| uri.pin_source());
    if let Some(path) = file {
        return ektp_pkcs11::Pin::from_file(&path).map_err(Fail::token);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Fail::usage(
            "no PIN for the PKCS#11 token: give --pin-file FILE or pin_source in --config (in a \
             terminal ektp asks for it)",
        ));
    }
    let label = uri.token().unwrap_or("the token");
    let typed = rpassword::prompt_password(format!("user PIN of token {label}: "))
        .map_err(|e| Fail::usage(format!("cannot read the PIN from the terminal: {e}")))?;
    ektp_pkcs11::Pin::new(typed).map_err(Fail::token)
}

/// The document signer key in a token, with its certificate from `cert` or from the token.
fn load_token_signer(
    uri: &ektp_pkcs11::Pkcs11Uri,
    cert: Option<&Path>,
    args: &StationArgs,
    global: &Global,
    tokens: &mut TokenLogins,
) -> Result<ektp_pkcs11::Pkcs11Signer, Fail> {
    let token = tokens.login(uri, args, global)?;
    let signer = match cert {
        Some(path) => ektp_pkcs11::Pkcs11Signer::with_certificate_file(token, uri, path),
        None => ektp_pkcs11::Pkcs11Signer::new(token, uri, None),
    }
    .map_err(Fail::token)?;
    let shown = cert.map_or_else(|| PathBuf::from(uri.to_string()), Path::to_path_buf);
    check_signs_documents(ektp_pki::Signer::certificate_der(&signer), &shown)?;
    Ok(signer)
}

/// The batch master key in a token.
fn load_token_master_key(
    uri: &ektp_pkcs11::Pkcs11Uri,
    args: &StationArgs,
    global: &Global,
    tokens: &mut TokenLogins,
) -> Result<ektp_pkcs11::Pkcs11MasterKey, Fail> {
    let token = tokens.login(uri, args, global)?;
    let key = ektp_pkcs11::Pkcs11MasterKey::new(token, uri).map_err(Fail::token)?;
    if key.extractable() && global.verbosity >= -1 {
        eprintln!(
            "warning: the master key {uri} is extractable (CKA_EXTRACTABLE): a production \\
             master key should never leave its token"
        );
    }
    Ok(key)
}

/// Loads the document signer: its private key through [`ektp_fs::read_secret`] (a key file
/// group or others can read is refused with the `chmod 600` advice), its certificate as a
/// public file.
pub fn load_signer(key: &Path, cert: &Path) -> Result<RingSigner, Fail> {
    let what = || {
        format!(
            "cannot load the document signer ({} with {})",
            key.display(),
            cert.display()
        )
    };
    let max = u64::try_from(ektp_pki::keys::MAX_FILE_LEN).unwrap_or(u64::MAX);
    let is_certificate = || {
        Fail::config(anyhow::anyhow!(
            "{} is a certificate, not the document signer's private key: give the key file \
             (--signer-key, signer_key; `ektp pki init` names it *.key.pem) and the certificate \
             as --signer-cert",
            key.display()
        ))
    };
    let key_bytes = match ektp_fs::read_secret(key, max) {
        Ok(bytes) => bytes,
        Err(e) => {
            // A certificate is public (often mode 0644): say what it is rather than `chmod`.
            if ektp_pki::keys::read_bounded(key, ektp_pki::Structure::Certificate)
                .is_ok_and(|b| holds_certificate(&b))
            {
                return Err(is_certificate());
            }
            return Err(Fail::config(anyhow::Error::new(e).context(what())));
        }
    };
    if holds_certificate(&key_bytes) {
        return Err(is_certificate());
    }
    let key_der = ektp_pki::Pkcs8Key::from_bytes(&key_bytes).or_config(what)?;
    let cert_bytes =
        ektp_pki::keys::read_bounded(cert, ektp_pki::Structure::Certificate).or_config(what)?;
    if cert_bytes.windows(11).any(|w| w == b"PRIVATE KEY") {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is a private key, not the document signer certificate: give the certificate \
             (--signer-cert, signer_certificate; `ektp pki init` names it *.crt.pem)",
            cert.display()
        )));
    }
    let cert_der = ektp_pki::keys::certificates_from_bytes(&cert_bytes)
        .or_config(what)?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{} holds no certificate", cert.display()))
        .or_config(what)?;
    check_signs_documents(&cert_der, cert)?;
    RingSigner::new(&key_der, cert_der).map_err(|e| match e {
        ektp_pki::PkiError::KeyCertificateMismatch
        | ektp_pki::PkiError::KeyAlgorithmMismatch(_)
        | ektp_pki::PkiError::KeyRejected(_) => Fail::config(anyhow::anyhow!(
            "the document signer's key and certificate do not match: {} is not the private key \
             of {} (a key of another signer?); give the key and the certificate issued for it",
            key.display(),
            cert.display()
        )),
        other => Fail::config(anyhow::Error::new(other).context(what())),
    })
}

/// Whether a file given as a private key holds a certificate instead (PEM, or DER that
/// parses as one).
fn holds_certificate(bytes: &[u8]) -> bool {
    bytes.windows(17).any(|w| w == b"BEGIN CERTIFICATE")
        || x509_parser::parse_x509_certificate(bytes).is_ok()
}

/// Refuses a signer certificate that cannot sign documents (a CA such as the root, or a key
/// usage without digitalSignature) before any card is touched: every card it signed would
/// fail `passive_authentication` at the desk.
fn check_signs_documents(der: &[u8], path: &Path) -> Result<(), Fail> {
    let refuse = |why: String| {
        Fail::config(anyhow::anyhow!(
            "{} cannot sign documents: {why}; give the document signer certificate (`ektp pki \
             init` names it ID-DS1-…crt.pem)",
            path.display()
        ))
    };
    let (_, c) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| refuse("it is not a well-formed X.509 certificate".to_owned()))?;
    let subject = c.subject().to_string();
    if matches!(c.basic_constraints(), Ok(Some(bc)) if bc.value.ca) {
        return Err(refuse(format!(
            "{subject} is a CA certificate (a root?), not a document signer"
        )));
    }
    match c.key_usage() {
        Ok(Some(ku)) if ku.value.digital_signature() => Ok(()),
        Ok(Some(_)) => Err(refuse(format!(
            "the key usage of {subject} does not allow digital signatures"
        ))),
        _ => Err(refuse(format!("{subject} has no (readable) key usage"))),
    }
}

/// Reads a master key file: 64 hex digits; lines starting with `#` are comments. The file is
/// read through [`ektp_fs::read_secret`] (bounded; refused if group or others can read it,
/// with the `chmod 600` advice) and never echoed in an error.
pub fn read_master_key(path: &Path) -> Result<MasterKey, Fail> {
    let what = || format!("cannot read the master key file {}", path.display());
    let bytes = ektp_fs::read_secret(path, MAX_MASTER_KEY_FILE_LEN).map_err(|e| match e {
        ektp_fs::FsError::TooLarge { .. } => Fail::config(anyhow::anyhow!(
            "master key file {} is too large: it must hold 64 hex digits",
            path.display()
        )),
        other => Fail::config(anyhow::Error::new(other).context(what())),
    })?;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    let digits: Zeroizing<String> = Zeroizing::new(
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join(""),
    );
    MasterKey::from_hex(&digits).map_err(|_| {
        Fail::config(anyhow::anyhow!(
            "master key file {} must hold exactly 64 hex digits (32 bytes)",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_in_the_trust_directory_that_are_not_roots_are_named() {
        let dir = std::env::temp_dir().join(format!("ektp-station-trust-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pki =
            ektp_pki::test_pki::generate_test_pki(&dir, std::time::SystemTime::now()).unwrap();
        let clean = TrustStore::load_dir(&pki.trust_dir).unwrap();
        assert!(rejected_warnings(&clean).is_empty());
        // A document signer's certificate copied into the trust directory.
        let (ds_cert, _) = pki.document_signers.first().unwrap();
        let planted = pki.trust_dir.join("ds.crt.pem");
        std::fs::copy(ds_cert, &planted).unwrap();
        let trust = TrustStore::load_dir(&pki.trust_dir).unwrap();
        let warnings = rejected_warnings(&trust);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert!(
            w.starts_with(&format!("warning: ignored {}: ", planted.display())),
            "{w}"
        );
        assert!(w.contains("Document Signer 1"), "{w}");
        assert!(w.contains("cannot be a trusted root: "), "{w}");
        assert!(w.contains("not a CA certificate"), "{w}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn master_key_file_takes_64_hex_digits_and_comments() {
        let dir = std::env::temp_dir().join(format!("ektp-station-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.hex");
        ektp_fs::write_private(
            &good,
            format!("# batch 7\n{}\n", "0f".repeat(32)).as_bytes(),
        )
        .unwrap();
        assert_eq!(read_master_key(&good).unwrap().expose_bytes(), &[0x0f; 32]);
        let bad = dir.join("bad.hex");
        ektp_fs::write_private(&bad, b"0f0f").unwrap();
        let e = read_master_key(&bad).unwrap_err().error.to_string();
        assert!(e.contains("64 hex digits"), "{e}");
        assert!(!e.contains("0f0f"));
        let big = dir.join("big.hex");
        ektp_fs::write_private(&big, "0".repeat(10_000).as_bytes()).unwrap();
        assert!(read_master_key(&big).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
