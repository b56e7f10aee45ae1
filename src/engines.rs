//! The algorithms behind [`Analysis`](crate::Analysis), as free functions over a
//! compiled scenario: for oracles, benchmarks and pipelines of your own.
//!
//! [`Analysis`](crate::Analysis) compiles a scenario once and calls these with its
//! [`Config`](crate::Config); call them directly when you need one engine by name (the
//! brute-force twin of a fast search, say) or a piece the analyses do not expose. Their
//! results are the types of [`crate::results`].
//!
//! # Example
//! The brute-force scan and branch and bound find the same acceptable states:
//! ```
//! use dealzone::engines::{CompiledScenario, zones};
//! use dealzone::{Config, Scenario};
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let config = Config::default();
//! let c = CompiledScenario::new(&s, &config)?;
//! let brute = zones::brute_force(&c, &config)?;
//! let mut bnb = zones::branch_and_bound(&c, &config)?;
//! bnb.sort_unstable();
//! assert_eq!(brute.acceptable, bnb);
//! # Ok::<(), dealzone::Error>(())
//! ```

pub use crate::graph::{Concession, ConcessionEdge, ConcessionGraph};
pub use crate::space::{
    CompiledRule, CompiledScenario, PartyUtility, PreconditionRegion, RegionQuotient, StateIndex,
    StateSpace,
};
pub use crate::synthetic::{Regime, Synthetic};

/// Deal zones: brute force (the reference), branch and bound (output-sensitive), the
/// automatic choice, and the pieces both use.
pub mod zones {
    pub use crate::analysis::zone::{
        Scan, acceptable_states, boxes, branch_and_bound, brute_force, components,
        count_candidates, find_zones, find_zones_compiled, first_acceptable, for_each_in_box,
        for_each_neighbour,
    };
}

/// Concession paths: A* into each zone, and the minimal sets of preconditions that wall a
/// zone off.
pub mod paths {
    pub use crate::analysis::path::{
        blocking_sets, least_blocking_path, path_to_zone, path_to_zone_with, paths, paths_with,
    };
}

/// Explanations of a missing deal: the MARCO-style enumeration, QuickXplain, the
/// minimal-hitting-set duality, softenings, and their brute-force twins.
pub mod explain {
    pub use crate::analysis::explain::{
        HittingStop, Oracle, ViolationTable, evidence_of, explain, explain_with, first_conflict,
        minimal_hitting_sets, minimal_sets, quickxplain, rule_bounds, soften_rule, softenings,
    };
}

/// Bargaining over candidates: the Pareto frontier and every solution concept.
pub mod bargain {
    pub use crate::analysis::bargain::{
        Candidates, CandidatesError, bargain, bargain_compiled, count_rational, distance,
        distance_to_frontier, egalitarian, genius_kalai, is_acceptable, is_rational,
        kalai_smorodinsky, max_welfare, nash, pareto_frontier, zone_size,
    };
}

/// GMCR stability: the conflict model, preferences, the solution concepts and their
/// explanations.
pub mod stability {
    pub use crate::analysis::stability::{
        Conflict, DecisionMaker, Direction, ImprovementCheck, MoveKind, OptionModel, OptionSpec,
        PathStep, Pattern, Ranking, Stability, StabilityExplanation, Statement, StatusQuoOptions,
        Step, analyse, coalitional_improvements, explain_stability, legal_sequences, limited_move,
        ranks_from_scores, ranks_from_statements, scenario_stability, scenario_stability_within,
        simultaneous, status_quo,
    };
}

/// The timeline report and its seeded sensitivity sweep.
pub mod timeline {
    pub use crate::analysis::sensitivity::{
        sample_findings, sample_findings_reference, sweep, sweep_range, sweep_reference,
        sweep_within,
    };
    pub use crate::analysis::timeline_report::{report, snapshot};
}

/// The simulator: compiled worlds, seeded runs, replays, tournaments, and parties played
/// by outside programs (docs/agent-protocol.md).
pub mod simulate {
    pub use crate::sim::monte_carlo::{replay, run_many, run_seed};
    pub use crate::sim::outside::{
        AgentProgram, Exchange, OutsideRun, RefereeConfig, play as play_outside,
    };
    pub use crate::sim::protocol::RunResult;
    pub use crate::sim::tournament::{Row, Scores, match_count, play, scores};
    pub use crate::sim::{Overrides, SimConfig, World, simulate, summarise};
}
