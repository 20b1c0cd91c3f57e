//! The one error type of the crate: each message is one sentence naming the file, the place in
//! it, what was wrong and how to fix it.

use std::fmt;

use crate::Kind;

/// Where in an input file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The file as a whole.
    File,
    /// A data row (CSV and XLSX rows count the header as row 1).
    Row(u64),
    /// One cell: a row and the column's header as written in the file.
    Cell {
        /// The row number (header = 1).
        row: u64,
        /// The column header as written in the file.
        column: String,
    },
    /// An element of a JSON array (1-based, across concatenated pages).
    Item(u64),
}

impl At {
    pub(crate) fn cell(row: u64, column: &str) -> At {
        At::Cell {
            row,
            column: column.to_owned(),
        }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::File => Ok(()),
            At::Row(row) => write!(f, " row {row}"),
            At::Cell { row, column } => write!(f, " row {row}, column \"{column}\""),
            At::Item(item) => write!(f, " item {item}"),
        }
    }
}

/// Why a collection failed. Nothing is produced on error: never a partial snapshot.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectError {
    /// The input could not be read from disk.
    #[error("could not read {file}: {source}; check that the path exists and is readable")]
    Io {
        /// The path as given.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not well-formed (ragged CSV rows, invalid UTF-8, broken JSON or XLSX).
    #[error("{file}{at}: {problem}")]
    Malformed {
        /// File name.
        file: String,
        /// Where.
        at: At,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// The file is well-formed but is not an export of the requested kind.
    #[error("{file} is not {} export: {problem}{}", article(kind.name()), looks_like_hint(*looks_like))]
    WrongFile {
        /// File name.
        file: String,
        /// The kind that was requested.
        kind: Kind,
        /// What is missing, and how to fix it.
        problem: String,
        /// The kind the file seems to be, when it can be told.
        looks_like: Option<Kind>,
    },
    /// The file has no records.
    #[error("{file} contains no {what}; export it again without filters that exclude everyone")]
    Empty {
        /// File name.
        file: String,
        /// What was expected ("data rows", "members", ...).
        what: &'static str,
    },
    /// A required value is empty.
    #[error("{file}{at}: {what} is empty; every row needs one, so fill it in or remove the row")]
    MissingValue {
        /// File name.
        file: String,
        /// Where.
        at: At,
        /// What is missing.
        what: &'static str,
    },
    /// A value cannot be read as what its column holds.
    #[error("{file}{at}: \"{value}\" is not {what}; expected {expected}")]
    InvalidValue {
        /// File name.
        file: String,
        /// Where.
        at: At,
        /// The value as written.
        value: String,
        /// What it should have been ("a date").
        what: &'static str,
        /// The accepted forms.
        expected: String,
    },
    /// Two records share what must be unique.
    #[error(
        "{file} {unit} {first} and {second} both have {what} \"{value}\"; each must appear once, so remove or fix one of them"
    )]
    Duplicate {
        /// File name.
        file: String,
        /// "rows" for CSV and XLSX, "items" for JSON.
        unit: &'static str,
        /// The first occurrence.
        first: u64,
        /// The second occurrence.
        second: u64,
        /// What is duplicated ("email").
        what: &'static str,
        /// The duplicated value.
        value: String,
    },
    /// A `--map COLUMN=FIELD` entry names a column the file does not have.
    #[error("{file} has no column \"{column}\" (named in --map); its columns are: {found}")]
    MappedColumnMissing {
        /// File name.
        file: String,
        /// The column named in the map.
        column: String,
        /// The headers found, quoted and comma-separated.
        found: String,
    },
    /// A `--map` entry is not `COLUMN=FIELD`, names an unknown field, or repeats a field.
    #[error("--map \"{entry}\" {problem}")]
    InvalidMap {
        /// The entry as given.
        entry: String,
        /// What is wrong and the fix.
        problem: String,
    },
    /// An option was given that the kind does not use.
    #[error("the {option} option applies only to {applies_to}, not to {kind}; remove it")]
    OptionNotApplicable {
        /// The option.
        option: &'static str,
        /// The kind(s) it applies to.
        applies_to: &'static str,
        /// The kind requested.
        kind: Kind,
    },
    /// Another input option is invalid (for example a `since` date after today).
    #[error("{0}")]
    InvalidOption(String),
    /// An unknown kind name.
    #[error(
        "\"{name}\" is not a snapshot kind; valid kinds are: {}",
        crate::kind::valid_kinds()
    )]
    UnknownKind {
        /// The name given.
        name: String,
    },
    /// The `--system` value is invalid.
    #[error(
        "system \"{value}\" is invalid: {problem}; use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'"
    )]
    InvalidSystem {
        /// The value given.
        value: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The `git` command is not installed or not on `PATH`.
    #[error(
        "the git command was not found; install git (for example `apt-get install git`) and make sure it is on PATH"
    )]
    GitMissing,
    /// The path is not the top of a git repository.
    #[error("{path} is not a git repository{problem}; pass the top-level directory of a clone")]
    NotGitRepo {
        /// The path given.
        path: String,
        /// Details (may be empty).
        problem: String,
    },
    /// A git command failed or printed something unexpected.
    #[error("{repo}: {problem}")]
    Git {
        /// The repository path.
        repo: String,
        /// What failed and how to fix it.
        problem: String,
    },
    /// A stored snapshot envelope cannot be read back.
    #[error("not an Attest snapshot envelope: {0}")]
    InvalidEnvelope(String),
    /// A bug in Attest, not in the input.
    #[error("internal error in the collector: {0}; please report it")]
    Internal(String),
}

impl CollectError {
    /// True when the user can fix the problem by changing the input or the options (the CLI
    /// exits with code 2); false for environment failures (unreadable disk, git missing or
    /// failing).
    pub fn is_input_error(&self) -> bool {
        match self {
            CollectError::Io { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            CollectError::GitMissing | CollectError::Git { .. } | CollectError::Internal(_) => {
                false
            }
            _ => true,
        }
    }
}

/// "an okta-users", "a github-repos": by how the name is said (aws, hr and okta open with a vowel).
fn article(name: &str) -> String {
    if ["aws", "hr", "okta"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

fn looks_like_hint(kind: Option<Kind>) -> String {
    match kind {
        Some(kind) => format!(
            " (it looks like {} export; collect it as {})",
            article(kind.name()),
            kind.name()
        ),
        None => String::new(),
    }
}
