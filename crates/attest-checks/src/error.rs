//! Errors that stop a pack from loading. Problems inside one check are results, not errors.

/// A pack could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The directory or a file in it could not be read.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        /// What could not be read.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// `--pack` named a file.
    #[error("{path} is not a directory; a check pack is a directory of .rego files")]
    NotADirectory {
        /// The path given.
        path: String,
    },
    /// No `.rego` files.
    #[error("{path} holds no .rego files; point --pack at a directory of Rego checks")]
    Empty {
        /// The path given.
        path: String,
    },
    /// More Rego than any real pack holds.
    #[error(
        "{path} holds more than {limit_mb} MB of .rego files; point --pack at the pack's own directory"
    )]
    TooLarge {
        /// The path given.
        path: String,
        /// The limit.
        limit_mb: u64,
    },
}

/// An input document could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub(crate) String);
