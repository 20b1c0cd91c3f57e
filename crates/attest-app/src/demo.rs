//! The demo company: a realistic, fictional org in mid-remediation, generated
//! deterministically so that every run (and every benchmark) sees the same company.

use attest_content::Catalog;
use attest_core::{
    Category, ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email, Frequency,
    OrgSlug, OwnerRole, Scope,
};
use attest_store::{ControlSource, Location, NewControl, NewOrg, NewPerson, Org, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::AppError;
use crate::workspace::{Actor, App, adopt};

pub const COMPANY: &str = "Harborline Analytics";
pub(crate) const DOMAIN: &str = "harborline.example";
const CUSTOM_PREFIX: &str = "HLA";

/// How big a company to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    Medium,
    Large,
}

impl Scale {
    pub const ALL: [Scale; 3] = [Scale::Small, Scale::Medium, Scale::Large];

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Medium => "medium",
            Scale::Large => "large",
        }
    }

    /// (people, custom controls)
    fn size(self) -> (usize, usize) {
        match self {
            Scale::Small => (30, 0),
            Scale::Medium => (200, 12),
            Scale::Large => (1500, 80),
        }
    }
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, String> {
        Scale::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("`{raw}` is not a demo scale: use small, medium or large"))
    }
}

/// A generated company, ready to store.
#[derive(Debug, Clone)]
pub struct DemoCompany {
    pub name: String,
    pub scope: Scope,
    pub people: Vec<NewPerson>,
    pub controls: Vec<NewControl>,
}

/// The leadership team: who owns which kind of control.
const LEADERS: [(OwnerRole, &str, &str, &str); 10] = [
    (
        OwnerRole::Ceo,
        "Maya",
        "Lindqvist",
        "Chief Executive Officer",
    ),
    (
        OwnerRole::Cto,
        "Daniel",
        "Okoro",
        "Chief Technology Officer",
    ),
    (
        OwnerRole::SecurityLead,
        "Priya",
        "Raman",
        "Head of Security",
    ),
    (
        OwnerRole::EngineeringLead,
        "Tomas",
        "Ferreira",
        "VP Engineering",
    ),
    (OwnerRole::ItLead, "Grace", "Nakamura", "IT Manager"),
    (OwnerRole::PeopleLead, "Aisha", "Bello", "Head of People"),
    (OwnerRole::LegalLead, "Jonas", "Weber", "General Counsel"),
    (
        OwnerRole::PrivacyLead,
        "Elena",
        "Petrova",
        "Privacy Officer",
    ),
    (
        OwnerRole::OperationsLead,
        "Marcus",
        "Hale",
        "Head of Operations",
    ),
    (OwnerRole::FinanceLead, "Sofia", "Marino", "Head of Finance"),
];

const FIRST: [&str; 32] = [
    "Alex", "Bea", "Chen", "Dara", "Emil", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lena",
    "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen",
    "Ximena", "Yusuf", "Zoe", "Arjun", "Bruno", "Carmen", "Dmitri", "Esme", "Felix",
];
const LAST: [&str; 32] = [
    "Adeyemi", "Brandt", "Castillo", "Dubois", "Eriksen", "Fischer", "Gupta", "Haddad", "Iwasaki",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Osei", "Park", "Quint", "Rossi", "Silva",
    "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmer", "Achebe", "Bianchi", "Costa",
    "Diaz", "Ekström", "Fontaine",
];
const DEPARTMENTS: [(&str, &str, u32); 7] = [
    ("Engineering", "Software Engineer", 40),
    ("Product", "Product Manager", 8),
    ("Sales", "Account Executive", 15),
    ("Customer Success", "Customer Success Manager", 14),
    ("Operations", "Operations Analyst", 8),
    ("Finance", "Financial Analyst", 5),
    ("People", "People Partner", 4),
];

/// Share of controls already implemented, per domain: a first-time company is furthest
/// behind on access and change management, as auditors usually find.
fn implemented_share(domain: &str) -> f64 {
    match domain {
        "people" | "infrastructure" => 0.7,
        "governance" | "monitoring" => 0.6,
        "endpoints" | "continuity" | "physical" | "processing-integrity" => 0.5,
        "access" | "vulnerability" | "incident" => 0.45,
        "change" | "risk" | "data" => 0.4,
        _ => 0.3,
    }
}

/// Controls that do not apply to a remote-first company on a public cloud, and why.
const NOT_APPLICABLE: [(&str, &str); 2] = [
    (
        "PHY-01",
        "Harborline is remote-first and has no office; production runs on AWS, whose physical controls are carved out and covered by AWS's SOC 2 report, reviewed yearly under VEN-02.",
    ),
    (
        "BCP-05",
        "Data-centre environmental protections are operated by AWS as a subservice organization (carve-out); we rely on AWS's SOC 2 report, reviewed yearly under VEN-02.",
    ),
];

const SYSTEMS: [&str; 8] = [
    "billing service",
    "data warehouse",
    "customer API",
    "support desk",
    "CI runners",
    "analytics pipeline",
    "admin console",
    "ML feature store",
];

/// Generates the demo company for a scale. Same scale, same company, byte for byte.
pub fn generate(catalog: &Catalog, scale: Scale) -> DemoCompany {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_50C2 + scale as u64);
    let (headcount, custom) = scale.size();
    let scope = Scope::new([Category::Availability, Category::Confidentiality]);

    let email = |first: &str, last: &str, n: usize| {
        let local = if n == 0 {
            format!("{first}.{last}")
        } else {
            format!("{first}.{last}{n}")
        };
        let local: String = local
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        Email::parse(&format!("{local}@{DOMAIN}"))
    };
    let mut people: Vec<NewPerson> = Vec::with_capacity(headcount);
    let mut leaders = Vec::new();
    for (role, first, last, title) in LEADERS {
        let Ok(address) = email(first, last, 0) else {
            continue;
        };
        leaders.push((role, address.clone()));
        people.push(NewPerson::manual(
            address,
            &format!("{first} {last}"),
            title,
            "Leadership",
        ));
    }
    let weight_total: u32 = DEPARTMENTS.iter().map(|d| d.2).sum();
    let mut i = 0;
    while people.len() < headcount {
        let first = FIRST[rng.random_range(0..FIRST.len())];
        let last = LAST[rng.random_range(0..LAST.len())];
        let Ok(address) = email(first, last, i / (FIRST.len() * LAST.len())) else {
            break;
        };
        i += 1;
        if people.iter().any(|p| p.email == address) {
            continue;
        }
        let mut pick = rng.random_range(0..weight_total);
        let (department, title, _) = DEPARTMENTS
            .iter()
            .find(|d| {
                if pick < d.2 {
                    true
                } else {
                    pick -= d.2;
                    false
                }
            })
            .copied()
            .unwrap_or(DEPARTMENTS[0]);
        let senior = if rng.random_bool(0.25) { "Senior " } else { "" };
        people.push(NewPerson::manual(
            address,
            &format!("{first} {last}"),
            &format!("{senior}{title}"),
            department,
        ));
    }

    let owner_of = |role: OwnerRole| {
        leaders
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, e)| e.clone())
    };
    let mut controls: Vec<NewControl> = catalog
        .controls
        .iter()
        .map(|c| {
            let na = NOT_APPLICABLE.iter().find(|(id, _)| *id == c.id.as_str());
            let roll: f64 = rng.random();
            let status = if na.is_some() {
                ControlStatus::NotApplicable
            } else if roll < implemented_share(&c.domain) {
                ControlStatus::Implemented
            } else if roll < implemented_share(&c.domain) + 0.2 {
                ControlStatus::InProgress
            } else {
                ControlStatus::NotStarted
            };
            // One control in ten still has nobody on it, as in any real program.
            let owner = if rng.random_bool(0.9) {
                owner_of(c.owner_role)
            } else {
                None
            };
            NewControl {
                owner,
                status,
                justification: na.map(|(_, why)| why.to_string()),
                ..adopt(c)
            }
        })
        .collect();

    let in_scope: Vec<&CriterionId> = catalog
        .criteria
        .iter()
        .filter(|c| scope.contains(c.category))
        .map(|c| &c.id)
        .collect();
    for n in 1..=custom {
        let system = SYSTEMS[rng.random_range(0..SYSTEMS.len())];
        let (title, statement, kind, nature, frequency, role) = match rng.random_range(0..4) {
            0 => (
                format!("Access to the {system} approved by its owner"),
                format!(
                    "The {system} owner approves every new access request in the ticketing system before an administrator grants it."
                ),
                ControlKind::Procedural,
                ControlNature::Preventive,
                Frequency::EventDriven,
                OwnerRole::EngineeringLead,
            ),
            1 => (
                format!("Quarterly review of {system} administrators"),
                format!(
                    "Each quarter the security lead reviews the list of {system} administrators and removes access no longer needed within five business days."
                ),
                ControlKind::Procedural,
                ControlNature::Detective,
                Frequency::Quarterly,
                OwnerRole::SecurityLead,
            ),
            2 => (
                format!("Alerting on {system} failures"),
                format!(
                    "Monitoring pages the on-call engineer within five minutes when the {system} reports errors above its threshold."
                ),
                ControlKind::Technical,
                ControlNature::Detective,
                Frequency::Continuous,
                OwnerRole::EngineeringLead,
            ),
            _ => (
                format!("Encrypted backups of the {system}"),
                format!(
                    "The {system} is backed up daily to a separate AWS account with encryption at rest; failures alert the on-call engineer."
                ),
                ControlKind::Technical,
                ControlNature::Corrective,
                Frequency::Daily,
                OwnerRole::ItLead,
            ),
        };
        let mut criteria: Vec<CriterionId> = (0..rng.random_range(1..=3))
            .map(|_| in_scope[rng.random_range(0..in_scope.len())].clone())
            .collect();
        criteria.sort_by_key(CriterionId::sort_key);
        criteria.dedup();
        let Ok(id) = ControlId::parse(&format!("{CUSTOM_PREFIX}-{n:03}")) else {
            continue;
        };
        controls.push(NewControl {
            id,
            source: ControlSource::Custom,
            domain: "custom".into(),
            title,
            statement,
            kind,
            nature,
            frequency,
            owner_role: Some(role),
            owner: owner_of(role),
            status: if rng.random_bool(0.6) {
                ControlStatus::Implemented
            } else {
                ControlStatus::InProgress
            },
            justification: None,
            notes: None,
            criteria,
        });
    }

    DemoCompany {
        name: COMPANY.to_string(),
        scope,
        people,
        controls,
    }
}

impl App {
    /// Creates (or opens) the workspace at `location` and adds the demo company to it.
    pub async fn create_demo(
        location: &Location,
        scale: Scale,
        actor: &Actor,
    ) -> Result<(App, Org), AppError> {
        let catalog = Catalog::embedded()?;
        let app = App::new(Store::open_or_create(location).await?, catalog, location);
        let company = generate(catalog, scale);
        let slug = OrgSlug::from_name(&company.name)
            .ok_or_else(|| AppError::Invalid("the demo company name has no letters".into()))?;
        let org = app
            .create_org(
                NewOrg {
                    slug,
                    name: company.name.clone(),
                    scope: company.scope.clone(),
                },
                &company.controls,
                &company.people,
                actor,
            )
            .await?;
        Ok((app, org))
    }
}

/// A sign-in created for the demo, printed once on the console.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: Email,
    pub role: attest_core::Role,
    pub password: String,
}

impl App {
    /// Gives the demo company one account per role, each with a fresh random password (never a
    /// default one), and a remediation board with work on it: tasks from the gap analysis and
    /// an employee's training task that is overdue.
    pub async fn create_demo_logins(&self, org: &Org) -> Result<Vec<DemoLogin>, AppError> {
        use attest_core::Role;
        let people = self.store.list_people(&org.id).await?;
        let leader = |local: &str| {
            Email::parse(&format!("{local}@{DOMAIN}"))
                .map_err(|e| AppError::Internal(e.to_string()))
        };
        let employee = people
            .get(LEADERS.len())
            .map(|p| p.email.clone())
            .ok_or_else(|| AppError::Internal("the demo company has no employees".into()))?;
        let auditor = Email::parse("auditor@ledgerline-cpa.example")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let accounts = [
            (leader("daniel.okoro")?, "Daniel Okoro", Role::Owner),
            (leader("priya.raman")?, "Priya Raman", Role::Admin),
            (
                leader("tomas.ferreira")?,
                "Tomas Ferreira",
                Role::Contributor,
            ),
            (employee.clone(), "Employee", Role::Employee),
            (auditor, "Robin Auditor", Role::Auditor),
        ];
        let mut logins = Vec::new();
        for (email, name, role) in accounts {
            let name = people
                .iter()
                .find(|p| p.email == email)
                .map_or(name.to_string(), |p| p.name.clone());
            let password = crate::identity::secrets::new_secret()[..20].to_string();
            let hash = crate::identity::secrets::hash_password(&password)?;
            self.store
                .create_user(
                    &attest_store::NewUser {
                        email: email.clone(),
                        name,
                        password_hash: Some(hash),
                    },
                    Some((&org.id, role)),
                    &attest_store::NewAuditEntry {
                        actor: "demo".into(),
                        action: "member.added".into(),
                        target: Some(format!("member:{email}")),
                        detail: serde_json::json!({ "role": role.as_str() }),
                    },
                )
                .await?;
            logins.push(DemoLogin {
                email,
                role,
                password,
            });
        }
        let owner = self
            .session_less_principal(&logins[0].email, org, Role::Owner)
            .await?;
        self.tasks_from_gaps(&owner).await?;
        self.create_task(
            &owner,
            crate::tasks::NewTask {
                title: "Complete the annual security awareness training".into(),
                detail: "Every employee takes the training each year (HR-04).".into(),
                control: None,
                owner: Some(employee),
                due_on: Some(chrono::Utc::now().date_naive() - chrono::Duration::days(3)),
            },
        )
        .await?;
        Ok(logins)
    }

    /// A principal for work done on a member's behalf without a session (the demo's setup).
    async fn session_less_principal(
        &self,
        email: &Email,
        org: &Org,
        role: attest_core::Role,
    ) -> Result<crate::identity::Principal, AppError> {
        let user = self.store.user_by_email(email).await?;
        Ok(crate::identity::Principal {
            user,
            membership: Some(attest_store::Membership {
                org: org.clone(),
                role,
            }),
            csrf_token: None,
            session: None,
            mfa_passed: true,
            read_only_token: false,
        })
    }
}
