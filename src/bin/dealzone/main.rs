//! The `dealzone` command line: a thin layer over the library.

mod analyse;
mod bargain;
mod check;
mod export;
mod files;
mod import;
mod simulate;
mod stability;
mod timeline;
mod tournament;

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
    // Plain comments: clap would take doc comments on flattened groups as help text.
    #[command(flatten)]
    #[allow(missing_docs)]
    pub files: files::FileAccess,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub budget: Budget,
}

/// The time and memory budgets every command takes.
#[derive(Debug, Clone, Args)]
pub struct Budget {
    /// Wall-time budget in seconds (`none`: no limit; default 60, and 600 for `timeline`,
    /// which runs every analysis on every date twice); past it the command stops with an
    /// error naming the limit (`explain` reports what it found with `complete: false`).
    #[arg(long, value_name = "SECONDS|none", value_parser = parse_time_limit)]
    pub time_limit: Option<TimeLimit>,
    /// Memory budget in bytes (suffixes K, M, G) for the large tables an analysis builds.
    #[arg(long, value_name = "BYTES", default_value = "4G", value_parser = parse_bytes)]
    pub memory_limit: u64,
    /// Most states a path search may visit.
    #[arg(long, default_value_t = dealzone::Limits::default().max_visited)]
    pub max_visited: u64,
    /// Most labels the fairest-path and blocking-set searches may hold.
    #[arg(long, default_value_t = dealzone::Limits::default().max_labels)]
    pub max_labels: u64,
}

/// The default wall-time budget of `timeline` (the report analyses every date, its what-ifs
/// and the same on stated evidence alone).
pub const TIMELINE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// A parsed `--time-limit`.
#[derive(Debug, Clone, Copy)]
pub struct TimeLimit(pub Option<std::time::Duration>);

impl Budget {
    /// `limits` with this budget's time, memory and visit limits.
    pub fn apply(&self, limits: dealzone::Limits) -> dealzone::Limits {
        dealzone::Limits {
            time_limit: self
                .time_limit
                .map_or(Some(dealzone::DEFAULT_TIME_LIMIT), |t| t.0),
            max_memory_bytes: self.memory_limit,
            max_visited: self.max_visited,
            max_labels: self.max_labels,
            ..limits
        }
    }

    /// The default limits with this budget, `default_time` when no `--time-limit` is given.
    pub fn limits_with_time(&self, default_time: std::time::Duration) -> dealzone::Limits {
        dealzone::Limits {
            time_limit: self.time_limit.map_or(Some(default_time), |t| t.0),
            ..self.limits()
        }
    }

    /// The default limits with this budget.
    pub fn limits(&self) -> dealzone::Limits {
        self.apply(dealzone::Limits::default())
    }
}

fn parse_time_limit(s: &str) -> Result<TimeLimit, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(TimeLimit(None));
    }
    match s.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t < 1e9 => {
            Ok(TimeLimit(Some(std::time::Duration::from_secs_f64(t))))
        }
        _ => Err(format!("`{s}` is not a number of seconds > 0 or `none`")),
    }
}

fn parse_bytes(s: &str) -> Result<u64, String> {
    let (digits, unit) = match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((k, _)) => s.split_at(k),
        None => (s, ""),
    };
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("`{s}`: unknown unit (use K, M, G or T)")),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is not a byte count > 0 (suffixes K, M, G, T)"))
}

/// The flags that lift what an error names, if the command line has them: the library
/// names limits and settings ([`dealzone::Limit`], `allow_outside_paths`), never flags.
fn raising_flags(e: &dealzone::Error) -> Vec<&'static str> {
    use dealzone::Limit;
    use dealzone::error::{ErrorKind, Refusal};
    let refusal = |r: &Refusal| match r {
        Refusal::Absolute | Refusal::Escapes | Refusal::LinksOut => {
            Some("pass --allow-outside-paths to read it anyway")
        }
        Refusal::TooLarge { .. } => Some("raise it with --max-file-bytes"),
        _ => None,
    };
    let mut flags: Vec<&'static str> = match e {
        dealzone::Error::TooManyStates { .. } => vec!["raise it with --max-states"],
        dealzone::Error::LimitExceeded { limit, .. } => match *limit {
            Limit::TimeLimit => vec!["raise it with --time-limit (`none` lifts it)"],
            Limit::MaxMemoryBytes => vec!["raise it with --memory-limit"],
            Limit::MaxVisited => vec!["raise it with --max-visited"],
            Limit::MaxLabels => vec!["raise it with --max-labels"],
            Limit::MaxAcceptable => vec!["raise it with --max-acceptable"],
            Limit::MaxStates => vec!["raise it with --max-states"],
            Limit::MaxConflictStates => vec!["raise it with --max-conflict-states"],
            Limit::MaxChecks => vec!["raise it with --max-checks"],
            _ => vec![],
        },
        dealzone::Error::Refused { reason, .. } => refusal(reason).into_iter().collect(),
        dealzone::Error::NotATimeline { .. } => vec!["drop --at for a single scenario"],
        dealzone::Error::Genius(g)
            if matches!(
                g.kind,
                dealzone::io::genius::GeniusErrorKind::RealWithoutStep { .. }
            ) =>
        {
            vec!["give the step with --step ISSUE=STEP (or --step STEP for every issue)"]
        }
        dealzone::Error::Simulation(dealzone::sim::SimError::UnseatedAgent { .. }) => {
            vec!["seat a program under that name with --agent NAME=PROGRAM"]
        }
        dealzone::Error::Gmcr(_) if e.to_string().contains("max_conflict_states") => {
            vec!["raise it with --max-conflict-states"]
        }
        _ => vec![],
    };
    for d in e.diagnostics().unwrap_or_default() {
        if let ErrorKind::Refused { reason, .. } = &d.kind {
            flags.extend(refusal(reason));
        }
    }
    flags.dedup();
    flags
}

/// What a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The readable report.
    Text,
    /// The JSON document (as `--json`).
    Json,
    /// A table, RFC 4180 CSV, one row per state or run (docs/CONTRACT.md, "Tables").
    Csv,
}

/// Write `write`'s output to standard output as it comes (a table is never held whole);
/// a reader that stops early (`| head`) is normal.
pub fn stream(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> dealzone::Result<String> {
    let mut out = std::io::stdout().lock();
    match write(&mut out) {
        Ok(()) => Ok(String::new()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(String::new()),
        Err(source) => Err(dealzone::Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        }),
    }
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
        #[command(flatten)]
        budget: Budget,
    },
    /// Find the deal zones: connected regions of states every party accepts.
    Zones {
        #[command(flatten)]
        input: Input,
        /// Zone search engine.
        #[arg(long, value_enum, default_value = "auto")]
        engine: EngineArg,
        /// Output: `text` (default), `json` (as `--json`) or `csv` (one row per acceptable
        /// state: its zone, levels and utilities).
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<FormatArg>,
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
        /// Most minimal blocking sets listed per unreachable zone (the rest are counted).
        #[arg(long, value_name = "N", default_value_t = dealzone::analysis::path::DEFAULT_BLOCKING_CAP)]
        blocking_cap: usize,
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
        /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all;
        /// findings that differ on stated evidence alone are marked `[evidence]`).
        #[arg(long, value_name = "GRADE", value_parser = parse_evidence)]
        evidence: Option<Evidence>,
        #[command(flatten)]
        files: files::FileAccess,
        #[command(flatten)]
        budget: Budget,
        /// Leave out this red line or precondition (`party/id`; repeatable) on every date
        /// that has it: what-if analysis.
        #[arg(long, value_name = "PARTY/ID")]
        without: Vec<String>,
        /// Draw only shard I of N of every sensitivity sweep (`I/N`, I from 0) and print its
        /// shard document (JSON); `dealzone merge` joins the N documents into exactly this
        /// command's output without `--shard`.
        #[arg(long, value_name = "I/N", value_parser = simulate::parse_shard, conflicts_with_all = ["svg", "svg_dir"])]
        shard: Option<dealzone::sim::shard::ShardSpec>,
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
    /// Write a scenario out as a GENIUS or GeniusWeb domain and one profile per party.
    Export(export::Args),
    /// Stability (GMCR): which states no decision maker will leave.
    Stability(stability::Args),
    /// Play the parties' rules and tactics through the concession graph, many seeded runs.
    Simulate(simulate::Args),
    /// Play every line-up of tactics on every scenario of a spec, repeated: a results
    /// table (one CSV row per match, resumable) and the standard scores.
    Tournament(tournament::Args),
    /// Merge the shard documents of `simulate --shard I/N` (or of `timeline --shard I/N`,
    /// or the shard tables of `tournament --shard I/N` with `--out TABLE`) into exactly the
    /// output of the unsharded run.
    Merge(simulate::MergeArgs),
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
            budget,
        } => check::run(&file, at, json, evidence, &files, &budget.limits()),
        Command::Zones {
            mut input,
            engine,
            format,
        } => {
            input.json |= format == Some(FormatArg::Json);
            analyse::zones(&input, engine, format == Some(FormatArg::Csv))
        }
        Command::Path {
            input,
            cost,
            dot,
            blocking_cap,
        } => analyse::path(&input, cost, dot.as_deref(), blocking_cap),
        Command::Explain { input, max_checks } => analyse::explain(&input, max_checks),
        Command::Bargain(args) => bargain::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Stability(args) => stability::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Tournament(args) => tournament::run(&args),
        Command::Merge(args) => simulate::merge(&args),
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
            evidence,
            files,
            budget,
            without,
            shard,
        } => timeline::run(&timeline::Args {
            file: &file,
            json,
            evidence,
            samples,
            seed,
            at,
            svg: svg.as_deref(),
            svg_dir: svg_dir.as_deref(),
            axes: (x.as_deref(), y.as_deref()),
            files: &files,
            limits: budget.limits_with_time(TIMELINE_TIME_LIMIT),
            without: &without,
            sweep: shard.map_or(timeline::Sweep::All, timeline::Sweep::Shard),
        }),
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
            for flag in raising_flags(&e) {
                complain(format_args!("  = help: {flag}"));
            }
            ExitCode::from(1)
        }
    }
}
