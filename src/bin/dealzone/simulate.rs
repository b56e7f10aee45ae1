//! `dealzone simulate`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use dealzone::model::Date;
use dealzone::model::simulation::{Opener, ProtocolKind};
use dealzone::sim::shard::{Shard, ShardSpec};
use dealzone::sim::{SimConfig, SimError, World, monte_carlo, summarise_streaming};
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
    /// The order of turns in each round of alternating offers: `first` (file order),
    /// `random` (drawn per run, so no finding depends on the order the parties are
    /// written in) or a party id (it opens, the others follow in file order; default: the
    /// scenario's `[simulation] opener`, else `first`).
    #[arg(long, value_name = "first|random|PARTY")]
    opener: Option<String>,
    /// Let agents offer and accept states that cannot be implemented from the status quo
    /// under the preconditions (bad-faith offers); such agreements are counted as
    /// `unimplementable`, never as deals.
    #[arg(long)]
    bad_faith: bool,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    json: bool,
    /// Output: `text` (default), `json` (as `--json`) or `csv`: one row per run (outcome,
    /// state, rounds, utilities, who walked out, rules and events that fired), streamed in
    /// run order; with `--shard`, the shard's runs (each shard's file has the header).
    #[arg(long, value_enum, conflicts_with = "json")]
    format: Option<crate::FormatArg>,
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
    /// Play only shard I of N (`I/N`, I from 0) and print its shard document (JSON);
    /// `dealzone merge` joins the N documents into exactly this command's output without
    /// `--shard`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<ShardSpec>,
    /// Seat an outside agent: party PARTY is played by PROGRAM (with its arguments, split
    /// at spaces, run without a shell) over the line-delimited JSON protocol of
    /// docs/agent-protocol.md. Repeatable. Plays one run (the stream of run `--trace-run`,
    /// default 0) and reports it; only programs named here ever run, never one from a file.
    #[arg(long, value_name = "PARTY=PROGRAM", conflicts_with_all = ["runs", "shard", "format"])]
    agent: Vec<String>,
    /// With `--agent`: the longest wait for each line an agent sends, in milliseconds;
    /// none in time forfeits the run (the party walks out).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    move_timeout_ms: u64,
    /// With `--agent`: refused lines allowed per move before the move is forfeited.
    #[arg(long, default_value_t = 3)]
    agent_retries: u32,
    /// With `--agent`: write every line exchanged with the agents (and the referee's
    /// notes) to this file, one JSON object per line: `{"party", "dir", "line"}`.
    #[arg(long, value_name = "FILE")]
    agent_log: Option<PathBuf>,
    /// Draw the offer trace of the traced run (each party's utility of each offer over the
    /// rounds, the agreement marked) as SVG to this file.
    #[arg(long, value_name = "FILE")]
    trace_svg: Option<PathBuf>,
    #[command(flatten)]
    files: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

pub fn parse_shard(s: &str) -> std::result::Result<ShardSpec, String> {
    ShardSpec::parse(s).map_err(|e| e.to_string())
}

/// Arguments of `dealzone merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard documents of one batch (`dealzone simulate --shard I/N`, `timeline --shard
    /// I/N` or `tournament --shard I/N`), in any order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON instead of a readable report (as `dealzone simulate --json`).
    #[arg(long)]
    json: bool,
    /// For tournament shards (`dealzone tournament --shard I/N`): write the merged results
    /// table here (never over an existing file); the report printed is the unsharded
    /// `dealzone tournament SPEC --out FILE`'s.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where the file a shard names (the scenario, timeline or tournament spec to load
    /// again) may be, how large: inside the first shard's folder unless
    /// `--allow-outside-paths` (the flags a shard records are not used: a shard is input).
    #[command(flatten)]
    access: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

fn protocol_name(p: Option<ProtocolArg>) -> Option<&'static str> {
    p.map(|p| match p {
        ProtocolArg::Auto => "auto",
        ProtocolArg::Alternating => "alternating",
        ProtocolArg::Mediation => "mediation",
    })
}

/// A file dealzone wrote (a shard, a results table being resumed) read back as text: only a
/// regular file (a named pipe or `/dev/zero` would block or never end), of any size (a
/// large batch's own output is not refused), invalid UTF-8 a diagnostic at its line and
/// column.
///
/// # Errors
/// [`Error::Refused`] for anything but a regular file; [`Error::Io`]; [`Error::Invalid`].
pub fn read_output(file: &std::path::Path) -> Result<String> {
    let any_size = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    let bytes = dealzone::io::source::read_file(file, &any_size)?;
    dealzone::io::source::decode(&file.display().to_string(), bytes)
}

/// A name in the working folder, for [`named_by_shard`] of a simulate or timeline shard.
const WORKING_FOLDER: &str = "./merge";

/// The file a shard's `source` names (`written`), resolved as a timeline's `base` is
/// ([`dealzone::io::source::resolve_named`]) against the folder `naming` lies in, and
/// refused outside it unless the merge's own `--allow-outside-paths` (a shard is input:
/// the flags it records are not used). A tournament shard records its spec relative to
/// its own file; `simulate` and `timeline` shards (printed, so not knowing where they
/// will be kept) the file as their command line gave it, which resolves against the
/// merge's working folder.
///
/// # Errors
/// [`Error::Refused`] for an absolute path, a `..` that climbs out or a link out.
pub fn named_by_shard(
    naming: &std::path::Path,
    written: &str,
    access: &crate::files::FileAccess,
) -> Result<PathBuf> {
    let limits = access.apply(Limits::default());
    let path = dealzone::io::source::resolve_named(naming, written, &limits).map_err(|reason| {
        Error::Refused {
            path: PathBuf::from(written),
            reason,
        }
    })?;
    // `./FILE` as the shard wrote it, `FILE`: the same name in the merged report.
    Ok(path
        .strip_prefix(".")
        .map_or_else(|_| path.clone(), PathBuf::from))
}

/// Run `dealzone merge`: the shards' batch, as `dealzone simulate` prints it (or the
/// timeline report, as `dealzone timeline` prints it, from its sweeps' shards).
pub fn merge(m: &MergeArgs) -> Result<String> {
    let mut texts = Vec::new();
    for file in &m.files {
        texts.push(read_output(file)?);
    }
    // Every file must be a shard of the same command.
    let kind = |text: &str| {
        if dealzone::sim::tournament_shard::is_tournament_shard(text) {
            "a tournament shard"
        } else if text.contains(dealzone::sim::sweep_shard::SWEEP_SHARD_FORMAT) {
            "a timeline sweep shard"
        } else {
            "a simulate shard"
        }
    };
    let first_kind = kind(&texts[0]);
    if let Some(k) = texts.iter().position(|t| kind(t) != first_kind) {
        return Err(SimError::MixedShards {
            first: m.files[0].display().to_string(),
            first_kind: first_kind.into(),
            file: m.files[k].display().to_string(),
            kind: kind(&texts[k]).into(),
        }
        .into());
    }
    if first_kind == "a tournament shard" {
        return crate::tournament::merge(
            &m.files,
            &texts,
            m.out.as_deref(),
            m.json,
            &m.budget,
            &m.access,
        );
    }
    if m.out.is_some() {
        return Err(SimError::Shard {
            message: format!(
                "--out is for tournament shards; `{}` is {first_kind}, whose merge prints its report",
                m.files[0].display()
            ),
        }
        .into());
    }
    if first_kind == "a timeline sweep shard" {
        return merge_timeline(m, &texts);
    }
    let mut shards = Vec::new();
    for (file, text) in m.files.iter().zip(&texts) {
        let shard = Shard::from_json(text).map_err(|e| SimError::InFile {
            file: file.display().to_string(),
            source: Box::new(e),
        })?;
        shards.push(shard);
    }
    // The first shard's command line rebuilds the world; the merge checks every shard
    // against it (the world's digest).
    let src = &shards[0].source;
    let bad = |what: &str| -> Error {
        SimError::InFile {
            file: m.files[0].display().to_string(),
            source: Box::new(SimError::Shard {
                message: format!("the shard document does not say {what}"),
            }),
        }
        .into()
    };
    let file = src["file"]
        .as_str()
        .ok_or_else(|| bad("which file it simulated"))?;
    let file = named_by_shard(WORKING_FOLDER.as_ref(), file, &m.access)?
        .display()
        .to_string();
    let text_arg = |key: &str| src[key].as_str().map(str::to_string);
    let mut argv: Vec<String> = vec!["simulate".into(), file];
    for key in ["at", "evidence", "protocol", "opener"] {
        if let Some(v) = text_arg(key) {
            argv.push(format!("--{key}"));
            argv.push(v);
        }
    }
    if src["bad_faith"] == true {
        argv.push("--bad-faith".into());
    }
    if let Some(r) = src["rounds"].as_u64() {
        argv.extend(["--rounds".into(), r.to_string()]);
    }
    if let Some(n) = src["max_states"].as_u64() {
        argv.extend(["--max-states".into(), n.to_string()]);
    }
    // The merge's own file flags, never the shard's.
    if m.access.allow_outside_paths {
        argv.push("--allow-outside-paths".into());
    }
    argv.extend([
        "--max-file-bytes".into(),
        m.access.max_file_bytes.to_string(),
    ]);
    argv.extend(["--runs".into(), shards[0].runs.to_string()]);
    argv.extend(["--seed".into(), shards[0].seed.to_string()]);
    #[derive(clap::Parser)]
    struct Again {
        #[command(subcommand)]
        command: Sim,
    }
    #[derive(clap::Subcommand)]
    enum Sim {
        Simulate(Args),
    }
    let Sim::Simulate(mut args) = <Again as clap::Parser>::try_parse_from(
        std::iter::once("dealzone".to_string()).chain(argv),
    )
    .map_err(|e| bad(&format!("a command line that reads: {e}")))?
    .command;
    args.json = m.json;
    args.format = None;
    args.budget = m.budget.clone();
    let (scenario, config, world) = prepare(&args)?;
    let summary = dealzone::sim::shard::merge(&world, &shards, &config.limits)?;
    Ok(render(&args, &scenario, &world, &summary))
}

/// `dealzone merge` of the shards of a timeline report's sweeps.
fn merge_timeline(m: &MergeArgs, texts: &[String]) -> Result<String> {
    use dealzone::sim::sweep_shard::SweepShard;
    let mut shards = Vec::new();
    for (file, text) in m.files.iter().zip(texts) {
        let shard = SweepShard::from_json(text).map_err(|e| SimError::InFile {
            file: file.display().to_string(),
            source: Box::new(e),
        })?;
        shards.push(shard);
    }
    let src = shards[0].source.clone();
    let bad = |what: &str| -> Error {
        SimError::InFile {
            file: m.files[0].display().to_string(),
            source: Box::new(SimError::Shard {
                message: format!("the shard document does not say {what}"),
            }),
        }
        .into()
    };
    let file = named_by_shard(
        WORKING_FOLDER.as_ref(),
        src["file"]
            .as_str()
            .ok_or_else(|| bad("which file it analysed"))?,
        &m.access,
    )?;
    let evidence = match src["evidence"].as_str() {
        None => None,
        Some(g) => Some(crate::parse_evidence(g).map_err(|_| bad("a known evidence grade"))?),
    };
    let without: Vec<String> = match src["without"].as_array() {
        Some(v) => v
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad("which constraints it left out"))?,
        None => Vec::new(),
    };
    let samples = src["samples"].as_u64().ok_or_else(|| bad("its samples"))? as usize;
    let seed = src["seed"].as_u64().ok_or_else(|| bad("its seed"))?;
    let files = m.access.clone();
    crate::timeline::run(&crate::timeline::Args {
        file: &file,
        json: m.json,
        samples,
        seed,
        at: None,
        svg: None,
        svg_dir: None,
        axes: (None, None),
        evidence,
        files: &files,
        limits: m.budget.limits_with_time(crate::TIMELINE_TIME_LIMIT),
        without: &without,
        sweep: crate::timeline::Sweep::Merge(&shards),
    })
}

/// The scenario, the batch's settings and the compiled world of `args`.
fn prepare(args: &Args) -> Result<(dealzone::Scenario, SimConfig, World)> {
    let input = crate::Input {
        file: args.file.clone(),
        at: args.at,
        json: args.json,
        without: Vec::new(),
        max_states: args.max_states,
        max_acceptable: dealzone::Limits::default().max_acceptable,
        evidence: args.evidence,
        files: args.files.clone(),
        budget: args.budget.clone(),
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
        opener: args
            .opener
            .as_deref()
            .map(|o| Opener::parse(o, scenario.parties().iter().map(|p| p.id())))
            .transpose()?,
        bad_faith: args.bad_faith,
        limits: args.budget.apply(Limits {
            max_states: args.max_states,
            ..Limits::default()
        }),
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
            opener: config.opener,
            bad_faith: config.bad_faith,
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
    dealzone::sim::world::check_opener(&world, config.opener)?;
    Ok((scenario, config, world))
}

/// Run `dealzone simulate`.
pub fn run(args: &Args) -> Result<String> {
    let (scenario, config, world) = prepare(args)?;
    if !args.agent.is_empty() {
        return outside(args, &config, &world);
    }
    if args.format == Some(crate::FormatArg::Csv) {
        let range = args.shard.map_or(0..config.runs, |s| s.range(config.runs));
        let end = range.end;
        let mut written = end;
        crate::stream(|out| {
            written = dealzone::report::csv::runs(
                out,
                &world,
                config.seed,
                range,
                true,
                config.limits.time_limit,
            )?;
            Ok(())
        })?;
        if written < end {
            // The rows written are the runs before `written`, complete; the rest is missing.
            return Err(Error::LimitExceeded {
                limit: dealzone::Limit::TimeLimit,
                value: config.limits.time_limit.map_or(0, |d| d.as_millis() as u64),
            });
        }
        return Ok(String::new());
    }
    if let Some(spec) = args.shard {
        let mut shard = dealzone::sim::shard::run_shard(
            &world,
            config.runs,
            config.seed,
            spec,
            config.limits.time_limit,
            &|| {},
        )?;
        shard.source = serde_json::json!({
            "file": args.file.display().to_string(),
            "at": args.at.map(|d| d.to_string()),
            "evidence": args.evidence.map(|g| g.as_str()),
            "rounds": args.rounds,
            "protocol": protocol_name(args.protocol),
            "opener": args.opener,
            "bad_faith": args.bad_faith,
            "max_states": args.max_states,
            "allow_outside_paths": args.files.allow_outside_paths,
            "max_file_bytes": args.files.max_file_bytes,
        });
        return Ok(shard.to_json());
    }
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
    // Runs are folded one chunk at a time: memory does not grow with `--runs`.
    let summary = summarise_streaming(&world, &config, &done)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(file) = &args.trace {
        let k = args
            .trace_run
            .unwrap_or_else(|| summary.first_agreement.unwrap_or(0));
        let (r, t) = monte_carlo::replay(&world, config.seed, k);
        let doc = dealzone::report::simulate::trace(&world, config.seed, k, &r, &t);
        write(file, &pretty(&doc))?;
    }
    if let Some(file) = &args.trace_svg {
        let k = args
            .trace_run
            .unwrap_or_else(|| summary.first_agreement.unwrap_or(0));
        let (r, t) = monte_carlo::replay(&world, config.seed, k);
        write(
            file,
            &dealzone::report::svg_sim::offer_trace(&world, k, &r, &t)?,
        )?;
    }
    Ok(render(args, &scenario, &world, &summary))
}

fn write(path: &std::path::Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// `dealzone simulate --agent …`: one run with outside agents, reported as its trace.
fn outside(args: &Args, config: &SimConfig, world: &World) -> Result<String> {
    use dealzone::sim::outside::{AgentProgram, RefereeConfig, play};
    let agents = args
        .agent
        .iter()
        .map(|a| AgentProgram::parse(a))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let referee = RefereeConfig {
        move_timeout: std::time::Duration::from_millis(args.move_timeout_ms),
        max_retries: args.agent_retries,
        ..RefereeConfig::default()
    };
    let k = args.trace_run.unwrap_or(0);
    let run = play(world, config.seed, k, &agents, &referee)?;
    if let Some(file) = &args.agent_log {
        let mut text = String::new();
        for e in &run.log {
            text.push_str(&e.to_json().to_string());
            text.push('\n');
        }
        write(file, &text)?;
    }
    let doc = dealzone::report::simulate::outside(world, config.seed, k, &run);
    if let Some(file) = &args.trace {
        write(file, &pretty(&doc))?;
    }
    if let Some(file) = &args.trace_svg {
        write(
            file,
            &dealzone::report::svg_sim::offer_trace(world, k, &run.result, &run.trace)?,
        )?;
    }
    Ok(
        if args.json || args.format == Some(crate::FormatArg::Json) {
            pretty(&doc)
        } else {
            dealzone::report::simulate::outside_text(world, &run)
        },
    )
}

/// The batch's report, text or `--json`.
fn render(
    args: &Args,
    scenario: &dealzone::Scenario,
    world: &World,
    summary: &dealzone::sim::Summary,
) -> String {
    if args.json || args.format == Some(crate::FormatArg::Json) {
        pretty(&crate::analyse::graded(
            dealzone::report::simulate::json(world, summary),
            scenario,
            args.evidence,
        ))
    } else {
        dealzone::report::simulate::text(world, summary)
    }
}
