//! A check pack: a directory of `.rego` files. Each package that defines `deny` is a check;
//! other packages are libraries the checks may import; `*_test.rego` files hold Rego unit tests.

use std::path::Path;

use serde::Serialize;

use crate::error::PackError;
use crate::meta::{self, Annotation, Declarations, Requirement, Severity};

/// The most `.rego` bytes a pack may hold, so a mistaken `--pack /` fails fast.
const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;

/// One `.rego` file of a pack.
#[derive(Clone, Debug)]
pub struct PolicyFile {
    /// The path shown in results, relative to the pack's root, with `/` separators.
    pub path: String,
    /// The file's text.
    pub source: String,
    pub(crate) declarations: Declarations,
}

impl PolicyFile {
    /// A file from its path (as shown) and text.
    pub fn new(path: impl Into<String>, source: impl Into<String>) -> PolicyFile {
        let source = source.into();
        PolicyFile {
            path: path.into(),
            declarations: meta::scan(&source),
            source,
        }
    }

    /// Whether this file holds unit tests rather than checks.
    pub fn is_test(&self) -> bool {
        self.path.ends_with("_test.rego")
    }
}

/// A loaded pack.
#[derive(Clone, Debug)]
pub struct Pack {
    /// What the pack is called in output (its directory, or `builtin` for the shipped pack).
    pub name: String,
    /// Its files, sorted by path.
    pub files: Vec<PolicyFile>,
}

/// What a check is, from its file and annotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    /// The package path, for example `soc2.iam.mfa_enabled`.
    pub id: String,
    /// One line naming what is verified.
    pub title: String,
    /// Why it matters.
    pub description: String,
    /// Library control ids it tests.
    pub controls: Vec<String>,
    /// How urgent a failure is.
    pub severity: Severity,
    /// Snapshot kinds it reads.
    pub evidence: Vec<String>,
    /// Kinds that must be present for it to run.
    pub requires: Vec<Requirement>,
    /// What to do when it fails.
    pub remediation: String,
    /// Its file within the pack.
    pub file: String,
    /// The line of its `package` declaration.
    pub line: u32,
    /// Why its METADATA could not be read, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_error: Option<String>,
}

impl Pack {
    /// A pack from files already in memory (the built-in pack is embedded in the binary).
    pub fn from_files(name: impl Into<String>, mut files: Vec<PolicyFile>) -> Pack {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Pack {
            name: name.into(),
            files,
        }
    }

    /// Reads every `.rego` file under `dir` (hidden directories skipped).
    pub fn load_dir(dir: &Path) -> Result<Pack, PackError> {
        let shown = dir.display().to_string();
        let meta = std::fs::metadata(dir).map_err(|e| PackError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        if !meta.is_dir() {
            return Err(PackError::NotADirectory { path: shown });
        }
        let mut files = Vec::new();
        let mut total = 0u64;
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            let entries = std::fs::read_dir(&current).map_err(|e| PackError::Unreadable {
                path: current.display().to_string(),
                reason: e.to_string(),
            })?;
            for entry in entries {
                let entry = entry.map_err(|e| PackError::Unreadable {
                    path: current.display().to_string(),
                    reason: e.to_string(),
                })?;
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                let kind = entry.file_type().map_err(|e| PackError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                if name.starts_with('.') {
                    continue;
                }
                if kind.is_dir() {
                    pending.push(path);
                } else if name.ends_with(".rego") {
                    let source =
                        std::fs::read_to_string(&path).map_err(|e| PackError::Unreadable {
                            path: path.display().to_string(),
                            reason: e.to_string(),
                        })?;
                    total += source.len() as u64;
                    if total > MAX_PACK_BYTES {
                        return Err(PackError::TooLarge {
                            path: shown,
                            limit_mb: MAX_PACK_BYTES / (1024 * 1024),
                        });
                    }
                    let relative = path.strip_prefix(dir).unwrap_or(&path);
                    let shown_path = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.push(PolicyFile::new(shown_path, source));
                }
            }
        }
        if files.is_empty() {
            return Err(PackError::Empty { path: shown });
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(shown);
        Ok(Pack::from_files(name, files))
    }

    /// The pack's checks: every package outside test files that defines `deny`.
    pub fn checks(&self) -> Vec<CheckInfo> {
        self.files
            .iter()
            .filter(|f| !f.is_test() && f.declarations.defines_deny)
            .filter_map(|f| {
                let (id, line) = f.declarations.package.clone()?;
                let (annotation, metadata_error) = match &f.declarations.annotation {
                    Some(Ok(a)) => (a.clone(), None),
                    Some(Err((message, at))) => (
                        Annotation::default(),
                        Some(format!("{}:{at}: {message}", f.path)),
                    ),
                    None => (Annotation::default(), None),
                };
                let custom = annotation.custom;
                let requires = if custom.requires.is_empty() && !custom.evidence.is_empty() {
                    vec![Requirement::AnyOf(custom.evidence.clone())]
                } else {
                    custom.requires
                };
                Some(CheckInfo {
                    title: annotation.title.unwrap_or_else(|| id.clone()),
                    description: annotation.description.unwrap_or_default(),
                    controls: custom.controls,
                    severity: custom.severity.unwrap_or(Severity::Medium),
                    evidence: custom.evidence,
                    requires,
                    remediation: custom.remediation.unwrap_or_default(),
                    file: f.path.clone(),
                    line,
                    metadata_error,
                    id,
                })
            })
            .collect()
    }

    /// Files other checks may import: packages outside test files that define no `deny`.
    pub(crate) fn libraries(&self) -> impl Iterator<Item = &PolicyFile> {
        self.files
            .iter()
            .filter(|f| !f.is_test() && !f.declarations.defines_deny)
    }
}
