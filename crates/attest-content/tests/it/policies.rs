//! Policy templates.

use attest_content::{Catalog, POLICY_VARIABLES, PolicyVars, render_policy};

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("embedded content must load: {e}"))
}

fn vars() -> PolicyVars {
    PolicyVars {
        company_name: "Northwind Cloud".into(),
        policy_owner: "Ana Ruiz, Security Lead".into(),
        approver: "Sam Okafor, CEO".into(),
        effective_date: "2026-01-15".into(),
        review_cadence: "12 months".into(),
        version: "1.0".into(),
    }
}

const REQUIRED_SECTIONS: [&str; 7] = [
    "## Purpose",
    "## Scope",
    "## Roles and responsibilities",
    "## Policy statements",
    "## Exceptions",
    "## Enforcement",
    "## Review",
];

#[test]
fn there_are_at_least_20_policies_each_naming_controls() {
    let policies = &catalog().policies;
    assert!(policies.len() >= 20, "only {} policies", policies.len());
    for p in policies {
        assert!(!p.controls.is_empty(), "{} names no control", p.id);
        for id in &p.controls {
            assert!(
                catalog().control(id).is_some(),
                "{} names unknown control {id}",
                p.id
            );
        }
    }
}

#[test]
fn every_policy_has_the_sections_an_auditor_expects_in_order() {
    for p in &catalog().policies {
        let headings: Vec<&str> = p
            .body
            .lines()
            .filter(|l| l.starts_with("## "))
            .map(str::trim_end)
            .collect();
        let mut at = 0;
        for section in REQUIRED_SECTIONS {
            let found = headings[at..].iter().position(|h| *h == section);
            assert!(
                found.is_some(),
                "{}: `{section}` missing or out of order (headings: {headings:?})",
                p.id
            );
            at += found.unwrap_or(0) + 1;
        }
    }
}

#[test]
fn every_policy_renders_with_all_variables_filled_in() {
    for p in &catalog().policies {
        let text = render_policy(p, &vars()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.contains("Northwind Cloud"),
            "{}: company name not used",
            p.id
        );
        assert!(
            !text.contains("{{") && !text.contains("{%"),
            "{}: unrendered template syntax",
            p.id
        );
        // Names such as `version` are ordinary words; those with an underscore are not.
        for v in POLICY_VARIABLES.iter().filter(|v| v.contains('_')) {
            assert!(
                !text.contains(v),
                "{}: variable name `{v}` left in the text",
                p.id
            );
        }
    }
}

#[test]
fn every_policy_uses_the_review_and_approval_variables() {
    for p in &catalog().policies {
        for v in [
            "policy_owner",
            "approver",
            "effective_date",
            "review_cadence",
            "version",
        ] {
            assert!(
                p.body.contains(&format!("{{{{ {v} }}}}")),
                "{}: does not show {v}",
                p.id
            );
        }
    }
}

#[test]
fn most_controls_are_backed_by_a_policy() {
    let cat = catalog();
    let orphans: Vec<&str> = cat
        .controls
        .iter()
        .filter(|c| cat.policies_for_control(&c.id).next().is_none())
        .map(|c| c.id.as_str())
        .collect();
    // Every control should trace to a written policy an auditor can read.
    assert!(orphans.is_empty(), "controls no policy names: {orphans:?}");
}
