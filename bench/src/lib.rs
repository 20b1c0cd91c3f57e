//! Attest's benchmark suite. `bench/run` builds the release binaries and runs
//! `attest-bench`, which generates the demo company at each scale, measures every figure
//! beside a reference measured on the same machine in the same run, and prints one Markdown
//! table. `cargo bench -p attest-bench` runs the criterion micro-benchmarks of the hot
//! functions.

pub mod http;
pub mod machine;
pub mod pack;
pub mod program;
pub mod references;
pub mod stats;
pub mod target;

/// Every step of the suite fails with a message naming what went wrong.
pub type Res<T> = Result<T, Box<dyn std::error::Error>>;
