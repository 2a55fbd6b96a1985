//! `ektp pki init --pkcs11` (issue 15), through the real binary against a throwaway SoftHSM2
//! token (its own `SOFTHSM2_CONF` under the target dir, removed at the end): every key of the
//! TEST PKI — root, document signer, CVCA, DV, terminal and the batch master key — is
//! generated in the token, sensitive and never extractable; no private or secret key is
//! written to a file; `openssl verify` accepts the written chain and the CRL the token's root
//! signed; the CV chain's signatures check; a second init is refused; and a card whose keys
//! the token diversified (the master key never leaves it), personalized through pcscd with the
//! station config `pki init` wrote, verifies at the desk.
//!
//! Needs Debian's `softhsm2`, `opensc` and `openssl` (`.ci/lib.sh` installs them). One test
//! in its own binary: it sets `SOFTHSM2_CONF` for this process before any other thread runs,
//! because it diversifies the chip's keys in the token itself, as a card maker would.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
// `std::env::set_var` is unsafe (other threads may read the environment): the one test below
// sets SOFTHSM2_CONF once, before it loads the module or starts any thread.
#![allow(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp_chip::Chip;
use ektp_chip::vpcd::{SlotLock, VirtualCard, VpcdConfig};
use ektp_sm::perso::MasterKeySource as _;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "ektp-init";
const USER_PIN: &str = "975310";
const SO_PIN: &str = "86420864";
const PORT: u16 = 35963;
/// The keys `pki init --pkcs11` generates, by label.
const PRIVATE_KEYS: [&str; 5] = [
    "ektp-csca-TEST",
    "ektp-ds1-TEST",
    "ektp-cvca-TEST",
    "ektp-dv-TEST",
    "ektp-is-TEST",
];
const MASTER: &str = "ektp-perso-master-TEST";

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}",
        show(&out)
    );
    out
}

fn ektp(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ektp"));
    c.env_remove("EKTP_CONFIG")
        .env_remove("EKTP_CAN")
        .env_remove("EKTP_LOG")
        .current_dir(dir)
        .stdin(Stdio::null());
    c
}

/// The blocks of `pkcs11-tool --list-objects`, each starting at an unindented line.
fn object_blocks(listing: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in listing.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            blocks.push(String::new());
        }
        if let Some(b) = blocks.last_mut() {
            b.push_str(line);
            b.push('\n');
        }
    }
    blocks
}

fn block<'a>(blocks: &'a [String], kind: &str, label: &str) -> &'a str {
    blocks
        .iter()
        .find(|b| {
            b.starts_with(kind)
                && b.lines()
                    .any(|l| l.trim().strip_prefix("label:").map(str::trim) == Some(label))
        })
        .unwrap_or_else(|| panic!("no {kind} labelled {label} in:\n{}", blocks.concat()))
}

/// Every file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn setup() -> (Scratch, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "pkcs11-init-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    // SAFETY: set once, before the module is loaded and before this test starts any thread.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
    run(
        &dir,
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--pin",
            USER_PIN,
            "--so-pin",
            SO_PIN,
        ],
    );
    let pin = dir.join("user.pin");
    ektp_fs::write_private(&pin, format!("{USER_PIN}\n").as_bytes()).unwrap();
    (Scratch(dir), pin)
}

/// Every key in the token, sensitive and never extractable; no key in any written file.
fn assert_keys_only_in_token(dir: &Path, pki: &Path) {
    let listing = run(
        dir,
        "pkcs11-tool",
        &[
            "--module",
            MODULE,
            "--token-label",
            TOKEN,
            "--login",
            "--pin",
            USER_PIN,
            "--list-objects",
        ],
    );
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let blocks = object_blocks(&listing);
    for label in PRIVATE_KEYS {
        let b = block(&blocks, "Private Key Object", label);
        assert!(
            b.contains("never extractable") && b.contains("sensitive"),
            "{b}"
        );
        assert!(b.contains("Usage:      sign\n"), "only signing: {b}");
    }
    let b = block(&blocks, "Secret Key Object", MASTER);
    assert!(
        b.contains("never extractable") && b.contains("sensitive"),
        "{b}"
    );
    assert!(b.contains("AES length 32"), "{b}");
    for f in files(pki) {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("PRIVATE KEY"), "{} holds a key", f.display());
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".key") && !name.contains(".key.") && !name.ends_with(".hex"),
            "{name}: a key file was written"
        );
    }
}

/// OpenSSL accepts the document signer's chain and the CRL the token's root signed; the CV
/// chain's signatures check.
fn assert_chains_verify(pki: &Path) {
    let trust = pki.join("trust");
    run(
        pki,
        "openssl",
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            "ID-DS1-TOKEN-TEST-ONLY.crt.der",
            "-out",
            "ds.pem",
        ],
    );
    run(
        pki,
        "openssl",
        &[
            "crl",
            "-inform",
            "DER",
            "-in",
            "trust/ID-CSCA-TEST-ONLY.crl",
            "-out",
            "crl.pem",
        ],
    );
    let root = trust.join("ID-CSCA-TEST-ONLY.crt.pem");
    let root = root.to_str().unwrap();
    let o = run(
        pki,
        "openssl",
        &[
            "verify",
            "-CAfile",
            root,
            "-CRLfile",
            "crl.pem",
            "-crl_check",
            "-purpose",
            "any",
            "ds.pem",
        ],
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("ds.pem: OK"),
        "{}",
        show(&o)
    );
    for (cert, issuer) in [
        ("IDCVCA00001", "IDCVCA00001"),
        ("IDDVTK00001", "IDCVCA00001"),
        ("IDISTK00001", "IDDVTK00001"),
    ] {
        let o = ektp(pki)
            .args(["cvc", "show", &format!("cvc/{cert}.cvcert"), "--issuer"])
            .arg(format!("cvc/{issuer}.cvcert"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{cert}: {}", show(&o));
    }
}

/// Puts `chip` in the vpcd reader and waits until pcscd sees it (after the previous card left).
fn insert(chip: Chip) -> VirtualCard<Chip> {
    let ctx = ektp_pcsc::PcscContext::establish().expect("pcscd is running");
    let name = ektp_chip::vpcd::reader_name(PORT).unwrap();
    let present = || {
        ctx.readers()
            .unwrap()
            .iter()
            .any(|r| r.name == name && r.has_card())
    };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) && present() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let card = VirtualCard::insert(chip, &VpcdConfig::new().with_port(PORT)).unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) && !present() && card.answered() == 0 {
        std::thread::sleep(Duration::from_millis(10));
    }
    card
}

/// Issue 15: `pki init --pkcs11` keeps every key in the token, and its station personalizes
/// a card the desk verifies.
#[test]
fn pki_init_keeps_every_key_in_the_token_and_its_station_issues_cards_that_verify() {
    let (scratch, pin) = setup();
    let dir = scratch.0.clone();
    let pki = dir.join("pki");
    let init = |to: &Path| {
        ektp(&dir)
            .args(["pki", "init"])
            .arg(to)
            .args(["--pkcs11", MODULE, "--token", TOKEN, "--pin-file"])
            .arg(&pin)
            .output()
            .unwrap()
    };
    let o = init(&pki);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(!show(&o).contains(USER_PIN));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("pkcs11:token=ektp-init;object=ektp-csca-TEST")
    );
    let again = init(&dir.join("pki2"));
    assert_eq!(again.status.code(), Some(4), "{}", show(&again));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
    assert_keys_only_in_token(&dir, &pki);
    assert_chains_verify(&pki);

    // A card maker loads the chip with the keys the token diversifies for its serial.
    let serial = [0x45, 0x4B, 0x54, 0x50, 0xD1, 0, 1, 0x53];
    let token = ektp_pkcs11::Module::open(Path::new(MODULE))
        .unwrap()
        .login(TOKEN, &ektp_pkcs11::Pin::from_file(&pin).unwrap())
        .unwrap();
    let uri = format!("pkcs11:token={TOKEN};object={MASTER};type=secret-key");
    let master = ektp_pkcs11::Pkcs11MasterKey::new(token, &uri.parse().unwrap()).unwrap();
    assert!(!master.extractable());
    let keys = master.diversify(&serial).unwrap();

    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let card = insert(Chip::new_blank_with_keys(serial, &keys).unwrap());
    let reader = ektp_chip::vpcd::reader_name(PORT).unwrap();
    let app =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens/pria/application.json");
    let o = ektp(&dir)
        .arg("--config")
        .arg(pki.join("station-TEST-ONLY.toml"))
        .args(["--reader", reader, "personalize"])
        .arg(app)
        .output()
        .unwrap();
    let v = ektp(&dir)
        .args(["--reader", reader, "verify", "--can", "482915", "--trust"])
        .arg(pki.join("trust"))
        .output()
        .unwrap();
    drop(card.remove().unwrap());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v.status.code(), Some(0), "{}", show(&v));
}
