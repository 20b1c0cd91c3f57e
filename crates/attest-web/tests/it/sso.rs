//! Single sign-on with OpenID Connect, end to end against the test provider in `idp.rs`: the
//! browser goes to the provider and back, and the server exchanges the code over HTTP.

use attest_store::testing::TestDb;
use attest_web::SsoConfig;

use crate::idp::{CLIENT_ID, CLIENT_SECRET, Idp, Quirk};
use crate::signin::between;
use crate::support::{Client, Resp, World, on_both_databases};

on_both_databases!(
    an_invited_member_signs_in_with_sso_and_stays_linked_by_subject,
    strangers_and_unverified_emails_are_refused_with_what_to_do,
);

fn sso_config(issuer: &str, secret: &str) -> SsoConfig {
    SsoConfig {
        issuer: issuer.to_string(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(secret.into()),
        name: "Test IdP".into(),
    }
}

async fn world_with_sso(db: TestDb, idp: &Idp, secret: &str) -> World {
    let config = sso_config(&idp.issuer, secret);
    World::build_with(db, |c| {
        c.sign_in_per_minute = 1000;
        c.sso = Some(config);
    })
    .await
}

/// Clicks "Sign in with …", lets the provider sign in, and returns the callback's answer.
async fn through_the_provider(c: &Client, next: &str) -> Resp {
    let start = c.get(&format!("/sso/start?next={next}")).await;
    assert_eq!(start.status, 303, "{}", start.body);
    let at_provider = c.get_elsewhere(start.header("location")).await;
    assert_eq!(at_provider.status, 303, "provider: {}", at_provider.body);
    c.get(at_provider.header("location")).await
}

async fn an_invited_member_signs_in_with_sso_and_stays_linked_by_subject(db: TestDb) {
    let idp = Idp::start().await;
    let world = world_with_sso(db, &idp, CLIENT_SECRET).await;
    let c = world.server.client();
    let page = c.get("/signin").await;
    assert!(
        page.body.contains("Sign in with Test IdP"),
        "the sign-in page offers SSO"
    );

    idp.sign_in_as("okta|00u1", "contributor@acme.example", true);
    let controls_path = format!("/o/{}/controls", world.acme);
    let start = c.get(&format!("/sso/start?next={controls_path}")).await;
    let at_provider = c.get_elsewhere(start.header("location")).await;
    let callback_url = at_provider.header("location").to_string();
    let done = c.get(&callback_url).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), controls_path);
    assert!(c.has_session());
    let controls = c.get(&controls_path).await;
    assert_eq!(controls.status, 200, "signed in as a member of Acme");

    // The request carried PKCE (S256), a nonce, and the scopes the account match needs.
    let seen = idp.last_authorize().params;
    assert_eq!(seen["code_challenge_method"], "S256");
    assert!(seen["code_challenge"].len() >= 43);
    assert!(!seen["nonce"].is_empty());
    assert!(seen["scope"].contains("openid") && seen["scope"].contains("email"));

    // A replayed callback (the same URL, with the browser's state cookie put back) is
    // refused: each flow is finished once.
    let replayer = world.server.client();
    replayer.set_cookie("attest_sso", &seen["state"]);
    let replay = replayer.get(&callback_url).await;
    assert_eq!(replay.status, 400, "{}", replay.body);
    assert!(!replayer.has_session());

    // The provider's email changes; its subject does not, and it stays the same account.
    let fresh = world.server.client();
    idp.sign_in_as("okta|00u1", "renamed@acme.example", true);
    let again = through_the_provider(&fresh, "/").await;
    assert_eq!(again.status, 303, "{}", again.body);
    let me = fresh.get("/account/security").await;
    assert_eq!(me.status, 200);
    assert!(
        me.body.contains("contributor@acme.example"),
        "still the contributor"
    );

    // Another identity at the same provider with the same address is someone else (an alias
    // handed on): refused until an administrator removes the old link.
    let newcomer = world.server.client();
    idp.sign_in_as("okta|00u9", "contributor@acme.example", true);
    let refused = through_the_provider(&newcomer, "/").await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("already linked"), "{}", refused.body);
    assert!(!newcomer.has_session());
    let admin = attest_app::Actor::new("cli:root").unwrap();
    let contributor = crate::support::email("contributor");
    assert_eq!(
        world
            .server
            .app
            .unlink_sso(&contributor, &admin)
            .await
            .unwrap(),
        1
    );
    let relinked = through_the_provider(&newcomer, "/").await;
    assert_eq!(relinked.status, 303, "{}", relinked.body);

    // The account's second factor is still asked after SSO.
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    let begun = owner.post_form("/account/mfa/begin", &[]).await;
    let secret = between(&begun.body, "data-testid=\"totp-secret\">", "<");
    let code = attest_app::current_totp_code(&secret).unwrap();
    let confirmed = owner
        .post_form("/account/mfa/confirm", &[("code", &code)])
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let browser = world.server.client();
    idp.sign_in_as("okta|00u2", "owner@acme.example", true);
    let home = format!("/o/{}", world.acme);
    let owed = through_the_provider(&browser, &home).await;
    assert_eq!(owed.status, 303);
    assert!(
        owed.header("location").starts_with("/signin/mfa"),
        "MFA is asked: {}",
        owed.header("location")
    );
    let blocked = browser.get(&home).await;
    assert_eq!(
        (blocked.status, blocked.header("location")),
        (303, "/signin/mfa"),
        "no org page before the second factor"
    );
    world.server.finish().await;
}

async fn strangers_and_unverified_emails_are_refused_with_what_to_do(db: TestDb) {
    let idp = Idp::start().await;
    let world = world_with_sso(db, &idp, CLIENT_SECRET).await;

    let c = world.server.client();
    idp.sign_in_as("okta|stranger", "stranger@acme.example", true);
    let refused = through_the_provider(&c, "/").await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .body
            .contains("no Attest account for stranger@acme.example"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("invite"));
    assert!(!c.has_session());

    // An address the provider does not vouch for is never matched to an account.
    let c = world.server.client();
    idp.sign_in_as("okta|sneaky", "owner@acme.example", false);
    let unverified = through_the_provider(&c, "/").await;
    assert_eq!(unverified.status, 403);
    assert!(
        unverified.body.contains("email_verified"),
        "{}",
        unverified.body
    );
    assert!(!c.has_session());
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_this_browser_did_not_start_is_refused() {
    let idp = Idp::start().await;
    let world = world_with_sso(TestDb::sqlite(), &idp, CLIENT_SECRET).await;
    idp.sign_in_as("okta|00u1", "owner@acme.example", true);
    // An attacker starts a flow and sends the victim the callback link.
    let attacker = world.server.client();
    let start = attacker.get("/sso/start").await;
    let at_provider = attacker.get_elsewhere(start.header("location")).await;
    let victim = world.server.client();
    let landed = victim.get(at_provider.header("location")).await;
    assert_eq!(landed.status, 400);
    assert!(
        landed.body.contains("not one this browser started"),
        "{}",
        landed.body
    );
    assert!(!victim.has_session());
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_client_secret_names_the_setting_to_fix() {
    let idp = Idp::start().await;
    let world = world_with_sso(TestDb::sqlite(), &idp, "not-the-secret").await;
    idp.sign_in_as("okta|00u1", "owner@acme.example", true);
    let c = world.server.client();
    let failed = through_the_provider(&c, "/").await;
    assert_eq!(failed.status, 502);
    assert!(failed.body.contains("invalid_client"), "{}", failed.body);
    assert!(failed.body.contains("ATTEST_OIDC_CLIENT_SECRET"));
    assert!(!c.has_session());
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_for_another_app_or_out_of_date_are_refused() {
    let idp = Idp::start().await;
    let world = world_with_sso(TestDb::sqlite(), &idp, CLIENT_SECRET).await;
    idp.sign_in_as("okta|00u1", "owner@acme.example", true);

    idp.set_quirk(Quirk::WrongAudience);
    let c = world.server.client();
    let wrong = through_the_provider(&c, "/").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("--oidc-client-id"), "{}", wrong.body);
    assert!(!c.has_session());

    idp.set_quirk(Quirk::Expired);
    let c = world.server.client();
    let expired = through_the_provider(&c, "/").await;
    assert_eq!(expired.status, 401);
    assert!(expired.body.contains("clocks"), "{}", expired.body);
    assert!(!c.has_session());
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_at_the_provider_is_explained() {
    let idp = Idp::start().await;
    let world = world_with_sso(TestDb::sqlite(), &idp, CLIENT_SECRET).await;
    idp.set_quirk(Quirk::DenyAccess);
    let c = world.server.client();
    let denied = through_the_provider(&c, "/").await;
    assert_eq!(denied.status, 401);
    assert!(denied.body.contains("access_denied"));
    assert!(
        denied
            .body
            .contains("not assigned to the Attest application"),
        "{}",
        denied.body
    );
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_says_which_address_failed() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let issuer = format!("http://{closed}");
    let config = sso_config(&issuer, CLIENT_SECRET);
    let world = World::build_with(TestDb::sqlite(), |c| c.sso = Some(config)).await;
    let c = world.server.client();
    let failed = c.get("/sso/start").await;
    assert_eq!(failed.status, 502);
    let text = failed.body.replace("&#x2f;", "/");
    assert!(
        text.contains(&format!(
            "could not reach the identity provider at {issuer}/.well-known/openid-configuration"
        )),
        "{text}"
    );
    assert!(
        text.contains("Connection refused"),
        "the cause is named: {text}"
    );
    world.server.finish().await;
}

#[test]
fn plain_http_issuers_are_refused_unless_on_this_machine() {
    let remote = sso_config("http://login.example.com", "s");
    assert!(remote.check().unwrap_err().contains("https://"));
    assert!(sso_config("http://127.0.0.1:9000", "s").check().is_ok());
    assert!(
        sso_config("https://login.example.com/realms/acme", "s")
            .check()
            .is_ok()
    );
    let debug = format!("{:?}", sso_config("https://login.example.com", "hunter2"));
    assert!(!debug.contains("hunter2"), "the secret is never printed");
}
