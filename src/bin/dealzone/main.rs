//! The `dealzone` command line: a thin layer over the library.

mod analyse;
mod bargain;
mod check;
mod files;
mod import;
mod simulate;
mod stability;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dealzone::model::{Date, Evidence};

/// Rule-based negotiation analysis: deal zones, concession paths, bargaining, stability.
#[derive(Debug, Parser)]
#[command(name = "dealzone", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What every analysis command takes.
#[derive(Debug, Args)]
pub struct Input {
    /// Scenario or timeline TOML file.
    pub file: PathBuf,
    /// For a timeline: analyse the scenario in force on this date (default: the latest).
    #[arg(long, value_parser = parse_date)]
    pub at: Option<Date>,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Leave out this red line or precondition (`party/id`; repeatable): what-if analysis.
    #[arg(long, value_name = "PARTY/ID")]
    pub without: Vec<String>,
    /// Refuse state spaces larger than this.
    #[arg(long, default_value_t = dealzone::Limits::default().max_states)]
    pub max_states: u64,
    /// Most acceptable states (and candidates, for bargaining) a search may hold.
    #[arg(long, default_value_t = dealzone::Limits::default().max_acceptable)]
    pub max_acceptable: u64,
    /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all).
    #[arg(long, value_name = "GRADE", value_parser = parse_evidence)]
    pub evidence: Option<Evidence>,
    #[command(flatten)]
    pub files: files::FileAccess,
}

/// Which zone search to run.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EngineArg {
    /// Brute force on small spaces, branch and bound on large ones.
    Auto,
    /// Scan every state.
    Brute,
    /// Branch and bound.
    Bnb,
}

/// What a path minimises.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CostArg {
    /// Total concession: the sum of every party's utility drops (the default).
    Total,
    /// Fewest one-rung moves.
    Steps,
    /// Fairest: the smallest largest single-party concession.
    Fair,
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
        /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all).
        #[arg(long, value_name = "GRADE", value_parser = parse_evidence)]
        evidence: Option<Evidence>,
        #[command(flatten)]
        files: files::FileAccess,
    },
    /// Find the deal zones: connected regions of states every party accepts.
    Zones {
        #[command(flatten)]
        input: Input,
        /// Zone search engine.
        #[arg(long, value_enum, default_value = "auto")]
        engine: EngineArg,
    },
    /// Find the concession path from the status quo into each deal zone.
    Path {
        #[command(flatten)]
        input: Input,
        /// What the path minimises.
        #[arg(long, value_enum, default_value = "total")]
        cost: CostArg,
        /// Write the status quo's neighbourhood and the paths as Graphviz DOT.
        #[arg(long)]
        dot: Option<PathBuf>,
    },
    /// The timeline report: every snapshot's zones, clashes, least that must give, Nash
    /// deal and path, what changed and what it did.
    Timeline {
        /// Timeline TOML file.
        file: PathBuf,
        /// Print JSON instead of the report.
        #[arg(long)]
        json: bool,
        /// Perturbed preference sets per sensitivity sweep.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Seed of the sensitivity sweeps.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the latest snapshot in utility space as an SVG picture (if it has no deal:
        /// with the cheapest relaxation granted, and the path to its Nash deal).
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Party on the picture's x axis (default: the first with a utility).
        #[arg(long, value_name = "PARTY")]
        x: Option<String>,
        /// Party on the picture's y axis (default: the second with a utility).
        #[arg(long, value_name = "PARTY")]
        y: Option<String>,
        /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all;
        /// findings that differ on stated evidence alone are marked `[evidence]`).
        #[arg(long, value_name = "GRADE", value_parser = parse_evidence)]
        evidence: Option<Evidence>,
        #[command(flatten)]
        files: files::FileAccess,
    },
    /// Bargaining: the Pareto frontier and the Nash, Kalai-Smorodinsky, egalitarian and
    /// maximum-welfare deals over the candidates.
    Bargain(bargain::Args),
    /// Explain a missing deal: minimal conflicts, minimal relaxations, softenings.
    Explain {
        #[command(flatten)]
        input: Input,
        /// Most consistency checks the enumeration may make before reporting
        /// `complete: false`.
        #[arg(long, default_value_t = dealzone::analysis::explain::ExplainLimits::default().max_checks)]
        max_checks: u64,
    },
    /// Write a GENIUS or GeniusWeb domain and its profiles out as a scenario TOML.
    Import(import::Args),
    /// Stability (GMCR): which states no decision maker will leave.
    Stability(stability::Args),
    /// Play the parties' rules and tactics through the concession graph, many seeded runs.
    Simulate(simulate::Args),
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

fn parse_evidence(s: &str) -> Result<Evidence, String> {
    s.parse::<Evidence>().map_err(|e| {
        match dealzone::nearest(s, Evidence::ALL.iter().map(|g| g.as_str())) {
            Some(m) => format!("{e}; did you mean `{m}`?"),
            None => e.to_string(),
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            file,
            at,
            json,
            evidence,
            files,
        } => check::run(&file, at, json, evidence, &files),
        Command::Zones { input, engine } => analyse::zones(&input, engine),
        Command::Path { input, cost, dot } => analyse::path(&input, cost, dot.as_deref()),
        Command::Explain { input, max_checks } => analyse::explain(&input, max_checks),
        Command::Bargain(args) => bargain::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Stability(args) => stability::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Timeline {
            file,
            json,
            samples,
            seed,
            svg,
            x,
            y,
            evidence,
            files,
        } => analyse::timeline(
            &file,
            json,
            evidence,
            samples,
            seed,
            svg.as_deref(),
            (x.as_deref(), y.as_deref()),
            &files,
        ),
    };
    use std::io::Write;
    // `eprintln!` panics when stderr cannot be written (`2>/dev/full`); the exit code
    // still tells what happened, so a lost message is not worth a panic.
    let complain = |message: std::fmt::Arguments<'_>| {
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    };
    match result {
        Ok(out) => {
            // `print!` panics when stdout is closed or full; a reader that stops early
            // (`| head`) is normal, a full disk is an error.
            match std::io::stdout().lock().write_all(out.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    complain(format_args!("cannot write the output: {e}"));
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            complain(format_args!("{e}"));
            ExitCode::from(1)
        }
    }
}
