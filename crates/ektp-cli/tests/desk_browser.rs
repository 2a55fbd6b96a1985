//! The desk page driven in a real headless browser (Debian's chromium through its
//! chromedriver, spoken to over the W3C WebDriver protocol) against `ektp serve` and a virtual
//! card in pcscd's vpcd reader: the CAN typed with the keyboard and Enter, PASS with the card
//! face (photo) shown; the same card on a desk whose revocation list names it, DO NOT HAND
//! OUT. Screenshots are kept under `target/desk-browser/` (the paths are printed).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ektp_chip::vpcd::SlotLock;
use serde_json::{Value, json};

mod common;
use common::*;

const PORT: u16 = 35963;
const READER: &str = "Virtual PCD 00 00";
const CAN: &str = "482915";

fn ok(args: &[&str]) -> String {
    let o = ektp().args(args).output().unwrap();
    assert!(
        o.status.success(),
        "ektp {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A child process killed (and reaped) on drop.
struct Kid(Child);

impl Drop for Kid {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn card_present() -> bool {
    let out = ok(&["--json", "readers"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == READER && r["card"] == "present")
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// `ektp serve` on a free port; returns the desk page's address it printed.
fn serve(dir: &Path, trust: &str, revoked: &Path) -> (Kid, String) {
    // The page's language from LANG (Indonesian); `&lang=en` in its address overrides it.
    let mut child = ektp()
        .env("LANG", "id_ID.UTF-8")
        .args([
            "--reader",
            READER,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--token-file",
        ])
        .arg(dir.join("token"))
        .args(["--trust", trust, "--revoked"])
        .arg(revoked)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("ektp serve printed no desk page")
            .unwrap();
        if let Some(u) = line.strip_prefix("desk page: ") {
            break u.to_owned();
        }
    };
    (Kid(child), url)
}

/// A minimal W3C WebDriver client over HTTP/1.1.
struct Driver {
    port: u16,
    session: String,
    _chromedriver: Kid,
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    s.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
    let mut reader = BufReader::new(s);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body = String::from_utf8_lossy(&body);
    serde_json::from_str(body.trim()).unwrap_or(Value::Null)
}

impl Driver {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian chromium-driver, installed by .ci/test)");
        let kid = Kid(child);
        wait_for("chromedriver", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
                && http(port, "GET", "/status", None)["value"]["ready"] == true
        });
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1300,1100"]
            }
        }}});
        let v = http(port, "POST", "/session", Some(&caps));
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"))
            .to_owned();
        Self {
            port,
            session,
            _chromedriver: kid,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let p = format!("/session/{}{path}", self.session);
        http(self.port, method, &p, body.as_ref())["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    fn text(&self, css: &str) -> String {
        let e = self.element(css);
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Keys typed into whatever has the focus (the page must put it where the clerk types).
    fn type_keys(&self, css_focused: &str, keys: &str) {
        let e = self.element(css_focused);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": keys })),
        );
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = decode_base64(b64.as_str().unwrap());
        assert_eq!(&png[1..4], b"PNG");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/desk-browser");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
        path
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|b| !b"=\r\n".contains(b)).collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let n = chunk
            .iter()
            .fold(0_u32, |acc, &c| (acc << 6) | u32::from(val(c)))
            << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

/// Types the CAN into the focused field and presses Enter; waits for the verdict.
fn desk_flow(driver: &Driver, url: &str) -> String {
    driver.go(url);
    wait_for("the page", || !driver.text("#status").is_empty());
    let focused = driver.script("return document.activeElement.id");
    assert_eq!(
        focused, "can",
        "the CAN field has the focus when the page opens"
    );
    driver.type_keys("#can", &format!("{CAN}\u{E007}"));
    wait_for("the verdict", || !driver.text("#verdict").is_empty());
    let focused = driver.script("return document.activeElement.id");
    assert_eq!(
        focused, "verdict",
        "the verdict takes the focus (screen readers, keyboard)"
    );
    driver.text("#verdict")
}

#[test]
fn the_desk_page_passes_a_good_card_with_its_photo_and_refuses_a_revoked_one() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let dir = std::env::temp_dir().join(format!("ektp-desk-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = |p: &str| dir.join(p).to_string_lossy().into_owned();
    ok(&["pki", "init", &s("pki")]);
    wait_for("the previous card to leave", || !card_present());
    let sim = Kid(ektp()
        .args([
            "sim",
            "--port",
            &PORT.to_string(),
            "--state",
            &s("chip.json"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap());
    wait_for("the virtual card", card_present);
    let app = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens/pria/application.json");
    ok(&[
        "--reader",
        READER,
        "personalize",
        &app.to_string_lossy(),
        "--signer-key",
        &s("pki/ID-DS1-TEST-ONLY.key.pem"),
        "--signer-cert",
        &s("pki/ID-DS1-TEST-ONLY.crt.pem"),
        "--trust",
        &s("pki/trust"),
        "--test-master-key",
        "--wait",
        "5",
    ]);
    ok(&["serve", "--init", "--token-file", &s("token")]);
    std::fs::write(dir.join("none.txt"), "").unwrap();
    std::fs::write(dir.join("revoked.txt"), "IDA000001\n").unwrap();
    let driver = Driver::start();

    // A good card: PASS, the card face from the chip (photo and all) beside the checks.
    let (_serve, url) = serve(&dir, &s("pki/trust"), &dir.join("none.txt"));
    let verdict = desk_flow(&driver, &format!("{url}&lang=en"));
    let shot = driver.screenshot("pass.png");
    assert_eq!(verdict, "PASS", "see {}", shot.display());
    let face = driver.script(
        "const f = document.getElementById('face'); \
         return [f.complete, f.naturalWidth, f.naturalHeight, f.getBoundingClientRect().width]",
    );
    assert_eq!(face[0], true);
    assert_eq!(face[1], 1012, "the card face PNG is shown");
    assert_eq!(face[2], 638);
    assert!(face[3].as_f64().unwrap() > 300.0, "and visible: {face}");
    let fields = driver.text("#fields");
    assert!(
        fields.contains("SPESIMEN BUDI SANTOSO") && fields.contains("3273011708850001"),
        "{fields}"
    );
    assert!(
        fields.contains("Tempat Lahir") && fields.contains("Kewarganegaraan"),
        "{fields}"
    );
    assert!(driver.text("#checks").contains("passive_authentication"));
    drop(_serve);

    // The same card at a desk whose revocation list names it: DO NOT HAND OUT (Indonesian page).
    let (_serve, url) = serve(&dir, &s("pki/trust"), &dir.join("revoked.txt"));
    let verdict = desk_flow(&driver, &url);
    let shot = driver.screenshot("revoked.png");
    assert_eq!(verdict, "JANGAN DISERAHKAN", "see {}", shot.display());
    let checks = driver.text("#checks");
    assert!(checks.contains("GAGAL not_revoked"), "{checks}");
    let class = driver.script("return document.getElementById('verdict').className");
    assert_eq!(class, "fail");

    drop(driver);
    drop(sim);
    wait_for("the card to leave", || !card_present());
    let _ = std::fs::remove_dir_all(&dir);
}
