//! The `ektp` binary run as a user runs it: every subcommand, its output and its exit status.
//! The card tests go through the real pcscd and the vpcd reader "Virtual PCD 00 00", with
//! `ektp sim` as a child process serving the chip, and hold the slot lock for their whole run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp::{Application, Card, ReadRequest, Station};
use ektp_chip::Chip;
use ektp_chip::vpcd::SlotLock;
use ektp_lds::{DgNumber, LdsFile};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};

mod common;
use common::*;

const PORT: u16 = 35963;
const READER: &str = "Virtual PCD 00 00";

fn specimens() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens")
}

fn specimen_path(name: &str) -> String {
    specimens()
        .join(name)
        .join("application.json")
        .to_string_lossy()
        .into_owned()
}

fn specimen(name: &str) -> Application {
    ektp::load_application(specimen_path(name)).unwrap()
}

const VALID: [&str; 5] = ["pria", "wanita", "wna", "menikah-16", "nama-panjang"];

#[test]
fn demo_needs_nothing_and_shows_every_step() {
    let cwd = TempDir::new("demo");
    let started = Instant::now();
    let o = ektp().arg("demo").current_dir(cwd.path()).output().unwrap();
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(started.elapsed() < Duration::from_secs(10));
    let out = stdout(&o);
    for step in [
        "TEST PKI",
        "opening the personalization session",
        "chip generates its Active Authentication key",
        "signing EF.SOD",
        "writing DG11 (personal details)",
        "storing the CAN",
        "reading back through PACE and verifying",
        "locking the card",
        "card LOCKED: document IDA000001",
        "SPESIMEN BUDI SANTOSO",
        "PASS  passive_authentication",
        "PASS  active_authentication",
        "PASS  record_match",
        "DONE, card verified",
        "APDUs in all",
    ] {
        assert!(out.contains(step), "missing {step:?}:\n{out}");
    }
    assert!(!out.contains("FAIL"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("DONE, card verified: ")
            && last.contains("APDUs in all")
            && last.ends_with(" ms"),
        "{last}"
    );
    // Nothing left behind in the working directory.
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);

    let o = run(&["demo", "--json"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verify"]["passed"], true);
    assert_eq!(v["holder"]["nik"], "3273011708850001");
    assert!(v["stats"]["apdus"].as_u64().unwrap() > 50);
}

#[test]
fn check_accepts_the_five_valid_specimens_and_refuses_the_unmarried_16_year_old() {
    let valid: Vec<String> = VALID.iter().map(|n| specimen_path(n)).collect();
    let mut args = vec!["check".to_owned()];
    args.extend(valid.iter().cloned());
    let o = ektp().args(&args).output().unwrap();
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert_eq!(stdout(&o).matches("OK ").count(), 5, "{}", show(&o));

    args.push(specimen_path("belum-kawin-16"));
    let o = ektp().args(&args).output().unwrap();
    assert_eq!(code(&o), 1, "{}", show(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("OK ").count(), 5, "{out}");
    assert!(out.contains("INVALID"), "{out}");
    assert!(out.contains("holder.date_of_birth:"), "{out}");
    assert!(
        out.contains("holder is 16") && out.contains("not eligible"),
        "{out}"
    );
    assert!(
        stderr(&o).contains("1 of 6 applications invalid"),
        "{}",
        show(&o)
    );

    args.insert(0, "--json".to_owned());
    let o = ektp().args(&args).output().unwrap();
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 6);
    assert!(list[..5].iter().all(|e| e["valid"] == true));
    let refused = &list[5];
    assert_eq!(refused["valid"], false);
    assert_eq!(refused["age_refusal"], true);
    assert_eq!(refused["problems"][0]["field"], "holder.date_of_birth");

    // A missing file is named, and is a file error (exit 4), not an invalid application.
    let o = run(&["check", "/nonexistent/application.json"]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(stdout(&o).contains("cannot be read"), "{}", show(&o));
    // Counts are worded for the count: one file, one problem, one application.
    assert!(stdout(&o).contains("(1 problem)"), "{}", show(&o));
    assert!(
        stderr(&o).contains("1 of 1 application invalid")
            && stderr(&o).contains("1 file cannot be read: check the path\n"),
        "{}",
        show(&o)
    );
    let o = run(&["check", &specimen_path("pria")]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stderr(&o).contains("1 application valid"), "{}", show(&o));
}

#[test]
fn pki_init_writes_a_test_pki_and_show_describes_each_kind_of_file() {
    let dir = TempDir::new("pki");
    let pki = dir.s("pki");
    let o = run(&["pki", "init", &pki]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("TEST ONLY PKI written"), "{out}");
    assert!(out.contains("station-TEST-ONLY.toml"), "{out}");
    for f in [
        "trust/ID-CSCA-TEST-ONLY.crt.pem",
        "trust/ID-CSCA-TEST-ONLY.crl.pem",
        "ID-DS1-TEST-ONLY.key.pem",
        "perso-master-TEST-ONLY.hex",
        "station-TEST-ONLY.toml",
    ] {
        assert!(dir.join("pki").join(f).is_file(), "{f}");
    }
    // Never overwrites.
    let o = run(&["pki", "init", &pki]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(stderr(&o).starts_with("error: "), "{}", show(&o));

    let o = run(&["pki", "show", &dir.s("pki/trust/ID-CSCA-TEST-ONLY.crt.pem")]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("Certificate  (TEST ONLY)"), "{out}");
    assert!(out.contains("CSCA Indonesia e-KTP"), "{out}");
    assert!(out.contains("CA           yes"), "{out}");
    assert!(out.contains("EC, 384 bits"), "{out}");

    let o = run(&[
        "--json",
        "pki",
        "show",
        &dir.s("pki/ID-DS1-TEST-ONLY.crt.pem"),
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "certificate");
    assert_eq!(v["ca"], false);
    assert_eq!(v["status"], "valid now");

    let o = run(&["pki", "show", &dir.s("pki/trust/ID-CSCA-TEST-ONLY.crl.pem")]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(
        stdout(&o).contains("Certificate revocation list"),
        "{}",
        show(&o)
    );
    assert!(stdout(&o).contains("revoked      0"), "{}", show(&o));

    // A private key is refused, not printed.
    let o = run(&["pki", "show", &dir.s("pki/ID-DS1-TEST-ONLY.key.pem")]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(!stdout(&o).contains("PRIVATE"), "{}", show(&o));

    // An EF.SOD signed by the TEST document signer.
    let signer = ektp_pki::RingSigner::from_files(
        &dir.join("pki/ID-DS1-TEST-ONLY.key.pem"),
        &dir.join("pki/ID-DS1-TEST-ONLY.crt.pem"),
    )
    .unwrap();
    let dg1: &[u8] = b"\x61\x03abc";
    let dg2: &[u8] = &[0x75, 0x01, 0x00];
    let sod = ektp_pki::sign_ef_sod(
        &[(DgNumber::DG1, dg1), (DgNumber::DG2, dg2)],
        &signer,
        &ektp_pki::SodOptions::new(SystemTime::now()),
    )
    .unwrap();
    std::fs::write(dir.join("EF.SOD"), &sod).unwrap();
    let o = run(&["pki", "show", &dir.s("EF.SOD")]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    let dg1_hash = hex::encode(ring::digest::digest(&ring::digest::SHA256, dg1));
    assert!(out.contains(&format!("DG1   {dg1_hash}")), "{out}");
    assert!(out.contains("Document Signer 1"), "{out}");
    assert!(
        out.contains("signing time 20") && out.contains(" UTC"),
        "{out}"
    );

    let o = run(&["pki", "show", &dir.s("nope.pem")]);
    assert_eq!(code(&o), 4, "{}", show(&o));
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let o = run(&["read", "--can", "12345"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert_eq!(
        stderr(&o).trim(),
        "error: the CAN must be the 6 digits printed on the card"
    );
    let o = run(&["verify"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    let o = run(&["frobnicate"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    let o = run(&["--help"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("Exit status:"), "{}", show(&o));
    // Without a trust store, verify says how to give one before touching a card.
    let o = run(&["verify", "--can", "123456"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("--trust DIR"), "{}", show(&o));
}

/// Issue 13 polish: stderr that is not a terminal gets no ANSI colour codes (the log lines of
/// `-vv` included), and a broken TOML config keeps the parser's multi-line pointer (exit 4).
#[test]
fn output_for_files_and_pipes_is_plain_and_config_errors_keep_their_shape() {
    let o = run(&["demo", "-vv"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.lines().count() > 10, "-vv logs APDUs: {err}");
    assert!(!err.contains('\u{1b}'), "ANSI escape on a pipe: {err}");
    assert!(!stdout(&o).contains('\u{1b}'), "ANSI escape on a pipe");

    let dir = TempDir::new("toml");
    let bad = dir.join("station.toml");
    std::fs::write(&bad, "reader = \"x\"\njournal = [1,\n").unwrap();
    let o = ektp()
        .arg("--config")
        .arg(&bad)
        .args(["journal", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 4, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("is not valid:\n"), "{err}");
    assert!(err.contains("line 2, column 15"), "{err}");
    assert!(
        err.lines().any(|l| l.trim_end().ends_with('^')),
        "the caret line under the error: {err}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    let o = run(&["completions", "bash"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    assert!(
        out.contains("personalize") && out.contains("--can"),
        "{out}"
    );
    let o = run(&["man"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    assert!(out.starts_with(".ie") || out.contains(".TH ektp"), "{out}");
    assert!(out.contains("verify"), "{out}");
}

/// `ektp sim` serving a chip state file on the test port, stopped (SIGTERM) on drop.
struct Sim {
    child: Option<Child>,
}

impl Sim {
    fn start(state: &Path, extra: &[&str]) -> Self {
        let child = ektp()
            .args(["sim", "--port", &PORT.to_string(), "--state"])
            .arg(state)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let sim = Self { child: Some(child) };
        // Wait until pcscd reports the card in the reader.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let o = run(&["--json", "readers"]);
            if code(&o) == 0 {
                let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
                if v.as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["name"] == READER && r["card"] == "present")
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

    /// Stops the simulator as Ctrl-C would and returns its output.
    fn stop(mut self) -> Output {
        let child = self.child.take().unwrap();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        // Let pcscd notice the removal before the next card goes in.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let o = run(&["--json", "readers"]);
            if !stdout(&o).contains("\"present\"") {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        out
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn lock() -> SlotLock {
    SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap()
}

/// A clone: a blank chip (with its own Active Authentication key) written with every file
/// copied from the genuine card, then locked — what a cloner can make.
fn clone_of(genuine: &Path, app: &Application, out: &Path) {
    let can = app.can.clone();
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let mut card = Card::new(Chip::load(genuine).unwrap().into_in_process()).unwrap();
    let stolen = card
        .pace(&can)
        .unwrap()
        .read_files(ReadRequest::ALL)
        .unwrap();
    let card_access = card.read_card_access().unwrap();
    let mut clone = Card::new(
        Chip::new_blank(*b"CLONE001", &master)
            .unwrap()
            .into_in_process(),
    )
    .unwrap();
    {
        let mut s = clone.personalization(&master).unwrap();
        s.aa_public_key().unwrap();
        s.write_file(LdsFile::CardAccess, &card_access).unwrap();
        s.write_file(LdsFile::Com, stolen.get(LdsFile::Com).unwrap())
            .unwrap();
        for (n, raw) in stolen.data_groups() {
            s.write_file(LdsFile::Dg(n), raw).unwrap();
        }
        s.write_file(LdsFile::Sod, stolen.get(LdsFile::Sod).unwrap())
            .unwrap();
        s.set_can(&can).unwrap();
    }
    clone.reset().unwrap();
    clone.personalization(&master).unwrap().lock().unwrap();
    clone.into_transport().into_card().save(out).unwrap();
}

/// A forgery: a card personalized and signed by a rogue root that has the real root's name.
fn forged(app: &Application, out: &Path) {
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let rogue = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA Indonesia e-KTP",
        &TestKey::EcdsaP256,
        now - day,
        now + day * 365,
    )
    .unwrap();
    let ds = rogue
        .issue_document_signer(&DocumentSignerSpec::new(
            "Document Signer 1",
            TestKey::EcdsaP256,
            now,
        ))
        .unwrap();
    let mut trust = ektp::TrustStore::new();
    trust.add_root_der(rogue.certificate_der()).unwrap();
    trust
        .add_crl_der(&rogue.crl(&[], now - day, now + day * 30, 1).unwrap())
        .unwrap();
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let mut card = Card::new(
        Chip::new_blank(*b"FORGED01", &master)
            .unwrap()
            .into_in_process(),
    )
    .unwrap();
    let signer = ds.signer().unwrap();
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

fn face_and_printout(dir: &TempDir, can: &str, app: &Application) {
    use std::os::unix::fs::PermissionsExt as _;
    let (face, pdf) = (dir.join("face.png"), dir.join("card.pdf"));
    // LANG picks the printout's language (Indonesian here); --lang overrides it below.
    let o = ektp()
        .env("LANG", "id_ID.UTF-8")
        .args(["--reader", READER, "read", "--can", can, "--face"])
        .arg(&face)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", show(&o));
    for f in [&face, &pdf] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", f.display());
    }
    let png = std::fs::read(&face).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!(
        (size(16), size(20)),
        (ektp_face::FACE_WIDTH, ektp_face::FACE_HEIGHT)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(app.holder.nik.as_str()), "{text}");
    assert!(text.contains(&app.holder.name), "{text}");
    assert!(text.contains("Tidak diverifikasi"), "{text}");
    let o = ektp()
        .env("LANG", "id_ID.UTF-8")
        .args([
            "--reader", READER, "read", "--can", can, "--lang", "en", "--pdf",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", show(&o));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Not verified (read only)"), "{text}");
    assert!(!text.contains("Tidak diverifikasi"), "{text}");
}

#[test]
fn personalize_read_and_verify_through_pcscd_and_the_virtual_reader() {
    let _slot = lock();
    let dir = TempDir::new("pcsc");
    let pki = dir.s("pki");
    assert_eq!(code(&run(&["pki", "init", &pki])), 0);
    let key = dir.s("pki/ID-DS1-TEST-ONLY.key.pem");
    let cert = dir.s("pki/ID-DS1-TEST-ONLY.crt.pem");
    let trust = dir.s("pki/trust");
    let state = dir.join("chip.json");
    let app_path = specimen_path("pria");
    let app = specimen("pria");
    let can = "482915";

    // A blank chip in the reader.
    let sim = Sim::start(&state, &[]);
    let o = run(&["readers"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let line = stdout(&o)
        .lines()
        .find(|l| l.starts_with(READER))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(
        line.contains("card present")
            && line.contains("3B 88 80 01")
            && line.contains("ektp virtual chip"),
        "{}",
        show(&o)
    );

    // Personalize it.
    let o = run(&[
        "--reader",
        READER,
        "personalize",
        &app_path,
        "--signer-key",
        &key,
        "--signer-cert",
        &cert,
        "--trust",
        &trust,
        "--test-master-key",
        "--wait",
        "5",
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let err = stderr(&o);
    assert!(
        err.contains("TEST ONLY personalization master key"),
        "{err}"
    );
    for step in [
        "opening the personalization session",
        "writing EF.SOD",
        "reading back",
        "locking the card",
    ] {
        assert!(err.contains(step), "missing {step:?}: {err}");
    }
    assert!(
        stdout(&o).contains("LOCKED: document IDA000001"),
        "{}",
        show(&o)
    );
    assert!(
        stdout(&o).contains("PASS  active_authentication"),
        "{}",
        show(&o)
    );

    // Once issued, personalize only re-verifies (no journal: nothing to record).
    let o = run(&[
        "--reader",
        READER,
        "--json",
        "personalize",
        &app_path,
        "--signer-key",
        &key,
        "--signer-cert",
        &cert,
        "--trust",
        &trust,
        "--test-master-key",
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["already_issued"], true);
    assert_eq!(v["report"]["passed"], true);
    // Through the station config, whose journal never recorded this card: a locked card is
    // not blank, and is refused (issue 13).
    let o = run(&[
        "--config",
        &dir.s("pki/station-TEST-ONLY.toml"),
        "--reader",
        READER,
        "personalize",
        &app_path,
    ]);
    assert_eq!(code(&o), 3, "{}", show(&o));
    assert!(
        stderr(&o).contains("already issued (locked)"),
        "{}",
        show(&o)
    );

    // Read: JSON, the whole record.
    let photo = dir.join("photo.jpg");
    let o = run(&[
        "--reader",
        READER,
        "--json",
        "read",
        "--can",
        can,
        "--photo",
        &photo.to_string_lossy(),
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v, {
        let mut want = app.holder.to_json();
        want["photo"] = v["photo"].clone();
        want
    });
    assert_eq!(v["photo"]["format"], "jpeg");
    let written = std::fs::read(&photo).unwrap();
    assert_eq!(
        written,
        std::fs::read(specimens().join("pria/portrait.jpg")).unwrap()
    );

    // --only reads only DG11: fewer READ BINARY commands in the APDU trace.
    let reads = |o: &Output| stderr(o).matches("READ BINARY").count();
    let full = run(&["-vv", "--reader", READER, "--json", "read", "--can", can]);
    let only = run(&[
        "-vv", "--reader", READER, "--json", "read", "--can", can, "--only", "nik,name",
    ]);
    assert_eq!(code(&only), 0, "{}", show(&only));
    let v: serde_json::Value = serde_json::from_str(&stdout(&only)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"nik": app.holder.nik.as_str(), "name": app.holder.name})
    );
    assert!(
        reads(&only) > 0 && reads(&only) < reads(&full),
        "{} vs {}",
        reads(&only),
        reads(&full)
    );
    assert!(!stderr(&only).contains(can), "the CAN must not be logged");

    // Read: text summary.
    let o = run(&["--reader", READER, "read", "--can", can]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(
        stdout(&o).contains("Nama               SPESIMEN BUDI SANTOSO"),
        "{}",
        show(&o)
    );

    // The card face and the printout (issue 18): 0600 files, a PNG of the face's size, a PDF
    // whose text (pdftotext) has the NIK, the name and "not verified".
    face_and_printout(&dir, can, &app);

    // Wrong CAN: one clear line, card error.
    let o = run(&["--reader", READER, "read", "--can", "000000"]);
    assert_eq!(code(&o), 3, "{}", show(&o));
    assert_eq!(
        stderr(&o).trim(),
        "error: wrong CAN: check the 6 digits printed on the card"
    );

    // Verify: every check passes.
    let o = run(&[
        "--reader", READER, "verify", "--can", can, "--trust", &trust, "--expect", &app_path,
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    for check in [
        "pace",
        "read_data",
        "passive_authentication",
        "active_authentication",
        "record_match",
    ] {
        assert!(out.contains(&format!("PASS  {check}")), "{check}: {out}");
    }
    // Without --revoked, revocation is not checked: SKIP, not PASS, and the verdict says so.
    assert!(out.contains("SKIP  not_revoked"), "{out}");
    assert!(out.contains("VERIFIED"), "{out}");
    assert!(out.contains("revocation not checked"), "{out}");

    // Revoked document number: exit 1, reason on stderr.
    std::fs::write(dir.join("revoked.txt"), "# lost\nIDA000001\n").unwrap();
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        can,
        "--trust",
        &trust,
        "--revoked",
        &dir.s("revoked.txt"),
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stderr(&o)
            .contains("FAILED not_revoked: document number IDA000001 is on the revocation list"),
        "{}",
        show(&o)
    );

    // The printout of a revoked card's verification says so (issue 18), in Indonesian.
    let pdf = dir.join("verified.pdf");
    let o = ektp()
        .args([
            "--reader",
            READER,
            "verify",
            "--can",
            can,
            "--trust",
            &trust,
            "--revoked",
        ])
        .arg(dir.join("revoked.txt"))
        .args(["--lang", "id", "--pdf"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", show(&o));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("JANGAN DISERAHKAN"), "{text}");
    // With --lang id each check's name and reason are Indonesian too (issue 18).
    assert!(
        text.contains("tidak_dicabut") && text.contains("GAGAL"),
        "{text}"
    );
    assert!(text.contains(app.holder.nik.as_str()), "{text}");

    // Another person's application: record match fails.
    let o = run(&[
        "--reader",
        READER,
        "--json",
        "verify",
        "--can",
        can,
        "--trust",
        &trust,
        "--expect",
        &specimen_path("wanita"),
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passed"], false);
    assert!(stderr(&o).contains("FAILED record_match"), "{}", show(&o));

    // Wrong CAN at the desk: a failed check (1), with the reason.
    let o = run(&[
        "--reader", READER, "verify", "--can", "111111", "--trust", &trust,
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stderr(&o).contains("FAILED pace") && stderr(&o).contains("CAN"),
        "{}",
        show(&o)
    );

    let out = sim.stop();
    assert!(
        out.status.success(),
        "sim: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("state saved"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        Chip::load(&state).unwrap().lifecycle(),
        ektp_chip::Lifecycle::Issued
    );

    // No card in the reader: one line that says what to do.
    let o = run(&["--reader", READER, "read", "--can", can]);
    assert_eq!(code(&o), 3, "{}", show(&o));
    assert!(stderr(&o).contains("insert a card"), "{}", show(&o));

    // A clone with every file copied: Passive Authentication passes, Active Authentication
    // does not.
    let clone = dir.join("clone.json");
    clone_of(&state, &app, &clone);
    let sim = Sim::start(&clone, &[]);
    let o = run(&[
        "--reader", READER, "verify", "--can", can, "--trust", &trust, "--expect", &app_path,
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stdout(&o).contains("PASS  passive_authentication"),
        "{}",
        show(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("FAILED active_authentication") && err.contains("clone"),
        "{err}"
    );
    assert!(!err.contains("FAILED passive_authentication"), "{err}");
    drop(sim.stop());

    // A forgery signed under a rogue root with the real root's name: Passive Authentication
    // fails.
    let forgery = dir.join("forged.json");
    forged(&app, &forgery);
    let sim = Sim::start(&forgery, &[]);
    let o = run(&[
        "--reader", READER, "--json", "verify", "--can", can, "--trust", &trust, "--expect",
        &app_path,
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stderr(&o).contains("FAILED passive_authentication"),
        "{}",
        show(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passed"], false);
    drop(sim.stop());
}

#[test]
fn a_card_pulled_during_personalization_is_left_unlocked_and_completed_by_a_rerun() {
    let _slot = lock();
    let dir = TempDir::new("pull");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let config = dir.s("pki/station-TEST-ONLY.toml");
    let state = dir.join("chip.json");
    let app_path = specimen_path("wna");

    // The chip leaves the reader after 20 APDUs, half-way through writing.
    let sim = Sim::start(&state, &["--fault", "remove-after=20"]);
    let o = run(&[
        "--config",
        &config,
        "--reader",
        READER,
        "personalize",
        &app_path,
    ]);
    assert_eq!(code(&o), 3, "{}", show(&o));
    assert!(stderr(&o).contains("NOT locked"), "{}", show(&o));
    let out = sim.stop();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fault fired"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        Chip::load(&state).unwrap().lifecycle(),
        ektp_chip::Lifecycle::Issued
    );

    // Back in the reader: the same command completes it.
    let sim = Sim::start(&state, &[]);
    let o = run(&[
        "--config",
        &config,
        "--reader",
        READER,
        "personalize",
        &app_path,
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        "219374",
        "--trust",
        &dir.s("pki/trust"),
        "--expect",
        &app_path,
    ]);
    drop(sim.stop());
    assert_eq!(code(&o), 0, "{}", show(&o));
}

/// A separate, genuine personalization of `app` (same PKI, new chip, new EF.SOD): a real card,
/// but not the one the journal recorded.
fn personalized_elsewhere(app: &Application, pki: &Path, out: &Path) {
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let signer = ektp_pki::RingSigner::from_files(
        &pki.join("ID-DS1-TEST-ONLY.key.pem"),
        &pki.join("ID-DS1-TEST-ONLY.crt.pem"),
    )
    .unwrap();
    let trust = ektp::TrustStore::load_dir(&pki.join("trust")).unwrap();
    let mut card = Card::new(
        Chip::new_blank(*b"SECOND01", &master)
            .unwrap()
            .into_in_process(),
    )
    .unwrap();
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

#[test]
fn verify_with_the_journal_accepts_only_the_card_the_station_issued() {
    let _slot = lock();
    let dir = TempDir::new("journal");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let queue = dir.join("queue/pria");
    std::fs::create_dir_all(&queue).unwrap();
    for entry in std::fs::read_dir(specimens().join("pria")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), queue.join(entry.file_name())).unwrap();
    }
    let journal = dir.s("journal.sqlite");
    let trust = dir.s("pki/trust");
    let app_path = specimen_path("pria");
    let state = dir.join("chip.json");

    // The printing station issues the card with `ektp batch`, which then waits for it to be
    // taken out.
    let sim = Sim::start(&state, &[]);
    let mut batch = ektp()
        .args([
            "--reader",
            READER,
            "--config",
            &dir.s("pki/station-TEST-ONLY.toml"),
        ])
        .args([
            "batch",
            &dir.s("queue"),
            "--journal",
            &journal,
            "--max-cards",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Chip::load(&state).map(|c| c.lifecycle()).ok() != Some(ektp_chip::Lifecycle::Issued) {
        assert!(Instant::now() < deadline, "batch did not issue the card");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(sim.stop());
    let deadline = Instant::now() + Duration::from_secs(30);
    while batch.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "batch did not finish");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The issued card: every check and the journal pass.
    let sim = Sim::start(&state, &[]);
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        "482915",
        "--trust",
        &trust,
        "--expect",
        &app_path,
        "--journal",
        &journal,
    ]);
    drop(sim.stop());
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("PASS  journal"), "{}", show(&o));

    // A genuine card for the same application made elsewhere: everything but the journal
    // passes.
    let other = dir.join("other.json");
    personalized_elsewhere(&specimen("pria"), &dir.join("pki"), &other);
    let sim = Sim::start(&other, &[]);
    let o = run(&[
        "--reader",
        READER,
        "--json",
        "verify",
        "--can",
        "482915",
        "--trust",
        &trust,
        "--journal",
        &journal,
    ]);
    drop(sim.stop());
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["journal"]["passed"], false);
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            // not_revoked is SKIP (no revocation list given): not checked, not failed.
            .all(|c| c["passed"] == true || c["skipped"] == true),
        "{}",
        show(&o)
    );
    assert!(
        stderr(&o).contains("FAILED journal") && stderr(&o).contains("another EF.SOD"),
        "{}",
        show(&o)
    );

    // A journal that does not exist is a file error, not an empty journal.
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        "482915",
        "--trust",
        &trust,
        "--journal",
        &dir.s("typo.sqlite"),
    ]);
    assert_eq!(code(&o), 4, "{}", show(&o));
}

#[test]
fn without_pcscd_card_commands_say_start_pcscd() {
    let no_pcscd: [&[&str]; 3] = [
        &["readers"],
        &["read", "--can", "123456"],
        &["--json", "personalize", "/nonexistent.json"],
    ];
    for args in &no_pcscd[..2] {
        let o = ektp()
            .env("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(code(&o), 3, "{args:?}: {}", show(&o));
        assert_eq!(
            stderr(&o).trim(),
            "error: PC/SC service not running: start pcscd",
            "{args:?}"
        );
        assert!(stdout(&o).is_empty());
    }
    // An invalid application is refused before any reader is touched.
    let o = ektp()
        .env("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")
        .args(no_pcscd[2])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stderr(&o).contains("is not a valid application"),
        "{}",
        show(&o)
    );
}

#[test]
fn a_damaged_answer_or_a_slow_card_is_reported_and_the_next_try_works() {
    let _slot = lock();
    let dir = TempDir::new("corrupt");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let state = dir.join("chip.json");
    personalized_elsewhere(&specimen("pria"), &dir.join("pki"), &state);

    let sim = Sim::start(&state, &["--corrupt-next", "--slow", "20"]);
    let read = || {
        run(&[
            "--reader", READER, "--json", "read", "--can", "482915", "--only", "nik",
        ])
    };
    let o = read();
    assert_eq!(code(&o), 3, "{}", show(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: ") && err.trim().lines().count() == 1,
        "{err}"
    );
    assert!(err.contains("reinsert the card"), "{err}");
    // Only the next answer was damaged.
    let o = read();
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["nik"], "3273011708850001");
    drop(sim.stop());
}
