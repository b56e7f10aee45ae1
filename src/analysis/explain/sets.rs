//! All minimal relaxations and all minimal conflicts.

use super::ExplainLimits;
use super::hitting::{HittingStop, minimal_hitting_sets};
use super::oracle::Oracle;
use crate::error::Result;

/// Every minimal relaxation and conflict found, as item positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enumeration {
    /// Minimal conflicts (MUSes), each ascending, the list sorted.
    pub conflicts: Vec<Vec<usize>>,
    /// Minimal relaxations (MCSes), each ascending, the list sorted.
    pub relaxations: Vec<Vec<usize>>,
    /// False when a budget cut the enumeration short.
    pub complete: bool,
}

/// Enumerate the minimal relaxations (MCSes) and the minimal conflicts (MUSes), giving
/// each family its share of the budget.
///
/// Relaxations first come by increasing size: from the violation table when there is one
/// (its minimal violation sets are exactly the relaxations), else by checking the subsets
/// of each size that hold no relaxation found before, for at most half of
/// `budget.max_checks`. Then *dualize and advance* (Gunopulos et al. 2003; the loop
/// MARCO runs, with the hitting-set duality of Reiter and of Liffiton's CAMUS as its
/// map): every minimal hitting set H of the relaxations known so far, smallest first
/// ([`super::minimal_hitting_sets`]), that is not yet a known conflict is checked. If the
/// constraints of H clash, H is a minimal conflict (any conflict inside H hits every known
/// relaxation too, so by H's minimality it is H). If they hold together, H is grown into a
/// maximal consistent set by adding the other constraints one by one; the constraints
/// left out form a new relaxation, and the hitting sets are recomputed. When every
/// minimal hitting set is a known conflict, both families are complete. So each check
/// yields a conflict, or a share of a new relaxation: neither family can starve the other.
///
/// Every set returned is genuinely minimal, whatever cut the enumeration.
///
/// # Arguments
/// `oracle`; `budget` (`max_checks` bounds the searches, `max_sets` each family's size);
/// the oracle's clock (its `time_limit`) stops the enumeration too.
///
/// # Returns
/// The sets and whether the enumeration completed (`false` when a budget cut either
/// family: the lists then hold what was found).
///
/// # Complexity
/// At most `budget.max_checks` checks (a table answers without searching); each new
/// relaxation costs up to n checks to grow, each conflict one; the hitting sets cost
/// O(nodes · (s + n) · m / 64) per round for m known relaxations.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::explain::{ExplainLimits, Oracle, minimal_sets}};
/// let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let c = dealzone::space::CompiledScenario::new(t.latest(), &Limits::default())?;
/// let mut oracle = Oracle::new(t.latest(), &c, Limits::default())?;
/// let e = minimal_sets(&mut oracle, &ExplainLimits::default())?;
/// assert!(e.complete && !e.conflicts.is_empty() && !e.relaxations.is_empty());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn minimal_sets(oracle: &mut Oracle<'_>, budget: &ExplainLimits) -> Result<Enumeration> {
    let n = oracle.items().len();
    let start = oracle.checks();
    let mut relaxations: Vec<Vec<usize>> = Vec::new();
    let mut complete = true;
    if oracle.consistent(&vec![true; n])? {
        return Ok(Enumeration {
            conflicts: Vec::new(),
            relaxations: Vec::new(),
            complete: true,
        });
    }
    // Held beyond `max_sets` only to steer the search; the lists returned are capped.
    let family_max = budget.max_sets.saturating_mul(4).max(FAMILY_MIN);
    if let Some(t) = oracle.table() {
        // The minimal violation sets are exactly the minimal relaxations: smallest first.
        let mut minimal: Vec<u128> = t.minimal.clone();
        minimal.sort_unstable_by_key(|m| (m.count_ones(), *m));
        if minimal.len() > family_max {
            minimal.truncate(family_max);
            complete = false;
        }
        relaxations = minimal
            .iter()
            .map(|m| (0..n).filter(|k| m >> k & 1 == 1).collect())
            .collect();
        complete &= t.complete;
    } else {
        let share = budget.max_checks / 2;
        by_size(oracle, start, share, budget.max_sets, &mut relaxations)?;
    }
    let mut conflicts: Vec<Vec<usize>> = Vec::new();
    let mut known: std::collections::HashSet<Vec<usize>> = std::collections::HashSet::new();
    // Dualize and advance: each round enumerates the hitting sets of the family as it is.
    'rounds: loop {
        if oracle.out_of_time() {
            complete = false;
            break;
        }
        let mut grown: Option<Vec<usize>> = None;
        let mut failed: Option<crate::error::Error> = None;
        let mut cut = false;
        let deadline = oracle.deadline();
        let family = relaxations.clone();
        let stop = minimal_hitting_sets(
            &family,
            n,
            HITTING_NODES,
            || deadline.passed(),
            |h| {
                if known.contains(h) {
                    return true;
                }
                if oracle.checks() - start >= budget.max_checks
                    || conflicts.len() >= budget.max_sets
                {
                    cut = true;
                    return false;
                }
                let mut keep = vec![false; n];
                for &x in h {
                    keep[x] = true;
                }
                match timed(oracle.consistent(&keep)) {
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                    Ok(None) => {
                        cut = true;
                        false
                    }
                    Ok(Some(false)) => {
                        known.insert(h.to_vec());
                        conflicts.push(h.to_vec());
                        true
                    }
                    Ok(Some(true)) => {
                        // Grow to a maximal consistent set; what stays out is a relaxation.
                        for x in 0..n {
                            if keep[x] {
                                continue;
                            }
                            if oracle.checks() - start >= budget.max_checks {
                                cut = true;
                                return false;
                            }
                            keep[x] = true;
                            match timed(oracle.consistent(&keep)) {
                                Err(e) => {
                                    failed = Some(e);
                                    return false;
                                }
                                Ok(None) => {
                                    cut = true;
                                    return false;
                                }
                                Ok(Some(true)) => {}
                                Ok(Some(false)) => keep[x] = false,
                            }
                        }
                        grown = Some((0..n).filter(|&x| !keep[x]).collect());
                        false
                    }
                }
            },
        );
        if let Some(e) = failed {
            return Err(e);
        }
        if cut || stop == HittingStop::Budget {
            complete = false;
            break;
        }
        match grown {
            Some(r) => {
                // A table may hold more relaxations than are kept to start from; those
                // found by growing still count, up to `max_sets` more.
                if relaxations.len() >= family_max.saturating_add(budget.max_sets) {
                    complete = false;
                    break 'rounds;
                }
                relaxations.push(r);
            }
            // Every minimal hitting set of the relaxations is a known conflict.
            None => break,
        }
    }
    if relaxations.len() > budget.max_sets {
        // Keep the smallest: the least relaxations are what a reader looks at first.
        relaxations.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        relaxations.truncate(budget.max_sets);
        complete = false;
    }
    conflicts.sort();
    relaxations.sort();
    Ok(Enumeration {
        conflicts,
        relaxations,
        complete,
    })
}

/// The relaxations by increasing size, each subset holding no relaxation found before
/// checked once, until `share` checks (counted from `start`), `max_sets` relaxations or the
/// clock: none of them can be larger than a relaxation missed, so the smallest come first.
fn by_size(
    oracle: &mut Oracle<'_>,
    start: u64,
    share: u64,
    max_sets: usize,
    relaxations: &mut Vec<Vec<usize>>,
) -> Result<()> {
    let n = oracle.items().len();
    for k in 1..=n {
        let mut found_any_superset_free = false;
        let mut subset: Vec<usize> = (0..k).collect();
        let mut steps = 0u64;
        loop {
            // Subsets holding a known relaxation cost no check but still take time.
            steps += 1;
            if steps.is_multiple_of(1024) && oracle.out_of_time() {
                return Ok(());
            }
            if !relaxations
                .iter()
                .any(|r| r.iter().all(|x| subset.contains(x)))
            {
                found_any_superset_free = true;
                if oracle.checks() - start >= share
                    || relaxations.len() >= max_sets
                    || oracle.out_of_time()
                {
                    return Ok(());
                }
                let mut keep = vec![true; n];
                for &x in &subset {
                    keep[x] = false;
                }
                match timed(oracle.consistent(&keep))? {
                    Some(true) => relaxations.push(subset.clone()),
                    Some(false) => {}
                    None => return Ok(()),
                }
            }
            if !next_combination(&mut subset, n) {
                break;
            }
        }
        // Every larger set contains a relaxation already found: nothing new can appear.
        if !found_any_superset_free {
            break;
        }
    }
    Ok(())
}

/// The relaxations held to steer the search are at least this many (or four times
/// `max_sets`).
const FAMILY_MIN: usize = 4_096;

/// Nodes one round of the hitting-set search may visit.
const HITTING_NODES: u64 = 1 << 22;

/// Advance `c` (ascending, distinct, < n) to the next k-combination in lexicographic order.
pub(super) fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// A consistency answer, or `None` when the time limit stopped the search: the
/// enumeration then ends with what it has, `complete: false`.
fn timed(answer: Result<bool>) -> Result<Option<bool>> {
    match answer {
        Ok(b) => Ok(Some(b)),
        Err(crate::error::Error::LimitExceeded {
            limit: crate::config::Limit::TimeLimit,
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}
