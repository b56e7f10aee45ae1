//! Minimal hitting sets (minimal transversals), smallest first: the MMCS algorithm of
//! Murakami and Uno (2014) under an iterative size bound.
//!
//! Conflicts and relaxations are each other's minimal hitting sets, so this is how
//! conflicts are read off the relaxations found so far, however many constraints there
//! are (an earlier version tried every subset of their union, and gave up past 22).

/// Edges (the family's sets) as bit sets, one word per 64 edges.
type Bits = Vec<u64>;

fn is_empty(b: &[u64]) -> bool {
    b.iter().all(|&w| w == 0)
}

/// What stopped an enumeration of minimal hitting sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HittingStop {
    /// Every minimal hitting set was visited.
    Done,
    /// The visitor asked to stop.
    Visitor,
    /// The node budget (or the caller's clock) ran out first.
    Budget,
}

/// Every minimal hitting set of `family` over the elements `0..n`, passed to `visit`
/// smallest first (sets of one size in the order the search meets them), each ascending.
///
/// A hitting set meets every set of the family; it is minimal when no element can be left
/// out. The search is MMCS (Murakami and Uno, 2014): it grows a set by an element of the
/// uncovered set with the fewest candidates, keeping only elements that leave every chosen
/// element *critical* (the only one of the set in some family member), so every set it
/// holds is a subset of a minimal hitting set and each minimal one is met once. An outer
/// loop bounds the size (1, 2, …) so the smallest sets come first; it ends at the first
/// bound that cuts nothing.
///
/// # Arguments
/// `family`: sets of elements below `n` (an empty family has one minimal hitting set, the
/// empty set; a family holding an empty set has none); `max_nodes`: search nodes allowed
/// over all bounds; `stop`: asked every 1,024 nodes whether to give up (a clock);
/// `visit`: gets each set, returns `false` to stop.
///
/// # Returns
/// Why it stopped.
///
/// # Complexity
/// O(nodes · (s + n) · m / 64) for m sets in the family and hitting sets of up to s
/// elements; the number of nodes is output-sensitive in practice (MMCS), times the number
/// of size bounds at most.
///
/// # Example
/// ```
/// use dealzone::analysis::explain::{HittingStop, minimal_hitting_sets};
/// // Two independent choices: {0 or 1} and {2 or 3}.
/// let family = vec![vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3]];
/// let mut found = Vec::new();
/// let stop = minimal_hitting_sets(&family, 4, u64::MAX, || false, |h| {
///     found.push(h.to_vec());
///     true
/// });
/// found.sort();
/// assert_eq!(found, vec![vec![0, 1], vec![2, 3]]);
/// assert_eq!(stop, HittingStop::Done);
/// ```
pub fn minimal_hitting_sets(
    family: &[Vec<usize>],
    n: usize,
    max_nodes: u64,
    stop: impl Fn() -> bool,
    mut visit: impl FnMut(&[usize]) -> bool,
) -> HittingStop {
    if family.iter().any(Vec::is_empty) {
        return HittingStop::Done;
    }
    if family.is_empty() {
        return if visit(&[]) {
            HittingStop::Done
        } else {
            HittingStop::Visitor
        };
    }
    let words = family.len().div_ceil(64);
    let mut occ: Vec<Bits> = vec![vec![0; words]; n];
    let mut members: Vec<Vec<usize>> = Vec::with_capacity(family.len());
    for (j, set) in family.iter().enumerate() {
        let mut m: Vec<usize> = set.iter().copied().filter(|&e| e < n).collect();
        m.sort_unstable();
        m.dedup();
        if m.is_empty() {
            return HittingStop::Done;
        }
        for &e in &m {
            occ[e][j / 64] |= 1 << (j % 64);
        }
        members.push(m);
    }
    let mut all: Bits = vec![u64::MAX; words];
    if !family.len().is_multiple_of(64) {
        all[words - 1] = (1u64 << (family.len() % 64)) - 1;
    }
    let mut search = Mmcs {
        occ,
        members,
        nodes: 0,
        max_nodes,
        stop: &stop,
        visit: &mut visit,
        cut: false,
        halt: None,
    };
    for bound in 1..=n {
        search.cut = false;
        let mut chosen = Vec::new();
        let mut cand = vec![true; n];
        search.grow(&mut chosen, &mut cand, all.clone(), &[], bound);
        if let Some(h) = search.halt {
            return h;
        }
        if !search.cut {
            break;
        }
    }
    HittingStop::Done
}

struct Mmcs<'a, S, V> {
    occ: Vec<Bits>,
    members: Vec<Vec<usize>>,
    nodes: u64,
    max_nodes: u64,
    stop: &'a S,
    visit: &'a mut V,
    /// Whether the size bound cut some branch.
    cut: bool,
    halt: Option<HittingStop>,
}

impl<S: Fn() -> bool, V: FnMut(&[usize]) -> bool> Mmcs<'_, S, V> {
    /// `chosen` with `crit[k]` the edges only `chosen[k]` hits; `uncov` the edges none hits.
    fn grow(
        &mut self,
        chosen: &mut Vec<usize>,
        cand: &mut [bool],
        uncov: Bits,
        crit: &[Bits],
        bound: usize,
    ) {
        if self.halt.is_some() {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.max_nodes || (self.nodes.is_multiple_of(1024) && (self.stop)()) {
            self.halt = Some(HittingStop::Budget);
            return;
        }
        if is_empty(&uncov) {
            // Shorter sets were visited under a smaller bound.
            if chosen.len() == bound {
                let mut h = chosen.clone();
                h.sort_unstable();
                if !(self.visit)(&h) {
                    self.halt = Some(HittingStop::Visitor);
                }
            }
            return;
        }
        if chosen.len() == bound {
            self.cut = true;
            return;
        }
        // The uncovered edge with the fewest candidates to branch on.
        let mut best: Option<(usize, usize)> = None;
        for (w, &word) in uncov.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let j = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let k = self.members[j].iter().filter(|&&e| cand[e]).count();
                if best.is_none_or(|(b, _)| k < b) {
                    best = Some((k, j));
                }
            }
        }
        let Some((_, edge)) = best else { return };
        let branch: Vec<usize> = self.members[edge]
            .iter()
            .copied()
            .filter(|&e| cand[e])
            .collect();
        for &e in &branch {
            cand[e] = false;
        }
        for &e in &branch {
            // Every chosen element must keep an edge only it hits.
            let occ_e = &self.occ[e];
            let next: Vec<Bits> = crit
                .iter()
                .map(|c| c.iter().zip(occ_e).map(|(a, b)| a & !b).collect())
                .collect();
            if next.iter().all(|c: &Bits| !is_empty(c)) {
                let mine: Bits = uncov.iter().zip(occ_e).map(|(a, b)| a & b).collect();
                let rest: Bits = uncov.iter().zip(occ_e).map(|(a, b)| a & !b).collect();
                let mut next = next;
                next.push(mine);
                chosen.push(e);
                self.grow(chosen, cand, rest, &next, bound);
                chosen.pop();
                if self.halt.is_some() {
                    return;
                }
            }
            cand[e] = true;
        }
    }
}
