//! `bargain --json` streamed (#14 item 4): the bytes equal the document built as a value,
//! on the seeds and on synthetic scenarios with large frontiers, with any extra keys.

use dealzone::analysis::bargain::bargain_compiled;
use dealzone::report::bargain_json;
use dealzone::space::CompiledScenario;
use dealzone::synthetic::{Regime, Synthetic};
use dealzone::{Limits, Scenario};
use serde_json::{Value, json};

fn same_bytes(s: &Scenario, extra: serde_json::Map<String, Value>) -> usize {
    let c = CompiledScenario::new(s, &Limits::default()).unwrap();
    let b = bargain_compiled(&c, &Limits::default()).unwrap();
    let mut v = bargain_json::bargain(s, &c, &b);
    v.as_object_mut().unwrap().extend(extra.clone());
    let whole = serde_json::to_string_pretty(&v).unwrap() + "\n";
    let mut out = Vec::new();
    bargain_json::write(&mut out, s, &c, &b, extra).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), whole);
    b.pareto.len()
}

#[test]
fn streamed_bargain_json_equals_the_value_document() {
    let mut scenarios: Vec<Scenario> = ["seeds/wage_round.toml", "seeds/supplier_contract.toml"]
        .iter()
        .map(|f| Scenario::load(f).unwrap())
        .collect();
    scenarios.push(
        dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")
            .unwrap()
            .latest()
            .clone(),
    );
    let mut widest = 0;
    for seed in 0..4 {
        // Few red lines and two parties: many candidates, a long frontier.
        let mut g = Synthetic::new(5, 8, Regime::Reservations, seed).with_red_lines(2, 1_000.0);
        g.parties = 2 + seed as usize % 2;
        scenarios.push(g.scenario().unwrap());
    }
    let extras = [
        serde_json::Map::new(),
        json!({"evidence": {"admitted": "inferred"}, "aaa": 1, "zzz": [1.5, -0.0]})
            .as_object()
            .unwrap()
            .clone(),
        json!({"pareto": null}).as_object().unwrap().clone(),
    ];
    for s in &scenarios {
        for extra in &extras {
            widest = widest.max(same_bytes(s, extra.clone()));
        }
    }
    assert!(
        widest >= 20,
        "the synthetic frontiers are too short to test: {widest}"
    );
}
