//! The view types serialize to the JSON `ektp read --json` and `ektp verify --json` print:
//! every specimen personalized on the in-process virtual chip, read back, and its views
//! compared key for key and value for value with the application it was printed from.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::collections::BTreeSet;
use std::time::SystemTime;

use common::*;
use ektp::{
    Card, CardFields, CheckKind, Field, HolderView, ReadRequest, RevocationList, Station, Status,
    VerifyPolicy,
};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use serde_json::{Value, json};

fn personalized(app: &ektp::Application, pki: &Pki, serial: u8) -> Card<InProcess<Chip>> {
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let outcome = card.personalize(app, &station, &mut |_| {}).unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);
    card
}

fn sha256(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The application file's `holder` object plus its card's document number, issuing office and
/// date of issue: what `ektp read --json` has always printed.
fn application_json(name: &str) -> Value {
    let path = specimens_dir().join(name).join("application.json");
    let input: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut want = input["holder"].clone();
    for k in ["document_number", "issuing_office", "date_of_issue"] {
        want[k] = input["card"][k].clone();
    }
    want
}

#[test]
fn holder_view_and_card_fields_serialize_as_the_cli_prints_them() {
    let pki = pki();
    for (i, (name, app)) in valid_specimens().into_iter().enumerate() {
        let mut card = personalized(&app, &pki, u8::try_from(i).unwrap());
        let can = app.can.clone();
        let files = card
            .pace(&can)
            .unwrap()
            .read_files(ReadRequest::ALL)
            .unwrap();

        let photo = json!({
            "format": "jpeg",
            "width": app.portrait.width,
            "height": app.portrait.height,
            "bytes": app.portrait.image.len(),
            "sha256": sha256(&app.portrait.image),
        });
        let signature = json!({
            "format": "jpeg",
            "bytes": app.signature.as_bytes().len(),
            "sha256": sha256(app.signature.as_bytes()),
        });

        // `ektp read --json`: the holder record, and the images read, as metadata.
        let view = serde_json::to_value(HolderView::from_files(&files).unwrap()).unwrap();
        let mut want = application_json(&name);
        want["photo"] = photo.clone();
        want["signature"] = signature.clone();
        assert_eq!(view, want, "{name}");
        assert_eq!(
            serde_json::to_value(&app.holder).unwrap(),
            app.holder.to_json(),
            "{name}"
        );

        // `ektp read --only …`: every field, DG1's MRZ giving sex, nationality and number.
        let fields = CardFields::from_files(&files).unwrap();
        let all = serde_json::to_value(&fields).unwrap();
        let names: BTreeSet<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(keys(&all), names, "{name}");
        let mut want = application_json(&name);
        want["nationality"] = json!(app.holder.citizenship.nationality().as_str());
        want["photo"] = photo;
        want["signature"] = signature;
        let mrz = all["mrz"].as_array().unwrap();
        assert_eq!(mrz.len(), 3, "{name}");
        assert!(
            mrz.iter().all(|l| l.as_str().unwrap().len() == 30),
            "{name}"
        );
        want["mrz"] = all["mrz"].clone();
        assert_eq!(all, want, "{name}");

        let some = fields.select(&[Field::Nik, Field::Name]).unwrap();
        assert_eq!(
            serde_json::to_value(some).unwrap(),
            json!({"nik": app.holder.nik.as_str(), "name": app.holder.name}),
            "{name}"
        );
    }
}

#[test]
fn only_the_data_groups_read_give_fields() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = personalized(&app, &pki, 9);
    let can = app.can.clone();
    let request = Field::request(&[Field::Nik, Field::Name]);
    let files = card.pace(&can).unwrap().read_files(request).unwrap();
    let fields = CardFields::from_files(&files).unwrap();
    let v = serde_json::to_value(&fields).unwrap();
    assert_eq!(
        keys(&v),
        BTreeSet::from([
            "nik",
            "name",
            "place_of_birth",
            "date_of_birth",
            "occupation",
            "address"
        ])
    );
    assert_eq!(
        keys(&v["address"]),
        BTreeSet::from(["street", "kabupaten_kota", "provinsi"])
    );
    assert_eq!(
        fields.select(&[Field::Nik, Field::Photo]),
        Err(Field::Photo)
    );
    assert!(HolderView::from_files(&files).is_err());
}

#[test]
fn verify_report_serializes_with_stable_check_and_status_names() {
    let names: Vec<&str> = CheckKind::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "lifecycle",
            "pace",
            "read_data",
            "passive_authentication",
            "issuing_state",
            "active_authentication",
            "chip_authentication",
            "terminal_authentication",
            "not_revoked",
            "record_match",
            "fingerprint",
            "journal"
        ]
    );
    assert_eq!(
        (Status::Pass.label(), Status::Fail.label()),
        ("PASS", "FAIL")
    );
    assert_eq!(
        (Status::Pass.as_str(), Status::Fail.as_str()),
        ("pass", "fail")
    );

    let pki = pki();
    let app = specimen("pria");
    let mut card = personalized(&app, &pki, 10);
    let revoked = RevocationList::empty();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can.clone(), &policy).unwrap();
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(
        keys(&v),
        BTreeSet::from([
            "checks",
            "document_number",
            "passed",
            "passive_authentication",
            "sod_sha256"
        ])
    );
    assert_eq!(v["passed"], true);
    assert_eq!(v["document_number"], "IDA000001");
    assert_eq!(v["sod_sha256"].as_str().unwrap().len(), 64);
    let checks = v["checks"].as_array().unwrap();
    let ran: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    // Without a terminal every check runs but terminal_authentication (and the caller's
    // journal and fingerprint checks).
    let without_terminal: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !matches!(*n, "terminal_authentication" | "journal" | "fingerprint"))
        .collect();
    assert_eq!(ran, without_terminal);
    for c in checks {
        // `message`: the reason without a language (issue 18), beside the English `reason`.
        assert_eq!(
            keys(c),
            BTreeSet::from(["check", "message", "passed", "reason"])
        );
        assert_eq!(c["passed"], true);
        assert!(c["message"]["id"].as_str().unwrap().starts_with("check-"));
        assert!(c["message"]["args"].is_object());
    }
    assert_eq!(
        keys(&v["passive_authentication"]),
        BTreeSet::from([
            "checked_at",
            "checks",
            "not_read",
            "passed",
            "root",
            "root_country",
            "signer"
        ])
    );
    let line = report.checks[7].to_string();
    assert_eq!(
        line,
        "PASS  not_revoked              document number IDA000001 is not revoked"
    );
}
