//! Reduce a batch of runs, in run order: agreement rate, agreed states, rounds, utilities,
//! distances to the Pareto frontier and the Nash point, zones reached, events, softenings.
//!
//! Distances and zones are those of the deal space *in force at agreement*: the scenario
//! with the red lines as the parties had softened them and the reservations the events had
//! set. Each distinct set in force is analysed once (the most frequent
//! [`MAX_CONFIGURATIONS`]; agreements under rarer ones are counted in `unanalysed`). An
//! analysis that fails (a limit such as `max_acceptable` on a large space) does not throw
//! the batch away: its agreements are counted in `unanalysed` too, their distances left
//! out, and [`Summary::notes`] says why.

use std::collections::BTreeMap;

use super::protocol::RunResult;
use super::trace::{End, InForce};
use super::world::{Protocol, World};
use crate::analysis::bargain::bargain_compiled;
use crate::analysis::zone::{Engine, find_zones_compiled};
use crate::config::Limits;
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// Most distinct sets of constraints in force analysed for distances and zones.
pub const MAX_CONFIGURATIONS: usize = 16;

/// An agreed state and how many runs reached it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeCount {
    /// The state.
    pub state: StateIndex,
    /// Runs that agreed on it.
    pub count: u64,
}

/// One party's utilities over the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyOutcome {
    /// The party.
    pub party: String,
    /// Mean utility of the agreed states; `None` without agreements.
    pub mean_agreed: Option<f64>,
    /// Mean utility over every run: the agreed state, or the status quo in force at the end.
    pub mean_all: f64,
}

/// How often a zone of a deal space in force was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneReach {
    /// Constraints not as written (`party/id` with `suspended` or the replacement rule).
    pub changed: Vec<(String, String)>,
    /// Reservations changed by events: `(party, value)`.
    pub reservations: Vec<(String, f64)>,
    /// The zone's index in that deal space's zone list (largest first).
    pub zone: usize,
    /// Its size in states.
    pub size: u64,
    /// Agreements in it.
    pub count: u64,
}

/// The batch, summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The protocol played.
    pub protocol: Protocol,
    /// Deadline in rounds.
    pub deadline: u32,
    /// Runs ending in agreement.
    pub agreements: u64,
    /// `agreements / runs`.
    pub agreement_rate: f64,
    /// Agreed states, most frequent first (ties by state index).
    pub outcomes: Vec<OutcomeCount>,
    /// Mean rounds played.
    pub mean_rounds: f64,
    /// Runs ending at the deadline.
    pub deadline_reached: u64,
    /// Runs whose agreed state could not be implemented from the status quo under the
    /// preconditions ([`End::Unimplementable`]): not deals, not in `agreements`.
    pub unimplementable: u64,
    /// Walk-outs by party (party order).
    pub walk_outs: Vec<u64>,
    /// Utilities of the parties with one.
    pub utility: Vec<PartyOutcome>,
    /// Mean distance of the agreements to the Pareto frontier in force.
    pub distance_frontier: Option<f64>,
    /// Mean distance to the Nash point in force.
    pub distance_nash: Option<f64>,
    /// Zones reached, by deal space in force, most reached first.
    pub zones: Vec<ZoneReach>,
    /// Agreements under a set in force beyond [`MAX_CONFIGURATIONS`], or whose deal space
    /// could not be analysed (see `notes`).
    pub unanalysed: u64,
    /// Why a deal space in force was not analysed, one line each.
    pub notes: Vec<String>,
    /// Runs in which each event fired (event order).
    pub events: Vec<u64>,
    /// Agreements at which each constraint was not as written (constraint order).
    pub softened: Vec<u64>,
    /// Whether every run asked for was played: false when the time limit stopped the
    /// batch, and then every figure is over the first `runs` runs (a prefix in run order,
    /// so the same as a batch of `runs` runs with the same seed).
    pub complete: bool,
    /// Runs asked for (`runs` when `complete`).
    pub runs_requested: u64,
    /// The first run (0-based) that reached agreement, if any.
    pub first_agreement: Option<u64>,
}

type Key = (Vec<u8>, Vec<u64>);

fn key(inf: &InForce) -> Key {
    (
        inf.variants.clone(),
        inf.reservations.iter().map(|r| r.to_bits()).collect(),
    )
}

/// The scenario with the red lines, preconditions and reservations in force (and the
/// status quo): [`World::scenario_in_force`], kept here for callers of this path.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let inf = dealzone::sim::trace::InForce {
///     variants: vec![0; w.constraints.len()],
///     reservations: w.parties.iter().map(|p| p.reservation).collect(),
///     status_quo: w.status_quo,
/// };
/// assert_eq!(dealzone::sim::summary::scenario_in_force(&w, &inf), s);
/// ```
pub fn scenario_in_force(w: &World, inf: &InForce) -> Scenario {
    w.scenario_in_force(inf)
}

/// Summarise a batch in run order.
///
/// # Arguments
/// The world, the runs' results in run order, the master seed, and the limits of the
/// bargaining and zone analyses.
///
/// # Returns
/// The [`Summary`] (`complete`: true).
///
/// # Errors
/// A limit broken by a bargaining or zone analysis.
///
/// # Complexity
/// O(runs · parties) plus one bargaining and zone analysis per analysed set in force.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let runs = dealzone::sim::monte_carlo::run_many(&w, 10, 2, &|| {});
/// let sum = dealzone::sim::summarise(&w, &runs, 2, &Default::default()).unwrap();
/// assert_eq!(sum.runs, 10);
/// ```
pub fn summarise(
    w: &World,
    results: &[RunResult],
    seed: u64,
    limits: &Limits,
) -> crate::error::Result<Summary> {
    let mut tally = Tally::new(w, limits);
    for r in results {
        tally.add(r);
    }
    tally.finish(seed, &mut |f: &mut dyn FnMut(&RunResult)| {
        results.iter().for_each(&mut *f);
        true
    })
}

/// A second walk over a batch's runs, in run order (see [`Tally::finish`]): calls its
/// argument on each run and says whether it walked them all.
pub type Replay<'a> = dyn FnMut(&mut dyn FnMut(&RunResult)) -> bool + 'a;

/// One distinct set in force and what its analysis gave (or why it failed).
type Analysis = Result<
    (
        CompiledScenario,
        crate::analysis::bargain::Bargain,
        crate::analysis::zone::Zones,
        InForce,
    ),
    String,
>;

/// A batch's summary built run by run, in run order, so that no more than one chunk of
/// results need be held at a time ([`super::monte_carlo::for_each_run`]).
///
/// Sums are taken in run order, as [`summarise`] takes them, so a streamed batch gives the
/// same bytes. While the batch has at most [`MAX_CONFIGURATIONS`] distinct sets in force
/// among its agreements, each is analysed when first met and the distances are summed on
/// the way; beyond that, which sets are analysed depends on the final counts, and
/// [`Tally::finish`] walks the runs a second time (its `replay`).
pub struct Tally<'w> {
    w: &'w World,
    limits: Limits,
    runs: u64,
    agreements: u64,
    rounds: u64,
    deadline_reached: u64,
    unimplementable: u64,
    walk_outs: Vec<u64>,
    by_state: BTreeMap<StateIndex, u64>,
    by_key: BTreeMap<Key, u64>,
    sum_agreed: Vec<f64>,
    sum_all: Vec<f64>,
    events: Vec<u64>,
    softened: Vec<u64>,
    first_agreement: Option<u64>,
    /// Sets in force analysed on first sight (while they are few).
    online: BTreeMap<Key, Analysis>,
    /// More distinct sets than [`MAX_CONFIGURATIONS`]: the online sums are void.
    overflow: bool,
    dist: Distances,
}

/// Distance sums and zone counts, in run order.
#[derive(Default)]
struct Distances {
    d_front: f64,
    n_front: u64,
    d_nash: f64,
    n_nash: u64,
    unanalysed: u64,
    reach: BTreeMap<(Key, usize), u64>,
}

impl Distances {
    fn add(&mut self, analysed: &BTreeMap<Key, Analysis>, k: Key, s: StateIndex) {
        let Some(Ok((c, bargain, zones, _))) = analysed.get(&k) else {
            self.unanalysed += 1;
            return;
        };
        let d = bargain.distances(c, s);
        if let Some(x) = d.frontier {
            self.d_front += x;
            self.n_front += 1;
        }
        if let Some(x) = d.nash {
            self.d_nash += x;
            self.n_nash += 1;
        }
        if let Some(z) = zones.zones.iter().position(|z| z.contains(s)) {
            *self.reach.entry((k, z)).or_default() += 1;
        }
    }
}

fn analyse_in_force(w: &World, k: &Key, limits: &Limits) -> Analysis {
    let inf = InForce {
        variants: k.0.clone(),
        reservations: k.1.iter().map(|b| f64::from_bits(*b)).collect(),
        status_quo: w.status_quo,
    };
    let scenario = scenario_in_force(w, &inf);
    CompiledScenario::new(&scenario, limits)
        .and_then(|c| {
            let bargain = bargain_compiled(&c, limits)?;
            let zones = find_zones_compiled(&c, Engine::Auto, limits)?;
            Ok((c, bargain, zones, inf))
        })
        .map_err(|e| e.to_string())
}

impl<'w> Tally<'w> {
    /// An empty tally for runs of `w`; `limits` bound the analyses of the sets in force.
    pub fn new(w: &'w World, limits: &Limits) -> Tally<'w> {
        let n = w.parties.len();
        Tally {
            w,
            limits: limits.clone(),
            runs: 0,
            agreements: 0,
            rounds: 0,
            deadline_reached: 0,
            unimplementable: 0,
            walk_outs: vec![0; n],
            by_state: BTreeMap::new(),
            by_key: BTreeMap::new(),
            sum_agreed: vec![0.0; n],
            sum_all: vec![0.0; n],
            events: vec![0; w.events.len()],
            softened: vec![0; w.constraints.len()],
            first_agreement: None,
            online: BTreeMap::new(),
            overflow: false,
            dist: Distances::default(),
        }
    }

    /// Runs added so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Add the next run (runs must come in run order).
    pub fn add(&mut self, r: &RunResult) {
        let w = self.w;
        self.rounds += u64::from(r.rounds);
        for (e, &fired) in self.events.iter_mut().zip(&r.events) {
            *e += u64::from(fired);
        }
        match r.end {
            End::Agreement => {}
            End::Deadline => self.deadline_reached += 1,
            End::WalkOut(p) => self.walk_outs[p] += 1,
            End::Unimplementable(_) => self.unimplementable += 1,
        }
        let at = r.agreed.unwrap_or(r.in_force.status_quo);
        for (p, sum) in self.sum_all.iter_mut().enumerate() {
            *sum += w.utility(p, at);
        }
        if let Some(s) = r.agreed {
            if self.first_agreement.is_none() {
                self.first_agreement = Some(self.runs);
            }
            self.agreements += 1;
            *self.by_state.entry(s).or_default() += 1;
            let k = key(&r.in_force);
            *self.by_key.entry(k.clone()).or_default() += 1;
            for (p, sum) in self.sum_agreed.iter_mut().enumerate() {
                *sum += w.utility(p, s);
            }
            for (c, &v) in self.softened.iter_mut().zip(&r.in_force.variants) {
                *c += u64::from(v != 0);
            }
            if self.by_key.len() > MAX_CONFIGURATIONS {
                self.overflow = true;
            }
            if !self.overflow {
                if !self.online.contains_key(&k) {
                    let a = analyse_in_force(w, &k, &self.limits);
                    self.online.insert(k.clone(), a);
                }
                self.dist.add(&self.online, k, s);
            }
        }
        self.runs += 1;
    }

    /// The summary of the runs added.
    ///
    /// # Arguments
    /// The master seed, and `replay`: called at most once, when the batch had more than
    /// [`MAX_CONFIGURATIONS`] distinct sets in force, to walk the same runs again in run
    /// order (calling its argument on each); it returns false if it could not walk them
    /// all (a time limit), and the distances are then left out with a note.
    ///
    /// # Errors
    /// None today; the analyses' failures become notes.
    pub fn finish(self, seed: u64, replay: &mut Replay<'_>) -> crate::error::Result<Summary> {
        let w = self.w;
        let runs = self.runs;
        let mut outcomes: Vec<OutcomeCount> = self
            .by_state
            .into_iter()
            .map(|(state, count)| OutcomeCount { state, count })
            .collect();
        outcomes.sort_by(|a, b| b.count.cmp(&a.count).then(a.state.cmp(&b.state)));

        // Deal spaces in force, most frequent first.
        let mut keys: Vec<(Key, u64)> = self.by_key.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        keys.truncate(MAX_CONFIGURATIONS);
        let mut notes = Vec::new();
        let (analysed, dist) = if self.overflow {
            let mut analysed = BTreeMap::new();
            for (k, _) in &keys {
                analysed.insert(k.clone(), analyse_in_force(w, k, &self.limits));
            }
            let mut dist = Distances::default();
            let walked = replay(&mut |r: &RunResult| {
                if let Some(s) = r.agreed {
                    dist.add(&analysed, key(&r.in_force), s);
                }
            });
            if !walked {
                notes.push(
                    "distances and zones reached left out: the time limit ran out while \
                     measuring them (more than 16 distinct deal spaces in force)"
                        .to_string(),
                );
                dist = Distances {
                    unanalysed: self.agreements,
                    ..Distances::default()
                };
            }
            (analysed, dist)
        } else {
            (self.online, self.dist)
        };
        for (k, count) in &keys {
            if let Some(Err(e)) = analysed.get(k) {
                let inf = InForce {
                    variants: k.0.clone(),
                    reservations: k.1.iter().map(|b| f64::from_bits(*b)).collect(),
                    status_quo: w.status_quo,
                };
                // The runs stand on their own: report them without this deal space's distances.
                notes.push(format!(
                    "{count} agreement(s) under {} not analysed: {e}",
                    describe_in_force(w, &inf)
                ));
            }
        }
        let mut zones: Vec<ZoneReach> = dist
            .reach
            .into_iter()
            .filter_map(|((k, z), count)| {
                let Some(Ok((_, _, found, inf))) = analysed.get(&k) else {
                    return None;
                };
                Some(ZoneReach {
                    changed: describe_changes(w, &inf.variants),
                    reservations: w
                        .parties
                        .iter()
                        .zip(&inf.reservations)
                        .filter(|(p, r)| {
                            p.contrib.is_some() && r.to_bits() != p.reservation.to_bits()
                        })
                        .map(|(p, r)| (p.name.clone(), *r))
                        .collect(),
                    zone: z,
                    size: found.zones[z].size(),
                    count,
                })
            })
            .collect();
        zones.sort_by_key(|z| std::cmp::Reverse(z.count));
        let agreements = self.agreements;
        let mean = |s: f64, k: u64| (k > 0).then(|| s / k as f64);
        Ok(Summary {
            runs,
            seed,
            protocol: w.protocol,
            deadline: w.deadline,
            agreements,
            agreement_rate: agreements as f64 / runs.max(1) as f64,
            outcomes,
            mean_rounds: self.rounds as f64 / runs.max(1) as f64,
            deadline_reached: self.deadline_reached,
            unimplementable: self.unimplementable,
            walk_outs: self.walk_outs,
            utility: w
                .parties
                .iter()
                .enumerate()
                .filter(|(_, p)| p.contrib.is_some())
                .map(|(p, pm)| PartyOutcome {
                    party: pm.name.clone(),
                    mean_agreed: mean(self.sum_agreed[p], agreements),
                    mean_all: self.sum_all[p] / runs.max(1) as f64,
                })
                .collect(),
            distance_frontier: mean(dist.d_front, dist.n_front),
            distance_nash: mean(dist.d_nash, dist.n_nash),
            zones,
            unanalysed: dist.unanalysed,
            notes,
            events: self.events,
            softened: self.softened,
            complete: true,
            runs_requested: runs,
            first_agreement: self.first_agreement,
        })
    }
}

/// What was in force, in words: "the deal space as written", or the softened red lines
/// and changed reservations.
fn describe_in_force(w: &World, inf: &InForce) -> String {
    let mut parts: Vec<String> = describe_changes(w, &inf.variants)
        .into_iter()
        .map(|(c, what)| format!("{c} {what}"))
        .collect();
    parts.extend(
        w.parties
            .iter()
            .zip(&inf.reservations)
            .filter(|(p, r)| p.contrib.is_some() && r.to_bits() != p.reservation.to_bits())
            .map(|(p, r)| format!("{} reservation {r}", p.name)),
    );
    if parts.is_empty() {
        "the deal space as written".to_string()
    } else {
        format!("the deal space with {}", parts.join(", "))
    }
}

/// Constraints not as written: `(party/id, "suspended" or the rule in force)`.
pub fn describe_changes(w: &World, variants: &[u8]) -> Vec<(String, String)> {
    w.constraints
        .iter()
        .zip(variants)
        .filter(|(_, v)| **v != 0)
        .map(|(c, &v)| {
            let what = if v == 1 {
                "suspended".to_string()
            } else {
                c.texts[usize::from(v)].clone()
            };
            (c.name.clone(), what)
        })
        .collect()
}
