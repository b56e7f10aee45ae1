//! The candidates and their utilities in one scan of the space: the zone search's row scan
//! ([`crate::analysis::zone::brute_force`]) with every reservation ignored, each candidate's
//! utilities summed as it is found (a running prefix sum per party, the last issue's
//! contribution added last), written in place into the final matrix.
//!
//! Two walks over the rows in parallel chunks: the first counts each chunk's candidates
//! (so the matrix is allocated once, checked against the limits first), the second fills
//! each chunk's slice of it. Chunks are fixed ranges of rows and own disjoint slices in
//! enumeration order, so the bytes do not depend on the thread count.

use rayon::prelude::*;

use crate::analysis::zone::{RowPlan, found_limit, reservations_idle};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::Result;
use crate::space::{CompiledScenario, StateIndex};

/// States per parallel chunk (rounded to whole rows): large enough to amortise a chunk's
/// setup, small enough to balance two cores and to check the clock every few milliseconds.
const CHUNK: u64 = 1 << 16;

/// The acceptable states of `open` (a compiled scenario whose reservations are dropped, as
/// [`CompiledScenario::with_reservations`] drops them: the candidates) in enumeration
/// order, with each party's utility, by one counting and one filling walk; `None` when the
/// row scan does not apply (a last issue of more than 64 levels, or a red line whose mask
/// table is too large) or when some utility might fall below a dropped reservation (only
/// possible for negative contributions; every state then meets every reservation, so the
/// walk need not look).
///
/// # Errors
/// [`crate::Error::LimitExceeded`] for `max_acceptable`, the memory budget or the time
/// limit (`deadline`), as the zone scan and the utility matrix would give them.
pub(super) fn candidates(
    open: &CompiledScenario,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Option<(Vec<StateIndex>, Vec<f64>)>> {
    let c = open;
    let idle = reservations_idle(c);
    let Some(plan) = RowPlan::new(c).filter(|_| idle) else {
        return Ok(None);
    };
    let radix = plan.radix as u64;
    let rows = c.space().size() / radix;
    let per_chunk = (CHUNK / radix).max(1);
    let ranges: Vec<(u64, u64)> = (0..rows.div_ceil(per_chunk))
        .map(|k| (k * per_chunk, ((k + 1) * per_chunk).min(rows)))
        .collect();
    let counts: Vec<usize> = ranges
        .par_iter()
        .map(|&(lo, hi)| {
            deadline.check(limits)?;
            let mut n = 0usize;
            plan.walk(c, lo, hi, |_, mask, _| n += mask.count_ones() as usize);
            Ok(n)
        })
        .collect::<Result<_>>()?;
    let total: usize = counts.iter().sum();
    // The limits the zone scan and the utility matrix check, in the same order.
    if total as u64 > limits.max_acceptable.min(limits.memory_items(16)) {
        return Err(found_limit(limits));
    }
    let parties = c.utilities().len();
    limits.check_memory(total as u64, 8 * (parties as u64 + 1))?;
    let mut states: Vec<StateIndex> = vec![0; total];
    let mut utilities = vec![0.0f64; total * parties];
    // Each chunk's slices of the two outputs, in order.
    let mut parts = Vec::with_capacity(ranges.len());
    let (mut s_rest, mut u_rest) = (&mut states[..], &mut utilities[..]);
    for (&range, &n) in ranges.iter().zip(&counts) {
        let (s, s_tail) = s_rest.split_at_mut(n);
        let (u, u_tail) = u_rest.split_at_mut(n * parties);
        parts.push((range, s, u));
        (s_rest, u_rest) = (s_tail, u_tail);
    }
    let last = c.space().issues() - 1;
    let issues = last + 1;
    // tails[l * parties + p]: party p's contribution of the last issue at level l.
    let tails: Vec<f64> = (0..plan.radix)
        .flat_map(|l| c.utilities().iter().map(move |u| u.contrib(last, l)))
        .collect();
    parts
        .into_par_iter()
        .try_for_each(|((lo, hi), s_out, u_out)| -> Result<()> {
            deadline.check(limits)?;
            let mut k = 0;
            plan.walk(c, lo, hi, |first, mut mask, psum| {
                while mask != 0 {
                    let l = mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    s_out[k] = first + l as u64;
                    let row = &mut u_out[k * parties..(k + 1) * parties];
                    let tail = &tails[l * parties..(l + 1) * parties];
                    for (p, (x, &t)) in row.iter_mut().zip(tail).enumerate() {
                        *x = (psum[p * issues + last] + t).min(1.0);
                    }
                    k += 1;
                }
            });
            Ok(())
        })?;
    Ok(Some((states, utilities)))
}
