//! Many seeded runs in parallel, with results independent of the thread count.
//!
//! Run `k` of a batch with master seed `S` draws from
//! `rand_chacha::ChaCha8Rng::seed_from_u64(run_seed(S, k))`, so each run is a pure
//! function of the world, `S` and `k`. Rayon computes the runs in any order on any number
//! of threads; `collect` puts them back in run order, and the summary reduces them in that
//! order, never by a parallel floating-point sum. [`for_each_run`] does so one chunk at a
//! time, so a batch of 10^8 runs holds no more than a chunk of results.

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

/// Runs computed in parallel before they are folded, in run order, into the caller's
/// accumulator: memory holds one chunk of results, whatever the number of runs.
pub const CHUNK: u64 = 1024;

/// Play runs `0..runs` in parallel, one chunk of [`CHUNK`] runs at a time, and hand each
/// result to `fold` in run order; stop early when `time_limit` runs out.
///
/// # Arguments
/// The world, the number of runs, the master seed, an optional wall-clock budget, a
/// progress callback (as [`run_many`]), and `fold`, called with each run's number and
/// result, in run order, on the calling thread.
///
/// # Returns
/// The number of runs folded: `runs`, or fewer when the budget ran out. The runs folded
/// are always a prefix `0..k`, each the same as in a full batch, so an interrupted batch
/// is a complete batch of `k` runs.
///
/// # Complexity
/// O(runs · one run) work spread over the pool's threads; O(`CHUNK`) results in memory.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let all = dealzone::sim::monte_carlo::run_many(&w, 50, 4, &|| {});
/// let mut seen = Vec::new();
/// let k = dealzone::sim::monte_carlo::for_each_run(&w, 50, 4, None, &|| {}, &mut |_, r| {
///     seen.push(r.clone())
/// });
/// assert_eq!((k, seen), (50, all));
/// ```
pub fn for_each_run(
    w: &World,
    runs: u64,
    master: u64,
    time_limit: Option<std::time::Duration>,
    done: &(dyn Fn() + Sync),
    fold: &mut dyn FnMut(u64, &RunResult),
) -> u64 {
    for_each_run_in(w, 0..runs, master, time_limit, done, fold)
}

/// [`for_each_run`] over the runs `range` of a batch (a shard): run `k` is the same as
/// run `k` of the whole batch.
///
/// # Arguments
/// As [`for_each_run`], with the run numbers `range` in place of `0..runs`.
///
/// # Returns
/// The end of the prefix of `range` folded: `range.end`, or less when the budget ran out.
///
/// # Complexity
/// As [`for_each_run`], over `range.len()` runs.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let all = dealzone::sim::monte_carlo::run_many(&w, 30, 4, &|| {});
/// let mut seen = Vec::new();
/// let end = dealzone::sim::monte_carlo::for_each_run_in(&w, 10..30, 4, None, &|| {}, &mut |_, r| {
///     seen.push(r.clone())
/// });
/// assert_eq!((end, &seen[..]), (30, &all[10..]));
/// ```
pub fn for_each_run_in(
    w: &World,
    range: std::ops::Range<u64>,
    master: u64,
    time_limit: Option<std::time::Duration>,
    done: &(dyn Fn() + Sync),
    fold: &mut dyn FnMut(u64, &RunResult),
) -> u64 {
    let deadline = time_limit.map(|d| std::time::Instant::now() + d);
    let late = || deadline.is_some_and(|t| std::time::Instant::now() > t);
    let runs = range.end;
    let mut start = range.start;
    while start < runs {
        if late() {
            return start;
        }
        let end = runs.min(start + CHUNK);
        // A run begun after the deadline is skipped; the prefix before the first skipped
        // run is kept, so what is folded never depends on the thread count.
        let chunk: Vec<Option<RunResult>> = (start..end)
            .into_par_iter()
            .map(|k| {
                if late() {
                    return None;
                }
                let r = run(
                    w,
                    ChaCha8Rng::seed_from_u64(run_seed(master, k)),
                    &mut NoTrace,
                );
                done();
                Some(r)
            })
            .collect();
        for (k, r) in (start..end).zip(&chunk) {
            match r {
                Some(r) => fold(k, r),
                None => return k,
            }
        }
        start = end;
    }
    runs
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
