//! The five Trust Services Criteria categories and an org's audit scope over them.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A Trust Services Criteria category. Security (the common criteria) is always in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Security,
    Availability,
    Confidentiality,
    ProcessingIntegrity,
    Privacy,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Security,
        Category::Availability,
        Category::Confidentiality,
        Category::ProcessingIntegrity,
        Category::Privacy,
    ];

    /// The stable machine name used in the CLI and JSON (`processing-integrity`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Availability => "availability",
            Category::Confidentiality => "confidentiality",
            Category::ProcessingIntegrity => "processing-integrity",
            Category::Privacy => "privacy",
        }
    }

    /// The name a person reads (`Processing Integrity`).
    pub fn label(self) -> &'static str {
        match self {
            Category::Security => "Security",
            Category::Availability => "Availability",
            Category::Confidentiality => "Confidentiality",
            Category::ProcessingIntegrity => "Processing Integrity",
            Category::Privacy => "Privacy",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error(
        "`{0}` is not a Trust Services category: use security, availability, confidentiality, processing-integrity or privacy"
    )]
    UnknownCategory(String),
}

impl std::str::FromStr for Category {
    type Err = ScopeError;
    fn from_str(raw: &str) -> Result<Self, ScopeError> {
        let norm = raw.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == norm)
            .ok_or_else(|| ScopeError::UnknownCategory(raw.trim().to_string()))
    }
}

/// The categories an org's SOC 2 report covers. Always contains Security: a SOC 2 report
/// without the common criteria does not exist, so the type makes it impossible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Scope(BTreeSet<Category>);

impl Scope {
    /// Security alone, the smallest report there is.
    pub fn security_only() -> Self {
        Self(BTreeSet::from([Category::Security]))
    }

    /// Builds a scope from any categories; Security is added if missing.
    pub fn new(categories: impl IntoIterator<Item = Category>) -> Self {
        let mut set: BTreeSet<Category> = categories.into_iter().collect();
        set.insert(Category::Security);
        Self(set)
    }

    /// Parses a comma-separated list such as `security,availability`.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        let categories = raw
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Category>, _>>()?;
        Ok(Self::new(categories))
    }

    pub fn contains(&self, category: Category) -> bool {
        self.0.contains(&category)
    }

    pub fn iter(&self) -> impl Iterator<Item = Category> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Scope {
    /// The canonical comma-separated form, which `parse` reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Category::as_str).collect();
        f.write_str(&names.join(","))
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::new(Vec::<Category>::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_is_always_in_scope() {
        let scope = Scope::parse("availability, Privacy").unwrap();
        assert!(scope.contains(Category::Security));
        assert_eq!(scope.to_string(), "security,availability,privacy");
        assert_eq!(Scope::parse("").unwrap(), Scope::security_only());
    }

    #[test]
    fn unknown_category_names_the_value_and_the_choices() {
        let err = Scope::parse("security,avail").unwrap_err().to_string();
        assert!(
            err.contains("`avail`") && err.contains("processing-integrity"),
            "{err}"
        );
    }

    #[test]
    fn display_round_trips() {
        let scope = Scope::parse("processing_integrity,confidentiality").unwrap();
        assert_eq!(Scope::parse(&scope.to_string()).unwrap(), scope);
    }
}
