//! Text for people and JSON for machines, shared by the commands.

use std::io::Write as _;
use std::time::Duration;

use ektp::{CheckKind, HolderRecord, Stats, Step, VerifyReport};
use ektp_lds::LdsFile;

use crate::exit::{Fail, Tag};

/// What a step is doing, for people.
pub fn step_text(step: Step) -> String {
    match step {
        Step::Authenticating => "opening the personalization session with the batch key".to_owned(),
        Step::ChipKey => "chip generates its Active Authentication key".to_owned(),
        Step::Signing => "signing EF.SOD with the document signer".to_owned(),
        Step::Writing(file) => format!("writing {}", file_name(file)),
        Step::SettingCan => "storing the CAN".to_owned(),
        Step::Verifying => "reading back through PACE and verifying".to_owned(),
        Step::Locking => "locking the card".to_owned(),
        other => format!("{other:?}"),
    }
}

/// A file's name with what it holds.
pub fn file_name(file: LdsFile) -> String {
    let what = match file {
        LdsFile::CardAccess => "PACE parameters",
        LdsFile::Com => "data group list",
        LdsFile::Sod => "document security object",
        LdsFile::Dg(dg) => match dg.value() {
            1 => "MRZ",
            2 => "portrait",
            3 => "fingerprints",
            7 => "signature image",
            11 => "personal details",
            12 => "document details",
            13 => "Indonesian details",
            14 => "security infos",
            15 => "Active Authentication public key",
            _ => "data group",
        },
    };
    match file {
        LdsFile::Dg(dg) => format!("{dg} ({what})"),
        other => format!("{other} ({what})"),
    }
}

/// Writes `value` as pretty JSON and a newline on stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(anyhow::Error::from)
        .and_then(|()| writeln!(out).map_err(anyhow::Error::from))
        .or_config(|| "cannot write to stdout".to_owned())
}

/// Writes a line to stdout; a closed pipe (`ektp batch --json | head`) must not stop a batch
/// in the middle of a card, so write errors are ignored.
pub fn to_stdout(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes a line to stderr, ignoring write errors (as [`to_stdout`]).
pub fn to_stderr(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Uppercase hex with spaces between bytes (`3B 88 80`).
pub fn hex_spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// `count thing` or `count things`: `1 APDU`, `7 APDUs` (the one helper, `ektp::plural`).
pub use ektp::plural;

/// `N APDUs, X bytes sent, Y received, Z ms on the wire`.
pub fn stats_line(s: &Stats) -> String {
    format!(
        "{}, {} sent, {} received, {} waiting for the card",
        plural(s.apdus, "APDU", "APDUs"),
        plural(s.bytes_sent, "byte", "bytes"),
        s.bytes_received,
        ms(s.transport_time)
    )
}

/// The holder record as the card face shows it, one field a line.
pub fn holder_text(h: &HolderRecord) -> String {
    let rows: Vec<(&str, String)> = vec![
        ("NIK", h.nik.as_str().to_owned()),
        ("Nama", h.name.clone()),
        (
            "Tempat/Tgl Lahir",
            format!(
                "{}, {}",
                h.place_of_birth,
                dmy(&h.date_of_birth.to_string())
            ),
        ),
        ("Jenis Kelamin", h.sex.as_str().to_owned()),
        ("Gol. Darah", h.blood_type.to_string()),
        ("Alamat", h.address.street.clone()),
        ("  RT/RW", format!("{}/{}", h.address.rt, h.address.rw)),
        ("  Kel/Desa", h.address.kelurahan_desa.clone()),
        ("  Kecamatan", h.address.kecamatan.clone()),
        ("  Kab/Kota", h.address.kabupaten_kota.clone()),
        ("  Provinsi", h.address.provinsi.clone()),
        ("Agama", h.religion.as_str().to_owned()),
        ("Status Perkawinan", h.marital_status.as_str().to_owned()),
        ("Pekerjaan", h.occupation.clone()),
        ("Kewarganegaraan", citizenship(h)),
        ("Berlaku Hingga", h.validity.to_string()),
        ("Document number", h.document_number.as_str().to_owned()),
        (
            "Issued",
            format!(
                "{}, {}",
                h.issuing_office,
                dmy(&h.date_of_issue.to_string())
            ),
        ),
    ];
    rows.iter()
        .map(|(k, v)| format!("  {k:<18} {v}\n"))
        .collect()
}

fn citizenship(h: &HolderRecord) -> String {
    match h.citizenship {
        ektp_lds::holder::Citizenship::Wni => "WNI".to_owned(),
        ektp_lds::holder::Citizenship::Wna(c) => format!("WNA ({c})"),
    }
}

/// `YYYY-MM-DD` as the card prints it, `DD-MM-YYYY`.
pub fn dmy(iso: &str) -> String {
    let mut parts: Vec<&str> = iso.split('-').collect();
    parts.reverse();
    parts.join("-")
}

/// Every check of a verification report, one a line: `PASS  check: reason` (`FAIL`, or
/// `SKIP` for a check that was not made).
pub fn report_text(report: &VerifyReport) -> String {
    report.checks.iter().map(|c| format!("{c}\n")).collect()
}

/// A duration for people, rounded to a tenth of a second: `3.0 s`.
pub fn seconds(d: std::time::Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The verdict line of `ektp verify`: a card that passed every check made, with a check not
/// made (`SKIP`, e.g. no revocation list), says so rather than "every check passed".
pub fn verdict(report: &VerifyReport, passed: bool) -> String {
    if !passed {
        return "NOT VERIFIED: do not hand this card out".to_owned();
    }
    let not_checked: Vec<&str> = report
        .not_checked()
        .map(|c| match c.check {
            CheckKind::NotRevoked => "revocation not checked (no revocation list given)",
            CheckKind::Fingerprint => "the holder's fingerprint not checked",
            other => other.as_str(),
        })
        .collect();
    if not_checked.is_empty() {
        "VERIFIED: every check passed".to_owned()
    } else {
        format!(
            "VERIFIED: every check made passed; {}",
            not_checked.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_rounded_to_a_tenth_of_a_second() {
        use std::time::Duration;
        assert_eq!(seconds(Duration::from_nanos(3_002_281_648)), "3.0 s");
        assert_eq!(seconds(Duration::from_millis(2_460)), "2.5 s");
        assert_eq!(seconds(Duration::ZERO), "0.0 s");
    }

    #[test]
    fn a_skipped_revocation_check_is_named_in_the_verdict() {
        let check = |check, passed, skipped| ektp::CheckResult {
            check,
            passed,
            skipped,
            reason: String::new(),
        };
        let mut report = VerifyReport {
            passed: true,
            checks: vec![
                check(CheckKind::Pace, true, false),
                check(CheckKind::NotRevoked, false, true),
            ],
            passive_authentication: None,
            document_number: None,
            sod_sha256: None,
            wrong_can: false,
        };
        let line = verdict(&report, true);
        assert!(line.contains("revocation not checked"), "{line}");
        assert!(!line.contains("every check passed"), "{line}");
        assert!(report_text(&report).contains("SKIP  not_revoked"));
        report.checks.pop();
        assert_eq!(verdict(&report, true), "VERIFIED: every check passed");
        assert!(verdict(&report, false).starts_with("NOT VERIFIED"));
    }

    #[test]
    fn steps_read_as_sentences() {
        assert_eq!(
            step_text(Step::Writing(LdsFile::Dg(ektp_lds::DgNumber::DG2))),
            "writing DG2 (portrait)"
        );
        assert_eq!(step_text(Step::Locking), "locking the card");
        assert_eq!(file_name(LdsFile::Sod), "EF.SOD (document security object)");
    }

    #[test]
    fn times_and_bytes() {
        assert_eq!(hex_spaced(&[0x3B, 0x08]), "3B 08");
        assert_eq!(dmy("2025-06-02"), "02-06-2025");
    }
}
