//! `dealzone zones` and `dealzone path`.

use std::path::Path;

use dealzone::analysis::explain::ExplainLimits;
use dealzone::analysis::path::{CostModel, PathOptions};
use dealzone::analysis::zone::Engine;

use dealzone::io::{Document, load_document_with};
use dealzone::model::Evidence;
use dealzone::report::json;
use dealzone::space::CompiledScenario;
use dealzone::{Analysis, Error, Limits, Report, Result, Scenario};

use crate::{CostArg, EngineArg, Input};

/// The scenario a command analyses: the file itself, or a timeline's snapshot, without
/// the constraints `--without` names. They are dropped from the scenario before anything
/// is compiled, so every analysis (and every report naming constraints by position) sees
/// one consistent scenario.
pub fn scenario(input: &Input) -> Result<Scenario> {
    let s = snapshot(input)?;
    if input.without.is_empty() {
        return Ok(s);
    }
    let names: Vec<&str> = input.without.iter().map(String::as_str).collect();
    s.without(&names)
}

fn snapshot(input: &Input) -> Result<Scenario> {
    match load_document_with(&input.file, &limits(input))? {
        Document::Scenario(_) if input.at.is_some() => Err(Error::NotATimeline {
            path: input.file.clone(),
        }),
        Document::Scenario(s) => Ok(admit(s, input.evidence)),
        Document::Timeline(t) => {
            // Grade the changes, not only the snapshot: a reported change that replaced a
            // stated red line leaves the stated one in force.
            let t = match input.evidence {
                Some(g) => t.admit(g),
                None => t,
            };
            match input.at {
                Some(d) => t.at(d).cloned(),
                None => Ok(t.latest().clone()),
            }
        }
    }
}

/// The scenario on the evidence admitted (`None`: everything).
pub fn admit(s: Scenario, weakest: Option<Evidence>) -> Scenario {
    match weakest {
        Some(g) => s.admit(g),
        None => s,
    }
}

/// A JSON document with the `evidence` key: the weakest grade admitted and the grade of
/// every red line and precondition the analysed scenario holds.
pub fn graded(
    mut v: serde_json::Value,
    s: &Scenario,
    weakest: Option<Evidence>,
) -> serde_json::Value {
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "evidence".into(),
            json::evidence(s, weakest.unwrap_or(Evidence::Inferred)),
        );
    }
    v
}

pub fn limits(input: &Input) -> Limits {
    input.budget.apply(Limits {
        max_states: input.max_states,
        max_acceptable: input.max_acceptable,
        ..input.files.apply(Limits::default())
    })
}

/// Compile the scenario [`scenario`] returned (`--without` already applied).
pub fn compile(s: &Scenario, _input: &Input, limits: &Limits) -> Result<CompiledScenario> {
    CompiledScenario::new(s, limits)
}

fn engine(e: EngineArg) -> Engine {
    match e {
        EngineArg::Auto => Engine::Auto,
        EngineArg::Brute => Engine::BruteForce,
        EngineArg::Bnb => Engine::BranchAndBound,
    }
}

pub fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The library's one way in on the scenario [`scenario`] returned, marked with the
/// evidence admitted (its JSON documents say which).
pub fn analysis(input: &Input) -> Result<Analysis> {
    let s = scenario(input)?;
    let limits = limits(input);
    match input.evidence {
        // Already admitted (a timeline grades its changes); admitting again only marks it.
        Some(g) => Analysis::admitting(s, g, limits),
        None => Analysis::new(s, limits),
    }
}

/// The report's text, or its JSON document pretty-printed.
pub fn render(input: &Input, finding: &impl Report) -> String {
    if input.json {
        pretty(&finding.json())
    } else {
        finding.text()
    }
}

pub fn zones(input: &Input, e: EngineArg, csv: bool) -> Result<String> {
    let found = analysis(input)?.zone_search(engine(e))?;
    if csv {
        let a = found.analysis();
        return crate::stream(|out| {
            dealzone::report::csv::zone_states(out, a.scenario(), a.compiled(), found.value())
        });
    }
    Ok(render(input, &found))
}

/// The position (among parties with a utility) of the party named for an axis.
pub fn party_axis(c: &CompiledScenario, name: Option<&str>, default: usize) -> Result<usize> {
    let names: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    match name {
        None => Ok(default),
        Some(n) => names
            .iter()
            .position(|m| *m == n)
            .ok_or_else(|| Error::UnknownParty {
                name: n.to_string(),
                help: dealzone::nearest(n, names.iter().copied())
                    .map(|m| format!("did you mean `{m}`?")),
            }),
    }
}

pub fn explain(input: &Input, max_checks: u64) -> Result<String> {
    let budget = ExplainLimits {
        max_checks,
        ..ExplainLimits::default()
    };
    Ok(render(input, &analysis(input)?.explain(&budget)?))
}

pub fn path(input: &Input, cost: CostArg, dot: Option<&Path>, cap: usize) -> Result<String> {
    let model = match cost {
        CostArg::Total => CostModel::TotalConcession,
        CostArg::Steps => CostModel::FewestSteps,
        CostArg::Fair => CostModel::Fairest,
    };
    let options = PathOptions {
        model,
        blocking_cap: cap,
    };
    // The library's one way in: zones then paths under one budget.
    let found = analysis(input)?.paths(&options)?;
    if let Some(file) = dot {
        let a = found.analysis();
        let graph =
            dealzone::report::dot::neighbourhood(a.scenario(), a.compiled(), &found.value().paths);
        std::fs::write(file, graph).map_err(|source| Error::Write {
            path: file.to_path_buf(),
            source,
        })?;
    }
    Ok(render(input, &found))
}
