//! The field's baseline agents (`sim::baseline`) against their published behaviour:
//! MiCRO's ordered offers, waiting rule and acceptance rule; HardHeaded's Boulware target
//! and its frequency model's choice among offers of equal own utility; the random agent's
//! seeding and rationality; every name usable in scenarios and tournaments, checked.

use std::collections::BTreeSet;

use dealzone::Scenario;
use dealzone::sim::tactic::time_dependent_target;
use dealzone::sim::trace::Step;
use dealzone::sim::{World, monte_carlo};

fn two(a: &str, b: &str, deadline: u32) -> (Scenario, World) {
    let text = format!(
        r#"
name = "two"
[issues]
price = ["p0", "p1", "p2", "p3", "p4"]
extras = ["x", "y", "z"]
[status_quo]
price = "p0"
extras = "x"
[parties.seller]
reservation = 0.3
weights = {{ price = 0.7, extras = 0.3 }}
values = {{ price = [0, 0.25, 0.5, 0.75, 1], extras = [1, 0.4, 0] }}
[parties.buyer]
reservation = 0.2
weights = {{ price = 0.6, extras = 0.4 }}
values = {{ price = [1, 0.8, 0.5, 0.3, 0], extras = [0, 0.7, 1] }}
[simulation]
protocol = "alternating"
deadline = {deadline}
[simulation.tactics]
seller = {a}
buyer = {b}
"#
    );
    let s = Scenario::from_toml_str(&text, "two.toml").unwrap();
    let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    (s, w)
}

/// Party 0's states in the twin's ranked order: utility highest first, ties by index,
/// at or above its reservation (no red lines here).
fn ranked_twin(s: &Scenario, w: &World, p: usize) -> Vec<u64> {
    let prefs = s.parties()[p].preferences().unwrap();
    let mut all: Vec<(f64, u64)> = (0..w.space.size())
        .map(|x| (prefs.utility(&w.space.decode(x)), x))
        .filter(|(u, _)| *u >= prefs.reservation() - 1e-12)
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    all.into_iter().map(|(_, x)| x).collect()
}

#[test]
fn micro_concedes_in_order_only_when_matched_and_accepts_by_its_next_offer() {
    for (opponent, seed) in [
        ("{ kind = \"linear\", noise = 0 }", 1),
        ("{ kind = \"conceder\", noise = 0.3 }", 2),
        ("{ kind = \"hardliner\", noise = 0 }", 3),
        ("{ kind = \"random\" }", 4),
    ] {
        let (s, w) = two("{ kind = \"micro\" }", opponent, 40);
        let order = ranked_twin(&s, &w, 0);
        let u = |x: u64| w.utility(0, x);
        for run in 0..20 {
            let (r, t) = monte_carlo::replay(&w, seed, run);
            let mut mine: Vec<u64> = Vec::new();
            let mut theirs: BTreeSet<u64> = BTreeSet::new();
            let mut table: Option<u64> = None;
            let mut answered = 0;
            for st in &t.steps {
                match st {
                    Step::Offer {
                        party: 0, state, ..
                    } => {
                        if let Some(o) = table {
                            // It countered: the offer was worse than its next new offer.
                            let next = order.iter().find(|x| !mine.contains(x));
                            if let Some(&n) = next {
                                assert!(
                                    u(o) < u(n) - 1e-12,
                                    "{opponent}: rejected {o} >= next {n}"
                                );
                            }
                            answered += 1;
                        }
                        if !mine.contains(state) {
                            // A new offer: the next in its order, only when matched.
                            assert_eq!(Some(state), order.iter().find(|x| !mine.contains(x)));
                            assert!(
                                mine.is_empty() || theirs.len() >= mine.len(),
                                "{opponent}: conceded unmatched"
                            );
                            mine.push(*state);
                        }
                        table = None;
                    }
                    Step::Offer {
                        party: 1, state, ..
                    } => {
                        theirs.insert(*state);
                        table = Some(*state);
                    }
                    Step::Accept { party: 0, .. } => {
                        let o = table.expect("an offer to accept");
                        let next = order.iter().find(|x| !mine.contains(x)).copied();
                        let floor = mine.iter().map(|&x| u(x)).fold(f64::INFINITY, f64::min);
                        let bar = next.map_or(floor, u);
                        assert!(u(o) >= bar - 1e-12, "{opponent}: accepted {o} below {bar}");
                        answered += 1;
                    }
                    _ => {}
                }
            }
            let _ = (r, answered);
        }
    }
}

#[test]
fn hardheaded_is_boulware_and_offers_what_the_model_says_the_other_wants() {
    // The seller does not care about extras (weight 0): of its offers of equal utility it
    // must pick the extras level the buyer keeps asking for (z), once the buyer has spoken.
    let text = r#"
name = "indifferent"
[issues]
price = ["p0", "p1", "p2", "p3", "p4"]
extras = ["x", "y", "z"]
[status_quo]
price = "p0"
extras = "x"
[parties.seller]
reservation = 0.2
weights = { price = 1 }
values = { price = [0, 0.25, 0.5, 0.75, 1], extras = [0, 0, 0] }
[parties.buyer]
weights = { price = 0.5, extras = 0.5 }
values = { price = [1, 0.8, 0.5, 0.3, 0], extras = [0, 0.5, 1] }
[simulation]
protocol = "alternating"
deadline = 30
[simulation.tactics]
seller = { kind = "hardheaded" }
buyer = { kind = "hardliner", noise = 0 }
"#;
    let s = Scenario::from_toml_str(text, "hh.toml").unwrap();
    let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    let z = 2;
    for run in 0..5 {
        let (_, t) = monte_carlo::replay(&w, 7, run);
        let mut heard = false;
        let mut offers = 0;
        for st in &t.steps {
            match st {
                Step::Offer { party: 1, .. } => heard = true,
                Step::Offer {
                    party: 0,
                    state,
                    round,
                    ..
                } => {
                    offers += 1;
                    let levels = w.space.decode(*state);
                    if heard {
                        assert_eq!(levels[1], z, "round {round}: extras {}", levels[1]);
                    }
                    // Boulware with e = 0.05, k = 0.05 from its best (1.0) to its floor.
                    let tn = f64::from(*round) / 29.0;
                    let want = time_dependent_target(tn, 0.2, 1.0, 0.05, 0.05);
                    assert!(w.utility(0, *state) >= want - 1e-9, "round {round}");
                    // Not above the window when something in it is open.
                    assert!(w.utility(0, *state) <= want + 0.26);
                }
                _ => {}
            }
        }
        assert!(offers > 1);
    }
}

#[test]
fn random_agent_is_seeded_rational_and_accepts_half_the_time() {
    let (s, w) = two("{ kind = \"random\" }", "{ kind = \"random\" }", 30);
    let a = monte_carlo::run_many(&w, 50, 9, &|| {});
    assert_eq!(a, monte_carlo::run_many(&w, 50, 9, &|| {}));
    let offers = |seed: u64| -> Vec<u64> {
        let (_, t) = monte_carlo::replay(&w, seed, 0);
        t.steps
            .iter()
            .filter_map(|st| match st {
                Step::Offer { state, .. } => Some(*state),
                _ => None,
            })
            .collect()
    };
    assert_ne!(offers(1), offers(2));
    let (mut yes, mut asked) = (0u32, 0u32);
    for run in 0..300 {
        let (_, t) = monte_carlo::replay(&w, 3, run);
        let mut table: Option<(usize, u64)> = None;
        for st in &t.steps {
            match st {
                Step::Offer { party, state, .. } => {
                    let prefs = s.parties()[*party].preferences().unwrap();
                    assert!(prefs.utility(&w.space.decode(*state)) >= prefs.reservation() - 1e-12);
                    if let Some((from, o)) = table
                        && from != *party
                        && w.utility(*party, o)
                            >= s.parties()[*party].preferences().unwrap().reservation()
                    {
                        asked += 1;
                    }
                    table = Some((*party, *state));
                }
                Step::Accept { .. } => {
                    asked += 1;
                    yes += 1;
                }
                _ => {}
            }
        }
    }
    let rate = f64::from(yes) / f64::from(asked);
    assert!(asked > 400 && (0.4..0.6).contains(&rate), "{yes}/{asked}");
}

#[test]
fn the_names_work_in_scenarios_tournaments_and_check() {
    let dir = std::env::temp_dir().join(format!("dz_baseline_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        crate::root("seeds/wage_round.toml"),
        dir.join("wage_round.toml"),
    )
    .unwrap();
    let spec = "seed = 4\nrepetitions = 2\n[[scenarios]]\nfile = \"wage_round.toml\"\n\
                [[tactics]]\nname = \"hh\"\nkind = \"hardheaded\"\n\
                [[tactics]]\nname = \"micro\"\nkind = \"micro\"\n\
                [[tactics]]\nname = \"rnd\"\nkind = \"random\"\n";
    let spec_file = dir.join("spec.toml");
    std::fs::write(&spec_file, spec).unwrap();
    let sf = spec_file.to_str().unwrap();
    let (code, _, err) = crate::dealzone(&["check", sf]);
    assert_eq!(code, 0, "{err}");
    let out = dir.join("t.csv");
    let (code, _, err) = crate::dealzone(&["tournament", sf, "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let table = std::fs::read_to_string(&out).unwrap();
    // 3 tactics over the wage round's 2 negotiating parties (the conciliator mediates):
    // 9 line-ups, 2 repetitions each.
    assert_eq!(table.lines().count(), 1 + 9 * 2);
    for name in ["hh;micro", "micro;rnd", "rnd;rnd"] {
        assert!(table.contains(name), "{name}");
    }
    // A misspelt name: a positioned error with the right suggestion.
    std::fs::write(&spec_file, spec.replace("\"micro\"\n", "\"mikro\"\n")).unwrap();
    let (code, _, err) = crate::dealzone(&["check", sf]);
    assert_eq!(code, 1);
    assert!(err.contains("mikro") && err.contains("micro"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
