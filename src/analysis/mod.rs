//! Analyses over a compiled scenario: deal zones and concession paths.

pub mod bargain;
pub mod evidence_marks;
pub mod explain;
pub mod path;
pub mod sensitivity;
pub mod session;
pub mod session_ext;
pub mod stability;
pub mod timeline_report;
mod timeline_types;
pub mod zone;
