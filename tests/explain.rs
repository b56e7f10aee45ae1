//! Explanations against a brute-force twin: every subset of the constraints, checked by
//! scanning every state with the model's own rule trees and utilities.

use dealzone::analysis::explain::{
    ExplainLimits, Explanation, JointPass, Oracle, explain, first_conflict, joint_bests,
    quickxplain,
};
use dealzone::model::Scenario;
use dealzone::model::rule::Rule;
use dealzone::space::{CompiledScenario, RESERVATION_TOLERANCE, StateSpace};
use dealzone::{Limits, Timeline};
use proptest::prelude::*;

/// The constraints an explanation ranges over: red lines, then reservations.
fn items(s: &Scenario) -> Vec<String> {
    let mut v: Vec<String> = s.red_lines().map(|c| c.name()).collect();
    v.extend(
        s.parties()
            .iter()
            .filter(|p| p.preferences().is_some())
            .map(|p| format!("{}/reservation", p.id())),
    );
    v
}

/// Whether some state meets every constraint named in `keep`, by scanning the space.
fn naive_consistent(s: &Scenario, keep: &[&str]) -> bool {
    let space = StateSpace::new(s, u64::MAX).unwrap();
    (0..space.size()).any(|st| {
        let levels = space.decode(st);
        s.red_lines()
            .all(|c| !keep.contains(&c.name().as_str()) || c.rule().eval(&levels))
            && s.parties().iter().all(|p| match p.preferences() {
                Some(pr) if keep.contains(&format!("{}/reservation", p.id()).as_str()) => {
                    pr.utility(&levels) >= pr.reservation() - RESERVATION_TOLERANCE
                }
                _ => true,
            })
    })
}

fn subsets(n: usize) -> impl Iterator<Item = Vec<usize>> {
    (0u32..1 << n).map(move |m| (0..n).filter(|k| m >> k & 1 == 1).collect())
}

/// All minimal conflicts and relaxations by enumerating every subset.
fn brute_sets(s: &Scenario) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let names = items(s);
    let n = names.len();
    let consistent: Vec<bool> = subsets(n)
        .map(|set| {
            let keep: Vec<&str> = set.iter().map(|&k| names[k].as_str()).collect();
            naive_consistent(s, &keep)
        })
        .collect();
    let mask = |set: &[usize]| set.iter().fold(0usize, |m, &k| m | 1 << k);
    let full = (1usize << n) - 1;
    let mut conflicts = Vec::new();
    let mut relaxations = Vec::new();
    for set in subsets(n) {
        let m = mask(&set);
        // Conflict: inconsistent, every one-smaller subset consistent.
        if !consistent[m] && set.iter().all(|&k| consistent[m & !(1 << k)]) && !set.is_empty() {
            conflicts.push(sorted_names(&set, &names));
        }
        // Relaxation: removing it is consistent, removing any one-smaller subset is not.
        if consistent[full & !m]
            && !set.is_empty()
            && set.iter().all(|&k| !consistent[full & !(m & !(1 << k))])
        {
            relaxations.push(sorted_names(&set, &names));
        }
    }
    if consistent[full] {
        return (Vec::new(), Vec::new());
    }
    conflicts.sort();
    relaxations.sort();
    (conflicts, relaxations)
}

fn sorted_names(set: &[usize], names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = set.iter().map(|&k| names[k].clone()).collect();
    v.sort();
    v
}

fn run(s: &Scenario, table_states: u64) -> Explanation {
    let c = CompiledScenario::new(s, &Limits::default()).unwrap();
    let budget = ExplainLimits {
        table_states,
        ..ExplainLimits::default()
    };
    explain(s, &c, &budget, &Limits::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn conflicts_and_relaxations_equal_the_subset_enumeration(g in crate::zones::gen_scenario(300)) {
        let s = g.scenario();
        prop_assume!(items(&s).len() <= 12);
        let (conflicts, relaxations) = brute_sets(&s);
        for table_states in [u64::MAX, 0] {
            let e = run(&s, table_states);
            prop_assert!(e.complete);
            prop_assert_eq!(&e.conflicts, &conflicts, "table_states {}", table_states);
            prop_assert_eq!(&e.relaxations, &relaxations, "table_states {}", table_states);
            if conflicts.is_empty() {
                prop_assert!(e.acceptable > 0 && e.first_conflict.is_empty());
            } else {
                // QuickXplain's conflict is one of them.
                prop_assert!(conflicts.contains(&e.first_conflict));
            }
        }
        // The fast path (existence searches, no table) finds one of them too.
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let fast = first_conflict(&s, &c, &Limits::default()).unwrap();
        if conflicts.is_empty() {
            prop_assert!(fast.is_empty());
        } else {
            prop_assert!(conflicts.contains(&fast), "{:?} not among {:?}", fast, conflicts);
        }
    }

    #[test]
    fn each_conflict_alone_still_has_no_deal_and_each_relaxation_opens_one(g in crate::zones::gen_scenario(300)) {
        let s = g.scenario();
        let e = run(&s, u64::MAX);
        let names = items(&s);
        for c in &e.conflicts {
            let keep: Vec<&str> = c.iter().map(String::as_str).collect();
            prop_assert!(!naive_consistent(&s, &keep), "conflict {:?} holds", c);
            for drop in c {
                let smaller: Vec<&str> = keep.iter().copied().filter(|n| n != drop).collect();
                prop_assert!(naive_consistent(&s, &smaller), "conflict {:?} is not minimal", c);
            }
        }
        for r in &e.relaxations {
            let keep: Vec<&str> = names.iter().map(String::as_str).filter(|n| !r.iter().any(|x| x == n)).collect();
            prop_assert!(naive_consistent(&s, &keep), "relaxation {:?} leaves no deal", r);
            for back in r {
                let mut more = keep.clone();
                more.push(back);
                prop_assert!(!naive_consistent(&s, &more), "relaxation {:?} is not minimal", r);
            }
        }
        for sf in &e.softenings {
            // The softened rule, parsed back, opens a zone with every other constraint kept.
            let soft = Rule::new(&sf.to, s.issues()).unwrap();
            let space = StateSpace::new(&s, u64::MAX).unwrap();
            let opens = (0..space.size()).any(|st| {
                let levels = space.decode(st);
                s.red_lines().all(|c| if c.name() == sf.name { soft.eval(&levels) } else { c.rule().eval(&levels) })
                    && s.parties().iter().all(|p| p.preferences().is_none_or(|pr| pr.utility(&levels) >= pr.reservation() - RESERVATION_TOLERANCE))
            });
            prop_assert!(opens, "softening {:?} opens nothing", sf);
        }
    }
}

#[test]
fn quickxplain_on_the_seeds_finds_the_first_clash() {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    for (date, s) in t.snapshots() {
        let c = CompiledScenario::new(s, &Limits::default()).unwrap();
        let mut oracle = Oracle::new(s, &c, Limits::default()).unwrap();
        let conflict: Vec<String> = quickxplain(&mut oracle)
            .unwrap()
            .iter()
            .map(|&k| oracle.items()[k].name.clone())
            .collect();
        // Until 2025 the land; from 2025 (Kyiv's land softening is the modeller's reading)
        // NATO: Moscow's neutrality against Kyiv's NATO-or-nuclear stance.
        let expect: &[&str] = if date.year() >= 2025 {
            &[
                "russia/neutrality",
                "russia/no_nuclear_ukraine",
                "ukraine/nato_path_open",
            ]
        } else {
            &["russia/keep_territory", "ukraine/territorial_integrity"]
        };
        let mut sorted = conflict.clone();
        sorted.sort();
        assert_eq!(sorted, expect, "{date}");
        // The same set (first_conflict orders it its own way).
        let mut first =
            dealzone::analysis::explain::first_conflict(s, &c, &Limits::default()).unwrap();
        first.sort();
        assert_eq!(first, sorted, "{date}");
    }
}

#[test]
fn the_seeds_need_one_red_line_to_give_only_in_april_2025() {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    for (date, s) in t.snapshots() {
        let e = run(s, u64::MAX);
        let smallest = e.relaxations.iter().map(Vec::len).min().unwrap();
        // Land and Crimea before 2025; NATO and the talks format on 2025-02-06; NATO alone
        // once Kyiv drops the EU seat on 2025-04-22.
        let expect = if date.to_string() == "2025-04-22" {
            1
        } else {
            2
        };
        assert_eq!(smallest, expect, "{date}");
    }
}

// ---------------------------------------------------------------------------------------
// Ties, witnesses, certificates and joint softenings against brute force (issue 11).
// ---------------------------------------------------------------------------------------

use dealzone::analysis::explain::{Witness, rule_bounds, soften_rule};
use dealzone::model::rule::ResolvedExpr;
use std::collections::{BTreeMap, BTreeSet};

/// Every tied option, uncapped.
fn run_all(s: &Scenario, table_states: u64) -> Explanation {
    let c = CompiledScenario::new(s, &Limits::default()).unwrap();
    let budget = ExplainLimits {
        table_states,
        max_tied: usize::MAX,
        ..ExplainLimits::default()
    };
    explain(s, &c, &budget, &Limits::default()).unwrap()
}

/// The levels of a witness, checked to name every issue once, in order.
fn witness_levels(s: &Scenario, w: &Witness) -> Vec<usize> {
    assert_eq!(
        w.state.len(),
        s.issues().len(),
        "a witness is a whole state"
    );
    s.issues()
        .iter()
        .zip(&w.state)
        .map(|(i, (id, level))| {
            assert_eq!(i.id(), id);
            i.levels().iter().position(|l| l.id() == level).unwrap()
        })
        .collect()
}

/// Whether `levels` meets every reservation and every red line, the red lines named in
/// `drop` left out and those in `soft` replaced by their softened rule.
fn meets(
    s: &Scenario,
    levels: &[usize],
    drop: &[String],
    soft: &BTreeMap<String, ResolvedExpr>,
) -> bool {
    s.red_lines().all(|c| {
        let n = c.name();
        drop.contains(&n)
            || soft
                .get(&n)
                .map_or_else(|| c.rule().eval(levels), |e| e.eval(levels))
    }) && s.parties().iter().all(|p| match p.preferences() {
        Some(pr) if !drop.contains(&format!("{}/reservation", p.id())) => {
            pr.utility(levels) >= pr.reservation() - RESERVATION_TOLERANCE
        }
        _ => true,
    })
}

/// Acceptable states with the red lines softened as `soft` (name → shifts per bound).
fn naive_opened(s: &Scenario, soft: &BTreeMap<String, Vec<usize>>) -> u64 {
    let rules: BTreeMap<String, ResolvedExpr> = soft
        .iter()
        .map(|(n, k)| {
            let c = s.constraint(n).unwrap();
            (n.clone(), soften_rule(c.rule(), s.issues(), k).unwrap())
        })
        .collect();
    let space = StateSpace::new(s, u64::MAX).unwrap();
    (0..space.size())
        .filter(|&st| meets(s, &space.decode(st), &[], &rules))
        .count() as u64
}

/// Every shift vector over `bounds` (red line name, bound position, cap) with total `t`.
fn vectors_of_total(
    bounds: &[(String, usize, usize)],
    t: usize,
    nbounds: &BTreeMap<String, usize>,
) -> Vec<BTreeMap<String, Vec<usize>>> {
    fn rec(
        bounds: &[(String, usize, usize)],
        left: usize,
        from: usize,
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if left == 0 {
            out.push(cur.clone());
            return;
        }
        if from == bounds.len() {
            return;
        }
        for x in 0..=bounds[from].2.min(left) {
            cur[from] = x;
            rec(bounds, left - x, from + 1, cur, out);
        }
        cur[from] = 0;
    }
    let mut raw = Vec::new();
    rec(bounds, t, 0, &mut vec![0; bounds.len()], &mut raw);
    raw.into_iter()
        .map(|v| {
            let mut m: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for ((name, b, _), &x) in bounds.iter().zip(&v) {
                if x > 0 {
                    m.entry(name.clone())
                        .or_insert_with(|| vec![0; nbounds[name]])[*b] = x;
                }
            }
            m
        })
        .collect()
}

/// The least total over `scope`'s bounds that opens a zone, and every vector reaching it,
/// by trying every vector of total 1, 2, … ; `None` when even the largest opens nothing,
/// or the brute force would take too long.
#[allow(clippy::type_complexity)]
fn brute_joint(
    s: &Scenario,
    scope: &dyn Fn(&str) -> bool,
) -> Option<Option<(usize, BTreeSet<BTreeMap<String, Vec<usize>>>)>> {
    let mut bounds = Vec::new();
    let mut nbounds = BTreeMap::new();
    for c in s.red_lines() {
        let b = rule_bounds(c.rule(), s.issues());
        nbounds.insert(c.name(), b.len());
        if scope(&c.name()) {
            for (k, rb) in b.iter().enumerate() {
                if rb.cap > 0 {
                    bounds.push((c.name(), k, rb.cap));
                }
            }
        }
    }
    let top: BTreeMap<String, Vec<usize>> = s
        .red_lines()
        .filter(|c| scope(&c.name()))
        .map(|c| {
            let caps = rule_bounds(c.rule(), s.issues())
                .iter()
                .map(|b| b.cap)
                .collect();
            (c.name(), caps)
        })
        .collect();
    if naive_opened(s, &top) == 0 {
        return Some(None);
    }
    let mut tried = 0;
    for t in 1.. {
        let mut found = BTreeSet::new();
        for v in vectors_of_total(&bounds, t, &nbounds) {
            tried += 1;
            if tried > 4000 {
                return None;
            }
            if naive_opened(s, &v) > 0 {
                found.insert(v);
            }
        }
        if !found.is_empty() {
            return Some(Some((t, found)));
        }
    }
    unreachable!()
}

fn joint_set(
    t: &dealzone::analysis::explain::Tiered<dealzone::analysis::explain::JointSoftening>,
) -> BTreeSet<BTreeMap<String, Vec<usize>>> {
    t.options()
        .map(|j| {
            j.moves
                .iter()
                .map(|m| (m.name.clone(), m.shifts.clone()))
                .collect()
        })
        .collect()
}

/// Each joint option opens exactly the states it claims, its witness among them.
fn check_joint_options(
    s: &Scenario,
    t: &dealzone::analysis::explain::Tiered<dealzone::analysis::explain::JointSoftening>,
) -> Result<(), TestCaseError> {
    for j in t.options() {
        let soft: BTreeMap<String, Vec<usize>> = j
            .moves
            .iter()
            .map(|m| (m.name.clone(), m.shifts.clone()))
            .collect();
        prop_assert_eq!(j.acceptable, naive_opened(s, &soft));
        prop_assert_eq!(j.rungs, j.moves.iter().map(|m| m.rungs).sum::<usize>());
        let w = j.witness.as_ref().expect("a witness");
        let rules: BTreeMap<String, ResolvedExpr> = soft
            .iter()
            .map(|(n, k)| {
                let c = s.constraint(n).unwrap();
                (n.clone(), soften_rule(c.rule(), s.issues(), k).unwrap())
            })
            .collect();
        prop_assert!(meets(s, &witness_levels(s, w), &[], &rules));
        for m in &j.moves {
            // The text is the softened rule, parsed back.
            let back = Rule::new(&m.to, s.issues()).unwrap();
            prop_assert_eq!(back.expr(), &rules[&m.name]);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The least relaxations are every relaxation of the least size, each with a witness
    /// that meets every constraint left; every relaxation's witness holds too.
    #[test]
    fn least_relaxations_are_all_the_smallest_and_their_witnesses_hold(g in crate::zones::gen_scenario(300)) {
        let s = g.scenario();
        prop_assume!(items(&s).len() <= 12);
        let (_, relaxations) = brute_sets(&s);
        let least = relaxations.iter().map(Vec::len).min();
        let expect: BTreeSet<Vec<String>> =
            relaxations.iter().filter(|r| Some(r.len()) == least).cloned().collect();
        for table_states in [u64::MAX, 0] {
            let e = run_all(&s, table_states);
            let got: BTreeSet<Vec<String>> =
                e.least_relaxations.options().map(|r| r.drop.clone()).collect();
            prop_assert_eq!(&got, &expect, "table_states {}", table_states);
            prop_assert_eq!(e.least_relaxations.len(), expect.len(), "no duplicates");
            prop_assert_eq!(e.witnesses.len(), e.relaxations.len());
            for (r, w) in e.relaxations.iter().zip(&e.witnesses) {
                let w = w.as_ref().expect("every relaxation has a witness");
                prop_assert!(meets(&s, &witness_levels(&s, w), r, &BTreeMap::new()),
                    "witness {:?} of {:?} fails", w, r);
            }
            for r in e.least_relaxations.options() {
                let w = r.witness.as_ref().expect("a witness");
                prop_assert!(meets(&s, &witness_levels(&s, w), &r.drop, &BTreeMap::new()));
                prop_assert_eq!(r.evidence.len(), r.drop.len());
            }
        }
    }

    /// The least single-bound softenings are every (red line, bound) whose shift alone
    /// opens a zone with the fewest rungs.
    #[test]
    fn least_single_softenings_are_every_tied_bound(g in crate::zones::gen_scenario(300)) {
        let s = g.scenario();
        let space = StateSpace::new(&s, u64::MAX).unwrap();
        let any = (0..space.size()).any(|st| meets(&s, &space.decode(st), &[], &BTreeMap::new()));
        prop_assume!(!any);
        let mut expect: BTreeSet<(String, usize, usize)> = BTreeSet::new();
        let mut least = usize::MAX;
        for c in s.red_lines() {
            let bounds = rule_bounds(c.rule(), s.issues());
            for (b, rb) in bounds.iter().enumerate() {
                for k in 1..=rb.cap {
                    let mut shifts = vec![0; bounds.len()];
                    shifts[b] = k;
                    let soft = BTreeMap::from([(c.name(), shifts)]);
                    if naive_opened(&s, &soft) > 0 {
                        if k < least {
                            least = k;
                            expect.clear();
                        }
                        if k == least {
                            expect.insert((c.name(), b, k));
                        }
                        break;
                    }
                }
            }
        }
        for table_states in [u64::MAX, 0] {
            let e = run_all(&s, table_states);
            let got: BTreeSet<(String, usize, usize)> = e
                .least_softenings
                .options()
                .map(|f| (f.name.clone(), f.bound, f.rungs))
                .collect();
            prop_assert_eq!(&got, &expect, "table_states {}", table_states);
            // The per-red-line list starts at the least too.
            prop_assert_eq!(e.softenings.first().map(|f| f.rungs), (least != usize::MAX).then_some(least));
        }
    }

    /// Joint softenings, and each party's lone ones, are exactly every shift vector of the
    /// least total that opens a zone (brute force over every vector by increasing total).
    #[test]
    fn joint_softenings_equal_every_least_vector(g in crate::zones::gen_scenario(200)) {
        let s = g.scenario();
        let space = StateSpace::new(&s, u64::MAX).unwrap();
        let any = (0..space.size()).any(|st| meets(&s, &space.decode(st), &[], &BTreeMap::new()));
        prop_assume!(!any);
        let Some(joint) = brute_joint(&s, &|_| true) else { return Ok(()); };
        let mut parties: Vec<String> = s.red_lines().map(|c| c.party().to_string()).collect();
        parties.dedup();
        let mut alone = BTreeMap::new();
        for p in &parties {
            let Some(b) = brute_joint(&s, &|n: &str| n.split('/').next() == Some(p.as_str())) else {
                return Ok(());
            };
            alone.insert(p.clone(), b);
        }
        for table_states in [u64::MAX, 0] {
            let e = run_all(&s, table_states);
            prop_assert!(e.joint_softenings.complete);
            match &joint {
                None => prop_assert!(e.joint_softenings.is_empty()),
                Some((t, set)) => {
                    prop_assert!(e.joint_softenings.options().all(|j| j.rungs == *t));
                    prop_assert_eq!(&joint_set(&e.joint_softenings), set, "table_states {}", table_states);
                    prop_assert_eq!(e.joint_softenings.len(), set.len());
                    check_joint_options(&s, &e.joint_softenings)?;
                }
            }
            for p in &e.per_party_softenings {
                match &alone[&p.party] {
                    None => prop_assert!(p.options.is_empty() && p.rungs.is_none()),
                    Some((t, set)) => {
                        prop_assert_eq!(p.rungs, Some(*t));
                        prop_assert_eq!(&joint_set(&p.options), set, "{} alone", p.party);
                        prop_assert!(p.options.options().all(|j| j.parties == vec![p.party.clone()]));
                        check_joint_options(&s, &p.options)?;
                    }
                }
            }
        }
    }

    /// Every certificate holds: each member's listed ranges are exactly its projection on
    /// the certificate's issues (recomputed by scanning every state), and no combination
    /// is allowed by all members.
    #[test]
    fn every_certificate_holds(g in crate::zones::gen_scenario(300)) {
        let s = g.scenario();
        let e = run_all(&s, u64::MAX);
        prop_assert_eq!(e.certificates.len(), e.conflicts.len());
        let space = StateSpace::new(&s, u64::MAX).unwrap();
        for (conflict, cert) in e.conflicts.iter().zip(&e.certificates) {
            if conflict.len() >= 2 && conflict.iter().all(|n| !n.ends_with("/reservation")) {
                // Red lines read few issues here: a certificate always fits.
                prop_assert!(cert.is_some(), "no certificate for {:?}", conflict);
            }
            let Some(cert) = cert else { continue };
            prop_assert_eq!(&cert.conflict, conflict);
            let issues: Vec<usize> = cert.issues.iter().map(|i| s.issue_index(i).unwrap()).collect();
            let level = |i: usize, id: &str| s.issues()[i].levels().iter().position(|l| l.id() == id).unwrap();
            let mut sets: Vec<BTreeSet<Vec<usize>>> = Vec::new();
            for (name, boxes) in conflict.iter().zip(&cert.allows) {
                let mut listed = BTreeSet::new();
                for b in boxes {
                    let ranges: Vec<(usize, usize)> = issues.iter().zip(b)
                        .map(|(&i, (lo, hi))| (level(i, lo), level(i, hi))).collect();
                    let mut cell: Vec<usize> = ranges.iter().map(|r| r.0).collect();
                    loop {
                        prop_assert!(listed.insert(cell.clone()), "boxes overlap");
                        let mut d = cell.len();
                        let mut done = true;
                        while d > 0 {
                            d -= 1;
                            if cell[d] < ranges[d].1 { cell[d] += 1; done = false; break; }
                            cell[d] = ranges[d].0;
                        }
                        if done { break; }
                    }
                }
                // The projection, by scanning: states meeting this member alone.
                let others: Vec<String> = items(&s).into_iter().filter(|n| n != name).collect();
                let truth: BTreeSet<Vec<usize>> = (0..space.size())
                    .map(|st| space.decode(st))
                    .filter(|l| meets(&s, l, &others, &BTreeMap::new()))
                    .map(|l| issues.iter().map(|&i| l[i]).collect())
                    .collect();
                prop_assert_eq!(&listed, &truth, "projection of {}", name);
                sets.push(listed);
            }
            let common = sets.iter().skip(1).fold(sets[0].clone(), |a, b| a.intersection(b).cloned().collect());
            prop_assert!(common.is_empty(), "certificate of {:?} allows {:?} to all", conflict, common);
        }
    }
}

#[test]
fn the_cap_lists_at_most_max_tied_and_counts_the_rest() {
    // x <= a against x >= c on three rungs: two tied drops, three tied joint softenings
    // ({left: 2}, {right: 2}, {left: 1, right: 1}).
    let toml = "name = \"cap\"\n[issues]\nx = [\"a\", \"b\", \"c\"]\n[status_quo]\nx = \"a\"\n\
         [parties.left]\nweights = { x = 1 }\nvalues = { x = [1, 0.5, 0] }\n\
         red_lines = [{ id = \"low\", rule = \"x <= a\" }]\n\
         [parties.right]\nweights = { x = 1 }\nvalues = { x = [0, 0.5, 1] }\n\
         red_lines = [{ id = \"high\", rule = \"x >= c\" }]\n";
    let s = Scenario::from_toml_str(toml, "cap.toml").unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let all = explain(&s, &c, &ExplainLimits::default(), &Limits::default()).unwrap();
    let capped = explain(
        &s,
        &c,
        &ExplainLimits {
            max_tied: 1,
            ..ExplainLimits::default()
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(all.least_relaxations.len(), 2);
    assert_eq!(all.joint_softenings.len(), 3);
    // A cap never chooses between options that differ only in whose they are: the two
    // tied drops (one per side) are one class, listed whole even above a cap of 1, since
    // the best class is always shown.
    assert_eq!(capped.least_relaxations.len(), 2);
    assert_eq!(capped.least_relaxations.omitted, 0);
    // The same for the two one-red-line softenings; the joint one of both sides is a
    // class of its own, beyond the cap, left out whole and counted.
    assert_eq!(capped.joint_softenings.len(), 2);
    assert_eq!(capped.joint_softenings.omitted, 1);
    let sides: Vec<&str> = capped.joint_softenings.tiers[0]
        .iter()
        .flat_map(|f| f.moves.iter().map(|m| m.party.as_str()))
        .collect();
    assert!(
        sides.contains(&"left") && sides.contains(&"right"),
        "{sides:?}"
    );
    let none = explain(
        &s,
        &c,
        &ExplainLimits {
            max_tied: 0,
            ..ExplainLimits::default()
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(none.least_relaxations.len(), 0);
    assert_eq!(none.least_relaxations.omitted, 2);
    // Fewest red lines moved first: one red line by two rungs before both by one.
    assert_eq!(all.joint_softenings.tiers[0].len(), 2);
    assert_eq!(all.joint_softenings.tiers[1][0].moves.len(), 2);
    // Both sides are named in the first tier, whichever sorts first.
    let first: Vec<&str> = all.least_relaxations.tiers[0]
        .iter()
        .map(|r| r.parties[0].as_str())
        .collect();
    assert!(first.contains(&"left") && first.contains(&"right"));
}

#[test]
fn two_clashes_get_a_joint_softening() {
    // The 2022 seeds clash on territory and on Crimea: no single red line opens a zone,
    // yet softening two bounds does, and the explanation says how far.
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let (_, s) = t.snapshots().next().unwrap();
    let e = run(s, u64::MAX);
    assert!(e.least_softenings.is_empty());
    let first = e.joint_softenings.first().expect("a joint softening");
    assert!(first.moves.len() >= 2);
    assert!(e.joint_softenings.options().all(|j| j.rungs == first.rungs));
    // The text no longer stops at "no single red line".
    let text = dealzone::report::explain::text(s, &e);
    assert!(text.contains("Smallest joint softening"), "{text}");
}

/// Red lines of plain bounds (`==`, `<`, `<=`, `>`, `>=`, alone or two under `and`/`or`)
/// of two or three parties over a few issues: most states cost something to open, the
/// cells of the red lines' quotient hold many states, the reservations split them, and
/// tied costs are common (utilities in quarters too).
fn gen_clash() -> impl Strategy<Value = crate::zones::GenScenario> {
    use crate::zones::{GenExpr, GenParty, GenRule, GenScenario, gen_value};
    let bound = (
        0..2usize,
        prop::sample::select(vec![0usize, 2, 3, 4, 5]),
        0..5usize,
    )
        .prop_map(|(slot, op, level)| GenExpr::Cmp(slot, op, level));
    let expr = prop_oneof![
        2 => bound.clone(),
        1 => (0..2usize, bound.clone(), bound)
            .prop_map(|(op, a, b)| GenExpr::Bin(op, Box::new(a), Box::new(b))),
    ];
    let rule = (prop::collection::vec(0..5usize, 1..=2), expr).prop_map(|(issues, expr)| GenRule {
        issues,
        expr,
        repair: false,
    });
    let party = (
        prop::collection::vec(0.0..1.0f64, 6),
        prop::collection::vec(prop::collection::vec(gen_value(), 5), 6),
        prop_oneof![Just(0.0), 0.0..0.5f64],
    )
        .prop_map(|(weights, values, reservation)| GenParty {
            has_utility: true,
            weights,
            values,
            reservation,
            reservation_at_anchor: false,
        });
    (
        prop::collection::vec(3..=5usize, 2..=5),
        prop::collection::vec(party, 2..=3),
        prop::collection::vec((0..3usize, rule), 2..=6),
    )
        .prop_map(|(radices, parties, red_lines)| GenScenario {
            anchor: vec![0; radices.len()],
            status_quo: vec![0; radices.len()],
            radices,
            parties,
            red_lines,
            preconditions: Vec::new(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// The joint and lone bests by cells of the red lines' quotient (sub-boxes skipped when
    /// a floor of their cost is above the bests so far, ties kept) are the per-state
    /// scan's: the same least costs and every state reaching them; the region pass's too.
    /// Spaces larger than the brute force's, so cells hold many states to skip.
    #[test]
    fn joint_bests_by_cells_equal_the_per_state_scan(
        g in prop_oneof![gen_clash().boxed(), crate::zones::gen_scenario(3_000).boxed()],
    ) {
        let s = g.scenario();
        let limits = Limits { time_limit: None, ..Limits::default() };
        let c = CompiledScenario::new(&s, &limits).unwrap();
        let states = joint_bests(&s, &c, JointPass::States, &limits).unwrap().unwrap();
        for pass in [JointPass::Cells, JointPass::Region] {
            if let Some(got) = joint_bests(&s, &c, pass, &limits).unwrap() {
                prop_assert_eq!(&got, &states, "{:?}", pass);
            }
        }
    }
}
