//! Every shortest sanction, one per set of sanctioning decision makers, and every shortest
//! status-quo path, one per order of movers: each against a brute-force enumeration, and
//! the same answers whatever the decision makers' order and names.

use std::collections::{BTreeMap, BTreeSet};

use dealzone::analysis::stability::{
    Conflict, ImprovementCheck, MoveKind, PathStep, StatusQuoOptions, Step,
    coalitional_improvements, explain_stability, legal_sequences, status_quo, status_quo_orders,
};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A small random conflict (2–6 states, 3–4 decision makers) named by `names`.
fn conflict(seed: u64, names: &[&str]) -> Conflict {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = rng.random_range(2..=6);
    let density = rng.random_range(0.1..0.6);
    let moves = names
        .iter()
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
    let ranks = names
        .iter()
        .map(|_| (0..m).map(|_| rng.random_range(0..3u32)).collect())
        .collect();
    let labels = (0..m).map(|s| format!("s{s}")).collect();
    Conflict::explicit(
        names.iter().map(|n| n.to_string()).collect(),
        labels,
        moves,
        ranks,
    )
    .unwrap()
}

/// `c` with decision maker `k` the old `order[k]`, renamed `names[k]`.
fn reordered(c: &Conflict, order: &[usize], names: &[&str]) -> Conflict {
    let m = c.state_count();
    let moves = order
        .iter()
        .map(|&d| {
            (0..m)
                .flat_map(|s| c.moves_from(d, s).into_iter().map(move |t| (s, t)))
                .collect()
        })
        .collect();
    let ranks = order.iter().map(|&d| c.ranks(d).to_vec()).collect();
    Conflict::explicit(
        names.iter().map(|n| n.to_string()).collect(),
        c.labels().to_vec(),
        moves,
        ranks,
    )
    .unwrap()
}

/// Every legal sequence of `h` from `from` with exactly `len` moves, by depth-first search.
fn sequences(c: &Conflict, h: &[usize], credible: bool, from: usize, len: usize) -> Vec<Vec<Step>> {
    fn go(
        c: &Conflict,
        h: &[usize],
        credible: bool,
        len: usize,
        path: &mut Vec<Step>,
        s: usize,
        out: &mut Vec<Vec<Step>>,
    ) {
        if path.len() == len {
            out.push(path.clone());
            return;
        }
        for &j in h {
            if path.last().is_some_and(|x| x.mover == j) {
                continue;
            }
            for t in c.moves_from(j, s) {
                if credible && c.ranks(j)[t] <= c.ranks(j)[s] {
                    continue;
                }
                path.push(Step {
                    mover: j,
                    from: s,
                    to: t,
                });
                go(c, h, credible, len, path, t, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(c, h, credible, len, &mut Vec::new(), from, &mut out);
    out
}

/// The documented answer, by enumeration: every legal sequence of the shortest length that
/// ends at an accepted state, grouped by its set of movers; per set the first by (state,
/// then mover sequence); sets with fewer movers first, then by their sorted names. `None` when the
/// shortest length is beyond what enumeration affords.
fn brute(
    c: &Conflict,
    dm: usize,
    from: usize,
    credible: bool,
    accept: impl Fn(usize) -> bool,
) -> Option<Vec<Vec<Step>>> {
    let h: Vec<usize> = (0..c.dm_count()).filter(|&j| j != dm).collect();
    let kind = if credible {
        MoveKind::Improvements
    } else {
        MoveKind::Any
    };
    let Some(len) = legal_sequences(c, &h, kind, from)
        .into_iter()
        .filter(|(t, _)| accept(*t))
        .map(|(_, p)| p.len())
        .min()
    else {
        return Some(Vec::new());
    };
    if len > 6 {
        return None;
    }
    let mut by_set: BTreeMap<BTreeSet<usize>, Vec<Step>> = BTreeMap::new();
    let key = |p: &[Step]| {
        let states: Vec<usize> = p.iter().map(|x| x.to).collect();
        let movers: Vec<usize> = p.iter().map(|x| x.mover).collect();
        (states, movers)
    };
    for p in sequences(c, &h, credible, from, len) {
        if !accept(p[len - 1].to) {
            continue;
        }
        let set: BTreeSet<usize> = p.iter().map(|x| x.mover).collect();
        let best = by_set.entry(set).or_insert_with(|| p.clone());
        if key(&p) < key(best) {
            *best = p;
        }
    }
    let names = |set: &BTreeSet<usize>| {
        let mut n: Vec<String> = set.iter().map(|&j| c.dms()[j].name.clone()).collect();
        n.sort();
        (set.len(), n)
    };
    let mut sets: Vec<(BTreeSet<usize>, Vec<Step>)> = by_set.into_iter().collect();
    sets.sort_by_key(|(set, _)| names(set));
    Some(sets.into_iter().map(|(_, p)| p).collect())
}

/// The best `dm` can reach from `s` by staying or moving once.
fn escape(c: &Conflict, dm: usize, s: usize) -> u32 {
    let r = c.ranks(dm);
    c.moves_from(dm, s)
        .into_iter()
        .map(|t| r[t])
        .fold(r[s], u32::max)
}

/// A sanction written with the movers' names: (mover, from, to) per move.
type Named = Vec<(String, usize, usize)>;

/// A sanction written with the movers' names.
fn named(c: &Conflict, p: &[Step]) -> Named {
    p.iter()
        .map(|x| (c.dms()[x.mover].name.clone(), x.from, x.to))
        .collect()
}

/// Every sanction of every improvement, per concept, as a set written with names.
fn named_sets(c: &Conflict, m: &ImprovementCheck) -> [BTreeSet<Named>; 3] {
    [&m.gmr_all, &m.smr_all, &m.seq_all].map(|all| all.iter().map(|p| named(c, p)).collect())
}

/// Every status-quo walk from `from` with exactly `len` arcs (consecutive colours differ;
/// colour `n + k` is coalition `k`), as (colours, states), by depth-first search.
fn walks(
    c: &Conflict,
    options: &StatusQuoOptions,
    from: usize,
    len: usize,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = c.dm_count();
    let arcs = |s: usize, k: usize| -> Vec<usize> {
        match (k < n, options.kind) {
            (true, MoveKind::Any) => c.moves_from(k, s),
            (true, MoveKind::Improvements) => c.improvements_from(k, s),
            (false, MoveKind::Improvements) => {
                coalitional_improvements(c, &options.coalitions[k - n], s)
            }
            (false, MoveKind::Any) => {
                legal_sequences(c, &options.coalitions[k - n], MoveKind::Any, s)
                    .into_iter()
                    .map(|(t, _)| t)
                    .filter(|&t| t != s)
                    .collect()
            }
        }
    };
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), Vec::new(), from)];
    while let Some((ks, ss, s)) = stack.pop() {
        if ks.len() == len {
            out.push((ks, ss));
            continue;
        }
        for k in 0..n + options.coalitions.len() {
            if ks.last() == Some(&k) {
                continue;
            }
            for t in arcs(s, k) {
                let (mut ks, mut ss) = (ks.clone(), ss.clone());
                ks.push(k);
                ss.push(t);
                stack.push((ks, ss, t));
            }
        }
    }
    out
}

/// A status-quo path as (movers' names, from, to) per arc.
fn named_path(c: &Conflict, p: &[PathStep]) -> Vec<(Vec<String>, usize, usize)> {
    p.iter()
        .map(|x| {
            (
                x.movers.iter().map(|&i| c.dms()[i].name.clone()).collect(),
                x.from,
                x.to,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_shortest_status_quo_path_per_order_of_movers(
        seed in any::<u64>(),
        dms in 2usize..=4,
        any_move in any::<bool>(),
        coalition in any::<bool>(),
    ) {
        let c = conflict(seed, &["DM0", "DM1", "DM2", "DM3"][..dms]);
        let options = StatusQuoOptions {
            kind: if any_move { MoveKind::Any } else { MoveKind::Improvements },
            coalitions: if coalition { vec![vec![0, 1]] } else { vec![] },
        };
        let n = c.dm_count();
        let movers = |k: usize| if k < n { vec![k] } else { options.coalitions[k - n].clone() };
        for s0 in 0..c.state_count() {
            let reached = status_quo(&c, s0, &options).unwrap();
            let targets: Vec<usize> = (0..c.state_count()).collect();
            let got = status_quo_orders(&c, s0, &options, &targets).unwrap();
            let want_states: Vec<usize> = reached.iter().map(|r| r.0).filter(|&t| t != s0).collect();
            prop_assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), want_states);
            for ((t, paths), (_, one)) in got.iter().zip(reached.iter().filter(|r| r.0 != s0)) {
                prop_assert!(paths.contains(one), "status_quo()'s path is one of the orders");
                let len = one.len();
                if len > 5 {
                    continue;
                }
                let mut by_order: BTreeMap<Vec<usize>, Vec<usize>> = BTreeMap::new();
                for (ks, ss) in walks(&c, &options, s0, len) {
                    if ss[len - 1] != *t {
                        continue;
                    }
                    let e = by_order.entry(ks).or_insert_with(|| ss.clone());
                    if ss < *e {
                        *e = ss;
                    }
                }
                let mut want: Vec<(Vec<usize>, Vec<usize>)> = by_order.into_iter().collect();
                want.sort_by_cached_key(|(ks, _)| {
                    let distinct: BTreeSet<usize> = ks.iter().flat_map(|&k| movers(k)).collect();
                    let names: Vec<Vec<String>> = ks
                        .iter()
                        .map(|&k| movers(k).iter().map(|&i| c.dms()[i].name.clone()).collect())
                        .collect();
                    (distinct.len(), names)
                });
                let want: Vec<Vec<PathStep>> = want
                    .into_iter()
                    .map(|(ks, ss)| {
                        let froms = std::iter::once(s0).chain(ss.iter().copied());
                        ks.iter()
                            .zip(froms.zip(ss.iter().copied()))
                            .map(|(&k, (from, to))| PathStep { movers: movers(k), from, to })
                            .collect()
                    })
                    .collect();
                prop_assert_eq!(paths, &want, "from {} to {}", s0, t);
            }
        }
    }

    #[test]
    fn the_same_status_quo_orders_whatever_the_order_and_names(seed in any::<u64>(), rot in 0usize..4) {
        let c = conflict(seed, &["a", "b", "c", "d"]);
        let order: Vec<usize> = (0..4).map(|k| (k + rot) % 4).rev().collect();
        let names = ["z", "y", "x", "w"];
        let d = reordered(&c, &order, &names);
        let rename: BTreeMap<String, String> = order
            .iter()
            .zip(names)
            .map(|(&old, new)| (c.dms()[old].name.clone(), new.to_string()))
            .collect();
        let targets: Vec<usize> = (0..c.state_count()).collect();
        let options = StatusQuoOptions::default();
        for s0 in 0..c.state_count() {
            let a = status_quo_orders(&c, s0, &options, &targets).unwrap();
            let b = status_quo_orders(&d, s0, &options, &targets).unwrap();
            prop_assert_eq!(a.len(), b.len());
            for ((ta, pa), (tb, pb)) in a.iter().zip(&b) {
                prop_assert_eq!(ta, tb);
                let renamed: BTreeSet<_> = pa
                    .iter()
                    .map(|p| {
                        named_path(&c, p)
                            .into_iter()
                            .map(|(ns, f, t)| (ns.iter().map(|n| rename[n].clone()).collect::<Vec<_>>(), f, t))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let mirrored: BTreeSet<_> = pb.iter().map(|p| named_path(&d, p)).collect();
                prop_assert_eq!(renamed, mirrored);
            }
        }
    }

    #[test]
    fn every_shortest_sanction_per_set_of_movers(seed in any::<u64>(), dms in 3usize..=4) {
        let c = conflict(seed, &["DM0", "DM1", "DM2", "DM3"][..dms]);
        for dm in 0..dms {
            for s in 0..c.state_count() {
                let e = explain_stability(&c, dm, s).unwrap();
                let rs = c.ranks(dm)[s];
                for m in &e.improvements {
                    let r = c.ranks(dm);
                    let twins = [
                        brute(&c, dm, m.to, false, |t| r[t] <= rs),
                        brute(&c, dm, m.to, false, |t| escape(&c, dm, t) <= rs),
                        brute(&c, dm, m.to, true, |t| r[t] <= rs),
                    ];
                    for (got, want) in [&m.gmr_all, &m.smr_all, &m.seq_all].into_iter().zip(twins) {
                        if let Some(want) = want {
                            prop_assert_eq!(got, &want, "dm {} state {} to {}", dm, s, m.to);
                        }
                    }
                    prop_assert_eq!(&m.gmr, &m.gmr_all.first().cloned());
                    prop_assert_eq!(&m.smr, &m.smr_all.first().cloned());
                    prop_assert_eq!(&m.seq, &m.seq_all.first().cloned());
                }
            }
        }
    }

    #[test]
    fn the_same_sanctions_whatever_the_order_and_names(seed in any::<u64>(), rot in 0usize..4) {
        // Names that sort one way in the file order, the other way after reordering.
        let c = conflict(seed, &["a", "b", "c", "d"]);
        let order: Vec<usize> = (0..4).map(|k| (k + rot) % 4).rev().collect();
        let names = ["z", "y", "x", "w"];
        let d = reordered(&c, &order, &names);
        let rename: BTreeMap<String, String> = order
            .iter()
            .zip(names)
            .map(|(&old, new)| (c.dms()[old].name.clone(), new.to_string()))
            .collect();
        for (new, &old) in order.iter().enumerate() {
            for s in 0..c.state_count() {
                let (a, b) = (explain_stability(&c, old, s).unwrap(), explain_stability(&d, new, s).unwrap());
                prop_assert_eq!(a.improvements.len(), b.improvements.len());
                for (ma, mb) in a.improvements.iter().zip(&b.improvements) {
                    prop_assert_eq!(ma.to, mb.to);
                    let renamed = named_sets(&c, ma).map(|sets| {
                        sets.into_iter()
                            .map(|p| p.into_iter().map(|(n, f, t)| (rename[&n].clone(), f, t)).collect())
                            .collect::<BTreeSet<_>>()
                    });
                    // Within a set of movers the sanction shown may differ only in the order
                    // the same movers take turns on the same states (a documented tie rule
                    // by position); compare the sets of movers and the states visited.
                    let shape = |sets: &[BTreeSet<Named>; 3]| {
                        sets.clone().map(|s| {
                            s.into_iter()
                                .map(|p| {
                                    let movers: BTreeSet<String> = p.iter().map(|x| x.0.clone()).collect();
                                    let states: Vec<usize> = p.iter().map(|x| x.2).collect();
                                    (movers, states)
                                })
                                .collect::<BTreeSet<_>>()
                        })
                    };
                    prop_assert_eq!(shape(&renamed), shape(&named_sets(&d, mb)));
                }
            }
        }
    }
}

/// Three decision makers: at state 0, A improves to 1; B and C can each sanction alone, B by
/// moving to 2 and C by moving to 3, both worse for A than 0. Whichever is listed first in
/// the file, both are named.
#[test]
fn two_opponents_who_can_each_sanction_are_both_named() {
    let build = |names: [&str; 3], b_first: bool| {
        let (b, cc) = (vec![(1, 2)], vec![(1, 3)]);
        let moves = if b_first {
            vec![vec![(0, 1)], b, cc]
        } else {
            vec![vec![(0, 1)], cc, b]
        };
        Conflict::explicit(
            names.iter().map(|n| n.to_string()).collect(),
            (0..4).map(|s| format!("s{s}")).collect(),
            moves,
            vec![vec![2, 3, 0, 0], vec![0; 4], vec![0; 4]],
        )
        .unwrap()
    };
    for (names, b_first) in [
        (["A", "B", "C"], true),
        (["A", "B", "C"], false),
        (["A", "C", "B"], true),
    ] {
        let c = build(names, b_first);
        let e = explain_stability(&c, 0, 0).unwrap();
        let m = &e.improvements[0];
        let ends: BTreeSet<(String, usize)> = m
            .gmr_all
            .iter()
            .map(|p| (c.dms()[p[0].mover].name.clone(), p[0].to))
            .collect();
        assert_eq!(ends.len(), 2, "{names:?} {b_first}: {:?}", m.gmr_all);
        // The first listed (the contract's `gmr`) is the first name: a listing order
        // inside one tier, not a verdict.
        assert_eq!(c.dms()[m.gmr.as_ref().unwrap()[0].mover].name, "B");
    }
}

/// The bundled 2022 seed: at state 811300 Ukraine's move back to the accepted mandate can be
/// answered by the EU (sanctions) or by the United States (aid), each alone in one move. Both
/// are named, in the text and in the JSON (`gmr` stays the first of `gmr_all`).
#[test]
fn the_seed_names_both_sides_that_can_sanction() {
    let args = [
        "stability",
        "seeds/russia_ukraine/base_2022.toml",
        "--explain",
        "811300",
    ];
    let (code, out, err) = crate::dealzone(&[&args[..], &["--json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ukraine = v["explain"]["by_dm"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dm"] == "ukraine")
        .unwrap();
    let mut both = 0;
    for m in ukraine["improvements"].as_array().unwrap() {
        let all = m["gmr_all"].as_array().unwrap();
        assert_eq!(m["gmr"], all.first().cloned().unwrap_or_default());
        let movers: BTreeSet<&str> = all
            .iter()
            .flat_map(|p| {
                p.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["dm"].as_str().unwrap())
            })
            .collect();
        if movers == BTreeSet::from(["eu", "united_states"]) {
            both += 1;
        }
    }
    assert!(both > 0, "{ukraine}");
    let (code, text, err) = crate::dealzone(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.lines()
            .any(|l| l.contains("GMR sanction: eu to") && l.contains(" or united_states to")),
        "{text}"
    );
}
