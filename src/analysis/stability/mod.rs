//! Stability analysis with the Graph Model for Conflict Resolution (GMCR): is a state
//! self-enforcing, or will some decision maker leave it?
//!
//! A graph model has decision makers, feasible states, each decision maker's one-step
//! moves and its preferences. A state is stable for a decision maker when every unilateral
//! improvement it has is deterred (or it has none); an equilibrium is stable for everyone.
//! The definitions followed are those of Kilgour, Hipel & Fang (1987), Fang, Hipel &
//! Kilgour (1993) and Xu et al. (2018): opponents sanction by *legal sequences* (any of
//! them may move, any number of times, never the same one twice in a row).
//!
//! ## Contents
//!
//! - [`model`]: [`Conflict`] from explicit states and moves ([`Conflict::explicit`]) or
//!   from options ([`OptionModel`]: binary options per decision maker, infeasibility
//!   [`Pattern`]s, irreversible [`Direction`]s).
//! - [`preference`]: rank vectors from a [`Ranking`] with ties, from option prioritization
//!   ([`Statement`], [`ranks_from_statements`]) or from scores ([`ranks_from_scores`]).
//! - [`reach`]: legal sequences ([`legal_sequences`]) and coalitional improvements.
//! - [`concepts`]: [`analyse`] (Nash, GMR, SMR, SEQ for every state and decision maker),
//!   [`simultaneous`] and [`limited_move`] for two decision makers.
//! - [`status_quo()`]: reachable states and equilibria from a status quo;
//!   [`status_quo_orders`]: every shortest path there, one per order of movers.
//! - [`explain`]: each improvement and every shortest sanction that deters it, one per set
//!   of sanctioning decision makers.
//! - [`scenario`]: a scenario with `controls` as a conflict ([`scenario_stability`]).
//!
//! ## Example: Prisoner's Dilemma
//!
//! ```
//! use dealzone::analysis::stability::{analyse, Concept, Conflict, OptionModel, OptionSpec, Ranking};
//! let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
//! let model = OptionModel {
//!     dms: vec![("P1".into(), vec![opt("cooperate")]), ("P2".into(), vec![opt("cooperate")])],
//!     infeasible: vec![],
//! };
//! // States 1 = NN, 2 = YN, 3 = NY, 4 = YY; most preferred first.
//! let ranks = vec![
//!     Ranking::parse("3 4 1 2", 4)?.ranks(4)?,
//!     Ranking::parse("2 4 1 3", 4)?.ranks(4)?,
//! ];
//! let c = Conflict::from_options(&model, ranks, 1 << 20)?;
//! let st = analyse(&c);
//! let numbers = |v: Vec<usize>| v.into_iter().map(|s| s + 1).collect::<Vec<_>>();
//! assert_eq!(numbers(st.equilibria(Concept::Nash)), vec![1]);
//! assert_eq!(numbers(st.equilibria(Concept::Seq)), vec![1, 4]);
//! # Ok::<(), dealzone::Error>(())
//! ```

pub mod concepts;
pub mod explain;
pub mod model;
pub mod preference;
pub mod reach;
mod sanctions;
pub mod scenario;
mod status_quo;

pub use concepts::{Concept, MAX_HORIZON, Stability, analyse, limited_move, simultaneous};
pub use explain::{ImprovementCheck, StabilityExplanation, explain_stability};
pub use model::{
    Conflict, DecisionMaker, Direction, MAX_OPTIONS, OptionModel, OptionSpec, Pattern,
};
pub use preference::{Ranking, Statement, UTILITY_TIE, ranks_from_scores, ranks_from_statements};
pub use reach::{MoveKind, Step, coalitional_improvements, legal_sequences};
pub use scenario::{
    Feasibility, MAX_FIBRE, MAX_NUMBERED, ScenarioStability, ScenarioState, Unravel, scenario_code,
    scenario_fibre, scenario_numbers, scenario_stability, scenario_stability_within,
};
pub use status_quo::{PathStep, StatusQuoOptions, status_quo, status_quo_orders};
