//! Packed states: one level per issue as a mixed-radix integer, rules compiled to evaluate
//! on them without allocating, and whole scenarios compiled for search.

mod compiled_rule;
mod compiled_scenario;
mod quotient;
mod region;
mod state_space;

pub use compiled_rule::{CompiledRule, EXACT_FREE_MAX, MAX_TABLE};
pub use compiled_scenario::{CompiledScenario, PartyUtility, RESERVATION_TOLERANCE};
pub use quotient::{MAX_CUT_SCAN, MAX_QUOTIENT_CELLS, RegionQuotient};
pub use region::{MAX_REGION_PRECONDITIONS, MAX_REGION_STATES, PreconditionRegion};
pub use state_space::{StateIndex, StateSpace};
