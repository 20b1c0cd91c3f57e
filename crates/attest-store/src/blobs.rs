//! Evidence content, stored by its SHA-256 (so the same file uploaded twice is kept once) in
//! an object store: a folder in the data dir by default, or an S3-compatible bucket (AWS,
//! MinIO, Ceph, ...) named by an `s3://bucket/prefix` URL.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ClientConfigKey, ObjectStore, ObjectStoreExt, PutPayload};

use crate::error::StoreError;

/// The accepted URL forms, for messages.
const URL_FORMS: &str = "s3://bucket/prefix or file:///absolute/path";

/// Where evidence content lives.
#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    /// For messages and logs: where the blobs are, without credentials.
    place: String,
    /// Credentials that must never reach a message, even if a server echoes them back.
    secrets: Arc<[String]>,
}

impl fmt::Debug for BlobStore {
    // By hand: the inner store holds the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobStore")
            .field("place", &self.place)
            .finish_non_exhaustive()
    }
}

/// A parsed evidence store URL.
enum Location {
    Local(PathBuf),
    S3 { bucket: String, prefix: ObjectPath },
}

impl BlobStore {
    /// A folder on this machine, created (owner-only) if needed.
    pub fn local(dir: &Path) -> Result<BlobStore, StoreError> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| {
            StoreError::EvidenceStore(format!(
                "cannot create the evidence folder {} ({e}); check the data dir's permissions",
                dir.display()
            ))
        })?;
        let place = dir.display().to_string();
        let inner =
            LocalFileSystem::new_with_prefix(dir).map_err(|e| store_error(&place, &[], e))?;
        Ok(BlobStore {
            inner: Arc::new(inner),
            place,
            secrets: Arc::new([]),
        })
    }

    /// The store an evidence store URL names: `s3://bucket/optional/prefix` (blobs are kept
    /// under the prefix) or `file:///absolute/path`.
    ///
    /// For S3 the connection comes from the usual AWS environment variables:
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (or an instance or web-identity role),
    /// `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL` for an S3-compatible server, and
    /// `AWS_ALLOW_HTTP=true` if that server speaks plain http. Nothing is contacted here; a
    /// wrong bucket or credential shows on the first `put`.
    pub fn from_url(url: &str) -> Result<BlobStore, StoreError> {
        match parse_url(url)? {
            Location::Local(dir) => Self::local(&dir),
            Location::S3 { bucket, prefix } => {
                Self::s3(bucket, prefix, AmazonS3Builder::from_env())
            }
        }
    }

    /// Like [`BlobStore::from_url`] for an `s3://` URL, but connecting with the settings in
    /// `builder` (endpoint, credentials, region, `with_allow_http`) instead of the
    /// environment's; the URL's bucket overrides any in `builder`. For tests and embedders
    /// that must not depend on process-wide variables.
    pub fn s3_with(url: &str, builder: AmazonS3Builder) -> Result<BlobStore, StoreError> {
        match parse_url(url)? {
            Location::S3 { bucket, prefix } => Self::s3(bucket, prefix, builder),
            Location::Local(_) => Err(StoreError::EvidenceStore(
                "`BlobStore::s3_with` needs an s3://bucket/prefix URL; use `BlobStore::from_url` \
                 for a file:// one"
                    .into(),
            )),
        }
    }

    fn s3(
        bucket: String,
        prefix: ObjectPath,
        builder: AmazonS3Builder,
    ) -> Result<BlobStore, StoreError> {
        // object_store's reqwest client has rustls without a bundled crypto provider (the
        // `aws` feature would bring aws-lc-rs as a second stack); it uses the process default,
        // so make that ring, as everywhere else in Attest. An error only means a provider is
        // installed already, which reqwest then uses.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let secrets: Arc<[String]> = [AmazonS3ConfigKey::SecretAccessKey, AmazonS3ConfigKey::Token]
            .iter()
            .filter_map(|key| builder.get_config_value(key))
            .filter(|secret| !secret.is_empty())
            .collect();
        let place = if prefix.as_ref().is_empty() {
            format!("s3://{bucket}")
        } else {
            format!("s3://{bucket}/{prefix}")
        };
        let plain_http = builder
            .get_config_value(&AmazonS3ConfigKey::S3Endpoint)
            .or_else(|| builder.get_config_value(&AmazonS3ConfigKey::Endpoint))
            .is_some_and(|endpoint| endpoint.to_ascii_lowercase().starts_with("http://"));
        let allow_http =
            builder.get_config_value(&AmazonS3ConfigKey::Client(ClientConfigKey::AllowHttp));
        let s3 = builder
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| store_error(&place, &secrets, e))?;
        // Otherwise every request fails with reqwest's bare "builder error". `build` has parsed
        // the flag, so it is one of object_store's spellings of a boolean.
        let allowed = allow_http.is_some_and(|v| {
            ["1", "true", "on", "yes", "y"].contains(&v.to_ascii_lowercase().as_str())
        });
        if plain_http && !allowed {
            return Err(StoreError::EvidenceStore(format!(
                "the evidence store at {place} has a plain-http endpoint (AWS_ENDPOINT_URL); use \
                 https, or set AWS_ALLOW_HTTP=true if it is a local test server"
            )));
        }
        let inner: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(BlobStore {
            inner,
            place,
            secrets,
        })
    }

    /// Where the blobs are (`s3://bucket/prefix` or a folder), for logs; never credentials.
    pub fn describe(&self) -> String {
        self.place.clone()
    }

    /// The key content with this SHA-256 (hex) is kept under.
    pub fn key_for(sha256: &str) -> String {
        format!("sha256/{}/{}", &sha256[..2.min(sha256.len())], sha256)
    }

    /// Stores content under its key unless it is there already; returns the key.
    pub async fn put(&self, sha256: &str, content: Vec<u8>) -> Result<String, StoreError> {
        let key = Self::key_for(sha256);
        let path = ObjectPath::from(key.as_str());
        // Written even when present (the same bytes, by their hash): the write time tells the
        // sweep of deleted items' content that this content is being recorded again.
        self.inner
            .put(&path, PutPayload::from(content))
            .await
            .map_err(|e| self.error(e))?;
        Ok(key)
    }

    /// When the content under a key was last written, or `None` when there is none.
    pub async fn modified(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        match self.inner.head(&ObjectPath::from(key)).await {
            Ok(meta) => Ok(Some(meta.last_modified)),
            Err(e) if is_missing_object(&e) => Ok(None),
            Err(e) => Err(self.error(e)),
        }
    }

    /// The content under a key.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let path = ObjectPath::from(key);
        let got = self.inner.get(&path).await.map_err(|e| {
            if is_missing_object(&e) {
                StoreError::NotFound
            } else {
                self.error(e)
            }
        })?;
        let bytes = got.bytes().await.map_err(|e| self.error(e))?;
        Ok(bytes.to_vec())
    }

    /// Removes the content under a key; a key that is not there is already removed.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.inner.delete(&ObjectPath::from(key)).await {
            Ok(()) => Ok(()),
            Err(e) if is_missing_object(&e) => Ok(()),
            Err(e) => Err(self.error(e)),
        }
    }

    fn error(&self, e: object_store::Error) -> StoreError {
        store_error(&self.place, &self.secrets, e)
    }
}

/// S3 answers 404 for a missing bucket too; that is a misconfiguration, not a missing blob
/// (retention must not count a delete in the wrong bucket as done).
fn is_missing_object(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. }) && !is_missing_bucket(e)
}

fn is_missing_bucket(e: &object_store::Error) -> bool {
    e.to_string().contains("<Code>NoSuchBucket</Code>")
}

/// An object store failure, named by where the blobs are, with any credential that the server
/// or client echoed (S3 error bodies quote the signed request) blanked out.
fn store_error(place: &str, secrets: &[String], e: object_store::Error) -> StoreError {
    let mut message = e.to_string();
    for secret in secrets {
        message = message.replace(secret.as_str(), "[redacted]");
    }
    if is_missing_bucket(&e) {
        return StoreError::EvidenceStore(format!(
            "the evidence store at {place} has no such bucket; create it or correct the URL \
             ({message})"
        ));
    }
    StoreError::EvidenceStore(format!("the evidence store at {place}: {message}"))
}

/// Reads an evidence store URL. Messages never repeat the URL whole: it may carry a password.
fn parse_url(raw: &str) -> Result<Location, StoreError> {
    let invalid =
        |problem: String| StoreError::EvidenceStore(format!("{problem}; use {URL_FORMS}"));
    let url = url::Url::parse(raw.trim())
        .map_err(|e| invalid(format!("the evidence store URL is not a URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(StoreError::EvidenceStore(
            "the evidence store URL must not carry credentials; remove them from it and set \
             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead"
                .into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "the evidence store URL must not have a `?query` or `#fragment`".into(),
        ));
    }
    match url.scheme() {
        "s3" => {
            let bucket = url.host_str().unwrap_or_default();
            if bucket.is_empty() {
                return Err(invalid(
                    "the s3:// evidence store URL names no bucket".into(),
                ));
            }
            if let Some(port) = url.port() {
                return Err(invalid(format!(
                    "s3://{bucket}:{port} names a server, but an s3:// URL names a bucket; set \
                     AWS_ENDPOINT_URL for an S3-compatible server"
                )));
            }
            if !is_bucket_name(bucket) {
                return Err(invalid(format!(
                    "`{bucket}` is not an S3 bucket name (3 to 63 lowercase letters, digits, \
                     dots and hyphens, starting and ending with a letter or digit)"
                )));
            }
            let prefix = ObjectPath::from_url_path(url.path()).map_err(|e| {
                invalid(format!(
                    "the prefix in the s3://{bucket} URL is not a usable object path ({e})"
                ))
            })?;
            Ok(Location::S3 {
                bucket: bucket.to_string(),
                prefix,
            })
        }
        "file" => url.to_file_path().map(Location::Local).map_err(|()| {
            invalid("a file:// evidence store URL must name an absolute local path".into())
        }),
        scheme => Err(invalid(format!(
            "the evidence store URL has the scheme `{scheme}:`, which is not supported"
        ))),
    }
}

/// S3's rules for bucket names, so a typo is caught before the first upload.
fn is_bucket_name(name: &str) -> bool {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge_ok(name.chars().next())
        && edge_ok(name.chars().last())
}
