//! Naive oracles (brute-force twins) for the differential targets, ported from the
//! integration tests (`tests/zones.rs`, `tests/paths.rs`, `tests/explain.rs`,
//! `tests/bargain.rs`). They judge rules with the syntax tree (`Rule::eval`), utilities
//! with `Preferences::utility`, and search by flood fill, BFS, petgraph's Dijkstra on the
//! materialised graph, simple-path enumeration and subset enumeration. A mismatch panics,
//! which libFuzzer reports as a crash with the input that caused it.

#![allow(missing_docs, clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use dealzone::analysis::bargain::{
    self, Bargain, Candidates, PARETO_DECIMALS, count_rational, distance, egalitarian,
    genius_kalai, kalai_smorodinsky, max_welfare, nash, pareto_frontier,
};
use dealzone::analysis::path::{CostModel, ZonePath};
use dealzone::analysis::zone::{self, Zones, for_each_in_box};
use dealzone::graph::ConcessionGraph;
use dealzone::space::{CompiledScenario, RESERVATION_TOLERANCE, StateIndex, StateSpace};
use dealzone::{Limits, Scenario};

// ---- zones ----

/// Every state one rung away from `s`, by decoding and re-encoding.
pub fn naive_neighbours(space: &StateSpace, s: StateIndex) -> Vec<StateIndex> {
    let levels = space.decode(s);
    let mut out = Vec::new();
    for i in 0..levels.len() {
        for to in [levels[i].wrapping_sub(1), levels[i] + 1] {
            if to < space.radices()[i] as usize {
                let mut next = levels.clone();
                next[i] = to;
                out.push(space.encode(&next));
            }
        }
    }
    out
}

/// Utilities of the parties that have one, in party order, from the model.
pub fn naive_utilities(s: &Scenario, levels: &[usize]) -> Vec<f64> {
    s.parties()
        .iter()
        .filter_map(|p| p.preferences())
        .map(|prefs| prefs.utility(levels))
        .collect()
}

/// Whether `levels` meets every red line (from the AST) except those masked out.
pub fn naive_candidate(s: &Scenario, levels: &[usize], keep: &[bool]) -> bool {
    s.red_lines()
        .zip(keep)
        .all(|(c, &k)| !k || c.rule().eval(levels))
}

pub fn naive_reservations(s: &Scenario, levels: &[usize]) -> bool {
    s.parties()
        .iter()
        .filter_map(|p| p.preferences())
        .all(|prefs| prefs.utility(levels) >= prefs.reservation() - 1e-12)
}

pub struct Oracle {
    pub candidates: u64,
    pub acceptable: BTreeSet<StateIndex>,
    /// Components, largest first, ties by first state.
    pub components: Vec<BTreeSet<StateIndex>>,
}

/// Enumerate every state; `keep[k]` false leaves red line `k` out.
pub fn oracle_with(s: &Scenario, space: &StateSpace, keep: &[bool]) -> Oracle {
    let mut candidates = 0;
    let mut acceptable = BTreeSet::new();
    for st in 0..space.size() {
        let levels = space.decode(st);
        if naive_candidate(s, &levels, keep) {
            candidates += 1;
            if naive_reservations(s, &levels) {
                acceptable.insert(st);
            }
        }
    }
    let mut left = acceptable.clone();
    let mut components = Vec::new();
    while let Some(&start) = left.iter().next() {
        left.remove(&start);
        let mut comp = BTreeSet::from([start]);
        let mut stack = vec![start];
        while let Some(x) = stack.pop() {
            for y in naive_neighbours(space, x) {
                if left.remove(&y) {
                    comp.insert(y);
                    stack.push(y);
                }
            }
        }
        components.push(comp);
    }
    components.sort_by(|a, b| b.len().cmp(&a.len()).then(a.first().cmp(&b.first())));
    Oracle {
        candidates,
        acceptable,
        components,
    }
}

pub fn oracle(s: &Scenario, space: &StateSpace) -> Oracle {
    oracle_with(s, space, &vec![true; s.red_lines().count()])
}

pub fn compile(s: &Scenario) -> CompiledScenario {
    CompiledScenario::new(s, &Limits::default()).unwrap()
}

pub fn as_set(v: &[StateIndex]) -> BTreeSet<StateIndex> {
    v.iter().copied().collect()
}

/// Every check on one `Zones` against the oracle.
pub fn check_zones(s: &Scenario, c: &CompiledScenario, z: &Zones, o: &Oracle) {
    let space = c.space();
    assert_eq!(z.states, space.size());
    assert_eq!(z.candidates, o.candidates, "candidates");
    assert!(z.acceptable.is_sorted(), "acceptable in enumeration order");
    assert_eq!(as_set(&z.acceptable), o.acceptable, "acceptable set");
    assert_eq!(z.acceptable.len(), o.acceptable.len(), "no repeats");
    let got: Vec<BTreeSet<StateIndex>> = z.zones.iter().map(|zone| as_set(&zone.states)).collect();
    assert_eq!(got, o.components, "zones, in order");
    for zone in &z.zones {
        assert!(zone.states.is_sorted());
        assert_eq!(zone.size(), zone.states.len() as u64);
        let mut ranges: Vec<(f64, f64)> = Vec::new();
        for &st in &zone.states {
            assert!(zone.contains(st));
            let levels = space.decode(st);
            assert!(
                s.red_lines().all(|r| r.rule().eval(&levels)),
                "state {st} breaks a red line"
            );
            assert!(
                naive_reservations(s, &levels),
                "state {st} breaks a reservation"
            );
            let us = naive_utilities(s, &levels);
            if ranges.is_empty() {
                ranges = us.iter().map(|&u| (u, u)).collect();
            }
            for (r, u) in ranges.iter_mut().zip(us) {
                r.0 = r.0.min(u);
                r.1 = r.1.max(u);
            }
        }
        assert_eq!(zone.utility.len(), ranges.len());
        for (got, want) in zone.utility.iter().zip(&ranges) {
            assert!(
                (got.0 - want.0).abs() <= 1e-12 && (got.1 - want.1).abs() <= 1e-12,
                "utility range {got:?} != {want:?}"
            );
        }
        check_boxes(space, zone);
    }
}

/// The boxes of a zone are within the space, pairwise disjoint, and cover exactly the zone.
pub fn check_boxes(space: &StateSpace, zone: &zone::DealZone) {
    let mut count: BTreeMap<StateIndex, usize> = BTreeMap::new();
    for b in &zone.boxes {
        assert_eq!(b.len(), space.issues());
        for (i, &(lo, hi)) in b.iter().enumerate() {
            assert!(lo <= hi && (hi as u64) < space.radices()[i], "box {b:?}");
        }
        for_each_in_box(b, space, |st| *count.entry(st).or_default() += 1);
        // Also count the box's states by hand, to check `for_each_in_box` itself.
        let by_hand: u64 = b.iter().map(|&(lo, hi)| (hi - lo + 1) as u64).product();
        let mut seen = 0u64;
        for_each_in_box(b, space, |_| seen += 1);
        assert_eq!(seen, by_hand);
    }
    assert!(
        count.values().all(|&k| k == 1),
        "boxes overlap: {:?}",
        zone.boxes
    );
    let covered: BTreeSet<StateIndex> = count.keys().copied().collect();
    assert_eq!(covered, as_set(&zone.states), "boxes {:?}", zone.boxes);
}

// ---- paths ----

/// Whether `levels` meets every precondition (from the AST) kept by `keep`.
pub fn meets(s: &Scenario, levels: &[usize], keep: &[bool]) -> bool {
    s.preconditions()
        .zip(keep)
        .all(|(c, &k)| !k || c.rule().eval(levels))
}

/// Breadth-first distances from the status quo over states meeting the kept preconditions;
/// empty when the status quo breaks one.
pub fn bfs(s: &Scenario, space: &StateSpace, keep: &[bool]) -> BTreeMap<StateIndex, usize> {
    let start = space.encode(s.status_quo());
    let mut dist = BTreeMap::new();
    if !meets(s, s.status_quo(), keep) {
        return dist;
    }
    dist.insert(start, 0);
    let mut queue = VecDeque::from([start]);
    while let Some(x) = queue.pop_front() {
        for y in naive_neighbours(space, x) {
            if !dist.contains_key(&y) && meets(s, &space.decode(y), keep) {
                dist.insert(y, dist[&x] + 1);
                queue.push_back(y);
            }
        }
    }
    dist
}

/// Each party's utility drop (≥ 0) moving from `a` to `b`.
pub fn drops(s: &Scenario, space: &StateSpace, a: StateIndex, b: StateIndex) -> Vec<f64> {
    let before = naive_utilities(s, &space.decode(a));
    let after = naive_utilities(s, &space.decode(b));
    before
        .iter()
        .zip(&after)
        .map(|(x, y)| (x - y).max(0.0))
        .collect()
}

/// The smallest `max_p total_p` over every simple path from the status quo into `zone`,
/// every state on it meeting every precondition. `None` when there is no such path.
pub fn fairest_twin(s: &Scenario, space: &StateSpace, zone: &BTreeSet<StateIndex>) -> Option<f64> {
    let keep = vec![true; s.preconditions().count()];
    if !meets(s, s.status_quo(), &keep) {
        return None;
    }
    let start = space.encode(s.status_quo());
    let parties = naive_utilities(s, s.status_quo()).len();
    let mut best = None;
    let mut on_path = BTreeSet::from([start]);
    dfs(
        s,
        space,
        zone,
        &keep,
        start,
        &vec![0.0; parties],
        &mut on_path,
        &mut best,
    );
    best
}

#[allow(clippy::too_many_arguments)]
pub fn dfs(
    s: &Scenario,
    space: &StateSpace,
    zone: &BTreeSet<StateIndex>,
    keep: &[bool],
    x: StateIndex,
    totals: &[f64],
    on_path: &mut BTreeSet<StateIndex>,
    best: &mut Option<f64>,
) {
    let worst = totals.iter().copied().fold(0.0, f64::max);
    // Totals never fall along a path: nothing past here can beat the best found.
    if best.is_some_and(|b| worst >= b) {
        return;
    }
    if zone.contains(&x) {
        *best = Some(worst);
        return;
    }
    for y in naive_neighbours(space, x) {
        if on_path.contains(&y) || !meets(s, &space.decode(y), keep) {
            continue;
        }
        let next: Vec<f64> = totals
            .iter()
            .zip(drops(s, space, x, y))
            .map(|(t, d)| t + d)
            .collect();
        on_path.insert(y);
        dfs(s, space, zone, keep, y, &next, on_path, best);
        on_path.remove(&y);
    }
}

/// The cheapest total concession into `zone` by petgraph's Dijkstra on the materialised
/// graph; also checks the materialised graph against the naive one.
pub fn dijkstra_cost(
    s: &Scenario,
    c: &CompiledScenario,
    zone: &BTreeSet<StateIndex>,
) -> Option<f64> {
    let space = c.space();
    let g = ConcessionGraph::respecting_preconditions(c)
        .materialise(c.status_quo(), space.size() + 1)
        .unwrap();
    let keep = vec![true; s.preconditions().count()];
    let reach = bfs(s, space, &keep);
    let nodes: BTreeSet<StateIndex> = g.node_weights().copied().collect();
    assert_eq!(nodes.len(), g.node_count(), "a state materialised twice");
    assert_eq!(nodes, reach.keys().copied().collect(), "materialised nodes");
    for e in g.edge_indices() {
        let (a, b) = g.edge_endpoints(e).unwrap();
        let want: f64 = drops(s, space, g[a], g[b]).iter().sum();
        assert!((g[e].cost() - want).abs() <= 1e-12, "edge cost");
    }
    let start = g.node_indices().find(|&n| g[n] == c.status_quo())?;
    let dist = petgraph::algo::dijkstra(&g, start, None, |e| e.weight().cost());
    dist.iter()
        .filter(|(n, _)| zone.contains(&g[**n]))
        .map(|(_, &d)| d)
        .min_by(f64::total_cmp)
}

/// The checks every path must pass, whatever the model.
pub fn check_path(
    s: &Scenario,
    c: &CompiledScenario,
    zones: &Zones,
    k: usize,
    p: &ZonePath,
    model: CostModel,
) {
    let space = c.space();
    let zone: BTreeSet<StateIndex> = zones.zones[k].states.iter().copied().collect();
    let all = vec![true; s.preconditions().count()];
    let reach = bfs(s, space, &all);
    assert_eq!(p.zone, k);
    let really = zone.iter().any(|z| reach.contains_key(z));
    assert_eq!(p.reachable, really, "{model:?}: zone {k} reachability");
    if !p.reachable {
        assert_eq!(p.cost, None);
        assert!(p.states.is_empty() && p.steps.is_empty());
        check_blocked_by(s, space, &zone, &p.blocked_by);
        // The materialised graph agrees: no zone state in it.
        let g = ConcessionGraph::respecting_preconditions(c)
            .materialise(c.status_quo(), space.size() + 1)
            .unwrap();
        assert!(g.node_weights().all(|st| !zone.contains(st)));
        return;
    }
    assert!(p.blocked_by.is_empty());
    assert_eq!(
        p.states.first(),
        Some(&c.status_quo()),
        "starts at the status quo"
    );
    assert!(zone.contains(p.states.last().unwrap()), "ends in its zone");
    assert_eq!(p.steps.len(), p.states.len() - 1);
    let mut totals = vec![0.0; naive_utilities(s, s.status_quo()).len()];
    for &st in &p.states {
        assert!(
            meets(s, &space.decode(st), &all),
            "state {st} breaks a precondition"
        );
    }
    for (w, step) in p.states.windows(2).zip(&p.steps) {
        let (a, b) = (space.decode(w[0]), space.decode(w[1]));
        let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        assert_eq!(changed.len(), 1, "one issue per step: {a:?} -> {b:?}");
        let i = changed[0];
        assert_eq!(a[i].abs_diff(b[i]), 1, "one rung per step");
        assert_eq!((step.issue, step.from, step.to), (i, a[i], b[i]));
        let (ua, ub) = (naive_utilities(s, &a), naive_utilities(s, &b));
        let conceders: Vec<usize> = (0..ua.len()).filter(|&q| ub[q] < ua[q]).collect();
        assert_eq!(step.conceders, conceders);
        for (q, d) in step.deltas.iter().enumerate() {
            assert!((d - (ub[q] - ua[q])).abs() <= 1e-12);
        }
        for (t, d) in totals.iter_mut().zip(drops(s, space, w[0], w[1])) {
            *t += d;
        }
    }
    for (got, want) in p.concessions.iter().zip(&totals) {
        assert!(
            (got - want).abs() <= 1e-9,
            "concessions {:?} != {totals:?}",
            p.concessions
        );
    }
    let own = match model {
        CostModel::TotalConcession => totals.iter().sum(),
        CostModel::FewestSteps => p.steps.len() as f64,
        CostModel::Fairest => totals.iter().copied().fold(0.0, f64::max),
    };
    let cost = p.cost.unwrap();
    assert!(
        (cost - own).abs() <= 1e-9,
        "{model:?}: cost {cost} != {own}"
    );
    match model {
        CostModel::TotalConcession => {
            let best = dijkstra_cost(s, c, &zone).unwrap();
            assert!(
                (cost - best).abs() <= 1e-9,
                "total: {cost} != dijkstra {best}"
            );
        }
        CostModel::FewestSteps => {
            let best = zone.iter().filter_map(|z| reach.get(z)).min().unwrap();
            assert_eq!(p.steps.len(), *best, "fewest steps != BFS distance");
        }
        CostModel::Fairest => {}
    }
}

/// `blocked_by` is sorted, names preconditions, and is minimal: removing exactly those
/// makes the zone reachable; putting any one back walls it off again.
pub fn check_blocked_by(
    s: &Scenario,
    space: &StateSpace,
    zone: &BTreeSet<StateIndex>,
    blocked_by: &[String],
) {
    let names: Vec<String> = s.preconditions().map(|c| c.name()).collect();
    assert!(blocked_by.is_sorted(), "{blocked_by:?} sorted");
    assert!(!blocked_by.is_empty(), "an unreachable zone names its wall");
    let reaches = |removed: &BTreeSet<&str>| {
        let keep: Vec<bool> = names
            .iter()
            .map(|n| !removed.contains(n.as_str()))
            .collect();
        let reach = bfs(s, space, &keep);
        zone.iter().any(|z| reach.contains_key(z))
    };
    let set: BTreeSet<&str> = blocked_by.iter().map(String::as_str).collect();
    assert_eq!(set.len(), blocked_by.len(), "no repeats");
    for b in &set {
        assert!(names.iter().any(|n| n == b), "{b} is a precondition");
    }
    assert!(
        reaches(&set),
        "removing {blocked_by:?} does not reach the zone"
    );
    for b in &set {
        let mut fewer = set.clone();
        fewer.remove(b);
        assert!(
            !reaches(&fewer),
            "{blocked_by:?} is not minimal: {b} is not needed"
        );
    }
}

// ---- explain ----

/// The constraints an explanation ranges over: red lines, then reservations.
pub fn items(s: &Scenario) -> Vec<String> {
    let mut v: Vec<String> = s.red_lines().map(|c| c.name()).collect();
    v.extend(
        s.parties()
            .iter()
            .filter(|p| p.preferences().is_some())
            .map(|p| format!("{}/reservation", p.id())),
    );
    v
}

/// Whether some state meets every constraint named in `keep`, by scanning the space.
pub fn naive_consistent(s: &Scenario, keep: &[&str]) -> bool {
    let space = StateSpace::new(s, u64::MAX).unwrap();
    (0..space.size()).any(|st| {
        let levels = space.decode(st);
        s.red_lines()
            .all(|c| !keep.contains(&c.name().as_str()) || c.rule().eval(&levels))
            && s.parties().iter().all(|p| match p.preferences() {
                Some(pr) if keep.contains(&format!("{}/reservation", p.id()).as_str()) => {
                    pr.utility(&levels) >= pr.reservation() - RESERVATION_TOLERANCE
                }
                _ => true,
            })
    })
}

pub fn subsets(n: usize) -> impl Iterator<Item = Vec<usize>> {
    (0u32..1 << n).map(move |m| (0..n).filter(|k| m >> k & 1 == 1).collect())
}

/// All minimal conflicts and relaxations by enumerating every subset.
pub fn brute_sets(s: &Scenario) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let names = items(s);
    let n = names.len();
    let consistent: Vec<bool> = subsets(n)
        .map(|set| {
            let keep: Vec<&str> = set.iter().map(|&k| names[k].as_str()).collect();
            naive_consistent(s, &keep)
        })
        .collect();
    let mask = |set: &[usize]| set.iter().fold(0usize, |m, &k| m | 1 << k);
    let full = (1usize << n) - 1;
    let mut conflicts = Vec::new();
    let mut relaxations = Vec::new();
    for set in subsets(n) {
        let m = mask(&set);
        // Conflict: inconsistent, every one-smaller subset consistent.
        if !consistent[m] && set.iter().all(|&k| consistent[m & !(1 << k)]) && !set.is_empty() {
            conflicts.push(sorted_names(&set, &names));
        }
        // Relaxation: removing it is consistent, removing any one-smaller subset is not.
        if consistent[full & !m]
            && !set.is_empty()
            && set.iter().all(|&k| !consistent[full & !(m & !(1 << k))])
        {
            relaxations.push(sorted_names(&set, &names));
        }
    }
    if consistent[full] {
        return (Vec::new(), Vec::new());
    }
    conflicts.sort();
    relaxations.sort();
    (conflicts, relaxations)
}

pub fn sorted_names(set: &[usize], names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = set.iter().map(|&k| names[k].clone()).collect();
    v.sort();
    v
}

// ---- bargain ----

const TIE: f64 = 1e-12;

pub fn round9(x: f64) -> f64 {
    let scale = 10f64.powi(PARETO_DECIMALS);
    (x * scale).round() / scale
}

/// All-pairs filter: `q` dominates `p` when it is ≥ in all and > in one, at 9 decimals.
pub fn brute_pareto(rows: &[Vec<f64>]) -> Vec<usize> {
    let r: Vec<Vec<f64>> = rows
        .iter()
        .map(|u| u.iter().map(|&x| round9(x)).collect())
        .collect();
    (0..r.len())
        .filter(|&p| {
            !(0..r.len()).any(|q| {
                r[q].iter().zip(&r[p]).all(|(a, b)| a >= b)
                    && r[q].iter().zip(&r[p]).any(|(a, b)| a > b)
            })
        })
        .collect()
}

pub fn rational(u: &[f64], res: &[f64]) -> bool {
    u.iter().zip(res).all(|(&u, &r)| u > r + 1e-12)
}

/// The first index whose value is within 1e-12 of the largest, among `eligible` indices.
pub fn brute_argmax(values: &[(usize, f64)]) -> Option<usize> {
    let mut best = f64::NEG_INFINITY;
    for &(_, v) in values {
        if v > best {
            best = v;
        }
    }
    for &(k, v) in values {
        if v >= best - TIE {
            return Some(k);
        }
    }
    None
}

pub fn brute_nash(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
    let mut scored = Vec::new();
    for (k, u) in rows.iter().enumerate() {
        if rational(u, res) {
            let mut prod = 1.0;
            for p in 0..res.len() {
                prod *= u[p] - res[p];
            }
            scored.push((k, prod));
        }
    }
    brute_argmax(&scored)
}

pub fn brute_ks(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
    let mut max = vec![f64::NEG_INFINITY; res.len()];
    for u in rows {
        for p in 0..res.len() {
            max[p] = max[p].max(u[p]);
        }
    }
    let mut scored = Vec::new();
    for (k, u) in rows.iter().enumerate() {
        if rational(u, res) {
            let mut ratio = 1.0f64;
            for p in 0..res.len() {
                ratio = ratio.min((u[p] - res[p]) / (max[p] - res[p]));
            }
            scored.push((k, ratio));
        }
    }
    let best = scored.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
    let tied: Vec<(usize, f64)> = scored
        .iter()
        .filter(|s| s.1 >= best - TIE)
        .map(|&(k, _)| (k, rows[k].iter().sum()))
        .collect();
    brute_argmax(&tied)
}

/// GENIUS's Kalai: among the brute-force frontier, least `Σ_{p<q} |u_p − u_q|` (as the
/// argmax of its negation).
pub fn brute_genius_kalai(rows: &[Vec<f64>]) -> Option<usize> {
    let scored: Vec<(usize, f64)> = brute_pareto(rows)
        .into_iter()
        .map(|k| {
            let u = &rows[k];
            let mut a = 0.0;
            for p in 0..u.len() {
                for q in p + 1..u.len() {
                    a += (u[p] - u[q]).abs();
                }
            }
            (k, -a)
        })
        .collect();
    brute_argmax(&scored)
}

pub fn brute_egalitarian(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
    let scored: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let gain = (0..res.len())
                .map(|p| u[p] - res[p])
                .fold(f64::INFINITY, f64::min);
            (k, gain)
        })
        .collect();
    brute_argmax(&scored)
}

pub fn brute_welfare(rows: &[Vec<f64>]) -> Option<usize> {
    let scored: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .map(|(k, u)| (k, u.iter().sum()))
        .collect();
    brute_argmax(&scored)
}

pub fn candidates(rows: &[Vec<f64>], res: &[f64]) -> Candidates {
    let states: Vec<StateIndex> = (0..rows.len() as u64).map(|k| 3 * k + 1).collect();
    Candidates::from_rows(states, rows, res.to_vec()).unwrap()
}

pub fn check_all(rows: &[Vec<f64>], res: &[f64]) {
    let c = candidates(rows, res);
    let front = pareto_frontier(&c);
    assert_eq!(front, brute_pareto(rows), "frontier of {rows:?}");
    let row = |s: Option<bargain::Solution>| s.map(|s| s.row);
    assert_eq!(row(nash(&c)), brute_nash(rows, res), "nash");
    assert_eq!(row(kalai_smorodinsky(&c)), brute_ks(rows, res), "ks");
    assert_eq!(
        row(egalitarian(&c)),
        brute_egalitarian(rows, res),
        "egalitarian"
    );
    assert_eq!(row(max_welfare(&c)), brute_welfare(rows), "max welfare");
    assert_eq!(
        row(genius_kalai(&c, &front)),
        brute_genius_kalai(rows),
        "genius kalai"
    );
    assert_eq!(
        count_rational(&c, &front),
        front.iter().filter(|&&k| rational(&rows[k], res)).count()
    );
    let b = Bargain::new(c);
    assert_eq!(
        b.zone_size as usize,
        rows.iter()
            .filter(|u| u.iter().zip(res).all(|(&u, &r)| u >= r - 1e-12))
            .count()
    );
    // Distances: 0 on the frontier, otherwise the smallest distance to a frontier row.
    for u in rows.iter().take(8) {
        let want = front
            .iter()
            .map(|&k| distance(&rows[k], u))
            .fold(f64::INFINITY, f64::min);
        assert_eq!(
            b.distance_to_frontier(u),
            Some(want).filter(|_| !front.is_empty())
        );
    }
    // (The Nash point need not be on the frontier: when the best products are below
    // 1e-12, dominated rows tie with it and the first tied row wins.)
    if let Some(n) = &b.nash {
        assert_eq!(b.distance_to_nash(&n.utilities), Some(0.0));
    }
}

/// Candidates by decoding every state and judging red lines with the rule's syntax tree.
pub fn naive_candidates(s: &Scenario) -> (Vec<StateIndex>, Vec<Vec<f64>>) {
    let space = dealzone::space::StateSpace::new(s, u64::MAX).unwrap();
    let mut states = Vec::new();
    let mut rows = Vec::new();
    for st in 0..space.size() {
        let levels = space.decode(st);
        if s.red_lines().all(|c| c.rule().eval(&levels)) {
            states.push(st);
            rows.push(
                s.parties()
                    .iter()
                    .filter_map(|p| p.preferences())
                    .map(|p| p.utility(&levels))
                    .collect(),
            );
        }
    }
    (states, rows)
}
