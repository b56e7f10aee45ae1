//! Concession paths: from the status quo into each deal zone, every state on the way
//! meeting every precondition.
//!
//! Three cost models ([`CostModel`]): the contract's total concession (A* with an
//! admissible bound, on petgraph's `astar`), fewest steps (A* with the rung distance to
//! the zone's bounding box), and the fairest path, which minimises the largest single
//! party's total concession. That last cost does not add up step by step, so it is found by
//! an exact label-setting search over per-party concession vectors.
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

use petgraph::visit::EdgeRef;

use super::zone::{DealZone, Zones};
use crate::config::Deadline;
use crate::graph::ConcessionGraph;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Error, Limits, Result};

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
    /// makes it reachable, sorted; empty when reachable.
    pub blocked_by: Vec<String>,
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
/// Per zone, one search: O(V · I · (R + P) · log V) for V states visited; an unreachable
/// zone adds one reachability search per precondition.
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
    zones
        .zones
        .iter()
        .enumerate()
        .map(|(k, z)| path_to_zone(c, k, z, model, limits))
        .collect()
}

/// The path into one zone (see [`paths`]).
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
    // A search for an unreachable zone would comb every reachable state: ask first.
    let found = if !reachable(c, zone, limits)? {
        None
    } else {
        match model {
            CostModel::TotalConcession => cheapest(c, zone, limits)?,
            CostModel::FewestSteps => fewest_steps(c, zone, limits)?,
            CostModel::Fairest => fairest(c, zone, limits)?,
        }
    };
    let Some(states) = found else {
        return Ok(ZonePath {
            zone: index,
            reachable: false,
            cost: None,
            states: Vec::new(),
            steps: Vec::new(),
            concessions: vec![0.0; c.utilities().len()],
            blocked_by: blocked_by(c, zone, limits)?,
        });
    };
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
    Ok(ZonePath {
        zone: index,
        reachable: true,
        cost: Some(cost),
        states,
        steps,
        concessions,
        blocked_by: Vec::new(),
    })
}

/// The concession graph respecting the preconditions, if the status quo meets them.
fn graph_from_status_quo<'c>(
    c: &'c CompiledScenario,
    limits: &Limits,
) -> Option<ConcessionGraph<'c>> {
    let g = ConcessionGraph::respecting_preconditions(c).with_expansion_limit(limits.max_visited);
    g.contains(c.status_quo()).then_some(g)
}

/// Cheapest path under total concession: A* with `h(s) = Σ_p max(0, u_p(s) − max_zone u_p)`,
/// which is consistent (every party must at least come down to its best in the zone).
fn cheapest(
    c: &CompiledScenario,
    zone: &DealZone,
    limits: &Limits,
) -> Result<Option<Vec<StateIndex>>> {
    let Some(g) = graph_from_status_quo(c, limits) else {
        return Ok(None);
    };
    let best: Vec<f64> = zone.utility.iter().map(|r| r.1).collect();
    let mut levels = vec![0; c.space().issues()];
    let found = petgraph::algo::astar(
        &g,
        c.status_quo(),
        |s| zone.contains(s),
        |e| *e.weight(),
        |s| {
            c.space().decode_into(s, &mut levels);
            c.utilities()
                .iter()
                .zip(&best)
                .map(|(u, m)| (u.utility(&levels) - m).max(0.0))
                .sum::<f64>()
        },
    );
    finish(&g, found.map(|(_, p)| p), limits)
}

/// Fewest moves: A* with the rung distance to the zone's bounding box.
fn fewest_steps(
    c: &CompiledScenario,
    zone: &DealZone,
    limits: &Limits,
) -> Result<Option<Vec<StateIndex>>> {
    let Some(g) = graph_from_status_quo(c, limits) else {
        return Ok(None);
    };
    let n = c.space().issues();
    let mut lo = vec![usize::MAX; n];
    let mut hi = vec![0; n];
    for b in &zone.boxes {
        for (i, &(a, z)) in b.iter().enumerate() {
            lo[i] = lo[i].min(a);
            hi[i] = hi[i].max(z);
        }
    }
    let space = c.space();
    let found = petgraph::algo::astar(
        &g,
        c.status_quo(),
        |s| zone.contains(s),
        |_| 1u64,
        |s| {
            (0..n)
                .map(|i| {
                    let l = space.level(s, i);
                    (lo[i].saturating_sub(l) + l.saturating_sub(hi[i])) as u64
                })
                .sum()
        },
    );
    finish(&g, found.map(|(_, p)| p), limits)
}

fn finish(
    g: &ConcessionGraph<'_>,
    found: Option<Vec<StateIndex>>,
    limits: &Limits,
) -> Result<Option<Vec<StateIndex>>> {
    if found.is_none() && g.limit_hit() {
        return Err(Error::LimitExceeded {
            limit: "max_visited",
            value: limits.max_visited,
        });
    }
    Ok(found)
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
                    limit: "max_labels",
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

/// A minimal set of preconditions whose removal makes `zone` reachable from the status
/// quo: start from all removed (the full grid is connected) and put each back, in scenario
/// order, when the zone stays reachable without it. Reachability only shrinks as
/// preconditions come back, so the result is minimal.
fn blocked_by(c: &CompiledScenario, zone: &DealZone, limits: &Limits) -> Result<Vec<String>> {
    let all_red = vec![true; c.red_lines().len()];
    let m = c.preconditions().len();
    let mut removed = vec![true; m];
    for k in 0..m {
        removed[k] = false;
        let keep: Vec<bool> = removed.iter().map(|r| !r).collect();
        if !reachable(&c.with_constraints(&all_red, &keep), zone, limits)? {
            removed[k] = true;
        }
    }
    let mut names: Vec<String> = (0..m)
        .filter(|&k| removed[k])
        .map(|k| c.precondition_names()[k].clone())
        .collect();
    names.sort();
    Ok(names)
}

/// Whether any state of `zone` can be reached from the status quo through states meeting
/// every precondition: breadth-first over packed states, with rules evaluated on the packed
/// index (no decoding, no allocation per edge) and a visited set of the states seen.
fn reachable(c: &CompiledScenario, zone: &DealZone, limits: &Limits) -> Result<bool> {
    let space = c.space();
    let ok = |s: StateIndex| c.preconditions().iter().all(|r| r.eval(s));
    let start = c.status_quo();
    if !ok(start) {
        return Ok(false);
    }
    let mut seen = Seen::new(space.size());
    seen.insert(start);
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        if zone.contains(s) {
            return Ok(true);
        }
        for i in 0..space.issues() {
            let (stride, level) = (space.strides()[i], space.level(s, i) as u64);
            let down = (level > 0).then(|| s - stride);
            let up = (level + 1 < space.radices()[i]).then(|| s + stride);
            for t in [down, up].into_iter().flatten() {
                if !seen.contains(t) && ok(t) {
                    if seen.len >= limits.max_visited {
                        return Err(Error::LimitExceeded {
                            limit: "max_visited",
                            value: limits.max_visited,
                        });
                    }
                    seen.insert(t);
                    queue.push_back(t);
                }
            }
        }
    }
    Ok(false)
}

/// The states a breadth-first search has seen: a bit per state when the whole space fits
/// in [`DENSE_SEEN_MAX`] bits (16 MiB), a hash set of the states seen otherwise.
enum SeenSet {
    Dense(Vec<u64>),
    Sparse(HashSet<StateIndex>),
}

/// Largest space whose visited set is a dense bitset.
const DENSE_SEEN_MAX: u64 = 1 << 27;

struct Seen {
    set: SeenSet,
    len: u64,
}

impl Seen {
    fn new(size: u64) -> Seen {
        let set = if size <= DENSE_SEEN_MAX {
            SeenSet::Dense(vec![0; size.div_ceil(64) as usize])
        } else {
            SeenSet::Sparse(HashSet::new())
        };
        Seen { set, len: 0 }
    }

    fn contains(&self, s: StateIndex) -> bool {
        match &self.set {
            SeenSet::Dense(bits) => bits[(s / 64) as usize] >> (s % 64) & 1 == 1,
            SeenSet::Sparse(h) => h.contains(&s),
        }
    }

    fn insert(&mut self, s: StateIndex) {
        self.len += 1;
        match &mut self.set {
            SeenSet::Dense(bits) => bits[(s / 64) as usize] |= 1 << (s % 64),
            SeenSet::Sparse(h) => {
                h.insert(s);
            }
        }
    }
}
