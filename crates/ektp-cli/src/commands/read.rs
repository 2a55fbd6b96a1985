//! `ektp read --can CAN`: the card's data as JSON or a readable summary, reading only the data
//! groups the requested fields live in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use ektp::{Card, CardFields, CardFiles, Field, HolderView, ReadRequest};
use ektp_lds::{Dg2, Dg3, Dg7, DgNumber, ImageFormat, LdsFile};
use serde_json::Value;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{holder_text, ms, print_json, stats_line};
use crate::station::{CanArgs, CardArgs, connect, read_can};
use crate::terminal::{LoadedTerminal, TerminalArgs, load_terminal};
use crate::text::t;
use ektp::Message;

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
    /// Write the DG3 fingerprint templates (one ISO/IEC 19794-2 minutiae record per finger,
    /// 0600) into DIR; needs a terminal (--terminal-cert …) with the read-dg3 right
    #[arg(long, value_name = "DIR", requires = "terminal_cert")]
    pub fingerprints: Option<PathBuf>,
    #[command(flatten)]
    pub face: super::face::FaceArgs,
    #[command(flatten)]
    pub terminal: TerminalArgs,
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
    args.face.add_to(&mut r);
    r
}

fn decode_err(dg: DgNumber) -> impl Fn(ektp_lds::Error) -> Fail {
    move |e| {
        Fail::card_said(
            Message::new("cli-err-dg-malformed")
                .arg("dg", dg)
                .arg("detail", e),
        )
    }
}

pub(crate) fn undecodable(e: impl std::fmt::Display) -> Fail {
    Fail::card_said(Message::new("cli-err-undecodable").arg("detail", e))
}

/// Writes an image read from the card. A portrait or signature is personal data: the file is
/// written 0600 through an `O_EXCL|O_NOFOLLOW` temporary and renamed into place (a symlink
/// planted at `path` is replaced, not followed).
fn write_image(path: &Path, bytes: &[u8], what: &str, format: ImageFormat) -> Result<(), Fail> {
    ektp_fs::write_private(path, bytes)
        .or_config_said(|| Message::new("cli-err-write").arg("path", path.display()))?;
    let (what, format) = (t(what), ektp::view::image_format_name(format));
    let (bytes, path) = (bytes.len().to_string(), path.display().to_string());
    let args = [
        ("what", what.as_str()),
        ("format", format),
        ("bytes", &bytes),
        ("path", &path),
    ];
    eprintln!("{}", crate::text::f("cli-image-written", &args));
    Ok(())
}

fn write_images(args: &ReadArgs, files: &CardFiles) -> Result<(), Fail> {
    if let Some(path) = &args.photo {
        let raw = files
            .dg(DgNumber::DG2)
            .ok_or_else(|| Fail::card_said(Message::new("cli-err-no-portrait")))?;
        let dg = Dg2::decode(raw).map_err(decode_err(DgNumber::DG2))?;
        write_image(path, &dg.face().image, "cli-what-photo", dg.face().format)?;
    }
    if let Some(path) = &args.signature {
        let raw = files
            .dg(DgNumber::DG7)
            .ok_or_else(|| Fail::card_said(Message::new("cli-err-no-signature")))?;
        let dg = Dg7::decode(raw).map_err(decode_err(DgNumber::DG7))?;
        write_image(
            path,
            dg.signature().as_bytes(),
            "cli-what-signature",
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

/// The JSON view with DG3's metadata under `fingerprints` (when DG3 was read).
fn with_fingerprints(mut json: Value, fingerprints: Option<Value>) -> Value {
    if let (Some(object), Some(f)) = (json.as_object_mut(), fingerprints) {
        object.insert("fingerprints".to_owned(), f);
    }
    json
}

/// `  fingerprints     right_index (ISO/IEC 19794-2, 62 bytes), left_index (…)`.
fn print_fingerprints_text(fingerprints: Option<&Value>) {
    let Some(fingers) = fingerprints
        .and_then(|f| f.get("fingers"))
        .and_then(Value::as_array)
    else {
        return;
    };
    let list: Vec<String> = fingers
        .iter()
        .map(|f| {
            format!(
                "{} (ISO/IEC 19794-2, {} bytes)",
                f.get("finger").and_then(Value::as_str).unwrap_or("?"),
                f.get("bytes").and_then(Value::as_u64).unwrap_or(0)
            )
        })
        .collect();
    let label = crate::text::t("cli-label-fingerprints");
    println!("  {label:<16} {}", list.join(", "));
}

/// Without `--only`: the holder record (and the images read, as metadata).
fn print_holder(
    files: &CardFiles,
    fingerprints: Option<Value>,
    global: &Global,
    read: &str,
    took: &str,
) -> Result<(), Fail> {
    let view = HolderView::from_files(files).map_err(undecodable)?;
    if global.json {
        return print_json(&with_fingerprints(sorted_json(&view)?, fingerprints));
    }
    print!("{}", holder_text(&view.holder));
    print_fingerprints_text(fingerprints.as_ref());
    if global.verbosity >= 0 {
        let line = crate::text::f("cli-read-done", &[("read", read), ("took", took)]);
        eprintln!("{line}");
    }
    Ok(())
}

/// With `--only`: just those fields.
fn print_fields(
    files: &CardFiles,
    fields: &[Field],
    fingerprints: Option<Value>,
    global: &Global,
    read: &str,
    took: &str,
) -> Result<(), Fail> {
    let all = CardFields::from_files(files).map_err(undecodable)?;
    let view = all
        .select(fields)
        .map_err(|f| Fail::card_said(Message::new("cli-err-field-absent").arg("field", f)))?;
    let json = sorted_json(&view)?;
    if global.json {
        return print_json(&with_fingerprints(json, fingerprints));
    }
    for (k, v) in json.as_object().into_iter().flatten() {
        println!("  {k:<16} {}", text_value(v));
    }
    print_fingerprints_text(fingerprints.as_ref());
    if global.verbosity >= 0 {
        let line = crate::text::f("cli-read-done-only", &[("read", read), ("took", took)]);
        eprintln!("{line}");
    }
    Ok(())
}

/// With a terminal: PACE, the requested files (and DG14), Chip Authentication, Terminal
/// Authentication, then DG3. Each refusal says which step and that DG3 stays closed.
fn read_with_terminal<T: ektp_iso7816::CardTransport>(
    card: &mut Card<T>,
    can: &ektp::Can,
    request: ReadRequest,
    terminal: &LoadedTerminal,
) -> Result<CardFiles, Fail> {
    let terminal = terminal.terminal();
    let mut session = card.pace(can).map_err(Fail::card)?;
    let mut files = session
        .read_files(ReadRequest {
            security: true,
            ..request
        })
        .map_err(Fail::card)?;
    let dg14 = files
        .dg(DgNumber::DG14)
        .ok_or_else(|| {
            Fail::card(anyhow::anyhow!(
                "the card has no DG14, so no Chip Authentication key: it cannot open DG3 to a                  terminal"
            ))
        })
        .and_then(|raw| ektp_lds::Dg14::decode(raw).map_err(decode_err(DgNumber::DG14)))?;
    let stopped = |what: &str, e: ektp::Error| {
        Fail::card(anyhow::anyhow!(
            "{what}: {e}; DG3 stays closed (terminal {})",
            terminal.reference()
        ))
    };
    let ca = session
        .chip_authenticate(&dg14)
        .map_err(|e| stopped("Chip Authentication failed", e))?;
    let mut ta = ca
        .terminal_authenticate(terminal.chain, terminal.signer)
        .map_err(|e| stopped("the chip refused the terminal (Terminal Authentication)", e))?;
    let dg3 = ta.read_dg3().map_err(|e| {
        stopped(
            "the chip accepted the terminal but refused to open DG3 (the effective rights \
             lack read-dg3?)",
            e,
        )
    })?;
    files.insert(LdsFile::Dg(DgNumber::DG3), dg3);
    Ok(files)
}

/// DG3's metadata for `--json` and the text summary: each finger, its record's size and
/// SHA-256 (never the minutiae themselves).
fn fingerprint_view(dg3: &Dg3) -> Value {
    let fingers: Vec<Value> = [dg3.right_index(), dg3.left_index()]
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "finger": finger_name(r.finger()),
                "position": r.finger().position_code(),
                "format": "ISO/IEC 19794-2:2005",
                "minutiae_count": r.minutiae_count(),
                "bytes": r.as_bytes().len(),
                "sha256": hex::encode(ring::digest::digest(&ring::digest::SHA256, r.as_bytes())),
            })
        })
        .collect();
    serde_json::json!({
        "bytes": dg3.as_bytes().len(),
        "sha256": hex::encode(ring::digest::digest(&ring::digest::SHA256, dg3.as_bytes())),
        "fingers": fingers,
    })
}

fn finger_name(f: ektp_lds::Finger) -> &'static str {
    match f {
        ektp_lds::Finger::RightIndex => "right_index",
        ektp_lds::Finger::LeftIndex => "left_index",
    }
}

/// `--fingerprints DIR`: one file per finger (`right_index.fmr`, `left_index.fmr`), 0600.
fn write_fingerprints(dir: &Path, dg3: &Dg3) -> Result<(), Fail> {
    if !dir.is_dir() {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(dir)
            .or_config(|| format!("cannot create the fingerprint directory {}", dir.display()))?;
    }
    for r in [dg3.right_index(), dg3.left_index()] {
        let path = dir.join(format!("{}.fmr", finger_name(r.finger())));
        ektp_fs::write_private(&path, r.as_bytes())
            .or_config(|| format!("cannot write the fingerprint template {}", path.display()))?;
        eprintln!(
            "{} fingerprint template (ISO/IEC 19794-2, {} bytes) written to {}",
            finger_name(r.finger()).replace('_', " "),
            r.as_bytes().len(),
            path.display()
        );
    }
    Ok(())
}

/// Runs `ektp read`.
pub fn run(args: &ReadArgs, global: &Global) -> Result<ExitCode, Fail> {
    let can = read_can(&args.can)?;
    let request = request_for(args);
    let terminal = load_terminal(&args.terminal)?;
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let files = match &terminal {
        None => card
            .pace(&can)
            .and_then(|mut session| session.read_files(request))
            .map_err(Fail::card)?,
        Some(t) => read_with_terminal(&mut card, &can, request, t)?,
    };
    let dg3 = files
        .dg(DgNumber::DG3)
        .map(|raw| Dg3::decode(raw).map_err(decode_err(DgNumber::DG3)))
        .transpose()?;
    if let (Some(dir), Some(dg3)) = (&args.fingerprints, &dg3) {
        write_fingerprints(dir, dg3)?;
    }
    let took = ms(started.elapsed());
    let stats = card.stats();
    write_images(args, &files)?;
    args.face.write(&files, None)?;
    let read: Vec<String> = files
        .data_groups()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    let read = read.join(", ");
    tracing::info!("read {read} in {took} ({})", stats_line(&stats));
    let fingerprints = dg3.as_ref().map(fingerprint_view);
    match &args.only {
        None => print_holder(&files, fingerprints, global, &read, &took)?,
        Some(fields) => print_fields(&files, fields, fingerprints, global, &read, &took)?,
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests;
