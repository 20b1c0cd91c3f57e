//! The criteria and the control library.

use std::collections::{BTreeMap, BTreeSet};

use attest_content::Catalog;
use attest_core::{Category, RiskCategory};

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("embedded content must load: {e}"))
}

#[test]
fn there_are_61_unique_criteria_with_the_right_category_counts() {
    let criteria = &catalog().criteria;
    let ids: BTreeSet<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(criteria.len(), 61);
    assert_eq!(ids.len(), 61, "criterion IDs must be unique");
    let mut counts = BTreeMap::new();
    for c in criteria {
        *counts.entry(c.category).or_insert(0) += 1;
    }
    assert_eq!(counts[&Category::Security], 33);
    assert_eq!(counts[&Category::Availability], 3);
    assert_eq!(counts[&Category::Confidentiality], 2);
    assert_eq!(counts[&Category::ProcessingIntegrity], 5);
    assert_eq!(counts[&Category::Privacy], 18);
}

#[test]
fn the_criteria_are_exactly_the_soc2_set() {
    // Guards against the errors seen in other tools: a missing C1.2, a duplicated P3.2,
    // PI IDs typed as PP1.x, a stray P1.2.
    let expected: Vec<String> = [
        ("CC1", 5),
        ("CC2", 3),
        ("CC3", 4),
        ("CC4", 2),
        ("CC5", 3),
        ("CC6", 8),
        ("CC7", 5),
        ("CC8", 1),
        ("CC9", 2),
        ("A1", 3),
        ("C1", 2),
        ("PI1", 5),
        ("P1", 1),
        ("P2", 1),
        ("P3", 2),
        ("P4", 3),
        ("P5", 2),
        ("P6", 7),
        ("P7", 1),
        ("P8", 1),
    ]
    .iter()
    .flat_map(|(series, n)| (1..=*n).map(move |i| format!("{series}.{i}")))
    .collect();
    let actual: Vec<String> = catalog()
        .criteria
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(
        actual, expected,
        "criteria must be the SOC 2 set, in catalog order"
    );
}

#[test]
fn every_criterion_has_guidance_and_what_an_auditor_inspects() {
    for c in &catalog().criteria {
        assert!(
            !c.title.trim().is_empty() && c.title.len() <= 80,
            "{}: title",
            c.id
        );
        assert!(
            c.guidance.split_whitespace().count() >= 30,
            "{}: guidance is too thin",
            c.id
        );
        assert!(
            c.auditor_inspects.len() >= 2,
            "{}: list what an auditor inspects",
            c.id
        );
        assert!(catalog().group(&c.group).is_some(), "{}: group", c.id);
    }
}

#[test]
fn every_criterion_is_covered_by_at_least_one_control() {
    let cat = catalog();
    let uncovered: Vec<&str> = cat
        .criteria
        .iter()
        .filter(|c| cat.controls_for_criterion(&c.id).next().is_none())
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        uncovered.is_empty(),
        "criteria with no control: {uncovered:?}"
    );
}

#[test]
fn the_library_has_at_least_100_complete_controls() {
    let controls = &catalog().controls;
    assert!(controls.len() >= 100, "only {} controls", controls.len());
    let ids: BTreeSet<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), controls.len(), "control IDs must be unique");
    for c in controls {
        assert!(
            !c.title.trim().is_empty() && c.title.len() <= 90,
            "{}: title",
            c.id
        );
        assert!(
            c.statement.split_whitespace().count() >= 12,
            "{}: statement is too thin",
            c.id
        );
        assert!(!c.guidance.trim().is_empty(), "{}: guidance", c.id);
        assert!(!c.evidence.is_empty(), "{}: evidence guidance", c.id);
        assert!(!c.criteria.is_empty(), "{}: maps to no criterion", c.id);
        assert!(!c.domain.is_empty(), "{}: domain", c.id);
    }
}

#[test]
fn the_library_uses_all_four_kinds_of_control() {
    use attest_core::ControlKind;
    let kinds: BTreeSet<ControlKind> = catalog().controls.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds.len(),
        ControlKind::ALL.len(),
        "the seed's four kinds: {kinds:?}"
    );
}

/// Phrases that mark AICPA criterion or points-of-focus text. Our content is written in our own
/// words; if one of these appears, someone pasted licensed text.
const AICPA_MARKERS: [&str; 5] = [
    "the entity",
    "entity's objectives",
    "entity’s objectives",
    "coso principle",
    "points of focus",
];

#[test]
fn no_shipped_text_reads_like_aicpa_text() {
    let cat = catalog();
    let mut texts: Vec<(String, String)> = Vec::new();
    for c in &cat.criteria {
        texts.push((
            c.id.to_string(),
            format!(
                "{} {} {}",
                c.title,
                c.guidance,
                c.auditor_inspects.join(" ")
            ),
        ));
    }
    for g in &cat.groups {
        texts.push((g.id.clone(), format!("{} {}", g.title, g.summary)));
    }
    for c in &cat.controls {
        texts.push((
            c.id.to_string(),
            format!(
                "{} {} {} {}",
                c.title,
                c.statement,
                c.guidance,
                c.evidence.join(" ")
            ),
        ));
    }
    for p in &cat.policies {
        texts.push((
            p.id.clone(),
            format!("{} {} {}", p.title, p.summary, p.body),
        ));
    }
    for r in &cat.risks {
        texts.push((
            r.id.clone(),
            format!("{} {} {}", r.title, r.threat, r.description),
        ));
    }
    for (id, text) in texts {
        let lower = text.to_lowercase();
        for marker in AICPA_MARKERS {
            assert!(
                !lower.contains(marker),
                "{id} contains `{marker}`: write it in our own words"
            );
        }
    }
}

#[test]
fn the_training_covers_the_six_topics_each_with_a_quiz_that_can_be_passed() {
    let catalog = Catalog::embedded().unwrap();
    let ids: Vec<&str> = catalog.training.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "acceptable-use",
            "handling-confidential-data",
            "passwords-mfa",
            "phishing-social-engineering",
            "reporting-incidents",
            "secure-development",
        ]
    );
    for m in &catalog.training {
        assert!(
            m.controls.iter().any(|c| c.as_str() == "HR-05"),
            "{}: supports the training control",
            m.id
        );
        assert!(m.body.starts_with(&format!("# {}", m.title)), "{}", m.id);
        assert!(m.quiz.len() >= 5, "{}: a real quiz", m.id);
        // Right answers pass; always picking the first option does not.
        let right: Vec<usize> = m.quiz.iter().map(|q| q.answer).collect();
        assert_eq!(attest_content::mark(m, &right).0, 100, "{}", m.id);
        let first = vec![0; m.quiz.len()];
        assert!(
            !attest_content::mark(m, &first).1,
            "{}: the answers vary",
            m.id
        );
    }
    let engineers = catalog
        .training
        .iter()
        .find(|m| m.id == "secure-development")
        .unwrap();
    assert_eq!(engineers.audience.to_string(), "departments:Engineering");
}

#[test]
fn the_risk_library_covers_every_category_with_fraud_and_change_risks() {
    let cat = catalog();
    assert!(cat.risks.len() >= 40, "{} risks", cat.risks.len());
    let mut per_category: BTreeMap<RiskCategory, usize> = BTreeMap::new();
    for risk in &cat.risks {
        *per_category.entry(risk.category).or_default() += 1;
        assert!(!risk.controls.is_empty(), "{} names no control", risk.id);
    }
    for category in RiskCategory::ALL {
        assert!(
            per_category.get(category).copied().unwrap_or(0) >= 2,
            "the library needs at least two {category} risks"
        );
    }
    // CC3.3 asks the assessment to consider fraud explicitly.
    assert!(per_category[&RiskCategory::Fraud] >= 5);
    // A library rated all alike would make every heatmap one cell.
    let scores: BTreeSet<u8> = cat
        .risks
        .iter()
        .map(|r| r.likelihood.get() * r.impact.get())
        .collect();
    assert!(scores.len() >= 8, "scores used: {scores:?}");
}
