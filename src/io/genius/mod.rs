//! GENIUS XML and GeniusWeb JSON domains and profiles: the standard negotiation domains of
//! the automated-negotiation field, read into a [`Scenario`](crate::Scenario) with the field's own utility
//! semantics, written back out as scenario TOML, and bargained over with GENIUS's
//! discounting.
//!
//! - GENIUS (`negotiation_template` domain, `utility_space` profiles): discrete
//!   evaluations are divided by the issue's largest; integer issues evaluate to
//!   `clamp(offset + slope · (v − lowerbound), 0, 1)`; weights are used as written and the
//!   utility is capped at 1; `reservation` and `discount_factor` may sit anywhere. Real
//!   issues are cut into levels by a step the caller gives ([`Steps`]).
//! - GeniusWeb (`issuesValues` domain, `LinearAdditiveUtilitySpace` profiles): value
//!   utilities are used as written; number ranges become levels `low + k · step`; the
//!   reservation value is the utility of the reservation bid, summed exactly in decimal.
//! - Issues keep the names the files give them; integer and number values become levels
//!   named by their decimal text (`"1"` … `"10"`), in increasing order.
//! - Non-linear spaces and other GeniusWeb profile types are rejected; every problem is a
//!   [`GeniusError`] naming the file, the position or element, and what is wrong.
//!
//! Inside: an element tree with positions (quick-xml) and an order-keeping JSON tree with
//! key paths (serde_json) for error messages; readers for GENIUS domains and profiles and
//! for GeniusWeb domains and profiles; [`Steps`] and exact [`Decimal`] arithmetic for
//! numeric levels; the raw file data ([`Domain`], [`Profile`]) and its normalisation
//! ([`Profile::level_values`]) and [`export`] (scenario TOML). Bargaining on a domain (with
//! GENIUS's discounting and a choice of disagreement point) is an analysis:
//! `analysis::bargain::imported`, offered to users as [`crate::formats::genius::bargain`].
//!
//! ```
//! use dealzone::io::genius::{ImportOptions, Input, import};
//! let domain = r#"<negotiation_template><utility_space><objective index="0" name="root">
//!   <issue index="1" name="Issue1" type="discrete">
//!     <item index="1" value="A"/><item index="2" value="B"/><item index="3" value="C"/></issue>
//!   <issue index="2" name="Issue2" type="discrete">
//!     <item index="1" value="X"/><item index="2" value="Y"/><item index="3" value="Z"/></issue>
//! </objective></utility_space></negotiation_template>"#;
//! let profile = r#"<utility_space><objective index="0" name="Ultimatum">
//!   <issue index="1" name="Issue1" type="discrete">
//!     <item index="1" value="A" evaluation="100"/><item index="2" value="B" evaluation="20"/>
//!     <item index="3" value="C" evaluation="2"/></issue>
//!   <issue index="2" name="Issue2" type="discrete">
//!     <item index="1" value="X" evaluation="100"/><item index="2" value="Y" evaluation="20"/>
//!     <item index="3" value="Z" evaluation="2"/></issue>
//!   <weight index="1" value="0.39622042590756595"/><weight index="2" value="0.603779574092434"/>
//! </objective><reservation value="0.1"/></utility_space>"#;
//! let imported = import(
//!     &Input::new("Ultimatum.xml", domain),
//!     &[Input::new("Ultimatum_util1.xml", profile)],
//!     &ImportOptions::default(),
//! )?;
//! let s = imported.scenario();
//! let u = s.parties()[0].preferences().unwrap();
//! assert_eq!(u.utility(&[2, 0]), 0.6117039826105853); // U1(C, X)
//! assert_eq!(u.reservation(), 0.1);
//! # Ok::<(), dealzone::io::genius::GeniusError>(())
//! ```

mod discretise;
pub mod export;
mod geniusweb;
mod json_tree;
mod scenario;
pub mod write;
mod xml_domain;
mod xml_profile;
mod xml_tree;

pub use crate::error::genius::{GeniusError, GeniusErrorDetails, GeniusErrorKind};
pub use crate::model::imported::{
    Decimal, Domain, DomainIssue, Format, Imported, IssueKind, Profile, Reservation, ValueFunction,
};
pub use discretise::Steps;

// The readers name these modules as `super::decimal` and `super::domain`.
use crate::model::imported::{decimal, domain};

use std::path::{Path, PathBuf};

/// Default for [`ImportOptions::max_levels`].
pub const DEFAULT_MAX_LEVELS: u64 = 1_000_000;

/// How to import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// Discretisation steps for real-valued GENIUS issues (without one, such an issue is an
    /// error).
    pub steps: Steps,
    /// Most levels one issue may have (integer ranges, number ranges, discretised reals).
    pub max_levels: u64,
}

impl Default for ImportOptions {
    /// No steps; at most [`DEFAULT_MAX_LEVELS`] levels per issue.
    fn default() -> Self {
        ImportOptions {
            steps: Steps::default(),
            max_levels: DEFAULT_MAX_LEVELS,
        }
    }
}

/// One input file: the name errors use, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file's name as the caller gives it.
    pub name: String,
    /// Its text.
    pub text: String,
}

impl Input {
    /// An input from text in memory.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Input {
        Input {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Read a file, with the default [`crate::Limits`].
    ///
    /// # Errors
    /// As [`Input::read_with`].
    pub fn read(path: &Path) -> crate::error::Result<Input> {
        Self::read_with(path, &crate::config::Limits::default())
    }

    /// Read a file through [`crate::io::source::read_file`]: a regular file of at most
    /// `limits.max_file_bytes` bytes.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when it cannot be read; [`crate::Error::Refused`] when it is
    /// not a regular file or too large; [`crate::Error::Invalid`] at the line and column of
    /// the first byte that is not UTF-8.
    pub fn read_with(path: &Path, limits: &crate::config::Limits) -> crate::error::Result<Input> {
        let bytes = crate::io::source::read_file(path, limits)?;
        let name = path.display().to_string();
        let text = crate::io::source::decode(&name, bytes)?;
        Ok(Input { name, text })
    }
}

fn sniff(input: &Input) -> Result<Format, GeniusError> {
    let t = input.text.trim_start_matches('\u{feff}').trim_start();
    match t.chars().next() {
        Some('<') => Ok(Format::GeniusXml),
        Some('{') => Ok(Format::GeniusWebJson),
        _ => Err(GeniusError::new(
            &input.name,
            GeniusErrorKind::Format {
                message: if t.is_empty() {
                    "the file is empty".into()
                } else {
                    "neither GENIUS XML (starts with `<`) nor GeniusWeb JSON (starts with `{`)"
                        .into()
                },
            },
        )
        .at(Some((1, 1)))),
    }
}

/// Read a domain and its profiles from text.
///
/// # Arguments
/// `domain`: a GENIUS domain XML or a GeniusWeb domain JSON; `profiles`: one profile per
/// party, in the same format (the party order of the scenario); `options`.
///
/// # Returns
/// The [`Imported`] domain, profiles and scenario.
///
/// # Errors
/// A [`GeniusError`] naming the file and element for anything malformed or out of scope.
///
/// # Complexity
/// Linear in the size of the files plus the number of levels.
///
/// # Example
/// See the [module documentation](self).
pub fn import(
    domain: &Input,
    profiles: &[Input],
    options: &ImportOptions,
) -> Result<Imported, GeniusError> {
    let format = sniff(domain)?;
    if profiles.is_empty() {
        return Err(GeniusError::new(
            &domain.name,
            GeniusErrorKind::Missing {
                what: "profiles: give at least one profile for the domain".into(),
            },
        ));
    }
    let d = match format {
        Format::GeniusXml => {
            xml_domain::domain(&xml_tree::parse(&domain.name, &domain.text)?, options)?
        }
        Format::GeniusWebJson => {
            let json = json_tree::parse(&domain.name, &domain.text)?;
            geniusweb::domain(&json_tree::At::root(&domain.name, &json), options)?
        }
    };
    let mut ps = Vec::with_capacity(profiles.len());
    for p in profiles {
        if sniff(p)? != format {
            return Err(GeniusError::new(
                &p.name,
                GeniusErrorKind::Format {
                    message: format!(
                        "the domain `{}` is {}, this profile is not",
                        domain.name,
                        match format {
                            Format::GeniusXml => "GENIUS XML",
                            Format::GeniusWebJson => "GeniusWeb JSON",
                        }
                    ),
                },
            ));
        }
        ps.push(match format {
            Format::GeniusXml => xml_profile::profile(&xml_tree::parse(&p.name, &p.text)?, &d)?,
            Format::GeniusWebJson => {
                let json = json_tree::parse(&p.name, &p.text)?;
                geniusweb::profile(&json_tree::At::root(&p.name, &json), &d, options)?
            }
        });
    }
    let scenario = scenario::build(&d, &ps);
    Ok(Imported::new(d, ps, scenario))
}

/// [`import`] from files, with the default [`crate::Limits`].
///
/// # Errors
/// As [`load_with`].
pub fn load(
    domain: &Path,
    profiles: &[PathBuf],
    options: &ImportOptions,
) -> crate::error::Result<Imported> {
    load_with(domain, profiles, options, &crate::config::Limits::default())
}

/// [`import`] from files, each read as [`Input::read_with`] does under `limits`.
///
/// # Errors
/// As [`Input::read_with`]; [`crate::Error::Genius`] otherwise.
pub fn load_with(
    domain: &Path,
    profiles: &[PathBuf],
    options: &ImportOptions,
    limits: &crate::config::Limits,
) -> crate::error::Result<Imported> {
    let d = Input::read_with(domain, limits)?;
    let ps = profiles
        .iter()
        .map(|p| Input::read_with(p, limits))
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(import(&d, &ps, options)?)
}
