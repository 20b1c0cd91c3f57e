//! The registers as a compliance lead fills them: systems and data flows imported from a
//! spreadsheet, risks started from the library and assessed once a year, vendors with their
//! SOC 2 reports and reviews, incidents with their postmortems, and exercises kept as evidence.
//! A bad file changes nothing and names the row and column to fix.

use attest_app::{
    Actor, App, AppError, Fields, Record, Register, ReportStatus, ReportUpload, Save,
};
use attest_core::{
    AssessmentState, ControlId, DataFlow, Email, Exercise, ExerciseKind, Incident, Period, Rated,
    Rating, RiskAssessment, Scope, System, Vendor, VendorReview,
};
use attest_store::testing::TestDb;
use attest_store::{NewPerson, Org};
use chrono::{Days, NaiveDate, Utc};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn company(db: &TestDb) -> (App, Org, Actor) {
    let actor = Actor::new("cto@harbor.test").unwrap();
    let (app, org) = App::init(
        &db.location,
        "Harbor Analytics",
        Scope::security_only(),
        &actor,
    )
    .await
    .unwrap();
    for who in ["cto@harbor.test", "ceo@harbor.test", "sre@harbor.test"] {
        let p = NewPerson::manual(email(who), "Someone", "Role", "Engineering");
        app.add_person(&org, &actor, p).await.unwrap();
    }
    (app, org, actor)
}

const SYSTEMS: &str = "key,name,category,environment,owner,classification,data_stores,vendor,description
web,Web application,production,production,sre@harbor.test,restricted,,,Customer-facing app
orders-db,Orders database,production,production,sre@harbor.test,restricted,PostgreSQL orders; S3 exports,,
browser,Customer browsers,external,production,,,,,
slack,Slack,saas,corporate,cto@harbor.test,confidential,,,Chat
";

async fn import<T: Register>(
    app: &App,
    org: &Org,
    actor: &Actor,
    file: &str,
    csv: &str,
) -> Result<attest_app::Imported, AppError> {
    app.import_records::<T>(org, actor, file, csv.as_bytes(), today())
        .await
}

#[tokio::test]
async fn systems_and_flows_import_all_or_nothing_and_export_back_as_they_were() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    let done = import::<System>(&app, &org, &actor, "systems.csv", SYSTEMS)
        .await
        .unwrap();
    assert_eq!((done.rows, done.created), (4, 4));

    // One bad cell on row 3: nothing from the file is written, and the message points at it.
    let bad = SYSTEMS
        .replace(
            "sre@harbor.test,restricted,PostgreSQL",
            "sre@harbor.test,secret,PostgreSQL",
        )
        .replace("Web application", "Web app (renamed)");
    let err = import::<System>(&app, &org, &actor, "systems.csv", &bad)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("systems.csv row 3, column \"classification\""),
        "{err}"
    );
    assert!(err.to_string().contains("restricted"), "{err}");
    let web = app.record::<System>(&org, "web").await.unwrap();
    assert_eq!(web.body.name, "Web application");
    assert_eq!(web.revision, 1);

    // An unknown column and a missing required one are named with the columns that exist.
    let err = import::<System>(
        &app,
        &org,
        &actor,
        "s.csv",
        "name,category,environment,colour\nX,saas,corporate,red\n",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("\"colour\""), "{err}");
    let err = import::<System>(
        &app,
        &org,
        &actor,
        "s.csv",
        "name,environment\nX,corporate\n",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no \"category\" column"), "{err}");

    // A flow must join systems that exist.
    let flows = "from,to,data,encrypted\nbrowser,web,customer-data; personal-data,yes\nweb,orders-db,customer-data,yes\nweb,billing,payment-data,yes\n";
    let err = import::<DataFlow>(&app, &org, &actor, "flows.csv", flows)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("flows.csv row 4, column \"to\""),
        "{err}"
    );
    assert!(err.to_string().contains("no system `billing`"), "{err}");
    assert!(
        app.records::<DataFlow>(&org, false)
            .await
            .unwrap()
            .is_empty()
    );
    let flows = flows.replace(
        "web,billing,payment-data,yes\n",
        "orders-db,slack,logs-telemetry,no\n",
    );
    import::<DataFlow>(&app, &org, &actor, "flows.csv", &flows)
        .await
        .unwrap();

    let map = app.asset_map(&org).await.unwrap();
    assert_eq!((map.systems.len(), map.flows.len()), (4, 3));
    assert_eq!(map.unencrypted().len(), 1);
    let svg = map.svg();
    assert!(
        svg.starts_with("<svg")
            && svg.contains("Orders database")
            && svg.contains("stroke-dasharray")
    );

    // The export imports back with nothing to change.
    let csv = app.export_records::<System>(&org).await.unwrap();
    assert!(csv.contains("PostgreSQL orders; S3 exports"), "{csv}");
    let again = import::<System>(&app, &org, &actor, "export.csv", &csv)
        .await
        .unwrap();
    assert_eq!((again.unchanged, again.updated, again.created), (4, 0, 0));
    let history = app.record_history::<System>(&org, "web").await.unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn risks_start_from_the_library_and_an_edit_of_a_stale_revision_is_refused() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    let risk = app
        .adopt_risk(
            &org,
            &actor,
            "cloud-account-takeover",
            email("cto@harbor.test"),
            today(),
        )
        .await
        .unwrap();
    assert_eq!(risk.key, "R-001");
    assert_eq!(risk.body.library.as_deref(), Some("cloud-account-takeover"));
    assert!(!risk.body.controls.is_empty());

    let mut rated = risk.body.clone();
    rated.residual = Rated {
        likelihood: Rating::new(1).unwrap(),
        impact: Rating::new(5).unwrap(),
    };
    let edited = app
        .save_record(
            &org,
            &actor,
            Some("R-001"),
            rated.clone(),
            Save::Edit { revision: 1 },
            today(),
        )
        .await
        .unwrap();
    assert_eq!(edited.revision, 2);
    // Someone else saved meanwhile: the second editor is told, and nothing is overwritten.
    let err = app
        .save_record(
            &org,
            &actor,
            Some("R-001"),
            risk.body.clone(),
            Save::Edit { revision: 1 },
            today(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err}");

    let mut worse = rated.clone();
    worse.residual = Rated {
        likelihood: Rating::new(5).unwrap(),
        impact: Rating::new(5).unwrap(),
    };
    let err = app
        .save_record(
            &org,
            &actor,
            Some("R-001"),
            worse,
            Save::Edit { revision: 2 },
            today(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("residual score"), "{err}");

    let mut stranger = rated;
    stranger.owner = email("nobody@elsewhere.test");
    let err = app
        .save_record(&org, &actor, None, stranger, Save::New, today())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("neither a member"), "{err}");

    let register = app.risk_register(&org, today()).await.unwrap();
    assert_eq!(register.inherent.cells[2][4], 1, "likelihood 3, impact 5");
    assert_eq!(register.residual.cells[0][4], 1, "likelihood 1, impact 5");
    let err = app
        .adopt_risk(
            &org,
            &actor,
            "no-such-risk",
            email("cto@harbor.test"),
            today(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("attest risks library"), "{err}");
}

#[tokio::test]
async fn the_annual_assessment_is_approved_by_management_only_and_kept_as_evidence() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    app.adopt_risk(
        &org,
        &actor,
        "cloud-account-takeover",
        email("sre@harbor.test"),
        today(),
    )
    .await
    .unwrap();
    let fields = |approver: &str| {
        Fields::from_pairs([
            ("title", "2026 annual risk assessment"),
            ("preparer", "cto@harbor.test"),
            ("approver", approver),
            (
                "scope",
                "The analytics platform and the company that runs it",
            ),
        ])
    };
    let same = RiskAssessment::from_fields(&fields("cto@harbor.test")).unwrap();
    let err = app
        .save_record(&org, &actor, None, same, Save::New, today())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot approve an assessment they prepared"),
        "{err}"
    );
    let draft = RiskAssessment::from_fields(&fields("ceo@harbor.test")).unwrap();
    let draft = app
        .save_record(&org, &actor, None, draft, Save::New, today())
        .await
        .unwrap();

    let err = app
        .approve_risk_assessment(
            &org,
            &actor,
            &draft.key,
            &email("ceo@harbor.test"),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("fraud considerations"), "{err}");
    let mut body = draft.body.clone();
    body.fraud_considerations =
        "Payment redirection and expense fraud reviewed with finance.".into();
    body.significant_changes = "New EU region; engineering doubled.".into();
    body.conclusion = "Residual risk is within appetite.".into();
    let draft = app
        .save_record(
            &org,
            &actor,
            Some(&draft.key),
            body,
            Save::Edit {
                revision: draft.revision,
            },
            today(),
        )
        .await
        .unwrap();
    let err = app
        .approve_risk_assessment(
            &org,
            &actor,
            &draft.key,
            &email("cto@harbor.test"),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");

    let approved = app
        .approve_risk_assessment(
            &org,
            &actor,
            &draft.key,
            &email("ceo@harbor.test"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(approved.body.state, AssessmentState::Approved);
    assert_eq!(approved.body.risks.len(), 1);
    let evidence_id = approved.body.evidence_id.clone().unwrap();
    let evidence = app.evidence(&org, None).await.unwrap();
    let kept = evidence.iter().find(|e| e.id == evidence_id).unwrap();
    assert!(
        kept.controls.contains(&ControlId::parse("RSK-03").unwrap()),
        "{:?}",
        kept.controls
    );

    // An approved assessment is a record: neither an edit nor an import changes it.
    let mut late = approved.body.clone();
    late.conclusion = "Changed afterwards".into();
    let err = app
        .save_record(
            &org,
            &actor,
            Some(&approved.key),
            late,
            Save::Edit {
                revision: approved.revision,
            },
            today(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no longer changes"), "{err}");
}

fn vendor_fields(name: &str, data: &str, production: &str, replace: &str) -> Fields {
    Fields::from_pairs([
        ("name", name),
        ("owner", "cto@harbor.test"),
        ("data", data),
        ("production_access", production),
        ("replaceability", replace),
    ])
}

#[tokio::test]
async fn a_critical_vendor_gets_a_report_a_review_and_reminders_before_the_report_expires() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    let aws = Vendor::from_fields(&vendor_fields(
        "Amazon Web Services",
        "restricted",
        "yes",
        "hard",
    ))
    .unwrap();
    let aws = app
        .save_record(&org, &actor, None, aws, Save::New, today())
        .await
        .unwrap();
    assert_eq!(aws.key, "amazon-web-services");
    let view = &app.vendors(&org, today()).await.unwrap()[0];
    assert_eq!(view.criticality.as_str(), "critical");
    assert_eq!(view.report_status, ReportStatus::Missing);
    assert!(view.dpa_missing);

    // A report whose period ended eleven months ago is current for one more month.
    let period_end = today().checked_sub_months(chrono::Months::new(11)).unwrap();
    let report_fields = |start: &str| {
        Fields::from_pairs([
            ("kind", "soc2-type2".to_owned()),
            ("period_start", start.to_owned()),
            ("period_end", period_end.to_string()),
            ("opinion", "unqualified".to_owned()),
        ])
    };
    let bad = ReportUpload {
        file_name: "aws.pdf".into(),
        content: b"%PDF-1.7".to_vec(),
        fields: report_fields(""),
    };
    let err = app
        .add_vendor_report(&org, &actor, &aws.key, bad, today())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("first day"), "{err}");
    assert!(
        app.evidence(&org, None).await.unwrap().is_empty(),
        "a refused report stores no file"
    );
    let start = period_end
        .checked_sub_months(chrono::Months::new(12))
        .unwrap()
        .to_string();
    let upload = ReportUpload {
        file_name: "aws.pdf".into(),
        content: b"%PDF-1.7".to_vec(),
        fields: report_fields(&start),
    };
    let report = app
        .add_vendor_report(&org, &actor, &aws.key, upload, today())
        .await
        .unwrap();
    let view = &app.vendors(&org, today()).await.unwrap()[0];
    assert_eq!(view.report_status, ReportStatus::Expiring);
    assert!(
        app.evidence(&org, None)
            .await
            .unwrap()
            .iter()
            .any(|e| e.id == report.body.evidence_id)
    );

    let review = VendorReview::from_fields(&Fields::from_pairs([
        ("vendor", aws.key.as_str()),
        ("reviewed_on", &today().to_string()),
        ("reviewer", "cto@harbor.test"),
        ("report", report.key.as_str()),
        ("conclusion", "acceptable-with-actions"),
        (
            "notes",
            "One exception in change management; no impact on our use.",
        ),
        (
            "cuecs",
            "IAM-02: review who has console access\nEnable MFA for the root account",
        ),
    ]))
    .unwrap();
    assert_eq!(
        review.cuecs[0].control,
        Some(ControlId::parse("IAM-02").unwrap())
    );
    assert_eq!(review.cuecs[1].control, None);
    app.review_vendor(&org, &actor, review, today())
        .await
        .unwrap();
    let view = &app.vendors(&org, today()).await.unwrap()[0];
    assert!(!view.review_overdue);
    assert_eq!(
        view.review_due_on,
        today().checked_add_months(chrono::Months::new(12))
    );

    assert_eq!(
        app.vendor_reminders(&org, today()).await.unwrap(),
        1,
        "the expiring report"
    );
    assert_eq!(
        app.vendor_reminders(&org, today()).await.unwrap(),
        0,
        "not twice"
    );

    // A report is added by uploading it, never by writing its record directly.
    let err = app
        .save_record(&org, &actor, None, report.body.clone(), Save::New, today())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("uploading its file"), "{err}");
}

const INCIDENTS: &str = "title,severity,status,detected_at,resolved_at,owner,root_cause,postmortem
Checkout errors after deploy,high,resolved,2026-03-02 10:00,2026-03-02 13:30,sre@harbor.test,A migration locked the orders table,
Phishing email reported,low,closed,2026-04-10 08:00,2026-04-10 09:00,sre@harbor.test,User reported; no click,
";

#[tokio::test]
async fn incidents_keep_their_timeline_and_the_population_of_a_period_is_exported() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    let done = import::<Incident>(&app, &org, &actor, "incidents.csv", INCIDENTS)
        .await
        .unwrap();
    assert_eq!(done.created, 2);
    let keys: Vec<String> = app
        .incident_log(&org)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(keys, ["INC-2026-002", "INC-2026-001"]);

    // Closing a high-severity incident needs its postmortem.
    let closed = INCIDENTS.replacen(",high,resolved,", ",high,closed,", 1);
    let err = import::<Incident>(&app, &org, &actor, "incidents.csv", &closed)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("incidents.csv row 2: a high incident needs its postmortem"),
        "{err}"
    );

    let at = "2026-03-02T10:20:00Z".parse().unwrap();
    let with_line = app
        .add_timeline_entry(&org, &actor, "INC-2026-001", at, "Rolled back the deploy")
        .await
        .unwrap();
    assert_eq!(with_line.body.timeline.len(), 1);
    // An edit from a form or a row keeps the timeline.
    let mut edited = with_line.body.clone();
    edited.timeline.clear();
    edited.postmortem = "## What happened\nA long migration.".into();
    let edited = app
        .save_record(
            &org,
            &actor,
            Some("INC-2026-001"),
            edited,
            Save::Edit {
                revision: with_line.revision,
            },
            today(),
        )
        .await
        .unwrap();
    assert_eq!(edited.body.timeline.len(), 1);
    assert_eq!(edited.body.hours_to_resolve(), Some(3.5));

    let march = Period::new(
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    )
    .unwrap();
    let (population, csv) = app.incident_population(&org, &march).await.unwrap();
    assert_eq!(population.len(), 1);
    assert_eq!(csv.matches("\r\nINC-").count(), 1, "{csv}");
    assert!(csv.starts_with("key,title,severity"), "{csv}");
}

#[tokio::test]
async fn an_exercise_is_kept_as_evidence_for_its_control() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    let exercise = Exercise {
        kind: ExerciseKind::IncidentResponse,
        title: "Ransomware tabletop".into(),
        held_on: today().checked_sub_days(Days::new(3)).unwrap(),
        scenario: "Production database encrypted by an attacker".into(),
        participants: vec!["CTO".into(), "SRE lead".into()],
        findings: "Backups restore in 2 hours".into(),
        actions: "Write the customer notice template".into(),
        evidence_id: None,
    };
    let err = app
        .save_record(&org, &actor, None, exercise.clone(), Save::New, today())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("attest incidents exercise"),
        "{err}"
    );
    let kept: Record<Exercise> = app
        .record_exercise(&org, &actor, exercise, today())
        .await
        .unwrap();
    let evidence = app
        .evidence(&org, Some(&ControlId::parse("IR-03").unwrap()))
        .await
        .unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(
        kept.body.evidence_id.as_deref(),
        Some(evidence[0].id.as_str())
    );
    // What the evidence states is not rewritten: no moving the exercise to another date.
    let mut moved = kept.body.clone();
    moved.held_on = today();
    let err = app
        .save_record(
            &org,
            &actor,
            Some(&kept.key),
            moved,
            Save::Edit {
                revision: kept.revision,
            },
            today(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("kept as evidence"), "{err}");
    let mut followed_up = kept.body.clone();
    followed_up.actions = "Template written and published".into();
    app.save_record(
        &org,
        &actor,
        Some(&kept.key),
        followed_up,
        Save::Edit {
            revision: kept.revision,
        },
        today(),
    )
    .await
    .unwrap();
    let err = app
        .retire_record::<Exercise>(&org, &actor, &kept.key, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("stays in the register"), "{err}");
}

#[tokio::test]
async fn an_approver_who_wrote_part_of_the_assessment_cannot_approve_it() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    app.adopt_risk(
        &org,
        &actor,
        "cloud-account-takeover",
        email("sre@harbor.test"),
        today(),
    )
    .await
    .unwrap();
    let draft = RiskAssessment::from_fields(&Fields::from_pairs([
        ("title", "2026 annual risk assessment"),
        ("preparer", "cto@harbor.test"),
        ("approver", "ceo@harbor.test"),
        ("scope", "Everything"),
        ("fraud_considerations", "Payment fraud"),
        ("significant_changes", "A new region"),
        ("conclusion", "Within appetite."),
    ]))
    .unwrap();
    let draft = app
        .save_record(&org, &actor, None, draft, Save::New, today())
        .await
        .unwrap();
    let ceo = Actor::new("ceo@harbor.test").unwrap();
    let mut softened = draft.body.clone();
    softened.conclusion = "Everything is fine.".into();
    app.save_record(
        &org,
        &ceo,
        Some(&draft.key),
        softened,
        Save::Edit {
            revision: draft.revision,
        },
        today(),
    )
    .await
    .unwrap();
    let err = app
        .approve_risk_assessment(
            &org,
            &ceo,
            &draft.key,
            &email("ceo@harbor.test"),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    assert!(err.to_string().contains("wrote part of"), "{err}");
}

#[tokio::test]
async fn an_import_keeps_what_its_columns_leave_out_and_refuses_retired_records() {
    let db = TestDb::sqlite();
    let (app, org, actor) = company(&db).await;
    import::<System>(&app, &org, &actor, "systems.csv", SYSTEMS)
        .await
        .unwrap();
    // A file with only names and categories renames one system and keeps its owner and stores.
    let partial =
        "key,name,category,environment\norders-db,Orders DB (primary),production,production\n";
    let done = import::<System>(&app, &org, &actor, "rename.csv", partial)
        .await
        .unwrap();
    assert_eq!(done.updated, 1);
    let db_system = app.record::<System>(&org, "orders-db").await.unwrap();
    assert_eq!(db_system.body.name, "Orders DB (primary)");
    assert_eq!(
        db_system.body.data_stores,
        ["PostgreSQL orders", "S3 exports"]
    );
    assert!(db_system.body.owner.is_some());
    // A blank cell in a column the file has clears that field.
    let cleared = "key,name,category,environment,owner\norders-db,Orders DB (primary),production,production,\n";
    import::<System>(&app, &org, &actor, "clear.csv", cleared)
        .await
        .unwrap();
    assert!(
        app.record::<System>(&org, "orders-db")
            .await
            .unwrap()
            .body
            .owner
            .is_none()
    );
    // A retired record stays as it was.
    app.retire_record::<System>(&org, &actor, "slack", None)
        .await
        .unwrap();
    let revive = "key,name,category,environment\nslack,Slack again,saas,corporate\n";
    let err = import::<System>(&app, &org, &actor, "revive.csv", revive)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("revive.csv row 2, column \"key\""),
        "{err}"
    );
    assert!(err.to_string().contains("retired"), "{err}");
    let slack = app.record::<System>(&org, "slack").await.unwrap();
    let err = app
        .save_record(
            &org,
            &actor,
            Some("slack"),
            slack.body.clone(),
            Save::Edit {
                revision: slack.revision,
            },
            today(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err}");
}
