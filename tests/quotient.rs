//! The quotient of a space by its rules under a time limit: a build the clock stops is a
//! typed error naming the time limit, never a hang nor a coarser quotient.

use dealzone::space::{CompiledScenario, RegionQuotient};
use dealzone::{Error, Limit, Limits, Scenario};
use std::time::Duration;

/// Two issues of `levels` levels each and a red line reading both: its cut scan evaluates
/// the rule on `levels²` combinations.
fn two_wide_issues(levels: usize) -> Scenario {
    let names: Vec<String> = (0..levels).map(|k| format!("\"l{k}\"")).collect();
    let list = names.join(", ");
    let values: Vec<String> = (0..levels)
        .map(|k| format!("{}", k as f64 / (levels - 1) as f64))
        .collect();
    let values = values.join(", ");
    let toml = format!(
        "name = \"wide\"\n[issues]\nx = [{list}]\ny = [{list}]\n\
         [status_quo]\nx = \"l0\"\ny = \"l0\"\n[parties.p]\n\
         weights = {{ x = 0.5, y = 0.5 }}\nvalues = {{ x = [{values}], y = [{values}] }}\n\
         red_lines = [\n  {{ id = \"r\", rule = \"x == l3 or y >= l7\" }},\n]\n"
    );
    Scenario::from_toml_str(&toml, "wide.toml").unwrap()
}

#[test]
fn a_zero_time_limit_stops_the_quotient_build_with_a_typed_error() {
    let s = two_wide_issues(300);
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let zero = Limits {
        time_limit: Some(Duration::ZERO),
        ..Limits::default()
    };
    let r = RegionQuotient::build_within(c.space(), c.red_lines(), u64::MAX, &zero);
    assert!(
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: Limit::TimeLimit,
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn without_a_time_limit_the_build_within_is_the_plain_build() {
    let s = two_wide_issues(300);
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let none = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let a = RegionQuotient::build_within(c.space(), c.red_lines(), u64::MAX, &none)
        .unwrap()
        .unwrap();
    let b = RegionQuotient::build(c.space(), c.red_lines(), u64::MAX).unwrap();
    assert_eq!(a.cells().radices(), b.cells().radices());
    // The rule cuts x at l3 (both sides) and y at l7: 3 · 2 cells.
    assert_eq!(a.cells().size(), 6);
    for cell in 0..a.cells().size() {
        assert_eq!(a.broken_cell(cell), b.broken_cell(cell));
    }
}

/// The timeline report at a zero time limit ends with the typed error, whichever search
/// (the quotient's build among them) meets the clock first.
#[test]
fn the_report_at_a_zero_time_limit_is_a_typed_error() {
    use dealzone::analysis::timeline_report::{ReportOptions, report};
    let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml").unwrap();
    let zero = Limits {
        time_limit: Some(Duration::ZERO),
        ..Limits::default()
    };
    let r = report(&t, &ReportOptions::default(), &zero);
    assert!(
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: Limit::TimeLimit,
                ..
            })
        ),
        "{:?}",
        r.map(|r| r.snapshots.len())
    );
}
