//! `dealzone simulate`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use dealzone::model::Date;
use dealzone::model::simulation::ProtocolKind;
use dealzone::sim::{SimConfig, SimError, World, monte_carlo, summarise};
use dealzone::{Error, Limits, Result};

use crate::analyse::pretty;

/// Runs from which a progress bar is worth showing.
const PROGRESS_FROM: u64 = 2000;

/// Which protocol to play.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProtocolArg {
    /// The scenario's choice: mediation when a party is a mediator, else alternating offers.
    Auto,
    /// Multi-party alternating offers.
    Alternating,
    /// Single-text mediation.
    Mediation,
}

/// Arguments of `dealzone simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario or timeline TOML file.
    file: PathBuf,
    /// For a timeline: simulate the scenario in force on this date (default: the latest).
    #[arg(long, value_parser = crate::parse_date)]
    at: Option<Date>,
    /// Number of runs.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    /// Master seed; run k uses its own seed derived from this and k.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Deadline in rounds (default: the scenario's `[simulation] deadline`, else 100).
    #[arg(long)]
    rounds: Option<u32>,
    /// Protocol (default: the scenario's `[simulation] protocol`).
    #[arg(long, value_enum)]
    protocol: Option<ProtocolArg>,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    json: bool,
    /// Write the trace of one run (see `--trace-run`) as JSON to this file.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Which run `--trace` writes (0-based; default: the first run that reached agreement,
    /// else run 0).
    #[arg(long)]
    trace_run: Option<u64>,
    /// Refuse state spaces larger than this.
    #[arg(long, default_value_t = Limits::default().max_states)]
    max_states: u64,
    /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all):
    /// rules and events graded weaker are left out too.
    #[arg(long, value_name = "GRADE", value_parser = crate::parse_evidence)]
    evidence: Option<dealzone::model::Evidence>,
    #[command(flatten)]
    files: crate::files::FileAccess,
}

/// Run `dealzone simulate`.
pub fn run(args: &Args) -> Result<String> {
    let input = crate::Input {
        file: args.file.clone(),
        at: args.at,
        json: args.json,
        without: Vec::new(),
        max_states: args.max_states,
        max_acceptable: dealzone::Limits::default().max_acceptable,
        evidence: args.evidence,
        files: args.files.clone(),
    };
    let scenario = crate::analyse::scenario(&input)?;
    let config = SimConfig {
        runs: args.runs,
        seed: args.seed,
        rounds: args.rounds,
        protocol: args.protocol.map(|p| match p {
            ProtocolArg::Auto => ProtocolKind::Auto,
            ProtocolArg::Alternating => ProtocolKind::Alternating,
            ProtocolArg::Mediation => ProtocolKind::Mediation,
        }),
        limits: Limits {
            max_states: args.max_states,
            ..Limits::default()
        },
    };
    dealzone::sim::check_runs(config.runs)?;
    if let Some(k) = args.trace_run
        && k >= config.runs
    {
        return Err(SimError::NoSuchRun {
            run: k,
            runs: config.runs,
        }
        .into());
    }
    let world = World::new(
        &scenario,
        dealzone::sim::Overrides {
            deadline: config.rounds,
            protocol: config.protocol,
        },
        &config.limits,
    )
    .map_err(|e| match e {
        dealzone::Error::Simulation(source) => SimError::InFile {
            file: args.file.display().to_string(),
            source: Box::new(source),
        }
        .into(),
        other => other,
    })?;
    let show = !args.json
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal()
        && config.runs >= PROGRESS_FROM;
    let bar = show.then(|| {
        let b = indicatif::ProgressBar::new(config.runs);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs, {elapsed} elapsed, ~{eta} left",
        ) {
            b.set_style(style);
        }
        b
    });
    let done = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let results = monte_carlo::run_many(&world, config.runs, config.seed, &done);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = summarise(&world, &results, config.seed, &config.limits)?;
    if let Some(file) = &args.trace {
        let k = args.trace_run.unwrap_or_else(|| {
            results
                .iter()
                .position(|r| r.agreed.is_some())
                .map_or(0, |k| k as u64)
        });
        let (r, t) = monte_carlo::replay(&world, config.seed, k);
        let doc = dealzone::report::simulate::trace(&world, config.seed, k, &r, &t);
        std::fs::write(file, pretty(&doc)).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
    }
    Ok(if args.json {
        pretty(&crate::analyse::graded(
            dealzone::report::simulate::json(&world, &summary),
            &scenario,
            args.evidence,
        ))
    } else {
        dealzone::report::simulate::text(&world, &summary)
    })
}
