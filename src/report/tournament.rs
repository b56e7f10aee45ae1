//! A tournament's scores as text or JSON ([`crate::sim::tournament`]).

use std::path::Path;

use serde_json::{Value, json as j};

use crate::sim::tournament::{Played, Score, Scores, Spread};

fn cell(s: Option<Spread>) -> String {
    s.map_or_else(|| "-".into(), |s| format!("{:.3} ± {:.3}", s.mean, s.sd))
}

fn lines(out: &mut String, title: &str, scores: &[Score], utility: bool) {
    let w = scores
        .iter()
        .map(|s| s.name.chars().count())
        .chain([title.len()])
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "\n{title:<w$} {:>7} {:>7} {:>6} {:>17} {:>17} {:>17} {:>17}\n",
        "matches",
        "agreed",
        "rate",
        if utility { "utility" } else { "" },
        "welfare",
        "to Pareto",
        "to Nash"
    ));
    for s in scores {
        out.push_str(&format!(
            "{:<w$} {:>7} {:>7} {:>6} {:>17} {:>17} {:>17} {:>17}\n",
            s.name,
            s.matches,
            s.agreements,
            s.agreement_rate
                .map_or_else(|| "-".into(), |r| format!("{:.0}%", 100.0 * r)),
            if utility {
                cell(s.utility)
            } else {
                String::new()
            },
            cell(s.welfare),
            cell(s.pareto_distance),
            cell(s.nash_distance),
        ));
        if s.failures > 0 {
            out.push_str(&format!("  ({} ended by a budget)\n", s.failures));
        }
    }
}

/// The readable report: per tactic, then per scenario (the spec's orders), mean ± standard
/// deviation; `results` is where the rows are.
pub fn text(s: &Scores, played: &Played, results: &Path) -> String {
    let mut out = format!(
        "Tournament: {} of {} matches{}; rows in {}\n",
        played.matches,
        played.requested,
        if played.complete {
            ""
        } else {
            " (incomplete: the time limit stopped it; --resume continues)"
        },
        results.display()
    );
    lines(&mut out, "tactic", &s.by_tactic, true);
    lines(&mut out, "scenario", &s.by_scenario, false);
    out
}

/// The JSON document: `matches`, `requested`, `complete`, `by_tactic`, `by_scenario`.
pub fn json(s: &Scores, played: &Played) -> Value {
    j!({
        "matches": played.matches,
        "requested": played.requested,
        "complete": played.complete,
        "by_tactic": s.by_tactic,
        "by_scenario": s.by_scenario,
    })
}
