//! Fingerprints on the host: enrollment images become the DG3 records (the specimens' committed
//! `.fmr` files are exactly what MINDTCT extracts from their `.png` files), a print too poor
//! to use is refused naming the finger, and two prints are scored with BOZORTH3.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use ektp::fingerprint::{Print, QualityGate, Threshold, compare};
use ektp::{ApplicationDir, load_application};
use ektp_lds::{ApplicationFiles, Finger, Problem};

fn specimens() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens")
}

const SPECIMENS: [&str; 6] = [
    "belum-kawin-16",
    "menikah-16",
    "nama-panjang",
    "pria",
    "wanita",
    "wna",
];

#[test]
fn each_specimen_record_is_what_mindtct_extracts_from_its_image() {
    for name in SPECIMENS {
        let dir = ApplicationDir::new(specimens().join(name));
        for (stem, finger) in [
            ("right-index", Finger::RightIndex),
            ("left-index", Finger::LeftIndex),
        ] {
            let png = format!("{stem}.png");
            let size = std::fs::metadata(specimens().join(name).join(&png))
                .unwrap()
                .len();
            assert!(size < 60 * 1024, "{name}/{png} is {size} bytes");
            let extracted = dir.minutiae_record(Path::new(&png), finger).unwrap();
            let committed =
                std::fs::read(specimens().join(name).join(format!("{stem}.fmr"))).unwrap();
            assert_eq!(extracted, committed, "{name}/{stem}");
        }
    }
}

/// A copy of the `pria` specimen whose application names the images (or `right` instead of
/// the right index image).
fn image_application(tag: &str, right: Option<&[u8]>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ektp-fp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let src = specimens().join("pria");
    for f in [
        "portrait.jpg",
        "signature.jpg",
        "right-index.png",
        "left-index.png",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    if let Some(png) = right {
        std::fs::write(dir.join("right-index.png"), png).unwrap();
    }
    let json = std::fs::read_to_string(src.join("application.json"))
        .unwrap()
        .replace(".fmr\"", ".png\"");
    std::fs::write(dir.join("application.json"), json).unwrap();
    dir
}

#[test]
fn an_application_with_images_enrolls_the_extracted_records() {
    let dir = image_application("ok", None);
    let app = load_application(dir.join("application.json")).unwrap();
    let by_record = load_application(specimens().join("pria/application.json")).unwrap();
    assert_eq!(app.right_index, by_record.right_index);
    assert_eq!(app.left_index, by_record.left_index);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_print_too_poor_to_use_is_refused_naming_the_finger() {
    let blank = ektp_bio::GrayImage::new(300, 300, vec![200; 300 * 300])
        .unwrap()
        .to_png()
        .unwrap();
    let dir = image_application("poor", Some(&blank));
    let err = load_application(dir.join("application.json")).unwrap_err();
    let Some(Problem::Fingerprint(why)) = err.for_field("files.right_index") else {
        panic!("{err}");
    };
    assert!(
        why.contains("right index finger") && why.contains("recapture"),
        "{why}"
    );
    assert!(err.for_field("files.left_index").is_none(), "{err}");
    // Not a PNG of the right kind: refused, saying what to scan.
    let rgb = b"\x89PNG\r\n\x1a\nnot really";
    std::fs::write(dir.join("right-index.png"), rgb).unwrap();
    let err = load_application(dir.join("application.json")).unwrap_err();
    let Some(Problem::Fingerprint(why)) = err.for_field("files.right_index") else {
        panic!("{err}");
    };
    assert!(why.contains("500 ppi"), "{why}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn compare_scores_the_same_finger_high_and_another_low() {
    let read = |p: &str| Print::from_bytes(&std::fs::read(specimens().join(p)).unwrap()).unwrap();
    let gate = QualityGate::default();
    let image = read("pria/right-index.png");
    assert!(image.is_image());
    let same = compare(
        &image,
        &read("pria/right-index.fmr"),
        Threshold::DEFAULT,
        &gate,
    )
    .unwrap();
    assert!(same.matched && same.score >= 40, "{same:?}");
    let other = compare(
        &image,
        &read("wanita/right-index.fmr"),
        Threshold::DEFAULT,
        &gate,
    )
    .unwrap();
    assert!(!other.matched && other.score < 40, "{other:?}");
    assert!(Print::from_bytes(b"neither").is_err());
}
