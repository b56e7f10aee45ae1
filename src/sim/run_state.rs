//! The mutable state of one run: each agent's position, target and memory, the
//! constraints and status quo in force, and the questions every player asks of it (red
//! lines, floor, implementability). How agents move is in [`super::agent`] and
//! [`super::baseline`], above this file.

use rand_chacha::ChaCha8Rng;

use super::frequency::FrequencyModel;
use super::reach::Reachable;
use super::world::World;
use crate::model::condition::Move;
use crate::space::StateIndex;

/// Tolerance of utility comparisons (as the contract's reservation tolerance).
pub const TOL: f64 = crate::config::TOLERANCE;

/// One agent's state during a run.
#[derive(Debug, Clone)]
pub struct Agent {
    /// Its current position (the offer it would make).
    pub pos: StateIndex,
    /// Its target utility.
    pub target: f64,
    /// Its last move.
    pub last: Move,
    /// Its utility of its previous offer (to tell a concession from a proposal).
    pub last_offer_u: f64,
    /// What it heard from each party, by party position (tit-for-tat memory).
    pub heard: Vec<Heard>,
    /// Still at the table.
    pub active: bool,
    /// MiCRO: the distinct offers received from each sender, sorted (empty otherwise).
    pub distinct: Vec<Vec<StateIndex>>,
    /// MiCRO: its own distinct offers, in the order made.
    pub made: Vec<StateIndex>,
    /// MiCRO: where its search for a new offer resumes in its ranked list.
    pub next: usize,
    /// HardHeaded: a frequency model of each sender (empty until the first offer).
    pub models: Vec<FrequencyModel>,
}

/// The last two offers one agent received from one sender, in its own utility.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Heard {
    /// Its utilities of the sender's last two offers: `[previous, latest]`.
    pub offers: [f64; 2],
    /// How many offers it received from the sender.
    pub n: u32,
    /// Whether the sender offered since the agent's target last moved.
    pub fresh: bool,
}

/// The mutable state of one run.
#[derive(Debug, Clone)]
pub struct RunState {
    /// Variant of every constraint.
    pub variants: Vec<u8>,
    /// Reservation of every party.
    pub reservations: Vec<f64>,
    /// The status quo in force.
    pub sq: StateIndex,
    /// Each party's utility of the status quo.
    pub sq_u: Vec<f64>,
    /// Agents, by party.
    pub agents: Vec<Agent>,
    /// Events that already fired.
    pub fired: Vec<bool>,
    /// The run's random stream.
    pub rng: ChaCha8Rng,
    /// The current round.
    pub round: u32,
    /// Scratch space for a state's levels (allocated once per run).
    pub scratch: Vec<usize>,
    /// Scratch space for the allowed moves of one choice (allocated once per run).
    pub moves: Vec<(StateIndex, f64)>,
    /// The implementable states under the preconditions and status quo in force.
    pub reach: std::sync::Arc<Reachable>,
}

impl RunState {
    /// A fresh run: everything as written, every agent at its ideal state.
    pub fn new(w: &World, rng: ChaCha8Rng) -> RunState {
        let n = w.parties.len();
        let variants = vec![0; w.constraints.len()];
        RunState {
            reach: w.sequencing.reachable(w, &variants, w.status_quo),
            variants,
            reservations: w.parties.iter().map(|p| p.reservation).collect(),
            sq: w.status_quo,
            sq_u: (0..n).map(|p| w.utility(p, w.status_quo)).collect(),
            agents: w
                .parties
                .iter()
                .map(|p| Agent {
                    pos: p.ideal,
                    target: p.pmax,
                    last: Move::None,
                    last_offer_u: p.pmax,
                    heard: vec![Heard::default(); n],
                    active: true,
                    distinct: if p.tactic.kind == crate::model::simulation::TacticKind::Micro {
                        vec![Vec::new(); n]
                    } else {
                        Vec::new()
                    },
                    made: Vec::new(),
                    next: 0,
                    models: Vec::new(),
                })
                .collect(),
            fired: vec![false; w.events.len()],
            rng,
            round: 0,
            scratch: Vec::with_capacity(w.offsets.len()),
            moves: Vec::with_capacity(2 * w.offsets.len()),
        }
    }

    /// Look the implementable states up again after the status quo or a precondition
    /// changed.
    pub fn refresh_sequencing(&mut self, w: &World) {
        self.reach = w.sequencing.reachable(w, &self.variants, self.sq);
    }

    /// Whether `s` can be implemented from the status quo in force.
    #[inline]
    pub fn implementable(&self, s: StateIndex) -> bool {
        self.reach.contains(s)
    }

    /// Whether agents may offer or accept `s`: implementable, or bad-faith offers allowed.
    #[inline]
    pub fn offerable(&self, w: &World, s: StateIndex) -> bool {
        w.sequencing.bad_faith || self.reach.contains(s)
    }

    /// Party `p`'s floor: its reservation in force (0 without a utility).
    #[inline]
    pub fn floor(&self, w: &World, p: usize) -> f64 {
        if w.parties[p].contrib.is_none() {
            return 0.0;
        }
        self.reservations[p]
    }

    /// Whether `s` meets every red line of `p` in force.
    #[inline]
    pub fn meets_red_lines(&self, w: &World, p: usize, s: StateIndex) -> bool {
        w.parties[p]
            .red_lines
            .iter()
            .all(|&c| w.holds(c, self.variants[c], s))
    }

    /// Issues read by `p`'s red lines in force, as a bit mask.
    pub fn red_mask(&self, w: &World, p: usize) -> u64 {
        w.parties[p].red_lines.iter().fold(0, |m, &c| {
            m | w.constraints[c].masks[usize::from(self.variants[c])]
        })
    }

    /// Whether `p` could accept `s` at all: its red lines in force, its floor, and (unless
    /// bad-faith offers are allowed) implementable.
    #[inline]
    pub fn acceptable_to(&self, w: &World, p: usize, s: StateIndex) -> bool {
        self.meets_red_lines(w, p, s)
            && (w.parties[p].contrib.is_none() || w.utility(p, s) >= self.floor(w, p) - TOL)
            && self.offerable(w, s)
    }

    /// Whether `p`'s tactic accepts `s`: acceptable and at or above its target.
    #[inline]
    pub fn wants(&self, w: &World, p: usize, s: StateIndex) -> bool {
        self.acceptable_to(w, p, s)
            && (w.parties[p].contrib.is_none() || w.utility(p, s) >= self.agents[p].target - TOL)
    }
}
