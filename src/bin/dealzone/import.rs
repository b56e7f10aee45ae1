//! `dealzone import` (stub).

use dealzone::Result;

/// Arguments of `dealzone import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input file.
    file: std::path::PathBuf,
}

/// Run `dealzone import`.
pub fn run(args: &Args) -> Result<String> {
    Err(dealzone::Error::NotATimeline {
        path: args.file.clone(),
    })
}
