//! Who plays each seat at the table: the built-in agents, or something outside the
//! simulator (an external program, see [`super::outside`]).
//!
//! The alternating-offers protocol ([`super::protocol`]) asks its [`Seats`] before each
//! turn; [`Inside`] answers "built-in" for every party and compiles away, so batches of
//! seeded runs pay nothing for the hook. This file holds only the shared types, so that
//! the protocol and the outside referee import it and not each other.

use super::agent::RunState;
use super::trace::Recorder;
use super::world::World;
use crate::space::StateIndex;

/// A move made from outside, already checked by whoever plays the seat: an offer meets the
/// sender's red lines in force, its reservation and (unless bad faith is allowed) can be
/// implemented; an acceptance is of an offer on the table by another party that the
/// accepter could accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatMove {
    /// Put this state on the table (clears every acceptance).
    Offer(StateIndex),
    /// Accept the offer on the table.
    Accept,
    /// Neither: the offer on the table stands, every acceptance is cleared (as a built-in
    /// agent's veto).
    Pass,
    /// Leave the table: the run ends without a deal.
    WalkOut,
}

/// What the protocol shows an outside seat on its turn.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    /// The round (from 0).
    pub round: u32,
    /// The offer on the table and who made it.
    pub on_table: Option<(StateIndex, usize)>,
    /// Who accepted the offer on the table, by party.
    pub accepted: &'a [bool],
    /// Each party's latest offer in this run, by party.
    pub latest: &'a [Option<StateIndex>],
}

/// Who plays each party.
pub trait Seats {
    /// Whether party `p` is played from outside (its behaviour rules and tactic are then
    /// not used).
    fn outside(&self, p: usize) -> bool;

    /// Party `p`'s move (only asked when [`Seats::outside`] is true for `p`). The run's
    /// state is read-only: the protocol applies the move.
    fn play<R: Recorder>(
        &mut self,
        w: &World,
        st: &RunState,
        p: usize,
        turn: Turn<'_>,
        rec: &mut R,
    ) -> SeatMove;
}

/// Every party played by its built-in agent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inside;

impl Seats for Inside {
    #[inline(always)]
    fn outside(&self, _p: usize) -> bool {
        false
    }

    #[inline(always)]
    fn play<R: Recorder>(
        &mut self,
        _w: &World,
        _st: &RunState,
        _p: usize,
        _turn: Turn<'_>,
        _rec: &mut R,
    ) -> SeatMove {
        SeatMove::Pass
    }
}
