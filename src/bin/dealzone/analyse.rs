//! `dealzone zones` and `dealzone path`.

use std::path::Path;

use dealzone::analysis::explain::{self, ExplainLimits};
use dealzone::analysis::path::{CostModel, paths};
use dealzone::analysis::timeline_report::{ReportOptions, report};
use dealzone::analysis::zone::{Engine, find_zones_compiled};

use dealzone::io::{Document, load_document_with};
use dealzone::model::Evidence;
use dealzone::report::{json, text};
use dealzone::space::CompiledScenario;
use dealzone::{Error, Limits, Result, Scenario};

use crate::{CostArg, EngineArg, Input};

/// The scenario a command analyses: the file itself, or a timeline's snapshot.
pub fn scenario(input: &Input) -> Result<Scenario> {
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
    Limits {
        max_states: input.max_states,
        max_acceptable: input.max_acceptable,
        ..input.files.apply(Limits::default())
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
        pretty(&graded(json::zones(&s, &c, &z), &s, input.evidence))
    } else {
        text::zones(&s, &c, &z)
    })
}

pub fn timeline(
    file: &Path,
    as_json: bool,
    evidence: Option<Evidence>,
    samples: usize,
    seed: u64,
    svg: Option<&Path>,
    axes: (Option<&str>, Option<&str>),
    files: &crate::files::FileAccess,
) -> Result<String> {
    let limits = files.apply(Limits::default());
    let t = match load_document_with(file, &limits)? {
        Document::Timeline(t) => t,
        Document::Scenario(s) => dealzone::Timeline::single(s)?,
    };
    let t = match evidence {
        Some(g) => t.admit(g),
        None => t,
    };
    let options = ReportOptions {
        samples,
        seed,
        ..ReportOptions::default()
    };
    let r = report(&t, &options, &limits)?;
    if let (Some(file), Some(last)) = (svg, r.snapshots.last()) {
        let s = t.latest();
        let mut c = CompiledScenario::new(s, &limits)?;
        let mut path = last.deal.as_ref().map(|d| d.path.clone());
        if let Some(w) = &last.what_if {
            // No deal as things stand: picture the cheapest relaxation granted.
            let names: Vec<&str> = w.dropped.iter().map(String::as_str).collect();
            c = dealzone::analysis::timeline_report::relax(&c, &names)?;
            path = w.deal.as_ref().map(|d| d.path.clone());
        }
        let b = dealzone::analysis::bargain::bargain_compiled(&c, &limits)?;
        let (px, py) = (party_axis(&c, axes.0, 0)?, party_axis(&c, axes.1, 1)?);
        let picture = dealzone::report::svg::utility_plot(s, &c, &b, px, py, path.as_ref())?;
        std::fs::write(file, picture).map_err(|source| Error::Write {
            path: file.to_path_buf(),
            source,
        })?;
    }
    Ok(if as_json {
        let mut v = dealzone::report::timeline::json(&t, &r, &limits)?;
        if let Some(m) = v.as_object_mut() {
            let admitted = evidence.unwrap_or(Evidence::Inferred);
            m.insert(
                "evidence".into(),
                serde_json::json!({ "admitted": admitted.as_str() }),
            );
        }
        pretty(&v)
    } else {
        dealzone::report::timeline::text(&t, &r, &limits)?
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
        pretty(&graded(
            dealzone::report::explain::json(&e),
            &s,
            input.evidence,
        ))
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
        pretty(&graded(json::paths(&s, &c, &p), &s, input.evidence))
    } else {
        text::paths(&s, &c, &z, &p, model)
    })
}
