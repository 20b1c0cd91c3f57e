//! Keys made for new records: `R-001`, `INC-2026-004`, each the next one not yet used.

use std::collections::BTreeSet;

/// `PREFIX-NNN`, one above the highest such key used.
pub(crate) fn sequential_key(prefix: &str, taken: &BTreeSet<String>) -> String {
    next(&format!("{prefix}-"), taken)
}

/// `PREFIX-YEAR-NNN`, numbered within the year.
pub(crate) fn yearly_key(prefix: &str, year: i32, taken: &BTreeSet<String>) -> String {
    next(&format!("{prefix}-{year}-"), taken)
}

fn next(stem: &str, taken: &BTreeSet<String>) -> String {
    let highest = taken
        .iter()
        .filter_map(|k| k.strip_prefix(stem)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{stem}{:03}", highest.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_highest_used() {
        let taken: BTreeSet<String> = ["R-001", "R-007", "INC-2025-009", "INC-2026-002", "R-x"]
            .map(String::from)
            .into();
        assert_eq!(sequential_key("R", &taken), "R-008");
        assert_eq!(yearly_key("INC", 2026, &taken), "INC-2026-003");
        assert_eq!(yearly_key("INC", 2027, &taken), "INC-2027-001");
        assert_eq!(sequential_key("F", &BTreeSet::new()), "F-001");
    }
}
