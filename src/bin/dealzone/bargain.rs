//! `dealzone bargain`: on a scenario or timeline file, or on a GENIUS / GeniusWeb domain
//! with its profiles.

use std::path::PathBuf;

use dealzone::analysis::bargain::imported::{self as imported_bargain, BargainOptions};
use dealzone::io::genius::{self, ImportOptions};
use dealzone::{Error, Limits, Result};

use crate::Input;
use crate::analyse::{compile, party_axis, scenario};
use crate::import::{NoDealArg, import_options};

/// Arguments of `dealzone bargain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario or timeline TOML file (or give `--domain` and `--profile` instead).
    #[arg(required_unless_present = "domain", conflicts_with = "domain")]
    file: Option<PathBuf>,
    /// For a timeline: analyse the scenario in force on this date (default: the latest).
    #[arg(long, value_parser = crate::parse_date, conflicts_with = "domain")]
    at: Option<dealzone::model::Date>,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    json: bool,
    /// Output: `text` (default), `json` (as `--json`) or `csv` (one row per Pareto-frontier
    /// point: levels, utilities, rationality, the solutions there).
    #[arg(long, value_enum, conflicts_with = "json")]
    format: Option<crate::FormatArg>,
    /// Leave out this red line or precondition (`party/id`; repeatable): what-if analysis.
    #[arg(long, value_name = "PARTY/ID", conflicts_with = "domain")]
    without: Vec<String>,
    /// Refuse state spaces larger than this.
    #[arg(long, default_value_t = dealzone::Limits::default().max_states)]
    max_states: u64,
    /// Most candidates (outcomes of a domain) bargaining may hold.
    #[arg(long, default_value_t = dealzone::Limits::default().max_acceptable)]
    max_acceptable: u64,
    /// The weakest evidence admitted: `stated`, `reported` or `inferred` (default: all).
    #[arg(long, value_name = "GRADE", value_parser = crate::parse_evidence, conflicts_with = "domain")]
    evidence: Option<dealzone::model::Evidence>,
    /// A GENIUS domain XML or GeniusWeb domain JSON (with one `--profile` per party).
    #[arg(long, requires = "profile")]
    domain: Option<PathBuf>,
    /// A party's GENIUS profile XML or GeniusWeb profile JSON (repeatable, in party order).
    #[arg(long, requires = "domain")]
    profile: Vec<PathBuf>,
    /// Normalised time t in [0, 1]: discount utilities and reservations by d^t, with each
    /// GENIUS profile's discount factor d (default: no discounting).
    #[arg(long, value_parser = parse_time, requires = "domain")]
    time: Option<f64>,
    /// Discretisation step for real-valued GENIUS issues: `0.1` for all, `ISSUE=0.1` for
    /// one (repeatable).
    #[arg(long, value_name = "[ISSUE=]STEP", requires = "domain")]
    step: Vec<String>,
    /// What no agreement is worth: each party's reservation value (ANAC rules) or zero
    /// (the GENIUS user guide).
    #[arg(long, value_enum, default_value = "reservation", requires = "domain")]
    no_deal: NoDealArg,
    /// Write the candidates in utility space as an SVG picture.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Party on the picture's x axis (default: the first with a utility).
    #[arg(long, value_name = "PARTY")]
    x: Option<String>,
    /// Party on the picture's y axis (default: the second with a utility).
    #[arg(long, value_name = "PARTY")]
    y: Option<String>,
    #[command(flatten)]
    files: crate::files::FileAccess,
    #[command(flatten)]
    budget: crate::Budget,
}

fn parse_time(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("`{s}` is not a normalised time in [0, 1]")),
    }
}

/// Run `dealzone bargain`.
pub fn run(args: &Args) -> Result<String> {
    let limits = args.budget.apply(Limits {
        max_states: args.max_states,
        max_acceptable: args.max_acceptable,
        ..args.files.apply(Limits::default())
    });
    let (s, c, b, extra) = match (&args.domain, &args.file) {
        (Some(domain), _) => {
            let options: ImportOptions = import_options(&args.step)?;
            let imported = genius::load_with(domain, &args.profile, &options, &limits)?;
            let bo = BargainOptions {
                time: args.time,
                no_deal: args.no_deal.into(),
            };
            let (c, b) = imported_bargain::bargain(&imported, &bo, &limits)?;
            let extra = dealzone::report::genius::extra(&imported, &bo, &b);
            (imported.scenario().clone(), c, b, Some(extra))
        }
        (None, Some(file)) => {
            let input = Input {
                file: file.clone(),
                at: args.at,
                json: args.json,
                without: args.without.clone(),
                max_states: args.max_states,
                max_acceptable: args.max_acceptable,
                evidence: args.evidence,
                files: args.files.clone(),
                budget: args.budget.clone(),
            };
            let s = scenario(&input)?;
            let limits = crate::analyse::limits(&input);
            let c = compile(&s, &input, &limits)?;
            let b = dealzone::analysis::bargain::bargain_compiled(&c, &limits)?;
            (s, c, b, None)
        }
        // clap requires one of them; this is the message it would give.
        (None, None) => clap::Error::raw(
            clap::error::ErrorKind::MissingRequiredArgument,
            "give a scenario FILE, or --domain D with --profile P for each party\n",
        )
        .exit(),
    };
    if let Some(file) = &args.svg {
        let px = party_axis(&c, args.x.as_deref(), 0)?;
        let py = party_axis(&c, args.y.as_deref(), 1)?;
        // Under `--without` the picture is a what-if, and says so.
        let caption = dealzone::report::svg::Caption::without(&args.without);
        let picture =
            dealzone::report::svg::utility_plot_captioned(&s, &c, &b, px, py, None, &caption)?;
        std::fs::write(file, picture).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
    }
    if args.format == Some(crate::FormatArg::Csv) {
        return crate::stream(|out| dealzone::report::csv::pareto(out, &s, &c, &b));
    }
    let json = args.json || args.format == Some(crate::FormatArg::Json);
    Ok(match (json, extra) {
        (true, extra) => {
            // Streamed to stdout: a large frontier is never held as a JSON value.
            let keys = match extra {
                None => {
                    let mut m = serde_json::Map::new();
                    let admitted = args.evidence.unwrap_or(dealzone::model::Evidence::Inferred);
                    m.insert(
                        "evidence".into(),
                        dealzone::report::json::evidence(&s, admitted),
                    );
                    m
                }
                Some(serde_json::Value::Object(e)) => e,
                Some(_) => serde_json::Map::new(),
            };
            let out = std::io::stdout().lock();
            match dealzone::report::bargain_json::write(out, &s, &c, &b, keys) {
                Ok(()) => String::new(),
                // A reader that stops early (`| head`) is normal.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => String::new(),
                Err(source) => {
                    return Err(Error::Write {
                        path: PathBuf::from("<stdout>"),
                        source,
                    });
                }
            }
        }
        (false, None) => dealzone::report::text::bargain(&s, &c, &b),
        (false, Some(_)) => dealzone::report::genius::text(&s, &c, &b, args.time),
    })
}
