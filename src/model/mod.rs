//! The model of a negotiation: scenarios, issues, parties, constraints, rules, timelines.
//!
//! Every value here has passed validation; files become models through [`crate::io`].

pub mod behaviour;
pub mod condition;
mod date;
mod evidence;
#[doc(hidden)]
pub mod expr;
// Re-exported where users meet them, [`crate::formats::genius`]; one page per type.
#[doc(hidden)]
pub mod imported;
mod issue;
mod origin;
mod party;
pub mod rule;
mod scenario;
pub mod simulation;
pub mod timeline;
pub mod tournament;

pub use date::Date;
pub use evidence::{Evidence, UnknownEvidence};
pub use issue::{Issue, Level};
pub use party::{Constraint, ConstraintKind, Origin, Party, Preferences, Role};
pub use scenario::Scenario;
pub use timeline::{Change, ChangeOp, Timeline};

pub(crate) use issue::check_name;
