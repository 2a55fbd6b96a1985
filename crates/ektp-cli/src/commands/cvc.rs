//! `ektp cvc …`: the department's and the agencies' terminal PKI for Extended Access Control
//! (BSI TR-03110-3 CV certificates): a TEST ONLY CVCA, DV certificates, terminal key and
//! request, short-lived inspection-system certificates, CVCA rollover, and `show`.
//!
//! Keys here are software keys in files (TEST ONLY, unencrypted PKCS#8 DER, as OpenPACE's
//! `cvc-create` reads them): written 0600 through [`ektp_fs::write_private`], never over an
//! existing file, and read through [`ektp_fs::read_secret`], which refuses a key file group or
//! others can read. Every signature goes through the [`CvSigner`] seam, so a token can take
//! the key's place later. See `docs/terminal-pki.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::{Args, Subcommand, ValueEnum};
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, CertificateRequest, Chat, Curve,
    CvCertificate, CvDate, CvSigner, CvcError, RequestBuilder, Role, SoftwareCvSigner,
};
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;

mod show;

/// Largest key file read (a PKCS#8 DER key on a 256-bit curve with explicit parameters is
/// under 400 bytes).
const MAX_KEY_FILE_LEN: u64 = 4096;
/// Largest certificate or request file read.
const MAX_CV_FILE_LEN: u64 = 8192;
/// The file in a CVCA directory that names the current CVCA's CHR.
const CURRENT: &str = "current";

/// `ektp cvc …`.
#[derive(Debug, Subcommand)]
pub enum CvcCommand {
    /// Department: make a TEST ONLY CVCA key and its self-signed CVCA certificate
    InitCvca(InitCvcaArgs),
    /// Department: issue a DV certificate to an agency group (new TEST key, or from a request)
    IssueDv(IssueDvArgs),
    /// Agency terminal: make a key and a certificate request
    Request(RequestArgs),
    /// Agency (DV): issue a short-lived inspection-system certificate from a terminal's request
    IssueIs(IssueIsArgs),
    /// Department: roll the CVCA over (new key, self-signed certificate, link certificate)
    Link(LinkArgs),
    /// Describe a CV certificate or request; check its signature with --issuer
    Show(show::ShowArgs),
}

/// A curve for new keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CurveArg {
    /// NIST P-256.
    P256,
    /// brainpoolP256r1.
    Brainpoolp256r1,
}

impl From<CurveArg> for Curve {
    fn from(c: CurveArg) -> Self {
        match c {
            CurveArg::P256 => Curve::NistP256,
            CurveArg::Brainpoolp256r1 => Curve::BrainpoolP256r1,
        }
    }
}

/// An inspection-system access right (BSI TR-03110-3 §C.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RightArg {
    /// Read DG3 (fingerprints).
    ReadDg3,
    /// Read DG4 (iris).
    ReadDg4,
}

fn rights_of(args: &[RightArg]) -> AccessRights {
    args.iter().fold(AccessRights::NONE, |acc, r| {
        acc.union(match r {
            RightArg::ReadDg3 => AccessRights::READ_DG3,
            RightArg::ReadDg4 => AccessRights::READ_DG4,
        })
    })
}

/// The rights as the option spells them (`read-dg3,read-dg4`), `none` when empty.
pub(crate) fn rights_text(rights: AccessRights) -> String {
    let mut out = Vec::new();
    if rights.contains(AccessRights::READ_DG3) {
        out.push("read-dg3".to_owned());
    }
    if rights.contains(AccessRights::READ_DG4) {
        out.push("read-dg4".to_owned());
    }
    for bit in 2..64u32 {
        if rights.bits() & (1u64 << bit) != 0 {
            out.push(format!("bit-{bit}"));
        }
    }
    if out.is_empty() {
        "none".to_owned()
    } else {
        out.join(",")
    }
}

/// `ektp cvc init-cvca`.
#[derive(Debug, Args)]
pub struct InitCvcaArgs {
    /// Directory for the CVCA (created; must not hold a CVCA yet)
    dir: PathBuf,
    /// Country code (ISO 3166-1 alpha-2), the first two characters of every reference
    #[arg(long, value_name = "CC")]
    country: String,
    /// The CVCA's holder reference: country, mnemonic, 5-character sequence number
    #[arg(long, value_name = "CHR")]
    holder: String,
    /// Curve of the CVCA key (every DV and terminal key below it uses the same)
    #[arg(long, value_enum, default_value = "brainpoolp256r1")]
    curve: CurveArg,
    /// Lifetime in years
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=30))]
    years: u32,
    /// Rights the CVCA may delegate [default: read-dg3,read-dg4]
    #[arg(long, value_enum, value_delimiter = ',')]
    rights: Vec<RightArg>,
    /// Effective date (YYYY-MM-DD or YYMMDD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
}

/// `ektp cvc issue-dv`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("dv_key").required(true).args(["key_out", "request"]))]
pub struct IssueDvArgs {
    /// The CVCA directory (from `cvc init-cvca`)
    #[arg(long, value_name = "DIR")]
    cvca_dir: PathBuf,
    /// The DV's holder reference [default with --request: the CHR the request asks for]
    #[arg(long, value_name = "CHR")]
    holder: Option<String>,
    /// Lifetime in months
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=36))]
    months: u32,
    /// Rights of the DV (a subset of the CVCA's)
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    rights: Vec<RightArg>,
    /// A non-official/foreign DV (role 01) instead of an official domestic one (role 10)
    #[arg(long)]
    foreign: bool,
    /// Where to write the DV certificate
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// TEST setups: make the DV key here and write it to FILE (0600)
    #[arg(long, value_name = "FILE")]
    key_out: Option<PathBuf>,
    /// Issue for the key in this request (`cvc request` run by the agency)
    #[arg(long, value_name = "FILE")]
    request: Option<PathBuf>,
    /// Effective date (YYYY-MM-DD or YYMMDD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
}

/// `ektp cvc request`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Where to write the new private key (0600; TEST ONLY until it lives in a token)
    #[arg(long, value_name = "FILE")]
    key_out: PathBuf,
    /// The holder reference asked for
    #[arg(long, value_name = "CHR")]
    holder: String,
    /// Where to write the request
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The CA the request is for: the DV's (or CVCA's) holder reference
    #[arg(long, value_name = "CHR")]
    car: Option<String>,
    /// Curve of the key: the CVCA's curve
    #[arg(long, value_enum, default_value = "brainpoolp256r1")]
    curve: CurveArg,
}

/// `ektp cvc issue-is`.
#[derive(Debug, Args)]
pub struct IssueIsArgs {
    /// The DV certificate
    #[arg(long, value_name = "FILE")]
    dv_cert: PathBuf,
    /// The DV private key (0600)
    #[arg(long, value_name = "FILE")]
    dv_key: PathBuf,
    /// The terminal's request (`cvc request`)
    #[arg(long, value_name = "FILE")]
    request: PathBuf,
    /// Lifetime in days
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=90))]
    days: u32,
    /// Rights of the terminal (a subset of the DV's)
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    rights: Vec<RightArg>,
    /// The terminal's holder reference [default: the CHR the request asks for]
    #[arg(long, value_name = "CHR")]
    holder: Option<String>,
    /// Where to write the terminal certificate
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Effective date (YYYY-MM-DD or YYMMDD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
}

/// `ektp cvc link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The CVCA directory (from `cvc init-cvca`)
    #[arg(long, value_name = "DIR")]
    cvca_dir: PathBuf,
    /// The new CVCA's holder reference (usually the next sequence number)
    #[arg(long, value_name = "CHR")]
    new_holder: String,
    /// Lifetime of the new CVCA in years
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=30))]
    years: u32,
    /// Effective date (YYYY-MM-DD or YYMMDD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
}

/// Runs `ektp cvc`.
pub fn run(cmd: &CvcCommand, global: &Global) -> Result<ExitCode, Fail> {
    match cmd {
        CvcCommand::InitCvca(a) => init_cvca(a, global),
        CvcCommand::IssueDv(a) => issue_dv(a, global),
        CvcCommand::Request(a) => request(a, global),
        CvcCommand::IssueIs(a) => issue_is(a, global),
        CvcCommand::Link(a) => link(a, global),
        CvcCommand::Show(a) => show::show(a, global),
    }
}

// ---------------------------------------------------------------- dates

fn today() -> Result<CvDate, Fail> {
    CvDate::from_system_time(SystemTime::now())
        .map_err(|_| Fail::config(anyhow::anyhow!("the system clock is outside 2000..2099")))
}

/// Parses `YYYY-MM-DD` or `YYMMDD`.
fn parse_date(text: &str) -> Result<CvDate, Fail> {
    let bad = || {
        Fail::usage(format!(
            "--from {text:?} is not a date: write YYYY-MM-DD (e.g. 2026-12-06) or YYMMDD"
        ))
    };
    if let Some(short) = text.strip_prefix("20").filter(|_| text.len() == 10) {
        let digits: String = short.chars().filter(|c| *c != '-').collect();
        let dashes = text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
        if !dashes || digits.len() != 6 {
            return Err(bad());
        }
        return CvDate::from_yymmdd(&digits).map_err(|_| bad());
    }
    CvDate::from_yymmdd(text).map_err(|_| bad())
}

fn effective(from: Option<&str>) -> Result<CvDate, Fail> {
    match from {
        Some(t) => parse_date(t),
        None => today(),
    }
}

/// The last day of a lifetime of `months` starting on `from` (inclusive: `from` plus
/// `months` calendar months, the day clamped to the month's length, minus one day).
fn after_months(from: CvDate, months: u32) -> Option<CvDate> {
    let index = u32::from(from.month())
        .checked_sub(1)?
        .checked_add(months)?;
    let year = u32::from(from.year()).checked_add(index / 12)?;
    let month = (index % 12).checked_add(1)?;
    let day = u32::from(from.day()).min(days_in_month(year, month));
    if day > 1 {
        return date(year, month, day.checked_sub(1)?);
    }
    let (py, pm) = if month == 1 {
        (year.checked_sub(1)?, 12)
    } else {
        (year, month.checked_sub(1)?)
    };
    date(py, pm, days_in_month(py, pm))
}

fn date(year: u32, month: u32, day: u32) -> Option<CvDate> {
    CvDate::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()
}

/// Days in a month of the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The last day of a lifetime of `days` starting on `from`.
fn after_days(from: CvDate, days: u32) -> Option<CvDate> {
    from.checked_add_days(days.checked_sub(1)?)
}

fn lifetime_error(what: &str) -> Fail {
    Fail::usage(format!(
        "the {what} would end after 2099-12-31, the last date a CV certificate can carry: \
         choose a shorter lifetime"
    ))
}

// ---------------------------------------------------------------- references

fn reference(text: &str, option: &str) -> Result<CertificateReference, Fail> {
    CertificateReference::new(text).map_err(|_| {
        Fail::usage(format!(
            "{option} {text:?} is not a holder reference: 1 to 16 printable ASCII characters, \
             country code + mnemonic + 5-character sequence number (e.g. IDDVBANK00001)"
        ))
    })
}

// ---------------------------------------------------------------- files

/// Refuses to replace an existing key.
fn refuse_existing(path: &Path, option: &str) -> Result<(), Fail> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Fail::config(anyhow::anyhow!(
            "{} already exists: a key is never overwritten; choose another {option} or move \
             the old key away",
            path.display()
        )));
    }
    Ok(())
}

/// Writes a TEST ONLY key as PKCS#8 DER, 0600 (never over an existing file).
fn write_key(path: &Path, key: &SoftwareCvSigner, option: &str) -> Result<(), Fail> {
    refuse_existing(path, option)?;
    let der = key
        .to_pkcs8_der()
        .or_config(|| "cannot encode the new key".to_owned())?;
    ektp_fs::write_private(path, &der).or_config(|| format!("cannot write {}", path.display()))
}

/// Reads a private key file (refused if group or others can read it).
pub(crate) fn read_key(path: &Path) -> Result<SoftwareCvSigner, Fail> {
    let der = ektp_fs::read_secret(path, MAX_KEY_FILE_LEN)
        .or_config(|| format!("cannot use the key file {}", path.display()))?;
    SoftwareCvSigner::from_private_key_der(&der).map_err(|_| {
        Fail::config(anyhow::anyhow!(
            "{} is not a CV signing key: expected an unencrypted P-256 or brainpoolP256r1 key \
             in PKCS#8 or SEC1 DER (as `ektp cvc` and `cvc-create` write them)",
            path.display()
        ))
    })
}

/// Writes a public file (certificate, request) atomically: a temporary beside it, renamed.
fn write_public(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let what = || format!("cannot write {}", path.display());
    let name = path
        .file_name()
        .map_or_else(|| "cvc".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.or_config(what)
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    let what = || format!("cannot read {}", path.display());
    let meta = std::fs::metadata(path).or_config(what)?;
    if meta.len() > MAX_CV_FILE_LEN {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is {} bytes, larger than any CV certificate or request ({MAX_CV_FILE_LEN}): \
             not a CV certificate file",
            path.display(),
            meta.len()
        )));
    }
    std::fs::read(path).or_config(what)
}

pub(crate) fn read_certificate(path: &Path) -> Result<CvCertificate, Fail> {
    let bytes = read_file(path)?;
    CvCertificate::from_bytes(&bytes).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(format!(
            "{} is not a CV certificate (DER, BSI TR-03110-3)",
            path.display()
        )))
    })
}

fn read_request(path: &Path) -> Result<CertificateRequest, Fail> {
    let bytes = read_file(path)?;
    CertificateRequest::from_bytes(&bytes).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(format!(
            "{} is not a CV certificate request (DER, BSI TR-03110-3 §C.2)",
            path.display()
        )))
    })
}

/// The curve a DV or terminal key lies on (their certificates carry no domain parameters).
pub(crate) fn curve_of(cert: &CvCertificate) -> Option<Curve> {
    let key = &cert.body().public_key;
    key.domain_parameters().or_else(|| {
        [Curve::NistP256, Curve::BrainpoolP256r1]
            .into_iter()
            .find(|c| c.is_on_curve(key.point()))
    })
}

// ---------------------------------------------------------------- CVCA directory

struct Cvca {
    cert: CvCertificate,
    key: SoftwareCvSigner,
}

fn cvca_cert_path(dir: &Path, chr: &CertificateReference) -> PathBuf {
    dir.join(format!("{chr}.cvcert"))
}

fn cvca_key_path(dir: &Path, chr: &CertificateReference) -> PathBuf {
    dir.join(format!("{chr}-TEST-ONLY.key"))
}

fn load_cvca(dir: &Path) -> Result<Cvca, Fail> {
    let current = dir.join(CURRENT);
    let text = std::fs::read_to_string(&current).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(format!(
            "{} is not a CVCA directory (no readable `{CURRENT}` file): make one with \
             `ektp cvc init-cvca`",
            dir.display()
        )))
    })?;
    let chr = CertificateReference::new(text.trim()).map_err(|_| {
        Fail::config(anyhow::anyhow!(
            "{} does not hold a holder reference",
            current.display()
        ))
    })?;
    let cert = read_certificate(&cvca_cert_path(dir, &chr))?;
    let key = read_key(&cvca_key_path(dir, &chr))?;
    if key.public_point() != *cert.body().public_key.point() {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is not the key of {}: the CVCA directory is inconsistent",
            cvca_key_path(dir, &chr).display(),
            cvca_cert_path(dir, &chr).display()
        )));
    }
    Ok(Cvca { cert, key })
}

/// Maps an issuing error: a key that does not match is a file error, the rest are bugs of the
/// arguments the command already checked (reported as usage errors with the library's text).
fn issue_error(e: CvcError, what: &str) -> Fail {
    match e {
        CvcError::SignerKeyMismatch { .. } => Fail::config(anyhow::Error::new(e).context(format!(
            "cannot issue the {what}: the key file does not belong to the issuer certificate"
        ))),
        CvcError::SignatureInvalid { .. } | CvcError::InvalidPublicKey { .. } => Fail::new(
            exit::Kind::Failed,
            anyhow::Error::new(e).context(format!(
                "cannot issue the {what}: the request's signature does not prove possession of \
                 its key; ask the terminal for a new request"
            )),
        ),
        other => Fail::usage(format!("cannot issue the {what}: {other}")),
    }
}

fn test_only_note(global: &Global) {
    if global.verbosity >= 0 {
        eprintln!(
            "TEST ONLY: software keys in files are for trying EAC out; real CVCA, DV and \
             terminal keys belong in a token or SAM"
        );
    }
}

/// Prints what was written: JSON or lines.
fn report(
    global: &Global,
    headline: &str,
    cert: Option<&CvCertificate>,
    files: &[(&str, &Path)],
) -> Result<(), Fail> {
    if global.json {
        print_json(&json!({
            "test_only": true,
            "certificate": cert.map(show::certificate_json),
            "files": files.iter().map(|(what, p)| json!({"what": what, "path": p})).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("{headline}");
        if let Some(c) = cert {
            let b = c.body();
            println!(
                "  {} → {}: {}, rights {}, valid {} to {}",
                b.car,
                b.chr,
                b.role(),
                rights_text(b.chat.rights()),
                b.effective,
                b.expiration
            );
        }
        for (what, path) in files {
            println!("  {what:<22} {}", path.display());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- commands

fn init_cvca(a: &InitCvcaArgs, global: &Global) -> Result<ExitCode, Fail> {
    let country = a.country.as_str();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Fail::usage(format!(
            "--country {country:?} is not a country code: two capital letters (ISO 3166-1 \
             alpha-2), ID for Indonesia"
        )));
    }
    let chr = reference(&a.holder, "--holder")?;
    if chr.country_code() != country {
        return Err(Fail::usage(format!(
            "--holder {chr} does not start with the country code {country}: write e.g. \
             {country}CVCA00001"
        )));
    }
    let rights = if a.rights.is_empty() {
        AccessRights::READ_DG3.union(AccessRights::READ_DG4)
    } else {
        rights_of(&a.rights)
    };
    let from = effective(a.from.as_deref())?;
    let to = a
        .years
        .checked_mul(12)
        .and_then(|m| after_months(from, m))
        .ok_or_else(|| lifetime_error("CVCA certificate"))?;
    if std::fs::symlink_metadata(a.dir.join(CURRENT)).is_ok() {
        return Err(Fail::config(anyhow::anyhow!(
            "{} already holds a CVCA: roll it over with `ektp cvc link --cvca-dir {}`, or \
             choose another directory",
            a.dir.display(),
            a.dir.display()
        )));
    }
    std::fs::create_dir_all(&a.dir).or_config(|| format!("cannot create {}", a.dir.display()))?;
    let key = SoftwareCvSigner::generate(a.curve.into())
        .or_config(|| "cannot generate the CVCA key".to_owned())?;
    let cert = CertificateBuilder::new(
        chr.clone(),
        Chat::inspection_system(Role::Cvca, rights),
        from,
        to,
    )
    .self_signed(&key)
    .map_err(|e| issue_error(e, "CVCA certificate"))?;
    let key_path = cvca_key_path(&a.dir, &chr);
    let cert_path = cvca_cert_path(&a.dir, &chr);
    write_key(&key_path, &key, "directory")?;
    write_public(&cert_path, &cert.to_bytes())?;
    write_public(&a.dir.join(CURRENT), format!("{chr}\n").as_bytes())?;
    report(
        global,
        &format!("TEST ONLY CVCA written to {}:", a.dir.display()),
        Some(&cert),
        &[
            ("CVCA certificate", &cert_path),
            ("CVCA private key", &key_path),
        ],
    )?;
    test_only_note(global);
    Ok(exit::OK)
}

fn issue_dv(a: &IssueDvArgs, global: &Global) -> Result<ExitCode, Fail> {
    let cvca = load_cvca(&a.cvca_dir)?;
    let request = a.request.as_deref().map(read_request).transpose()?;
    let holder = match (&a.holder, &request) {
        (Some(h), _) => reference(h, "--holder")?,
        (None, Some(r)) => r.body().chr.clone(),
        (None, None) => {
            return Err(Fail::usage(
                "--holder is required with --key-out: the DV's holder reference, e.g. IDDVBANK00001",
            ));
        }
    };
    if let Some(car) = request.as_ref().and_then(|r| r.body().car.as_ref())
        && car != cvca.cert.chr()
    {
        return Err(Fail::usage(format!(
            "the request is addressed to {car}, not to the current CVCA ({}): ask the agency \
             group for a request with `--car {}`",
            cvca.cert.chr(),
            cvca.cert.chr()
        )));
    }
    let from = effective(a.from.as_deref())?;
    let to = after_months(from, a.months).ok_or_else(|| lifetime_error("DV certificate"))?;
    let curve = cvca.key.curve();
    let role = if a.foreign {
        Role::DvForeign
    } else {
        Role::DvDomestic
    };
    let builder = CertificateBuilder::new(
        holder,
        Chat::inspection_system(role, rights_of(&a.rights)),
        from,
        to,
    );
    builder
        .check_issuance(&cvca.cert, today()?)
        .map_err(|e| policy_error(e, &cvca.cert, "--months"))?;
    let mut files: Vec<(&str, &Path)> = vec![("DV certificate", &a.out)];
    let cert = match (&request, &a.key_out) {
        (Some(req), _) => {
            check_request_curve(req, curve)?;
            builder
                .issue_for_request(req, &cvca.cert, &cvca.key)
                .map_err(|e| issue_error(e, "DV certificate"))?
        }
        (None, Some(key_out)) => {
            refuse_existing(key_out, "--key-out")?;
            let key = SoftwareCvSigner::generate(curve)
                .or_config(|| "cannot generate the DV key".to_owned())?;
            let cert = builder
                .issue(&key.public_key(false), &cvca.cert, &cvca.key)
                .map_err(|e| issue_error(e, "DV certificate"))?;
            write_key(key_out, &key, "--key-out")?;
            files.push(("DV private key", key_out));
            cert
        }
        (None, None) => return Err(Fail::usage("give --key-out FILE or --request FILE")),
    };
    write_public(&a.out, &cert.to_bytes())?;
    report(global, "DV certificate issued:", Some(&cert), &files)?;
    if a.key_out.is_some() {
        test_only_note(global);
    }
    Ok(exit::OK)
}

fn check_request_curve(req: &CertificateRequest, curve: Curve) -> Result<(), Fail> {
    match req.body().curve() {
        Some(c) if c == curve => Ok(()),
        other => Err(Fail::usage(format!(
            "the request's key is on {}, but this chain uses {curve}: make a new request with \
             `ektp cvc request --curve {}`",
            other.map_or_else(|| "an unknown curve".to_owned(), |c| c.to_string()),
            match curve {
                Curve::NistP256 => "p256",
                _ => "brainpoolp256r1",
            }
        ))),
    }
}

/// What to do when the issuance policy ([`CertificateBuilder::check_issuance`]) refuses.
fn policy_error(e: CvcError, issuer: &CvCertificate, lifetime_option: &str) -> Fail {
    let is_dv = issuer.role().is_dv();
    let renew = if is_dv {
        "ask the department for a new DV certificate (`ektp cvc issue-dv`)"
    } else {
        "roll the CVCA over (`ektp cvc link`)"
    };
    match e {
        CvcError::Expired {
            chr,
            expiration,
            current,
        } if &chr == issuer.chr() => Fail::failed(format!(
            "the {} certificate {chr} expired on {expiration} (today is {current}): {renew} \
             before issuing with it",
            if is_dv { "DV" } else { "CVCA" }
        )),
        CvcError::Expired {
            expiration,
            current,
            ..
        } => Fail::usage(format!(
            "the certificate would have expired on {expiration}, before today ({current}): \
             choose a later --from or a longer lifetime"
        )),
        CvcError::RightsExceedIssuer {
            issuer,
            requested,
            granted,
            ..
        } => Fail::usage(format!(
            "the {} {issuer} may grant only {}; it cannot grant {}: give --rights within \
             those{}",
            if is_dv { "DV" } else { "CVCA" },
            rights_text(granted),
            rights_text(requested.intersection(AccessRights::from_bits(!granted.bits()))),
            if is_dv {
                ", or ask the department for a DV certificate with those rights"
            } else {
                ""
            }
        )),
        CvcError::OutlivesIssuer {
            expiration,
            issuer,
            issuer_expiration,
            ..
        } => Fail::usage(format!(
            "the certificate would end on {expiration}, after its issuer {issuer} ends on \
             {issuer_expiration}: give a shorter {lifetime_option}, or {renew}"
        )),
        other => Fail::usage(format!("cannot issue the certificate: {other}")),
    }
}

fn request(a: &RequestArgs, global: &Global) -> Result<ExitCode, Fail> {
    let chr = reference(&a.holder, "--holder")?;
    let car = a
        .car
        .as_deref()
        .map(|c| reference(c, "--car"))
        .transpose()?;
    refuse_existing(&a.key_out, "--key-out")?;
    let key = SoftwareCvSigner::generate(a.curve.into())
        .or_config(|| "cannot generate the key".to_owned())?;
    let mut builder = RequestBuilder::new(chr.clone());
    if let Some(car) = car {
        builder = builder.car(car);
    }
    let req = builder
        .sign(&key)
        .or_config(|| "cannot sign the request".to_owned())?;
    write_key(&a.key_out, &key, "--key-out")?;
    write_public(&a.out, &req.to_bytes())?;
    if global.json {
        print_json(&json!({
            "test_only": true,
            "request": show::request_json(&req),
            "files": [
                {"what": "certificate request", "path": a.out},
                {"what": "private key", "path": a.key_out},
            ],
        }))?;
    } else {
        println!("Key and certificate request for {chr} written:");
        println!("  {:<22} {}", "certificate request", a.out.display());
        println!("  {:<22} {}", "private key", a.key_out.display());
        println!("Send the request (never the key) to your DV to be issued a certificate.");
    }
    test_only_note(global);
    Ok(exit::OK)
}

fn issue_is(a: &IssueIsArgs, global: &Global) -> Result<ExitCode, Fail> {
    let dv = read_certificate(&a.dv_cert)?;
    let dvb = dv.body();
    if !dvb.role().is_dv() {
        return Err(Fail::usage(format!(
            "{} is a {} certificate ({}), not a DV certificate: give the DV's certificate \
             with --dv-cert",
            a.dv_cert.display(),
            dvb.role(),
            dvb.chr
        )));
    }
    let req = read_request(&a.request)?;
    let holder = match &a.holder {
        Some(h) => reference(h, "--holder")?,
        None => req.body().chr.clone(),
    };
    let from = effective(a.from.as_deref())?;
    let to = after_days(from, a.days).ok_or_else(|| lifetime_error("terminal certificate"))?;
    let builder = CertificateBuilder::new(
        holder,
        Chat::inspection_system(Role::Terminal, rights_of(&a.rights)),
        from,
        to,
    );
    builder
        .check_issuance(&dv, today()?)
        .map_err(|e| policy_error(e, &dv, "--days"))?;
    let key = read_key(&a.dv_key)?;
    if key.public_point() != *dvb.public_key.point() {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is not the key of the DV certificate {} ({}): give the DV's own key with --dv-key",
            a.dv_key.display(),
            dvb.chr,
            a.dv_cert.display()
        )));
    }
    if let Some(car) = &req.body().car
        && car != &dvb.chr
    {
        return Err(Fail::usage(format!(
            "the request is addressed to {car}, not to this DV ({}): check you have the right \
             request, or ask the terminal for one with `--car {}`",
            dvb.chr, dvb.chr
        )));
    }
    check_request_curve(&req, key.curve())?;
    let cert = builder
        .issue_for_request(&req, &dv, &key)
        .map_err(|e| issue_error(e, "terminal certificate"))?;
    write_public(&a.out, &cert.to_bytes())?;
    report(
        global,
        "Terminal (inspection system) certificate issued:",
        Some(&cert),
        &[("terminal certificate", &a.out)],
    )?;
    Ok(exit::OK)
}

fn link(a: &LinkArgs, global: &Global) -> Result<ExitCode, Fail> {
    let old = load_cvca(&a.cvca_dir)?;
    let chr = reference(&a.new_holder, "--new-holder")?;
    if &chr == old.cert.chr() {
        return Err(Fail::usage(format!(
            "--new-holder {chr} is the current CVCA's reference: give the next one (e.g. a \
             higher sequence number)"
        )));
    }
    if chr.country_code() != old.cert.chr().country_code() {
        return Err(Fail::usage(format!(
            "--new-holder {chr} does not start with the country code {}",
            old.cert.chr().country_code()
        )));
    }
    let from = effective(a.from.as_deref())?;
    let to = a
        .years
        .checked_mul(12)
        .and_then(|m| after_months(from, m))
        .ok_or_else(|| lifetime_error("CVCA certificate"))?;
    let key_path = cvca_key_path(&a.cvca_dir, &chr);
    let cert_path = cvca_cert_path(&a.cvca_dir, &chr);
    let link_path = a.cvca_dir.join(format!("{chr}-link.cvcert"));
    refuse_existing(&key_path, "--new-holder")?;
    let chat = old.cert.body().chat;
    let key = SoftwareCvSigner::generate(old.key.curve())
        .or_config(|| "cannot generate the new CVCA key".to_owned())?;
    let builder = CertificateBuilder::new(chr.clone(), chat, from, to);
    let new_cert = builder
        .clone()
        .self_signed(&key)
        .map_err(|e| issue_error(e, "new CVCA certificate"))?;
    let link_cert = builder
        .issue(&key.public_key(true), &old.cert, &old.key)
        .map_err(|e| issue_error(e, "link certificate"))?;
    write_key(&key_path, &key, "--new-holder")?;
    write_public(&cert_path, &new_cert.to_bytes())?;
    write_public(&link_path, &link_cert.to_bytes())?;
    write_public(&a.cvca_dir.join(CURRENT), format!("{chr}\n").as_bytes())?;
    report(
        global,
        &format!(
            "CVCA rolled over from {} to {chr} (new DV certificates are issued by {chr}):",
            old.cert.chr()
        ),
        Some(&link_cert),
        &[
            ("link certificate", &link_path),
            ("new CVCA certificate", &cert_path),
            ("new CVCA private key", &key_path),
        ],
    )?;
    test_only_note(global);
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CvDate {
        CvDate::from_yymmdd(s).unwrap()
    }

    #[test]
    fn lifetimes_are_inclusive() {
        assert_eq!(after_months(d("261206"), 3), Some(d("270305")));
        assert_eq!(after_months(d("260131"), 1), Some(d("260227")));
        assert_eq!(after_months(d("260101"), 36), Some(d("281231")));
        assert_eq!(after_days(d("261206"), 7), Some(d("261212")));
        assert_eq!(after_days(d("261206"), 1), Some(d("261206")));
        assert_eq!(after_months(d("270201"), 1), Some(d("270228")));
        assert_eq!(after_months(d("280201"), 1), Some(d("280229")));
        assert_eq!(after_months(d("990101"), 12), Some(d("991231")));
        assert_eq!(after_months(d("990102"), 12), None);
    }

    #[test]
    fn dates_parse_both_forms() {
        assert_eq!(parse_date("2026-12-06").unwrap(), d("261206"));
        assert_eq!(parse_date("261206").unwrap(), d("261206"));
        assert!(parse_date("2026-13-06").is_err());
        assert!(parse_date("20261206").is_err());
        assert!(parse_date("2026/12/06").is_err());
    }

    #[test]
    fn rights_text_matches_the_option() {
        assert_eq!(
            rights_text(AccessRights::READ_DG3.union(AccessRights::READ_DG4)),
            "read-dg3,read-dg4"
        );
        assert_eq!(rights_text(AccessRights::NONE), "none");
        assert_eq!(
            rights_text(AccessRights::from_bits(0b101)),
            "read-dg3,bit-2"
        );
    }
}
