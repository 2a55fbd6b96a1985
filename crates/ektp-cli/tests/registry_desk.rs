//! Issue 17 through the real pcscd and the vpcd reader, with `ektp sim` as a child process:
//! issue (a station journal pushed with `ektp registry import`) → `ektp verify --registry`
//! checks the card and records the handover → a second handover is refused; the registry
//! unreachable → the desk falls back to the signed revocation list (`ektp registry
//! export-revocations`) and says so; a replacement revokes the card and the desk refuses it.
//! Needs the PostgreSQL cluster `.ci/test` starts (`EKTP_TEST_PG`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;
use std::process::Output;

mod common;
use common::*;

/// A fresh, migrated registry database (through `ektp registry init`): its URL.
fn registry(name: &str) -> String {
    let base = std::env::var("EKTP_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "EKTP_TEST_PG is not set: run the tests through .ci/test, which starts a throwaway \
             PostgreSQL cluster (or `. .ci/pg && ci_pg_start`)"
        )
    });
    let db = format!("cli_{name}_{}", std::process::id());
    let mut admin = ektp_registry::Registry::connect(&format!("{base} dbname=postgres")).unwrap();
    let c = admin.client();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let url = format!("{base} dbname={db}");
    let o = run(&["registry", "--registry", &url, "init"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("1 migration applied"), "{}", show(&o));
    url
}

fn verify(dir: &TempDir, extra: &[&str]) -> Output {
    let trust = dir.s("pki/trust");
    let mut args = vec![
        "--reader", READER0, "verify", "--can", "482915", "--trust", &trust,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn issue_verify_with_the_registry_handover_once_fallback_and_replacement() {
    let url = registry("desk");
    let _slot = lock(PORT0);
    let dir = TempDir::new("registry");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen("pria");
    let state = dir.join("chip.json");
    issued_chip(&app, &dir.join("pki"), &state, *b"REGD0001");
    let _sim = Sim::start(PORT0, &state);

    // What the card carries (a desk without the registry).
    let o = verify(&dir, &["--json"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let doc = v["document_number"].as_str().unwrap().to_owned();
    let sod = v["sod_sha256"].as_str().unwrap().to_lowercase();

    // The station's journal records the card; `ektp registry import` pushes it (twice: once).
    let journal_path = dir.join("journal.sqlite");
    let mut journal = ektp_station::Journal::open(&journal_path).unwrap();
    let id = journal
        .begin(&ektp_station::journal::Start {
            application: "pria",
            chip_serial: "5245474430303031",
            document_number: &doc,
            nik: app.holder.nik.as_str(),
        })
        .unwrap();
    journal
        .finish_issued(
            id,
            &sod,
            &ektp_station::SignerId {
                subject: "CN=Document Signer 1 TEST ONLY".into(),
                sha256: "00".repeat(32),
            },
        )
        .unwrap();
    drop(journal);
    let jp = journal_path.to_string_lossy().into_owned();
    let o = run(&["registry", "--registry", &url, "import", &jp]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("1 pushed, 0 already"), "{}", show(&o));
    let o = run(&["registry", "--registry", &url, "import", &jp]);
    assert!(stdout(&o).contains("0 pushed, 1 already"), "{}", show(&o));
    // The same in Bahasa Indonesia.
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "--lang",
        "id",
        "import",
        &jp,
    ]);
    assert_eq!(
        stdout(&o).trim(),
        "0 dikirim, 1 sudah ada di registri, 0 ditolak",
        "{}",
        show(&o)
    );

    // The registry unreachable: the desk falls back to the signed list, and says so.
    let list = dir.s("revocations.der");
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "export-revocations",
        "--signer-key",
        &dir.s("pki/ID-RLS-TEST-ONLY.key.pem"),
        "--signer-cert",
        &dir.s("pki/ID-RLS-TEST-ONLY.crt.pem"),
        "--list-number",
        "1",
        "--out",
        &list,
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let down = format!("host={} user=nobody dbname=none", dir.s("no-server"));
    let o = verify(
        &dir,
        &[
            "--registry",
            &down,
            "--revocation-list",
            &list,
            "--fingerprint-score",
            "60",
        ],
    );
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("PASS  registry"), "{}", show(&o));
    assert!(stdout(&o).contains("registry unreachable"), "{}", show(&o));
    assert!(
        stdout(&o).contains("signed revocation list 1"),
        "{}",
        show(&o)
    );
    let o = verify(&dir, &["--registry", &down, "--fingerprint-score", "60"]);
    assert_eq!(code(&o), 1, "no list to fall back on: {}", show(&o));

    // Online: PASS, handover recorded; the same card again is refused.
    let o = verify(
        &dir,
        &[
            "--registry",
            &url,
            "--desk",
            "desk 1",
            "--fingerprint-score",
            "61",
        ],
    );
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(
        stdout(&o).contains("handover recorded (desk desk 1, fingerprint score 61)"),
        "{}",
        show(&o)
    );
    let mut reg = ektp_registry::Registry::connect(&url).unwrap();
    assert_eq!(
        reg.card(&doc).unwrap().unwrap().handed_over_by.as_deref(),
        Some("desk 1")
    );
    assert_eq!(reg.applications("pria").unwrap()[0].status, "collected");
    // The applicant-facing query, by application id, from the command line.
    let o = run(&["registry", "--registry", &url, "status", "pria"]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).starts_with("pria: collected"), "{}", show(&o));
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "--lang",
        "id",
        "status",
        "pria",
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(
        stdout(&o).starts_with("pria: sudah diambil (baru, kartu "),
        "{}",
        show(&o)
    );
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "--json",
        "status",
        "no-such",
    ]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let o = verify(
        &dir,
        &[
            "--registry",
            &url,
            "--desk",
            "desk 2",
            "--power-of-attorney",
            "PoA-1",
        ],
    );
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stdout(&o).contains("FAIL  registry") && stdout(&o).contains("already handed over"),
        "{}",
        show(&o)
    );

    // A replacement (damaged card) is issued: the old card is revoked, and the desk refuses it.
    reg.submit_application(
        "pria-2",
        app.holder.nik.as_str(),
        ektp_registry::ApplicationType::Damaged,
        Some(&doc),
        "intake",
    )
    .unwrap();
    let replacement = ektp_station::IssuedCard {
        application: "pria-2".into(),
        chip_serial: "5245474430303032".into(),
        document_number: "IDZ000002".into(),
        sod_sha256: "ab".repeat(32),
        signer: "CN=Document Signer 1 TEST ONLY".into(),
        signer_sha256: "00".repeat(32),
        issued_at: "2026-12-06T00:00:00Z".into(),
    };
    assert!(
        reg.record_issued(&replacement, app.holder.nik.as_str())
            .unwrap()
    );
    let o = verify(&dir, &["--registry", &url, "--fingerprint-score", "61"]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(stdout(&o).contains("is revoked (damaged)"), "{}", show(&o));
}

/// Intake from the command line: a queue is registered once, a replacement names the card it
/// ends, a lost card is revoked when its application is accepted, and the status query says
/// so.
#[test]
fn intake_submits_a_queue_once_and_a_lost_card_is_revoked_at_acceptance() {
    let url = registry("intake");
    let queue = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
    let queue = queue.to_string_lossy();
    let o = run(&["registry", "--registry", &url, "--json", "submit", &queue]);
    // The specimens hold one invalid application (exit 1), and every valid one is submitted.
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["submitted"].as_u64().unwrap() >= 5, "{}", show(&o));
    assert_eq!(v["already"], 0, "{}", show(&o));
    assert_eq!(v["invalid"], 1, "{}", show(&o));
    let o = run(&["registry", "--registry", &url, "submit", &queue]);
    assert!(
        stdout(&o).starts_with("0 submitted, "),
        "a second submit adds nothing: {}",
        show(&o)
    );
    let o = run(&["registry", "--registry", &url, "status", "pria"]);
    assert!(
        stdout(&o).starts_with("pria: submitted (new)"),
        "{}",
        show(&o)
    );

    // A lost card: its replacement application revokes it as soon as it is accepted.
    let one = TempDir::new("lost");
    std::fs::create_dir_all(one.join("q")).unwrap();
    let src = Path::new(&specimen_path("wanita"))
        .parent()
        .unwrap()
        .to_path_buf();
    std::os::unix::fs::symlink(&src, one.join("q/wanita-lost")).unwrap();
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "submit",
        &one.s("q"),
        "--type",
        "lost",
    ]);
    assert_eq!(code(&o), 2, "--type lost needs --replaces: {}", show(&o));
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "submit",
        &one.s("q"),
        "--type",
        "lost",
        "--replaces",
        "IDX123456",
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let mut reg = ektp_registry::Registry::connect(&url).unwrap();
    assert_eq!(
        reg.revocation("IDX123456").unwrap().as_deref(),
        Some("lost")
    );
    let o = run(&[
        "registry",
        "--registry",
        &url,
        "submit",
        &queue,
        "--replaces",
        "IDX1",
    ]);
    assert_eq!(
        code(&o),
        2,
        "--replaces without a replacement type: {}",
        show(&o)
    );
}
