//! One integration-test binary (link time stays low); each module is one concern.

mod bargain;
mod broken;
mod cli;
mod explain;
mod genius;
mod golden;
mod paths;
mod rules;
mod scenarios;
mod seeds;
mod sim;
mod stability;
mod svg;
mod timeline;
mod zones;

/// Paths relative to the crate root.
pub fn root(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}
