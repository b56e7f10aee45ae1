//! `dealzone import`: a GENIUS or GeniusWeb domain and its profiles written out as scenario
//! TOML.

use std::path::PathBuf;

use dealzone::analysis::bargain::imported::NoDeal;
use dealzone::io::genius::{self, ImportOptions};
use dealzone::{Error, Result};

/// What no agreement is worth.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum NoDealArg {
    /// Each party's reservation value (discounted like an outcome under `--time`).
    Reservation,
    /// Zero for every party.
    Zero,
}

impl From<NoDealArg> for NoDeal {
    fn from(a: NoDealArg) -> NoDeal {
        match a {
            NoDealArg::Reservation => NoDeal::Reservation,
            NoDealArg::Zero => NoDeal::Zero,
        }
    }
}

/// Import options from `--step` arguments.
pub fn import_options(steps: &[String]) -> Result<ImportOptions> {
    let mut options = ImportOptions::default();
    for s in steps {
        if let Err(message) = options.steps.add(s) {
            // A bad step is a usage error: report it as clap does and exit with code 2.
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value for '--step': {message}\n"),
            )
            .exit();
        }
    }
    Ok(options)
}

/// Arguments of `dealzone import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A GENIUS domain XML or GeniusWeb domain JSON.
    #[arg(long)]
    domain: PathBuf,
    /// A party's GENIUS profile XML or GeniusWeb profile JSON (repeatable, in party order).
    #[arg(long, required = true)]
    profile: Vec<PathBuf>,
    /// Discretisation step for real-valued GENIUS issues: `0.1` for all, `ISSUE=0.1` for
    /// one (repeatable).
    #[arg(long, value_name = "[ISSUE=]STEP")]
    step: Vec<String>,
    /// Write the scenario TOML here instead of to standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    files: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

/// Run `dealzone import`.
pub fn run(args: &Args) -> Result<String> {
    let options = import_options(&args.step)?;
    let limits = args.files.apply(args.budget.limits());
    let imported = genius::load_with(&args.domain, &args.profile, &options, &limits)?;
    let toml = genius::export::to_toml(&imported);
    match &args.output {
        None => Ok(toml),
        Some(path) => {
            std::fs::write(path, &toml).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            Ok(String::new())
        }
    }
}
