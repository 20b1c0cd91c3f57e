//! First-run setup, signing in and out, lockout and throttling, CSRF, session expiry, MFA,
//! one-time links.

use attest_app::{Actor, LinkPurpose};
use attest_core::Email;
use attest_store::testing::TestDb;

use crate::support::{PASSWORD, TestServer, World, on_both_databases};

on_both_databases!(
    first_run_offers_only_setup_then_closes_it,
    wrong_passwords_lock_the_account_and_say_for_how_long,
    a_state_change_without_the_csrf_token_is_refused_and_changes_nothing,
    signing_out_ends_the_session_on_the_server,
    mfa_enrollment_then_sign_in_with_a_code_and_a_recovery_code,
    an_org_that_requires_mfa_sends_members_to_enroll,
    a_reset_link_sets_a_new_password_once_and_ends_old_sessions,
    an_invitation_link_lets_a_new_member_choose_a_password,
    one_address_trying_many_sign_ins_is_slowed_down,
);

async fn one_address_trying_many_sign_ins_is_slowed_down(db: TestDb) {
    let world = World::build_with(db, |c| c.sign_in_per_minute = 3).await;
    let c = world.server.client();
    // Different accounts each time: the per-account lockout never triggers, the throttle does.
    for who in ["admin", "auditor", "employee"] {
        assert_eq!(
            c.sign_in(&format!("{who}@acme.example"), "wrong")
                .await
                .status,
            401
        );
    }
    let fourth = c.sign_in("contributor@acme.example", PASSWORD).await;
    assert_eq!(fourth.status, 429);
    assert!(
        fourth.body.contains("too many attempts from this address"),
        "{}",
        fourth.body
    );
    assert!(!c.has_session());
    world.server.finish().await;
}

async fn first_run_offers_only_setup_then_closes_it(db: TestDb) {
    let server = TestServer::start(db).await;
    let setup = server
        .setup_url
        .clone()
        .expect("a fresh server prints a setup link");
    let c = server.client();
    // Before setup: only sign-in (which explains setup), setup and health answer.
    assert_eq!(c.get("/health").await.status, 200);
    let root = c.get("/").await;
    assert_eq!((root.status, root.header("location")), (303, "/signin"));
    assert!(c.get("/signin").await.body.contains("one-time setup link"));
    let api = c.get("/api/v1/me").await;
    assert_eq!(api.status, 401);
    assert_eq!(api.json()["error"]["code"], "unauthenticated");
    assert_eq!(c.get("/setup?token=wrong").await.status, 404);

    let path = &setup[setup.find("/setup").unwrap()..];
    let page = c.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let token = path.split("token=").nth(1).unwrap();
    let short = c
        .post_form(
            "/setup",
            &[
                ("token", token),
                ("org_name", "Northwind Cloud"),
                ("availability", "on"),
                ("name", "Nora"),
                ("email", "nora@northwind.example"),
                ("password", "short"),
                ("password_again", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, 400);
    assert!(
        short.body.contains("at least 12 characters"),
        "{}",
        short.body
    );
    assert!(
        server.app.orgs().await.unwrap().is_empty(),
        "a refused setup stores nothing"
    );

    let done = c
        .post_form(
            "/setup",
            &[
                ("token", token),
                ("org_name", "Northwind Cloud"),
                ("availability", "on"),
                ("name", "Nora"),
                ("email", "nora@northwind.example"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (done.status, done.header("location")),
        (303, "/o/northwind-cloud"),
        "{}",
        done.body
    );
    let home = c.get("/o/northwind-cloud").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Northwind Cloud"));
    let orgs = server.app.orgs().await.unwrap();
    assert_eq!(orgs[0].scope.to_string(), "security,availability");
    // The link is spent.
    let other = server.client();
    assert_eq!(other.get(path).await.status, 404);
    server.finish().await;
}

async fn wrong_passwords_lock_the_account_and_say_for_how_long(db: TestDb) {
    let world = World::build(db).await;
    let c = world.server.client();
    for attempt in 1..=4 {
        let r = c.sign_in("admin@acme.example", "not the password").await;
        assert_eq!(r.status, 401, "attempt {attempt}");
        assert!(r.body.contains("do not match"), "{}", r.body);
        assert!(!c.has_session());
    }
    let fifth = c.sign_in("admin@acme.example", "not the password").await;
    assert_eq!(fifth.status, 429);
    assert!(
        fifth.body.contains("locked") && fifth.body.contains("minute"),
        "{}",
        fifth.body
    );
    let right = c.sign_in("admin@acme.example", PASSWORD).await;
    assert_eq!(
        right.status, 429,
        "a locked account stays locked even with the right password"
    );
    // An unknown email gets the same answer as a wrong password.
    let unknown = c.sign_in("nobody@acme.example", PASSWORD).await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.body.contains("do not match"));
    world.server.finish().await;
}

async fn a_state_change_without_the_csrf_token_is_refused_and_changes_nothing(db: TestDb) {
    let world = World::build(db).await;
    let c = world.signed_in("owner").await;
    c.refresh_csrf().await;
    let path = format!("/o/{}/controls/IAM-01", world.acme);
    let form = "status=implemented";
    let missing = c
        .post_raw(&path, form, "application/x-www-form-urlencoded", &[])
        .await;
    assert_eq!(missing.status, 403);
    assert!(missing.body.contains("reload the page"), "{}", missing.body);
    let stale = c
        .post_raw(
            &path,
            &format!("{form}&_csrf=stale-token"),
            "application/x-www-form-urlencoded",
            &[],
        )
        .await;
    assert_eq!(stale.status, 403);
    let token = c.csrf();
    let cross = c
        .post_raw(
            &path,
            &format!("{form}&_csrf={token}"),
            "application/x-www-form-urlencoded",
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(cross.status, 403);
    let fetch_site = c
        .post_raw(
            &path,
            &format!("{form}&_csrf={token}"),
            "application/x-www-form-urlencoded",
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(fetch_site.status, 403);
    let page = c.get(&path).await;
    assert!(
        page.body
            .contains("data-testid=\"control-status\">not-started"),
        "nothing changed"
    );

    let ok = c
        .post_form(
            &path,
            &[
                ("status", "implemented"),
                ("owner", "contributor@acme.example"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = c.get(&path).await;
    assert!(
        page.body
            .contains("data-testid=\"control-status\">implemented")
    );
    world.server.finish().await;
}

async fn signing_out_ends_the_session_on_the_server(db: TestDb) {
    let world = World::build(db).await;
    let c = world.signed_in("auditor").await;
    c.refresh_csrf().await;
    let stolen = c.get(&format!("/o/{}/dashboard", world.acme)).await;
    assert_eq!(stolen.status, 200);
    // Keep a copy of the cookie, as an attacker who copied it would.
    let replay = world.server.client();
    replay.set_cookie("attest_session", &c.cookie("attest_session").unwrap());
    assert_eq!(
        replay
            .get(&format!("/o/{}/dashboard", world.acme))
            .await
            .status,
        200
    );
    let cookie_page = c.post_form("/signout", &[]).await;
    assert_eq!(cookie_page.status, 303);
    assert!(!c.has_session());
    let again = replay.get(&format!("/o/{}/dashboard", world.acme)).await;
    assert_eq!(
        again.status, 303,
        "the copied cookie no longer opens anything"
    );
    world.server.finish().await;
}

async fn mfa_enrollment_then_sign_in_with_a_code_and_a_recovery_code(db: TestDb) {
    let world = World::build(db).await;
    let c = world.signed_in("contributor").await;
    c.refresh_csrf().await;
    let begun = c.post_form("/account/mfa/begin", &[]).await;
    assert_eq!(begun.status, 200);
    assert!(begun.body.contains("<svg"), "a QR code is shown");
    let secret = between(&begun.body, "data-testid=\"totp-secret\">", "<");
    let wrong = c
        .post_form("/account/mfa/confirm", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, 400);
    let code = attest_app::current_totp_code(&secret).unwrap();
    let confirmed = c
        .post_form("/account/mfa/confirm", &[("code", &code)])
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    // The seed is stored sealed: the database alone does not give the second factor away.
    let store = world.server.store().await;
    let user = store
        .user_by_email(&crate::support::email("contributor"))
        .await
        .unwrap();
    let stored = store
        .credentials(&user.id)
        .await
        .unwrap()
        .totp_secret
        .unwrap();
    assert!(
        stored.starts_with("v1.") && !stored.contains(&secret),
        "{stored}"
    );
    let codes_html = between(&confirmed.body, "data-testid=\"recovery-codes\">", "</div>");
    let recovery: Vec<String> = codes_html
        .split("<code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(recovery.len(), 10);

    // Signing in again now asks for the second factor before anything else.
    let c2 = world.server.client();
    let signed = c2.sign_in("contributor@acme.example", PASSWORD).await;
    assert_eq!(signed.status, 303);
    assert!(signed.header("location").starts_with("/signin/mfa"));
    let blocked = c2.get(&format!("/o/{}/controls", world.acme)).await;
    assert_eq!(
        (blocked.status, blocked.header("location")),
        (303, "/signin/mfa")
    );
    let api = c2.get("/api/v1/me").await;
    assert_eq!(api.status, 401);
    c2.get("/signin/mfa").await;
    let bad = c2
        .post_form("/signin/mfa", &[("code", "123456"), ("next", "/")])
        .await;
    assert_eq!(bad.status, 401);
    let good = c2
        .post_form("/signin/mfa", &[("code", &recovery[0]), ("next", "/")])
        .await;
    assert_eq!(good.status, 303, "{}", good.body);
    assert_eq!(
        c2.get(&format!("/o/{}/controls", world.acme)).await.status,
        200
    );

    // A recovery code works once.
    let c3 = world.server.client();
    c3.sign_in("contributor@acme.example", PASSWORD).await;
    c3.get("/signin/mfa").await;
    let reused = c3
        .post_form("/signin/mfa", &[("code", &recovery[0]), ("next", "/")])
        .await;
    assert_eq!(reused.status, 401);
    let next = c3
        .post_form(
            "/signin/mfa",
            &[
                ("code", &recovery[1].to_lowercase().replace('-', "")),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(
        next.status, 303,
        "codes are accepted however they are typed"
    );

    // Phone and codes lost: an administrator at the server turns the second factor off
    // (`attest user reset-mfa`), which also ends the sessions that passed it.
    let admin = attest_app::Actor::new("cli:root").unwrap();
    world
        .server
        .app
        .reset_second_factor(&crate::support::email("contributor"), &admin)
        .await
        .unwrap();
    assert_eq!(c3.get("/account/security").await.status, 303, "signed out");
    let c4 = world.server.client();
    let plain = c4.sign_in("contributor@acme.example", PASSWORD).await;
    assert_eq!((plain.status, plain.header("location")), (303, "/"));
    world.server.finish().await;
}

async fn an_org_that_requires_mfa_sends_members_to_enroll(db: TestDb) {
    let world = World::build(db).await;
    let owner = world.signed_in("owner").await;
    owner.get(&format!("/o/{}/settings", world.acme)).await;
    let refused = owner
        .post_form(
            &format!("/o/{}/settings", world.acme),
            &[("name", "Acme Cloud"), ("require_mfa", "on")],
        )
        .await;
    assert_eq!(
        refused.status, 400,
        "an owner without MFA cannot lock everyone out"
    );
    assert!(refused.body.contains("your own account first"));
    let begun = owner.post_form("/account/mfa/begin", &[]).await;
    let secret = between(&begun.body, "data-testid=\"totp-secret\">", "<");
    let ok = owner
        .post_form(
            "/account/mfa/confirm",
            &[("code", &attest_app::current_totp_code(&secret).unwrap())],
        )
        .await;
    assert_eq!(ok.status, 200);
    owner.get(&format!("/o/{}/settings", world.acme)).await;
    let on = owner
        .post_form(
            &format!("/o/{}/settings", world.acme),
            &[("name", "Acme Cloud"), ("require_mfa", "on")],
        )
        .await;
    assert_eq!(on.status, 303, "{}", on.body);

    let member = world.signed_in("contributor").await;
    let sent = member.get(&format!("/o/{}/controls", world.acme)).await;
    assert_eq!(
        (sent.status, sent.header("location")),
        (303, "/account/security?required=1")
    );
    assert!(
        member
            .get("/account/security?required=1")
            .await
            .body
            .contains("requires multi-factor")
    );
    world.server.finish().await;
}

async fn a_reset_link_sets_a_new_password_once_and_ends_old_sessions(db: TestDb) {
    let world = World::build(db).await;
    let old = world.signed_in("admin").await;
    assert_eq!(old.get(&format!("/o/{}", world.acme)).await.status, 200);
    let link = world
        .server
        .app
        .password_reset_link(
            &Email::parse("admin@acme.example").unwrap(),
            &Actor::new("cli:root").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.purpose, LinkPurpose::Reset);
    let c = world.server.client();
    let page = c.get(&link.path()).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("admin@acme.example"));
    let differ = c
        .post_form(
            &link.path(),
            &[
                ("password", "a brand new passphrase"),
                ("password_again", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(differ.status, 400);
    let set = c
        .post_form(
            &link.path(),
            &[
                ("password", "a brand new passphrase"),
                ("password_again", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    assert_eq!(
        old.get(&format!("/o/{}", world.acme)).await.status,
        303,
        "the old session ended"
    );
    let again = world.server.client().get(&link.path()).await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("expired or was already used"));
    let fresh = world.server.client();
    assert_eq!(
        fresh
            .sign_in("admin@acme.example", "a brand new passphrase")
            .await
            .status,
        303
    );
    world.server.finish().await;
}

async fn an_invitation_link_lets_a_new_member_choose_a_password(db: TestDb) {
    let world = World::build(db).await;
    let owner = world.signed_in("owner").await;
    owner
        .get(&format!("/o/{}/settings/members", world.acme))
        .await;
    let invited = owner
        .post_form(
            &format!("/o/{}/settings/members", world.acme),
            &[
                ("email", "newbie@acme.example"),
                ("name", "Nell Newbie"),
                ("role", "contributor"),
            ],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let link = between(&invited.body, "<span class=\"secret\">", "</span>");
    let path = &link[link
        .find("/invite/")
        .unwrap_or_else(|| panic!("no link in {}", invited.body))..];
    let c = world.server.client();
    assert!(c.get(path).await.body.contains("newbie@acme.example"));
    let set = c
        .post_form(
            path,
            &[
                ("password", "newbie passphrase 42"),
                ("password_again", "newbie passphrase 42"),
            ],
        )
        .await;
    assert_eq!(set.status, 303);
    let home = c.get(&format!("/o/{}/controls", world.acme)).await;
    assert_eq!(
        home.status, 200,
        "the new contributor is signed in and sees the program"
    );
    world.server.finish().await;
}

/// The text between two markers, with the HTML escapes the templates use undone.
pub fn between(body: &str, start: &str, end: &str) -> String {
    let at = body
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not in {body}"))
        + start.len();
    let len = body[at..].find(end).unwrap();
    body[at..at + len]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}
