//! `dealzone simulate` (stub).

use dealzone::Result;

/// Arguments of `dealzone simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input file.
    file: std::path::PathBuf,
}

/// Run `dealzone simulate`.
pub fn run(args: &Args) -> Result<String> {
    Err(dealzone::Error::NotATimeline {
        path: args.file.clone(),
    })
}
