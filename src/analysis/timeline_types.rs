//! The timeline report's values: its options and what it finds per snapshot, apart from
//! the analysis that computes them ([`super::timeline_report`]), so that the comparison of
//! findings on stated evidence ([`super::evidence_marks`]) reads them without importing the
//! analysis (which calls it). Every item is re-exported where it was first defined.

use super::bargain::Solution;
use super::explain::{ExplainLimits, Explanation, Softening};
use super::path::ZonePath;
use super::sensitivity::Robustness;
use crate::model::Date;

/// Options of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Perturbed preference sets per sensitivity sweep.
    pub samples: usize,
    /// Largest perturbation of a weight, value or reservation.
    pub spread: f64,
    /// Master seed of the sweeps.
    pub seed: u64,
    /// Budget of the explanations.
    pub explain: ExplainLimits,
    /// Also run the report on stated evidence alone and mark every finding that differs
    /// ([`SnapshotReport::stated_alone`]); skipped when the timeline has nothing weaker.
    pub compare_stated: bool,
    /// Most tied least relaxations and softenings listed per snapshot; the count of the
    /// rest is kept ([`SnapshotReport::least_relaxations_more`]).
    pub max_listed: usize,
    /// Most what-if scenarios computed per snapshot (each a zone search, a Nash deal, a
    /// path and a sweep); the count of the rest is kept ([`SnapshotReport::what_ifs_more`]).
    pub max_what_ifs: usize,
    /// Draw only these samples of every sweep (a shard of the report's sweeps, which the
    /// simulator layer's sweep shards merge); `None`: all `samples`.
    pub sample_range: Option<std::ops::Range<usize>>,
}

impl Default for ReportOptions {
    /// 200 samples, ±0.1, seed 1, up to 8 listed ties and 6 what-ifs.
    fn default() -> Self {
        ReportOptions {
            samples: 200,
            spread: 0.1,
            seed: 1,
            explain: ExplainLimits::default(),
            compare_stated: true,
            max_listed: 8,
            max_what_ifs: 6,
            sample_range: None,
        }
    }
}

/// A deal and how to reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    /// The Nash solution over the candidates.
    pub nash: Solution,
    /// The cheapest path from the status quo to it (total concession).
    pub path: ZonePath,
}

/// The order of every "least" list in the report, as JSON states it: the one `explain`
/// uses ([`super::explain::RELAXATION_ORDER`], [`super::explain::SOFTENING_ORDER`]).
///
/// Symmetric in the parties: relaxations of the fewest constraints (all listed are tied on
/// it), then weaker evidence first ([`super::explain::evidence_of`]: fewer stated, then
/// fewer reported constraints; a reservation counts as stated, as in `explain`, and is
/// marked `[prefs]`); softenings by fewest rungs, then weaker evidence first. Options with
/// equal keys form a tier; inside a tier, options involving fewer parties come first, then
/// they are grouped by party and the groups interleaved ([`super::explain::Tiered`]), names
/// ordering groups and members only for stable bytes: they never decide which option is
/// listed (a cap keeps or drops whole classes of tied options) or which party is named.
pub const LEAST_ORDER: &str = "fewest constraints (all listed are tied on it), then weakest \
     evidence first (reservations count as stated); softenings by fewest rungs, then weakest \
     evidence first; exact ties grouped by party, names order only within a tier";

/// One minimal relaxation with the keys it is ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxation {
    /// The constraints dropped (`party/id`, `party/reservation`), sorted.
    pub dropped: Vec<String>,
    /// The parties whose constraints these are, sorted.
    pub parties: Vec<String>,
    /// How many of them are reservations (judgement rather than a cited source).
    pub reservations: usize,
    /// Its tier (0 = best) in the list it is in: options of one tier are exact ties under
    /// [`LEAST_ORDER`]. 0 until ranked.
    pub tier: usize,
}

impl Relaxation {
    /// A relaxation from its constraint names.
    pub fn new(dropped: &[String]) -> Relaxation {
        let mut parties: Vec<String> = dropped.iter().map(|n| party_of(n).to_string()).collect();
        parties.sort();
        parties.dedup();
        Relaxation {
            dropped: dropped.to_vec(),
            parties,
            reservations: dropped
                .iter()
                .filter(|n| n.ends_with("/reservation"))
                .count(),
            tier: 0,
        }
    }

    /// Whether one party alone gives way.
    pub fn is_one_party(&self) -> bool {
        self.parties.len() == 1
    }
}

/// The party of a constraint name `party/id` (party ids contain no `/`).
pub fn party_of(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

/// What the scenario would look like if one relaxation were granted.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// The constraints dropped (`party/id`).
    pub dropped: Vec<String>,
    /// The parties that give way (sorted); one party, or several giving way together.
    pub parties: Vec<String>,
    /// Acceptable states then.
    pub acceptable: u64,
    /// The Nash deal then, and the path to it.
    pub deal: Option<Deal>,
    /// How robust those two findings are to the preferences.
    pub robustness: Robustness,
}

/// One dated snapshot of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotReport {
    /// The date.
    pub date: Date,
    /// The snapshot's title from the timeline's notes, if any.
    pub title: Option<String>,
    /// States in the space.
    pub states: u64,
    /// States meeting every red line (red lines alone).
    pub candidates: u64,
    /// Acceptable states (depends on the reservations).
    pub acceptable: u64,
    /// Sizes of the zones, largest first.
    pub zones: Vec<u64>,
    /// Minimal conflicts among red lines alone.
    pub red_line_conflicts: Vec<Vec<String>>,
    /// The explanation (conflicts and relaxations over red lines and reservations), as
    /// [`crate::analysis::explain::explain`] gives it but without certificates
    /// (`certificates` is empty: the report prints none, and they cost a tenth of its time).
    pub explanation: Explanation,
    /// Every relaxation of the fewest constraints, in tiers under [`LEAST_ORDER`] (up to
    /// [`ReportOptions::max_listed`]), in that order: the same options, in the same order,
    /// as the explanation's `least_relaxations`.
    pub least_relaxations: Vec<Relaxation>,
    /// How many tied least relaxations were left off the list.
    pub least_relaxations_more: usize,
    /// Kept for compatibility: the first of [`Self::least_relaxations`] (empty when a deal
    /// exists). Ties are in `least_relaxations`; do not read this one as *the* answer.
    pub cheapest_relaxation: Vec<String>,
    /// Per party that can open a zone by softening one of its red lines alone: its
    /// softenings of fewest rungs (all ties), under [`LEAST_ORDER`] (rungs, then weaker
    /// evidence; exact ties grouped by party), up to [`ReportOptions::max_listed`]. Utility
    /// costs are shown, never used to choose.
    pub softenings: Vec<Softening>,
    /// Kept for compatibility: the first of [`Self::softenings`].
    pub softening: Option<Softening>,
    /// The Nash deal and the path to it, when a deal exists.
    pub deal: Option<Deal>,
    /// How robust the deal findings are to the preferences.
    pub robustness: Robustness,
    /// With no deal: the outcome of each party's least own relaxation (every party that
    /// alone can open a zone, its ties included), and of each tied least relaxation that
    /// needs several parties; ordered by [`LEAST_ORDER`], up to
    /// [`ReportOptions::max_what_ifs`].
    pub what_ifs: Vec<WhatIf>,
    /// How many what-ifs were left uncomputed by the cap.
    pub what_ifs_more: usize,
    /// Kept for compatibility: the first of [`Self::what_ifs`].
    pub what_if: Option<WhatIf>,
    /// One line per change since the previous snapshot.
    pub changes: Vec<String>,
    /// What the changes did, in a sentence or two.
    pub effect: String,
    /// The findings that read differently on stated evidence alone, with what they say
    /// then; empty when every finding holds on stated evidence (or it was not compared).
    pub stated_alone: Vec<EvidenceMark>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineReport {
    /// The timeline's name.
    pub name: String,
    /// One report per snapshot, oldest first.
    pub snapshots: Vec<SnapshotReport>,
    /// The options used.
    pub options: ReportOptions,
}

/// One finding that reads differently on stated evidence alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceMark {
    /// The finding, as the text report heads it (`Red lines alone`, `Clashing red lines`, …).
    pub finding: &'static str,
    /// What it says on every admitted grade.
    pub full: String,
    /// What it says on stated evidence alone.
    pub stated: String,
}
