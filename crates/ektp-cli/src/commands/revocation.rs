//! Which revocation list `verify` checks: the department's signed list (`--revocation-list`,
//! verified against the trust store and refused when stale, unsigned or wrongly signed), or
//! for TEST setups only the unsigned plain-text file (`--revoked`, with a warning).

use std::path::Path;
use std::time::SystemTime;

use ektp::RevocationList;
use ektp_pki::TrustStore;

use crate::exit::{Fail, Tag};

/// Whether a file holds a signed list (DER CMS starts with a SEQUENCE tag) rather than text.
fn looks_signed(path: &Path) -> bool {
    use std::io::Read as _;
    let mut first = [0u8; 1];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut first))
        .is_ok()
        && first == [0x30]
}

/// Loads and verifies the signed list at `path`; any failure refuses it (fail closed).
///
/// # Errors
/// A configuration error saying what to do.
pub fn load_signed(path: &Path, trust: &TrustStore) -> Result<RevocationList, Fail> {
    RevocationList::load_signed(path, trust, SystemTime::now()).or_config_said(|| {
        ektp_i18n::Message::new("cli-err-revocation-refused").arg("path", path.display())
    })
}

/// Loads the unsigned plain-text list at `path`, warning that it is for TEST setups only.
///
/// # Errors
/// A configuration error naming the line.
pub fn load_unsigned(path: &Path, quiet: bool) -> Result<RevocationList, Fail> {
    if !quiet {
        let path = path.display().to_string();
        let line = crate::text::f("cli-warn-unsigned-revocations", &[("path", &path)]);
        eprintln!("{line}");
    }
    RevocationList::load(path).or_config_said(|| {
        ektp_i18n::Message::new("cli-err-revocation-load").arg("path", path.display())
    })
}

/// The list `verify` checks: `--revocation-list` (signed), else `--revoked` (TEST, unsigned),
/// else the config's `revocation_list` (signed if the file is DER, else TEST text); without
/// any, no list (`not_revoked` SKIP) unless `required`.
///
/// # Errors
/// A usage error when a list is required but none given; the loaders' errors.
pub fn load(
    signed: Option<&Path>,
    unsigned: Option<&Path>,
    configured: Option<&Path>,
    required: bool,
    trust: &TrustStore,
    quiet: bool,
) -> Result<RevocationList, Fail> {
    match (signed, unsigned, configured) {
        (Some(p), _, _) => load_signed(p, trust),
        (None, Some(p), _) => load_unsigned(p, quiet),
        (None, None, Some(p)) if looks_signed(p) => load_signed(p, trust),
        (None, None, Some(p)) => load_unsigned(p, quiet),
        (None, None, None) if required => Err(Fail::usage_said(ektp_i18n::Message::new(
            "cli-err-revocation-required",
        ))),
        (None, None, None) => Ok(RevocationList::new()),
    }
}

/// The list of `ektp verify`'s options and the config.
///
/// # Errors
/// As [`load`].
pub fn for_verify(
    args: &super::verify::VerifyArgs,
    global: &crate::config::Global,
    trust: &TrustStore,
) -> Result<RevocationList, Fail> {
    load(
        args.revocation_list.as_deref(),
        args.revoked.as_deref(),
        global.config.revocation_list.as_deref(),
        args.require_revoked || global.config.require_revocation_list,
        trust,
        global.verbosity < 0,
    )
}
