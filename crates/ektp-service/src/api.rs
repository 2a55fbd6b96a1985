//! The routes: JSON in, the host library's view types out.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use ektp::{Can, Field};
use futures_util::Stream;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Shared;

/// An error answer: `{"error": "wrong_can", "message": "…", "detail": "…"}` with its HTTP
/// status. `message` is for people, in the request's language (service.ftl, by `error`);
/// `detail` is the technical cause in English. Neither holds a CAN or card data.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

/// Every `error` code an answer may carry (each has a `service-error-CODE` message in
/// service.ftl, in both languages: the tests hold them to it).
#[cfg(test)]
pub(crate) const ERROR_CODES: [&str; 20] = [
    "token_required",
    "foreign_host",
    "origin_not_allowed",
    "bad_can",
    "unknown_field",
    "wrong_can",
    "too_many_can_attempts",
    "reader",
    "no_trust_store",
    "card",
    "field_missing",
    "not_found",
    "internal",
    "bad_finger",
    "too_many_finger_attempts",
    "bad_request",
    "unknown_application",
    "no_applications",
    "bad_application",
    "no_terminal",
];

/// What a localized error answer is made from; the guard renders it in the request's
/// language (`crate::text::localize`).
#[derive(Debug, Clone)]
pub(crate) struct ErrorInfo {
    pub code: &'static str,
    pub detail: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// The `error` code.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    pub(crate) fn internal(e: &impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(json!({"error": self.code, "message": self.message, "detail": self.message})),
        )
            .into_response();
        r.extensions_mut().insert(ErrorInfo {
            code: self.code,
            detail: self.message,
        });
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

/// The body of `read`, `verify` and `face`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CardRequest {
    /// The 6-digit CAN printed on the card.
    can: String,
    /// The reader's name; default: the configured one, else the only reader with a card.
    #[serde(default)]
    reader: Option<String>,
    /// `read` only: just these fields (the `ektp read --only` names).
    #[serde(default)]
    fields: Option<Vec<String>>,
    /// `read` only: add the card face as a PNG data URL (`face_png`).
    #[serde(default)]
    face: bool,
    /// `verify` only: the id of the application the card must carry, looked up in the
    /// service's applications directory (`ektp serve --applications DIR`).
    #[serde(default)]
    application: Option<String>,
    /// `verify` only: live captures of the holder's finger, matched against DG3 (needs the
    /// service's terminal).
    #[serde(default)]
    finger: Option<Vec<crate::desk_checks::FingerCapture>>,
    /// `verify` only: the collector is a representative with this power of attorney (the
    /// registry records it with the handover instead of a fingerprint).
    #[serde(default)]
    power_of_attorney: Option<String>,
}

impl CardRequest {
    fn can(&self, shared: &Shared) -> Result<Can, ApiError> {
        let can = Can::new(&self.can).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_can",
                "the CAN is the 6 digits printed on the card",
            )
        })?;
        shared.limiter.attempt()?;
        Ok(can)
    }

    fn fields(&self) -> Result<Option<Vec<Field>>, ApiError> {
        self.fields
            .as_ref()
            .map(|names| {
                names
                    .iter()
                    .map(|n| {
                        Field::parse(n).ok_or_else(|| {
                            ApiError::new(
                                StatusCode::BAD_REQUEST,
                                "unknown_field",
                                format!("unknown field {n:?}"),
                            )
                        })
                    })
                    .collect()
            })
            .transpose()
    }
}

/// Runs reader work on tokio's blocking threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(&e))?
}

/// `GET /api/readers`.
pub(crate) async fn readers(State(s): State<Arc<Shared>>) -> Result<Json<Value>, ApiError> {
    let cards = s.cards.clone();
    Ok(Json(blocking(move || cards.readers()).await?))
}

/// `POST /api/read`.
pub(crate) async fn read(
    State(s): State<Arc<Shared>>,
    Json(req): Json<CardRequest>,
) -> Result<Json<Value>, ApiError> {
    let fields = req.fields()?;
    let can = req.can(&s)?;
    let cards = s.cards.clone();
    let v = blocking(move || cards.read(req.reader.as_deref(), &can, fields.as_deref(), req.face));
    Ok(Json(v.await?))
}

/// `POST /api/verify`.
pub(crate) async fn verify(
    State(s): State<Arc<Shared>>,
    headers: axum::http::HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    Json(req): Json<CardRequest>,
) -> Result<Json<Value>, ApiError> {
    let lang = crate::text::request_lang(&headers, query.as_deref(), s.lang);
    let extras = crate::desk_checks::VerifyExtras::from_request(
        req.application.clone(),
        req.finger.as_deref().unwrap_or_default(),
        req.power_of_attorney.clone(),
    )?;
    let can = req.can(&s)?;
    let cards = s.cards.clone();
    Ok(Json(
        blocking(move || cards.verify(req.reader.as_deref(), &can, &extras, lang)).await?,
    ))
}

/// `POST /api/face`: the card face as `image/png`.
pub(crate) async fn face(
    State(s): State<Arc<Shared>>,
    Json(req): Json<CardRequest>,
) -> Result<Response, ApiError> {
    let can = req.can(&s)?;
    let cards = s.cards.clone();
    let png = blocking(move || cards.face(req.reader.as_deref(), &can)).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// `GET /api/events`: `arrival` and `removal` events, `data: {"reader": "…"}`.
pub(crate) async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = s.events.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    let data = serde_json::to_string(&ev).unwrap_or_default();
                    return Some((Ok(Event::default().event(ev.kind).data(data)), rx));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// `GET /openapi.json`.
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::OPENAPI_JSON,
    )
        .into_response()
}

/// Any other path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}
