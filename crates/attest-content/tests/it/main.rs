//! Content tests: the shipped catalog is complete, consistent and in our own words.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod catalog;
mod checks;
mod licensed;
mod policies;
