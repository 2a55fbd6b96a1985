//! `ektp verify --registry URL`: the desk checks the card against the issuance registry (the
//! card recorded as issued, same EF.SOD, not revoked) and records the handover after a PASS.
//! With the registry unreachable it falls back to the signed revocation list and says so. The
//! check itself is `ektp_registry::desk`, shared with `ektp serve`.

use clap::Args;
use ektp::{RevocationList, VerifyReport};
use ektp_registry::desk::DeskOptions;

use crate::config::Global;
use crate::exit::Fail;
use crate::text::{self, t};
use ektp::fingerprint::FingerprintReport;

/// The registry options of `ektp verify`.
#[derive(Debug, Clone, Args)]
pub struct DeskRegistryArgs {
    /// The issuance registry: the card must be the one recorded as issued (same EF.SOD) and
    /// not revoked; after a PASS the handover is recorded, once [config: registry]
    #[arg(long, value_name = "URL")]
    pub registry: Option<String>,
    /// This desk's name, recorded with the handover
    #[arg(long, value_name = "NAME", default_value = "desk")]
    pub desk: String,
    /// The collector is a representative with a power of attorney: its reference
    #[arg(long, value_name = "REF")]
    pub power_of_attorney: Option<String>,
    /// The holder collected in person, checked on a separate fingerprint reader: its score
    /// (a live `--finger` match made by this verify is used instead when there is one)
    #[arg(long, value_name = "SCORE", conflicts_with = "power_of_attorney")]
    pub fingerprint_score: Option<i32>,
}

/// The registry check (the same for `ektp serve`: `ektp_registry::desk`).
pub use ektp_registry::desk::RegistryCheck;

/// The report line of the registry check, as the library's checks print, in the run's
/// language.
pub fn line(check: &RegistryCheck) -> String {
    let status = t(if check.passed {
        "status-pass"
    } else {
        "status-fail"
    });
    let name = t("check-name-registry");
    format!("{status}  {name:<24} {}", text::render(&check.message))
}

/// Runs the registry check if a registry is given (`--registry` or the config).
///
/// # Errors
/// None today (an unreachable registry is a fallback, not an error); kept fallible for
/// configuration problems.
pub fn check(
    args: &DeskRegistryArgs,
    global: &Global,
    report: &VerifyReport,
    revoked: &RevocationList,
    fingerprint: Option<&FingerprintReport>,
) -> Result<Option<RegistryCheck>, Fail> {
    let Some(url) = args
        .registry
        .clone()
        .or_else(|| global.config.registry.clone())
    else {
        return Ok(None);
    };
    let options = DeskOptions {
        desk: args.desk.clone(),
        power_of_attorney: args.power_of_attorney.clone(),
        fingerprint_score: args.fingerprint_score,
    };
    Ok(Some(ektp_registry::desk::check(
        &url,
        &options,
        report,
        revoked,
        fingerprint,
    )))
}
