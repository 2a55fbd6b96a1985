//! `ektp verify --registry URL`: the desk checks the card against the issuance registry (the
//! card recorded as issued, same EF.SOD, not revoked) and records the handover after a PASS.
//! With the registry unreachable it falls back to the signed revocation list and says so.

use clap::Args;
use ektp::{RevocationList, VerifyReport};
use ektp_registry::{Error, HolderCheck, Refusal};

use crate::config::Global;
use crate::exit::Fail;
use crate::text::{self, t};
use ektp::Message;
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

/// The registry check: passed, why, and whether the handover was recorded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegistryCheck {
    /// Whether the card may be handed over as far as the registry (or the fallback) says.
    pub passed: bool,
    /// Why, in English.
    pub reason: String,
    /// Why, without a language (a `registry-…` id of `checks.ftl` and its arguments).
    pub message: Message,
    /// Whether this verification recorded the handover.
    pub handover_recorded: bool,
    /// Whether the registry was unreachable and the signed revocation list decided.
    pub fallback: bool,
}

impl RegistryCheck {
    fn new(passed: bool, message: Message) -> Self {
        Self {
            passed,
            reason: ektp_i18n::Catalog::of(ektp_i18n::Lang::En).render(&message),
            message,
            handover_recorded: false,
            fallback: false,
        }
    }

    /// The report line, as the library's checks print, in the run's language.
    pub fn line(&self) -> String {
        let status = t(if self.passed {
            "status-pass"
        } else {
            "status-fail"
        });
        let name = t("check-name-registry");
        format!("{status}  {name:<24} {}", text::render(&self.message))
    }
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
    let (Some(doc), Some(sod_hex)) = (&report.document_number, &report.sod_sha256) else {
        return Ok(Some(RegistryCheck::new(
            false,
            Message::new("registry-unreadable"),
        )));
    };
    let sod = hex::decode(sod_hex).unwrap_or_default();
    let mut reg = match ektp_registry::Registry::connect(&url) {
        Ok(r) => r,
        Err(e) => return Ok(Some(fallback(&e, revoked))),
    };
    let card = match reg.card(doc) {
        Ok(c) => c,
        Err(e) => return Ok(Some(fallback(&e, revoked))),
    };
    let Some(card) = card else {
        return Ok(Some(RegistryCheck::new(
            false,
            Message::new("registry-not-issued").arg("doc", doc),
        )));
    };
    if card.sod_sha256 != sod {
        return Ok(Some(RegistryCheck::new(
            false,
            Message::new("registry-other-sod").arg("doc", doc),
        )));
    }
    if let Some(reason) = card.revoked {
        return Ok(Some(RegistryCheck::new(
            false,
            Message::new("registry-revoked")
                .arg("doc", doc)
                .arg("why", reason),
        )));
    }
    if let Some(desk) = card.handed_over_by {
        return Ok(Some(RegistryCheck::new(
            false,
            Message::new("registry-handed-over-at")
                .arg("doc", doc)
                .arg("desk", desk),
        )));
    }
    if !report.passed {
        return Ok(Some(RegistryCheck::new(
            true,
            Message::new("registry-card-failed").arg("doc", doc),
        )));
    }
    // The desk's own live match, when it made one, is the holder check; a typed
    // --fingerprint-score only stands in for a separate fingerprint reader.
    let live = fingerprint
        .filter(|f| f.matched)
        .and_then(|f| f.attempts.iter().filter_map(|a| a.score).max())
        .and_then(|s| i32::try_from(s).ok());
    Ok(Some(handover(&mut reg, args, live, doc, &sod)))
}

fn handover(
    reg: &mut ektp_registry::Registry,
    args: &DeskRegistryArgs,
    live_score: Option<i32>,
    doc: &str,
    sod: &[u8],
) -> RegistryCheck {
    let holder = match (
        &args.power_of_attorney,
        live_score.or(args.fingerprint_score),
    ) {
        (Some(reference), _) => HolderCheck::PowerOfAttorney {
            reference: reference.clone(),
        },
        (None, Some(score)) => HolderCheck::Fingerprint { score },
        (None, None) => {
            return RegistryCheck::new(
                false,
                Message::new("registry-needs-holder").arg("doc", doc),
            );
        }
    };
    match reg.record_handover(doc, sod, &args.desk, &holder) {
        Ok(()) => {
            let how = match &holder {
                HolderCheck::PowerOfAttorney { .. } => Message::new("registry-how-attorney"),
                HolderCheck::Fingerprint { score } => {
                    Message::new("registry-how-fingerprint").arg("score", score)
                }
                _ => Message::new("registry-how-other"),
            };
            RegistryCheck {
                handover_recorded: true,
                ..RegistryCheck::new(
                    true,
                    Message::new("registry-recorded")
                        .arg("doc", doc)
                        .arg("desk", &args.desk)
                        .msg("how", how),
                )
            }
        }
        Err(Error::Refused(Refusal::AlreadyHandedOver)) => {
            RegistryCheck::new(false, Message::new("registry-handed-over").arg("doc", doc))
        }
        Err(Error::Refused(r)) => {
            RegistryCheck::new(false, Message::new("registry-refuses").arg("detail", r))
        }
        Err(e) => RegistryCheck::new(
            false,
            Message::new("registry-not-recorded").arg("detail", e),
        ),
    }
}

/// The registry cannot be reached: the signed revocation list decides, and the desk says so.
fn fallback(e: &Error, revoked: &RevocationList) -> RegistryCheck {
    let mut c = match revoked.signed() {
        Some(list) => RegistryCheck::new(
            true,
            Message::new("registry-fallback")
                .arg("detail", e)
                .arg("list", list.list_number),
        ),
        None => RegistryCheck::new(false, Message::new("registry-no-fallback").arg("detail", e)),
    };
    c.fallback = true;
    c
}
