//! 1:1 matching with NIST BOZORTH3 (the pure-Rust port `fprint-bozorth3`), a decision threshold,
//! and the per-session attempt limit of deployed e-KTP readers.
//!
//! Nothing here keeps or writes a live capture: [`MatchSession`] holds counters only, and the
//! live record and image stay with the caller.

use core::num::NonZeroU8;

use crate::Error;
use crate::extract::{QualityGate, to_xyt};
use crate::finger::FingerPosition;
use crate::image::GrayImage;
use crate::iso19794_2::FingerMinutiaeRecord;

/// A BOZORTH3 score: the size of the largest consistent cluster of minutia pairs, higher is more
/// alike. 0 means "cannot tell" (fewer than 10 minutiae on a side).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(pub u32);

/// The score at or above which two prints are taken to be of one finger.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Threshold(pub u32);

impl Threshold {
    /// 40, the usual BOZORTH3 operating point.
    pub const DEFAULT: Self = Self(40);
}

impl Default for Threshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Match or not.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The score reached the threshold.
    Match,
    /// It did not.
    NoMatch,
}

/// How many match attempts one card session allows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttemptLimit(NonZeroU8);

impl AttemptLimit {
    /// 4 attempts, as deployed e-KTP readers allow.
    pub const DEFAULT: Self = Self(NonZeroU8::MIN.saturating_add(3));

    /// A limit of `n` attempts.
    ///
    /// # Errors
    /// [`Error::Setting`] for 0.
    pub fn new(n: u8) -> Result<Self, Error> {
        NonZeroU8::new(n)
            .map(Self)
            .ok_or(Error::Setting("an attempt limit of 0"))
    }

    /// The number of attempts.
    pub fn get(self) -> u8 {
        self.0.get()
    }
}

impl Default for AttemptLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The result of one attempt.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MatchOutcome {
    /// The score.
    pub score: Score,
    /// The threshold it was held against.
    pub threshold: Threshold,
    /// Match or not.
    pub decision: Decision,
    /// This attempt's number, from 1.
    pub attempt: u8,
    /// The session's limit.
    pub limit: AttemptLimit,
}

/// The BOZORTH3 score of a live print against the enrolled template, live as the probe.
///
/// The score is asymmetric by construction; this order (live probe, enrolled gallery) is the
/// one every caller in ektp uses.
pub fn score(live: &FingerMinutiaeRecord, enrolled: &FingerMinutiaeRecord) -> Score {
    let probe = xyt(live);
    let gallery = xyt(enrolled);
    Score(fprint_bozorth3::match_score(&probe, &gallery))
}

fn xyt(r: &FingerMinutiaeRecord) -> Vec<fprint_bozorth3::Minutia> {
    r.minutiae()
        .iter()
        .map(|m| {
            let (x, y, theta) = to_xyt(m, r.height());
            fprint_bozorth3::Minutia { x, y, theta }
        })
        .collect()
}

/// The fingerprint check of one card session: a threshold and an attempt counter that refuses
/// once the limit is reached (the card then needs a new session).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchSession {
    threshold: Threshold,
    limit: AttemptLimit,
    used: u8,
}

impl Default for MatchSession {
    fn default() -> Self {
        Self::new(Threshold::DEFAULT, AttemptLimit::DEFAULT)
    }
}

impl MatchSession {
    /// A session with `threshold` and `limit`, no attempt used.
    pub fn new(threshold: Threshold, limit: AttemptLimit) -> Self {
        Self {
            threshold,
            limit,
            used: 0,
        }
    }

    /// The decision threshold.
    pub fn threshold(&self) -> Threshold {
        self.threshold
    }

    /// The attempt limit.
    pub fn limit(&self) -> AttemptLimit {
        self.limit
    }

    /// Attempts used so far.
    pub fn attempts_used(&self) -> u8 {
        self.used
    }

    /// Attempts left.
    pub fn attempts_left(&self) -> u8 {
        self.limit.get().saturating_sub(self.used)
    }

    /// Scores a live template against the enrolled one, using one attempt.
    ///
    /// # Errors
    /// [`Error::AttemptsExhausted`] once the limit is used up (no score is computed);
    /// [`Error::FingerMismatch`] if the live record names another finger than the enrolled one
    /// (an unknown live finger is accepted); neither uses an attempt.
    pub fn attempt(
        &mut self,
        live: &FingerMinutiaeRecord,
        enrolled: &FingerMinutiaeRecord,
    ) -> Result<MatchOutcome, Error> {
        if self.used >= self.limit.get() {
            return Err(Error::AttemptsExhausted {
                limit: self.limit.get(),
            });
        }
        if live.finger() != FingerPosition::Unknown && live.finger() != enrolled.finger() {
            return Err(Error::FingerMismatch {
                live: live.finger(),
                enrolled: enrolled.finger(),
            });
        }
        self.used = self.used.saturating_add(1);
        let score = score(live, enrolled);
        Ok(MatchOutcome {
            score,
            threshold: self.threshold,
            decision: if score.0 >= self.threshold.0 {
                Decision::Match
            } else {
                Decision::NoMatch
            },
            attempt: self.used,
            limit: self.limit,
        })
    }

    /// Extracts a live image with MINDTCT (through `gate`) and scores it against the enrolled
    /// template. A print refused by the gate uses no attempt: the reader asks for a recapture.
    /// The live minutiae are dropped before this returns.
    ///
    /// # Errors
    /// As [`MatchSession::attempt`], plus the gate's [`Error::TooFewMinutiae`] /
    /// [`Error::LowQuality`].
    pub fn attempt_image(
        &mut self,
        live: &GrayImage,
        enrolled: &FingerMinutiaeRecord,
        gate: &QualityGate,
    ) -> Result<MatchOutcome, Error> {
        if self.used >= self.limit.get() {
            return Err(Error::AttemptsExhausted {
                limit: self.limit.get(),
            });
        }
        let record = gate.extract(live, enrolled.finger())?;
        self.attempt(&record, enrolled)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use crate::iso19794_2::{IsoAngle, Minutia, MinutiaKind};

    fn record(finger: FingerPosition, shift: u16) -> FingerMinutiaeRecord {
        let minutiae = (0u16..30)
            .map(|i| Minutia {
                x: 20 + (i * 37) % 250 + shift,
                y: 30 + (i * 53) % 330,
                angle: IsoAngle(((i * 29) % 256) as u8),
                kind: MinutiaKind::Other,
                quality: 60,
            })
            .collect();
        FingerMinutiaeRecord::new(finger, 300, 400, 60, minutiae).unwrap()
    }

    #[test]
    fn attempts_are_limited() {
        let enrolled = record(FingerPosition::RightIndex, 0);
        let live = record(FingerPosition::RightIndex, 3);
        let mut s = MatchSession::default();
        for n in 1..=4 {
            let o = s.attempt(&live, &enrolled).unwrap();
            assert_eq!(o.attempt, n);
            assert_eq!(o.decision, Decision::Match);
            assert!(o.score.0 >= Threshold::DEFAULT.0);
        }
        assert_eq!(s.attempts_left(), 0);
        assert!(matches!(
            s.attempt(&live, &enrolled),
            Err(Error::AttemptsExhausted { limit: 4 })
        ));
    }

    #[test]
    fn wrong_finger_uses_no_attempt() {
        let enrolled = record(FingerPosition::RightIndex, 0);
        let live = record(FingerPosition::LeftIndex, 0);
        let mut s = MatchSession::new(Threshold(40), AttemptLimit::new(1).unwrap());
        assert!(matches!(
            s.attempt(&live, &enrolled),
            Err(Error::FingerMismatch { .. })
        ));
        assert_eq!(s.attempts_left(), 1);
        assert!(AttemptLimit::new(0).is_err());
        assert_eq!(AttemptLimit::default().get(), 4);
    }
}
