//! A printing station's or pickup desk's configuration file (TOML).
//!
//! ```toml
//! reader = "Virtual PCD 00 00"                  # optional; default: first reader with a card
//! # readers = ["Virtual PCD 00 00", "Virtual PCD 00 01"]  # batch: several readers at once
//! signer_key = "/etc/ektp/ds1.key.pem"          # document signer private key (PKCS#8 PEM/DER)
//! signer_certificate = "/etc/ektp/ds1.crt.pem"  # document signer certificate
//! trust_dir = "/etc/ektp/trust"                 # roots and CRLs
//! master_key_file = "/etc/ektp/perso-master.hex"  # batch personalization master key (64 hex digits)
//! journal = "/var/lib/ektp/journal.sqlite"      # the station's issuance journal
//! revocation_list = "/etc/ektp/revoked.txt"     # revoked document numbers, one per line
//! require_revocation_list = true                # verify refuses to run without the list
//! cvca_certificate = "/etc/ektp/IDCVCA00001.cvcert"  # CVCA trust point written at personalization
//! fingerprint_threshold = 40                    # BOZORTH3 score for a fingerprint match (default 40)
//! fingerprint_attempts = 4                      # fingerprint attempts per card session (default 4)
//! # Keys in a PKCS#11 token instead of files (RFC 7512 URIs for signer_key, master_key_file):
//! # signer_key = "pkcs11:token=ektp-station;object=ds1;type=private"
//! # master_key_file = "pkcs11:token=ektp-station;object=perso-master;type=secret-key"
//! # pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so"
//! # pin_source = "/etc/ektp/token.pin"          # the token's user PIN (chmod 600)
//! ```
//!
//! Relative paths are resolved against the configuration file's directory. Command-line options
//! override the file.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// The station configuration. Every field is optional; commands say which they need.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// PC/SC reader name (or a unique part of it).
    pub reader: Option<String>,
    /// The readers `ektp batch` drives at once (a multi-reader station); beats `reader` for
    /// the batch.
    pub readers: Option<Vec<String>>,
    /// Document signer private key file.
    pub signer_key: Option<PathBuf>,
    /// Document signer certificate file.
    pub signer_certificate: Option<PathBuf>,
    /// Trust store directory (root certificates and CRLs).
    pub trust_dir: Option<PathBuf>,
    /// Batch personalization master key file (hex).
    pub master_key_file: Option<PathBuf>,
    /// Issuance journal (SQLite).
    pub journal: Option<PathBuf>,
    /// Revocation list of document numbers.
    pub revocation_list: Option<PathBuf>,
    /// `verify` refuses to run without a revocation list (instead of reporting `not_revoked`
    /// as not checked).
    #[serde(default)]
    pub require_revocation_list: bool,
    /// The department's CVCA certificate, written into each card at personalization as its
    /// Terminal Authentication trust point.
    pub cvca_certificate: Option<PathBuf>,
    /// The PKCS#11 module of the token holding keys named by `pkcs11:` URIs.
    pub pkcs11_module: Option<PathBuf>,
    /// A file holding the token's user PIN (first line; chmod 600).
    pub pin_source: Option<PathBuf>,
    /// The fingerprint decision threshold, a BOZORTH3 score (default 40).
    pub fingerprint_threshold: Option<u32>,
    /// Fingerprint match attempts per card session (default 4); then the card needs a new
    /// session.
    pub fingerprint_attempts: Option<u8>,
    /// The issuance registry (PostgreSQL URL): `ektp registry`, `verify` (card look-up and
    /// handover) and `batch` (push of the journal after the run).
    pub registry: Option<String>,
}

/// Largest configuration file accepted.
const MAX_CONFIG_LEN: u64 = 64 * 1024;

impl Config {
    /// Loads and parses a configuration file, resolving relative paths against its directory.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(path).with_context(|| said("cli-err-config-load", path))?;
        if meta.len() > MAX_CONFIG_LEN {
            return Err(anyhow::Error::new(said("cli-err-config-too-large", path)));
        }
        let text =
            std::fs::read_to_string(path).with_context(|| said("cli-err-config-load", path))?;
        let mut config: Config =
            toml::from_str(&text).with_context(|| said("cli-err-config-invalid", path))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [
            &mut config.signer_key,
            &mut config.signer_certificate,
            &mut config.trust_dir,
            &mut config.master_key_file,
            &mut config.journal,
            &mut config.revocation_list,
            &mut config.cvca_certificate,
            &mut config.pkcs11_module,
            &mut config.pin_source,
        ]
        .into_iter()
        .flatten()
        {
            // A key named by a PKCS#11 URI is not a path.
            if p.is_relative() && !p.to_str().is_some_and(|t| t.starts_with("pkcs11:")) {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }
}

/// A configuration file error in the run's language (English in the error chain).
fn said(id: &'static str, path: &Path) -> crate::exit::Said {
    crate::exit::Said(ektp_i18n::Message::new(id).arg("path", path.display()))
}

/// Options every command takes.
#[derive(Debug, Clone, Default)]
pub struct Global {
    /// `--reader`, else the config's reader.
    pub reader: Option<String>,
    /// `--json`: machine output on stdout.
    pub json: bool,
    /// `-q` (negative) / `-v` (positive).
    pub verbosity: i8,
    /// The loaded `--config` file, or defaults.
    pub config: Config,
}
