//! The e-KTP card profile: which files the chip holds, where, how big, and who may read them.
//!
//! The profile is a data file, `cards/profile/ektp-profile.json`, embedded at build time
//! ([`CardProfile::default_ektp`]) and documented field by field in `docs/card-profile.md`.

use std::collections::HashSet;

use ektp_iso7816::{Fid, Sfi};
use serde::Deserialize;

use crate::dg::{DgNumber, LdsFile};

static EKTP_PROFILE_JSON: &str = include_str!("../../../cards/profile/ektp-profile.json");

/// The format tag a profile file must carry.
pub const PROFILE_FORMAT: &str = "ektp-card-profile/1";
/// Largest `max_size` a profile may give a file.
pub const MAX_PROFILE_FILE_SIZE: usize = 64 * 1024;

/// What is wrong with a profile file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// Not JSON of the profile's shape (unknown fields are rejected).
    #[error("not a valid profile document: {0}")]
    Json(#[from] serde_json::Error),
    /// `format` is not [`PROFILE_FORMAT`].
    #[error("unsupported profile format (expected \"ektp-card-profile/1\")")]
    Format,
    /// The AID is not 5..=16 bytes of hex.
    #[error("aid must be 5 to 16 bytes in hex")]
    Aid,
    /// A file's FID is not 4 hex digits or is reserved.
    #[error("{file}: fid must be 4 hex digits, not 3FFF/FFFF")]
    Fid {
        /// The file.
        file: LdsFile,
    },
    /// A file's SFI is not 2 hex digits in 01..=1E.
    #[error("{file}: sfi must be 2 hex digits 01..1E")]
    Sfi {
        /// The file.
        file: LdsFile,
    },
    /// A file's `max_size` is 0 or above [`MAX_PROFILE_FILE_SIZE`].
    #[error("{file}: max_size must be 1..=65536")]
    MaxSize {
        /// The file.
        file: LdsFile,
    },
    /// `content` names no known file.
    #[error("unknown file content {0:?} (CardAccess, COM, SOD, DG1..DG16)")]
    Content(String),
    /// Two files share a content, FID or SFI within the same DF.
    #[error("{file}: content, fid or sfi used twice")]
    Duplicate {
        /// The second file with the clash.
        file: LdsFile,
    },
    /// A file the e-KTP needs is missing.
    #[error("{0} is missing from the profile")]
    Missing(LdsFile),
    /// PACE parameters are inconsistent.
    #[error("pace: {0}")]
    Pace(&'static str),
    /// `issuing_state` is not an ICAO 9303-3 alpha-3 code ektp can map to the alpha-2 code
    /// certificates carry.
    #[error(
        "issuing_state {0:?} is not a country code ektp knows (use the ICAO 9303-3 alpha-3 code, e.g. \"IDN\")"
    )]
    IssuingState(String),
}

/// ICAO 9303-3 alpha-3 issuing-state codes (DG1) and the ISO 3166-1 alpha-2 codes of the
/// same states (the `countryName` of CSCA and document signer certificates, ICAO 9303-12
/// §7.1.1). Only the states ektp has a reason to name; any other code fails closed.
const COUNTRIES: [(&str, &str); 12] = [
    ("IDN", "ID"),
    ("MYS", "MY"),
    ("SGP", "SG"),
    ("THA", "TH"),
    ("PHL", "PH"),
    ("BRN", "BN"),
    ("VNM", "VN"),
    ("KHM", "KH"),
    ("LAO", "LA"),
    ("MMR", "MM"),
    ("TLS", "TL"),
    ("AUS", "AU"),
];

/// The ISO 3166-1 alpha-2 code (certificates' `countryName`) of an ICAO 9303-3 alpha-3
/// issuing state (DG1), if ektp knows it: `alpha2_of("IDN") == Some("ID")`.
pub fn alpha2_of(alpha3: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(a3, _)| *a3 == alpha3)
        .map(|(_, a2)| *a2)
}

/// The dedicated file a file lives in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Df {
    /// The master file (EF.CardAccess).
    #[serde(rename = "MF")]
    Mf,
    /// The LDS1 application selected by [`CardProfile::aid`].
    #[serde(rename = "LDS")]
    Lds,
}

/// What a reader must have done before READ BINARY succeeds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadAccess {
    /// No condition (plain APDUs allowed).
    Always,
    /// A PACE channel established with the CAN; reads under secure messaging.
    Pace,
    /// PACE plus terminal authentication (EAC) — biometric data that only authorised
    /// terminals may read.
    TerminalAuth,
}

/// Who may write the file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WriteAccess {
    /// Only the printing station during personalization; never after the card is locked.
    Personalization,
}

/// How the delay after a wrong CAN grows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DelayPolicy {
    /// Each further failure doubles the delay, up to the maximum.
    Doubling,
}

/// How the chip throttles wrong CANs (ICAO 9303-11 §4.4: the CAN is non-blocking, so the
/// chip slows attackers down instead of blocking). The profile JSON's `pace` section.
///
/// Not the PACE protocol parameters (curve and cipher): those are `ektp_sm::PaceParams`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WrongCanThrottle {
    /// Number of CAN digits.
    pub can_digits: u8,
    /// Consecutive wrong CANs answered without delay.
    pub free_attempts: u8,
    /// Delay before answering the first attempt after the free ones, in milliseconds.
    pub delay_initial_ms: u32,
    /// Largest delay, in milliseconds.
    pub delay_max_ms: u32,
    /// How the delay grows.
    pub delay_policy: DelayPolicy,
}

impl WrongCanThrottle {
    /// The delay (ms) the chip waits before answering after `failures` consecutive wrong CANs.
    pub fn delay_after(&self, failures: u32) -> u32 {
        let free = u32::from(self.free_attempts);
        if failures < free {
            return 0;
        }
        let steps = failures.saturating_sub(free).min(31);
        match self.delay_policy {
            DelayPolicy::Doubling => self
                .delay_initial_ms
                .saturating_mul(1u32.checked_shl(steps).unwrap_or(u32::MAX))
                .min(self.delay_max_ms),
        }
    }
}

/// One file of the profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSpec {
    /// Human name (`EF.DG1`).
    pub name: String,
    /// Which file it is.
    pub file: LdsFile,
    /// The DF it lives in.
    pub df: Df,
    /// File identifier.
    pub fid: Fid,
    /// Short EF identifier.
    pub sfi: Sfi,
    /// Largest content in bytes. Personalization creates each EF at its content's exact size
    /// (docs/personalization.md); the chip refuses CREATE FILE above this size with `6A84`.
    pub max_size: usize,
    /// Read condition.
    pub read: ReadAccess,
    /// Write condition.
    pub write: WriteAccess,
    /// Every issued card carries this file. For a data group: its EF.SOD must sign it, and a
    /// pickup desk refuses a card whose EF.SOD does not (a missing portrait is a forgery, not
    /// an option).
    pub required: bool,
}

/// The card profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardProfile {
    /// Profile name.
    pub name: String,
    /// AID of the LDS1 application (`A0000002471001`).
    pub aid: Vec<u8>,
    /// The issuing state every card of this profile carries in DG1, ICAO 9303-3 alpha-3
    /// (`IDN`).
    pub issuing_state: String,
    /// The same state as ISO 3166-1 alpha-2 (`ID`): the `countryName` its CSCA and document
    /// signers must carry (ICAO 9303-11 / BSI TR-03135).
    pub issuing_country: String,
    /// Wrong-CAN throttling (the JSON `pace` section).
    pub pace: WrongCanThrottle,
    /// The files, in profile order.
    pub files: Vec<FileSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    format: String,
    name: String,
    aid: String,
    issuing_state: String,
    pace: RawPace,
    files: Vec<RawFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPace {
    password: String,
    can_digits: u8,
    free_attempts: u8,
    delay_initial_ms: u32,
    delay_max_ms: u32,
    delay_policy: DelayPolicy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: String,
    content: String,
    df: Df,
    fid: String,
    sfi: String,
    max_size: usize,
    read: ReadAccess,
    write: WriteAccess,
    required: bool,
}

fn parse_content(s: &str) -> Option<LdsFile> {
    match s {
        "CardAccess" => Some(LdsFile::CardAccess),
        "COM" => Some(LdsFile::Com),
        "SOD" => Some(LdsFile::Sod),
        _ => {
            let n: u8 = s.strip_prefix("DG")?.parse().ok()?;
            DgNumber::new(n).map(LdsFile::Dg)
        }
    }
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i.checked_add(2)?)?, 16).ok())
        .collect()
}

impl CardProfile {
    /// The e-KTP profile shipped in `cards/profile/ektp-profile.json`.
    ///
    /// # Errors
    /// A [`ProfileError`] only if the embedded file is broken (tests guard against that).
    pub fn default_ektp() -> Result<Self, ProfileError> {
        Self::from_json(EKTP_PROFILE_JSON)
    }

    /// Parses and checks a profile document: format tag, AID, unique and valid FID/SFI per DF,
    /// sizes, and that EF.CardAccess, EF.COM, EF.SOD and DG1, 2, 3, 7, 11-15 are present.
    ///
    /// # Errors
    /// A [`ProfileError`] naming the first problem.
    pub fn from_json(json: &str) -> Result<Self, ProfileError> {
        let raw: RawProfile = serde_json::from_str(json)?;
        if raw.format != PROFILE_FORMAT {
            return Err(ProfileError::Format);
        }
        let aid = hex_bytes(&raw.aid)
            .filter(|a| (5..=16).contains(&a.len()))
            .ok_or(ProfileError::Aid)?;
        let issuing_country = alpha2_of(&raw.issuing_state)
            .ok_or_else(|| ProfileError::IssuingState(raw.issuing_state.clone()))?
            .to_owned();
        if raw.pace.password != "CAN" {
            return Err(ProfileError::Pace("password must be \"CAN\""));
        }
        if raw.pace.can_digits != 6 {
            return Err(ProfileError::Pace("can_digits must be 6"));
        }
        if raw.pace.delay_initial_ms > raw.pace.delay_max_ms {
            return Err(ProfileError::Pace("delay_initial_ms above delay_max_ms"));
        }
        let mut files = Vec::with_capacity(raw.files.len());
        let mut seen = HashSet::new();
        for f in raw.files {
            let file = parse_content(&f.content).ok_or(ProfileError::Content(f.content))?;
            let fid = u16::from_str_radix(&f.fid, 16)
                .ok()
                .filter(|_| f.fid.len() == 4)
                .and_then(|v| Fid::new(v).ok())
                .ok_or(ProfileError::Fid { file })?;
            let sfi = u8::from_str_radix(&f.sfi, 16)
                .ok()
                .filter(|_| f.sfi.len() == 2)
                .and_then(|v| Sfi::new(v).ok())
                .ok_or(ProfileError::Sfi { file })?;
            if f.max_size == 0 || f.max_size > MAX_PROFILE_FILE_SIZE {
                return Err(ProfileError::MaxSize { file });
            }
            let fresh = seen.insert(("content", format!("{file}")))
                & seen.insert(("fid", format!("{:?}{fid}", f.df)))
                & seen.insert(("sfi", format!("{:?}{sfi}", f.df)));
            if !fresh {
                return Err(ProfileError::Duplicate { file });
            }
            files.push(FileSpec {
                name: f.name,
                file,
                df: f.df,
                fid,
                sfi,
                max_size: f.max_size,
                read: f.read,
                write: f.write,
                required: f.required,
            });
        }
        let profile = Self {
            name: raw.name,
            aid,
            issuing_state: raw.issuing_state,
            issuing_country,
            pace: WrongCanThrottle {
                can_digits: raw.pace.can_digits,
                free_attempts: raw.pace.free_attempts,
                delay_initial_ms: raw.pace.delay_initial_ms,
                delay_max_ms: raw.pace.delay_max_ms,
                delay_policy: raw.pace.delay_policy,
            },
            files,
        };
        let required = [LdsFile::CardAccess, LdsFile::Com, LdsFile::Sod]
            .into_iter()
            .chain(DgNumber::EKTP.into_iter().map(LdsFile::Dg));
        for f in required {
            if profile.file(f).is_none() {
                return Err(ProfileError::Missing(f));
            }
        }
        Ok(profile)
    }

    /// The spec of `file`, if the profile has it.
    pub fn file(&self, file: LdsFile) -> Option<&FileSpec> {
        self.files.iter().find(|f| f.file == file)
    }

    /// The data groups every issued card carries (`"required": true`), in profile order.
    pub fn required_data_groups(&self) -> Vec<DgNumber> {
        self.files
            .iter()
            .filter(|f| f.required)
            .filter_map(|f| match f.file {
                LdsFile::Dg(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    /// The spec of a data group.
    pub fn dg(&self, dg: DgNumber) -> Option<&FileSpec> {
        self.file(LdsFile::Dg(dg))
    }

    /// The file with this FID in `df`.
    pub fn by_fid(&self, df: Df, fid: Fid) -> Option<&FileSpec> {
        self.files.iter().find(|f| f.df == df && f.fid == fid)
    }

    /// The file with this SFI in `df`.
    pub fn by_sfi(&self, df: Df, sfi: Sfi) -> Option<&FileSpec> {
        self.files.iter().find(|f| f.df == df && f.sfi == sfi)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn embedded_profile() {
        let p = CardProfile::default_ektp().unwrap();
        assert_eq!(p.aid, vec![0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]);
        let ca = p.file(LdsFile::CardAccess).unwrap();
        assert_eq!(
            (ca.fid.value(), ca.sfi.value(), ca.df),
            (0x011C, 0x1C, Df::Mf)
        );
        assert_eq!(ca.read, ReadAccess::Always);
        let com = p.file(LdsFile::Com).unwrap();
        assert_eq!((com.fid.value(), com.sfi.value()), (0x011E, 0x1E));
        let sod = p.file(LdsFile::Sod).unwrap();
        assert_eq!((sod.fid.value(), sod.sfi.value()), (0x011D, 0x1D));
        for dg in DgNumber::EKTP {
            let f = p.dg(dg).unwrap();
            assert_eq!(f.fid.value(), 0x0100 + u16::from(dg.value()));
            assert_eq!(f.sfi.value(), dg.value());
        }
        assert_eq!(p.dg(DgNumber::DG3).unwrap().read, ReadAccess::TerminalAuth);
        assert_eq!(p.dg(DgNumber::DG1).unwrap().read, ReadAccess::Pace);
        assert_eq!(
            p.by_sfi(Df::Lds, Sfi::new(0x0B).unwrap()).unwrap().file,
            LdsFile::Dg(DgNumber::DG11)
        );
        assert!(p.by_fid(Df::Mf, Fid::new(0x0101).unwrap()).is_none());
        assert_eq!(
            (p.issuing_state.as_str(), p.issuing_country.as_str()),
            ("IDN", "ID")
        );
        assert_eq!(p.required_data_groups(), DgNumber::EKTP.to_vec());
        assert!(p.file(LdsFile::Sod).unwrap().required);
    }

    #[test]
    fn pace_delays() {
        let p = CardProfile::default_ektp().unwrap().pace;
        assert_eq!(p.delay_after(0), 0);
        assert_eq!(p.delay_after(2), 0);
        assert_eq!(p.delay_after(3), 1000);
        assert_eq!(p.delay_after(4), 2000);
        assert_eq!(p.delay_after(100), 60000);
    }

    #[test]
    fn broken_profiles() {
        let good = EKTP_PROFILE_JSON;
        let dup = good.replace("\"fid\": \"0102\"", "\"fid\": \"0101\"");
        assert!(matches!(
            CardProfile::from_json(&dup),
            Err(ProfileError::Duplicate { .. })
        ));
        let unknown = good.replacen("\"aid\"", "\"colour\": 1, \"aid\"", 1);
        assert!(matches!(
            CardProfile::from_json(&unknown),
            Err(ProfileError::Json(_))
        ));
        let bad_sfi = good.replace("\"sfi\": \"0F\"", "\"sfi\": \"1F\"");
        assert!(matches!(
            CardProfile::from_json(&bad_sfi),
            Err(ProfileError::Sfi { .. })
        ));
        let missing = good.replace("\"content\": \"DG13\"", "\"content\": \"DG16\"");
        assert!(matches!(
            CardProfile::from_json(&missing),
            Err(ProfileError::Missing(LdsFile::Dg(DgNumber::DG13)))
        ));
        let optional_signature = good.replacen(
            "\"personalization\", \"required\": true }",
            "\"personalization\", \"required\": false }",
            6,
        );
        let p = CardProfile::from_json(&optional_signature).unwrap();
        assert!(!p.required_data_groups().contains(&DgNumber::DG7));
        assert!(p.required_data_groups().contains(&DgNumber::DG11));
        let unknown_state = good.replace("\"IDN\"", "\"XXX\"");
        assert!(matches!(
            CardProfile::from_json(&unknown_state),
            Err(ProfileError::IssuingState(s)) if s == "XXX"
        ));
        let bad_aid = good.replace("A0000002471001", "A000");
        assert!(matches!(
            CardProfile::from_json(&bad_aid),
            Err(ProfileError::Aid)
        ));
    }
}
