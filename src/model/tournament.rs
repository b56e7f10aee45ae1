//! A tournament's specification: which tactics play which scenarios, how often, under
//! which per-match budgets ([`crate::sim::tournament`] plays it).
//!
//! Read from a small TOML file by [`crate::io::load_tournament`]:
//!
//! ```toml
//! seed = 1                  # master seed: each match's seed comes from it and the match's place
//! repetitions = 20          # matches per line-up
//! max_rounds = 100          # optional: a match still running after this many rounds fails
//! match_time_limit_ms = 2000  # optional: a match taking longer (wall time) fails
//! protocol = "alternating"  # optional: every match's protocol (default: each scenario's)
//! opener = "random"         # optional: alternating offers' turn order, "first" or "random"
//!                           # (drawn per match; default: each scenario's `opener`)
//!
//! [[scenarios]]
//! file = "wage_round.toml"  # inside the spec's folder (see `--allow-outside-paths`)
//! [[scenarios]]
//! file = "russia_ukraine/timeline.toml"
//! at = "2025-04-22"         # a timeline's snapshot (default: the latest)
//!
//! [[tactics]]
//! name = "boulware"
//! kind = "boulware"         # the `[simulation.tactics]` kinds, with `e`, `k`, `noise`
//! [[tactics]]
//! name = "tit_for_tat"
//! kind = "tit_for_tat"
//! [[tactics]]
//! name = "llm"
//! kind = "outside"          # an outside agent: its program is given on the command line
//! ```
//!
//! A file never names a program: an entrant of kind `outside` is played by the program the
//! caller seats under its name (`dealzone tournament SPEC --agent llm=PROGRAM`), and
//! playing the spec without one is an error.

use std::time::Duration;

use super::Scenario;
use super::simulation::{ProtocolKind, Tactic};

/// One scenario of a tournament.
#[derive(Debug, Clone)]
pub struct Entry {
    /// How rows and scores name it: the file as written, with `@DATE` for a snapshot.
    pub label: String,
    /// The scenario (a timeline's snapshot).
    pub scenario: Scenario,
}

/// A tournament's specification.
#[derive(Debug, Clone)]
pub struct TournamentSpec {
    /// Master seed.
    pub seed: u64,
    /// Matches per line-up (each line-up: one tactic per negotiating party).
    pub repetitions: u64,
    /// A match not over after this many rounds fails (`None`: the scenario's deadline).
    pub max_rounds: Option<u32>,
    /// A match taking longer than this (wall time) fails (`None`: no per-match limit).
    pub match_time_limit: Option<Duration>,
    /// Every match's protocol, instead of each scenario's own (`None`: the scenario's).
    pub protocol: Option<ProtocolKind>,
    /// Every match's order of turns under alternating offers, instead of each scenario's
    /// own `[simulation] opener` (`None`: the scenario's). Only `First` or `Random`: a
    /// party name means nothing across scenarios.
    pub opener: Option<crate::model::simulation::Opener>,
    /// The scenarios, in file order.
    pub scenarios: Vec<Entry>,
    /// The tactics, named, in file order. An outside agent's entry holds the default
    /// tactic, never used: see [`TournamentSpec::outside`].
    pub tactics: Vec<(String, Tactic)>,
    /// The names (among [`TournamentSpec::tactics`]) of the entrants of kind `outside`:
    /// played by external programs the caller seats, never by a built-in tactic.
    pub outside: Vec<String>,
}

impl TournamentSpec {
    /// Whether the entrant at `k` in [`TournamentSpec::tactics`] is an outside agent.
    ///
    /// # Example
    /// ```
    /// let spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
    /// assert!(!spec.is_outside(0));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn is_outside(&self, k: usize) -> bool {
        self.tactics
            .get(k)
            .is_some_and(|(name, _)| self.outside.contains(name))
    }
}
