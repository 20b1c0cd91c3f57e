//! Opening a workspace, creating one, and choosing the org a command acts on.

use std::path::PathBuf;
use std::sync::Arc;

use attest_content::Catalog;
use attest_core::{OrgSlug, Scope};
use attest_store::{ControlSource, Location, NewControl, NewOrg, Org, Store, StoreError};

use crate::cache::ControlsCache;
use crate::error::AppError;
use crate::identity::SealingKey;
use crate::ledger::LedgerKey;

/// Who is acting: an email for people, `cli:NAME` for an operator at a terminal. Every change
/// is recorded with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    pub fn new(name: &str) -> Result<Self, AppError> {
        let name = name.trim();
        if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
            return Err(AppError::Invalid(
                "the actor name must be 1 to 200 printable characters; set --actor or ATTEST_ACTOR"
                    .into(),
            ));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An actor from a value that is already validated (an email newtype).
    pub(crate) fn from_trusted(name: &str) -> Self {
        Self(name.to_string())
    }
}

/// A trimmed org name and the slug derived from it.
fn org_name(name: &str) -> Result<(&str, OrgSlug), AppError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(AppError::Invalid(
            "the org name must be 1 to 200 characters, e.g. --org \"Northwind Cloud\"".into(),
        ));
    }
    let slug = OrgSlug::from_name(name).ok_or_else(|| {
        AppError::Invalid(format!(
            "the org name `{name}` needs at least one letter or digit"
        ))
    })?;
    Ok((name, slug))
}

/// An open workspace: its database and the catalog compiled into this binary.
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) catalog: &'static Catalog,
    pub(crate) controls_cache: Arc<ControlsCache>,
    /// Where the key that seals stored secrets lives (see `identity::sealing`).
    key_file: Option<PathBuf>,
    sealing_key: Arc<tokio::sync::OnceCell<SealingKey>>,
    pub(crate) ledger_key: Arc<tokio::sync::OnceCell<LedgerKey>>,
    /// A ledger key kept outside the data dir (a mounted secret); never created by Attest.
    pub(crate) ledger_key_file: Option<PathBuf>,
    /// Where evidence content is kept when not in `blobs/` in the data dir (`s3://…`).
    pub(crate) evidence_url: Option<String>,
    pub(crate) blobs: Arc<tokio::sync::OnceCell<attest_store::BlobStore>>,
}

impl App {
    /// An app over an open store. The sealing key defaults to `secret.key` beside a SQLite
    /// database; with PostgreSQL, [`App::with_key_file`] says where it is.
    pub(crate) fn new(store: Store, catalog: &'static Catalog, location: &Location) -> App {
        let key_file = match location {
            Location::SqliteFile(db) => Some(
                db.parent()
                    .unwrap_or_else(|| std::path::Path::new("."))
                    .join("secret.key"),
            ),
            Location::Postgres(_) => None,
        };
        App {
            store,
            catalog,
            controls_cache: Arc::default(),
            key_file,
            sealing_key: Arc::default(),
            ledger_key: Arc::default(),
            ledger_key_file: None,
            evidence_url: None,
            blobs: Arc::default(),
        }
    }

    /// The folder that holds the workspace's key files (`secret.key`, `ledger.key`).
    pub(crate) fn key_dir(&self) -> Result<&std::path::Path, AppError> {
        self.key_file
            .as_deref()
            .map(|f| f.parent().unwrap_or_else(|| std::path::Path::new(".")))
            .ok_or_else(|| {
                AppError::Invalid(
                    "this server has no folder for its key files; start it with a data dir (--data-dir)".into(),
                )
            })
    }

    /// Keeps the key that seals stored secrets (TOTP seeds) in `path`, created on first use.
    /// Keep it out of the database's backups, or back it up apart from them.
    pub fn with_key_file(mut self, path: PathBuf) -> App {
        self.key_file = Some(path);
        self.sealing_key = Arc::default();
        self.ledger_key = Arc::default();
        self.blobs = Arc::default();
        self
    }

    /// Signs ledger checkpoints with the key in `path` (made by `attest ledger generate-key`)
    /// instead of `ledger.key` in the data dir: for keys kept in a secret store and mounted
    /// at start. The file must exist; Attest never writes it.
    pub fn with_ledger_key_file(mut self, path: PathBuf) -> App {
        self.ledger_key_file = Some(path);
        self.ledger_key = Arc::default();
        self
    }

    /// Keeps evidence content in the object store at `url` (`s3://bucket/prefix`, with the
    /// usual AWS environment variables; `file:///path`) instead of `blobs/` in the data dir.
    pub fn with_evidence_url(mut self, url: String) -> App {
        self.evidence_url = Some(url);
        self.blobs = Arc::default();
        self
    }

    /// The key that seals stored secrets, read once. It is created only while no sealed
    /// value exists; otherwise a missing file is a lost key, and that is said plainly.
    pub async fn sealing_key_file(&self) -> Result<&std::path::Path, AppError> {
        Ok(self.sealing_key().await?.path())
    }

    pub(crate) async fn sealing_key(&self) -> Result<&SealingKey, AppError> {
        self.sealing_key
            .get_or_try_init(|| async {
                let Some(path) = &self.key_file else {
                    return Err(AppError::Invalid(
                        "this server has no key file for sealing secrets; start it with a data dir (--data-dir) where it can keep secret.key".into(),
                    ));
                };
                if let Some(key) = SealingKey::load(path)? {
                    return Ok(key);
                }
                let sealed = self.store.count_sealed_secrets().await?;
                if sealed > 0 {
                    return Err(AppError::Invalid(format!(
                        "the key file {} is missing, but {sealed} account(s) hold secrets sealed with it: restore it from your backup (or point --data-dir at the folder that has it); if it is lost for good, turn off the second factor of each enrolled person with `attest user reset-mfa EMAIL` (they enroll again) and a new key is made",
                        path.display()
                    )));
                }
                SealingKey::create(path)
            })
            .await
    }

    /// Opens an existing workspace.
    pub async fn open(location: &Location) -> Result<App, AppError> {
        let catalog = Catalog::embedded()?;
        Ok(App::new(Store::open(location).await?, catalog, location))
    }

    /// Opens the workspace at `location`, creating it if needed, and adds an org with every
    /// control of the library. Security is always in scope.
    pub async fn init(
        location: &Location,
        name: &str,
        scope: Scope,
        actor: &Actor,
    ) -> Result<(App, Org), AppError> {
        // Checked before the database is touched: a bad name creates nothing.
        org_name(name)?;
        let app = App::open_or_create(location).await?;
        let org = app.create_named_org(name, scope, actor).await?;
        Ok((app, org))
    }

    /// Opens the workspace at `location`, creating an empty database if there is none; the
    /// web server's first-run setup then creates the first org.
    pub async fn open_or_create(location: &Location) -> Result<App, AppError> {
        let catalog = Catalog::embedded()?;
        let store = Store::open_or_create(location).await?;
        Ok(App::new(store, catalog, location))
    }

    /// Adds an org named `name` with every control of the library.
    pub async fn create_named_org(
        &self,
        name: &str,
        scope: Scope,
        actor: &Actor,
    ) -> Result<Org, AppError> {
        let (name, slug) = org_name(name)?;
        let controls = self.library_controls();
        self.create_org(
            NewOrg {
                slug,
                name: name.to_string(),
                scope,
            },
            &controls,
            &[],
            actor,
        )
        .await
    }

    /// Creates the org with its controls and people (and the workspace row if needed), all in
    /// one transaction.
    pub(crate) async fn create_org(
        &self,
        org: NewOrg,
        controls: &[NewControl],
        people: &[attest_store::NewPerson],
        actor: &Actor,
    ) -> Result<Org, AppError> {
        let created = self
            .store
            .create_org(&org, controls, people, actor.as_str())
            .await;
        created.map_err(|e| match e {
            StoreError::Conflict(what) if what.starts_with("an org with slug") => AppError::Conflict(format!(
                "this workspace already has an org `{}`; pick another name or use --org {} with other commands",
                org.slug, org.slug
            )),
            other => other.into(),
        })
    }

    /// Every library control as the org adopts it.
    pub(crate) fn library_controls(&self) -> Vec<NewControl> {
        self.catalog.controls.iter().map(adopt).collect()
    }

    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    pub fn dialect(&self) -> &'static str {
        self.store.dialect()
    }

    pub async fn close(&self) {
        self.store.close().await;
    }

    pub async fn orgs(&self) -> Result<Vec<Org>, AppError> {
        Ok(self.store.list_orgs().await?)
    }

    /// The org a command acts on: the one named (by slug or by name), or the only one in the
    /// workspace.
    pub async fn org(&self, selector: Option<&str>) -> Result<Org, AppError> {
        let orgs = self.store.list_orgs().await?;
        let names = || {
            orgs.iter()
                .map(|o| o.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match selector {
            Some(wanted) => {
                let slug = OrgSlug::from_name(wanted);
                orgs.iter()
                    .find(|o| Some(&o.slug) == slug.as_ref())
                    .cloned()
                    .ok_or_else(|| {
                        AppError::NotFound(format!(
                            "no org `{wanted}` in this workspace; the orgs are: {}",
                            names()
                        ))
                    })
            }
            None => match orgs.as_slice() {
                [only] => Ok(only.clone()),
                [] => Err(AppError::NotFound(
                    "this workspace has no org yet; run `attest init --org NAME`".into(),
                )),
                _ => Err(AppError::Invalid(format!(
                    "this workspace holds {} orgs ({}); choose one with --org SLUG or ATTEST_ORG",
                    orgs.len(),
                    names()
                ))),
            },
        }
    }
}

impl App {
    /// The org's audit log, oldest first; only one control's entries when given.
    pub async fn audit_log(
        &self,
        org: &Org,
        control: Option<&attest_core::ControlId>,
    ) -> Result<Vec<crate::views::AuditView>, AppError> {
        if let Some(id) = control {
            // An unknown control has no history; say so rather than print an empty log.
            self.store
                .get_control(&org.id, id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => crate::controls::control_not_found(id, org),
                    other => other.into(),
                })?;
        }
        let target = control.map(|id| format!("control:{id}"));
        let entries = self.store.audit_log(&org.id, target.as_deref()).await?;
        Ok(entries.into_iter().map(Into::into).collect())
    }
}

impl App {
    /// Changes which Trust Services categories the org's report covers. Security stays in
    /// whatever is asked; controls for categories leaving scope are kept, only out of scope.
    pub async fn set_scope(&self, org: &Org, scope: Scope, actor: &Actor) -> Result<Org, AppError> {
        if scope == org.scope {
            return Ok(org.clone());
        }
        let entry = attest_store::NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "org.scope_changed".into(),
            target: Some(format!("org:{}", org.slug)),
            detail: serde_json::json!({ "scope": { "from": org.scope.to_string(), "to": scope.to_string() } }),
        };
        self.store.set_org_scope(&org.id, &scope, &entry).await?;
        Ok(Org {
            scope,
            ..org.clone()
        })
    }
}

/// A library control as an org adopts it: its own copy (so the org can edit it), not started,
/// no owner yet.
pub(crate) fn adopt(c: &attest_core::LibraryControl) -> NewControl {
    NewControl {
        id: c.id.clone(),
        source: ControlSource::Library,
        domain: c.domain.clone(),
        title: c.title.clone(),
        statement: c.statement.clone(),
        kind: c.kind,
        nature: c.nature,
        frequency: c.frequency,
        owner_role: Some(c.owner_role),
        owner: None,
        status: attest_core::ControlStatus::NotStarted,
        justification: None,
        notes: None,
        criteria: c.criteria.clone(),
    }
}
