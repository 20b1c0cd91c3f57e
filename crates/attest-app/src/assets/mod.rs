//! The systems inventory and the data map: systems with their owner, environment,
//! classification and data stores, and the flows of data between them, drawn as a diagram.

mod diagram;

use std::collections::BTreeSet;

use attest_core::{
    Classification, DataCategory, DataFlow, Environment, RecordKey, System, SystemCategory, Vendor,
};
use attest_store::Org;
use chrono::NaiveDate;

pub use diagram::data_flow_svg;

use crate::error::AppError;
use crate::registers::{
    Column, FieldError, Fields, Record, Reference, Register, cell, join, sequential_key, yes_no,
};
use crate::workspace::App;

const SYSTEM_COLUMNS: &[Column] = &[
    Column::required("name", "the system's name"),
    Column::required("category", "production, corporate, saas or external")
        .choice(SystemCategory::NAMES),
    Column::required(
        "environment",
        "production, staging, development or corporate",
    )
    .choice(Environment::NAMES),
    Column::optional("owner", "the owner's email").email(),
    Column::optional(
        "classification",
        "the most sensitive data it holds: public, internal, confidential or restricted",
    )
    .choice(Classification::NAMES),
    Column::optional(
        "data_stores",
        "its databases, buckets and volumes, separated by ;",
    ),
    Column::optional("vendor", "the key of the vendor that provides it"),
    Column::optional("description", "what it does").long(),
];

impl Register for System {
    const REGISTER: &'static str = "systems";
    const NOUN: &'static str = "system";
    const LIST_COMMAND: &'static str = "attest assets list";

    fn columns() -> &'static [Column] {
        SYSTEM_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<System, FieldError> {
        Ok(System {
            name: f.required("name")?,
            category: f.parse("category")?,
            environment: f.parse("environment")?,
            owner: f.optional("owner")?,
            classification: f.optional("classification")?,
            data_stores: f.text_list("data_stores"),
            vendor: f.optional("vendor")?,
            description: f.text("description"),
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.category.to_string(),
            self.environment.to_string(),
            cell(self.owner.as_ref()),
            cell(self.classification),
            join(&self.data_stores),
            cell(self.vendor.as_ref()),
            self.description.clone(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        System::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs: Vec<Reference> = self
            .owner
            .iter()
            .map(|o| Reference::person("owner", o))
            .collect();
        refs.extend(Reference::records::<Vendor>(
            "vendor",
            self.vendor.as_slice(),
        ));
        refs
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        free_slug(&self.name, taken, "system")
    }
}

/// A slug of `name` not in `taken` (`aws`, then `aws-2`).
pub(crate) fn free_slug(name: &str, taken: &BTreeSet<String>, fallback: &str) -> String {
    let base = RecordKey::slug_of(name).map_or_else(|| fallback.to_owned(), |k| k.to_string());
    let base: String = base.chars().take(60).collect();
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|k| !taken.contains(k))
        .unwrap_or(base)
}

const FLOW_COLUMNS: &[Column] = &[
    Column::required("from", "the key of the system the data leaves"),
    Column::required("to", "the key of the system the data reaches"),
    Column::required(
        "data",
        "the categories of data it carries, separated by ; (customer-data, personal-data, payment-data, credentials, employee-data, financial-data, source-code, logs-telemetry, backups, public-content)",
    ),
    Column::required(
        "encrypted",
        "yes when encrypted in transit (TLS, SSH, a VPN), no otherwise",
    )
    .flag(),
    Column::optional("description", "what moves and why").long(),
];

impl Register for DataFlow {
    const REGISTER: &'static str = "data-flows";
    const NOUN: &'static str = "data-flow";
    const LIST_COMMAND: &'static str = "attest assets flows";

    fn columns() -> &'static [Column] {
        FLOW_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<DataFlow, FieldError> {
        Ok(DataFlow {
            from: f.parse("from")?,
            to: f.parse("to")?,
            data: f.list::<DataCategory>("data")?,
            encrypted: f.flag("encrypted", false)?,
            description: f.text("description"),
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.from.to_string(),
            self.to.to_string(),
            join(&self.data),
            yes_no(self.encrypted),
            self.description.clone(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        DataFlow::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = Reference::records::<System>("from", std::slice::from_ref(&self.from));
        refs.extend(Reference::records::<System>(
            "to",
            std::slice::from_ref(&self.to),
        ));
        refs
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        sequential_key("F", taken)
    }
}

/// The inventory and map as the assets page and `attest assets list` show them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AssetMap {
    pub systems: Vec<Record<System>>,
    pub flows: Vec<Record<DataFlow>>,
}

impl AssetMap {
    /// Production systems missing an owner or a classification.
    pub fn unowned_or_unclassified(&self) -> Vec<&Record<System>> {
        self.systems
            .iter()
            .filter(|s| {
                s.body.category == SystemCategory::Production
                    && (s.body.owner.is_none() || s.body.classification.is_none())
            })
            .collect()
    }

    /// Flows that carry data unencrypted.
    pub fn unencrypted(&self) -> Vec<&Record<DataFlow>> {
        self.flows.iter().filter(|f| !f.body.encrypted).collect()
    }

    pub fn svg(&self) -> String {
        data_flow_svg(&self.systems, &self.flows)
    }
}

impl App {
    /// The systems inventory and its data flows (two statements).
    pub async fn asset_map(&self, org: &Org) -> Result<AssetMap, AppError> {
        let stored = self
            .store
            .records(&org.id, &[System::REGISTER, DataFlow::REGISTER], false)
            .await?;
        let (systems, flows): (Vec<_>, Vec<_>) = stored
            .into_iter()
            .partition(|r| r.register == System::REGISTER);
        Ok(AssetMap {
            systems: systems
                .into_iter()
                .map(Record::read)
                .collect::<Result<_, _>>()?,
            flows: flows
                .into_iter()
                .map(Record::read)
                .collect::<Result<_, _>>()?,
        })
    }
}
