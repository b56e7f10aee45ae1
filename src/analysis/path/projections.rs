//! The projection part of the path bound: an additive pattern database.
//!
//! The issues are split into disjoint groups, each small enough to tabulate
//! ([`group_cap`] combinations), greedily merging the issues a kept precondition
//! reads. Per group, one backward Dijkstra over the group's own levels (every other issue
//! forgotten) from the zone's projection, through the combinations that break no kept
//! precondition reading only the group's issues, with each move costing its least rung
//! cost. A move changes one issue, hence one group's combination, by at most what it costs,
//! so the sum over groups is a consistent lower bound; it sees the detours the
//! preconditions inside each group force, which the per-issue walk into the zone's boxes
//! and the cells' crossings do not.
//!
//! A precondition whose issues fall in two groups is forgotten, so up to
//! [`MAX_PARTITIONS`] partitions are tabulated, each later one merging first the rules
//! the earlier ones split, and the bound is the largest of their sums (the largest of
//! consistent bounds is consistent).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::walls::Walls;
use crate::analysis::zone::DealZone;
use crate::space::StateSpace;

/// Most level combinations one group tabulates (12 bytes each).
pub(super) const MAX_GROUP_STATES: u64 = 1 << 20;

/// Fewest level combinations a group may hold before it stops merging.
const MIN_GROUP_STATES: u64 = 1 << 14;

/// The group cap for a space of `size` states: 1/512 of the space, within
/// [`MIN_GROUP_STATES`] and [`MAX_GROUP_STATES`]. The tables cost time once per search and
/// bigger groups prune more, so the cap grows with the space the search would otherwise
/// comb (measured: about 2^17 at 1e8 states, 2^20 at 1e10, where 2^17 left 23 s on a walled-off
/// seed and 2^20 at 1e8 spent a quarter second per search on tables).
pub(super) fn group_cap(size: u64) -> u64 {
    (size >> 9).clamp(MIN_GROUP_STATES, MAX_GROUP_STATES)
}

/// No way into the zone's projection.
const NEVER: u64 = u64::MAX;

/// One group of issues with its table.
struct Group {
    /// The group's issues, ascending.
    issues: Vec<usize>,
    /// Per group issue (in `issues` order), its stride in the table.
    strides: Vec<u64>,
    /// Per combination, the least cost into the zone's projection (`NEVER`: none).
    cost: Vec<u64>,
    /// Per combination, the fewest moves into it (`u32::MAX`: none).
    steps: Vec<u32>,
}

/// Most partitions of the issues tabulated; the bound is the largest of their sums.
pub(super) const MAX_PARTITIONS: usize = 3;

/// The bound over every partition (see the module docs): per partition the sum over its
/// groups, and the largest of those sums.
pub(super) struct Projections {
    /// Each partition's groups: disjoint, covering every issue.
    partitions: Vec<Vec<Group>>,
    /// Bytes the tables hold.
    bytes: u64,
}

impl Projections {
    /// Tabulate the groups for the kept preconditions of `walls` and `zone`; a move of
    /// issue `i` from `l` to `l + 1` costs at least `up(i, l)`, from `l + 1` to `l` at
    /// least `down(i, l)`; a group holds at most `cap` combinations (the search passes
    /// [`group_cap`]). The first partition merges the rules in file order; each further
    /// one (up to [`MAX_PARTITIONS`]) merges first the rules every earlier partition
    /// left split across its groups, so that a detour one partition cannot see another
    /// may. `None` when the first partition's tables would pass `max_bytes`, or when no
    /// kept precondition reads two issues (the box bound is then as good); a further
    /// partition is left out when the tables would pass `max_bytes` together.
    pub fn new(
        walls: &Walls,
        zone: &DealZone,
        up: impl Fn(usize, usize) -> u64,
        down: impl Fn(usize, usize) -> u64,
        max_bytes: u64,
        cap: u64,
    ) -> Option<Projections> {
        let c = walls.c;
        let space = c.space();
        let rules = walls.kept_rules();
        // Rules (positions in `rules`) no partition so far holds inside one group.
        let mut split: Vec<usize> = (0..rules.len()).collect();
        let mut partitions: Vec<Vec<Group>> = Vec::new();
        let mut seen: Vec<Vec<Vec<usize>>> = Vec::new();
        let mut bytes = 0u64;
        while partitions.len() < MAX_PARTITIONS && !split.is_empty() {
            // The split rules first (file order among them), then the rest in file order
            // (the bound only prunes: no answer depends on this order).
            let order: Vec<usize> = split
                .iter()
                .copied()
                .chain((0..rules.len()).filter(|k| !split.contains(k)))
                .collect();
            let Some(members) = partition(space, &rules, &order, cap) else {
                break;
            };
            if seen.contains(&members) {
                break;
            }
            let total: u64 = members
                .iter()
                .map(|m| m.iter().map(|&i| space.radices()[i]).product::<u64>())
                .sum();
            // Only the partitions kept count: one left out for want of room holds none.
            let more = bytes.saturating_add(total.saturating_mul(12));
            if more > max_bytes {
                break;
            }
            bytes = more;
            let inside = |r: &crate::space::CompiledRule, m: &[usize]| {
                r.issues().iter().all(|i| m.contains(i))
            };
            split.retain(|&k| !members.iter().any(|m| inside(rules[k], m)));
            partitions.push(
                members
                    .iter()
                    .map(|issues| {
                        let held: Vec<&crate::space::CompiledRule> = rules
                            .iter()
                            .copied()
                            .filter(|r| inside(r, issues))
                            .collect();
                        Group::new(space, issues.clone(), &held, zone, &up, &down)
                    })
                    .collect(),
            );
            seen.push(members);
        }
        (!partitions.is_empty()).then_some(Projections { partitions, bytes })
    }

    /// Bytes the tables hold (counted against the memory budget).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The first partition's groups of issues (each ascending, covering every issue).
    pub fn groups(&self) -> Vec<Vec<usize>> {
        self.partitions
            .first()
            .map(|p| p.iter().map(|g| g.issues.clone()).collect())
            .unwrap_or_default()
    }

    /// The bound at `levels`: (cost, steps), each the largest over the partitions of the
    /// sum over its groups; `NEVER` cost when some group's projection cannot reach the
    /// zone's.
    #[inline]
    pub fn at(&self, levels: &[usize]) -> (u64, u32) {
        let (mut cost, mut steps) = (0u64, 0u32);
        for groups in &self.partitions {
            let (mut c, mut s) = (0u64, 0u32);
            for g in groups {
                let k: u64 = g
                    .issues
                    .iter()
                    .zip(&g.strides)
                    .map(|(&i, &s)| levels[i] as u64 * s)
                    .sum();
                let gc = g.cost[k as usize];
                if gc == NEVER {
                    return (NEVER, 0);
                }
                c += gc;
                s += g.steps[k as usize];
            }
            cost = cost.max(c);
            steps = steps.max(s);
        }
        (cost, steps)
    }
}

/// The issues split into groups by merging, in `order`, the issues each rule reads while
/// the merged group holds at most `cap` level combinations; each group ascending, groups
/// by their first issue. `None` when no rule merged two issues.
fn partition(
    space: &StateSpace,
    rules: &[&crate::space::CompiledRule],
    order: &[usize],
    cap: u64,
) -> Option<Vec<Vec<usize>>> {
    let n = space.issues();
    let mut group_of: Vec<usize> = (0..n).collect();
    let mut merged = false;
    for &k in order {
        let read = rules[k].issues();
        let Some(&first) = read.first() else { continue };
        let target = group_of[first];
        let joined: Vec<usize> = (0..n)
            .filter(|&i| read.iter().any(|&j| group_of[j] == group_of[i]))
            .collect();
        let size = joined
            .iter()
            .try_fold(1u64, |acc, &i| acc.checked_mul(space.radices()[i]));
        if size.is_some_and(|s| s <= cap) {
            let old: Vec<usize> = read.iter().map(|&j| group_of[j]).collect();
            for g in group_of.iter_mut() {
                if old.contains(g) {
                    *g = target;
                }
            }
            merged |= old.iter().any(|&g| g != target);
        }
    }
    if !merged {
        return None;
    }
    let mut ids: Vec<usize> = group_of.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut members: Vec<Vec<usize>> = ids
        .iter()
        .map(|&g| (0..n).filter(|&i| group_of[i] == g).collect())
        .collect();
    members.sort();
    Some(members)
}

impl Group {
    fn new(
        space: &StateSpace,
        issues: Vec<usize>,
        rules: &[&crate::space::CompiledRule],
        zone: &DealZone,
        up: &impl Fn(usize, usize) -> u64,
        down: &impl Fn(usize, usize) -> u64,
    ) -> Group {
        let radices: Vec<u64> = issues.iter().map(|&i| space.radices()[i]).collect();
        let mut strides = vec![1u64; issues.len()];
        for k in (0..issues.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1] * radices[k + 1];
        }
        let size = radices.iter().product::<u64>() as usize;
        // Which combinations break no rule of the group (other issues: any level, the
        // rules do not read them).
        let mut levels = vec![0usize; space.issues()];
        let mut open = Vec::with_capacity(size);
        for k in 0..size {
            for (j, &i) in issues.iter().enumerate() {
                levels[i] = (k as u64 / strides[j] % radices[j]) as usize;
            }
            open.push(rules.iter().all(|r| r.eval_levels(&levels)));
        }
        let index = |levels: &[usize]| -> usize {
            issues
                .iter()
                .zip(&strides)
                .map(|(&i, &s)| levels[i] as u64 * s)
                .sum::<u64>() as usize
        };
        let mut cost = vec![NEVER; size];
        let mut steps = vec![u32::MAX; size];
        let mut sources = Vec::new();
        for &z in &zone.states {
            space.decode_into(z, &mut levels);
            let k = index(&levels);
            if open[k] && cost[k] != 0 {
                cost[k] = 0;
                steps[k] = 0;
                sources.push(k);
            }
        }
        // Backward: `from` steps into `into` along group issue `j`.
        let mut heap: BinaryHeap<Reverse<(u64, usize)>> =
            sources.iter().map(|&k| Reverse((0, k))).collect();
        let mut queue: std::collections::VecDeque<usize> = sources.into_iter().collect();
        while let Some(Reverse((d, into))) = heap.pop() {
            if d > cost[into] {
                continue;
            }
            for (j, &i) in issues.iter().enumerate() {
                let l = (into as u64 / strides[j] % radices[j]) as usize;
                let s = strides[j] as usize;
                if l > 0 && open[into - s] {
                    // From below: an upward move from l − 1.
                    let nd = d + up(i, l - 1);
                    if nd < cost[into - s] {
                        cost[into - s] = nd;
                        heap.push(Reverse((nd, into - s)));
                    }
                }
                if (l as u64) + 1 < radices[j] && open[into + s] {
                    let nd = d + down(i, l);
                    if nd < cost[into + s] {
                        cost[into + s] = nd;
                        heap.push(Reverse((nd, into + s)));
                    }
                }
            }
        }
        while let Some(into) = queue.pop_front() {
            let next = steps[into] + 1;
            for (j, _) in issues.iter().enumerate() {
                let l = into as u64 / strides[j] % radices[j];
                let s = strides[j] as usize;
                for from in [
                    (l > 0).then(|| into - s),
                    (l + 1 < radices[j]).then(|| into + s),
                ]
                .into_iter()
                .flatten()
                {
                    if open[from] && steps[from] == u32::MAX {
                        steps[from] = next;
                        queue.push_back(from);
                    }
                }
            }
        }
        Group {
            issues,
            strides,
            cost,
            steps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::zone::{Engine, find_zones_compiled};
    use crate::config::Limits;
    use crate::space::CompiledScenario;
    use crate::synthetic::{Regime, Synthetic};

    /// With groups too small to hold every precondition (so some are forgotten), the bound
    /// is still consistent on every edge between open states, for steps and for uneven
    /// move costs, zero on the zone's open states, and never `NEVER` where a neighbour
    /// that reaches the zone's projection is open: what the A* and its pruning rely on.
    #[test]
    fn the_projection_bound_is_consistent_when_groups_split_the_rules() {
        let mut split = 0;
        for seed in 0..12 {
            let g = Synthetic::new(4, 5, Regime::Reservations, seed).with_preconditions(6);
            let s = g.scenario().unwrap();
            let limits = Limits::default();
            let c = CompiledScenario::new(&s, &limits).unwrap();
            let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
            let walls = Walls::all(&c, &limits);
            let space = c.space();
            let up = |i: usize, l: usize| (i as u64 + 1) * (l as u64 % 3);
            let down = |i: usize, l: usize| (l as u64 + 2 * i as u64) % 4;
            for zone in &zones.zones {
                let Some(p) = Projections::new(&walls, zone, up, down, u64::MAX, 25) else {
                    continue;
                };
                split += usize::from(p.partitions[0].len() > 1);
                for st in 0..space.size() {
                    let levels = space.decode(st);
                    if !walls.open(st, &levels) {
                        continue;
                    }
                    let (hc, hs) = p.at(&levels);
                    if zone.contains(st) {
                        assert_eq!((hc, hs), (0, 0), "seed {seed}: zone state {st}");
                    }
                    for (i, to, next, t) in walls.open_neighbours(&levels) {
                        let (tc, ts) = p.at(&next);
                        if tc == NEVER {
                            continue;
                        }
                        let w = if to > levels[i] {
                            up(i, levels[i])
                        } else {
                            down(i, to)
                        };
                        assert!(hc != NEVER, "seed {seed}: {st} cut off, {t} not");
                        assert!(hc <= w + tc, "seed {seed}: cost {st} -> {t}");
                        assert!(hs <= 1 + ts, "seed {seed}: steps {st} -> {t}");
                    }
                }
            }
        }
        assert!(split > 0, "no case split the issues into several groups");
    }

    /// The bytes counted against the memory budget are those of the partitions kept: a
    /// budget that holds the first partition's tables but not the second's counts the
    /// first's alone (it once counted the one left out too, which shrank the search's
    /// share of the budget by tables never built).
    #[test]
    fn only_the_partitions_kept_count_against_the_budget() {
        let table = |p: &Projections| -> u64 {
            p.partitions
                .iter()
                .flatten()
                .map(|g| g.cost.len() as u64 * 12)
                .sum()
        };
        let mut met = 0;
        for seed in 0..24 {
            let g = Synthetic::new(4, 5, Regime::Reservations, seed).with_preconditions(6);
            let s = g.scenario().unwrap();
            let limits = Limits::default();
            let c = CompiledScenario::new(&s, &limits).unwrap();
            let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
            let walls = Walls::all(&c, &limits);
            let (up, down) = (|_, _| 1, |_, _| 1);
            for zone in &zones.zones {
                let Some(all) = Projections::new(&walls, zone, up, down, u64::MAX, 25) else {
                    continue;
                };
                assert_eq!(all.bytes(), table(&all), "seed {seed}");
                if all.partitions.len() < 2 {
                    continue;
                }
                met += 1;
                let first: u64 = all.partitions[0]
                    .iter()
                    .map(|g| g.cost.len() as u64 * 12)
                    .sum();
                let p = Projections::new(&walls, zone, up, down, first, 25).unwrap();
                assert_eq!(p.partitions.len(), 1, "seed {seed}");
                assert_eq!(p.bytes(), first, "seed {seed}");
            }
        }
        assert!(met > 0, "no case tabulated two partitions");
    }
}
