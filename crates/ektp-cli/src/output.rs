//! Text for people and JSON for machines, shared by the commands.

use std::io::Write as _;
use std::time::Duration;

use ektp::{HolderRecord, Stats, VerifyReport};

use crate::exit::{Fail, Tag};

/// Writes `value` as pretty JSON and a newline on stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(anyhow::Error::from)
        .and_then(|()| writeln!(out).map_err(anyhow::Error::from))
        .or_config(|| "cannot write to stdout".to_owned())
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
    format!(
        "{} APDUs, {} bytes sent, {} received, {} waiting for the card",
        s.apdus,
        s.bytes_sent,
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

/// Every check of a verification report, one a line: `PASS  check: reason`.
pub fn report_text(report: &VerifyReport) -> String {
    report.checks.iter().map(|c| format!("{c}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_bytes() {
        assert_eq!(hex_spaced(&[0x3B, 0x08]), "3B 08");
        assert_eq!(dmy("2025-06-02"), "02-06-2025");
    }
}
