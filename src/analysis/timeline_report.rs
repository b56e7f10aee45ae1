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
//! // The whole report on 1.4 million states, twice (all evidence, stated alone): no wall-time budget.
//! let limits = Limits { time_limit: None, ..Limits::default() };
//! let r = report(&t, &ReportOptions { samples: 20, ..ReportOptions::default() }, &limits)?;
//! assert_eq!(r.snapshots.len(), t.dates().len());
//! // No date has a deal: some red lines clash at every date.
//! assert!(r.snapshots.iter().all(|s| s.candidates == 0));
//! # Ok::<(), dealzone::Error>(())
//! ```

use rayon::prelude::*;

use super::bargain::{Candidates, Solution, is_acceptable, nash};
use super::evidence_marks::marks;
use super::explain::{Ranked, Softening, Tiered, evidence_key, explain_parts, tiered};
use super::path::{CostModel, ZonePath, least_blocking_path};
use super::sensitivity::{Robustness, sweep_range, sweep_within};
use super::zone::{DealZone, Engine, find_zones_compiled};
use crate::config::Limits;
use crate::error::Result;
use crate::model::{Date, Evidence, Scenario, Timeline};
use crate::space::{
    CompiledScenario, PreconditionRegion, RESERVATION_TOLERANCE, RegionQuotient, StateIndex,
};

pub use super::timeline_types::{
    Deal, LEAST_ORDER, Relaxation, ReportOptions, SnapshotReport, TimelineReport, WhatIf, party_of,
};

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
/// Per distinct snapshot: one zone search, one explanation and one scan of the red lines
/// (which each state breaks); per deal (the snapshot's and each what-if's): its
/// candidates read off that table, one path search and one sweep of `options.samples`
/// re-scorings (pruned: subtrees of the candidates' prefix tree that cannot change a
/// finding are skipped). Snapshots are analysed in parallel; a scenario equal to
/// one met before (apart from its date, sources and simulator settings, which no analysis
/// here reads), as the stated-evidence run often repeats, is analysed once.
pub fn report(t: &Timeline, options: &ReportOptions, limits: &Limits) -> Result<TimelineReport> {
    crate::analysis::sensitivity::check_samples(options.samples, limits)?;
    // One budget for the whole report: each snapshot gets what is left of it.
    let started = std::time::Instant::now();
    let left = || Limits {
        time_limit: limits
            .time_limit
            .map(|d| d.saturating_sub(started.elapsed())),
        ..limits.clone()
    };
    // On stated evidence alone too, when the timeline holds anything weaker.
    let stated = if options.compare_stated {
        let stated = t.admit(Evidence::Stated);
        let weaker = stated
            .snapshots()
            .zip(t.snapshots())
            .any(|((_, a), (_, b))| a != b);
        weaker.then_some(stated)
    } else {
        None
    };
    // Every snapshot (of both runs) is independent: analyse them in parallel, then put
    // the results back in date order, so the bytes do not depend on the thread count.
    let jobs: Vec<(Date, &Scenario)> = t
        .snapshots()
        .chain(stated.iter().flat_map(|st| st.snapshots()))
        .collect();
    // A scenario met before (the stated run repeats a date where no stated change applies,
    // and may repeat a date of the full run) is analysed once and its report copied.
    let keys: Vec<Scenario> = jobs.iter().map(|(_, s)| analysis_key(s)).collect();
    let first: Vec<usize> = (0..jobs.len())
        .map(|k| keys[..k].iter().position(|x| *x == keys[k]).unwrap_or(k))
        .collect();
    let unique: Vec<usize> = (0..jobs.len()).filter(|&k| first[k] == k).collect();
    let analysed = unique
        .par_iter()
        .map(|&k| snapshot(jobs[k].1, jobs[k].0, options, &left()))
        .collect::<Vec<Result<SnapshotReport>>>()
        .into_iter()
        .collect::<Result<Vec<SnapshotReport>>>()?;
    let mut done: Vec<SnapshotReport> = jobs
        .iter()
        .zip(&first)
        .map(|((date, _), f)| {
            // `unique` is sorted and holds every first occurrence.
            let at = unique.partition_point(|u| u < f);
            SnapshotReport {
                date: *date,
                ..analysed[at].clone()
            }
        })
        .collect();
    let alone = done.split_off(t.dates().len());
    let mut snapshots: Vec<SnapshotReport> = Vec::with_capacity(done.len());
    let mut previous: Option<Date> = None;
    for mut r in done {
        let date = r.date;
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
    for (r, s) in snapshots.iter_mut().zip(&alone) {
        r.stated_alone = marks(r, s);
    }
    Ok(TimelineReport {
        name: t.name().to_string(),
        snapshots,
        options: options.clone(),
    })
}

/// What [`snapshot`] reads of a scenario: all of it but its date and its list of sources
/// (the date is passed on its own; the sources are cited per constraint) and its simulator
/// settings (no analysis of the report runs the simulator).
fn analysis_key(s: &Scenario) -> Scenario {
    Scenario {
        date: None,
        sources: Vec::new(),
        simulation: Default::default(),
        ..s.clone()
    }
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
    // Which red lines each state breaks, tabulated once (by cells of the red lines'
    // quotient where they merge states): the explanation's violation table reads it, and
    // every what-if's candidates (the states meeting the red lines it keeps) are a filter
    // of it, not a scan.
    let red = RedLines::new(&c, limits)?;
    // No certificates: the report prints none (`dealzone explain` gives them).
    let e = explain_parts(s, &c, &options.explain, limits, red.table.as_ref(), false)?;
    let red_line_conflicts: Vec<Vec<String>> = e
        .conflicts
        .iter()
        .filter(|set| set.iter().all(|n| !n.ends_with("/reservation")))
        .cloned()
        .collect();
    let (nash_here, robustness, _) =
        nash_and_robustness(s, &c, red.candidates(&c, &[], limits)?, options, limits)?;
    let no_deal = zones.acceptable.is_empty();
    let all: Vec<Relaxation> = if no_deal {
        e.relaxations.iter().map(|r| Relaxation::new(r)).collect()
    } else {
        Vec::new()
    };
    let least = least_tier(s, &all, options.max_listed);
    let least_relaxations_more = least.omitted;
    let least: Vec<Relaxation> = least.tiers.into_iter().flatten().collect();
    let (options_list, what_ifs_more) = what_if_options(s, &all, options.max_what_ifs);
    // Each what-if is independent (its own candidates, Nash deal and sweep): in parallel
    // too, collected in the order of the list.
    let found = options_list
        .par_iter()
        .map(|r| {
            let names: Vec<&str> = r.dropped.iter().map(String::as_str).collect();
            let relaxed = relax(&c, &names)?;
            let cands = red.candidates(&relaxed, &names, limits)?;
            nash_and_robustness(s, &relaxed, cands, options, limits)
        })
        .collect::<Result<Vec<_>>>()?;
    // The paths last, one per distinct Nash state: a path reads the preconditions, the
    // status quo and the utilities, never the red lines or reservations a what-if drops,
    // so it is routed on the snapshot itself (its precondition region built once) and
    // what-ifs that land on the same deal share it. The report names the least blocking
    // options only: the least tier is found by reachability tests, far cheaper than every
    // minimal set (`dealzone path` lists those).
    let mut targets: Vec<StateIndex> = nash_here
        .iter()
        .chain(found.iter().filter_map(|(n, _, _)| n.as_ref()))
        .map(|n| n.state)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let paths = targets
        .par_iter()
        .map(|&st| {
            least_blocking_path(
                &c,
                0,
                &single_state_zone(&c, st),
                CostModel::TotalConcession,
                options.max_listed,
                limits,
            )
        })
        .collect::<Result<Vec<ZonePath>>>()?;
    let deal_of = |n: Option<Solution>| {
        n.map(|n| {
            let path = paths[targets.binary_search(&n.state).unwrap_or_default()].clone();
            Deal { nash: n, path }
        })
    };
    let deal = deal_of(nash_here);
    let what_ifs: Vec<WhatIf> = options_list
        .iter()
        .zip(found)
        .map(|(r, (n, robustness, acceptable))| WhatIf {
            dropped: r.dropped.clone(),
            parties: r.parties.clone(),
            acceptable,
            deal: deal_of(n),
            robustness,
        })
        .collect();
    let softenings = least_softenings(s, &e.softenings, options.max_listed);
    Ok(SnapshotReport {
        date,
        title: None,
        states: zones.states,
        candidates: zones.candidates,
        acceptable: zones.acceptable.len() as u64,
        zones: zones.zones.iter().map(DealZone::size).collect(),
        red_line_conflicts,
        softening: softenings.first().cloned(),
        softenings,
        explanation: e,
        cheapest_relaxation: least.first().map(|r| r.dropped.clone()).unwrap_or_default(),
        least_relaxations: least,
        least_relaxations_more,
        deal,
        robustness,
        what_if: what_ifs.first().cloned(),
        what_ifs,
        what_ifs_more,
        changes: Vec::new(),
        effect: String::new(),
        stated_alone: Vec::new(),
    })
}

/// Rank relaxations into tiers under [`LEAST_ORDER`], keeping at most `cap`: the shared
/// [`tiered`] order of `explain` (the same key, the same grouping by party).
fn ranked<'a>(
    s: &Scenario,
    options: impl Iterator<Item = &'a Relaxation>,
    cap: usize,
) -> Tiered<Relaxation> {
    let mut t = tiered(
        options
            .map(|r| Ranked {
                key: (r.dropped.len(), evidence_key(s, &r.dropped)),
                parties: r.parties.clone(),
                name: r.dropped.join("+"),
                value: r.clone(),
            })
            .collect(),
        cap,
        LEAST_ORDER,
    );
    for (k, tier) in t.tiers.iter_mut().enumerate() {
        for r in tier {
            r.tier = k;
        }
    }
    t
}

/// Every relaxation of the fewest constraints, in tiers under [`LEAST_ORDER`], at most
/// `cap` (the rest counted in [`Tiered::omitted`]).
///
/// # Arguments
/// `s`, the scenario the names belong to (for their evidence grades); `all`, the minimal
/// relaxations; `cap`.
///
/// # Complexity
/// O(n log n) for n relaxations.
///
/// # Example
/// ```
/// use dealzone::Scenario;
/// use dealzone::analysis::timeline_report::{Relaxation, least_tier};
/// let s = Scenario::from_toml_str(r#"
/// name = "two sides"
/// [issues]
/// x = ["x0", "x1"]
/// [status_quo]
/// x = "x0"
/// [parties.zulu]
/// weights = { x = 1 }
/// values = { x = [1, 0] }
/// red_lines = [{ id = "a", rule = "x == x0", evidence = "reported" }]
/// [parties.alpha]
/// weights = { x = 1 }
/// values = { x = [0, 1] }
/// red_lines = [{ id = "b", rule = "x == x1" }]
/// "#, "two.toml")?;
/// let r = |v: &[&str]| Relaxation::new(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
/// let all = [r(&["zulu/a"]), r(&["alpha/b"]), r(&["alpha/c", "zulu/d"])];
/// let least = least_tier(&s, &all, 20);
/// // Both single drops are listed, whichever name sorts first; the reported one ranks
/// // first (weaker evidence), in a tier of its own.
/// assert_eq!(least.len(), 2);
/// assert_eq!(least.tiers[0][0].dropped, ["zulu/a"]);
/// assert_eq!(least.tiers[1][0].dropped, ["alpha/b"]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn least_tier(s: &Scenario, all: &[Relaxation], cap: usize) -> Tiered<Relaxation> {
    let Some(least) = all.iter().map(|r| r.dropped.len()).min() else {
        return Tiered::empty(LEAST_ORDER);
    };
    ranked(s, all.iter().filter(|r| r.dropped.len() == least), cap)
}

/// The relaxations a what-if is computed for: each party's relaxations of its fewest own
/// constraints (every party that alone can open a zone, ties included), or, when no party
/// alone can, every relaxation of the fewest constraints (they all need several parties);
/// in tiers under [`LEAST_ORDER`], at most `cap` save the best class, the cap keeping or
/// dropping whole classes of tied options (never choosing among them by name).
///
/// # Returns
/// The options, in order, and how many were cut.
pub fn what_if_options(s: &Scenario, all: &[Relaxation], cap: usize) -> (Vec<Relaxation>, usize) {
    let mut pool: Vec<&Relaxation> = Vec::new();
    fn least<'a>(rs: &[&'a Relaxation]) -> Vec<&'a Relaxation> {
        let min = rs.iter().map(|r| r.dropped.len()).min();
        rs.iter()
            .copied()
            .filter(|r| Some(r.dropped.len()) == min)
            .collect()
    }
    if !all.iter().any(Relaxation::is_one_party) {
        pool = least(&all.iter().collect::<Vec<_>>());
    }
    let mut parties: Vec<&str> = all
        .iter()
        .filter(|r| r.is_one_party())
        .map(|r| r.parties[0].as_str())
        .collect();
    parties.sort_unstable();
    parties.dedup();
    for p in parties {
        let own: Vec<&Relaxation> = all
            .iter()
            .filter(|r| r.is_one_party() && r.parties[0] == p)
            .collect();
        pool.extend(least(&own));
    }
    let t = ranked(s, pool.into_iter(), cap);
    let more = t.omitted;
    (t.tiers.into_iter().flatten().collect(), more)
}

/// Per party, its softenings of fewest rungs (ties kept), then all in tiers under
/// [`LEAST_ORDER`] (rungs, then weaker evidence; exact ties grouped by party), at most
/// `cap`. A party's utility cost never decides.
fn least_softenings(s: &Scenario, all: &[Softening], cap: usize) -> Vec<Softening> {
    let options = all
        .iter()
        .filter(|f| {
            let p = party_of(&f.name);
            all.iter()
                .filter(|g| party_of(&g.name) == p)
                .all(|g| g.rungs >= f.rungs)
        })
        .map(|f| Ranked {
            key: (f.rungs, evidence_key(s, std::slice::from_ref(&f.name))),
            parties: vec![party_of(&f.name).to_string()],
            name: f.name.clone(),
            value: f.clone(),
        })
        .collect();
    tiered(options, cap, LEAST_ORDER)
        .tiers
        .into_iter()
        .flatten()
        .collect()
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

/// The Nash deal, the sweep over the candidates, and the number of acceptable states.
fn nash_and_robustness(
    s: &Scenario,
    c: &CompiledScenario,
    cands: Candidates,
    options: &ReportOptions,
    limits: &Limits,
) -> Result<(Option<Solution>, Robustness, u64)> {
    // The acceptable states are the candidates every party accepts (the zone search's own
    // test, on the same utilities): counted here rather than by a second search.
    let acceptable = cands
        .rows()
        .filter(|u| is_acceptable(u, cands.reservations()))
        .count() as u64;
    let robustness = match &options.sample_range {
        None => sweep_within(
            s,
            c,
            cands.states(),
            options.samples,
            options.spread,
            options.seed,
            limits,
        )?,
        Some(r) => sweep_range(
            s,
            c,
            cands.states(),
            r.clone(),
            options.spread,
            options.seed,
            limits,
        )?,
    };
    Ok((nash(&cands), robustness, acceptable))
}

/// The candidates of a what-if: the states of `c` meeting every red line but those
/// `dropped` (and every party's zero reservation), as the report finds them: read off the
/// snapshot's red-line table once built, walking only the cells of the red lines'
/// quotient that meet the red lines kept. Equal to [`Candidates::from_compiled`] on
/// [`relax`]`(c, dropped)`, row for row (the tests tie the two).
///
/// # Arguments
/// `c`, the snapshot; `dropped`, names of red lines (a `party/reservation` name drops a
/// reservation, which no candidate reads); `limits`.
///
/// # Returns
/// The candidates.
///
/// # Errors
/// [`crate::Error::UnknownConstraintName`] for a name that is no constraint;
/// [`crate::Error::LimitExceeded`] as [`Candidates::from_compiled`].
///
/// # Complexity
/// O(S) to build the table and O(C) for the quotient's C cells, then O(C + W · P) per
/// call for W levels walked (about the candidates times the issues) and P parties.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario, analysis::bargain::Candidates};
/// use dealzone::analysis::timeline_report::{relax, what_if_candidates};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let name = c.red_line_names()[0].clone();
/// let fast = what_if_candidates(&c, &[&name], &Limits::default())?;
/// let plain = Candidates::from_compiled(&relax(&c, &[&name])?, &Limits::default())?;
/// assert_eq!(fast, plain);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn what_if_candidates(
    c: &CompiledScenario,
    dropped: &[&str],
    limits: &Limits,
) -> Result<Candidates> {
    let relaxed = relax(c, dropped)?;
    RedLines::new(c, limits)?.candidates(&relaxed, dropped, limits)
}

/// A snapshot's red lines, tabulated: the red lines' quotient (cells of states breaking
/// the same red lines, bit `r`: red line `r` of the snapshot's compiled scenario) when it
/// merges states, else per state the red lines it breaks; neither when it would not fit
/// the memory budget or there are more than 64 red lines.
struct RedLines {
    table: Option<PreconditionRegion>,
    /// The red lines' quotient (cells of states breaking the same red lines), when it
    /// merges states: the candidates are then found by a walk that enters only the cells
    /// meeting every red line kept ([`candidates_by_cells`]).
    cells: Option<RegionQuotient>,
    names: Vec<String>,
}

impl RedLines {
    /// # Errors
    /// As [`crate::analysis::explain::merging_quotient`].
    fn new(c: &CompiledScenario, limits: &Limits) -> Result<RedLines> {
        let cells = crate::analysis::explain::merging_quotient(c, limits)?
            .filter(|q| q.bytes() <= limits.max_memory_bytes / 4);
        // The per-state table only where the cells do not merge: the violation table,
        // the joint softenings and the candidates all read the cells then.
        let table = cells
            .is_none()
            .then(|| {
                PreconditionRegion::build(c.space(), c.red_lines(), limits.max_memory_bytes / 4)
            })
            .flatten();
        Ok(RedLines {
            table,
            cells,
            names: c.red_line_names().to_vec(),
        })
    }

    /// The candidates of `relaxed` (the snapshot with the red lines and reservations
    /// `dropped` left out): exactly [`Candidates::from_compiled`]'s rows (the states
    /// meeting every red line kept and every party's zero reservation, in state order,
    /// with the same utilities), read off the table.
    fn candidates(
        &self,
        relaxed: &CompiledScenario,
        dropped: &[&str],
        limits: &Limits,
    ) -> Result<Candidates> {
        if self.cells.is_none() && self.table.is_none() {
            return Candidates::from_compiled(relaxed, limits);
        }
        let keep = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| !dropped.contains(&n.as_str()))
            .fold(0u64, |m, (r, _)| m | 1 << r);
        let space = relaxed.space();
        let utils = relaxed.utilities();
        let np = utils.len();
        let max_found = limits.max_acceptable.min(limits.memory_items(16));
        let too_many = || {
            if limits.memory_items(16) < limits.max_acceptable {
                crate::error::Error::LimitExceeded {
                    limit: crate::config::Limit::MaxMemoryBytes,
                    value: limits.max_memory_bytes,
                }
            } else {
                crate::error::Error::LimitExceeded {
                    limit: crate::config::Limit::MaxAcceptable,
                    value: limits.max_acceptable,
                }
            }
        };
        let parts: Vec<(Vec<StateIndex>, Vec<f64>)> = match (&self.cells, &self.table) {
            (Some(q), _) if space.issues() > 0 => {
                let found = candidates_by_cells(relaxed, q, keep, max_found);
                vec![found.ok_or_else(too_many)?]
            }
            (_, Some(table)) => self.scan_candidates(relaxed, table, keep, max_found, &too_many)?,
            _ => return Candidates::from_compiled(relaxed, limits),
        };
        // The zone scan's own limit on the states it lists, with its error.
        if parts.iter().map(|(s, _)| s.len() as u64).sum::<u64>() > max_found {
            return Err(too_many());
        }
        let mut states = Vec::new();
        let mut utilities = Vec::with_capacity(np);
        for (s, u) in parts {
            states.extend(s);
            utilities.extend(u);
        }
        limits.check_memory(states.len() as u64, 8 * (utils.len() as u64 + 1))?;
        let reservations = utils.iter().map(|u| u.reservation()).collect();
        match Candidates::new(states, utilities, reservations) {
            Ok(c) => Ok(c),
            // A value the matrix refuses: the scan's own rules apply.
            Err(_) => Candidates::from_compiled(relaxed, limits),
        }
    }

    /// The candidates' states and utility rows by a scan of every state's word in the
    /// red-line table (the twin of [`candidates_by_cells`]), in chunks joined in order.
    fn scan_candidates(
        &self,
        relaxed: &CompiledScenario,
        table: &PreconditionRegion,
        keep: u64,
        max_found: u64,
        too_many: &(dyn Fn() -> crate::error::Error + Sync),
    ) -> Result<Vec<(Vec<StateIndex>, Vec<f64>)>> {
        let space = relaxed.space();
        let utils = relaxed.utilities();
        let np = utils.len();
        // Chunks in parallel, joined in state order. Most states break a red line kept:
        // the utilities are computed only for those that pass (as `from_compiled` does).
        let size = space.size();
        (0..size.div_ceil(CANDIDATE_CHUNK))
            .into_par_iter()
            .map(|k| {
                let (start, end) = (k * CANDIDATE_CHUNK, ((k + 1) * CANDIDATE_CHUNK).min(size));
                let mut states = Vec::new();
                let mut utilities = Vec::new();
                let mut levels = vec![0; space.issues()];
                let mut row = vec![0.0; np];
                let mut over = false;
                for st in start..end {
                    if table.broken(st) & keep != 0 {
                        continue;
                    }
                    space.decode_into(st, &mut levels);
                    for (x, u) in row.iter_mut().zip(utils) {
                        *x = u.utility(&levels);
                    }
                    // As `from_compiled`: the acceptable states once every reservation is 0.
                    if row.iter().all(|&x| x >= -RESERVATION_TOLERANCE) {
                        if states.len() as u64 >= max_found {
                            over = true;
                            break;
                        }
                        states.push(st);
                        utilities.extend_from_slice(&row);
                    }
                }
                if over {
                    Err(too_many())
                } else {
                    Ok((states, utilities))
                }
            })
            .collect::<Result<_>>()
    }
}

/// The states of `c` whose cell of `q` breaks none of the red lines in `keep` (bit `r`:
/// red line `r`) and whose utilities are all at least 0 (within the tolerance, as
/// [`Candidates::from_compiled`] keeps them), in state order, with their utility rows;
/// `None` past `max_found` states.
///
/// A walk over the levels in state order (issue 0 first) that enters a level only when
/// some cell below it meets every red line kept: the cells below a prefix of levels are a
/// contiguous range of the cell grid, so a prefix count of the cells that pass answers
/// each test in O(1). Utilities are running sums along the walk, in issue order from 0 and
/// capped at 1 as [`crate::space::PartyUtility::utility`] does: the same bits.
///
/// # Complexity
/// O(C + W · P) for C cells, W nodes walked (at most the candidates times the issues,
/// plus the levels tried beside them) and P parties.
fn candidates_by_cells(
    c: &CompiledScenario,
    q: &RegionQuotient,
    keep: u64,
    max_found: u64,
) -> Option<(Vec<StateIndex>, Vec<f64>)> {
    let grid = q.cells();
    // passing[k]: cells before cell k that break no red line kept.
    let mut passing = Vec::with_capacity(grid.size() as usize + 1);
    passing.push(0u64);
    for cell in 0..grid.size() {
        let last = passing[passing.len() - 1];
        passing.push(last + u64::from(q.broken_cell(cell) & keep == 0));
    }
    let space = c.space();
    let n = space.issues();
    let utils = c.utilities();
    let np = utils.len();
    let mut walk = Walk {
        c,
        q,
        passing: &passing,
        cell_strides: grid.strides(),
        psum: vec![0.0; np * (n + 1)],
        row: vec![0.0; np],
        states: Vec::new(),
        utilities: Vec::new(),
        max_found,
        over: false,
    };
    walk.visit(0, 0, 0);
    (!walk.over).then_some((walk.states, walk.utilities))
}

/// The state of [`candidates_by_cells`]'s walk.
struct Walk<'a> {
    c: &'a CompiledScenario,
    q: &'a RegionQuotient,
    passing: &'a [u64],
    cell_strides: &'a [u64],
    /// psum[p * (n + 1) + d]: party p's sum over issues 0..d on the way.
    psum: Vec<f64>,
    row: Vec<f64>,
    states: Vec<StateIndex>,
    utilities: Vec<f64>,
    max_found: u64,
    over: bool,
}

impl Walk<'_> {
    /// Issue `d` onwards, below the state prefix `st` and the cell prefix `cell`.
    fn visit(&mut self, d: usize, st: StateIndex, cell: u64) {
        let space = self.c.space();
        let n = space.issues();
        if d == n {
            for (p, x) in self.row.iter_mut().enumerate() {
                *x = self.psum[p * (n + 1) + n].min(1.0);
            }
            // As `from_compiled`: the acceptable states once every reservation is 0.
            if self.row.iter().all(|&x| x >= -RESERVATION_TOLERANCE) {
                if self.states.len() as u64 >= self.max_found {
                    self.over = true;
                    return;
                }
                self.states.push(st);
                self.utilities.extend_from_slice(&self.row);
            }
            return;
        }
        let span = self.cell_strides[d];
        let stride = space.strides()[d];
        for l in 0..space.radices()[d] as usize {
            let below = cell + self.q.run_of(d, l) as u64 * span;
            if self.passing[(below + span) as usize] == self.passing[below as usize] {
                continue;
            }
            for (p, u) in self.c.utilities().iter().enumerate() {
                let at = p * (n + 1) + d;
                self.psum[at + 1] = self.psum[at] + u.contrib(d, l);
            }
            self.visit(d + 1, st + l as u64 * stride, below);
            if self.over {
                return;
            }
        }
    }
}

/// States per parallel chunk of a candidate scan.
const CANDIDATE_CHUNK: u64 = 1 << 16;

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
    // The size of the least tier: the same for every tied option, so no pick is compared.
    let size = |r: &SnapshotReport| r.least_relaxations.first().map_or(0, |x| x.dropped.len());
    let (a, b) = (size(prev), size(now));
    if now.acceptable == 0 && a != b && a > 0 && b > 0 {
        out.push(format!(
            "The least that must give went from {a} to {b} constraint{}.",
            if b == 1 { "" } else { "s" }
        ));
    }
    out.join(" ")
}
