//! What the CLI's end-to-end tests share: running the real `ektp` binary and reading its
//! output, a temporary directory removed on drop, the specimens, the vpcd slot lock. Each test
//! file is its own crate and uses a part of it.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

pub mod lang;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp::{Application, Card, Station};
use ektp_chip::Chip;
use ektp_chip::vpcd::SlotLock;

/// The two vpcd reader slots and pcscd's names for them.
pub const PORT0: u16 = 35963;
pub const PORT1: u16 = 35964;
pub const READER0: &str = "Virtual PCD 00 00";
pub const READER1: &str = "Virtual PCD 00 01";

/// The `ektp` binary, without the caller's configuration, CAN or log settings.
pub fn ektp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ektp"));
    c.env_remove("EKTP_CONFIG")
        .env_remove("EKTP_CAN")
        .env_remove("EKTP_LOG");
    c
}

/// Runs `ektp ARGS` to the end.
pub fn run(args: &[&str]) -> Output {
    ektp().args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code (-1 when killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Exit code, stdout and stderr, for assertion messages.
pub fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// A temporary directory named after the test file and `name`, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p = std::env::temp_dir().join(format!(
            "ektp-{}-{name}-{}-{nanos}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }

    pub fn s(&self, p: &str) -> String {
        self.join(p).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A specimen's `application.json`.
pub fn specimen_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens")
        .join(name)
        .join("application.json")
        .to_string_lossy()
        .into_owned()
}

pub fn specimen(name: &str) -> Application {
    ektp::load_application(Path::new(&specimen_path(name))).unwrap()
}

/// Whether pcscd reports a card in `reader`.
pub fn card_in(reader: &str) -> bool {
    let o = run(&["--json", "readers"]);
    code(&o) == 0
        && serde_json::from_str::<serde_json::Value>(&stdout(&o))
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .any(|r| r["name"] == reader && r["card"] == "present")
}

/// The vpcd slot on `port`, for as long as the test holds it (across processes).
pub fn lock(port: u16) -> SlotLock {
    SlotLock::acquire(port, Duration::from_secs(300)).unwrap()
}

/// Runs `ektp ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    ektp().args(args).current_dir(dir).output().unwrap()
}

/// Runs `ektp ARGS` in `dir`, which must succeed.
pub fn ok(dir: &Path, args: &[&str]) -> Output {
    let o = run_in(dir, args);
    assert!(o.status.success(), "ektp {args:?}: {}", show(&o));
    o
}

/// A specimen's directory.
pub fn specimen_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens")
        .join(name)
}

/// `ektp sim` on `port`, killed on drop.
pub struct Sim {
    child: Option<Child>,
    reader: &'static str,
}

impl Sim {
    pub fn spawn(port: u16, state: &Path) -> Child {
        ektp()
            .args(["sim", "--port", &port.to_string(), "--state"])
            .arg(state)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    pub fn start(port: u16, state: &Path) -> Self {
        let reader = if port == PORT0 { READER0 } else { READER1 };
        // The slot is ours, but the card of its previous holder (another test, another test
        // binary) may not have left pcscd's view yet: a card seen now would be that one, and
        // the command run next would find it "removed" under it.
        let deadline = Instant::now() + Duration::from_secs(10);
        while card_in(reader) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let sim = Self {
            child: Some(Self::spawn(port, state)),
            reader,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while !card_in(reader) {
            assert!(Instant::now() < deadline, "card never appeared in {reader}");
            std::thread::sleep(Duration::from_millis(100));
        }
        sim
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while card_in(self.reader) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// An issued chip for `app` (chip serial `serial`), personalized in-process with the TEST PKI
/// at `pki`, saved as a chip state file at `out`.
pub fn issued_chip(app: &Application, pki: &Path, out: &Path, serial: [u8; 8]) {
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let signer = ektp_pki::RingSigner::from_files(
        &pki.join("ID-DS1-TEST-ONLY.key.pem"),
        &pki.join("ID-DS1-TEST-ONLY.crt.pem"),
    )
    .unwrap();
    let trust = ektp::TrustStore::load_dir(&pki.join("trust")).unwrap();
    let mut card = Card::new(Chip::new_blank(serial, &master).unwrap().into_in_process()).unwrap();
    card.personalize(
        app,
        &Station {
            signer: &signer,
            master_key: &master,
            trust: &trust,
            cvca: None,
        },
        &mut |_| {},
    )
    .unwrap();
    card.into_transport().into_card().save(out).unwrap();
}
