//! Reading a tournament specification ([`crate::model::tournament`]).

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::build::{Builder, toml_diagnostic};
use super::raw::RawTactic;
use super::source::{SourceFile, decode, read_file, resolve_named};
use super::{Document, load_document_with};
use crate::config::Limits;
use crate::error::{Diagnostics, Error, ErrorKind, Result};
use crate::model::Date;
use crate::model::tournament::{Entry, TournamentSpec};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    seed: Option<u64>,
    repetitions: Option<Spanned<u64>>,
    max_rounds: Option<Spanned<u32>>,
    match_time_limit_ms: Option<u64>,
    protocol: Option<Spanned<String>>,
    opener: Option<Spanned<String>>,
    #[serde(default)]
    scenarios: Vec<RawEntry>,
    #[serde(default)]
    tactics: Vec<RawEntrant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    file: Spanned<String>,
    at: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntrant {
    name: Spanned<String>,
    kind: Spanned<String>,
    e: Option<Spanned<f64>>,
    k: Option<Spanned<f64>>,
    noise: Option<Spanned<f64>>,
}

fn message(b: &mut Builder<'_>, span: std::ops::Range<usize>, message: String) {
    b.error(span, ErrorKind::Toml { message }, None);
}

/// Load a tournament specification and every scenario it names.
///
/// # Arguments
/// The spec file; `limits` (file size, confinement: scenario files resolve inside the
/// spec's folder unless `limits.allow_outside_paths`).
///
/// # Returns
/// The [`TournamentSpec`], scenarios loaded (a timeline's snapshot at `at`, else its
/// latest). An entrant of kind `outside` is listed in [`TournamentSpec::outside`]; the
/// file cannot name its program (only the caller seats one).
///
/// # Errors
/// A positioned error for a malformed spec (unknown keys, an unknown tactic with a
/// did-you-mean, an unknown protocol, a parameter given to an outside agent, no scenario or tactic, zero repetitions, a bad date), a refused or
/// unreadable scenario file, that file's own errors, or more matches than
/// `limits.max_matches`.
///
/// # Complexity
/// Linear in the spec, plus loading each scenario.
///
/// # Example
/// ```
/// let spec = dealzone::io::load_tournament("seeds/tournament.toml", &dealzone::Limits::default())?;
/// assert_eq!(spec.scenarios.len(), 4);
/// assert_eq!(spec.tactics.len(), 5);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn load_tournament(path: impl AsRef<Path>, limits: &Limits) -> Result<TournamentSpec> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let src = SourceFile::new(name.clone(), decode(&name, read_file(path, limits)?)?);
    let invalid = |d| Error::Invalid(Diagnostics(d));
    let raw: RawSpec =
        toml::from_str(src.text()).map_err(|e| invalid(vec![toml_diagnostic(&src, &e)]))?;
    let mut b = Builder::new(&src);
    let repetitions = raw.repetitions.as_ref().map_or(1, |r| *r.get_ref());
    if let Some(r) = raw.repetitions.as_ref().filter(|r| *r.get_ref() == 0) {
        message(&mut b, r.span(), "`repetitions` must be at least 1".into());
    }
    if let Some(m) = raw.max_rounds.as_ref().filter(|m| *m.get_ref() == 0) {
        message(&mut b, m.span(), "`max_rounds` must be at least 1".into());
    }
    if raw.scenarios.is_empty() {
        message(
            &mut b,
            0..0,
            "a tournament needs at least one `[[scenarios]]`".into(),
        );
    }
    if raw.tactics.is_empty() {
        message(
            &mut b,
            0..0,
            "a tournament needs at least one `[[tactics]]`".into(),
        );
    }
    let protocol = raw.protocol.as_ref().and_then(|p| {
        use crate::model::simulation::ProtocolKind;
        let kind = ProtocolKind::parse(p.get_ref());
        if kind.is_none() {
            let kind = ErrorKind::Toml {
                message: format!(
                    "unknown protocol `{}` (protocols: {})",
                    p.get_ref(),
                    ProtocolKind::NAMES.join(", ")
                ),
            };
            let help = crate::suggest::did_you_mean(p.get_ref(), ProtocolKind::NAMES);
            b.error(p.span(), kind, help);
        }
        kind
    });
    let opener = raw.opener.as_ref().and_then(|o| {
        use crate::model::simulation::Opener;
        match o.get_ref().as_str() {
            "first" => Some(Opener::First),
            "random" => Some(Opener::Random),
            other => {
                let kind = ErrorKind::Toml {
                    message: format!(
                        "`opener` must be \"first\" or \"random\" in a tournament (a party \
                         name means nothing across scenarios), found `{other}`"
                    ),
                };
                let help = crate::suggest::did_you_mean(other, ["first", "random"]);
                b.error(o.span(), kind, help);
                None
            }
        }
    });
    let mut tactics = Vec::new();
    let mut outside = Vec::new();
    for t in &raw.tactics {
        if tactics.iter().any(|(n, _)| n == t.name.get_ref()) {
            let m = format!("tactic `{}` is named twice", t.name.get_ref());
            message(&mut b, t.name.span(), m);
        }
        if t.kind.get_ref() == "outside" {
            // Played by a program the caller seats under this name; the file names none.
            for (key, span) in [("e", &t.e), ("k", &t.k), ("noise", &t.noise)]
                .into_iter()
                .filter_map(|(key, v)| v.as_ref().map(|v| (key, v.span())))
            {
                let m = format!("`{key}` has no meaning for an outside agent");
                message(&mut b, span, m);
            }
            tactics.push((t.name.get_ref().clone(), Default::default()));
            outside.push(t.name.get_ref().clone());
            continue;
        }
        let rt = RawTactic {
            kind: t.kind.clone(),
            e: t.e.clone(),
            k: t.k.clone(),
            noise: t.noise.clone(),
        };
        if let Some(tactic) = b.tactic(&rt) {
            tactics.push((t.name.get_ref().clone(), tactic));
        }
    }
    let mut scenarios = Vec::new();
    for e in &raw.scenarios {
        let written = e.file.get_ref();
        let at = match &e.at {
            None => None,
            Some(a) => match a.get_ref().parse::<Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    let m = format!("`{}` is not a date (YYYY-MM-DD)", a.get_ref());
                    message(&mut b, a.span(), m);
                    continue;
                }
            },
        };
        let file = match resolve_named(path, written, limits) {
            Ok(f) => f,
            Err(reason) => {
                let help = reason.help();
                b.error(
                    e.file.span(),
                    ErrorKind::Refused {
                        what: "scenario".into(),
                        path: written.clone(),
                        reason,
                    },
                    help,
                );
                continue;
            }
        };
        // The scenario's own errors name its own file: report them as they are.
        let scenario = match (load_document_with(&file, limits)?, at) {
            (Document::Scenario(_), Some(_)) => {
                return Err(Error::NotATimeline { path: file });
            }
            (Document::Scenario(s), None) => s,
            (Document::Timeline(t), Some(d)) => t.at(d)?.clone(),
            (Document::Timeline(t), None) => t.latest().clone(),
        };
        let label = match &e.at {
            Some(a) => format!("{written}@{}", a.get_ref()),
            None => written.clone(),
        };
        scenarios.push(Entry { label, scenario });
    }
    if !b.diags.is_empty() {
        return Err(invalid(b.diags));
    }
    let spec = TournamentSpec {
        seed: raw.seed.unwrap_or(0),
        repetitions,
        max_rounds: raw.max_rounds.map(|m| *m.get_ref()),
        match_time_limit: raw.match_time_limit_ms.map(Duration::from_millis),
        protocol,
        opener,
        scenarios,
        tactics,
        outside,
    };
    let matches = crate::sim::tournament::match_count(&spec);
    if matches > limits.max_matches {
        return Err(Error::LimitExceeded {
            limit: crate::config::Limit::MaxMatches,
            value: limits.max_matches,
        });
    }
    Ok(spec)
}

/// Whether `path` holds a tournament spec (a `[[tactics]]` table), not a scenario or a
/// timeline: `dealzone check` then validates it as one. Unreadable files are not specs
/// (reading them again gives their error).
///
/// # Example
/// ```
/// use dealzone::{Limits, io::is_tournament};
/// assert!(is_tournament("seeds/tournament.toml", &Limits::default()));
/// assert!(!is_tournament("seeds/wage_round.toml", &Limits::default()));
/// ```
pub fn is_tournament(path: impl AsRef<Path>, limits: &Limits) -> bool {
    read_file(path.as_ref(), limits)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .is_some_and(|t| t.lines().any(|l| l.trim() == "[[tactics]]"))
}
