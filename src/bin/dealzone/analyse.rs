//! `dealzone zones` and `dealzone path`.

use std::path::Path;

use dealzone::analysis::explain::{self, ExplainLimits};
use dealzone::analysis::path::{CostModel, paths};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::io::{Document, load_document};
use dealzone::report::{json, text};
use dealzone::space::CompiledScenario;
use dealzone::{Error, Limits, Result, Scenario};

use crate::{CostArg, EngineArg, Input};

/// The scenario a command analyses: the file itself, or a timeline's snapshot.
pub fn scenario(input: &Input) -> Result<Scenario> {
    match load_document(&input.file)? {
        Document::Scenario(_) if input.at.is_some() => Err(Error::NotATimeline {
            path: input.file.clone(),
        }),
        Document::Scenario(s) => Ok(s),
        Document::Timeline(t) => match input.at {
            Some(d) => t.at(d).cloned(),
            None => Ok(t.latest().clone()),
        },
    }
}

pub fn limits(input: &Input) -> Limits {
    Limits {
        max_states: input.max_states,
        max_acceptable: input.max_acceptable,
        ..Limits::default()
    }
}

pub fn compile(s: &Scenario, input: &Input, limits: &Limits) -> Result<CompiledScenario> {
    let c = CompiledScenario::new(s, limits)?;
    if input.without.is_empty() {
        return Ok(c);
    }
    let names: Vec<&str> = input.without.iter().map(String::as_str).collect();
    c.without(&names)
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

pub fn zones(input: &Input, e: EngineArg) -> Result<String> {
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let z = find_zones_compiled(&c, engine(e), &limits)?;
    Ok(if input.json {
        pretty(&json::zones(&s, &c, &z))
    } else {
        text::zones(&s, &c, &z)
    })
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
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let budget = ExplainLimits {
        max_checks,
        ..ExplainLimits::default()
    };
    let e = explain::explain(&s, &c, &budget, &limits)?;
    Ok(if input.json {
        pretty(&dealzone::report::explain::json(&e))
    } else {
        dealzone::report::explain::text(&s, &e)
    })
}

pub fn path(input: &Input, cost: CostArg, dot: Option<&Path>) -> Result<String> {
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let z = find_zones_compiled(&c, Engine::Auto, &limits)?;
    let model = match cost {
        CostArg::Total => CostModel::TotalConcession,
        CostArg::Steps => CostModel::FewestSteps,
        CostArg::Fair => CostModel::Fairest,
    };
    let p = paths(&c, &z, model, &limits)?;
    if let Some(file) = dot {
        let graph = dealzone::report::dot::neighbourhood(&s, &c, &p);
        std::fs::write(file, graph).map_err(|source| Error::Write {
            path: file.to_path_buf(),
            source,
        })?;
    }
    Ok(if input.json {
        pretty(&json::paths(&s, &c, &p))
    } else {
        text::paths(&s, &c, &z, &p, model)
    })
}
