//! Exhaustive zone search: every state, stepped like an odometer, in parallel chunks.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::config::Deadline;
use crate::config::Limits;
use crate::error::Result;
use crate::space::{CompiledScenario, StateIndex};

/// States per parallel chunk: large enough to amortise setup, small enough to balance.
const CHUNK: u64 = 1 << 16;

/// Most chunks scanned in one parallel wave, so the per-chunk results stay small next to
/// the acceptable states.
const MAX_CHUNKS: u64 = 1 << 16;

/// What an exhaustive scan finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// States meeting every red line.
    pub candidates: u64,
    /// Acceptable states, in enumeration order.
    pub acceptable: Vec<StateIndex>,
}

/// Scan every state of the space.
///
/// Counting up through the packed states is an odometer over the issues, last issue
/// fastest. The space is walked as rows, one per assignment of every issue but the last:
/// per-party partial utilities are kept per issue prefix and red lines not reading the last
/// issue are sorted by the last issue they read, so a step that changes issues `i..`
/// recomputes only those prefixes and the rules that read them. Within a row, the last
/// issue's levels are a bit mask (when it has at most 64 levels): each red line reading it
/// is one lookup of a precomputed mask, and each party's acceptable levels follow from its
/// partial utility. Chunks of rows run in parallel (rayon) and are joined in order, so the
/// result is the same for any thread count.
///
/// # Arguments
/// `c`: the compiled scenario; `limits`: `max_acceptable` and `time_limit` apply.
///
/// # Returns
/// The candidate count and the acceptable states in enumeration order.
///
/// # Complexity
/// O(S / L · (R_last + P · L)) time for S states, L levels of the last issue, R_last red
/// lines reading it and P parties with a utility (amortised over the odometer; the P · L
/// term only for rows where a party's bound is undecided); memory O(acceptable + Σ mask
/// tables), each mask table at most [`crate::space::MAX_TABLE`] entries.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// let scan = dealzone::analysis::zone::brute_force(&c, &dealzone::Limits::default())?;
/// assert!(scan.candidates >= scan.acceptable.len() as u64);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn brute_force(c: &CompiledScenario, limits: &Limits) -> Result<Scan> {
    let size = c.space().size();
    let found = AtomicU64::new(0);
    let deadline = Deadline::new(limits.time_limit);
    // Each acceptable state is held once (8 bytes) and copied once when merged.
    let max_found = limits.max_acceptable.min(limits.memory_items(16));
    let check = |part: Scan| -> Result<Scan> {
        let total = found.fetch_add(part.acceptable.len() as u64, Ordering::Relaxed)
            + part.acceptable.len() as u64;
        if total > max_found {
            return Err(super::bnb::found_limit(limits));
        }
        Ok(part)
    };
    // Whole rows of the last issue per chunk when the row plan applies, else states.
    let planned = match RowPlan::new(c) {
        Some(rows) => Planned::Rows(rows),
        None => Planned::States(Plan::new(c)),
    };
    let (units, per_chunk) = match &planned {
        Planned::Rows(rows) => {
            let row_len = rows.radix as u64;
            (size / row_len, (CHUNK / row_len).max(1))
        }
        Planned::States(_) => (size, CHUNK),
    };
    let chunks = units.div_ceil(per_chunk);
    let mut out = Scan {
        candidates: 0,
        acceptable: Vec::new(),
    };
    // Waves of at most `MAX_CHUNKS` chunks keep the per-chunk results small, and chunks
    // of bounded size let the deadline be checked every few milliseconds.
    let mut first = 0;
    while first < chunks {
        let end = (first + MAX_CHUNKS).min(chunks);
        let parts: Vec<Scan> = (first..end)
            .into_par_iter()
            .map(|k| {
                deadline.check(limits)?;
                let (lo, hi) = (k * per_chunk, ((k + 1) * per_chunk).min(units));
                check(match &planned {
                    Planned::Rows(rows) => rows.scan(c, lo, hi),
                    Planned::States(plan) => plan.scan(c, lo, hi),
                })
            })
            .collect::<Result<_>>()?;
        for p in parts {
            out.candidates += p.candidates;
            out.acceptable.extend(p.acceptable);
        }
        first = end;
    }
    Ok(out)
}

/// The scan a space gets.
enum Planned {
    Rows(RowPlan),
    States(Plan),
}

/// The fast path: the space as rows, one per assignment of every issue but the last, each
/// row the last issue's levels (at most 64, one bit each).
///
/// Per row, every red line reading the last issue is one lookup in a table of level masks
/// indexed by its other issues; the other red lines and the parties' partial utilities
/// change only when the odometer over the other issues moves, and are updated for the
/// issues that moved. Each party's acceptable levels come from its partial utility plus
/// the last issue's contribution, added in issue order exactly as
/// [`crate::space::PartyUtility::utility`] does.
pub(crate) struct RowPlan {
    /// Level count of the last issue.
    pub(crate) radix: usize,
    /// Red lines that do not read the last issue, by the last issue they read (latest
    /// first), with that issue.
    prefix_rules: Vec<(usize, usize)>,
    /// Red lines reading the last issue.
    row_rules: Vec<RowRule>,
}

/// A red line reading the last issue, as level masks over its other issues.
struct RowRule {
    /// (issue, stride in `masks`) for each other issue read.
    vars: Vec<(usize, usize)>,
    /// Bit `l` of `masks[k]`: the red line holds with the last issue at level `l` and the
    /// other issues at the assignment whose index is `k`.
    masks: Vec<u64>,
}

impl RowPlan {
    /// The plan for `c`; `None` when the last issue has more than 64 levels or a red line's
    /// mask table would exceed [`crate::space::MAX_TABLE`] entries.
    pub(crate) fn new(c: &CompiledScenario) -> Option<RowPlan> {
        let space = c.space();
        let n = space.issues();
        let radix = *space.radices().last()? as usize;
        if radix > 64 {
            return None;
        }
        let last = n - 1;
        let mut prefix_rules = Vec::new();
        let mut row_rules = Vec::new();
        let mut levels = vec![0usize; n];
        for (k, r) in c.red_lines().iter().enumerate() {
            let issues = r.issues();
            if issues.last() != Some(&last) {
                // Constant rules read no issue: evaluate them once, as if they read issue 0.
                prefix_rules.push((k, issues.last().copied().unwrap_or(0)));
                continue;
            }
            let others = &issues[..issues.len() - 1];
            let mut vars = Vec::with_capacity(others.len());
            let mut table_size = 1usize;
            for &i in others.iter().rev() {
                vars.push((i, table_size));
                table_size = table_size.checked_mul(space.radices()[i] as usize)?;
            }
            vars.reverse();
            if table_size > crate::space::MAX_TABLE as usize {
                return None;
            }
            let mut masks = vec![0u64; table_size];
            for (k, mask) in masks.iter_mut().enumerate() {
                for &(i, stride) in &vars {
                    levels[i] = (k / stride) % space.radices()[i] as usize;
                }
                for l in 0..radix {
                    levels[last] = l;
                    if r.eval_levels(&levels) {
                        *mask |= 1 << l;
                    }
                }
            }
            row_rules.push(RowRule { vars, masks });
        }
        prefix_rules.sort_by_key(|&(_, i)| std::cmp::Reverse(i));
        Some(RowPlan {
            radix,
            prefix_rules,
            row_rules,
        })
    }

    /// Scan rows `start..end` (row `k` holds states `k · radix ..`).
    fn scan(&self, c: &CompiledScenario, start: u64, end: u64) -> Scan {
        let last = c.space().issues() - 1;
        let n = last + 1;
        let radix = self.radix;
        let utils = c.utilities();
        // Per party: the last issue's contributions, and their least and greatest.
        let tails: Vec<(Vec<f64>, f64, f64)> = utils
            .iter()
            .map(|u| {
                let t: Vec<f64> = (0..radix).map(|l| u.contrib(last, l)).collect();
                let lo = t.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (t, lo, hi)
            })
            .collect();
        let mut out = Scan {
            candidates: 0,
            acceptable: Vec::new(),
        };
        self.walk(c, start, end, |first, mut mask, psum| {
            out.candidates += u64::from(mask.count_ones());
            for (p, (u, (tail, lo, hi))) in utils.iter().zip(&tails).enumerate() {
                if mask == 0 {
                    break;
                }
                let base = psum[p * n + last];
                // Floating-point addition is monotone, so these bound every level.
                if u.accepts((base + lo).min(1.0)) {
                    continue;
                }
                if !u.accepts((base + hi).min(1.0)) {
                    mask = 0;
                    break;
                }
                let mut keep = 0u64;
                for (l, &t) in tail.iter().enumerate() {
                    keep |= u64::from(u.accepts((base + t).min(1.0))) << l;
                }
                mask &= keep;
            }
            while mask != 0 {
                out.acceptable
                    .push(first + u64::from(mask.trailing_zeros()));
                mask &= mask - 1;
            }
        });
        out
    }

    /// Walk rows `start..end` (row `k` holds states `k · radix ..`) and call
    /// `visit(first, mask, psum)` for each row holding a candidate (a state meeting every
    /// red line; reservations are not looked at): `first` is the row's first state, bit
    /// `l` of `mask` is set when state `first + l` is a candidate, and `psum[p · I + I − 1]`
    /// is party `p`'s utility summed over every issue but the last, in issue order, for I
    /// issues (so `min(1, psum[p · I + I − 1] + contrib_p(I − 1, l))` is bit for bit the
    /// utility [`crate::space::PartyUtility::utility`] gives state `first + l`).
    pub(crate) fn walk(
        &self,
        c: &CompiledScenario,
        start: u64,
        end: u64,
        mut visit: impl FnMut(StateIndex, u64, &[f64]),
    ) {
        if start >= end {
            return;
        }
        let space = c.space();
        let n = space.issues();
        let last = n - 1;
        let radix = self.radix;
        let radices: Vec<usize> = space.radices().iter().map(|&r| r as usize).collect();
        let utils = c.utilities();
        let mut digits = space.decode(start * radix as u64);
        // psum[p * n + d]: party p's utility over issues 0..d, for d <= last.
        let mut psum = vec![0.0f64; utils.len() * n];
        let prefix_sums = |from: usize, digits: &[usize], psum: &mut [f64]| {
            prefix_sums(utils, n, last, from, digits, psum);
        };
        prefix_sums(0, &digits, &mut psum);
        let all: u64 = if radix == 64 {
            u64::MAX
        } else {
            (1u64 << radix) - 1
        };
        let rules = c.red_lines();
        let mut ok: Vec<bool> = self
            .prefix_rules
            .iter()
            .map(|&(r, _)| rules[r].eval_levels(&digits))
            .collect();
        let mut failing = ok.iter().filter(|&&b| !b).count();
        let mut row = start;
        loop {
            if failing == 0 {
                let mut mask = all;
                for rule in &self.row_rules {
                    let k: usize = rule.vars.iter().map(|&(i, s)| digits[i] * s).sum();
                    mask &= rule.masks[k];
                }
                if mask != 0 {
                    visit(row * radix as u64, mask, &psum);
                }
            }
            row += 1;
            if row >= end {
                return;
            }
            // Step the odometer over the issues before the last; `i` is the first that
            // changed.
            let i = step(&mut digits[..last], &radices);
            prefix_sums(i, &digits, &mut psum);
            for (k, &(r, at)) in self.prefix_rules.iter().enumerate() {
                if at < i {
                    break;
                }
                let now = rules[r].eval_levels(&digits);
                if now != ok[k] {
                    ok[k] = now;
                    if now {
                        failing -= 1;
                    } else {
                        failing += 1;
                    }
                }
            }
        }
    }
}

/// The general path (a last issue of more than 64 levels): rules ordered by the last issue
/// they read, so that "rules reading any issue >= i" is a prefix.
struct Plan {
    order: Vec<usize>,
    last_issue: Vec<usize>,
}

impl Plan {
    fn new(c: &CompiledScenario) -> Plan {
        let last = |r: usize| c.red_lines()[r].issues().last().copied();
        let mut order: Vec<usize> = (0..c.red_lines().len()).collect();
        // Constant rules read no issue: evaluate them once, as if they read issue 0.
        order.sort_by_key(|&r| std::cmp::Reverse(last(r).unwrap_or(0)));
        let last_issue = order.iter().map(|&r| last(r).unwrap_or(0)).collect();
        Plan { order, last_issue }
    }

    fn scan(&self, c: &CompiledScenario, start: StateIndex, end: StateIndex) -> Scan {
        let space = c.space();
        let n = space.issues();
        let radices: Vec<usize> = space.radices().iter().map(|&r| r as usize).collect();
        let utils = c.utilities();
        let mut digits = space.decode(start);
        // psum[p * (n + 1) + d]: party p's utility over issues 0..d.
        let stride = n + 1;
        let mut psum = vec![0.0f64; utils.len() * stride];
        let mut ok = vec![true; self.order.len()];
        let prefix_sums = |from: usize, digits: &[usize], psum: &mut [f64]| {
            prefix_sums(utils, stride, n, from, digits, psum);
        };
        prefix_sums(0, &digits, &mut psum);
        let mut failing = 0usize;
        for (k, &r) in self.order.iter().enumerate() {
            ok[k] = c.red_lines()[r].eval_levels(&digits);
            failing += usize::from(!ok[k]);
        }
        let mut out = Scan {
            candidates: 0,
            acceptable: Vec::new(),
        };
        let mut s = start;
        loop {
            if failing == 0 {
                out.candidates += 1;
                if utils
                    .iter()
                    .enumerate()
                    .all(|(p, u)| u.accepts(psum[p * stride + n].min(1.0)))
                {
                    out.acceptable.push(s);
                }
            }
            s += 1;
            if s >= end {
                return out;
            }
            // Step the odometer; `i` is the first issue that changed.
            let i = step(&mut digits[..n], &radices);
            prefix_sums(i, &digits, &mut psum);
            for (k, &r) in self.order.iter().enumerate() {
                if self.last_issue[k] < i {
                    break;
                }
                let now = c.red_lines()[r].eval_levels(&digits);
                if now != ok[k] {
                    ok[k] = now;
                    if now {
                        failing -= 1;
                    } else {
                        failing += 1;
                    }
                }
            }
        }
    }
}

/// Advance an odometer over `digits` (last digit fastest); returns the first digit that
/// changed. The caller stops before the odometer wraps.
#[inline]
fn step(digits: &mut [usize], radices: &[usize]) -> usize {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] += 1;
        if digits[i] < radices[i] {
            return i;
        }
        digits[i] = 0;
    }
}

/// Each party's running utility sums: `psum[p * stride + d + 1] = psum[p * stride + d] +
/// contrib_p(d, digits[d])` for `d` in `from..end`, so a step of the odometer re-sums only
/// the issues that changed.
#[inline]
fn prefix_sums(
    utils: &[crate::space::PartyUtility],
    stride: usize,
    end: usize,
    from: usize,
    digits: &[usize],
    psum: &mut [f64],
) {
    for (p, u) in utils.iter().enumerate() {
        let row = &mut psum[p * stride..(p + 1) * stride];
        for d in from..end {
            row[d + 1] = row[d] + u.contrib(d, digits[d]);
        }
    }
}
