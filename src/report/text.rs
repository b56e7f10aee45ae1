//! Readable reports for the terminal, under 80 columns where the names allow.

use std::fmt::Write;

use crate::analysis::path::{CostModel, ZonePath};
use crate::analysis::zone::{LevelBox, Zones};
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// Boxes shown per zone before "… and N more".
const BOXES_SHOWN: usize = 6;

fn title(s: &Scenario) -> String {
    match s.date() {
        Some(d) => format!("{} ({d})", s.name()),
        None => s.name().to_string(),
    }
}

/// `issue=level, …` for a state; with `base`, only the issues that differ from it.
pub fn state(
    s: &Scenario,
    c: &CompiledScenario,
    st: StateIndex,
    base: Option<StateIndex>,
) -> String {
    let levels = c.space().decode(st);
    let base = base.map(|b| c.space().decode(b));
    let parts: Vec<String> = s
        .level_names(&levels)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| base.as_ref().is_none_or(|b| b[*i] != levels[*i]))
        .map(|(_, (i, l))| format!("{i}={l}"))
        .collect();
    if parts.is_empty() {
        "(no change)".into()
    } else {
        parts.join(", ")
    }
}

fn level_box(s: &Scenario, b: &LevelBox) -> String {
    let parts: Vec<String> = s
        .issues()
        .iter()
        .zip(b)
        .filter(|(issue, (lo, hi))| !(*lo == 0 && *hi + 1 == issue.levels().len()))
        .map(|(issue, &(lo, hi))| {
            let (l, h) = (issue.levels()[lo].id(), issue.levels()[hi].id());
            if lo == hi {
                format!("{}={l}", issue.id())
            } else {
                format!("{}={l}..{h}", issue.id())
            }
        })
        .collect();
    if parts.is_empty() {
        "every state".into()
    } else {
        parts.join(", ")
    }
}

/// Wrap `items` joined by `sep` at 78 columns: the first line starts with `first`, the
/// others are indented to line up under it.
pub(crate) fn wrap(items: &[String], sep: &str, first: &str) -> String {
    let lead = first.chars().take_while(|c| *c == ' ').count();
    let indent = " ".repeat(lead + 2);
    let mut out = String::new();
    let mut line = first.to_string();
    let mut fresh = true;
    for (k, it) in items.iter().enumerate() {
        let piece = if k + 1 < items.len() {
            format!("{it}{sep}")
        } else {
            it.clone()
        };
        if !fresh && line.chars().count() + piece.trim_end().chars().count() > 78 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
        }
        line.push_str(&piece);
        fresh = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The `zones` report.
pub fn zones(s: &Scenario, c: &CompiledScenario, z: &Zones) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", title(s));
    let _ = writeln!(o, "  {:>14} states", z.states);
    let _ = writeln!(o, "  {:>14} candidates (meet every red line)", z.candidates);
    let _ = writeln!(
        o,
        "  {:>14} acceptable (candidates every party prefers to no deal)",
        z.acceptable.len()
    );
    if z.zones.is_empty() {
        let why = if z.candidates == 0 {
            "the red lines cannot all hold at once"
        } else {
            "every candidate leaves some party below its reservation"
        };
        let _ = writeln!(o, "\nNo deal zone: {why}.");
        return o;
    }
    let _ = writeln!(
        o,
        "\n{} deal zone{} (connected by one-rung moves), largest first:",
        z.zones.len(),
        if z.zones.len() == 1 { "" } else { "s" }
    );
    for (k, zone) in z.zones.iter().enumerate() {
        let _ = writeln!(o, "\nZone {k}: {} states", zone.size());
        let ranges: Vec<String> = c
            .utilities()
            .iter()
            .zip(&zone.utility)
            .map(|(u, (lo, hi))| format!("{} {lo:.3}-{hi:.3}", u.name()))
            .collect();
        o.push_str(&wrap(&ranges, ", ", "  utility: "));
        let _ = writeln!(
            o,
            "  as {} box{} (issues not listed are free):",
            zone.boxes.len(),
            if zone.boxes.len() == 1 { "" } else { "es" }
        );
        for b in zone.boxes.iter().take(BOXES_SHOWN) {
            let parts: Vec<String> = level_box(s, b).split(", ").map(str::to_string).collect();
            o.push_str(&wrap(&parts, ", ", "    - "));
        }
        if zone.boxes.len() > BOXES_SHOWN {
            let _ = writeln!(
                o,
                "    … and {} more (--json lists all)",
                zone.boxes.len() - BOXES_SHOWN
            );
        }
    }
    o
}

/// The `bargain` report: frontier size and the four solutions.
pub fn bargain(
    s: &Scenario,
    c: &CompiledScenario,
    b: &crate::analysis::bargain::Bargain,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", title(s));
    let _ = writeln!(o, "  {:>14} outcomes", c.space().size());
    let _ = writeln!(
        o,
        "  {:>14} candidates (meet every red line)",
        b.candidates.len()
    );
    let _ = writeln!(o, "  {:>14} acceptable (zone size)", b.zone_size);
    let _ = writeln!(
        o,
        "  {:>14} on the Pareto frontier ({} better than no deal for everyone)",
        b.pareto.len(),
        b.count_rational
    );
    solutions(&mut o, c, b, |sol| {
        let deal: Vec<String> = state(s, c, sol.state, Some(c.status_quo()))
            .split(", ")
            .map(str::to_string)
            .collect();
        wrap(&deal, ", ", "  changes from the status quo: ")
    });
    o
}

/// The solutions block of a `bargain` report: each solution's value, its deal (as `deal`
/// renders it) and every party's utility.
pub(crate) fn solutions(
    o: &mut String,
    c: &CompiledScenario,
    b: &crate::analysis::bargain::Bargain,
    deal: impl Fn(&crate::analysis::bargain::Solution) -> String,
) {
    let names: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    // Nash and Kalai-Smorodinsky need an outcome every party prefers to no deal; the
    // others exist whenever there is an outcome at all.
    let solutions = [
        ("Nash", &b.nash, "product of gains", true),
        (
            "Kalai-Smorodinsky",
            &b.kalai_smorodinsky,
            "smallest share of possible gain",
            true,
        ),
        (
            "GENIUS Kalai",
            &b.genius_kalai,
            "least asymmetry on the frontier",
            false,
        ),
        ("Egalitarian", &b.egalitarian, "smallest gain", false),
        ("Max welfare", &b.max_welfare, "sum of utilities", false),
    ];
    for (label, sol, what, rational) in solutions {
        let _ = writeln!(o);
        match sol {
            None if rational => {
                let _ = writeln!(
                    o,
                    "{label}: none (no outcome gives every party more than no deal)"
                );
            }
            None => {
                let _ = writeln!(o, "{label}: none (no outcome)");
            }
            Some(sol) => {
                let _ = writeln!(o, "{label} ({what} {:.4}):", sol.value);
                o.push_str(&deal(sol));
                let us: Vec<String> = names
                    .iter()
                    .zip(&sol.utilities)
                    .map(|(n, u)| format!("{n} {u:.4}"))
                    .collect();
                o.push_str(&wrap(&us, ", ", "  utilities: "));
            }
        }
    }
}

/// The `path` report.
pub fn paths(
    s: &Scenario,
    c: &CompiledScenario,
    z: &Zones,
    paths: &[ZonePath],
    model: CostModel,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", title(s));
    let sq: Vec<String> = state(s, c, c.status_quo(), None)
        .split(", ")
        .map(str::to_string)
        .collect();
    o.push_str(&wrap(&sq, ", ", "status quo: "));
    if !c.meets_preconditions(&c.space().decode(c.status_quo())) {
        let broken: Vec<String> = c
            .preconditions()
            .iter()
            .zip(c.precondition_names())
            .filter(|(r, _)| !r.eval_levels(&c.space().decode(c.status_quo())))
            .map(|(_, n)| n.clone())
            .collect();
        o.push_str(&wrap(&broken, ", ", "the status quo itself breaks: "));
    }
    if paths.is_empty() {
        let _ = writeln!(o, "\nNo deal zone, so no path (see `dealzone zones`).");
        return o;
    }
    let unit = match model {
        CostModel::TotalConcession => "total concession",
        CostModel::FewestSteps => "steps",
        CostModel::Fairest => "largest single-party concession",
    };
    let names: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    for p in paths {
        let size = z.zones[p.zone].size();
        if !p.reachable {
            let _ = writeln!(
                o,
                "\nZone {} ({size} states): unreachable from the status quo.",
                p.zone
            );
            o.push_str(&blocking_text(c, &p.blocking));
            continue;
        }
        let cost = p.cost.unwrap_or(0.0);
        let _ = writeln!(
            o,
            "\nZone {} ({size} states): {} step{}, {unit} {}",
            p.zone,
            p.steps.len(),
            if p.steps.len() == 1 { "" } else { "s" },
            if model == CostModel::FewestSteps {
                format!("{cost}")
            } else {
                format!("{cost:.3}")
            }
        );
        for (k, st) in p.steps.iter().enumerate() {
            let issue = &s.issues()[st.issue];
            let who: Vec<&str> = st.conceders.iter().map(|&q| names[q]).collect();
            let _ = writeln!(
                o,
                "  {:>2}. {}: {} -> {}{}",
                k + 1,
                issue.id(),
                issue.levels()[st.from].id(),
                issue.levels()[st.to].id(),
                if who.is_empty() {
                    "  (no one concedes)".to_string()
                } else {
                    format!("  (concedes: {})", who.join(", "))
                }
            );
        }
        let per: Vec<String> = names
            .iter()
            .zip(&p.concessions)
            .map(|(n, x)| format!("{n} {x:.3}"))
            .collect();
        o.push_str(&wrap(&per, ", ", "  each party concedes: "));
        if let Some(&end) = p.states.last() {
            let parts: Vec<String> = state(s, c, end, Some(c.status_quo()))
                .split(", ")
                .map(str::to_string)
                .collect();
            o.push_str(&wrap(&parts, ", ", "  deal, changes from the status quo: "));
        }
    }
    o
}

/// The blocking sets of one zone, tier by tier: "alpha could drop a or b; or zulu could
/// drop c". Within a tier every option is an exact tie: the options of one party are
/// grouped, options of different parties joined by "; or ", so no party is named alone
/// where another's option is as small. Options are listed by name (stable output, not a
/// ranking); the parties of one joint set in scenario order. Each option carries the path
/// it opens.
pub fn blocking_text(c: &CompiledScenario, b: &crate::analysis::path::BlockingSets) -> String {
    use std::collections::BTreeMap;
    let mut o = String::new();
    let tiers = b.sets.last().map_or(0, |l| l.tier + 1);
    for tier in 0..tiers {
        let sets: Vec<_> = b.sets.iter().filter(|x| x.tier == tier).collect();
        let size = sets[0].names.len();
        let option = |x: &crate::analysis::path::BlockingSet| {
            let w = &x.witness;
            format!(
                "(then {} step{}, total concession {:.3})",
                w.steps.len(),
                if w.steps.len() == 1 { "" } else { "s" },
                w.cost.unwrap_or(0.0)
            )
        };
        // Single-party sets grouped by party; joint sets each on their own.
        let mut by_party: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut joint: Vec<String> = Vec::new();
        for x in &sets {
            // Parties in scenario order, each with its ids.
            let mut parties: Vec<(&str, Vec<&str>)> = Vec::new();
            for &k in &x.preconditions {
                let n = c.precondition_names()[k].as_str();
                let (party, id) = n.split_once('/').unwrap_or(("", n));
                match parties.iter_mut().find(|(p, _)| *p == party) {
                    Some((_, ids)) => ids.push(id),
                    None => parties.push((party, vec![id])),
                }
            }
            if let [(party, ids)] = parties.as_slice() {
                by_party.entry(party).or_default().push(format!(
                    "{} {}",
                    ids.join(" and "),
                    option(x)
                ));
            } else {
                let parts: Vec<String> = parties
                    .iter()
                    .map(|(party, ids)| format!("{party} {}", ids.join(" and ")))
                    .collect();
                let who: Vec<&str> = parties.iter().map(|(p, _)| *p).collect();
                joint.push(format!(
                    "together {} drop {} {}",
                    who.join(" and "),
                    parts.join(", "),
                    option(x)
                ));
            }
        }
        let mut options: Vec<String> = by_party
            .into_iter()
            .map(|(party, opts)| format!("{party} could drop {}", opts.join(" or ")))
            .collect();
        options.extend(joint);
        let head = if tier == 0 {
            format!(
                "  least that opens it ({size} precondition{} dropped): ",
                if size == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "  or, with {size} precondition{} dropped: ",
                if size == 1 { "" } else { "s" }
            )
        };
        let _ = writeln!(o, "{head}{}", options.join("; or "));
    }
    if b.more > 0 {
        let _ = writeln!(
            o,
            "  and {} more minimal set{} not listed (raise the cap to see them)",
            b.more,
            if b.more == 1 { "" } else { "s" }
        );
    }
    o
}
