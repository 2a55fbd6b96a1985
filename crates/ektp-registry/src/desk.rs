//! The pickup desk's registry check, shared by `ektp verify --registry` and `ektp serve`: the
//! card must be the one recorded as issued (same EF.SOD), not revoked, not yet handed over;
//! after a PASS the handover is recorded once, with the holder check. With the registry
//! unreachable the signed revocation list decides, and the check says so.

use ektp::fingerprint::FingerprintReport;
use ektp::{RevocationList, VerifyReport};

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
    /// Why.
    pub reason: String,
    /// Whether this verification recorded the handover.
    pub handover_recorded: bool,
    /// Whether the registry was unreachable and the signed revocation list decided.
    pub fallback: bool,
}

impl RegistryCheck {
    fn new(passed: bool, reason: impl Into<String>) -> Self {
        Self {
            passed,
            reason: reason.into(),
            handover_recorded: false,
            fallback: false,
        }
    }

    /// The report line, as the library's checks print.
    pub fn line(&self) -> String {
        let status = if self.passed { "PASS" } else { "FAIL" };
        format!("{status}  {:<24} {}", "registry", self.reason)
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
        return RegistryCheck::new(
            false,
            "the card's document number or EF.SOD could not be read: cannot look it up",
        );
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
        return RegistryCheck::new(
            false,
            format!("document {doc} is not recorded as issued in the registry"),
        );
    };
    if card.sod_sha256 != sod {
        return RegistryCheck::new(
            false,
            format!("document {doc} was issued with another EF.SOD: not the card issued"),
        );
    }
    if let Some(reason) = card.revoked {
        return RegistryCheck::new(
            false,
            format!("document {doc} is revoked ({reason}): do not hand it out"),
        );
    }
    if let Some(desk) = card.handed_over_by {
        return RegistryCheck::new(
            false,
            format!("document {doc} was already handed over (desk {desk}): refuse"),
        );
    }
    if !report.passed {
        return RegistryCheck::new(
            true,
            format!("document {doc} is the card issued; handover NOT recorded (card failed)"),
        );
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
                format!(
                    "document {doc} is the card issued, but the handover needs the holder check: \
                     match the holder's finger (--finger with a terminal), or give \
                     --power-of-attorney REF"
                ),
            );
        }
    };
    match reg.record_handover(doc, sod, &options.desk, &holder) {
        Ok(()) => {
            let how = match &holder {
                HolderCheck::PowerOfAttorney { .. } => "power of attorney".to_owned(),
                HolderCheck::Fingerprint { score } => format!("fingerprint score {score}"),
            };
            RegistryCheck {
                handover_recorded: true,
                ..RegistryCheck::new(
                    true,
                    format!(
                        "document {doc} is the card issued, not revoked; handover recorded \
                         (desk {}, {how})",
                        options.desk
                    ),
                )
            }
        }
        Err(Error::Refused(Refusal::AlreadyHandedOver)) => RegistryCheck::new(
            false,
            format!("document {doc} was already handed over: refuse"),
        ),
        Err(Error::Refused(r)) => RegistryCheck::new(false, format!("registry refuses: {r}")),
        Err(e) => RegistryCheck::new(false, format!("handover NOT recorded: {e}")),
    }
}

/// The registry cannot be reached: the signed revocation list decides, and the desk says so.
fn fallback(e: &Error, revoked: &RevocationList) -> RegistryCheck {
    let mut c = match revoked.signed() {
        Some(list) => RegistryCheck::new(
            true,
            format!(
                "registry unreachable ({e}); checked against the signed revocation list {} \
                 instead; handover NOT recorded",
                list.list_number
            ),
        ),
        None => RegistryCheck::new(
            false,
            format!(
                "registry unreachable ({e}) and no signed revocation list to fall back on: give \
                 --revocation-list FILE"
            ),
        ),
    };
    c.fallback = true;
    c
}
