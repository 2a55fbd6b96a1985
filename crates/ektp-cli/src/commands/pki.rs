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
    /// Write a TEST ONLY PKI (root, CRL, two document signers, a revocation list signer, a test
    /// station config)
    Init {
        /// Directory to write into (created; existing files are never overwritten)
        dir: PathBuf,
        /// Generate the document signer's key inside this PKCS#11 module's token
        /// (non-extractable; the certificates stay outside), e.g. /usr/lib/softhsm/libsofthsm2.so
        #[arg(long, value_name = "MODULE", requires = "token")]
        pkcs11: Option<PathBuf>,
        /// The label of the token to generate the key in (with --pkcs11)
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
        } => init_pkcs11(dir, module, token, pin_file.as_deref(), global),
        PkiCommand::Init { dir, .. } => init(dir, global),
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
    let (rls_cert, rls_key) = files.revocation_signer.clone();
    written.push(("revocation list signer certificate".into(), rls_cert));
    written.push(("revocation list signer private key".into(), rls_key));
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

/// The token's user PIN for `pki init --pkcs11`: `--pin-file`, else a no-echo prompt.
fn token_pin(label: &str, pin_file: Option<&Path>) -> Result<ektp_pkcs11::Pin, Fail> {
    use std::io::IsTerminal as _;
    match pin_file {
        Some(path) => ektp_pkcs11::Pin::from_file(path).map_err(Fail::token),
        None if std::io::stdin().is_terminal() => {
            let typed = rpassword::prompt_password(format!("user PIN of token {label}: "))
                .map_err(|e| Fail::usage(format!("cannot read the PIN from the terminal: {e}")))?;
            ektp_pkcs11::Pin::new(typed).map_err(Fail::token)
        }
        None => Err(Fail::usage(
            "no PIN for the PKCS#11 token: give --pin-file FILE (in a terminal ektp asks for it)",
        )),
    }
}

/// A TEST ONLY root (P-384, ten years) and its current empty CRL (thirty days).
fn test_root_and_crl(now: SystemTime) -> Result<(ektp_pki::test_pki::TestCa, Vec<u8>), Fail> {
    use ektp_pki::test_pki::{TestCa, TestKey};
    use std::time::Duration;
    let day = Duration::from_secs(86_400);
    let ago = now.checked_sub(day).unwrap_or(now);
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA Indonesia e-KTP",
        &TestKey::EcdsaP384,
        ago,
        now.checked_add(day.saturating_mul(3650)).unwrap_or(now),
    )
    .or_config(|| "cannot make the TEST root".to_owned())?;
    let crl = root
        .crl(
            &[],
            ago,
            now.checked_add(day.saturating_mul(30)).unwrap_or(now),
            1,
        )
        .or_config(|| "cannot make the TEST CRL".to_owned())?;
    Ok((root, crl))
}

/// `pki init --pkcs11`: a TEST root (its key only in memory: it signs the CRL and the
/// certificate, then is dropped), the document signer's key generated inside the token, its
/// certificate and the station config outside. The master key stays the TEST ONLY file:
/// virtual TEST chips are made with it.
fn init_pkcs11(
    dir: &Path,
    module: &Path,
    label: &str,
    pin_file: Option<&Path>,
    global: &Global,
) -> Result<ExitCode, Fail> {
    use ektp_pki::test_pki::{DocumentSignerSpec, TestKey};
    const OBJECT: &str = "ektp-ds1-TEST";
    let pin = token_pin(label, pin_file)?;
    let token = ektp_pkcs11::Module::open(module)
        .and_then(|m| m.login(label, &pin))
        .map_err(Fail::token)?;
    let key_uri = format!("pkcs11:token={label};object={OBJECT};type=private");
    let parsed: ektp_pkcs11::Pkcs11Uri = key_uri.parse().map_err(Fail::token)?;
    if token.ec_public_key(&parsed).is_ok() {
        return Err(Fail::config(anyhow::anyhow!(
            "token {label} already holds a key {OBJECT}: use a fresh token (or delete that key)"
        )));
    }
    let trust_dir = dir.join("trust");
    std::fs::create_dir_all(&trust_dir)
        .or_config(|| format!("cannot create {}", trust_dir.display()))?;
    let now = SystemTime::now();
    let (root, crl) = test_root_and_crl(now)?;
    let public = token
        .generate_ec_p256_key_pair(OBJECT, b"ektp-ds1")
        .map_err(Fail::token)?;
    let spec = DocumentSignerSpec::new("Document Signer 1 (token)", TestKey::EcdsaP256, now);
    let cert = root
        .issue_document_signer_for_public_key(&spec, &public)
        .or_config(|| "cannot certify the token's document signer key".to_owned())?;
    let root_path = trust_dir.join("ID-CSCA-TEST-ONLY.crt.pem");
    let crl_path = trust_dir.join("ID-CSCA-TEST-ONLY.crl");
    let cert_path = dir.join("ID-DS1-TOKEN-TEST-ONLY.crt.der");
    let master = dir.join("perso-master-TEST-ONLY.hex");
    let station = dir.join("station-TEST-ONLY.toml");
    write_new(&root_path, root.certificate_pem().as_bytes(), false)?;
    write_new(&crl_path, &crl, false)?;
    write_new(&cert_path, &cert, false)?;
    write_new(
        &master,
        format!("{}\n", ektp_sm::perso::TEST_MASTER_KEY_HEX.trim()).as_bytes(),
        true,
    )?;
    let mut toml = format!(
        "# TEST ONLY printing station, written by `ektp pki init --pkcs11`. Never use for real cards.\n\
         signer_key = {key_uri:?}\nsigner_certificate = \"ID-DS1-TOKEN-TEST-ONLY.crt.der\"\n\
         trust_dir = \"trust\"\nmaster_key_file = \"perso-master-TEST-ONLY.hex\"\n\
         pkcs11_module = {:?}\njournal = \"journal-TEST-ONLY.sqlite\"\n",
        module.to_string_lossy(),
    );
    if let Some(p) = pin_file {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        toml.push_str(&format!("pin_source = {:?}\n", abs.to_string_lossy()));
    }
    write_new(&station, toml.as_bytes(), false)?;
    let written: Vec<(String, PathBuf)> = vec![
        ("root certificate (trust store)".into(), root_path),
        ("CRL (trust store)".into(), crl_path),
        (
            format!("document signer key (in token {label})"),
            PathBuf::from(&key_uri),
        ),
        ("document signer certificate".into(), cert_path),
        ("personalization master key".into(), master),
        ("station config".into(), station.clone()),
    ];
    print_written(dir, &trust_dir, &station, &written, global)?;
    if global.verbosity >= 0 {
        eprintln!(
            "TEST ONLY: the TEST root's key was not kept; the document signer key is in token \
             {label} and never leaves it"
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
