//! The path search proper: one A* from the status quo, with no separate reachability
//! pass, over packed states.
//!
//! Why it is fast where the petgraph route was slow: nothing is allocated per edge (levels
//! are decoded once per expansion and moved in place), preconditions are evaluated once per
//! state first generated (a blocked state is remembered), the visited map is a hash map with
//! a multiplicative hash, and the bound is strong: utilities add up over the issues, so
//! the cost of any walk from `s` into a box of the zone is at least the sum, issue by
//! issue, of the cheapest one-issue walk into the box's range (the exact distance when no
//! precondition is in the way). The search settles states in order of `g + h`, larger `g`
//! first among equal sums (goal-directed), then smaller state: deterministic, and blind
//! to names.
//!
//! Callers prove the zone reachable first (`walls::connected`, bidirectional over the
//! compiled precondition region), so the search never combs a component for a zone it
//! cannot reach; an open list running dry still answers `None`. A hit limit
//! ([`crate::Limits::max_visited`], the memory budget, the time limit) is an error, never
//! a partial answer.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::walls::{Walls, visit_limit};
use crate::analysis::zone::DealZone;
use crate::config::Deadline;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Limits, Result};

/// What an edge costs in [`search`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeCost {
    /// Σ_p max(0, −Δu_p), exactly as [`crate::graph::Concession::cost`] computes it.
    Concession,
    /// One per move.
    Step,
}

/// A multiplicative hash for state indices (Fibonacci hashing): states are dense
/// integers, so SipHash's collision resistance buys nothing here but costs time.
#[derive(Default)]
struct StateHasher(u64);

impl Hasher for StateHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ self.0)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

type StateMap<V> = HashMap<StateIndex, V, BuildHasherDefault<StateHasher>>;

/// Bytes one visited state costs (map entry with its share of empty slots, heap entry).
const BYTES_PER_STATE: u64 = 64;

/// Most boxes of a zone the bound takes one by one; beyond, their bounding box.
const MAX_BOUND_BOXES: usize = 256;

/// A visited state.
#[derive(Clone, Copy)]
struct Node {
    g: f64,
    parent: StateIndex,
    mark: Mark,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Reached, not yet settled.
    Open,
    /// Settled.
    Closed,
    /// Breaks a precondition: never entered.
    Blocked,
}

/// Heap entry: smallest `f` first, then largest `g`, then smallest state.
#[derive(PartialEq)]
struct Entry {
    f: f64,
    g: f64,
    state: StateIndex,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed where smaller must come first: BinaryHeap is a max-heap.
        o.f.total_cmp(&self.f)
            .then(self.g.total_cmp(&o.g))
            .then(o.state.cmp(&self.state))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The consistent lower bound on the cost still to pay from a state into the zone.
struct Bound {
    /// The boxes the bound measures the distance to (the zone's, or their bounding box).
    boxes: Vec<Vec<(usize, usize)>>,
    /// Per box, per issue, per level: the one-issue term of the distance to the box, 0
    /// inside the box's range. With `up[i]`, `down[i]` the prefix sums of issue `i`'s
    /// cheapest rung costs, walking it up from `l` to `a` costs at least `up[i][a] −
    /// up[i][l]`, down from `l` to `z` at least `down[i][l] − down[i][z]`, at `box · width + offset[i] +
    /// level`: one load per issue instead of two and a branch.
    terms: Vec<f64>,
    /// Where each issue's levels start in a box's row of `terms`.
    offset: Vec<usize>,
    /// Levels of all issues: a box's row length in `terms`.
    width: usize,
    /// The box nearest the last state bounded: tried first, so that the others stop early.
    hint: Cell<usize>,
    /// Per party, the best utility in the zone (`None`: fewest-steps model).
    best: Option<Vec<f64>>,
}

impl Bound {
    fn new(c: &CompiledScenario, zone: &DealZone, cost: EdgeCost) -> Bound {
        let space = c.space();
        let n = space.issues();
        // A party whose summed utility may pass the cap of 1 can lose less than its
        // tabulated drop on a step: it is left out of the per-issue tables (it still
        // counts in the per-party term below, which reads capped utilities). Normalised
        // weights and values top out at 1 up to rounding, which the shave below absorbs.
        let uncapped: Vec<bool> = c
            .utilities()
            .iter()
            .map(|u| {
                let top: f64 = (0..n)
                    .map(|i| {
                        (0..space.radices()[i] as usize)
                            .map(|l| u.contrib(i, l))
                            .fold(f64::NEG_INFINITY, f64::max)
                    })
                    .sum();
                top <= 1.0 + 1e-13
            })
            .collect();
        let rung = |i: usize, from: usize, to: usize| -> f64 {
            match cost {
                EdgeCost::Step => 1.0,
                EdgeCost::Concession => c
                    .utilities()
                    .iter()
                    .zip(&uncapped)
                    .filter(|(_, ok)| **ok)
                    .map(|(u, _)| (u.contrib(i, from) - u.contrib(i, to)).max(0.0))
                    .sum(),
            }
        };
        let mut up = Vec::with_capacity(n);
        let mut down = Vec::with_capacity(n);
        for i in 0..n {
            let r = space.radices()[i] as usize;
            let mut u = vec![0.0; r];
            let mut d = vec![0.0; r];
            for l in 1..r {
                u[l] = u[l - 1] + rung(i, l - 1, l);
                d[l] = d[l - 1] + rung(i, l, l - 1);
            }
            up.push(u);
            down.push(d);
        }
        let boxes = if zone.boxes.len() <= MAX_BOUND_BOXES {
            zone.boxes.clone()
        } else {
            let mut hull = vec![(usize::MAX, 0); n];
            for b in &zone.boxes {
                for (h, &(a, z)) in hull.iter_mut().zip(b) {
                    *h = (h.0.min(a), h.1.max(z));
                }
            }
            vec![hull]
        };
        let best =
            (cost == EdgeCost::Concession).then(|| zone.utility.iter().map(|r| r.1).collect());
        let mut offset = Vec::with_capacity(n);
        let mut width = 0;
        for i in 0..n {
            offset.push(width);
            width += space.radices()[i] as usize;
        }
        let mut terms = Vec::with_capacity(boxes.len() * width);
        for b in &boxes {
            for (i, &(a, z)) in b.iter().enumerate() {
                for l in 0..space.radices()[i] as usize {
                    // The very differences `at` once computed per state, so sums are equal.
                    terms.push(if l < a {
                        up[i][a] - up[i][l]
                    } else if l > z {
                        down[i][l] - down[i][z]
                    } else {
                        0.0
                    });
                }
            }
        }
        Bound {
            boxes,
            terms,
            offset,
            width,
            hint: Cell::new(0),
            best,
        }
    }

    /// The bound at `levels`, whose utilities (capped, in party order) are `utils`.
    #[inline]
    fn at(&self, levels: &[usize], utils: &[f64]) -> f64 {
        // The minimum over the boxes of each box's sum, issue by issue in order (adding a
        // 0 term leaves a sum unchanged, so the value is the plain loop's, bit for bit).
        // The last nearest box goes first: the others then stop as soon as they pass it,
        // which changes no box's sum, only how many are finished.
        let hint = self.hint.get();
        let mut sep = f64::INFINITY;
        let mut nearest = hint;
        let tried = if self.boxes.is_empty() {
            None
        } else {
            Some(hint)
        };
        for k in tried
            .into_iter()
            .chain((0..self.boxes.len()).filter(|&k| k != hint))
        {
            let row = &self.terms[k * self.width..(k + 1) * self.width];
            let mut d = 0.0;
            for (&l, &o) in levels.iter().zip(&self.offset) {
                d += row[o + l];
                // Terms are never negative: this box cannot beat the best one so far.
                if d >= sep {
                    break;
                }
            }
            if d < sep {
                sep = d;
                nearest = k;
            }
        }
        self.hint.set(nearest);
        let party = self.best.as_ref().map_or(0.0, |best| {
            utils
                .iter()
                .zip(best)
                .map(|(u, m)| (u - m).max(0.0))
                .sum::<f64>()
        });
        let h = sep.max(party);
        // Prefix differences round; shave the bound so rounding never makes it overshoot.
        (h * (1.0 - 1e-9) - 1e-12).max(0.0)
    }
}

/// What [`search`] found.
pub(super) struct Found {
    /// The path, status quo first; `None` when the zone is unreachable.
    pub path: Option<Vec<StateIndex>>,
}

/// The cheapest path under `cost` from the status quo into `zone` through states meeting
/// `walls` leaves open, or `None` when there is none.
///
/// # Errors
/// [`Error::LimitExceeded`] naming `max_visited`, `max_memory_bytes` or `time_limit` when
/// the search outgrows one: never a partial or costlier answer.
pub(super) fn search(
    walls: &Walls,
    zone: &DealZone,
    cost: EdgeCost,
    limits: &Limits,
) -> Result<Found> {
    let c = walls.c;
    let space = c.space();
    let n = space.issues();
    let start = c.status_quo();
    let mut levels = space.decode(start);
    if !walls.open(start, &levels) || zone.states.is_empty() {
        return Ok(Found { path: None });
    }
    let bound = Bound::new(c, zone, cost);
    // Steps cost 1 and their bound reads no utility: skip computing them.
    let utils_at = |levels: &[usize], out: &mut Vec<f64>| {
        out.clear();
        if cost == EdgeCost::Concession {
            out.extend(c.utilities().iter().map(|u| u.utility(levels)));
        }
    };
    let max_states = limits.max_visited.min(limits.memory_items(BYTES_PER_STATE));
    let over = || visit_limit(limits, BYTES_PER_STATE, false);
    let deadline = Deadline::new(limits.time_limit);
    let mut nodes: StateMap<Node> = StateMap::default();
    let mut heap = BinaryHeap::new();
    let mut here = Vec::with_capacity(c.utilities().len());
    let mut there = Vec::with_capacity(c.utilities().len());
    utils_at(&levels, &mut here);
    nodes.insert(
        start,
        Node {
            g: 0.0,
            parent: start,
            mark: Mark::Open,
        },
    );
    heap.push(Entry {
        f: bound.at(&levels, &here),
        g: 0.0,
        state: start,
    });
    let mut settled = 0u64;
    while let Some(Entry { g, state: s, .. }) = heap.pop() {
        let node = nodes[&s];
        if node.mark == Mark::Closed || g > node.g {
            continue;
        }
        settled += 1;
        if settled.is_multiple_of(1 << 12) {
            deadline.check(limits)?;
        }
        if zone.contains(s) {
            let mut path = vec![s];
            let mut cur = s;
            while cur != start {
                cur = nodes[&cur].parent;
                path.push(cur);
            }
            path.reverse();
            return Ok(Found { path: Some(path) });
        }
        if let Some(n) = nodes.get_mut(&s) {
            n.mark = Mark::Closed;
        }
        space.decode_into(s, &mut levels);
        utils_at(&levels, &mut here);
        for i in 0..n {
            let (l, stride, radix) = (levels[i], space.strides()[i], space.radices()[i]);
            // Down before up, issue by issue, like `ConcessionGraph::moves`.
            for (to, t) in [
                (l.wrapping_sub(1), s.wrapping_sub(stride)),
                (l + 1, s.wrapping_add(stride)),
            ] {
                if to as u64 >= radix {
                    continue;
                }
                let known = nodes.get(&t).copied();
                if known.is_some_and(|k| k.mark != Mark::Open) {
                    continue;
                }
                levels[i] = to;
                if known.is_none() {
                    if nodes.len() as u64 >= max_states {
                        return Err(over());
                    }
                    if !walls.open(t, &levels) {
                        nodes.insert(
                            t,
                            Node {
                                g: f64::INFINITY,
                                parent: s,
                                mark: Mark::Blocked,
                            },
                        );
                        levels[i] = l;
                        continue;
                    }
                }
                utils_at(&levels, &mut there);
                let step = match cost {
                    EdgeCost::Step => 1.0,
                    // As `Concession::cost` sums its deltas (after − before), party order.
                    EdgeCost::Concession => there
                        .iter()
                        .zip(&here)
                        .map(|(a, b)| (-(a - b)).max(0.0))
                        .sum::<f64>(),
                };
                let g2 = g + step;
                if known.is_none_or(|k| g2 < k.g) {
                    nodes.insert(
                        t,
                        Node {
                            g: g2,
                            parent: s,
                            mark: Mark::Open,
                        },
                    );
                    heap.push(Entry {
                        f: g2 + bound.at(&levels, &there),
                        g: g2,
                        state: t,
                    });
                }
                levels[i] = l;
            }
        }
    }
    Ok(Found { path: None })
}
