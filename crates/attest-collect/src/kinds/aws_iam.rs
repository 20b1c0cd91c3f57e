//! aws-iam-credential-report: the CSV from `aws iam get-credential-report`, one IAM user per row
//! plus the account root user (`<root_account>`).

use crate::account::{
    AccessKey, Account, Accounts, AwsDetails, Details, SigningCertificate, check_unique_ids,
};
use crate::detect;
use crate::error::At;
use crate::kinds::{Collected, Input};
use crate::table::{Row, Table};
use crate::values::{Timestamp, email, parse_bool, parse_rfc3339};
use crate::{CollectError, Kind};

const KIND: Kind = Kind::AwsIamCredentialReport;
const ROOT_USER: &str = "<root_account>";
const TIMESTAMP_FORMS: &str = "an ISO 8601 timestamp such as 2024-01-31T09:15:00+00:00, or N/A, no_information or not_supported";

pub(crate) fn collect(input: &Input) -> Result<Collected, CollectError> {
    if input.bytes.trim_ascii_start().starts_with(b"{") {
        return Err(CollectError::WrongFile {
            file: input.file.clone(),
            kind: KIND,
            problem: "it is JSON, probably the raw output of `aws iam get-credential-report`, whose Content is the base64 CSV; save the CSV with `aws iam get-credential-report --query Content --output text | base64 --decode > credential-report.csv`".to_owned(),
            looks_like: None,
        });
    }
    let table = Table::from_csv(&input.file, &input.bytes)?;
    let looks_like = detect::table_kind(&table, KIND);
    for column in ["user", "arn", "password_enabled", "mfa_active"] {
        table.require(KIND, &[column], looks_like)?;
    }
    table.require_rows("users")?;
    let report = Report { table: &table };
    let accounts = table
        .rows
        .iter()
        .map(|row| report.account(row))
        .collect::<Result<Vec<_>, _>>()?;
    check_unique_ids(&table.file, &accounts, "rows", "user")?;
    let records = accounts.len();
    Collected::new(&Accounts { accounts }, records)
}

struct Report<'t> {
    table: &'t Table,
}

impl Report<'_> {
    fn account(&self, row: &Row) -> Result<Account, CollectError> {
        let user = self.required(row, "user")?;
        let root = user == ROOT_USER;
        let password_enabled = self.flag(row, "password_enabled", true)?;
        let password_last_used = self.timestamp(row, "password_last_used")?;
        let access_keys = [1, 2]
            .into_iter()
            .map(|slot| self.access_key(row, slot))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        let signing_certificates = [1, 2]
            .into_iter()
            .map(|slot| self.certificate(row, slot))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        // IAM has no account status. A user is active when it holds a credential that works;
        // the root user always exists and can always recover its password.
        let active = root
            || password_enabled == Some(true)
            || access_keys.iter().any(|key| key.active)
            || signing_certificates.iter().any(|cert| cert.active);
        let last_activity_at = access_keys
            .iter()
            .filter_map(|key| key.last_used_at)
            .chain(password_last_used)
            .max();
        Ok(Account {
            id: user.to_owned(),
            email: email(user),
            name: None,
            active,
            status: if active { "active" } else { "inactive" }.to_owned(),
            admin: root.then_some(true),
            mfa: self.flag(row, "mfa_active", false)?,
            created_at: self.timestamp(row, "user_creation_time")?,
            last_activity_at,
            password_changed_at: self.timestamp(row, "password_last_changed")?,
            row: row.number,
            details: Details::Aws(AwsDetails {
                arn: self.required(row, "arn")?.to_owned(),
                root,
                password_enabled,
                password_last_used_at: password_last_used,
                password_next_rotation_at: self.timestamp(row, "password_next_rotation")?,
                access_keys,
                signing_certificates,
            }),
        })
    }

    /// A slot holds a key when the key is active or has a rotation date (inactive keys keep
    /// theirs; empty slots say N/A).
    fn access_key(&self, row: &Row, slot: u8) -> Result<Option<AccessKey>, CollectError> {
        let prefix = format!("access_key_{slot}");
        let active = self.flag(row, &format!("{prefix}_active"), false)?;
        let last_rotated = self.timestamp(row, &format!("{prefix}_last_rotated"))?;
        if active != Some(true) && last_rotated.is_none() {
            return Ok(None);
        }
        Ok(Some(AccessKey {
            slot,
            active: active == Some(true),
            last_rotated,
            last_used_at: self.timestamp(row, &format!("{prefix}_last_used_date"))?,
            last_used_region: self.text(row, &format!("{prefix}_last_used_region")),
            last_used_service: self.text(row, &format!("{prefix}_last_used_service")),
        }))
    }

    fn certificate(&self, row: &Row, slot: u8) -> Result<Option<SigningCertificate>, CollectError> {
        let active = self.flag(row, &format!("cert_{slot}_active"), false)?;
        let last_rotated = self.timestamp(row, &format!("cert_{slot}_last_rotated"))?;
        if active != Some(true) && last_rotated.is_none() {
            return Ok(None);
        }
        Ok(Some(SigningCertificate {
            slot,
            active: active == Some(true),
            last_rotated,
        }))
    }

    fn required<'r>(&self, row: &'r Row, column: &'static str) -> Result<&'r str, CollectError> {
        let index = self.table.column(&[column]);
        self.table
            .text(row, index)
            .ok_or_else(|| CollectError::MissingValue {
                file: self.table.file.clone(),
                at: At::cell(row.number, column),
                what: column,
            })
    }

    /// Text with the report's "no value" markers turned into `None`.
    fn text(&self, row: &Row, column: &str) -> Option<String> {
        self.table
            .text(row, self.table.column(&[column]))
            .filter(|value| !is_marker(value))
            .map(str::to_owned)
    }

    /// `true`/`false`; `not_supported` (and an absent column) is `None` where allowed.
    fn flag(
        &self,
        row: &Row,
        column: &str,
        allow_unsupported: bool,
    ) -> Result<Option<bool>, CollectError> {
        let index = self.table.column(&[column]);
        let Some(value) = self.table.text(row, index) else {
            return Ok(None);
        };
        if let Some(flag) = parse_bool(value) {
            return Ok(Some(flag));
        }
        if allow_unsupported && value.eq_ignore_ascii_case("not_supported") {
            return Ok(None);
        }
        Err(self.table.invalid(
            row,
            index.unwrap_or_default(),
            value,
            "true or false",
            "true or false",
        ))
    }

    fn timestamp(&self, row: &Row, column: &str) -> Result<Option<Timestamp>, CollectError> {
        let index = self.table.column(&[column]);
        match self.table.text(row, index) {
            None => Ok(None),
            Some(value) if is_marker(value) => Ok(None),
            Some(value) => parse_rfc3339(value).map(Some).ok_or_else(|| {
                self.table.invalid(
                    row,
                    index.unwrap_or_default(),
                    value,
                    "a timestamp",
                    TIMESTAMP_FORMS,
                )
            }),
        }
    }
}

/// The report's ways of saying "no value": never used, no data (before 2014-10-20), or not
/// applicable to the root user.
fn is_marker(value: &str) -> bool {
    ["N/A", "no_information", "not_supported"]
        .iter()
        .any(|marker| value.eq_ignore_ascii_case(marker))
}
