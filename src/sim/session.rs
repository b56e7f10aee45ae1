//! The simulator on the one way in: [`Analysis::simulate`], and its shards
//! ([`Analysis::simulate_shard`], [`Analysis::merge_shards`]).
//!
//! Defined here rather than beside [`Analysis`] because the simulator is a layer above the
//! analyses: `sim` reads `analysis`, never the other way round.
//!
//! # Example
//! ```
//! use dealzone::sim::session::SimOptions;
//! use dealzone::sim::shard::ShardSpec;
//! use dealzone::{Analysis, Limits, Report, Scenario};
//! let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
//! let o = SimOptions { runs: 30, seed: 2, ..SimOptions::default() };
//! let whole = a.simulate(&o)?;
//! let shards = (0..2)
//!     .map(|i| a.simulate_shard(&o, ShardSpec::new(i, 2)?))
//!     .collect::<dealzone::Result<Vec<_>>>()?;
//! let merged = a.merge_shards(&o, &shards)?;
//! assert_eq!(merged.text(), whole.text());
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::sync::Arc;

use super::batch::{SimConfig, check_runs, summarise_streaming};
use super::shard::{Shard, ShardSpec, merge, run_shard};
use super::summary::Summary;
use super::world::{Overrides, World};
use crate::analysis::session::{Analysis, Finding};
use crate::error::Result;
use crate::model::simulation::{Opener, ProtocolKind};

/// What [`Analysis::simulate`] plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimOptions {
    /// Runs in the batch.
    pub runs: u64,
    /// Master seed: run `k` draws from its own stream derived from this and `k`.
    pub seed: u64,
    /// Deadline in rounds (default: the scenario's, else 100).
    pub rounds: Option<u32>,
    /// Protocol (default: the scenario's).
    pub protocol: Option<ProtocolKind>,
    /// Who opens under alternating offers (default: the scenario's `opener`).
    pub opener: Option<Opener>,
}

impl Default for SimOptions {
    /// 1000 runs, seed 0, the scenario's deadline and protocol (as `dealzone simulate`).
    fn default() -> Self {
        SimOptions {
            runs: 1000,
            seed: 0,
            rounds: None,
            protocol: None,
            opener: None,
        }
    }
}

/// A simulated batch: its summary and the world it was played in (for the report).
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The compiled world.
    pub world: Arc<World>,
    /// The batch's summary.
    pub summary: Summary,
}

impl Analysis {
    /// The simulator's compiled world of this scenario under `options`' deadline and
    /// protocol.
    ///
    /// # Errors
    /// A scenario the protocol cannot play (no mediator, too few parties, …), an opener
    /// asked for a run played by mediation, or a limit.
    pub fn world(&self, options: &SimOptions) -> Result<World> {
        let w = World::new(
            self.scenario(),
            Overrides {
                deadline: options.rounds,
                protocol: options.protocol,
                opener: options.opener,
                bad_faith: false,
            },
            self.limits(),
        )?;
        super::world::check_opener(&w, options.opener)?;
        Ok(w)
    }

    /// Play `options.runs` seeded runs (in parallel; the same bytes on any thread count)
    /// and summarise them, as `dealzone simulate` does.
    ///
    /// # Errors
    /// As [`Analysis::world`]; no runs or too many.
    ///
    /// # Complexity
    /// O(runs · one run) spread over the rayon pool; memory flat in the runs.
    ///
    /// # Example
    /// See the [module](self).
    pub fn simulate(&self, options: &SimOptions) -> Result<Finding<Simulation>> {
        check_runs(options.runs)?;
        let world = self.world(options)?;
        let summary = summarise_streaming(&world, &self.config(options), &|| {})?;
        Ok(self.finding(Simulation {
            world: Arc::new(world),
            summary,
        }))
    }

    fn config(&self, options: &SimOptions) -> SimConfig {
        SimConfig {
            runs: options.runs,
            seed: options.seed,
            rounds: options.rounds,
            protocol: options.protocol,
            opener: options.opener,
            bad_faith: false,
            limits: self.limits().clone(),
        }
    }

    /// Play shard `spec` of the batch `options` ([`run_shard`]); merge the shards with
    /// [`Analysis::merge_shards`].
    ///
    /// # Errors
    /// As [`Analysis::simulate`].
    ///
    /// # Complexity
    /// That of the shard's runs; the shard holds a record of each.
    ///
    /// # Example
    /// See the [module](self).
    pub fn simulate_shard(&self, options: &SimOptions, spec: ShardSpec) -> Result<Shard> {
        check_runs(options.runs)?;
        let world = self.world(options)?;
        run_shard(
            &world,
            options.runs,
            options.seed,
            spec,
            self.limits().time_limit,
            &|| {},
        )
    }

    /// The batch `options` from its shards: the same summary, and so the same report bytes,
    /// as [`Analysis::simulate`] ([`merge`]).
    ///
    /// # Errors
    /// Shards that are not exactly those of this batch of this world.
    ///
    /// # Complexity
    /// That of [`merge`].
    ///
    /// # Example
    /// See the [module](self).
    pub fn merge_shards(
        &self,
        options: &SimOptions,
        shards: &[Shard],
    ) -> Result<Finding<Simulation>> {
        if let Some(s) = shards
            .iter()
            .find(|s| (s.runs, s.seed) != (options.runs, options.seed))
        {
            return Err(crate::error::sim::SimError::Shard {
                message: format!(
                    "shard {}/{} is of a batch of {} runs with seed {}, not {} runs with seed {}",
                    s.shard[0], s.shard[1], s.runs, s.seed, options.runs, options.seed
                ),
            }
            .into());
        }
        let world = self.world(options)?;
        let summary = merge(&world, shards, self.limits())?;
        Ok(self.finding(Simulation {
            world: Arc::new(world),
            summary,
        }))
    }
}
