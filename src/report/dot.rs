//! Graphviz DOT of the status quo's neighbourhood and the paths into the zones.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::analysis::path::ZonePath;
use crate::graph::ConcessionGraph;
use crate::model::Scenario;
use crate::space::{CompiledScenario, StateIndex};

/// A DOT digraph: the status quo, every state one rung from it (dashed when it breaks a
/// precondition) and every state on a path; path moves drawn bold and labelled with the
/// issue and the conceders. Nodes are labelled by how they differ from the status quo.
pub fn neighbourhood(s: &Scenario, c: &CompiledScenario, paths: &[ZonePath]) -> String {
    let sq = c.status_quo();
    let all = ConcessionGraph::new(c);
    let mut nodes: BTreeSet<StateIndex> = BTreeSet::from([sq]);
    let neighbours: Vec<(StateIndex, usize)> = all.moves(sq);
    nodes.extend(neighbours.iter().map(|(t, _)| *t));
    for p in paths {
        nodes.extend(&p.states);
    }
    let mut o = String::from(
        "digraph concessions {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for &n in &nodes {
        let label = if n == sq {
            "status quo".to_string()
        } else {
            super::text::state(s, c, n, Some(sq)).replace(", ", "\\n")
        };
        let ok = c.meets_preconditions(&c.space().decode(n));
        let style = match (n == sq, ok) {
            (true, _) => ", style=bold",
            (false, false) => ", style=dashed, color=red",
            _ => "",
        };
        let _ = writeln!(o, "  s{n} [label=\"{}\"{style}];", escape(&label));
    }
    let names: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    let mut on_path = BTreeSet::new();
    for p in paths {
        for (w, st) in p.states.windows(2).zip(&p.steps) {
            on_path.insert((w[0], w[1]));
            let who: Vec<&str> = st.conceders.iter().map(|&q| names[q]).collect();
            let _ = writeln!(
                o,
                "  s{} -> s{} [penwidth=2.5, label=\"{} (zone {}){}\"];",
                w[0],
                w[1],
                escape(s.issues()[st.issue].id()),
                p.zone,
                if who.is_empty() {
                    String::new()
                } else {
                    escape(&format!("\\n{}", who.join(", ")))
                }
            );
        }
    }
    for (t, issue) in neighbours {
        if !on_path.contains(&(sq, t)) {
            let _ = writeln!(
                o,
                "  s{sq} -> s{t} [color=gray, label=\"{}\"];",
                escape(s.issues()[issue].id())
            );
        }
    }
    o.push_str("}\n");
    o
}

fn escape(s: &str) -> String {
    s.replace('"', "\\\"")
}
