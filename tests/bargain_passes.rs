//! Bargaining at sizes past one parallel chunk (32,768 rows) and the two-party frontier's
//! prefilter past its small-case cut-off: `Bargain::new`'s shared passes against the
//! one-concept functions (themselves tied to brute force in tests/bargain.rs) and the
//! frontier against a brute force over the distinct points of a coarse grid; and the
//! candidate engines (the fused scan, branch and bound) against decoding every state.

use dealzone::analysis::bargain::{
    self, Bargain, Candidates, egalitarian, kalai_smorodinsky, max_welfare, nash, pareto_frontier,
};
use dealzone::analysis::zone::Engine;
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario};
use proptest::prelude::*;

/// The frontier by brute force over the distinct rounded points (few on a coarse grid): a
/// row is on it exactly when no distinct point dominates its own.
fn brute_pareto_distinct(rows: &[Vec<f64>]) -> Vec<usize> {
    let key = |u: &[f64]| -> Vec<i64> { u.iter().map(|&x| (x * 1e9).round() as i64).collect() };
    let mut points: Vec<Vec<i64>> = rows.iter().map(|u| key(u)).collect();
    points.sort();
    points.dedup();
    let maximal: Vec<&Vec<i64>> = points
        .iter()
        .filter(|p| {
            !points
                .iter()
                .any(|q| q != *p && q.iter().zip(p.iter()).all(|(a, b)| a >= b))
        })
        .collect();
    (0..rows.len())
        .filter(|&k| maximal.binary_search(&&key(&rows[k])).is_ok())
        .collect()
}

/// `n` rows of `d` utilities on a grid of `grid + 1` values, some nudged by less than the
/// tie tolerance (so ties within 1e-12 cross chunk boundaries); anti-correlated when
/// `zero_sum` (most rows on the frontier: the prefilter gives up).
fn rows(n: usize, d: usize, grid: u64, zero_sum: bool, seed: u64) -> Vec<Vec<f64>> {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let mut u: Vec<f64> = (0..d)
                .map(|_| (next() % (grid + 1)) as f64 / grid as f64)
                .collect();
            if zero_sum {
                let rest = 1.0 - u[0];
                u[1..].iter_mut().for_each(|v| *v = rest / (d - 1) as f64);
            }
            if next() % 7 == 0 {
                u[0] = (u[0] - 3e-13).max(0.0);
            }
            u
        })
        .collect()
}

fn check(rows: &[Vec<f64>], res: Vec<f64>, label: &str) {
    let states = (0..rows.len() as u64).collect();
    let c = Candidates::from_rows(states, rows, res).unwrap();
    let b = Bargain::new(c.clone());
    let front = brute_pareto_distinct(rows);
    assert_eq!(pareto_frontier(&c), front, "{label}: frontier");
    assert_eq!(b.pareto, front, "{label}: Bargain::new frontier");
    assert_eq!(b.nash, nash(&c), "{label}: nash");
    assert_eq!(
        b.kalai_smorodinsky,
        kalai_smorodinsky(&c),
        "{label}: kalai-smorodinsky"
    );
    assert_eq!(b.egalitarian, egalitarian(&c), "{label}: egalitarian");
    assert_eq!(b.max_welfare, max_welfare(&c), "{label}: max welfare");
    assert_eq!(b.zone_size, bargain::zone_size(&c), "{label}: zone size");
}

#[test]
fn shared_passes_match_the_single_concepts_across_chunks() {
    for (d, grid, zero_sum) in [
        (2, 40, false),
        (2, 1000, false),
        (2, 1000, true),
        (3, 12, false),
        (1, 50, false),
    ] {
        let rows = rows(100_000, d, grid, zero_sum, 17 + grid);
        check(
            &rows,
            vec![0.2; d],
            &format!("d={d} grid={grid} zero_sum={zero_sum}"),
        );
    }
}

/// Candidates of random scenarios by each engine, against decoding every state.
fn naive(s: &Scenario) -> (Vec<u64>, Vec<f64>) {
    let space = dealzone::space::StateSpace::new(s, u64::MAX).unwrap();
    let (mut states, mut utilities) = (Vec::new(), Vec::new());
    for st in 0..space.size() {
        let levels = space.decode(st);
        if s.red_lines().all(|c| c.rule().eval(&levels)) {
            states.push(st);
            utilities.extend(
                s.parties()
                    .iter()
                    .filter_map(|p| p.preferences())
                    .map(|p| p.utility(&levels)),
            );
        }
    }
    (states, utilities)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_candidate_engine_matches_decoding_every_state(g in crate::zones::gen_scenario(3_000)) {
        let s = g.scenario();
        let limits = Limits::default();
        let c = CompiledScenario::new(&s, &limits).unwrap();
        let (states, utilities) = naive(&s);
        for engine in [Engine::Auto, Engine::BruteForce, Engine::BranchAndBound] {
            let got = Candidates::from_compiled_with(&c, engine, &limits).unwrap();
            prop_assert_eq!(got.states(), &states[..], "{:?}", engine);
            prop_assert_eq!(got.matrix(), &utilities[..], "{:?}", engine);
        }
    }
}
