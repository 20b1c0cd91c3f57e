//! What the registers (risks, vendors, incidents, systems and data flows) share: the key a
//! record is known by, the 1–5 rating of likelihood and impact, and the data classification.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::control::kebab_enum;

/// The key a register record is known by: `R-014`, `aws`, `INC-2026-003`, `orders-db`.
/// Letters, digits, `.`, `_` and `-`, 1 to 64 of them, starting with a letter or digit, so it
/// can sit in a URL, a CSV cell and a command line as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RecordKey(String);

impl RecordKey {
    pub fn parse(raw: &str) -> Result<RecordKey, String> {
        let key = raw.trim();
        let ok = (1..=64).contains(&key.len())
            && key.starts_with(|c: char| c.is_ascii_alphanumeric())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(RecordKey(key.to_owned()))
        } else {
            Err(format!(
                "`{key}` is not a record key: use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. R-014, aws, orders-db)"
            ))
        }
    }

    /// A key made from a name: lowercase letters and digits, other runs of characters as one
    /// dash (`Amazon Web Services` → `amazon-web-services`); `None` when nothing is left.
    pub fn slug_of(name: &str) -> Option<RecordKey> {
        let mut slug = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = &slug[..slug.len().min(64)];
        RecordKey::parse(slug.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RecordKey {
    type Err = String;
    fn from_str(raw: &str) -> Result<RecordKey, String> {
        RecordKey::parse(raw)
    }
}

impl<'de> Deserialize<'de> for RecordKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RecordKey::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A likelihood or an impact on the 1 (rare, negligible) to 5 (almost certain, severe) scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub const ALL: [Rating; 5] = [Rating(1), Rating(2), Rating(3), Rating(4), Rating(5)];

    pub fn new(value: u8) -> Result<Rating, String> {
        if (1..=5).contains(&value) {
            Ok(Rating(value))
        } else {
            Err(format!(
                "`{value}` is not a rating: use a whole number from 1 to 5"
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for Rating {
    type Err = String;
    fn from_str(raw: &str) -> Result<Rating, String> {
        raw.trim()
            .parse::<u8>()
            .map_err(|_| {
                format!(
                    "`{}` is not a rating: use a whole number from 1 to 5",
                    raw.trim()
                )
            })
            .and_then(Rating::new)
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Rating::new(u8::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

kebab_enum!(
    /// How sensitive data is, from the data classification policy (DAT-01). A system is
    /// classified by the most sensitive data it holds; a vendor by the most sensitive data it
    /// can reach.
    Classification, "data classification" {
        Public => "public",
        Internal => "internal",
        Confidential => "confidential",
        /// Customer data, personal data, credentials and secrets.
        Restricted => "restricted",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_url_and_csv_safe() {
        assert!(RecordKey::parse("INC-2026-003").is_ok());
        assert!(RecordKey::parse("orders_db.v2").is_ok());
        for bad in ["", "-x", "a b", "a/b", "é", &"x".repeat(65)] {
            assert!(RecordKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_made_from_names() {
        let slug = |n| RecordKey::slug_of(n).map(|k| k.to_string());
        assert_eq!(
            slug("Amazon Web Services").as_deref(),
            Some("amazon-web-services")
        );
        assert_eq!(
            slug("  Google (Workspace)! ").as_deref(),
            Some("google-workspace")
        );
        assert_eq!(slug("!!!"), None);
    }

    #[test]
    fn ratings_run_from_one_to_five() {
        assert_eq!("3".parse::<Rating>().map(Rating::get), Ok(3));
        assert!("0".parse::<Rating>().is_err());
        assert!("6".parse::<Rating>().is_err());
        assert!("high".parse::<Rating>().is_err());
        assert!(serde_json::from_str::<Rating>("9").is_err());
    }
}
