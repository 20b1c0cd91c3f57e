//! Black-box tests of the web server: each starts `attest serve`'s server on a free port over
//! a fresh database (SQLite, and PostgreSQL when `ATTEST_TEST_POSTGRES_URL` is set) and drives
//! it over HTTP like a browser or an API client would. Browser tests drive headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod api;
mod browser;
mod evidence;
mod idp;
mod mail;
mod monitoring;
mod pages;
mod people;
mod policies;
mod portal;
mod registers;
mod reviews;
mod signin;
mod sso;
mod support;
