//! The timeline report as text (80 columns) and as the contract's JSON.

use std::fmt::Write;

use serde_json::{Value, json};

use super::json::{round, state};
use crate::analysis::timeline_report::{Deal, SnapshotReport, TimelineReport};
use crate::model::{ChangeOp, ConstraintKind, Date, Timeline};
use crate::space::CompiledScenario;
use crate::{Limits, Result};

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

/// `n` of `of` samples as a percentage. With no sample (`--samples 0`) no sweep ran, and
/// callers leave the figure out: 0 of 0 is not 0%.
fn pct(n: usize, of: usize) -> String {
    format!("{:.0}%", 100.0 * n as f64 / of.max(1) as f64)
}

/// A robustness rate for JSON: `null` when no sample was drawn.
fn rate(x: f64, samples: usize) -> Value {
    if samples == 0 {
        Value::Null
    } else {
        json!(round(x))
    }
}

fn deal_text(t: &Timeline, r: &SnapshotReport, d: &Deal, limits: &Limits) -> Result<String> {
    let s = t.at(r.date)?;
    let c = CompiledScenario::new(s, limits)?;
    let changed = super::text::state(s, &c, d.nash.state, Some(c.status_quo()));
    Ok(format!(
        "Nash deal: {changed}; reached in {} step{} (total concession {:.3}).",
        d.path.steps.len(),
        if d.path.steps.len() == 1 { "" } else { "s" },
        d.path.cost.unwrap_or(0.0)
    ))
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
         sweep was run (--samples 0), so no robustness figures are given."
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
                let txt = deal_text(t, snap, d, limits)?;
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
        let tag = if snap
            .cheapest_relaxation
            .iter()
            .any(|n| n.ends_with("/reservation"))
        {
            "[prefs] "
        } else {
            ""
        };
        wrap_into(
            &mut o,
            &format!("{tag}Least that must give: "),
            "  ",
            &snap.cheapest_relaxation.join(" + "),
        );
        match &snap.softening {
            Some(sf) => {
                let cost = sf.cost().map_or(String::new(), |c| {
                    format!(
                        "; [prefs] costs {} {c:.3} of its best",
                        sf.name.split('/').next().unwrap_or("")
                    )
                });
                wrap_into(
                    &mut o,
                    "Smallest softening: ",
                    "  ",
                    &format!(
                        "{}: {} -> {} ({} rung{}{cost}).",
                        sf.name,
                        sf.from,
                        sf.to,
                        sf.rungs,
                        if sf.rungs == 1 { "" } else { "s" }
                    ),
                );
            }
            None => {
                let _ = writeln!(o, "Smallest softening: no single red line opens a zone.");
            }
        }
        if let Some(w) = &snap.what_if {
            let mut line = format!(
                "If {} gave way: {} acceptable state{}.",
                w.dropped.join(" and "),
                w.acceptable,
                if w.acceptable == 1 { "" } else { "s" }
            );
            if let Some(d) = &w.deal {
                let s = t.at(snap.date)?;
                let c = CompiledScenario::new(s, limits)?;
                let changed = super::text::state(s, &c, d.nash.state, Some(c.status_quo()));
                if d.path.reachable {
                    let _ = write!(
                        line,
                        " Nash deal: {changed}; reached in {} step{} (total concession {:.3}).",
                        d.path.steps.len(),
                        if d.path.steps.len() == 1 { "" } else { "s" },
                        d.path.cost.unwrap_or(0.0)
                    );
                } else {
                    let _ = write!(
                        line,
                        " Nash deal: {changed}; unreachable from the status quo (walled off by {}).",
                        d.path.blocked_by.join(", ")
                    );
                }
            }
            if swept {
                let _ = write!(
                    line,
                    " A zone exists in {} of the perturbed samples; same Nash deal in {}.",
                    pct(w.robustness.zone_exists, w.robustness.samples),
                    pct(w.robustness.nash_same, w.robustness.samples)
                );
            }
            wrap_into(&mut o, "[prefs] ", "  ", &line);
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

fn nash_json(
    t: &Timeline,
    snap: &SnapshotReport,
    d: Option<&Deal>,
    limits: &Limits,
) -> Result<Value> {
    let Some(d) = d else {
        return Ok(Value::Null);
    };
    let s = t.at(snap.date)?;
    let c = CompiledScenario::new(s, limits)?;
    Ok(json!({
        "outcome": state(s, &c, d.nash.state),
        "utilities": d.nash.utilities.iter().map(|&u| round(u)).collect::<Vec<_>>(),
        "product": round(d.nash.value),
        "path": {
            "reachable": d.path.reachable,
            "cost": d.path.cost.map(round),
            "steps": d.path.steps.len(),
            "blocked_by": d.path.blocked_by,
        },
    }))
}

/// `dealzone timeline --json`: the contract's keys per snapshot, plus the red-line-only
/// findings, the softening, the what-if and the robustness figures.
///
/// # Errors
/// As [`text`].
pub fn json(t: &Timeline, r: &TimelineReport, limits: &Limits) -> Result<Value> {
    let mut snaps = Vec::new();
    for snap in &r.snapshots {
        let what_if = match &snap.what_if {
            None => Value::Null,
            Some(w) => json!({
                "dropped": w.dropped,
                "acceptable": w.acceptable,
                "nash": nash_json(t, snap, w.deal.as_ref(), limits)?,
                "zone_exists_rate": rate(w.robustness.zone_rate(), w.robustness.samples),
                "nash_same_rate": rate(w.robustness.nash_rate(), w.robustness.samples),
            }),
        };
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
            "cheapest_relaxation": snap.cheapest_relaxation,
            "softening": snap.softening.as_ref().map(|sf| json!({
                "constraint": sf.name, "from": sf.from, "to": sf.to, "rungs": sf.rungs,
                "acceptable": sf.acceptable, "cost": sf.cost().map(round),
            })),
            "nash": nash_json(t, snap, snap.deal.as_ref(), limits)?,
            "robustness": {
                "samples": snap.robustness.samples,
                "zone_exists_rate": rate(snap.robustness.zone_rate(), snap.robustness.samples),
                "nash_same_rate": rate(snap.robustness.nash_rate(), snap.robustness.samples),
            },
            "what_if": what_if,
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
        "snapshots": snaps,
    }))
}
