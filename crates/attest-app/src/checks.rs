//! The built-in check pack, loaded from the content the binary carries.

use attest_checks::{Pack, PolicyFile};

/// The built-in SOC 2 pack (`content/checks/soc2`), shown as `builtin` in results.
pub fn builtin_pack() -> Pack {
    let files = attest_content::builtin_check_files()
        .into_iter()
        .map(|(path, text)| PolicyFile::new(path, text))
        .collect();
    Pack::from_files(crate::BUILTIN_PACK, files)
}
