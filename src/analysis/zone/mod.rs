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

use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Error, Limits, Result};

/// Spaces up to this many states are scanned exhaustively by [`Engine::Auto`].
pub const AUTO_BRUTE_FORCE_MAX: u64 = 1 << 22;

/// Which search finds the acceptable states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Brute force for small spaces ([`AUTO_BRUTE_FORCE_MAX`]), branch and bound above.
    #[default]
    Auto,
    /// Scan every state ([`brute_force`]).
    BruteForce,
    /// Prune partial assignments ([`branch_and_bound`]).
    BranchAndBound,
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
    let engine = match engine {
        Engine::Auto if c.space().size() <= AUTO_BRUTE_FORCE_MAX => Engine::BruteForce,
        Engine::Auto => Engine::BranchAndBound,
        e => e,
    };
    let (candidates, acceptable) = match engine {
        Engine::BruteForce => {
            let scan = brute_force(c, limits)?;
            (scan.candidates, scan.acceptable)
        }
        _ => {
            let acceptable = branch_and_bound(c, limits)?;
            let candidates = count_candidates(c, MAX_FACTOR).ok_or(Error::LimitExceeded {
                limit: "max_factor (counting candidates)",
                value: MAX_FACTOR,
            })?;
            (candidates, acceptable)
        }
    };
    let zones = components(&acceptable, c.space())
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
            DealZone {
                boxes: boxes(&states, c.space()),
                states,
                utility,
            }
        })
        .collect();
    Ok(Zones {
        states: c.space().size(),
        candidates,
        acceptable,
        zones,
        engine,
    })
}
