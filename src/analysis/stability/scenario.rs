//! A scenario as a graph model.
//!
//! How a scenario with `controls` becomes a conflict:
//!
//! - **Decision makers** are the parties that control at least one issue, in party order.
//!   A party without `controls` makes no moves, so it is not a decision maker (it could
//!   never move, so it would be stable everywhere and never sanction).
//! - **Feasible states**: by default every state of the space ([`Feasibility::All`]). A red
//!   line says what a party demands of a deal, not what cannot happen: stability asks
//!   whether a party would break the deal, and breaking it may well break someone's red
//!   line. [`Feasibility::Candidates`] keeps only the states meeting every red line, for
//!   reading red lines as hard limits on what anyone can do.
//! - **Moves**: a decision maker's unilateral move sets any of the issues it controls (one
//!   or several at once) to any other levels, jumps included, as a GMCR decision maker may
//!   change several of its options in one move; everything else stays. Issues no party
//!   controls never change.
//! - **Preferences**: each decision maker's utility, with utilities within 1e-12 equally
//!   preferred ([`super::preference::ranks_from_scores`]). A decision maker without a
//!   utility (a mediator that controls an issue) is indifferent between all states: it
//!   never has an improvement, its moves still count as sanctions under GMR and SMR, and
//!   never under SEQ. Reservations play no part: no deal is not a state of the model.
//!
//! Because no move changes an uncontrolled issue, the graph falls apart into *fibres*, one
//! per assignment of the uncontrolled issues, each with the product of the controlled
//! issues' level counts as states. Only the fibres holding listed states are analysed.

use std::collections::BTreeMap;

use super::concepts::{Concept, analyse};
use super::model::{Conflict, DecisionMaker, Moves, OptionInfo};
use super::preference::{UTILITY_TIE, ranks_from_scores};
use crate::error::Result;
use crate::error::gmcr::GmcrError;
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// Most states a fibre (the product of the controlled issues' level counts) may have.
pub const MAX_FIBRE: u64 = 1 << 24;

/// Most states numbering under [`Feasibility::Candidates`] scans (it counts the candidates
/// before each listed state).
pub const MAX_NUMBERED: u64 = 1 << 28;

/// Which states of a scenario are feasible in its graph model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Feasibility {
    /// Every state (the default).
    #[default]
    All,
    /// The states meeting every red line.
    Candidates,
}

/// A move that unravels a state: a decision maker's improvement that no sanction deters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unravel {
    /// The decision maker (position in [`ScenarioStability::dms`]).
    pub dm: usize,
    /// Where it moves (index in the full enumeration).
    pub to: StateIndex,
    /// The concepts under which nothing deters the move (always Nash; in report order).
    pub concepts: Vec<Concept>,
}

/// Stability of one listed state of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioState {
    /// Index in the full enumeration (the contract's `code`).
    pub index: StateIndex,
    /// 1-based position among the feasible states (the contract's `number`).
    pub number: u64,
    /// `stable[dm][concept]`, concepts in [`Concept::ALL`] order.
    pub stable: Vec<[bool; 4]>,
    /// For a state that is not an equilibrium under every concept: the unsanctioned move
    /// under the most concepts (ties: decision maker order, then the move it likes best,
    /// then the lowest target).
    pub unravel: Option<Unravel>,
}

impl ScenarioState {
    /// Whether stable for every decision maker under `concept`.
    pub fn is_equilibrium(&self, concept: Concept) -> bool {
        self.stable.iter().all(|s| s[concept as usize])
    }
}

/// Stability of the listed states of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioStability {
    /// Decision makers' party ids, in party order.
    pub dms: Vec<String>,
    /// Issues each decision maker controls.
    pub controls: Vec<Vec<usize>>,
    /// Which states were feasible.
    pub feasibility: Feasibility,
    /// Number of feasible states.
    pub feasible: u64,
    /// The listed states, in enumeration order.
    pub states: Vec<ScenarioState>,
}

impl ScenarioStability {
    /// The listed states that are equilibria under `concept`.
    pub fn equilibria(&self, concept: Concept) -> Vec<&ScenarioState> {
        self.states
            .iter()
            .filter(|s| s.is_equilibrium(concept))
            .collect()
    }
}

/// Stability of the states `listed` (indices in the full enumeration; duplicates and
/// infeasible ones dropped) of a compiled scenario.
///
/// # Arguments
/// `scenario`: for the parties' `controls`; `c`: the compiled scenario (after any
/// `without`); `feasibility`: see [`Feasibility`]; `listed`: the states to report.
///
/// # Returns
/// The decision makers (parties with `controls`, in party order) and what they control,
/// the number of feasible states, and one [`ScenarioState`] per listed state, sorted by
/// state: its number and code, its stability for every decision maker under Nash, GMR, SMR
/// and SEQ, and, where it is not an equilibrium under every concept, the move that
/// unravels it.
///
/// # Errors
/// [`GmcrError::Model`] when no party controls an issue, a fibre would exceed
/// [`MAX_FIBRE`] states, or numbering candidates would scan more than [`MAX_NUMBERED`].
///
/// # Complexity
/// O(F · analysis of one fibre) for `F` fibres holding listed states, plus O(|space|) to
/// number the states under [`Feasibility::Candidates`]; a fibre has `Π` controlled level
/// counts states.
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{scenario_stability, Concept, Feasibility};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// let all: Vec<u64> = (0..c.space().size()).collect();
/// let st = scenario_stability(&s, &c, Feasibility::All, &all)?;
/// assert_eq!(st.states.len() as u64, c.space().size());
/// // Nash equilibria are equilibria under every other concept.
/// assert!(st.equilibria(Concept::Nash).iter().all(|x| x.is_equilibrium(Concept::Gmr)));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn scenario_stability(
    scenario: &Scenario,
    c: &CompiledScenario,
    feasibility: Feasibility,
    listed: &[StateIndex],
) -> Result<ScenarioStability> {
    scenario_stability_within(
        scenario,
        c,
        feasibility,
        listed,
        &crate::config::Limits::default(),
    )
}

/// [`scenario_stability`] within `limits.time_limit`.
///
/// # Arguments
/// As [`scenario_stability`], and the limits whose `time_limit` bounds the run.
///
/// # Returns
/// As [`scenario_stability`].
///
/// # Errors
/// As [`scenario_stability`], and [`crate::Error::LimitExceeded`] (`time_limit`) when
/// the clock runs out (checked every few thousand states).
///
/// # Complexity
/// As [`scenario_stability`]: the report of one listed state costs O(n · |R(s)|).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{scenario_stability_within, Feasibility};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// let limits = dealzone::Limits {
///     time_limit: Some(std::time::Duration::from_secs(60)),
///     ..Default::default()
/// };
/// let st = scenario_stability_within(&s, &c, Feasibility::All, &[0, 164], &limits)?;
/// assert_eq!(st.states.len(), 2);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn scenario_stability_within(
    scenario: &Scenario,
    c: &CompiledScenario,
    feasibility: Feasibility,
    listed: &[StateIndex],
    limits: &crate::config::Limits,
) -> Result<ScenarioStability> {
    let deadline = crate::config::Deadline::new(limits.time_limit);
    let f = Fibration::new(scenario, c, feasibility)?;
    let space = c.space();
    let mut buf = vec![0usize; space.issues()];
    let (numbers, feasible): (Option<Vec<u64>>, u64) = match feasibility {
        Feasibility::All => (None, space.size()),
        Feasibility::Candidates if space.size() > MAX_NUMBERED => {
            return Err(GmcrError::Model {
                message: format!(
                    "{}: numbering the candidates of {} states; at most {MAX_NUMBERED} are scanned (use the default feasibility)",
                    scenario.name(),
                    space.size()
                ),
            }
            .into());
        }
        Feasibility::Candidates => {
            let mut prefix = Vec::with_capacity(space.size() as usize);
            let mut count = 0u64;
            for s in 0..space.size() {
                if s % 65_536 == 0 {
                    deadline.check(limits)?;
                }
                prefix.push(count);
                if f.feasible(s, &mut buf) {
                    count += 1;
                }
            }
            (Some(prefix), count)
        }
    };
    let number = |s: StateIndex| numbers.as_ref().map_or(s + 1, |p| p[s as usize] + 1);
    let mut fibres: BTreeMap<StateIndex, Vec<StateIndex>> = BTreeMap::new();
    for &s in listed {
        if s < space.size() && f.feasible(s, &mut buf) {
            fibres.entry(f.base_of(s)).or_default().push(s);
        }
    }
    let dms = &f.dms;
    let mut out = Vec::new();
    for (base, mut wanted) in fibres {
        wanted.sort_unstable();
        wanted.dedup();
        deadline.check(limits)?;
        let (conflict, states) = f.fibre(base);
        let st = analyse(&conflict);
        for (x, s) in wanted.into_iter().enumerate() {
            if x % 256 == 255 {
                deadline.check(limits)?;
            }
            let Ok(local) = states.binary_search(&s) else {
                continue;
            };
            let stable: Vec<[bool; 4]> = (0..dms.len())
                .map(|i| Concept::ALL.map(|k| st.is_stable(k, i, local)))
                .collect();
            // The unravelling move: most concepts, then decision maker order, then the
            // move it likes best, then the lowest target. One pass over each decision
            // maker's moves with O(1) checks: sorting the improvements and searching the
            // unsanctioned lists per target was quadratic in a large class (an issue of
            // 10,000 levels).
            let mut unravel: Option<(usize, usize, usize)> = None; // (concepts, dm, target)
            for i in 0..dms.len() {
                let r = conflict.ranks(i);
                let rs = r[local];
                let mut best: Option<(usize, usize)> = None; // (concepts, target) for this dm
                conflict.moves[i].for_each_target(local as u32, |t| {
                    let t = t as usize;
                    if r[t] <= rs {
                        return;
                    }
                    let n = Concept::ALL
                        .iter()
                        .filter(|&&k| st.is_unsanctioned(k, i, rs, t))
                        .count();
                    let better = best.is_none_or(|(bn, bt)| {
                        n > bn || (n == bn && (r[t] > r[bt] || (r[t] == r[bt] && t < bt)))
                    });
                    if better {
                        best = Some((n, t));
                    }
                });
                if let Some((n, t)) = best
                    && unravel.is_none_or(|(b, _, _)| n > b)
                {
                    unravel = Some((n, i, t));
                }
            }
            let rank_here = |i: usize| conflict.ranks(i)[local];
            out.push(ScenarioState {
                index: s,
                number: number(s),
                unravel: unravel.map(|(_, i, t)| Unravel {
                    dm: i,
                    to: states[t],
                    concepts: Concept::ALL
                        .into_iter()
                        .filter(|&k| st.is_unsanctioned(k, i, rank_here(i), t))
                        .collect(),
                }),
                stable,
            });
        }
    }
    out.sort_by_key(|s| s.index);
    Ok(ScenarioStability {
        dms: f.dms.iter().map(|d| d.name.clone()).collect(),
        controls: f.dms.iter().map(|d| d.options.clone()).collect(),
        feasibility,
        feasible,
        states: out,
    })
}

/// The graph model of the fibre holding `state`: the states that agree with it on every
/// issue no decision maker controls (the only states reachable from it by any moves).
///
/// # Arguments
/// As [`scenario_stability`]; `state`: an index in the full enumeration.
///
/// # Returns
/// The fibre's conflict (decision makers as in [`scenario_stability`], each with the issues
/// it controls as `options`; labels `issue=level` over the controlled issues) and the full
/// index of each of its states (conflict state `k` is `states[k]`), increasing.
///
/// # Errors
/// [`GmcrError::Model`] when no party controls an issue, or `state` is outside the space or
/// infeasible.
///
/// # Complexity
/// O(F log F · n) for a fibre of `F` states and `n` decision makers.
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{explain_stability, scenario_fibre, Feasibility};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// let (conflict, states) = scenario_fibre(&s, &c, Feasibility::All, 164)?;
/// let local = states.binary_search(&164).unwrap();
/// assert_eq!(conflict.dms()[0].name, "union");
/// // State code 164 (wage +3%, no one-off, peace) is Nash stable for the union.
/// assert!(explain_stability(&conflict, 0, local)?.improvements.is_empty());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn scenario_fibre(
    scenario: &Scenario,
    c: &CompiledScenario,
    feasibility: Feasibility,
    state: StateIndex,
) -> Result<(Conflict, Vec<StateIndex>)> {
    let f = Fibration::new(scenario, c, feasibility)?;
    let mut buf = vec![0usize; c.space().issues()];
    if state >= c.space().size() || !f.feasible(state, &mut buf) {
        return Err(GmcrError::Model {
            message: format!(
                "state {state} is not a feasible state of `{}` (the space has {} states)",
                scenario.name(),
                c.space().size()
            ),
        }
        .into());
    }
    Ok(f.fibre(f.base_of(state)))
}

/// The states of a scenario numbered as the listings number them (`number`: the 1-based
/// position among the feasible states), and back.
///
/// # Arguments
/// `c`: the compiled scenario; `feasibility`: which states are feasible; `codes`: states
/// (indices in the full enumeration) to number.
///
/// # Returns
/// Each code's number (`code + 1` under [`Feasibility::All`]), in the order given.
///
/// # Errors
/// [`GmcrError::Model`] when a code is outside the space or infeasible, or numbering the
/// candidates would scan more than [`MAX_NUMBERED`] states.
///
/// # Complexity
/// O(codes) under [`Feasibility::All`]; O(|space| · issues) under
/// [`Feasibility::Candidates`].
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{scenario_numbers, scenario_code, Feasibility};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// assert_eq!(scenario_numbers(&c, Feasibility::All, &[0, 164])?, vec![1, 165]);
/// let n = scenario_numbers(&c, Feasibility::Candidates, &[164])?[0];
/// assert_eq!(scenario_code(&c, Feasibility::Candidates, n)?, 164);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn scenario_numbers(
    c: &CompiledScenario,
    feasibility: Feasibility,
    codes: &[StateIndex],
) -> Result<Vec<u64>> {
    let size = c.space().size();
    let feasible = |s: StateIndex, buf: &mut Vec<usize>| match feasibility {
        Feasibility::All => true,
        Feasibility::Candidates => {
            c.space().decode_into(s, buf);
            c.is_candidate(buf)
        }
    };
    let mut buf = vec![0usize; c.space().issues()];
    if let Some(&bad) = codes.iter().find(|&&s| s >= size || !feasible(s, &mut buf)) {
        return Err(GmcrError::Model {
            message: format!(
                "state code {bad} is not a feasible state (the space has {size} states)"
            ),
        }
        .into());
    }
    match feasibility {
        Feasibility::All => Ok(codes.iter().map(|&s| s + 1).collect()),
        Feasibility::Candidates => {
            check_numbered(size)?;
            let mut order: Vec<usize> = (0..codes.len()).collect();
            order.sort_by_key(|&k| codes[k]);
            let mut out = vec![0u64; codes.len()];
            let (mut count, mut s) = (0u64, 0u64);
            for k in order {
                while s < codes[k] {
                    if feasible(s, &mut buf) {
                        count += 1;
                    }
                    s += 1;
                }
                out[k] = count + 1;
            }
            Ok(out)
        }
    }
}

/// The state (index in the full enumeration) a listing numbers `number`: the inverse of
/// [`scenario_numbers`].
///
/// # Arguments
/// As [`scenario_numbers`]; `number`: 1-based.
///
/// # Returns
/// The state's code.
///
/// # Errors
/// [`GmcrError::Model`] when no feasible state has that number, or numbering the candidates
/// would scan more than [`MAX_NUMBERED`] states.
///
/// # Complexity
/// O(1) under [`Feasibility::All`]; O(|space| · issues) under [`Feasibility::Candidates`].
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{scenario_code, Feasibility};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// assert_eq!(scenario_code(&c, Feasibility::All, 165)?, 164);
/// assert!(scenario_code(&c, Feasibility::All, 0).is_err());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn scenario_code(
    c: &CompiledScenario,
    feasibility: Feasibility,
    number: u64,
) -> Result<StateIndex> {
    let size = c.space().size();
    let missing = |feasible: u64| -> crate::error::Error {
        GmcrError::Model {
            message: format!("state {number} does not exist (states are numbered 1..{feasible})"),
        }
        .into()
    };
    match feasibility {
        Feasibility::All if (1..=size).contains(&number) => Ok(number - 1),
        Feasibility::All => Err(missing(size)),
        Feasibility::Candidates => {
            check_numbered(size)?;
            let mut buf = vec![0usize; c.space().issues()];
            let mut count = 0u64;
            for s in 0..size {
                c.space().decode_into(s, &mut buf);
                if c.is_candidate(&buf) {
                    count += 1;
                    if count == number {
                        return Ok(s);
                    }
                }
            }
            Err(missing(count))
        }
    }
}

fn check_numbered(size: u64) -> Result<()> {
    if size > MAX_NUMBERED {
        return Err(GmcrError::Model {
            message: format!(
                "numbering the candidates of {size} states; at most {MAX_NUMBERED} are scanned (use the default feasibility)"
            ),
        }
        .into());
    }
    Ok(())
}

/// What every fibre of a scenario shares.
struct Fibration<'a> {
    scenario: &'a Scenario,
    c: &'a CompiledScenario,
    feasibility: Feasibility,
    dms: Vec<DecisionMaker>,
    /// Controlled issues, increasing.
    controlled: Vec<usize>,
    /// Bit offset of each controlled issue in a packed code.
    offset: Vec<u32>,
    /// Each decision maker's bits.
    masks: Vec<u64>,
    /// Position in `c.utilities()` of each decision maker's utility.
    utility: Vec<Option<usize>>,
}

impl<'a> Fibration<'a> {
    fn new(
        scenario: &'a Scenario,
        c: &'a CompiledScenario,
        feasibility: Feasibility,
    ) -> Result<Fibration<'a>> {
        let parties: Vec<usize> = (0..scenario.parties().len())
            .filter(|&p| !scenario.parties()[p].controls().is_empty())
            .collect();
        if parties.is_empty() {
            return Err(GmcrError::Model {
                message: format!(
                    "{}: no party controls an issue; stability needs `controls = [...]`",
                    scenario.name()
                ),
            }
            .into());
        }
        let space = c.space();
        let dms: Vec<DecisionMaker> = parties
            .iter()
            .map(|&p| {
                let mut v = scenario.parties()[p].controls().to_vec();
                v.sort_unstable();
                DecisionMaker {
                    name: scenario.parties()[p].id().to_string(),
                    options: v,
                }
            })
            .collect();
        let mut controlled: Vec<usize> = dms.iter().flat_map(|d| d.options.clone()).collect();
        controlled.sort_unstable();
        controlled.dedup();
        // Bit fields per controlled issue, the last issue lowest, so packed codes increase
        // in enumeration order within a fibre.
        let fibre: u128 = controlled
            .iter()
            .map(|&i| space.radices()[i] as u128)
            .product();
        if fibre > MAX_FIBRE as u128 {
            return Err(GmcrError::Model {
                message: format!(
                    "{}: the controlled issues span {fibre} states; at most {MAX_FIBRE} per fibre are analysed",
                    scenario.name()
                ),
            }
            .into());
        }
        // Bits for levels 0..radix (none for a one-level issue).
        let width = |i: usize| 64 - (space.radices()[i] - 1).leading_zeros();
        let mut offset = vec![0u32; space.issues()];
        let mut bits = 0u32;
        for &i in controlled.iter().rev() {
            offset[i] = bits;
            bits += width(i);
        }
        let masks = dms
            .iter()
            .map(|d| {
                d.options
                    .iter()
                    .map(|&i| ((1u64 << width(i)) - 1) << offset[i])
                    .fold(0, |a, b| a | b)
            })
            .collect();
        let utility = parties
            .iter()
            .map(|&p| c.utilities().iter().position(|u| u.party() == p))
            .collect();
        Ok(Fibration {
            scenario,
            c,
            feasibility,
            dms,
            controlled,
            offset,
            masks,
            utility,
        })
    }

    fn feasible(&self, s: StateIndex, buf: &mut [usize]) -> bool {
        match self.feasibility {
            Feasibility::All => true,
            Feasibility::Candidates => {
                self.c.space().decode_into(s, buf);
                self.c.is_candidate(buf)
            }
        }
    }

    /// The fibre's first state: `s` with every controlled issue at its lowest level.
    fn base_of(&self, s: StateIndex) -> StateIndex {
        let space = self.c.space();
        self.controlled.iter().fold(s, |acc, &i| {
            acc - space.level(s, i) as u64 * space.strides()[i]
        })
    }

    /// The fibre starting at `base` as a conflict, and its states' full indices.
    fn fibre(&self, base: StateIndex) -> (Conflict, Vec<StateIndex>) {
        let (c, space) = (self.c, self.c.space());
        let mut buf = vec![0usize; space.issues()];
        // The fibre's feasible states, in enumeration order.
        let size: u64 = self
            .controlled
            .iter()
            .map(|&i| space.radices()[i])
            .product();
        let mut states: Vec<StateIndex> = Vec::new();
        for k in 0..size {
            let mut rem = k;
            let mut s = base;
            for &i in self.controlled.iter().rev() {
                let r = space.radices()[i];
                s += (rem % r) * space.strides()[i];
                rem /= r;
            }
            if self.feasible(s, &mut buf) {
                states.push(s);
            }
        }
        let codes: Vec<u64> = states
            .iter()
            .map(|&s| {
                self.controlled
                    .iter()
                    .map(|&i| (space.level(s, i) as u64) << self.offset[i])
                    .sum()
            })
            .collect();
        let moves = self
            .masks
            .iter()
            .map(|&mask| {
                let key: Vec<u64> = codes.iter().map(|&c| c & !mask).collect();
                Moves::from_classes(&key, vec![0; codes.len()], 0, 0)
            })
            .collect();
        let ranks = self
            .utility
            .iter()
            .map(|u| match u {
                Some(k) => {
                    let scores: Vec<f64> = states
                        .iter()
                        .map(|&s| {
                            space.decode_into(s, &mut buf);
                            c.utilities()[*k].utility(&buf)
                        })
                        .collect();
                    ranks_from_scores(&scores, UTILITY_TIE)
                }
                None => vec![0; states.len()],
            })
            .collect();
        let issues = self.scenario.issues();
        let labels = states
            .iter()
            .map(|&s| {
                self.controlled
                    .iter()
                    .map(|&i| {
                        format!(
                            "{}={}",
                            issues[i].id(),
                            issues[i].levels()[space.level(s, i)].id()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let conflict = Conflict::from_parts(
            self.dms.clone(),
            labels,
            moves,
            ranks,
            Some(OptionInfo {
                codes,
                masks: self.masks.clone(),
            }),
        );
        (conflict, states)
    }
}
