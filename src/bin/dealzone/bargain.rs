//! `dealzone bargain`.

use std::path::PathBuf;

use dealzone::{Error, Result};

use crate::Input;
use crate::analyse::{compile, limits, party_axis, pretty, scenario};

/// Arguments of `dealzone bargain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Write the candidates in utility space as an SVG picture.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Party on the picture's x axis (default: the first with a utility).
    #[arg(long, value_name = "PARTY")]
    x: Option<String>,
    /// Party on the picture's y axis (default: the second with a utility).
    #[arg(long, value_name = "PARTY")]
    y: Option<String>,
}

/// Run `dealzone bargain`.
pub fn run(args: &Args) -> Result<String> {
    let input = &args.input;
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let b = dealzone::analysis::bargain::bargain_compiled(&c, &limits)?;
    if let Some(file) = &args.svg {
        let px = party_axis(&c, args.x.as_deref(), 0)?;
        let py = party_axis(&c, args.y.as_deref(), 1)?;
        let picture = dealzone::report::svg::utility_plot(&s, &c, &b, px, py, None)?;
        std::fs::write(file, picture).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
    }
    Ok(if input.json {
        pretty(&dealzone::report::bargain_json::bargain(&s, &c, &b))
    } else {
        dealzone::report::text::bargain(&s, &c, &b)
    })
}
