//! Rebuilds the crate when any file under `content/` changes: `include_dir!` alone does not
//! notice added or removed files on stable Rust.
fn main() {
    println!("cargo:rerun-if-changed=../../content");
}
