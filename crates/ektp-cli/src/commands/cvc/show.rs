//! `ektp cvc show FILE [--issuer CERT]`: describe a CV certificate or request, and check its
//! signature (a self-signed CVCA certificate and a request's inner signature always; a
//! certificate issued by someone else with `--issuer`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use ektp_pki::cvc::{
    CertificateRequest, Curve, CvCertificate, CvDate, CvcError, Role, TerminalType,
};
use serde_json::{Value, json};

use super::{curve_of, read_certificate, read_file, rights_text, today};
use crate::config::Global;
use crate::exit::{self, Fail};
use crate::output::print_json;
use crate::text::{f, t};

#[path = "show_text.rs"]
mod words;
use words::{check_text, kind_text, role_text, status_text, terminal_text};

/// `ektp cvc show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The CV certificate (`.cvcert`) or request (`.req`, `.cvreq`), DER
    file: PathBuf,
    /// The issuer's certificate: check FILE's signature with its key (for a request: the
    /// outer signature)
    #[arg(long, value_name = "CERT")]
    issuer: Option<PathBuf>,
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Cvca => "cvca",
        Role::DvDomestic => "dv_domestic",
        Role::DvForeign => "dv_foreign",
        Role::Terminal => "terminal",
    }
}

fn terminal_code(t: TerminalType) -> &'static str {
    match t {
        TerminalType::InspectionSystem => "inspection_system",
        TerminalType::AuthenticationTerminal => "authentication_terminal",
        TerminalType::SignatureTerminal => "signature_terminal",
        _ => "other",
    }
}

fn curve_code(c: Curve) -> &'static str {
    match c {
        Curve::NistP256 => "P-256",
        _ => "brainpoolP256r1",
    }
}

fn rights_list(text: &str) -> Vec<&str> {
    if text == "none" {
        Vec::new()
    } else {
        text.split(',').collect()
    }
}

/// A certificate as JSON (without the signature check).
pub(crate) fn certificate_json(c: &CvCertificate) -> Value {
    let b = c.body();
    let rights = rights_text(b.chat.rights());
    json!({
        "kind": "certificate",
        "car": b.car.as_str(),
        "chr": b.chr.as_str(),
        "role": role_code(b.role()),
        "self_signed": b.is_self_signed(),
        "link": b.role() == Role::Cvca && !b.is_self_signed(),
        "terminal_type": terminal_code(b.chat.terminal_type()),
        "rights": rights_list(&rights),
        "effective": b.effective.to_string(),
        "expiration": b.expiration.to_string(),
        "curve": curve_of(c).map(curve_code),
        "domain_parameters": b.public_key.domain_parameters().is_some(),
        "public_point": hex::encode_upper(b.public_key.point().as_bytes()),
    })
}

/// A request as JSON (without the signature checks).
pub(crate) fn request_json(r: &CertificateRequest) -> Value {
    let b = r.body();
    json!({
        "kind": "request",
        "car": b.car.as_ref().map(|c| c.as_str()),
        "chr": b.chr.as_str(),
        "curve": b.curve().map(curve_code),
        "outer_car": r.outer().map(|o| o.car.as_str()),
        "public_point": hex::encode_upper(b.public_key.point().as_bytes()),
    })
}

/// What a signature check found.
struct Check {
    /// Whose key was used (its CHR, and the file it came from).
    by: String,
    /// What that key is, beside `by` (a message id): self-signed, the requested key.
    note: Option<&'static str>,
    /// `Ok` or why not.
    result: Result<(), CvcError>,
}

impl Check {
    fn json(this: Option<&Check>) -> Value {
        match this {
            None => json!({"checked": false}),
            Some(c) => json!({
                "checked": true,
                "verified": c.result.is_ok(),
                "key_of": match c.note {
                    Some(id) => format!("{} ({})", c.by, ektp_i18n::Catalog::of(ektp_i18n::Lang::En).get(id)),
                    None => c.by.clone(),
                },
                "error": c.result.as_ref().err().map(ToString::to_string),
            }),
        }
    }

    fn text(this: Option<&Check>, hint: &str) -> String {
        check_text(this.map(|c| (c.by.as_str(), c.note, &c.result)), hint)
    }
}

/// A failed check (exit 1) with this message.
fn failed(message: ektp_i18n::Message) -> Fail {
    Fail::new(
        exit::Kind::Failed,
        anyhow::Error::new(crate::exit::Said(message)),
    )
}

/// Runs `ektp cvc show`.
pub fn show(a: &ShowArgs, global: &Global) -> Result<ExitCode, Fail> {
    let bytes = read_file(&a.file)?;
    match bytes.first() {
        Some(0x30) => {
            return Err(Fail::usage_said(
                ektp_i18n::Message::new("op-cvcs-err-key").arg("path", a.file.display()),
            ));
        }
        Some(0x67) => return show_request(a, &bytes, global),
        _ => {}
    }
    match CvCertificate::from_bytes(&bytes) {
        Ok(cert) => show_certificate(a, &cert, global),
        Err(cert_err) => match CertificateRequest::from_bytes(&bytes) {
            Ok(_) => show_request(a, &bytes, global),
            Err(_) => Err(Fail::config(anyhow::Error::new(cert_err).context(
                crate::exit::Said(
                    ektp_i18n::Message::new("op-cvcs-err-neither").arg("path", a.file.display()),
                ),
            ))),
        },
    }
}

fn issuer_check(cert: &CvCertificate, issuer_path: &Path) -> Result<Check, Fail> {
    let issuer = read_certificate(issuer_path)?;
    if issuer.chr() != cert.car() {
        return Err(failed(
            ektp_i18n::Message::new("op-cvcs-err-issuer")
                .arg("chr", cert.chr())
                .arg("car", cert.car())
                .arg("path", issuer_path.display())
                .arg("issuer", issuer.chr()),
        ));
    }
    let result = match curve_of(&issuer) {
        Some(curve) => cert.verify_signature(curve, &issuer.body().public_key),
        None => Err(CvcError::InvalidPublicKey {
            chr: issuer.chr().clone(),
            curve: Curve::BrainpoolP256r1,
        }),
    };
    Ok(Check {
        by: format!("{} ({})", issuer.chr(), issuer_path.display()),
        note: None,
        result,
    })
}

fn validity(now: CvDate, from: CvDate, to: CvDate) -> &'static str {
    if to < now {
        "expired"
    } else if from > now {
        "not yet effective"
    } else {
        "valid today"
    }
}

fn show_certificate(a: &ShowArgs, cert: &CvCertificate, global: &Global) -> Result<ExitCode, Fail> {
    let b = cert.body();
    let check = if let Some(issuer) = &a.issuer {
        Some(issuer_check(cert, issuer)?)
    } else if b.is_self_signed() {
        b.public_key.domain_parameters().map(|curve| Check {
            by: b.chr.to_string(),
            note: Some("op-cvcs-self-signed"),
            result: cert.verify_signature(curve, &b.public_key),
        })
    } else {
        None
    };
    let now = today()?;
    let status = validity(now, b.effective, b.expiration);
    if global.json {
        let mut v = certificate_json(cert);
        if let Some(o) = v.as_object_mut() {
            o.insert("validity".into(), json!(status.replace(' ', "_")));
            o.insert("signature".into(), Check::json(check.as_ref()));
        }
        print_json(&v)?;
    } else {
        let kind = kind_text(b.role(), b.is_self_signed());
        let curve = match (curve_of(cert), b.public_key.domain_parameters()) {
            (Some(c), Some(_)) => f("op-cvcs-curve-in-cert", &[("curve", &c.to_string())]),
            (Some(c), None) => f("op-cvcs-curve-cvca", &[("curve", &c.to_string())]),
            (None, _) => t("op-cvcs-curve-unknown"),
        };
        let file = a.file.display().to_string();
        println!(
            "{}",
            f("op-cvcs-cert-title", &[("kind", &kind), ("file", &file)])
        );
        let (expiry, today) = (b.expiration.to_string(), now.to_string());
        let status = status_text(status);
        let expires = [
            ("date", expiry.as_str()),
            ("status", &status),
            ("today", &today),
        ];
        let rows = [
            ("CAR", b.car.to_string()),
            ("CHR", b.chr.to_string()),
            ("op-cvcs-role", role_text(b.role())),
            (
                "op-cvcs-terminal-type",
                terminal_text(b.chat.terminal_type()),
            ),
            ("op-cvcs-rights", rights_text(b.chat.rights())),
            ("op-cvcs-effective", b.effective.to_string()),
            ("op-cvcs-expires", f("op-cvcs-expires-value", &expires)),
            ("op-cvcs-curve", curve),
            (
                "op-cvcs-signature",
                Check::text(check.as_ref(), &t("op-cvcs-hint-issuer")),
            ),
        ];
        words::print_rows(&rows, 14);
    }
    Ok(match check {
        Some(Check { result: Err(_), .. }) => exit::Kind::Failed.code(),
        _ => exit::OK,
    })
}

/// The request's outer signature checked against `--issuer`, if both are there.
fn outer_check(a: &ShowArgs, req: &CertificateRequest) -> Result<Option<Check>, Fail> {
    Ok(match (&a.issuer, req.outer()) {
        (Some(path), Some(o)) => {
            let issuer = read_certificate(path)?;
            if issuer.chr() != &o.car {
                return Err(failed(
                    ektp_i18n::Message::new("op-cvcs-err-outer-issuer")
                        .arg("car", &o.car)
                        .arg("path", path.display())
                        .arg("issuer", issuer.chr()),
                ));
            }
            let result = match curve_of(&issuer) {
                Some(curve) => req.verify_outer(curve, &issuer.body().public_key),
                None => Err(CvcError::InvalidPublicKey {
                    chr: issuer.chr().clone(),
                    curve: Curve::BrainpoolP256r1,
                }),
            };
            Some(Check {
                by: format!("{} ({})", issuer.chr(), path.display()),
                note: None,
                result,
            })
        }
        (Some(_), None) => {
            return Err(Fail::usage_said(ektp_i18n::Message::new(
                "op-cvcs-err-no-outer",
            )));
        }
        (None, _) => None,
    })
}

fn show_request(a: &ShowArgs, bytes: &[u8], global: &Global) -> Result<ExitCode, Fail> {
    let req = CertificateRequest::from_bytes(bytes).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(crate::exit::Said(
            ektp_i18n::Message::new("op-cvc-err-not-request").arg("path", a.file.display()),
        )))
    })?;
    let b = req.body();
    let inner = Check {
        by: b.chr.to_string(),
        note: Some("op-cvcs-requested-key"),
        result: req.verify_inner(),
    };
    let outer = outer_check(a, &req)?;
    if global.json {
        let mut v = request_json(&req);
        if let Some(o) = v.as_object_mut() {
            o.insert("inner_signature".into(), Check::json(Some(&inner)));
            o.insert("outer_signature".into(), Check::json(outer.as_ref()));
        }
        print_json(&v)?;
    } else {
        let file = a.file.display().to_string();
        println!("{}", f("op-cvcs-req-title", &[("file", &file)]));
        let rows = [
            (
                "CAR",
                b.car
                    .as_ref()
                    .map_or_else(|| t("op-cvcs-none-given"), ToString::to_string),
            ),
            ("CHR", b.chr.to_string()),
            (
                "op-cvcs-curve",
                b.curve()
                    .map_or_else(|| t("op-cvcs-unknown"), |c| c.to_string()),
            ),
            ("op-cvcs-inner", Check::text(Some(&inner), "")),
            (
                "op-cvcs-outer",
                match req.outer() {
                    None => t("op-cvcs-no-outer"),
                    Some(o) => Check::text(
                        outer.as_ref(),
                        &f("op-cvcs-hint-outer", &[("car", o.car.as_str())]),
                    ),
                },
            ),
        ];
        words::print_rows(&rows, 16);
    }
    let failed = inner.result.is_err() || outer.is_some_and(|o| o.result.is_err());
    Ok(if failed {
        exit::Kind::Failed.code()
    } else {
        exit::OK
    })
}
