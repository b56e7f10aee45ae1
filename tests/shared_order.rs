//! One tie order for `explain` and the timeline report: on scenarios whose red lines carry
//! every evidence grade, the report's "Least that must give" lists the same relaxations, in
//! the same tiers and order, as `explain`'s `least_relaxations` (the report's cap aside),
//! and its what-if options come in the same order as that ranking.

use dealzone::analysis::explain::{ExplainLimits, explain};
use dealzone::analysis::timeline_report::{ReportOptions, snapshot};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario};
use proptest::prelude::*;

const PARTIES: [&str; 3] = ["zulu", "alpha", "mike"];
const GRADES: [&str; 3] = ["stated", "reported", "inferred"];

/// Red lines `(party, issue, op, level, grade)` over two issues of three levels.
fn scenario(lines: &[(usize, usize, usize, usize, usize)]) -> String {
    let mut t = String::from(
        "name = \"order\"\ndate = \"2024-01-01\"\n[issues]\nx = [\"x0\", \"x1\", \"x2\"]\n\
         y = [\"y0\", \"y1\", \"y2\"]\n[status_quo]\nx = \"x0\"\ny = \"y0\"\n",
    );
    for (p, name) in PARTIES.iter().enumerate() {
        t.push_str(&format!(
            "[parties.{name}]\nweights = {{ x = 0.5, y = 0.5 }}\n\
             values = {{ x = [0, 0.5, 1], y = [1, 0.5, 0] }}\nred_lines = [\n"
        ));
        for (k, &(q, issue, op, level, grade)) in lines.iter().enumerate() {
            if q == p {
                let i = ["x", "y"][issue];
                t.push_str(&format!(
                    "  {{ id = \"r{k}\", rule = \"{i} {} {i}{level}\", evidence = \"{}\" }},\n",
                    ["==", "!=", "<=", ">="][op],
                    GRADES[grade]
                ));
            }
        }
        t.push_str("]\n");
    }
    t
}

/// Checks the shared order on one scenario; returns how many relaxations were compared.
fn check(lines: &[(usize, usize, usize, usize, usize)]) -> usize {
    let s = Scenario::from_toml_str(&scenario(lines), "order.toml").unwrap();
    let limits = Limits::default();
    let c = CompiledScenario::new(&s, &limits).unwrap();
    let e = explain(&s, &c, &ExplainLimits::default(), &limits).unwrap();
    let options = ReportOptions {
        samples: 2,
        ..ReportOptions::default()
    };
    let r = snapshot(&s, "2024-01-01".parse().unwrap(), &options, &limits).unwrap();
    if r.acceptable > 0 {
        assert!(r.least_relaxations.is_empty());
        return 0;
    }
    let ours: Vec<(usize, Vec<String>)> = r
        .least_relaxations
        .iter()
        .map(|x| (x.tier, x.dropped.clone()))
        .collect();
    let theirs: Vec<(usize, Vec<String>)> = e
        .least_relaxations
        .with_tier()
        .map(|(k, x)| (k, x.drop.clone()))
        .take(options.max_listed)
        .collect();
    assert_eq!(&ours, &theirs);
    assert_eq!(
        r.least_relaxations.len() + r.least_relaxations_more,
        e.least_relaxations.total()
    );
    // The compatibility field is the first of the shared order.
    assert_eq!(
        &r.cheapest_relaxation,
        &theirs.first().map(|x| x.1.clone()).unwrap_or_default()
    );
    ours.len()
}

/// Three single red lines on one issue, pairwise clashing, one of each grade: every pair is
/// a least relaxation, in three evidence tiers.
#[test]
fn three_graded_clashes_rank_alike() {
    assert_eq!(
        check(&[(0, 0, 0, 0, 1), (1, 0, 0, 2, 0), (2, 0, 0, 1, 2)]),
        3
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn report_ranks_least_relaxations_as_explain_does(
        lines in proptest::collection::vec((0..3usize, 0..2usize, 0..4usize, 0..3usize, 0..3usize), 3..10)
    ) {
        check(&lines);
    }
}
