//! The auditor package: a zip of an org's evidence, organized by criterion and control, with a
//! manifest that proves every item against a signed ledger checkpoint.
//!
//! An auditor checks a package offline with `attest verify-package FILE.zip --key PUBKEY`: the
//! checkpoint's signature against the key the company gave them, each item's ledger leaf
//! against the checkpoint's root through its inclusion proof, and each file's content against
//! the SHA-256 the leaf committed to. Nothing in the archive is trusted before it is checked,
//! least of all its paths: the verifier never writes a file, and rejects any name that is not
//! a plain relative path listed in the manifest.

mod export;
mod verify;

use attest_core::Period;
use serde::{Deserialize, Serialize};

pub use export::{PackageScope, PackageSummary};
pub use verify::{PackageReport, verify_package};

/// The manifest's format name; a verifier refuses any other.
pub const PACKAGE_FORMAT: &str = "attest-evidence-package/v1";
/// Where the manifest sits in the archive.
pub const MANIFEST_PATH: &str = "manifest.json";
/// The human guide to the package.
pub const README_PATH: &str = "README.txt";

/// How many leading bytes a file's type is read from when naming it.
pub(crate) const SNIFF_BYTES: usize = 8192;

/// Bounds a verifier holds a package to, whoever made it.
pub(crate) mod limits {
    /// Entries in one archive.
    pub const ENTRIES: usize = 100_000;
    /// The manifest's size.
    pub const MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
    /// All content read, across every entry.
    pub const TOTAL_BYTES: u64 = 32 * 1024 * 1024 * 1024;
    /// A path inside the archive.
    pub const PATH_CHARS: usize = 400;
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub org: ManifestOrg,
    pub exported_at: chrono::DateTime<chrono::Utc>,
    pub exported_by: String,
    /// `all`, or the controls asked for.
    pub scope: Vec<String>,
    /// The signed checkpoint every proof leads to.
    pub checkpoint: ManifestCheckpoint,
    pub controls: Vec<ManifestControl>,
    pub items: Vec<ManifestItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestOrg {
    /// The id every item's ledger entry names.
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestCheckpoint {
    pub size: u64,
    /// The root hash, hex.
    pub root: String,
    /// The C2SP signed note.
    pub note: String,
}

/// A control in the package, with the criteria it addresses (the folders its evidence is in).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestControl {
    pub id: String,
    pub title: String,
    pub frequency: String,
    pub criteria: Vec<String>,
}

/// One evidence item: what it is, where its content is in the archive, and its proof.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestItem {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub media_type: String,
    /// Where the workspace keeps the content (`sha256/ab/…`), as recorded.
    pub blob_key: Option<String>,
    pub url: Option<String>,
    pub source: String,
    pub collected_by: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub period: Period,
    pub controls: Vec<String>,
    /// The item this one is a new revision of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
    /// Kept at least until this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<chrono::NaiveDate>,
    /// Every copy of the content in the archive (one per criterion and control it is filed
    /// under); none for a link.
    pub files: Vec<String>,
    pub ledger: ManifestProof,
}

/// The item's ledger leaf and its inclusion proof against the checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestProof {
    pub index: u64,
    /// The leaf's exact bytes (UTF-8 text), whose RFC 6962 hash the tree holds.
    pub leaf: String,
    /// The audit path, hex, from the leaf up.
    pub proof: Vec<String>,
}

/// Whether a path from a manifest or an archive is one a package may hold: relative, `/`
/// separated, no empty, `.` or `..` parts, and only characters that mean the same on every
/// file system. Export writes only such paths; verification rejects every other.
pub(crate) fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.chars().count() <= limits::PATH_CHARS
        && path.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && !part.starts_with(' ')
                && !part.ends_with(' ')
                && !part.ends_with('.')
                && part.chars().all(is_safe_char)
        })
}

fn is_safe_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')' | ',' | '+')
}

/// A title made into a file name part: unsafe characters become `-`, at most 80 characters.
pub(crate) fn file_name_part(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if is_safe_char(c) { c } else { '-' })
        .take(80)
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == ' ' || c == '.' || c == '-');
    if trimmed.is_empty() {
        "evidence".into()
    } else {
        trimmed.to_string()
    }
}

/// The file name an item's content is saved under, in a package or a download:
/// `2026-03-31 Title (1a2b3c4d).pdf`, the end of its period first, so a folder lists in date
/// order, and the tail of its id, so two items with one title stay apart.
pub fn evidence_file_name(item: &attest_store::Evidence, content: &[u8]) -> String {
    // The type from the first bytes only, so a verifier streaming the file names it alike.
    let extension = match infer::get(&content[..content.len().min(SNIFF_BYTES)]) {
        Some(t) => t.extension(),
        None if item.media_type == "application/json" => "json",
        None if item.media_type.starts_with("text/") => "txt",
        None => "bin",
    };
    let mut title = file_name_part(&item.title);
    if let Some(stem) = title.strip_suffix(&format!(".{extension}")) {
        title = stem.to_string();
    }
    let tail = &item.id[item.id.len().saturating_sub(8)..];
    format!("{} {title} ({tail}).{extension}", item.period.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for good in [
            "manifest.json",
            "CC6.1/IAM-06/2026-03-31 MFA report (abc123).pdf",
        ] {
            assert!(is_safe_path(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../outside",
            "a/../../b",
            "a//b",
            "a/./b",
            "C:\\windows\\x",
            "a\\..\\b",
            "a/b\0c",
            "a/b.",
            "a/ b",
        ] {
            assert!(!is_safe_path(bad), "{bad:?}");
        }
        assert!(!is_safe_path(&"a".repeat(limits::PATH_CHARS + 1)));
    }

    #[test]
    fn titles_become_safe_file_names() {
        assert_eq!(file_name_part("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_name_part("Q1 review: done?"), "Q1 review- done");
        assert_eq!(file_name_part("///"), "evidence");
        assert!(is_safe_path(&file_name_part("a\u{202e}b/c\\d.")));
    }
}
