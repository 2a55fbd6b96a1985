//! `cvc show`'s words for people, in the run's language (`--json` keeps its own English
//! names).

use ektp_pki::cvc::{CvcError, Role, TerminalType};

use crate::text::{f, t};

/// What a certificate is, by its role.
pub(super) fn kind_text(role: Role, self_signed: bool) -> String {
    t(match role {
        Role::Cvca if !self_signed => "op-cvcs-kind-link",
        Role::Cvca => "op-cvcs-kind-cvca",
        Role::DvDomestic | Role::DvForeign => "op-cvcs-kind-dv",
        _ => "op-cvcs-kind-terminal",
    })
}

/// A role in words.
pub(super) fn role_text(role: Role) -> String {
    t(match role {
        Role::Cvca => "op-cvc-role-cvca",
        Role::DvDomestic => "op-cvc-role-dv-domestic",
        Role::DvForeign => "op-cvc-role-dv-foreign",
        _ => "op-cvc-role-terminal",
    })
}

/// A terminal type in words.
pub(super) fn terminal_text(kind: TerminalType) -> String {
    match kind {
        TerminalType::InspectionSystem => t("op-cvcs-tt-is"),
        TerminalType::AuthenticationTerminal => t("op-cvcs-tt-at"),
        TerminalType::SignatureTerminal => t("op-cvcs-tt-st"),
        other => other.to_string(),
    }
}

/// A validity (`expired`, `not yet effective`, `valid today`) in words.
pub(super) fn status_text(status: &str) -> String {
    match status {
        "expired" => t("op-cvcs-expired"),
        "not yet effective" => t("op-cvcs-not-yet"),
        _ => t("op-cvcs-valid-today"),
    }
}

/// A signature check in words: by whose key (and what that key is), and what it found.
pub(super) fn check_text(
    check: Option<(&str, Option<&'static str>, &Result<(), CvcError>)>,
    hint: &str,
) -> String {
    let Some((by, note, result)) = check else {
        return f("op-cvcs-not-checked", &[("hint", hint)]);
    };
    let by = match note {
        Some(id) => format!("{by} ({})", t(id)),
        None => by.to_owned(),
    };
    match result {
        Ok(()) => f("op-cvcs-verified", &[("by", &by)]),
        Err(e) => f(
            "op-cvcs-not-verified",
            &[("by", &by), ("error", &e.to_string())],
        ),
    }
}

/// Labelled rows (a label is a message id, or a name such as CAR shown as it is), aligned at
/// `min` columns or the longest label.
pub(super) fn print_rows(rows: &[(&str, String)], min: usize) {
    let labels: Vec<String> = rows
        .iter()
        .map(|(k, _)| {
            if k.starts_with("op-") {
                t(k)
            } else {
                (*k).to_owned()
            }
        })
        .collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .fold(min, usize::max);
    for (label, (_, value)) in labels.iter().zip(rows) {
        println!("  {label:<width$} {value}");
    }
}
