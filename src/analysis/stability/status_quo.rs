//! Status quo analysis: which states, and which equilibria, the decision makers can reach
//! from a status quo by legal sequences (consecutive moves by different movers), and the
//! shortest way there.
//!
//! Arcs are coloured by their mover: a decision maker, or a coalition making a coalitional
//! improvement (a legal sequence of its members ending where every member is strictly
//! better off). A status-quo path is a walk whose consecutive arcs have different colours.

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
/// makers first, then coalitions in the order given; targets in increasing order).
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
    let targets = |s: usize, colour: usize| -> Vec<usize> {
        if colour < n {
            match options.kind {
                MoveKind::Any => c.moves_from(colour, s),
                MoveKind::Improvements => c.improvements_from(colour, s),
            }
        } else {
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
    };
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
    let movers = |colour: usize| -> Vec<usize> {
        if colour < n {
            vec![colour]
        } else {
            let mut h = options.coalitions[colour - n].clone();
            h.sort_unstable();
            h
        }
    };
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
