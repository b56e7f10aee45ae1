//! Protocols: multi-party alternating offers and single-text mediation.
//!
//! **Alternating offers** (GENIUS's stacked alternating offers for many parties): parties
//! take turns in file order, one turn each per round. On its turn a party answers the offer
//! on the table: it accepts, or it puts its own position on the table as a counter-offer
//! (which clears every acceptance). The offer is agreed when every other party has
//! accepted it in a row.
//!
//! **Single-text mediation** (Raiffa's single negotiating text): the mediator's text starts
//! at the status quo. Each round the mediator's rules fire, then it folds in the changes
//! the parties asked for in the previous round (when an event moved the status quo, the
//! text follows it on the issues it moved), each only if it keeps the mediator's red
//! lines and its target; then every other party accepts or rejects, and a rejecting party
//! asks for one change. The text is agreed when everyone accepts it in the same round. The
//! mediator's rules can make it leave, which ends the talks.
//!
//! In both, each round starts with the random events, any walk-out ends the run without a
//! deal, and before an agreement is declared every party's red lines in force and floor
//! are checked once more. Then the sequencing ([`super::sequencing`]): an agreed state
//! that no precondition-respecting path reaches from the status quo in force ends the run
//! as [`End::Unimplementable`], not a deal; a recorded run also records the cheapest path
//! (or what blocks it) as a [`Step::Implementation`].

use rand_chacha::ChaCha8Rng;

use super::agent::RunState;
use super::events;
use super::seat::{Inside, SeatMove, Seats, Turn};
use super::tactic::normalised_time;
use super::trace::{End, InForce, Recorder, Step};
use super::world::{Protocol, World};
use crate::model::condition::Move;
use crate::model::simulation::Opener;
use crate::space::StateIndex;
use rand::RngExt as _;

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Why it ended.
    pub end: End,
    /// The agreed state, if any.
    pub agreed: Option<StateIndex>,
    /// Rounds played (the round of the end, plus one).
    pub rounds: u32,
    /// What was in force at the end.
    pub in_force: InForce,
    /// Whether each event fired, by event index (every event, however many).
    pub events: Vec<bool>,
}

/// Play one run.
///
/// # Arguments
/// The compiled world, the run's random stream, and a recorder for its steps.
///
/// # Returns
/// The run's [`RunResult`].
///
/// # Complexity
/// O(deadline · parties · (issues · red lines + rules)) at most.
///
/// # Example
/// ```
/// use rand::SeedableRng;
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
/// let mut trace = dealzone::sim::trace::Trace::default();
/// let r = dealzone::sim::protocol::run(&w, rng, &mut trace);
/// assert!(r.rounds >= 1 && r.rounds <= w.deadline);
/// assert!(matches!(trace.steps.last(), Some(dealzone::sim::trace::Step::End { .. })));
/// ```
pub fn run<R: Recorder>(w: &World, rng: ChaCha8Rng, rec: &mut R) -> RunResult {
    run_seated(w, rng, rec, &mut Inside)
}

/// Play one run with some parties played by `seats` ([`super::seat`]); [`run`] is this
/// with every party built in.
///
/// Under mediation an outside seat plays its part of the single text: a party answers the
/// mediator's text (`Accept`, or `Offer` a state as the change it asks for, or `Pass`); the
/// mediator seat `Offer`s the next text (the parties' latest requests are its
/// [`Turn::latest`]); see [`super::outside`].
///
/// # Arguments
/// As [`run`], and who plays each party.
///
/// # Returns
/// The run's [`RunResult`].
///
/// # Complexity
/// As [`run`], plus the seats' moves.
///
/// # Example
/// ```
/// use rand::SeedableRng;
/// use dealzone::sim::{protocol, seat::Inside, trace::NoTrace};
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let rng = || rand_chacha::ChaCha8Rng::seed_from_u64(7);
/// assert_eq!(
///     protocol::run_seated(&w, rng(), &mut NoTrace, &mut Inside),
///     protocol::run(&w, rng(), &mut NoTrace)
/// );
/// ```
pub fn run_seated<R: Recorder, S: Seats>(
    w: &World,
    rng: ChaCha8Rng,
    rec: &mut R,
    seats: &mut S,
) -> RunResult {
    let mut st = RunState::new(w, rng);
    let (mut end, mut agreed) = match w.protocol {
        Protocol::Alternating => alternating(w, &mut st, rec, seats),
        Protocol::Mediation { mediator } => mediation(w, &mut st, mediator, rec, seats),
    };
    let in_force = InForce {
        variants: st.variants.clone(),
        reservations: st.reservations.clone(),
        status_quo: st.sq,
    };
    let round = st.round;
    if let (End::Agreement, Some(o)) = (end, agreed) {
        let ok = st.implementable(o);
        rec.record(|| implementation(w, &in_force, round, o, ok));
        if !ok {
            end = End::Unimplementable(o);
            agreed = None;
        }
    }
    rec.record(|| Step::End {
        round,
        end,
        state: agreed,
        in_force: in_force.clone(),
    });
    RunResult {
        end,
        agreed,
        rounds: (st.round + 1).min(w.deadline),
        in_force,
        events: st.fired,
    }
}

/// The [`Step::Implementation`] of the agreed state `o`: the path search of
/// [`super::sequencing::path_to`].
fn implementation(w: &World, inf: &InForce, round: u32, o: StateIndex, ok: bool) -> Step {
    let (path, cost, blocked_by, note) = match super::sequencing::path_to(w, inf, o) {
        Ok(p) if p.reachable => (p.states, p.cost, Vec::new(), None),
        Ok(p) => (
            Vec::new(),
            None,
            p.least_blocking().iter().map(|b| b.to_vec()).collect(),
            None,
        ),
        Err(e) => (Vec::new(), None, Vec::new(), Some(e.to_string())),
    };
    Step::Implementation {
        round,
        state: o,
        implementable: ok,
        path,
        cost,
        blocked_by,
        note,
    }
}

/// `p` leaves the table in `round`: the run ends without a deal.
fn walk_out<R: Recorder>(
    st: &mut RunState,
    rec: &mut R,
    round: u32,
    p: usize,
) -> (End, Option<StateIndex>) {
    st.agents[p].last = Move::WalkOut;
    st.agents[p].active = false;
    rec.record(|| Step::WalkOut { round, party: p });
    (End::WalkOut(p), None)
}

/// Whether every party can accept `s` under what is in force now.
fn all_accept(w: &World, st: &RunState, s: StateIndex) -> bool {
    (0..w.parties.len()).all(|p| st.acceptable_to(w, p, s))
}

/// `p` puts `s` on the table: its last move (a concession when `s` is worse for it than
/// its previous offer and `may_concede`, else a proposal), the trace, and the others'
/// tit-for-tat memory.
fn table<R: Recorder>(
    w: &World,
    st: &mut RunState,
    p: usize,
    s: StateIndex,
    may_concede: bool,
    rec: &mut R,
) {
    let u = w.utility(p, s);
    let round = st.round;
    let a = &mut st.agents[p];
    a.last = if may_concede && u < a.last_offer_u - super::agent::TOL {
        Move::Concede
    } else {
        Move::Propose
    };
    a.last_offer_u = u;
    let target = a.target;
    rec.record(|| Step::Offer {
        round,
        party: p,
        state: s,
        target,
    });
    st.received(w, p, s);
}

/// The order of turns in each round of alternating offers ([`Opener`]): file order; the
/// named party, then the others in file order; or drawn. A drawn order comes from a stream
/// of the run's generator of its own (the run's own stream is untouched, so every other
/// draw is as with a fixed order).
fn turn_order(w: &World, st: &RunState) -> Vec<usize> {
    let n = w.parties.len();
    match w.opener {
        Opener::First => (0..n).collect(),
        Opener::Party(p) => std::iter::once(p)
            .chain((0..n).filter(|&q| q != p))
            .collect(),
        Opener::Random => {
            let mut side = st.rng.clone();
            side.set_stream(TURN_ORDER_STREAM);
            // Fisher–Yates with 64-bit draws (the same order on every platform).
            let mut order: Vec<usize> = (0..n).collect();
            for k in (1..n).rev() {
                let j = side.random_range(0..=k as u64) as usize;
                order.swap(k, j);
            }
            order
        }
    }
}

/// The ChaCha stream a drawn turn order comes from (the runs use stream 0).
const TURN_ORDER_STREAM: u64 = 0x6f70_656e_6572;

fn alternating<R: Recorder, S: Seats>(
    w: &World,
    st: &mut RunState,
    rec: &mut R,
    seats: &mut S,
) -> (End, Option<StateIndex>) {
    let n = w.parties.len();
    let mut offer: Option<(StateIndex, usize)> = None;
    // Who accepted the offer on the table, one flag per party.
    let mut accepted = vec![false; n];
    // Each party's latest offer, shown to outside seats.
    let mut latest: Vec<Option<StateIndex>> = vec![None; n];
    let order = turn_order(w, st);
    for round in 0..w.deadline {
        st.round = round;
        events::fire(w, st, rec);
        let t = normalised_time(round, w.deadline);
        for &p in &order {
            if seats.outside(p) {
                let turn = Turn {
                    round,
                    on_table: offer,
                    accepted: &accepted,
                    latest: &latest,
                };
                match seats.play(w, st, p, turn, rec) {
                    SeatMove::Offer(s) => {
                        offer = Some((s, p));
                        latest[p] = Some(s);
                        accepted.iter_mut().for_each(|a| *a = false);
                        table(w, st, p, s, w.parties[p].contrib.is_some(), rec);
                    }
                    SeatMove::Accept => {
                        // The seat checked that an offer by another party is on the table.
                        let Some((o, from)) = offer else { continue };
                        accepted[p] = true;
                        st.agents[p].last = Move::Accept;
                        rec.record(|| Step::Accept { round, party: p });
                        if (0..n).all(|q| q == from || accepted[q]) && all_accept(w, st, o) {
                            return (End::Agreement, Some(o));
                        }
                    }
                    SeatMove::Pass => {
                        accepted.iter_mut().for_each(|a| *a = false);
                        st.agents[p].last = Move::Reject;
                        rec.record(|| Step::Reject { round, party: p });
                    }
                    SeatMove::WalkOut => {
                        return walk_out(st, rec, round, p);
                    }
                }
                continue;
            }
            st.update_target(w, p, t);
            let on_table = offer.map_or(st.sq, |(s, _)| s);
            let utility_less = w.parties[p].contrib.is_none();
            let mut work = if utility_less {
                on_table
            } else {
                st.agents[p].pos
            };
            let (answer, walk) = st.fire_rules(w, p, on_table, &mut work, rec);
            st.agents[p].pos = work;
            if walk {
                return walk_out(st, rec, round, p);
            }
            if let Some((o, from)) = offer
                && from != p
            {
                let yes = match answer {
                    Some(true) => st.acceptable_to(w, p, o),
                    Some(false) => false,
                    None => st.decide(w, p, o),
                };
                if yes {
                    accepted[p] = true;
                    st.agents[p].last = Move::Accept;
                    rec.record(|| Step::Accept { round, party: p });
                    if (0..n).all(|q| q == from || accepted[q]) && all_accept(w, st, o) {
                        return (End::Agreement, Some(o));
                    }
                    continue;
                }
            }
            // Counter-offer.
            if !utility_less {
                st.adjust(w, p);
            }
            let pos = st.agents[p].pos;
            if !st.meets_red_lines(w, p, pos) || !st.offerable(w, pos) {
                // Nothing to offer that it could stand by: a veto.
                accepted.iter_mut().for_each(|a| *a = false);
                st.agents[p].last = Move::Reject;
                rec.record(|| Step::Reject { round, party: p });
                continue;
            }
            offer = Some((pos, p));
            latest[p] = Some(pos);
            accepted.iter_mut().for_each(|a| *a = false);
            table(w, st, p, pos, !utility_less, rec);
        }
    }
    st.round = w.deadline - 1;
    (End::Deadline, None)
}

fn mediation<R: Recorder, S: Seats>(
    w: &World,
    st: &mut RunState,
    m: usize,
    rec: &mut R,
    seats: &mut S,
) -> (End, Option<StateIndex>) {
    let n = w.parties.len();
    let mut text = st.sq;
    let mut requests: Vec<Option<StateIndex>> = vec![None; n];
    let mut tabled: Option<StateIndex> = None;
    // Shown to outside seats: who accepted the text this round, and each party's latest
    // request (the mediator's: its latest text).
    let mut accepted = vec![false; n];
    let mut latest: Vec<Option<StateIndex>> = vec![None; n];
    for round in 0..w.deadline {
        st.round = round;
        let sq_before = st.sq;
        events::fire(w, st, rec);
        // Facts on the ground enter the text: an issue the status quo moved on moves in the
        // text too.
        if st.sq != sq_before {
            for i in 0..w.offsets.len() {
                let l = w.level(st.sq, i);
                if l != w.level(sq_before, i) {
                    text = super::agent::set_level(w, text, i, l);
                }
            }
        }
        let t = normalised_time(round, w.deadline);
        // The mediator.
        let before = text;
        if seats.outside(m) {
            let turn = Turn {
                round,
                on_table: Some((text, m)),
                accepted: &accepted,
                latest: &latest,
            };
            match seats.play(w, st, m, turn, rec) {
                // The seat checked the text against the mediator's red lines in force.
                SeatMove::Offer(s) => text = s,
                // The text stands (the seat refuses the mediator's acceptance of its own).
                SeatMove::Accept | SeatMove::Pass => {}
                SeatMove::WalkOut => {
                    return walk_out(st, rec, round, m);
                }
            }
            // It saw the requests (its `latest`) and folded in what it chose.
            requests.fill(None);
        } else {
            st.update_target(w, m, t);
            let (_, walk) = st.fire_rules(w, m, text, &mut text, rec);
            if walk {
                return walk_out(st, rec, round, m);
            }
            if !st.meets_red_lines(w, m, text) {
                text = st.repair(w, m, text);
            }
        }
        for slot in requests.iter_mut() {
            let Some(req) = slot.take() else {
                continue;
            };
            // Apply the change the party asked for (relative to the text it saw).
            let mut next = text;
            for i in 0..w.offsets.len() {
                let l = w.level(req, i);
                if l != w.level(before, i) {
                    next = super::agent::set_level(w, next, i, l);
                }
            }
            let keeps = st.meets_red_lines(w, m, next)
                && st.offerable(w, next)
                && st.others_held(w, m, next) >= st.others_held(w, m, text)
                && (w.parties[m].contrib.is_none()
                    || w.utility(m, next)
                        >= st.agents[m].target.max(st.floor(w, m)) - super::agent::TOL
                    || w.utility(m, next) >= w.utility(m, text) - super::agent::TOL);
            if keeps {
                text = next;
            }
        }
        if tabled != Some(text) {
            table(w, st, m, text, tabled.is_some(), rec);
            tabled = Some(text);
        }
        latest[m] = Some(text);
        // The parties answer (the mediator's turn saw who accepted the last text).
        accepted.fill(false);
        let mut everyone = true;
        for (q, slot) in requests.iter_mut().enumerate() {
            if q == m {
                continue;
            }
            if seats.outside(q) {
                let turn = Turn {
                    round,
                    on_table: Some((text, m)),
                    accepted: &accepted,
                    latest: &latest,
                };
                match seats.play(w, st, q, turn, rec) {
                    SeatMove::Accept => {
                        accepted[q] = true;
                        st.agents[q].last = Move::Accept;
                        rec.record(|| Step::Accept { round, party: q });
                    }
                    // An offer under mediation is the change the party asks for.
                    SeatMove::Offer(s) => {
                        everyone = false;
                        st.agents[q].last = Move::Reject;
                        *slot = (s != text).then_some(s);
                        latest[q] = Some(s);
                        rec.record(|| Step::Reject { round, party: q });
                    }
                    SeatMove::Pass => {
                        everyone = false;
                        st.agents[q].last = Move::Reject;
                        rec.record(|| Step::Reject { round, party: q });
                    }
                    SeatMove::WalkOut => {
                        return walk_out(st, rec, round, q);
                    }
                }
                continue;
            }
            st.update_target(w, q, t);
            let mut ask = text;
            let (answer, walk) = st.fire_rules(w, q, text, &mut ask, rec);
            if walk {
                return walk_out(st, rec, round, q);
            }
            let yes = match answer {
                Some(true) => st.acceptable_to(w, q, text),
                Some(false) => false,
                None => st.decide(w, q, text),
            };
            if yes {
                accepted[q] = true;
                st.agents[q].last = Move::Accept;
                rec.record(|| Step::Accept { round, party: q });
            } else {
                everyone = false;
                st.agents[q].last = Move::Reject;
                *slot = if ask != text {
                    Some(ask)
                } else {
                    st.request(w, q, text)
                };
                // An outside mediator reads the built-in parties' requests here too.
                if slot.is_some() {
                    latest[q] = *slot;
                }
                rec.record(|| Step::Reject { round, party: q });
            }
        }
        if everyone && all_accept(w, st, text) {
            return (End::Agreement, Some(text));
        }
    }
    st.round = w.deadline - 1;
    (End::Deadline, None)
}
