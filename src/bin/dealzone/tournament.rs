//! `dealzone tournament`.

use std::io::Write;
use std::path::{Path, PathBuf};

use dealzone::sim::SimError;
use dealzone::sim::outside::{AgentProgram, RefereeConfig};
use dealzone::sim::shard::ShardSpec;
use dealzone::sim::tournament::{
    Played, Row, Seating, check_from, check_prefix, match_count, play_range, scores, table,
};
use dealzone::sim::tournament_shard::{self, ShardHeader, TournamentShard};
use dealzone::{Error, Limits, Result};

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
    /// Play only shard I of N (`I/N`, I from 0): matches ⌊I·M/N⌋..⌊(I+1)·M/N⌋ of the M in
    /// match order. `--out` then holds a shard table (a `#` header line naming the
    /// tournament, the seed, I and N, then its rows), resumable with `--resume`; `dealzone
    /// merge --out TABLE` joins the N shard tables into exactly the table of the unsharded
    /// run.
    #[arg(long, value_name = "I/N", value_parser = crate::simulate::parse_shard)]
    shard: Option<ShardSpec>,
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
    let shard = match args.shard {
        Some(s) => {
            let mut h = ShardHeader::new(&spec, &limits, s)?;
            h.name_spec(out, &args.spec);
            Some(h)
        }
        None => None,
    };
    let (start, end) = shard
        .as_ref()
        .map_or((0, match_count(&spec)), |h| (h.start, h.end));
    let mut rows = Vec::new();
    let mut kept_bytes = 0;
    // Bytes of the shard's `#` line kept (the table's own header follows it).
    let mut head_bytes = 0;
    if out.exists() {
        if !args.resume {
            return Err(Error::Tournament {
                message: format!(
                    "`{}` exists: pass --resume to continue it, or remove it",
                    out.display()
                ),
            });
        }
        let text = crate::simulate::read_output(out)?;
        match &shard {
            None => {
                let (kept, bytes) = table::read(&text)?;
                check_prefix(&spec, &kept)?;
                rows = kept;
                kept_bytes = bytes;
            }
            Some(h) => {
                if let Some((found, kept, bytes)) = tournament_shard::read(&text)? {
                    let same = |x: &ShardHeader| (x.spec.clone(), x.seed, x.shard, x.start, x.end);
                    if same(&found) != same(h) {
                        return Err(SimError::TournamentShard {
                            index: found.shard[0],
                            count: found.shard[1],
                            file: format!(" ({})", out.display()),
                            problem: if found.shard != h.shard {
                                format!(
                                    "cannot be resumed as shard {}/{}: resume it with --shard {}/{}",
                                    h.shard[0], h.shard[1], found.shard[0], found.shard[1]
                                )
                            } else {
                                format!(
                                    "is of another tournament (spec digest {}, seed {}; this one \
                                     is {}, seed {}): resume it with its own spec",
                                    found.spec, found.seed, h.spec, h.seed
                                )
                            },
                        }
                        .into());
                    }
                    check_from(&spec, h.start, &kept)?;
                    // Rows of the next shard's matches would be played over and kept.
                    if kept.len() as u64 > h.matches() {
                        return Err(SimError::TournamentShard {
                            index: h.shard[0],
                            count: h.shard[1],
                            file: format!(" ({})", out.display()),
                            problem: format!(
                                "holds {} rows; its matches are {}..{} (a damaged shard)",
                                kept.len(),
                                h.start,
                                h.end
                            ),
                        }
                        .into());
                    }
                    rows = kept;
                    kept_bytes = bytes;
                    head_bytes = text.find('\n').map_or(0, |k| k + 1);
                }
            }
        }
        // Drop an unfinished last line before appending.
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(write_err(out))?;
        f.set_len(kept_bytes as u64).map_err(write_err(out))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)
        .map_err(write_err(out))?;
    if let Some(h) = &shard
        && kept_bytes == 0
    {
        file.write_all(h.line().as_bytes())
            .and_then(|()| file.flush())
            .map_err(write_err(out))?;
        head_bytes = h.line().len();
        kept_bytes = head_bytes;
    }
    // A header only at the top of an empty table.
    let mut header = kept_bytes == head_bytes;
    let from = start + rows.len() as u64;
    let played = play_range(
        &spec,
        &seating,
        &limits,
        from..end,
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
    // A shard reports on its own matches.
    let played = Played {
        matches: played.matches - start,
        requested: played.requested - start,
        complete: played.complete,
    };
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

/// `dealzone merge` of tournament shard tables: the results table of the unsharded run,
/// written to `--out`, and its report. The spec is the one the first shard names, read as
/// a timeline's `base` is ([`dealzone::io::source::resolve_named`]: inside that shard's
/// folder unless the merge's own `--allow-outside-paths`, never a flag the shard records).
pub fn merge(
    files: &[PathBuf],
    texts: &[String],
    out: Option<&Path>,
    json: bool,
    budget: &crate::Budget,
    access: &crate::files::FileAccess,
) -> Result<String> {
    let mut shards = Vec::new();
    for (file, text) in files.iter().zip(texts) {
        let name = file.display().to_string();
        let mut shard = TournamentShard::from_csv(text).map_err(|e| match e {
            Error::Simulation(source) => SimError::InFile {
                file: name.clone(),
                source: Box::new(source),
            }
            .into(),
            other => Error::Tournament {
                message: format!("{name}: {other}"),
            },
        })?;
        shard.name = name;
        shards.push(shard);
    }
    let Some(out) = out else {
        return Err(Error::Tournament {
            message: "merging tournament shards writes the results table: give --out FILE".into(),
        });
    };
    let src = &shards[0].header.source;
    let spec_file = src["spec"].as_str().ok_or_else(|| {
        Error::from(SimError::InFile {
            file: shards[0].name.clone(),
            source: Box::new(SimError::Shard {
                message: "the shard does not say which spec it played".into(),
            }),
        })
    })?;
    let limits = budget.apply(access.apply(Limits::default()));
    let spec_path = crate::simulate::named_by_shard(&files[0], spec_file, access)?;
    let spec = dealzone::io::load_tournament(&spec_path, &limits)?;
    let rows: Vec<Row> = tournament_shard::merge(&spec, &limits, &shards)?;
    if out.exists() {
        return Err(Error::Tournament {
            message: format!(
                "`{}` exists: remove it or give another --out (a merge never overwrites a table)",
                out.display()
            ),
        });
    }
    let mut text = Vec::new();
    table::write(&mut text, &rows, true)?;
    std::fs::write(out, text).map_err(write_err(out))?;
    let played = Played {
        matches: rows.len() as u64,
        requested: match_count(&spec),
        complete: true,
    };
    let s = scores(&spec, &rows);
    Ok(if json {
        pretty(&dealzone::report::tournament::json(&s, &played))
    } else {
        dealzone::report::tournament::text(&s, &played, out)
    })
}
