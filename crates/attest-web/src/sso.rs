//! Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), a nonce,
//! and a `state` bound to the browser that started the flow by a short-lived cookie.
//!
//! The protocol and ID-token verification are the `openidconnect` crate's; this module adds
//! what a self-hoster needs when something is wrong: every failure says what happened, where,
//! and what to check, in the page and in the server log.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attest_app::SsoIdentity;
use axum::http::StatusCode;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreProviderMetadata,
};
use openidconnect::url::Host;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, DiscoveryError,
    HttpRequest, HttpResponse, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, TokenResponse,
};
use rustls_platform_verifier::BuilderVerifierExt;
use serde::Deserialize;

/// The path the provider sends people back to; register `{public URL}/sso/callback` there.
pub(crate) const CALLBACK_PATH: &str = "/sso/callback";
/// The cookie that ties a callback to the browser that started the flow.
pub(crate) const STATE_COOKIE: &str = "attest_sso";
/// How long a person has at the provider before the flow must start again.
pub(crate) const FLOW_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Flows in progress kept at most; the start route is public, so memory is bounded.
const MAX_PENDING: usize = 10_000;
/// Provider metadata and signing keys are fetched again after this long (keys rotate).
const METADATA_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// The largest provider response read (discovery documents and key sets are a few KB).
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// How the server signs people in with an OpenID Connect provider.
#[derive(Clone)]
pub struct SsoConfig {
    /// The provider's issuer URL, e.g. `https://login.example.com/realms/acme`.
    pub issuer: String,
    pub client_id: String,
    /// The client secret; `None` for a public client (PKCE only).
    pub client_secret: Option<String>,
    /// The provider's name on the sign-in button, e.g. `Okta`.
    pub name: String,
}

impl std::fmt::Debug for SsoConfig {
    /// Never prints the client secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "…"))
            .field("name", &self.name)
            .finish()
    }
}

impl SsoConfig {
    /// Checks the settings before the server starts. The issuer must be HTTPS: an ID token
    /// fetched over plain HTTP could be swapped on the way. Plain HTTP is accepted only on
    /// this machine (a provider on loopback, as in a test).
    pub fn check(&self) -> Result<(), String> {
        let url = reqwest::Url::parse(&self.issuer).map_err(|e| {
            format!(
                "the OpenID Connect issuer `{}` is not a URL ({e}); give the provider's issuer, e.g. https://login.example.com/realms/acme",
                self.issuer
            )
        })?;
        let loopback = match url.host() {
            Some(Host::Domain(name)) => name == "localhost",
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err(format!(
                "the OpenID Connect issuer `{}` must use https:// (plain http is accepted only for a provider on this machine)",
                self.issuer
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err(
                "the OpenID Connect client id is empty; copy it from the application you registered at the provider".into(),
            );
        }
        Ok(())
    }
}

/// A sign-in that could not finish: what happened, and what to check.
#[derive(Debug)]
pub(crate) struct SsoFailure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// Steps for whoever runs the server or the provider.
    pub(crate) hints: Vec<String>,
}

impl SsoFailure {
    fn new(status: StatusCode, message: impl Into<String>) -> SsoFailure {
        SsoFailure {
            status,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> SsoFailure {
        self.hints.push(hint.into());
        self
    }
}

/// What the provider sends back to the callback.
#[derive(Debug, Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    next: String,
    started: Instant,
}

/// The configured provider, its cached metadata, and the flows in progress.
pub(crate) struct Sso {
    config: SsoConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
    pending: Mutex<HashMap<String, Pending>>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("config", &self.config)
            .field("redirect", &self.redirect.as_str())
            .finish_non_exhaustive()
    }
}

impl Sso {
    pub(crate) fn new(config: SsoConfig, base_url: &str) -> Result<Sso, String> {
        config.check()?;
        let redirect = RedirectUrl::new(format!("{base_url}{CALLBACK_PATH}")).map_err(|e| {
            format!("the callback URL built from the public URL `{base_url}` is not valid ({e}); check --public-url")
        })?;
        Ok(Sso {
            config,
            redirect,
            http: http_client()?,
            metadata: tokio::sync::Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
        })
    }

    /// The provider's name for the sign-in button.
    pub(crate) fn name(&self) -> &str {
        &self.config.name
    }

    /// The redirect URI to register at the provider.
    pub(crate) fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    /// Fetches the provider's metadata and keys now, so a misconfiguration shows at start-up.
    pub(crate) async fn check_provider(&self) -> Result<(), SsoFailure> {
        self.metadata().await.map(|_| ())
    }

    /// Starts a sign-in: returns the provider URL to send the browser to and the `state` to
    /// set in its cookie.
    pub(crate) async fn begin(&self, next: String) -> Result<(String, String), SsoFailure> {
        let client = self.client(self.metadata().await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.started.elapsed() < FLOW_LIFETIME);
        if pending.len() >= MAX_PENDING {
            return Err(SsoFailure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many single sign-on attempts are in progress; try again in a few minutes",
            ));
        }
        pending.insert(
            state.secret().clone(),
            Pending {
                verifier,
                nonce,
                next,
                started: Instant::now(),
            },
        );
        Ok((url.to_string(), state.secret().clone()))
    }

    /// Finishes a sign-in: checks the state against the browser's cookie, exchanges the code
    /// (with the PKCE verifier) and verifies the ID token. Returns who signed in and where
    /// they were going.
    pub(crate) async fn finish(
        &self,
        cookie_state: Option<&str>,
        callback: Callback,
    ) -> Result<(SsoIdentity, String), SsoFailure> {
        // The state must be the one this browser was given: otherwise someone could make a
        // victim's browser finish a sign-in the attacker started. Nothing in the callback is
        // acted on or shown before that holds, and a flow is only used up by its own browser.
        let stale = || {
            SsoFailure::new(
                StatusCode::BAD_REQUEST,
                "this single sign-on attempt is not one this browser started, or it took longer than 10 minutes, or a newer sign-in was started in another tab, or the server restarted meanwhile",
            )
            .hint("start again from the Attest sign-in page, in the same browser")
            .hint("if it keeps happening, check that the public URL (--public-url) matches the address in the browser: the sign-in cookie is kept only for that site")
        };
        let state = callback.state.as_deref().unwrap_or_default();
        let same_browser = !state.is_empty()
            && cookie_state
                .is_some_and(|c| attest_app::constant_time_eq(c.as_bytes(), state.as_bytes()));
        if !same_browser {
            return Err(stale());
        }
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(state)
            .filter(|p| p.started.elapsed() < FLOW_LIFETIME)
            .ok_or_else(stale)?;
        if let Some(error) = &callback.error {
            return Err(provider_refused(
                error,
                callback.error_description.as_deref(),
                self.redirect_uri(),
            ));
        }
        let Some(code) = callback.code else {
            return Err(SsoFailure::new(
                StatusCode::BAD_REQUEST,
                "the provider sent the browser back without an authorization code",
            )
            .hint("start again from the Attest sign-in page rather than a bookmark of the provider's page"));
        };
        let metadata = self.metadata().await?;
        let client = self.client(metadata);
        let exchange = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| {
                SsoFailure::new(StatusCode::BAD_GATEWAY, format!("the provider's metadata has no usable token endpoint ({e})"))
                    .hint("check that the issuer URL names an OpenID Connect provider that supports the authorization code flow")
            })?
            .set_pkce_verifier(pending.verifier);
        let http = self.http.clone();
        let tokens = exchange
            .request_async(&|request| send(http.clone(), request))
            .await
            .map_err(|e| token_failure(e, self.redirect_uri()))?;
        let id_token = tokens.id_token().ok_or_else(|| {
            SsoFailure::new(StatusCode::BAD_GATEWAY, "the provider answered without an ID token")
                .hint("check that the client at the provider is an OpenID Connect client and is allowed the `openid` scope")
        })?;
        let verifier = client.id_token_verifier();
        let claims = match id_token.claims(&verifier, &pending.nonce) {
            Ok(claims) => claims,
            Err(e) => {
                if matches!(e, ClaimsVerificationError::SignatureVerification(_)) {
                    // The provider may have rotated its keys: fetch them again next time.
                    *self.metadata.lock().await = None;
                }
                return Err(claims_failure(&e, &self.config));
            }
        };
        let identity = SsoIdentity {
            issuer: claims.issuer().as_str().to_string(),
            subject: claims.subject().as_str().to_string(),
            email: claims.email().map(|e| e.as_str().to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
        };
        Ok((identity, pending.next))
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// The provider's metadata and signing keys, fetched by OpenID Connect discovery and kept
    /// for a while. A failure is not kept: the next sign-in tries again.
    async fn metadata(&self) -> Result<CoreProviderMetadata, SsoFailure> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, metadata)) = cached.as_ref()
            && at.elapsed() < METADATA_LIFETIME
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| {
            SsoFailure::new(
                StatusCode::BAD_GATEWAY,
                format!("the issuer URL is not valid ({e})"),
            )
        })?;
        let http = self.http.clone();
        let metadata =
            CoreProviderMetadata::discover_async(issuer, &|request| send(http.clone(), request))
                .await
                .map_err(|e| discovery_failure(&e, &self.config.issuer))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }
}

/// The HTTP client for outbound calls (the identity provider, alert webhooks): TLS through
/// rustls with the platform's trust store, no redirects (a redirect could point the server at
/// an internal address), and a timeout so a hung peer cannot hold a sign-in or a delivery.
pub(crate) fn http_client() -> Result<reqwest::Client, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| format!("cannot set up TLS for outbound requests: {e}"))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("cannot set up the HTTP client for outbound requests: {e}"))
}

/// An HTTP failure talking to the provider.
#[derive(Debug, thiserror::Error)]
enum HttpError {
    #[error("{}", chain(.0))]
    Request(#[from] reqwest::Error),
    #[error("the response is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
}

/// Sends one request for `openidconnect`, which speaks `http` types.
async fn send(http: reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let mut response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(HttpError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let mut out = HttpResponse::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

/// An error with its causes, e.g. "error sending request: client error (Connect): tcp connect
/// error: Connection refused (os error 111)".
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = e.source();
    }
    out
}

fn discovery_failure(e: &DiscoveryError<HttpError>, issuer: &str) -> SsoFailure {
    let well_known = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let failure = match e {
        DiscoveryError::Request(e) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("Attest could not reach the identity provider at {well_known}: {e}"),
        )
        .hint("check that the server running Attest can reach that address (DNS, firewall, proxy)")
        .hint("check the issuer URL given with --oidc-issuer"),
        DiscoveryError::Response(status, body, _) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "the identity provider answered {status} for {well_known}: {}",
                snippet(body)
            ),
        )
        .hint("check the issuer URL given with --oidc-issuer: it must be the provider's issuer, the part before /.well-known/openid-configuration"),
        DiscoveryError::Parse(e) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("the document at {well_known} is not valid OpenID Connect provider metadata: {e}"),
        )
        .hint("check that the issuer URL names an OpenID Connect provider, not a plain OAuth server or a web page"),
        DiscoveryError::Validation(detail) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("the provider metadata at {well_known} does not match the configured issuer: {detail}"),
        )
        .hint("set --oidc-issuer to exactly the `issuer` value in that document (watch for a trailing slash)"),
        other => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("OpenID Connect discovery at {well_known} failed: {}", chain(other)),
        ),
    };
    tracing::warn!(error = %failure.message, "single sign-on: provider discovery failed");
    failure
}

type TokenError =
    RequestTokenError<HttpError, openidconnect::StandardErrorResponse<CoreErrorResponseType>>;

fn token_failure(e: TokenError, redirect_uri: &str) -> SsoFailure {
    let failure = match &e {
        RequestTokenError::ServerResponse(response) => {
            let code = response.error().as_ref();
            let detail = response
                .error_description()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let base = SsoFailure::new(
                StatusCode::BAD_GATEWAY,
                format!(
                    "the identity provider refused to exchange the sign-in code: {code}{detail}"
                ),
            );
            match response.error() {
                CoreErrorResponseType::InvalidClient | CoreErrorResponseType::UnauthorizedClient => base
                    .hint("check the client id (--oidc-client-id) and the client secret (ATTEST_OIDC_CLIENT_SECRET) against the application registered at the provider"),
                CoreErrorResponseType::InvalidGrant => base
                    .hint("the code may have expired or been used already: start the sign-in again")
                    .hint(format!("check that the redirect URI registered at the provider is exactly {redirect_uri}"))
                    .hint("check that the server's clock is correct"),
                _ => base,
            }
        }
        RequestTokenError::Request(e) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("Attest could not reach the provider's token endpoint: {e}"),
        )
        .hint("check that the server running Attest can reach the provider (DNS, firewall, proxy)"),
        RequestTokenError::Parse(e, body) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "the provider's token response is not valid: {e}: {}",
                snippet(body)
            ),
        ),
        RequestTokenError::Other(detail) => SsoFailure::new(
            StatusCode::BAD_GATEWAY,
            format!("the provider's token response is not valid: {detail}"),
        ),
    };
    tracing::warn!(error = %failure.message, "single sign-on: code exchange failed");
    failure
}

fn claims_failure(e: &ClaimsVerificationError, config: &SsoConfig) -> SsoFailure {
    let base = SsoFailure::new(
        StatusCode::UNAUTHORIZED,
        format!(
            "the ID token from the identity provider did not pass verification: {}",
            chain(e)
        ),
    );
    let failure = match e {
        ClaimsVerificationError::Expired(_) | ClaimsVerificationError::InvalidAuthTime(_) => base
            .hint("check that the clocks of the Attest server and the provider are correct (use NTP)"),
        ClaimsVerificationError::InvalidAudience(_) => base.hint(format!(
            "the token was issued for another application: check that --oidc-client-id is `{}` at the provider",
            config.client_id
        )),
        ClaimsVerificationError::InvalidIssuer(_) => base.hint(format!(
            "the token names another issuer than `{}`: set --oidc-issuer to the provider's exact issuer",
            config.issuer
        )),
        ClaimsVerificationError::InvalidNonce(_) => {
            base.hint("start the sign-in again; if it repeats, the provider does not return the nonce it was given")
        }
        ClaimsVerificationError::SignatureVerification(_) => base
            .hint("the provider's signing keys may have changed: try again (Attest fetches them afresh)")
            .hint("Attest accepts tokens signed with the provider's published keys (RS256 and the other standard algorithms); HS256 tokens need a client secret"),
        _ => base,
    };
    tracing::warn!(error = %failure.message, "single sign-on: ID token rejected");
    failure
}

fn provider_refused(error: &str, description: Option<&str>, redirect_uri: &str) -> SsoFailure {
    let detail = description.map(|d| format!(" ({d})")).unwrap_or_default();
    let base = SsoFailure::new(
        StatusCode::UNAUTHORIZED,
        format!("the identity provider did not sign you in: {error}{detail}"),
    );
    let failure = match error {
        "access_denied" => base
            .hint("you may have cancelled, or your account at the provider is not assigned to the Attest application: ask its administrator"),
        "invalid_request" | "invalid_client" | "unauthorized_client" => base
            .hint(format!("check that the provider has an application with this client id, with the redirect URI {redirect_uri} registered"))
            .hint("check that the application allows the authorization code flow with PKCE"),
        "invalid_scope" => base.hint("allow the `openid`, `email` and `profile` scopes for the Attest application at the provider"),
        _ => base,
    };
    tracing::warn!(error = %failure.message, "single sign-on: the provider returned an error");
    failure
}

/// The start of a response body, for a message (providers' error pages can be long).
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else if text.is_empty() {
        "(empty body)".into()
    } else {
        text.to_string()
    }
}
