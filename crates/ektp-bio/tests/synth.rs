//! The generator through the whole path: image → PNG → MINDTCT → ISO record → BOZORTH3.
#![cfg(feature = "synth")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use ektp_bio::synth::{IMAGE_HEIGHT, IMAGE_WIDTH, SyntheticFinger};
use ektp_bio::{
    Decision, Error, FingerMinutiaeRecord, FingerPosition, GrayImage, MatchSession, QualityGate,
};

#[test]
fn one_finger_matches_itself_and_not_another() {
    let gate = QualityGate::default();
    let a = SyntheticFinger::new(1001);
    let b = SyntheticFinger::new(2002);
    let a0 = a.impression(0);
    assert_eq!(
        a0,
        SyntheticFinger::new(1001).impression(0),
        "deterministic"
    );
    assert_eq!((a0.width(), a0.height()), (IMAGE_WIDTH, IMAGE_HEIGHT));
    assert_ne!(a0, a.impression(1));

    // Enrollment: through PNG, as a scanner would deliver it, and through the card format.
    let png = a0.to_png().unwrap();
    let enrolled = gate
        .extract(
            &GrayImage::decode_png(&png).unwrap(),
            FingerPosition::RightIndex,
        )
        .unwrap();
    let n = enrolled.minutiae().len();
    assert!((20..=100).contains(&n), "{n} minutiae");
    let enrolled = FingerMinutiaeRecord::decode(&enrolled.encode().unwrap()).unwrap();

    let mut session = MatchSession::default();
    let genuine = session
        .attempt_image(&a.impression(1), &enrolled, &gate)
        .unwrap();
    assert_eq!(genuine.decision, Decision::Match, "{genuine:?}");
    let impostor = session
        .attempt_image(&b.impression(0), &enrolled, &gate)
        .unwrap();
    assert_eq!(impostor.decision, Decision::NoMatch, "{impostor:?}");
    assert_eq!(session.attempts_left(), 2);
}

#[test]
fn a_blank_capture_asks_for_a_recapture_without_using_an_attempt() {
    let enrolled = QualityGate::default()
        .extract(
            &SyntheticFinger::new(1001).impression(0),
            FingerPosition::LeftIndex,
        )
        .unwrap();
    let blank = GrayImage::new(IMAGE_WIDTH, IMAGE_HEIGHT, vec![230; 320 * 400]).unwrap();
    let mut session = MatchSession::default();
    let err = session
        .attempt_image(&blank, &enrolled, &QualityGate::default())
        .unwrap_err();
    assert!(matches!(
        err,
        Error::TooFewMinutiae {
            finger: FingerPosition::LeftIndex,
            ..
        }
    ));
    assert_eq!(session.attempts_left(), 4);
}
