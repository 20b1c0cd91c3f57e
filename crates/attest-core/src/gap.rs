//! Gap analysis: the seed's preliminary assessment of an org against the criteria in its scope.
//!
//! Rules, in one place:
//! - A criterion out of scope is `not-in-scope`.
//! - In scope, with no mapped control: `gap`. With every mapped control not applicable:
//!   `not-applicable` (the report's "criteria not applicable, and why" section).
//! - Otherwise `met` when every applicable mapped control is implemented, `partial` when at
//!   least one is implemented or in progress, `gap` when none has started.
//! - A criterion's readiness is the share of its applicable controls that are implemented;
//!   a category's and the org's readiness are the mean over their assessed criteria, so each
//!   criterion weighs the same whatever the number of controls mapped to it.
//! - Design gaps are applicable controls, mapped to an in-scope criterion, that are not yet
//!   implemented.
//! - Operating gaps are implemented controls whose evidence does not show them operating now:
//!   missing, expired, or expiring within the last sixth of the control's cycle (see
//!   [`crate::freshness`]). A control still being designed has a design gap instead; design
//!   status never hides an operating gap and operating gaps never hide design gaps.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::Criterion;
use crate::control::ControlStatus;
use crate::evidence::Freshness;
use crate::ids::{ControlId, CriterionId, Email};
use crate::scope::{Category, Scope};

/// What the analysis needs to know about one of the org's controls.
#[derive(Debug, Clone, Copy)]
pub struct ControlInput<'a> {
    pub id: &'a ControlId,
    pub title: &'a str,
    pub status: ControlStatus,
    pub owner: Option<&'a Email>,
    pub criteria: &'a [CriterionId],
    /// Whether its evidence is current.
    pub freshness: Freshness,
    /// A policy it relies on that is past its review date.
    pub stale_policy: Option<StalePolicy<'a>>,
}

/// A published policy past its review date: the control it supports no longer shows it
/// operating, whatever its evidence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalePolicy<'a> {
    pub title: &'a str,
    /// The last day it was current.
    pub due: chrono::NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriterionStatus {
    Met,
    Partial,
    Gap,
    NotApplicable,
    NotInScope,
}

impl CriterionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionStatus::Met => "met",
            CriterionStatus::Partial => "partial",
            CriterionStatus::Gap => "gap",
            CriterionStatus::NotApplicable => "not-applicable",
            CriterionStatus::NotInScope => "not-in-scope",
        }
    }
}

/// One mapped control as seen from a criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappedControl {
    pub id: ControlId,
    pub status: ControlStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionGap {
    pub id: CriterionId,
    pub category: Category,
    pub title: String,
    pub status: CriterionStatus,
    /// `None` when the criterion is out of scope or not applicable.
    pub readiness_percent: Option<f64>,
    pub controls: Vec<MappedControl>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryReadiness {
    pub category: Category,
    pub in_scope: bool,
    /// `None` when out of scope or when every criterion in it is not applicable.
    pub readiness_percent: Option<f64>,
    pub met: usize,
    pub partial: usize,
    pub gap: usize,
    pub not_applicable: usize,
}

/// A control the org still has to put in place, ranked by what it would achieve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignGap {
    pub rank: usize,
    pub control_id: ControlId,
    pub title: String,
    pub status: ControlStatus,
    pub owner: Option<Email>,
    /// In-scope criteria that become `met` once this control alone is implemented.
    pub closes: Vec<CriterionId>,
    /// Every in-scope criterion this control maps to.
    pub supports: Vec<CriterionId>,
}

/// An implemented control whose evidence does not show it operating now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatingGap {
    pub control_id: ControlId,
    pub title: String,
    pub owner: Option<Email>,
    pub freshness: Freshness,
    /// In words, e.g. "evidence expired on 2026-07-01".
    pub reason: String,
    /// The title of a policy of the control that is past its review date.
    pub stale_policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapSummary {
    pub criteria_in_scope: usize,
    pub met: usize,
    pub partial: usize,
    pub gap: usize,
    pub not_applicable: usize,
    pub controls_applicable: usize,
    pub controls_implemented: usize,
    pub controls_without_owner: usize,
    /// Implemented controls with no evidence, with expired evidence, and with evidence about
    /// to expire.
    pub evidence_missing: usize,
    pub evidence_expired: usize,
    pub evidence_expiring: usize,
    /// Implemented controls whose policy is past its review date.
    pub policies_stale: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    pub readiness_percent: f64,
    pub scope: Scope,
    pub summary: GapSummary,
    pub categories: Vec<CategoryReadiness>,
    pub criteria: Vec<CriterionGap>,
    pub design_gaps: Vec<DesignGap>,
    pub operating_gaps: Vec<OperatingGap>,
}

/// Runs the gap analysis. `criteria` is the catalog, in catalog order; mappings to criteria
/// not in it are ignored (the application layer refuses them before they are stored).
pub fn analyze(criteria: &[Criterion], scope: &Scope, controls: &[ControlInput<'_>]) -> GapReport {
    let mut by_criterion: BTreeMap<&CriterionId, Vec<&ControlInput<'_>>> = BTreeMap::new();
    for control in controls {
        for criterion in control.criteria {
            by_criterion.entry(criterion).or_default().push(control);
        }
    }

    // Unrounded readiness (0..=1) per criterion, in step with `rows`: averages are taken over
    // these, and only the results are rounded for display.
    let mut fractions: Vec<Option<f64>> = Vec::with_capacity(criteria.len());
    let rows: Vec<CriterionGap> = criteria
        .iter()
        .map(|c| {
            let mapped = by_criterion
                .get(&c.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let (status, readiness) = if scope.contains(c.category) {
                assess(mapped)
            } else {
                (CriterionStatus::NotInScope, None)
            };
            let mut controls: Vec<MappedControl> = mapped
                .iter()
                .map(|m| MappedControl {
                    id: m.id.clone(),
                    status: m.status,
                })
                .collect();
            controls.sort_by(|a, b| a.id.cmp(&b.id));
            fractions.push(readiness);
            CriterionGap {
                id: c.id.clone(),
                category: c.category,
                title: c.title.clone(),
                status,
                readiness_percent: readiness.map(percent),
                controls,
            }
        })
        .collect();

    let categories = Category::ALL
        .iter()
        .map(|&cat| category_readiness(cat, scope, &rows, &fractions))
        .collect();
    let assessed: Vec<f64> = fractions.iter().flatten().copied().collect();
    let readiness_percent = mean(&assessed).map_or(0.0, percent);

    let in_scope = |c: &CriterionId| {
        rows.iter()
            .any(|r| &r.id == c && r.status != CriterionStatus::NotInScope)
    };
    let applicable: Vec<&ControlInput<'_>> = controls
        .iter()
        .filter(|c| c.status != ControlStatus::NotApplicable && c.criteria.iter().any(in_scope))
        .collect();

    let operating_gaps = operating_gaps(&applicable);
    let summary = GapSummary {
        criteria_in_scope: rows
            .iter()
            .filter(|r| r.status != CriterionStatus::NotInScope)
            .count(),
        met: count(&rows, CriterionStatus::Met),
        partial: count(&rows, CriterionStatus::Partial),
        gap: count(&rows, CriterionStatus::Gap),
        not_applicable: count(&rows, CriterionStatus::NotApplicable),
        controls_applicable: applicable.len(),
        controls_implemented: applicable
            .iter()
            .filter(|c| c.status == ControlStatus::Implemented)
            .count(),
        controls_without_owner: applicable.iter().filter(|c| c.owner.is_none()).count(),
        evidence_missing: count_freshness(&operating_gaps, |f| matches!(f, Freshness::Missing)),
        evidence_expired: count_freshness(&operating_gaps, |f| {
            matches!(f, Freshness::Expired { .. })
        }),
        evidence_expiring: count_freshness(&operating_gaps, |f| {
            matches!(f, Freshness::Expiring { .. })
        }),
        policies_stale: operating_gaps
            .iter()
            .filter(|g| g.stale_policy.is_some())
            .count(),
    };

    GapReport {
        readiness_percent,
        scope: scope.clone(),
        summary,
        categories,
        design_gaps: design_gaps(&applicable, &rows, &by_criterion),
        criteria: rows,
        operating_gaps,
    }
}

/// Implemented controls whose evidence is missing, expired or expiring: expired first (the
/// auditor will find those), then missing, then expiring, each by control id.
fn operating_gaps(applicable: &[&ControlInput<'_>]) -> Vec<OperatingGap> {
    let mut gaps: Vec<(u8, OperatingGap)> = applicable
        .iter()
        .filter(|c| c.status == ControlStatus::Implemented)
        .filter_map(|c| {
            let evidence = match c.freshness {
                Freshness::Expired { since } => Some((0, format!("evidence expired on {since}"))),
                Freshness::Missing => Some((1, "no evidence recorded".to_string())),
                Freshness::Expiring { until } => Some((2, format!("evidence runs out on {until}"))),
                Freshness::Fresh { .. } | Freshness::PerEvent => None,
            };
            let policy = c
                .stale_policy
                .map(|p| format!("policy “{}” was due for review on {}", p.title, p.due));
            let (order, reason) = match (evidence, &policy) {
                (None, None) => return None,
                (Some((order, reason)), None) => (order, reason),
                // A stale policy is found like expired evidence: first.
                (None, Some(policy)) => (0, policy.clone()),
                (Some((_, reason)), Some(policy)) => (0, format!("{reason}; {policy}")),
            };
            Some((
                order,
                OperatingGap {
                    control_id: c.id.clone(),
                    title: c.title.to_string(),
                    owner: c.owner.cloned(),
                    freshness: c.freshness,
                    reason,
                    stale_policy: c.stale_policy.map(|p| p.title.to_owned()),
                },
            ))
        })
        .collect();
    gaps.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.control_id.cmp(&y.control_id)));
    gaps.into_iter().map(|(_, gap)| gap).collect()
}

fn count_freshness(gaps: &[OperatingGap], pick: impl Fn(&Freshness) -> bool) -> usize {
    gaps.iter().filter(|g| pick(&g.freshness)).count()
}

/// Status and readiness (0..=1) of one in-scope criterion from its mapped controls.
fn assess(mapped: &[&ControlInput<'_>]) -> (CriterionStatus, Option<f64>) {
    if mapped.is_empty() {
        return (CriterionStatus::Gap, Some(0.0));
    }
    let applicable: Vec<_> = mapped
        .iter()
        .filter(|c| c.status != ControlStatus::NotApplicable)
        .collect();
    if applicable.is_empty() {
        return (CriterionStatus::NotApplicable, None);
    }
    let implemented = applicable
        .iter()
        .filter(|c| c.status == ControlStatus::Implemented)
        .count();
    let started = applicable
        .iter()
        .any(|c| c.status == ControlStatus::InProgress);
    let status = if implemented == applicable.len() {
        CriterionStatus::Met
    } else if implemented > 0 || started {
        CriterionStatus::Partial
    } else {
        CriterionStatus::Gap
    };
    (status, Some(implemented as f64 / applicable.len() as f64))
}

fn design_gaps(
    applicable: &[&ControlInput<'_>],
    rows: &[CriterionGap],
    by_criterion: &BTreeMap<&CriterionId, Vec<&ControlInput<'_>>>,
) -> Vec<DesignGap> {
    let row = |id: &CriterionId| rows.iter().find(|r| &r.id == id);
    let mut gaps: Vec<DesignGap> = applicable
        .iter()
        .filter(|c| c.status != ControlStatus::Implemented)
        .map(|c| {
            let mut supports: Vec<CriterionId> = c
                .criteria
                .iter()
                .filter(|id| row(id).is_some_and(|r| r.status != CriterionStatus::NotInScope))
                .cloned()
                .collect();
            supports.sort_by_key(CriterionId::sort_key);
            supports.dedup();
            // The criterion closes when this is the only applicable control still missing.
            let closes = supports
                .iter()
                .filter(|id| {
                    by_criterion.get(id).is_some_and(|mapped| {
                        mapped.iter().all(|m| {
                            m.id == c.id
                                || matches!(
                                    m.status,
                                    ControlStatus::Implemented | ControlStatus::NotApplicable
                                )
                        })
                    })
                })
                .cloned()
                .collect();
            DesignGap {
                rank: 0,
                control_id: c.id.clone(),
                title: c.title.to_string(),
                status: c.status,
                owner: c.owner.cloned(),
                closes,
                supports,
            }
        })
        .collect();
    // Most criteria closed first, then the widest reach, then work already started.
    gaps.sort_by(|a, b| {
        b.closes
            .len()
            .cmp(&a.closes.len())
            .then(b.supports.len().cmp(&a.supports.len()))
            .then(
                (b.status == ControlStatus::InProgress)
                    .cmp(&(a.status == ControlStatus::InProgress)),
            )
            .then(a.control_id.cmp(&b.control_id))
    });
    for (i, gap) in gaps.iter_mut().enumerate() {
        gap.rank = i + 1;
    }
    gaps
}

fn category_readiness(
    category: Category,
    scope: &Scope,
    rows: &[CriterionGap],
    fractions: &[Option<f64>],
) -> CategoryReadiness {
    let values: Vec<f64> = rows
        .iter()
        .zip(fractions)
        .filter(|(r, _)| r.category == category)
        .filter_map(|(_, f)| *f)
        .collect();
    let rows: Vec<&CriterionGap> = rows.iter().filter(|r| r.category == category).collect();
    let n = |s| rows.iter().filter(|r| r.status == s).count();
    CategoryReadiness {
        category,
        in_scope: scope.contains(category),
        readiness_percent: mean(&values).map(percent),
        met: n(CriterionStatus::Met),
        partial: n(CriterionStatus::Partial),
        gap: n(CriterionStatus::Gap),
        not_applicable: n(CriterionStatus::NotApplicable),
    }
}

fn count(rows: &[CriterionGap], status: CriterionStatus) -> usize {
    rows.iter().filter(|r| r.status == status).count()
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn percent(fraction: f64) -> f64 {
    round1(fraction * 100.0)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn criterion(id: &str, category: Category) -> Criterion {
        Criterion {
            id: CriterionId::parse(id).unwrap(),
            category,
            group: id.split('.').next().unwrap().to_string(),
            title: format!("Title of {id}"),
            guidance: String::new(),
            auditor_inspects: Vec::new(),
        }
    }

    struct Owned {
        id: ControlId,
        status: ControlStatus,
        owner: Option<Email>,
        criteria: Vec<CriterionId>,
        freshness: Freshness,
    }

    /// A control whose evidence raises no operating gap, unless a test says otherwise.
    fn control(id: &str, status: ControlStatus, criteria: &[&str]) -> Owned {
        Owned {
            id: ControlId::parse(id).unwrap(),
            status,
            owner: None,
            freshness: Freshness::PerEvent,
            criteria: criteria
                .iter()
                .map(|c| CriterionId::parse(c).unwrap())
                .collect(),
        }
    }

    fn run(criteria: &[Criterion], scope: &Scope, owned: &[Owned]) -> GapReport {
        let inputs: Vec<ControlInput<'_>> = owned
            .iter()
            .map(|o| ControlInput {
                id: &o.id,
                title: "t",
                status: o.status,
                owner: o.owner.as_ref(),
                criteria: &o.criteria,
                freshness: o.freshness,
                stale_policy: None,
            })
            .collect();
        analyze(criteria, scope, &inputs)
    }

    #[test]
    fn a_stale_policy_is_an_operating_gap_even_with_current_evidence() {
        let id = ControlId::parse("GOV-01").unwrap();
        let criteria_ids = [CriterionId::parse("CC5.3").unwrap()];
        let crit = vec![criterion("CC5.3", Category::Security)];
        let due: chrono::NaiveDate = "2026-03-31".parse().unwrap();
        let input = |stale| ControlInput {
            id: &id,
            title: "Policies approved and reviewed",
            status: ControlStatus::Implemented,
            owner: None,
            criteria: &criteria_ids,
            freshness: Freshness::PerEvent,
            stale_policy: stale,
        };
        let scope = Scope::security_only();
        assert!(
            analyze(&crit, &scope, &[input(None)])
                .operating_gaps
                .is_empty()
        );
        let stale = StalePolicy {
            title: "Information Security Policy",
            due,
        };
        let report = analyze(&crit, &scope, &[input(Some(stale))]);
        assert_eq!(report.summary.policies_stale, 1);
        assert_eq!(
            report.operating_gaps[0].reason,
            "policy “Information Security Policy” was due for review on 2026-03-31"
        );
    }

    fn status_of(report: &GapReport, id: &str) -> CriterionStatus {
        report
            .criteria
            .iter()
            .find(|c| c.id.as_str() == id)
            .unwrap()
            .status
    }

    fn catalog() -> Vec<Criterion> {
        vec![
            criterion("CC6.1", Category::Security),
            criterion("CC6.4", Category::Security),
            criterion("CC8.1", Category::Security),
            criterion("CC9.1", Category::Security),
            criterion("A1.2", Category::Availability),
        ]
    }

    use ControlStatus::*;

    #[test]
    fn criterion_statuses_follow_the_rules() {
        let report = run(
            &catalog(),
            &Scope::security_only(),
            &[
                control("IAM-06", Implemented, &["CC6.1"]),
                control("IAM-07", Implemented, &["CC6.1"]),
                control("PHY-01", NotApplicable, &["CC6.4"]),
                control("CHG-02", InProgress, &["CC8.1"]),
                control("CHG-03", NotStarted, &["CC8.1"]),
                control("BCP-03", NotStarted, &["A1.2"]),
            ],
        );
        assert_eq!(status_of(&report, "CC6.1"), CriterionStatus::Met);
        assert_eq!(status_of(&report, "CC6.4"), CriterionStatus::NotApplicable);
        assert_eq!(status_of(&report, "CC8.1"), CriterionStatus::Partial);
        assert_eq!(
            status_of(&report, "CC9.1"),
            CriterionStatus::Gap,
            "no control mapped is a gap"
        );
        assert_eq!(status_of(&report, "A1.2"), CriterionStatus::NotInScope);
    }

    #[test]
    fn readiness_averages_assessed_criteria_only() {
        let report = run(
            &catalog(),
            &Scope::security_only(),
            &[
                control("IAM-06", Implemented, &["CC6.1"]),
                control("PHY-01", NotApplicable, &["CC6.4"]),
                control("CHG-02", Implemented, &["CC8.1"]),
                control("CHG-03", NotStarted, &["CC8.1"]),
            ],
        );
        // CC6.1 = 100, CC8.1 = 50, CC9.1 = 0 (nothing mapped); CC6.4 not applicable is left out.
        assert_eq!(report.readiness_percent, 50.0);
        let security = &report.categories[0];
        assert_eq!(
            (
                security.met,
                security.partial,
                security.gap,
                security.not_applicable
            ),
            (1, 1, 1, 1)
        );
        let availability = report
            .categories
            .iter()
            .find(|c| c.category == Category::Availability)
            .unwrap();
        assert!(!availability.in_scope);
        assert_eq!(availability.readiness_percent, None);
    }

    #[test]
    fn design_gaps_rank_controls_that_close_criteria_first() {
        let report = run(
            &catalog(),
            &Scope::new([Category::Availability]),
            &[
                control("CHG-02", Implemented, &["CC8.1"]),
                control("CHG-03", NotStarted, &["CC8.1"]),
                control("WIDE-01", NotStarted, &["CC6.1", "CC9.1", "A1.2"]),
                control("IAM-07", NotStarted, &["CC6.1"]),
                control("PRV-01", NotStarted, &["P1.1"]),
            ],
        );
        let ids: Vec<&str> = report
            .design_gaps
            .iter()
            .map(|g| g.control_id.as_str())
            .collect();
        // WIDE-01 closes CC9.1 and A1.2 alone; CHG-03 closes CC8.1; IAM-07 closes nothing alone.
        // PRV-01 maps only to a criterion outside the catalog and scope, so it is no gap.
        assert_eq!(ids, ["WIDE-01", "CHG-03", "IAM-07"]);
        assert_eq!(report.design_gaps[0].closes.len(), 2);
        assert_eq!(report.design_gaps[0].rank, 1);
        assert!(report.operating_gaps.is_empty());
    }

    #[test]
    fn implemented_controls_without_current_evidence_are_operating_gaps() {
        let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
        let with = |mut c: Owned, f: Freshness| {
            c.freshness = f;
            c
        };
        let report = run(
            &catalog(),
            &Scope::security_only(),
            &[
                with(
                    control("IAM-01", Implemented, &["CC6.1"]),
                    Freshness::Missing,
                ),
                with(
                    control("IAM-02", Implemented, &["CC6.1"]),
                    Freshness::Expiring {
                        until: day("2026-12-01"),
                    },
                ),
                with(
                    control("IAM-03", Implemented, &["CC6.1"]),
                    Freshness::Expired {
                        since: day("2026-10-01"),
                    },
                ),
                with(
                    control("IAM-04", Implemented, &["CC6.1"]),
                    Freshness::Fresh {
                        until: day("2027-01-01"),
                    },
                ),
                // Still being designed: a design gap, not an operating one.
                with(
                    control("IAM-05", InProgress, &["CC6.1"]),
                    Freshness::Missing,
                ),
                // Out of scope and not applicable controls are never gaps.
                with(
                    control("AVL-01", Implemented, &["A1.2"]),
                    Freshness::Missing,
                ),
                with(
                    control("IAM-06", NotApplicable, &["CC6.1"]),
                    Freshness::Missing,
                ),
            ],
        );
        let gaps: Vec<(&str, &str)> = report
            .operating_gaps
            .iter()
            .map(|g| (g.control_id.as_str(), g.reason.as_str()))
            .collect();
        assert_eq!(
            gaps,
            [
                ("IAM-03", "evidence expired on 2026-10-01"),
                ("IAM-01", "no evidence recorded"),
                ("IAM-02", "evidence runs out on 2026-12-01"),
            ]
        );
        let s = &report.summary;
        assert_eq!(
            (s.evidence_expired, s.evidence_missing, s.evidence_expiring),
            (1, 1, 1)
        );
        // Operating gaps never hide the design gap of a control still in progress.
        assert!(
            report
                .design_gaps
                .iter()
                .any(|g| g.control_id.as_str() == "IAM-05")
        );
    }

    #[test]
    fn controls_for_out_of_scope_criteria_are_not_gaps() {
        let report = run(
            &catalog(),
            &Scope::security_only(),
            &[control("BCP-03", NotStarted, &["A1.2"])],
        );
        assert!(report.design_gaps.is_empty());
        assert_eq!(report.summary.controls_applicable, 0);
    }

    fn status_strategy() -> impl Strategy<Value = ControlStatus> {
        prop_oneof![
            Just(NotStarted),
            Just(InProgress),
            Just(Implemented),
            Just(NotApplicable)
        ]
    }

    proptest! {
        #[test]
        fn readiness_is_a_percentage_and_full_when_all_implemented(
            statuses in proptest::collection::vec(status_strategy(), 1..12),
        ) {
            let cat = catalog();
            let owned: Vec<Owned> = statuses.iter().enumerate().map(|(i, s)| {
                let c = &cat[i % cat.len()];
                control(&format!("CTL-{i:02}"), *s, &[c.id.as_str()])
            }).collect();
            let scope = Scope::new([Category::Availability]);
            let report = run(&cat, &scope, &owned);
            prop_assert!((0.0..=100.0).contains(&report.readiness_percent));

            let all_done: Vec<Owned> = owned.iter().map(|o| control(o.id.as_str(), Implemented,
                &o.criteria.iter().map(CriterionId::as_str).collect::<Vec<_>>())).collect();
            let done = run(&cat, &scope, &all_done);
            prop_assert!(done.design_gaps.is_empty());
            // Criteria with no control stay gaps; every other one is met, at 100%.
            for row in done.criteria.iter().filter(|r| r.status == CriterionStatus::Met) {
                prop_assert_eq!(row.readiness_percent, Some(100.0));
            }
            let mapped = cat.iter().filter(|c| all_done.iter().any(|o| o.criteria.contains(&c.id))).count();
            if mapped == cat.len() {
                prop_assert_eq!(done.readiness_percent, 100.0);
            }
            for row in &done.criteria {
                prop_assert!(matches!(row.status, CriterionStatus::Met | CriterionStatus::Gap));
            }
        }

        #[test]
        fn implementing_a_control_never_lowers_readiness(
            statuses in proptest::collection::vec(status_strategy(), 1..12),
            pick in 0usize..12,
        ) {
            let cat = catalog();
            let make = |statuses: &[ControlStatus]| -> Vec<Owned> {
                statuses.iter().enumerate().map(|(i, s)| {
                    let a = &cat[i % cat.len()];
                    let b = &cat[(i * 3 + 1) % cat.len()];
                    control(&format!("CTL-{i:02}"), *s, &[a.id.as_str(), b.id.as_str()])
                }).collect()
            };
            let scope = Scope::new([Category::Availability]);
            let before = run(&cat, &scope, &make(&statuses));
            let mut improved = statuses.clone();
            let i = pick % improved.len();
            if improved[i] != NotApplicable {
                improved[i] = Implemented;
            }
            let after = run(&cat, &scope, &make(&improved));
            prop_assert!(after.readiness_percent >= before.readiness_percent);
            prop_assert!(after.design_gaps.len() <= before.design_gaps.len());
        }
    }
}
