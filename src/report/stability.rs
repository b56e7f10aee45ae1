//! `dealzone stability`: the contract's JSON and a readable report, for a `.gmcr` conflict
//! and for a scenario with `controls`.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::analysis::stability::{Concept, Conflict, ScenarioStability, Stability};
use crate::analysis::zone::Zones;
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

fn numbers(v: &[usize]) -> Value {
    Value::from(v.iter().map(|&s| s + 1).collect::<Vec<_>>())
}

/// A further concept computed for a conflict (SIM, limited move): `stable[dm][state]`.
#[derive(Debug, Clone, Copy)]
pub struct Extra<'a> {
    /// Its JSON key (`sim`, `l3`).
    pub key: &'a str,
    /// Its column label (`SIM`, `L3`).
    pub label: &'a str,
    /// Stability per decision maker and state.
    pub stable: &'a [Vec<bool>],
}

/// `dealzone stability --json` for a conflict (states numbered from 1 as GMCR+ does).
/// Each of `extra` adds its key to `equilibria` and `by_dm`.
pub fn conflict_json(c: &Conflict, st: &Stability, extra: &[Extra<'_>]) -> Value {
    let codes = c.codes();
    let states: Vec<Value> = (0..c.state_count())
        .map(|s| {
            json!({
                "number": s + 1,
                "code": codes.map_or(s as u64, |cs| cs[s]),
                "options": c.labels()[s],
            })
        })
        .collect();
    let mut eq = Map::new();
    for k in Concept::ALL {
        eq.insert(k.key().into(), numbers(&st.equilibria(k)));
    }
    for x in extra {
        let all: Vec<usize> = (0..c.state_count())
            .filter(|&s| x.stable.iter().all(|v| v[s]))
            .collect();
        eq.insert(x.key.into(), numbers(&all));
    }
    let mut by_dm = Map::new();
    for (i, dm) in c.dms().iter().enumerate() {
        let mut m = Map::new();
        for k in Concept::ALL {
            m.insert(k.key().into(), numbers(&st.stable_states(k, i)));
        }
        for x in extra {
            let v: Vec<usize> = (0..c.state_count()).filter(|&s| x.stable[i][s]).collect();
            m.insert(x.key.into(), numbers(&v));
        }
        by_dm.insert(dm.name.clone(), Value::Object(m));
    }
    json!({
        "decision_makers": c.dms().iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
        "states": states,
        "equilibria": eq,
        "by_dm": by_dm,
    })
}

/// A readable table for a conflict: every state with the concepts under which it is an
/// equilibrium, then the equilibria and each decision maker's stable states.
pub fn conflict_text(
    title: &str,
    c: &Conflict,
    st: &Stability,
    option_names: &[String],
    extra: &[Extra<'_>],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{title}: {} decision makers, {} feasible states",
        c.dm_count(),
        c.state_count()
    );
    for dm in c.dms() {
        let opts: Vec<&str> = dm
            .options
            .iter()
            .filter_map(|&k| option_names.get(k).map(String::as_str))
            .collect();
        let _ = writeln!(out, "  {}: {}", dm.name, opts.join(", "));
    }
    let width = c.labels().iter().map(String::len).max().unwrap_or(0).max(7);
    let _ = write!(out, "\n{:>5}  {:<width$}", "state", "options");
    for k in Concept::ALL {
        let _ = write!(out, " {:>4}", k.label());
    }
    for x in extra {
        let _ = write!(out, " {:>4}", x.label);
    }
    out.push('\n');
    for s in 0..c.state_count() {
        let _ = write!(out, "{:>5}  {:<width$}", s + 1, c.labels()[s]);
        for k in Concept::ALL {
            let _ = write!(
                out,
                " {:>4}",
                if st.is_equilibrium(k, s) { "E" } else { "" }
            );
        }
        for x in extra {
            let e = x.stable.iter().all(|v| v[s]);
            let _ = write!(out, " {:>4}", if e { "E" } else { "" });
        }
        out.push('\n');
    }
    let list = |v: Vec<usize>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|s| (s + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(out, "\nEquilibria (E: stable for every decision maker)");
    for k in Concept::ALL {
        let _ = writeln!(out, "  {:<5} {}", k.label(), list(st.equilibria(k)));
    }
    for x in extra {
        let all = (0..c.state_count())
            .filter(|&s| x.stable.iter().all(|v| v[s]))
            .collect();
        let _ = writeln!(out, "  {:<5} {}", x.label, list(all));
    }
    let _ = writeln!(out, "\nStable states by decision maker");
    for (i, dm) in c.dms().iter().enumerate() {
        let _ = writeln!(out, "  {}", dm.name);
        for k in Concept::ALL {
            let _ = writeln!(out, "    {:<5} {}", k.label(), list(st.stable_states(k, i)));
        }
        for x in extra {
            let v = (0..c.state_count()).filter(|&s| x.stable[i][s]).collect();
            let _ = writeln!(out, "    {:<5} {}", x.label, list(v));
        }
    }
    out
}

fn scenario_state(s: &Scenario, c: &CompiledScenario, x: StateIndex) -> Value {
    super::json::state(s, c, x)
}

/// Which listing a scenario report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Every feasible state.
    All,
    /// The acceptable states (the deal zones).
    Zone,
}

/// The level changes between two states: `{ISSUE: [FROM, TO]}`.
fn changes(s: &Scenario, c: &CompiledScenario, from: StateIndex, to: StateIndex) -> Value {
    let mut m = Map::new();
    for (i, issue) in s.issues().iter().enumerate() {
        let (a, b) = (c.space().level(from, i), c.space().level(to, i));
        if a != b {
            m.insert(
                issue.id().to_string(),
                json!([issue.levels()[a].id(), issue.levels()[b].id()]),
            );
        }
    }
    Value::Object(m)
}

/// `dealzone stability --json` for a scenario: the contract's keys (`states` with
/// `number`, `code`, `state`; `equilibria`; `by_dm`), plus `decision_makers` (each with the
/// issues it controls), `feasibility`, `feasible`, `listing`, `zones` (for `--states
/// zone`: each zone's state numbers and equilibria) and `unravel` (for each listed state
/// that is not an equilibrium under every concept, the unsanctioned move under the most
/// concepts).
pub fn scenario_json(
    s: &Scenario,
    c: &CompiledScenario,
    st: &ScenarioStability,
    listing: Listing,
    zones: Option<&Zones>,
) -> Value {
    let states: Vec<Value> = st
        .states
        .iter()
        .map(|x| json!({"number": x.number, "code": x.index, "state": scenario_state(s, c, x.index)}))
        .collect();
    let eq_of = |filter: &dyn Fn(StateIndex) -> bool| {
        let mut m = Map::new();
        for k in Concept::ALL {
            let v: Vec<u64> = st
                .states
                .iter()
                .filter(|x| filter(x.index) && x.is_equilibrium(k))
                .map(|x| x.number)
                .collect();
            m.insert(k.key().into(), Value::from(v));
        }
        Value::Object(m)
    };
    let mut by_dm = Map::new();
    for (i, dm) in st.dms.iter().enumerate() {
        let mut m = Map::new();
        for k in Concept::ALL {
            let v: Vec<u64> = st
                .states
                .iter()
                .filter(|x| x.stable[i][k as usize])
                .map(|x| x.number)
                .collect();
            m.insert(k.key().into(), Value::from(v));
        }
        by_dm.insert(dm.clone(), Value::Object(m));
    }
    let number_of = |x: StateIndex| -> Value {
        st.states
            .binary_search_by_key(&x, |y| y.index)
            .map_or(Value::Null, |k| Value::from(st.states[k].number))
    };
    let unravel: Vec<Value> = st
        .states
        .iter()
        .filter_map(|x| {
            let u = x.unravel.as_ref()?;
            Some(json!({
                "number": x.number,
                "dm": st.dms[u.dm],
                "to": {"code": u.to, "listed_number": number_of(u.to), "state": scenario_state(s, c, u.to)},
                "changes": changes(s, c, x.index, u.to),
                "unsanctioned": u.concepts.iter().map(|k| k.key()).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let dms: Vec<Value> = st
        .dms
        .iter()
        .zip(&st.controls)
        .map(|(d, is)| {
            json!({"name": d, "controls": is.iter().map(|&i| s.issues()[i].id()).collect::<Vec<_>>()})
        })
        .collect();
    let mut out = json!({
        "decision_makers": dms,
        "feasibility": match st.feasibility {
            crate::analysis::stability::Feasibility::All => "all",
            crate::analysis::stability::Feasibility::Candidates => "candidates",
        },
        "feasible": st.feasible,
        "listing": match listing { Listing::All => "all", Listing::Zone => "zone" },
        "states": states,
        "equilibria": eq_of(&|_| true),
        "by_dm": by_dm,
        "unravel": unravel,
    });
    if let (Some(z), Value::Object(m)) = (zones, &mut out) {
        let list: Vec<Value> = z
            .zones
            .iter()
            .map(|zone| {
                let nums: Vec<Value> = zone.states.iter().map(|&x| number_of(x)).collect();
                json!({"size": zone.size(), "states": nums, "equilibria": eq_of(&|x| zone.contains(x))})
            })
            .collect();
        m.insert("zones".into(), Value::from(list));
    }
    out
}

/// A readable report for a scenario: decision makers and what they control, then per zone
/// (or for all listed states) the equilibria and, for the other states, the move that
/// unravels them.
pub fn scenario_text(
    s: &Scenario,
    c: &CompiledScenario,
    st: &ScenarioStability,
    listing: Listing,
    zones: Option<&Zones>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}: stability of {} {} states ({} feasible, feasibility: {})",
        s.name(),
        s.date().map_or(String::new(), |d| format!(" ({d})")),
        st.states.len(),
        match listing {
            Listing::All => "listed",
            Listing::Zone => "acceptable",
        },
        st.feasible,
        match st.feasibility {
            crate::analysis::stability::Feasibility::All => "every state",
            crate::analysis::stability::Feasibility::Candidates => "states meeting every red line",
        }
    );
    let _ = writeln!(
        out,
        "Decision makers (a move sets any of their issues to any levels):"
    );
    for (d, is) in st.dms.iter().zip(&st.controls) {
        let names: Vec<&str> = is.iter().map(|&i| s.issues()[i].id()).collect();
        let _ = writeln!(out, "  {d}: {}", names.join(", "));
    }
    let summary = |out: &mut String, filter: &dyn Fn(StateIndex) -> bool| {
        let listed: Vec<_> = st.states.iter().filter(|x| filter(x.index)).collect();
        for k in Concept::ALL {
            let n = listed.iter().filter(|x| x.is_equilibrium(k)).count();
            let _ = writeln!(
                out,
                "    {:<5} {n} of {} states are equilibria",
                k.label(),
                listed.len()
            );
        }
        // The unravelling moves, grouped: who moves which issues, under which concepts.
        let mut groups: std::collections::BTreeMap<(String, String, String), usize> =
            Default::default();
        for x in &listed {
            let Some(u) = &x.unravel else { continue };
            let ch: Vec<String> = s
                .issues()
                .iter()
                .enumerate()
                .filter(|&(i, _)| c.space().level(x.index, i) != c.space().level(u.to, i))
                .map(|(i, issue)| {
                    format!(
                        "{} {} -> {}",
                        issue.id(),
                        issue.levels()[c.space().level(x.index, i)].id(),
                        issue.levels()[c.space().level(u.to, i)].id()
                    )
                })
                .collect();
            let ks: Vec<&str> = u.concepts.iter().map(|k| k.label()).collect();
            *groups
                .entry((st.dms[u.dm].clone(), ch.join(", "), ks.join(" ")))
                .or_default() += 1;
        }
        if !groups.is_empty() {
            let _ = writeln!(
                out,
                "    unravelling moves (states: who moves what; unsanctioned under):"
            );
            for ((dm, ch, ks), n) in groups {
                let _ = writeln!(out, "      {n:>6}: {dm} moves {ch}; {ks}");
            }
        }
        let eq: Vec<_> = listed
            .iter()
            .filter(|x| x.is_equilibrium(Concept::Seq) || x.is_equilibrium(Concept::Gmr))
            .take(10)
            .collect();
        if !eq.is_empty() {
            let _ = writeln!(out, "    equilibria (first {}; concepts):", eq.len());
            for x in eq {
                let ks: Vec<&str> = Concept::ALL
                    .iter()
                    .filter(|&&k| x.is_equilibrium(k))
                    .map(|k| k.label())
                    .collect();
                let levels = c.space().decode(x.index);
                let names: Vec<String> = s
                    .level_names(&levels)
                    .into_iter()
                    .map(|(i, l)| format!("{i}={l}"))
                    .collect();
                let _ = writeln!(
                    out,
                    "      #{} [{}] {}",
                    x.number,
                    ks.join(" "),
                    names.join(" ")
                );
            }
        }
    };
    match zones {
        Some(z) if listing == Listing::Zone => {
            if z.zones.is_empty() {
                let _ = writeln!(
                    out,
                    "\nNo deal zone: no state is acceptable to every party."
                );
            }
            for (k, zone) in z.zones.iter().enumerate() {
                let _ = writeln!(out, "\nZone {k} ({} states)", zone.size());
                summary(&mut out, &|x| zone.contains(x));
            }
        }
        _ => {
            let _ = writeln!(out, "\nAll listed states");
            summary(&mut out, &|_| true);
        }
    }
    out
}
