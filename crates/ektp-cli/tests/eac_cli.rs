//! Extended Access Control through the real pcscd and the vpcd reader, with the `ektp`
//! binary: a terminal PKI made with `ektp cvc`, a card personalized with `--cvca`, then
//! `ektp read` and `ektp verify` with the terminal's chain and key read DG3 (fingerprints),
//! which Passive Authentication checks against EF.SOD. A terminal whose certificates lack the
//! read-dg3 right is refused, and without a terminal DG3 is not read, as before.
//!
//! Run only as `flock /tmp/pcscd.lock cargo test -p ektp-cli --test eac_cli` (one reader).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use ektp_chip::vpcd::SlotLock;

mod common;
use common::*;

const PORT: u16 = 35963;
const READER: &str = "Virtual PCD 00 00";

/// The department's CVCA, a DV with read-dg3 and read-dg4, a terminal with read-dg3
/// (`term`) and one with only read-dg4 (`plain`).
fn make_terminal_pki(dir: &Path) {
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
            "read-dg3,read-dg4",
            "--out",
            "dv.cvcert",
            "--key-out",
            "dv.key",
        ],
    );
    for (name, holder, rights) in [
        ("term", "IDBANK00001", Some("read-dg3")),
        ("plain", "IDBANK00002", Some("read-dg4")),
    ] {
        ok(
            dir,
            &[
                "cvc",
                "request",
                "--key-out",
                &format!("{name}.key"),
                "--holder",
                holder,
                "--car",
                "IDDVBANK00001",
                "--out",
                &format!("{name}.req"),
            ],
        );
        let mut args = vec![
            "cvc".to_owned(),
            "issue-is".to_owned(),
            "--dv-cert".to_owned(),
            "dv.cvcert".to_owned(),
            "--dv-key".to_owned(),
            "dv.key".to_owned(),
            "--request".to_owned(),
            format!("{name}.req"),
            "--days".to_owned(),
            "7".to_owned(),
            "--out".to_owned(),
            format!("{name}.cvcert"),
        ];
        if let Some(r) = rights {
            args.push("--rights".to_owned());
            args.push(r.to_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(dir, &args);
    }
}

fn terminal(name: &str) -> Vec<String> {
    vec![
        "--terminal-cert".to_owned(),
        format!("{name}.cvcert"),
        "--terminal-chain".to_owned(),
        "dv.cvcert".to_owned(),
        "--terminal-key".to_owned(),
        format!("{name}.key"),
    ]
}

fn with(args: &[&str], more: &[String]) -> Vec<String> {
    args.iter()
        .map(|s| (*s).to_owned())
        .chain(more.iter().cloned())
        .collect()
}

fn run_owned(dir: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(dir, &args)
}

#[test]
fn a_terminal_with_read_dg3_reads_and_verifies_the_fingerprints_others_do_not() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let tmp = TempDir::new("dg3");
    let dir = tmp.0.as_path();
    make_terminal_pki(dir);
    // A stranger's PKI with the same names but other keys: its DV is not the chip's CVCA's.
    let stranger = dir.join("stranger");
    std::fs::create_dir_all(&stranger).unwrap();
    make_terminal_pki(&stranger);
    ok(dir, &["pki", "init", "pki"]);
    let specimen = specimen_dir("pria");
    let app = specimen.join("application.json");
    let app = app.to_str().unwrap();
    let can = "482915";

    let _sim = Sim::start(PORT, &dir.join("chip.json"));
    // The station's configuration names the CVCA (relative paths resolve against it).
    std::fs::write(
        dir.join("station.toml"),
        "signer_key = \"pki/ID-DS1-TEST-ONLY.key.pem\"\n\
         signer_certificate = \"pki/ID-DS1-TEST-ONLY.crt.pem\"\n\
         trust_dir = \"pki/trust\"\n\
         cvca_certificate = \"cvca/IDCVCA00001.cvcert\"\n",
    )
    .unwrap();
    let config = dir.join("station.toml");
    let config = config.to_str().unwrap();
    // --cvca overrides it, and must be a CVCA: a DV certificate is refused, nothing written.
    let o = run_in(
        dir,
        &[
            "--reader",
            READER,
            "--config",
            config,
            "personalize",
            app,
            "--test-master-key",
            "--cvca",
            "dv.cvcert",
        ],
    );
    assert_eq!(o.status.code(), Some(4), "{}", show(&o));
    assert!(
        stderr(&o).contains("is not a CVCA certificate"),
        "{}",
        show(&o)
    );
    let o = ok(
        dir,
        &[
            "--reader",
            READER,
            "--config",
            config,
            "personalize",
            app,
            "--test-master-key",
        ],
    );
    assert!(stdout(&o).contains("LOCKED"), "{}", show(&o));

    // Without a terminal: as before, DG3 is not read, and says what it needs.
    let o = ok(
        dir,
        &[
            "--reader",
            READER,
            "verify",
            "--can",
            can,
            "--trust",
            "pki/trust",
        ],
    );
    assert!(
        stdout(&o).contains("DG3 not read: needs a terminal certificate"),
        "{}",
        show(&o)
    );
    assert!(
        !stdout(&o).contains("terminal_authentication"),
        "{}",
        show(&o)
    );
    let o = ok(dir, &["--reader", READER, "--json", "read", "--can", can]);
    assert!(!stdout(&o).contains("fingerprints"), "{}", show(&o));

    // With the terminal: read DG3, export the templates privately, metadata in JSON.
    let o = run_owned(
        dir,
        &with(
            &[
                "--reader",
                READER,
                "--json",
                "read",
                "--can",
                can,
                "--fingerprints",
                "fp",
            ],
            &terminal("term"),
        ),
    );
    assert!(o.status.success(), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fingers = v["fingerprints"]["fingers"].as_array().unwrap();
    assert_eq!(fingers.len(), 2, "{v}");
    assert_eq!(fingers[0]["finger"], "right_index");
    assert_eq!(fingers[1]["finger"], "left_index");
    for (name, file) in [
        ("right_index", "right-index.fmr"),
        ("left_index", "left-index.fmr"),
    ] {
        let out = dir.join("fp").join(format!("{name}.fmr"));
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(specimen.join(file)).unwrap(),
            "{name}"
        );
        assert_eq!(std::fs::metadata(&out).unwrap().mode() & 0o777, 0o600);
    }
    let text = stdout(&o);
    assert!(
        !text.contains("minutiae\""),
        "no minutiae in the JSON: {text}"
    );

    // verify with the terminal: DG3 is checked by Passive Authentication.
    let o = run_owned(
        dir,
        &with(
            &[
                "--reader",
                READER,
                "verify",
                "--can",
                can,
                "--trust",
                "pki/trust",
            ],
            &terminal("term"),
        ),
    );
    assert!(o.status.success(), "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS  terminal_authentication"), "{out}");
    assert!(out.contains("opened DG3"), "{out}");
    assert!(!out.contains("DG3 not read"), "{out}");
    let o = run_owned(
        dir,
        &with(
            &[
                "--reader",
                READER,
                "--json",
                "verify",
                "--can",
                can,
                "--trust",
                "pki/trust",
            ],
            &terminal("term"),
        ),
    );
    assert!(o.status.success(), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let pa = &v["passive_authentication"];
    assert!(
        pa["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["check"] == "data_group_hash" && c["dg"] == 3 && c["passed"] == true),
        "Passive Authentication checks DG3's hash: {v}"
    );
    assert_eq!(pa["not_read"], serde_json::json!([]), "{v}");

    // A terminal under a stranger's CVCA: the chip refuses it, verify fails and says so, and
    // read stops before DG3.
    let stranger_terminal: Vec<String> = terminal("term")
        .into_iter()
        .map(|a| {
            if a.starts_with("--") {
                a
            } else {
                format!("stranger/{a}")
            }
        })
        .collect();
    let o = run_owned(
        dir,
        &with(
            &[
                "--reader",
                READER,
                "verify",
                "--can",
                can,
                "--trust",
                "pki/trust",
            ],
            &stranger_terminal,
        ),
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("FAIL  terminal_authentication"), "{out}");
    assert!(out.contains("the chip refused the terminal"), "{out}");
    assert!(out.contains("DG3 stays closed"), "{out}");
    assert!(out.contains("PASS  passive_authentication"), "{out}");
    let o = run_owned(
        dir,
        &with(
            &[
                "--reader",
                READER,
                "read",
                "--can",
                can,
                "--fingerprints",
                "fp3",
            ],
            &stranger_terminal,
        ),
    );
    assert!(!o.status.success(), "{}", show(&o));
    assert!(
        stderr(&o).contains("the chip refused the terminal"),
        "{}",
        show(&o)
    );
    assert!(!dir.join("fp3").exists());

    // A terminal whose certificate lacks read-dg3: refused, nothing written.
    for cmd in ["read", "verify"] {
        let mut args = vec!["--reader", READER, cmd, "--can", can];
        if cmd == "verify" {
            args.extend(["--trust", "pki/trust"]);
        } else {
            args.extend(["--fingerprints", "fp2"]);
        }
        let o = run_owned(dir, &with(&args, &terminal("plain")));
        assert!(!o.status.success(), "{}", show(&o));
        let err = stderr(&o);
        assert!(err.contains("lacks the read-dg3 right"), "{err}");
        assert!(err.contains("IDBANK00002"), "{err}");
        assert!(!dir.join("fp2").exists());
    }
}
