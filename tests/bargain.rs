//! Bargaining: every analysis against a brute-force twin written here (an all-pairs Pareto
//! filter, direct argmax loops), on random utility vectors drawn from small grids so that
//! ties are common, and on the seeds.

use dealzone::analysis::bargain::{
    self, Bargain, Candidates, CandidatesError, PARETO_DECIMALS, count_rational, distance,
    egalitarian, genius_kalai, kalai_smorodinsky, max_welfare, nash, pareto_frontier,
};
use dealzone::space::{CompiledScenario, StateIndex};
use dealzone::{Limits, Scenario};
use proptest::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Brute-force twins.
// ---------------------------------------------------------------------------------------

const TIE: f64 = 1e-12;

fn round9(x: f64) -> f64 {
    let scale = 10f64.powi(PARETO_DECIMALS);
    (x * scale).round() / scale
}

/// All-pairs filter: `q` dominates `p` when it is ≥ in all and > in one, at 9 decimals.
fn brute_pareto(rows: &[Vec<f64>]) -> Vec<usize> {
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

fn rational(u: &[f64], res: &[f64]) -> bool {
    u.iter().zip(res).all(|(&u, &r)| u > r + 1e-12)
}

/// The first index whose value is within 1e-12 of the largest, among `eligible` indices.
fn brute_argmax(values: &[(usize, f64)]) -> Option<usize> {
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

fn brute_nash(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
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

fn brute_ks(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
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

fn brute_egalitarian(rows: &[Vec<f64>], res: &[f64]) -> Option<usize> {
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

fn brute_welfare(rows: &[Vec<f64>]) -> Option<usize> {
    let scored: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .map(|(k, u)| (k, u.iter().sum()))
        .collect();
    brute_argmax(&scored)
}

fn candidates(rows: &[Vec<f64>], res: &[f64]) -> Candidates {
    let states: Vec<StateIndex> = (0..rows.len() as u64).map(|k| 3 * k + 1).collect();
    Candidates::from_rows(states, rows, res.to_vec()).unwrap()
}

fn check_all(rows: &[Vec<f64>], res: &[f64]) {
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
    let b = Bargain::new(c.clone());
    // `Bargain::new` computes every concept in shared passes: the same answers, to the bit.
    assert_eq!(b.pareto, front, "Bargain::new frontier");
    assert_eq!(b.nash, nash(&c), "Bargain::new nash");
    assert_eq!(
        b.kalai_smorodinsky,
        kalai_smorodinsky(&c),
        "Bargain::new ks"
    );
    assert_eq!(b.egalitarian, egalitarian(&c), "Bargain::new egalitarian");
    assert_eq!(b.max_welfare, max_welfare(&c), "Bargain::new max welfare");
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

// ---------------------------------------------------------------------------------------
// Random utility vectors.
// ---------------------------------------------------------------------------------------

/// A value on a grid of `steps + 1` points in [0, 1], sometimes nudged below the
/// rounding precision (so that it must compare as equal) or computed the long way
/// (`0.1 + 0.2` style noise).
fn grid_value(steps: u32) -> impl Strategy<Value = f64> {
    (0..=steps, 0..6u8).prop_map(move |(k, noise)| {
        let x = f64::from(k) / f64::from(steps);
        match noise {
            0 => x + 3e-11,
            1 => (x - 3e-11).max(0.0),
            2 => (0..k).map(|_| 1.0 / f64::from(steps)).sum::<f64>(),
            _ => x,
        }
    })
}

fn gen_instance(
    parties: usize,
    steps: u32,
    max_rows: usize,
) -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>)> {
    (
        prop::collection::vec(
            prop::collection::vec(grid_value(steps), parties),
            0..=max_rows,
        ),
        prop::collection::vec(
            prop_oneof![Just(0.0), (0..=4u32).prop_map(|k| f64::from(k) / 4.0)],
            parties,
        ),
    )
}

/// A zero-sum instance: every row on the simplex, so (up to rounding) every row is on the
/// frontier.
fn gen_zero_sum(parties: usize, max_rows: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    prop::collection::vec(prop::collection::vec(0..=6u32, parties), 1..=max_rows).prop_map(|rows| {
        rows.into_iter()
            .map(|r| {
                let total: u32 = r.iter().sum::<u32>().max(1);
                r.iter().map(|&x| f64::from(x) / f64::from(total)).collect()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn one_party_matches_brute_force((rows, res) in gen_instance(1, 4, 30)) {
        check_all(&rows, &res);
    }

    #[test]
    fn two_parties_match_brute_force((rows, res) in gen_instance(2, 4, 80)) {
        check_all(&rows, &res);
    }

    #[test]
    fn three_parties_match_brute_force((rows, res) in gen_instance(3, 3, 120)) {
        check_all(&rows, &res);
    }

    #[test]
    fn four_parties_match_brute_force((rows, res) in gen_instance(4, 3, 250)) {
        check_all(&rows, &res);
    }

    #[test]
    fn five_parties_match_brute_force((rows, res) in gen_instance(5, 2, 250)) {
        check_all(&rows, &res);
    }

    #[test]
    fn six_parties_fine_grid_match_brute_force((rows, res) in gen_instance(6, 10, 200)) {
        check_all(&rows, &res);
    }

    #[test]
    fn continuous_values_match_brute_force(
        d in 2..=5usize,
        seed in prop::collection::vec(0.0..1.0f64, 5 * 300),
        n in 0..=300usize,
    ) {
        let rows: Vec<Vec<f64>> = seed.chunks(5).take(n).map(|r| r[..d].to_vec()).collect();
        check_all(&rows, &vec![0.2; d]);
    }

    #[test]
    fn zero_sum_rows_match_brute_force(
        rows in (2..=5usize).prop_flat_map(|d| gen_zero_sum(d, 200)),
    ) {
        let c = candidates(&rows, &vec![0.0; rows[0].len()]);
        prop_assert_eq!(pareto_frontier(&c), brute_pareto(&rows));
    }

    /// Random scenarios: the candidates are exactly the states meeting every red line, with
    /// the model's utilities, and the frontier is the brute-force one.
    #[test]
    fn scenario_candidates_and_frontier_match_brute_force(g in crate::zones::gen_scenario(3_000)) {
        let s = g.scenario();
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let b = bargain::bargain_compiled(&c, &Limits::default()).unwrap();
        let (states, rows) = naive_candidates(&s);
        prop_assert_eq!(b.candidates.states(), &states[..]);
        let got: Vec<Vec<f64>> = b.candidates.rows().map(<[f64]>::to_vec).collect();
        prop_assert_eq!(&got, &rows);
        prop_assert_eq!(&b.pareto, &brute_pareto(&rows));
        let res: Vec<f64> = s.parties().iter().filter_map(|p| p.preferences()).map(|p| p.reservation()).collect();
        prop_assert_eq!(b.nash.as_ref().map(|n| n.row), brute_nash(&rows, &res));
        prop_assert_eq!(b.kalai_smorodinsky.as_ref().map(|n| n.row), brute_ks(&rows, &res));
        prop_assert_eq!(b.genius_kalai.as_ref().map(|n| n.row), brute_genius_kalai(&rows));
        let zones = dealzone::analysis::zone::find_zones_compiled(
            &c, dealzone::analysis::zone::Engine::Auto, &Limits::default()).unwrap();
        prop_assert_eq!(b.zone_size, zones.acceptable.len() as u64);
    }
}

/// Candidates by decoding every state and judging red lines with the rule's syntax tree.
fn naive_candidates(s: &Scenario) -> (Vec<StateIndex>, Vec<Vec<f64>>) {
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

// ---------------------------------------------------------------------------------------
// Larger sets: the sweeps and the divide and conquer past their small-case cut-offs.
// ---------------------------------------------------------------------------------------

/// A fixed pseudo-random stream (xorshift), so the test needs no seed plumbing.
fn stream(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

#[test]
fn larger_sets_match_brute_force() {
    for d in 2..=6 {
        for (grid, n) in [(5u64, 1500), (40, 1500), (1_000_000, 1500)] {
            let mut next = stream(d as u64 * 7919 + grid);
            let rows: Vec<Vec<f64>> = (0..n)
                .map(|_| {
                    (0..d)
                        .map(|_| (next() % (grid + 1)) as f64 / grid as f64)
                        .collect()
                })
                .collect();
            let c = candidates(&rows, &vec![0.1; d]);
            let front = brute_pareto(&rows);
            assert_eq!(pareto_frontier(&c), front, "d={d} grid={grid}");
            assert_eq!(Bargain::new(c).pareto, front, "d={d} grid={grid}");
        }
        // Anti-correlated: most rows on the frontier.
        let mut next = stream(d as u64);
        let rows: Vec<Vec<f64>> = (0..1500)
            .map(|_| {
                let r: Vec<u64> = (0..d).map(|_| next() % 50 + 1).collect();
                let total: u64 = r.iter().sum();
                r.iter()
                    .map(|&x| x as f64 / total as f64 + (next() % 3) as f64 * 1e-3)
                    .collect()
            })
            .collect();
        let c = candidates(&rows, &vec![0.0; d]);
        let front = brute_pareto(&rows);
        assert_eq!(pareto_frontier(&c), front, "anti-correlated d={d}");
        assert_eq!(Bargain::new(c).pareto, front, "anti-correlated d={d}");
    }
}

/// Three parties where the second and third are zero-sum and the first independent: every
/// row is on the frontier and the sweep's staircase grows to thousands of steps; then the
/// same with a drift, so that later rows keep covering earlier steps.
#[test]
fn three_parties_with_a_long_staircase() {
    let mut next = stream(99);
    for drift in [0.0, 0.3] {
        let n = 3000;
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|k| {
                let y = (next() % 1_000_000) as f64 / 1e6;
                let x = 1.0 - k as f64 / n as f64;
                vec![
                    x,
                    y,
                    1.0 - y + drift * (1.0 - x) - (next() % 3) as f64 * 1e-4,
                ]
            })
            .collect();
        let c = candidates(&rows, &[0.0, 0.0, 0.0]);
        assert_eq!(pareto_frontier(&c), brute_pareto(&rows), "drift {drift}");
    }
}

// ---------------------------------------------------------------------------------------
// Hand-made cases.
// ---------------------------------------------------------------------------------------

#[test]
fn equal_coordinates_and_identical_vectors() {
    // Equal first coordinate: (0.5, 0.4) is dominated by (0.5, 0.6); copies all kept;
    // 0.1 + 0.2 and 0.3 compare as equal at 9 decimals.
    let rows = vec![
        vec![0.5, 0.4],
        vec![0.5, 0.6],
        vec![0.1 + 0.2, 0.7],
        vec![0.3, 0.7],
        vec![0.5, 0.6],
        vec![0.3, 0.6],
        vec![0.2, 0.7],
    ];
    let c = candidates(&rows, &[0.0, 0.0]);
    assert_eq!(pareto_frontier(&c), vec![1, 2, 3, 4]);
    check_all(&rows, &[0.0, 0.0]);
    // The same in 3 and 4 dimensions, with a constant extra coordinate.
    for d in [3, 4, 5] {
        let wide: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.resize(d, 0.25);
                r
            })
            .collect();
        let c = candidates(&wide, &vec![0.0; d]);
        assert_eq!(pareto_frontier(&c), vec![1, 2, 3, 4], "d={d}");
    }
}

#[test]
fn ties_within_1e12_go_to_the_first_row() {
    let rows = vec![vec![0.5, 0.5 - 5e-13], vec![0.5, 0.5], vec![0.2, 0.2]];
    let c = candidates(&rows, &[0.0, 0.0]);
    assert_eq!(max_welfare(&c).unwrap().row, 0);
    assert_eq!(nash(&c).unwrap().row, 0);
    assert_eq!(egalitarian(&c).unwrap().row, 0);
    // Beyond the tolerance the larger one wins.
    let rows = vec![vec![0.5, 0.5 - 5e-12], vec![0.5, 0.5]];
    let c = candidates(&rows, &[0.0, 0.0]);
    assert_eq!(max_welfare(&c).unwrap().row, 1);
}

#[test]
fn kalai_smorodinsky_ties_go_to_the_highest_sum() {
    // Both rows have ratio min(0.5/1, 0.5/1) = 0.5 ... row 1 has more for party 0.
    let rows = vec![
        vec![0.5, 0.5],
        vec![0.9, 0.5],
        vec![1.0, 0.0],
        vec![0.0, 1.0],
    ];
    let c = candidates(&rows, &[0.0, 0.0]);
    let ks = kalai_smorodinsky(&c).unwrap();
    assert_eq!(ks.row, 1);
    assert_eq!(ks.value, 0.5);
}

#[test]
fn nash_needs_a_strict_gain_for_everyone() {
    // u == r is not rational, nor is u == r + 1e-13.
    let rows = vec![vec![0.4, 0.9], vec![0.4 + 1e-13, 0.9], vec![0.9, 0.3]];
    let c = candidates(&rows, &[0.4, 0.3]);
    assert!(nash(&c).is_none());
    assert!(kalai_smorodinsky(&c).is_none());
    assert_eq!(count_rational(&c, &pareto_frontier(&c)), 0);
    let b = Bargain::new(c);
    assert_eq!(b.zone_size, 3);
    assert_eq!(b.egalitarian.map(|e| e.row), Some(0)); // gains 0 and 0 beat 0.5 and 0
}

#[test]
fn no_candidates() {
    let c = candidates(&[], &[0.1, 0.2, 0.3]);
    let b = Bargain::new(c);
    assert!(b.pareto.is_empty());
    assert!(b.nash.is_none() && b.kalai_smorodinsky.is_none());
    assert!(b.egalitarian.is_none() && b.max_welfare.is_none());
    assert_eq!(b.distance_to_frontier(&[0.0, 0.0, 0.0]), None);
}

#[test]
fn bad_shapes_and_values_are_errors() {
    assert!(matches!(
        Candidates::new(vec![0, 1], vec![0.1, 0.2, 0.3], vec![0.0, 0.0]),
        Err(CandidatesError::Shape { .. })
    ));
    assert!(matches!(
        Candidates::from_rows(vec![0], &[vec![0.1]], vec![0.0, 0.0]),
        Err(CandidatesError::Shape { .. })
    ));
    assert_eq!(
        Candidates::new(vec![0, 1], vec![0.1, 0.2, f64::NAN, 0.3], vec![0.0, 0.0])
            .unwrap_err()
            .to_string(),
        "utility NaN of party 0 in row 1 is not finite"
    );
    assert!(matches!(
        Candidates::new(vec![], vec![], vec![f64::INFINITY]),
        Err(CandidatesError::ReservationNotFinite { party: 0, .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Seeds (expected values from an independent Python implementation).
// ---------------------------------------------------------------------------------------

fn seed(path: &str) -> (Scenario, CompiledScenario, Bargain, Value) {
    let s = Scenario::load(crate::root(path)).unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let b = bargain::bargain_compiled(&c, &Limits::default()).unwrap();
    let v = dealzone::report::bargain_json::bargain(&s, &c, &b);
    (s, c, b, v)
}

fn assert_outcome(v: &Value, want: &[(&str, &str)]) {
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), want.len(), "{v}");
    for (issue, level) in want {
        assert_eq!(obj[*issue], *level, "{issue} in {v}");
    }
}

#[test]
fn wage_round_nash() {
    let (_, _, b, v) = seed("seeds/wage_round.toml");
    assert_eq!(v["parties"], serde_json::json!(["union", "employer"]));
    assert_outcome(
        &v["nash"]["outcome"],
        &[
            ("wage", "plus3"),
            ("one_off", "eur1000"),
            ("duration", "m18"),
            ("hours", "h39"),
            ("industrial_action", "peace"),
        ],
    );
    assert_eq!(v["nash"]["utilities"], serde_json::json!([0.65, 0.655]));
    let n = b.nash.unwrap();
    assert!((n.value - 0.2 * 0.255).abs() < 1e-12);
}

#[test]
fn supplier_contract_nash() {
    let (_, _, _, v) = seed("seeds/supplier_contract.toml");
    assert_eq!(v["parties"], serde_json::json!(["buyer", "supplier"]));
    assert_outcome(
        &v["nash"]["outcome"],
        &[
            ("price", "eur104"),
            ("volume", "k20"),
            ("delivery", "weeks_4"),
            ("payment", "net60"),
            ("warranty", "months_36"),
            ("late_penalty", "capped_5pct"),
        ],
    );
    assert_eq!(v["nash"]["utilities"], serde_json::json!([0.625, 0.7]));
}

#[test]
fn seed_json_has_the_contract_keys_and_agrees_with_brute_force() {
    for path in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let (s, c, b, v) = seed(path);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "egalitarian",
                "genius_kalai",
                "kalai_smorodinsky",
                "max_welfare",
                "nash",
                "outcomes",
                "pareto",
                "parties",
                "zone_size"
            ]
        );
        assert_eq!(v["outcomes"], c.space().size());
        let (states, rows) = naive_candidates(&s);
        let front = brute_pareto(&rows);
        assert_eq!(b.pareto, front);
        assert_eq!(v["pareto"]["count"], front.len());
        let res: Vec<f64> = c.utilities().iter().map(|u| u.reservation()).collect();
        assert_eq!(
            v["pareto"]["count_rational"],
            front.iter().filter(|&&k| rational(&rows[k], &res)).count()
        );
        let outs = v["pareto"]["outcomes"].as_array().unwrap();
        assert_eq!(outs.len(), front.len());
        for (o, &k) in outs.iter().zip(&front) {
            assert_eq!(*o, dealzone::report::json::state(&s, &c, states[k]));
        }
        assert_eq!(
            v["pareto"]["utilities"].as_array().unwrap().len(),
            front.len()
        );
        let zones = dealzone::analysis::zone::find_zones_compiled(
            &c,
            dealzone::analysis::zone::Engine::Auto,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(v["zone_size"], zones.acceptable.len());
        for (key, want) in [
            ("nash", brute_nash(&rows, &res)),
            ("kalai_smorodinsky", brute_ks(&rows, &res)),
            ("egalitarian", brute_egalitarian(&rows, &res)),
            ("max_welfare", brute_welfare(&rows)),
            ("genius_kalai", brute_genius_kalai(&rows)),
        ] {
            let k = want.unwrap();
            assert_eq!(
                v[key]["outcome"],
                dealzone::report::json::state(&s, &c, states[k]),
                "{path} {key}"
            );
        }
        for key in ["product", "ratio", "min_gain", "welfare"] {
            assert!(
                ["nash", "kalai_smorodinsky", "egalitarian", "max_welfare"]
                    .iter()
                    .any(|sol| v[*sol][key].is_number()),
                "{key}"
            );
        }
        // From the status quo, the nearest frontier point is at most as far as the Nash
        // point, which is on the frontier.
        let d = b.distances(&c, c.status_quo());
        assert!(d.frontier.unwrap() > 0.0);
        assert!(d.frontier.unwrap() <= d.nash.unwrap());
    }
}
