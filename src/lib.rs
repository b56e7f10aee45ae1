//! # dealzone
//!
//! Rule-based negotiation analysis. Parties state red lines and preconditions over
//! negotiation issues; dealzone encodes them as constraints over a graph of concession
//! states and asks where agreement is possible and how to get there.
//!
//! ## Contents
//!
//! - [`model`]: scenarios, issues, parties, constraints, the [rule language](model::rule),
//!   behaviour rules and [timelines](model::Timeline).
//! - [`io`]: reading scenario and timeline TOML files (errors point at `file:line:column`),
//!   [GENIUS XML and GeniusWeb JSON](io::genius) domains and profiles, and
//!   [GMCR+ `.gmcr`](io::gmcr) conflicts.
//! - [`space`]: packed states ([`space::StateSpace`]), rules compiled for them
//!   ([`space::CompiledRule`]) and whole scenarios compiled for search
//!   ([`space::CompiledScenario`]).
//! - [`graph`]: the implicit concession graph, with petgraph's visit traits.
//! - [`analysis`]: [deal zones](analysis::zone) (brute force and branch and bound),
//!   [concession paths](analysis::path) (three cost models),
//!   [explanations](analysis::explain) of a missing deal (conflicts, relaxations,
//!   softenings), [bargaining](analysis::bargain) (Pareto, Nash, Kalai–Smorodinsky, …),
//!   [stability](analysis::stability) (GMCR: Nash, GMR, SMR, SEQ, SIM, limited move) and
//!   the [timeline report](analysis::timeline_report).
//! - [`sim`]: the simulator: rule-driven agents with concession tactics through the
//!   concession graph, alternating offers or mediation, seeded Monte Carlo runs.
//! - [`report`]: the contract's JSON, readable text, Graphviz DOT, SVG pictures.
//! - [`Config`]: every limit an analysis runs under; breaking one is a typed error
//!   carrying the [`Limit`] it broke.
//! - [`error`]: typed errors and diagnostics.
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
//! let space = dealzone::space::StateSpace::new(&scenario, 1_000_000)?;
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

pub mod analysis;
mod config;
pub mod error;
pub mod graph;
pub mod io;
pub mod model;
pub mod report;
pub mod sim;
pub mod space;
mod suggest;
pub mod synthetic;

pub use analysis::session::{Analysis, Finding, Outcome};
pub use config::{Config, DEFAULT_TIME_LIMIT, Limit, Limits, TOLERANCE};
pub use error::{Error, Result};
pub use model::{Scenario, Timeline};
pub use report::Report;
pub use suggest::nearest;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
