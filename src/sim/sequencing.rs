//! Sequencing: an agreement counts only if it can be implemented.
//!
//! The parties' preconditions ("a full ceasefire first, then direct talks") hold at every
//! step of the way from the status quo to a deal, as in `dealzone path`. A state is
//! *implementable* when a path of one-rung moves leads to it from the status quo in force,
//! every state on the path (both ends included) meeting every precondition in force. Those
//! states are the connected component of the status quo in the graph of states meeting the
//! preconditions, so implementability is one membership test once that component is known.
//!
//! * Each distinct *configuration* (the preconditions' variants in force and the status quo
//!   in force) has its component computed once, by a breadth-first search, and shared by
//!   every run of the batch and every clone of the world (a tournament's line-ups), up to
//!   [`MAX_CACHED_BYTES`]; beyond that, a configuration is recomputed for each run that
//!   meets it (slower, never larger).
//! * By default agents neither offer nor accept a state that is not implementable (it is as
//!   if every party had the red line "implementable"). With `bad_faith` they may, and such
//!   an agreement ends the run as [`super::trace::End::Unimplementable`]: not a deal.
//! * A recorded run ([`super::trace::Trace`]) that reaches agreement also records the
//!   cheapest precondition-respecting path (total concession, `dealzone path`'s search) to
//!   the agreed state, or, for an unimplementable one, the least sets of preconditions
//!   that block it.
//!
//! ```
//! let s = dealzone::Scenario::from_toml_str(r#"
//! name = "verification first"
//! [issues]
//! sanctions = ["kept", "lifted"]
//! verification = ["none", "full"]
//! [status_quo]
//! sanctions = "kept"
//! verification = "none"
//! [parties.west]
//! weights = { verification = 1 }
//! values = { verification = [0, 1] }
//! preconditions = [{ id = "verify_first", rule = "sanctions == lifted -> verification == full" }]
//! [parties.east]
//! weights = { sanctions = 1 }
//! values = { sanctions = [0, 1] }
//! "#, "v.toml").unwrap();
//! let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
//! let reach = w.sequencing.reachable(&w, &vec![0; w.constraints.len()], w.status_quo);
//! let at = |sanctions: usize, verification: usize| w.space.encode(&[sanctions, verification]);
//! assert!(reach.contains(at(1, 1))); // verify, then lift
//! assert!(!reach.contains(at(1, 0))); // lifted without verification: no path
//! ```

use std::sync::Arc;

use super::world::World;
use crate::analysis::path::{PathOptions, ZonePath, path_to_zone_with};
use crate::analysis::zone::{DealZone, boxes};
use crate::space::{CompiledScenario, StateIndex};

pub use super::reach::{MAX_CACHED_BYTES, MAX_SEQUENCED_STATES, Reachable, Sequencing};

impl Reachable {
    /// Number of implementable states.
    pub fn count(&self, w: &World) -> u64 {
        match &self.bits {
            None => w.space.size(),
            Some(b) => b.iter().map(|x| u64::from(x.count_ones())).sum(),
        }
    }
}

impl Sequencing {
    /// The implementable states when the constraints are in `variants` and the status quo
    /// is `sq`.
    ///
    /// # Arguments
    /// The world, every constraint's variant (as [`super::agent::RunState::variants`]) and
    /// the status quo in force.
    ///
    /// # Returns
    /// The shared [`Reachable`] of that configuration.
    ///
    /// # Complexity
    /// O(1) plus a lock when the configuration was met before; else a breadth-first search,
    /// O(C · I · R) for C states in the component, I issues and R precondition lookups,
    /// plus O(C · P · I) for the parties' ideals.
    ///
    /// # Example
    /// See the [module](self).
    pub fn reachable(&self, w: &World, variants: &[u8], sq: StateIndex) -> Arc<Reachable> {
        let key = (
            self.preconditions.iter().map(|&k| variants[k]).collect(),
            sq,
        );
        self.cached(key, || component(w, &self.preconditions, variants, sq))
    }
}

/// The component of `sq` among the states meeting every precondition in force.
fn component(w: &World, pre: &[usize], variants: &[u8], sq: StateIndex) -> Reachable {
    let live: Vec<usize> = pre.iter().copied().filter(|&k| variants[k] != 1).collect();
    let n = w.parties.len();
    if live.is_empty() {
        return Reachable {
            bits: None,
            ideal: (0..n).map(|p| Some(w.parties[p].ideal)).collect(),
        };
    }
    let size = w.space.size();
    let mut bits = vec![0u64; size.div_ceil(64) as usize];
    let open = |s: StateIndex| live.iter().all(|&k| w.holds(k, variants[k], s));
    let mut best: Vec<Option<(f64, StateIndex)>> = vec![None; n];
    if open(sq) {
        let strides = w.space.strides();
        let radices = w.space.radices();
        let mut stack = vec![sq];
        bits[(sq / 64) as usize] |= 1 << (sq % 64);
        while let Some(s) = stack.pop() {
            for (p, b) in best.iter_mut().enumerate() {
                let meets = w.parties[p].red_lines.iter().all(|&c| w.holds(c, 0, s));
                if !meets {
                    continue;
                }
                let u = w.utility(p, s);
                // Ties to the lowest state index: the search order never decides.
                if b.is_none_or(|(bu, bs)| u > bu + 1e-12 || (u > bu - 1e-12 && s < bs)) {
                    *b = Some((u, s));
                }
            }
            for i in 0..strides.len() {
                let l = (s / strides[i]) % radices[i];
                let down = (l > 0).then(|| s - strides[i]);
                let up = (l + 1 < radices[i]).then(|| s + strides[i]);
                for t in [down, up].into_iter().flatten() {
                    let (word, bit) = ((t / 64) as usize, t % 64);
                    if bits[word] >> bit & 1 == 0 && open(t) {
                        bits[word] |= 1 << bit;
                        stack.push(t);
                    }
                }
            }
        }
    }
    Reachable {
        bits: Some(bits),
        ideal: best.into_iter().map(|b| b.map(|(_, s)| s)).collect(),
    }
}

/// The cheapest precondition-respecting path (total concession) from the status quo of
/// `in_force` to `target`, under the red lines, preconditions and reservations in force,
/// by `dealzone path`'s search; for a target that cannot be reached, `reachable` is false
/// and `blocking` names the least sets of preconditions in the way.
///
/// # Arguments
/// The world, what was in force, the target state.
///
/// # Returns
/// The [`ZonePath`] into the one-state zone `{target}` (zone index 0).
///
/// # Errors
/// A limit of the path search ([`Sequencing::limits`]).
///
/// # Complexity
/// One path search ([`path_to_zone_with`]).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let inf = dealzone::sim::trace::InForce {
///     variants: vec![0; w.constraints.len()],
///     reservations: w.parties.iter().map(|p| p.reservation).collect(),
///     status_quo: w.status_quo,
/// };
/// let p = dealzone::sim::sequencing::path_to(&w, &inf, w.status_quo).unwrap();
/// assert_eq!(p.states, vec![w.status_quo]);
/// ```
pub fn path_to(
    w: &World,
    in_force: &super::trace::InForce,
    target: StateIndex,
) -> crate::error::Result<ZonePath> {
    let scenario = w.scenario_in_force(in_force);
    let limits = &w.sequencing.limits;
    let c = CompiledScenario::new(&scenario, limits)?;
    let zone = DealZone {
        states: vec![target],
        boxes: boxes(&[target], c.space()),
        utility: (0..w.parties.len())
            .filter(|&p| w.parties[p].contrib.is_some())
            .map(|p| (w.utility(p, target), w.utility(p, target)))
            .collect(),
    };
    path_to_zone_with(&c, 0, &zone, &PathOptions::default(), limits)
}
