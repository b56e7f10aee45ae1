//! GMCR stability: published fixtures (Prisoner's Dilemma, Chicken, Elmira), the matrix
//! form as an independent twin on random conflicts of 2–4 decision makers, the inclusions
//! between concepts, invariance under reordering decision makers, SIM and limited move
//! against textbook twins, the `.gmcr` reader's errors, scenarios against a whole-space
//! brute force, and the command line.

// Loops over state and decision-maker indices mirror the definitions' subscripts.
#![allow(clippy::needless_range_loop)]

mod matrix;

use dealzone::Limits;
use dealzone::analysis::stability::{
    Concept, Conflict, Direction, Feasibility, MAX_HORIZON, MoveKind, OptionModel, OptionSpec,
    Pattern, Ranking, Stability, StatusQuoOptions, analyse, coalitional_improvements,
    explain_stability, legal_sequences, limited_move, scenario_stability, simultaneous, status_quo,
};
use dealzone::io::gmcr::{GmcrError, load_gmcr, parse_gmcr};
use matrix::{Mat, Plain};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn numbers(v: Vec<usize>) -> Vec<usize> {
    v.into_iter().map(|s| s + 1).collect()
}

fn equilibria(st: &Stability) -> [Vec<usize>; 4] {
    Concept::ALL.map(|k| numbers(st.equilibria(k)))
}

// ---------------------------------------------------------------------------------------
// Published fixtures
// ---------------------------------------------------------------------------------------

fn fixture(name: &str) -> dealzone::io::gmcr::GmcrFile {
    load_gmcr(
        crate::root(&format!("tests/fixtures/gmcr/{name}")),
        &Limits::default(),
    )
    .unwrap()
}

#[test]
fn prisoners_dilemma() {
    let g = fixture("prisoners_dilemma.gmcr");
    assert_eq!(g.conflict.labels(), ["NN", "YN", "NY", "YY"]);
    assert_eq!(g.conflict.codes().unwrap(), [0, 1, 2, 3]);
    let st = analyse(&g.conflict);
    assert_eq!(
        equilibria(&st),
        [vec![1], vec![1, 4], vec![1, 4], vec![1, 4]]
    );
    assert_matches_matrix(&g.conflict);
}

#[test]
fn chicken() {
    let g = fixture("chicken.gmcr");
    let st = analyse(&g.conflict);
    assert_eq!(
        equilibria(&st),
        [vec![2, 3], vec![2, 3, 4], vec![2, 3, 4], vec![2, 3]]
    );
    assert_matches_matrix(&g.conflict);
}

/// Elmira groundwater contamination (Fang, Hipel & Kilgour 1993): 9 explicit states, state 9
/// aggregating every "Uniroyal abandons" option state.
fn elmira() -> Conflict {
    let moves: [&[(usize, usize)]; 3] = [
        &[(1, 2), (3, 4), (5, 6), (7, 8)],
        &[
            (1, 3),
            (1, 9),
            (2, 4),
            (2, 9),
            (3, 9),
            (4, 9),
            (5, 7),
            (5, 9),
            (6, 8),
            (6, 9),
            (7, 9),
            (8, 9),
        ],
        &[
            (1, 5),
            (5, 1),
            (2, 6),
            (6, 2),
            (3, 7),
            (7, 3),
            (4, 8),
            (8, 4),
        ],
    ];
    let rankings = [
        "7 3 4 8 5 1 2 6 9",
        "1 4 8 5 9 3 7 2 6",
        "7 3 5 1 8 6 4 2 9",
    ];
    Conflict::explicit(
        vec!["MoE".into(), "UR".into(), "LG".into()],
        [
            "NYNNN", "YYNNN", "NNYNN", "YNYNN", "NYNNY", "YYNNY", "NNYNY", "YNYNY", "abandon",
        ]
        .map(String::from)
        .to_vec(),
        moves
            .iter()
            .map(|l| l.iter().map(|&(s, t)| (s - 1, t - 1)).collect())
            .collect(),
        rankings
            .iter()
            .map(|r| Ranking::parse(r, 9).unwrap().ranks(9).unwrap())
            .collect(),
    )
    .unwrap()
}

#[test]
fn elmira_equilibria() {
    let c = elmira();
    let st = analyse(&c);
    assert_eq!(
        equilibria(&st),
        [
            vec![5, 8, 9],
            vec![1, 4, 5, 8, 9],
            vec![1, 4, 5, 8, 9],
            vec![5, 8, 9]
        ]
    );
    assert_matches_matrix(&c);
}

#[test]
fn elmira_status_quo_reaches_the_published_outcome() {
    // From the status quo (state 1) unilateral improvements by legal sequences reach state
    // 5 (LG insists; Nash, a published equilibrium) in one step.
    let c = elmira();
    let st = analyse(&c);
    let reached = status_quo(&c, 0, &StatusQuoOptions::default()).unwrap();
    let to5 = reached
        .iter()
        .find(|(s, _)| *s == 4)
        .expect("state 5 reachable");
    assert_eq!(to5.1.len(), 1);
    assert_eq!(to5.1[0].movers, vec![2]);
    assert!(st.is_equilibrium(Concept::Nash, 4));
    // Every path alternates movers and each arc is an improvement for its mover.
    for (_, path) in &reached {
        for w in path.windows(2) {
            assert_ne!(w[0].movers, w[1].movers);
            assert_eq!(w[0].to, w[1].from);
        }
        for p in path {
            let i = p.movers[0];
            assert!(c.improvements_from(i, p.from).contains(&p.to));
        }
    }
}

#[test]
fn elmira_explain_gives_sanctions_that_deter() {
    let c = elmira();
    let st = analyse(&c);
    for i in 0..3 {
        for s in 0..9 {
            let e = explain_stability(&c, i, s).unwrap();
            let r = c.ranks(i);
            for imp in &e.improvements {
                for (k, sanction) in [(1, &imp.gmr), (2, &imp.smr), (3, &imp.seq)] {
                    if let Some(p) = sanction {
                        let end = p.last().unwrap().to;
                        assert!(r[end] <= r[s], "sanction must not be better than s");
                        assert_eq!(p[0].from, imp.to);
                        assert!(p.iter().all(|x| x.mover != i));
                        if k == 3 {
                            assert!(
                                p.iter()
                                    .all(|x| c.improvements_from(x.mover, x.from).contains(&x.to))
                            );
                        }
                    }
                }
            }
            for (k, concept) in Concept::ALL.into_iter().enumerate().skip(1) {
                let deterred = e.improvements.iter().all(|m| match k {
                    1 => m.gmr.is_some(),
                    2 => m.smr.is_some(),
                    _ => m.seq.is_some(),
                });
                assert_eq!(
                    deterred,
                    st.is_stable(concept, i, s),
                    "{concept:?} dm {i} state {s}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The matrix twin and properties on random conflicts
// ---------------------------------------------------------------------------------------

fn plain(c: &Conflict) -> Plain {
    let m = c.state_count();
    Plain {
        j: (0..c.dm_count())
            .map(|i| {
                let mut mat: Mat = matrix::zeros(m);
                for s in 0..m {
                    for t in c.moves_from(i, s) {
                        mat[s][t] = true;
                    }
                }
                mat
            })
            .collect(),
        ranks: (0..c.dm_count()).map(|i| c.ranks(i).to_vec()).collect(),
    }
}

fn assert_matches_matrix(c: &Conflict) {
    assert_same(&analyse(c), &plain(c).stability(), c);
}

fn assert_same(st: &Stability, mx: &[Vec<Vec<bool>>], c: &Conflict) {
    for (k, concept) in Concept::ALL.into_iter().enumerate() {
        for i in 0..c.dm_count() {
            for s in 0..c.state_count() {
                assert_eq!(
                    st.is_stable(concept, i, s),
                    mx[k][i][s],
                    "{concept:?}, decision maker {i}, state {}",
                    s + 1
                );
            }
        }
    }
}

/// A random option-form conflict: 2–4 decision makers, at most 6 options, random
/// irreversibility and infeasibility, ranks with ties (or strict).
fn random_options(seed: u64, dms: usize) -> Option<(OptionModel, Vec<Vec<u32>>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let max_total = 6;
    let mut model = OptionModel::default();
    let mut total = 0;
    for d in 0..dms {
        let left = max_total - total - (dms - d - 1);
        let k = rng.random_range(1..=left.min(3));
        let opts = (0..k)
            .map(|x| OptionSpec {
                name: format!("o{d}{x}"),
                direction: match rng.random_range(0..10) {
                    0 => Direction::Forward,
                    1 => Direction::Backward,
                    _ => Direction::Both,
                },
            })
            .collect();
        total += k;
        model.dms.push((format!("DM{d}"), opts));
    }
    for _ in 0..rng.random_range(0..=3) {
        let len = rng.random_range(1..=3.min(total));
        let lits = (0..len)
            .map(|_| (rng.random_range(0..total), rng.random_bool(0.5)))
            .collect();
        model.infeasible.push(Pattern(lits));
    }
    let m = model.feasible_codes(1 << 20).ok()?.len();
    if m == 0 {
        return None;
    }
    let spread = match rng.random_range(0..3) {
        0 => 2,
        1 => (m / 2).max(2),
        _ => m * 4,
    } as u32;
    let ranks = (0..dms)
        .map(|_| (0..m).map(|_| rng.random_range(0..spread)).collect())
        .collect();
    Some((model, ranks))
}

/// A random explicit conflict: up to 20 states, random moves.
fn random_explicit(seed: u64, dms: usize) -> Conflict {
    random_explicit_with_moves(seed, dms).0
}

/// As [`random_explicit`], with each decision maker's move matrix built from the arcs as
/// drawn (not read back from the library).
fn random_explicit_with_moves(seed: u64, dms: usize) -> (Conflict, Vec<Mat>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = rng.random_range(2..=20);
    let density = rng.random_range(0.05..0.4);
    let moves: Vec<Vec<(usize, usize)>> = (0..dms)
        .map(|_| {
            let mut v = Vec::new();
            for s in 0..m {
                for t in 0..m {
                    if s != t && rng.random_bool(density) {
                        v.push((s, t));
                    }
                }
            }
            v
        })
        .collect();
    let mats = moves
        .iter()
        .map(|v| {
            let mut mat = matrix::zeros(m);
            for &(s, t) in v {
                mat[s][t] = true;
            }
            mat
        })
        .collect();
    let spread = rng.random_range(2..=(2 * m as u32));
    let ranks = (0..dms)
        .map(|_| (0..m).map(|_| rng.random_range(0..spread)).collect())
        .collect();
    let c = Conflict::explicit(
        (0..dms).map(|d| format!("DM{d}")).collect(),
        (1..=m).map(|s| s.to_string()).collect(),
        moves,
        ranks,
    )
    .unwrap();
    (c, mats)
}

/// Shortest status-quo path lengths by breadth-first search over (state, last mover):
/// `dist[t]`, `None` when unreachable; moves from `mats`, improvements judged on `ranks`.
fn bfs_lengths(
    mats: &[Mat],
    ranks: &[Vec<u32>],
    s0: usize,
    improvements: bool,
) -> Vec<Option<usize>> {
    let m = ranks[0].len();
    let n = mats.len();
    let mut dist = vec![None; m];
    dist[s0] = Some(0);
    // seen[t][i]: node (t, last mover i) visited.
    let mut seen = vec![vec![false; n]; m];
    let mut queue = std::collections::VecDeque::from([(s0, usize::MAX, 0usize)]);
    while let Some((s, last, d)) = queue.pop_front() {
        for (i, mat) in mats.iter().enumerate() {
            if i == last {
                continue;
            }
            for t in 0..m {
                if mat[s][t] && (!improvements || ranks[i][t] > ranks[i][s]) && !seen[t][i] {
                    seen[t][i] = true;
                    if dist[t].is_none() {
                        dist[t] = Some(d + 1);
                    }
                    queue.push_back((t, i, d + 1));
                }
            }
        }
    }
    dist
}

/// The move matrices of an option model straight from the definitions: `t` differs from `s`
/// only in `i`'s options, both feasible, no irreversible option changed the wrong way.
fn option_matrices(model: &OptionModel) -> (Vec<u64>, Vec<Mat>) {
    let n: usize = model.dms.iter().map(|(_, o)| o.len()).sum();
    let infeasible = |code: u64| {
        model
            .infeasible
            .iter()
            .any(|p| p.0.iter().all(|&(k, y)| (code >> k & 1 == 1) == y))
    };
    let codes: Vec<u64> = (0..1u64 << n).filter(|&c| !infeasible(c)).collect();
    let m = codes.len();
    let mut mats = Vec::new();
    let mut first = 0;
    for (_, opts) in &model.dms {
        let mut mat = matrix::zeros(m);
        for (a, &s) in codes.iter().enumerate() {
            for (b, &t) in codes.iter().enumerate() {
                let mut ok = s != t;
                for k in 0..n {
                    let (x, y) = (s >> k & 1 == 1, t >> k & 1 == 1);
                    let own = (first..first + opts.len()).contains(&k);
                    if x != y && !own {
                        ok = false;
                    }
                    if own && x != y {
                        match opts[k - first].direction {
                            Direction::Forward if x => ok = false,
                            Direction::Backward if !x => ok = false,
                            _ => {}
                        }
                    }
                }
                mat[a][b] = ok;
            }
        }
        mats.push(mat);
        first += opts.len();
    }
    (codes, mats)
}

fn check_inclusions(st: &Stability, c: &Conflict) {
    for i in 0..c.dm_count() {
        for s in 0..c.state_count() {
            let [n, g, m, q] = Concept::ALL.map(|k| st.is_stable(k, i, s));
            assert!(!n || m, "Nash ⊆ SMR");
            assert!(!m || g, "SMR ⊆ GMR");
            assert!(!n || q, "Nash ⊆ SEQ");
            assert!(!q || g, "SEQ ⊆ GMR");
        }
    }
}

/// The same option model with decision makers listed in `order`.
fn reorder(model: &OptionModel, order: &[usize]) -> (OptionModel, Vec<usize>) {
    // new position of each old option
    let starts: Vec<usize> = model
        .dms
        .iter()
        .scan(0, |acc, (_, o)| {
            let s = *acc;
            *acc += o.len();
            Some(s)
        })
        .collect();
    let mut map = vec![0; model.option_count()];
    let mut next = 0;
    for &d in order {
        for x in 0..model.dms[d].1.len() {
            map[starts[d] + x] = next;
            next += 1;
        }
    }
    let out = OptionModel {
        dms: order.iter().map(|&d| model.dms[d].clone()).collect(),
        infeasible: model
            .infeasible
            .iter()
            .map(|p| Pattern(p.0.iter().map(|&(k, y)| (map[k], y)).collect()))
            .collect(),
    };
    (out, map)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn option_form_matches_matrix_form(seed in any::<u64>(), dms in 2usize..=4) {
        let Some((model, ranks)) = random_options(seed, dms) else { return Ok(()) };
        let c = Conflict::from_options(&model, ranks.clone(), 1 << 20).unwrap();
        let (codes, j) = option_matrices(&model);
        prop_assert_eq!(c.codes().unwrap(), &codes[..]);
        let twin = Plain { j, ranks };
        let st = analyse(&c);
        assert_same(&st, &twin.stability(), &c);
        check_inclusions(&st, &c);
    }

    #[test]
    fn explicit_matches_matrix_form(seed in any::<u64>(), dms in 2usize..=4) {
        let c = random_explicit(seed, dms);
        let st = analyse(&c);
        assert_same(&st, &plain(&c).stability(), &c);
        check_inclusions(&st, &c);
    }

    #[test]
    fn legal_sequences_match_matrix_reach(seed in any::<u64>(), dms in 2usize..=4) {
        let c = random_explicit(seed, dms);
        let p = plain(&c);
        let h: Vec<usize> = (1..dms).collect();
        for (kind, improvements) in [(MoveKind::Any, false), (MoveKind::Improvements, true)] {
            let reach = p.reach(&h, improvements);
            for s in 0..c.state_count() {
                let got: Vec<usize> = legal_sequences(&c, &h, kind, s).into_iter().map(|(t, path)| {
                    // each path is legal: consecutive movers differ, arcs chain, moves exist
                    for w in path.windows(2) {
                        assert_ne!(w[0].mover, w[1].mover);
                        assert_eq!(w[0].to, w[1].from);
                    }
                    for x in &path {
                        assert!(c.moves_from(x.mover, x.from).contains(&x.to));
                    }
                    t
                }).collect();
                let want: Vec<usize> = (0..c.state_count()).filter(|&t| reach[s][t]).collect();
                prop_assert_eq!(got, want);
            }
        }
        // coalitional improvements: reachable and strictly better for every member
        for s in 0..c.state_count() {
            let reach = p.reach(&h, false);
            let want: Vec<usize> = (0..c.state_count())
                .filter(|&t| reach[s][t] && h.iter().all(|&k| c.ranks(k)[t] > c.ranks(k)[s]))
                .collect();
            prop_assert_eq!(coalitional_improvements(&c, &h, s), want);
        }
    }

    #[test]
    fn results_do_not_depend_on_decision_maker_order(seed in any::<u64>(), dms in 2usize..=4, rot in 1usize..4) {
        // Explicit: same states, decision makers reordered.
        let c = random_explicit(seed, dms);
        let order: Vec<usize> = (0..dms).map(|k| (k + rot) % dms).rev().collect();
        let (a, b) = (analyse(&c), analyse(&c.permuted(&order)));
        for k in Concept::ALL {
            prop_assert_eq!(a.equilibria(k), b.equilibria(k));
            for (new, &old) in order.iter().enumerate() {
                prop_assert_eq!(a.stable_states(k, old), b.stable_states(k, new));
            }
        }
        // Option form: options regrouped, so states renumber; match them by options taken.
        let Some((model, ranks)) = random_options(seed, dms) else { return Ok(()) };
        let c1 = Conflict::from_options(&model, ranks.clone(), 1 << 20).unwrap();
        let (model2, map) = reorder(&model, &order);
        let codes1 = c1.codes().unwrap().to_vec();
        let recode = |code: u64| (0..map.len()).filter(|&k| code >> k & 1 == 1).map(|k| 1u64 << map[k]).sum::<u64>();
        let codes2: Vec<u64> = model2.feasible_codes(1 << 20).unwrap();
        let to2: Vec<usize> = codes1.iter().map(|&c| codes2.binary_search(&recode(c)).unwrap()).collect();
        let ranks2: Vec<Vec<u32>> = order.iter().map(|&d| {
            let mut r = vec![0; codes2.len()];
            for (s1, &s2) in to2.iter().enumerate() { r[s2] = ranks[d][s1]; }
            r
        }).collect();
        let c2 = Conflict::from_options(&model2, ranks2, 1 << 20).unwrap();
        let (a, b) = (analyse(&c1), analyse(&c2));
        for k in Concept::ALL {
            for (new, &old) in order.iter().enumerate() {
                for (s1, &s2) in to2.iter().enumerate() {
                    prop_assert_eq!(a.is_stable(k, old, s1), b.is_stable(k, new, s2));
                }
            }
        }
    }

    #[test]
    fn status_quo_reaches_what_the_matrix_reaches(seed in any::<u64>(), dms in 2usize..=4) {
        let (c, mats) = random_explicit_with_moves(seed, dms);
        let ranks: Vec<Vec<u32>> = (0..dms).map(|i| c.ranks(i).to_vec()).collect();
        let p = Plain { j: mats.clone(), ranks: ranks.clone() };
        let all: Vec<usize> = (0..dms).collect();
        let coalition = vec![0, 1];
        for (kind, improvements) in [(MoveKind::Improvements, true), (MoveKind::Any, false)] {
            let reach = p.reach(&all, improvements);
            for s0 in 0..c.state_count() {
                let got = status_quo(&c, s0, &StatusQuoOptions { kind, coalitions: vec![] }).unwrap();
                let mut want: Vec<usize> = (0..c.state_count()).filter(|&t| reach[s0][t]).collect();
                want.push(s0);
                want.sort_unstable();
                want.dedup();
                prop_assert_eq!(got.iter().map(|(t, _)| *t).collect::<Vec<_>>(), want);
                // Each reported path is a shortest legal one (breadth-first twin).
                let dist = bfs_lengths(&mats, &ranks, s0, improvements);
                for (t, path) in &got {
                    prop_assert_eq!(Some(path.len()), dist[*t], "s0 {} t {}", s0, t);
                    prop_assert_eq!(path.last().map_or(s0, |x| x.to), *t);
                    prop_assert_eq!(path.first().map_or(s0, |x| x.from), s0);
                    for w in path.windows(2) {
                        prop_assert_ne!(&w[0].movers, &w[1].movers);
                        prop_assert_eq!(w[0].to, w[1].from);
                    }
                    for x in path {
                        let i = x.movers[0];
                        prop_assert!(mats[i][x.from][x.to]);
                        prop_assert!(!improvements || ranks[i][x.to] > ranks[i][x.from]);
                    }
                }
            }
        }
        // With a coalition: its arcs are coalitional improvements, and it reaches at least
        // as much as the decision makers alone.
        let s0 = 0;
        let alone = status_quo(&c, s0, &StatusQuoOptions::default()).unwrap();
        let with = status_quo(&c, s0, &StatusQuoOptions { kind: MoveKind::Improvements, coalitions: vec![coalition.clone()] }).unwrap();
        for (t, _) in &alone {
            prop_assert!(with.iter().any(|(u, _)| u == t));
        }
        for (_, path) in &with {
            for x in path.iter().filter(|x| x.movers.len() > 1) {
                prop_assert!(coalitional_improvements(&c, &coalition, x.from).contains(&x.to));
            }
        }
    }

    #[test]
    fn pattern_generators_remove_what_they_say(n in 2usize..=5, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let set: Vec<usize> = (0..n).filter(|_| rng.random_bool(0.6)).collect();
        let opt = |k: usize| OptionSpec { name: format!("o{k}"), direction: Direction::Both };
        let model = |pats: Vec<Pattern>| OptionModel { dms: vec![("A".into(), (0..n).map(opt).collect())], infeasible: pats };
        let taken = |c: u64| set.iter().filter(|&&k| c >> k & 1 == 1).count();
        let all: Vec<u64> = (0..1u64 << n).collect();
        let keep = |f: &dyn Fn(u64) -> bool| all.iter().copied().filter(|&c| f(c)).collect::<Vec<_>>();
        prop_assert_eq!(model(Pattern::mutually_exclusive(&set)).feasible_codes(1 << 20).unwrap(), keep(&|c| taken(c) <= 1));
        if !set.is_empty() {
            prop_assert_eq!(model(Pattern::at_least_one(&set)).feasible_codes(1 << 20).unwrap(), keep(&|c| taken(c) >= 1));
            prop_assert_eq!(model(Pattern::exactly_one(&set)).feasible_codes(1 << 20).unwrap(), keep(&|c| taken(c) == 1));
        }
        prop_assert_eq!(model(Pattern::depends(0, 1)).feasible_codes(1 << 20).unwrap(), keep(&|c| c & 1 == 0 || c & 2 == 2));
    }

    #[test]
    fn sim_and_limited_move_match_textbook_twins(seed in any::<u64>()) {
        let Some((model, ranks)) = random_options(seed, 2) else { return Ok(()) };
        let c = Conflict::from_options(&model, ranks.clone(), 1 << 20).unwrap();
        // States, moves and option masks straight from the model, not from the library.
        let (codes, mats) = option_matrices(&model);
        prop_assert_eq!(c.codes().unwrap(), &codes[..]);
        let k0 = model.dms[0].1.len();
        let masks = [(1u64 << k0) - 1, ((1u64 << model.dms[1].1.len()) - 1) << k0];
        let m = codes.len();
        let moves = |i: usize, s: usize| (0..m).filter(|&t| mats[i][s][t]).collect::<Vec<_>>();
        let ups = |i: usize, s: usize| moves(i, s).into_iter().filter(|&t| ranks[i][t] > ranks[i][s]).collect::<Vec<_>>();
        let sim = simultaneous(&c).unwrap();
        for i in 0..2 {
            let j = 1 - i;
            let r = &ranks[i];
            for s in 0..m {
                let want = ups(i, s).iter().all(|&s1| {
                    ups(j, s).iter().any(|&s2| {
                        let code = (codes[s1] & masks[i]) | (codes[s2] & masks[j]);
                        codes.iter().position(|&x| x == code).is_some_and(|x| r[x] <= r[s])
                    })
                });
                prop_assert_eq!(sim[i][s], want);
            }
        }
        // L_1 is Nash; with strict preferences, L_h follows the recursive definition.
        let st = analyse(&c);
        let l1 = limited_move(&c, 1, &Limits::default()).unwrap();
        for i in 0..2 {
            prop_assert_eq!(&l1[i], &(0..c.state_count()).map(|s| st.is_stable(Concept::Nash, i, s)).collect::<Vec<_>>());
        }
        let strict = (0..2).all(|i| {
            let mut r = ranks[i].clone();
            r.sort_unstable();
            r.windows(2).all(|w| w[0] != w[1])
        });
        if strict {
            fn g(mats: &[Mat], ranks: &[Vec<u32>], h: usize, i: usize, s: usize) -> usize {
                if h == 0 { return s; }
                let r = &ranks[i];
                let mut best = s;
                for t in (0..r.len()).filter(|&t| mats[i][s][t]) {
                    let o = g(mats, ranks, h - 1, 1 - i, t);
                    if r[o] > r[s] && (best == s || r[o] > r[best]) { best = o; }
                }
                best
            }
            for h in 1..=3 {
                let lh = limited_move(&c, h, &Limits::default()).unwrap();
                for i in 0..2 {
                    for s in 0..m {
                        prop_assert_eq!(lh[i][s], g(&mats, &ranks, h, i, s) == s, "h {} dm {} s {}", h, i, s);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------------------

#[test]
fn option_prioritization_scores_lexicographically() {
    use dealzone::analysis::stability::{Statement, ranks_from_statements};
    // Options 1, 2. Statements: "-1" (most important), then "2 IF 1", then "1 IFF 2".
    let st = [
        Statement::parse("-1", 2).unwrap(),
        Statement::parse("2 IF 1", 2).unwrap(),
        Statement::parse("1 IFF 2", 2).unwrap(),
    ];
    // codes 0 (NN), 1 (YN), 2 (NY), 3 (YY); scores by hand:
    // NN: -1 T(4) + IF T(2) + IFF T(1) = 7; YN: 0 + F + F = 0; NY: 4 + 2 + 0 = 6; YY: 0 + 2 + 1 = 3.
    assert_eq!(
        ranks_from_statements(&st, &[0, 1, 2, 3]).unwrap(),
        vec![3, 0, 2, 1]
    );
    assert!(Statement::parse("1 & 3", 2).is_err());
    assert!(Statement::parse("x", 2).is_err());
}

#[test]
fn gmcr_prioritization_preferences_load() {
    // Prisoner's Dilemma by option prioritization: each prefers the other to cooperate
    // (most important), then itself not to cooperate; same ranking as the fixture.
    let text = r#"{
      "options": [{"name": "c1"}, {"name": "c2"}],
      "decisionMakers": [
        {"name": "P1", "options": [0], "preferences": [[[1, "Y"]], [[0, "N"]]]},
        {"name": "P2", "options": [1], "preferences": [[[0, "Y"]], {"compound": true, "members": [[[1, "N"]]]}]}
      ],
      "infeasibles": []
    }"#;
    let g = parse_gmcr(text, "pd.gmcr", &Limits::default()).unwrap();
    let f = fixture("prisoners_dilemma.gmcr");
    for i in 0..2 {
        assert_eq!(g.conflict.ranks(i), f.conflict.ranks(i));
    }
}

#[test]
fn ranking_errors_name_the_state() {
    assert!(
        Ranking::parse("1 2", 3)
            .unwrap()
            .ranks(3)
            .unwrap_err()
            .to_string()
            .contains("leaves out state 3")
    );
    assert!(
        Ranking::parse("1 1 2", 2)
            .unwrap()
            .ranks(2)
            .unwrap_err()
            .to_string()
            .contains("twice")
    );
    assert!(Ranking::parse("[1 2", 2).is_err());
    assert!(Ranking::parse("4", 3).is_err());
}

// ---------------------------------------------------------------------------------------
// The .gmcr reader
// ---------------------------------------------------------------------------------------

fn gmcr_err(text: &str) -> String {
    parse_gmcr(text, "bad.gmcr", &Limits::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn gmcr_errors_are_positioned() {
    let e = gmcr_err("{\n  \"options\": [\n    {\"name\": 3}\n  ]\n}");
    // The renderer every file error shares: the position, the source line, a caret.
    assert!(e.contains("--> bad.gmcr:3:"), "{e}");
    assert!(e.contains("3 |     {\"name\": 3}"), "{e}");
    assert!(e.contains('^'), "{e}");
    let e = gmcr_err(r#"{"options": [], "decisionMakers": [], "bogus": 1}"#);
    assert!(e.contains("bogus"), "{e}");
    let base = |dms: &str, extra: &str| {
        format!(
            r#"{{"options": [{{"name": "a", "permittedDirection": "both"}}, {{"name": "b"}}], "decisionMakers": {dms}{extra}}}"#
        )
    };
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0, 2]}, {"name": "B", "options": [1]}]"#,
        "",
    ));
    assert!(
        e.contains("decisionMakers[0].options[1]") && e.contains("option 2 does not exist"),
        "{e}"
    );
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0]}, {"name": "B", "options": [0]}]"#,
        "",
    ));
    assert!(e.contains("another owner"), "{e}");
    let e = gmcr_err(&base(r#"[{"name": "A", "options": [0]}]"#, ""));
    assert!(
        e.contains("options[1]") && e.contains("no decision maker"),
        "{e}"
    );
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0], "preferenceRanking": [1, 2, 3]}, {"name": "B", "options": [1], "preferenceRanking": [1, 2, 3, 4]}]"#,
        r#", "useManualPreferenceRanking": true"#,
    ));
    assert!(
        e.contains("decisionMakers[0].preferenceRanking") && e.contains("leaves out state 4"),
        "{e}"
    );
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0], "preferenceRanking": [1, 2, 3, 9]}, {"name": "B", "options": [1]}]"#,
        r#", "useManualPreferenceRanking": true"#,
    ));
    assert!(e.contains("state 9 does not exist"), "{e}");
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0], "preferences": [[[0, "X"]]]}, {"name": "B", "options": [1]}]"#,
        "",
    ));
    assert!(
        e.contains("decisionMakers[0].preferences[0]") && e.contains("\"X\""),
        "{e}"
    );
    let e = gmcr_err(
        r#"{"options": [{"name": "a", "permittedDirection": "fwdd"}], "decisionMakers": [{"name": "A", "options": [0]}]}"#,
    );
    assert!(e.contains("did you mean `fwd`?"), "{e}");
    let e = gmcr_err(&base(
        r#"[{"name": "A", "options": [0], "misperceptions": [[[1, "Y"]]]}, {"name": "B", "options": [1]}]"#,
        "",
    ));
    assert!(e.contains("misperceptions"), "{e}");
}

#[test]
fn gmcr_names_coalitions_and_compounds_are_checked() {
    let file = |dms: &str, extra: &str| {
        format!(
            r#"{{"options": [{{"name": "a"}}, {{"name": "b"}}, {{"name": "c"}}], "decisionMakers": {dms}{extra}}}"#
        )
    };
    let three = r#"[{"name": "A", "options": [0]}, {"name": "B", "options": [1]}, {"name": "C", "options": [2]}]"#;
    // Duplicate decision-maker names would merge their results in `by_dm`.
    let e = gmcr_err(&file(
        r#"[{"name": "A", "options": [0]}, {"name": "B", "options": [1]}, {"name": "A", "options": [2]}]"#,
        "",
    ));
    assert!(
        e.starts_with("bad.gmcr: decisionMakers[2].name") && e.contains("decisionMakers[0]"),
        "{e}"
    );
    // Coalitions: existing, distinct, covering every decision maker once.
    for (coalitions, at, what) in [
        (
            "[[0, 0], [1], [2]]",
            "coalitions[0][1]",
            "already in coalitions[0][0]",
        ),
        ("[[0, 1], 1, 2]", "coalitions[1]", "already in"),
        ("[[0, 5], [1], [2]]", "coalitions[0][1]", "does not exist"),
        (
            "[[0, 1]]",
            "coalitions",
            "decision maker 2 (`C`) is in no coalition",
        ),
        ("[[0, 1, 2], []]", "coalitions[1]", "empty"),
    ] {
        let e = gmcr_err(&file(three, &format!(r#", "coalitions": {coalitions}"#)));
        assert!(
            e.contains(&format!("bad.gmcr: {at}:")) && e.contains(what),
            "{coalitions}: {e}"
        );
    }
    for ok in ["[[0, 1, 2]]", "[0, [2, 1]]"] {
        let text = file(three, &format!(r#", "coalitions": {ok}"#));
        assert!(
            parse_gmcr(&text, "ok.gmcr", &Limits::default()).is_ok(),
            "{ok}"
        );
    }
    // The format's compound conditions are ORs: `"compound": false` is refused where it is.
    let e = gmcr_err(&file(
        r#"[{"name": "A", "options": [0], "preferences": [[[0, "Y"]], {"compound": true, "members": [{"compound": false, "members": []}]}]}, {"name": "B", "options": [1, 2]}]"#,
        "",
    ));
    assert!(
        e.contains("decisionMakers[0].preferences[1].members[0].compound"),
        "{e}"
    );
    let e = gmcr_err(&file(
        three,
        r#", "infeasibles": [{"compound": false, "members": [[[0, "Y"]]]}]"#,
    ));
    assert!(e.contains("infeasibles[0].compound"), "{e}");
    // Fewer than two decision makers: nothing to analyse, named.
    let e = gmcr_err(r#"{"options": [], "decisionMakers": []}"#);
    assert!(
        e.starts_with("bad.gmcr: decisionMakers:") && e.contains("at least two"),
        "{e}"
    );
    let e = gmcr_err(
        r#"{"options": [{"name": "a"}], "decisionMakers": [{"name": "A", "options": [0]}]}"#,
    );
    assert!(e.contains("at least two"), "{e}");
}

#[test]
fn library_entry_points_refuse_unknown_states() {
    let c = fixture("prisoners_dilemma.gmcr").conflict;
    let e = explain_stability(&c, 0, 4).unwrap_err().to_string();
    assert!(e.contains("state 5 does not exist"), "{e}");
    assert!(explain_stability(&c, 2, 0).is_err());
    assert!(status_quo(&c, 4, &StatusQuoOptions::default()).is_err());
    let bad = StatusQuoOptions {
        kind: MoveKind::Improvements,
        coalitions: vec![vec![0, 7]],
    };
    assert!(status_quo(&c, 0, &bad).is_err());
}

#[test]
fn limited_move_stops_at_a_fixpoint_and_caps_the_horizon() {
    // On Chicken the tables settle within a few iterations: a horizon of 10^8 is answered
    // at once and equals every horizon past the fixpoint.
    let c = fixture("chicken.gmcr").conflict;
    let lim = Limits::default();
    let far = limited_move(&c, 100_000_000, &lim).unwrap();
    for h in 8..12 {
        assert_eq!(limited_move(&c, h, &lim).unwrap(), far, "h = {h}");
    }
    // Random two-DM conflicts: any horizon beyond the cap either answers like the cap (a
    // fixpoint was reached) or is a typed error, never a hang.
    for seed in 0..20u64 {
        let Some((model, ranks)) = random_options(seed, 2) else {
            continue;
        };
        let c = Conflict::from_options(&model, ranks, 1 << 20).unwrap();
        let at_cap = limited_move(&c, MAX_HORIZON, &lim).unwrap();
        match limited_move(&c, usize::MAX, &lim) {
            Ok(v) => assert_eq!(v, at_cap),
            Err(e) => assert!(e.to_string().contains("horizon"), "{e}"),
        }
    }
    // A deadline in the past stops it with the typed limit error.
    let past = Limits {
        time_limit: Some(std::time::Duration::ZERO),
        ..Limits::default()
    };
    assert!(matches!(
        limited_move(&c, 5, &past),
        Err(dealzone::Error::LimitExceeded {
            limit: dealzone::Limit::TimeLimit,
            ..
        })
    ));
}

#[test]
fn gmcr_infeasibles_and_directions_shape_the_states() {
    // Three options; "a" and "b" mutually exclusive (compound of one pattern), c only back.
    let text = r#"{
      "options": [{"name": "a"}, {"name": "c", "permittedDirection": "back"}, {"name": "b"}],
      "decisionMakers": [{"name": "A", "options": [0, 2]}, {"name": "C", "options": [1]}],
      "infeasibles": [{"compound": true, "members": [[[0, "Y"], [2, "Y"]]]}]
    }"#;
    let g = parse_gmcr(text, "x.gmcr", &Limits::default()).unwrap();
    // Regrouped order: a, b (A), then c (C). Codes without a&b: 0,1,2,4,5,6.
    assert_eq!(g.conflict.codes().unwrap(), [0, 1, 2, 4, 5, 6]);
    assert_eq!(g.conflict.labels()[3], "NNY");
    // C may drop c (code 4 -> 0) but never take it (0 -> 4).
    assert_eq!(g.conflict.moves_from(1, 3), vec![0]);
    assert!(g.conflict.moves_from(1, 0).is_empty());
}

#[test]
fn gmcr_old_preference_vectors_and_coalitions_load() {
    let text = r#"{
      "options": [{"name": "swerve"}, {"name": "swerve"}],
      "decisionMakers": [
        {"name": "D1", "options": [0], "preferenceVector": [3, 4, 2, 1]},
        {"name": "D2", "options": [1], "preferenceVector": [2, [4, 3], 1]}],
      "useManualPreferenceVectors": true,
      "coalitions": [[0, 1]]
    }"#;
    let g = parse_gmcr(text, "old.gmcr", &Limits::default()).unwrap();
    assert_eq!(g.conflict.ranks(0), [0, 1, 3, 2]);
    assert_eq!(g.conflict.ranks(1), [0, 2, 1, 1]);
    assert_eq!(g.coalitions, vec![vec![0, 1]]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text, and the fixture with a byte changed or cut, gives a value or a typed
    /// error, never a panic.
    #[test]
    fn gmcr_reader_never_panics(text in ".{0,200}", at in 0usize..2000, byte in 0u8..128, cut in any::<bool>()) {
        let _ = parse_gmcr(&text, "fuzz.gmcr", &Limits::default());
        let fixture = std::fs::read_to_string(crate::root("tests/fixtures/gmcr/chicken.gmcr")).unwrap();
        let mut bytes = fixture.into_bytes();
        let at = at % bytes.len();
        if cut { bytes.truncate(at) } else { bytes[at] = byte }
        if let Ok(t) = String::from_utf8(bytes)
            && let Ok(g) = parse_gmcr(&t, "fuzz.gmcr", &Limits::default())
        {
            let _ = analyse(&g.conflict);
        }
    }
}

#[test]
fn out_of_range_literals_and_too_many_options_do_not_panic() {
    use dealzone::analysis::stability::Statement;
    assert!(!Statement::Literal(100, true).eval(u64::MAX));
    let opts: Vec<String> = (0..27).map(|k| format!(r#"{{"name": "o{k}"}}"#)).collect();
    let text = format!(
        r#"{{"options": [{}], "decisionMakers": [{{"name": "A", "options": [{}]}}, {{"name": "B", "options": [26]}}]}}"#,
        opts.join(","),
        (0..26).map(|k| k.to_string()).collect::<Vec<_>>().join(",")
    );
    let e = parse_gmcr(&text, "big.gmcr", &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("at most 26"), "{e}");
}

#[test]
fn gmcr_limit_is_a_typed_error() {
    let text = r#"{"options": [{"name": "a"}, {"name": "b"}], "decisionMakers": [{"name": "A", "options": [0]}, {"name": "B", "options": [1]}]}"#;
    let small = |k: u64| Limits {
        max_conflict_states: k,
        ..Limits::default()
    };
    // Four feasible states: a limit of 4 passes, 3 is a positioned error naming the limit.
    assert_eq!(
        parse_gmcr(text, "x.gmcr", &small(4))
            .unwrap()
            .conflict
            .state_count(),
        4
    );
    let e = parse_gmcr(text, "x.gmcr", &small(3)).unwrap_err();
    assert!(
        matches!(&e, dealzone::Error::Gmcr(GmcrError::Element { element, .. }) if element == "options"),
        "{e}"
    );
    assert!(
        e.to_string().contains("x.gmcr") && e.to_string().contains("max_conflict_states"),
        "{e}"
    );
    // The default limit refuses the reviewer's 22-option file at once, yet keeps 2 x 8.
    let opts = |n: usize| {
        (0..n)
            .map(|k| format!(r#"{{"name": "o{k}"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let list = |r: std::ops::Range<usize>| r.map(|k| k.to_string()).collect::<Vec<_>>().join(",");
    let file = |n: usize| {
        format!(
            r#"{{"options": [{}], "decisionMakers": [{{"name": "A", "options": [{}]}}, {{"name": "B", "options": [{}]}}]}}"#,
            opts(n),
            list(0..n / 2),
            list(n / 2..n)
        )
    };
    let e = parse_gmcr(&file(22), "big22.gmcr", &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("max_conflict_states"), "{e}");
    assert_eq!(
        parse_gmcr(&file(16), "b16.gmcr", &Limits::default())
            .unwrap()
            .conflict
            .state_count(),
        1 << 16
    );
    assert!(matches!(
        Conflict::explicit(vec![], vec![], vec![], vec![]).unwrap_err(),
        dealzone::Error::Gmcr(GmcrError::Model { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

const SMALL: &str = r#"
name = "small"
[issues]
price = ["low", "mid", "high"]
strike = ["no", "yes"]
extra = ["a", "b"]
[status_quo]
price = "mid"
strike = "no"
extra = "a"
[parties.seller]
weights = { price = 0.61, strike = 0.27, extra = 0.12 }
values = { price = [0.0, 0.55, 1.0], strike = [1.0, 0.0], extra = [0.3, 0.9] }
controls = ["price"]
red_lines = [{ id = "floor", rule = "price >= mid" }]
[parties.union]
weights = { price = 0.52, strike = 0.31, extra = 0.17 }
values = { price = [1.0, 0.45, 0.0], strike = [0.2, 0.7], extra = [0.8, 0.1] }
controls = ["strike"]
[parties.mediator]
controls = ["extra"]
"#;

/// Whole-space brute force: every state, moves by the definition (change only own issues),
/// ranks by exact utility comparison, analysed by the matrix twin.
fn brute(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    feasible: &dyn Fn(u64) -> bool,
) -> (Vec<u64>, Vec<Vec<Vec<bool>>>) {
    let states: Vec<u64> = (0..c.space().size()).filter(|&x| feasible(x)).collect();
    brute_over(s, c, states)
}

fn brute_over(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    states: Vec<u64>,
) -> (Vec<u64>, Vec<Vec<Vec<bool>>>) {
    let space = c.space();
    let dms: Vec<usize> = (0..s.parties().len())
        .filter(|&p| !s.parties()[p].controls().is_empty())
        .collect();
    let m = states.len();
    let j = dms
        .iter()
        .map(|&p| {
            let own = s.parties()[p].controls();
            let mut mat = matrix::zeros(m);
            for (a, &x) in states.iter().enumerate() {
                for (b, &y) in states.iter().enumerate() {
                    mat[a][b] = x != y
                        && (0..space.issues())
                            .all(|i| own.contains(&i) || space.level(x, i) == space.level(y, i));
                }
            }
            mat
        })
        .collect();
    let ranks = dms
        .iter()
        .map(|&p| match s.parties()[p].preferences() {
            None => vec![0; m],
            Some(pr) => {
                let u: Vec<f64> = states
                    .iter()
                    .map(|&x| pr.utility(&space.decode(x)))
                    .collect();
                // CONTRACT.md: utilities within 1e-12 are equally preferred (sums of the
                // same values in another order differ in the last bits).
                u.iter()
                    .map(|a| u.iter().filter(|b| **b < *a - 1e-12).count() as u32)
                    .collect()
            }
        })
        .collect();
    (states, Plain { j, ranks }.stability())
}

#[test]
fn scenario_matches_whole_space_brute_force() {
    let s = dealzone::Scenario::from_toml_str(SMALL, "small.toml").unwrap();
    let c = dealzone::space::CompiledScenario::new(&s, &Limits::default()).unwrap();
    let all: Vec<u64> = (0..c.space().size()).collect();
    for feas in [Feasibility::All, Feasibility::Candidates] {
        let st = scenario_stability(&s, &c, feas, &all).unwrap();
        assert_eq!(st.dms, ["seller", "union", "mediator"]);
        let f = |x: u64| feas == Feasibility::All || c.is_candidate(&c.space().decode(x));
        let (states, mx) = brute(&s, &c, &f);
        assert_eq!(
            st.states.iter().map(|x| x.index).collect::<Vec<_>>(),
            states
        );
        for (a, x) in st.states.iter().enumerate() {
            assert_eq!(x.number, a as u64 + 1);
            for (k, _) in Concept::ALL.iter().enumerate() {
                for d in 0..3 {
                    assert_eq!(
                        x.stable[d][k], mx[k][d][a],
                        "{feas:?} state {} dm {d} concept {k}",
                        x.index
                    );
                }
            }
            // The unravelling move is an improvement of its mover, unsanctioned under Nash.
            if let Some(u) = &x.unravel {
                assert!(u.concepts.contains(&Concept::Nash));
                let b = states.binary_search(&u.to).unwrap();
                assert!(matrix_move(&s, &c, u.dm, x.index, u.to));
                assert!(b != a);
            } else {
                assert!(Concept::ALL.iter().all(|&k| x.is_equilibrium(k)));
            }
        }
    }
    // A listed subset gives the same verdicts as the full listing.
    let some = [3u64, 7, 11];
    let part = scenario_stability(&s, &c, Feasibility::All, &some).unwrap();
    let full = scenario_stability(&s, &c, Feasibility::All, &all).unwrap();
    for x in &part.states {
        assert_eq!(x, &full.states[x.index as usize]);
    }
}

#[test]
fn seed_zone_verdicts_match_brute_force_per_fibre() {
    // Russia–Ukraine, 2025-04-22, what if Russia dropped its neutrality demand: a deal zone
    // opens. Each zone state's verdicts against the matrix twin over its fibre (all states
    // that agree with it on the issues nobody controls).
    let t = dealzone::Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    // Dropped from the scenario itself, so the analysis and the twin see one scenario.
    let s = &t
        .at("2025-04-22".parse().unwrap())
        .unwrap()
        .without(&["russia/neutrality"])
        .unwrap();
    let limits = Limits::default();
    let c = dealzone::space::CompiledScenario::new(s, &limits).unwrap();
    let z = dealzone::analysis::zone::find_zones_compiled(
        &c,
        dealzone::analysis::zone::Engine::Auto,
        &limits,
    )
    .unwrap();
    let zone: Vec<u64> = z.zones.iter().flat_map(|x| x.states.clone()).collect();
    assert!(!zone.is_empty());
    let st = scenario_stability(s, &c, Feasibility::All, &zone).unwrap();
    assert_eq!(st.states.len(), zone.len());
    let controlled: Vec<usize> = s
        .parties()
        .iter()
        .flat_map(|p| p.controls().to_vec())
        .collect();
    let space = c.space();
    let fibre_key = |x: u64| -> Vec<usize> {
        (0..space.issues())
            .filter(|i| !controlled.contains(i))
            .map(|i| space.level(x, i))
            .collect()
    };
    // Every fibre holding a zone state, each gathered by brute force in one pass
    // over the whole space: the states with the same uncontrolled levels.
    let mut fibres: std::collections::BTreeMap<Vec<usize>, Vec<u64>> = st
        .states
        .iter()
        .map(|x| (fibre_key(x.index), Vec::new()))
        .collect();
    assert!(fibres.len() > 1);
    for y in 0..space.size() {
        if let Some(v) = fibres.get_mut(&fibre_key(y)) {
            v.push(y);
        }
    }
    for (key, members) in fibres {
        let (states, mx) = brute_over(s, &c, members);
        for y in st.states.iter().filter(|y| fibre_key(y.index) == key) {
            let a = states.binary_search(&y.index).unwrap();
            for k in 0..4 {
                for d in 0..st.dms.len() {
                    assert_eq!(
                        y.stable[d][k], mx[k][d][a],
                        "state {} dm {d} concept {k}",
                        y.index
                    );
                }
            }
        }
    }
}

fn matrix_move(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    dm: usize,
    from: u64,
    to: u64,
) -> bool {
    let p = (0..s.parties().len())
        .filter(|&p| !s.parties()[p].controls().is_empty())
        .nth(dm)
        .unwrap();
    let own = s.parties()[p].controls();
    (0..c.space().issues())
        .all(|i| own.contains(&i) || c.space().level(from, i) == c.space().level(to, i))
}

#[test]
fn scenario_fibre_explains_what_scenario_stability_reports() {
    // The fibre conflict's explanations agree with the reported verdicts.
    let s = dealzone::Scenario::from_toml_str(SMALL, "small.toml").unwrap();
    let c = dealzone::space::CompiledScenario::new(&s, &Limits::default()).unwrap();
    let all: Vec<u64> = (0..c.space().size()).collect();
    let st = scenario_stability(&s, &c, Feasibility::All, &all).unwrap();
    for x in &st.states {
        let (conflict, states) =
            dealzone::analysis::stability::scenario_fibre(&s, &c, Feasibility::All, x.index)
                .unwrap();
        let local = states.binary_search(&x.index).unwrap();
        for d in 0..st.dms.len() {
            let e = explain_stability(&conflict, d, local).unwrap();
            assert_eq!(e.improvements.is_empty(), x.stable[d][0]);
            assert_eq!(
                e.improvements.iter().all(|m| m.gmr.is_some()),
                x.stable[d][1]
            );
            assert_eq!(
                e.improvements.iter().all(|m| m.smr.is_some()),
                x.stable[d][2]
            );
            assert_eq!(
                e.improvements.iter().all(|m| m.seq.is_some()),
                x.stable[d][3]
            );
        }
    }
}

#[test]
fn scenario_without_controls_is_an_error() {
    let text = SMALL
        .replace("controls = [\"price\"]", "")
        .replace("controls = [\"strike\"]", "")
        .replace("controls = [\"extra\"]", "");
    let s = dealzone::Scenario::from_toml_str(&text, "small.toml").unwrap();
    let c = dealzone::space::CompiledScenario::new(&s, &Limits::default()).unwrap();
    let e = scenario_stability(&s, &c, Feasibility::All, &[0]).unwrap_err();
    assert!(e.to_string().contains("no party controls an issue"), "{e}");
}

// ---------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------

use crate::dealzone;

#[test]
fn cli_gmcr_json_has_the_contract_keys() {
    let (code, out, err) = dealzone(&["stability", "tests/fixtures/gmcr/chicken.gmcr", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["states"][3],
        serde_json::json!({"number": 4, "code": 3, "options": "YY"})
    );
    assert_eq!(v["equilibria"]["nash"], serde_json::json!([2, 3]));
    assert_eq!(v["equilibria"]["gmr"], serde_json::json!([2, 3, 4]));
    assert_eq!(v["equilibria"]["smr"], serde_json::json!([2, 3, 4]));
    assert_eq!(v["equilibria"]["seq"], serde_json::json!([2, 3]));
    assert_eq!(v["by_dm"]["Driver 1"]["nash"], serde_json::json!([2, 3]));
    // --horizon 1 is Nash; --sim and --status-quo add their keys.
    let (code, out, err) = dealzone(&[
        "stability",
        "tests/fixtures/gmcr/chicken.gmcr",
        "--json",
        "--horizon",
        "1",
        "--sim",
        "--status-quo",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["equilibria"]["l1"], v["equilibria"]["nash"]);
    assert!(v["equilibria"]["sim"].is_array());
    let reached: Vec<u64> = v["status_quo"]["reachable_equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["state"].as_u64().unwrap())
        .collect();
    assert_eq!(reached, [2, 3]);
    let (code, _, err) = dealzone(&["stability", "seeds/wage_round.toml", "--horizon", "2"]);
    assert_eq!(code, 1);
    assert!(err.contains(".gmcr"), "{err}");
}

#[test]
fn cli_refuses_oversized_files_and_answers_far_horizons() {
    // 22 options, every option state feasible: 4 million states, refused before they are
    // enumerated (this file took 30 s and 8 GB without the limit).
    let (code, _, err) = dealzone(&["stability", "tests/fixtures/gmcr/big22.gmcr"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("big22.gmcr")
            && err.contains("max_conflict_states")
            && err.contains("--max-conflict-states"),
        "{err}"
    );
    // A far horizon is answered from the fixpoint of the limited-move tables.
    let run = |h: &str| {
        let (code, out, err) = dealzone(&[
            "stability",
            "tests/fixtures/gmcr/chicken.gmcr",
            "--json",
            "--horizon",
            h,
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["equilibria"][format!("l{h}")].clone()
    };
    assert_eq!(run("100000000"), run("20"));
}

#[test]
fn cli_scenario_status_quo_reaches_listed_equilibria() {
    // From the wage round's own status quo: every reachable equilibrium is one under the
    // same concepts in the full listing, and each path runs from the status quo to it.
    let s = dealzone::Scenario::load(crate::root("seeds/wage_round.toml")).unwrap();
    let c = dealzone::space::CompiledScenario::new(&s, &Limits::default()).unwrap();
    let all: Vec<u64> = (0..c.space().size()).collect();
    let full = scenario_stability(&s, &c, Feasibility::All, &all).unwrap();
    let (code, out, err) = dealzone(&[
        "stability",
        "seeds/wage_round.toml",
        "--status-quo",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sq = &v["status_quo"];
    assert_eq!(sq["code"].as_u64().unwrap(), c.status_quo());
    let start = sq["number"].as_u64().unwrap();
    assert_eq!(start, c.status_quo() + 1);
    let reached = sq["reachable_equilibria"].as_array().unwrap();
    for r in reached {
        let n = r["number"].as_u64().unwrap();
        let x = &full.states[(n - 1) as usize];
        for (k, concept) in Concept::ALL.into_iter().enumerate() {
            let listed = r["equilibrium"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == concept.key());
            assert_eq!(listed, x.is_equilibrium(concept), "state {n} concept {k}");
        }
        let steps = r["steps"].as_array().unwrap();
        assert_eq!(
            steps.first().map_or(start, |p| p["from"].as_u64().unwrap()),
            start
        );
        assert_eq!(steps.last().map_or(start, |p| p["to"].as_u64().unwrap()), n);
    }
    // A number works too, and a .gmcr file needs one.
    let (code, _, err) = dealzone(&["stability", "seeds/wage_round.toml", "--status-quo", "1"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = dealzone(&[
        "stability",
        "tests/fixtures/gmcr/chicken.gmcr",
        "--status-quo",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("needs a state number"), "{err}");
}

#[test]
fn cli_scenario_json_and_errors() {
    let (code, out, err) = dealzone(&[
        "stability",
        "seeds/wage_round.toml",
        "--json",
        "--states",
        "zone",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let states = v["states"].as_array().unwrap();
    assert!(!states.is_empty());
    assert!(states[0]["state"].is_object() && states[0]["code"].is_u64());
    for k in ["nash", "gmr", "smr", "seq"] {
        assert!(v["equilibria"][k].is_array());
    }
    // A state number is its position among feasible states (every state by default).
    assert_eq!(
        states[0]["number"].as_u64().unwrap(),
        states[0]["code"].as_u64().unwrap() + 1
    );
    // --explain on a scenario takes the state's listed number (code + 1): sanctions in
    // issue levels; the JSON names the movers.
    let (code, out, err) = dealzone(&[
        "stability",
        "seeds/wage_round.toml",
        "--explain",
        "139",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["explain"]["number"], 139);
    assert_eq!(v["explain"]["code"], 138);
    assert_eq!(v["explain"]["by_dm"][0]["dm"], "union");
    for bad in ["0", "99999"] {
        let (code, _, err) = dealzone(&["stability", "seeds/wage_round.toml", "--explain", bad]);
        assert_eq!(code, 1);
        assert!(
            err.contains("seeds/wage_round.toml") && err.contains("does not exist"),
            "{err}"
        );
    }
    let (code, _, err) = dealzone(&[
        "stability",
        "seeds/wage_round.toml",
        "--without",
        "union/no_such",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no red line or precondition"), "{err}");
    let (code, _, err) = dealzone(&[
        "stability",
        "tests/fixtures/gmcr/chicken.gmcr",
        "--states",
        "zone",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("scenarios"), "{err}");
}

#[test]
fn json_shape_errors_speak_the_files_words_with_one_position() {
    let text = std::fs::read_to_string(crate::root("tests/fixtures/gmcr/chicken.gmcr")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut bad = v.clone();
    bad["decisionMakers"][0]["preferenceRanking"][0] = serde_json::json!("three");
    let err = parse_gmcr(
        &serde_json::to_string_pretty(&bad).unwrap(),
        "bad.gmcr",
        &dealzone::Limits::default(),
    )
    .expect_err("a string in a ranking is an error")
    .to_string();
    assert!(err.contains("--> bad.gmcr:"), "{err}");
    assert_eq!(err.matches("--> ").count(), 1, "{err}");
    assert!(
        err.contains("a state number or a list of tied state numbers"),
        "{err}"
    );
    assert!(
        !err.contains("untagged") && !err.contains(" at line "),
        "{err}"
    );
}
