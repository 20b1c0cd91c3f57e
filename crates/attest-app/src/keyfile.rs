//! Key files: written once, readable and writable by this user only, never overwritten.

use std::io::Write;
use std::path::Path;

use crate::error::AppError;

/// Writes `contents` to a new file at `path` with mode 0600. Returns false, writing nothing,
/// when the file exists already (another process made it a moment ago): `create_new` never
/// overwrites a key.
pub(crate) fn create_private_file(path: &Path, contents: &[u8]) -> Result<bool, AppError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let cannot = |e: std::io::Error| {
        AppError::Invalid(format!(
            "cannot create the key file {} ({e}); check that its folder exists and is writable",
            path.display()
        ))
    };
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(contents).map_err(cannot)?;
            file.sync_all().map_err(cannot)?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(cannot(e)),
    }
}
