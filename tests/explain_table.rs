//! The violation table read off the red-line region (and the explanation built on it)
//! against the per-state twin that evaluates every red line on every state.

use dealzone::Limits;
use dealzone::analysis::explain::{ExplainLimits, Oracle, ViolationTable, explain, explain_with};
use dealzone::space::{CompiledScenario, PreconditionRegion};
use proptest::prelude::*;

/// Every field of two tables, utilities compared to the bit.
fn same_table(a: &ViolationTable, b: &ViolationTable) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.minimal, &b.minimal);
    prop_assert_eq!(&a.witness, &b.witness);
    prop_assert_eq!(&a.only, &b.only);
    let bits = |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
    prop_assert_eq!(bits(&a.ideal), bits(&b.ideal));
    prop_assert_eq!(a.complete, b.complete);
    prop_assert_eq!(a.acceptable, b.acceptable);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn table_from_the_region_equals_the_per_state_scan(g in crate::zones::gen_scenario(5_000)) {
        let s = g.scenario();
        let limits = Limits::default();
        let c = CompiledScenario::new(&s, &limits).unwrap();
        let items = Oracle::with_table_limit(&s, &c, limits.clone(), 0).unwrap().items().to_vec();
        let reference = ViolationTable::build_reference(&c, &items, &limits).unwrap().unwrap();
        let red = PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX);
        prop_assert!(red.is_some());
        let lent = ViolationTable::build_with(&c, &items, &limits, red.as_ref()).unwrap().unwrap();
        same_table(&lent, &reference)?;
        let own = ViolationTable::build(&c, &items, &limits).unwrap().unwrap();
        same_table(&own, &reference)?;
    }

    #[test]
    fn explain_with_a_lent_region_equals_explain(g in crate::zones::gen_scenario(2_000)) {
        let s = g.scenario();
        let limits = Limits::default();
        let c = CompiledScenario::new(&s, &limits).unwrap();
        let red = PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX);
        let budget = ExplainLimits::default();
        prop_assert_eq!(
            explain_with(&s, &c, &budget, &limits, red.as_ref()).unwrap(),
            explain(&s, &c, &budget, &limits).unwrap()
        );
    }
}

/// A table the region cannot hold (more than 64 red lines) is the per-state scan's.
#[test]
fn more_red_lines_than_a_region_holds_fall_back_to_the_per_state_scan() {
    let mut toml = String::from(
        "name = \"many\"\n[issues]\nx = [\"a\", \"b\", \"c\"]\ny = [\"a\", \"b\"]\n\
         [status_quo]\nx = \"a\"\ny = \"a\"\n[parties.p]\nweights = { x = 0.5, y = 0.5 }\n\
         values = { x = [0, 0.5, 1], y = [0, 1] }\nreservation = 0.2\nred_lines = [\n",
    );
    for k in 0..70 {
        let rule = if k % 2 == 0 {
            "x != a"
        } else {
            "y == b or x == c"
        };
        toml.push_str(&format!("  {{ id = \"r{k}\", rule = \"{rule}\" }},\n"));
    }
    toml.push_str("]\n");
    let s = dealzone::Scenario::from_toml_str(&toml, "many.toml").unwrap();
    let limits = Limits::default();
    let c = CompiledScenario::new(&s, &limits).unwrap();
    assert!(PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX).is_none());
    let items = Oracle::with_table_limit(&s, &c, limits.clone(), 0)
        .unwrap()
        .items()
        .to_vec();
    let a = ViolationTable::build(&c, &items, &limits).unwrap().unwrap();
    let b = ViolationTable::build_reference(&c, &items, &limits)
        .unwrap()
        .unwrap();
    assert_eq!(
        (&a.minimal, &a.witness, a.acceptable),
        (&b.minimal, &b.witness, b.acceptable)
    );
    assert!(a.acceptable > 0);
}

/// On the bundled timeline's first and last snapshots (1.4 million states, a few hundred
/// cells of the red lines' quotient, reservations cutting through many of them) the table
/// built box by box is the per-state scan's, field for field.
#[test]
fn table_by_cells_equals_the_per_state_scan_on_the_seeds() {
    let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml").unwrap();
    let limits = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let first = t.snapshots().next().unwrap().1.clone();
    for s in [&first, t.latest()] {
        let c = CompiledScenario::new(s, &limits).unwrap();
        let items = Oracle::with_table_limit(s, &c, limits.clone(), 0)
            .unwrap()
            .items()
            .to_vec();
        let reference = ViolationTable::build_reference(&c, &items, &limits)
            .unwrap()
            .unwrap();
        let red = PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX);
        assert!(red.is_some());
        let lent = ViolationTable::build_with(&c, &items, &limits, red.as_ref())
            .unwrap()
            .unwrap();
        same_table(&lent, &reference).unwrap();
    }
}
