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
pub mod explain {
    pub use crate::analysis::explain::{
        Certificate, Enumeration, ExplainLimits, Explanation, Item, ItemKind, JOINT_ORDER,
        JointSoftening, Move, PartySoftenings, RELAXATION_ORDER, Relaxation, RuleBound,
        SOFTENING_ORDER, Softening, Tiered, Witness,
    };
}

/// [`Analysis::bargain`](crate::Analysis::bargain): the Pareto frontier and the bargaining
/// solutions.
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
pub mod timeline {
    pub use crate::analysis::evidence_marks::EvidenceMark;
    pub use crate::analysis::sensitivity::Robustness;
    pub use crate::analysis::timeline_report::{
        Deal, LEAST_ORDER, Relaxation, ReportOptions, SnapshotReport, TimelineReport, WhatIf,
    };
}

/// [`Analysis::simulate`](crate::Analysis::simulate): a seeded batch of runs, its summary
/// and shards.
pub mod simulate {
    pub use crate::sim::session::{SimOptions, Simulation};
    pub use crate::sim::shard::{Shard, ShardSpec};
    pub use crate::sim::summary::{OutcomeCount, PartyOutcome, ZoneReach};
    pub use crate::sim::trace::{End, Trace};
    pub use crate::sim::{Summary, Tally};
}
