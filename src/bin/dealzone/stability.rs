//! `dealzone stability` (stub).

use dealzone::Result;

/// Arguments of `dealzone stability`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input file.
    file: std::path::PathBuf,
}

/// Run `dealzone stability`.
pub fn run(args: &Args) -> Result<String> {
    Err(dealzone::Error::NotATimeline {
        path: args.file.clone(),
    })
}
