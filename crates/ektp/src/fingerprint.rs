//! Fingerprints on the host, over `ektp-bio`: enrollment images made into ISO/IEC 19794-2
//! records (for DG3), two prints scored against each other, and the pickup desk's or agency's
//! 1:1 check of a live capture against the chip's DG3 template with a threshold and an attempt
//! limit per card session.
//!
//! Matching happens here, on the host. A live capture and its minutiae exist only in the
//! caller's memory while a check runs: nothing in this module writes or logs them, and the
//! report keeps scores and counts only.

use ektp_bio::{Decision, Error as BioError};
use ektp_lds::{Dg3, DgNumber};

pub use ektp_bio::{
    AttemptLimit, FingerMinutiaeRecord, FingerPosition, GrayImage, MatchSession, QualityGate,
    Score, Threshold,
};

use crate::contents::CardFiles;
use crate::reason::english;
use crate::verify::{CheckKind, CheckResult, Message, VerifyReport};

/// The PNG file signature.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A print as a person hands it in: a 500 ppi 8-bit grayscale PNG, or a ready ISO/IEC 19794-2
/// minutiae record. `Debug` shows sizes and counts only.
#[derive(Clone, Debug)]
pub enum Print {
    /// An image, to be extracted with MINDTCT.
    Image(GrayImage),
    /// A minutiae record.
    Template(FingerMinutiaeRecord),
}

impl Print {
    /// A PNG (recognized by its signature) or else a 19794-2 record.
    ///
    /// # Errors
    /// The image decoder's or the record decoder's [`ektp_bio::Error`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BioError> {
        if bytes.starts_with(PNG_SIGNATURE) {
            GrayImage::decode_png(bytes).map(Self::Image)
        } else {
            FingerMinutiaeRecord::decode(bytes).map(Self::Template)
        }
    }

    /// Whether this is an image.
    pub fn is_image(&self) -> bool {
        matches!(self, Self::Image(_))
    }

    /// The print's template: a record as given, or an image extracted through `gate` as
    /// `finger`.
    ///
    /// # Errors
    /// The gate's [`ektp_bio::Error::TooFewMinutiae`] / [`ektp_bio::Error::LowQuality`]
    /// (recapture), or an image MINDTCT cannot process.
    pub fn template(
        &self,
        finger: FingerPosition,
        gate: &QualityGate,
    ) -> Result<FingerMinutiaeRecord, BioError> {
        match self {
            Self::Image(image) => gate.extract(image, finger),
            Self::Template(record) => Ok(record.clone()),
        }
    }
}

/// The enrollment of one finger: a PNG (500 ppi, 8-bit grayscale) through MINDTCT and `gate`
/// into the encoded ISO/IEC 19794-2 record DG3 carries.
///
/// # Errors
/// Anything [`GrayImage::decode_png`] refuses, and the gate's refusals (which name the finger
/// and ask for a recapture).
pub fn enroll(png: &[u8], finger: FingerPosition, gate: &QualityGate) -> Result<Vec<u8>, BioError> {
    let image = GrayImage::decode_png(png)?;
    gate.extract(&image, finger)?.encode()
}

/// Two prints scored against each other (`ektp match A B`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PrintComparison {
    /// The BOZORTH3 score, `a` as the probe, `b` as the gallery.
    pub score: u32,
    /// The threshold it was held against.
    pub threshold: u32,
    /// Whether the score reached the threshold.
    pub matched: bool,
    /// Minutiae in `a`'s template.
    pub minutiae_a: usize,
    /// Minutiae in `b`'s template.
    pub minutiae_b: usize,
}

/// Scores print `a` (probe) against print `b` (gallery) with BOZORTH3. Images are extracted
/// through `gate` (as an unknown finger); records are used as given.
///
/// # Errors
/// As [`Print::template`].
pub fn compare(
    a: &Print,
    b: &Print,
    threshold: Threshold,
    gate: &QualityGate,
) -> Result<PrintComparison, BioError> {
    let ta = a.template(FingerPosition::Unknown, gate)?;
    let tb = b.template(FingerPosition::Unknown, gate)?;
    let score = ektp_bio::score(&ta, &tb).0;
    Ok(PrintComparison {
        score,
        threshold: threshold.0,
        matched: score >= threshold.0,
        minutiae_a: ta.minutiae().len(),
        minutiae_b: tb.minutiae().len(),
    })
}

/// A live capture at the desk: which finger it is, and the print.
#[derive(Clone, Debug)]
pub struct LiveCapture {
    /// The finger the holder placed (right or left index).
    pub finger: FingerPosition,
    /// The capture.
    pub print: Print,
}

/// A finger, in words.
fn finger_msg(finger: FingerPosition) -> Message {
    match finger {
        FingerPosition::RightIndex => Message::new("finger-right-index"),
        FingerPosition::LeftIndex => Message::new("finger-left-index"),
        other => Message::new("finger-other").arg("detail", other),
    }
}

/// The stable name of an e-KTP finger in reports (`right_index`, `left_index`).
pub fn finger_name(finger: FingerPosition) -> &'static str {
    match finger {
        FingerPosition::RightIndex => "right_index",
        FingerPosition::LeftIndex => "left_index",
        _ => "other",
    }
}

/// One attempt of a fingerprint check.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttemptView {
    /// The finger.
    pub finger: &'static str,
    /// The attempt's number in the card session, from 1; `None` when the capture was refused
    /// before matching (a recapture uses no attempt) or after the limit.
    pub attempt: Option<u8>,
    /// The score, when one was computed.
    pub score: Option<u32>,
    /// `match`, `no_match`, `recapture` or `refused`.
    pub outcome: &'static str,
    /// Why, for a person.
    pub reason: String,
}

/// The `fingerprint` check in detail: every attempt of the card session, the threshold and
/// the limit. Scores and counts only, never minutiae or pixels.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerprintReport {
    /// Whether a live capture matched the chip's template.
    pub matched: bool,
    /// Whether the check was made (false: `SKIP`, see the check's reason).
    pub checked: bool,
    /// The decision threshold.
    pub threshold: u32,
    /// Attempts one card session allows.
    pub attempt_limit: u8,
    /// Attempts used in this card session.
    pub attempts_used: u8,
    /// The attempts, in order.
    pub attempts: Vec<AttemptView>,
}

/// Why DG3 is not at hand, for the `SKIP` reason.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NoDg3 {
    /// No terminal was given: the chip opens DG3 only after Terminal Authentication.
    NoTerminal,
    /// A terminal was given but the chip did not open DG3 (see `terminal_authentication`).
    NotOpened,
}

/// Adds the `fingerprint` check to `report` (and re-decides `report.passed`): each capture in
/// turn is scored against the chip's template of its finger with `session` (its threshold,
/// and its attempt limit, which counts across calls on the same card session) until one
/// matches. `files` are the files of a terminal session (with DG3), or `None`, with why.
///
/// Without captures and without DG3 nothing is added (the desk did not take fingerprints).
/// Without DG3, or without a capture, the check is `SKIP` with why; a template that does not
/// decode, captures that never match, or a session whose attempts are used up make it
/// `FAIL`. Passive Authentication covers DG3's hash: when it failed the chip's template is not
/// trusted and the check is `SKIP`.
pub fn check(
    report: &mut VerifyReport,
    files: Result<&CardFiles, NoDg3>,
    captures: &[LiveCapture],
    session: &mut MatchSession,
    gate: &QualityGate,
) -> FingerprintReport {
    let (threshold, limit) = (session.threshold(), session.limit());
    let mut out = FingerprintReport {
        matched: false,
        checked: false,
        threshold: threshold.0,
        attempt_limit: limit.get(),
        attempts_used: session.attempts_used(),
        attempts: Vec::new(),
    };
    let result = match not_checked(report, files, captures) {
        Ok(dg3) => {
            out.checked = true;
            run(&dg3, captures, session, gate, &mut out)
        }
        Err(reason) => CheckResult::new(CheckKind::Fingerprint, false, true, reason),
    };
    out.attempts_used = session.attempts_used();
    if captures.is_empty() && files.is_err() {
        return out;
    }
    report.checks.push(result);
    *report = core::mem::replace(report, VerifyReport::new()).finish();
    out
}

/// DG3 decoded, or why the check is not made.
fn not_checked(
    report: &VerifyReport,
    files: Result<&CardFiles, NoDg3>,
    captures: &[LiveCapture],
) -> Result<Result<Dg3, Message>, Message> {
    let files = files.map_err(|why| match why {
        NoDg3::NoTerminal => Message::new("check-fp-no-terminal"),
        NoDg3::NotOpened => Message::new("check-fp-not-opened"),
    })?;
    let Some(raw) = files.dg(DgNumber::DG3) else {
        return Err(Message::new("check-fp-no-dg3"));
    };
    if report
        .check(CheckKind::PassiveAuthentication)
        .is_some_and(|c| !c.passed)
    {
        return Err(Message::new("check-fp-pa-failed"));
    }
    if captures.is_empty() {
        return Err(Message::new("check-fp-no-capture"));
    }
    Ok(Dg3::decode(raw).map_err(|e| Message::new("check-fp-bad-dg3").arg("detail", e)))
}

/// The chip's template of `finger`.
fn enrolled(dg3: &Dg3, finger: FingerPosition) -> Result<FingerMinutiaeRecord, Message> {
    let record = match finger {
        FingerPosition::RightIndex => dg3.right_index(),
        FingerPosition::LeftIndex => dg3.left_index(),
        other => {
            return Err(Message::new("check-fp-finger-not-held").msg("finger", finger_msg(other)));
        }
    };
    FingerMinutiaeRecord::decode(record.as_bytes()).map_err(|e| {
        Message::new("check-fp-bad-template")
            .msg("finger", finger_msg(finger))
            .arg("detail", e)
    })
}

/// The attempts, in turn, until one matches.
fn run(
    dg3: &Result<Dg3, Message>,
    captures: &[LiveCapture],
    session: &mut MatchSession,
    gate: &QualityGate,
    out: &mut FingerprintReport,
) -> CheckResult {
    let fail = |reason: Message| CheckResult::new(CheckKind::Fingerprint, false, false, reason);
    let dg3 = match dg3 {
        Ok(d) => d,
        Err(e) => return fail(e.clone()),
    };
    let mut last = None;
    for capture in captures {
        let finger = capture.finger;
        let view = |attempt, score, outcome, reason| AttemptView {
            finger: finger_name(finger),
            attempt,
            score,
            outcome,
            reason,
        };
        let template = match enrolled(dg3, finger) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        let outcome = match &capture.print {
            Print::Image(image) => session.attempt_image(image, &template, gate),
            Print::Template(live) => session.attempt(live, &template),
        };
        match outcome {
            Ok(o) => {
                let (n, of) = (o.attempt, o.limit.get());
                let matched = o.decision == Decision::Match;
                let id = if matched {
                    "check-fp-match"
                } else {
                    "check-fp-no-match"
                };
                let line = Message::new(id)
                    .msg("finger", finger_msg(finger))
                    .arg("score", o.score.0)
                    .arg("threshold", o.threshold.0)
                    .arg("attempt", n)
                    .arg("of", of)
                    .arg("left", of.saturating_sub(n));
                let tag = if matched { "match" } else { "no_match" };
                out.attempts
                    .push(view(Some(n), Some(o.score.0), tag, english(&line)));
                if matched {
                    out.matched = true;
                    return CheckResult::new(CheckKind::Fingerprint, true, false, line);
                }
                last = Some(line);
            }
            Err(e @ BioError::AttemptsExhausted { .. }) => {
                let reason = Message::new("check-fp-exhausted").arg("detail", e);
                out.attempts
                    .push(view(None, None, "refused", english(&reason)));
                return fail(match last {
                    Some(l) => Message::new("check-fp-then")
                        .msg("first", l)
                        .msg("then", reason),
                    None => reason,
                });
            }
            Err(e) => {
                let reason = Message::new("check-fp-recapture").arg("detail", e);
                out.attempts
                    .push(view(None, None, "recapture", english(&reason)));
                last = Some(reason);
            }
        }
    }
    fail(last.unwrap_or_else(|| Message::new("check-fp-no-live-capture")))
}
