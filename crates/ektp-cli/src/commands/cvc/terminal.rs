//! A terminal's key and request, its short-lived IS certificate, and CVCA link certificates.

use super::*;
use crate::text::{self, t};
use ektp_i18n::Message;

pub(super) fn request(a: &RequestArgs, global: &Global) -> Result<ExitCode, Fail> {
    let chr = reference(&a.holder, "--holder")?;
    let car = a
        .car
        .as_deref()
        .map(|c| reference(c, "--car"))
        .transpose()?;
    refuse_existing(&a.key_out, "--key-out")?;
    let key = SoftwareCvSigner::generate(a.curve.into())
        .or_config_said(|| Message::new("op-cvc-err-generate"))?;
    let mut builder = RequestBuilder::new(chr.clone());
    if let Some(car) = car {
        builder = builder.car(car);
    }
    let req = builder
        .sign(&key)
        .or_config_said(|| Message::new("op-cvc-err-sign-request"))?;
    write_key(&a.key_out, &key, "--key-out")?;
    write_public(&a.out, &req.to_bytes())?;
    if global.json {
        print_json(&json!({
            "test_only": true,
            "request": show::request_json(&req),
            "files": [
                {"what": "certificate request", "path": a.out},
                {"what": "private key", "path": a.key_out},
            ],
        }))?;
    } else {
        let chr = chr.to_string();
        println!("{}", text::f("op-cvc-request-written", &[("chr", &chr)]));
        println!("  {:<26} {}", t("op-cvc-f-request"), a.out.display());
        println!("  {:<26} {}", t("op-cvc-f-key"), a.key_out.display());
        println!("{}", t("op-cvc-request-next"));
    }
    test_only_note(global);
    Ok(exit::OK)
}

pub(super) fn issue_is(a: &IssueIsArgs, global: &Global) -> Result<ExitCode, Fail> {
    let dv = read_certificate(&a.dv_cert)?;
    let dvb = dv.body();
    if !dvb.role().is_dv() {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-not-dv")
                .arg("path", a.dv_cert.display())
                .arg("role", role_text(dvb.role()))
                .arg("chr", &dvb.chr),
        ));
    }
    let req = read_request(&a.request)?;
    let holder = match &a.holder {
        Some(h) => reference(h, "--holder")?,
        None => req.body().chr.clone(),
    };
    let from = effective(a.from.as_deref())?;
    let to = after_days(from, a.days).ok_or_else(|| lifetime_error("op-cvc-f-terminal-cert"))?;
    let builder = CertificateBuilder::new(
        holder,
        Chat::inspection_system(Role::Terminal, rights_of(&a.rights)),
        from,
        to,
    );
    builder
        .check_issuance(&dv, today()?)
        .map_err(|e| policy_error(e, &dv, "--days"))?;
    let key = read_key(&a.dv_key)?;
    if key.public_point() != *dvb.public_key.point() {
        return Err(Fail::config_said(
            Message::new("op-cvc-err-dv-key-mismatch")
                .arg("key", a.dv_key.display())
                .arg("chr", &dvb.chr)
                .arg("cert", a.dv_cert.display()),
        ));
    }
    if let Some(car) = &req.body().car
        && car != &dvb.chr
    {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-request-dv")
                .arg("car", car)
                .arg("dv", &dvb.chr),
        ));
    }
    check_request_curve(&req, key.curve())?;
    let cert = builder
        .issue_for_request(&req, &dv, &key)
        .map_err(|e| issue_error(e, "op-cvc-f-terminal-cert"))?;
    write_public(&a.out, &cert.to_bytes())?;
    report(
        global,
        &Message::new("op-cvc-is-issued"),
        Some(&cert),
        &[("op-cvc-f-terminal-cert", &a.out)],
    )?;
    Ok(exit::OK)
}

pub(super) fn link(a: &LinkArgs, global: &Global) -> Result<ExitCode, Fail> {
    let old = load_cvca(&a.cvca_dir)?;
    let chr = reference(&a.new_holder, "--new-holder")?;
    if &chr == old.cert.chr() {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-same-holder").arg("chr", &chr),
        ));
    }
    if chr.country_code() != old.cert.chr().country_code() {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-new-holder-country")
                .arg("chr", &chr)
                .arg("country", old.cert.chr().country_code()),
        ));
    }
    let from = effective(a.from.as_deref())?;
    let to = a
        .years
        .checked_mul(12)
        .and_then(|m| after_months(from, m))
        .ok_or_else(|| lifetime_error("op-cvc-f-cvca-cert"))?;
    let key_path = cvca_key_path(&a.cvca_dir, &chr);
    let cert_path = cvca_cert_path(&a.cvca_dir, &chr);
    let link_path = a.cvca_dir.join(format!("{chr}-link.cvcert"));
    refuse_existing(&key_path, "--new-holder")?;
    let chat = old.cert.body().chat;
    let key = SoftwareCvSigner::generate(old.key.curve())
        .or_config_said(|| Message::new("op-cvc-err-generate"))?;
    let builder = CertificateBuilder::new(chr.clone(), chat, from, to);
    let new_cert = builder
        .clone()
        .self_signed(&key)
        .map_err(|e| issue_error(e, "op-cvc-f-new-cvca-cert"))?;
    let link_cert = builder
        .issue(&key.public_key(true), &old.cert, &old.key)
        .map_err(|e| issue_error(e, "op-cvc-f-link-cert"))?;
    write_key(&key_path, &key, "--new-holder")?;
    write_public(&cert_path, &new_cert.to_bytes())?;
    write_public(&link_path, &link_cert.to_bytes())?;
    write_public(&a.cvca_dir.join(CURRENT), format!("{chr}\n").as_bytes())?;
    report(
        global,
        &Message::new("op-cvc-rolled")
            .arg("old", old.cert.chr())
            .arg("new", &chr),
        Some(&link_cert),
        &[
            ("op-cvc-f-link-cert", &link_path),
            ("op-cvc-f-new-cvca-cert", &cert_path),
            ("op-cvc-f-new-cvca-key", &key_path),
        ],
    )?;
    test_only_note(global);
    Ok(exit::OK)
}
