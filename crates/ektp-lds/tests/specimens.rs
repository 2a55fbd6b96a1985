//! Every specimen under cards/specimens validates (or is refused with its expected reason),
//! and every valid one survives application → data groups → bytes → data groups → holder
//! record unchanged.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod common;

use std::path::PathBuf;

use ektp_lds::{
    Application, CardProfile, Citizenship, Date, Dg1, Dg2, Dg3, Dg7, Dg11, Dg12, Dg13, EfCom,
    HolderRecord, LdsImage, Problem, Sex, Validity,
};

fn specimen(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens")
        .join(name)
        .join("application.json")
}

const VALID: [&str; 5] = ["pria", "wanita", "wna", "menikah-16", "nama-panjang"];

fn round_trip(app: &Application) -> LdsImage {
    let img = LdsImage::from_application(app).unwrap();
    assert_eq!(img.oversized(&CardProfile::default_ektp().unwrap()), None);
    // Decode every file from its bytes alone.
    let back = LdsImage {
        com: EfCom::decode(img.com.as_bytes()).unwrap(),
        dg1: Dg1::decode(img.dg1.as_bytes()).unwrap(),
        dg2: Dg2::decode(img.dg2.as_bytes()).unwrap(),
        dg3: Dg3::decode(img.dg3.as_bytes()).unwrap(),
        dg7: Dg7::decode(img.dg7.as_bytes()).unwrap(),
        dg11: Dg11::decode(img.dg11.as_bytes()).unwrap(),
        dg12: Dg12::decode(img.dg12.as_bytes()).unwrap(),
        dg13: Dg13::decode(img.dg13.as_bytes()).unwrap(),
    };
    assert_eq!(back, img);
    let holder =
        HolderRecord::from_data_groups(&back.dg1, &back.dg11, &back.dg12, &back.dg13).unwrap();
    assert_eq!(holder, app.holder);
    assert_eq!(back.dg2.face(), &app.portrait);
    assert_eq!(back.dg7.signature(), &app.signature);
    assert_eq!(back.dg3.right_index(), &app.right_index);
    assert_eq!(back.dg3.left_index(), &app.left_index);
    img
}

#[test]
fn valid_specimens_validate_and_round_trip() {
    for name in VALID {
        let app = common::from_json_file(specimen(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        app.validate().unwrap();
        assert!(app.holder.name.starts_with("SPESIMEN "), "{name}");
        let img = round_trip(&app);
        let mrz = img.dg1.mrz();
        assert_eq!(&mrz.document_code, b"ID");
        assert_eq!(&mrz.issuing_state, b"IDN");
    }
}

#[test]
fn man_and_woman_nik_day() {
    let man = common::from_json_file(specimen("pria")).unwrap();
    assert_eq!(man.holder.sex, Sex::Male);
    assert_eq!(&man.holder.nik.as_str()[6..8], "17");
    let woman = common::from_json_file(specimen("wanita")).unwrap();
    assert_eq!(woman.holder.sex, Sex::Female);
    assert_eq!(woman.holder.date_of_birth.day(), 25);
    assert_eq!(&woman.holder.nik.as_str()[6..8], "65");
    assert_eq!(
        woman.application_type.replaces().unwrap().as_str(),
        "IDA000777"
    );
    let img = LdsImage::from_application(&woman).unwrap();
    assert_eq!(img.dg1.mrz().sex, b'F');
    assert_eq!(&img.dg1.mrz().date_of_expiry, b"991231");
}

#[test]
fn foreign_resident_has_dated_validity() {
    let app = common::from_json_file(specimen("wna")).unwrap();
    assert!(matches!(app.holder.citizenship, Citizenship::Wna(c) if c.as_str() == "JPN"));
    assert_eq!(
        app.holder.validity,
        Validity::Until(Date::new(2027, 3, 31).unwrap())
    );
    let img = LdsImage::from_application(&app).unwrap();
    assert_eq!(&img.dg1.mrz().nationality, b"JPN");
    assert_eq!(&img.dg1.mrz().date_of_expiry, b"270331");
}

#[test]
fn married_sixteen_year_old_is_eligible() {
    let app = common::from_json_file(specimen("menikah-16")).unwrap();
    assert_eq!(
        app.holder.date_of_birth.age_on(app.holder.date_of_issue),
        16
    );
    assert!(app.holder.marital_status.is_or_was_married());
}

#[test]
fn unmarried_sixteen_year_old_is_refused_for_age() {
    let err = common::from_json_file(specimen("belum-kawin-16")).unwrap_err();
    assert_eq!(err.errors().len(), 1, "{err}");
    assert_eq!(
        err.for_field("holder.date_of_birth"),
        Some(&Problem::NotEligible { age: 16 })
    );
    assert!(err.is_age_refusal());
    assert!(err.to_string().contains("not eligible"));
}

#[test]
fn long_name_is_truncated_in_the_mrz_only() {
    let app = common::from_json_file(specimen("nama-panjang")).unwrap();
    assert!(app.holder.name.len() > 30);
    let img = LdsImage::from_application(&app).unwrap();
    assert_eq!(&img.dg1.mrz().name, b"SPESIMEN<MUHAMMAD<ABDURRAH<W<K");
    // DG11 keeps the full name.
    assert_eq!(img.dg11.details().name, app.holder.name);
}

#[test]
fn specimen_images_are_small_valid_jpegs() {
    for name in VALID.iter().chain(["belum-kawin-16"].iter()) {
        let dir = specimen(name).parent().unwrap().to_owned();
        for f in ["portrait.jpg", "signature.jpg"] {
            let b = std::fs::read(dir.join(f)).unwrap();
            assert!(b.len() < 8 * 1024, "{name}/{f}");
            assert_eq!(&b[..2], &[0xFF, 0xD8]);
            assert_eq!(&b[b.len() - 2..], &[0xFF, 0xD9]);
        }
    }
}

#[test]
fn debug_output_never_shows_nik_or_can() {
    for name in VALID {
        let text = std::fs::read_to_string(specimen(name)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let nik = v["holder"]["nik"].as_str().unwrap();
        let can = v["card"]["can"].as_str().unwrap();
        let app = common::from_json_file(specimen(name)).unwrap();
        let dbg = format!("{app:?}");
        assert!(!dbg.contains(nik), "{name}: NIK in Debug");
        assert!(!dbg.contains(can), "{name}: CAN in Debug");
        let img = LdsImage::from_application(&app).unwrap();
        let dbg = format!("{:?}", img.dg11.details());
        assert!(!dbg.contains(nik), "{name}: NIK in DG11 Debug");
    }
}

#[test]
fn data_groups_of_different_cards_do_not_mix() {
    let a = LdsImage::from_application(&common::from_json_file(specimen("pria")).unwrap()).unwrap();
    let b = LdsImage::from_application(&common::from_json_file(specimen("wna")).unwrap()).unwrap();
    // DG1 of one holder with DG11 of another: the dates of birth disagree.
    let err = HolderRecord::from_data_groups(&b.dg1, &a.dg11, &a.dg12, &a.dg13).unwrap_err();
    assert!(matches!(
        err,
        ektp_lds::Error::Mismatch {
            field: "date of birth",
            ..
        }
    ));
    // WNA DG13 with a WNI MRZ: nationality disagrees.
    let err = HolderRecord::from_data_groups(&a.dg1, &a.dg11, &a.dg12, &b.dg13).unwrap_err();
    assert!(matches!(
        err,
        ektp_lds::Error::Mismatch {
            field: "nationality",
            ..
        }
    ));
    assert!(!err.to_string().contains(a.dg11.details().nik.as_str()));
}

#[test]
fn wrong_outer_tags_are_typed_decode_errors() {
    let a = LdsImage::from_application(&common::from_json_file(specimen("pria")).unwrap()).unwrap();
    let err = Dg11::decode(a.dg12.as_bytes()).unwrap_err();
    match err {
        ektp_lds::Error::Decode { file, source } => {
            assert_eq!(file.to_string(), "EF.DG11");
            assert_eq!(
                source.kind,
                ektp_iso7816::DecodeErrorKind::UnexpectedTag {
                    expected: 0x6B,
                    found: 0x6C
                }
            );
            assert_eq!(source.offset, 0);
        }
        e => panic!("{e}"),
    }
}

#[test]
fn read_back_json_matches_the_application_json() {
    for name in VALID {
        let text = std::fs::read_to_string(specimen(name)).unwrap();
        let input: serde_json::Value = serde_json::from_str(&text).unwrap();
        let app = common::from_json_file(specimen(name)).unwrap();
        let img = LdsImage::from_application(&app).unwrap();
        let out = img.holder_record().unwrap().to_json();
        let mut expected = input["holder"].clone();
        for k in ["document_number", "issuing_office", "date_of_issue"] {
            expected[k] = input["card"][k].clone();
        }
        assert_eq!(out, expected, "{name}");
    }
}
