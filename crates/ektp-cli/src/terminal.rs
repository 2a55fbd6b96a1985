//! The terminal options of `read` and `verify`: an inspection system's CV certificate chain
//! and key, for Chip Authentication + Terminal Authentication and DG3 (fingerprints).

use std::path::PathBuf;

use clap::Args;
use ektp::Terminal;
use ektp_pki::cvc::{AccessRights, CvCertificate, Role, SoftwareCvSigner};

use crate::commands::cvc::{read_certificate, read_key, rights_text};
use crate::exit::Fail;
use ektp::Message;

/// `--terminal-cert`, `--terminal-chain`, `--terminal-key`.
#[derive(Debug, Clone, Args)]
pub struct TerminalArgs {
    /// The terminal's (inspection system's) CV certificate: with --terminal-chain and
    /// --terminal-key, Terminal Authentication opens DG3 (fingerprints)
    #[arg(
        long,
        value_name = "IS.cvcert",
        requires_all = ["terminal_chain", "terminal_key"]
    )]
    pub terminal_cert: Option<PathBuf>,
    /// The DV certificate that issued the terminal's, and any CVCA link certificates the
    /// chip needs (comma-separated)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "DV.cvcert[,LINK.cvcert...]",
        requires = "terminal_cert"
    )]
    pub terminal_chain: Vec<PathBuf>,
    /// The terminal's private key (PKCS#8 DER from `ektp cvc request`; only its owner may
    /// be able to read it: chmod 600)
    #[arg(long, value_name = "IS.key", requires = "terminal_cert")]
    pub terminal_key: Option<PathBuf>,
}

/// A terminal loaded from its files.
pub struct LoadedTerminal {
    /// Link certificates, the DV certificate, the terminal certificate: the order the chip
    /// verifies them in.
    pub chain: Vec<CvCertificate>,
    key: SoftwareCvSigner,
}

impl core::fmt::Debug for LoadedTerminal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("LoadedTerminal(<redacted>)")
    }
}

impl LoadedTerminal {
    /// The chain and the key, for a holder that keeps them (`ektp serve`).
    pub fn into_parts(self) -> (Vec<CvCertificate>, SoftwareCvSigner) {
        (self.chain, self.key)
    }

    /// As the library's terminal.
    pub fn terminal(&self) -> Terminal<'_> {
        Terminal {
            chain: &self.chain,
            signer: &self.key,
        }
    }
}

/// Loads the terminal of `args`, if one is given. The chain is put in the chip's order (CVCA
/// link certificates first, then the DV certificate, then the terminal's), and a chain
/// whose rights do not include read DG3 is refused before the card is touched.
pub fn load_terminal(args: &TerminalArgs) -> Result<Option<LoadedTerminal>, Fail> {
    let Some(cert_path) = &args.terminal_cert else {
        return Ok(None);
    };
    let Some(key_path) = &args.terminal_key else {
        return Err(Fail::usage_said(Message::new("cli-err-terminal-needs-key")));
    };
    let is = read_certificate(cert_path)?;
    if is.role() != Role::Terminal {
        return Err(Fail::config_said(
            Message::new("cli-err-terminal-not-is")
                .arg("path", cert_path.display())
                .arg("role", format!("{:?}", is.role())),
        ));
    }
    let mut links = Vec::new();
    let mut dvs = Vec::new();
    for path in &args.terminal_chain {
        let cert = read_certificate(path)?;
        match cert.role() {
            Role::Cvca => links.push(cert),
            Role::DvDomestic | Role::DvForeign => dvs.push(cert),
            Role::Terminal => {
                return Err(Fail::config_said(
                    Message::new("cli-err-terminal-in-chain").arg("path", path.display()),
                ));
            }
        }
    }
    if dvs.is_empty() {
        return Err(Fail::usage_said(Message::new("cli-err-terminal-no-dv")));
    }
    let key = read_key(key_path)?;
    let mut chain = links;
    chain.extend(dvs);
    chain.push(is);
    let loaded = LoadedTerminal { chain, key };
    let rights = loaded.terminal().rights();
    if !rights.contains(AccessRights::READ_DG3) {
        return Err(Fail::config_said(
            Message::new("cli-err-terminal-no-read-dg3")
                .arg("terminal", loaded.terminal().reference())
                .arg("rights", rights_text(rights)),
        ));
    }
    Ok(Some(loaded))
}
