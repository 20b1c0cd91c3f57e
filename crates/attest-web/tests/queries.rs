//! How many SQL statements each list page costs. Its own test binary, because it counts every
//! statement the process runs (sqlx reports each one as a `sqlx::query` tracing event): the
//! numbers would be wrong with other tests' servers running beside it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "it/support.rs"]
#[allow(unused)]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use attest_store::testing::TestDb;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

struct CountStatements(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The budget for a list page.
const MOST_PER_LIST_PAGE: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_run_at_most_three_statements() {
    let statements = Arc::new(AtomicUsize::new(0));
    tracing_subscriber::registry()
        .with(CountStatements(statements.clone()))
        .init();
    let world = support::World::build(TestDb::sqlite()).await;
    let owner = world.signed_in("owner").await;
    let org = &world.acme;
    let pages = [
        format!("/o/{org}/controls"),
        format!("/o/{org}/criteria"),
        format!("/o/{org}/tasks"),
        format!("/o/{org}/settings/members"),
        format!("/o/{org}/settings/tokens"),
        format!("/o/{org}/settings/audit"),
        format!("/api/v1/orgs/{org}/controls"),
        format!("/api/v1/orgs/{org}/criteria"),
        format!("/api/v1/orgs/{org}/tasks"),
        format!("/api/v1/orgs/{org}/members"),
        format!("/api/v1/orgs/{org}/audit-log"),
        format!("/o/{org}/risks"),
        format!("/o/{org}/vendors"),
        format!("/o/{org}/incidents"),
        format!("/o/{org}/assets"),
        format!("/api/v1/orgs/{org}/risks"),
        format!("/api/v1/orgs/{org}/vendors"),
        format!("/api/v1/orgs/{org}/incidents"),
        format!("/api/v1/orgs/{org}/systems"),
    ];
    let mut report = Vec::new();
    for page in &pages {
        let mut counts = Vec::new();
        // The first visit may fill the control cache; the second is the steady state.
        for _ in 0..2 {
            let before = statements.load(Ordering::SeqCst);
            let resp = owner.get(page).await;
            assert_eq!(resp.status, 200, "{page}: {}", resp.body);
            counts.push(statements.load(Ordering::SeqCst) - before);
        }
        report.push(format!("{page}: {} cold, {} warm", counts[0], counts[1]));
        assert!(
            counts.iter().all(|n| *n <= MOST_PER_LIST_PAGE),
            "{page} ran {counts:?} statements (first visit, second visit); the budget is {MOST_PER_LIST_PAGE}"
        );
    }
    // Sanity: the counter sees statements at all (a signed-in page reads the session).
    assert!(statements.load(Ordering::SeqCst) > pages.len());
    eprintln!("SQL statements per page:\n  {}", report.join("\n  "));
    world.server.finish().await;
}
