//! `pki show`'s description for people, in the run's language (the `--json` object it is
//! made from does not change with the language).

use serde_json::Value;

use crate::text::{self, t};

/// `v[key]`, or null.
fn g<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// `v[key]` as text, or `-`.
fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("-").to_owned()
}

/// One labelled line: the label (a message id) padded to a column.
fn row(label: &str, value: &str) {
    let width = if text::is_id() { 20 } else { 12 };
    println!("  {:<width$} {value}", t(label));
}

/// A certificate's status (`--json`'s `status`) in words.
fn status(s: &str) -> String {
    match s {
        "valid now" => t("op-show-valid-now"),
        "expired" => t("op-show-expired"),
        "not yet valid" => t("op-show-not-yet-valid"),
        other => other.to_owned(),
    }
}

pub(super) fn print_text(v: &Value) {
    match v.get("type").and_then(Value::as_str) {
        Some("certificate") => print_certificate(v),
        Some("crl") => print_crl(v),
        _ => print_sod(v),
    }
}

fn print_certificate(v: &Value) {
    let s = |k: &str| s(v, k);
    if g(v, "test_only") == true {
        println!("{}  ({})", t("op-show-cert"), t("op-show-test-only"));
    } else {
        println!("{}", t("op-show-cert"));
    }
    row("op-show-subject", &s("subject"));
    row("op-show-issuer", &s("issuer"));
    row("op-show-serial", &s("serial"));
    let valid = format!(
        "{} .. {} ({})",
        s("not_before"),
        s("not_after"),
        status(&s("status"))
    );
    row("op-show-valid", &valid);
    let key = s("public_key").replace(" bits", &format!(" {}", t("op-show-bits")));
    row("op-show-public-key", &key);
    let ca = t(if g(v, "ca") == true {
        "op-show-yes"
    } else {
        "op-show-no"
    });
    row("op-show-ca", &ca);
    row("op-show-key-usage", &s("key_usage"));
    row("op-show-sha256", &s("sha256"));
}

fn print_crl(v: &Value) {
    let s = |k: &str| s(v, k);
    println!("{}", t("op-show-crl"));
    row("op-show-issuer", &s("issuer"));
    row("op-show-this-update", &s("this_update"));
    row("op-show-next-update", &s("next_update"));
    let revoked = g(v, "revoked").as_array().cloned().unwrap_or_default();
    row("op-show-revoked", &revoked.len().to_string());
    for r in revoked {
        let serial = g(&r, "serial").as_str().unwrap_or("-");
        let at = g(&r, "revoked_at").as_str().unwrap_or("-");
        println!(
            "    {}",
            text::f("op-show-revoked-item", &[("serial", serial), ("at", at)])
        );
    }
}

fn print_sod(v: &Value) {
    let s = |k: &str| s(v, k);
    println!("{}", t("op-show-sod"));
    println!(
        "  {}",
        text::f("op-show-hashes", &[("alg", &s("digest_algorithm"))])
    );
    for h in g(v, "data_group_hashes")
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        println!(
            "    DG{:<3} {}",
            g(&h, "dg").as_u64().unwrap_or_default(),
            g(&h, "hash").as_str().unwrap_or("-")
        );
    }
    match v.get("signer").filter(|x| !x.is_null()) {
        Some(sig) => {
            let field = |k: &str| g(sig, k).as_str().unwrap_or("-").to_owned();
            row("op-show-signer", &field("subject"));
            row("op-show-issued-by", &field("issuer"));
            row("op-show-serial", &field("serial"));
        }
        None => row("op-show-signer", &t("op-show-signer-unparsable")),
    }
    row("op-show-signing-time", &s("signing_time"));
    row("op-show-sha256", &s("sha256"));
    println!("  {}", t("op-show-note"));
}
