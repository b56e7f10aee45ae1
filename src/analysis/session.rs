//! One way in: a scenario compiled once, and every analysis on the same value.
//!
//! [`Analysis`] holds the scenario (on the evidence admitted), its compiled form and the
//! limits; each method runs one analysis and returns a [`Finding`]: the result together
//! with the analysis it came from, so a reporter ([`crate::report::Report`]) can render it
//! as text or as the command line's `--json` document without being handed the scenario
//! again. [`Analysis::zones`] answers with an [`Outcome`]: the deal zones, or, when no
//! state is acceptable, the proof of why (conflicts, relaxations, softenings, witnesses and
//! certificates of [`explain`](super::explain)).
//!
//! An `Analysis` is cheap to clone (it shares one compiled scenario) and is `Send + Sync`,
//! so findings can outlive the borrow that made them and cross threads.
//!
//! # Example
//! ```
//! use dealzone::{Analysis, Limits, Outcome, Scenario};
//!
//! let analysis = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
//! match analysis.zones()?.value() {
//!     Outcome::Deal(z) => assert!(!z.acceptable.is_empty()),
//!     Outcome::NoDeal { proof, .. } => assert!(!proof.relaxations.is_empty()),
//! }
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::sync::Arc;

use super::bargain::{Bargain, bargain_compiled};
use super::explain::{ExplainLimits, Explanation, explain};
use super::path::{PathOptions, ZonePath, paths_with};
use super::zone::{Engine, Zones, find_zones_compiled};
use crate::config::Limits;
use crate::error::Result;
use crate::model::{Evidence, Scenario};
use crate::space::CompiledScenario;

/// A scenario compiled once, with the limits every analysis on it runs under.
#[derive(Debug, Clone)]
pub struct Analysis {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    scenario: Scenario,
    compiled: CompiledScenario,
    limits: Limits,
    admitted: Evidence,
}

/// What [`Analysis::zones`] finds: the zones, or the proof that there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Some state is acceptable to every party: the zones (never empty).
    Deal(Zones),
    /// No state is acceptable: the zone search's counts and the explanation.
    NoDeal {
        /// The (empty) zone search, with its state and candidate counts.
        zones: Zones,
        /// Why: every minimal conflict and relaxation, the least softenings, with
        /// witnesses, certificates and evidence grades.
        proof: Box<Explanation>,
    },
}

impl Outcome {
    /// The zone search, deal or not.
    pub fn zones(&self) -> &Zones {
        match self {
            Outcome::Deal(z) | Outcome::NoDeal { zones: z, .. } => z,
        }
    }

    /// Whether some state is acceptable to every party.
    pub fn is_deal(&self) -> bool {
        matches!(self, Outcome::Deal(_))
    }
}

/// The zones and, for each, the path that reaches it ([`Analysis::paths`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    /// The zone search the paths lead into.
    pub zones: Zones,
    /// One entry per zone, in the zones' order.
    pub paths: Vec<ZonePath>,
    /// The options the paths were searched with.
    pub options: PathOptions,
}

/// A result with the analysis that produced it (for rendering: see
/// [`crate::report::Report`]).
#[derive(Debug, Clone)]
pub struct Finding<T> {
    analysis: Analysis,
    value: T,
}

impl<T> Finding<T> {
    /// The result.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The result, without the analysis.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The analysis that produced it.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }
}

impl Analysis {
    /// Compile `scenario` once for every analysis below.
    ///
    /// # Errors
    /// As [`CompiledScenario::new`]: a space beyond `limits.max_states`.
    pub fn new(scenario: Scenario, limits: Limits) -> Result<Analysis> {
        Self::build(scenario, limits, Evidence::Inferred)
    }

    /// The analysis on the constraints graded `weakest` or firmer only
    /// ([`Scenario::admit`]); the JSON documents then say which grade was admitted.
    ///
    /// # Errors
    /// As [`Analysis::new`].
    pub fn admitting(scenario: Scenario, weakest: Evidence, limits: Limits) -> Result<Analysis> {
        Self::build(scenario.admit(weakest), limits, weakest)
    }

    fn build(scenario: Scenario, limits: Limits, admitted: Evidence) -> Result<Analysis> {
        let compiled = CompiledScenario::new(&scenario, &limits)?;
        Ok(Analysis {
            inner: Arc::new(Inner {
                scenario,
                compiled,
                limits,
                admitted,
            }),
        })
    }

    /// The scenario analysed (after admission).
    pub fn scenario(&self) -> &Scenario {
        &self.inner.scenario
    }

    /// Its compiled form.
    pub fn compiled(&self) -> &CompiledScenario {
        &self.inner.compiled
    }

    /// The limits every analysis runs under.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The weakest evidence grade admitted ([`Evidence::Inferred`]: everything).
    pub fn admitted(&self) -> Evidence {
        self.inner.admitted
    }

    /// The same analysis without the named red lines or preconditions (`party/id`), a
    /// what-if ([`Scenario::without`]).
    ///
    /// # Errors
    /// An unknown name (with a did-you-mean), or as [`Analysis::new`].
    pub fn without(&self, names: &[&str]) -> Result<Analysis> {
        Self::build(
            self.scenario().without(names)?,
            self.limits().clone(),
            self.admitted(),
        )
    }

    /// `value` as a finding of this analysis (for the analyses defined beside this file).
    pub(crate) fn finding<T>(&self, value: T) -> Finding<T> {
        Finding {
            analysis: self.clone(),
            value,
        }
    }

    /// The deal zones, or the proof that there is none.
    ///
    /// # Returns
    /// [`Outcome::Deal`] with the zones, or [`Outcome::NoDeal`] with the zone counts and
    /// the [`Explanation`] under the explanation limits of [`Analysis::limits`]
    /// (`max_checks`, `max_sets`, `max_table_states`, `max_tied`).
    ///
    /// # Errors
    /// A limit of [`Analysis::limits`] broken by the zone search or the explanation.
    ///
    /// # Complexity
    /// That of [`find_zones_compiled`] with the automatic engine; with no deal, plus
    /// that of [`explain`].
    ///
    /// # Example
    /// See the [module](self).
    pub fn zones(&self) -> Result<Finding<Outcome>> {
        let z = find_zones_compiled(self.compiled(), Engine::Auto, self.limits())?;
        let outcome = if z.acceptable.is_empty() {
            let proof = self.explain_value(&ExplainLimits::from(self.limits()))?;
            Outcome::NoDeal {
                zones: z,
                proof: Box::new(proof),
            }
        } else {
            Outcome::Deal(z)
        };
        Ok(self.finding(outcome))
    }

    /// The deal zones alone, found by `engine`: what `dealzone zones` prints. Unlike
    /// [`Analysis::zones`] nothing more is computed when there is no deal.
    ///
    /// # Errors
    /// A limit of [`Analysis::limits`] broken by the search.
    ///
    /// # Complexity
    /// That of [`find_zones_compiled`] with `engine`.
    ///
    /// # Example
    /// ```
    /// use dealzone::{Analysis, Limits, Scenario, analysis::zone::Engine};
    /// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
    /// let brute = a.zone_search(Engine::BruteForce)?;
    /// let bnb = a.zone_search(Engine::BranchAndBound)?;
    /// assert_eq!(brute.value().zones, bnb.value().zones);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn zone_search(&self, engine: Engine) -> Result<Finding<Zones>> {
        Ok(self.finding(find_zones_compiled(self.compiled(), engine, self.limits())?))
    }

    fn explain_value(&self, budget: &ExplainLimits) -> Result<Explanation> {
        explain(self.scenario(), self.compiled(), budget, self.limits())
    }

    /// Why there is or is not a deal: minimal conflicts and relaxations, least softenings,
    /// with witnesses and certificates ([`explain`]).
    ///
    /// # Errors
    /// A limit broken (a time limit after the first conflict gives `complete: false`).
    ///
    /// # Complexity
    /// That of [`explain`].
    ///
    /// # Example
    /// ```
    /// use dealzone::{Analysis, Limits, Scenario, analysis::explain::ExplainLimits};
    /// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
    /// let e = a.explain(&ExplainLimits::default())?;
    /// assert_eq!(e.value().acceptable > 0, e.value().conflicts.is_empty());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn explain(&self, budget: &ExplainLimits) -> Result<Finding<Explanation>> {
        Ok(self.finding(self.explain_value(budget)?))
    }

    /// The zones and the cheapest path from the status quo into each, respecting every
    /// precondition ([`paths_with`]); one time budget for both searches.
    ///
    /// # Errors
    /// A limit broken by either search.
    ///
    /// # Complexity
    /// That of the zone search plus [`paths_with`].
    ///
    /// # Example
    /// ```
    /// use dealzone::{Analysis, Limits, Scenario, analysis::path::PathOptions};
    /// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
    /// let p = a.paths(&PathOptions::default())?;
    /// assert_eq!(p.value().paths.len(), p.value().zones.zones.len());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn paths(&self, options: &PathOptions) -> Result<Finding<Paths>> {
        let start = std::time::Instant::now();
        let limits = self.limits();
        let zones = find_zones_compiled(self.compiled(), Engine::Auto, limits)?;
        let left = Limits {
            time_limit: limits.time_limit.map(|t| t.saturating_sub(start.elapsed())),
            ..limits.clone()
        };
        // The error names the whole budget, not what the path search had left of it.
        let paths = paths_with(self.compiled(), &zones, options, &left)
            .map_err(|e| limits.whole_budget(e))?;
        Ok(self.finding(Paths {
            zones,
            paths,
            options: *options,
        }))
    }

    /// The bargaining analysis over the candidates (states meeting every red line):
    /// Pareto frontier and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian
    /// solutions ([`bargain_compiled`]).
    ///
    /// # Errors
    /// More candidates than `limits.max_acceptable`, or another limit broken.
    ///
    /// # Complexity
    /// That of [`bargain_compiled`].
    ///
    /// # Example
    /// ```
    /// use dealzone::{Analysis, Limits, Scenario};
    /// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
    /// let b = a.bargain()?;
    /// assert!(!b.value().pareto.is_empty());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn bargain(&self) -> Result<Finding<Bargain>> {
        Ok(self.finding(bargain_compiled(self.compiled(), self.limits())?))
    }
}
