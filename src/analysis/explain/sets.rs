//! All minimal relaxations and all minimal conflicts.

use super::ExplainLimits;
use super::oracle::Oracle;
use crate::Result;

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

/// Enumerate the minimal relaxations by increasing size, then the minimal conflicts as the
/// minimal hitting sets of the relaxations (the duality of Reiter and of Liffiton's CAMUS).
///
/// A set of size k is a relaxation when removing it leaves an acceptable state and it
/// contains no relaxation found at a smaller size; since consistency only grows as
/// constraints are removed, that makes it minimal. Each conflict candidate is verified with
/// the oracle (inconsistent, and consistent without any one member), so a cut enumeration
/// still returns only genuine minimal sets.
///
/// # Arguments
/// `oracle`; `budget` (`max_checks`, `max_sets`).
///
/// # Returns
/// The sets and whether the enumeration completed.
///
/// # Complexity
/// Up to Σ_k C(n, k) checks in the worst case, bounded by `budget.max_checks`.
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
    if let Some(t) = oracle.table() {
        // The minimal violation sets are exactly the minimal relaxations.
        relaxations = t
            .minimal
            .iter()
            .take(budget.max_sets.saturating_add(1))
            .map(|m| (0..n).filter(|k| m >> k & 1 == 1).collect())
            .collect();
        if relaxations.len() > budget.max_sets {
            relaxations.truncate(budget.max_sets);
            complete = false;
        }
        complete &= t.complete;
    }
    'sizes: for k in 1..=n {
        if oracle.table().is_some() {
            break;
        }
        let mut found_any_superset_free = false;
        let mut subset: Vec<usize> = (0..k).collect();
        let mut steps = 0u64;
        loop {
            // Subsets holding a known relaxation cost no check but still take time.
            steps += 1;
            if steps.is_multiple_of(1024) && oracle.out_of_time() {
                complete = false;
                break 'sizes;
            }
            if !relaxations
                .iter()
                .any(|r| r.iter().all(|x| subset.contains(x)))
            {
                found_any_superset_free = true;
                if oracle.checks() - start >= budget.max_checks
                    || relaxations.len() >= budget.max_sets
                    || oracle.out_of_time()
                {
                    complete = false;
                    break 'sizes;
                }
                let mut keep = vec![true; n];
                for &x in &subset {
                    keep[x] = false;
                }
                match timed(oracle.consistent(&keep))? {
                    Some(true) => relaxations.push(subset.clone()),
                    Some(false) => {}
                    None => {
                        complete = false;
                        break 'sizes;
                    }
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
    let mut conflicts = Vec::new();
    let universe = {
        let mut u: Vec<usize> = relaxations.iter().flatten().copied().collect();
        u.sort_unstable();
        u.dedup();
        u.len()
    };
    // Hitting sets are enumerated over the subsets of the relaxations' union.
    if universe > MAX_HITTING_UNIVERSE {
        complete = false;
    }
    if complete {
        'hitting: for h in minimal_hitting_sets(&relaxations, oracle) {
            let Some(h) = h else {
                complete = false;
                break;
            };
            let mut keep = vec![false; n];
            for &x in &h {
                keep[x] = true;
            }
            match timed(oracle.consistent(&keep))? {
                Some(true) => continue,
                Some(false) => {}
                None => {
                    complete = false;
                    break;
                }
            }
            let mut minimal = true;
            for &x in &h {
                keep[x] = false;
                match timed(oracle.consistent(&keep))? {
                    Some(b) => minimal &= b,
                    None => {
                        complete = false;
                        break 'hitting;
                    }
                }
                keep[x] = true;
            }
            if minimal {
                conflicts.push(h);
            }
        }
    }
    conflicts.sort();
    relaxations.sort();
    Ok(Enumeration {
        conflicts,
        relaxations,
        complete,
    })
}

/// Advance `c` (ascending, distinct, < n) to the next k-combination in lexicographic order.
fn next_combination(c: &mut [usize], n: usize) -> bool {
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

/// Largest union of relaxations whose subsets are searched for conflicts (2^22 subsets).
const MAX_HITTING_UNIVERSE: usize = 22;

/// A consistency answer, or `None` when the time limit stopped the search: the
/// enumeration then ends with what it has, `complete: false`.
fn timed(answer: Result<bool>) -> Result<Option<bool>> {
    match answer {
        Ok(b) => Ok(Some(b)),
        Err(crate::Error::LimitExceeded {
            limit: "time_limit",
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Minimal sets meeting every set of `family`, by increasing size; a last `None` when the
/// oracle's time budget ran out first.
fn minimal_hitting_sets(family: &[Vec<usize>], oracle: &Oracle<'_>) -> Vec<Option<Vec<usize>>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    if family.is_empty() {
        return Vec::new();
    }
    // Only elements that occur in some set can be in a minimal hitting set.
    let mut universe: Vec<usize> = family.iter().flatten().copied().collect();
    universe.sort_unstable();
    universe.dedup();
    let m = universe.len();
    let mut steps = 0u64;
    for k in 1..=m {
        let mut pick: Vec<usize> = (0..k).collect();
        loop {
            steps += 1;
            if steps.is_multiple_of(1024) && oracle.out_of_time() {
                return out.into_iter().map(Some).chain([None]).collect();
            }
            let h: Vec<usize> = pick.iter().map(|&p| universe[p]).collect();
            let hits = family.iter().all(|s| s.iter().any(|x| h.contains(x)));
            if hits && !out.iter().any(|o| o.iter().all(|x| h.contains(x))) {
                out.push(h);
            }
            if !next_combination(&mut pick, m) {
                break;
            }
        }
    }
    out.into_iter().map(Some).collect()
}
