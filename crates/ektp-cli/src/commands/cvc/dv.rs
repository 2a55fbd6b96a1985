//! Document Verifier certificates, issued under the CVCA.

use super::*;
use ektp_i18n::Message;

pub(super) fn issue_dv(a: &IssueDvArgs, global: &Global) -> Result<ExitCode, Fail> {
    let cvca = load_cvca(&a.cvca_dir)?;
    let request = a.request.as_deref().map(read_request).transpose()?;
    let holder = match (&a.holder, &request) {
        (Some(h), _) => reference(h, "--holder")?,
        (None, Some(r)) => r.body().chr.clone(),
        (None, None) => {
            return Err(Fail::usage_said(Message::new("op-cvc-err-dv-holder")));
        }
    };
    if let Some(car) = request.as_ref().and_then(|r| r.body().car.as_ref())
        && car != cvca.cert.chr()
    {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-request-cvca")
                .arg("car", car)
                .arg("cvca", cvca.cert.chr()),
        ));
    }
    let from = effective(a.from.as_deref())?;
    let to = after_months(from, a.months).ok_or_else(|| lifetime_error("op-cvc-f-dv-cert"))?;
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
    let mut files: Vec<(&'static str, &Path)> = vec![("op-cvc-f-dv-cert", &a.out)];
    let cert = match (&request, &a.key_out) {
        (Some(req), _) => {
            check_request_curve(req, curve)?;
            builder
                .issue_for_request(req, &cvca.cert, &cvca.key)
                .map_err(|e| issue_error(e, "op-cvc-f-dv-cert"))?
        }
        (None, Some(key_out)) => {
            refuse_existing(key_out, "--key-out")?;
            let key = SoftwareCvSigner::generate(curve)
                .or_config_said(|| Message::new("op-cvc-err-generate"))?;
            let cert = builder
                .issue(&key.public_key(false), &cvca.cert, &cvca.key)
                .map_err(|e| issue_error(e, "op-cvc-f-dv-cert"))?;
            write_key(key_out, &key, "--key-out")?;
            files.push(("op-cvc-f-dv-key", key_out));
            cert
        }
        (None, None) => return Err(Fail::usage_said(Message::new("op-cvc-err-dv-key"))),
    };
    write_public(&a.out, &cert.to_bytes())?;
    let headline = Message::new("op-cvc-dv-issued");
    report(global, &headline, Some(&cert), &files)?;
    if a.key_out.is_some() {
        test_only_note(global);
    }
    Ok(exit::OK)
}

pub(super) fn check_request_curve(req: &CertificateRequest, curve: Curve) -> Result<(), Fail> {
    match req.body().curve() {
        Some(c) if c == curve => Ok(()),
        other => Err(Fail::usage_said(
            Message::new("op-cvc-err-request-curve")
                .arg(
                    "given",
                    other.map_or_else(|| "?".to_owned(), |c| c.to_string()),
                )
                .arg("curve", curve)
                .arg(
                    "value",
                    match curve {
                        Curve::NistP256 => "p256",
                        _ => "brainpoolp256r1",
                    },
                ),
        )),
    }
}

/// What to do when the issuance policy ([`CertificateBuilder::check_issuance`]) refuses.
pub(super) fn policy_error(e: CvcError, issuer: &CvCertificate, lifetime_option: &str) -> Fail {
    let is_dv = issuer.role().is_dv();
    let renew = Message::new(if is_dv {
        "op-cvc-renew-dv"
    } else {
        "op-cvc-renew-cvca"
    });
    let who = if is_dv { "DV" } else { "CVCA" };
    match e {
        CvcError::Expired {
            chr,
            expiration,
            current,
        } if &chr == issuer.chr() => Fail::new(
            exit::Kind::Failed,
            anyhow::Error::new(crate::exit::Said(
                Message::new("op-cvc-err-issuer-expired")
                    .arg("who", who)
                    .arg("chr", &chr)
                    .arg("date", expiration)
                    .arg("today", current)
                    .msg("renew", renew),
            )),
        ),
        CvcError::Expired {
            expiration,
            current,
            ..
        } => Fail::usage_said(
            Message::new("op-cvc-err-would-expire")
                .arg("date", expiration)
                .arg("today", current),
        ),
        CvcError::RightsExceedIssuer {
            issuer,
            requested,
            granted,
            ..
        } => Fail::usage_said(
            Message::new(if is_dv {
                "op-cvc-err-rights-dv"
            } else {
                "op-cvc-err-rights"
            })
            .arg("who", who)
            .arg("issuer", issuer)
            .arg("granted", rights_text(granted))
            .arg(
                "requested",
                rights_text(requested.intersection(AccessRights::from_bits(!granted.bits()))),
            ),
        ),
        CvcError::OutlivesIssuer {
            expiration,
            issuer,
            issuer_expiration,
            ..
        } => Fail::usage_said(
            Message::new("op-cvc-err-outlives")
                .arg("date", expiration)
                .arg("issuer", issuer)
                .arg("end", issuer_expiration)
                .arg("option", lifetime_option)
                .msg("renew", renew),
        ),
        other => Fail::usage_said(Message::new("op-cvc-err-policy").arg("detail", other)),
    }
}
