//! Text for people and JSON for machines, shared by the commands.

use std::io::Write as _;
use std::time::Duration;

use ektp::{CheckKind, CheckResult, HolderRecord, Stats, Status, Step, VerifyReport};
use ektp_lds::LdsFile;

use crate::exit::{Fail, Tag};
use crate::text::{self, t};

/// What a step is doing, for people.
pub fn step_text(step: Step) -> String {
    let id = match step {
        Step::Authenticating => "cli-step-authenticating",
        Step::ChipKey => "cli-step-chip-key",
        Step::Signing => "cli-step-signing",
        Step::Writing(file) => return text::f("cli-step-writing", &[("file", &file_name(file))]),
        Step::SettingCan => "cli-step-setting-can",
        Step::Verifying => "cli-step-verifying",
        Step::Locking => "cli-step-locking",
        other => return format!("{other:?}"),
    };
    t(id)
}

/// A file's name with what it holds.
pub fn file_name(file: LdsFile) -> String {
    let what = match file {
        LdsFile::CardAccess => "cli-file-card-access",
        LdsFile::Com => "cli-file-com",
        LdsFile::Sod => "cli-file-sod",
        LdsFile::Dg(dg) => match dg.value() {
            1 => "cli-file-dg1",
            2 => "cli-file-dg2",
            3 => "cli-file-dg3",
            7 => "cli-file-dg7",
            11 => "cli-file-dg11",
            12 => "cli-file-dg12",
            13 => "cli-file-dg13",
            14 => "cli-file-dg14",
            15 => "cli-file-dg15",
            _ => "cli-file-dg",
        },
    };
    let name = match file {
        LdsFile::Dg(dg) => dg.to_string(),
        other => other.to_string(),
    };
    format!("{name} ({})", t(what))
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

/// `N APDUs, X bytes sent, Y received, Z ms on the wire`.
pub fn stats_line(s: &Stats) -> String {
    text::f(
        "cli-stats",
        &[
            ("apdus", &s.apdus.to_string()),
            ("sent", &s.bytes_sent.to_string()),
            ("received", &s.bytes_received.to_string()),
            ("wire", &ms(s.transport_time)),
        ],
    )
}

/// The holder record as the card face shows it, one field a line.
pub fn holder_text(h: &HolderRecord) -> String {
    let (document_number, issued) = (t("label-document-number"), t("label-issued"));
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
        (&document_number, h.document_number.as_str().to_owned()),
        (
            &issued,
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
    report
        .checks
        .iter()
        .map(|c| format!("{}\n", check_line(c)))
        .collect()
}

/// A check's word in the run's language (`pace`, in Indonesian `PACE`).
pub fn check_name(check: CheckKind) -> String {
    t(&format!("check-name-{}", check.as_str()))
}

/// One report line, `PASS  check_name               reason`, in the run's language (in
/// English exactly the library's `Display`).
pub fn check_line(c: &CheckResult) -> String {
    let status = match c.status() {
        Status::Pass => "status-pass",
        Status::Fail => "status-fail",
        _ => "status-skip",
    };
    format!(
        "{}  {:<24} {}",
        t(status),
        check_name(c.check),
        text::render(&c.message)
    )
}

/// Passive Authentication in detail (`verify -v`), one line per step: in English the
/// report's own `Display`, in Indonesian each step's name from the catalogue (the failure's
/// reason is the `passive_authentication` line's).
pub fn pa_lines(pa: &ektp_pki::PaReport) -> Vec<String> {
    if text::is_id() {
        pa_lines_in(pa, ektp_i18n::Catalog::of(ektp_i18n::Lang::Id))
    } else {
        pa.to_string().lines().map(str::to_owned).collect()
    }
}

/// [`pa_lines`] from `catalog`.
fn pa_lines_in(pa: &ektp_pki::PaReport, catalog: &ektp_i18n::Catalog) -> Vec<String> {
    let mut lines: Vec<String> = pa
        .checks
        .iter()
        .map(|c| {
            let status = catalog.get(if c.failure().is_some() {
                "status-fail"
            } else {
                "status-pass"
            });
            let name = match c.name {
                ektp_pki::CheckName::DataGroupHash(dg) => {
                    catalog.format("pa-name-data_group_hash", &[("dg", &dg.to_string())])
                }
                other => catalog.get(&format!("pa-name-{}", other.code())),
            };
            format!("{status}  {name}")
        })
        .collect();
    if !pa.not_read.is_empty() {
        let dgs: Vec<String> = pa.not_read.iter().map(ToString::to_string).collect();
        lines.push(catalog.format("cli-pa-not-read", &[("dgs", &dgs.join(", "))]));
    }
    lines.push(catalog.get(if pa.passed() {
        "cli-pa-passed"
    } else {
        "cli-pa-failed"
    }));
    lines
}

/// A duration for people, rounded to a tenth of a second: `3.0 s`.
pub fn seconds(d: std::time::Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The verdict line of `ektp verify`: a card that passed every check made, with a check not
/// made (`SKIP`, e.g. no revocation list), says so rather than "every check passed".
pub fn verdict(report: &VerifyReport, passed: bool) -> String {
    if !passed {
        return t("cli-verdict-failed");
    }
    let not_checked: Vec<String> = report
        .not_checked()
        .map(|c| match c.check {
            CheckKind::NotRevoked => t("cli-not-checked-revocation"),
            CheckKind::Fingerprint => t("cli-not-checked-fingerprint"),
            other => text::f("cli-not-checked-other", &[("check", &check_name(other))]),
        })
        .collect();
    if not_checked.is_empty() {
        t("cli-verdict-passed")
    } else {
        text::f(
            "cli-verdict-passed-but",
            &[("skipped", &not_checked.join("; "))],
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
        let check = |check, passed, skipped| {
            ektp::CheckResult::new(check, passed, skipped, ektp::Message::new("check-pace-ok"))
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
    fn passive_authentication_in_detail_names_each_step_in_indonesian() {
        let trust = ektp::TrustStore::new();
        let pa = ektp_pki::passive_authentication(
            b"not a SOD",
            &[],
            &trust,
            std::time::SystemTime::now(),
        );
        let id = pa_lines_in(&pa, ektp_i18n::Catalog::of(ektp_i18n::Lang::Id));
        assert_eq!(
            id.first().map(String::as_str),
            Some("GAGAL  struktur EF.SOD"),
            "{id:?}"
        );
        assert_eq!(
            id.last().map(String::as_str),
            Some("Autentikasi Pasif GAGAL")
        );
        let en = pa_lines_in(&pa, ektp_i18n::Catalog::of(ektp_i18n::Lang::En));
        assert_eq!(
            en.first().map(String::as_str),
            Some("FAIL  EF.SOD structure"),
            "{en:?}"
        );
    }

    #[test]
    fn times_and_bytes() {
        assert_eq!(hex_spaced(&[0x3B, 0x08]), "3B 08");
        assert_eq!(dmy("2025-06-02"), "02-06-2025");
    }
}
