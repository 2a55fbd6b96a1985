//! The pickup desk's registry check, shared by `ektp verify --registry` and `ektp serve`: the
//! card must be the one recorded as issued (same EF.SOD), not revoked, not yet handed over;
//! after a PASS the handover is recorded once, with the holder check. With the registry
//! unreachable the signed revocation list decides, and the check says so.

use ektp::fingerprint::FingerprintReport;
use ektp::{Message, RevocationList, VerifyReport};

use crate::{Error, HolderCheck, Refusal, Registry};

/// What the desk records with a handover.
#[derive(Debug, Clone, Default)]
pub struct DeskOptions {
    /// This desk's name, recorded with the handover.
    pub desk: String,
    /// The collector is a representative with a power of attorney: its reference.
    pub power_of_attorney: Option<String>,
    /// The holder's finger was checked on a separate reader: its score (a live match made
    /// during this verification is used instead when there is one).
    pub fingerprint_score: Option<i32>,
}

/// The registry check: passed, why, and whether the handover was recorded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegistryCheck {
    /// Whether the card may be handed over as far as the registry (or the fallback) says.
    pub passed: bool,
    /// Why, in English.
    pub reason: String,
    /// Why, without a language (a `registry-…` id of `ektp-i18n`'s `checks.ftl` and its
    /// arguments).
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
}

/// Checks the verified card of `report` against the registry at `url` and, when the card
/// passed, records the handover with the holder check (the live `fingerprint` match if it
/// matched, else `options`). Never an error: an unreachable registry is a fallback to the
/// signed revocation list in `revoked`, and says so.
pub fn check(
    url: &str,
    options: &DeskOptions,
    report: &VerifyReport,
    revoked: &RevocationList,
    fingerprint: Option<&FingerprintReport>,
) -> RegistryCheck {
    let (Some(doc), Some(sod_hex)) = (&report.document_number, &report.sod_sha256) else {
        return RegistryCheck::new(false, Message::new("registry-unreadable"));
    };
    let sod = hex::decode(sod_hex).unwrap_or_default();
    let mut reg = match Registry::connect(url) {
        Ok(r) => r,
        Err(e) => return fallback(&e, revoked),
    };
    let card = match reg.card(doc) {
        Ok(c) => c,
        Err(e) => return fallback(&e, revoked),
    };
    let Some(card) = card else {
        return RegistryCheck::new(false, Message::new("registry-not-issued").arg("doc", doc));
    };
    if card.sod_sha256 != sod {
        return RegistryCheck::new(false, Message::new("registry-other-sod").arg("doc", doc));
    }
    if let Some(reason) = card.revoked {
        return RegistryCheck::new(
            false,
            Message::new("registry-revoked")
                .arg("doc", doc)
                .arg("why", reason),
        );
    }
    if let Some(desk) = card.handed_over_by {
        return RegistryCheck::new(
            false,
            Message::new("registry-handed-over-at")
                .arg("doc", doc)
                .arg("desk", desk),
        );
    }
    if !report.passed {
        return RegistryCheck::new(true, Message::new("registry-card-failed").arg("doc", doc));
    }
    // The desk's own live match, when it made one, is the holder check; a given
    // fingerprint score only stands in for a separate fingerprint reader.
    let live = fingerprint
        .filter(|f| f.matched)
        .and_then(|f| f.attempts.iter().filter_map(|a| a.score).max())
        .and_then(|s| i32::try_from(s).ok());
    handover(&mut reg, options, live, doc, &sod)
}

fn handover(
    reg: &mut Registry,
    options: &DeskOptions,
    live_score: Option<i32>,
    doc: &str,
    sod: &[u8],
) -> RegistryCheck {
    let holder = match (
        &options.power_of_attorney,
        live_score.or(options.fingerprint_score),
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
    match reg.record_handover(doc, sod, &options.desk, &holder) {
        Ok(()) => {
            let how = match &holder {
                HolderCheck::PowerOfAttorney { .. } => Message::new("registry-how-attorney"),
                HolderCheck::Fingerprint { score } => {
                    Message::new("registry-how-fingerprint").arg("score", score)
                }
            };
            RegistryCheck {
                handover_recorded: true,
                ..RegistryCheck::new(
                    true,
                    Message::new("registry-recorded")
                        .arg("doc", doc)
                        .arg("desk", &options.desk)
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
