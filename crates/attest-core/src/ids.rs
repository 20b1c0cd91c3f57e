//! Identifiers and small values that cannot hold bad input: each is parsed once, at the edge.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why a value could not be parsed; the message names the value and the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "`{0}` is not a criterion ID: expected a SOC 2 ID such as CC6.1, A1.2, C1.1, PI1.3 or P6.7"
    )]
    Criterion(String),
    #[error(
        "`{0}` is not a control ID: expected 2 to 10 letters or digits starting with a letter, a dash, and 2 to 4 digits (e.g. IAM-06, ACME-001)"
    )]
    Control(String),
    #[error("`{0}` is not an email address: expected name@example.com")]
    Email(String),
    #[error(
        "`{0}` is not an org slug: use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit"
    )]
    Slug(String),
}

/// Implements the traits every ID shares: `Display`, `AsRef<str>`, `as_str`, and a
/// `Deserialize` that goes through `parse`, so bad data files fail to load.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A SOC 2 criterion ID in canonical form (`CC6.1`, `A1.2`, `PI1.5`, `P6.7`).
///
/// Parsing checks the shape and upper-cases; whether the ID exists is the catalog's business.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CriterionId(String);
string_newtype!(CriterionId);

impl CriterionId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let id = raw.trim().to_ascii_uppercase();
        let err = || IdError::Criterion(raw.to_string());
        let (series, number) = id.split_once('.').ok_or_else(err)?;
        let series_ok = match series {
            "A1" | "C1" | "PI1" => true,
            s if s.len() == 3 && s.starts_with("CC") => matches!(s.as_bytes()[2], b'1'..=b'9'),
            s if s.len() == 2 && s.starts_with('P') => matches!(s.as_bytes()[1], b'1'..=b'8'),
            _ => false,
        };
        let number_ok = (1..=2).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
            && !number.starts_with('0');
        if series_ok && number_ok {
            Ok(Self(id))
        } else {
            Err(err())
        }
    }

    /// The series this criterion belongs to (`CC6` for `CC6.1`).
    pub fn series(&self) -> &str {
        self.0.split_once('.').map_or(&self.0, |(s, _)| s)
    }

    /// A key that sorts criteria in catalog order (CC before A, C, PI, P; numbers numerically).
    pub fn sort_key(&self) -> (u8, u8, u8) {
        let series = self.series();
        let (family, rest) = if let Some(r) = series.strip_prefix("CC") {
            (0, r)
        } else if let Some(r) = series.strip_prefix("PI") {
            (3, r)
        } else if let Some(r) = series.strip_prefix('A') {
            (1, r)
        } else if let Some(r) = series.strip_prefix('C') {
            (2, r)
        } else {
            (4, series.trim_start_matches('P'))
        };
        let number = self.0.split_once('.').map_or("0", |(_, n)| n);
        (
            family,
            rest.parse().unwrap_or(0),
            number.parse().unwrap_or(0),
        )
    }
}

/// A control ID (`IAM-06`, or a custom `ACME-001`), upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ControlId(String);
string_newtype!(ControlId);

impl ControlId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let id = raw.trim().to_ascii_uppercase();
        let err = || IdError::Control(raw.to_string());
        let (prefix, number) = id.split_once('-').ok_or_else(err)?;
        let prefix_ok = (2..=10).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_alphanumeric())
            && prefix.as_bytes()[0].is_ascii_alphabetic();
        let number_ok =
            (2..=4).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        if prefix_ok && number_ok {
            Ok(Self(id))
        } else {
            Err(err())
        }
    }

    /// The domain prefix (`IAM` for `IAM-06`).
    pub fn prefix(&self) -> &str {
        self.0.split_once('-').map_or(&self.0, |(p, _)| p)
    }
}

/// An email address, lower-cased. The check is deliberately shallow (one `@`, a dot in the
/// domain, no spaces): its job is to catch typos such as a missing domain, not to be RFC 5322.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let email = raw.trim().to_ascii_lowercase();
        let err = || IdError::Email(raw.to_string());
        let (local, domain) = email.split_once('@').ok_or_else(err)?;
        let ok = !local.is_empty()
            && email.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok { Ok(Self(email)) } else { Err(err()) }
    }
}

/// An org's short name in URLs and on the command line (`northwind-cloud`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OrgSlug(String);
string_newtype!(OrgSlug);

impl OrgSlug {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let ok = (1..=63).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(IdError::Slug(raw.to_string()))
        }
    }

    /// Derives a slug from an org's display name ("Northwind Cloud, Inc." → `northwind-cloud-inc`).
    /// Returns `None` when the name has no letters or digits at all.
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = &slug[..slug.len().min(63)];
        Self::parse(slug.trim_end_matches('-')).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn criterion_ids_are_normalized_and_checked() {
        assert_eq!(CriterionId::parse(" cc6.1 ").unwrap().as_str(), "CC6.1");
        for good in [
            "CC1.1", "CC9.2", "A1.3", "C1.2", "PI1.5", "P1.1", "P8.1", "P6.7",
        ] {
            assert!(CriterionId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "", "CC6", "CC0.1", "PP1.1", "P9.1", "CC6.01", "CC6.1.1", "X1.1", "CC10.1", "A1.",
            "A1.x",
        ] {
            assert!(CriterionId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn criterion_sort_key_orders_like_the_catalog() {
        let mut ids: Vec<CriterionId> = [
            "P6.7", "PI1.1", "CC10.1", "C1.1", "A1.1", "CC9.2", "CC1.1", "P1.1", "CC6.10",
        ]
        .iter()
        .filter_map(|s| CriterionId::parse(s).ok())
        .collect();
        ids.sort_by_key(CriterionId::sort_key);
        let order: Vec<&str> = ids.iter().map(CriterionId::as_str).collect();
        assert_eq!(
            order,
            [
                "CC1.1", "CC6.10", "CC9.2", "A1.1", "C1.1", "PI1.1", "P1.1", "P6.7"
            ]
        );
    }

    #[test]
    fn control_ids_accept_library_and_custom_shapes() {
        assert_eq!(ControlId::parse("iam-06").unwrap().as_str(), "IAM-06");
        assert_eq!(ControlId::parse("ACME-001").unwrap().prefix(), "ACME");
        for bad in [
            "IAM06",
            "I-01",
            "IAM-1",
            "IAM-12345",
            "1AM-01",
            "IAM-0a",
            "IA M-01",
        ] {
            assert!(ControlId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_catch_common_typos() {
        assert_eq!(
            Email::parse("Ana@Example.COM").unwrap().as_str(),
            "ana@example.com"
        );
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana @example.com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_derive_from_names() {
        assert_eq!(
            OrgSlug::from_name("Northwind Cloud, Inc.")
                .unwrap()
                .as_str(),
            "northwind-cloud-inc"
        );
        assert_eq!(
            OrgSlug::from_name("  Ünïcode  Co ").unwrap().as_str(),
            "n-code-co"
        );
        assert!(OrgSlug::from_name("!!!").is_none());
    }

    #[test]
    fn deserialize_rejects_bad_ids() {
        let err = serde_json::from_str::<CriterionId>("\"PP1.1\"").unwrap_err();
        assert!(err.to_string().contains("not a criterion ID"), "{err}");
    }

    proptest! {
        #[test]
        fn criterion_parse_round_trips(series in "(CC[1-9]|A1|C1|PI1|P[1-8])", n in 1u8..=20) {
            let raw = format!("{series}.{n}");
            let id = CriterionId::parse(&raw.to_lowercase()).unwrap();
            prop_assert_eq!(id.as_str(), raw.as_str());
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<CriterionId>(&json).unwrap(), id);
        }

        #[test]
        fn slug_from_any_name_is_valid(name in "\\PC{0,80}") {
            if let Some(slug) = OrgSlug::from_name(&name) {
                prop_assert!(OrgSlug::parse(slug.as_str()).is_ok());
            }
        }
    }
}
