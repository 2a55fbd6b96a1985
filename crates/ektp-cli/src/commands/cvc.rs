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

mod authority;
mod dates;
mod dv;
mod files;
mod show;
mod terminal;

use authority::*;
use dates::*;
use dv::*;
pub(crate) use files::*;
use terminal::*;

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

#[cfg(test)]
mod tests;
