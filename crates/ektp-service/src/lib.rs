#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod api;
mod cards;
mod desk;
mod desk_checks;
mod events;
mod guard;
mod ledger;
mod text;
mod token;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
pub use cards::Cards;
pub use desk_checks::{DeskRegistry, DeskSetup, DeskTerminal, MAX_CAPTURE_BYTES, MAX_CAPTURES};
pub use token::Token;

/// The OpenAPI 3 description of every route (checked in as `openapi.json`).
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listen address is not a loopback address.
    #[error(
        "refusing to listen on {0}: the service listens on a loopback address only (127.0.0.1 or ::1)"
    )]
    NotLoopback(SocketAddr),
    /// Binding or serving failed.
    #[error("cannot listen on {addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The token file could not be written or read.
    #[error("token file: {0}")]
    TokenFile(#[from] ektp_fs::FsError),
    /// The token file does not hold a token.
    #[error("the token file does not hold a token (64 hex digits): run `ektp serve --init` again")]
    BadToken,
    /// No randomness for a token.
    #[error("the system's random number generator failed")]
    Random,
}

/// What the service serves with.
#[derive(Debug)]
pub struct Config {
    /// Where to listen; must be a loopback address (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The per-installation token every request must carry.
    pub token: Token,
    /// Origins (`https://bank.example`) whose pages may call the service, exact match.
    pub allowed_origins: Vec<String>,
    /// At most this many requests with a CAN per minute (then 429).
    pub can_attempts_per_minute: usize,
    /// The reader work: readers, trust store, revocation list.
    pub cards: Cards,
    /// The desk page's language (the page's `?lang=` overrides it).
    pub lang: ektp_i18n::Lang,
}

/// State shared by every request.
pub(crate) struct Shared {
    pub token: Token,
    pub port: u16,
    pub allowed_origins: Vec<String>,
    pub limiter: guard::CanLimiter,
    pub cards: Arc<Cards>,
    pub events: tokio::sync::broadcast::Sender<events::CardEvent>,
    pub lang: ektp_i18n::Lang,
}

/// A bound service, ready to run.
pub struct Service {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Service {
    /// Binds `config.listen` (loopback only) and starts watching the readers for card events.
    ///
    /// # Errors
    /// [`Error::NotLoopback`], [`Error::Io`].
    pub async fn bind(config: Config) -> Result<Self, Error> {
        let addr = config.listen;
        if !addr.ip().is_loopback() {
            return Err(Error::NotLoopback(addr));
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Io { addr, source })?;
        let port = listener
            .local_addr()
            .map_err(|source| Error::Io { addr, source })?
            .port();
        let (tx, _) = tokio::sync::broadcast::channel(64);
        events::watch(tx.clone());
        let shared = Arc::new(Shared {
            token: config.token,
            port,
            allowed_origins: config.allowed_origins,
            limiter: guard::CanLimiter::per_minute(config.can_attempts_per_minute),
            cards: Arc::new(config.cards),
            events: tx,
            lang: config.lang,
        });
        Ok(Self {
            listener,
            router: router(shared),
        })
    }

    /// The address listened on.
    ///
    /// # Errors
    /// [`Error::Io`] if the socket has none.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        self.listener.local_addr().map_err(|source| Error::Io {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            source,
        })
    }

    /// Serves until the process ends.
    ///
    /// # Errors
    /// [`Error::Io`] if accepting connections fails.
    pub async fn run(self) -> Result<(), Error> {
        let addr = self.local_addr()?;
        axum::serve(self.listener, self.router)
            .await
            .map_err(|source| Error::Io { addr, source })
    }
}

/// Binds and serves on a tokio runtime of its own (for the CLI); `ready` is called with the
/// address once listening.
///
/// # Errors
/// As [`Service::bind`] and [`Service::run`].
pub fn run_blocking(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let addr = config.listen;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io { addr, source })?;
    runtime.block_on(async move {
        let service = Service::bind(config).await?;
        ready(service.local_addr()?);
        service.run().await
    })
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(desk::page))
        .route("/openapi.json", get(api::openapi))
        .route("/api/readers", get(api::readers))
        .route("/api/read", post(api::read))
        .route("/api/verify", post(api::verify))
        .route("/api/face", post(api::face))
        .route("/api/events", get(api::events))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            guard::guard,
        ))
        .with_state(shared)
}
