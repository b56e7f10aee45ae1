//! Bargaining over the candidates: which deal is efficient, and which is fair.
//!
//! Every concept ranges over the *candidates* (states meeting every red line), as the
//! field's tools do; the zone is their acceptable subset (CONTRACT.md). Only parties with
//! a utility take part.
//!
//! - [`pareto_frontier`]: the rows no other row dominates, exact, ties kept, utilities
//!   compared at 9 decimals; O(n log n) for two and three parties, divide and conquer for
//!   more.
//! - [`genius_kalai`]: GENIUS's "Kalai", the least asymmetric Pareto point.
//! - [`nash`], [`kalai_smorodinsky`], [`egalitarian`], [`max_welfare`]: the argmax of each
//!   concept's objective, with the contract's tie rule (values within 1e-12 of the best
//!   tie; the first tied state in enumeration order wins; Kalai–Smorodinsky first prefers
//!   the highest sum of utilities).
//! - [`count_rational`], [`zone_size`], [`distance_to_frontier`], [`distance`].
//! - [`bargain`] and [`bargain_compiled`] run all of it on a scenario; [`Bargain::new`] on
//!   any [`Candidates`]; [`imported`] on a GENIUS or GeniusWeb domain.
//! - [`Candidates::from_compiled`] finds the candidates with their utilities in one scan
//!   of the space, or by branch and bound when they are few ([`SCAN_SHARE`]).
//!
//! ```
//! use dealzone::{Limits, Scenario, analysis::bargain};
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let b = bargain::bargain(&s, &Limits::default())?;
//! let nash = b.nash.as_ref().unwrap();
//! assert!(b.pareto.contains(&nash.row)); // the Nash point is efficient
//! assert_eq!(b.distance_to_frontier(&nash.utilities), Some(0.0));
//! # Ok::<(), dealzone::Error>(())
//! ```

mod candidates;
pub mod imported;
mod pareto;
mod passes;
mod scan;
mod solutions;

pub use candidates::{Candidates, CandidatesError, SCAN_SHARE};
pub use pareto::{PARETO_DECIMALS, pareto_frontier};
pub use solutions::{
    Solution, TIE_TOLERANCE, count_rational, distance, distance_to_frontier, egalitarian,
    genius_kalai, is_acceptable, is_rational, kalai_smorodinsky, max_welfare, nash, zone_size,
};

use crate::config::Limits;
use crate::error::Result;
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// Every bargaining analysis of one set of candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Bargain {
    /// The candidates analysed.
    pub candidates: Candidates,
    /// Rows on the Pareto frontier, ascending ([`pareto_frontier`]).
    pub pareto: Vec<usize>,
    /// Frontier rows rational for every party ([`count_rational`]).
    pub count_rational: usize,
    /// Rows every party accepts ([`zone_size`]).
    pub zone_size: u64,
    /// The Nash solution ([`nash`]).
    pub nash: Option<Solution>,
    /// The Kalai–Smorodinsky solution ([`kalai_smorodinsky`]).
    pub kalai_smorodinsky: Option<Solution>,
    /// GENIUS's "Kalai": the least asymmetric Pareto point ([`genius_kalai`]).
    pub genius_kalai: Option<Solution>,
    /// The egalitarian solution ([`egalitarian`]).
    pub egalitarian: Option<Solution>,
    /// The maximum-welfare solution ([`max_welfare`]).
    pub max_welfare: Option<Solution>,
}

/// A state's distances in utility space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distances {
    /// To the nearest Pareto-frontier point; `None` without candidates.
    pub frontier: Option<f64>,
    /// To the Nash point; `None` when there is none.
    pub nash: Option<f64>,
}

impl Bargain {
    /// Run every analysis on `candidates`.
    ///
    /// # Complexity
    /// That of [`pareto_frontier`], plus O(n · d) for the solutions (two parallel passes
    /// over the rows shared by every concept, results combined in row order).
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::bargain::{Bargain, Candidates};
    /// let rows = [vec![0.9, 0.2], vec![0.6, 0.6], vec![0.5, 0.5], vec![0.2, 0.9]];
    /// let b = Bargain::new(Candidates::from_rows(vec![0, 1, 2, 3], &rows, vec![0.3, 0.3])?);
    /// assert_eq!(b.pareto, vec![0, 1, 3]);
    /// assert_eq!((b.count_rational, b.zone_size), (1, 2));
    /// assert_eq!(b.nash.as_ref().map(|s| s.row), Some(1));
    /// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
    /// ```
    pub fn new(candidates: Candidates) -> Bargain {
        // Every concept in two shared passes (`passes::solve`), the two-party frontier's
        // prefilter among them; the frontier by sorting when that leaves many rows.
        let s = passes::solve(&candidates);
        let pareto = s
            .frontier
            .unwrap_or_else(|| pareto::frontier_by_sort(&candidates));
        Bargain {
            count_rational: count_rational(&candidates, &pareto),
            zone_size: s.zone_size,
            nash: s.nash,
            kalai_smorodinsky: s.kalai_smorodinsky,
            genius_kalai: genius_kalai(&candidates, &pareto),
            egalitarian: s.egalitarian,
            max_welfare: s.max_welfare,
            pareto,
            candidates,
        }
    }

    /// Distance from a utility vector to the nearest frontier point
    /// ([`distance_to_frontier`]); `None` without candidates.
    pub fn distance_to_frontier(&self, utilities: &[f64]) -> Option<f64> {
        distance_to_frontier(&self.candidates, &self.pareto, utilities)
    }

    /// Distance from a utility vector to the Nash point; `None` when there is none.
    pub fn distance_to_nash(&self, utilities: &[f64]) -> Option<f64> {
        self.nash
            .as_ref()
            .map(|n| distance(&n.utilities, utilities))
    }

    /// Both distances for any state of the scenario the candidates came from (a candidate
    /// or not: the status quo, a step of a path).
    ///
    /// # Panics
    /// When `state` is outside `c`'s space.
    ///
    /// # Example
    /// ```
    /// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
    /// let s = Scenario::load("seeds/wage_round.toml")?;
    /// let c = CompiledScenario::new(&s, &Limits::default())?;
    /// let b = bargain::bargain_compiled(&c, &Limits::default())?;
    /// let d = b.distances(&c, c.status_quo());
    /// assert!(d.frontier.unwrap() > 0.0 && d.nash.unwrap() >= d.frontier.unwrap());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn distances(&self, c: &CompiledScenario, state: StateIndex) -> Distances {
        let u = c.utilities_at(&c.space().decode(state));
        Distances {
            frontier: self.distance_to_frontier(&u),
            nash: self.distance_to_nash(&u),
        }
    }
}

/// Every bargaining analysis of a scenario.
///
/// # Arguments
/// `scenario`; `limits` (`max_states`, `max_acceptable` caps the candidates,
/// `time_limit`).
///
/// # Returns
/// A [`Bargain`] over the scenario's candidates.
///
/// # Errors
/// [`crate::Error::TooManyStates`] or [`crate::Error::LimitExceeded`].
///
/// # Complexity
/// That of [`Candidates::from_compiled`] and [`Bargain::new`].
pub fn bargain(scenario: &Scenario, limits: &Limits) -> Result<Bargain> {
    bargain_compiled(&CompiledScenario::new(scenario, limits)?, limits)
}

/// [`bargain`] on an already compiled scenario.
///
/// # Errors
/// As [`bargain`].
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
/// let s = Scenario::load("seeds/supplier_contract.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// assert!(b.count_rational <= b.pareto.len());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn bargain_compiled(c: &CompiledScenario, limits: &Limits) -> Result<Bargain> {
    Ok(Bargain::new(Candidates::from_compiled(c, limits)?))
}
