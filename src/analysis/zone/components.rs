//! Connected components of a set of states under one-rung moves.

use crate::config::Deadline;
use crate::space::{StateIndex, StateSpace};

/// Split sorted, distinct states into connected components (two states are adjacent when
/// they differ in exactly one issue by exactly one rung).
///
/// # Returns
/// Components, each sorted, listed largest first, equal sizes by their first state.
///
/// # Complexity
/// O(A · I · log A) for A states and I issues; memory O(A).
///
/// # Example
/// ```
/// use dealzone::{Scenario, analysis::zone::components, space::StateSpace};
/// let s = Scenario::from_toml_str(r#"
/// name = "line"
/// [issues]
/// x = ["a", "b", "c", "d"]
/// [status_quo]
/// x = "a"
/// [parties.p]
/// weights = { x = 1 }
/// values = { x = [0, 1, 0, 1] }
/// "#, "line.toml")?;
/// let space = StateSpace::new(&s, 100)?;
/// // a, b, d: b and d are not one rung apart, so two components.
/// assert_eq!(components(&[0, 1, 3], &space), vec![vec![0, 1], vec![3]]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn components(states: &[StateIndex], space: &StateSpace) -> Vec<Vec<StateIndex>> {
    let never = Deadline::new(None);
    // No deadline: nothing can stop it.
    components_within(states, space, &never, &crate::config::Limits::default()).unwrap_or_default()
}

/// [`components`], stopping with [`crate::Error::LimitExceeded`] (`time_limit`) once
/// `deadline` passes.
pub(super) fn components_within(
    states: &[StateIndex],
    space: &StateSpace,
    deadline: &Deadline,
    limits: &crate::config::Limits,
) -> crate::error::Result<Vec<Vec<StateIndex>>> {
    let mut walked = 0u64;
    let mut seen = vec![false; states.len()];
    let mut out = Vec::new();
    let mut queue = Vec::new();
    for start in 0..states.len() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        queue.clear();
        queue.push(start);
        let mut comp = Vec::new();
        while let Some(k) = queue.pop() {
            walked += 1;
            if walked.is_multiple_of(1 << 14) {
                deadline.check(limits)?;
            }
            let s = states[k];
            comp.push(s);
            for_each_neighbour(s, space, |t| {
                if let Ok(j) = states.binary_search(&t)
                    && !seen[j]
                {
                    seen[j] = true;
                    queue.push(j);
                }
            });
        }
        comp.sort_unstable();
        out.push(comp);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    Ok(out)
}

/// Call `f` on every state one rung away from `s`, issue by issue, down before up.
#[inline]
pub fn for_each_neighbour(s: StateIndex, space: &StateSpace, mut f: impl FnMut(StateIndex)) {
    for i in 0..space.issues() {
        let stride = space.strides()[i];
        let level = space.level(s, i) as u64;
        if level > 0 {
            f(s - stride);
        }
        if level + 1 < space.radices()[i] {
            f(s + stride);
        }
    }
}
