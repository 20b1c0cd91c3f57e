//! Small helpers for form input: empty fields, checkboxes, dates, URL encoding.

use chrono::NaiveDate;

use crate::error::WebError;

/// A form field that may be left empty: `None` when blank.
pub(crate) fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An HTML checkbox: present ("on") when ticked, absent otherwise.
pub(crate) fn checked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| v == "on" || v == "true")
}

/// The scope a form's category checkboxes choose (Security is always in).
pub(crate) fn scope(
    availability: &Option<String>,
    processing_integrity: &Option<String>,
    confidentiality: &Option<String>,
    privacy: &Option<String>,
) -> attest_core::Scope {
    use attest_core::Category;
    attest_core::Scope::new(
        [
            (availability, Category::Availability),
            (processing_integrity, Category::ProcessingIntegrity),
            (confidentiality, Category::Confidentiality),
            (privacy, Category::Privacy),
        ]
        .into_iter()
        .filter(|(field, _)| checked(field))
        .map(|(_, category)| category),
    )
}

/// A date from an `<input type=date>` (YYYY-MM-DD), or none when blank.
pub(crate) fn date(value: &Option<String>, field: &str) -> Result<Option<NaiveDate>, WebError> {
    non_empty(value)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                WebError::bad_request(format!("{field} `{v}` is not a date; use YYYY-MM-DD"))
            })
        })
        .transpose()
}

/// Percent-encodes a URL component (query values such as `next=`).
pub(crate) fn encode_component(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `next=` target after sign-in: only a local path, never another site. Whitespace and
/// control characters are refused outright: browsers drop a tab or newline from a redirect
/// target, which would turn `/<tab>/evil.example` into `//evil.example`.
pub(crate) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(local_path(Some("/o/acme/controls")), "/o/acme/controls");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("/\t/evil.example")), "/");
        assert_eq!(local_path(Some("/\n/evil.example")), "/");
        assert_eq!(local_path(Some("/ /evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }
}
