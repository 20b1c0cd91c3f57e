//! The built-in check pack's Rego files (`content/checks/soc2`), as the binary carries them.

use crate::catalog::CONTENT;

/// The directory of the built-in pack inside `content/`.
const PACK_DIR: &str = "checks/soc2";

/// Every `.rego` file of the built-in pack: its path within the pack and its text, sorted.
pub fn builtin_check_files() -> Vec<(String, &'static str)> {
    let mut files = Vec::new();
    let mut pending = CONTENT.get_dir(PACK_DIR).into_iter().collect::<Vec<_>>();
    while let Some(dir) = pending.pop() {
        pending.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "rego")
                && let (Ok(relative), Some(text)) =
                    (path.strip_prefix(PACK_DIR), file.contents_utf8())
            {
                files.push((relative.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    files.sort();
    files
}
