//! The chip's view of its card profile: which files it may hold, where, how large, who may
//! read them, the application identifier, and how wrong CANs are slowed down.
//!
//! A chip carries its profile inside its saved state (as a real chip carries its file layout
//! from the card maker), so a saved chip loads the same way whatever `cards/` holds later.
//! [`ChipProfile::ektp`] is the e-KTP layout (ICAO Doc 9303-10 §4.6 FIDs and short EF
//! identifiers).

use ektp_iso7816::{Fid, Sfi};
use serde::{Deserialize, Serialize};

use ektp_lds::dg::LdsFile;
use ektp_lds::profile::{CardProfile, Df as LdsDf, ReadAccess};

use crate::error::ChipError;

/// ICAO Doc 9303-10 §3.1.2: the eMRTD application identifier `A0 00 00 02 47 10 01`. e-KTP
/// uses it so that any ICAO reader finds the application.
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// Largest elementary file: CREATE FILE carries the size in two bytes (`80 02`).
pub const MAX_EF_SIZE: u32 = 65535;

/// Most files a profile may list.
pub const MAX_PROFILE_FILES: usize = 64;

/// Who may read a file (writing is always personalization-only).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Access {
    /// Anyone, without authentication (EF.CardAccess).
    Always,
    /// After PACE with the CAN, under secure messaging.
    Pace,
    /// After Terminal Authentication, which this chip does not implement yet: always `6982`.
    TerminalAuth,
}

/// Where a file lives.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Location {
    /// Directly under the master file (EF.CardAccess).
    Mf,
    /// In the e-KTP application DF, selected by AID.
    Application,
}

/// One transparent elementary file the profile allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSpec {
    /// Human name, e.g. `DG1`.
    pub name: String,
    /// File identifier (a number in JSON).
    #[serde(with = "crate::os::idser::fid")]
    pub fid: Fid,
    /// Short EF identifier, if the file has one (a number or `null` in JSON).
    #[serde(with = "crate::os::idser::opt_sfi")]
    pub sfi: Option<Sfi>,
    /// Largest size CREATE FILE accepts.
    pub max_size: u32,
    /// Who may read it.
    pub access: Access,
    /// Whether ACTIVATE FILE (lock) requires it to exist and be non-empty.
    pub required: bool,
    /// MF or application.
    pub location: Location,
}

/// How wrong CANs are slowed down (ICAO 9303-11 §4.4: the CAN does not block, so the chip
/// delays instead): after `free_attempts` consecutive wrong CANs, each PACE attempt waits
/// `delay_initial_ms`, doubling with every further failure up to `delay_max_ms`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaceThrottle {
    /// Consecutive wrong CANs answered without delay.
    pub free_attempts: u32,
    /// First delay, in milliseconds.
    pub delay_initial_ms: u64,
    /// Largest delay, in milliseconds.
    pub delay_max_ms: u64,
}

impl PaceThrottle {
    /// The delay (ms) before answering MSE:Set AT after `failures` consecutive wrong CANs.
    #[must_use]
    pub fn delay_after(&self, failures: u32) -> u64 {
        if failures < self.free_attempts {
            return 0;
        }
        let steps = failures.saturating_sub(self.free_attempts).min(63);
        self.delay_initial_ms
            .saturating_mul(1u64.checked_shl(steps).unwrap_or(u64::MAX))
            .min(self.delay_max_ms)
    }
}

/// The chip's file layout and policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChipProfile {
    /// Profile name, e.g. `ektp-v1`.
    pub name: String,
    /// Application identifier (5..=16 bytes), hex in JSON.
    #[serde(with = "crate::os::hexser")]
    pub aid: Vec<u8>,
    /// The files.
    pub files: Vec<FileSpec>,
    /// Wrong-CAN slow-down.
    pub pace: PaceThrottle,
}

/// Files ACTIVATE FILE insists on: EF.CardAccess, EF.COM, DG1, DG2, DG11, DG14 (its
/// `ActiveAuthenticationInfo` names the AA hash, ICAO 9303-11 §6.1), DG15 and EF.SOD.
fn required(file: LdsFile) -> bool {
    match file {
        LdsFile::CardAccess | LdsFile::Com | LdsFile::Sod => true,
        LdsFile::Dg(n) => matches!(n.value(), 1 | 2 | 11 | 14 | 15),
    }
}

impl ChipProfile {
    /// The e-KTP profile of `cards/profile/ektp-profile.json` ([`CardProfile::default_ektp`]).
    ///
    /// # Errors
    /// [`ChipError::Profile`] if the embedded profile does not parse;
    /// [`ChipError::InvalidProfile`] as [`ChipProfile::from_card_profile`].
    pub fn ektp() -> Result<Self, ChipError> {
        Self::from_card_profile(&CardProfile::default_ektp()?)
    }

    /// The chip's view of a card profile: FIDs, SFIs, sizes (capped at [`MAX_EF_SIZE`], the
    /// largest size CREATE FILE can carry), read access, the AID and the wrong-CAN delays.
    /// ACTIVATE FILE requires EF.CardAccess, EF.COM, DG1, DG2, DG11, DG14, DG15 and EF.SOD.
    ///
    /// # Errors
    /// [`ChipError::InvalidProfile`] if the result fails [`ChipProfile::validate`].
    pub fn from_card_profile(p: &CardProfile) -> Result<Self, ChipError> {
        let files = p
            .files
            .iter()
            .map(|f| FileSpec {
                name: f.name.clone(),
                fid: f.fid,
                sfi: Some(f.sfi),
                max_size: u32::try_from(f.max_size)
                    .unwrap_or(MAX_EF_SIZE)
                    .min(MAX_EF_SIZE),
                access: match f.read {
                    ReadAccess::Always => Access::Always,
                    ReadAccess::Pace => Access::Pace,
                    _ => Access::TerminalAuth,
                },
                required: required(f.file),
                location: match f.df {
                    LdsDf::Mf => Location::Mf,
                    _ => Location::Application,
                },
            })
            .collect();
        let profile = Self {
            name: p.name.clone(),
            aid: p.aid.clone(),
            files,
            pace: PaceThrottle {
                free_attempts: u32::from(p.pace.free_attempts),
                delay_initial_ms: u64::from(p.pace.delay_initial_ms),
                delay_max_ms: u64::from(p.pace.delay_max_ms),
            },
        };
        profile.validate()?;
        Ok(profile)
    }

    /// The file with this FID.
    #[must_use]
    pub fn file(&self, fid: Fid) -> Option<&FileSpec> {
        self.files.iter().find(|f| f.fid == fid)
    }

    /// The file with this short EF identifier in `location`.
    #[must_use]
    pub fn file_by_sfi(&self, location: Location, sfi: Sfi) -> Option<&FileSpec> {
        self.files
            .iter()
            .find(|f| f.location == location && f.sfi == Some(sfi))
    }

    /// Checks the profile is one a chip can run.
    ///
    /// # Errors
    /// [`ChipError::InvalidProfile`] naming the first problem: AID not 5..=16 bytes, more than
    /// [`MAX_PROFILE_FILES`] files, the MF's FID `3F00` or a duplicate FID, an SFI duplicated
    /// in one location, a maximum size of 0 or above [`MAX_EF_SIZE`]. ([`Fid`] and [`Sfi`]
    /// already exclude the other reserved FIDs and SFIs outside 1..=30.)
    pub fn validate(&self) -> Result<(), ChipError> {
        let bad = |what: &'static str| Err(ChipError::InvalidProfile { what });
        if !(5..=16).contains(&self.aid.len()) {
            return bad("AID must be 5 to 16 bytes");
        }
        if self.files.len() > MAX_PROFILE_FILES {
            return bad("too many files");
        }
        for (i, f) in self.files.iter().enumerate() {
            if f.fid == Fid::MF {
                return bad("reserved file identifier");
            }
            if f.max_size == 0 || f.max_size > MAX_EF_SIZE {
                return bad("maximum file size must be 1..=65535");
            }
            for g in self.files.iter().skip(i.saturating_add(1)) {
                if g.fid == f.fid {
                    return bad("duplicate file identifier");
                }
                if g.location == f.location && g.sfi.is_some() && g.sfi == f.sfi {
                    return bad("duplicate short EF identifier");
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ektp_profile_is_valid_and_complete() {
        let p = ChipProfile::ektp().unwrap();
        p.validate().unwrap();
        let fid = |v| Fid::new(v).unwrap();
        let sfi = |v| Sfi::new(v).unwrap();
        assert_eq!(p.file(fid(0x011C)).unwrap().location, Location::Mf);
        assert_eq!(p.file(fid(0x0103)).unwrap().access, Access::TerminalAuth);
        assert_eq!(
            p.file_by_sfi(Location::Application, sfi(0x0B))
                .unwrap()
                .name,
            "EF.DG11"
        );
        assert!(p.file_by_sfi(Location::Application, sfi(0x1C)).is_none());
    }

    #[test]
    fn validation_rejects_bad_profiles() {
        let mut p = ChipProfile::ektp().unwrap();
        p.files[1].fid = Fid::new(0x0101).unwrap();
        assert!(p.validate().is_err());
        let mut p = ChipProfile::ektp().unwrap();
        p.files[1].fid = Fid::MF;
        assert!(p.validate().is_err());
        // An SFI outside 1..=30 cannot even be read back into a profile.
        let mut v = serde_json::to_value(ChipProfile::ektp().unwrap()).unwrap();
        v["files"][2]["sfi"] = 31.into();
        assert!(serde_json::from_value::<ChipProfile>(v).is_err());
        let mut p = ChipProfile::ektp().unwrap();
        p.files[2].sfi = p.files[3].sfi;
        assert!(p.validate().is_err());
        let mut p = ChipProfile::ektp().unwrap();
        p.files[2].max_size = 70000;
        assert!(p.validate().is_err());
        let mut p = ChipProfile::ektp().unwrap();
        p.aid = vec![1, 2];
        assert!(p.validate().is_err());
    }
}
