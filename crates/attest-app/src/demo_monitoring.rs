//! The demo company's systems as their own exports show them (a BambooHR roster, the Google
//! Workspace user list, the AWS IAM credential report, GitHub members and repositories),
//! collected at four moments over the last quarter, and a daily run of the checks over what
//! was known each day, so monitoring has a history on the first start.
//!
//! The story the quarter tells: a leaver's Google account stayed open for weeks before it was
//! closed; an engineer went without a second factor for a month and then enrolled; the CI
//! deploy key has never been rotated; a shared support mailbox is still a user; this week
//! another person left with their account still open, a new hire has not enrolled a second
//! factor, and a new repository has secret scanning off. Two days in the quarter had no run.

use std::path::Path;

use attest_collect::{Kind, Options};
use attest_store::{Org, Person};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use serde_json::json;

use crate::error::AppError;
use crate::monitoring::Trigger;
use crate::workspace::{Actor, App};

/// Days before today on which the systems were exported, oldest first.
const COLLECTED: [u64; 4] = [90, 60, 30, 0];
/// Days of the quarter with no run (the server was down for maintenance).
const NO_RUN: [u64; 2] = [45, 44];

/// What the demo's monitoring holds.
#[derive(Debug, Clone, Copy)]
pub struct DemoMonitoring {
    pub snapshots: usize,
    pub runs: usize,
}

/// Someone on the roster, with what the exports need to know.
struct Employee {
    email: String,
    first: String,
    last: String,
    title: String,
    department: String,
    hired: NaiveDate,
    left: Option<NaiveDate>,
    contractor: bool,
    github: Option<String>,
}

impl Employee {
    fn mailbox(&self) -> &str {
        self.email.split('@').next().unwrap_or_default()
    }
    fn employed_on(&self, day: NaiveDate) -> bool {
        self.hired <= day && self.left.is_none_or(|l| l > day)
    }
    fn engineer(&self) -> bool {
        self.department == "Engineering" || self.title.contains("Technology")
    }
}

fn days_before(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).unwrap_or(today)
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// The roster: today's people plus the two who left this quarter and a new hire.
fn roster(people: &[Person], today: NaiveDate) -> Vec<Employee> {
    let split = |name: &str| {
        let mut parts = name.splitn(2, ' ');
        (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        )
    };
    let domain = people
        .first()
        .and_then(|p| p.email.as_str().split('@').nth(1))
        .unwrap_or("example.com")
        .to_owned();
    let mut out: Vec<Employee> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (first, last) = split(&p.name);
            // Spread over four years; leaders came first.
            let hired = days_before(today, 1500 - (i as u64 * 37) % 1300);
            let engineer = p.department == "Engineering" || p.title.contains("Technology");
            Employee {
                github: engineer.then(|| github_login(p.email.as_str())),
                email: p.email.to_string(),
                first,
                last,
                title: p.title.clone(),
                department: p.department.clone(),
                hired,
                left: None,
                contractor: i % 11 == 7,
            }
        })
        .collect();
    let mut extra =
        |first: &str, last: &str, title: &str, department: &str, hired: u64, left: Option<u64>| {
            let email = format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase());
            out.push(Employee {
                github: (department == "Engineering").then(|| github_login(&email)),
                email,
                first: first.to_owned(),
                last: last.to_owned(),
                title: title.to_owned(),
                department: department.to_owned(),
                hired: days_before(today, hired),
                left: left.map(|d| days_before(today, d)),
                contractor: false,
            });
        };
    extra(
        "Priya",
        "Shahani",
        "Account Executive",
        "Sales",
        700,
        Some(70),
    );
    extra(
        "Tomas",
        "Brandt",
        "Senior Software Engineer",
        "Engineering",
        900,
        Some(5),
    );
    extra(
        "Ines",
        "Carvalho",
        "Software Engineer",
        "Engineering",
        12,
        None,
    );
    out
}

/// A GitHub login from a work email's mailbox (`ana.lee2@…` → `ana-lee2`): unique, as the
/// emails are.
fn github_login(email: &str) -> String {
    email
        .split('@')
        .next()
        .unwrap_or_default()
        .replace('.', "-")
}

/// Who is which character of the quarter's story.
struct Cast<'a> {
    /// Left 70 days ago; their Google account stayed active until 40 days ago.
    slow_leaver: &'a Employee,
    /// Left this week; their Google account is still active.
    recent_leaver: &'a Employee,
    /// Hired this month; no second factor yet.
    new_hire: &'a Employee,
    /// Went without a second factor from 35 days ago until this week.
    late_enroller: Option<&'a Employee>,
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("writing a demo export: {e}"));
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(row).map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

/// The BambooHR "people" report as of `day`. Everyone reports to the CEO; contractors'
/// contracts end half a year after the day.
fn bamboohr(staff: &[Employee], day: NaiveDate) -> Result<String, AppError> {
    let ceo = staff
        .iter()
        .find(|e| e.title.contains("Chief Executive"))
        .map(|e| e.email.clone())
        .unwrap_or_default();
    let rows = staff
        .iter()
        .enumerate()
        .filter(|(_, e)| e.hired <= day)
        .map(|(i, e)| {
            let left = e.left.filter(|l| *l <= day);
            vec![
                (i + 1).to_string(),
                e.first.clone(),
                e.last.clone(),
                e.email.clone(),
                e.title.clone(),
                e.department.clone(),
                if e.email == ceo {
                    String::new()
                } else {
                    ceo.clone()
                },
                if e.contractor {
                    "Contractor"
                } else {
                    "Full-Time"
                }
                .to_owned(),
                e.hired.format("%m/%d/%Y").to_string(),
                left.or_else(|| e.contractor.then(|| day + Days::new(180)))
                    .map_or("0000-00-00".to_owned(), |d| {
                        d.format("%m/%d/%Y").to_string()
                    }),
                if left.is_some() { "Inactive" } else { "Active" }.to_owned(),
                e.github.clone().unwrap_or_default(),
            ]
        })
        .collect();
    csv_text(
        &[
            "Employee #",
            "First Name",
            "Last Name",
            "Work Email",
            "Job Title",
            "Department",
            "Supervisor email",
            "Employment Status",
            "Hire Date",
            "Termination Date",
            "Status",
            "GitHub Username",
        ],
        rows,
    )
}

/// Google Workspace's "Download users" CSV as of `day`.
fn google(
    staff: &[Employee],
    cast: &Cast<'_>,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<String, AppError> {
    let signed_in = |d: NaiveDate| format!("{} 08:14:00", d.format("%Y/%m/%d"));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for e in staff.iter().filter(|e| e.hired <= day) {
        let is = |other: &Employee| std::ptr::eq(e, other);
        // A leaver's account is suspended by IT, later for one of them.
        let closed_on = if is(cast.slow_leaver) {
            Some(days_before(today, 40))
        } else if is(cast.recent_leaver) {
            None
        } else {
            e.left
        };
        let suspended = closed_on.is_some_and(|c| c <= day);
        let last_seen = e.left.map_or(day - Days::new(1), |l| l.min(day));
        let enrolled = !(is(cast.new_hire)
            || cast.late_enroller.is_some_and(|l| {
                is(l) && day >= days_before(today, 35) && day < days_before(today, 3)
            }));
        let unit = if e.engineer() {
            "/Engineering"
        } else {
            "/Staff"
        };
        rows.push(vec![
            e.first.clone(),
            e.last.clone(),
            e.email.clone(),
            "****".into(),
            String::new(),
            unit.into(),
            String::new(),
            if suspended { "Suspended" } else { "Active" }.into(),
            signed_in(last_seen),
            if enrolled { "True" } else { "False" }.into(),
            "True".into(),
        ]);
    }
    let domain = staff
        .first()
        .and_then(|e| e.email.split('@').nth(1))
        .unwrap_or("example.com");
    rows.push(vec![
        "Support".into(),
        "Team".into(),
        format!("support@{domain}"),
        "****".into(),
        String::new(),
        "/Staff".into(),
        String::new(),
        "Active".into(),
        signed_in(day - Days::new(1)),
        "True".into(),
        "True".into(),
    ]);
    csv_text(
        &[
            "First Name [Required]",
            "Last Name [Required]",
            "Email Address [Required]",
            "Password [Required]",
            "Password Hash Function [UPLOAD ONLY]",
            "Org Unit Path [Required]",
            "New Primary Email [UPLOAD ONLY]",
            "Status [READ ONLY]",
            "Last Sign In [READ ONLY]",
            "2sv Enrolled [READ ONLY]",
            "2sv Enforced [READ ONLY]",
        ],
        rows,
    )
}

/// One row of the IAM credential report: a user, whether it signs in to the console (and when
/// it last did), MFA, and its first access key (rotated, last used), if it has one.
struct IamUser<'a> {
    name: &'a str,
    arn: String,
    created: NaiveDate,
    console_last_used: Option<NaiveDate>,
    mfa: bool,
    key: Option<(NaiveDate, NaiveDate)>,
}

impl IamUser<'_> {
    fn row(&self) -> Vec<String> {
        let ts = |d: NaiveDate| format!("{}T09:30:00+00:00", d.format("%Y-%m-%d"));
        let na = || "N/A".to_owned();
        let root = self.name == "<root_account>";
        let (password, used, changed) = match (root, self.console_last_used) {
            (true, used) => (
                "not_supported".to_owned(),
                used.map_or_else(na, ts),
                "not_supported".to_owned(),
            ),
            (false, Some(used)) => ("true".to_owned(), ts(used), ts(self.created)),
            (false, None) => ("false".to_owned(), na(), na()),
        };
        let rotation = if root {
            "not_supported".to_owned()
        } else {
            na()
        };
        let (key_active, rotated, key_used, region, service) = match self.key {
            Some((rotated, used)) => (
                "true",
                ts(rotated),
                ts(used),
                "eu-west-1".to_owned(),
                "ecs".to_owned(),
            ),
            None => ("false", na(), na(), na(), na()),
        };
        vec![
            self.name.to_owned(),
            self.arn.clone(),
            ts(self.created),
            password,
            used,
            changed,
            rotation,
            self.mfa.to_string(),
            key_active.to_owned(),
            rotated,
            key_used,
            region,
            service,
            "false".into(),
            na(),
            na(),
            na(),
            na(),
            "false".into(),
            na(),
            "false".into(),
            na(),
        ]
    }
}

/// The AWS IAM credential report as of `day`: the root user, the engineers, and the CI
/// deployer, whose key was never rotated.
fn aws(staff: &[Employee], day: NaiveDate, today: NaiveDate) -> Result<String, AppError> {
    let arn = |name: &str| format!("arn:aws:iam::391820470015:{name}");
    let yesterday = day - Days::new(1);
    let mut users = vec![IamUser {
        name: "<root_account>",
        arn: arn("root"),
        created: days_before(today, 1600),
        console_last_used: Some(days_before(today, 400)),
        mfa: true,
        key: None,
    }];
    for e in staff.iter().filter(|e| e.engineer() && e.employed_on(day)) {
        users.push(IamUser {
            name: e.mailbox(),
            arn: arn(&format!("user/{}", e.mailbox())),
            created: e.hired,
            console_last_used: Some(yesterday),
            mfa: true,
            key: None,
        });
    }
    let created = days_before(today, 500);
    users.push(IamUser {
        name: "svc-deploy",
        arn: arn("user/svc-deploy"),
        created,
        console_last_used: None,
        mfa: false,
        key: Some((created, yesterday)),
    });
    csv_text(
        &[
            "user",
            "arn",
            "user_creation_time",
            "password_enabled",
            "password_last_used",
            "password_last_changed",
            "password_next_rotation",
            "mfa_active",
            "access_key_1_active",
            "access_key_1_last_rotated",
            "access_key_1_last_used_date",
            "access_key_1_last_used_region",
            "access_key_1_last_used_service",
            "access_key_2_active",
            "access_key_2_last_rotated",
            "access_key_2_last_used_date",
            "access_key_2_last_used_region",
            "access_key_2_last_used_service",
            "cert_1_active",
            "cert_1_last_rotated",
            "cert_2_active",
            "cert_2_last_rotated",
        ],
        users.iter().map(IamUser::row).collect(),
    )
}

/// `GET /orgs/{org}/members` (and its admin listing) as of `day`.
fn github_members(staff: &[Employee], day: NaiveDate) -> (String, String) {
    let member = |i: usize, login: &str| {
        json!({"login": login, "id": 81_000 + i, "node_id": format!("U_{i}"), "type": "User", "site_admin": false,
               "url": format!("https://api.github.com/users/{login}"), "html_url": format!("https://github.com/{login}")})
    };
    let members: Vec<_> = staff
        .iter()
        .enumerate()
        .filter(|(_, e)| e.employed_on(day))
        .filter_map(|(i, e)| e.github.as_deref().map(|l| member(i, l)))
        .collect();
    let admins: Vec<_> = members.iter().take(2).cloned().collect();
    (json!(members).to_string(), json!(admins).to_string())
}

/// `GET /orgs/{org}/repos` as of `day`: a new repository this month has secret scanning off.
fn github_repos(day: NaiveDate, today: NaiveDate) -> String {
    let repo = |i: usize, name: &str, visibility: &str, created: NaiveDate, scanning: bool| {
        let status = |on: bool| json!({"status": if on { "enabled" } else { "disabled" }});
        json!({"id": 52_000 + i, "name": name, "full_name": format!("harborline/{name}"), "private": visibility != "public",
               "visibility": visibility, "archived": false, "disabled": false, "fork": false, "default_branch": "main",
               "created_at": format!("{created}T10:00:00Z"), "pushed_at": format!("{}T16:00:00Z", day - Days::new(1)),
               "security_and_analysis": {"secret_scanning": status(scanning), "secret_scanning_push_protection": status(scanning),
                                         "dependabot_security_updates": status(true)}})
    };
    let old = days_before(today, 1200);
    let mut repos = vec![
        repo(1, "platform-api", "private", old, true),
        repo(2, "web-app", "private", old, true),
        repo(3, "data-pipeline", "private", old, true),
        repo(4, "infrastructure", "private", old, true),
        repo(5, "docs", "public", old, true),
    ];
    let created = days_before(today, 6);
    if day >= created {
        repos.push(repo(6, "ml-experiments", "private", created, false));
    }
    json!(repos).to_string()
}

impl App {
    /// Records the demo company's exports over the last quarter and runs the checks every day
    /// of it (as of each day), ending `now`.
    pub async fn add_demo_monitoring(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DemoMonitoring, AppError> {
        let today = now.date_naive();
        let people = self.store.list_people(&org.id).await?;
        let staff = roster(&people, today);
        let find =
            |first: &str, last: &str| staff.iter().find(|e| e.first == first && e.last == last);
        let (Some(slow_leaver), Some(recent_leaver), Some(new_hire)) = (
            find("Priya", "Shahani"),
            find("Tomas", "Brandt"),
            find("Ines", "Carvalho"),
        ) else {
            return Err(AppError::Internal("the demo roster lost its cast".into()));
        };
        let cast = Cast {
            slow_leaver,
            recent_leaver,
            new_hire,
            late_enroller: staff.iter().filter(|e| e.engineer()).nth(3),
        };
        let mut settings = self.monitor_settings(org).await?;
        settings.checks.service_accounts = vec!["svc-deploy".into()];
        settings.checks.public_repositories = vec!["docs".into()];
        self.save_monitor_settings(org, &settings, actor).await?;

        let dir = tempfile::tempdir()
            .map_err(|e| AppError::Internal(format!("a folder for the demo exports: {e}")))?;
        let mut snapshots = 0;
        for back in COLLECTED {
            let day = days_before(today, back);
            let when = if back == 0 {
                now - chrono::TimeDelta::minutes(5)
            } else {
                at(day, 5)
            };
            let (members, admins) = github_members(&staff, day);
            let exports: [(Kind, &str, String); 5] = [
                (
                    Kind::HrRoster,
                    "bamboohr-people.csv",
                    bamboohr(&staff, day)?,
                ),
                (
                    Kind::GoogleWorkspaceUsers,
                    "google-users.csv",
                    google(&staff, &cast, day, today)?,
                ),
                (
                    Kind::AwsIamCredentialReport,
                    "credential-report.csv",
                    aws(&staff, day, today)?,
                ),
                (Kind::GithubMembers, "github-members.json", members),
                (
                    Kind::GithubRepos,
                    "github-repos.json",
                    github_repos(day, today),
                ),
            ];
            for (kind, name, text) in exports {
                let path = dir.path().join(name);
                write(&path, &text)?;
                let mut options = Options::new(when);
                if kind == Kind::AwsIamCredentialReport {
                    options.system = Some("aws-production".into());
                }
                if kind == Kind::GithubMembers {
                    let admins_path = dir.path().join("github-admins.json");
                    write(&admins_path, &admins)?;
                    options.admins = Some(admins_path);
                    let no_2fa = dir.path().join("github-no-2fa.json");
                    write(&no_2fa, "[]")?;
                    options.two_factor_disabled = Some(no_2fa);
                }
                let snapshot = crate::monitoring::read_export(kind, &path, options).await?;
                self.record_snapshot(org, &snapshot, actor).await?;
                snapshots += 1;
            }
        }

        let mut runs = 0;
        for back in (0..90u64).rev() {
            if NO_RUN.contains(&back) {
                continue;
            }
            let day = days_before(today, back);
            let when = if back == 0 { now } else { at(day, 6) };
            self.run_monitoring_at(org, Trigger::Demo, when, None)
                .await?;
            runs += 1;
        }
        Ok(DemoMonitoring { snapshots, runs })
    }
}

fn write(path: &Path, text: &str) -> Result<(), AppError> {
    std::fs::write(path, text)
        .map_err(|e| AppError::Internal(format!("writing a demo export: {e}")))
}
