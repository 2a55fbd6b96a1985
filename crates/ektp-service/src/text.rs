//! What people read on the desk page, in the request's language: the service's own messages
//! (errors: wrong CAN, no card, too many attempts, …) from `service.ftl`, and each check's
//! result line. JSON keys and error codes stay language-neutral.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use ektp::{CheckResult, VerifyReport};
use ektp_i18n::{Catalog, Lang};
use serde_json::{Value, json};

use crate::api::ErrorInfo;

/// The language of a request: `?lang=id|en`, else the first `Accept-Language` tag that is
/// Indonesian or English, else the service's.
pub(crate) fn request_lang(headers: &HeaderMap, query: Option<&str>, default: Lang) -> Lang {
    let from_query = query.and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::parse)
    });
    let from_header = || {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .map(|t| t.split(';').next().unwrap_or_default())
                    .find_map(Lang::parse)
            })
    };
    from_query.or_else(from_header).unwrap_or(default)
}

/// The catalogue's message `id`, or `None` when it lacks one.
fn message(catalog: &Catalog, id: &str) -> Option<String> {
    let text = catalog.get(id);
    (text != id).then_some(text)
}

/// An error answer's `message` in `lang` (`service-error-CODE` in service.ftl; the English
/// detail when the catalogue has no message for the code). Other responses pass unchanged.
pub(crate) fn localize(resp: Response, lang: Lang) -> Response {
    let Some(info) = resp.extensions().get::<ErrorInfo>().cloned() else {
        return resp;
    };
    let catalog = Catalog::new(lang);
    let text = message(&catalog, &format!("service-error-{}", info.code))
        .unwrap_or_else(|| info.detail.clone());
    let body = json!({"error": info.code, "message": text, "detail": info.detail});
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    Response::from_parts(parts, axum::body::Body::from(body.to_string()))
}

/// The one place a check's reason becomes what the desk page shows: its message (an id of
/// checks.ftl with language-neutral arguments) in the catalogue's language.
pub(crate) fn check_reason(check: &CheckResult, catalog: &Catalog) -> String {
    catalog.render(&check.message)
}

/// The status word of a check (`status-pass`, … of face.ftl, shared with the printout).
fn status_text(status: &str, catalog: &Catalog) -> String {
    let id = format!("status-{}", status.to_ascii_lowercase());
    message(catalog, &id).unwrap_or_else(|| status.to_owned())
}

/// One row of the page's checks table: `{check, status, status_text, reason}`.
pub(crate) fn check_row(check: &str, status: &str, reason: String, catalog: &Catalog) -> Value {
    json!({
        "check": check,
        "status": status,
        "status_text": status_text(status, catalog),
        "reason": reason,
    })
}

/// The rows of every check of `report`, in `catalog`'s language.
pub(crate) fn report_rows(report: &VerifyReport, catalog: &Catalog) -> Vec<Value> {
    report
        .checks
        .iter()
        .map(|c| {
            let status = if c.skipped {
                "SKIP"
            } else if c.passed {
                "PASS"
            } else {
                "FAIL"
            };
            check_row(c.check.as_str(), status, check_reason(c, catalog), catalog)
        })
        .collect()
}

/// The desk page's own words that come from service.ftl (the fingerprint step), for both
/// languages: `{"id": {"finger-title": "…", …}, "en": {…}}`, as a script literal.
pub(crate) fn page_words() -> String {
    const IDS: [&str; 5] = [
        "finger-title",
        "finger-prompt",
        "finger-file",
        "finger-check",
        "finger-pending",
    ];
    let mut all = serde_json::Map::new();
    for lang in [Lang::Id, Lang::En] {
        let catalog = Catalog::new(lang);
        let words: serde_json::Map<String, Value> = IDS
            .iter()
            .map(|id| {
                let text = catalog.get(&format!("service-{id}"));
                ((*id).to_owned(), Value::String(text))
            })
            .collect();
        all.insert(lang.tag().to_owned(), Value::Object(words));
    }
    // Inside <script>: no "</" may close the element early.
    Value::Object(all).to_string().replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_language_comes_from_the_query_then_accept_language() {
        let mut h = HeaderMap::new();
        assert_eq!(request_lang(&h, None, Lang::Id), Lang::Id);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("fr-FR, en-GB;q=0.8, id;q=0.5"),
        );
        assert_eq!(request_lang(&h, None, Lang::Id), Lang::En);
        assert_eq!(
            request_lang(&h, Some("token=x&lang=id"), Lang::En),
            Lang::Id
        );
    }

    #[test]
    fn the_page_words_are_translated() {
        let words: Value = serde_json::from_str(&page_words()).unwrap();
        assert_eq!(words["id"]["finger-check"], "Periksa sidik jari");
        assert_eq!(words["en"]["finger-check"], "Check fingerprint");
    }

    #[test]
    fn every_error_code_has_a_message_in_both_languages() {
        for lang in [Lang::Id, Lang::En] {
            let catalog = Catalog::new(lang);
            for code in crate::api::ERROR_CODES {
                let id = format!("service-error-{code}");
                assert!(message(&catalog, &id).is_some(), "{lang:?} lacks {id}");
            }
        }
        let id = Catalog::new(Lang::Id);
        assert_eq!(
            message(&id, "service-error-wrong_can").as_deref(),
            Some("CAN salah: periksa 6 angka yang tercetak pada kartu")
        );
    }
}
