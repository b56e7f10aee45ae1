//! The per-box part of the fewest-steps bound: the projection bound taken box by box.
//!
//! The projection bound (`projections`) sums, over groups of issues, the fewest moves
//! into the *zone's* projection on each group: each group may aim at a different box, so
//! where the zone is many small boxes the sum falls far below the true distance (measured:
//! 49 moves against more than 16 million states combed on a 1e10-state scenario whose
//! groups held every precondition). Here each box is aimed at by every group at once: for
//! box `b`, the sum over the groups of several issues of the fewest moves into `b`'s
//! projection (the combinations of `b`'s ranges that break no precondition inside the
//! group), plus, for each issue alone in its group, the rungs into `b`'s range; the bound
//! is the least such sum over the boxes.
//!
//! Each sum is the exact fewest moves into `b` in a relaxation (the preconditions split
//! across groups forgotten), so it is admissible, and consistent: a move changes one
//! group's combination, so one term, by at most one. The least of consistent bounds is
//! consistent. When every precondition lies inside one group the groups move
//! independently and the bound is the exact fewest moves into the zone.
//!
//! A group whose boxes' tables would pass the entry budget aims at clusters of boxes
//! instead (the union of consecutive distinct projections): a superset of each box's
//! projection, so each term stays a lower bound, only a looser one.

use std::cell::RefCell;

use super::walls::Walls;
use crate::analysis::zone::LevelBox;
use crate::config::{Deadline, Limits};
use crate::error::Result;

/// Most entries (2 bytes each) the group tables hold together: half the space,
/// within [2^16, 2^27]. The tables cost about 5–40 ns an entry to build, once per search;
/// a search they spare combs millions of states (measured: 1e10 states, 88 boxes, 2^25
/// entries left the bound at 49 moves and the search past 16 million states; 2^27 made
/// it exact, 843 states, in 0.4–3.5 s of tables).
pub(super) fn max_box_entries(size: u64) -> u64 {
    (size >> 1).clamp(1 << 16, 1 << 27)
}

/// Columns (clusters) a group computes before copying them into its table together.
const BATCH: usize = 16;

/// No way into the box's projection.
const FAR: u16 = u16::MAX;

/// One group of several issues with its per-cluster tables.
struct BoxGroup {
    /// The group's issues, ascending.
    issues: Vec<usize>,
    /// Per group issue, its stride in the table's combinations.
    strides: Vec<u64>,
    /// Number of clusters (columns of `table`).
    clusters: usize,
    /// Per box, its cluster.
    of_box: Vec<usize>,
    /// Per combination, per cluster: fewest moves into the cluster's projection (capped
    /// at `FAR − 1`; `FAR`: none), at `combination · clusters + cluster`.
    table: Vec<u16>,
}

/// The per-box fewest-steps bound (see the module docs).
pub(super) struct BoxSteps {
    boxes: Vec<LevelBox>,
    /// Issues alone in their group.
    singles: Vec<usize>,
    groups: Vec<BoxGroup>,
    /// Scratch for [`BoxSteps::at`]: per box, the sum so far.
    scratch: RefCell<Vec<u32>>,
}

impl BoxSteps {
    /// Tabulate the bound into `boxes` (disjoint boxes whose union holds the zone) for
    /// the groups of issues `groups` (disjoint, covering every issue) and the kept
    /// preconditions of `walls`. The tables hold at most `max_entries` entries and
    /// `max_bytes` bytes together (boxes share clusters to fit); `None` when no group
    /// holds two issues, or one cluster per group would not fit.
    ///
    /// # Errors
    /// [`crate::Error::LimitExceeded`] naming `time_limit` when `deadline` passes while
    /// the tables are built (checked before each group and each cluster: a build of 2^27
    /// entries takes seconds, which a time limit must not ignore).
    ///
    /// # Complexity
    /// O(E · I) time for E ≤ `max_entries` entries, I issues.
    pub fn new(
        walls: &Walls,
        boxes: &[LevelBox],
        groups: &[Vec<usize>],
        max_entries: u64,
        max_bytes: u64,
        (deadline, limits): (&Deadline, &Limits),
    ) -> Result<Option<BoxSteps>> {
        let c = walls.c;
        let space = c.space();
        let rules = walls.kept_rules();
        let several: Vec<&Vec<usize>> = groups.iter().filter(|g| g.len() > 1).collect();
        // A group's moves are one 64-bit mask per combination: at most 32 issues (a
        // group within the entry budget has fewer unless issues have a single level).
        if several.is_empty() || boxes.is_empty() || several.iter().any(|g| g.len() > 32) {
            return Ok(None);
        }
        let sizes: Vec<u64> = several
            .iter()
            .map(|g| g.iter().map(|&i| space.radices()[i]).product())
            .collect();
        let total: u64 = sizes.iter().sum();
        // As many clusters per group as both budgets allow for all groups alike.
        let per = (max_entries.min(max_bytes / 2) / total.max(1)) as usize;
        if per == 0 {
            return Ok(None);
        }
        let built = several
            .iter()
            .zip(&sizes)
            .map(|(issues, &size)| {
                let held: Vec<&crate::space::CompiledRule> = rules
                    .iter()
                    .copied()
                    .filter(|r| r.issues().iter().all(|i| issues.contains(i)))
                    .collect();
                BoxGroup::new(space, issues, size as usize, &held, boxes, per, || {
                    deadline.check(limits)
                })
            })
            .collect::<Result<_>>()?;
        let singles = groups
            .iter()
            .filter(|g| g.len() == 1)
            .map(|g| g[0])
            .collect();
        Ok(Some(BoxSteps {
            boxes: boxes.to_vec(),
            singles,
            groups: built,
            scratch: RefCell::new(vec![0; boxes.len()]),
        }))
    }

    /// Bytes the tables hold (counted against the memory budget).
    pub fn bytes(&self) -> u64 {
        self.groups.iter().map(|g| g.table.len() as u64 * 2).sum()
    }

    /// The bound at `levels`: the fewest moves into the nearest box, `None` when no box's
    /// projections can all be reached.
    #[inline]
    pub fn at(&self, levels: &[usize]) -> Option<u32> {
        let mut sum = self.scratch.borrow_mut();
        for (d, b) in sum.iter_mut().zip(&self.boxes) {
            *d = self
                .singles
                .iter()
                .map(|&i| {
                    let (l, (a, z)) = (levels[i], b[i]);
                    (a.saturating_sub(l) + l.saturating_sub(z)) as u32
                })
                .sum();
        }
        for g in &self.groups {
            let k: u64 = g
                .issues
                .iter()
                .zip(&g.strides)
                .map(|(&i, &s)| levels[i] as u64 * s)
                .sum();
            let row = &g.table[k as usize * g.clusters..(k as usize + 1) * g.clusters];
            for (d, &cl) in sum.iter_mut().zip(&g.of_box) {
                let t = row[cl];
                *d = if t == FAR || *d == u32::MAX {
                    u32::MAX
                } else {
                    *d + t as u32
                };
            }
        }
        sum.iter().copied().filter(|&d| d != u32::MAX).min()
    }
}

impl BoxGroup {
    /// The group `issues` (`size` combinations) under the preconditions `rules` inside it,
    /// aiming at `boxes` in at most `most` clusters; `check` (the deadline) first and
    /// before each cluster's search, its error returned.
    fn new(
        space: &crate::space::StateSpace,
        issues: &[usize],
        size: usize,
        rules: &[&crate::space::CompiledRule],
        boxes: &[LevelBox],
        most: usize,
        check: impl Fn() -> Result<()>,
    ) -> Result<BoxGroup> {
        check()?;
        let radices: Vec<u64> = issues.iter().map(|&i| space.radices()[i]).collect();
        let mut strides = vec![1u64; issues.len()];
        for k in (0..issues.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1] * radices[k + 1];
        }
        let mut levels = vec![0usize; space.issues()];
        let open: Vec<bool> = (0..size)
            .map(|k| {
                for (j, &i) in issues.iter().enumerate() {
                    levels[i] = (k as u64 / strides[j] % radices[j]) as usize;
                }
                rules.iter().all(|r| r.eval_levels(&levels))
            })
            .collect();
        // Per combination, its open neighbours: bit 2j one rung down on group issue j, bit
        // 2j + 1 one up (the caller keeps groups to at most 32 issues).
        let moves: Vec<u64> = (0..size)
            .map(|k| {
                let mut m = 0u64;
                if !open[k] {
                    return m;
                }
                for (j, (&r, &st)) in radices.iter().zip(&strides).enumerate() {
                    let l = k as u64 / st % r;
                    let s = st as usize;
                    if l > 0 && open[k - s] {
                        m |= 1 << (2 * j);
                    }
                    if l + 1 < r && open[k + s] {
                        m |= 1 << (2 * j + 1);
                    }
                }
                m
            })
            .collect();
        // The boxes' distinct projections, sorted (a box's own order, not a name, sorts
        // them; which cluster a box falls in changes only how tight the bound is).
        let project =
            |b: &LevelBox| -> Vec<(usize, usize)> { issues.iter().map(|&i| b[i]).collect() };
        let mut distinct: Vec<Vec<(usize, usize)>> = boxes.iter().map(project).collect();
        distinct.sort();
        distinct.dedup();
        let clusters = distinct.len().min(most).max(1);
        let cluster_of = |rank: usize| rank * clusters / distinct.len();
        let of_box: Vec<usize> = boxes
            .iter()
            .map(|b| cluster_of(distinct.binary_search(&project(b)).unwrap_or(0)))
            .collect();
        let mut table = vec![FAR; size * clusters];
        // One cluster at a time in a dense column (the breadth-first search's reads and
        // writes stay in cache), copied into the box-last table a batch of columns at a
        // time (one column at a time wrote a cache line per entry: 80% of a 1e10 search).
        let batch = clusters.min(BATCH);
        let mut columns = vec![FAR; size * batch];
        let mut queue: Vec<usize> = Vec::new();
        for cl in 0..clusters {
            check()?;
            queue.clear();
            let column = &mut columns[(cl % batch) * size..(cl % batch + 1) * size];
            column.fill(FAR);
            for (rank, p) in distinct.iter().enumerate() {
                if cluster_of(rank) != cl {
                    continue;
                }
                // Every combination of the projection's ranges, odometer style.
                let mut at: Vec<usize> = p.iter().map(|&(a, _)| a).collect();
                loop {
                    let k: usize = at
                        .iter()
                        .zip(&strides)
                        .map(|(&l, &s)| l as u64 * s)
                        .sum::<u64>() as usize;
                    if open[k] && column[k] != 0 {
                        column[k] = 0;
                        queue.push(k);
                    }
                    let Some(j) = (0..at.len()).rev().find(|&j| at[j] < p[j].1) else {
                        break;
                    };
                    at[j] += 1;
                    for (x, &(a, _)) in at.iter_mut().zip(p).skip(j + 1) {
                        *x = a;
                    }
                }
            }
            // Breadth first, backward from the projection (moves are symmetric).
            let mut head = 0;
            while head < queue.len() {
                let into = queue[head];
                head += 1;
                let next = column[into].saturating_add(1).min(FAR - 1);
                let mut m = moves[into];
                while m != 0 {
                    let bit = m.trailing_zeros() as usize;
                    m &= m - 1;
                    let s = strides[bit / 2] as usize;
                    let from = if bit.is_multiple_of(2) {
                        into - s
                    } else {
                        into + s
                    };
                    if column[from] == FAR {
                        column[from] = next;
                        queue.push(from);
                    }
                }
            }
            if cl % batch + 1 == batch || cl + 1 == clusters {
                let first = cl - cl % batch;
                for (k, row) in table.chunks_exact_mut(clusters).enumerate() {
                    for (c, out) in row[first..=cl].iter_mut().enumerate() {
                        *out = columns[c * size + k];
                    }
                }
            }
        }
        Ok(BoxGroup {
            issues: issues.to_vec(),
            strides,
            clusters,
            of_box,
            table,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::zone::{Engine, find_zones_compiled};
    use crate::config::Limits;
    use crate::space::CompiledScenario;
    use crate::synthetic::{Regime, Synthetic};
    use std::collections::VecDeque;

    /// Brute force: the fewest moves from every state into `zone` through open states
    /// (`u32::MAX`: none), by breadth-first search backward from the zone's open states.
    fn exact(walls: &Walls, zone: &crate::analysis::zone::DealZone) -> Vec<u32> {
        let space = walls.c.space();
        let mut d = vec![u32::MAX; space.size() as usize];
        let mut queue = VecDeque::new();
        for &z in &zone.states {
            if walls.open(z, &space.decode(z)) {
                d[z as usize] = 0;
                queue.push_back(z);
            }
        }
        while let Some(s) = queue.pop_front() {
            let levels = space.decode(s);
            for (_, _, _, t) in walls.open_neighbours(&levels) {
                if d[t as usize] == u32::MAX {
                    d[t as usize] = d[s as usize] + 1;
                    queue.push_back(t);
                }
            }
        }
        d
    }

    /// What [`check`] met: whether the groups held every rule with a cluster per box
    /// (so the bound must be exact), whether a rule was split, whether boxes whose
    /// projections differ shared a cluster (the budget's doing).
    #[derive(Default)]
    struct Met {
        exact: usize,
        split: usize,
        clustered: usize,
    }

    /// On every open state of scenario `seed` (`issues` issues of `levels` levels,
    /// `preconditions` preconditions) and each of its zones, for the groups `groups`
    /// and table budgets of `budgets` clusters per group: the bound is at most the brute-force fewest moves
    /// into the zone (admissible), `None` only where the zone cannot be reached, zero on
    /// the zone's open states, and changes by at most one along every move between open
    /// states (consistent); exact when the groups hold every precondition and every box
    /// has its own cluster.
    fn check(
        (issues, levels, preconditions, seed): (usize, usize, usize, u64),
        groups: &[Vec<usize>],
        budgets: &[u64],
        met: &mut Met,
    ) {
        let g = Synthetic::new(issues, levels, Regime::Reservations, seed)
            .with_preconditions(preconditions);
        let s = g.scenario().unwrap();
        let limits = Limits::default();
        let c = CompiledScenario::new(&s, &limits).unwrap();
        let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
        let walls = Walls::all(&c, &limits);
        let space = c.space();
        let holds = c.preconditions().iter().all(|r| {
            groups
                .iter()
                .any(|g| r.issues().iter().all(|i| g.contains(i)))
        });
        // Entries one cluster per group of several issues takes.
        let total: u64 = groups
            .iter()
            .filter(|g| g.len() > 1)
            .map(|g| g.iter().map(|&i| space.radices()[i]).product::<u64>())
            .sum();
        for zone in &zones.zones {
            let truth = exact(&walls, zone);
            for &per in budgets {
                let entries = per.saturating_mul(total);
                let none = (&Deadline::new(None), &limits);
                let built = BoxSteps::new(&walls, &zone.boxes, groups, entries, u64::MAX, none);
                let Some(b) = built.unwrap() else {
                    continue;
                };
                let shared = b.groups.iter().any(|g| g.clusters < zone.boxes.len());
                met.clustered += usize::from(b.groups.iter().any(|g| {
                    let mut distinct: Vec<Vec<(usize, usize)>> = zone
                        .boxes
                        .iter()
                        .map(|b| g.issues.iter().map(|&i| b[i]).collect())
                        .collect();
                    distinct.sort();
                    distinct.dedup();
                    g.clusters < distinct.len()
                }));
                let whole = holds && !shared;
                met.exact += usize::from(whole);
                met.split += usize::from(!holds);
                for st in 0..space.size() {
                    let levels = space.decode(st);
                    if !walls.open(st, &levels) {
                        continue;
                    }
                    let (h, t) = (b.at(&levels), truth[st as usize]);
                    match h {
                        None => assert_eq!(t, u32::MAX, "seed {seed}: {st} cut off"),
                        Some(h) => {
                            assert!(h <= t, "seed {seed}: {st} bound {h} > {t}");
                            if whole {
                                assert_eq!(h, t, "seed {seed}: {st} {groups:?}");
                            }
                        }
                    }
                    if zone.contains(st) {
                        assert_eq!(h, Some(0), "seed {seed}: zone state {st}");
                    }
                    for (_, _, next, t) in walls.open_neighbours(&levels) {
                        let Some(ht) = b.at(&next) else { continue };
                        let h = h.expect("a neighbour reaches the zone");
                        assert!(h <= ht + 1, "seed {seed}: {st} -> {t}");
                    }
                }
            }
        }
    }

    /// [`check`] for one group of every issue, for groups splitting the rules, and with
    /// budgets of one and two clusters per group, so that boxes whose projections differ
    /// share clusters; each case met at least once.
    #[test]
    fn the_per_box_bound_is_admissible_consistent_and_exact_when_groups_hold_every_rule() {
        let mut met = Met::default();
        let groupings: [Vec<Vec<usize>>; 3] = [
            vec![(0..4).collect()],
            vec![vec![0, 1], vec![2, 3]],
            vec![vec![0, 2], vec![1], vec![3]],
        ];
        for seed in 0..16 {
            for groups in &groupings {
                check((4, 5, 5, seed), groups, &[u64::MAX, 1, 2], &mut met);
            }
        }
        assert!(met.exact > 0, "no case held every rule in one group");
        assert!(met.split > 0, "no case split a rule across groups");
        assert!(met.clustered > 0, "no case shared clusters between boxes");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// [`check`] on random synthetic scenarios (2–5 issues of 2–6 levels, up to 6
        /// preconditions), with the issues dealt into random groups and a random budget
        /// (clusters per group).
        #[test]
        fn the_per_box_bound_is_admissible_and_consistent_on_random_groups(
            issues in 2usize..=5,
            levels in 2usize..=6,
            preconditions in 0usize..=6,
            seed in 0u64..1 << 32,
            deal in proptest::collection::vec(0usize..3, 5),
            per in 1u64..8,
        ) {
            let mut groups: Vec<Vec<usize>> = vec![Vec::new(); 3];
            for i in 0..issues {
                groups[deal[i]].push(i);
            }
            groups.retain(|g| !g.is_empty());
            let mut met = Met::default();
            check((issues, levels, preconditions, seed), &groups, &[per], &mut met);
        }
    }
}
