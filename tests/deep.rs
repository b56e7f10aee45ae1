//! Very long and very deep expressions, in every expression context, end in a positioned
//! error (or an answer), never in a stack overflow that aborts the process.

use dealzone::{Error, Limits, Scenario};

pub(crate) const TERMS: usize = 20_000;

pub(crate) fn wage_round() -> String {
    std::fs::read_to_string(crate::root("seeds/wage_round.toml")).unwrap()
}

/// The error's message, and whether it points at `file:LINE:COLUMN`.
fn positioned(e: &Error, file: &str) -> (String, bool) {
    let text = e.to_string();
    let at = crate::expr::points_into(&text, file);
    (text, at)
}

pub(crate) fn shapes(atom: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "parentheses",
            format!("{}{atom}{}", "(".repeat(TERMS), ")".repeat(TERMS)),
        ),
        ("not", format!("{}{atom}", "not ".repeat(TERMS))),
        ("and", vec![atom; TERMS].join(" and ")),
        ("or", vec![atom; TERMS].join(" or ")),
        ("implies", vec![atom; TERMS].join(" -> ")),
        ("iff", vec![atom; TERMS].join(" <-> ")),
    ]
}

#[test]
fn a_20000_term_behaviour_condition_is_a_positioned_error() {
    let base = wage_round();
    let old = "when = \"wage == freeze\"";
    assert!(base.contains(old));
    for (shape, cond) in shapes("wage == freeze") {
        let text = base.replace(old, &format!("when = \"{cond}\""));
        let e = Scenario::from_toml_str(&text, "deep.toml")
            .expect_err(&format!("{shape}: a 20,000-term condition is refused"));
        let (msg, pos) = positioned(&e, "deep.toml");
        assert!(pos, "{shape}: {msg}");
    }
}

#[test]
fn a_20000_term_red_line_is_a_positioned_error() {
    let base = wage_round();
    let old = "rule = \"industrial_action == peace -> wage >= plus3\"";
    assert!(base.contains(old));
    for (shape, rule) in shapes("wage >= plus3") {
        let text = base.replace(old, &format!("rule = \"{rule}\""));
        let e = Scenario::from_toml_str(&text, "deep.toml")
            .expect_err(&format!("{shape}: a 20,000-term rule is refused"));
        let (msg, pos) = positioned(&e, "deep.toml");
        assert!(pos, "{shape}: {msg}");
    }
}

pub(crate) fn gmcr_with(statement: &str) -> String {
    format!(
        r#"{{
  "options": [
    {{"name": "a", "permittedDirection": "both"}},
    {{"name": "b", "permittedDirection": "both"}}
  ],
  "decisionMakers": [
    {{"name": "One", "options": [0], "preferences": [{statement}]}},
    {{"name": "Two", "options": [1], "preferences": [[[1, "Y"]]]}}
  ],
  "infeasibles": [],
  "useManualPreferenceRanking": false
}}"#
    )
}

#[test]
fn a_20000_term_gmcr_statement_is_an_answer_or_a_positioned_error() {
    let limits = Limits::default();
    // 20,000 nested compounds: past the JSON reader's depth bound, a positioned error.
    let nested = format!(
        "{}[[0, \"Y\"]]{}",
        r#"{"compound": true, "members": ["#.repeat(TERMS),
        "]}".repeat(TERMS)
    );
    let Err(e) = dealzone::io::gmcr::parse_gmcr(&gmcr_with(&nested), "deep.gmcr", &limits) else {
        panic!("20,000 nested compounds are refused");
    };
    let (msg, pos) = positioned(&e, "deep.gmcr");
    assert!(pos, "{msg}");
    // 20,000 literals in one conjunction and 20,000 members in one compound: flat, so
    // they load (no recursion grows with them).
    let flat_and = format!("[{}]", vec!["[0, \"Y\"]"; TERMS].join(", "));
    let flat_or = format!(
        r#"{{"compound": true, "members": [{}]}}"#,
        vec!["[[0, \"N\"]]"; TERMS].join(", ")
    );
    for s in [flat_and, flat_or] {
        if let Err(e) = dealzone::io::gmcr::parse_gmcr(&gmcr_with(&s), "deep.gmcr", &limits) {
            let (msg, pos) = positioned(&e, "deep.gmcr");
            assert!(pos, "{msg}");
        }
    }
}
