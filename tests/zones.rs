//! Deal zones: every engine against a naive oracle written here, on random scenarios.
//!
//! The oracle decodes every state with `StateSpace::decode`, judges red lines with the
//! rule's syntax tree (`Rule::eval`, never a compiled table) and utilities with
//! `Preferences::utility`, and finds zones by a flood fill over a `BTreeSet`. The random
//! scenario generator lives here too; `paths.rs` reuses it.

use std::collections::{BTreeMap, BTreeSet};

use dealzone::analysis::zone::{
    self, Engine, MAX_FACTOR, Zones, branch_and_bound, brute_force, count_candidates,
    find_zones_compiled, first_acceptable, for_each_in_box,
};
use dealzone::model::Date;
use dealzone::space::{CompiledScenario, StateIndex, StateSpace};
use dealzone::{Error, Limits, Scenario, Timeline};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Random scenarios, generated as TOML text.
// ---------------------------------------------------------------------------------------

/// A rule's syntax tree before it is bound to a scenario. Issue slots and levels are raw
/// numbers, reduced modulo the rule's issues and the issue's level count when rendered.
#[derive(Debug, Clone)]
pub enum GenExpr {
    Const(bool),
    /// (issue slot, operator, level)
    Cmp(usize, usize, usize),
    /// (issue slot, levels)
    In(usize, Vec<usize>),
    Not(Box<GenExpr>),
    /// (connective, lhs, rhs)
    Bin(usize, Box<GenExpr>, Box<GenExpr>),
}

/// A rule over 1–3 issues (raw issue numbers, reduced modulo the issue count). When
/// `repair` is set and the rule fails at its scenario's anchor state (red lines) or status
/// quo (preconditions), it is rendered as `(x == anchor) or (rule)` on its first issue, so
/// that candidates and reachable states are common without being guaranteed.
#[derive(Debug, Clone)]
pub struct GenRule {
    pub issues: Vec<usize>,
    pub expr: GenExpr,
    pub repair: bool,
}

#[derive(Debug, Clone)]
pub struct GenParty {
    pub has_utility: bool,
    pub weights: Vec<f64>,
    pub values: Vec<Vec<f64>>,
    pub reservation: f64,
    /// Use the party's exact utility at the anchor state as its reservation instead, so
    /// that some states sit exactly on the boundary.
    pub reservation_at_anchor: bool,
}

/// A random scenario: level counts, parties, constraints (each with its raw owner) and the
/// status quo (raw levels).
#[derive(Debug, Clone)]
pub struct GenScenario {
    pub radices: Vec<usize>,
    /// A state most red lines are repaired to hold at.
    pub anchor: Vec<usize>,
    pub parties: Vec<GenParty>,
    pub red_lines: Vec<(usize, GenRule)>,
    pub preconditions: Vec<(usize, GenRule)>,
    pub status_quo: Vec<usize>,
}

const CMP: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];
const BIN: [&str; 4] = ["and", "or", "->", "<->"];

fn gen_expr() -> impl Strategy<Value = GenExpr> {
    let leaf = prop_oneof![
        1 => any::<bool>().prop_map(GenExpr::Const),
        8 => (0..3usize, 0..6usize, 0..5usize).prop_map(|(s, o, l)| GenExpr::Cmp(s, o, l)),
        4 => (0..3usize, prop::collection::vec(0..5usize, 1..=3))
            .prop_map(|(s, ls)| GenExpr::In(s, ls)),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|e| GenExpr::Not(Box::new(e))),
            3 => (0..4usize, inner.clone(), inner)
                .prop_map(|(o, a, b)| GenExpr::Bin(o, Box::new(a), Box::new(b))),
        ]
    })
}

fn gen_rule(repair: f64) -> impl Strategy<Value = GenRule> {
    (
        prop::collection::vec(0..6usize, 1..=3),
        gen_expr(),
        prop::bool::weighted(repair),
    )
        .prop_map(|(issues, expr, repair)| GenRule {
            issues,
            expr,
            repair,
        })
}

pub fn gen_value() -> impl Strategy<Value = f64> {
    // Quarters give ties (equal utilities, zero-cost moves); arbitrary values the rest.
    prop_oneof![(0..=4u8).prop_map(|k| f64::from(k) / 4.0), 0.0..=1.0f64,]
}

fn gen_party() -> impl Strategy<Value = GenParty> {
    (
        prop::bool::weighted(0.8),
        prop::collection::vec(prop_oneof![1 => Just(0.0), 4 => 0.0..1.0f64], 6),
        prop::collection::vec(prop::collection::vec(gen_value(), 5), 6),
        prop_oneof![
            4 => Just(0.0),
            3 => 0.0..1.0f64,
            2 => 0.4..0.8f64,
            1 => 0.85..1.0f64,
        ],
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(has_utility, weights, values, reservation, reservation_at_anchor)| GenParty {
                has_utility,
                weights,
                values,
                reservation,
                reservation_at_anchor,
            },
        )
}

/// Random scenarios of 1–6 issues with 1–5 levels each, cut to at most `max_states` states
/// (issues are dropped from the end until the space fits).
pub fn gen_scenario(max_states: usize) -> impl Strategy<Value = GenScenario> {
    (
        prop::collection::vec(prop_oneof![1 => Just(1usize), 5 => 2..=5usize], 1..=6),
        prop::collection::vec(gen_party(), 1..=3),
        prop::collection::vec((0..3usize, gen_rule(0.6)), 0..=6),
        prop::collection::vec((0..3usize, gen_rule(0.85)), 0..=4),
        prop::collection::vec(0..5usize, 6),
        prop::collection::vec(0..5usize, 6),
    )
        .prop_map(
            move |(radices, mut parties, red_lines, preconditions, sq, anchor)| {
                let mut kept = Vec::new();
                let mut size = 1;
                for r in radices {
                    if size * r > max_states {
                        break;
                    }
                    size *= r;
                    kept.push(r);
                }
                if !parties.iter().any(|p| p.has_utility) {
                    parties[0].has_utility = true;
                }
                let status_quo = kept.iter().zip(&sq).map(|(&r, &l)| l % r).collect();
                let anchor = kept.iter().zip(&anchor).map(|(&r, &l)| l % r).collect();
                GenScenario {
                    anchor,
                    radices: kept,
                    parties,
                    red_lines,
                    preconditions,
                    status_quo,
                }
            },
        )
}

fn level_name(issue: usize, level: usize) -> String {
    format!("l{issue}_{level}")
}

fn render_expr(e: &GenExpr, issues: &[usize], radices: &[usize]) -> String {
    let issue = |slot: usize| issues[slot % issues.len()];
    match e {
        GenExpr::Const(b) => b.to_string(),
        GenExpr::Cmp(slot, op, level) => {
            let i = issue(*slot);
            format!("x{i} {} {}", CMP[*op], level_name(i, level % radices[i]))
        }
        GenExpr::In(slot, levels) => {
            let i = issue(*slot);
            let set: BTreeSet<usize> = levels.iter().map(|l| l % radices[i]).collect();
            let names: Vec<String> = set.iter().map(|&l| level_name(i, l)).collect();
            format!("x{i} in {{{}}}", names.join(", "))
        }
        GenExpr::Not(x) => format!("not ({})", render_expr(x, issues, radices)),
        GenExpr::Bin(op, a, b) => format!(
            "({}) {} ({})",
            render_expr(a, issues, radices),
            BIN[*op],
            render_expr(b, issues, radices)
        ),
    }
}

/// The rendered rule's value at `levels` (only to decide repairs; the tests judge rules
/// with the library's own syntax tree).
fn eval_expr(e: &GenExpr, issues: &[usize], radices: &[usize], levels: &[usize]) -> bool {
    let issue = |slot: usize| issues[slot % issues.len()];
    match e {
        GenExpr::Const(b) => *b,
        GenExpr::Cmp(slot, op, level) => {
            let i = issue(*slot);
            let (a, b) = (levels[i], level % radices[i]);
            [a == b, a != b, a < b, a <= b, a > b, a >= b][*op]
        }
        GenExpr::In(slot, set) => {
            let i = issue(*slot);
            set.iter().any(|l| l % radices[i] == levels[i])
        }
        GenExpr::Not(x) => !eval_expr(x, issues, radices, levels),
        GenExpr::Bin(op, a, b) => {
            let (a, b) = (
                eval_expr(a, issues, radices, levels),
                eval_expr(b, issues, radices, levels),
            );
            [a && b, a || b, !a || b, a == b][*op]
        }
    }
}

impl GenScenario {
    fn render_rule(&self, rule: &GenRule, at: &[usize]) -> String {
        let n = self.radices.len();
        let issues: Vec<usize> = rule.issues.iter().map(|i| i % n).collect();
        let text = render_expr(&rule.expr, &issues, &self.radices);
        if rule.repair && !eval_expr(&rule.expr, &issues, &self.radices, at) {
            let i = issues[0];
            format!("(x{i} == {}) or ({text})", level_name(i, at[i]))
        } else {
            text
        }
    }

    /// The scenario as a TOML file per CONTRACT.md.
    pub fn to_toml(&self) -> String {
        use std::fmt::Write;
        let n = self.radices.len();
        let mut t = String::from("name = \"random\"\n[issues]\n");
        for (i, &r) in self.radices.iter().enumerate() {
            let levels: Vec<String> = (0..r)
                .map(|l| format!("\"{}\"", level_name(i, l)))
                .collect();
            writeln!(t, "x{i} = [{}]", levels.join(", ")).unwrap();
        }
        t.push_str("[status_quo]\n");
        for (i, &l) in self.status_quo.iter().enumerate() {
            writeln!(t, "x{i} = \"{}\"", level_name(i, l)).unwrap();
        }
        let np = self.parties.len();
        for (k, p) in self.parties.iter().enumerate() {
            writeln!(t, "[parties.p{k}]").unwrap();
            if p.has_utility {
                let raw = &p.weights[..n];
                let sum: f64 = raw.iter().sum();
                let weights: Vec<f64> = if sum > 1e-6 {
                    raw.iter().map(|w| w / sum).collect()
                } else {
                    vec![1.0 / n as f64; n]
                };
                // Summed in issue order from 0 and capped, as the model sums utilities.
                let at_anchor = (0..n)
                    .fold(0.0, |u, i| u + weights[i] * p.values[i][self.anchor[i]])
                    .min(1.0);
                let reservation = if p.reservation_at_anchor {
                    at_anchor
                } else {
                    p.reservation
                };
                writeln!(t, "reservation = {reservation:?}").unwrap();
                let w: Vec<String> = weights
                    .iter()
                    .enumerate()
                    .map(|(i, w)| format!("x{i} = {w:?}"))
                    .collect();
                writeln!(t, "weights = {{ {} }}", w.join(", ")).unwrap();
                let v: Vec<String> = (0..n)
                    .map(|i| {
                        let vals: Vec<String> = p.values[i][..self.radices[i]]
                            .iter()
                            .map(|v| format!("{v:?}"))
                            .collect();
                        format!("x{i} = [{}]", vals.join(", "))
                    })
                    .collect();
                writeln!(t, "values = {{ {} }}", v.join(", ")).unwrap();
            }
            for (key, list, prefix, at) in [
                ("red_lines", &self.red_lines, "r", &self.anchor),
                ("preconditions", &self.preconditions, "c", &self.status_quo),
            ] {
                let mine: Vec<String> = list
                    .iter()
                    .enumerate()
                    .filter(|(_, (owner, _))| owner % np == k)
                    .map(|(id, (_, rule))| {
                        let text = self.render_rule(rule, at);
                        format!("  {{ id = \"{prefix}{id}\", rule = \"{text}\" }},")
                    })
                    .collect();
                if !mine.is_empty() {
                    writeln!(t, "{key} = [\n{}\n]", mine.join("\n")).unwrap();
                }
            }
        }
        t
    }

    pub fn scenario(&self) -> Scenario {
        let text = self.to_toml();
        Scenario::from_toml_str(&text, "random.toml")
            .unwrap_or_else(|e| panic!("generated scenario does not load: {e}\n{text}"))
    }
}

// ---------------------------------------------------------------------------------------
// The naive oracle.
// ---------------------------------------------------------------------------------------

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

fn as_set(v: &[StateIndex]) -> BTreeSet<StateIndex> {
    v.iter().copied().collect()
}

/// Every check on one `Zones` against the oracle.
fn check_zones(s: &Scenario, c: &CompiledScenario, z: &Zones, o: &Oracle) {
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
fn check_boxes(space: &StateSpace, zone: &zone::DealZone) {
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

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Brute force, branch and bound, candidate counting and every engine of
    /// `find_zones_compiled` agree exactly with the oracle; zones are its components in
    /// the contract's order, every state meets every constraint, boxes tile each zone.
    #[test]
    fn engines_zones_and_boxes_match_the_oracle(g in gen_scenario(100_000)) {
        let s = g.scenario();
        let c = compile(&s);
        let o = oracle(&s, c.space());
        let limits = Limits::default();

        let scan = brute_force(&c, &limits).unwrap();
        prop_assert_eq!(scan.candidates, o.candidates);
        prop_assert_eq!(as_set(&scan.acceptable), o.acceptable.clone());
        prop_assert!(scan.acceptable.is_sorted());
        let bnb = branch_and_bound(&c, &limits).unwrap();
        prop_assert_eq!(&bnb, &scan.acceptable);
        // The existence search finds a state exactly when there is one, and a real one.
        match first_acceptable(&c, &limits).unwrap() {
            Some(st) => prop_assert!(o.acceptable.contains(&st), "{} is not acceptable", st),
            None => prop_assert!(o.acceptable.is_empty()),
        }

        prop_assert_eq!(count_candidates(&c, MAX_FACTOR), Some(o.candidates));
        for max_factor in [0, 1, 4, 16, 64] {
            if let Some(n) = count_candidates(&c, max_factor) {
                prop_assert_eq!(n, o.candidates, "max_factor {}", max_factor);
            }
        }

        let mut jsons = Vec::new();
        for engine in [Engine::Auto, Engine::BruteForce, Engine::BranchAndBound] {
            let z = find_zones_compiled(&c, engine, &limits).unwrap();
            check_zones(&s, &c, &z, &o);
            jsons.push(serde_json::to_string(&dealzone::report::json::zones(&s, &c, &z)).unwrap());
        }
        prop_assert_eq!(&jsons[0], &jsons[1]);
        prop_assert_eq!(&jsons[1], &jsons[2]);
    }

    /// Removing a red line never shrinks the acceptable set, and what remains is exactly
    /// the oracle's answer without that red line.
    #[test]
    fn removing_a_red_line_never_shrinks_the_acceptable_set(g in gen_scenario(100_000)) {
        let s = g.scenario();
        let c = compile(&s);
        let limits = Limits::default();
        let all = as_set(&brute_force(&c, &limits).unwrap().acceptable);
        let m = c.red_lines().len();
        let keep_pre = vec![true; c.preconditions().len()];
        for k in 0..m {
            let mut keep = vec![true; m];
            keep[k] = false;
            let fewer = c.with_constraints(&keep, &keep_pre);
            prop_assert_eq!(fewer.red_lines().len(), m - 1);
            let o = oracle_with(&s, c.space(), &keep);
            for engine in [Engine::BruteForce, Engine::BranchAndBound] {
                let z = find_zones_compiled(&fewer, engine, &limits).unwrap();
                let got = as_set(&z.acceptable);
                prop_assert!(got.is_superset(&all), "red line {} removed: lost states", k);
                prop_assert_eq!(&got, &o.acceptable);
                prop_assert_eq!(z.candidates, o.candidates);
            }
        }
    }

    /// Same bytes from the zone and path JSON across runs, engines and thread counts.
    #[test]
    fn json_is_identical_across_runs_and_thread_counts(g in gen_scenario(100_000)) {
        let s = g.scenario();
        let run = |engine: Engine| {
            let c = compile(&s);
            let limits = Limits::default();
            let z = find_zones_compiled(&c, engine, &limits).unwrap();
            let mut out = vec![serde_json::to_string(&dealzone::report::json::zones(&s, &c, &z)).unwrap()];
            for model in [
                dealzone::analysis::path::CostModel::TotalConcession,
                dealzone::analysis::path::CostModel::FewestSteps,
                dealzone::analysis::path::CostModel::Fairest,
            ] {
                let p = dealzone::analysis::path::paths(&c, &z, model, &limits).unwrap();
                out.push(serde_json::to_string(&dealzone::report::json::paths(&s, &c, &p)).unwrap());
            }
            out
        };
        let pool = |k: usize| rayon::ThreadPoolBuilder::new().num_threads(k).build().unwrap();
        for engine in [Engine::BruteForce, Engine::BranchAndBound] {
            let first = run(engine);
            prop_assert_eq!(&first, &run(engine));
            prop_assert_eq!(&first, &pool(1).install(|| run(engine)));
            prop_assert_eq!(&first, &pool(2).install(|| run(engine)));
            prop_assert_eq!(&first, &pool(3).install(|| run(engine)));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Unit tests: limits and seeds.
// ---------------------------------------------------------------------------------------

const TWO_ACCEPTABLE: &str = r#"
name = "two"
[issues]
a = ["lo", "mid", "hi"]
[status_quo]
a = "lo"
[parties.p]
weights = { a = 1 }
values = { a = [0, 0.5, 1] }
reservation = 0.5
"#;

#[test]
fn max_acceptable_is_a_typed_error_for_every_engine() {
    let s = Scenario::from_toml_str(TWO_ACCEPTABLE, "two.toml").unwrap();
    let c = compile(&s);
    assert_eq!(
        brute_force(&c, &Limits::default()).unwrap().acceptable,
        [1, 2]
    );
    let limits = Limits {
        max_acceptable: 1,
        ..Limits::default()
    };
    let is_limit = |r: Result<(), Error>| {
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: dealzone::Limit::MaxAcceptable,
                value: 1
            })
        )
    };
    assert!(is_limit(brute_force(&c, &limits).map(|_| ())));
    assert!(is_limit(branch_and_bound(&c, &limits).map(|_| ())));
    for engine in [Engine::Auto, Engine::BruteForce, Engine::BranchAndBound] {
        assert!(is_limit(
            find_zones_compiled(&c, engine, &limits).map(|_| ())
        ));
        assert!(is_limit(zone::find_zones(&s, engine, &limits).map(|_| ())));
    }
    // Exactly at the limit is fine.
    let limits = Limits {
        max_acceptable: 2,
        ..Limits::default()
    };
    assert_eq!(branch_and_bound(&c, &limits).unwrap(), [1, 2]);
    assert_eq!(brute_force(&c, &limits).unwrap().acceptable, [1, 2]);
}

#[test]
fn a_space_beyond_u64_is_too_many_states() {
    use std::fmt::Write;
    let mut t = String::from("name = \"huge\"\n[issues]\n");
    for i in 0..33 {
        writeln!(t, "i{i} = [\"a\", \"b\", \"c\", \"d\"]").unwrap();
    }
    t.push_str("[status_quo]\n");
    for i in 0..33 {
        writeln!(t, "i{i} = \"a\"").unwrap();
    }
    t.push_str("[parties.p]\nweights = { i0 = 1 }\nvalues = { i0 = [0, 0.1, 0.2, 0.3] }\n");
    let s = Scenario::from_toml_str(&t, "huge.toml").unwrap();
    assert_eq!(s.state_count(), Some(1u128 << 66));
    let limits = Limits {
        max_states: u64::MAX,
        ..Limits::default()
    };
    match CompiledScenario::new(&s, &limits) {
        Err(Error::TooManyStates {
            states,
            limit,
            states_log10,
        }) => {
            assert_eq!(states, 1u128 << 66);
            assert!((states_log10 - 66.0 * 2f64.log10()).abs() < 1e-9);
            assert_eq!(limit, u64::MAX);
        }
        other => panic!("expected TooManyStates, got {other:?}"),
    }
    // Under the default limit, too, and through find_zones.
    assert!(matches!(
        CompiledScenario::new(&s, &Limits::default()),
        Err(Error::TooManyStates { .. })
    ));
    assert!(matches!(
        zone::find_zones(&s, Engine::Auto, &Limits::default()),
        Err(Error::TooManyStates { .. })
    ));
    // A space that fits a u64 but not `max_states`.
    let small = Limits {
        max_states: 2,
        ..Limits::default()
    };
    let two = Scenario::from_toml_str(TWO_ACCEPTABLE, "two.toml").unwrap();
    assert!(matches!(
        CompiledScenario::new(&two, &small),
        Err(Error::TooManyStates {
            states: 3,
            limit: 2,
            ..
        })
    ));
}

/// The scenario in force on `date`, compiled, with the red line `name` left out.
pub fn timeline_without(date: &str, name: &str) -> (Scenario, CompiledScenario) {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let date: Date = date.parse().unwrap();
    let s = t.at(date).unwrap().clone();
    let c = compile(&s);
    let keep: Vec<bool> = c.red_line_names().iter().map(|n| n != name).collect();
    assert_eq!(
        keep.iter().filter(|k| !**k).count(),
        1,
        "{name} is one red line on {date}"
    );
    let keep_pre = vec![true; c.preconditions().len()];
    let c = c.with_constraints(&keep, &keep_pre);
    (s, c)
}

fn counts(c: &CompiledScenario) -> (u64, u64, usize, usize) {
    let limits = Limits::default();
    let z = find_zones_compiled(c, Engine::BruteForce, &limits).unwrap();
    let b = find_zones_compiled(c, Engine::BranchAndBound, &limits).unwrap();
    assert_eq!(
        z,
        Zones {
            engine: Engine::BruteForce,
            ..b
        }
    );
    (z.states, z.candidates, z.acceptable.len(), z.zones.len())
}

#[test]
fn russia_ukraine_2025_04_22_without_neutrality() {
    let (_, c) = timeline_without("2025-04-22", "russia/neutrality");
    let (_, candidates, acceptable, zones) = counts(&c);
    assert_eq!((candidates, acceptable, zones), (3888, 1512, 1));
    let limits = Limits::default();
    let z = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
    let p = dealzone::analysis::path::paths(
        &c,
        &z,
        dealzone::analysis::path::CostModel::TotalConcession,
        &limits,
    )
    .unwrap();
    assert_eq!(p.len(), 1);
    assert!(p[0].reachable);
    assert!(p[0].blocked_by.is_empty());
}

#[test]
fn russia_ukraine_2024_09_12_without_the_land_lines_is_walled_off() {
    // Dropping both of Russia's land red lines (territory and Crimea) opens zones that
    // Moscow's own precondition walls off: no truce before the land is settled.
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let s = t.at("2024-09-12".parse().unwrap()).unwrap().clone();
    let c = compile(&s);
    let drop = ["russia/keep_territory", "russia/keep_crimea"];
    let keep: Vec<bool> = c
        .red_line_names()
        .iter()
        .map(|n| !drop.contains(&n.as_str()))
        .collect();
    assert_eq!(keep.iter().filter(|k| !**k).count(), 2);
    let c = c.with_constraints(&keep, &vec![true; c.preconditions().len()]);
    let limits = Limits::default();
    let z = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
    assert!(!z.zones.is_empty());
    for model in [
        dealzone::analysis::path::CostModel::TotalConcession,
        dealzone::analysis::path::CostModel::FewestSteps,
        dealzone::analysis::path::CostModel::Fairest,
    ] {
        let p = dealzone::analysis::path::paths(&c, &z, model, &limits).unwrap();
        assert_eq!(p.len(), z.zones.len());
        for zp in &p {
            assert!(!zp.reachable, "{model:?}");
            assert_eq!(zp.cost, None);
            assert!(zp.states.is_empty());
            assert!(
                zp.blocked_by
                    .iter()
                    .any(|b| b == "russia/terms_before_truce"),
                "{:?}",
                zp.blocked_by
            );
        }
    }
}

#[test]
fn wage_round_and_supplier_contract_counts() {
    let limits = Limits::default();
    for (file, want) in [
        ("seeds/wage_round.toml", (486, 30, 29, 1)),
        ("seeds/supplier_contract.toml", (1215, 224, 136, 1)),
    ] {
        let s = Scenario::load(crate::root(file)).unwrap();
        let c = compile(&s);
        assert_eq!(counts(&c), want, "{file}");
        // And the oracle agrees.
        let o = oracle(&s, c.space());
        let z = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
        check_zones(&s, &c, &z, &o);
    }
}

/// A space of 4^10 states, large enough that the engines split it into many parallel
/// chunks: every engine, the oracle and the JSON agree for any number of threads.
#[test]
fn a_million_states_agree_across_engines_and_thread_counts() {
    use std::fmt::Write;
    let mut t = String::from("name = \"million\"\n[issues]\n");
    for i in 0..10 {
        writeln!(t, "i{i} = [\"a\", \"b\", \"c\", \"d\"]").unwrap();
    }
    t.push_str("[status_quo]\n");
    for i in 0..10 {
        writeln!(t, "i{i} = \"a\"").unwrap();
    }
    let all = |v: &str| {
        (0..10)
            .map(|i| format!("i{i} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let w = [0.05, 0.15, 0.1, 0.1, 0.05, 0.15, 0.1, 0.1, 0.1, 0.1];
    let weights = (0..10)
        .map(|i| format!("i{i} = {}", w[i]))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        t,
        "[parties.p]\nreservation = 0.65\nweights = {{ {weights} }}\nvalues = {{ {} }}",
        all("[0, 0.3, 0.7, 1]")
    )
    .unwrap();
    writeln!(
        t,
        "[parties.q]\nreservation = 0.35\nweights = {{ {} }}\nvalues = {{ {} }}",
        all("0.1"),
        all("[1, 0.75, 0.25, 0]")
    )
    .unwrap();
    t.push_str(
        r#"[parties.m]
red_lines = [
  { id = "r0", rule = "i0 <= c or i1 >= b" },
  { id = "r1", rule = "not (i2 == d and i3 == d)" },
  { id = "r2", rule = "i4 in {a, c} -> i5 != a" },
  { id = "r3", rule = "i7 >= b" },
  { id = "r4", rule = "i9 <= c <-> i8 != b" },
]
"#,
    );
    let s = Scenario::from_toml_str(&t, "million.toml").unwrap();
    let c = compile(&s);
    assert_eq!(c.space().size(), 1 << 20);
    let o = oracle(&s, c.space());
    assert!(o.acceptable.len() > 10_000, "{}", o.acceptable.len());
    assert_eq!(count_candidates(&c, MAX_FACTOR), Some(o.candidates));
    let run = |engine| {
        let z = find_zones_compiled(&c, engine, &Limits::default()).unwrap();
        let json = serde_json::to_string(&dealzone::report::json::zones(&s, &c, &z)).unwrap();
        (z, json)
    };
    let (z, json) = run(Engine::BruteForce);
    check_zones(&s, &c, &z, &o);
    let pool = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
    };
    for (engine, k) in [
        (Engine::BruteForce, 1),
        (Engine::BruteForce, 3),
        (Engine::BranchAndBound, 1),
        (Engine::BranchAndBound, 2),
    ] {
        let (other, other_json) = pool(k).install(|| run(engine));
        assert_eq!(other.acceptable, z.acceptable, "{engine:?}, {k} threads");
        assert_eq!(other.candidates, z.candidates);
        assert_eq!(other_json, json, "{engine:?}, {k} threads");
    }
}
