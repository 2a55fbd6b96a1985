//! The printing station with its keys in a PKCS#11 token (issue 15), through the real binary:
//! a throwaway SoftHSM2 token under its own `SOFTHSM2_CONF` in the target dir (removed at the
//! end) holds the document signer (EC P-256, made by OpenSC's `pkcs11-tool`, certified by a
//! TEST root) and the TEST master key (imported, non-extractable). Token mistakes fail before
//! any reader is used, each with its own exit status; a card personalized through pcscd with
//! both keys in the token verifies at the desk and `openssl cms -verify` accepts its EF.SOD.
//!
//! Needs Debian's `softhsm2`, `opensc` and `openssl` (`.ci/lib.sh` installs them); without the
//! SoftHSM module the tests are skipped, except under CI where they fail. The pcscd test must
//! run alone: `flock /tmp/pcscd.lock cargo test -p ektp-cli --test pkcs11_cli`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp_chip::Chip;
use ektp_chip::vpcd::{SlotLock, VirtualCard, VpcdConfig};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{EfSod, PublicKey};
use ektp_sm::perso::{MasterKey, TEST_MASTER_KEY_HEX};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "ektp-station";
const USER_PIN: &str = "975310";
const SO_PIN: &str = "86420864";
const DAY: Duration = Duration::from_secs(86_400);
const PORT: u16 = 35963;

/// The tests that use the one vpcd reader take turns.
static READER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A SoftHSM token with the station's keys, a TEST trust store and the signer certificate;
/// removed on drop.
struct Hsm {
    dir: PathBuf,
}

impl Drop for Hsm {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn skip() -> bool {
    if Path::new(MODULE).exists() {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install softhsm2 ({MODULE} is missing)"
    );
    eprintln!("SKIP: {MODULE} missing (apt-get install softhsm2 opensc)");
    true
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

impl Hsm {
    fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "pkcs11-cli-{name}-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(dir.join("tokens")).unwrap();
        let hsm = Self { dir };
        std::fs::write(
            hsm.conf(),
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
                hsm.dir.join("tokens").display()
            ),
        )
        .unwrap();
        hsm.run(
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
        hsm.tool(&[
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            "ds1",
            "--id",
            "01",
            "--usage-sign",
        ]);
        hsm.tool(&[
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            "derive-only",
            "--id",
            "03",
            "--usage-derive",
            "--allowed-mechanisms",
            "ECDH1-DERIVE",
        ]);
        let master = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
        std::fs::write(hsm.dir.join("master.bin"), master.expose_bytes()).unwrap();
        hsm.tool(&[
            "--write-object",
            "master.bin",
            "--type",
            "secrkey",
            "--key-type",
            "AES:32",
            "--label",
            "perso-master",
            "--id",
            "05",
            "--usage-sign",
            "--sensitive",
            "--private",
        ]);
        std::fs::remove_file(hsm.dir.join("master.bin")).unwrap();
        // The TEST root certifies the token's public key; the certificate stays outside.
        hsm.tool(&[
            "--read-object",
            "--type",
            "pubkey",
            "--label",
            "ds1",
            "-o",
            "ds1.pub.der",
        ]);
        let public =
            PublicKey::from_spki_der(&std::fs::read(hsm.dir.join("ds1.pub.der")).unwrap()).unwrap();
        let now = SystemTime::now();
        let root = TestCa::new(
            "ID",
            "Dukcapil",
            "CSCA TEST token",
            &TestKey::EcdsaP256,
            now - DAY,
            now + DAY * 3650,
        )
        .unwrap();
        let spec = DocumentSignerSpec::new("DS token TEST", TestKey::EcdsaP256, now);
        let cert = root
            .issue_document_signer_for_public_key(&spec, &public)
            .unwrap();
        std::fs::write(hsm.dir.join("ds1.crt.der"), cert).unwrap();
        std::fs::create_dir_all(hsm.trust()).unwrap();
        std::fs::write(hsm.root_pem(), root.certificate_pem()).unwrap();
        std::fs::write(
            hsm.trust().join("root.crl"),
            root.crl(&[], now - DAY, now + DAY * 30, 1).unwrap(),
        )
        .unwrap();
        ektp_fs::write_private(&hsm.pin_file(), format!("{USER_PIN}\n").as_bytes()).unwrap();
        ektp_fs::write_private(&hsm.dir.join("wrong.pin"), b"000000\n").unwrap();
        hsm
    }

    fn conf(&self) -> PathBuf {
        self.dir.join("softhsm2.conf")
    }

    fn trust(&self) -> PathBuf {
        self.dir.join("trust")
    }

    fn root_pem(&self) -> PathBuf {
        self.trust().join("root.crt.pem")
    }

    fn pin_file(&self) -> PathBuf {
        self.dir.join("user.pin")
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let out = Command::new(program)
            .args(args)
            .current_dir(&self.dir)
            .env("SOFTHSM2_CONF", self.conf())
            .output()
            .unwrap_or_else(|e| panic!("{program} must be installed: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed:\n{}",
            show(&out)
        );
        out
    }

    fn tool(&self, args: &[&str]) -> Output {
        let mut all = vec![
            "--module",
            MODULE,
            "--token-label",
            TOKEN,
            "--login",
            "--pin",
            USER_PIN,
        ];
        all.extend_from_slice(args);
        self.run("pkcs11-tool", &all)
    }

    /// `ektp personalize pria` with the keys `signer` and `master` (URIs) and `pin_file`.
    fn personalize(&self, signer: &str, master: &str, pin_file: &Path, reader: &str) -> Output {
        self.personalize_with(MODULE, signer, master, pin_file, reader)
    }

    fn personalize_with(
        &self,
        module: &str,
        signer: &str,
        master: &str,
        pin_file: &Path,
        reader: &str,
    ) -> Output {
        let app = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../cards/specimens/pria/application.json");
        Command::new(env!("CARGO_BIN_EXE_ektp"))
            .env_remove("EKTP_CONFIG")
            .env_remove("EKTP_CAN")
            .env_remove("EKTP_LOG")
            .env("SOFTHSM2_CONF", self.conf())
            .args(["--reader", reader, "personalize"])
            .arg(app)
            .args(["--signer-key", signer, "--signer-cert"])
            .arg(self.dir.join("ds1.crt.der"))
            .args(["--master-key", master, "--pkcs11-module", module])
            .arg("--pin-file")
            .arg(pin_file)
            .arg("--trust")
            .arg(self.trust())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

fn signer_uri(token: &str, object: &str) -> String {
    format!("pkcs11:token={token};object={object};type=private")
}

fn master_uri() -> String {
    format!("pkcs11:token={TOKEN};object=perso-master;type=secret-key")
}

/// Wrong PIN, missing token, missing object, a key that may not sign and a missing module:
/// each its own one-line error and exit status, before any reader is used (the reader named
/// does not exist), and the PIN never printed.
#[test]
fn token_mistakes_have_their_own_exit_status_before_any_reader() {
    if skip() {
        return;
    }
    let hsm = Hsm::new("errors");
    let nowhere = "no such reader";
    let cases: [(&str, String, PathBuf, i32, &str); 4] = [
        (
            "wrong PIN",
            signer_uri(TOKEN, "ds1"),
            hsm.dir.join("wrong.pin"),
            22,
            "PIN",
        ),
        (
            "missing token",
            signer_uri("no-such-token", "ds1"),
            hsm.pin_file(),
            21,
            TOKEN,
        ),
        (
            "missing object",
            signer_uri(TOKEN, "no-such-key"),
            hsm.pin_file(),
            24,
            "ds1",
        ),
        (
            "non-signing key",
            signer_uri(TOKEN, "derive-only"),
            hsm.pin_file(),
            25,
            "sign",
        ),
    ];
    for (what, uri, pin, code, says) in cases {
        let o = hsm.personalize(&uri, &master_uri(), &pin, nowhere);
        assert_eq!(o.status.code(), Some(code), "{what}: {}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("error: "), "{what}: {err}");
        assert!(err.contains(says), "{what}: {err}");
        assert!(!err.contains(nowhere), "{what}: the reader was used: {err}");
        assert!(!err.contains(USER_PIN), "{what}: PIN printed: {err}");
        assert!(!String::from_utf8_lossy(&o.stdout).contains(USER_PIN));
    }
    // The master key named as a signer: the wrong object type for a document signer.
    let o = hsm.personalize(
        &signer_uri(TOKEN, "ds1"),
        &format!("pkcs11:token={TOKEN};object=ds1;type=secret-key"),
        &hsm.pin_file(),
        nowhere,
    );
    assert_eq!(o.status.code(), Some(24), "{}", show(&o));
    // No module there.
    let o = hsm.personalize_with(
        "/nonexistent/libnothing.so",
        &signer_uri(TOKEN, "ds1"),
        &master_uri(),
        &hsm.pin_file(),
        nowhere,
    );
    assert_eq!(o.status.code(), Some(20), "{}", show(&o));
}

/// Puts `chip` in the vpcd reader and waits until pcscd sees it.
fn insert(mut chip: Chip) -> VirtualCard<Chip> {
    let ctx = ektp_pcsc::PcscContext::establish().expect("pcscd is running");
    let name = ektp_chip::vpcd::reader_name(PORT).unwrap();
    // pcscd notices a removal at its next 400 ms poll: until then the previous test's card
    // still shows, and a new card would be taken for present before vpcd accepted it.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5)
        && ctx
            .readers()
            .unwrap()
            .iter()
            .any(|r| r.name == name && r.has_card())
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    for _ in 0..5 {
        let card = VirtualCard::insert(chip, &VpcdConfig::new().with_port(PORT)).unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            let seen = ctx
                .readers()
                .unwrap()
                .iter()
                .any(|r| r.name == name && r.has_card());
            if card.answered() > 0 || !card.is_inserted() || seen {
                return card;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        chip = card.remove().unwrap().card;
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("vpcd never took the card");
}

/// Issue 15 "done when": through pcscd, a card personalized with the document signer and
/// the master key inside SoftHSM verifies at the desk, and OpenSSL accepts its EF.SOD.
#[test]
fn card_personalized_with_keys_in_softhsm_verifies_at_the_desk() {
    if skip() {
        return;
    }
    // One card at a time in the vpcd slot, across the tests of every crate.
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let _reader = READER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let hsm = Hsm::new("card");
    let serial = [0x45, 0x4B, 0x54, 0x50, 0xD1, 0, 1, 0x51];
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let card = insert(Chip::new_blank(serial, &master).unwrap());
    let reader = ektp_chip::vpcd::reader_name(PORT).unwrap();
    let o = hsm.personalize(
        &signer_uri(TOKEN, "ds1"),
        &master_uri(),
        &hsm.pin_file(),
        reader,
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("LOCKED"),
        "{}",
        show(&o)
    );
    let v = Command::new(env!("CARGO_BIN_EXE_ektp"))
        .env_remove("EKTP_CONFIG")
        .env_remove("EKTP_CAN")
        .args(["--reader", reader, "verify", "--can", "482915", "--trust"])
        .arg(hsm.trust())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let chip = card.remove().unwrap().card;
    assert_eq!(v.status.code(), Some(0), "{}", show(&v));
    let ef_sod = chip
        .file(ektp_iso7816::Fid::new(0x011D).unwrap())
        .expect("the chip holds EF.SOD")
        .to_vec();
    std::fs::write(
        hsm.dir.join("sod.der"),
        EfSod::from_bytes(&ef_sod).unwrap().content_info_der(),
    )
    .unwrap();
    hsm.run(
        "openssl",
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "sod.der",
            "-binary",
            "-CAfile",
            hsm.root_pem().to_str().unwrap(),
            "-purpose",
            "any",
            "-out",
            "content.bin",
        ],
    );
}

// `ektp pki init --pkcs11` is tested in `pkcs11_init.rs` (its own process: it diversifies
// chip keys in the token itself).
