//! The key that seals TOTP seeds: made on first use, and never silently remade once seeds
//! depend on it.

use attest_app::{Actor, App};
use attest_core::{Email, Scope};
use attest_store::testing::TestDb;

#[tokio::test]
async fn a_lost_key_file_is_reported_not_replaced() {
    let db = TestDb::sqlite();
    let actor = Actor::new("test").unwrap();
    let (app, _org) = App::init(&db.location, "Acme", Scope::security_only(), &actor)
        .await
        .unwrap();
    let email = Email::parse("owner@acme.example").unwrap();
    let (user, _) = app
        .setup_first_owner(
            "",
            Scope::security_only(),
            &email,
            "Olive",
            "correct horse battery staple",
        )
        .await
        .unwrap();
    app.begin_totp(&user).await.unwrap();
    let key_file = app.sealing_key_file().await.unwrap().to_path_buf();
    assert!(key_file.exists());

    std::fs::remove_file(&key_file).unwrap();
    let restarted = App::open(&db.location).await.unwrap();
    let err = restarted.sealing_key_file().await.unwrap_err().to_string();
    assert!(
        err.contains("is missing") && err.contains("1 account"),
        "{err}"
    );
    assert!(!key_file.exists(), "no new key was made");

    // Turning the second factor off is the way out; a new key is then made.
    restarted.reset_second_factor(&email, &actor).await.unwrap();
    let fresh = App::open(&db.location).await.unwrap();
    assert!(fresh.sealing_key_file().await.is_ok());
    assert!(key_file.exists());
    db.finish().await;
}
