//! Reading scenario TOML files.

use std::path::Path;

use super::build::{Builder, toml_diagnostic};
use super::raw::RawScenario;
use super::source::SourceFile;
use crate::error::{Diagnostics, Error, Result};
use crate::model::Scenario;

/// Read a file to a string, as a typed error.
pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Load a scenario file.
pub(crate) fn load(path: &Path) -> Result<Scenario> {
    let text = read(path)?;
    from_str(&text, &path.display().to_string())
}

/// Parse and validate scenario TOML text.
pub(crate) fn from_str(text: &str, file: &str) -> Result<Scenario> {
    let src = SourceFile::new(file, text);
    parse_source(&src)
}

pub(crate) fn parse_source(src: &SourceFile) -> Result<Scenario> {
    let raw: RawScenario = toml::from_str(src.text())
        .map_err(|e| Error::Invalid(Diagnostics(vec![toml_diagnostic(src, &e)])))?;
    let mut b = Builder::new(src);
    match b.scenario(raw) {
        Some(s) if b.diags.is_empty() => Ok(s),
        _ => Err(Error::Invalid(Diagnostics::sorted(b.diags))),
    }
}
