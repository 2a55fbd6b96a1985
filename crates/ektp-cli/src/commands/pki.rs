//! `ektp pki init DIR` (a TEST ONLY PKI) and `ektp pki show FILE` (describe a certificate,
//! CRL or EF.SOD).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Subcommand;
use ektp_i18n::{Catalog, Lang, Message};
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;
use crate::text::{self, t};

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
    let what = || Message::new("op-err-cannot-write").arg("path", path.display());
    let mut file = if private {
        ektp_fs::create_private(path).or_config_said(what)?
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .or_config_said(what)?
    };
    std::io::Write::write_all(&mut file, contents)
        .and_then(|()| file.sync_all())
        .or_config_said(what)
}

fn init(dir: &Path, global: &Global) -> Result<ExitCode, Fail> {
    let files = ektp_pki::test_pki::generate_test_pki(dir, SystemTime::now())
        .or_config_said(|| Message::new("op-err-pki-write").arg("dir", dir.display()))?;
    let (ds_cert, ds_key) = files
        .document_signers
        .first()
        .cloned()
        .ok_or_else(|| Fail::config_said(Message::new("op-err-no-ds")))?;
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

    let mut written: Vec<(Message, PathBuf)> = vec![
        (
            Message::new("op-pki-root-cert"),
            files.root_certificate.clone(),
        ),
        (Message::new("op-pki-crl"), files.crl.clone()),
        (Message::new("op-pki-root-key"), files.root_key.clone()),
    ];
    for (i, (cert, key)) in files.document_signers.iter().enumerate() {
        let n = i.saturating_add(1);
        written.push((Message::new("op-pki-ds-cert-n").arg("n", n), cert.clone()));
        written.push((Message::new("op-pki-ds-key-n").arg("n", n), key.clone()));
    }
    let (rls_cert, rls_key) = files.revocation_signer.clone();
    written.push((Message::new("op-pki-rls-cert"), rls_cert));
    written.push((Message::new("op-pki-rls-key"), rls_key));
    written.push((Message::new("op-pki-master"), master));
    written.push((Message::new("op-pki-station"), station.clone()));
    print_written(dir, &files.trust_dir, &station, &written, false, global)?;
    if global.verbosity >= 0 {
        let dir = dir.display().to_string();
        eprintln!("{}", text::f("op-pki-done", &[("dir", &dir)]));
    }
    Ok(exit::OK)
}

/// What `pki init` wrote, as JSON (its `what` in English, as before) or a list in the run's
/// language with the next step.
pub(super) fn print_written(
    dir: &Path,
    trust_dir: &Path,
    station: &Path,
    written: &[(Message, PathBuf)],
    in_token: bool,
    global: &Global,
) -> Result<(), Fail> {
    if global.json {
        let en = Catalog::of(Lang::En);
        print_json(&json!({
            "test_only": true,
            "trust_dir": trust_dir,
            "station_config": station,
            "files": written.iter().map(|(what, p)| json!({"what": en.render(what), "path": p})).collect::<Vec<_>>(),
        }))?;
    } else {
        let dir = dir.display().to_string();
        println!("{}", text::f("op-pki-written", &[("dir", &dir)]));
        for (what, path) in written {
            println!("  {:<46} {}", text::render(what), path.display());
        }
        println!("  {:<46} {}", t("op-pki-trust-dir"), trust_dir.display());
        println!();
        println!("{}", t("op-pki-test-only"));
        println!(
            "{}",
            t(if in_token {
                "op-pki-next-token"
            } else {
                "op-pki-next-sim"
            })
        );
        println!(
            "  ektp --config {} personalize cards/specimens/pria/application.json",
            station.display()
        );
    }
    Ok(())
}
