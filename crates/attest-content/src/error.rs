//! Errors from loading or rendering content.

/// A problem in a shipped content file or a policy rendering. Names the file and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("content file {file} could not be read: {message}")]
    Parse { file: String, message: String },
    #[error("content file {file} is inconsistent: {message}")]
    Invalid { file: String, message: String },
    #[error("policy {policy} could not be rendered: {message}")]
    Render { policy: String, message: String },
}

impl ContentError {
    pub(crate) fn parse(file: &str, message: impl ToString) -> Self {
        Self::Parse {
            file: file.to_string(),
            message: message.to_string(),
        }
    }

    pub(crate) fn invalid(file: &str, message: impl ToString) -> Self {
        Self::Invalid {
            file: file.to_string(),
            message: message.to_string(),
        }
    }
}
