//! The `dealzone` command line: a thin layer over the library.

mod check;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dealzone::model::Date;

/// Rule-based negotiation analysis: deal zones, concession paths, bargaining, stability.
#[derive(Debug, Parser)]
#[command(name = "dealzone", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a scenario or timeline file and summarise it.
    Check {
        /// Scenario or timeline TOML file.
        file: PathBuf,
        /// For a timeline: the date to summarise (default: the latest snapshot).
        #[arg(long, value_parser = parse_date)]
        at: Option<Date>,
        /// Print JSON instead of a readable summary.
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { file, at, json } => check::run(&file, at, json),
    };
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
