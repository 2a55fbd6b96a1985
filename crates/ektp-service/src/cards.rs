//! The reader work behind the routes: blocking PC/SC and card sessions through the host
//! library, one card operation at a time.

use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use axum::http::StatusCode;
use ektp::fingerprint::{self, FingerprintReport, MatchSession, NoDg3, QualityGate};
use ektp::{
    Can, Card, CardFields, Field, HolderView, ReadRequest, RevocationList, TrustStore, VerifyPolicy,
};
use ektp_face::CardImages;
use ektp_pcsc::{PcscCard, PcscContext, ReaderSelector};
use serde_json::{Value, json};

use crate::api::ApiError;
use crate::desk_checks::{DeskSetup, VerifyExtras, load_application};

/// Readers, trust store, revocation list and desk checks the service works with.
#[derive(Debug)]
pub struct Cards {
    reader: Option<String>,
    trust: Option<TrustStore>,
    revoked: RevocationList,
    desk: DeskSetup,
    fingers: crate::ledger::FingerLedger,
    busy: Mutex<()>,
}

impl Cards {
    /// `reader`: the reader to use when a request names none (else the only one holding a
    /// card); `trust`: the trust store `verify` checks against (without it `verify` answers
    /// 503); `revoked`: the revocation list (empty: `not_revoked` is SKIP).
    pub fn new(reader: Option<String>, trust: Option<TrustStore>, revoked: RevocationList) -> Self {
        Self {
            reader,
            trust,
            revoked,
            desk: DeskSetup::default(),
            fingers: crate::ledger::FingerLedger::default(),
            busy: Mutex::new(()),
        }
    }

    /// With the desk's further checks: the applications directory, the registry, the
    /// terminal for the fingerprint step.
    #[must_use]
    pub fn with_desk(mut self, desk: DeskSetup) -> Self {
        self.desk = desk;
        self
    }

    /// Whether `/api/verify` takes a fingerprint step (a terminal is configured).
    pub(crate) fn fingerprint_step(&self) -> bool {
        self.desk.terminal.is_some()
    }

    fn pcsc(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "reader", e.to_string())
    }

    /// Every reader and whether it holds a card.
    pub(crate) fn readers(&self) -> Result<Value, ApiError> {
        let ctx = PcscContext::establish().map_err(Self::pcsc)?;
        let readers = ctx.readers().map_err(Self::pcsc)?;
        Ok(Value::Array(
            readers
                .iter()
                .map(|r| json!({"name": r.name, "card": r.has_card()}))
                .collect(),
        ))
    }

    fn connect(&self, reader: Option<&str>) -> Result<PcscCard, ApiError> {
        let ctx = PcscContext::establish().map_err(Self::pcsc)?;
        let selector = match reader.or(self.reader.as_deref()) {
            Some(name) => ReaderSelector::Named(name.to_owned()),
            None => ReaderSelector::OnlyWithCard,
        };
        ctx.connect_selected(&selector).map_err(Self::pcsc)
    }

    fn card_error(e: ektp::Error) -> ApiError {
        if matches!(e, ektp::Error::WrongCan) {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "wrong_can",
                "wrong CAN: check the 6 digits printed on the card",
            )
        } else {
            ApiError::new(StatusCode::CONFLICT, "card", e.to_string())
        }
    }

    /// PACE with `can` and the data groups of `request`.
    fn files(
        &self,
        reader: Option<&str>,
        can: &Can,
        request: ReadRequest,
    ) -> Result<ektp::CardFiles, ApiError> {
        let mut card = Card::new(self.connect(reader)?).map_err(Self::card_error)?;
        let mut session = card.pace(can).map_err(Self::card_error)?;
        session.read_files(request).map_err(Self::card_error)
    }

    /// `read`: the holder view (or just `fields`), and the face as a PNG data URL if asked.
    pub(crate) fn read(
        &self,
        reader: Option<&str>,
        can: &Can,
        fields: Option<&[Field]>,
        face: bool,
    ) -> Result<Value, ApiError> {
        let _one = self
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut request = fields.map_or(ReadRequest::HOLDER, Field::request);
        if face {
            request = with_face(request);
        }
        let files = self.files(reader, can, request)?;
        let mut out = match fields {
            Some(f) => {
                let all = CardFields::from_files(&files).map_err(Self::card_error)?;
                let view = all.select(f).map_err(|f| {
                    ApiError::new(
                        StatusCode::CONFLICT,
                        "field_missing",
                        format!("the card does not hold {f}"),
                    )
                })?;
                to_value(&view)?
            }
            None => to_value(&HolderView::from_files(&files).map_err(Self::card_error)?)?,
        };
        if face && let Some(o) = out.as_object_mut() {
            o.insert("face_png".to_owned(), Value::String(face_data_url(&files)?));
        }
        Ok(out)
    }

    /// `verify`: the report with the expected application, the fingerprint step and the
    /// registry as configured and asked; `passed` over all of them; the rows the page shows
    /// in `lang`; and, when PACE worked, the holder view and face as read.
    pub(crate) fn verify(
        &self,
        reader: Option<&str>,
        can: &Can,
        extras: &VerifyExtras,
        lang: ektp_i18n::Lang,
    ) -> Result<Value, ApiError> {
        let _one = self
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let trust = self.trust.as_ref().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_trust_store",
                "the service has no trust store: start it with --trust DIR",
            )
        })?;
        let expected = extras
            .application
            .as_deref()
            .map(|id| load_application(self.desk.applications.as_deref(), id))
            .transpose()?;
        if !extras.captures.is_empty() && self.desk.terminal.is_none() {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_terminal",
                "the service has no terminal to open the card's fingerprints: start it with \
                 --terminal-cert, --terminal-chain and --terminal-key",
            ));
        }
        let mut card = Card::new(self.connect(reader)?).map_err(Self::card_error)?;
        let policy = VerifyPolicy {
            trust,
            revoked: &self.revoked,
            expected: expected.as_ref(),
            at: SystemTime::now(),
        };
        let (mut report, files) = match &self.desk.terminal {
            None => (card.verify(can, &policy).map_err(Self::card_error)?, None),
            Some(t) => card
                .verify_with_terminal(can, &policy, &t.terminal())
                .map_err(Self::card_error)?,
        };
        if report.wrong_can {
            // A mistyped CAN checked nothing on the card: say so (and let the clerk retype it)
            // rather than a verdict.
            return Err(Self::card_error(ektp::Error::WrongCan));
        }
        let fingerprint = self.fingerprint(&mut report, files.as_ref(), extras)?;
        let card_passed = report.passed;
        // The registry is asked once the holder check is there (a capture, a power of
        // attorney, or no fingerprint step at all): the handover is recorded then, once.
        let holder_checked = !self.fingerprint_step()
            || !extras.captures.is_empty()
            || extras.power_of_attorney.is_some();
        let registry = match &self.desk.registry {
            Some(r) if holder_checked => Some(ektp_registry::desk::check(
                &r.url,
                &ektp_registry::desk::DeskOptions {
                    desk: r.desk.clone(),
                    power_of_attorney: extras.power_of_attorney.clone(),
                    fingerprint_score: None,
                },
                &report,
                &self.revoked,
                fingerprint.as_ref(),
            )),
            _ => None,
        };
        let finger_matched = fingerprint.as_ref().is_some_and(|f| f.matched);
        let fingerprint_pending = self.fingerprint_step()
            && card_passed
            && !finger_matched
            && extras.power_of_attorney.is_none();
        let passed =
            card_passed && !fingerprint_pending && registry.as_ref().is_none_or(|r| r.passed);
        let catalog = ektp_i18n::Catalog::new(lang);
        let mut rows = crate::text::report_rows(&report, &catalog);
        if let Some(r) = &registry {
            let status = if r.passed { "PASS" } else { "FAIL" };
            rows.push(crate::text::check_row(
                "registry",
                status,
                catalog.render(&r.message),
                &catalog,
            ));
        }
        let mut out = json!({
            "passed": passed,
            "card_passed": card_passed,
            "fingerprint_step": self.fingerprint_step(),
            "fingerprint_pending": fingerprint_pending,
            "report": to_value(&report)?,
            "fingerprint": to_value(&fingerprint)?,
            "registry": to_value(&registry)?,
            "rows": rows,
        });
        let pace_ok = report
            .check(ektp::CheckKind::Pace)
            .is_some_and(|c| c.passed);
        if pace_ok {
            let files = card
                .pace(can)
                .and_then(|mut s| s.read_files(with_face(ReadRequest::HOLDER)))
                .map_err(Self::card_error)?;
            let view = HolderView::from_files(&files).map_err(Self::card_error)?;
            if let Some(o) = out.as_object_mut() {
                o.insert("holder".to_owned(), to_value(&view)?);
                o.insert("face_png".to_owned(), Value::String(face_data_url(&files)?));
            }
        }
        Ok(out)
    }

    /// The fingerprint check of a verified card, when the service has a terminal (without
    /// captures it is `SKIP`: the page then offers the step). `None` without a terminal.
    /// Captures are matched with the card's attempts kept across requests (the ledger).
    ///
    /// # Errors
    /// `too_many_finger_attempts` when the card has used its attempts: nothing is matched.
    fn fingerprint(
        &self,
        report: &mut ektp::VerifyReport,
        files: Option<&ektp::CardFiles>,
        extras: &VerifyExtras,
    ) -> Result<Option<FingerprintReport>, ApiError> {
        if self.desk.terminal.is_none() {
            return Ok(None);
        }
        // The card is known by its EF.SOD; a card without one cannot pass Passive
        // Authentication, so no match is tried and its (shared) entry is never kept.
        let card = report.sod_sha256.clone().unwrap_or_default();
        let fresh = || MatchSession::new(self.desk.threshold, self.desk.attempts);
        let mut check = |session: &mut MatchSession| {
            fingerprint::check(
                report,
                files.ok_or(NoDg3::NotOpened),
                &extras.captures,
                session,
                &QualityGate::default(),
            )
        };
        if extras.captures.is_empty() {
            // Nothing to match: the check says why it was not made, and no count is touched.
            return Ok(Some(check(&mut fresh())));
        }
        self.fingers
            .check(&card, Instant::now(), fresh, check)
            .map(Some)
    }

    /// `face`: the card face as PNG bytes.
    pub(crate) fn face(&self, reader: Option<&str>, can: &Can) -> Result<Vec<u8>, ApiError> {
        let _one = self
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let files = self.files(reader, can, with_face(ReadRequest::HOLDER))?;
        render(&files)
    }
}

fn with_face(mut r: ReadRequest) -> ReadRequest {
    let h = ReadRequest::HOLDER;
    r.dg1 |= h.dg1;
    r.dg11 |= h.dg11;
    r.dg12 |= h.dg12;
    r.dg13 |= h.dg13;
    r.portrait = true;
    r.signature = true;
    r
}

fn to_value(v: &impl serde::Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::internal(&e))
}

fn render(files: &ektp::CardFiles) -> Result<Vec<u8>, ApiError> {
    let view = HolderView::from_files(files).map_err(Cards::card_error)?;
    let images = CardImages::from_files(files).map_err(|e| ApiError::internal(&e))?;
    ektp_face::render_face_png(&view, &images).map_err(|e| ApiError::internal(&e))
}

fn face_data_url(files: &ektp::CardFiles) -> Result<String, ApiError> {
    Ok(format!("data:image/png;base64,{}", base64(&render(files)?)))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
