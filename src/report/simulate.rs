//! `dealzone simulate`: the contract's JSON summary, a readable report, and one run's trace
//! as JSON. Keys are sorted (serde_json's default map), numbers rounded to 12 decimals, so
//! the same batch always prints the same bytes.

use serde_json::{Map, Value, json};

use super::json::round;
use crate::sim::Summary;
use crate::sim::protocol::RunResult;
use crate::sim::summary::describe_changes;
use crate::sim::trace::{End, InForce, Step, Trace};
use crate::sim::world::{Protocol, World};
use crate::space::StateIndex;

/// `{ISSUE: LEVEL}`.
fn state(w: &World, s: StateIndex) -> Value {
    Value::Object(
        w.state_names(s)
            .into_iter()
            .map(|(i, l)| (i.to_string(), Value::from(l)))
            .collect(),
    )
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(round(v)))
}

/// Who opens under alternating offers, as the reports name it: `(party or null, how chosen:
/// "file order", "named" or "turn order drawn per run")`; `(null, null)` under mediation.
fn opener(w: &World) -> (Value, Value) {
    use crate::model::simulation::Opener;
    match (w.protocol, w.opener) {
        (Protocol::Mediation { .. }, _) => (Value::Null, Value::Null),
        (_, Opener::First) => (
            Value::from(w.parties[0].name.clone()),
            Value::from("file order"),
        ),
        (_, Opener::Party(p)) => (Value::from(w.parties[p].name.clone()), Value::from("named")),
        (_, Opener::Random) => (Value::Null, Value::from("turn order drawn per run")),
    }
}

fn protocol(w: &World) -> (&'static str, Value) {
    match w.protocol {
        Protocol::Alternating => ("alternating", Value::Null),
        Protocol::Mediation { mediator } => {
            ("mediation", Value::from(w.parties[mediator].name.clone()))
        }
    }
}

/// The `--json` summary: the contract's keys and more.
///
/// # Arguments
/// The world the batch ran in and its summary.
///
/// # Returns
/// `{"runs", "seed", "agreements", "agreement_rate", "outcomes", "mean_rounds", …}`.
///
/// # Complexity
/// O(outcomes · issues).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let runs = dealzone::sim::monte_carlo::run_many(&w, 10, 1, &|| {});
/// let sum = dealzone::sim::summarise(&w, &runs, 1, &Default::default()).unwrap();
/// let v = dealzone::report::simulate::json(&w, &sum);
/// assert_eq!(v["runs"], 10);
/// ```
pub fn json(w: &World, s: &Summary) -> Value {
    let (proto, mediator) = protocol(w);
    let outcomes: Vec<Value> = s
        .outcomes
        .iter()
        .map(|o| json!({"state": state(w, o.state), "count": o.count}))
        .collect();
    let walk_out: Map<String, Value> = w
        .parties
        .iter()
        .zip(&s.walk_outs)
        .filter(|(_, n)| **n > 0)
        .map(|(p, n)| (p.name.clone(), json!(n)))
        .collect();
    let utility: Map<String, Value> = s
        .utility
        .iter()
        .map(|u| {
            (
                u.party.clone(),
                json!({"mean_agreed": opt(u.mean_agreed), "mean": round(u.mean_all)}),
            )
        })
        .collect();
    let zones: Vec<Value> = s
        .zones
        .iter()
        .map(|z| {
            let changed: Map<String, Value> = z
                .changed
                .iter()
                .map(|(n, r)| (n.clone(), Value::from(r.clone())))
                .collect();
            let res: Map<String, Value> = z
                .reservations
                .iter()
                .map(|(p, r)| (p.clone(), json!(round(*r))))
                .collect();
            json!({"changed": changed, "reservations": res, "zone": z.zone, "size": z.size, "count": z.count})
        })
        .collect();
    let events: Map<String, Value> = w
        .events
        .iter()
        .zip(&s.events)
        .map(|(e, n)| (e.id.clone(), json!(n)))
        .collect();
    let softened: Map<String, Value> = w
        .constraints
        .iter()
        .zip(&s.softened)
        .filter(|(_, n)| **n > 0)
        .map(|(c, n)| (c.name.clone(), json!(n)))
        .collect();
    json!({
        "runs": s.runs,
        "seed": s.seed,
        "agreements": s.agreements,
        "agreement_rate": round(s.agreement_rate),
        "outcomes": outcomes,
        "mean_rounds": round(s.mean_rounds),
        "protocol": proto,
        "mediator": mediator,
        "opener": opener(w).0,
        "opener_rule": opener(w).1,
        "deadline": s.deadline,
        "ends": {"agreement": s.agreements, "deadline": s.deadline_reached, "walk_out": walk_out, "unimplementable": s.unimplementable},
        "unimplementable": s.unimplementable,
        "utility": utility,
        "distance": {"frontier": opt(s.distance_frontier), "nash": opt(s.distance_nash)},
        "zones": zones,
        "unanalysed": s.unanalysed,
        "notes": s.notes,
        "events": events,
        "softened_at_agreement": softened,
        "complete": s.complete,
        "runs_requested": s.runs_requested,
    })
}

/// A readable report of the summary.
///
/// # Arguments
/// As [`json()`].
///
/// # Returns
/// Text ending in a newline.
///
/// # Complexity
/// O(outcomes shown · issues).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let runs = dealzone::sim::monte_carlo::run_many(&w, 10, 1, &|| {});
/// let sum = dealzone::sim::summarise(&w, &runs, 1, &Default::default()).unwrap();
/// assert!(dealzone::report::simulate::text(&w, &sum).contains("agreements"));
/// ```
pub fn text(w: &World, s: &Summary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (proto, mediator) = protocol(w);
    let opens = match opener(w) {
        (Value::String(p), Value::String(rule)) => format!(" opened by {p} ({rule})"),
        (_, Value::String(rule)) => format!(", {rule}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{} runs (seed {}), {}{}{}, deadline {} rounds",
        s.runs,
        s.seed,
        proto,
        mediator
            .as_str()
            .map_or(String::new(), |m| format!(" by {m}")),
        opens,
        s.deadline
    );
    if !s.complete {
        let _ = writeln!(
            out,
            "incomplete: the time limit stopped the batch after {} of {} runs (runs 0..{}: \
             the figures are those of a batch of {} runs)",
            s.runs, s.runs_requested, s.runs, s.runs
        );
    }
    let _ = writeln!(
        out,
        "agreements: {} ({:.1}%), mean rounds {:.2}, deadline reached {}",
        s.agreements,
        100.0 * s.agreement_rate,
        s.mean_rounds,
        s.deadline_reached
    );
    if s.unimplementable > 0 {
        let _ = writeln!(
            out,
            "  unimplementable agreements (no precondition-respecting path from the status quo, not deals): {}",
            s.unimplementable
        );
    }
    for (p, n) in w.parties.iter().zip(&s.walk_outs) {
        if *n > 0 {
            let _ = writeln!(out, "  {} walked out in {} runs", p.name, n);
        }
    }
    for (e, n) in w.events.iter().zip(&s.events) {
        let _ = writeln!(out, "  event {} fired in {} runs", e.id, n);
    }
    if !s.outcomes.is_empty() {
        let _ = writeln!(out, "most frequent deals:");
        for o in s.outcomes.iter().take(5) {
            let names: Vec<String> = w
                .state_names(o.state)
                .into_iter()
                .map(|(i, l)| format!("{i}={l}"))
                .collect();
            let _ = writeln!(out, "  {:>6} x {}", o.count, names.join(", "));
        }
    }
    let _ = writeln!(out, "mean utility (agreed / all runs):");
    for u in &s.utility {
        let agreed = u.mean_agreed.map_or("-".to_string(), |x| format!("{x:.3}"));
        let _ = writeln!(out, "  {:<20} {:>6} / {:.3}", u.party, agreed, u.mean_all);
    }
    if s.agreements > 0 {
        let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.4}"));
        let _ = writeln!(
            out,
            "mean distance to the Pareto frontier {}, to the Nash point {}",
            f(s.distance_frontier),
            f(s.distance_nash)
        );
    }
    for note in &s.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    for (c, n) in w.constraints.iter().zip(&s.softened) {
        if *n > 0 {
            let _ = writeln!(out, "  {} softened at {} agreements", c.name, n);
        }
    }
    for z in s.zones.iter().take(5) {
        let changed: Vec<String> = z
            .changed
            .iter()
            .map(|(n, r)| format!("{n}: {r}"))
            .chain(
                z.reservations
                    .iter()
                    .map(|(p, r)| format!("{p}/reservation: {r:.2}")),
            )
            .collect();
        let _ = writeln!(
            out,
            "  zone {} ({} states) reached {} times{}",
            z.zone,
            z.size,
            z.count,
            if changed.is_empty() {
                String::new()
            } else {
                format!(" with {}", changed.join("; "))
            }
        );
    }
    out
}

fn in_force(w: &World, inf: &InForce) -> Value {
    let constraints = |red_line: bool| -> Vec<Value> {
        w.constraints
            .iter()
            .zip(&inf.variants)
            .filter(|(c, v)| c.red_line == red_line && **v != 1)
            .map(|(c, &v)| {
                json!({"name": c.name, "rule": c.texts[usize::from(v)], "as_written": v == 0})
            })
            .collect()
    };
    let suspended: Vec<Value> = w
        .constraints
        .iter()
        .zip(&inf.variants)
        .filter(|(_, v)| **v == 1)
        .map(|(c, _)| Value::from(c.name.clone()))
        .collect();
    let reservations: Map<String, Value> = w
        .parties
        .iter()
        .zip(&inf.reservations)
        .filter(|(p, _)| p.contrib.is_some())
        .map(|(p, r)| (p.name.clone(), json!(round(*r))))
        .collect();
    json!({
        "red_lines": constraints(true),
        "preconditions": constraints(false),
        "suspended": suspended,
        "reservations": reservations,
        "status_quo": state(w, inf.status_quo),
    })
}

fn utilities(w: &World, s: StateIndex) -> Value {
    Value::Object(
        w.parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contrib.is_some())
            .map(|(k, p)| (p.name.clone(), json!(round(w.utility(k, s)))))
            .collect(),
    )
}

/// One run's trace as JSON: every step, and at the end what was in force.
///
/// # Arguments
/// The world, the master seed, the run number, and the replayed run's result and trace.
///
/// # Returns
/// `{"seed", "run", "protocol", "steps": [...], "end": …, "agreed": {…} or null}`.
///
/// # Complexity
/// O(steps · issues).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let (r, t) = dealzone::sim::monte_carlo::replay(&w, 1, 0);
/// let v = dealzone::report::simulate::trace(&w, 1, 0, &r, &t);
/// assert_eq!(v["run"], 0);
/// ```
pub fn trace(w: &World, seed: u64, run: u64, result: &RunResult, t: &Trace) -> Value {
    let steps: Vec<Value> = t.steps.iter().map(|s| step(w, s)).collect();
    json!({
        "seed": seed,
        "run": run,
        "protocol": protocol(w).0,
        "deadline": w.deadline,
        "rounds": result.rounds,
        "agreed": result.agreed.map_or(Value::Null, |s| state(w, s)),
        "unimplementable": match result.end {
            End::Unimplementable(s) => state(w, s),
            _ => Value::Null,
        },
        "steps": steps,
    })
}

fn step(w: &World, s: &Step) -> Value {
    let party = |p: &usize| w.parties[*p].name.clone();
    match s {
        Step::Event {
            round,
            event,
            status_quo,
        } => {
            let e = &w.events[*event];
            json!({
                "round": round, "step": "event", "event": e.id,
                "status_quo": state(w, *status_quo),
                "reservation": e.reservation.map(|(p, r)| json!({"party": party(&p), "value": r})),
            })
        }
        Step::Rule {
            round,
            party: p,
            rule,
        } => {
            let r = &w.parties[*p].rules[*rule];
            json!({"round": round, "step": "rule", "party": party(p), "rule": r.id, "action": r.text})
        }
        Step::Constraint {
            round,
            constraint,
            variant,
        } => {
            let c = &w.constraints[*constraint];
            let (kind, rule) = match variant {
                0 => ("restore", Value::from(c.texts[0].clone())),
                1 => ("soften", Value::Null),
                v => ("soften", Value::from(c.texts[usize::from(*v)].clone())),
            };
            json!({"round": round, "step": kind, "constraint": c.name, "rule": rule})
        }
        Step::Offer {
            round,
            party: p,
            state: st,
            target,
        } => json!({
            "round": round, "step": "offer", "party": party(p), "state": state(w, *st),
            "utilities": utilities(w, *st), "target": round_f(*target),
        }),
        Step::Accept { round, party: p } => {
            json!({"round": round, "step": "accept", "party": party(p)})
        }
        Step::Reject { round, party: p } => {
            json!({"round": round, "step": "reject", "party": party(p)})
        }
        Step::WalkOut { round, party: p } => {
            json!({"round": round, "step": "walk_out", "party": party(p)})
        }
        Step::Said {
            round,
            party: p,
            message,
        } => {
            json!({"round": round, "step": "message", "party": party(p), "message": message})
        }
        Step::Refused {
            round,
            party: p,
            code,
            reason,
        } => {
            json!({"round": round, "step": "refused", "party": party(p), "code": code, "reason": reason})
        }
        Step::Forfeit {
            round,
            party: p,
            reason,
        } => {
            json!({"round": round, "step": "forfeit", "party": party(p), "reason": reason})
        }
        Step::Implementation {
            round,
            state: st,
            implementable,
            path,
            cost,
            blocked_by,
            note,
        } => {
            let states: Vec<Value> = path.iter().map(|&x| state(w, x)).collect();
            json!({
                "round": round, "step": "implementation", "state": state(w, *st),
                "implementable": implementable, "path": states, "cost": opt(*cost),
                "blocked_by": blocked_by, "note": note,
            })
        }
        Step::End {
            round,
            end,
            state: st,
            in_force: inf,
        } => {
            let (why, who) = match end {
                End::Agreement => ("agreement", Value::Null),
                End::Deadline => ("deadline", Value::Null),
                End::WalkOut(p) => ("walk_out", Value::from(party(p))),
                End::Unimplementable(_) => ("unimplementable", Value::Null),
            };
            json!({
                "round": round, "step": "end", "end": why, "party": who,
                "state": st.map_or(Value::Null, |x| state(w, x)),
                "utilities": st.map_or(Value::Null, |x| utilities(w, x)),
                "in_force": in_force(w, inf),
                "changed": describe_changes(w, &inf.variants).into_iter().map(|(n, r)| json!([n, r])).collect::<Vec<_>>(),
            })
        }
    }
}

fn round_f(x: f64) -> f64 {
    round(x)
}

/// One run with outside agents ([`crate::sim::outside::play`]) as JSON: its [`trace`]
/// (the agents' messages, the referee's refusals and forfeits among the steps) and
/// `outside_agents`: each seated party with its refused lines and forfeits. `seeded` is
/// false: an outside program's answers do not come from the seed.
///
/// # Example
/// See `tests/outside_agent.rs`.
pub fn outside(w: &World, seed: u64, run: u64, r: &crate::sim::outside::OutsideRun) -> Value {
    let mut doc = trace(w, seed, run, &r.result, &r.trace);
    let seated: Vec<&str> = {
        let mut v: Vec<&str> = r.log.iter().map(|e| e.party.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let agents: Vec<Value> = seated
        .iter()
        .map(|name| {
            let p = w.parties.iter().position(|q| q.name == *name);
            let count = |f: &dyn Fn(&Step) -> bool| r.trace.steps.iter().filter(|s| f(s)).count();
            let mine = |q: &usize| Some(*q) == p;
            json!({
                "party": name,
                "refused": count(&|s| matches!(s, Step::Refused { party, .. } if mine(party))),
                "forfeits": r.trace.steps.iter().filter_map(|s| match s {
                    Step::Forfeit { round, party, reason } if mine(party) =>
                        Some(json!({"round": round, "reason": reason})),
                    _ => None,
                }).collect::<Vec<_>>(),
                "messages": count(&|s| matches!(s, Step::Said { party, .. } if mine(party))),
            })
        })
        .collect();
    if let Value::Object(m) = &mut doc {
        m.insert("outside_agents".into(), Value::from(agents));
        m.insert("seeded".into(), Value::from(false));
        m.insert(
            "end".into(),
            Value::from(match r.result.end {
                End::Agreement => "agreement",
                End::Deadline => "deadline",
                End::WalkOut(_) => "walk_out",
                End::Unimplementable(_) => "unimplementable",
            }),
        );
    }
    doc
}

/// One run with outside agents in words: how it ended, the agreement, and each outside
/// agent's refused lines and forfeits.
pub fn outside_text(w: &World, r: &crate::sim::outside::OutsideRun) -> String {
    let mut out = String::from("One run with outside agents (not reproducible from the seed)\n");
    let end = match r.result.end {
        End::Agreement => "agreement".to_string(),
        End::Deadline => "deadline, no agreement".to_string(),
        End::WalkOut(p) => format!("{} walked out", w.parties[p].name),
        End::Unimplementable(_) => "agreed on an unimplementable state: not a deal".to_string(),
    };
    out.push_str(&format!("Ended: {end} after {} rounds\n", r.result.rounds));
    if let Some(s) = r.result.agreed {
        let names: Vec<String> = w
            .state_names(s)
            .iter()
            .map(|(i, l)| format!("{i}={l}"))
            .collect();
        out.push_str(&format!("Agreed: {}\n", names.join(", ")));
    }
    for s in &r.trace.steps {
        match s {
            Step::Refused {
                round,
                party,
                code,
                reason,
            } => out.push_str(&format!(
                "  round {round}: refused a line from {} ({code}): {reason}\n",
                w.parties[*party].name
            )),
            Step::Forfeit {
                round,
                party,
                reason,
            } => out.push_str(&format!(
                "  round {round}: {} forfeits ({reason})\n",
                w.parties[*party].name
            )),
            Step::Said {
                round,
                party,
                message,
            } => out.push_str(&format!(
                "  round {round}: {} says: {message}\n",
                w.parties[*party].name
            )),
            _ => {}
        }
    }
    out
}
