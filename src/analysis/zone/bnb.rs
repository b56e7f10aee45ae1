//! Branch and bound over partial assignments.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::config::Deadline;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Error, Limits, Result};

/// Slack on the optimistic utility bound: partial sums are added in search order, not in
/// issue order, so they may differ from the exact utility in the last bits. Leaves are
/// judged with the exact utility.
const BOUND_SLACK: f64 = 1e-9;

/// Find every acceptable state by branch and bound.
///
/// Issues are assigned most constrained first (those that complete the most red lines).
/// A node is pruned when a red line whose issues are all assigned fails, when a red line
/// with some issues assigned can no longer hold whatever the rest (forward checking), or
/// when some party's partial utility plus the best it could still get on the unassigned
/// issues falls below its reservation. The subtrees under the first few issues run in
/// parallel.
///
/// # Arguments
/// `c`: the compiled scenario; `limits`: `max_acceptable` and `time_limit` apply.
///
/// # Returns
/// The acceptable states, sorted in enumeration order (the same list as
/// [`super::brute_force`]).
///
/// # Complexity
/// O(nodes · (R + P)) where the number of nodes visited depends on how early red lines and
/// reservations bite: at worst the whole space, typically near the acceptable set times the
/// depth. Memory O(acceptable + issues).
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
    let tree = Tree::new(c);
    let found = AtomicU64::new(0);
    let deadline = Deadline::new(limits.time_limit);
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
            work.search(prefix.len(), &found, &deadline, limits)?;
            Ok(work.out)
        })
        .collect::<Result<_>>()?;
    let mut all: Vec<StateIndex> = parts.into_iter().flatten().collect();
    all.sort_unstable();
    Ok(all)
}

/// The static plan: issue order, which red lines complete or need forward checks at each
/// depth, and the utility bounds.
struct Tree<'c> {
    c: &'c CompiledScenario,
    order: Vec<usize>,
    /// Red lines whose last assigned issue is at this depth.
    complete_at: Vec<Vec<usize>>,
    /// (red line, its issues still free) for red lines touched at this depth but not complete.
    check_at: Vec<Vec<(usize, Vec<usize>)>>,
    /// best[p][d]: the most party p can still gain on issues order[d..].
    best: Vec<Vec<f64>>,
}

impl<'c> Tree<'c> {
    fn new(c: &'c CompiledScenario) -> Tree<'c> {
        let n = c.space().issues();
        let rules = c.red_lines();
        // Greedy order: next the issue that completes the most red lines, then the one in
        // the most unfinished red lines, then the fewest levels, then file order.
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
                (
                    completes,
                    touches,
                    std::cmp::Reverse(c.space().radices()[i]),
                    std::cmp::Reverse(i),
                )
            };
            let next = (0..n)
                .filter(|&i| !placed[i])
                .max_by_key(|&i| score(i))
                .unwrap_or(0);
            placed[next] = true;
            order.push(next);
        }
        let mut pos = vec![0; n];
        for (d, &i) in order.iter().enumerate() {
            pos[i] = d;
        }
        let mut complete_at = vec![Vec::new(); n];
        let mut check_at = vec![Vec::new(); n];
        for (k, r) in rules.iter().enumerate() {
            let Some(last) = r.issues().iter().map(|&i| pos[i]).max() else {
                // A constant rule: judge it at the root.
                complete_at[0].push(k);
                continue;
            };
            complete_at[last].push(k);
            for &i in r.issues() {
                let d = pos[i];
                if d < last {
                    let free: Vec<usize> =
                        r.issues().iter().copied().filter(|&j| pos[j] > d).collect();
                    check_at[d].push((k, free));
                }
            }
        }
        let best = c
            .utilities()
            .iter()
            .map(|u| {
                let mut b = vec![0.0; n + 1];
                for d in (0..n).rev() {
                    let i = order[d];
                    let top = (0..c.space().radices()[i] as usize)
                        .map(|l| u.contrib(i, l))
                        .fold(0.0, f64::max);
                    b[d] = b[d + 1] + top;
                }
                b
            })
            .collect();
        Tree {
            c,
            order,
            complete_at,
            check_at,
            best,
        }
    }

    fn radix(&self, depth: usize) -> usize {
        self.c.space().radices()[self.order[depth]] as usize
    }
}

/// One thread's search state.
struct Worker<'t, 'c> {
    tree: &'t Tree<'c>,
    c: &'c CompiledScenario,
    levels: Vec<usize>,
    /// partial[p][d]: party p's utility over order[..d].
    partial: Vec<Vec<f64>>,
    nodes: u64,
    out: Vec<StateIndex>,
}

impl<'t, 'c> Worker<'t, 'c> {
    fn new(tree: &'t Tree<'c>, c: &'c CompiledScenario) -> Self {
        let n = c.space().issues();
        Worker {
            tree,
            c,
            levels: vec![0; n],
            partial: vec![vec![0.0; n + 1]; c.utilities().len()],
            nodes: 0,
            out: Vec::new(),
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
        for (r, free) in &t.check_at[depth] {
            if !rules[*r].satisfiable_among(&mut self.levels, free) {
                return false;
            }
        }
        for (p, u) in self.c.utilities().iter().enumerate() {
            let part = self.partial[p][depth] + u.contrib(issue, level);
            self.partial[p][depth + 1] = part;
            if part + t.best[p][depth + 1] < u.reservation() - BOUND_SLACK {
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
        found: &AtomicU64,
        deadline: &Deadline,
        limits: &Limits,
    ) -> Result<()> {
        if depth == self.tree.order.len() {
            if self.c.is_acceptable(&self.levels) {
                self.out.push(self.c.space().encode(&self.levels));
                if found.fetch_add(1, Ordering::Relaxed) + 1 > limits.max_acceptable {
                    return Err(Error::LimitExceeded {
                        limit: "max_acceptable",
                        value: limits.max_acceptable,
                    });
                }
            }
            return Ok(());
        }
        self.nodes += 1;
        if self.nodes.is_multiple_of(1 << 14) {
            deadline.check(limits)?;
        }
        for l in 0..self.tree.radix(depth) {
            if self.assign(depth, l) {
                self.search(depth + 1, found, deadline, limits)?;
            }
        }
        Ok(())
    }
}
