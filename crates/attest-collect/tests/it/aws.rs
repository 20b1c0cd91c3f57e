use attest_collect::Kind;
use serde_json::{Value, json};

use crate::support::{collect_err, collect_ok, find, fixture, list, options, write};

const KIND: Kind = Kind::AwsIamCredentialReport;

#[test]
fn the_root_user_with_an_access_key_is_an_active_admin_account_with_its_key() {
    let snapshot = collect_ok(KIND, &fixture("credential-report.csv"), &options());
    assert_eq!(snapshot.system, "aws");
    let accounts = list(&snapshot, "accounts");
    assert_eq!(accounts.len(), 12);
    assert_eq!(
        accounts[0],
        json!({
            "id": "<root_account>",
            "email": null,
            "name": null,
            "active": true,
            "status": "active",
            "admin": true,
            "mfa": true,
            "created_at": "2019-03-04T17:21:09Z",
            "last_activity_at": "2024-05-20T08:12:44Z",
            "password_changed_at": null,
            "row": 2,
            "aws": {
                "arn": "arn:aws:iam::481516234200:root",
                "root": true,
                "password_enabled": null,
                "password_last_used_at": "2024-05-20T08:12:44Z",
                "password_next_rotation_at": null,
                "access_keys": [{
                    "slot": 1,
                    "active": true,
                    "last_rotated": "2019-03-05T10:02:51Z",
                    "last_used_at": "2024-04-28T12:00:00Z",
                    "last_used_region": "us-east-1",
                    "last_used_service": "s3"
                }],
                "signing_certificates": []
            }
        })
    );
}

#[test]
fn users_carry_mfa_activity_and_only_the_keys_they_hold() {
    let snapshot = collect_ok(KIND, &fixture("credential-report.csv"), &options());
    let accounts = list(&snapshot, "accounts");

    let priya = find(accounts, "id", "priya.raman");
    assert_eq!(priya["mfa"], true);
    assert_eq!(
        priya["admin"],
        Value::Null,
        "the report says nothing about policies"
    );
    assert_eq!(
        priya["last_activity_at"], "2024-05-31T07:45:10Z",
        "the later of password and key use"
    );
    assert_eq!(
        priya["aws"]["password_next_rotation_at"],
        "2024-05-30T10:00:00Z"
    );

    let jonas = find(accounts, "id", "jonas.becker");
    assert_eq!(jonas["mfa"], false);
    assert_eq!(jonas["aws"]["access_keys"], json!([]));

    let aiko = find(accounts, "id", "Aiko.Tanaka@northwind-labs.io");
    assert_eq!(
        aiko["email"], "aiko.tanaka@northwind-labs.io",
        "an email-shaped user name is the email"
    );
    assert_eq!(aiko["last_activity_at"], Value::Null, "password never used");
    assert_eq!(find(accounts, "id", "jonas.becker")["email"], Value::Null);

    let ci = find(accounts, "id", "svc-ci-deploy");
    assert_eq!(ci["active"], true);
    assert_eq!(ci["aws"]["password_enabled"], false);
    let keys = ci["aws"]["access_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "an inactive key that still exists is listed");
    assert_eq!(keys[1]["active"], false);
    assert_eq!(keys[1]["last_rotated"], "2022-06-15T12:00:00Z");

    assert_eq!(
        find(accounts, "id", "svc-backup")["aws"]["access_keys"][0]["last_used_at"],
        Value::Null
    );

    let departed = find(accounts, "id", "lucas.ferreira");
    assert_eq!(
        departed["active"], false,
        "no password, keys or certificates left"
    );
    assert_eq!(departed["status"], "inactive");
    assert_eq!(departed["last_activity_at"], "2024-03-28T15:20:00Z");

    let legacy = find(accounts, "id", "legacy-admin");
    assert_eq!(
        legacy["last_activity_at"],
        Value::Null,
        "no_information is unknown"
    );

    let soap = find(accounts, "id", "svc-legacy-soap");
    assert_eq!(
        soap["active"], true,
        "an active signing certificate is a working credential"
    );
    assert_eq!(
        soap["aws"]["signing_certificates"],
        json!([{"slot": 1, "active": true, "last_rotated": "2021-03-03T03:03:03Z"}])
    );
}

#[test]
fn bad_values_name_the_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let report = std::fs::read_to_string(fixture("credential-report.csv")).unwrap();
    let broken = report.replacen(
        "priya.raman,arn:aws:iam::481516234200:user/priya.raman,2019-09-04T09:15:00+00:00,true",
        "priya.raman,arn:aws:iam::481516234200:user/priya.raman,2019-09-04T09:15:00+00:00,yes",
        1,
    );
    let path = write(dir.path(), "report.csv", broken);
    assert_eq!(
        collect_err(KIND, &path, &options()),
        "report.csv row 3, column \"password_enabled\": \"yes\" is not true or false; expected true or false"
    );
    let broken = report.replacen("2024-05-29T17:02:33+00:00", "yesterday", 1);
    let path = write(dir.path(), "report.csv", broken);
    assert_eq!(
        collect_err(KIND, &path, &options()),
        "report.csv row 4, column \"password_last_used\": \"yesterday\" is not a timestamp; expected an ISO 8601 timestamp such as 2024-01-31T09:15:00+00:00, or N/A, no_information or not_supported"
    );
    let duplicated = format!("{report}{}", report.lines().nth(2).unwrap());
    let path = write(dir.path(), "report.csv", duplicated);
    assert_eq!(
        collect_err(KIND, &path, &options()),
        "report.csv rows 3 and 14 both have user \"priya.raman\"; each must appear once, so remove or fix one of them"
    );
}

#[test]
fn the_json_wrapper_and_other_exports_are_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "report.json",
        r#"{"Content": "dXNlcixhcm4K", "ReportFormat": "text/csv", "GeneratedTime": "2024-06-01T10:00:00Z"}"#,
    );
    let message = collect_err(KIND, &path, &options());
    assert!(
        message.contains("base64 --decode > credential-report.csv"),
        "{message}"
    );

    let message = collect_err(KIND, &fixture("google-users.csv"), &options());
    assert!(
        message.starts_with(
            "google-users.csv is not an aws-iam-credential-report export: it has no \"user\" column"
        ),
        "{message}"
    );
    assert!(
        message.ends_with(
            "(it looks like a google-workspace-users export; collect it as google-workspace-users)"
        ),
        "{message}"
    );

    let path = write(
        dir.path(),
        "only-header.csv",
        "user,arn,user_creation_time,password_enabled,mfa_active\n",
    );
    assert_eq!(
        collect_err(KIND, &path, &options()),
        "only-header.csv contains no users; export it again without filters that exclude everyone"
    );
}
