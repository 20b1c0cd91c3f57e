//! Policy templates: Markdown with YAML front matter and a fixed set of template variables.

use attest_core::{ControlId, PolicyTemplate};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::error::ContentError;

/// The variables every policy template may use, and no others.
pub const POLICY_VARIABLES: [&str; 6] = [
    "company_name",
    "policy_owner",
    "approver",
    "effective_date",
    "review_cadence",
    "version",
];

/// Values for a policy's variables. `review_cadence` reads after "every", e.g. `12 months`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVars {
    pub company_name: String,
    pub policy_owner: String,
    pub approver: String,
    pub effective_date: String,
    pub review_cadence: String,
    pub version: String,
}

impl PolicyVars {
    fn to_value(&self) -> minijinja::Value {
        minijinja::Value::from_pairs([
            ("company_name", self.company_name.as_str()),
            ("policy_owner", self.policy_owner.as_str()),
            ("approver", self.approver.as_str()),
            ("effective_date", self.effective_date.as_str()),
            ("review_cadence", self.review_cadence.as_str()),
            ("version", self.version.as_str()),
        ])
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    summary: String,
    controls: Vec<ControlId>,
}

/// Splits `---\n<yaml>\n---\n<markdown>` and checks the front matter and the variables used.
pub(crate) fn parse_template(path: &str, text: &str) -> Result<PolicyTemplate, ContentError> {
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| ContentError::parse(path, "must start with a `---` front matter line"))?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or_else(|| ContentError::parse(path, "front matter has no closing `---` line"))?;
    let front: FrontMatter =
        serde_saphyr::from_str(front).map_err(|e| ContentError::parse(path, e))?;
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    if front.id != stem {
        return Err(ContentError::invalid(
            path,
            format!("id `{}` must equal the file name", front.id),
        ));
    }
    let template = PolicyTemplate {
        id: front.id,
        title: front.title,
        summary: front.summary,
        controls: front.controls,
        body: body.trim_start().to_string(),
    };
    let env = environment();
    let compiled = env
        .template_from_str(&template.body)
        .map_err(|e| ContentError::parse(path, e))?;
    let mut unknown: Vec<String> = compiled
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| !POLICY_VARIABLES.contains(&v.as_str()))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        return Err(ContentError::invalid(
            path,
            format!("unknown template variables: {}", unknown.join(", ")),
        ));
    }
    Ok(template)
}

/// Renders a policy with its variables filled in. Strict: a variable left undefined is an
/// error, never an empty string in a document an auditor will read.
pub fn render_policy(template: &PolicyTemplate, vars: &PolicyVars) -> Result<String, ContentError> {
    let env = environment();
    env.render_str(&template.body, vars.to_value())
        .map_err(|e| ContentError::Render {
            policy: template.id.clone(),
            message: e.to_string(),
        })
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Markdown, not HTML: whoever turns it into HTML escapes it then.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}
