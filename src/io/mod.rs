//! Files in and out: scenario and timeline TOML with positioned errors.

pub(crate) mod build;
pub mod genius;
pub mod gmcr;
mod raw;
pub(crate) mod scenario_file;
pub mod source;
pub(crate) mod timeline_file;

pub use build::WEIGHT_SUM_TOLERANCE;
pub use source::SourceFile;

use std::path::Path;

use crate::error::Result;
use crate::model::{Scenario, Timeline};

/// What a file holds: a scenario, or a timeline of scenarios.
#[derive(Debug, Clone)]
pub enum Document {
    /// A single scenario.
    Scenario(Scenario),
    /// A timeline: base scenario plus dated changes.
    Timeline(Timeline),
}

/// Load a scenario or a timeline file, telling them apart by the timeline's `base` key.
///
/// # Errors
/// As [`Scenario::load`] and [`Timeline::load`].
pub fn load_document(path: impl AsRef<Path>) -> Result<Document> {
    let path = path.as_ref();
    if path.extension().is_some_and(|e| e == "gmcr") {
        // Not TOML: say what reads it rather than report a TOML syntax error at 1:1.
        return Err(gmcr::GmcrError::Element {
            file: path.display().to_string(),
            element: "file".into(),
            message: "a GMCR+ conflict is not a scenario or timeline".into(),
            help: Some("`dealzone stability` reads `.gmcr` files".into()),
        }
        .into());
    }
    let text = scenario_file::read(path)?;
    let src = SourceFile::new(path.display().to_string(), text);
    if is_timeline(src.text()) {
        Ok(Document::Timeline(timeline_file::parse_source(&src, path)?))
    } else {
        Ok(Document::Scenario(scenario_file::parse_source(&src)?))
    }
}

/// A timeline has a top-level `base` key; anything that does not parse is left to the
/// scenario reader, which reports the syntax error.
pub(crate) fn is_timeline(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("base"))
}
