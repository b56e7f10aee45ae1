//! A scenario compiled for search: packed states, compiled rules, utility tables.

use std::sync::{Arc, OnceLock};

use super::compiled_rule::CompiledRule;
use super::quotient::RegionQuotient;
use super::region::PreconditionRegion;
use super::state_space::{StateIndex, StateSpace};
use crate::error::Result;
use crate::model::Scenario;

/// Tolerance when comparing a utility with a reservation (CONTRACT.md: 1e-12).
pub const RESERVATION_TOLERANCE: f64 = crate::config::TOLERANCE;

/// One party's utility, tabulated: `contrib[i][l] = weight_i · value_i[l]`.
#[derive(Debug, Clone)]
pub struct PartyUtility {
    party: usize,
    name: String,
    contrib: Vec<Vec<f64>>,
    reservation: f64,
}

impl PartyUtility {
    /// Position of the party in the scenario.
    pub fn party(&self) -> usize {
        self.party
    }

    /// The party's id.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The reservation utility.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// Weighted value of level `level` of issue `issue`.
    #[inline]
    pub fn contrib(&self, issue: usize, level: usize) -> f64 {
        self.contrib[issue][level]
    }

    /// Utility of unpacked levels: summed in issue order from 0, then capped at 1, exactly
    /// as [`crate::model::Preferences::utility`] does, so every engine agrees to the bit.
    #[inline]
    pub fn utility(&self, levels: &[usize]) -> f64 {
        let mut u = 0.0;
        for (i, &l) in levels.iter().enumerate() {
            u += self.contrib[i][l];
        }
        u.min(1.0)
    }

    /// Whether `u` meets the reservation (within [`RESERVATION_TOLERANCE`]).
    #[inline]
    pub fn accepts(&self, u: f64) -> bool {
        u >= self.reservation - RESERVATION_TOLERANCE
    }
}

/// A scenario ready for search.
///
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
/// assert_eq!(Some(c.space().size() as u128), s.state_count());
/// # Ok::<(), dealzone::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledScenario {
    space: StateSpace,
    red_lines: Vec<CompiledRule>,
    red_line_names: Vec<String>,
    preconditions: Vec<CompiledRule>,
    precondition_names: Vec<String>,
    utilities: Vec<PartyUtility>,
    status_quo: StateIndex,
    /// The precondition region, built on first use; copies that keep the same
    /// preconditions (other red lines or reservations) share it.
    region: Arc<OnceLock<Option<PreconditionRegion>>>,
    /// The precondition region's quotient ([`RegionQuotient`]), built on first use and
    /// shared as `region` is.
    quotient: Arc<OnceLock<Option<RegionQuotient>>>,
}

impl CompiledScenario {
    /// Compile `scenario` under `limits`.
    ///
    /// # Errors
    /// [`crate::Error::TooManyStates`] when the space exceeds `limits.max_states`.
    ///
    /// # Complexity
    /// O(Σ rule table sizes + Σ levels · parties).
    pub fn new(scenario: &Scenario, limits: &crate::config::Limits) -> Result<CompiledScenario> {
        let space = StateSpace::new(scenario, limits.max_states)?;
        let compile = |c: &crate::model::Constraint| {
            CompiledRule::new(c.rule().expr(), c.rule().issues(), &space)
        };
        let utilities = scenario
            .parties()
            .iter()
            .enumerate()
            .filter_map(|(k, p)| {
                let prefs = p.preferences()?;
                let contrib = scenario
                    .issues()
                    .iter()
                    .enumerate()
                    .map(|(i, issue)| {
                        let w = prefs.weights()[i];
                        let vals = &prefs.values()[i];
                        (0..issue.levels().len())
                            .map(|l| vals.get(l).map_or(0.0, |v| w * v))
                            .collect()
                    })
                    .collect();
                Some(PartyUtility {
                    party: k,
                    name: p.id().to_string(),
                    contrib,
                    reservation: prefs.reservation(),
                })
            })
            .collect();
        Ok(CompiledScenario {
            red_lines: scenario.red_lines().map(compile).collect(),
            red_line_names: scenario.red_lines().map(|c| c.name()).collect(),
            preconditions: scenario.preconditions().map(compile).collect(),
            precondition_names: scenario.preconditions().map(|c| c.name()).collect(),
            utilities,
            status_quo: space.encode(scenario.status_quo()),
            space,
            region: Arc::default(),
            quotient: Arc::default(),
        })
    }

    /// The state space.
    pub fn space(&self) -> &StateSpace {
        &self.space
    }

    /// Red lines, in scenario order.
    pub fn red_lines(&self) -> &[CompiledRule] {
        &self.red_lines
    }

    /// `party/id` of each red line.
    pub fn red_line_names(&self) -> &[String] {
        &self.red_line_names
    }

    /// Preconditions, in scenario order.
    pub fn preconditions(&self) -> &[CompiledRule] {
        &self.preconditions
    }

    /// `party/id` of each precondition.
    pub fn precondition_names(&self) -> &[String] {
        &self.precondition_names
    }

    /// Utilities of the parties that have one, in party order.
    pub fn utilities(&self) -> &[PartyUtility] {
        &self.utilities
    }

    /// The status quo, packed.
    pub fn status_quo(&self) -> StateIndex {
        self.status_quo
    }

    /// Whether unpacked levels meet every red line.
    pub fn is_candidate(&self, levels: &[usize]) -> bool {
        self.red_lines.iter().all(|r| r.eval_levels(levels))
    }

    /// Whether unpacked levels are acceptable: a candidate every party accepts.
    pub fn is_acceptable(&self, levels: &[usize]) -> bool {
        self.is_candidate(levels) && self.utilities.iter().all(|u| u.accepts(u.utility(levels)))
    }

    /// Whether unpacked levels meet every precondition.
    pub fn meets_preconditions(&self, levels: &[usize]) -> bool {
        self.preconditions.iter().all(|r| r.eval_levels(levels))
    }

    /// Every party's utility at unpacked levels, in [`Self::utilities`] order.
    pub fn utilities_at(&self, levels: &[usize]) -> Vec<f64> {
        self.utilities.iter().map(|u| u.utility(levels)).collect()
    }

    /// A copy without the red lines and preconditions named (`party/id`): what-if
    /// analysis ("what if Russia dropped this red line?").
    ///
    /// # Errors
    /// [`crate::Error::UnknownConstraintName`], with a near name when there is one.
    pub fn without(&self, names: &[&str]) -> Result<CompiledScenario> {
        for n in names {
            let known = self
                .red_line_names
                .iter()
                .chain(&self.precondition_names)
                .any(|k| k == n);
            if !known {
                return Err(crate::error::Error::UnknownConstraintName {
                    name: n.to_string(),
                    help: crate::suggest::did_you_mean(
                        n,
                        self.red_line_names
                            .iter()
                            .chain(&self.precondition_names)
                            .map(String::as_str),
                    ),
                });
            }
        }
        let keep = |all: &[String]| {
            all.iter()
                .map(|k| !names.contains(&k.as_str()))
                .collect::<Vec<_>>()
        };
        Ok(self.with_constraints(&keep(&self.red_line_names), &keep(&self.precondition_names)))
    }

    /// A copy in which only the reservations with `keep[p]` true count (the others drop to
    /// 0, which every utility meets). With all false, the acceptable states are exactly the
    /// candidates.
    pub fn with_reservations(&self, keep: &[bool]) -> CompiledScenario {
        let mut out = self.clone();
        for (u, &k) in out.utilities.iter_mut().zip(keep) {
            if !k {
                u.reservation = 0.0;
            }
        }
        out
    }

    /// A copy with the red lines replaced by `rules` (same count and order), for trying a
    /// softened red line.
    pub fn with_red_line_rules(&self, rules: Vec<CompiledRule>) -> CompiledScenario {
        CompiledScenario {
            red_lines: rules,
            ..self.clone()
        }
    }

    /// A copy with some red lines and preconditions left out (`keep_*[k]` false drops
    /// constraint `k`), for explanations and what-if analysis.
    pub fn with_constraints(
        &self,
        keep_red_lines: &[bool],
        keep_preconditions: &[bool],
    ) -> CompiledScenario {
        let pick = |rules: &[CompiledRule],
                    names: &[String],
                    keep: &[bool]|
         -> (Vec<CompiledRule>, Vec<String>) {
            rules
                .iter()
                .zip(names)
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|((r, n), _)| (r.clone(), n.clone()))
                .unzip()
        };
        let (red_lines, red_line_names) =
            pick(&self.red_lines, &self.red_line_names, keep_red_lines);
        let (preconditions, precondition_names) = pick(
            &self.preconditions,
            &self.precondition_names,
            keep_preconditions,
        );
        // The region depends on the preconditions alone: share it while they all stay.
        let (region, quotient) = if keep_preconditions.iter().all(|&k| k) {
            (Arc::clone(&self.region), Arc::clone(&self.quotient))
        } else {
            (Arc::default(), Arc::default())
        };
        CompiledScenario {
            red_lines,
            red_line_names,
            preconditions,
            precondition_names,
            region,
            quotient,
            ..self.clone()
        }
    }

    /// The compiled precondition region ([`PreconditionRegion`]): per state, which
    /// preconditions it breaks. Built by one scan on first use, within a quarter of
    /// `limits.max_memory_bytes`, and shared with every copy keeping the same
    /// preconditions; `None` when the space is too large to materialise (searches then
    /// evaluate the rules on each state they generate). The first caller's limits decide
    /// whether it is built; the answers of the searches never depend on it, only their
    /// speed.
    ///
    /// # Complexity
    /// See [`PreconditionRegion::build`]; O(1) after the first call.
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
    /// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
    /// let r = c.precondition_region(&dealzone::Limits::default()).unwrap();
    /// assert_eq!(r.broken(c.status_quo()) == 0, c.meets_preconditions(s.status_quo()));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn precondition_region(
        &self,
        limits: &crate::config::Limits,
    ) -> Option<&PreconditionRegion> {
        self.region
            .get_or_init(|| {
                PreconditionRegion::build(
                    &self.space,
                    &self.preconditions,
                    limits.max_memory_bytes / 4,
                )
            })
            .as_ref()
    }

    /// The precondition region's quotient ([`RegionQuotient`]): runs of levels no
    /// precondition tells apart merged into cells, which every path search decides
    /// reachability and blocking sets on. Built once on first use within a quarter of
    /// `limits.max_memory_bytes` and shared like [`Self::precondition_region`]; `None`
    /// when it would have more than [`super::MAX_QUOTIENT_CELLS`] cells or `limits`'
    /// time limit runs out building it (searches then work on the states themselves,
    /// under the same clock). Answers never depend on it, only speed.
    ///
    /// # Complexity
    /// See [`RegionQuotient::build`]; O(1) after the first call.
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
    /// let c = dealzone::space::CompiledScenario::new(&s, &dealzone::Limits::default())?;
    /// let q = c.precondition_quotient(&dealzone::Limits::default()).unwrap();
    /// assert_eq!(q.broken(s.status_quo()) == 0, c.meets_preconditions(s.status_quo()));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn precondition_quotient(&self, limits: &crate::config::Limits) -> Option<&RegionQuotient> {
        if let Some(q) = self.quotient.get() {
            return q.as_ref();
        }
        // Within the time limit; a build the clock stopped is not kept (a later call with
        // more time may finish it), and the search then works on the states, whose own
        // clock checks end it with the typed error.
        let q = RegionQuotient::build_within(
            &self.space,
            &self.preconditions,
            limits.max_memory_bytes / 4,
            limits,
        )
        .ok()?;
        self.quotient.get_or_init(|| q).as_ref()
    }
}
