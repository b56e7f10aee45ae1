//! Packed states: one level per issue as a mixed-radix integer, and rules compiled to
//! evaluate on them without allocating.

mod compiled_rule;
mod state_space;

pub use compiled_rule::CompiledRule;
pub use state_space::{StateIndex, StateSpace};
