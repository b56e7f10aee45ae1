//! One batch of seeded runs: how many, which seed, which overrides, and the streaming
//! summary of it ([`simulate`], [`summarise_streaming`]).

use super::monte_carlo;
use super::protocol;
use super::summary::{self, Summary};
use super::world::{Overrides, World};
use crate::config::Limits;
use crate::error::sim::SimError;
use crate::model::Scenario;
use crate::model::simulation::{Opener, ProtocolKind};

/// Most runs one batch may have. Results are folded one chunk at a time
/// ([`monte_carlo::for_each_run`]), so memory does not grow with the runs; the time limit
/// ([`Limits::time_limit`]) stops a batch too long to finish (`complete: false`).
pub const MAX_RUNS: u64 = 100_000_000;

/// Check a number of runs.
///
/// # Errors
/// [`SimError::NoRuns`] for 0, [`SimError::TooManyRuns`] beyond [`MAX_RUNS`].
///
/// # Example
/// ```
/// assert!(dealzone::sim::check_runs(1000).is_ok());
/// assert!(dealzone::sim::check_runs(0).is_err());
/// ```
pub fn check_runs(runs: u64) -> Result<(), SimError> {
    if runs == 0 {
        return Err(SimError::NoRuns);
    }
    if runs > MAX_RUNS {
        return Err(SimError::TooManyRuns {
            runs,
            limit: MAX_RUNS,
        });
    }
    Ok(())
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Number of runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Deadline in rounds, instead of the scenario's.
    pub rounds: Option<u32>,
    /// Protocol, instead of the scenario's.
    pub protocol: Option<ProtocolKind>,
    /// Who opens under alternating offers, instead of the scenario's.
    pub opener: Option<Opener>,
    /// Let agents offer and accept unimplementable states ([`super::sequencing`]).
    pub bad_faith: bool,
    /// Limits (`max_states`, and those of the bargaining and zone analyses of the summary).
    pub limits: Limits,
}

impl Default for SimConfig {
    /// 1,000 runs, seed 0, the scenario's own settings, default limits.
    fn default() -> Self {
        SimConfig {
            runs: 1000,
            seed: 0,
            rounds: None,
            protocol: None,
            opener: None,
            bad_faith: false,
            limits: Limits::default(),
        }
    }
}

/// Compile, run and summarise.
///
/// # Arguments
/// The scenario, the configuration and a callback told of each finished run.
///
/// # Returns
/// The [`Summary`].
///
/// # Errors
/// As [`World::new`]; [`SimError::NoRuns`] for zero runs; the summary's bargaining and
/// zone analyses may break a limit.
///
/// # Complexity
/// O(runs · one run) plus one bargaining and zone analysis per distinct set of
/// constraints in force among the agreements (at most [`summary::MAX_CONFIGURATIONS`]).
///
/// # Example
/// See the module example.
pub fn simulate(
    scenario: &Scenario,
    config: &SimConfig,
    done: &(dyn Fn() + Sync),
) -> crate::error::Result<Summary> {
    check_runs(config.runs)?;
    let world = World::new(
        scenario,
        Overrides {
            deadline: config.rounds,
            protocol: config.protocol,
            opener: config.opener,
            bad_faith: config.bad_faith,
        },
        &config.limits,
    )?;
    summarise_streaming(&world, config, done)
}

/// Play and summarise the batch of `config` on a compiled world, one chunk of runs at a
/// time, within `config.limits.time_limit`.
///
/// # Arguments
/// The world, the configuration (runs, seed, limits) and a progress callback.
///
/// # Returns
/// The [`Summary`]; `complete` is false when the time limit stopped the batch, and the
/// summary is then that of the runs played (a prefix in run order).
///
/// # Errors
/// As [`summarise`](super::summary::summarise).
///
/// # Complexity
/// As [`simulate`]; memory O([`monte_carlo::CHUNK`] runs), not O(runs).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let config = dealzone::sim::SimConfig { runs: 30, seed: 5, ..Default::default() };
/// let streamed = dealzone::sim::summarise_streaming(&w, &config, &|| {}).unwrap();
/// let runs = dealzone::sim::monte_carlo::run_many(&w, 30, 5, &|| {});
/// assert_eq!(streamed, dealzone::sim::summarise(&w, &runs, 5, &Default::default()).unwrap());
/// ```
pub fn summarise_streaming(
    world: &World,
    config: &SimConfig,
    done: &(dyn Fn() + Sync),
) -> crate::error::Result<Summary> {
    let limit = config.limits.time_limit;
    let started = std::time::Instant::now();
    let mut tally = summary::Tally::new(world, &config.limits);
    let played =
        monte_carlo::for_each_run(world, config.runs, config.seed, limit, done, &mut |_, r| {
            tally.add(r)
        });
    let mut sum = tally.finish(config.seed, &mut |f: &mut dyn FnMut(
        &protocol::RunResult,
    )| {
        // Whatever is left of the budget for a second walk over the same runs.
        let left = limit.map(|d| d.saturating_sub(started.elapsed()));
        let walked =
            monte_carlo::for_each_run(world, played, config.seed, left, &|| {}, &mut |_, r| f(r));
        walked == played
    })?;
    sum.complete = played == config.runs;
    sum.runs_requested = config.runs;
    Ok(sum)
}
