//! Issue 18 for the operators' commands (`pki`, `cvc`, `serve`'s arguments, PKCS#11 token
//! errors): under `LANG=id_ID.UTF-8` their text output, errors and `--help` show no English
//! word (the vocabulary is every word of the English catalogues the Indonesian ones do not
//! use, as in `lang_cli.rs`) and no raw message id; no English help sentence of an argument is
//! left; under `LANG=en_US.UTF-8` the same runs speak English. No card: no slot lock needed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// Runs `ektp ARGS` in `dir` under `LANG=lang`; checks the exit status; returns stdout and
/// stderr.
fn run_lang(dir: &Path, lang: &str, args: &[&str], want: i32) -> String {
    let o = run_output(dir, lang, args, want);
    format!("{}\n{}", stdout(&o), stderr(&o))
}

fn run_output(dir: &Path, lang: &str, args: &[&str], want: i32) -> Output {
    let o: Output = ektp()
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(code(&o), want, "LANG={lang} ektp {args:?}: {}", show(&o));
    o
}

/// A scratch directory with an empty SoftHSM token directory and a 0600 PIN file.
fn scratch(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    std::fs::write(
        dir.join("softhsm2.conf"),
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\n",
            dir.s("tokens")
        ),
    )
    .unwrap();
    std::fs::write(dir.join("pin"), "1234\n").unwrap();
    std::fs::set_permissions(dir.join("pin"), std::fs::Permissions::from_mode(0o600)).unwrap();
    dir
}

/// `pki init` (written, then refused: the files exist) and two token errors; returns all
/// that was printed.
fn pki_runs(dir: &Path, lang: &str) -> String {
    let pki = format!("pki-{lang}");
    let mut out = run_lang(dir, lang, &["pki", "init", &pki], 0);
    out += &run_lang(dir, lang, &["pki", "init", &pki], 4);
    let token = |module: &str, want| {
        let args = [
            "pki",
            "init",
            "tok",
            "--pkcs11",
            module,
            "--token",
            "nosuch",
            "--pin-file",
            "pin",
        ];
        run_lang(dir, lang, &args, want)
    };
    out += &token("/no/such/module.so", 20);
    out += &token(MODULE, 21);
    // No --pin-file and no terminal to ask in.
    let no_pin = [
        "pki", "init", "tok", "--pkcs11", MODULE, "--token", "nosuch",
    ];
    out += &run_lang(dir, lang, &no_pin, 2);
    let show = |file: &str, want| {
        let path = format!("{pki}/{file}");
        run_lang(dir, lang, &["pki", "show", &path], want)
    };
    out += &show("trust/ID-CSCA-TEST-ONLY.crt.pem", 0);
    out += &show("trust/ID-CSCA-TEST-ONLY.crl.pem", 0);
    out += &show("ID-DS1-TEST-ONLY.key.pem", 2);
    out += &show("station-TEST-ONLY.toml", 4);
    out += &show("no-such.pem", 4);
    out
}

/// The output without the certificates' own data: their names (`O=Dukcapil TEST ONLY`) and
/// RFC 5280's key usage names are the certificate's, in no language.
fn without_certificate_data(output: &str) -> String {
    ["TEST ONLY,", "TEST ONLY\n", "Key Cert Sign", "CRL Sign"]
        .iter()
        .fold(output.to_owned(), |acc, raw| acc.replace(raw, ""))
}

/// Every subcommand of the operators' commands whose arguments have help.
const HELP: &[&[&str]] = &[
    &["pki", "init"],
    &["pki", "show"],
    &["cvc", "init-cvca"],
    &["cvc", "issue-dv"],
    &["cvc", "request"],
    &["cvc", "issue-is"],
    &["cvc", "link"],
    &["cvc", "show"],
    &["serve"],
];

fn help(dir: &Path, lang: &str, cmd: &[&str]) -> String {
    let mut args = cmd.to_vec();
    args.push("--help");
    run_lang(dir, lang, &args, 0)
}

fn assert_indonesian(output: &str) {
    let prefixes = ["op-", "cli-", "clap-", "help-", "about-", "value-"];
    common::lang::assert_rendered("id", output, &prefixes);
    let seen = common::lang::english_words_in(output);
    assert!(seen.is_empty(), "English words {seen:?} in:\n{output}");
}

#[test]
fn an_operator_sets_up_a_test_pki_in_indonesian_and_in_english() {
    let dir = scratch("pki");
    let id = pki_runs(dir.path(), "id_ID.UTF-8");
    assert_indonesian(&without_certificate_data(&id));
    for phrase in [
        "PKI khusus UJI ditulis ke",
        "sertifikat akar",
        "berkas sudah ada",
        "modul PKCS#11 /no/such/module.so tidak ditemukan",
        "tidak ada token PKCS#11 berlabel \"nosuch\"",
        "Sertifikat  (khusus UJI)",
        "kunci publik",
        "Daftar pencabutan sertifikat",
        "ini kunci privat",
        "bukan sertifikat, CRL atau EF.SOD",
        "tidak ada PIN untuk token PKCS#11",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = pki_runs(dir.path(), "en_US.UTF-8");
    for phrase in [
        "TEST ONLY PKI written to",
        "root certificate (trust store)",
        "File exists",
        "PKCS#11 module /no/such/module.so not found",
        "no PKCS#11 token labelled \"nosuch\" is present",
        "Certificate  (TEST ONLY)",
        "public key   EC, 384 bits",
        "Certificate revocation list",
        "this is a private key",
    ] {
        assert!(en.contains(phrase), "no {phrase:?} in:\n{en}");
    }
    // --json names the files in English whatever the language.
    let json = |lang: &str, d: &str| {
        let o = run_output(dir.path(), lang, &["pki", "init", "--json", d], 0);
        stdout(&o).replace(d, "DIR")
    };
    assert_eq!(json("id_ID.UTF-8", "j1"), json("C", "j2"));
}

#[test]
fn the_operators_commands_help_has_no_english_sentence_left() {
    let dir = scratch("help");
    for cmd in HELP {
        let id = help(dir.path(), "id_ID.UTF-8", cmd);
        assert_indonesian(&id);
        // Every argument's English help (a line of four words or more) is gone.
        let en = help(dir.path(), "en_US.UTF-8", cmd);
        for line in en.lines().map(str::trim) {
            let sentence = line.split_whitespace().count() >= 4 && !line.starts_with('-');
            assert!(
                !sentence || !id.contains(line),
                "{cmd:?}: English help {line:?} left in:\n{id}"
            );
        }
    }
}

/// `ektp sim` in `lang` on the second vpcd slot until Ctrl-C (SIGINT): what it printed.
fn sim_session(dir: &Path, lang: &str) -> String {
    let _slot = lock(PORT1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while card_in(READER1) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let state = dir.join(format!("chip-{lang}.json"));
    let child = ektp()
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(["sim", "--port", &PORT1.to_string(), "--state"])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !card_in(READER1) {
        assert!(
            Instant::now() < deadline,
            "card never appeared in {READER1}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0, "{}", show(&o));
    let deadline = Instant::now() + Duration::from_secs(5);
    while card_in(READER1) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // And two failures: a state file that is not one, a directory that does not exist.
    std::fs::write(dir.join("bad.json"), "not a chip\n").unwrap();
    let mut out = format!("{}\n{}", stdout(&o), stderr(&o));
    out += &run_lang(dir, lang, &["sim", "--state", "bad.json"], 4);
    out += &run_lang(dir, lang, &["sim", "--state", "no-such-dir/chip.json"], 4);
    out
}

#[test]
fn sim_speaks_the_operators_language() {
    let dir = scratch("sim");
    let id = sim_session(dir.path(), "id_ID.UTF-8");
    assert_indonesian(&id);
    for phrase in [
        "cip UJI KOSONG baru",
        "KOSONG, ATR",
        "dimasukkan ke pembaca \"Virtual PCD 00 01\"",
        "dicabut: dihentikan",
        "tidak dapat dimuat",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = sim_session(dir.path(), "en_US.UTF-8");
    for phrase in [
        "inserted into reader \"Virtual PCD 00 01\"",
        "removed: stopped",
        "cannot load the chip state",
    ] {
        assert!(en.contains(phrase), "no {phrase:?} in:\n{en}");
    }
}

/// `ektp serve` in `lang`: no token file, `--init`, a non-loopback address, no applications
/// directory, then a start (its two address lines); what it printed.
fn serve_runs(dir: &Path, lang: &str) -> String {
    let token = format!("token-{lang}");
    let serve = |more: &[&str], want| {
        let mut args = vec!["serve", "--token-file", &token];
        args.extend(more);
        run_lang(dir, lang, &args, want)
    };
    let mut out = serve(&[], 4);
    out += &serve(&["--init"], 0);
    out += &serve(&["--listen", "10.1.1.1:80"], 4);
    out += &serve(&["--applications", "no-such-dir"], 2);
    let mut child = ektp()
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(["serve", "--listen", "127.0.0.1:0", "--token-file", &token])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..2 {
        out += &lines.next().expect("serve printed its addresses").unwrap();
        out.push('\n');
    }
    child.kill().unwrap();
    child.wait().unwrap();
    out
}

#[test]
fn serve_starts_in_the_operators_language() {
    let dir = scratch("serve");
    let id = serve_runs(dir.path(), "id_ID.UTF-8");
    assert_indonesian(&id);
    for phrase in [
        "tidak dapat dimuat (buat dengan `ektp serve --init`)",
        "token ditulis ke",
        "bukan alamat loopback",
        "bukan direktori",
        "mendengarkan di http://127.0.0.1:",
        "halaman loket: http://127.0.0.1:",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = serve_runs(dir.path(), "en_US.UTF-8");
    for phrase in [
        "token written to",
        "listening on http://",
        "desk page: http://",
    ] {
        assert!(en.contains(phrase), "no {phrase:?} in:\n{en}");
    }
}

/// The EAC authority chain in `lang`: CVCA, DV, a terminal's request, its certificate, a
/// CVCA rollover; what they printed.
fn cvc_runs(dir: &Path, lang: &str) -> String {
    let ca = format!("ca-{lang}");
    let dv = format!("dv-{lang}");
    let term = format!("term-{lang}");
    let f = |base: &str, ext: &str| format!("{base}.{ext}");
    let steps: [Vec<&str>; 5] = [
        vec![
            "init-cvca",
            &ca,
            "--country",
            "ID",
            "--holder",
            "IDCVCA00001",
        ],
        vec!["issue-dv", "--cvca-dir", &ca, "--holder", "IDDV000001"],
        vec!["request", "--holder", "IDIS000001", "--car", "IDDV000001"],
        vec!["issue-is", "--rights", "read-dg3"],
        vec!["link", "--cvca-dir", &ca, "--new-holder", "IDCVCA00002"],
    ];
    let (dv_cert, dv_key) = (f(&dv, "cvcert"), f(&dv, "key"));
    let (t_req, t_key, t_cert) = (f(&term, "req"), f(&term, "key"), f(&term, "cvcert"));
    let more: [Vec<&str>; 5] = [
        vec![],
        vec![
            "--rights",
            "read-dg3",
            "--out",
            &dv_cert,
            "--key-out",
            &dv_key,
        ],
        vec!["--key-out", &t_key, "--out", &t_req],
        vec![
            "--dv-cert",
            &dv_cert,
            "--dv-key",
            &dv_key,
            "--request",
            &t_req,
            "--out",
            &t_cert,
        ],
        vec![],
    ];
    let mut out = String::new();
    for (step, more) in steps.iter().zip(&more) {
        let mut args = vec!["cvc"];
        args.extend(step);
        args.extend(more);
        out += &run_lang(dir, lang, &args, 0);
    }
    let issuer = format!("{ca}/IDCVCA00001.cvcert");
    out += &run_lang(
        dir,
        lang,
        &["cvc", "show", &dv_cert, "--issuer", &issuer],
        0,
    );
    out += &run_lang(dir, lang, &["cvc", "show", &t_req], 0);
    out += &run_lang(dir, lang, &["cvc", "show", &issuer], 0);
    // Typical mistakes.
    let init = [
        "cvc",
        "init-cvca",
        &ca,
        "--country",
        "ID",
        "--holder",
        "IDCVCA00001",
    ];
    out += &run_lang(dir, lang, &init, 4);
    let mut bad = init.to_vec();
    bad[4] = "id";
    out += &run_lang(dir, lang, &bad, 2);
    let dv = [
        "cvc",
        "issue-dv",
        "--cvca-dir",
        "no-such-dir",
        "--holder",
        "IDDV000002",
    ];
    let mut dv = dv.to_vec();
    dv.extend([
        "--rights",
        "read-dg3",
        "--out",
        "x.cvcert",
        "--key-out",
        "x.key",
    ]);
    out += &run_lang(dir, lang, &dv, 4);
    out += &run_lang(dir, lang, &["cvc", "show", &t_key], 2);
    let is = [
        "cvc",
        "issue-is",
        "--dv-cert",
        &dv_cert,
        "--dv-key",
        &dv_key,
        "--request",
        &t_req,
        "--rights",
        "read-dg4",
        "--out",
        "x.cvcert",
    ];
    out += &run_lang(dir, lang, &is, 2);
    out += &run_lang(dir, lang, &["cvc", "show", &t_cert, "--issuer", &issuer], 1);
    out
}

#[test]
fn the_eac_authorities_issue_in_the_operators_language() {
    let dir = scratch("cvc");
    let id = cvc_runs(dir.path(), "id_ID.UTF-8");
    assert_indonesian(&id);
    for phrase in [
        "CVCA khusus UJI ditulis ke",
        "Sertifikat DV diterbitkan:",
        "DV (resmi dalam negeri), hak read-dg3",
        "Kirim permintaan itu",
        "Sertifikat terminal (sistem inspeksi) diterbitkan:",
        "CVCA diganti dari IDCVCA00001 ke IDCVCA00002",
        "terverifikasi dengan kunci IDCVCA00001 (bertanda tangan sendiri)",
        "tanda tangan luar  tidak ada (bukan permintaan terautentikasi)",
        "jenis terminal sistem inspeksi",
        "sudah berisi CVCA",
        "bukan kode negara",
        "bukan direktori CVCA",
        "tidak pernah menampilkan kunci",
        "hanya boleh memberikan read-dg3; tidak boleh memberikan read-dg4",
        "berikan sertifikat dengan referensi pemegang IDDV000001",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = cvc_runs(dir.path(), "en_US.UTF-8");
    for phrase in [
        "TEST ONLY CVCA written to",
        "DV certificate issued:",
        "rights read-dg3",
    ] {
        assert!(en.contains(phrase), "no {phrase:?} in:\n{en}");
    }
}

#[test]
fn the_demo_runs_in_the_operators_language() {
    let dir = scratch("demo");
    let id = run_lang(dir.path(), "id_ID.UTF-8", &["demo"], 0);
    assert_indonesian(&id);
    for phrase in [
        "cip virtual kosong",
        "kartu TERKUNCI: dokumen IDA000001",
        "SELESAI, kartu terverifikasi: ",
        "APDU seluruhnya",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = run_lang(dir.path(), "en_US.UTF-8", &["demo"], 0);
    for phrase in ["card LOCKED: document IDA000001", "DONE, card verified: "] {
        assert!(en.contains(phrase), "no {phrase:?} in:\n{en}");
    }
}
