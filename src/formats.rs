//! The field's file formats, both ways, and the tables and pictures the command line
//! writes: GENIUS XML and GeniusWeb JSON domains and profiles, GMCR+ `.gmcr` conflicts,
//! the JSON Schemas of dealzone's own files, CSV tables, SVG and Graphviz DOT.
//!
//! Scenario and timeline TOML files are read by [`Scenario::load`](crate::Scenario::load)
//! and [`Timeline::load`](crate::Timeline::load); everything here points at the line when
//! a file is wrong, as they do.
//!
//! # Example
//! A scenario written out as a GeniusWeb domain and read back keeps its issues:
//! ```
//! use dealzone::formats::genius::{self, ExportFormat, ExportOptions, ImportOptions, Input, RedLines};
//! use dealzone::Scenario;
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let options = ExportOptions { format: ExportFormat::GeniusWeb, red_lines: RedLines::Report };
//! let out = genius::export_scenario(&s, &options).expect("exportable");
//! // The domain first, then one profile per party (and a NOTES.txt, not read back).
//! let files: Vec<Input> = out.files.iter()
//!     .filter(|f| f.name.ends_with(".json"))
//!     .map(|f| Input::new(f.name.clone(), f.text.clone()))
//!     .collect();
//! let back = genius::import(&files[0], &files[1..], &ImportOptions::default())?;
//! assert_eq!(back.scenario().issues().len(), s.issues().len());
//! # Ok::<(), dealzone::Error>(())
//! ```

/// GENIUS XML and GeniusWeb JSON: import as a scenario, export a scenario, bargain on a
/// domain as GENIUS does.
///
/// # Example
/// Files read from disk under explicit limits; a profile without a discount factor
/// discounts nothing, at any time:
/// ```
/// use dealzone::formats::genius::{DEFAULT_MAX_LEVELS, ImportOptions, discount_multipliers, load_with};
/// use dealzone::Limits;
/// use std::path::{Path, PathBuf};
/// let options = ImportOptions::default();
/// assert_eq!(options.max_levels, DEFAULT_MAX_LEVELS);
/// let dir = Path::new("tests/fixtures/genius/laptop_cap");
/// let imported = load_with(
///     &dir.join("laptop-domain.xml"),
///     &[PathBuf::from(dir.join("laptop-prof1.xml"))],
///     &options,
///     &Limits::default(),
/// )?;
/// assert_eq!(imported.profiles.len(), 1);
/// assert_eq!(discount_multipliers(&imported, None), [1.0]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod genius {
    pub use crate::analysis::bargain::imported::{
        BargainOptions, NoDeal, bargain, discount_multipliers,
    };
    pub use crate::io::genius::export::to_toml;
    pub use crate::io::genius::write::{
        ExportError, ExportFile, ExportFormat, ExportOptions, Exported, RedLines, export_scenario,
    };
    pub use crate::io::genius::{
        DEFAULT_MAX_LEVELS, Domain, DomainIssue, Format, ImportOptions, Imported, Input, IssueKind,
        Profile, Reservation, Steps, ValueFunction, import, load, load_with,
    };
}

/// GMCR+ `.gmcr` conflicts (options, decision makers, preference statements).
pub mod gmcr {
    pub use crate::io::gmcr::{GmcrFile, load_gmcr, parse_gmcr};
}

/// Any of dealzone's own files (scenario, timeline, tournament) by content, and their
/// JSON Schemas.
///
/// # Example
/// ```
/// use dealzone::formats::documents::{Document, load_document, load_document_with};
/// use dealzone::Limits;
/// assert!(matches!(load_document("seeds/wage_round.toml")?, Document::Scenario(_)));
/// let t = load_document_with("seeds/russia_ukraine/timeline.toml", &Limits::default())?;
/// assert!(matches!(t, Document::Timeline(_)));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod documents {
    pub use crate::io::schema::{scenario_schema, timeline_schema};
    pub use crate::io::{
        Document, is_tournament, load_document, load_document_with, load_tournament,
    };
    pub use crate::model::tournament::{Entry, TournamentSpec};
}

/// CSV tables (docs/CONTRACT.md "Tables"): a zone's states, the Pareto set, every run of a
/// simulation.
pub mod tables {
    pub use crate::report::csv::{pareto, runs, runs_header, zone_states};
}

/// Pictures: the utility space, a run's offer trace and a tournament's scores as SVG
/// (feature `svg`), a path's neighbourhood as Graphviz DOT.
///
/// # Example
/// The status quo, its one-rung moves and each path's states, as a DOT graph:
/// ```
/// use dealzone::formats::pictures::neighbourhood;
/// use dealzone::results::paths::PathOptions;
/// use dealzone::{Analysis, Config, Scenario};
/// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
/// let p = a.paths(&PathOptions::default())?;
/// let dot = neighbourhood(a.scenario(), a.compiled(), &p.value().paths);
/// assert!(dot.starts_with("digraph"));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod pictures {
    pub use crate::report::dot::neighbourhood;
    #[cfg(feature = "svg")]
    pub use crate::report::svg::{Caption, utility_plot, utility_plot_captioned};
    #[cfg(feature = "svg")]
    pub use crate::report::svg_sim::{offer_trace, tournament_chart};
}
