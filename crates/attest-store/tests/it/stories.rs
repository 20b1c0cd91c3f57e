//! Stories written once and run on each database.

use attest_core::{
    ChecklistItem, ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email,
    EmploymentType, Frequency, ItemStatus, OrgSlug, Scope, VersionNumber, VersionState,
};
use attest_store::testing::TestDb;
use attest_store::{
    CHECKLIST_ENTRY, ControlSource, ControlState, NewAuditEntry, NewChecklistRecord, NewControl,
    NewDraft, NewOrg, NewPerson, NewPolicy, PERSON_ENTRY, POLICY_ACKNOWLEDGMENT_ENTRY,
    POLICY_APPROVAL_ENTRY, RosterChange, Store, StoreError,
};
use serde_json::json;

use crate::init;

fn criteria(ids: &[&str]) -> Vec<CriterionId> {
    ids.iter().map(|c| CriterionId::parse(c).unwrap()).collect()
}

fn control(id: &str, criteria_ids: &[&str]) -> NewControl {
    NewControl {
        id: ControlId::parse(id).unwrap(),
        source: ControlSource::Library,
        domain: "access".into(),
        title: format!("Control {id}"),
        statement: "The security lead does the thing every quarter.".into(),
        kind: ControlKind::Technical,
        nature: ControlNature::Preventive,
        frequency: Frequency::Quarterly,
        owner_role: None,
        owner: None,
        status: ControlStatus::NotStarted,
        justification: None,
        notes: None,
        criteria: criteria(criteria_ids),
    }
}

fn entry(action: &str, target: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: "ana@northwind.test".into(),
        action: action.into(),
        target: Some(target.into()),
        detail: serde_json::json!({"why": "test"}),
    }
}

async fn org_with_controls(store: &Store) -> String {
    let org = NewOrg {
        slug: OrgSlug::parse("northwind").unwrap(),
        name: "Northwind".into(),
        scope: Scope::parse("availability").unwrap(),
    };
    let controls = [
        control("IAM-06", &["CC6.6", "CC6.1"]),
        control("BCP-03", &["A1.2"]),
    ];
    store
        .create_org(&org, &controls, &[], "ana@northwind.test")
        .await
        .unwrap()
        .id
}

pub async fn a_new_workspace_holds_an_org_with_its_controls(db: &TestDb) {
    let store = init(db).await;
    assert!(store.workspace_exists().await.unwrap());
    assert!(
        !store.ensure_workspace("again").await.unwrap(),
        "the workspace is created once"
    );
    let org_id = org_with_controls(&store).await;
    let orgs = store.list_orgs().await.unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].scope.to_string(), "security,availability");
    let controls = store.list_controls(&org_id).await.unwrap();
    let ids: Vec<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["BCP-03", "IAM-06"]);
    assert_eq!(
        controls[1].criteria,
        criteria(&["CC6.1", "CC6.6"]),
        "criteria come back in catalog order"
    );
    let log = store.audit_log(&org_id, None).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "org.created");
    assert_eq!(log[0].detail["controls"], 2);
    store.close().await;
}

pub async fn a_duplicate_org_changes_nothing(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let again = NewOrg {
        slug: OrgSlug::parse("northwind").unwrap(),
        name: "Other".into(),
        scope: Scope::security_only(),
    };
    let err = store
        .create_org(&again, &[control("GOV-01", &["CC1.1"])], &[], "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref what) if what.contains("northwind")),
        "{err:?}"
    );
    assert_eq!(store.list_orgs().await.unwrap().len(), 1);
    assert_eq!(store.list_controls(&org_id).await.unwrap().len(), 2);
    store.close().await;
}

pub async fn control_changes_are_stored_with_their_audit_entry(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let id = ControlId::parse("IAM-06").unwrap();
    let state = ControlState {
        status: ControlStatus::Implemented,
        justification: None,
        owner: Some(Email::parse("ana@northwind.test").unwrap()),
        notes: Some("Enforced in Okta".into()),
    };
    let read_at = store.get_control(&org_id, &id).await.unwrap().updated_at;
    store
        .update_control_state(
            &org_id,
            &id,
            &state,
            read_at,
            &entry("control.updated", "control:IAM-06"),
        )
        .await
        .unwrap();
    let stored = store.get_control(&org_id, &id).await.unwrap();
    assert_eq!(stored.status, ControlStatus::Implemented);
    assert_eq!(
        stored.owner.as_ref().map(Email::as_str),
        Some("ana@northwind.test")
    );
    assert_eq!(stored.updated_by, "ana@northwind.test");
    let history = store
        .audit_log(&org_id, Some("control:IAM-06"))
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].actor, "ana@northwind.test");

    let missing = ControlId::parse("NOPE-01").unwrap();
    let err = store
        .update_control_state(
            &org_id,
            &missing,
            &state,
            read_at,
            &entry("control.updated", "control:NOPE-01"),
        )
        .await;
    assert!(matches!(err, Err(StoreError::NotFound)));
    assert!(
        store
            .audit_log(&org_id, Some("control:NOPE-01"))
            .await
            .unwrap()
            .is_empty(),
        "no entry for a failed change"
    );
    store.close().await;
}

pub async fn the_database_refuses_not_applicable_without_justification(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let id = ControlId::parse("BCP-03").unwrap();
    let bad = ControlState {
        status: ControlStatus::NotApplicable,
        justification: None,
        owner: None,
        notes: None,
    };
    assert!(
        store
            .update_control_state(
                &org_id,
                &id,
                &bad,
                store.get_control(&org_id, &id).await.unwrap().updated_at,
                &entry("control.updated", "control:BCP-03")
            )
            .await
            .is_err()
    );
    assert_eq!(
        store.get_control(&org_id, &id).await.unwrap().status,
        ControlStatus::NotStarted
    );
    assert!(
        store
            .audit_log(&org_id, Some("control:BCP-03"))
            .await
            .unwrap()
            .is_empty()
    );
    store.close().await;
}

pub async fn criteria_mappings_are_replaced_whole(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let id = ControlId::parse("IAM-06").unwrap();
    let new = criteria(&["CC6.2", "A1.1"]);
    store
        .set_control_criteria(
            &org_id,
            &id,
            &new,
            store.get_control(&org_id, &id).await.unwrap().updated_at,
            &entry("control.mapped", "control:IAM-06"),
        )
        .await
        .unwrap();
    assert_eq!(store.get_control(&org_id, &id).await.unwrap().criteria, new);
    store.close().await;
}

pub async fn licensed_texts_are_replaced_per_criterion(db: &TestDb) {
    let store = init(db).await;
    let cc61 = CriterionId::parse("CC6.1").unwrap();
    let a12 = CriterionId::parse("A1.2").unwrap();
    let focus = vec!["First".to_string()];
    store
        .upsert_criterion_texts(
            &[(&cc61, "old", &focus), (&a12, "keep", &[])],
            "a.csv",
            &entry("licensed_text.imported", "catalog"),
        )
        .await
        .unwrap();
    store
        .upsert_criterion_texts(
            &[(&cc61, "new", &[])],
            "b.csv",
            &entry("licensed_text.imported", "catalog"),
        )
        .await
        .unwrap();
    let texts = store.criterion_texts().await.unwrap();
    assert_eq!(texts.len(), 2);
    assert_eq!(
        (
            texts[0].criterion.as_str(),
            texts[0].text.as_str(),
            texts[0].source.as_str()
        ),
        ("CC6.1", "new", "b.csv")
    );
    assert!(texts[0].points_of_focus.is_empty());
    assert_eq!(texts[1].text, "keep");
    store.close().await;
}

pub async fn the_roster_changes_all_or_nothing_and_every_change_is_ledgered(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let person = |email: &str| {
        NewPerson::manual(
            Email::parse(email).unwrap(),
            "A Person",
            "Engineer",
            "Engineering",
        )
    };
    let batch: Vec<RosterChange> = ["a@northwind.test", "b@northwind.test", "A@northwind.test"]
        .into_iter()
        .map(|e| RosterChange::Add(person(e)))
        .collect();
    let size = store.ledger_size().await.unwrap();
    let err = store
        .save_people(&org_id, &batch, &entry("people.imported", "people"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref what) if what.contains("a@northwind.test")),
        "{err:?}"
    );
    assert!(
        store.list_people(&org_id).await.unwrap().is_empty(),
        "nothing of a failed batch is kept"
    );
    assert_eq!(store.ledger_size().await.unwrap(), size, "nor ledgered");
    let ids = store
        .save_people(&org_id, &batch[..2], &entry("people.imported", "people"))
        .await
        .unwrap();
    assert_eq!(store.list_people(&org_id).await.unwrap().len(), 2);
    assert_eq!(store.ledger_size().await.unwrap(), size + 2);

    // A leaver: the record is overwritten, and the change is ledgered with the new dates.
    let mut leaver = person("a@northwind.test");
    leaver.start_date = Some("2025-02-03".parse().unwrap());
    leaver.end_date = Some("2026-10-30".parse().unwrap());
    leaver.employment_type = EmploymentType::Contractor;
    store
        .save_people(
            &org_id,
            &[RosterChange::Update {
                id: ids[0].clone(),
                person: leaver.clone(),
            }],
            &entry("person.updated", "person:a@northwind.test"),
        )
        .await
        .unwrap();
    let stored = store.person(&org_id, &ids[0]).await.unwrap();
    assert_eq!(stored.as_new(), leaver);
    assert_eq!(stored.updated_by.as_deref(), Some("ana@northwind.test"));
    let last = store.ledger_entry(size + 2).await.unwrap();
    assert_eq!(last.kind, PERSON_ENTRY);
    assert!(
        last.body.contains("\"end_date\":\"2026-10-30\""),
        "{}",
        last.body
    );

    // Checklist records are appended; the newest of a step is its state.
    let step = |status, on: Option<&str>| NewChecklistRecord {
        person_id: ids[0].clone(),
        item: ChecklistItem::BackgroundCheck,
        status,
        completed_on: on.map(|d| d.parse().unwrap()),
        provider: Some("Checkr".into()),
        reference: None,
        evidence_id: None,
        note: String::new(),
    };
    store
        .record_checklist(
            &org_id,
            &step(ItemStatus::Pending, None),
            &entry("checklist.recorded", "person:a"),
        )
        .await
        .unwrap();
    let done = store
        .record_checklist(
            &org_id,
            &step(ItemStatus::Done, Some("2025-01-30")),
            &entry("checklist.recorded", "person:a"),
        )
        .await
        .unwrap();
    let records = store
        .checklist_records(&org_id, Some(&ids[0]))
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records.last(), Some(&done));
    assert_eq!(
        store.ledger_entry(done.ledger_index).await.unwrap().kind,
        CHECKLIST_ENTRY
    );
    assert!(
        store
            .checklist_records(&org_id, Some(&ids[1]))
            .await
            .unwrap()
            .is_empty()
    );
    store.close().await;
}

pub async fn data_survives_reopening(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    store.close().await;
    let reopened = Store::open(&db.location).await.unwrap();
    assert_eq!(reopened.list_controls(&org_id).await.unwrap().len(), 2);
    reopened.close().await;
}

pub async fn a_change_based_on_a_stale_read_is_refused(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let id = ControlId::parse("IAM-06").unwrap();
    let stale = store.get_control(&org_id, &id).await.unwrap().updated_at;
    let state = |status| ControlState {
        status,
        justification: None,
        owner: None,
        notes: None,
    };
    // Someone else changes the control after our read...
    store
        .update_control_state(
            &org_id,
            &id,
            &state(ControlStatus::Implemented),
            stale,
            &entry("control.updated", "control:IAM-06"),
        )
        .await
        .unwrap();
    // ...so our write, based on the old state, must not silently undo theirs.
    let err = store
        .update_control_state(
            &org_id,
            &id,
            &state(ControlStatus::InProgress),
            stale,
            &entry("control.updated", "control:IAM-06"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Changed(_)), "{err:?}");
    let err = store
        .set_control_criteria(
            &org_id,
            &id,
            &criteria(&["CC6.2"]),
            stale,
            &entry("control.mapped", "control:IAM-06"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Changed(_)), "{err:?}");
    let control = store.get_control(&org_id, &id).await.unwrap();
    assert_eq!(control.status, ControlStatus::Implemented);
    assert_eq!(control.criteria, criteria(&["CC6.1", "CC6.6"]));
    assert_eq!(
        store
            .audit_log(&org_id, Some("control:IAM-06"))
            .await
            .unwrap()
            .len(),
        1
    );
    store.close().await;
}

pub async fn an_org_is_created_with_its_people_or_not_at_all(db: &TestDb) {
    let store = init(db).await;
    let person = |email: &str| {
        NewPerson::manual(
            Email::parse(email).unwrap(),
            "A Person",
            "Engineer",
            "Engineering",
        )
    };
    let org = NewOrg {
        slug: OrgSlug::parse("acme").unwrap(),
        name: "Acme".into(),
        scope: Scope::security_only(),
    };
    let dup = [person("a@acme.test"), person("a@acme.test")];
    assert!(
        store
            .create_org(&org, &[control("GOV-01", &["CC1.1"])], &dup, "x")
            .await
            .is_err()
    );
    assert!(
        store
            .list_orgs()
            .await
            .unwrap()
            .iter()
            .all(|o| o.slug.as_str() != "acme"),
        "no org without its people"
    );
    let created = store
        .create_org(&org, &[control("GOV-01", &["CC1.1"])], &dup[..1], "x")
        .await
        .unwrap();
    assert_eq!(store.list_people(&created.id).await.unwrap().len(), 1);
    store.close().await;
}

async fn org_with_owner(store: &Store) -> (attest_store::Org, attest_store::User) {
    let org = store
        .create_org(
            &NewOrg {
                slug: OrgSlug::parse("northwind").unwrap(),
                name: "Northwind".into(),
                scope: Scope::security_only(),
            },
            &[],
            &[],
            "test",
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            &attest_store::NewUser {
                email: Email::parse("ana@northwind.test").unwrap(),
                name: "Ana".into(),
                password_hash: Some("$argon2id$fake".into()),
            },
            Some((&org.id, attest_core::Role::Owner)),
            &entry("user.created", "user:ana@northwind.test"),
        )
        .await
        .unwrap();
    (org, user)
}

pub async fn a_session_is_found_with_the_membership_of_the_org_asked_for(db: &TestDb) {
    let store = init(db).await;
    let (org, user) = org_with_owner(&store).await;
    store
        .create_session(&attest_store::NewSession {
            id_hash: "hash-1".into(),
            user_id: user.id.clone(),
            csrf_token: "csrf".into(),
            mfa_passed: false,
            expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        })
        .await
        .unwrap();
    let (session, membership) = store
        .session("hash-1", Some("northwind"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.user.email.as_str(), "ana@northwind.test");
    let membership = membership.unwrap();
    assert_eq!(
        (membership.org.id.as_str(), membership.role),
        (org.id.as_str(), attest_core::Role::Owner)
    );
    let (_, elsewhere) = store
        .session("hash-1", Some("globex"))
        .await
        .unwrap()
        .unwrap();
    assert!(
        elsewhere.is_none(),
        "no membership in an org the user is not in"
    );
    assert!(store.session("other", None).await.unwrap().is_none());
    // A password change ends every session.
    store
        .set_password(
            &user.id,
            "$argon2id$new",
            &entry("user.password-set", "user:ana"),
        )
        .await
        .unwrap();
    assert!(store.session("hash-1", None).await.unwrap().is_none());
}

pub async fn the_last_owner_cannot_be_removed_or_demoted(db: &TestDb) {
    let store = init(db).await;
    let (org, user) = org_with_owner(&store).await;
    for role in [Some(attest_core::Role::Admin), None] {
        let err = store
            .set_member_role(
                &org.id,
                &user.id,
                role,
                &entry("member.role-changed", "member:ana"),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    }
    assert_eq!(
        store.members(&org.id).await.unwrap()[0].role,
        attest_core::Role::Owner
    );
}

pub async fn a_totp_step_and_a_recovery_code_work_once(db: &TestDb) {
    let store = init(db).await;
    let (_, user) = org_with_owner(&store).await;
    assert!(store.record_totp_step(&user.id, 100).await.unwrap());
    assert!(
        !store.record_totp_step(&user.id, 100).await.unwrap(),
        "the same code again"
    );
    assert!(
        !store.record_totp_step(&user.id, 99).await.unwrap(),
        "an older code"
    );
    assert!(store.record_totp_step(&user.id, 101).await.unwrap());
    store
        .set_pending_totp(&user.id, "JBSWY3DPEHPK3PXP")
        .await
        .unwrap();
    store
        .enable_totp(
            &user.id,
            &["code-a".into(), "code-b".into()],
            &entry("user.mfa-enabled", "user:ana"),
        )
        .await
        .unwrap();
    assert!(store.use_recovery_code(&user.id, "code-a").await.unwrap());
    assert!(!store.use_recovery_code(&user.id, "code-a").await.unwrap());
    assert_eq!(store.recovery_codes_left(&user.id).await.unwrap(), 1);
}

pub async fn a_revoked_token_is_never_found_again(db: &TestDb) {
    let store = init(db).await;
    let (org, user) = org_with_owner(&store).await;
    let token = store
        .create_api_token(
            &attest_store::NewApiToken {
                user_id: user.id.clone(),
                org_id: org.id.clone(),
                name: "ci".into(),
                token_hash: "token-hash".into(),
                scope: attest_core::TokenScope::Read,
            },
            &entry("token.created", "user:ana"),
        )
        .await
        .unwrap();
    let (_, found, membership) = store
        .api_token("token-hash", Some("northwind"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id.as_str(), found.scope),
        (token.id.as_str(), attest_core::TokenScope::Read)
    );
    assert!(membership.is_some());
    store
        .revoke_api_token(&user.id, &token.id, &entry("token.revoked", "user:ana"))
        .await
        .unwrap();
    assert!(
        store
            .api_token("token-hash", Some("northwind"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store
            .revoke_api_token(&user.id, &token.id, &entry("token.revoked", "user:ana"))
            .await,
        Err(StoreError::NotFound)
    ));
}

/// Replicas sharing one PostgreSQL database take turns: one holds the scheduler lock, the others
/// wait, and when the holder goes away another takes over. A SQLite workspace is one server's
/// file, so the lock is always granted there.
pub async fn one_server_at_a_time_runs_the_scheduler(db: &TestDb) {
    let first = init(db).await;
    let second = Store::open(&db.location).await.unwrap();
    let mut held = first
        .try_scheduler_lock()
        .await
        .unwrap()
        .expect("the first server takes the lock");
    assert!(held.still_held().await);
    if first.dialect() == "sqlite" {
        assert!(second.try_scheduler_lock().await.unwrap().is_some());
        return;
    }
    assert!(
        second.try_scheduler_lock().await.unwrap().is_none(),
        "a second replica must not run the schedules while the first does"
    );
    assert!(held.still_held().await, "asking does not take it away");
    // The holder stops: its connection closes and PostgreSQL releases the lock.
    drop(held);
    let mut taken = None;
    for _ in 0..50 {
        taken = second.try_scheduler_lock().await.unwrap();
        if taken.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        taken.is_some(),
        "another replica takes over once the holder is gone"
    );
    assert!(
        first.try_scheduler_lock().await.unwrap().is_none(),
        "and the first one now waits"
    );
}

pub async fn a_policy_version_moves_only_forward_and_acknowledgments_are_ledgered(db: &TestDb) {
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let ana = Email::parse("ana@northwind.test").unwrap();
    let policy = NewPolicy {
        id: "information-security".into(),
        title: "Information Security Policy".into(),
        template_id: Some("information-security".into()),
        owner: ana.clone(),
        approver: Email::parse("ceo@northwind.test").unwrap(),
        review_months: 12,
        audience: "departments:Engineering".parse().unwrap(),
        controls: vec![ControlId::parse("IAM-06").unwrap()],
    };
    let draft = |major, minor, body: &str| NewDraft {
        policy_id: policy.id.clone(),
        number: VersionNumber { major, minor },
        body: body.into(),
        sha256: format!("sha-{body}"),
        summary: "first".into(),
    };
    let first = store
        .create_policy(
            &org_id,
            &policy,
            &draft(1, 0, "v1"),
            chrono::Utc::now(),
            &entry("policy.created", "policy"),
        )
        .await
        .unwrap();
    assert_eq!(first.state, VersionState::Draft);
    assert_eq!(store.policies(&org_id).await.unwrap()[0].settings, policy);
    // One unpublished version at a time.
    let err = store
        .add_policy_draft(
            &org_id,
            &draft(1, 1, "again"),
            chrono::Utc::now(),
            &entry("policy.draft", "policy"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    // Publishing needs an approval first; approval is ledgered.
    let err = store
        .advance_policy_version(
            &org_id,
            &first,
            VersionState::Published,
            chrono::Utc::now(),
            json!({}),
            &entry("p", "policy"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let size = store.ledger_size().await.unwrap();
    // An approval covers the text that was read: another hash is refused, nothing ledgered.
    let mut older = first.clone();
    older.sha256 = "sha-of-older-text".into();
    let err = store
        .advance_policy_version(
            &org_id,
            &older,
            VersionState::Approved,
            chrono::Utc::now(),
            json!({"v": 1}),
            &entry("a", "policy"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.ledger_size().await.unwrap(), size);
    let approved = store
        .advance_policy_version(
            &org_id,
            &first,
            VersionState::Approved,
            chrono::Utc::now(),
            json!({"v": 1}),
            &entry("a", "policy"),
        )
        .await
        .unwrap();
    assert_eq!(approved.approved_by.as_deref(), Some("ana@northwind.test"));
    assert_eq!(
        store.ledger_entry(size).await.unwrap().kind,
        POLICY_APPROVAL_ENTRY
    );
    let err = store
        .save_policy_draft(
            &org_id,
            &first.id,
            "edited",
            "x",
            "s",
            &entry("e", "policy"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "an approved text cannot change"
    );
    let published = store
        .advance_policy_version(
            &org_id,
            &first,
            VersionState::Published,
            chrono::Utc::now(),
            json!({}),
            &entry("p", "policy"),
        )
        .await
        .unwrap();
    assert_eq!(published.ledger_index, Some(size + 1));

    // The next version supersedes it once published.
    let second = store
        .add_policy_draft(
            &org_id,
            &draft(2, 0, "v2"),
            chrono::Utc::now(),
            &entry("policy.draft", "policy"),
        )
        .await
        .unwrap();
    for to in [VersionState::Approved, VersionState::Published] {
        store
            .advance_policy_version(
                &org_id,
                &second,
                to,
                chrono::Utc::now(),
                json!({}),
                &entry("x", "policy"),
            )
            .await
            .unwrap();
    }
    let states: Vec<(String, VersionState)> = store
        .policy_versions(&org_id, Some("information-security"))
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.number.to_string(), v.state))
        .collect();
    assert_eq!(
        states,
        [
            ("1.0".to_owned(), VersionState::Superseded),
            ("2.0".to_owned(), VersionState::Published)
        ]
    );

    // Acknowledgments name the version and are ledgered.
    let ids = store
        .save_people(
            &org_id,
            &[RosterChange::Add(NewPerson::manual(
                ana.clone(),
                "Ana",
                "CTO",
                "Engineering",
            ))],
            &entry("people.imported", "people"),
        )
        .await
        .unwrap();
    let current = store.policy_version(&org_id, &second.id).await.unwrap();
    let acks = store
        .acknowledge_policies(
            &org_id,
            &[(current, ids[0].clone(), chrono::Utc::now())],
            &entry("ack", "policy"),
        )
        .await
        .unwrap();
    assert_eq!(acks[0].number.to_string(), "2.0");
    assert_eq!(
        store.ledger_entry(acks[0].ledger_index).await.unwrap().kind,
        POLICY_ACKNOWLEDGMENT_ENTRY
    );
    assert_eq!(
        store.acknowledgments(&org_id, Some(&ids[0])).await.unwrap(),
        acks
    );
    store.close().await;
}

pub async fn an_access_review_is_decided_completed_and_its_revocations_tracked(db: &TestDb) {
    use attest_core::{AccessDecision, AccessFlag};
    use attest_store::{NewAccessReview, NewEvidence, NewReviewItem};
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let ana = Email::parse("ana@northwind.test").unwrap();
    let evidence = store
        .record_evidence(
            &NewEvidence {
                org_id: org_id.clone(),
                kind: attest_core::EvidenceKind::Attestation,
                title: "okta users".into(),
                sha256: "0".repeat(64),
                size_bytes: 0,
                media_type: "text/plain".into(),
                blob_key: None,
                url: None,
                source: "collect:okta-users:okta".into(),
                collected_by: "ana@northwind.test".into(),
                period: attest_core::Period::new(
                    "2026-10-01".parse().unwrap(),
                    "2026-10-01".parse().unwrap(),
                )
                .unwrap(),
                controls: vec![],
                revises: None,
                retain_until: None,
            },
            &entry("evidence.recorded", "evidence"),
        )
        .await
        .unwrap();
    let review = NewAccessReview {
        source: "collect:okta-users:okta".into(),
        kind: "okta-users".into(),
        system: "okta".into(),
        snapshot_id: evidence.id.clone(),
        snapshot_day: "2026-10-01".parse().unwrap(),
        title: "2026-Q4 access review of okta".into(),
        owner: ana.clone(),
        due_on: "2026-10-15".parse().unwrap(),
    };
    let item = |account: &str, flags: Vec<AccessFlag>| NewReviewItem {
        account: account.into(),
        email: Some(account.into()),
        name: None,
        person_id: None,
        group: "Engineering".into(),
        admin: false,
        last_activity_at: None,
        flags,
        reviewer: ana.clone(),
    };
    let id = store
        .create_access_review(
            &org_id,
            &review,
            &[
                item("bob@x.io", vec![]),
                item("old@x.io", vec![AccessFlag::Leaver]),
            ],
            chrono::Utc::now(),
            &entry("access-review.started", "access-review"),
        )
        .await
        .unwrap();
    let bea = Email::parse("bea@northwind.test").unwrap();
    let moved = store
        .assign_access_reviewer(
            &org_id,
            &id,
            "Engineering",
            &bea,
            &entry("assign", "access-review"),
        )
        .await
        .unwrap();
    assert_eq!(moved, 2);
    let items = store.access_review_items(&org_id, Some(&id)).await.unwrap();
    assert!(items.iter().all(|i| i.item.reviewer == bea));
    assert_eq!(items[1].item.flags, [AccessFlag::Leaver]);

    let decide = |item: &str, d| {
        let store = store.clone();
        let (org_id, item) = (org_id.clone(), item.to_owned());
        async move {
            store
                .decide_access(
                    &org_id,
                    &item,
                    d,
                    "why",
                    json!({}),
                    &entry("decided", "access-review"),
                )
                .await
        }
    };
    decide(&items[0].id, AccessDecision::Keep).await.unwrap();
    let err = store
        .complete_access_review(
            &org_id,
            &id,
            &evidence.id,
            chrono::Utc::now(),
            json!({}),
            &entry("c", "a"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref m) if m.contains("1 account")),
        "{err:?}"
    );
    decide(&items[1].id, AccessDecision::Revoke).await.unwrap();
    let size = store.ledger_size().await.unwrap();
    let index = store
        .complete_access_review(
            &org_id,
            &id,
            &evidence.id,
            chrono::Utc::now(),
            json!({}),
            &entry("c", "a"),
        )
        .await
        .unwrap();
    assert_eq!(index, size);
    // A completed review no longer changes; its revocation is still tracked to closure.
    let err = decide(&items[0].id, AccessDecision::Revoke)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let items = store.access_review_items(&org_id, Some(&id)).await.unwrap();
    assert_eq!(items[1].remediation, "open");
    store
        .resolve_access_remediation(&org_id, &items[1].id, "OPS-1", json!({}), &entry("r", "a"))
        .await
        .unwrap();
    let again = store
        .resolve_access_remediation(&org_id, &items[1].id, "OPS-1", json!({}), &entry("r", "a"))
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Conflict(_)));
    let reviews = store.access_reviews(&org_id).await.unwrap();
    assert!(reviews[0].completed);
    assert_eq!(reviews[0].ledger_index, Some(index));
    assert_eq!(
        reviews[0].report_evidence_id.as_deref(),
        Some(evidence.id.as_str())
    );
    store.close().await;
}

pub async fn register_records_are_revised_all_or_nothing_and_every_revision_is_ledgered(
    db: &TestDb,
) {
    use attest_store::{Expect, Outcome, RecordChange};
    let store = init(db).await;
    let org_id = org_with_controls(&store).await;
    let put = |key: &str, name: &str, expect| RecordChange {
        key: key.into(),
        body: Some(json!({ "name": name })),
        expect,
    };
    let now = chrono::Utc::now();
    let audit = entry("system.imported", "register:systems");
    let size = store.ledger_size().await.unwrap();

    // A batch with a taken key writes nothing.
    let first = [
        put("web", "Web", Expect::New),
        put("db", "Database", Expect::New),
    ];
    store
        .change_records(&org_id, "systems", "system", &first, now, &audit)
        .await
        .unwrap();
    let again = [
        put("cache", "Cache", Expect::New),
        put("web", "Web 2", Expect::New),
    ];
    let err = store
        .change_records(&org_id, "systems", "system", &again, now, &audit)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store
            .records(&org_id, &["systems"], false)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(store.ledger_size().await.unwrap(), size + 2);

    // An unchanged body writes nothing; a stale revision is refused; an edit is revision 2.
    let outcomes = store
        .change_records(
            &org_id,
            "systems",
            "system",
            &[
                put("web", "Web", Expect::Any),
                put("db", "Primary database", Expect::Revision(1)),
            ],
            now,
            &audit,
        )
        .await
        .unwrap();
    assert_eq!(outcomes, [Outcome::Unchanged, Outcome::Updated]);
    let err = store
        .change_records(
            &org_id,
            "systems",
            "system",
            &[put("db", "Old", Expect::Revision(1))],
            now,
            &audit,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Changed(_)), "{err:?}");

    // Retiring keeps the record and its history, out of the current listing.
    let retire = RecordChange {
        key: "db".into(),
        body: None,
        expect: Expect::Revision(2),
    };
    store
        .change_records(&org_id, "systems", "system", &[retire], now, &audit)
        .await
        .unwrap();
    let current = store.records(&org_id, &["systems"], false).await.unwrap();
    assert_eq!(
        current.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["web"]
    );
    let db_record = store.record(&org_id, "systems", "db").await.unwrap();
    assert!(db_record.retired_at.is_some());
    let history = store.record_history(&org_id, &db_record.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.revision, r.retired))
            .collect::<Vec<_>>(),
        [(1, false), (2, false), (3, true)]
    );
    let ledgered = store.ledger_entry(history[1].ledger_index).await.unwrap();
    assert_eq!(ledgered.kind, "system");
    let body: serde_json::Value = serde_json::from_str(&ledgered.body).unwrap();
    assert_eq!(body["body"]["name"], "Primary database");
    assert_eq!(body["revision"], 2);
    assert_eq!(store.ledger_size().await.unwrap(), size + 4);
    // Another org never sees them.
    assert!(
        store
            .records("another-org", &["systems"], true)
            .await
            .unwrap()
            .is_empty()
    );
}
