//! The employee portal: a member's own policies to accept, training to take and checklist steps
//! to finish, found by their email on the people register. Nobody sees anyone else's here.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_app::Person;
use attest_core::ChecklistItem;
use axum::extract::{Form, Path, State};
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{Member, OpenOrg, WorkOwnTasks};
use crate::error::WebError;
use crate::forms::{date, non_empty};
use crate::state::AppState;
use crate::templates::render;

/// The signed-in member's entry on the roster, or a page-worthy error.
async fn me<P>(state: &AppState, m: &Member<P>) -> Result<Person, WebError> {
    let org = &m.membership.org;
    state
        .app
        .person(org, m.principal.user.email.as_str())
        .await
        .map_err(|_| {
            WebError::not_found(format!(
                "{} is not on the people register of {}; ask an admin to add you",
                m.principal.user.email, org.name
            ))
        })
}

/// `GET /o/{org}/me`: what the member still has to do, and what they did.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let today = Utc::now().date_naive();
    let person = match state.app.person(org, m.principal.user.email.as_str()).await {
        Ok(p) => p,
        Err(_) => {
            return render(
                "me.html",
                ctx! { layout => Layout::for_member(&m, "me"), person => (), org_name => org.name },
            );
        }
    };
    let policies = state.app.assigned_policies(org, &person, today).await?;
    let training = state.app.assigned_training(org, &person, today).await?;
    let detail = state.app.person_detail(org, &person.id, today).await?;
    let open_policies = policies
        .iter()
        .filter(|p| p.status != attest_app::AcceptanceStatus::Accepted)
        .count();
    let open_training = training
        .iter()
        .filter(|t| t.status != attest_app::TrainingStatus::Passed)
        .count();
    render(
        "me.html",
        ctx! {
            layout => Layout::for_member(&m, "me"),
            person => detail.person,
            checklist => detail.checklist,
            policies,
            training,
            open_policies,
            open_training,
            org_name => org.name,
            today => today.to_string(),
        },
    )
}

/// `GET /o/{org}/me/policies/{id}`: a policy to read and accept.
pub(crate) async fn policy(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let person = me(&state, &m).await?;
    let org = &m.membership.org;
    let policy = state
        .app
        .assigned_policies(org, &person, Utc::now().date_naive())
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| WebError::not_found(format!("no published policy `{id}` applies to you")))?;
    render(
        "me_policy.html",
        ctx! { layout => Layout::for_member(&m, "me"), policy },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct AcceptForm {
    /// The version the person read.
    version_id: Option<String>,
}

/// `POST /o/{org}/me/policies/{id}`: "I have read and accept this policy."
pub(crate) async fn accept(
    State(state): State<Arc<AppState>>,
    m: Member<WorkOwnTasks>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, WebError> {
    let person = me(&state, &m).await?;
    let read = non_empty(&form.version_id).ok_or_else(|| {
        WebError::bad_request("accept from the policy's page, which sends the version you read")
    })?;
    state
        .app
        .acknowledge_policy(
            &m.membership.org,
            &m.principal.actor(),
            &person,
            &id,
            Some(read),
            None,
        )
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/me#policies")))
}

/// `GET /o/{org}/me/training/{id}`: a module to read, and its quiz (without the answers).
pub(crate) async fn training(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let person = me(&state, &m).await?;
    let org = &m.membership.org;
    let assigned = state
        .app
        .assigned_training(org, &person, Utc::now().date_naive())
        .await?;
    let status = assigned
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| WebError::not_found(format!("no training module `{id}` applies to you")))?
        .clone();
    let module = state.app.training_module(org, &id).await?;
    // The quiz as the page shows it: questions and options, never which option is right.
    let quiz: Vec<_> = module
        .quiz
        .iter()
        .enumerate()
        .map(|(i, q)| ctx! { n => i, question => q.question, options => q.options })
        .collect();
    render(
        "me_training.html",
        ctx! {
            layout => Layout::for_member(&m, "me"),
            id => module.id,
            title => module.title,
            minutes => module.minutes,
            pass_mark => module.pass_mark,
            body => module.body,
            quiz,
            status,
        },
    )
}

/// `POST /o/{org}/me/training/{id}`: the quiz answers (`q0`, `q1`, …), marked on the server.
pub(crate) async fn submit(
    State(state): State<Arc<AppState>>,
    m: Member<WorkOwnTasks>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let person = me(&state, &m).await?;
    let org = &m.membership.org;
    let module = state.app.training_module(org, &id).await?;
    let mut answers = Vec::with_capacity(module.quiz.len());
    for i in 0..module.quiz.len() {
        let raw = form.get(&format!("q{i}")).ok_or_else(|| {
            WebError::bad_request(format!("answer question {} before submitting", i + 1))
        })?;
        answers.push(raw.parse::<usize>().map_err(|_| {
            WebError::bad_request(format!("question {}'s answer is not an option", i + 1))
        })?);
    }
    let result = state
        .app
        .submit_quiz(org, &m.principal.actor(), &person, &id, &answers)
        .await?;
    render(
        "me_training_result.html",
        ctx! { layout => Layout::for_member(&m, "me"), title => module.title, result },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    item: String,
    completed_on: Option<String>,
    reference: Option<String>,
}

/// `POST /o/{org}/me/checklist`: a step the person records themselves (their device enrolled).
pub(crate) async fn record_step(
    State(state): State<Arc<AppState>>,
    m: Member<WorkOwnTasks>,
    htmx: Htmx,
    Form(form): Form<StepForm>,
) -> Result<Response, WebError> {
    let person = me(&state, &m).await?;
    let item: ChecklistItem = form.item.parse().map_err(WebError::bad_request)?;
    state
        .app
        .record_own_checklist_step(
            &m.membership.org,
            &person,
            item,
            date(&form.completed_on, "the day")?,
            non_empty(&form.reference).map(str::to_owned),
        )
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/me#checklist")))
}
