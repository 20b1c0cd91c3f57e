//! The embedded static files (stylesheet, htmx, the small script that wires forms), served
//! with long caching: their URLs carry a content hash, so a new build gets new URLs.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// A short content hash of all assets, put in their URLs (`/assets/{hash}/app.css`).
pub(crate) static VERSION: LazyLock<String> = LazyLock::new(|| {
    // FNV-1a: enough to tell builds apart; this is a cache key, not a security boundary.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in ASSETS.files() {
        for b in file.contents() {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:012x}", hash & 0xffff_ffff_ffff)
});

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

pub(crate) async fn serve(Path((_version, name)): Path<(String, String)>) -> Response {
    let Some(file) = ASSETS.get_file(&name) else {
        return crate::error::WebError::not_found("no such asset").into_response();
    };
    let mut response = (StatusCode::OK, file.contents()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&name)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
