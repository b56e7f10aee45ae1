//! Sequencing in the simulator: every agreement reported has a precondition-respecting
//! path from the status quo in force, recomputed here by a brute-force twin (a breadth-first
//! search and a Dijkstra over every state, preconditions evaluated by the model's own rules,
//! re-parsed from their text) from what the trace says was in force; agreements with no
//! such path are reported as unimplementable, never as deals.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use dealzone::Scenario;
use dealzone::model::rule::Rule;
use dealzone::sim::trace::{End, InForce, Step};
use dealzone::sim::{Overrides, SimConfig, World, monte_carlo, summarise_streaming};
use proptest::prelude::*;

/// Every precondition of the scenario in [`World::constraints`] order (parties in file
/// order, each party's red lines then its preconditions), as `(constraint index, rule
/// text per variant)`: variant 0 as written, 1 suspended, 2.. the `soften … to` texts.
fn preconditions(s: &Scenario, w: &World) -> Vec<(usize, Vec<Option<Rule>>)> {
    let mut out = Vec::new();
    let mut k = 0;
    for p in s.parties() {
        k += p.red_lines().len();
        for c in p.preconditions() {
            assert_eq!(w.constraints[k].name, c.name());
            let mut variants = vec![Some(Rule::new(c.rule().text(), s.issues()).unwrap()), None];
            for text in &w.constraints[k].texts[2..] {
                variants.push(Some(Rule::new(text, s.issues()).unwrap()));
            }
            out.push((k, variants));
            k += 1;
        }
    }
    out
}

/// Levels of a packed state, decoded here (mixed radix, last issue fastest).
fn levels_of(s: &Scenario, mut x: u64) -> Vec<usize> {
    let radices: Vec<u64> = s.issues().iter().map(|i| i.levels().len() as u64).collect();
    let mut out = vec![0; radices.len()];
    for i in (0..radices.len()).rev() {
        out[i] = (x % radices[i]) as usize;
        x /= radices[i];
    }
    out
}

fn open(pre: &[(usize, Vec<Option<Rule>>)], inf: &InForce, levels: &[usize]) -> bool {
    pre.iter().all(|(k, variants)| {
        variants[usize::from(inf.variants[*k])]
            .as_ref()
            .is_none_or(|r| r.eval(levels))
    })
}

/// The twin: every state reachable from the status quo in force by one-rung moves through
/// states meeting every precondition in force, with the cheapest total concession to each.
fn twin(s: &Scenario, w: &World, inf: &InForce) -> BTreeMap<Vec<usize>, f64> {
    let pre = preconditions(s, w);
    let start = levels_of(s, inf.status_quo);
    let mut cost: BTreeMap<Vec<usize>, f64> = BTreeMap::new();
    if !open(&pre, inf, &start) {
        return cost;
    }
    // Reachability by BFS first, then Dijkstra by repeated relaxation (small spaces).
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(x) = queue.pop_front() {
        for i in 0..x.len() {
            for d in [-1i64, 1] {
                let l = x[i] as i64 + d;
                if l < 0 || l >= s.issues()[i].levels().len() as i64 {
                    continue;
                }
                let mut y = x.clone();
                y[i] = l as usize;
                if open(&pre, inf, &y) && seen.insert(y.clone()) {
                    queue.push_back(y);
                }
            }
        }
    }
    let utilities = |x: &[usize]| -> Vec<f64> {
        s.parties()
            .iter()
            .filter_map(|p| p.preferences().map(|q| q.utility(x)))
            .collect()
    };
    cost.insert(start.clone(), 0.0);
    let mut done = BTreeSet::new();
    while let Some((x, c)) = cost
        .iter()
        .filter(|(x, _)| !done.contains(*x))
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(x, c)| (x.clone(), *c))
    {
        done.insert(x.clone());
        let ux = utilities(&x);
        for i in 0..x.len() {
            for d in [-1i64, 1] {
                let l = x[i] as i64 + d;
                if l < 0 || l >= s.issues()[i].levels().len() as i64 {
                    continue;
                }
                let mut y = x.clone();
                y[i] = l as usize;
                if !seen.contains(&y) {
                    continue;
                }
                let step: f64 = ux
                    .iter()
                    .zip(utilities(&y))
                    .map(|(a, b)| (a - b).max(0.0))
                    .sum();
                let e = cost.entry(y).or_insert(f64::INFINITY);
                if c + step < *e {
                    *e = c + step;
                }
            }
        }
    }
    cost
}

/// Replay every run of a batch with its trace and check each agreement (and each
/// unimplementable end) against the twin. Returns (agreements, unimplementable).
fn check_batch(s: &Scenario, w: &World, runs: u64, seed: u64) -> (u64, u64) {
    let mut counts = (0, 0);
    let batch = monte_carlo::run_many(w, runs, seed, &|| {});
    for (k, r) in batch.iter().enumerate() {
        if !matches!(r.end, End::Agreement | End::Unimplementable(_)) {
            continue;
        }
        let (again, trace) = monte_carlo::replay(w, seed, k as u64);
        assert_eq!(&again, r);
        let Some(Step::End { in_force, .. }) = trace.steps.last() else {
            panic!("a trace ends with its end");
        };
        let reach = twin(s, w, in_force);
        let implementation = trace.steps.iter().find_map(|st| match st {
            Step::Implementation {
                state,
                implementable,
                path,
                cost,
                ..
            } => Some((*state, *implementable, path.clone(), *cost)),
            _ => None,
        });
        let (state, implementable, path, cost) =
            implementation.expect("an agreement records its implementation");
        let target = levels_of(s, state);
        match r.end {
            End::Agreement => {
                counts.0 += 1;
                assert_eq!(r.agreed, Some(state));
                let best = reach
                    .get(&target)
                    .unwrap_or_else(|| panic!("run {k}: agreed {target:?} has no path"));
                assert!(implementable);
                // The recorded path: from the status quo in force, one rung at a time,
                // every state open, into the agreed state, as cheap as the twin's.
                assert_eq!(path.first(), Some(&in_force.status_quo));
                assert_eq!(path.last(), Some(&state));
                let pre = preconditions(s, w);
                for pair in path.windows(2) {
                    let (a, b) = (levels_of(s, pair[0]), levels_of(s, pair[1]));
                    let diff: usize = a.iter().zip(&b).map(|(x, y)| x.abs_diff(*y)).sum();
                    assert_eq!(diff, 1, "run {k}: not a one-rung move");
                }
                for &x in &path {
                    assert!(
                        open(&pre, in_force, &levels_of(s, x)),
                        "run {k}: path breaks a precondition"
                    );
                }
                let cost = cost.expect("a path has a cost");
                assert!(
                    (cost - best).abs() < 1e-9,
                    "run {k}: cost {cost}, twin {best}"
                );
            }
            End::Unimplementable(x) => {
                counts.1 += 1;
                assert_eq!((x, r.agreed), (state, None));
                assert!(!implementable && path.is_empty());
                assert!(
                    !reach.contains_key(&target),
                    "run {k}: {target:?} has a path"
                );
            }
            _ => unreachable!(),
        }
    }
    counts
}

fn with(s: &Scenario, bad_faith: bool) -> World {
    let o = Overrides {
        bad_faith,
        ..Overrides::default()
    };
    World::new(s, o, &Default::default()).unwrap()
}

#[test]
fn bundled_agreements_have_a_precondition_respecting_path() {
    for file in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let s = Scenario::load(crate::root(file)).unwrap();
        for bad_faith in [false, true] {
            let w = with(&s, bad_faith);
            let (agreed, unimplementable) = check_batch(&s, &w, 60, 11);
            assert!(agreed > 0, "{file}: no agreement to check");
            if !bad_faith {
                assert_eq!(unimplementable, 0, "{file}");
            }
        }
    }
    // The timeline's snapshots: the check holds (no zone, so no agreement, on the bundled dates).
    let t = dealzone::Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    for s in [t.base(), t.latest()] {
        let w = with(s, false);
        check_batch(s, &w, 4, 3);
    }
}

const SANCTIONS: &str = r#"
name = "sanctions for verification"
[issues]
sanctions = ["kept", "lifted"]
verification = ["none", "partial", "full"]
[status_quo]
sanctions = "kept"
verification = "none"
[parties.west]
reservation = 0.3
weights = { verification = 0.7, sanctions = 0.3 }
values = { verification = [0, 0.6, 1], sanctions = [1, 0] }
red_lines = [{ id = "some_verification", rule = "verification >= partial" }]
preconditions = [{ id = "verify_first", rule = "sanctions == lifted -> verification == full" }]
[parties.east]
reservation = 0.7
weights = { sanctions = 0.6, verification = 0.4 }
values = { sanctions = [0, 1], verification = [1, 0.5, 0] }
red_lines = [{ id = "relief", rule = "sanctions == lifted" }]
[simulation]
deadline = 30
"#;

#[test]
fn sanctions_before_verification_is_not_a_deal() {
    // The one acceptable state lifts sanctions with partial verification, which the
    // precondition forbids: `dealzone path` finds it unreachable, and so does the simulator.
    let s = Scenario::from_toml_str(SANCTIONS, "sanctions.toml").unwrap();
    let config = SimConfig {
        runs: 200,
        seed: 5,
        ..Default::default()
    };
    let honest = summarise_streaming(&with(&s, false), &config, &|| {}).unwrap();
    assert_eq!((honest.agreements, honest.unimplementable), (0, 0));
    let w = with(&s, true);
    let bad = summarise_streaming(&w, &config, &|| {}).unwrap();
    assert_eq!(bad.agreements, 0);
    assert!(bad.unimplementable > 0, "bad-faith agents never agreed");
    let (agreed, unimplementable) = check_batch(&s, &w, 50, 5);
    assert_eq!(agreed, 0);
    assert!(unimplementable > 0);
    // The trace names what blocks it, and the JSON counts it apart from the deals.
    let k = (0..50)
        .find(|&k| matches!(monte_carlo::replay(&w, 5, k).0.end, End::Unimplementable(_)))
        .unwrap();
    let (r, t) = monte_carlo::replay(&w, 5, k);
    let doc = dealzone::report::simulate::trace(&w, 5, k, &r, &t);
    let step = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["step"] == "implementation")
        .unwrap();
    assert_eq!(
        step["blocked_by"],
        serde_json::json!([["west/verify_first"]])
    );
    assert_eq!(doc["unimplementable"]["verification"], "partial");
    let v = dealzone::report::simulate::json(&w, &bad);
    assert_eq!(v["unimplementable"], bad.unimplementable);
    assert_eq!(v["ends"]["unimplementable"], bad.unimplementable);
    assert_eq!(v["agreements"], 0);
}

#[test]
fn cli_bad_faith_flag_and_unimplementable_key() {
    let dir = std::env::temp_dir().join(format!("dz_seq_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("sanctions.toml");
    std::fs::write(&f, SANCTIONS).unwrap();
    let f = f.to_str().unwrap();
    let args = ["simulate", f, "--runs", "100", "--json"];
    let (code, out, err) = crate::dealzone(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["unimplementable"], 0);
    let (code, out, err) = crate::dealzone(&[&args[..], &["--bad-faith"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["unimplementable"].as_u64().unwrap() > 0);
    assert_eq!(v["agreements"], 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A random scenario of `crate::sim::small_scenario` with sequencing preconditions added
/// to its first two parties (`iA >= lX -> iB >= lY`: B before A; `iA <= lX`: a wall).
fn with_preconditions(
    text: &str,
    radices: &[usize],
    pre: &[(usize, usize, usize, usize, bool)],
) -> String {
    let mut per_party: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for (k, &(a, x, b, y, wall)) in pre.iter().enumerate() {
        let (a, b) = (a % radices.len(), b % radices.len());
        let (x, y) = (x % radices[a], y % radices[b]);
        let rule = if wall {
            format!("i{a} <= l{x}")
        } else {
            format!("i{a} >= l{x} -> i{b} >= l{y}")
        };
        per_party[k % 2].push(format!("{{ id = \"q{k}\", rule = \"{rule}\" }}"));
    }
    let mut out = text.to_string();
    for (p, list) in per_party.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let head = format!("[parties.p{p}]\n");
        out = out.replacen(
            &head,
            &format!("{head}preconditions = [{}]\n", list.join(", ")),
            1,
        );
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_agreements_have_a_path_and_unimplementable_ones_none(
        radices in prop::collection::vec(2usize..4, 2..4),
        prefs in prop::collection::vec(prop::collection::vec(any::<u8>(), 6..10), 2..4),
        lines in prop::collection::vec((0usize..4, 0usize..4, any::<bool>(), 0usize..4), 0..3),
        rules in prop::collection::vec((0usize..4, any::<u8>(), any::<u8>(), 0usize..8, 0usize..8), 0..5),
        events in prop::collection::vec((any::<u8>(), 0usize..8, 0usize..8), 0..3),
        tactics in prop::collection::vec(any::<u8>(), 1..4),
        pre in prop::collection::vec((0usize..4, 1usize..4, 0usize..4, 0usize..4, any::<bool>()), 1..4),
        mediator in any::<bool>(),
        bad_faith in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let text = crate::sim::small_scenario(&radices, &prefs, &lines, &rules, &events, &tactics, mediator);
        let text = with_preconditions(&text, &radices, &pre);
        let s = Scenario::from_toml_str(&text, "random.toml").unwrap();
        let w = with(&s, bad_faith);
        let (_, unimplementable) = check_batch(&s, &w, 16, seed);
        if !bad_faith {
            prop_assert_eq!(unimplementable, 0);
        }
    }
}

/// `[simulation] bad_faith = true` is `--bad-faith` written in the scenario: the same
/// batch, byte for byte; a value that is not a boolean is a positioned error.
#[test]
fn the_bad_faith_key_is_the_flag() {
    let dir = std::env::temp_dir().join(format!("dz_seq_key_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("sanctions.toml");
    std::fs::write(&plain, SANCTIONS).unwrap();
    let keyed = dir.join("sanctions_bad_faith.toml");
    std::fs::write(
        &keyed,
        SANCTIONS.replace("deadline = 30", "deadline = 30\nbad_faith = true"),
    )
    .unwrap();
    let run = |f: &std::path::Path, extra: &[&str]| {
        let (code, out, err) = crate::dealzone(
            &[
                &["simulate", f.to_str().unwrap(), "--runs", "100", "--json"],
                extra,
            ]
            .concat(),
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    let flag = run(&plain, &["--bad-faith"]);
    let key = run(&keyed, &[]);
    let v: serde_json::Value = serde_json::from_str(&key).unwrap();
    assert!(v["unimplementable"].as_u64().unwrap() > 0);
    assert_eq!(key, flag);
    assert_ne!(key, run(&plain, &[]));
    let s = Scenario::from_toml_str(&std::fs::read_to_string(&keyed).unwrap(), "k.toml").unwrap();
    assert!(s.simulation().bad_faith);
    let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    assert!(w.sequencing.bad_faith);
    let wrong = SANCTIONS.replace("deadline = 30", "deadline = 30\nbad_faith = \"yes\"");
    let e = Scenario::from_toml_str(&wrong, "wrong.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("wrong.toml") && e.contains("bad_faith"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
