//! Scenario files: the contract's forms, names, utilities, positions, and robustness.

use dealzone::Scenario;
use dealzone::model::ConstraintKind;
use proptest::prelude::*;

fn base_text() -> String {
    std::fs::read_to_string(crate::root("tests/fixtures/valid/wage_base.toml")).unwrap()
}

#[test]
fn issue_order_is_table_order_and_long_form_keeps_labels() {
    let s = Scenario::from_toml_str(
        r#"
name = "Order"
[issues]
zeta = ["a", "b"]
[issues."Size of Fund"]
levels = ["$10 billion", "$50 Billion"]
labels = ["ten", "fifty"]
description = "how big"
alpha = ["x"]
[status_quo]
zeta = "a"
"Size of Fund" = "$10 billion"
alpha = "x"
[parties."The Fund"]
weights = { "Size of Fund" = 1 }
values = { "Size of Fund" = [0, 1] }
red_lines = [{ id = "10", rule = '"Size of Fund" <= "$50 Billion" and zeta in {a, b}' }]
"#,
        "order.toml",
    );
    // `alpha` after the long-form table belongs to that table: a TOML rule, so it is an
    // unknown field there.
    let err = s.unwrap_err().to_string();
    assert!(err.contains("unknown field `alpha`"), "{err}");

    let s = Scenario::from_toml_str(
        r#"
name = "Order"
[issues]
zeta = ["a", "b"]
alpha = ["x"]
[issues."Size of Fund"]
levels = ["$10 billion", "$50 Billion"]
labels = ["ten", "fifty"]
description = "how big"
[status_quo]
zeta = "a"
"Size of Fund" = "$10 billion"
alpha = "x"
[parties."The Fund"]
weights = { "Size of Fund" = 1 }
values = { "Size of Fund" = [0, 1] }
red_lines = [{ id = "10", rule = '"Size of Fund" <= "$50 Billion" and zeta in {a, b}' }]
"#,
        "order.toml",
    )
    .unwrap();
    let ids: Vec<&str> = s.issues().iter().map(|i| i.id()).collect();
    assert_eq!(ids, ["zeta", "alpha", "Size of Fund"]);
    let fund = s.issue("Size of Fund").unwrap();
    assert_eq!(fund.levels()[1].label(), Some("fifty"));
    assert_eq!(fund.description(), Some("how big"));
    let c = s.constraint("The Fund/10").unwrap();
    assert_eq!(
        c.rule().to_text(s.issues()),
        r#""Size of Fund" <= "$50 Billion" and zeta in {a, b}"#
    );
    assert_eq!(s.state_count(), Some(4));
}

#[test]
fn constraints_keep_id_party_kind_source_note_and_position() {
    let s = Scenario::from_toml_str(&base_text(), "wage_base.toml").unwrap();
    let c = s.constraint("union/no_freeze").unwrap();
    assert_eq!(
        (c.id(), c.party(), c.kind()),
        ("no_freeze", "union", ConstraintKind::RedLine)
    );
    assert_eq!(c.source(), Some("union_letter.txt"));
    assert_eq!(c.note(), Some("stated 2026-02-10"));
    assert_eq!(c.priority(), Some(1));
    let o = c.origin().unwrap();
    assert_eq!(
        (o.file.as_str(), o.line, o.column),
        ("wage_base.toml", 20, 3)
    );
    let p = s.constraint("union/talks_need_offer").unwrap();
    assert_eq!(p.kind(), ConstraintKind::Precondition);
    let mediator = s.party("mediator").unwrap();
    assert!(mediator.preferences().is_none());
    assert_eq!(mediator.rules()[0].after_round(), Some(2));
    assert_eq!(s.party("union").unwrap().controls(), &[1]);
}

#[test]
fn utility_is_the_capped_weighted_sum() {
    let s = Scenario::from_toml_str(&base_text(), "w.toml").unwrap();
    let union = s.party("union").unwrap().preferences().unwrap();
    // wage plus4 (0.8), remote full (1.0): 0.7·0.8 + 0.3·1.0
    assert!((union.utility(&[2, 2]) - 0.86).abs() < 1e-12);
    let capped = Scenario::from_toml_str(
        "name = \"cap\"\n[issues]\na = [\"x\", \"y\"]\nb = [\"x\", \"y\"]\n[status_quo]\na = \"x\"\nb = \"x\"\n\
         [parties.p]\nweights = { a = 0.5005, b = 0.5 }\nvalues = { a = [0, 1], b = [0, 1] }\n",
        "cap.toml",
    )
    .unwrap();
    let p = capped.party("p").unwrap().preferences().unwrap();
    assert_eq!(p.utility(&[1, 1]), 1.0);
    assert!((p.utility(&[1, 0]) - 0.5005).abs() < 1e-12);
}

#[test]
fn a_scenario_needs_a_party_with_a_utility() {
    let err = Scenario::from_toml_str(
        "name = \"m\"\n[issues]\na = [\"x\"]\n[status_quo]\na = \"x\"\n[parties.m]\nrole = \"mediator\"\n",
        "m.toml",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("no party has preferences"),
        "{err}"
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let text = base_text()
        .replace("reservation = 0.3", "reservation = 3")
        .replace("wage <= plus4", "wage <= plus9");
    let err = Scenario::from_toml_str(&text, "w.toml").unwrap_err();
    let diags = err.diagnostics().unwrap();
    assert_eq!(diags.len(), 2);
    assert!(diags[0].line() < diags[1].line(), "sorted by position");
}

/// Cut, duplicate or garble pieces of a valid file.
fn mutated() -> impl Strategy<Value = String> {
    mutated_from(base_text())
}

fn mutated_from(base: String) -> impl Strategy<Value = String> {
    let len = base.len();
    (
        0..len,
        0..len,
        prop::sample::select(vec![
            "", "\"", "[", "]", "{", "}", "=", "\n", "'", "0.5", "-1", "nan", "[x]", "\\", "é",
            "\u{0}", "\r", "\r\n", "\u{feff}",
        ]),
    )
        .prop_map(move |(a, b, ins)| {
            let (a, b) = (a.min(b), a.max(b).min(a + 40));
            let mut s = base.clone();
            let (a, b) = (floor(&s, a), floor(&s, b));
            s.replace_range(a..b, ins);
            s
        })
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}", crlf in any::<bool>(), bom in any::<bool>()) {
        // `\PC` has no control characters: line endings and a BOM are mixed in here.
        let mut s = if crlf { s.replace(' ', "\r\n") } else { s };
        if bom {
            s.insert(0, '\u{feff}');
        }
        let _ = Scenario::from_toml_str(&s, "fuzz.toml");
    }

    #[test]
    fn garbled_timelines_never_panic(s in mutated_from(
        std::fs::read_to_string(crate::root("tests/fixtures/valid/wage_timeline.toml")).unwrap()
    )) {
        let dir = crate::root("tests/fixtures/valid");
        if let Err(e) = dealzone::Timeline::from_toml_str(&s, "fuzz.toml", &dir) {
            let _ = e.to_string();
        }
    }

    #[test]
    fn garbled_scenarios_never_panic_and_errors_are_positioned(s in mutated()) {
        if let Err(e) = Scenario::from_toml_str(&s, "fuzz.toml") {
            let diags = e.diagnostics().expect("content errors are diagnostics");
            prop_assert!(!diags.is_empty());
            for d in diags {
                prop_assert!(d.line().is_some());
                let _ = d.to_string();
            }
        }
    }
}
