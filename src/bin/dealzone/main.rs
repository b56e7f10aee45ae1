//! The `dealzone` command line: a thin layer over the library.

mod analyse;
mod bargain;
mod check;
mod import;
mod simulate;
mod stability;
mod timeline;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dealzone::model::Date;

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
        /// Draw the snapshot in force on this date (default: the latest) with `--svg`.
        #[arg(long, value_parser = parse_date)]
        at: Option<Date>,
        /// Write one snapshot (`--at`, default the latest) in utility space as an SVG
        /// picture, as it stands; with no deal, also each what-if of the report, one file
        /// each, named FILE's stem + `.what-if-K.svg` and titled with what was dropped.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Write every snapshot as SVG into this folder (created if missing): `DATE.svg`,
        /// and with no deal `DATE.what-if-K.svg` for each what-if.
        #[arg(long, value_name = "DIR")]
        svg_dir: Option<PathBuf>,
        /// Party on the picture's x axis (default: the first with a utility).
        #[arg(long, value_name = "PARTY")]
        x: Option<String>,
        /// Party on the picture's y axis (default: the second with a utility).
        #[arg(long, value_name = "PARTY")]
        y: Option<String>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { file, at, json } => check::run(&file, at, json),
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
            at,
            svg,
            svg_dir,
            x,
            y,
        } => timeline::run(&timeline::Args {
            file: &file,
            json,
            samples,
            seed,
            at,
            svg: svg.as_deref(),
            svg_dir: svg_dir.as_deref(),
            axes: (x.as_deref(), y.as_deref()),
        }),
    };
    match result {
        Ok(out) => {
            use std::io::Write;
            // `print!` panics when stdout is closed or full; a reader that stops early
            // (`| head`) is normal, a full disk is an error.
            match std::io::stdout().lock().write_all(out.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cannot write the output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
