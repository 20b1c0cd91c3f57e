//! Evidence content, stored by its SHA-256 (so the same file uploaded twice is kept once) in
//! an object store: a folder in the data dir by default. `object_store` gives the same
//! interface over S3-compatible storage, which a later change plugs in here.

use std::path::Path;
use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::error::StoreError;

/// Where evidence content lives.
#[derive(Debug, Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    /// For messages: where the blobs are.
    place: String,
}

fn blob_error(place: &str, e: object_store::Error) -> StoreError {
    StoreError::Invalid(format!("the evidence store at {place}: {e}"))
}

impl BlobStore {
    /// A folder on this machine, created (owner-only) if needed.
    pub fn local(dir: &Path) -> Result<BlobStore, StoreError> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| {
            StoreError::Invalid(format!(
                "cannot create the evidence folder {} ({e}); check the data dir's permissions",
                dir.display()
            ))
        })?;
        let place = dir.display().to_string();
        let inner = LocalFileSystem::new_with_prefix(dir).map_err(|e| blob_error(&place, e))?;
        Ok(BlobStore {
            inner: Arc::new(inner),
            place,
        })
    }

    /// The key content with this SHA-256 (hex) is kept under.
    pub fn key_for(sha256: &str) -> String {
        format!("sha256/{}/{}", &sha256[..2.min(sha256.len())], sha256)
    }

    /// Stores content under its key unless it is there already; returns the key.
    pub async fn put(&self, sha256: &str, content: Vec<u8>) -> Result<String, StoreError> {
        let key = Self::key_for(sha256);
        let path = ObjectPath::from(key.as_str());
        match self.inner.head(&path).await {
            Ok(_) => return Ok(key),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(blob_error(&self.place, e)),
        }
        self.inner
            .put(&path, PutPayload::from(content))
            .await
            .map_err(|e| blob_error(&self.place, e))?;
        Ok(key)
    }

    /// The content under a key.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let path = ObjectPath::from(key);
        let got = self.inner.get(&path).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => StoreError::NotFound,
            e => blob_error(&self.place, e),
        })?;
        let bytes = got.bytes().await.map_err(|e| blob_error(&self.place, e))?;
        Ok(bytes.to_vec())
    }
}
