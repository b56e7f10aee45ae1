//! The explanation reporter: one proof value, rendered as text or JSON.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::analysis::explain::{
    Certificate, Explanation, Item, JointSoftening, Relaxation, Softening, Tiered, Witness,
};
use crate::model::Scenario;

/// What a certificate proves, in JSON and text.
pub const CERTIFIES: &str = "no combination of these issues' levels is allowed by every member, \
so no state meets them all";

fn witness_json(w: &Witness) -> Value {
    Value::Object(
        w.state
            .iter()
            .map(|(i, l)| (i.clone(), Value::String(l.clone())))
            .collect(),
    )
}

fn softening_json(s: &Softening) -> Value {
    json!({
        "constraint": s.name,
        "party": s.party,
        "bound": s.bound,
        "evidence": s.evidence.as_str(),
        "from": s.from,
        "to": s.to,
        "rungs": s.rungs,
        "acceptable": s.acceptable,
        "ideal": s.ideal.map(super::json::round),
        "best": s.best.map(super::json::round),
        "cost": s.cost().map(super::json::round),
    })
}

fn relaxation_json(r: &Relaxation) -> Value {
    json!({
        "drop": r.drop,
        "parties": r.parties,
        "evidence": r.evidence.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        "witness": r.witness.as_ref().map(witness_json),
    })
}

fn joint_json(j: &JointSoftening) -> Value {
    let moves: Vec<Value> = j
        .moves
        .iter()
        .map(|m| {
            json!({
                "constraint": m.name,
                "party": m.party,
                "from": m.from,
                "to": m.to,
                "rungs": m.rungs,
                "shifts": m.shifts,
                "evidence": m.evidence.as_str(),
            })
        })
        .collect();
    json!({
        "rungs": j.rungs,
        "parties": j.parties,
        "moves": moves,
        "acceptable": j.acceptable,
        "witness": j.witness.as_ref().map(witness_json),
    })
}

fn tiered_json<T>(t: &Tiered<T>, f: impl Fn(&T) -> Value) -> Value {
    let tiers: Vec<Vec<Value>> = t
        .tiers
        .iter()
        .map(|tier| tier.iter().map(&f).collect())
        .collect();
    json!({
        "order": t.order,
        "tiers": tiers,
        "omitted": t.omitted,
        "complete": t.complete,
    })
}

fn certificate_json(c: &Certificate) -> Value {
    let allows: Vec<Value> = c
        .conflict
        .iter()
        .zip(&c.allows)
        .map(|(name, boxes)| {
            let boxes: Vec<Value> = boxes
                .iter()
                .map(|b| {
                    Value::Object(
                        c.issues
                            .iter()
                            .zip(b)
                            .map(|(i, (lo, hi))| (i.clone(), json!([lo, hi])))
                            .collect(),
                    )
                })
                .collect();
            json!({"constraint": name, "boxes": boxes})
        })
        .collect();
    json!({
        "conflict": c.conflict,
        "issues": c.issues,
        "allows": allows,
        "certifies": CERTIFIES,
    })
}

/// `dealzone explain --json`: the contract's keys plus `first_conflict`, `softenings`
/// (one per red line), and the tied optima (`least_relaxations`, `least_softenings`,
/// `joint_softenings`, `per_party_softenings`, each with its `order`), `witnesses` (one
/// per relaxation) and `certificates` (one per conflict, `null` where none).
pub fn json(e: &Explanation) -> Value {
    let softenings: Vec<Value> = e.softenings.iter().map(softening_json).collect();
    let witnesses: Vec<Value> = e
        .relaxations
        .iter()
        .zip(&e.witnesses)
        .map(|(r, w)| json!({"relaxation": r, "state": w.as_ref().map(witness_json)}))
        .collect();
    let per_party: serde_json::Map<String, Value> = e
        .per_party_softenings
        .iter()
        .map(|p| {
            let mut v = tiered_json(&p.options, joint_json);
            v["rungs"] = json!(p.rungs);
            (p.party.clone(), v)
        })
        .collect();
    let mut joint = tiered_json(&e.joint_softenings, joint_json);
    joint["rungs"] = json!(e.joint_softenings.first().map(|j| j.rungs));
    let certificates: Vec<Value> = e
        .certificates
        .iter()
        .map(|c| c.as_ref().map_or(Value::Null, certificate_json))
        .collect();
    json!({
        "acceptable": e.acceptable,
        "conflicts": e.conflicts,
        "relaxations": e.relaxations,
        "complete": e.complete,
        "first_conflict": e.first_conflict,
        "softenings": softenings,
        "prefs": "ideal, best and cost of a softening rest on weights and values (judgement); they order nothing",
        "witnesses": witnesses,
        "least_relaxations": tiered_json(&e.least_relaxations, relaxation_json),
        "least_softenings": tiered_json(&e.least_softenings, softening_json),
        "joint_softenings": joint,
        "per_party_softenings": per_party,
        "certificates": certificates,
    })
}

/// Options of a tier grouped by the parties they involve: "russia could drop X, or Y; or
/// ukraine could drop Z". Groups keep the tier's (interleaved) first-appearance order.
fn by_party<T>(
    tier: &[T],
    parties: impl Fn(&T) -> &[String],
    verb: &str,
    say: impl Fn(&T) -> String,
) -> String {
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for x in tier {
        let p = parties(x).to_vec();
        match groups.iter_mut().find(|g| g.0 == p) {
            Some(g) => g.1.push(say(x)),
            None => groups.push((p, vec![say(x)])),
        }
    }
    groups
        .iter()
        .map(|(p, opts)| {
            let who = match p.len() {
                0 => "nobody".to_string(),
                1 => p[0].clone(),
                _ => format!("{} together", p.join(" and ")),
            };
            if verb.is_empty() {
                format!("{who} could {}", opts.join(", or "))
            } else {
                format!("{who} could {verb} {}", opts.join(", or "))
            }
        })
        .collect::<Vec<_>>()
        .join("; or ")
}

fn tiered_text<T>(
    o: &mut String,
    t: &Tiered<T>,
    parties: impl Fn(&T) -> &[String],
    verb: &str,
    say: impl Fn(&T) -> String,
) {
    for (k, tier) in t.tiers.iter().enumerate() {
        let lead = if k == 0 { "  " } else { "  then: " };
        let _ = writeln!(o, "{lead}{}.", by_party(tier, &parties, verb, &say));
    }
    if t.omitted > 0 {
        let _ = writeln!(
            o,
            "  ({} more tied option{} not listed.)",
            t.omitted,
            plural(t.omitted)
        );
    }
    if !t.complete {
        let _ = writeln!(
            o,
            "  (A budget cut the search: better or further options may exist.)"
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn state_text(w: &Witness) -> String {
    w.state
        .iter()
        .map(|(i, l)| format!("{i}={l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn joint_text(j: &JointSoftening) -> String {
    j.moves
        .iter()
        .map(|m| {
            format!(
                "move {} {} rung{} ({} -> {})",
                m.name,
                m.rungs,
                plural(m.rungs),
                m.from,
                m.to
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
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
    let _ = writeln!(
        o,
        "\nLeast that must give ({} tied option{}; {}):",
        e.least_relaxations.total(),
        plural(e.least_relaxations.total()),
        e.least_relaxations.order
    );
    tiered_text(
        &mut o,
        &e.least_relaxations,
        |r| &r.parties,
        "drop",
        |r| r.drop.join(" + "),
    );
    let _ = writeln!(
        o,
        "\nEvery minimal relaxation, with a witness (a whole acceptable state once it is dropped):"
    );
    let mut relax: Vec<(&Vec<String>, &Option<Witness>)> =
        e.relaxations.iter().zip(&e.witnesses).collect();
    relax.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(b.0)));
    for (r, w) in relax {
        let _ = writeln!(o, "   - drop {}", r.join(" + "));
        if let Some(w) = w {
            let _ = writeln!(o, "       witness: {}", state_text(w));
        }
    }
    if !e.complete {
        let _ = writeln!(
            o,
            "\n(The enumeration hit its budget: the lists above may be incomplete.)"
        );
    }
    let certs: Vec<&Certificate> = e.certificates.iter().flatten().collect();
    if !certs.is_empty() {
        let _ = writeln!(
            o,
            "\nCertificates (the level ranges each member allows on issues they share; no \
             combination is allowed by all):"
        );
        for c in certs {
            let _ = writeln!(
                o,
                "   - {} on {}:",
                c.conflict.join(" + "),
                c.issues.join(", ")
            );
            for (name, boxes) in c.conflict.iter().zip(&c.allows) {
                let ranges: Vec<String> = boxes
                    .iter()
                    .map(|b| {
                        c.issues
                            .iter()
                            .zip(b)
                            .map(|(i, (lo, hi))| {
                                if lo == hi {
                                    format!("{i}={lo}")
                                } else {
                                    format!("{i} in [{lo}..{hi}]")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .collect();
                let allowed = if ranges.is_empty() {
                    "nothing".to_string()
                } else {
                    ranges.join(" or ")
                };
                let _ = writeln!(o, "       {name} allows {allowed}");
            }
        }
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
            if let (Some(c), Some(i), Some(b)) = (sf.cost(), sf.ideal, sf.best) {
                let _ = writeln!(
                    o,
                    "       [prefs] {}'s best falls from {i:.3} to {b:.3} (cost {c:.3}; judgement, orders nothing)",
                    sf.party
                );
            }
        }
        let _ = writeln!(
            o,
            "\nSmallest softening of one bound ({} tied option{}; {}):",
            e.least_softenings.total(),
            plural(e.least_softenings.total()),
            e.least_softenings.order
        );
        tiered_text(
            &mut o,
            &e.least_softenings,
            |f| std::slice::from_ref(&f.party),
            "move",
            |f| {
                format!(
                    "{} {} rung{} ({} -> {})",
                    f.name,
                    f.rungs,
                    plural(f.rungs),
                    f.from,
                    f.to
                )
            },
        );
    }
    match e.joint_softenings.first() {
        None => {
            let _ = writeln!(o, "\nNo softening of red lines opens a zone.");
            if !e.joint_softenings.complete {
                let _ = writeln!(o, "  (A budget cut the search.)");
            }
        }
        Some(first) => {
            let _ = writeln!(
                o,
                "\nSmallest joint softening: {} rung{} in all ({} tied option{}; {}):",
                first.rungs,
                plural(first.rungs),
                e.joint_softenings.total(),
                plural(e.joint_softenings.total()),
                e.joint_softenings.order
            );
            tiered_text(&mut o, &e.joint_softenings, |j| &j.parties, "", joint_text);
            for j in e.joint_softenings.options() {
                if let Some(w) = &j.witness {
                    let _ = writeln!(
                        o,
                        "   - {}: opens {} acceptable state{}; witness: {}",
                        j.moves
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(" + "),
                        j.acceptable,
                        plural(j.acceptable as usize),
                        state_text(w)
                    );
                }
            }
        }
    }
    if !e.per_party_softenings.is_empty() {
        let _ = writeln!(
            o,
            "\nWhat each party alone would have to soften (its own red lines):"
        );
        for p in &e.per_party_softenings {
            match p.rungs {
                Some(r) => {
                    let _ = writeln!(
                        o,
                        "   - {} alone: {r} rung{} ({} option{}): {}",
                        p.party,
                        plural(r),
                        p.options.total(),
                        plural(p.options.total()),
                        p.options
                            .options()
                            .map(joint_text)
                            .collect::<Vec<_>>()
                            .join("; or ")
                    );
                }
                None if p.options.complete => {
                    let _ = writeln!(o, "   - {} alone: cannot open a zone", p.party);
                }
                None => {
                    let _ = writeln!(o, "   - {} alone: none found within the budget", p.party);
                }
            }
        }
    }
    o
}
