//! Every shortest sanction of an improvement, one per set of sanctioning decision makers.
//!
//! Who can deter a move is a finding about parties. When two sets of opponents can each
//! sanction in as few moves, naming only one of them (the one the file lists first) would
//! let file order decide who deters, so both are returned. Within one set of movers the
//! sanction shown is its first state sequence, then (only when the same movers can take
//! their turns on the same states in several orders) the first mover sequence: a tie rule
//! for stable bytes that names no party outside the set.
//!
//! The search is the breadth-first search of [`super::reach::legal_sequences`] over pairs
//! (state, last mover), kept by layer. A shortest sanction only visits pairs at their
//! breadth-first depth (a pair met later would give a shorter sanction), so the sets of
//! movers are read off that layered graph backwards from the sanctioning pairs, and each
//! set's first state sequence forwards.

use std::collections::HashMap;

use fixedbitset::FixedBitSet;

use super::model::Conflict;
use super::reach::{MoveKind, Step, usable};

/// The layered breadth-first search of one coalition's legal sequences from one state.
pub(crate) struct Layers {
    h: Vec<usize>,
    kind: MoveKind,
    from: u32,
    /// `depth[t * k + x]`: length of the shortest legal sequence ending at `t` with mover
    /// `h[x]`; `u32::MAX` if none.
    depth: Vec<u32>,
    /// Pairs `t * k + x` by depth (index 0 unused: the start has no mover).
    layers: Vec<Vec<u32>>,
}

impl Layers {
    /// The layers of `h`'s legal sequences from `from` under `kind`.
    ///
    /// # Complexity
    /// O(|h| · Σ_{j∈h} arcs_j) time, O(states · |h|) memory.
    pub(crate) fn new(c: &Conflict, h: &[usize], kind: MoveKind, from: usize) -> Self {
        let k = h.len();
        let mut depth = vec![u32::MAX; c.state_count() * k];
        let mut layers: Vec<Vec<u32>> = vec![Vec::new()];
        let mut frontier: Vec<(u32, Option<usize>)> = vec![(from as u32, None)];
        let mut d = 0u32;
        while !frontier.is_empty() {
            d += 1;
            let mut next = Vec::new();
            for &(s, last) in &frontier {
                for (xj, &j) in h.iter().enumerate() {
                    if Some(xj) == last {
                        continue;
                    }
                    c.moves[j].for_each_target(s, |t| {
                        let node = t as usize * k + xj;
                        if usable(c, kind, j, s, t) && depth[node] == u32::MAX {
                            depth[node] = d;
                            next.push((t, Some(xj)));
                        }
                    });
                }
            }
            layers.push(
                next.iter()
                    .map(|&(t, x)| (t as usize * k + x.unwrap_or(0)) as u32)
                    .collect(),
            );
            frontier = next;
        }
        Layers {
            h: h.to_vec(),
            kind,
            from: from as u32,
            depth,
            layers,
        }
    }

    /// Calls `f(node, t, x)` for each pair one legal move after `(s, last)` that lies at
    /// depth `d`.
    fn successors(
        &self,
        c: &Conflict,
        s: u32,
        last: Option<usize>,
        d: u32,
        mut f: impl FnMut(usize, u32, usize),
    ) {
        let k = self.h.len();
        for (xj, &j) in self.h.iter().enumerate() {
            if Some(xj) == last {
                continue;
            }
            c.moves[j].for_each_target(s, |t| {
                let node = t as usize * k + xj;
                if self.depth[node] == d && usable(c, self.kind, j, s, t) {
                    f(node, t, xj);
                }
            });
        }
    }

    /// Every shortest legal sequence ending at a state `sanctions` accepts, one per set of
    /// movers: that set's first sequence comparing state index by state index, then, among
    /// sequences through the same states, mover position by mover position.
    ///
    /// Returns the sequences with fewer movers first, then by the movers' `names` (sorted
    /// within each set, compared as lists: names only order sets of equal size); empty when
    /// no legal sequence ends at an accepted state.
    ///
    /// # Complexity
    /// O(d · |h| · Σ arcs · M) for a shortest length `d` and `M` sets of movers.
    pub(crate) fn shortest(
        &self,
        c: &Conflict,
        names: &[String],
        sanctions: impl Fn(usize) -> bool,
    ) -> Vec<Vec<Step>> {
        let k = self.h.len();
        let Some(end) = (1..self.layers.len())
            .find(|&d| self.layers[d].iter().any(|&n| sanctions(n as usize / k)))
        else {
            return Vec::new();
        };
        // Sets of movers of the sanctions' suffixes from each pair, deepest layer first.
        let mut suffixes: HashMap<usize, Vec<FixedBitSet>> = HashMap::new();
        for &n in &self.layers[end] {
            let n = n as usize;
            if sanctions(n / k) {
                let mut own = FixedBitSet::with_capacity(k);
                own.insert(n % k);
                suffixes.insert(n, vec![own]);
            }
        }
        for d in (1..end).rev() {
            for &n in &self.layers[d] {
                let n = n as usize;
                let mut sets: Vec<FixedBitSet> = Vec::new();
                self.successors(c, (n / k) as u32, Some(n % k), d as u32 + 1, |v, _, _| {
                    for set in suffixes.get(&v).into_iter().flatten() {
                        let mut set = set.clone();
                        set.insert(n % k);
                        sets.push(set);
                    }
                });
                sets.sort();
                sets.dedup();
                if !sets.is_empty() {
                    suffixes.insert(n, sets);
                }
            }
        }
        let mut whole: Vec<FixedBitSet> = Vec::new();
        self.successors(c, self.from, None, 1, |v, _, _| {
            whole.extend(suffixes.get(&v).into_iter().flatten().cloned());
        });
        whole.sort();
        whole.dedup();
        let movers = |set: &FixedBitSet| {
            let mut m: Vec<&str> = set.ones().map(|x| names[self.h[x]].as_str()).collect();
            m.sort_unstable();
            m
        };
        whole.sort_by_cached_key(|set| (set.count_ones(..), movers(set)));
        whole
            .iter()
            .map(|set| self.first_with(c, set, end, &suffixes))
            .collect()
    }

    /// The first sequence of length `end` whose movers are exactly `set`: the first state
    /// sequence, then, among sequences through the same states, the first mover sequence.
    fn first_with(
        &self,
        c: &Conflict,
        set: &FixedBitSet,
        end: usize,
        suffixes: &HashMap<usize, Vec<FixedBitSet>>,
    ) -> Vec<Step> {
        let k = self.h.len();
        // Ways to stand at the current state: last mover, movers so far, and the first
        // mover sequence that does so.
        let mut ways: Vec<(Option<usize>, FixedBitSet, Vec<usize>)> =
            vec![(None, FixedBitSet::with_capacity(k), Vec::new())];
        let mut states = vec![self.from];
        for d in 1..=end as u32 {
            let s = states[states.len() - 1];
            let mut next: Vec<(u32, usize, FixedBitSet, Vec<usize>)> = Vec::new();
            for (last, used, movers) in &ways {
                self.successors(c, s, *last, d, |v, t, x| {
                    let mut now = used.clone();
                    now.insert(x);
                    let completes = suffixes.get(&v).into_iter().flatten().any(|suffix| {
                        let mut all = now.clone();
                        all.union_with(suffix);
                        all == *set
                    });
                    if completes {
                        let mut m = movers.clone();
                        m.push(x);
                        next.push((t, x, now, m));
                    }
                });
            }
            // The set came from these suffixes, so some way goes on.
            let Some(t) = next.iter().map(|w| w.0).min() else {
                break;
            };
            next.retain(|w| w.0 == t);
            next.sort_by(|a, b| (a.1, &a.2, &a.3).cmp(&(b.1, &b.2, &b.3)));
            next.dedup_by(|b, a| a.1 == b.1 && a.2 == b.2);
            ways = next
                .into_iter()
                .map(|(_, x, used, m)| (Some(x), used, m))
                .collect();
            states.push(t);
        }
        let Some(movers) = ways.into_iter().map(|w| w.2).min() else {
            return Vec::new();
        };
        movers
            .iter()
            .zip(states.windows(2))
            .map(|(&x, w)| Step {
                mover: self.h[x],
                from: w[0] as usize,
                to: w[1] as usize,
            })
            .collect()
    }
}
