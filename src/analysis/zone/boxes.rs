//! Summarising a zone as disjoint boxes (per-issue level ranges).

use crate::config::Deadline;
use crate::space::{StateIndex, StateSpace};

/// A box: an inclusive level range `(lo, hi)` per issue.
pub type LevelBox = Vec<(usize, usize)>;

/// Cover sorted, distinct `states` exactly with disjoint boxes.
///
/// Greedy in enumeration order: the first state not yet covered starts a box, which grows
/// one issue at a time, last issue first, for as long as the whole grown slab is in the
/// set and uncovered. Every state ends in exactly one box.
///
/// # Complexity
/// O(A · I · log A) for A states and I issues.
///
/// # Example
/// ```
/// use dealzone::{Scenario, analysis::zone::boxes, space::StateSpace};
/// let s = Scenario::from_toml_str(r#"
/// name = "grid"
/// [issues]
/// x = ["a", "b", "c"]
/// y = ["a", "b"]
/// [status_quo]
/// x = "a"
/// y = "a"
/// [parties.p]
/// weights = { x = 1 }
/// values = { x = [0, 0.5, 1] }
/// "#, "grid.toml")?;
/// let space = StateSpace::new(&s, 100)?;
/// // The states with x in {b, c} (either y) are one box.
/// let states: Vec<u64> = vec![2, 3, 4, 5];
/// assert_eq!(boxes(&states, &space), vec![vec![(1, 2), (0, 1)]]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn boxes(states: &[StateIndex], space: &StateSpace) -> Vec<LevelBox> {
    let never = Deadline::new(None);
    // No deadline: nothing can stop it.
    boxes_within(states, space, &never, &crate::config::Limits::default()).unwrap_or_default()
}

/// [`boxes`], stopping with [`crate::Error::LimitExceeded`] (`time_limit`) once
/// `deadline` passes.
pub(super) fn boxes_within(
    states: &[StateIndex],
    space: &StateSpace,
    deadline: &Deadline,
    limits: &crate::config::Limits,
) -> crate::error::Result<Vec<LevelBox>> {
    let n = space.issues();
    let mut covered = vec![false; states.len()];
    let mut out = Vec::new();
    for k in 0..states.len() {
        if covered[k] {
            continue;
        }
        deadline.check(limits)?;
        let levels = space.decode(states[k]);
        let mut bx: LevelBox = levels.iter().map(|&l| (l, l)).collect();
        for i in (0..n).rev() {
            while bx[i].1 + 1 < space.radices()[i] as usize {
                let mut slab = bx.clone();
                slab[i] = (bx[i].1 + 1, bx[i].1 + 1);
                let free = all_free(&slab, states, &covered, space, deadline);
                deadline.check(limits)?;
                if !free {
                    break;
                }
                bx[i].1 += 1;
            }
        }
        for_each_in_box(&bx, space, |s| {
            if let Ok(j) = states.binary_search(&s) {
                covered[j] = true;
            }
        });
        out.push(bx);
    }
    Ok(out)
}

/// Whether every state of `bx` is in `states` and not yet covered; `false` also once
/// `deadline` passes (the caller then reports the time limit).
fn all_free(
    bx: &LevelBox,
    states: &[StateIndex],
    covered: &[bool],
    space: &StateSpace,
    deadline: &Deadline,
) -> bool {
    let mut ok = true;
    let mut seen = 0u64;
    for_each_in_box(bx, space, |s| {
        if ok {
            seen += 1;
            ok = states.binary_search(&s).is_ok_and(|j| !covered[j])
                && !(seen.is_multiple_of(1 << 16) && deadline.passed());
        }
    });
    ok
}

/// Call `f` on every state of a box, in enumeration order.
pub fn for_each_in_box(bx: &LevelBox, space: &StateSpace, mut f: impl FnMut(StateIndex)) {
    let n = bx.len();
    let mut levels: Vec<usize> = bx.iter().map(|r| r.0).collect();
    loop {
        f(space.encode(&levels));
        let mut i = n;
        loop {
            if i == 0 {
                return;
            }
            i -= 1;
            if levels[i] < bx[i].1 {
                levels[i] += 1;
                break;
            }
            levels[i] = bx[i].0;
        }
    }
}
