//! The reasons of a verification's checks without a language: every message id the library
//! gives a [`crate::CheckResult`] (in `ektp-i18n`'s `checks.ftl`), and the English made from it.

use ektp_i18n::{Catalog, Lang, Message};
use ektp_lds::DgNumber;
use ektp_pki::{CheckName, Failure};

/// A check's outcome: passed or failed, with why.
pub(crate) type Verdict = Result<Message, Message>;

/// Every message id a check's reason can carry (nested ones included), with the names of the
/// arguments the library gives it. Both catalogues have each one (tested in `ektp-i18n`'s
/// users: `crates/ektp/tests/reasons.rs`).
pub const REASON_IDS: &[(&str, &[&str])] = &[
    ("check-lifecycle-issued", &[]),
    ("check-lifecycle-personalizing", &[]),
    ("check-lifecycle-blank", &[]),
    ("check-lifecycle-unknown", &["detail"]),
    ("check-pace-ok", &[]),
    ("check-pace-wrong-can", &["detail"]),
    ("check-pace-failed", &["detail"]),
    ("check-read-ok", &[]),
    ("check-read-card-removed", &[]),
    ("check-read-failed", &["detail"]),
    ("check-read-back-ok", &[]),
    ("check-read-back-differs", &["files"]),
    ("check-pa-no-sod", &[]),
    ("check-pa-failed", &[]),
    ("check-pa-unsigned", &["dgs"]),
    ("check-pa-ok", &[]),
    ("check-pa-ok-not-read", &["not_read"]),
    ("pa-not-read-terminal", &["dg"]),
    ("pa-not-read-pace", &["dg"]),
    ("check-pa-fail-sod_structure", &["name", "detail"]),
    ("check-pa-fail-signer_certificate", &["name", "detail"]),
    ("check-pa-fail-content_type", &["name", "detail"]),
    ("check-pa-fail-message_digest", &["name", "detail"]),
    ("check-pa-fail-sod_signature", &["name", "detail"]),
    ("check-pa-fail-issuer_trusted", &["name", "detail"]),
    ("check-pa-fail-signer_validity", &["name", "detail"]),
    ("check-pa-fail-root_validity", &["name", "detail"]),
    ("check-pa-fail-signer_key_usage", &["name", "detail"]),
    ("check-pa-fail-issuer_country", &["name", "detail"]),
    ("check-pa-fail-signer_profile", &["name", "detail"]),
    ("check-pa-fail-revocation", &["name", "detail"]),
    ("check-pa-fail-data_groups_read", &["name", "detail"]),
    ("check-pa-fail-data_group_hash", &["name", "detail", "dg"]),
    ("check-dg-malformed", &["dg", "detail"]),
    ("check-issuing-state-no-dg1", &[]),
    ("check-issuing-state-ok", &["state", "country"]),
    (
        "check-issuing-state-wrong",
        &["pinned", "country", "state", "signer", "root"],
    ),
    ("country", &["code"]),
    ("country-none", &[]),
    ("check-aa-ok", &[]),
    ("check-aa-bad-signature", &[]),
    ("check-aa-command-failed", &["detail"]),
    ("check-aa-no-dg15", &[]),
    ("check-aa-unusable-key", &["curve", "detail"]),
    ("curve-named", &["name"]),
    ("curve-unknown", &[]),
    ("check-aa-no-dg14", &[]),
    ("check-aa-no-info", &[]),
    ("check-aa-bad-info", &["detail"]),
    ("check-ca-ok", &[]),
    ("check-ca-failed", &["detail"]),
    ("check-ta-not-attempted", &[]),
    ("check-ta-failed", &["terminal", "stage", "detail"]),
    ("ta-stage-pace", &[]),
    ("ta-stage-read", &[]),
    ("ta-stage-ca", &[]),
    ("ta-stage-refused", &[]),
    ("ta-stage-dg3", &[]),
    ("check-ta-sod-unread", &[]),
    ("check-ta-sod-differs", &[]),
    ("check-ta-ok", &["terminal", "dg3"]),
    ("ta-dg3-opened", &["bytes"]),
    ("ta-no-dg3", &[]),
    ("check-not-revoked-ok", &["doc"]),
    ("check-not-revoked-revoked", &["doc"]),
    ("check-not-revoked-skip", &[]),
    ("check-not-revoked-no-dg1", &[]),
    ("check-record-ok", &["dgs"]),
    ("check-record-differs", &["diffs"]),
    ("check-record-bad-application", &["detail"]),
    ("record-field-nik", &[]),
    ("record-field-name", &[]),
    ("record-field-birth", &[]),
    ("record-field-document", &[]),
    ("record-holder-unreadable", &["detail"]),
    ("record-dg-differs", &["dg"]),
    ("record-dg-not-read", &["dg"]),
    ("dg-label-1", &[]),
    ("dg-label-2", &[]),
    ("dg-label-3", &[]),
    ("dg-label-7", &[]),
    ("dg-label-11", &[]),
    ("dg-label-12", &[]),
    ("dg-label-13", &[]),
    ("dg-label-14", &[]),
    ("dg-label-15", &[]),
    ("dg-label", &["dg"]),
    ("check-fp-no-terminal", &[]),
    ("check-fp-not-opened", &[]),
    ("check-fp-no-dg3", &[]),
    ("check-fp-pa-failed", &[]),
    ("check-fp-no-capture", &[]),
    ("check-fp-bad-dg3", &["detail"]),
    ("check-fp-finger-not-held", &["finger"]),
    ("check-fp-bad-template", &["finger", "detail"]),
    (
        "check-fp-match",
        &["finger", "score", "threshold", "attempt", "of", "left"],
    ),
    (
        "check-fp-no-match",
        &["finger", "score", "threshold", "attempt", "of", "left"],
    ),
    ("check-fp-exhausted", &["detail"]),
    ("check-fp-then", &["first", "then"]),
    ("check-fp-recapture", &["detail"]),
    ("check-fp-no-live-capture", &[]),
    ("finger-right-index", &[]),
    ("finger-left-index", &[]),
    ("finger-other", &["detail"]),
];

/// A message in English: the `reason` every [`crate::CheckResult`] carries.
pub(crate) fn english(message: &Message) -> String {
    Catalog::of(Lang::En).render(message)
}

/// What a data group holds, for people: `DG2 (portrait)`.
pub(crate) fn dg_label(dg: DgNumber) -> Message {
    let id = match dg.value() {
        1 => "dg-label-1",
        2 => "dg-label-2",
        3 => "dg-label-3",
        7 => "dg-label-7",
        11 => "dg-label-11",
        12 => "dg-label-12",
        13 => "dg-label-13",
        14 => "dg-label-14",
        15 => "dg-label-15",
        _ => "dg-label",
    };
    Message::new(id).arg("dg", dg)
}

/// The first failed step of Passive Authentication: its own id per step (the English text
/// keeps the step's name and the failure's words as `name` and `detail`).
pub(crate) fn pa_failure(name: CheckName, failure: &Failure) -> Message {
    let id = match name {
        CheckName::SodStructure => "check-pa-fail-sod_structure",
        CheckName::SignerCertificate => "check-pa-fail-signer_certificate",
        CheckName::ContentType => "check-pa-fail-content_type",
        CheckName::MessageDigest => "check-pa-fail-message_digest",
        CheckName::SodSignature => "check-pa-fail-sod_signature",
        CheckName::IssuerTrusted => "check-pa-fail-issuer_trusted",
        CheckName::SignerValidity => "check-pa-fail-signer_validity",
        CheckName::RootValidity => "check-pa-fail-root_validity",
        CheckName::SignerKeyUsage => "check-pa-fail-signer_key_usage",
        CheckName::IssuerCountry => "check-pa-fail-issuer_country",
        CheckName::SignerProfile => "check-pa-fail-signer_profile",
        CheckName::Revocation => "check-pa-fail-revocation",
        CheckName::DataGroupsRead => "check-pa-fail-data_groups_read",
        CheckName::DataGroupHash(_) => "check-pa-fail-data_group_hash",
        _ => "check-pa-failed",
    };
    let message = Message::new(id).arg("name", name).arg("detail", failure);
    match name {
        CheckName::DataGroupHash(dg) => message.arg("dg", dg),
        _ => message,
    }
}
