//! The desk page driven in a real headless browser (Debian's chromium through its
//! chromedriver, spoken to over the W3C WebDriver protocol) against `ektp serve` and a virtual
//! card in pcscd's vpcd reader: the CAN typed with the keyboard and Enter, PASS with the card
//! face (photo) shown; the same card on a desk whose revocation list names it, DO NOT HAND
//! OUT. A desk with a terminal, an applications directory and the issuance registry (the real
//! PostgreSQL of `.ci/test`): the `potret-icao` card's JPEG 2000 photo on the face beside the
//! checks, the fingerprint step after the card checks pass (a capture file chosen and sent
//! with the keyboard), PASS with the handover recorded; and the same `/api/verify` with
//! another application, a stranger's finger, a second handover, the fingerprint attempt limit
//! held across requests per card, an unreachable registry. Screenshots are kept under
//! `target/desk-browser/` (the paths are printed).

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
    serve_with(dir, trust, revoked, &[])
}

fn serve_with(dir: &Path, trust: &str, revoked: &Path, more: &[&str]) -> (Kid, String) {
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
        .args(more)
        .current_dir(dir)
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
        // "desk page: URL" ("halaman loket: URL" in Indonesian).
        if line.contains("/?token=")
            && let Some(i) = line.find("http://")
        {
            break line[i..].to_owned();
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
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, s).unwrap()
}

/// Types the CAN into the focused field and presses Enter; waits for the verdict.
fn desk_flow(driver: &Driver, url: &str) -> String {
    desk_flow_can(driver, url, CAN)
}

fn desk_flow_can(driver: &Driver, url: &str, can: &str) -> String {
    driver.go(url);
    wait_for("the page", || !driver.text("#status").is_empty());
    let focused = driver.script("return document.activeElement.id");
    assert_eq!(
        focused, "can",
        "the CAN field has the focus when the page opens"
    );
    driver.type_keys("#can", &format!("{can}\u{E007}"));
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
    // A mistyped CAN first: the service's message in Indonesian, the CAN field ready again.
    let (_serve, url) = serve(&dir, &s("pki/trust"), &dir.join("revoked.txt"));
    driver.go(&url);
    wait_for("the page", || !driver.text("#status").is_empty());
    driver.type_keys("#can", "000000\u{E007}");
    wait_for("the wrong-CAN message", || {
        !driver.text("#error").is_empty()
    });
    let shot = driver.screenshot("wrong-can.png");
    assert_eq!(
        driver.text("#error"),
        "Kesalahan: CAN salah: periksa 6 angka yang tercetak pada kartu",
        "see {}",
        shot.display()
    );
    assert!(
        driver.text("#verdict").is_empty(),
        "no verdict for a mistyped CAN"
    );
    let focused = driver.script("return document.activeElement.id");
    assert_eq!(focused, "can", "the CAN field takes the focus again");
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

/// `ok` in `dir`.
fn ok_in(dir: &Path, args: &[&str]) -> String {
    let o = ektp().current_dir(dir).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "ektp {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A virtual card in slot 0 with its state in `dir`/`state` (blank if the file is new).
fn sim_in(dir: &Path, state: &str) -> Kid {
    Kid(ektp()
        .current_dir(dir)
        .args(["sim", "--port", &PORT.to_string(), "--state", state])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap())
}

/// The department's CVCA, a DV and a desk terminal with read-dg3 (as fingerprint_cli.rs).
fn terminal_pki(dir: &Path) {
    ok_in(
        dir,
        &[
            "cvc",
            "init-cvca",
            "cvca",
            "--country",
            "ID",
            "--holder",
            "IDCVCA00001",
        ],
    );
    ok_in(
        dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--holder",
            "IDDVDESK00001",
            "--months",
            "3",
            "--rights",
            "read-dg3",
            "--out",
            "dv.cvcert",
            "--key-out",
            "dv.key",
        ],
    );
    ok_in(
        dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "term.key",
            "--holder",
            "IDDESK00001",
            "--car",
            "IDDVDESK00001",
            "--out",
            "term.req",
        ],
    );
    ok_in(
        dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "term.req",
            "--days",
            "7",
            "--rights",
            "read-dg3",
            "--out",
            "term.cvcert",
        ],
    );
}

/// A fresh, migrated registry database: its URL.
fn registry_db() -> String {
    let base = std::env::var("EKTP_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "EKTP_TEST_PG is not set: run the tests through .ci/test, which starts a throwaway \
             PostgreSQL cluster (or `. .ci/pg && ci_pg_start`)"
        )
    });
    let db = format!("desk_browser_{}", std::process::id());
    let mut admin = ektp_registry::Registry::connect(&format!("{base} dbname=postgres")).unwrap();
    let c = admin.client();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let url = format!("{base} dbname={db}");
    ok(&["registry", "--registry", &url, "init"]);
    url
}

/// The applications directory: `potret` (the potret-icao specimen, JPEG 2000 portrait, with
/// the pria specimen's index-finger images so DG3 is extracted from the synthetic finger 9106)
/// and `pria` (another person).
fn applications(dir: &Path) -> PathBuf {
    let specimens = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
    let queue = dir.join("queue");
    let potret = queue.join("potret");
    std::fs::create_dir_all(&potret).unwrap();
    for f in ["portrait.jp2", "signature.jpg"] {
        std::fs::copy(specimens.join("potret-icao").join(f), potret.join(f)).unwrap();
    }
    for f in ["right-index.png", "left-index.png"] {
        std::fs::copy(specimens.join("pria").join(f), potret.join(f)).unwrap();
    }
    let json = std::fs::read_to_string(specimens.join("potret-icao/application.json"))
        .unwrap()
        .replace(".fmr\"", ".png\"");
    std::fs::write(potret.join("application.json"), json).unwrap();
    let pria = queue.join("pria");
    std::fs::create_dir_all(&pria).unwrap();
    for e in std::fs::read_dir(specimens.join("pria")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), pria.join(e.file_name())).unwrap();
    }
    queue
}

/// `POST /api/verify` with the token from the desk page's address; the answer's JSON.
fn api_verify(url: &str, body: &Value) -> (u16, Value) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, query) = rest.split_once("/?token=").unwrap();
    let mut s = TcpStream::connect(host).unwrap();
    let body = body.to_string();
    write!(
        s,
        "POST /api/verify HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Authorization: Bearer {query}\r\nAccept-Language: id\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap())
}

fn base64(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
}

fn row<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == check)
        .unwrap_or_else(|| panic!("no {check} row in {v}"))
}

#[test]
fn a_desk_with_a_terminal_and_the_registry_shows_the_jpeg2000_photo_beside_the_checks_and_matches_the_finger()
 {
    let url_db = registry_db();
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let dir = std::env::temp_dir().join(format!("ektp-desk-finger-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    ok_in(&dir, &["pki", "init", "pki"]);
    terminal_pki(&dir);
    let queue = applications(&dir);
    std::fs::write(
        dir.join("station.toml"),
        "signer_key = \"pki/ID-DS1-TEST-ONLY.key.pem\"\n\
         signer_certificate = \"pki/ID-DS1-TEST-ONLY.crt.pem\"\n\
         trust_dir = \"pki/trust\"\n\
         cvca_certificate = \"cvca/IDCVCA00001.cvcert\"\n\
         journal = \"journal.sqlite\"\n",
    )
    .unwrap();
    wait_for("the previous card to leave", || !card_present());
    let sim = sim_in(&dir, "chip.json");
    wait_for("the virtual card", card_present);
    let app = queue.join("potret/application.json");
    ok_in(
        &dir,
        &[
            "--reader",
            READER,
            "--config",
            "station.toml",
            "personalize",
            &app.to_string_lossy(),
            "--test-master-key",
            "--wait",
            "5",
        ],
    );
    // The station's journal pushed to the registry: the card is recorded as issued.
    ok(&[
        "registry",
        "--registry",
        &url_db,
        "import",
        &dir.join("journal.sqlite").to_string_lossy(),
    ]);
    ok_in(&dir, &["serve", "--init", "--token-file", "token"]);
    std::fs::write(dir.join("none.txt"), "").unwrap();
    let holder = ektp_bio::synth::impression(9106, 1).to_png().unwrap();
    std::fs::write(dir.join("holder.png"), &holder).unwrap();
    let stranger = ektp_bio::synth::impression(9108, 1).to_png().unwrap();

    let (_serve, url) = serve_with(
        &dir,
        "pki/trust",
        &dir.join("none.txt"),
        &[
            "--terminal-cert",
            "term.cvcert",
            "--terminal-chain",
            "dv.cvcert",
            "--terminal-key",
            "term.key",
            "--applications",
            "queue",
            "--registry",
            &url_db,
            "--desk",
            "desk 7",
            // More requests than the CAN limit's default 10 a minute.
            "--can-attempts-per-minute",
            "60",
        ],
    );
    const CAN7: &str = "705316";

    // The API first. An unknown application: refused before the card, in Indonesian.
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "application": "nope"}));
    assert_eq!(status, 404, "{v}");
    assert_eq!(v["error"], "unknown_application");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("Permohonan tidak ditemukan"),
        "{v}"
    );
    // Another person's application: the card is not the one expected.
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "application": "pria"}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["passed"], false, "{v}");
    assert_eq!(row(&v, "record_match")["status"], "FAIL", "{v}");
    // Its own application, no capture yet: the card checks pass, the fingerprint is pending
    // and the registry is not asked (no holder check yet).
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "application": "potret"}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["card_passed"], true, "{v}");
    assert_eq!(v["fingerprint_step"], true);
    assert_eq!(v["fingerprint_pending"], true, "{v}");
    assert_eq!(v["passed"], false);
    assert_eq!(row(&v, "record_match")["status"], "PASS", "{v}");
    assert_eq!(row(&v, "fingerprint")["status"], "SKIP", "{v}");
    assert!(v["registry"].is_null(), "{v}");
    // A stranger's finger: the fingerprint fails; the registry knows the card but records no
    // handover for a card that failed.
    let finger = |png: &[u8]| json!([{"finger": "right-index", "png": base64(png)}]);
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "finger": finger(&stranger)}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["passed"], false, "{v}");
    assert_eq!(v["fingerprint"]["matched"], false, "{v}");
    assert_eq!(row(&v, "fingerprint")["status"], "FAIL", "{v}");
    assert_eq!(v["registry"]["handover_recorded"], false, "{v}");
    assert!(
        v["registry"]["reason"]
            .as_str()
            .unwrap()
            .contains("handover NOT recorded"),
        "{v}"
    );
    // A capture that is not base64: refused, the card untouched.
    let (status, v) = api_verify(
        &url,
        &json!({"can": CAN7, "finger": [{"finger": "right-index", "png": "not base64!"}]}),
    );
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("bad_finger")),
        "{v}"
    );

    // The page: CAN → card checks pass → the fingerprint step, the face beside the checks.
    let driver = Driver::start();
    let verdict = desk_flow_can(&driver, &format!("{url}&lang=en"), CAN7);
    let shot = driver.screenshot("fingerprint-step.png");
    assert_eq!(verdict, "CHECK THE FINGERPRINT", "see {}", shot.display());
    let rects = driver.script(
        "const r = (id) => document.getElementById(id).getBoundingClientRect(); \
         const [f, c] = [r('face'), r('checks')]; \
         return [f.left, f.right, f.top, f.bottom, c.left, c.right, c.top, c.bottom]",
    );
    let n = |i: usize| rects[i].as_f64().unwrap();
    assert!(n(1) <= n(4), "the checks start right of the face: {rects}");
    assert!(
        n(2) < n(7) && n(6) < n(3),
        "and beside it, not below: {rects}"
    );
    // The JPEG 2000 portrait is on the face: the photo box is not a flat placeholder.
    let photo = driver.script(
        "const f = document.getElementById('face'); \
         const c = document.createElement('canvas'); c.width = f.naturalWidth; \
         c.height = f.naturalHeight; const g = c.getContext('2d'); g.drawImage(f, 0, 0); \
         const d = g.getImageData(776, 122, 192, 242).data; let s = 0, s2 = 0, n = 0; \
         for (let i = 0; i < d.length; i += 4) { const l = (d[i] + d[i+1] + d[i+2]) / 3; \
           s += l; s2 += l * l; n++; } \
         return [f.naturalWidth, Math.sqrt(s2 / n - (s / n) * (s / n))]",
    );
    assert_eq!(photo[0], 1012, "{photo}");
    assert!(
        photo[1].as_f64().unwrap() > 25.0,
        "the photo region is flat: {photo}"
    );
    // Keyboard only: from the verdict, the next control is the capture file, then its button.
    let order = driver.script(
        "const all = [...document.querySelectorAll('input, button')].filter( \
           (e) => !e.disabled && e.offsetParent !== null); \
         return all.map((e) => e.id)",
    );
    assert_eq!(
        order,
        json!(["finger-file", "finger-check", "next"]),
        "{order}"
    );
    driver.type_keys("#finger-file", &dir.join("holder.png").to_string_lossy());
    driver.type_keys("#finger-check", "\u{E007}");
    wait_for("the fingerprint verdict", || {
        driver.text("#verdict") != "CHECK THE FINGERPRINT"
    });
    let shot = driver.screenshot("fingerprint-pass.png");
    assert_eq!(driver.text("#verdict"), "PASS", "see {}", shot.display());
    let checks = driver.text("#checks");
    assert!(checks.contains("PASS fingerprint"), "{checks}");
    assert!(checks.contains("PASS registry"), "{checks}");
    assert!(
        checks.contains("handover recorded (desk desk 7, fingerprint score"),
        "{checks}"
    );
    drop(driver);

    // The same card again: the registry refuses a second handover.
    let (_, v) = api_verify(&url, &json!({"can": CAN7, "finger": finger(&holder)}));
    assert_eq!(v["fingerprint"]["matched"], true, "{v}");
    assert_eq!(v["passed"], false, "{v}");
    assert!(
        v["registry"]["reason"]
            .as_str()
            .unwrap()
            .contains("already handed over"),
        "{v}"
    );

    // The attempt limit (4) holds across requests, counted per card: a stranger's finger in
    // four requests uses attempts 1 to 4; the fifth request is refused without a match, even
    // with the holder's own finger, and even after the card was taken out and put back.
    for n in 1..=4 {
        let (status, v) = api_verify(&url, &json!({"can": CAN7, "finger": finger(&stranger)}));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["fingerprint"]["matched"], false, "{v}");
        assert_eq!(v["fingerprint"]["attempts_used"], n, "{v}");
    }
    let refused = |v: &Value| {
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .starts_with("Kartu ini sudah menghabiskan semua percobaan sidik jari"),
            "{v}"
        );
        assert!(v.get("fingerprint").is_none(), "{v}");
    };
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "finger": finger(&holder)}));
    assert_eq!(
        (status, v["error"].as_str()),
        (429, Some("too_many_finger_attempts")),
        "{v}"
    );
    refused(&v);
    // Without a capture the card is still checked and shown.
    let (status, v) = api_verify(&url, &json!({"can": CAN7}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["card_passed"], true, "{v}");
    // Another card (the pria specimen, personalized in its own virtual chip) is unaffected:
    // its first capture is its attempt 1.
    drop(sim);
    wait_for("the card to leave", || !card_present());
    let sim = sim_in(&dir, "chip-pria.json");
    wait_for("the second virtual card", card_present);
    let pria = queue.join("pria/application.json");
    ok_in(
        &dir,
        &[
            "--reader",
            READER,
            "--config",
            "station.toml",
            "personalize",
            &pria.to_string_lossy(),
            "--test-master-key",
            "--wait",
            "5",
        ],
    );
    let (status, v) = api_verify(&url, &json!({"can": CAN, "finger": finger(&stranger)}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["holder"]["document_number"], "IDA000001", "{v}");
    assert_eq!(v["fingerprint"]["checked"], true, "{v}");
    assert_eq!(v["fingerprint"]["attempts_used"], 1, "{v}");
    drop(sim);
    wait_for("the card to leave", || !card_present());
    let sim = sim_in(&dir, "chip.json");
    wait_for("the first card again", card_present);
    let (status, v) = api_verify(&url, &json!({"can": CAN7, "finger": finger(&holder)}));
    assert_eq!(status, 429, "{v}");
    refused(&v);

    drop(_serve);

    // A desk without a terminal whose registry is unreachable and that has no signed
    // revocation list to fall back on: the registry check fails and says why.
    let down = format!(
        "host={} user=nobody dbname=none",
        dir.join("no-server").display()
    );
    let (_serve, url) = serve_with(
        &dir,
        "pki/trust",
        &dir.join("none.txt"),
        &["--registry", &down],
    );
    let (_, v) = api_verify(
        &url,
        &json!({"can": CAN7, "power_of_attorney": "SK-12/2026"}),
    );
    assert_eq!(v["fingerprint_step"], false, "{v}");
    assert_eq!(v["card_passed"], true, "{v}");
    assert_eq!(v["passed"], false, "{v}");
    assert_eq!(v["registry"]["fallback"], true, "{v}");
    assert!(
        v["registry"]["reason"]
            .as_str()
            .unwrap()
            .contains("registry unreachable"),
        "{v}"
    );
    assert_eq!(row(&v, "registry")["status"], "FAIL", "{v}");

    drop(_serve);
    drop(sim);
    wait_for("the card to leave", || !card_present());
    let _ = std::fs::remove_dir_all(&dir);
}
