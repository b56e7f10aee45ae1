//! Why there is no deal: minimal conflicts, minimal relaxations, softenings.
//!
//! The constraints are the red lines and each party's reservation (the pseudo-constraint
//! `party/reservation`). A *conflict* is a minimal set no state meets together (a MUS); a
//! *relaxation* is a minimal set whose removal leaves an acceptable state (an MCS). The two
//! families are each other's minimal hitting sets, which is how the conflicts are found
//! once the relaxations are known.
//!
//! ```
//! use dealzone::{Limits, analysis::explain::{ExplainLimits, explain}};
//! let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
//! let s = t.latest();
//! let c = dealzone::space::CompiledScenario::new(s, &Limits::default())?;
//! let e = explain(s, &c, &ExplainLimits::default(), &Limits::default())?;
//! assert_eq!(e.acceptable, 0);
//! assert!(e.complete);
//! // In April 2025 dropping Moscow's neutrality demand is enough.
//! assert!(e.relaxations.contains(&vec!["russia/neutrality".to_string()]));
//! # Ok::<(), dealzone::Error>(())
//! ```

mod oracle;
mod quickxplain;
mod sets;
mod soften;
mod table;

pub use oracle::{Item, Oracle};
pub use quickxplain::quickxplain;
pub use sets::{Enumeration, minimal_sets};
pub use soften::{Softening, softenings};
pub use table::{MAX_TABLE_STATES, ViolationTable};

use crate::model::Scenario;
use crate::space::CompiledScenario;
use crate::{Limits, Result};

/// Budgets for explanations. Hitting one is not an error: the result says
/// `complete: false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainLimits {
    /// Most consistency checks (each a zone search) the enumeration may make.
    pub max_checks: u64,
    /// Most relaxations to enumerate.
    pub max_sets: usize,
    /// Spaces up to this many states are explained from a [`ViolationTable`] (one pass
    /// over the space); larger ones by repeated searches. 0 always searches.
    pub table_states: u64,
}

impl Default for ExplainLimits {
    /// 20,000 checks, 1,000 sets, tables up to [`MAX_TABLE_STATES`] states.
    fn default() -> Self {
        ExplainLimits {
            max_checks: 20_000,
            max_sets: 1_000,
            table_states: MAX_TABLE_STATES,
        }
    }
}

/// An explanation: the proof value a reporter renders as text or JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Number of acceptable states with every constraint in force.
    pub acceptable: u64,
    /// The constraints considered, in the order QuickXplain prefers them.
    pub items: Vec<Item>,
    /// One minimal conflict found fast (QuickXplain), as names; empty when a deal exists.
    pub first_conflict: Vec<String>,
    /// Every minimal conflict (each sorted, the list sorted).
    pub conflicts: Vec<Vec<String>>,
    /// Every minimal relaxation (each sorted, the list sorted).
    pub relaxations: Vec<Vec<String>>,
    /// False when a budget cut the enumeration.
    pub complete: bool,
    /// The smallest single-red-line softenings that open a zone, cheapest first.
    pub softenings: Vec<Softening>,
}

/// One minimal conflict, fast: QuickXplain over the red lines (by `priority`) and the
/// reservations, each consistency check a branch and bound that stops at the first
/// acceptable state. No table, no enumeration: the question a user asks first.
///
/// # Arguments
/// `s` and its compiled form `c`; `limits` bounds each search.
///
/// # Returns
/// The conflict's constraint names, sorted (`party/id`, `party/reservation`); empty when
/// some state is acceptable.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] when a search breaks `limits`.
///
/// # Complexity
/// O(k log(n/k)) existence searches for a conflict of k constraints among n.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::explain::first_conflict};
/// let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let s = t.latest();
/// let c = dealzone::space::CompiledScenario::new(s, &Limits::default())?;
/// let conflict = first_conflict(s, &c, &Limits::default())?;
/// assert!(conflict.contains(&"russia/neutrality".to_string()), "{conflict:?}");
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn first_conflict(s: &Scenario, c: &CompiledScenario, limits: &Limits) -> Result<Vec<String>> {
    let mut oracle = Oracle::with_table_limit(s, c, limits.clone(), 0)?;
    let set = quickxplain(&mut oracle)?;
    let mut names: Vec<String> = set
        .iter()
        .map(|&k| oracle.items()[k].name.clone())
        .collect();
    names.sort();
    Ok(names)
}

/// Explain a scenario: conflicts, relaxations and softenings.
///
/// # Arguments
/// `s` and its compiled form `c`; `budget` bounds the enumeration; `limits` bounds each
/// zone search.
///
/// # Returns
/// An [`Explanation`]; when a deal exists its lists are empty.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] when a single zone search breaks `limits`.
///
/// # Complexity
/// QuickXplain makes O(k log(n/k)) checks for a conflict of size k among n constraints;
/// the enumeration at most `budget.max_checks`; each check is a zone search.
pub fn explain(
    s: &Scenario,
    c: &CompiledScenario,
    budget: &ExplainLimits,
    limits: &Limits,
) -> Result<Explanation> {
    let mut oracle = Oracle::with_table_limit(s, c, limits.clone(), budget.table_states)?;
    let all = vec![true; oracle.items().len()];
    let acceptable = oracle.count_acceptable(&all)?;
    let items = oracle.items().to_vec();
    if acceptable > 0 {
        return Ok(Explanation {
            acceptable,
            items,
            first_conflict: Vec::new(),
            conflicts: Vec::new(),
            relaxations: Vec::new(),
            complete: true,
            softenings: Vec::new(),
        });
    }
    let first = quickxplain(&mut oracle)?;
    let names = |set: &[usize], items: &[Item]| -> Vec<String> {
        let mut v: Vec<String> = set.iter().map(|&k| items[k].name.clone()).collect();
        v.sort();
        v
    };
    let first_conflict = names(&first, &items);
    let e = minimal_sets(&mut oracle, budget)?;
    let mut conflicts: Vec<Vec<String>> = e.conflicts.iter().map(|m| names(m, &items)).collect();
    let mut relaxations: Vec<Vec<String>> =
        e.relaxations.iter().map(|m| names(m, &items)).collect();
    if !conflicts.contains(&first_conflict) {
        conflicts.push(first_conflict.clone());
    }
    conflicts.sort();
    relaxations.sort();
    let softenings = softenings(s, c, &oracle, limits)?;
    Ok(Explanation {
        acceptable,
        items,
        first_conflict,
        conflicts,
        relaxations,
        complete: e.complete,
        softenings,
    })
}
