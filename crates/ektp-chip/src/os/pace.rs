//! PACE (ICAO 9303-11 §4.4) with the CAN: MSE:Set AT, then the four GENERAL AUTHENTICATE
//! steps, driven through the card-side state machine of `ektp_sm::pace::card`. A successful
//! run opens the secure messaging session the dispatcher ([`super::dispatch`]) unwraps.

use std::time::Duration;

use ektp_iso7816::{CommandApdu, StatusWord};
use ektp_sm::pace::card as pace_card;
use ektp_sm::{Can, FixedRandomness, PaceParams, PacePassword};

use super::dispatch::Answer;
use super::{Auth, Chip, PaceRun, RetryCounter, Session};

impl Chip {
    /// MSE:Set AT for PACE (`00 22 C1 A4`).
    pub(super) fn mse_set_at(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if (cmd.p1, cmd.p2) != (0xC1, 0xA4) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let can = self
            .state
            .can
            .as_deref()
            .and_then(|c| Can::new(c).ok())
            .ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
        let delay = self
            .state
            .profile
            .pace
            .delay_after(self.state.pace_failures);
        if delay > 0 {
            self.throttled = self.throttled.saturating_add(1);
            self.sleep(Duration::from_millis(delay));
        }
        let password = PacePassword::from_can(&can);
        let params = PaceParams::EKTP_DEFAULT;
        let idle = if self.rng.is_seeded() {
            let nonce = self.fixed(params.cipher.nonce_len())?;
            let map = self.fixed(32)?;
            let eph = self.fixed(32)?;
            pace_card::Idle::with_fixed_randomness(
                &password,
                params,
                FixedRandomness::new([nonce, map, eph]),
            )
        } else {
            pace_card::Idle::new(&password, params)
        };
        match idle.on_mse_set_at(cmd) {
            Ok((next, resp)) => {
                self.vol.pace = Some(PaceRun::Nonce(next));
                Ok(resp)
            }
            Err(rejected) => Ok(rejected.response),
        }
    }

    pub(super) fn fixed(&mut self, n: usize) -> Result<Vec<u8>, StatusWord> {
        let mut v = vec![0u8; n];
        self.rng
            .fill(&mut v)
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        Ok(v)
    }

    /// GENERAL AUTHENTICATE, the four PACE steps (chained with CLA `10` but the last).
    pub(super) fn general_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let run = self
            .vol
            .pace
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let step = match run {
            PaceRun::Nonce(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::Mapping(n)), None, r)),
            PaceRun::Mapping(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::KeyAgreement(n)), None, r)),
            PaceRun::KeyAgreement(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::Token(n)), None, r)),
            PaceRun::Token(s) => {
                // The terminal's token is the proof of the CAN: the attempt is counted (on
                // disk) before it is checked, and refused unchecked if it cannot be
                // (`6581`; the run is over).
                self.charge(RetryCounter::Pace)?;
                s.on_command(cmd).map(|(sm, r)| (None, Some(sm), r))
            }
        };
        match step {
            Ok((next, sm, resp)) => {
                self.vol.pace = next;
                if let Some(sm) = sm {
                    // The right CAN: clear the counter charged above. If that cannot be
                    // saved, no session (the counter stays charged, on disk too).
                    let mut next = self.state.clone();
                    next.pace_failures = 0;
                    self.commit(next)?;
                    self.vol.session = Some(Session {
                        kind: Auth::Pace,
                        sm,
                    });
                }
                Ok(resp)
            }
            // A rejected token stays counted: charged before the check.
            Err(rejected) => Ok(rejected.response),
        }
    }
}
