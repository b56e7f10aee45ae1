//! Analyses over a compiled scenario: deal zones and concession paths.

pub mod explain;
pub mod path;
pub mod zone;
