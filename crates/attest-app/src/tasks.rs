//! The remediation board: tasks created by hand or from the gap analysis, with owner, due date,
//! status and comments; and comments on controls. Employees see only tasks assigned to them.

use attest_core::{ControlId, ControlStatus, CriterionId, Email, Permission, Role, TaskStatus};
use attest_store::{Comment, NewAuditEntry, StoreError, Task, TaskFields};
use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;

use crate::controls::{ControlUpdate, control_not_found};
use crate::error::AppError;
use crate::identity::Principal;
use crate::views::ControlView;
use crate::workspace::App;

/// How long a task created from a gap has before it is due.
const GAP_TASK_DAYS: i64 = 30;

/// A new task as a person fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub title: String,
    pub detail: String,
    pub control: Option<ControlId>,
    pub owner: Option<Email>,
    pub due_on: Option<NaiveDate>,
}

/// What to change on a task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskUpdate {
    pub status: Option<TaskStatus>,
    /// `Some(None)` unassigns.
    pub owner: Option<Option<Email>>,
    /// `Some(None)` clears the due date.
    pub due_on: Option<Option<NaiveDate>>,
}

/// A task with its comments, for its page.
#[derive(Debug, Clone)]
pub struct TaskDetail {
    pub task: Task,
    pub comments: Vec<Comment>,
    /// The caller may change this task.
    pub can_edit: bool,
}

fn task_target(id: &str) -> String {
    format!("task:{id}")
}

fn clean_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(AppError::Invalid(
            "a task needs a title of 1 to 200 characters".into(),
        ));
    }
    Ok(title.to_string())
}

fn clean_body(body: &str, what: &str, max: usize) -> Result<String, AppError> {
    let body = body.trim();
    if body.chars().count() > max {
        return Err(AppError::Invalid(format!(
            "the {what} must be at most {max} characters"
        )));
    }
    Ok(body.to_string())
}

impl App {
    /// The tasks the caller may see: all of them for program roles, their own for employees.
    pub async fn tasks(&self, principal: &Principal) -> Result<Vec<Task>, AppError> {
        let m = self
            .authorize(principal, Permission::WorkOwnTasks)
            .or_else(|_| self.authorize(principal, Permission::ViewProgram))?;
        let all = self.store.tasks(&m.org.id).await?;
        Ok(if m.role.allows(Permission::ViewProgram) {
            all
        } else {
            all.into_iter()
                .filter(|t| t.owner.as_ref() == Some(&principal.user.email))
                .collect()
        })
    }

    pub async fn task_detail(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<TaskDetail, AppError> {
        let task = self.visible_task(principal, id).await?;
        let m = self.authorize(principal, Permission::OpenOrg)?;
        let comments = self.store.comments(&m.org.id, &task_target(id)).await?;
        let can_edit = may_edit_task(m.role, &task, &principal.user.email);
        Ok(TaskDetail {
            task,
            comments,
            can_edit,
        })
    }

    /// A task the caller may see; others' tasks are "not found" to employees.
    async fn visible_task(&self, principal: &Principal, id: &str) -> Result<Task, AppError> {
        let m = self.authorize(principal, Permission::OpenOrg)?;
        let not_found = || AppError::NotFound(format!("no task {id} in {}", m.org.name));
        let task = self.store.task(&m.org.id, id).await.map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
        if !m.role.allows(Permission::ViewProgram)
            && task.owner.as_ref() != Some(&principal.user.email)
        {
            return Err(not_found());
        }
        Ok(task)
    }

    pub async fn create_task(&self, principal: &Principal, new: NewTask) -> Result<Task, AppError> {
        let m = self.authorize(principal, Permission::ManageTasks)?;
        if let Some(control) = &new.control {
            self.store
                .get_control(&m.org.id, control)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => control_not_found(control, &m.org),
                    other => other.into(),
                })?;
        }
        let fields = TaskFields {
            title: clean_title(&new.title)?,
            detail: clean_body(&new.detail, "description", 10_000)?,
            control: new.control,
            criterion: None,
            owner: new.owner,
            due_on: new.due_on,
            status: TaskStatus::Todo,
        };
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "task.created".into(),
            target: None,
            detail: json!({ "title": fields.title, "control": fields.control, "owner": fields.owner, "due_on": fields.due_on }),
        };
        Ok(self.store.create_task(&m.org.id, &fields, &entry).await?)
    }

    /// Creates a task for every design gap (a control in scope that is not implemented) that
    /// has no open task yet, assigned to the control's owner and due in 30 days. Returns how
    /// many were created.
    pub async fn tasks_from_gaps(&self, principal: &Principal) -> Result<usize, AppError> {
        let m = self.authorize(principal, Permission::ManageTasks)?;
        let gap = self.gap(&m.org).await?;
        let open: std::collections::BTreeSet<ControlId> = self
            .store
            .tasks(&m.org.id)
            .await?
            .into_iter()
            .filter(|t| t.status != TaskStatus::Done)
            .filter_map(|t| t.control)
            .collect();
        let due = (Utc::now() + Duration::days(GAP_TASK_DAYS)).date_naive();
        let mut created = 0;
        for g in gap
            .report
            .design_gaps
            .iter()
            .filter(|g| !open.contains(&g.control_id))
        {
            let verb = if g.status == ControlStatus::InProgress {
                "Finish"
            } else {
                "Implement"
            };
            let fields = TaskFields {
                title: format!("{verb} {}: {}", g.control_id, g.title),
                detail: format!(
                    "Closes {} criteria on its own and supports {} more ({}).",
                    g.closes.len(),
                    g.supports.len(),
                    g.closes
                        .iter()
                        .chain(&g.supports)
                        .map(CriterionId::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                control: Some(g.control_id.clone()),
                criterion: g.closes.first().cloned(),
                owner: g.owner.clone(),
                due_on: Some(due),
                status: TaskStatus::Todo,
            };
            let entry = NewAuditEntry {
                actor: principal.actor().as_str().to_string(),
                action: "task.created".into(),
                target: None,
                detail: json!({ "title": fields.title, "control": fields.control, "from": "gap-analysis" }),
            };
            self.store.create_task(&m.org.id, &fields, &entry).await?;
            created += 1;
        }
        Ok(created)
    }

    /// Changes a task. Program roles change any task; employees and contributors change the
    /// status of tasks assigned to them.
    pub async fn update_task(
        &self,
        principal: &Principal,
        id: &str,
        update: TaskUpdate,
    ) -> Result<Task, AppError> {
        let task = self.visible_task(principal, id).await?;
        let m = self.authorize(principal, Permission::OpenOrg)?;
        if !may_edit_task(m.role, &task, &principal.user.email) {
            return Err(AppError::Forbidden(format!(
                "your role in {} ({}) does not allow changing this task",
                m.org.name, m.role
            )));
        }
        let reassigns = update.owner.is_some() || update.due_on.is_some();
        if reassigns && !m.role.allows(Permission::ManageTasks) {
            return Err(AppError::Forbidden(
                "only owners, admins and contributors reassign tasks or move due dates".into(),
            ));
        }
        if principal.read_only_token {
            return Err(AppError::Forbidden(
                "this API token is read-only; create a token with write scope".into(),
            ));
        }
        let mut fields = TaskFields {
            title: task.title.clone(),
            detail: task.detail.clone(),
            control: task.control.clone(),
            criterion: task.criterion.clone(),
            owner: task.owner.clone(),
            due_on: task.due_on,
            status: task.status,
        };
        if let Some(status) = update.status {
            fields.status = status;
        }
        if let Some(owner) = update.owner {
            fields.owner = owner;
        }
        if let Some(due) = update.due_on {
            fields.due_on = due;
        }
        let before = json!({ "status": task.status, "owner": task.owner, "due_on": task.due_on });
        let after =
            json!({ "status": fields.status, "owner": fields.owner, "due_on": fields.due_on });
        if before == after {
            return Ok(task);
        }
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "task.updated".into(),
            target: Some(task_target(id)),
            detail: json!({ "before": before, "after": after }),
        };
        self.store
            .update_task(&m.org.id, id, &fields, task.updated_at, &entry)
            .await?;
        Ok(self.store.task(&m.org.id, id).await?)
    }

    /// Comments on a task the caller can see.
    pub async fn comment_on_task(
        &self,
        principal: &Principal,
        id: &str,
        body: &str,
    ) -> Result<Comment, AppError> {
        self.visible_task(principal, id).await?;
        self.add_comment(principal, &task_target(id), body).await
    }

    /// Comments on a control (auditors use this to ask questions).
    pub async fn comment_on_control(
        &self,
        principal: &Principal,
        id: &ControlId,
        body: &str,
    ) -> Result<Comment, AppError> {
        let m = self.authorize(principal, Permission::ViewProgram)?;
        self.store
            .get_control(&m.org.id, id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => control_not_found(id, &m.org),
                other => other.into(),
            })?;
        self.add_comment(principal, &format!("control:{id}"), body)
            .await
    }

    pub async fn control_comments(
        &self,
        principal: &Principal,
        id: &ControlId,
    ) -> Result<Vec<Comment>, AppError> {
        let m = self.authorize(principal, Permission::ViewProgram)?;
        Ok(self
            .store
            .comments(&m.org.id, &format!("control:{id}"))
            .await?)
    }

    async fn add_comment(
        &self,
        principal: &Principal,
        target: &str,
        body: &str,
    ) -> Result<Comment, AppError> {
        let m = self.authorize(principal, Permission::Comment)?;
        if principal.read_only_token {
            return Err(AppError::Forbidden(
                "this API token is read-only; create a token with write scope".into(),
            ));
        }
        let body = clean_body(body, "comment", 5_000)?;
        if body.is_empty() {
            return Err(AppError::Invalid(
                "the comment is empty; write something first".into(),
            ));
        }
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "comment.added".into(),
            target: Some(target.to_string()),
            detail: json!({ "body": body }),
        };
        Ok(self
            .store
            .add_comment(&m.org.id, target, &body, &entry)
            .await?)
    }

    /// Changes a control for a signed-in member. Contributors change only the controls they
    /// own (or unowned ones, which they may take on).
    pub async fn update_control_as(
        &self,
        principal: &Principal,
        id: &ControlId,
        update: ControlUpdate,
    ) -> Result<ControlView, AppError> {
        let m = self.authorize(principal, Permission::EditControls)?;
        if m.role == Role::Contributor {
            let control = self
                .store
                .get_control(&m.org.id, id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => control_not_found(id, &m.org),
                    other => other.into(),
                })?;
            if control
                .owner
                .as_ref()
                .is_some_and(|o| o != &principal.user.email)
            {
                return Err(AppError::Forbidden(format!(
                    "{id} is owned by {}; contributors change only the controls they own",
                    control.owner.map(|o| o.to_string()).unwrap_or_default()
                )));
            }
        }
        self.update_control(&m.org, id, update, &principal.actor())
            .await
    }
}

/// Whether a member may change a control with this owner: contributors only their own (or an
/// unowned one, which they may take on); owners and admins any.
pub fn may_edit_control(role: Role, owner: Option<&Email>, me: &Email) -> bool {
    role.allows(Permission::EditControls)
        && (role != Role::Contributor || owner.is_none_or(|o| o == me))
}

fn may_edit_task(role: Role, task: &Task, me: &Email) -> bool {
    role.allows(Permission::ManageTasks)
        || (role.allows(Permission::WorkOwnTasks) && task.owner.as_ref() == Some(me))
}
