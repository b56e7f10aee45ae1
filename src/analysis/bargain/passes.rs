//! Every solution concept of [`super::Bargain`] in two parallel passes over the candidate
//! matrix, where each concept alone took two or three: `nash`, `egalitarian`,
//! `max_welfare`, `zone_size`, each party's best utility and (two parties) the bucket
//! maxima of the frontier's prefilter share the first pass; the Kalai–Smorodinsky ratio
//! needs those bests, so it takes the second, with the rows tied on it (for its tie-break on
//! the sum of utilities) and the prefilter's survivors.
//!
//! Each pass runs over fixed chunks of rows and combines the chunks' results in row order,
//! so the answers are those of the one-concept functions in [`super::solutions`] (the
//! brute-force twins in the tests check both), for any thread count.

use rayon::prelude::*;

use super::Candidates;
use super::pareto;
use super::solutions::{Solution, TIE_TOLERANCE, is_acceptable, is_rational, ks_ratio};

/// Rows per parallel chunk.
const CHUNK: usize = 1 << 15;

/// The contract's tie rule ("the first row whose value is within 1e-12 of the best") in
/// one pass: the row wanted is a strict prefix maximum of the values (every row before it
/// is below the threshold, so below it), so only those are kept, and of them only the ones
/// within the tolerance of the best so far (the final best is at least that). Typically one
/// or two entries.
#[derive(Debug, Clone, Default)]
struct Records(Vec<(f64, usize)>);

impl Records {
    /// Row `row` (after every row pushed so far) has value `v`.
    #[inline]
    fn push(&mut self, v: f64, row: usize) {
        if self.0.last().is_some_and(|&(best, _)| v <= best) {
            return;
        }
        self.0.push((v, row));
        self.prune();
    }

    fn prune(&mut self) {
        if let Some(&(best, _)) = self.0.last() {
            let from = self
                .0
                .iter()
                .position(|&(v, _)| v >= best - TIE_TOLERANCE)
                .unwrap_or(0);
            self.0.drain(..from);
        }
    }

    /// These records followed by those of a later run of rows.
    fn then(mut self, later: Records) -> Records {
        let top = self.0.last().map(|&(v, _)| v);
        self.0.extend(
            later
                .0
                .into_iter()
                .filter(|&(v, _)| top.is_none_or(|t| v > t)),
        );
        self.prune();
        self
    }

    /// The first row within the tolerance of the best, and its value.
    fn winner(&self) -> Option<(usize, f64)> {
        self.0.first().map(|&(v, k)| (k, v))
    }
}

/// What the first pass finds in a run of rows.
#[derive(Debug, Clone)]
struct First {
    /// Each party's largest utility.
    max: Vec<f64>,
    /// Rows every party accepts.
    zone: u64,
    nash: Records,
    egalitarian: Records,
    welfare: Records,
    /// Two parties: the largest second key per bucket of the first
    /// ([`pareto::bucket_top`]); empty otherwise.
    tops: Vec<i64>,
}

/// What the second pass finds in a run of rows.
#[derive(Debug, Clone, Default)]
struct Second {
    /// The best Kalai–Smorodinsky ratio.
    best: Option<f64>,
    /// `(ratio, row)` for the rows within the tolerance of `best`, in row order.
    tied: Vec<(f64, usize)>,
    /// Two parties: the rows the frontier's prefilter keeps, `(x, y, row)`.
    survivors: Vec<(i64, i64, usize)>,
}

/// The solutions [`super::Bargain::new`] reports outside the frontier.
#[derive(Debug, Clone)]
pub(super) struct Solutions {
    /// The Pareto frontier, when the two-party prefilter found it ([`super::pareto_frontier`]).
    pub frontier: Option<Vec<usize>>,
    pub zone_size: u64,
    pub nash: Option<Solution>,
    pub kalai_smorodinsky: Option<Solution>,
    pub egalitarian: Option<Solution>,
    pub max_welfare: Option<Solution>,
}

/// `f` over each chunk of rows (its first row, and the rows), in parallel, the results in
/// row order.
fn chunks<T: Send>(c: &Candidates, f: impl Fn(usize, &[f64]) -> T + Sync) -> Vec<T> {
    let (n, d) = (c.len(), c.parties());
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let (lo, hi) = (k * CHUNK, ((k + 1) * CHUNK).min(n));
            f(lo, &c.matrix()[lo * d..hi * d])
        })
        .collect()
}

/// Rows of `d` values in `m` (`n` rows when `d` is 0).
fn rows(m: &[f64], d: usize, n: usize) -> impl Iterator<Item = &[f64]> {
    (0..m.len().checked_div(d).unwrap_or(n)).map(move |k| &m[k * d..(k + 1) * d])
}

/// Nash, Kalai–Smorodinsky, egalitarian and maximum welfare with the contract's tie rules,
/// the zone size and, for two parties, the Pareto frontier when its prefilter leaves few
/// rows: equal to [`super::nash`], [`super::kalai_smorodinsky`], [`super::egalitarian`],
/// [`super::max_welfare`], [`super::zone_size`] and [`super::pareto_frontier`].
///
/// O(n · d) time in two passes; memory O(d) per chunk plus the rows tied on the
/// Kalai–Smorodinsky ratio (few, unless many rows tie) and the prefilter's survivors.
pub(super) fn solve(c: &Candidates) -> Solutions {
    let (n, d) = (c.len(), c.parties());
    let r = c.reservations();
    let len = |lo: usize| CHUNK.min(n - lo);
    let first = chunks(c, |lo, m| {
        let mut out = First {
            max: vec![f64::NEG_INFINITY; d],
            zone: 0,
            nash: Records::default(),
            egalitarian: Records::default(),
            welfare: Records::default(),
            tops: if d == 2 {
                vec![i64::MIN; pareto::X_BUCKETS]
            } else {
                Vec::new()
            },
        };
        for (k, u) in (lo..).zip(rows(m, d, len(lo))) {
            if d == 2 {
                pareto::bucket_top(&mut out.tops, u);
            }
            for (m, &x) in out.max.iter_mut().zip(u) {
                *m = m.max(x);
            }
            out.zone += u64::from(is_acceptable(u, r));
            if is_rational(u, r) {
                let product = u.iter().zip(r).fold(1.0, |acc, (&u, &r)| acc * (u - r));
                out.nash.push(product, k);
            }
            let g = u
                .iter()
                .zip(r)
                .map(|(&u, &r)| u - r)
                .fold(f64::INFINITY, f64::min);
            out.egalitarian.push(if g.is_finite() { g } else { 0.0 }, k);
            out.welfare.push(u.iter().sum(), k);
        }
        out
    })
    .into_iter()
    .reduce(|a, b| First {
        max: a.max.iter().zip(&b.max).map(|(&x, &y)| x.max(y)).collect(),
        zone: a.zone + b.zone,
        nash: a.nash.then(b.nash),
        egalitarian: a.egalitarian.then(b.egalitarian),
        welfare: a.welfare.then(b.welfare),
        tops: pareto::max_tops(a.tops, b.tops),
    });
    let Some(first) = first else {
        return Solutions {
            frontier: None,
            zone_size: 0,
            nash: None,
            kalai_smorodinsky: None,
            egalitarian: None,
            max_welfare: None,
        };
    };
    // Kalai–Smorodinsky, as `super::kalai_smorodinsky` computes it.
    let ratio = ks_ratio(&first.max, r);
    let above = pareto::above(&first.tops);
    let second = chunks(c, |lo, m| {
        let mut out = Second::default();
        // Entries kept after the last pruning: prune again once the list doubles.
        let mut kept = 0;
        for (k, u) in (lo..).zip(rows(m, d, len(lo))) {
            if d == 2
                && let Some((x, y)) = pareto::survives(&above, u)
            {
                out.survivors.push((x, y, k));
            }
            let Some(v) = ratio(u) else { continue };
            let best = out.best.map_or(v, |b| b.max(v));
            out.best = Some(best);
            if v >= best - TIE_TOLERANCE {
                out.tied.push((v, k));
            }
            if out.tied.len() >= 2 * kept.max(8) {
                out.tied.retain(|&(w, _)| w >= best - TIE_TOLERANCE);
                kept = out.tied.len();
            }
        }
        out
    });
    let frontier = (d == 2)
        .then(|| {
            let parts = second.iter().map(|s| s.survivors.clone()).collect();
            pareto::front2_of_survivors(parts, n)
        })
        .flatten();
    let best = second.iter().filter_map(|s| s.best).reduce(f64::max);
    let kalai_smorodinsky = best.and_then(|best| {
        let mut tied = Records::default();
        for &(v, k) in second.iter().flat_map(|s| &s.tied) {
            if v >= best - TIE_TOLERANCE {
                tied.push(c.utilities(k).iter().sum(), k);
            }
        }
        let (k, _) = tied.winner()?;
        let value = ratio(c.utilities(k)).unwrap_or(best);
        Some(Solution::at(c, k, value))
    });
    let pick = |rec: &Records| rec.winner().map(|(k, v)| Solution::at(c, k, v));
    Solutions {
        frontier,
        zone_size: first.zone,
        nash: pick(&first.nash),
        kalai_smorodinsky,
        egalitarian: pick(&first.egalitarian),
        max_welfare: pick(&first.welfare),
    }
}
