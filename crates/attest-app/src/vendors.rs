//! Vendor management: the inventory with each vendor's tier, its assurance reports (uploaded as
//! evidence, current for a year after their period) and its periodic reviews with the
//! customer-side controls (CUECs) the company operates in return; reminders before a report
//! stops being current or a review falls due.

use std::collections::BTreeSet;

use attest_core::{
    Classification, ControlId, Criticality, Cuec, Opinion, Period, Replaceability, Tiering, Vendor,
    VendorReport, VendorReview, vendor::REPORT_REMINDER_DAYS,
};
use attest_store::{Org, TaskFields};
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::error::AppError;
use crate::registers::{
    Column, Document, FieldError, Fields, Record, Reference, Register, Save, cell, yes_no,
};
use crate::workspace::{Actor, App};

const VENDOR_COLUMNS: &[Column] = &[
    Column::required("name", "the vendor's name"),
    Column::optional("service", "what the company uses it for").long(),
    Column::optional("website", "its website"),
    Column::required("owner", "the email of who manages the relationship").email(),
    Column::required(
        "data",
        "the most sensitive data it stores or can reach: public, internal, confidential or restricted",
    ).choice(Classification::NAMES),
    Column::required(
        "production_access",
        "yes when it can reach or change production, or sits in the path of the service",
    ).flag(),
    Column::required("replaceability", "easy, moderate or hard to replace").choice(Replaceability::NAMES),
    Column::optional("contract_start", "YYYY-MM-DD").date(),
    Column::optional("contract_end", "YYYY-MM-DD").date(),
    Column::optional(
        "dpa_signed_on",
        "the day the data processing agreement was signed",
    ).date(),
    Column::optional(
        "subservice",
        "no, carve-out or inclusive: how it appears in the SOC 2 report (no by default)",
    ).choice(attest_core::Subservice::NAMES),
    Column::optional(
        "csocs",
        "for a carved-out subservice organization, the controls relied on",
    ).long(),
    Column::derived("criticality", "the tier the answers give"),
];

impl Register for Vendor {
    const REGISTER: &'static str = "vendors";
    const NOUN: &'static str = "vendor";
    const LIST_COMMAND: &'static str = "attest vendors list";

    fn columns() -> &'static [Column] {
        VENDOR_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<Vendor, FieldError> {
        Ok(Vendor {
            name: f.required("name")?,
            service: f.text("service"),
            website: f.text("website"),
            owner: f.parse("owner")?,
            tiering: Tiering {
                data: f.parse::<Classification>("data")?,
                production_access: f.flag("production_access", false)?,
                replaceability: f.parse::<Replaceability>("replaceability")?,
            },
            contract_start: f.optional_date("contract_start")?,
            contract_end: f.optional_date("contract_end")?,
            dpa_signed_on: f.optional_date("dpa_signed_on")?,
            subservice: f
                .optional("subservice")?
                .unwrap_or(attest_core::Subservice::No),
            csocs: f.text("csocs"),
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.service.clone(),
            self.website.clone(),
            self.owner.to_string(),
            self.tiering.data.to_string(),
            yes_no(self.tiering.production_access),
            self.tiering.replaceability.to_string(),
            cell(self.contract_start),
            cell(self.contract_end),
            cell(self.dpa_signed_on),
            self.subservice.to_string(),
            self.csocs.clone(),
            self.criticality().to_string(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        Vendor::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::person("owner", &self.owner)]
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        crate::assets::free_slug(&self.name, taken, "vendor")
    }

    fn derived(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("criticality".into(), self.criticality().as_str().into());
        map
    }
}

const REPORT_COLUMNS: &[Column] = &[
    Column::required("vendor", "the vendor's key"),
    Column::required(
        "kind",
        "soc2-type2, soc2-type1, soc1-type2, iso27001 or other",
    )
    .choice(attest_core::ReportKind::NAMES),
    Column::optional("period_start", "the first day of the period it covers").date(),
    Column::required(
        "period_end",
        "the last day of the period, or the as-of date",
    )
    .date(),
    Column::required("opinion", "unqualified, qualified, adverse or disclaimer")
        .choice(attest_core::Opinion::NAMES),
    Column::optional(
        "exceptions",
        "exceptions it notes and what they mean for us",
    )
    .long(),
    Column::required("evidence_id", "the uploaded report's evidence ID"),
    Column::required("file_name", "the uploaded report's file name"),
    Column::derived("current_until", "the last day it counts as current"),
];

impl Register for VendorReport {
    const REGISTER: &'static str = "vendor-reports";
    const NOUN: &'static str = "vendor-report";
    const LIST_COMMAND: &'static str = "attest vendors show VENDOR";

    fn columns() -> &'static [Column] {
        REPORT_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<VendorReport, FieldError> {
        Ok(VendorReport {
            vendor: f.parse("vendor")?,
            kind: f.parse("kind")?,
            period_start: f.optional_date("period_start")?,
            period_end: f.date("period_end")?,
            opinion: f.parse("opinion")?,
            exceptions: f.text("exceptions"),
            evidence_id: f.required("evidence_id")?,
            file_name: f.required("file_name")?,
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.vendor.to_string(),
            self.kind.to_string(),
            cell(self.period_start),
            self.period_end.to_string(),
            self.opinion.to_string(),
            self.exceptions.clone(),
            self.evidence_id.clone(),
            self.file_name.clone(),
            self.current_until().to_string(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        VendorReport::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        Reference::records::<Vendor>("vendor", std::slice::from_ref(&self.vendor))
    }

    fn check_change(&self, previous: Option<&VendorReport>) -> Result<(), String> {
        match previous {
            None => Err(
                "a report is added by uploading its file (`attest vendors report VENDOR FILE`)"
                    .into(),
            ),
            Some(p)
                if p.evidence_id != self.evidence_id
                    || p.file_name != self.file_name
                    || p.vendor != self.vendor =>
            {
                Err(
                    "a report's file and vendor do not change; upload the new report instead"
                        .into(),
                )
            }
            Some(_) => Ok(()),
        }
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        crate::assets::free_slug(
            &format!("{}-{}-{}", self.vendor, self.kind, self.period_end),
            taken,
            "report",
        )
    }

    fn derived(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert(
            "current_until".into(),
            self.current_until().to_string().into(),
        );
        map
    }
}

const REVIEW_COLUMNS: &[Column] = &[
    Column::required("vendor", "the vendor's key"),
    Column::required("reviewed_on", "YYYY-MM-DD").date(),
    Column::required("reviewer", "the reviewer's email").email(),
    Column::optional("report", "the key of the report reviewed"),
    Column::required(
        "conclusion",
        "acceptable, acceptable-with-actions or not-acceptable",
    ).choice(attest_core::ReviewConclusion::NAMES),
    Column::optional("notes", "what was found and what follows").long(),
    Column::optional(
        "cuecs",
        "customer-side controls the report asks of us, one per line or separated by ;, each optionally starting with our control ID and a colon (IAM-02: review who has access)",
    ).long(),
];

/// `IAM-02: review who has access`, or just the description.
fn parse_cuec(line: &str) -> Cuec {
    if let Some((head, rest)) = line.split_once(':')
        && let Ok(control) = ControlId::parse(head)
    {
        return Cuec {
            description: rest.trim().to_owned(),
            control: Some(control),
        };
    }
    Cuec {
        description: line.trim().to_owned(),
        control: None,
    }
}

fn cuec_text(cuec: &Cuec) -> String {
    match &cuec.control {
        Some(control) => format!("{control}: {}", cuec.description),
        None => cuec.description.clone(),
    }
}

impl Register for VendorReview {
    const REGISTER: &'static str = "vendor-reviews";
    const NOUN: &'static str = "vendor-review";
    const LIST_COMMAND: &'static str = "attest vendors show VENDOR";

    fn columns() -> &'static [Column] {
        REVIEW_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<VendorReview, FieldError> {
        Ok(VendorReview {
            vendor: f.parse("vendor")?,
            reviewed_on: f.date("reviewed_on")?,
            reviewer: f.parse("reviewer")?,
            report: f.optional("report")?,
            conclusion: f.parse("conclusion")?,
            notes: f.text("notes"),
            cuecs: f.text_list("cuecs").iter().map(|l| parse_cuec(l)).collect(),
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.vendor.to_string(),
            self.reviewed_on.to_string(),
            self.reviewer.to_string(),
            cell(self.report.as_ref()),
            self.conclusion.to_string(),
            self.notes.clone(),
            self.cuecs
                .iter()
                .map(cuec_text)
                .collect::<Vec<_>>()
                .join("; "),
        ]
    }

    fn check(&self) -> Result<(), String> {
        VendorReview::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = Reference::records::<Vendor>("vendor", std::slice::from_ref(&self.vendor));
        refs.push(Reference::person("reviewer", &self.reviewer));
        refs.extend(Reference::records::<VendorReport>(
            "report",
            self.report.as_slice(),
        ));
        let controls: Vec<ControlId> = self
            .cuecs
            .iter()
            .filter_map(|c| c.control.clone())
            .collect();
        refs.extend(Reference::controls("cuecs", &controls));
        refs
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        crate::assets::free_slug(
            &format!("{}-review-{}", self.vendor, self.reviewed_on),
            taken,
            "review",
        )
    }
}

/// Where a vendor's assurance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportStatus {
    /// Current for more than the reminder window.
    Current,
    /// Stops being current within the reminder window.
    Expiring,
    Expired,
    /// No report on file.
    Missing,
    /// Its tier does not ask for one, and none is on file.
    NotNeeded,
    /// The latest report's auditor gave an adverse opinion or none at all: it assures nothing.
    AdverseOpinion,
}

/// A vendor with what its reports and reviews say.
#[derive(Debug, Clone, Serialize)]
pub struct VendorView {
    #[serde(flatten)]
    pub record: Record<Vendor>,
    /// Also in the record's own fields, where listings read it.
    #[serde(skip)]
    pub criticality: Criticality,
    /// The report current longest.
    pub report: Option<Record<VendorReport>>,
    pub report_status: ReportStatus,
    pub last_review: Option<Record<VendorReview>>,
    /// `None` when its tier needs no periodic review.
    pub review_due_on: Option<NaiveDate>,
    pub review_overdue: bool,
    /// Restricted data without a signed DPA.
    pub dpa_missing: bool,
}

/// One vendor with every report and review.
#[derive(Debug, Clone, Serialize)]
pub struct VendorDetail {
    #[serde(flatten)]
    pub vendor: VendorView,
    pub reports: Vec<Record<VendorReport>>,
    pub reviews: Vec<Record<VendorReview>>,
}

/// A report to upload with its file.
#[derive(Debug, Clone)]
pub struct ReportUpload {
    pub file_name: String,
    pub content: Vec<u8>,
    /// The report's fields (`kind`, `period_start`, `period_end`, `opinion`, `exceptions`).
    pub fields: Fields,
}

fn view(
    vendor: Record<Vendor>,
    reports: &[Record<VendorReport>],
    reviews: &[Record<VendorReview>],
    today: NaiveDate,
) -> VendorView {
    let criticality = vendor.body.criticality();
    let key = vendor.key.as_str();
    let report = reports
        .iter()
        .filter(|r| r.body.vendor.as_str() == key)
        .max_by_key(|r| r.body.current_until())
        .cloned();
    let report_status = match &report {
        None if vendor.body.needs_report() => ReportStatus::Missing,
        None => ReportStatus::NotNeeded,
        Some(r) if matches!(r.body.opinion, Opinion::Adverse | Opinion::Disclaimer) => {
            ReportStatus::AdverseOpinion
        }
        Some(r) if r.body.current_until() < today => ReportStatus::Expired,
        Some(r)
            if r.body.current_until() <= today + Days::new(REPORT_REMINDER_DAYS.unsigned_abs()) =>
        {
            ReportStatus::Expiring
        }
        Some(_) => ReportStatus::Current,
    };
    let last_review = reviews
        .iter()
        .filter(|r| r.body.vendor.as_str() == key)
        .max_by_key(|r| r.body.reviewed_on)
        .cloned();
    let review_due_on = attest_core::vendor::review_due(
        criticality,
        last_review.as_ref().map(|r| r.body.reviewed_on),
        vendor.created_at.date_naive(),
    );
    VendorView {
        criticality,
        report_status,
        review_overdue: review_due_on.is_some_and(|d| d < today),
        review_due_on,
        dpa_missing: vendor.body.tiering.data == Classification::Restricted
            && vendor.body.dpa_signed_on.is_none(),
        report,
        last_review,
        record: vendor,
    }
}

/// Every library control a vendor document is evidence for.
const VENDOR_REVIEW_CONTROLS: &[&str] = &["VEN-02"];

impl App {
    /// The inventory with each vendor's report and review standing, most critical first
    /// (one statement).
    pub async fn vendors(&self, org: &Org, today: NaiveDate) -> Result<Vec<VendorView>, AppError> {
        let (vendors, reports, reviews) = self.vendor_records(org).await?;
        let mut views: Vec<VendorView> = vendors
            .into_iter()
            .map(|v| view(v, &reports, &reviews, today))
            .collect();
        views.sort_by(|a, b| {
            b.criticality.cmp(&a.criticality).then_with(|| {
                a.record
                    .body
                    .name
                    .to_lowercase()
                    .cmp(&b.record.body.name.to_lowercase())
            })
        });
        Ok(views)
    }

    /// One vendor with its reports (newest period first) and reviews (newest first).
    pub async fn vendor(
        &self,
        org: &Org,
        key: &str,
        today: NaiveDate,
    ) -> Result<VendorDetail, AppError> {
        let vendor = self.record::<Vendor>(org, key).await?;
        let (_, mut reports, mut reviews) = self.vendor_records(org).await?;
        reports.retain(|r| r.body.vendor.as_str() == key);
        reviews.retain(|r| r.body.vendor.as_str() == key);
        reports.sort_by_key(|r| std::cmp::Reverse(r.body.period_end));
        reviews.sort_by_key(|r| std::cmp::Reverse(r.body.reviewed_on));
        Ok(VendorDetail {
            vendor: view(vendor, &reports, &reviews, today),
            reports,
            reviews,
        })
    }

    async fn vendor_records(
        &self,
        org: &Org,
    ) -> Result<
        (
            Vec<Record<Vendor>>,
            Vec<Record<VendorReport>>,
            Vec<Record<VendorReview>>,
        ),
        AppError,
    > {
        let stored = self
            .store
            .records(
                &org.id,
                &[
                    Vendor::REGISTER,
                    VendorReport::REGISTER,
                    VendorReview::REGISTER,
                ],
                false,
            )
            .await?;
        let (mut vendors, mut reports, mut reviews) = (Vec::new(), Vec::new(), Vec::new());
        for record in stored {
            match record.register.as_str() {
                Vendor::REGISTER => vendors.push(Record::read(record)?),
                VendorReport::REGISTER => reports.push(Record::read(record)?),
                _ => reviews.push(Record::read(record)?),
            }
        }
        Ok((vendors, reports, reviews))
    }

    /// Uploads a vendor's assurance report: the file is kept as evidence (for VEN-02) and the
    /// report is recorded with its period, so reminders come before it stops being current.
    pub async fn add_vendor_report(
        &self,
        org: &Org,
        actor: &Actor,
        vendor_key: &str,
        upload: ReportUpload,
        today: NaiveDate,
    ) -> Result<Record<VendorReport>, AppError> {
        let vendor = self.record::<Vendor>(org, vendor_key).await?;
        if upload.content.is_empty() {
            return Err(AppError::Invalid(format!(
                "{} is empty; upload the report itself (usually a PDF)",
                upload.file_name
            )));
        }
        // Read the fields before storing anything, so a bad date stores no file.
        let mut pairs: Vec<(String, String)> = vec![
            ("vendor".into(), vendor.key.clone()),
            ("evidence_id".into(), "pending".into()),
            ("file_name".into(), upload.file_name.clone()),
        ];
        for column in [
            "kind",
            "period_start",
            "period_end",
            "opinion",
            "exceptions",
        ] {
            let value = upload.fields.text(column);
            pairs.push((column.into(), value));
        }
        let mut report = VendorReport::from_fields(&Fields::from_pairs(pairs)).map_err(|e| {
            AppError::Invalid(format!("report field `{}`: {}", e.column, e.message))
        })?;
        report
            .check()
            .map_err(|m| AppError::Invalid(format!("vendor-report: {m}")))?;
        if report.period_end > today {
            return Err(AppError::Invalid(format!(
                "the report's period ends {}, after today; a report covers a period that is over, so check the date",
                report.period_end
            )));
        }
        let period = Period::new(
            report.period_start.unwrap_or(report.period_end),
            report.period_end,
        )
        .map_err(|e| AppError::Invalid(e.to_string()))?;
        let evidence = self
            .keep_as_evidence(
                org,
                actor,
                Document {
                    title: format!(
                        "{} {} report, period ending {}",
                        vendor.body.name, report.kind, report.period_end
                    ),
                    file_name: upload.file_name.clone(),
                    content: upload.content,
                    period,
                    controls: VENDOR_REVIEW_CONTROLS,
                    source: format!("vendor:{}", vendor.key),
                },
            )
            .await?;
        report.evidence_id = evidence.id;
        self.write_record(org, actor, None, report, Save::New, today)
            .await
    }

    /// Records a review of a vendor.
    pub async fn review_vendor(
        &self,
        org: &Org,
        actor: &Actor,
        review: VendorReview,
        today: NaiveDate,
    ) -> Result<Record<VendorReview>, AppError> {
        if review.reviewed_on > today {
            return Err(AppError::Invalid(format!(
                "the review is dated {}, after today; record it once it has happened",
                review.reviewed_on
            )));
        }
        if let Some(report) = &review.report {
            let report = self.record::<VendorReport>(org, report.as_str()).await?;
            if report.body.vendor != review.vendor {
                return Err(AppError::Invalid(format!(
                    "report `{}` is {}'s, not {}'s; choose one of this vendor's reports",
                    report.key, report.body.vendor, review.vendor
                )));
            }
        }
        self.save_record(org, actor, None, review, Save::New, today)
            .await
    }

    /// Opens a task for each vendor whose report stops being current within the reminder
    /// window, or whose review falls due within a month, for the vendor's owner. Returns how
    /// many.
    pub async fn vendor_reminders(&self, org: &Org, today: NaiveDate) -> Result<usize, AppError> {
        let mut open = self.open_task_titles(org).await?;
        let mut opened = 0;
        for v in self.vendors(org, today).await? {
            let name = &v.record.body.name;
            let owner = Some(v.record.body.owner.clone());
            let control = ControlId::parse("VEN-02").ok();
            if let (Some(report), ReportStatus::Expiring | ReportStatus::Expired) =
                (&v.report, v.report_status)
                && v.record.body.needs_report()
            {
                let until = report.body.current_until();
                let fields = TaskFields {
                    title: format!("Get {name}'s next assurance report"),
                    detail: format!(
                        "{name}'s {} report (period ending {}) is current until {until}. Ask {name} for its next report or a bridge letter, and upload it on the vendor's page (`attest vendors report {} FILE`).",
                        report.body.kind, report.body.period_end, v.record.key
                    ),
                    control: control.clone(),
                    criterion: None,
                    owner: owner.clone(),
                    due_on: Some(until),
                    status: attest_core::TaskStatus::Todo,
                };
                let reason = serde_json::json!({ "reason": "vendor report expiring", "vendor": v.record.key });
                opened += usize::from(self.remind(org, &mut open, fields, reason).await?);
            }
            if let Some(due) = v.review_due_on
                && due <= today + Days::new(30)
            {
                let fields = TaskFields {
                    title: format!("Review the vendor {name}"),
                    detail: format!(
                        "{name} is a {} vendor and is due for review by {due}: read its latest report, note exceptions and the customer-side controls it asks of us, and record the conclusion (`attest vendors review {}`).",
                        v.criticality, v.record.key
                    ),
                    control,
                    criterion: None,
                    owner,
                    due_on: Some(due),
                    status: attest_core::TaskStatus::Todo,
                };
                let reason =
                    serde_json::json!({ "reason": "vendor review due", "vendor": v.record.key });
                opened += usize::from(self.remind(org, &mut open, fields, reason).await?);
            }
        }
        Ok(opened)
    }
}
