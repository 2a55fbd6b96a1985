//! `ektp read --can CAN`: the card's data as JSON or a readable summary, reading only the data
//! groups the requested fields live in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use ektp::{Card, CardFiles, ReadRequest};
use ektp_lds::holder::{Citizenship, Validity};
use ektp_lds::{Dg1, Dg2, Dg7, Dg11, Dg12, Dg13, DgNumber, ImageFormat};
use serde_json::{Map, Value, json};

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{holder_text, ms, print_json, stats_line};
use crate::station::{CardArgs, connect, parse_can};

/// A field `--only` can ask for (names as in the application format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Field {
    /// NIK (DG11)
    Nik,
    /// Name (DG11)
    Name,
    /// Place of birth (DG11)
    PlaceOfBirth,
    /// Date of birth (DG11)
    DateOfBirth,
    /// Sex (DG1)
    Sex,
    /// Blood type (DG13)
    BloodType,
    /// Address (DG11 and DG13)
    Address,
    /// Religion (DG13)
    Religion,
    /// Marital status (DG13)
    MaritalStatus,
    /// Occupation (DG11)
    Occupation,
    /// WNI or WNA (DG13)
    Citizenship,
    /// Nationality code (DG1)
    Nationality,
    /// Valid until (DG13)
    Validity,
    /// Document number (DG1)
    DocumentNumber,
    /// Issuing regency/city (DG12)
    IssuingOffice,
    /// Date of issue (DG12)
    DateOfIssue,
    /// The three MRZ lines (DG1)
    Mrz,
    /// Portrait (DG2)
    Photo,
    /// Signature image (DG7)
    Signature,
}

impl Field {
    /// The JSON key.
    fn key(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }

    /// Adds the data groups this field is stored in to `request`.
    fn needs(self, r: &mut ReadRequest) {
        match self {
            Field::Nik
            | Field::Name
            | Field::PlaceOfBirth
            | Field::DateOfBirth
            | Field::Occupation => r.dg11 = true,
            Field::Address => {
                r.dg11 = true;
                r.dg13 = true;
            }
            Field::BloodType
            | Field::Religion
            | Field::MaritalStatus
            | Field::Citizenship
            | Field::Validity => r.dg13 = true,
            Field::Sex | Field::Nationality | Field::DocumentNumber | Field::Mrz => r.dg1 = true,
            Field::IssuingOffice | Field::DateOfIssue => r.dg12 = true,
            Field::Photo => r.portrait = true,
            Field::Signature => r.signature = true,
        }
    }
}

/// `ektp read` options.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The 6-digit card access number printed on the card
    #[arg(long, env = "EKTP_CAN", hide_env_values = true, value_name = "CAN")]
    pub can: String,
    /// Write the portrait image (JPEG or JPEG 2000, as stored) to FILE
    #[arg(long, value_name = "FILE")]
    pub photo: Option<PathBuf>,
    /// Write the signature image (JPEG or JPEG 2000, as stored) to FILE
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,
    /// Read only these fields (comma-separated), and only the data groups holding them
    #[arg(long, value_delimiter = ',', value_name = "FIELD,...")]
    pub only: Option<Vec<Field>>,
    #[command(flatten)]
    pub card: CardArgs,
}

const NOTHING: ReadRequest = ReadRequest {
    dg1: false,
    portrait: false,
    signature: false,
    dg11: false,
    dg12: false,
    dg13: false,
    security: false,
};

/// The data groups to read for `args`.
pub fn request_for(args: &ReadArgs) -> ReadRequest {
    let mut r = match &args.only {
        Some(fields) => {
            let mut r = NOTHING;
            for f in fields {
                f.needs(&mut r);
            }
            r
        }
        None => ReadRequest::HOLDER,
    };
    if args.photo.is_some() {
        r.portrait = true;
    }
    if args.signature.is_some() {
        r.signature = true;
    }
    r
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Jpeg2000 => "jpeg2000",
    }
}

fn decode_err(dg: DgNumber) -> impl Fn(ektp_lds::Error) -> Fail {
    move |e| Fail::card(anyhow::anyhow!("{dg} read from the card is malformed: {e}"))
}

/// Every field the data groups read can give, by JSON key.
fn fields_from(files: &CardFiles) -> Result<Map<String, Value>, Fail> {
    let mut m = Map::new();
    let mut address = Map::new();
    if let Some(raw) = files.dg(DgNumber::DG11) {
        let dg = Dg11::decode(raw).map_err(decode_err(DgNumber::DG11))?;
        let d = dg.details();
        m.insert("nik".into(), d.nik.as_str().into());
        m.insert("name".into(), d.name.clone().into());
        m.insert("place_of_birth".into(), d.place_of_birth.clone().into());
        m.insert("date_of_birth".into(), d.date_of_birth.to_string().into());
        m.insert("occupation".into(), d.profession.clone().into());
        address.insert("street".into(), d.street.clone().into());
        address.insert("kabupaten_kota".into(), d.kabupaten_kota.clone().into());
        address.insert("provinsi".into(), d.provinsi.clone().into());
    }
    if let Some(raw) = files.dg(DgNumber::DG13) {
        let dg = Dg13::decode(raw).map_err(decode_err(DgNumber::DG13))?;
        let d = dg.details();
        address.insert("rt".into(), d.rt.to_string().into());
        address.insert("rw".into(), d.rw.to_string().into());
        address.insert("kelurahan_desa".into(), d.kelurahan_desa.clone().into());
        address.insert("kecamatan".into(), d.kecamatan.clone().into());
        m.insert("religion".into(), d.religion.as_str().into());
        m.insert("marital_status".into(), d.marital_status.as_str().into());
        m.insert("blood_type".into(), d.blood_type.to_string().into());
        m.insert("citizenship".into(), d.citizenship.as_str().into());
        if let Citizenship::Wna(c) = d.citizenship {
            m.insert("nationality".into(), c.as_str().into());
        }
        m.insert(
            "validity".into(),
            match d.validity {
                Validity::Lifetime => Validity::LIFETIME_TEXT.to_owned(),
                Validity::Until(date) => date.to_string(),
            }
            .into(),
        );
    }
    if !address.is_empty() {
        m.insert("address".into(), Value::Object(address));
    }
    if let Some(raw) = files.dg(DgNumber::DG1) {
        let dg = Dg1::decode(raw).map_err(decode_err(DgNumber::DG1))?;
        let mrz = dg.mrz();
        let text = |b: &[u8]| String::from_utf8_lossy(b).trim_end_matches('<').to_owned();
        m.insert("document_number".into(), text(&mrz.document_number).into());
        m.insert(
            "sex".into(),
            match mrz.sex {
                b'M' => "LAKI-LAKI",
                b'F' => "PEREMPUAN",
                _ => "-",
            }
            .into(),
        );
        m.insert("nationality".into(), text(&mrz.nationality).into());
        m.insert("mrz".into(), json!(mrz.lines()));
    }
    if let Some(raw) = files.dg(DgNumber::DG12) {
        let dg = Dg12::decode(raw).map_err(decode_err(DgNumber::DG12))?;
        let d = dg.details();
        m.insert("issuing_office".into(), d.issuing_authority.clone().into());
        m.insert("date_of_issue".into(), d.date_of_issue.to_string().into());
    }
    if let Some(raw) = files.dg(DgNumber::DG2) {
        let dg = Dg2::decode(raw).map_err(decode_err(DgNumber::DG2))?;
        let f = dg.face();
        m.insert(
            "photo".into(),
            json!({"format": format_name(f.format), "width": f.width, "height": f.height, "bytes": f.image.len()}),
        );
    }
    if let Some(raw) = files.dg(DgNumber::DG7) {
        let dg = Dg7::decode(raw).map_err(decode_err(DgNumber::DG7))?;
        let s = dg.signature();
        m.insert(
            "signature".into(),
            json!({"format": format_name(s.format()), "bytes": s.as_bytes().len()}),
        );
    }
    Ok(m)
}

fn write_image(path: &Path, bytes: &[u8], what: &str, format: ImageFormat) -> Result<(), Fail> {
    std::fs::write(path, bytes)
        .or_config(|| format!("cannot write the {what} to {}", path.display()))?;
    eprintln!(
        "{what} ({}, {} bytes) written to {}",
        format_name(format),
        bytes.len(),
        path.display()
    );
    Ok(())
}

fn write_images(args: &ReadArgs, files: &CardFiles) -> Result<(), Fail> {
    if let Some(path) = &args.photo {
        let raw = files.dg(DgNumber::DG2).ok_or_else(|| {
            Fail::card(anyhow::anyhow!(
                "the card has no portrait (DG2 not listed in EF.COM)"
            ))
        })?;
        let dg = Dg2::decode(raw).map_err(decode_err(DgNumber::DG2))?;
        write_image(path, &dg.face().image, "portrait", dg.face().format)?;
    }
    if let Some(path) = &args.signature {
        let raw = files.dg(DgNumber::DG7).ok_or_else(|| {
            Fail::card(anyhow::anyhow!(
                "the card has no signature image (DG7 not listed in EF.COM)"
            ))
        })?;
        let dg = Dg7::decode(raw).map_err(decode_err(DgNumber::DG7))?;
        write_image(
            path,
            dg.signature().as_bytes(),
            "signature image",
            dg.signature().format(),
        )?;
    }
    Ok(())
}

fn text_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(text_value).collect::<Vec<_>>().join(" / "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{k}={}", text_value(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// Runs `ektp read`.
pub fn run(args: &ReadArgs, global: &Global) -> Result<ExitCode, Fail> {
    let can = parse_can(&args.can)?;
    let request = request_for(args);
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let files = card
        .pace(&can)
        .and_then(|mut session| session.read_files(request))
        .map_err(Fail::card)?;
    let took = started.elapsed();
    let stats = card.stats();
    write_images(args, &files)?;
    let read: Vec<String> = files
        .data_groups()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    tracing::info!(
        "read {} in {} ({})",
        read.join(", "),
        ms(took),
        stats_line(&stats)
    );

    match &args.only {
        None => {
            let holder = files
                .holder_record()
                .map_err(|e| Fail::card(anyhow::anyhow!("the card's data does not decode: {e}")))?;
            if global.json {
                let mut v = holder.to_json();
                if let (Some(obj), Ok(extra)) = (v.as_object_mut(), fields_from(&files)) {
                    for key in ["photo", "signature"] {
                        if let Some(x) = extra.get(key) {
                            obj.insert(key.to_owned(), x.clone());
                        }
                    }
                }
                print_json(&v)?;
            } else {
                print!("{}", holder_text(&holder));
                if global.verbosity >= 0 {
                    eprintln!(
                        "read {} in {} (not verified: use `ektp verify` for that)",
                        read.join(", "),
                        ms(took)
                    );
                }
            }
        }
        Some(fields) => {
            let all = fields_from(&files)?;
            let mut out = Map::new();
            for f in fields {
                let key = f.key();
                match all.get(&key) {
                    Some(v) => {
                        out.insert(key, v.clone());
                    }
                    None => {
                        return Err(Fail::card(anyhow::anyhow!(
                            "the card does not hold {key} (its data group is not in EF.COM)"
                        )));
                    }
                }
            }
            if global.json {
                print_json(&Value::Object(out))?;
            } else {
                for (k, v) in &out {
                    println!("  {k:<16} {}", text_value(v));
                }
                if global.verbosity >= 0 {
                    eprintln!("read {} in {}", read.join(", "), ms(took));
                }
            }
        }
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        args: ReadArgs,
    }

    fn request(argv: &[&str]) -> ReadRequest {
        let mut v = vec!["t", "--can", "123456"];
        v.extend_from_slice(argv);
        request_for(&T::try_parse_from(v).unwrap().args)
    }

    #[test]
    fn only_reads_the_data_groups_holding_the_fields() {
        let r = request(&["--only", "nik,name"]);
        assert_eq!(
            r,
            ReadRequest {
                dg11: true,
                ..NOTHING
            }
        );
        let r = request(&["--only", "address,sex"]);
        assert_eq!(
            r,
            ReadRequest {
                dg1: true,
                dg11: true,
                dg13: true,
                ..NOTHING
            }
        );
        let r = request(&["--only", "date_of_issue", "--photo", "p.jpg"]);
        assert_eq!(
            r,
            ReadRequest {
                dg12: true,
                portrait: true,
                ..NOTHING
            }
        );
        assert_eq!(request(&[]), ReadRequest::HOLDER);
        assert!(T::try_parse_from(["t", "--can", "1", "--only", "shoe_size"]).is_err());
    }
}
