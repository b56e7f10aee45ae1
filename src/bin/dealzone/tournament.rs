//! `dealzone tournament`.

use std::io::Write;
use std::path::PathBuf;

use dealzone::sim::outside::{AgentProgram, RefereeConfig};
use dealzone::sim::tournament::{Seating, check_prefix, play_seated, scores, table};
use dealzone::{Error, Result};

use crate::analyse::pretty;

/// Arguments of `dealzone tournament`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tournament spec (TOML: scenarios, tactics, repetitions, budgets).
    spec: PathBuf,
    /// The results table (CSV, one row per match), appended to as matches finish.
    #[arg(long)]
    out: PathBuf,
    /// Continue the table `--out` holds (after a crash or a time limit) instead of
    /// refusing to overwrite it.
    #[arg(long)]
    resume: bool,
    /// Print the scores as JSON instead of a readable report.
    #[arg(long)]
    json: bool,
    /// Also draw the scores per tactic (mean utility ± sd, agreement rate) as SVG to this
    /// file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Seat an outside agent: the spec's entrant NAME (`kind = "outside"`) is played by
    /// PROGRAM (with its arguments, split at spaces, run without a shell) over the
    /// line-delimited JSON protocol of docs/agent-protocol.md, a fresh copy per seat and
    /// match. Repeatable. Only programs named here ever run, never one from a file; matches
    /// with one are not reproducible from the seed.
    #[arg(long, value_name = "NAME=PROGRAM")]
    agent: Vec<String>,
    /// With `--agent`: the longest wait for each line an agent sends, in milliseconds;
    /// none in time forfeits the match (the party walks out).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    move_timeout_ms: u64,
    /// With `--agent`: refused lines allowed per move before the move is forfeited.
    #[arg(long, default_value_t = 3)]
    agent_retries: u32,
    /// With `--agent`: append every line exchanged with the agents (and the referee's
    /// notes) to this file, one JSON object per line: `{"match", "party", "dir", "line"}`.
    #[arg(long, value_name = "FILE")]
    agent_log: Option<PathBuf>,
    #[command(flatten)]
    files: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

fn write_err(path: &std::path::Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Run `dealzone tournament`.
pub fn run(args: &Args) -> Result<String> {
    let limits = args
        .budget
        .apply(args.files.apply(dealzone::Limits::default()));
    let spec = dealzone::io::load_tournament(&args.spec, &limits)?;
    let seating = Seating {
        programs: args
            .agent
            .iter()
            .map(|a| AgentProgram::parse(a))
            .collect::<std::result::Result<Vec<_>, _>>()?,
        referee: RefereeConfig {
            move_timeout: std::time::Duration::from_millis(args.move_timeout_ms),
            max_retries: args.agent_retries,
            ..RefereeConfig::default()
        },
    };
    // Before any file is touched: every outside entrant has its program.
    dealzone::sim::tournament::seat(&spec, &seating.programs)?;
    let mut agent_log = match &args.agent_log {
        Some(path) => Some((
            path,
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(write_err(path))?,
        )),
        None => None,
    };
    let out = &args.out;
    let mut rows = Vec::new();
    let mut kept_bytes = 0;
    if out.exists() {
        if !args.resume {
            return Err(Error::Tournament {
                message: format!(
                    "`{}` exists: pass --resume to continue it, or remove it",
                    out.display()
                ),
            });
        }
        let text = std::fs::read_to_string(out).map_err(|source| Error::Io {
            path: out.clone(),
            source,
        })?;
        let (kept, bytes) = table::read(&text)?;
        check_prefix(&spec, &kept)?;
        rows = kept;
        kept_bytes = bytes;
        // Drop an unfinished last line before appending.
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(write_err(out))?;
        f.set_len(bytes as u64).map_err(write_err(out))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)
        .map_err(write_err(out))?;
    // A header only at the top of an empty table.
    let mut header = kept_bytes == 0;
    let from = rows.len() as u64;
    let played = play_seated(
        &spec,
        &seating,
        &limits,
        from,
        &mut |block| {
            table::write(&mut file, block, header)?;
            header = false;
            file.flush().map_err(write_err(out))?;
            rows.extend_from_slice(block);
            Ok(())
        },
        &mut |number, lines| {
            let Some((path, f)) = agent_log.as_mut() else {
                return Ok(());
            };
            let mut text = String::new();
            for e in lines {
                let mut v = e.to_json();
                if let Some(o) = v.as_object_mut() {
                    o.insert("match".into(), number.into());
                }
                text.push_str(&v.to_string());
                text.push('\n');
            }
            f.write_all(text.as_bytes()).map_err(write_err(path))
        },
    )?;
    let s = scores(&spec, &rows);
    if let Some(file) = &args.svg {
        let name = args.spec.file_name().map_or_else(
            || args.spec.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let picture = dealzone::report::svg_sim::tournament_chart(&s, &name)?;
        std::fs::write(file, picture).map_err(write_err(file))?;
    }
    Ok(if args.json {
        pretty(&dealzone::report::tournament::json(&s, &played))
    } else {
        dealzone::report::tournament::text(&s, &played, out)
    })
}
