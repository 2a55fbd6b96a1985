//! The pickup desk's page: one HTML file with its script and style inline, embedded in the
//! binary (no CDN, nothing fetched but this service's own API).

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The page (`static/desk.html`).
pub const DESK_HTML: &str = include_str!("../static/desk.html");

/// What the page may load: its own inline script and style, images from data URLs, and
/// requests to this service only.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
                   frame-ancestors 'none'";

/// `GET /`: the page, in the service's language.
pub(crate) async fn page(State(s): State<Arc<crate::Shared>>) -> Response {
    let html = DESK_HTML
        .replacen(
            "<html lang=\"id\">",
            &format!("<html lang=\"{}\">", s.lang.tag()),
            1,
        )
        .replacen("{/*SERVICE_WORDS*/}", &crate::text::page_words(), 1)
        .replacen(
            "/*FINGERPRINT_STEP*/false",
            if s.cards.fingerprint_step() {
                "true"
            } else {
                "false"
            },
            1,
        );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        html,
    )
        .into_response()
}
