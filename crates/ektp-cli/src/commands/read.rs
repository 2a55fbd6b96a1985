//! `ektp read --can CAN`: the card's data as JSON or a readable summary, reading only the data
//! groups the requested fields live in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use ektp::{Card, CardFields, CardFiles, Field, HolderView, ReadRequest};
use ektp_lds::{Dg2, Dg7, DgNumber, ImageFormat};
use serde_json::Value;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{holder_text, ms, print_json, stats_line};
use crate::station::{CanArgs, CardArgs, connect, read_can};

/// `--only`'s values: the library's [`Field`] names, with their help.
fn field_parser() -> impl TypedValueParser<Value = Field> {
    let values = Field::ALL
        .iter()
        .map(|f| PossibleValue::new(f.as_str()).help(f.help()));
    PossibleValuesParser::new(values)
        .try_map(|name| Field::parse(&name).ok_or_else(|| format!("unknown field {name}")))
}

/// `ektp read` options.
#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub can: CanArgs,
    /// Write the portrait image (JPEG or JPEG 2000, as stored) to FILE
    #[arg(long, value_name = "FILE")]
    pub photo: Option<PathBuf>,
    /// Write the signature image (JPEG or JPEG 2000, as stored) to FILE
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,
    /// Read only these fields (comma-separated), and only the data groups holding them
    #[arg(long, value_delimiter = ',', value_name = "FIELD,...", value_parser = field_parser())]
    pub only: Option<Vec<Field>>,
    #[command(flatten)]
    pub card: CardArgs,
}

/// The data groups to read for `args`.
pub fn request_for(args: &ReadArgs) -> ReadRequest {
    let mut r = args
        .only
        .as_deref()
        .map_or(ReadRequest::HOLDER, Field::request);
    if args.photo.is_some() {
        r.portrait = true;
    }
    if args.signature.is_some() {
        r.signature = true;
    }
    r
}

fn decode_err(dg: DgNumber) -> impl Fn(ektp_lds::Error) -> Fail {
    move |e| Fail::card(anyhow::anyhow!("{dg} read from the card is malformed: {e}"))
}

fn undecodable(e: ektp::Error) -> Fail {
    Fail::card(anyhow::anyhow!("the card's data does not decode: {e}"))
}

/// Writes an image read from the card. A portrait or signature is personal data: the file is
/// written 0600 through an `O_EXCL|O_NOFOLLOW` temporary and renamed into place (a symlink
/// planted at `path` is replaced, not followed).
fn write_image(path: &Path, bytes: &[u8], what: &str, format: ImageFormat) -> Result<(), Fail> {
    ektp_fs::write_private(path, bytes)
        .or_config(|| format!("cannot write the {what} to {}", path.display()))?;
    eprintln!(
        "{what} ({}, {} bytes) written to {}",
        ektp::view::image_format_name(format),
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

/// A view as JSON with its keys in alphabetical order, as `ektp` has always printed them.
fn sorted_json(view: &impl serde::Serialize) -> Result<Value, Fail> {
    serde_json::to_value(view).or_config(|| "cannot serialize the card's data".to_owned())
}

/// Without `--only`: the holder record (and the images read, as metadata).
fn print_holder(files: &CardFiles, global: &Global, read: &str, took: &str) -> Result<(), Fail> {
    let view = HolderView::from_files(files).map_err(undecodable)?;
    if global.json {
        return print_json(&sorted_json(&view)?);
    }
    print!("{}", holder_text(&view.holder));
    if global.verbosity >= 0 {
        eprintln!("read {read} in {took} (not verified: use `ektp verify` for that)");
    }
    Ok(())
}

/// With `--only`: just those fields.
fn print_fields(
    files: &CardFiles,
    fields: &[Field],
    global: &Global,
    read: &str,
    took: &str,
) -> Result<(), Fail> {
    let all = CardFields::from_files(files).map_err(undecodable)?;
    let view = all.select(fields).map_err(|f| {
        Fail::card(anyhow::anyhow!(
            "the card does not hold {f} (its data group is not in EF.COM)"
        ))
    })?;
    let json = sorted_json(&view)?;
    if global.json {
        return print_json(&json);
    }
    for (k, v) in json.as_object().into_iter().flatten() {
        println!("  {k:<16} {}", text_value(v));
    }
    if global.verbosity >= 0 {
        eprintln!("read {read} in {took}");
    }
    Ok(())
}

/// Runs `ektp read`.
pub fn run(args: &ReadArgs, global: &Global) -> Result<ExitCode, Fail> {
    let can = read_can(&args.can)?;
    let request = request_for(args);
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let files = card
        .pace(&can)
        .and_then(|mut session| session.read_files(request))
        .map_err(Fail::card)?;
    let took = ms(started.elapsed());
    let stats = card.stats();
    write_images(args, &files)?;
    let read: Vec<String> = files
        .data_groups()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    let read = read.join(", ");
    tracing::info!("read {read} in {took} ({})", stats_line(&stats));
    match &args.only {
        None => print_holder(&files, global, &read, &took)?,
        Some(fields) => print_fields(&files, fields, global, &read, &took)?,
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    const NOTHING: ReadRequest = ReadRequest {
        dg1: false,
        portrait: false,
        signature: false,
        dg11: false,
        dg12: false,
        dg13: false,
        security: false,
    };

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

    #[test]
    fn photo_output_is_private() {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let dir = std::env::temp_dir().join(format!("ektp-cli-photo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
        let photo = dir.join("photo.jpg");
        write_image(&photo, b"\xFF\xD8portrait", "portrait", ImageFormat::Jpeg).unwrap();
        assert_eq!(mode(&photo), 0o600, "a portrait is personal data");
        // Replacing a file others could read leaves a private one.
        let signature = dir.join("signature.jpg");
        std::fs::write(&signature, b"old").unwrap();
        std::fs::set_permissions(&signature, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_image(
            &signature,
            b"\xFF\xD8sig",
            "signature image",
            ImageFormat::Jpeg,
        )
        .unwrap();
        assert_eq!(mode(&signature), 0o600);
        assert_eq!(std::fs::read(&signature).unwrap(), b"\xFF\xD8sig");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
