//! PKCS#11 module, token, PIN and key errors ([`Pkcs11Error`]) in the run's language: each
//! kind is a message of `operator.ftl`; the token's own values (labels, URIs, `CKR_…`,
//! `CKA_…`, hex) are arguments, shown as they are.

use ektp_pkcs11::uri::UriErrorKind;
use ektp_pkcs11::{KeyPurpose, PinTries, Pkcs11Error, Unsuitable};

use crate::text::{self, t};

fn purpose(p: KeyPurpose) -> String {
    t(match p {
        KeyPurpose::DocumentSigner => "op-p11-purpose-ds",
        KeyPurpose::CvSigner => "op-p11-purpose-cv",
        KeyPurpose::MasterKey => "op-p11-purpose-master",
        _ => "op-p11-purpose-cert",
    })
}

fn unsuitable(why: &Unsuitable) -> String {
    match why {
        Unsuitable::KeyType(k) => text::f("op-p11-why-type", &[("type", k)]),
        Unsuitable::Curve(c) => text::f("op-p11-why-curve", &[("params", c)]),
        Unsuitable::KeyLength(n) => text::f("op-p11-why-length", &[("n", &n.to_string())]),
        Unsuitable::NotForSigning => t("op-p11-why-not-signing"),
        _ => t("op-p11-why-no-public"),
    }
}

fn uri_kind(kind: &UriErrorKind) -> String {
    match kind {
        UriErrorKind::NotPkcs11 => t("op-p11-uri-not-pkcs11"),
        UriErrorKind::TooLong => t("op-p11-uri-too-long"),
        UriErrorKind::BadPercentEncoding => t("op-p11-uri-percent"),
        UriErrorKind::NotUtf8 => t("op-p11-uri-utf8"),
        UriErrorKind::UnsupportedAttribute(name) => {
            text::f("op-p11-uri-unsupported", &[("name", name)])
        }
        UriErrorKind::Duplicate(name) => text::f("op-p11-uri-duplicate", &[("name", name)]),
        UriErrorKind::PinValueRefused => t("op-p11-uri-pin-value"),
        UriErrorKind::UnknownType => t("op-p11-uri-type"),
        _ => t("op-p11-uri-equals"),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        t("op-p11-none")
    } else {
        items.join(", ")
    }
}

/// The error in the run's language; `io` says what is wrong with a PIN file.
pub fn text(e: &Pkcs11Error, io: Option<String>) -> String {
    let f = text::f;
    match e {
        Pkcs11Error::ModuleNotFound { path } => f(
            "op-p11-module-not-found",
            &[("path", &path.display().to_string())],
        ),
        Pkcs11Error::ModuleLoad { path, source } => f(
            "op-p11-module-load",
            &[
                ("path", &path.display().to_string()),
                ("detail", &source.to_string()),
            ],
        ),
        Pkcs11Error::TokenNotPresent { label, present } => f(
            "op-p11-token-not-present",
            &[("label", label), ("present", &list(present))],
        ),
        Pkcs11Error::NoTokenInUri => t("op-p11-no-token-in-uri"),
        Pkcs11Error::WrongPin { token, tries } => {
            let id = match tries {
                PinTries::Low => "op-p11-wrong-pin-low",
                PinTries::FinalTry => "op-p11-wrong-pin-final",
                _ => "op-p11-wrong-pin",
            };
            f(id, &[("token", token)])
        }
        Pkcs11Error::PinLocked { token } => f("op-p11-pin-locked", &[("token", token)]),
        Pkcs11Error::PinFile(_) => match io {
            Some(io) => format!("{}: {io}", t("op-p11-pin-file")),
            None => t("op-p11-pin-file"),
        },
        Pkcs11Error::PinInvalid => t("op-p11-pin-invalid"),
        Pkcs11Error::InvalidUri { kind } => f("op-p11-invalid-uri", &[("why", &uri_kind(kind))]),
        _ => key_text(e),
    }
}

/// The errors about the token's objects and keys, and its failures.
fn key_text(e: &Pkcs11Error) -> String {
    let f = text::f;
    match e {
        Pkcs11Error::ObjectNotFound {
            uri,
            wanted,
            token,
            present,
        } => {
            let present: Vec<String> = present.iter().map(ToString::to_string).collect();
            f(
                "op-p11-object-not-found",
                &[
                    ("type", &format!("type={wanted}")),
                    ("uri", uri),
                    ("token", token),
                    ("present", &list(&present)),
                ],
            )
        }
        Pkcs11Error::AmbiguousObject { uri, count } => f(
            "op-p11-ambiguous",
            &[("count", &count.to_string()), ("uri", uri)],
        ),
        Pkcs11Error::WrongObjectType {
            uri,
            given,
            needed,
            purpose: p,
        } => f(
            "op-p11-wrong-type",
            &[
                ("uri", uri),
                ("given", &format!("type={given}")),
                ("needed", &format!("type={needed}")),
                ("purpose", &purpose(*p)),
            ],
        ),
        Pkcs11Error::KeyUnsuitable {
            uri,
            purpose: p,
            why,
        } => f(
            "op-p11-unsuitable",
            &[
                ("uri", uri),
                ("purpose", &purpose(*p)),
                ("why", &unsuitable(why)),
            ],
        ),
        Pkcs11Error::Certificate(_) => t("op-p11-certificate"),
        Pkcs11Error::KeyCertificateMismatch { uri } => f("op-p11-mismatch", &[("uri", uri)]),
        Pkcs11Error::BadTokenOutput { expected, got } => f(
            "op-p11-bad-output",
            &[
                ("got", &got.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
        Pkcs11Error::Token { operation, source } => f(
            "op-p11-failed",
            &[("operation", operation), ("detail", &source.to_string())],
        ),
        _ => t("op-p11-diversified"),
    }
}
