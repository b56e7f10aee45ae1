//! The timeline report: for every dated snapshot, is there a deal, which red lines clash,
//! the least that must give, the Nash deal and the path to it, what changed since the
//! previous date and what that did.
//!
//! Findings that follow from red lines alone (is there any candidate, which red lines
//! clash) are kept apart from findings that depend on the preferences (weights, values,
//! reservations are judgement); each of the latter carries its [`Robustness`] from a seeded
//! sensitivity sweep.
//!
//! ```
//! use dealzone::{Limits, Timeline, analysis::timeline_report::{ReportOptions, report}};
//! let t = Timeline::load("seeds/russia_ukraine/timeline.toml")?;
//! let r = report(&t, &ReportOptions { samples: 20, ..ReportOptions::default() }, &Limits::default())?;
//! assert_eq!(r.snapshots.len(), t.dates().len());
//! // No date has a deal: some red lines clash at every date.
//! assert!(r.snapshots.iter().all(|s| s.candidates == 0));
//! # Ok::<(), dealzone::Error>(())
//! ```

use super::bargain::{Candidates, Solution, nash};
use super::evidence_marks::{EvidenceMark, marks};
use super::explain::{ExplainLimits, Explanation, Softening, explain};
use super::path::{CostModel, ZonePath, path_to_zone};
use super::sensitivity::{Robustness, sweep};
use super::zone::{DealZone, Engine, find_zones_compiled};
use crate::model::{Date, Evidence, Scenario, Timeline};
use crate::space::{CompiledScenario, StateIndex};
use crate::{Limits, Result};

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
}

impl Default for ReportOptions {
    /// 200 samples, ±0.1, seed 1.
    fn default() -> Self {
        ReportOptions {
            samples: 200,
            spread: 0.1,
            seed: 1,
            explain: ExplainLimits::default(),
            compare_stated: true,
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

/// What the scenario would look like if the cheapest relaxation were granted.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// The constraints dropped (`party/id`).
    pub dropped: Vec<String>,
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
    /// The explanation (conflicts and relaxations over red lines and reservations).
    pub explanation: Explanation,
    /// The smallest relaxation: fewest constraints, then fewest reservations, then by name.
    pub cheapest_relaxation: Vec<String>,
    /// The cheapest softening, if one red line can open a zone by moving a bound.
    pub softening: Option<Softening>,
    /// The Nash deal and the path to it, when a deal exists.
    pub deal: Option<Deal>,
    /// How robust the deal findings are to the preferences.
    pub robustness: Robustness,
    /// With no deal: the outcome if the cheapest relaxation were granted.
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

/// Analyse every snapshot of a timeline.
///
/// # Arguments
/// `t`; `options` (sweep size, spread, seed, explanation budget); `limits` for every search.
///
/// # Returns
/// One [`SnapshotReport`] per snapshot, with what changed since the previous one.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] or [`crate::Error::TooManyStates`] from a search.
///
/// # Complexity
/// Per snapshot: one explanation, two candidate enumerations, two path searches and two
/// sweeps of `options.samples` re-scorings.
pub fn report(t: &Timeline, options: &ReportOptions, limits: &Limits) -> Result<TimelineReport> {
    let mut snapshots: Vec<SnapshotReport> = Vec::new();
    let mut previous: Option<Date> = None;
    for (date, s) in t.snapshots() {
        let mut r = snapshot(s, date, options, limits)?;
        r.title = t
            .notes()
            .iter()
            .find(|n| n.date == date)
            .and_then(|n| n.title.clone());
        if let Some(prev) = previous {
            r.changes = t.changes_between(prev, date).map(|c| c.summary()).collect();
        }
        r.effect = effect(snapshots.last(), &r);
        snapshots.push(r);
        previous = Some(date);
    }
    if options.compare_stated {
        let stated = t.admit(Evidence::Stated);
        let weaker = stated
            .snapshots()
            .zip(t.snapshots())
            .any(|((_, a), (_, b))| a != b);
        if weaker {
            let o = ReportOptions {
                compare_stated: false,
                ..options.clone()
            };
            let alone = report(&stated, &o, limits)?;
            for (r, s) in snapshots.iter_mut().zip(&alone.snapshots) {
                r.stated_alone = marks(r, s);
            }
        }
    }
    Ok(TimelineReport {
        name: t.name().to_string(),
        snapshots,
        options: options.clone(),
    })
}

/// Analyse one scenario as a snapshot (without changes).
///
/// # Errors
/// As [`report`].
pub fn snapshot(
    s: &Scenario,
    date: Date,
    options: &ReportOptions,
    limits: &Limits,
) -> Result<SnapshotReport> {
    let c = CompiledScenario::new(s, limits)?;
    let zones = find_zones_compiled(&c, Engine::Auto, limits)?;
    let e = explain(s, &c, &options.explain, limits)?;
    let red_line_conflicts: Vec<Vec<String>> = e
        .conflicts
        .iter()
        .filter(|set| set.iter().all(|n| !n.ends_with("/reservation")))
        .cloned()
        .collect();
    let cheapest_relaxation = e
        .relaxations
        .iter()
        .min_by(|a, b| {
            let res =
                |set: &Vec<String>| set.iter().filter(|n| n.ends_with("/reservation")).count();
            a.len()
                .cmp(&b.len())
                .then(res(a).cmp(&res(b)))
                .then(a.cmp(b))
        })
        .cloned()
        .unwrap_or_default();
    let (deal, robustness) = deal_and_robustness(s, &c, options, limits)?;
    let what_if = if zones.acceptable.is_empty() && !cheapest_relaxation.is_empty() {
        let names: Vec<&str> = cheapest_relaxation.iter().map(String::as_str).collect();
        let relaxed = relax(&c, &names)?;
        let z = find_zones_compiled(&relaxed, Engine::Auto, limits)?;
        let (deal, robustness) = deal_and_robustness(s, &relaxed, options, limits)?;
        Some(WhatIf {
            dropped: cheapest_relaxation.clone(),
            acceptable: z.acceptable.len() as u64,
            deal,
            robustness,
        })
    } else {
        None
    };
    Ok(SnapshotReport {
        date,
        title: None,
        states: zones.states,
        candidates: zones.candidates,
        acceptable: zones.acceptable.len() as u64,
        zones: zones.zones.iter().map(DealZone::size).collect(),
        red_line_conflicts,
        softening: e.softenings.first().cloned(),
        explanation: e,
        cheapest_relaxation,
        deal,
        robustness,
        what_if,
        changes: Vec::new(),
        effect: String::new(),
        stated_alone: Vec::new(),
    })
}

/// Drop red lines and reservations by name (`party/reservation` drops a reservation).
///
/// # Errors
/// [`crate::Error::UnknownConstraintName`] for a name that is neither.
pub fn relax(c: &CompiledScenario, names: &[&str]) -> Result<CompiledScenario> {
    let (res, red): (Vec<&str>, Vec<&str>) =
        names.iter().partition(|n| n.ends_with("/reservation"));
    let keep_res: Vec<bool> = c
        .utilities()
        .iter()
        .map(|u| !res.contains(&format!("{}/reservation", u.name()).as_str()))
        .collect();
    Ok(c.without(&red)?.with_reservations(&keep_res))
}

/// The Nash deal with its path, and the sweep over the candidates.
fn deal_and_robustness(
    s: &Scenario,
    c: &CompiledScenario,
    options: &ReportOptions,
    limits: &Limits,
) -> Result<(Option<Deal>, Robustness)> {
    let cands = Candidates::from_compiled(c, limits)?;
    let robustness = sweep(
        s,
        c,
        cands.states(),
        options.samples,
        options.spread,
        options.seed,
    );
    let Some(n) = nash(&cands) else {
        return Ok((None, robustness));
    };
    let path = path_to_zone(
        c,
        0,
        &single_state_zone(c, n.state),
        CostModel::TotalConcession,
        limits,
    )?;
    Ok((Some(Deal { nash: n, path }), robustness))
}

/// A one-state "zone", to route a path to a single deal.
fn single_state_zone(c: &CompiledScenario, s: StateIndex) -> DealZone {
    let levels = c.space().decode(s);
    DealZone {
        states: vec![s],
        boxes: vec![levels.iter().map(|&l| (l, l)).collect()],
        utility: c
            .utilities()
            .iter()
            .map(|u| (u.utility(&levels), u.utility(&levels)))
            .collect(),
    }
}

/// A sentence or two on what the changes since `prev` did.
fn effect(prev: Option<&SnapshotReport>, now: &SnapshotReport) -> String {
    let Some(prev) = prev else {
        return if now.acceptable > 0 {
            format!(
                "At the start a deal is possible: {} acceptable states.",
                now.acceptable
            )
        } else if now.candidates == 0 {
            "At the start the red lines alone rule out any deal.".to_string()
        } else {
            "At the start red lines leave candidates, but no party mix accepts them.".to_string()
        };
    };
    let mut out = Vec::new();
    match (prev.acceptable > 0, now.acceptable > 0) {
        (false, true) => out.push(format!(
            "A zone opened: {} acceptable states.",
            now.acceptable
        )),
        (true, false) => out.push("The zone closed.".to_string()),
        (true, true) => out.push(format!(
            "A deal stays possible ({} -> {} acceptable states).",
            prev.acceptable, now.acceptable
        )),
        (false, false) => out.push("Still no deal.".to_string()),
    }
    let gone: Vec<String> = prev
        .red_line_conflicts
        .iter()
        .filter(|c| !now.red_line_conflicts.contains(c))
        .map(|c| c.join(" + "))
        .collect();
    let new: Vec<String> = now
        .red_line_conflicts
        .iter()
        .filter(|c| !prev.red_line_conflicts.contains(c))
        .map(|c| c.join(" + "))
        .collect();
    if !gone.is_empty() {
        out.push(format!(
            "Resolved clash{}: {}.",
            if gone.len() == 1 { "" } else { "es" },
            gone.join("; ")
        ));
    }
    if !new.is_empty() {
        out.push(format!(
            "New clash{}: {}.",
            if new.len() == 1 { "" } else { "es" },
            new.join("; ")
        ));
    }
    let (a, b) = (
        prev.cheapest_relaxation.len(),
        now.cheapest_relaxation.len(),
    );
    if now.acceptable == 0 && a != b && a > 0 && b > 0 {
        out.push(format!(
            "The least that must give went from {a} to {b} constraint{}.",
            if b == 1 { "" } else { "s" }
        ));
    }
    out.join(" ")
}
