//! `ektp pki init DIR` (a TEST ONLY PKI) and `ektp pki show FILE` (describe a certificate,
//! CRL or EF.SOD).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Subcommand;
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;

mod show;
mod token;

/// `ektp pki …`.
#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Write a TEST ONLY PKI (root, CRL, two document signers, a revocation list signer, a test
    /// station config)
    Init {
        /// Directory to write into (created; existing files are never overwritten)
        dir: PathBuf,
        /// Generate every key inside this PKCS#11 module's token (root, document signer,
        /// CVCA, DV, terminal, batch master key; non-extractable); certificates and CRL stay
        /// outside, e.g. /usr/lib/softhsm/libsofthsm2.so
        #[arg(long, value_name = "MODULE", requires = "token")]
        pkcs11: Option<PathBuf>,
        /// The label of the token to generate the keys in (with --pkcs11)
        #[arg(long, value_name = "LABEL", requires = "pkcs11")]
        token: Option<String>,
        /// Read the token's user PIN from FILE (chmod 600); without it ektp asks in a terminal
        #[arg(long, value_name = "FILE", requires = "pkcs11")]
        pin_file: Option<PathBuf>,
    },
    /// Describe a certificate, a CRL or an EF.SOD file (PEM or DER)
    Show {
        /// The file
        file: PathBuf,
    },
}

/// Runs `ektp pki`.
pub fn run(cmd: &PkiCommand, global: &Global) -> Result<ExitCode, Fail> {
    match cmd {
        PkiCommand::Init {
            dir,
            pkcs11: Some(module),
            token: Some(token),
            pin_file,
        } => token::init_pkcs11(dir, module, token, pin_file.as_deref(), global),
        PkiCommand::Init { dir, .. } => init(dir, global),
        PkiCommand::Show { file } => show::show(file, global),
    }
}

/// Writes a new file (never overwriting, never through a symlink), 0600 if `private`.
pub(super) fn write_new(path: &Path, contents: &[u8], private: bool) -> Result<(), Fail> {
    let what = || format!("cannot write {}", path.display());
    let mut file = if private {
        ektp_fs::create_private(path).or_config(what)?
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .or_config(what)?
    };
    std::io::Write::write_all(&mut file, contents)
        .and_then(|()| file.sync_all())
        .or_config(what)
}

fn init(dir: &Path, global: &Global) -> Result<ExitCode, Fail> {
    let files = ektp_pki::test_pki::generate_test_pki(dir, SystemTime::now())
        .or_config(|| format!("cannot write the TEST PKI into {}", dir.display()))?;
    let (ds_cert, ds_key) = files
        .document_signers
        .first()
        .cloned()
        .ok_or_else(|| Fail::config(anyhow::anyhow!("the TEST PKI has no document signer")))?;
    // A complete TEST station: the TEST ONLY master key and a config naming everything.
    let master = dir.join("perso-master-TEST-ONLY.hex");
    write_new(
        &master,
        format!("{}\n", ektp_sm::perso::TEST_MASTER_KEY_HEX.trim()).as_bytes(),
        true,
    )?;
    let station = dir.join("station-TEST-ONLY.toml");
    let name = |p: &Path| {
        p.strip_prefix(dir)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let toml = format!(
        "# TEST ONLY printing station, written by `ektp pki init`. Never use for real cards.\n\
         signer_key = {:?}\nsigner_certificate = {:?}\ntrust_dir = {:?}\nmaster_key_file = {:?}\n\
         journal = \"journal-TEST-ONLY.sqlite\"\n",
        name(&ds_key),
        name(&ds_cert),
        name(&files.trust_dir),
        name(&master),
    );
    write_new(&station, toml.as_bytes(), false)?;

    let mut written: Vec<(String, PathBuf)> = vec![
        (
            "root certificate (trust store)".into(),
            files.root_certificate.clone(),
        ),
        ("CRL (trust store)".into(), files.crl.clone()),
        ("root private key".into(), files.root_key.clone()),
    ];
    for (i, (cert, key)) in files.document_signers.iter().enumerate() {
        let n = i.saturating_add(1);
        written.push((format!("document signer {n} certificate"), cert.clone()));
        written.push((format!("document signer {n} private key"), key.clone()));
    }
    let (rls_cert, rls_key) = files.revocation_signer.clone();
    written.push(("revocation list signer certificate".into(), rls_cert));
    written.push(("revocation list signer private key".into(), rls_key));
    written.push(("personalization master key".into(), master));
    written.push(("station config".into(), station.clone()));
    print_written(dir, &files.trust_dir, &station, &written, false, global)?;
    if global.verbosity >= 0 {
        eprintln!(
            "TEST ONLY: the PKI in {} is for trying ektp out, never for real cards",
            dir.display()
        );
    }
    Ok(exit::OK)
}

/// What `pki init` wrote, as JSON or a list with the next step.
pub(super) fn print_written(
    dir: &Path,
    trust_dir: &Path,
    station: &Path,
    written: &[(String, PathBuf)],
    in_token: bool,
    global: &Global,
) -> Result<(), Fail> {
    if global.json {
        print_json(&json!({
            "test_only": true,
            "trust_dir": trust_dir,
            "station_config": station,
            "files": written.iter().map(|(what, p)| json!({"what": what, "path": p})).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("TEST ONLY PKI written to {}:", dir.display());
        for (what, path) in written {
            println!("  {:<44} {}", what, path.display());
        }
        println!("  {:<44} {}", "trust store directory", trust_dir.display());
        println!();
        println!("These keys are TEST ONLY: never trust this root or sign real cards with them.");
        if in_token {
            println!(
                "The master key never leaves the token: a card for this station holds chip keys \
                 the token diversified for its serial (a virtual card from `ektp sim` holds the \
                 TEST master key's and is refused). Personalize such a card with:"
            );
        } else {
            println!("Try it with a virtual card (`ektp sim` in another terminal):");
        }
        println!(
            "  ektp --config {} personalize cards/specimens/pria/application.json",
            station.display()
        );
    }
    Ok(())
}
