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
use crate::exit::{Fail, Said, Tag};
use ektp::Message;

mod can;
mod token;
mod trust;

pub use can::*;
pub use token::*;
pub use trust::*;

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
                "{}",
                crate::text::f(
                    "cli-waiting-for-card",
                    &[("seconds", &card.wait.to_string()), ("name", &name)]
                )
            );
        }
        ctx.wait_for_card(&name, wait).or_card()?;
    }
    // A reader ektp picked is always named; one the operator named only with -v.
    if global.verbosity > 0 || (global.reader.is_none() && global.verbosity >= 0) {
        eprintln!("{}", crate::text::f("cli-using-reader", &[("name", &name)]));
    }
    tracing::info!("using reader {name:?}");
    ctx.connect(&name).or_card()
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

/// Loads the signer, trust store and master key from options and the config.
pub fn load_station(args: &StationArgs, global: &Global) -> Result<StationKeys, Fail> {
    let cfg = &global.config;
    let key = args
        .signer_key
        .clone()
        .or_else(|| cfg.signer_key.clone())
        .ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-signer-key")))?;
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
            let cert =
                cert.ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-signer-cert")))?;
            StationSigner::File(Box::new(load_signer(&key, &cert)?))
        }
    };
    let trust = load_trust(args.trust.as_deref(), global)?;
    let master_key = if args.test_master_key {
        if global.verbosity >= -1 {
            // The warning printed whenever the TEST ONLY master key is used.
            eprintln!("{}", crate::text::t("station-test-key-warning"));
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
            .ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-master-key")))?;
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

/// Loads the document signer: its private key through [`ektp_fs::read_secret`] (a key file
/// group or others can read is refused with the `chmod 600` advice), its certificate as a
/// public file.
pub fn load_signer(key: &Path, cert: &Path) -> Result<RingSigner, Fail> {
    let what = || {
        Message::new("cli-err-signer-load")
            .arg("key", key.display())
            .arg("cert", cert.display())
    };
    let max = u64::try_from(ektp_pki::keys::MAX_FILE_LEN).unwrap_or(u64::MAX);
    let is_certificate =
        || Fail::config_said(Message::new("cli-err-key-is-cert").arg("path", key.display()));
    let key_bytes = match ektp_fs::read_secret(key, max) {
        Ok(bytes) => bytes,
        Err(e) => {
            // A certificate is public (often mode 0644): say what it is rather than `chmod`.
            if ektp_pki::keys::read_bounded(key, ektp_pki::Structure::Certificate)
                .is_ok_and(|b| holds_certificate(&b))
            {
                return Err(is_certificate());
            }
            return Err(Fail::config(anyhow::Error::new(e).context(Said(what()))));
        }
    };
    if holds_certificate(&key_bytes) {
        return Err(is_certificate());
    }
    let key_der = ektp_pki::Pkcs8Key::from_bytes(&key_bytes).or_config_said(what)?;
    let cert_bytes = ektp_pki::keys::read_bounded(cert, ektp_pki::Structure::Certificate)
        .or_config_said(what)?;
    if cert_bytes.windows(11).any(|w| w == b"PRIVATE KEY") {
        return Err(Fail::config_said(
            Message::new("cli-err-cert-is-key").arg("path", cert.display()),
        ));
    }
    let cert_der = ektp_pki::keys::certificates_from_bytes(&cert_bytes)
        .or_config_said(what)?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{} holds no certificate", cert.display()))
        .or_config_said(what)?;
    check_signs_documents(&cert_der, cert)?;
    RingSigner::new(&key_der, cert_der).map_err(|e| match e {
        ektp_pki::PkiError::KeyCertificateMismatch
        | ektp_pki::PkiError::KeyAlgorithmMismatch(_)
        | ektp_pki::PkiError::KeyRejected(_) => Fail::config_said(
            Message::new("cli-err-key-cert-mismatch")
                .arg("key", key.display())
                .arg("cert", cert.display()),
        ),
        other => Fail::config(anyhow::Error::new(other).context(Said(what()))),
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
    let refuse = |why: Message| {
        Fail::config_said(
            Message::new("cli-err-cannot-sign")
                .arg("path", path.display())
                .msg("why", why),
        )
    };
    let (_, c) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| refuse(Message::new("cli-why-not-x509")))?;
    let subject = c.subject().to_string();
    let why = |id| Message::new(id).arg("subject", &subject);
    if matches!(c.basic_constraints(), Ok(Some(bc)) if bc.value.ca) {
        return Err(refuse(why("cli-why-ca")));
    }
    match c.key_usage() {
        Ok(Some(ku)) if ku.value.digital_signature() => Ok(()),
        Ok(Some(_)) => Err(refuse(why("cli-why-no-digital-signature"))),
        _ => Err(refuse(why("cli-why-no-key-usage"))),
    }
}

/// Reads a master key file: 64 hex digits; lines starting with `#` are comments. The file is
/// read through [`ektp_fs::read_secret`] (bounded; refused if group or others can read it,
/// with the `chmod 600` advice) and never echoed in an error.
pub fn read_master_key(path: &Path) -> Result<MasterKey, Fail> {
    let said = |id| Message::new(id).arg("path", path.display());
    let bytes = ektp_fs::read_secret(path, MAX_MASTER_KEY_FILE_LEN).map_err(|e| match e {
        ektp_fs::FsError::TooLarge { .. } => Fail::config_said(said("cli-err-master-key-large")),
        other => {
            Fail::config(anyhow::Error::new(other).context(Said(said("cli-err-master-key-read"))))
        }
    })?;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    let digits: Zeroizing<String> = Zeroizing::new(
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join(""),
    );
    MasterKey::from_hex(&digits).map_err(|_| Fail::config_said(said("cli-err-master-key-digits")))
}

#[cfg(test)]
mod tests;
