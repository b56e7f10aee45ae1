//! Explanations at scale (#14 item 5): conflicts and relaxations share the budget, so a
//! scenario with 40 or 80 red lines reports both; and the minimal hitting sets behind the
//! conflicts equal a brute-force enumeration.

use dealzone::analysis::explain::{
    ExplainLimits, HittingStop, Oracle, explain, minimal_hitting_sets,
};
use dealzone::space::CompiledScenario;
use dealzone::synthetic::{Regime, Synthetic};
use dealzone::{Limits, Scenario};
use proptest::prelude::*;

/// Every minimal hitting set of `family` over `0..n`, by trying every subset.
fn brute_hitting(family: &[Vec<usize>], n: usize) -> Vec<Vec<usize>> {
    let hits = |m: u32| family.iter().all(|s| s.iter().any(|&x| m >> x & 1 == 1));
    let mut out = Vec::new();
    for m in 0u32..1 << n {
        if hits(m) && (0..n).all(|x| m >> x & 1 == 0 || !hits(m & !(1 << x))) {
            out.push((0..n).filter(|&x| m >> x & 1 == 1).collect::<Vec<_>>());
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// MMCS under size bounds equals the subset enumeration, visits each set once,
    /// smallest first.
    #[test]
    fn hitting_sets_equal_the_subset_enumeration(
        n in 1usize..9,
        raw in proptest::collection::vec(proptest::collection::vec(0usize..9, 0..5), 0..7),
    ) {
        let family: Vec<Vec<usize>> = raw
            .into_iter()
            .map(|s| s.into_iter().filter(|&x| x < n).collect())
            .collect();
        let mut seen = Vec::new();
        let stop = minimal_hitting_sets(&family, n, u64::MAX, || false, |h| {
            seen.push(h.to_vec());
            true
        });
        prop_assert_eq!(stop, HittingStop::Done);
        prop_assert!(seen.windows(2).all(|w| w[0].len() <= w[1].len()), "{:?}", seen);
        let mut sorted = seen.clone();
        sorted.sort();
        let before = sorted.len();
        sorted.dedup();
        prop_assert_eq!(before, sorted.len(), "a set visited twice");
        prop_assert_eq!(sorted, brute_hitting(&family, n));
    }

    /// A node budget or a visitor that stops cuts the enumeration: what was visited is
    /// still a set of genuine minimal hitting sets, and the stop says why.
    #[test]
    fn a_cut_enumeration_visits_only_minimal_hitting_sets(
        n in 1usize..9,
        raw in proptest::collection::vec(proptest::collection::vec(0usize..9, 1..5), 1..7),
        nodes in 1u64..40,
    ) {
        let family: Vec<Vec<usize>> = raw
            .into_iter()
            .map(|s| s.into_iter().map(|x| x % n).collect())
            .collect();
        let all = brute_hitting(&family, n);
        let mut seen = Vec::new();
        let stop = minimal_hitting_sets(&family, n, nodes, || false, |h| {
            seen.push(h.to_vec());
            seen.len() < 2
        });
        for h in &seen {
            prop_assert!(all.contains(h), "{:?} is not a minimal hitting set", h);
        }
        if stop == HittingStop::Done {
            prop_assert_eq!(seen.len(), all.len());
        }
    }
}

/// A synthetic scenario with `red_lines` red lines and no deal: the generator's red lines
/// (3 parties, 6 issues of 10 levels), every reservation 0, and on each issue three
/// upper bounds of one party (`<= l3`, `<= l5`, `<= l7`) against three lower bounds of
/// another (`>= l2`, `>= l4`, `>= l6`): 18 two-way clashes over 36 red lines, and about
/// four ways per issue to settle them (the relaxations multiply across issues).
fn no_deal(red_lines: usize, seed: u64) -> Scenario {
    let base = red_lines - 36;
    let text = Synthetic::new(6, 10, Regime::RedLines, seed)
        .with_red_lines(base, 20_000.0)
        .toml();
    let mut out = String::new();
    let mut party = String::new();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("[parties.") {
            party = p.trim_end_matches(']').to_string();
        }
        if line.starts_with("reservation = ") {
            out.push_str("reservation = 0\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line == "red_lines = [" {
            // p1 caps every issue, p2 floors it (p3 keeps the generator's red lines only).
            for i in 0..6 {
                let (op, levels) = match party.as_str() {
                    "p1" => ("<=", [3, 5, 7]),
                    "p2" => (">=", [2, 4, 6]),
                    _ => continue,
                };
                for l in levels {
                    out.push_str(&format!(
                        "  {{ id = \"c{i}_{l}\", rule = \"i0{i} {op} l{l}\" }},\n"
                    ));
                }
            }
        }
    }
    let s = Scenario::from_toml_str(&out, "scale.toml").expect("parses");
    assert_eq!(s.red_lines().count(), red_lines);
    s
}

/// Each conflict clashes and is minimal; each relaxation opens a deal and is minimal:
/// checked with an oracle built from scratch (searches, no table).
fn check_sets(s: &Scenario, conflicts: &[Vec<String>], relaxations: &[Vec<String>]) {
    let c = CompiledScenario::new(s, &Limits::default()).unwrap();
    let mut oracle = Oracle::with_table_limit(s, &c, Limits::default(), 0).unwrap();
    let names: Vec<String> = oracle.items().iter().map(|i| i.name.clone()).collect();
    let keep_of = |set: &[String], inside: bool| -> Vec<bool> {
        names.iter().map(|n| set.contains(n) == inside).collect()
    };
    for k in conflicts {
        assert!(
            !oracle.consistent(&keep_of(k, true)).unwrap(),
            "{k:?} holds"
        );
        for x in k {
            let smaller: Vec<String> = k.iter().filter(|y| *y != x).cloned().collect();
            assert!(
                oracle.consistent(&keep_of(&smaller, true)).unwrap(),
                "{k:?} not minimal"
            );
        }
    }
    for r in relaxations {
        assert!(
            oracle.consistent(&keep_of(r, false)).unwrap(),
            "{r:?} opens nothing"
        );
        for x in r {
            let smaller: Vec<String> = r.iter().filter(|y| *y != x).cloned().collect();
            assert!(
                !oracle.consistent(&keep_of(&smaller, false)).unwrap(),
                "{r:?} not minimal"
            );
        }
    }
}

/// 40 and 80 red lines under the default limits: conflicts and relaxations both, each
/// genuine, and more conflicts than QuickXplain's one (the hitting-set search once stopped
/// at 22 constraints: one conflict beside hundreds of relaxations); when a budget cut the
/// enumeration it says so.
#[test]
fn forty_and_eighty_red_lines_report_conflicts_and_relaxations() {
    for red_lines in [40, 80] {
        let s = no_deal(red_lines, 1);
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let e = explain(&s, &c, &ExplainLimits::default(), &Limits::default()).unwrap();
        eprintln!(
            "{red_lines} red lines: {} conflicts, {} relaxations, complete {}",
            e.conflicts.len(),
            e.relaxations.len(),
            e.complete
        );
        assert_eq!(e.acceptable, 0);
        assert!(!e.relaxations.is_empty(), "{red_lines}: no relaxation");
        // At least the 18 planted clashes (each a conflict unless the generator's red lines
        // already rule a side out).
        assert!(e.conflicts.len() > 1, "{red_lines}: {:?}", e.conflicts);
        let limits = ExplainLimits::default();
        assert!(e.relaxations.len() <= limits.max_sets && e.conflicts.len() <= limits.max_sets + 1);
        check_sets(
            &s,
            &e.conflicts,
            &e.relaxations[..e.relaxations.len().min(40)],
        );
    }
}
