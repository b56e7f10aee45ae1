//! Concession paths: every cost model against a twin written here, on random scenarios,
//! small scenarios shaped so that fairness matters, and random mazes.
//!
//! Preconditions are judged with the rule's syntax tree, reachability and step counts by a
//! naive breadth-first search, total concession by petgraph's `dijkstra` on the
//! materialised graph, the fairest cost by enumerating every simple path (spaces of at most
//! 30 states), and `blocked_by` by re-running the search without each named precondition.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use dealzone::analysis::path::{
    CostModel, UNITS_PER_UTILITY, ZonePath, least_blocking_path, paths,
};
use dealzone::analysis::zone::{Engine, Zones, find_zones_compiled};
use dealzone::graph::ConcessionGraph;
use dealzone::space::{
    CompiledScenario, PreconditionRegion, RegionQuotient, StateIndex, StateSpace,
};
use dealzone::{Limits, Scenario};
use proptest::prelude::*;

use crate::zones::{
    GenExpr, GenParty, GenRule, GenScenario, compile, gen_scenario, gen_value, naive_neighbours,
    naive_utilities,
};

const MODELS: [CostModel; 3] = [
    CostModel::TotalConcession,
    CostModel::FewestSteps,
    CostModel::Fairest,
];

/// Whether `levels` meets every precondition (from the AST) kept by `keep`.
fn meets(s: &Scenario, levels: &[usize], keep: &[bool]) -> bool {
    s.preconditions()
        .zip(keep)
        .all(|(c, &k)| !k || c.rule().eval(levels))
}

/// Breadth-first distances from the status quo over states meeting the kept preconditions;
/// empty when the status quo breaks one.
fn bfs(s: &Scenario, space: &StateSpace, keep: &[bool]) -> BTreeMap<StateIndex, usize> {
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
fn drops(s: &Scenario, space: &StateSpace, a: StateIndex, b: StateIndex) -> Vec<f64> {
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
fn fairest_twin(s: &Scenario, space: &StateSpace, zone: &BTreeSet<StateIndex>) -> Option<f64> {
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
fn dfs(
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
fn dijkstra_cost(s: &Scenario, c: &CompiledScenario, zone: &BTreeSet<StateIndex>) -> Option<f64> {
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
fn check_path(
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
fn check_blocked_by(
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

/// `x_0 + x_1 + … >= k` over every issue, as a disjunction of `x_0 >= j_0 and x_1 >= j_1
/// and …` over the splits `j_0 + j_1 + … = k`.
fn sum_at_least(radices: &[usize], k: usize) -> GenExpr {
    let size: usize = radices.iter().product();
    let mut terms = Vec::new();
    for mut x in 0..size {
        let mut split = vec![0; radices.len()];
        for i in (0..radices.len()).rev() {
            split[i] = x % radices[i];
            x /= radices[i];
        }
        if split.iter().sum::<usize>() != k {
            continue;
        }
        let term = (0..radices.len())
            .map(|i| GenExpr::Cmp(i, 5, split[i]))
            .reduce(|a, b| GenExpr::Bin(0, Box::new(a), Box::new(b)))
            .unwrap();
        terms.push(term);
    }
    terms
        .into_iter()
        .reduce(|a, b| GenExpr::Bin(1, Box::new(a), Box::new(b)))
        .unwrap()
}

/// Small scenarios where fairness can differ from total concession: two or three parties,
/// every one with a utility. Three times in four the scenario is reshaped so that many
/// routes of different shapes lead into the zone: 2–3 issues of 2–5 levels (at most 30
/// states), the status quo at the bottom, reservations 0, and one red line "the levels sum
/// to at least k" (k ≥ 1), so that a route may spread its moves over several issues; the
/// random preconditions stay, go, or give way to random rectangular walls.
fn gen_fair_scenario() -> impl Strategy<Value = GenScenario> {
    (
        gen_scenario(30),
        prop::collection::vec(2..=5usize, 2..=3),
        0..12usize,
        prop::bool::weighted(0.75),
        0..3usize,
        prop::collection::vec(
            (
                (0..6usize, 0..6usize),
                prop::collection::vec(0..5usize, 1..=3),
                prop::collection::vec(0..5usize, 1..=3),
            ),
            1..=4,
        ),
    )
        .prop_filter("two parties or more", |(g, ..)| g.parties.len() >= 2)
        .prop_map(|(mut g, radices, k, far, preconditions, walls)| {
            for p in &mut g.parties {
                p.has_utility = true;
            }
            if !far {
                return g;
            }
            g.radices = Vec::new();
            for r in radices {
                if g.radices.iter().product::<usize>() * r <= 30 {
                    g.radices.push(r);
                }
            }
            let n = g.radices.len();
            for p in &mut g.parties {
                p.reservation = 0.0;
                p.reservation_at_anchor = false;
            }
            g.status_quo = vec![0; n];
            g.anchor = vec![0; n];
            let top: usize = g.radices.iter().map(|r| r - 1).sum();
            let rule = GenRule {
                issues: (0..n).collect(),
                expr: sum_at_least(&g.radices, 1 + k % top),
                repair: false,
            };
            g.red_lines = vec![(0, rule)];
            match preconditions {
                0 => {}
                1 => g.preconditions.clear(),
                _ => {
                    // Walls: each forbids a rectangle `x_i in A and x_j in B`, with a hole
                    // where the status quo's row crosses it.
                    g.preconditions = walls
                        .into_iter()
                        .map(|((i, j), a, b)| {
                            let rect = GenExpr::Bin(
                                0,
                                Box::new(GenExpr::In(0, a)),
                                Box::new(GenExpr::In(1, b)),
                            );
                            let rule = GenRule {
                                issues: vec![i, j],
                                expr: GenExpr::Not(Box::new(rect)),
                                repair: true,
                            };
                            (0, rule)
                        })
                        .collect();
                }
            }
            g
        })
}

/// `x_i in {lo..=hi}`.
fn range(slot: usize, lo: usize, hi: usize) -> GenExpr {
    GenExpr::In(slot, (lo..=hi).collect())
}

/// Mazes: two issues of 4–10 levels, a zone that is a box set by one red line, and walls:
/// straight segments (those that would cover the status quo left out) forbidden by two
/// preconditions. Reservations are 0.
fn gen_maze_scenario() -> impl Strategy<Value = GenScenario> {
    let party = (
        any::<bool>(),
        prop::collection::vec(0.0..1.0f64, 6),
        prop::collection::vec(prop::collection::vec(gen_value(), 10), 6),
    );
    let segment = (any::<bool>(), 0..10usize, 0..10usize, 1..=8usize);
    (
        (4..=10usize, 4..=10usize),
        prop::collection::vec(party, 1..=3),
        (0..10usize, 0..10usize, 0..3usize, 0..3usize),
        prop::collection::vec(segment, 1..=6),
        (0..10usize, 0..10usize),
    )
        .prop_map(|((r0, r1), parties, zone, segments, (s0, s1))| {
            let radices = vec![r0, r1];
            let status_quo = vec![s0 % r0, s1 % r1];
            let mut parties: Vec<GenParty> = parties
                .into_iter()
                .map(|(has_utility, weights, values)| GenParty {
                    has_utility,
                    weights,
                    values,
                    reservation: 0.0,
                    reservation_at_anchor: false,
                })
                .collect();
            parties[0].has_utility = true;
            // A rectangle `x0 in lo.0..=hi.0 and x1 in lo.1..=hi.1`.
            // Empty (`false`) when `lo > hi` somewhere.
            let rect = |lo: (usize, usize), hi: (usize, usize)| {
                let hi = (hi.0.min(r0 - 1), hi.1.min(r1 - 1));
                if lo.0 > hi.0 || lo.1 > hi.1 {
                    return (GenExpr::Const(false), false);
                }
                let covers_sq = (lo.0..=hi.0).contains(&status_quo[0])
                    && (lo.1..=hi.1).contains(&status_quo[1]);
                let expr = GenExpr::Bin(
                    0,
                    Box::new(range(0, lo.0, hi.0)),
                    Box::new(range(1, lo.1, hi.1)),
                );
                (expr, covers_sq)
            };
            let rule = |expr| GenRule {
                issues: vec![0, 1],
                expr,
                repair: false,
            };
            let (z0, z1, e0, e1) = zone;
            let (z0, z1) = (z0 % r0, z1 % r1);
            let zone = rect((z0, z1), (z0 + e0, z1 + e1)).0;
            let mut walls: [Option<GenExpr>; 2] = [None, None];
            for (k, (across, at, from, len)) in segments.into_iter().enumerate() {
                let (seg, covers_sq) = match (across, len) {
                    // A whole line but for a gap of one level.
                    (true, 5..) => {
                        let (x, gap) = (at % r0, from % r1);
                        let (a, a_sq) = match gap.checked_sub(1) {
                            Some(end) => rect((x, 0), (x, end)),
                            None => (GenExpr::Const(false), false),
                        };
                        let (b, b_sq) = rect((x, gap + 1), (x, r1));
                        (GenExpr::Bin(1, Box::new(a), Box::new(b)), a_sq || b_sq)
                    }
                    (false, 5..) => {
                        let (y, gap) = (at % r1, from % r0);
                        let (a, a_sq) = match gap.checked_sub(1) {
                            Some(end) => rect((0, y), (end, y)),
                            None => (GenExpr::Const(false), false),
                        };
                        let (b, b_sq) = rect((gap + 1, y), (r0, y));
                        (GenExpr::Bin(1, Box::new(a), Box::new(b)), a_sq || b_sq)
                    }
                    (true, _) => rect((at % r0, from % r1), (at % r0, from % r1 + len)),
                    (false, _) => rect((from % r0, at % r1), (from % r0 + len, at % r1)),
                };
                if covers_sq {
                    continue;
                }
                let w = &mut walls[k % 2];
                *w = Some(match w.take() {
                    None => seg,
                    Some(prev) => GenExpr::Bin(1, Box::new(prev), Box::new(seg)),
                });
            }
            let preconditions = walls
                .into_iter()
                .enumerate()
                .filter_map(|(k, w)| Some((k, rule(GenExpr::Not(Box::new(w?))))))
                .collect();
            GenScenario {
                anchor: status_quo.clone(),
                radices,
                parties,
                red_lines: vec![(0, rule(zone))],
                preconditions,
                status_quo,
            }
        })
}

fn zones_of(c: &CompiledScenario) -> Zones {
    find_zones_compiled(c, Engine::Auto, &Limits::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every model: valid paths from the status quo, costs equal the twins' (Dijkstra on
    /// the materialised graph, BFS), unreachable zones really are, `blocked_by` minimal.
    #[test]
    fn paths_are_valid_and_optimal(g in gen_scenario(100_000)) {
        let s = g.scenario();
        let c = compile(&s);
        let zones = zones_of(&c);
        let mut reach = Vec::new();
        for model in MODELS {
            let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
            prop_assert_eq!(ps.len(), zones.zones.len());
            for (k, p) in ps.iter().enumerate() {
                check_path(&s, &c, &zones, k, p, model);
            }
            reach.push(ps.iter().map(|p| (p.reachable, p.blocked_by.clone())).collect::<Vec<_>>());
        }
        prop_assert_eq!(&reach[0], &reach[1]);
        prop_assert_eq!(&reach[1], &reach[2]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The fairest path's cost equals the best over every simple path (small spaces).
    #[test]
    fn fairest_matches_simple_path_enumeration(g in gen_fair_scenario()) {
        let s = g.scenario();
        let c = compile(&s);
        let zones = zones_of(&c);
        let ps = paths(&c, &zones, CostModel::Fairest, &Limits::default()).unwrap();
        for (k, p) in ps.iter().enumerate() {
            check_path(&s, &c, &zones, k, p, CostModel::Fairest);
            let zone: BTreeSet<StateIndex> = zones.zones[k].states.iter().copied().collect();
            let twin = fairest_twin(&s, c.space(), &zone);
            match (p.cost, twin) {
                (None, None) => {}
                (Some(got), Some(want)) => prop_assert!(
                    (got - want).abs() <= 1e-9,
                    "fairest {} != twin {}\n{}", got, want, g.to_toml()
                ),
                (got, want) => prop_assert!(false, "fairest {:?} vs twin {:?}", got, want),
            }
        }
        // The other models on the same small spaces, for good measure.
        for model in [CostModel::TotalConcession, CostModel::FewestSteps] {
            let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
            for (k, p) in ps.iter().enumerate() {
                check_path(&s, &c, &zones, k, p, model);
            }
        }
    }
}

/// Two ways into the zone: moving `a` costs `p` 0.3 alone; moving `b` costs `p` and `q`
/// 0.2 each. Total concession takes `a` (0.3 < 0.4); the fairest takes `b` (0.2 < 0.3).
#[test]
fn fairest_and_cheapest_part_ways() {
    let s = Scenario::from_toml_str(
        r#"
name = "fair"
[issues]
a = ["a0", "a1"]
b = ["b0", "b1"]
[status_quo]
a = "a0"
b = "b0"
[parties.p]
weights = { a = 0.5, b = 0.5 }
values = { a = [1, 0.4], b = [1, 0.6] }
red_lines = [{ id = "move", rule = "a == a1 or b == b1" }]
[parties.q]
weights = { a = 0.5, b = 0.5 }
values = { a = [0, 1], b = [1, 0.6] }
"#,
        "fair.toml",
    )
    .unwrap();
    let c = compile(&s);
    let zones = zones_of(&c);
    assert_eq!(zones.zones.len(), 1);
    let end = |model| {
        let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
        check_path(&s, &c, &zones, 0, &ps[0], model);
        let p = &ps[0];
        (
            s.level_names(&c.space().decode(*p.states.last().unwrap())),
            p.cost.unwrap(),
            p.concessions.clone(),
        )
    };
    let (at, cost, con) = end(CostModel::TotalConcession);
    assert_eq!(at, [("a", "a1"), ("b", "b0")]);
    assert!((cost - 0.3).abs() < 1e-12 && (con[0] - 0.3).abs() < 1e-12 && con[1] == 0.0);
    let (at, cost, con) = end(CostModel::Fairest);
    assert_eq!(at, [("a", "a0"), ("b", "b1")]);
    assert!((cost - 0.2).abs() < 1e-12);
    assert!((con[0] - 0.2).abs() < 1e-12 && (con[1] - 0.2).abs() < 1e-12);
    let twin = fairest_twin(
        &s,
        c.space(),
        &zones.zones[0].states.iter().copied().collect(),
    );
    assert!((twin.unwrap() - 0.2).abs() < 1e-12);
}

/// Incomparable labels at one state: the zone is the one state `(a2, d0, e0)`, and a
/// precondition forbids `(a1, d0, e0)`, so a path must detour over `d` or `e` and come back.
/// The `d` detour is free until its last step, which costs `p` 0.5: it reaches the zone
/// first with (0.5, 0). The `e` detour costs `p` 0.3 going up and `q` 0.3 coming back:
/// (0.3, 0.3), later but fairer. Neither label dominates the other; the fairest path must
/// keep both and return the second.
#[test]
fn fairest_keeps_incomparable_labels() {
    let s = Scenario::from_toml_str(
        r#"
name = "labels"
[issues]
a = ["a0", "a1", "a2"]
d = ["d0", "d1"]
e = ["e0", "e1"]
[status_quo]
a = "a0"
d = "d0"
e = "e0"
[parties.p]
weights = { d = 0.5, e = 0.5 }
values = { d = [0, 1], e = [1, 0.4] }
red_lines = [{ id = "zone", rule = "a == a2 and d == d0 and e == e0" }]
preconditions = [{ id = "wall", rule = "not (a == a1 and d == d0 and e == e0)" }]
[parties.q]
weights = { e = 1 }
values = { e = [0.7, 1] }
"#,
        "labels.toml",
    )
    .unwrap();
    let c = compile(&s);
    let zones = zones_of(&c);
    assert_eq!(zones.zones.len(), 1);
    let run = |model| {
        let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
        check_path(&s, &c, &zones, 0, &ps[0], model);
        ps[0].clone()
    };
    let fair = run(CostModel::Fairest);
    assert!((fair.cost.unwrap() - 0.3).abs() < 1e-12, "{:?}", fair.cost);
    assert!(fair.steps.iter().any(|st| st.issue == 2), "detours over e");
    let zone = zones.zones[0].states.iter().copied().collect();
    assert!((fairest_twin(&s, c.space(), &zone).unwrap() - 0.3).abs() < 1e-12);
    let total = run(CostModel::TotalConcession);
    assert!(
        (total.cost.unwrap() - 0.5).abs() < 1e-12,
        "{:?}",
        total.cost
    );
    assert!(total.steps.iter().any(|st| st.issue == 1), "detours over d");
    assert_eq!(run(CostModel::FewestSteps).steps.len(), 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every model through mazes: detours make the heuristics and the label sets work.
    #[test]
    fn paths_through_mazes(g in gen_maze_scenario()) {
        let s = g.scenario();
        let c = compile(&s);
        let zones = zones_of(&c);
        for model in MODELS {
            let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
            prop_assert_eq!(ps.len(), zones.zones.len());
            for (k, p) in ps.iter().enumerate() {
                check_path(&s, &c, &zones, k, p, model);
                if model == CostModel::Fairest && c.space().size() <= 30 {
                    let zone = zones.zones[k].states.iter().copied().collect();
                    let twin = fairest_twin(&s, c.space(), &zone);
                    prop_assert!(
                        p.cost.zip(twin).is_none_or(|(a, b)| (a - b).abs() <= 1e-9),
                        "fairest {:?} != twin {:?}", p.cost, twin
                    );
                }
            }
        }
    }
}

/// A hand-made wall: both ways into the zone pass a state a precondition forbids, and
/// removing either precondition opens one way, so `blocked_by` names exactly one of them.
#[test]
fn blocked_by_on_a_hand_made_wall() {
    let s = Scenario::from_toml_str(
        r#"
name = "wall"
[issues]
a = ["a0", "a1", "a2"]
b = ["b0", "b1"]
[status_quo]
a = "a0"
b = "b0"
[parties.p]
weights = { a = 1 }
values = { a = [0, 0.5, 1] }
reservation = 0.9
preconditions = [
  { id = "no_a1_b0", rule = "not (a == a1 and b == b0)" },
  { id = "no_b1", rule = "b != b1" },
]
"#,
        "wall.toml",
    )
    .unwrap();
    let c = compile(&s);
    let zones = zones_of(&c);
    assert_eq!(zones.zones.len(), 1);
    for model in MODELS {
        let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
        assert!(!ps[0].reachable, "{model:?}");
        let one = ps[0].blocked_by == ["p/no_a1_b0"] || ps[0].blocked_by == ["p/no_b1"];
        assert!(one, "{:?}", ps[0].blocked_by);
        check_path(&s, &c, &zones, 0, &ps[0], model);
    }
}

/// A status quo that breaks a precondition reaches nothing, and `blocked_by` names it.
#[test]
fn a_status_quo_breaking_a_precondition_reaches_nothing() {
    let s = Scenario::from_toml_str(
        r#"
name = "stuck"
[issues]
a = ["a0", "a1"]
[status_quo]
a = "a0"
[parties.p]
weights = { a = 1 }
values = { a = [0, 1] }
reservation = 0.5
preconditions = [{ id = "never_a0", rule = "a != a0" }]
"#,
        "stuck.toml",
    )
    .unwrap();
    let c = compile(&s);
    let zones = zones_of(&c);
    for model in MODELS {
        let ps = paths(&c, &zones, model, &Limits::default()).unwrap();
        assert!(!ps[0].reachable);
        assert_eq!(ps[0].blocked_by, ["p/never_a0"]);
    }
}

// ---------------------------------------------------------------------------------------
// Blocking sets against brute force.
// ---------------------------------------------------------------------------------------

/// Every minimal blocking set of `zone`, by brute force: every subset of the
/// preconditions by increasing size, each tested by materialising the concession graph
/// without it and looking for a zone state among its nodes. Supersets of a set found are
/// skipped (they are not minimal). Empty when the zone is reachable as things stand.
fn blocking_twin(c: &CompiledScenario, zone: &BTreeSet<StateIndex>) -> BTreeSet<Vec<String>> {
    let m = c.preconditions().len();
    let all_red = vec![true; c.red_lines().len()];
    let mut found: Vec<u64> = Vec::new();
    for size in 0..=m {
        for mask in 0..1u64 << m {
            if mask.count_ones() as usize != size || found.iter().any(|&f| f & !mask == 0) {
                continue;
            }
            let keep: Vec<bool> = (0..m).map(|k| mask >> k & 1 == 0).collect();
            let opened = c.with_constraints(&all_red, &keep);
            let g = ConcessionGraph::respecting_preconditions(&opened)
                .materialise(c.status_quo(), c.space().size() + 1)
                .unwrap();
            if g.node_weights().any(|st| zone.contains(st)) {
                found.push(mask);
            }
        }
    }
    found
        .into_iter()
        .filter(|&f| f != 0)
        .map(|f| {
            let mut names: Vec<String> = (0..m)
                .filter(|&k| f >> k & 1 == 1)
                .map(|k| c.precondition_names()[k].clone())
                .collect();
            names.sort();
            names
        })
        .collect()
}

/// The blocking sets of every zone equal the twin's; they come in the documented order
/// (size, then names within a tier), tiers number the sizes, `blocked_by` is the first,
/// the cap cuts the list and counts the rest, and each witness is a valid path into its
/// zone, avoiding every other precondition, as short as BFS finds without the set.
fn check_blocking(s: &Scenario, c: &CompiledScenario, zones: &Zones) {
    use dealzone::analysis::path::{PathOptions, blocking_sets, paths_with};
    let options = PathOptions {
        blocking_cap: usize::MAX,
        ..PathOptions::default()
    };
    let ps = paths_with(c, zones, &options, &Limits::default()).unwrap();
    for (k, p) in ps.iter().enumerate() {
        let zone: BTreeSet<StateIndex> = zones.zones[k].states.iter().copied().collect();
        let twin = blocking_twin(c, &zone);
        let got: BTreeSet<Vec<String>> = p.blocking.sets.iter().map(|b| b.names.clone()).collect();
        assert_eq!(got, twin, "zone {k}: blocking sets");
        assert_eq!(got.len(), p.blocking.sets.len(), "no set twice");
        assert_eq!(p.blocking.more, 0);
        assert_eq!(p.reachable, twin.is_empty());
        let order: Vec<(usize, &Vec<String>)> = p
            .blocking
            .sets
            .iter()
            .map(|b| (b.names.len(), &b.names))
            .collect();
        assert!(order.is_sorted(), "order: {order:?}");
        let mut sizes: Vec<usize> = p.blocking.sets.iter().map(|b| b.names.len()).collect();
        sizes.dedup();
        for b in &p.blocking.sets {
            assert_eq!(
                sizes[b.tier],
                b.names.len(),
                "tier {} of {:?}",
                b.tier,
                b.names
            );
            assert!(b.names.is_sorted());
            let keep: Vec<bool> = c
                .precondition_names()
                .iter()
                .map(|n| !b.names.contains(n))
                .collect();
            let w = &b.witness;
            assert!(w.reachable && w.zone == k);
            assert_eq!(w.states.first(), Some(&c.status_quo()));
            assert!(
                zone.contains(w.states.last().unwrap()),
                "witness ends in its zone"
            );
            for &st in &w.states {
                assert!(meets(s, &c.space().decode(st), &keep), "witness state {st}");
            }
            // Fewest steps: the BFS distance into the zone without the set.
            let reach = bfs(s, c.space(), &keep);
            let best = zone.iter().filter_map(|z| reach.get(z)).min().unwrap();
            assert_eq!(w.steps.len(), *best, "witness steps");
            let total: f64 = w
                .states
                .windows(2)
                .map(|p| drops(s, c.space(), p[0], p[1]).iter().sum::<f64>())
                .sum();
            assert!((w.cost.unwrap() - total).abs() <= 1e-9, "witness cost");
        }
        // The least tier alone (the timeline report's search, one reachability test per
        // subset over the compiled region): exactly the twin's smallest sets.
        let quick = least_blocking_path(
            c,
            k,
            &zones.zones[k],
            CostModel::TotalConcession,
            usize::MAX,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            quick.reachable, p.reachable,
            "zone {k}: least_blocking_path"
        );
        let least = twin.iter().map(Vec::len).min();
        let want: BTreeSet<Vec<String>> = twin
            .iter()
            .filter(|t| Some(t.len()) == least)
            .cloned()
            .collect();
        let got_least: BTreeSet<Vec<String>> = quick
            .blocking
            .sets
            .iter()
            .map(|b| b.names.clone())
            .collect();
        assert_eq!(got_least, want, "zone {k}: least tier");
        if !p.reachable {
            assert_eq!(p.blocked_by, p.blocking.sets[0].names);
            let capped = blocking_sets(c, k, &zones.zones[k], 1, &Limits::default()).unwrap();
            assert_eq!(capped.sets.len(), 1);
            assert_eq!(capped.sets[0].names, p.blocking.sets[0].names);
            assert_eq!(capped.more, twin.len() - 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Reported blocking sets are exactly the minimal blocking sets (brute force), on
    /// random scenarios and on mazes.
    #[test]
    fn blocking_sets_equal_brute_force(g in gen_scenario(3_000), maze in gen_maze_scenario()) {
        for g in [g, maze] {
            let s = g.scenario();
            let c = compile(&s);
            let zones = zones_of(&c);
            check_blocking(&s, &c, &zones);
        }
    }
}

/// Two walls, either of which alone opens the zone: both are reported, in one tier, and
/// the text names both options.
#[test]
fn blocking_names_every_tied_option() {
    let s = Scenario::from_toml_str(
        r#"
name = "two ways"
[issues]
a = ["a0", "a1", "a2"]
b = ["b0", "b1"]
[status_quo]
a = "a0"
b = "b0"
[parties.zulu]
weights = { a = 1 }
values = { a = [0, 0.5, 1] }
reservation = 0.9
preconditions = [{ id = "no_a1_b0", rule = "not (a == a1 and b == b0)" }]
[parties.alpha]
weights = { a = 1 }
values = { a = [1, 0.5, 0] }
preconditions = [{ id = "no_b1", rule = "b != b1" }]
"#,
        "two.toml",
    )
    .unwrap();
    let c = compile(&s);
    let zones = zones_of(&c);
    check_blocking(&s, &c, &zones);
    let ps = paths(&c, &zones, CostModel::TotalConcession, &Limits::default()).unwrap();
    let names: Vec<&Vec<String>> = ps[0].blocking.least().map(|b| &b.names).collect();
    assert_eq!(
        names,
        [
            &vec!["alpha/no_b1".to_string()],
            &vec!["zulu/no_a1_b0".to_string()]
        ]
    );
    let text = dealzone::report::text::paths(&s, &c, &zones, &ps, CostModel::TotalConcession);
    assert!(
        text.contains("alpha could drop no_b1") && text.contains("; or zulu could drop no_a1_b0"),
        "{text}"
    );
    let json = dealzone::report::json::paths(&s, &c, &ps);
    assert_eq!(
        json["paths"][0]["blocking_sets"].as_array().unwrap().len(),
        2
    );
    assert_eq!(json["paths"][0]["blocking_sets"][1]["tier"], 0);
    assert!(json["paths"][0]["blocking_sets"][0]["walls_off"]["steps"].is_array());
}

// ---------------------------------------------------------------------------------------
// Limits that tell the truth.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// With any limit set low, every model either answers exactly what it answers without
    /// limits (the cost Dijkstra, BFS and the label search check above) or fails naming a
    /// limit: never a costlier path.
    #[test]
    fn low_limits_give_the_exact_answer_or_an_error(
        g in gen_scenario(3_000),
        maze in gen_maze_scenario(),
        visited in 1..80u64,
        labels in 1..80u64,
        no_time in any::<bool>(),
    ) {
        for g in [g, maze] {
            let s = g.scenario();
            let c = compile(&s);
            let zones = zones_of(&c);
            let low = Limits {
                max_visited: visited,
                max_labels: labels,
                time_limit: no_time.then_some(std::time::Duration::ZERO),
                ..Limits::default()
            };
            for model in MODELS {
                let exact = paths(&c, &zones, model, &Limits::default()).unwrap();
                match paths(&c, &zones, model, &low) {
                    Ok(got) => {
                        prop_assert_eq!(got.len(), exact.len());
                        for (a, b) in got.iter().zip(&exact) {
                            prop_assert_eq!(a.reachable, b.reachable);
                            prop_assert_eq!(&a.blocked_by, &b.blocked_by);
                            prop_assert!(
                                a.cost.zip(b.cost).is_none_or(|(x, y)| (x - y).abs() <= 1e-9),
                                "{:?}: {:?} under low limits, {:?} exact", model, a.cost, b.cost
                            );
                            let sets = |p: &ZonePath| p.blocking.sets.iter().map(|x| x.names.clone()).collect::<Vec<_>>();
                            prop_assert_eq!(sets(a), sets(b));
                        }
                    }
                    Err(dealzone::Error::LimitExceeded { limit, .. }) => {
                        prop_assert!(
                            ["max_visited", "max_labels", "time_limit"].contains(&limit.name()),
                            "{}", limit
                        );
                    }
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With only the memory budget low (so low that the bound's tables share clusters, are
    /// left out, or crowd the search), every model answers exactly or fails naming
    /// `max_memory_bytes`: tables cut to fit never cost a costlier path.
    #[test]
    fn a_low_memory_budget_gives_the_exact_answer_or_names_it(
        g in gen_scenario(3_000),
        maze in gen_maze_scenario(),
        memory in 1u64 << 10..1 << 20,
    ) {
        for g in [g, maze] {
            let s = g.scenario();
            let c = compile(&s);
            let zones = zones_of(&c);
            let low = Limits {
                max_memory_bytes: memory,
                ..Limits::default()
            };
            for model in MODELS {
                let exact = paths(&c, &zones, model, &Limits::default()).unwrap();
                match paths(&c, &zones, model, &low) {
                    Ok(got) => {
                        prop_assert_eq!(got.len(), exact.len());
                        for (a, b) in got.iter().zip(&exact) {
                            prop_assert_eq!(a.reachable, b.reachable);
                            prop_assert_eq!(&a.states, &b.states);
                            prop_assert!(
                                a.cost.zip(b.cost).is_none_or(|(x, y)| (x - y).abs() <= 1e-9),
                                "{:?}: {:?} under {} bytes, {:?} exact", model, a.cost, memory, b.cost
                            );
                        }
                    }
                    Err(dealzone::Error::LimitExceeded { limit, .. }) => {
                        prop_assert_eq!(limit.name(), "max_memory_bytes");
                    }
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// `--without` on every command.
// ---------------------------------------------------------------------------------------

/// Each of the six analysis commands takes `--without` on a red line and on a precondition
/// of the bundled timeline and exits 0 (it once panicked: the scenario and its compiled
/// form disagreed after dropping).
#[test]
fn without_works_on_every_command() {
    let file = "seeds/russia_ukraine/timeline.toml";
    for name in ["russia/keep_territory", "russia/terms_before_truce"] {
        for cmd in [
            vec!["explain", file],
            vec!["zones", file],
            vec!["path", file],
            vec!["bargain", file],
            vec!["stability", file, "--states", "zone"],
            vec!["timeline", file, "--samples", "5"],
        ] {
            let mut args = cmd.clone();
            args.extend(["--without", name]);
            let (code, out, err) = crate::dealzone(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert!(!out.is_empty(), "{args:?}");
        }
    }
    let (code, _, err) = crate::dealzone(&["explain", file, "--without", "russia/keep_teritory"]);
    assert_eq!(code, 1);
    assert!(err.contains("russia/keep_territory"), "did you mean: {err}");
    let (code, _, err) = crate::dealzone(&["timeline", file, "--without", "nobody/nothing"]);
    assert_eq!(code, 1, "{err}");
}

/// `Scenario::without` and then compiling agree with compiling and then dropping.
#[test]
fn without_on_the_scenario_matches_the_compiled_form() {
    let s = Scenario::load("seeds/wage_round.toml").unwrap();
    let names: Vec<String> = s
        .red_lines()
        .chain(s.preconditions())
        .map(|c| c.name())
        .collect();
    for n in &names {
        let t = s.without(&[n.as_str()]).unwrap();
        let a = compile(&t);
        let b = compile(&s).without(&[n.as_str()]).unwrap();
        assert_eq!(a.red_line_names(), b.red_line_names());
        assert_eq!(a.precondition_names(), b.precondition_names());
        assert!(!a.red_line_names().contains(n) && !a.precondition_names().contains(n));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The compiled region (run scan) says, for every state and rule, exactly what the
    /// rule's syntax tree says: for the preconditions and, as the timeline report uses it,
    /// for the red lines.
    #[test]
    fn the_compiled_region_equals_rule_by_rule_evaluation(g in gen_scenario(3_000)) {
        let s = g.scenario();
        let c = compile(&s);
        let rules: [(Vec<&dealzone::model::Constraint>, &[dealzone::space::CompiledRule]); 2] = [
            (s.preconditions().collect(), c.preconditions()),
            (s.red_lines().collect(), c.red_lines()),
        ];
        for (ast, compiled) in rules {
            prop_assume!(compiled.len() <= 64);
            let r = PreconditionRegion::build(c.space(), compiled, u64::MAX).unwrap();
            for st in 0..c.space().size() {
                let levels = c.space().decode(st);
                let want = ast
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| !k.rule().eval(&levels))
                    .fold(0u64, |m, (k, _)| m | 1 << k);
                prop_assert_eq!(r.broken(st), want, "state {}", st);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The region's quotient (runs of levels no precondition tells apart, merged into
    /// cells) says for every state what the rules' syntax trees say, and a breadth-first
    /// search over its open cells reaches exactly the cells of the states the naive
    /// search over states reaches: reachability decided on cells is reachability.
    #[test]
    fn the_region_quotient_keeps_every_rule_and_reachability(
        g in gen_scenario(3_000),
        maze in gen_maze_scenario(),
    ) {
        for g in [g, maze] {
            let s = g.scenario();
            let c = compile(&s);
            prop_assume!(c.preconditions().len() <= 64);
            let q = RegionQuotient::build(c.space(), c.preconditions(), u64::MAX).unwrap();
            prop_assert!(q.cells().size() <= c.space().size());
            let ast: Vec<_> = s.preconditions().collect();
            for st in 0..c.space().size() {
                let levels = c.space().decode(st);
                let want = ast
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| !k.rule().eval(&levels))
                    .fold(0u64, |m, (k, _)| m | 1 << k);
                prop_assert_eq!(q.broken(&levels), want, "state {}", st);
                prop_assert_eq!(q.broken_cell(q.cell(&levels)), want);
                for (i, &l) in levels.iter().enumerate() {
                    let cell_level = q.cells().decode(q.cell(&levels))[i];
                    let (a, z) = q.runs(i)[cell_level];
                    prop_assert!(a <= l && l <= z);
                }
            }
            let keep = vec![true; ast.len()];
            let by_states = bfs(&s, c.space(), &keep);
            let start = q.cell(s.status_quo());
            let mut by_cells = BTreeSet::new();
            if q.broken_cell(start) == 0 {
                by_cells.insert(start);
                let mut queue = VecDeque::from([start]);
                while let Some(x) = queue.pop_front() {
                    for y in naive_neighbours(q.cells(), x) {
                        if q.broken_cell(y) == 0 && by_cells.insert(y) {
                            queue.push_back(y);
                        }
                    }
                }
            }
            let cells_of_states: BTreeSet<StateIndex> = by_states
                .keys()
                .map(|&st| q.cell(&c.space().decode(st)))
                .collect();
            prop_assert_eq!(cells_of_states, by_cells.clone());
            // And every state of a reached cell is reached.
            for st in 0..c.space().size() {
                let cell = q.cell(&c.space().decode(st));
                prop_assert_eq!(by_states.contains_key(&st), by_cells.contains(&cell));
            }
        }
    }
}

/// Each party's utility at `st` in the units paths are compared in
/// ([`UNITS_PER_UTILITY`]): each issue's term rounded to the nearest unit, the sum capped
/// at one utility.
fn utility_units(c: &CompiledScenario, st: StateIndex) -> Vec<i64> {
    let levels = c.space().decode(st);
    c.utilities()
        .iter()
        .map(|u| {
            let raw: i64 = levels
                .iter()
                .enumerate()
                .map(|(i, &l)| (u.contrib(i, l) * UNITS_PER_UTILITY as f64).round() as i64)
                .sum();
            raw.min(UNITS_PER_UTILITY)
        })
        .collect()
}

/// The path the module docs name, by brute force: over the states reachable from the
/// status quo through states meeting every precondition, a plain Dijkstra backward from
/// the zone gives each state its least label (cost in units, then steps) into the zone;
/// then, from the status quo, the smallest neighbour whose step keeps the label least,
/// until the zone. `None` when the zone is unreachable.
fn tie_rule_twin(
    s: &Scenario,
    c: &CompiledScenario,
    zone: &BTreeSet<StateIndex>,
    model: CostModel,
) -> Option<Vec<StateIndex>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let space = c.space();
    let reach = bfs(s, space, &vec![true; s.preconditions().count()]);
    let units: BTreeMap<StateIndex, Vec<i64>> =
        reach.keys().map(|&st| (st, utility_units(c, st))).collect();
    let w = |a: StateIndex, b: StateIndex| -> u64 {
        match model {
            CostModel::FewestSteps => 1,
            _ => units[&a]
                .iter()
                .zip(&units[&b])
                .map(|(x, y)| (x - y).max(0) as u64)
                .sum(),
        }
    };
    let mut least: BTreeMap<StateIndex, (u64, usize)> = BTreeMap::new();
    let mut heap = BinaryHeap::new();
    for &z in zone.iter().filter(|z| reach.contains_key(z)) {
        least.insert(z, (0, 0));
        heap.push(Reverse(((0u64, 0usize), z)));
    }
    while let Some(Reverse((label, v))) = heap.pop() {
        if label > least[&v] {
            continue;
        }
        for u in naive_neighbours(space, v) {
            if !reach.contains_key(&u) {
                continue;
            }
            let via = (label.0 + w(u, v), label.1 + 1);
            if least.get(&u).is_none_or(|&old| via < old) {
                least.insert(u, via);
                heap.push(Reverse((via, u)));
            }
        }
    }
    let mut at = c.status_quo();
    let mut path = vec![at];
    least.get(&at)?;
    while !zone.contains(&at) {
        let mut next: Vec<StateIndex> = naive_neighbours(space, at)
            .into_iter()
            .filter(|t| {
                least
                    .get(t)
                    .is_some_and(|&(g, k)| (w(at, *t) + g, k + 1) == least[&at])
            })
            .collect();
        next.sort();
        at = next[0];
        path.push(at);
    }
    Some(path)
}

/// `p` is the twin's path, step for step.
fn check_tie_rule(
    s: &Scenario,
    c: &CompiledScenario,
    zones: &Zones,
    p: &ZonePath,
    model: CostModel,
) {
    let zone: BTreeSet<StateIndex> = zones.zones[p.zone].states.iter().copied().collect();
    let want = tie_rule_twin(s, c, &zone, model).unwrap_or_default();
    assert_eq!(p.states, want, "{model:?}: zone {} path", p.zone);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Among equally cheap paths, the one returned is the documented one (least cost in
    /// units, then fewest steps, then the smallest sequence of states), identical to a
    /// brute-force twin's, on random scenarios up to 1e5 states and on mazes, for both
    /// models the A* serves.
    #[test]
    fn paths_follow_the_documented_tie_rule(
        g in gen_scenario(100_000),
        maze in gen_maze_scenario(),
    ) {
        for g in [g, maze] {
            let s = g.scenario();
            let c = compile(&s);
            let zones = zones_of(&c);
            for model in [CostModel::TotalConcession, CostModel::FewestSteps] {
                for p in paths(&c, &zones, model, &Limits::default()).unwrap() {
                    check_tie_rule(&s, &c, &zones, &p, model);
                }
            }
        }
    }
}
