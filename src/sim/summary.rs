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
use crate::Limits;
use crate::analysis::bargain::bargain_compiled;
use crate::analysis::zone::{Engine, find_zones_compiled};
use crate::model::Scenario;
use crate::model::behaviour::Action;
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
}

type Key = (Vec<u8>, Vec<u64>);

fn key(inf: &InForce) -> Key {
    (
        inf.variants.clone(),
        inf.reservations.iter().map(|r| r.to_bits()).collect(),
    )
}

/// The scenario with the red lines and reservations in force (and the status quo).
///
/// # Arguments
/// The world and what was in force.
///
/// # Returns
/// A scenario whose candidates and acceptable states are those the agents were held to.
///
/// # Complexity
/// O(size of the scenario).
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
    let mut s = w.scenario.clone();
    let mut k = 0;
    for (p, party) in s.parties.iter_mut().enumerate() {
        let rules = party.rules.clone();
        let mut kept = Vec::new();
        for mut c in std::mem::take(&mut party.red_lines) {
            let v = usize::from(inf.variants[k]);
            k += 1;
            match v {
                0 => kept.push(c),
                1 => {}
                _ => {
                    let text = &w.constraints[k - 1].texts[v];
                    let replacement = rules.iter().find_map(|r| match r.then() {
                        Action::Soften { id, to: Some(rule) }
                            if *id == c.id && rule.text().trim() == text =>
                        {
                            Some(rule.clone())
                        }
                        _ => None,
                    });
                    if let Some(rule) = replacement {
                        c.rule = rule;
                    }
                    kept.push(c);
                }
            }
        }
        party.red_lines = kept;
        k += party.preconditions.len();
        if let Some(prefs) = party.preferences.as_mut() {
            prefs.reservation = inf.reservations[p];
        }
    }
    s.status_quo = w.space.decode(inf.status_quo);
    s
}

/// Summarise a batch in run order.
///
/// # Arguments
/// The world, the runs' results in run order, the master seed, and the limits of the
/// bargaining and zone analyses.
///
/// # Returns
/// The [`Summary`].
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
) -> crate::Result<Summary> {
    let runs = results.len() as u64;
    let n = w.parties.len();
    let mut agreements = 0u64;
    let mut rounds = 0u64;
    let mut deadline_reached = 0;
    let mut walk_outs = vec![0u64; n];
    let mut by_state: BTreeMap<StateIndex, u64> = BTreeMap::new();
    let mut by_key: BTreeMap<Key, u64> = BTreeMap::new();
    let mut sum_agreed = vec![0.0; n];
    let mut sum_all = vec![0.0; n];
    let mut events = vec![0u64; w.events.len()];
    let mut softened = vec![0u64; w.constraints.len()];
    for r in results {
        rounds += u64::from(r.rounds);
        for (e, &fired) in events.iter_mut().zip(&r.events) {
            *e += u64::from(fired);
        }
        match r.end {
            End::Agreement => {}
            End::Deadline => deadline_reached += 1,
            End::WalkOut(p) => walk_outs[p] += 1,
        }
        let at = r.agreed.unwrap_or(r.in_force.status_quo);
        for (p, sum) in sum_all.iter_mut().enumerate() {
            *sum += w.utility(p, at);
        }
        if let Some(s) = r.agreed {
            agreements += 1;
            *by_state.entry(s).or_default() += 1;
            *by_key.entry(key(&r.in_force)).or_default() += 1;
            for (p, sum) in sum_agreed.iter_mut().enumerate() {
                *sum += w.utility(p, s);
            }
            for (c, &v) in softened.iter_mut().zip(&r.in_force.variants) {
                *c += u64::from(v != 0);
            }
        }
    }
    let mut outcomes: Vec<OutcomeCount> = by_state
        .into_iter()
        .map(|(state, count)| OutcomeCount { state, count })
        .collect();
    outcomes.sort_by(|a, b| b.count.cmp(&a.count).then(a.state.cmp(&b.state)));

    // Deal spaces in force, most frequent first.
    let mut keys: Vec<(Key, u64)> = by_key.into_iter().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    keys.truncate(MAX_CONFIGURATIONS);
    let mut analysed = BTreeMap::new();
    let mut notes = Vec::new();
    for (k, count) in &keys {
        let inf = InForce {
            variants: k.0.clone(),
            reservations: k.1.iter().map(|b| f64::from_bits(*b)).collect(),
            status_quo: w.status_quo,
        };
        let scenario = scenario_in_force(w, &inf);
        let analysis = CompiledScenario::new(&scenario, limits).and_then(|c| {
            let bargain = bargain_compiled(&c, limits)?;
            let zones = find_zones_compiled(&c, Engine::Auto, limits)?;
            Ok((c, bargain, zones))
        });
        match analysis {
            Ok((c, bargain, zones)) => {
                analysed.insert(k.clone(), (c, bargain, zones, inf));
            }
            // The runs stand on their own: report them without this deal space's distances.
            Err(e) => notes.push(format!(
                "{count} agreement(s) under {} not analysed: {e}",
                describe_in_force(w, &inf)
            )),
        }
    }
    let (mut d_front, mut n_front, mut d_nash, mut n_nash, mut unanalysed) =
        (0.0, 0u64, 0.0, 0u64, 0);
    let mut reach: BTreeMap<(Key, usize), u64> = BTreeMap::new();
    for r in results {
        let Some(s) = r.agreed else { continue };
        let k = key(&r.in_force);
        let Some((c, bargain, zones, _)) = analysed.get(&k) else {
            unanalysed += 1;
            continue;
        };
        let d = bargain.distances(c, s);
        if let Some(x) = d.frontier {
            d_front += x;
            n_front += 1;
        }
        if let Some(x) = d.nash {
            d_nash += x;
            n_nash += 1;
        }
        if let Some(z) = zones.zones.iter().position(|z| z.contains(s)) {
            *reach.entry((k, z)).or_default() += 1;
        }
    }
    let mut zones: Vec<ZoneReach> = reach
        .into_iter()
        .map(|((k, z), count)| {
            let (_, _, found, inf) = &analysed[&k];
            ZoneReach {
                changed: describe_changes(w, &inf.variants),
                reservations: w
                    .parties
                    .iter()
                    .zip(&inf.reservations)
                    .filter(|(p, r)| p.contrib.is_some() && r.to_bits() != p.reservation.to_bits())
                    .map(|(p, r)| (p.name.clone(), *r))
                    .collect(),
                zone: z,
                size: found.zones[z].size(),
                count,
            }
        })
        .collect();
    zones.sort_by_key(|z| std::cmp::Reverse(z.count));
    let mean = |s: f64, k: u64| (k > 0).then(|| s / k as f64);
    Ok(Summary {
        runs,
        seed,
        protocol: w.protocol,
        deadline: w.deadline,
        agreements,
        agreement_rate: agreements as f64 / runs.max(1) as f64,
        outcomes,
        mean_rounds: rounds as f64 / runs.max(1) as f64,
        deadline_reached,
        walk_outs,
        utility: w
            .parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contrib.is_some())
            .map(|(p, pm)| PartyOutcome {
                party: pm.name.clone(),
                mean_agreed: mean(sum_agreed[p], agreements),
                mean_all: sum_all[p] / runs.max(1) as f64,
            })
            .collect(),
        distance_frontier: mean(d_front, n_front),
        distance_nash: mean(d_nash, n_nash),
        zones,
        unanalysed,
        notes,
        events,
        softened,
    })
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
