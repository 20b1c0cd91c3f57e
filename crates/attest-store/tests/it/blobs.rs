//! The evidence blob store, on a local folder and on a real S3-compatible server.
//!
//! The S3 tests run when `ATTEST_TEST_S3_URL` names a plain-http server that creates buckets
//! on an unsigned `PUT /bucket` (moto: `moto_server -p 5000`, then
//! `ATTEST_TEST_S3_URL=http://127.0.0.1:5000`); each test makes its own bucket. Without it
//! they are skipped with a loud line, unless `ATTEST_REQUIRE_S3=1` (set by `.ci/run`) makes
//! that a failure.

use attest_store::{BlobStore, StoreError};
use object_store::aws::AmazonS3Builder;

/// The test client's secret key: it must never show in a message or a `Debug`.
const SECRET: &str = "attest-test-secret-key-never-shown";

/// A digest-shaped name; the store files content under whatever digest it is given.
fn sha(first: char) -> String {
    first.to_string().repeat(2) + &"0123456789abcdef".repeat(4)[2..]
}

/// The content under a key, as text so a failed comparison reads.
async fn text(store: &BlobStore, key: &str) -> String {
    String::from_utf8(store.get(key).await.unwrap()).unwrap()
}

/// What evidence upload and retention need from any store: put, get, put again (one object
/// per digest, its write time renewed so the sweep of deleted content spares it), delete
/// (twice: deleting a missing key is fine).
async fn put_get_dedupe_delete(store: &BlobStore) -> String {
    let sha = sha('a');
    assert_eq!(
        store.modified(&BlobStore::key_for(&sha)).await.unwrap(),
        None
    );
    let key = store.put(&sha, b"an upload".to_vec()).await.unwrap();
    assert_eq!(key, format!("sha256/aa/{sha}"));
    assert_eq!(text(store, &key).await, "an upload");
    let first = store.modified(&key).await.unwrap().unwrap();

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(store.put(&sha, b"an upload".to_vec()).await.unwrap(), key);
    assert_eq!(text(store, &key).await, "an upload");
    let second = store.modified(&key).await.unwrap().unwrap();
    assert!(second > first, "written again: {first} then {second}");

    store.delete(&key).await.unwrap();
    let gone = store.get(&key).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    store.delete(&key).await.unwrap();
    key
}

async fn a_missing_key_is_not_found(store: &BlobStore) {
    let got = store.get(&BlobStore::key_for(&sha('c'))).await;
    assert!(matches!(got, Err(StoreError::NotFound)), "{got:?}");
}

#[tokio::test]
async fn a_local_folder_stores_dedupes_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::from_url(&format!("file://{}/blobs", dir.path().display())).unwrap();
    assert_eq!(
        store.describe(),
        dir.path().join("blobs").display().to_string()
    );

    let key = store.put(&sha('b'), b"kept".to_vec()).await.unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("blobs").join(&key)).unwrap(),
        b"kept",
        "the key is the file's path in the folder"
    );
    put_get_dedupe_delete(&store).await;
}

#[tokio::test]
async fn a_missing_key_is_not_found_in_a_local_folder() {
    let dir = tempfile::tempdir().unwrap();
    a_missing_key_is_not_found(&BlobStore::local(dir.path()).unwrap()).await;
}

#[tokio::test]
async fn an_s3_bucket_stores_dedupes_and_deletes_under_its_prefix() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    let store = bucket.store("org-1/evidence/");
    assert_eq!(
        store.describe(),
        format!("s3://{}/org-1/evidence", bucket.name)
    );

    let key = put_get_dedupe_delete(&store).await;

    let kept = store.put(&sha('b'), b"kept".to_vec()).await.unwrap();
    let whole_bucket = bucket.store("");
    assert_eq!(
        text(&whole_bucket, &format!("org-1/evidence/{kept}")).await,
        "kept",
        "keys live under the URL's prefix"
    );
    let at_root = whole_bucket.get(&kept).await;
    assert!(matches!(at_root, Err(StoreError::NotFound)), "{at_root:?}");
    let deleted = whole_bucket.get(&format!("org-1/evidence/{key}")).await;
    assert!(matches!(deleted, Err(StoreError::NotFound)), "{deleted:?}");
}

#[tokio::test]
async fn a_missing_key_is_not_found_in_an_s3_bucket() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    a_missing_key_is_not_found(&bucket.store("evidence")).await;
}

/// A wrong bucket is a misconfiguration to report, never a missing blob: a `get` must not say
/// "not found" and a retention `delete` must not count as done.
#[tokio::test]
async fn a_missing_bucket_is_reported_naming_the_store_not_the_secret() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    let url = format!("s3://{}-missing/evidence", bucket.name);
    let store = BlobStore::s3_with(&url, bucket.client()).unwrap();
    let key = BlobStore::key_for(&sha('d'));
    for (call, result) in [
        (
            "put",
            store.put(&sha('d'), b"lost".to_vec()).await.map(drop),
        ),
        ("get", store.get(&key).await.map(drop)),
        ("delete", store.delete(&key).await),
    ] {
        let err = result.unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, StoreError::EvidenceStore(_)),
            "{call}: {err:?}"
        );
        assert!(
            text.contains(&url) && text.contains("no such bucket"),
            "{call}: {text}"
        );
        assert!(!text.contains(SECRET), "{call}: {text}");
    }
}

#[test]
fn bad_urls_are_refused_with_the_fix() {
    for (url, problem) in [
        ("https://example.com/bucket", "scheme `https:`"),
        ("gs://bucket/evidence", "scheme `gs:`"),
        ("/var/lib/attest/blobs", "not a URL"),
        ("s3://", "names no bucket"),
        ("s3:///evidence", "names no bucket"),
        ("s3://Evidence_Bucket/x", "not an S3 bucket name"),
        ("s3://bucket:9000/x", "set AWS_ENDPOINT_URL"),
        ("s3://bucket/a//b", "prefix"),
        ("s3://bucket/x?versionId=1", "query"),
        ("file://relative/blobs", "absolute local path"),
    ] {
        let err = BlobStore::from_url(url).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, StoreError::EvidenceStore(_)),
            "{url}: {err:?}"
        );
        assert!(text.contains(problem), "{url}: {text}");
        assert!(
            text.contains("use s3://bucket/prefix or file:///absolute/path"),
            "{url}: {text}"
        );
    }
}

#[test]
fn a_url_carrying_credentials_is_refused_without_repeating_them() {
    let text = BlobStore::from_url(&format!("s3://AKIATEST:{SECRET}@bucket/evidence"))
        .unwrap_err()
        .to_string();
    assert!(text.contains("AWS_SECRET_ACCESS_KEY"), "{text}");
    assert!(
        !text.contains(SECRET) && !text.contains("AKIATEST"),
        "{text}"
    );
}

#[test]
fn describe_and_debug_never_show_credentials() {
    let client = AmazonS3Builder::new()
        .with_access_key_id("AKIATEST")
        .with_secret_access_key(SECRET)
        .with_token(format!("{SECRET}-token"));
    let store = BlobStore::s3_with("s3://bucket/evidence/", client).unwrap();
    assert_eq!(store.describe(), "s3://bucket/evidence");
    let debug = format!("{store:?}");
    assert!(debug.contains("s3://bucket/evidence"), "{debug}");
    assert!(
        !debug.contains(SECRET) && !debug.contains("AKIATEST"),
        "{debug}"
    );

    let bare = BlobStore::from_url("s3://bucket").unwrap();
    assert_eq!(bare.describe(), "s3://bucket");
}

#[test]
fn a_plain_http_endpoint_is_refused_unless_allowed() {
    let client = AmazonS3Builder::new()
        .with_endpoint("http://127.0.0.1:9000")
        .with_access_key_id("AKIATEST")
        .with_secret_access_key(SECRET);
    let err = BlobStore::s3_with("s3://bucket", client.clone()).unwrap_err();
    assert!(err.to_string().contains("AWS_ALLOW_HTTP=true"), "{err}");
    BlobStore::s3_with("s3://bucket", client.with_allow_http(true)).unwrap();
}

/// A new bucket on the test server, or `None` when the S3 tests are skipped.
struct TestBucket {
    endpoint: String,
    name: String,
}

impl TestBucket {
    fn create() -> Option<TestBucket> {
        let (endpoint, name) = attest_store::testing::s3_test_bucket()?;
        Some(TestBucket { endpoint, name })
    }

    /// The test server's connection settings, given in code rather than through `AWS_*`.
    fn client(&self) -> AmazonS3Builder {
        AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id("attest-test")
            .with_secret_access_key(SECRET)
    }

    fn store(&self, prefix: &str) -> BlobStore {
        BlobStore::s3_with(&format!("s3://{}/{prefix}", self.name), self.client()).unwrap()
    }
}
