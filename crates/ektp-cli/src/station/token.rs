//! Station keys in a PKCS#11 token: the signer, the batch master key, one login per module.

use super::*;

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
pub(super) fn pkcs11_uri(value: &Path) -> Result<Option<ektp_pkcs11::Pkcs11Uri>, Fail> {
    match value.to_str() {
        Some(text) if text.starts_with("pkcs11:") => text.parse().map(Some).map_err(Fail::token),
        _ => Ok(None),
    }
}

/// The PKCS#11 module opened and the PIN read once, for every key named by a URI.
#[derive(Default)]
pub(super) struct TokenLogins {
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
pub(super) fn read_pin(
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
pub(super) fn load_token_signer(
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
pub(super) fn load_token_master_key(
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
