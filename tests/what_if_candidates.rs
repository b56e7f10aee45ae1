//! A what-if's candidates walked off the red lines' quotient against
//! [`Candidates::from_compiled`] on the relaxed scenario, its independent twin.

use dealzone::Limits;
use dealzone::analysis::bargain::Candidates;
use dealzone::analysis::timeline_report::{relax, what_if_candidates};
use dealzone::space::CompiledScenario;
use proptest::prelude::*;

/// Both ways, for the red lines picked by the bits of `drop`.
fn check(c: &CompiledScenario, drop: u64, limits: &Limits) -> Result<(), TestCaseError> {
    let names: Vec<&str> = c
        .red_line_names()
        .iter()
        .enumerate()
        .filter(|(k, _)| drop >> (k % 64) & 1 == 1)
        .map(|(_, n)| n.as_str())
        .collect();
    let fast = what_if_candidates(c, &names, limits).unwrap();
    let plain = Candidates::from_compiled(&relax(c, &names).unwrap(), limits).unwrap();
    prop_assert_eq!(fast.states(), plain.states());
    let bits = |m: &[f64]| m.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    prop_assert_eq!(bits(fast.matrix()), bits(plain.matrix()));
    prop_assert_eq!(fast, plain);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn what_if_candidates_equal_the_relaxed_scenarios(
        g in crate::zones::gen_scenario(5_000),
        drop in any::<u64>(),
    ) {
        let s = g.scenario();
        let limits = Limits::default();
        let c = CompiledScenario::new(&s, &limits).unwrap();
        check(&c, drop, &limits)?;
        check(&c, 0, &limits)?;
    }
}

/// On the bundled timeline's latest snapshot (1.4 million states): each red line dropped
/// alone, and none.
#[test]
fn what_if_candidates_equal_the_relaxed_scenarios_on_the_seeds() {
    let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml").unwrap();
    let limits = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let c = CompiledScenario::new(t.latest(), &limits).unwrap();
    check(&c, 0, &limits).unwrap();
    for k in 0..c.red_line_names().len().min(64) {
        check(&c, 1 << k, &limits).unwrap();
    }
}
