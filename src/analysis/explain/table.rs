//! The violation table: for small spaces, which sets of constraints each state breaks.
//!
//! One pass over the space records, for every state, the set of items (red lines and
//! reservations) it violates. A subset of items holds together exactly when some state's
//! violation set misses it, so only the *minimal* violation sets matter — and those are
//! precisely the minimal relaxations. Every consistency question after the pass is a scan
//! of a short list of bit masks.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::item::{Item, ItemKind};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::space::{CompiledScenario, PreconditionRegion, RegionQuotient, StateIndex};

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
        Self::build_with(c, items, limits, None)
    }

    /// As [`ViolationTable::build`], reading which red lines each state breaks from
    /// `red` (bit `r`: red line `r` of `c`, as [`PreconditionRegion::build`] over
    /// `c.red_lines()` records it) when given, so a caller that already scanned the red
    /// lines does not scan them twice; without it every red line is evaluated per state
    /// (building a region here would evaluate a costly rule on every state with no look
    /// at the clock: the per-state scan checks it per chunk).
    ///
    /// # Errors
    /// As [`ViolationTable::build`].
    ///
    /// # Complexity
    /// With a region: O(S · P) for S states and P parties (one load and a table lookup
    /// per state for the red lines, the utilities by running sums), plus the region's own
    /// run scan when it is built here.
    pub fn build_with(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
        red: Option<&PreconditionRegion>,
    ) -> Result<Option<ViolationTable>> {
        let size = c.space().size();
        if size > MAX_TABLE_STATES || items.len() > 128 {
            return Ok(None);
        }
        Self::build_from(c, items, limits, red)
    }

    /// The per-state twin of [`ViolationTable::build`]: every red line evaluated on every
    /// state, no region. Tests compare the two.
    ///
    /// # Errors
    /// As [`ViolationTable::build`].
    ///
    /// # Complexity
    /// O(S · (R + P · I)) for S states, R red lines, P parties, I issues.
    pub fn build_reference(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
    ) -> Result<Option<ViolationTable>> {
        let size = c.space().size();
        if size > MAX_TABLE_STATES || items.len() > 128 {
            return Ok(None);
        }
        Self::build_from(c, items, limits, None)
    }

    /// As [`ViolationTable::build_with`], building no region: without one every red
    /// line is evaluated per state.
    pub(crate) fn build_from_region(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
        region: Option<&PreconditionRegion>,
    ) -> Result<Option<ViolationTable>> {
        if c.space().size() > MAX_TABLE_STATES || items.len() > 128 {
            return Ok(None);
        }
        Self::build_from(c, items, limits, region)
    }

    fn build_from(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
        region: Option<&PreconditionRegion>,
    ) -> Result<Option<ViolationTable>> {
        let size = c.space().size();
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
        // Red-line bits (by red-line position) to item bits, a byte at a time.
        let luts: Option<Vec<[u128; 256]>> = region.map(|_| {
            red_bit
                .chunks(8)
                .map(|bits| {
                    let mut lut = [0u128; 256];
                    for (v, m) in lut.iter_mut().enumerate() {
                        *m = bits
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| v >> j & 1 == 1)
                            .fold(0, |m, (_, b)| m | b);
                    }
                    lut
                })
                .collect()
        });
        let deadline = Deadline::new(limits.time_limit);
        let parts: Vec<Part> = match (region, &luts) {
            (Some(region), Some(luts)) => {
                // Each party's best utility over the states meeting its own red lines,
                // cell by cell of the red lines' quotient, when it can be built: the
                // per-state loop then skips it.
                let ideal = cell_ideal(c, region, luts, &red_bit, &own);
                let scan = RegionScan::new(c, region, luts, &red_bit, &res_bit, &own);
                let scan = RegionScan {
                    with_ideal: ideal.is_none(),
                    ..scan
                };
                let mut parts: Vec<Part> = (0..size.div_ceil(CHUNK))
                    .into_par_iter()
                    .map(|k| {
                        deadline.check(limits)?;
                        let mut part = scan.part();
                        scan.scan(k * CHUNK, ((k + 1) * CHUNK).min(size), &mut part);
                        Ok(part)
                    })
                    .collect::<Result<_>>()?;
                if let (Some(ideal), Some(first)) = (ideal, parts.first_mut()) {
                    first.ideal = ideal;
                }
                parts
            }
            _ => (0..size.div_ceil(CHUNK))
                .into_par_iter()
                .map(|k| {
                    deadline.check(limits)?;
                    let (start, end) = (k * CHUNK, ((k + 1) * CHUNK).min(size));
                    Ok(scan(c, start, end, &red_bit, &res_bit, &own))
                })
                .collect::<Result<_>>()?,
        };
        let mut masks: BTreeMap<u128, StateIndex> = BTreeMap::new();
        let mut only = vec![Vec::new(); items.len()];
        let mut ideal: Vec<Option<f64>> = vec![None; c.utilities().len()];
        let mut kept = 0u64;
        let mut acceptable = 0u64;
        for p in parts {
            deadline.check(limits)?;
            acceptable += p.acceptable;
            // The least state seen per mask (whatever order the parts come in).
            for (m, st) in p.masks {
                let first = masks.entry(m).or_insert(st);
                *first = (*first).min(st);
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
                limit: crate::config::Limit::MaxAcceptable,
                value: limits.max_acceptable,
            });
        }
        // In state order, whatever order the parts come in.
        for list in &mut only {
            list.sort_unstable();
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

/// Visit states `start..end` in order with every party's utility, as
/// [`crate::space::PartyUtility::utility`] computes it to the bit (summed in issue order
/// from 0, then capped at 1): each party's sum over all issues but the last is kept and
/// redone only from the first issue the odometer moved, and the last issue's contribution
/// is one addition per state and party, read from a flat table.
pub(super) fn walk_utilities(
    c: &CompiledScenario,
    start: StateIndex,
    end: StateIndex,
    mut visit: impl FnMut(StateIndex, &[usize], &[f64]),
) {
    let space = c.space();
    let n = space.issues();
    let utils = c.utilities();
    let np = utils.len();
    if n == 0 {
        let x: Vec<f64> = utils.iter().map(|u| u.utility(&[])).collect();
        for st in start..end {
            visit(st, &[], &x);
        }
        return;
    }
    let radices: Vec<usize> = space.radices().iter().map(|&r| r as usize).collect();
    let last = n - 1;
    // flat[p * width + offset[i] + l]: party p's contribution of issue i at level l.
    let mut offset = Vec::with_capacity(n);
    let mut width = 0;
    for &r in &radices {
        offset.push(width);
        width += r;
    }
    let mut flat: Vec<f64> = Vec::with_capacity(np * width);
    for u in utils {
        for (i, &r) in radices.iter().enumerate() {
            flat.extend((0..r).map(|l| u.contrib(i, l)));
        }
    }
    let tail = offset[last];
    let mut levels = space.decode(start);
    // psum[p * n + d]: party p's sum over issues 0..d, for d <= last.
    let mut psum = vec![0.0f64; np * n];
    let mut from = 0;
    let mut x = vec![0.0f64; np];
    let mut st = start;
    while st < end {
        for p in 0..np {
            let row = &mut psum[p * n..(p + 1) * n];
            let f = &flat[p * width..(p + 1) * width];
            for d in from..last {
                row[d + 1] = row[d] + f[offset[d] + levels[d]];
            }
        }
        // The rest of this row of the last issue.
        let row_end = (st + (radices[last] - levels[last]) as u64).min(end);
        while st < row_end {
            let l = levels[last];
            for (p, xp) in x.iter_mut().enumerate() {
                *xp = (psum[p * n + last] + flat[p * width + tail + l]).min(1.0);
            }
            visit(st, &levels, &x);
            st += 1;
            levels[last] += 1;
        }
        // Next row: step the issues before the last; `from` is the first that moved.
        levels[last] = 0;
        let mut i = last;
        while i > 0 {
            i -= 1;
            levels[i] += 1;
            if levels[i] < radices[i] {
                break;
            }
            levels[i] = 0;
        }
        from = i;
    }
}

/// What [`RegionScan::scan`] reads: the red lines off a region (per state one load and
/// a table lookup per byte of red lines), the utilities by running sums as in [`scan`],
/// so every value is the same to the bit.
struct RegionScan<'a> {
    c: &'a CompiledScenario,
    region: &'a PreconditionRegion,
    luts: &'a [[u128; 256]],
    res_bit: &'a [u128],
    /// Each party's own red lines, as item bits: "meets all its own" is one test.
    own_bits: Vec<u128>,
    /// Every red line's item bit.
    red_items: u128,
    n_items: usize,
    /// Whether the per-state loop finds each party's best utility (otherwise it is
    /// found cell by cell, [`cell_ideal`]).
    with_ideal: bool,
}

impl<'a> RegionScan<'a> {
    fn new(
        c: &'a CompiledScenario,
        region: &'a PreconditionRegion,
        luts: &'a [[u128; 256]],
        red_bit: &'a [u128],
        res_bit: &'a [u128],
        own: &[Vec<bool>],
    ) -> RegionScan<'a> {
        RegionScan {
            c,
            region,
            luts,
            res_bit,
            own_bits: own
                .iter()
                .map(|o| {
                    o.iter()
                        .zip(red_bit)
                        .filter(|(k, _)| **k)
                        .fold(0, |m, (_, b)| m | b)
                })
                .collect(),
            red_items: red_bit.iter().fold(0u128, |m, b| m | b),
            n_items: red_bit.iter().chain(res_bit).filter(|b| **b != 0).count(),
            with_ideal: true,
        }
    }

    fn part(&self) -> Part {
        Part {
            acceptable: 0,
            masks: BTreeMap::new(),
            only: vec![Vec::new(); self.n_items],
            ideal: vec![None; self.res_bit.len()],
        }
    }

    /// Item bits of the red lines broken, from the region's word `broken`.
    #[inline]
    fn red_mask(&self, broken: u64) -> u128 {
        self.luts.iter().enumerate().fold(0u128, |m, (b, lut)| {
            m | lut[(broken >> (8 * b)) as usize & 255]
        })
    }

    /// Every state of `start..end`, one by one, into `part`.
    fn scan(&self, start: StateIndex, end: StateIndex, part: &mut Part) {
        let utils = self.c.utilities();
        let (res_bit, own_bits, red_items) = (self.res_bit, &self.own_bits, self.red_items);
        // The cache: a mask per slot, and which slots hold one.
        let mut seen = [0u128; 64];
        let mut filled = 0u64;
        let mut previous = None;
        let with_ideal = self.with_ideal;
        walk_utilities(self.c, start, end, |s, _, x| {
            let mut mask = self.red_mask(self.region.broken(s));
            for (p, (u, &x)) in utils.iter().zip(x).enumerate() {
                if !u.accepts(x) {
                    mask |= res_bit[p];
                }
                if with_ideal && mask & own_bits[p] == 0 {
                    part.ideal[p] = Some(part.ideal[p].map_or(x, |b: f64| b.max(x)));
                }
            }
            part.acceptable += u64::from(mask == 0);
            if mask != 0 && mask & (mask - 1) == 0 && mask & red_items != 0 {
                part.only[mask.trailing_zeros() as usize].push(s);
            }
            // A chunk meets few distinct masks, but rarely the same twice in a row: a small
            // direct-mapped cache of masks already inserted skips the ordered-map insert
            // (which keeps the first state per mask, so a skipped repeat changes nothing).
            if previous == Some(mask) {
                return;
            }
            previous = Some(mask);
            let slot =
                (mask as u64 ^ (mask >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58;
            if filled >> slot & 1 == 0 || seen[slot as usize] != mask {
                part.masks.entry(mask).or_insert(s);
                seen[slot as usize] = mask;
                filled |= 1 << slot;
            }
        });
    }
}

/// Per party, its best utility over the states meeting all of its own red lines (`None`
/// if there is none), cell by cell of the red lines' [`RegionQuotient`]: every state of a
/// cell breaks the same red lines, and a party's best over a cell is its best level on
/// each issue within the cell's run (a rounded sum never falls when a term grows), summed
/// in issue order as [`crate::space::PartyUtility::utility`] does: the per-state maximum
/// to the bit. `None` when the quotient cannot be built or a value is not finite.
///
/// # Complexity
/// O(C · P · I) for C cells, P parties, I issues, after the quotient's build.
fn cell_ideal(
    c: &CompiledScenario,
    region: &PreconditionRegion,
    luts: &[[u128; 256]],
    red_bit: &[u128],
    own: &[Vec<bool>],
) -> Option<Vec<Option<f64>>> {
    let space = c.space();
    let n = space.issues();
    let radices: Vec<usize> = space.radices().iter().map(|&r| r as usize).collect();
    let utils = c.utilities();
    // The greatest term needs finite values (a NaN compares with nothing).
    let finite = utils
        .iter()
        .all(|u| (0..n).all(|i| (0..radices[i]).all(|l| u.contrib(i, l).is_finite())));
    if !finite || n == 0 {
        return None;
    }
    // The region lent was built over the same red lines, bit for bit: the quotient's
    // cells carry the same bits.
    let q = RegionQuotient::build(space, c.red_lines(), u64::MAX)?;
    let scan = RegionScan::new(c, region, luts, red_bit, &[], own);
    let mut ideal: Vec<Option<f64>> = vec![None; utils.len()];
    let mut runs = vec![0usize; n];
    let mut levels = vec![0usize; n];
    for cell in 0..q.cells().size() {
        q.cells().decode_into(cell, &mut runs);
        let mask = scan.red_mask(q.broken_cell(cell));
        for (p, u) in utils.iter().enumerate() {
            if mask & scan.own_bits[p] != 0 {
                continue;
            }
            for (i, l) in levels.iter_mut().enumerate() {
                let (a, b) = q.runs(i)[runs[i]];
                *l = (a..=b).fold(a, |k, l| {
                    if u.contrib(i, l) > u.contrib(i, k) {
                        l
                    } else {
                        k
                    }
                });
            }
            let x = u.utility(&levels);
            ideal[p] = Some(ideal[p].map_or(x, |b: f64| b.max(x)));
        }
    }
    Some(ideal)
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
