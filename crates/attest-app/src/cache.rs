//! Each org's controls, kept in memory between requests. Every page of the program reads them
//! (lists, the dashboard, the gap report), and they change rarely. The database keeps a
//! revision counter per org that triggers move on any change to controls or their mappings,
//! whoever writes (this server, the CLI, a script), so a cached list is used only while the
//! counter still has the value read before the list was loaded: a list is never older than
//! the revision it is filed under.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use attest_store::Control;

use crate::error::AppError;
use crate::workspace::App;

/// An org's controls sorted by id, as read at a revision.
type Listed = (i64, Arc<Vec<Control>>);

#[derive(Debug, Default)]
pub(crate) struct ControlsCache {
    /// By org id.
    entries: Mutex<HashMap<String, Listed>>,
}

impl ControlsCache {
    fn get(&self, org_id: &str, revision: i64) -> Option<Arc<Vec<Control>>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(org_id)
            .filter(|(at, _)| *at == revision)
            .map(|(_, controls)| controls.clone())
    }

    fn put(&self, org_id: &str, revision: i64, controls: Arc<Vec<Control>>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(org_id.to_string(), (revision, controls));
    }
}

impl App {
    /// The org's controls, sorted by id: one small query when nothing changed since the last
    /// read, the full list otherwise.
    pub(crate) async fn org_controls(&self, org_id: &str) -> Result<Arc<Vec<Control>>, AppError> {
        let revision = self.store.controls_revision(org_id).await?;
        if let Some(controls) = self.controls_cache.get(org_id, revision) {
            return Ok(controls);
        }
        let controls = Arc::new(self.store.list_controls(org_id).await?);
        self.controls_cache.put(org_id, revision, controls.clone());
        Ok(controls)
    }
}
