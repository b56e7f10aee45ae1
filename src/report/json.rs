//! The `--json` documents of CONTRACT.md, built with sorted keys (serde_json's default map
//! is ordered), so the same input always gives the same bytes.

use serde_json::{Map, Value, json};

use crate::analysis::path::ZonePath;
use crate::analysis::zone::{LevelBox, Zones};
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// `{ISSUE: LEVEL}` for a packed state.
pub fn state(s: &Scenario, c: &CompiledScenario, state: StateIndex) -> Value {
    let levels = c.space().decode(state);
    Value::Object(
        s.level_names(&levels)
            .into_iter()
            .map(|(i, l)| (i.to_string(), Value::from(l)))
            .collect(),
    )
}

fn level_box(s: &Scenario, b: &LevelBox) -> Value {
    let mut m = Map::new();
    for (issue, &(lo, hi)) in s.issues().iter().zip(b) {
        m.insert(
            issue.id().to_string(),
            json!([issue.levels()[lo].id(), issue.levels()[hi].id()]),
        );
    }
    Value::Object(m)
}

/// The `evidence` key of every `--json` document: the weakest grade admitted, and the
/// grade and source of every red line and precondition in force, by `party/id`.
///
/// # Example
/// ```
/// use dealzone::{Scenario, model::Evidence};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let v = dealzone::report::json::evidence(&s, Evidence::Inferred);
/// assert_eq!(v["admitted"], "inferred");
/// assert!(v["grades"].as_object().unwrap().values().all(|g| g["evidence"].is_string()));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn evidence(s: &Scenario, admitted: crate::model::Evidence) -> Value {
    let grades: Map<String, Value> = s
        .red_lines()
        .chain(s.preconditions())
        .map(|c| {
            (
                c.name(),
                json!({
                    "kind": c.kind().describe(),
                    "evidence": c.evidence().as_str(),
                    "source": c.source(),
                }),
            )
        })
        .collect();
    json!({ "admitted": admitted.as_str(), "grades": grades })
}

/// `dealzone zones --json`.
pub fn zones(s: &Scenario, c: &CompiledScenario, z: &Zones) -> Value {
    let zones: Vec<Value> = z
        .zones
        .iter()
        .map(|zone| {
            let utility: Map<String, Value> = c
                .utilities()
                .iter()
                .zip(&zone.utility)
                .map(|(u, &(lo, hi))| (u.name().to_string(), json!([round(lo), round(hi)])))
                .collect();
            json!({
                "size": zone.size(),
                "boxes": zone.boxes.iter().map(|b| level_box(s, b)).collect::<Vec<_>>(),
                "utility": utility,
            })
        })
        .collect();
    json!({
        "states": z.states,
        "candidates": z.candidates,
        "acceptable": z.acceptable.len(),
        "zones": zones,
    })
}

/// `dealzone path --json`. A zone that cannot be reached has `"reachable": false`, `"cost":
/// null` (there is no path to cost), no steps, and the preconditions in `blocked_by`.
pub fn paths(s: &Scenario, c: &CompiledScenario, paths: &[ZonePath]) -> Value {
    let names: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    let list: Vec<Value> = paths
        .iter()
        .map(|p| {
            let steps: Vec<Value> = p
                .steps
                .iter()
                .map(|st| {
                    let issue = &s.issues()[st.issue];
                    json!({
                        "issue": issue.id(),
                        "from": issue.levels()[st.from].id(),
                        "to": issue.levels()[st.to].id(),
                        "conceders": st.conceders.iter().map(|&k| names[k]).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "zone": p.zone,
                "reachable": p.reachable,
                "cost": p.cost.map(round),
                "steps": steps,
                "blocked_by": p.blocked_by,
                "end": p.states.last().map(|&e| state(s, c, e)),
            })
        })
        .collect();
    json!({
        "status_quo": state(s, c, c.status_quo()),
        "paths": list,
    })
}

/// Round to 12 decimals: sums of weights times values carry float noise in the last bits
/// that would otherwise show as `0.30000000000000004`.
pub fn round(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}
