//! Harness code shared by dealzone's fuzz targets: one function per target (each target
//! file in `fuzz_targets/` is a one-line call), the byte-driven scenario builder
//! ([`builder`]) and the brute-force twins ([`oracle`], [`matrix`]).
//!
//! Readers must answer every input with a value or a typed error whose message renders;
//! analyses on small built scenarios must agree with their twins. Any panic, including a
//! twin's mismatch assertion, is a finding.

pub mod builder;
pub mod matrix;
pub mod oracle;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use arbitrary::Unstructured;
use dealzone::analysis::bargain::{self as bargain_mod};
use dealzone::analysis::explain::{ExplainLimits, explain, first_conflict};
use dealzone::analysis::path::{CostModel, paths};
use dealzone::analysis::stability::{Concept, Conflict, analyse};
use dealzone::analysis::zone::{
    Engine, MAX_FACTOR, branch_and_bound, brute_force, count_candidates, find_zones_compiled,
    first_acceptable,
};
use dealzone::io::genius::{ImportOptions, Input, import};
use dealzone::model::Issue;
use dealzone::model::condition::{Condition, ConditionNames};
use dealzone::model::rule::{Rule, parse};
use dealzone::space::{CompiledScenario, StateIndex, StateSpace};
use dealzone::{Limits, Scenario, Timeline};

use builder::GenScenario;
use oracle::*;

/// Whether `DEALZONE_FUZZ_DEBUG` is set: targets then print what an input decoded to
/// (replaying one input: `DEALZONE_FUZZ_DEBUG=1 fuzz/target/…/TARGET INPUT`).
fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("DEALZONE_FUZZ_DEBUG").is_some())
}

/// A private scratch directory for this fuzzing process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dealzone-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        std::fs::write(
            dir.join("base.toml"),
            include_str!("../../tests/fixtures/valid/wage_base.toml"),
        )
        .expect("write base");
        dir
    })
}

// ---------------------------------------------------------------------------------------
// Readers.
// ---------------------------------------------------------------------------------------

/// `read_scenario`: scenario TOML text (UTF-8 in memory, anything else through a file so
/// that the reader's own UTF-8 check runs). A loaded scenario of at most 512 states goes
/// through every analysis.
pub fn read_scenario(data: &[u8]) {
    let result = match std::str::from_utf8(data) {
        Ok(text) => Scenario::from_toml_str(text, "fuzz.toml"),
        Err(_) => {
            let path = scratch().join("scenario.toml");
            std::fs::write(&path, data).expect("write scratch");
            Scenario::load(&path)
        }
    };
    match result {
        Ok(s) => {
            if s.state_count().is_some_and(|n| n <= 512) {
                every_analysis(&s);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Every analysis on a small scenario as read (richer shapes than the builder's: tactics,
/// events, softenings, mediators): each answers or returns a typed error, never panics.
fn every_analysis(s: &Scenario) {
    let limits = Limits::default();
    let c = CompiledScenario::new(s, &limits).expect("small space compiles");
    let z = find_zones_compiled(&c, Engine::Auto, &limits).expect("zones of a small space");
    let _ = format!("{:?}", dealzone::report::json::zones(s, &c, &z));
    for model in [
        CostModel::TotalConcession,
        CostModel::FewestSteps,
        CostModel::Fairest,
    ] {
        let p = paths(&c, &z, model, &limits).expect("paths in a small space");
        let _ = format!("{:?}", dealzone::report::json::paths(s, &c, &p));
    }
    let budget = ExplainLimits {
        max_checks: 500,
        max_sets: 50,
        ..ExplainLimits::default()
    };
    let _ = explain(s, &c, &budget, &limits).expect("explain a small space");
    let _ = bargain_mod::bargain_compiled(&c, &limits).expect("bargain a small space");
    let all: Vec<u64> = (0..c.space().size()).collect();
    if let Err(e) = dealzone::analysis::stability::scenario_stability(
        s,
        &c,
        dealzone::analysis::stability::Feasibility::All,
        &all,
    ) {
        let _ = e.to_string();
    }
    let config = dealzone::sim::SimConfig {
        runs: 2,
        seed: 7,
        rounds: Some(12),
        ..Default::default()
    };
    match dealzone::sim::simulate(s, &config, &|| {}) {
        Ok(summary) => assert_eq!(
            summary.outcomes.iter().map(|o| o.count).sum::<u64>(),
            summary.agreements
        ),
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `read_timeline`: timeline TOML text whose `base` is read from a scratch directory
/// holding one valid base (`base.toml`, the wage-round fixture).
pub fn read_timeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Timeline::from_toml_str(text, "timeline.toml", scratch()) {
        Ok(t) => {
            for c in t.changes() {
                let _ = c.summary();
            }
            for (d, s) in t.snapshots() {
                assert_eq!(t.at(d).expect("own date").name(), s.name());
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fn rule_issues() -> &'static Vec<Issue> {
    static ISSUES: OnceLock<Vec<Issue>> = OnceLock::new();
    ISSUES.get_or_init(|| {
        vec![
            Issue::new("talks", ["none", "indirect", "direct"]).unwrap(),
            Issue::new("ceasefire", ["no", "yes"]).unwrap(),
            Issue::new("nato", ["member", "neutral", "deferred", "x"]).unwrap(),
        ]
    })
}

/// `parse_rule`: the rule parser, the name resolver and the behaviour-condition parser on
/// arbitrary text over three fixed issues. A rule that parses prints back to text that
/// parses to a rule with the same truth table.
pub fn parse_rule(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let issues = rule_issues();
    let _ = parse(text).map_err(|e| e.to_string());
    let names = ConditionNames {
        party: "a",
        parties: &["a", "b"],
        constraints: &[("a", "x"), ("b", "y")],
    };
    let _ = Condition::parse(text, issues, &names).map_err(|e| e.to_string());
    match Rule::new(text, issues) {
        Ok(rule) => {
            let printed = rule.to_text(issues);
            let again = Rule::new(&printed, issues)
                .unwrap_or_else(|e| panic!("printed rule `{printed}` does not parse: {e}"));
            let space = StateSpace::from_radices(&[3, 2, 4], 100).unwrap();
            for s in 0..space.size() {
                let levels = space.decode(s);
                assert_eq!(
                    rule.eval(&levels),
                    again.eval(&levels),
                    "`{text}` and its print `{printed}` differ at {levels:?}"
                );
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// The GENIUS readers: the input is a domain, then profiles, separated by NUL bytes.
/// Imports of at most 10,000 levels; an import that succeeds exports to a scenario file
/// that loads with the same issues, levels and (≤ 4,096 states) the same utilities to the
/// bit, and is bargained over when its space is small.
pub fn read_genius(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let Some(domain) = parts.next() else { return };
    let Ok(domain) = std::str::from_utf8(domain) else {
        return;
    };
    let mut profiles = Vec::new();
    for (k, p) in parts.take(3).enumerate() {
        let Ok(p) = std::str::from_utf8(p) else {
            return;
        };
        profiles.push(Input::new(format!("p{k}"), p));
    }
    let options = ImportOptions {
        max_levels: 10_000,
        ..ImportOptions::default()
    };
    let result = import(&Input::new("domain", domain), &profiles, &options);
    if debug() {
        eprintln!("{result:?}");
    }
    match result {
        Ok(imported) => {
            let text = dealzone::io::genius::export::to_toml(&imported);
            let back = Scenario::from_toml_str(&text, "exported.toml")
                .unwrap_or_else(|e| panic!("exported scenario does not load: {e}\n{text}"));
            let s = imported.scenario();
            let ids = |s: &Scenario| -> Vec<(String, Vec<String>)> {
                s.issues()
                    .iter()
                    .map(|i| {
                        let levels = i.levels().iter().map(|l| l.id().to_string()).collect();
                        (i.id().to_string(), levels)
                    })
                    .collect()
            };
            assert_eq!(ids(s), ids(&back), "exported issues and levels");
            let reservations = |s: &Scenario| -> Vec<u64> {
                s.parties()
                    .iter()
                    .filter_map(|p| p.preferences())
                    .map(|p| p.reservation().to_bits())
                    .collect()
            };
            assert_eq!(
                reservations(s),
                reservations(&back),
                "exported reservations"
            );
            if s.state_count().is_some_and(|n| n <= 4096) {
                // export.rs: "loading the TOML gives the same utility for every outcome,
                // to the bit".
                let space = StateSpace::new(s, 4096).unwrap();
                for st in 0..space.size() {
                    let levels = space.decode(st);
                    assert_eq!(
                        naive_utilities(s, &levels)
                            .iter()
                            .map(|u| u.to_bits())
                            .collect::<Vec<_>>(),
                        naive_utilities(&back, &levels)
                            .iter()
                            .map(|u| u.to_bits())
                            .collect::<Vec<_>>(),
                        "utilities at {levels:?} after export"
                    );
                }
                let limits = Limits::default();
                let _ =
                    dealzone::formats::genius::bargain(&imported, &Default::default(), &limits)
                        .expect("bargain over a small imported domain");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `read_gmcr`: a `.gmcr` file (at most 4,096 states); a conflict of at most 40 states is
/// analysed and checked against the matrix twin.
pub fn read_gmcr(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits {
        max_conflict_states: 4096,
        ..Limits::default()
    };
    match dealzone::io::gmcr::parse_gmcr(text, "fuzz.gmcr", &limits) {
        Ok(f) => {
            if f.conflict.state_count() <= 40 {
                check_stability(&f.conflict);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Analyses against their twins.
// ---------------------------------------------------------------------------------------

fn build(data: &[u8], max_states: usize, with_rules: bool) -> Option<(GenScenario, Scenario)> {
    let mut u = Unstructured::new(data);
    let g = GenScenario::build(&mut u, max_states, with_rules).ok()?;
    if debug() {
        eprintln!("{}", g.to_toml());
    }
    let s = g.scenario();
    Some((g, s))
}

/// `zones_diff`: brute force, branch and bound, the existence search, candidate counting
/// and every engine of `find_zones_compiled` against the naive flood fill (≤ 1,024 states).
pub fn zones_diff(data: &[u8]) {
    let Some((_, s)) = build(data, 1024, false) else {
        return;
    };
    let c = compile(&s);
    let o = oracle(&s, c.space());
    let limits = Limits::default();
    let scan = brute_force(&c, &limits).unwrap();
    assert_eq!(scan.candidates, o.candidates);
    assert_eq!(as_set(&scan.acceptable), o.acceptable);
    let bnb = branch_and_bound(&c, &limits).unwrap();
    assert_eq!(bnb, scan.acceptable, "branch and bound != brute force");
    match first_acceptable(&c, &limits).unwrap() {
        Some(st) => assert!(o.acceptable.contains(&st), "{st} is not acceptable"),
        None => assert!(o.acceptable.is_empty(), "first_acceptable missed a state"),
    }
    for max_factor in [0, 1, 4, MAX_FACTOR] {
        if let Some(n) = count_candidates(&c, max_factor) {
            assert_eq!(n, o.candidates, "count_candidates, max_factor {max_factor}");
        }
    }
    assert_eq!(count_candidates(&c, MAX_FACTOR), Some(o.candidates));
    let mut jsons = Vec::new();
    for engine in [Engine::Auto, Engine::BruteForce, Engine::BranchAndBound] {
        let z = find_zones_compiled(&c, engine, &limits).unwrap();
        check_zones(&s, &c, &z, &o);
        jsons.push(format!("{:?}", dealzone::report::json::zones(&s, &c, &z)));
    }
    assert_eq!(jsons[0], jsons[1]);
    assert_eq!(jsons[1], jsons[2]);
}

/// `paths_diff`: every cost model's paths against BFS (fewest steps, reachability),
/// Dijkstra on the materialised graph (total concession), simple-path enumeration
/// (fairest, ≤ 24 states), and `blocked_by` against re-searches (≤ 256 states).
pub fn paths_diff(data: &[u8]) {
    let Some((_, s)) = build(data, 256, false) else {
        return;
    };
    let c = compile(&s);
    let limits = Limits::default();
    let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
    let mut reach = Vec::new();
    for model in [
        CostModel::TotalConcession,
        CostModel::FewestSteps,
        CostModel::Fairest,
    ] {
        let ps = paths(&c, &zones, model, &limits).unwrap();
        assert_eq!(ps.len(), zones.zones.len());
        for (k, p) in ps.iter().enumerate() {
            check_path(&s, &c, &zones, k, p, model);
            if model == CostModel::Fairest && c.space().size() <= 24 {
                let zone: BTreeSet<StateIndex> = zones.zones[k].states.iter().copied().collect();
                let twin = fairest_twin(&s, c.space(), &zone);
                match (p.cost, twin) {
                    (None, None) => {}
                    (Some(got), Some(want)) => {
                        assert!((got - want).abs() <= 1e-9, "fairest {got} != twin {want}")
                    }
                    (got, want) => panic!("fairest {got:?} vs twin {want:?}"),
                }
            }
        }
        reach.push(
            ps.iter()
                .map(|p| (p.reachable, p.blocked_by.clone()))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(reach[0], reach[1]);
    assert_eq!(reach[1], reach[2]);
}

/// `explain_diff`: QuickXplain's conflict, the fast `first_conflict`, and every minimal
/// conflict and relaxation (from a table and from searches) against subset enumeration
/// (≤ 256 states, ≤ 10 constraints); softenings open a zone.
pub fn explain_diff(data: &[u8]) {
    let Some((_, s)) = build(data, 256, false) else {
        return;
    };
    if items(&s).len() > 10 {
        return;
    }
    let (conflicts, relaxations) = brute_sets(&s);
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    for table_states in [u64::MAX, 0] {
        let budget = ExplainLimits {
            table_states,
            ..ExplainLimits::default()
        };
        let e = explain(&s, &c, &budget, &Limits::default()).unwrap();
        assert!(e.complete);
        assert_eq!(
            e.conflicts, conflicts,
            "conflicts, table_states {table_states}"
        );
        assert_eq!(
            e.relaxations, relaxations,
            "relaxations, table_states {table_states}"
        );
        if conflicts.is_empty() {
            assert!(e.acceptable > 0 && e.first_conflict.is_empty());
        } else {
            assert!(
                conflicts.contains(&e.first_conflict),
                "QuickXplain's conflict"
            );
        }
        for sf in &e.softenings {
            let soft = Rule::new(&sf.to, s.issues()).unwrap();
            let space = c.space();
            let opens = (0..space.size()).any(|st| {
                let levels = space.decode(st);
                s.red_lines().all(|r| {
                    if r.name() == sf.name {
                        soft.eval(&levels)
                    } else {
                        r.rule().eval(&levels)
                    }
                }) && naive_reservations(&s, &levels)
            });
            assert!(opens, "softening {sf:?} opens nothing");
        }
    }
    let fast = first_conflict(&s, &c, &Limits::default()).unwrap();
    if conflicts.is_empty() {
        assert!(fast.is_empty());
    } else {
        assert!(
            conflicts.contains(&fast),
            "{fast:?} not among {conflicts:?}"
        );
    }
}

/// `bargain_diff`: the first byte picks the mode. Even: a built scenario (≤ 1,024 states):
/// candidates, frontier and solutions against the naive ones. Odd: raw utility rows on a
/// small grid (ties common): Pareto frontier (the sweeps and divide and conquer), Nash,
/// Kalai–Smorodinsky, GENIUS Kalai, egalitarian and welfare against all-pairs and argmax
/// loops.
pub fn bargain_diff(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 1 {
        let mut u = Unstructured::new(rest);
        let Ok(d) = u.int_in_range(1..=5usize) else {
            return;
        };
        let Ok(steps) = u.int_in_range(1..=12u8) else {
            return;
        };
        let value = |u: &mut Unstructured<'_>| -> arbitrary::Result<f64> {
            Ok(f64::from(u.int_in_range(0..=steps)?) / f64::from(steps))
        };
        let mut res = Vec::new();
        for _ in 0..d {
            let Ok(v) = value(&mut u) else { return };
            res.push(v * 0.5);
        }
        let mut rows = Vec::new();
        while rows.len() < 300 && !u.is_empty() {
            let mut row = Vec::with_capacity(d);
            for _ in 0..d {
                row.push(value(&mut u).unwrap_or(0.0));
            }
            rows.push(row);
        }
        check_all(&rows, &res);
        return;
    }
    let Some((_, s)) = build(rest, 1024, false) else {
        return;
    };
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let b = bargain_mod::bargain_compiled(&c, &Limits::default()).unwrap();
    let (states, rows) = naive_candidates(&s);
    assert_eq!(b.candidates.states(), &states[..]);
    let got: Vec<Vec<f64>> = b.candidates.rows().map(<[f64]>::to_vec).collect();
    assert_eq!(got, rows);
    assert_eq!(b.pareto, brute_pareto(&rows), "frontier");
    let res: Vec<f64> = s
        .parties()
        .iter()
        .filter_map(|p| p.preferences())
        .map(|p| p.reservation())
        .collect();
    assert_eq!(
        b.nash.as_ref().map(|n| n.row),
        brute_nash(&rows, &res),
        "nash"
    );
    assert_eq!(
        b.kalai_smorodinsky.as_ref().map(|n| n.row),
        brute_ks(&rows, &res),
        "ks"
    );
    assert_eq!(
        b.genius_kalai.as_ref().map(|n| n.row),
        brute_genius_kalai(&rows),
        "genius kalai"
    );
    let zones = find_zones_compiled(&c, Engine::Auto, &Limits::default()).unwrap();
    assert_eq!(b.zone_size, zones.acceptable.len() as u64);
}

/// Stability of one conflict against the matrix twin, with the inclusions between
/// concepts (Nash ⊆ SMR ⊆ GMR, Nash ⊆ SEQ ⊆ GMR).
pub fn check_stability(c: &Conflict) {
    let st = analyse(c);
    let twin = matrix::plain(c).stability();
    for (k, concept) in Concept::ALL.into_iter().enumerate().take(4) {
        for i in 0..c.dm_count() {
            for s in 0..c.state_count() {
                assert_eq!(
                    st.is_stable(concept, i, s),
                    twin[k][i][s],
                    "{concept:?}, decision maker {i}, state {}",
                    s + 1
                );
            }
        }
    }
    for i in 0..c.dm_count() {
        for s in 0..c.state_count() {
            let is = |k| st.is_stable(k, i, s);
            if is(Concept::Nash) {
                assert!(is(Concept::Smr) && is(Concept::Seq));
            }
            if is(Concept::Smr) || is(Concept::Seq) {
                assert!(is(Concept::Gmr));
            }
        }
    }
}

/// `stability_diff`: the first byte picks the mode. Even: an explicit conflict decoded
/// from the bytes (2–3 decision makers, 2–12 states, any moves, ranks with ties) against
/// the matrix twin. Odd: a built scenario with controls (≤ 256 states) through
/// `scenario_stability`, every state listed.
pub fn stability_diff(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(rest);
    if mode % 2 == 0 {
        let (Ok(dms), Ok(m)) = (u.int_in_range(2..=3usize), u.int_in_range(2..=12usize)) else {
            return;
        };
        let mut moves = vec![Vec::new(); dms];
        for list in &mut moves {
            for s in 0..m {
                for t in 0..m {
                    if s != t && u.int_in_range(0..=3u8).unwrap_or(1) == 0 {
                        list.push((s, t));
                    }
                }
            }
        }
        let spread = u.int_in_range(1..=(2 * m as u32)).unwrap_or(2);
        let ranks: Vec<Vec<u32>> = (0..dms)
            .map(|_| {
                (0..m)
                    .map(|_| u.int_in_range(0..=spread).unwrap_or(0))
                    .collect()
            })
            .collect();
        let c = Conflict::explicit(
            (0..dms).map(|d| format!("DM{d}")).collect(),
            (1..=m).map(|s| s.to_string()).collect(),
            moves,
            ranks,
        )
        .unwrap();
        check_stability(&c);
        return;
    }
    let Ok(g) = GenScenario::build(&mut u, 256, false) else {
        return;
    };
    if debug() {
        eprintln!("{}", g.to_toml());
    }
    let s = g.scenario();
    let c = compile(&s);
    let all: Vec<u64> = (0..c.space().size()).collect();
    use dealzone::analysis::stability::{Feasibility, scenario_stability};
    for feasibility in [Feasibility::All, Feasibility::Candidates] {
        match scenario_stability(&s, &c, feasibility, &all) {
            Ok(st) => {
                for x in st.equilibria(Concept::Nash) {
                    assert!(x.is_equilibrium(Concept::Gmr));
                    assert!(x.is_equilibrium(Concept::Smr));
                    assert!(x.is_equilibrium(Concept::Seq));
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// `simulate`: a built scenario with behaviour rules and roles (≤ 256 states), 1–4 runs
/// of at most 12 rounds under either protocol; the same seed gives the same summary, and
/// outcome counts add up to the agreements.
pub fn simulate(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(g) = GenScenario::build(&mut u, 256, true) else {
        return;
    };
    if debug() {
        eprintln!("{}", g.to_toml());
    }
    let s = g.scenario();
    let config = dealzone::sim::SimConfig {
        runs: u.int_in_range(1..=4).unwrap_or(1),
        seed: u.arbitrary().unwrap_or(0),
        rounds: Some(u.int_in_range(1..=12).unwrap_or(5)),
        protocol: if u.arbitrary().unwrap_or(false) {
            Some(dealzone::model::simulation::ProtocolKind::Mediation)
        } else {
            None
        },
        limits: Limits::default(),
    };
    match dealzone::sim::simulate(&s, &config, &|| {}) {
        Ok(a) => {
            assert_eq!(a.runs, config.runs);
            assert_eq!(
                a.outcomes.iter().map(|o| o.count).sum::<u64>(),
                a.agreements
            );
            let b = dealzone::sim::simulate(&s, &config, &|| {}).unwrap();
            assert_eq!(
                format!("{a:?}"),
                format!("{b:?}"),
                "same seed, same summary"
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}
