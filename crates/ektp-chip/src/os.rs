//! The virtual e-KTP chip's card operating system: file system, lifecycle, access control,
//! personalization, PACE and secure messaging, Active Authentication, persistence and faults.
//!
//! [`Chip`] implements [`Card`], so the same chip runs in-process
//! ([`Chip::into_in_process`]) or behind pcscd through the vpcd virtual reader
//! ([`Chip::insert_vpcd`]). Every command it accepts, per lifecycle state, with its status
//! words, is listed in `docs/apdu-reference.md`; the personalization protocol is
//! `docs/personalization.md`.

mod auth;
mod dispatch;
mod eac;
mod fs;
mod hexser;
mod idser;
mod pace;
mod perso;
pub mod profile;
mod rng;
pub mod state;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ektp_iso7816::{Fid, StatusWord};
use ektp_sm::CardSm;
use ektp_sm::pace::card as pace_card;

use crate::card::{Card, Fault, MAX_RESPONSE_LEN};
use crate::inprocess::InProcess;
use crate::vpcd::{VirtualCard, VpcdConfig};

pub use crate::error::ChipError;
pub use ektp_lds::Lifecycle;
pub use ektp_sm::perso::MasterKey;
pub use profile::{Access, ChipProfile, FileSpec, Location, PaceThrottle};
pub use state::{MAX_PERSO_FAILURES, MAX_STATE_FILE_LEN, STATE_FORMAT};

use rng::ChipRng;
use state::State;

/// The chip's answer-to-reset, [`ektp_lds::VIRTUAL_CHIP_ATR`]: `3B 88 80 01` (T=1) with
/// historical bytes `"EKTPVC01"` and the check byte TCK.
pub const CHIP_ATR: [u8; 13] = ektp_lds::VIRTUAL_CHIP_ATR;

/// The TEST ONLY personalization batch master key,
/// [`ektp_sm::perso::TEST_MASTER_KEY_HEX`]: what a test printing station and
/// [`Chip::new_blank`] share in simulations, demos and tests. Never use it for anything real.
///
/// # Errors
/// [`ChipError::Sm`] if the committed key file is not 64 hex digits.
pub fn test_perso_master_key() -> Result<MasterKey, ChipError> {
    Ok(MasterKey::from_hex(ektp_sm::perso::TEST_MASTER_KEY_HEX)?)
}

/// Faults the chip injects itself, for tests of host robustness.
///
/// Pulling the card is a reader-side event: [`ChipFaults::power`] is handed to the reader by
/// [`Chip::into_in_process`] and [`Chip::insert_vpcd`], which then drop the connection at the
/// chosen APDU exactly as a pulled card does (the host sees `CardRemoved`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChipFaults {
    /// Pull the card at this point of the APDU stream (see [`Fault`]).
    pub power: Option<Fault>,
    /// Flip (XOR `FF`) the byte at this index of the next response (clamped to its last
    /// byte), then clear.
    pub corrupt_next_response: Option<usize>,
    /// Sleep this long before every answer.
    pub response_delay: Option<Duration>,
}

/// Who the current command speaks for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Auth {
    /// A plain command.
    None,
    /// Under the secure messaging session opened by PACE with the CAN.
    Pace,
    /// Under the personalization secure messaging session (EXTERNAL AUTHENTICATE).
    Perso,
}

/// A retry counter that guards a secret (see [`Chip::charge`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum RetryCounter {
    /// Wrong CANs (PACE).
    Pace,
    /// Failed personalization authentications (EXTERNAL AUTHENTICATE).
    Perso,
}

/// The current dedicated file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Df {
    Mf,
    Application,
}

/// A PACE run between MSE:Set AT and the last GENERAL AUTHENTICATE.
enum PaceRun {
    Nonce(pace_card::AwaitNonceRequest),
    Mapping(pace_card::AwaitMapping),
    KeyAgreement(pace_card::AwaitKeyAgreement),
    Token(pace_card::AwaitToken),
}

struct Session {
    kind: Auth,
    sm: CardSm,
}

/// What the chip forgets on reset or power loss.
struct Volatile {
    df: Df,
    ef: Option<Fid>,
    challenge: Option<[u8; 8]>,
    session: Option<Session>,
    pace: Option<PaceRun>,
    eac: eac::EacVolatile,
}

impl Volatile {
    fn new() -> Self {
        Self {
            df: Df::Mf,
            ef: None,
            challenge: None,
            session: None,
            pace: None,
            eac: eac::EacVolatile::default(),
        }
    }
}

/// The virtual e-KTP chip. See the [module docs](self) and the crate README.
pub struct Chip {
    state: State,
    vol: Volatile,
    rng: ChipRng,
    autosave: Option<PathBuf>,
    faults: ChipFaults,
    throttled: u64,
}

impl std::fmt::Debug for Chip {
    /// Shows the serial, lifecycle and counters, never keys, the CAN or file contents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chip")
            .field("serial", &hex::encode(&self.state.serial))
            .field("lifecycle", &self.state.lifecycle)
            .field("files", &self.state.files.len())
            .field("perso_failures", &self.state.perso_failures)
            .field("pace_failures", &self.state.pace_failures)
            .field("session", &self.vol.session.as_ref().map(|s| s.kind))
            .finish_non_exhaustive()
    }
}

impl Chip {
    /// A blank chip with the e-KTP profile ([`ChipProfile::ektp`]), as a card maker ships it:
    /// its `serial` and its personalization keys diversified from the batch master key
    /// (`docs/personalization.md`). Use a TEST ONLY master key such as
    /// [`test_perso_master_key`].
    ///
    /// # Errors
    /// [`ChipError::Profile`] / [`ChipError::InvalidProfile`] if the embedded profile is
    /// broken; [`ChipError::Sm`] if key diversification fails.
    pub fn new_blank(serial: [u8; 8], perso_master_key: &MasterKey) -> Result<Self, ChipError> {
        Self::new_blank_with_profile(serial, perso_master_key, ChipProfile::ektp()?)
    }

    /// [`Chip::new_blank`] with another card profile.
    ///
    /// # Errors
    /// [`ChipError::InvalidProfile`]; [`ChipError::Sm`] if key diversification fails.
    pub fn new_blank_with_profile(
        serial: [u8; 8],
        perso_master_key: &MasterKey,
        profile: ChipProfile,
    ) -> Result<Self, ChipError> {
        profile.validate()?;
        let keys = ektp_sm::perso::PersoKeys::diversify(perso_master_key, &serial)?;
        let state = State::blank(
            serial,
            keys.enc().expose_bytes(),
            keys.mac().expose_bytes(),
            profile,
        );
        Ok(Self::from_state(state))
    }

    /// A blank chip with the e-KTP profile holding personalization keys diversified elsewhere
    /// (e.g. by a PKCS#11 token holding the batch master key, which never leaves it: a card
    /// maker loads each chip with the keys the token computed for its serial).
    ///
    /// # Errors
    /// [`ChipError::Profile`] / [`ChipError::InvalidProfile`] if the embedded profile is
    /// broken.
    pub fn new_blank_with_keys(
        serial: [u8; 8],
        keys: &ektp_sm::perso::PersoKeys,
    ) -> Result<Self, ChipError> {
        let profile = ChipProfile::ektp()?;
        profile.validate()?;
        let state = State::blank(
            serial,
            keys.enc().expose_bytes(),
            keys.mac().expose_bytes(),
            profile,
        );
        Ok(Self::from_state(state))
    }

    fn from_state(state: State) -> Self {
        Self {
            state,
            vol: Volatile::new(),
            rng: ChipRng::system(),
            autosave: None,
            faults: ChipFaults::default(),
            throttled: 0,
        }
    }

    /// Loads a chip saved by [`Chip::save`] (or autosaved). The chip starts powered off:
    /// nothing selected, no session. Autosave is off until [`Chip::set_autosave`].
    ///
    /// # Errors
    /// [`ChipError::Io`], [`ChipError::TooLarge`], [`ChipError::Malformed`],
    /// [`ChipError::Inconsistent`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ChipError> {
        State::load(path.as_ref()).map(Self::from_state)
    }

    /// A chip from the JSON [`Chip::state_json`] (or a state file) returned, e.g. to clone a
    /// chip in tests. Like [`Chip::load`], it starts powered off with autosave off.
    ///
    /// # Errors
    /// [`ChipError::Malformed`], [`ChipError::Inconsistent`] (the path in them is empty), and
    /// [`ChipError::TooLarge`] above [`MAX_STATE_FILE_LEN`].
    pub fn from_state_json(json: &[u8]) -> Result<Self, ChipError> {
        if u64::try_from(json.len()).map_or(true, |n| n > MAX_STATE_FILE_LEN) {
            return Err(ChipError::TooLarge {
                path: PathBuf::new(),
                max: MAX_STATE_FILE_LEN,
            });
        }
        State::from_json(json, Path::new("")).map(Self::from_state)
    }

    /// Saves the chip's persistent state atomically and privately: mode 0600, written through
    /// an unpredictable `O_EXCL|O_NOFOLLOW` temporary beside `path`, fsync, rename
    /// ([`ektp_fs::write_private`]).
    ///
    /// The file holds the chip's private keys and CAN in clear: TEST chips only.
    ///
    /// # Errors
    /// [`ChipError::Save`].
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), ChipError> {
        self.state.save(path.as_ref())
    }

    /// The persistent state as JSON (what [`Chip::save`] writes), e.g. to compare two chips.
    #[must_use]
    pub fn state_json(&self) -> Vec<u8> {
        self.state.to_json()
    }

    /// From now on, persist every committed change to `path` (atomically) before answering
    /// the command that made it; `None` turns autosave off. Saves once at once.
    ///
    /// If a save fails the change is rolled back and the command answers `6581`. An attempt
    /// at a secret (a CAN, a personalization key) is counted on disk before it is checked;
    /// while the count cannot be saved, every attempt is refused unchecked with `6581`.
    ///
    /// # Errors
    /// [`ChipError::Save`] if the first save fails (autosave then stays off).
    pub fn set_autosave(&mut self, path: Option<PathBuf>) -> Result<(), ChipError> {
        if let Some(p) = &path {
            self.state.save(p)?;
        }
        self.autosave = path;
        Ok(())
    }

    /// TEST ONLY: replaces the chip's random source with a deterministic stream seeded by
    /// `seed`, so challenges, session key halves, PACE nonces and keys and the Active
    /// Authentication key are reproducible. Not saved with the chip.
    pub fn set_test_rng_seed(&mut self, seed: [u8; 32]) {
        self.rng = ChipRng::seeded(seed);
    }

    /// The chip's serial number.
    #[must_use]
    pub fn serial(&self) -> [u8; 8] {
        <[u8; 8]>::try_from(self.state.serial.as_slice()).unwrap_or_default()
    }

    /// The lifecycle state.
    #[must_use]
    pub fn lifecycle(&self) -> Lifecycle {
        self.state.lifecycle
    }

    /// The card profile the chip runs.
    #[must_use]
    pub fn profile(&self) -> &ChipProfile {
        &self.state.profile
    }

    /// The contents of a created file, for tests and inspection.
    #[must_use]
    pub fn file(&self, fid: Fid) -> Option<&[u8]> {
        self.state.file(fid).map(|f| f.data.as_slice())
    }

    /// Consecutive failed personalization authentications.
    #[must_use]
    pub fn perso_failures(&self) -> u32 {
        self.state.perso_failures
    }

    /// Consecutive wrong CANs.
    #[must_use]
    pub fn pace_failures(&self) -> u32 {
        self.state.pace_failures
    }

    /// PACE attempts the chip has slowed down since it was created or loaded.
    #[must_use]
    pub fn throttled(&self) -> u64 {
        self.throttled
    }

    /// Whether a secure messaging session is open.
    #[must_use]
    pub fn has_session(&self) -> bool {
        self.vol.session.is_some()
    }

    /// The injected faults.
    #[must_use]
    pub fn faults(&self) -> &ChipFaults {
        &self.faults
    }

    /// The injected faults, to change them.
    pub fn faults_mut(&mut self) -> &mut ChipFaults {
        &mut self.faults
    }

    /// Inserts the chip into an in-process reader, with [`ChipFaults::power`] as its fault.
    #[must_use]
    pub fn into_in_process(self) -> InProcess<Chip> {
        match self.faults.power {
            Some(f) => InProcess::with_fault(self, f),
            None => InProcess::new(self),
        }
    }

    /// Inserts the chip into the vpcd virtual reader (through pcscd) with
    /// [`ChipFaults::power`] as its fault (overriding the config's).
    ///
    /// # Errors
    /// As [`VirtualCard::insert`].
    pub fn insert_vpcd(self, config: &VpcdConfig) -> Result<VirtualCard<Chip>, ChipError> {
        let config = match self.faults.power {
            Some(f) => config.clone().with_fault(f),
            None => config.clone(),
        };
        VirtualCard::insert(self, &config)
    }

    /// Applies a state change: saves it first when autosave is on, so the change counts
    /// only once it is durable.
    fn commit(&mut self, next: State) -> Result<(), StatusWord> {
        if let Some(path) = &self.autosave {
            next.save(path).map_err(|_| StatusWord::MEMORY_FAILURE)?;
        }
        self.state = next;
        Ok(())
    }

    /// Counts an attempt at a secret as failed *before* the secret is checked, as a real card
    /// OS does (Java Card `OwnerPIN.check` decrements the try counter first): the count is
    /// committed (saved, with autosave) and only then may the caller check. If the count
    /// cannot be saved the attempt is refused unchecked with `6581`, so a failing state file
    /// never gives unlimited guesses, and cutting the power during the check never loses a
    /// count. A successful check clears the counter with another commit.
    fn charge(&mut self, counter: RetryCounter) -> Result<(), StatusWord> {
        let mut next = self.state.clone();
        let n = match counter {
            RetryCounter::Pace => &mut next.pace_failures,
            RetryCounter::Perso => &mut next.perso_failures,
        };
        *n = n.saturating_add(1);
        self.commit(next)
    }

    fn sleep(&mut self, d: Duration) {
        if !d.is_zero() {
            std::thread::sleep(d);
        }
    }
}

impl Card for Chip {
    fn atr(&self) -> Vec<u8> {
        CHIP_ATR.to_vec()
    }

    fn power_on(&mut self) {
        self.vol = Volatile::new();
    }

    fn reset(&mut self) {
        self.vol = Volatile::new();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(d) = self.faults.response_delay {
            self.sleep(d);
        }
        let mut response = self.handle(apdu);
        if response.len() > MAX_RESPONSE_LEN || response.len() < 2 {
            response = StatusWord::NO_PRECISE_DIAGNOSIS.to_bytes().to_vec();
        }
        if let Some(i) = self.faults.corrupt_next_response.take() {
            let last = response.len().saturating_sub(1);
            if let Some(b) = response.get_mut(i.min(last)) {
                *b ^= 0xFF;
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secrets() {
        let chip = Chip::new_blank([9; 8], &MasterKey::from_bytes([7; 32])).unwrap();
        let d = format!("{chip:?}");
        assert!(d.contains("0909090909090909"));
        assert!(!d.contains("perso_k"));
    }
}
