//! Reachability by legal sequences: a coalition's members move one at a time, any member
//! any number of times, but never the same decision maker twice in succession.
//!
//! Legal sequences are walks over pairs (state, last mover), so everything here works on
//! that product graph without building it.

use super::model::Conflict;

/// Which moves a sequence may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// Any move (`R_H`).
    Any,
    /// Only unilateral improvements of the mover, judged from the state it moves from
    /// (`R_H^+`).
    Improvements,
}

#[inline]
pub(crate) fn usable(c: &Conflict, kind: MoveKind, j: usize, from: u32, to: u32) -> bool {
    kind == MoveKind::Any || c.ranks[j][to as usize] > c.ranks[j][from as usize]
}

/// Calls `f(new_class, group)` for the groups of equal `key` within each class, classes in
/// order, groups by decreasing `key`; `new_class` is true for a class's first group.
///
/// # Complexity
/// O(m log m).
pub(crate) fn class_groups(
    off: &[u32],
    members: &[u32],
    key: &[u32],
    mut f: impl FnMut(bool, &[u32]),
) {
    let mut buf: Vec<u32> = Vec::new();
    for k in 0..off.len() - 1 {
        buf.clear();
        buf.extend_from_slice(&members[off[k] as usize..off[k + 1] as usize]);
        buf.sort_unstable_by_key(|&s| std::cmp::Reverse(key[s as usize]));
        let mut x = 0;
        while x < buf.len() {
            let v = key[buf[x] as usize];
            let mut y = x;
            while y < buf.len() && key[buf[y] as usize] == v {
                y += 1;
            }
            f(x == 0, &buf[x..y]);
            x = y;
        }
    }
}

/// For every state `s1`: the least `val[s2]` over the states `s2` that coalition `h`
/// reaches from `s1` by a non-empty legal sequence (`u32::MAX` when it reaches none).
///
/// With one member this is the least value over its one-step moves. With more it runs
/// backwards from the states in increasing order of value, marking every (state, last
/// mover) pair that can reach them; each pair is marked once, with its least value.
///
/// # Complexity
/// O(|h| · Σ_{j∈h} arcs_j + states · log states) time, O(states · |h|) memory.
pub(crate) fn coalition_min(c: &Conflict, h: &[usize], kind: MoveKind, val: &[u32]) -> Vec<u32> {
    let m = c.state_count();
    let mut best = vec![u32::MAX; m];
    match h {
        [] => best,
        [j] => {
            if let Some((off, members)) = c.moves[*j].plain_classes() {
                // R_j(s1) is the rest of s1's class: no need to walk every arc.
                match kind {
                    MoveKind::Any => {
                        for k in 0..off.len() - 1 {
                            let class = &members[off[k] as usize..off[k + 1] as usize];
                            let (mut m1, mut arg, mut m2) = (u32::MAX, u32::MAX, u32::MAX);
                            for &t in class {
                                let v = val[t as usize];
                                if v < m1 {
                                    (m2, m1, arg) = (m1, v, t);
                                } else if v < m2 {
                                    m2 = v;
                                }
                            }
                            for &s1 in class {
                                best[s1 as usize] = if s1 == arg { m2 } else { m1 };
                            }
                        }
                    }
                    MoveKind::Improvements => {
                        // The moves j makes from s1 are to class members j ranks higher.
                        let mut least = u32::MAX;
                        class_groups(off, members, &c.ranks[*j], |new_class, group| {
                            if new_class {
                                least = u32::MAX;
                            }
                            for &s1 in group {
                                best[s1 as usize] = least;
                            }
                            for &t in group {
                                least = least.min(val[t as usize]);
                            }
                        });
                    }
                }
                return best;
            }
            for (s1, b) in best.iter_mut().enumerate() {
                let s1 = s1 as u32;
                c.moves[*j].for_each_target(s1, |t| {
                    if usable(c, kind, *j, s1, t) {
                        *b = (*b).min(val[t as usize]);
                    }
                });
            }
            best
        }
        _ => {
            let k = h.len();
            let mut order: Vec<u32> = (0..m as u32).collect();
            order.sort_unstable_by_key(|&s| (val[s as usize], s));
            // done[s * k + x]: the pair (s, last mover h[x]) has its least value.
            let mut done = vec![false; m * k];
            let mut queue: Vec<(u32, usize)> = Vec::new();
            for &t in &order {
                let x = val[t as usize];
                for xj in 0..k {
                    if !done[t as usize * k + xj] {
                        done[t as usize * k + xj] = true;
                        queue.push((t, xj));
                    }
                }
                while let Some((t2, xj)) = queue.pop() {
                    let j = h[xj];
                    c.moves[j].for_each_source(t2, |p| {
                        if !usable(c, kind, j, p, t2) {
                            return;
                        }
                        let pu = p as usize;
                        if best[pu] == u32::MAX {
                            best[pu] = x;
                        }
                        for xl in 0..k {
                            if xl != xj && !done[pu * k + xl] {
                                done[pu * k + xl] = true;
                                queue.push((p, xl));
                            }
                        }
                    });
                }
            }
            best
        }
    }
}

/// One move of a legal sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The decision maker who moves (position in the conflict).
    pub mover: usize,
    /// 0-based state it moves from.
    pub from: usize,
    /// 0-based state it moves to.
    pub to: usize,
}

/// Shortest legal sequences of coalition `h` from `from`: for every state reached by a
/// non-empty legal sequence, one shortest such sequence (ties: the one found first, movers
/// tried in the order of `h`, targets in increasing order).
///
/// # Arguments
/// `c`: the conflict; `h`: the coalition (decision maker positions); `kind`: any moves
/// (`R_H`) or improvements only (`R_H^+`); `from`: the 0-based start state.
///
/// # Returns
/// `(state, steps)` pairs sorted by state.
///
/// # Complexity
/// O(|h| · Σ_{j∈h} arcs_j) time, O(states · |h|) memory.
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{legal_sequences, Conflict, MoveKind};
/// // A moves 0 -> 1, B moves 1 -> 2, A moves 2 -> 3.
/// let c = Conflict::explicit(
///     vec!["A".into(), "B".into()],
///     (1..=4).map(|k| k.to_string()).collect(),
///     vec![vec![(0, 1), (2, 3)], vec![(1, 2)]],
///     vec![vec![0; 4], vec![0; 4]],
/// )?;
/// let reached = legal_sequences(&c, &[0, 1], MoveKind::Any, 0);
/// assert_eq!(reached.iter().map(|(s, p)| (*s, p.len())).collect::<Vec<_>>(),
///            vec![(1, 1), (2, 2), (3, 3)]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn legal_sequences(
    c: &Conflict,
    h: &[usize],
    kind: MoveKind,
    from: usize,
) -> Vec<(usize, Vec<Step>)> {
    let m = c.state_count();
    let k = h.len();
    // Node (s, x): at s, last mover h[x]; parent gives the previous node.
    let mut parent: Vec<Option<(u32, usize)>> = vec![None; m * k];
    let mut seen = vec![false; m * k];
    let mut first: Vec<Option<(u32, usize)>> = vec![None; m];
    let mut frontier: Vec<(u32, Option<usize>)> = vec![(from as u32, None)];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &(s, last) in &frontier {
            for (xj, &j) in h.iter().enumerate() {
                if Some(xj) == last {
                    continue;
                }
                let mut targets = Vec::new();
                c.moves[j].for_each_target(s, |t| {
                    if usable(c, kind, j, s, t) {
                        targets.push(t);
                    }
                });
                targets.sort_unstable();
                for t in targets {
                    let node = t as usize * k + xj;
                    if seen[node] {
                        continue;
                    }
                    seen[node] = true;
                    parent[node] = last.map(|xl| (s, xl));
                    if first[t as usize].is_none() {
                        first[t as usize] = Some((t, xj));
                    }
                    next.push((t, Some(xj)));
                }
            }
        }
        frontier = next;
    }
    let mut out = Vec::new();
    for (state, f) in first.iter().enumerate() {
        let Some(mut node) = *f else { continue };
        let mut steps = Vec::new();
        loop {
            let (t, xj) = node;
            match parent[t as usize * k + xj] {
                Some(prev) => {
                    steps.push(Step {
                        mover: h[xj],
                        from: prev.0 as usize,
                        to: t as usize,
                    });
                    node = prev;
                }
                None => {
                    steps.push(Step {
                        mover: h[xj],
                        from,
                        to: t as usize,
                    });
                    break;
                }
            }
        }
        steps.reverse();
        out.push((state, steps));
    }
    out
}

/// The coalitional improvements of coalition `h` at `s`: states `t` reached by a legal
/// sequence of its members with `t ≻_k s` for every member `k`.
///
/// # Arguments
/// `c`: the conflict; `h`: the coalition; `s`: the 0-based state.
///
/// # Returns
/// The coalitional improvements, increasing.
///
/// # Complexity
/// As [`legal_sequences`].
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{coalitional_improvements, Conflict};
/// // A moves 0 -> 1, then B moves 1 -> 2; both prefer 2 to 0, A dislikes 1.
/// let c = Conflict::explicit(
///     vec!["A".into(), "B".into()],
///     vec!["a".into(), "b".into(), "c".into()],
///     vec![vec![(0, 1)], vec![(1, 2)]],
///     vec![vec![1, 0, 2], vec![0, 1, 2]],
/// )?;
/// assert_eq!(coalitional_improvements(&c, &[0, 1], 0), vec![2]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn coalitional_improvements(c: &Conflict, h: &[usize], s: usize) -> Vec<usize> {
    legal_sequences(c, h, MoveKind::Any, s)
        .into_iter()
        .map(|(t, _)| t)
        .filter(|&t| h.iter().all(|&k| c.ranks[k][t] > c.ranks[k][s]))
        .collect()
}
