//! The terminal PKI workflow through the `ektp` binary (`ektp cvc …`), without a reader:
//! a chain made with the CLI (CVCA → DV → terminal, and a CVCA rollover by link certificate)
//! validates with `ektp_pki::cvc::ChainValidator`, prints and verifies in OpenPACE's
//! `cvc-print`; wrong rights, an expired DV and key files others can read are refused, each
//! with its own message and exit status.
//!
//! `cvc-print` comes from the Debian package `openpace` (CI installs it, see `.ci/lib.sh`); a
//! missing tool fails the test with that advice rather than skipping it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use ektp_pki::cvc::*;

fn ektp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ektp"));
    c.env_remove("EKTP_CONFIG")
        .env_remove("EKTP_LOG")
        // Nothing here may reach for a reader; were it to, it would fail fast.
        .env("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm");
    c
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cvc-cli-{name}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs `ektp ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    ektp().args(args).current_dir(dir).output().unwrap()
}

/// Runs `ektp ARGS` in `dir` and requires success.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(out.status.success(), "ektp {args:?}: {}", show(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `ektp ARGS` in `dir`, requires exit status `code` and returns stderr.
fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "ektp {args:?}: {}",
        show(&out)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn cert(dir: &Path, name: &str) -> CvCertificate {
    CvCertificate::from_bytes(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

fn key(dir: &Path, name: &str) -> SoftwareCvSigner {
    SoftwareCvSigner::from_private_key_der(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o777
}

fn today() -> CvDate {
    CvDate::from_system_time(SystemTime::now()).unwrap()
}

/// `cvc-print --cvc=FILE --cvc-dir=DIR` in `dir`; fails the test when it is missing or fails.
fn cvc_print(dir: &Path, file: &str, trust: &str) -> String {
    let out = Command::new("cvc-print")
        .args([format!("--cvc={file}"), format!("--cvc-dir={trust}")])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cvc-print could not be run ({e}): install it with `apt-get install openpace` \
                 (.ci/lib.sh installs it in CI)"
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "cvc-print {file}: {text}");
    text
}

/// `cvc-print --cvc-dir` finds an issuer by its CHR as the file name.
fn trust_dir(dir: &Path, certs: &[&CvCertificate]) {
    let trust = dir.join("trust");
    std::fs::create_dir_all(&trust).unwrap();
    for c in certs {
        std::fs::write(trust.join(c.chr().as_str()), c.to_bytes()).unwrap();
    }
}

/// CVCA, a DV with a TEST key, a terminal key and request, the terminal certificate.
fn make_chain(dir: &Path, curve: &str) {
    ok(
        dir,
        &[
            "cvc",
            "init-cvca",
            "cvca",
            "--country",
            "ID",
            "--holder",
            "IDCVCA00001",
            "--curve",
            curve,
            "--years",
            "3",
        ],
    );
    ok(
        dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--holder",
            "IDDVBANK00001",
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
    ok(
        dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "term.key",
            "--holder",
            "IDBANK00001",
            "--car",
            "IDDVBANK00001",
            "--curve",
            curve,
            "--out",
            "term.req",
        ],
    );
    ok(
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

#[test]
fn a_chain_made_with_the_cli_validates_and_verifies_in_cvc_print() {
    for (arg, curve) in [
        ("p256", Curve::NistP256),
        ("brainpoolp256r1", Curve::BrainpoolP256r1),
    ] {
        let dir = scratch(arg);
        make_chain(&dir, arg);
        // Keys are secrets: 0600.
        for k in ["cvca/IDCVCA00001-TEST-ONLY.key", "dv.key", "term.key"] {
            assert_eq!(mode(&dir.join(k)), 0o600, "{k}");
        }
        let cvca = cert(&dir, "cvca/IDCVCA00001.cvcert");
        let dv = cert(&dir, "dv.cvcert");
        let is = cert(&dir, "term.cvcert");
        assert_eq!(dv.role(), Role::DvDomestic);
        assert_eq!(is.role(), Role::Terminal);
        assert_eq!(is.chr().as_str(), "IDBANK00001");
        let now = today();
        assert_eq!(is.body().effective, now);
        assert_eq!(is.body().expiration, now.checked_add_days(6).unwrap());

        // The chip's view: the whole chain validates; the terminal key answers a challenge.
        let tp = TrustPoint::from_certificate(&cvca).unwrap();
        assert_eq!(tp.curve(), curve);
        let mut v = ChainValidator::new(vec![tp], now);
        assert_eq!(v.verify(&dv).unwrap(), Role::DvDomestic);
        assert_eq!(v.verify(&is).unwrap(), Role::Terminal);
        let chain = v.finish().unwrap();
        assert_eq!(chain.chat.rights(), AccessRights::READ_DG3);
        let term_key = key(&dir, "term.key");
        let sig = term_key.sign(b"challenge").unwrap();
        chain.verify_terminal_signature(b"challenge", &sig).unwrap();

        // The independent tool prints and verifies each certificate.
        trust_dir(&dir, &[&cvca, &dv, &is]);
        for (file, car, chr, kind, finger) in [
            (
                "cvca/IDCVCA00001.cvcert",
                "IDCVCA00001",
                "IDCVCA00001",
                "CVCA certificate",
                true,
            ),
            (
                "dv.cvcert",
                "IDCVCA00001",
                "IDDVBANK00001",
                "DV certificate",
                true,
            ),
            (
                "term.cvcert",
                "IDDVBANK00001",
                "IDBANK00001",
                "Terminal certificate",
                true,
            ),
        ] {
            let out = cvc_print(&dir, file, "trust");
            assert!(
                out.contains(&format!("  CAR: {car}\n  CHR: {chr}\n")),
                "{out}"
            );
            assert!(out.contains(kind), "{out}");
            assert!(out.contains("Inspection system"), "{out}");
            assert_eq!(out.contains("Read fingerprint"), finger, "{out}");
            assert!(out.contains("certificate verified"), "{out}");
            assert!(!out.contains("not verified"), "{out}");
        }

        // `cvc show --json` says the same, with the signature checked against the issuer.
        let json: serde_json::Value = serde_json::from_str(&ok(
            &dir,
            &[
                "--json",
                "cvc",
                "show",
                "term.cvcert",
                "--issuer",
                "dv.cvcert",
            ],
        ))
        .unwrap();
        assert_eq!(json["car"], "IDDVBANK00001");
        assert_eq!(json["chr"], "IDBANK00001");
        assert_eq!(json["role"], "terminal");
        assert_eq!(json["rights"], serde_json::json!(["read-dg3"]));
        assert_eq!(json["effective"], now.to_string());
        assert_eq!(json["signature"]["verified"], true);
        assert_eq!(
            json["curve"],
            if curve == Curve::NistP256 {
                "P-256"
            } else {
                "brainpoolP256r1"
            }
        );
        let text = ok(&dir, &["cvc", "show", "dv.cvcert"]);
        assert!(text.contains("DV (official domestic)"), "{text}");
        assert!(text.contains("not checked (give --issuer CERT"), "{text}");
    }
}

#[test]
fn a_dv_issued_from_its_own_request_and_a_cvca_rollover_validate() {
    let dir = scratch("rollover");
    make_chain(&dir, "brainpoolp256r1");
    let old_cvca = cert(&dir, "cvca/IDCVCA00001.cvcert");
    // Roll the CVCA over; new DVs come from the new CVCA.
    let out = ok(
        &dir,
        &[
            "cvc",
            "link",
            "--cvca-dir",
            "cvca",
            "--new-holder",
            "IDCVCA00002",
        ],
    );
    assert!(out.contains("IDCVCA00001 → IDCVCA00002"), "{out}");
    assert_eq!(mode(&dir.join("cvca/IDCVCA00002-TEST-ONLY.key")), 0o600);
    // The agency group makes its own DV key and request; the department issues from it.
    ok(
        &dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "dv2.key",
            "--holder",
            "IDDVBANK00002",
            "--car",
            "IDCVCA00002",
            "--out",
            "dv2.req",
        ],
    );
    ok(
        &dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--request",
            "dv2.req",
            "--months",
            "3",
            "--rights",
            "read-dg3,read-dg4",
            "--out",
            "dv2.cvcert",
        ],
    );
    ok(
        &dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "term2.key",
            "--holder",
            "IDBANK00002",
            "--out",
            "term2.req",
        ],
    );
    ok(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv2.cvcert",
            "--dv-key",
            "dv2.key",
            "--request",
            "term2.req",
            "--days",
            "1",
            "--rights",
            "read-dg3,read-dg4",
            "--out",
            "term2.cvcert",
        ],
    );
    let link = cert(&dir, "cvca/IDCVCA00002-link.cvcert");
    let new_cvca = cert(&dir, "cvca/IDCVCA00002.cvcert");
    let dv2 = cert(&dir, "dv2.cvcert");
    let is2 = cert(&dir, "term2.cvcert");
    assert_eq!(link.car().as_str(), "IDCVCA00001");
    assert_eq!(dv2.car().as_str(), "IDCVCA00002");
    // A chip that trusts only the old CVCA accepts the new chain through the link.
    let old_tp = TrustPoint::from_certificate(&old_cvca).unwrap();
    let chain = validate_chain(
        std::slice::from_ref(&old_tp),
        &[link.clone(), dv2.clone(), is2.clone()],
        today(),
    )
    .unwrap();
    assert_eq!(
        chain.chat.rights(),
        AccessRights::READ_DG3.union(AccessRights::READ_DG4)
    );
    assert_eq!(chain.new_trust_points[0].chr().as_str(), "IDCVCA00002");
    // ... but not without it.
    assert!(matches!(
        validate_chain(&[old_tp], &[dv2.clone(), is2.clone()], today()),
        Err(CvcError::NotIssuedByTrustPoint { .. })
    ));
    // cvc-print verifies the link certificate with the old CVCA and the new DV with the new.
    trust_dir(&dir, &[&old_cvca, &new_cvca, &dv2]);
    for file in ["cvca/IDCVCA00002-link.cvcert", "dv2.cvcert", "term2.cvcert"] {
        let out = cvc_print(&dir, file, "trust");
        assert!(out.contains("certificate verified"), "{file}: {out}");
        assert!(!out.contains("not verified"), "{file}: {out}");
    }
    let out = ok(
        &dir,
        &[
            "cvc",
            "show",
            "cvca/IDCVCA00002-link.cvcert",
            "--issuer",
            "cvca/IDCVCA00001.cvcert",
        ],
    );
    assert!(out.contains("CVCA link certificate"), "{out}");
    assert!(
        out.contains("verified with the key of IDCVCA00001"),
        "{out}"
    );
}

#[test]
fn terminal_rights_beyond_the_dv_are_refused() {
    let dir = scratch("rights");
    make_chain(&dir, "brainpoolp256r1");
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "term.req",
            "--rights",
            "read-dg3,read-dg4",
            "--out",
            "wide.cvcert",
        ],
        2,
    );
    assert!(
        err.contains("the DV IDDVBANK00001 may grant only read-dg3; it cannot grant read-dg4"),
        "{err}"
    );
    assert!(!dir.join("wide.cvcert").exists());
    // Likewise a DV asking for more than the CVCA delegates.
    ok(
        &dir,
        &[
            "cvc",
            "init-cvca",
            "narrow",
            "--country",
            "ID",
            "--holder",
            "IDCVCA00009",
            "--rights",
            "read-dg4",
        ],
    );
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "narrow",
            "--holder",
            "IDDVX00001",
            "--rights",
            "read-dg3",
            "--out",
            "x.cvcert",
            "--key-out",
            "x.key",
        ],
        2,
    );
    assert!(
        err.contains("the CVCA IDCVCA00009 may grant only read-dg4; it cannot grant read-dg3"),
        "{err}"
    );
    assert!(!dir.join("x.key").exists());
}

#[test]
fn an_expired_dv_is_refused() {
    let dir = scratch("expired");
    make_chain(&dir, "p256");
    // A DV certificate that ended last year, issued with the CVCA's own key.
    let cvca = cert(&dir, "cvca/IDCVCA00001.cvcert");
    let cvca_key = key(&dir, "cvca/IDCVCA00001-TEST-ONLY.key");
    let dv_key = key(&dir, "dv.key");
    let now = today();
    let from = CvDate::new(now.year() - 1, 1, 1).unwrap();
    let to = CvDate::new(now.year() - 1, 3, 31).unwrap();
    let old = CertificateBuilder::new(
        CertificateReference::new("IDDVBANK00001").unwrap(),
        Chat::inspection_system(Role::DvDomestic, AccessRights::READ_DG3),
        from,
        to,
    )
    .issue(&dv_key.public_key(false), &cvca, &cvca_key)
    .unwrap();
    std::fs::write(dir.join("old-dv.cvcert"), old.to_bytes()).unwrap();
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "old-dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "term.req",
            "--rights",
            "read-dg3",
            "--out",
            "late.cvcert",
        ],
        1,
    );
    assert!(
        err.contains(&format!(
            "the DV certificate IDDVBANK00001 expired on {to} (today is {now})"
        )),
        "{err}"
    );
    assert!(
        err.contains("ask the department for a new DV certificate"),
        "{err}"
    );
    assert!(!dir.join("late.cvcert").exists());
    // A terminal certificate may not outlive its DV either.
    let err = fails(
        &dir,
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
            "--from",
            &cert(&dir, "dv.cvcert").body().expiration.to_string(),
            "--rights",
            "read-dg3",
            "--out",
            "late.cvcert",
        ],
        2,
    );
    assert!(
        err.contains("after its issuer IDDVBANK00001 ends on"),
        "{err}"
    );
}

#[test]
fn key_files_others_can_read_are_refused_and_keys_never_overwritten() {
    let dir = scratch("keys");
    make_chain(&dir, "brainpoolp256r1");
    std::fs::set_permissions(dir.join("dv.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "term.req",
            "--rights",
            "read-dg3",
            "--out",
            "t.cvcert",
        ],
        4,
    );
    assert!(err.contains("others can read it (mode 644)"), "{err}");
    assert!(err.contains("chmod 600 dv.key"), "{err}");
    // The CVCA key in its directory likewise.
    let cvca_key = dir.join("cvca/IDCVCA00001-TEST-ONLY.key");
    std::fs::set_permissions(&cvca_key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--holder",
            "IDDVX00001",
            "--rights",
            "read-dg3",
            "--out",
            "x.cvcert",
            "--key-out",
            "x.key",
        ],
        4,
    );
    assert!(err.contains("chmod 600"), "{err}");
    assert!(err.contains("IDCVCA00001-TEST-ONLY.key"), "{err}");
    // An existing key is never replaced.
    let before = std::fs::read(dir.join("term.key")).unwrap();
    let err = fails(
        &dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "term.key",
            "--holder",
            "IDBANK00001",
            "--out",
            "again.req",
        ],
        4,
    );
    assert!(err.contains("a key is never overwritten"), "{err}");
    assert_eq!(std::fs::read(dir.join("term.key")).unwrap(), before);
    // A second CVCA is never made over the first.
    let err = fails(
        &dir,
        &[
            "cvc",
            "init-cvca",
            "cvca",
            "--country",
            "ID",
            "--holder",
            "IDCVCA00005",
        ],
        4,
    );
    assert!(err.contains("already holds a CVCA"), "{err}");
    // `show` never prints a key.
    std::fs::set_permissions(&cvca_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = fails(&dir, &["cvc", "show", "term.key"], 2);
    assert!(err.contains("never prints keys"), "{err}");
}

#[test]
fn a_key_that_is_not_the_dv_s_or_a_forged_signature_is_caught() {
    let dir = scratch("wrong");
    make_chain(&dir, "brainpoolp256r1");
    // The terminal's own key is not the DV's.
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "term.key",
            "--request",
            "term.req",
            "--rights",
            "read-dg3",
            "--out",
            "t.cvcert",
        ],
        4,
    );
    assert!(
        err.contains("is not the key of the DV certificate IDDVBANK00001"),
        "{err}"
    );
    // A request whose signature is not by its own key proves no possession: refused, exit 1.
    let req =
        CertificateRequest::from_bytes(&std::fs::read(dir.join("term.req")).unwrap()).unwrap();
    let other = key(&dir, "dv.key");
    let forged = CertificateRequest::new(
        req.body().clone(),
        other.sign(req.raw_body()).unwrap(),
        None,
    );
    std::fs::write(dir.join("forged.req"), forged.to_bytes()).unwrap();
    let err = fails(
        &dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "forged.req",
            "--rights",
            "read-dg3",
            "--out",
            "t.cvcert",
        ],
        1,
    );
    assert!(
        err.contains("does not prove possession of its key"),
        "{err}"
    );
    assert!(!dir.join("t.cvcert").exists());
    let out = run(&dir, &["cvc", "show", "forged.req"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("inner signature  NOT VERIFIED"),
        "{}",
        show(&out)
    );
    // A stranger's DV with the same name: `show --issuer` says NOT VERIFIED and exits 1.
    let stranger = dir.join("stranger");
    std::fs::create_dir_all(&stranger).unwrap();
    ok(
        &stranger,
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
    ok(
        &stranger,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--holder",
            "IDDVBANK00001",
            "--rights",
            "read-dg3",
            "--out",
            "dv.cvcert",
            "--key-out",
            "dv.key",
        ],
    );
    let out = run(
        &dir,
        &[
            "cvc",
            "show",
            "term.cvcert",
            "--issuer",
            "stranger/dv.cvcert",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("NOT VERIFIED with the key of IDDVBANK00001"),
        "{}",
        show(&out)
    );
    // An issuer whose holder is not the certificate's CAR.
    let err = fails(
        &dir,
        &[
            "cvc",
            "show",
            "term.cvcert",
            "--issuer",
            "cvca/IDCVCA00001.cvcert",
        ],
        1,
    );
    assert!(err.contains("is issued by IDDVBANK00001"), "{err}");
}
