//! What the analyses return and the options they take: the types behind
//! [`Analysis`](crate::Analysis)'s methods, one module per method.
//!
//! Every value here is read, rendered ([`Report`](crate::Report)) or serialised; none needs
//! the engines to be useful. The engines themselves are in [`crate::engines`].
//!
//! # Example
//! ```
//! use dealzone::results::paths::PathOptions;
//! use dealzone::{Analysis, Config, Scenario};
//! let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
//! let found = a.paths(&PathOptions::default())?;
//! let first = &found.value().paths[0];
//! assert!(first.reachable);
//! if let Some(cost) = first.cost {
//!     println!("{} steps, total concession {cost:.3}", first.steps.len());
//! }
//! # Ok::<(), dealzone::Error>(())
//! ```

/// [`Analysis::zones`](crate::Analysis::zones) and
/// [`Analysis::zone_search`](crate::Analysis::zone_search): the zones, their boxes and
/// the search engine.
pub mod zones {
    pub use crate::analysis::zone::{DealZone, Engine, LevelBox, Zones};
}

/// [`Analysis::paths`](crate::Analysis::paths): one concession path (or the blocking
/// preconditions) per zone.
///
/// # Example
/// ```
/// use dealzone::results::paths::{BLOCKING_ORDER, DEFAULT_BLOCKING_CAP, PathOptions, Paths};
/// use dealzone::{Analysis, Config, Scenario};
/// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
/// let options = PathOptions::default();
/// // Zones walled off by preconditions list at most this many blocking sets, in this order.
/// assert_eq!(options.blocking_cap, DEFAULT_BLOCKING_CAP);
/// assert!(!BLOCKING_ORDER.is_empty());
/// let found = a.paths(&options)?;
/// let p: &Paths = found.value();
/// assert_eq!(p.paths.len(), p.zones.zones.len());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod paths {
    pub use crate::analysis::path::{
        BLOCKING_ORDER, BlockingSet, BlockingSets, CostModel, DEFAULT_BLOCKING_CAP, PathOptions,
        Step, ZonePath,
    };
    pub use crate::analysis::session::Paths;
}

/// [`Analysis::explain`](crate::Analysis::explain) and the no-deal proof of
/// [`Outcome::NoDeal`](crate::Outcome::NoDeal): conflicts, relaxations, softenings, their
/// witnesses and certificates.
///
/// # Example
/// Each "least" list states the order it is ranked by:
/// ```
/// use dealzone::results::explain::{ExplainLimits, JOINT_ORDER, RELAXATION_ORDER, SOFTENING_ORDER};
/// use dealzone::{Analysis, Config, Timeline};
/// let t = Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let a = Analysis::new(t.latest().clone(), Config::default())?;
/// let e = a.explain(&ExplainLimits::default())?;
/// let e = e.value();
/// assert_eq!(e.least_relaxations.order, RELAXATION_ORDER);
/// assert_eq!(e.least_softenings.order, SOFTENING_ORDER);
/// assert_eq!(e.joint_softenings.order, JOINT_ORDER);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod explain {
    pub use crate::analysis::explain::{
        Certificate, Enumeration, ExplainLimits, Explanation, Item, ItemKind, JOINT_ORDER,
        JointSoftening, Move, PartySoftenings, RELAXATION_ORDER, Relaxation, RuleBound,
        SOFTENING_ORDER, Softening, Tiered, Witness,
    };
}

/// [`Analysis::bargain`](crate::Analysis::bargain): the Pareto frontier and the bargaining
/// solutions.
///
/// # Example
/// Utilities are compared to [`PARETO_DECIMALS`](bargain::PARETO_DECIMALS) decimals, so
/// two states a rounding error apart are one point of the frontier:
/// ```
/// use dealzone::results::bargain::PARETO_DECIMALS;
/// use dealzone::{Analysis, Config, Scenario};
/// assert_eq!(PARETO_DECIMALS, 9);
/// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
/// let b = a.bargain()?;
/// assert!(!b.value().pareto.is_empty());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod bargain {
    pub use crate::analysis::bargain::{Bargain, Distances, PARETO_DECIMALS, Solution};
}

/// [`Analysis::stability`](crate::Analysis::stability): GMCR stability of every state.
pub mod stability {
    pub use crate::analysis::session_ext::{Stability, StabilityOptions, StatesListed};
    pub use crate::analysis::stability::{
        Concept, Feasibility, ScenarioStability, ScenarioState, Unravel,
    };
}

/// [`TimelineAnalysis::report`](crate::TimelineAnalysis::report): the report on every
/// dated snapshot, with its what-ifs and the robustness of each finding.
///
/// # Example
/// ```
/// use dealzone::results::timeline::{LEAST_ORDER, ReportOptions};
/// use dealzone::{Config, Timeline, TimelineAnalysis};
/// let t = TimelineAnalysis::new(Timeline::load("seeds/russia_ukraine/timeline.toml")?, Config::default());
/// let r = t.report(&ReportOptions { samples: 0, ..ReportOptions::default() })?;
/// // Every "least" list of the report is ranked by this one symmetric order.
/// assert!(LEAST_ORDER.starts_with("fewest constraints"));
/// assert!(!r.report().snapshots.is_empty());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod timeline {
    pub use crate::analysis::evidence_marks::EvidenceMark;
    pub use crate::analysis::sensitivity::Robustness;
    pub use crate::analysis::timeline_report::{
        Deal, LEAST_ORDER, Relaxation, ReportOptions, SnapshotReport, TimelineReport, WhatIf,
    };
}

/// [`Analysis::simulate`](crate::Analysis::simulate): a seeded batch of runs, its summary
/// and shards.
///
/// # Example
/// A [`Tally`](simulate::Tally) folds runs into a summary one at a time, so a million runs
/// need no million results in memory:
/// ```
/// use dealzone::engines::simulate::run_many;
/// use dealzone::results::simulate::{SimOptions, Tally};
/// use dealzone::{Analysis, Config, Scenario};
/// let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Config::default())?;
/// let w = a.world(&SimOptions::default())?;
/// let mut tally = Tally::new(&w, a.limits());
/// for r in run_many(&w, 20, 7, &|| ()) {
///     tally.add(&r);
/// }
/// assert_eq!(tally.runs(), 20);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod simulate {
    pub use crate::sim::session::{SimOptions, Simulation};
    pub use crate::sim::shard::{Shard, ShardSpec};
    pub use crate::sim::summary::{OutcomeCount, PartyOutcome, ZoneReach};
    pub use crate::sim::tournament_shard::{ShardHeader, TOURNAMENT_SHARD_FORMAT, TournamentShard};
    pub use crate::sim::trace::{End, Trace};
    pub use crate::sim::{Summary, Tally};
}
