//! End-to-end tests of the `attest` binary: each runs the real binary in a temporary folder,
//! against SQLite, and against PostgreSQL when `ATTEST_TEST_POSTGRES_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod catalog;
mod checks;
mod controls;
mod evidence;
mod gap;
mod ledger;
mod monitoring;
mod people;
mod policies;
mod reliability;
mod serve;
mod support;
mod workspace;

/// Generates one test per story and database; each story takes a `&support::Attest`.
#[macro_export]
macro_rules! on_both_databases {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    let attest = $crate::support::Attest::sqlite();
                    super::$story(&attest);
                    attest.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    let Some(attest) = $crate::support::Attest::postgres().await else { return };
                    super::$story(&attest);
                    attest.finish().await;
                }
            )*
        }
    };
}
