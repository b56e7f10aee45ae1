//! The timeline report analyses a scenario met before only once (the stated-evidence run
//! repeats dates): its snapshots must equal the ones computed date by date from scratch.

use dealzone::Limits;
use dealzone::analysis::evidence_marks::marks;
use dealzone::analysis::timeline_report::{ReportOptions, SnapshotReport, relax, report, snapshot};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::model::Evidence;
use dealzone::space::CompiledScenario;
use dealzone::{Scenario, Timeline};

/// The fields `snapshot` fills (title, changes, effect and marks are the report's own).
fn strip(r: &SnapshotReport) -> SnapshotReport {
    SnapshotReport {
        title: None,
        changes: Vec::new(),
        effect: String::new(),
        stated_alone: Vec::new(),
        ..r.clone()
    }
}

fn check(t: &Timeline, options: &ReportOptions) -> usize {
    let limits = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let r = report(t, options, &limits).unwrap();
    let stated = t.admit(Evidence::Stated);
    let scenarios: Vec<(_, &Scenario)> = t.snapshots().collect();
    let same = |a: &Scenario, b: &Scenario| {
        a.issues() == b.issues() && a.parties() == b.parties() && a.status_quo() == b.status_quo()
    };
    let mut repeated = 0;
    let mut previous: Option<&Scenario> = None;
    for (k, ((date, full), (_, alone))) in scenarios.iter().zip(stated.snapshots()).enumerate() {
        let a = snapshot(full, *date, options, &limits).unwrap();
        // Each what-if's acceptable states, by a zone search of its own.
        let c = CompiledScenario::new(full, &limits).unwrap();
        for w in &a.what_ifs {
            let names: Vec<&str> = w.dropped.iter().map(String::as_str).collect();
            let z = find_zones_compiled(&relax(&c, &names).unwrap(), Engine::Auto, &limits);
            assert_eq!(w.acceptable, z.unwrap().acceptable.len() as u64, "{date}");
        }
        assert_eq!(strip(&r.snapshots[k]), a, "{date}");
        let b = snapshot(alone, *date, options, &limits).unwrap();
        assert_eq!(r.snapshots[k].stated_alone, marks(&a, &b), "{date}");
        repeated += usize::from(same(alone, full) || previous.is_some_and(|p| same(alone, p)));
        previous = Some(alone);
    }
    repeated
}

/// The graded fixture: the stated run repeats its first date on the second (the change
/// there is only reported) and the full run's first date.
#[test]
fn report_with_repeated_scenarios_equals_date_by_date_analysis() {
    let t = Timeline::load(crate::root("tests/fixtures/valid/graded_timeline.toml")).unwrap();
    let options = ReportOptions {
        samples: 30,
        ..ReportOptions::default()
    };
    assert!(check(&t, &options) > 0, "the fixture repeats a scenario");
}

/// The report leaves the certificates out of each snapshot's explanation (it prints none);
/// every other field is `explain_with`'s, and `explain_with` itself still gives one
/// certificate per conflict.
#[test]
fn snapshot_explanation_is_explain_without_certificates() {
    use dealzone::analysis::explain::explain_with;
    use dealzone::space::PreconditionRegion;
    let limits = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let options = ReportOptions {
        samples: 0,
        ..ReportOptions::default()
    };
    let mut conflicts = 0;
    for file in [
        "tests/fixtures/valid/graded_timeline.toml",
        "tests/fixtures/valid/wage_timeline.toml",
    ] {
        let t = Timeline::load(crate::root(file)).unwrap();
        for (date, s) in t.snapshots() {
            let c = CompiledScenario::new(s, &limits).unwrap();
            let red = PreconditionRegion::build(c.space(), c.red_lines(), u64::MAX);
            let full = explain_with(s, &c, &options.explain, &limits, red.as_ref()).unwrap();
            assert_eq!(
                full.certificates.len(),
                full.conflicts.len(),
                "{file} {date}"
            );
            conflicts += full.conflicts.len();
            let got = snapshot(s, date, &options, &limits).unwrap().explanation;
            assert!(got.certificates.is_empty(), "{file} {date}");
            let expected = dealzone::analysis::explain::Explanation {
                certificates: Vec::new(),
                ..full
            };
            assert_eq!(got, expected, "{file} {date}");
        }
    }
    assert!(
        conflicts > 0,
        "some date has a conflict, so a certificate to leave out"
    );
}
