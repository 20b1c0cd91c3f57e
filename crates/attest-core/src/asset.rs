//! The systems inventory and the data map (DAT-04, END-01): what a system is, how sensitive the
//! data it holds is, and the flows of data between systems.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;
use crate::ids::Email;
use crate::register::{Classification, RecordKey};

kebab_enum!(
    /// What kind of system it is.
    SystemCategory, "system category" {
        /// Runs the service customers use.
        Production => "production",
        /// Runs the company (HR, finance, laptops, internal tools).
        Corporate => "corporate",
        /// A hosted application the company subscribes to.
        Saas => "saas",
        /// Outside the company: customers' browsers, a partner's API, a payment network.
        External => "external",
    }
);

kebab_enum!(
    /// The environment a system runs in.
    Environment, "environment" {
        Production => "production",
        Staging => "staging",
        Development => "development",
        Corporate => "corporate",
    }
);

kebab_enum!(
    /// A category of data a flow carries.
    DataCategory, "data category" {
        CustomerData => "customer-data",
        PersonalData => "personal-data",
        PaymentData => "payment-data",
        Credentials => "credentials",
        EmployeeData => "employee-data",
        FinancialData => "financial-data",
        SourceCode => "source-code",
        LogsTelemetry => "logs-telemetry",
        Backups => "backups",
        PublicContent => "public-content",
    }
);

/// A system in the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct System {
    pub name: String,
    pub category: SystemCategory,
    pub environment: Environment,
    /// Who answers for it. Production systems must have one (a check says so).
    #[serde(default)]
    pub owner: Option<Email>,
    /// The most sensitive data it holds.
    #[serde(default)]
    pub classification: Option<Classification>,
    /// The databases, buckets and volumes it keeps data in.
    #[serde(default)]
    pub data_stores: Vec<String>,
    /// The vendor that provides it (a key in the vendor inventory).
    #[serde(default)]
    pub vendor: Option<RecordKey>,
    #[serde(default)]
    pub description: String,
}

impl System {
    pub fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a system needs a name".into());
        }
        Ok(())
    }
}

/// Data moving from one system to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFlow {
    pub from: RecordKey,
    pub to: RecordKey,
    pub data: Vec<DataCategory>,
    /// Whether the flow is encrypted in transit (TLS, SSH, a VPN).
    pub encrypted: bool,
    #[serde(default)]
    pub description: String,
}

impl DataFlow {
    pub fn check(&self) -> Result<(), String> {
        if self.from == self.to {
            return Err(format!(
                "a flow goes from one system to another: `{}` is both ends",
                self.from
            ));
        }
        if self.data.is_empty() {
            let choices: Vec<&str> = DataCategory::ALL.iter().map(|c| c.as_str()).collect();
            return Err(format!(
                "a flow needs the categories of data it carries: one or more of {}",
                choices.join(", ")
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_joins_two_systems_and_carries_data() {
        let key = |k| RecordKey::parse(k).unwrap();
        let mut flow = DataFlow {
            from: key("web"),
            to: key("web"),
            data: vec![DataCategory::CustomerData],
            encrypted: true,
            description: String::new(),
        };
        assert!(flow.check().unwrap_err().contains("both ends"));
        flow.to = key("db");
        assert!(flow.check().is_ok());
        flow.data.clear();
        assert!(flow.check().unwrap_err().contains("customer-data"));
    }
}
