//! Tournaments: every line-up of tactics on every scenario, repeated, each match seeded
//! from the master seed and its place, scored by the field's standard measures.
//!
//! A *line-up* gives each negotiating party (a party with a utility, in file order) one of
//! the spec's tactics: every assignment is played (`tactics^parties` line-ups per
//! scenario, so each tactic meets each other in every role), `repetitions` times. Matches
//! are numbered scenario by scenario, line-up by line-up (the first party's tactic varying
//! slowest), repetition by repetition; match `m`'s seed depends only on the master seed and
//! its coordinates, so any thread count, and a run resumed after a crash, give the same rows
//! ([`play`] starts at any match).
//!
//! A match ends in an agreement, without one (the deadline, or a walk-out), or *fails*: not
//! over within `max_rounds` (deterministic), or longer than `match_time_limit` in wall
//! time (which depends on the machine: the row says so and the scores count it as a failure).
//! Without an agreement each party gets its reservation in force (the ANAC convention).
//!
//! **Outside agents.** An entrant of kind `outside` is played by an external program
//! ([`super::outside`]) that only the caller can seat ([`Seating`], [`play_seated`]); a
//! spec cannot name a program. Each seat of such an entrant in a line-up starts its own
//! copy of the program for each match. Those matches are played one at a time (a program
//! may be a slow or rate-limited service) and their rows handed on one by one; their
//! coordinates and seeds are as for any match (so a table with them resumes), but their
//! outcomes are **not** reproducible from the seed: the program answers as it likes. An
//! agent that stays silent past the per-line timeout or exits forfeits the match (the row
//! says `walk_out:PARTY`); the match's wall-time budget `match_time_limit` also bounds the
//! waits, and a match that exceeds it is a `failed:match_time_limit` row.
//!
//! # Example
//! ```
//! use dealzone::sim::tournament::{play, scores};
//! let spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
//! let mut small = spec.clone();
//! small.scenarios.truncate(1);
//! small.repetitions = 2;
//! let mut rows = Vec::new();
//! let played = play(&small, &Default::default(), 0, &mut |block| {
//!     rows.extend_from_slice(block);
//!     Ok(())
//! })?;
//! assert!(played.complete);
//! assert_eq!(rows.len() as u64, dealzone::sim::tournament::match_count(&small));
//! let s = scores(&small, &rows);
//! assert_eq!(s.by_tactic.len(), small.tactics.len());
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::monte_carlo::run_seed;
use super::outside::{AgentProgram, Exchange, RefereeConfig, play_seeded};
use super::protocol::{RunResult, run};
use super::trace::{End, NoTrace};
use super::world::{Overrides, World};
use crate::analysis::bargain::{Bargain, bargain_compiled};
use crate::config::Limits;
use crate::error::sim::SimError;
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::model::tournament::TournamentSpec;
use crate::space::CompiledScenario;

/// The negotiating parties of a scenario (those with a utility), by position, file order.
pub fn players(s: &Scenario) -> Vec<usize> {
    (0..s.parties().len())
        .filter(|&p| s.parties()[p].preferences().is_some())
        .collect()
}

/// Line-ups of one scenario: `tactics^players`, saturating.
pub(super) fn lineups(spec: &TournamentSpec, s: &Scenario) -> u64 {
    let t = spec.tactics.len() as u64;
    (0..players(s).len()).fold(1u64, |n, _| n.saturating_mul(t))
}

/// Matches in the whole tournament (saturating).
///
/// # Complexity
/// O(scenarios · parties).
pub fn match_count(spec: &TournamentSpec) -> u64 {
    spec.scenarios
        .iter()
        .map(|e| lineups(spec, &e.scenario).saturating_mul(spec.repetitions))
        .fold(0u64, u64::saturating_add)
}

/// The tactic (index into the spec's list) of each player in line-up `k`: base-`t` digits,
/// the first player's the most significant.
fn lineup(k: u64, t: usize, n: usize) -> Vec<usize> {
    let mut out = vec![0; n];
    let mut k = k;
    for slot in out.iter_mut().rev() {
        *slot = (k % t as u64) as usize;
        k /= t as u64;
    }
    out
}

/// One match's row: what the results table holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Match number (from 0).
    #[serde(rename = "match")]
    pub number: u64,
    /// The scenario's label.
    pub scenario: String,
    /// The negotiating parties, `;`-separated.
    pub players: String,
    /// Each player's tactic, `;`-separated in the players' order.
    pub tactics: String,
    /// Repetition of this line-up (from 0).
    pub repetition: u64,
    /// The match's seed.
    pub seed: u64,
    /// `agreement`, `no_agreement`, `walk_out:PARTY`, or `failed:LIMIT`.
    pub status: String,
    /// Rounds played.
    pub rounds: u32,
    /// The agreed state (`issue=level;…`), empty without one.
    pub agreement: String,
    /// Each player's utility (its reservation in force without an agreement),
    /// `;`-separated.
    pub utilities: String,
    /// Sum of the players' utilities.
    pub welfare: f64,
    /// Distance of an agreement to the Pareto frontier (empty without one).
    pub pareto_distance: Option<f64>,
    /// Distance of an agreement to the Nash point (empty without one, or no Nash point).
    pub nash_distance: Option<f64>,
}

impl Row {
    /// Whether the match ended in an agreement.
    pub fn agreed(&self) -> bool {
        self.status == "agreement"
    }

    /// Whether a budget ended the match.
    pub fn failed(&self) -> bool {
        self.status.starts_with("failed:")
    }

    fn utilities(&self) -> Vec<f64> {
        self.utilities
            .split(';')
            .filter_map(|u| u.parse().ok())
            .collect()
    }
}

/// How far [`play`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Played {
    /// Matches in the table now (those skipped as already played included).
    pub matches: u64,
    /// Matches in the whole tournament.
    pub requested: u64,
    /// Whether every match is in the table (false: `limits.time_limit` stopped it).
    pub complete: bool,
}

/// Play the tournament from match `from` on, handing each line-up's rows to `sink` in match
/// order (append them to the results table as they come: a crash then loses at most one
/// line-up, and [`play`] resumes from the number of rows kept).
///
/// # Arguments
/// The spec; `limits` (`max_states` for each scenario, `time_limit` for the whole
/// tournament, checked between line-ups); the first match to play; the sink.
///
/// # Returns
/// [`Played`]: `complete: false` when the time limit stopped it, the rows so far handed on.
///
/// # Errors
/// A scenario that cannot be compiled or bargained over within `limits`; the sink's error.
///
/// # Complexity
/// O(matches · one run), spread over the rayon pool; one bargaining analysis per scenario.
///
/// # Example
/// See the [module](self).
pub fn play(
    spec: &TournamentSpec,
    limits: &Limits,
    from: u64,
    sink: &mut dyn FnMut(&[Row]) -> Result<()>,
) -> Result<Played> {
    play_seated(
        spec,
        &Seating::default(),
        limits,
        from,
        sink,
        &mut |_, _| Ok(()),
    )
}

/// The programs that play a tournament's outside entrants, and how the referee treats
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seating {
    /// One program per outside entrant: [`AgentProgram::party`] holds the entrant's name
    /// in the spec (`NAME=PROGRAM`).
    pub programs: Vec<AgentProgram>,
    /// Per-line timeout, retries and line length; its
    /// [`run_time_limit`](RefereeConfig::run_time_limit) is set from the spec's
    /// `match_time_limit` for each match.
    pub referee: RefereeConfig,
}

/// Match every outside entrant of `spec` with its program.
///
/// # Arguments
/// The spec and the programs seated.
///
/// # Returns
/// For each entrant of [`TournamentSpec::tactics`], the program playing it (`None`: a
/// built-in tactic).
///
/// # Errors
/// [`SimError::UnseatedAgent`] for an outside entrant without a program,
/// [`SimError::UnknownEntrant`] for a program under a name that is no outside entrant
/// (both with a did-you-mean), [`SimError::OutsideAgent`] for a name seated twice.
///
/// # Complexity
/// O(entrants · programs + scenarios · parties).
///
/// # Example
/// ```
/// use dealzone::sim::outside::AgentProgram;
/// use dealzone::sim::tournament::seat;
/// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// spec.tactics.push(("llm".into(), Default::default()));
/// spec.outside.push("llm".into());
/// let llm = AgentProgram::parse("llm=python3 agent.py")?;
/// assert!(seat(&spec, &[]).is_err()); // `llm` has no program
/// let programs = [llm];
/// let seats = seat(&spec, &programs)?;
/// assert_eq!(seats.iter().filter(|s| s.is_some()).count(), 1);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn seat<'a>(
    spec: &TournamentSpec,
    programs: &'a [AgentProgram],
) -> std::result::Result<Vec<Option<&'a [String]>>, SimError> {
    let strays: Vec<&str> = programs
        .iter()
        .map(|a| a.party.as_str())
        .filter(|n| !spec.outside.iter().any(|o| o == n))
        .collect();
    for (k, a) in programs.iter().enumerate() {
        if programs[..k].iter().any(|b| b.party == a.party) {
            return Err(SimError::OutsideAgent {
                party: a.party.clone(),
                message: "the name is seated twice".into(),
            });
        }
    }
    for name in &spec.outside {
        if !programs.iter().any(|a| &a.party == name) {
            return Err(SimError::UnseatedAgent {
                name: name.clone(),
                hint: hint(name, strays.iter().copied()),
            });
        }
    }
    if let Some(name) = strays.first() {
        let known = if spec.tactics.iter().any(|(t, _)| t == name) {
            format!("`{name}` is a built-in tactic of the spec")
        } else if spec.outside.is_empty() {
            "the spec has no entrant of kind `outside`".to_string()
        } else {
            format!("its outside agents are: {}", spec.outside.join(", "))
        };
        return Err(SimError::UnknownEntrant {
            name: name.to_string(),
            hint: hint(name, spec.outside.iter().map(String::as_str)),
            known,
        });
    }
    Ok(spec
        .tactics
        .iter()
        .map(|(name, _)| {
            programs
                .iter()
                .find(|a| spec.outside.contains(name) && &a.party == name)
                .map(|a| a.argv.as_slice())
        })
        .collect())
}

/// The spec's overrides of every scenario's settings (its `protocol` and `opener`).
pub(super) fn overrides(spec: &TournamentSpec) -> Overrides {
    Overrides {
        protocol: spec.protocol,
        opener: spec.opener,
        ..Overrides::default()
    }
}

/// `: did you mean …?` for `name` among `candidates`, or empty.
fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    crate::suggest::did_you_mean(name, candidates).map_or_else(String::new, |h| format!(": {h}"))
}

/// [`play`] with outside entrants played by the programs of `seating`.
///
/// # Arguments
/// As [`play`], with the programs and the referee's settings, and `log`, told of every
/// line exchanged with the agents of each match (its number, then the lines) once the
/// match is over.
///
/// # Returns
/// As [`play`]. Rows of matches with outside agents are not reproducible from the seed.
///
/// # Errors
/// As [`play`]; as [`seat`] before any match is played; a program that cannot be started
/// ([`SimError::AgentStart`], the rows so far handed on); `log`'s error.
///
/// # Complexity
/// As [`play`]; a match with an outside agent waits for it, at most `match_time_limit`
/// when the spec sets one, else at most the per-line timeout per line.
///
/// # Example
/// ```no_run
/// use dealzone::sim::outside::AgentProgram;
/// use dealzone::sim::tournament::{Seating, play_seated};
/// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// spec.protocol = Some(dealzone::model::simulation::ProtocolKind::Alternating);
/// spec.tactics.push(("concede".into(), Default::default()));
/// spec.outside.push("concede".into());
/// let seating = Seating {
///     programs: vec![AgentProgram::parse("concede=python3 examples/agents/concede.py")?],
///     ..Default::default()
/// };
/// let mut rows = Vec::new();
/// play_seated(&spec, &seating, &Default::default(), 0, &mut |b| {
///     rows.extend_from_slice(b);
///     Ok(())
/// }, &mut |_, _| Ok(()))?;
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn play_seated(
    spec: &TournamentSpec,
    seating: &Seating,
    limits: &Limits,
    from: u64,
    sink: &mut dyn FnMut(&[Row]) -> Result<()>,
    log: &mut dyn FnMut(u64, &[Exchange]) -> Result<()>,
) -> Result<Played> {
    play_range(spec, seating, limits, from..match_count(spec), sink, log)
}

/// [`play_seated`] over the matches `range` only (a shard: [`super::tournament_shard`]):
/// each match the same row as in the whole tournament.
///
/// # Arguments
/// As [`play_seated`], with the matches to play, `range.start` the first (a resumed
/// shard starts past its own first match) and `range.end` the end (exclusive, at most
/// [`match_count`]).
///
/// # Returns
/// As [`play`], counting from match 0: [`Played::matches`] is the end of the rows handed
/// on so far (`range.end` when complete), [`Played::requested`] is `range.end`.
///
/// # Errors
/// As [`play_seated`].
///
/// # Complexity
/// As [`play`], over the matches of `range`.
///
/// # Example
/// ```
/// use dealzone::sim::tournament::{Seating, play, play_range};
/// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// spec.scenarios.truncate(1);
/// spec.repetitions = 2;
/// let (mut all, mut some) = (Vec::new(), Vec::new());
/// play(&spec, &Default::default(), 0, &mut |b| Ok(all.extend_from_slice(b)))?;
/// let s = &Seating::default();
/// play_range(&spec, s, &Default::default(), 7..19, &mut |b| Ok(some.extend_from_slice(b)), &mut |_, _| Ok(()))?;
/// assert_eq!(some, all[7..19]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn play_range(
    spec: &TournamentSpec,
    seating: &Seating,
    limits: &Limits,
    range: std::ops::Range<u64>,
    sink: &mut dyn FnMut(&[Row]) -> Result<()>,
    log: &mut dyn FnMut(u64, &[Exchange]) -> Result<()>,
) -> Result<Played> {
    let from = range.start;
    let programs = seat(spec, &seating.programs)?;
    let referee = RefereeConfig {
        run_time_limit: spec.match_time_limit,
        ..seating.referee
    };
    let started = Instant::now();
    let requested = range.end.min(match_count(spec));
    let reps = spec.repetitions;
    let mut m0 = 0u64;
    for (i, entry) in spec.scenarios.iter().enumerate() {
        if m0 >= requested {
            break;
        }
        let here = lineups(spec, &entry.scenario).saturating_mul(reps);
        if m0 + here <= from {
            m0 += here;
            continue;
        }
        // The scenario's set-up shares the tournament's clock: out of time there is the
        // same stop as between line-ups, with what was played.
        let left = Limits {
            time_limit: limits
                .time_limit
                .map(|t| t.saturating_sub(started.elapsed())),
            ..limits.clone()
        };
        let setup = World::new(&entry.scenario, overrides(spec), &left).and_then(|w| {
            let c = CompiledScenario::new(&entry.scenario, &left)?;
            Ok((w, bargain_compiled(&c, &left)?))
        });
        let (base, bargain) = match setup {
            Err(Error::LimitExceeded {
                limit: crate::config::Limit::TimeLimit,
                ..
            }) => {
                return Ok(Played {
                    matches: m0.max(from),
                    requested,
                    complete: false,
                });
            }
            r => r?,
        };
        let who = players(&entry.scenario);
        let names: Vec<&str> = who.iter().map(|&p| base.parties[p].name.as_str()).collect();
        for k in 0..lineups(spec, &entry.scenario) {
            let first = m0 + k * reps;
            if first >= requested {
                break;
            }
            if first + reps <= from {
                continue;
            }
            // Repetitions of this line-up within the range.
            let last = reps.min(requested - first);
            if limits.time_limit.is_some_and(|t| started.elapsed() > t) {
                return Ok(Played {
                    matches: first.max(from),
                    requested,
                    complete: false,
                });
            }
            let line = lineup(k, spec.tactics.len(), who.len());
            let mut w = base.clone();
            for (slot, &p) in who.iter().enumerate() {
                w.parties[p].tactic = spec.tactics[line[slot]].1;
            }
            let tactics: Vec<&str> = line.iter().map(|&t| spec.tactics[t].0.as_str()).collect();
            let coords = Coords {
                scenario: &entry.label,
                players: names.join(";"),
                tactics: tactics.join(";"),
            };
            let seed_of = |r: u64| run_seed(run_seed(run_seed(spec.seed, i as u64), k), r);
            let seated: Vec<(usize, &[String])> = line
                .iter()
                .enumerate()
                .filter_map(|(slot, &t)| programs[t].map(|argv| (who[slot], argv)))
                .collect();
            if seated.is_empty() {
                let rows: Vec<Row> = (first.max(from) - first..last)
                    .into_par_iter()
                    .map(|r| {
                        let t0 = Instant::now();
                        let result = run(&w, ChaCha8Rng::seed_from_u64(seed_of(r)), &mut NoTrace);
                        let at = (first + r, r, seed_of(r));
                        row(spec, &w, &who, &bargain, &coords, at, &result, t0)
                    })
                    .collect();
                sink(&rows)?;
            } else {
                let agents: Vec<AgentProgram> = seated
                    .iter()
                    .map(|&(p, argv)| AgentProgram {
                        party: w.parties[p].name.clone(),
                        argv: argv.to_vec(),
                    })
                    .collect();
                for r in first.max(from) - first..last {
                    if r > first.max(from) - first
                        && limits.time_limit.is_some_and(|t| started.elapsed() > t)
                    {
                        return Ok(Played {
                            matches: first + r,
                            requested,
                            complete: false,
                        });
                    }
                    let t0 = Instant::now();
                    let out = play_seeded(&w, seed_of(r), &agents, &referee)?;
                    log(first + r, &out.log)?;
                    let at = (first + r, r, seed_of(r));
                    sink(&[row(spec, &w, &who, &bargain, &coords, at, &out.result, t0)])?;
                }
            }
        }
        m0 += here;
    }
    Ok(Played {
        matches: requested,
        requested,
        complete: true,
    })
}

struct Coords<'a> {
    scenario: &'a str,
    players: String,
    tactics: String,
}

/// The row of a match played from `t0`: `(number, repetition, seed)` and its result.
#[allow(clippy::too_many_arguments)]
fn row(
    spec: &TournamentSpec,
    w: &World,
    who: &[usize],
    bargain: &Bargain,
    at: &Coords<'_>,
    (number, repetition, seed): (u64, u64, u64),
    r: &RunResult,
    t0: Instant,
) -> Row {
    let slow = spec.match_time_limit.is_some_and(|t| t0.elapsed() > t);
    let status = if spec.max_rounds.is_some_and(|m| r.rounds > m) {
        "failed:max_rounds".to_string()
    } else if slow {
        "failed:match_time_limit".to_string()
    } else {
        match (r.end, r.agreed) {
            (End::Agreement, Some(_)) => "agreement".to_string(),
            (End::WalkOut(p), _) => format!("walk_out:{}", w.parties[p].name),
            (End::Unimplementable(_), _) => "unimplementable".to_string(),
            _ => "no_agreement".to_string(),
        }
    };
    let agreed = r.agreed.filter(|_| status == "agreement");
    let utilities: Vec<f64> = who
        .iter()
        .map(|&p| match agreed {
            Some(s) => w.utility(p, s),
            None => r.in_force.reservations[p],
        })
        .collect();
    let join = |v: &[f64]| {
        v.iter()
            .map(|u| u.to_string())
            .collect::<Vec<_>>()
            .join(";")
    };
    Row {
        number,
        scenario: at.scenario.to_string(),
        players: at.players.clone(),
        tactics: at.tactics.clone(),
        repetition,
        seed,
        status,
        rounds: r.rounds,
        agreement: agreed.map_or_else(String::new, |s| {
            w.state_names(s)
                .iter()
                .map(|(i, l)| format!("{i}={l}"))
                .collect::<Vec<_>>()
                .join(";")
        }),
        welfare: utilities.iter().sum(),
        pareto_distance: agreed.and_then(|_| bargain.distance_to_frontier(&utilities)),
        nash_distance: agreed.and_then(|_| bargain.distance_to_nash(&utilities)),
        utilities: join(&utilities),
    }
}

/// A mean and its spread (population standard deviation); `None` over nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// The mean.
    pub mean: f64,
    /// The population standard deviation.
    pub sd: f64,
    /// How many values.
    pub n: u64,
}

fn spread(values: impl Iterator<Item = f64>) -> Option<Spread> {
    // Two passes over a collected list, in row order: the same bytes on every machine.
    let v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    Some(Spread {
        mean,
        sd: var.sqrt(),
        n: v.len() as u64,
    })
}

/// The standard scores of one tactic or one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The tactic's or scenario's name.
    pub name: String,
    /// Matches counted (for a tactic: the seats it held, one per player it played).
    pub matches: u64,
    /// Matches that ended in an agreement.
    pub agreements: u64,
    /// Matches a budget ended.
    pub failures: u64,
    /// `agreements / (matches − failures)`; `None` when every match failed.
    pub agreement_rate: Option<f64>,
    /// Utility of the seat (tactics only; failures left out).
    pub utility: Option<Spread>,
    /// Welfare of the match (failures left out).
    pub welfare: Option<Spread>,
    /// Distance of the agreements to the Pareto frontier.
    pub pareto_distance: Option<Spread>,
    /// Distance of the agreements to the Nash point.
    pub nash_distance: Option<Spread>,
}

/// Scores per tactic and per scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// One per tactic, in the spec's order.
    pub by_tactic: Vec<Score>,
    /// One per scenario, in the spec's order.
    pub by_scenario: Vec<Score>,
}

fn score(name: &str, seats: &[(&Row, Option<f64>)]) -> Score {
    let counted = || seats.iter().filter(|(r, _)| !r.failed());
    let agreed = || counted().filter(|(r, _)| r.agreed());
    let failures = seats.iter().filter(|(r, _)| r.failed()).count() as u64;
    let played = seats.len() as u64 - failures;
    let agreements = agreed().count() as u64;
    Score {
        name: name.to_string(),
        matches: seats.len() as u64,
        agreements,
        failures,
        agreement_rate: (played > 0).then(|| agreements as f64 / played as f64),
        utility: spread(counted().filter_map(|(_, u)| *u)),
        welfare: spread(counted().map(|(r, _)| r.welfare)),
        pareto_distance: spread(agreed().filter_map(|(r, _)| r.pareto_distance)),
        nash_distance: spread(agreed().filter_map(|(r, _)| r.nash_distance)),
    }
}

/// The standard scores of a results table (rows in match order).
///
/// # Complexity
/// O(rows · (players + tactics)).
///
/// # Example
/// See the [module](self).
pub fn scores(spec: &TournamentSpec, rows: &[Row]) -> Scores {
    let by_tactic = spec
        .tactics
        .iter()
        .map(|(name, _)| {
            let seats: Vec<(&Row, Option<f64>)> = rows
                .iter()
                .flat_map(|r| {
                    let u = r.utilities();
                    r.tactics
                        .split(';')
                        .enumerate()
                        .filter(|(_, t)| t == name)
                        .map(|(k, _)| (r, u.get(k).copied()))
                        .collect::<Vec<_>>()
                })
                .collect();
            score(name, &seats)
        })
        .collect();
    let by_scenario = spec
        .scenarios
        .iter()
        .map(|e| {
            let seats: Vec<(&Row, Option<f64>)> = rows
                .iter()
                .filter(|r| r.scenario == e.label)
                .map(|r| (r, None))
                .collect();
            score(&e.label, &seats)
        })
        .collect();
    Scores {
        by_tactic,
        by_scenario,
    }
}

/// Check that `rows` are the first matches of `spec` (a results table resumed must be
/// this tournament's): the same numbers, scenarios, line-ups, repetitions and seeds.
///
/// # Errors
/// [`Error::Tournament`] naming the first row that differs.
///
/// # Complexity
/// O(rows · players).
pub fn check_prefix(spec: &TournamentSpec, rows: &[Row]) -> Result<()> {
    check_from(spec, 0, rows)
}

/// Check that `rows` are matches `from, from + 1, …` of `spec` (a shard's table: see
/// [`check_prefix`]).
///
/// # Errors
/// [`Error::Tournament`] naming the first row that differs, or rows past the last match.
///
/// # Complexity
/// O(matches up to the last row · players).
pub fn check_from(spec: &TournamentSpec, from: u64, rows: &[Row]) -> Result<()> {
    let reps = spec.repetitions;
    let mut m0 = 0u64;
    let mut next = rows.iter();
    'all: for (i, e) in spec.scenarios.iter().enumerate() {
        let who = players(&e.scenario);
        for k in 0..lineups(spec, &e.scenario) {
            let first = m0 + k * reps;
            if first + reps <= from {
                continue;
            }
            let line = lineup(k, spec.tactics.len(), who.len());
            let tactics: Vec<&str> = line.iter().map(|&t| spec.tactics[t].0.as_str()).collect();
            let tactics = tactics.join(";");
            for r in from.saturating_sub(first)..reps {
                let Some(row) = next.next() else {
                    break 'all;
                };
                let number = m0 + k * reps + r;
                let seed = run_seed(run_seed(run_seed(spec.seed, i as u64), k), r);
                if row.number != number
                    || row.scenario != e.label
                    || row.tactics != tactics
                    || row.repetition != r
                    || row.seed != seed
                {
                    return Err(Error::Tournament {
                        message: format!(
                            "row {} of the results is not match {number} of this tournament \
                             ({}, {tactics}, repetition {r}): the table belongs to another spec",
                            row.number, e.label
                        ),
                    });
                }
            }
        }
        m0 += lineups(spec, &e.scenario) * reps;
    }
    if next.next().is_some() {
        return Err(Error::Tournament {
            message: "the results hold more rows than the tournament has matches".into(),
        });
    }
    Ok(())
}

/// The results table as CSV: a header, then one line per match in match order. Values
/// are written by `csv` (quoted where needed); floats in Rust's shortest round-trip form, so
/// a table read back gives the same scores.
pub mod table {
    use super::Row;
    use crate::error::{Error, Result};

    fn err(e: impl std::fmt::Display) -> Error {
        Error::Tournament {
            message: format!("results table: {e}"),
        }
    }

    /// Write `rows` (with the header first when `header`) to `out`.
    ///
    /// # Errors
    /// The writer's error.
    pub fn write(out: impl std::io::Write, rows: &[Row], header: bool) -> Result<()> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(header)
            .from_writer(out);
        for r in rows {
            w.serialize(r).map_err(err)?;
        }
        w.flush().map_err(err)
    }

    /// Read a table, dropping an unfinished last line (a run killed mid-write).
    ///
    /// # Returns
    /// The rows, and the bytes of `text` they fill (truncate the file to this before
    /// appending).
    ///
    /// # Errors
    /// A malformed complete line, with its line number.
    ///
    /// # Example
    /// ```
    /// use dealzone::sim::tournament::table;
    /// let (rows, kept) = table::read("").unwrap();
    /// assert!(rows.is_empty() && kept == 0);
    /// ```
    pub fn read(text: &str) -> Result<(Vec<Row>, usize)> {
        let kept = text.rfind('\n').map_or(0, |k| k + 1);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&text.as_bytes()[..kept]);
        let mut rows = Vec::new();
        for (k, row) in r.deserialize::<Row>().enumerate() {
            rows.push(row.map_err(|e| err(format!("line {}: {e}", k + 2)))?);
        }
        Ok((rows, kept))
    }
}
