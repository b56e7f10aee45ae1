//! How robust a finding is to the preferences: perturb every party's weights, values and
//! reservation and see how often the zone exists and the Nash deal stays put.
//!
//! Red lines come from sources; weights, values and reservations are judgement. A sweep
//! draws `samples` perturbed preference sets from `rand_chacha::ChaCha8Rng::seed_from_u64(seed)`
//! (the same seed gives the same figures on every platform): each weight of an issue the
//! party cares about, each value and the reservation move by a uniform amount in
//! `[−spread, +spread]`; weights are clipped at 0 and renormalised to sum to 1, values and
//! reservations clipped to [0, 1]. The candidates do not change (red lines are not
//! perturbed), so each sample only re-scores them.
//!
//! ```
//! use dealzone::{Limits, Scenario, analysis::sensitivity::sweep, space::CompiledScenario};
//! use dealzone::analysis::bargain::Candidates;
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let c = CompiledScenario::new(&s, &Limits::default())?;
//! let cands = Candidates::from_compiled(&c, &Limits::default())?;
//! let r = sweep(&s, &c, cands.states(), 100, 0.1, 7);
//! assert_eq!(r.samples, 100);
//! assert!(r.zone_exists <= 100 && r.nash_same <= r.zone_exists.max(r.nash_same));
//! # Ok::<(), dealzone::Error>(())
//! ```

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use rayon::prelude::*;

use super::bargain::{Candidates, TIE_TOLERANCE, is_acceptable, is_rational, nash};
use crate::model::Scenario;
use crate::space::{CompiledScenario, RESERVATION_TOLERANCE, StateIndex};

/// The outcome of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Robustness {
    /// Samples drawn.
    pub samples: usize,
    /// Samples in which some candidate is acceptable (a zone exists).
    pub zone_exists: usize,
    /// Samples whose Nash deal is the unperturbed one (both absent counts as the same).
    pub nash_same: usize,
    /// Whether every sample asked for was drawn: false when the time limit stopped the
    /// sweep, and `samples` is then the number drawn (the first ones of the seeded
    /// stream, so the counts are those of a shorter sweep with the same seed).
    pub complete: bool,
}

impl Robustness {
    /// `zone_exists / samples`.
    pub fn zone_rate(&self) -> f64 {
        self.zone_exists as f64 / self.samples.max(1) as f64
    }

    /// `nash_same / samples`.
    pub fn nash_rate(&self) -> f64 {
        self.nash_same as f64 / self.samples.max(1) as f64
    }

    /// The sweep whose consecutive shards (in sample order) are `parts`
    /// ([`sweep_range`]): their counts added, up to and including the first shard cut short
    /// by its time limit (the samples after it are not a prefix of the seeded stream).
    ///
    /// # Complexity
    /// O(parts).
    pub fn merge(parts: &[Robustness]) -> Robustness {
        let mut out = Robustness {
            samples: 0,
            zone_exists: 0,
            nash_same: 0,
            complete: true,
        };
        for p in parts {
            out.samples += p.samples;
            out.zone_exists += p.zone_exists;
            out.nash_same += p.nash_same;
            if !p.complete {
                out.complete = false;
                break;
            }
        }
        out
    }
}

/// Perturb preferences `samples` times and re-score the candidates `states`.
///
/// # Arguments
/// `s` and its compiled form `c` (whose parties with a utility are the ones perturbed);
/// `states`: the candidates, in enumeration order; `spread`: the largest perturbation;
/// `seed`: the master seed.
///
/// # Returns
/// How often a zone exists and how often the Nash deal equals the unperturbed one.
///
/// # Complexity
/// O(samples · (I · L · P + |states| · P · c)) where c is the mean number of issues from
/// the first one that changes between consecutive candidates (1 to 2 on dense candidate
/// sets); samples are scored in parallel blocks of 16.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::sensitivity::sweep;
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let candidates: Vec<u64> = (0..c.space().size()).filter(|&k| c.is_candidate(&c.space().decode(k))).collect();
/// let r = sweep(&s, &c, &candidates, 50, 0.1, 7);
/// assert_eq!(r.samples, 50);
/// assert!(r.zone_exists <= 50 && r.nash_same <= 50);
/// // Seeded: the same call gives the same counts.
/// assert_eq!(sweep(&s, &c, &candidates, 50, 0.1, 7).nash_same, r.nash_same);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn sweep(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    samples: usize,
    spread: f64,
    seed: u64,
) -> Robustness {
    sweep_until(s, c, states, 0..samples, spread, seed, None)
}

/// [`sweep`] within [`crate::Limits::max_samples`] and [`crate::Limits::time_limit`].
///
/// # Arguments
/// As [`sweep`], and the limits.
///
/// # Returns
/// As [`sweep`]; when the time limit runs out first, the counts over the samples drawn
/// so far with `complete: false`. Memory does not grow with `samples`: each sample is
/// scored and dropped.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] (`max_samples`) when `samples` exceeds the limit.
///
/// # Complexity
/// As [`sweep`].
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::sensitivity::{sweep, sweep_within};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let candidates: Vec<u64> = (0..c.space().size()).filter(|&k| c.is_candidate(&c.space().decode(k))).collect();
/// let r = sweep_within(&s, &c, &candidates, 40, 0.1, 7, &Limits::default())?;
/// assert_eq!(r, sweep(&s, &c, &candidates, 40, 0.1, 7));
/// let few = Limits { max_samples: 10, ..Limits::default() };
/// assert!(sweep_within(&s, &c, &candidates, 40, 0.1, 7, &few).is_err());
/// # Ok::<(), dealzone::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn sweep_within(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    samples: usize,
    spread: f64,
    seed: u64,
    limits: &crate::config::Limits,
) -> crate::error::Result<Robustness> {
    check_samples(samples, limits)?;
    let deadline = limits.time_limit.map(|d| std::time::Instant::now() + d);
    Ok(sweep_until(
        s,
        c,
        states,
        0..samples,
        spread,
        seed,
        deadline,
    ))
}

/// Samples `range` of the sweep [`sweep_within`] would draw: a shard of it. Each sample
/// is the same as in the whole sweep (the seeded stream is drawn from its start, the
/// samples before `range` drawn and dropped, which costs no scoring), and the counts are
/// integers, so the counts of the shards of a sweep add up ([`Robustness::merge`]) to
/// the whole sweep's.
///
/// # Arguments
/// As [`sweep_within`], with the sample numbers `range` in place of the number of samples.
///
/// # Returns
/// The counts over the samples of `range` drawn: `samples` is their number (`range.len()`,
/// or fewer with `complete: false` when the time limit ran out).
///
/// # Errors
/// [`crate::Error::LimitExceeded`] (`max_samples`) when `range.end` exceeds the limit.
///
/// # Complexity
/// As [`sweep`] over `range.len()` samples, plus drawing (not scoring) the
/// `range.start` samples before it.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::sensitivity::{Robustness, sweep, sweep_range};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let candidates: Vec<u64> = (0..c.space().size()).filter(|&k| c.is_candidate(&c.space().decode(k))).collect();
/// let l = Limits::default();
/// let parts = [
///     sweep_range(&s, &c, &candidates, 0..13, 0.1, 7, &l)?,
///     sweep_range(&s, &c, &candidates, 13..40, 0.1, 7, &l)?,
/// ];
/// assert_eq!(Robustness::merge(&parts), sweep(&s, &c, &candidates, 40, 0.1, 7));
/// # Ok::<(), dealzone::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn sweep_range(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    range: std::ops::Range<usize>,
    spread: f64,
    seed: u64,
    limits: &crate::config::Limits,
) -> crate::error::Result<Robustness> {
    check_samples(range.end, limits)?;
    let deadline = limits.time_limit.map(|d| std::time::Instant::now() + d);
    Ok(sweep_until(s, c, states, range, spread, seed, deadline))
}

/// The plain twin of [`sweep`], kept for tests: every sample builds the [`Candidates`]
/// anew (each utility summed from scratch) and calls [`nash`] on them.
///
/// # Arguments
/// As [`sweep`].
///
/// # Returns
/// The same [`Robustness`] as [`sweep`], to the count.
///
/// # Complexity
/// O(samples · (I · L · P + |states| · I · P)), with an allocation of the utility matrix
/// per sample; [`sweep`] re-scores a row in the issues that changed since the previous row.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::sensitivity::{sweep, sweep_reference};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let candidates: Vec<u64> = (0..c.space().size()).filter(|&k| c.is_candidate(&c.space().decode(k))).collect();
/// assert_eq!(sweep_reference(&s, &c, &candidates, 30, 0.1, 3), sweep(&s, &c, &candidates, 30, 0.1, 3));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn sweep_reference(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    samples: usize,
    spread: f64,
    seed: u64,
) -> Robustness {
    sweep_plain(s, c, states, 0..samples, spread, seed, None)
}

/// An error unless `samples` is within [`crate::Limits::max_samples`].
///
/// # Errors
/// [`crate::Error::LimitExceeded`] naming `max_samples`.
pub(crate) fn check_samples(
    samples: usize,
    limits: &crate::config::Limits,
) -> crate::error::Result<()> {
    if samples as u64 > limits.max_samples {
        return Err(crate::error::Error::LimitExceeded {
            limit: crate::config::Limit::MaxSamples,
            value: limits.max_samples,
        });
    }
    Ok(())
}

/// Samples drawn in sequence between two looks at the clock; each block is scored in
/// parallel (the counts are integers, so the sum does not depend on the thread count).
const BLOCK: usize = 16;

#[allow(clippy::too_many_arguments)]
fn sweep_until(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    range: std::ops::Range<usize>,
    spread: f64,
    seed: u64,
    deadline: Option<std::time::Instant>,
) -> Robustness {
    // Without a utility there is nothing to re-score: the plain path handles that edge.
    if c.utilities().is_empty() {
        return sweep_plain(s, c, states, range, spread, seed, deadline);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = Rows::new(c, states);
    let base_nash = rows.score_base(&contribs(s, c), &reservations(c));
    // The samples before the range: drawn (so the stream is where the whole sweep has
    // it) but not scored.
    for _ in 0..range.start.min(range.end) {
        perturbed(s, c, spread, &mut rng);
    }
    let samples = range.end;
    let mut out = Robustness {
        samples: range.len(),
        zone_exists: 0,
        nash_same: 0,
        complete: true,
    };
    let mut k = range.start;
    while k < samples {
        if deadline.is_some_and(|t| std::time::Instant::now() > t) {
            out.samples = k - range.start;
            out.complete = false;
            break;
        }
        // Drawn in sequence, so sample `k` is the same whatever the thread count.
        let block: Vec<(Contribs, Vec<f64>)> = (k..samples.min(k + BLOCK))
            .map(|_| perturbed(s, c, spread, &mut rng))
            .collect();
        let (exists, same) = block
            .par_iter()
            .map(|(contrib, res)| {
                let (exists, n) = rows.score(contrib, res);
                (usize::from(exists), usize::from(n == base_nash))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        out.zone_exists += exists;
        out.nash_same += same;
        k += block.len();
    }
    out
}

/// The candidates decoded once for every sample: their levels, row by row, per row the
/// first issue whose level differs from the previous row's, and the rows as a prefix tree.
struct Rows<'a> {
    states: &'a [StateIndex],
    issues: usize,
    levels: Vec<u32>,
    changed: Vec<u32>,
    /// Pre-order prefix tree over the rows (see [`Node`]).
    trie: Vec<Node>,
    /// The unperturbed Nash deal's row, once found ([`Rows::score_base`]): scored first
    /// in every sample, it gives the pruned walk a good Nash product to beat at once.
    hint: Option<usize>,
}

/// A node of [`Rows::trie`]: the rows whose issues `0..=depth` have the levels on the way
/// from the root; issue `depth` has level `level`. A node of depth `issues − 1` is one row.
#[derive(Clone, Copy)]
struct Node {
    depth: u32,
    level: u32,
    /// First row under the node.
    row: u32,
    /// Index of the node after this subtree.
    skip: u32,
}

/// Slack on the bounds of the pruned scan: utilities are sums of at most a few dozen
/// terms of size ≤ 1, whose rounding is far below it, so a bound never cuts a row that
/// the exact scan would keep.
const BOUND_SLACK: f64 = 1e-9;

impl<'a> Rows<'a> {
    fn new(c: &CompiledScenario, states: &'a [StateIndex]) -> Rows<'a> {
        let n = c.space().issues();
        let mut levels = vec![0u32; states.len() * n];
        let mut changed = vec![0u32; states.len()];
        let mut buf = vec![0usize; n];
        let radices = c.space().radices();
        for (k, &st) in states.iter().enumerate() {
            // Candidates come ascending and close together: the levels of a row are the
            // previous row's plus the gap, carried from the last issue (a division only
            // where a carry passes), not a division per issue.
            match k.checked_sub(1).map(|p| states[p]) {
                Some(prev) if prev <= st => advance(&mut buf, radices, st - prev),
                _ => c.space().decode_into(st, &mut buf),
            }
            let row = &mut levels[k * n..(k + 1) * n];
            for (x, &l) in row.iter_mut().zip(&buf) {
                *x = l as u32;
            }
            if k > 0 {
                let prev = &levels[(k - 1) * n..k * n];
                let row = &levels[k * n..(k + 1) * n];
                changed[k] = prev.iter().zip(row).position(|(a, b)| a != b).unwrap_or(n) as u32;
            }
        }
        let trie = if n == 0 || states.len() >= u32::MAX as usize {
            Vec::new()
        } else {
            let mut trie = Vec::with_capacity(states.len() * 2);
            build_trie(&levels, n, 0, states.len(), 0, &mut trie);
            trie
        };
        Rows {
            states,
            issues: n,
            levels,
            changed,
            trie,
            hint: None,
        }
    }

    /// [`Rows::score`] on the unperturbed preferences: the Nash state, whose row every
    /// later call scores first.
    fn score_base(&mut self, contrib: &Contribs, res: &[f64]) -> Option<StateIndex> {
        let nash = self.score(contrib, res).1;
        self.hint = nash.and_then(|st| self.states.iter().position(|&x| x == st));
        nash
    }

    /// [`Rows::score_linear`]'s answer, found by walking the prefix tree and skipping every
    /// subtree whose utilities' upper bounds show that no row in it is acceptable nor, once
    /// a row is acceptable, rational with a Nash product within reach of the best so far.
    /// Rows visited are summed by the same additions in the same order, so every product
    /// is the same to the bit; a skipped row could never be the first within
    /// [`TIE_TOLERANCE`] of the best. The hinted row ([`Rows::score_base`]) is scored
    /// before the walk: it is one of the rows, so its product is a floor of the best and
    /// a subtree whose bound falls short of it by more than the tolerance holds no row
    /// within the tolerance of the best. Falls back to the linear scan when a
    /// contribution or reservation is not finite (the linear scan's own edge rules then
    /// apply).
    fn score(&self, contrib: &Contribs, res: &[f64]) -> (bool, Option<StateIndex>) {
        let finite = res.iter().all(|r| r.is_finite())
            && contrib
                .iter()
                .all(|p| p.iter().all(|lv| lv.iter().all(|x| x.is_finite())));
        if self.trie.is_empty() || !finite {
            return self.score_linear(contrib, res);
        }
        let n = self.issues;
        let parties = contrib.len();
        let stride = n + 1;
        // suffix[q][d]: the most party q can still gain from issues d.. on.
        let mut suffix = vec![0.0f64; parties * stride];
        for (q, party) in contrib.iter().enumerate() {
            for d in (0..n).rev() {
                let top = party[d].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                suffix[q * stride + d] = suffix[q * stride + d + 1] + top.max(0.0);
            }
        }
        let mut psum = vec![0.0f64; parties * stride];
        let mut u = vec![0.0f64; parties];
        // The rational rows visited, in row order, with their Nash products.
        let mut products: Vec<(u32, f64)> = Vec::new();
        let mut best: Option<f64> = None;
        let mut exists = false;
        if let Some(h) = self.hint {
            // Summed as the walk sums it (issue order from 0, capped at 1): the same bits.
            let row = &self.levels[h * n..(h + 1) * n];
            for (x, party) in u.iter_mut().zip(contrib) {
                let mut sum = 0.0f64;
                for (d, &l) in row.iter().enumerate() {
                    sum += party[d][l as usize];
                }
                *x = sum.min(1.0);
            }
            exists = is_acceptable(&u, res);
            if is_rational(&u, res) {
                best = Some(u.iter().zip(res).fold(1.0, |acc, (&u, &r)| acc * (u - r)));
            }
        }
        let mut k = 0;
        while k < self.trie.len() {
            let node = self.trie[k];
            let d = node.depth as usize;
            for (q, party) in contrib.iter().enumerate() {
                let sums = &mut psum[q * stride..(q + 1) * stride];
                sums[d + 1] = sums[d] + party[d][node.level as usize];
            }
            if d + 1 < n {
                // Upper bounds of every row below: the sum so far plus the most to gain.
                let mut cut = false;
                let mut rational = true;
                let mut bound = 1.0;
                for q in 0..parties {
                    let ub = psum[q * stride + d + 1] + suffix[q * stride + d + 1] + BOUND_SLACK;
                    let r = res[q];
                    if ub < r - RESERVATION_TOLERANCE {
                        cut = true;
                        break;
                    }
                    if ub <= r + RESERVATION_TOLERANCE {
                        rational = false;
                    }
                    bound *= (ub.min(1.0 + BOUND_SLACK) - r).max(0.0);
                }
                if !cut && exists {
                    cut =
                        !rational || best.is_some_and(|b| bound + BOUND_SLACK < b - TIE_TOLERANCE);
                }
                k = if cut { node.skip as usize } else { k + 1 };
                continue;
            }
            let row = node.row as usize;
            for (q, x) in u.iter_mut().enumerate() {
                *x = psum[q * stride + n].min(1.0);
            }
            exists |= is_acceptable(&u, res);
            if is_rational(&u, res) {
                let v = u.iter().zip(res).fold(1.0, |acc, (&u, &r)| acc * (u - r));
                products.push((row as u32, v));
                best = Some(best.map_or(v, |b: f64| b.max(v)));
            }
            k += 1;
        }
        let nash = best.and_then(|b| {
            products
                .iter()
                .find(|&&(_, v)| v >= b - TIE_TOLERANCE)
                .map(|&(k, _)| self.states[k as usize])
        });
        (exists, nash)
    }

    /// Re-score every row with `contrib` and `res`: whether some row is acceptable, and
    /// the Nash state, exactly as building [`Candidates`] and calling [`nash`] would give.
    ///
    /// Utilities are summed in issue order from 0 and capped at 1, as
    /// [`crate::space::PartyUtility::utility`] does; consecutive rows share the partial sums
    /// of the issues before the first one that changed, so a row costs the issues from
    /// there on (the same additions in the same order: the same bits).
    fn score_linear(&self, contrib: &Contribs, res: &[f64]) -> (bool, Option<StateIndex>) {
        let n = self.issues;
        let parties = contrib.len();
        let stride = n + 1;
        let mut psum = vec![0.0f64; parties * stride];
        let mut u = vec![0.0f64; parties];
        // Nash products per row (NaN: not rational), for the first-within-tolerance pass.
        let mut product = vec![f64::NAN; self.states.len()];
        let mut best: Option<f64> = None;
        let mut exists = false;
        let mut finite = res.iter().all(|r| r.is_finite());
        for (k, p) in product.iter_mut().enumerate() {
            let row = &self.levels[k * n..(k + 1) * n];
            let from = self.changed[k] as usize;
            for (q, party) in contrib.iter().enumerate() {
                let sums = &mut psum[q * stride..(q + 1) * stride];
                for d in from..n {
                    sums[d + 1] = sums[d] + party[d][row[d] as usize];
                }
                u[q] = sums[n].min(1.0);
            }
            finite &= u.iter().all(|x| x.is_finite());
            exists |= is_acceptable(&u, res);
            if is_rational(&u, res) {
                let v = u.iter().zip(res).fold(1.0, |acc, (&u, &r)| acc * (u - r));
                *p = v;
                best = Some(best.map_or(v, |b: f64| b.max(v)));
            }
        }
        // A non-finite utility makes the candidates invalid: no zone, no Nash deal.
        if !finite {
            return (false, None);
        }
        let nash = best.and_then(|b| {
            product
                .iter()
                .position(|&v| !v.is_nan() && v >= b - TIE_TOLERANCE)
                .map(|k| self.states[k])
        });
        (exists, nash)
    }
}

/// The plain re-scoring: build the candidates anew for every sample and call [`nash`].
/// Per sample the sweep `sweep(s, c, states, samples, spread, seed)` draws: whether a zone
/// exists then, and the Nash deal's state; re-scored as the sweep does (the pruned walk of
/// the candidates' prefix tree). Its twin is [`sample_findings_reference`]; the tests tie
/// the two sample by sample.
///
/// # Complexity
/// O(samples · N · P) for N candidate states and P parties at worst; subtrees that cannot
/// hold an acceptable row (or, once one is found, a better Nash product) are skipped.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario, analysis::bargain::Candidates};
/// use dealzone::analysis::sensitivity::{sample_findings, sample_findings_reference};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let cands = Candidates::from_compiled(&c, &Limits::default())?;
/// let fast = sample_findings(&s, &c, cands.states(), 20, 0.1, 3);
/// assert_eq!(fast, sample_findings_reference(&s, &c, cands.states(), 20, 0.1, 3));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn sample_findings(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    samples: usize,
    spread: f64,
    seed: u64,
) -> Vec<(bool, Option<StateIndex>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = Rows::new(c, states);
    if !c.utilities().is_empty() {
        rows.score_base(&contribs(s, c), &reservations(c));
    }
    (0..samples)
        .map(|_| {
            let (contrib, res) = perturbed(s, c, spread, &mut rng);
            if c.utilities().is_empty() {
                return plain_findings(c, states, &contrib, &res);
            }
            rows.score(&contrib, &res)
        })
        .collect()
}

/// [`sample_findings`] by re-scoring every sample from scratch through [`Candidates`]
/// and [`nash`]: the brute-force twin.
///
/// # Complexity
/// O(samples · N · (I + P)) for N candidate states, I issues and P parties.
pub fn sample_findings_reference(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    samples: usize,
    spread: f64,
    seed: u64,
) -> Vec<(bool, Option<StateIndex>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..samples)
        .map(|_| {
            let (contrib, res) = perturbed(s, c, spread, &mut rng);
            plain_findings(c, states, &contrib, &res)
        })
        .collect()
}

/// Whether a zone exists and the Nash state, re-scored from scratch (as [`sweep_plain`]).
fn plain_findings(
    c: &CompiledScenario,
    states: &[StateIndex],
    contrib: &Contribs,
    res: &[f64],
) -> (bool, Option<StateIndex>) {
    let cands = score(c, states, contrib, res);
    let exists = cands.as_ref().is_some_and(|cs| {
        cs.rows().any(|row| {
            row.iter()
                .zip(cs.reservations())
                .all(|(u, r)| *u >= r - RESERVATION_TOLERANCE)
        })
    });
    (exists, cands.as_ref().and_then(nash).map(|n| n.state))
}

/// Add `delta` to the mixed-radix number `levels` (the last issue least significant).
/// `levels` must stay within the space: the caller adds the gap to a later state.
#[inline]
fn advance(levels: &mut [usize], radices: &[u64], mut delta: u64) {
    for (l, &r) in levels.iter_mut().zip(radices).rev() {
        if delta == 0 {
            return;
        }
        let x = *l as u64 + delta;
        if x < r {
            *l = x as usize;
            return;
        }
        *l = (x % r) as usize;
        delta = x / r;
    }
}

/// Append the pre-order prefix tree of rows `a..b` (which agree on issues `0..depth`)
/// to `out`: one node per run of rows with the same level of issue `depth`.
fn build_trie(levels: &[u32], n: usize, a: usize, b: usize, depth: usize, out: &mut Vec<Node>) {
    let mut r = a;
    while r < b {
        let level = levels[r * n + depth];
        let mut e = r + 1;
        while e < b && levels[e * n + depth] == level {
            e += 1;
        }
        let at = out.len();
        out.push(Node {
            depth: depth as u32,
            level,
            row: r as u32,
            skip: 0,
        });
        if depth + 1 < n {
            build_trie(levels, n, r, e, depth + 1, out);
        } else {
            // Distinct states: a full prefix is one row (a repeated state stays its own leaf).
            for extra in r + 1..e {
                out.push(Node {
                    depth: depth as u32,
                    level,
                    row: extra as u32,
                    skip: 0,
                });
                let len = out.len();
                out[len - 1].skip = len as u32;
            }
        }
        out[at].skip = out.len() as u32;
        r = e;
    }
}

#[allow(clippy::too_many_arguments)]
fn sweep_plain(
    s: &Scenario,
    c: &CompiledScenario,
    states: &[StateIndex],
    range: std::ops::Range<usize>,
    spread: f64,
    seed: u64,
    deadline: Option<std::time::Instant>,
) -> Robustness {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let base = score(c, states, &contribs(s, c), &reservations(c));
    let base_nash = base.as_ref().and_then(nash).map(|n| n.state);
    for _ in 0..range.start.min(range.end) {
        perturbed(s, c, spread, &mut rng);
    }
    let mut out = Robustness {
        samples: range.len(),
        zone_exists: 0,
        nash_same: 0,
        complete: true,
    };
    for k in range.clone() {
        if (k - range.start).is_multiple_of(16)
            && deadline.is_some_and(|t| std::time::Instant::now() > t)
        {
            out.samples = k - range.start;
            out.complete = false;
            break;
        }
        let (contrib, res) = perturbed(s, c, spread, &mut rng);
        let cands = score(c, states, &contrib, &res);
        let exists = cands.as_ref().is_some_and(|cs| {
            cs.rows().any(|row| {
                row.iter()
                    .zip(cs.reservations())
                    .all(|(u, r)| *u >= r - RESERVATION_TOLERANCE)
            })
        });
        out.zone_exists += usize::from(exists);
        let n = cands.as_ref().and_then(nash).map(|n| n.state);
        out.nash_same += usize::from(n == base_nash);
    }
    out
}

/// Per party with a utility, per issue, per level: weight × value.
type Contribs = Vec<Vec<Vec<f64>>>;

fn contribs(s: &Scenario, c: &CompiledScenario) -> Contribs {
    c.utilities()
        .iter()
        .map(|u| {
            s.issues()
                .iter()
                .enumerate()
                .map(|(i, issue)| (0..issue.levels().len()).map(|l| u.contrib(i, l)).collect())
                .collect()
        })
        .collect()
}

fn reservations(c: &CompiledScenario) -> Vec<f64> {
    c.utilities().iter().map(|u| u.reservation()).collect()
}

fn perturbed(
    s: &Scenario,
    c: &CompiledScenario,
    spread: f64,
    rng: &mut ChaCha8Rng,
) -> (Contribs, Vec<f64>) {
    let mut jitter = |x: f64| x + rng.random_range(-spread..=spread);
    let mut contrib = Vec::new();
    let mut res = Vec::new();
    for u in c.utilities() {
        let prefs = s.parties()[u.party()].preferences();
        let Some(prefs) = prefs else {
            contrib.push(Vec::new());
            res.push(0.0);
            continue;
        };
        // Only issues the party weighs are perturbed: a zero weight is a stated indifference.
        let mut w: Vec<f64> = prefs
            .weights()
            .iter()
            .map(|&w| if w > 0.0 { jitter(w).max(0.0) } else { 0.0 })
            .collect();
        let total: f64 = w.iter().sum();
        if total > 0.0 {
            w.iter_mut().for_each(|x| *x /= total);
        } else {
            w = prefs.weights().to_vec();
        }
        let per_issue = prefs
            .values()
            .iter()
            .zip(&w)
            .zip(s.issues())
            .map(|((vals, &wi), issue)| {
                (0..issue.levels().len())
                    .map(|l| vals.get(l).map_or(0.0, |&v| wi * jitter(v).clamp(0.0, 1.0)))
                    .collect()
            })
            .collect();
        contrib.push(per_issue);
        res.push(jitter(prefs.reservation()).clamp(0.0, 1.0));
    }
    (contrib, res)
}

/// The candidates re-scored with `contrib` (summed in issue order, capped at 1).
fn score(
    c: &CompiledScenario,
    states: &[StateIndex],
    contrib: &Contribs,
    res: &[f64],
) -> Option<Candidates> {
    let mut levels = vec![0; c.space().issues()];
    let mut utilities = Vec::with_capacity(states.len() * contrib.len());
    for &st in states {
        c.space().decode_into(st, &mut levels);
        for party in contrib {
            let mut u = 0.0;
            for (i, &l) in levels.iter().enumerate() {
                u += party[i][l];
            }
            utilities.push(u.min(1.0));
        }
    }
    Candidates::new(states.to_vec(), utilities, res.to_vec()).ok()
}
