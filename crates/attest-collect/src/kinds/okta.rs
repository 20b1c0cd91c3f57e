//! okta-users: an Okta users CSV. Reads the Okta Password Health report (User, Login, Status,
//! Activation date, Authentication Source, Last Login, Last Password Change) and user exports
//! that use the Users API names (login, email, firstName, status, created, lastLogin,
//! passwordChanged) or the User Accounts report names (Okta username, Primary email, Okta user
//! status). Okta exports carry no MFA column, so `mfa` is always null.

use crate::account::{Account, Accounts, Details, OktaDetails, check_unique_ids};
use crate::detect;
use crate::error::At;
use crate::kinds::{Collected, Input};
use crate::table::{Row, Table};
use crate::values::{Timestamp, email, parse_timestamp};
use crate::{CollectError, Kind};

const KIND: Kind = Kind::OktaUsers;

/// Times without an offset are read as UTC.
const TIME_FORMATS: [&str; 6] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
];
const TIME_FORMS: &str = "a timestamp such as 2024-01-31T09:15:00.000Z or 2024-01-31 09:15:00, or an empty cell or Never";

/// Okta lifecycle states: API name, the Admin Console's label, and whether the account can be
/// used (everything but staged, suspended and deactivated accounts).
const STATUSES: [(&str, &str, bool); 8] = [
    ("active", "active", true),
    ("provisioned", "pending user action", true),
    ("recovery", "password reset", true),
    ("password_expired", "password expired", true),
    ("locked_out", "locked out", true),
    ("staged", "staged", false),
    ("suspended", "suspended", false),
    ("deprovisioned", "deactivated", false),
];

pub(crate) fn collect(input: &Input) -> Result<Collected, CollectError> {
    let table = Table::from_csv(&input.file, &input.bytes)?;
    let looks_like = detect::table_kind(&table, KIND);
    let columns = Columns {
        login: table.require(
            KIND,
            &["Login", "Username", "Okta username", "profile.login"],
            looks_like,
        )?,
        status: table.require(
            KIND,
            &["Status", "Okta user status", "User status"],
            looks_like,
        )?,
        email: table.column(&["Primary email", "Email", "profile.email", "Email address"]),
        name: table.column(&["User", "Display name", "User fullname", "Full name", "Name"]),
        first_name: table.column(&["First name", "profile.firstName"]),
        last_name: table.column(&["Last name", "profile.lastName"]),
        user_id: table.column(&["Id", "User id", "Okta id"]),
        created: table.column(&["Created", "Created date", "Creation date"]),
        activated: table.column(&["Activation date", "Activated", "Activated date"]),
        last_login: table.column(&["Last Login", "Last login date"]),
        password_changed: table.column(&[
            "Last Password Change",
            "Password changed",
            "Password last changed",
        ]),
        authentication_source: table.column(&["Authentication Source"]),
    };
    table.require_rows("users")?;
    let accounts = table
        .rows
        .iter()
        .map(|row| account(&table, &columns, row))
        .collect::<Result<Vec<_>, _>>()?;
    check_unique_ids(&table.file, &accounts, "rows", "login")?;
    let records = accounts.len();
    Collected::new(&Accounts { accounts }, records)
}

struct Columns {
    login: usize,
    status: usize,
    email: Option<usize>,
    name: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    user_id: Option<usize>,
    created: Option<usize>,
    activated: Option<usize>,
    last_login: Option<usize>,
    password_changed: Option<usize>,
    authentication_source: Option<usize>,
}

fn account(table: &Table, columns: &Columns, row: &Row) -> Result<Account, CollectError> {
    let missing = |column: usize, what| CollectError::MissingValue {
        file: table.file.clone(),
        at: At::cell(row.number, table.header(column)),
        what,
    };
    let login = table
        .text(row, Some(columns.login))
        .ok_or_else(|| missing(columns.login, "the login"))?;
    let status_raw = table
        .text(row, Some(columns.status))
        .ok_or_else(|| missing(columns.status, "the status"))?;
    let (status, active) = status(status_raw).ok_or_else(|| {
        let known: Vec<&str> = STATUSES.iter().map(|(name, ..)| *name).collect();
        table.invalid(
            row,
            columns.status,
            status_raw,
            "an Okta user status",
            &known.join(", ").to_uppercase(),
        )
    })?;
    // Without an email column, Okta logins are email-shaped by default; a login that is not an
    // email leaves the email unknown.
    let address = match (columns.email, table.text(row, columns.email)) {
        (Some(column), Some(value)) => Some(email(value).ok_or_else(|| {
            table.invalid(row, column, value, "an email address", "name@example.com")
        })?),
        (Some(_), None) => None,
        (None, _) => email(login),
    };
    let name = table
        .text(row, columns.name)
        .map(str::to_owned)
        .or_else(|| {
            let parts: Vec<&str> = [
                table.text(row, columns.first_name),
                table.text(row, columns.last_name),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
    let time = |column| timestamp(table, row, column);
    Ok(Account {
        id: login.to_owned(),
        email: address,
        name,
        active,
        status: status.to_owned(),
        admin: None,
        mfa: None,
        created_at: time(columns.created)?,
        last_activity_at: time(columns.last_login)?,
        password_changed_at: time(columns.password_changed)?,
        row: row.number,
        details: Details::Okta(OktaDetails {
            status_raw: status_raw.to_owned(),
            user_id: table.text(row, columns.user_id).map(str::to_owned),
            activated_at: time(columns.activated)?,
            authentication_source: table
                .text(row, columns.authentication_source)
                .map(str::to_owned),
        }),
    })
}

/// The API status name and whether the account is usable, from either spelling.
fn status(raw: &str) -> Option<(&'static str, bool)> {
    let normalized = raw.trim().to_lowercase().replace(['_', '-'], " ");
    STATUSES
        .iter()
        .find(|(name, label, _)| normalized == name.replace('_', " ") || normalized == *label)
        .map(|(name, _, active)| (*name, *active))
}

fn timestamp(
    table: &Table,
    row: &Row,
    column: Option<usize>,
) -> Result<Option<Timestamp>, CollectError> {
    match (column, table.text(row, column)) {
        (Some(_), Some(value))
            if ["never", "-", "n/a"]
                .iter()
                .any(|none| value.eq_ignore_ascii_case(none)) =>
        {
            Ok(None)
        }
        (Some(column), Some(value)) => parse_timestamp(value, &TIME_FORMATS)
            .map(Some)
            .ok_or_else(|| table.invalid(row, column, value, "a timestamp", TIME_FORMS)),
        _ => Ok(None),
    }
}
