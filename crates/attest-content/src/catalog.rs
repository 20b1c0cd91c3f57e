//! The embedded catalog: criteria, library controls and policy templates, parsed and checked.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use attest_core::{
    ControlId, Criterion, CriterionGroup, CriterionId, LibraryControl, PolicyTemplate,
};
use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::error::ContentError;
use crate::policy;

pub(crate) static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../content");

static EMBEDDED: LazyLock<Result<Catalog, ContentError>> =
    LazyLock::new(|| Catalog::from_dir(&CONTENT));

const CRITERIA_FILE: &str = "soc2/criteria.yaml";
const CONTROLS_DIR: &str = "soc2/controls";
const POLICIES_DIR: &str = "policies";
const TRAINING_DIR: &str = "training";
const RISKS_FILE: &str = "risks/library.yaml";

/// Everything Attest knows about SOC 2 before it knows anything about an org.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub groups: Vec<CriterionGroup>,
    /// In catalog order: CC1.1 … CC9.2, A1, C1, PI1, P1 … P8.
    pub criteria: Vec<Criterion>,
    /// Sorted by ID.
    pub controls: Vec<LibraryControl>,
    /// Sorted by ID.
    pub policies: Vec<PolicyTemplate>,
    /// The built-in security awareness training, sorted by ID.
    pub training: Vec<crate::training::TrainingModule>,
    /// The risk library, sorted by ID.
    pub risks: Vec<crate::risks::LibraryRisk>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    groups: Vec<CriterionGroup>,
    criteria: Vec<Criterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlsFile {
    domain: String,
    title: String,
    controls: Vec<LibraryControl>,
}

impl Catalog {
    /// The catalog compiled into this binary, parsed on first use.
    pub fn embedded() -> Result<&'static Catalog, ContentError> {
        EMBEDDED.as_ref().map_err(Clone::clone)
    }

    fn from_dir(dir: &Dir<'_>) -> Result<Self, ContentError> {
        let criteria_file: CriteriaFile = parse_yaml(dir, CRITERIA_FILE)?;
        let mut criteria = criteria_file.criteria;
        criteria.sort_by_key(|c| c.id.sort_key());

        let mut controls = Vec::new();
        let mut domains = BTreeMap::new();
        for file in yaml_files(dir, CONTROLS_DIR)? {
            let parsed: ControlsFile = parse_yaml(dir, &file)?;
            let expected = file
                .trim_start_matches(CONTROLS_DIR)
                .trim_matches('/')
                .trim_end_matches(".yaml");
            if parsed.domain != expected {
                return Err(ContentError::invalid(
                    &file,
                    format!("domain `{}` must equal the file name", parsed.domain),
                ));
            }
            domains.insert(parsed.domain.clone(), parsed.title);
            controls.extend(parsed.controls.into_iter().map(|mut c| {
                c.domain = parsed.domain.clone();
                c
            }));
        }
        controls.sort_by(|a, b| a.id.cmp(&b.id));

        let mut policies = Vec::new();
        for entry in dir
            .get_dir(POLICIES_DIR)
            .map(|d| d.files().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let path = entry.path().to_string_lossy().to_string();
            if !path.ends_with(".md") {
                continue;
            }
            let text = entry
                .contents_utf8()
                .ok_or_else(|| ContentError::parse(&path, "not UTF-8"))?;
            policies.push(policy::parse_template(&path, text)?);
        }
        policies.sort_by(|a, b| a.id.cmp(&b.id));

        let mut training = Vec::new();
        for entry in dir
            .get_dir(TRAINING_DIR)
            .map(|d| d.files().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let path = entry.path().to_string_lossy().to_string();
            if !path.ends_with(".md") {
                continue;
            }
            let text = entry
                .contents_utf8()
                .ok_or_else(|| ContentError::parse(&path, "not UTF-8"))?;
            training.push(crate::training::parse_training(&path, text)?);
        }
        training.sort_by(|a, b| a.id.cmp(&b.id));

        let mut risks = parse_yaml::<crate::risks::LibraryFile>(dir, RISKS_FILE)?.risks;
        risks.sort_by(|a, b| a.id.cmp(&b.id));

        let catalog = Catalog {
            groups: criteria_file.groups,
            criteria,
            controls,
            policies,
            training,
            risks,
        };
        catalog.check_references()?;
        Ok(catalog)
    }

    pub fn criterion(&self, id: &CriterionId) -> Option<&Criterion> {
        self.criteria.iter().find(|c| &c.id == id)
    }

    pub fn control(&self, id: &ControlId) -> Option<&LibraryControl> {
        self.controls
            .binary_search_by(|c| c.id.cmp(id))
            .ok()
            .map(|i| &self.controls[i])
    }

    pub fn policy(&self, id: &str) -> Option<&PolicyTemplate> {
        self.policies.iter().find(|p| p.id == id)
    }

    pub fn risk(&self, id: &str) -> Option<&crate::risks::LibraryRisk> {
        self.risks.iter().find(|r| r.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&CriterionGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Policy templates that name this control.
    pub fn policies_for_control<'a>(
        &'a self,
        id: &'a ControlId,
    ) -> impl Iterator<Item = &'a PolicyTemplate> {
        self.policies
            .iter()
            .filter(move |p| p.controls.contains(id))
    }

    /// Library controls mapped to this criterion.
    pub fn controls_for_criterion<'a>(
        &'a self,
        id: &'a CriterionId,
    ) -> impl Iterator<Item = &'a LibraryControl> {
        self.controls
            .iter()
            .filter(move |c| c.criteria.contains(id))
    }

    /// Every cross-reference resolves and no ID appears twice. Run at load, so a broken content
    /// file can never reach a user.
    fn check_references(&self) -> Result<(), ContentError> {
        let group_ids: BTreeSet<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        unique(CRITERIA_FILE, self.criteria.iter().map(|c| c.id.as_str()))?;
        unique(CRITERIA_FILE, self.groups.iter().map(|g| g.id.as_str()))?;
        for c in &self.criteria {
            if !group_ids.contains(c.group.as_str()) || c.id.series() != c.group {
                return Err(ContentError::invalid(
                    CRITERIA_FILE,
                    format!("{} has group `{}`", c.id, c.group),
                ));
            }
            let group = self.group(&c.group).map(|g| g.category);
            if group != Some(c.category) {
                return Err(ContentError::invalid(
                    CRITERIA_FILE,
                    format!("{} is in another category than its group", c.id),
                ));
            }
        }
        unique(CONTROLS_DIR, self.controls.iter().map(|c| c.id.as_str()))?;
        for control in &self.controls {
            if control.criteria.iter().collect::<BTreeSet<_>>().len() != control.criteria.len() {
                return Err(ContentError::invalid(
                    CONTROLS_DIR,
                    format!("{} lists a criterion twice", control.id),
                ));
            }
            if control.criteria.is_empty() {
                return Err(ContentError::invalid(
                    CONTROLS_DIR,
                    format!("{} maps to no criterion", control.id),
                ));
            }
            if let Some(bad) = control
                .criteria
                .iter()
                .find(|id| self.criterion(id).is_none())
            {
                return Err(ContentError::invalid(
                    CONTROLS_DIR,
                    format!("{} maps to unknown criterion {bad}", control.id),
                ));
            }
        }
        unique(POLICIES_DIR, self.policies.iter().map(|p| p.id.as_str()))?;
        for policy in &self.policies {
            if let Some(bad) = policy.controls.iter().find(|id| self.control(id).is_none()) {
                return Err(ContentError::invalid(
                    POLICIES_DIR,
                    format!("policy {} names unknown control {bad}", policy.id),
                ));
            }
        }
        for module in &self.training {
            if let Some(bad) = module.controls.iter().find(|id| self.control(id).is_none()) {
                return Err(ContentError::invalid(
                    TRAINING_DIR,
                    format!("training {} names unknown control {bad}", module.id),
                ));
            }
        }
        unique(RISKS_FILE, self.risks.iter().map(|r| r.id.as_str()))?;
        for risk in &self.risks {
            if let Some(bad) = risk.controls.iter().find(|id| self.control(id).is_none()) {
                return Err(ContentError::invalid(
                    RISKS_FILE,
                    format!("risk {} names unknown control {bad}", risk.id),
                ));
            }
            let plan = risk.treatment_plan.as_deref().unwrap_or_default();
            if risk.treatment != attest_core::Treatment::Mitigate && plan.trim().is_empty() {
                return Err(ContentError::invalid(
                    RISKS_FILE,
                    format!(
                        "risk {} is not mitigated and needs a treatment_plan",
                        risk.id
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn unique<'a>(file: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), ContentError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(ContentError::invalid(
                file,
                format!("ID {id} appears twice"),
            ));
        }
    }
    Ok(())
}

fn yaml_files(dir: &Dir<'_>, sub: &str) -> Result<Vec<String>, ContentError> {
    let sub_dir = dir
        .get_dir(sub)
        .ok_or_else(|| ContentError::parse(sub, "folder missing"))?;
    let mut files: Vec<String> = sub_dir
        .files()
        .map(|f| f.path().to_string_lossy().to_string())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    files.sort();
    Ok(files)
}

fn parse_yaml<T: serde::de::DeserializeOwned>(
    dir: &Dir<'_>,
    path: &str,
) -> Result<T, ContentError> {
    let file = dir
        .get_file(path)
        .ok_or_else(|| ContentError::parse(path, "file missing"))?;
    let text = file
        .contents_utf8()
        .ok_or_else(|| ContentError::parse(path, "not UTF-8"))?;
    serde_saphyr::from_str(text).map_err(|e| ContentError::parse(path, e))
}
