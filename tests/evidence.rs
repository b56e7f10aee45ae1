//! Evidence grades: parsing, and what `admit` keeps.

use dealzone::model::Evidence;
use dealzone::{Scenario, Timeline};
use proptest::prelude::*;

fn scenario(grades: &[Option<Evidence>]) -> String {
    let mut red = String::new();
    for (k, g) in grades.iter().enumerate() {
        let ev = g.map_or(String::new(), |g| format!(", evidence = \"{g}\""));
        red.push_str(&format!(
            "  {{ id = \"r{k}\", rule = \"wage != w{}\"{ev} }},\n",
            k % 4
        ));
    }
    format!(
        r#"name = "graded"
[issues]
wage = ["w0", "w1", "w2", "w3", "w4"]
[status_quo]
wage = "w0"
[parties.a]
weights = {{ wage = 1 }}
values = {{ wage = [0, 0.25, 0.5, 0.75, 1] }}
red_lines = [
{red}]
rules = [
  {{ id = "give", when = "round >= 3", then = "soften r0", evidence = "inferred" }},
  {{ id = "hold", when = "round >= 1", then = "reject" }},
]
[[simulation.events]]
id = "shock"
probability = 0.1
status_quo = {{ wage = "w1" }}
evidence = "reported"
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `admit(g)` keeps exactly the constraints graded at least as strong as `g` (a missing
    /// grade reads `stated`), whatever the grades, and leaves everything else alone.
    #[test]
    fn admit_keeps_exactly_the_admitted_grades(
        grades in proptest::collection::vec(proptest::option::of(0usize..3), 1..8),
        weakest in 0usize..3,
    ) {
        let grades: Vec<Option<Evidence>> =
            grades.into_iter().map(|g| g.map(|g| Evidence::ALL[g])).collect();
        let weakest = Evidence::ALL[weakest];
        let s = Scenario::from_toml_str(&scenario(&grades), "graded.toml").unwrap();
        let kept = s.admit(weakest);
        let expect: Vec<String> = grades
            .iter()
            .enumerate()
            .filter(|(_, g)| g.unwrap_or(Evidence::Stated) <= weakest)
            .map(|(k, _)| format!("a/r{k}"))
            .collect();
        let got: Vec<String> = kept.red_lines().map(|c| c.name()).collect();
        prop_assert_eq!(got, expect);
        for c in kept.red_lines() {
            prop_assert!(c.evidence() <= weakest);
        }
        // The `soften r0` rule is inferred, and goes with r0 when r0 is left out.
        let rules: Vec<&str> = kept.party("a").unwrap().rules().iter().map(|r| r.id()).collect();
        let r0_kept = kept.constraint("a/r0").is_some();
        prop_assert_eq!(rules.contains(&"give"), weakest == Evidence::Inferred && r0_kept);
        prop_assert!(rules.contains(&"hold"));
        prop_assert_eq!(kept.simulation().events.len(), usize::from(weakest >= Evidence::Reported));
        prop_assert_eq!(kept.issues(), s.issues());
        prop_assert_eq!(kept.status_quo(), s.status_quo());
    }
}

const TIMELINE: &str = r#"
base = "wage_base.toml"

[[change]]
date = "2026-04-01"
source = "leak.txt"
evidence = "reported"
op = "replace_red_line"
party = "union"
id = "no_freeze"
rule = "wage >= plus4"

[[change]]
date = "2026-04-01"
source = "guess"
evidence = "inferred"
op = "add_red_line"
party = "employer"
id = "cap"
rule = "wage <= plus2"

[[change]]
date = "2026-05-01"
source = "statement.txt"
op = "replace_red_line"
party = "employer"
id = "cap"
rule = "wage <= plus4"
"#;

#[test]
fn a_timeline_on_stated_evidence_keeps_its_dates_and_drops_weaker_changes() {
    let dir = crate::root("tests/fixtures/valid");
    let t = Timeline::from_toml_str(TIMELINE, "graded_timeline.toml", &dir).unwrap();
    let stated = t.admit(Evidence::Stated);
    assert_eq!(stated.dates(), t.dates());
    assert_eq!(stated.changes().len(), 1);
    let rule = |t: &Timeline, date: &str, name: &str| {
        t.at(date.parse().unwrap())
            .unwrap()
            .constraint(name)
            .map(|c| c.rule().text().to_string())
    };
    // The reported replacement is left out: the stated rule stands.
    assert_eq!(
        rule(&t, "2026-04-01", "union/no_freeze").as_deref(),
        Some("wage >= plus4")
    );
    assert_eq!(
        rule(&stated, "2026-04-01", "union/no_freeze").as_deref(),
        Some("wage >= plus2")
    );
    // The inferred red line is absent until a stated change puts its own rule in force.
    assert_eq!(rule(&stated, "2026-04-01", "employer/cap"), None);
    assert_eq!(
        rule(&stated, "2026-05-01", "employer/cap").as_deref(),
        Some("wage <= plus4")
    );
    // Everything admitted: the same scenarios as the timeline itself.
    let all = t.admit(Evidence::Inferred);
    for ((d1, s1), (d2, s2)) in all.snapshots().zip(t.snapshots()) {
        assert_eq!(d1, d2);
        assert_eq!(s1, s2);
    }
}

fn graded() -> Timeline {
    Timeline::load(crate::root("tests/fixtures/valid/graded_timeline.toml")).unwrap()
}

/// The grades `--json` lists, by `party/id`.
fn grades(v: &serde_json::Value) -> Vec<(String, String)> {
    v["evidence"]["grades"]
        .as_object()
        .expect("an `evidence.grades` object")
        .iter()
        .map(|(k, g)| (k.clone(), g["evidence"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn every_command_takes_evidence_and_lists_the_grades_it_admits() {
    let file = "tests/fixtures/valid/graded_timeline.toml";
    let t = graded();
    for (weakest, g) in [
        ("stated", Evidence::Stated),
        ("inferred", Evidence::Inferred),
    ] {
        let expect: Vec<(String, String)> = {
            let admitted = t.admit(g);
            let s = admitted.latest();
            let mut v: Vec<(String, String)> = s
                .red_lines()
                .chain(s.preconditions())
                .map(|c| (c.name(), c.evidence().to_string()))
                .collect();
            v.sort();
            v
        };
        for cmd in [
            "check",
            "zones",
            "path",
            "explain",
            "bargain",
            "stability",
            "simulate",
        ] {
            let mut args = vec![cmd, file, "--json", "--evidence", weakest];
            if cmd == "simulate" {
                args.extend(["--runs", "3", "--seed", "1"]);
            }
            let (code, out, err) = crate::dealzone(&args);
            assert_eq!(code, 0, "{cmd} --evidence {weakest}: {err}");
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["evidence"]["admitted"], weakest, "{cmd}");
            assert_eq!(grades(&v), expect, "{cmd} --evidence {weakest}");
        }
        let (code, out, err) = crate::dealzone(&[
            "timeline",
            file,
            "--json",
            "--samples",
            "2",
            "--evidence",
            weakest,
        ]);
        assert_eq!(code, 0, "timeline: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["evidence"]["admitted"], weakest);
    }
    let (code, _, err) = crate::dealzone(&["zones", file, "--evidence", "reportd"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `reported`?"), "{err}");
}

#[test]
fn evidence_stated_drops_exactly_the_weaker_constraints_rules_events_and_changes() {
    let t = graded();
    let stated = t.admit(Evidence::Stated);
    assert_eq!(
        stated.changes().len(),
        1,
        "only the stated reservation change stays"
    );
    for ((_, full), (_, alone)) in t.snapshots().zip(stated.snapshots()) {
        let weak: Vec<String> = full
            .red_lines()
            .chain(full.preconditions())
            .filter(|c| c.evidence() != Evidence::Stated)
            .map(|c| c.name())
            .collect();
        for c in full.red_lines().chain(full.preconditions()) {
            let kept = alone.constraint(&c.name());
            if weak.contains(&c.name()) {
                // A weaker change that replaced a stated constraint leaves the stated one.
                assert!(
                    kept.is_none_or(|k| k.evidence() == Evidence::Stated && k.rule() != c.rule())
                );
            } else {
                assert_eq!(kept, Some(c));
            }
        }
    }
}

/// The report's `[evidence]` marks against a brute-force comparison: the two runs'
/// JSON documents compared field by field.
#[test]
fn report_marks_agree_with_comparing_the_two_runs() {
    use dealzone::Limits;
    use dealzone::analysis::timeline_report::{ReportOptions, report};
    let t = graded();
    let o = ReportOptions {
        samples: 0,
        ..ReportOptions::default()
    };
    let limits = Limits::default();
    let full = report(&t, &o, &limits).unwrap();
    let alone_t = t.admit(Evidence::Stated);
    let alone = report(
        &alone_t,
        &ReportOptions {
            compare_stated: false,
            ..o.clone()
        },
        &limits,
    )
    .unwrap();
    let a = dealzone::report::timeline::json(&t, &full, &limits).unwrap();
    let b = dealzone::report::timeline::json(&alone_t, &alone, &limits).unwrap();
    let fields = [
        ("Red lines alone", "candidates"),
        ("Clashing red lines", "red_line_conflicts"),
        ("Minimal relaxations", "relaxations"),
        ("Least that must give", "cheapest_relaxation"),
    ];
    let mut any = false;
    for (k, snap) in full.snapshots.iter().enumerate() {
        let (x, y) = (&a["snapshots"][k], &b["snapshots"][k]);
        for (finding, key) in fields {
            let differs = x[key] != y[key];
            let marked = snap.stated_alone.iter().any(|m| m.finding == finding);
            assert_eq!(
                marked, differs,
                "{} {finding}: {} vs {}",
                snap.date, x[key], y[key]
            );
            any |= differs;
        }
        let deal_differs = x["nash"] != y["nash"];
        let marked = snap.stated_alone.iter().any(|m| m.finding == "Deal");
        assert_eq!(marked, deal_differs, "{} deal", snap.date);
        // The marks say what the finding is on stated evidence alone.
        for m in &snap.stated_alone {
            assert_ne!(m.full, m.stated);
        }
    }
    assert!(any, "the fixture's reported clash must change some finding");
    let text = dealzone::report::timeline::text(&t, &full, &limits).unwrap();
    assert!(
        text.contains("[evidence] On stated evidence alone"),
        "{text}"
    );
}
