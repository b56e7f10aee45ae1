//! Which states a path may pass through, and whether the zone can be reached at all.
//!
//! [`Walls`] answers "does this state meet every precondition kept?" from the compiled
//! precondition region when the scenario has one (one load), else by evaluating the rules.
//! [`connected`] proves reachability or its absence by a bidirectional breadth-first
//! search, from the status quo and from the zone's open states at once, always growing the
//! smaller frontier: a zone walled off inside a small pocket (or a status quo in one) is
//! proved unreachable after touching that pocket only, never the rest of the space.

use std::collections::HashSet;

use fixedbitset::FixedBitSet;

use crate::analysis::zone::DealZone;
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::space::{CompiledScenario, PreconditionRegion, RegionQuotient, StateIndex, StateSpace};

/// The states a path may enter: those breaking none of the kept preconditions.
pub(super) struct Walls<'a> {
    pub c: &'a CompiledScenario,
    region: Option<&'a PreconditionRegion>,
    /// The region's quotient, which reachability is decided on when it exists.
    pub quotient: Option<&'a RegionQuotient>,
    /// Per precondition, whether it counts.
    keep: Vec<bool>,
    /// The same as bits (used with the region and the quotient, which exist only for at
    /// most 64 rules).
    pub mask: u64,
}

impl<'a> Walls<'a> {
    /// Every precondition counts.
    pub fn all(c: &'a CompiledScenario, limits: &Limits) -> Walls<'a> {
        Walls::keeping(c, &vec![true; c.preconditions().len()], limits)
    }

    /// Only preconditions `k` with `keep[k]` count.
    pub fn keeping(c: &'a CompiledScenario, keep: &[bool], limits: &Limits) -> Walls<'a> {
        let mask = keep
            .iter()
            .enumerate()
            .filter(|&(k, &on)| on && k < 64)
            .fold(0u64, |m, (k, _)| m | 1 << k);
        Walls {
            c,
            region: c.precondition_region(limits),
            quotient: c.precondition_quotient(limits),
            keep: keep.to_vec(),
            mask,
        }
    }

    /// Whether precondition `k` counts.
    pub fn keeps(&self, k: usize) -> bool {
        self.keep[k]
    }

    /// The open states one rung from the state at `levels` on one issue, as `(issue, new
    /// level, levels, state)`: the edges the bounds' brute-force tests walk.
    #[cfg(test)]
    pub fn open_neighbours(&self, levels: &[usize]) -> Vec<(usize, usize, Vec<usize>, StateIndex)> {
        let space = self.c.space();
        let mut out = Vec::new();
        for i in 0..space.issues() {
            for to in [levels[i].wrapping_sub(1), levels[i] + 1] {
                if to as u64 >= space.radices()[i] {
                    continue;
                }
                let mut next = levels.to_vec();
                next[i] = to;
                let t = space.encode(&next);
                if self.open(t, &next) {
                    out.push((i, to, next, t));
                }
            }
        }
        out
    }

    /// The preconditions that count, in file order.
    pub fn kept_rules(&self) -> Vec<&'a crate::space::CompiledRule> {
        self.c
            .preconditions()
            .iter()
            .enumerate()
            .filter(|&(k, _)| self.keeps(k))
            .map(|(_, r)| r)
            .collect()
    }

    /// Whether state `s`, whose levels are `levels`, meets every kept precondition.
    #[inline]
    pub fn open(&self, s: StateIndex, levels: &[usize]) -> bool {
        match (self.region, self.quotient) {
            (Some(r), _) => r.broken(s) & self.mask == 0,
            (None, Some(q)) => q.broken(levels) & self.mask == 0,
            (None, None) => self
                .c
                .preconditions()
                .iter()
                .zip(&self.keep)
                .all(|(r, &k)| !k || r.eval_levels(levels)),
        }
    }
}

/// Largest space whose visited sets are dense bitsets (16 MiB each).
const DENSE_SEEN_MAX: u64 = 1 << 27;

/// Bytes a sparse visited state costs (hash set entry with its share of empty slots).
const SPARSE_BYTES: u64 = 24;

/// The states a breadth-first search has seen: a bit per state when the whole space fits
/// in [`DENSE_SEEN_MAX`] bits, a hash set of the states seen otherwise.
enum Seen {
    Dense(FixedBitSet),
    Sparse(HashSet<StateIndex>),
}

impl Seen {
    fn new(size: u64) -> Seen {
        if size <= DENSE_SEEN_MAX {
            Seen::Dense(FixedBitSet::with_capacity(size as usize))
        } else {
            Seen::Sparse(HashSet::new())
        }
    }

    #[inline]
    fn contains(&self, s: StateIndex) -> bool {
        match self {
            Seen::Dense(bits) => bits.contains(s as usize),
            Seen::Sparse(h) => h.contains(&s),
        }
    }

    #[inline]
    fn insert(&mut self, s: StateIndex) {
        match self {
            Seen::Dense(bits) => bits.insert(s as usize),
            Seen::Sparse(h) => {
                h.insert(s);
            }
        }
    }
}

/// Whether some state of `zone` can be reached from the status quo through states `walls`
/// leaves open (the end state included).
///
/// Decided on the precondition region's quotient when it exists (cells of states no kept
/// precondition tells apart, see [`RegionQuotient`]: the same answer, on a grid set by
/// the rules rather than the space), else on the states.
///
/// # Errors
/// [`Error::LimitExceeded`] naming `max_visited`, `max_memory_bytes` or `time_limit`:
/// never a guess.
///
/// # Complexity
/// O(|zone| · I) to place the zone, then O(V · I) for V states (or cells) seen and I
/// issues; V is at most about twice the smaller of the two components (the status
/// quo's, the zone's), plus the zone's open states.
pub(super) fn connected(walls: &Walls, zone: &DealZone, limits: &Limits) -> Result<bool> {
    let c = walls.c;
    let space = c.space();
    let mut levels = space.decode(c.status_quo());
    if !walls.open(c.status_quo(), &levels) {
        return Ok(false);
    }
    if let Some(q) = walls.quotient {
        let start = q.cell(&levels);
        let mut cells = Vec::with_capacity(zone.states.len());
        for &z in &zone.states {
            space.decode_into(z, &mut levels);
            cells.push(q.cell(&levels));
        }
        let open = |cell: StateIndex, _: &[usize]| q.broken_cell(cell) & walls.mask == 0;
        return connected_in(q.cells(), open, start, &cells, limits);
    }
    let open = |s: StateIndex, levels: &[usize]| walls.open(s, levels);
    connected_in(space, open, c.status_quo(), &zone.states, limits)
}

/// Whether some of `targets` can be reached from `start` (open) through states of
/// `space` that `open` (given the state and its levels) lets in: the bidirectional
/// search of [`connected`], on the states or on the quotient's cells.
fn connected_in(
    space: &StateSpace,
    open: impl Fn(StateIndex, &[usize]) -> bool,
    start: StateIndex,
    targets: &[StateIndex],
    limits: &Limits,
) -> Result<bool> {
    let mut levels = space.decode(start);
    let dense = space.size() <= DENSE_SEEN_MAX;
    let cap = if dense {
        limits.max_visited
    } else {
        limits.max_visited.min(limits.memory_items(SPARSE_BYTES))
    };
    let over = || visit_limit(limits, SPARSE_BYTES, dense);
    let mut seen = [Seen::new(space.size()), Seen::new(space.size())];
    let mut count = 1u64;
    seen[0].insert(start);
    let mut front: [Vec<StateIndex>; 2] = [vec![start], Vec::new()];
    for &z in targets {
        if z == start {
            return Ok(true);
        }
        space.decode_into(z, &mut levels);
        if open(z, &levels) && !seen[1].contains(z) {
            count += 1;
            if count > cap {
                return Err(over());
            }
            seen[1].insert(z);
            front[1].push(z);
        }
    }
    let deadline = Deadline::new(limits.time_limit);
    let mut popped = 0u64;
    loop {
        // Grow the smaller frontier by one whole layer; an empty one means its side's
        // component is used up without meeting the other: walled off.
        let side = usize::from(front[1].len() < front[0].len());
        if front[side].is_empty() {
            return Ok(false);
        }
        let layer = std::mem::take(&mut front[side]);
        let mut next = Vec::new();
        for s in layer {
            popped += 1;
            if popped.is_multiple_of(1 << 12) {
                deadline.check(limits)?;
            }
            space.decode_into(s, &mut levels);
            for i in 0..space.issues() {
                let (l, stride, radix) = (levels[i], space.strides()[i], space.radices()[i]);
                for (to, t) in [
                    (l.wrapping_sub(1), s.wrapping_sub(stride)),
                    (l + 1, s.wrapping_add(stride)),
                ] {
                    if to as u64 >= radix || seen[side].contains(t) {
                        continue;
                    }
                    levels[i] = to;
                    let is_open = open(t, &levels);
                    levels[i] = l;
                    if !is_open {
                        continue;
                    }
                    if seen[1 - side].contains(t) {
                        return Ok(true);
                    }
                    count += 1;
                    if count > cap {
                        return Err(over());
                    }
                    seen[side].insert(t);
                    next.push(t);
                }
            }
        }
        front[side] = next;
    }
}

/// The limit a search holding `bytes_each` per visited state hits first: `max_visited`, or
/// the memory budget when it binds sooner (`fixed`: the memory is not per state, only
/// `max_visited` can bind).
pub(super) fn visit_limit(limits: &Limits, bytes_each: u64, fixed: bool) -> Error {
    if fixed || limits.max_visited <= limits.memory_items(bytes_each) {
        Error::LimitExceeded {
            limit: crate::config::Limit::MaxVisited,
            value: limits.max_visited,
        }
    } else {
        Error::LimitExceeded {
            limit: crate::config::Limit::MaxMemoryBytes,
            value: limits.max_memory_bytes,
        }
    }
}
