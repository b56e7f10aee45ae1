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
