//! Use-case tests that need no terminal: the demo company and what the gap analysis makes of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_reviews;
mod cache;
mod demo;
mod ledger;
mod monitoring;
mod package;
mod people;
mod policies;
mod registers;
mod sealing;
