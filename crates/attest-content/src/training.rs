//! Security awareness training modules: Markdown with YAML front matter holding the module's
//! audience, pass mark and quiz. The built-in ones live in `content/training/`; an org adds its
//! own in the same format.

use attest_core::{Audience, ControlId};
use serde::{Deserialize, Serialize};

use crate::error::ContentError;

/// One quiz question: exactly one of its options is right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub question: String,
    pub options: Vec<String>,
    /// The index of the right option (0-based).
    pub answer: usize,
    /// Why that option is right, shown once the quiz is marked.
    pub explanation: String,
}

/// A training module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingModule {
    /// A lower-case slug, the file name without `.md`.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Who takes it.
    pub audience: Audience,
    /// Honest reading time.
    pub minutes: u32,
    /// The share of right answers that passes, in percent.
    pub pass_mark: u32,
    /// Library controls it supports.
    pub controls: Vec<ControlId>,
    pub quiz: Vec<Question>,
    /// The Markdown text.
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    summary: String,
    audience: String,
    minutes: u32,
    pass_mark: u32,
    controls: Vec<ControlId>,
    quiz: Vec<Question>,
}

/// The most questions a quiz may have, and the fewest.
const QUESTIONS: std::ops::RangeInclusive<usize> = 3..=30;

/// Parses a module (`path` names it in errors and gives its id) and checks its quiz.
pub fn parse_training(path: &str, text: &str) -> Result<TrainingModule, ContentError> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| ContentError::parse(path, "must start with a `---` front matter line"))?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or_else(|| ContentError::parse(path, "front matter has no closing `---` line"))?;
    let front: FrontMatter =
        serde_saphyr::from_str(front).map_err(|e| ContentError::parse(path, e))?;
    let stem = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    if front.id != stem {
        return Err(ContentError::invalid(
            path,
            format!("id `{}` must equal the file name (`{stem}`)", front.id),
        ));
    }
    let ok_id = !front.id.is_empty()
        && front.id.len() <= 60
        && front
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok_id {
        return Err(ContentError::invalid(
            path,
            "the id must be lower-case letters, digits and dashes",
        ));
    }
    let audience: Audience = front
        .audience
        .parse()
        .map_err(|e: String| ContentError::invalid(path, e))?;
    if !(1..=100).contains(&front.pass_mark) {
        return Err(ContentError::invalid(
            path,
            format!(
                "pass_mark {} must be a percentage from 1 to 100",
                front.pass_mark
            ),
        ));
    }
    if !QUESTIONS.contains(&front.quiz.len()) {
        return Err(ContentError::invalid(
            path,
            format!(
                "the quiz has {} questions; give {} to {}",
                front.quiz.len(),
                QUESTIONS.start(),
                QUESTIONS.end()
            ),
        ));
    }
    for (i, q) in front.quiz.iter().enumerate() {
        let n = i + 1;
        if !(2..=6).contains(&q.options.len()) {
            return Err(ContentError::invalid(
                path,
                format!("question {n} has {} options; give 2 to 6", q.options.len()),
            ));
        }
        if q.answer >= q.options.len() {
            return Err(ContentError::invalid(
                path,
                format!(
                    "question {n}'s answer {} is not one of its options (0 to {})",
                    q.answer,
                    q.options.len() - 1
                ),
            ));
        }
        if q.question.trim().is_empty() || q.options.iter().any(|o| o.trim().is_empty()) {
            return Err(ContentError::invalid(
                path,
                format!("question {n} has an empty question or option"),
            ));
        }
    }
    let body = body.trim_start().to_owned();
    if body.trim().is_empty() {
        return Err(ContentError::invalid(path, "the module has no text"));
    }
    Ok(TrainingModule {
        id: front.id,
        title: front.title,
        summary: front.summary,
        audience,
        minutes: front.minutes,
        pass_mark: front.pass_mark,
        controls: front.controls,
        quiz: front.quiz,
        body,
    })
}

/// How a set of answers scores: the percent right (rounded down) and whether it passes.
pub fn mark(module: &TrainingModule, answers: &[usize]) -> (u32, bool, Vec<bool>) {
    let right: Vec<bool> = module
        .quiz
        .iter()
        .enumerate()
        .map(|(i, q)| answers.get(i) == Some(&q.answer))
        .collect();
    let total = u32::try_from(module.quiz.len().max(1)).unwrap_or(u32::MAX);
    let correct = u32::try_from(right.iter().filter(|r| **r).count()).unwrap_or(0);
    let score = correct * 100 / total;
    (score, score >= module.pass_mark, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "---\nid: basics\ntitle: Basics\nsummary: S.\naudience: everyone\nminutes: 5\npass_mark: 60\ncontrols: [HR-05]\nquiz:\n  - question: \"A?\"\n    options: [\"x\", \"y\"]\n    answer: 1\n    explanation: \"E.\"\n  - question: \"B?\"\n    options: [\"x\", \"y\"]\n    answer: 0\n    explanation: \"E.\"\n  - question: \"C?\"\n    options: [\"x\", \"y\", \"z\"]\n    answer: 2\n    explanation: \"E.\"\n---\n# Basics\n\nText.\n";

    #[test]
    fn a_module_parses_and_its_quiz_is_marked() {
        let m = parse_training("training/basics.md", MODULE).unwrap();
        assert_eq!(m.quiz.len(), 3);
        assert_eq!(mark(&m, &[1, 0, 2]), (100, true, vec![true, true, true]));
        assert_eq!(mark(&m, &[1, 0, 0]), (66, true, vec![true, true, false]));
        assert_eq!(mark(&m, &[0, 0]), (33, false, vec![false, true, false]));
    }

    #[test]
    fn a_wrong_answer_index_is_named() {
        let broken = MODULE.replace("answer: 2", "answer: 3");
        let err = parse_training("training/basics.md", &broken).unwrap_err();
        assert!(err.to_string().contains("question 3's answer 3"), "{err}");
        let renamed = parse_training("training/other.md", MODULE).unwrap_err();
        assert!(
            renamed.to_string().contains("must equal the file name"),
            "{renamed}"
        );
    }
}
