//! The one way in: every finding of [`Analysis`] renders to exactly the command line's
//! `--json` document and text, on every bundled scenario and a no-deal fixture.

use dealzone::analysis::explain::ExplainLimits;
use dealzone::analysis::path::PathOptions;
use dealzone::model::Evidence;
use dealzone::{Analysis, Limits, Outcome, Report, Scenario};

use crate::dealzone;

const FILES: [&str; 3] = [
    "seeds/wage_round.toml",
    "seeds/supplier_contract.toml",
    "tests/fixtures/valid/no_deal.toml",
];

fn cli_json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = dealzone(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn cli_text(args: &[&str]) -> String {
    let (code, out, err) = dealzone(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn findings_render_as_the_command_line_does() {
    for file in FILES {
        let a = Analysis::new(Scenario::load(file).unwrap(), Limits::default()).unwrap();
        let zones = a.zones().unwrap();
        let mut zones_json = zones.json();
        // `zones --json` has no explanation; the outcome adds it when there is no deal.
        if let Outcome::NoDeal { proof, .. } = zones.value() {
            let e = zones_json.as_object_mut().unwrap().remove("explanation");
            assert!(e.is_some(), "{file}");
            assert!(!proof.relaxations.is_empty(), "{file}");
            let mut explain = cli_json(&["explain", file, "--json"]);
            explain.as_object_mut().unwrap().remove("evidence");
            assert_eq!(e.unwrap(), explain, "{file}");
        }
        assert_eq!(zones_json, cli_json(&["zones", file, "--json"]), "{file}");
        assert!(
            zones.text().starts_with(&cli_text(&["zones", file])),
            "{file}"
        );

        let e = a.explain(&ExplainLimits::default()).unwrap();
        assert_eq!(e.json(), cli_json(&["explain", file, "--json"]), "{file}");
        assert_eq!(e.text(), cli_text(&["explain", file]), "{file}");

        let p = a.paths(&PathOptions::default()).unwrap();
        assert_eq!(p.json(), cli_json(&["path", file, "--json"]), "{file}");
        assert_eq!(p.text(), cli_text(&["path", file]), "{file}");

        let b = a.bargain().unwrap();
        assert_eq!(b.json(), cli_json(&["bargain", file, "--json"]), "{file}");
        assert_eq!(b.text(), cli_text(&["bargain", file]), "{file}");
    }
}

#[test]
fn no_deal_is_an_outcome_with_its_proof_and_a_what_if_opens_it() {
    let a = Analysis::new(
        Scenario::load(crate::root("tests/fixtures/valid/no_deal.toml")).unwrap(),
        Limits::default(),
    )
    .unwrap();
    let z = a.zones().unwrap();
    let Outcome::NoDeal { zones, proof } = z.value() else {
        panic!("the fixture has no deal");
    };
    assert!(zones.acceptable.is_empty());
    // Both sides' red lines are named, one relaxation each (a tie, per side).
    let mut names: Vec<&str> = proof
        .relaxations
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["north/keep_new", "south/keep_old"]);
    for name in names {
        let w = a.without(&[name]).unwrap();
        assert!(w.zones().unwrap().value().is_deal(), "{name}");
    }
}

#[test]
fn admitting_stated_evidence_drops_the_reported_red_line_and_says_so() {
    let s = Scenario::load(crate::root("tests/fixtures/valid/no_deal.toml")).unwrap();
    let a = Analysis::admitting(s, Evidence::Stated, Limits::default()).unwrap();
    assert!(a.zones().unwrap().value().is_deal());
    let file = "tests/fixtures/valid/no_deal.toml";
    assert_eq!(
        a.zones().unwrap().json(),
        cli_json(&["zones", file, "--json", "--evidence", "stated"])
    );
}

#[test]
fn an_analysis_crosses_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Analysis>();
    send_sync::<dealzone::Finding<Outcome>>();
}
