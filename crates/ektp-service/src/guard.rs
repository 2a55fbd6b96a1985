//! The rules every request passes before a handler runs: `Host`, `Origin`, token, and, on the
//! way out, `Cache-Control: no-store` and CORS headers for an allowed origin only.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Shared;
use crate::api::ApiError;

/// What the checks allow.
enum Verdict {
    /// A CORS preflight from an allowed origin (no token: preflights carry none).
    Preflight(String),
    /// A request to pass on, with the allowed origin it came from, if any.
    Pass(Option<String>),
}

/// The loopback names the service answers to (`Host`), with its port.
fn own_hosts(port: u16) -> [String; 3] {
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
}

/// The service's own origins (the desk page it serves).
fn own_origins(port: u16) -> [String; 3] {
    own_hosts(port).map(|h| format!("http://{h}"))
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Compares without stopping at the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token of a request: `Authorization: Bearer …`, else `?token=…`.
fn presented_token(req: &Request) -> Option<String> {
    if let Some(v) = header_str(req.headers(), header::AUTHORIZATION) {
        return v.strip_prefix("Bearer ").map(|t| t.trim().to_owned());
    }
    req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("token="))
            .map(str::to_owned)
    })
}

fn check(shared: &Shared, req: &Request) -> Result<Verdict, ApiError> {
    let host = header_str(req.headers(), header::HOST).unwrap_or_default();
    if !own_hosts(shared.port).iter().any(|h| h == host) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "foreign_host",
            "the Host header is not this service's loopback address (DNS rebinding refused)",
        ));
    }
    let origin = header_str(req.headers(), header::ORIGIN).map(str::to_owned);
    if let Some(o) = &origin {
        let allowed = shared.allowed_origins.iter().any(|a| a == o)
            || own_origins(shared.port).iter().any(|a| a == o);
        if !allowed {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this page's origin is not allowed to use the card service: add it to the \
                 service's allowed origins",
            ));
        }
        if req.method() == Method::OPTIONS {
            return Ok(Verdict::Preflight(o.clone()));
        }
    }
    match presented_token(req) {
        Some(t) if same_secret(t.as_bytes(), shared.token.as_str().as_bytes()) => {
            Ok(Verdict::Pass(origin))
        }
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "token_required",
            "this service needs its installation token: Authorization: Bearer TOKEN",
        )),
    }
}

fn allow_origin(resp: &mut Response, origin: &str) {
    if let Ok(v) = HeaderValue::from_str(origin) {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

/// The middleware: refuses what the rules refuse, stamps what goes out.
pub(crate) async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let lang = crate::text::request_lang(req.headers(), req.uri().query(), shared.lang);
    let resp = match check(&shared, &req) {
        Err(e) => e.into_response(),
        Ok(Verdict::Preflight(origin)) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            allow_origin(&mut r, &origin);
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
            r
        }
        Ok(Verdict::Pass(origin)) => {
            let mut r = next.run(req).await;
            if let Some(o) = origin {
                allow_origin(&mut r, &o);
            }
            r
        }
    };
    let mut resp = crate::text::localize(resp, lang);
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Method, path and status only: the query may hold the token, bodies hold CANs and data.
    tracing::info!("{method} {path} {}", resp.status().as_u16());
    resp
}

/// At most `max` requests with a CAN in any minute.
pub(crate) struct CanLimiter {
    max: usize,
    window: Duration,
    attempts: Mutex<VecDeque<Instant>>,
}

impl CanLimiter {
    pub fn per_minute(max: usize) -> Self {
        Self {
            max,
            window: Duration::from_secs(60),
            attempts: Mutex::new(VecDeque::new()),
        }
    }

    /// Counts an attempt, or refuses it with 429 when the minute's attempts are used up.
    pub fn attempt(&self) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut q = self
            .attempts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) > self.window)
        {
            q.pop_front();
        }
        if q.len() >= self.max {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_can_attempts",
                "too many CAN attempts in the last minute: wait a minute and try again",
            ));
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abcd", b"abcd"));
        assert!(!same_secret(b"abcd", b"abce"));
        assert!(!same_secret(b"abc", b"abcd"));
    }

    #[test]
    fn the_limiter_refuses_past_its_count() {
        let l = CanLimiter::per_minute(2);
        assert!(l.attempt().is_ok());
        assert!(l.attempt().is_ok());
        assert!(l.attempt().is_err());
    }
}
