//! The demo company's registers: its systems and data flows (about fifty systems at the large
//! scale, to show the diagram stays readable), its vendors with reports current, expiring and
//! expired, a year of incidents with their postmortems (one still missing), exercises, and a
//! risk register started from the library and assessed last winter. A few records are left
//! wanting, as in any real program, so the checks have something to find.

use attest_core::{
    DataFlow, Exercise, ExerciseKind, Incident, Rated, Rating, Risk, RiskAssessment, System,
    Vendor, VendorReview,
};
use attest_store::Org;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};

use crate::error::AppError;
use crate::registers::{Fields, Register, Save};
use crate::vendors::ReportUpload;
use crate::workspace::{Actor, App};

/// What the demo put in the registers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoRegisters {
    pub systems: usize,
    pub flows: usize,
    pub vendors: usize,
    pub risks: usize,
    pub incidents: usize,
}

fn who(local: &str) -> String {
    format!("{local}@{}", crate::demo::DOMAIN)
}

fn read<T: Register>(pairs: &[(&str, String)]) -> Result<T, AppError> {
    T::from_fields(&Fields::from_pairs(
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    ))
    .map_err(|e| AppError::Internal(format!("demo {} `{}`: {}", T::NOUN, e.column, e.message)))
}

/// `(key, name, category, environment, owner, classification, data stores, vendor)`.
type SystemRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SYSTEMS: &[SystemRow] = &[
    (
        "customers",
        "Customer browsers",
        "external",
        "production",
        "",
        "",
        "",
        "",
    ),
    (
        "mobile-app",
        "Mobile apps",
        "external",
        "production",
        "",
        "",
        "",
        "",
    ),
    (
        "partner-api",
        "Partner API clients",
        "external",
        "production",
        "",
        "",
        "",
        "",
    ),
    (
        "web",
        "Web application",
        "production",
        "production",
        "tomas.ferreira",
        "restricted",
        "",
        "aws",
    ),
    (
        "api",
        "Public API",
        "production",
        "production",
        "tomas.ferreira",
        "restricted",
        "",
        "aws",
    ),
    (
        "auth",
        "Authentication service",
        "production",
        "production",
        "priya.raman",
        "restricted",
        "Sessions table",
        "aws",
    ),
    (
        "orders-db",
        "Orders database",
        "production",
        "production",
        "tomas.ferreira",
        "restricted",
        "RDS PostgreSQL orders; read replica",
        "aws",
    ),
    (
        "uploads",
        "Document storage",
        "production",
        "production",
        "tomas.ferreira",
        "restricted",
        "S3 bucket harborline-uploads",
        "aws",
    ),
    (
        "cache",
        "Session cache",
        "production",
        "production",
        "tomas.ferreira",
        "confidential",
        "ElastiCache Redis",
        "aws",
    ),
    (
        "warehouse",
        "Analytics warehouse",
        "production",
        "production",
        "marcus.hale",
        "restricted",
        "Redshift cluster",
        "aws",
    ),
    (
        "backups",
        "Backup vault (us-west-2)",
        "production",
        "production",
        "priya.raman",
        "restricted",
        "AWS Backup vault; S3 replica",
        "aws",
    ),
    (
        "batch",
        "Nightly batch jobs",
        "production",
        "production",
        "",
        "",
        "",
        "aws",
    ),
    (
        "stripe",
        "Stripe",
        "saas",
        "production",
        "sofia.marino",
        "restricted",
        "",
        "stripe",
    ),
    (
        "datadog",
        "Datadog",
        "saas",
        "production",
        "priya.raman",
        "confidential",
        "",
        "datadog",
    ),
    (
        "github",
        "GitHub",
        "saas",
        "corporate",
        "tomas.ferreira",
        "confidential",
        "",
        "github",
    ),
    (
        "okta",
        "Okta",
        "saas",
        "corporate",
        "grace.nakamura",
        "restricted",
        "",
        "okta",
    ),
    (
        "google",
        "Google Workspace",
        "saas",
        "corporate",
        "grace.nakamura",
        "confidential",
        "",
        "google-workspace",
    ),
    (
        "slack",
        "Slack",
        "saas",
        "corporate",
        "grace.nakamura",
        "confidential",
        "",
        "slack",
    ),
    (
        "zendesk",
        "Zendesk",
        "saas",
        "corporate",
        "marcus.hale",
        "restricted",
        "",
        "zendesk",
    ),
    (
        "bamboohr",
        "BambooHR",
        "saas",
        "corporate",
        "aisha.bello",
        "restricted",
        "",
        "bamboohr",
    ),
    (
        "laptops",
        "Staff laptops",
        "corporate",
        "corporate",
        "grace.nakamura",
        "confidential",
        "FileVault-encrypted disks",
        "",
    ),
    (
        "finance",
        "Finance system",
        "corporate",
        "corporate",
        "sofia.marino",
        "confidential",
        "",
        "",
    ),
];

/// Services the medium and large companies split their API into.
const SERVICES: &[&str] = &[
    "Billing",
    "Notifications",
    "Search",
    "Reporting",
    "Scheduling",
    "Invoicing",
    "Webhooks",
    "Exports",
    "Audit trail",
    "Feature flags",
    "Rate limiter",
    "Geocoding",
    "Pricing",
    "Inventory",
    "Shipping",
    "Returns",
    "Recommendations",
    "Fraud scoring",
    "Media",
    "Comments",
    "Permissions",
    "Localization",
    "Email relay",
    "Workflow engine",
    "Imports",
    "Forecasting",
    "Ledger",
    "Payouts",
];

/// `(from, to, data, encrypted, description)`.
const FLOWS: &[(&str, &str, &str, bool, &str)] = &[
    (
        "customers",
        "web",
        "customer-data; personal-data; credentials",
        true,
        "Customers use the web application over HTTPS",
    ),
    (
        "mobile-app",
        "api",
        "customer-data; personal-data; credentials",
        true,
        "The mobile apps call the API",
    ),
    (
        "partner-api",
        "api",
        "customer-data",
        true,
        "Partners push orders with API keys",
    ),
    (
        "web",
        "api",
        "customer-data; personal-data",
        true,
        "Server-side calls",
    ),
    ("api", "auth", "credentials", true, "Token checks"),
    (
        "okta",
        "auth",
        "credentials",
        true,
        "Staff single sign-on to the admin console",
    ),
    (
        "api",
        "orders-db",
        "customer-data; personal-data",
        true,
        "Reads and writes orders",
    ),
    (
        "api",
        "uploads",
        "customer-data",
        true,
        "Customer documents",
    ),
    ("web", "cache", "credentials", true, "Sessions"),
    (
        "orders-db",
        "backups",
        "backups",
        true,
        "Nightly snapshots copied to the backup region",
    ),
    ("uploads", "backups", "backups", true, "Replicated objects"),
    (
        "orders-db",
        "warehouse",
        "customer-data",
        true,
        "Hourly extract for analytics",
    ),
    (
        "api",
        "stripe",
        "payment-data; personal-data",
        true,
        "Card payments through Stripe's API",
    ),
    (
        "api",
        "datadog",
        "logs-telemetry",
        true,
        "Application logs and traces",
    ),
    (
        "github",
        "api",
        "source-code",
        true,
        "Deployments from the main branch",
    ),
    (
        "bamboohr",
        "okta",
        "employee-data",
        true,
        "Joiners and leavers provisioned into Okta",
    ),
    (
        "customers",
        "zendesk",
        "personal-data",
        true,
        "Support tickets",
    ),
    (
        "warehouse",
        "finance",
        "financial-data",
        false,
        "Monthly revenue export by SFTP without TLS (legacy)",
    ),
    (
        "batch",
        "orders-db",
        "customer-data",
        true,
        "Nightly reconciliation",
    ),
];

/// `(key, name, service, owner, data, production access, replaceability, subservice, csocs,
/// report: months since its period ended (none: no report), last review: months ago)`.
type VendorRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    Option<u32>,
    Option<u32>,
);

const VENDORS: &[VendorRow] = &[
    (
        "aws",
        "Amazon Web Services",
        "Hosts production: compute, databases, storage, backups",
        "tomas.ferreira",
        "restricted",
        true,
        "hard",
        "carve-out",
        "Physical security of data centers; environmental protections; hardware disposal; hypervisor isolation",
        Some(4),
        Some(3),
    ),
    (
        "stripe",
        "Stripe",
        "Card payments and payouts",
        "sofia.marino",
        "restricted",
        true,
        "hard",
        "carve-out",
        "Storage and processing of card numbers under PCI DSS",
        Some(11),
        Some(10),
    ),
    (
        "datadog",
        "Datadog",
        "Logs, metrics and alerting",
        "priya.raman",
        "confidential",
        true,
        "moderate",
        "no",
        "",
        Some(6),
        Some(5),
    ),
    (
        "github",
        "GitHub",
        "Source code and CI",
        "tomas.ferreira",
        "confidential",
        true,
        "moderate",
        "no",
        "",
        Some(3),
        Some(2),
    ),
    (
        "okta",
        "Okta",
        "Staff identity and single sign-on",
        "grace.nakamura",
        "restricted",
        true,
        "hard",
        "no",
        "",
        Some(7),
        Some(14),
    ),
    (
        "google-workspace",
        "Google Workspace",
        "Email, documents and calendars",
        "grace.nakamura",
        "confidential",
        false,
        "moderate",
        "no",
        "",
        Some(5),
        Some(6),
    ),
    (
        "zendesk",
        "Zendesk",
        "Customer support tickets",
        "marcus.hale",
        "restricted",
        false,
        "moderate",
        "no",
        "",
        Some(15),
        Some(11),
    ),
    (
        "bamboohr",
        "BambooHR",
        "HR records and the roster",
        "aisha.bello",
        "restricted",
        false,
        "moderate",
        "no",
        "",
        Some(8),
        Some(9),
    ),
    (
        "slack",
        "Slack",
        "Team chat",
        "grace.nakamura",
        "internal",
        false,
        "easy",
        "no",
        "",
        None,
        None,
    ),
    (
        "figma",
        "Figma",
        "Product design",
        "tomas.ferreira",
        "public",
        false,
        "easy",
        "no",
        "",
        None,
        None,
    ),
];

/// `(library risk, owner, residual likelihood, residual impact)`.
const RISKS: &[(&str, &str, u8, u8)] = &[
    ("cloud-account-takeover", "priya.raman", 1, 5),
    ("ransomware-or-destructive-attack", "priya.raman", 1, 4),
    ("exploited-known-vulnerability", "tomas.ferreira", 2, 3),
    ("cloud-region-outage", "tomas.ferreira", 2, 5),
    ("office-intrusion", "marcus.hale", 2, 1),
    ("payment-card-data-stored", "sofia.marino", 1, 4),
    ("key-person-loss", "maya.lindqvist", 2, 3),
    ("incident-costs-exceed-reserves", "sofia.marino", 2, 3),
    ("acquisition-or-merger", "maya.lindqvist", 1, 3),
];

/// A library risk to adopt, its owner, and its residual rating when set by hand.
type Chosen<'a> = (&'a str, String, Option<(u8, u8)>);

/// `(days ago, title, severity, status, hours to resolve, root cause, postmortem, systems)`.
type IncidentRow = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    &'static str,
    &'static str,
    &'static str,
);

fn months_ago(today: NaiveDate, months: u32) -> NaiveDate {
    today
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(today)
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0)
        .map_or_else(Utc::now, |t| t.and_utc())
}

impl App {
    /// Fills the registers; `services` more production services for the larger companies.
    pub(crate) async fn add_demo_registers(
        &self,
        org: &Org,
        services: usize,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DemoRegisters, AppError> {
        let today = now.date_naive();
        let mut done = DemoRegisters::default();
        // Vendors first: systems name the vendor that provides them.
        for &(
            key,
            name,
            service,
            owner,
            data,
            production,
            replace,
            subservice,
            csocs,
            report,
            review,
        ) in VENDORS
        {
            let vendor: Vendor = read(&[
                ("name", name.into()),
                ("service", service.into()),
                ("owner", who(owner)),
                ("data", data.into()),
                (
                    "production_access",
                    if production { "yes" } else { "no" }.into(),
                ),
                ("replaceability", replace.into()),
                ("subservice", subservice.into()),
                ("csocs", csocs.into()),
                ("contract_start", months_ago(today, 30).to_string()),
                // BambooHR holds employees' personal data, but its DPA was never signed.
                (
                    "dpa_signed_on",
                    if data == "restricted" && key != "bamboohr" {
                        months_ago(today, 29).to_string()
                    } else {
                        String::new()
                    },
                ),
            ])?;
            self.write_record(org, actor, Some(key), vendor, Save::New, today)
                .await?;
            done.vendors += 1;
            let mut report_key = None;
            if let Some(months) = report {
                let end = months_ago(today, months);
                let upload = ReportUpload {
                    file_name: format!("{key}-soc2-type2-{end}.pdf"),
                    content: format!(
                        "%PDF-1.4\n% {name} SOC 2 Type 2 report, period ending {end} (demo)\n"
                    )
                    .into_bytes(),
                    fields: Fields::from_pairs([
                        ("kind", "soc2-type2".to_owned()),
                        ("period_start", months_ago(end, 12).to_string()),
                        ("period_end", end.to_string()),
                        ("opinion", "unqualified".to_owned()),
                        (
                            "exceptions",
                            if key == "okta" {
                                "One exception: a terminated user's access was removed after 5 days. Our offboarding removes Okta access ourselves.".to_owned()
                            } else {
                                String::new()
                            },
                        ),
                    ]),
                };
                report_key = Some(
                    self.add_vendor_report(org, actor, key, upload, today)
                        .await?
                        .key,
                );
            }
            if let Some(months) = review {
                let reviewed_on = months_ago(today, months);
                let mut pairs = vec![
                    ("vendor", key.to_owned()),
                    ("reviewed_on", reviewed_on.to_string()),
                    ("reviewer", who(owner)),
                    ("conclusion", "acceptable".to_owned()),
                    (
                        "notes",
                        "Report read; no exceptions affecting our use.".to_owned(),
                    ),
                ];
                if let Some(report) = &report_key {
                    pairs.push(("report", report.clone()));
                }
                if key == "aws" {
                    pairs.push(("cuecs", "IAM-02: review who holds console and API access; INF-04: enable encryption at rest on every data store".into()));
                }
                let review: VendorReview = read(&pairs)?;
                self.write_record(org, actor, None, review, Save::New, today)
                    .await?;
            }
        }
        for &(key, name, category, environment, owner, classification, stores, vendor) in SYSTEMS {
            let system: System = read(&[
                ("name", name.into()),
                ("category", category.into()),
                ("environment", environment.into()),
                (
                    "owner",
                    if owner.is_empty() {
                        String::new()
                    } else {
                        who(owner)
                    },
                ),
                ("classification", classification.into()),
                ("data_stores", stores.into()),
                ("vendor", vendor.into()),
            ])?;
            self.write_record(org, actor, Some(key), system, Save::New, today)
                .await?;
            done.systems += 1;
        }
        for &(from, to, data, encrypted, description) in FLOWS {
            let flow: DataFlow = read(&[
                ("from", from.into()),
                ("to", to.into()),
                ("data", data.into()),
                ("encrypted", if encrypted { "yes" } else { "no" }.into()),
                ("description", description.into()),
            ])?;
            self.write_record(org, actor, None, flow, Save::New, today)
                .await?;
            done.flows += 1;
        }
        for (i, service) in SERVICES.iter().take(services).enumerate() {
            let key = crate::assets::free_slug(
                &format!("{service} service"),
                &Default::default(),
                "service",
            );
            let system: System = read(&[
                ("name", format!("{service} service")),
                ("category", "production".into()),
                ("environment", "production".into()),
                ("owner", who("tomas.ferreira")),
                (
                    "classification",
                    if i % 3 == 0 {
                        "restricted"
                    } else {
                        "confidential"
                    }
                    .into(),
                ),
                ("vendor", "aws".into()),
            ])?;
            self.write_record(org, actor, Some(&key), system, Save::New, today)
                .await?;
            let flow: DataFlow = read(&[
                ("from", "api".into()),
                ("to", key.clone()),
                (
                    "data",
                    if i % 3 == 0 {
                        "customer-data"
                    } else {
                        "logs-telemetry"
                    }
                    .into(),
                ),
                ("encrypted", "yes".into()),
            ])?;
            self.write_record(org, actor, None, flow, Save::New, today)
                .await?;
            if i % 4 == 1 {
                let store: DataFlow = read(&[
                    ("from", key.clone()),
                    ("to", "orders-db".into()),
                    ("data", "customer-data".into()),
                    ("encrypted", "yes".into()),
                ])?;
                self.write_record(org, actor, None, store, Save::New, today)
                    .await?;
                done.flows += 1;
            }
            done.systems += 1;
            done.flows += 1;
        }
        done.risks = self.add_demo_risks(org, now, actor).await?;
        done.incidents = self.add_demo_incidents(org, now, actor).await?;
        Ok(done)
    }

    async fn add_demo_risks(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let today = now.date_naive();
        let catalog = attest_content::Catalog::embedded()?;
        let mut count = 0;
        // The curated few, then every library risk of the categories an auditor probes most.
        let mut chosen: Vec<Chosen<'_>> = RISKS
            .iter()
            .map(|(id, owner, l, i)| (*id, who(owner), Some((*l, *i))))
            .collect();
        for (n, r) in catalog.risks.iter().enumerate() {
            if chosen.iter().any(|(id, _, _)| *id == r.id) || n % 3 != 0 {
                continue;
            }
            let owner = match r.category.as_str() {
                "fraud" => "sofia.marino",
                "privacy" | "compliance" => "elena.petrova",
                "people" => "aisha.bello",
                "vendor" | "operational" => "marcus.hale",
                "change" => "maya.lindqvist",
                _ => "priya.raman",
            };
            chosen.push((r.id.as_str(), who(owner), None));
        }
        for (n, (id, owner, residual)) in chosen.into_iter().enumerate() {
            let owner =
                attest_core::Email::parse(&owner).map_err(|e| AppError::Internal(e.to_string()))?;
            let adopted = match self.adopt_risk(org, actor, id, owner, today).await {
                Ok(r) => r,
                // A risk whose controls the program lacks is left out.
                Err(AppError::Invalid(_)) => continue,
                Err(e) => return Err(e),
            };
            let mut risk: Risk = adopted.body.clone();
            let (l, i) = residual.unwrap_or_else(|| {
                let l = risk.inherent.likelihood.get();
                let i = risk.inherent.impact.get();
                (
                    l.saturating_sub(1 + (n % 2) as u8).max(1),
                    i.saturating_sub((n % 3 == 0) as u8).max(1),
                )
            });
            risk.residual = Rated {
                likelihood: Rating::new(l).map_err(AppError::Internal)?,
                impact: Rating::new(i).map_err(AppError::Internal)?,
            };
            // Reviews spread over the year ahead; two have slipped.
            risk.review_on = if n % 11 == 5 {
                today - Days::new(20 + n as u64)
            } else {
                today + Days::new(30 + (n as u64 * 17) % 320)
            };
            self.write_record(
                org,
                actor,
                Some(&adopted.key),
                risk,
                Save::Edit {
                    revision: adopted.revision,
                },
                today,
            )
            .await?;
            count += 1;
        }
        let assessment: RiskAssessment = read(&[
            ("title", format!("{} annual risk assessment", chrono::Datelike::year(&months_ago(today, 10)))),
            ("preparer", who("priya.raman")),
            ("approver", who("daniel.okoro")),
            ("scope", "The Harborline platform (web, API, mobile apps), its production AWS accounts, the SaaS tools that hold customer or employee data, and the people who run them.".into()),
            ("fraud_considerations", "Finance walked through payment redirection, expense and payroll fraud, and revenue manipulation; engineering through unauthorized changes to billing code and misuse of production access. Management override is checked by the board's audit committee.".into()),
            ("significant_changes", "A second AWS region for backups, the move of support to Zendesk, 40% headcount growth in engineering, and the new EU customers under GDPR.".into()),
            ("conclusion", "Residual risk is within the appetite the board set; the cloud-region and key-person risks stay accepted, with the recovery test and cross-training as their follow-ups.".into()),
        ])?;
        let draft = self
            .write_record(org, actor, None, assessment, Save::New, today)
            .await?;
        let approver = attest_core::Email::parse(&who("daniel.okoro"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.approve_risk_assessment(
            org,
            &Actor::person(&approver),
            &draft.key,
            &approver,
            now - TimeDelta::days(300),
        )
        .await?;
        Ok(count)
    }

    async fn add_demo_incidents(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let today = now.date_naive();
        let day = |days: u64| today - Days::new(days);
        let incidents: [IncidentRow; 7] = [
            (
                290,
                "Checkout errors after a database migration",
                "high",
                "closed",
                Some(3),
                "A migration took a lock on the orders table during peak hours.",
                "## Summary\nCheckout failed for 2h50m.\n\n## Causes\nA migration ran outside the maintenance window and locked the orders table.\n\n## Actions\n- Migrations run only in the window (done)\n- Lock timeouts on every migration (done)",
                "api; orders-db",
            ),
            (
                210,
                "Phishing email with a fake invoice",
                "low",
                "closed",
                Some(1),
                "A targeted phishing email; reported by two people, no one entered credentials.",
                "",
                "google",
            ),
            (
                150,
                "Expired TLS certificate on the partner API",
                "medium",
                "closed",
                Some(2),
                "The certificate was renewed manually and the renewal was missed.",
                "",
                "partner-api",
            ),
            (
                95,
                "Public link to an uploaded document",
                "critical",
                "closed",
                Some(30),
                "A support engineer shared a pre-signed link with a 7-day expiry in a public forum.",
                "## Summary\nOne customer document was reachable by link for 26 hours.\n\n## Impact\nOne customer; notified within 24 hours.\n\n## Actions\n- Pre-signed links expire after 15 minutes (done)\n- Support training on sharing documents (done)",
                "uploads; zendesk",
            ),
            (
                20,
                "API latency during a traffic spike",
                "high",
                "resolved",
                Some(4),
                "The autoscaling limit was lower than the traffic the partner launch brought.",
                "",
                "api",
            ),
            (
                6,
                "Lost laptop",
                "medium",
                "contained",
                None,
                "",
                "",
                "laptops",
            ),
            (
                2,
                "Suspicious login attempts on the admin console",
                "low",
                "open",
                None,
                "",
                "",
                "auth",
            ),
        ];
        for (n, (days, title, severity, status, hours, cause, postmortem, systems)) in
            incidents.iter().enumerate()
        {
            let detected = at(day(*days), 9 + (n as u32 % 6), 15);
            let resolved = hours.map(|h| detected + TimeDelta::hours(h));
            let mut pairs = vec![
                ("title", (*title).to_owned()),
                ("severity", (*severity).to_owned()),
                ("status", (*status).to_owned()),
                (
                    "occurred_at",
                    (detected - TimeDelta::minutes(25)).to_rfc3339(),
                ),
                ("detected_at", detected.to_rfc3339()),
                (
                    "resolved_at",
                    resolved.map(|r| r.to_rfc3339()).unwrap_or_default(),
                ),
                (
                    "owner",
                    who(if *severity == "low" {
                        "grace.nakamura"
                    } else {
                        "priya.raman"
                    }),
                ),
                ("summary", format!("{title}.")),
                ("root_cause", (*cause).to_owned()),
                ("postmortem", (*postmortem).to_owned()),
                (
                    "postmortem_on",
                    if postmortem.is_empty() {
                        String::new()
                    } else {
                        day(days - 5).to_string()
                    },
                ),
                ("systems", (*systems).to_owned()),
            ];
            if *severity == "critical" {
                pairs.push((
                    "customers_notified_at",
                    (detected + TimeDelta::hours(20)).to_rfc3339(),
                ));
                pairs.push(("notification_note", "The affected customer's admin was told by email and phone; no regulator notice was needed (no personal data in the document).".into()));
            }
            let incident: Incident = read(&pairs)?;
            let saved = self
                .write_record(org, actor, None, incident, Save::New, today)
                .await?;
            let mut body = saved.body.clone();
            body.timeline.push(attest_core::TimelineEntry {
                at: detected + TimeDelta::minutes(5),
                author: who("priya.raman"),
                text: "Incident opened; on-call engineer paged.".into(),
            });
            if let Some(r) = resolved {
                body.timeline.push(attest_core::TimelineEntry {
                    at: r,
                    author: who("priya.raman"),
                    text: "Service restored and verified.".into(),
                });
            }
            self.write_record(
                org,
                actor,
                Some(&saved.key),
                body,
                Save::Edit {
                    revision: saved.revision,
                },
                today,
            )
            .await?;
        }
        for (kind, title, days, scenario) in [
            (
                ExerciseKind::IncidentResponse,
                "Ransomware tabletop",
                150u64,
                "An attacker encrypts the orders database and demands payment; backups are intact.",
            ),
            (
                ExerciseKind::BackupRestore,
                "Orders database restore test",
                240,
                "Restore last night's orders snapshot into an isolated account and compare row counts.",
            ),
        ] {
            let exercise = Exercise {
                kind,
                title: title.into(),
                held_on: day(days),
                scenario: scenario.into(),
                participants: vec![
                    "Priya Raman".into(),
                    "Tomas Ferreira".into(),
                    "Marcus Hale".into(),
                    "Maya Lindqvist".into(),
                ],
                findings: "The plan worked; the customer notice template was missing.".into(),
                actions: "Write the customer notice template (Priya, done).".into(),
                evidence_id: None,
            };
            self.record_exercise(org, actor, exercise, today).await?;
        }
        Ok(incidents.len())
    }
}
