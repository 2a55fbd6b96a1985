//! The rules of a local service that any web page can reach, each shown over a real socket
//! with hand-written HTTP requests (so the `Host` and `Origin` headers are exactly the test's):
//! no token → 401; a wrong origin → 403 without CORS headers; a foreign `Host` (DNS
//! rebinding) → 403; another page's origin cannot read a card even with the token; CORS names
//! only an allowed origin; every answer is `no-store`; CAN attempts are rate-limited; only
//! loopback addresses are listened on; the token file is 0600.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::sync::mpsc;

use ektp::RevocationList;
use ektp_service::{Cards, Config, Error, OPENAPI_JSON, Service, Token};

const ALLOWED: &str = "https://bank.example";
const EVIL: &str = "https://evil.example";

/// A service on a free loopback port, in a thread of its own for the test's life.
fn start(attempts: usize) -> (SocketAddr, Token) {
    let token = Token::generate().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        token: token.clone(),
        allowed_origins: vec![ALLOWED.to_owned()],
        can_attempts_per_minute: attempts,
        cards: Cards::new(None, None, RevocationList::new()),
        lang: ektp_i18n::Lang::Id,
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || ektp_service::run_blocking(config, |a| tx.send(a).unwrap()));
    (rx.recv().unwrap(), token)
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

fn host(addr: SocketAddr) -> String {
    format!("127.0.0.1:{}", addr.port())
}

#[test]
fn no_token_is_401_and_the_right_token_passes() {
    let (addr, token) = start(10);
    let h = host(addr);
    let bearer = format!("Bearer {}", token.as_str());
    let none = request(addr, "GET", "/openapi.json", &[("Host", &h)], "");
    assert_eq!(none.status, 401, "{}", none.body);
    assert!(none.body.contains("token_required"));
    assert_eq!(none.header("www-authenticate").as_deref(), Some("Bearer"));
    assert_eq!(none.header("cache-control").as_deref(), Some("no-store"));
    let wrong = request(
        addr,
        "GET",
        "/openapi.json",
        &[
            ("Host", &h),
            ("Authorization", &format!("Bearer {}", "0".repeat(64))),
        ],
        "",
    );
    assert_eq!(wrong.status, 401);
    let page = request(addr, "GET", "/", &[("Host", &h)], "");
    assert_eq!(page.status, 401, "the desk page needs the token too");
    let ok = request(
        addr,
        "GET",
        "/openapi.json",
        &[("Host", &h), ("Authorization", &bearer)],
        "",
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("cache-control").as_deref(), Some("no-store"));
    let q = request(
        addr,
        "GET",
        &format!("/?token={}", token.as_str()),
        &[("Host", &h)],
        "",
    );
    assert_eq!(q.status, 200);
    assert!(q.body.contains("<html"));
    assert!(
        q.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );
    // Same for a card route: the token is checked before the card is touched.
    let read = request(
        addr,
        "POST",
        "/api/read",
        &[("Host", &h)],
        r#"{"can":"123456"}"#,
    );
    assert_eq!(read.status, 401);
}

#[test]
fn a_foreign_host_is_403_dns_rebinding() {
    let (addr, token) = start(10);
    let bearer = format!("Bearer {}", token.as_str());
    let evil_host = format!("evil.example:{}", addr.port());
    for h in [evil_host.as_str(), "127.0.0.1:1", ""] {
        let a = request(
            addr,
            "GET",
            "/openapi.json",
            &[("Host", h), ("Authorization", &bearer)],
            "",
        );
        assert_eq!(a.status, 403, "Host {h:?}");
        assert!(a.body.contains("foreign_host"));
    }
    for h in [
        format!("localhost:{}", addr.port()),
        format!("[::1]:{}", addr.port()),
    ] {
        let a = request(
            addr,
            "GET",
            "/openapi.json",
            &[("Host", &h), ("Authorization", &bearer)],
            "",
        );
        assert_eq!(a.status, 200, "Host {h:?}");
    }
}

#[test]
fn a_wrong_origin_is_403_and_cannot_read_a_card() {
    let (addr, token) = start(10);
    let h = host(addr);
    let bearer = format!("Bearer {}", token.as_str());
    // Even a page that somehow has the token cannot use it from its origin.
    let a = request(
        addr,
        "GET",
        "/api/readers",
        &[("Host", &h), ("Origin", EVIL), ("Authorization", &bearer)],
        "",
    );
    assert_eq!(a.status, 403);
    assert!(a.body.contains("origin_not_allowed"));
    assert_eq!(a.header("access-control-allow-origin"), None);
    for (path, body) in [
        ("/api/read", r#"{"can":"123456"}"#),
        ("/api/verify", r#"{"can":"123456"}"#),
        ("/api/face", r#"{"can":"123456"}"#),
    ] {
        let with = request(
            addr,
            "POST",
            path,
            &[("Host", &h), ("Origin", EVIL), ("Authorization", &bearer)],
            body,
        );
        assert_eq!(with.status, 403, "{path}");
        assert_eq!(with.header("access-control-allow-origin"), None);
        let without = request(addr, "POST", path, &[("Host", &h), ("Origin", EVIL)], body);
        assert_eq!(without.status, 403, "{path}");
    }
    // The browser's preflight for a cross-origin POST with a token is refused too.
    let pre = request(
        addr,
        "OPTIONS",
        "/api/read",
        &[
            ("Host", &h),
            ("Origin", EVIL),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type",
            ),
        ],
        "",
    );
    assert_eq!(pre.status, 403);
    assert_eq!(pre.header("access-control-allow-origin"), None);
    // "null" (a sandboxed frame, a file://) is not an allowed origin either.
    let null = request(
        addr,
        "GET",
        "/openapi.json",
        &[("Host", &h), ("Origin", "null"), ("Authorization", &bearer)],
        "",
    );
    assert_eq!(null.status, 403);
}

#[test]
fn an_allowed_origin_gets_cors_naming_it_never_a_wildcard() {
    let (addr, token) = start(10);
    let h = host(addr);
    let bearer = format!("Bearer {}", token.as_str());
    let pre = request(
        addr,
        "OPTIONS",
        "/api/read",
        &[
            ("Host", &h),
            ("Origin", ALLOWED),
            ("Access-Control-Request-Method", "POST"),
        ],
        "",
    );
    assert_eq!(pre.status, 204);
    assert_eq!(
        pre.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED)
    );
    assert!(
        pre.header("access-control-allow-headers")
            .unwrap()
            .contains("authorization")
    );
    let a = request(
        addr,
        "GET",
        "/openapi.json",
        &[
            ("Host", &h),
            ("Origin", ALLOWED),
            ("Authorization", &bearer),
        ],
        "",
    );
    assert_eq!(a.status, 200);
    assert_eq!(
        a.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED)
    );
    assert_eq!(a.header("vary").as_deref(), Some("Origin"));
    // The desk page's own origin.
    let own = format!("http://127.0.0.1:{}", addr.port());
    let a = request(
        addr,
        "GET",
        "/openapi.json",
        &[("Host", &h), ("Origin", &own), ("Authorization", &bearer)],
        "",
    );
    assert_eq!(a.status, 200);
    assert!(!a.head.contains("Access-Control-Allow-Origin: *"));
}

#[test]
fn can_attempts_are_rate_limited() {
    let (addr, token) = start(2);
    let h = host(addr);
    let bearer = format!("Bearer {}", token.as_str());
    // A reader that does not exist: the attempt is counted, no card is touched.
    let body = r#"{"can":"123456","reader":"no such reader (ektp-service test)"}"#;
    for _ in 0..2 {
        let a = request(
            addr,
            "POST",
            "/api/read",
            &[("Host", &h), ("Authorization", &bearer)],
            body,
        );
        assert_eq!(a.status, 503, "{}", a.body);
    }
    let a = request(
        addr,
        "POST",
        "/api/read",
        &[("Host", &h), ("Authorization", &bearer)],
        body,
    );
    assert_eq!(a.status, 429, "{}", a.body);
    assert!(a.body.contains("too_many_can_attempts"));
    // A malformed CAN is refused before it counts, and says why without echoing it.
    let bad = request(
        addr,
        "POST",
        "/api/read",
        &[("Host", &h), ("Authorization", &bearer)],
        r#"{"can":"12ab"}"#,
    );
    assert_eq!(bad.status, 400);
    assert!(!bad.body.contains("12ab"));
}

/// The service's own messages people read (its error answers) are in the request's language:
/// `Accept-Language`, else `?lang=`, else the service's (Indonesian here); the `error` code
/// stays language-neutral and `detail` keeps the technical cause.
#[test]
fn error_messages_are_in_the_requests_language() {
    let (addr, token) = start(10);
    let h = host(addr);
    let bearer = format!("Bearer {}", token.as_str());
    let body = r#"{"can":"123456","reader":"no such reader (ektp-service test)"}"#;
    let ask = |extra: &[(&str, &str)], path: &str| {
        let mut headers = vec![("Host", h.as_str()), ("Authorization", bearer.as_str())];
        headers.extend_from_slice(extra);
        let a = request(addr, "POST", path, &headers, body);
        assert_eq!(a.status, 503, "{}", a.body);
        serde_json::from_str::<serde_json::Value>(&a.body).unwrap()
    };
    let id = ask(&[], "/api/verify");
    assert_eq!(id["error"], "no_trust_store");
    assert_eq!(
        id["message"],
        "Layanan belum disiapkan untuk memverifikasi kartu (tidak ada trust store): hubungi \
         administrator"
    );
    assert!(id["detail"].as_str().unwrap().contains("--trust DIR"));
    let en = ask(&[("Accept-Language", "en-GB,en;q=0.9")], "/api/verify");
    assert_eq!(en["error"], "no_trust_store");
    assert!(
        en["message"]
            .as_str()
            .unwrap()
            .starts_with("The service is not set up to verify cards"),
        "{en}"
    );
    let reader = ask(&[], "/api/read");
    assert_eq!(reader["error"], "reader");
    assert!(
        reader["message"]
            .as_str()
            .unwrap()
            .starts_with("Tidak ada kartu di pembaca"),
        "{reader}"
    );
    let en = ask(&[], "/api/read?lang=en");
    assert!(
        en["message"]
            .as_str()
            .unwrap()
            .starts_with("No card in the reader"),
        "{en}"
    );
    // Refusals by the guard too: no token, in Indonesian.
    let none = request(addr, "GET", "/api/readers", &[("Host", &h)], "");
    assert_eq!(none.status, 401);
    assert!(
        none.body.contains("tidak memuat token layanan"),
        "{}",
        none.body
    );
}

#[test]
fn only_loopback_addresses_are_listened_on() {
    let config = Config {
        listen: "0.0.0.0:0".parse().unwrap(),
        token: Token::generate().unwrap(),
        allowed_origins: vec![],
        can_attempts_per_minute: 5,
        cards: Cards::new(None, None, RevocationList::new()),
        lang: ektp_i18n::Lang::Id,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let e = rt.block_on(Service::bind(config)).err().unwrap();
    assert!(matches!(e, Error::NotLoopback(_)), "{e}");
}

#[test]
fn the_token_file_is_private_and_round_trips() {
    let dir = std::env::temp_dir().join(format!("ektp-service-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token");
    let t = Token::create_file(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(Token::load(&path).unwrap().as_str(), t.as_str());
    assert!(!format!("{t:?}").contains(t.as_str()));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(
        Token::load(&path).is_err(),
        "a token others can read is refused"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_openapi_description_parses_and_lists_every_route() {
    let doc: serde_json::Value = serde_json::from_str(OPENAPI_JSON).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let source = include_str!("../src/lib.rs");
    let routes: Vec<&str> = source
        .split(".route(\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(routes.len() >= 7, "{routes:?}");
    for r in &routes {
        assert!(paths.contains_key(*r), "route {r} is not in openapi.json");
    }
    assert_eq!(
        paths.len(),
        routes.len(),
        "openapi.json lists a route the service lacks"
    );
}
