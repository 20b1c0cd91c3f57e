//! google-workspace-users: the CSV the Admin console writes from Directory > Users > Download
//! users. Headers carry annotations (`Email Address [Required]`, `Status [READ ONLY]`), which
//! column matching ignores; extra columns and any column order are fine.

use crate::account::{Account, Accounts, Details, GoogleDetails, check_unique_ids};
use crate::detect;
use crate::kinds::{Collected, Input};
use crate::table::{Row, Table};
use crate::values::{Timestamp, email, parse_bool, parse_timestamp};
use crate::{CollectError, Kind};

const KIND: Kind = Kind::GoogleWorkspaceUsers;

/// The console writes sign-in times without a zone; they are read as UTC.
const SIGN_IN_FORMATS: [&str; 2] = ["%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"];

pub(crate) fn collect(input: &Input) -> Result<Collected, CollectError> {
    let table = Table::from_csv(&input.file, &input.bytes)?;
    let looks_like = detect::table_kind(&table, KIND);
    let columns = Columns {
        email: table.require(KIND, &["Email Address [Required]"], looks_like)?,
        status: table.require(KIND, &["Status [READ ONLY]"], looks_like)?,
        first_name: table.column(&["First Name [Required]"]),
        last_name: table.column(&["Last Name [Required]"]),
        org_unit: table.column(&["Org Unit Path [Required]"]),
        last_sign_in: table.column(&["Last Sign In [READ ONLY]"]),
        two_step_enrolled: table.column(&["2sv Enrolled [READ ONLY]"]),
        two_step_enforced: table.column(&["2sv Enforced [READ ONLY]"]),
        advanced_protection: table.column(&["Advanced Protection Program enrollment"]),
    };
    table.require_rows("users")?;
    let accounts = table
        .rows
        .iter()
        .map(|row| account(&table, &columns, row))
        .collect::<Result<Vec<_>, _>>()?;
    check_unique_ids(&table.file, &accounts, "rows", "email")?;
    let records = accounts.len();
    Collected::new(&Accounts { accounts }, records)
}

struct Columns {
    email: usize,
    status: usize,
    first_name: Option<usize>,
    last_name: Option<usize>,
    org_unit: Option<usize>,
    last_sign_in: Option<usize>,
    two_step_enrolled: Option<usize>,
    two_step_enforced: Option<usize>,
    advanced_protection: Option<usize>,
}

fn account(table: &Table, columns: &Columns, row: &Row) -> Result<Account, CollectError> {
    let Some(raw_email) = table.text(row, Some(columns.email)) else {
        return Err(CollectError::MissingValue {
            file: table.file.clone(),
            at: crate::error::At::cell(row.number, table.header(columns.email)),
            what: "the email address",
        });
    };
    let address = email(raw_email).ok_or_else(|| {
        table.invalid(
            row,
            columns.email,
            raw_email,
            "an email address",
            "name@example.com",
        )
    })?;
    let raw_status = table.text(row, Some(columns.status)).unwrap_or_default();
    let status = raw_status.to_lowercase();
    if !["active", "suspended", "archived"].contains(&status.as_str()) {
        return Err(table.invalid(
            row,
            columns.status,
            raw_status,
            "a Google Workspace user status",
            "Active, Suspended or Archived",
        ));
    }
    let name = [
        table.text(row, columns.first_name),
        table.text(row, columns.last_name),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(Account {
        id: address.clone(),
        email: Some(address),
        name: (!name.is_empty()).then_some(name),
        active: status == "active",
        admin: None,
        mfa: flag(table, row, columns.two_step_enrolled)?,
        created_at: None,
        last_activity_at: last_sign_in(table, row, columns.last_sign_in)?,
        password_changed_at: None,
        row: row.number,
        details: Details::Google(GoogleDetails {
            org_unit: table.text(row, columns.org_unit).map(str::to_owned),
            two_step_enforced: flag(table, row, columns.two_step_enforced)?,
            suspended: status == "suspended",
            archived: status == "archived",
            advanced_protection: flag(table, row, columns.advanced_protection)?,
        }),
        status,
    })
}

fn flag(table: &Table, row: &Row, column: Option<usize>) -> Result<Option<bool>, CollectError> {
    match (column, table.text(row, column)) {
        (Some(column), Some(value)) => parse_bool(value)
            .map(Some)
            .ok_or_else(|| table.invalid(row, column, value, "True or False", "True or False")),
        _ => Ok(None),
    }
}

fn last_sign_in(
    table: &Table,
    row: &Row,
    column: Option<usize>,
) -> Result<Option<Timestamp>, CollectError> {
    match (column, table.text(row, column)) {
        (Some(_), Some(value)) if value.eq_ignore_ascii_case("Never logged in") => Ok(None),
        (Some(column), Some(value)) => parse_timestamp(value, &SIGN_IN_FORMATS)
            .map(Some)
            .ok_or_else(|| {
                table.invalid(
                    row,
                    column,
                    value,
                    "a date",
                    "YYYY/MM/DD HH:MM:SS or Never logged in",
                )
            }),
        _ => Ok(None),
    }
}
