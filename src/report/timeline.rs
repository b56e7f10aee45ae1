//! The timeline report as text (80 columns) and as the contract's JSON.

use std::fmt::Write;

use serde_json::{Value, json};

use super::json::{round, state};
use crate::analysis::timeline_report::{
    Deal, LEAST_ORDER, SnapshotReport, TimelineReport, WhatIf, party_of,
};
use crate::config::Limits;
use crate::error::Result;
use crate::model::{ChangeOp, ConstraintKind, Date, Scenario, Timeline};
use crate::space::CompiledScenario;

/// Width the text report keeps to.
pub const WIDTH: usize = 80;

fn wrap_into(o: &mut String, first: &str, rest: &str, text: &str) {
    let mut line = first.to_string();
    let mut fresh = true;
    for word in text.split(' ') {
        if !fresh && line.chars().count() + 1 + word.chars().count() > WIDTH {
            o.push_str(line.trim_end());
            o.push('\n');
            line = rest.to_string();
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    o.push_str(line.trim_end());
    o.push('\n');
}

/// A robustness rate for JSON: `null` when no sample was drawn.
fn rate(x: f64, samples: usize) -> Value {
    if samples == 0 {
        Value::Null
    } else {
        json!(round(x))
    }
}

/// `n` of `of` samples as a percentage. With no sample (`--samples 0`) no sweep ran, and
/// callers leave the figure out: 0 of 0 is not 0%.
fn pct(n: usize, of: usize) -> String {
    format!("{:.0}%", 100.0 * n as f64 / of.max(1) as f64)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Who gives way: `russia`, or `russia and ukraine together`.
fn who(parties: &[String]) -> String {
    if parties.len() == 1 {
        parties[0].clone()
    } else {
        format!("{} together", and_list(parties))
    }
}

/// A Nash deal in words: the changes from the status quo, labelled so, and the path.
fn deal_words(s: &Scenario, c: &CompiledScenario, d: &Deal) -> String {
    let changed = super::text::state(s, c, d.nash.state, Some(c.status_quo()));
    let mut out = format!("Nash deal, changes from the status quo: {changed}; ");
    if d.path.reachable {
        let _ = write!(
            out,
            "reached in {} step{} (total concession {:.3}).",
            d.path.steps.len(),
            if d.path.steps.len() == 1 { "" } else { "s" },
            d.path.cost.unwrap_or(0.0)
        );
    } else {
        // Every least blocking set (one tier of exact ties), never only the first by name.
        let _ = write!(
            out,
            "unreachable from the status quo (walled off by {}).",
            d.path.least_blocking_words()
        );
    }
    out
}

/// "Least that must give": every tied option, grouped by who gives way.
fn least_text(snap: &SnapshotReport) -> String {
    let mut parts: Vec<String> = snap
        .least_relaxations
        .iter()
        .map(|r| format!("{} could drop {}", who(&r.parties), r.dropped.join(" + ")))
        .collect();
    if snap.least_relaxations_more > 0 {
        parts.push(format!(
            "{} more tied option{} not listed",
            snap.least_relaxations_more,
            if snap.least_relaxations_more == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    format!("{}.", parts.join("; or "))
}

/// "Smallest softening": each party's least, with its cost shown but never compared.
fn softening_text(snap: &SnapshotReport) -> String {
    let parts: Vec<String> = snap
        .softenings
        .iter()
        .map(|sf| {
            let party = party_of(&sf.name);
            let cost = sf.cost().map_or(String::new(), |c| {
                format!("; [prefs] costs {party} {c:.3} of its best")
            });
            format!(
                "{party} could soften {}: {} -> {} ({} rung{}{cost})",
                sf.name,
                sf.from,
                sf.to,
                sf.rungs,
                if sf.rungs == 1 { "" } else { "s" }
            )
        })
        .collect();
    format!("{}.", parts.join("; or "))
}

/// With no single red line able to open a zone: every least joint softening (fewest
/// rungs in all, over red lines of one or several parties), grouped by who moves.
fn joint_text(snap: &SnapshotReport) -> String {
    let j = &snap.explanation.joint_softenings;
    let parts: Vec<String> = j
        .options()
        .map(|js| {
            let moves: Vec<String> = js
                .moves
                .iter()
                .map(|m| format!("{}: {} -> {}", m.name, m.from, m.to))
                .collect();
            format!(
                "{} could soften {} ({} rung{} in all)",
                who(&js.parties),
                moves.join(" and "),
                js.rungs,
                if js.rungs == 1 { "" } else { "s" }
            )
        })
        .collect();
    if parts.is_empty() {
        return "no single red line opens a zone, and no joint softening was found.".into();
    }
    let more = if j.omitted > 0 {
        format!("; or {} more tied option(s) not listed", j.omitted)
    } else {
        String::new()
    };
    format!(
        "no single red line opens a zone; jointly, {}{more}.",
        parts.join("; or ")
    )
}

/// One "If … gave way" paragraph.
fn what_if_text(s: &Scenario, c: &CompiledScenario, w: &WhatIf) -> String {
    let mut line = format!(
        "If {} gave way (dropping {}): {} acceptable state{}.",
        who(&w.parties),
        w.dropped.join(" + "),
        w.acceptable,
        if w.acceptable == 1 { "" } else { "s" }
    );
    match &w.deal {
        Some(d) => {
            let _ = write!(line, " {}", deal_words(s, c, d));
        }
        None => line
            .push_str(" No Nash deal: no candidate gives every party more than its reservation."),
    }
    if w.robustness.samples > 0 {
        let _ = write!(
            line,
            " A zone exists in {} of the perturbed samples; same Nash deal in {}.",
            pct(w.robustness.zone_exists, w.robustness.samples),
            pct(w.robustness.nash_same, w.robustness.samples)
        );
    }
    line
}

/// The report as text for an 80-column terminal.
///
/// # Errors
/// Only if a snapshot cannot be recompiled (it was compiled once already).
pub fn text(t: &Timeline, r: &TimelineReport, limits: &Limits) -> Result<String> {
    let mut o = String::new();
    let _ = writeln!(o, "{}", r.name);
    let swept = r.options.samples > 0;
    let intro = if swept {
        format!(
            "Red lines and preconditions come from the cited sources. Weights, values and \
             reservations are judgement: findings marked [prefs] rest on them and say how \
             often they hold across {} perturbed preference sets (each number moved by up to \
             ±{}, seed {}). Findings that read differently on stated evidence alone \
             (leaving out what rests on reports or the modeller's inference) are listed \
             under [evidence].",
            r.options.samples, r.options.spread, r.options.seed
        )
    } else {
        "Red lines and preconditions come from the cited sources. Weights, values and \
         reservations are judgement: findings marked [prefs] rest on them. No sensitivity \
         sweep was run (--samples 0), so no robustness figures are given. Findings that \
         read differently on stated evidence alone are listed under [evidence]."
            .to_string()
    };
    wrap_into(&mut o, "", "", &intro);
    let mut prev = None;
    for snap in &r.snapshots {
        let _ = writeln!(o);
        let head = match &snap.title {
            Some(tl) => format!("== {}  {tl} ", snap.date),
            None => format!("== {} ", snap.date),
        };
        let pad = WIDTH.saturating_sub(head.chars().count());
        let _ = writeln!(o, "{head}{}", "=".repeat(pad.min(WIDTH)));
        match prev {
            None => {
                let _ = writeln!(o, "Base scenario.");
            }
            Some(p) => changes_text(&mut o, t, p, snap.date)?,
        }
        prev = Some(snap.date);
        let s = t.at(snap.date)?;
        let c = CompiledScenario::new(s, limits)?;
        wrap_into(&mut o, "Effect: ", "  ", &snap.effect);
        if snap.candidates == 0 {
            wrap_into(
                &mut o,
                "Red lines alone: ",
                "  ",
                &format!("no state meets every red line (0 of {}).", snap.states),
            );
        } else {
            wrap_into(
                &mut o,
                "Red lines alone: ",
                "  ",
                &format!(
                    "{} of {} states meet every red line.",
                    snap.candidates, snap.states
                ),
            );
        }
        if !snap.red_line_conflicts.is_empty() {
            let _ = writeln!(o, "  Clashing red lines:");
            for c in &snap.red_line_conflicts {
                wrap_into(&mut o, "    ", "      ", &c.join(" + "));
            }
        }
        if snap.acceptable > 0 {
            let sizes: Vec<String> = snap.zones.iter().map(u64::to_string).collect();
            wrap_into(
                &mut o,
                "[prefs] ",
                "  ",
                &format!(
                    "{} acceptable states in {} zone{} (sizes {}){}",
                    snap.acceptable,
                    snap.zones.len(),
                    if snap.zones.len() == 1 { "" } else { "s" },
                    sizes.join(", "),
                    if swept {
                        format!(
                            "; a zone exists in {} of the perturbed samples.",
                            pct(snap.robustness.zone_exists, snap.robustness.samples)
                        )
                    } else {
                        ".".into()
                    }
                ),
            );
            if let Some(d) = &snap.deal {
                let txt = deal_words(s, &c, d);
                wrap_into(
                    &mut o,
                    "[prefs] ",
                    "  ",
                    &if swept {
                        format!(
                            "{txt} Same Nash deal in {} of samples.",
                            pct(snap.robustness.nash_same, snap.robustness.samples)
                        )
                    } else {
                        txt
                    },
                );
            }
            evidence_text(&mut o, snap);
            continue;
        }
        if snap.candidates > 0 {
            wrap_into(
                &mut o,
                "[prefs] ",
                "  ",
                &if swept {
                    format!(
                        "No acceptable state: every candidate leaves some party below its \
                         reservation (a zone exists in {} of the perturbed samples).",
                        pct(snap.robustness.zone_exists, snap.robustness.samples)
                    )
                } else {
                    "No acceptable state: every candidate leaves some party below its \
                     reservation."
                        .to_string()
                },
            );
        }
        let tag = if snap.least_relaxations.iter().any(|r| r.reservations > 0) {
            "[prefs] "
        } else {
            ""
        };
        wrap_into(
            &mut o,
            &format!("{tag}Least that must give: "),
            "  ",
            &least_text(snap),
        );
        if snap.softenings.is_empty() {
            wrap_into(&mut o, "Smallest softening: ", "  ", &joint_text(snap));
        } else {
            wrap_into(&mut o, "Smallest softening: ", "  ", &softening_text(snap));
        }
        for w in &snap.what_ifs {
            wrap_into(&mut o, "[prefs] ", "  ", &what_if_text(s, &c, w));
        }
        if snap.what_ifs_more > 0 {
            wrap_into(
                &mut o,
                "",
                "  ",
                &format!(
                    "{} more what-if{} not computed (cap {}).",
                    snap.what_ifs_more,
                    if snap.what_ifs_more == 1 { "" } else { "s" },
                    r.options.max_what_ifs
                ),
            );
        }
        evidence_text(&mut o, snap);
    }
    Ok(o)
}

/// The `[evidence]` block: each finding that reads differently on stated evidence alone.
fn evidence_text(o: &mut String, snap: &SnapshotReport) {
    if snap.stated_alone.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "[evidence] On stated evidence alone (reported and inferred left out):"
    );
    for m in &snap.stated_alone {
        wrap_into(o, &format!("  {}: ", m.finding), "      ", &m.stated);
    }
}

/// The changes between two dates, grouped by source: constraints (facts from the source),
/// the status quo, preferences (judgement) and behaviour rules.
fn changes_text(o: &mut String, t: &Timeline, from: Date, to: Date) -> Result<()> {
    let before = t.at(from)?;
    let after = t.at(to)?;
    let mut sources: Vec<&str> = Vec::new();
    for c in t.changes_between(from, to) {
        if !sources.contains(&c.source()) {
            sources.push(c.source());
        }
    }
    for src in sources {
        let _ = writeln!(o, "From {src}:");
        let mut prefs: Vec<String> = Vec::new();
        let mut rules: Vec<String> = Vec::new();
        for c in t.changes_between(from, to).filter(|c| c.source() == src) {
            match c.op() {
                ChangeOp::AddConstraint(k) | ChangeOp::ReplaceConstraint(k) => {
                    let sign = if matches!(c.op(), ChangeOp::AddConstraint(_)) {
                        "+"
                    } else {
                        "~"
                    };
                    let kind = if k.kind() == ConstraintKind::Precondition {
                        " (precondition)"
                    } else {
                        ""
                    };
                    wrap_into(
                        o,
                        &format!("  {sign} {}{kind}: ", k.name()),
                        "      ",
                        k.rule().text(),
                    );
                }
                ChangeOp::RemoveConstraint { party, id, .. } => {
                    let _ = writeln!(o, "  - {party}/{id}");
                }
                ChangeOp::SetWeights { party, .. } => prefs.push(format!("{party} weights")),
                ChangeOp::SetValues { party, .. } => prefs.push(format!("{party} values")),
                ChangeOp::SetReservation { party, reservation } => {
                    prefs.push(format!("{party} reservation {reservation}"));
                }
                ChangeOp::SetRole { party, role } => {
                    let _ = writeln!(o, "  role: {party} is now {role}");
                }
                ChangeOp::AddParty(p) => {
                    let _ = writeln!(o, "  + party {}", p.id());
                }
                ChangeOp::AddRule { party, rule } => rules.push(format!("+{party}/{}", rule.id())),
                ChangeOp::RemoveRule { party, id } => rules.push(format!("-{party}/{id}")),
                ChangeOp::SetStatusQuo(_) => {}
            }
        }
        let sq_changed = t
            .changes_between(from, to)
            .any(|c| c.source() == src && matches!(c.op(), ChangeOp::SetStatusQuo(_)));
        if sq_changed {
            let moved: Vec<String> = after
                .issues()
                .iter()
                .enumerate()
                .filter(|(i, _)| before.status_quo()[*i] != after.status_quo()[*i])
                .map(|(i, issue)| {
                    format!(
                        "{} {} (was {})",
                        issue.id(),
                        issue.levels()[after.status_quo()[i]].id(),
                        issue.levels()[before.status_quo()[i]].id()
                    )
                })
                .collect();
            if !moved.is_empty() {
                wrap_into(o, "  status quo: ", "      ", &moved.join(", "));
            }
        }
        prefs.dedup();
        if !prefs.is_empty() {
            wrap_into(o, "  [prefs] ", "      ", &prefs.join(", "));
        }
        if !rules.is_empty() {
            wrap_into(o, "  behaviour rules: ", "      ", &rules.join(", "));
        }
    }
    Ok(())
}

fn nash_json(s: &Scenario, c: &CompiledScenario, d: Option<&Deal>) -> Value {
    let Some(d) = d else {
        return Value::Null;
    };
    json!({
        "outcome": state(s, c, d.nash.state),
        "utilities": d.nash.utilities.iter().map(|&u| round(u)).collect::<Vec<_>>(),
        "product": round(d.nash.value),
        "path": {
            "reachable": d.path.reachable,
            "cost": d.path.cost.map(round),
            "steps": d.path.steps.len(),
            "blocked_by": d.path.blocked_by,
            // Every least blocking set (one tier of exact ties; `blocked_by` is the first).
            "blocking_sets": d.path.least_blocking(),
            "blocking_more": d.path.blocking.more,
        },
    })
}

fn what_if_json(s: &Scenario, c: &CompiledScenario, w: &WhatIf) -> Value {
    json!({
        "dropped": w.dropped,
        "parties": w.parties,
        "acceptable": w.acceptable,
        "nash": nash_json(s, c, w.deal.as_ref()),
        "zone_exists_rate": rate(w.robustness.zone_rate(), w.robustness.samples),
        "nash_same_rate": rate(w.robustness.nash_rate(), w.robustness.samples),
    })
}

fn softening_json(sf: &crate::analysis::explain::Softening) -> Value {
    json!({
        "constraint": sf.name, "party": party_of(&sf.name), "from": sf.from, "to": sf.to,
        "rungs": sf.rungs, "acceptable": sf.acceptable, "cost": sf.cost().map(round),
    })
}

/// `dealzone timeline --json`: the contract's keys per snapshot, plus the red-line-only
/// findings, the softenings, the what-ifs and the robustness figures.
///
/// Every "least" finding is an array of all tied options, ordered as `least_order` says
/// (symmetric in the parties; names order only exact ties): `least_relaxations`,
/// `softenings` (each party's least), `what_ifs` (each party that alone can open a zone,
/// and the tied joint options), each with a `…_more` count of what a cap left off. The
/// older single fields stay for compatibility and are defined as the first of the arrays:
/// `cheapest_relaxation` = `least_relaxations[0].dropped`, `softening` = `softenings[0]`,
/// `what_if` = `what_ifs[0]`; they are one tied option among several, not a verdict.
///
/// # Errors
/// As [`text`].
pub fn json(t: &Timeline, r: &TimelineReport, limits: &Limits) -> Result<Value> {
    let mut snaps = Vec::new();
    for snap in &r.snapshots {
        let s = t.at(snap.date)?;
        let c = CompiledScenario::new(s, limits)?;
        let what_ifs: Vec<Value> = snap
            .what_ifs
            .iter()
            .map(|w| what_if_json(s, &c, w))
            .collect();
        let least: Vec<Value> = snap
            .least_relaxations
            .iter()
            .map(|x| {
                json!({
                    "dropped": x.dropped, "parties": x.parties,
                    "size": x.dropped.len(), "reservations": x.reservations,
                    "tier": x.tier,
                })
            })
            .collect();
        snaps.push(json!({
            "date": snap.date.to_string(),
            "title": snap.title,
            "states": snap.states,
            "candidates": snap.candidates,
            "acceptable": snap.acceptable,
            "zones": snap.zones.len(),
            "zone_sizes": snap.zones,
            "conflicts": snap.explanation.conflicts,
            "red_line_conflicts": snap.red_line_conflicts,
            "relaxations": snap.explanation.relaxations,
            "least_order": LEAST_ORDER,
            "least_relaxations": least,
            "least_relaxations_more": snap.least_relaxations_more,
            "cheapest_relaxation": snap.cheapest_relaxation,
            "softenings": snap.softenings.iter().map(softening_json).collect::<Vec<_>>(),
            "softening": snap.softening.as_ref().map(softening_json),
            "nash": nash_json(s, &c, snap.deal.as_ref()),
            "robustness": {
                "samples": snap.robustness.samples,
                "zone_exists_rate": rate(snap.robustness.zone_rate(), snap.robustness.samples),
                "nash_same_rate": rate(snap.robustness.nash_rate(), snap.robustness.samples),
                "complete": snap.robustness.complete,
            },
            "what_ifs": what_ifs,
            "what_ifs_more": snap.what_ifs_more,
            "what_if": what_ifs.first().cloned().unwrap_or(Value::Null),
            "changes": snap.changes,
            "effect": snap.effect,
            "grades": super::json::evidence(t.at(snap.date)?, crate::model::Evidence::Inferred)["grades"].clone(),
            "stated_alone": snap.stated_alone.iter().map(|m| json!({
                "finding": m.finding, "full": m.full, "stated": m.stated,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "name": r.name,
        "samples": r.options.samples,
        "spread": r.options.spread,
        "seed": r.options.seed,
        "max_listed": r.options.max_listed,
        "max_what_ifs": r.options.max_what_ifs,
        "snapshots": snaps,
    }))
}
