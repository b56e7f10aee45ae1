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
use crate::space::{
    CompiledScenario, PartyUtility, PreconditionRegion, RESERVATION_TOLERANCE, RegionQuotient,
    StateIndex,
};

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
    /// O(S · (R + P · I)) for S states, R red lines, P parties, I issues, state by
    /// state; box by box over the red lines' quotient when its cells merge states (at
    /// least 4 a cell on average): O(C + B · P) for C cells and B sub-boxes and states
    /// walked (those near a reservation's boundary). Memory O(distinct masks +
    /// single-violation states).
    pub fn build(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
    ) -> Result<Option<ViolationTable>> {
        Self::build_with(c, items, limits, None)
    }

    /// As [`ViolationTable::build`]. When the red lines' quotient does not merge states,
    /// reads which red lines each state breaks from `red` (bit `r`: red line `r` of `c`,
    /// as [`PreconditionRegion::build`] over `c.red_lines()` records it) when given, so a
    /// caller that already scanned the red lines does not scan them twice; without it
    /// every red line is evaluated per state (building a region here would evaluate a
    /// costly rule on every state with no look at the clock: the per-state scan checks
    /// it per chunk).
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
        Self::build_from(c, items, limits, red, true)
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
        Self::build_from(c, items, limits, None, false)
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
        Self::build_from(c, items, limits, region, true)
    }

    /// With `cells`, box by box over the red lines' quotient when it merges states
    /// ([`CellScan`], no region needed); otherwise off `region` when given, else state by
    /// state.
    fn build_from(
        c: &CompiledScenario,
        items: &[Item],
        limits: &Limits,
        region: Option<&PreconditionRegion>,
        cells: bool,
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
        let luts: Vec<[u128; 256]> = red_bit
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
            .collect();
        let deadline = Deadline::new(limits.time_limit);
        // The red lines' quotient: every state of a cell breaks the same red lines, so
        // each party's best utility is found cell by cell and, when the cells merge
        // states, the table box by box ([`CellScan`]). Bounds over a box need finite
        // terms (a NaN compares with nothing) and a mask bit per party.
        let q = if cells && finite_utilities(c) && c.utilities().len() <= 128 {
            merging_quotient(c, limits)?
        } else {
            None
        };
        let merges = q.is_some();
        let parts: Vec<Part> = match (region, &q) {
            (_, Some(q)) if merges => {
                let scan = RegionScan::new(c, None, &luts, &red_bit, &res_bit, &own);
                let ideal = cell_ideal_in(c, q, &scan);
                let cells = CellScan::new(&scan, q);
                let n_cells = q.cells().size();
                let mut parts: Vec<Part> = (0..n_cells.div_ceil(CELL_CHUNK))
                    .into_par_iter()
                    .map(|k| {
                        deadline.check(limits)?;
                        let mut part = scan.part();
                        let end = ((k + 1) * CELL_CHUNK).min(n_cells);
                        cells.scan(k * CELL_CHUNK, end, &mut part);
                        Ok(part)
                    })
                    .collect::<Result<_>>()?;
                if let Some(first) = parts.first_mut() {
                    first.ideal = ideal;
                }
                parts
            }
            (Some(region), q) => {
                let scan = RegionScan::new(c, Some(region), &luts, &red_bit, &res_bit, &own);
                // The per-state loop skips the best utilities when the cells give them.
                let ideal = q.as_ref().map(|q| cell_ideal_in(c, q, &scan));
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
            (None, _) => (0..size.div_ceil(CHUNK))
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
    /// The red lines each state breaks (only [`RegionScan::scan`] reads it).
    region: Option<&'a PreconditionRegion>,
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
        region: Option<&'a PreconditionRegion>,
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
        let Some(region) = self.region else {
            return;
        };
        walk_utilities(self.c, start, end, |s, _, x| {
            let mut mask = self.red_mask(region.broken(s));
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

/// The red lines' quotient of `c` when its cells merge states (at most a quarter as many
/// cells as states). The cell table's size is capped before it is scanned, so a rule no
/// cut merges (parity over many issues cuts every boundary) costs only its cut scan,
/// never a pass over every state; both scans look at the clock.
///
/// # Errors
/// [`Error::LimitExceeded`] naming the time limit when it runs out during the build.
pub(crate) fn merging_quotient(
    c: &CompiledScenario,
    limits: &Limits,
) -> Result<Option<RegionQuotient>> {
    let rules = c.red_lines().len();
    // Bytes per cell, as the region's words take them.
    let width: u64 = match rules {
        0..=8 => 1,
        9..=16 => 2,
        17..=32 => 4,
        _ => 8,
    };
    let size = c.space().size();
    let q = RegionQuotient::build_within(
        c.space(),
        c.red_lines(),
        (size / 4).saturating_mul(width),
        limits,
    )?;
    Ok(q.filter(|q| q.cells().size().saturating_mul(4) <= size))
}

/// Whether every utility term is finite (a NaN compares with nothing, so neither a
/// box's bounds nor a cell's best hold).
pub(super) fn finite_utilities(c: &CompiledScenario) -> bool {
    let space = c.space();
    space.issues() > 0
        && c.utilities().iter().all(|u| {
            (0..space.issues())
                .all(|i| (0..space.radices()[i] as usize).all(|l| u.contrib(i, l).is_finite()))
        })
}

/// Per party, its best utility over the states meeting all of its own red lines (`None`
/// if there is none), cell by cell of the red lines' quotient `q`: every state of a
/// cell breaks the same red lines, and a party's best over a cell is its best level on
/// each issue within the cell's run (a rounded sum never falls when a term grows), summed
/// in issue order as [`crate::space::PartyUtility::utility`] does: the per-state maximum
/// to the bit. Needs finite terms ([`finite_utilities`]).
///
/// # Complexity
/// O(C · P · L) for C cells, P parties, L levels in all.
fn cell_ideal_in(c: &CompiledScenario, q: &RegionQuotient, scan: &RegionScan) -> Vec<Option<f64>> {
    let n = c.space().issues();
    let utils = c.utilities();
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
                *l = best_level(u, i, a, b);
            }
            let x = u.utility(&levels);
            ideal[p] = Some(ideal[p].map_or(x, |b: f64| b.max(x)));
        }
    }
    ideal
}

/// The level of `a..=b` where `u`'s term on issue `i` is greatest (the first such).
#[inline]
fn best_level(u: &PartyUtility, i: usize, a: usize, b: usize) -> usize {
    (a..=b).fold(a, |k, l| {
        if u.contrib(i, l) > u.contrib(i, k) {
            l
        } else {
            k
        }
    })
}

/// Cells of the red lines' quotient per parallel chunk.
const CELL_CHUNK: u64 = 64;

/// How the states of a box stand with the parties' reservations (bit `p` of a mask:
/// party `p`'s utility is below its reservation).
pub(super) enum Piece<'x> {
    /// Every state of the box `bx` (inclusive level ranges per issue) breaks exactly the
    /// reservations `rejects` (with [`ReservationBoxes::stop_at_rejection`], at least).
    Whole {
        /// The box.
        bx: &'x [(usize, usize)],
        /// Its states.
        states: u64,
        /// Its least state (its lowest corner).
        first: StateIndex,
        /// The reservations broken.
        rejects: u128,
    },
    /// A sub-box some parties are undecided on, before the walk goes deeper (only
    /// [`ReservationBoxes::split_gated`] shows it).
    Node {
        /// The sub-box.
        bx: &'x [(usize, usize)],
        /// The parties rejecting all of it.
        rejects: u128,
    },
    /// One state, with its levels and the reservations it breaks.
    State {
        /// Its levels.
        levels: &'x [usize],
        /// The state.
        st: StateIndex,
        /// The reservations broken.
        rejects: u128,
    },
}

/// A box split by the reservations, walked in state order issue by issue (issue 0 first):
/// below a prefix of levels, a party's utility lies between the prefix's running sum plus
/// the least, and plus the greatest, it can still gain on the box's remaining ranges. Where
/// every party accepts all of a sub-box or none of it (with a slack far above the rounding
/// of a few dozen additions, so a bound never decides a state the exact sum would decide
/// otherwise), the whole sub-box stands alike and is reported at once; otherwise the walk
/// goes one issue deeper, down to single states, whose utilities are the running sums in
/// issue order from 0, capped at 1, as [`crate::space::PartyUtility::utility`] computes
/// them: the same bits. Needs finite terms ([`finite_utilities`]) and at most 128 parties.
///
/// # Complexity
/// O(P · I · L) per box to set up (P parties, I issues, L levels per issue), then O(P) per
/// node walked: the sub-boxes reported whole, the states near a reservation's boundary,
/// and the prefixes above them.
pub(super) struct ReservationBoxes<'c> {
    c: &'c CompiledScenario,
    /// Report a sub-box as soon as one party rejects all of it (its mask then holds that
    /// party and those before it): for callers that skip every state some party rejects.
    stop_at_rejection: bool,
    /// flat[p * width + offset[i] + l]: party p's term for level l of issue i.
    flat: Vec<f64>,
    offset: Vec<usize>,
    width: usize,
    /// Per party: the least utility it accepts.
    threshold: Vec<f64>,
    /// Per party: the slack on its bounds.
    slack: Vec<f64>,
}

/// Scratch of one [`ReservationBoxes::split`].
struct Walk {
    /// psum[p * (n + 1) + d]: party p's running sum over issues 0..d.
    psum: Vec<f64>,
    /// low[p * (n + 1) + d], high[..]: the least and greatest party p can still gain on
    /// issues d.. within the box.
    low: Vec<f64>,
    high: Vec<f64>,
}

impl<'c> ReservationBoxes<'c> {
    /// Over the utilities of `c`.
    pub(super) fn new(c: &'c CompiledScenario, stop_at_rejection: bool) -> ReservationBoxes<'c> {
        let space = c.space();
        let radices: Vec<usize> = space.radices().iter().map(|&r| r as usize).collect();
        let mut offset = Vec::with_capacity(radices.len());
        let mut width = 0;
        for &r in &radices {
            offset.push(width);
            width += r;
        }
        let utils = c.utilities();
        let mut flat = Vec::with_capacity(utils.len() * width);
        let mut slack = Vec::with_capacity(utils.len());
        for u in utils {
            let mut scale = 1.0f64;
            for (i, &r) in radices.iter().enumerate() {
                flat.extend((0..r).map(|l| u.contrib(i, l)));
                scale += (0..r).map(|l| u.contrib(i, l).abs()).fold(0.0, f64::max);
            }
            // Each addition rounds by at most half an ulp of the running sum (bounded by
            // `scale`): a few dozen of them stay far below this.
            slack.push(scale * 1e-9);
        }
        ReservationBoxes {
            c,
            stop_at_rejection,
            flat,
            offset,
            width,
            threshold: utils
                .iter()
                .map(|u| u.reservation() - RESERVATION_TOLERANCE)
                .collect(),
            slack,
        }
    }

    /// Every piece of the box `bx` into `f`, in state order; `levels` is scratch of one
    /// level per issue. `bx` is left as it came. Before going deeper into a sub-box some
    /// party is undecided on, `f` is shown [`Piece::Node`] and answers how to go on: the
    /// sub-box is skipped, or walked for the states every party accepts only, as the
    /// caller knows it needs nothing else from it. Every other piece's answer is ignored.
    pub(super) fn split_gated(
        &self,
        bx: &mut [(usize, usize)],
        levels: &mut [usize],
        f: &mut impl FnMut(Piece) -> Gate,
    ) {
        let n = bx.len();
        let np = self.threshold.len();
        let mut w = Walk {
            psum: vec![0.0; np * (n + 1)],
            low: vec![0.0; np * (n + 1)],
            high: vec![0.0; np * (n + 1)],
        };
        for p in 0..np {
            let terms = &self.flat[p * self.width..(p + 1) * self.width];
            for d in (0..n).rev() {
                let (a, b) = bx[d];
                let range = &terms[self.offset[d] + a..=self.offset[d] + b];
                let lo = range.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = range.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                w.low[p * (n + 1) + d] = w.low[p * (n + 1) + d + 1] + lo;
                w.high[p * (n + 1) + d] = w.high[p * (n + 1) + d + 1] + hi;
            }
        }
        let first: StateIndex = bx
            .iter()
            .zip(self.c.space().strides())
            .map(|(&(a, _), &s)| a as u64 * s)
            .sum();
        self.walk(0, first, bx, levels, &mut w, self.stop_at_rejection, f);
    }

    /// Issue `d` onwards below the prefix of levels fixed in `bx[..d]`, whose least state
    /// is `first`. With `accepted_only`, only the pieces every party accepts are reported
    /// (a sub-box some party rejects whole is left at once).
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        d: usize,
        first: StateIndex,
        bx: &mut [(usize, usize)],
        levels: &mut [usize],
        w: &mut Walk,
        accepted_only: bool,
        f: &mut impl FnMut(Piece) -> Gate,
    ) {
        let n = bx.len();
        let stride = n + 1;
        if d == n {
            let mut rejects = 0u128;
            for (p, &t) in self.threshold.iter().enumerate() {
                if w.psum[p * stride + n].min(1.0) < t {
                    rejects |= 1 << p;
                }
            }
            if accepted_only && rejects != 0 {
                return;
            }
            for (l, &(a, _)) in levels.iter_mut().zip(bx.iter()) {
                *l = a;
            }
            f(Piece::State {
                levels,
                st: first,
                rejects,
            });
            return;
        }
        // Parties rejecting the whole sub-box, and those undecided on it.
        let mut rejects = 0u128;
        let mut open = 0u128;
        for (p, &t) in self.threshold.iter().enumerate() {
            let at = p * stride + d;
            let sum = w.psum[at];
            if (sum + w.low[at] - self.slack[p]).min(1.0) >= t {
                continue;
            }
            if (sum + w.high[at] + self.slack[p]).min(1.0) < t {
                rejects |= 1 << p;
                if accepted_only {
                    open = 0;
                    break;
                }
                continue;
            }
            open |= 1 << p;
        }
        if accepted_only && rejects != 0 {
            if self.stop_at_rejection {
                // As before the gate: the sub-box reported with the rejection found.
                let states = bx[d..].iter().map(|&(a, b)| (b - a + 1) as u64).product();
                f(Piece::Whole {
                    bx,
                    states,
                    first,
                    rejects,
                });
            }
            return;
        }
        if open == 0 {
            let states = bx[d..].iter().map(|&(a, b)| (b - a + 1) as u64).product();
            f(Piece::Whole {
                bx,
                states,
                first,
                rejects,
            });
            return;
        }
        let accepted_only = match f(Piece::Node { bx, rejects }) {
            Gate::Descend => accepted_only,
            Gate::Skip => return,
            Gate::AcceptedOnly => true,
        };
        let (a, b) = bx[d];
        let step = self.c.space().strides()[d];
        for l in a..=b {
            for p in 0..self.threshold.len() {
                let at = p * stride + d;
                w.psum[at + 1] = w.psum[at] + self.flat[p * self.width + self.offset[d] + l];
            }
            bx[d] = (l, l);
            self.walk(
                d + 1,
                first + (l - a) as u64 * step,
                bx,
                levels,
                w,
                accepted_only,
                f,
            );
        }
        bx[d] = (a, b);
    }
}

/// How [`ReservationBoxes::split_gated`] goes on below a [`Piece::Node`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    /// Every piece below.
    Descend,
    /// Nothing below.
    Skip,
    /// Only the pieces below that every party accepts.
    AcceptedOnly,
}

/// The violation table box by box: every state of a cell of the red lines' quotient
/// breaks the same red lines, so only the reservations tell its states apart
/// ([`ReservationBoxes`]). A box whose states all break the same items is counted whole
/// and its least state (its lowest corner) is its witness. The result is the per-state
/// scan's, field for field (the ideal utilities apart: [`cell_ideal_in`]).
///
/// # Complexity
/// O(C + B · P · L) for C cells and B boxes visited (see [`ReservationBoxes`]), plus the
/// states of single-violation boxes (listed one by one, as the table keeps them).
struct CellScan<'a, 'b> {
    scan: &'a RegionScan<'b>,
    q: &'a RegionQuotient,
}

impl<'a, 'b> CellScan<'a, 'b> {
    fn new(scan: &'a RegionScan<'b>, q: &'a RegionQuotient) -> CellScan<'a, 'b> {
        CellScan { scan, q }
    }

    /// Cells `start..end` into `part` (the ideal utilities excepted).
    fn scan(&self, start: StateIndex, end: StateIndex, part: &mut Part) {
        let n = self.scan.c.space().issues();
        let strides = self.scan.c.space().strides();
        let boxes = ReservationBoxes::new(self.scan.c, false);
        let mut runs = vec![0usize; n];
        let mut bx = vec![(0usize, 0usize); n];
        let mut levels = vec![0usize; n];
        let mut listed = vec![0usize; n];
        let mut seen: Vec<(u128, StateIndex)> = Vec::new();
        let res_bit = self.scan.res_bit;
        let red_items = self.scan.red_items;
        for cell in start..end {
            self.q.cells().decode_into(cell, &mut runs);
            for (i, b) in bx.iter_mut().enumerate() {
                *b = self.q.runs(i)[runs[i]];
            }
            let red = self.scan.red_mask(self.q.broken_cell(cell));
            let item_mask = |rejects: u128| {
                let mut mask = red;
                let mut r = rejects;
                while r != 0 {
                    mask |= res_bit[r.trailing_zeros() as usize];
                    r &= r - 1;
                }
                mask
            };
            let single = |mask: u128| mask != 0 && mask & (mask - 1) == 0 && mask & red_items != 0;
            // Pieces come in state order and a cell's masks differ only in reservations:
            // the first piece of each rejection set is its least state in the cell, kept
            // here and put in the ordered map once per cell.
            seen.clear();
            // The states no party rejects count (when no red line is broken: acceptable)
            // or are listed (when one is: it alone is broken) one by one.
            let wants_accepted = red == 0 || single(red);
            boxes.split_gated(&mut bx, &mut levels, &mut |piece| {
                let (mask, first, states) = match piece {
                    // Every state below breaks at least `rejects`: once a mask within
                    // that has been met (at a lesser state), none below is a new least
                    // state of a minimal mask, so only the states every party accepts
                    // may still matter (when `rejects` is empty).
                    Piece::Node { rejects, .. } => {
                        let at_least = item_mask(rejects);
                        if !seen.iter().any(|&(m, _)| m & !at_least == 0) {
                            return Gate::Descend;
                        }
                        return if rejects == 0 && wants_accepted {
                            Gate::AcceptedOnly
                        } else {
                            Gate::Skip
                        };
                    }
                    Piece::Whole {
                        bx,
                        states,
                        first,
                        rejects,
                    } => {
                        let mask = item_mask(rejects);
                        if single(mask) {
                            let list = &mut part.only[mask.trailing_zeros() as usize];
                            for (l, &(a, _)) in listed.iter_mut().zip(bx.iter()) {
                                *l = a;
                            }
                            loop {
                                list.push(
                                    listed
                                        .iter()
                                        .zip(strides)
                                        .map(|(&l, &s)| l as u64 * s)
                                        .sum(),
                                );
                                if !step(&mut listed, bx) {
                                    break;
                                }
                            }
                        }
                        (mask, first, states)
                    }
                    Piece::State { st, rejects, .. } => {
                        let mask = item_mask(rejects);
                        if single(mask) {
                            part.only[mask.trailing_zeros() as usize].push(st);
                        }
                        (mask, st, 1)
                    }
                };
                if mask == 0 {
                    part.acceptable += states;
                }
                if !seen.iter().any(|&(m, _)| m == mask) {
                    seen.push((mask, first));
                }
                Gate::Descend
            });
            for &(mask, first) in &seen {
                let least = part.masks.entry(mask).or_insert(first);
                *least = (*least).min(first);
            }
        }
    }
}

/// The next levels of the box `bx` in state order; false after the last.
#[inline]
pub(super) fn step(levels: &mut [usize], bx: &[(usize, usize)]) -> bool {
    for i in (0..levels.len()).rev() {
        if levels[i] < bx[i].1 {
            levels[i] += 1;
            return true;
        }
        levels[i] = bx[i].0;
    }
    false
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
