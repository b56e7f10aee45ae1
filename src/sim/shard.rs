//! A batch cut into shards, and the exact merge of their results.
//!
//! Shard `I/N` of a batch of `R` runs plays runs `⌊I·R/N⌋ .. ⌊(I+1)·R/N⌋`, each the same
//! run as in the whole batch ([`super::monte_carlo::for_each_run_in`]). The shard keeps a
//! compact record of every run it played (how it ended, the agreed state, the rounds, what
//! was in force, the events that fired), not partial sums: the summary's floating-point
//! sums depend on the order of the additions, and [`merge`] replays the records of all
//! shards through the same [`Tally`] in run order, so the merged summary is the unsharded
//! one bit for bit (and its report the same bytes). Records are dictionary-encoded (what
//! was in force and which events fired are few distinct values): a run costs about 20
//! bytes of JSON.
//!
//! # Example
//! ```
//! use dealzone::sim::shard::{ShardSpec, merge, run_shard};
//! use dealzone::sim::{SimConfig, World, summarise_streaming};
//! let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
//! let w = World::new(&s, Default::default(), &Default::default())?;
//! let whole = summarise_streaming(&w, &SimConfig { runs: 40, seed: 5, ..Default::default() }, &|| {})?;
//! let shards = (0..3)
//!     .map(|i| run_shard(&w, 40, 5, ShardSpec::new(i, 3)?, None, &|| {}))
//!     .collect::<dealzone::Result<Vec<_>>>()?;
//! assert_eq!(merge(&w, &shards, &Default::default())?, whole);
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::batch::check_runs;
use super::monte_carlo;
use super::protocol::RunResult;
use super::summary::{Summary, Tally};
use super::trace::{End, InForce};
use super::world::World;
use crate::config::Limits;
use crate::error::sim::SimError;

/// The `format` of every shard document this version writes and reads.
pub const SHARD_FORMAT: &str = "dealzone-shard/1";

/// Shard `index` of `count` (`--shard I/N`, `I` from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    index: u64,
    count: u64,
}

impl ShardSpec {
    /// Shard `index` of `count`.
    ///
    /// # Errors
    /// [`SimError::Shard`] when `count` is 0 or `index` is not below it.
    pub fn new(index: u64, count: u64) -> Result<ShardSpec, SimError> {
        if count == 0 || index >= count {
            return Err(SimError::Shard {
                message: format!(
                    "shard {index}/{count} does not exist: shards are I/N with 0 <= I < N"
                ),
            });
        }
        Ok(ShardSpec { index, count })
    }

    /// Read `I/N`.
    ///
    /// # Errors
    /// [`SimError::Shard`] for anything but two numbers `0 <= I < N` around a `/`.
    ///
    /// # Example
    /// ```
    /// use dealzone::sim::shard::ShardSpec;
    /// let s = ShardSpec::parse("1/4")?;
    /// assert_eq!((s.index(), s.count(), s.range(10)), (1, 4, 2..5));
    /// assert!(ShardSpec::parse("4/4").is_err());
    /// # Ok::<(), dealzone::sim::SimError>(())
    /// ```
    pub fn parse(text: &str) -> Result<ShardSpec, SimError> {
        let bad = || SimError::Shard {
            message: format!("`{text}` is not a shard: write I/N, e.g. 0/4 (I from 0)"),
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i = i.trim().parse::<u64>().map_err(|_| bad())?;
        let n = n.trim().parse::<u64>().map_err(|_| bad())?;
        ShardSpec::new(i, n)
    }

    /// The shard's number, from 0.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The runs this shard plays in a batch of `runs`: `⌊I·runs/N⌋ .. ⌊(I+1)·runs/N⌋`
    /// (the shards cover the batch, in order, each within one run of the same size).
    pub fn range(&self, runs: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(runs) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// What was in force at a run's end, as a shard document stores it (reservations as
/// their IEEE-754 bits, so they come back exactly).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct InForceRecord {
    variants: Vec<u8>,
    reservations: Vec<u64>,
    status_quo: u64,
}

/// The result of one shard: a record of every run it played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// [`SHARD_FORMAT`].
    pub format: String,
    /// The compiled world's digest ([`world_digest`]): shards of different scenarios or
    /// settings are refused by [`merge`].
    pub world: String,
    /// Runs of the whole batch.
    pub runs: u64,
    /// The batch's master seed.
    pub seed: u64,
    /// `[I, N]`: this shard's number and the number of shards.
    pub shard: [u64; 2],
    /// The runs this shard was asked to play.
    pub start: u64,
    /// End (exclusive) of the runs asked for.
    pub end: u64,
    /// End (exclusive) of the runs played: `end`, or less when the time limit ran out.
    pub played: u64,
    /// What the caller needs to rebuild the world (the command line keeps its file and
    /// flags here); the merge itself does not read it.
    #[serde(default)]
    pub source: serde_json::Value,
    /// Distinct sets in force, referred to by the records.
    in_force: Vec<InForceRecord>,
    /// Distinct sets of events fired (their indices), referred to by the records.
    events: Vec<Vec<u32>>,
    /// One per run played, in run order: `[end, agreed, rounds, in_force, events]`, where
    /// `end` is -1 for agreement, -2 for the deadline, else the party that walked out, and
    /// `agreed` is the agreed state or -1.
    records: Vec<(i64, i64, u32, u32, u32)>,
}

/// A digest of the compiled world (FNV-1a over its debug form: utilities, constraints,
/// rules, events, protocol, deadline, status quo; not file names or positions), so that
/// shards of different scenarios or settings are never merged.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let w2 = dealzone::sim::World::new(&s, dealzone::sim::Overrides { deadline: Some(3), ..Default::default() }, &Default::default())?;
/// assert_ne!(dealzone::sim::shard::world_digest(&w), dealzone::sim::shard::world_digest(&w2));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn world_digest(w: &World) -> String {
    let mut text = format!(
        "{:?}",
        (
            &w.space,
            &w.offsets,
            &w.total,
            &w.parties,
            &w.constraints,
            &w.events,
            w.protocol,
            w.deadline,
            w.status_quo,
            w.sequencing.bad_faith,
        )
    );
    // Only a turn order other than file order is named, so shards written before the
    // setting existed still merge.
    if w.opener != crate::model::simulation::Opener::First {
        text.push_str(&format!("|{:?}", w.opener));
    }
    digest_text(&text)
}

/// FNV-1a 64 of `text`, as 16 hex digits: the digest every shard document names what it
/// belongs to by (a check against mixing batches, not a defence against forgery).
pub(crate) fn digest_text(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Play shard `spec` of a batch of `runs` runs with master seed `seed`.
///
/// # Arguments
/// The world, the batch's runs and seed, the shard, a wall-clock budget (the shard then
/// holds the prefix of its runs played in time) and a progress callback called after each
/// run (from any thread).
///
/// # Returns
/// The [`Shard`] with a record of every run played.
///
/// # Errors
/// As [`check_runs`].
///
/// # Complexity
/// O(shard's runs · one run), spread over the rayon pool; O(shard's runs) memory for the
/// records.
///
/// # Example
/// See the [module](self).
pub fn run_shard(
    w: &World,
    runs: u64,
    seed: u64,
    spec: ShardSpec,
    time_limit: Option<std::time::Duration>,
    done: &(dyn Fn() + Sync),
) -> crate::error::Result<Shard> {
    check_runs(runs)?;
    let range = spec.range(runs);
    let mut in_force: BTreeMap<InForceRecord, u32> = BTreeMap::new();
    let mut events: BTreeMap<Vec<u32>, u32> = BTreeMap::new();
    let mut records = Vec::with_capacity((range.end - range.start) as usize);
    let played =
        monte_carlo::for_each_run_in(w, range.clone(), seed, time_limit, done, &mut |_, r| {
            let key = InForceRecord {
                variants: r.in_force.variants.clone(),
                reservations: r
                    .in_force
                    .reservations
                    .iter()
                    .map(|x| x.to_bits())
                    .collect(),
                status_quo: r.in_force.status_quo,
            };
            let n = in_force.len() as u32;
            let f = *in_force.entry(key).or_insert(n);
            let fired: Vec<u32> = (0..r.events.len() as u32)
                .filter(|&e| r.events[e as usize])
                .collect();
            let n = events.len() as u32;
            let e = *events.entry(fired).or_insert(n);
            let end = match r.end {
                End::Agreement => -1,
                End::Deadline => -2,
                End::WalkOut(p) => p as i64,
                End::Unimplementable(_) => -3,
            };
            let agreed = match r.end {
                End::Unimplementable(s) => s as i64,
                _ => r.agreed.map_or(-1, |s| s as i64),
            };
            records.push((end, agreed, r.rounds, f, e));
        });
    Ok(Shard {
        format: SHARD_FORMAT.to_string(),
        world: world_digest(w),
        runs,
        seed,
        shard: [spec.index, spec.count],
        start: range.start,
        end: range.end,
        played,
        source: serde_json::Value::Null,
        in_force: by_number(in_force),
        events: by_number(events),
        records,
    })
}

/// The keys of a dictionary, in the order of their numbers.
fn by_number<K>(m: BTreeMap<K, u32>) -> Vec<K> {
    let mut v: Vec<(u32, K)> = m.into_iter().map(|(k, n)| (n, k)).collect();
    v.sort_by_key(|(n, _)| *n);
    v.into_iter().map(|(_, k)| k).collect()
}

impl Shard {
    /// The shard document: one line of JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read a shard document.
    ///
    /// # Errors
    /// [`SimError::Shard`] when `text` is not a shard document of this version.
    pub fn from_json(text: &str) -> Result<Shard, SimError> {
        let shard: Shard = serde_json::from_str(text).map_err(|e| SimError::Shard {
            message: format!("not a dealzone shard document: {e}"),
        })?;
        if shard.format != SHARD_FORMAT {
            return Err(SimError::Shard {
                message: format!(
                    "shard format `{}`; this version reads `{SHARD_FORMAT}`",
                    shard.format
                ),
            });
        }
        Ok(shard)
    }

    /// Walk the runs played, in run order, as [`RunResult`]s of the world `w`.
    fn each(&self, w: &World, f: &mut dyn FnMut(&RunResult)) -> Result<(), SimError> {
        let corrupt = |what: &str| SimError::Shard {
            message: format!(
                "shard {}/{}: {what} out of range (a damaged shard document)",
                self.shard[0], self.shard[1]
            ),
        };
        for &(end, agreed, rounds, inf, ev) in &self.records {
            let inf = self
                .in_force
                .get(inf as usize)
                .ok_or_else(|| corrupt("set in force"))?;
            let fired = self
                .events
                .get(ev as usize)
                .ok_or_else(|| corrupt("events"))?;
            let mut events = vec![false; w.events.len()];
            for &e in fired {
                *events.get_mut(e as usize).ok_or_else(|| corrupt("event"))? = true;
            }
            if inf.variants.len() != w.constraints.len()
                || inf.reservations.len() != w.parties.len()
            {
                return Err(corrupt("set in force"));
            }
            let agreed = match agreed {
                -1 => None,
                s if s >= 0 && (s as u64) < w.space.size() => Some(s as u64),
                _ => return Err(corrupt("agreed state")),
            };
            let (end, agreed) = match (end, agreed) {
                (-1, _) => (End::Agreement, agreed),
                (-2, _) => (End::Deadline, agreed),
                // The state agreed on that could not be implemented: not a deal.
                (-3, Some(s)) => (End::Unimplementable(s), None),
                (p, _) if p >= 0 && (p as usize) < w.parties.len() => {
                    (End::WalkOut(p as usize), agreed)
                }
                _ => return Err(corrupt("end")),
            };
            f(&RunResult {
                end,
                agreed,
                rounds,
                in_force: InForce {
                    variants: inf.variants.clone(),
                    reservations: inf
                        .reservations
                        .iter()
                        .map(|b| f64::from_bits(*b))
                        .collect(),
                    status_quo: inf.status_quo,
                },
                events,
            });
        }
        Ok(())
    }
}

/// Merge the shards of one batch into its summary: the same as the unsharded batch's, bit
/// for bit ([`super::summarise_streaming`]).
///
/// # Arguments
/// The world the shards were run on, the shards (in any order: they are put in shard
/// order), and the limits of the summary's analyses of the deal spaces in force.
///
/// # Returns
/// The batch's [`Summary`]. A shard cut short by its time limit ends the batch there
/// (`complete: false`): the summary is that of the prefix of runs played, as an
/// interrupted unsharded batch's is.
///
/// # Errors
/// [`SimError::Shard`] when the shards are not exactly the `N` shards of one batch of this
/// world (missing, repeated, of another batch, seed or scenario, or damaged).
///
/// # Complexity
/// O(runs · parties) plus the analyses of the deal spaces in force (as the unsharded
/// summary); the records of every shard are held.
///
/// # Example
/// See the [module](self).
pub fn merge(w: &World, shards: &[Shard], limits: &Limits) -> crate::error::Result<Summary> {
    let first = shards.first().ok_or_else(|| SimError::Shard {
        message: "no shard to merge".into(),
    })?;
    let (runs, seed, count) = (first.runs, first.seed, first.shard[1]);
    let digest = world_digest(w);
    let mut ordered: Vec<&Shard> = shards.iter().collect();
    ordered.sort_by_key(|s| s.shard[0]);
    let bad = |message: String| -> crate::error::Error { SimError::Shard { message }.into() };
    if ordered.len() as u64 != count {
        return Err(bad(format!(
            "{} shard(s) given; the batch has {count}",
            ordered.len()
        )));
    }
    for (i, s) in ordered.iter().enumerate() {
        let name = format!("shard {}/{}", s.shard[0], s.shard[1]);
        if s.world != digest {
            return Err(bad(format!(
                "{name} was run on another scenario or other settings (world {}; this one is {digest})",
                s.world
            )));
        }
        if (s.runs, s.seed, s.shard[1]) != (runs, seed, count) {
            return Err(bad(format!(
                "{name} is of another batch: {} runs, seed {}, {} shards (the first: {runs} runs, seed {seed}, {count} shards)",
                s.runs, s.seed, s.shard[1]
            )));
        }
        if s.shard[0] != i as u64 {
            return Err(bad(format!(
                "shard {i}/{count} is missing (or another is given twice)"
            )));
        }
        let range = ShardSpec::new(s.shard[0], count)?.range(runs);
        if (s.start, s.end) != (range.start, range.end)
            || !(s.start..=s.end).contains(&s.played)
            || s.records.len() as u64 != s.played - s.start
        {
            return Err(bad(format!(
                "{name}: its runs do not match its range (a damaged shard document)"
            )));
        }
    }
    // The runs played: every shard up to and including the first cut short.
    let cut = ordered.iter().position(|s| s.played < s.end);
    let used = &ordered[..cut.map_or(ordered.len(), |k| k + 1)];
    let mut tally = Tally::new(w, limits);
    let mut broken = None;
    for s in used {
        if let Err(e) = s.each(w, &mut |r| tally.add(r)) {
            broken = Some(e);
            break;
        }
    }
    if let Some(e) = broken {
        return Err(e.into());
    }
    let played = tally.runs();
    let mut sum = tally.finish(seed, &mut |f: &mut dyn FnMut(&RunResult)| {
        used.iter().all(|s| s.each(w, &mut *f).is_ok())
    })?;
    sum.complete = played == runs;
    sum.runs_requested = runs;
    Ok(sum)
}
