//! Application JSON: every problem reported at once, each naming its field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod common;

use std::path::PathBuf;

use ektp_lds::{Application, NikError, Problem};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens/pria")
}

fn base() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("application.json")).unwrap()).unwrap()
}

fn check(v: &Value) -> Result<Application, ektp_lds::ValidationErrors> {
    Application::from_json_str(&v.to_string(), &common::Dir(dir()))
}

#[test]
fn base_is_valid() {
    check(&base()).unwrap();
}

#[test]
fn all_errors_at_once() {
    let mut v = base();
    v["holder"]["address"]["rt"] = "1".into();
    v["holder"]["sex"] = "L".into();
    v["holder"]["shoe_size"] = 44.into();
    v["card"]["can"] = "12345".into();
    v["holder"]["blood_type"] = Value::Null;
    v["holder"].as_object_mut().unwrap().remove("religion");
    v["files"]["portrait"] = "../wanita/portrait.jpg".into();
    v["files"]["signature"] = "missing.jpg".into();
    v["files"]["left_index"] = "right-index.fmr".into();
    let err = check(&v).unwrap_err();
    let fields: Vec<&str> = err.errors().iter().map(|e| e.field.as_str()).collect();
    for f in [
        "holder.address.rt",
        "holder.sex",
        "holder.shoe_size",
        "card.can",
        "holder.blood_type",
        "holder.religion",
        "files.portrait",
        "files.signature",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(err.for_field("holder.shoe_size"), Some(&Problem::Unknown));
    assert_eq!(err.for_field("holder.religion"), Some(&Problem::Missing));
    assert!(matches!(
        err.for_field("holder.blood_type"),
        Some(Problem::WrongType { .. })
    ));
    assert!(matches!(
        err.for_field("files.signature"),
        Some(Problem::FileUnreadable(std::io::ErrorKind::NotFound))
    ));
    // The message names each field.
    let text = err.to_string();
    assert!(text.contains("holder.address.rt: must be three digits"));
    // A CAN or NIK never appears in messages.
    assert!(!text.contains("3273011708850001"));
}

#[test]
fn cross_field_rules() {
    let mut v = base();
    v["holder"]["date_of_birth"] = "1985-08-18".into();
    v["holder"]["address"]["kelurahan_desa"] = "CIDENG".into();
    v["card"]["issuing_office"] = "KOTA ATLANTIS".into();
    v["holder"]["validity"] = "2030-01-01".into();
    let err = check(&v).unwrap_err();
    assert_eq!(
        err.for_field("holder.nik"),
        Some(&Problem::Nik(NikError::BirthDateMismatch))
    );
    assert!(err.for_field("holder.address.kelurahan_desa").is_some());
    assert!(err.for_field("card.issuing_office").is_some());
    assert!(err.for_field("holder.validity").is_some());
    assert!(!err.is_age_refusal());
}

#[test]
fn application_types() {
    let mut v = base();
    v["application_type"] = "replacement_damaged".into();
    let err = check(&v).unwrap_err();
    assert_eq!(
        err.for_field("replaces_document_number"),
        Some(&Problem::Missing)
    );
    v["replaces_document_number"] = "IDA000001".into();
    let err = check(&v).unwrap_err();
    assert!(err.for_field("replaces_document_number").is_some());
    v["replaces_document_number"] = "IDA000999".into();
    let app = check(&v).unwrap();
    assert_eq!(app.application_type.as_str(), "replacement_damaged");
    v["application_type"] = "new".into();
    assert!(check(&v).is_err());
    v["application_type"] = "renewal".into();
    assert!(
        check(&v)
            .unwrap_err()
            .for_field("application_type")
            .is_some()
    );
}

#[test]
fn not_json_and_wrong_top_level() {
    let err = Application::from_json_str("{\"format\": ", &common::Dir(dir())).unwrap_err();
    assert!(matches!(err.errors()[0].problem, Problem::Syntax { .. }));
    let err = Application::from_json_str("[]", &common::Dir(dir())).unwrap_err();
    assert!(matches!(err.errors()[0].problem, Problem::WrongType { .. }));
    let err = common::from_json_file(dir().join("nope.json")).unwrap_err();
    assert!(matches!(
        err.errors()[0].problem,
        Problem::FileUnreadable(_)
    ));
}

#[test]
fn nik_citizenship_and_name_rules() {
    let mut v = base();
    v["holder"]["nik"] = "3273991708850001".into();
    v["holder"]["name"] = "Spesimen Budi".into();
    v["holder"]["citizenship"] = "WNA".into();
    v["holder"]["address"]["kabupaten_kota"] = "KOTA BANDUNG ".into();
    let err = check(&v).unwrap_err();
    assert_eq!(
        err.for_field("holder.nik"),
        Some(&Problem::Nik(NikError::UnknownRegion))
    );
    assert!(matches!(
        err.for_field("holder.name"),
        Some(Problem::Invalid(_))
    ));
    assert_eq!(err.for_field("holder.nationality"), Some(&Problem::Missing));
    assert!(err.for_field("holder.address.kabupaten_kota").is_some());

    let mut v = base();
    v["holder"]["nationality"] = "JPN".into();
    let err = check(&v).unwrap_err();
    assert!(err.for_field("holder.nationality").is_some());

    // A woman's NIK for a man's record: day + 40 does not match the sex.
    let mut v = base();
    v["holder"]["nik"] = "3273015708850001".into();
    let err = check(&v).unwrap_err();
    assert_eq!(
        err.for_field("holder.nik"),
        Some(&Problem::Nik(NikError::SexMismatch))
    );

    // Absolute paths are refused before any file is opened.
    let mut v = base();
    v["files"]["portrait"] = "/etc/passwd".into();
    assert!(matches!(
        check(&v).unwrap_err().for_field("files.portrait"),
        Some(Problem::Invalid(_))
    ));
    // A minutiae record as portrait: not an image.
    let mut v = base();
    v["files"]["portrait"] = "left-index.fmr".into();
    assert!(matches!(
        check(&v).unwrap_err().for_field("files.portrait"),
        Some(Problem::BadContent(_))
    ));
}
