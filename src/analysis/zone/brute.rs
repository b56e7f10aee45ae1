//! Exhaustive zone search: every state, stepped like an odometer, in parallel chunks.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::config::Deadline;
use crate::space::{CompiledScenario, StateIndex};
use crate::{Error, Limits, Result};

/// States per parallel chunk: large enough to amortise setup, small enough to balance.
const CHUNK: u64 = 1 << 16;

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
/// fastest. Per-party partial utilities are kept per issue prefix and red lines are sorted
/// by the last issue they read, so a step that changes issues `i..` recomputes only those
/// prefixes and the rules that read them. Chunks run in parallel (rayon) and are joined in
/// order, so the result is the same for any thread count.
///
/// # Arguments
/// `c`: the compiled scenario; `limits`: `max_acceptable` and `time_limit` apply.
///
/// # Returns
/// The candidate count and the acceptable states in enumeration order.
///
/// # Complexity
/// O(S · (P + R_last)) time for S states, P parties with a utility and R_last red lines
/// reading the last issue (amortised); memory O(acceptable).
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
    let chunks = size.div_ceil(CHUNK);
    let found = AtomicU64::new(0);
    let deadline = Deadline::new(limits.time_limit);
    let plan = Plan::new(c);
    let parts: Vec<Scan> = (0..chunks)
        .into_par_iter()
        .map(|k| {
            deadline.check(limits)?;
            let part = plan.scan(c, k * CHUNK, ((k + 1) * CHUNK).min(size));
            let total = found.fetch_add(part.acceptable.len() as u64, Ordering::Relaxed)
                + part.acceptable.len() as u64;
            if total > limits.max_acceptable {
                return Err(Error::LimitExceeded {
                    limit: "max_acceptable",
                    value: limits.max_acceptable,
                });
            }
            Ok(part)
        })
        .collect::<Result<_>>()?;
    let mut out = Scan {
        candidates: 0,
        acceptable: Vec::with_capacity(found.load(Ordering::Relaxed) as usize),
    };
    for p in parts {
        out.candidates += p.candidates;
        out.acceptable.extend(p.acceptable);
    }
    Ok(out)
}

/// Rules ordered by the last issue they read, so that "rules reading any issue >= i" is a
/// prefix.
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
            for (p, u) in utils.iter().enumerate() {
                let row = &mut psum[p * stride..(p + 1) * stride];
                for d in from..n {
                    row[d + 1] = row[d] + u.contrib(d, digits[d]);
                }
            }
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
            let mut i = n;
            loop {
                i -= 1;
                digits[i] += 1;
                if digits[i] < radices[i] {
                    break;
                }
                digits[i] = 0;
            }
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
