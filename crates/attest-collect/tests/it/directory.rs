use attest_collect::Kind;
use serde_json::{Value, json};

use crate::support::{collect_err, collect_ok, find, fixture, list, options, write};

#[test]
fn google_users_are_accounts_keyed_by_lowercased_email() {
    let snapshot = collect_ok(
        Kind::GoogleWorkspaceUsers,
        &fixture("google-users.csv"),
        &options(),
    );
    assert_eq!(snapshot.system, "google-workspace");
    let accounts = list(&snapshot, "accounts");
    assert_eq!(accounts.len(), 16);
    assert_eq!(
        accounts[1],
        json!({
            "id": "tomas.alvarez@northwind-labs.io",
            "email": "tomas.alvarez@northwind-labs.io",
            "name": "Tomás Alvarez",
            "active": true,
            "status": "active",
            "admin": null,
            "mfa": true,
            "created_at": null,
            "last_activity_at": "2024-05-31T09:01:45Z",
            "password_changed_at": null,
            "row": 3,
            "google": {
                "org_unit": "/Engineering",
                "two_step_enforced": true,
                "suspended": false,
                "archived": false,
                "advanced_protection": false
            }
        })
    );
    let aiko = find(accounts, "id", "aiko.tanaka@northwind-labs.io");
    assert_eq!(aiko["last_activity_at"], Value::Null, "Never logged in");
    assert_eq!(aiko["mfa"], false);
    let lucas = find(accounts, "id", "lucas.ferreira@northwind-labs.io");
    assert_eq!(
        (lucas["active"].clone(), lucas["status"].clone()),
        (json!(false), json!("suspended"))
    );
    assert_eq!(lucas["google"]["suspended"], true);
    let ethan = find(accounts, "id", "ethan.clarke@northwind-labs.io");
    assert_eq!(
        (ethan["active"].clone(), ethan["google"]["archived"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(
        find(accounts, "id", "scanner@northwind-labs.io")["name"],
        Value::Null
    );
    assert_eq!(
        find(accounts, "id", "maya.okonkwo@northwind-labs.io")["google"]["advanced_protection"],
        true
    );
}

#[test]
fn google_values_that_are_not_what_the_console_writes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read_to_string(fixture("google-users.csv")).unwrap();
    let path = write(
        dir.path(),
        "users.csv",
        export.replacen("2024/05/29 16:40:12", "yesterday", 1),
    );
    assert_eq!(
        collect_err(Kind::GoogleWorkspaceUsers, &path, &options()),
        "users.csv row 5, column \"Last Sign In [READ ONLY]\": \"yesterday\" is not a date; expected YYYY/MM/DD HH:MM:SS or Never logged in"
    );
    let path = write(
        dir.path(),
        "users.csv",
        export.replacen(",Suspended,", ",Disabled,", 1),
    );
    assert_eq!(
        collect_err(Kind::GoogleWorkspaceUsers, &path, &options()),
        "users.csv row 7, column \"Status [READ ONLY]\": \"Disabled\" is not a Google Workspace user status; expected Active, Suspended or Archived"
    );
    let message = collect_err(
        Kind::GoogleWorkspaceUsers,
        &fixture("okta-password-health.csv"),
        &options(),
    );
    assert!(message.starts_with("okta-password-health.csv is not a google-workspace-users export: it has no \"Email Address [Required]\" column"), "{message}");
    assert!(
        message.ends_with("(it looks like an okta-users export; collect it as okta-users)"),
        "{message}"
    );
}

#[test]
fn okta_password_health_statuses_map_to_active_or_not() {
    let snapshot = collect_ok(
        Kind::OktaUsers,
        &fixture("okta-password-health.csv"),
        &options(),
    );
    assert_eq!(snapshot.system, "okta");
    let accounts = list(&snapshot, "accounts");
    assert_eq!(accounts.len(), 12);
    assert_eq!(
        accounts[3],
        json!({
            "id": "jonas.becker@northwind-labs.io",
            "email": "jonas.becker@northwind-labs.io",
            "name": "Jonas Becker",
            "active": true,
            "status": "password_expired",
            "admin": null,
            "mfa": null,
            "created_at": null,
            "last_activity_at": "2024-05-29T16:38:00Z",
            "password_changed_at": "2023-11-29T08:30:00Z",
            "row": 5,
            "okta": {
                "status_raw": "PASSWORD_EXPIRED",
                "user_id": null,
                "activated_at": "2020-01-13T09:00:00Z",
                "authentication_source": "OKTA"
            }
        })
    );
    let active = |id: &str| find(accounts, "id", id)["active"].clone();
    assert_eq!(
        active("aiko.tanaka@northwind-labs.io"),
        true,
        "provisioned accounts can be activated"
    );
    assert_eq!(
        active("lucas.ferreira@northwind-labs.io"),
        false,
        "deprovisioned"
    );
    assert_eq!(active("lucas.ferreira@agency.example"), false, "suspended");
    assert_eq!(active("samuel.osei@northwind-labs.io"), false, "staged");
    assert_eq!(
        active("grace.mensah@northwind-labs.io"),
        true,
        "locked out is still an account"
    );
    assert_eq!(
        find(accounts, "id", "lucas.ferreira@agency.example")["name"],
        "Ferreira, Lucas (contractor)"
    );
    let bot = find(accounts, "id", "svc-build");
    assert_eq!(
        bot["email"],
        Value::Null,
        "a login that is not an email leaves the email unknown"
    );
    let aiko = find(accounts, "id", "aiko.tanaka@northwind-labs.io");
    assert_eq!(
        (
            aiko["last_activity_at"].clone(),
            aiko["password_changed_at"].clone()
        ),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        find(accounts, "id", "oliver.brandt@northwind-labs.io")["okta"]["authentication_source"],
        "Active Directory"
    );
}

#[test]
fn okta_exports_with_api_field_names_are_read_too() {
    let snapshot = collect_ok(Kind::OktaUsers, &fixture("okta-users-api.csv"), &options());
    let accounts = list(&snapshot, "accounts");
    assert_eq!(accounts.len(), 3);
    assert_eq!(accounts[0]["email"], "maya.okonkwo@northwind-labs.io");
    assert_eq!(accounts[0]["name"], "Maya Okonkwo");
    assert_eq!(accounts[0]["created_at"], "2019-03-01T14:55:03Z");
    assert_eq!(accounts[0]["okta"]["user_id"], "00ub0oNGTSWTBKOLGLNR");
    assert_eq!(accounts[1]["status"], "deprovisioned");
    assert_eq!(accounts[2]["id"], "samuel.osei");
    assert_eq!(
        accounts[2]["email"],
        Value::Null,
        "an empty email cell is unknown"
    );
}

#[test]
fn okta_unknown_statuses_and_duplicates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read_to_string(fixture("okta-password-health.csv")).unwrap();
    let path = write(
        dir.path(),
        "okta.csv",
        export.replacen("STAGED", "PENDING", 1),
    );
    assert_eq!(
        collect_err(Kind::OktaUsers, &path, &options()),
        "okta.csv row 12, column \"Status\": \"PENDING\" is not an Okta user status; expected ACTIVE, PROVISIONED, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, STAGED, SUSPENDED, DEPROVISIONED"
    );
    let path = write(
        dir.path(),
        "okta.csv",
        export.replace("svc-build", "Maya.Okonkwo@northwind-labs.io"),
    );
    assert_eq!(
        collect_err(Kind::OktaUsers, &path, &options()),
        "okta.csv rows 2 and 13 both have login \"Maya.Okonkwo@northwind-labs.io\"; each must appear once, so remove or fix one of them"
    );
}
