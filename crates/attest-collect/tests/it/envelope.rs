use attest_collect::{CollectError, Kind, parse_envelope, parse_map_entry, validate_system};
use serde_json::{Value, json};

use crate::support::{collect_err, collect_ok, fixture, options};

#[test]
fn kinds_have_stable_names_systems_and_parse_back() {
    let names: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
    assert_eq!(
        names,
        [
            "hr-roster",
            "aws-iam-credential-report",
            "google-workspace-users",
            "okta-users",
            "github-members",
            "github-repos",
            "git-repo"
        ]
    );
    let systems: Vec<&str> = Kind::ALL.iter().map(|kind| kind.default_system()).collect();
    assert_eq!(
        systems,
        [
            "hr",
            "aws",
            "google-workspace",
            "okta",
            "github",
            "github",
            "git"
        ]
    );
    for kind in Kind::ALL {
        assert_eq!(kind.name().parse::<Kind>().unwrap(), kind);
        assert_eq!(kind.version(), 1);
        assert!(!kind.describe().is_empty() && !kind.describe().contains('\n'));
    }
    assert_eq!(
        "okta".parse::<Kind>().unwrap_err().to_string(),
        "\"okta\" is not a snapshot kind; valid kinds are: hr-roster, aws-iam-credential-report, google-workspace-users, okta-users, github-members, github-repos, git-repo"
    );
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema_that_documents_its_fields() {
    for kind in Kind::ALL {
        let schema: Value = serde_json::from_str(kind.schema()).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        jsonschema::meta::validate(&schema).unwrap_or_else(|error| panic!("{kind}: {error}"));
        assert!(
            schema["description"].is_string(),
            "{kind} has no description"
        );
    }
}

#[test]
fn the_envelope_has_the_documented_shape() {
    let snapshot = collect_ok(Kind::OktaUsers, &fixture("okta-users-api.csv"), &options());
    let envelope = snapshot.to_json();
    let mut without_data = envelope.clone();
    without_data.as_object_mut().unwrap().remove("data");
    assert_eq!(
        without_data,
        json!({
            "schema": "attest.snapshot/v1",
            "kind": "okta-users",
            "version": 1,
            "system": "okta",
            "collected_at": "2024-06-01T12:00:00Z",
            "period": {"start": "2024-06-01", "end": "2024-06-01"},
            "source": {
                "file": "okta-users-api.csv",
                "sha256": sha256_of(&fixture("okta-users-api.csv")),
                "records": 3
            }
        })
    );
}

fn sha256_of(path: &std::path::Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn envelopes_that_are_not_ours_are_refused() {
    let snapshot = collect_ok(Kind::OktaUsers, &fixture("okta-users-api.csv"), &options());
    let good = snapshot.to_json();
    let broken = |key: &str, value: Value| {
        let mut envelope = good.clone();
        envelope[key] = value;
        parse_envelope(&envelope).unwrap_err().to_string()
    };
    assert_eq!(
        broken("schema", json!("attest.snapshot/v2")),
        "not an Attest snapshot envelope: \"schema\" is \"attest.snapshot/v2\", not \"attest.snapshot/v1\""
    );
    assert_eq!(
        broken("version", json!(2)),
        "not an Attest snapshot envelope: \"version\" must be 1 for okta-users; this build reads only that version"
    );
    assert!(broken("kind", json!("ldap-users")).contains("\"ldap-users\" is not a snapshot kind"));
    assert!(broken("system", json!("Okta Prod")).contains("system \"Okta Prod\" is invalid"));
    assert!(
        broken("collected_at", json!("yesterday"))
            .contains("\"collected_at\" is not an RFC 3339 timestamp")
    );
    assert!(broken("data", json!([])).contains("\"data\" is missing or not an object"));
    assert!(
        broken(
            "period",
            json!({"start": "2024-06-02", "end": "2024-06-01"})
        )
        .contains("after")
    );
}

#[test]
fn system_names_are_checked_and_options_only_apply_to_their_kinds() {
    assert!(validate_system("aws-prod.eu_1").is_ok());
    assert_eq!(
        validate_system("AWS Prod").unwrap_err().to_string(),
        "system \"AWS Prod\" is invalid: it contains a character other than a-z, 0-9, '.', '_' and '-'; use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'"
    );
    assert!(
        validate_system("")
            .unwrap_err()
            .to_string()
            .contains("it is empty")
    );
    assert!(
        validate_system(&"a".repeat(65))
            .unwrap_err()
            .to_string()
            .contains("longer than 64")
    );

    let mut custom = options();
    custom.system = Some("okta-eu".into());
    assert_eq!(
        collect_ok(Kind::OktaUsers, &fixture("okta-users-api.csv"), &custom).system,
        "okta-eu"
    );
    custom.system = Some("Okta EU".into());
    assert!(
        collect_err(Kind::OktaUsers, &fixture("okta-users-api.csv"), &custom)
            .starts_with("system \"Okta EU\" is invalid")
    );

    let mut misplaced = options();
    misplaced.map = vec![("Login".into(), "email".into())];
    let error =
        attest_collect::collect(Kind::OktaUsers, &fixture("okta-users-api.csv"), &misplaced)
            .unwrap_err();
    assert!(matches!(error, CollectError::OptionNotApplicable { .. }));
    assert_eq!(
        error.to_string(),
        "the map option applies only to hr-roster, not to okta-users; remove it"
    );

    assert_eq!(
        parse_map_entry("Work Email=email").unwrap(),
        ("Work Email".to_owned(), "email".to_owned())
    );
    assert_eq!(
        parse_map_entry("a=b=start_date").unwrap(),
        ("a=b".to_owned(), "start_date".to_owned())
    );
    assert_eq!(
        parse_map_entry("Work Email").unwrap_err().to_string(),
        "--map \"Work Email\" is not COLUMN=FIELD; write it like --map \"Work Email=email\""
    );
}
