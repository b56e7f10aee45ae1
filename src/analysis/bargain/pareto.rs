//! The Pareto frontier: exact, ties kept, utilities compared at 9 decimals.
//!
//! Utilities are turned into integer keys `round(u · 10⁹)` first, so every comparison is
//! exact and the frontier does not depend on float noise in the last bits. The rows that
//! the row of largest key sum dominates are dropped in one linear pass (on typical data
//! that leaves a thin shell; on zero-sum data, nothing). Then one algorithm per dimension:
//!
//! - one party: the rows with the largest key;
//! - two parties: first a linear filter by buckets of the first key (the largest second
//!   key of each bucket drops every row some later bucket dominates), which on typical
//!   data leaves little more than the frontier; when it leaves many rows, sort by the
//!   first key (a radix sort: keys of utilities in [0, 1] span 10⁹ < 2³²), then a sweep
//!   over the second, O(n log n) at worst;
//! - three parties: the same sort, then a sweep that keeps the frontier points seen so
//!   far as a 2-D staircase, O(n log n);
//! - four or more: duplicates merged, then the multidimensional divide and conquer of
//!   Kung, Luccio and Preparata (1975) and Bentley (1980): split on the median of one
//!   coordinate, solve both halves, and drop the points of the lower half that some point
//!   of the upper half dominates, a merge that is itself a divide and conquer one dimension
//!   down. O(n log^(d−1) n); the two- and three-dimensional sweeps are its base cases.
//!
//! The staircase is a flat two-level B-tree of sorted blocks rather than a `BTreeMap`:
//! on a million zero-sum points (a staircase of about 1,700 steps, one insertion per
//! point) the whole three-party frontier took about 80 ms of CPU time against about
//! 260 ms with a `BTreeMap`.

use rayon::prelude::*;

use super::Candidates;

/// Utilities are rounded to this many decimals before they are compared (CONTRACT.md).
pub const PARETO_DECIMALS: i32 = 9;

/// `10^PARETO_DECIMALS`.
const SCALE: f64 = 1e9;

/// Keys are clamped well inside `i64`, so `key + 1` and the `i64::MIN` sentinel are safe.
/// Utilities beyond ±4·10⁹ compare as equal to that bound.
const KEY_LIMIT: f64 = 4.0e18;

/// Below this many points a subproblem is solved by comparing every pair.
const SMALL: usize = 24;

/// The integer key of a utility: `round(u · 10⁹)` (halves away from zero, as
/// [`f64::round`]), clamped to ±4·10¹⁸.
///
/// Written with a truncating cast rather than `f64::round`, which compiles to a libm call
/// on baseline x86-64: for |t| < 2⁵², `t − trunc(t)` is exact, so the result is the same.
#[inline]
pub(crate) fn key(u: f64) -> i64 {
    let t = (u * SCALE).clamp(-KEY_LIMIT, KEY_LIMIT);
    let r = t as i64;
    let frac = t - r as f64;
    r + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
}

/// The Pareto frontier of the candidates: the rows that no other row dominates.
///
/// Row `q` dominates row `p` when, with every utility rounded to 9 decimals
/// ([`PARETO_DECIMALS`]), `q` is at least as good for every party and better for one.
/// Rows with identical rounded utilities never dominate each other, so all copies of a
/// frontier point are kept.
///
/// # Arguments
/// `c`: the candidates (any number of parties).
///
/// # Returns
/// The frontier's row indices, ascending (enumeration order).
///
/// # Complexity
/// For n rows and d parties: O(n log n) for d ≤ 3 (a sort and a sweep, with a staircase
/// for d = 3), O(n log^(d−1) n) for d ≥ 4 (divide and conquer); memory O(n · d).
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, pareto_frontier};
/// let rows = [vec![0.2, 0.9], vec![0.5, 0.5], vec![0.4, 0.5], vec![0.9, 0.2], vec![0.5, 0.5]];
/// let c = Candidates::from_rows(vec![10, 11, 12, 13, 14], &rows, vec![0.0, 0.0])?;
/// // Row 2 is dominated by rows 1 and 4, which tie and are both kept.
/// assert_eq!(pareto_frontier(&c), vec![0, 1, 3, 4]);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn pareto_frontier(c: &Candidates) -> Vec<usize> {
    if c.parties() == 2
        && let Some(front) = front2_prefiltered(c.matrix())
    {
        return front;
    }
    frontier_by_sort(c)
}

/// [`pareto_frontier`] without the two-party prefilter.
pub(super) fn frontier_by_sort(c: &Candidates) -> Vec<usize> {
    let n = c.len();
    let d = c.parties();
    let m = c.matrix();
    match d {
        0 => return (0..n).collect(),
        1 => {
            let best = m.iter().map(|&u| key(u)).max();
            return (0..n).filter(|&k| Some(key(m[k])) == best).collect();
        }
        _ => {}
    }
    let mut keep = vec![false; n];
    let mut mark = |k: usize| keep[k] = true;
    match d {
        2 => {
            let (cols, top, range) = keys::<2>(m);
            let [x, y] = &cols;
            front2(sort_rows(n, unbeaten(&cols, top), x, range), y, &mut mark);
        }
        3 => {
            let (cols, top, range) = keys::<3>(m);
            let [x, y, z] = &cols;
            front3(
                sort_rows(n, unbeaten(&cols, top), x, range),
                y,
                z,
                &mut mark,
            );
        }
        _ => {
            let (cols, ids) = keys_dyn(m, d);
            front_nd(&ids, &cols).into_iter().for_each(&mut mark);
        }
    }
    let count = keep.iter().filter(|&&k| k).count();
    let mut out = Vec::with_capacity(count);
    out.extend((0..n).filter(|&k| keep[k]));
    out
}

/// Rows per parallel chunk.
const CHUNK: usize = 1 << 14;

/// Buckets of the first key in [`front2_prefiltered`].
pub(super) const X_BUCKETS: usize = 1 << 10;

/// The bucket of a first key: keys of utilities in [0, 1] (0..=10⁹) spread evenly, keys
/// outside clamped to the end buckets. Non-decreasing in the key, so a row in a later
/// bucket has a strictly larger key.
#[inline]
fn x_bucket(k: i64) -> usize {
    let span = SCALE as u64;
    (k.clamp(0, SCALE as i64) as u64 * X_BUCKETS as u64 / (span + 1)) as usize
}

/// The two-party frontier in O(n) when it is small, `None` when the filter below leaves
/// more than one row in [`PREFILTER_SHARE`] (then the sort of every row is cheaper).
///
/// One pass finds the largest second key in each bucket of the first key; a row whose
/// second key is at most the largest of any later bucket is dominated (that row has a
/// strictly larger first key and a second key at least as large) and dropped in a second
/// pass. Every frontier row survives, and every dominated survivor is dominated by a
/// frontier row, so the frontier of the survivors (by [`front2`]) is the frontier. Both
/// passes run in parallel chunks; the bucket maxima are a maximum and the survivors are
/// joined in row order, so nothing depends on the thread count.
fn front2_prefiltered(m: &[f64]) -> Option<Vec<usize>> {
    let n = m.len() / 2;
    let tops = m
        .par_chunks(CHUNK * 2)
        .map(|src| {
            let mut top = vec![i64::MIN; X_BUCKETS];
            src.chunks_exact(2).for_each(|u| bucket_top(&mut top, u));
            top
        })
        .reduce(|| vec![i64::MIN; X_BUCKETS], max_tops);
    let above = above(&tops);
    let parts: Vec<Vec<(i64, i64, usize)>> = m
        .par_chunks(CHUNK * 2)
        .enumerate()
        .map(|(c, src)| {
            let mut out = Vec::new();
            for (r, u) in src.chunks_exact(2).enumerate() {
                if let Some((x, y)) = survives(&above, u) {
                    out.push((x, y, c * CHUNK + r));
                }
            }
            out
        })
        .collect();
    front2_of_survivors(parts, n)
}

/// The first pass of [`front2_prefiltered`] for one row `u` of two utilities: raise
/// `top[bucket]` (of [`X_BUCKETS`]) to its second key.
#[inline]
pub(super) fn bucket_top(top: &mut [i64], u: &[f64]) {
    let b = x_bucket(key(u[0]));
    top[b] = top[b].max(key(u[1]));
}

/// The bucket maxima of two runs of rows.
pub(super) fn max_tops(mut a: Vec<i64>, b: Vec<i64>) -> Vec<i64> {
    a.iter_mut().zip(b).for_each(|(x, y)| *x = (*x).max(y));
    a
}

/// `above[b]`: the largest second key in the buckets after `b`.
pub(super) fn above(tops: &[i64]) -> Vec<i64> {
    let mut above = vec![i64::MIN; tops.len()];
    let mut run = i64::MIN;
    for b in (0..tops.len()).rev() {
        above[b] = run;
        run = run.max(tops[b]);
    }
    above
}

/// The second pass of [`front2_prefiltered`] for one row: its keys, when no later bucket
/// dominates it.
#[inline]
pub(super) fn survives(above: &[i64], u: &[f64]) -> Option<(i64, i64)> {
    let (x, y) = (key(u[0]), key(u[1]));
    (y > above[x_bucket(x)]).then_some((x, y))
}

/// The frontier of the survivors `(x, y, row)` of [`front2_prefiltered`]'s filter (in row
/// order, by chunk), among `n` rows; `None` when they are too many ([`PREFILTER_SHARE`]).
pub(super) fn front2_of_survivors(
    parts: Vec<Vec<(i64, i64, usize)>>,
    n: usize,
) -> Option<Vec<usize>> {
    let total: usize = parts.iter().map(Vec::len).sum();
    if total > RADIX_MIN && total.saturating_mul(PREFILTER_SHARE) > n {
        return None;
    }
    let mut pts = parts.concat();
    // First key descending, equal keys in row order, as `front2` takes them.
    pts.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let order = Sorted::Wide(pts.iter().enumerate().map(|(j, p)| (p.0, j)).collect());
    let ys: Vec<i64> = pts.iter().map(|p| p.1).collect();
    let mut front = Vec::new();
    front2(order, &ys, |j| front.push(pts[j].2));
    front.sort_unstable();
    Some(front)
}

/// [`front2_prefiltered`] gives up when more than one row in this many survives its filter.
const PREFILTER_SHARE: usize = 8;

/// The keys by column (`D` parties, unrolled), the keys of the row of largest key sum
/// (the first, on ties), and the smallest and largest key of the first column. In
/// parallel chunks; the reduction is a total order, so the result does not depend on the
/// thread count.
fn keys<const D: usize>(m: &[f64]) -> ([Vec<i64>; D], [i64; D], (i64, i64)) {
    let n = m.len() / D;
    let mut cols: [Vec<i64>; D] = std::array::from_fn(|_| vec![0; n]);
    let mut chunks = cols.each_mut().map(|c| c.chunks_mut(CHUNK));
    let parts: Vec<[&mut [i64]; D]> = (0..n.div_ceil(CHUNK))
        .map(|_| chunks.each_mut().map(|c| c.next().unwrap_or_default()))
        .collect();
    // (key sum, row, keys) of the best row, and the range of the first key.
    type Summary<const D: usize> = ((i128, usize, [i64; D]), (i64, i64));
    let none: Summary<D> = ((i128::MIN, usize::MAX, [0; D]), (i64::MAX, i64::MIN));
    let ((_, _, top), range) = parts
        .into_par_iter()
        .zip(m.par_chunks(CHUNK * D))
        .enumerate()
        .map(|(c, (mut dst, src))| {
            let mut out = none;
            for (r, row) in src.chunks_exact(D).enumerate() {
                let mut sum = 0i128;
                let mut here = [0; D];
                for ((col, &u), h) in dst.iter_mut().zip(row).zip(&mut here) {
                    *h = key(u);
                    col[r] = *h;
                    sum += i128::from(*h);
                }
                out.1 = (out.1.0.min(here[0]), out.1.1.max(here[0]));
                if sum > out.0.0 {
                    out.0 = (sum, c * CHUNK + r, here);
                }
            }
            out
        })
        .reduce(
            || none,
            |a, b| {
                let best = if (b.0.0, std::cmp::Reverse(b.0.1)) > (a.0.0, std::cmp::Reverse(a.0.1))
                {
                    b.0
                } else {
                    a.0
                };
                (best, (a.1.0.min(b.1.0), a.1.1.max(b.1.1)))
            },
        );
    (cols, top, range)
}

/// Whether row `k` escapes `top` (the keys of the row of largest key sum): a filter that
/// leaves only a thin shell of typical data to sort, and changes no frontier (whatever a
/// dropped row dominates, the best row dominates too).
fn unbeaten<const D: usize>(cols: &[Vec<i64>; D], top: [i64; D]) -> impl Fn(usize) -> bool + '_ {
    move |k| {
        let mut weakly = true;
        let mut strictly = false;
        for (col, &t) in cols.iter().zip(&top) {
            weakly &= t >= col[k];
            strictly |= t > col[k];
        }
        !(weakly && strictly)
    }
}

/// The keys by column for any number of parties, and the rows [`unbeaten`] keeps.
fn keys_dyn(m: &[f64], d: usize) -> (Vec<Vec<i64>>, Vec<usize>) {
    let n = m.len() / d;
    let mut cols = vec![Vec::with_capacity(n); d];
    let mut best = (i128::MIN, 0);
    for (k, row) in m.chunks_exact(d).enumerate() {
        let mut sum = 0i128;
        for (col, &u) in cols.iter_mut().zip(row) {
            let x = key(u);
            col.push(x);
            sum += i128::from(x);
        }
        if sum > best.0 {
            best = (sum, k);
        }
    }
    let top: Vec<i64> = cols
        .iter()
        .map(|c| c.get(best.1).copied().unwrap_or(0))
        .collect();
    let ids = (0..n)
        .filter(|&k| {
            let weakly = cols.iter().zip(&top).all(|(c, &t)| t >= c[k]);
            !(weakly && cols.iter().zip(&top).any(|(c, &t)| t > c[k]))
        })
        .collect();
    (cols, ids)
}

/// Below this many points, [`sort_desc`] sorts the packed values by comparison.
const RADIX_MIN: usize = 256;

/// Rows ordered by a key, largest first, equal keys in their given order.
enum Sorted {
    /// `(max − x) << 32 | id`, radix-sorted: the upper half is equal exactly when `x` is.
    Packed(Vec<u64>),
    /// `(x, id)`, sorted by comparison (keys spread over more than 32 bits, or ids
    /// beyond 32 bits).
    Wide(Vec<(i64, usize)>),
}

impl Sorted {
    fn len(&self) -> usize {
        match self {
            Sorted::Packed(v) => v.len(),
            Sorted::Wide(v) => v.len(),
        }
    }

    /// A value equal for positions `k` and `j` exactly when their keys are equal.
    #[inline]
    fn group(&self, k: usize) -> i64 {
        match self {
            Sorted::Packed(v) => (v[k] >> 32) as i64,
            Sorted::Wide(v) => v[k].0,
        }
    }

    /// The row at position `k`.
    #[inline]
    fn id(&self, k: usize) -> usize {
        match self {
            Sorted::Packed(v) => (v[k] & 0xffff_ffff) as usize,
            Sorted::Wide(v) => v[k].1,
        }
    }

    /// `col[id]` for each position, in order: one gather in a tight loop, so the cache
    /// misses overlap instead of stalling the sweep that reads the result.
    fn gather(&self, col: &[i64]) -> Vec<i64> {
        match self {
            Sorted::Packed(v) => v
                .par_iter()
                .with_min_len(CHUNK)
                .map(|&p| col[(p & 0xffff_ffff) as usize])
                .collect(),
            Sorted::Wide(v) => v.iter().map(|&(_, i)| col[i]).collect(),
        }
    }
}

/// `ids` ordered by `xs[id]` descending, equal keys in their order in `ids`.
fn order_desc(ids: impl Iterator<Item = usize> + Clone, xs: &[i64]) -> Sorted {
    let (lo, hi) = ids.clone().fold((i64::MAX, i64::MIN), |(lo, hi), i| {
        (lo.min(xs[i]), hi.max(xs[i]))
    });
    sort_desc(ids, xs, lo, hi)
}

/// [`order_desc`] given bounds `lo ≤ xs[id] ≤ hi` for every id.
///
/// When the ids and `hi − lo` fit in 32 bits each (always so for utilities in [0, 1],
/// whose keys span 10⁹), `(hi − x) << 32 | id` is sorted by a stable least-significant-
/// digit radix sort on its upper 32 bits: one counting pass, then three scatter passes of
/// 11 bits, fewer when a digit is the same throughout. Otherwise by comparison.
fn sort_desc(ids: impl Iterator<Item = usize>, xs: &[i64], lo: i64, hi: i64) -> Sorted {
    let narrow = u32::try_from(xs.len()).is_ok() && u32::try_from(hi.abs_diff(lo)).is_ok();
    if !narrow || hi < lo {
        let mut v: Vec<(i64, usize)> = ids.map(|i| (xs[i], i)).collect();
        v.sort_by_key(|&(x, _)| std::cmp::Reverse(x));
        return Sorted::Wide(v);
    }
    let (low, high) = ids.size_hint();
    let mut v = Vec::with_capacity(high.unwrap_or(low));
    v.extend(ids.map(|i| (hi.abs_diff(xs[i]) << 32) | i as u64));
    sort_packed(v)
}

/// [`sort_desc`] over the rows `0..n` that pass `keep`.
fn sort_rows(n: usize, keep: impl Fn(usize) -> bool, xs: &[i64], (lo, hi): (i64, i64)) -> Sorted {
    sort_desc((0..n).filter(|&k| keep(k)), xs, lo, hi)
}

/// Sort packed values: by comparison when few, else by radix.
fn sort_packed(mut v: Vec<u64>) -> Sorted {
    if v.len() < RADIX_MIN {
        // Distinct values: an unstable sort keeps equal keys in id order all the same.
        v.sort_unstable();
    } else {
        let mut counts = vec![[0usize; BUCKETS]; SHIFTS.len()];
        for &p in &v {
            for (c, &s) in counts.iter_mut().zip(&SHIFTS) {
                c[digit(p, s)] += 1;
            }
        }
        radix_passes(&mut v, &mut counts);
    }
    Sorted::Packed(v)
}

/// Radix digits: 11 bits.
const BITS: u32 = 11;
/// Buckets per digit.
const BUCKETS: usize = 1 << BITS;
/// Where the three digits of the upper 32 bits start.
const SHIFTS: [u32; 3] = [32, 32 + BITS, 32 + 2 * BITS];

#[inline]
fn digit(p: u64, shift: u32) -> usize {
    ((p >> shift) as usize) & (BUCKETS - 1)
}

/// The scatter passes of a stable LSD radix sort of `v` by bits 32..64, given each
/// digit's counts; a digit the same throughout is skipped.
fn radix_passes(v: &mut Vec<u64>, counts: &mut [[usize; BUCKETS]]) {
    let mut buf = vec![0u64; v.len()];
    for (c, &s) in counts.iter_mut().zip(&SHIFTS) {
        if c.contains(&v.len()) {
            continue;
        }
        let mut at = 0;
        for k in c.iter_mut() {
            let here = *k;
            *k = at;
            at += here;
        }
        for &x in v.iter() {
            let b = digit(x, s);
            buf[c[b]] = x;
            c[b] += 1;
        }
        std::mem::swap(v, &mut buf);
    }
}

/// The 2-D frontier, ties kept, of the rows in `order` (sorted by `x` descending), passed
/// to `emit`.
///
/// A point is dominated exactly when a point of its own `x` has a larger `y`, or a point
/// of larger `x` has a `y` at least as large.
fn front2(order: Sorted, ys: &[i64], mut emit: impl FnMut(usize)) {
    let yo = order.gather(ys);
    let n = order.len();
    // Largest `y` over the points of strictly larger `x`.
    let mut best = i64::MIN;
    let mut g = 0;
    while g < n {
        let x = order.group(g);
        let mut top = yo[g];
        let mut e = g + 1;
        while e < n && order.group(e) == x {
            top = top.max(yo[e]);
            e += 1;
        }
        if top > best {
            for (k, &y) in yo.iter().enumerate().take(e).skip(g) {
                if y == top {
                    emit(order.id(k));
                }
            }
            best = top;
        }
        g = e;
    }
}

/// Steps per block of a [`Staircase`]: a block splits in two when it reaches twice this.
const BLOCK: usize = 64;

/// The maxima of the `(y, z)` points inserted so far, as a staircase: `y` ascending, `z`
/// strictly descending. Answers "is some inserted point ≥ (y, z) in both?".
///
/// The steps live in sorted blocks of at most `2 · BLOCK` (a two-level B-tree, flatter and
/// more cache-friendly than a `BTreeMap` for the few thousand steps typical data gives,
/// and still O(log s + BLOCK + s / BLOCK) per operation for s steps at worst).
#[derive(Debug, Default)]
struct Staircase {
    /// Non-empty blocks; their concatenation is the staircase.
    blocks: Vec<Vec<(i64, i64)>>,
    /// The largest `y` of each block.
    lasts: Vec<i64>,
}

impl Staircase {
    /// Block and position of the first step with `y' ≥ y`; the block is `blocks.len()`
    /// when there is none.
    #[inline]
    fn locate(&self, y: i64) -> (usize, usize) {
        let b = self.lasts.partition_point(|&l| l < y);
        let i = self
            .blocks
            .get(b)
            .map_or(0, |blk| blk.partition_point(|&(y2, _)| y2 < y));
        (b, i)
    }

    /// Whether a step is at least `(y, z)` in both coordinates. The first step with
    /// `y' ≥ y` has the largest `z` of all steps with `y' ≥ y`.
    #[inline]
    fn covers(&self, y: i64, z: i64) -> bool {
        let (b, i) = self.locate(y);
        self.blocks
            .get(b)
            .and_then(|blk| blk.get(i))
            .is_some_and(|&(_, z2)| z2 >= z)
    }

    /// Insert `(y, z)` unless a step covers it, dropping the steps it covers (the run of
    /// steps just below it with `z' ≤ z`). Returns whether it was inserted.
    ///
    /// The new step overwrites the first covered one when there is one, so the common
    /// case of a step replacing one step moves no memory.
    fn insert(&mut self, y: i64, z: i64) -> bool {
        let (mut b, i) = self.locate(y);
        // `end`: one past the last step with `y' ≤ y` in block `b`.
        let end = match self.blocks.get(b).and_then(|blk| blk.get(i)) {
            Some(&(_, z2)) if z2 >= z => return false,
            // Same `y`, smaller `z`: covered by the new step.
            Some(&(y2, _)) if y2 == y => i + 1,
            Some(_) => i,
            None => {
                if self.blocks.is_empty() {
                    self.blocks.push(Vec::with_capacity(2 * BLOCK));
                    self.lasts.push(y);
                }
                b = self.blocks.len() - 1;
                self.blocks[b].len()
            }
        };
        let blk = &mut self.blocks[b];
        let mut j = end;
        while j > 0 && blk[j - 1].1 <= z {
            j -= 1;
        }
        if j < end {
            blk[j] = (y, z);
            blk.drain(j + 1..end);
        } else {
            blk.insert(j, (y, z));
        }
        // The covered run may go on at the end of the blocks before.
        while j == 0 && b > 0 {
            let prev = &mut self.blocks[b - 1];
            let mut k = prev.len();
            while k > 0 && prev[k - 1].1 <= z {
                k -= 1;
            }
            prev.truncate(k);
            match prev.last() {
                Some(&(last, _)) => {
                    self.lasts[b - 1] = last;
                    break;
                }
                None => {
                    self.blocks.remove(b - 1);
                    self.lasts.remove(b - 1);
                    b -= 1;
                }
            }
        }
        if let Some(&(last, _)) = self.blocks[b].last() {
            self.lasts[b] = last;
        }
        if self.blocks[b].len() >= 2 * BLOCK {
            let tail = self.blocks[b].split_off(BLOCK);
            if let (Some(&(head_last, _)), Some(&(tail_last, _))) =
                (self.blocks[b].last(), tail.last())
            {
                self.lasts[b] = head_last;
                self.lasts.insert(b + 1, tail_last);
                self.blocks.insert(b + 1, tail);
            }
        }
        true
    }
}

/// The 3-D frontier, ties kept, of the rows in `order` (sorted by `x` descending), passed
/// to `emit`.
///
/// Taken in groups of equal `x`, largest first. A point is dominated by a point of its own
/// group exactly when it is off the group's 2-D frontier in `(y, z)`; by a point of an
/// earlier group (strictly larger `x`) exactly when the staircase of the earlier frontier
/// points covers its `(y, z)`. The group's survivors then join the staircase.
fn front3(order: Sorted, ys: &[i64], zs: &[i64], mut emit: impl FnMut(usize)) {
    let (yo, zo) = (order.gather(ys), order.gather(zs));
    let n = order.len();
    let mut stair = Staircase::default();
    // A group of equal `x`, as (y, z, id), and its survivors.
    let mut group: Vec<(i64, i64, usize)> = Vec::new();
    let mut alive: Vec<usize> = Vec::new();
    let mut g = 0;
    while g < n {
        let x = order.group(g);
        let mut e = g + 1;
        while e < n && order.group(e) == x {
            e += 1;
        }
        if e == g + 1 {
            let (y, z) = (yo[g], zo[g]);
            if stair.insert(y, z) {
                emit(order.id(g));
            }
            g = e;
            continue;
        }
        group.clear();
        group.extend((g..e).map(|k| (yo[k], zo[k], order.id(k))));
        group.sort_unstable_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(&b.2)));
        alive.clear();
        // Largest `z` over the group's points of strictly larger `y`.
        let mut best = i64::MIN;
        let mut h = 0;
        while h < group.len() {
            let (y, top, _) = group[h];
            let open = top > best && !stair.covers(y, top);
            while h < group.len() && group[h].0 == y {
                if open && group[h].1 == top {
                    alive.push(group[h].2);
                }
                h += 1;
            }
            best = best.max(top);
        }
        for &k in &alive {
            stair.insert(ys[k], zs[k]);
            emit(k);
        }
        g = e;
    }
}

/// Pairwise checks per row that [`front_filter`] may spend before giving up.
const FILTER_BUDGET: usize = 64;

/// The frontier of `ids` for four or more parties: [`front_filter`] when the frontier is
/// small, else [`front_split`].
fn front_nd(ids: &[usize], cols: &[Vec<i64>]) -> Vec<usize> {
    front_filter(ids, cols).unwrap_or_else(|| front_split(ids, cols))
}

/// The frontier by sort and filter, output-sensitive: rows by key sum, largest first (a
/// dominating row has the larger sum, so it comes first), each checked against the
/// frontier found so far, the last dominating row moved to the front of the list. About
/// O(n log n + n · h) for a frontier of h rows; `None` once the checks exceed
/// [`FILTER_BUDGET`] per row, which bounds the time lost when the frontier is large.
fn front_filter(ids: &[usize], cols: &[Vec<i64>]) -> Option<Vec<usize>> {
    let d = cols.len();
    let sums: Vec<i64> = (0..cols.first().map_or(0, Vec::len))
        .map(|k| {
            let s: i128 = cols.iter().map(|c| i128::from(c[k])).sum();
            i64::try_from(s).ok()
        })
        .collect::<Option<_>>()?;
    let order = order_desc(ids.iter().copied(), &sums);
    let mut budget = FILTER_BUDGET.saturating_mul(ids.len());
    // The frontier so far: ids, and their keys row by row.
    let mut front: Vec<usize> = Vec::new();
    let mut keys: Vec<i64> = Vec::new();
    let mut p_keys = vec![0; d];
    for pos in 0..order.len() {
        let p = order.id(pos);
        for (x, c) in p_keys.iter_mut().zip(cols) {
            *x = c[p];
        }
        let hit = keys
            .chunks_exact(d)
            .position(|q| q.iter().zip(&p_keys).all(|(a, b)| a >= b) && q != &p_keys[..]);
        budget = budget.checked_sub(hit.map_or(front.len(), |j| j + 1))?;
        match hit {
            Some(0) => {}
            Some(j) => {
                front.swap(0, j);
                let (head, tail) = keys.split_at_mut(j * d);
                head[..d].swap_with_slice(&mut tail[..d]);
            }
            None => {
                front.push(p);
                keys.extend_from_slice(&p_keys);
            }
        }
    }
    Some(front)
}

/// The frontier by divide and conquer: merge identical key vectors, run [`Nd::maxima`] on
/// the distinct ones, and keep every copy of a survivor.
fn front_split(ids: &[usize], cols: &[Vec<i64>]) -> Vec<usize> {
    let row = |k: usize| cols.iter().map(move |c| c[k]);
    let mut order = ids.to_vec();
    order.sort_unstable_by(|&a, &b| row(a).cmp(row(b)).then(a.cmp(&b)));
    // `first[r]`: where representative `r`'s run of copies starts in `order`.
    let mut reps = Vec::new();
    let mut first = Vec::new();
    for (pos, &k) in order.iter().enumerate() {
        if pos == 0 || !row(order[pos - 1]).eq(row(k)) {
            reps.push(k);
            first.push(pos);
        }
    }
    let dims: Vec<usize> = (0..cols.len()).collect();
    let mut kept = Nd { cols }.maxima(reps.clone(), &dims);
    kept.sort_unstable();
    let mut out = Vec::new();
    for (r, &k) in reps.iter().enumerate() {
        if kept.binary_search(&k).is_ok() {
            let end = first.get(r + 1).copied().unwrap_or(order.len());
            out.extend_from_slice(&order[first[r]..end]);
        }
    }
    out
}

/// Divide and conquer over distinct key vectors, stored by column.
struct Nd<'a> {
    cols: &'a [Vec<i64>],
}

impl Nd<'_> {
    #[inline]
    fn at(&self, p: usize, j: usize) -> i64 {
        self.cols[j][p]
    }

    /// Whether `a ≥ b` in every coordinate of `dims`.
    #[inline]
    fn covers(&self, a: usize, b: usize, dims: &[usize]) -> bool {
        dims.iter().all(|&j| self.at(a, j) >= self.at(b, j))
    }

    /// The coordinates of `dims` that are not constant over `a ∪ b`.
    fn varying(&self, a: &[usize], b: &[usize], dims: &[usize]) -> Vec<usize> {
        let Some(&p0) = a.iter().chain(b).next() else {
            return Vec::new();
        };
        dims.iter()
            .copied()
            .filter(|&j| {
                let v = self.at(p0, j);
                a.iter().chain(b).any(|&p| self.at(p, j) != v)
            })
            .collect()
    }

    /// A split value `t` for coordinate `j` over `a ∪ b` (not constant there): both
    /// `{x ≥ t}` and `{x < t}` are non-empty, and near half of the points each.
    fn threshold(&self, a: &[usize], b: &[usize], j: usize) -> i64 {
        let mut vals: Vec<i64> = a.iter().chain(b).map(|&p| self.at(p, j)).collect();
        let mid = vals.len() / 2;
        let (_, &mut m, _) = vals.select_nth_unstable(mid);
        if vals.iter().any(|&v| v > m) {
            m + 1
        } else {
            m
        }
    }

    /// The points of `pts` that no other point of `pts` covers in `dims`. The
    /// points are distinct, and constant outside `dims`, so covering means dominating.
    fn maxima(&self, pts: Vec<usize>, dims: &[usize]) -> Vec<usize> {
        if pts.len() <= 1 {
            return pts;
        }
        let dims = self.varying(&pts, &[], dims);
        match dims[..] {
            [] => return pts,
            [j] => {
                let best = pts.iter().map(|&p| self.at(p, j)).max();
                return pts
                    .into_iter()
                    .filter(|&p| Some(self.at(p, j)) == best)
                    .collect();
            }
            [x, y] => {
                let mut out = Vec::new();
                let order = order_desc(pts.iter().copied(), &self.cols[x]);
                front2(order, &self.cols[y], |k| out.push(k));
                return out;
            }
            [x, y, z] => {
                let mut out = Vec::new();
                let order = order_desc(pts.iter().copied(), &self.cols[x]);
                front3(order, &self.cols[y], &self.cols[z], |k| out.push(k));
                return out;
            }
            _ => {}
        }
        if pts.len() <= SMALL {
            return pts
                .iter()
                .copied()
                .filter(|&p| !pts.iter().any(|&q| q != p && self.covers(q, p, &dims)))
                .collect();
        }
        let Some((&j, rest)) = dims.split_last() else {
            return pts;
        };
        let t = self.threshold(&pts, &[], j);
        let (hi, lo): (Vec<usize>, Vec<usize>) = pts.into_iter().partition(|&p| self.at(p, j) >= t);
        // No point of `lo` can cover a point of `hi`: it is smaller in coordinate `j`.
        let mut hi = self.maxima(hi, &dims);
        let lo = self.maxima(lo, &dims);
        let lo = self.filter(&hi, lo, rest);
        hi.extend(lo);
        hi
    }

    /// The points of `b` that no point of `a` covers in `dims`, where every point of `a`
    /// is already at least every point of `b` outside `dims`.
    fn filter(&self, a: &[usize], b: Vec<usize>, dims: &[usize]) -> Vec<usize> {
        if a.is_empty() || b.is_empty() {
            return b;
        }
        let dims = self.varying(a, &b, dims);
        match dims[..] {
            [] => return Vec::new(),
            [j] => {
                let best = a.iter().map(|&p| self.at(p, j)).max().unwrap_or(i64::MIN);
                return b.into_iter().filter(|&p| self.at(p, j) > best).collect();
            }
            [x, y] => return self.filter2(a, b, x, y),
            [x, y, z] => return self.filter3(a, b, x, y, z),
            _ => {}
        }
        if a.len().saturating_mul(b.len()) <= SMALL * SMALL {
            return b
                .into_iter()
                .filter(|&p| !a.iter().any(|&q| self.covers(q, p, &dims)))
                .collect();
        }
        let Some((&j, rest)) = dims.split_last() else {
            return b;
        };
        let t = self.threshold(a, &b, j);
        let (a_hi, a_lo): (Vec<usize>, Vec<usize>) = a.iter().partition(|&&p| self.at(p, j) >= t);
        let (b_hi, b_lo): (Vec<usize>, Vec<usize>) =
            b.into_iter().partition(|&p| self.at(p, j) >= t);
        // `a_lo` cannot cover `b_hi` (smaller in `j`); `a_hi` covers `b_lo` in `j` already.
        let mut out = self.filter(&a_hi, b_hi, &dims);
        let b_lo = self.filter(&a_lo, b_lo, &dims);
        out.extend(self.filter(&a_hi, b_lo, rest));
        out
    }

    /// [`Nd::filter`] in two coordinates: a sweep down `x`, keeping the largest `y` of the
    /// points of `a` passed so far.
    fn filter2(&self, a: &[usize], b: Vec<usize>, x: usize, y: usize) -> Vec<usize> {
        let (xs, ys) = (&self.cols[x], &self.cols[y]);
        let a = order_desc(a.iter().copied(), xs);
        let b = order_desc(b.into_iter(), xs);
        let mut best = i64::MIN;
        let mut i = 0;
        (0..b.len())
            .map(|k| b.id(k))
            .filter(|&p| {
                while i < a.len() && xs[a.id(i)] >= xs[p] {
                    best = best.max(ys[a.id(i)]);
                    i += 1;
                }
                ys[p] > best
            })
            .collect()
    }

    /// [`Nd::filter`] in three coordinates: a sweep down `x`, the points of `a` passed so
    /// far kept as a staircase in `(y, z)`.
    fn filter3(&self, a: &[usize], b: Vec<usize>, x: usize, y: usize, z: usize) -> Vec<usize> {
        let (xs, ys, zs) = (&self.cols[x], &self.cols[y], &self.cols[z]);
        let a = order_desc(a.iter().copied(), xs);
        let b = order_desc(b.into_iter(), xs);
        let mut stair = Staircase::default();
        let mut i = 0;
        (0..b.len())
            .map(|k| b.id(k))
            .filter(|&p| {
                while i < a.len() && xs[a.id(i)] >= xs[p] {
                    let q = a.id(i);
                    stair.insert(ys[q], zs[q]);
                    i += 1;
                }
                !stair.covers(ys[p], zs[p])
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocked staircase against a list of every inserted point, through many block
    /// splits, replacements of equal `y` and removals across blocks.
    #[test]
    fn staircase_matches_a_plain_list() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m) as i64
        };
        for range in [8, 300, 5_000, 1_000_000] {
            let mut stair = Staircase::default();
            let mut all: Vec<(i64, i64)> = Vec::new();
            let mut most_blocks = 0;
            for step in 0..6_000 {
                // First on the anti-diagonal (the staircase grows), then drifting up it
                // with noise (old steps keep being covered).
                let y = next(range as u64);
                let z = if step < 3_000 {
                    range - y
                } else {
                    range - y + (step as i64 - 3_000) * range / 3_000 + next(1 + range as u64 / 50)
                };
                let covered = all.iter().any(|&(a, b)| a >= y && b >= z);
                assert_eq!(stair.covers(y, z), covered, "range {range} step {step}");
                assert_eq!(stair.insert(y, z), !covered, "range {range} step {step}");
                if !covered {
                    all.push((y, z));
                    most_blocks = most_blocks.max(stair.blocks.len());
                }
            }
            if range >= 5_000 {
                assert!(most_blocks > 10, "range {range}: {most_blocks} blocks");
            }
            let steps: Vec<(i64, i64)> = stair.blocks.concat();
            assert!(steps.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 > w[1].1));
            assert!(
                stair
                    .blocks
                    .iter()
                    .all(|b| !b.is_empty() && b.len() < 2 * BLOCK)
            );
            let lasts: Vec<i64> = stair
                .blocks
                .iter()
                .filter_map(|b| b.last())
                .map(|s| s.0)
                .collect();
            assert_eq!(lasts, stair.lasts);
            // Every step is a maximum of what was inserted, and every maximum is a step.
            let mut maxima: Vec<(i64, i64)> = all
                .iter()
                .copied()
                .filter(|&(a, b)| {
                    !all.iter()
                        .any(|&(c, d)| (c, d) != (a, b) && c >= a && d >= b)
                })
                .collect();
            maxima.sort_unstable();
            maxima.dedup();
            assert_eq!(steps, maxima, "range {range}");
        }
    }

    #[test]
    fn key_rounds_like_f64_round() {
        for u in [
            0.0,
            0.1 + 0.2,
            0.3,
            1.0,
            -0.25,
            2.5e-10,
            5e-10,
            -5e-10,
            1.5e-9,
            0.123_456_789_5,
        ] {
            assert_eq!(key(u), (u * SCALE).round() as i64, "{u}");
        }
        assert_eq!(key(1e300), KEY_LIMIT as i64);
        assert_eq!(key(-1e300), -KEY_LIMIT as i64);
    }
}
