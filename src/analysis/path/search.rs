//! The path search proper: the cheapest path from the status quo, over packed states, in
//! two passes that together return the path the documented tie rule names whatever the
//! bound (see the `path` module docs, "Which path").
//!
//! Costs are compared exactly, in integer units: each party's utility is counted in
//! [`UNITS_PER_UTILITY`] units (each issue term rounded to the nearest unit, the sum capped
//! at one utility, as [`crate::space::PartyUtility::utility`] caps), a step costs the sum
//! of the parties' drops in units, and a path's label is (cost, steps), compared in that
//! order. Integer sums do not depend on the order they are added in, so ties are true ties
//! and every search agrees on them.
//!
//! 1. **The least label** (`cheapest`): an A* with a consistent bound on both parts of the
//!    label, settling by (cost + bound, steps + step bound), then more steps first
//!    (goal-directed), then the smaller state. The bound is the largest of these lower
//!    bounds, each consistent: the cheapest one-issue walks into the nearest of the zone's
//!    boxes, issue by issue (exact when no precondition is in the way); each party's
//!    utility above the most it can have in the zone; and, on the precondition quotient,
//!    the cheapest way out of the state's cell (the walk to a face of the cell and the
//!    rung across) plus the cheapest crossings from the cell beyond into a cell holding
//!    the zone (one Dijkstra over the open cells, backward from the zone's cells, per
//!    search); and an additive pattern database, the sum over disjoint groups of issues of
//!    the cheapest way into the zone's projection on each group, around the preconditions
//!    inside the group (the `projections` module; it sees the detours walls force; the
//!    largest over a few partitions into groups). For fewest steps, also the same groups
//!    aimed at each of the zone's boxes at once, the least sum over the boxes (the
//!    `box_steps` module: exact when every precondition lies inside a group). A
//!    state whose cell or projection cannot reach the zone's is never entered.
//! 2. **The path** (`canonical`): a depth-first search from the status quo trying moves in
//!    increasing order of the state they lead to, pruning every prefix whose label plus
//!    bound exceeds the least label, or that reaches a state with a worse label than one
//!    already known there: the first path it completes into the zone is, among the paths
//!    with the least label, the lexicographically smallest sequence of states. The bound
//!    only prunes, so which path comes out does not depend on it.
//!
//! Callers prove the zone reachable first (`walls::connected`), so the search never combs
//! a component for a zone it cannot reach. A hit limit ([`crate::Limits::max_visited`], the
//! memory budget, the time limit) is an error, never a partial or costlier answer.

use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use super::box_steps::{BoxSteps, max_box_entries};
use super::projections::Projections;
use super::walls::Walls;
use crate::analysis::zone::DealZone;
use crate::config::Deadline;
use crate::config::{Limit, Limits};
use crate::error::Result;
use crate::space::{CompiledScenario, RegionQuotient, StateIndex};

/// Units of utility per 1.0 of utility in which path costs are compared (2^40, so a unit
/// is about 9.1e-13, below the crate's tolerance of 1e-12).
pub const UNITS_PER_UTILITY: i64 = 1 << 40;

/// What an edge costs in [`search`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeCost {
    /// Σ_p max(0, −Δu_p), each utility in units (see the module docs).
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

/// Bytes one visited state may cost at the peak, so that the memory budget holds: a map
/// entry (state and node, 48 bytes, and a control byte) in a table at most 7/8 full that
/// doubles when it grows (up to about 112 bytes each, more while the old table is still
/// being moved), and open-list entries (40 bytes, some states pushed more than once, in a
/// vector that doubles). 96, the average, let a 1e10-state search peak at 1.4 GB where
/// it had counted a third of that.
const BYTES_PER_STATE: u64 = 256;

/// Most boxes of a zone the bound takes one by one; beyond, their bounding box.
const MAX_BOUND_BOXES: usize = 256;

/// Most cells the cell bound tabulates (13 bytes each).
const MAX_BOUND_CELLS: u64 = 1 << 22;

/// Infinite cost: no way into the zone.
const NEVER: u64 = u64::MAX;

/// A path's label: its cost in units, then its steps, compared in this order.
type Label = (u64, u32);

/// Each party's utility in units.
struct Units {
    /// Per party, per issue, per level: the issue's term, rounded to units.
    terms: Vec<Vec<Vec<i64>>>,
}

impl Units {
    fn new(c: &CompiledScenario) -> Units {
        let space = c.space();
        let terms = c
            .utilities()
            .iter()
            .map(|u| {
                (0..space.issues())
                    .map(|i| {
                        (0..space.radices()[i] as usize)
                            .map(|l| units(u.contrib(i, l)))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Units { terms }
    }

    /// Each party's uncapped sum of terms at `levels`.
    fn raw(&self, levels: &[usize], out: &mut Vec<i64>) {
        out.clear();
        out.extend(self.terms.iter().map(|t| {
            levels
                .iter()
                .enumerate()
                .map(|(i, &l)| t[i][l])
                .sum::<i64>()
        }));
    }

    /// The raw sums after moving issue `i` from `from` to `to`.
    #[inline]
    fn moved(&self, raw: &[i64], i: usize, from: usize, to: usize, out: &mut Vec<i64>) {
        out.clear();
        out.extend(
            raw.iter()
                .zip(&self.terms)
                .map(|(r, t)| r - t[i][from] + t[i][to]),
        );
    }
}

/// `x` utility in units, rounded to the nearest.
fn units(x: f64) -> i64 {
    (x * UNITS_PER_UTILITY as f64).round() as i64
}

/// A raw sum capped at one utility.
#[inline]
fn capped(raw: i64) -> i64 {
    raw.min(UNITS_PER_UTILITY)
}

/// Σ_p max(0, u_p(before) − u_p(after)) in units, from raw sums.
#[inline]
fn drop_units(before: &[i64], after: &[i64]) -> u64 {
    before
        .iter()
        .zip(after)
        .map(|(&b, &a)| (capped(b) - capped(a)).max(0) as u64)
        .sum()
}

/// Per issue, prefix sums of the least cost of each rung, up and down: walking issue `i`
/// up from `a` to `b` costs at least `up[i][b] − up[i][a]`, down from `b` to `a` at
/// least `down[i][b] − down[i][a]`, whatever the other issues' levels.
struct Rungs {
    up: Vec<Vec<u64>>,
    down: Vec<Vec<u64>>,
}

impl Rungs {
    fn new(c: &CompiledScenario, units: &Units, cost: EdgeCost) -> Rungs {
        let space = c.space();
        let n = space.issues();
        // A party whose summed terms can pass the cap of one by `e` units loses at least
        // its term's drop less `e` on a step (the cap hides at most the part above it).
        // Leaving such a party out instead zeroed the bound whenever weights summing to 1
        // round one unit above the cap, as the bundled timeline's do: A* then combed
        // 1.2 million states for one path.
        let parties: Vec<(&Vec<Vec<i64>>, i64)> = units
            .terms
            .iter()
            .map(|t| {
                let top = t
                    .iter()
                    .map(|row| row.iter().copied().max().unwrap_or(0))
                    .sum::<i64>();
                (t, (top - UNITS_PER_UTILITY).max(0))
            })
            .collect();
        let rung = |i: usize, from: usize, to: usize| -> u64 {
            match cost {
                EdgeCost::Step => 1,
                EdgeCost::Concession => parties
                    .iter()
                    .map(|&(t, e)| (t[i][from] - t[i][to] - e).max(0) as u64)
                    .sum(),
            }
        };
        let mut up = Vec::with_capacity(n);
        let mut down = Vec::with_capacity(n);
        for i in 0..n {
            let r = space.radices()[i] as usize;
            let mut u = vec![0; r];
            let mut d = vec![0; r];
            for l in 1..r {
                u[l] = u[l - 1] + rung(i, l - 1, l);
                d[l] = d[l - 1] + rung(i, l, l - 1);
            }
            up.push(u);
            down.push(d);
        }
        Rungs { up, down }
    }
}

/// The cell part of the bound: per open cell of the precondition quotient, the cheapest
/// crossings (and the fewest) from it into a cell holding an open state of the zone.
struct CellBound<'a> {
    q: &'a RegionQuotient,
    cost: Vec<u64>,
    steps: Vec<u32>,
    zone: Vec<bool>,
}

impl<'a> CellBound<'a> {
    /// `None` without a quotient, or when it has more than [`MAX_BOUND_CELLS`] cells or
    /// its tables would not fit the memory budget.
    fn new(
        walls: &Walls<'a>,
        zone: &DealZone,
        rungs: &Rungs,
        limits: &Limits,
    ) -> Option<CellBound<'a>> {
        let q = walls.quotient?;
        let cells = q.cells();
        let size = cells.size();
        if size > MAX_BOUND_CELLS || size.saturating_mul(13) > limits.max_memory_bytes {
            return None;
        }
        let space = walls.c.space();
        let open = |cell: StateIndex| q.broken_cell(cell) & walls.mask == 0;
        let mut in_zone = vec![false; size as usize];
        let mut levels = vec![0; space.issues()];
        for &z in &zone.states {
            space.decode_into(z, &mut levels);
            let cell = q.cell(&levels);
            if open(cell) {
                in_zone[cell as usize] = true;
            }
        }
        // Crossing from the cell with run `r` of issue `i` into its neighbour: up across
        // the rung above the run's last level, down across the one below its first.
        let neighbours = |cell: StateIndex, f: &mut dyn FnMut(StateIndex, usize, bool)| {
            for i in 0..cells.issues() {
                let (stride, r) = (cells.strides()[i], cells.level(cell, i) as u64);
                if r > 0 {
                    f(cell - stride, i, false);
                }
                if r + 1 < cells.radices()[i] {
                    f(cell + stride, i, true);
                }
            }
        };
        // Backward: the cost of stepping from `from` (a neighbour of `into`) into `into`.
        let crossing = |from: StateIndex, i: usize, from_below: bool| -> u64 {
            let (first, last) = q.runs(i)[cells.level(from, i)];
            if from_below {
                rungs.up[i][last + 1] - rungs.up[i][last]
            } else {
                rungs.down[i][first] - rungs.down[i][first - 1]
            }
        };
        let mut cost = vec![NEVER; size as usize];
        let mut heap = BinaryHeap::new();
        let mut steps = vec![u32::MAX; size as usize];
        let mut queue = VecDeque::new();
        for (cell, _) in in_zone.iter().enumerate().filter(|(_, z)| **z) {
            cost[cell] = 0;
            steps[cell] = 0;
            heap.push(Reverse((0u64, cell as StateIndex)));
            queue.push_back(cell as StateIndex);
        }
        while let Some(Reverse((d, into))) = heap.pop() {
            if d > cost[into as usize] {
                continue;
            }
            neighbours(into, &mut |from, i, up| {
                // `from` lies below `into` when `into` is its upper neighbour (`up` is the
                // direction from `into`: false means `from` is below).
                if !open(from) {
                    return;
                }
                let nd = d + crossing(from, i, !up);
                if nd < cost[from as usize] {
                    cost[from as usize] = nd;
                    heap.push(Reverse((nd, from)));
                }
            });
        }
        while let Some(into) = queue.pop_front() {
            let s = steps[into as usize] + 1;
            neighbours(into, &mut |from, _, _| {
                if open(from) && steps[from as usize] == u32::MAX {
                    steps[from as usize] = s;
                    queue.push_back(from);
                }
            });
        }
        Some(CellBound {
            q,
            cost,
            steps,
            zone: in_zone,
        })
    }

    /// The bound at `levels` (cost, steps): the cheapest way out of its cell into a
    /// neighbour, then that neighbour's crossings; 0 in a cell holding the zone, `NEVER`
    /// when no neighbour reaches it.
    #[inline]
    fn at(&self, levels: &[usize], rungs: &Rungs) -> (u64, u32) {
        let cells = self.q.cells();
        let cell = self.q.cell(levels);
        if self.zone[cell as usize] {
            return (0, 0);
        }
        let (mut best, mut fewest) = (NEVER, u32::MAX);
        for (i, &l) in levels.iter().enumerate() {
            let r = self.q.run_of(i, l);
            let (first, last) = self.q.runs(i)[r];
            let stride = cells.strides()[i];
            if r + 1 < cells.radices()[i] as usize {
                let b = (cell + stride) as usize;
                if self.cost[b] != NEVER {
                    let walk = rungs.up[i][last + 1] - rungs.up[i][l];
                    best = best.min(walk + self.cost[b]);
                    fewest = fewest.min((last + 1 - l) as u32 + self.steps[b]);
                }
            }
            if r > 0 {
                let b = (cell - stride) as usize;
                if self.cost[b] != NEVER {
                    let walk = rungs.down[i][l] - rungs.down[i][first - 1];
                    best = best.min(walk + self.cost[b]);
                    fewest = fewest.min((l + 1 - first) as u32 + self.steps[b]);
                }
            }
        }
        (best, fewest)
    }
}

/// The consistent lower bound on the label (cost, steps) still to add from a state into
/// the zone: each part the largest of the box, party and cell bounds that apply to it.
struct Bound<'a> {
    rungs: Rungs,
    /// Number of boxes the box bound measures the distance to.
    boxes: usize,
    /// Per issue, per level, per box: the one-issue cost of walking into the box's range,
    /// 0 inside it, at `(offset[i] + level) · boxes + box`. Laid out box-last so that a
    /// state's distances to every box are a sum of `issues` contiguous rows, and a
    /// neighbour's (one issue moved) its parent's plus one row less another.
    cost_terms: Vec<u64>,
    /// Per issue, per level: rungs to the range of the zone's bounding box.
    step_terms: Vec<u32>,
    /// Where each issue's levels start in `step_terms` (and, times `boxes`, in
    /// `cost_terms`).
    offset: Vec<usize>,
    /// Scratch for [`Bound::at`]: the distances to each box.
    scratch: RefCell<Vec<u64>>,
    /// Per party, the most utility (units) it can have in the zone (`None`: steps model).
    best: Option<Vec<i64>>,
    cells: Option<CellBound<'a>>,
    /// The additive bound over groups of issues (see the `projections` module).
    projections: Option<Projections>,
    /// Fewest steps only: the projection bound box by box (see the `box_steps` module).
    box_steps: Option<BoxSteps>,
}

impl<'a> Bound<'a> {
    fn new(
        walls: &Walls<'a>,
        zone: &DealZone,
        cost: EdgeCost,
        units: &Units,
        limits: &Limits,
        deadline: &Deadline,
    ) -> Result<Bound<'a>> {
        let c = walls.c;
        let space = c.space();
        let n = space.issues();
        let rungs = Rungs::new(c, units, cost);
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
        // The zone's states lie in its boxes: no party has more there than its best box.
        let best = (cost == EdgeCost::Concession).then(|| {
            units
                .terms
                .iter()
                .map(|t| {
                    let top = zone
                        .boxes
                        .iter()
                        .map(|b| {
                            b.iter()
                                .enumerate()
                                .map(|(i, &(a, z))| t[i][a..=z].iter().copied().max().unwrap_or(0))
                                .sum::<i64>()
                        })
                        .max()
                        .unwrap_or(0);
                    capped(top)
                })
                .collect()
        });
        let mut offset = Vec::with_capacity(n);
        let mut width = 0;
        for i in 0..n {
            offset.push(width);
            width += space.radices()[i] as usize;
        }
        let mut cost_terms = Vec::with_capacity(boxes.len() * width);
        for i in 0..n {
            for l in 0..space.radices()[i] as usize {
                cost_terms.extend(boxes.iter().map(|b| {
                    let (a, z) = b[i];
                    if l < a {
                        rungs.up[i][a] - rungs.up[i][l]
                    } else if l > z {
                        rungs.down[i][l] - rungs.down[i][z]
                    } else {
                        0
                    }
                }));
            }
        }
        let mut hull = vec![(usize::MAX, 0); n];
        for b in &zone.boxes {
            for (h, &(a, z)) in hull.iter_mut().zip(b) {
                *h = (h.0.min(a), h.1.max(z));
            }
        }
        let mut step_terms = Vec::with_capacity(width);
        for (i, &(a, z)) in hull.iter().enumerate() {
            for l in 0..space.radices()[i] as usize {
                step_terms.push((a.saturating_sub(l) + l.saturating_sub(z)) as u32);
            }
        }
        let cells = CellBound::new(walls, zone, &rungs, limits);
        let projections = Projections::new(
            walls,
            zone,
            |i, l| rungs.up[i][l + 1] - rungs.up[i][l],
            |i, l| rungs.down[i][l + 1] - rungs.down[i][l],
            limits.max_memory_bytes / 4,
            super::projections::group_cap(c.space().size()),
        );
        let box_steps = match (&projections, cost) {
            // Every box, not the hull: a state costs one row sum per box and group.
            (Some(p), EdgeCost::Step) => BoxSteps::new(
                walls,
                &zone.boxes,
                &p.groups(),
                max_box_entries(space.size()),
                limits.max_memory_bytes / 8,
                (deadline, limits),
            )?,
            _ => None,
        };
        Ok(Bound {
            rungs,
            boxes: boxes.len(),
            cost_terms,
            step_terms,
            offset,
            scratch: RefCell::new(vec![0; boxes.len()]),
            best,
            cells,
            projections,
            box_steps,
        })
    }

    /// Bytes the tables hold: the cells', the projections' and the per-box tables
    /// (counted against the memory budget, beside the states the search keeps).
    fn table_bytes(&self) -> u64 {
        self.cells
            .as_ref()
            .map_or(0, |cb| cb.cost.len() as u64 * 13)
            + self.projections.as_ref().map_or(0, Projections::bytes)
            + self.box_steps.as_ref().map_or(0, BoxSteps::bytes)
    }

    /// Each box's one-issue walk cost from `levels` (see `cost_terms`) into `dist`.
    #[inline]
    fn box_distances(&self, levels: &[usize], dist: &mut [u64]) {
        dist.fill(0);
        for (&l, &o) in levels.iter().zip(&self.offset) {
            let row = &self.cost_terms[(o + l) * self.boxes..(o + l + 1) * self.boxes];
            for (d, &t) in dist.iter_mut().zip(row) {
                *d += t;
            }
        }
    }

    /// The nearest box's cost from a neighbour of the state whose [`Self::box_distances`]
    /// are `dist`: issue `i` moved from level `from` to `to` (`NEVER` without boxes).
    #[inline]
    fn nearest_moved(&self, dist: &[u64], i: usize, from: usize, to: usize) -> u64 {
        let o = self.offset[i];
        let before = &self.cost_terms[(o + from) * self.boxes..(o + from + 1) * self.boxes];
        let after = &self.cost_terms[(o + to) * self.boxes..(o + to + 1) * self.boxes];
        dist.iter()
            .zip(before)
            .zip(after)
            // `d` holds `b` as a term: no underflow.
            .map(|((&d, &b), &a)| d - b + a)
            .min()
            .unwrap_or(NEVER)
    }

    /// The bound at `levels` (raw utility sums `raw`, empty for the steps model): (cost,
    /// steps) still to add, `NEVER` cost when the zone cannot be reached from there.
    #[inline]
    fn at(&self, levels: &[usize], raw: &[i64]) -> (u64, u32) {
        let mut dist = self.scratch.borrow_mut();
        self.box_distances(levels, &mut dist);
        let sep = dist.iter().copied().min().unwrap_or(NEVER);
        self.with_nearest(levels, raw, sep)
    }

    /// The bound at `levels` (raw sums `raw`) given `sep`, the cost into the nearest box.
    #[inline]
    fn with_nearest(&self, levels: &[usize], raw: &[i64], sep: u64) -> (u64, u32) {
        let party = self.best.as_ref().map_or(0, |best| {
            raw.iter()
                .zip(best)
                .map(|(&r, &m)| (capped(r) - m).max(0) as u64)
                .sum::<u64>()
        });
        let (cell, cell_steps) = self
            .cells
            .as_ref()
            .map_or((0, 0), |cb| cb.at(levels, &self.rungs));
        let (projected, projected_steps) =
            self.projections.as_ref().map_or((0, 0), |p| p.at(levels));
        // Fewest steps: a step costs one, so the per-box bound bounds both parts.
        let boxed = match &self.box_steps {
            Some(b) => match b.at(levels) {
                Some(d) => d,
                None => return (NEVER, 0),
            },
            None => 0,
        };
        let floor = party.max(cell).max(projected).max(boxed as u64);
        if floor == NEVER {
            return (NEVER, 0);
        }
        // Steps: rungs to the zone's bounding box (one load per issue, and 1-Lipschitz).
        let fewest: u32 = levels
            .iter()
            .zip(&self.offset)
            .map(|(&l, &o)| self.step_terms[o + l])
            .sum();
        (
            sep.max(floor),
            fewest.max(cell_steps).max(projected_steps).max(boxed),
        )
    }
}

/// A state met by the first pass.
#[derive(Clone, Copy)]
struct Node {
    /// The best label found so far (the least once settled).
    label: Label,
    /// The bound there.
    h: (u64, u32),
    mark: Mark,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Reached, not yet settled.
    Open,
    /// Settled.
    Closed,
    /// Breaks a precondition, or cannot reach the zone: never entered.
    Blocked,
}

/// Heap entry: smallest `f` (cost + bound) first, then smallest `fs` (steps + bound), then
/// most steps, then smallest state.
#[derive(PartialEq, Eq)]
struct Entry {
    f: u64,
    fs: u32,
    label: Label,
    state: StateIndex,
}

impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed where smaller must come first: BinaryHeap is a max-heap.
        o.f.cmp(&self.f)
            .then(o.fs.cmp(&self.fs))
            .then(self.label.1.cmp(&o.label.1))
            .then(o.state.cmp(&self.state))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// What [`search`] found.
pub(super) struct Found {
    /// The path, status quo first; `None` when the zone is unreachable.
    pub path: Option<Vec<StateIndex>>,
}

/// What both passes share.
struct Ctx<'w, 'a> {
    walls: &'w Walls<'a>,
    zone: &'w DealZone,
    cost: EdgeCost,
    units: Units,
    bound: Bound<'a>,
    limits: &'w Limits,
    deadline: Deadline,
    max_states: u64,
    /// States between two looks at the clock: fewer when a state costs more (the
    /// fewest-steps bound sums one row per box of the zone, and a zone may have many).
    check_every: u64,
}

impl Ctx<'_, '_> {
    /// The limit a search that outgrew `max_states` hit: `max_visited`, or the memory
    /// budget (less the bound's tables) when it binds sooner.
    fn over(&self) -> crate::error::Error {
        let (limit, value) = if self.max_states == self.limits.max_visited {
            (Limit::MaxVisited, self.limits.max_visited)
        } else {
            (Limit::MaxMemoryBytes, self.limits.max_memory_bytes)
        };
        crate::error::Error::LimitExceeded { limit, value }
    }

    /// The label after stepping at cost from raw sums `here` to `there`.
    #[inline]
    fn step(&self, label: Label, here: &[i64], there: &[i64]) -> Label {
        let w = match self.cost {
            EdgeCost::Step => 1,
            EdgeCost::Concession => drop_units(here, there),
        };
        (label.0 + w, label.1 + 1)
    }

    /// Raw sums after moving issue `i` from `from` to `to` (none for the steps model).
    #[inline]
    fn moved(&self, here: &[i64], i: usize, from: usize, to: usize, out: &mut Vec<i64>) {
        if self.cost == EdgeCost::Concession {
            self.units.moved(here, i, from, to, out);
        } else {
            out.clear();
        }
    }

    fn raw(&self, levels: &[usize], out: &mut Vec<i64>) {
        if self.cost == EdgeCost::Concession {
            self.units.raw(levels, out);
        } else {
            out.clear();
        }
    }
}

/// The path under `cost` from the status quo into `zone` through states `walls` leaves
/// open with the least label (cost in units, then steps), and among those the
/// lexicographically smallest sequence of states; `None` when there is none.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] naming `max_visited`, `max_memory_bytes` or
/// `time_limit` when the search outgrows one: never a partial or costlier answer.
pub(super) fn search(
    walls: &Walls,
    zone: &DealZone,
    cost: EdgeCost,
    limits: &Limits,
) -> Result<Found> {
    let c = walls.c;
    let space = c.space();
    let start = c.status_quo();
    let levels = space.decode(start);
    if !walls.open(start, &levels) || zone.states.is_empty() {
        return Ok(Found { path: None });
    }
    let units = Units::new(c);
    // The clock starts before the bound's tables: building them can take seconds.
    let deadline = Deadline::new(limits.time_limit);
    let bound = Bound::new(walls, zone, cost, &units, limits, &deadline)?;
    // The bound's tables take their share of the memory budget first.
    let left = limits.max_memory_bytes.saturating_sub(bound.table_bytes());
    let ctx = Ctx {
        walls,
        zone,
        cost,
        units,
        bound,
        limits,
        deadline,
        max_states: limits.max_visited.min(left / BYTES_PER_STATE),
        check_every: ((1u64 << 12) / (1 + zone.boxes.len() as u64 / 64).next_power_of_two()).max(1),
    };
    let mut nodes: StateMap<Node> = StateMap::default();
    let Some(least) = cheapest(&ctx, &mut nodes)? else {
        return Ok(Found { path: None });
    };
    canonical(&ctx, &nodes, least).map(|path| Found { path })
}

/// The first pass: the least label of a path into the zone, by A*; `nodes` keeps every
/// state met with the best label found there (the least for settled states).
fn cheapest(ctx: &Ctx, nodes: &mut StateMap<Node>) -> Result<Option<Label>> {
    let (c, limits) = (ctx.walls.c, ctx.limits);
    let space = c.space();
    let n = space.issues();
    let start = c.status_quo();
    let mut levels = space.decode(start);
    let mut here = Vec::new();
    let mut there = Vec::new();
    let mut dist = vec![0; ctx.bound.boxes];
    let mut met: Vec<Option<Node>> = Vec::with_capacity(2 * n);
    ctx.raw(&levels, &mut here);
    let h = ctx.bound.at(&levels, &here);
    if h.0 == NEVER {
        return Ok(None);
    }
    nodes.insert(
        start,
        Node {
            label: (0, 0),
            h,
            mark: Mark::Open,
        },
    );
    let mut heap = BinaryHeap::from([Entry {
        f: h.0,
        fs: h.1,
        label: (0, 0),
        state: start,
    }]);
    let mut settled = 0u64;
    while let Some(Entry {
        label, state: s, ..
    }) = heap.pop()
    {
        let Some(node) = nodes.get_mut(&s) else {
            continue;
        };
        if node.mark == Mark::Closed || label != node.label {
            continue;
        }
        if ctx.zone.contains(s) {
            return Ok(Some(label));
        }
        node.mark = Mark::Closed;
        settled += 1;
        if settled.is_multiple_of(ctx.check_every) {
            ctx.deadline.check(limits)?;
        }
        space.decode_into(s, &mut levels);
        ctx.raw(&levels, &mut here);
        // The state's distances to each box, taken once its first new neighbour needs
        // them: each neighbour's then cost one row in and one out.
        let mut measured = false;
        // Every neighbour looked up first, in one run of independent probes, so that the
        // processor overlaps their cache misses; the nodes met are copied, and inserting
        // one neighbour changes no other's entry.
        met.clear();
        for (i, &l) in levels.iter().enumerate() {
            let (stride, radix) = (space.strides()[i], space.radices()[i]);
            met.push(if l > 0 {
                nodes.get(&(s - stride)).copied()
            } else {
                None
            });
            met.push(if (l as u64) + 1 < radix {
                nodes.get(&(s + stride)).copied()
            } else {
                None
            });
        }
        for i in 0..n {
            let (l, stride, radix) = (levels[i], space.strides()[i], space.radices()[i]);
            for (k, (to, t)) in [
                (l.wrapping_sub(1), s.wrapping_sub(stride)),
                (l + 1, s.wrapping_add(stride)),
            ]
            .into_iter()
            .enumerate()
            {
                if to as u64 >= radix {
                    continue;
                }
                let known = met[2 * i + k];
                if known.is_some_and(|k| k.mark != Mark::Open) {
                    continue;
                }
                ctx.moved(&here, i, l, to, &mut there);
                let next = ctx.step(label, &here, &there);
                if known.is_some_and(|k| next >= k.label) {
                    continue;
                }
                levels[i] = to;
                let h = match known {
                    Some(k) => k.h,
                    None => {
                        if nodes.len() as u64 >= ctx.max_states {
                            return Err(ctx.over());
                        }
                        let h = if ctx.walls.open(t, &levels) {
                            if !measured {
                                levels[i] = l;
                                ctx.bound.box_distances(&levels, &mut dist);
                                levels[i] = to;
                                measured = true;
                            }
                            let sep = ctx.bound.nearest_moved(&dist, i, l, to);
                            ctx.bound.with_nearest(&levels, &there, sep)
                        } else {
                            (NEVER, 0)
                        };
                        if h.0 == NEVER {
                            nodes.insert(
                                t,
                                Node {
                                    label: next,
                                    h,
                                    mark: Mark::Blocked,
                                },
                            );
                            levels[i] = l;
                            continue;
                        }
                        h
                    }
                };
                levels[i] = l;
                nodes.insert(
                    t,
                    Node {
                        label: next,
                        h,
                        mark: Mark::Open,
                    },
                );
                heap.push(Entry {
                    f: next.0.saturating_add(h.0),
                    fs: next.1.saturating_add(h.1),
                    label: next,
                    state: t,
                });
            }
        }
    }
    Ok(None)
}

/// One state on the depth-first stack.
struct Frame {
    state: StateIndex,
    label: Label,
    /// The next move to try, in [`canonical`]'s order.
    next: usize,
    /// The move that led here: issue and its level before (none for the status quo).
    came: Option<(usize, usize)>,
}

/// The second pass: among paths into the zone with label `least`, the lexicographically
/// smallest sequence of states, by a depth-first search trying moves in increasing order
/// of the state they lead to. `nodes` holds labels the first pass found (each one a path's,
/// so a prefix reaching a state with a worse label is pruned, as is one whose label plus
/// bound passes `least`). States met are remembered with the best label they were entered
/// with: entering one again with no better label cannot succeed where the first failed.
fn canonical(ctx: &Ctx, nodes: &StateMap<Node>, least: Label) -> Result<Option<Vec<StateIndex>>> {
    let (c, limits) = (ctx.walls.c, ctx.limits);
    let space = c.space();
    let n = space.issues();
    let start = c.status_quo();
    // Moves by the state they lead to: down on the largest stride first, up on the
    // smallest last.
    let mut by_stride: Vec<usize> = (0..n).collect();
    by_stride.sort_by_key(|&i| Reverse(space.strides()[i]));
    let order: Vec<(usize, bool)> = by_stride
        .iter()
        .map(|&i| (i, false))
        .chain(by_stride.iter().rev().map(|&i| (i, true)))
        .collect();
    let mut levels = space.decode(start);
    let mut raw = Vec::new();
    let mut there = Vec::new();
    ctx.raw(&levels, &mut raw);
    let mut entered: StateMap<Label> = StateMap::default();
    entered.insert(start, (0, 0));
    let mut stack = vec![Frame {
        state: start,
        label: (0, 0),
        next: 0,
        came: None,
    }];
    let mut tried = 0u64;
    if ctx.zone.contains(start) {
        return Ok(Some(vec![start]));
    }
    // Per frame on the stack, what the first pass knows of its 2n neighbours (down then
    // up, issue by issue), looked up together when the frame is pushed so that the
    // processor overlaps the probes' cache misses (the first pass's map no longer changes).
    let w = 2 * n;
    let look = |s: StateIndex, levels: &[usize], met: &mut Vec<Option<Node>>| {
        for (i, &l) in levels.iter().enumerate() {
            let stride = space.strides()[i];
            met.push(if l > 0 {
                nodes.get(&(s - stride)).copied()
            } else {
                None
            });
            met.push(if (l as u64) + 1 < space.radices()[i] {
                nodes.get(&(s + stride)).copied()
            } else {
                None
            });
        }
    };
    let mut met: Vec<Option<Node>> = Vec::new();
    look(start, &levels, &mut met);
    loop {
        let base = w * stack.len().saturating_sub(1);
        let Some(top) = stack.last_mut() else {
            break;
        };
        let Some(&(i, up)) = order.get(top.next) else {
            // Every way on from here is pruned: step back.
            if let Some((i, from)) = top.came {
                ctx.moved(&raw, i, levels[i], from, &mut there);
                std::mem::swap(&mut raw, &mut there);
                levels[i] = from;
            }
            stack.pop();
            met.truncate(base);
            continue;
        };
        top.next += 1;
        tried += 1;
        if tried.is_multiple_of(ctx.check_every) {
            ctx.deadline.check(limits)?;
        }
        let (s, label) = (top.state, top.label);
        let (l, stride) = (levels[i], space.strides()[i]);
        let (to, t) = if up {
            (l + 1, s.wrapping_add(stride))
        } else {
            (l.wrapping_sub(1), s.wrapping_sub(stride))
        };
        if to as u64 >= space.radices()[i] {
            continue;
        }
        ctx.moved(&raw, i, l, to, &mut there);
        let next = ctx.step(label, &raw, &there);
        if next > least {
            continue;
        }
        let known = met[base + 2 * i + usize::from(up)];
        if known.is_some_and(|k| k.mark == Mark::Blocked || next > k.label) {
            continue;
        }
        if entered.get(&t).is_some_and(|&e| next >= e) {
            continue;
        }
        levels[i] = to;
        let h = match known {
            Some(k) => k.h,
            None if ctx.walls.open(t, &levels) => ctx.bound.at(&levels, &there),
            None => (NEVER, 0),
        };
        if h.0 == NEVER || (next.0.saturating_add(h.0), next.1.saturating_add(h.1)) > least {
            levels[i] = l;
            continue;
        }
        if (nodes.len() + entered.len()) as u64 >= ctx.max_states {
            return Err(ctx.over());
        }
        if ctx.zone.contains(t) {
            // Only a path with the least label gets here (any other is pruned first).
            let mut path: Vec<StateIndex> = stack.iter().map(|f| f.state).collect();
            path.push(t);
            return Ok(Some(path));
        }
        entered.insert(t, next);
        std::mem::swap(&mut raw, &mut there);
        look(t, &levels, &mut met);
        stack.push(Frame {
            state: t,
            label: next,
            next: 0,
            came: Some((i, l)),
        });
    }
    // The first pass found a path with this label, and the depth-first search prunes
    // no prefix of one: unreachable, but answered rather than assumed.
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::zone::{Engine, find_zones_compiled};
    use crate::synthetic::{Regime, Synthetic};

    /// The one-issue walk cost from `levels` into box `b` under `rungs`: the twin of a row
    /// of `cost_terms`, computed rung by rung.
    fn walk(rungs: &Rungs, b: &[(usize, usize)], levels: &[usize]) -> u64 {
        let mut d = 0;
        for (i, (&l, &(a, z))) in levels.iter().zip(b).enumerate() {
            for k in l..a.max(l) {
                d += rungs.up[i][k + 1] - rungs.up[i][k];
            }
            for k in z.min(l)..l {
                d += rungs.down[i][k + 1] - rungs.down[i][k];
            }
        }
        d
    }

    /// A neighbour's nearest box from its parent's distances (one issue's row out, one in)
    /// is the nearest box measured afresh at the neighbour, and both are the walk twin's.
    #[test]
    fn a_neighbours_nearest_box_follows_from_its_parents_distances() {
        for seed in 0..4 {
            let g = Synthetic::new(4, 5, Regime::Reservations, seed).with_preconditions(4);
            let s = g.scenario().unwrap();
            let limits = Limits::default();
            let c = CompiledScenario::new(&s, &limits).unwrap();
            let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
            let space = c.space();
            let walls = Walls::all(&c, &limits);
            let units = Units::new(&c);
            for cost in [EdgeCost::Concession, EdgeCost::Step] {
                for zone in &zones.zones {
                    let none = Deadline::new(None);
                    let bound = Bound::new(&walls, zone, cost, &units, &limits, &none).unwrap();
                    let mut dist = vec![0; bound.boxes];
                    let mut fresh = vec![0; bound.boxes];
                    for st in 0..space.size() {
                        let mut levels = space.decode(st);
                        bound.box_distances(&levels, &mut dist);
                        let twin = zone
                            .boxes
                            .iter()
                            .map(|b| walk(&bound.rungs, b, &levels))
                            .min();
                        assert_eq!(dist.iter().copied().min(), twin, "seed {seed}: {st}");
                        for i in 0..space.issues() {
                            let l = levels[i];
                            for to in [l.wrapping_sub(1), l + 1] {
                                if to as u64 >= space.radices()[i] {
                                    continue;
                                }
                                let moved = bound.nearest_moved(&dist, i, l, to);
                                levels[i] = to;
                                bound.box_distances(&levels, &mut fresh);
                                levels[i] = l;
                                assert_eq!(Some(moved), fresh.iter().copied().min());
                            }
                        }
                    }
                }
            }
        }
    }
}
