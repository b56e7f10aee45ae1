//! Analyses over a compiled scenario: deal zones and concession paths.

pub mod path;
pub mod zone;
