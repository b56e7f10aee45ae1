//! Pictures: the SVG of the candidates in two parties' utility space.

use dealzone::analysis::bargain::{self, Bargain};
use dealzone::analysis::path::{CostModel, ZonePath, paths};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::model::Timeline;
use dealzone::report::svg::utility_plot;
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario};

/// Fill colour of the acceptable candidates' dots.
const ACCEPTABLE_FILL: &str = "fill=\"#009E73\"";
/// Fill colour of the path's arrowheads.
const PATH_FILL: &str = "fill=\"#E69F00\"";

fn analyse(s: &Scenario) -> (CompiledScenario, Bargain) {
    let c = CompiledScenario::new(s, &Limits::default()).unwrap();
    let b = bargain::bargain_compiled(&c, &Limits::default()).unwrap();
    (c, b)
}

fn wage() -> Scenario {
    Scenario::load(crate::root("seeds/wage_round.toml")).unwrap()
}

fn first_path(c: &CompiledScenario) -> ZonePath {
    let zones = find_zones_compiled(c, Engine::Auto, &Limits::default()).unwrap();
    paths(c, &zones, CostModel::TotalConcession, &Limits::default())
        .unwrap()
        .remove(0)
}

/// Every element opened is closed, in order; returns the tags seen (start tags and
/// self-closing ones).
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

/// The value of attribute `name` in one element's text.
fn attr(element: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    let len = element[start..].find('"')?;
    element[start..start + len].parse().ok()
}

/// The elements `<NAME .../>` (or `<NAME ...>`), as text up to their `>`.
fn elements<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    svg.match_indices(&open)
        .map(|(k, _)| &svg[k..k + svg[k..].find('>').unwrap()])
        .collect()
}

#[test]
fn the_wage_round_picture_is_well_formed_and_names_everything() {
    let s = wage();
    let (c, b) = analyse(&s);
    let svg = utility_plot(&s, &c, &b, 0, 1, None).unwrap();
    let tags = check_well_formed(&svg);
    assert!(tags.iter().any(|t| t == "text"));
    for word in [
        "utility of union",
        "utility of employer",
        "Nash",
        "Kalai",
        "status quo",
        "Wage round 2026",
        "2026-03-01",
    ] {
        assert!(svg.contains(word), "no {word:?} in the picture");
    }
}

#[test]
fn the_picture_is_the_same_bytes_every_time() {
    let s = wage();
    let (c, b) = analyse(&s);
    let p = first_path(&c);
    let one = utility_plot(&s, &c, &b, 0, 1, Some(&p)).unwrap();
    let two = utility_plot(&s, &c, &b, 0, 1, Some(&p)).unwrap();
    assert_eq!(one, two);
    // And the axes swap with the parties.
    let swapped = utility_plot(&s, &c, &b, 1, 0, Some(&p)).unwrap();
    assert!(swapped.contains("utility of employer") && swapped != one);
}

#[test]
fn every_acceptable_pixel_has_one_dot() {
    let s = wage();
    let (c, b) = analyse(&s);
    let svg = utility_plot(&s, &c, &b, 0, 1, None).unwrap();
    let dots: Vec<(i64, i64)> = elements(&svg, "circle")
        .into_iter()
        .filter(|e| e.contains(ACCEPTABLE_FILL))
        .map(|e| (attr(e, "cx").unwrap() as i64, attr(e, "cy").unwrap() as i64))
        .collect();
    // The legend's sample dot is the one right of the plot (which ends before x = 572).
    let (legend, dots): (Vec<_>, Vec<_>) = dots.into_iter().partition(|&(x, _)| x >= 572);
    assert_eq!(legend.len(), 1);
    let distinct: std::collections::BTreeSet<_> = dots.iter().collect();
    assert_eq!(distinct.len(), dots.len(), "a pixel drawn twice");
    assert!(dots.len() as u64 <= b.zone_size);
    // Acceptable points at least 0.01 apart (several pixels) cannot share a pixel: a
    // greedy set of such points bounds the number of dots from below.
    let reservations = b.candidates.reservations();
    let mut apart: Vec<(f64, f64)> = Vec::new();
    for row in b.candidates.rows() {
        if !bargain::is_acceptable(row, reservations) {
            continue;
        }
        let p = (row[0], row[1]);
        if apart
            .iter()
            .all(|q| (p.0 - q.0).abs() >= 0.01 || (p.1 - q.1).abs() >= 0.01)
        {
            apart.push(p);
        }
    }
    assert!(apart.len() > 1, "the wage round has a zone");
    assert!(
        dots.len() >= apart.len(),
        "{} dots for {} well-separated acceptable points",
        dots.len(),
        apart.len()
    );
}

#[test]
fn text_is_legible_and_inside_the_picture() {
    let s = wage();
    let (c, b) = analyse(&s);
    let p = first_path(&c);
    let svg = utility_plot(&s, &c, &b, 0, 1, Some(&p)).unwrap();
    let texts = elements(&svg, "text");
    assert!(texts.len() > 20);
    for t in texts {
        let size = attr(t, "font-size").unwrap();
        assert!(size >= 12.0, "font-size {size} in {t}");
        let (x, y) = (attr(t, "x").unwrap(), attr(t, "y").unwrap());
        assert!(
            (0.0..=800.0).contains(&x) && (0.0..=600.0).contains(&y),
            "{t}"
        );
    }
}

#[test]
fn a_reachable_path_is_drawn_with_arrowheads() {
    let s = wage();
    let (c, b) = analyse(&s);
    let p = first_path(&c);
    assert!(p.reachable && p.states.len() > 1);
    let with = utility_plot(&s, &c, &b, 0, 1, Some(&p)).unwrap();
    let without = utility_plot(&s, &c, &b, 0, 1, None).unwrap();
    check_well_formed(&with);
    assert!(with.contains("path to zone 0"));
    assert!(!without.contains("path to zone"));
    let heads = elements(&with, "polygon")
        .into_iter()
        .filter(|e| e.contains(PATH_FILL))
        .count();
    assert!(heads >= 1, "no arrowhead");
    // An unreachable path is left out.
    let unreachable = ZonePath {
        reachable: false,
        states: Vec::new(),
        ..p
    };
    assert_eq!(
        utility_plot(&s, &c, &b, 0, 1, Some(&unreachable)).unwrap(),
        without
    );
}

#[test]
fn no_candidate_still_gives_a_picture() {
    let t = Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap();
    let s = t.latest();
    let (c, b) = analyse(s);
    assert!(b.candidates.is_empty());
    let svg = utility_plot(s, &c, &b, 0, 1, None).unwrap();
    check_well_formed(&svg);
    assert!(svg.contains("no candidate"));
    assert!(svg.contains("Nash (none)"));
    let russia = c.utilities()[0].name().to_string();
    assert!(svg.contains(&format!("utility of {russia}")));
}

#[test]
fn bad_party_positions_are_errors() {
    let s = wage();
    let (c, b) = analyse(&s);
    for (x, y) in [(0, 0), (1, 1), (0, 2), (2, 1), (usize::MAX, 0)] {
        assert!(utility_plot(&s, &c, &b, x, y, None).is_err(), "({x}, {y})");
    }
    // A path with a state outside the space.
    let mut p = first_path(&c);
    p.states.push(c.space().size());
    assert!(utility_plot(&s, &c, &b, 0, 1, Some(&p)).is_err());
}

#[test]
fn one_party_with_a_utility_is_an_error() {
    let text = "name = \"solo\"\n[issues]\nwage = [\"low\", \"high\"]\n[status_quo]\nwage = \"low\"\n\
                [parties.u]\nweights = { wage = 1 }\nvalues = { wage = [0, 1] }\n\
                [parties.m]\nrole = \"mediator\"\n";
    let s = Scenario::from_toml_str(text, "solo.toml").unwrap();
    let (c, b) = analyse(&s);
    assert_eq!(c.utilities().len(), 1);
    assert!(utility_plot(&s, &c, &b, 0, 1, None).is_err());
    assert!(utility_plot(&s, &c, &b, 0, 0, None).is_err());
}

/// The words of every `<text>` element, unescaped, one string per element.
fn texts(svg: &str) -> Vec<String> {
    svg.match_indices("<text")
        .map(|(k, _)| {
            let open = k + svg[k..].find('>').unwrap() + 1;
            let close = open + svg[open..].find("</text>").unwrap();
            svg[open..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealzone-svg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every word of the what-if (each dropped constraint id) and the date are in the
/// picture's text, with the what-if marker; checked element by element, so a word cut
/// in two by wrapping would fail.
fn assert_marked(svg: &str, dropped: &[String], date: &str, file: &std::path::Path) {
    check_well_formed(svg);
    let words = texts(svg);
    let all = words.join("\n");
    assert!(
        all.contains("What-if"),
        "{}: no what-if marker",
        file.display()
    );
    assert!(
        words.iter().any(|w| w.contains(date)),
        "{}: no date {date}",
        file.display()
    );
    for id in dropped {
        assert!(
            words.iter().any(|w| w.contains(id.as_str())),
            "{}: {id} not named in {all}",
            file.display()
        );
    }
}

#[test]
fn timeline_pictures_say_which_what_if_and_date_they_show() {
    let dir = scratch("timeline");
    let at = dir.join("at.svg");
    let all = dir.join("all");
    let (code, out, err) = crate::dealzone(&[
        "timeline",
        "seeds/russia_ukraine/timeline.toml",
        "--json",
        "--samples",
        "2",
        "--at",
        "2025-03-01",
        "--svg",
        at.to_str().unwrap(),
        "--svg-dir",
        all.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut drawn = 0;
    for snap in v["snapshots"].as_array().unwrap() {
        let date = snap["date"].as_str().unwrap();
        // The facts as they stand, named by date: never marked as a what-if.
        let facts = all.join(format!("{date}.svg"));
        let svg = std::fs::read_to_string(&facts).unwrap();
        let words = texts(&svg).join("\n");
        assert!(words.contains(date), "{words}");
        assert!(!words.contains("What-if"), "{}", facts.display());
        let what_ifs = snap["what_ifs"].as_array().unwrap();
        if snap["acceptable"] == 0 {
            assert!(words.contains(&format!("No deal on {date}")), "{words}");
            assert!(words.contains("acceptable (0)"), "{words}");
        }
        for (k, w) in what_ifs.iter().enumerate() {
            let file = all.join(format!("{date}.what-if-{}.svg", k + 1));
            let dropped: Vec<String> = w["dropped"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect();
            assert_marked(
                &std::fs::read_to_string(&file).unwrap(),
                &dropped,
                date,
                &file,
            );
            for p in w["parties"].as_array().unwrap() {
                let svg = std::fs::read_to_string(&file).unwrap();
                let title = texts(&svg).join(" ");
                assert!(title.contains(&format!("if {}", w["parties"][0].as_str().unwrap())));
                assert!(title.contains(p.as_str().unwrap()), "{title}");
            }
            drawn += 1;
        }
        assert!(
            !all.join(format!("{date}.what-if-{}.svg", what_ifs.len() + 1))
                .exists()
        );
    }
    assert!(drawn >= 2, "the bundled timeline has what-ifs");
    // `--at` picks the snapshot in force on that date: 2025-02-06, with its what-ifs.
    let feb = std::fs::read_to_string(all.join("2025-02-06.svg")).unwrap();
    assert_eq!(std::fs::read_to_string(&at).unwrap(), feb);
    for k in 1..=2 {
        assert_eq!(
            std::fs::read_to_string(dir.join(format!("at.what-if-{k}.svg"))).unwrap(),
            std::fs::read_to_string(all.join(format!("2025-02-06.what-if-{k}.svg"))).unwrap()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bargain_without_draws_a_marked_what_if() {
    let dir = scratch("bargain");
    let file = dir.join("b.svg");
    let (code, _, err) = crate::dealzone(&[
        "bargain",
        "seeds/russia_ukraine/timeline.toml",
        "--at",
        "2025-02-06",
        "--without",
        "russia/keep_territory",
        "--svg",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&file).unwrap();
    assert_marked(
        &svg,
        &["russia/keep_territory".to_string()],
        "2025-02-06",
        &file,
    );
    // Without `--without` the same date is not marked.
    let (code, _, err) = crate::dealzone(&[
        "bargain",
        "seeds/wage_round.toml",
        "--svg",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!std::fs::read_to_string(&file).unwrap().contains("What-if"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dropped_reservation_is_marked_in_the_legend() {
    let s = wage();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let relaxed = dealzone::analysis::timeline_report::relax(&c, &["union/reservation"]).unwrap();
    let b = bargain::bargain_compiled(&relaxed, &Limits::default()).unwrap();
    let caption = dealzone::report::svg::Caption::without(&["union/reservation".to_string()]);
    let svg = dealzone::report::svg::utility_plot_captioned(&s, &relaxed, &b, 0, 1, None, &caption)
        .unwrap();
    let words = texts(&svg);
    assert!(
        words.iter().any(|w| w.contains("union: dropped")),
        "{words:?}"
    );
    assert_marked(
        &svg,
        &["union/reservation".to_string()],
        "2026-03-01",
        "wage".as_ref(),
    );
}

/// `timeline --without X --svg-dir`: every picture is drawn under the what-if, so each says
/// so and names X and its date; a what-if file names X beside its own drops.
#[test]
fn timeline_without_marks_every_picture() {
    let dir = scratch("timeline-without");
    let (code, out, err) = crate::dealzone(&[
        "timeline",
        "tests/fixtures/valid/wage_timeline.toml",
        "--json",
        "--samples",
        "2",
        "--without",
        "employer/budget",
        "--svg-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut drawn = 0;
    for snap in v["snapshots"].as_array().unwrap() {
        let date = snap["date"].as_str().unwrap();
        let file = dir.join(format!("{date}.svg"));
        let svg = std::fs::read_to_string(&file).unwrap();
        assert_marked(&svg, &["employer/budget".to_string()], date, &file);
        for (k, w) in snap["what_ifs"].as_array().unwrap().iter().enumerate() {
            let file = dir.join(format!("{date}.what-if-{}.svg", k + 1));
            let mut dropped: Vec<String> = w["dropped"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect();
            dropped.push("employer/budget".to_string());
            assert_marked(
                &std::fs::read_to_string(&file).unwrap(),
                &dropped,
                date,
                &file,
            );
        }
        drawn += 1;
    }
    assert!(drawn >= 2);
    let _ = std::fs::remove_dir_all(&dir);
}
