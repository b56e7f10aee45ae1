//! # dealzone
//!
//! Rule-based negotiation analysis. Parties state red lines and preconditions over
//! negotiation issues; dealzone encodes them as constraints over a graph of concession
//! states and asks where agreement is possible and how to get there.
//!
//! ## One way in
//!
//! Load a scenario, compile it once into an [`Analysis`], and ask it: [`Analysis::zones`]
//! answers with the zones or the proof that there is none ([`Outcome`]), and every
//! result renders as the command line's text or JSON through [`Report`].
//!
//! ```
//! use dealzone::{Analysis, Config, Outcome, Report, Scenario};
//! let analysis = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
//! let zones = analysis.zones()?;
//! match zones.value() {
//!     Outcome::Deal(found) => println!("{} zone(s)", found.zones.len()),
//!     Outcome::NoDeal { proof, .. } => println!("no deal: {} conflict(s)", proof.conflicts.len()),
//! }
//! println!("{}", zones.text());
//! # Ok::<(), dealzone::Error>(())
//! ```
//!
//! The same value answers [`Analysis::paths`], [`Analysis::explain`],
//! [`Analysis::bargain`], [`Analysis::stability`] and [`Analysis::simulate`];
//! [`TimelineAnalysis`] reports on every date of a [`Timeline`].
//!
//! ## Contents
//!
//! - The door: [`Analysis`], [`TimelineAnalysis`], their [`Finding`]s and the
//!   [`Report`] trait that renders them; [`Config`], every limit an analysis runs under
//!   (breaking one is a typed [`Error`] carrying the [`Limit`] it broke).
//! - [`results`]: what each analysis returns and the options it takes.
//! - [`model`]: scenarios, issues, parties, constraints, the [rule language](model::rule),
//!   behaviour rules and [timelines](model::Timeline); [`Scenario::load`] and
//!   [`Timeline::load`] read the TOML files (errors point at `file:line:column`).
//! - [`formats`]: GENIUS XML and GeniusWeb JSON both ways, GMCR+ `.gmcr` conflicts, the
//!   files' JSON Schemas, CSV tables, SVG and DOT pictures.
//! - [`engines`]: the algorithms themselves (brute force and branch and bound, A*,
//!   MARCO-style explanation, the bargaining solutions, GMCR stability, the simulator),
//!   for oracles, benchmarks and pipelines of your own.
//! - [`error`]: typed errors and positioned diagnostics.
//!
//! The layer modules the crate is built from (`io`, `space`, `graph`, `analysis`, `sim`,
//! `report`, `synthetic`) stay reachable for the crate's own command line, Python package,
//! tests and benches, but are hidden from these docs and not part of the supported API:
//! they may change in any release. Everything in them a user needs is re-exported above.
//!
//! ## A first scenario
//!
//! ```
//! use dealzone::Scenario;
//!
//! let scenario = Scenario::from_toml_str(r#"
//! name = "Wage round 2026"
//! [issues]
//! wage   = ["freeze", "plus2", "plus4", "plus6"]
//! remote = ["none", "two_days", "full"]
//! [status_quo]
//! wage = "freeze"
//! remote = "none"
//! [parties.union]
//! reservation = 0.4
//! weights = { wage = 0.7, remote = 0.3 }
//! values  = { wage = [0.0, 0.4, 0.8, 1.0], remote = [0.0, 0.6, 1.0] }
//! red_lines = [{ id = "no_freeze", rule = "wage >= plus2" }]
//! [parties.employer]
//! reservation = 0.3
//! weights = { wage = 0.8, remote = 0.2 }
//! values  = { wage = [1.0, 0.7, 0.3, 0.0], remote = [1.0, 0.5, 0.0] }
//! red_lines = [{ id = "budget", rule = "wage <= plus4" }]
//! "#, "wage.toml")?;
//!
//! // Which states meet every red line? (Exhaustive, for a small space.)
//! let space = dealzone::engines::StateSpace::new(&scenario, 1_000_000)?;
//! let candidates = (0..space.size())
//!     .filter(|&s| {
//!         let levels = space.decode(s);
//!         scenario.red_lines().all(|c| c.rule().eval(&levels))
//!     })
//!     .count();
//! assert_eq!(candidates, 2 * 3);
//! # Ok::<(), dealzone::Error>(())
//! ```
//!
//! ## Errors point at the line
//!
//! ```
//! let err = dealzone::Scenario::from_toml_str(
//!     "name = \"x\"\n[issues]\nwage = [\"low\", \"high\"]\n[status_quo]\nwage = \"low\"\n\
//!      [parties.u]\nweights = { wage = 1 }\nvalues = { wage = [0, 1] }\n\
//!      red_lines = [{ id = \"r\", rule = \"wage >= hihg\" }]\n",
//!     "wage.toml",
//! ).unwrap_err();
//! let text = err.to_string();
//! assert!(text.contains("unknown level `hihg` of issue `wage`"));
//! assert!(text.contains("--> wage.toml:9:42"), "{text}");
//! assert!(text.contains("did you mean `high`?"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
pub mod engines;
pub mod error;
pub mod formats;
mod limit;
pub mod model;
pub mod results;
mod suggest;

// The layers, in DESIGN.md's order (data flows down). Public for the crate's own binary,
// Python package, tests and benches; hidden because their layout is not a promise to users
// (the modules above re-export what users need).
#[doc(hidden)]
pub mod analysis;
#[doc(hidden)]
pub mod graph;
#[doc(hidden)]
pub mod io;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod sim;
#[doc(hidden)]
pub mod space;
#[doc(hidden)]
pub mod synthetic;

pub use analysis::session::{Analysis, Finding, Outcome, Paths};
pub use analysis::session_ext::{TimelineAnalysis, TimelineFinding};
pub use config::{Config, DEFAULT_TIME_LIMIT, Limit, Limits, TOLERANCE};
pub use error::{Error, Result};
pub use model::{Scenario, Timeline};
pub use report::Report;
pub use suggest::nearest;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
