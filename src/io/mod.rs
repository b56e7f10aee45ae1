//! Files in and out: scenario and timeline TOML with positioned errors.

pub(crate) mod build;
pub mod genius;
pub mod gmcr;
mod raw;
pub(crate) mod scenario_file;
pub mod schema;
pub mod source;
pub(crate) mod timeline_file;
mod tournament_file;

pub use tournament_file::{is_tournament, load_tournament};

pub use build::WEIGHT_SUM_TOLERANCE;
pub use source::SourceFile;

use std::path::Path;

use crate::config::Limits;
use crate::error::{Error, Result};
use crate::model::{Scenario, Timeline};

/// What a file holds: a scenario, or a timeline of scenarios.
#[derive(Debug, Clone)]
pub enum Document {
    /// A single scenario.
    Scenario(Scenario),
    /// A timeline: base scenario plus dated changes.
    Timeline(Timeline),
}

/// Load a scenario or a timeline file, telling them apart by the timeline's `base` key,
/// with the default [`Limits`].
///
/// # Errors
/// As [`load_document_with`].
pub fn load_document(path: impl AsRef<Path>) -> Result<Document> {
    load_document_with(path, &Limits::default())
}

/// Load a scenario or a timeline file under `limits`: the file and a timeline's base are
/// read through [`source::read_file`] (regular files up to `max_file_bytes`), and the
/// base must lie in the timeline's folder unless `allow_outside_paths` is set.
///
/// # Errors
/// As [`Scenario::load`] and [`Timeline::load`]; [`Error::Refused`] for a file that is not
/// regular or too large; [`Error::WrongFormat`] for a GENIUS XML, GeniusWeb JSON or GMCR+
/// file, naming the command that reads it.
pub fn load_document_with(path: impl AsRef<Path>, limits: &Limits) -> Result<Document> {
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
    let bytes = source::read_file(path, limits)?;
    sniff_other_format(path, &bytes)?;
    let name = path.display().to_string();
    let src = SourceFile::new(name.clone(), source::decode(&name, bytes)?);
    if is_timeline(src.text()) {
        Ok(Document::Timeline(timeline_file::parse_source(
            &src, path, limits,
        )?))
    } else {
        Ok(Document::Scenario(scenario_file::parse_source(
            &src,
            limits.max_expr_depth,
        )?))
    }
}

/// A TOML document never starts with `<` or `{`: a file that does is XML or JSON (GENIUS,
/// GeniusWeb, GMCR+), and saying so beats a TOML syntax error at 1:1.
pub(crate) fn sniff_other_format(path: &Path, bytes: &[u8]) -> Result<()> {
    let first = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    let (format, help) = match first {
        Some(b'<') => (
            "XML (a GENIUS domain or profile?)",
            "`dealzone bargain --domain D --profile P…` analyses a GENIUS domain, and `dealzone import --domain D --profile P…` turns it into a scenario",
        ),
        Some(b'{') => (
            "JSON (a GeniusWeb domain or profile, or a GMCR+ conflict?)",
            "`dealzone bargain --domain D --profile P…` analyses a GeniusWeb domain, `dealzone import --domain D --profile P…` turns it into a scenario, and `dealzone stability` reads a GMCR+ conflict",
        ),
        _ => return Ok(()),
    };
    Err(Error::WrongFormat {
        path: path.to_path_buf(),
        format: format.into(),
        help: help.into(),
    })
}

/// A timeline has a top-level `base` key; anything that does not parse is left to the
/// scenario reader, which reports the syntax error.
pub(crate) fn is_timeline(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("base"))
}
