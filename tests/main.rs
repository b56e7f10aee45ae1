//! One integration-test binary (link time stays low); each module is one concern.

mod bargain;
mod bargain_stream;
mod broken;
mod cli;
mod confine;
mod deep;
mod evidence;
mod explain;
mod explain_scale;
mod formats;
mod fuzz_regressions;
mod genius;
mod golden;
mod hard;
mod hard_families;
mod mirror;
mod mirror_explain;
mod path_limits;
mod paths;
mod report_reuse;
mod rules;
mod scenarios;
mod schema;
mod seeds;
mod sensitivity;
mod session;
mod shared_order;
mod sim;
mod stability;
mod stated_alone;
mod svg;
mod timeline;
mod zones;

/// The budget tests (`hard`, `hard_families`) take this lock so they do not share the
/// cores with each other: each measures its own wall time.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Paths relative to the crate root.
pub fn root(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run the `dealzone` binary from the crate root: exit code, stdout, stderr.
pub fn dealzone(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run dealzone");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
