//! The violation table: for small spaces, which sets of constraints each state breaks.
//!
//! One pass over the space records, for every state, the set of items (red lines and
//! reservations) it violates. A subset of items holds together exactly when some state's
//! violation set misses it, so only the *minimal* violation sets matter — and those are
//! precisely the minimal relaxations. Every consistency question after the pass is a scan
//! of a short list of bit masks.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::oracle::{Item, ItemKind};
use crate::config::Deadline;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Error, Limits, Result};

/// Spaces up to this size get a violation table.
pub const MAX_TABLE_STATES: u64 = 1 << 24;

/// States per parallel chunk.
const CHUNK: u64 = 1 << 15;

/// Minimal violation masks and what softenings need.
#[derive(Debug, Clone)]
pub struct ViolationTable {
    /// Minimal violation sets, as masks over item positions, sorted.
    pub minimal: Vec<u128>,
    /// For each minimal mask (same order): the first state in enumeration order whose
    /// violation set is exactly that mask, a witness that dropping it leaves a deal.
    pub witness: Vec<StateIndex>,
    /// For each item that is a red line: the states violating that item and nothing else.
    pub only: Vec<Vec<StateIndex>>,
    /// For each party with a utility: its best utility over the states meeting all of its
    /// own red lines (`None` if there is none).
    pub ideal: Vec<Option<f64>>,
    /// False when the time limit cut the search for minimal sets: `minimal` then holds
    /// only the minimal sets found (each genuinely minimal), and consistency questions
    /// are answered from every violation set, so they stay exact.
    pub complete: bool,
    /// The violation sets not yet minimised when the time limit struck.
    rest: Vec<u128>,
    /// States violating nothing (the acceptable states).
    pub acceptable: u64,
}

impl ViolationTable {
    /// Build the table, or `None` when the space or the item count is too large for it.
    ///
    /// # Complexity
    /// O(S · (R + P · I)) for S states, R red lines, P parties, I issues; memory
    /// O(distinct masks + single-violation states).
    pub fn build(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
    ) -> Result<Option<ViolationTable>> {
        let size = c.space().size();
        if size > MAX_TABLE_STATES || items.len() > 128 {
            return Ok(None);
        }
        let mut red_bit = vec![0u128; c.red_lines().len()];
        let mut res_bit = vec![0u128; c.utilities().len()];
        for (k, it) in items.iter().enumerate() {
            match it.kind {
                ItemKind::RedLine(r) => red_bit[r] = 1 << k,
                ItemKind::Reservation(p) => res_bit[p] = 1 << k,
            }
        }
        // Red lines of each party, as a mask over red-line positions.
        let own: Vec<Vec<bool>> = c
            .utilities()
            .iter()
            .map(|u| {
                c.red_line_names()
                    .iter()
                    .map(|n| n.split('/').next() == Some(u.name()))
                    .collect()
            })
            .collect();
        let deadline = Deadline::new(limits.time_limit);
        let parts: Vec<Part> = (0..size.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| {
                deadline.check(limits)?;
                Ok(scan(
                    c,
                    k * CHUNK,
                    ((k + 1) * CHUNK).min(size),
                    &red_bit,
                    &res_bit,
                    &own,
                ))
            })
            .collect::<Result<_>>()?;
        let mut masks: BTreeMap<u128, StateIndex> = BTreeMap::new();
        let mut only = vec![Vec::new(); items.len()];
        let mut ideal: Vec<Option<f64>> = vec![None; c.utilities().len()];
        let mut kept = 0u64;
        let mut acceptable = 0u64;
        for p in parts {
            deadline.check(limits)?;
            acceptable += p.acceptable;
            // Chunks come in state order: the first state seen per mask is the smallest.
            for (m, st) in p.masks {
                masks.entry(m).or_insert(st);
            }
            // A map entry costs about 56 bytes, a listed state 8.
            limits.check_memory(masks.len() as u64 * 56 + kept * 8, 1)?;
            for (k, list) in p.only.into_iter().enumerate() {
                kept += list.len() as u64;
                only[k].extend(list);
            }
            for (best, x) in ideal.iter_mut().zip(p.ideal) {
                if let Some(x) = x {
                    *best = Some(best.map_or(x, |b: f64| b.max(x)));
                }
            }
        }
        if kept > limits.max_acceptable {
            return Err(Error::LimitExceeded {
                limit: crate::Limit::MaxAcceptable,
                value: limits.max_acceptable,
            });
        }
        let (minimal, rest) = minimal_masks(masks.keys().copied().collect(), &deadline);
        Ok(Some(ViolationTable {
            witness: minimal.iter().map(|m| masks[m]).collect(),
            minimal,
            only,
            ideal,
            complete: rest.is_empty(),
            rest,
            acceptable,
        }))
    }

    /// Whether the items in `keep` hold together.
    pub fn consistent(&self, keep: u128) -> bool {
        self.minimal.iter().chain(&self.rest).any(|m| m & keep == 0)
    }
}

struct Part {
    acceptable: u64,
    masks: BTreeMap<u128, StateIndex>,
    only: Vec<Vec<StateIndex>>,
    ideal: Vec<Option<f64>>,
}

fn scan(
    c: &CompiledScenario,
    start: StateIndex,
    end: StateIndex,
    red_bit: &[u128],
    res_bit: &[u128],
    own: &[Vec<bool>],
) -> Part {
    let n_items = red_bit.iter().chain(res_bit).filter(|b| **b != 0).count();
    let mut part = Part {
        acceptable: 0,
        masks: BTreeMap::new(),
        only: vec![Vec::new(); n_items],
        ideal: vec![None; res_bit.len()],
    };
    let space = c.space();
    let n = space.issues();
    let rules = c.red_lines();
    let utils = c.utilities();
    // Stepping through states in order changes the last issues most: keep per-party prefix
    // sums of utility and re-evaluate only the red lines reading an issue that changed.
    let last: Vec<usize> = rules
        .iter()
        .map(|r| r.issues().last().copied().unwrap_or(0))
        .collect();
    // Per party, how many of its own red lines the current state breaks: kept up to date
    // as red lines flip, so "meets all its own red lines" is one comparison, not a pass.
    let owners: Vec<Vec<usize>> = (0..rules.len())
        .map(|r| (0..own.len()).filter(|&p| own[p][r]).collect())
        .collect();
    let mut broken_own = vec![0usize; own.len()];
    let mut levels = space.decode(start);
    let stride = n + 1;
    let mut psum = vec![0.0f64; utils.len() * stride];
    let mut broken = vec![false; rules.len()];
    let mut red_mask = 0u128;
    let mut changed = 0;
    let mut previous = u128::MAX;
    for s in start..end {
        for (p, u) in utils.iter().enumerate() {
            let row = &mut psum[p * stride..(p + 1) * stride];
            for d in changed..n {
                row[d + 1] = row[d] + u.contrib(d, levels[d]);
            }
        }
        for (r, rule) in rules.iter().enumerate() {
            if s == start || last[r] >= changed {
                let now = !rule.eval_levels(&levels);
                if now != broken[r] {
                    for &p in &owners[r] {
                        if now {
                            broken_own[p] += 1;
                        } else {
                            broken_own[p] -= 1;
                        }
                    }
                }
                broken[r] = now;
                if broken[r] {
                    red_mask |= red_bit[r];
                } else {
                    red_mask &= !red_bit[r];
                }
            }
        }
        let mut mask = red_mask;
        for (p, u) in utils.iter().enumerate() {
            // Summed in issue order from 0, as `PartyUtility::utility` does.
            let x = psum[p * stride + n].min(1.0);
            if !u.accepts(x) {
                mask |= res_bit[p];
            }
            if broken_own[p] == 0 {
                part.ideal[p] = Some(part.ideal[p].map_or(x, |b: f64| b.max(x)));
            }
        }
        part.acceptable += u64::from(mask == 0);
        if mask.count_ones() == 1 && red_bit.contains(&mask) {
            part.only[mask.trailing_zeros() as usize].push(s);
        }
        // Neighbouring states mostly share a mask: skip the set insert when it repeats.
        if mask != previous {
            part.masks.entry(mask).or_insert(s);
            previous = mask;
        }
        // Next state: count up, last issue fastest; `changed` is the first issue that moved.
        let mut i = n;
        while i > 0 {
            i -= 1;
            levels[i] += 1;
            if levels[i] < space.radices()[i] as usize {
                break;
            }
            levels[i] = 0;
        }
        changed = i;
    }
    part
}

/// Keep only the masks no other mask is a proper subset of; and the masks not yet looked
/// at when the deadline passed (empty when it did not). Masks are taken smallest first, so
/// every mask kept is minimal even when the deadline cuts the work.
fn minimal_masks(masks: BTreeSet<u128>, deadline: &Deadline) -> (Vec<u128>, Vec<u128>) {
    let mut by_size: Vec<u128> = masks.into_iter().collect();
    by_size.sort_by_key(|m| (m.count_ones(), *m));
    let mut out: Vec<u128> = Vec::new();
    // Masks of one size are never proper subsets of each other: compare each mask only
    // with the kept masks of smaller size, `out[..smaller]`.
    let mut smaller = 0;
    let mut size = 0;
    for (k, &m) in by_size.iter().enumerate() {
        // O(masks · minimal) at worst: look at the clock every few hundred masks.
        if k % 256 == 255 && deadline.passed() {
            out.sort_unstable();
            return (out, by_size[k..].to_vec());
        }
        if m.count_ones() != size {
            size = m.count_ones();
            smaller = out.len();
        }
        if !out[..smaller].iter().any(|o| o & m == *o) {
            out.push(m);
        }
    }
    out.sort_unstable();
    (out, Vec::new())
}
