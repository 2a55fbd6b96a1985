//! The error line in the run's language. English keeps the error chain's own words (the
//! catalogue holds the same hints); Indonesian names each error ektp knows — reader and card
//! errors, a wrong CAN, files the desk gives ([`Said`]) — from the catalogue, and only for one
//! it does not know yet adds the chain's (English) words after `rincian:`.

use ektp_i18n::{Catalog, Lang, Message};
use ektp_iso7816::TransportError;
use ektp_pcsc::PcscError;

use super::{Kind, find_pcsc, find_transport};
use crate::text::{self, t};

mod token;

/// An error message without a language: the run's language on screen, English in the chain
/// (logs, `--json` errors keep the English `message`).
#[derive(Debug)]
pub struct Said(pub Message);

impl core::fmt::Display for Said {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&Catalog::of(Lang::En).render(&self.0))
    }
}

impl std::error::Error for Said {}

/// The PC/SC error as a message id and its arguments.
fn pcsc_text(p: &PcscError) -> String {
    let reader = |id: &str, r: &str| text::f(id, &[("reader", r)]);
    match p {
        PcscError::NoService => t("cli-err-no-service"),
        PcscError::NoReaders => t("cli-err-no-readers"),
        PcscError::UnknownReader { name, .. } => {
            text::f("cli-err-unknown-reader", &[("name", name)])
        }
        PcscError::AmbiguousReader { name, .. } => {
            text::f("cli-err-ambiguous-reader", &[("name", name)])
        }
        PcscError::ReaderUnavailable { reader: r } => reader("cli-err-reader-unavailable", r),
        PcscError::NoCard { reader: r } => reader("cli-err-no-card", r),
        PcscError::NoCardInAnyReader { .. } => t("cli-err-no-card-any"),
        PcscError::SeveralCards { .. } => t("cli-err-several-cards"),
        PcscError::CardRemoved { .. } | PcscError::ResponseTooShort { .. } => {
            t("cli-err-card-removed")
        }
        PcscError::CardReset { .. } => t("cli-err-card-reset"),
        PcscError::UnresponsiveCard { reader: r } => reader("cli-err-unresponsive", r),
        PcscError::SharingViolation { reader: r } => reader("cli-err-sharing", r),
        PcscError::Timeout { .. } => t("cli-err-timeout"),
        _ => t("cli-err-reader"),
    }
}

/// What is wrong with a file, from the file or I/O error in the chain.
fn io_text(error: &anyhow::Error) -> Option<String> {
    let fs = error
        .chain()
        .find_map(|c| c.downcast_ref::<ektp_fs::FsError>());
    match fs {
        Some(ektp_fs::FsError::ReadableByOthers { path, .. }) => {
            let path = path.display().to_string();
            return Some(text::f("cli-fs-readable-by-others", &[("path", &path)]));
        }
        Some(ektp_fs::FsError::TooLarge { .. }) => return Some(t("cli-fs-too-large")),
        _ => {}
    }
    let io = error
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())?;
    match io.kind() {
        std::io::ErrorKind::NotFound => Some(t("cli-io-not-found")),
        std::io::ErrorKind::PermissionDenied => Some(t("cli-io-denied")),
        std::io::ErrorKind::AlreadyExists => Some(t("op-io-exists")),
        _ => None,
    }
}

/// The error line in Indonesian (see the module doc).
pub fn indonesian(error: &anyhow::Error, kind: Kind, hint: Option<&str>) -> String {
    if error
        .chain()
        .any(|c| matches!(c.downcast_ref::<ektp::Error>(), Some(ektp::Error::WrongCan)))
    {
        return t("cli-err-wrong-can");
    }
    let p11 = error
        .chain()
        .find_map(|c| c.downcast_ref::<ektp_pkcs11::Pkcs11Error>());
    let mut line = if let Some(p) = find_pcsc(error) {
        pcsc_text(p)
    } else if let Some(tr) = find_transport(error) {
        match tr {
            TransportError::NoCard { .. } => t("cli-err-no-card-any"),
            TransportError::CardRemoved | TransportError::ResponseTooShort { .. } => {
                t("cli-err-card-removed")
            }
            _ => t("cli-err-reader"),
        }
    } else if let Some(said) = error.downcast_ref::<Said>() {
        let mut line = text::render(&said.0);
        if let Some(io) = p11
            .map(|p| token::text(p, io_text(error)))
            .or_else(|| io_text(error))
        {
            line.push_str(": ");
            line.push_str(&io);
        }
        line
    } else if let Some(p11) = p11 {
        token::text(p11, io_text(error))
    } else if let Some(vpcd) = error
        .chain()
        .find_map(|c| c.downcast_ref::<ektp_chip::ChipError>())
        .filter(|c| c.is_vpcd())
    {
        crate::commands::sim::vpcd_text(vpcd)
    } else {
        let generic = match kind {
            Kind::Failed => "cli-err-kind-failed",
            Kind::Usage => "cli-err-kind-usage",
            Kind::Card => "cli-err-kind-card",
            Kind::Config => "cli-err-kind-config",
            Kind::Token(_) => "cli-err-kind-token",
        };
        let detail: Vec<String> = error.chain().map(|c| c.to_string()).collect();
        format!(
            "{} ({}: {})",
            t(generic),
            t("cli-err-detail"),
            detail.join(": ").replace('\n', " ")
        )
    };
    if let Some(h) = hint {
        line.push_str(": ");
        line.push_str(&t(h));
    }
    line
}
