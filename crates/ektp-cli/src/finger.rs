//! Fingerprints at the desk: the `--finger FINGER=FILE` live captures of `verify`, prints read
//! from files for `ektp match`, and the station's threshold and attempt limit
//! (`fingerprint_threshold`, `fingerprint_attempts` in the config; defaults 40 and 4).
//!
//! A live capture is read into memory from the file the scanner left and never copied,
//! written or logged: the report carries the finger, the score and the attempt only.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Args;
use ektp::fingerprint::{
    self, AttemptLimit, FingerPosition, FingerprintReport, LiveCapture, MatchSession, NoDg3, Print,
    QualityGate, Threshold,
};
use ektp::{CardFiles, CheckKind, VerifyReport};

use crate::config::Global;
use crate::exit::{Fail, Tag as _};
use ektp::Message;

/// `--finger FINGER=FILE`, repeatable.
#[derive(Debug, Clone, Args)]
pub struct FingerArgs {
    /// A live capture of the holder's finger for the fingerprint check: FINGER is right-index
    /// or left-index, FILE a 500 ppi 8-bit grayscale PNG or an ISO/IEC 19794-2 record. Repeat
    /// for further attempts (each counts against the attempt limit of the card session). Needs
    /// a terminal (--terminal-cert …) to open DG3
    #[arg(long = "finger", value_name = "FINGER=FILE")]
    pub fingers: Vec<String>,
}

/// The finger a `--finger` value names.
fn finger(name: &str) -> Option<FingerPosition> {
    match name {
        "right-index" | "right_index" => Some(FingerPosition::RightIndex),
        "left-index" | "left_index" => Some(FingerPosition::LeftIndex),
        _ => None,
    }
}

/// Reads a print (PNG or 19794-2 record) from `path`, at most `MAX_PNG_BYTES`.
pub fn read_print(path: &Path) -> Result<Print, Fail> {
    let max = ektp_bio::image::MAX_PNG_BYTES;
    let file = std::fs::File::open(path)
        .or_config_said(|| Message::new("cli-err-read").arg("path", path.display()))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .or_config_said(|| Message::new("cli-err-read").arg("path", path.display()))?;
    let print = Print::from_bytes(&bytes).map_err(|e| {
        Fail::config_said(
            Message::new("cli-err-print-unusable")
                .arg("path", path.display())
                .arg("detail", e),
        )
    });
    zeroize::Zeroize::zeroize(&mut bytes);
    print
}

/// The live captures of `args`, in order; a usage error before the card is touched for a
/// malformed value, a file error for an unreadable print.
pub fn load_captures(args: &FingerArgs) -> Result<Vec<LiveCapture>, Fail> {
    args.fingers
        .iter()
        .map(|value| {
            let (name, file) = value.split_once('=').ok_or_else(|| {
                Fail::usage_said(Message::new("cli-err-finger-syntax").arg("value", value))
            })?;
            let finger = finger(name).ok_or_else(|| {
                Fail::usage_said(Message::new("cli-err-finger-which").arg("value", value))
            })?;
            Ok(LiveCapture {
                finger,
                print: read_print(&PathBuf::from(file))?,
            })
        })
        .collect()
}

/// The decision threshold: `--threshold`, else the config's, else 40.
pub fn threshold(given: Option<u32>, global: &Global) -> Threshold {
    given
        .or(global.config.fingerprint_threshold)
        .map_or(Threshold::DEFAULT, Threshold)
}

/// A card session's fingerprint check with the station's threshold and attempt limit.
pub fn match_session(global: &Global) -> Result<MatchSession, Fail> {
    let limit = match global.config.fingerprint_attempts {
        Some(n) => AttemptLimit::new(n).map_err(|_| {
            Fail::config(anyhow::anyhow!(
                "fingerprint_attempts in the config must be 1 or more"
            ))
        })?,
        None => AttemptLimit::DEFAULT,
    };
    Ok(MatchSession::new(threshold(None, global), limit))
}

/// The desk's fingerprint check on a verified card: `files` of the terminal session (with
/// DG3) if there was one. `None` when no check was made nor asked for.
pub fn desk_check(
    report: &mut VerifyReport,
    files: Option<&CardFiles>,
    terminal_given: bool,
    captures: &[LiveCapture],
    global: &Global,
) -> Result<Option<FingerprintReport>, Fail> {
    let mut session = match_session(global)?;
    let why = if terminal_given {
        NoDg3::NotOpened
    } else {
        NoDg3::NoTerminal
    };
    let out = fingerprint::check(
        report,
        files.ok_or(why),
        captures,
        &mut session,
        &QualityGate::default(),
    );
    Ok(report.check(CheckKind::Fingerprint).map(|_| out))
}
