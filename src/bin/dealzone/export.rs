//! `dealzone export`: a scenario written as a GENIUS or GeniusWeb domain and profiles.

use std::path::{Component, Path, PathBuf};

use dealzone::io::genius::write::{ExportFormat, ExportOptions, RedLines, export_scenario};
use dealzone::{Error, Result, Scenario};

/// The format to write.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// GENIUS XML: `NAME-domain.xml` and `PARTY.xml` per party.
    Genius,
    /// GeniusWeb JSON: `NAME.json` and `PARTY.json` per party.
    Geniusweb,
}

/// What to do with red lines.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RedLinesArg {
    /// List them on standard error and in NOTES.txt; utilities unchanged.
    Report,
    /// Also value 0 each level a single-issue red line forbids (that share only).
    AsZero,
}

/// Arguments of `dealzone export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario TOML file.
    file: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The folder to write into (created if missing); every file goes directly in it.
    #[arg(short, long)]
    output: PathBuf,
    /// Red lines and preconditions have no place in these formats: `report` lists them,
    /// `as-zero` also values 0 the levels a single-issue red line forbids.
    #[arg(long, value_enum, default_value = "report")]
    red_lines: RedLinesArg,
    #[command(flatten)]
    files: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

fn write_err(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Run `dealzone export`: write the files, print the notes on standard error.
pub fn run(args: &Args) -> Result<String> {
    let limits = args.files.apply(args.budget.limits());
    let scenario = Scenario::load_with(&args.file, &limits)?;
    let options = ExportOptions {
        format: match args.format {
            FormatArg::Genius => ExportFormat::Genius,
            FormatArg::Geniusweb => ExportFormat::GeniusWeb,
        },
        red_lines: match args.red_lines {
            RedLinesArg::Report => RedLines::Report,
            RedLinesArg::AsZero => RedLines::AsZero,
        },
    };
    let out = export_scenario(&scenario, &options).map_err(|e| Error::Export {
        // The library names no flags; the command line adds its own.
        message: match e {
            dealzone::io::genius::write::ExportError::GeniusWeights { .. } => {
                format!("{e} (`--format geniusweb`)")
            }
            _ => e.to_string(),
        },
    })?;
    std::fs::create_dir_all(&args.output).map_err(|e| write_err(&args.output, e))?;
    let mut written = Vec::new();
    for f in &out.files {
        // Names are plain file names by construction; checked again so nothing lands
        // outside the folder.
        let plain = Path::new(&f.name).components().count() == 1
            && matches!(
                Path::new(&f.name).components().next(),
                Some(Component::Normal(_))
            );
        if !plain {
            return Err(Error::Export {
                message: format!("refusing to write `{}` outside the output folder", f.name),
            });
        }
        let path = args.output.join(&f.name);
        // Do not follow a symbolic link planted in the folder.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Export {
                message: format!(
                    "`{}` is a symbolic link; not writing through it",
                    path.display()
                ),
            });
        }
        std::fs::write(&path, &f.text).map_err(|e| write_err(&path, e))?;
        written.push(path);
    }
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    let mut report = String::new();
    for p in written {
        report.push_str(&format!("wrote {}\n", p.display()));
    }
    Ok(report)
}
