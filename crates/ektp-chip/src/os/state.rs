//! The chip's persistent state (what survives power loss) and its atomic file storage.
//!
//! The state is JSON so a virtual card can be inspected, but it holds the chip's secrets in
//! clear (personalization keys, CAN, Active Authentication private key): it is for TEST
//! chips only, which is all a virtual chip is.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use ektp_iso7816::Fid;
use ektp_lds::Lifecycle;

use crate::error::ChipError;
use crate::os::profile::ChipProfile;

/// Version of the state file format this chip writes and reads.
pub const STATE_FORMAT: u32 = 1;

/// Largest state file [`crate::os::Chip::load`] reads.
pub const MAX_STATE_FILE_LEN: u64 = 4 * 1024 * 1024;

/// Written into every state file so nobody mistakes it for something safe to share.
const STATE_NOTE: &str =
    "TEST ONLY virtual e-KTP chip state: holds the chip's private keys and CAN in clear";

/// Consecutive failed personalization authentications after which the key is blocked.
pub const MAX_PERSO_FAILURES: u32 = 10;

/// One created elementary file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredFile {
    #[serde(with = "crate::os::idser::fid")]
    pub(crate) fid: Fid,
    #[serde(with = "crate::os::hexser")]
    pub(crate) data: Vec<u8>,
}

/// Everything the chip keeps across power loss.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) format: u32,
    pub(crate) note: String,
    #[serde(with = "crate::os::hexser")]
    pub(crate) serial: Vec<u8>,
    pub(crate) lifecycle: Lifecycle,
    pub(crate) profile: ChipProfile,
    #[serde(with = "crate::os::hexser")]
    pub(crate) perso_k_enc: Vec<u8>,
    #[serde(with = "crate::os::hexser")]
    pub(crate) perso_k_mac: Vec<u8>,
    pub(crate) perso_failures: u32,
    pub(crate) pace_failures: u32,
    pub(crate) can: Option<String>,
    #[serde(with = "opt_hex")]
    pub(crate) aa_private_key: Option<Vec<u8>>,
    pub(crate) files: Vec<StoredFile>,
    /// The Chip Authentication private key (P-256 scalar), generated on the chip.
    #[serde(default, with = "opt_hex")]
    pub(crate) ca_private_key: Option<Vec<u8>>,
    /// CVCA trust points for Terminal Authentication (personalization, link certificates).
    #[serde(default)]
    pub(crate) cvca_trust_points: Vec<crate::os::eac::StoredTrustPoint>,
    /// The chip's current date (YYMMDD) for certificate expiry; moves only forward.
    #[serde(default)]
    pub(crate) cv_date: Option<String>,
}

impl Drop for State {
    fn drop(&mut self) {
        self.perso_k_enc.zeroize();
        self.perso_k_mac.zeroize();
        if let Some(can) = self.can.as_mut() {
            can.zeroize();
        }
        if let Some(k) = self.aa_private_key.as_mut() {
            k.zeroize();
        }
        if let Some(k) = self.ca_private_key.as_mut() {
            k.zeroize();
        }
    }
}

mod opt_hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_some(&hex::encode(b)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| hex::decode(s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

impl State {
    pub(crate) fn blank(serial: [u8; 8], k_enc: &[u8], k_mac: &[u8], profile: ChipProfile) -> Self {
        Self {
            format: STATE_FORMAT,
            note: STATE_NOTE.to_owned(),
            serial: serial.to_vec(),
            lifecycle: Lifecycle::Blank,
            profile,
            perso_k_enc: k_enc.to_vec(),
            perso_k_mac: k_mac.to_vec(),
            perso_failures: 0,
            pace_failures: 0,
            can: None,
            aa_private_key: None,
            files: Vec::new(),
            ca_private_key: None,
            cvca_trust_points: Vec::new(),
            cv_date: None,
        }
    }

    pub(crate) fn file(&self, fid: Fid) -> Option<&StoredFile> {
        self.files.iter().find(|f| f.fid == fid)
    }

    pub(crate) fn file_mut(&mut self, fid: Fid) -> Option<&mut StoredFile> {
        self.files.iter_mut().find(|f| f.fid == fid)
    }

    /// Checks invariants a loaded file must meet; `what` names the first violation.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        if self.format != STATE_FORMAT {
            return Err("unsupported state format version");
        }
        if self.serial.len() != 8 {
            return Err("serial must be 8 bytes");
        }
        if self.perso_k_enc.len() != 32 || self.perso_k_mac.len() != 32 {
            return Err("personalization keys must be 32 bytes each");
        }
        self.profile
            .validate()
            .map_err(|_| "the embedded card profile is invalid")?;
        if let Some(can) = &self.can
            && (can.len() != 6 || !can.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err("CAN must be six digits");
        }
        if self.aa_private_key.as_ref().is_some_and(|k| k.len() != 32) {
            return Err("Active Authentication key must be 32 bytes");
        }
        if self.ca_private_key.as_ref().is_some_and(|k| k.len() != 32) {
            return Err("Chip Authentication key must be 32 bytes");
        }
        if self.cvca_trust_points.len() > crate::os::eac::MAX_TRUST_POINTS
            || !self.cvca_trust_points.iter().all(|t| t.is_valid())
        {
            return Err("CVCA trust points malformed or too many");
        }
        if self
            .cv_date
            .as_deref()
            .is_some_and(|d| ektp_pki::cvc::CvDate::from_yymmdd(d).is_err())
        {
            return Err("the chip's date must be YYMMDD");
        }
        if self.lifecycle == Lifecycle::Blank
            && (self.can.is_some() || self.aa_private_key.is_some() || !self.files.is_empty())
        {
            return Err("a blank chip holds no files, CAN or key");
        }
        for (i, f) in self.files.iter().enumerate() {
            let spec = self
                .profile
                .file(f.fid)
                .ok_or("a file is not in the card profile")?;
            if u32::try_from(f.data.len()).map_or(true, |n| n > spec.max_size) {
                return Err("a file is larger than the profile allows");
            }
            if self
                .files
                .iter()
                .skip(i.saturating_add(1))
                .any(|g| g.fid == f.fid)
            {
                return Err("a file appears twice");
            }
        }
        Ok(())
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        // Serializing plain data with string keys cannot fail; an empty Vec would be caught
        // by `check` when read back.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub(crate) fn from_json(bytes: &[u8], path: &Path) -> Result<Self, ChipError> {
        let state: Self = serde_json::from_slice(bytes).map_err(|e| ChipError::Malformed {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
        })?;
        state.check().map_err(|what| ChipError::Inconsistent {
            path: path.to_owned(),
            what,
        })?;
        Ok(state)
    }

    /// Writes the state atomically and privately ([`ektp_fs::write_private`]): mode 0600,
    /// an `O_EXCL|O_NOFOLLOW` temporary with an unpredictable name beside `path` (a planted
    /// symlink is never followed), fsync, rename over `path`, fsync of the directory. A crash
    /// leaves either the old or the new file.
    pub(crate) fn save(&self, path: &Path) -> Result<(), ChipError> {
        let json = zeroize::Zeroizing::new(self.to_json());
        ektp_fs::write_private(path, &json)?;
        Ok(())
    }

    pub(crate) fn load(path: &Path) -> Result<Self, ChipError> {
        let io = |source| ChipError::Io {
            path: path.to_owned(),
            source,
        };
        let f = File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        f.take(MAX_STATE_FILE_LEN.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if u64::try_from(bytes.len()).map_or(true, |n| n > MAX_STATE_FILE_LEN) {
            return Err(ChipError::TooLarge {
                path: path.to_owned(),
                max: MAX_STATE_FILE_LEN,
            });
        }
        Self::from_json(&bytes, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> State {
        State::blank([1; 8], &[2; 32], &[3; 32], ChipProfile::ektp().unwrap())
    }

    #[test]
    fn json_round_trip_and_checks() {
        let s = blank();
        let back = State::from_json(&s.to_json(), Path::new("x")).unwrap();
        assert!(back == s);
        let mut bad = blank();
        bad.serial.pop();
        assert!(matches!(
            State::from_json(&bad.to_json(), Path::new("x")),
            Err(ChipError::Inconsistent { .. })
        ));
        let mut bad = blank();
        bad.lifecycle = Lifecycle::Personalizing;
        bad.files.push(StoredFile {
            fid: Fid::new(0x0101).unwrap(),
            data: vec![0; 300],
        });
        assert!(State::from_json(&bad.to_json(), Path::new("x")).is_err());
        assert!(matches!(
            State::from_json(b"{\"format\": ", Path::new("x")),
            Err(ChipError::Malformed { line: 1, .. })
        ));
    }

    #[test]
    fn save_is_atomic_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chip.json");
        let s = blank();
        s.save(&path).unwrap();
        assert!(!dir.path().join("chip.json.tmp").exists());
        assert!(State::load(&path).unwrap() == s);
        std::fs::write(&path, vec![b' '; 5 * 1024 * 1024]).unwrap();
        assert!(matches!(
            State::load(&path),
            Err(ChipError::TooLarge { .. })
        ));
    }
}
