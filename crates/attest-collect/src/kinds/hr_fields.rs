//! The roster fields, the one table of column names HR systems use for them, `--map`
//! overrides, and employment-type normalization.

use crate::table::{Table, normalize_header, quoted_list};
use crate::{CollectError, Kind};

/// A roster field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Email,
    Name,
    FirstName,
    LastName,
    Title,
    Department,
    ManagerEmail,
    EmploymentType,
    StartDate,
    EndDate,
    Status,
    GithubLogin,
}

/// Column names recognized without `--map`, per field, most specific first. Matching ignores
/// case, spaces and punctuation (`Work Email` = `work_email` = `workEmail`).
///
/// Sources: BambooHR's report field labels (Work Email, Job Title, Hire Date, Termination Date,
/// Employment Status, Supervisor email), Gusto's employee report (Work email, Job title, Start
/// date, Employment type, Termination date), Rippling's report variables (Work email, Legal
/// first/last name, Title, Manager - Work email, Employment status, Start date), Personio's
/// employee list export (Email, Position, Hire date, Termination date, Employment type, Status;
/// German UI: E-Mail, Vorname, Nachname, Abteilung, Eintrittsdatum, Austrittsdatum) and HiBob's
/// people report (Email, Display name, Job title, Department, Start date, Termination date,
/// Employment type, Lifecycle status).
pub(crate) const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Email,
        &[
            "Work Email",
            "Work Email Address",
            "Company Email",
            "Business Email",
            "Email",
            "Email Address",
            "E-Mail",
            "Primary Email",
        ],
    ),
    (
        Field::Name,
        &[
            "Full Name",
            "Display Name",
            "Employee Name",
            "Preferred Full Name",
            "Name",
        ],
    ),
    (
        Field::FirstName,
        &[
            "First Name",
            "Legal First Name",
            "Preferred First Name",
            "Given Name",
            "Vorname",
        ],
    ),
    (
        Field::LastName,
        &[
            "Last Name",
            "Legal Last Name",
            "Surname",
            "Family Name",
            "Nachname",
        ],
    ),
    (
        Field::Title,
        &["Job Title", "Title", "Position", "Job", "Role"],
    ),
    (Field::Department, &["Department", "Team", "Abteilung"]),
    (
        Field::ManagerEmail,
        &[
            "Manager Email",
            "Manager Work Email",
            "Manager - Work email",
            "Supervisor Email",
            "Reports To Email",
            "Line Manager Email",
        ],
    ),
    (
        Field::EmploymentType,
        &[
            "Employment Type",
            "Employee Type",
            "Worker Type",
            "Contract Type",
            "Employment Status",
            "Beschäftigungsart",
        ],
    ),
    (
        Field::StartDate,
        &[
            "Start Date",
            "Hire Date",
            "Employment Start Date",
            "Date of Hire",
            "Eintrittsdatum",
        ],
    ),
    (
        Field::EndDate,
        &[
            "Termination Date",
            "End Date",
            "Employment End Date",
            "Last Day of Work",
            "Last Working Day",
            "Exit Date",
            "Austrittsdatum",
        ],
    ),
    (
        Field::Status,
        &[
            "Status",
            "Employee Status",
            "Lifecycle Status",
            "Employment Status",
            "Worker Status",
        ],
    ),
    (
        Field::GithubLogin,
        &["GitHub Username", "GitHub Login", "GitHub Handle", "GitHub"],
    ),
];

impl Field {
    /// The name used in `--map` and in the snapshot.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Title => "title",
            Field::Department => "department",
            Field::ManagerEmail => "manager_email",
            Field::EmploymentType => "employment_type",
            Field::StartDate => "start_date",
            Field::EndDate => "end_date",
            Field::Status => "status",
            Field::GithubLogin => "github_login",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        ALIASES
            .iter()
            .find(|(field, _)| *field == self)
            .map_or(&[], |(_, aliases)| aliases)
    }
}

/// The column index of each field (a column may feed several fields: BambooHR's "Employment
/// Status" holds both the type and the state of employment).
#[derive(Debug, Default)]
pub(crate) struct Columns {
    columns: Vec<(Field, usize)>,
}

impl Columns {
    /// Resolves every field: `--map` entries first, then the alias table.
    pub(crate) fn resolve(
        table: &Table,
        map: &[(String, String)],
    ) -> Result<Columns, CollectError> {
        let mut columns = Columns::default();
        for (column, field_name) in map {
            let entry = format!("{column}={field_name}");
            let field = ALIASES
                .iter()
                .map(|(field, _)| *field)
                .find(|field| field.name() == field_name.trim().to_lowercase())
                .ok_or_else(|| CollectError::InvalidMap {
                    entry: entry.clone(),
                    problem: format!(
                        "names the unknown field \"{field_name}\"; valid fields are: {}",
                        ALIASES
                            .iter()
                            .map(|(field, _)| field.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            if columns.get(field).is_some() {
                return Err(CollectError::InvalidMap {
                    entry,
                    problem: format!(
                        "maps {} a second time; keep one entry per field",
                        field.name()
                    ),
                });
            }
            let index = table
                .headers
                .iter()
                .position(|header| header == column.trim())
                .or_else(|| table.column(&[column.as_str()]))
                .ok_or_else(|| CollectError::MappedColumnMissing {
                    file: table.file.clone(),
                    column: column.clone(),
                    found: table.headers_list(),
                })?;
            columns.columns.push((field, index));
        }
        for (field, aliases) in ALIASES {
            if columns.get(*field).is_none()
                && let Some(index) = table.column(aliases)
            {
                columns.columns.push((*field, index));
            }
        }
        if columns.get(Field::Email).is_none() {
            return Err(CollectError::WrongFile {
                file: table.file.clone(),
                kind: Kind::HrRoster,
                problem: format!(
                    "it has no email column (looked for {}; its columns are: {}), so name yours with --map \"COLUMN=email\"",
                    quoted_list(Field::Email.aliases(), ", "),
                    table.headers_list()
                ),
                looks_like: crate::detect::table_kind(table, Kind::HrRoster),
            });
        }
        Ok(columns)
    }

    pub(crate) fn get(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(candidate, _)| *candidate == field)
            .map(|(_, index)| *index)
    }
}

/// True when a table has an email column and a start or hire date column.
pub(crate) fn looks_like_roster(table: &Table) -> bool {
    table.column(Field::Email.aliases()).is_some()
        && table.column(Field::StartDate.aliases()).is_some()
}

/// `employee`, `contractor` or `None` (unknown or ambiguous, never guessed).
pub(crate) fn employment_type(value: &str) -> Option<&'static str> {
    let normalized = normalize_header(value);
    let words: Vec<String> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let has = |word: &str| words.iter().any(|candidate| candidate == word);
    let employee = normalized.contains("fulltime")
        || normalized.contains("parttime")
        || ["employee", "fte", "permanent", "internal", "salaried", "w2"]
            .iter()
            .any(|word| has(word));
    let contractor = [
        "contractor",
        "contract",
        "consultant",
        "freelance",
        "freelancer",
        "1099",
        "external",
    ]
    .iter()
    .any(|word| has(word));
    match (employee, contractor) {
        (true, false) => Some("employee"),
        (false, true) => Some("contractor"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_employment_types_normalize_to_employee_or_contractor() {
        for value in [
            "Full-Time",
            "Part-Time",
            "full_time",
            "Salaried, full-time",
            "Employee",
            "FTE",
            "Internal",
            "Permanent",
        ] {
            assert_eq!(employment_type(value), Some("employee"), "{value}");
        }
        for value in [
            "Contractor",
            "contract",
            "Consultant",
            "Freelance",
            "1099",
            "External",
        ] {
            assert_eq!(employment_type(value), Some("contractor"), "{value}");
        }
        for value in ["Intern", "Terminated", "Contract employee", ""] {
            assert_eq!(employment_type(value), None, "{value}");
        }
    }
}
