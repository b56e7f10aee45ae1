//! Branch and bound over partial assignments.

use std::sync::atomic::{AtomicU64, Ordering};

use fixedbitset::FixedBitSet;
use rayon::prelude::*;

use crate::config::Deadline;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::space::{CompiledRule, CompiledScenario, StateIndex};

/// Slack on the optimistic utility bound: partial sums are added in search order, not in
/// issue order, so they may differ from the exact utility in the last bits. Leaves are
/// judged with the exact utility.
const BOUND_SLACK: f64 = 1e-9;

/// Find every acceptable state by branch and bound.
///
/// Issues are assigned most constrained first (those that complete the most red lines,
/// then those in the most unfinished red lines, then those with the widest utility range).
/// A node is pruned when a red line whose issues are all assigned fails, when a red line
/// with some issues assigned can no longer hold whatever the rest (forward checking, no
/// allocation), or when the parties' reservations cannot all be met: for each of a few
/// fixed mixes `λ` of the parties' utilities (each party alone, and the points of a grid
/// on the simplex), the partial mix plus the best the mix could still gain on the
/// unassigned issues must reach `Σ_p λ_p r_p`. The mixes prune nodes where every party
/// could reach its reservation alone but not all at once. The subtrees under the first
/// few issues run in parallel. Leaves are judged with each party's exact utility.
///
/// # Arguments
/// `c`: the compiled scenario; `limits`: `max_acceptable` and `time_limit` apply.
///
/// # Returns
/// The acceptable states, sorted in enumeration order (the same list as
/// [`super::brute_force`]).
///
/// # Complexity
/// O(nodes · (R + D)) for R red lines and D bound directions (15 for three parties), where
/// the number of nodes visited depends on how early red lines and reservations bite: at
/// worst the whole space, typically near the acceptable set times the depth. Memory
/// O(acceptable + D · Σ levels).
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::zone};
/// let s = dealzone::Scenario::load("seeds/supplier_contract.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &Limits::default())?;
/// let fast = zone::branch_and_bound(&c, &Limits::default())?;
/// assert_eq!(fast, zone::brute_force(&c, &Limits::default())?.acceptable);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn branch_and_bound(c: &CompiledScenario, limits: &Limits) -> Result<Vec<StateIndex>> {
    match search_all(c, limits, u64::MAX) {
        Ok(all) => Ok(all),
        Err(Halt::Error(e)) => Err(e),
        // Unreachable with no node budget; an empty answer would be wrong, so say so.
        Err(Halt::Budget) => Err(Error::LimitExceeded {
            limit: crate::config::Limit::MaxNodes,
            value: u64::MAX,
        }),
    }
}

/// [`branch_and_bound`] that gives up (`Ok(None)`) once it has visited more than
/// `max_nodes` inner nodes: the automatic engine's way to notice that the bounds stopped
/// pruning and a scan is cheaper.
pub(crate) fn branch_and_bound_within(
    c: &CompiledScenario,
    limits: &Limits,
    max_nodes: u64,
) -> Result<Option<Vec<StateIndex>>> {
    match search_all(c, limits, max_nodes) {
        Ok(all) => Ok(Some(all)),
        Err(Halt::Error(e)) => Err(e),
        Err(Halt::Budget) => Ok(None),
    }
}

/// Why a search stopped early.
enum Halt {
    /// A limit or the deadline.
    Error(Error),
    /// The node budget of [`branch_and_bound_within`].
    Budget,
}

impl From<Error> for Halt {
    fn from(e: Error) -> Self {
        Halt::Error(e)
    }
}

fn search_all(
    c: &CompiledScenario,
    limits: &Limits,
    max_nodes: u64,
) -> std::result::Result<Vec<StateIndex>, Halt> {
    let tree = Tree::new(c);
    let shared = Shared {
        found: AtomicU64::new(0),
        nodes: AtomicU64::new(0),
        max_nodes,
        // Each acceptable state is held once (8 bytes) and copied once when merged.
        max_found: limits.max_acceptable.min(limits.memory_items(16)),
    };
    let deadline = Deadline::new(limits.time_limit);
    deadline.check(limits)?;
    // Split the top of the tree into enough prefixes to keep every thread busy.
    let want = 8 * rayon::current_num_threads().max(1);
    let mut prefixes: Vec<Vec<usize>> = vec![Vec::new()];
    let mut depth = 0;
    while prefixes.len() < want && depth < tree.order.len() {
        let mut next = Vec::new();
        for p in &prefixes {
            let mut work = Worker::new(&tree, c);
            for l in 0..tree.radix(depth) {
                let mut q = p.clone();
                q.push(l);
                if work.replay(&q) {
                    next.push(q);
                }
            }
        }
        prefixes = next;
        depth += 1;
    }
    let parts: Vec<Vec<StateIndex>> = prefixes
        .par_iter()
        .map(|prefix| {
            let mut work = Worker::new(&tree, c);
            if !work.replay(prefix) {
                return Ok(Vec::new());
            }
            work.search(prefix.len(), &shared, &deadline, limits)?;
            Ok(work.out)
        })
        .collect::<std::result::Result<_, Halt>>()?;
    let mut all: Vec<StateIndex> = parts.into_iter().flatten().collect();
    all.sort_unstable();
    Ok(all)
}

/// Counters the threads of one search share.
struct Shared {
    /// Acceptable states found so far.
    found: AtomicU64,
    /// Inner nodes visited so far, added in batches of [`NODE_BATCH`].
    nodes: AtomicU64,
    /// Give up past this many nodes.
    max_nodes: u64,
    /// `max_acceptable`, or less when the memory budget holds fewer states.
    max_found: u64,
}

/// Nodes a worker visits between looks at the clock and the shared node count.
const NODE_BATCH: u64 = 1 << 12;

/// Some acceptable state, found by the same branch and bound stopping at the first leaf:
/// the existence question explanations ask many times.
///
/// # Arguments
/// `c`: the compiled scenario; `limits`: `time_limit` applies.
///
/// # Returns
/// The first acceptable state in the search order (not necessarily the first in
/// enumeration order), or `None` when there is none.
///
/// # Complexity
/// As [`branch_and_bound`] at worst; one thread; it stops at the first acceptable leaf, so
/// when a deal exists it usually visits little more than one root-to-leaf path.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::zone};
/// let s = dealzone::Scenario::load("seeds/supplier_contract.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &Limits::default())?;
/// let all = zone::brute_force(&c, &Limits::default())?.acceptable;
/// let some = zone::first_acceptable(&c, &Limits::default())?;
/// assert_eq!(some.is_some(), !all.is_empty());
/// assert!(some.is_none_or(|s| all.contains(&s)));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn first_acceptable(c: &CompiledScenario, limits: &Limits) -> Result<Option<StateIndex>> {
    let tree = Tree::new(c);
    let deadline = Deadline::new(limits.time_limit);
    deadline.check(limits)?;
    let mut work = Worker::new(&tree, c);
    work.stop_at_first = true;
    let shared = Shared {
        found: AtomicU64::new(0),
        nodes: AtomicU64::new(0),
        max_nodes: u64::MAX,
        max_found: u64::MAX,
    };
    match work.search(0, &shared, &deadline, limits) {
        Ok(()) => Ok(work.out.first().copied()),
        Err(Halt::Error(e)) => Err(e),
        Err(Halt::Budget) => Err(Error::LimitExceeded {
            limit: crate::config::Limit::MaxNodes,
            value: u64::MAX,
        }),
    }
}

/// The error for too many acceptable states: `max_acceptable`, or `max_memory_bytes`
/// when the memory budget is the smaller bound.
pub(crate) fn found_limit(limits: &Limits) -> Error {
    if limits.memory_items(16) < limits.max_acceptable {
        Error::LimitExceeded {
            limit: crate::config::Limit::MaxMemoryBytes,
            value: limits.max_memory_bytes,
        }
    } else {
        Error::LimitExceeded {
            limit: crate::config::Limit::MaxAcceptable,
            value: limits.max_acceptable,
        }
    }
}

/// The static plan: issue order, which red lines complete or need forward checks at each
/// depth, and the utility bounds.
struct Tree<'c> {
    c: &'c CompiledScenario,
    order: Vec<usize>,
    /// Red lines whose last assigned issue is at this depth.
    complete_at: Vec<Vec<usize>>,
    /// Forward checks for red lines touched at this depth but not complete.
    check_at: Vec<Vec<Check>>,
    /// Bound directions: nonnegative mixes `λ` of the parties' utilities, summing to 1.
    /// Every acceptable state has `Σ_p λ_p u_p ≥ Σ_p λ_p r_p`, so a node whose best
    /// completion falls short in any direction is pruned. The unit vectors give the
    /// per-party bounds; the mixes catch nodes where the parties cannot all be satisfied
    /// at once although each could be alone.
    dirs: Vec<Direction>,
}

/// Forward checking of one red line at one depth: can it still hold, given the levels of
/// its issues assigned so far?
pub(super) struct Check {
    rule: usize,
    /// Its issues not yet assigned.
    free: Vec<usize>,
    /// For small red lines, the answer for every assignment of the assigned issues.
    support: Option<SupportTable>,
}

/// One bit per assignment of some issues.
struct SupportTable {
    /// (issue, stride in `bits`) for each issue.
    vars: Vec<(usize, usize)>,
    bits: FixedBitSet,
}

/// Largest number of combinations of a red line's issues tabulated for forward checking.
const SUPPORT_MAX: u64 = 1 << 16;

impl Check {
    /// Red line `rule` (`r`), whose issues with `is_free` true are not yet assigned.
    ///
    /// # Complexity
    /// O(T · |issues|) for the T combinations of the red line's issues, when T is at most
    /// [`SUPPORT_MAX`].
    pub(super) fn new(
        rule: usize,
        r: &CompiledRule,
        radices: &[u64],
        is_free: impl Fn(usize) -> bool,
    ) -> Check {
        let issues = r.issues();
        let (free, given): (Vec<usize>, Vec<usize>) = issues.iter().partition(|&&j| is_free(j));
        let combos = issues
            .iter()
            .try_fold(1u64, |acc, &i| acc.checked_mul(radices[i]))
            .filter(|&t| t <= SUPPORT_MAX);
        let support = combos.map(|total| {
            let mut vars = Vec::with_capacity(given.len());
            let mut size = 1usize;
            for &i in given.iter().rev() {
                vars.push((i, size));
                size *= radices[i] as usize;
            }
            let mut bits = FixedBitSet::with_capacity(size);
            let mut levels = vec![0usize; radices.len()];
            for mut k in 0..total {
                for &i in issues.iter().rev() {
                    levels[i] = (k % radices[i]) as usize;
                    k /= radices[i];
                }
                if r.eval_levels(&levels) {
                    let at: usize = vars.iter().map(|&(i, s)| levels[i] * s).sum();
                    bits.insert(at);
                }
            }
            SupportTable { vars, bits }
        });
        Check {
            rule,
            free,
            support,
        }
    }

    /// Whether some levels of the free issues make the red line hold (`levels` is restored).
    #[inline]
    pub(super) fn holds(&self, rules: &[CompiledRule], levels: &mut [usize]) -> bool {
        match &self.support {
            Some(t) => {
                let at: usize = t.vars.iter().map(|&(i, s)| levels[i] * s).sum();
                t.bits.contains(at)
            }
            // Exact for few free combinations, three-valued above: an exhaustive check
            // over many free issues would cost more than the subtree it prunes.
            None => rules[self.rule].may_hold_among(levels, &self.free),
        }
    }
}

/// One bound direction, tabulated.
struct Direction {
    /// `contrib[issue][level] = Σ_p λ_p · weight_p[issue] · value_p[issue][level]`.
    contrib: Vec<Vec<f64>>,
    /// `best[d]`: the most the mix can still gain on issues `order[d..]`.
    best: Vec<f64>,
    /// `Σ_p λ_p r_p`, less [`BOUND_SLACK`].
    need: f64,
}

impl<'c> Tree<'c> {
    fn new(c: &'c CompiledScenario) -> Tree<'c> {
        let n = c.space().issues();
        let rules = c.red_lines();
        // Greedy order: next the issue that completes the most red lines, then the one in
        // the most unfinished red lines, then the widest utility range, then the fewest
        // levels, then file order.
        let spread: Vec<f64> = (0..n)
            .map(|i| {
                c.utilities()
                    .iter()
                    .map(|u| {
                        let vals = (0..c.space().radices()[i] as usize).map(|l| u.contrib(i, l));
                        let hi = vals.clone().fold(f64::NEG_INFINITY, f64::max);
                        let lo = vals.fold(f64::INFINITY, f64::min);
                        hi - lo
                    })
                    .sum()
            })
            .collect();
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        for _ in 0..n {
            let score = |i: usize| {
                let mut completes = 0;
                let mut touches = 0;
                for r in rules {
                    if r.issues().contains(&i) && !r.issues().iter().all(|&j| placed[j]) {
                        touches += 1;
                        if r.issues().iter().all(|&j| j == i || placed[j]) {
                            completes += 1;
                        }
                    }
                }
                (completes, touches)
            };
            let mut next: Option<(usize, (usize, usize))> = None;
            for i in (0..n).filter(|&i| !placed[i]) {
                let si = score(i);
                let better = match next {
                    None => true,
                    Some((j, sj)) => si
                        .cmp(&sj)
                        .then_with(|| spread[i].total_cmp(&spread[j]))
                        .then_with(|| c.space().radices()[j].cmp(&c.space().radices()[i]))
                        .then_with(|| j.cmp(&i))
                        .is_gt(),
                };
                if better {
                    next = Some((i, si));
                }
            }
            let next = next.map_or(0, |(i, _)| i);
            placed[next] = true;
            order.push(next);
        }
        let mut pos = vec![0; n];
        for (d, &i) in order.iter().enumerate() {
            pos[i] = d;
        }
        let mut complete_at = vec![Vec::new(); n];
        let mut check_at: Vec<Vec<Check>> = (0..n).map(|_| Vec::new()).collect();
        for (k, r) in rules.iter().enumerate() {
            let Some(last) = r.issues().iter().map(|&i| pos[i]).max() else {
                // A constant rule: judge it at the root.
                if n > 0 {
                    complete_at[0].push(k);
                }
                continue;
            };
            complete_at[last].push(k);
            for &i in r.issues() {
                let d = pos[i];
                if d < last {
                    check_at[d].push(Check::new(k, r, c.space().radices(), |j| pos[j] > d));
                }
            }
        }
        let dirs = directions(c.utilities().len())
            .into_iter()
            .map(|lambda| {
                // Only the nonzero weights: a unit vector costs O(levels), not
                // O(levels · parties).
                let terms: Vec<(usize, f64)> = lambda
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|&(_, w)| w != 0.0)
                    .collect();
                let contrib: Vec<Vec<f64>> = (0..n)
                    .map(|i| {
                        (0..c.space().radices()[i] as usize)
                            .map(|l| {
                                terms
                                    .iter()
                                    .map(|&(p, w)| w * c.utilities()[p].contrib(i, l))
                                    .sum()
                            })
                            .collect()
                    })
                    .collect();
                let mut best = vec![0.0; n + 1];
                for d in (0..n).rev() {
                    let top = contrib[order[d]].iter().copied().fold(0.0, f64::max);
                    best[d] = best[d + 1] + top;
                }
                let need = c
                    .utilities()
                    .iter()
                    .zip(&lambda)
                    .map(|(u, w)| w * u.reservation())
                    .sum::<f64>()
                    - BOUND_SLACK;
                Direction {
                    contrib,
                    best,
                    need,
                }
            })
            .collect();
        Tree {
            c,
            order,
            complete_at,
            check_at,
            dirs,
        }
    }

    fn radix(&self, depth: usize) -> usize {
        self.c.space().radices()[self.order[depth]] as usize
    }
}

/// Bound directions for `parties` parties: every point of the simplex grid with step 1/4
/// for up to four parties (15 for three), else the unit vectors, the pairs' midpoints (up
/// to [`MAX_PAIR_PARTIES`] parties) and the centre. The unit vectors come first.
fn directions(parties: usize) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = (0..parties)
        .map(|p| (0..parties).map(|q| f64::from(u8::from(p == q))).collect())
        .collect();
    if parties < 2 {
        return out;
    }
    if parties <= 4 {
        // Compositions of 4 into `parties` parts with at least two nonzero parts.
        let mut parts = vec![0usize; parties];
        fn fill(k: usize, left: usize, parts: &mut Vec<usize>, out: &mut Vec<Vec<f64>>) {
            if k + 1 == parts.len() {
                parts[k] = left;
                if parts.iter().filter(|&&x| x > 0).count() >= 2 {
                    out.push(parts.iter().map(|&x| x as f64 / 4.0).collect());
                }
                return;
            }
            for x in 0..=left {
                parts[k] = x;
                fill(k + 1, left - x, parts, out);
            }
        }
        fill(0, 4, &mut parts, &mut out);
    } else if parties <= MAX_PAIR_PARTIES {
        for p in 0..parties {
            for q in p + 1..parties {
                let mut v = vec![0.0; parties];
                v[p] = 0.5;
                v[q] = 0.5;
                out.push(v);
            }
        }
        out.push(vec![1.0 / parties as f64; parties]);
    } else {
        // Pairs would be quadratic in the parties (500,000 tables for 1,000 parties).
        out.push(vec![1.0 / parties as f64; parties]);
    }
    out
}

/// Most parties for which the pairs' midpoints are bound directions.
const MAX_PAIR_PARTIES: usize = 16;

/// One thread's search state.
struct Worker<'t, 'c> {
    tree: &'t Tree<'c>,
    c: &'c CompiledScenario,
    levels: Vec<usize>,
    /// partial[k * (n + 1) + d]: direction k's sum over order[..d].
    partial: Vec<f64>,
    nodes: u64,
    out: Vec<StateIndex>,
    /// Stop the search at the first acceptable leaf.
    stop_at_first: bool,
}

impl<'t, 'c> Worker<'t, 'c> {
    fn new(tree: &'t Tree<'c>, c: &'c CompiledScenario) -> Self {
        let n = c.space().issues();
        Worker {
            tree,
            c,
            levels: vec![0; n],
            partial: vec![0.0; (n + 1) * tree.dirs.len()],
            nodes: 0,
            out: Vec::new(),
            stop_at_first: false,
        }
    }

    /// Assign `level` at `depth`; false if the node is pruned.
    fn assign(&mut self, depth: usize, level: usize) -> bool {
        let t = self.tree;
        let issue = t.order[depth];
        self.levels[issue] = level;
        let rules = self.c.red_lines();
        if !t.complete_at[depth]
            .iter()
            .all(|&r| rules[r].eval_levels(&self.levels))
        {
            return false;
        }
        if !t.check_at[depth]
            .iter()
            .all(|check| check.holds(rules, &mut self.levels))
        {
            return false;
        }
        let stride = t.order.len() + 1;
        for (k, dir) in t.dirs.iter().enumerate() {
            let row = &mut self.partial[k * stride..(k + 1) * stride];
            let part = row[depth] + dir.contrib[issue][level];
            row[depth + 1] = part;
            if part + dir.best[depth + 1] < dir.need {
                return false;
            }
        }
        true
    }

    /// Assign a whole prefix; false if any step is pruned.
    fn replay(&mut self, prefix: &[usize]) -> bool {
        prefix.iter().enumerate().all(|(d, &l)| self.assign(d, l))
    }

    fn search(
        &mut self,
        depth: usize,
        shared: &Shared,
        deadline: &Deadline,
        limits: &Limits,
    ) -> std::result::Result<(), Halt> {
        if depth == self.tree.order.len() {
            // Every red line was judged on the way down (with no issues, none was): judge
            // the utilities exactly.
            let candidate = !self.tree.order.is_empty() || self.c.is_candidate(&self.levels);
            if candidate
                && self
                    .c
                    .utilities()
                    .iter()
                    .all(|u| u.accepts(u.utility(&self.levels)))
            {
                self.out.push(self.c.space().encode(&self.levels));
                if shared.found.fetch_add(1, Ordering::Relaxed) + 1 > shared.max_found {
                    return Err(Halt::Error(found_limit(limits)));
                }
            }
            return Ok(());
        }
        self.nodes += 1;
        if self.nodes.is_multiple_of(NODE_BATCH) {
            deadline.check(limits)?;
            if shared.nodes.fetch_add(NODE_BATCH, Ordering::Relaxed) + NODE_BATCH > shared.max_nodes
            {
                return Err(Halt::Budget);
            }
        }
        for l in 0..self.tree.radix(depth) {
            if self.assign(depth, l) {
                self.search(depth + 1, shared, deadline, limits)?;
                if self.stop_at_first && !self.out.is_empty() {
                    break;
                }
            }
        }
        Ok(())
    }
}
