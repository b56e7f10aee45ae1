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
///
/// # Example
/// A zone is a set of boxes of levels; its states are walked box by box, and the zones are
/// the connected pieces of the acceptable states (one-rung moves):
/// ```
/// use dealzone::engines::{StateSpace, zones};
/// let space = StateSpace::from_radices(&[3, 2], 100)?;
/// let mut inside = Vec::new();
/// zones::for_each_in_box(&vec![(1, 2), (0, 1)], &space, |st| inside.push(st));
/// assert_eq!(inside.len(), 4);
/// let mut next = Vec::new();
/// zones::for_each_neighbour(space.encode(&[0, 0]), &space, |st| next.push(space.decode(st)));
/// next.sort();
/// assert_eq!(next, [vec![0, 1], vec![1, 0]]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod zones {
    pub use crate::analysis::zone::{
        Scan, acceptable_states, boxes, branch_and_bound, brute_force, components,
        count_candidates, find_zones, find_zones_compiled, first_acceptable, for_each_in_box,
        for_each_neighbour,
    };
}

/// Concession paths: A* into each zone, and the minimal sets of preconditions that wall a
/// zone off.
///
/// # Example
/// The `_with` forms take [`PathOptions`](crate::results::paths::PathOptions) (the cost
/// model, how many blocking sets to list); one zone's path equals its entry in the list:
/// ```
/// use dealzone::engines::{CompiledScenario, paths, zones};
/// use dealzone::results::paths::PathOptions;
/// use dealzone::{Limits, Scenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let limits = Limits::default();
/// let c = CompiledScenario::new(&s, &limits)?;
/// let z = zones::find_zones_compiled(&c, Default::default(), &limits)?;
/// let options = PathOptions::default();
/// let all = paths::paths_with(&c, &z, &options, &limits)?;
/// let first = paths::path_to_zone_with(&c, 0, &z.zones[0], &options, &limits)?;
/// assert_eq!(all[0].steps, first.steps);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod paths {
    pub use crate::analysis::path::{
        blocking_sets, least_blocking_path, path_to_zone, path_to_zone_with, paths, paths_with,
    };
}

/// Explanations of a missing deal: the MARCO-style enumeration, QuickXplain, the
/// minimal-hitting-set duality, softenings, and their brute-force twins.
///
/// # Example
/// Every red line carries its evidence grade (`stated` unless the file says otherwise);
/// reservations count as stated:
/// ```
/// use dealzone::engines::explain::evidence_of;
/// use dealzone::model::Evidence;
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let party = &s.parties()[0];
/// let red = party.red_lines().first().expect("a red line");
/// let name = format!("{}/{}", party.id(), red.id());
/// assert_eq!(evidence_of(&s, &name), red.evidence());
/// assert_eq!(evidence_of(&s, &format!("{}/reservation", party.id())), Evidence::Stated);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub mod explain {
    pub use crate::analysis::explain::{
        HittingStop, Oracle, ViolationTable, evidence_of, explain, explain_with, first_conflict,
        minimal_hitting_sets, minimal_sets, quickxplain, rule_bounds, soften_rule, softenings,
    };
}

/// Bargaining over candidates: the Pareto frontier and every solution concept.
///
/// # Example
/// A row is acceptable when every party gets at least its reservation, rational when
/// every party gets more:
/// ```
/// use dealzone::engines::bargain::{is_acceptable, is_rational};
/// assert!(is_acceptable(&[0.5, 0.4], &[0.5, 0.4]));
/// assert!(!is_rational(&[0.5, 0.4], &[0.5, 0.4]));
/// ```
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
    pub use crate::sim::tournament::{Row, Scores, match_count, play, play_range, scores};
    pub use crate::sim::tournament_shard::{
        is_tournament_shard, merge as merge_tournament, spec_digest,
    };
    pub use crate::sim::{Overrides, SimConfig, World, simulate, summarise};
}
