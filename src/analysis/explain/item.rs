//! The constraints an explanation may name: what the oracle answers about and the
//! violation table records (kept apart so neither imports the other).

use crate::model::Origin;

/// One constraint an explanation may name: a red line or a party's reservation.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `party/id`, or `party/reservation`.
    pub name: String,
    /// The rule as written, or `u >= r` for a reservation.
    pub text: String,
    /// The source cited, if any.
    pub source: Option<String>,
    /// Where it was written, if known.
    pub origin: Option<Origin>,
    /// What it is: position among the red lines, or among the parties with a utility.
    pub kind: ItemKind,
}

/// Red line or reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// Position in [`crate::space::CompiledScenario::red_lines`].
    RedLine(usize),
    /// Position in [`crate::space::CompiledScenario::utilities`].
    Reservation(usize),
}
