//! hr-roster: a people export (CSV or XLSX) from an HR system, one person per row.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::At;
use crate::kinds::hr_fields::{Columns, Field, employment_type};
use crate::kinds::{Collected, Input};
use crate::table::{Cell, Row, Table};
use crate::values::{DATE_FORMATS, email, is_day_first_slash_date, parse_date};
use crate::{CollectError, xlsx};

#[derive(Debug, Serialize)]
struct Roster {
    people: Vec<RosterPerson>,
}

/// One roster row, as the hr-roster snapshot records it and `attest people import` reads it.
#[derive(Debug, Clone, Serialize)]
pub struct RosterPerson {
    /// Work email, lower-cased.
    pub email: String,
    /// Full name, or first and last name joined.
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Department or team.
    pub department: Option<String>,
    /// The manager's work email.
    pub manager_email: Option<String>,
    /// `employee` or `contractor`; `None` when the column is missing or its value unknown.
    pub employment_type: Option<&'static str>,
    /// The employment type as written, when it says neither (`Intern`, `Seasonal`).
    #[serde(skip)]
    pub unrecognized_type: Option<String>,
    /// First day of work.
    pub start_date: Option<NaiveDate>,
    /// Last day of work, when known.
    pub end_date: Option<NaiveDate>,
    /// The HR system's own status (Active, Terminated, ...), as written.
    pub status: Option<String>,
    /// GitHub login, without `@` or URL.
    pub github_login: Option<String>,
    /// Row in the file (header = 1).
    pub row: u64,
}

pub(crate) fn collect(input: &Input, map: &[(String, String)]) -> Result<Collected, CollectError> {
    let (table, columns) = read_table(input, map)?;
    let people = people(&table, &columns)?;
    let records = people.len();
    Collected::new(&Roster { people }, records)
}

/// Reads a roster for the people register, more strictly than a snapshot: every row needs a
/// name, since the register stores one (a snapshot keeps what it cannot read as `null`).
pub(crate) fn read_people(
    input: &Input,
    map: &[(String, String)],
) -> Result<Vec<RosterPerson>, CollectError> {
    let (table, columns) = read_table(input, map)?;
    let people = people(&table, &columns)?;
    for (row, person) in table.rows.iter().zip(&people) {
        if person.name.is_none() {
            let column = columns
                .get(Field::Name)
                .or_else(|| columns.get(Field::FirstName))
                .map_or_else(
                    || "a name column".to_owned(),
                    |c| table.header(c).to_owned(),
                );
            return Err(CollectError::MissingValue {
                file: table.file.clone(),
                at: At::cell(row.number, &column),
                what: "the name",
            });
        }
    }
    Ok(people)
}

fn read_table(input: &Input, map: &[(String, String)]) -> Result<(Table, Columns), CollectError> {
    let table = if xlsx::is_xlsx(&input.bytes) {
        xlsx::read(&input.file, &input.bytes)?
    } else if xlsx::is_legacy_xls(&input.bytes) {
        return Err(CollectError::Malformed {
            file: input.file.clone(),
            at: At::File,
            problem: "it is a legacy Excel .xls workbook; save it as .xlsx or CSV and collect that"
                .to_owned(),
        });
    } else {
        Table::from_csv(&input.file, &input.bytes)?
    };
    let columns = Columns::resolve(&table, map)?;
    table.require_rows("people (only a header row)")?;
    for field in [Field::StartDate, Field::EndDate] {
        if let Some(column) = columns.get(field) {
            refuse_day_first_dates(&table, column)?;
        }
    }
    Ok((table, columns))
}

/// Every row as a person; an email on two rows is refused.
fn people(table: &Table, columns: &Columns) -> Result<Vec<RosterPerson>, CollectError> {
    let mut people = Vec::with_capacity(table.rows.len());
    let mut rows_by_email: HashMap<String, u64> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let person = person(table, columns, row)?;
        if let Some(first) = rows_by_email.insert(person.email.clone(), row.number) {
            return Err(CollectError::Duplicate {
                file: table.file.clone(),
                unit: "rows",
                first,
                second: row.number,
                what: "email",
                value: person.email,
            });
        }
        people.push(person);
    }
    Ok(people)
}

fn person(table: &Table, columns: &Columns, row: &Row) -> Result<RosterPerson, CollectError> {
    let text = |field| table.text(row, columns.get(field)).map(str::to_owned);
    let email_column = columns.get(Field::Email).unwrap_or_default();
    let address = match table.text(row, Some(email_column)) {
        Some(value) => email(value).ok_or_else(|| {
            table.invalid(
                row,
                email_column,
                value,
                "an email address",
                "name@example.com",
            )
        })?,
        None => {
            return Err(CollectError::MissingValue {
                file: table.file.clone(),
                at: At::cell(row.number, table.header(email_column)),
                what: "the email",
            });
        }
    };
    let manager_email = match columns.get(Field::ManagerEmail) {
        Some(column) => match table.text(row, Some(column)) {
            Some(value) => Some(email(value).ok_or_else(|| {
                table.invalid(
                    row,
                    column,
                    value,
                    "an email address",
                    "the manager's email, or an empty cell",
                )
            })?),
            None => None,
        },
        None => None,
    };
    let name = text(Field::Name).or_else(|| {
        let parts: Vec<String> = [text(Field::FirstName), text(Field::LastName)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Ok(RosterPerson {
        email: address,
        name,
        title: text(Field::Title),
        department: text(Field::Department),
        manager_email,
        employment_type: text(Field::EmploymentType).and_then(|value| employment_type(&value)),
        unrecognized_type: text(Field::EmploymentType)
            .filter(|value| employment_type(value).is_none()),
        start_date: date(table, row, columns.get(Field::StartDate))?,
        end_date: date(table, row, columns.get(Field::EndDate))?,
        status: text(Field::Status),
        github_login: text(Field::GithubLogin).and_then(|value| github_login(&value)),
        row: row.number,
    })
}

fn date(
    table: &Table,
    row: &Row,
    column: Option<usize>,
) -> Result<Option<NaiveDate>, CollectError> {
    let Some(column) = column else {
        return Ok(None);
    };
    match row.cells.get(column) {
        Some(Cell::Date(date)) => Ok(Some(*date)),
        // BambooHR writes an unset date as 0000-00-00.
        Some(Cell::Text(text)) if text == "0000-00-00" => Ok(None),
        Some(Cell::Text(text)) => parse_date(text)
            .map(Some)
            .ok_or_else(|| table.invalid(row, column, text, "a date", DATE_FORMATS)),
        Some(Cell::Empty) | None => Ok(None),
    }
}

/// Slashed dates are read month first; a column that is provably day first (a value like
/// 25/03/2021) would have its other values silently misread, so it is refused as a whole.
fn refuse_day_first_dates(table: &Table, column: usize) -> Result<(), CollectError> {
    for row in &table.rows {
        if let Some(value) = table.text(row, Some(column))
            && is_day_first_slash_date(value)
        {
            return Err(table.invalid(
                row,
                column,
                value,
                "a MM/DD/YYYY date",
                "YYYY-MM-DD or MM/DD/YYYY; this column is written day first, so export it with ISO dates (YYYY-MM-DD) to avoid misreading the other rows",
            ));
        }
    }
    Ok(())
}

/// `octocat`, `@octocat` and `https://github.com/octocat` all mean the login `octocat`.
fn github_login(value: &str) -> Option<String> {
    let value = value.trim();
    let value = value
        .strip_prefix("https://github.com/")
        .or_else(|| value.strip_prefix("http://github.com/"))
        .or_else(|| value.strip_prefix("github.com/"))
        .unwrap_or(value)
        .trim_start_matches('@')
        .trim_end_matches('/');
    (!value.is_empty()).then(|| value.to_owned())
}
