//! Many seeded runs in parallel, with results independent of the thread count.
//!
//! Run `k` of a batch with master seed `S` draws from
//! `rand_chacha::ChaCha8Rng::seed_from_u64(run_seed(S, k))`, so each run is a pure
//! function of the world, `S` and `k`. Rayon computes the runs in any order on any number
//! of threads; `collect` puts them back in run order, and the summary reduces them in that
//! order, never by a parallel floating-point sum.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::protocol::{RunResult, run};
use super::trace::{NoTrace, Trace};
use super::world::World;

/// SplitMix64's finaliser: a bijection on `u64` that spreads nearby inputs apart.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of run `run` in a batch with master seed `master`.
///
/// # Arguments
/// The master seed and the 0-based run number.
///
/// # Returns
/// `mix(master ^ mix(run))` with SplitMix64's finaliser `mix`: distinct runs of one batch
/// get distinct seeds, and the same run of the same batch always the same.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use dealzone::sim::monte_carlo::run_seed;
/// assert_eq!(run_seed(42, 7), run_seed(42, 7));
/// assert_ne!(run_seed(42, 7), run_seed(42, 8));
/// assert_ne!(run_seed(42, 7), run_seed(43, 7));
/// ```
pub fn run_seed(master: u64, run: u64) -> u64 {
    mix(master ^ mix(run))
}

/// Play `runs` runs in parallel on the current rayon pool.
///
/// # Arguments
/// The world, the number of runs, the master seed, and a callback told of each finished
/// run (for a progress bar; it may be called from any thread, in any order).
///
/// # Returns
/// The runs' results in run order.
///
/// # Complexity
/// O(runs · one run) work, spread over the pool's threads.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let a = dealzone::sim::monte_carlo::run_many(&w, 20, 1, &|| {});
/// let b = dealzone::sim::monte_carlo::run_many(&w, 20, 1, &|| {});
/// assert_eq!(a, b);
/// ```
pub fn run_many(w: &World, runs: u64, master: u64, done: &(dyn Fn() + Sync)) -> Vec<RunResult> {
    (0..runs)
        .into_par_iter()
        .map(|k| {
            let r = run(
                w,
                ChaCha8Rng::seed_from_u64(run_seed(master, k)),
                &mut NoTrace,
            );
            done();
            r
        })
        .collect()
}

/// Replay run `run` of the batch with master seed `master`, recording every step.
///
/// # Arguments
/// As [`run_many`], and the run number.
///
/// # Returns
/// The run's result (equal to the batch's) and its trace.
///
/// # Complexity
/// One run.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let batch = dealzone::sim::monte_carlo::run_many(&w, 5, 9, &|| {});
/// let (r, trace) = dealzone::sim::monte_carlo::replay(&w, 9, 3);
/// assert_eq!(r, batch[3]);
/// assert!(!trace.steps.is_empty());
/// ```
pub fn replay(w: &World, master: u64, run_number: u64) -> (RunResult, Trace) {
    let mut trace = Trace::default();
    let r = run(
        w,
        ChaCha8Rng::seed_from_u64(run_seed(master, run_number)),
        &mut trace,
    );
    (r, trace)
}
