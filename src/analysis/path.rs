//! Concession paths: from the status quo into each deal zone, every state on the way
//! meeting every precondition.
//!
//! Three cost models ([`CostModel`]): the contract's total concession and fewest steps
//! (one A* each from the status quo over packed states, with a consistent bound: the
//! largest of the cheapest one-issue walks into the nearest of the zone's boxes, each
//! party's utility above its best in the zone, the cheapest crossings of the
//! precondition quotient's cells into the zone's cells, and the sum over groups of issues
//! of the cheapest way into the zone's projection around the preconditions inside each
//! group (for fewest steps also box by box: the least over the zone's boxes of the sum
//! into that box's projections); then a depth-first pass that picks
//! the path the tie rule below names; see the `search` submodule), and the fairest path, which minimises the largest single party's
//! total concession. That last cost does not add up step by step, so it is found by an
//! exact label-setting search over per-party concession vectors, after a fewest-steps A*
//! has shown the zone reachable. Reachability itself is proved first, by a bidirectional
//! breadth-first search from the status quo and the zone over the precondition region's
//! quotient ([`CompiledScenario::precondition_quotient`]: runs of levels no precondition
//! tells apart merged into cells, a grid whose size the rules set, not the space: a few
//! thousand to a million cells for 1e8–1e10 states with two-issue preconditions), and the
//! minimal blocking sets are found on the same cells; without a quotient (more than
//! [`crate::space::MAX_QUOTIENT_CELLS`] cells) both run on the states, over the compiled
//! region ([`CompiledScenario::precondition_region`]) where it fits. A hit limit (`max_visited`, `max_labels`,
//! `max_memory_bytes`, `time_limit`) is always an error, never a partial or costlier path.
//!
//! # Which path
//!
//! Under total concession and fewest steps the path returned is defined by these
//! criteria alone, in order (no bound, search order or name enters them):
//!
//! 1. the least cost, compared exactly in integer units: each party's utility counted in
//!    [`UNITS_PER_UTILITY`] units (each issue's term rounded to the nearest unit, the sum
//!    capped at one utility), a step costing the sum of the parties' drops (fewest steps:
//!    one per step). Paths whose float costs differ by less than a unit per party and step
//!    may thus tie; the reported [`ZonePath::cost`] is the float sum along the path;
//! 2. the fewest steps;
//! 3. the sequence of states (status quo first) that comes first comparing state index by
//!    state index: a tie rule only, fixing stable bytes among paths equal on every count
//!    above. State indices follow the issues' file order (the last issue varies fastest),
//!    which no party owns; mirrored parties get mirrored answers.
//!
//! The tests compare every path step for step with a brute-force twin applying these
//! rules to the materialised graph (`paths_follow_the_documented_tie_rule`). The fairest
//! path is the label search's first label settled in the zone (smallest worst-party
//! total, then smallest sum, then smallest state).
//!
//! ```
//! use dealzone::{Limits, Scenario, analysis::{path, zone}, space::CompiledScenario};
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let c = CompiledScenario::new(&s, &Limits::default())?;
//! let zones = zone::find_zones_compiled(&c, zone::Engine::Auto, &Limits::default())?;
//! let paths = path::paths(&c, &zones, path::CostModel::TotalConcession, &Limits::default())?;
//! let p = &paths[0];
//! assert!(p.reachable);
//! assert_eq!(p.states.first(), Some(&c.status_quo()));
//! assert!(zones.zones[0].contains(*p.states.last().unwrap()));
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};

mod box_steps;
mod projections;
mod search;
mod walls;

pub use search::UNITS_PER_UTILITY;
use search::{EdgeCost, search};
use walls::{Walls, connected};

use super::zone::{DealZone, Zones};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::graph::ConcessionGraph;
use crate::space::{CompiledScenario, StateIndex, StateSpace};

/// What a path minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CostModel {
    /// Σ over steps and parties of each party's utility drop (CONTRACT.md's default).
    #[default]
    TotalConcession,
    /// The number of one-rung moves.
    FewestSteps,
    /// The largest total concession of any single party.
    Fairest,
}

impl CostModel {
    /// The model's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CostModel::TotalConcession => "total",
            CostModel::FewestSteps => "steps",
            CostModel::Fairest => "fair",
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The issue moved.
    pub issue: usize,
    /// Its level before.
    pub from: usize,
    /// Its level after.
    pub to: usize,
    /// Positions (among parties with a utility) of those whose utility falls.
    pub conceders: Vec<usize>,
    /// Every party's utility change, in party order.
    pub deltas: Vec<f64>,
}

/// The path into one zone, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonePath {
    /// Index of the zone in [`Zones::zones`].
    pub zone: usize,
    /// Whether a path exists.
    pub reachable: bool,
    /// The path's cost under the model used; `None` when unreachable.
    pub cost: Option<f64>,
    /// The states visited, status quo first; empty when unreachable.
    pub states: Vec<StateIndex>,
    /// The moves.
    pub steps: Vec<Step>,
    /// Each party's total concession along the path, in party order.
    pub concessions: Vec<f64>,
    /// For an unreachable zone: `party/id` of a minimal set of preconditions whose removal
    /// makes it reachable, sorted; empty when reachable. It is the first of
    /// [`Self::blocking`]'s sets: kept for compatibility, never the only answer.
    pub blocked_by: Vec<String>,
    /// For an unreachable zone: every minimal blocking set (up to the cap), each with the
    /// path that opens once it is dropped. Empty when reachable.
    pub blocking: BlockingSets,
}

impl ZonePath {
    /// For an unreachable zone, every least blocking set listed (the first tier: exact
    /// ties), as `party/id` names; `[blocked_by]` when no set list was kept; empty when
    /// reachable. A finding that says what walls a zone off names all of these.
    pub fn least_blocking(&self) -> Vec<&[String]> {
        let sets: Vec<&[String]> = self
            .blocking
            .sets
            .iter()
            .filter(|b| b.tier == 0)
            .map(|b| b.names.as_slice())
            .collect();
        if sets.is_empty() && !self.blocked_by.is_empty() {
            return vec![self.blocked_by.as_slice()];
        }
        sets
    }

    /// [`Self::least_blocking`] in words: `a, b, or by c` (each set's members joined by
    /// `, `, sets by `, or by `), with the count of further sets as small.
    pub fn least_blocking_words(&self) -> String {
        let sets: Vec<String> = self
            .least_blocking()
            .iter()
            .map(|names| names.join(", "))
            .collect();
        let mut out = sets.join(", or by ");
        if self.blocking.more > 0 {
            out.push_str(&format!(
                ", or by one of {} more sets as small",
                self.blocking.more
            ));
        }
        out
    }
}

/// The default cap on the blocking sets listed per zone ([`PathOptions::blocking_cap`]).
pub const DEFAULT_BLOCKING_CAP: usize = 16;

/// How blocking sets are ordered, as the JSON output names it.
pub const BLOCKING_ORDER: &str = "fewest preconditions first; sets of equal size are exact ties (one tier), \
listed by their sorted names only for stable output";

/// What [`paths_with`] computes beyond the model's paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathOptions {
    /// What a path minimises.
    pub model: CostModel,
    /// Most blocking sets listed per unreachable zone; the rest are counted
    /// ([`BlockingSets::more`]).
    pub blocking_cap: usize,
}

impl Default for PathOptions {
    fn default() -> Self {
        PathOptions {
            model: CostModel::TotalConcession,
            blocking_cap: DEFAULT_BLOCKING_CAP,
        }
    }
}

/// One minimal set of preconditions whose removal opens the path into a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockingSet {
    /// Positions in [`CompiledScenario::preconditions`], ascending.
    pub preconditions: Vec<usize>,
    /// Their `party/id`, sorted.
    pub names: Vec<String>,
    /// 0-based tier: sets in one tier are exact ties under [`BLOCKING_ORDER`].
    pub tier: usize,
    /// The zone it walls off, proved: a path with the fewest steps into that zone once the
    /// set is dropped, every state on it meeting every other precondition (its cost is
    /// its total concession; the cheapest path is `paths` on the scenario without the set).
    pub witness: ZonePath,
}

/// Every minimal blocking set of one zone (see [`blocking_sets`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockingSets {
    /// The zone's index in [`Zones::zones`].
    pub zone: usize,
    /// The sets, in [`BLOCKING_ORDER`], at most the cap.
    pub sets: Vec<BlockingSet>,
    /// How many minimal sets exist beyond those listed.
    pub more: usize,
}

impl BlockingSets {
    /// Every set of the first tier: the least that must give, all tied options.
    pub fn least(&self) -> impl Iterator<Item = &BlockingSet> {
        self.sets.iter().filter(|b| b.tier == 0)
    }
}

/// Paths from the status quo into every zone.
///
/// # Arguments
/// `c`, the compiled scenario; `zones`, from [`super::zone::find_zones_compiled`];
/// `model`; `limits` (`max_visited`, `max_labels`, `time_limit`).
///
/// # Returns
/// One [`ZonePath`] per zone, in zone order.
///
/// # Errors
/// [`Error::LimitExceeded`] when a search outgrows its limit.
///
/// # Complexity
/// Per zone, one bidirectional reachability search, O(W · I) for W cells of the
/// precondition quotient seen (at most about twice the smaller of the status quo's and
/// the zone's components; states when there is no quotient), then the cell bound, one
/// Dijkstra over the C ≤ 2^22 open cells (O(C · I log C)) and one per group of issues of
/// the projection bound (O(T · I log T) for T ≤ 2^20 level combinations each, up to three
/// partitions), for fewest steps one breadth-first search per box (or cluster of boxes)
/// and group (O(E · I) for E ≤ 2^27 entries together), then one A* and one pruned
/// depth-first pass: O(V · I · (R + P + B · I) + V log V) for V states visited, I issues,
/// R preconditions (O(1) with the compiled region), P parties and B ≤ 256 boxes in the
/// bound (every box of the zone for the per-box steps bound). V is small when the preconditions leave the way open (the bound is then the
/// exact remaining cost); an unreachable zone then costs the blocking-set search.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::{path::{CostModel, paths}, zone::{Engine, find_zones_compiled}};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let z = find_zones_compiled(&c, Engine::Auto, &Limits::default())?;
/// let found = paths(&c, &z, CostModel::TotalConcession, &Limits::default())?;
/// assert_eq!(found.len(), z.zones.len());
/// for p in found.iter().filter(|p| p.reachable) {
///     // From the status quo, one rung at a time, into the zone.
///     assert_eq!(p.states[0], c.status_quo());
///     assert!(z.zones[p.zone].contains(*p.states.last().unwrap()));
///     assert_eq!(p.steps.len() + 1, p.states.len());
/// }
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn paths(
    c: &CompiledScenario,
    zones: &Zones,
    model: CostModel,
    limits: &Limits,
) -> Result<Vec<ZonePath>> {
    let options = PathOptions {
        model,
        ..PathOptions::default()
    };
    paths_with(c, zones, &options, limits)
}

/// [`paths`] with every option: the model and the cap on blocking sets.
///
/// # Errors
/// As [`paths`].
pub fn paths_with(
    c: &CompiledScenario,
    zones: &Zones,
    options: &PathOptions,
    limits: &Limits,
) -> Result<Vec<ZonePath>> {
    zones
        .zones
        .iter()
        .enumerate()
        .map(|(k, z)| path_to_zone_with(c, k, z, options, limits))
        .collect()
}

/// The path into one zone (see [`paths`]), with [`DEFAULT_BLOCKING_CAP`].
///
/// # Errors
/// As [`paths`].
pub fn path_to_zone(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    model: CostModel,
    limits: &Limits,
) -> Result<ZonePath> {
    let options = PathOptions {
        model,
        ..PathOptions::default()
    };
    path_to_zone_with(c, index, zone, &options, limits)
}

/// The path into one zone under `options` (see [`paths_with`]).
///
/// # Errors
/// As [`paths`].
pub fn path_to_zone_with(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    options: &PathOptions,
    limits: &Limits,
) -> Result<ZonePath> {
    if let Some(p) = route(c, index, zone, options.model, limits)? {
        return Ok(p);
    }
    let blocking = blocking_sets(c, index, zone, options.blocking_cap, limits)?;
    Ok(ZonePath {
        zone: index,
        reachable: false,
        cost: None,
        states: Vec::new(),
        steps: Vec::new(),
        concessions: vec![0.0; c.utilities().len()],
        blocked_by: blocking
            .sets
            .first()
            .map(|b| b.names.clone())
            .unwrap_or_default(),
        blocking,
    })
}

/// The path into one zone, or, when the preconditions wall it off, only the *least* tier
/// of blocking sets: every smallest set of preconditions whose removal opens the zone,
/// found by testing the subsets of each size in turn with one reachability search each
/// (bidirectional, over the compiled precondition region with the subset's bits masked)
/// (the first size with any opening set is the least; every set of that size that opens
/// the zone is listed, each with a fewest-steps witness path). Cheaper than
/// [`blocking_sets`] when a caller routes to many single deals and names only the least
/// options, as the timeline report does.
///
/// # Arguments
/// As [`path_to_zone`], plus `cap`: most sets listed (the rest counted in `more`).
///
/// # Returns
/// A [`ZonePath`]; when unreachable, `blocking` holds the least tier and `blocked_by` its
/// first set (names order sets only within the tier).
///
/// # Errors
/// As [`paths`].
///
/// # Complexity
/// One path search, then at most Σ_{j ≤ k} C(m, j) reachability searches for m
/// preconditions and a least set of size k.
///
/// # Example
/// ```
/// use dealzone::{Limits, space::CompiledScenario};
/// use dealzone::analysis::{path::{CostModel, least_blocking_path, path_to_zone}, zone::{Engine, find_zones_compiled}};
/// let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let c = CompiledScenario::new(t.latest(), &Limits::default())?;
/// let c = c.without(&["russia/neutrality"])?;
/// let z = find_zones_compiled(&c, Engine::Auto, &Limits::default())?;
/// let quick = least_blocking_path(&c, 0, &z.zones[0], CostModel::TotalConcession, 16, &Limits::default())?;
/// let full = path_to_zone(&c, 0, &z.zones[0], CostModel::TotalConcession, &Limits::default())?;
/// assert_eq!(quick.reachable, full.reachable);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn least_blocking_path(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    model: CostModel,
    cap: usize,
    limits: &Limits,
) -> Result<ZonePath> {
    if let Some(p) = route(c, index, zone, model, limits)? {
        return Ok(p);
    }
    let m = c.preconditions().len();
    let deadline = Deadline::new(limits.time_limit);
    let mut least: Vec<Vec<usize>> = Vec::new();
    for k in 1..=m {
        let mut pick: Vec<usize> = (0..k).collect();
        loop {
            let keep: Vec<bool> = (0..m).map(|i| !pick.contains(&i)).collect();
            let walls = Walls::keeping(c, &keep, limits);
            if connected(&walls, zone, &deadline.limits_left(limits))? {
                least.push(pick.clone());
            }
            // Next k-combination in lexicographic order.
            let Some(i) = (0..k).rev().find(|&i| pick[i] < m - k + i) else {
                break;
            };
            pick[i] += 1;
            for j in i + 1..k {
                pick[j] = pick[j - 1] + 1;
            }
        }
        if !least.is_empty() {
            break;
        }
    }
    let mut named: Vec<(Vec<usize>, Vec<String>)> = least
        .into_iter()
        .map(|members| named_set(c, members))
        .collect();
    // One tier of exact ties: names only fix the listing order.
    named.sort_by(|a, b| a.1.cmp(&b.1));
    let more = named.len().saturating_sub(cap);
    named.truncate(cap);
    let sets = with_witnesses(c, index, zone, named, |_| 0, limits)?;
    Ok(ZonePath {
        zone: index,
        reachable: false,
        cost: None,
        states: Vec::new(),
        steps: Vec::new(),
        concessions: vec![0.0; c.utilities().len()],
        blocked_by: sets.first().map(|b| b.names.clone()).unwrap_or_default(),
        blocking: BlockingSets {
            zone: index,
            sets,
            more,
        },
    })
}

/// The path into `zone` under `model`, or `None` when the preconditions wall it off.
///
/// Reachability is proved first by [`connected`] (bidirectional: a walled-off zone costs
/// the smaller pocket); then total concession and fewest steps are one A* each from the
/// status quo (see [`search`]), the fairest path the label search, under what is left of
/// the time budget.
fn route(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    model: CostModel,
    limits: &Limits,
) -> Result<Option<ZonePath>> {
    let deadline = Deadline::new(limits.time_limit);
    let walls = Walls::all(c, limits);
    // Prove reachability first (bidirectional, so a walled-off zone costs the smaller
    // side's pocket); the search then never combs a component for nothing.
    if !connected(&walls, zone, limits)? {
        return Ok(None);
    }
    let left = deadline.limits_left(limits);
    let found = match model {
        CostModel::TotalConcession => {
            search(&walls, zone, EdgeCost::Concession, &left).map(|f| f.path)
        }
        CostModel::FewestSteps => search(&walls, zone, EdgeCost::Step, &left).map(|f| f.path),
        CostModel::Fairest => fairest(c, zone, &left),
    }
    // The error names the user's budget, not what was left of it.
    .map_err(|e| limits.whole_budget(e))?;
    let Some(states) = found else {
        return Ok(None);
    };
    Ok(Some(along(c, index, states, model)))
}

/// The [`ZonePath`] along `states` (status quo first), costed under `model`.
fn along(
    c: &CompiledScenario,
    index: usize,
    states: Vec<StateIndex>,
    model: CostModel,
) -> ZonePath {
    let g = ConcessionGraph::new(c);
    let space = c.space();
    let mut steps = Vec::with_capacity(states.len().saturating_sub(1));
    let mut concessions = vec![0.0; c.utilities().len()];
    for w in states.windows(2) {
        let issue = (0..space.issues())
            .find(|&i| space.level(w[0], i) != space.level(w[1], i))
            .unwrap_or(0);
        let con = g.concession(w[0], issue, space.level(w[1], issue));
        for (total, d) in concessions.iter_mut().zip(&con.deltas) {
            *total += (-d).max(0.0);
        }
        steps.push(Step {
            issue,
            from: con.from,
            to: con.to,
            conceders: con.conceders(),
            deltas: con.deltas,
        });
    }
    let cost = match model {
        CostModel::TotalConcession => concessions.iter().sum(),
        CostModel::FewestSteps => steps.len() as f64,
        CostModel::Fairest => concessions.iter().copied().fold(0.0, f64::max),
    };
    ZonePath {
        zone: index,
        reachable: true,
        cost: Some(cost),
        states,
        steps,
        concessions,
        blocked_by: Vec::new(),
        blocking: BlockingSets {
            zone: index,
            ..BlockingSets::default()
        },
    }
}

/// A label of the fairest-path search: per-party concession totals at a state.
struct Label {
    state: StateIndex,
    totals: Vec<f64>,
    pred: Option<usize>,
    dead: bool,
}

/// Heap entry: smallest worst-party total first, then smallest sum, then state, then age.
#[derive(PartialEq)]
struct Key(f64, f64, StateIndex, usize);

impl Eq for Key {}

impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        o.0.total_cmp(&self.0)
            .then(o.1.total_cmp(&self.1))
            .then(o.2.cmp(&self.2))
            .then(o.3.cmp(&self.3))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Fairest path: minimise `max_p` (party p's total concession).
///
/// Label-setting search: each label holds one vector of per-party totals; a state keeps
/// only labels no other label there dominates (≤ in every party). Labels are settled in
/// order of their worst-party total, which never decreases along a path, so the first label
/// settled inside the zone is optimal. Exact; the twin in the tests enumerates simple paths.
fn fairest(
    c: &CompiledScenario,
    zone: &DealZone,
    limits: &Limits,
) -> Result<Option<Vec<StateIndex>>> {
    let g = ConcessionGraph::respecting_preconditions(c);
    let start = c.status_quo();
    if !g.contains(start) {
        return Ok(None);
    }
    let deadline = Deadline::new(limits.time_limit);
    let parties = c.utilities().len();
    let mut arena = vec![Label {
        state: start,
        totals: vec![0.0; parties],
        pred: None,
        dead: false,
    }];
    let mut at: HashMap<StateIndex, Vec<usize>> = HashMap::from([(start, vec![0])]);
    let mut heap = BinaryHeap::from([Key(0.0, 0.0, start, 0)]);
    let mut popped = 0u64;
    while let Some(Key(_, _, s, id)) = heap.pop() {
        if arena[id].dead {
            continue;
        }
        popped += 1;
        if popped.is_multiple_of(1 << 12) {
            deadline.check(limits)?;
        }
        if zone.contains(s) {
            let mut path = Vec::new();
            let mut cur = Some(id);
            while let Some(k) = cur {
                path.push(arena[k].state);
                cur = arena[k].pred;
            }
            path.reverse();
            return Ok(Some(path));
        }
        for (t, issue) in g.moves(s) {
            let con = g.concession(s, issue, c.space().level(t, issue));
            let totals: Vec<f64> = arena[id]
                .totals
                .iter()
                .zip(&con.deltas)
                .map(|(a, d)| a + (-d).max(0.0))
                .collect();
            let here = at.entry(t).or_default();
            let dominated = here
                .iter()
                .any(|&o| arena[o].totals.iter().zip(&totals).all(|(x, y)| x <= y));
            if dominated {
                continue;
            }
            here.retain(|&o| {
                let worse = totals.iter().zip(&arena[o].totals).all(|(x, y)| x <= y);
                if worse {
                    arena[o].dead = true;
                }
                !worse
            });
            let new = arena.len();
            if new as u64 >= limits.max_labels {
                return Err(Error::LimitExceeded {
                    limit: crate::config::Limit::MaxLabels,
                    value: limits.max_labels,
                });
            }
            let worst = totals.iter().copied().fold(0.0, f64::max);
            let sum = totals.iter().sum();
            here.push(new);
            arena.push(Label {
                state: t,
                totals,
                pred: Some(id),
                dead: false,
            });
            heap.push(Key(worst, sum, t, new));
        }
    }
    Ok(None)
}

/// Every minimal set of preconditions whose removal makes `zone` reachable from the status
/// quo, each with the path it opens.
///
/// A set `B` opens the zone when some path from the status quo into it breaks only
/// preconditions of `B` (each state on the path may break several). The search carries,
/// per state, the minimal sets of preconditions broken on the way there (an antichain of
/// bitmasks: a superset of a set already there can only lead to supersets), settling sets
/// by size so that every set met inside the zone that contains none found before is
/// minimal. Removing preconditions never walls a zone off, so these are exactly the
/// minimal blocking sets.
///
/// Ordering ([`BLOCKING_ORDER`]): fewest preconditions first. Sets of one size are one
/// tier of exact ties, listed by their sorted names only so that the output is stable; no
/// name decides which set comes into the first tier. (Evidence grades, when constraints
/// carry them, would be the next key, in the private `tier_key`.)
///
/// # Arguments
/// `c`, the compiled scenario; `index`, the zone's index (reported back); `zone`; `cap`,
/// most sets listed (the rest are counted in [`BlockingSets::more`]); `limits`
/// (`max_labels`, `max_visited`, `time_limit`).
///
/// # Returns
/// The zone's [`BlockingSets`]: empty when the zone is reachable as things stand.
///
/// # Errors
/// [`Error::LimitExceeded`] when the search outgrows `max_labels` or `time_limit`, or a
/// witness path `max_visited`; `blocking_preconditions` when there are more than 64
/// preconditions.
///
/// # Complexity
/// O(L · I · P) for L labels (cells of the precondition quotient, or states without
/// one, times the minimal sets held at each; at most 2^P per cell, in practice a few), I
/// issues, P preconditions; plus one path search per listed set.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::{path::blocking_sets, zone::{Engine, find_zones_compiled}};
/// let s = Scenario::from_toml_str(r#"
/// name = "two walls"
/// [issues]
/// a = ["a0", "a1"]
/// [status_quo]
/// a = "a0"
/// [parties.p]
/// weights = { a = 1 }
/// values = { a = [0, 1] }
/// reservation = 1
/// preconditions = [{ id = "stay", rule = "a == a0" }]
/// [parties.q]
/// weights = { a = 1 }
/// values = { a = [1, 0] }
/// preconditions = [{ id = "hold", rule = "a != a1" }]
/// "#, "walls.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let z = find_zones_compiled(&c, Engine::Auto, &Limits::default())?;
/// let b = blocking_sets(&c, 0, &z.zones[0], 16, &Limits::default())?;
/// // Both preconditions forbid a1: only dropping both opens the zone.
/// assert_eq!(b.sets.len(), 1);
/// assert_eq!(b.sets[0].names, ["p/stay", "q/hold"]);
/// assert!(b.sets[0].witness.reachable);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn blocking_sets(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    cap: usize,
    limits: &Limits,
) -> Result<BlockingSets> {
    let masks = minimal_opening_masks(c, zone, limits)?;
    let mut found: Vec<(Vec<usize>, Vec<String>)> = masks
        .iter()
        .filter(|&&m| m != 0)
        .map(|&m| {
            let members = (0..c.preconditions().len())
                .filter(|&k| m >> k & 1 == 1)
                .collect();
            named_set(c, members)
        })
        .collect();
    found.sort_by(|a, b| {
        tier_key(c, &a.0)
            .cmp(&tier_key(c, &b.0))
            .then_with(|| a.1.cmp(&b.1))
    });
    let more = found.len().saturating_sub(cap);
    found.truncate(cap);
    // Sorted by key: a set's tier is the number of distinct keys before it.
    let keys: Vec<TierKey> = found.iter().map(|(m, _)| tier_key(c, m)).collect();
    let tier_of = |k: usize| keys[..=k].windows(2).filter(|w| w[0] != w[1]).count();
    let sets = with_witnesses(c, index, zone, found, tier_of, limits)?;
    Ok(BlockingSets {
        zone: index,
        sets,
        more,
    })
}

/// A blocking set's members (positions, ascending) with its `party/id` names, sorted.
fn named_set(c: &CompiledScenario, members: Vec<usize>) -> (Vec<usize>, Vec<String>) {
    let mut names: Vec<String> = members
        .iter()
        .map(|&k| c.precondition_names()[k].clone())
        .collect();
    names.sort();
    (members, names)
}

/// Each listed set (in order; the `k`-th in tier `tier_of(k)`) with the zone it walls off,
/// proved: a fewest-steps path into `zone` once the set is dropped.
fn with_witnesses(
    c: &CompiledScenario,
    index: usize,
    zone: &DealZone,
    listed: Vec<(Vec<usize>, Vec<String>)>,
    tier_of: impl Fn(usize) -> usize,
    limits: &Limits,
) -> Result<Vec<BlockingSet>> {
    let mut sets = Vec::with_capacity(listed.len());
    for (k, (members, names)) in listed.into_iter().enumerate() {
        let keep: Vec<bool> = (0..c.preconditions().len())
            .map(|p| !members.contains(&p))
            .collect();
        let opened = Walls::keeping(c, &keep, limits);
        let states =
            search(&opened, zone, EdgeCost::Step, limits)?
                .path
                .ok_or(Error::LimitExceeded {
                    // Reachable by construction; say which search disagreed rather than panic.
                    limit: crate::config::Limit::BlockingWitness,
                    value: 0,
                })?;
        sets.push(BlockingSet {
            preconditions: members,
            names,
            tier: tier_of(k),
            // Utilities alone cost a path: the preconditions dropped do not enter.
            witness: along(c, index, states, CostModel::TotalConcession),
        });
    }
    Ok(sets)
}

/// The symmetric key that orders blocking sets into tiers: the set's size. Names never
/// enter it.
///
/// Seam: once constraints carry an evidence grade, append the set's evidence (weakest
/// member's grade, say) here as the second key; the tiers and the docs follow from it.
type TierKey = usize;

fn tier_key(_c: &CompiledScenario, members: &[usize]) -> TierKey {
    members.len()
}

/// Most preconditions [`blocking_sets`] handles (one bit each).
const MAX_BLOCKING_PRECONDITIONS: usize = 64;

/// The minimal sets (as bitmasks over the preconditions) of preconditions broken on some
/// path from the status quo into `zone`, smallest first.
fn minimal_opening_masks(
    c: &CompiledScenario,
    zone: &DealZone,
    limits: &Limits,
) -> Result<Vec<u64>> {
    let m = c.preconditions().len();
    if m > MAX_BLOCKING_PRECONDITIONS {
        return Err(Error::LimitExceeded {
            limit: crate::config::Limit::BlockingPreconditions,
            value: MAX_BLOCKING_PRECONDITIONS as u64,
        });
    }
    let space = c.space();
    // On the quotient when it exists: each cell breaks what its states break, and a walk
    // of cells is a walk of states (see `RegionQuotient`), so the minimal sets agree.
    if let Some(q) = c.precondition_quotient(limits) {
        let mut levels = space.decode(c.status_quo());
        let start = q.cell(&levels);
        let mut targets = HashSet::with_capacity(zone.states.len());
        for &z in &zone.states {
            space.decode_into(z, &mut levels);
            targets.insert(q.cell(&levels));
        }
        return opening_masks_in(
            q.cells(),
            |cell| q.broken_cell(cell),
            start,
            |cell| targets.contains(&cell),
            m,
            limits,
        );
    }
    let region = c.precondition_region(limits);
    let broken = |s: StateIndex| -> u64 {
        match region {
            Some(r) => r.broken(s),
            None => c
                .preconditions()
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.eval(s))
                .fold(0u64, |acc, (k, _)| acc | 1 << k),
        }
    };
    opening_masks_in(
        space,
        broken,
        c.status_quo(),
        |s| zone.contains(s),
        m,
        limits,
    )
}

/// [`minimal_opening_masks`] on `space` (the states, or the quotient's cells): `broken`
/// gives what a state breaks of the `m` preconditions, `target` whether it is in the zone.
fn opening_masks_in(
    space: &StateSpace,
    broken: impl Fn(StateIndex) -> u64,
    start: StateIndex,
    target: impl Fn(StateIndex) -> bool,
    m: usize,
    limits: &Limits,
) -> Result<Vec<u64>> {
    let deadline = Deadline::new(limits.time_limit);
    // Live labels per state: an antichain under inclusion.
    let mut at: HashMap<StateIndex, Vec<u64>> = HashMap::new();
    // Labels waiting, bucketed by size: sets only grow along a path.
    let mut buckets: Vec<VecDeque<(StateIndex, u64)>> = vec![VecDeque::new(); m + 1];
    let first = broken(start);
    at.insert(start, vec![first]);
    buckets[first.count_ones() as usize].push_back((start, first));
    let mut found: Vec<u64> = Vec::new();
    let mut labels = 1u64;
    let mut popped = 0u64;
    let covers = |found: &[u64], mask: u64| found.iter().any(|&f| f & !mask == 0);
    for k in 0..=m {
        while let Some((s, mask)) = buckets[k].pop_front() {
            popped += 1;
            if popped.is_multiple_of(1 << 12) {
                deadline.check(limits)?;
            }
            if !at.get(&s).is_some_and(|v| v.contains(&mask)) || covers(&found, mask) {
                continue;
            }
            if target(s) {
                found.push(mask);
                continue;
            }
            for i in 0..space.issues() {
                let (stride, level) = (space.strides()[i], space.level(s, i) as u64);
                let down = (level > 0).then(|| s - stride);
                let up = (level + 1 < space.radices()[i]).then(|| s + stride);
                for t in [down, up].into_iter().flatten() {
                    let next = mask | broken(t);
                    if covers(&found, next) {
                        continue;
                    }
                    let here = at.entry(t).or_default();
                    if here.iter().any(|&o| o & !next == 0) {
                        continue;
                    }
                    here.retain(|&o| o & next != next);
                    here.push(next);
                    labels += 1;
                    if labels > limits.max_labels {
                        return Err(Error::LimitExceeded {
                            limit: crate::config::Limit::MaxLabels,
                            value: limits.max_labels,
                        });
                    }
                    buckets[next.count_ones() as usize].push_back((t, next));
                }
            }
        }
    }
    Ok(found)
}
