use super::*;
use ektp_station::journal::{SignerId, Start};

#[test]
fn desk_json_is_the_report_with_journal_stats_and_time() {
    let report = VerifyReport {
        passed: true,
        checks: vec![CheckResult::new(
            CheckKind::NotRevoked,
            true,
            false,
            Message::new("check-not-revoked-ok").arg("doc", "IDA000001"),
        )],
        passive_authentication: None,
        document_number: Some("IDA000001".to_owned()),
        sod_sha256: Some("ab".repeat(32)),
        wrong_can: false,
    };
    let journal = JournalCheck::new(false, Message::new("check-journal-no-sod"));
    let stats = Stats::default();
    let view = DeskView {
        report: &VerifyReport {
            passed: false,
            ..report.clone()
        },
        journal: Some(&journal),
        fingerprint: None,
        registry: None,
        stats,
        elapsed_us: 1234,
    };
    let got = serde_json::to_string_pretty(&serde_json::to_value(&view).unwrap()).unwrap();
    // What `verify --json` built by hand before the views.
    let mut want = serde_json::to_value(&report).unwrap();
    let obj = want.as_object_mut().unwrap();
    obj.insert("passed".into(), false.into());
    obj.insert("journal".into(), serde_json::json!(journal));
    obj.insert("stats".into(), serde_json::json!(stats));
    obj.insert("elapsed_us".into(), serde_json::json!(1234u128));
    assert_eq!(got, serde_json::to_string_pretty(&want).unwrap());
    assert!(got.contains("\"check\": \"not_revoked\""), "{got}");
    assert_eq!(
        journal.result().to_string(),
        "FAIL  journal                  EF.SOD could not be read to compare with the journal"
    );
}

/// The TEST plain-text list path of `commands::revocation::load`.
fn load_revocations(
    path: Option<&std::path::Path>,
    required: bool,
) -> Result<ektp::RevocationList, Fail> {
    let trust = ektp_pki::TrustStore::new();
    crate::commands::revocation::load(None, path, None, required, &trust, true)
}

#[test]
fn a_desk_that_requires_the_revocation_list_refuses_to_run_without_it() {
    let f = load_revocations(None, true).unwrap_err();
    assert_eq!(f.kind, crate::exit::Kind::Usage);
    assert!(
        f.error.to_string().contains("--revocation-list FILE"),
        "{}",
        f.error
    );
    assert!(!load_revocations(None, false).unwrap().is_given());
    let dir = std::env::temp_dir().join(format!("ektp-cli-revoked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("revoked.txt");
    std::fs::write(&path, "\u{FEFF}ida000001\n").unwrap();
    assert!(
        load_revocations(Some(&path), true)
            .unwrap()
            .is_revoked("IDA000001")
    );
    std::fs::write(&path, "IDA000001\nIDA 00002\n").unwrap();
    let f = load_revocations(Some(&path), false).unwrap_err();
    assert_eq!(f.kind, crate::exit::Kind::Config);
    let line = crate::exit::message(&f.error);
    assert!(line.contains("line 2"), "{line}");
    assert!(!line.contains("reinsert"), "{line}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn journal_check_needs_the_issued_document_and_its_sod() {
    let dir = std::env::temp_dir().join(format!("ektp-cli-journal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.sqlite");
    let _ = std::fs::remove_file(&path);
    let mut journal = Journal::open(&path).unwrap();
    let id = journal
        .begin(&Start {
            application: "pria",
            chip_serial: "454B545000000001",
            document_number: "IDA000001",
            nik: "3273011708850001",
        })
        .unwrap();
    let sod = "ab".repeat(32);
    journal
        .finish_issued(id, &sod, &SignerId::from_certificate(b"not a certificate"))
        .unwrap();
    drop(journal);
    let journal = Journal::open_existing(&path).unwrap();

    let ok = journal_check(&journal, Some("IDA000001"), Some(&sod.to_uppercase())).unwrap();
    assert!(ok.passed, "{}", ok.reason);
    assert!(ok.reason.contains("454B545000000001"), "{}", ok.reason);

    let other_sod = journal_check(&journal, Some("IDA000001"), Some(&"cd".repeat(32))).unwrap();
    assert!(!other_sod.passed);
    assert!(
        other_sod.reason.contains("another EF.SOD"),
        "{}",
        other_sod.reason
    );

    let unknown = journal_check(&journal, Some("IDA000009"), Some(&sod)).unwrap();
    assert!(!unknown.passed);
    assert!(
        unknown.reason.contains("not recorded as issued"),
        "{}",
        unknown.reason
    );

    let unread = journal_check(&journal, None, None).unwrap();
    assert!(!unread.passed);
    std::fs::remove_dir_all(&dir).unwrap();
}
