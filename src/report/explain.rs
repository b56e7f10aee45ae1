//! The explanation reporter: one proof value, rendered as text or JSON.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::analysis::explain::{Explanation, Item};
use crate::model::Scenario;

/// `dealzone explain --json`: the contract's keys plus `first_conflict` and `softenings`.
pub fn json(e: &Explanation) -> Value {
    let softenings: Vec<Value> = e
        .softenings
        .iter()
        .map(|s| {
            json!({
                "constraint": s.name,
                "from": s.from,
                "to": s.to,
                "rungs": s.rungs,
                "acceptable": s.acceptable,
                "ideal": s.ideal.map(super::json::round),
                "best": s.best.map(super::json::round),
                "cost": s.cost().map(super::json::round),
            })
        })
        .collect();
    json!({
        "acceptable": e.acceptable,
        "conflicts": e.conflicts,
        "relaxations": e.relaxations,
        "complete": e.complete,
        "first_conflict": e.first_conflict,
        "softenings": softenings,
    })
}

fn item<'e>(e: &'e Explanation, name: &str) -> Option<&'e Item> {
    e.items.iter().find(|i| i.name == name)
}

/// One constraint as a proof line: name, rule, and where it comes from.
fn cite(e: &Explanation, name: &str) -> String {
    let Some(it) = item(e, name) else {
        return name.to_string();
    };
    let mut s = format!("{} ({})", it.name, it.text);
    let mut whence = Vec::new();
    if let Some(o) = &it.origin {
        whence.push(o.to_string());
    }
    if let Some(src) = &it.source {
        whence.push(format!("source: {src}"));
    }
    if !whence.is_empty() {
        let _ = write!(s, "\n      {}", whence.join("; "));
    }
    s
}

/// The explanation as text, in the manner of pubgrub's reports: the first conflict as a
/// short proof, then every conflict, every relaxation and the softenings.
pub fn text(s: &Scenario, e: &Explanation) -> String {
    let mut o = String::new();
    let title = match s.date() {
        Some(d) => format!("{} ({d})", s.name()),
        None => s.name().to_string(),
    };
    let _ = writeln!(o, "{title}");
    if e.acceptable > 0 {
        let _ = writeln!(
            o,
            "A deal exists: {} acceptable states. Nothing to explain.",
            e.acceptable
        );
        return o;
    }
    let _ = writeln!(
        o,
        "No deal: no state meets every red line and reservation.\n"
    );
    let n = e.first_conflict.len();
    for (k, name) in e.first_conflict.iter().enumerate() {
        let lead = match (k, n) {
            (0, 1) => "Because",
            (0, _) => "Because",
            _ => "and",
        };
        let _ = writeln!(o, "{lead} {}", cite(e, name));
    }
    let _ = writeln!(
        o,
        "{} there is no deal.\n",
        if n == 1 {
            "cannot hold,"
        } else if n == 2 {
            "cannot both hold,"
        } else {
            "cannot all hold,"
        }
    );
    let _ = writeln!(o, "Minimal conflicts (sets that cannot hold together):");
    for (k, c) in e.conflicts.iter().enumerate() {
        let _ = writeln!(o, "  {:>2}. {}", k + 1, c.join(" + "));
    }
    let mut relax = e.relaxations.clone();
    relax.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    let _ = writeln!(
        o,
        "\nLeast that must give (minimal relaxations, smallest first):"
    );
    for r in &relax {
        let _ = writeln!(o, "   - drop {}", r.join(" + "));
    }
    if !e.complete {
        let _ = writeln!(
            o,
            "\n(The enumeration hit its budget: the lists above may be incomplete.)"
        );
    }
    if e.softenings.is_empty() {
        let _ = writeln!(o, "\nNo single red line opens a zone by moving one bound.");
    } else {
        let _ = writeln!(
            o,
            "\nSoftenings (one bound of one red line moved, fewest rungs first):"
        );
        for sf in &e.softenings {
            let _ = writeln!(
                o,
                "   - {}: {} rung{}, opens {} acceptable state{}",
                sf.name,
                sf.rungs,
                if sf.rungs == 1 { "" } else { "s" },
                sf.acceptable,
                if sf.acceptable == 1 { "" } else { "s" }
            );
            let _ = writeln!(o, "       {}  ->  {}", sf.from, sf.to);
            let party = sf.name.split('/').next().unwrap_or("");
            if let (Some(c), Some(i), Some(b)) = (sf.cost(), sf.ideal, sf.best) {
                let _ = writeln!(
                    o,
                    "       {party}'s best falls from {i:.3} to {b:.3} (cost {c:.3})"
                );
            }
        }
    }
    o
}
