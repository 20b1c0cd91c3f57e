//! The storage conformance suite: every story runs on SQLite, and on PostgreSQL when
//! `ATTEST_TEST_POSTGRES_URL` is set (see `attest_store::testing`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod blobs;
mod ledger;
mod stories;

use attest_store::Store;
use attest_store::testing::TestDb;

/// Generates one `#[tokio::test]` per story and database.
macro_rules! on_both_databases {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    let db = super::TestDb::sqlite();
                    super::stories::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::stories::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

on_both_databases!(
    a_new_workspace_holds_an_org_with_its_controls,
    a_duplicate_org_changes_nothing,
    control_changes_are_stored_with_their_audit_entry,
    the_database_refuses_not_applicable_without_justification,
    criteria_mappings_are_replaced_whole,
    licensed_texts_are_replaced_per_criterion,
    the_roster_changes_all_or_nothing_and_every_change_is_ledgered,
    a_policy_version_moves_only_forward_and_acknowledgments_are_ledgered,
    an_access_review_is_decided_completed_and_its_revocations_tracked,
    register_records_are_revised_all_or_nothing_and_every_revision_is_ledgered,
    data_survives_reopening,
    a_change_based_on_a_stale_read_is_refused,
    an_org_is_created_with_its_people_or_not_at_all,
    a_session_is_found_with_the_membership_of_the_org_asked_for,
    the_last_owner_cannot_be_removed_or_demoted,
    a_totp_step_and_a_recovery_code_work_once,
    a_revoked_token_is_never_found_again,
    one_server_at_a_time_runs_the_scheduler,
);

mod ledger_on {
    use super::ledger;
    use attest_store::testing::TestDb;

    macro_rules! both {
        ($($story:ident),*) => {
            $(
                #[tokio::test]
                async fn $story() {
                    let db = TestDb::sqlite();
                    ledger::$story(&db).await;
                    db.finish().await;
                    if let Some(db) = TestDb::postgres().await {
                        ledger::$story(&db).await;
                        db.finish().await;
                    }
                }
            )*
        };
    }

    both!(
        every_root_and_proof_agrees_with_the_reference,
        tampering_is_caught_and_located,
        dropped_entries_are_named
    );
}

/// Opens the test database for `attest init`.
pub async fn init(db: &TestDb) -> Store {
    let store = Store::open_or_create(&db.location)
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    store.ensure_workspace("test@attest.local").await.unwrap();
    store
}

#[tokio::test]
async fn a_missing_sqlite_file_is_not_a_workspace_and_is_not_created() {
    let db = TestDb::sqlite();
    let err = Store::open(&db.location).await.unwrap_err();
    assert!(
        matches!(err, attest_store::StoreError::NotAWorkspace { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("attest init"), "{err}");
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    assert!(!path.exists());
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
    let db = TestDb::sqlite();
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    std::fs::write(
        path,
        b"this is not a sqlite database, just some text that is long enough..",
    )
    .unwrap();
    let err = Store::open(&db.location).await.unwrap_err();
    assert!(
        matches!(err, attest_store::StoreError::Corrupt { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[tokio::test]
async fn another_apps_sqlite_file_is_left_untouched() {
    let db = TestDb::sqlite();
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    {
        use sqlx::Connection;
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .unwrap();
        sqlx::raw_sql("CREATE TABLE notes (body TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let err = Store::open(&db.location).await.unwrap_err();
    assert!(
        matches!(err, attest_store::StoreError::NotAWorkspace { .. }),
        "{err:?}"
    );
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        tables,
        ["notes"],
        "no Attest table may be added to a file that is not ours"
    );
}

#[tokio::test]
async fn an_unreachable_postgres_names_the_server_and_hides_the_password() {
    let location =
        attest_store::Location::parse("postgres://attest:s3cret@127.0.0.1:1/attest").unwrap();
    let err = Store::open(&location).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, attest_store::StoreError::Unreachable { .. }),
        "{err:?}"
    );
    assert!(
        text.contains("127.0.0.1:1") && !text.contains("s3cret"),
        "{text}"
    );
}

#[tokio::test]
async fn a_database_from_a_newer_attest_is_refused_untouched() {
    let db = TestDb::sqlite();
    let store = init(&db).await;
    store.close().await;
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::raw_sql(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99990101000000, 'from the future', TRUE, X'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
    let err = Store::open(&db.location).await.unwrap_err();
    assert!(
        matches!(
            err,
            attest_store::StoreError::TooNew {
                version: 99990101000000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("upgrade Attest"), "{err}");
}

#[tokio::test]
async fn the_database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::sqlite();
    let store = init(&db).await;
    store.close().await;
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
}
