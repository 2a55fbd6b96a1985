//! ektp-bio's public API without the generator.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use ektp_bio::iso19794_2::{IsoAngle, Minutia, MinutiaKind};
use ektp_bio::{
    AttemptLimit, Decision, Error, FingerMinutiaeRecord, FingerPosition, MatchSession, QualityGate,
    Threshold,
};

fn record(finger: FingerPosition, n: u16) -> FingerMinutiaeRecord {
    let minutiae = (0..n)
        .map(|i| Minutia {
            x: 15 + (i * 41) % 270,
            y: 25 + (i * 67) % 350,
            angle: IsoAngle(((i * 37) % 256) as u8),
            kind: MinutiaKind::RidgeEnding,
            quality: 70,
        })
        .collect();
    FingerMinutiaeRecord::new(finger, 320, 400, 70, minutiae).unwrap()
}

#[test]
fn records_are_what_ektp_lds_accepts_in_dg3() {
    for finger in [FingerPosition::RightIndex, FingerPosition::LeftIndex] {
        let bytes = record(finger, 40).encode().unwrap();
        let lds = ektp_lds::MinutiaeRecord::parse(&bytes).unwrap();
        assert_eq!(lds.minutiae_count(), 40);
        assert_eq!(lds.finger().position_code(), finger.code());
    }
}

#[test]
fn quality_gate_names_the_finger_and_says_recapture() {
    let gate = QualityGate::default();
    assert!(gate.check(&record(FingerPosition::RightIndex, 30)).is_ok());
    let err = gate
        .check(&record(FingerPosition::RightIndex, 5))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::TooFewMinutiae {
            finger: FingerPosition::RightIndex,
            usable: 5,
            required: 12
        }
    ));
    assert!(err.to_string().contains("recapture the right index finger"));
    let low = FingerMinutiaeRecord::new(
        FingerPosition::LeftIndex,
        320,
        400,
        10,
        record(FingerPosition::LeftIndex, 30).minutiae().to_vec(),
    )
    .unwrap();
    assert!(matches!(
        gate.check(&low),
        Err(Error::LowQuality {
            finger: FingerPosition::LeftIndex,
            quality: 10,
            required: 20
        })
    ));
}

#[test]
fn session_decides_with_the_threshold_and_refuses_after_the_limit() {
    let enrolled = record(FingerPosition::RightIndex, 40);
    let other = {
        let m: Vec<Minutia> = record(FingerPosition::RightIndex, 40)
            .minutiae()
            .iter()
            .map(|m| Minutia {
                x: (m.x * 7 + 13) % 320,
                y: (m.y * 3 + 101) % 400,
                angle: IsoAngle(m.angle.0.wrapping_mul(5)),
                ..*m
            })
            .collect();
        FingerMinutiaeRecord::new(FingerPosition::RightIndex, 320, 400, 70, m).unwrap()
    };
    let mut s = MatchSession::new(Threshold::DEFAULT, AttemptLimit::new(2).unwrap());
    let o = s.attempt(&other, &enrolled).unwrap();
    assert_eq!(
        (o.decision, o.attempt, o.limit.get()),
        (Decision::NoMatch, 1, 2)
    );
    let o = s.attempt(&enrolled, &enrolled).unwrap();
    assert_eq!((o.decision, o.attempt), (Decision::Match, 2));
    assert!(matches!(
        s.attempt(&enrolled, &enrolled),
        Err(Error::AttemptsExhausted { limit: 2 })
    ));
}

#[test]
fn debug_output_carries_no_minutiae() {
    let r = record(FingerPosition::RightIndex, 3);
    let text = format!("{r:?} {:?}", r.minutiae());
    assert!(!text.contains("x:") && !text.contains("angle"), "{text}");
}
