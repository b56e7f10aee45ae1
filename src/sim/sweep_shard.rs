//! The timeline report's sensitivity sweeps cut into shards, and their exact merge.
//!
//! Shard `I/N` of a report with `S` samples per sweep draws samples `⌊I·S/N⌋ ..
//! ⌊(I+1)·S/N⌋` of every sweep the report runs (each sample the same as in the whole
//! sweep: [`crate::analysis::sensitivity::sweep_range`]) and keeps, per sweep in report
//! order (each snapshot's, then its what-ifs'), the counts over those samples. The counts
//! are integers, so adding them shard by shard ([`Robustness::merge`]) gives the whole
//! sweep's exactly; [`merge_timeline`] runs the rest of the report (which draws no random
//! number) and puts the merged counts in place: the same [`TimelineReport`], and so the same
//! text and JSON bytes, as the unsharded report.
//!
//! # Example
//! ```
//! use dealzone::{Limits, Timeline, analysis::timeline_report::{ReportOptions, report}};
//! use dealzone::sim::shard::ShardSpec;
//! use dealzone::sim::sweep_shard::{merge_timeline, timeline_shard};
//! let t = Timeline::load("tests/fixtures/valid/graded_timeline.toml")?;
//! let o = ReportOptions { samples: 30, ..ReportOptions::default() };
//! let l = Limits::default();
//! let shards = (0..3)
//!     .map(|i| timeline_shard(&t, &o, &l, ShardSpec::new(i, 3)?))
//!     .collect::<dealzone::Result<Vec<_>>>()?;
//! assert_eq!(merge_timeline(&t, &o, &l, &shards)?, report(&t, &o, &l)?);
//! # Ok::<(), dealzone::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::shard::ShardSpec;
use crate::analysis::sensitivity::Robustness;
use crate::analysis::timeline_report::{ReportOptions, TimelineReport, report};
use crate::config::Limits;
use crate::error::sim::SimError;
use crate::model::Timeline;

/// The `format` of every sweep shard document this version writes and reads.
pub const SWEEP_SHARD_FORMAT: &str = "dealzone-sweep-shard/1";

/// One sweep's counts over a shard's samples: `[samples drawn, zone exists, Nash same,
/// complete (0 or 1)]`.
type Counts = [u64; 4];

/// The result of one shard of a timeline report's sweeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepShard {
    /// [`SWEEP_SHARD_FORMAT`].
    pub format: String,
    /// A digest of the timeline and the report's options ([`timeline_digest`]): shards of
    /// other timelines, evidence, seeds or spreads are refused by [`merge_timeline`].
    pub timeline: String,
    /// Samples per sweep of the whole report.
    pub samples: u64,
    /// The sweeps' seed.
    pub seed: u64,
    /// `[I, N]`: this shard's number and the number of shards.
    pub shard: [u64; 2],
    /// The samples of every sweep this shard drew: `start .. end`.
    pub start: u64,
    /// End (exclusive) of the samples.
    pub end: u64,
    /// What the caller needs to rebuild the timeline (the command line keeps its file and
    /// flags here); the merge itself does not read it.
    #[serde(default)]
    pub source: serde_json::Value,
    /// Per snapshot, in date order: its own sweep's counts, then each what-if's.
    sweeps: Vec<Vec<Counts>>,
}

/// A digest of a timeline and the options of its report that shape the sweeps (FNV-1a
/// over their debug form), the samples' range left out.
///
/// # Example
/// ```
/// use dealzone::{Timeline, analysis::timeline_report::ReportOptions};
/// use dealzone::sim::sweep_shard::timeline_digest;
/// let t = Timeline::load("tests/fixtures/valid/graded_timeline.toml")?;
/// let o = ReportOptions::default();
/// let other = ReportOptions { seed: 9, ..ReportOptions::default() };
/// assert_ne!(timeline_digest(&t, &o), timeline_digest(&t, &other));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn timeline_digest(t: &Timeline, options: &ReportOptions) -> String {
    let o = ReportOptions {
        sample_range: None,
        ..options.clone()
    };
    let text = format!("{:?}", (t, o));
    super::shard::digest_text(&text)
}

fn counts(r: &Robustness) -> Counts {
    [
        r.samples as u64,
        r.zone_exists as u64,
        r.nash_same as u64,
        u64::from(r.complete),
    ]
}

fn robustness(c: &Counts) -> Robustness {
    Robustness {
        samples: c[0] as usize,
        zone_exists: c[1] as usize,
        nash_same: c[2] as usize,
        complete: c[3] == 1,
    }
}

/// Run shard `spec` of the sweeps of the report of `t` under `options`.
///
/// # Arguments
/// The timeline, the report's options (`sample_range` is set from `spec`), the limits of
/// every search, the shard.
///
/// # Returns
/// The [`SweepShard`]: every sweep's counts over the shard's samples.
///
/// # Errors
/// As [`report`].
///
/// # Complexity
/// The report's analyses (which every shard repeats: they draw no random number) plus
/// the shard's share of every sweep.
///
/// # Example
/// See the [module](self).
pub fn timeline_shard(
    t: &Timeline,
    options: &ReportOptions,
    limits: &Limits,
    spec: ShardSpec,
) -> crate::error::Result<SweepShard> {
    let range = spec.range(options.samples as u64);
    let o = ReportOptions {
        sample_range: Some(range.start as usize..range.end as usize),
        ..options.clone()
    };
    let r = report(t, &o, limits)?;
    let sweeps = r
        .snapshots
        .iter()
        .map(|s| {
            std::iter::once(counts(&s.robustness))
                .chain(s.what_ifs.iter().map(|w| counts(&w.robustness)))
                .collect()
        })
        .collect();
    Ok(SweepShard {
        format: SWEEP_SHARD_FORMAT.to_string(),
        timeline: timeline_digest(t, options),
        samples: options.samples as u64,
        seed: options.seed,
        shard: [spec.index(), spec.count()],
        start: range.start,
        end: range.end,
        source: serde_json::Value::Null,
        sweeps,
    })
}

impl SweepShard {
    /// The shard document: one line of JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read a sweep shard document.
    ///
    /// # Errors
    /// [`SimError::Shard`] when `text` is not a sweep shard document of this version.
    pub fn from_json(text: &str) -> Result<SweepShard, SimError> {
        let shard: SweepShard = serde_json::from_str(text).map_err(|e| SimError::Shard {
            message: format!("not a dealzone sweep shard document: {e}"),
        })?;
        if shard.format != SWEEP_SHARD_FORMAT {
            return Err(SimError::Shard {
                message: format!(
                    "shard format `{}`; this version reads `{SWEEP_SHARD_FORMAT}`",
                    shard.format
                ),
            });
        }
        Ok(shard)
    }
}

/// Merge the shards of the sweeps of the report of `t` under `options`: the report
/// [`report`] gives unsharded, equal to the last bit.
///
/// # Arguments
/// The timeline, the options and limits the shards were run with (`sample_range` is
/// ignored), the shards in any order.
///
/// # Returns
/// The report, its sweeps' counts the sums of the shards' (up to the first shard cut short
/// by its time limit: `complete: false`, as an interrupted unsharded sweep).
///
/// # Errors
/// [`SimError::Shard`] when the shards are not exactly the `N` shards of this report
/// (missing, repeated, of another timeline, seed or sample count, or damaged); else as
/// [`report`].
///
/// # Complexity
/// The report's analyses without the sweeps, plus O(shards · sweeps).
///
/// # Example
/// See the [module](self).
pub fn merge_timeline(
    t: &Timeline,
    options: &ReportOptions,
    limits: &Limits,
    shards: &[SweepShard],
) -> crate::error::Result<TimelineReport> {
    let bad = |message: String| -> crate::error::Error { SimError::Shard { message }.into() };
    let first = shards
        .first()
        .ok_or_else(|| bad("no shard to merge".into()))?;
    let count = first.shard[1];
    let digest = timeline_digest(t, options);
    let mut ordered: Vec<&SweepShard> = shards.iter().collect();
    ordered.sort_by_key(|s| s.shard[0]);
    if ordered.len() as u64 != count {
        return Err(bad(format!(
            "{} shard(s) given; the sweeps have {count}",
            ordered.len()
        )));
    }
    for (i, s) in ordered.iter().enumerate() {
        let name = format!("shard {}/{}", s.shard[0], s.shard[1]);
        if s.timeline != digest {
            return Err(bad(format!(
                "{name} was run on another timeline or other settings (digest {}; this one is {digest})",
                s.timeline
            )));
        }
        if (s.samples, s.seed, s.shard[1]) != (options.samples as u64, options.seed, count) {
            return Err(bad(format!(
                "{name} is of another sweep: {} samples, seed {}, {} shards",
                s.samples, s.seed, s.shard[1]
            )));
        }
        if s.shard[0] != i as u64 {
            return Err(bad(format!(
                "shard {i}/{count} is missing (or another is given twice)"
            )));
        }
        let range = ShardSpec::new(s.shard[0], count)?.range(s.samples);
        if (s.start, s.end) != (range.start, range.end) {
            return Err(bad(format!(
                "{name}: its samples do not match its range (a damaged shard document)"
            )));
        }
    }
    // The rest of the report, with no sample drawn; the sweeps' counts go in below.
    let o = ReportOptions {
        sample_range: Some(0..0),
        ..options.clone()
    };
    let mut r = report(t, &o, limits)?;
    r.options = ReportOptions {
        sample_range: None,
        ..options.clone()
    };
    for (k, snap) in r.snapshots.iter_mut().enumerate() {
        let sweeps = 1 + snap.what_ifs.len();
        let mut parts: Vec<Vec<Robustness>> = vec![Vec::new(); sweeps];
        for s in &ordered {
            let row = s.sweeps.get(k).filter(|row| row.len() == sweeps);
            let row = row.ok_or_else(|| {
                bad(format!(
                    "shard {}/{count}: its sweeps do not match the report's (a damaged shard document)",
                    s.shard[0]
                ))
            })?;
            for (p, c) in parts.iter_mut().zip(row) {
                p.push(robustness(c));
            }
        }
        snap.robustness = Robustness::merge(&parts[0]);
        for (w, p) in snap.what_ifs.iter_mut().zip(&parts[1..]) {
            w.robustness = Robustness::merge(p);
        }
        snap.what_if = snap.what_ifs.first().cloned();
    }
    if ordered.iter().any(|s| s.sweeps.len() != r.snapshots.len()) {
        return Err(bad(
            "the shards' snapshots do not match the report's (a damaged shard document)".into(),
        ));
    }
    Ok(r)
}
