//! Counting candidates without listing them: variable elimination over the red lines, or a
//! budgeted search when candidates are few.

use rayon::prelude::*;

use super::bnb::Check;
use crate::space::CompiledScenario;

/// Largest intermediate table variable elimination may build (entries).
pub const MAX_FACTOR: u64 = 1 << 24;

/// Eliminations planned to do more work than this (table entries times tables) are first
/// tried by search ([`count_by_search`]).
const SEARCH_FIRST: u64 = 1 << 20;

/// The search's node budget is the elimination's work over this: a search node (one issue
/// tried at every level) costs a few hundred work units, so a search that gives up wastes
/// a few per cent of the elimination's time.
const SEARCH_SHARE: u64 = 1 << 10;

/// Most assignments of the fixed issues [`conditioned`] runs the elimination for.
const CONDITION_MAX: u64 = 1 << 12;

/// Most work (table entries times tables, over all assignments) [`conditioned`] takes on:
/// some seconds.
const CONDITION_WORK: u64 = 1 << 32;

/// Most issues read by red lines for which [`exact_order`] plans.
const EXACT_PLAN_MAX: usize = 12;

/// Output tables at least this large are filled in parallel.
const PARALLEL_MIN: usize = 1 << 14;

/// A table over some issues: `table[k]` for the assignment whose mixed-radix index over
/// `scope` (last issue fastest) is `k`.
///
/// Every entry counts assignments of the issues already summed into the table, so it is at
/// most the product of their level counts; the issues summed into different tables are
/// disjoint, so every product of entries below is at most the size of the space, which fits
/// a `u64`.
struct Factor {
    scope: Vec<usize>,
    table: Vec<u64>,
}

/// Count the states that meet every red line, without enumerating them.
///
/// Each red line is a 0/1 table over the issues it reads (red lines over the same issues,
/// or over issues inside another red line's, share one table). Issues are summed out one at
/// a time, multiplying the tables that mention the issue. The order is planned on the
/// scopes alone before any table is built: two greedy plans, smallest new table first and
/// fewest fill-in edges first, are costed and the cheaper (smallest largest table, then
/// least total work) is run. Every table lists its issues in elimination order, so the
/// issue summed out next varies fastest and each step reads its inputs in order; a new table
/// is filled by stepping its assignments like an odometer, in parallel for large tables.
/// Issues no red line reads multiply the count by their level count.
///
/// When the plan is expensive (over 2^20 work units) or exceeds `max_factor`, a
/// depth-first search over the issues with forward checking is tried first: it finishes
/// quickly when candidates are few (tight red lines), and gives up after a node budget of
/// 1/1024 of the plan's work (`max_factor / 16` nodes when the plan is infeasible), so it
/// costs the elimination a few per cent when candidates are many.
///
/// When no order keeps the tables within `max_factor` entries (the red lines are too
/// entangled), the issues shared by the most tables are fixed one by one until the rest
/// fits, and the elimination runs once per assignment of them (cutset conditioning: time
/// for memory), up to 4,096 assignments and 2^32 work units.
///
/// # Arguments
/// `c`: the compiled scenario; `max_factor`: the largest table (entries, counting the
/// issue being summed out) the elimination may build.
///
/// # Returns
/// The number of candidates, or `None` when the red lines are too entangled for all three
/// (tables over `max_factor` entries even after conditioning within its bounds, and the
/// search out of budget); the caller then counts another way.
///
/// # Complexity
/// O(Σ_steps T_step · F_step) time, where T_step is the size of the table a step builds
/// (including the issue summed out) and F_step the number of tables it multiplies:
/// exponential in the induced width of the red lines' interaction graph, not in the number
/// of issues; plus the search, at most 1/1024 of that in nodes; when conditioning, the
/// elimination's cost for the rest times the number of assignments of the fixed issues.
/// Memory O(largest table).
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::zone};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &Limits::default())?;
/// let counted = zone::count_candidates(&c, zone::MAX_FACTOR);
/// assert_eq!(counted, Some(zone::brute_force(&c, &Limits::default())?.candidates));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn count_candidates(c: &CompiledScenario, max_factor: u64) -> Option<u64> {
    let radices: Vec<u64> = c.space().radices().to_vec();
    let n = radices.len();
    let rules = c.red_lines();
    // Host scopes: those of the red lines, minus any inside another (its red lines are
    // multiplied into the larger table).
    let mut hosts: Vec<Vec<usize>> = Vec::new();
    let mut by_size: Vec<&[usize]> = rules.iter().map(|r| r.issues()).collect();
    by_size.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in by_size {
        if !hosts.iter().any(|h| s.iter().all(|v| h.contains(v))) {
            hosts.push(s.to_vec());
        }
    }
    let order = best_plan(&hosts, &radices);
    let feasible = order.as_ref().is_some_and(|p| {
        p.largest <= max_factor
            && hosts
                .iter()
                .all(|h| scope_size(h, &radices).is_some_and(|z| z <= max_factor))
    });
    // Few candidates are cheaper to enumerate than the tables are to build: try a
    // depth-first search first, on a node budget well below the elimination's work.
    let work = match &order {
        Some(p) if feasible => p.work,
        _ => u64::MAX,
    };
    if work > SEARCH_FIRST {
        let budget = if feasible {
            work / SEARCH_SHARE
        } else {
            max_factor / 16
        };
        if let Some(count) = count_by_search(c, budget) {
            return Some(count);
        }
    }
    match order {
        Some(order) if feasible => eliminate_all(c, &hosts, &order, &vec![None; n]),
        _ => conditioned(c, &hosts, max_factor),
    }
}

/// Plan the elimination of `hosts` (the cheapest of the greedy plans and, for few
/// issues, the exact one).
fn best_plan(hosts: &[Vec<usize>], radices: &[u64]) -> Option<Plan> {
    let n = radices.len();
    [Heuristic::MinWeight, Heuristic::MinFill]
        .into_iter()
        .filter_map(|h| plan(hosts, radices, n, h))
        .chain(exact_order(hosts, radices, n).and_then(|o| simulate(hosts, radices, o)))
        .min_by_key(|p| (p.largest, p.work))
}

/// Cutset conditioning, for red lines too entangled for tables of `max_factor` entries:
/// fix the issue shared by the most tables, again until the plan for the rest fits, then
/// run the elimination once per assignment of the fixed issues and add up. Time grows with
/// the number of those assignments, memory does not. `None` beyond
/// [`CONDITION_MAX`] assignments or [`CONDITION_WORK`] work units.
fn conditioned(c: &CompiledScenario, hosts: &[Vec<usize>], max_factor: u64) -> Option<u64> {
    let radices: Vec<u64> = c.space().radices().to_vec();
    let n = radices.len();
    if hosts
        .iter()
        .any(|h| scope_size(h, &radices).is_none_or(|z| z > max_factor))
    {
        return None;
    }
    let mut fixed_issues: Vec<usize> = Vec::new();
    let mut assignments: u64 = 1;
    let mut reduced: Vec<Vec<usize>> = hosts.to_vec();
    let order = loop {
        let order = best_plan(&reduced, &radices)?;
        if order.largest <= max_factor {
            break order;
        }
        let v = (0..n)
            .filter(|v| !fixed_issues.contains(v))
            .max_by_key(|&v| {
                let tables = reduced.iter().filter(|h| h.contains(&v)).count();
                (tables, std::cmp::Reverse(radices[v]), std::cmp::Reverse(v))
            })?;
        fixed_issues.push(v);
        assignments = assignments.checked_mul(radices[v])?;
        if assignments > CONDITION_MAX {
            return None;
        }
        for h in &mut reduced {
            h.retain(|&x| x != v);
        }
    };
    if order.work.checked_mul(assignments)? > CONDITION_WORK {
        return None;
    }
    let mut total: u64 = 0;
    let mut fixed = vec![None; n];
    for mut k in 0..assignments {
        for &v in fixed_issues.iter().rev() {
            fixed[v] = Some((k % radices[v]) as usize);
            k /= radices[v];
        }
        total = total.checked_add(eliminate_all(c, &reduced, &order, &fixed)?)?;
    }
    Some(total)
}

/// Run the elimination `order` over the red lines of `c`, grouped in `hosts`, with the
/// issues `fixed[i] = Some(level)` held at that level (and left out of `hosts`).
fn eliminate_all(
    c: &CompiledScenario,
    hosts: &[Vec<usize>],
    order: &Plan,
    fixed: &[Option<usize>],
) -> Option<u64> {
    let radices: Vec<u64> = c.space().radices().to_vec();
    let n = radices.len();
    let mut constant: u64 = 1;
    for (v, &r) in radices.iter().enumerate() {
        if fixed[v].is_none() && !hosts.iter().any(|h| h.contains(&v)) {
            constant = constant.checked_mul(r)?;
        }
    }
    // Every table lists its issues latest-eliminated first, so the issue summed out next is
    // always the fastest-varying one and a step reads its input tables in order.
    let mut rank = vec![0usize; n];
    for (k, &v) in order.order.iter().enumerate() {
        rank[v] = k;
    }
    let mut levels: Vec<usize> = fixed.iter().map(|l| l.unwrap_or(0)).collect();
    let mut factors: Vec<Factor> = hosts
        .iter()
        .map(|scope| {
            let mut scope = scope.clone();
            scope.sort_by_key(|&v| std::cmp::Reverse(rank[v]));
            let size = scope_size(&scope, &radices).unwrap_or(0) as usize;
            Factor {
                scope,
                table: vec![1; size],
            }
        })
        .collect();
    for r in c.red_lines() {
        let Some(f) = factors.iter_mut().find(|f| {
            r.issues()
                .iter()
                .all(|&v| fixed[v].is_some() || f.scope.contains(&v))
        }) else {
            continue;
        };
        for (k, slot) in f.table.iter_mut().enumerate() {
            if *slot != 0 {
                set_levels(k as u64, &f.scope, &radices, &mut levels);
                *slot = u64::from(r.eval_levels(&levels));
            }
        }
    }
    for &v in &order.order {
        let (with, without): (Vec<Factor>, Vec<Factor>) =
            factors.into_iter().partition(|f| f.scope.contains(&v));
        factors = without;
        factors.push(eliminate(v, &with, &radices, &rank));
    }
    factors
        .iter()
        .try_fold(constant, |acc, f| acc.checked_mul(f.table[0]))
}

/// Count candidates by depth-first search over the issues, giving up (`None`) after
/// `budget` nodes.
///
/// Issues are assigned so as to complete red lines early (as in branch and bound); a red
/// line is judged once all its issues are assigned, and a red line some of whose issues
/// are assigned is checked for a completion that could still hold (forward checking).
/// Once every red line is judged, the issues left multiply the count by their level counts
/// without being enumerated.
fn count_by_search(c: &CompiledScenario, budget: u64) -> Option<u64> {
    let space = c.space();
    let n = space.issues();
    let rules = c.red_lines();
    let levels = vec![0usize; n];
    // Constant red lines read no issue.
    if !rules
        .iter()
        .filter(|r| r.issues().is_empty())
        .all(|r| r.eval_levels(&levels))
    {
        return Some(0);
    }
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    for _ in 0..n {
        let score = |i: usize| {
            let (mut completes, mut touches) = (0usize, 0usize);
            for r in rules {
                let is = r.issues();
                if is.contains(&i) && !is.iter().all(|&j| placed[j]) {
                    touches += 1;
                    completes += usize::from(is.iter().all(|&j| j == i || placed[j]));
                }
            }
            (completes, touches, std::cmp::Reverse(i))
        };
        let next = (0..n).filter(|&i| !placed[i]).max_by_key(|&i| score(i))?;
        placed[next] = true;
        order.push(next);
    }
    let mut pos = vec![0usize; n];
    for (d, &i) in order.iter().enumerate() {
        pos[i] = d;
    }
    let mut complete_at: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut check_at: Vec<Vec<Check>> = (0..n).map(|_| Vec::new()).collect();
    // Depth after which every red line is judged.
    let mut judged = 0;
    for (k, r) in rules.iter().enumerate() {
        let Some(last) = r.issues().iter().map(|&i| pos[i]).max() else {
            continue;
        };
        complete_at[last].push(k);
        judged = judged.max(last + 1);
        for &i in r.issues() {
            if pos[i] < last {
                let d = pos[i];
                check_at[d].push(Check::new(k, r, space.radices(), |j| pos[j] > d));
            }
        }
    }
    // suffix[d]: the number of assignments of order[d..].
    let mut suffix = vec![1u64; n + 1];
    for d in (0..n).rev() {
        suffix[d] = suffix[d + 1].checked_mul(space.radices()[order[d]])?;
    }
    struct Walk<'a> {
        c: &'a CompiledScenario,
        order: &'a [usize],
        complete_at: &'a [Vec<usize>],
        check_at: &'a [Vec<Check>],
        suffix: &'a [u64],
        judged: usize,
        levels: Vec<usize>,
        nodes: u64,
        budget: u64,
    }
    impl Walk<'_> {
        /// Candidates below depth `d`; `None` once over budget.
        fn count(&mut self, d: usize) -> Option<u64> {
            if d >= self.judged {
                return Some(self.suffix[d]);
            }
            self.nodes += 1;
            if self.nodes > self.budget {
                return None;
            }
            let rules = self.c.red_lines();
            let issue = self.order[d];
            let mut total = 0u64;
            for l in 0..self.c.space().radices()[issue] as usize {
                self.levels[issue] = l;
                let holds = self.complete_at[d]
                    .iter()
                    .all(|&r| rules[r].eval_levels(&self.levels))
                    && self.check_at[d]
                        .iter()
                        .all(|check| check.holds(rules, &mut self.levels));
                if holds {
                    total += self.count(d + 1)?;
                }
            }
            Some(total)
        }
    }
    Walk {
        c,
        order: &order,
        complete_at: &complete_at,
        check_at: &check_at,
        suffix: &suffix,
        judged,
        levels,
        nodes: 0,
        budget,
    }
    .count(0)
}

#[derive(Clone, Copy)]
enum Heuristic {
    /// Next the issue whose step builds the smallest table.
    MinWeight,
    /// Next the issue whose step joins the fewest pairs of issues not yet sharing a table.
    MinFill,
}

/// What a greedy plan minimises: (primary, secondary, issue).
type StepKey = (u64, u64, usize);

/// An elimination order with its cost.
struct Plan {
    order: Vec<usize>,
    /// Largest table a step builds, counting the issue summed out.
    largest: u64,
    /// Σ over steps of that size times the tables multiplied.
    work: u64,
}

/// The cost of eliminating in `order`. `None` if a size overflows `u64`.
fn simulate(scopes: &[Vec<usize>], radices: &[u64], order: Vec<usize>) -> Option<Plan> {
    let mut scopes: Vec<Vec<usize>> = scopes.to_vec();
    let mut out = Plan {
        order: Vec::new(),
        largest: 0,
        work: 0,
    };
    for &v in &order {
        let mut joint: Vec<usize> = scopes
            .iter()
            .filter(|s| s.contains(&v))
            .flat_map(|s| s.iter().copied())
            .collect();
        joint.sort_unstable();
        joint.dedup();
        let size = scope_size(&joint, radices)?;
        let tables = scopes.iter().filter(|s| s.contains(&v)).count() as u64;
        out.largest = out.largest.max(size);
        out.work = out.work.saturating_add(size.saturating_mul(tables));
        scopes.retain(|s| !s.contains(&v));
        scopes.push(joint.into_iter().filter(|&x| x != v).collect());
    }
    out.order = order;
    Some(out)
}

/// An elimination order with the smallest largest step (then the smallest sum of step
/// sizes), by dynamic programming over the sets of issues already summed out, when at
/// most [`EXACT_PLAN_MAX`] issues are read by red lines.
///
/// # Complexity
/// O(2^k · k² · k) for k issues read.
fn exact_order(scopes: &[Vec<usize>], radices: &[u64], n: usize) -> Option<Vec<usize>> {
    let vars: Vec<usize> = (0..n)
        .filter(|&v| scopes.iter().any(|s| s.contains(&v)))
        .collect();
    let k = vars.len();
    if k == 0 || k > EXACT_PLAN_MAX {
        return None;
    }
    let index = |v: usize| vars.iter().position(|&x| x == v).unwrap_or(0);
    // adj[a]: the variables sharing a scope with a, as a bit mask.
    let mut adj = vec![0u32; k];
    for s in scopes {
        let mask = s.iter().fold(0u32, |m, &v| m | 1 << index(v));
        for (a, bits) in adj.iter_mut().enumerate() {
            if mask >> a & 1 == 1 {
                *bits |= mask & !(1 << a);
            }
        }
    }
    // Size of the step summing out `a` once `done` is summed out: `a` with every variable
    // outside `done` reachable from `a` through `done`.
    let step = |done: u32, a: usize| -> u64 {
        let mut seen = 1u32 << a;
        let mut stack = vec![a];
        let mut size = radices[vars[a]];
        while let Some(x) = stack.pop() {
            let mut next = adj[x] & !seen;
            while next != 0 {
                let y = next.trailing_zeros() as usize;
                next &= next - 1;
                seen |= 1 << y;
                if done >> y & 1 == 1 {
                    stack.push(y);
                } else {
                    size = size.saturating_mul(radices[vars[y]]);
                }
            }
        }
        size
    };
    let full = (1usize << k) - 1;
    // best[set]: (largest step, sum of steps, last variable) to sum out exactly `set`.
    let mut best = vec![(u64::MAX, u64::MAX, 0usize); full + 1];
    best[0] = (0, 0, 0);
    for set in 1..=full {
        let mut rest = set;
        while rest != 0 {
            let a = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let before = set & !(1 << a);
            let (largest, total, _) = best[before];
            if largest == u64::MAX {
                continue;
            }
            let w = step(before as u32, a);
            let cand = (largest.max(w), total.saturating_add(w), a);
            if (cand.0, cand.1) < (best[set].0, best[set].1) {
                best[set] = cand;
            }
        }
    }
    let mut order = Vec::with_capacity(k);
    let mut set = full;
    while set != 0 {
        let a = best[set].2;
        order.push(vars[a]);
        set &= !(1 << a);
    }
    order.reverse();
    Some(order)
}

/// Plan a greedy elimination order on scopes alone. `None` if a size overflows `u64`.
fn plan(scopes: &[Vec<usize>], radices: &[u64], n: usize, h: Heuristic) -> Option<Plan> {
    let mut scopes: Vec<Vec<usize>> = scopes.to_vec();
    let mut remaining: Vec<usize> = (0..n)
        .filter(|&v| scopes.iter().any(|s| s.contains(&v)))
        .collect();
    let mut out = Plan {
        order: Vec::with_capacity(remaining.len()),
        largest: 0,
        work: 0,
    };
    while !remaining.is_empty() {
        // (heuristic key, position in `remaining`, joint scope) of the best issue so far.
        let mut best: Option<(StepKey, usize, Vec<usize>)> = None;
        for (pos, &v) in remaining.iter().enumerate() {
            let mut joint: Vec<usize> = scopes
                .iter()
                .filter(|s| s.contains(&v))
                .flat_map(|s| s.iter().copied())
                .collect();
            joint.sort_unstable();
            joint.dedup();
            let weight = scope_size(&joint, radices).unwrap_or(u64::MAX);
            let key = match h {
                Heuristic::MinWeight => (weight, 0, v),
                Heuristic::MinFill => (fill_in(&joint, v, &scopes), weight, v),
            };
            if best.as_ref().is_none_or(|(k, _, _)| key < *k) {
                best = Some((key, pos, joint));
            }
        }
        let (_, pos, joint) = best?;
        let v = remaining.remove(pos);
        let size = scope_size(&joint, radices)?;
        let tables = scopes.iter().filter(|s| s.contains(&v)).count() as u64;
        out.largest = out.largest.max(size);
        out.work = out.work.saturating_add(size.saturating_mul(tables));
        scopes.retain(|s| !s.contains(&v));
        scopes.push(joint.into_iter().filter(|&x| x != v).collect());
        out.order.push(v);
    }
    Some(out)
}

/// Pairs of `joint \ {v}` that no scope holds together yet.
fn fill_in(joint: &[usize], v: usize, scopes: &[Vec<usize>]) -> u64 {
    let others: Vec<usize> = joint.iter().copied().filter(|&x| x != v).collect();
    let mut missing = 0;
    for (k, &a) in others.iter().enumerate() {
        for &b in &others[k + 1..] {
            if !scopes.iter().any(|s| s.contains(&a) && s.contains(&b)) {
                missing += 1;
            }
        }
    }
    missing
}

/// Sum issue `v` out of the product of `with` (every factor mentioning `v`). Every scope
/// lists its issues by `rank` (elimination position), latest first, so `v`, eliminated
/// before every other issue still in a table, comes last.
fn eliminate(v: usize, with: &[Factor], radices: &[u64], rank: &[usize]) -> Factor {
    let mut scope: Vec<usize> = with
        .iter()
        .flat_map(|f| f.scope.iter().copied())
        .filter(|&x| x != v)
        .collect();
    scope.sort_by_key(|&x| std::cmp::Reverse(rank[x]));
    scope.dedup();
    let out_radix: Vec<usize> = scope.iter().map(|&i| radices[i] as usize).collect();
    let out_size: usize = out_radix.iter().product();
    // strides[f][j]: how far factor f's index moves when out issue j moves one level.
    let stride_in = |f: &Factor, issue: usize| -> usize {
        match f.scope.iter().position(|&x| x == issue) {
            Some(p) => f.scope[p + 1..]
                .iter()
                .map(|&x| radices[x] as usize)
                .product(),
            None => 0,
        }
    };
    let strides: Vec<Vec<usize>> = with
        .iter()
        .map(|f| scope.iter().map(|&i| stride_in(f, i)).collect())
        .collect();
    let tables: Vec<&[u64]> = with.iter().map(|f| f.table.as_slice()).collect();
    let v_radix = radices[v] as usize;
    let fill = |start: usize, slots: &mut [u64]| {
        // Odometer over the out scope, starting at `start`.
        let mut digits = vec![0usize; scope.len()];
        let mut rest = start;
        for j in (0..scope.len()).rev() {
            digits[j] = rest % out_radix[j];
            rest /= out_radix[j];
        }
        let mut base: Vec<usize> = strides
            .iter()
            .map(|s| s.iter().zip(&digits).map(|(a, b)| a * b).sum())
            .collect();
        let mut acc = vec![0u64; v_radix];
        for slot in slots.iter_mut() {
            // `v` is last in every table: its levels are `v_radix` consecutive entries.
            let (first, others) = tables.split_first().unwrap_or((&tables[0], &[]));
            acc.copy_from_slice(&first[base[0]..base[0] + v_radix]);
            for (t, &b) in others.iter().zip(&base[1..]) {
                for (a, &x) in acc.iter_mut().zip(&t[b..b + v_radix]) {
                    *a *= x;
                }
            }
            *slot = acc.iter().sum();
            let mut j = scope.len();
            while j > 0 {
                j -= 1;
                digits[j] += 1;
                if digits[j] < out_radix[j] {
                    for (b, s) in base.iter_mut().zip(&strides) {
                        *b += s[j];
                    }
                    break;
                }
                for (b, s) in base.iter_mut().zip(&strides) {
                    *b -= (out_radix[j] - 1) * s[j];
                }
                digits[j] = 0;
            }
        }
    };
    let mut table = vec![0u64; out_size];
    if out_size >= PARALLEL_MIN {
        let chunk = PARALLEL_MIN / 4;
        table
            .par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(k, slots)| fill(k * chunk, slots));
    } else {
        fill(0, &mut table);
    }
    Factor { scope, table }
}

fn scope_size(scope: &[usize], radices: &[u64]) -> Option<u64> {
    scope
        .iter()
        .try_fold(1u64, |acc, &i| acc.checked_mul(radices[i]))
}

fn set_levels(mut k: u64, scope: &[usize], radices: &[u64], levels: &mut [usize]) {
    for &i in scope.iter().rev() {
        levels[i] = (k % radices[i]) as usize;
        k /= radices[i];
    }
}
