//! Outputs: the contract's JSON documents and readable tables. The command line only
//! prints what these functions return.

pub mod bargain_json;
pub mod csv;
pub mod dot;
pub mod explain;
pub mod genius;
pub mod json;
pub mod render;
pub mod simulate;
pub mod stability;
#[cfg(feature = "svg")]
pub mod svg;
#[cfg(feature = "svg")]
pub mod svg_sim;
pub mod text;
pub mod timeline;
pub mod tournament;

pub use render::Report;
