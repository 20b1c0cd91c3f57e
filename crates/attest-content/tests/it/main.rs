//! Content tests: the shipped catalog is complete, consistent and in our own words.

mod catalog;
mod licensed;
mod policies;
