//! The simulator: rule-driven agents negotiating through the concession graph, many seeded
//! runs at once.
//!
//! * [`World`] compiles a scenario once: packed states, flat utility tables, every red line
//!   and precondition with its softened alternatives as truth tables, behaviour rules and
//!   events ([`world`]).
//! * Agents ([`agent`]) follow a [`tactic`] (GENIUS time-dependent or tit-for-tat) and their
//!   party's behaviour rules; random [`events`] move the status quo or a reservation.
//! * [`protocol`] plays one run: multi-party alternating offers or single-text mediation,
//!   up to a deadline, optionally recording a [`trace`].
//! * [`monte_carlo`] plays many runs in parallel, identical whatever the thread count, and
//!   [`summary`] reduces them in run order.
//!
//! ```
//! let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
//! let out = dealzone::sim::simulate(&s, &dealzone::sim::SimConfig { runs: 50, seed: 3, ..Default::default() }, &|| {}).unwrap();
//! assert_eq!(out.runs, 50);
//! assert_eq!(out.outcomes.iter().map(|o| o.count).sum::<u64>(), out.agreements);
//! ```

pub mod agent;
pub mod baseline;
pub mod batch;
pub mod events;
pub mod frequency;
pub mod monte_carlo;
pub mod outside;
pub mod protocol;
pub mod reach;
pub mod run_state;
pub mod seat;
pub mod sequencing;
pub mod session;
pub mod shard;
pub mod summary;
pub mod sweep_shard;
pub mod tactic;
pub mod tournament;
pub mod tournament_shard;
pub mod trace;
pub mod world;

pub use batch::{MAX_RUNS, SimConfig, check_runs, simulate, summarise_streaming};
pub use summary::{Summary, Tally, summarise};
pub use world::{Overrides, World};

pub use crate::error::sim::SimError;
