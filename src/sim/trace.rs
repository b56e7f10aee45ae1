//! What happened in one run, step by step.
//!
//! Runs are generic over a [`Recorder`]: Monte Carlo batches use [`NoTrace`], which the
//! compiler removes entirely; [`Trace`] keeps every step. A run is a pure function of the
//! world, its seed and its number, so replaying run `k` with a [`Trace`] gives exactly the
//! steps run `k` took in the batch.

use crate::space::StateIndex;

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum End {
    /// Every party accepted.
    Agreement,
    /// The deadline passed.
    Deadline,
    /// A party walked out (the mediator's leaving ends a mediation the same way).
    WalkOut(usize),
    /// Every party accepted this state, but no path from the status quo in force reaches
    /// it without breaking a precondition in force: not a deal (only with bad-faith
    /// offers allowed, see [`super::sequencing`]).
    Unimplementable(StateIndex),
}

/// The constraints and reservations in force at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct InForce {
    /// Variant of every constraint (`0` as written, `1` suspended, `2..` replaced), in
    /// [`super::World::constraints`] order.
    pub variants: Vec<u8>,
    /// Reservation of every party in force.
    pub reservations: Vec<f64>,
    /// The status quo in force.
    pub status_quo: StateIndex,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A random event fired.
    Event {
        /// Round.
        round: u32,
        /// Event index.
        event: usize,
        /// The status quo after it.
        status_quo: StateIndex,
    },
    /// A behaviour rule fired and changed something or answered.
    Rule {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
        /// Rule index within the party.
        rule: usize,
    },
    /// A constraint changed variant (soften or restore).
    Constraint {
        /// Round.
        round: u32,
        /// Constraint index.
        constraint: usize,
        /// The new variant.
        variant: u8,
    },
    /// A party put an offer on the table (or the mediator its text).
    Offer {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
        /// The offer.
        state: StateIndex,
        /// The party's target utility at the time.
        target: f64,
    },
    /// A party accepted the proposal on the table.
    Accept {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
    },
    /// A party rejected it (in mediation, with the change it asks for).
    Reject {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
    },
    /// A party walked out.
    WalkOut {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
    },
    /// The agreed state checked against the sequencing, just before the end (recorded
    /// runs only): the cheapest precondition-respecting path to it, or what blocks it.
    Implementation {
        /// Round.
        round: u32,
        /// The agreed state.
        state: StateIndex,
        /// Whether it can be implemented (the simulator's verdict, which decides the end).
        implementable: bool,
        /// The states of the cheapest path (total concession), status quo in force first,
        /// the agreed state last; empty when there is none.
        path: Vec<StateIndex>,
        /// Its total concession; `None` when there is no path.
        cost: Option<f64>,
        /// When there is no path: the least sets of preconditions (`party/id`) whose
        /// removal would open one.
        blocked_by: Vec<Vec<String>>,
        /// Why the path could not be computed (a limit), if so.
        note: Option<String>,
    },
    /// An outside agent ([`super::outside`]) sent a free-text message with its move.
    Said {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
        /// The message as sent.
        message: String,
    },
    /// The referee refused a line from an outside agent ([`super::outside`]): malformed,
    /// or a move that breaks the sender's red lines, its reservation or the preconditions
    /// in force. The agent is told why and may answer again.
    Refused {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
        /// The reason's code (`malformed`, `red_line`, …; see docs/agent-protocol.md).
        code: String,
        /// The reason in words.
        reason: String,
    },
    /// An outside agent lost its move (too many refused lines: the move counts as a
    /// rejection) or the run (no answer within the move timeout, or the program ended: a
    /// walk-out follows).
    Forfeit {
        /// Round.
        round: u32,
        /// Party.
        party: usize,
        /// `retries`, `timeout` or `exited`.
        reason: String,
    },
    /// The run ended.
    End {
        /// Round.
        round: u32,
        /// Why.
        end: End,
        /// The agreed state, if any.
        state: Option<StateIndex>,
        /// What was in force at the end (at agreement: what the deal was checked against).
        in_force: InForce,
    },
}

/// Where a run writes its steps.
pub trait Recorder {
    /// Record a step; `step` is only called when the recorder keeps steps.
    fn record(&mut self, step: impl FnOnce() -> Step);
}

/// Keeps nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTrace;

impl Recorder for NoTrace {
    #[inline(always)]
    fn record(&mut self, _step: impl FnOnce() -> Step) {}
}

/// Keeps every step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// The steps in order.
    pub steps: Vec<Step>,
}

impl Recorder for Trace {
    fn record(&mut self, step: impl FnOnce() -> Step) {
        self.steps.push(step());
    }
}
