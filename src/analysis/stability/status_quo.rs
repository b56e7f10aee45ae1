//! Status quo analysis: which states, and which equilibria, the decision makers can reach
//! from a status quo by legal sequences (consecutive moves by different movers), and the
//! shortest way there.
//!
//! Arcs are coloured by their mover: a decision maker, or a coalition making a coalitional
//! improvement (a legal sequence of its members ending where every member is strictly
//! better off). A status-quo path is a walk whose consecutive arcs have different colours.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::Conflict;
use super::reach::{MoveKind, coalitional_improvements, legal_sequences};

/// What a status-quo path may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusQuoOptions {
    /// Unilateral improvements only (the usual analysis), or any moves.
    pub kind: MoveKind,
    /// Coalitions (each a set of decision makers, at least two) whose coalitional
    /// improvements are also arcs.
    pub coalitions: Vec<Vec<usize>>,
}

impl Default for StatusQuoOptions {
    /// Unilateral improvements, no coalitions.
    fn default() -> Self {
        StatusQuoOptions {
            kind: MoveKind::Improvements,
            coalitions: Vec::new(),
        }
    }
}

/// One arc of a status-quo path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// Who moves: one decision maker, or the members of a coalition (sorted).
    pub movers: Vec<usize>,
    /// 0-based state it moves from.
    pub from: usize,
    /// 0-based state it moves to.
    pub to: usize,
}

/// Every state reachable from `status_quo`, each with a shortest status-quo path.
///
/// # Arguments
/// `c`: the conflict; `status_quo`: 0-based; `options`: moves allowed and coalitions.
///
/// # Returns
/// `(state, path)` sorted by state; the status quo itself with an empty path first.
/// Ties between equally short paths go to the one found first (colours tried decision
/// makers first, then coalitions in the order given; targets in increasing order): one
/// witness of reachability. Who moves first is not decided by it: [`status_quo_orders`]
/// gives every shortest path, one per order of movers.
///
/// # Errors
/// [`crate::error::gmcr::GmcrError::Model`] when the status quo or a coalition member does
/// not exist.
///
/// # Complexity
/// O(k · (n + k) · A) for `k` colours with coalitions, O(n² · A) without, where `A` is the
/// number of moves; memory O(m · (n + k)).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{analyse, status_quo, Concept, Conflict, OptionModel, OptionSpec, Ranking, StatusQuoOptions};
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("P1".into(), vec![opt("c")]), ("P2".into(), vec![opt("c")])],
///     infeasible: vec![],
/// };
/// let ranks = vec![Ranking::parse("3 4 1 2", 4)?.ranks(4)?, Ranking::parse("2 4 1 3", 4)?.ranks(4)?];
/// let c = Conflict::from_options(&model, ranks, 1 << 20)?;
/// // From mutual cooperation (YY), unilateral improvements lead to mutual defection (NN).
/// let reached = status_quo(&c, 3, &StatusQuoOptions::default())?;
/// let nn = reached.iter().find(|(s, _)| *s == 0).unwrap();
/// assert_eq!(nn.1.len(), 2);
/// assert!(status_quo(&c, 4, &StatusQuoOptions::default()).is_err());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn status_quo(
    c: &Conflict,
    status_quo: usize,
    options: &StatusQuoOptions,
) -> crate::error::Result<Vec<(usize, Vec<PathStep>)>> {
    c.check_state(status_quo)?;
    for h in &options.coalitions {
        for &k in h {
            c.check_dm(k)?;
        }
    }
    let n = c.dm_count();
    let m = c.state_count();
    let colours = n + options.coalitions.len();
    // Node (s, colour of the arc that reached s); parent = previous node, or None for the
    // status quo's own arcs.
    let mut seen = vec![false; m * colours];
    let mut parent: Vec<Option<(usize, usize)>> = vec![None; m * colours];
    let mut first: Vec<Option<(usize, usize)>> = vec![None; m];
    let mut frontier: Vec<(usize, Option<usize>)> = vec![(status_quo, None)];
    let targets = |s: usize, colour: usize| arcs(c, options, s, colour);
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &(s, last) in &frontier {
            for colour in 0..colours {
                if Some(colour) == last {
                    continue;
                }
                for t in targets(s, colour) {
                    let node = t * colours + colour;
                    if seen[node] {
                        continue;
                    }
                    seen[node] = true;
                    parent[node] = last.map(|l| (s, l));
                    if first[t].is_none() && t != status_quo {
                        first[t] = Some((t, colour));
                    }
                    next.push((t, Some(colour)));
                }
            }
        }
        frontier = next;
    }
    let movers = |colour: usize| movers_of(options, n, colour);
    let mut out = vec![(status_quo, Vec::new())];
    for (state, f) in first.iter().enumerate() {
        let Some(mut node) = *f else { continue };
        let mut steps = Vec::new();
        loop {
            let (t, colour) = node;
            let prev = parent[t * colours + colour];
            let from = prev.map_or(status_quo, |p| p.0);
            steps.push(PathStep {
                movers: movers(colour),
                from,
                to: t,
            });
            match prev {
                Some(p) => node = p,
                None => break,
            }
        }
        steps.reverse();
        out.push((state, steps));
    }
    out.sort_by_key(|(s, _)| *s);
    Ok(out)
}

/// Every shortest status-quo path to each of `targets`, one per order of movers: who moves
/// first is part of the story an analyst tells, so when the same state is reached as soon
/// by different orders (prisoner 1 defects first, or prisoner 2), each order is listed.
///
/// # Arguments
/// As [`status_quo()`], plus `targets`: the states asked about (0-based; unreachable ones and
/// the status quo itself are left out of the answer).
///
/// # Returns
/// `(state, paths)` sorted by state, for each reachable target other than the status quo:
/// its shortest paths, one per sequence of movers (decision makers or coalitions), that
/// sequence's first state sequence comparing state index by state index. Paths come with
/// fewer distinct movers first, then by their movers' names move by move (names only order
/// paths that tie on every count). [`status_quo()`]'s path is one of them.
///
/// # Errors
/// As [`status_quo()`].
///
/// # Complexity
/// As [`status_quo()`] twice, plus, for shortest paths of `d` moves over `n` colours, up to
/// n·(n−1)^(d−1) orders kept per state on a shortest path to a target.
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{status_quo_orders, Conflict, OptionModel, OptionSpec, Ranking, StatusQuoOptions};
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("P1".into(), vec![opt("c")]), ("P2".into(), vec![opt("c")])],
///     infeasible: vec![],
/// };
/// let ranks = vec![Ranking::parse("3 4 1 2", 4)?.ranks(4)?, Ranking::parse("2 4 1 3", 4)?.ranks(4)?];
/// let c = Conflict::from_options(&model, ranks, 1 << 20)?;
/// // From mutual cooperation (YY) to mutual defection (NN): either prisoner defects first.
/// let orders = status_quo_orders(&c, 3, &StatusQuoOptions::default(), &[0])?;
/// let firsts: Vec<usize> = orders[0].1.iter().map(|p| p[0].movers[0]).collect();
/// assert_eq!(firsts, vec![0, 1]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn status_quo_orders(
    c: &Conflict,
    status_quo: usize,
    options: &StatusQuoOptions,
    targets: &[usize],
) -> crate::error::Result<Vec<(usize, Vec<Vec<PathStep>>)>> {
    c.check_state(status_quo)?;
    for h in &options.coalitions {
        for &k in h {
            c.check_dm(k)?;
        }
    }
    for &t in targets {
        c.check_state(t)?;
    }
    let n = c.dm_count();
    let colours = n + options.coalitions.len();
    let arcs = |s: usize, colour: usize| arcs(c, options, s, colour);
    // Layers of nodes (state, colour that reached it), each at its breadth-first depth;
    // `succ[d]` the arcs from layer d to layer d + 1 (the status quo is layer 0).
    let mut at: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut layers: Vec<Vec<(usize, Option<usize>)>> = vec![vec![(status_quo, None)]];
    let mut succ: Vec<Vec<(usize, usize)>> = Vec::new();
    loop {
        let d = layers.len();
        let mut next = Vec::new();
        let mut edges = Vec::new();
        for (u, &(s, last)) in layers[d - 1].iter().enumerate() {
            for colour in (0..colours).filter(|&k| Some(k) != last) {
                for t in arcs(s, colour) {
                    let (dv, v) = *at.entry((t, colour)).or_insert_with(|| {
                        next.push((t, Some(colour)));
                        (d, next.len() - 1)
                    });
                    if dv == d {
                        edges.push((u, v));
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        succ.push(edges);
        layers.push(next);
    }
    // The shortest depth of each target, and which of its nodes lie there.
    let mut wanted: Vec<(usize, usize)> = Vec::new();
    for &t in targets {
        if t == status_quo {
            continue;
        }
        if let Some(d) = (1..layers.len()).find(|&d| layers[d].iter().any(|x| x.0 == t)) {
            wanted.push((t, d));
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    // Nodes on a shortest path to a wanted node, marked backwards layer by layer.
    let mut on: Vec<Vec<bool>> = layers.iter().map(|l| vec![false; l.len()]).collect();
    for &(t, d) in &wanted {
        for (v, x) in layers[d].iter().enumerate() {
            on[d][v] |= x.0 == t;
        }
    }
    for d in (0..succ.len()).rev() {
        for &(u, v) in &succ[d] {
            if on[d + 1][v] {
                on[d][u] = true;
            }
        }
    }
    // Forward: per node, its orders of movers, each with the first state sequence.
    type Orders = BTreeMap<Vec<usize>, Vec<usize>>;
    let mut orders: Vec<Vec<Orders>> = layers
        .iter()
        .map(|l| vec![Orders::new(); l.len()])
        .collect();
    orders[0][0].insert(Vec::new(), Vec::new());
    for d in 0..succ.len() {
        for &(u, v) in &succ[d] {
            if !on[d][u] || !on[d + 1][v] {
                continue;
            }
            let (t, colour) = layers[d + 1][v];
            let colour = colour.unwrap_or(0);
            let grown: Vec<(Vec<usize>, Vec<usize>)> = orders[d][u]
                .iter()
                .map(|(seq, states)| {
                    let mut seq = seq.clone();
                    seq.push(colour);
                    let mut states = states.clone();
                    states.push(t);
                    (seq, states)
                })
                .collect();
            for (seq, states) in grown {
                let e = orders[d + 1][v]
                    .entry(seq)
                    .or_insert_with(|| states.clone());
                if states < *e {
                    *e = states;
                }
            }
        }
    }
    let movers = |colour: usize| movers_of(options, n, colour);
    let name = |colour: usize| -> Vec<&str> {
        movers(colour)
            .iter()
            .map(|&i| c.dms[i].name.as_str())
            .collect()
    };
    let mut out = Vec::new();
    for (t, d) in wanted {
        let mut all: Orders = Orders::new();
        for (v, x) in layers[d].iter().enumerate() {
            if x.0 == t {
                all.extend(orders[d][v].iter().map(|(a, b)| (a.clone(), b.clone())));
            }
        }
        let mut paths: Vec<(Vec<usize>, Vec<usize>)> = all.into_iter().collect();
        paths.sort_by_cached_key(|(seq, _)| {
            let distinct: BTreeSet<usize> = seq.iter().flat_map(|&k| movers(k)).collect();
            (
                distinct.len(),
                seq.iter().map(|&k| name(k)).collect::<Vec<_>>(),
            )
        });
        let paths = paths
            .into_iter()
            .map(|(seq, states)| {
                let froms = std::iter::once(status_quo).chain(states.iter().copied());
                seq.iter()
                    .zip(froms.zip(states.iter().copied()))
                    .map(|(&k, (from, to))| PathStep {
                        movers: movers(k),
                        from,
                        to,
                    })
                    .collect()
            })
            .collect();
        out.push((t, paths));
    }
    Ok(out)
}

/// The decision makers behind a colour: one decision maker, or a coalition's members in
/// index order.
fn movers_of(options: &StatusQuoOptions, n: usize, colour: usize) -> Vec<usize> {
    if colour < n {
        vec![colour]
    } else {
        let mut h = options.coalitions[colour - n].clone();
        h.sort_unstable();
        h
    }
}

/// The states one arc of `colour` leads to from `s`: a decision maker's move (or
/// improvement), or a coalition's legal sequence (or coalitional improvement).
fn arcs(c: &Conflict, options: &StatusQuoOptions, s: usize, colour: usize) -> Vec<usize> {
    let n = c.dm_count();
    if colour < n {
        return match options.kind {
            MoveKind::Any => c.moves_from(colour, s),
            MoveKind::Improvements => c.improvements_from(colour, s),
        };
    }
    let h = &options.coalitions[colour - n];
    match options.kind {
        MoveKind::Any => legal_sequences(c, h, MoveKind::Any, s)
            .into_iter()
            .map(|(t, _)| t)
            .filter(|&t| t != s)
            .collect(),
        MoveKind::Improvements => coalitional_improvements(c, h, s),
    }
}
