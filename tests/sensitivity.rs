//! The incremental sensitivity sweep against its plain twin (every sample re-scored from
//! scratch through `Candidates` and `nash`): the same counts, to the sample.

use dealzone::analysis::bargain::Candidates;
use dealzone::analysis::sensitivity::{
    sample_findings, sample_findings_reference, sweep, sweep_reference, sweep_within,
};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Timeline};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random scenarios, random candidate subsets (every state, or the red lines' ones):
    /// the incremental sweep equals the plain one.
    #[test]
    fn incremental_sweep_equals_the_plain_one(
        g in crate::zones::gen_scenario(2_000),
        every_state in any::<bool>(),
        samples in 0..40usize,
        spread in prop_oneof![Just(0.0), 0.0..0.5f64],
        seed in any::<u64>(),
    ) {
        let s = g.scenario();
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let states: Vec<u64> = if every_state {
            (0..c.space().size()).collect()
        } else {
            Candidates::from_compiled(&c, &Limits::default()).unwrap().states().to_vec()
        };
        let fast = sweep(&s, &c, &states, samples, spread, seed);
        prop_assert_eq!(fast, sweep_reference(&s, &c, &states, samples, spread, seed));
        prop_assert_eq!(fast.samples, samples);
    }
}

/// On the bundled seeds (tens of thousands of candidates once a red line is dropped): the
/// same counts as the plain sweep, and the same under `sweep_within` without a budget.
#[test]
fn incremental_sweep_equals_the_plain_one_on_the_seeds() {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let s = t.latest().without(&["ukraine/nato_path_open"]).unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let cands = Candidates::from_compiled(&c, &Limits::default()).unwrap();
    assert!(cands.len() > 100, "{} candidates", cands.len());
    let fast = sweep(&s, &c, cands.states(), 40, 0.1, 5);
    assert_eq!(fast, sweep_reference(&s, &c, cands.states(), 40, 0.1, 5));
    let unlimited = Limits {
        time_limit: None,
        ..Limits::default()
    };
    assert_eq!(
        fast,
        sweep_within(&s, &c, cands.states(), 40, 0.1, 5, &unlimited).unwrap()
    );
    // Not a degenerate sweep: some sample finds a zone.
    assert!(fast.zone_exists > 0, "{fast:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Sample by sample, the pruned re-scoring (prefix tree, bounds) finds the same zone
    /// existence and the same Nash state as re-scoring from scratch: pruning never changes
    /// a finding, whatever the spread (0 keeps ties; wide spreads cut most subtrees).
    #[test]
    fn pruned_rescoring_equals_scoring_from_scratch_per_sample(
        g in crate::zones::gen_scenario(2_000),
        every_state in any::<bool>(),
        samples in 1..16usize,
        spread in prop_oneof![Just(0.0), 0.0..0.6f64],
        seed in any::<u64>(),
    ) {
        let s = g.scenario();
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let states: Vec<u64> = if every_state {
            (0..c.space().size()).collect()
        } else {
            Candidates::from_compiled(&c, &Limits::default()).unwrap().states().to_vec()
        };
        prop_assert_eq!(
            sample_findings(&s, &c, &states, samples, spread, seed),
            sample_findings_reference(&s, &c, &states, samples, spread, seed)
        );
    }
}

/// On the bundled seeds with a red line dropped (tens of thousands of candidates, where
/// the bounds cut most of the tree): every sample's findings equal scoring from scratch.
#[test]
fn pruned_rescoring_equals_scoring_from_scratch_on_the_seeds() {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let s = t.latest().without(&["ukraine/nato_path_open"]).unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let cands = Candidates::from_compiled(&c, &Limits::default()).unwrap();
    let fast = sample_findings(&s, &c, cands.states(), 24, 0.1, 9);
    assert_eq!(
        fast,
        sample_findings_reference(&s, &c, cands.states(), 24, 0.1, 9)
    );
    // Not degenerate: some sample has a Nash deal.
    assert!(fast.iter().any(|f| f.1.is_some()), "{fast:?}");
}
