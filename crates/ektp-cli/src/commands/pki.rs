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

/// `ektp pki …`.
#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Write a TEST ONLY PKI (root, CRL, two document signers, a test station config)
    Init {
        /// Directory to write into (created; existing files are never overwritten)
        dir: PathBuf,
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
        PkiCommand::Init { dir } => init(dir, global),
        PkiCommand::Show { file } => show::show(file, global),
    }
}

/// Writes a new file (never overwriting, never through a symlink), 0600 if `private`.
fn write_new(path: &Path, contents: &[u8], private: bool) -> Result<(), Fail> {
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
    written.push(("personalization master key".into(), master));
    written.push(("station config".into(), station.clone()));
    print_written(dir, &files.trust_dir, &station, &written, global)?;
    if global.verbosity >= 0 {
        eprintln!(
            "TEST ONLY: the PKI in {} is for trying ektp out, never for real cards",
            dir.display()
        );
    }
    Ok(exit::OK)
}

/// What `pki init` wrote, as JSON or a list with the next step.
fn print_written(
    dir: &Path,
    trust_dir: &Path,
    station: &Path,
    written: &[(String, PathBuf)],
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
            println!("  {:<34} {}", what, path.display());
        }
        println!("  {:<34} {}", "trust store directory", trust_dir.display());
        println!();
        println!("These keys are TEST ONLY: never trust this root or sign real cards with them.");
        println!("Try it with a virtual card (`ektp sim` in another terminal):");
        println!(
            "  ektp --config {} personalize cards/specimens/pria/application.json",
            station.display()
        );
    }
    Ok(())
}
