//! `dealzone bargain --json`: the Pareto frontier and the bargaining solutions.

use serde_json::{Value, json};

use super::json::{round, state};
use crate::analysis::bargain::{Bargain, Solution};
use crate::model::Scenario;
use crate::space::CompiledScenario;

fn utilities(u: &[f64]) -> Vec<f64> {
    u.iter().map(|&x| round(x)).collect()
}

/// One solution as `{"outcome": {ISSUE: LEVEL}, "utilities": [..], KEY: value}`, or null.
fn solution(s: &Scenario, c: &CompiledScenario, sol: Option<&Solution>, key: &str) -> Value {
    match sol {
        None => Value::Null,
        Some(sol) => json!({
            "outcome": state(s, c, sol.state),
            "utilities": utilities(&sol.utilities),
            key: round(sol.value),
        }),
    }
}

/// `dealzone bargain --json` (CONTRACT.md):
///
/// ```text
/// {"outcomes": n, "parties": [..], "zone_size": n,
///  "pareto": {"count": n, "count_rational": n, "outcomes": [{ISSUE: LEVEL}..], "utilities": [[..]..]},
///  "nash": {"outcome": {ISSUE: LEVEL}, "utilities": [..], "product": x} or null,
///  "kalai_smorodinsky": {"outcome": .., "utilities": .., "ratio": x} or null,
///  "genius_kalai": {"outcome": .., "utilities": .., "asymmetry": x} or null,
///  "egalitarian": {"outcome": .., "utilities": .., "min_gain": x} or null,
///  "max_welfare": {"outcome": .., "utilities": .., "welfare": x} or null}
/// ```
///
/// `outcomes` is the number of states in the space; `parties` the parties with a utility,
/// in file order, which is also the order of every `utilities` list. The frontier's
/// outcomes are in enumeration order, `pareto.utilities[k]` belonging to
/// `pareto.outcomes[k]`. Numbers are rounded to 12 decimals ([`round`]).
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let v = dealzone::report::bargain_json::bargain(&s, &c, &b);
/// assert_eq!(v["parties"], serde_json::json!(["union", "employer"]));
/// assert_eq!(v["nash"]["outcome"]["wage"], "plus3");
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn bargain(s: &Scenario, c: &CompiledScenario, b: &Bargain) -> Value {
    let cands = &b.candidates;
    let parties: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    json!({
        "outcomes": c.space().size(),
        "parties": parties,
        "zone_size": b.zone_size,
        "pareto": {
            "count": b.pareto.len(),
            "count_rational": b.count_rational,
            "outcomes": b.pareto.iter().map(|&k| state(s, c, cands.state(k))).collect::<Vec<_>>(),
            "utilities": b.pareto.iter().map(|&k| utilities(cands.utilities(k))).collect::<Vec<_>>(),
        },
        "nash": solution(s, c, b.nash.as_ref(), "product"),
        "kalai_smorodinsky": solution(s, c, b.kalai_smorodinsky.as_ref(), "ratio"),
        "genius_kalai": solution(s, c, b.genius_kalai.as_ref(), "asymmetry"),
        "egalitarian": solution(s, c, b.egalitarian.as_ref(), "min_gain"),
        "max_welfare": solution(s, c, b.max_welfare.as_ref(), "welfare"),
    })
}
