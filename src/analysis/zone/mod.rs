//! Deal zones: the connected components of the acceptable states.
//!
//! ```
//! use dealzone::{Limits, Scenario, analysis::zone::{Engine, find_zones}};
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let zones = find_zones(&s, Engine::Auto, &Limits::default())?;
//! let total: u64 = zones.zones.iter().map(|z| z.size()).sum();
//! assert_eq!(total, zones.acceptable.len() as u64);
//! # Ok::<(), dealzone::Error>(())
//! ```

mod bnb;
mod boxes;
mod brute;
mod components;
mod count;

pub use bnb::{branch_and_bound, first_acceptable};
pub use boxes::{LevelBox, boxes, for_each_in_box};
pub use brute::{Scan, brute_force};
pub use components::{components, for_each_neighbour};
pub use count::{MAX_FACTOR, count_candidates};

pub(crate) use bnb::{branch_and_bound_within, found_limit};
pub(crate) use brute::RowPlan;

use crate::config::Limits;
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// Spaces up to this many states are scanned exhaustively by [`Engine::Auto`].
///
/// Measured (`cargo bench --bench zones -- auto_crossover`, 2 cores shared with other
/// builds, worst of three seeds, criterion's middle estimate; synthetic spaces of 4-level
/// issues, about 1,000 acceptable states): brute force against branch and bound with its
/// candidate count took 5.0 / 3.0 ms at 2^16 states (red-line regime; 5.3 / 1.8 ms with
/// reservations), 15.8 / 3.9 ms at 2^18, 49.9 / 3.5 ms at 2^20, 165 / 9.3 ms at 2^22 and
/// 823 / 26.5 ms at 2^24. Branch and bound is already ahead at the smallest size measured,
/// so the scan is kept only below it; where the bounds do not prune, the node budget
/// ([`AUTO_STATES_PER_NODE`]) and a large output ([`AUTO_OUTPUT_SHARE`]) still send the
/// search to a scan.
pub const AUTO_BRUTE_FORCE_MAX: u64 = 1 << 16;

/// [`Engine::Auto`] lets branch and bound visit at most one inner node per this many
/// states of the space before it switches to a scan: a node costs several times a
/// scanned state (R red-line and D bound checks against a few nanoseconds a state), so a
/// search that has stopped pruning gives up at a fraction of the scan's cost.
pub const AUTO_STATES_PER_NODE: u64 = 4;

/// Which search finds the acceptable states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Brute force for small spaces ([`AUTO_BRUTE_FORCE_MAX`]) and for outputs too large
    /// for a search ([`AUTO_OUTPUT_SHARE`]), branch and bound otherwise, switching to brute force when branch and bound visits more than one node per
    /// [`AUTO_STATES_PER_NODE`] states (its bounds stopped pruning), so it never costs
    /// much more than a scan.
    #[default]
    Auto,
    /// Scan every state ([`brute_force`]).
    BruteForce,
    /// Prune partial assignments ([`branch_and_bound`]).
    BranchAndBound,
}

/// [`Engine::Auto`] scans, whatever the size, when no reservation can bind and the red
/// lines keep at least one state in this many: branch and bound must then reach every
/// candidate as a leaf, and a leaf costs it far more than a scanned state costs a scan.
///
/// Measured (`cargo bench --bench zones -- auto_crossover/open`: 2^22 states of 4-level
/// issues, two parties, reservations dropped as bargaining does, candidates calibrated to a
/// share of the space; worst of three seeds, 2 shared cores), brute force against branch
/// and bound: 207 / 473 ms with one state in 4 a candidate, 127 / 153 ms at 1 in 16,
/// 127 / 58 ms at 1 in 64, 107 / 14 ms at 1 in 256, 154 / 12 ms at 1 in 1,024. Branch and
/// bound costs about 0.5 µs per candidate there, a scan about 30 ns per state: they cross
/// near one candidate in 20.
pub const AUTO_OUTPUT_SHARE: u64 = 20;

/// Whether no party's reservation can exclude a state: each party's least possible
/// utility (its worst level on every issue, summed in issue order as every utility is, so
/// rounding, being monotone, keeps it a lower bound) meets its reservation. Only engine
/// choices use it (this one, and bargaining's candidate scan): every engine is exact.
pub(crate) fn reservations_idle(c: &CompiledScenario) -> bool {
    let radices = c.space().radices();
    c.utilities().iter().all(|u| {
        let least: f64 = (0..radices.len())
            .map(|i| {
                (0..radices[i] as usize)
                    .map(|l| u.contrib(i, l))
                    .fold(f64::INFINITY, f64::min)
            })
            .sum();
        u.accepts(least.min(1.0))
    })
}

/// Whether the output alone makes branch and bound dearer than a scan: no reservation
/// binds, so every candidate is acceptable, and the candidates (counted by variable
/// elimination, with tables kept small next to the space) are at least one state in
/// [`AUTO_OUTPUT_SHARE`].
fn output_too_large(c: &CompiledScenario, size: u64) -> bool {
    if !reservations_idle(c) {
        return false;
    }
    let max_factor = MAX_FACTOR.min((size / 64).max(1 << 10));
    count_candidates(c, max_factor).is_some_and(|n| n.saturating_mul(AUTO_OUTPUT_SHARE) >= size)
}

/// What [`Engine::Auto`] finds by branch and bound: `None` when it chose a scan instead
/// (a small space, an output too large for a search to beat a scan, or a search that
/// stopped pruning).
fn auto_branch_and_bound(c: &CompiledScenario, limits: &Limits) -> Result<Option<Vec<StateIndex>>> {
    let size = c.space().size();
    if size <= AUTO_BRUTE_FORCE_MAX || output_too_large(c, size) {
        return Ok(None);
    }
    bnb::branch_and_bound_within(c, limits, size / AUTO_STATES_PER_NODE)
}

/// The acceptable states of `c` in enumeration order, by the engine [`Engine::Auto`]
/// picks (a scan, branch and bound, or branch and bound switching to a scan).
///
/// # Errors
/// [`Error::LimitExceeded`] when `max_acceptable`, the memory budget or the time limit
/// breaks.
///
/// # Complexity
/// At most about `1 + 1 / AUTO_STATES_PER_NODE` times a scan ([`brute_force`]); far less
/// when the bounds prune.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::zone};
/// let s = dealzone::Scenario::load("seeds/supplier_contract.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &Limits::default())?;
/// let all = zone::acceptable_states(&c, &Limits::default())?;
/// assert_eq!(all, zone::brute_force(&c, &Limits::default())?.acceptable);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn acceptable_states(c: &CompiledScenario, limits: &Limits) -> Result<Vec<StateIndex>> {
    let deadline = crate::config::Deadline::new(limits.time_limit);
    match auto_branch_and_bound(c, limits)? {
        Some(all) => Ok(all),
        None => Ok(brute_force(c, &deadline.limits_left(limits))
            .map_err(|e| limits.whole_budget(e))?
            .acceptable),
    }
}

/// One deal zone.
#[derive(Debug, Clone, PartialEq)]
pub struct DealZone {
    /// Its states, in enumeration order.
    pub states: Vec<StateIndex>,
    /// Disjoint boxes whose union is exactly the zone.
    pub boxes: Vec<LevelBox>,
    /// `(min, max)` utility over the zone for each party with a utility, in party order.
    pub utility: Vec<(f64, f64)>,
}

impl DealZone {
    /// Number of states.
    pub fn size(&self) -> u64 {
        self.states.len() as u64
    }

    /// Whether the zone holds `s`.
    pub fn contains(&self, s: StateIndex) -> bool {
        self.states.binary_search(&s).is_ok()
    }
}

/// The result of a zone search.
#[derive(Debug, Clone, PartialEq)]
pub struct Zones {
    /// Number of states in the space.
    pub states: u64,
    /// States meeting every red line.
    pub candidates: u64,
    /// Acceptable states, in enumeration order.
    pub acceptable: Vec<StateIndex>,
    /// Zones, largest first; equal sizes by first state.
    pub zones: Vec<DealZone>,
    /// The engine that ran.
    pub engine: Engine,
}

/// Find the deal zones of a scenario.
///
/// # Arguments
/// `scenario`; `engine` (see [`Engine`]); `limits` (`max_states`, `max_acceptable`,
/// `time_limit`).
///
/// # Returns
/// Counts, the acceptable states, and the zones with their boxes and utility ranges.
///
/// # Errors
/// [`Error::TooManyStates`] or [`Error::LimitExceeded`].
///
/// # Complexity
/// That of the engine, plus O(A · I · log A) for components and boxes over A acceptable
/// states.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::zone::{Engine, find_zones}};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let z = find_zones(&s, Engine::Auto, &Limits::default())?;
/// // Zones partition the acceptable states, largest first.
/// assert_eq!(z.zones.iter().map(|d| d.size()).sum::<u64>(), z.acceptable.len() as u64);
/// assert!(z.zones.windows(2).all(|w| w[0].size() >= w[1].size()));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn find_zones(scenario: &Scenario, engine: Engine, limits: &Limits) -> Result<Zones> {
    let c = CompiledScenario::new(scenario, limits)?;
    find_zones_compiled(&c, engine, limits)
}

/// [`find_zones`] on an already compiled scenario.
///
/// # Errors
/// As [`find_zones`].
pub fn find_zones_compiled(c: &CompiledScenario, engine: Engine, limits: &Limits) -> Result<Zones> {
    let deadline = crate::config::Deadline::new(limits.time_limit);
    let searched = match engine {
        Engine::Auto => auto_branch_and_bound(c, limits)?,
        Engine::BranchAndBound => Some(branch_and_bound(c, limits)?),
        Engine::BruteForce => None,
    };
    let (engine, candidates, acceptable) = match searched {
        Some(acceptable) => {
            let candidates = count_candidates(c, MAX_FACTOR).ok_or(Error::LimitExceeded {
                limit: crate::config::Limit::MaxFactor,
                value: MAX_FACTOR,
            })?;
            (Engine::BranchAndBound, candidates, acceptable)
        }
        None => {
            // After a branch and bound that stopped pruning, the scan gets what is left of
            // the one budget; its error still names the whole budget.
            let scan = brute_force(c, &deadline.limits_left(limits))
                .map_err(|e| limits.whole_budget(e))?;
            (Engine::BruteForce, scan.candidates, scan.acceptable)
        }
    };
    limits.check_memory(acceptable.len() as u64, 24)?;
    let zones = components::components_within(&acceptable, c.space(), &deadline, limits)?
        .into_iter()
        .map(|states| {
            let mut utility = vec![(f64::INFINITY, f64::NEG_INFINITY); c.utilities().len()];
            let mut levels = vec![0; c.space().issues()];
            for &s in &states {
                c.space().decode_into(s, &mut levels);
                for (range, u) in utility.iter_mut().zip(c.utilities()) {
                    let x = u.utility(&levels);
                    range.0 = range.0.min(x);
                    range.1 = range.1.max(x);
                }
            }
            Ok(DealZone {
                boxes: boxes::boxes_within(&states, c.space(), &deadline, limits)?,
                states,
                utility,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Zones {
        states: c.space().size(),
        candidates,
        acceptable,
        zones,
        engine,
    })
}
