//! Errors a use case returns, split by whether the user can fix them.

use attest_store::StoreError;

/// A use case's error. [`AppError::is_user_error`] tells interfaces which ones are the
/// user's to fix (exit code 2, HTTP 4xx) and which are ours (exit code 1, HTTP 500).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; the message says what and how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// A named thing does not exist; the message says where to find valid names.
    #[error("{0}")]
    NotFound(String),
    /// The thing already exists, or changed meanwhile.
    #[error("{0}")]
    Conflict(String),
    /// The caller is not signed in, or their credentials are wrong.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is signed in but their role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed attempts; the message says when to try again.
    #[error("{0}")]
    TooManyAttempts(String),
    /// A bug or an environment failure that is not the user's to fix.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Store(StoreError),
    #[error("the built-in content is broken, please report this: {0}")]
    Content(#[from] attest_content::ContentError),
}

impl AppError {
    /// True when there is simply no workspace yet (as opposed to a broken or unreachable one).
    pub fn is_no_workspace(&self) -> bool {
        matches!(self, AppError::Store(StoreError::NotAWorkspace { .. }))
    }

    pub fn is_user_error(&self) -> bool {
        match self {
            AppError::Invalid(_)
            | AppError::NotFound(_)
            | AppError::Conflict(_)
            | AppError::Unauthenticated(_)
            | AppError::Forbidden(_)
            | AppError::TooManyAttempts(_) => true,
            AppError::Store(e) => matches!(
                e,
                StoreError::NotAWorkspace { .. }
                    | StoreError::Corrupt { .. }
                    | StoreError::Unreachable { .. }
                    | StoreError::Io { .. }
                    | StoreError::TooNew { .. }
                    | StoreError::EvidenceStore(_)
            ),
            AppError::Content(_) | AppError::Internal(_) => false,
        }
    }
}

impl AppError {
    /// The evidence store (a folder or an S3 bucket) failed, not the database.
    pub fn is_evidence_store(&self) -> bool {
        matches!(self, AppError::Store(StoreError::EvidenceStore(_)))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => AppError::Conflict(format!("{what} already exists")),
            changed @ StoreError::Changed(_) => AppError::Conflict(changed.to_string()),
            other => AppError::Store(other),
        }
    }
}
