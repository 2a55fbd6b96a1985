//! The fingerprint attempt ledger: the attempt limit of the fingerprint check held per card
//! across requests. Without it every `/api/verify` request would start a fresh count, and a
//! page (or anyone holding the token) could try live fingers against one card without end.
//!
//! A card is known by the SHA-256 of its EF.SOD as read (stable for the card, and no personal
//! data; it is never logged). Each card's [`MatchSession`] lives here, shared by all requests,
//! and counts an attempt before each match. Once a card has used its attempts, further
//! captures are refused without matching (`429 too_many_finger_attempts`) until
//! [`FORGET_AFTER`] has passed since its last counted attempt, or the service restarts (the
//! ledger is in memory only). A match ends the card's count. At most [`MAX_CARDS`] cards are
//! kept: beyond that the one whose last attempt is oldest is forgotten. Only cards that
//! actually used an attempt are kept, so filling the ledger takes genuine cards (a match is
//! only tried once Passive Authentication passed).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use ektp::fingerprint::{FingerprintReport, MatchSession};

use crate::api::ApiError;

/// How long a card's count is kept after its last counted attempt.
pub const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

/// The most cards the ledger keeps.
pub const MAX_CARDS: usize = 1024;

#[derive(Debug)]
struct Entry {
    session: MatchSession,
    last: Instant,
}

/// Every card's fingerprint attempts (see the module doc).
#[derive(Debug)]
pub(crate) struct FingerLedger {
    forget_after: Duration,
    max_cards: usize,
    cards: Mutex<HashMap<String, Entry>>,
}

impl Default for FingerLedger {
    fn default() -> Self {
        Self::new(FORGET_AFTER, MAX_CARDS)
    }
}

/// The refusal of a card that has used its attempts.
fn exhausted(limit: u8) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_finger_attempts",
        format!(
            "this card has used its {limit} fingerprint attempts; no capture is matched \
             against it for {} minutes after the last attempt (or until the service restarts)",
            FORGET_AFTER.as_secs() / 60
        ),
    )
}

impl FingerLedger {
    pub(crate) fn new(forget_after: Duration, max_cards: usize) -> Self {
        Self {
            forget_after,
            max_cards: max_cards.max(1),
            cards: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `check` with the card's session (a new one from `fresh` if the card has none
    /// kept), under the ledger's lock so that no two requests match against one count.
    ///
    /// # Errors
    /// `too_many_finger_attempts` when the card's attempts are used up: `check` is not run.
    pub(crate) fn check(
        &self,
        card: &str,
        now: Instant,
        fresh: impl FnOnce() -> MatchSession,
        check: impl FnOnce(&mut MatchSession) -> FingerprintReport,
    ) -> Result<FingerprintReport, ApiError> {
        let mut cards = self
            .cards
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let forget_after = self.forget_after;
        cards.retain(|_, e| now.saturating_duration_since(e.last) < forget_after);
        let entry = cards.entry(card.to_owned()).or_insert_with(|| Entry {
            session: fresh(),
            last: now,
        });
        if entry.session.attempts_left() == 0 {
            return Err(exhausted(entry.session.limit().get()));
        }
        let before = entry.session.attempts_used();
        // The session counts in place, before it scores: a panic inside the check cannot
        // give the attempt back.
        let out = check(&mut entry.session);
        let used = entry.session.attempts_used();
        if used > before {
            entry.last = now;
        }
        if out.matched || used == 0 {
            cards.remove(card);
        } else if cards.len() > self.max_cards
            && let Some(oldest) = cards
                .iter()
                .filter(|(k, _)| k.as_str() != card)
                .min_by_key(|(_, e)| e.last)
                .map(|(k, _)| k.clone())
        {
            cards.remove(&oldest);
        }
        Ok(out)
    }

    /// How many cards are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.cards
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use ektp::fingerprint::{AttemptLimit, FingerMinutiaeRecord, Threshold};

    fn fresh() -> MatchSession {
        MatchSession::new(Threshold::DEFAULT, AttemptLimit::new(2).unwrap())
    }

    const PRINT: &[u8] = include_bytes!("../../../cards/specimens/pria/right-index.fmr");

    fn report(s: &MatchSession, matched: bool) -> FingerprintReport {
        FingerprintReport {
            matched,
            checked: true,
            threshold: s.threshold().0,
            attempt_limit: s.limit().get(),
            attempts_used: s.attempts_used(),
            attempts: Vec::new(),
        }
    }

    /// A check that uses one attempt (the session refuses, and this panics, if none is left)
    /// and says it matched if asked.
    fn attempt(matched: bool) -> impl FnOnce(&mut MatchSession) -> FingerprintReport {
        move |s| {
            let r = FingerMinutiaeRecord::decode(PRINT).unwrap();
            s.attempt(&r, &r).unwrap();
            report(s, matched)
        }
    }

    #[test]
    fn a_card_is_refused_once_its_attempts_are_used_and_others_are_not() {
        let l = FingerLedger::default();
        let t = Instant::now();
        assert_eq!(
            l.check("a", t, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            1
        );
        assert_eq!(
            l.check("a", t, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            2
        );
        let e = l.check("a", t, fresh, attempt(true)).unwrap_err();
        assert_eq!(e.code(), "too_many_finger_attempts");
        // Another card has its own count.
        assert_eq!(
            l.check("b", t, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            1
        );
        // The window passes: the card is forgotten.
        let later = t + FORGET_AFTER;
        assert_eq!(
            l.check("a", later, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            1
        );
    }

    #[test]
    fn a_match_ends_the_count_and_unused_sessions_are_not_kept() {
        let l = FingerLedger::default();
        let t = Instant::now();
        l.check("a", t, fresh, attempt(false)).unwrap();
        assert!(l.check("a", t, fresh, attempt(true)).unwrap().matched);
        assert_eq!(l.len(), 0);
        assert_eq!(
            l.check("a", t, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            1
        );
        // A check that counted nothing (no DG3, a recapture) keeps no entry.
        let none = |s: &mut MatchSession| report(s, false);
        l.check("c", t, fresh, none).unwrap();
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn the_ledger_is_bounded_and_forgets_the_oldest() {
        let l = FingerLedger::new(FORGET_AFTER, 3);
        let t = Instant::now();
        for (i, k) in ["a", "b", "c", "d"].into_iter().enumerate() {
            let at = t + Duration::from_secs(i as u64);
            l.check(k, at, fresh, attempt(false)).unwrap();
        }
        assert_eq!(l.len(), 3);
        let at = t + Duration::from_secs(10);
        // "a" (the oldest) was forgotten; "b" still counts.
        assert_eq!(
            l.check("a", at, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            1
        );
        assert_eq!(
            l.check("d", at, fresh, attempt(false))
                .unwrap()
                .attempts_used,
            2
        );
    }
}
