//! A small OpenID Connect provider for the single sign-on tests. It speaks the real protocol
//! over HTTP on a free port: discovery, a JSON Web Key Set, an authorization endpoint that
//! signs in whoever the test says, and a token endpoint that checks the client secret, the
//! code, the redirect URI and the PKCE verifier before it returns an RS256-signed ID token.
//! Knobs let a test make it misbehave the ways real providers do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata, EndUserEmail,
    IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PrivateSigningKey, ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use serde::Deserialize;

pub const CLIENT_ID: &str = "attest-test";
pub const CLIENT_SECRET: &str = "test-client-secret";
const KEY_PEM: &str = include_str!("fixtures/test-idp-rsa.pem");

/// The person the provider signs in at its authorization endpoint.
#[derive(Debug, Clone)]
pub struct IdpUser {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
}

/// How the provider misbehaves, if at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Quirk {
    #[default]
    None,
    /// Signs ID tokens for another client.
    WrongAudience,
    /// Signs ID tokens that expired an hour ago.
    Expired,
    /// Sends the browser back with `error=access_denied`.
    DenyAccess,
}

/// What the authorization endpoint was asked, for assertions.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeSeen {
    pub params: HashMap<String, String>,
}

struct Issued {
    user: IdpUser,
    challenge: String,
    nonce: Option<String>,
    redirect_uri: String,
}

struct IdpState {
    issuer: String,
    key: CoreRsaPrivateSigningKey,
    user: Mutex<Option<IdpUser>>,
    quirk: Mutex<Quirk>,
    codes: Mutex<HashMap<String, Issued>>,
    last_authorize: Mutex<AuthorizeSeen>,
}

/// A running provider.
pub struct Idp {
    pub issuer: String,
    state: Arc<IdpState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Idp {
    pub async fn start() -> Idp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let key = CoreRsaPrivateSigningKey::from_pem(
            KEY_PEM,
            Some(JsonWebKeyId::new("test-key-1".into())),
        )
        .unwrap();
        let state = Arc::new(IdpState {
            issuer: issuer.clone(),
            key,
            user: Mutex::new(None),
            quirk: Mutex::new(Quirk::None),
            codes: Mutex::new(HashMap::new()),
            last_authorize: Mutex::new(AuthorizeSeen::default()),
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Idp {
            issuer,
            state,
            task,
        }
    }

    /// Who the provider signs in next.
    pub fn sign_in_as(&self, subject: &str, email: &str, email_verified: bool) {
        *self.state.user.lock().unwrap() = Some(IdpUser {
            subject: subject.into(),
            email: email.into(),
            email_verified,
        });
    }

    pub fn set_quirk(&self, quirk: Quirk) {
        *self.state.quirk.lock().unwrap() = quirk;
    }

    pub fn last_authorize(&self) -> AuthorizeSeen {
        self.state.last_authorize.lock().unwrap().clone()
    }
}

async fn discovery(State(s): State<Arc<IdpState>>) -> Json<CoreProviderMetadata> {
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(s.issuer.clone()).unwrap(),
        AuthUrl::new(format!("{}/authorize", s.issuer)).unwrap(),
        JsonWebKeySetUrl::new(format!("{}/jwks", s.issuer)).unwrap(),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(format!("{}/token", s.issuer)).unwrap()));
    Json(metadata)
}

async fn jwks(State(s): State<Arc<IdpState>>) -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![s.key.as_verification_key()]))
}

async fn authorize(
    State(s): State<Arc<IdpState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    *s.last_authorize.lock().unwrap() = AuthorizeSeen {
        params: params.clone(),
    };
    // Like real providers, a wrong client or redirect URI is shown here, never redirected.
    if params.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let Some(redirect_uri) = params.get("redirect_uri").cloned() else {
        return (StatusCode::BAD_REQUEST, "missing redirect_uri").into_response();
    };
    let state = params.get("state").cloned().unwrap_or_default();
    if *s.quirk.lock().unwrap() == Quirk::DenyAccess {
        return Redirect::to(&format!(
            "{redirect_uri}?error=access_denied&error_description=User+is+not+assigned+to+this+application&state={state}"
        ))
        .into_response();
    }
    if params.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return (StatusCode::BAD_REQUEST, "PKCE with S256 is required").into_response();
    }
    let Some(user) = s.user.lock().unwrap().clone() else {
        return (
            StatusCode::UNAUTHORIZED,
            "nobody is signed in at the provider",
        )
            .into_response();
    };
    let code = attest_app::new_secret();
    s.codes.lock().unwrap().insert(
        code.clone(),
        Issued {
            user,
            challenge: params.get("code_challenge").cloned().unwrap_or_default(),
            nonce: params.get("nonce").cloned(),
            redirect_uri: redirect_uri.clone(),
        },
    );
    Redirect::to(&format!("{redirect_uri}?code={code}&state={state}")).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

async fn token(
    State(s): State<Arc<IdpState>>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        );
    }
    if form.grant_type != "authorization_code" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "");
    }
    // A code is used once.
    let Some(issued) = s.codes.lock().unwrap().remove(&form.code) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Unknown or used code",
        );
    };
    if issued.redirect_uri != form.redirect_uri {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "redirect_uri mismatch",
        );
    }
    let verifier = PkceCodeVerifier::new(form.code_verifier.unwrap_or_default());
    let recomputed = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    if recomputed.as_str() != issued.challenge {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "PKCE verification failed",
        );
    }
    let quirk = *s.quirk.lock().unwrap();
    let audience = if quirk == Quirk::WrongAudience {
        "some-other-app"
    } else {
        CLIENT_ID
    };
    let now = Utc::now();
    let (issued_at, expires) = if quirk == Quirk::Expired {
        (now - Duration::hours(2), now - Duration::hours(1))
    } else {
        (now, now + Duration::minutes(5))
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(s.issuer.clone()).unwrap(),
        vec![Audience::new(audience.into())],
        expires,
        issued_at,
        StandardClaims::new(SubjectIdentifier::new(issued.user.subject.clone()))
            .set_email(Some(EndUserEmail::new(issued.user.email.clone())))
            .set_email_verified(Some(issued.user.email_verified)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(issued.nonce.map(Nonce::new));
    let id_token = CoreIdToken::new(
        claims,
        &s.key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    Json(serde_json::json!({
        "access_token": attest_app::new_secret(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}
