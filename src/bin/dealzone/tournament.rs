//! `dealzone tournament`.

use std::io::Write;
use std::path::PathBuf;

use dealzone::sim::tournament::{check_prefix, play, scores, table};
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
    let played = play(&spec, &limits, from, &mut |block| {
        table::write(&mut file, block, header)?;
        header = false;
        file.flush().map_err(write_err(out))?;
        rows.extend_from_slice(block);
        Ok(())
    })?;
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
