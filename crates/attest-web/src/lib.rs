//! Attest's web interface: the HTML pages (server-rendered, progressively enhanced with htmx),
//! the `/api/v1` JSON API, sign-in, sessions and access control.
//!
//! This crate owns HTTP: routes, extractors, templates, embedded assets, security headers. It
//! decides nothing about the compliance program itself: every handler extracts its input,
//! calls one `attest-app` use case, and renders the result. Access rules are in
//! `attest_core::Role::allows`; the `Member<P>` extractor applies them to every org route.
#![forbid(unsafe_code)]

/// A template context like `minijinja::context!`, taking any `Serialize` value:
/// `ctx! { layout, controls => shown }`.
macro_rules! ctx {
    ($($key:ident $(=> $value:expr)?),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = std::collections::BTreeMap::<&'static str, minijinja::Value>::new();
        $( map.insert(stringify!($key), minijinja::Value::from(minijinja::value::Serde(ctx!(@value $key $(, $value)?)))); )*
        minijinja::Value::from(map)
    }};
    (@value $key:ident) => { &$key };
    (@value $key:ident, $value:expr) => { &$value };
}

mod alerts;
pub(crate) mod api;
mod assets;
mod auth;
mod error;
mod forms;
mod mail;
mod markdown;
mod pages;
mod qr;
mod routes;
mod security;
mod sso;
mod state;
mod templates;

use std::net::SocketAddr;
use std::sync::Arc;

use attest_app::{App, SessionPolicy};
use tokio::net::TcpListener;

pub use api::OPENAPI;
pub use mail::Mailer;
pub use routes::ROUTE_TABLE_SOURCE;
pub use sso::SsoConfig;

/// How the server runs. Built by the binary from flags and environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; loopback by default.
    pub listen: SocketAddr,
    /// Session lifetimes and sign-in throttling.
    pub sessions: SessionPolicy,
    /// Mark cookies `Secure` (browsers keep them only over HTTPS, or on localhost).
    pub secure_cookies: bool,
    /// The address people reach the server at (for links printed by the CLI and sent by
    /// mail), e.g. `https://attest.example.com`. Defaults to `http://{listen}`.
    pub public_url: Option<String>,
    /// Sign-in attempts allowed per client address per minute.
    pub sign_in_per_minute: u32,
    /// Sends password-reset links by email; without it, `attest user reset-link` prints them.
    pub mailer: Option<Mailer>,
    /// Single sign-on with an OpenID Connect provider, beside passwords.
    pub sso: Option<SsoConfig>,
    /// How often the ledger gets a signed checkpoint when it has grown; `None` for never.
    pub checkpoint_every: Option<std::time::Duration>,
    /// How often due monitoring schedules run and pending alerts are delivered; `None` for
    /// never.
    pub monitor_every: Option<std::time::Duration>,
}

impl Config {
    pub fn new(listen: SocketAddr) -> Config {
        Config {
            listen,
            sessions: SessionPolicy::default(),
            secure_cookies: true,
            public_url: None,
            sign_in_per_minute: 10,
            mailer: None,
            sso: None,
            checkpoint_every: Some(std::time::Duration::from_secs(60 * 60)),
            monitor_every: Some(std::time::Duration::from_secs(60)),
        }
    }

    /// The base URL for links.
    pub fn base_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }
}

/// A bound server, not yet serving: the caller learns the port (tests bind port 0) and the
/// setup link before it starts.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: Arc<state::AppState>,
    local_addr: SocketAddr,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "cannot listen on {addr} ({source}); pick another address with --listen, e.g. 127.0.0.1:8081"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("single sign-on is misconfigured: {0}")]
    Sso(String),
    #[error(transparent)]
    App(#[from] attest_app::AppError),
}

impl Server {
    /// Binds the listener and prepares the state. When no account exists yet, a one-time
    /// setup token is generated; [`Server::setup_url`] gives the link to print.
    pub async fn bind(config: Config, app: App) -> Result<Server, StartError> {
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        templates::check().map_err(attest_app::AppError::Internal)?;
        let mut config = config;
        config.listen = local_addr;
        let needs_setup = app.needs_setup().await?;
        let sso = match &config.sso {
            Some(sso) => {
                Some(sso::Sso::new(sso.clone(), &config.base_url()).map_err(StartError::Sso)?)
            }
            None => None,
        };
        let state = Arc::new(state::AppState::new(app, config, needs_setup, sso));
        Ok(Server {
            listener,
            state,
            local_addr,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The one-time link that creates the first owner, while setup is open.
    pub fn setup_url(&self) -> Option<String> {
        self.state
            .setup_token()
            .map(|t| format!("{}/setup?token={t}", self.state.config.base_url()))
    }

    /// Serves until `shutdown` resolves. With single sign-on configured, the provider is
    /// checked once in the background, so a misconfiguration is in the log before anyone tries.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if self.state.sso.is_some() {
            let state = self.state.clone();
            tokio::spawn(async move {
                let Some(sso) = &state.sso else { return };
                match sso.check_provider().await {
                    Ok(()) => tracing::info!(
                        redirect_uri = sso.redirect_uri(),
                        "single sign-on: the provider answered; register this redirect URI with it"
                    ),
                    Err(failure) => tracing::warn!(
                        redirect_uri = sso.redirect_uri(),
                        hints = failure.hints.join("; "),
                        "single sign-on will not work until this is fixed: {}",
                        failure.message
                    ),
                }
            });
        }
        let checkpoints = self.state.config.checkpoint_every.map(|every| {
            let app = self.state.app.clone();
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval(every);
                loop {
                    ticks.tick().await;
                    match app.checkpoint_if_grown().await {
                        Ok(Some(c)) => tracing::info!(size = c.size, root = %c.root, "ledger checkpoint signed"),
                        Ok(None) => {}
                        Err(e) => tracing::error!(error = %e, "the periodic ledger checkpoint failed"),
                    }
                }
            })
        });
        let monitoring = self.state.config.monitor_every.map(|every| {
            alerts::spawn(
                self.state.app.clone(),
                self.state.config.mailer.clone(),
                every,
            )
        });
        let router = routes::router(self.state);
        let served = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        for task in [checkpoints, monitoring].into_iter().flatten() {
            task.abort();
        }
        served
    }
}
