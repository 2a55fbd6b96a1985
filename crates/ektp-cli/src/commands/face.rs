//! `--face FILE` and `--pdf FILE`: the card face as a PNG and the A4 printout, rendered by
//! `ektp-face` from the data groups read (both files hold personal data: written 0600).

use std::path::{Path, PathBuf};

use clap::Args;
use ektp::{CardFiles, HolderView, ReadRequest};
use ektp_face::{CardImages, PrintoutText, Verification};
use ektp_i18n::{Catalog, Lang};

use crate::exit::{Fail, Tag};

/// The card face and printout options of `read` (and `verify`).
#[derive(Debug, Args)]
pub struct FaceArgs {
    /// Write the card face (photo, signature, every field with its Indonesian label) as a PNG
    /// to FILE (0600)
    #[arg(long, value_name = "FILE")]
    pub face: Option<PathBuf>,
    /// Write an A4 PDF printout (card face, every field, the verification result or "not
    /// verified", and the time) to FILE (0600), in the language of `--lang`
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
}

/// The printout's words in `lang`, from the catalogue.
pub fn printout_text(lang: Lang) -> PrintoutText {
    let c = Catalog::new(lang);
    PrintoutText {
        title: c.get("printout-title"),
        card_data: c.get("printout-card-data"),
        verification: c.get("printout-verification"),
        passed: c.get("printout-passed"),
        failed: c.get("printout-failed"),
        not_verified: c.get("printout-not-verified"),
        status_pass: c.get("status-pass"),
        status_fail: c.get("status-fail"),
        status_skip: c.get("status-skip"),
        printed_at: c.get("printout-printed-at"),
        blood_type: c.get("label-blood-type"),
        document_number: c.get("label-document-number"),
        issued: c.get("label-issued"),
        lang,
    }
}

impl FaceArgs {
    /// Whether anything is to be rendered.
    pub fn wanted(&self) -> bool {
        self.face.is_some() || self.pdf.is_some()
    }

    /// Adds what the face needs (the holder record, portrait and signature) to `request`.
    pub fn add_to(&self, request: &mut ReadRequest) {
        if self.wanted() {
            let h = ReadRequest::HOLDER;
            request.dg1 |= h.dg1;
            request.dg11 |= h.dg11;
            request.dg12 |= h.dg12;
            request.dg13 |= h.dg13;
            request.portrait = true;
            request.signature = true;
        }
    }

    /// Renders and writes the files asked for.
    ///
    /// # Errors
    /// A card error if the data groups do not decode; a file error if a file cannot be
    /// written.
    pub fn write(
        &self,
        files: &CardFiles,
        verification: Option<Verification<'_>>,
    ) -> Result<(), Fail> {
        if !self.wanted() {
            return Ok(());
        }
        let view = HolderView::from_files(files).map_err(super::read::undecodable)?;
        let images =
            CardImages::from_files(files).map_err(|e| Fail::card(anyhow::anyhow!("{e}")))?;
        if let Some(path) = &self.face {
            let png = ektp_face::render_face_png(&view, &images)
                .or_config(|| "cannot render the card face".to_owned())?;
            write(path, &png, "cli-what-face")?;
        }
        if let Some(path) = &self.pdf {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            let text = printout_text(crate::text::lang());
            let pdf = ektp_face::render_pdf(&view, &images, verification, now, &text)
                .or_config(|| "cannot render the printout".to_owned())?;
            write(path, &pdf, "cli-what-pdf")?;
        }
        Ok(())
    }
}

impl FaceArgs {
    /// After `verify`: reads the holder's data groups again (a second PACE; the verification
    /// does not keep them) and writes the face and the printout with the result. Nothing
    /// when neither is asked for or PACE failed (a wrong CAN: nothing to show).
    ///
    /// # Errors
    /// As [`FaceArgs::write`], and a card error if the second read fails.
    pub fn write_verified<T: ektp_iso7816::CardTransport>(
        &self,
        card: &mut ektp::Card<T>,
        can: &ektp::Can,
        report: &ektp::VerifyReport,
        passed: bool,
    ) -> Result<(), Fail> {
        let pace_ok = report
            .check(ektp::CheckKind::Pace)
            .is_some_and(|c| c.passed);
        if !self.wanted() || !pace_ok {
            return Ok(());
        }
        let mut request = ReadRequest::HOLDER;
        self.add_to(&mut request);
        let files = card
            .pace(can)
            .and_then(|mut s| s.read_files(request))
            .map_err(Fail::card)?;
        self.write(&files, Some(Verification { report, passed }))
    }
}

fn write(path: &Path, bytes: &[u8], what: &'static str) -> Result<(), Fail> {
    ektp_fs::write_private(path, bytes)
        .or_config_said(|| ektp_i18n::Message::new("cli-err-write").arg("path", path.display()))?;
    let what = crate::text::t(what);
    let path = path.display().to_string();
    eprintln!(
        "{}",
        crate::text::f(
            "cli-file-written",
            &[
                ("what", &what),
                ("bytes", &bytes.len().to_string()),
                ("path", &path)
            ]
        )
    );
    Ok(())
}
