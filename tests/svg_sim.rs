//! Pictures of the simulator: a run's offer trace and a tournament's chart are well-formed
//! SVG with the expected series, and the same bytes every time.

use dealzone::report::svg_sim::{offer_trace, tournament_chart};
use dealzone::sim::World;
use dealzone::sim::monte_carlo::replay;
use dealzone::sim::tournament::{play, scores};
use dealzone::sim::trace::Step;

/// Every element opened is closed, in order; returns the tags seen.
fn check_well_formed(svg: &str) -> Vec<String> {
    assert!(svg.starts_with("<svg"), "starts with {:?}", &svg[..20]);
    assert!(svg.trim_end().ends_with("</svg>"));
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "a `<` inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
        } else {
            let name = tag.split_whitespace().next().unwrap().trim_end_matches('/');
            seen.push(name.to_string());
            if !tag.ends_with('/') {
                stack.push(name.to_string());
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    seen
}

/// The `<NAME …>` elements, as text up to their `>`.
fn elements<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    svg.match_indices(&open)
        .map(|(k, _)| &svg[k..k + svg[k..].find('>').unwrap()])
        .collect()
}

/// The texts of the `<text>` elements.
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(k) = rest.find("<text") {
        let start = k + rest[k..].find('>').unwrap() + 1;
        let end = start + rest[start..].find("</text>").unwrap();
        out.push(rest[start..end].trim().to_string());
        rest = &rest[end..];
    }
    out
}

fn wage() -> World {
    let s = dealzone::Scenario::load(crate::root("seeds/wage_round.toml")).unwrap();
    World::new(
        &s,
        dealzone::sim::Overrides {
            protocol: Some(dealzone::model::simulation::ProtocolKind::Alternating),
            ..Default::default()
        },
        &Default::default(),
    )
    .unwrap()
}

/// The first run of seed 1 that ends in an agreement, with its number.
fn agreed_run(
    w: &World,
) -> (
    u64,
    dealzone::sim::protocol::RunResult,
    dealzone::sim::trace::Trace,
) {
    (0..200)
        .map(|k| {
            let (r, t) = replay(w, 1, k);
            (k, r, t)
        })
        .find(|(_, r, _)| r.agreed.is_some())
        .expect("an agreement within 200 runs")
}

#[test]
fn the_offer_trace_has_a_line_per_party_a_dot_per_offer_and_the_agreement() {
    let w = wage();
    let (k, r, t) = agreed_run(&w);
    let svg = offer_trace(&w, k, &r, &t).unwrap();
    check_well_formed(&svg);
    let utility: Vec<usize> = (0..w.parties.len())
        .filter(|&p| w.parties[p].contrib.is_some())
        .collect();
    let offers = t
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Offer { .. }))
        .count();
    // One polyline per party with a utility (when there are two offers or more to join).
    let lines = elements(&svg, "polyline")
        .into_iter()
        .filter(|e| e.contains("stroke-width=\"2\"") && !e.contains("stroke-dasharray"))
        .count();
    if offers > 1 {
        assert!(
            lines >= utility.len(),
            "{lines} lines for {} parties",
            utility.len()
        );
    }
    // A dot per offer per party, its own offers filled: count the dots of radius 4 in the
    // plot (the legend adds a fixed number).
    let dots = elements(&svg, "circle")
        .into_iter()
        .filter(|e| e.contains("r=\"4\""))
        .count();
    let legend_dots = utility.len() + 3;
    assert!(
        dots >= offers * utility.len() + legend_dots,
        "{dots} dots, {offers} offers"
    );
    // The agreement: a ring per party (radius 8) plus the legend's.
    let rings = elements(&svg, "circle")
        .into_iter()
        .filter(|e| e.contains("r=\"8\""))
        .count();
    assert_eq!(rings, utility.len() + 1);
    let words = texts(&svg).join("\n");
    for &p in &utility {
        assert!(
            words.contains(&format!("utility of {}", w.parties[p].name)),
            "{words}"
        );
    }
    assert!(words.contains("agreement in round"), "{words}");
    assert!(words.contains(&format!("run {k}")));
}

#[test]
fn the_offer_trace_is_the_same_bytes_every_time() {
    let w = wage();
    for k in [0, 3, 7] {
        let (r, t) = replay(&w, 5, k);
        let (r2, t2) = replay(&w, 5, k);
        assert_eq!(
            offer_trace(&w, k, &r, &t).unwrap(),
            offer_trace(&w, k, &r2, &t2).unwrap()
        );
    }
}

#[test]
fn a_run_without_agreement_has_no_agreement_mark() {
    // Red lines that clash: no run can agree.
    let s = dealzone::Scenario::from_toml_str(
        r#"
name = "clash"
[issues]
price = ["low", "mid", "high"]
[status_quo]
price = "low"
[simulation]
deadline = 5
[parties.seller]
weights = { price = 1 }
values = { price = [0, 0.5, 1] }
red_lines = [{ id = "floor", rule = "price == high" }]
[parties.buyer]
weights = { price = 1 }
values = { price = [1, 0.5, 0] }
red_lines = [{ id = "cap", rule = "price == low" }]
"#,
        "clash.toml",
    )
    .unwrap();
    let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    let k = 0;
    let (r, t) = replay(&w, 2, k);
    assert!(r.agreed.is_none());
    let svg = offer_trace(&w, k, &r, &t).unwrap();
    check_well_formed(&svg);
    assert!(
        elements(&svg, "circle")
            .iter()
            .all(|e| !e.contains("r=\"8\""))
    );
    assert!(!texts(&svg).iter().any(|t| t == "agreement"));
}

#[test]
fn the_tournament_chart_has_a_bar_a_whisker_and_a_rate_per_tactic() {
    let mut spec =
        dealzone::io::load_tournament(crate::root("seeds/tournament.toml"), &Default::default())
            .unwrap();
    spec.scenarios.truncate(2);
    spec.repetitions = 2;
    let mut rows = Vec::new();
    play(&spec, &Default::default(), 0, &mut |b| {
        rows.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    let s = scores(&spec, &rows);
    let svg = tournament_chart(&s, "tournament.toml").unwrap();
    check_well_formed(&svg);
    assert_eq!(svg, tournament_chart(&s, "tournament.toml").unwrap());
    let words = texts(&svg);
    for (name, _) in &spec.tactics {
        assert!(
            words.iter().any(|t| t == name),
            "{name} missing from {words:?}"
        );
    }
    // Agreement-rate diamonds: one per tactic with a rate, plus the legend's.
    let rated = s
        .by_tactic
        .iter()
        .filter(|t| t.agreement_rate.is_some())
        .count();
    let diamonds = elements(&svg, "polygon")
        .into_iter()
        .filter(|e| e.contains("#D55E00"))
        .count();
    assert_eq!(diamonds, rated + 1);
    // Mean-utility bars: blue rectangles, one per tactic with a utility, plus the legend's.
    let with_utility = s.by_tactic.iter().filter(|t| t.utility.is_some()).count();
    let bars = elements(&svg, "rect")
        .into_iter()
        .filter(|e| e.contains("#0072B2"))
        .count();
    assert_eq!(bars, with_utility + 1);
}

#[test]
fn the_cli_draws_the_tournament_and_the_trace() {
    let dir = std::env::temp_dir().join(format!("dealzone-svg-sim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("t.toml");
    std::fs::write(
        &spec,
        std::fs::read_to_string(crate::root("seeds/tournament.toml"))
            .unwrap()
            .replace("repetitions = 20", "repetitions = 1")
            .replace(
                "file = \"",
                &format!("file = \"{}/", crate::root("seeds").display()),
            ),
    )
    .unwrap();
    let svg = dir.join("t.svg");
    let (code, _, err) = crate::dealzone(&[
        "tournament",
        spec.to_str().unwrap(),
        "--out",
        dir.join("t.csv").to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
        "--allow-outside-paths",
    ]);
    assert_eq!(code, 0, "{err}");
    let picture = std::fs::read_to_string(&svg).unwrap();
    check_well_formed(&picture);
    assert!(picture.contains("tit_for_tat"));
    let trace = dir.join("trace.svg");
    let (code, _, err) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--runs",
        "20",
        "--trace-svg",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    check_well_formed(&std::fs::read_to_string(&trace).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}
