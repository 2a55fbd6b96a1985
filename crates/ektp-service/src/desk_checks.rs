//! What the desk checks beyond the card itself, each when the service is configured for it:
//! the application the card must carry (by its id in an applications directory), the
//! issuance registry (through `ektp-registry`, the same check as `ektp verify --registry`),
//! and the holder's finger matched against DG3 through Terminal Authentication.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use ektp::Application;
use ektp::fingerprint::{AttemptLimit, FingerPosition, LiveCapture, Print, Threshold};
use ektp_pki::cvc::{CvCertificate, CvSigner};
use serde::Deserialize;

use crate::api::ApiError;

/// The largest live capture accepted (decoded bytes): a 500 ppi grayscale PNG of one finger
/// is tens of KB; the base64 text is checked against this before it is decoded.
pub const MAX_CAPTURE_BYTES: usize = 1024 * 1024;

/// The most captures one request may carry (the card session's attempt limit counts them).
pub const MAX_CAPTURES: usize = 4;

/// The longest application id (a queue's file or folder name).
const MAX_APPLICATION_ID: usize = 100;

/// The terminal (inspection system) the service authenticates with to open DG3: its CV
/// certificate chain (CVCA links, DV, then its own) and its key.
pub struct DeskTerminal {
    /// The chain, in the order the chip verifies it.
    pub chain: Vec<CvCertificate>,
    /// The terminal's key.
    pub signer: Box<dyn CvSigner + Send + Sync>,
}

impl core::fmt::Debug for DeskTerminal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DeskTerminal(<redacted>)")
    }
}

impl DeskTerminal {
    pub(crate) fn terminal(&self) -> ektp::Terminal<'_> {
        ektp::Terminal {
            chain: &self.chain,
            signer: self.signer.as_ref(),
        }
    }
}

/// The issuance registry the desk checks against and records handovers in.
pub struct DeskRegistry {
    /// The PostgreSQL connection string (`ektp-registry`; may hold a password: never shown).
    pub url: String,
    /// This desk's name, recorded with each handover.
    pub desk: String,
}

impl core::fmt::Debug for DeskRegistry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeskRegistry")
            .field("desk", &self.desk)
            .finish_non_exhaustive()
    }
}

/// What the desk checks beyond the card; every part optional.
#[derive(Debug)]
pub struct DeskSetup {
    /// Applications the card may be checked against, laid out as a station's queue
    /// (`ID.json`, or `ID/application.json` with its images): `/api/verify`'s `application`
    /// names one by its id.
    pub applications: Option<PathBuf>,
    /// The issuance registry.
    pub registry: Option<DeskRegistry>,
    /// The terminal for the fingerprint step; without it the page offers no fingerprint step.
    pub terminal: Option<DeskTerminal>,
    /// The fingerprint decision threshold.
    pub threshold: Threshold,
    /// Captures matched per card, counted across `/api/verify` requests (the service's
    /// attempt ledger: refused once used, for 15 minutes after the last attempt or until the
    /// service restarts; a match ends the count).
    pub attempts: AttemptLimit,
}

impl Default for DeskSetup {
    fn default() -> Self {
        Self {
            applications: None,
            registry: None,
            terminal: None,
            threshold: Threshold::DEFAULT,
            attempts: AttemptLimit::DEFAULT,
        }
    }
}

/// One live capture in a request: `{"finger": "right-index", "png": "<base64>"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FingerCapture {
    finger: String,
    png: String,
}

/// What a `verify` request asks beyond the CAN.
#[derive(Debug, Default)]
pub(crate) struct VerifyExtras {
    pub application: Option<String>,
    pub captures: Vec<LiveCapture>,
    pub power_of_attorney: Option<String>,
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message)
}

impl VerifyExtras {
    /// Checks and decodes the request's extras before the card is touched.
    pub fn from_request(
        application: Option<String>,
        fingers: &[FingerCapture],
        power_of_attorney: Option<String>,
    ) -> Result<Self, ApiError> {
        if fingers.len() > MAX_CAPTURES {
            return Err(bad(
                "bad_finger",
                format!("at most {MAX_CAPTURES} captures in one request"),
            ));
        }
        let captures = fingers
            .iter()
            .map(|f| {
                let finger = match f.finger.as_str() {
                    "right-index" | "right_index" => FingerPosition::RightIndex,
                    "left-index" | "left_index" => FingerPosition::LeftIndex,
                    _ => {
                        return Err(bad(
                            "bad_finger",
                            "finger: the e-KTP holds right-index and left-index only",
                        ));
                    }
                };
                let print = decode_capture(&f.png)?;
                Ok(LiveCapture { finger, print })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(id) = &application
            && !valid_id(id)
        {
            return Err(bad(
                "unknown_application",
                "application: an id is a queue file or folder name (letters, digits, '.', '-', \
                 '_')",
            ));
        }
        let power_of_attorney = power_of_attorney.filter(|r| !r.trim().is_empty());
        if power_of_attorney.as_ref().is_some_and(|r| r.len() > 200) {
            return Err(bad(
                "bad_request",
                "power_of_attorney: at most 200 characters",
            ));
        }
        Ok(Self {
            application,
            captures,
            power_of_attorney,
        })
    }
}

/// A base64 PNG (or ISO/IEC 19794-2 record) within [`MAX_CAPTURE_BYTES`], decoded.
fn decode_capture(b64: &str) -> Result<Print, ApiError> {
    if b64.len() > MAX_CAPTURE_BYTES.div_ceil(3).saturating_mul(4) {
        return Err(bad(
            "bad_finger",
            format!("the capture is larger than {MAX_CAPTURE_BYTES} bytes"),
        ));
    }
    let mut bytes = base64_decode(b64)
        .ok_or_else(|| bad("bad_finger", "the capture is not base64 (RFC 4648)"))?;
    let print = Print::from_bytes(&bytes).map_err(|e| {
        bad(
            "bad_finger",
            format!("the capture is neither a usable fingerprint image nor a record: {e}"),
        )
    });
    zeroize::Zeroize::zeroize(&mut bytes);
    print
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_APPLICATION_ID
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The application `id` in `dir`: `dir/ID/application.json`, else `dir/ID.json`.
pub(crate) fn load_application(dir: Option<&Path>, id: &str) -> Result<Application, ApiError> {
    let Some(dir) = dir else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_applications",
            "the service has no applications directory: start it with --applications DIR",
        ));
    };
    let id = id.strip_suffix(".json").unwrap_or(id);
    let candidates = [
        dir.join(id).join("application.json"),
        dir.join(format!("{id}.json")),
    ];
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_application",
            format!("no application {id:?} in the applications directory"),
        ));
    };
    ektp::load_application(path).map_err(|e| {
        ApiError::new(
            StatusCode::CONFLICT,
            "bad_application",
            format!("the application {id:?} is not valid: {e}"),
        )
    })
}

/// Standard base64 (RFC 4648 §4), padding optional: the `base64` crate's standard alphabet.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Standard base64 (RFC 4648 §4), padding optional; `None` for any other character.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&BASE64, s.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_rfc4648_and_refuses_other_characters() {
        for (plain, b64) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_decode(b64).unwrap(), plain.as_bytes(), "{b64}");
        }
        assert!(base64_decode("Zm9v!").is_none());
        assert!(base64_decode("Z").is_none());
    }

    #[test]
    fn application_ids_are_names_not_paths() {
        assert!(valid_id("0001-budi"));
        assert!(valid_id("potret-icao"));
        for bad in ["", "../etc", "a/b", ".hidden", "a b"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
