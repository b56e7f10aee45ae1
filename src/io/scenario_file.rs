//! Reading scenario TOML files.

use std::path::Path;

use super::build::{Builder, toml_diagnostic};
use super::raw::RawScenario;
use super::source::SourceFile;
use crate::config::Limits;
use crate::error::{Diagnostic, Diagnostics, Error, ErrorKind, Location, Result};
use crate::model::Scenario;

/// Read a file as text through [`super::source::read_file`]: a regular file within
/// `limits.max_file_bytes`, valid UTF-8 (else a positioned error).
pub(crate) fn read(path: &Path, limits: &Limits) -> Result<String> {
    let bytes = super::source::read_file(path, limits)?;
    super::sniff_other_format(path, &bytes)?;
    super::source::decode(&path.display().to_string(), bytes)
}

/// Load a scenario file.
pub(crate) fn load(path: &Path, limits: &Limits) -> Result<Scenario> {
    let text = read(path, limits)?;
    let src = SourceFile::new(path.display().to_string(), text);
    parse_source(&src, limits.max_expr_depth)
}

/// Parse and validate scenario TOML text.
pub(crate) fn from_str(text: &str, file: &str) -> Result<Scenario> {
    let src = SourceFile::new(file, text);
    parse_source(&src, crate::model::expr::MAX_DEPTH)
}

/// Parse and validate a scenario, its expressions no deeper than `max_expr_depth`.
pub(crate) fn parse_source(src: &SourceFile, max_expr_depth: usize) -> Result<Scenario> {
    let raw: RawScenario = toml::from_str(src.text())
        .map_err(|e| Error::Invalid(Diagnostics(vec![toml_diagnostic(src, &e)])))?;
    build(src, raw, max_expr_depth)
}

/// Parse a scenario named inside another file (`what` = `base`, written as `written`):
/// as [`parse_source`], but when the text does not even parse as a scenario file, the
/// error gives the position and nothing of the text: the name may point at any file.
pub(crate) fn parse_named(
    src: &SourceFile,
    what: &str,
    written: &str,
    max_expr_depth: usize,
) -> Result<Scenario> {
    let raw: RawScenario = toml::from_str(src.text()).map_err(|e| {
        Error::Invalid(Diagnostics(vec![redacted(
            toml_diagnostic(src, &e),
            what,
            written,
        )]))
    })?;
    build(src, raw, max_expr_depth)
}

/// A diagnostic about a file that did not parse as a scenario, with its text, message and
/// hint replaced: only the file name and position are kept.
pub(crate) fn redacted(d: Diagnostic, what: &str, written: &str) -> Diagnostic {
    Diagnostic {
        kind: ErrorKind::NotParsed {
            what: what.to_string(),
            path: written.to_string(),
            expected: "scenario".to_string(),
        },
        location: d.location.map(|l| Location {
            line_text: String::new(),
            width: 1,
            ..l
        }),
        help: Some(format!(
            "if it is meant to be a scenario, `dealzone check {}` shows what is wrong",
            d.file
        )),
        file: d.file,
    }
}

fn build(src: &SourceFile, raw: RawScenario, max_expr_depth: usize) -> Result<Scenario> {
    let mut b = Builder::with_max_expr_depth(src, max_expr_depth);
    match b.scenario(raw) {
        Some(s) if b.diags.is_empty() => Ok(s),
        _ => Err(Error::Invalid(Diagnostics::sorted(b.diags))),
    }
}

// Loading lives with the reader, so `model` never imports `io` (data flows down).
impl Scenario {
    /// Load a scenario TOML file.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when the file cannot be read, [`crate::Error::Invalid`] with
    /// positioned diagnostics when it is not a valid scenario.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario> {
        Self::load_with(path, &crate::config::Limits::default())
    }

    /// Load a scenario TOML file under `limits`: a regular file of at most
    /// `limits.max_file_bytes` bytes.
    ///
    /// # Errors
    /// As [`Scenario::load`]; [`crate::Error::Refused`] for a file that is not regular or
    /// too large.
    pub fn load_with(path: impl AsRef<Path>, limits: &crate::config::Limits) -> Result<Scenario> {
        crate::io::scenario_file::load(path.as_ref(), limits)
    }

    /// Parse a scenario from TOML text; `file` names it in errors.
    ///
    /// # Errors
    /// [`crate::Error::Invalid`] with positioned diagnostics.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Scenario> {
        crate::io::scenario_file::from_str(text, file)
    }
}
