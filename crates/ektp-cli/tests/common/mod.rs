//! What the CLI's end-to-end tests share: running the real `ektp` binary and reading its
//! output, a temporary directory removed on drop, the specimens, the vpcd slot lock. Each test
//! file is its own crate and uses a part of it.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp::Application;
use ektp_chip::vpcd::SlotLock;

/// The reader slot `Sim` serves.
pub const SIM_PORT: u16 = 35963;
pub const SIM_READER: &str = "Virtual PCD 00 00";

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

/// `ektp sim` serving a chip state file on the test port, stopped on drop.
pub struct Sim {
    child: Option<Child>,
}

impl Sim {
    pub fn start(dir: &Path, state: &Path) -> Self {
        let child = ektp()
            .args(["sim", "--port", &SIM_PORT.to_string(), "--state"])
            .arg(state)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let sim = Self { child: Some(child) };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let o = run_in(dir, &["--json", "readers"]);
            if o.status.success() {
                let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
                if v.as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["name"] == SIM_READER && r["card"] == "present")
                {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "card never appeared: {}",
                show(&o)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        sim
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait_with_output();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                let o = ektp().args(["--json", "readers"]).output().unwrap();
                if !stdout(&o).contains("\"present\"") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}
