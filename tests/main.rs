//! One integration-test binary (link time stays low); each module is one concern.

mod broken;
mod cli;
mod rules;
mod scenarios;
mod seeds;
mod timeline;

/// Paths relative to the crate root.
pub fn root(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}
