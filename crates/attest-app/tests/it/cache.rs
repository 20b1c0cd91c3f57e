//! The in-memory control lists follow every change to the database, including changes made by
//! another process (here a second `App` on the same database, as the CLI would be).

use attest_app::{Actor, App, ControlUpdate};
use attest_core::{ControlId, ControlStatus, CriterionId, Scope};
use attest_store::testing::TestDb;

async fn a_second_writer_is_seen_by_the_first_reader(db: TestDb) {
    let actor = Actor::new("test").unwrap();
    let (server, org) = App::init(&db.location, "Acme", Scope::security_only(), &actor)
        .await
        .unwrap();
    let cli = App::open(&db.location).await.unwrap();
    let id = ControlId::parse("IAM-06").unwrap();
    let status_of =
        |controls: &[attest_app::ControlView]| controls.iter().find(|c| c.id == id).unwrap().status;

    let before = server.controls(&org).await.unwrap();
    assert_eq!(status_of(&before), ControlStatus::NotStarted);
    let update = ControlUpdate {
        status: Some(ControlStatus::Implemented),
        ..ControlUpdate::default()
    };
    cli.update_control(&org, &id, update, &actor).await.unwrap();
    let after = server.controls(&org).await.unwrap();
    assert_eq!(
        status_of(&after),
        ControlStatus::Implemented,
        "not a stale list"
    );

    let mapped = &after.iter().find(|c| c.id == id).unwrap().criteria;
    let extra = ["CC7.2", "CC7.3", "CC8.1"]
        .into_iter()
        .map(|c| CriterionId::parse(c).unwrap())
        .find(|c| !mapped.contains(c))
        .unwrap();
    cli.map_control(&org, &id, std::slice::from_ref(&extra), &[], &actor)
        .await
        .unwrap();
    let remapped = server.controls(&org).await.unwrap();
    let now = &remapped.iter().find(|c| c.id == id).unwrap().criteria;
    assert!(now.contains(&extra), "a mapping change is seen: {now:?}");
    db.finish().await;
}

#[tokio::test]
async fn sqlite() {
    a_second_writer_is_seen_by_the_first_reader(TestDb::sqlite()).await;
}

#[tokio::test]
async fn postgres() {
    if let Some(db) = TestDb::postgres().await {
        a_second_writer_is_seen_by_the_first_reader(db).await;
    }
}
