//! Why there is no deal: minimal conflicts, minimal relaxations, softenings.
//!
//! The constraints are the red lines and each party's reservation (the pseudo-constraint
//! `party/reservation`). A *conflict* is a minimal set no state meets together (a MUS); a
//! *relaxation* is a minimal set whose removal leaves an acceptable state (an MCS). The two
//! families are each other's minimal hitting sets, which is how the conflicts are found
//! once the relaxations are known.
//!
//! # Ties are results
//!
//! Every "least" answer lists **all** tied optima, as a [`Tiered`] list: the least
//! relaxations (every relaxation of the fewest constraints), the least single-bound
//! softenings (every red line and bound opening a zone with the fewest rungs), the least
//! joint softenings (every shift vector of the fewest total rungs, over any red lines of
//! any parties) and, per party, the least it alone would have to soften. Options are
//! ranked by what they are, never by whose they are: size, then rungs, then evidence
//! ([`RELAXATION_ORDER`], [`SOFTENING_ORDER`], [`JOINT_ORDER`]); evidence ranks the
//! weaker first ([`evidence_of`]; reservations count as stated). Ranking only orders: every
//! listed option is an optimum of the measure the list is named after. Options with equal
//! keys form a tier; inside a tier, options involving fewer parties come first, then options
//! are grouped by party and the groups interleaved, names ordering groups and members
//! **only for stable bytes**. At most [`ExplainLimits::max_tied`] options are listed, the
//! rest counted ([`Tiered::omitted`]); the cap keeps or drops whole classes of options no
//! name-blind criterion tells apart, never some of one, and always lists the best class
//! (see [`Tiered`]). A utility cost (`[prefs]`, [`Softening::cost`]) is informative
//! and orders nothing: it rests on judgement numbers that differ between parties.
//!
//! # Proofs a reader can check
//!
//! Each relaxation comes with a [`Witness`]: a whole state that is acceptable once it is
//! dropped. Each conflict of two or more constraints comes with a [`Certificate`] where one
//! exists: the level ranges each member allows on issues they share, with no combination
//! allowed by all (see [`Certificate`] for exactly what is certified).
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
//! // Where either side's drop is equally least, both are listed, each with a witness.
//! let sides: Vec<&str> = e.least_relaxations.options().map(|r| r.parties[0].as_str()).collect();
//! assert!(sides.contains(&"russia") && sides.contains(&"ukraine"), "{sides:?}");
//! assert!(e.least_relaxations.options().all(|r| r.witness.is_some()));
//! # Ok::<(), dealzone::Error>(())
//! ```

mod certificate;
mod hitting;
mod item;
mod joint;
mod oracle;
mod quickxplain;
mod sets;
mod soften;
mod table;
mod tiers;
mod typed;

pub use certificate::{Certificate, MAX_CERTIFICATE_CELLS};
pub use hitting::{HittingStop, minimal_hitting_sets};
pub use joint::{JOINT_ORDER, JointSoftening, Move, PartySoftenings};
#[doc(hidden)]
pub use joint::{JointBest, JointPass, joint_bests};
pub use oracle::{Item, ItemKind, Oracle};
pub use quickxplain::quickxplain;
pub use sets::{Enumeration, minimal_sets};
pub use soften::{RuleBound, Softening, rule_bounds, soften_rule, softenings};
pub(crate) use table::merging_quotient;
pub use table::{MAX_TABLE_STATES, ViolationTable};
pub use tiers::Tiered;

use crate::analysis::zone::first_acceptable;
use crate::config::Limits;
use crate::error::Result;
use crate::model::{Evidence, Scenario};
use crate::space::{CompiledScenario, StateIndex};
pub(crate) use tiers::{Ranked, parties_of, ranked, tiered};

/// The order least relaxations are listed in.
pub const RELAXATION_ORDER: &str =
    "fewest constraints (all listed are tied on it), then weakest evidence first";

/// The order least single-bound softenings are listed in.
pub const SOFTENING_ORDER: &str =
    "fewest rungs (all listed are tied on it), then weakest evidence first";

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
    /// Most tied options listed per "least" answer ([`Tiered`]); the rest are counted.
    pub max_tied: usize,
}

impl Default for ExplainLimits {
    /// As [`crate::Config::default`]: 20,000 checks, 1,000 sets, tables up to
    /// [`MAX_TABLE_STATES`] states, 20 tied options.
    fn default() -> Self {
        ExplainLimits::from(&crate::config::Config::default())
    }
}

impl From<&crate::config::Config> for ExplainLimits {
    /// The explanation's share of a [`crate::Config`]: `max_checks`, `max_sets`,
    /// `max_table_states` (at most [`MAX_TABLE_STATES`]) and `max_tied`.
    fn from(c: &crate::config::Config) -> Self {
        ExplainLimits {
            max_checks: c.max_checks,
            max_sets: usize::try_from(c.max_sets).unwrap_or(usize::MAX),
            table_states: c.max_table_states.min(MAX_TABLE_STATES),
            max_tied: usize::try_from(c.max_tied).unwrap_or(usize::MAX),
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
    /// For each red line that can open a zone by moving one bound, its least such
    /// softening: fewest rungs first, then weaker evidence first; exact ties are grouped
    /// by party as in [`Tiered`], names ordering them only for stable bytes (see
    /// [`softenings`]).
    pub softenings: Vec<Softening>,
    /// One witness per relaxation (same order as `relaxations`): an acceptable state once
    /// it is dropped; `None` only if the search for one was cut.
    pub witnesses: Vec<Option<Witness>>,
    /// Every relaxation of the fewest constraints, in [`RELAXATION_ORDER`], capped.
    pub least_relaxations: Tiered<Relaxation>,
    /// Every single-bound softening of the fewest rungs, over all red lines and bounds, in
    /// [`SOFTENING_ORDER`], capped.
    pub least_softenings: Tiered<Softening>,
    /// Every least joint softening (fewest total rungs over any red lines), capped.
    pub joint_softenings: Tiered<JointSoftening>,
    /// Per party with red lines (scenario order: a listing, not a ranking), the least it
    /// alone would have to soften.
    pub per_party_softenings: Vec<PartySoftenings>,
    /// One entry per conflict (same order as `conflicts`): its certificate, if it has one.
    pub certificates: Vec<Option<Certificate>>,
}

/// A whole state that proves a claim: every issue with its level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    /// The state's index in enumeration order.
    pub index: StateIndex,
    /// `(issue, level)` for every issue, in scenario order.
    pub state: Vec<(String, String)>,
}

/// A relaxation: constraints whose dropping leaves an acceptable state.
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxation {
    /// The constraints to drop, sorted.
    pub drop: Vec<String>,
    /// The parties whose constraints they are, sorted.
    pub parties: Vec<String>,
    /// The evidence grade of each constraint in `drop` (reservations count as stated).
    pub evidence: Vec<Evidence>,
    /// An acceptable state once they are dropped.
    pub witness: Option<Witness>,
}

/// The witness for state `st`, unpacked as `levels`.
pub(crate) fn witness(s: &Scenario, st: StateIndex, levels: &[usize]) -> Witness {
    Witness {
        index: st,
        state: s
            .issues()
            .iter()
            .zip(levels)
            .map(|(i, &l)| (i.id().to_string(), i.levels()[l].id().to_string()))
            .collect(),
    }
}

/// The evidence grade of a constraint by name: a red line's own grade
/// ([`crate::model::Constraint::evidence`]); a reservation (or an unknown name) counts as
/// stated.
pub fn evidence_of(s: &Scenario, name: &str) -> Evidence {
    s.constraint(name)
        .map_or(Evidence::Stated, |c| c.evidence())
}

/// The evidence part of the ranking key of a set of constraints: how many are stated,
/// then how many reported — fewer first, so options resting on **weaker evidence come
/// first**. Why weaker first: a position known only from a report or the modeller's
/// reading is the one most likely to be softer than modelled, so it is the first a reader
/// should check; a stated red line is the least likely to give. It orders options already
/// tied on size and rungs, and never drops one.
pub(crate) fn evidence_key(s: &Scenario, names: &[String]) -> (usize, usize) {
    names
        .iter()
        .fold((0, 0), |(st, rep), n| match evidence_of(s, n) {
            Evidence::Stated => (st + 1, rep),
            Evidence::Reported => (st, rep + 1),
            Evidence::Inferred => (st, rep),
        })
}

/// An acceptable state once the items at positions `set` are dropped: from the violation
/// table when there is one (the first state in enumeration order), else the first state a
/// search meets.
fn relaxation_witness(
    s: &Scenario,
    c: &CompiledScenario,
    oracle: &Oracle<'_>,
    set: &[usize],
    limits: &Limits,
) -> Result<Option<Witness>> {
    let mut keep = vec![true; oracle.items().len()];
    for &k in set {
        keep[k] = false;
    }
    let st = match oracle.table() {
        Some(t) => {
            let m = set.iter().fold(0u128, |m, &k| m | 1 << k);
            match t.minimal.iter().position(|&x| x == m) {
                Some(i) => Some(t.witness[i]),
                None => first_acceptable(&oracle.restricted(&keep), limits)?,
            }
        }
        None => first_acceptable(&oracle.restricted(&keep), limits)?,
    };
    Ok(st.map(|st| witness(s, st, &c.space().decode(st))))
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
/// [`crate::Error::LimitExceeded`] when a single zone search breaks `limits`, or the time
/// limit strikes before the first conflict is known. Once it is known, the time limit
/// (`limits.time_limit`, for the whole explanation) stops the enumeration and the
/// softenings instead, with `complete: false` and what was found.
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
    explain_with(s, c, budget, limits, None)
}

/// [`explain`] with the red-line region of `c` already computed (bit `r`: red line `r`
/// of `c.red_lines()`, as [`crate::space::PreconditionRegion::build`] over them records
/// it), as a caller that scanned the red lines for its own use has it: the violation
/// table and the joint softenings read it instead of evaluating the red lines again. The
/// result is the same as [`explain`]'s.
///
/// # Errors
/// As [`explain`].
///
/// # Complexity
/// As [`explain`], less one scan of the red lines over the space.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::explain::{ExplainLimits, explain, explain_with}};
/// use dealzone::space::{CompiledScenario, PreconditionRegion};
/// let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let s = t.latest();
/// let c = CompiledScenario::new(s, &Limits::default())?;
/// let red = PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX);
/// let budget = ExplainLimits::default();
/// let e = explain_with(s, &c, &budget, &Limits::default(), red.as_ref())?;
/// assert_eq!(e, explain(s, &c, &budget, &Limits::default())?);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn explain_with(
    s: &Scenario,
    c: &CompiledScenario,
    budget: &ExplainLimits,
    limits: &Limits,
    red: Option<&crate::space::PreconditionRegion>,
) -> Result<Explanation> {
    explain_parts(s, c, budget, limits, red, true)
}

/// [`explain_with`], with the certificates left out (`certificates` empty) unless
/// `certificates`: the timeline report prints none, and on the bundled timeline they
/// cost a tenth of its time. Every other field is [`explain_with`]'s.
///
/// # Errors
/// As [`explain`].
pub(crate) fn explain_parts(
    s: &Scenario,
    c: &CompiledScenario,
    budget: &ExplainLimits,
    limits: &Limits,
    red: Option<&crate::space::PreconditionRegion>,
    certificates: bool,
) -> Result<Explanation> {
    let mut oracle = Oracle::with_red_lines(s, c, limits.clone(), budget.table_states, red)?;
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
            witnesses: Vec::new(),
            least_relaxations: Tiered::empty(RELAXATION_ORDER),
            least_softenings: Tiered::empty(SOFTENING_ORDER),
            joint_softenings: Tiered::empty(JOINT_ORDER),
            per_party_softenings: Vec::new(),
            certificates: Vec::new(),
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
    // Witnesses, in the order of the sorted names.
    let mut witnesses = Vec::with_capacity(relaxations.len());
    for r in &relaxations {
        let set: Vec<usize> = r
            .iter()
            .filter_map(|n| items.iter().position(|i| &i.name == n))
            .collect();
        // Past the time budget the witness is left out (the explanation says incomplete).
        witnesses.push(
            match relaxation_witness(s, c, &oracle, &set, &oracle.time_left(limits)) {
                Err(crate::error::Error::LimitExceeded {
                    limit: crate::config::Limit::TimeLimit,
                    ..
                }) => None,
                w => w?,
            },
        );
    }
    let least = relaxations.iter().map(Vec::len).min().unwrap_or(0);
    let mut least_relaxations = tiered(
        relaxations
            .iter()
            .zip(&witnesses)
            .filter(|(r, _)| r.len() == least)
            .map(|(r, w)| Ranked {
                key: (r.len(), evidence_key(s, r)),
                parties: parties_of(r),
                name: r.join("+"),
                value: Relaxation {
                    drop: r.clone(),
                    parties: parties_of(r),
                    evidence: r.iter().map(|n| evidence_of(s, n)).collect(),
                    witness: w.clone(),
                },
            })
            .collect(),
        budget.max_tied,
        RELAXATION_ORDER,
    );
    least_relaxations.complete = e.complete;
    let single = soften::single_softenings(s, c, &oracle, limits)?;
    let mut softenings: Vec<Softening> = Vec::new();
    for sf in &single {
        if !softenings.iter().any(|o| o.name == sf.name) {
            softenings.push(sf.clone());
        }
    }
    // Rungs, then evidence (weaker first): ties grouped by party, names for stable bytes only.
    let softenings = ranked(
        softenings
            .into_iter()
            .map(|f| Ranked {
                key: (f.rungs, evidence_key(s, std::slice::from_ref(&f.name))),
                parties: vec![f.party.clone()],
                name: f.name.clone(),
                value: f,
            })
            .collect(),
    );
    let least_rungs = single.iter().map(|f| f.rungs).min();
    let least_softenings = tiered(
        single
            .iter()
            .filter(|f| Some(f.rungs) == least_rungs)
            .map(|f| Ranked {
                key: (f.rungs, evidence_key(s, std::slice::from_ref(&f.name))),
                parties: vec![f.party.clone()],
                name: format!("{}#{}", f.name, f.bound),
                value: f.clone(),
            })
            .collect(),
        budget.max_tied,
        SOFTENING_ORDER,
    );
    let (joint_softenings, per_party_softenings) =
        match joint::joint_softenings(s, &mut oracle, budget, least_rungs, limits) {
            Err(crate::error::Error::LimitExceeded {
                limit: crate::config::Limit::TimeLimit,
                ..
            }) => {
                let mut none = Tiered::empty(JOINT_ORDER);
                none.complete = false;
                (none, Vec::new())
            }
            j => j?,
        };
    let issue_ids: Vec<String> = s.issues().iter().map(|i| i.id().to_string()).collect();
    let level_ids: Vec<Vec<String>> = s
        .issues()
        .iter()
        .map(|i| i.levels().iter().map(|l| l.id().to_string()).collect())
        .collect();
    let mut memo = certificate::Projections::new();
    let certificates = if certificates {
        conflicts
            .iter()
            .map(|k| certificate::certificate(&oracle, c, &issue_ids, &level_ids, k, &mut memo))
            .collect()
    } else {
        Vec::new()
    };
    // Softenings stop at the time limit too; a budget spent leaves the lists unfinished.
    let complete = e.complete && !oracle.out_of_time();
    Ok(Explanation {
        acceptable,
        items,
        first_conflict,
        conflicts,
        relaxations,
        complete,
        softenings,
        witnesses,
        least_relaxations,
        least_softenings,
        joint_softenings,
        per_party_softenings,
        certificates,
    })
}
